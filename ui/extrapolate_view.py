"""The Extrapolate page's computations (cached) and tables; figures come from ui.figures."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import streamlit as st

from scaling_core.extrapolate import (
    Backtest,
    BandModel,
    backtest,
    default_cutoffs,
    fit_with_bands,
    frontier_bands,
    holdout_report,
)
from scaling_core.frontier import optimal_allocation
from scaling_core.io import RunTable
from ui import figures
from ui.i18n import t
from ui.memo import memoize
from ui.run_input import LoadedRuns

DECADES_PAST = 3.0  # bands reach this far beyond the largest run


def model_compute(runs: RunTable) -> np.ndarray:
    """C = 6ND for every run: the compute the fitted law and its frontier are written in (a C
    column in the table may count FLOPs differently, e.g. with attention or embeddings)."""
    return 6.0 * runs.N * runs.D


def _progress_bar():
    bar = st.empty()

    def update(fraction: float, stage: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=t(f"progress.{stage}"))

    return bar, update


@memoize(max_entries=32)
def _band_model(
    key: str, train_rows: tuple[int, ...], boot: int, seed: int, exclude: int, *, _runs: RunTable, _progress=None
) -> BandModel:
    rows = np.array(train_rows, int)
    return fit_with_bands(
        _runs.N[rows],
        _runs.D[rows],
        _runs.loss[rows],
        n_resamples=boot,
        seed=seed,
        exclude_top_loss=exclude,
        progress=_progress,
    )


def band_model(loaded: LoadedRuns, train: np.ndarray, boot: int, seed: int, exclude: int) -> BandModel:
    bar, update = _progress_bar()
    try:
        rows = tuple(int(i) for i in np.flatnonzero(train))
        return _band_model(loaded.key, rows, boot, seed, exclude, _runs=loaded.runs, _progress=update)
    finally:
        bar.empty()


@memoize(max_entries=8)
def _backtest(key: str, boot: int, seed: int, *, _runs: RunTable, _progress=None) -> Backtest:
    r = _runs
    return backtest(
        r.N, r.D, r.loss, default_cutoffs(model_compute(r)), n_resamples=boot, seed=seed, progress=_progress
    )


def run_backtest(loaded: LoadedRuns, boot: int, seed: int) -> Backtest:
    bar, update = _progress_bar()
    try:
        return _backtest(loaded.key, boot, seed, _runs=loaded.runs, _progress=update)
    finally:
        bar.empty()


def band_chart(
    model: BandModel, runs: RunTable, train: np.ndarray, axis: str, cutoff: float | None, labels: Mapping[str, str]
):
    """Bands along the fitted frontier, from a decade below the smallest run to DECADES_PAST beyond the largest."""
    compute = model_compute(runs)
    c_lo, c_hi = compute.min() / 10, compute.max() * 10**DECADES_PAST
    budgets = np.logspace(np.log10(c_lo), np.log10(c_hi), 160)
    N, D, bands = frontier_bands(model, budgets)
    x = {"C": budgets, "N": N, "D": D}[axis]
    run_x = {"C": compute, "N": runs.N, "D": runs.D}[axis]
    title = {
        "C": labels["axis.compute"],
        "N": labels["axis.params"] + " (N_opt)",
        "D": labels["axis.tokens"] + " (D_opt)",
    }[axis]
    return figures.band_figure(
        x,
        bands.point,
        bands.prediction,
        bands.confidence[0.95],
        (run_x[train], runs.loss[train]),
        (run_x[~train], runs.loss[~train]),
        x_title=title,
        labels=labels,
        cutoff=cutoff if axis == "C" else None,
    )


def holdout_table(model: BandModel, runs: RunTable, held: np.ndarray, labels: Mapping[str, str]):
    """(report, table) for the held-out runs."""
    report = holdout_report(model, runs.N[held], runs.D[held], runs.loss[held])
    lo80, hi80 = report.prediction[0.8]
    lo95, hi95 = report.prediction[0.95]
    table = pd.DataFrame(
        {
            labels["col.run"]: runs.names[held],
            "N": [figures.count_label(v) for v in runs.N[held]],
            "D": [figures.count_label(v) for v in runs.D[held]],
            "6ND (FLOPs)": [figures.flops_label(v) for v in model_compute(runs)[held]],
            labels["col.observed"]: np.round(report.observed, 4),
            labels["col.predicted"]: np.round(report.predicted, 4),
            labels["col.error"]: np.round(report.log_error, 4),
            "80% lo": np.round(lo80, 4),
            "80% hi": np.round(hi80, 4),
            labels["col.in80"]: report.inside(0.8),
            "95% lo": np.round(lo95, 4),
            "95% hi": np.round(hi95, 4),
            labels["col.in95"]: report.inside(0.95),
        }
    )
    return report, table


def _loss_text(value: float) -> str:
    """'2.1234', or '—' for no finite value (a degenerate fit's optimum)."""
    return f"{value:.4f}" if np.isfinite(value) else "—"


def _loss_interval(lo: float, hi: float) -> str:
    lo_text, hi_text = _loss_text(lo), _loss_text(hi)
    return "—" if "—" in (lo_text, hi_text) else f"{lo_text} – {hi_text}"


def target_summary(model: BandModel, N: float, D: float, labels: Mapping[str, str]) -> pd.DataFrame:
    bands = model.bands(np.array([N]), np.array([D]))
    rows = [{labels["col.quantity"]: labels["target.loss_point"], labels["col.value"]: _loss_text(bands.point[0])}]
    for level in (0.5, 0.8, 0.95):
        lo, hi = bands.prediction[level]
        clo, chi = bands.confidence[level]
        rows.append(
            {
                labels["col.quantity"]: labels["target.prediction"].format(level=int(100 * level)),
                labels["col.value"]: _loss_interval(lo[0], hi[0]),
            }
        )
        rows.append(
            {
                labels["col.quantity"]: labels["target.confidence"].format(level=int(100 * level)),
                labels["col.value"]: _loss_interval(clo[0], chi[0]),
            }
        )
    return pd.DataFrame(rows)


def optimum_summary(model: BandModel, compute: float, labels: Mapping[str, str]) -> tuple[float, float, pd.DataFrame]:
    """(N_opt, D_opt, table with their 95% intervals) at a budget, allocated by the fitted law."""
    N_s, D_s = model.optimal_allocation_samples(compute)
    alloc = optimal_allocation(model.fit.law, compute)
    out = []
    for name, point, samples in (("N_opt", float(alloc.N_opt), N_s), ("D_opt", float(alloc.D_opt), D_s)):
        lo, hi = np.nanpercentile(samples, [2.5, 97.5])
        out.append(
            {
                labels["col.quantity"]: name,
                labels["col.value"]: figures.count_label(point),
                labels["col.interval"]: (
                    f"{figures.count_label(lo)} – {figures.count_label(hi)}" if np.isfinite([lo, hi]).all() else "—"
                ),
            }
        )
    return float(alloc.N_opt), float(alloc.D_opt), pd.DataFrame(out)


def backtest_section(loaded: LoadedRuns, boot: int, seed: int, labels: Mapping[str, str]) -> None:
    """The backtest's table and its error/coverage-by-distance chart."""
    result = run_backtest(loaded, boot, seed)
    if not result.rows:
        st.info(t("extrap.backtest_empty"), icon=":material/info:")
        return
    rows = [
        {
            t("extrap.cut_col"): f"{r.cutoff:.2e}",
            t("extrap.train_col"): r.n_train,
            t("extrap.test_col"): r.n_test,
            labels["fig.mae"]: round(r.mae_log, 4),
            "80%": f"{r.coverage[0.8]:.0%}",
            "95%": f"{r.coverage[0.95]:.0%}",
        }
        for r in result.rows
    ]
    st.dataframe(rows, hide_index=True)
    st.plotly_chart(figures.backtest_figure(result.by_distance(), labels=labels), width="stretch", key="backtest_fig")
