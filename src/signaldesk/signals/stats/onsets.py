"""Onset tracking: report a persisting spike once, keyed by segment + onset day.

A daily detector re-fires on every day of a long incident. :func:`update_incidents` folds one
day's alerts into the open incidents (pure function, the Django layer stores the returned
state); :func:`track_incidents` replays a whole history. An alert continues an open incident of
the same segment when that incident last fired at most ``max_gap`` days earlier; otherwise it
opens a new incident whose onset is the alert's CUSUM onset (never before the previous
incident's last alert). :func:`first_flagged_day` is the simple "first day of the current run of
flags" helper for callers that only keep boolean flags.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from .spikes import Severity, SpikeAlert

_SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "critical": 2}


@dataclass(frozen=True)
class Incident:
    """One deduplicated spike episode of one segment."""

    key: Hashable
    onset: int
    first_alert: int
    last_alert: int
    n_alert_days: int
    peak_ratio: float
    peak_severity: Severity
    first_explanation: str

    @property
    def dedup_key(self) -> tuple[Hashable, int]:
        return (self.key, self.onset)

    @property
    def detection_delay(self) -> int:
        return self.first_alert - self.onset


@dataclass(frozen=True)
class IncidentUpdate:
    new: tuple[Incident, ...]
    continuing: tuple[Incident, ...]
    closed: tuple[Incident, ...]
    open: tuple[Incident, ...]


def _open_new(alert: SpikeAlert, floor: int) -> Incident:
    return Incident(
        key=alert.key,
        onset=max(alert.onset, floor),
        first_alert=alert.as_of,
        last_alert=alert.as_of,
        n_alert_days=1,
        peak_ratio=alert.ratio,
        peak_severity=alert.severity,
        first_explanation=alert.explanation,
    )


def _extend(inc: Incident, alert: SpikeAlert) -> Incident:
    sev = alert.severity
    if _SEVERITY_RANK[inc.peak_severity] >= _SEVERITY_RANK[sev]:
        sev = inc.peak_severity
    return replace(
        inc,
        last_alert=alert.as_of,
        n_alert_days=inc.n_alert_days + 1,
        peak_ratio=max(inc.peak_ratio, alert.ratio),
        peak_severity=sev,
    )


def update_incidents(
    open_incidents: Iterable[Incident],
    alerts: Sequence[SpikeAlert],
    day: int,
    max_gap: int = 3,
) -> IncidentUpdate:
    """Fold the alerts of scan day ``day`` into the open incidents."""
    state: dict[Hashable, Incident] = {inc.key: inc for inc in open_incidents}
    new: list[Incident] = []
    continuing: list[Incident] = []
    replaced: list[Incident] = []
    for alert in alerts:
        prev = state.get(alert.key)
        if prev is not None and day - prev.last_alert <= max_gap:
            state[alert.key] = _extend(prev, alert)
            continuing.append(state[alert.key])
        else:
            floor = alert.onset
            if prev is not None:
                floor = prev.last_alert + 1
                replaced.append(prev)
            state[alert.key] = _open_new(alert, floor)
            new.append(state[alert.key])
    stale = [inc for inc in state.values() if day - inc.last_alert > max_gap]
    closed = tuple(replaced + stale)
    still_open = tuple(inc for inc in state.values() if day - inc.last_alert <= max_gap)
    return IncidentUpdate(tuple(new), tuple(continuing), closed, still_open)


def track_incidents(
    alerts_by_day: Mapping[int, Sequence[SpikeAlert]], max_gap: int = 3
) -> tuple[Incident, ...]:
    """Replay daily alerts (day -> alerts) and return every incident, ordered by first alert."""
    open_: tuple[Incident, ...] = ()
    done: dict[tuple[Hashable, int], Incident] = {}
    for day in sorted(alerts_by_day):
        upd = update_incidents(open_, alerts_by_day[day], day, max_gap)
        for inc in upd.closed:
            done[(inc.key, inc.first_alert)] = inc
        open_ = upd.open
    for inc in open_:
        done[(inc.key, inc.first_alert)] = inc
    return tuple(sorted(done.values(), key=lambda i: (i.first_alert, str(i.key))))


def first_flagged_day(flags: ArrayLike, as_of: int, max_gap: int = 0) -> int | None:
    """First day of the run of flags that reaches ``as_of`` (gaps of <= ``max_gap`` allowed).

    Returns ``None`` when ``flags[as_of]`` is not set.
    """
    arr = np.asarray(flags, dtype=bool)
    if not arr[as_of]:
        return None
    onset = as_of
    gap = 0
    for t in range(as_of - 1, -1, -1):
        if arr[t]:
            onset = t
            gap = 0
        else:
            gap += 1
            if gap > max_gap:
                break
    return onset
