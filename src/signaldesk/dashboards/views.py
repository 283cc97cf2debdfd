"""Console pages of the dashboards: the index, one page per audience (with ?format=csv&table=
for every table) and the drill-down list of the tickets behind a number."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from signaldesk.accounts.permissions import role_allows
from signaldesk.console.access import role_required
from signaldesk.console.selectors import reason_choices
from signaldesk.core.errors import ValidationError
from signaldesk.dashboards.audiences import AUDIENCES, dashboard_build
from signaldesk.dashboards.drill import drill_queryset, parse_drill
from signaldesk.dashboards.export import kpis_table, table_csv
from signaldesk.dashboards.params import PERIODS, parse_period
from signaldesk.signals.services import local_day
from signaldesk.tickets.models import Channel

DRILL_PAGE = 50


def _filters(request: HttpRequest) -> dict[str, object]:
    return {
        "periods": PERIODS,
        "channels": Channel.choices,
        "reasons": reason_choices(),
        "section": "dashboards",
        "audiences": [(key, title, text) for key, (title, text) in AUDIENCES.items()],
    }


def _bad_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    context = {**_filters(request), "error": exc.detail}
    return render(request, "dashboards/error.html", context, status=400)


@require_GET
@role_required("metrics.read")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "console/dashboards.html", _filters(request))


@require_GET
@role_required("metrics.read")
def audience(request: HttpRequest, audience: str) -> HttpResponse:
    if audience not in AUDIENCES:
        raise Http404("No such dashboard.")
    role = getattr(request, "console_role", None)
    try:
        period, preset = parse_period(request.GET, local_day(timezone.now()))
    except ValidationError as exc:
        return _bad_request(request, exc)
    drill = role_allows(role, "tickets.read")
    dash = dashboard_build(
        audience=audience, period=period, drill=drill, user=request.user, role=role
    )
    if request.GET.get("format") == "csv":
        key = request.GET.get("table", "")
        table = kpis_table(dash) if key == "kpis" else dash.table(key)
        if table is None:
            raise Http404("No such table on this dashboard.")
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
        name = f"{audience}-{table.key}-{period.since}-{period.until}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {
        **_filters(request),
        "dash": dash,
        "period": period,
        "preset": preset,
        "drill_base": reverse("dashboards:tickets") if drill else "",
        "query": request.GET.urlencode(),
    }
    return render(request, "dashboards/audience.html", context)


@require_GET
@role_required("tickets.read")
def tickets(request: HttpRequest) -> HttpResponse:
    """The tickets counted by one number (same filters as the rollup that counted them)."""
    try:
        spec = parse_drill(request.GET, request.GET.getlist("reason"))
    except ValidationError as exc:
        return _bad_request(request, exc)
    qs = drill_queryset(spec).select_related("customer", "assignee")
    page = Paginator(qs, DRILL_PAGE).get_page(request.GET.get("page", "1"))
    context = {**_filters(request), "spec": spec, "page": page, "query": spec.query()}
    return render(request, "dashboards/tickets.html", context)
