"""Approach 2 of Hoffmann et al. (2022): IsoFLOP profiles.

Runs are grouped by compute budget (given groups, or bins of log10 C). Within a group a
parabola in log N locates the minimum loss; power laws N_opt = k C^a and D_opt = k' C^b are
then fitted through the minima by least squares in log space.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

MIN_RUNS_PER_PROFILE = 4


@dataclass(frozen=True)
class IsoFlopProfile:
    compute: float  # geometric mean of the group's budgets, FLOPs
    N: np.ndarray
    loss: np.ndarray
    coefficients: tuple[float, float, float]  # loss = c0 + c1 t + c2 t^2, t = ln N
    N_opt: float
    D_opt: float
    loss_opt: float
    used: bool
    reason: str = ""  # why a profile was left out of the frontier fit

    def curve(self, N: ArrayLike) -> np.ndarray:
        t = np.log(np.asarray(N, float))
        c0, c1, c2 = self.coefficients
        return c0 + c1 * t + c2 * t * t


@dataclass(frozen=True)
class IsoFlopFit:
    profiles: tuple[IsoFlopProfile, ...]
    a: float  # N_opt = k_N C^a
    k_N: float
    b: float  # D_opt = k_D C^b
    k_D: float

    @property
    def n_used(self) -> int:
        return sum(p.used for p in self.profiles)

    def n_opt(self, C: ArrayLike) -> np.ndarray:
        return self.k_N * np.asarray(C, float) ** self.a

    def d_opt(self, C: ArrayLike) -> np.ndarray:
        return self.k_D * np.asarray(C, float) ** self.b


def group_by_compute(C: ArrayLike, bins_per_decade: float = 4.0) -> np.ndarray:
    """Integer group labels from bins of log10 C, `bins_per_decade` bins per decade.

    The bin edges are shifted so that the densest budget sits in the middle of its bin
    (digitised or jittered budgets then stay together).
    """
    logc = np.log10(np.asarray(C, float))
    width = 1.0 / bins_per_decade
    hist, edges = np.histogram(logc, bins=max(int((np.ptp(logc) + 1e-9) / (width / 8)), 1))
    mode = 0.5 * (edges[np.argmax(hist)] + edges[np.argmax(hist) + 1])
    return np.floor((logc - mode) / width + 0.5).astype(int)


class IsoFlopError(ValueError):
    pass


def fit_isoflop(
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    *,
    groups: ArrayLike | None = None,
    bins_per_decade: float = 4.0,
    min_runs: int = MIN_RUNS_PER_PROFILE,
) -> IsoFlopFit:
    """Fit a parabola in ln N per compute group, then the frontier through the minima.

    Raises IsoFlopError when fewer than two groups give a usable minimum.
    """
    N, D, loss = (np.asarray(v, float) for v in (N, D, loss))
    C = 6.0 * N * D
    labels = group_by_compute(C, bins_per_decade) if groups is None else np.asarray(groups)
    profiles = []
    for label in np.unique(labels):
        sel = labels == label
        n, lo, c = N[sel], loss[sel], float(np.exp(np.mean(np.log(C[sel]))))
        order = np.argsort(n)
        n, lo = n[order], lo[order]
        reason = ""
        coeffs = (np.nan, np.nan, np.nan)
        n_opt = loss_opt = np.nan
        if sel.sum() < min_runs or np.unique(np.round(np.log(n), 6)).size < 3:
            reason = f"fewer than {min_runs} runs at distinct sizes"
        else:
            t = np.log(n)
            c2, c1, c0 = np.polyfit(t, lo, 2)
            coeffs = (float(c0), float(c1), float(c2))
            t_opt = -c1 / (2 * c2) if c2 > 0 else np.nan
            if not c2 > 0:
                reason = "the profile is not convex (no minimum)"
            elif not t.min() <= t_opt <= t.max():
                reason = "the minimum lies outside the sizes trained"
            n_opt = float(np.exp(t_opt)) if np.isfinite(t_opt) else np.nan
            loss_opt = float(c0 + c1 * t_opt + c2 * t_opt**2) if np.isfinite(t_opt) else np.nan
        profiles.append(
            IsoFlopProfile(c, n, lo, coeffs, n_opt, c / (6 * n_opt) if n_opt else np.nan, loss_opt, not reason, reason)
        )
    used = [p for p in profiles if p.used]
    if len(used) < 2:
        raise IsoFlopError(
            f"only {len(used)} compute group(s) give an IsoFLOP minimum; need at least 2 "
            "(add runs at several sizes per budget, or change the grouping)"
        )
    logc = np.log([p.compute for p in used])
    a, log_kn = np.polyfit(logc, np.log([p.N_opt for p in used]), 1)
    b, log_kd = np.polyfit(logc, np.log([p.D_opt for p in used]), 1)
    return IsoFlopFit(tuple(profiles), float(a), float(np.exp(log_kn)), float(b), float(np.exp(log_kd)))
