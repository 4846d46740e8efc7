"""A vectorised 1-D minimiser: a log-spaced grid brackets each minimum, then golden-section
search narrows every bracket in lockstep (one array expression per step, no loop over problems)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_INV_PHI = (np.sqrt(5.0) - 1.0) / 2.0


def minimise_on_interval(
    f: Callable[[np.ndarray], np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    grid_points: int = 241,
    iterations: int = 80,
) -> np.ndarray:
    """x in [lo, hi] minimising f(x), for every element of the broadcast of lo and hi at once.

    `f` maps an array of x of shape (*shape, k) to values of the same shape and must treat the
    trailing axis as k candidate points of the problem at the same leading index. Non-finite
    values count as +inf. The objective must be unimodal on the bracket the grid finds.
    """
    lo, hi = np.broadcast_arrays(np.asarray(lo, dtype=float), np.asarray(hi, dtype=float))
    t = np.linspace(0.0, 1.0, grid_points)
    x = lo[..., None] + t * (hi - lo)[..., None]
    values = np.where(np.isfinite(v := f(x)), v, np.inf)
    best = np.argmin(values, axis=-1)
    step = (hi - lo) / (grid_points - 1)
    centre = np.take_along_axis(x, best[..., None], axis=-1)[..., 0]
    a = np.maximum(centre - step, lo)
    b = np.minimum(centre + step, hi)

    def g(points: np.ndarray) -> np.ndarray:
        out = f(points[..., None])[..., 0]
        return np.where(np.isfinite(out), out, np.inf)

    x1 = b - _INV_PHI * (b - a)
    x2 = a + _INV_PHI * (b - a)
    f1, f2 = g(x1), g(x2)
    for _ in range(iterations):
        left = f1 < f2  # the minimum lies in [a, x2]
        b = np.where(left, x2, b)
        a = np.where(left, a, x1)
        x2_new = np.where(left, x1, a + _INV_PHI * (b - a))
        x1_new = np.where(left, b - _INV_PHI * (b - a), x2)
        f_new = g(np.where(left, x1_new, x2_new))
        f1, f2 = np.where(left, f_new, f2), np.where(left, f1, f_new)
        x1, x2 = x1_new, x2_new
    return 0.5 * (a + b)
