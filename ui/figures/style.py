"""Shared style of every figure: colours, fonts, number formats, ticks and the base layout.

Pure functions: arrays in, go.Figure out. No Streamlit here."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

# One colour per law, the same on every page.
LAW_COLORS: dict[str, str] = {
    "kaplan2020": "#d62728",
    "kaplan2020_eq1": "#ff7f0e",
    "kaplan_table6": "#e377c2",
    "hoffmann2022": "#1f77b4",
    "hoffmann2022_unrounded": "#17becf",
    "epoch2024": "#2ca02c",
    "fit": "#9467bd",
    # laws and allocation rules added with the Plan page
    "muennighoff2023": "#8c564b",
    "hoffmann2022_approach1": "#393b79",
    "hoffmann2022_approach2": "#6b6ecf",
    "chinchilla_20tpp": "#7f7f7f",
    "kaplan2020_table6": "#e377c2",
    "deepseek2024": "#bcbd22",
    "llama3_2024": "#17a589",
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


def base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
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
