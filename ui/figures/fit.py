"""Fit page: observed against predicted, residuals, IsoFLOP profiles.

Pure functions: arrays in, go.Figure out. No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .style import LAW_COLORS, base_layout, count_label, decade_ticks, flops_label, plain_text


def observed_vs_predicted_hover(labels: Mapping[str, str]) -> str:
    """Hover text of a run on an observed-vs-predicted chart (the run's name is its `text`)."""
    return (
        f"%{{text}}<br>{labels['hover.predicted']} %{{x:.4f}}<br>"
        f"{labels['hover.observed']} %{{y:.4f}} nats/token<extra></extra>"
    )


def diagonal_line(lo: float, hi: float, labels: Mapping[str, str]) -> go.Scatter:
    """The observed = predicted reference line."""
    return go.Scatter(
        x=[lo, hi],
        y=[lo, hi],
        mode="lines",
        line=dict(color="#999", dash="dot"),
        name=labels["fig.diagonal"],
        hoverinfo="skip",
    )


def observed_vs_predicted(
    observed: np.ndarray, predicted: np.ndarray, used: np.ndarray, names: Sequence[str], *, labels: Mapping[str, str]
) -> go.Figure:
    """Observed against predicted loss, the diagonal for reference; excluded runs drawn hollow."""
    fig = go.Figure()
    lo = float(np.nanmin([observed.min(), np.nanmin(predicted)]))
    hi = float(np.nanmax([observed.max(), np.nanmax(predicted)]))
    fig.add_trace(diagonal_line(lo, hi, labels))
    for mask, name, symbol in (
        (used, labels["fig.fitted_runs"], "circle"),
        (~used, labels["fig.excluded_runs"], "circle-open"),
    ):
        if mask.any():
            fig.add_trace(
                go.Scatter(
                    x=predicted[mask],
                    y=observed[mask],
                    mode="markers",
                    name=name,
                    text=plain_text([names[i] for i in np.flatnonzero(mask)]),
                    marker=dict(
                        symbol=symbol, size=7, color=LAW_COLORS["fit"], line=dict(width=1, color=LAW_COLORS["fit"])
                    ),
                    hovertemplate=observed_vs_predicted_hover(labels),
                )
            )
    fig.update_xaxes(type="log", title=labels["axis.predicted"])
    fig.update_yaxes(type="log", title=labels["axis.observed"])
    return base_layout(fig, labels["fig.obs_vs_pred"], 380)


def residual_panels(
    N: np.ndarray, D: np.ndarray, C: np.ndarray, residual: np.ndarray, used: np.ndarray, *, labels: Mapping[str, str]
) -> go.Figure:
    """Residuals in log-loss against N, D and C (one panel each)."""
    fig = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.04)
    for col, (x, title, fmt) in enumerate(
        (
            (N, labels["axis.params"], count_label),
            (D, labels["axis.tokens"], count_label),
            (C, labels["axis.compute"], flops_label),
        ),
        start=1,
    ):
        for mask, symbol in ((used, "circle"), (~used, "circle-open")):
            if mask.any():
                fig.add_trace(
                    go.Scatter(
                        x=x[mask],
                        y=residual[mask],
                        mode="markers",
                        showlegend=False,
                        marker=dict(symbol=symbol, size=6, color=LAW_COLORS["fit"]),
                        hovertemplate=f"x = %{{x:.3~e}}<br>{labels['hover.residual']} = %{{y:.4f}}<extra></extra>",
                    ),
                    row=1,
                    col=col,
                )
        fig.add_hline(y=0, line=dict(color="#999", dash="dot", width=1), row=1, col=col)
        fig.update_xaxes(type="log", title=title, row=1, col=col, **decade_ticks(x.min(), x.max(), fmt))
    fig.update_yaxes(title=labels["axis.residual"], row=1, col=1)
    return base_layout(fig, labels["fig.residuals"], 340)


def isoflop_profiles(profiles: Sequence, *, labels: Mapping[str, str], height: int = 420) -> go.Figure:
    """Each compute group's runs and fitted parabola in log N, with its minimum marked."""
    fig = go.Figure()
    palette = [
        "#440154",
        "#46327e",
        "#365c8d",
        "#277f8e",
        "#1fa187",
        "#4ac16d",
        "#a0da39",
        "#c7a800",
        "#e36414",
        "#9d0208",
    ]
    for i, p in enumerate(profiles):
        color = palette[i % len(palette)] if p.used else "#bbbbbb"
        name = f"C = {flops_label(p.compute)}" + ("" if p.used else f" ({p.reason})")
        fig.add_trace(
            go.Scatter(
                x=p.N,
                y=p.loss,
                mode="markers",
                marker=dict(color=color, size=6),
                name=name,
                legendgroup=str(i),
                hovertemplate="N = %{x:.3~e}<br>L = %{y:.4f}<extra></extra>",
            )
        )
        if np.all(np.isfinite(p.coefficients)):
            grid = np.logspace(np.log10(p.N.min()), np.log10(p.N.max()), 60)
            fig.add_trace(
                go.Scatter(
                    x=grid,
                    y=p.curve(grid),
                    mode="lines",
                    line=dict(color=color, width=1.5),
                    legendgroup=str(i),
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
        if p.used:
            fig.add_trace(
                go.Scatter(
                    x=[p.N_opt],
                    y=[p.loss_opt],
                    mode="markers",
                    legendgroup=str(i),
                    showlegend=False,
                    marker=dict(symbol="star", size=11, color=color, line=dict(color="white", width=1)),
                    hovertemplate="N_opt = %{x:.3~e}<br>L = %{y:.4f}<extra></extra>",
                )
            )
    all_n = np.concatenate([p.N for p in profiles])
    fig.update_xaxes(type="log", title=labels["axis.params"], **decade_ticks(all_n.min(), all_n.max()))
    fig.update_yaxes(title=labels["axis.loss"])
    return base_layout(fig, labels["fig.isoflop_profiles"], height).update_layout(
        legend=dict(orientation="v", y=1, x=1.02)
    )
