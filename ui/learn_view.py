"""The Learn page's chapters: each draws its text, its one or two controls, its figure and a link
that opens the full page with the chapter's state in the URL.

Numbers come from the core (presets, laws, fitters) and are formatted here; the words come from
ui/strings/learn.py. Every control is bound to the URL (rules in URL_RULES)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from scaling_core.compute import PF_DAY_FLOPS, kaplan_cmin_from_compute, pfdays_to_flops, training_flops
from scaling_core.emergence import (
    SCHAEFFER_CITATION,
    SCHAEFFER_URL,
    crossing,
    exact_match_accuracy,
    loss_for_exact_match,
    token_probability,
)
from scaling_core.extrapolate import BandModel, fit_with_bands, frontier_bands, holdout_report
from scaling_core.fit import hoffmann_start_grid
from scaling_core.forms import fit_multiplicative, predict_form
from scaling_core.frontier import kaplan_published_allocation, optimal_allocation
from scaling_core.identifiability import identified_count, log_linear_family
from scaling_core.io import RunTable, load_tutorial_runs, validate_runs
from scaling_core.planning.data_constrained import (
    data_constrained_loss,
    data_constrained_optimum,
    effective_tokens,
)
from scaling_core.planning.hparams import deepseek_batch_tokens, deepseek_learning_rate, kaplan_critical_batch_tokens
from scaling_core.planning.inference import inference_aware_optimum, smallest_params_for_loss, tokens_for_loss
from scaling_core.planning.plan import DEFAULTS as PLAN_DEFAULTS
from scaling_core.presets import (
    DEEPSEEK_HPARAMS,
    EPOCH_URL,
    HOFFMANN_TABLE2,
    HOFFMANN_URL,
    KAPLAN_ALLOCATION,
    KAPLAN_CMIN_SCALE_MISPRINT,
    KAPLAN_CRITICAL_BATCH,
    KAPLAN_L_OF_CMIN,
    KAPLAN_L_OF_D,
    KAPLAN_L_OF_N,
    KAPLAN_OVERFIT_TOLERANCE,
    KAPLAN_SINGLE_FACTOR_CITATION,
    KAPLAN_URL,
    MUENNIGHOFF_REPETITION,
    PEARCE_SONG_URL,
    PORIAN_URL,
    PRESETS,
    SARDANA_URL,
    TOKENS_PER_PARAM_RULE_OF_THUMB,
)
from scaling_core.synthetic import DEMO_LAW, demo_runs
from ui import figures
from ui.cached import known_models
from ui.figures import learn as learn_figures
from ui.figures.learn import AllocationLine, DataCurves
from ui.i18n import t
from ui.memo import memoize
from ui.state import Choice, FloatRange, IntRange, Rule, choice, slider
from ui.text import escape_markdown

CHAPTERS = ("power", "kaplan", "budget", "fitting", "trust", "hparams", "beyond")
BEYOND_TOPICS = ("repeat", "inference", "emergence")
CHAPTER_RULE = Choice(CHAPTERS)

EXPLORER = "pages/1_Law_Explorer.py"
FRONTIERS = "pages/2_Frontiers.py"
FIT = "pages/3_Fit.py"
EXTRAPOLATE = "pages/4_Extrapolate.py"
PLAN = "pages/5_Plan.py"  # "Plan a run" (branch plan): linked when it is there, else Frontiers
PLAN_EXISTS = (Path(__file__).resolve().parents[1] / PLAN).is_file()

EPOCH = PRESETS["epoch2024"]
KAPLAN = PRESETS["kaplan2020"]
HOFFMANN = PRESETS["hoffmann2022"]
BUDGETS = np.logspace(18, 27, 181)
SARDANA_LAW = HOFFMANN  # Sardana et al. work with Hoffmann et al.'s parametric fit
# Chapter 3: rows of data/models.csv named in the text (their sizes and tokens come from the file).
BIG_MODELS_2020_2021 = ("GPT-3 175B", "Gopher 280B", "Megatron-Turing NLG 530B")
CHINCHILLA_MODEL = "Chinchilla 70B"
REPEAT_EPOCHS = 4  # Muennighoff et al.: up to about 4 epochs, repeated data is almost as good as new

# Chapter 4: the tutorials' three runs, and the 3 x 3 grid over their N and D that would identify the law.
TUTORIAL: RunTable = load_tutorial_runs()
GRID_N, GRID_D = (a.ravel() for a in np.meshgrid(np.unique(TUTORIAL.N), np.unique(TUTORIAL.D)))

# Chapter 5: the synthetic demo runs (drawn from Epoch's law, so the truth is known), fitted below
# a cutoff placed between two of its compute budgets.
DEMO: RunTable = validate_runs(pd.DataFrame(demo_runs()))
_DEMO_LOG_BUDGETS = np.unique(np.round(np.log10(DEMO.C), 6))
CUTOFFS = tuple(f"{v:.2f}" for v in (_DEMO_LOG_BUDGETS[1:] + _DEMO_LOG_BUDGETS[:-1])[1:] / 2)  # >= 2 budgets fitted
TRUST_BOOTSTRAP = 200
# Every 10th start of Hoffmann's 4,500-start grid: on these few synthetic runs it finds the same
# optimum as the whole grid (tests/test_learn_page.py checks every cutoff) in a tenth of the time.
TRUST_STARTS = hoffmann_start_grid()[::10]

URL_RULES: dict[str, Rule] = {
    "ch": CHAPTER_RULE,
    "pow_b": FloatRange(-1.0, -0.05, 0.01),
    "pow_c": FloatRange(0.0, 3.0, 0.05),
    "kap_n": FloatRange(5.0, 11.0, 0.1),
    "bud_c": FloatRange(18.0, 27.0, 0.1),
    "col_bn": FloatRange(-0.1, 0.15, 0.002),
    "trust_cut": Choice(CUTOFFS),
    "hp_c": FloatRange(18.0, 26.0, 0.1),
    "beyond": Choice(BEYOND_TOPICS),
    "rep_c": FloatRange(20.0, 25.0, 0.1),
    "rep_u": FloatRange(9.0, 13.0, 0.1),
    "inf_loss": FloatRange(1.8, 2.6, 0.005),
    "inf_d": FloatRange(9.0, 14.0, 0.1),
    "em_k": IntRange(1, 50),
}


def _lang_params(lang: str) -> dict[str, str]:
    return {"lang": lang} if lang != "en" else {}


def _link(path: str, label_key: str, params: Mapping[str, object], lang: str) -> None:
    query = {k: (v if isinstance(v, (list, tuple)) else str(v)) for k, v in params.items()} | _lang_params(lang)
    st.page_link(path, label=t(label_key), icon=":material/open_in_new:", query_params=query)


def _footer(
    sources: tuple[tuple[str, str | None], ...], link: tuple[str, str, Mapping[str, object]], lang: str
) -> None:
    """The chapter's sources (a link where they have an address) and the link that opens the full
    page with the chapter's state."""
    cited = (f"[{escape_markdown(name)}]({url})" if url else escape_markdown(name) for name, url in sources)
    st.caption(t("learn.sources") + " " + " · ".join(cited))
    _link(*link, lang)


def flops_text(value: float) -> str:
    """8.8e13, 3.1e8: a published constant as printed (two significant digits at most)."""
    return figures.flops_label(value)


def sci_text(value: float, digits: int) -> str:
    """2.68e28: a derived number in scientific notation with `digits` significant digits."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _columns():
    """Text on the left; controls, figure and live numbers on the right (stacked on a phone)."""
    return st.columns([1, 1], gap="large")


# --- 1. power laws ----------------------------------------------------------------------------


def power_chapter(lang: str, text: Mapping[str, str]) -> None:
    law = EPOCH.law
    left, right = _columns()
    with left:
        st.markdown(t("learn.power.p1"))
        st.markdown(t("learn.power.p2"))
    with right:
        b_col, c_col = st.columns(2)
        b = slider(t("learn.power.b"), URL_RULES["pow_b"], "pow_b", round(-law.alpha, 2), b_col, format="%.2f")
        c = slider(t("learn.power.c"), URL_RULES["pow_c"], "pow_c", round(law.E / 0.05) * 0.05, c_col, format="%.2f")
        x = np.logspace(6, 12, 240)
        pure = predict_form("power", {"a": law.A, "b": b}, x)
        with_offset = predict_form("power_offset", {"a": law.A, "b": b, "c": c}, x)
        fig = learn_figures.power_law_panels(x, pure, with_offset, c, linear_max=1e9, labels=text)
        st.plotly_chart(fig, width="stretch", key="learn_power")
        factor = float(predict_form("power", {"a": 1.0, "b": b}, 10.0))
        at = 1e9
        reducible = float(predict_form("power", {"a": law.A, "b": b}, at))
        st.markdown(
            t(
                "learn.power.live",
                factor=f"{factor:.3f}",
                drop=f"{100 * (1 - factor):.0f}",
                x=figures.count_label(at),
                reducible=f"{reducible:.3f}",
                c=f"{c:.2f}",
                share=f"{100 * reducible / (reducible + c):.0f}",
            )
        )
    st.caption(t("learn.power.caption", a=f"{law.A:.5g}"))
    _footer(
        ((EPOCH.citation, EPOCH.url),),
        (EXPLORER, "learn.power.link", {"preset": EPOCH.name, "alpha": f"{-b:.4f}", "E": f"{max(c, 0.01):.4f}"}),
        lang,
    )


# --- 2. Kaplan et al. 2020 ----------------------------------------------------------------------


def kaplan_constants(text: Mapping[str, str]) -> pd.DataFrame:
    """The single-factor laws L(X) = (X_c / X)^alpha_X with their constants, as the presets hold them."""
    rows = [
        ("L(N)", "α_N", "N_c", KAPLAN_L_OF_N, text["learn.kaplan.unit_params"]),
        ("L(D)", "α_D", "D_c", KAPLAN_L_OF_D, text["learn.kaplan.unit_tokens"]),
        ("L(C_min)", "α_C", "C_c", KAPLAN_L_OF_CMIN, text["learn.kaplan.unit_pfdays"]),
    ]
    return pd.DataFrame(
        [
            {
                text["learn.col.law"]: law_name,
                text["learn.col.exponent"]: f"{exponent} = {law.exponent:g}",
                text["learn.col.scale"]: f"{scale} = {flops_text(law.scale)}",
                text["learn.col.unit"]: unit,
            }
            for law_name, exponent, scale, law, unit in rows
        ]
    )


def kaplan_chapter(lang: str, text: Mapping[str, str]) -> None:
    law = KAPLAN.law
    left, right = _columns()
    with left:
        st.markdown(t("learn.kaplan.p1"))
        st.dataframe(kaplan_constants(text), hide_index=True, width="stretch")
        misprint = dataclasses.replace(KAPLAN_L_OF_CMIN, scale=KAPLAN_CMIN_SCALE_MISPRINT)
        shift = 1.0 - float(misprint.loss(1.0) / KAPLAN_L_OF_CMIN.loss(1.0))  # the same at every C_min
        st.info(
            t(
                "learn.kaplan.misprint",
                wrong=flops_text(KAPLAN_CMIN_SCALE_MISPRINT),
                right=flops_text(KAPLAN_L_OF_CMIN.scale),
                flops=sci_text(float(pfdays_to_flops(KAPLAN_L_OF_CMIN.scale)), 3),
                shift=f"{100 * shift:.1f}",
            ),
            icon=":material/error:",
        )
        st.markdown(
            t(
                "learn.kaplan.p2",
                alpha_N=f"{law.alpha_N:g}",
                alpha_D=f"{law.alpha_D:g}",
                N_c=flops_text(law.N_c),
                D_c=flops_text(law.D_c),
                tolerance=f"{KAPLAN_OVERFIT_TOLERANCE:g}",
            )
        )
    with right:
        log_n = slider(t("learn.kaplan.n"), URL_RULES["kap_n"], "kap_n", 8.0, format="1e%.1f")
        N = 10.0**log_n
        enough = float(law.tokens_for_overfit_penalty(N, KAPLAN_OVERFIT_TOLERANCE))
        floor = float(law.loss(N, np.inf))
        D = np.logspace(6, 14, 200)
        sizes = 10.0 ** np.arange(5.0, 12.0)
        curves = DataCurves(
            D=D,
            sizes=sizes,
            losses=law.loss(sizes[:, None], D[None, :]),
            chosen_N=N,
            chosen=law.loss(N, D),
            floor=floor,
            data_limited=law.loss(np.inf, D),
            enough_D=enough,
            enough_loss=float(law.loss(N, enough)),
        )
        st.plotly_chart(learn_figures.kaplan_data_figure(curves, labels=text), width="stretch", key="learn_kaplan")
        st.markdown(
            t(
                "learn.kaplan.live",
                n=figures.count_label(N),
                floor=f"{floor:.3f}",
                d=figures.count_label(enough),
                ratio=f"{enough / N:.3g}",
                tolerance=f"{100 * KAPLAN_OVERFIT_TOLERANCE:g}",
            )
        )
    st.caption(t("learn.kaplan.caption", tolerance=f"{100 * KAPLAN_OVERFIT_TOLERANCE:g}"))
    _footer(
        ((KAPLAN_SINGLE_FACTOR_CITATION, KAPLAN_URL), (KAPLAN.citation, KAPLAN.url)),
        (EXPLORER, "learn.kaplan.link", {"family": "kaplan", "preset": KAPLAN.name}),
        lang,
    )


# --- 3. splitting a budget ------------------------------------------------------------------------


def budget_table(budget: float, text: Mapping[str, str]) -> pd.DataFrame:
    """Each law's compute-optimal split of one budget, with its exponent a (N_opt ~ C^a)."""
    rows = []
    for name, alloc, exponent in (  # short names: the table must fit a phone (the legend has the long ones)
        (text["learn.budget.kaplan"], kaplan_published_allocation(budget), KAPLAN_ALLOCATION.p_N),
        (text["learn.budget.hoffmann"], optimal_allocation(HOFFMANN.law, budget), HOFFMANN.law.allocation_exponents[0]),
        (text["learn.budget.epoch"], optimal_allocation(EPOCH.law, budget), EPOCH.law.allocation_exponents[0]),
    ):
        rows.append(
            {
                text["learn.col.law"]: name,
                "a": f"{exponent:.2f}",
                text["col.n_opt"]: figures.count_label(float(alloc.N_opt)),
                text["col.d_opt"]: figures.count_label(float(alloc.D_opt)),
                text["col.tokens_per_param"]: f"{float(alloc.tokens_per_param):.1f}",
            }
        )
    return pd.DataFrame(rows)


def budget_chapter(lang: str, text: Mapping[str, str]) -> None:
    left, right = _columns()
    with left:
        st.markdown(
            t(
                "learn.budget.p1",
                p_N=f"{KAPLAN_ALLOCATION.p_N:g}",
                p_D=f"{KAPLAN_ALLOCATION.p_D:g}",
                approaches=", ".join(f"{a:.2f}" for a, _ in HOFFMANN_TABLE2.values()),
                a_epoch=f"{EPOCH.law.allocation_exponents[0]:.2f}",
                tpp=f"{TOKENS_PER_PARAM_RULE_OF_THUMB:g}",
            )
        )
        models = known_models()
        row = {name: i for i, name in enumerate(models.name)}
        big = [row[name] for name in BIG_MODELS_2020_2021]
        chinchilla = row[CHINCHILLA_MODEL]
        st.markdown(
            t(
                "learn.budget.p2",
                big_models=", ".join(BIG_MODELS_2020_2021),
                most_tokens=figures.count_label(float(models.D[big].max())),
                chin_n=figures.count_label(float(models.N[chinchilla])),
                chin_d=figures.count_label(float(models.D[chinchilla])),
            )
        )
        st.markdown(t("learn.budget.p3"))
    with right:
        log_c = slider(t("learn.budget.c"), URL_RULES["bud_c"], "bud_c", 23.8, format="1e%.1f")
        budget = 10.0**log_c
        lines = [
            AllocationLine(
                "kaplan_table6",
                text["frontiers.kaplan_table6"],
                BUDGETS,
                kaplan_published_allocation(BUDGETS).N_opt,
                "dash",
            ),
            AllocationLine(HOFFMANN.name, HOFFMANN.label, BUDGETS, optimal_allocation(HOFFMANN.law, BUDGETS).N_opt),
            AllocationLine(EPOCH.name, EPOCH.label, BUDGETS, optimal_allocation(EPOCH.law, BUDGETS).N_opt),
        ]
        fig = learn_figures.allocation_figure(lines, (models.name, models.N, models.D), budget, labels=text)
        st.plotly_chart(fig, width="stretch", key="learn_budget")
    st.dataframe(budget_table(budget, text), hide_index=True, width="stretch")
    st.caption(t("learn.budget.caption"))
    _footer(
        (
            (KAPLAN_ALLOCATION.citation, KAPLAN_URL),
            ("Hoffmann et al. 2022, Table 2", HOFFMANN_URL),
            (EPOCH.citation, EPOCH_URL),
            ("Pearce & Song 2024", PEARCE_SONG_URL),
            ("Porian et al. 2024", PORIAN_URL),
        ),
        (
            FRONTIERS,
            "learn.budget.link",
            {"laws": ["kaplan_table6", HOFFMANN.name, EPOCH.name], "log10_C": f"{log_c:.2f}"},
        ),
        lang,
    )


# --- 4. fitting, and a trap ------------------------------------------------------------------------


def tutorial_table(fitted: np.ndarray, text: Mapping[str, str]) -> pd.DataFrame:
    r = TUTORIAL
    return pd.DataFrame(
        {
            "N": [figures.count_label(v) for v in r.N],
            "D": [figures.count_label(v) for v in r.D],
            "C": [flops_text(v) for v in r.C],
            "6ND": [flops_text(v) for v in training_flops(r.N, r.D)],
            text["learn.col.metric"]: [f"{v:.2f}" for v in r.loss],
            text["learn.col.fitted"]: [f"{v:.3f}" for v in fitted],
        }
    )


def fitting_chapter(lang: str, text: Mapping[str, str]) -> None:
    r = TUTORIAL
    full = log_linear_family(r.loss, N=r.N, D=r.D, C=r.C)
    family = log_linear_family(r.loss, N=r.N, D=r.D)  # C = 6ND folds into N and D for any real run
    ours = fit_multiplicative(r.loss, N=r.N, D=r.D, C=r.C)
    left, right = _columns()
    with right:  # first: the table on the left shows this slider's fit
        b_n = slider(t("learn.fitting.b_n"), URL_RULES["col_bn"], "col_bn", round(ours.params["b_N"], 3), format="%.3f")
        member = family.member(N=b_n)
        N = np.logspace(8, 12, 61)
        D = np.logspace(8, 12, 61)
        predicted = family.predict(member, N=N[None, :], D=D[:, None])
        fig = learn_figures.collinear_map(N, D, predicted, (r.N, r.D, r.loss), (GRID_N, GRID_D), labels=text)
        st.plotly_chart(fig, width="stretch", key="learn_fitting")
        big_model, long_run = (
            float(family.predict(member, N=n, D=d)) for n, d in ((r.N.max(), r.D.min()), (r.N.min(), r.D.max()))
        )
        st.markdown(
            t(
                "learn.fitting.live",
                b_n=f"{round(member[1], 3) + 0.0:.3f}",
                b_d=f"{round(member[2], 3) + 0.0:.3f}",
                k=f"{np.exp(member[0]):.3g}",
                big_n=figures.count_label(r.N.max()),
                small_d=figures.count_label(r.D.min()),
                big_model=f"{big_model:.3g}",
                small_n=figures.count_label(r.N.min()),
                big_d=figures.count_label(r.D.max()),
                long_run=f"{long_run:.3g}",
            )
        )
    with left:
        st.markdown(t("learn.fitting.p1", identified=full.n_identified, total=full.particular.size))
        st.dataframe(tutorial_table(family.predict(member, N=r.N, D=r.D), text), hide_index=True, width="stretch")
        st.markdown(
            t(
                "learn.fitting.p2",
                lstsq=f"{family.particular[1]:.3f}",
                ours=f"{ours.params['b_N']:.3f}",
                free=full.free_directions,
            )
        )
        st.markdown(
            t(
                "learn.fitting.p3",
                runs=GRID_N.size,
                grid_nd=identified_count(N=GRID_N, D=GRID_D),
                grid_ndc=identified_count(N=GRID_N, D=GRID_D, C=training_flops(GRID_N, GRID_D)),
            )
        )
    st.caption(t("learn.fitting.caption"))
    _footer(
        ((text["learn.fitting.source"], None),),
        (FIT, "learn.fitting.link", {"data": "tutorial", "form": "multiplicative"}),
        lang,
    )


# --- 5. how far can you trust it ----------------------------------------------------------------------


@memoize(max_entries=len(CUTOFFS))
def _fit_below(cut: str) -> BandModel:
    train = DEMO.C < 10.0 ** float(cut)
    return fit_with_bands(
        DEMO.N[train], DEMO.D[train], DEMO.loss[train], n_resamples=TRUST_BOOTSTRAP, seed=0, starts=TRUST_STARTS
    )


_CUT_LOCKS = {cut: threading.Lock() for cut in CUTOFFS}


def trust_model(cut: str) -> BandModel:
    """The demo runs below `cut` fitted with bands; a reader asking for a cutoff the warm-up is
    computing waits for it instead of computing it a second time."""
    with _CUT_LOCKS[cut]:
        return _fit_below(cut)


def trust_chapter(lang: str, text: Mapping[str, str]) -> None:
    left, right = _columns()
    left.markdown(t("learn.trust.p1", runs=DEMO.n_runs, budgets=_DEMO_LOG_BUDGETS.size))
    right.markdown(t("learn.trust.p2", boot=TRUST_BOOTSTRAP))
    right.markdown(t("learn.trust.p3"))
    cut = choice(
        t("learn.trust.cut"),
        URL_RULES["trust_cut"],
        "trust_cut",
        CUTOFFS[1],
        lambda v: f"C < {flops_text(10.0 ** float(v))}",
        st.select_slider,
    )
    cutoff = 10.0 ** float(cut)
    train = DEMO.C < cutoff
    with st.spinner(t("learn.trust.fitting")):
        model = trust_model(cut)
    compute = DEMO.C
    budgets = np.logspace(np.log10(compute.min() / 10), np.log10(compute.max() * 1e2), 120)
    N_opt, D_opt, bands = frontier_bands(model, budgets)
    fig = figures.band_figure(
        budgets,
        bands.point,
        bands.prediction,
        bands.confidence[0.95],
        (compute[train], DEMO.loss[train]),
        (compute[~train], DEMO.loss[~train]),
        x_title=text["axis.compute"],
        labels=text,
        cutoff=cutoff,
        height=500,
    )
    learn_figures.with_truth(
        fig, budgets, DEMO_LAW.loss(N_opt, D_opt), name=text["learn.fig.truth"], title=text["learn.fig.trust_title"]
    )
    st.plotly_chart(fig, width="stretch", key="learn_trust")
    largest = float(compute[train].max())
    _, _, ahead = frontier_bands(model, largest * np.array([1.0, 10.0, 100.0, 1000.0]))
    lo, hi = ahead.prediction[0.95]
    widths = 50.0 * (hi - lo) / ahead.point
    report = holdout_report(model, DEMO.N[~train], DEMO.D[~train], DEMO.loss[~train])
    st.markdown(
        t(
            "learn.trust.live",
            n_train=int(train.sum()),
            largest=flops_text(largest),
            w0=f"{widths[0]:.1f}",
            w1=f"{widths[1]:.1f}",
            w2=f"{widths[2]:.1f}",
            w3=f"{widths[3]:.1f}",
            inside=int(report.inside(0.95).sum()),
            held=int((~train).sum()),
        )
    )
    st.caption(t("learn.trust.caption"))
    _footer(
        ((EPOCH.citation, EPOCH_URL), ("Davison & Hinkley 1997", "https://doi.org/10.1017/CBO9780511802843")),
        (EXTRAPOLATE, "learn.trust.link", {"data": "demo", "cut": cut}),
        lang,
    )


# --- 6. batch size and learning rate --------------------------------------------------------------


def _plan_link(params: Mapping[str, object]) -> tuple[str, str, Mapping[str, object]]:
    """The Plan page with `params`, or Frontiers (same budget) while the Plan page is not there."""
    if PLAN_EXISTS:
        return PLAN, "learn.plan_link", params
    if "log10_C" in params:
        return FRONTIERS, "learn.frontiers_link", {"log10_C": params["log10_C"]}
    return FRONTIERS, "learn.frontiers_page", {}


def kaplan_loss_at(C: np.ndarray | float) -> np.ndarray:
    """Kaplan's L(C_min) for a FLOP budget trained at the critical batch (C_min = C/2, in PF-days)."""
    return KAPLAN_L_OF_CMIN.loss(kaplan_cmin_from_compute(C) / PF_DAY_FLOPS)


def hparams_chapter(lang: str, text: Mapping[str, str]) -> None:
    crit, h = KAPLAN_CRITICAL_BATCH, DEEPSEEK_HPARAMS
    left, right = _columns()
    with left:
        halving = 1.0 - 2.0 ** (-crit.alpha_B)  # loss drop that doubles B_crit = B_* L^(-1/alpha_B)
        st.markdown(
            t(
                "learn.hparams.p1",
                B_star=flops_text(crit.B_star),
                alpha_B=f"{crit.alpha_B:g}",
                drop=f"{100 * halving:.1f}",
            )
        )
        growth = 100.0
        st.markdown(
            t(
                "learn.hparams.p2",
                lr_pre=f"{h.lr_prefactor:g}",
                lr_exp=f"{h.lr_exponent:g}",
                b_pre=f"{h.batch_prefactor:g}",
                b_exp=f"{h.batch_exponent:g}",
                growth=f"{growth:g}",
                b_factor=f"{float(deepseek_batch_tokens(growth) / deepseek_batch_tokens(1.0)):.2f}",
                lr_factor=f"{float(deepseek_learning_rate(growth) / deepseek_learning_rate(1.0)):.2f}",
            )
        )
        st.markdown(t("learn.hparams.p3"))
    with right:
        log_c = slider(t("learn.hparams.c"), URL_RULES["hp_c"], "hp_c", 24.0, format="1e%.1f")
        budget = 10.0**log_c
        compute = np.logspace(18, 26, 161)
        fig = learn_figures.hparams_panels(
            compute,
            deepseek_batch_tokens(compute),
            kaplan_critical_batch_tokens(kaplan_loss_at(compute)),
            deepseek_learning_rate(compute),
            budget,
            labels=text,
        )
        st.plotly_chart(fig, width="stretch", key="learn_hparams")
        batch = float(deepseek_batch_tokens(budget))
        loss = float(kaplan_loss_at(budget))
        seq_len = PLAN_DEFAULTS["seq_len"]
        st.markdown(
            t(
                "learn.hparams.live",
                c=flops_text(budget),
                batch=figures.count_label(batch),
                sequences=f"{batch / seq_len:,.0f}",
                seq_len=f"{seq_len:,}",
                lr=sci_text(float(deepseek_learning_rate(budget)), 2),
                loss=f"{loss:.3f}",
                crit=figures.count_label(float(kaplan_critical_batch_tokens(loss))),
            )
        )
    st.caption(t("learn.hparams.caption"))
    _footer(
        ((crit.citation, crit.url), (h.citation, h.url), (KAPLAN_SINGLE_FACTOR_CITATION, KAPLAN_URL)),
        _plan_link({"budget": "flops", "log10_C": f"{log_c:.2f}"}),
        lang,
    )


# --- 7. beyond loss -------------------------------------------------------------------------------


def repeat_section(lang: str, text: Mapping[str, str]) -> None:
    rep = MUENNIGHOFF_REPETITION
    left, right = _columns()
    with left:
        st.markdown(
            t(
                "learn.repeat.p1",
                r_d=f"{rep.r_d_star:.1f}",
                r_n=f"{rep.r_n_star:.1f}",
                epochs=REPEAT_EPOCHS,
                four=f"{100 * float(effective_tokens(REPEAT_EPOCHS, 1.0, rep.r_d_star)) / REPEAT_EPOCHS:.0f}",
                cap=f"{1 + rep.r_d_star:.1f}",
            )
        )
        st.markdown(t("learn.repeat.p2"))
    with right:
        c_col, u_col = st.columns(2)
        log_c = slider(t("learn.repeat.c"), URL_RULES["rep_c"], "rep_c", 23.0, c_col, format="1e%.1f")
        log_u = slider(t("learn.repeat.u"), URL_RULES["rep_u"], "rep_u", 10.5, u_col, format="1e%.1f")
        C, U = 10.0**log_c, 10.0**log_u
        best = data_constrained_optimum(C, U)
        fresh = data_constrained_optimum(C, np.inf)
        N = np.logspace(np.log10(float(fresh.N_opt)) - 2, np.log10(float(fresh.N_opt)) + 1.5, 200)
        D = C / (6.0 * N)
        fig = learn_figures.repeat_figure(
            N,
            data_constrained_loss(N, D, U),
            data_constrained_loss(N, D, np.inf),
            (float(best.N_opt), float(best.loss)),
            (float(fresh.N_opt), float(fresh.loss)),
            labels=text,
        )
        st.plotly_chart(fig, width="stretch", key="learn_repeat")
        epochs = float(best.epochs)
        st.markdown(
            t(
                "learn.repeat.live",
                c=flops_text(C),
                u=figures.count_label(U),
                n=figures.count_label(float(best.N_opt)),
                d=figures.count_label(float(best.D_opt)),
                epochs=f"{epochs:.2g}",
                worth=f"{100 * float(best.effective_tokens / best.D_opt):.0f}",
                loss=f"{float(best.loss):.3f}",
                n_fresh=figures.count_label(float(fresh.N_opt)),
                d_fresh=figures.count_label(float(fresh.D_opt)),
                loss_fresh=f"{float(fresh.loss):.3f}",
            )
        )
    st.caption(t("learn.repeat.caption"))
    _footer(
        ((rep.citation, rep.url), (PRESETS["muennighoff2023"].citation, PRESETS["muennighoff2023"].url)),
        _plan_link({"budget": "flops", "log10_C": f"{log_c:.2f}", "U": figures.count_label(U)}),
        lang,
    )


def inference_section(lang: str, text: Mapping[str, str]) -> None:
    law = SARDANA_LAW.law
    left, right = _columns()
    with left:
        st.markdown(t("learn.inference.p1"))
        st.markdown(t("learn.inference.p2", law=SARDANA_LAW.label))
    with right:
        l_col, d_col = st.columns(2)
        target = slider(t("learn.inference.loss"), URL_RULES["inf_loss"], "inf_loss", 2.05, l_col, format="%.3f")
        log_d = slider(t("learn.inference.d"), URL_RULES["inf_d"], "inf_d", 12.3, d_col, format="1e%.1f")
        d_inf = 10.0**log_d
        best = inference_aware_optimum(law, target, d_inf)
        n_min = float(smallest_params_for_loss(law, target))
        N = np.logspace(np.log10(n_min) + 0.02, np.log10(n_min) + 3.0, 240)
        # Every model on the iso-loss curve, costed with the optimum's own bookkeeping (6ND + 2N D_inf).
        curve = dataclasses.replace(best, N=N, D=tokens_for_loss(law, N, target))
        fig = learn_figures.inference_figure(
            N,
            curve.training_flops,
            curve.total_flops,
            (float(best.N_compute_optimal), float(training_flops(best.N_compute_optimal, best.D_compute_optimal))),
            (float(best.N), float(best.total_flops)),
            labels=text,
        )
        st.plotly_chart(fig, width="stretch", key="learn_inference")
        st.markdown(
            t(
                "learn.inference.live",
                loss=f"{target:.3f}",
                d_inf=figures.count_label(d_inf),
                n0=figures.count_label(float(best.N_compute_optimal)),
                d0=figures.count_label(float(best.D_compute_optimal)),
                n=figures.count_label(float(best.N)),
                d=figures.count_label(float(best.D)),
                ratio=f"{float(best.D / best.N):.0f}",
                saving=f"{100 * float(best.saving_fraction):.0f}",
            )
        )
    st.caption(t("learn.inference.caption"))
    _footer(
        (("Sardana, Portes, Doubov, Frankle 2024", SARDANA_URL), (SARDANA_LAW.citation, SARDANA_LAW.url)),
        _plan_link(
            {"budget": "loss", "loss": f"{target:.3f}", "Dinf": figures.count_label(d_inf), "law": SARDANA_LAW.name}
        ),
        lang,
    )


def emergence_section(lang: str, text: Mapping[str, str]) -> None:
    law = EPOCH.law
    left, right = _columns()
    with left:
        st.markdown(t("learn.emergence.p1"))
        st.markdown(t("learn.emergence.p2"))
    with right:
        k = int(slider(t("learn.emergence.k"), URL_RULES["em_k"], "em_k", 10))
        compute = np.logspace(18, 27, 361)
        frontier = optimal_allocation(law, compute)
        token_loss = frontier.loss - law.E  # the part of the loss that scale removes (toy answer loss)
        exact = exact_match_accuracy(token_loss, k)
        first, half = crossing(compute, exact, [0.01, 0.5])
        fig = learn_figures.emergence_panels(
            compute, token_loss, exact, token_probability(token_loss), k, (float(first), float(half)), labels=text
        )
        st.plotly_chart(fig, width="stretch", key="learn_emergence")
        if exact[0] >= 0.01:  # short answers: exact match already follows the per-token accuracy
            st.markdown(t("learn.emergence.visible", k=k, start=f"{100 * exact[0]:.0f}"))
        elif np.isfinite(first):
            reach = (
                t("learn.emergence.half", c50=flops_text(float(half)))
                if np.isfinite(half)
                else t("learn.emergence.not_half", c_max=flops_text(float(compute[-1])))
            )
            at_first = float(token_probability(loss_for_exact_match(0.01, k)))
            st.markdown(
                t("learn.emergence.live", k=k, c1=flops_text(float(first)), p1=f"{100 * at_first:.0f}", reach=reach)
            )
        else:
            st.markdown(t("learn.emergence.outside", k=k, c_max=flops_text(float(compute[-1]))))
    st.caption(t("learn.emergence.caption"))
    _footer(
        ((SCHAEFFER_CITATION, SCHAEFFER_URL), (EPOCH.citation, EPOCH.url)),
        (FRONTIERS, "learn.emergence.link", {"laws": [EPOCH.name]}),
        lang,
    )


BEYOND: dict[str, Callable[[str, Mapping[str, str]], None]] = {
    "repeat": repeat_section,
    "inference": inference_section,
    "emergence": emergence_section,
}


def beyond_chapter(lang: str, text: Mapping[str, str]) -> None:
    st.markdown(t("learn.beyond.intro"))
    topic = choice(
        t("learn.beyond.topic"),
        URL_RULES["beyond"],
        "beyond",
        BEYOND_TOPICS[0],
        lambda v: t(f"learn.{v}.title"),
        st.radio,
        horizontal=True,
    )
    BEYOND[topic](lang, text)


# --- the page -----------------------------------------------------------------------------------

DRAW: dict[str, Callable[[str, Mapping[str, str]], None]] = {
    "power": power_chapter,
    "kaplan": kaplan_chapter,
    "budget": budget_chapter,
    "fitting": fitting_chapter,
    "trust": trust_chapter,
    "hparams": hparams_chapter,
    "beyond": beyond_chapter,
}


def chapter_title(chapter: str) -> str:
    return t(f"learn.{chapter}.title", number=CHAPTERS.index(chapter) + 1)


def chapter_picker() -> str:
    return choice(t("learn.chapter"), CHAPTER_RULE, "ch", CHAPTERS[0], chapter_title)


def draw_chapter(chapter: str, lang: str, text: Mapping[str, str]) -> None:
    st.header(chapter_title(chapter), divider="gray")
    DRAW[chapter](lang, text)


def _go_to(chapter: str) -> None:
    st.session_state["ch"] = chapter


def chapter_nav(chapter: str) -> None:
    """Previous and next chapter buttons (the chapter lives in the URL as `ch`)."""
    i = CHAPTERS.index(chapter)
    back, forward = st.columns(2)
    if i > 0:
        back.button(
            t("learn.previous", title=chapter_title(CHAPTERS[i - 1])),
            icon=":material/arrow_back:",
            on_click=_go_to,
            args=(CHAPTERS[i - 1],),
            key="learn_prev",
            width="stretch",
        )
    if i + 1 < len(CHAPTERS):
        forward.button(
            t("learn.next", title=chapter_title(CHAPTERS[i + 1])),
            icon=":material/arrow_forward:",
            icon_position="right",
            on_click=_go_to,
            args=(CHAPTERS[i + 1],),
            key="learn_next",
            width="stretch",
            type="primary",
        )
