"""Numbers for the Frontiers page, from the core, shaped for ui.figures (no Streamlit here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from scaling_core.frontier import Allocation, iso_flop_profile, kaplan_published_allocation, optimal_allocation
from scaling_core.io import KnownModels
from scaling_core.laws import JointLaw
from scaling_core.presets import KAPLAN_ALLOCATION, PRESETS
from ui import figures

KAPLAN_TABLE6 = "kaplan_table6"
COMPARABLE = ("kaplan2020", KAPLAN_TABLE6, "hoffmann2022", "hoffmann2022_unrounded", "epoch2024")
BUDGETS = np.logspace(18, 27, 181)


@dataclass(frozen=True)
class LawEntry:
    """One line on the Frontiers page: a preset, Kaplan's published trend, or a fitted law."""

    key: str  # colour key (ui.figures.LAW_COLORS)
    label: str
    source: str
    law: JointLaw | None  # None: Kaplan's published allocation, which has no loss

    def allocation(self, C: np.ndarray | float) -> Allocation:
        if self.law is None:
            return kaplan_published_allocation(C)
        return optimal_allocation(self.law, C)

    @property
    def dash(self) -> str:
        return "dash" if self.law is None else "solid"


def law_label(key: str, labels: Mapping[str, str]) -> str:
    return labels["frontiers.kaplan_table6"] if key == KAPLAN_TABLE6 else PRESETS[key].label


def entries(keys: Sequence[str], labels: Mapping[str, str], fitted: JointLaw | None = None) -> list[LawEntry]:
    out = [
        LawEntry(key, law_label(key, labels), KAPLAN_ALLOCATION.citation, None)
        if key == KAPLAN_TABLE6
        else LawEntry(key, PRESETS[key].label, PRESETS[key].citation, PRESETS[key].law)
        for key in keys
    ]
    if fitted is not None:
        out.append(LawEntry("fit", labels["frontiers.your_fit"], labels["frontiers.your_fit_source"], fitted))
    return out


def frontier_figure(
    laws: Sequence[LawEntry], labels: Mapping[str, str], models: KnownModels | None, budget: float
) -> go.Figure:
    series = []
    for entry in laws:
        a = entry.allocation(BUDGETS)
        series.append(figures.FrontierSeries(entry.key, entry.label, a.compute, a.N_opt, a.D_opt, a.loss, entry.dash))
    points = figures.ModelPoints(models.name, models.N, models.D, np.full(len(models.N), np.nan)) if models else None
    return figures.frontier_panels(series, labels=labels, models=points, budget=budget)


def budget_optima(laws: Sequence[LawEntry], budget: float) -> list[tuple[LawEntry, Allocation]]:
    return [(entry, entry.allocation(np.array([budget]))) for entry in laws]


def valley_figure(laws: Sequence[LawEntry], labels: Mapping[str, str], budget: float, points: int = 200) -> go.Figure:
    """L(N | C) at one budget for each law; N spans the optima of all laws, widened 30x each side."""
    optima = budget_optima(laws, budget)
    n_opts = np.array([float(a.N_opt[0]) for _, a in optima]) if optima else np.array([budget**0.5 / 10])
    N = np.logspace(np.log10(n_opts.min() / 30), np.log10(min(n_opts.max() * 30, budget / 6 / 10)), points)
    valleys = []
    for entry, a in optima:
        loss = np.full_like(N, np.nan) if entry.law is None else iso_flop_profile(entry.law, budget, N)
        valleys.append(figures.Valley(entry.key, entry.label, N, loss, float(a.N_opt[0]), float(a.loss[0])))
    title = f"{labels['frontiers.valley_title']} (C = {figures.flops_label(budget)} FLOPs)"
    return figures.isoflop_valleys(valleys, labels=labels, title=title)


def teaser_figure(labels: Mapping[str, str]) -> go.Figure:
    budgets = BUDGETS[::4]
    series = []
    for entry in entries(("kaplan2020", KAPLAN_TABLE6, "hoffmann2022", "epoch2024"), labels):
        a = entry.allocation(budgets)
        series.append(figures.FrontierSeries(entry.key, entry.label, a.compute, a.N_opt, a.D_opt, a.loss, entry.dash))
    return figures.tokens_per_param_teaser(series, labels=labels)
