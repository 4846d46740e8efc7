import numpy as np
import streamlit as st

from scaling_core.compute import GPU_PEAK_BF16_DENSE, compute_from_gpu_hours, flops_to_pfdays
from ui.cached import known_models
from ui.figures import count_label, flops_label
from ui.frontiers_view import (
    COMPARABLE,
    DEFAULT_LAWS,
    budget_optima,
    entries,
    frontier_figure,
    law_label,
    valley_figure,
)
from ui.i18n import labels, t
from ui.layout import setup_page
from ui.state import Choice, FloatRange, IntRange, choice, law_param, number, slider

RULES = {
    "laws": Choice(COMPARABLE, multiple=True),
    "budget": Choice(("flops", "gpus")),
    "log10_C": FloatRange(18.0, 27.0, 0.05),
    "gpu": Choice(tuple(GPU_PEAK_BF16_DENSE)),
    "gpus": IntRange(1, 1_000_000),
    "days": FloatRange(0.1, 3650.0, 0.1),
    "mfu": FloatRange(0.05, 0.9, 0.01),
}

lang = setup_page("frontiers.title", RULES)
text = labels(lang)
st.title(t("frontiers.title"))
st.caption(t("frontiers.caption"))

keys = choice(t("frontiers.laws"), RULES["laws"], "laws", list(DEFAULT_LAWS), lambda k: law_label(k, text))
fitted = law_param("fit")  # a law fitted on the Fit page travels here as `fit=chinchilla:E=..,...`
laws = entries(keys, text, fitted)
st.warning(t("frontiers.not_comparable"), icon=":material/balance:")

st.subheader(t("frontiers.budget"))
mode_col, budget_col = st.columns([1, 3])
with mode_col:
    mode = choice(t("frontiers.budget_mode"), RULES["budget"], "budget", "flops", lambda m: t(f"budget.{m}"), st.radio)
with budget_col:
    if mode == "flops":
        budget = 10.0 ** slider(t("frontiers.log_compute"), RULES["log10_C"], "log10_C", 24.0, format="1e%.2f")
    else:
        gpu_col, n_col, days_col, mfu_col = st.columns(4)
        gpu = choice(t("frontiers.gpu"), RULES["gpu"], "gpu", RULES["gpu"].options[1], widget=gpu_col.selectbox)
        n_gpus = number(t("frontiers.n_gpus"), RULES["gpus"], "gpus", 1024, n_col)
        days = number(t("frontiers.days"), RULES["days"], "days", 30.0, days_col)
        mfu = slider(t("frontiers.mfu"), RULES["mfu"], "mfu", 0.4, mfu_col)
        budget = float(compute_from_gpu_hours(n_gpus, days * 24, GPU_PEAK_BF16_DENSE[gpu], mfu))
    st.markdown(t("frontiers.budget_value", flops=flops_label(budget), pfdays=f"{flops_to_pfdays(budget):.4g}"))

if not laws:
    st.info(t("frontiers.pick_a_law"), icon=":material/info:")
    st.stop()
st.plotly_chart(frontier_figure(laws, text, known_models(), budget), width="stretch", key="frontiers")
st.caption(t("frontiers.models_note") + " " + t("frontiers.kaplan_table6_note") + " " + t("plan.frontiers_note"))

st.plotly_chart(valley_figure(laws, text, budget), width="stretch", key="valley")
st.subheader(t("frontiers.table_title"))
rows = [
    {
        t("col.law"): entry.label,
        t("col.n_opt"): count_label(a.N_opt[0]),
        t("col.d_opt"): count_label(a.D_opt[0]),
        t("col.tokens_per_param"): f"{a.tokens_per_param[0]:.1f}",
        t("col.loss"): "—" if np.isnan(a.loss[0]) else f"{a.loss[0]:.4f}",
        t("col.source"): entry.source,
    }
    for entry, a in budget_optima(laws, budget)
]
st.dataframe(rows, hide_index=True, width="stretch")
