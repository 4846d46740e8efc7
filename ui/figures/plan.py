"""Plan page: memory per accelerator as stacked bars, and the inference-aware trade-off.

Pure functions: arrays in, go.Figure out. No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .style import base_layout, count_label, decade_ticks

MEMORY_PARTS = ("weights", "gradients", "optimizer", "activations")
MEMORY_COLORS = {"weights": "#1f77b4", "gradients": "#ff7f0e", "optimizer": "#2ca02c", "activations": "#9467bd"}
CAPACITY_COLOR = "#d62728"


def memory_bars(
    categories: Sequence[str],
    parts_gb: Mapping[str, np.ndarray],
    capacity_gb: float,
    chosen: int,
    *,
    labels: Mapping[str, str],
    title: str,
    height: int = 380,
) -> go.Figure:
    """Stacked bars of weights, gradients, optimizer states and activations (GB per accelerator),
    one bar per category (the ZeRO stages), the chosen one opaque, and the accelerator's memory as a
    dashed line."""
    fig = go.Figure()
    opacity = [1.0 if i == chosen else 0.45 for i in range(len(categories))]
    for part in MEMORY_PARTS:
        values = np.asarray(parts_gb[part], dtype=float)
        fig.add_trace(
            go.Bar(
                x=list(categories),
                y=values,
                name=labels[f"plan.mem.{part}"],
                marker=dict(color=MEMORY_COLORS[part], opacity=opacity),
                hovertemplate=f"{labels[f'plan.mem.{part}']}: %{{y:.3~f}} GB<extra>%{{x}}</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=list(categories),
            y=[capacity_gb] * len(categories),
            mode="lines",
            name=labels["plan.mem.capacity"].format(gb=f"{capacity_gb:g}"),
            line=dict(color=CAPACITY_COLOR, dash="dash", width=2),
            hovertemplate=f"{labels['plan.mem.capacity'].format(gb=f'{capacity_gb:g}')}<extra></extra>",
        )
    )
    totals = sum(np.asarray(parts_gb[p], dtype=float) for p in MEMORY_PARTS)
    top = float(max(np.max(totals), capacity_gb))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=labels["plan.mem.axis"], range=[0, top * 1.08], rangemode="tozero")
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(categories),
        ticktext=[f"<b>{c}</b>" if i == chosen else c for i, c in enumerate(categories)],
    )
    fig = base_layout(fig, title, height).update_layout(legend=dict(y=-0.22))
    return fig.update_layout(margin=dict(t=50 if title else 20))


def inference_tradeoff(
    inference_tokens: np.ndarray,
    params_ratio: np.ndarray,
    saving_fraction: np.ndarray,
    chosen: float | None,
    chosen_ratio: float | None,
    chosen_saving: float | None,
    *,
    labels: Mapping[str, str],
    title: str,
    height: int = 460,
) -> go.Figure:
    """Against lifetime inference tokens: the inference-aware model size as a fraction of the
    compute-optimal one (top), and the share of total FLOPs it saves (bottom)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    x = np.asarray(inference_tokens, dtype=float)
    color = "#1f77b4"
    fig.add_trace(
        go.Scatter(
            x=x,
            y=params_ratio,
            mode="lines",
            name=labels["plan.inf.ratio"],
            line=dict(color=color, width=2.5),
            hovertemplate=f"D_inf = %{{x:.3~e}}<br>{labels['plan.inf.ratio']}: %{{y:.3f}}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=100.0 * np.asarray(saving_fraction, dtype=float),
            mode="lines",
            name=labels["plan.inf.saving"],
            line=dict(color="#2ca02c", width=2.5),
            hovertemplate=f"D_inf = %{{x:.3~e}}<br>{labels['plan.inf.saving']}: %{{y:.2f}}%<extra></extra>",
        ),
        row=2,
        col=1,
    )
    if chosen is not None and chosen_ratio is not None and chosen_saving is not None:
        for row, y in ((1, chosen_ratio), (2, 100.0 * chosen_saving)):
            fig.add_trace(
                go.Scatter(
                    x=[chosen],
                    y=[y],
                    mode="markers",
                    name=labels["plan.inf.yours"],
                    legendgroup="yours",
                    showlegend=row == 1,
                    marker=dict(size=11, color="#d62728", symbol="diamond", line=dict(color="white", width=1)),
                    hovertemplate=f"{labels['plan.inf.yours']}: D_inf = {count_label(chosen)}<br>%{{y:.3f}}<extra></extra>",
                ),
                row=row,
                col=1,
            )
    ticks = decade_ticks(float(x.min()), float(x.max()))
    fig.update_xaxes(type="log", row=1, col=1, **ticks)
    fig.update_xaxes(type="log", title=labels["plan.inf.axis"], row=2, col=1, **ticks)
    fig.update_yaxes(title=labels["plan.inf.ratio_axis"], row=1, col=1)
    fig.update_yaxes(title=labels["plan.inf.saving_axis"], rangemode="tozero", row=2, col=1)
    fig = base_layout(fig, title, height).update_layout(legend=dict(y=-0.2))
    return fig.update_layout(margin=dict(t=50 if title else 20))
