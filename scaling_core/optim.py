"""A batched robust Levenberg-Marquardt for small models: many starts, one array computation.

Used for the law forms that have no specialised fitter (Kaplan's joint form, the smoothly
broken power law). The Chinchilla form has its own faster path in fit.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# residuals(theta (S, P)) -> (r (S, n), J (S, n, P)); J may be None when only r is needed.
ResidualFn = Callable[[np.ndarray, bool], tuple[np.ndarray, np.ndarray | None]]


def robust_loss(r: np.ndarray, delta: float) -> np.ndarray:
    """Huber loss elementwise; delta = inf gives r^2 / 2 (least squares)."""
    if np.isinf(delta):
        return 0.5 * r * r
    psi = np.clip(r, -delta, delta)
    return psi * (r - 0.5 * psi)


@dataclass
class LMResult:
    theta: np.ndarray
    objective: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray


# Residuals and Jacobians (starts x runs x constants) held at once: starts are run in batches
# below this many cells (~0.5 GB with the step's temporaries), so a large table cannot exhaust
# memory; a batch holds at least one start.
MAX_LM_CELLS = 2**23


def robust_levenberg_marquardt(
    residuals: ResidualFn,
    theta: np.ndarray,
    delta: float = np.inf,
    weights: np.ndarray | None = None,
    rtol: float = 1e-12,
    max_iter: int = 500,
    targets: np.ndarray | None = None,
) -> LMResult:
    """Minimise sum_i w_i Huber_delta(r_i(theta)) from every row of `theta` at once.

    Iteratively reweighted Gauss-Newton steps (weight psi(r)/r), damped as in Nielsen (1999);
    a step is kept only if it lowers the objective. Converged when an accepted step lowers the
    objective by at most rtol (relative), or when no damped step lowers it any more.

    weights: (S, n) per-start run weights (e.g. zero for runs a start must not see).
    targets: (S, n) per-start values subtracted from the residuals, r_s = residuals(theta)_s -
    targets_s: with a residual function that returns the model's prediction, each start fits
    its own data (the resamples of a residual bootstrap, as one batch).
    Starts are independent: with many runs they go in batches of MAX_LM_CELLS (same result).
    """
    theta = np.array(theta, dtype=float, copy=True)
    n = residuals(theta[:1], False)[0].shape[1]
    batch = max(1, MAX_LM_CELLS // max(n * (theta.shape[1] + 1), 1))
    if theta.shape[0] <= batch:
        return _lm_batch(residuals, theta, delta, weights, rtol, max_iter, targets)
    parts = [
        _lm_batch(
            residuals,
            theta[s0 : s0 + batch],
            delta,
            None if weights is None else weights[s0 : s0 + batch],
            rtol,
            max_iter,
            None if targets is None else targets[s0 : s0 + batch],
        )
        for s0 in range(0, theta.shape[0], batch)
    ]
    return LMResult(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in ("theta", "objective", "iterations", "converged"))
    )


def _lm_batch(
    residuals: ResidualFn,
    theta: np.ndarray,
    delta: float,
    weights: np.ndarray | None,
    rtol: float,
    max_iter: int,
    targets: np.ndarray | None = None,
) -> LMResult:
    S, P = theta.shape

    def residuals_at(th: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, J = residuals(th, True)
        return (r if targets is None else r - targets[idx]), J

    def objective_of(r, w):
        loss = robust_loss(r, delta)
        loss = np.where(np.isfinite(loss), loss, np.inf)
        return (loss if w is None else loss * w).sum(axis=1)

    def weights_of(idx):
        return None if weights is None else weights[idx]

    def normal_equations(r, J, w):
        """IRLS Gauss-Newton Hessian J^T W J and gradient J^T W r (W = psi(r)/r times w)."""
        w_irls = np.ones_like(r) if np.isinf(delta) else delta / np.maximum(np.abs(r), delta)
        if w is not None:
            w_irls = w_irls * w
        Jt = J.transpose(0, 2, 1)
        return (Jt * w_irls[:, None, :]) @ J, (Jt @ (w_irls * r)[..., None])[..., 0]

    everyone = np.arange(S)
    r, J = residuals_at(theta, everyone)
    F = objective_of(r, weights)
    # Only H and g of each row's current point are kept: a rejected step changes the damping,
    # not the point, so they are recomputed for the rows that moved only.
    H, g = normal_equations(r, J, weights)
    del r, J
    mu = np.full(S, 1e-3)
    nu = np.full(S, 2.0)
    active = np.isfinite(F)
    converged = np.zeros(S, bool)
    iterations = np.zeros(S, int)
    eye = np.eye(P)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        Hi, gi = H[idx], g[idx]
        diag = np.diagonal(Hi, axis1=1, axis2=2)
        damping = mu[idx, None] * diag + 1e-12 * diag.max(axis=1, keepdims=True) + 1e-300
        A = Hi + damping[:, :, None] * eye
        A = np.where(np.isfinite(A), A, 0.0) + np.where(np.isfinite(A).all(axis=(1, 2)), 0, 1)[:, None, None] * eye
        step = -np.linalg.solve(A, np.where(np.isfinite(gi), gi, 0.0)[..., None])[..., 0]
        predicted = -(np.einsum("sp,sp->s", gi, step) + 0.5 * np.einsum("sp,spq,sq->s", step, Hi, step))
        candidate = theta[idx] + step
        r_new, J_new = residuals_at(candidate, idx)
        F_new = objective_of(r_new, weights_of(idx))
        accepted = np.isfinite(F_new) & (F_new < F[idx])
        iterations[idx] += 1
        gain = (F[idx] - F_new) / np.maximum(predicted, 1e-300)
        up, down = idx[accepted], idx[~accepted]
        mu[up] = np.maximum(mu[up] * np.maximum(1 / 3, 1 - (2 * np.clip(gain[accepted], 0, 1) - 1) ** 3), 1e-15)
        nu[up] = 2.0
        mu[down] *= nu[down]
        nu[down] *= 2.0
        decrease = F[up] - F_new[accepted]
        theta[up], F[up] = candidate[accepted], F_new[accepted]
        if up.size:
            H[up], g[up] = normal_equations(r_new[accepted], J_new[accepted], weights_of(up))
        done = np.zeros(idx.size, bool)
        done[accepted] = decrease <= rtol * np.maximum(np.abs(F[up]), 1e-300)
        done |= ~accepted & (mu[idx] > 1e14)
        converged[idx[done]] = True
        active[idx[done]] = False
    return LMResult(theta, F, iterations, converged)
