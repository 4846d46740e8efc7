"""Learn page: one small figure per chapter, in the shared style.

Pure functions: arrays in, go.Figure out. No Streamlit here. Every label arrives translated in
`labels` (keys "learn.fig.*" from ui/strings/learn.py plus the shared axis titles)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .style import LAW_COLORS, MODEL_COLOR, base_layout, count_label, decade_ticks, flops_label, plain_text

GUIDE_COLOR = "#888888"  # limits, floors and markers that are not a law of their own
FADED_COLOR = "#c7c7c7"


def _thinned(ticks: dict, most: int = 6) -> dict:
    """decade_ticks with every second (third, ...) label dropped when there are more than `most`."""
    step = -(-len(ticks["tickvals"]) // most)
    return {**ticks, "tickvals": ticks["tickvals"][::step], "ticktext": ticks["ticktext"][::step]}


def _vertical(x: float, y_lo: float, y_hi: float, name: str, **kwargs) -> go.Scatter:
    # A line trace rather than a shape: shapes on log axes mis-scale the autorange.
    return go.Scatter(
        x=[x, x],
        y=[y_lo, y_hi],
        mode="lines",
        line=dict(color=GUIDE_COLOR, dash="dash", width=1),
        name=name,
        hoverinfo="skip",
        **kwargs,
    )


# --- chapter 1: power laws -------------------------------------------------------------------


def power_law_panels(
    x: np.ndarray,
    pure: np.ndarray,
    with_offset: np.ndarray,
    offset: float,
    *,
    linear_max: float,
    labels: Mapping[str, str],
    height: int = 500,
) -> go.Figure:
    """y = a x^b and y = a x^b + c on linear axes up to x = linear_max (top) and on log-log axes
    over the whole range (bottom)."""
    fig = make_subplots(
        rows=2,
        cols=1,
        subplot_titles=[
            labels["learn.fig.linear_axes"].format(max=count_label(linear_max)),
            labels["learn.fig.log_axes"],
        ],
        vertical_spacing=0.16,
    )
    color = LAW_COLORS["epoch2024"]
    for row in (1, 2):
        first = row == 1
        fig.add_trace(
            go.Scatter(
                x=x,
                y=with_offset,
                mode="lines",
                name=labels["learn.fig.with_offset"],
                legendgroup="offset",
                showlegend=first,
                line=dict(color=color, width=2.5),
                hovertemplate="x = %{x:.3~e}<br>y = %{y:.4g}<extra></extra>",
            ),
            row=row,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=pure,
                mode="lines",
                name=labels["learn.fig.pure"],
                legendgroup="pure",
                showlegend=first,
                line=dict(color=color, width=1.5, dash="dash"),
                hovertemplate="x = %{x:.3~e}<br>y = %{y:.4g}<extra></extra>",
            ),
            row=row,
            col=1,
        )
        if offset > 0:
            fig.add_trace(
                go.Scatter(
                    x=[x[0], x[-1]],
                    y=[offset, offset],
                    mode="lines",
                    name=labels["learn.fig.floor"],
                    legendgroup="floor",
                    showlegend=first,
                    line=dict(color=GUIDE_COLOR, width=1, dash="dot"),
                    hoverinfo="skip",
                ),
                row=row,
                col=1,
            )
    top = float(np.nanmax(with_offset))
    fig.update_xaxes(title=None, range=[0, linear_max], row=1, col=1)
    fig.update_yaxes(title="y", range=[0, top * 1.05], row=1, col=1)
    fig.update_xaxes(type="log", title="x", row=2, col=1, **decade_ticks(float(x[0]), float(x[-1])))
    positive = np.concatenate([pure, with_offset])
    positive = positive[positive > 0]
    fig.update_yaxes(type="log", title="y", row=2, col=1, **decade_ticks(float(positive.min()), float(positive.max())))
    return base_layout(fig, "", height).update_layout(margin=dict(t=40))


# --- chapter 2: Kaplan's joint law ------------------------------------------------------------


@dataclass(frozen=True)
class DataCurves:
    """L(N, D) against D for several model sizes, one of them highlighted."""

    D: np.ndarray  # (points,)
    sizes: np.ndarray  # (k,) model sizes N of the faded curves
    losses: np.ndarray  # (k, points)
    chosen_N: float
    chosen: np.ndarray  # (points,) the highlighted curve
    floor: float  # L(N, inf): the chosen model's data-unlimited loss
    data_limited: np.ndarray  # (points,) L(inf, D)
    enough_D: float  # tokens past which more data stops helping
    enough_loss: float


def kaplan_data_figure(c: DataCurves, *, labels: Mapping[str, str], height: int = 460) -> go.Figure:
    fig = go.Figure()
    for i, (N, loss) in enumerate(zip(c.sizes, c.losses)):
        fig.add_trace(
            go.Scatter(
                x=c.D,
                y=loss,
                mode="lines",
                name=labels["learn.fig.other_sizes"],
                legendgroup="others",
                showlegend=i == 0,
                line=dict(color=FADED_COLOR, width=1),
                hovertemplate=f"N = {count_label(N)}<br>D = %{{x:.3~e}}<br>L = %{{y:.4f}}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=c.D,
            y=c.data_limited,
            mode="lines",
            name=labels["learn.fig.data_limited"],
            line=dict(color=LAW_COLORS["kaplan2020_eq1"], width=1.5, dash="dash"),
            hovertemplate="D = %{x:.3~e}<br>L = %{y:.4f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[c.D[0], c.D[-1]],
            y=[c.floor, c.floor],
            mode="lines",
            name=labels["learn.fig.model_floor"],
            line=dict(color=GUIDE_COLOR, width=1, dash="dot"),
            hoverinfo="skip",
        )
    )
    name = labels["learn.fig.this_size"].format(n=count_label(c.chosen_N))
    fig.add_trace(
        go.Scatter(
            x=c.D,
            y=c.chosen,
            mode="lines",
            name=name,
            line=dict(color=LAW_COLORS["kaplan2020"], width=3),
            hovertemplate=f"{name}<br>D = %{{x:.3~e}}<br>L = %{{y:.4f}}<extra></extra>",
        )
    )
    if c.D[0] <= c.enough_D <= c.D[-1]:
        fig.add_trace(
            go.Scatter(
                x=[c.enough_D],
                y=[c.enough_loss],
                mode="markers",
                name=labels["learn.fig.enough_data"],
                marker=dict(
                    symbol="circle", size=11, color="white", line=dict(color=LAW_COLORS["kaplan2020"], width=2.5)
                ),
                hovertemplate=f"D = {count_label(c.enough_D)}<br>L = %{{y:.4f}}<extra></extra>",
            )
        )
    fig.update_xaxes(type="log", title=labels["axis.tokens"], **decade_ticks(float(c.D[0]), float(c.D[-1])))
    top = float(np.nanmax(c.chosen)) * 1.15
    bottom = float(min(np.nanmin(c.losses), np.nanmin(c.data_limited))) * 0.95
    fig.update_yaxes(type="log", title=labels["axis.loss"], range=np.log10([bottom, top]))
    return base_layout(fig, labels["learn.fig.kaplan_title"], height)


# --- chapter 3: splitting a budget ---------------------------------------------------------------


@dataclass(frozen=True)
class AllocationLine:
    key: str  # colour key (ui.figures.style.LAW_COLORS)
    name: str
    compute: np.ndarray
    N_opt: np.ndarray
    dash: str = "solid"


def allocation_figure(
    lines: Sequence[AllocationLine],
    models: tuple[Sequence[str], np.ndarray, np.ndarray],
    budget: float,
    *,
    labels: Mapping[str, str],
    height: int = 480,
) -> go.Figure:
    """N_opt against C for each law, the chosen budget, and well-known models at C = 6ND."""
    fig = go.Figure()
    for line in lines:
        at_budget = float(np.interp(np.log(budget), np.log(line.compute), np.log(line.N_opt)))
        fig.add_trace(
            go.Scatter(
                x=line.compute,
                y=line.N_opt,
                mode="lines",
                name=line.name,
                legendgroup=line.key,
                line=dict(color=LAW_COLORS.get(line.key, "#333"), width=2.5, dash=line.dash),
                hovertemplate=f"{line.name}<br>C = %{{x:.3~e}} FLOPs<br>N_opt = %{{y:.3~s}}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[budget],
                y=[np.exp(at_budget)],
                mode="markers",
                legendgroup=line.key,
                showlegend=False,
                marker=dict(size=10, color=LAW_COLORS.get(line.key, "#333")),
                hovertemplate=f"{line.name}<br>N_opt = {count_label(np.exp(at_budget))}<extra></extra>",
            )
        )
    names, N, D = models
    if len(names):
        fig.add_trace(
            go.Scatter(
                x=6.0 * N * D,
                y=N,
                mode="markers",
                name=labels["fig.models"],
                text=plain_text(names),
                customdata=D / N,
                marker=dict(symbol="diamond", size=8, color="white", line=dict(color=MODEL_COLOR, width=1.5)),
                hovertemplate="<b>%{text}</b><br>C = %{x:.3~e} FLOPs<br>N = %{y:.3~s}<br>"
                "D/N = %{customdata:.1f}<extra></extra>",
            )
        )
    c_lo = min(float(line.compute.min()) for line in lines)
    c_hi = max(float(line.compute.max()) for line in lines)
    ys = np.concatenate([line.N_opt for line in lines] + [N])
    ys = ys[np.isfinite(ys) & (ys > 0)]
    fig.add_trace(_vertical(budget, float(ys.min()), float(ys.max()), labels["learn.fig.budget"]))
    fig.update_xaxes(
        type="log",
        title=labels["axis.compute"],
        range=np.log10([c_lo, c_hi]),
        **_thinned(decade_ticks(c_lo, c_hi, flops_label)),
    )
    fig.update_yaxes(type="log", title=labels["axis.params"], **decade_ticks(float(ys.min()), float(ys.max())))
    return base_layout(fig, labels["learn.fig.allocation_title"], height)


# --- chapter 4: a law the runs cannot identify -----------------------------------------------------


def collinear_map(
    N: np.ndarray,
    D: np.ndarray,
    predicted: np.ndarray,
    runs: tuple[np.ndarray, np.ndarray, np.ndarray],
    grid: tuple[np.ndarray, np.ndarray],
    *,
    labels: Mapping[str, str],
    height: int = 480,
) -> go.Figure:
    """The predicted metric over N x D (predicted: (len(D), len(N))), the runs it was fitted to,
    and a grid of runs that would identify it."""
    fig = go.Figure()
    fig.add_trace(
        go.Contour(
            x=N,
            y=D,
            z=predicted,
            colorscale="Viridis",
            contours=dict(showlabels=True, labelfont=dict(size=11, color="white")),
            colorbar=dict(title=dict(text=labels["learn.fig.metric"], side="right"), thickness=12),
            line=dict(width=0.5),
            hovertemplate="N = %{x:.3~s}<br>D = %{y:.3~s}<br>y = %{z:.3f}<extra></extra>",
            name=labels["learn.fig.metric"],
            showlegend=False,
        )
    )
    gN, gD = grid
    fig.add_trace(
        go.Scatter(
            x=gN,
            y=gD,
            mode="markers",
            name=labels["learn.fig.grid_design"],
            marker=dict(symbol="circle", size=12, color="rgba(255,255,255,0.35)", line=dict(color="#222", width=2)),
            hoverinfo="skip",
        )
    )
    rN, rD, ry = runs
    fig.add_trace(
        go.Scatter(
            x=rN,
            y=rD,
            mode="markers+text",
            name=labels["learn.fig.tutorial_runs"],
            text=[f"{v:.2f}" for v in ry],
            textposition="middle left",
            textfont=dict(color="white", size=13),
            marker=dict(symbol="diamond", size=12, color="#d62728", line=dict(color="white", width=1)),
            hovertemplate="N = %{x:.3~s}<br>D = %{y:.3~s}<br>y = %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(type="log", title=labels["axis.params"], **decade_ticks(float(N[0]), float(N[-1])))
    fig.update_yaxes(type="log", title=labels["axis.tokens"], **decade_ticks(float(D[0]), float(D[-1])))
    return base_layout(fig, labels["learn.fig.collinear_title"], height)


# --- chapter 5: how far to trust it -------------------------------------------------------------


def with_truth(fig: go.Figure, x: np.ndarray, truth: np.ndarray, *, name: str, title: str) -> go.Figure:
    """A figure of ui.figures.bands with the law the runs were drawn from added, a short title and
    its legend moved clear of the x-axis title (it wraps to several rows on a phone)."""
    fig.add_trace(
        go.Scatter(
            x=x,
            y=truth,
            mode="lines",
            name=name,
            line=dict(color="#2ca02c", width=2, dash="dot"),
            hovertemplate=f"{name}<br>x = %{{x:.3~e}}<br>L = %{{y:.4f}}<extra></extra>",
        )
    )
    return fig.update_layout(title_text=title, legend=dict(y=-0.3))


# --- chapter 6: batch size and learning rate ------------------------------------------------------


def hparams_panels(
    compute: np.ndarray,
    batch_opt: np.ndarray,
    batch_crit: np.ndarray,
    learning_rate: np.ndarray,
    budget: float,
    *,
    labels: Mapping[str, str],
    height: int = 520,
) -> go.Figure:
    """Top: DeepSeek's B_opt(C) and Kaplan's B_crit at the loss Kaplan's L(C_min) gives for C.
    Bottom: DeepSeek's eta_opt(C). A dashed line marks the budget."""
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        subplot_titles=[labels["learn.fig.batch"], labels["learn.fig.learning_rate"]],
        vertical_spacing=0.12,
    )
    deepseek, kaplan = "#8c564b", LAW_COLORS["kaplan2020"]
    for y, name, color, dash, row in (
        (batch_opt, labels["learn.fig.deepseek_batch"], deepseek, "solid", 1),
        (batch_crit, labels["learn.fig.kaplan_batch"], kaplan, "dash", 1),
        (learning_rate, labels["learn.fig.deepseek_lr"], deepseek, "solid", 2),
    ):
        at = float(np.exp(np.interp(np.log(budget), np.log(compute), np.log(y))))
        fig.add_trace(
            go.Scatter(
                x=compute,
                y=y,
                mode="lines",
                name=name,
                legendgroup=name,
                line=dict(color=color, width=2.5, dash=dash),
                hovertemplate=f"{name}<br>C = %{{x:.3~e}} FLOPs<br>%{{y:.3~e}}<extra></extra>",
            ),
            row=row,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=[budget],
                y=[at],
                mode="markers",
                legendgroup=name,
                showlegend=False,
                marker=dict(size=10, color=color),
                hovertemplate=f"{name}<br>%{{y:.3~e}}<extra></extra>",
            ),
            row=row,
            col=1,
        )
    for row, values in ((1, np.concatenate([batch_opt, batch_crit])), (2, learning_rate)):
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        fig.add_trace(_vertical(budget, lo, hi, labels["learn.fig.budget"], showlegend=row == 1), row=row, col=1)
        fig.update_yaxes(type="log", row=row, col=1, **decade_ticks(lo, hi, flops_label if row == 2 else count_label))
    c_lo, c_hi = float(compute[0]), float(compute[-1])
    for row in (1, 2):
        fig.update_xaxes(type="log", row=row, col=1, **_thinned(decade_ticks(c_lo, c_hi, flops_label)))
    fig.update_xaxes(title=labels["axis.compute"], row=2, col=1)
    return base_layout(fig, "", height).update_layout(margin=dict(t=40))


# --- chapter 7: repeated data and inference --------------------------------------------------------


def repeat_figure(
    N: np.ndarray,
    constrained: np.ndarray,
    fresh: np.ndarray,
    best: tuple[float, float],
    best_fresh: tuple[float, float],
    *,
    labels: Mapping[str, str],
    height: int = 440,
) -> go.Figure:
    """Loss against model size on one compute budget, with the unique tokens available and with
    fresh data throughout; each curve's best model marked."""
    fig = go.Figure()
    color = LAW_COLORS["epoch2024"]
    for y, (n, loss), name, dash in (
        (fresh, best_fresh, labels["learn.fig.fresh"], "dash"),
        (constrained, best, labels["learn.fig.repeated"], "solid"),
    ):
        fig.add_trace(
            go.Scatter(
                x=N,
                y=y,
                mode="lines",
                name=name,
                legendgroup=name,
                line=dict(color=color if dash == "solid" else GUIDE_COLOR, width=2.5, dash=dash),
                hovertemplate=f"{name}<br>N = %{{x:.3~s}}<br>L = %{{y:.4f}}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[n],
                y=[loss],
                mode="markers",
                legendgroup=name,
                showlegend=False,
                marker=dict(size=11, color=color if dash == "solid" else GUIDE_COLOR),
                hovertemplate=f"{name}<br>N = {count_label(n)}<br>L = %{{y:.4f}}<extra></extra>",
            )
        )
    fig.update_xaxes(type="log", title=labels["axis.params"], **decade_ticks(float(N[0]), float(N[-1])))
    finite = np.concatenate([constrained, fresh])
    finite = finite[np.isfinite(finite)]
    top = min(float(finite.max()), float(min(best[1], best_fresh[1])) + 1.0)
    fig.update_yaxes(title=labels["axis.loss"], range=[float(finite.min()) - 0.02, top])
    return base_layout(fig, labels["learn.fig.repeat_title"], height)


def inference_figure(
    N: np.ndarray,
    training: np.ndarray,
    total: np.ndarray,
    best_training: tuple[float, float],
    best_total: tuple[float, float],
    *,
    labels: Mapping[str, str],
    height: int = 440,
) -> go.Figure:
    """FLOPs to reach one loss against model size: training only and training plus inference."""
    fig = go.Figure()
    color = LAW_COLORS["hoffmann2022"]
    for y, (n, flops), name, dash in (
        (training, best_training, labels["learn.fig.training_flops"], "dash"),
        (total, best_total, labels["learn.fig.total_flops"], "solid"),
    ):
        fig.add_trace(
            go.Scatter(
                x=N,
                y=y,
                mode="lines",
                name=name,
                legendgroup=name,
                line=dict(color=color, width=2.5, dash=dash),
                hovertemplate=f"{name}<br>N = %{{x:.3~s}}<br>%{{y:.3~e}} FLOPs<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[n],
                y=[flops],
                mode="markers",
                legendgroup=name,
                showlegend=False,
                marker=dict(size=11, color=color, symbol="circle" if dash == "solid" else "circle-open"),
                hovertemplate=f"{name}<br>N = {count_label(n)}<br>%{{y:.3~e}} FLOPs<extra></extra>",
            )
        )
    fig.update_xaxes(type="log", title=labels["axis.params"], **decade_ticks(float(N[0]), float(N[-1])))
    finite = np.concatenate([training, total])
    finite = finite[np.isfinite(finite)]
    fig.update_yaxes(
        type="log",
        title=labels["learn.fig.flops"],
        range=np.log10([float(finite.min()) / 1.3, float(finite.min()) * 30]),
        **decade_ticks(float(finite.min()) / 1.3, float(finite.min()) * 30, flops_label),
    )
    return base_layout(fig, labels["learn.fig.inference_title"], height)


# --- chapter 7: emergence ----------------------------------------------------------------------


def emergence_panels(
    compute: np.ndarray,
    token_loss: np.ndarray,
    exact_match: np.ndarray,
    token_accuracy: np.ndarray,
    answer_tokens: int,
    marks: tuple[float, float],
    *,
    labels: Mapping[str, str],
    height: int = 540,
) -> go.Figure:
    """Top: the smooth per-token loss. Bottom: exact match over k tokens against the per-token
    accuracy. marks = (C where exact match reaches 1%, C where it reaches 50%), NaN when outside:
    the span below the first is shaded (the ability looks absent there)."""
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        subplot_titles=[labels["learn.fig.token_loss"], labels["learn.fig.accuracy"]],
        vertical_spacing=0.12,
    )
    color = LAW_COLORS["epoch2024"]
    fig.add_trace(
        go.Scatter(
            x=compute,
            y=token_loss,
            mode="lines",
            name=labels["learn.fig.token_loss"],
            line=dict(color=color, width=2.5),
            hovertemplate="C = %{x:.3~e} FLOPs<br>L = %{y:.4f}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=compute,
            y=token_accuracy,
            mode="lines",
            name=labels["learn.fig.token_accuracy"],
            line=dict(color=color, width=2, dash="dash"),
            hovertemplate="C = %{x:.3~e} FLOPs<br>p = %{y:.1%}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    name = labels["learn.fig.exact_match"].format(k=answer_tokens)
    fig.add_trace(
        go.Scatter(
            x=compute,
            y=exact_match,
            mode="lines",
            name=name,
            line=dict(color="#d62728", width=3),
            hovertemplate=f"{name}<br>C = %{{x:.3~e}} FLOPs<br>%{{y:.1%}}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    first, half = marks
    if np.isfinite(first):
        fig.add_vrect(x0=compute[0], x1=first, fillcolor="#d62728", opacity=0.08, line_width=0, row=2, col=1)
    points = [(c, level) for c, level in ((first, 0.01), (half, 0.5)) if np.isfinite(c)]
    if points:
        fig.add_trace(
            go.Scatter(
                x=[c for c, _ in points],
                y=[level for _, level in points],
                mode="markers",
                name=labels["learn.fig.marks"],
                marker=dict(size=9, color="white", line=dict(color="#d62728", width=2.5)),
                hovertemplate="C = %{x:.3~e} FLOPs<br>%{y:.0%}<extra></extra>",
            ),
            row=2,
            col=1,
        )
    c_lo, c_hi = float(compute[0]), float(compute[-1])
    for row in (1, 2):
        fig.update_xaxes(type="log", row=row, col=1, **_thinned(decade_ticks(c_lo, c_hi, flops_label)))
    fig.update_xaxes(title=labels["axis.compute"], row=2, col=1)
    fig.update_yaxes(
        type="log",
        title=labels["learn.fig.nats"],
        row=1,
        col=1,
        **decade_ticks(float(np.min(token_loss)), float(np.max(token_loss)), lambda v: f"{v:g}"),
    )
    fig.update_yaxes(title=None, tickformat=".0%", range=[0, 1.02], row=2, col=1)
    return base_layout(fig, "", height).update_layout(margin=dict(t=40))
