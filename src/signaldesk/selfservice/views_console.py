"""Console: the deflection rate per self-service flow (leads and managers), as a page and CSV."""

from __future__ import annotations

import csv
import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from signaldesk.console.access import role_required
from signaldesk.selfservice.selectors import FlowDeflection, deflection_by_flow

PERIODS = (7, 30, 90)


def _rows(request: HttpRequest) -> tuple[int, list[FlowDeflection]]:
    raw = str(request.GET.get("days", "30"))
    days = int(raw) if raw.isdigit() and int(raw) in PERIODS else 30
    until = timezone.now()
    return days, deflection_by_flow(since=until - dt.timedelta(days=days), until=until)


@require_GET
@role_required("selfservice.report")
def deflection(request: HttpRequest) -> HttpResponse:
    days, rows = _rows(request)
    context = {"rows": rows, "days": days, "periods": PERIODS, "section": "selfservice"}
    return render(request, "selfservice/deflection.html", context)


@require_GET
@role_required("selfservice.report")
def deflection_csv(request: HttpRequest) -> HttpResponse:
    days, rows = _rows(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deflection-{days}d.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["flow", "started", "open", "resolved", "handed_over", "abandoned", "deflection_rate"]
    )
    for r in rows:
        rate = "" if r.deflection_rate is None else f"{r.deflection_rate:.4f}"
        writer.writerow([r.flow, r.started, r.open, r.resolved, r.handed_over, r.abandoned, rate])
    return response
