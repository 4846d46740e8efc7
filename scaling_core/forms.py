"""The general forms scaling-law tutorials teach, for one size variable x and a metric y.

    power_offset   y = a x^b + c              nonlinear least squares (variable projection)
    power          y = a x^b                  least squares on log y = log a + b log x
    log_linear     y = a log x + b            least squares
    broken_power   y = a + b x^-c0 (1 + (x/d)^(1/f))^(-c1 f)
                                              smoothly broken power law, one break
                                              (Caballero et al. 2022, Eq. 1)
    multiplicative y = k N^b1 D^b2 C^b3       least squares on logs, identifiable subset only

Each fit reports R^2 and RMSE on y, and a leave-one-out RMSE (10-fold when there are more
than LOO_LIMIT points), so forms can be compared side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .optim import robust_levenberg_marquardt

LOO_LIMIT = 2000
FORMULAS = {
    "power_offset": "y = a·x^b + c",
    "power": "y = a·x^b",
    "log_linear": "y = a·ln(x) + b",
    "broken_power": "y = a + b·x^(−c0)·(1 + (x/d)^(1/f))^(−c1·f)",
    "multiplicative": "y = k·N^b1·D^b2·C^b3",
}
SINGLE_VARIABLE_FORMS = ("power_offset", "power", "log_linear", "broken_power")


class FormError(ValueError):
    """The data cannot support this form (too few points, non-positive values, ...)."""


@dataclass(frozen=True)
class FormFit:
    form: str
    params: dict[str, float]
    n: int
    r2: float
    rmse: float
    cv_rmse: float
    cv_kind: str  # "leave-one-out" or "10-fold"
    note: str = ""

    @property
    def formula(self) -> str:
        return FORMULAS[self.form]

    def predict(self, x):
        """y at x (an array; for the multiplicative form a dict of arrays N, D, C)."""
        return predict_form(self.form, self.params, x)


def predict_form(form: str, p: dict[str, float], x) -> np.ndarray:
    if form == "multiplicative":
        names = [k[2:] for k in p if k.startswith("b_")]
        out = p["k"] * np.ones_like(np.asarray(x[names[0]], float)) if names else np.asarray(p["k"])
        for name in names:
            out = out * np.asarray(x[name], float) ** p[f"b_{name}"]
        return out
    x = np.asarray(x, float)
    if form == "power_offset":
        return p["a"] * x ** p["b"] + p["c"]
    if form == "power":
        return p["a"] * x ** p["b"]
    if form == "log_linear":
        return p["a"] * np.log(x) + p["b"]
    if form == "broken_power":
        return bnsl(x, **p)
    raise FormError(f"unknown form {form!r}")


def _metrics(y: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    resid = y - pred
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid**2)) / ss_tot if ss_tot > 0 else np.nan
    return r2, float(np.sqrt(np.mean(resid**2)))


def _folds(n: int, loo_limit: int = LOO_LIMIT) -> tuple[list[np.ndarray], str]:
    if n <= loo_limit:
        return [np.array([i]) for i in range(n)], "leave-one-out"
    order = np.random.default_rng(0).permutation(n)
    return list(np.array_split(order, 10)), "10-fold"


def _check_xy(x: ArrayLike, y: ArrayLike, need: int, positive_x: bool = True, positive_y: bool = False):
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.shape != y.shape or x.ndim != 1:
        raise FormError("x and y must be two columns of the same length")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise FormError("x and y must be finite numbers")
    if x.size < need:
        raise FormError(f"this form needs at least {need} runs, got {x.size}")
    if positive_x and np.any(x <= 0):
        raise FormError("x must be positive for a power law")
    if positive_y and np.any(y <= 0):
        raise FormError("y must be positive to fit this form on a log scale")
    if np.unique(x).size < 3:
        raise FormError("x takes fewer than 3 distinct values: the exponent is not identifiable")
    return x, y


# --- power_offset: variable projection over the exponent b --------------------------------

_B_GRID = np.linspace(-3.0, 3.0, 121)  # then refined by golden section


def _power_offset_at(x: np.ndarray, y: np.ndarray, b: np.ndarray, w: np.ndarray | None = None):
    """For each exponent b (k,), the least-squares (a, c) and the residual sum of squares.
    x is rescaled by its geometric mean so that x^b stays in range."""
    scale = np.exp(np.mean(np.log(x)))
    X = (x / scale)[None, :] ** b[:, None]  # (k, n)
    w = np.ones_like(x) if w is None else w
    sw, sx, sy = w.sum(), (w * X).sum(1), (w * y).sum()
    sxx, sxy = (w * X * X).sum(1), (w * X * y).sum(1)
    det = sw * sxx - sx * sx
    with np.errstate(divide="ignore", invalid="ignore"):
        a = (sw * sxy - sx * sy) / det
        c = (sy - a * sx) / sw
    rss = (w * (y[None, :] - a[:, None] * X - c[:, None]) ** 2).sum(1)
    rss = np.where(np.isfinite(rss) & (np.abs(det) > 1e-12 * sw * sxx), rss, np.inf)
    return a / scale**b, c, rss


def _solve_power_offset(x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> tuple[float, float, float]:
    _, _, rss = _power_offset_at(x, y, _B_GRID, w)
    i = int(np.argmin(rss))
    lo, hi = _B_GRID[max(i - 1, 0)], _B_GRID[min(i + 1, len(_B_GRID) - 1)]
    for _ in range(60):  # golden-section refinement of the bracketing grid cell
        m1, m2 = lo + 0.382 * (hi - lo), lo + 0.618 * (hi - lo)
        _, _, r = _power_offset_at(x, y, np.array([m1, m2]), w)
        lo, hi = (lo, m2) if r[0] < r[1] else (m1, hi)
    b = 0.5 * (lo + hi)
    a, c, _ = _power_offset_at(x, y, np.array([b]), w)
    return float(a[0]), float(b), float(c[0])


def fit_power_offset(x: ArrayLike, y: ArrayLike) -> FormFit:
    x, y = _check_xy(x, y, need=4)
    a, b, c = _solve_power_offset(x, y)
    params = {"a": a, "b": b, "c": c}
    r2, rmse = _metrics(y, predict_form("power_offset", params, x))
    folds, kind = _folds(x.size)
    errors = []
    for held in folds:
        w = np.ones_like(x)
        w[held] = 0.0
        ai, bi, ci = _solve_power_offset(x, y, w)
        errors.append(y[held] - (ai * x[held] ** bi + ci))
    cv = float(np.sqrt(np.mean(np.concatenate(errors) ** 2)))
    return FormFit("power_offset", params, x.size, r2, rmse, cv, kind)


# --- linear least squares forms (closed-form leave-one-out via the hat matrix) -------------


def _linear_fit(X: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients and leave-one-out residuals of least squares t ~ X."""
    coef, *_ = np.linalg.lstsq(X, t, rcond=None)
    resid = t - X @ coef
    Q, _ = np.linalg.qr(X)
    leverage = np.sum(Q * Q, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        loo = resid / (1.0 - leverage)
    return coef, loo


def fit_power(x: ArrayLike, y: ArrayLike) -> FormFit:
    x, y = _check_xy(x, y, need=3, positive_y=True)
    X = np.stack([np.ones_like(x), np.log(x)], axis=1)
    (log_a, b), _ = _linear_fit(X, np.log(y))
    params = {"a": float(np.exp(log_a)), "b": float(b)}
    r2, rmse = _metrics(y, predict_form("power", params, x))
    folds, kind = _folds(x.size)
    errors = []
    for held in folds:
        keep = np.ones(x.size, bool)
        keep[held] = False
        (la, bb), _ = _linear_fit(X[keep], np.log(y[keep]))
        errors.append(y[held] - np.exp(la) * x[held] ** bb)
    cv = float(np.sqrt(np.mean(np.concatenate(errors) ** 2)))
    return FormFit("power", params, x.size, r2, rmse, cv, kind, "fitted on log y")


def fit_log_linear(x: ArrayLike, y: ArrayLike) -> FormFit:
    x, y = _check_xy(x, y, need=3)
    X = np.stack([np.log(x), np.ones_like(x)], axis=1)
    (a, b), loo = _linear_fit(X, y)
    params = {"a": float(a), "b": float(b)}
    r2, rmse = _metrics(y, predict_form("log_linear", params, x))
    cv = float(np.sqrt(np.mean(loo**2)))
    return FormFit("log_linear", params, x.size, r2, rmse, cv, "leave-one-out")


# --- smoothly broken power law -------------------------------------------------------------

BNSL_PARAMS = ("a", "b", "c0", "c1", "d", "f")


def bnsl(x: ArrayLike, a: float, b: float, c0: float, c1: float, d: float, f: float) -> np.ndarray:
    """y = a + b x^-c0 (1 + (x/d)^(1/f))^(-c1 f), computed in log space for stability."""
    lx = np.log(np.asarray(x, float))
    return a + b * np.exp(-c0 * lx - c1 * f * np.logaddexp(0.0, (lx - np.log(d)) / f))


def _bnsl_residuals(lx: np.ndarray, y: np.ndarray):
    # theta = (a, ln b, c0, c1, ln d, ln f)
    def model(theta):
        a, lb, c0, c1, ld, lf = (theta[:, k, None] for k in range(6))
        f = np.exp(lf)
        soft = np.logaddexp(0.0, (lx - ld) / f)
        return a + np.exp(lb - c0 * lx - c1 * f * soft)

    def residuals(theta, jacobian):
        r = model(theta) - y
        if not jacobian:
            return r, None
        h = 1e-6 * np.maximum(1.0, np.abs(theta))
        J = np.empty(r.shape + (6,))
        for k in range(6):
            tp, tm = theta.copy(), theta.copy()
            tp[:, k] += h[:, k]
            tm[:, k] -= h[:, k]
            J[..., k] = (model(tp) - model(tm)) / (2 * h[:, k, None])
        return r, J

    return residuals


def _bnsl_starts(lx: np.ndarray, y: np.ndarray) -> np.ndarray:
    floor = min(y.min() * 0.9, y.min() - 0.1 * np.ptp(y)) if y.min() > 0 else y.min() - np.ptp(y)
    rows = []
    for a in (0.0, floor):
        span = max(y.max() - a, 1e-6)
        for c0 in (0.05, 0.3):
            for c1 in (-0.2, 0.2, 0.6):
                for q in (0.25, 0.5, 0.75):
                    ld = np.quantile(lx, q)
                    lb = np.log(span) + c0 * lx.min()
                    rows.append([a, lb, c0, c1, ld, np.log(0.5)])
    return np.array(rows)


BNSL_MAX_POINTS = 500  # beyond this, the 6-constant fit and its cross-validation use a fixed subsample
BNSL_LOO_LIMIT = 200  # leave-one-out refits of this 6-constant form get costly: 10-fold beyond


def fit_broken_power(x: ArrayLike, y: ArrayLike) -> FormFit:
    x_all, y_all = _check_xy(x, y, need=7)
    note = "one break"
    x, y = x_all, y_all
    if x.size > BNSL_MAX_POINTS:
        pick = np.sort(np.random.default_rng(0).choice(x.size, BNSL_MAX_POINTS, replace=False))
        x, y = x[pick], y[pick]
        note += f"; fitted on a fixed random subsample of {BNSL_MAX_POINTS:,} of the {x_all.size:,} runs"
    lx = np.log(x)
    residuals = _bnsl_residuals(lx, y)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = robust_levenberg_marquardt(residuals, _bnsl_starts(lx, y))
    best = int(np.nanargmin(np.where(np.isfinite(result.objective), result.objective, np.inf)))
    theta = result.theta[best]
    a, lb, c0, c1, ld, lf = theta
    params = {"a": a, "b": np.exp(lb), "c0": c0, "c1": c1, "d": np.exp(ld), "f": np.exp(lf)}
    params = {k: float(v) for k, v in params.items()}
    r2, rmse = _metrics(y_all, predict_form("broken_power", params, x_all))
    folds, kind = _folds(x.size, BNSL_LOO_LIMIT)
    weights = np.ones((len(folds), x.size))
    for i, held in enumerate(folds):
        weights[i, held] = 0.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        refit = robust_levenberg_marquardt(residuals, np.repeat(theta[None], len(folds), axis=0), weights=weights)
        errors = [-residuals(refit.theta[[i]], False)[0][0, held] for i, held in enumerate(folds)]
    cv = float(np.sqrt(np.mean(np.concatenate(errors) ** 2)))
    return FormFit("broken_power", params, x_all.size, r2, rmse, cv, kind, note)


SINGLE_FITTERS: dict[str, Callable[[ArrayLike, ArrayLike], FormFit]] = {
    "power_offset": fit_power_offset,
    "power": fit_power,
    "log_linear": fit_log_linear,
    "broken_power": fit_broken_power,
}


def fit_form(form: str, x: ArrayLike, y: ArrayLike) -> FormFit:
    if form not in SINGLE_FITTERS:
        raise FormError(f"unknown form {form!r}; use one of {', '.join(SINGLE_FITTERS)}")
    return SINGLE_FITTERS[form](x, y)


def compare_forms(x: ArrayLike, y: ArrayLike, forms: tuple[str, ...] = SINGLE_VARIABLE_FORMS) -> list[FormFit | str]:
    """Every form on the same data; a form that cannot be fitted gives its reason instead."""
    out: list[FormFit | str] = []
    for form in forms:
        try:
            out.append(fit_form(form, x, y))
        except FormError as err:
            out.append(f"{form}: {err}")
    return out


# --- multiplicative law in N, D and C ----------------------------------------------------


def fit_multiplicative(y: ArrayLike, **variables: ArrayLike | None) -> FormFit:
    """y = k * prod_v v^b_v by least squares on logs, for the variables given (N, D, C).

    With C = 6ND the logs are collinear (ln C = ln 6 + ln N + ln D), so the exponents are not
    all identifiable: C is dropped (then any split b1 + t, b2 + t, b3 - t fits equally well),
    and the note says so. Any other exact collinearity is reported the same way.
    """
    y = np.asarray(y, float)
    if np.any(y <= 0) or not np.all(np.isfinite(y)):
        raise FormError("y must be positive and finite for a multiplicative (log-linear) law")
    names = [k for k, v in variables.items() if v is not None]
    if not names:
        raise FormError("give at least one of N, D, C")
    logs = {k: np.log(np.asarray(variables[k], float)) for k in names}
    notes = []
    kept: list[str] = []
    for k in names:  # greedy: keep a column only if it adds rank
        X = np.stack([np.ones_like(y)] + [logs[c] for c in kept + [k]], axis=1)
        s = np.linalg.svd(X, compute_uv=False)
        if s[-1] > 1e-8 * s[0]:
            kept.append(k)
        else:
            notes.append(f"{k} dropped: its log is a linear combination of the others (e.g. C = 6ND)")
    if y.size < len(kept) + 2:
        raise FormError(f"this form needs at least {len(kept) + 2} runs, got {y.size}")
    X = np.stack([np.ones_like(y)] + [logs[k] for k in kept], axis=1)
    coef, loo = _linear_fit(X, np.log(y))
    params = {"k": float(np.exp(coef[0]))} | {f"b_{k}": float(c) for k, c in zip(kept, coef[1:])}

    pred = np.exp(X @ coef)
    r2, rmse = _metrics(y, pred)
    cv = float(np.sqrt(np.mean((y - y * np.exp(-loo)) ** 2)))
    return FormFit("multiplicative", params, y.size, r2, rmse, cv, "leave-one-out", "; ".join(notes))
