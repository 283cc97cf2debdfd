"""Difference-in-differences impact of a root-cause action on a contact rate (Django-free).

Model: a Poisson GLM on the unit x period panel (units: e.g. SKUs; periods: days or weeks)

    log E[contacts_ut] = log(exposure_ut) + a_u + b_t + beta * treated_u * post_t

with unit and period fixed effects and a log(exposure) offset, so ``exp(beta)`` is the rate
ratio of the treated units after the action relative to what the control units imply. The
standard error is cluster-robust by unit (robust to overdispersion and serial correlation) with
t critical values on G - 1 degrees of freedom when there are at least ``min_clusters`` units;
with fewer units it falls back to quasi-Poisson (Pearson-scaled) standard errors, which ignore
serial correlation and are reported as such in ``cov_type``. With fewer than
``min_treated_clusters`` treated (or control) units the cluster-robust SE is too small (a 5%
test rejected 9.5% of 200 simulated nulls with 3 of 12 units treated), so the SE is then never
below the quasi-Poisson one (2% rejected in the same simulation). The relative change is
``exp(beta) - 1`` with its 95% CI ``exp(beta +/- t * se) - 1``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from threadpoolctl import threadpool_limits

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class DidResult:
    rate_ratio: float
    relative_change: float  # rate_ratio - 1, e.g. -0.42
    ci_low: float  # relative change, lower 95% bound
    ci_high: float
    p_value: float
    significant: bool  # CI excludes 0
    verdict: str
    treated_rate_before: float  # contacts per unit exposure
    treated_rate_after: float
    control_rate_before: float
    control_rate_after: float
    naive_ratio: float  # (treated after/before) / (control after/before), unadjusted
    n_treated: int
    n_control: int
    n_periods: int
    cov_type: str


def _pct(x: float) -> str:
    return f"{abs(x) * 100:.0f}%"


def verdict_text(
    change: float, lo: float, hi: float, subject: str, comparison: str, level: int = 95
) -> str:
    """Plain-language verdict from a relative change and its CI (all as fractions)."""
    if lo > 0:
        return (
            f"{subject} rose {_pct(change)} ({level}% CI {abs(lo) * 100:.0f}–{_pct(hi)}) "
            f"relative to {comparison}."
        )
    if hi < 0:
        return (
            f"{subject} fell {_pct(change)} ({level}% CI {abs(hi) * 100:.0f}–{_pct(lo)}) "
            f"relative to {comparison}."
        )
    return (
        f"No measurable change in {subject[:1].lower() + subject[1:]} relative to {comparison} "
        f"(estimate {change * 100:+.0f}%, {level}% CI {lo * 100:+.0f}% to {hi * 100:+.0f}%)."
    )


def aggregate_periods(
    counts: FloatArray, exposure: FloatArray, action_index: int, period_days: int
) -> tuple[FloatArray, FloatArray, int]:
    """Sum ``(U, T)`` daily arrays into periods aligned so that ``action_index`` starts one.

    Incomplete leading periods are dropped. Returns (counts, exposure, first post period).
    """
    t = counts.shape[1]
    first = action_index % period_days
    n = (t - first) // period_days
    sl = slice(first, first + n * period_days)
    shape = (counts.shape[0], n, period_days)
    c = counts[:, sl].reshape(shape).sum(axis=2)
    e = exposure[:, sl].reshape(shape).sum(axis=2)
    return c, e, (action_index - first) // period_days


def diff_in_diff(
    counts: ArrayLike,
    exposure: ArrayLike,
    treated: ArrayLike,
    action_index: int,
    subject: str = "Contacts",
    comparison: str = "comparable units",
    period_days: int = 7,
    min_clusters: int = 10,
    level: float = 0.95,
    min_treated_clusters: int = 5,
) -> DidResult:
    """Estimate the treated-after rate ratio from ``(U, T)`` daily counts and exposure.

    ``treated`` is a boolean per unit; ``action_index`` is the first day after the action.
    Days are summed into ``period_days``-day periods first (default weeks; 1 keeps days).
    """
    c = np.asarray(counts, dtype=np.float64)
    e = np.asarray(exposure, dtype=np.float64)
    tr = np.asarray(treated, dtype=bool)
    if c.shape != e.shape or c.ndim != 2 or tr.shape != (c.shape[0],):
        raise ValueError("counts/exposure must be (units, days) and treated one flag per unit")
    if not (tr.any() and (~tr).any()):
        raise ValueError("need at least one treated and one control unit")
    if period_days > 1:
        c, e, post_start = aggregate_periods(c, e, action_index, period_days)
    else:
        post_start = action_index
    n_units, n_periods = c.shape
    if not (0 < post_start < n_periods):
        raise ValueError("the action must have periods both before and after it")
    post = np.arange(n_periods) >= post_start

    def rate(umask: NDArray[np.bool_], pmask: NDArray[np.bool_]) -> float:
        den = e[np.ix_(umask, pmask)].sum()
        return float(c[np.ix_(umask, pmask)].sum() / den) if den > 0 else float("nan")

    rates = (rate(tr, ~post), rate(tr, post), rate(~tr, ~post), rate(~tr, post))
    naive = (rates[1] / rates[0]) / (rates[3] / rates[2]) if min(rates) > 0 else float("nan")

    uu, pp = np.meshgrid(np.arange(n_units), np.arange(n_periods), indexing="ij")
    keep = (e > 0).ravel()
    u_idx, p_idx = uu.ravel()[keep], pp.ravel()[keep]
    y = c.ravel()[keep]
    x_unit = (u_idx[:, None] == np.arange(1, n_units)[None, :]).astype(np.float64)
    x_per = (p_idx[:, None] == np.arange(1, n_periods)[None, :]).astype(np.float64)
    did = (tr[u_idx] & post[p_idx]).astype(np.float64)
    x = np.column_stack([did, np.ones(y.size), x_unit, x_per])
    model = sm.GLM(y, x, family=sm.families.Poisson(), offset=np.log(e.ravel()[keep]))
    # single-threaded BLAS: these small dense solves are 10-100x slower with thread contention
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")
        if n_units >= min_clusters:
            fit = model.fit(cov_type="cluster", cov_kwds={"groups": u_idx}, use_t=True)
            cov_type = f"cluster-robust by unit ({n_units} clusters)"
            se, df = float(fit.bse[0]), n_units - 1
            few = min(int(tr.sum()), int((~tr).sum()))
            if few < min_treated_clusters:
                # Few treated (or control) clusters make the cluster-robust SE too small (a 5%
                # test rejects ~10% of nulls with 3 of 12 units treated): never go below the
                # quasi-Poisson SE, which is right when there is no serial correlation.
                se_q = float(model.fit(scale="X2").bse[0])
                if se_q > se:
                    se = se_q
                    cov_type += f", widened to quasi-Poisson ({few} treated/control clusters)"
        else:
            fit = model.fit(scale="X2", use_t=True)
            cov_type = "quasi-Poisson (few units: serial correlation not accounted for)"
            se, df = float(fit.bse[0]), int(fit.df_resid)
    beta = float(fit.params[0])
    t_crit = float(stats.t.ppf(0.5 + level / 2, df))
    lo_b, hi_b = beta - t_crit * se, beta + t_crit * se
    p_value = float(2 * stats.t.sf(abs(beta / se), df)) if se > 0 else 0.0
    rr = float(np.exp(beta))
    change, lo, hi = rr - 1.0, float(np.exp(lo_b)) - 1.0, float(np.exp(hi_b)) - 1.0
    return DidResult(
        rate_ratio=rr,
        relative_change=change,
        ci_low=lo,
        ci_high=hi,
        p_value=p_value,
        significant=bool(lo > 0 or hi < 0),
        verdict=verdict_text(change, lo, hi, subject, comparison, round(level * 100)),
        treated_rate_before=rates[0],
        treated_rate_after=rates[1],
        control_rate_before=rates[2],
        control_rate_after=rates[3],
        naive_ratio=float(naive),
        n_treated=int(tr.sum()),
        n_control=int((~tr).sum()),
        n_periods=n_periods,
        cov_type=cov_type,
    )
