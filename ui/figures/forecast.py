"""Extrapolate page's forecast figures: bands with targets, candidate forms' backtests, the fixed-E profile.

Pure functions: arrays in, go.Figure out. No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .bands import band_figure
from .style import base_layout, count_label, plain_text

FORM_COLORS = {
    "chinchilla": "#2f6fdb",
    "chinchilla_tied": "#2ca02c",
    "chinchilla_fixed_e": "#ff7f0e",
    "kaplan": "#d62728",
}
TARGET_COLOR = "#7b2cbf"


@dataclass(frozen=True)
class TargetPoints:
    """Targets drawn on the band chart at their own x, with their 80% and 95% bands."""

    x: np.ndarray
    predicted: np.ndarray
    band80: tuple[np.ndarray, np.ndarray]
    band95: tuple[np.ndarray, np.ndarray]
    observed: np.ndarray  # NaN where not known yet
    names: Sequence[str]


def forecast_band_figure(
    x: np.ndarray,
    point: np.ndarray,
    prediction: Mapping[float, tuple[np.ndarray, np.ndarray]],
    confidence: tuple[np.ndarray, np.ndarray],
    train: tuple[np.ndarray, np.ndarray],
    held_out: tuple[np.ndarray, np.ndarray],
    targets: TargetPoints | None,
    *,
    x_title: str,
    labels: Mapping[str, str],
    title: str,
    cutoff: float | None = None,
    height: int = 480,
) -> go.Figure:
    """The band chart (figures.band_figure) plus each target: its prediction with 80% (thick) and
    95% (thin) bars, and its observed loss where known."""
    fig = band_figure(
        x, point, prediction, confidence, train, held_out, x_title=x_title, labels=labels, cutoff=cutoff, height=height
    )
    if targets is not None and len(targets.x):
        names = plain_text(targets.names)
        for band, width, show in ((targets.band95, 1.5, False), (targets.band80, 4, True)):
            lo, hi = band
            fig.add_trace(
                go.Scatter(
                    x=targets.x,
                    y=targets.predicted,
                    mode="markers",
                    marker=dict(symbol="star", size=13 if show else 1, color=TARGET_COLOR),
                    error_y=dict(
                        type="data",
                        symmetric=False,
                        array=hi - targets.predicted,
                        arrayminus=targets.predicted - lo,
                        width=0,
                        thickness=width,
                        color="rgba(123,44,191,0.55)",
                    ),
                    name=labels["fig.target_forecast"],
                    legendgroup="targets",
                    showlegend=show,
                    text=names,
                    customdata=np.stack([band[0], band[1]], axis=-1),
                    hovertemplate=(
                        f"%{{text}}<br>{labels['hover.predicted']} %{{y:.4f}}"
                        f"<br>{labels['fig.band_range']} %{{customdata[0]:.4f}} – %{{customdata[1]:.4f}}<extra></extra>"
                    )
                    if show
                    else None,
                    hoverinfo=None if show else "skip",
                )
            )
        known = np.isfinite(targets.observed)
        if known.any():
            fig.add_trace(
                go.Scatter(
                    x=targets.x[known],
                    y=targets.observed[known],
                    mode="markers",
                    marker=dict(symbol="x-thin", size=12, line=dict(width=2.5, color="#111")),
                    name=labels["fig.target_observed"],
                    text=[n for n, k in zip(names, known) if k],
                    hovertemplate=f"%{{text}}<br>{labels['hover.observed']} %{{y:.4f}}<extra></extra>",
                )
            )
    fig.update_layout(title=dict(text=title))
    return fig


def _form_name(form: str, recommended: str, labels: Mapping[str, str]) -> str:
    return labels[f"short.{form}"] + (f" ({labels['forecast.recommended_short']})" if form == recommended else "")


def _bucket_text(rows: Sequence[Mapping]) -> list[str]:
    return [f"{r['decades'][0]:g}–{r['decades'][1]:g} · {r['n']}" for r in rows]


def backtest_error_figure(
    buckets: Mapping[str, Sequence[Mapping]],
    *,
    recommended: str,
    labels: Mapping[str, str],
    height: int = 380,
) -> go.Figure:
    """Candidates side by side: backtest error (% of loss) against distance. buckets: form ->
    [{"decades", "n", "mean_decades", "mae_pct", "mae_nats", "coverage": {0.8: .., 0.95: ..}}, ...]."""
    fig = go.Figure()
    for form, rows in buckets.items():
        if not rows:
            continue
        name = _form_name(form, recommended, labels)
        fig.add_trace(
            go.Scatter(
                x=[r["mean_decades"] for r in rows],
                y=[r["mae_pct"] for r in rows],
                mode="lines+markers",
                name=name,
                line=dict(color=FORM_COLORS.get(form, "#555"), width=3 if form == recommended else 1.8),
                text=_bucket_text(rows),
                customdata=[r["mae_nats"] for r in rows],
                hovertemplate=f"{name}<br>%{{text}}<br>%{{y:.2f}}% · %{{customdata:.4f}} nats<extra></extra>",
            )
        )
    fig.update_xaxes(title=labels["axis.decades"])
    fig.update_yaxes(title=labels["axis.error_pct"], rangemode="tozero")
    return base_layout(fig, labels["fig.candidates_error"], height)


def backtest_coverage_figure(
    buckets: Mapping[str, Sequence[Mapping]],
    *,
    recommended: str,
    labels: Mapping[str, str],
    height: int = 380,
) -> go.Figure:
    """Candidates side by side: coverage of their uncalibrated bands (95% solid, 80% dotted)
    against distance, with the nominal levels."""
    fig = go.Figure()
    for form, rows in buckets.items():
        if not rows:
            continue
        name = _form_name(form, recommended, labels)
        for level, dash in ((0.95, "solid"), (0.8, "dot")):
            fig.add_trace(
                go.Scatter(
                    x=[r["mean_decades"] for r in rows],
                    y=[r["coverage"].get(level) for r in rows],
                    mode="lines+markers",
                    name=name,
                    legendgroup=form,
                    showlegend=level == 0.95,
                    line=dict(color=FORM_COLORS.get(form, "#555"), dash=dash, width=1.8),
                    marker=dict(symbol="circle" if level == 0.95 else "circle-open"),
                    text=_bucket_text(rows),
                    hovertemplate=(
                        f"{name} · {labels['fig.coverage'].format(level=int(100 * level))}<br>%{{text}}<br>"
                        "%{y:.0%}<extra></extra>"
                    ),
                )
            )
    for level in (0.8, 0.95):
        fig.add_hline(y=level, line=dict(color="#888", dash="dash", width=1))
    fig.update_xaxes(title=labels["axis.decades"])
    fig.update_yaxes(title=labels["axis.coverage_raw"], tickformat=".0%", range=[0, 1.05])
    return base_layout(fig, labels["fig.candidates_coverage"], height)


def _profile_panel(
    E: np.ndarray,
    chosen: float | None,
    free_E: float | None,
    title: str,
    y_title: str,
    labels: Mapping[str, str],
    height: int,
) -> go.Figure:
    fig = go.Figure()
    for value, dash in ((chosen, "solid"), (free_E, "dot")):
        if value is not None and np.isfinite(value):
            fig.add_vline(x=value, line=dict(color="#888", dash=dash, width=1))
    fig.update_xaxes(title=labels["axis.fixed_e"])
    fig.update_yaxes(title=y_title)
    return base_layout(fig, title, height).update_layout(showlegend=False)


def profile_figures(
    E: np.ndarray,
    objective: np.ndarray,
    predicted: np.ndarray,
    N_opt: np.ndarray,
    D_opt: np.ndarray,
    *,
    chosen: float | None,
    free_E: float | None,
    target_label: str,
    compute_label: str,
    labels: Mapping[str, str],
    height: int = 340,
) -> list[go.Figure]:
    """Fixed-E profile, three figures: the best objective with E held at each value, the target's
    prediction, and the compute-optimal N and D at the target's budget; your E (solid) and the
    free fit's E (dotted) marked."""
    color = FORM_COLORS["chinchilla_fixed_e"]
    hover = "E = %{x:.3f}<br>%{y:.4g}<extra></extra>"
    objective_fig = _profile_panel(
        E, chosen, free_E, labels["fig.profile_objective"], labels["axis.objective"], labels, height
    )
    objective_fig.add_trace(
        go.Scatter(x=E, y=objective, mode="lines+markers", line=dict(color="#444"), hovertemplate=hover)
    )
    objective_fig.update_yaxes(exponentformat="e")
    prediction_fig = _profile_panel(E, chosen, free_E, target_label, labels["axis.loss"], labels, height)
    prediction_fig.add_trace(
        go.Scatter(x=E, y=predicted, mode="lines+markers", line=dict(color=color), hovertemplate=hover)
    )
    allocation_fig = _profile_panel(E, chosen, free_E, compute_label, labels["axis.count"], labels, height)
    for values, name, dash in ((N_opt, "N_opt", "solid"), (D_opt, "D_opt", "dot")):
        allocation_fig.add_trace(
            go.Scatter(
                x=E,
                y=values,
                mode="lines",
                name=name,
                line=dict(color=color, dash=dash),
                customdata=[count_label(v) for v in values],
                hovertemplate=f"E = %{{x:.3f}}<br>{name} = %{{customdata}}<extra></extra>",
            )
        )
    allocation_fig.update_yaxes(type="log")
    return [objective_fig, prediction_fig, allocation_fig]
