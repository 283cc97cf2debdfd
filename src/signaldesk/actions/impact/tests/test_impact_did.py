"""Difference-in-differences on simulated SKU panels with known effects (seeded)."""

from __future__ import annotations

import numpy as np

from signaldesk.actions.impact.did import diff_in_diff, verdict_text

T, ACTION = 84, 56
WEEK = np.array([1.0, 1.1, 1.05, 1.0, 0.9, 0.6, 0.5])


def panel(seed: int, effect: float, units: int = 40, n_treated: int = 10) -> tuple:
    rng = np.random.default_rng(seed)
    wd = np.arange(T) % 7
    exposure = np.round(rng.lognormal(4.0, 0.5, size=(units, 1)) * WEEK[wd][None, :])
    rate = rng.lognormal(np.log(0.03), 0.4, size=(units, 1))
    trend = np.exp(0.003 * np.arange(T))[None, :]
    treated = np.arange(units) < n_treated
    mult = np.where(treated[:, None] & (np.arange(T)[None, :] >= ACTION), 1.0 + effect, 1.0)
    mu = exposure * rate * trend * mult
    counts = rng.poisson(rng.gamma(10.0, mu / 10.0))
    return counts, exposure, treated


def test_known_minus_40_percent_effect() -> None:
    counts, exposure, treated = panel(3, -0.40)
    res = diff_in_diff(
        counts, exposure, treated, ACTION, "Tickets about sizing on SKU X", "comparable SKUs"
    )
    assert res.ci_low <= -0.40 <= res.ci_high
    assert res.ci_high < 0
    assert res.significant
    assert abs(res.relative_change + 0.40) < 0.1
    assert res.verdict.startswith("Tickets about sizing on SKU X fell ")
    assert res.verdict.endswith("relative to comparable SKUs.")
    assert res.treated_rate_after < res.treated_rate_before
    assert (res.n_treated, res.n_control, res.n_periods) == (10, 30, 12)


def test_null_effect_reports_no_measurable_change() -> None:
    counts, exposure, treated = panel(0, 0.0)
    res = diff_in_diff(counts, exposure, treated, ACTION, "Tickets about sizing", "other SKUs")
    assert res.ci_low < 0 < res.ci_high
    assert not res.significant
    assert res.verdict.startswith("No measurable change in tickets about sizing relative to")


def test_daily_periods_and_few_units_fallback() -> None:
    counts, exposure, treated = panel(5, -0.40, units=6, n_treated=1)
    res = diff_in_diff(counts, exposure, treated, ACTION, period_days=1)
    assert res.cov_type.startswith("quasi-Poisson")
    assert res.n_periods == T
    assert res.ci_low <= -0.40 <= res.ci_high


def test_verdict_text_formats() -> None:
    fell = verdict_text(-0.42, -0.52, -0.30, "Tickets about sizing on SKU X", "comparable SKUs")
    rose = verdict_text(0.25, 0.10, 0.41, "Refund contacts", "other carriers")
    assert fell == (
        "Tickets about sizing on SKU X fell 42% (95% CI 30–52%) relative to comparable SKUs."
    )
    assert rose == "Refund contacts rose 25% (95% CI 10–41%) relative to other carriers."
