"""RFC 5322 bytes → a ParsedEmail. Pure: stdlib `email` (policy.default), no database, no Django.

What it does, in order:
1. Guards (before and while parsing): total size, number of MIME parts, nesting depth. A message
   over a limit raises MailRefused; nothing of it is kept.
2. Headers: From, To/Cc, Subject, Date, Message-ID, In-Reply-To, References (malformed values
   fall back to their raw text; a missing Message-ID gets a stable one derived from the bytes).
3. Bodies: the first text/plain and text/html that are not attachments. Unknown charsets and
   undecodable bytes are replaced, never fatal. HTML is sanitised (intake.content.sanitize_html).
4. Text for classification: quoted history and signature removed (triage.text.cleaning).
5. Kind: bounce (DSN multipart/report, MAILER-DAEMON/postmaster, bounce subjects), auto-reply
   (Auto-Submitted, X-Autoreply, X-Autorespond, Precedence bulk/junk/auto_reply, "Out of office"
   subjects, null envelope sender) or customer. For a DSN: recipients, status and the
   Message-ID of the original message.
6. Attachments: filename, type, size and the decoded bytes (policy is applied by the caller).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from enum import StrEnum

from signaldesk.intake.content import html_to_text, sanitize_html
from signaldesk.triage.text.cleaning import clean_for_classification, is_auto_reply, is_bounce

_MSGID_RE = re.compile(r"<[^<>\s]+>")
_BOUNDARY_RE = re.compile(rb"boundary\s*=", re.IGNORECASE)


class MailKind(StrEnum):
    CUSTOMER = "customer"
    BOUNCE = "bounce"
    AUTO_REPLY = "auto_reply"


@dataclass(frozen=True)
class MailLimits:
    max_message_bytes: int = 25 * 1024 * 1024
    max_parts: int = 100
    max_depth: int = 8


class MailRefused(Exception):
    """The message is refused as a whole (SMTP 552/554, HTTP 413/422)."""

    def __init__(self, reason: str, *, code: str, smtp_status: str = "554 5.6.0") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.smtp_status = smtp_status


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    payload: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.payload)


@dataclass(frozen=True)
class BounceReport:
    recipients: tuple[str, ...] = ()
    action: str = ""  # failed, delayed, delivered, relayed, expanded
    status: str = ""  # e.g. 5.1.1
    diagnostic: str = ""
    original_message_id: str = ""

    @property
    def permanent(self) -> bool:
        return self.action == "failed" or self.status.startswith("5")


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str
    from_address: str
    from_name: str
    to: tuple[str, ...]
    subject: str
    date: dt.datetime | None
    in_reply_to: str
    references: tuple[str, ...]
    text: str
    html: str  # sanitised
    classification_text: str
    attachments: tuple[ParsedAttachment, ...]
    kind: MailKind
    detection: str  # why it is a bounce or an auto-reply ("" for customer mail)
    bounce: BounceReport | None
    size: int

    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this one answers, nearest first: In-Reply-To, then References from the
        end (the root of the conversation last)."""
        ordered = [self.in_reply_to, *reversed(self.references)]
        return tuple(dict.fromkeys(i for i in ordered if i))


def message_ids_in(value: str) -> list[str]:
    """Every <id@host> in a header value, in order."""
    return _MSGID_RE.findall(value or "")


def _header(msg: Message, name: str) -> str:
    """A header as text; a value the header registry cannot parse falls back to its raw form."""
    try:
        value = msg.get(name)
    except Exception:  # malformed header: the registry may raise on access
        raw = msg.get_all(name, failobj=[]) if hasattr(msg, "get_all") else []
        value = str(raw[0]) if raw else ""
    return str(value or "").strip()


def _addresses(msg: Message, *names: str) -> list[tuple[str, str]]:
    values = [_header(msg, name) for name in names]
    pairs = email.utils.getaddresses([v for v in values if v])
    return [(name.strip(), addr.strip().lower()) for name, addr in pairs if "@" in addr]


def _date(msg: Message) -> dt.datetime | None:
    raw = _header(msg, "Date")
    if not raw:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else None


def _check_structure(msg: Message, limits: MailLimits) -> None:
    """Count parts and nesting without recursion (a deep bomb must not blow the stack)."""
    parts = 0
    stack: list[tuple[Message, int]] = [(msg, 1)]
    while stack:
        part, depth = stack.pop()
        parts += 1
        if parts > limits.max_parts:
            raise MailRefused(
                f"Message refused: more than {limits.max_parts} MIME parts.", code="too_many_parts"
            )
        if depth > limits.max_depth:
            raise MailRefused(
                f"Message refused: MIME parts nested deeper than {limits.max_depth} levels.",
                code="too_deep",
            )
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend((child, depth + 1) for child in payload if isinstance(child, Message))


def _text_of(part: Message) -> str:
    """Decoded text of a text part; unknown charsets and bad bytes are replaced."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, AssertionError, KeyError, ValueError):
        pass
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


def _is_attachment(part: Message) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    return disposition == "attachment" or (disposition == "inline" and bool(part.get_filename()))


def _leaves(msg: Message) -> list[Message]:
    """Leaf parts in document order, not descending into attached messages (message/rfc822)
    or delivery reports."""
    out: list[Message] = []
    stack: list[Message] = [msg]
    while stack:
        part = stack.pop()
        if part.is_multipart() and part.get_content_maintype() == "multipart":
            children = [c for c in part.get_payload() if isinstance(c, Message)]  # type: ignore[union-attr]
            stack.extend(reversed(children))
        else:
            out.append(part)
    return out


def _filename(part: Message, index: int) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # malformed RFC 2231 parameters
        name = ""
    name = re.sub(r"[\x00-\x1f/\\]+", "_", str(name)).strip()[:200]
    if name:
        return name
    subtype = part.get_content_subtype() or "bin"
    return f"attachment-{index}.{re.sub(r'[^a-z0-9]+', '', subtype.lower())[:16] or 'bin'}"


def _bodies_and_attachments(msg: Message) -> tuple[str, str, list[ParsedAttachment]]:
    text = html = ""
    attachments: list[ParsedAttachment] = []
    for part in _leaves(msg):
        content_type = part.get_content_type()
        if content_type in ("message/delivery-status", "text/rfc822-headers"):
            continue
        if content_type == "message/rfc822" or _is_attachment(part):
            if content_type == "message/rfc822":
                inner = part.get_payload()
                first = inner[0] if isinstance(inner, list) and inner else None
                payload = first.as_bytes() if isinstance(first, Message) else b""
            else:
                decoded = part.get_payload(decode=True)
                payload = decoded if isinstance(decoded, bytes) else b""
            attachments.append(
                ParsedAttachment(
                    filename=_filename(part, len(attachments) + 1),
                    content_type=content_type,
                    payload=payload,
                )
            )
        elif content_type == "text/plain" and not text:
            text = _text_of(part)
        elif content_type == "text/html" and not html:
            html = _text_of(part)
    return text, html, attachments


def _bounce_report(msg: Message) -> BounceReport:
    """Fields of a DSN (RFC 3464) and the Message-ID of the returned message, when present."""
    recipients: list[str] = []
    action = status = diagnostic = original = ""
    for part in msg.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            blocks = part.get_payload()
            for block in blocks if isinstance(blocks, list) else []:
                if not isinstance(block, Message):
                    continue
                final = str(block.get("Final-Recipient", "") or block.get("Original-Recipient", ""))
                if final:
                    recipients.append(final.split(";", 1)[-1].strip().lower())
                action = action or str(block.get("Action", "")).strip().lower()
                status = status or str(block.get("Status", "")).strip()
                diagnostic = diagnostic or str(block.get("Diagnostic-Code", "")).strip()
        elif content_type in ("message/rfc822", "text/rfc822-headers") and not original:
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                ids = message_ids_in(str(inner[0].get("Message-ID", "")))
            else:
                ids = re.findall(
                    r"^Message-ID:\s*(<[^<>\s]+>)", _text_of(part), re.IGNORECASE | re.MULTILINE
                )
            original = ids[0] if ids else ""
    failed = _header(msg, "X-Failed-Recipients")
    if failed and not recipients:
        recipients = [a.strip().lower() for a in failed.split(",") if "@" in a]
    return BounceReport(
        recipients=tuple(dict.fromkeys(recipients)),
        action=action,
        status=status,
        diagnostic=diagnostic[:500],
        original_message_id=original,
    )


def _classify(
    msg: Message, *, subject: str, sender: str, text: str, envelope_from: str | None
) -> tuple[MailKind, str]:
    headers = {
        name: _header(msg, name)
        for name in (
            "Auto-Submitted", "X-Autoreply", "X-Autorespond", "X-Autogenerated", "Precedence",
            "From", "Content-Type", "X-Failed-Recipients",
        )
    }  # fmt: skip
    if msg.get_content_type() == "multipart/report":
        return MailKind.BOUNCE, "multipart/report delivery status notification"
    if is_bounce(subject, headers, text, sender):
        return MailKind.BOUNCE, "bounce sender, header or subject"
    if is_auto_reply(subject, headers, text):
        return MailKind.AUTO_REPLY, "auto-reply header, precedence or subject"
    if envelope_from is not None and envelope_from.strip("<> ") == "":
        return MailKind.AUTO_REPLY, "null envelope sender"
    return MailKind.CUSTOMER, ""


def parse_email(
    raw: bytes, *, limits: MailLimits | None = None, envelope_from: str | None = None
) -> ParsedEmail:
    """Parse one message. `envelope_from` is the SMTP MAIL FROM ("" for the null sender <>)
    when known. Raises MailRefused for messages over the limits."""
    limits = limits or MailLimits()
    if len(raw) > limits.max_message_bytes:
        raise MailRefused(
            f"Message refused: {len(raw)} bytes, the limit is {limits.max_message_bytes}.",
            code="too_large",
            smtp_status="552 5.3.4",
        )
    if len(_BOUNDARY_RE.findall(raw)) > limits.max_parts:
        raise MailRefused(
            f"Message refused: more than {limits.max_parts} MIME parts.", code="too_many_parts"
        )
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        _check_structure(msg, limits)
        return _parsed(msg, raw=raw, envelope_from=envelope_from)
    except RecursionError:
        raise MailRefused(
            f"Message refused: MIME parts nested deeper than {limits.max_depth} levels.",
            code="too_deep",
        ) from None


def _parsed(msg: EmailMessage, *, raw: bytes, envelope_from: str | None) -> ParsedEmail:
    senders = _addresses(msg, "From") or _addresses(msg, "Sender")
    from_name, from_address = senders[0] if senders else ("", "")
    subject = re.sub(r"\s+", " ", _header(msg, "Subject"))[:500]
    own_ids = message_ids_in(_header(msg, "Message-ID"))
    message_id = own_ids[0] if own_ids else f"<sha256.{hashlib.sha256(raw).hexdigest()}@signaldesk>"
    reply_ids = message_ids_in(_header(msg, "In-Reply-To"))
    text, html_raw, attachments = _bodies_and_attachments(msg)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    html = sanitize_html(html_raw) if html_raw.strip() else ""
    readable = text if text.strip() else html_to_text(html)
    for_classification = clean_for_classification(text if text.strip() else html_raw)
    kind, detection = _classify(
        msg, subject=subject, sender=from_address, text=readable, envelope_from=envelope_from
    )
    return ParsedEmail(
        message_id=message_id[:255],
        from_address=from_address,
        from_name=from_name[:200],
        to=tuple(a for _, a in _addresses(msg, "To", "Cc")),
        subject=subject,
        date=_date(msg),
        in_reply_to=reply_ids[0][:255] if reply_ids else "",
        references=tuple(i[:255] for i in message_ids_in(_header(msg, "References"))[-50:]),
        text=readable.strip(),
        html=html,
        classification_text=for_classification,
        attachments=tuple(attachments),
        kind=kind,
        detection=detection,
        bounce=_bounce_report(msg) if kind == MailKind.BOUNCE else None,
        size=len(raw),
    )
