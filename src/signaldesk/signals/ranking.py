"""Attention versus noise: every live signal (spike alert, theme, recurring reason on a SKU)
scored by signals.stats.attention (cost, growth, breadth, severity, VIP share) with the
breakdown that explains its rank. Reads rollups, alerts and themes; a bounded number of
grouped ticket queries for customers (one per alert, one for all recurring reasons).

Inputs per kind:

- spike: cost = mean cost per ticket of the reason (CostRollup, window) x observed contacts;
  growth = observed / expected; customers and VIP share of the segment's tickets since onset;
  severity = the alert's.
- theme: cost = mean cost per ticket of its reason (all reasons for ``unexplained``) x recent
  count; growth = recent / previous window; customers, VIP share from the theme; severity
  ``warning`` when it at least doubled, else ``info``.
- recurring: (reason, SKU) pairs with at least ``MIN_RECURRING`` tickets in the window; cost =
  refunds + replacements + discounts in the window; growth = window vs the window before;
  severity ``info``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse

from signaldesk.signals.models import AlertStatus, CostRollup, SpikeAlert
from signaldesk.signals.selectors import segment_tickets, themes_latest
from signaldesk.signals.stats.attention import AttentionInput, AttentionScore, rank_signals

MIN_RECURRING = 5
MAX_RECURRING = 30
WINDOW_DAYS = 28


@dataclass(frozen=True)
class RankedSignal:
    kind: str  # spike | theme | recurring
    key: str  # e.g. "spike:12", "theme:4", "recurring:sizing|SKU-1"
    label: str
    url: str
    inputs: AttentionInput
    score: AttentionScore


def _cost(qs_filter: Q, since: dt.date, until: dt.date) -> dict[str, tuple[float, int]]:
    rows = (
        CostRollup.objects.filter(qs_filter, day__gte=since, day__lte=until)
        .values("reason")
        .annotate(t=Sum("tickets"), r=Sum("refunds"), x=Sum("replacements"), d=Sum("discounts"))
    )
    out = {}
    for row in rows:
        money = sum((row[k] or Decimal(0) for k in ("r", "x", "d")), Decimal(0))
        out[row["reason"]] = (float(money), int(row["t"] or 0))
    return out


def _per_ticket(costs: dict[str, tuple[float, int]], reason: str | None) -> float:
    if reason is None:
        money = sum(c for c, _ in costs.values())
        tickets = sum(t for _, t in costs.values())
    else:
        money, tickets = costs.get(reason, (0.0, 0))
    return money / tickets if tickets else 0.0


def _spikes(
    as_of: dt.date, costs: dict[str, tuple[float, int]]
) -> list[tuple[str, str, str, AttentionInput]]:
    alerts = SpikeAlert.objects.filter(
        primary=True,
        status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED],
        last_alert_day__gte=as_of - dt.timedelta(days=WINDOW_DAYS),
    ).order_by("id")
    out = []
    for a in alerts:
        stats = segment_tickets(segment=a.segment, since=a.onset, until=a.last_alert_day).aggregate(
            n=Count("customer", distinct=True),
            vip=Count("customer", distinct=True, filter=Q(customer__loyalty_tier="vip")),
        )
        n = int(stats["n"] or 0)
        sig = AttentionInput(
            signal_id=f"spike:{a.pk}",
            cost=round(_per_ticket(costs, a.reason) * a.observed, 2),
            growth=a.observed / a.expected if a.expected > 0 else None,
            customers=n,
            severity=a.severity,
            vip_share=(int(stats["vip"] or 0) / n) if n else 0.0,
            label=a.segment_label,
        )
        url = reverse("signals:alert", kwargs={"alert_id": a.pk})
        out.append(("spike", f"Spike: {a.segment_label}", url, sig))
    return out


def _themes(costs: dict[str, tuple[float, int]]) -> list[tuple[str, str, str, AttentionInput]]:
    out = []
    for th in themes_latest(limit=200):
        reason = None if th.scope == "unexplained" else th.scope
        sig = AttentionInput(
            signal_id=f"theme:{th.pk}",
            cost=round(_per_ticket(costs, reason) * th.recent_count, 2),
            growth=th.growth,
            customers=th.customers,
            severity="warning" if (th.growth or 0) >= 2.0 else "info",
            vip_share=th.vip_share,
            label=th.label,
        )
        url = reverse("signals:themes") + f"#theme-{th.pk}"
        out.append(("theme", f"Theme ({th.scope}): {th.label}", url, sig))
    return out


def _recurring(as_of: dt.date) -> list[tuple[str, str, str, AttentionInput]]:
    from signaldesk.tickets.models import Ticket

    since = as_of - dt.timedelta(days=WINDOW_DAYS - 1)
    prev_since = since - dt.timedelta(days=WINDOW_DAYS)
    rows = list(
        CostRollup.objects.filter(day__gte=since, day__lte=as_of)
        .exclude(sku="")
        .values("reason", "sku")
        .annotate(t=Sum("tickets"), r=Sum("refunds"), x=Sum("replacements"), d=Sum("discounts"))
        .filter(t__gte=MIN_RECURRING)
        .order_by("-t", "reason", "sku")[:MAX_RECURRING]
    )
    if not rows:
        return []
    pairs = {(r["reason"], r["sku"]) for r in rows}
    prev = {
        (r["reason"], r["sku"]): int(r["t"])
        for r in CostRollup.objects.filter(
            day__gte=prev_since, day__lt=since, reason__in={p[0] for p in pairs},
            sku__in={p[1] for p in pairs},
        ).values("reason", "sku").annotate(t=Sum("tickets"))
    }  # fmt: skip
    segment = segment_tickets(segment={}, since=since, until=as_of)
    cust = {
        (r["contact_reason"], r["enrichment__sku"]): (int(r["n"]), int(r["vip"]))
        for r in Ticket.objects.filter(pk__in=segment.values("pk"))
        .filter(contact_reason__in={p[0] for p in pairs}, enrichment__sku__in={p[1] for p in pairs})
        .values("contact_reason", "enrichment__sku")
        .annotate(
            n=Count("customer", distinct=True),
            vip=Count("customer", distinct=True, filter=Q(customer__loyalty_tier="vip")),
        )
    }
    out = []
    for r in rows:
        key = (r["reason"], r["sku"])
        n, vip = cust.get(key, (0, 0))
        money = sum((r[k] or Decimal(0) for k in ("r", "x", "d")), Decimal(0))
        before = prev.get(key, 0)
        sig = AttentionInput(
            signal_id=f"recurring:{r['reason']}|{r['sku']}",
            cost=float(money),
            growth=int(r["t"]) / before if before else None,
            customers=n,
            severity="info",
            vip_share=vip / n if n else 0.0,
            label=f"{r['reason']} on {r['sku']}",
        )
        url = reverse("signals:home") + f"?reason={r['reason']}&sku={r['sku']}"
        out.append(("recurring", f"Recurring: {r['reason']} on SKU {r['sku']}", url, sig))
    return out


def signals_ranked(*, as_of: dt.date, limit: int = 100) -> list[RankedSignal]:
    """Every live signal ranked by attention score, highest first (public: dashboards and the
    insight note read it)."""
    costs = _cost(Q(), as_of - dt.timedelta(days=WINDOW_DAYS - 1), as_of)
    items = _spikes(as_of, costs) + _themes(costs) + _recurring(as_of)
    meta = {sig.signal_id: (kind, label, url, sig) for kind, label, url, sig in items}
    ranked = rank_signals([sig for *_, sig in items])
    out = []
    for score in ranked[:limit]:
        kind, label, url, sig = meta[score.signal_id]
        out.append(RankedSignal(kind, str(score.signal_id), label, url, sig, score))
    return out
