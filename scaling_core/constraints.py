"""Constrained Chinchilla forms: fixed constants, tied exponents, bounds.

A Constraint is data (natural units, hashable, JSON-able); the fitter turns it into a linear
reparametrisation theta = c + P phi of theta = (a, alpha, b, beta, e), with A = e^a, B = e^b,
E = e^e, and box bounds on phi. The free constants phi are the constants left free, in the
order of theta; alpha = beta tied is one free constant. Bounds on E, A, B apply to their logs.

Named forms (issue 7): `chinchilla` (free), `chinchilla_tied` (alpha = beta, as in Muennighoff
et al. 2023 and Gadre et al. 2024) and `chinchilla_fixed_e` (E fixed to a value the user gives).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

CONSTANTS = ("E", "A", "B", "alpha", "beta")
THETA_INDEX = {"A": 0, "alpha": 1, "B": 2, "beta": 3, "E": 4}  # position in theta = (a, alpha, b, beta, e)
POSITIVE = ("E", "A", "B")  # fitted through their logs: values must be positive


class ConstraintError(ValueError):
    """A constraint that cannot be fitted. `kind` and `values` let a page translate the message."""

    def __init__(self, kind: str, message: str, **values: Any):
        super().__init__(message)
        self.kind = kind
        self.values = values


def _check_name(name: str) -> str:
    if name not in CONSTANTS:
        raise ConstraintError(
            "unknown_constant", f"unknown constant {name!r}; use one of {', '.join(CONSTANTS)}", name=name
        )
    return name


def _fmt(v: float) -> str:
    return f"{v:.6g}"


@dataclass(frozen=True)
class Constraint:
    """Which constants of L = E + A/N^alpha + B/D^beta are fixed, tied or bounded (natural units).

    fixed: (name, value) pairs; tie_exponents: alpha = beta; bounds: (name, lo, hi) with
    lo < hi (either may be infinite; lo = 0 means no lower bound for E, A, B).
    Build one with Constraint.of(fixed={"E": 1.7}, tie_exponents=True, bounds={"alpha": (0.1, 0.8)}).
    """

    fixed: tuple[tuple[str, float], ...] = ()
    tie_exponents: bool = False
    bounds: tuple[tuple[str, float, float], ...] = ()

    def __post_init__(self) -> None:
        fixed = tuple(sorted(((_check_name(n), float(v)) for n, v in self.fixed), key=lambda p: CONSTANTS.index(p[0])))
        bounds = tuple(
            sorted(
                ((_check_name(n), float(lo), float(hi)) for n, lo, hi in self.bounds),
                key=lambda p: CONSTANTS.index(p[0]),
            )
        )
        object.__setattr__(self, "fixed", fixed)
        object.__setattr__(self, "bounds", bounds)
        object.__setattr__(self, "tie_exponents", bool(self.tie_exponents))
        self._validate()

    @classmethod
    def of(
        cls,
        fixed: Mapping[str, float] | None = None,
        tie_exponents: bool = False,
        bounds: Mapping[str, tuple[float, float]] | None = None,
    ) -> Constraint:
        return cls(
            tuple((fixed or {}).items()), tie_exponents, tuple((n, lo, hi) for n, (lo, hi) in (bounds or {}).items())
        )

    # -- what it says ------------------------------------------------------------------------

    @property
    def fixed_values(self) -> dict[str, float]:
        return dict(self.fixed)

    @property
    def bound_values(self) -> dict[str, tuple[float, float]]:
        return {n: (lo, hi) for n, lo, hi in self.bounds}

    @property
    def is_free(self) -> bool:
        """True for the free 5-constant form (no constraint at all)."""
        return not self.fixed and not self.tie_exponents and not self.bounds

    @property
    def held_fixed(self) -> dict[str, float]:
        """Every constant the constraint pins, including an exponent pinned through the tie."""
        out = self.fixed_values
        if self.tie_exponents:
            for one, other in (("alpha", "beta"), ("beta", "alpha")):
                if one in out and other not in out:
                    out[other] = out[one]
        return {n: out[n] for n in CONSTANTS if n in out}

    @property
    def n_free(self) -> int:
        """Constants left to fit (alpha = beta tied counts once)."""
        pinned = self.held_fixed
        free = [n for n in CONSTANTS if n not in pinned]
        if self.tie_exponents and "alpha" in free and "beta" in free:
            return len(free) - 1
        return len(free)

    def merged(self, other: Constraint) -> Constraint:
        """Both constraints at once (a value fixed in both must agree; bounds are intersected)."""
        fixed = self.fixed_values
        for name, value in other.fixed:
            if name in fixed and fixed[name] != value:
                raise ConstraintError(
                    "fixed_twice",
                    f"{name} is fixed at both {_fmt(fixed[name])} and {_fmt(value)}",
                    name=name,
                    first=_fmt(fixed[name]),
                    second=_fmt(value),
                )
            fixed[name] = value
        bounds = self.bound_values
        for name, lo, hi in other.bounds:
            old_lo, old_hi = bounds.get(name, (-math.inf, math.inf))
            bounds[name] = (max(lo, old_lo), min(hi, old_hi))
        return Constraint.of(fixed, self.tie_exponents or other.tie_exponents, bounds)

    def to_json(self) -> dict[str, Any]:
        return {
            "fixed": self.fixed_values,
            "tie_exponents": self.tie_exponents,
            "bounds": {
                n: [lo if math.isfinite(lo) else None, hi if math.isfinite(hi) else None] for n, lo, hi in self.bounds
            },
            "n_free": self.n_free,
        }

    def describe(self) -> list[str]:
        """One short English line per part ("alpha = beta (tied)", "E fixed at 1.7"), for the CLI."""
        lines = ["alpha = beta (tied)"] if self.tie_exponents else []
        lines += [f"{n} fixed at {_fmt(v)}" for n, v in self.fixed]
        for n, lo, hi in self.bounds:
            lines.append(f"{n} in [{_fmt(lo)}, {_fmt(hi)}]")
        return lines

    # -- checks ------------------------------------------------------------------------------

    def _validate(self) -> None:
        names = [n for n, _ in self.fixed]
        if len(set(names)) < len(names):
            raise ConstraintError("fixed_twice", "a constant is fixed twice", name=names[0])
        bounded = [n for n, _, _ in self.bounds]
        if len(set(bounded)) < len(bounded):
            raise ConstraintError("bounded_twice", "a constant has two bounds; give one range", name=bounded[0])
        for name, value in self.fixed:
            if not math.isfinite(value):
                raise ConstraintError("fixed_not_finite", f"{name} must be fixed to a finite number", name=name)
            if name in POSITIVE and value <= 0:
                raise ConstraintError(
                    "fixed_not_positive", f"{name} must be positive, got {_fmt(value)}", name=name, value=_fmt(value)
                )
        for name, lo, hi in self.bounds:
            if math.isnan(lo) or math.isnan(hi) or not lo < hi:
                raise ConstraintError(
                    "empty_bounds",
                    f"the bounds of {name} need lo < hi, got {_fmt(lo)}:{_fmt(hi)}",
                    name=name,
                    lo=_fmt(lo),
                    hi=_fmt(hi),
                )
            if name in POSITIVE and (lo < 0 or hi <= 0):
                raise ConstraintError(
                    "negative_bounds",
                    f"{name} is positive: its bounds must be 0 or more, got {_fmt(lo)}:{_fmt(hi)}",
                    name=name,
                    lo=_fmt(lo),
                    hi=_fmt(hi),
                )
        pinned = self.held_fixed
        if self.tie_exponents and "alpha" in self.fixed_values and "beta" in self.fixed_values:
            a, b = self.fixed_values["alpha"], self.fixed_values["beta"]
            if a != b:
                raise ConstraintError(
                    "tie_conflict",
                    f"alpha = beta is tied but alpha is fixed at {_fmt(a)} and beta at {_fmt(b)}",
                    alpha=_fmt(a),
                    beta=_fmt(b),
                )
        for name, value in pinned.items():
            lo, hi = self.bound_values.get(name, (-math.inf, math.inf))
            if not lo <= value <= hi:
                raise ConstraintError(
                    "fixed_outside_bounds",
                    f"{name} is fixed at {_fmt(value)}, outside its bounds {_fmt(lo)}:{_fmt(hi)}",
                    name=name,
                    value=_fmt(value),
                    lo=_fmt(lo),
                    hi=_fmt(hi),
                )
        if self.tie_exponents and "alpha" not in pinned:
            lo = max(self.bound_values.get(n, (-math.inf, math.inf))[0] for n in ("alpha", "beta"))
            hi = min(self.bound_values.get(n, (-math.inf, math.inf))[1] for n in ("alpha", "beta"))
            if not lo < hi:
                raise ConstraintError(
                    "tie_empty", "alpha = beta is tied but the bounds of alpha and beta do not overlap"
                )
        if self.n_free == 0:
            raise ConstraintError("nothing_free", "every constant is fixed: nothing is left to fit")

    # -- the linear map onto theta ------------------------------------------------------------

    def parametrisation(self) -> NaturalMap:
        """theta = c + P psi with box bounds on psi (natural coordinates: logs of E, A, B)."""
        pinned = self.held_fixed
        bounds = self.bound_values
        columns: list[list[int]] = []  # theta positions each free constant moves
        names: list[str] = []
        lo: list[float] = []
        hi: list[float] = []
        c = np.zeros(5)
        for name, value in pinned.items():
            c[THETA_INDEX[name]] = math.log(value) if name in POSITIVE else value

        def natural(name: str, lo_hi: tuple[float, float]) -> tuple[float, float]:
            a, b = lo_hi
            if name in POSITIVE:
                with np.errstate(divide="ignore"):
                    return float(np.log(a)) if a > 0 else -math.inf, float(np.log(b))
            return a, b

        for name in ("A", "alpha", "B", "beta", "E"):  # the order of theta
            if name in pinned:
                continue
            if self.tie_exponents and name == "beta":
                continue  # moved together with alpha
            if self.tie_exponents and name == "alpha":
                b_a = natural("alpha", bounds.get("alpha", (-math.inf, math.inf)))
                b_b = natural("beta", bounds.get("beta", (-math.inf, math.inf)))
                columns.append([THETA_INDEX["alpha"], THETA_INDEX["beta"]])
                names.append("alpha=beta")
                lo.append(max(b_a[0], b_b[0]))
                hi.append(min(b_a[1], b_b[1]))
                continue
            b = natural(name, bounds.get(name, (-math.inf, math.inf)))
            columns.append([THETA_INDEX[name]])
            names.append(name)
            lo.append(b[0])
            hi.append(b[1])
        P = np.zeros((5, len(columns)))
        for j, rows in enumerate(columns):
            P[rows, j] = 1.0
        return NaturalMap(c, P, np.array(lo), np.array(hi), tuple(names))

    def project(self, theta: np.ndarray, unique: bool = False) -> np.ndarray:
        """Rows of theta = (a, alpha, b, beta, e) moved onto the constraint: the closest point of
        its linear subspace (least squares; tied exponents become their mean), then clipped to the
        bounds. unique=True drops repeated rows (a projected start grid), keeping the order."""
        m = self.parametrisation()
        psi = m.project(np.atleast_2d(np.asarray(theta, float)))
        theta_out = m.expand(psi)
        if unique:
            _, first = np.unique(np.round(theta_out, 12), axis=0, return_index=True)
            theta_out = theta_out[np.sort(first)]
        return theta_out


@dataclass(frozen=True)
class NaturalMap:
    """theta = c + P psi, lo <= psi <= hi; psi named by `names` (E, A, B as their logs)."""

    c: np.ndarray
    P: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    names: tuple[str, ...]

    def project(self, theta: np.ndarray) -> np.ndarray:
        # Each column of P has disjoint 0/1 entries: the least-squares psi is the mean of its rows.
        psi = (theta - self.c) @ self.P / self.P.sum(axis=0)
        return np.clip(psi, self.lo, self.hi)

    def expand(self, psi: np.ndarray) -> np.ndarray:
        return self.c + psi @ self.P.T


FREE = Constraint()
CHINCHILLA_FORMS = ("chinchilla", "chinchilla_tied", "chinchilla_fixed_e")


def constraint_for_form(name: str, **values: float) -> Constraint:
    """The constraint of a named Chinchilla form; keyword values fix constants on top of it.

    constraint_for_form("chinchilla_fixed_e", E=1.7) fixes E at 1.7 (the form needs E);
    constraint_for_form("chinchilla_tied") ties alpha = beta.
    """
    if name not in CHINCHILLA_FORMS:
        raise ConstraintError(
            "unknown_form", f"unknown form {name!r}; use one of {', '.join(CHINCHILLA_FORMS)}", name=name
        )
    if name == "chinchilla_fixed_e" and "E" not in values:
        raise ConstraintError("needs_e", "the form chinchilla_fixed_e needs a value for E (e.g. E=1.7)")
    return Constraint.of(fixed=values, tie_exponents=name == "chinchilla_tied")


def form_name(constraint: Constraint) -> str | None:
    """The named form a constraint is exactly, or None (a custom constraint)."""
    if constraint.is_free:
        return "chinchilla"
    if constraint.tie_exponents and not constraint.fixed and not constraint.bounds:
        return "chinchilla_tied"
    if not constraint.tie_exponents and not constraint.bounds and [n for n, _ in constraint.fixed] == ["E"]:
        return "chinchilla_fixed_e"
    return None
