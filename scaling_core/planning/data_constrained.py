"""Data-constrained scaling (Muennighoff et al. 2023, arXiv 2305.16264): repeated tokens and
excess parameters are worth less than fresh ones, with e-folding constants R_D* and R_N*.

    D' = U_D + U_D R_D* (1 - exp(-R_D / R_D*)),  R_D = D / U_D - 1   (repetitions past the first epoch)
    N' = U_N + U_N R_N* (1 - exp(-R_N / R_N*)),  R_N = N / U_N - 1,  U_N = min(N, N_opt(U_D))
    L(N, D, U_D) = E + A / N'^alpha + B / D'^beta

N_opt(U_D) is the compute-optimal model for U_D tokens under the same law. Everything broadcasts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..compute import tokens_for_compute
from ..frontier import Allocation
from ..laws import ChinchillaLaw
from ..presets import MUENNIGHOFF_REPETITION, PRESETS
from ._search import minimise_on_interval


@dataclass(frozen=True)
class DataConstrainedLaw:
    """A Chinchilla-form law plus the repetition constants R_D* (data) and R_N* (parameters)."""

    base: ChinchillaLaw
    r_d_star: float = MUENNIGHOFF_REPETITION.r_d_star
    r_n_star: float = MUENNIGHOFF_REPETITION.r_n_star

    def loss(self, N: ArrayLike, D: ArrayLike, U: ArrayLike) -> np.ndarray:
        return data_constrained_loss(N, D, U, law=self)


# The released C4 fit: base constants and repetition constants fitted together.
MUENNIGHOFF_C4 = DataConstrainedLaw(PRESETS["muennighoff2023"].law)


def _as_constrained(law: DataConstrainedLaw | ChinchillaLaw) -> DataConstrainedLaw:
    """A plain Chinchilla-form law gets Muennighoff's R_D*, R_N* (fitted on C4, with their own
    E, A, B: on another law they are an approximation)."""
    if isinstance(law, DataConstrainedLaw):
        return law
    if isinstance(law, ChinchillaLaw):
        return DataConstrainedLaw(law)
    raise TypeError(f"the data-constrained law needs the Chinchilla form, got {type(law).__name__}")


def effective_tokens(D: ArrayLike, U: ArrayLike, r_d_star: float = MUENNIGHOFF_REPETITION.r_d_star) -> np.ndarray:
    """D': the fresh-token equivalent of D tokens drawn from U unique ones (D' = D when D <= U)."""
    D = np.asarray(D, dtype=float)
    unique = np.minimum(np.asarray(U, dtype=float), D)  # a run that sees fewer tokens than U repeats none
    repeats = np.maximum(D / unique - 1.0, 0.0)
    return unique + unique * r_d_star * (1.0 - np.exp(-repeats / r_d_star))


def effective_params(N: ArrayLike, U_N: ArrayLike, r_n_star: float = MUENNIGHOFF_REPETITION.r_n_star) -> np.ndarray:
    """N': parameters beyond U_N count for less, with e-folding constant R_N* (N' = N when N <= U_N)."""
    N = np.asarray(N, dtype=float)
    base = np.minimum(np.asarray(U_N, dtype=float), N)
    excess = np.maximum(N / base - 1.0, 0.0)
    return base + base * r_n_star * (1.0 - np.exp(-excess / r_n_star))


def optimal_params_for_tokens(law: ChinchillaLaw, D: ArrayLike) -> np.ndarray:
    """The model size whose compute-optimal token count is D: N = G (D G)^(beta/alpha), with
    G = (alpha A / (beta B))^(1/(alpha+beta)) (invert D_opt = (C/6)^b / G, N_opt = G (C/6)^a)."""
    G = (law.alpha * law.A / (law.beta * law.B)) ** (1.0 / (law.alpha + law.beta))
    return G * (np.asarray(D, dtype=float) * G) ** (law.beta / law.alpha)


def data_constrained_loss(
    N: ArrayLike, D: ArrayLike, U: ArrayLike, law: DataConstrainedLaw | ChinchillaLaw = MUENNIGHOFF_C4
) -> np.ndarray:
    """L(N, D, U) = E + A / N'^alpha + B / D'^beta (Muennighoff et al. 2023, Eq. 5), nats per token."""
    law = _as_constrained(law)
    base = law.base
    N, D, U = (np.asarray(v, dtype=float) for v in (N, D, U))
    unique = np.minimum(U, D)
    D_eff = effective_tokens(D, unique, law.r_d_star)
    N_eff = effective_params(N, np.minimum(N, optimal_params_for_tokens(base, unique)), law.r_n_star)
    return base.E + base.A * N_eff ** (-base.alpha) + base.B * D_eff ** (-base.beta)


@dataclass(frozen=True)
class ConstrainedAllocation(Allocation):
    """The best (N, D) at budget C given U unique tokens, with the repetition it implies."""

    unique_tokens: np.ndarray = None  # type: ignore[assignment]

    @property
    def epochs(self) -> np.ndarray:
        return self.D_opt / self.unique_tokens

    @property
    def effective_tokens(self) -> np.ndarray:
        return effective_tokens(self.D_opt, self.unique_tokens)


def data_constrained_optimum(
    C: ArrayLike, U: ArrayLike, law: DataConstrainedLaw | ChinchillaLaw = MUENNIGHOFF_C4
) -> ConstrainedAllocation:
    """Minimise L(N, C/(6N), U) over log N for every (C, U) at once (no closed form exists; the
    authors grid-search). Reproduces their example: C = 1e22, U = 25e9 -> 7.02e9 params, 2.373e11 tokens."""
    law = _as_constrained(law)
    C, U = np.broadcast_arrays(np.asarray(C, dtype=float), np.asarray(U, dtype=float))
    # N from 1 parameter up to C/6 (one token): every split of the budget.
    log_hi = np.log(C / 6.0)

    def objective(log_n: np.ndarray) -> np.ndarray:
        N = np.exp(log_n)
        return data_constrained_loss(N, tokens_for_compute(C[..., None], N), U[..., None], law)

    N = np.exp(minimise_on_interval(objective, np.zeros_like(log_hi), log_hi, grid_points=401))
    D = tokens_for_compute(C, N)
    return ConstrainedAllocation(C, N, D, data_constrained_loss(N, D, U, law), unique_tokens=U)
