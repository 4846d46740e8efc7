"""The Plan page's sections: the answer first, then shape, memory, learning rate and batch size,
data-constrained and inference-aware optima, and the plan as a table, a download and a link.

Numbers come from scaling_core.planning (the same plan_run as the command line); figures from
ui.figures.plan; every formula's source is in a hover (help=) or a caption.
"""

from __future__ import annotations

import json
import math
import urllib.parse
from collections.abc import Mapping

import numpy as np
import streamlit as st

from scaling_core.planning.inference import inference_aware_optimum, loss_floor
from scaling_core.planning.memory import GB, ZERO_STAGES, model_state_bytes
from scaling_core.planning.plan import Plan, PlanError, plan_run
from scaling_core.presets import (
    ALLOCATIONS,
    DEEPSEEK_HPARAMS,
    KAPLAN_CRITICAL_BATCH,
    KORTHIKANTI_URL,
    MUENNIGHOFF_REPETITION,
    PRESETS,
    SARDANA_URL,
    STEP_LAW,
    ZERO_URL,
)
from ui.figures import count_label, flops_label
from ui.figures.plan import inference_tradeoff, memory_bars
from ui.i18n import t
from ui.plan_controls import FITTED, PlanInputs, law_label
from ui.text import escape_markdown

INFERENCE_GRID = np.logspace(9, 15, 49)  # lifetime inference tokens for the trade-off plot


def _flops(value: float) -> str:
    return f"{value:.3g}".replace("e+", "e")


def _num(value: float | None, digits: int = 3) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.{digits}g}".replace("e+", "e")


def _loss(value: float | None) -> str:
    """Losses with four decimals: differences between plans sit in the third."""
    return "—" if value is None or not math.isfinite(value) else f"{value:.4f}"


def make_plan(inputs: PlanInputs) -> tuple[Plan | None, str | None]:
    """The plan, or None and a translated message naming what cannot be planned."""
    law = inputs.plan_law
    if inputs.target_loss is not None:
        if not law.has_loss:
            return None, t("plan.err.rule_no_loss", law=law_label(inputs.law_key))
        floor = loss_floor(law.law)
        if inputs.target_loss <= floor:
            return None, t("plan.err.below_floor", loss=f"{inputs.target_loss:g}", floor=f"{floor:.4g}")
    if inputs.count % inputs.tensor_parallel:
        return None, t("plan.err.tp", tp=inputs.tensor_parallel, count=inputs.count)
    try:
        return plan_run(**inputs.plan_kwargs()), None
    except PlanError as err:
        return None, t("plan.err.other", problem=escape_markdown(str(err), 300))


def law_source(inputs: PlanInputs) -> str:
    key = inputs.law_key
    if key == FITTED:
        return t("plan.fitted_source")
    entry = ALLOCATIONS.get(key) or PRESETS[key]
    return f"[{entry.citation}]({entry.url})"


def answer(plan: Plan, inputs: PlanInputs) -> None:
    """The headline numbers, each with its formula and source on hover."""
    acc = plan.accelerator
    peak = f"{acc.peak_flops:.4g}"
    if inputs.budget == "hardware":
        compute_help = t("plan.h.compute_hw", count=plan.count, days=_num(inputs.days), peak=peak, mfu=plan.mfu)
    elif inputs.budget == "flops":
        compute_help = t("plan.h.compute_flops")
    else:
        compute_help = t("plan.h.compute_loss", loss=f"{inputs.target_loss:g}")
    if plan.mode == "fixed_params":
        nd_help = t("plan.h.nd_fixed")
    elif inputs.law_key in ALLOCATIONS:
        nd_help = t("plan.h.nd_rule", source=ALLOCATIONS[inputs.law_key].citation)
    else:
        nd_help = t("plan.h.nd_law")
    loss_text = _loss(plan.loss) if plan.law.has_loss else t("plan.no_loss")
    cost = plan.cost
    metrics = [
        (t("plan.m.compute"), _flops(plan.compute), compute_help),
        (t("plan.m.params"), count_label(plan.N), nd_help),
        (t("plan.m.tokens"), count_label(plan.D), nd_help + " " + t("plan.h.d_from_c")),
        (t("plan.m.ratio"), f"{plan.tokens_per_param:.1f}", t("plan.h.ratio")),
        (t("plan.m.loss"), loss_text, t("plan.h.loss") if plan.law.has_loss else t("plan.allocation_only")),
        (t("plan.m.days"), f"{plan.wall_days:.3g}", t("plan.h.days", count=plan.count, peak=peak, mfu=plan.mfu)),
        (t("plan.m.hours"), f"{plan.accelerator_hours:,.0f}", t("plan.h.hours", peak=peak, mfu=plan.mfu)),
        (t("plan.m.cost"), "—" if cost is None else f"{cost:,.0f}", t("plan.h.cost")),
    ]
    for i in range(0, len(metrics), 4):
        for col, (label, value, help_text) in zip(st.columns(4), metrics[i : i + 4]):
            col.metric(label, value, help=help_text)
    st.caption(t("plan.law_caption", law=escape_markdown(law_label(inputs.law_key)), source=law_source(inputs)))
    st.caption(
        t(
            "plan.hw_caption",
            name=acc.name,
            peak=f"{acc.peak_flops / 1e12:g}",
            gb=f"{acc.memory_gb:g}",
            source=acc.source_title,
            url=acc.source_url,
            verified=t(f"plan.verified.{acc.verified}"),
        )
    )
    if not plan.law.has_loss:
        st.info(t("plan.allocation_only"), icon=":material/info:")


def shape_section(plan: Plan) -> None:
    st.subheader(t("plan.shape"))
    s = plan.shape
    cols = st.columns(4)
    cols[0].metric(t("plan.s.layers"), f"{int(s.n_layer)}")
    cols[1].metric(t("plan.s.width"), f"{int(s.d_model):,}")
    cols[2].metric(t("plan.s.heads"), f"{int(s.n_head)}", help=t("plan.s.heads_help"))
    cols[3].metric(t("plan.s.aspect"), f"{float(s.aspect):.0f}")
    st.caption(
        t(
            "plan.shape_caption",
            nonembed=count_label(float(s.params_nonembedding)),
            embed=count_label(float(s.params_embedding)),
            vocab=f"{plan.vocab:,}",
            counted=t(f"counted.{plan.law.params_counted}"),
        )
    )


def memory_section(plan: Plan, labels: Mapping[str, str]) -> None:
    st.subheader(t("plan.memory"))
    t_par = plan.tensor_parallel
    states = model_state_bytes(plan.params_total / t_par, np.array(ZERO_STAGES), plan.count // t_par)
    n = len(ZERO_STAGES)
    parts = {
        "weights": states.weights / GB,
        "gradients": states.gradients / GB,
        "optimizer": states.optimizer / GB,
        "activations": np.full(n, plan.memory["activations"] / GB),
    }
    categories = [f"ZeRO-{s}" for s in ZERO_STAGES]  # the stages' own names
    # The settings go in a caption above the chart, not its title: a phone-width chart clips long titles.
    st.caption(t("plan.mem.title", count=plan.count, tp=t_par, recompute=t(f"plan.recompute.{plan.recompute}")))
    fig = memory_bars(categories, parts, plan.accelerator.memory_gb, plan.zero, labels=labels, title="")
    st.plotly_chart(fig, width="stretch", key="memory")
    per = plan.memory["per_accelerator"] / GB
    if math.isfinite(plan.min_accelerators):
        need = t("plan.mem.need", n=f"{int(plan.min_accelerators):,}")
    else:
        need = t("plan.mem.never")
    verdict = "plan.mem.fits" if plan.fits else "plan.mem.too_big"
    message = t(verdict, per=f"{per:.3g}", gb=f"{plan.accelerator.memory_gb:g}", stage=plan.zero) + " " + need
    (st.success if plan.fits else st.warning)(message, icon=":material/memory:")
    st.caption(t("plan.mem.caption", zero=ZERO_URL, korthikanti=KORTHIKANTI_URL))


def hparams_section(plan: Plan) -> None:
    st.subheader(t("plan.hparams"))
    st.warning(t("plan.hp.not_guarantees"), icon=":material/science:")
    seq = plan.seq_len

    def batch(tokens: float) -> str:
        return "—" if not math.isfinite(tokens) else f"{count_label(tokens)} ({tokens / seq:,.0f} × {seq})"

    rows = [
        {
            t("plan.col.source"): "DeepSeek LLM 2024",
            t("plan.col.lr"): f"{plan.lr['deepseek2024']:.3g}",
            t("plan.col.batch"): batch(plan.batch_tokens["deepseek2024"]),
            t("plan.col.inputs"): t("plan.hp.deepseek_inputs", c=flops_label(plan.deepseek_compute)),
            t("plan.col.formula"): DEEPSEEK_HPARAMS.citation,
        },
        {
            t("plan.col.source"): "Step Law 2025",
            t("plan.col.lr"): f"{plan.lr['steplaw2025']:.3g}",
            t("plan.col.batch"): batch(plan.batch_tokens["steplaw2025"]),
            t("plan.col.inputs"): t(
                "plan.hp.step_inputs",
                n=count_label(float(plan.shape.params_nonembedding)),
                d=count_label(plan.D),
            ),
            t("plan.col.formula"): STEP_LAW.citation,
        },
        {
            t("plan.col.source"): "Kaplan 2020",
            t("plan.col.lr"): "—",
            t("plan.col.batch"): batch(plan.batch_tokens["kaplan_critical"]),
            t("plan.col.inputs"): t("plan.hp.kaplan_inputs", loss=_loss(plan.loss)),
            t("plan.col.formula"): KAPLAN_CRITICAL_BATCH.citation,
        },
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(t("plan.hp.caption"))


def data_section(plan: Plan) -> None:
    dc = plan.data_constrained
    st.subheader(t("plan.data"))
    if dc is None:
        st.caption(t("plan.data.enter"))
        return
    cols = st.columns(4)
    cols[0].metric(t("plan.d.epochs"), f"{dc.epochs:.2f}", help=t("plan.d.epochs_help"))
    cols[1].metric(t("plan.d.effective"), count_label(dc.effective_tokens), help=t("plan.d.effective_help"))
    cols[2].metric(
        t("plan.d.loss_at_plan"),
        _loss(dc.loss_at_plan),
        delta=None if dc.loss_at_plan is None else f"{dc.loss_at_plan - plan.loss:+.4f}",
        delta_color="inverse",
        help=t("plan.d.loss_at_plan_help"),
    )
    if dc.N_opt is None:
        st.info(t("plan.d.needs_chinchilla"), icon=":material/info:")
    else:
        cols[3].metric(t("plan.d.best_loss"), _loss(dc.loss), help=t("plan.d.best_help"))
        st.markdown(
            t(
                "plan.d.best",
                n=count_label(dc.N_opt),
                d=count_label(dc.D_opt),
                epochs=f"{dc.D_opt / dc.unique_tokens:.2f}",
                n0=count_label(plan.N),
                d0=count_label(plan.D),
            )
        )
        st.caption(t("plan.d.repetition_law", source=t(f"plan.d.rep.{dc.repetition_law}")))
    st.caption(
        t(
            "plan.d.caption",
            rd=f"{MUENNIGHOFF_REPETITION.r_d_star:g}",
            rn=f"{MUENNIGHOFF_REPETITION.r_n_star:g}",
            url=MUENNIGHOFF_REPETITION.url,
        )
    )


def inference_section(plan: Plan, labels: Mapping[str, str]) -> None:
    st.subheader(t("plan.inference_title"))
    if not plan.law.has_loss:
        st.caption(t("plan.allocation_only"))
        return
    ia = plan.inference_aware
    if ia is not None:
        cols = st.columns(4)
        cols[0].metric(t("plan.i.params"), count_label(float(ia.N)), help=t("plan.i.params_help"))
        cols[1].metric(t("plan.i.tokens"), count_label(float(ia.D)))
        cols[2].metric(t("plan.i.total"), _flops(float(ia.total_flops)), help=t("plan.i.total_help"))
        saved = float(ia.saving_flops)
        cols[3].metric(
            t("plan.i.saved"),
            _flops(saved) if saved > 0 else "0",
            delta=f"{100 * float(ia.saving_fraction):.1f}%",
            help=t("plan.i.saved_help"),
        )
        if plan.price is not None and saved > 0:
            hours = saved / (plan.accelerator.peak_flops * plan.mfu) / 3600.0
            st.caption(t("plan.i.cost_saved", cost=f"{hours * plan.price:,.0f}", hours=f"{hours:,.0f}"))
    else:
        st.caption(t("plan.i.enter"))
    grid = inference_aware_optimum(plan.law.law, plan.loss, INFERENCE_GRID)
    chosen = None if ia is None else float(ia.inference_tokens)
    fig = inference_tradeoff(
        INFERENCE_GRID,
        grid.N / grid.N_compute_optimal,
        grid.saving_fraction,
        chosen if chosen else None,
        None if ia is None else float(ia.N / ia.N_compute_optimal),
        None if ia is None else float(ia.saving_fraction),
        labels=labels,
        title="",
    )
    st.caption(t("plan.inf.title", loss=_loss(plan.loss)))
    st.plotly_chart(fig, width="stretch", key="inference")
    st.caption(t("plan.i.caption", url=SARDANA_URL))


def plan_rows(plan: Plan, inputs: PlanInputs) -> list[dict[str, str]]:
    """The plan as (quantity, value, unit, source) rows."""
    q, v, u, s = t("plan.col.quantity"), t("plan.col.value"), t("plan.col.unit"), t("plan.col.source")
    mem = {k: f"{val / GB:.3g}" for k, val in plan.memory.items()}
    rows = [
        (t("plan.m.compute"), _num(plan.compute, 4), "FLOPs", t(f"plan.budget.{inputs.budget}")),
        (t("plan.m.params"), _num(plan.N, 4), t("plan.u.params"), law_label(inputs.law_key)),
        (t("plan.m.tokens"), _num(plan.D, 4), t("plan.u.tokens"), law_label(inputs.law_key)),
        (t("plan.m.ratio"), f"{plan.tokens_per_param:.2f}", t("plan.u.ratio"), "D / N"),
        (t("plan.m.loss"), _loss(plan.loss), t("plan.u.loss"), law_label(inputs.law_key)),
        (t("plan.m.hours"), f"{plan.accelerator_hours:,.0f}", t("plan.u.hours"), "C / (peak × MFU)"),
        (t("plan.m.days"), f"{plan.wall_days:.4g}", t("plan.u.days"), "C / (n × peak × MFU)"),
        (t("plan.m.cost"), "—" if plan.cost is None else f"{plan.cost:,.0f}", t("plan.u.cost"), t("plan.h.cost")),
        (t("plan.s.layers"), f"{int(plan.shape.n_layer)}", "", "Kaplan et al. 2020, Sec. 2.1"),
        (t("plan.s.width"), f"{int(plan.shape.d_model)}", "", "Kaplan et al. 2020, Sec. 2.1"),
        (t("plan.s.heads"), f"{int(plan.shape.n_head)}", "", t("plan.s.heads_help")),
    ]
    rows += [(t(f"plan.mem.{k}"), val, "GB", "ZeRO / Korthikanti et al.") for k, val in mem.items()]
    rows += [
        (t("plan.mem.min"), _num(plan.min_accelerators, 7), "", t("plan.mem.min_source")),
        (t("plan.col.lr") + " (DeepSeek)", f"{plan.lr['deepseek2024']:.3g}", "", "DeepSeek LLM 2024"),
        (t("plan.col.batch") + " (DeepSeek)", _num(plan.batch_tokens["deepseek2024"]), t("plan.u.tokens"), "DeepSeek LLM 2024"),
        (t("plan.col.lr") + " (Step Law)", f"{plan.lr['steplaw2025']:.3g}", "", "Li et al. 2025"),
        (t("plan.col.batch") + " (Step Law)", _num(plan.batch_tokens["steplaw2025"]), t("plan.u.tokens"), "Li et al. 2025"),
        (t("plan.col.batch") + " (B_crit)", _num(plan.batch_tokens["kaplan_critical"]), t("plan.u.tokens"), "Kaplan et al. 2020"),
    ]  # fmt: skip
    return [{q: a, v: b, u: c, s: d} for a, b, c, d in rows]


def share_link() -> str:
    """This page with every current setting: a relative link that reopens the same plan."""
    params = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    return "Plan" + ("?" + urllib.parse.urlencode(params) if params else "")


def plan_json(plan: Plan, inputs: PlanInputs, link: str) -> str:
    payload = {
        "law": inputs.law_key,
        "law_source": law_source(inputs),
        "accelerator": plan.accelerator.key,
        "count": plan.count,
        "mfu": plan.mfu,
        "link": link,
    } | plan.to_json()
    return json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False)


def table_section(plan: Plan, inputs: PlanInputs) -> None:
    st.subheader(t("plan.table"))
    st.dataframe(plan_rows(plan, inputs), hide_index=True, width="stretch")
    link = share_link()
    left, right = st.columns([1, 2])
    left.download_button(
        t("plan.download"),
        data=plan_json(plan, inputs, link),
        file_name="plan.json",
        mime="application/json",
        icon=":material/download:",
    )
    right.markdown(t("plan.link", link=link))
    st.code(link, language=None)
