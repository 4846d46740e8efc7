"""Seed replicates: runs at the same N and D with different losses, and the noise they measure.

Replicates (another seed or data order at the same size and length) are kept in every fit as
independent runs. Within a group of replicates the law predicts the same loss, so the spread of
their log-losses is a model-free estimate of run-to-run noise: the pooled within-group standard
deviation sqrt(sum_g sum_i (y_gi - mean_g)^2 / sum_g (n_g - 1)), y = log loss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

MIN_GROUPS = 3  # replicate groups needed before the prediction band leans on their noise


@dataclass(frozen=True)
class ReplicateNoise:
    n_groups: int  # (N, D) points run more than once
    n_runs: int  # runs in those groups
    sigma_log: float  # pooled within-group SD of log-loss; NaN without replicates
    dof: int  # degrees of freedom of the pooled estimate: sum of (group size - 1)

    @property
    def usable(self) -> bool:
        """Enough groups for the band to use this noise as its floor."""
        return self.n_groups >= MIN_GROUPS and bool(np.isfinite(self.sigma_log))

    def to_json(self) -> dict:
        sigma = self.sigma_log if np.isfinite(self.sigma_log) else None
        return {"groups": self.n_groups, "runs": self.n_runs, "sigma_log": sigma, "dof": self.dof}


def replicate_groups(N: ArrayLike, D: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """(group index per run, runs per group): runs with equal N and D share a group."""
    key = np.stack([np.asarray(N, float).ravel(), np.asarray(D, float).ravel()], axis=1)
    if key.shape[0] == 0:
        return np.zeros(0, int), np.zeros(0, int)
    _, group, counts = np.unique(key, axis=0, return_inverse=True, return_counts=True)
    return group.ravel(), counts


def replicate_noise(N: ArrayLike, D: ArrayLike, loss: ArrayLike) -> ReplicateNoise:
    """Pooled within-group SD of log-loss over the groups of replicates among these runs."""
    y = np.log(np.asarray(loss, float).ravel())
    group, counts = replicate_groups(N, D)
    repeated = counts >= 2
    if not repeated.any():
        return ReplicateNoise(0, 0, float("nan"), 0)
    sums = np.bincount(group, weights=y, minlength=counts.size)
    mean = sums / counts
    in_group = repeated[group]
    ss = float(np.sum((y[in_group] - mean[group[in_group]]) ** 2))
    dof = int(np.sum(counts[repeated] - 1))
    return ReplicateNoise(int(repeated.sum()), int(counts[repeated].sum()), float(np.sqrt(ss / dof)), dof)
