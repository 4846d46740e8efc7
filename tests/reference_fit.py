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
