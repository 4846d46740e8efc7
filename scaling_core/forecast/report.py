"""Which runs a forecast fits, and its results as plain records (for the command line's JSON,
the page's tables and downloads)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..extrapolate import Bands
from ..fit import top_loss_mask
from .backtest import RULE, FormBacktest
from .compare import Comparison, Forecast


@dataclass(frozen=True)
class Split:
    """Per run of the table: fitted, held out (a loss the fit did not see), excluded, target."""

    train: np.ndarray
    held: np.ndarray
    excluded: np.ndarray  # left out as one of the highest losses
    targets: np.ndarray


def split_runs(
    loss: np.ndarray,
    targets: np.ndarray,
    below: np.ndarray,
    exclude_top_loss: int = 0,
) -> Split:
    """Fit the runs with a loss that are below the cutoff (below) and not targets, less the
    exclude_top_loss highest losses among them; every other run with a loss is held out."""
    has_loss = np.isfinite(loss)
    candidates = has_loss & ~targets & below
    excluded = np.zeros(loss.size, bool)
    if exclude_top_loss > 0 and candidates.any():
        idx = np.flatnonzero(candidates)
        excluded[idx[~top_loss_mask(loss[idx], exclude_top_loss)]] = True
    train = candidates & ~excluded
    held = has_loss & ~train & ~excluded
    return Split(train, held, excluded, targets)


def backtest_summary(bt: FormBacktest) -> dict[str, Any]:
    """Error and raw band coverage over every run the backtest scored, and by distance."""
    err = bt.abs_log_error()
    with np.errstate(invalid="ignore"):
        rel = np.abs(bt.observed - bt.predicted)
    ok = bt.decades.size > 0
    return {
        "mae_log": float(err.mean()) if ok else None,
        "mae_pct": float(np.mean(100 * rel / bt.observed)) if ok else None,
        "mae_nats": float(np.mean(rel)) if ok else None,
        "coverage80": float(bt.inside(0.8).mean()) if ok else None,
        "coverage95": float(bt.inside(0.95).mean()) if ok else None,
        "n_points": int(bt.decades.size),
        "n_cutoffs": bt.n_cutoffs,
        "by_distance": [b.to_json() for b in bt.buckets()],
    }


def candidates_json(comparison: Comparison) -> list[dict[str, Any]]:
    return [
        {
            "form": name,
            "n_constants": fit.form.n_constants,
            "constraint": fit.form.constraint.to_json() if hasattr(fit.form, "constraint") else None,
            "params": fit.law.params() if fit.ok else None,
            "objective": fit.objective,
            "recommended": name == comparison.recommended,
            "backtest": backtest_summary(comparison.backtests[name]),
        }
        for name, fit in comparison.fits.items()
    ]


def selection_json(comparison: Comparison) -> dict[str, Any]:
    s = comparison.selection
    return {
        "recommended": s.recommended,
        "decided_by": s.decided_by,
        "rule": RULE,
        "decades": None if s.decades is None else list(s.decades),
        "n_points": s.n_points,
        "standings": [
            {
                "form": t.form,
                "n_constants": t.n_constants,
                "mae_log": t.mae_log,
                "se": t.se_vs_best,
                "within_noise": t.within_noise,
            }
            for t in s.standings
        ],
    }


def band_record(bands: Bands, i: int) -> dict[str, Any]:
    out: dict[str, Any] = {"predicted": float(bands.point[i])}
    for level in sorted(bands.prediction):
        lo, hi = bands.prediction[level]
        out[f"pi{int(round(100 * level))}"] = [float(lo[i]), float(hi[i])]
    if 0.95 in bands.confidence:
        lo, hi = bands.confidence[0.95]
        out["ci95"] = [float(lo[i]), float(hi[i])]
    return out


def scored_record(record: dict[str, Any], observed: float) -> dict[str, Any]:
    """A prediction record with the observed loss and how it fell."""
    p = record["predicted"]
    out = dict(record, observed=float(observed))
    for level in (80, 95):
        lo, hi = record[f"pi{level}"]
        out[f"in{level}"] = bool(lo <= observed <= hi)
    out["error_pct"] = 100 * (observed - p) / p
    out["error_nats"] = float(observed - p)
    return out


def prediction_records(
    result: Forecast,
    N: np.ndarray,
    D: np.ndarray,
    C: np.ndarray,
    names: np.ndarray,
    rows: np.ndarray,
    observed: np.ndarray | None = None,
) -> list[dict[str, Any]]:
    """One record per run: its place, the forecast with bands, and how it fared when observed."""
    if N.size == 0:
        return []
    bands = result.predict(N, D)
    decades = result.decades(N, D)
    out = []
    for i in range(N.size):
        record = {
            "row": int(rows[i]),
            "name": str(names[i]),
            "N": float(N[i]),
            "D": float(D[i]),
            "C": float(C[i]),
            "decades": float(decades[i]),
        } | band_record(bands, i)
        if observed is not None and np.isfinite(observed[i]):
            record = scored_record(record, float(observed[i]))
        out.append(record)
    return out
