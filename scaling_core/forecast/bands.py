"""Residual-bootstrap bands for any candidate form, for many problems at once.

The method is extrapolate.py's (Davison & Hinkley 1997, Alg. 6.4): leverage-adjusted log-loss
residuals of the fit, centred on their median, are redrawn (smoothed) onto the fitted values and
the form is refitted from its optimum; the refits' spread gives the law's band, and fresh
residual draws on top of it a new run's band. Here the form is any Candidate and K problems
(e.g. the fits below K backtest cutoffs) are resampled in one batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..extrapolate import (
    INNER_B,
    INNER_K,
    LEVELS,
    Bands,
    _bandwidth,
    bands_from_samples,
    double_bootstrap_inflation,
    smoothed_draws,
)
from ..laws import JointLaw
from .candidates import Candidate, leverage_of


@dataclass(frozen=True)
class ProblemBootstrap:
    theta_boot: np.ndarray  # (K, B, P); NaN rows for refits that failed
    residuals: tuple[np.ndarray, ...]  # per problem: its centred, leverage-adjusted residuals
    targets: np.ndarray  # (K, B, n) the resampled log-losses (for a second level)


def bootstrap_problems(
    form: Candidate,
    N: np.ndarray,
    D: np.ndarray,
    loss: np.ndarray,
    masks: np.ndarray,
    theta: np.ndarray,
    n_resamples: int,
    seed: int,
    delta: float,
) -> ProblemBootstrap:
    """Residual-bootstrap refits of K fitted problems (masks (K, n), optima theta (K, P)), one batch."""
    y = np.log(loss)
    K, n = masks.shape
    fitted = form.log_predict(theta, N, D)  # (K, n)
    raw = (y - fitted) / np.sqrt(1.0 - leverage_of(form, theta, N, D, masks))
    rng = np.random.default_rng(seed)
    residuals = []
    targets = np.empty((K, n_resamples, n))
    for k in range(K):  # K is a handful of cutoffs; every draw within a problem is one array call
        r = raw[k, masks[k]]
        r = r - np.median(r)
        residuals.append(r)
        targets[k] = fitted[k] + smoothed_draws(r, (n_resamples, n), rng)
    rows_mask = np.repeat(masks, n_resamples, axis=0)
    result = form.minimise(
        np.repeat(theta, n_resamples, axis=0),
        N,
        D,
        targets.reshape(K * n_resamples, n),
        rows_mask,
        delta,
        stage="refit",
    )
    boot = np.where(np.isfinite(result.objective)[:, None], result.theta, np.nan)
    return ProblemBootstrap(boot.reshape(K, n_resamples, -1), tuple(residuals), targets)


@dataclass(frozen=True)
class FormBands:
    """A fitted form with its residual-bootstrap refits: bands at any (N, D).

    theta_inner holds second-level refits (double bootstrap) when the bands are the fallback
    (no backtest to calibrate them): they widen the law's band where the bootstrap understates
    it, as extrapolate.BandModel does. Backtest-calibrated bands leave it out: the calibration
    factor measured on the backtest replaces it, and the backtest's bands are made without it too.
    """

    form: Candidate
    theta: np.ndarray  # (P,)
    theta_boot: np.ndarray  # (B, P)
    residuals: np.ndarray
    seed: int
    theta_inner: np.ndarray | None = None  # (K, B2, P)

    @property
    def law(self) -> JointLaw:
        return self.form.law(self.theta)

    @property
    def n_resamples(self) -> int:
        return int(self.theta_boot.shape[0])

    @property
    def noise_sigma(self) -> float:
        """Robust run-to-run noise in log-loss from the residuals: 1.4826 x median |residual|."""
        return float(1.4826 * np.median(np.abs(self.residuals)))

    def log_samples(self, N: ArrayLike, D: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        point = self.form.log_predict(self.theta, N, D)[0]
        return point, self.form.log_predict(self.theta_boot, N, D)

    def inflation(self, N: ArrayLike, D: ArrayLike) -> np.ndarray:
        if self.theta_inner is None:
            return np.ones(np.size(N))
        K = self.theta_inner.shape[0]
        outer = self.form.log_predict(self.theta_boot[:K], N, D)
        inner = self.form.log_predict(self.theta_inner.reshape(-1, self.theta.size), N, D)
        return double_bootstrap_inflation(outer, inner.reshape(K, -1, outer.shape[1]))

    def bands(self, N: ArrayLike, D: ArrayLike, levels: Sequence[float] = LEVELS) -> Bands:
        N, D = np.atleast_1d(np.asarray(N, float)), np.atleast_1d(np.asarray(D, float))
        point, boot = self.log_samples(N, D)
        return bands_from_samples(point, (boot - point) * self.inflation(N, D), self.residuals, self.seed, levels)

    def optimum_samples(self, compute: float) -> tuple[np.ndarray, np.ndarray]:
        """N_opt and D_opt at a budget for every refit (B,)."""
        return self.form.optimum(self.theta_boot, compute)


def form_bands(
    form: Candidate,
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    theta: np.ndarray,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    delta: float = 1e-3,
    double: bool = False,
) -> FormBands:
    """Bootstrap bands of the form fitted (at theta) to these runs; `double` adds the second level."""
    N, D, loss = (np.asarray(v, float) for v in (N, D, loss))
    mask = np.ones((1, N.size), bool)
    theta = np.asarray(theta, float)[None, :]
    boot = bootstrap_problems(form, N, D, loss, mask, theta, n_resamples, seed, delta)
    theta_boot, residuals = boot.theta_boot[0], boot.residuals[0]
    inner = None
    if double:
        # As in extrapolate.residual_bootstrap: the first K refits play the fitted law, each with
        # B2 resamples of its own residuals, all in one batch.
        K = min(n_resamples, INNER_K)
        first = theta_boot[:K]
        finite = np.all(np.isfinite(first), axis=1)
        first = np.where(finite[:, None], first, theta)
        fitted_k = form.log_predict(first, N, D)  # (K, n)
        resid_k = boot.targets[0, :K] - fitted_k
        resid_k -= np.median(resid_k, axis=1, keepdims=True)
        rng = np.random.default_rng(seed + 7)
        pick = rng.integers(0, N.size, size=(K, INNER_B, N.size))
        noise = np.take_along_axis(resid_k[:, None, :].repeat(INNER_B, axis=1), pick, axis=2)
        noise += _bandwidth(residuals) * rng.standard_normal(noise.shape)
        result = form.minimise(
            np.repeat(first, INNER_B, axis=0),
            N,
            D,
            (fitted_k[:, None, :] + noise).reshape(K * INNER_B, N.size),
            None,
            delta,
            stage="refit",
        )
        inner = np.where(np.isfinite(result.objective)[:, None], result.theta, np.nan).reshape(K, INNER_B, -1)
    return FormBands(form, theta[0], theta_boot, residuals, seed, inner)
