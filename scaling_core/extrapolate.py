"""Extrapolation bands for a fitted Chinchilla-form law, and backtests of them.

Method: a residual bootstrap in log-loss (Davison & Hinkley 1997, Alg. 6.4 for prediction).
  1. Fit theta-hat; keep the residuals e_i = log L_i - f_i(theta-hat), divided by
     sqrt(1 - h_i) with h_i the run's leverage (fitted residuals are smaller than the noise,
     most of all at influential runs), then centred on their median.
  2. For each resample b: y*_i = f_i(theta-hat) + e*_i (residuals drawn with replacement);
     refit theta*_b from theta-hat. All resamples run as one batch.
  3. At a target x, with f-hat = f(x; theta-hat), f*_b = f(x; theta*_b) and a fresh residual
     draw eps*_b:
       confidence band (the law itself):   f-hat - quantiles of (f*_b - f-hat)
       prediction band (a single new run): f-hat + quantiles of (eps*_b - (f*_b - f-hat))
Resampling residuals rather than runs keeps the design (the sizes and budgets trained)
fixed, which is what matters when predicting far outside it; the calibration test in
tests/test_extrapolate.py checks the prediction band's coverage on held-out runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .constraints import FREE, Constraint
from .fit import (
    HUBER_DELTA,
    ChinchillaFit,
    _Data,
    fit_chinchilla,
    fitted_mask,
    minimise_batched,
)
from .frontier import chinchilla_optimum, optimal_allocation
from .uncertainty import MAX_BOOTSTRAP_CELLS

LEVELS = (0.5, 0.8, 0.95)
N_PARAMS = 5
INNER_K = 40  # first-level refits that get a second-level bootstrap (calibration)
INNER_B = 30  # second-level refits for each
_DRAW_CELLS = 2**20  # resamples x runs drawn at once: bounds the int64/float64 temporaries
NOISE_DRAWS = 4  # run-to-run noise draws per refit when forming prediction bands


@dataclass(frozen=True)
class Bands:
    """Point prediction and bands (in loss, nats per token) at each target."""

    point: np.ndarray
    confidence: dict[float, tuple[np.ndarray, np.ndarray]]
    prediction: dict[float, tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class BandModel:
    """A fitted law with residual-bootstrap refits, ready to put bands on any target."""

    fit: ChinchillaFit
    theta_boot: np.ndarray  # (B, 5) rows (a, alpha, b, beta, e)
    residuals: np.ndarray  # centred, leverage-adjusted log-loss residuals of the fit
    seed: int
    theta_inner: np.ndarray | None = None  # (K, B2, 5): second-level refits of the first K rows

    def inflation(self, N: np.ndarray, D: np.ndarray) -> np.ndarray:
        """Per target, how much the bootstrap understates the spread of the fitted law there,
        estimated by the double bootstrap: in the bootstrap world theta-hat is the truth, the
        first K refits scatter around it with spread S1, and their own (second-level) refits
        estimate that spread as S2_k. kappa = S1 / mean_k S2_k, kept within [1, 3]."""
        if self.theta_inner is None:
            return np.ones(np.size(N))
        K = self.theta_inner.shape[0]
        outer = _log_law(self.theta_boot[:K], N, D)  # (K, T)
        inner = _log_law(self.theta_inner.reshape(-1, 5), N, D).reshape(K, -1, outer.shape[1])
        return double_bootstrap_inflation(outer, inner)

    @property
    def n_resamples(self) -> int:
        return self.theta_boot.shape[0]

    @property
    def noise_sigma(self) -> float:
        """Robust run-to-run noise in log-loss: 1.4826 x median absolute residual."""
        return float(1.4826 * np.median(np.abs(self.residuals)))

    def log_samples(self, N: ArrayLike, D: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """(log f-hat (T,), log f*_b (B, T)) at the targets."""
        N = np.atleast_1d(np.asarray(N, float))
        D = np.atleast_1d(np.asarray(D, float))
        point = np.log(self.fit.law.loss(N, D))
        return point, _log_law(self.theta_boot, N, D)

    def bands(self, N: ArrayLike, D: ArrayLike, levels: Sequence[float] = LEVELS) -> Bands:
        N = np.atleast_1d(np.asarray(N, float))
        D = np.atleast_1d(np.asarray(D, float))
        point, boot = self.log_samples(N, D)
        shift = (boot - point) * self.inflation(N, D)  # (B, T), calibrated parameter uncertainty
        return bands_from_samples(point, shift, self.residuals, self.seed, levels)

    def optimal_allocation_samples(self, compute: float) -> tuple[np.ndarray, np.ndarray]:
        """N_opt and D_opt at a budget for every refit (B,)."""
        a, alpha, b, beta, _ = self.theta_boot.T
        return chinchilla_optimum(np.exp(a), np.exp(b), alpha, beta, compute)


def double_bootstrap_inflation(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """kappa per target from the log-predictions of K first-level refits (K, T) and of their own
    second-level refits (K, B2, T): kappa = S1 / mean_k S2_k, kept within [1, 3] (BandModel.inflation)."""
    s1 = np.nanstd(outer, axis=0)
    s2 = np.nanmean(np.nanstd(inner, axis=1), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = s1 / s2
    return np.clip(np.nan_to_num(kappa, nan=1.0), 1.0, 3.0)


def bands_from_samples(
    point: np.ndarray, shift: np.ndarray, residuals: np.ndarray, seed: int, levels: Sequence[float] = LEVELS
) -> Bands:
    """Confidence and prediction bands from the log-prediction point (T,) and the refits' shifts
    from it, shift_b = log f*_b - log f-hat (B, T), with fresh residual draws for a new run."""
    # The same NOISE_DRAWS noise draws per refit at every target (common random numbers):
    # bands come out smooth along a curve, and each refit is paired with several draws.
    rng = np.random.default_rng(seed + 1)
    noise = smoothed_draws(residuals, (shift.shape[0], NOISE_DRAWS, 1), rng)
    new_run = (noise - shift[:, None, :]).reshape(-1, shift.shape[1])
    qs = sorted({q for lv in levels for q in (50 * (1 - lv), 50 * (1 + lv))})
    shift_q = dict(zip(qs, _percentiles(shift, qs)))
    run_q = dict(zip(qs, _percentiles(new_run, qs)))
    confidence, prediction = {}, {}
    for level in levels:
        lo_q, hi_q = 50 * (1 - level), 50 * (1 + level)
        lo, hi = shift_q[lo_q], shift_q[hi_q]
        confidence[level] = (np.exp(point - hi), np.exp(point - lo))
        # A single new run's band always contains the law's own band.
        plo, phi = run_q[lo_q], run_q[hi_q]
        prediction[level] = (np.exp(point + np.minimum(plo, -hi)), np.exp(point + np.maximum(phi, -lo)))
    return Bands(np.exp(point), confidence, prediction)


def _percentiles(samples: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Percentiles along axis 0, all at once (NaN-aware only when there are NaNs: slower)."""
    if np.isnan(samples).any():
        return np.nanpercentile(samples, qs, axis=0)
    return np.percentile(samples, qs, axis=0)


def _log_law(theta: np.ndarray, N: np.ndarray, D: np.ndarray) -> np.ndarray:
    """log L for each row of theta (a, alpha, b, beta, e) at each target: (rows, T)."""
    a, alpha, b, beta, e = (theta[:, k, None] for k in range(5))
    with np.errstate(over="ignore"):
        return np.log(np.exp(e) + np.exp(a - alpha * np.log(N)) + np.exp(b - beta * np.log(D)))


def residual_bootstrap(
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    fit: ChinchillaFit,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    progress: Callable[[float], None] | None = None,
) -> BandModel:
    """Refit the law on `n_resamples` residual resamples (see the module docstring), under the
    fit's own constraint, so that the bands of a constrained fit spread only along the free
    constants."""
    N, D, loss = (np.asarray(v, float) for v in (N, D, loss))
    keep = fitted_mask(N.size, fit.excluded)
    data = _Data.from_runs(N[keep], D[keep], loss[keep])
    n = data.y.size
    fitted = np.log(fit.law.loss(N[keep], D[keep]))
    resid = (data.y - fitted) / np.sqrt(1.0 - leverage(fit, N[keep], D[keep]))
    resid = resid - np.median(resid)
    rng = np.random.default_rng(seed)
    n_resamples, K = residual_bootstrap_size(n, n_resamples)
    # Targets are stored as float32 (4 bytes a cell: a rounding of ~1e-7 in log-loss, far below
    # any run-to-run noise) and drawn in batches of resamples, so the memory they take is
    # bounded by MAX_BOOTSTRAP_CELLS however many runs there are.
    targets = _draw_targets(fitted[None, :], resid, n_resamples, rng)
    start = data.to_centred(np.array(fit.theta)[None, :])  # finite, unlike log(E) when E underflows
    outer_progress = None if progress is None else (lambda f: progress(0.7 * f))
    result = minimise_batched(
        np.repeat(start, n_resamples, axis=0),
        data,
        fit.delta,
        rtol=1e-10,
        targets=targets,
        progress=outer_progress,
        constraint=fit.constraint,
    )
    # Second level, for the calibration in BandModel.inflation: the first K refits play the
    # fitted law, each with B2 resamples of its own residuals, all in one batch.
    first = result.theta[:K]
    fitted_k = _log_law(data.from_centred(first), N[keep], D[keep])  # (K, n)
    resid_k = targets[:K] - fitted_k
    resid_k -= np.median(resid_k, axis=1, keepdims=True)
    inner_targets = _draw_inner_targets(fitted_k, resid_k, _bandwidth(resid), rng)
    inner = minimise_batched(
        np.repeat(first, INNER_B, axis=0),
        data,
        fit.delta,
        rtol=1e-8,
        targets=inner_targets,
        progress=None if progress is None else (lambda f: progress(0.7 + 0.3 * f)),
        constraint=fit.constraint,
    )
    theta_inner = data.from_centred(inner.theta).reshape(K, INNER_B, 5)
    return BandModel(fit, data.from_centred(result.theta), resid, seed, theta_inner)


def residual_bootstrap_size(n_runs: int, n_resamples: int) -> tuple[int, int]:
    """(resamples, second-level refits K) that residual_bootstrap uses for n_runs runs: the
    requested resamples and K = min(resamples, INNER_K), reduced where (resamples + K INNER_B)
    x runs would pass MAX_BOOTSTRAP_CELLS (then BandModel.n_resamples says how many ran)."""
    rows = MAX_BOOTSTRAP_CELLS // max(n_runs, 1)
    K = min(n_resamples, INNER_K)
    if n_resamples + K * INNER_B <= rows:
        return n_resamples, K
    if rows >= INNER_K * (1 + INNER_B) + 1:
        return rows - INNER_K * INNER_B, INNER_K
    B = max(rows // (1 + INNER_B), 1)
    return B, B


def _draw_targets(fitted: np.ndarray, resid: np.ndarray, n_rows: int, rng: np.random.Generator) -> np.ndarray:
    """(n_rows, n) float32 bootstrap log-losses fitted + smoothed residual draws, drawn in batches
    of rows (one batch, hence the same draws as one call, when they are few)."""
    n = fitted.shape[-1]
    out = np.empty((n_rows, n), np.float32)
    step = max(1, _DRAW_CELLS // max(n, 1))
    for r0 in range(0, n_rows, step):
        r1 = min(n_rows, r0 + step)
        out[r0:r1] = fitted + smoothed_draws(resid, (r1 - r0, n), rng)
    return out


def _draw_inner_targets(
    fitted_k: np.ndarray, resid_k: np.ndarray, bandwidth: float, rng: np.random.Generator
) -> np.ndarray:
    """(K INNER_B, n) float32 second-level targets: each first-level refit k with INNER_B draws
    of its own residuals plus kernel noise, drawn in batches of refits."""
    K, n = fitted_k.shape
    out = np.empty((K, INNER_B, n), np.float32)
    step = max(1, _DRAW_CELLS // max(INNER_B * n, 1))
    for k0 in range(0, K, step):
        k1 = min(K, k0 + step)
        pick = rng.integers(0, n, size=(k1 - k0, INNER_B, n))
        noise = np.take_along_axis(resid_k[k0:k1, None, :], pick, axis=2)
        noise += bandwidth * rng.standard_normal(noise.shape)
        out[k0:k1] = fitted_k[k0:k1, None, :] + noise
    return out.reshape(K * INNER_B, n)


def _bandwidth(residuals: np.ndarray) -> float:
    """Silverman's rule-of-thumb kernel bandwidth."""
    spread = residuals.std()
    iqr = np.subtract(*np.percentile(residuals, [75, 25])) / 1.349
    return float(0.9 * min(spread, iqr if iqr > 0 else spread) * residuals.size ** (-0.2))


def smoothed_draws(residuals: np.ndarray, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Residuals drawn with replacement plus Gaussian kernel noise (Silverman's bandwidth),
    rescaled to keep their variance. A robust fit leaves several residuals at exactly zero
    (the runs it interpolates); plain resampling would then understate the noise."""
    spread = residuals.std()
    h = _bandwidth(residuals)
    draws = residuals[rng.integers(0, residuals.size, size=shape)] + h * rng.standard_normal(shape)
    return draws / np.sqrt(1.0 + (h / spread) ** 2) if spread > 0 else draws


def leverage(fit: ChinchillaFit, N: np.ndarray, D: np.ndarray) -> np.ndarray:
    """Diagonal of the hat matrix J (J^T J)^-1 J^T of log L-hat in the fit's free constants
    (theta = (a, alpha, b, beta, e) for the free form, J P under a constraint theta = c + P psi),
    clipped below 0.99 so that no residual is blown up without bound."""
    law = fit.law
    terms = np.stack([law.A * N ** (-law.alpha), law.B * D ** (-law.beta), np.full_like(N, law.E)])
    p = terms / terms.sum(axis=0)
    J = np.stack([p[0], -p[0] * np.log(N), p[1], -p[1] * np.log(D), p[2]], axis=1)
    J = J @ fit.constraint.parametrisation().P
    Q, _ = np.linalg.qr(J)
    return np.minimum(np.sum(Q * Q, axis=1), 0.99)


def fit_with_bands(
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    delta: float = HUBER_DELTA,
    exclude_top_loss: int = 0,
    starts: np.ndarray | None = None,
    progress: Callable[[float, str], None] | None = None,
    constraint: Constraint = FREE,
) -> BandModel:
    """Fit the Chinchilla form (approach 3, under `constraint`) and its residual bootstrap, in one call."""

    def stage(name, lo, hi):
        return None if progress is None else (lambda f: progress(lo + (hi - lo) * f, name))

    fit = fit_chinchilla(
        N,
        D,
        loss,
        delta=delta,
        exclude_top_loss=exclude_top_loss,
        starts=starts,
        progress=stage("fit", 0.0, 0.7),
        list_optima=False,
        constraint=constraint,
    )
    return residual_bootstrap(
        N, D, loss, fit, n_resamples=n_resamples, seed=seed, progress=stage("bootstrap", 0.7, 1.0)
    )


@dataclass(frozen=True)
class HoldoutReport:
    """Each held-out run against the prediction bands of a fit that never saw it."""

    observed: np.ndarray
    predicted: np.ndarray
    prediction: dict[float, tuple[np.ndarray, np.ndarray]]
    confidence: dict[float, tuple[np.ndarray, np.ndarray]]

    def inside(self, level: float) -> np.ndarray:
        lo, hi = self.prediction[level]
        return (self.observed >= lo) & (self.observed <= hi)

    def coverage(self, level: float) -> float:
        return float(np.mean(self.inside(level))) if self.observed.size else float("nan")

    @property
    def log_error(self) -> np.ndarray:
        """log(observed) - log(predicted)."""
        return np.log(self.observed) - np.log(self.predicted)


def holdout_report(model: BandModel, N: ArrayLike, D: ArrayLike, observed: ArrayLike) -> HoldoutReport:
    bands = model.bands(N, D)
    return HoldoutReport(np.asarray(observed, float), bands.point, bands.prediction, bands.confidence)


def frontier_bands(model: BandModel, compute: ArrayLike) -> tuple[np.ndarray, np.ndarray, Bands]:
    """Bands along the fitted law's compute-optimal frontier: (N_opt, D_opt, bands) per budget."""
    alloc = optimal_allocation(model.fit.law, compute)
    return alloc.N_opt, alloc.D_opt, model.bands(alloc.N_opt, alloc.D_opt)


@dataclass(frozen=True)
class BacktestRow:
    cutoff: float  # train on runs with C < cutoff
    n_train: int
    n_test: int
    mae_log: float  # mean |log observed - log predicted| over the held-out runs
    coverage: dict[float, float]


@dataclass(frozen=True)
class Backtest:
    rows: tuple[BacktestRow, ...]
    decades: np.ndarray  # per scored run: log10(C / largest training C)
    abs_log_error: np.ndarray
    inside: dict[float, np.ndarray]

    def by_distance(self, edges: Sequence[float] = (0.0, 0.25, 0.5, 1.0, 2.0, np.inf)) -> list[dict]:
        """Error and coverage grouped by decades of extrapolation."""
        out = []
        for lo, hi in zip(edges[:-1], edges[1:]):
            sel = (self.decades > lo) & (self.decades <= hi)
            if sel.any():
                out.append(
                    {"decades": (lo, hi), "n": int(sel.sum()), "mae_log": float(self.abs_log_error[sel].mean())}
                    | {f"coverage_{int(100 * lv)}": float(v[sel].mean()) for lv, v in self.inside.items()}
                )
        return out


def default_cutoffs(C: ArrayLike, count: int = 5, min_train: int = 20, min_test: int = 5) -> np.ndarray:
    """Budgets to cut at: evenly spaced in log C between the point where min_train runs lie
    below and the point where min_test lie above."""
    logc = np.sort(np.log10(np.asarray(C, float)))
    if logc.size < min_train + min_test:
        return np.array([])
    lo, hi = logc[min_train - 1], logc[-min_test]
    if not hi > lo:
        return np.array([])
    return 10.0 ** np.linspace(lo + 1e-9, hi, count)


def backtest(
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    cutoffs: ArrayLike,
    *,
    n_resamples: int = 300,
    seed: int = 0,
    delta: float = HUBER_DELTA,
    starts: np.ndarray | None = None,
    levels: Sequence[float] = (0.8, 0.95),
    progress: Callable[[float, str], None] | None = None,
) -> Backtest:
    """Rolling origin: for each cutoff, fit below it and score the runs at or above it."""
    N, D, loss = (np.asarray(v, float) for v in (N, D, loss))
    C = 6.0 * N * D
    rows, decades, errors = [], [], []
    inside: dict[float, list[np.ndarray]] = {lv: [] for lv in levels}
    cutoffs = np.asarray(cutoffs, float)
    for k, cut in enumerate(cutoffs):
        train, test = C < cut, C >= cut
        if train.sum() < N_PARAMS + 2 or not test.any():
            continue
        model = fit_with_bands(
            N[train], D[train], loss[train], n_resamples=n_resamples, seed=seed, delta=delta, starts=starts
        )
        report = holdout_report(model, N[test], D[test], loss[test])
        err = np.abs(report.log_error)
        rows.append(
            BacktestRow(
                float(cut),
                int(train.sum()),
                int(test.sum()),
                float(err.mean()),
                {lv: report.coverage(lv) for lv in levels},
            )
        )
        decades.append(np.log10(C[test] / C[train].max()))
        errors.append(err)
        for lv in levels:
            inside[lv].append(report.inside(lv))
        if progress is not None:
            progress((k + 1) / len(cutoffs), "backtest")
    return Backtest(
        tuple(rows), _concat(decades), _concat(errors), {lv: _concat(v).astype(bool) for lv, v in inside.items()}
    )


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.array([])
