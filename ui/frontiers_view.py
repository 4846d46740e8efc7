"""Numbers for the Frontiers page, from the core, shaped for ui.figures (no Streamlit here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from scaling_core.frontier import Allocation, iso_flop_profile, kaplan_published_allocation, optimal_allocation
from scaling_core.io import KnownModels
from scaling_core.laws import JointLaw
from scaling_core.presets import ALLOCATIONS, KAPLAN_ALLOCATION, PRESETS, AllocationRule
from ui import figures

KAPLAN_TABLE6 = "kaplan_table6"
DEFAULT_LAWS = ("kaplan2020", KAPLAN_TABLE6, "hoffmann2022", "hoffmann2022_unrounded", "epoch2024")
# Allocation rules (no loss) join the list; kaplan2020_table6 is already here as KAPLAN_TABLE6.
COMPARABLE = DEFAULT_LAWS + ("muennighoff2023",) + tuple(k for k in ALLOCATIONS if k != "kaplan2020_table6")
BUDGETS = np.logspace(18, 27, 181)


@dataclass(frozen=True)
class LawEntry:
    """One line on the Frontiers page: a preset, Kaplan's published trend, or a fitted law."""

    key: str  # colour key (ui.figures.LAW_COLORS)
    label: str
    source: str
    law: JointLaw | None  # None: a published allocation rule, which has no loss
    rule: AllocationRule | None = None  # None with no law: Kaplan's Table 6 trend

    def allocation(self, C: np.ndarray | float) -> Allocation:
        if self.law is not None:
            return optimal_allocation(self.law, C)
        if self.rule is None:
            return kaplan_published_allocation(C)
        N, D = self.rule.allocate(C)
        return Allocation(np.asarray(C, dtype=float), N, D, np.full_like(N, np.nan))

    @property
    def dash(self) -> str:
        return "dash" if self.law is None else "solid"


def law_label(key: str, labels: Mapping[str, str]) -> str:
    if key == KAPLAN_TABLE6:
        return labels["frontiers.kaplan_table6"]
    return ALLOCATIONS[key].label if key in ALLOCATIONS else PRESETS[key].label


def _entry(key: str, labels: Mapping[str, str]) -> LawEntry:
    if key == KAPLAN_TABLE6:
        return LawEntry(key, law_label(key, labels), KAPLAN_ALLOCATION.citation, None)
    if key in ALLOCATIONS:
        rule = ALLOCATIONS[key]
        return LawEntry(key, rule.label, rule.citation, None, rule)
    return LawEntry(key, PRESETS[key].label, PRESETS[key].citation, PRESETS[key].law)


def entries(keys: Sequence[str], labels: Mapping[str, str], fitted: JointLaw | None = None) -> list[LawEntry]:
    out = [_entry(key, labels) for key in keys]
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
