"""Console: the knowledge gap report (managers): repeated self-service questions that no article
answers well, with a suggested outline for the missing article."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from signaldesk.console.access import role_required
from signaldesk.knowledge.selectors import knowledge_gaps, questions_summary

PERIODS = (7, 30, 90)


@require_GET
@role_required("knowledge.gaps")
def gaps(request: HttpRequest) -> HttpResponse:
    raw = str(request.GET.get("days", "30"))
    days = int(raw) if raw.isdigit() and int(raw) in PERIODS else 30
    since = timezone.now() - dt.timedelta(days=days)
    context = {
        "gaps": knowledge_gaps(since=since),
        "summary": questions_summary(since=since),
        "days": days,
        "periods": PERIODS,
        "section": "knowledge",
    }
    return render(request, "knowledge/gaps.html", context)
