"""Choosing a law in the UI: family, preset and one URL-bound slider per constant.

Scale constants (A, B, N_c, D_c) span decades, so their sliders move in log10 and the
label shows the value itself. The URL keys are the slider keys (e.g. `log10_A`).
"""

from __future__ import annotations

import math

import streamlit as st

from scaling_core.laws import JointLaw, law_from_params
from scaling_core.presets import DEFAULT_PRESET, PRESETS, presets_of_family
from ui.i18n import t
from ui.state import Choice, FloatRange, choice, slider

FAMILIES = ("chinchilla", "kaplan")
LOG_KEYS = {"A", "B", "N_c", "D_c"}  # constants whose sliders move in log10
CONSTANT_RULES: dict[str, dict[str, FloatRange]] = {
    "chinchilla": {
        "E": FloatRange(0.01, 6.0, 0.0001),
        "log10_A": FloatRange(-1.0, 8.0, 0.001),
        "log10_B": FloatRange(-1.0, 8.0, 0.001),
        "alpha": FloatRange(0.01, 2.0, 0.0001),
        "beta": FloatRange(0.01, 2.0, 0.0001),
    },
    "kaplan": {
        "log10_N_c": FloatRange(8.0, 18.0, 0.001),
        "log10_D_c": FloatRange(8.0, 18.0, 0.001),
        "alpha_N": FloatRange(0.005, 0.5, 0.0001),
        "alpha_D": FloatRange(0.005, 0.5, 0.0001),
    },
}
LABELS = {
    "E": "E",
    "A": "A",
    "B": "B",
    "alpha": "α",
    "beta": "β",
    "N_c": "N_c",
    "D_c": "D_c",
    "alpha_N": "α_N",
    "alpha_D": "α_D",
}


def slider_key(name: str) -> str:
    return f"log10_{name}" if name in LOG_KEYS else name


def slider_values(law: JointLaw) -> dict[str, float]:
    """{slider key: slider value} for a law."""
    return {slider_key(k): (math.log10(v) if k in LOG_KEYS else v) for k, v in law.params().items()}


def law_from_sliders(family: str, values: dict[str, float]) -> JointLaw:
    params = {}
    for key, value in values.items():
        name = key.removeprefix("log10_")
        params[name] = 10.0**value if name in LOG_KEYS else value
    return law_from_params(family, params)


def family_from_url() -> str:
    family = st.session_state.get("family", st.query_params.get("family", FAMILIES[0]))
    return family if family in FAMILIES else FAMILIES[0]


def url_rules(family: str) -> dict:
    return {"family": Choice(FAMILIES), "preset": Choice(tuple(presets_of_family(family))), **CONSTANT_RULES[family]}


def _load_preset(name: str) -> None:
    for key, value in slider_values(PRESETS[name].law).items():
        st.session_state[key] = value


def _on_family_change() -> None:
    # Put the old family's sliders back to that family's default preset, so that coming back
    # to it shows the preset its selector will show; the new family starts at its default.
    # The URL's preset is updated here too: the page checks the URL before drawing widgets.
    family = st.session_state["family"]
    old_family = next(f for f in FAMILIES if f != family)
    for key, value in slider_values(PRESETS[DEFAULT_PRESET[old_family]].law).items():
        if key in st.session_state:
            st.session_state[key] = value
    st.session_state["preset"] = DEFAULT_PRESET[family]
    if "preset" in st.query_params:
        del st.query_params["preset"]


def law_controls() -> tuple[str, str, JointLaw, bool]:
    """Draw the law selector and constant sliders. Returns (family, preset, law, modified)."""
    family = choice(
        t("explorer.family"),
        Choice(FAMILIES),
        "family",
        FAMILIES[0],
        format_func=lambda f: t(f"family.{f}"),
        widget=st.radio,
        on_change=_on_family_change,
    )
    options = tuple(presets_of_family(family))
    preset = choice(
        t("explorer.preset"),
        Choice(options),
        "preset",
        DEFAULT_PRESET[family],
        format_func=lambda p: PRESETS[p].label,
        on_change=lambda: _load_preset(st.session_state["preset"]),
    )
    info = PRESETS[preset]
    st.caption(f"[{info.citation}]({info.url}) · {info.dataset}")
    defaults = slider_values(info.law)
    values = {}
    for key, rule in CONSTANT_RULES[family].items():
        name = key.removeprefix("log10_")
        if name in LOG_KEYS:
            values[key] = slider(f"log₁₀ {LABELS[name]}", rule, key, defaults[key], format="%.3f")
            st.caption(f"{LABELS[name]} = {10.0 ** values[key]:.5g}")
        else:
            values[key] = slider(LABELS[name], rule, key, defaults[key], format="%.4f")
    st.button(t("explorer.reset"), on_click=_load_preset, args=(preset,))
    modified = any(not math.isclose(values[k], defaults[k], rel_tol=1e-9, abs_tol=1e-12) for k in values)
    return family, preset, law_from_sliders(family, values), modified


def law_latex(law: JointLaw) -> str:
    """The law with its constants filled in, for st.latex."""
    p = {k: f"{v:.5g}" for k, v in law.params().items()}
    if law.family == "chinchilla":
        return rf"L(N, D) = {p['E']} + \frac{{{p['A']}}}{{N^{{{p['alpha']}}}}} + \frac{{{p['B']}}}{{D^{{{p['beta']}}}}}"
    n_c, d_c = (
        f"{law.N_c:.4g}".replace("e+", r"\times 10^{") + "}",
        f"{law.D_c:.4g}".replace("e+", r"\times 10^{") + "}",
    )
    return (
        rf"L(N, D) = \left[\left(\frac{{{n_c}}}{{N}}\right)^{{{p['alpha_N']}/{p['alpha_D']}}}"
        rf" + \frac{{{d_c}}}{{D}}\right]^{{{p['alpha_D']}}}"
    )
