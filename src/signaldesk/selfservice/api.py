"""Public self-service API under /api/v1/selfservice/ (no sign-in; every call is rate limited
per caller with the "selfservice" scope). Order data needs the order number AND its email; a
wrong pair gets one uniform 404. The deflection report needs selfservice.report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.core.ratelimit import client_ip, rate_limit_check
from signaldesk.selfservice.eligibility import returns_policy
from signaldesk.selfservice.links import return_document_token
from signaldesk.selfservice.models import Flow, SelfServiceSession
from signaldesk.selfservice.returns import return_lines, return_start
from signaldesk.selfservice.selectors import (
    deflection_by_flow,
    order_for_customer,
    order_status_view,
    session_by_token,
)
from signaldesk.selfservice.services import (
    handover_create,
    question_answer,
    session_answered,
    session_order_found,
    session_resolve,
    session_start,
)

selfservice_router = Router(tags=["selfservice"])
ACTOR = Actor.system("selfservice")


def _limit(request: HttpRequest) -> None:
    rate_limit_check(scope="selfservice", key=client_ip(request), now=timezone.now())


def _session(token: str | None, flow: str) -> SelfServiceSession:
    return session_by_token(token=token, flow=flow) if token else session_start(flow=flow)


class SessionIn(Schema):
    flow: str = Field(..., max_length=20)


class SessionOut(Schema):
    token: str
    flow: str
    outcome: str


class OrderIn(Schema):
    token: str | None = Field(None, max_length=64)
    order_number: str = Field(..., max_length=80)
    email: str = Field(..., max_length=254)


class ShipmentOut(Schema):
    carrier: str
    tracking_number: str
    tracking_url: str
    status: str
    status_label: str
    shipped_on: dt.date | None
    promised_on: dt.date | None
    delivered_on: dt.date | None
    days_late: int
    investigate: bool


class OrderStatusOut(Schema):
    token: str
    number: str
    placed_on: dt.date
    headline: str
    advice: str
    late: bool
    investigate: bool
    shipments: list[ShipmentOut]


class ExchangeOut(Schema):
    direction: str
    size: str
    sku: str


class ReturnLineOut(Schema):
    line_no: int
    name: str
    sku: str
    size: str
    eligible: bool
    eligibility: str
    message: str
    last_day: dt.date | None
    exchanges: list[ExchangeOut]


class OptionOut(Schema):
    code: str
    label: str


class ReturnOptionsOut(Schema):
    token: str
    number: str
    lines: list[ReturnLineOut]
    reasons: list[OptionOut]
    conditions: list[OptionOut]


class ReturnIn(OrderIn):
    line_no: int
    reason: str = Field(..., max_length=40)
    condition: str = Field(..., max_length=40)
    exchange: bool = False
    note: str = Field("", max_length=2000)


class ReturnOut(Schema):
    token: str
    outcome: str
    message: str
    rma: str = ""
    exchange_sku: str = ""
    refund_amount: Decimal | None = None
    document_url: str = ""


class QuestionIn(Schema):
    token: str | None = Field(None, max_length=64)
    question: str = Field(..., max_length=500)


class AnswerOut(Schema):
    slug: str
    title: str
    snippet: str
    score: float
    coverage: float
    url: str


class AnswersOut(Schema):
    token: str
    question: str
    answers: list[AnswerOut]


class HandoverIn(Schema):
    email: str = Field(..., max_length=254)
    name: str = Field("", max_length=200)
    message: str = Field("", max_length=4000)
    reason: str = Field("", max_length=60)


class HandoverOut(Schema):
    token: str
    ticket_ref: str
    outcome: str


class DeflectionOut(Schema):
    flow: str
    label: str
    started: int
    open: int
    resolved: int
    handed_over: int
    abandoned: int
    deflection_rate: float | None
    handover_rate: float | None


@selfservice_router.post("/sessions", response={201: SessionOut}, auth=None)
def selfservice_session_start(request: HttpRequest, payload: SessionIn) -> Status[SessionOut]:
    _limit(request)
    session = session_start(flow=payload.flow)
    return Status(201, SessionOut(token=session.token, flow=session.flow, outcome=session.outcome))


@selfservice_router.post("/order-status", response=OrderStatusOut, auth=None)
def selfservice_order_status(request: HttpRequest, payload: OrderIn) -> OrderStatusOut:
    _limit(request)
    session = _session(payload.token, Flow.ORDER_STATUS)
    order = order_for_customer(number=payload.order_number, email=payload.email)
    session_order_found(session=session, order=order)
    view = order_status_view(order)
    session_answered(session=session, step="status_shown", data={"late": view.late})
    return OrderStatusOut(
        token=session.token,
        number=view.number,
        placed_on=view.placed_on,
        headline=view.headline,
        advice=view.advice,
        late=view.late,
        investigate=view.investigate,
        shipments=[ShipmentOut(**s.__dict__) for s in view.shipments],
    )


@selfservice_router.post("/returns/options", response=ReturnOptionsOut, auth=None)
def selfservice_return_options(request: HttpRequest, payload: OrderIn) -> ReturnOptionsOut:
    _limit(request)
    session = _session(payload.token, Flow.RETURNS)
    order = order_for_customer(number=payload.order_number, email=payload.email)
    session_order_found(session=session, order=order)
    policy = returns_policy()
    return ReturnOptionsOut(
        token=session.token,
        number=order.number,
        lines=[
            ReturnLineOut(
                line_no=ln.line_no,
                name=ln.name,
                sku=ln.sku,
                size=ln.size,
                eligible=ln.eligibility.eligible,
                eligibility=ln.eligibility.code,
                message=ln.eligibility.message,
                last_day=ln.eligibility.last_day,
                exchanges=[ExchangeOut(**e.__dict__) for e in ln.exchanges],
            )
            for ln in return_lines(order)
        ],
        reasons=[OptionOut(code=r.code, label=r.label) for r in policy.reasons],
        conditions=[OptionOut(code=c.code, label=c.label) for c in policy.conditions],
    )


@selfservice_router.post("/returns", response={201: ReturnOut, 200: ReturnOut}, auth=None)
def selfservice_return_start(request: HttpRequest, payload: ReturnIn) -> Status[ReturnOut]:
    _limit(request)
    session = _session(payload.token, Flow.RETURNS)
    order = order_for_customer(number=payload.order_number, email=payload.email)
    session_order_found(session=session, order=order)
    started = return_start(
        session=session,
        order=order,
        line_no=payload.line_no,
        reason_code=payload.reason,
        condition_code=payload.condition,
        exchange=payload.exchange,
        note=payload.note,
        actor=ACTOR,
    )
    created = started.return_request
    if created is None:
        return Status(
            200, ReturnOut(token=session.token, outcome=started.outcome, message=started.message)
        )
    url = reverse("selfservice:return_document", args=[return_document_token(created.rma)])
    return Status(
        201,
        ReturnOut(
            token=session.token,
            outcome=started.outcome,
            message=started.message,
            rma=created.rma,
            exchange_sku=created.exchange_sku,
            refund_amount=created.refund_amount,
            document_url=request.build_absolute_uri(url),
        ),
    )


@selfservice_router.post("/answers", response=AnswersOut, auth=None)
def selfservice_answers(request: HttpRequest, payload: QuestionIn) -> AnswersOut:
    _limit(request)
    session = _session(payload.token, Flow.QUESTION)
    answer = question_answer(session=session, question=payload.question)
    return AnswersOut(
        token=session.token,
        question=answer.question,
        answers=[
            AnswerOut(
                slug=h.slug,
                title=h.title,
                snippet=h.passage.text,
                score=round(h.score, 4),
                coverage=round(h.coverage, 4),
                url=request.build_absolute_uri(reverse("selfservice:article", args=[h.slug])),
            )
            for h in answer.hits
        ],
    )


@selfservice_router.post("/sessions/{token}/resolve", response=SessionOut, auth=None)
def selfservice_session_resolve(request: HttpRequest, token: str) -> SessionOut:
    _limit(request)
    session = session_resolve(session=session_by_token(token=token), actor=ACTOR)
    return SessionOut(token=session.token, flow=session.flow, outcome=session.outcome)


@selfservice_router.post("/sessions/{token}/handover", response={201: HandoverOut}, auth=None)
def selfservice_handover(
    request: HttpRequest, token: str, payload: HandoverIn
) -> Status[HandoverOut]:
    _limit(request)
    session = session_by_token(token=token)
    ticket = handover_create(
        session=session,
        email=payload.email,
        name=payload.name,
        message=payload.message,
        reason_id=payload.reason,
        actor=ACTOR,
    )
    out = HandoverOut(token=session.token, ticket_ref=f"#{ticket.pk}", outcome="handed_over")
    return Status(201, out)


class DeflectionQuery(Schema):
    days: int = Field(30, ge=1, le=366)


@selfservice_router.get("/deflection", response=list[DeflectionOut], auth=api_auth)
def selfservice_deflection(
    request: HttpRequest, filters: Query[DeflectionQuery]
) -> list[DeflectionOut]:
    authorize(request, "selfservice.report")
    until = timezone.now()
    rows = deflection_by_flow(since=until - dt.timedelta(days=filters.days), until=until)
    return [
        DeflectionOut(
            **{k: v for k, v in r.__dict__.items()},
            deflection_rate=r.deflection_rate,
            handover_rate=r.handover_rate,
        )
        for r in rows
    ]
