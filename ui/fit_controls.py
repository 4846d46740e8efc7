"""The Fit and Extrapolate pages' settings: every one bound to the URL."""

from __future__ import annotations

import streamlit as st

from scaling_core.analysis import FORMS, JOINT_FORMS, FitOptions
from scaling_core.forms import SINGLE_VARIABLE_FORMS
from ui.i18n import t
from ui.run_input import SOURCE_RULE, LoadedRuns, form_for_source
from ui.state import Choice, Flag, FloatRange, IntRange, choice, number, slider

BOOTSTRAP_CHOICES = ("0", "200", "1000", "4000")
N_COUNT_RULE = Choice(("total", "non-embedding"))
FIT_RULES = {
    "data": SOURCE_RULE,
    "form": Choice(FORMS),
    "delta": FloatRange(1e-5, 1.0, 1e-4),
    "exclude": IntRange(0, 100),
    "boot": Choice(BOOTSTRAP_CHOICES),
    "seed": IntRange(0, 2**31 - 1),
    "log10_C": FloatRange(18.0, 27.0, 0.05),
    "log10_N": FloatRange(6.0, 13.0, 0.05),
    "log10_D": FloatRange(8.0, 15.0, 0.05),
    "x": Choice(("N", "D", "C")),
    "bins": FloatRange(1.0, 10.0, 0.5),
    "ncount": N_COUNT_RULE,
    "final": Flag(),
}


def fit_options(loaded: LoadedRuns, default_form: str = "chinchilla") -> FitOptions:
    """Draw the settings of the chosen form; return them as FitOptions."""
    exclude_default = loaded.default_exclude
    default_form = form_for_source(loaded.source, default_form)
    top = st.columns([2, 1, 1, 1])
    form = choice(
        t("fit.form_label"), FIT_RULES["form"], "form", default_form, lambda f: t(f"form.{f}"), top[0].selectbox
    )
    options = {"form": form}
    if form in JOINT_FORMS:
        options["exclude_top_loss"] = int(
            number(
                t("fit.exclude"), FIT_RULES["exclude"], "exclude", exclude_default, top[1], help=t("fit.exclude_help")
            )
        )
        options["huber_delta"] = float(
            number(t("fit.delta"), FIT_RULES["delta"], "delta", 1e-3, top[2], format="%.4f", help=t("fit.delta_help"))
        )
        boot = choice(t("fit.bootstrap"), FIT_RULES["boot"], "boot", "1000", widget=top[3].selectbox)
        options["bootstrap"] = int(boot)
        row = st.columns([1, 1, 1, 1])
        options["seed"] = int(number(t("fit.seed"), FIT_RULES["seed"], "seed", 0, row[0]))
        if form == "chinchilla":
            options["budget"] = 10.0 ** slider(
                t("fit.budget"), FIT_RULES["log10_C"], "log10_C", 23.76, row[1], format="1e%.2f"
            )
            target_n = 10.0 ** slider(
                t("fit.target_n"), FIT_RULES["log10_N"], "log10_N", 10.85, row[2], format="1e%.2f"
            )
            target_d = 10.0 ** slider(
                t("fit.target_d"), FIT_RULES["log10_D"], "log10_D", 12.15, row[3], format="1e%.2f"
            )
            options["target"] = (target_n, target_d)
    elif form in SINGLE_VARIABLE_FORMS:
        options["x"] = choice(t("fit.x"), FIT_RULES["x"], "x", "C", lambda v: t(f"role.{v}"), top[1].radio)
    elif form == "isoflop":
        options["bins_per_decade"] = float(
            slider(t("fit.bins"), FIT_RULES["bins"], "bins", 4.0, top[1], help=t("fit.bins_help"))
        )
    return FitOptions(**options)
