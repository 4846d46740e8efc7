"""Synthetic runs drawn from a known law, for the demo dataset and for tests of the fitters."""

from __future__ import annotations

import numpy as np

from .laws import ChinchillaLaw, JointLaw

DEMO_LAW = ChinchillaLaw(E=1.8172, A=482.01, B=2085.43, alpha=0.3478, beta=0.3658)  # Epoch 2024


def isoflop_design(
    budgets: np.ndarray, sizes_per_budget: int = 8, spread_decades: float = 1.2
) -> tuple[np.ndarray, np.ndarray]:
    """(N, D) of an IsoFLOP sweep: per budget C, `sizes_per_budget` sizes spaced evenly in
    log N over `spread_decades` around sqrt(C / 120) (about 20 tokens per parameter)."""
    budgets = np.asarray(budgets, float)
    centre = np.log10(np.sqrt(budgets / 120.0))
    offsets = np.linspace(-spread_decades / 2, spread_decades / 2, sizes_per_budget)
    N = 10.0 ** (centre[:, None] + offsets[None, :])
    D = budgets[:, None] / (6.0 * N)
    return N.ravel(), D.ravel()


def noisy_losses(law: JointLaw, N: np.ndarray, D: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Observed loss = law x exp(noise), noise ~ Normal(0, sigma) in log-loss (log-normal noise)."""
    return law.loss(N, D) * np.exp(rng.normal(0.0, sigma, np.shape(N)))


def demo_runs(seed: int = 0, law: JointLaw = DEMO_LAW, sigma: float = 0.01) -> dict[str, np.ndarray]:
    """A small sweep: 6 budgets from 1e18 to 1e21 FLOPs, 8 sizes each, 1% log-normal noise."""
    rng = np.random.default_rng(seed)
    N, D = isoflop_design(np.logspace(18, 21, 6))
    group = np.repeat(np.arange(6), 8)
    return {"N": N, "D": D, "C": 6 * N * D, "loss": noisy_losses(law, N, D, sigma, rng), "group": group}
