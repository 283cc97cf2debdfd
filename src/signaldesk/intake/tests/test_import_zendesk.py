"""Zendesk tickets JSON: the export object with sideloads, NDJSON, and bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from signaldesk.accounts.models import Team
from signaldesk.commerce.models import Customer, CustomerIdentity, Order
from signaldesk.intake.importers import ImportFileError, run_import
from signaldesk.intake.importers.jsonstream import JsonStream
from signaldesk.intake.models import ImportRun
from signaldesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def ticket(tid: int, **extra: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": tid,
        "created_at": "2024-03-05T10:00:00Z",
        "updated_at": "2024-03-06T12:00:00Z",
        "subject": f"Where is my order? {tid}",
        "description": "It has not arrived.",
        "status": "open",
        "priority": "high",
        "type": "question",
        "tags": ["wismo", "legacy_tag"],
        "via": {"channel": "email", "source": {"from": {"address": "Ann@Example.com"}}},
        "requester_id": 900,
        "assignee_id": 42,
        "group_id": 7,
        "custom_fields": [{"id": 360001, "value": "#1001"}, {"id": 360002, "value": None}],
        "satisfaction_rating": {"score": "good", "comment": "Thanks"},
    }
    base.update(extra)
    return base


COMMENTS = [
    {
        "id": 1,
        "author_id": 900,
        "body": "Where is it?",
        "html_body": "<p>Where is it?<script>x</script></p>",
        "public": True,
        "created_at": "2024-03-05T10:00:00Z",
    },
    {
        "id": 2,
        "author_id": 42,
        "body": "On its way.",
        "html_body": "",
        "public": True,
        "created_at": "2024-03-05T11:00:00Z",
    },
    {
        "id": 3,
        "author_id": 42,
        "body": "carrier delay",
        "public": False,
        "created_at": "2024-03-05T11:05:00Z",
    },
]
EXPORT = {
    "tickets": [
        ticket(101, comments=COMMENTS),
        ticket(102, via={"channel": "facebook"}, status="hold", priority=None, type=None),
    ],
    "next_page": None,
    "users": [
        {
            "id": 900,
            "email": "ann@example.com",
            "name": "Ann Lee",
            "phone": "+4915112345678",
            "role": "end-user",
        },
        {"id": 42, "email": "agent@shop.test", "name": "Alex Agent", "role": "agent"},
    ],
    "groups": [{"id": 7, "name": "Tier 1"}],
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def zendesk(path: Path, actor, **options: str):
    return run_import(kind="zendesk-tickets", path=path, actor=actor, options=options)


def test_export_object_with_sideloads_and_comments(tmp_path, system_actor):
    Order.objects.create(number="#1001", created_at=dt.datetime(2024, 3, 1, tzinfo=dt.UTC))
    path = write(tmp_path, "tickets.json", json.dumps(EXPORT, indent=2))
    report = zendesk(path, system_actor, **{"field.order_number": "360001"})

    assert report.counts == {"read": 2, "created": 2, "updated": 0, "unchanged": 0, "failed": 0}
    first = Ticket.objects.get(external_source="zendesk", external_id="101")
    assert (first.channel, first.status, first.priority, first.ticket_type) == (
        "email",
        "open",
        "high",
        "question",
    )
    assert first.tags == ["wismo", "legacy_tag"]
    assert first.order.number == "#1001"
    assert first.custom_fields == {
        "360001": "#1001",
        "order_number": "#1001",
        "zendesk_requester_id": "900",
        "zendesk_assignee_id": "42",
        "zendesk_group_id": "7",
    }
    assert first.owner_team == Team.objects.get(external_id="7", name="Tier 1")
    assert first.customer.name == "Ann Lee"
    assert (first.satisfaction_score, first.satisfaction_comment) == ("good", "Thanks")
    assert first.first_response_at == dt.datetime(2024, 3, 5, 11, 0, tzinfo=dt.UTC)
    messages = list(
        first.messages.values_list("external_id", "direction", "author_label", "body_html")
    )
    assert messages == [
        ("1", "inbound", "Ann Lee", "<p>Where is it?</p>"),
        ("2", "outbound", "Alex Agent", ""),
        ("3", "note", "Alex Agent", ""),
    ]
    second = Ticket.objects.get(external_id="102")
    assert (second.channel, second.status, second.priority, second.ticket_type) == (
        "social",
        "on_hold",
        "normal",
        "general",
    )
    assert list(second.messages.values_list("direction", "body_text")) == [
        ("inbound", "It has not arrived.")
    ]
    assert Customer.objects.count() == 1
    assert sorted(CustomerIdentity.objects.values_list("value", flat=True)) == [
        "ann@example.com",
        "zendesk:900",
    ]

    again = zendesk(path, system_actor, **{"field.order_number": "360001"})
    assert again.counts == {"read": 2, "created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    EXPORT["tickets"][1]["status"] = "solved"
    path.write_text(json.dumps(EXPORT))
    third = zendesk(path, system_actor, **{"field.order_number": "360001"})
    EXPORT["tickets"][1]["status"] = "hold"
    assert third.counts == {"read": 2, "created": 0, "updated": 1, "unchanged": 1, "failed": 0}
    solved = Ticket.objects.get(external_id="102")
    assert (solved.status, solved.solved_at) == (
        "solved",
        dt.datetime(2024, 3, 6, 12, tzinfo=dt.UTC),
    )
    assert (Ticket.objects.count(), Message.objects.count()) == (2, 4)


def test_ndjson_with_bad_lines(tmp_path, system_actor):
    lines = [
        json.dumps(ticket(201)),
        json.dumps(ticket(202, status="frozen")),
        "{not json",
        json.dumps(ticket(203, created_at="03/05/2024")),
        json.dumps(ticket(204, via={"channel": "whatsapp"})),
    ]
    report = zendesk(write(tmp_path, "t.ndjson", "\n".join(lines) + "\n"), system_actor)

    assert report.counts == {"read": 5, "created": 2, "updated": 0, "unchanged": 0, "failed": 3}
    assert report.errors == (
        (2, "status", "unknown value 'frozen'"),
        (3, "", "invalid JSON: Expecting property name enclosed in double quotes (column 2)"),
        (4, "created_at", "not a date/time: '03/05/2024'"),
    )
    assert sorted(Ticket.objects.values_list("external_id", "channel")) == [
        ("201", "email"),
        ("204", "whatsapp"),
    ]
    # no sideload: the requester is found by the email the ticket came from
    assert Ticket.objects.get(external_id="201").customer.email == "ann@example.com"


def test_garbage_fails_at_once(tmp_path, system_actor):
    with pytest.raises(ImportFileError) as info:
        zendesk(write(tmp_path, "t.json", "Name,Email\n#1,a@b.c\n"), system_actor)
    assert info.value.detail == (
        "t.json: not JSON (starts with 'N') — is this a Zendesk tickets export "
        '({"tickets": [...]} or one ticket per line)?'
    )
    with pytest.raises(ImportFileError) as info:
        zendesk(write(tmp_path, "u.json", '{"tickets": [{"id": 1},\n {"id": 2,, }]}'), system_actor)
    assert info.value.detail.startswith("u.json: line 2: invalid JSON: Expecting property name")
    with pytest.raises(ImportFileError) as info:
        zendesk(write(tmp_path, "v.json", '{"users": []}'), system_actor)
    assert info.value.detail.startswith('v.json: no "tickets" array')
    assert ImportRun.objects.count() == 0


def test_stream_decoder_handles_values_split_across_reads():
    import io

    import signaldesk.intake.importers.jsonstream as js

    doc = {"tickets": [{"id": i, "n": 12345678, "s": "é" * (i % 7)} for i in range(50)], "x": 1.5}
    original = js.READ_SIZE
    js.READ_SIZE = 7
    try:
        stream = JsonStream(io.StringIO(json.dumps(doc, indent=1)))
        got = []
        for key in stream.object_keys():
            if key == "tickets":
                got = [obj for _, obj in stream.array_items()]
            else:
                assert stream.value() == 1.5
    finally:
        js.READ_SIZE = original
    assert got == doc["tickets"]
