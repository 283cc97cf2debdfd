"""statsmodels path of the spike detector: per-series GLM with a log(exposure) offset.

Used for the candidates of a fast scan (``method="auto"``) or for every series
(``method="glm"``). The baseline is a Poisson GLM with weekday dummies (intercept only when the
baseline has fewer than ``min_total_for_weekday`` contacts). When the Pearson dispersion
``chi2 / df`` exceeds ``overdispersion_threshold`` a negative-binomial model (NB2, dispersion
``alpha`` by maximum likelihood) is fitted instead. The p-value is the upper tail of the
negative binomial moment-matched to the predictive distribution of the window total: daily
NB/Poisson noise plus the delta-method variance of the fitted mean.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from numpy.typing import NDArray
from statsmodels.discrete.discrete_model import NegativeBinomial

from .spikes import nb_sf

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class GlmWindowResult:
    expected: float
    p_value: float
    family: str  # "poisson" or "negbin"
    alpha: float
    pearson_dispersion: float


def _design(weekday: NDArray[np.int64], with_weekday: bool) -> FloatArray:
    if not with_weekday:
        return np.ones((weekday.size, 1))
    dummies = (weekday[:, None] == np.arange(1, 7)[None, :]).astype(np.float64)
    return np.column_stack([np.ones(weekday.size), dummies])


def glm_window_test(
    base_counts: FloatArray,
    base_exposure: FloatArray,
    base_weekday: NDArray[np.int64],
    win_counts: FloatArray,
    win_exposure: FloatArray,
    win_weekday: NDArray[np.int64],
    min_total_for_weekday: int = 30,
    overdispersion_threshold: float = 1.2,
) -> GlmWindowResult | None:
    """Fit the baseline GLM and test the window total; ``None`` if it cannot be fitted."""
    keep = base_exposure > 0
    y = np.asarray(base_counts, dtype=np.float64)[keep]
    e = np.asarray(base_exposure, dtype=np.float64)[keep]
    wd = np.asarray(base_weekday, dtype=np.int64)[keep]
    if y.size < 7 or y.sum() <= 0:
        return None
    with_wd = bool(y.sum() >= min_total_for_weekday and np.unique(wd).size == 7)
    x = _design(wd, with_wd)
    offset = np.log(e)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pois = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit()
        except (ValueError, np.linalg.LinAlgError):
            return None
        df = max(y.size - x.shape[1], 1)
        dispersion = float(pois.pearson_chi2 / df)
        params, cov, alpha, family = pois.params, pois.cov_params(), 0.0, "poisson"
        if dispersion > overdispersion_threshold:
            try:
                nb = NegativeBinomial(y, x, offset=offset).fit(disp=0, maxiter=200)
                k = x.shape[1]
                alpha = float(nb.params[k])
                if np.isfinite(alpha) and alpha > 0 and np.all(np.isfinite(nb.params)):
                    params = nb.params[:k]
                    cov = np.asarray(nb.cov_params())[:k, :k]
                    family = "negbin"
                else:
                    alpha = 0.0
            except (ValueError, np.linalg.LinAlgError):
                alpha = 0.0
    xw = _design(np.asarray(win_weekday, dtype=np.int64), with_wd)
    ew = np.asarray(win_exposure, dtype=np.float64)
    mu_t = ew * np.exp(xw @ np.asarray(params))
    big_m = float(mu_t.sum())
    if big_m <= 0:
        return None
    grad = mu_t @ xw
    param_var = float(grad @ np.asarray(cov) @ grad)
    var_extra = alpha * float((mu_t**2).sum()) + max(param_var, 0.0)
    p = float(nb_sf(float(np.sum(win_counts)), big_m, var_extra / big_m**2))
    return GlmWindowResult(big_m, p, family, alpha, dispersion)
