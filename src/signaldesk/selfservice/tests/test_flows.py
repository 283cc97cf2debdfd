"""The flows through their services: finding an order, its status, a return with an RMA and an
exchange size, answers, the hand-over ticket with its context, and the deflection rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from signaldesk.commerce.models import Return, ReturnStatus
from signaldesk.core.audit import Actor
from signaldesk.core.models import AuditEvent
from signaldesk.knowledge.models import KnowledgeQuestion
from signaldesk.selfservice.models import Flow, Outcome, SelfServiceSession
from signaldesk.selfservice.returns import return_lines, return_start
from signaldesk.selfservice.selectors import (
    ORDER_NOT_FOUND,
    OrderNotFound,
    deflection_by_flow,
    order_for_customer,
    order_number_spellings,
    order_status_view,
)
from signaldesk.selfservice.services import (
    handover_create,
    question_answer,
    session_resolve,
    session_start,
    sessions_close_idle,
)
from signaldesk.selfservice.tests.conftest import EMAIL, Store
from signaldesk.tickets.models import Channel, Direction

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")


@pytest.mark.parametrize(
    "written", ["#20001", "20001", " 20001 ", "order 20001", "Order no. 20001", "Bestellung 20001"]
)
def test_order_numbers_written_any_way_find_the_order(store: Store, written: str) -> None:
    assert order_for_customer(number=written, email=" Mia.Jensen@Example.com ") == store.delivered


def test_spellings_come_from_the_entity_extractor() -> None:
    assert order_number_spellings("order no. 20001") == ("#20001", "20001")
    assert order_number_spellings("") == ()


@pytest.mark.parametrize(
    ("number", "email"),
    [
        ("#20001", "someone.else@example.com"),  # the order exists, the email is wrong
        ("#99999", EMAIL),  # no such order
        ("#20001", "not an email"),
        ("", EMAIL),
    ],
)
def test_a_wrong_pair_gets_one_uniform_error(store: Store, number: str, email: str) -> None:
    with pytest.raises(OrderNotFound) as info:
        order_for_customer(number=number, email=email)
    assert (info.value.detail, info.value.code, info.value.status) == (
        ORDER_NOT_FOUND, "order_not_found", 404,
    )  # fmt: skip


def test_status_of_a_late_order_says_what_to_do(store: Store) -> None:
    view = order_status_view(store.late)
    shipment = view.shipments[0]
    assert (view.headline, view.late, view.investigate) == ("Your parcel is late.", True, True)
    assert (shipment.carrier, shipment.tracking_number, shipment.days_late) == (
        "UPS", "1Z999AA10123456784", 9,
    )  # fmt: skip
    assert shipment.tracking_url == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert shipment.promised_on == timezone.localdate() - dt.timedelta(days=9)


def test_status_of_delivered_and_travelling_orders(store: Store) -> None:
    delivered, on_way = order_status_view(store.delivered), order_status_view(store.on_way)
    assert (delivered.headline, delivered.late, delivered.shipments[0].days_late) == (
        "Your order has been delivered.", False, 0,
    )  # fmt: skip
    assert (on_way.headline, on_way.late, on_way.investigate) == (
        "Your order is on its way.", False, False,
    )  # fmt: skip


def test_return_lines_offer_the_neighbouring_sizes_of_the_same_colour(store: Store) -> None:
    (line,) = return_lines(store.delivered)
    assert (line.eligibility.eligible, line.larger, line.smaller) == (True, "L", "S")
    assert [(e.direction, e.sku) for e in line.exchanges] == [
        ("larger", "LIN-L-SND"), ("smaller", "LIN-S-SND"),
    ]  # fmt: skip
    (late_line,) = return_lines(store.late)
    assert (late_line.eligibility.eligible, late_line.eligibility.code) == (False, "not_delivered")


def test_a_sizing_return_with_exchange_gets_an_rma_and_the_next_size(store: Store) -> None:
    session = session_start(flow=Flow.RETURNS)
    started = return_start(
        session=session, order=store.delivered, line_no=1, reason_code="too_small",
        condition_code="unused", exchange=True, note="", actor=ACTOR,
    )  # fmt: skip
    created = Return.objects.get()
    assert (started.outcome, created.rma, created.exchange_sku, created.reason_code) == (
        "created", "RMA-20001-1", "LIN-L-SND", "too_small",
    )  # fmt: skip
    assert (created.status, created.refund_amount) == (ReturnStatus.APPROVED, Decimal("0.00"))
    session.refresh_from_db()
    assert (session.answered, session.step_reached, session.return_request_id) == (
        True, "rma_issued", created.pk,
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="selfservice.return_started").count() == 1
    (line,) = return_lines(store.delivered)
    assert line.eligibility.code == "already_returned"


def test_a_refund_return_for_changed_mind_deducts_the_fee(store: Store) -> None:
    session = session_start(flow=Flow.RETURNS)
    return_start(
        session=session, order=store.delivered, line_no=1, reason_code="changed_mind",
        condition_code="unused", exchange=True, note="Colour is off", actor=ACTOR,
    )  # fmt: skip
    created = Return.objects.get()
    assert (created.exchange_sku, created.refund_amount, created.reason_text) == (
        "", Decimal("54.95"), "Colour is off",
    )  # fmt: skip


@pytest.mark.parametrize(("condition", "outcome"), [("used", "refused"), ("faulty", "handover")])
def test_the_stated_condition_refuses_or_hands_over(
    store: Store, condition: str, outcome: str
) -> None:
    session = session_start(flow=Flow.RETURNS)
    started = return_start(
        session=session, order=store.delivered, line_no=1, reason_code="quality",
        condition_code=condition, exchange=False, note="", actor=ACTOR,
    )  # fmt: skip
    assert (started.outcome, started.return_request, Return.objects.count()) == (outcome, None, 0)


def test_still_need_help_opens_a_ticket_with_the_full_context(store: Store, articles: None) -> None:
    session = session_start(flow=Flow.QUESTION)
    answer = question_answer(session=session, question="My parcel is late, what now?")
    ticket = handover_create(
        session=session, email=EMAIL, name="Mia", message="It is a gift, I need it Friday.",
        order=store.late, actor=ACTOR,
    )  # fmt: skip
    assert [h.slug for h in answer.hits] == ["delivery"]
    assert (ticket.channel, ticket.customer_id, ticket.order_id) == (
        Channel.SELF_SERVICE, store.customer.pk, store.late.pk,
    )  # fmt: skip
    context = ticket.custom_fields["selfservice"]
    assert context == {
        "session": session.pk,
        "flow": "question",
        "step_reached": "handover",
        "question": "My parcel is late, what now?",
        "articles_shown": ["delivery"],
        "order": "#20002",
        "return_rma": "",
        "reason_id": "",
        "steps": ["start", "answers_shown", "order_found", "handover"],
    }
    inbound, note = ticket.messages.order_by("pk")
    assert (inbound.direction, inbound.body_text) == (
        Direction.INBOUND, "It is a gift, I need it Friday.",
    )  # fmt: skip
    assert (note.direction, note.author_label) == (Direction.NOTE, "Self-service")
    assert note.body_text == (
        "Handed over from self-service.\n"
        "Flow: question; step reached: handover.\n"
        "Steps: start → answers_shown → order_found → handover.\n"
        "Question asked: My parcel is late, what now?\n"
        "Articles shown: delivery.\n"
        "Order found: #20002."
    )
    session.refresh_from_db()
    assert (session.outcome, session.ticket_id) == (Outcome.HANDED_OVER, ticket.pk)
    assert list(KnowledgeQuestion.objects.values_list("escalated", flat=True)) == [True]
    again = handover_create(session=session, email=EMAIL, name="", message="x", actor=ACTOR)
    assert again.pk == ticket.pk


def test_an_order_status_handover_carries_the_reason(store: Store) -> None:
    session = session_start(flow=Flow.ORDER_STATUS)
    ticket = handover_create(
        session=session, email=EMAIL, name="", message="Still nothing", order=store.late,
        reason_id="lost_parcel", actor=ACTOR,
    )  # fmt: skip
    assert (ticket.contact_reason, ticket.reason_source) == ("lost_parcel", "self_service")


def test_deflection_rate_per_flow(store: Store) -> None:
    now = timezone.now()
    for flow, outcome in [
        (Flow.ORDER_STATUS, Outcome.RESOLVED),
        (Flow.ORDER_STATUS, Outcome.RESOLVED),
        (Flow.ORDER_STATUS, Outcome.RESOLVED),
        (Flow.ORDER_STATUS, Outcome.HANDED_OVER),
        (Flow.RETURNS, Outcome.RESOLVED),
        (Flow.RETURNS, Outcome.ABANDONED),
        (Flow.RETURNS, Outcome.OPEN),
    ]:
        SelfServiceSession.objects.filter(pk=session_start(flow=flow).pk).update(outcome=outcome)
    late = now + dt.timedelta(seconds=1)
    rows = {r.flow: r for r in deflection_by_flow(since=now - dt.timedelta(days=1), until=late)}
    assert [(f, r.started, r.ended, r.deflection_rate) for f, r in rows.items()] == [
        ("order_status", 4, 4, 0.75),
        ("returns", 3, 2, 0.5),
        ("question", 0, 0, None),
    ]


def test_idle_sessions_end_resolved_when_answered_else_abandoned(store: Store) -> None:
    answered, unanswered, fresh = (session_start(flow=Flow.ORDER_STATUS) for _ in range(3))
    old = timezone.now() - dt.timedelta(minutes=31)
    SelfServiceSession.objects.filter(pk=answered.pk).update(answered=True, updated_at=old)
    SelfServiceSession.objects.filter(pk=unanswered.pk).update(updated_at=old)
    assert sessions_close_idle(now=timezone.now(), actor=ACTOR) == {"resolved": 1, "abandoned": 1}
    assert sessions_close_idle(now=timezone.now(), actor=ACTOR) == {"resolved": 0, "abandoned": 0}
    outcomes = dict(SelfServiceSession.objects.values_list("pk", "outcome"))
    assert [outcomes[s.pk] for s in (answered, unanswered, fresh)] == [
        "resolved", "abandoned", "open",
    ]  # fmt: skip


def test_resolve_is_idempotent_and_never_reopens(store: Store) -> None:
    session = session_start(flow=Flow.QUESTION)
    session_resolve(session=session, actor=ACTOR)
    session_resolve(session=session, actor=ACTOR)
    session.refresh_from_db()
    assert session.outcome == Outcome.RESOLVED
    assert AuditEvent.objects.filter(action="selfservice.session_resolved").count() == 1


def test_demo_examples_find_one_order_per_flow(store: Store) -> None:
    from signaldesk.selfservice.examples import demo_examples

    assert [(e.flow, e.order_number, e.email) for e in demo_examples()] == [
        ("order_status", "#20002", EMAIL),
        ("order_status", "#20003", EMAIL),
        ("returns", "#20001", EMAIL),
    ]
