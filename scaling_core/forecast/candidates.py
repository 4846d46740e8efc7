"""Candidate law forms for a forecast, each fitted by the same robust machinery, many problems at once.

Every form is fitted as in Hoffmann et al. (2022, approach 3): Huber loss (delta 1e-3) on
log-loss, from a grid of starts. What is new here is the batch: one call fits K problems on the
same runs, each with its own run mask (the runs it may see: below a backtest cutoff) and its
own targets (a residual-bootstrap resample), every start of every problem in one array
computation. A backtest over five cutoffs with 100 bootstrap refits each is then two batched
calls per form, not 505 fits.

A candidate's constants are a row theta of natural parameters:
  chinchilla  (a, alpha, b, beta, e) with A = e^a, B = e^b, E = e^e   (fit.py's batched fitter)
  kaplan      (log N_c, log D_c, alpha_N, alpha_D)                     (optim.py's batched LM)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..constraints import FREE, Constraint, constraint_for_form
from ..fit import (
    _Data,
    _kaplan_residuals,
    chinchilla_huber_objective,
    hoffmann_start_grid,
    kaplan_start_grid,
    minimise_batched,
    theta_to_law,
)
from ..frontier import chinchilla_optimum, kaplan_isoflop_closed_form
from ..laws import ChinchillaLaw, JointLaw, KaplanLaw
from ..optim import robust_levenberg_marquardt, robust_loss

# Starts per problem: fixed, seeded subsets of the fitters' grids (4,500 Chinchilla starts, 81
# Kaplan starts). tests/test_forecast.py checks that they reach the full grid's optimum on the
# built-in data sets, below every backtest cutoff too.
SEARCH_STARTS = 64
KAPLAN_SEARCH_STARTS = 16
POLISH_PER_PROBLEM = 8  # best coarse end points polished per problem
NEAR_BEST = 1e-3  # coarse end points within this (relative) of a problem's best are polished


# How far each stage runs: (relative tolerance, iteration cap). "search" takes every start to a
# loose tolerance, "polish" the best few to a tight one, "refit" moves a fitted optimum onto a
# bootstrap resample. Caps stop the few rows that drift along a degenerate direction (a term
# vanishing) from holding up the whole batch; such a row keeps the lower objective it reached.
STAGES = {"search": (1e-6, 100), "polish": (1e-10, 100), "refit": (1e-8, 60)}


@dataclass(frozen=True)
class Minimised:
    theta: np.ndarray  # (S, P) natural parameters
    objective: np.ndarray  # (S,)


class Candidate:
    """One law form: how to predict with it, fit it (batched) and read its constants."""

    name: str = ""
    n_constants: int = 0
    param_names: tuple[str, ...] = ()

    @property
    def key(self) -> tuple:
        """What identifies this form's fits in a cache (its name, and any fixed values)."""
        return (self.name,)

    def search_starts(self) -> np.ndarray:
        raise NotImplementedError

    def log_predict(self, theta: np.ndarray, N: ArrayLike, D: ArrayLike) -> np.ndarray:
        """log L for each row of theta (S, P) at each of T points: (S, T)."""
        raise NotImplementedError

    def jacobian(self, theta: np.ndarray, N: np.ndarray, D: np.ndarray) -> np.ndarray:
        """d log L / d (free constants) for each row of theta (K, P) at each run: (K, n, free)."""
        raise NotImplementedError

    def minimise(
        self,
        theta: np.ndarray,
        N: np.ndarray,
        D: np.ndarray,
        y: np.ndarray,
        masks: np.ndarray | None,
        delta: float,
        *,
        stage: str,
    ) -> Minimised:
        """Run every row of theta (S, P) to convergence on targets y (S, n), runs masked by masks
        (S, n), as far as the stage asks (STAGES)."""
        raise NotImplementedError

    def objective(
        self, theta: np.ndarray, N: np.ndarray, D: np.ndarray, y: np.ndarray, masks: np.ndarray | None, delta: float
    ) -> np.ndarray:
        raise NotImplementedError

    def law(self, theta: np.ndarray) -> JointLaw:
        raise NotImplementedError

    def optimum(self, theta: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
        """Compute-optimal (N, D) at budget C for each row of theta (S, P): ((S,), (S,))."""
        raise NotImplementedError

    def constants(self, theta: np.ndarray) -> dict[str, float]:
        return self.law(theta).params()


def _masked_weights(masks: np.ndarray | None) -> np.ndarray | None:
    return None if masks is None else masks.astype(float)


class ChinchillaCandidate(Candidate):
    """L = E + A/N^alpha + B/D^beta under a constraint (scaling_core.constraints): free, alpha =
    beta, E fixed, ... fitted by fit.py's batched fitter in the constraint's free constants."""

    param_names = ("E", "A", "B", "alpha", "beta")

    def __init__(self, name: str = "chinchilla", constraint: Constraint = FREE) -> None:
        self.name = name
        self.constraint = constraint
        self.n_constants = constraint.n_free
        self._map = constraint.parametrisation()

    @property
    def key(self) -> tuple:
        return (self.name, self.constraint)

    @property
    def fixed_e(self) -> float | None:
        return self.constraint.fixed_values.get("E")

    def search_starts(self) -> np.ndarray:
        grid = self.constraint.project(hoffmann_start_grid(), unique=True)
        if len(grid) <= SEARCH_STARTS:
            return grid
        return grid[np.sort(np.random.default_rng(0).choice(len(grid), SEARCH_STARTS, replace=False))]

    def log_predict(self, theta: np.ndarray, N: ArrayLike, D: ArrayLike) -> np.ndarray:
        theta = np.atleast_2d(theta)
        logn, logd = np.log(np.atleast_1d(np.asarray(N, float))), np.log(np.atleast_1d(np.asarray(D, float)))
        a, alpha, b, beta, e = (theta[:, k, None] for k in range(5))
        return np.logaddexp(np.logaddexp(a - alpha * logn, b - beta * logd), e)

    def jacobian(self, theta: np.ndarray, N: np.ndarray, D: np.ndarray) -> np.ndarray:
        theta = np.atleast_2d(theta)
        logn, logd = np.log(N), np.log(D)
        a, alpha, b, beta, e = (theta[:, k, None] for k in range(5))
        u = np.stack([a - alpha * logn, b - beta * logd, np.broadcast_to(e, (theta.shape[0], logn.size))])
        p = np.exp(u - u.max(axis=0))
        p /= p.sum(axis=0)  # softmax weights of the three terms, (3, K, n)
        J = np.stack([p[0], -p[0] * logn, p[1], -p[1] * logd, p[2]], axis=-1)
        return J @ self._map.P  # in the constraint's free constants (theta = c + P psi)

    def _data(self, N: np.ndarray, D: np.ndarray) -> _Data:
        return _Data.from_runs(N, D, np.ones_like(N))  # targets are always given per start

    def minimise(self, theta, N, D, y, masks, delta, *, stage):
        data = self._data(N, D)
        rtol, max_iter = STAGES[stage]
        search = stage == "search"
        result = minimise_batched(
            data.to_centred(theta),
            data,
            delta,
            weights=_masked_weights(masks),
            rtol=rtol,
            max_iter=max_iter,
            dtype=np.float32 if search else np.float64,
            targets=y,
            use_newton=not search,
            constraint=self.constraint,
        )
        return Minimised(data.from_centred(result.theta), result.objective)

    def objective(self, theta, N, D, y, masks, delta):
        data = self._data(N, D)
        (F,) = chinchilla_huber_objective(
            data.to_centred(theta), data, delta, _masked_weights(masks), derivatives=False, targets=y
        )
        return F

    def law(self, theta: np.ndarray) -> ChinchillaLaw:
        return theta_to_law(theta)

    def optimum(self, theta: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
        a, alpha, b, beta, _ = np.atleast_2d(theta).T
        return chinchilla_optimum(np.exp(a), np.exp(b), alpha, beta, C)


class KaplanCandidate(Candidate):
    """Kaplan's joint form L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D (optim.py's batched LM)."""

    name = "kaplan"
    n_constants = 4
    param_names = ("N_c", "D_c", "alpha_N", "alpha_D")

    def search_starts(self) -> np.ndarray:
        grid = kaplan_start_grid()
        return grid[np.sort(np.random.default_rng(0).choice(len(grid), KAPLAN_SEARCH_STARTS, replace=False))]

    def log_predict(self, theta: np.ndarray, N: ArrayLike, D: ArrayLike) -> np.ndarray:
        theta = np.atleast_2d(theta)
        logn, logd = np.log(np.atleast_1d(np.asarray(N, float))), np.log(np.atleast_1d(np.asarray(D, float)))
        c_n, c_d, alpha_n, alpha_d = (theta[:, k, None] for k in range(4))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return alpha_d * np.logaddexp(alpha_n / alpha_d * (c_n - logn), c_d - logd)

    def _residuals(self, N: np.ndarray, D: np.ndarray):
        return _kaplan_residuals(np.log(N), np.log(D), np.zeros(N.size))  # residual = log prediction

    def jacobian(self, theta: np.ndarray, N: np.ndarray, D: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            _, J = self._residuals(N, D)(np.atleast_2d(theta), True)
        return J

    def minimise(self, theta, N, D, y, masks, delta, *, stage):
        rtol, max_iter = STAGES[stage]
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            result = robust_levenberg_marquardt(
                self._residuals(N, D),
                theta,
                delta,
                weights=_masked_weights(masks),
                rtol=rtol,
                max_iter=max_iter,
                targets=y,
            )
        ok = (result.theta[:, 2] > 0) & (result.theta[:, 3] > 0)
        return Minimised(result.theta, np.where(ok, result.objective, np.inf))

    def objective(self, theta, N, D, y, masks, delta):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            r, _ = self._residuals(N, D)(np.atleast_2d(theta), False)
            loss = robust_loss(r - y, delta)
        loss = np.where(np.isfinite(loss), loss, np.inf)
        F = (loss if masks is None else loss * masks).sum(axis=1)
        return np.where((theta[:, 2] > 0) & (theta[:, 3] > 0), F, np.inf)

    def law(self, theta: np.ndarray) -> KaplanLaw:
        c_n, c_d, alpha_n, alpha_d = (float(v) for v in theta)
        with np.errstate(over="ignore"):
            return KaplanLaw(N_c=float(np.exp(c_n)), D_c=float(np.exp(c_d)), alpha_N=alpha_n, alpha_D=alpha_d)

    def optimum(self, theta: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
        c_n, c_d, alpha_n, alpha_d = np.atleast_2d(theta).T
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            law = KaplanLaw(N_c=np.exp(c_n), D_c=np.exp(c_d), alpha_N=alpha_n, alpha_D=alpha_d)
            N = kaplan_isoflop_closed_form(law, C)
        return N, C / (6.0 * N)


CANDIDATES: dict[str, Candidate] = {
    c.name: c
    for c in (
        ChinchillaCandidate(),
        ChinchillaCandidate("chinchilla_tied", constraint_for_form("chinchilla_tied")),
        KaplanCandidate(),
    )
}
# The named forms a forecast can use; chinchilla_fixed_e needs the user's E (fixed_e_candidate).
FORECAST_FORMS = ("chinchilla", "chinchilla_tied", "chinchilla_fixed_e", "kaplan")


def fixed_e_candidate(E: float) -> ChinchillaCandidate:
    return ChinchillaCandidate("chinchilla_fixed_e", constraint_for_form("chinchilla_fixed_e", E=float(E)))


def candidate(name: str, fixed_e: float | None = None) -> Candidate:
    if name == "chinchilla_fixed_e":
        if fixed_e is None:
            raise ValueError("the chinchilla_fixed_e form needs a value for E")
        return fixed_e_candidate(fixed_e)
    if name not in CANDIDATES:
        raise ValueError(f"unknown form {name!r}; use one of {', '.join(FORECAST_FORMS)}")
    return CANDIDATES[name]


# ---------------------------------------------------------------------------------------------
# Many problems at once


@dataclass(frozen=True)
class ProblemFits:
    """The best end point of each of K problems."""

    theta: np.ndarray  # (K, P)
    objective: np.ndarray  # (K,)
    n_starts: int  # starts per problem


def fit_problems(
    form: Candidate,
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    masks: np.ndarray,
    delta: float,
    starts: np.ndarray | None = None,
) -> ProblemFits:
    """Fit the form to each of K problems (masks (K, n): the runs each may see) from every start.

    As in fit_chinchilla: every start of every problem runs to a loose tolerance first (float32
    for the Chinchilla family), then each problem's end points within NEAR_BEST of its best (at
    most POLISH_PER_PROBLEM) are polished to a tight one; the best polished point wins.
    """
    N, D = np.asarray(N, float), np.asarray(D, float)
    y = np.log(np.asarray(loss, float))
    masks = np.atleast_2d(np.asarray(masks, bool))
    K = masks.shape[0]
    starts = form.search_starts() if starts is None else np.atleast_2d(np.asarray(starts, float))
    S = starts.shape[0]
    theta0 = np.tile(starts, (K, 1))  # problem-major: rows k*S .. k*S+S-1 belong to problem k
    rows_mask = np.repeat(masks, S, axis=0)
    targets = np.broadcast_to(y, rows_mask.shape)
    coarse = form.minimise(theta0, N, D, targets, rows_mask, delta, stage="search")
    F = form.objective(coarse.theta, N, D, targets, rows_mask, delta).reshape(K, S)
    F = np.where(np.isfinite(F) & np.all(np.isfinite(coarse.theta), axis=1).reshape(K, S), F, np.inf)
    order = np.argsort(F, axis=1)[:, :POLISH_PER_PROBLEM]
    best = np.take_along_axis(F, order[:, :1], axis=1)
    near = np.take_along_axis(F, order, axis=1) <= best * (1 + NEAR_BEST)
    near[:, 0] = True
    pick = (np.arange(K)[:, None] * S + order)[near]
    owner = np.repeat(np.arange(K), near.sum(axis=1))
    fine = form.minimise(coarse.theta[pick], N, D, targets[pick], rows_mask[pick], delta, stage="polish")
    objective = np.where(np.isfinite(fine.objective), fine.objective, np.inf)
    order = np.lexsort((objective, owner))  # by problem, best first within each
    winner = order[np.unique(owner[order], return_index=True)[1]]
    return ProblemFits(fine.theta[winner], objective[winner], S)


def leverage_of(form: Candidate, theta: np.ndarray, N: np.ndarray, D: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """Diagonal of the hat matrix of log L-hat in the free constants, per problem (K, n), over
    each problem's own runs (0 elsewhere); clipped below 0.99 as in extrapolate.leverage."""
    J = form.jacobian(theta, N, D) * masks[..., None]
    J = np.where(np.isfinite(J), J, 0.0)
    Q, _ = np.linalg.qr(J)
    return np.minimum(np.sum(Q * Q, axis=2), 0.99)


def forecast_forms(fixed_e: float | None = None) -> list[Candidate]:
    """The candidates compared by default, in FORECAST_FORMS order (the fixed-E form only with
    a value for E: fixing E is a prior belief, not something to fit from the same runs)."""
    return [candidate(name, fixed_e) for name in FORECAST_FORMS if fixed_e is not None or name != "chinchilla_fixed_e"]
