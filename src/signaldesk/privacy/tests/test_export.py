"""The export document: every row about the customer, nothing about anyone else."""

from __future__ import annotations

from signaldesk.core.models import AuditEvent
from signaldesk.privacy.registry import REGISTRY
from signaldesk.privacy.selectors import EXPORT_FORMAT, customer_export
from signaldesk.privacy.subject import customer_find
from signaldesk.privacy.tests.world import FILE_SHA, JANE_EMAIL, JANE_TEXT, World


def counts(doc: dict) -> dict[str, int]:
    return {name: len(rows) for name, rows in doc["sections"].items() if rows}


def test_export_holds_every_row_about_the_customer(world: World) -> None:
    doc = customer_export(world.jane)
    sections = doc["sections"]
    assert (doc["format"], doc["customer_id"], doc["erased"]) == (
        EXPORT_FORMAT, world.jane.pk, False,
    )  # fmt: skip
    assert list(sections) == [d.model for d in REGISTRY if d.model in sections]
    assert counts(doc) == {
        "commerce.Customer": 1,
        "commerce.CustomerIdentity": 2,
        "commerce.Order": 1,
        "commerce.OrderLine": 1,
        "commerce.Return": 1,
        "commerce.Review": 1,
        "tickets.Ticket": 2,
        "tickets.TicketThread": 2,
        "tickets.Message": 2,
        "triage.TicketEnrichment": 2,
        "selfservice.SelfServiceSession": 1,
        "knowledge.KnowledgeQuestion": 1,
        "followup.Survey": 1,
        "signals.Theme": 1,
        "mail.MailMessage": 1,
        "mail.BouncingAddress": 1,
        "core.OutboxMessage": 1,
        "core.AuditEvent": 9,
    }
    customer = sections["commerce.Customer"][0]
    assert (customer["name"], customer["email"], customer["phone"]) == (
        "Jane Roe", JANE_EMAIL, "+4915112345678",
    )  # fmt: skip
    assert sorted((i["kind"], i["value"]) for i in sections["commerce.CustomerIdentity"]) == [
        ("email", JANE_EMAIL), ("phone", "+4915112345678"),
    ]  # fmt: skip
    assert [t["subject"] for t in sections["tickets.Ticket"]] == [
        "Parcel for Jane Roe lost", "Invoice address",
    ]  # fmt: skip
    assert [m["body_text"] for m in sections["tickets.Message"]] == [
        JANE_TEXT, "Please change the invoice to Jane Roe, Elbchaussee 1",
    ]  # fmt: skip
    assert [(o["number"], o["shipping_city"], o["total"]) for o in sections["commerce.Order"]] == [
        ("#50001", "Hamburg", "89.90")
    ]
    assert sections["commerce.Review"][0]["body"] == "Too small for me, Jane"
    assert sections["followup.Survey"][0]["comment"] == "Jane Roe is unhappy"
    assert sections["signals.Theme"] == [
        {
            "id": world.theme.pk,
            "run_id": world.theme.run_id,
            "label": "parcel / arrived",
            "quotes": [{"text": JANE_TEXT, "kind": "ticket", "id": world.ticket.pk}],
        }
    ]
    assert doc["files"] == [
        {
            "message_id": sections["tickets.Message"][0]["id"],
            "filename": "receipt-jane-roe.pdf",
            "content_type": "application/pdf",
            "size": 28,
            "sha256": FILE_SHA,
            "path": f"mail/{FILE_SHA[:2]}/{FILE_SHA}",
        }
    ]
    assert sorted((e["object_type"], e["action"]) for e in sections["core.AuditEvent"]) == [
        ("commerce.customer", "customer.created"),
        ("commerce.customer", "customer.identity_added"),
        ("commerce.customer", "customer.identity_added"),
        ("tickets.message", "message.received"),
        ("tickets.message", "message.received"),
        ("tickets.ticket", "ticket.created"),
        ("tickets.ticket", "ticket.created"),
        ("tickets.ticket", "ticket.thread_attached"),
        ("tickets.ticket", "ticket.thread_attached"),
    ]
    ids = {(e["object_type"], e["object_id"]) for e in sections["core.AuditEvent"]}
    assert ("commerce.customer", str(world.jane.pk)) in ids
    assert ("tickets.ticket", str(world.max_ticket.pk)) not in ids


def test_export_leaves_out_the_other_customer(world: World) -> None:
    doc = customer_export(world.max)
    assert [t["id"] for t in doc["sections"]["tickets.Ticket"]] == [world.max_ticket.pk]
    assert doc["sections"]["signals.Theme"][0]["quotes"] == [
        {"text": "My parcel never arrived either", "kind": "ticket", "id": world.max_ticket.pk}
    ]
    assert doc["files"] == []


def test_customer_found_by_email_or_id(world: World) -> None:
    assert (customer_find("JANE.ROE@example.com").pk, customer_find(str(world.jane.pk)).pk) == (
        world.jane.pk, world.jane.pk,
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="privacy.customer_exported").count() == 0
