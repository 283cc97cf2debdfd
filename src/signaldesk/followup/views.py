"""Console pages for follow-up (follow-ups queue for leads; CSAT/NPS and macro outcome reports)
and the customer's public survey page (signed link, rate limited, CSRF-protected form)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from signaldesk.console.access import public_view, role_required
from signaldesk.core.audit import Actor
from signaldesk.core.errors import Conflict, RateLimited, SignalDeskError
from signaldesk.core.ratelimit import client_ip, rate_limit_check, rate_limited_response
from signaldesk.followup.config import SurveyLinkError
from signaldesk.followup.models import FollowUpStatus
from signaldesk.followup.selectors import DIMENSIONS, followups, macro_outcomes, survey_results
from signaldesk.followup.services import followup_close, survey_answer, survey_from_token

QUEUE_LIMIT = 200


@require_GET
@role_required("followup.manage")
def queue(request: HttpRequest) -> HttpResponse:
    context = {
        "open": list(followups(status=FollowUpStatus.OPEN)[:QUEUE_LIMIT]),
        "section": "followups",
    }
    return render(request, "followup/queue.html", context)


@require_POST
@role_required("followup.manage")
def close(request: HttpRequest, followup_id: int) -> HttpResponse:
    try:
        followup_close(
            followup_id=followup_id, note=str(request.POST.get("note", "")),
            user=request.user, actor=Actor.of_user(request.user), now=timezone.now(),  # type: ignore[arg-type]
        )  # fmt: skip
    except SignalDeskError as exc:
        if exc.code == "not_found":
            raise Http404(exc.detail) from exc
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Follow-up #{followup_id} closed.")
    return redirect("followup:queue")


@require_GET
@role_required("metrics.read")
def results(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "reason")
    by = by if by in DIMENSIONS else "reason"
    context = {
        "rows": survey_results(by=by),
        "by": by,
        "dimensions": DIMENSIONS,
        "section": "surveys",
    }
    return render(request, "followup/results.html", context)


@require_GET
@role_required("metrics.read")
def macros(request: HttpRequest) -> HttpResponse:
    return render(request, "followup/macros.html", {"rows": macro_outcomes(), "section": "surveys"})


def _page(request: HttpRequest, state: str, status: int = 200, **extra: object) -> HttpResponse:
    return render(request, "followup/survey.html", {"state": state, **extra}, status=status)


@public_view
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's survey: anonymous, reached through the signed link of the email."""
    now = timezone.now()
    try:
        rate_limit_check(scope="survey", key=client_ip(request), now=now)
    except RateLimited as exc:
        return rate_limited_response(exc)
    try:
        found = survey_from_token(token=token, now=now)
    except SurveyLinkError as exc:
        return _page(request, "invalid", status=400, detail=exc.detail)
    if found.answered_at is not None:
        return _page(request, "answered")
    if request.method == "GET":
        return _page(request, "form", csat_choices=range(1, 6), nps_choices=range(0, 11))
    try:
        answered = survey_answer(
            token=token, csat=request.POST.get("csat"), nps=request.POST.get("nps"),
            comment=str(request.POST.get("comment", "")), now=now,
        )  # fmt: skip
    except Conflict:
        return _page(request, "answered")
    except SignalDeskError as exc:
        return _page(
            request, "form", status=422, error=exc.detail,
            csat_choices=range(1, 6), nps_choices=range(0, 11),
        )  # fmt: skip
    return _page(request, "thanks", low=hasattr(answered, "followup"))
