"""The fixed-E profile: the best Chinchilla fit with the irreducible loss E held at each of many
values, every value and start in one batch.

For each E, minimise the Huber objective over (A, B, alpha, beta) with E held (the
chinchilla_fixed_e form at that E). The batch is optim.robust_levenberg_marquardt over rows
theta = (a, alpha, b, beta, e) whose e column of the Jacobian is zero: a zero column leaves e
exactly where each row starts (its Gauss-Newton step is 0), so one call fits every E.
The profile shows how the objective, the prediction and the compute-optimal allocation move
with E: a flat objective means the runs hardly pin E down, whatever the free fit says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..fit import HUBER_DELTA, hoffmann_start_grid
from ..laws import ChinchillaLaw
from ..optim import robust_levenberg_marquardt
from .candidates import CANDIDATES

PROFILE_STARTS = 16  # grid starts per E, besides the free fit's optimum moved onto that E
PROFILE_POINTS = 25


@dataclass(frozen=True)
class Profile:
    E: np.ndarray  # (k,)
    objective: np.ndarray  # (k,) best Huber objective with E held
    theta: np.ndarray  # (k, 5) its constants (a, alpha, b, beta, e)

    def laws(self) -> list[ChinchillaLaw]:
        return [CANDIDATES["chinchilla"].law(t) for t in self.theta]

    def predict(self, N: float, D: float) -> np.ndarray:
        """The loss each E's fit predicts at (N, D): (k,)."""
        return np.exp(CANDIDATES["chinchilla"].log_predict(self.theta, [N], [D])[:, 0])

    def optimum(self, compute: float) -> tuple[np.ndarray, np.ndarray]:
        """N_opt and D_opt at a budget under each E's fit: ((k,), (k,))."""
        return CANDIDATES["chinchilla"].optimum(self.theta, compute)


def profile_grid(loss: ArrayLike, free_E: float | None = None, points: int = PROFILE_POINTS) -> np.ndarray:
    """E from 40% to 98% of the lowest loss observed (E is below every loss), plus the free fit's E."""
    low = float(np.min(loss))
    grid = np.linspace(0.4 * low, 0.98 * low, points)
    if free_E is not None and np.isfinite(free_E) and grid[0] < free_E < grid[-1]:
        grid = np.sort(np.append(grid, free_E))
    return grid


def fixed_e_profile(
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    E: ArrayLike,
    *,
    start: ArrayLike | None = None,
    delta: float = HUBER_DELTA,
) -> Profile:
    """The best fixed-E fit at each E, from `start` (e.g. the free fit's theta) moved onto each E
    and PROFILE_STARTS grid starts, all in one batch."""
    N, D = np.asarray(N, float), np.asarray(D, float)
    y = np.log(np.asarray(loss, float))
    E = np.atleast_1d(np.asarray(E, float))
    grid = hoffmann_start_grid()
    starts = grid[np.sort(np.random.default_rng(0).choice(len(grid), PROFILE_STARTS, replace=False))]
    if start is not None:
        starts = np.vstack([np.asarray(start, float)[None, :], starts])
    S = starts.shape[0]
    theta0 = np.tile(starts, (E.size, 1))
    theta0[:, 4] = np.repeat(np.log(E), S)
    form = CANDIDATES["chinchilla"]

    def residuals(theta: np.ndarray, jacobian: bool):
        r = form.log_predict(theta, N, D)
        if not jacobian:
            return r, None
        J = form.jacobian(theta, N, D)
        J[..., 4] = 0.0  # E held: the step never moves e
        return r, J

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = robust_levenberg_marquardt(
            residuals, theta0, delta, rtol=1e-10, max_iter=150, targets=np.broadcast_to(y, (theta0.shape[0], y.size))
        )
    F = np.where(np.isfinite(result.objective), result.objective, np.inf).reshape(E.size, S)
    best = np.argmin(F, axis=1)
    theta = result.theta.reshape(E.size, S, 5)[np.arange(E.size), best]
    return Profile(E, F[np.arange(E.size), best], theta)
