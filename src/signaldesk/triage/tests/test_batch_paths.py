"""The throughput paths of triage give the same stored results as the single-ticket path:
forked text workers with classification in the workers, vectorised classification, plain-row
order loading and the fast upsert conversion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.db import connection
from django.utils import timezone

from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent
from signaldesk.tickets.models import Ticket
from signaldesk.triage.classification import classify_tickets, predict_text
from signaldesk.triage.enrichment.catalog import catalog_current, catalog_invalidate
from signaldesk.triage.enrichment.parallel import TextStage, analyze_items
from signaldesk.triage.enrichment.rows import load_order_rows
from signaldesk.triage.enrichment.store import _plain_type, _prep
from signaldesk.triage.enrichment.text import (
    _segment_cache,
    analyze_text,
    segment_cache_clear,
    segments_for,
)
from signaldesk.triage.learning import registry
from signaldesk.triage.learning.models import ReasonPrediction
from signaldesk.triage.learning.services import model_train, model_version_create
from signaldesk.triage.models import OrderMatch, TicketEnrichment
from signaldesk.triage.services import ticket_triage, ticket_triage_many
from signaldesk.triage.tests.conftest import Store, make_ticket
from signaldesk.workflow.rules.engine import evaluate
from signaldesk.workflow.rules.facts import facts_for_ticket
from signaldesk.workflow.rules.services import DEFAULT_RULES, active_rules, ruleset_save

ACTOR = Actor.system("test")
TEXTS = [
    "Order #10023: the merino crew sweater is damaged, this is unacceptable!!",
    "UPS tracking 1Z999AA10123456784 - nothing arrived",
    "My order #20001 is late, I will call my lawyer",
    "Where is my parcel?",
    "Meine Bestellung ist kaputt angekommen, ich will mein Geld zurück",
    "I want a refund for the linen camp shirt size S please",
]
TICKET_FIELDS = (
    "order_id", "variant_id", "language", "sentiment", "risk_flags", "priority",
    "contact_reason", "reason_confidence", "reason_source", "taxonomy_version",
)  # fmt: skip


@pytest.fixture
def model(db: None, settings: LazySettings, tmp_path: Path) -> Iterator[None]:
    settings.VAR_DIR = tmp_path
    settings.SIGNALDESK_CLASSIFIER_KIND = "tfidf"
    registry.clear_cache()
    model_train(version_id=model_version_create(actor=ACTOR).pk, actor=ACTOR)
    ruleset_save(yaml_text=DEFAULT_RULES.read_text(), actor=ACTOR, now=timezone.now())
    yield
    registry.clear_cache()


def _tickets(store: Store) -> list[Ticket]:
    tickets = [make_ticket(store.ana, text, subject="Help") for text in TEXTS]
    tickets.append(make_ticket(store.bob, "Order #20001?", contact_reason="complaint",
                               reason_source="agent"))  # fmt: skip
    tickets.append(make_ticket(None, "Is the linen camp shirt in stock?"))
    return tickets


def _values(ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = Ticket.objects.filter(id__in=ids).values("id", *TICKET_FIELDS)
    return {row.pop("id"): row for row in rows}


def _last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _stored(ids: list[int], audit_after: int) -> dict[str, Any]:
    rules = active_rules()
    assert rules is not None
    enrichments = {
        row["ticket_id"]: {k: v for k, v in row.items() if k not in ("id", "computed_at")}
        for row in TicketEnrichment.objects.filter(ticket_id__in=ids).values()
    }
    predictions = list(
        ReasonPrediction.objects.filter(ticket_id__in=ids)
        .order_by("ticket_id")
        .values_list("ticket_id", "reason", "confidence", "threshold", "top3", "needs_review")
    )
    fired = {i: evaluate(rules.rules, facts_for_ticket(i)).fired for i in ids}
    events = AuditEvent.objects.filter(action="ticket.triaged", id__gt=audit_after)
    audited = sorted(int(i) for i in events.values_list("object_id", flat=True))
    return {"enrichments": enrichments, "tickets": _values(ids), "predictions": predictions,
            "fired": fired, "audited": audited}  # fmt: skip


def _reset(ids: list[int], before: dict[int, dict[str, Any]]) -> None:
    """Back to the untriaged state (the audit log is append-only: later events are counted)."""
    TicketEnrichment.objects.filter(ticket_id__in=ids).delete()
    ReasonPrediction.objects.filter(ticket_id__in=ids).delete()
    for ticket_id, fields in before.items():
        Ticket.objects.filter(pk=ticket_id).update(**fields)


def test_batch_with_workers_stores_what_the_single_ticket_path_stores(
    store: Store, model: None
) -> None:
    ids = [t.pk for t in _tickets(store)]
    before = _values(ids)

    start = _last_audit_id()
    summary = ticket_triage_many(ticket_ids=ids, actor=ACTOR, chunk_size=3, workers=2)
    batch = _stored(ids, start)
    _reset(ids, before)
    start = _last_audit_id()
    for ticket_id in ids:
        ticket_triage(ticket_id=ticket_id, actor=ACTOR)
    single = _stored(ids, start)

    assert single == batch
    assert (summary.tickets, summary.changed) == (8, 8)
    assert summary.by_order_match == {
        OrderMatch.QUOTED: 2, OrderMatch.TRACKING: 1, OrderMatch.INFERRED: 4, "none": 1,
    }  # fmt: skip
    assert len(batch["predictions"]) == 7  # not the agent's ticket
    assert batch["audited"] == ids
    assert [batch["fired"][i] for i in ids] == [
        [], ["damaged_item_high_value"], ["legal_or_safety_risk"], [], ["language_routing"],
        [], [], [],
    ]  # fmt: skip
    assert [batch["tickets"][i]["reason_source"] for i in ids] == [
        "model", "model", "model", "model", "model", "model", "agent", "model",
    ]  # fmt: skip


def test_text_workers_give_the_inline_signals_and_predictions(store: Store, model: None) -> None:
    items = [("Help", [(i, text)]) for i, text in enumerate(TEXTS * 20)]  # 3 pieces of 50
    catalog = catalog_current().catalog
    loaded = registry.active_model()
    assert loaded is not None

    with TextStage(catalog, workers=2, classifier=loaded.classifier) as stage:
        signals, predictions = stage.submit(items).get()

    assert signals == analyze_items(items, catalog)
    assert predictions == loaded.classifier.predict([s.text for s in signals])


def test_inline_stage_leaves_classification_to_the_caller(store: Store) -> None:
    items = [("Help", [(1, TEXTS[0])]), ("", [])]
    catalog_invalidate()
    catalog = catalog_current().catalog

    with TextStage(catalog, workers=0) as stage:
        signals, predictions = stage.submit(items).get()

    assert predictions is None
    assert [s.language for s in signals] == ["en", "und"]
    assert [s.text for s in signals] == [f"Help\n\n{TEXTS[0]}", ""]


def test_classify_tickets_matches_one_text_at_a_time(store: Store, model: None) -> None:
    tickets = _tickets(store)[:4]
    texts = [*TEXTS[:3], "   "]

    got = classify_tickets(tickets=tickets, texts=texts)

    expected = [predict_text(t) for t in texts]
    assert got == expected
    assert got[3] is None
    assert ReasonPrediction.objects.filter(ticket_id__in=[t.pk for t in tickets]).count() == 3


def test_order_rows_hold_what_the_join_reads(store: Store) -> None:
    rows = load_order_rows([store.order.pk, store.bob_order.pk, store.order.pk])

    order = rows[store.order.pk]
    assert sorted(rows) == sorted([store.order.pk, store.bob_order.pk])
    assert (order.number, order.total, order.campaign, order.region) == (
        "#10023", Decimal("129.80"), "autumn-sale", "DE-East",
    )  # fmt: skip
    assert [(ln.sku, ln.variant.sku if ln.variant else None) for ln in order.lines] == [
        ("MER-CRW-M", "MER-CRW-M"), ("LIN-CMP-S", "LIN-CMP-S"),
    ]  # fmt: skip
    assert order.lines[0].batch is not None
    assert (order.lines[0].batch.code, order.lines[0].batch.supplier_name) == (
        "B-2026-07", "Lanificio Nord",
    )  # fmt: skip
    assert order.lines[1].batch is None
    assert order.lines[0].variant is not None
    assert order.lines[0].variant.supplier_name == "Baltic Linen Works"
    (shipment,) = order.shipments
    assert (shipment.tracking_number, shipment.promised_at) == (
        "1Z999AA10123456784", dt.date(2026, 11, 15),
    )  # fmt: skip
    assert [(i.sku, i.batch.code if i.batch else None) for i in shipment.items] == [
        ("MER-CRW-M", "B-2026-07"), ("LIN-CMP-S", None),
    ]  # fmt: skip
    assert [(r.rma, r.status) for r in order.returns] == [("RMA-1", "approved")]
    assert sorted((r.status, r.amount) for r in order.refunds) == [
        ("approved", Decimal("59.90")), ("denied", Decimal("15.00")),
    ]  # fmt: skip
    assert load_order_rows([]) == {}


CONVERSIONS = [
    ("sku", "abc"), ("sku", 3), ("days_late", 3), ("days_late", None), ("sentiment", 2.5),
    ("sentiment", 3), ("is_vip", True), ("order_match", OrderMatch.QUOTED), ("order", 7),
    ("order_value", Decimal("1.50")), ("promised_date", dt.date(2026, 11, 20)),
    ("as_of", dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)), ("risk_flags", [{"kind": "x"}]),
    ("entities", {"emails": []}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "value"), CONVERSIONS)
def test_upsert_conversion_equals_the_orm_conversion(db: None, name: str, value: object) -> None:
    field = TicketEnrichment._meta.get_field(name)
    expected = field.get_db_prep_save(value, connection)  # type: ignore[union-attr]

    got = _prep(field, value, _plain_type(field))  # type: ignore[arg-type]

    assert (repr(got), type(got)) == (repr(expected), type(expected))


def test_segment_memo_gives_the_cold_result_and_follows_the_catalog(store: Store) -> None:
    catalog = catalog_current().catalog
    segment_cache_clear()
    segments = segments_for("Where is my order?", [(1, TEXTS[0]), (2, "Where is my order?")])

    cold = analyze_text(segments, catalog)
    warm = analyze_text(segments, catalog)
    entries = len(_segment_cache)
    without_catalog = analyze_text(segments, None)

    assert warm == cold
    assert entries == 2  # the subject and the repeated body share one entry
    assert [p.sku for p in cold.products] == ["MER-CRW-L", "MER-CRW-M"]
    assert without_catalog.products == []
    assert len(_segment_cache) == 2  # emptied for the new catalog, refilled
