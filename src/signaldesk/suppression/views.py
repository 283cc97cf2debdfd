"""Console: the active suppression list and its CSV export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from signaldesk.console.access import role_required
from signaldesk.suppression.api import csv_response
from signaldesk.suppression.selectors import active_suppressions

PAGE_LIMIT = 500


@require_GET
@role_required("customers.read")
def suppression_list(request: HttpRequest) -> HttpResponse:
    entries = list(active_suppressions(now=timezone.now()).order_by("-id")[:PAGE_LIMIT])
    return render(request, "suppression/list.html", {"entries": entries, "section": "suppression"})


@require_GET
@role_required("customers.read")
def suppression_export(request: HttpRequest) -> HttpResponse:
    return csv_response(timezone.now())
