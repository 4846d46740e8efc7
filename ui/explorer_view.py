"""Numbers for the Law Explorer, from the core, shaped for ui.figures (no Streamlit here)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from scaling_core.frontier import decades_between, iso_flop_segments, optimal_allocation
from scaling_core.io import KnownModels
from scaling_core.laws import JointLaw
from ui import figures

GRID_POINTS = 60  # contour grid per axis; chosen by bench/bench_explorer.py (payload vs. smoothness)
CURVE_POINTS = 120


def explorer_figures(
    law: JointLaw,
    log10_n_range: tuple[float, float],
    log10_d_range: tuple[float, float],
    models: KnownModels | None,
    labels: Mapping[str, str],
    color: str,
    grid_points: int = GRID_POINTS,
) -> tuple[go.Figure, go.Figure, go.Figure]:
    """(iso-loss map, L vs N at a few D, L vs D at a few N)."""
    N = np.logspace(*log10_n_range, grid_points)
    D = np.logspace(*log10_d_range, grid_points)
    loss = law.loss(N[None, :], D[:, None])

    n_line = np.logspace(*log10_n_range, CURVE_POINTS)
    c_lo, c_hi = 6 * N[0] * D[0], 6 * N[-1] * D[-1]
    budgets = decades_between(c_lo, c_hi)
    n_start, n_end = iso_flop_segments(budgets, (N[0], N[-1]), (D[0], D[-1]))
    keep = np.isfinite(n_start)
    segment_n = np.stack([n_start[keep], n_end[keep]], axis=1)
    lines = figures.IsoFlopLines(budgets[keep], segment_n, budgets[keep, None] / (6 * segment_n))
    frontier = optimal_allocation(law, np.logspace(np.log10(c_lo), np.log10(c_hi), CURVE_POINTS))
    inside = (frontier.N_opt >= N[0]) & (frontier.N_opt <= N[-1]) & (frontier.D_opt >= D[0]) & (frontier.D_opt <= D[-1])
    points = None
    if models is not None:
        points = figures.ModelPoints(models.name, models.N, models.D, law.loss(models.N, models.D))
    contour = figures.iso_loss_map(
        N,
        D,
        loss,
        iso_flop=lines,
        frontier_N=frontier.N_opt[inside],
        frontier_D=frontier.D_opt[inside],
        frontier_loss=frontier.loss[inside],
        models=points,
        labels=labels,
        color=color,
    )
    d_line = np.logspace(*log10_d_range, CURVE_POINTS)
    fixed_d = _spread(decades_between(D[0], D[-1]))
    fixed_n = _spread(decades_between(N[0], N[-1]))
    vs_n = figures.loss_curves(
        n_line,
        [(labels["fig.at_d"].format(d=figures.count_label(d)), law.loss(n_line, d)) for d in fixed_d],
        x_title=labels["axis.params"],
        title=labels["explorer.slices_n"],
        y_title=labels["axis.loss"],
    )
    vs_d = figures.loss_curves(
        d_line,
        [(labels["fig.at_n"].format(n=figures.count_label(n)), law.loss(n, d_line)) for n in fixed_n],
        x_title=labels["axis.tokens"],
        title=labels["explorer.slices_d"],
        y_title=labels["axis.loss"],
    )
    return contour, vs_n, vs_d


def _spread(values: np.ndarray, at_most: int = 5) -> np.ndarray:
    """At most `at_most` values, evenly picked, ends included."""
    if len(values) <= at_most:
        return values
    return values[np.round(np.linspace(0, len(values) - 1, at_most)).astype(int)]
