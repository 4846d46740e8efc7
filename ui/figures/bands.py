"""Extrapolate page: prediction and confidence bands, held-out runs, backtest.

Pure functions: arrays in, go.Figure out. No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .fit import diagonal_line, observed_vs_predicted_hover
from .style import base_layout, count_label, decade_ticks, flops_label, plain_text

BAND_ALPHA = {0.5: 0.40, 0.8: 0.25, 0.95: 0.14}


def band_figure(
    x: np.ndarray,
    point: np.ndarray,
    prediction: Mapping[float, tuple[np.ndarray, np.ndarray]],
    confidence: tuple[np.ndarray, np.ndarray],
    train: tuple[np.ndarray, np.ndarray],
    held_out: tuple[np.ndarray, np.ndarray],
    *,
    x_title: str,
    labels: Mapping[str, str],
    cutoff: float | None = None,
    height: int = 480,
) -> go.Figure:
    """Loss along the fitted frontier with shaded prediction bands (widest first), the 95%
    confidence band as dashed lines, fitted runs as dots and held-out runs as diamonds."""
    fig = go.Figure()
    color = "47,111,219"
    for level in sorted(prediction, reverse=True):
        lo, hi = prediction[level]
        name = labels["fig.prediction_band"].format(level=int(round(100 * level)))
        fig.add_trace(
            go.Scatter(
                x=x, y=hi, mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip", legendgroup=name
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=lo,
                mode="lines",
                line=dict(width=0),
                fill="tonexty",
                fillcolor=f"rgba({color},{BAND_ALPHA.get(level, 0.2)})",
                name=name,
                legendgroup=name,
                customdata=np.stack([lo, hi], axis=-1),
                hovertemplate=f"{name}<br>x = %{{x:.3~e}}<br>%{{customdata[0]:.4f}} – %{{customdata[1]:.4f}} nats/token<extra></extra>",
            )
        )
    lo, hi = confidence
    ci_name = labels["fig.confidence_band"]
    for i, edge in enumerate((lo, hi)):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=edge,
                mode="lines",
                line=dict(color="#1b3f86", dash="dash", width=1.2),
                name=ci_name,
                legendgroup="ci",
                showlegend=i == 0,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=point,
            mode="lines",
            line=dict(color="#1b3f86", width=2.5),
            name=labels["fig.point_prediction"],
            hovertemplate="x = %{x:.3~e}<br>L = %{y:.4f} nats/token<extra></extra>",
        )
    )
    for (xs, ys), name, symbol in (
        (train, labels["fig.fitted_runs"], "circle"),
        (held_out, labels["fig.held_out_runs"], "diamond"),
    ):
        if len(xs):
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="markers",
                    name=name,
                    marker=dict(
                        symbol=symbol,
                        size=7 if symbol == "circle" else 9,
                        color="#555" if symbol == "circle" else "#d62728",
                        line=dict(color="white", width=0.5),
                    ),
                    hovertemplate=f"x = %{{x:.3~e}}<br>{labels['hover.observed']} L = %{{y:.4f}}<extra></extra>",
                )
            )
    if cutoff is not None:
        ys = np.concatenate([point, train[1], held_out[1]])
        fig.add_trace(
            go.Scatter(
                x=[cutoff, cutoff],
                y=[np.nanmin(ys), np.nanmax(ys)],
                mode="lines",
                line=dict(color="#888", dash="dot"),
                name=labels["fig.cutoff"],
                hoverinfo="skip",
            )
        )
    label = flops_label if "FLOP" in x_title else count_label
    fig.update_xaxes(type="log", title=x_title, **decade_ticks(float(x.min()), float(x.max()), label))
    fig.update_yaxes(title=labels["axis.loss"])
    return base_layout(fig, labels["fig.bands_title"], height)


def holdout_figure(
    observed: np.ndarray,
    predicted: np.ndarray,
    band80: tuple[np.ndarray, np.ndarray],
    band95: tuple[np.ndarray, np.ndarray],
    names: Sequence[str],
    *,
    labels: Mapping[str, str],
    height: int = 420,
) -> go.Figure:
    """Held-out runs: observed against predicted loss, with 80% and 95% prediction intervals."""
    fig = go.Figure()
    lo = float(np.nanmin([observed.min(), band95[0].min()]))
    hi = float(np.nanmax([observed.max(), band95[1].max()]))
    fig.add_trace(diagonal_line(lo, hi, labels))
    for band, name, width in ((band95, "95%", 1), (band80, "80%", 3)):
        fig.add_trace(
            go.Scatter(
                x=predicted,
                y=predicted,
                mode="markers",
                marker=dict(size=1, color="rgba(0,0,0,0)"),
                name=labels["fig.prediction_band"].format(level=name[:-1]),
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=band[1] - predicted,
                    arrayminus=predicted - band[0],
                    width=0,
                    thickness=width,
                    color="rgba(47,111,219,0.55)",
                ),
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=predicted,
            y=observed,
            mode="markers",
            name=labels["fig.held_out_runs"],
            text=plain_text(names),
            marker=dict(symbol="diamond", size=9, color="#d62728"),
            hovertemplate=observed_vs_predicted_hover(labels),
        )
    )
    fig.update_xaxes(title=labels["axis.predicted"])
    fig.update_yaxes(title=labels["axis.observed"])
    return base_layout(fig, labels["fig.holdout_title"], height)


def backtest_figure(rows: Sequence[Mapping], *, labels: Mapping[str, str], height: int = 380) -> go.Figure:
    """Error and band coverage against decades of extrapolation, with the nominal levels."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=[labels["fig.backtest_error"], labels["fig.backtest_coverage"]])
    centres = [0.5 * (r["decades"][0] + min(r["decades"][1], r["decades"][0] + 2)) for r in rows]
    text = [f"{r['decades'][0]:g}–{r['decades'][1]:g} ({r['n']})" for r in rows]
    fig.add_trace(
        go.Scatter(
            x=centres,
            y=[r["mae_log"] for r in rows],
            mode="lines+markers",
            name=labels["fig.mae"],
            text=text,
            hovertemplate="%{text}<br>MAE %{y:.4f}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    for level, color in ((80, "#2f6fdb"), (95, "#1b3f86")):
        fig.add_trace(
            go.Scatter(
                x=centres,
                y=[r.get(f"coverage_{level}") for r in rows],
                mode="lines+markers",
                text=text,
                name=labels["fig.coverage"].format(level=level),
                line=dict(color=color),
                hovertemplate=f"%{{text}}<br>{labels['axis.coverage']} %{{y:.0%}}<extra></extra>",
            ),
            row=1,
            col=2,
        )
        fig.add_hline(y=level / 100, line=dict(color=color, dash="dot", width=1), row=1, col=2)
    fig.update_xaxes(title=labels["axis.decades"])
    fig.update_yaxes(title="MAE", row=1, col=1)
    fig.update_yaxes(title=labels["axis.coverage"], tickformat=".0%", range=[0, 1.05], row=1, col=2)
    return base_layout(fig, "", height).update_layout(margin=dict(t=40))
