"""One entry point for fitting a run table: used by the Fit page and by `python -m scaling_core fit`.

run_fit(runs, FitOptions(...)) -> FitOutcome, whose to_json() is what the command line prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .constraints import CHINCHILLA_FORMS, FREE, Constraint, ConstraintError, constraint_for_form
from .fit import ChinchillaFit, KaplanFit, fit_chinchilla, fit_kaplan, fitted_mask
from .forms import SINGLE_VARIABLE_FORMS, FormError, FormFit, fit_form, fit_multiplicative
from .frontier import optimal_allocation, unreal_optimum
from .io import RunTable, design_warning, identifiability_problem
from .isoflop import IsoFlopFit, fit_isoflop
from .laws import JointLaw
from .uncertainty import (
    MAX_BOOTSTRAP_CELLS,
    PARAM_NAMES,
    ChinchillaBootstrap,
    KaplanBootstrap,
    bootstrap_chinchilla,
    bootstrap_kaplan,
    max_bootstrap_resamples,
    percentile_interval,
)

JOINT_FORMS = ("chinchilla", "kaplan")
FORMS = JOINT_FORMS + ("isoflop",) + SINGLE_VARIABLE_FORMS + ("multiplicative",)
# Named constrained Chinchilla forms (alpha = beta; E fixed): run_fit and the command line take
# them as forms; the Fit page sets the same constraints in its Constraints expander instead.
CONSTRAINED_FORMS = tuple(f for f in CHINCHILLA_FORMS if f != "chinchilla")
ALL_FORMS = FORMS + CONSTRAINED_FORMS
N_CONSTANTS = {"chinchilla": 5, "kaplan": 4}
INTERVAL_LEVEL = 0.95


class FitError(ValueError):
    """The runs cannot support the requested fit; the message says why and what to change."""


@dataclass(frozen=True)
class FitOptions:
    form: str = "chinchilla"
    huber_delta: float = 1e-3
    exclude_top_loss: int = 0
    bootstrap: int = 0
    seed: int = 0
    x: str = "N"  # single-variable forms: N, D or C
    budget: float = 5.76e23  # FLOPs, for N_opt and D_opt (Gopher's budget)
    target: tuple[float, float] = (7e10, 1.4e12)  # (N, D) for the loss interval (Chinchilla)
    bins_per_decade: float = 4.0
    constraint: Constraint = FREE  # Chinchilla forms: fixed, tied or bounded constants


def chinchilla_constraint(options: FitOptions) -> Constraint:
    """The constraint a Chinchilla-family fit runs under: the named form's, merged with
    options.constraint (chinchilla_fixed_e takes its E from options.constraint)."""
    form, extra = options.form, options.constraint
    if form not in CHINCHILLA_FORMS:
        if not extra.is_free:
            raise FitError("fixed, tied or bounded constants apply to the Chinchilla form only")
        return FREE
    try:
        if form == "chinchilla_fixed_e":
            if "E" not in extra.fixed_values:
                raise FitError("the form chinchilla_fixed_e needs a value for E (e.g. --fix E=1.7)")
            return constraint_for_form(form, E=extra.fixed_values["E"]).merged(extra)
        return constraint_for_form(form).merged(extra)
    except ConstraintError as err:
        raise FitError(str(err)) from None


@dataclass
class FitOutcome:
    options: FitOptions
    runs: RunTable
    fit: ChinchillaFit | KaplanFit | IsoFlopFit | FormFit
    bootstrap: ChinchillaBootstrap | KaplanBootstrap | None = None
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    derived: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was adjusted (shown as information)
    warnings: list[str] = field(default_factory=list)  # why the result may mislead (shown as warnings)

    @property
    def kept(self) -> np.ndarray:
        """Mask of the table's runs that the fit used (highest losses excluded)."""
        return fitted_mask(self.runs.n_runs, getattr(self.fit, "excluded", ()))

    def predicted(self) -> np.ndarray:
        """The fit's prediction for every run of the table (fitted or excluded)."""
        r = self.runs
        if isinstance(self.fit, (ChinchillaFit, KaplanFit)):
            return self.fit.law.loss(r.N, r.D)
        if isinstance(self.fit, IsoFlopFit):
            return np.full(r.n_runs, np.nan)
        if self.fit.form == "multiplicative":
            return self.fit.predict({"N": r.N, "D": r.D, "C": r.C})
        return self.fit.predict({"N": r.N, "D": r.D, "C": r.C}[self.options.x])

    def residual_table(self) -> dict[str, np.ndarray]:
        r, pred = self.runs, self.predicted()
        observed = r.loss if r.loss is not None else np.full(r.n_runs, np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_resid = np.log(observed) - np.log(pred)
        return {
            "row": r.source_rows,
            "name": r.names,
            "N": r.N,
            "D": r.D,
            "C": r.C,
            "observed": observed,
            "predicted": pred,
            "residual_log": log_resid,
            "used_in_fit": self.kept,
        }

    def to_json(self) -> dict[str, Any]:
        f, o = self.fit, self.options
        out: dict[str, Any] = {"form": o.form, "n_runs": int(getattr(f, "n_runs", getattr(f, "n", self.runs.n_runs)))}
        if isinstance(f, (ChinchillaFit, KaplanFit)):
            out |= {
                "params": f.law.params(),
                "objective": f.objective,
                "huber_delta": f.delta,
                "n_constants": f.n_free if isinstance(f, ChinchillaFit) else N_CONSTANTS["kaplan"],
                "n_starts": f.n_starts,
                "n_converged": f.n_converged,
                "n_starts_at_best": f.n_starts_at_best,
                "excluded_rows": [int(self.runs.source_rows[i]) for i in f.excluded],
            }
            if isinstance(f, ChinchillaFit):
                out |= {
                    "constraint": f.constraint.to_json(),
                    "a": f.a,
                    "b": f.b,
                    "local_optima": [{"objective": lo.objective, "n_starts": lo.n_starts} for lo in f.local_optima],
                }
        elif isinstance(f, IsoFlopFit):
            out |= {
                "params": {"a": f.a, "k_N": f.k_N, "b": f.b, "k_D": f.k_D},
                "a": f.a,
                "b": f.b,
                "n_profiles_used": f.n_used,
                "profiles": [
                    {
                        "compute": p.compute,
                        "n_runs": int(p.N.size),
                        "N_opt": _num(p.N_opt),
                        "D_opt": _num(p.D_opt),
                        "loss_opt": _num(p.loss_opt),
                        "used": p.used,
                        "reason": p.reason,
                    }
                    for p in f.profiles
                ],
            }
        else:
            out |= {
                "params": f.params,
                "formula": f.formula,
                "x": o.x if f.form != "multiplicative" else None,
                "r2": f.r2,
                "rmse": f.rmse,
                "cv_rmse": f.cv_rmse,
                "cv": f.cv_kind,
                "note": f.note,
            }
        out |= {k: _num(v) for k, v in self.derived.items()}
        out["intervals"] = {k: [_num(lo), _num(hi)] for k, (lo, hi) in self.intervals.items()}
        if self.bootstrap is not None:
            out |= {"bootstrap": int(self.bootstrap.params.shape[0]), "seed": o.seed, "interval_level": INTERVAL_LEVEL}
        if self.notes:
            out["notes"] = list(self.notes)
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


def _num(v: float) -> float | None:
    v = float(v)
    return v if np.isfinite(v) else None


def fit_warnings(N: np.ndarray, D: np.ndarray, law: JointLaw, budget: float) -> list[str]:
    """Why a law fitted to runs at (N, D) may mislead: a design that hardly separates N from D,
    an optimum at `budget` that is no real model. Empty when neither applies."""
    return [w for w in (design_warning(N, D), unreal_optimum(law, budget)) if w]


def multiplicative_warnings(fit: FormFit) -> list[str]:
    """Why a multiplicative law's exponents mislead: N or D had to be dropped because its log is a
    linear combination of the others over these runs (C dropped alone, for C = 6ND, is expected)."""
    if fit.form != "multiplicative":
        return []
    dropped = [v for v in ("N", "D") if f"b_{v}" not in fit.params]
    if not dropped:
        return []
    return [
        f"N, D and C move together in these runs, so {' and '.join(dropped)} had to be dropped: the exponents of "
        f"{fit.formula} are not identifiable. Infinitely many sets of exponents fit these runs equally well and "
        "disagree about any other run; the exponents shown are one of them. Runs on a grid over N and D (several "
        "token counts for each model size) separate N from D; C = 6ND can never be separated from them."
    ]


def run_fit(runs: RunTable, options: FitOptions, progress: Callable[[float, str], None] | None = None) -> FitOutcome:
    """Fit `options.form` to the runs, with bootstrap intervals when options.bootstrap > 0.

    progress(fraction, stage) is called as the work advances (for a progress bar).
    """
    if options.form not in ALL_FORMS:
        raise FitError(f"unknown form {options.form!r}; use one of {', '.join(ALL_FORMS)}")
    if runs.loss is None:
        raise FitError("the table has no loss column: there is nothing to fit")

    def report(stage: str, lo: float, hi: float):
        return None if progress is None else (lambda f: progress(lo + (hi - lo) * f, stage))

    constraint = chinchilla_constraint(options)
    form = "chinchilla" if options.form in CHINCHILLA_FORMS else options.form
    if options.exclude_top_loss < 0 or options.exclude_top_loss >= runs.n_runs:
        raise FitError(f"cannot exclude {options.exclude_top_loss} of {runs.n_runs} runs")
    if form in JOINT_FORMS:
        n_constants = constraint.n_free if form == "chinchilla" else N_CONSTANTS[form]
        problem = identifiability_problem(runs, n_constants, options.exclude_top_loss)
        if problem:
            raise FitError(problem)
        if not options.huber_delta > 0:
            raise FitError(f"the Huber delta must be positive, got {options.huber_delta}")
    notes: list[str] = []
    if options.bootstrap * runs.n_runs > MAX_BOOTSTRAP_CELLS:
        resamples = max_bootstrap_resamples(runs.n_runs)
        notes.append(f"bootstrap reduced from {options.bootstrap} to {resamples} resamples for {runs.n_runs:,} runs")
        options = replace(options, bootstrap=resamples)
    if options.bootstrap < 0:
        raise FitError(f"the number of bootstrap resamples must be 0 or more, got {options.bootstrap}")
    boot_share = 0.6 if options.bootstrap else 0.0
    if form == "chinchilla":
        fit = fit_chinchilla(
            runs.N,
            runs.D,
            runs.loss,
            delta=options.huber_delta,
            exclude_top_loss=options.exclude_top_loss,
            progress=report("fit", 0.0, 1.0 - boot_share),
            constraint=constraint,
        )
        outcome = FitOutcome(options, runs, fit, warnings=fit_warnings(runs.N, runs.D, fit.law, options.budget))
        alloc = optimal_allocation(fit.law, options.budget)
        outcome.derived = {
            "budget": options.budget,
            "N_opt": float(alloc.N_opt),
            "D_opt": float(alloc.D_opt),
            "target_N": options.target[0],
            "target_D": options.target[1],
            "loss_at_target": float(fit.law.loss(*options.target)),
        }
        if options.bootstrap:
            bs = bootstrap_chinchilla(
                runs.N,
                runs.D,
                runs.loss,
                fit,
                n_resamples=options.bootstrap,
                seed=options.seed,
                progress=report("bootstrap", 1.0 - boot_share, 1.0),
            )
            outcome.bootstrap = bs
            outcome.intervals = chinchilla_intervals(bs, options)
    elif form == "kaplan":
        fit = fit_kaplan(
            runs.N, runs.D, runs.loss, delta=options.huber_delta, exclude_top_loss=options.exclude_top_loss
        )
        outcome = FitOutcome(options, runs, fit, warnings=fit_warnings(runs.N, runs.D, fit.law, options.budget))
        if options.bootstrap:
            bs = bootstrap_kaplan(runs.N, runs.D, runs.loss, fit, n_resamples=options.bootstrap, seed=options.seed)
            outcome.bootstrap = bs
            outcome.intervals = {k: _interval(bs.column(k)) for k in ("N_c", "D_c", "alpha_N", "alpha_D")}
    elif form == "isoflop":
        try:
            groups = runs.groups if runs.groups is not None else None
            fit = fit_isoflop(runs.N, runs.D, runs.loss, groups=groups, bins_per_decade=options.bins_per_decade)
        except ValueError as err:
            raise FitError(str(err)) from None
        outcome = FitOutcome(options, runs, fit)
    else:
        try:
            if form == "multiplicative":
                fit = fit_multiplicative(runs.loss, N=runs.N, D=runs.D, C=runs.C)
            else:
                if options.x not in ("N", "D", "C"):
                    raise FormError(f"x must be N, D or C, got {options.x!r}")
                fit = fit_form(form, {"N": runs.N, "D": runs.D, "C": runs.C}[options.x], runs.loss)
        except FormError as err:
            raise FitError(str(err)) from None
        outcome = FitOutcome(options, runs, fit, warnings=multiplicative_warnings(fit))
    outcome.notes = notes
    if progress is not None:
        progress(1.0, "done")
    return outcome


def _interval(samples: np.ndarray) -> tuple[float, float]:
    lo, hi = percentile_interval(samples, INTERVAL_LEVEL)
    return float(lo), float(hi)


def chinchilla_intervals(bs: ChinchillaBootstrap, options: FitOptions) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of the constants and of what they imply."""
    out = {name: _interval(bs.column(name)) for name in PARAM_NAMES}
    a, b = bs.allocation_exponents
    out["a"], out["b"] = _interval(a), _interval(b)
    N_opt, D_opt = bs.optimal_allocation(options.budget)
    out["N_opt"], out["D_opt"] = _interval(N_opt[:, 0]), _interval(D_opt[:, 0])
    out["loss_at_target"] = _interval(bs.loss(*options.target)[:, 0])
    return out
