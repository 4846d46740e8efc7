import streamlit as st

from scaling_core.analysis import FitError, FitOptions
from scaling_core.fit import ChinchillaFit, KaplanFit
from scaling_core.isoflop import IsoFlopFit
from ui.fit_controls import FIT_RULES, N_COUNT_RULE, fit_options
from ui.fit_run import fit_with_progress
from ui.fit_view import (
    constants_table,
    constraint_summary,
    derived_table,
    joint_figures,
    law_json,
    local_optima_table,
    residual_csv,
    share_links,
)
from ui.forms_view import forms_section
from ui.i18n import labels, t
from ui.layout import setup_page
from ui.run_input import runs_input
from ui.state import choice
from ui.text import escape_markdown

lang = setup_page("fit.title", FIT_RULES)
text = labels(lang)
st.title(t("fit.title"))
st.caption(t("fit.caption"))

st.subheader(t("fit.data"))
loaded = runs_input()
if loaded is None:
    st.stop()

st.subheader(t("fit.form"))
options: FitOptions = fit_options(loaded)
n_counts = choice(
    t("fit.n_counts"), N_COUNT_RULE, "ncount", "total", lambda c: t(f"counted.{c}"), st.radio, horizontal=True
)
try:
    outcome = fit_with_progress(loaded, options)
except FitError as err:
    st.error(escape_markdown(str(err)), icon=":material/error:")
    st.stop()
for note in outcome.notes:
    st.info(escape_markdown(note), icon=":material/info:")
for warning in outcome.warnings:
    st.warning(escape_markdown(warning), icon=":material/warning:")

fit = outcome.fit
st.subheader(t("fit.results"))
if isinstance(fit, (ChinchillaFit, KaplanFit)):
    cols = st.columns(4)
    cols[0].metric(t("fit.n_runs"), f"{fit.n_runs}", help=t("fit.excluded_help", k=len(fit.excluded)))
    cols[1].metric(t("fit.objective"), f"{fit.objective:.6g}", help=t("fit.objective_help", delta=fit.delta))
    cols[2].metric(t("fit.starts_agree"), f"{fit.n_starts_at_best} / {fit.n_starts}", help=t("fit.starts_help"))
    cols[3].metric(t("fit.converged"), f"{fit.n_converged} / {fit.n_starts}")
    if fit.n_starts_at_best < max(3, fit.n_starts // 100):
        st.warning(t("fit.weak_optimum"), icon=":material/warning:")
    if isinstance(fit, ChinchillaFit) and (summary := constraint_summary(fit, text)):
        st.info(summary[0], icon=":material/lock:")
        for line in summary[1:]:
            st.warning(line, icon=":material/warning:")
    if isinstance(fit, ChinchillaFit) and len(fit.local_optima) > 1:
        with st.expander(t("fit.local_optima", n=len(fit.local_optima))):
            st.dataframe(local_optima_table(fit, text), hide_index=True, width="stretch")
    published = "total" if fit.law.family == "chinchilla" else "non-embedding"
    if n_counts != published:
        st.info(
            t("fit.n_mismatch", yours=t(f"counted.{n_counts}"), theirs=t(f"counted.{published}")),
            icon=":material/info:",
        )
    st.dataframe(constants_table(outcome, text), hide_index=True, width="stretch")
    derived = derived_table(outcome, text)
    if derived is not None:
        st.dataframe(derived, hide_index=True, width="stretch")
    if not outcome.intervals:
        st.caption(t("fit.no_intervals"))
    obs_pred, resid, fitted_map = joint_figures(outcome, text)
    left, right = st.columns(2)
    left.plotly_chart(obs_pred, width="stretch", key="obs_pred")
    right.plotly_chart(fitted_map, width="stretch", key="fitted_map")
    st.plotly_chart(resid, width="stretch", key="residuals")
    if links := share_links(outcome, lang):
        st.markdown(t("fit.open_in", **links) + " " + t("fit.links_note"))
elif isinstance(fit, IsoFlopFit):
    from ui.forms_view import isoflop_section

    isoflop_section(outcome, text)
else:
    forms_section(outcome, text)

down_law, down_resid = st.columns(2)
down_law.download_button(
    t("fit.download_law"),
    data=lambda: law_json(outcome),
    file_name="fitted_law.json",
    mime="application/json",
    icon=":material/download:",
)
down_resid.download_button(
    t("fit.download_residuals"),
    data=lambda: residual_csv(outcome),
    file_name="residuals.csv",
    mime="text/csv",
    icon=":material/download:",
)
st.caption(t("fit.data_credit"))
