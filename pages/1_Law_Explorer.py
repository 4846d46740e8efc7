import streamlit as st

from ui.cached import known_models
from ui.explorer_view import explorer_figures
from ui.figures import LAW_COLORS
from ui.i18n import labels, t
from ui.law_controls import family_from_url, law_controls, law_latex, url_rules
from ui.layout import setup_page
from ui.state import Flag, FloatPair, slider

RANGE_RULES = {"n_range": FloatPair(4.0, 15.0, 0.5), "d_range": FloatPair(6.0, 16.0, 0.5)}
MODELS_RULE = Flag()

lang = setup_page("explorer.title", {**url_rules(family_from_url()), **RANGE_RULES, "models": MODELS_RULE})
st.title(t("explorer.title"))
st.caption(t("explorer.caption"))

controls, main = st.columns([1, 3], gap="large")
with controls:
    family, preset, law, modified = law_controls()
    if modified:
        st.info(t("explorer.modified"), icon=":material/edit:")
    st.subheader(t("explorer.ranges"))
    # sorted: a hand-edited link may give the two ends in either order
    n_range = tuple(
        sorted(slider(t("explorer.n_range"), RANGE_RULES["n_range"], "n_range", (6.0, 13.0), format="1e%.1f"))
    )
    d_range = tuple(
        sorted(slider(t("explorer.d_range"), RANGE_RULES["d_range"], "d_range", (8.0, 14.5), format="1e%.1f"))
    )
    show_models = st.checkbox(t("explorer.show_models"), value=True, key="models", bind="query-params")

with main:
    if n_range[0] == n_range[1] or d_range[0] == d_range[1]:
        n_range = (n_range[0], n_range[0] + 0.5) if n_range[0] == n_range[1] else n_range
        d_range = (d_range[0], d_range[0] + 0.5) if d_range[0] == d_range[1] else d_range
    color = LAW_COLORS["fit"] if modified else LAW_COLORS.get(preset, LAW_COLORS["fit"])
    contour, vs_n, vs_d = explorer_figures(
        law, n_range, d_range, known_models() if show_models else None, labels(lang), color
    )
    st.latex(law_latex(law))
    st.plotly_chart(contour, width="stretch", key="map")
    counted = "total" if family == "chinchilla" else "non-embedding"
    notes = [t("explorer.n_counted", counted=t(f"counted.{counted}"))]
    if family == "chinchilla":
        a, b = law.allocation_exponents
        notes.append(t("explorer.optimum_rule", a=f"{a:.3f}", b=f"{b:.3f}"))
    else:
        notes.append(t("explorer.kaplan_numeric"))
    if show_models:
        notes.append(t("explorer.models_note"))
    st.caption(" ".join(notes))
    left, right = st.columns(2)
    left.plotly_chart(vs_n, width="stretch", key="vs_n")
    right.plotly_chart(vs_d, width="stretch", key="vs_d")
