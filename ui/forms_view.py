"""Fit-page sections for approach 2 (IsoFLOP profiles) and the single-variable forms."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from scaling_core.analysis import FitOutcome
from scaling_core.forms import SINGLE_VARIABLE_FORMS, FormFit, compare_forms, fit_multiplicative
from scaling_core.presets import HOFFMANN_TABLE2, PRESETS
from ui import figures
from ui.i18n import t
from ui.memo import memoize
from ui.text import escape_markdown


@memoize(max_entries=16)
def _comparison(data_key: str, *, _x: np.ndarray, _y: np.ndarray, _N: np.ndarray, _D: np.ndarray, _C: np.ndarray):
    rows = compare_forms(_x, _y)
    try:
        rows.append(fit_multiplicative(_y, N=_N, D=_D, C=_C))
    except ValueError as err:
        rows.append(f"multiplicative: {err}")
    return rows


def forms_section(outcome: FitOutcome, labels: Mapping[str, str]) -> None:
    fit: FormFit = outcome.fit
    r = outcome.runs
    params = ", ".join(f"{k} = {v:.5g}" for k, v in fit.params.items())
    st.markdown(f"**{escape_markdown(fit.formula)}** — {params}")
    if fit.note:
        st.caption(escape_markdown(fit.note))
    variable = outcome.options.x
    x = {"N": r.N, "D": r.D, "C": r.C}[variable]
    digest = hashlib.sha256(b"".join(a.tobytes() for a in (r.N, r.D, r.C, r.loss))).hexdigest()
    with st.spinner(t("progress.forms")):
        rows = _comparison(f"{variable}|{digest}", _x=x, _y=r.loss, _N=r.N, _D=r.D, _C=r.C)
    table, fig = [], go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=r.loss,
            mode="markers",
            name=labels["fig.runs"],
            marker=dict(size=5, color="#555"),
            hovertemplate="x = %{x:.3~e}<br>y = %{y:.4f}<extra></extra>",
        )
    )
    grid = np.logspace(np.log10(x.min()), np.log10(x.max()) + 1, 200)
    for row in rows:
        if isinstance(row, str):
            table.append({labels["col.form"]: row, "R²": None, "RMSE": None, labels["col.cv"]: None})
            continue
        table.append(
            {
                labels["col.form"]: row.formula,
                "R²": round(row.r2, 5),
                "RMSE": float(f"{row.rmse:.4g}"),
                labels["col.cv"]: float(f"{row.cv_rmse:.4g}"),
                labels["col.params"]: ", ".join(f"{k}={v:.4g}" for k, v in row.params.items()),
            }
        )
        if row.form in SINGLE_VARIABLE_FORMS:
            fig.add_trace(
                go.Scatter(
                    x=grid,
                    y=row.predict(grid),
                    mode="lines",
                    name=row.formula,
                    line=dict(width=3 if row.form == fit.form else 1.5),
                )
            )
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    st.caption(t("fit.cv_note"))
    x_title = {"N": labels["axis.params"], "D": labels["axis.tokens"], "C": labels["axis.compute"]}[variable]
    fig.update_xaxes(type="log", title=x_title)
    fig.update_yaxes(title=labels["axis.loss"])
    fig.update_layout(title=labels["fig.forms"], height=440, font=figures.FONT, legend=dict(orientation="h", y=-0.2))
    st.plotly_chart(fig, width="stretch", key="forms")


def isoflop_section(outcome: FitOutcome, labels: Mapping[str, str]) -> None:
    fit = outcome.fit
    cols = st.columns(3)
    cols[0].metric("a  (N_opt ∝ C^a)", f"{fit.a:.3f}")
    cols[1].metric("b  (D_opt ∝ C^b)", f"{fit.b:.3f}")
    cols[2].metric(t("fit.profiles_used"), f"{fit.n_used} / {len(fit.profiles)}")
    a, b = HOFFMANN_TABLE2["approach 2"]
    st.caption(t("fit.isoflop_note", hoffmann=f"{a} / {b}"))
    st.plotly_chart(figures.isoflop_profiles(fit.profiles, labels=labels), width="stretch", key="isoflop")
    used = [p for p in fit.profiles if p.used]
    budgets = np.logspace(np.log10(min(p.compute for p in used)) - 0.5, np.log10(max(p.compute for p in used)) + 3, 100)
    series = [
        figures.FrontierSeries(
            "fit",
            labels["fig.isoflop_fit"],
            budgets,
            fit.n_opt(budgets),
            fit.d_opt(budgets),
            np.full(budgets.size, np.nan),
        )
    ]
    from scaling_core.frontier import optimal_allocation

    for key in ("kaplan2020", "hoffmann2022", "epoch2024"):
        a = optimal_allocation(PRESETS[key].law, budgets)
        series.append(figures.FrontierSeries(key, PRESETS[key].label, budgets, a.N_opt, a.D_opt, a.loss))
    st.plotly_chart(figures.frontier_panels(series, labels=labels), width="stretch", key="isoflop_frontier")
