"""One forecast from runs: fit every candidate form, backtest each, recommend one, calibrate its bands.

    comparison = compare_forms(N, D, loss, forms)             # fits, backtests, recommendation
    result = build_forecast(comparison, "auto", N, D, loss)   # the chosen form's calibrated bands
    result.predict(N_target, D_target)                         # point and 50/80/95% bands

The page and the command line both call these two functions on the runs the fit may see
(below the user's cutoff, targets and excluded runs left out).
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..extrapolate import LEVELS, Bands
from ..fit import HUBER_DELTA
from ..laws import JointLaw
from .backtest import FormBacktest, Selection, backtest_cutoffs, backtest_form, select_form
from .bands import FormBands, form_bands
from .calibration import Calibration, calibrate
from .candidates import Candidate, candidate, fit_problems
from .replicates import ReplicateNoise, replicate_noise

BACKTEST_RESAMPLES = 100  # bootstrap refits per cutoff in the backtest


@dataclass(frozen=True)
class FormFit:
    form: Candidate
    theta: np.ndarray
    objective: float
    n_runs: int

    @property
    def name(self) -> str:
        return self.form.name

    @property
    def law(self) -> JointLaw:
        return self.form.law(self.theta)

    @property
    def ok(self) -> bool:
        return bool(np.isfinite(self.objective) and np.all(np.isfinite(self.theta)))


@dataclass(frozen=True)
class Comparison:
    fits: dict[str, FormFit]
    backtests: dict[str, FormBacktest]
    cutoffs: np.ndarray  # the grid of cutoffs tried (some may have had nothing above them)
    selection: Selection
    noise: ReplicateNoise
    c_max: float  # largest 6ND among the runs fitted
    n_runs: int
    delta: float
    seed: int

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(self.fits)

    @property
    def recommended(self) -> str:
        return self.selection.recommended


def resolve_forms(forms: Sequence[str | Candidate]) -> list[Candidate]:
    """Candidates from names or Candidate objects (the fixed-E form as fixed_e_candidate(E))."""
    return [f if isinstance(f, Candidate) else candidate(f) for f in forms]


def compare_forms(
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    forms: Sequence[str | Candidate] = ("chinchilla", "kaplan"),
    *,
    delta: float = HUBER_DELTA,
    backtest_resamples: int = BACKTEST_RESAMPLES,
    seed: int = 0,
    cache: MutableMapping | None = None,
    cache_key: tuple = (),
    rows: ArrayLike | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> Comparison:
    """Fit each form to these runs and backtest it on them (see backtest.py); recommend one.

    cache, cache_key, rows: see backtest_form (fits below a cutoff reused across calls).
    progress(fraction, "candidates") is called after each form."""
    N, D, loss = (np.asarray(v, float) for v in (N, D, loss))
    C = 6.0 * N * D
    cutoffs = backtest_cutoffs(C)
    everything = np.ones((1, N.size), bool)
    fits, backtests = {}, {}
    candidates = resolve_forms(forms)
    names = np.arange(N.size) if rows is None else np.asarray(rows)
    for i, form in enumerate(candidates):
        # The fit on every run is cached like the backtest's: moving the fixed E refits that form only.
        key = (*cache_key, *form.key, "all", delta, names.tobytes())
        found = cache.get(key) if cache is not None else None
        if found is None:
            found = fit_problems(form, N, D, loss, everything, delta)
            if cache is not None:
                cache[key] = found
        fits[form.name] = FormFit(form, found.theta[0], float(found.objective[0]), int(N.size))
        backtests[form.name] = backtest_form(
            form,
            N,
            D,
            loss,
            cutoffs,
            n_resamples=backtest_resamples,
            seed=seed,
            delta=delta,
            cache=cache,
            cache_key=cache_key,
            rows=None if rows is None else np.asarray(rows),
        )
        if progress is not None:
            progress((i + 1) / len(candidates), "candidates")
    selection = select_form(backtests, {name: f.form.n_constants for name, f in fits.items()})
    return Comparison(
        fits, backtests, cutoffs, selection, replicate_noise(N, D, loss), float(C.max()), int(N.size), delta, seed
    )


@dataclass(frozen=True)
class Forecast:
    """The chosen form's fit with its calibrated prediction bands."""

    form: str
    recommended: str
    bands: FormBands
    calibration: Calibration
    c_max: float

    @property
    def law(self) -> JointLaw:
        return self.bands.law

    def decades(self, N: ArrayLike, D: ArrayLike) -> np.ndarray:
        """Decades of compute (6ND) beyond the largest run fitted."""
        return np.log10(6.0 * np.asarray(N, float) * np.asarray(D, float) / self.c_max)

    def predict(self, N: ArrayLike, D: ArrayLike, levels: Sequence[float] = LEVELS) -> Bands:
        N, D = np.atleast_1d(np.asarray(N, float)), np.atleast_1d(np.asarray(D, float))
        return self.calibration.apply(self.bands.bands(N, D, levels), self.decades(N, D))


def build_forecast(
    comparison: Comparison,
    form: str,
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
) -> Forecast:
    """Bands for `form` ("auto": the recommended one) fitted to the runs the comparison saw,
    calibrated by its backtest (or the double-bootstrap fallback when the backtest is too small)."""
    name = comparison.recommended if form == "auto" else form
    fit = comparison.fits[name]
    calibration = calibrate(comparison.backtests.get(name), comparison.noise)
    bands = form_bands(
        fit.form,
        N,
        D,
        loss,
        fit.theta,
        n_resamples=n_resamples,
        seed=seed,
        delta=comparison.delta,
        double=calibration.kind != "backtest",
    )
    return Forecast(name, comparison.recommended, bands, calibration, comparison.c_max)
