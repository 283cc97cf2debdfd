"""Exposure-normalised spike detection over daily contact series (Django-free).

Model
-----
For segment ``s`` and day ``t`` with contacts ``y[s, t]`` and exposure ``e[s, t]`` (orders or
units shipped in that segment) the baseline is the Poisson log-linear model

    log E[y] = log e + log r_s + log f_s[weekday(t)]

fitted on a trailing window (``baseline_days``, default 56) that ends just before the tested
window. Its maximum-likelihood fit is closed form (per-weekday rate ``C_d / E_d``, identical to a
Poisson GLM with a log(exposure) offset and weekday dummies, see :mod:`.spikes_glm`). For low
counts the per-series weekday factors are shrunk toward the weekday factors pooled over every
series in the panel with ``weekday_prior`` pseudo-counts, and the rate gets ``rate_prior``
pseudo-counts so that an all-zero baseline never yields a zero expectation.

Overdispersion: a negative-binomial dispersion ``alpha`` (Var = mu + alpha * mu^2) is estimated by
moments from the baseline residuals, shrunk toward the panel-wide estimate. The uncertainty of
the baseline itself (few baseline counts) is added to ``alpha`` so that the test is the
approximate predictive distribution, not a plug-in. The tail probability
``P(Y >= observed)`` is taken from :data:`scipy.stats.nbinom` on whole arrays.

Each series is tested on every window in ``windows`` (default the last 1 and last 2 days, so a
moderate spike is caught on the day after onset); the smallest p-value is Bonferroni-adjusted
for the number of windows. Multiplicity across series is controlled with Benjamini-Hochberg
(``fdr_q``) over every tested series. Alerts additionally need ``observed >= min_count``,
``ratio >= min_ratio`` and ``observed - expected >= min_excess``.

``method="auto"`` re-tests the candidates with a statsmodels GLM (Poisson, switching to a
negative-binomial fit when the Pearson dispersion says so); ``"glm"`` does that for every
series (slow, for small panels and validation).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from statsmodels.stats.multitest import multipletests
from threadpoolctl import threadpool_limits

FloatArray = NDArray[np.float64]
Severity = Literal["info", "warning", "critical"]
Method = Literal["fast", "glm", "auto"]

_TINY = 1e-12


@dataclass(frozen=True, eq=False)
class SeriesPanel:
    """Daily series for many segments on a shared calendar.

    ``counts`` and ``exposure`` are ``(n_series, n_days)``; ``weekday`` is ``(n_days,)`` with
    values 0..6. Keys are opaque hashables built by the caller (e.g. :class:`SegmentKey`).
    """

    keys: tuple[Hashable, ...]
    counts: FloatArray
    exposure: FloatArray
    weekday: NDArray[np.int64]
    exposure_label: str = "orders"

    def __post_init__(self) -> None:
        counts = np.atleast_2d(np.asarray(self.counts, dtype=np.float64))
        exposure = np.atleast_2d(np.asarray(self.exposure, dtype=np.float64))
        weekday = np.asarray(self.weekday, dtype=np.int64)
        if counts.shape != exposure.shape:
            raise ValueError(f"counts {counts.shape} and exposure {exposure.shape} differ")
        if weekday.shape != (counts.shape[1],):
            raise ValueError("weekday must have one entry per day")
        if len(self.keys) != counts.shape[0]:
            raise ValueError("one key per series is required")
        if np.any(counts < 0) or np.any(exposure < 0):
            raise ValueError("counts and exposure must be non-negative")
        if np.any((weekday < 0) | (weekday > 6)):
            raise ValueError("weekday values must be in 0..6")
        object.__setattr__(self, "keys", tuple(self.keys))
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "exposure", exposure)
        object.__setattr__(self, "weekday", weekday)

    @classmethod
    def build(
        cls,
        keys: Sequence[Hashable],
        counts: ArrayLike,
        exposure: ArrayLike,
        weekday: ArrayLike,
        exposure_label: str = "orders",
    ) -> SeriesPanel:
        return cls(
            tuple(keys),
            np.asarray(counts, dtype=np.float64),
            np.asarray(exposure, dtype=np.float64),
            np.asarray(weekday, dtype=np.int64),
            exposure_label,
        )

    @property
    def n_series(self) -> int:
        return int(self.counts.shape[0])

    @property
    def n_days(self) -> int:
        return int(self.counts.shape[1])


@dataclass(frozen=True)
class SpikeConfig:
    """Thresholds of the detector. Defaults are the ones tuned in ``bench/signals_core_recall``."""

    baseline_days: int = 56
    min_baseline_days: int = 21
    windows: tuple[int, ...] = (1, 2)
    weekday_prior: float = 10.0
    rate_prior: float = 0.5
    dispersion_prior: float = 2000.0
    dispersion_safety: float = 1.25
    outlier_z: float | None = 3.5
    max_dispersion: float = 5.0
    fdr_q: float = 0.01
    p_max: float | None = None
    min_count: int = 3
    min_ratio: float = 1.5
    min_excess: float = 2.0
    method: Method = "fast"
    glm_prefilter_p: float = 1e-3
    warning_ratio: float = 2.0
    warning_excess: float = 5.0
    critical_ratio: float = 3.0
    critical_excess: float = 15.0
    onset_lookback: int = 14

    def __post_init__(self) -> None:
        if not self.windows or min(self.windows) < 1 or max(self.windows) > 7:
            raise ValueError("windows must be day counts between 1 and 7")
        if self.min_baseline_days < 7 or self.baseline_days < self.min_baseline_days:
            raise ValueError("baseline_days >= min_baseline_days >= 7 is required")


@dataclass(frozen=True)
class SpikeAlert:
    """One anomalous segment on one scan day. ``dedup_key`` is ``(key, onset)``."""

    key: Hashable
    as_of: int
    onset: int
    window_days: int
    observed: int
    expected: float
    exposure: float
    rate: float
    baseline_rate: float
    ratio: float
    p_value: float
    q_value: float
    severity: Severity
    explanation: str
    method: str = "fast"
    primary: bool = True
    rolled_into: Hashable | None = None

    @property
    def excess(self) -> float:
        return float(self.observed - self.expected)

    @property
    def dedup_key(self) -> tuple[Hashable, int]:
        return (self.key, self.onset)


@dataclass(frozen=True, eq=False)
class SeriesTests:
    """Per-series test arrays of one scan (length ``n_series``; NaN/1 where untested)."""

    as_of: int
    tested: NDArray[np.bool_]
    window_days: NDArray[np.int64]
    observed: FloatArray
    expected: FloatArray
    exposure: FloatArray
    baseline_rate: FloatArray
    p_value: FloatArray
    q_value: FloatArray
    flagged: NDArray[np.bool_]
    method: tuple[str, ...] = field(default=())


@dataclass(frozen=True, eq=False)
class Baseline:
    """Closed-form weekday-rate baseline for every series of a panel."""

    rate: FloatArray  # (S,) contacts per unit exposure
    factor: FloatArray  # (S, 7) weekday multipliers
    alpha: FloatArray  # (S,) NB dispersion of daily counts
    relvar_rate: FloatArray  # (S,) relative variance of the rate estimate
    relvar_weekday: FloatArray  # (S, 7) relative variance of the weekday factors
    n_days: NDArray[np.int64]  # (S,) baseline days with positive exposure

    def expected(self, exposure: FloatArray, weekday: NDArray[np.int64]) -> FloatArray:
        """Expected counts ``(S, len(weekday))`` for the given exposure and weekdays."""
        return exposure * self.rate[:, None] * self.factor[:, weekday]


def _dispersion(
    counts: FloatArray,
    mu: FloatArray,
    n_days: NDArray[np.int64],
    p_eff: ArrayLike,
    cfg: SpikeConfig,
) -> FloatArray:
    """Moment NB dispersion per series, shrunk toward the panel-wide estimate."""
    inflate = n_days / np.maximum(n_days - np.asarray(p_eff), 1.0)
    num = (((counts - mu) ** 2 - counts).sum(axis=1)) * inflate
    den = (mu**2).sum(axis=1)
    alpha_pool = max(float(num.sum()) / max(float(den.sum()), _TINY), 0.0)
    tau = cfg.dispersion_prior
    return np.clip((num + tau * alpha_pool) / (den + tau), 0.0, cfg.max_dispersion)


def fit_baseline(
    counts: FloatArray, exposure: FloatArray, weekday: NDArray[np.int64], config: SpikeConfig
) -> Baseline:
    """Fit the weekday-rate baseline on ``(S, B)`` baseline arrays (see module docstring).

    Baseline days whose NB Pearson residual exceeds ``outlier_z`` (earlier spikes, e.g. the
    first days of an ongoing incident) are dropped and the baseline is refitted once.
    """
    counts = np.asarray(counts, dtype=np.float64)
    exposure = np.asarray(exposure, dtype=np.float64)
    weekday = np.asarray(weekday, dtype=np.int64)
    first = _fit_once(counts, exposure, weekday, config)
    if config.outlier_z is None:
        return first
    mu = first.expected(exposure, weekday)
    z = (counts - mu) / np.sqrt(np.maximum(mu + first.alpha[:, None] * mu**2, _TINY))
    keep = (z <= config.outlier_z) | (counts < config.min_count)
    if keep.all():
        return first
    return _fit_once(counts * keep, exposure * keep, weekday, config)


def _fit_once(
    counts: FloatArray, exposure: FloatArray, weekday: NDArray[np.int64], config: SpikeConfig
) -> Baseline:
    onehot = np.eye(7)[np.asarray(weekday, dtype=np.int64)]
    c_d = counts @ onehot
    e_d = exposure @ onehot
    c_tot = c_d.sum(axis=1)
    e_tot = e_d.sum(axis=1)
    rate = (c_tot + config.rate_prior) / np.maximum(e_tot, _TINY)
    mu0_d = rate[:, None] * e_d
    pooled = (c_d.sum(axis=0) + 1.0) / (mu0_d.sum(axis=0) + 1.0)
    m = config.weekday_prior
    n_days = (exposure > 0).sum(axis=1)
    # first pass: dispersion of the rate-only model sets the weight of each weekday's counts
    mu_a = exposure * rate[:, None] * pooled[weekday]
    alpha_a = _dispersion(counts, mu_a, n_days, 1.0, config)
    phi_d = 1.0 + alpha_a[:, None] * mu0_d * pooled / np.maximum(onehot.sum(axis=0), 1.0)
    factor = (c_d / phi_d + m * pooled) / (mu0_d / phi_d + m)
    mu = exposure * rate[:, None] * factor[:, weekday]
    w_d = (c_d / phi_d) / (c_d / phi_d + m)
    alpha = _dispersion(counts, mu, n_days, 1.0 + 6.0 * np.mean(w_d, axis=1), config)
    alpha = np.minimum(alpha * config.dispersion_safety, config.max_dispersion)
    # parameter uncertainty: Var(sum y) / (sum y)^2 with the NB variance of the baseline days
    mu2_d = (mu**2) @ onehot
    relvar_rate = (c_tot + alpha * mu2_d.sum(axis=1)) / (c_tot + config.rate_prior) ** 2
    w_var = (c_d + alpha[:, None] * mu2_d) / phi_d**2
    relvar_weekday = w_var / (c_d / phi_d + m) ** 2
    return Baseline(rate, factor, alpha, relvar_rate, relvar_weekday, n_days.astype(np.int64))


def nb_sf(observed: ArrayLike, mean: ArrayLike, alpha: ArrayLike) -> FloatArray:
    """``P(Y >= observed)`` for ``Y ~ NB(mean, alpha)``, Var = mean + alpha * mean^2 (arrays)."""
    y = np.asarray(observed, dtype=np.float64)
    mu = np.maximum(np.asarray(mean, dtype=np.float64), _TINY)
    a = np.maximum(np.asarray(alpha, dtype=np.float64), 1e-10)
    n = 1.0 / a
    p = n / (n + mu)
    out = stats.nbinom.sf(y - 1.0, n, p)
    return np.where(y <= 0, 1.0, np.clip(out, 0.0, 1.0))


def window_test(
    baseline: Baseline,
    counts: FloatArray,
    exposure: FloatArray,
    weekday: NDArray[np.int64],
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Test the ``(S, w)`` window arrays; returns observed, expected, exposure, p-value."""
    mu_t = baseline.expected(exposure, weekday)
    big_m = mu_t.sum(axis=1)
    y = counts.sum(axis=1)
    var_extra = (
        baseline.alpha * (mu_t**2).sum(axis=1)
        + big_m**2 * baseline.relvar_rate
        + (mu_t**2 * baseline.relvar_weekday[:, weekday]).sum(axis=1)
    )
    alpha_eff = var_extra / np.maximum(big_m, _TINY) ** 2
    p = nb_sf(y, big_m, alpha_eff)
    p = np.where(big_m > 0, p, 1.0)
    return y, big_m, exposure.sum(axis=1), p


def baseline_slice(n_days: int, as_of: int, config: SpikeConfig) -> slice:
    """Baseline days for a scan at ``as_of``: they end right before the longest test window."""
    end = as_of - max(config.windows) + 1
    start = max(0, end - config.baseline_days)
    if end - start < config.min_baseline_days or as_of >= n_days or as_of < 0:
        raise ValueError(f"not enough history before day {as_of} for a baseline")
    return slice(start, end)


def evaluate_panel(
    panel: SeriesPanel, as_of: int, config: SpikeConfig | None = None
) -> SeriesTests:
    """Test every series at ``as_of`` and apply multiplicity control and guards."""
    from .spikes_glm import glm_window_test

    cfg = config or SpikeConfig()
    base_sl = baseline_slice(panel.n_days, as_of, cfg)
    wd = panel.weekday
    baseline = fit_baseline(panel.counts[:, base_sl], panel.exposure[:, base_sl], wd[base_sl], cfg)
    s = panel.n_series
    per_window = []
    for w in cfg.windows:
        sl = slice(as_of - w + 1, as_of + 1)
        per_window.append(window_test(baseline, panel.counts[:, sl], panel.exposure[:, sl], wd[sl]))
    stacked = np.stack([np.stack(r) for r in per_window])  # (n_windows, 4, S)
    pick = np.argmin(stacked[:, 3, :], axis=0)
    chosen = stacked[pick, :, np.arange(s)]  # (S, 4)
    observed, expected, exposure, best_p = (chosen[:, k].copy() for k in range(4))
    window = np.asarray(cfg.windows, dtype=np.int64)[pick]
    p_value = np.minimum(1.0, best_p * len(cfg.windows))
    tested = (baseline.n_days >= cfg.min_baseline_days) & (exposure > 0)
    methods = ["fast"] * s
    if cfg.method != "fast":
        cand = tested if cfg.method == "glm" else tested & (p_value <= cfg.glm_prefilter_p)
        # single-threaded BLAS: small statsmodels solves are much slower with contention
        with threadpool_limits(1):
            for i in np.flatnonzero(cand):
                w = int(window[i])
                res = glm_window_test(
                    panel.counts[i, base_sl],
                    panel.exposure[i, base_sl],
                    wd[base_sl],
                    panel.counts[i, as_of - w + 1 : as_of + 1],
                    panel.exposure[i, as_of - w + 1 : as_of + 1],
                    wd[as_of - w + 1 : as_of + 1],
                )
                if res is not None:
                    expected[i] = res.expected
                    p_value[i] = min(1.0, res.p_value * len(cfg.windows))
                    methods[i] = res.family
    q_value = np.ones(s)
    if tested.any():
        q_value[tested] = multipletests(p_value[tested], method="fdr_bh")[1]
    ratio = observed / np.maximum(expected, _TINY)
    flagged = (
        tested
        & (q_value <= cfg.fdr_q)
        & (observed >= cfg.min_count)
        & (ratio >= cfg.min_ratio)
        & (observed - expected >= cfg.min_excess)
    )
    if cfg.p_max is not None:
        flagged &= p_value <= cfg.p_max
    rate_base = expected / np.maximum(exposure, _TINY)
    return SeriesTests(
        as_of,
        tested,
        window.astype(np.int64),
        observed,
        expected,
        exposure,
        rate_base,
        p_value,
        q_value,
        flagged,
        tuple(methods),
    )


def severity_of(ratio: float, excess: float, config: SpikeConfig) -> Severity:
    if ratio >= config.critical_ratio and excess >= config.critical_excess:
        return "critical"
    if ratio >= config.warning_ratio and excess >= config.warning_excess:
        return "warning"
    return "info"


def format_p(p: float) -> str:
    if p < 1e-4:
        return "p<0.0001"
    if p < 1e-3:
        return f"p={p:.4f}"
    return f"p={p:.3f}"


def explain(
    observed: int, expected: float, exposure: float, ratio: float, p: float, window: int, label: str
) -> str:
    """Human sentence, e.g. ``23 contacts vs 4.1 expected given 812 orders (5.6x), p<0.0001``."""
    span = "" if window == 1 else f" over the last {window} days"
    noun = "contact" if observed == 1 else "contacts"
    return (
        f"{observed} {noun}{span} vs {expected:.1f} expected given {exposure:,.0f} {label} "
        f"({ratio:.1f}x), {format_p(p)}"
    )


def cusum_onset(
    counts: FloatArray, expected: FloatArray, as_of: int, lookback: int, shift: float
) -> int:
    """Onset of the current excess by an upper Poisson CUSUM over ``lookback`` days.

    ``S_t = max(0, S_{t-1} + y_t log k - (k - 1) mu_t)``; the onset is the day after the last
    reset to zero before ``as_of`` (the classic CUSUM change-point estimate).
    """
    start = max(0, as_of - lookback + 1)
    k = max(float(shift), 1.05)
    inc = counts[start : as_of + 1] * np.log(k) - (k - 1.0) * expected[start : as_of + 1]
    s = 0.0
    onset = start
    for j, v in enumerate(inc):
        s = max(0.0, s + float(v))
        if s == 0.0:
            onset = start + j + 1
    return min(onset, as_of)


def scan(
    panel: SeriesPanel, as_of: int, config: SpikeConfig | None = None
) -> tuple[SpikeAlert, ...]:
    """Scan every series at day ``as_of``; alerts sorted by p-value then key order."""
    cfg = config or SpikeConfig()
    res = evaluate_panel(panel, as_of, cfg)
    idx = np.flatnonzero(res.flagged)
    if idx.size == 0:
        return ()
    base_sl = baseline_slice(panel.n_days, as_of, cfg)
    lo = max(0, as_of - cfg.onset_lookback + 1)
    sub = slice(lo, as_of + 1)
    baseline = fit_baseline(
        panel.counts[idx, base_sl], panel.exposure[idx, base_sl], panel.weekday[base_sl], cfg
    )
    mu_recent = baseline.expected(panel.exposure[idx, sub], panel.weekday[sub])
    alerts = []
    for j, i in enumerate(idx):
        obs = int(np.rint(res.observed[i]))
        exp_ = float(res.expected[i])
        ratio = obs / max(exp_, _TINY)
        win = int(res.window_days[i])
        onset = lo + cusum_onset(
            panel.counts[i, sub], mu_recent[j], as_of - lo, cfg.onset_lookback, min(ratio, 4.0)
        )
        onset = min(onset, as_of - win + 1)
        exposure = float(res.exposure[i])
        alerts.append(
            SpikeAlert(
                key=panel.keys[i],
                as_of=as_of,
                onset=int(onset),
                window_days=win,
                observed=obs,
                expected=exp_,
                exposure=exposure,
                rate=obs / max(exposure, _TINY),
                baseline_rate=exp_ / max(exposure, _TINY),
                ratio=ratio,
                p_value=float(res.p_value[i]),
                q_value=float(res.q_value[i]),
                severity=severity_of(ratio, obs - exp_, cfg),
                explanation=explain(
                    obs, exp_, exposure, ratio, float(res.p_value[i]), win, panel.exposure_label
                ),
                method=res.method[i] if res.method else "fast",
            )
        )
    alerts.sort(key=lambda a: (a.p_value, -a.excess))
    return tuple(alerts)
