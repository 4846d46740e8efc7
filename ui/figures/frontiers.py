"""Frontiers page: compute-optimal N, D, tokens per parameter and loss against budget; iso-FLOP valleys.

Pure functions: arrays in, go.Figure out. No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .map import ModelPoints
from .style import LAW_COLORS, MODEL_COLOR, base_layout, decade_ticks, flops_label, plain_text


@dataclass(frozen=True)
class FrontierSeries:
    key: str  # colour key (preset name, "kaplan_table6" or "fit")
    name: str
    compute: np.ndarray
    N_opt: np.ndarray
    D_opt: np.ndarray
    loss: np.ndarray  # NaN where the law gives no loss
    dash: str = "solid"


def frontier_panels(
    series: Sequence[FrontierSeries],
    *,
    labels: Mapping[str, str],
    models: ModelPoints | None = None,
    budget: float | None = None,
    height: int = 720,
) -> go.Figure:
    """2x2 panels against compute: N_opt, D_opt, tokens per parameter, loss at the optimum."""
    titles = [labels["panel.n_opt"], labels["panel.d_opt"], labels["panel.ratio"], labels["panel.loss"]]
    fig = make_subplots(rows=2, cols=2, subplot_titles=titles, horizontal_spacing=0.09, vertical_spacing=0.12)
    cells = [(1, 1), (1, 2), (2, 1), (2, 2)]
    units = ["params", "tokens", "tokens/param", "nats/token"]
    for s in series:
        values = [s.N_opt, s.D_opt, s.D_opt / s.N_opt, s.loss]
        for i, ((row, col), y) in enumerate(zip(cells, values)):
            if not np.any(np.isfinite(y)):
                continue
            fig.add_trace(
                go.Scatter(
                    x=s.compute,
                    y=y,
                    mode="lines",
                    name=s.name,
                    legendgroup=s.key,
                    showlegend=i == 0,
                    line=dict(color=LAW_COLORS.get(s.key, "#333"), width=2.5, dash=s.dash),
                    hovertemplate=f"{s.name}<br>C = %{{x:.3~e}} FLOPs<br>%{{y:.4~g}} {units[i]}<extra></extra>",
                ),
                row=row,
                col=col,
            )
    if models is not None and len(models.name):
        C = 6 * models.N * models.D
        for i, y in enumerate([models.N, models.D, models.D / models.N]):
            row, col = cells[i]
            fig.add_trace(
                go.Scatter(
                    x=C,
                    y=y,
                    mode="markers",
                    name=labels["fig.models"],
                    legendgroup="models",
                    showlegend=i == 0,
                    text=plain_text(models.name),
                    marker=dict(symbol="diamond", size=8, color="white", line=dict(color=MODEL_COLOR, width=1.5)),
                    hovertemplate=f"<b>%{{text}}</b><br>C = %{{x:.3~e}} FLOPs<br>%{{y:.4~g}} {units[i]}<extra></extra>",
                ),
                row=row,
                col=col,
            )
    c_lo = min(float(np.min(s.compute)) for s in series) if series else 1e18
    c_hi = max(float(np.max(s.compute)) for s in series) if series else 1e27
    for row, col in cells:
        fig.update_xaxes(
            type="log",
            range=np.log10([c_lo, c_hi]),
            title=labels["axis.compute"] if row == 2 else None,
            row=row,
            col=col,
            **decade_ticks(c_lo, c_hi, flops_label),
        )
    for (row, col), title in zip(
        cells[:3], (labels["axis.params"], labels["axis.tokens"], labels["axis.tokens_per_param"])
    ):
        ys = np.concatenate(
            [np.ravel(np.asarray(tr.y, dtype=float)) for tr in fig.select_traces(row=row, col=col)] or [[1.0]]
        )
        ys = ys[np.isfinite(ys) & (ys > 0)]
        ticks = decade_ticks(ys.min(), ys.max()) if ys.size else {}
        fig.update_yaxes(type="log", title=title, row=row, col=col, **ticks)
    fig.update_yaxes(title=labels["axis.loss"], row=2, col=2)
    if budget is not None:
        # A line trace rather than a shape: shapes on log axes mis-scale the autorange.
        for i, (row, col) in enumerate(cells):
            ys = [y for tr in fig.select_traces(row=row, col=col) for y in np.ravel(np.asarray(tr.y, dtype=float))]
            ys = np.asarray(ys)[np.isfinite(ys)]
            if ys.size:
                fig.add_trace(
                    go.Scatter(
                        x=[budget, budget],
                        y=[ys.min(), ys.max()],
                        mode="lines",
                        line=dict(color="#888", dash="dash", width=1),
                        name=labels["frontiers.budget"],
                        legendgroup="budget",
                        showlegend=i == 0,
                        hoverinfo="skip",
                    ),
                    row=row,
                    col=col,
                )
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.1, x=0))
    return base_layout(fig, "", height).update_layout(margin=dict(t=40))


@dataclass(frozen=True)
class Valley:
    key: str
    name: str
    N: np.ndarray
    loss: np.ndarray
    N_opt: float
    loss_opt: float  # NaN: mark the optimum as a vertical line only


def isoflop_valleys(
    valleys: Sequence[Valley], *, labels: Mapping[str, str], title: str, height: int = 420
) -> go.Figure:
    """L(N | C) along one iso-FLOP line for several laws, each with its optimum marked."""
    fig = go.Figure()
    for v in valleys:
        color = LAW_COLORS.get(v.key, "#333")
        if np.isfinite(v.loss_opt):
            fig.add_trace(
                go.Scatter(
                    x=v.N,
                    y=v.loss,
                    mode="lines",
                    name=v.name,
                    legendgroup=v.key,
                    line=dict(color=color, width=2.5),
                    hovertemplate=f"{v.name}<br>N = %{{x:.3~e}} params<br>L = %{{y:.4f}} nats/token<extra></extra>",
                )
            )
            fig.add_trace(
                go.Scatter(
                    x=[v.N_opt],
                    y=[v.loss_opt],
                    mode="markers",
                    legendgroup=v.key,
                    showlegend=False,
                    marker=dict(size=11, color=color, symbol="star", line=dict(color="white", width=1)),
                    hovertemplate=f"{v.name} {labels['fig.optimum']}<br>N = %{{x:.3~e}} params<br>L = %{{y:.4f}} nats/token<extra></extra>",
                )
            )
        else:  # an allocation without a loss: a vertical line across the other laws' valleys
            finite = np.concatenate([w.loss[np.isfinite(w.loss)] for w in valleys] + [np.array([np.nan])])
            lo, hi = (np.nanmin(finite), np.nanmax(finite)) if np.isfinite(finite).any() else (0.0, 1.0)
            fig.add_trace(
                go.Scatter(
                    x=[v.N_opt, v.N_opt],
                    y=[lo, hi],
                    mode="lines",
                    name=v.name,
                    line=dict(color=color, dash="dash", width=2),
                    hovertemplate=f"{v.name}<br>N = %{{x:.3~e}} params<extra></extra>",
                )
            )
    all_n = np.concatenate([v.N for v in valleys]) if valleys else np.array([1e6, 1e12])
    fig.update_xaxes(type="log", title=labels["axis.params"], **decade_ticks(all_n.min(), all_n.max()))
    fig.update_yaxes(title=labels["axis.loss"])
    return base_layout(fig, title, height)


def tokens_per_param_teaser(
    series: Sequence[FrontierSeries], *, labels: Mapping[str, str], height: int = 320
) -> go.Figure:
    """One small panel: compute-optimal tokens per parameter against compute."""
    fig = go.Figure()
    for s in series:
        fig.add_trace(
            go.Scatter(
                x=s.compute,
                y=s.D_opt / s.N_opt,
                mode="lines",
                name=s.name,
                line=dict(color=LAW_COLORS.get(s.key, "#333"), width=2.5, dash=s.dash),
                hovertemplate=f"{s.name}<br>C = %{{x:.3~e}} FLOPs<br>D/N = %{{y:.3~g}}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[series[0].compute[0], series[0].compute[-1]],
            y=[20, 20],
            mode="lines",
            name=labels["fig.twenty_tpp"],
            line=dict(color="#999", dash="dot", width=1),
            hoverinfo="skip",
        )
    )
    fig.update_xaxes(
        type="log",
        title=labels["axis.compute"],
        **decade_ticks(series[0].compute[0], series[0].compute[-1], flops_label),
    )
    fig.update_yaxes(type="log", title=labels["axis.tokens_per_param"])
    return base_layout(fig, "", height).update_layout(margin=dict(t=20), legend=dict(y=-0.3))
