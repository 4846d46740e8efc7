"""The Fit and Extrapolate pages' settings: every one bound to the URL."""

from __future__ import annotations

import streamlit as st

from scaling_core.analysis import FORMS, JOINT_FORMS, FitOptions
from scaling_core.constraints import CONSTANTS, FREE, POSITIVE, Constraint, ConstraintError
from scaling_core.forms import SINGLE_VARIABLE_FORMS
from scaling_core.presets import PRESETS
from ui.fit_view import DISPLAY_NAME
from ui.i18n import t
from ui.run_input import SOURCE_RULE, LoadedRuns, form_for_source
from ui.state import Choice, Flag, FloatRange, IntRange, choice, number, slider

BOOTSTRAP_CHOICES = ("0", "200", "1000", "4000")
N_COUNT_RULE = Choice(("total", "non-embedding"))
# Constraints (Chinchilla form): ranges of the number inputs, per constant, natural units.
_CONSTANT_RANGE = {
    "E": FloatRange(0.0, 20.0, 0.01),
    "A": FloatRange(0.0, 1e12, 1.0),
    "B": FloatRange(0.0, 1e12, 1.0),
    "alpha": FloatRange(0.0, 5.0, 0.01),
    "beta": FloatRange(0.0, 5.0, 0.01),
}
# Default bounds when a constant is first bounded: wide around the published fits.
_DEFAULT_BOUNDS = {"E": (1.0, 3.0), "A": (1.0, 1e5), "B": (1.0, 1e5), "alpha": (0.1, 0.8), "beta": (0.1, 0.8)}
CONSTRAINT_RULES = {
    "tie": Flag(),
    "fix": Choice(CONSTANTS, multiple=True),
    "bound": Choice(CONSTANTS, multiple=True),
    **{f"fix_{n}": _CONSTANT_RANGE[n] for n in CONSTANTS},
    **{f"lo_{n}": _CONSTANT_RANGE[n] for n in CONSTANTS},
    **{f"hi_{n}": _CONSTANT_RANGE[n] for n in CONSTANTS},
}
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
    **CONSTRAINT_RULES,
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
            options["constraint"] = constraint_controls()
    elif form in SINGLE_VARIABLE_FORMS:
        options["x"] = choice(t("fit.x"), FIT_RULES["x"], "x", "C", lambda v: t(f"role.{v}"), top[1].radio)
    elif form == "isoflop":
        options["bins_per_decade"] = float(
            slider(t("fit.bins"), FIT_RULES["bins"], "bins", 4.0, top[1], help=t("fit.bins_help"))
        )
    return FitOptions(**options)


def constraint_error_text(err: ConstraintError) -> str:
    """A constraint's problem in the page's language (constant names as symbols)."""
    values = {k: DISPLAY_NAME.get(v, v) if k == "name" else v for k, v in err.values.items()}
    key = f"constraints.error.{err.kind}"
    text = t(key, **values)
    return text if text != key else t("constraints.error.other", message=str(err))


def constraint_controls() -> Constraint:
    """The Constraints expander of the Chinchilla form: tie the exponents, fix constants, bound
    constants; all in the URL. Stops the page with a message when the constraint is impossible."""
    active = bool(st.query_params.get("tie") == "true" or st.query_params.get("fix") or st.query_params.get("bound"))
    with st.expander(t("constraints.expander"), expanded=active, icon=":material/lock:"):
        st.caption(t("constraints.help"))
        tie = st.checkbox(
            t("constraints.tie"), value=False, key="tie", bind="query-params", help=t("constraints.tie_help")
        )
        names = DISPLAY_NAME.__getitem__
        left, right = st.columns(2)
        with left:
            to_fix = choice(t("constraints.fix"), FIT_RULES["fix"], "fix", [], names, help=t("constraints.fix_help"))
            preset = PRESETS["epoch2024"].law.params()
            fixed = {
                n: float(
                    number(
                        t("constraints.fix_value", name=names(n)),
                        FIT_RULES[f"fix_{n}"],
                        f"fix_{n}",
                        float(preset[n]),
                        format="%.6g",
                    )
                )
                for n in CONSTANTS
                if n in to_fix
            }
        with right:
            to_bound = choice(
                t("constraints.bound"), FIT_RULES["bound"], "bound", [], names, help=t("constraints.bound_help")
            )
            bounds = {}
            for n in CONSTANTS:
                if n not in to_bound:
                    continue
                lo_col, hi_col = st.columns(2)
                lo = number(
                    t("constraints.lo", name=names(n)),
                    FIT_RULES[f"lo_{n}"],
                    f"lo_{n}",
                    _DEFAULT_BOUNDS[n][0],
                    lo_col,
                    format="%.6g",
                )
                hi = number(
                    t("constraints.hi", name=names(n)),
                    FIT_RULES[f"hi_{n}"],
                    f"hi_{n}",
                    _DEFAULT_BOUNDS[n][1],
                    hi_col,
                    format="%.6g",
                )
                bounds[n] = (float(lo), float(hi))
            if any(n in POSITIVE for n in bounds):
                st.caption(t("constraints.positive_note"))
        try:
            return Constraint.of(fixed, tie, bounds) if (fixed or tie or bounds) else FREE
        except ConstraintError as err:
            st.error(constraint_error_text(err), icon=":material/error:")
            st.stop()
