"""``signals_scan``: the Django shell around signals.stats.

Builds a :class:`SeriesPanel` from the rollups (contacts per reason, and per reason x value of
each scanned dimension; exposure = the segment's orders, as a trailing 7-day mean so that
contacts, which come days after the order, meet a smooth base), runs ``scan``, rolls the
alerts up through the hierarchy, folds them into incidents with ``update_incidents`` and stores
one :class:`SpikeAlert` row per incident (dedup key = segment + onset)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor
from signaldesk.signals.models import AlertStatus, ContactRollup, ExposureRollup, SpikeAlert
from signaldesk.signals.rollups import ALL
from signaldesk.signals.selectors import example_ticket_ids
from signaldesk.signals.services import local_day
from signaldesk.signals.stats.hierarchy import SegmentKey, rollup_alerts
from signaldesk.signals.stats.onsets import Incident, update_incidents
from signaldesk.signals.stats.spikes import SeriesPanel, SpikeConfig, scan
from signaldesk.signals.stats.spikes import SpikeAlert as CoreAlert

logger = logging.getLogger(__name__)

SCAN_DIMENSIONS: tuple[str, ...] = (
    "sku", "batch", "supplier", "carrier", "region", "carrier_region", "campaign",
    "discount_code", "source",
)  # fmt: skip
EXPOSURE_SMOOTH_DAYS = 7
# The core's defaults (56-day baseline, BH q=0.01 over all series) plus a 7-day window, which
# catches slow incidents of ~1 extra contact a day (docs/benchmarks/signals.md).
SCAN_CONFIG = SpikeConfig(windows=(1, 2, 7))
MAX_GAP = 3


@dataclass
class ScanResult:
    as_of: dt.date
    n_series: int
    alerts: list[SpikeAlert] = field(default_factory=list)  # rows created or updated
    new: list[SpikeAlert] = field(default_factory=list)  # incidents first seen on as_of
    notify: list[SpikeAlert] = field(default_factory=list)  # new or re-opened, not snoozed
    seconds: float = 0.0
    skipped: str = ""


def segment_key(reason: str, dimension: str, value: str) -> SegmentKey:
    if dimension == "all":
        return SegmentKey.of(reason=reason)
    if dimension == "carrier_region":
        carrier, _, region = value.partition("|")
        return SegmentKey.of(reason=reason, carrier=carrier, region=region)
    return SegmentKey.of(reason=reason, **{dimension: value})


def _exposure_key(key: SegmentKey) -> tuple[str, str]:
    dims = {k: v for k, v in key.parts if k != "reason"}
    if not dims:
        return ("all", ALL)
    if set(dims) == {"carrier", "region"}:
        return ("carrier_region", f"{dims['carrier']}|{dims['region']}")
    ((dim, value),) = dims.items()
    return (dim, value)


def build_panel(
    *, as_of: dt.date, config: SpikeConfig, dimensions: Sequence[str] = SCAN_DIMENSIONS
) -> tuple[SeriesPanel, dt.date]:
    """Panel of every (reason[, dimension=value]) series with a contact in the loaded days."""
    n_days = config.baseline_days + max(config.windows)
    start = as_of - dt.timedelta(days=n_days - 1)
    dims = ["all", *dimensions]
    rows = ContactRollup.objects.filter(
        day__gte=start, day__lte=as_of, dimension__in=dims
    ).values_list("day", "reason", "dimension", "value", "contacts")
    index: dict[SegmentKey, int] = {}
    cells: list[tuple[int, int, int]] = []
    for day, reason, dim, value, n in rows.iterator(chunk_size=5000):
        key = segment_key(reason, dim, value)
        i = index.setdefault(key, len(index))
        cells.append((i, (day - start).days, n))
    counts = np.zeros((len(index), max(n_days, 0)))
    for i, t, n in cells:
        counts[i, t] += n
    pad = EXPOSURE_SMOOTH_DAYS - 1
    exp_rows = ExposureRollup.objects.filter(
        day__gte=start - dt.timedelta(days=pad), day__lte=as_of, dimension__in=dims
    ).values_list("day", "dimension", "value", "orders")
    raw: dict[tuple[str, str], np.ndarray] = {}
    for day, dim, value, orders in exp_rows.iterator(chunk_size=5000):
        arr = raw.setdefault((dim, value), np.zeros(n_days + pad))
        arr[(day - start).days + pad] += orders
    kernel = np.ones(EXPOSURE_SMOOTH_DAYS) / EXPOSURE_SMOOTH_DAYS
    smooth = {k: np.convolve(v, kernel, mode="valid") for k, v in raw.items()}
    keys = list(index)
    exposure = np.zeros_like(counts)
    for i, key in enumerate(keys):
        series = smooth.get(_exposure_key(key))
        if series is not None:
            exposure[i] = series
    weekday = np.array([(start + dt.timedelta(days=t)).weekday() for t in range(n_days)])
    return SeriesPanel.build(keys, counts, exposure, weekday, "orders"), start


def _parents(keys: Sequence[Hashable]) -> dict[Hashable, Hashable]:
    """reason x batch -> reason x sku -> reason x supplier, from the catalogue."""
    from signaldesk.commerce.models import Batch, Variant

    segs = [k for k in keys if isinstance(k, SegmentKey)]
    batches = {k.get("batch") for k in segs if k.get("batch")}
    batch_sku = dict(
        Batch.objects.filter(code__in=batches, variant__isnull=False).values_list(
            "code", "variant__sku"
        )
    )
    skus = {k.get("sku") for k in segs if k.get("sku")} | set(batch_sku.values())
    sku_supplier = dict(
        Variant.objects.filter(sku__in=skus, product__supplier__isnull=False).values_list(
            "sku", "product__supplier__name"
        )
    )
    out: dict[Hashable, Hashable] = {}
    for k in segs:
        reason = k.get("reason") or ""
        if k.depth != 2:
            continue
        if (b := k.get("batch")) and b in batch_sku:
            out[k] = SegmentKey.of(reason=reason, sku=batch_sku[b])
        elif (s := k.get("sku")) and s in sku_supplier:
            out[k] = SegmentKey.of(reason=reason, supplier=sku_supplier[s])
    return out


def fold_cross_dimension(alerts: list[CoreAlert], slack: float = 1.5) -> list[CoreAlert]:
    """Roll sibling cuts of one explained reason-level spike into its explainer.

    When the reason-level alert is explained by a segment A (``rolled_into`` A), an alert of the
    same reason in another dimension (carrier=DHL while A is source=mobile_app) is usually the
    same tickets seen through another cut. It is folded into A unless its excess is larger than
    ``slack`` x the reason-level excess that A leaves unexplained, plus 2 (then it may be a
    separate incident and stays primary)."""
    by_key = {a.key: a for a in alerts}
    out = []
    for a in alerts:
        key = a.key
        if not (isinstance(key, SegmentKey) and key.depth >= 2 and a.primary):
            out.append(a)
            continue
        top = by_key.get(SegmentKey.of(reason=key.get("reason") or ""))
        expl = by_key.get(top.rolled_into) if top is not None and top.rolled_into else None
        if top is None or expl is None or expl.key == key or not isinstance(expl.key, SegmentKey):
            out.append(a)
            continue
        related = expl.key.is_ancestor_of(key) or key.is_ancestor_of(expl.key)
        unexplained = max(top.excess - expl.excess, 0.0)
        if not related and a.excess <= slack * unexplained + 2.0:
            out.append(dataclasses.replace(a, primary=False, rolled_into=expl.key))
        else:
            out.append(a)
    return out


def _describe(key: SegmentKey) -> tuple[str, str, str]:
    reason = key.get("reason") or ""
    rest = [(k, v) for k, v in key.parts if k != "reason"]
    if not rest:
        return reason, "all", ALL
    return reason, "+".join(k for k, _ in rest), "|".join(v for _, v in rest)


def _incident_of(row: SpikeAlert) -> Incident:
    return Incident(
        key=SegmentKey.of(**row.segment),
        onset=row.onset.toordinal(),
        first_alert=row.first_alert_day.toordinal(),
        last_alert=row.last_alert_day.toordinal(),
        n_alert_days=row.n_alert_days,
        peak_ratio=row.peak_ratio,
        peak_severity=row.severity,  # type: ignore[arg-type]
        first_explanation=row.explanation,
    )


def signals_scan(
    *, as_of: dt.date | None, actor: Actor, config: SpikeConfig | None = None
) -> ScanResult:
    """Scan the rollups at ``as_of`` (default: yesterday) and store/update the alerts."""
    t0 = time.perf_counter()
    cfg = config or SCAN_CONFIG
    as_of = as_of or local_day(timezone.now()) - dt.timedelta(days=1)
    panel, start = build_panel(as_of=as_of, config=cfg)
    result = ScanResult(as_of=as_of, n_series=panel.n_series)
    idx = (as_of - start).days
    if panel.n_series == 0 or idx - max(cfg.windows) + 1 < cfg.min_baseline_days:
        result.skipped = "not enough history"
        result.seconds = time.perf_counter() - t0
        return result
    base = start.toordinal()
    core = [
        dataclasses.replace(a, as_of=base + a.as_of, onset=base + a.onset)
        for a in scan(panel, idx, cfg)
    ]
    core = fold_cross_dimension(list(rollup_alerts(core, _parents([a.key for a in core]))))
    with transaction.atomic():
        _store(result, core, as_of, actor)
    result.seconds = time.perf_counter() - t0
    logger.info(
        "signals.scan",
        extra={"as_of": str(as_of), "series": panel.n_series, "alerts": len(result.alerts)},
    )
    return result


def _store(result: ScanResult, core: list[CoreAlert], as_of: dt.date, actor: Actor) -> None:
    day = as_of.toordinal()
    recent = SpikeAlert.objects.filter(
        last_alert_day__gte=as_of - dt.timedelta(days=MAX_GAP), last_alert_day__lte=as_of
    ).order_by("last_alert_day", "id")
    latest: dict[str, SpikeAlert] = {r.segment_label: r for r in recent}
    done_today = {label for label, r in latest.items() if r.last_alert_day == as_of}
    alerts = [a for a in core if str(a.key) not in done_today]  # a re-run of the same day
    open_ = [_incident_of(r) for lbl, r in latest.items() if lbl not in done_today]
    upd = update_incidents(open_, alerts, day, max_gap=MAX_GAP)
    by_key = {a.key: a for a in alerts}
    new_keys = {inc.key for inc in upd.new}
    now = timezone.now()
    for inc in (*upd.new, *upd.continuing):
        assert isinstance(inc.key, SegmentKey)
        a = by_key[inc.key]
        label = str(inc.key)
        onset = dt.date.fromordinal(inc.onset)
        reason, dim, value = _describe(inc.key)
        segment = dict(inc.key.parts)
        fields = dict(
            segment=segment, segment_label=label, reason=reason, dimension=dim, value=value,
            onset=onset, first_alert_day=dt.date.fromordinal(inc.first_alert),
            last_alert_day=as_of, n_alert_days=inc.n_alert_days, window_days=a.window_days,
            observed=a.observed, expected=a.expected, exposure=a.exposure, ratio=a.ratio,
            peak_ratio=inc.peak_ratio, p_value=a.p_value, q_value=a.q_value,
            severity=inc.peak_severity, explanation=a.explanation, primary=a.primary,
            rolled_into=str(a.rolled_into or ""), updated_at=now,
            example_ticket_ids=example_ticket_ids(segment=segment, since=onset, until=as_of),
        )  # fmt: skip
        row, created = SpikeAlert.objects.get_or_create(
            dedup_key=f"{label}@{onset.isoformat()}", defaults={**fields, "created_at": now}
        )
        notify = created
        if not created and row.last_alert_day > as_of:
            continue  # re-scanning a past day never rewinds a later state of the incident
        if created:
            prior = latest.get(label)
            if prior is not None and prior.snoozed_until and prior.snoozed_until >= as_of:
                row.status, row.snoozed_until = AlertStatus.SNOOZED, prior.snoozed_until
                row.save(update_fields=["status", "snoozed_until"])
                notify = False
        else:
            fields["primary"] = row.primary and a.primary  # once rolled up, stays rolled up
            for name, val in fields.items():
                setattr(row, name, val)
            if row.status == AlertStatus.SNOOZED and (row.snoozed_until or as_of) < as_of:
                row.status, row.snoozed_until, notify = AlertStatus.OPEN, None, True
            elif row.status == AlertStatus.RESOLVED:
                row.status, notify = AlertStatus.OPEN, True
            row.save()
        result.alerts.append(row)
        if inc.key in new_keys:
            result.new.append(row)
        if notify and row.status == AlertStatus.OPEN and row.primary:
            result.notify.append(row)
