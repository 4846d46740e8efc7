"""The iso-loss map over N x D (Law Explorer, Fit) and the loss-vs-N / loss-vs-D slices.

Pure functions: arrays in, go.Figure out. No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .style import LAW_COLORS, MODEL_COLOR, base_layout, contour_levels, decade_ticks, flops_label, plain_text


@dataclass(frozen=True)
class IsoFlopLines:
    """Lines of constant C = 6ND, clipped to the plotted window."""

    compute: np.ndarray  # (k,)
    N: np.ndarray  # (k, m)
    D: np.ndarray  # (k, m)


@dataclass(frozen=True)
class FrontierLine:
    key: str
    name: str
    N: np.ndarray
    D: np.ndarray


@dataclass(frozen=True)
class RunPoints:
    N: np.ndarray
    D: np.ndarray
    loss: np.ndarray


@dataclass(frozen=True)
class ModelPoints:
    name: Sequence[str]
    N: np.ndarray
    D: np.ndarray
    loss: np.ndarray  # this law's prediction at (N, D)


def iso_loss_map(
    N: np.ndarray,
    D: np.ndarray,
    loss: np.ndarray,
    *,
    iso_flop: IsoFlopLines,
    frontier_N: np.ndarray,
    frontier_D: np.ndarray,
    models: ModelPoints | None,
    labels: Mapping[str, str],
    color: str,
    height: int = 560,
    other_frontiers: Sequence[FrontierLine] = (),
    runs: RunPoints | None = None,
    title: str | None = None,
    frontier_loss: np.ndarray | None = None,
) -> go.Figure:
    """Iso-loss contours of L over log N x log D, with iso-FLOP lines, the frontier and models.

    `loss` has shape (len(D), len(N)). Hover reports N, D, C, L and tokens per parameter.
    Contour levels are labelled where the frontier crosses them (given `frontier_loss`, the
    loss along it): a few text marks, far cheaper for the browser than Plotly's own contour
    labels, which cost about 100 ms per redraw.
    """
    compute = 6.0 * N[None, :] * D[:, None]
    ratio = D[:, None] / N[None, :]
    customdata = np.stack([compute, ratio], axis=-1).astype(np.float32)
    levels = contour_levels(loss)
    fig = go.Figure()
    fig.add_trace(
        go.Contour(
            x=N,
            y=D,
            z=loss.astype(np.float32),
            customdata=customdata,
            colorscale="Viridis",
            reversescale=True,
            zmin=levels["start"],
            zmax=levels["end"],
            autocontour=False,
            contours=dict(**levels, showlabels=False),
            colorbar=dict(title=dict(text=labels["axis.loss"], side="right"), thickness=14),
            hovertemplate=(
                f"{labels['axis.params']} = %{{x:.3~e}}<br>{labels['axis.tokens']} = %{{y:.3~e}}<br>"
                "C = %{customdata[0]:.3~e} FLOPs<br>L = %{z:.4f} nats/token<br>"
                "D/N = %{customdata[1]:.3~g}<extra></extra>"
            ),
            name="L(N, D)",
            showlegend=False,
        )
    )
    # All iso-FLOP lines as one trace (NaN breaks the line): one trace is cheaper to send and draw.
    nan_col = np.full((len(iso_flop.compute), 1), np.nan)
    fig.add_trace(
        go.Scatter(
            x=np.hstack([iso_flop.N, nan_col]).ravel(),
            y=np.hstack([iso_flop.D, nan_col]).ravel(),
            mode="lines",
            line=dict(color="rgba(255,255,255,0.75)", width=1, dash="dot"),
            name="C = 6ND",
            hoverinfo="skip",
        )
    )
    # Label each line near its upper-left end, away from the frontier (which carries the
    # loss-level marks): a fifth of the way along the line on log axes.
    long = np.log10(iso_flop.N[:, -1] / iso_flop.N[:, 0]) >= 1.5  # short corner segments stay unlabelled
    fig.add_trace(
        go.Scatter(
            x=(iso_flop.N[:, 0] ** 0.8 * iso_flop.N[:, -1] ** 0.2)[long],
            y=(iso_flop.D[:, 0] ** 0.8 * iso_flop.D[:, -1] ** 0.2)[long],
            mode="text",
            text=[flops_label(c) + " FLOPs" for c in iso_flop.compute[long]],
            textfont=dict(color="rgba(255,255,255,0.85)", size=9),
            textposition="middle center",
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=frontier_N,
            y=frontier_D,
            mode="lines",
            line=dict(color=color, width=4),
            name=labels["fig.frontier"],
            hovertemplate=f"{labels['fig.frontier']}<br>N = %{{x:.3~e}}<br>D = %{{y:.3~e}}<extra></extra>",
        )
    )
    if frontier_loss is not None and len(frontier_loss) > 1:
        fig.add_trace(_level_marks(levels, frontier_N, frontier_D, frontier_loss))
    for line in other_frontiers:
        fig.add_trace(
            go.Scatter(
                x=line.N,
                y=line.D,
                mode="lines",
                line=dict(color=LAW_COLORS.get(line.key, "#333"), width=2.5, dash="dash"),
                name=line.name,
                hovertemplate=f"{line.name}<br>N = %{{x:.3~e}}<br>D = %{{y:.3~e}}<extra></extra>",
            )
        )
    if runs is not None:
        fig.add_trace(
            go.Scatter(
                x=runs.N,
                y=runs.D,
                mode="markers",
                marker=dict(
                    size=6,
                    color=runs.loss,
                    colorscale="Viridis",
                    reversescale=True,
                    cmin=levels["start"],
                    cmax=levels["end"],
                    line=dict(color="white", width=0.6),
                ),
                name=labels["fig.runs"],
                customdata=np.stack([runs.loss, 6 * runs.N * runs.D], axis=-1),
                hovertemplate=(
                    "N = %{x:.3~e} params<br>D = %{y:.3~e} tokens<br>C = %{customdata[1]:.3~e} FLOPs<br>"
                    f"{labels['hover.observed']} L = %{{customdata[0]:.4f}} nats/token<extra></extra>"
                ),
            )
        )
    if models is not None and len(models.name):
        fig.add_trace(
            go.Scatter(
                x=models.N,
                y=models.D,
                mode="markers",
                marker=dict(symbol="diamond", size=9, color="white", line=dict(color=MODEL_COLOR, width=1.5)),
                name=labels["fig.models"],
                text=plain_text(models.name),
                customdata=np.stack([6 * models.N * models.D, models.loss, models.D / models.N], axis=-1),
                hovertemplate=(
                    "<b>%{text}</b><br>N = %{x:.3~e} params<br>D = %{y:.3~e} tokens<br>"
                    f"C = %{{customdata[0]:.3~e}} FLOPs<br>L ({labels['hover.this_law']}) = %{{customdata[1]:.4f}} nats/token<br>"
                    "D/N = %{customdata[2]:.3~g}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(
        type="log", title=labels["axis.params"], range=np.log10([N[0], N[-1]]), **decade_ticks(N[0], N[-1])
    )
    fig.update_yaxes(
        type="log", title=labels["axis.tokens"], range=np.log10([D[0], D[-1]]), **decade_ticks(D[0], D[-1])
    )
    return base_layout(fig, title or labels["explorer.map_title"], height)


def _level_marks(levels: Mapping[str, float], N: np.ndarray, D: np.ndarray, loss: np.ndarray) -> go.Scatter:
    """Text marks naming each contour level where the frontier (N, D, loss) crosses it."""
    values = np.arange(levels["start"], levels["end"] + levels["size"] / 2, levels["size"])
    order = np.argsort(loss)
    inside = values[(values > loss.min()) & (values < loss.max())]
    log_n = np.interp(inside, loss[order], np.log10(N[order]))
    log_d = np.interp(inside, loss[order], np.log10(D[order]))
    # Keep marks at least a third of a decade apart along the line, so they stay legible.
    keep, last = [], -np.inf
    for i in np.argsort(log_n):
        if log_n[i] - last >= 1 / 3:
            keep.append(i)
            last = log_n[i]
    inside, log_n, log_d = inside[keep], log_n[keep], log_d[keep]
    return go.Scatter(
        x=10.0**log_n,
        y=10.0**log_d,
        mode="text",
        text=[f"{v:g}" for v in inside],
        textposition="middle left",
        textfont=dict(color="white", size=12),
        hoverinfo="skip",
        showlegend=False,
    )


def loss_curves(
    x: np.ndarray,
    curves: Sequence[tuple[str, np.ndarray]],
    *,
    x_title: str,
    title: str,
    y_title: str,
    height: int = 400,
) -> go.Figure:
    """Several loss curves over one log-scaled x (e.g. L vs N at a few D)."""
    fig = go.Figure()
    palette = ["#440154", "#3b528b", "#21918c", "#5ec962", "#c7a800", "#e36414"]
    for i, (name, y) in enumerate(curves):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                name=name,
                line=dict(color=palette[i % len(palette)], width=2),
                hovertemplate=f"{name}<br>x = %{{x:.3~e}}<br>L = %{{y:.4f}} nats/token<extra></extra>",
            )
        )
    fig.update_xaxes(type="log", title=x_title, **decade_ticks(x[0], x[-1]))
    fig.update_yaxes(title=y_title)
    # Legend well below the axis title (the default position overlaps it on a short chart).
    return base_layout(fig, title, height).update_layout(legend=dict(y=-0.32), margin=dict(b=110))
