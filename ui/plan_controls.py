"""The Plan page's inputs, every one bound to the URL: budget, hardware, law and run options.

Quantities that span many decades and may be left blank (model size, unique and inference tokens,
price) are text boxes read with scaling_core.quantities.parse_quantity ('7B', '1.4T', '2e12'); a
value that does not parse is named under the box instead of vanishing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from scaling_core.laws import JointLaw
from scaling_core.planning.hardware import Accelerator, accelerator_catalog
from scaling_core.planning.memory import RECOMPUTATION
from scaling_core.planning.plan import DEFAULTS, PlanLaw, resolve_plan_law
from scaling_core.presets import ALLOCATIONS, PRESETS
from scaling_core.quantities import parse_quantity
from ui.i18n import t
from ui.state import BIND, Choice, FloatRange, IntRange, choice, law_param, number, slider
from ui.text import escape_markdown

FITTED = "fit"  # the law option that means "the fitted law carried in the URL as fit=..."
LAW_OPTIONS = (FITTED, *PRESETS, *ALLOCATIONS)
DEFAULT_LAW = "epoch2024"
# Tensor parallelism within an 8-accelerator node, as large dense runs use: the default plan then
# fits in memory (the command line's default stays 1, the core's).
DEFAULT_TP = "8"

RULES = {
    "law": Choice(LAW_OPTIONS),
    "budget": Choice(("hardware", "flops", "loss")),
    "acc": Choice(tuple(accelerator_catalog())),
    "count": IntRange(1, 1_000_000),
    "days": FloatRange(0.01, 3650.0, 0.5),
    "mfu": FloatRange(0.01, 1.0, 0.01),
    "log10_C": FloatRange(15.0, 30.0, 0.05),
    "loss": FloatRange(0.01, 20.0, 0.001),
    "size": Choice(("optimal", "fixed")),
    "seq": IntRange(1, 1_048_576),
    "mb": IntRange(1, 65_536),
    "recompute": Choice(RECOMPUTATION),
    "zero": Choice(("0", "1", "2", "3")),
    "tp": Choice(("1", "2", "4", "8", "16", "32", "64")),
    "vocab": IntRange(0, 10_000_000),
}


@dataclass
class PlanInputs:
    law_key: str
    plan_law: PlanLaw
    budget: str  # hardware, flops or loss
    accelerator: Accelerator
    count: int
    mfu: float
    days: float | None
    compute: float | None
    target_loss: float | None
    params: float | None
    price: float | None
    unique_tokens: float | None
    inference_tokens: float | None
    seq_len: int
    micro_batch: int
    recompute: str
    zero: int
    tensor_parallel: int
    vocab: int
    problems: list[str] = field(default_factory=list)  # text boxes that did not parse, already translated

    def plan_kwargs(self) -> dict[str, Any]:
        return {
            "plan_law": self.plan_law,
            "accelerator": self.accelerator,
            "count": self.count,
            "mfu": self.mfu,
            "days": self.days,
            "compute": self.compute,
            "target_loss": self.target_loss,
            "params": self.params,
            "price": self.price,
            "unique_tokens": self.unique_tokens,
            "inference_tokens": self.inference_tokens,
            "seq_len": self.seq_len,
            "micro_batch": self.micro_batch,
            "recompute": self.recompute,
            "zero": self.zero,
            "vocab": self.vocab,
            "tensor_parallel": self.tensor_parallel,
        }


def law_label(key: str) -> str:
    if key == FITTED:
        return t("plan.fitted_law")
    if key in ALLOCATIONS:
        return t("plan.rule_label", label=ALLOCATIONS[key].label)
    return PRESETS[key].label


def _quantity(label: str, key: str, placeholder: str, container: Any, problems: list[str], help: str) -> float | None:
    """A free-text quantity bound to the URL; None when blank. A value that does not parse, or is
    negative, is reported (translated) in `problems` and counts as blank."""
    raw = container.text_input(label, key=key, bind=BIND, placeholder=placeholder, help=help).strip()
    if not raw:
        return None
    try:
        value = parse_quantity(raw)
    except ValueError:
        value = -1.0
    if value < 0:
        problems.append(t("plan.bad_quantity", field=label, value=escape_markdown(raw, 40)))
        return None
    return value


def _fitted_law() -> JointLaw | None:
    return law_param("fit")


def plan_inputs() -> PlanInputs:
    """Draw every input (budget, hardware, law, options) and return them."""
    problems: list[str] = []
    fitted = _fitted_law()
    st.subheader(t("plan.inputs"))
    law_col, budget_col = st.columns([3, 2])
    # "Your fitted law" is offered only when the link carries one.
    if fitted is None and st.query_params.get("law") == FITTED:
        problems.append(t("plan.no_fit_in_link"))
    law_rule = RULES["law"] if fitted is not None else Choice(LAW_OPTIONS[1:])
    law_key = choice(t("plan.law"), law_rule, "law", FITTED if fitted else DEFAULT_LAW, law_label, law_col.selectbox)
    if law_key == FITTED and fitted is not None:
        plan_law = PlanLaw(FITTED, fitted, "total" if fitted.family == "chinchilla" else "non-embedding")
    else:
        plan_law = resolve_plan_law(law_key)
    budget = choice(
        t("plan.budget_by"),
        RULES["budget"],
        "budget",
        "hardware",
        lambda b: t(f"plan.budget.{b}"),
        budget_col.radio,
        horizontal=True,
    )

    hw = st.columns(4)
    catalog = accelerator_catalog()
    acc_key = choice(t("plan.accelerator"), RULES["acc"], "acc", "h100_sxm", lambda k: catalog[k].name, hw[0].selectbox)
    count = int(number(t("plan.count"), RULES["count"], "count", 1024, hw[1]))
    mfu = float(slider(t("plan.mfu"), RULES["mfu"], "mfu", DEFAULTS["mfu"], hw[2], help=t("plan.mfu_help")))
    price = _quantity(t("plan.price"), "price", t("plan.price_placeholder"), hw[3], problems, t("plan.price_help"))

    days = compute = target_loss = None
    row = st.columns([3, 2])
    if budget == "hardware":
        days = float(number(t("plan.days"), RULES["days"], "days", 30.0, row[0]))
    elif budget == "flops":
        compute = 10.0 ** slider(t("plan.log_compute"), RULES["log10_C"], "log10_C", 24.0, row[0], format="1e%.2f")
    else:
        target_loss = float(
            number(t("plan.target_loss"), RULES["loss"], "loss", 2.0, row[0], format="%.3f", help=t("plan.loss_help"))
        )
    with row[1]:
        size = choice(
            t("plan.size"), RULES["size"], "size", "optimal", lambda s: t(f"plan.size.{s}"), st.radio, horizontal=True
        )
        params = None
        if size == "fixed":
            params = _quantity(t("plan.params"), "N", "7B", st, problems, t("plan.params_help"))
            if params is None and not problems:
                problems.append(t("plan.params_missing"))

    with st.expander(t("plan.options"), expanded=False):
        data = st.columns(2)
        unique = _quantity(t("plan.unique"), "U", "2T", data[0], problems, t("plan.unique_help"))
        inference = _quantity(t("plan.inference"), "Dinf", "2T", data[1], problems, t("plan.inference_help"))
        mem = st.columns(3)
        seq_len = int(number(t("plan.seq_len"), RULES["seq"], "seq", DEFAULTS["seq_len"], mem[0]))
        micro_batch = int(number(t("plan.micro_batch"), RULES["mb"], "mb", DEFAULTS["micro_batch"], mem[1]))
        vocab = int(number(t("plan.vocab"), RULES["vocab"], "vocab", DEFAULTS["vocab"], mem[2]))
        par = st.columns(3)
        recompute = choice(
            t("plan.recompute"),
            RULES["recompute"],
            "recompute",
            DEFAULTS["recompute"],
            lambda r: t(f"plan.recompute.{r}"),
            par[0].radio,
        )
        zero = int(choice(t("plan.zero"), RULES["zero"], "zero", str(DEFAULTS["zero"]), widget=par[1].radio))
        tp = int(choice(t("plan.tp"), RULES["tp"], "tp", DEFAULT_TP, widget=par[2].selectbox, help=t("plan.tp_help")))
    return PlanInputs(
        law_key=law_key,
        plan_law=plan_law,
        budget=budget,
        accelerator=catalog[acc_key],
        count=count,
        mfu=mfu,
        days=days,
        compute=compute,
        target_loss=target_loss,
        params=params,
        price=price,
        unique_tokens=unique,
        inference_tokens=inference,
        seq_len=seq_len,
        micro_batch=micro_batch,
        recompute=recompute,
        zero=zero,
        tensor_parallel=tp,
        vocab=vocab,
        problems=problems,
    )
