"""Recompute the dashboards' rollups of one day (or one month for repurchase).

Each function loads the rows of exactly one day through indexed ranges (tickets by created_at,
messages by ticket, reviews by created_at), hands them to the pure cores in ``metrics/`` and
writes the cells. The caller (services) deletes and re-inserts inside one transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from signaldesk.commerce.models import Order, Review
from signaldesk.dashboards.metrics.repurchase import (
    ISSUE_WINDOW,
    REPURCHASE_WINDOW,
    CustomerOutcome,
    repurchase_cells,
)
from signaldesk.dashboards.metrics.reviews import review_themes
from signaldesk.dashboards.metrics.service import (
    HandlingCosts,
    TicketFacts,
    aggregate_handling,
    aggregate_service,
    sla_outcome,
)
from signaldesk.dashboards.models import (
    BacklogRollup,
    HandlingRollup,
    RepurchaseRollup,
    ReviewRollup,
    ServiceRollup,
)
from signaldesk.followup.models import Survey
from signaldesk.signals.rollups import day_bounds
from signaldesk.tickets.models import Direction, Message, Ticket, TicketStatus
from signaldesk.workflow.models import SlaClock, SlaMetric

RESOLVED = (TicketStatus.SOLVED, TicketStatus.CLOSED)
CHUNK = 500


def handling_costs() -> HandlingCosts:
    return HandlingCosts(
        minutes_per_reply=float(getattr(settings, "SIGNALDESK_HANDLING_MINUTES_PER_REPLY", 6.0)),
        minutes_per_note=float(getattr(settings, "SIGNALDESK_HANDLING_MINUTES_PER_NOTE", 2.0)),
    )


def sla_target_minutes() -> float:
    """First-response target for tickets without an SLA clock (imported history)."""
    return float(getattr(settings, "SIGNALDESK_DASHBOARD_FRT_TARGET_MINUTES", 24 * 60))


def survey_answers(day_filter: Q) -> dict[int, tuple[int | None, int | None]]:
    """(CSAT 1–5, NPS 0–10) per ticket from the follow-up surveys answered so far."""
    return {
        tid: (csat, nps)
        for tid, csat, nps in Survey.objects.filter(day_filter, answered_at__isnull=False)
        .order_by()
        .values_list("ticket_id", "csat", "nps")
    }


def csat_label(survey_csat: int | None, helpdesk_score: str) -> str:
    """A survey answer wins (4–5 good, 1–3 bad); else the helpdesk's own rating."""
    if survey_csat is not None:
        return "good" if survey_csat >= 4 else "bad"
    return helpdesk_score or ""


def ticket_facts(day: dt.date, *, now: dt.datetime) -> list[TicketFacts]:
    start, end = day_bounds(day)
    rows = list(
        Ticket.objects.filter(created_at__gte=start, created_at__lt=end, merged_into__isnull=True)
        .order_by()
        .values_list(
            "id",
            "contact_reason",
            "channel",
            "created_at",
            "first_response_at",
            "status",
            "solved_at",
            "closed_at",
            "reopened_count",
            "satisfaction_score",
            "enrichment__repeat_contact_7d",
            "enrichment__sku",
        )
    )
    in_day = Q(ticket__created_at__gte=start, ticket__created_at__lt=end)
    clocks = {
        tid: (met, breached)
        for tid, met, breached in SlaClock.objects.filter(
            in_day, metric=SlaMetric.FIRST_RESPONSE
        ).values_list("ticket_id", "met_at", "breached_at")
    }
    touches: dict[int, dict[str, int]] = defaultdict(dict)
    for tid, direction, n in (
        Message.objects.filter(in_day, direction__in=[Direction.OUTBOUND, Direction.NOTE])
        .order_by()
        .values("ticket_id", "direction")
        .annotate(n=Count("id"))
        .values_list("ticket_id", "direction", "n")
    ):
        touches[tid][direction] = n
    surveys = survey_answers(in_day)
    target = sla_target_minutes()
    facts = []
    for tid, reason, channel, created, frt, status, solved, closed, reopens, csat, rep, sku in rows:
        resolved = (solved or closed) if status in RESOLVED else None
        facts.append(
            TicketFacts(
                ticket_id=tid,
                reason=reason,
                channel=channel,
                sku=sku or "",
                created_at=created,
                first_response_at=frt,
                resolved_at=resolved,
                reopened=reopens > 0,
                repeat_contact=bool(rep),
                csat=csat_label(surveys.get(tid, (None, None))[0], csat),
                nps=surveys.get(tid, (None, None))[1],
                sla=sla_outcome(
                    created_at=created,
                    first_response_at=frt,
                    clock=clocks.get(tid),
                    target_minutes=target,
                    now=now,
                ),
                replies=touches[tid].get(Direction.OUTBOUND, 0),
                notes=touches[tid].get(Direction.NOTE, 0),
            )
        )
    return facts


def recompute_service_day(day: dt.date, *, now: dt.datetime) -> None:
    """ServiceRollup and HandlingRollup of the tickets created on ``day``."""
    ServiceRollup.objects.filter(day=day).delete()
    HandlingRollup.objects.filter(day=day).delete()
    facts = ticket_facts(day, now=now)
    costs = handling_costs()
    ServiceRollup.objects.bulk_create(
        ServiceRollup(day=day, reason=reason, channel=channel, **vars(cell))
        for (reason, channel), cell in aggregate_service(facts, costs).items()
    )
    HandlingRollup.objects.bulk_create(
        HandlingRollup(day=day, reason=reason, sku=sku, **vars(cell))
        for (reason, sku), cell in aggregate_handling(facts, costs).items()
    )


def recompute_backlog_day(day: dt.date) -> None:
    """Tickets open at the end of ``day``: created before its end, not merged away, and not
    resolved (solved/closed) before its end. Reconstructed from created/solved/closed times, so
    a ticket solved, reopened and solved again counts as open until its last solve."""
    BacklogRollup.objects.filter(day=day).delete()
    _, end = day_bounds(day)
    resolved_at = Coalesce("solved_at", "closed_at")
    rows = (
        Ticket.objects.filter(created_at__lt=end, merged_into__isnull=True)
        .annotate(resolved_at=resolved_at)
        .filter(
            Q(status__in=[s for s in TicketStatus.values if s not in RESOLVED])
            | Q(resolved_at__gte=end)
            | Q(resolved_at__isnull=True)
        )
        .order_by()
        .values("contact_reason", "channel")
        .annotate(n=Count("id"))
    )
    BacklogRollup.objects.bulk_create(
        BacklogRollup(
            day=day, reason=r["contact_reason"], channel=r["channel"], open_tickets=r["n"]
        )
        for r in rows
    )


def recompute_review_day(day: dt.date) -> None:
    ReviewRollup.objects.filter(day=day).delete()
    start, end = day_bounds(day)
    cells: dict[str, ReviewRollup] = {}
    for sku, rating, title, body in (
        Review.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values_list("sku", "rating", "title", "body")
    ):
        cell = cells.setdefault(
            sku, ReviewRollup(day=day, sku=sku, reviews=0, rating_sum=0, low_ratings=0, themes={})
        )
        cell.reviews += 1
        cell.rating_sum += rating
        cell.low_ratings += int(rating <= 2)
        if rating <= 3:  # themes of the unhappy reviews
            for theme in review_themes(f"{title} {body}"):
                cell.themes[theme] = cell.themes.get(theme, 0) + 1
    ReviewRollup.objects.bulk_create(cells.values())


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def recompute_repurchase_month(month: dt.date, *, now: dt.datetime) -> int:
    """RepurchaseRollup of the customers with an order in ``month`` (first day of a month)."""
    RepurchaseRollup.objects.filter(month=month).delete()
    start, _ = day_bounds(month)
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    end, _ = day_bounds(nxt)
    anchors = dict(
        Order.objects.filter(created_at__gte=start, created_at__lt=end, customer__isnull=False)
        .order_by()
        .values("customer_id")
        .annotate(anchor=Min("created_at"))
        .values_list("customer_id", "anchor")
    )
    outcomes: list[CustomerOutcome] = []
    for ids in _chunks(sorted(anchors)):
        orders: dict[int, list[dt.datetime]] = defaultdict(list)
        for cid, at in Order.objects.filter(customer_id__in=ids).values_list(
            "customer_id", "created_at"
        ):
            orders[cid].append(at)
        issues: dict[int, list[dt.datetime]] = defaultdict(list)
        for cid, at in (
            Ticket.objects.filter(
                customer_id__in=ids,
                created_at__gte=start,
                created_at__lt=end + ISSUE_WINDOW,
                merged_into__isnull=True,
            )
            .exclude(contact_reason="")
            .values_list("customer_id", "created_at")
        ):
            issues[cid].append(at)
        for cid in ids:
            anchor = anchors[cid]
            mine = orders[cid]
            outcomes.append(
                CustomerOutcome(
                    anchor=anchor,
                    first_order_at=min(mine),
                    orders_up_to_anchor=sum(1 for o in mine if o <= anchor),
                    issue_at=issues[cid],
                    later_orders=[o for o in mine if anchor < o <= anchor + REPURCHASE_WINDOW],
                )
            )
    cells = repurchase_cells(outcomes, as_of=now, local=timezone.get_default_timezone())
    RepurchaseRollup.objects.bulk_create(
        RepurchaseRollup(
            month=month,
            first_order_month=c.first_order_month,
            order_band=c.order_band,
            had_issue=c.had_issue,
            customers=c.customers,
            repurchased=c.repurchased,
        )
        for c in cells
    )
    return len(outcomes)
