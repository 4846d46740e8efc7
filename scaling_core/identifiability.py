"""Which constants of a multiplicative law y = k * N^b_N * D^b_D * C^b_C a set of runs can pin down.

Fitted by least squares on logs, the law is linear: log y = log k + sum_v b_v log v. When the
logs of the variables are collinear over the runs (every run scaled N, D and C together, or
C = 6ND), the least-squares problem has a whole family of solutions: every member fits the runs
exactly as well, and they disagree everywhere off the runs. This module returns that family
(one particular solution and the directions that change no fitted value), so a page can show
it, and counts how many constants a design identifies.

scaling_core.forms.fit_multiplicative picks one member (it drops the collinear variables);
numpy.linalg.lstsq picks another (the minimum-norm one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

# Singular values below this fraction of the largest count as zero (the design's exact collinearity).
RANK_TOLERANCE = 1e-8


def _design(variables: Mapping[str, ArrayLike]) -> tuple[tuple[str, ...], np.ndarray]:
    names = tuple(variables)
    if not names:
        raise ValueError("give at least one variable (N, D or C)")
    logs = []
    for name in names:
        v = np.asarray(variables[name], dtype=float)
        if v.ndim != 1 or not np.all(np.isfinite(v)) or np.any(v <= 0):
            raise ValueError(f"{name} must be one column of positive finite numbers")
        logs.append(np.log(v))
    if len({v.size for v in logs}) != 1:
        raise ValueError("every variable needs one value per run")
    return names, np.column_stack([np.ones_like(logs[0])] + logs)


def identified_count(**variables: ArrayLike) -> int:
    """How many of the 1 + len(variables) constants (log k and one exponent each) the runs
    determine: the rank of the design [1, log v_1, ..., log v_p]."""
    _, X = _design(variables)
    s = np.linalg.svd(X, compute_uv=False)
    return int(np.sum(s > RANK_TOLERANCE * s[0]))


@dataclass(frozen=True)
class LogLinearFamily:
    """Every least-squares solution of log y = log k + sum_v b_v log v over some runs.

    Coefficient vectors are (log k, b_1, ..., b_p) in the order of `names`."""

    names: tuple[str, ...]
    particular: np.ndarray  # (1 + p,) the minimum-norm solution (what numpy.linalg.lstsq returns)
    null_basis: np.ndarray  # (1 + p, q) orthonormal columns; moving along them changes no fitted value
    rss_log: float  # residual sum of squares in log y: the same for every member

    @property
    def n_identified(self) -> int:
        return self.particular.size - self.null_basis.shape[1]

    @property
    def free_directions(self) -> int:
        return self.null_basis.shape[1]

    def member(self, **fixed: ArrayLike) -> np.ndarray:
        """The member whose exponents b_name take the given values (arrays broadcast), nearest to
        the minimum-norm solution. Shape (..., 1 + p).

        Raises ValueError when a value is out of the family's reach (that exponent is identified,
        or the values asked for contradict each other)."""
        unknown = set(fixed) - set(self.names)
        if unknown:
            raise ValueError(f"unknown exponent(s) {', '.join(sorted(unknown))}; use {', '.join(self.names)}")
        rows = [1 + self.names.index(name) for name in fixed]
        values = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in fixed.values()))
        shape = values[0].shape if values else ()
        target = np.stack([v.ravel() for v in values], axis=1) if values else np.zeros((1, 0))
        Z = self.null_basis[rows, :]  # (r, q)
        want = target - self.particular[rows][None, :]  # (m, r)
        weights, *_ = np.linalg.lstsq(Z, want.T, rcond=None)  # (q, m)
        coef = self.particular[None, :] + (self.null_basis @ weights).T  # (m, 1 + p)
        scale = max(1.0, float(np.abs(self.particular).max()))
        if not np.allclose(coef[:, rows], target, rtol=0, atol=1e-9 * scale):
            raise ValueError(f"no least-squares solution has {', '.join(f'b_{n}' for n in fixed)} at that value")
        return coef.reshape(shape + (self.particular.size,))

    def predict(self, coef: ArrayLike, **variables: ArrayLike) -> np.ndarray:
        """y = exp(log k + sum_v b_v log v) for coefficient vectors `coef` (..., 1 + p); the
        variables broadcast against each other and against coef's leading dimensions."""
        coef = np.asarray(coef, dtype=float)
        missing = set(self.names) - set(variables)
        if missing:
            raise ValueError(f"missing variable(s) {', '.join(sorted(missing))}")
        log_y = coef[..., 0]
        for j, name in enumerate(self.names, start=1):
            log_y = log_y + coef[..., j] * np.log(np.asarray(variables[name], dtype=float))
        return np.exp(log_y)


def log_linear_family(y: ArrayLike, **variables: ArrayLike) -> LogLinearFamily:
    """The least-squares family of y = k * prod_v v^b_v fitted on logs (y > 0)."""
    names, X = _design(variables)
    log_y = np.log(np.asarray(y, dtype=float))
    if log_y.shape != (X.shape[0],) or not np.all(np.isfinite(log_y)):
        raise ValueError("y must be one positive finite value per run")
    U, s, Vt = np.linalg.svd(X, full_matrices=True)
    rank = int(np.sum(s > RANK_TOLERANCE * s[0]))
    particular = Vt[:rank].T @ ((U[:, :rank].T @ log_y) / s[:rank])
    resid = log_y - X @ particular
    return LogLinearFamily(names, particular, Vt[rank:].T, float(resid @ resid))
