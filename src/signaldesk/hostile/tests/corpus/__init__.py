"""The bad-input corpus: small inputs as literals (and payloads.txt), big ones generated on demand
so the repository stays small. Every entry is bytes; `file_level` entries make a whole import
file unusable, `json_bodies` are raw request bodies for JSON endpoints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

MB = 1 << 20
DEPTH = 10_000

# Script and markup payloads, one a line (corpus/payloads.txt).
PAYLOADS: tuple[str, ...] = tuple(
    (Path(__file__).parent / "payloads.txt").read_text(encoding="utf-8").splitlines()
)
SCRIPT = PAYLOADS[0]
MARKUP = " ".join(PAYLOADS[:6])  # script, img onerror, javascript: link, SVG script, CSS expression
UNICODE = " ".join(PAYLOADS[7:])  # RTL override, zero-width joiners, emoji


def deep_array(depth: int = DEPTH) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_object(depth: int = DEPTH) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def ten_mb(prefix: bytes = b"") -> bytes:
    return prefix + b"a" * (10 * MB)


# A file the importers must refuse as a whole (ImportFileError, nothing written), by kind family.
FILE_LEVEL: dict[str, Callable[[], bytes]] = {
    "empty": lambda: b"",
    "nul_bytes": lambda: b"\x00\x01\x02binary\x00" * 100,
    "png_magic": lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    "truncated_json": lambda: b'{"tickets": [{"id": 1, "created_at": "2024-',
    "deep_array": deep_array,
    "deep_object": lambda: b'{"tickets": [' + deep_object() + b"]}",
    "huge_number": lambda: b'{"tickets": [{"id": 1' + b"0" * 5000 + b"}]}",
    "ten_mb_one_line": lambda: ten_mb(b"x,"),
    "invalid_utf8_header": lambda: b"\xff\xfe\xfd\xfc,\xc3\x28\n1,2\n",
    "mixed_delimiters": lambda: b"a;b,c\td|e\n1;2,3\t4|5\n",
    "script_header": lambda: (SCRIPT + "," + PAYLOADS[1] + "\n1,2\n").encode(),
}

# Raw bodies for JSON endpoints; each must be refused with a 4xx {"detail", "code"}.
JSON_BODIES: dict[str, bytes] = {
    "truncated": b'{"channel": "email", "customer": {"email": "a@example.com"}, "text": "hi',
    "nan": b'{"channel": "email", "customer": {"email": "a@example.com"}, "text": NaN}',
    "infinity": b'{"channel": "email", "customer": {"email": "a@example.com"}, "text": Infinity}',
    "huge_number": b'{"channel": "email", "subject": 1' + b"0" * 5000 + b"}",
    "deep_array": deep_array(),
    "deep_object": deep_object(),
    "invalid_utf8": b'{"channel": "email", "customer": {"email": "a@example.com"}, '
    b'"text": "\xff\xfe"}',
    "lone_surrogate": b'{"channel": "email", "customer": {"email": "a@example.com"}, '
    b'"text": "\\ud800"}',
    "empty": b"",
    "array": b"[]",
    "string": b'"x"',
    "null": b"null",
    "bom_latin1": b'\xef\xbb\xbf{"channel": "email", "text": "Tr\xe8s"}',
}


def nested_multipart(depth: int, *, boundary: str = "b") -> bytes:
    """A MIME message of `depth` nested multipart/mixed parts (a 'MIME bomb')."""
    body = "Content-Type: text/plain\r\n\r\nhello\r\n"
    for level in range(depth):
        tag = f"{boundary}{level}"
        body = (
            f'Content-Type: multipart/mixed; boundary="{tag}"\r\n\r\n'
            f"--{tag}\r\n{body}\r\n--{tag}--\r\n"
        )
    headers = (
        "From: Ana <ana@example.com>\r\nTo: help@shop.example\r\nSubject: bomb\r\n"
        f"Message-ID: <bomb-{depth}@example.com>\r\nMIME-Version: 1.0\r\n"
    )
    return (headers + body).encode()


def many_parts(count: int) -> bytes:
    """One multipart/mixed with `count` sibling parts."""
    parts = "".join(f"--p\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n" for i in range(count))
    return (
        "From: Ana <ana@example.com>\r\nTo: help@shop.example\r\nSubject: many\r\n"
        f"Message-ID: <many-{count}@example.com>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="p"\r\n\r\n' + parts + "--p--\r\n"
    ).encode()


def plain_mail(*, subject: str, body: str, message_id: str) -> bytes:
    return (
        f"From: Ana <ana@example.com>\r\nTo: help@shop.example\r\nSubject: {subject}\r\n"
        f"Message-ID: <{message_id}>\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()
