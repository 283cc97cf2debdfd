"""Console pages for response quality (leads): the QA review queue, the rubric form of one
review, and QA results by agent, reason or macro with CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from signaldesk.console.access import role_required
from signaldesk.core.audit import Actor
from signaldesk.core.errors import SignalDeskError
from signaldesk.quality.api import csv_response
from signaldesk.quality.models import ReviewStatus
from signaldesk.quality.rubric import quality_config
from signaldesk.quality.scorecard import SUBSCORES
from signaldesk.quality.selectors import DIMENSIONS, qa_results, review_get, review_queue
from signaldesk.quality.services import review_submit

QUEUE_LIMIT = 200
DONE_LIMIT = 50


def _by(request: HttpRequest) -> str:
    by = request.GET.get("by", "agent")
    return by if by in DIMENSIONS else "agent"


@require_GET
@role_required("quality.review")
def queue(request: HttpRequest) -> HttpResponse:
    context = {
        "pending": list(review_queue(status=ReviewStatus.PENDING)[:QUEUE_LIMIT]),
        "done": list(review_queue(status=ReviewStatus.DONE).order_by("-reviewed_at")[:DONE_LIMIT]),
        "section": "quality",
    }
    return render(request, "quality/queue.html", context)


@require_http_methods(["GET", "POST"])
@role_required("quality.review")
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    found = review_get(review_id=review_id)
    if found is None:
        raise Http404("No such review.")
    config = quality_config()
    if request.method == "POST":
        scores = {c: request.POST.get(f"score_{c}", "") for c in config.criterion_ids}
        try:
            review_submit(
                review_id=found.pk, reviewer=request.user, scores=scores,  # type: ignore[arg-type]
                comment=str(request.POST.get("comment", "")), actor=Actor.of_user(request.user),
            )  # fmt: skip
        except SignalDeskError as exc:
            messages.error(request, exc.detail)
            return redirect("quality:review", review_id=found.pk)
        messages.success(request, f"Review #{found.pk} saved.")
        return redirect("quality:queue")
    card = found.scorecard
    context = {
        "review": found,
        "card": card,
        "subscores": [
            (name, getattr(card, name), card.reasons.get(name, [])) for name in SUBSCORES
        ],
        "criteria": [(c, found.scores.get(c.id)) for c in config.criteria],
        "choices": range(1, 6),
        "section": "quality",
    }
    return render(request, "quality/review.html", context)


@require_GET
@role_required("quality.review")
def results(request: HttpRequest) -> HttpResponse:
    by = _by(request)
    context = {
        "rows": qa_results(by=by),
        "by": by,
        "dimensions": DIMENSIONS,
        "criteria": quality_config().criteria,
        "section": "quality",
    }
    return render(request, "quality/results.html", context)


@require_GET
@role_required("quality.review")
def results_csv(request: HttpRequest) -> HttpResponse:
    by = _by(request)
    return csv_response(qa_results(by=by), by)
