"""Rolling-origin backtests of candidate forms on the user's own runs, and the choice among them.

For each of several compute cutoffs, a form is fitted to the runs below the cutoff (with
residual-bootstrap refits for its bands) and scores the runs at or above it: error of log-loss,
and whether each run fell inside the 80% and 95% prediction bands. Every run scored lies some
decades of compute beyond the largest run its fit saw; errors are grouped by that distance.

The cutoffs lie on a fixed grid of log10 C (quarter decades, coarser when the runs span many
decades), so the fits below a cutoff do not change when the runs above it do: a page that moves
its own cutoff reuses them (pass `cache`).
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..extrapolate import bands_from_samples
from .bands import bootstrap_problems
from .candidates import Candidate, fit_problems

DISTANCE_EDGES = (0.0, 0.25, 0.5, 1.0, 2.0, np.inf)  # decades of compute beyond the largest fitted run
MIN_TRAIN = 12  # runs below a cutoff (enough for any candidate's constants, with room to spare)
# ... and at least this share of all the runs: a fit below a cutoff should behave like the final
# fit it stands in for. Fits on a small corner of the runs are dominated by their own variance,
# which favours the stiffest form whatever the truth (on the OLMo ladder, fits on the 190M-370M
# runs alone make Kaplan's form look best; fits on 60% of the runs show the Chinchilla form is).
MIN_TRAIN_SHARE = 0.6
MIN_TEST = 3  # runs at or above the highest cutoff
MAX_CUTOFFS = 8
CUTOFF_STEPS = (0.25, 0.5, 1.0)  # grid spacing in decades, the finest that gives <= MAX_CUTOFFS
MIN_CUTOFFS = 3  # cutoffs with runs above them needed to choose a form and calibrate by the backtest
MIN_BUCKET_POINTS = 3  # scored runs a distance bucket needs to decide the form
SCORE_LEVELS = (0.5, 0.8, 0.95)


def backtest_cutoffs(compute: np.ndarray, min_train: int = MIN_TRAIN, min_test: int = MIN_TEST) -> np.ndarray:
    """Cutoffs (FLOPs) on a grid of log10 C between the point where max(min_train, 60% of the
    runs) lie below and the point where min_test runs lie at or above. The grid points sit
    half-way between multiples of the step, so that budgets at round numbers (1e20, 3.16e20)
    never fall exactly on a cutoff; cutoffs that would fit the same runs are merged."""
    logc = np.sort(np.log10(np.asarray(compute, float)))
    min_train = max(min_train, int(np.ceil(MIN_TRAIN_SHARE * logc.size)))
    if logc.size < min_train + min_test:
        return np.array([])
    lo, hi = logc[min_train - 1], logc[-min_test]
    for step in CUTOFF_STEPS:
        grid = (np.arange(np.floor(lo / step - 0.5), np.ceil(hi / step)) + 0.5) * step
        grid = grid[(grid > lo) & (grid <= hi)]
        # one cutoff per distinct set of runs below it
        grid = grid[np.unique(np.searchsorted(logc, grid), return_index=True)[1]]
        if grid.size <= MAX_CUTOFFS:
            break
    else:
        grid = grid[np.round(np.linspace(0, grid.size - 1, MAX_CUTOFFS)).astype(int)]
    return 10.0 ** np.round(grid, 6)


@dataclass(frozen=True)
class CutoffFit:
    """A form fitted to the runs below one cutoff, with its bootstrap refits."""

    theta: np.ndarray  # (P,)
    objective: float
    theta_boot: np.ndarray  # (B, P)
    residuals: np.ndarray


@dataclass(frozen=True)
class FormBacktest:
    """Every run scored by a form's fits below the cutoffs (one entry per cutoff and run above it)."""

    form: str
    cutoffs: np.ndarray  # cutoffs that had runs to fit and to score
    cutoff_of: np.ndarray  # (M,) index into cutoffs
    run_of: np.ndarray  # (M,) index of the scored run in the arrays given
    decades: np.ndarray  # (M,) log10(C / largest C the fit saw)
    observed: np.ndarray  # (M,)
    predicted: np.ndarray  # (M,) NaN where the fit failed
    bands: dict[float, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # level -> (lo, hi)

    @property
    def n_cutoffs(self) -> int:
        return int(np.unique(self.cutoff_of).size)

    @property
    def log_error(self) -> np.ndarray:
        """log(observed) - log(predicted)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.log(self.observed) - np.log(self.predicted)

    def abs_log_error(self) -> np.ndarray:
        """|log error|; infinite where the fit failed (a form that cannot predict loses)."""
        err = np.abs(self.log_error)
        return np.where(np.isfinite(err), err, np.inf)

    def inside(self, level: float) -> np.ndarray:
        lo, hi = self.bands[level]
        return (self.observed >= lo) & (self.observed <= hi)

    def buckets(self, edges: Sequence[float] = DISTANCE_EDGES) -> list[BucketScore]:
        out = []
        for lo, hi in zip(edges[:-1], edges[1:]):
            sel = (self.decades > lo) & (self.decades <= hi)
            if sel.any():
                out.append(bucket_score(self, sel, (float(lo), float(hi))))
        return out


@dataclass(frozen=True)
class BucketScore:
    decades: tuple[float, float]
    n: int  # runs scored in this bucket
    mean_decades: float
    mae_log: float  # mean |log observed - log predicted|
    mae_pct: float  # mean |observed - predicted| / observed, in %
    mae_nats: float  # mean |observed - predicted|, nats per token
    coverage: dict[float, float]  # level -> share of runs inside the raw (uncalibrated) band

    def to_json(self) -> dict:
        return {
            "decades": list(self.decades),
            "n": self.n,
            "mae_log": self.mae_log,
            "mae_pct": self.mae_pct,
            "mae_nats": self.mae_nats,
        } | {f"coverage{int(round(100 * lv))}": v for lv, v in self.coverage.items()}


def bucket_score(bt: FormBacktest, sel: np.ndarray, decades: tuple[float, float]) -> BucketScore:
    obs, pred = bt.observed[sel], bt.predicted[sel]
    with np.errstate(invalid="ignore"):
        err = np.abs(obs - pred)
    ok = np.isfinite(err).all()
    return BucketScore(
        decades,
        int(sel.sum()),
        float(bt.decades[sel].mean()),
        float(bt.abs_log_error()[sel].mean()),
        float(np.mean(100 * err / obs)) if ok else float("inf"),
        float(np.mean(err)) if ok else float("inf"),
        {lv: float(bt.inside(lv)[sel].mean()) for lv in bt.bands},
    )


def backtest_form(
    form: Candidate,
    N: np.ndarray,
    D: np.ndarray,
    loss: np.ndarray,
    cutoffs: np.ndarray,
    *,
    n_resamples: int = 100,
    seed: int = 0,
    delta: float = 1e-3,
    levels: Sequence[float] = SCORE_LEVELS,
    cache: MutableMapping | None = None,
    cache_key: tuple = (),
    rows: np.ndarray | None = None,
) -> FormBacktest:
    """Fit below each cutoff, score the runs at or above it, all cutoffs in one batch.

    cache: a mapping kept by the caller; each cutoff's fit is stored under cache_key plus the
    rows it fitted (`rows` names each run, e.g. its row in the user's table), and reused.
    """
    N, D, loss = (np.asarray(v, float) for v in (N, D, loss))
    C = 6.0 * N * D
    rows = np.arange(N.size) if rows is None else np.asarray(rows)
    masks, kept = [], []
    for cut in np.asarray(cutoffs, float):
        below = C < cut
        if below.sum() >= max(MIN_TRAIN, form.n_constants + 2) and (~below).any():
            masks.append(below)
            kept.append(cut)
    cutoffs = np.array(kept)
    fits: list[CutoffFit | None] = []
    keys = []
    for m in masks:
        key = (*cache_key, *form.key, n_resamples, seed, delta, rows[m].tobytes())
        keys.append(key)
        fits.append(cache.get(key) if cache is not None else None)
    todo = [k for k, f in enumerate(fits) if f is None]
    if todo:
        todo_masks = np.array([masks[k] for k in todo])
        found = fit_problems(form, N, D, loss, todo_masks, delta)
        boot = bootstrap_problems(form, N, D, loss, todo_masks, found.theta, n_resamples, seed, delta)
        for j, k in enumerate(todo):
            fits[k] = CutoffFit(found.theta[j], float(found.objective[j]), boot.theta_boot[j], boot.residuals[j])
            if cache is not None:
                cache[keys[k]] = fits[k]
    cutoff_of, run_of, decades, predicted = [], [], [], []
    lo_parts: dict[float, list[np.ndarray]] = {lv: [] for lv in levels}
    hi_parts: dict[float, list[np.ndarray]] = {lv: [] for lv in levels}
    for k, (m, fit) in enumerate(zip(masks, fits)):
        test = np.flatnonzero(~m)
        point = form.log_predict(fit.theta, N[test], D[test])[0]
        boot = form.log_predict(fit.theta_boot, N[test], D[test])
        if not np.isfinite(fit.objective):
            point = np.full(test.size, np.nan)
        bands = bands_from_samples(point, boot - point, fit.residuals, seed, levels)
        cutoff_of.append(np.full(test.size, k))
        run_of.append(test)
        decades.append(np.log10(C[test] / C[m].max()))
        predicted.append(bands.point)
        for lv in levels:
            lo_parts[lv].append(bands.prediction[lv][0])
            hi_parts[lv].append(bands.prediction[lv][1])

    def cat(parts: list[np.ndarray], dtype=float) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.array([], dtype)

    run_idx = cat(run_of, int)
    return FormBacktest(
        form.name,
        cutoffs,
        cat(cutoff_of, int),
        run_idx,
        cat(decades),
        loss[run_idx],
        cat(predicted),
        {lv: (cat(lo_parts[lv]), cat(hi_parts[lv])) for lv in levels},
    )


# ---------------------------------------------------------------------------------------------
# Choosing the form

RULE = (
    "the form with the lowest backtest error (mean |log-loss error|) at the largest distance the runs "
    f"allow (the farthest distance group with at least {MIN_BUCKET_POINTS} scored runs); among forms within "
    "one standard error of it (paired over the same runs), the one with the fewest constants"
)


@dataclass(frozen=True)
class Standing:
    form: str
    n_constants: int
    mae_log: float  # at the deciding distance
    se_vs_best: float  # standard error of the paired difference to the best form's error
    within_noise: bool


@dataclass(frozen=True)
class Selection:
    recommended: str
    decided_by: str  # "backtest" or "default" (too few cutoffs to decide)
    decades: tuple[float, float] | None  # the deciding distance group
    n_points: int  # runs scored there
    standings: tuple[Standing, ...] = ()


DEFAULT_FORM = "chinchilla"


def select_form(backtests: dict[str, FormBacktest], n_constants: dict[str, int]) -> Selection:
    """The recommended form by the rule in RULE; the free Chinchilla form when the backtest is too
    small to decide (fewer than MIN_CUTOFFS cutoffs with runs above them)."""
    default = DEFAULT_FORM if DEFAULT_FORM in backtests else next(iter(backtests))
    reference = next(iter(backtests.values()), None)
    if reference is None or reference.n_cutoffs < MIN_CUTOFFS:
        return Selection(default, "default", None, 0)
    chosen_bucket = None
    for lo, hi in reversed(list(zip(DISTANCE_EDGES[:-1], DISTANCE_EDGES[1:]))):
        sel = (reference.decades > lo) & (reference.decades <= hi)
        if sel.sum() >= MIN_BUCKET_POINTS:
            chosen_bucket = ((float(lo), float(hi)), sel)
            break
    if chosen_bucket is None:
        return Selection(default, "default", None, 0)
    (lo, hi), sel = chosen_bucket
    # Every form scores the same runs in the same order (same cutoffs, same runs above them).
    errors = {name: bt.abs_log_error()[sel] for name, bt in backtests.items()}
    mae = {name: float(e.mean()) for name, e in errors.items()}
    best = min(mae, key=lambda name: mae[name])
    standings = []
    for name, err in errors.items():
        diff = err - errors[best]
        with np.errstate(invalid="ignore"):
            se = float(np.std(diff, ddof=1) / np.sqrt(diff.size)) if diff.size > 1 else float("inf")
        within = name == best or (np.isfinite(mae[name]) and mae[name] - mae[best] <= se)
        standings.append(Standing(name, n_constants[name], mae[name], 0.0 if name == best else se, bool(within)))
    eligible = [s for s in standings if s.within_noise]
    pick = min(eligible, key=lambda s: (s.n_constants, s.mae_log))
    return Selection(pick.form, "backtest", (lo, hi), int(sel.sum()), tuple(standings))
