"""Fitting scaling laws to runs: robust (Huber) loss on log-loss, many starts, all batched.

The workhorse is the Chinchilla form fitted as in Hoffmann et al. (2022, approach 3) and
Besiroglu et al. (2024): minimise

    sum_i w_i * Huber_delta( LSE(a - alpha log N_i, b - beta log D_i, e) - log L_i )

over theta = (a, alpha, b, beta, e), with A = e^a, B = e^b, E = e^e, from a grid of starts.
Every start runs in one batched array computation. Steps are Levenberg-Marquardt on the
iteratively reweighted (IRLS) Gauss-Newton Hessian, damped as in Nielsen (1999); when
polishing, a Newton step with the exact Hessian is tried first wherever that Hessian is
positive definite (fast final convergence once the runs inside +-delta settle). A step is
kept only if it lowers the objective.

fit_chinchilla runs the search in two stages: every start to convergence in float32 (relative
tolerance 1e-6, IRLS steps only), then the starts within 0.1% of the best are polished in
float64 to 1e-12 with Newton steps as well.
Per-start weights w (b, i) make bootstrap resamples (multinomial counts) one more batch, and
per-start targets make residual-bootstrap resamples one more batch.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .constraints import FREE, Constraint, NaturalMap
from .laws import ChinchillaLaw, KaplanLaw

HUBER_DELTA = 1e-3
PARAMS = ("a", "alpha", "b", "beta", "e")
_CHUNK = 256  # starts per chunk: keeps (chunk x runs) temporaries in cache
_IU = np.triu_indices(5, 1)


def hoffmann_start_grid() -> np.ndarray:
    """The 4,500 starts of Hoffmann et al. (2022, App. D.2) and Besiroglu et al. (2024):
    alpha, beta in {0, 0.5, ..., 2}; e in {-1, -0.5, ..., 1}; a, b in {0, 5, ..., 25}.
    Rows are (a, alpha, b, beta, e)."""
    half = np.arange(0.0, 2.01, 0.5)
    e = np.arange(-1.0, 1.01, 0.5)
    ab = np.arange(0.0, 25.1, 5.0)
    grid = np.meshgrid(ab, half, ab, half, e, indexing="ij")
    return np.stack([g.ravel() for g in grid], axis=1)


def huber(r: ArrayLike, delta: float) -> np.ndarray:
    """Huber loss: r^2/2 inside [-delta, delta], delta (|r| - delta/2) outside."""
    r = np.asarray(r, dtype=float)
    psi = np.clip(r, -delta, delta)
    return psi * (r - 0.5 * psi)


@dataclass
class _Data:
    """Runs in log space, centred so that a and alpha (b and beta) are nearly uncorrelated."""

    x: np.ndarray  # log N - x_mean
    z: np.ndarray  # log D - z_mean
    y: np.ndarray  # log L
    x_mean: float
    z_mean: float
    _arrays: dict = field(default_factory=dict, repr=False, compare=False)

    def arrays(self, dtype: type) -> _DataArrays:
        """The runs in `dtype` with the basis of the Hessian sums, built once per data set."""
        key = np.dtype(dtype)
        if key not in self._arrays:
            self._arrays[key] = _DataArrays.of(self, dtype)
        return self._arrays[key]

    @classmethod
    def from_runs(cls, N: ArrayLike, D: ArrayLike, loss: ArrayLike) -> _Data:
        x, z = np.log(np.asarray(N, float)), np.log(np.asarray(D, float))
        return cls(x - x.mean(), z - z.mean(), np.log(np.asarray(loss, float)), float(x.mean()), float(z.mean()))

    def subsample(self, size: int, seed: int = 0) -> _Data:
        """A fixed random subset of the runs, centred on the same means."""
        pick = np.sort(np.random.default_rng(seed).choice(self.y.size, size, replace=False))
        return _Data(self.x[pick], self.z[pick], self.y[pick], self.x_mean, self.z_mean)

    def to_centred(self, theta: np.ndarray) -> np.ndarray:
        t = np.array(theta, dtype=float, copy=True)
        t[:, 0] -= t[:, 1] * self.x_mean
        t[:, 2] -= t[:, 3] * self.z_mean
        return t

    def from_centred(self, theta: np.ndarray) -> np.ndarray:
        t = np.array(theta, dtype=float, copy=True)
        t[:, 0] += t[:, 1] * self.x_mean
        t[:, 2] += t[:, 3] * self.z_mean
        return t


def _symmetrise_from(R: np.ndarray, offset: int, H: np.ndarray) -> None:
    """Fill 5x5 Hessians from weighted sums R[:, k, basis] (basis 1, x, x^2, z, z^2, xz).

    Rows offset..offset+5 of R hold the six distinct entries M11, M22, M33, M12, M13, M23
    of the per-run 3x3 matrix M in H = sum_i J_i^T M_i J_i, J_i the map from theta to
    (a - alpha x_i, b - beta z_i, e).
    """
    o = offset
    H[:, 0, 0] = R[:, o, 0]
    H[:, 0, 1] = -R[:, o, 1]
    H[:, 1, 1] = R[:, o, 2]
    H[:, 2, 2] = R[:, o + 1, 0]
    H[:, 2, 3] = -R[:, o + 1, 3]
    H[:, 3, 3] = R[:, o + 1, 4]
    H[:, 4, 4] = R[:, o + 2, 0]
    H[:, 0, 2] = R[:, o + 3, 0]
    H[:, 0, 3] = -R[:, o + 3, 3]
    H[:, 1, 2] = -R[:, o + 3, 1]
    H[:, 1, 3] = R[:, o + 3, 5]
    H[:, 0, 4] = R[:, o + 4, 0]
    H[:, 1, 4] = -R[:, o + 4, 1]
    H[:, 2, 4] = R[:, o + 5, 0]
    H[:, 3, 4] = -R[:, o + 5, 3]
    H[:, _IU[1], _IU[0]] = H[:, _IU[0], _IU[1]]


def chinchilla_huber_objective(
    theta: np.ndarray,
    data: _Data,
    delta: float,
    weights: np.ndarray | None = None,
    derivatives: bool = True,
    dtype: type = np.float64,
    targets: np.ndarray | None = None,
    exact_hessian: bool = True,
    rows: np.ndarray | None = None,
    scratch: _Scratch | None = None,
) -> tuple[np.ndarray, ...]:
    """Objective F (S,), and if asked gradient g (S, 5), IRLS Hessian (S, 5, 5) and exact
    Hessian (S, 5, 5), for S parameter vectors (centred coordinates) at once.

    weights: None (every run counts once) or per-start run weights, any numeric dtype (bootstrap
    counts are kept as small integers); targets: None (the runs' log-losses) or per-start
    log-losses (residual bootstrap). rows: the row of weights/targets that each theta row uses
    (default: row i for theta row i), so a subset of starts needs no copy of them.
    The work is cut into blocks of starts x runs whose scratch fits SCRATCH_BYTES (per call,
    for all threads together); blocks are spread over the machine's cores (numpy releases the
    GIL inside its loops) and their sums are added up, so memory does not grow with S x runs.
    """
    S = theta.shape[0]
    n = data.y.size
    scratch = scratch or _Scratch(dtype)
    arrays = data.arrays(dtype)
    rows = np.arange(S) if rows is None else np.asarray(rows)
    n_out = (15 if exact_hessian else 9) if derivatives else 0
    # Blocks: chunks of starts (at least one per core), each over ranges of runs; with fewer
    # chunks than cores, the runs are split too, so that a few starts on many runs still use
    # every core.
    size = max(1, min(_CHUNK, -(-S // _WORKERS)))
    chunks = [slice(s0, min(s0 + size, S)) for s0 in range(0, S, size)]
    split = max(1, _WORKERS // len(chunks)) if n >= 4096 else 1
    edges = np.linspace(0, n, split + 1).astype(int)
    items = [(sl, edges[k], edges[k + 1]) for sl in chunks for k in range(split)]

    def work(item: tuple[slice, int, int]) -> tuple[slice, np.ndarray, np.ndarray | None]:
        sl, lo, hi = item
        th = theta[sl].astype(dtype)
        m = th.shape[0]
        F = np.zeros(m)
        R = np.zeros((m, n_out, 6)) if n_out else None
        ws = scratch.take()
        try:
            step = max(1, min(hi - lo, ws.cells // m))
            for r0 in range(lo, hi, step):
                r1 = min(hi, r0 + step)
                w = None if weights is None else np.asarray(weights[rows[sl], r0:r1], dtype)
                y = arrays.y[r0:r1] if targets is None else np.asarray(targets[rows[sl], r0:r1], dtype)
                with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                    _evaluate_block(th, arrays, r0, r1, y, delta, w, ws, n_out, F, R)
        finally:
            scratch.give(ws)
        return sl, F, R

    F = np.zeros(S)
    R = np.zeros((S, n_out, 6)) if n_out else None
    results = _POOL.map(work, items) if len(items) > 1 and _POOL is not None else map(work, items)
    for sl, F_part, R_part in results:
        F[sl] += F_part
        if R is not None:
            R[sl] += R_part
    if not derivatives:
        return (F,)
    g = np.empty((S, 5))
    H_irls = np.empty((S, 5, 5))
    _gradient_from(R, g)
    _symmetrise_from(R, 3, H_irls)
    if exact_hessian:
        H_exact = np.empty((S, 5, 5))
        _symmetrise_from(R, 9, H_exact)
    else:
        H_exact = np.full_like(H_irls, np.nan)
    return F, g, H_irls, H_exact


@dataclass
class _DataArrays:
    x: np.ndarray
    z: np.ndarray
    y: np.ndarray
    basis: np.ndarray  # (n, 6): 1, x, x^2, z, z^2, xz

    @classmethod
    def of(cls, data: _Data, dtype: type) -> _DataArrays:
        x, z = data.x, data.z
        basis = np.stack([np.ones_like(x), x, x**2, z, z**2, x * z], axis=1)
        return cls(x.astype(dtype), z.astype(dtype), data.y.astype(dtype), basis.astype(dtype))


_WORKERS = os.cpu_count() or 1
_POOL = ThreadPoolExecutor(max_workers=_WORKERS) if _WORKERS > 1 else None
# Scratch of one evaluation batch: at most SCRATCH_BYTES over all worker threads whatever the
# core count, and at most _THREAD_SCRATCH_BYTES per thread. Small blocks are also the fast ones
# (measured on 2 cores: 2 MiB per thread beat 16 MiB by 1.5-10x): they stay in cache, and the
# per-block (rows x runs) @ (runs x 6) products stay below the size at which OpenBLAS starts
# its own threads, which would fight the worker threads (_MAX_BLOCK_CELLS x 6 < 65,536 x 4).
SCRATCH_BYTES = 16 * 2**20
_THREAD_SCRATCH_BYTES = 2 * 2**20
_MAX_BLOCK_CELLS = 40_000
_SCRATCH_ARRAYS = 23  # float arrays per cell in _Workspace (8 named + 15 rows of B), plus one bool


class _Workspace:
    """Flat scratch buffers for one thread: any block of m starts x r runs with m r <= cells is
    a contiguous view of them."""

    def __init__(self, cells: int, dtype: type):
        self.cells = cells
        self.dtype = np.dtype(dtype)
        self.e1, self.e2, self.s, self.r, self.psi, self.tmp, self.absr, self.h = (
            np.empty(cells, dtype) for _ in range(8)
        )
        self.inside = np.empty(cells, bool)
        self.B = np.empty(15 * cells, dtype)  # row-major per quantity: contiguous writes

    def view(self, name: str, m: int, r: int) -> np.ndarray:
        return getattr(self, name)[: m * r].reshape(m, r)


class _Scratch:
    """Scratch for one batch of evaluations (a minimise_batched call, or one objective call): a
    workspace per worker thread at work, reused from iteration to iteration (fresh temporaries
    would each cost a round of page faults, which takes longer than the arithmetic), and freed
    with the batch: nothing stays allocated between fits."""

    def __init__(self, dtype: type):
        per_cell = _SCRATCH_ARRAYS * np.dtype(dtype).itemsize + 1
        per_thread = min(_THREAD_SCRATCH_BYTES, SCRATCH_BYTES // _WORKERS)
        self.cells = max(1024, min(_MAX_BLOCK_CELLS, per_thread // per_cell))
        self.dtype = dtype
        self._idle: list[_Workspace] = []
        self._lock = threading.Lock()

    def take(self) -> _Workspace:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _Workspace(self.cells, self.dtype)

    def give(self, ws: _Workspace) -> None:
        with self._lock:
            self._idle.append(ws)


def _evaluate_block(
    th: np.ndarray,
    d: _DataArrays,
    r0: int,
    r1: int,
    y: np.ndarray,
    delta: float,
    w: np.ndarray | None,
    ws: _Workspace,
    n_out: int,
    F: np.ndarray,
    R: np.ndarray | None,
) -> None:
    """Add the objective (F) and the weighted sums for the derivatives (R) of the runs r0:r1 for
    the starts th (m, 5) to F and R."""
    m, n = th.shape[0], r1 - r0
    x, z, basis = d.x[r0:r1], d.z[r0:r1], d.basis[r0:r1]
    a, alpha, b, beta, e = (c[:, None] for c in th.T)
    # Far from the data a term can overflow: the objective is then inf (or NaN) and the step is
    # rejected by the caller, so the overflow needs no guard here beyond silencing it.
    e1 = np.multiply(alpha, x, out=ws.view("e1", m, n))
    np.subtract(a, e1, out=e1)
    np.exp(e1, out=e1)  # A N^-alpha
    e2 = np.multiply(beta, z, out=ws.view("e2", m, n))
    np.subtract(b, e2, out=e2)
    np.exp(e2, out=e2)  # B D^-beta
    E = np.exp(e)
    s = np.add(e1, e2, out=ws.view("s", m, n))
    s += E  # predicted loss
    r = np.log(s, out=ws.view("r", m, n))
    r -= y  # residual in log-loss
    psi = np.clip(r, -delta, delta, out=ws.view("psi", m, n))  # Huber'(r)
    hub = np.multiply(psi, 0.5, out=ws.view("tmp", m, n))
    np.subtract(r, hub, out=hub)
    hub *= psi
    if w is not None:
        hub *= w
        psi *= w
    F += hub.sum(axis=1)
    if not n_out:
        return
    inv = np.reciprocal(s, out=s)
    p1, p2, p3 = e1, e2, inv  # softmax weights of the three terms, in place
    p1 *= inv
    p2 *= inv
    p3 *= E
    absr = np.abs(r, out=ws.view("absr", m, n))
    inside = np.less_equal(absr, delta, out=ws.inside[: m * n].reshape(m, n))  # Huber''(r): 1 inside, 0 out
    irls_w = np.maximum(absr, delta, out=absr)  # IRLS weight psi(r)/r = delta/max(|r|, delta)
    np.divide(delta, irls_w, out=irls_w)
    h = ws.view("h", m, n)
    h[...] = inside
    if w is not None:
        irls_w *= w
        h *= w
    B = ws.B[: n_out * m * n].reshape(n_out, m, n)
    np.multiply(psi, p1, out=B[0])
    np.multiply(psi, p2, out=B[1])
    np.multiply(psi, p3, out=B[2])
    # IRLS (Gauss-Newton) Hessian: M = w p p^T
    wp = np.multiply(irls_w, p1, out=hub)
    np.multiply(wp, p1, out=B[3])
    np.multiply(wp, p2, out=B[6])
    np.multiply(wp, p3, out=B[7])
    np.multiply(irls_w, p2, out=wp)
    np.multiply(wp, p2, out=B[4])
    np.multiply(wp, p3, out=B[8])
    np.multiply(irls_w, p3, out=wp)
    np.multiply(wp, p3, out=B[5])
    if n_out == 15:
        # Exact Hessian: M = h p p^T + psi (diag p - p p^T)
        hm = np.subtract(h, psi, out=h)
        for k, p in ((9, p1), (10, p2), (11, p3)):
            row = B[k]
            np.multiply(hm, p, out=row)
            row += psi
            row *= p
        np.multiply(hm, p1, out=B[12])
        np.multiply(B[12], p3, out=B[13])
        B[12] *= p2
        np.multiply(hm, p2, out=B[14])
        B[14] *= p3
    # Stacked (rows x n) @ (n x 6) products: small enough that BLAS stays single-threaded per
    # call, which keeps it from fighting the worker threads. Block sums are added in float64.
    R += np.matmul(B, basis).transpose(1, 0, 2)


def _gradient_from(R: np.ndarray, g: np.ndarray) -> None:
    """Gradient in theta = (a, alpha, b, beta, e) from the psi-weighted sums in rows 0-2 of R."""
    g[:, 0] = R[:, 0, 0]
    g[:, 1] = -R[:, 0, 1]
    g[:, 2] = R[:, 1, 0]
    g[:, 3] = -R[:, 1, 3]
    g[:, 4] = R[:, 2, 0]


def cholesky_solve(H: np.ndarray, g: np.ndarray, rtol: float = 1e-12) -> tuple[np.ndarray, np.ndarray]:
    """Solve H x = g for a stack of small symmetric matrices by Cholesky, all at once.

    Returns (x, ok): ok is False where H is not numerically positive definite (a pivot below
    rtol times the largest diagonal entry); x is meaningless there. Cheaper than an
    eigendecomposition as the positive-definiteness test.
    """
    S, P = g.shape
    L = np.zeros_like(H)
    ok = np.ones(S, bool)
    floor = rtol * np.abs(np.diagonal(H, axis1=1, axis2=2)).max(axis=1)
    for j in range(P):
        pivot = H[:, j, j] - np.einsum("sk,sk->s", L[:, j, :j], L[:, j, :j])
        ok &= pivot > floor
        L[:, j, j] = np.sqrt(np.where(ok, pivot, 1.0))
        for i in range(j + 1, P):
            L[:, i, j] = (H[:, i, j] - np.einsum("sk,sk->s", L[:, i, :j], L[:, j, :j])) / L[:, j, j]
    y = np.empty_like(g)
    for i in range(P):  # L y = g
        y[:, i] = (g[:, i] - np.einsum("sk,sk->s", L[:, i, :i], y[:, :i])) / L[:, i, i]
    x = np.empty_like(g)
    for i in range(P - 1, -1, -1):  # L^T x = y
        x[:, i] = (y[:, i] - np.einsum("sk,sk->s", L[:, i + 1 :, i], x[:, i + 1 :])) / L[:, i, i]
    return x, ok


@dataclass(frozen=True)
class _Reparam:
    """A constraint on one data set: theta_c = c + P phi in the fitter's centred coordinates,
    lo <= phi <= hi.

    phi is the constraint's natural coordinates psi (theta = c_u + P_u psi, logs of E, A, B)
    with one change: a free, unbounded a (b) is replaced by its centred a - alpha x_mean
    (b - beta z_mean), which keeps a and alpha (b and beta) nearly uncorrelated as in the free
    fit. A bounded A or B keeps its own coordinate so that its bound stays a box in phi.
    For the free form P is the identity and c = 0.
    """

    c: np.ndarray
    P: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    S: np.ndarray  # phi = S psi + s
    s: np.ndarray
    natural: NaturalMap
    x_mean: float
    z_mean: float

    @classmethod
    def build(cls, constraint: Constraint, data: _Data) -> _Reparam:
        m = constraint.parametrisation()
        k = m.P.shape[1]
        T = np.eye(5)
        T[0, 1], T[2, 3] = -data.x_mean, -data.z_mean
        S, s = np.eye(k), np.zeros(k)
        for pos, exponent, mean in ((0, 1, data.x_mean), (2, 3, data.z_mean)):
            cols = np.flatnonzero(m.P[pos])
            if cols.size and np.isinf(m.lo[cols[0]]) and np.isinf(m.hi[cols[0]]):
                S[cols[0]] -= mean * m.P[exponent]
                s[cols[0]] -= mean * m.c[exponent]
        P = T @ m.P @ np.linalg.inv(S)
        c = T @ m.c - P @ s
        return cls(c, P, m.lo, m.hi, S, s, m, data.x_mean, data.z_mean)

    @property
    def k(self) -> int:
        return self.P.shape[1]

    @property
    def bounded(self) -> bool:
        return bool(np.isfinite(self.lo).any() or np.isfinite(self.hi).any())

    def to_phi(self, theta_c: np.ndarray) -> np.ndarray:
        """Centred rows projected onto the constraint (least squares, then clipped to the bounds)."""
        theta_u = np.array(theta_c, dtype=float, copy=True)
        theta_u[:, 0] += theta_u[:, 1] * self.x_mean
        theta_u[:, 2] += theta_u[:, 3] * self.z_mean
        return self.natural.project(theta_u) @ self.S.T + self.s

    def to_theta(self, phi: np.ndarray) -> np.ndarray:
        return self.c + phi @ self.P.T


def _restricted(H: np.ndarray, g: np.ndarray, free: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """H and g with the coordinates held at a bound taken out (identity rows, zero gradient):
    the projected step of Bertsekas (1982) with the active set of the gradient's sign."""
    if free.all():
        return H, g
    both = free[:, :, None] & free[:, None, :]
    H = np.where(both, H, 0.0) + np.eye(H.shape[1]) * (~free)[:, :, None]
    return H, np.where(free, g, 0.0)


@dataclass
class BatchResult:
    theta: np.ndarray  # (S, 5) centred coordinates
    objective: np.ndarray  # (S,)
    iterations: np.ndarray  # (S,)
    converged: np.ndarray  # (S,) bool


def minimise_batched(
    theta: np.ndarray,
    data: _Data,
    delta: float,
    weights: np.ndarray | None = None,
    rtol: float = 1e-12,
    max_iter: int = 400,
    dtype: type = np.float64,
    progress: Callable[[float], None] | None = None,
    targets: np.ndarray | None = None,
    use_newton: bool = True,
    constraint: Constraint = FREE,
    rows: np.ndarray | None = None,
) -> BatchResult:
    """Run every start to convergence together (see the module docstring for the step).

    theta: (S, 5) centred starts; they are projected onto `constraint` first. The search runs
    over the constraint's free constants phi (theta = c + P phi: gradient P^T g, Hessian
    P^T H P); bounds are kept by projected steps: a coordinate at a bound whose gradient points
    outward is held for that step, and every step is clipped to the box. Clipping keeps each
    iterate feasible and lets a constant rest exactly on its bound (a smooth transform would only
    approach it), and a step is still kept only if it lowers the objective.
    weights, targets: per-start run weights or log-losses (bootstrap resamples); rows: which of
    their rows each start uses (default: row i for start i), e.g. several starts per resample.

    A start has converged when an accepted step lowers the objective by at most rtol
    relative, or when no damped step can lower it any more.
    """
    batch = _Batch(theta, data, delta, weights, dtype, targets, use_newton, constraint, rows)
    batch.run(max_iter, rtol, progress)
    return batch.result()


class _Batch:
    """The state of a batched minimisation (see minimise_batched), so that a search can run its
    starts a few iterations at a time and drop the unpromising ones between runs (keep)."""

    def __init__(
        self,
        theta: np.ndarray,
        data: _Data,
        delta: float,
        weights: np.ndarray | None = None,
        dtype: type = np.float64,
        targets: np.ndarray | None = None,
        use_newton: bool = True,
        constraint: Constraint = FREE,
        rows: np.ndarray | None = None,
    ):
        self.data, self.delta, self.weights, self.targets = data, delta, weights, targets
        self.dtype, self.use_newton = dtype, use_newton
        self.rp = _Reparam.build(constraint, data)
        self.identity = constraint.is_free
        self.phi = (
            np.array(theta, dtype=float, copy=True) if self.identity else self.rp.to_phi(np.asarray(theta, float))
        )
        S = self.phi.shape[0]
        self.rows = np.arange(S) if rows is None else np.asarray(rows)
        self.scratch = _Scratch(dtype)  # this batch's working memory, freed with it
        self.F, self.g, self.H_irls, self.H_exact = self._evaluate(self.phi, np.arange(S))
        self.mu = np.full(S, 1e-3)
        self.nu = np.full(S, 2.0)  # Nielsen's growth factor for the damping after a rejected step
        self.try_newton = np.full(S, use_newton)
        self.active = np.isfinite(self.F)  # a start whose loss overflows is left as it is (not converged)
        self.converged = np.zeros(S, bool)
        self.iterations = np.zeros(S, int)
        self.cell_evaluations = S * data.y.size  # runs x starts evaluated, for benchmarks

    def _evaluate(self, ph: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, ...]:
        rp = self.rp
        th = ph if self.identity else rp.to_theta(ph)
        F, g, H_irls, H_exact = chinchilla_huber_objective(
            th,
            self.data,
            self.delta,
            self.weights,
            True,
            self.dtype,
            self.targets,
            exact_hessian=self.use_newton,
            rows=self.rows[idx],
            scratch=self.scratch,
        )
        if not self.identity:
            g = g @ rp.P
            H_irls = rp.P.T @ H_irls @ rp.P
            H_exact = rp.P.T @ H_exact @ rp.P
        return F, g, H_irls, H_exact

    @property
    def theta(self) -> np.ndarray:
        """(S, 5) centred coordinates of every start's current point."""
        return self.phi if self.identity else self.rp.to_theta(self.phi)

    def keep(self, idx: np.ndarray) -> None:
        """Drop every start but `idx` (in that order)."""
        for name in ("phi", "rows", "F", "g", "H_irls", "H_exact", "mu", "nu", "try_newton", "active", "converged"):
            setattr(self, name, getattr(self, name)[idx])
        self.iterations = self.iterations[idx]

    def result(self) -> BatchResult:
        return BatchResult(self.theta, self.F, self.iterations, self.converged)

    def run(self, max_iter: int, rtol: float, progress: Callable[[float], None] | None = None) -> None:
        """Up to max_iter more iterations of every start still active."""
        rp, use_newton = self.rp, self.use_newton
        lo, hi, bounded = rp.lo, rp.hi, rp.bounded
        phi, F, g, H_irls, H_exact = self.phi, self.F, self.g, self.H_irls, self.H_exact
        mu, nu, try_newton, active = self.mu, self.nu, self.try_newton, self.active
        S, k = phi.shape
        eye = np.eye(k)
        for _ in range(max_iter):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            p_now, g_now = phi[idx], g[idx]
            free = (
                ~(((p_now <= lo) & (g_now > 0)) | ((p_now >= hi) & (g_now < 0)))
                if bounded
                else np.ones(p_now.shape, bool)
            )
            step = np.zeros((idx.size, k))
            newton = np.zeros(idx.size, bool)
            want = np.flatnonzero(try_newton[idx])
            if want.size:
                He, ge = _restricted(H_exact[idx[want]], g_now[want], free[want])
                solution, positive = cholesky_solve(He, ge)
                ok = want[positive]
                step[ok] = -solution[positive]
                newton[ok] = True
            lm = ~newton
            if lm.any():
                Hd, gd = _restricted(H_irls[idx[lm]], g_now[lm], free[lm])
                diag = np.diagonal(Hd, axis1=1, axis2=2)
                damping = mu[idx[lm], None] * diag + 1e-10 * diag.max(axis=1, keepdims=True) + 1e-300
                step[lm] = -np.linalg.solve(Hd + damping[:, :, None] * eye, gd[..., None])[..., 0]
            candidate = p_now + step
            if bounded:
                candidate = np.clip(candidate, lo, hi)
                step = candidate - p_now
            predicted = np.zeros(idx.size)
            if lm.any():
                d, Hl = step[lm], H_irls[idx[lm]]
                predicted[lm] = -(np.einsum("si,si->s", g_now[lm], d) + 0.5 * np.einsum("si,sij,sj->s", d, Hl, d))
            # Derivatives at every candidate: most steps are accepted, and a separate
            # objective-only pass first would cost more than the wasted work on rejected ones.
            F_new, g_new, Hi_new, He_new = self._evaluate(candidate, idx)
            self.cell_evaluations += idx.size * self.data.y.size
            accepted = np.isfinite(F_new) & (F_new < F[idx])
            self.iterations[idx] += 1
            # Nielsen (1999) damping update: smooth in the gain ratio, doubling growth on rejection.
            gain = (F[idx] - F_new) / np.maximum(predicted, 1e-300)
            up, down = lm & accepted, lm & ~accepted
            factor = np.maximum(1 / 3, 1 - (2 * np.clip(gain[up], 0, 1) - 1) ** 3)
            mu[idx[up]] = np.maximum(mu[idx[up]] * factor, 1e-12)
            nu[idx[up]] = 2.0
            mu[idx[down]] *= nu[idx[down]]
            nu[idx[down]] *= 2.0
            try_newton[idx] = accepted & use_newton
            moved = idx[accepted]
            decrease = F[moved] - F_new[accepted]
            if moved.size:
                phi[moved] = candidate[accepted]
                F[moved], g[moved] = F_new[accepted], g_new[accepted]
                H_irls[moved], H_exact[moved] = Hi_new[accepted], He_new[accepted]
            done = np.zeros(idx.size, bool)
            # A small decrease only means convergence when the step was close to an undamped
            # Gauss-Newton (or Newton) step; a heavily damped step can be small far from a minimum.
            done[accepted] = (decrease <= rtol * np.abs(F[moved])) & (newton[accepted] | (mu[moved] < 1.0))
            done |= lm & ~accepted & (mu[idx] > 1e12)  # stationary to working precision
            done |= ~free.any(axis=1)  # every constant rests on a bound it is pushed against
            self.converged[idx[done]] = True
            active[idx[done]] = False
            if progress is not None:
                progress(1.0 - active.sum() / S)


@dataclass(frozen=True)
class LocalOptimum:
    objective: float
    n_starts: int
    law: ChinchillaLaw
    theta: tuple[float, ...] = ()  # (a, alpha, b, beta, e): finite even where E underflows


@dataclass(frozen=True)
class ChinchillaFit:
    law: ChinchillaLaw
    objective: float
    n_runs: int
    n_starts: int
    n_converged: int
    n_starts_at_best: int
    delta: float
    excluded: tuple[int, ...]  # indices of runs left out (highest losses)
    local_optima: tuple[LocalOptimum, ...] = field(default=())
    theta: tuple[float, ...] = ()  # (a, alpha, b, beta, e)
    constraint: Constraint = FREE
    # Starts worth trying first when refitting after a small change (see refit): rows
    # (a, alpha, b, beta, e) of the starts that ended at the best few distinct optima.
    warm_starts: tuple[tuple[float, ...], ...] = ()

    @property
    def a(self) -> float:
        return self.law.allocation_exponents[0]

    @property
    def b(self) -> float:
        return self.law.allocation_exponents[1]

    @property
    def n_free(self) -> int:
        """Constants the fit was free to choose (5 for the free form, 4 with alpha = beta, ...)."""
        return self.constraint.n_free


def theta_to_law(theta: ArrayLike) -> ChinchillaLaw:
    a, alpha, b, beta, e = (float(v) for v in theta)
    with np.errstate(over="ignore"):  # a term that died at a far local optimum
        return ChinchillaLaw(E=float(np.exp(e)), A=float(np.exp(a)), B=float(np.exp(b)), alpha=alpha, beta=beta)


def law_to_theta(law: ChinchillaLaw) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.array([np.log(law.A), law.alpha, np.log(law.B), law.beta, np.log(law.E)])


def fitted_mask(n_rows: int, excluded: tuple[int, ...]) -> np.ndarray:
    """True for the runs a fit kept, from the indices it excluded."""
    keep = np.ones(n_rows, bool)
    keep[list(excluded)] = False
    return keep


def top_loss_mask(loss: ArrayLike, exclude_top: int) -> np.ndarray:
    """True for runs kept after dropping the `exclude_top` highest losses."""
    loss = np.asarray(loss, float)
    keep = np.ones(loss.size, bool)
    if exclude_top > 0:
        keep[np.argsort(loss, kind="stable")[-exclude_top:]] = False
    return keep


AT_BEST_RTOL = 1e-6  # starts whose objective is within this of the best share the optimum
SEARCH_RUNS = 2000  # beyond this many runs, starts are first run on a subsample of this size
MAX_POLISHED = 2000
N_WARM_STARTS = 8


def fit_chinchilla(
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    *,
    delta: float = HUBER_DELTA,
    starts: np.ndarray | None = None,
    exclude_top_loss: int = 0,
    progress: Callable[[float], None] | None = None,
    list_optima: bool = True,
    constraint: Constraint = FREE,
) -> ChinchillaFit:
    """Approach-3 fit of L = E + A/N^alpha + B/D^beta from many starts (default: the 4,500 grid).

    constraint: fixed constants, alpha = beta, bounds (scaling_core.constraints); the starts are
    projected onto it and deduplicated (e.g. 1,620 distinct starts with alpha = beta).
    Two stages over the same starts: every start runs to convergence in float32
    (relative tolerance 1e-6, IRLS steps); then the starts within 0.1% of the best objective
    are polished in float64 to 1e-12 (Newton and IRLS steps). A start counts as at the best
    when its final objective is within 1e-6 relative of the minimum.
    """
    N, D, loss = (np.asarray(v, float) for v in (N, D, loss))
    keep = top_loss_mask(loss, exclude_top_loss)
    data = _Data.from_runs(N[keep], D[keep], loss[keep])
    grid = hoffmann_start_grid() if starts is None else np.atleast_2d(np.asarray(starts, float))
    return _search(data, constraint.project(grid, unique=True), delta, constraint, keep, progress, list_optima)


def refit(
    fit: ChinchillaFit,
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    *,
    constraint: Constraint | None = None,
    exclude_top_loss: int = 0,
    progress: Callable[[float], None] | None = None,
    list_optima: bool = False,
) -> ChinchillaFit:
    """A cheap warm-started fit after a small change (a cutoff moved, a fixed E moved): the same
    two stages as fit_chinchilla, but from a few starts only: `fit`'s optimum, its other local
    optima and its warm_starts (the grid starts that ended best), all projected onto
    `constraint` (default: the fit's own).

    What it guarantees: the result is the best optimum reachable from those starts, so it is
    never worse than the previous optimum moved onto the new runs and constraint, and it equals
    a full fit_chinchilla whenever the full fit's optimum lies in the basin of one of them (the
    usual case for a small move). It does not search the whole grid: after a large change, or
    to confirm a refit, call fit_chinchilla.
    """
    constraint = fit.constraint if constraint is None else constraint
    N, D, loss = (np.asarray(v, float) for v in (N, D, loss))
    keep = top_loss_mask(loss, exclude_top_loss)
    data = _Data.from_runs(N[keep], D[keep], loss[keep])
    rows = [fit.theta] + [o.theta for o in fit.local_optima if o.theta] + list(fit.warm_starts)
    starts = np.array([r for r in rows if len(r) == 5 and np.all(np.isfinite(r))], float).reshape(-1, 5)
    return _search(data, constraint.project(starts, unique=True), fit.delta, constraint, keep, progress, list_optima)


def _search(
    data: _Data,
    starts: np.ndarray,
    delta: float,
    constraint: Constraint,
    keep: np.ndarray,
    progress: Callable[[float], None] | None,
    list_optima: bool,
) -> ChinchillaFit:
    """The two-stage search from uncentred `starts` (already on the constraint)."""
    # With many runs, the search over starts runs on a fixed subsample; the polish uses every run.
    search = data if data.y.size <= SEARCH_RUNS else data.subsample(SEARCH_RUNS)
    coarse = minimise_batched(
        search.to_centred(starts),
        search,
        delta,
        rtol=1e-6,
        dtype=np.float32,
        progress=progress,
        use_newton=False,
        constraint=constraint,
    )
    theta_coarse = data.to_centred(search.from_centred(coarse.theta))
    # float32 objectives are good to ~1e-7 relative: re-score in float64 before choosing.
    (objective,) = chinchilla_huber_objective(theta_coarse, data, delta, derivatives=False)
    near = np.flatnonzero(objective <= objective.min() * (1 + 1e-3))
    if near.size > MAX_POLISHED:
        near = near[np.argsort(objective[near])[:MAX_POLISHED]]
    fine = minimise_batched(theta_coarse[near], data, delta, rtol=1e-12, constraint=constraint)
    objective[near] = fine.objective
    theta = theta_coarse.copy()
    theta[near] = fine.theta
    converged = coarse.converged.copy()
    converged[near] &= fine.converged
    best = int(np.argmin(objective))
    at_best = objective <= objective[best] * (1 + AT_BEST_RTOL)
    theta_best = data.from_centred(theta[[best]])[0]
    return ChinchillaFit(
        law=theta_to_law(theta_best),
        objective=float(objective[best]),
        n_runs=int(keep.sum()),
        n_starts=len(starts),
        n_converged=int(converged.sum()),
        n_starts_at_best=int(at_best.sum()),
        delta=delta,
        excluded=tuple(int(i) for i in np.flatnonzero(~keep)),
        # Listing the other optima costs a float64 polish of each; callers that only need the
        # best (the extrapolation bands) skip it.
        local_optima=_local_optima(objective, theta, data, delta, constraint, limit=8 if list_optima else 1),
        theta=tuple(float(v) for v in theta_best),
        constraint=constraint,
        warm_starts=_warm_starts(objective, starts),
    )


def _warm_starts(objective: np.ndarray, starts: np.ndarray, rtol: float = 1e-5) -> tuple[tuple[float, ...], ...]:
    """The start rows that ended best, one per distinct end objective, best first."""
    order = np.argsort(objective)
    ranked = objective[order]
    finite = np.isfinite(ranked)
    order, ranked = order[finite], ranked[finite]
    if order.size == 0:
        return ()
    new_group = np.concatenate([[True], ranked[1:] > ranked[:-1] * (1 + rtol) + 1e-300])
    firsts = order[new_group][:N_WARM_STARTS]
    return tuple(tuple(float(v) for v in starts[i]) for i in firsts)


def _local_optima(
    objective: np.ndarray,
    theta: np.ndarray,
    data: _Data,
    delta: float,
    constraint: Constraint = FREE,
    limit: int = 8,
    rtol: float = 1e-5,
) -> tuple[LocalOptimum, ...]:
    """Distinct end points of the starts (objectives equal within `rtol`), best first, with how
    many starts ended at each. The best is counted at AT_BEST_RTOL after polishing, like
    ChinchillaFit.n_starts_at_best. Each other end point's best start is polished in float64
    first (the search stops at float32 precision); an end point that the polish carries onto
    an optimum already listed, or that is still drifting after the polish (a term vanishing
    towards infinity), is not a distinct optimum and is left out."""
    order = np.argsort(objective)
    groups: list[tuple[int, int]] = []  # (representative start, starts in the group)
    i = 0
    while i < len(order) and len(groups) < (2 * limit if limit > 1 else 1):
        ref = objective[order[i]]
        tol = AT_BEST_RTOL if i == 0 else rtol
        j = i
        while j < len(order) and objective[order[j]] <= ref * (1 + tol) + 1e-300:
            j += 1
        if np.all(np.isfinite(theta[order[i]])):
            groups.append((int(order[i]), j - i))
        i = j
    reps = np.array([g[0] for g in groups[1:]], int)
    values, points, done = [objective[groups[0][0]]], [theta[groups[0][0]]], [True]
    if reps.size:
        polished = minimise_batched(theta[reps], data, delta, rtol=1e-12, max_iter=150, constraint=constraint)
        values += list(polished.objective)
        points += list(polished.theta)
        done += list(polished.converged)
    out: list[LocalOptimum] = []
    for (_, count), value, point, ok in sorted(zip(groups, values, points, done), key=lambda g: g[1]):
        if not ok or (out and value <= out[-1].objective * (1 + AT_BEST_RTOL)):
            continue  # still drifting (not an optimum), or the same optimum as one listed
        if len(out) < limit:
            theta_u = data.from_centred(point[None, :])[0]
            out.append(LocalOptimum(float(value), count, theta_to_law(theta_u), tuple(float(v) for v in theta_u)))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Kaplan's joint form L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D, fitted the same robust way.


@dataclass(frozen=True)
class KaplanFit:
    law: KaplanLaw
    objective: float
    n_runs: int
    n_starts: int
    n_converged: int
    n_starts_at_best: int
    delta: float
    excluded: tuple[int, ...]


def kaplan_start_grid() -> np.ndarray:
    """81 starts: N_c, D_c in {1e11, 1e13, 1e15}; alpha_N, alpha_D in {0.05, 0.1, 0.3}.
    Rows are (log N_c, log D_c, alpha_N, alpha_D)."""
    scales = np.log([1e11, 1e13, 1e15])
    exps = np.array([0.05, 0.1, 0.3])
    grid = np.meshgrid(scales, scales, exps, exps, indexing="ij")
    return np.stack([g.ravel() for g in grid], axis=1)


def _kaplan_residuals(x: np.ndarray, z: np.ndarray, y: np.ndarray):
    def residuals(theta: np.ndarray, jacobian: bool):
        c_n, c_d, alpha_n, alpha_d = (theta[:, k, None] for k in range(4))
        ratio = alpha_n / alpha_d
        u1 = ratio * (c_n - x)
        u2 = c_d - z
        top = np.maximum(u1, u2)
        e1, e2 = np.exp(u1 - top), np.exp(u2 - top)
        lse = top + np.log(e1 + e2)
        r = alpha_d * lse - y
        if not jacobian:
            return r, None
        p1 = e1 / (e1 + e2)
        J = np.stack([alpha_n * p1, alpha_d * (1 - p1), p1 * (c_n - x), lse - p1 * u1], axis=-1)
        return r, J

    return residuals


def fit_kaplan(
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    *,
    delta: float = HUBER_DELTA,
    starts: np.ndarray | None = None,
    exclude_top_loss: int = 0,
) -> KaplanFit:
    """Kaplan's joint law fitted by the summed Huber loss on log-loss, from a grid of starts."""
    from .optim import robust_levenberg_marquardt

    N, D, loss = (np.asarray(v, float) for v in (N, D, loss))
    keep = top_loss_mask(loss, exclude_top_loss)
    x, z, y = np.log(N[keep]), np.log(D[keep]), np.log(loss[keep])
    starts = kaplan_start_grid() if starts is None else np.atleast_2d(np.asarray(starts, float))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = robust_levenberg_marquardt(_kaplan_residuals(x, z, y), starts, delta)
    ok = np.isfinite(result.objective) & (result.theta[:, 2] > 0) & (result.theta[:, 3] > 0)
    objective = np.where(ok, result.objective, np.inf)
    best = int(np.argmin(objective))
    c_n, c_d, alpha_n, alpha_d = result.theta[best]
    return KaplanFit(
        law=KaplanLaw(N_c=float(np.exp(c_n)), D_c=float(np.exp(c_d)), alpha_N=float(alpha_n), alpha_D=float(alpha_d)),
        objective=float(objective[best]),
        n_runs=int(keep.sum()),
        n_starts=len(starts),
        n_converged=int(result.converged.sum()),
        n_starts_at_best=int((objective <= objective[best] * (1 + AT_BEST_RTOL)).sum()),
        delta=delta,
        excluded=tuple(int(i) for i in np.flatnonzero(~keep)),
    )
