"""Plotly figure builders: pure functions, arrays in, go.Figure out. No Streamlit here.

Labels arrive already translated (a mapping from ui.i18n keys to text), so the figures
stay independent of the session.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# One colour per law, the same on every page.
LAW_COLORS: dict[str, str] = {
    "kaplan2020": "#d62728",
    "kaplan2020_eq1": "#ff7f0e",
    "kaplan_table6": "#e377c2",
    "hoffmann2022": "#1f77b4",
    "hoffmann2022_unrounded": "#17becf",
    "epoch2024": "#2ca02c",
    "fit": "#9467bd",
}
MODEL_COLOR = "#444444"
FONT = dict(family="Inter, 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif", size=13)
_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def plain_text(texts: Sequence[str]) -> list[str]:
    """User text for Plotly's text/hover fields, which render a subset of HTML: escaped so that
    tags show as characters."""
    return [html.escape(str(t), quote=False) for t in texts]


def count_label(value: float) -> str:
    """1e9 -> '1B', 3e11 -> '300B', 9.996e11 -> '1T', 1e15 -> '1e15' (params and tokens)."""
    if not np.isfinite(value):
        return "—" if np.isnan(value) else str(value)
    value = float(f"{value:.3g}")  # round first, so 999.6B becomes 1T rather than '1e+03B'
    for scale, suffix in _SUFFIXES:
        if 1e15 > value >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.0e}".replace("e+", "e") if value >= 1e15 else f"{value:.3g}"


def flops_label(value: float) -> str:
    """1e21 -> '1e21'; 3e21 -> '3e21'."""
    mantissa, exponent = f"{value:.1e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def decade_ticks(lo: float, hi: float, label=count_label) -> dict:
    """Tick values at each power of ten within [lo, hi], labelled readably."""
    decades = 10.0 ** np.arange(np.floor(np.log10(lo)), np.ceil(np.log10(hi)) + 1)
    inside = decades[(decades >= lo * 0.999) & (decades <= hi * 1.001)]
    if inside.size < 2:  # less than a decade: add 2x and 5x marks so the axis still has labels
        marks = np.concatenate([decades * m for m in (1, 2, 5)])
        inside = np.sort(marks[(marks >= lo * 0.999) & (marks <= hi * 1.001)])
    return dict(tickmode="array", tickvals=inside, ticktext=[label(v) for v in inside])


def contour_levels(z: np.ndarray, count: int = 14, upper_quantile: float = 0.9) -> dict:
    """Evenly spaced 'nice' contour levels from the minimum to a high quantile of z.

    The quantile keeps a corner of huge losses (tiny N and D) from flattening the
    interesting region into one colour.
    """
    finite = z[np.isfinite(z)]
    lo, hi = float(finite.min()), float(np.quantile(finite, upper_quantile))
    raw = max((hi - lo) / count, 1e-6)
    power = 10.0 ** np.floor(np.log10(raw))
    size = power * min((m for m in (1, 2, 2.5, 5, 10) if m * power >= raw), default=10)
    start, end = np.floor(lo / size) * size, np.ceil(hi / size) * size
    return dict(start=float(start), end=float(end), size=float(size))


def _base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0.01, xanchor="left"),
        height=height,
        margin=dict(l=70, r=20, t=50, b=60),
        font=FONT,
        legend=dict(orientation="h", yanchor="top", y=-0.18, x=0),
        hoverlabel=dict(namelength=-1),
        uirevision="keep",  # keep the user's zoom across reruns
    )
    return fig


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
    return _base_layout(fig, title or labels["explorer.map_title"], height)


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
    return _base_layout(fig, title, height).update_layout(legend=dict(y=-0.32), margin=dict(b=110))


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
    return _base_layout(fig, "", height).update_layout(margin=dict(t=40))


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
    return _base_layout(fig, title, height)


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
    return _base_layout(fig, "", height).update_layout(margin=dict(t=20), legend=dict(y=-0.3))


def _observed_vs_predicted_hover(labels: Mapping[str, str]) -> str:
    """Hover text of a run on an observed-vs-predicted chart (the run's name is its `text`)."""
    return (
        f"%{{text}}<br>{labels['hover.predicted']} %{{x:.4f}}<br>"
        f"{labels['hover.observed']} %{{y:.4f}} nats/token<extra></extra>"
    )


def _diagonal(lo: float, hi: float, labels: Mapping[str, str]) -> go.Scatter:
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
    fig.add_trace(_diagonal(lo, hi, labels))
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
                    hovertemplate=_observed_vs_predicted_hover(labels),
                )
            )
    fig.update_xaxes(type="log", title=labels["axis.predicted"])
    fig.update_yaxes(type="log", title=labels["axis.observed"])
    return _base_layout(fig, labels["fig.obs_vs_pred"], 380)


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
    return _base_layout(fig, labels["fig.residuals"], 340)


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
    return _base_layout(fig, labels["fig.isoflop_profiles"], height).update_layout(
        legend=dict(orientation="v", y=1, x=1.02)
    )


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
    return _base_layout(fig, labels["fig.bands_title"], height)


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
    fig.add_trace(_diagonal(lo, hi, labels))
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
            hovertemplate=_observed_vs_predicted_hover(labels),
        )
    )
    fig.update_xaxes(title=labels["axis.predicted"])
    fig.update_yaxes(title=labels["axis.observed"])
    return _base_layout(fig, labels["fig.holdout_title"], height)


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
    return _base_layout(fig, "", height).update_layout(margin=dict(t=40))
