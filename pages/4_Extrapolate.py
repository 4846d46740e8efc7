import numpy as np
import streamlit as st

from scaling_core.analysis import fit_warnings
from scaling_core.forecast.report import split_runs
from scaling_core.io import design_problem
from ui.forecast_view import (
    FIXED_E_RULE,
    FORM_RULE,
    OBSERVED_RULE,
    PROFILE_RULE,
    TARGET_RULE,
    answer_section,
    calibration_section,
    candidates_section,
    fixed_e_input,
    freeze_controls,
    frozen_view,
    heldout_section,
    model_compute,
    profile_section,
    run_forecast,
    target_controls,
)
from ui.i18n import labels, t
from ui.layout import setup_page
from ui.run_input import COPIES_RULE, SOURCE_RULE, runs_input
from ui.state import Choice, FloatRange, IntRange, choice, number, show_url_notices, slider
from ui.text import escape_markdown

RULES = {
    "data": SOURCE_RULE,
    "copies": COPIES_RULE,
    "split": Choice(("cutoff", "pick")),
    "form": FORM_RULE,
    "fixE": FIXED_E_RULE,
    "profile": PROFILE_RULE,
    "boot": Choice(("200", "1000", "4000")),
    "seed": IntRange(0, 2**31 - 1),
    "exclude": IntRange(0, 100),
    "axis": Choice(("C", "N", "D")),
    "target": TARGET_RULE,
    "tC": FloatRange(15.0, 30.0, 0.05),
    "tN": FloatRange(6.0, 14.0, 0.05),
    "tD": FloatRange(8.0, 16.0, 0.05),
    "observed": OBSERVED_RULE,
}

lang = setup_page("extrap.title", RULES)
text = labels(lang)
st.title(t("extrap.title"))
st.caption(t("forecast.caption"))
if (token := st.query_params.get("frozen")) and frozen_view(token, text):
    st.stop()

answer = st.container()  # filled last, shown first: on a phone the forecast comes before the controls
st.subheader(t("forecast.settings"))
loaded = runs_input(targets=True)
if loaded is None:
    st.stop()
runs = loaded.runs
compute = model_compute(runs)  # 6ND: the compute the laws are written in
has_loss = np.isfinite(runs.loss) & ~loaded.targets
logc = np.log10(compute[has_loss] if has_loss.any() else compute)
left, right = st.columns([1, 3])
split_by = choice(t("extrap.split_by"), RULES["split"], "split", "cutoff", lambda s: t(f"split.{s}"), left.radio)
if split_by == "cutoff":
    lo, hi = float(np.floor(logc.min() * 20) / 20), float(np.ceil(logc.max() * 20) / 20)
    lo, hi = (lo - 0.5, hi + 0.5) if hi - lo < 0.1 else (lo, hi)  # a single budget still gets a slider
    cut_rule = FloatRange(lo, hi + 0.05, 0.05)
    show_url_notices({"cut": cut_rule})
    # With targets in the table, fit every run; otherwise hold out the largest ones to see the bands hold.
    default = hi + 0.05 if loaded.targets.any() else 21.0 if lo < 21.0 < hi else round(float(np.median(logc)), 2)
    cut = 10.0 ** slider(t("extrap.cutoff"), cut_rule, "cut", default, right, format="1e%.2f")
    below = compute < cut
else:
    cut = None
    options = tuple(str(r) for r, ok in zip(runs.source_rows, has_loss) if ok)
    names = dict(zip((str(r) for r in runs.source_rows), runs.names))
    show_url_notices({"hold": Choice(options, multiple=True)})
    held = choice(
        t("extrap.pick"), Choice(options, multiple=True), "hold", [], lambda r: f"{r}: {names[r]}", right.multiselect
    )
    below = ~np.isin(runs.source_rows.astype(str), held)
form_col, e_col = st.columns(2)
form = choice(t("forecast.form"), FORM_RULE, "form", "auto", lambda f: t(f"cand.{f}"), form_col.selectbox)
settings = st.columns(3)
boot = int(choice(t("fit.bootstrap"), RULES["boot"], "boot", "1000", widget=settings[0].selectbox))
seed = int(number(t("fit.seed"), RULES["seed"], "seed", 0, settings[1]))
exclude = int(number(t("fit.exclude"), RULES["exclude"], "exclude", loaded.default_exclude, settings[2]))
axis = choice(t("extrap.axis"), RULES["axis"], "axis", "C", lambda a: t(f"role.{a}"), st.radio, horizontal=True)

split = split_runs(runs.loss, loaded.targets, below, exclude)
if problem := design_problem(runs.N[split.train], runs.D[split.train], 5):
    st.error(t("extrap.cannot_fit", problem=escape_markdown(problem)), icon=":material/error:")
    st.stop()
fixed_e = fixed_e_input(loaded, split.train, e_col)
if form == "chinchilla_fixed_e" and fixed_e is None:
    st.warning(t("forecast.needs_e"), icon=":material/warning:")
    form = "auto"
if not np.allclose(compute, runs.C, rtol=0.1):
    st.caption(t("extrap.c_differs"))
comparison, result = run_forecast(loaded, split.train, form, boot, seed, fixed_e)

st.subheader(t("extrap.target"))
targets, chosen = target_controls(loaded, result, RULES)
train = split.train
with answer:
    for warning in fit_warnings(runs.N[train], runs.D[train], result.law, float(compute.max())):
        st.warning(escape_markdown(warning), icon=":material/warning:")
    answer_section(result, comparison, targets, chosen, runs, split, axis, cut, text)
    freeze_controls(result, chosen, runs.N[train], runs.D[train], runs.loss[train], lang)

candidates_section(comparison, result, text)
profile_section(loaded, train, comparison, chosen, fixed_e, text)
calibration_section(result, comparison, text)
heldout_section(result, runs, split.held & ~split.targets, text)
