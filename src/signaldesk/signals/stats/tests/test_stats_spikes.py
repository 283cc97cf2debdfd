"""Synthetic-series tests of the spike detector (known answers, seeded RNG)."""

from __future__ import annotations

import numpy as np

from signaldesk.signals.stats.hierarchy import SegmentKey, rollup_alerts
from signaldesk.signals.stats.onsets import first_flagged_day, track_incidents
from signaldesk.signals.stats.spikes import (
    SeriesPanel,
    SpikeAlert,
    SpikeConfig,
    evaluate_panel,
    explain,
    fit_baseline,
    scan,
)
from signaldesk.signals.stats.spikes_glm import glm_window_test

T = 120
WD = np.arange(T) % 7
ORDER_WEEK = np.array([1.0, 1.1, 1.05, 1.0, 0.9, 0.6, 0.5])
CONTACT_WEEK = np.array([1.6, 1.1, 1.0, 0.9, 0.9, 0.7, 0.6])


def make_panel(
    seed: int,
    n: int,
    daily_orders: float,
    rate: float,
    alpha: float = 0.0,
    contact_week: np.ndarray = CONTACT_WEEK,
) -> tuple[SeriesPanel, np.ndarray]:
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 0.3, size=(n, 1))
    exposure = np.round(daily_orders * size * ORDER_WEEK[WD][None, :])
    mu = exposure * rate * contact_week[WD][None, :]
    lam = rng.gamma(1.0 / alpha, alpha * mu) if alpha > 0 else mu
    counts = rng.poisson(lam)
    keys = [SegmentKey.of(reason="sizing", sku=f"SKU{i}") for i in range(n)]
    return SeriesPanel.build(keys, counts, exposure, WD), mu


def alerts_over(panel: SeriesPanel, days: range, cfg: SpikeConfig) -> dict[int, tuple]:
    return {d: scan(panel, d, cfg) for d in days}


def test_weekday_seasonality_without_spike_gives_no_alert() -> None:
    strong_week = np.array([3.0, 1.5, 1.0, 1.0, 0.8, 0.4, 0.3])
    panel, _ = make_panel(1, 50, 400.0, 0.02, contact_week=strong_week)
    n_alerts = sum(len(a) for a in alerts_over(panel, range(90, 120), SpikeConfig()).values())
    assert n_alerts == 0


def test_low_count_null_series_stay_quiet() -> None:
    panel, _ = make_panel(2, 200, 30.0, 0.01)
    res = [evaluate_panel(panel, d) for d in range(90, 120)]
    n_flags = sum(int(r.flagged.sum()) for r in res)
    raw_small = np.mean(np.concatenate([r.p_value[r.tested] for r in res]) <= 0.001)
    assert n_flags <= 1
    assert raw_small <= 0.002


def test_overdispersed_nb_null_stays_quiet() -> None:
    panel, _ = make_panel(3, 200, 600.0, 0.03, alpha=0.25)
    n_flags = sum(int(evaluate_panel(panel, d).flagged.sum()) for d in range(90, 120))
    assert n_flags <= 2


def test_exposure_doubling_without_rate_change_gives_no_alert() -> None:
    rng = np.random.default_rng(4)
    n = 100
    exposure = np.round(200.0 * ORDER_WEEK[WD][None, :] * np.ones((n, 1)))
    exposure[:, 100:] *= 2.0
    counts = rng.poisson(exposure * 0.03 * CONTACT_WEEK[WD][None, :])
    panel = SeriesPanel.build([f"s{i}" for i in range(n)], counts, exposure, WD)
    n_alerts = sum(len(a) for a in alerts_over(panel, range(100, 110), SpikeConfig()).values())
    assert n_alerts == 0


def spiked_panel() -> tuple[SeriesPanel, np.ndarray]:
    panel, mu = make_panel(5, 100, 500.0, 0.02)
    rng = np.random.default_rng(50)
    counts = panel.counts.copy()
    counts[7, 100:] = rng.poisson(4.0 * mu[7, 100:])
    return SeriesPanel.build(panel.keys, counts, panel.exposure, WD), mu


def test_spike_detected_at_known_start_with_expected_close_to_truth() -> None:
    panel, mu = spiked_panel()
    by_day = alerts_over(panel, range(90, 112), SpikeConfig())
    incidents = track_incidents(by_day)
    first = by_day[100][0]
    assert [(i.key, i.onset, i.first_alert) for i in incidents] == [(panel.keys[7], 100, 100)]
    assert first.window_days == 1
    assert abs(first.expected - mu[7, 100]) / mu[7, 100] < 0.3
    assert first.severity in ("warning", "critical")
    assert first.explanation.startswith(f"{first.observed} contacts vs {first.expected:.1f}")


def test_auto_method_confirms_spike_with_statsmodels() -> None:
    panel, _ = spiked_panel()
    alerts = scan(panel, 100, SpikeConfig(method="auto"))
    assert [a.key for a in alerts] == [panel.keys[7]]
    assert alerts[0].method in ("poisson", "negbin")


def test_fast_baseline_equals_poisson_glm_without_shrinkage() -> None:
    panel, _ = make_panel(6, 1, 300.0, 0.05)
    cfg = SpikeConfig(weekday_prior=0.0, rate_prior=0.0)
    sl, win = slice(40, 96), slice(96, 98)
    base = fit_baseline(panel.counts[:, sl], panel.exposure[:, sl], WD[sl], cfg)
    fast = base.expected(panel.exposure[:, win], WD[win]).sum()
    glm = glm_window_test(
        panel.counts[0, sl],
        panel.exposure[0, sl],
        WD[sl],
        panel.counts[0, win],
        panel.exposure[0, win],
        WD[win],
    )
    assert glm is not None
    assert abs(glm.expected - fast) < 1e-6 * fast


def test_explanation_string() -> None:
    text = explain(23, 4.1, 812.0, 5.6, 3e-7, 1, "orders")
    assert text == "23 contacts vs 4.1 expected given 812 orders (5.6x), p<0.0001"


def make_alert(key: SegmentKey, observed: int, expected: float) -> SpikeAlert:
    return SpikeAlert(
        key=key,
        as_of=10,
        onset=10,
        window_days=1,
        observed=observed,
        expected=expected,
        exposure=100.0,
        rate=observed / 100.0,
        baseline_rate=expected / 100.0,
        ratio=observed / expected,
        p_value=1e-6,
        q_value=1e-5,
        severity="warning",
        explanation="",
    )


def test_rollup_marks_batch_that_explains_supplier_spike() -> None:
    sup = SegmentKey.of(reason="damaged", supplier="P1")
    batch = SegmentKey.of(reason="damaged", batch="B7")
    other = SegmentKey.of(reason="damaged", carrier="C1")
    reason = SegmentKey.of(reason="damaged")
    alerts = [
        make_alert(sup, 40, 10.0),
        make_alert(batch, 28, 2.0),
        make_alert(other, 12, 3.0),
        make_alert(reason, 150, 50.0),
    ]
    out = {a.key: a for a in rollup_alerts(alerts, parents={batch: sup})}
    assert (out[batch].primary, out[batch].rolled_into) == (True, None)
    assert (out[sup].primary, out[sup].rolled_into) == (False, batch)
    assert (out[reason].primary, out[reason].rolled_into) == (True, None)
    assert (out[other].primary, out[other].rolled_into) == (False, reason)


def test_first_flagged_day_and_incident_dedup() -> None:
    flags = np.array([0, 1, 0, 0, 1, 1, 0, 1, 1], dtype=bool)
    a = make_alert(SegmentKey.of(reason="x"), 10, 2.0)
    later = {d: (SpikeAlert(**{**a.__dict__, "as_of": d, "onset": d - 1}),) for d in (4, 5, 7, 20)}
    incidents = track_incidents(later, max_gap=3)
    assert first_flagged_day(flags, 8) == 7
    assert first_flagged_day(flags, 8, max_gap=1) == 4
    assert first_flagged_day(flags, 6) is None
    assert [(i.onset, i.first_alert, i.last_alert, i.n_alert_days) for i in incidents] == [
        (3, 4, 7, 3),
        (19, 20, 20, 1),
    ]
