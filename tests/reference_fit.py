"""An independent reference for the approach-3 fit: scipy's L-BFGS-B, one start at a time.

Written directly from the formula (not from scaling_core.fit), with the analytic gradient,
so that the batched fitter can be checked against it. Used by tests and by bench/bench_fit.py.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize


def huber_objective_and_gradient(theta, log_n, log_d, log_loss, delta=1e-3):
    a, alpha, b, beta, e = theta
    u = np.stack([a - alpha * log_n, b - beta * log_d, np.full_like(log_n, e)])
    top = u.max(axis=0)
    ex = np.exp(u - top)
    total = ex.sum(axis=0)
    p = ex / total
    r = top + np.log(total) - log_loss
    psi = np.clip(r, -delta, delta)
    value = np.sum(psi * (r - 0.5 * psi))
    grad = np.array(
        [
            np.sum(psi * p[0]),
            -np.sum(psi * p[0] * log_n),
            np.sum(psi * p[1]),
            -np.sum(psi * p[1] * log_d),
            np.sum(psi * p[2]),
        ]
    )
    return value, grad


def scipy_lbfgsb_fit(N, D, loss, starts, delta=1e-3):
    """(best theta, best objective, all objectives) over `starts`, each minimised by L-BFGS-B."""
    log_n, log_d, log_loss = np.log(N), np.log(D), np.log(loss)
    objectives, thetas = [], []
    for start in starts:
        res = minimize(
            huber_objective_and_gradient, start, args=(log_n, log_d, log_loss, delta), jac=True, method="L-BFGS-B"
        )
        objectives.append(res.fun)
        thetas.append(res.x)
    objectives = np.array(objectives)
    best = int(np.nanargmin(objectives))
    return thetas[best], float(objectives[best]), objectives


def scipy_constrained_fit(N, D, loss, starts, delta=1e-3, fixed=None, tie=False, bounds=None):
    """(best theta, best objective) of L-BFGS-B over `starts` (rows (a, alpha, b, beta, e)) with
    constants held fixed, alpha = beta tied and box bounds, all in natural units ({"E": 1.7},
    {"alpha": (0.1, 0.8)}). Written from the formula: the free constants are scipy's variables
    (logs of E, A, B), the tie reuses alpha's variable for beta, bounds go to L-BFGS-B."""
    fixed, bounds = dict(fixed or {}), dict(bounds or {})
    names = ["A", "alpha", "B", "beta", "E"]  # theta order
    logged = {"A", "B", "E"}
    if tie and ("alpha" in fixed) != ("beta" in fixed):
        fixed["beta" if "alpha" in fixed else "alpha"] = fixed.get("alpha", fixed.get("beta"))
    free = [n for n in names if n not in fixed and not (tie and n == "beta")]
    log_n, log_d, log_loss = np.log(N), np.log(D), np.log(loss)

    def natural(name, value):
        return np.log(value) if name in logged else value

    def full(x):
        theta = np.empty(5)
        for k, n in enumerate(names):
            if n in fixed:
                theta[k] = natural(n, fixed[n])
        for value, n in zip(x, free):
            theta[names.index(n)] = value
        if tie and "alpha" in free:
            theta[3] = theta[1]
        return theta

    def fun(x):
        value, grad = huber_objective_and_gradient(full(x), log_n, log_d, log_loss, delta)
        g = np.array([grad[names.index(n)] for n in free])
        if tie and "alpha" in free:
            g[free.index("alpha")] += grad[3]
        return value, g

    box = []
    for n in free:
        lo, hi = bounds.get(n, (-np.inf, np.inf))
        if tie and n == "alpha" and "beta" in bounds:
            lo, hi = max(lo, bounds["beta"][0]), min(hi, bounds["beta"][1])
        if n in logged:
            lo = np.log(lo) if lo > 0 else -np.inf
            hi = np.log(hi)
        box.append((None if np.isinf(lo) else lo, None if np.isinf(hi) else hi))
    best_value, best_theta = np.inf, None
    for start in np.atleast_2d(starts):
        x0 = np.array([start[names.index(n)] for n in free], float)
        if tie and "alpha" in free:
            x0[free.index("alpha")] = 0.5 * (start[1] + start[3])
        x0 = np.clip(
            x0,
            [b[0] if b[0] is not None else -np.inf for b in box],
            [b[1] if b[1] is not None else np.inf for b in box],
        )
        res = minimize(fun, x0, jac=True, method="L-BFGS-B", bounds=box)
        if res.fun < best_value:
            best_value, best_theta = float(res.fun), full(res.x)
    return best_theta, best_value
