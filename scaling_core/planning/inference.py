"""Inference-aware optimum (Sardana et al. 2024, arXiv 2401.00448): reach a target loss with the
least training plus inference compute,

    minimise over N, D_tr:   6 N D_tr + 2 N D_inf   subject to   L(N, D_tr) = target loss.

On the constraint D_tr is a function of N, so the search is one-dimensional in log N (no closed
form). With D_inf = 0 the same search gives the least training compute that reaches a loss: the
reverse of the compute-optimal frontier. Everything broadcasts over target losses and inference tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..laws import ChinchillaLaw, JointLaw, KaplanLaw
from ._search import minimise_on_interval

# The search spans this many e-folds of N above the smallest model that can reach the loss: the
# optimum sits a factor of a few above it for both law families (far inside the bracket).
_SEARCH_SPAN = np.log(1e6)


def loss_floor(law: JointLaw) -> float:
    """The loss no model reaches: E for the Chinchilla form, 0 for Kaplan's joint form."""
    return float(law.E) if isinstance(law, ChinchillaLaw) else 0.0


def smallest_params_for_loss(law: JointLaw, target_loss: ArrayLike) -> np.ndarray:
    """N_min: with infinite data, a model of N_min parameters just reaches the target loss (NaN if
    no model does). Chinchilla: (A / (L - E))^(1/alpha); Kaplan: N_c L^(-1/alpha_N)."""
    target = np.asarray(target_loss, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(law, ChinchillaLaw):
            gap = target - law.E
            return np.where(gap > 0, (law.A / gap) ** (1.0 / law.alpha), np.nan)
        if isinstance(law, KaplanLaw):
            return np.where(target > 0, law.N_c * target ** (-1.0 / law.alpha_N), np.nan)
    raise TypeError(f"no inverse for {type(law).__name__}")


def tokens_for_loss(law: JointLaw, N: ArrayLike, target_loss: ArrayLike) -> np.ndarray:
    """D such that L(N, D) = target loss; NaN where N is too small to reach it at any D.

    Chinchilla: D = (B / (L - E - A N^-alpha))^(1/beta). Kaplan: D = D_c / (L^(1/alpha_D) - (N_c/N)^(alpha_N/alpha_D))."""
    N = np.asarray(N, dtype=float)
    target = np.asarray(target_loss, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if isinstance(law, ChinchillaLaw):
            room = target - law.E - law.A * N ** (-law.alpha)
            return np.where(room > 0, (law.B / room) ** (1.0 / law.beta), np.nan)
        if isinstance(law, KaplanLaw):
            room = target ** (1.0 / law.alpha_D) - (law.N_c / N) ** (law.alpha_N / law.alpha_D)
            return np.where(room > 0, law.D_c / room, np.nan)
    raise TypeError(f"no inverse for {type(law).__name__}")


@dataclass(frozen=True)
class InferenceAware:
    """The inference-aware optimum against the compute-optimal model for the same loss (arrays)."""

    target_loss: np.ndarray
    inference_tokens: np.ndarray
    N: np.ndarray  # inference-aware model size
    D: np.ndarray  # its training tokens
    N_compute_optimal: np.ndarray  # the least-training-compute model for the same loss
    D_compute_optimal: np.ndarray

    @property
    def training_flops(self) -> np.ndarray:
        return 6.0 * self.N * self.D

    @property
    def total_flops(self) -> np.ndarray:
        """Training plus inference FLOPs: 6 N D + 2 N D_inf."""
        return self.training_flops + 2.0 * self.N * self.inference_tokens

    @property
    def total_flops_compute_optimal(self) -> np.ndarray:
        return (
            6.0 * self.N_compute_optimal * self.D_compute_optimal + 2.0 * self.N_compute_optimal * self.inference_tokens
        )

    @property
    def saving_flops(self) -> np.ndarray:
        return self.total_flops_compute_optimal - self.total_flops

    @property
    def saving_fraction(self) -> np.ndarray:
        return self.saving_flops / self.total_flops_compute_optimal


def _cheapest_model(law: JointLaw, target: np.ndarray, inference_tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(N, D) minimising 6 N D(N) + 2 N D_inf on the iso-loss curve, for broadcast target and D_inf."""
    target, inference_tokens = np.broadcast_arrays(target, inference_tokens)
    log_lo = np.log(smallest_params_for_loss(law, target))
    ok = np.isfinite(log_lo)
    log_lo = np.where(ok, log_lo, 0.0)

    def cost(log_n: np.ndarray) -> np.ndarray:
        N = np.exp(log_n)
        D = tokens_for_loss(law, N, target[..., None])
        return np.log(6.0 * N * D + 2.0 * N * inference_tokens[..., None])  # log: same minimum, better scaled

    log_n = minimise_on_interval(cost, log_lo + 1e-9, log_lo + _SEARCH_SPAN, grid_points=481)
    N = np.where(ok, np.exp(log_n), np.nan)
    return N, tokens_for_loss(law, N, target)


def inference_aware_optimum(law: JointLaw, target_loss: ArrayLike, inference_tokens: ArrayLike) -> InferenceAware:
    """Sardana et al. 2024: the model size and training tokens that reach `target_loss` with the
    least 6 N D_tr + 2 N D_inf, for every (target loss, inference tokens) at once. NaN where the
    loss is at or below what the law allows (E for the Chinchilla form)."""
    target = np.asarray(target_loss, dtype=float)
    d_inf = np.asarray(inference_tokens, dtype=float)
    target, d_inf = np.broadcast_arrays(target, d_inf)
    N, D = _cheapest_model(law, target, d_inf)
    N0, D0 = _cheapest_model(law, target, np.zeros_like(d_inf))
    return InferenceAware(target, d_inf, N, D, N0, D0)


def least_compute_for_loss(law: JointLaw, target_loss: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reverse mode: (C, N, D), the least training compute C = 6ND whose best model reaches the
    target loss (NaN at or below the law's floor)."""
    target = np.asarray(target_loss, dtype=float)
    N, D = _cheapest_model(law, target, np.zeros_like(target))
    return 6.0 * N * D, N, D
