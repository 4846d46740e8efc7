"""Prediction bands calibrated by the backtest (a conformal-style scale factor per distance).

Every run the backtest scored was predicted by a fit that never saw it, with a bootstrap band
made the same way as the final one. Its score at level l is how far out it fell in units of
that band: s = |log error| / (half-width of the l band on the side it fell). The band covers it
when s <= 1. For a level l and m scores, the split-conformal factor is the ceil((m + 1) l)-th
smallest score (Vovk et al. 2005; Lei et al. 2018): scaling the band by it would have covered
that share of the backtest's runs. Errors grow with distance faster or slower than the
bootstrap expects, so the factor is measured per distance group (groups short of the
ceil(l / (1 - l)) scores the quantile needs borrow from their nearest neighbours) and
interpolated linearly in distance between the groups' mean distances, held flat beyond them.

The band is then floored by the replicate noise when there are at least 3 groups of replicates:
no single run's band is narrower than +-z sigma_replicates (z the normal quantile of the level),
the run-to-run noise the replicates measured directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import ceil
from statistics import NormalDist

import numpy as np

from ..extrapolate import Bands
from .backtest import DISTANCE_EDGES, MIN_CUTOFFS, FormBacktest
from .replicates import ReplicateNoise

CALIBRATED_LEVELS = (0.5, 0.8, 0.95)


def needed_scores(level: float) -> int:
    """Scores a conformal quantile at `level` needs to be finite: ceil(l / (1 - l)) (19 at 95%)."""
    return int(ceil(level / (1.0 - level) - 1e-9))


def conformal_factor(scores: np.ndarray, level: float) -> float:
    """The ceil((m + 1) l)-th smallest of m scores; the largest when m is too small for that.
    NaN scores (no prediction: the fit failed) are left out; an infinite one counts as a miss."""
    s = np.sort(scores[~np.isnan(scores)])
    if s.size == 0:
        return float("nan")
    k = int(ceil((s.size + 1) * level - 1e-9))
    return float(s[min(k, s.size) - 1])


def z_of(level: float) -> float:
    return NormalDist().inv_cdf(0.5 + level / 2)


@dataclass(frozen=True)
class Calibration:
    """How the chosen form's prediction bands are set: "backtest" (scaled per distance by the
    backtest's conformal factors) or "bootstrap" (the fallback: double-bootstrap bands as they are)."""

    kind: str
    n_cutoffs: int
    n_points: int  # backtest runs scored
    distances: np.ndarray = field(default_factory=lambda: np.array([]))  # mean decades of each group
    groups: tuple[tuple[float, float], ...] = ()
    factors: dict[float, np.ndarray] = field(default_factory=dict)  # level -> factor per group
    points: dict[float, np.ndarray] = field(default_factory=dict)  # level -> scores behind each factor
    floor_sigma: float | None = None  # replicate noise used as the band's floor (log-loss)

    def factor(self, level: float, decades: np.ndarray) -> np.ndarray:
        """The scale factor at each distance (decades beyond the largest fitted run)."""
        decades = np.atleast_1d(np.asarray(decades, float))
        if self.kind != "backtest":
            return np.ones_like(decades)
        return np.interp(decades, self.distances, self.factors[level])

    def apply(self, bands: Bands, decades: np.ndarray) -> Bands:
        """Bands scaled by the level's factor at each target's distance, floored, and nested.

        The law's own band (confidence) is scaled by the same factor as the prediction band of
        its level: the backtest measures the whole extrapolation error, of which the law's is a
        part, and a prediction band must still contain the law's band. Levels stay nested (a
        95% band contains the 80% band) even where the 80% factor is the larger."""
        point = np.log(bands.point)
        prediction, confidence = {}, {}
        inner_down = inner_up = np.zeros_like(point)
        for level in sorted(bands.prediction):
            lo, hi = bands.prediction[level]
            down, up = point - np.log(lo), np.log(hi) - point
            f = self.factor(level, decades) if self.kind == "backtest" and level in self.factors else 1.0
            down, up = down * f, up * f
            if level in bands.confidence:
                clo, chi = bands.confidence[level]
                c_down, c_up = (point - np.log(clo)) * f, (np.log(chi) - point) * f
                confidence[level] = (np.exp(point - c_down), np.exp(point + c_up))
                down, up = np.maximum(down, c_down), np.maximum(up, c_up)
            if self.floor_sigma is not None:
                floor = z_of(level) * self.floor_sigma
                down, up = np.maximum(down, floor), np.maximum(up, floor)
            inner_down, inner_up = np.maximum(down, inner_down), np.maximum(up, inner_up)
            prediction[level] = (np.exp(point - inner_down), np.exp(point + inner_up))
        return Bands(bands.point, confidence, prediction)

    def to_json(self) -> dict:
        out: dict = {"kind": self.kind, "n_cutoffs": self.n_cutoffs, "n_points": self.n_points}
        if self.kind == "backtest":
            out["groups"] = [
                {"decades": list(g), "mean_decades": float(d)}
                | {f"factor{int(round(100 * lv))}": float(self.factors[lv][i]) for lv in self.factors}
                | {f"points{int(round(100 * lv))}": int(self.points[lv][i]) for lv in self.points}
                for i, (g, d) in enumerate(zip(self.groups, self.distances))
            ]
        out["replicate_floor_sigma_log"] = self.floor_sigma
        return out


def scores(bt: FormBacktest, level: float) -> np.ndarray:
    """Each scored run's distance out, in units of the level's band half-width on its side."""
    lo, hi = bt.bands[level]
    with np.errstate(invalid="ignore", divide="ignore"):
        err = np.log(bt.observed) - np.log(bt.predicted)
        half = np.where(err > 0, np.log(hi) - np.log(bt.predicted), np.log(bt.predicted) - np.log(lo))
        s = np.abs(err) / half
    # NaN where there was no prediction (the fit failed); inf where the band had no width there.
    return np.where(np.isfinite(bt.predicted), np.where(np.isnan(s), np.inf, s), np.nan)


def calibrate(
    bt: FormBacktest | None,
    noise: ReplicateNoise | None = None,
    levels: Sequence[float] = CALIBRATED_LEVELS,
    edges: Sequence[float] = DISTANCE_EDGES,
) -> Calibration:
    """Factors per distance group from the chosen form's backtest; the bootstrap fallback when
    fewer than MIN_CUTOFFS cutoffs had runs above them."""
    floor = noise.sigma_log if noise is not None and noise.usable else None
    if bt is None or bt.n_cutoffs < MIN_CUTOFFS or bt.decades.size == 0:
        return Calibration(
            "bootstrap", 0 if bt is None else bt.n_cutoffs, 0 if bt is None else int(bt.decades.size), floor_sigma=floor
        )
    groups, members = [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = np.flatnonzero((bt.decades > lo) & (bt.decades <= hi))
        if sel.size:
            groups.append((float(lo), float(hi)))
            members.append(sel)
    distances = np.array([bt.decades[m].mean() for m in members])
    factors, points = {}, {}
    for level in levels:
        s = scores(bt, level)
        need = needed_scores(level)
        f_level, n_level = [], []
        for g in range(len(groups)):
            # Nearest groups first (farther ones first on a tie: errors grow with distance).
            order = sorted(range(len(groups)), key=lambda o: (abs(distances[o] - distances[g]), -distances[o]))
            pooled = []
            for o in order:
                pooled.extend(members[o])
                if len(pooled) >= need:
                    break
            f_level.append(conformal_factor(s[pooled], level))
            n_level.append(len(pooled))
        factors[level] = np.array(f_level)
        points[level] = np.array(n_level)
    return Calibration("backtest", bt.n_cutoffs, int(bt.decades.size), distances, tuple(groups), factors, points, floor)


def describe(calibration: Calibration) -> str:
    """One sentence on how the bands were set (the command line's JSON; the page translates its own)."""
    if calibration.kind == "backtest":
        text = (
            f"bootstrap bands scaled per distance by conformal factors from the backtest "
            f"({calibration.n_points} runs scored below {calibration.n_cutoffs} cutoffs)"
        )
    else:
        text = (
            f"double-bootstrap bands, not calibrated: the backtest had {calibration.n_cutoffs} cutoffs with runs "
            f"above them (at least {MIN_CUTOFFS} are needed)"
        )
    if calibration.floor_sigma is not None:
        text += f"; floored by the replicates' run-to-run noise (sigma = {calibration.floor_sigma:.2g} in log-loss)"
    return text
