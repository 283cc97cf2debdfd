"""Every importer, through run_import and through POST /api/v1/imports/<kind>: a file-level bad
input is an ImportFileError (API: 422 {"detail", "code": "bad_file"}) that wrote nothing; bad rows
are row errors with line and column while the good rows around them land."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from signaldesk.core.audit import Actor
from signaldesk.hostile.tests.corpus import FILE_LEVEL, MARKUP, MB, UNICODE, deep_array
from signaldesk.intake.importers import IMPORT_KINDS, ImportFileError, run_import
from signaldesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", IMPORT_KINDS)
@pytest.mark.parametrize("entry", sorted(FILE_LEVEL))
def test_file_level_bad_input_is_refused_whole(
    tmp_path: Path,
    system_actor: Actor,
    row_counts: Callable[[], dict[str, int]],
    kind: str,
    entry: str,
) -> None:
    path = tmp_path / "bad.file"
    path.write_bytes(FILE_LEVEL[entry]())
    before = row_counts()

    with pytest.raises(ImportFileError) as info:
        run_import(kind=kind, path=path, actor=system_actor, reader_process=False)

    assert (info.value.status, info.value.detail.startswith("bad.file: ")) == (422, True)
    assert row_counts() == before


@pytest.mark.parametrize("kind", IMPORT_KINDS)
@pytest.mark.parametrize("entry", ["nul_bytes", "deep_array"])
def test_api_upload_of_a_bad_file_is_a_422_and_writes_nothing(
    client: Client,
    api_key_for: Callable[..., str],
    row_counts: Callable[[], dict[str, int]],
    kind: str,
    entry: str,
) -> None:
    key = api_key_for(role="admin", scopes=["admin"])
    before = row_counts()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bad.file", FILE_LEVEL[entry]())
    response = client.post(
        f"/api/v1/imports/{kind}", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )

    body = response.json()
    assert (response.status_code, body["code"], body["detail"].startswith("bad.file: ")) == (
        422,
        "bad_file",
        True,
    )
    assert row_counts() == before


TICKETS_CSV = (
    "ticket_id,created_at,channel,subject,body\n"
    f'T1,2024-03-01,email,hello,"{MARKUP.replace(chr(34), chr(34) * 2)}"\n'
    "T2,not-a-date,email,x,body\n"
    "T3,2024-03-01,email,nul,a\x00b\n"
    f"{'9' * (5 * MB)},2024-03-01,email,big,body\n"
    "T5,2024-03-01,<script>alert(1)</script>,x,body\n"
    f"T6,2024-03-01,chat,{UNICODE},{'y' * 100_000}\n"
)


def test_bad_rows_are_row_errors_and_good_rows_around_them_land(
    tmp_path: Path, system_actor: Actor
) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text(TICKETS_CSV, encoding="utf-8")

    report = run_import(kind="tickets", path=path, actor=system_actor, reader_process=False)

    assert report.counts == {"read": 6, "created": 3, "updated": 0, "unchanged": 0, "failed": 3}
    assert report.errors == (
        (3, "created_at", "not a date/time: 'not-a-date'"),
        (5, "ticket_id", "longer than 64 characters"),
        (6, "channel", "unknown value '<script>alert(1)</script>'"),
    )
    stored = dict(Ticket.objects.values_list("external_id", "subject"))
    assert stored == {"T1": "hello", "T3": "nul", "T6": UNICODE}
    bodies = dict(Message.objects.values_list("ticket__external_id", "body_text"))
    assert (bodies["T1"], bodies["T3"], len(bodies["T6"])) == (MARKUP, "a\ufffdb", 100_000)


def test_bom_in_front_of_latin1_text_is_dropped(tmp_path: Path, system_actor: Actor) -> None:
    path = tmp_path / "tickets.csv"
    path.write_bytes(
        b"\xef\xbb\xbfticket_id,created_at,channel,body\nT1,2024-03-01,email,Tr\xe8s\n"
    )

    report = run_import(kind="tickets", path=path, actor=system_actor, reader_process=False)

    assert (report.encoding, report.counts["created"]) == ("latin-1", 1)
    assert Message.objects.get().body_text == "Très"


def test_zendesk_lines_nested_too_deeply_are_row_errors(
    tmp_path: Path, system_actor: Actor
) -> None:
    good = {"id": 1, "created_at": "2024-03-01T00:00:00Z", "status": "open", "subject": "a"}
    lines = [
        json.dumps(good).encode(),
        deep_array(),
        b'{"id": 3' + b"0" * 5000 + b"}",
        json.dumps({**good, "id": 4, "subject": MARKUP}).encode(),
    ]
    path = tmp_path / "tickets.ndjson"
    path.write_bytes(b"\n".join(lines) + b"\n")

    report = run_import(kind="zendesk-tickets", path=path, actor=system_actor, reader_process=False)

    assert (report.counts["created"], report.counts["failed"]) == (2, 2)
    assert report.errors == (
        (2, "", "invalid JSON: nested too deeply"),
        (
            3,
            "",
            "invalid JSON: Exceeds the limit (4300 digits) for integer string conversion: "
            "value has 5001 digits; use sys.set_int_max_str_digits() to increase the limit",
        ),
    )
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [MARKUP, "a"]
