"""Compute-optimal allocation and iso-FLOP profiles, vectorised over budgets C (FLOPs)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .compute import params_for_compute, tokens_for_compute
from .laws import ChinchillaLaw, JointLaw, KaplanLaw
from .presets import KAPLAN_ALLOCATION, PublishedAllocation

_INV_PHI = (np.sqrt(5.0) - 1.0) / 2.0


@dataclass(frozen=True)
class Allocation:
    """Compute-optimal N, D and loss for each budget C (arrays of one shape)."""

    compute: np.ndarray
    N_opt: np.ndarray
    D_opt: np.ndarray
    loss: np.ndarray

    @property
    def tokens_per_param(self) -> np.ndarray:
        return self.D_opt / self.N_opt

    def records(self) -> list[dict[str, float]]:
        """One dict per budget, for tables and JSON."""
        cols = np.broadcast_arrays(self.compute, self.N_opt, self.D_opt, self.loss, self.tokens_per_param)
        return [
            {"compute": float(c), "N_opt": float(n), "D_opt": float(d), "loss": float(lo), "tokens_per_param": float(r)}
            for c, n, d, lo, r in zip(*(np.ravel(a) for a in cols))
        ]


def iso_flop_profile(law: JointLaw, C: ArrayLike, N: ArrayLike) -> np.ndarray:
    """Loss along the iso-FLOP line: L(N, D = C / (6N)). Broadcasts C against N."""
    C = np.asarray(C, dtype=float)
    N = np.asarray(N, dtype=float)
    return law.loss(N, tokens_for_compute(C, N))


def chinchilla_optimum(
    A: ArrayLike, B: ArrayLike, alpha: ArrayLike, beta: ArrayLike, C: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Closed form (Hoffmann 2022, Eq. 4): N_opt = G (C/6)^a, D_opt = (C/6) / N_opt, with
    G = (alpha A / (beta B))^(1 / (alpha + beta)) and a = beta / (alpha + beta).
    Broadcasts: constants of many fitted laws against many budgets at once."""
    A, B, alpha, beta, C = (np.asarray(v, dtype=float) for v in (A, B, alpha, beta, C))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        G = (alpha * A / (beta * B)) ** (1.0 / (alpha + beta))
        N = G * (C / 6.0) ** (beta / (alpha + beta))
    return N, tokens_for_compute(C, N)


def chinchilla_optimal_allocation(law: ChinchillaLaw, C: ArrayLike) -> Allocation:
    """The compute-optimal allocation of a Chinchilla-form law, in closed form."""
    C = np.asarray(C, dtype=float)
    N, D = chinchilla_optimum(law.A, law.B, law.alpha, law.beta, C)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # a degenerate fit: N_opt at 0 or inf
        return Allocation(C, N, D, law.loss(N, D))


def unreal_optimum(law: JointLaw, C: float) -> str | None:
    """Why the law's compute-optimal model at budget C is no real model (N < 1 or D < 1), or None.

    A fit that cannot separate the N and D terms can end with a near-zero coefficient or an extreme
    exponent; its closed-form optimum then lies far outside [1, C/6] parameters."""
    alloc = optimal_allocation(law, C)
    N, D = float(alloc.N_opt), float(alloc.D_opt)
    if 1.0 <= N <= C / 6.0 and np.isfinite(D):  # N <= C/6 is D >= 1
        return None
    where = f"at N = {N:.3g} parameters, D = {D:.3g} tokens" if np.isfinite(N) and np.isfinite(D) else "nowhere finite"
    return (
        f"the fitted law puts the compute-optimal model for {C:.3g} FLOPs {where}: no real model, so the fit "
        "is degenerate on these runs (look for a near-zero coefficient or an extreme exponent)"
    )


def numeric_optimal_allocation(law: JointLaw, C: ArrayLike, grid_points: int = 257, iterations: int = 90) -> Allocation:
    """Minimise L(N, C/(6N)) over log N for every budget at once.

    A coarse log grid over 1 <= N <= C/6 brackets the minimum; golden-section search
    then narrows each bracket in lockstep (the profiles are unimodal for these laws).
    """
    C = np.asarray(C, dtype=float)
    flat = C.reshape(-1, 1)
    log_max = np.log(flat / 6.0)
    t = np.linspace(0.0, 1.0, grid_points)[1:-1]
    log_n = t * log_max  # (budgets, grid)
    profile = iso_flop_profile(law, flat, np.exp(log_n))
    best = np.argmin(profile, axis=1)
    step = log_max[:, 0] / (grid_points - 1)
    lo = log_n[np.arange(len(flat)), best] - step
    hi = lo + 2.0 * step

    def f(x: np.ndarray) -> np.ndarray:
        return iso_flop_profile(law, flat[:, 0], np.exp(x))

    x1 = hi - _INV_PHI * (hi - lo)
    x2 = lo + _INV_PHI * (hi - lo)
    f1, f2 = f(x1), f(x2)
    for _ in range(iterations):
        left = f1 < f2  # minimum lies in [lo, x2]
        hi = np.where(left, x2, hi)
        lo = np.where(left, lo, x1)
        x2_new = np.where(left, x1, lo + _INV_PHI * (hi - lo))
        x1_new = np.where(left, hi - _INV_PHI * (hi - lo), x2)
        f_new = f(np.where(left, x1_new, x2_new))
        f1, f2 = np.where(left, f_new, f2), np.where(left, f1, f_new)
        x1, x2 = x1_new, x2_new
    N = np.exp(0.5 * (lo + hi)).reshape(C.shape)
    D = tokens_for_compute(C, N)
    return Allocation(C, N, D, law.loss(N, D))


def optimal_allocation(law: JointLaw, C: ArrayLike) -> Allocation:
    """Compute-optimal allocation: closed form where it exists, numeric otherwise."""
    if isinstance(law, ChinchillaLaw):
        return chinchilla_optimal_allocation(law, C)
    return numeric_optimal_allocation(law, C)


def kaplan_published_allocation(C: ArrayLike, trend: PublishedAllocation = KAPLAN_ALLOCATION) -> Allocation:
    """Kaplan's own fitted trend N_opt = 1.3e9 C_min^0.73 (Table 6), for a raw FLOP budget C
    trained at the critical batch (C_min = C/2). D is then C / (6 N), so the point lies on
    the budget's iso-FLOP line. There is no loss attached: the trend is an allocation only,
    so `loss` is NaN."""
    C = np.asarray(C, dtype=float)
    N = trend.n_opt_for_flops(C)
    return Allocation(C, N, tokens_for_compute(C, N), np.full_like(N, np.nan))


def kaplan_isoflop_closed_form(law: KaplanLaw, C: ArrayLike) -> np.ndarray:
    """N_opt of Kaplan's joint law on the line C = 6ND, in closed form.

    L^(1/alpha_D) = (N_c/N)^r + 6 D_c N / C with r = alpha_N/alpha_D is minimised where
    N^(r+1) = r N_c^r C / (6 D_c). Used to check the numeric minimiser independently.
    """
    r = law.alpha_N / law.alpha_D
    C = np.asarray(C, dtype=float)
    return (r * law.N_c**r * C / (6.0 * law.D_c)) ** (1.0 / (r + 1.0))


def iso_flop_segments(
    C: ArrayLike, N_bounds: tuple[float, float], D_bounds: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Where each line C = 6ND crosses the window N_bounds x D_bounds: (N_start, N_end).

    On log-log axes the line is straight, so its two ends describe it exactly.
    Budgets whose line misses the window get NaN.
    """
    C = np.asarray(C, dtype=float)
    n_start = np.maximum(N_bounds[0], params_for_compute(C, D_bounds[1]))
    n_end = np.minimum(N_bounds[1], params_for_compute(C, D_bounds[0]))
    miss = n_start >= n_end
    return np.where(miss, np.nan, n_start), np.where(miss, np.nan, n_end)


def decades_between(lo: float, hi: float) -> np.ndarray:
    """Powers of ten in [lo, hi]."""
    return 10.0 ** np.arange(np.ceil(np.log10(lo) - 1e-9), np.floor(np.log10(hi) + 1e-9) + 1)
