"""``action_measure_impact``: contact rate and cost before vs after a done action, against
comparable untreated units, by difference-in-differences (actions.impact.did, statsmodels).

Units and exposure come from the signals rollups only:

- the action names SKUs -> units are SKUs (``dimension="sku"``), contacts of the action's
  reasons per SKU and day (ContactRollup), exposure = orders of the SKU that day
  (ExposureRollup); controls = every other SKU with orders in both periods and at least one
  contact of those reasons in the window ("comparable SKUs");
- else a segment from an alert (batch, carrier, supplier, ...) -> the same with that dimension;
- else reason-level: units are contact reasons, exposure = all orders; controls = the other
  reasons with contacts in both periods ("comparable reasons").

Window: ``window_days`` before the first day after ``done_at`` and up to ``window_days`` after
it (ending at ``as_of``, default yesterday); at least ``MIN_POST_DAYS`` days after are needed.
Days are summed into weeks aligned on the action day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from signaldesk.actions.impact.did import aggregate_periods, diff_in_diff
from signaldesk.actions.models import Action, ActionImpact, ActionStatus
from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError
from signaldesk.signals.models import ContactRollup, CostRollup, ExposureRollup
from signaldesk.signals.rollups import ALL
from signaldesk.signals.services import local_day

MIN_POST_DAYS = 14
MAX_CONTROLS = 200
PERIOD_DAYS = 7
_ROLLUP_DIM = {"carrier+region": "carrier_region"}


def _cut(action: Action) -> tuple[str, list[str]]:
    if action.skus:
        return "sku", list(action.skus)
    dim = str(action.segment.get("dimension", ""))
    value = str(action.segment.get("value", ""))
    dim = _ROLLUP_DIM.get(dim, dim)
    if dim and dim != "all" and "+" not in dim and value:
        return dim, [value]
    if not action.reasons:
        raise ValidationError("The action names no SKU, segment or reason to measure.")
    return "reason", list(action.reasons)


def _names(reasons: list[str]) -> str:
    from signaldesk.taxonomy.models import ContactReason

    names = dict(
        ContactReason.objects.filter(version__is_active=True, reason_id__in=reasons).values_list(
            "reason_id", "name"
        )
    )
    return " and ".join(names.get(r, r.replace("_", " ")).lower() for r in reasons)


def _subject(dim: str, treated: list[str], reasons: list[str]) -> tuple[str, str]:
    about = f"Tickets about {_names(reasons)}" if reasons else "Contacts"
    if dim == "reason":
        return f"Tickets about {_names(treated)}", "comparable reasons"
    label = {"sku": "SKU", "carrier_region": "carrier x region"}.get(dim, dim.replace("_", " "))
    plural = "s" if len(treated) > 1 else ""
    return f"{about} on {label}{plural} {', '.join(treated)}", f"comparable {label}s"


def _panel(
    dim: str, treated: list[str], reasons: list[str], start: dt.date, n_days: int
) -> tuple[list[str], np.ndarray, np.ndarray]:
    end = start + dt.timedelta(days=n_days - 1)
    span = Q(day__gte=start, day__lte=end)
    if dim == "reason":
        rows = ContactRollup.objects.filter(span, dimension="all").values_list(
            "reason", "day", "contacts"
        )
        orders = dict(
            ExposureRollup.objects.filter(span, dimension="all", value=ALL).values_list(
                "day", "orders"
            )
        )
        exposure_of: dict[str, dict[dt.date, int]] = {"": orders}
    else:
        qs = ContactRollup.objects.filter(span, dimension=dim)
        if reasons:
            qs = qs.filter(reason__in=reasons)
        rows = qs.values_list("value", "day", "contacts")
        exposure_of = {}
        for value, day, o in ExposureRollup.objects.filter(span, dimension=dim).values_list(
            "value", "day", "orders"
        ):
            exposure_of.setdefault(value, {})[day] = o
    counts: dict[str, np.ndarray] = {}
    for unit, day, n in rows:
        counts.setdefault(unit, np.zeros(n_days))[(day - start).days] += n
    units = sorted(set(counts) | set(treated))
    exp = np.zeros((len(units), n_days))
    cnt = np.zeros((len(units), n_days))
    for i, unit in enumerate(units):
        cnt[i] = counts.get(unit, np.zeros(n_days))
        by_day = exposure_of.get("" if dim == "reason" else unit, {})
        for day, o in by_day.items():
            exp[i, (day - start).days] = o
    return units, cnt, exp


def _cost(dim: str, treated: list[str], reasons: list[str], lo: dt.date, hi: dt.date) -> Decimal:
    if dim not in ("sku", "reason"):
        return Decimal("0")  # cost rollups are kept per (reason, sku) only
    qs = CostRollup.objects.filter(day__gte=lo, day__lte=hi)
    if dim == "sku":
        qs = qs.filter(sku__in=treated)
    if dim == "reason":
        qs = qs.filter(reason__in=treated)
    elif reasons:
        qs = qs.filter(reason__in=reasons)
    agg = qs.aggregate(r=Sum("refunds"), x=Sum("replacements"), d=Sum("discounts"))
    return sum((agg[k] or Decimal(0) for k in ("r", "x", "d")), Decimal(0))


def action_measure_impact(
    *, action: Action, actor: Actor, as_of: dt.date | None = None, window_days: int = 28
) -> ActionImpact:
    """Measure a done (or re-measure a measured) action; stores an ActionImpact with the
    verdict and marks the action measured."""
    if action.status not in (ActionStatus.DONE, ActionStatus.MEASURED) or action.done_at is None:
        raise ValidationError("Only a done action can be measured.")
    as_of = as_of or local_day(timezone.now()) - dt.timedelta(days=1)
    action_day = local_day(action.done_at) + dt.timedelta(days=1)
    post_days = min((as_of - action_day).days + 1, window_days)
    if post_days < MIN_POST_DAYS:
        raise ValidationError(
            f"Too early to measure: {max(post_days, 0)} days after the change, "
            f"{MIN_POST_DAYS} needed."
        )
    dim, treated = _cut(action)
    reasons = list(action.reasons) if dim != "reason" else []
    start = action_day - dt.timedelta(days=window_days)
    n_days = window_days + post_days
    units, cnt, exp = _panel(dim, treated, reasons, start, n_days)
    pre, post = slice(0, window_days), slice(window_days, n_days)
    is_treated = np.array([u in treated for u in units])
    comparable = (exp[:, pre].sum(1) > 0) & (exp[:, post].sum(1) > 0) & (cnt.sum(1) > 0)
    keep = is_treated | comparable
    if dim == "reason":
        keep = is_treated | ((cnt[:, pre].sum(1) > 0) & (cnt[:, post].sum(1) > 0))
    controls = np.flatnonzero(keep & ~is_treated)
    controls = controls[np.argsort(-exp[controls].sum(1), kind="stable")][:MAX_CONTROLS]
    rows = np.concatenate([np.flatnonzero(is_treated), controls])
    if not is_treated[rows].any() or exp[rows][is_treated[rows]][:, pre].sum() <= 0:
        raise ValidationError("The treated units have no orders before the change.")
    if controls.size == 0:
        raise ValidationError("No comparable untreated units to compare with.")
    subject, comparison = _subject(dim, treated, reasons)
    res = diff_in_diff(
        cnt[rows], exp[rows], is_treated[rows], window_days,
        subject=subject, comparison=comparison, period_days=PERIOD_DAYS,
    )  # fmt: skip
    if not np.isfinite([res.rate_ratio, res.ci_low, res.ci_high, res.p_value]).all():
        raise ValidationError(
            "The change cannot be estimated: the treated units have no such contacts before "
            "or after it."
        )
    c_w, e_w, _ = aggregate_periods(cnt[rows], exp[rows], window_days, PERIOD_DAYS)
    tr = is_treated[rows]
    first = window_days % PERIOD_DAYS
    periods = [
        (start + dt.timedelta(days=first + PERIOD_DAYS * k)).isoformat()
        for k in range(c_w.shape[1])
    ]

    def weekly(mask: np.ndarray) -> list[float]:
        den = e_w[mask].sum(0)
        return [
            round(1000.0 * c / d, 3) if d else 0.0
            for c, d in zip(c_w[mask].sum(0), den, strict=True)
        ]

    pre_lo, pre_hi = start, action_day - dt.timedelta(days=1)
    post_hi = action_day + dt.timedelta(days=post_days - 1)
    with transaction.atomic():
        impact = ActionImpact.objects.create(
            action=action, measured_at=timezone.now(), action_day=action_day,
            window_days=window_days, dimension=dim, treated=treated, n_control=int(controls.size),
            rate_ratio=res.rate_ratio, relative_change=res.relative_change, ci_low=res.ci_low,
            ci_high=res.ci_high, p_value=res.p_value, significant=res.significant,
            verdict=res.verdict, cov_type=res.cov_type,
            treated_rate_before=res.treated_rate_before, treated_rate_after=res.treated_rate_after,
            control_rate_before=res.control_rate_before, control_rate_after=res.control_rate_after,
            cost_before=_cost(dim, treated, reasons, pre_lo, pre_hi),
            cost_after=_cost(dim, treated, reasons, action_day, post_hi),
            series={"periods": periods, "treated": weekly(tr), "control": weekly(~tr),
                    "action_period": len([p for p in periods if p < action_day.isoformat()])},
        )  # fmt: skip
        locked = Action.objects.select_for_update().get(pk=action.pk)
        before = locked.status
        locked.status = ActionStatus.MEASURED
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="actions.impact_measured",
            obj=locked,
            before={"status": before},
            after={"status": locked.status, "verdict": res.verdict, "impact": impact.pk},
        )
    return impact
