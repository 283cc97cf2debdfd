"""Drill-down: the tickets behind a dashboard number. Each metric's filter mirrors the rollup
that counted it (dashboards/rollups.py, signals/rollups.py), so the list holds exactly the
counted tickets. Lists are paginated; the count runs over the period's tickets (created_at
range), never the whole table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from signaldesk.core.errors import ValidationError
from signaldesk.dashboards.metrics.service import CSAT_BAD, CSAT_GOOD
from signaldesk.dashboards.rollups import RESOLVED, sla_target_minutes
from signaldesk.signals.rollups import DIMENSIONS, day_bounds
from signaldesk.signals.selectors import TICKET_LOOKUPS
from signaldesk.tickets.models import Ticket
from signaldesk.workflow.models import SlaClock, SlaMetric

SERVICE_METRICS = (
    "created",
    "responded",
    "resolved",
    "reopened",
    "repeat",
    "sla_met",
    "sla_breached",
    "csat_good",
    "csat_bad",
)
METRICS = (*SERVICE_METRICS, "open", "contacts", "cost")


@dataclass(frozen=True)
class DrillSpec:
    metric: str
    since: dt.date
    until: dt.date
    channel: str = ""
    reasons: tuple[str, ...] = ()  # empty: every reason
    dim: str = ""
    value: str = ""

    def query(self) -> str:
        params: list[tuple[str, str]] = [
            ("metric", self.metric),
            ("since", self.since.isoformat()),
            ("until", self.until.isoformat()),
        ]
        if self.channel:
            params.append(("channel", self.channel))
        params.extend(("reason", r) for r in self.reasons)
        if self.dim:
            params += [("dim", self.dim), ("value", self.value)]
        return urlencode(params)


def parse_drill(params: Mapping[str, str], reasons: list[str]) -> DrillSpec:
    """From GET parameters (``reason`` may repeat); raises ValidationError on bad input."""
    metric = params.get("metric", "")
    if metric not in METRICS:
        raise ValidationError(f"metric must be one of {', '.join(METRICS)}")
    try:
        since = dt.date.fromisoformat(params.get("since", ""))
        until = dt.date.fromisoformat(params.get("until", ""))
    except ValueError as exc:
        raise ValidationError("since and until must be dates (YYYY-MM-DD)") from exc
    dim = params.get("dim", "")
    if dim and dim not in DIMENSIONS:
        raise ValidationError(f"dim must be one of {', '.join(DIMENSIONS)}")
    if (until - since).days > 400 or until < since:
        raise ValidationError("the period must run forwards and span at most 400 days")
    return DrillSpec(
        metric,
        since,
        until,
        params.get("channel", ""),
        tuple(reasons),
        dim,
        params.get("value", ""),
    )


def _dimension(dim: str, value: str) -> Q:
    if dim in ("", "all"):
        return Q()
    if dim == "carrier_region":
        carrier, _, region = value.partition("|")
        return Q(enrichment__carrier=carrier, enrichment__region=region)
    return Q(**{TICKET_LOOKUPS[dim]: value})


def _sla(breached: bool) -> Q:
    clock = SlaClock.objects.filter(ticket_id=OuterRef("pk"), metric=SlaMetric.FIRST_RESPONSE)
    target = dt.timedelta(minutes=sla_target_minutes())
    if breached:
        with_clock = Q(Exists(clock.filter(breached_at__isnull=False)))
        late = Q(first_response_at__gt=F("created_at") + target) | Q(
            first_response_at__isnull=True, created_at__lt=timezone.now() - target
        )
    else:
        with_clock = Q(Exists(clock.filter(breached_at__isnull=True, met_at__isnull=False)))
        late = Q(first_response_at__lte=F("created_at") + target)
    return with_clock | (~Q(Exists(clock)) & late)


_no_survey_csat = (
    Q(survey__isnull=True) | Q(survey__answered_at__isnull=True) | Q(survey__csat__isnull=True)
)


def drill_queryset(spec: DrillSpec) -> QuerySet[Ticket]:
    """The tickets counted by the number the spec points at, newest first."""
    start, _ = day_bounds(spec.since)
    _, end = day_bounds(spec.until)
    qs = Ticket.objects.filter(merged_into__isnull=True)
    if spec.metric == "open":  # backlog at the end of `until`
        qs = qs.annotate(resolved_at=Coalesce("solved_at", "closed_at")).filter(
            Q(created_at__lt=end)
            & (~Q(status__in=RESOLVED) | Q(resolved_at__gte=end) | Q(resolved_at__isnull=True))
        )
    else:
        qs = qs.filter(created_at__gte=start, created_at__lt=end)
    if spec.channel:
        qs = qs.filter(channel=spec.channel)
    if spec.reasons:
        qs = qs.filter(contact_reason__in=spec.reasons)
    if spec.metric in ("contacts", "cost"):  # signals rollups: enriched tickets with a reason
        qs = qs.filter(enrichment__isnull=False).exclude(contact_reason="")
        if spec.metric == "cost" and spec.dim == "sku":
            return qs.filter(enrichment__sku=spec.value).order_by("-created_at", "-id")
        qs = qs.filter(_dimension(spec.dim, spec.value))
    metric_filters: dict[str, Q] = {
        "responded": Q(first_response_at__isnull=False),
        "resolved": Q(status__in=RESOLVED)
        & (Q(solved_at__isnull=False) | Q(closed_at__isnull=False)),
        "reopened": Q(reopened_count__gt=0),
        "repeat": Q(enrichment__repeat_contact_7d=True),
        "sla_met": _sla(False) if spec.metric == "sla_met" else Q(),
        "sla_breached": _sla(True) if spec.metric == "sla_breached" else Q(),
        "csat_good": Q(survey__answered_at__isnull=False, survey__csat__gte=4)
        | Q(_no_survey_csat, satisfaction_score__in=sorted(CSAT_GOOD)),
        "csat_bad": Q(survey__answered_at__isnull=False, survey__csat__lte=3)
        | Q(_no_survey_csat, satisfaction_score__in=sorted(CSAT_BAD)),
    }
    if spec.metric in metric_filters:
        qs = qs.filter(metric_filters[spec.metric])
    return qs.order_by("-created_at", "-id")
