"""Bootstrap intervals for fitted laws and for what they predict.

A bootstrap resample of the runs is a vector of multinomial counts, so every resample is
the same fit with other run weights: all resamples are refitted in one batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .fit import ChinchillaFit, _Data, fitted_mask, law_to_theta, minimise_batched
from .frontier import chinchilla_optimum

PARAM_NAMES = ("E", "A", "B", "alpha", "beta")
# Resamples x runs held at once by a bootstrap (run counts as 16-bit integers here, float32
# log-losses in extrapolate.residual_bootstrap): 32 Mi cells, 64 MiB of counts. Past it the
# number of resamples is reduced (run_fit says so in its notes).
MAX_BOOTSTRAP_CELLS = 2**25
_DRAW_CELLS = 2**20  # cells drawn per batch of resamples: bounds the int64/float64 temporaries


def max_bootstrap_resamples(n_runs: int) -> int:
    """The most resamples a bootstrap of n_runs runs holds within MAX_BOOTSTRAP_CELLS."""
    return MAX_BOOTSTRAP_CELLS // max(n_runs, 1)


def resample_counts(n_runs: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """(n_resamples, n_runs) multinomial run counts of a bootstrap, as uint16 (a run drawn
    65,536 times or more has probability below 1e-300 for any n_runs), drawn in batches so
    that no (resamples x runs) int64 array exists; the draws equal one multinomial call's."""
    counts = np.empty((n_resamples, n_runs), np.uint16)
    step = max(1, _DRAW_CELLS // max(n_runs, 1))
    p = np.full(n_runs, 1.0 / n_runs)
    for r0 in range(0, n_resamples, step):
        chunk = rng.multinomial(n_runs, p, size=min(step, n_resamples - r0))
        if chunk.max(initial=0) > np.iinfo(np.uint16).max:
            raise OverflowError("a bootstrap count does not fit in 16 bits")
        counts[r0 : r0 + chunk.shape[0]] = chunk
    return counts


@dataclass(frozen=True)
class ChinchillaBootstrap:
    """Refitted constants, one row per resample: columns E, A, B, alpha, beta."""

    params: np.ndarray  # (n_resamples, 5)
    objective: np.ndarray
    converged: np.ndarray
    seed: int

    @property
    def n_resamples(self) -> int:
        return self.params.shape[0]

    def column(self, name: str) -> np.ndarray:
        return self.params[:, PARAM_NAMES.index(name)]

    @property
    def allocation_exponents(self) -> tuple[np.ndarray, np.ndarray]:
        """(a, b) per resample: a = beta / (alpha + beta), b = alpha / (alpha + beta)."""
        alpha, beta = self.column("alpha"), self.column("beta")
        return beta / (alpha + beta), alpha / (alpha + beta)

    def optimal_allocation(self, compute: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """N_opt and D_opt per resample (rows) and budget (columns), closed form."""
        _, A, B, alpha, beta = (self.column(n)[:, None] for n in PARAM_NAMES)
        return chinchilla_optimum(A, B, alpha, beta, np.atleast_1d(np.asarray(compute, float))[None, :])

    def loss(self, N: ArrayLike, D: ArrayLike) -> np.ndarray:
        """Predicted loss per resample (rows) at each (N, D) (columns)."""
        E, A, B, alpha, beta = (self.column(n)[:, None] for n in PARAM_NAMES)
        N = np.atleast_1d(np.asarray(N, float))[None, :]
        D = np.atleast_1d(np.asarray(D, float))[None, :]
        return E + A * N ** (-alpha) + B * D ** (-beta)


def percentile_interval(samples: ArrayLike, level: float = 0.95, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Central percentile interval of `samples` along `axis`, ignoring non-finite values."""
    tail = 50.0 * (1.0 - level)
    samples = np.where(np.isfinite(samples), samples, np.nan)
    lo, hi = np.nanpercentile(samples, [tail, 100.0 - tail], axis=axis)
    return lo, hi


def bootstrap_chinchilla(
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    fit: ChinchillaFit,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    progress: Callable[[float], None] | None = None,
) -> ChinchillaBootstrap:
    """Refit the Chinchilla form on `n_resamples` resamples of the runs the fit used.

    Each resample starts from the fit's best optimum and from up to two other local optima
    whose objective is within 10% of the best (competing basins), and keeps the best result;
    all starts of all resamples run as one batch, under the fit's own constraint (a fixed
    constant stays fixed, tied exponents stay tied, bounds hold).
    """
    N, D, loss = (np.asarray(v, float) for v in (N, D, loss))
    keep = fitted_mask(N.size, fit.excluded)
    data = _Data.from_runs(N[keep], D[keep], loss[keep])
    n = data.y.size
    if n_resamples > max_bootstrap_resamples(n):
        raise ValueError(
            f"{n_resamples} resamples of {n:,} runs exceed the bootstrap's memory budget; "
            f"use at most {max_bootstrap_resamples(n)}"
        )
    rng = np.random.default_rng(seed)
    counts = resample_counts(n, n_resamples, rng)
    rivals = [o for o in fit.local_optima[1:] if o.objective <= 1.1 * fit.objective][:2]
    # The optimiser's own theta: finite even where a constant underflows (E = e^e = 0).
    origins = [np.array(fit.theta)] + [
        np.array(o.theta) if o.theta else np.nan_to_num(law_to_theta(o.law), posinf=700, neginf=-700) for o in rivals
    ]
    origins = data.to_centred(np.array([o for o in origins if np.all(np.isfinite(o))]))
    k = len(origins)
    starts = np.repeat(origins[None], n_resamples, axis=0).reshape(-1, 5)
    result = minimise_batched(
        starts,
        data,
        fit.delta,
        weights=counts,
        rows=np.repeat(np.arange(n_resamples), k),  # k starts per resample share its counts
        rtol=1e-10,
        progress=progress,
        constraint=fit.constraint,
    )
    objective = result.objective.reshape(n_resamples, k)
    pick = np.argmin(objective, axis=1)
    theta = data.from_centred(result.theta).reshape(n_resamples, k, 5)[np.arange(n_resamples), pick]
    a, alpha, b, beta, e = theta.T
    params = np.stack([np.exp(e), np.exp(a), np.exp(b), alpha, beta], axis=1)
    converged = result.converged.reshape(n_resamples, k)[np.arange(n_resamples), pick]
    return ChinchillaBootstrap(params, objective[np.arange(n_resamples), pick], converged, seed)


@dataclass(frozen=True)
class KaplanBootstrap:
    """Refitted constants per resample: columns N_c, D_c, alpha_N, alpha_D."""

    params: np.ndarray
    converged: np.ndarray
    seed: int

    def column(self, name: str) -> np.ndarray:
        return self.params[:, ("N_c", "D_c", "alpha_N", "alpha_D").index(name)]


def bootstrap_kaplan(N, D, loss, fit, *, n_resamples: int = 1000, seed: int = 0) -> KaplanBootstrap:
    """Refit Kaplan's joint form on resamples of the runs, each from the full fit (one batch)."""
    from .fit import _kaplan_residuals
    from .optim import robust_levenberg_marquardt

    N, D, loss = (np.asarray(v, float) for v in (N, D, loss))
    keep = fitted_mask(N.size, fit.excluded)
    x, z, y = np.log(N[keep]), np.log(D[keep]), np.log(loss[keep])
    n = y.size
    counts = resample_counts(n, n_resamples, np.random.default_rng(seed))
    law = fit.law
    start = np.array([np.log(law.N_c), np.log(law.D_c), law.alpha_N, law.alpha_D])
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = robust_levenberg_marquardt(
            _kaplan_residuals(x, z, y),
            np.repeat(start[None], n_resamples, axis=0),
            fit.delta,
            weights=counts,
            rtol=1e-10,
        )
    c_n, c_d, a_n, a_d = result.theta.T
    return KaplanBootstrap(np.stack([np.exp(c_n), np.exp(c_d), a_n, a_d], axis=1), result.converged, seed)
