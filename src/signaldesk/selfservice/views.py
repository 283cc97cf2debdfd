"""Public help pages under /help/: ask a question, track an order, start a return, and "still need
help" to open a ticket. No sign-in: every view is marked public, rate limited per caller
("selfservice" scope), CSRF-protected on POST, and renders customer text auto-escaped.

The self-service session of each flow is kept in the Django session (server side), and so is the
order a customer proved with number + email, so later steps never take an order id from a form."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from signaldesk.commerce.models import Order, Return, Variant
from signaldesk.console.access import public_view
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound, RateLimited, SignalDeskError
from signaldesk.core.ratelimit import client_ip, rate_limit_check, rate_limited_response
from signaldesk.knowledge.render import article_html
from signaldesk.knowledge.selectors import article_published
from signaldesk.selfservice.eligibility import returns_policy
from signaldesk.selfservice.links import return_document_token, rma_from_token
from signaldesk.selfservice.models import Flow, Outcome, SelfServiceSession
from signaldesk.selfservice.returns import refund_estimate, return_lines, return_start
from signaldesk.selfservice.selectors import (
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

ACTOR = Actor.system("selfservice")
View = Callable[..., HttpResponseBase]


def public_help(view: View) -> View:
    """Public and rate limited (one count per request, keyed by the caller's address)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            rate_limit_check(scope="selfservice", key=client_ip(request), now=timezone.now())
        except RateLimited as exc:
            return rate_limited_response(exc)
        return view(request, *args, **kwargs)

    return public_view(wrapper)


def _flow_session(request: HttpRequest, flow: str, *, create: bool) -> SelfServiceSession | None:
    """The customer's open session of a flow (a new one when create=True and none is open)."""
    token = request.session.get(f"selfservice:{flow}")
    if token:
        try:
            session = session_by_token(token=token, flow=flow)
        except NotFound:
            session = None
        if session is not None and session.outcome == Outcome.OPEN:
            return session
    if not create:
        return None
    session = session_start(flow=flow)
    request.session[f"selfservice:{flow}"] = session.token
    return session


def _proven_order(request: HttpRequest, session: SelfServiceSession) -> Order | None:
    """The order this browser proved (number + email) for this session, if any."""
    proven = request.session.get("selfservice:orders", {})
    order_id = proven.get(session.token)
    if order_id is None or session.order_id != order_id:
        return None
    return Order.objects.filter(pk=order_id).first()


def _prove_order(request: HttpRequest, session: SelfServiceSession, order: Order) -> None:
    proven = dict(request.session.get("selfservice:orders", {}))
    proven[session.token] = order.pk
    request.session["selfservice:orders"] = proven
    request.session["selfservice:email"] = str(request.POST.get("email", "")).strip().lower()[:254]
    session_order_found(session=session, order=order)


def _lookup(request: HttpRequest, session: SelfServiceSession) -> tuple[Order | None, str]:
    try:
        order = order_for_customer(
            number=str(request.POST.get("order_number", "")),
            email=str(request.POST.get("email", "")),
        )
    except NotFound as exc:
        return None, exc.detail
    _prove_order(request, session, order)
    return order, ""


def _with_email(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    """The email the customer proved an order with, to prefill "still need help"."""
    return context | {"email": request.session.get("selfservice:email", "")}


def _base(request: HttpRequest, flow: str, **extra: Any) -> dict[str, Any]:
    return {
        "flow": flow,
        "email": request.session.get("selfservice:email", ""),
        "reasons": [],
        **extra,
    }


@require_http_methods(["GET", "POST"])
@public_help
def help_home(request: HttpRequest) -> HttpResponse:
    context = _base(request, Flow.QUESTION)
    if request.method == "POST":
        session = _flow_session(request, Flow.QUESTION, create=True)
        assert session is not None
        try:
            answer = question_answer(session=session, question=str(request.POST.get("q", "")))
        except SignalDeskError as exc:
            context["error"] = exc.detail
        else:
            context |= {"answer": answer, "session": session, "asked": True}
    return render(request, "selfservice/help.html", context)


@require_GET
@public_help
def article(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        found = article_published(slug=slug)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    html = mark_safe(article_html(found.body))  # noqa: S308 - sanitised by nh3 in article_html
    context = {"article": found, "html": html, "flow": Flow.QUESTION}
    return render(request, "selfservice/article.html", context)


@require_http_methods(["GET", "POST"])
@public_help
def order_status(request: HttpRequest) -> HttpResponse:
    context = _base(request, Flow.ORDER_STATUS)
    if request.method == "POST":
        session = _flow_session(request, Flow.ORDER_STATUS, create=True)
        assert session is not None
        order, error = _lookup(request, session)
        if order is None:
            context |= {"error": error, "order_number": request.POST.get("order_number", "")}
        else:
            view = order_status_view(order)
            session_answered(session=session, step="status_shown", data={"late": view.late})
            reason = view.handover_reason
            context |= {"status": view, "session": session, "handover_reason": reason}
    return render(request, "selfservice/order_status.html", _with_email(request, context))


@require_http_methods(["GET", "POST"])
@public_help
def returns(request: HttpRequest) -> HttpResponse:
    """Step 1: prove the order. Step 2 (?line=N): reason, condition, exchange. Step 3: RMA."""
    policy = returns_policy()
    context = _base(request, Flow.RETURNS, policy=policy)
    session = _flow_session(request, Flow.RETURNS, create=request.method == "POST")
    order = _proven_order(request, session) if session is not None else None
    if request.method == "POST" and request.POST.get("step") == "lookup":
        assert session is not None
        order, error = _lookup(request, session)
        if order is None:
            context |= {"error": error, "order_number": request.POST.get("order_number", "")}
            return render(request, "selfservice/returns.html", context)
    if order is None or session is None:
        return render(request, "selfservice/returns.html", context)
    lines = return_lines(order)
    context = _with_email(request, context) | {"order": order, "lines": lines, "session": session}
    chosen = request.POST.get("line_no") or request.GET.get("line")
    line = next((ln for ln in lines if str(ln.line_no) == str(chosen)), None)
    if line is None:
        return render(request, "selfservice/returns.html", context)
    context["line"] = line
    if request.method == "POST" and request.POST.get("step") == "start":
        return _return_submit(request, session, order, line.line_no, context)
    return render(request, "selfservice/returns.html", context)


def _return_submit(
    request: HttpRequest,
    session: SelfServiceSession,
    order: Order,
    line_no: int,
    context: dict[str, Any],
) -> HttpResponse:
    try:
        started = return_start(
            session=session,
            order=order,
            line_no=line_no,
            reason_code=str(request.POST.get("reason", "")),
            condition_code=str(request.POST.get("condition", "")),
            exchange=request.POST.get("exchange") == "yes",
            note=str(request.POST.get("note", "")),
            actor=ACTOR,
        )
    except SignalDeskError as exc:
        context["error"] = exc.detail
        return render(request, "selfservice/returns.html", context)
    if started.return_request is None:
        reason = started.reason.taxonomy_reason if started.reason else ""
        context |= {
            "refused": started.message,
            "handover_offered": True,
            "handover_reason": reason,
            "outcome": started.outcome,
        }
        return render(request, "selfservice/returns.html", context)
    token = return_document_token(started.return_request.rma)
    return redirect("selfservice:return_done", token=token)


def _return_for(token: str) -> Return:
    try:
        rma = rma_from_token(token)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    found = Return.objects.select_related("order", "variant").filter(rma=rma).first()
    if found is None:
        raise Http404("No such return.")
    return found


def _document_context(token: str) -> dict[str, Any]:
    found = _return_for(token)
    policy = returns_policy()
    reason = next((r for r in policy.reasons if r.code == found.reason_code), None)
    lines = {ln.sku: ln for ln in return_lines(found.order)}
    line = lines.get(found.sku)
    shipment = found.order.shipments.order_by("pk").first()
    return {
        "ret": found,
        "reason": reason,
        "line": line,
        "free_label": bool(reason and reason.free_label),
        "fee": policy.return_fee,
        "refund": refund_estimate(line, reason, policy) if line and reason else None,
        "warehouse": shipment.warehouse if shipment else "",
        "exchange": Variant.objects.filter(sku=found.exchange_sku).first()
        if found.exchange_sku
        else None,
        "token": token,
        "flow": Flow.RETURNS,
    }


@require_GET
@public_help
def return_done(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "selfservice/return_done.html", _document_context(token))


@require_GET
@public_help
def return_document(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "selfservice/return_document.html", _document_context(token))


@require_POST
@public_help
def resolve(request: HttpRequest) -> HttpResponse:
    flow = str(request.POST.get("flow", ""))
    session = _flow_session(request, flow, create=False) if flow in Flow.values else None
    if session is not None:
        session_resolve(session=session, actor=ACTOR)
    return render(request, "selfservice/resolved.html", {"flow": flow})


@require_POST
@public_help
def handover(request: HttpRequest) -> HttpResponse:
    """ "Still need help": open a ticket carrying the question, the articles shown, the order
    found and the step reached."""
    flow = str(request.POST.get("flow", ""))
    if flow not in Flow.values:
        raise Http404("Unknown help flow.")
    session = _flow_session(request, flow, create=True)
    assert session is not None
    order = _proven_order(request, session)
    number = str(request.POST.get("order_number", "")).strip()
    email = str(request.POST.get("email", ""))
    if order is None and number:
        try:
            order = order_for_customer(number=number, email=email)
        except NotFound:
            order = None  # the agent sees the number in the message; nothing is revealed here
    message = str(request.POST.get("message", ""))
    if number and order is None:
        message = f"{message}\n(Order number given: {number[:40]})".strip()
    try:
        ticket = handover_create(
            session=session,
            email=email,
            name=str(request.POST.get("name", "")),
            message=message,
            reason_id=str(request.POST.get("reason", "")),
            order=order,
            actor=ACTOR,
        )
    except SignalDeskError as exc:
        context = _base(request, flow, error=exc.detail, session=session)
        return render(request, "selfservice/handover_form.html", context, status=400)
    request.session.pop(f"selfservice:{flow}", None)
    request.session["selfservice:ticket"] = ticket.pk
    return redirect("selfservice:handover_done")


@require_GET
@public_help
def handover_done(request: HttpRequest) -> HttpResponse:
    ref = request.session.get("selfservice:ticket")
    return render(request, "selfservice/handover_done.html", {"ref": ref, "flow": ""})
