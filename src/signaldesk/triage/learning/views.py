"""Console pages of the learning loop: the needs-review queue (staff) and the model registry
(managers). Views parse, authorise, call one selector or service, and render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from signaldesk.console.access import role_required
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound, SignalDeskError
from signaldesk.triage.learning import selectors, services
from signaldesk.triage.learning.models import ReasonPrediction

REVIEW_PAGE_SIZE = 50


@require_GET
@role_required("tickets.review")
def review_queue(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.review_queue()[:REVIEW_PAGE_SIZE])
    context = {"rows": rows, "total": selectors.review_count(), "section": "review"}
    return render(request, "triage_learning/review.html", context)


@require_POST
@role_required("tickets.review")
def review_decide(request: HttpRequest, prediction_id: int) -> HttpResponse:
    """One click on a reason: the agent's answer (reason_correct); the row leaves the queue."""
    prediction = ReasonPrediction.objects.select_related("ticket").filter(pk=prediction_id).first()
    if prediction is None:
        raise Http404("No such prediction.")
    reason = request.POST.get("reason", "")
    try:
        services.reason_correct(
            ticket=prediction.ticket, reason_id=reason, actor=Actor.of_user(request.user)
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except SignalDeskError as exc:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(exc.detail, status=422)
        messages.error(request, exc.detail)
        return redirect("learning:review")
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse("")  # hx-swap="outerHTML" on the row: the row disappears
    messages.success(request, f"Ticket #{prediction.ticket_id} set to {reason}.")
    return redirect("learning:review")


@require_GET
@role_required("models.manage")
def models_page(request: HttpRequest) -> HttpResponse:
    versions = list(selectors.model_versions()[:50])
    return render(
        request, "triage_learning/models.html", {"versions": versions, "section": "models"}
    )


@require_POST
@role_required("models.manage")
def model_activate(request: HttpRequest, version_id: int) -> HttpResponse:
    try:
        version = services.model_activate(version_id=version_id, actor=Actor.of_user(request.user))
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Model v{version.version} is now active.")
    return redirect("learning:models")


@require_POST
@role_required("models.manage")
def model_retrain(request: HttpRequest) -> HttpResponse:
    try:
        version = services.model_retrain_request(actor=Actor.of_user(request.user))
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Retraining queued as v{version.version}.")
    return redirect("learning:models")
