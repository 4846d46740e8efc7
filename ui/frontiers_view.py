"""Numbers for the Frontiers page, from the core, shaped for ui.figures (no Streamlit here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from scaling_core.frontier import Allocation, iso_flop_profile, kaplan_published_allocation, optimal_allocation
from scaling_core.io import KnownModels
from scaling_core.presets import KAPLAN_ALLOCATION, PRESETS
from ui import figures

KAPLAN_TABLE6 = "kaplan_table6"
COMPARABLE = ("kaplan2020", KAPLAN_TABLE6, "hoffmann2022", "hoffmann2022_unrounded", "epoch2024")
BUDGETS = np.logspace(18, 27, 181)


def law_label(key: str, labels: Mapping[str, str]) -> str:
    return labels["frontiers.kaplan_table6"] if key == KAPLAN_TABLE6 else PRESETS[key].label


def law_source(key: str) -> str:
    return KAPLAN_ALLOCATION.citation if key == KAPLAN_TABLE6 else PRESETS[key].citation


def allocation(key: str, C: np.ndarray | float) -> Allocation:
    if key == KAPLAN_TABLE6:
        return kaplan_published_allocation(C)
    return optimal_allocation(PRESETS[key].law, C)


def frontier_figure(
    keys: Sequence[str], labels: Mapping[str, str], models: KnownModels | None, budget: float
) -> go.Figure:
    series = []
    for key in keys:
        a = allocation(key, BUDGETS)
        dash = "dash" if key == KAPLAN_TABLE6 else "solid"
        series.append(figures.FrontierSeries(key, law_label(key, labels), a.compute, a.N_opt, a.D_opt, a.loss, dash))
    points = figures.ModelPoints(models.name, models.N, models.D, np.full(len(models.N), np.nan)) if models else None
    return figures.frontier_panels(series, labels=labels, models=points, budget=budget)


def budget_optima(keys: Sequence[str], budget: float) -> list[tuple[str, Allocation]]:
    return [(key, allocation(key, np.array([budget]))) for key in keys]


def valley_figure(keys: Sequence[str], labels: Mapping[str, str], budget: float, points: int = 200) -> go.Figure:
    """L(N | C) at one budget for each law; N spans the optima of all laws, widened 30x each side."""
    optima = budget_optima(keys, budget)
    n_opts = np.array([float(a.N_opt[0]) for _, a in optima]) if optima else np.array([budget**0.5 / 10])
    N = np.logspace(np.log10(n_opts.min() / 30), np.log10(min(n_opts.max() * 30, budget / 6 / 10)), points)
    valleys = []
    for key, a in optima:
        loss = np.full_like(N, np.nan) if key == KAPLAN_TABLE6 else iso_flop_profile(PRESETS[key].law, budget, N)
        valleys.append(figures.Valley(key, law_label(key, labels), N, loss, float(a.N_opt[0]), float(a.loss[0])))
    title = f"{labels['frontiers.valley_title']} (C = {figures.flops_label(budget)} FLOPs)"
    return figures.isoflop_valleys(valleys, labels=labels, title=title)


def teaser_figure(labels: Mapping[str, str]) -> go.Figure:
    keys = ("kaplan2020", KAPLAN_TABLE6, "hoffmann2022", "epoch2024")
    budgets = BUDGETS[::4]
    series = []
    for key in keys:
        a = allocation(key, budgets)
        dash = "dash" if key == KAPLAN_TABLE6 else "solid"
        series.append(figures.FrontierSeries(key, law_label(key, labels), a.compute, a.N_opt, a.D_opt, a.loss, dash))
    return figures.tokens_per_param_teaser(series, labels=labels)
