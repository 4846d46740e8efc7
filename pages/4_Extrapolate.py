import numpy as np
import streamlit as st

from scaling_core.analysis import fit_warnings
from scaling_core.io import design_problem
from ui.extrapolate_view import (
    backtest_section,
    band_chart,
    band_model,
    holdout_table,
    model_compute,
    optimum_summary,
    target_summary,
)
from ui.figures import holdout_figure
from ui.i18n import labels, t
from ui.layout import setup_page
from ui.run_input import SOURCE_RULE, runs_input
from ui.state import Choice, FloatRange, IntRange, choice, number, show_url_notices, slider
from ui.text import escape_markdown

RULES = {
    "data": SOURCE_RULE,
    "split": Choice(("cutoff", "pick")),
    "boot": Choice(("200", "1000", "4000")),
    "seed": IntRange(0, 2**31 - 1),
    "exclude": IntRange(0, 100),
    "axis": Choice(("C", "N", "D")),
    "target": Choice(("budget", "size")),
    "tC": FloatRange(15.0, 30.0, 0.05),
    "tN": FloatRange(6.0, 14.0, 0.05),
    "tD": FloatRange(8.0, 16.0, 0.05),
    "backtest": Choice(("off", "on")),
}

lang = setup_page("extrap.title", RULES)
text = labels(lang)
st.title(t("extrap.title"))
st.caption(t("extrap.caption"))

loaded = runs_input()
if loaded is None:
    st.stop()
runs = loaded.runs

st.subheader(t("extrap.split"))
left, right = st.columns([1, 3])
split = choice(t("extrap.split_by"), RULES["split"], "split", "cutoff", lambda s: t(f"split.{s}"), left.radio)
compute = model_compute(runs)  # 6ND: the compute the law is written in
logc = np.log10(compute)
if split == "cutoff":
    lo, hi = float(np.floor(logc.min() * 20) / 20), float(np.ceil(logc.max() * 20) / 20)
    lo, hi = (lo - 0.5, hi + 0.5) if hi - lo < 0.1 else (lo, hi)  # a single budget still gets a slider
    default = 21.0 if lo < 21.0 < hi else round(float(np.median(logc)), 2)
    cut_rule = FloatRange(lo, hi, 0.05)
    show_url_notices({"cut": cut_rule})
    cut = 10.0 ** slider(t("extrap.cutoff"), cut_rule, "cut", default, right, format="1e%.2f")
    train = compute < cut
else:
    cut = None
    options = tuple(str(r) for r in runs.source_rows)
    names = dict(zip(options, runs.names))
    show_url_notices({"hold": Choice(options, multiple=True)})
    held = choice(
        t("extrap.pick"), Choice(options, multiple=True), "hold", [], lambda r: f"{r}: {names[r]}", right.multiselect
    )
    train = ~np.isin(options, held)
settings = st.columns(4)
boot = int(choice(t("fit.bootstrap"), RULES["boot"], "boot", "1000", widget=settings[0].selectbox))
seed = int(number(t("fit.seed"), RULES["seed"], "seed", 0, settings[1]))
exclude = int(number(t("fit.exclude"), RULES["exclude"], "exclude", loaded.default_exclude, settings[2]))
axis = choice(
    t("extrap.axis"), RULES["axis"], "axis", "C", lambda a: t(f"role.{a}"), settings[3].radio, horizontal=True
)

if problem := design_problem(runs.N[train], runs.D[train], 5, exclude):
    st.error(t("extrap.cannot_fit", problem=escape_markdown(problem)), icon=":material/error:")
    st.stop()
if not np.allclose(compute, runs.C, rtol=0.1):
    st.caption(t("extrap.c_differs"))
model = band_model(loaded, train, boot, seed, exclude)
for warning in fit_warnings(runs.N[train], runs.D[train], model.fit.law, float(compute.max())):
    st.warning(escape_markdown(warning), icon=":material/warning:")
st.caption(t("extrap.method", sigma=f"{model.noise_sigma:.4f}", boot=model.n_resamples))
st.plotly_chart(band_chart(model, runs, train, axis, cut, text), width="stretch", key="bands")

held = ~train
st.subheader(t("extrap.heldout", n=int(held.sum())))
if held.any():
    report, table = holdout_table(model, runs, held, text)
    cols = st.columns(3)
    for col, level in zip(cols, (0.5, 0.8, 0.95)):
        col.metric(
            t("extrap.coverage", level=int(100 * level)),
            f"{report.coverage(level):.0%}",
            help=t("extrap.coverage_help"),
        )
    st.caption(t("extrap.digitised_note") if loaded.key.startswith("epoch") else "")
    st.dataframe(table, hide_index=True, width="stretch")
    st.plotly_chart(
        holdout_figure(
            report.observed,
            report.predicted,
            report.prediction[0.8],
            report.prediction[0.95],
            list(runs.names[held]),
            labels=text,
        ),
        width="stretch",
        key="holdout",
    )
else:
    st.info(t("extrap.no_heldout"), icon=":material/info:")

st.subheader(t("extrap.target"))
mode = choice(
    t("extrap.target_by"), RULES["target"], "target", "budget", lambda m: t(f"target.{m}"), st.radio, horizontal=True
)
if mode == "budget":
    budget = 10.0 ** slider(t("fit.budget"), RULES["tC"], "tC", round(float(logc.max()) + 2, 1), format="1e%.2f")
    N_t, D_t, optimum = optimum_summary(model, budget, text)
    st.dataframe(optimum, hide_index=True)
else:
    row = st.columns(2)
    N_t = 10.0 ** slider(t("fit.target_n"), RULES["tN"], "tN", 10.0, row[0], format="1e%.2f")
    D_t = 10.0 ** slider(t("fit.target_d"), RULES["tD"], "tD", 11.5, row[1], format="1e%.2f")
st.dataframe(target_summary(model, N_t, D_t, text), hide_index=True)
st.caption(t("extrap.bands_note"))

st.subheader(t("extrap.backtest"))
st.caption(t("extrap.backtest_help"))
if (
    choice(
        t("extrap.run_backtest"),
        RULES["backtest"],
        "backtest",
        "off",
        lambda v: t(f"backtest.{v}"),
        st.radio,
        horizontal=True,
    )
    == "on"
):
    backtest_section(loaded, min(boot, 300), seed, text)
