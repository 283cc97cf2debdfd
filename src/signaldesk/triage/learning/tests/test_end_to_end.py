"""Issue 3, end to end: import Zendesk tickets with legacy tags → tag audit → approve and apply
mappings → train → new messages through POST /api/v1/messages → triage gives the reasons."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from signaldesk.core.audit import Actor
from signaldesk.intake.importers import run_import
from signaldesk.taxonomy.audit import tag_audit
from signaldesk.taxonomy.mappings import tag_mapping_approve, tag_mappings_propose
from signaldesk.taxonomy.models import TagMapping
from signaldesk.taxonomy.relabel import tag_mappings_apply
from signaldesk.tickets.models import Ticket
from signaldesk.triage.learning.services import model_train, model_version_create
from signaldesk.triage.services import ticket_triage

HISTORY = {
    "wismo": (
        "order_status",
        [
            "Where is my order {n}? I have not received any shipping update",
            "Can you tell me the status of order {n}, has it shipped yet",
            "Order {n} still says processing, when will it be sent out",
        ],
    ),
    "too-small": (
        "fit",
        [
            "The jeans from order {n} are too tight at the waist",
            "Trousers in order {n} fit too small, the legs are short",
            "The jacket from {n} is tight across the shoulders",
        ],
    ),
    "charged-2x": (
        "payment_issue",
        [
            "I was charged twice for order {n}, please refund the duplicate payment",
            "My card shows two payments for order {n}",
            "Double charge on my credit card for order {n}",
        ],
    ),
}
NEW_MESSAGES = [
    ("Has order #5501 shipped yet? No update since I placed it", "order_status"),
    ("These jeans are too tight at the waist", "fit"),
    ("My credit card was charged twice for the same order", "payment_issue"),
]


def _zendesk_file(path: Path) -> Path:
    tickets: list[dict[str, Any]] = []
    n = 100
    for tag, (_reason, phrasings) in HISTORY.items():
        for round_ in range(4):
            for text in phrasings:
                n += 1
                body = text.format(n=f"#{n}") + (" thanks" if round_ else "")
                tickets.append(
                    {
                        "id": n, "created_at": "2026-10-05T10:00:00Z",
                        "updated_at": "2026-10-06T10:00:00Z", "subject": body[:40],
                        "description": body, "status": "solved", "priority": "normal",
                        "type": "question", "tags": [tag], "via": {"channel": "email"},
                        "requester_id": 900 + n,
                    }
                )  # fmt: skip
    users = [
        {"id": 900 + t["id"], "email": f"c{t['id']}@example.com", "name": "C", "role": "end-user"}
        for t in tickets
    ]
    path.write_text(json.dumps({"tickets": tickets, "users": users}), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_map_train_and_classify_new_messages(
    tmp_path: Path, post_message: Callable[..., Any], actor: Actor
) -> None:
    report = run_import(
        kind="zendesk-tickets", path=_zendesk_file(tmp_path / "zd.json"), actor=actor
    )
    assert Ticket.objects.count() == 36

    tag_mappings_propose(report=tag_audit(), actor=actor)
    for tag, (reason, _) in HISTORY.items():
        tag_mapping_approve(
            mapping_id=TagMapping.objects.get(tag=tag).pk, reason_id=reason, actor=actor
        )
    applied = tag_mappings_apply(actor=actor)
    assert (applied.tickets_changed, applied.by_reason) == (
        36, {"fit": 12, "order_status": 12, "payment_issue": 12},
    )  # fmt: skip

    version = model_train(version_id=model_version_create(actor=actor).pk, actor=actor)
    assert version.training_summary["by_source"]["tag_mapping"] == 36
    assert report.errors == ()

    got = []
    for i, (text, _expected) in enumerate(NEW_MESSAGES):
        response = post_message(
            {"channel": "email", "customer": {"email": f"new{i}@example.com"}, "text": text}
        )
        assert response.status_code == 201
        ticket_id = response.json()["ticket_id"]
        ticket_triage(ticket_id=ticket_id, actor=actor)  # intake does not enqueue triage yet
        ticket = Ticket.objects.get(pk=ticket_id)
        got.append((ticket.contact_reason, ticket.reason_source))
    assert got == [(expected, "model") for _, expected in NEW_MESSAGES]
