"""Reads of the dashboards (period, service and backlog; segments and cost in selectors_segments
and selectors_cost): every number comes from rollup tables (ServiceRollup, BacklogRollup,
HandlingRollup, ReviewRollup, RepurchaseRollup here; ContactRollup, ExposureRollup, CostRollup
in signals). Queries are bounded by the period's days, never by the size of the ticket table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.db.models import QuerySet, Sum

from signaldesk.dashboards.metrics.service import nps_score
from signaldesk.dashboards.metrics.trends import MINUTE_EDGES, hist_quantile, share
from signaldesk.dashboards.models import BacklogRollup, ServiceRollup


@dataclass(frozen=True)
class Period:
    """Inclusive days plus the page filters (channel, reason; '' = all)."""

    since: dt.date
    until: dt.date
    channel: str = ""
    reason: str = ""

    @property
    def days(self) -> list[dt.date]:
        return [
            self.since + dt.timedelta(days=k) for k in range((self.until - self.since).days + 1)
        ]

    def last_week(self) -> Period:
        return replace(self, since=self.until - dt.timedelta(days=6))

    def prev_week(self) -> Period:
        return replace(
            self, since=self.until - dt.timedelta(days=13), until=self.until - dt.timedelta(days=7)
        )

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        n = (self.until - self.since).days + 1
        return replace(
            self, since=self.since - dt.timedelta(days=n), until=self.since - dt.timedelta(days=1)
        )


# ---- service (queue health) -------------------------------------------------------------


@dataclass(frozen=True)
class ServiceStats:
    created: int
    responded: int
    frt_median: float | None  # minutes
    frt_p90: float | None
    resolved: int
    resolution_median: float | None
    resolution_p90: float | None
    reopened: int
    reopen_rate: float | None  # of resolved tickets
    repeat_contacts: int
    repeat_rate: float | None  # of created tickets
    sla_met: int
    sla_breached: int
    sla_rate: float | None  # met / (met + breached)
    csat_good: int
    csat_bad: int
    csat_rate: float | None  # good / (good + bad)
    nps: float | None
    agent_replies: int
    handling_minutes: float


SERVICE_SUMS = (
    "created",
    "responded",
    "resolved",
    "reopened",
    "repeat_contacts",
    "sla_met",
    "sla_breached",
    "csat_good",
    "csat_bad",
    "nps_promoters",
    "nps_passives",
    "nps_detractors",
    "agent_replies",
    "handling_minutes",
)


def _service_qs(period: Period) -> QuerySet[ServiceRollup]:
    qs = ServiceRollup.objects.filter(day__gte=period.since, day__lte=period.until)
    if period.channel:
        qs = qs.filter(channel=period.channel)
    if period.reason:
        qs = qs.filter(reason=period.reason)
    return qs


def _stats_of(sums: np.ndarray, frt: Sequence[int], res: Sequence[int]) -> ServiceStats:
    s = dict(zip(SERVICE_SUMS, (float(x) for x in sums), strict=True))
    i = {k: round(v) for k, v in s.items()}
    return ServiceStats(
        created=i["created"],
        responded=i["responded"],
        frt_median=hist_quantile(frt, 0.5, MINUTE_EDGES),
        frt_p90=hist_quantile(frt, 0.9, MINUTE_EDGES),
        resolved=i["resolved"],
        resolution_median=hist_quantile(res, 0.5, MINUTE_EDGES),
        resolution_p90=hist_quantile(res, 0.9, MINUTE_EDGES),
        reopened=i["reopened"],
        reopen_rate=share(i["reopened"], i["resolved"]),
        repeat_contacts=i["repeat_contacts"],
        repeat_rate=share(i["repeat_contacts"], i["created"]),
        sla_met=i["sla_met"],
        sla_breached=i["sla_breached"],
        sla_rate=share(i["sla_met"], i["sla_met"] + i["sla_breached"]),
        csat_good=i["csat_good"],
        csat_bad=i["csat_bad"],
        csat_rate=share(i["csat_good"], i["csat_good"] + i["csat_bad"]),
        nps=nps_score(i["nps_promoters"], i["nps_passives"], i["nps_detractors"]),
        agent_replies=i["agent_replies"],
        handling_minutes=round(s["handling_minutes"], 1),
    )


def _hist(value: Sequence[int] | None) -> list[int]:
    row = [int(x) for x in (value or [])][: len(MINUTE_EDGES)]
    return row + [0] * (len(MINUTE_EDGES) - len(row))


_FIELDS = ("day", "reason", "channel", *SERVICE_SUMS, "frt_hist", "resolution_hist")


class ServiceRows:
    """ServiceRollup rows loaded once into arrays; every grouping of the support dashboard is
    summed from them in memory (at most days x reasons x channels rows, independent of the
    number of tickets)."""

    def __init__(self, rows: Sequence[dict[str, Any]]) -> None:
        self.days = np.array([r["day"].toordinal() for r in rows], dtype=np.int64)
        self.keys = {by: [r[by] for r in rows] for by in ("day", "reason", "channel")}
        width = len(MINUTE_EDGES)
        self.sums = np.array([[r[k] for k in SERVICE_SUMS] for r in rows], dtype=np.float64)
        self.frt = np.array([_hist(r["frt_hist"]) for r in rows], dtype=np.int64)
        self.res = np.array([_hist(r["resolution_hist"]) for r in rows], dtype=np.int64)
        if not rows:
            self.sums = np.zeros((0, len(SERVICE_SUMS)))
            self.frt = self.res = np.zeros((0, width), dtype=np.int64)

    def _mask(self, p: Period) -> np.ndarray:
        return (self.days >= p.since.toordinal()) & (self.days <= p.until.toordinal())

    def stats(self, p: Period) -> ServiceStats:
        m = self._mask(p)
        return _stats_of(
            self.sums[m].sum(axis=0),
            self.frt[m].sum(axis=0).tolist(),
            self.res[m].sum(axis=0).tolist(),
        )

    def grouped(self, p: Period, by: str) -> dict[object, ServiceStats]:
        m = self._mask(p)
        idx = np.flatnonzero(m)
        if idx.size == 0:
            return {}
        keys = [self.keys[by][i] for i in idx]
        uniq = list(dict.fromkeys(keys))
        pos = {k: n for n, k in enumerate(uniq)}
        group = np.array([pos[k] for k in keys], dtype=np.int64)
        sums = np.zeros((len(uniq), self.sums.shape[1]))
        frt = np.zeros((len(uniq), self.frt.shape[1]), dtype=np.int64)
        res = np.zeros_like(frt)
        np.add.at(sums, group, self.sums[idx])
        np.add.at(frt, group, self.frt[idx])
        np.add.at(res, group, self.res[idx])
        return {k: _stats_of(sums[n], frt[n].tolist(), res[n].tolist()) for k, n in pos.items()}


def service_rows(period: Period) -> ServiceRows:
    """One query: the period plus the 14 days before its end (the week-over-week windows)."""
    since = min(period.since, period.prev_week().since)
    return ServiceRows(list(_service_qs(replace(period, since=since)).values(*_FIELDS)))


def service_grouped(period: Period, by: str) -> dict[object, ServiceStats]:
    """ServiceStats per 'reason', 'channel' or 'day' (the cohort of tickets created then)."""
    return ServiceRows(list(_service_qs(period).values(*_FIELDS))).grouped(period, by)


def service_stats(period: Period) -> ServiceStats:
    return ServiceRows(list(_service_qs(period).values(*_FIELDS))).stats(period)


def backlog_daily(period: Period) -> dict[dt.date, int]:
    qs = BacklogRollup.objects.filter(day__gte=period.since, day__lte=period.until)
    if period.channel:
        qs = qs.filter(channel=period.channel)
    if period.reason:
        qs = qs.filter(reason=period.reason)
    got = dict(qs.values("day").annotate(n=Sum("open_tickets")).values_list("day", "n"))
    return {day: int(got.get(day, 0)) for day in period.days}


def backlog_by(day: dt.date, period: Period, by: str) -> dict[str, int]:
    qs = BacklogRollup.objects.filter(day=day)
    if period.channel:
        qs = qs.filter(channel=period.channel)
    if period.reason:
        qs = qs.filter(reason=period.reason)
    return {r[by]: int(r["n"]) for r in qs.values(by).annotate(n=Sum("open_tickets"))}
