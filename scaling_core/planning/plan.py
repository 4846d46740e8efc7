"""plan_run(...) -> Plan: one training run planned end to end, for the Plan page and the CLI.

From a budget (accelerators x days x peak x MFU, or FLOPs directly), a target loss (reverse mode:
the least compute that reaches it) or a fixed model size, under any law or published allocation
rule: N, D, loss, time and cost, a model shape, memory per accelerator, learning rate and batch
size, and, when asked, the data-constrained and inference-aware optima.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..frontier import optimal_allocation
from ..laws import ChinchillaLaw, JointLaw, KaplanLaw
from ..presets import ALLOCATIONS, PRESETS, AllocationRule, resolve_law
from . import hparams
from .data_constrained import (
    MUENNIGHOFF_C4,
    DataConstrainedLaw,
    data_constrained_loss,
    data_constrained_optimum,
    effective_tokens,
)
from .hardware import Accelerator, accelerator_hours, training_compute, training_cost, wall_days
from .inference import InferenceAware, inference_aware_optimum, least_compute_for_loss, loss_floor, tokens_for_loss
from .memory import GB, RECOMPUTATION, activation_bytes, min_accelerators, model_state_bytes
from .shape import Shape, model_shape

LawOrRule = JointLaw | AllocationRule

DEFAULTS: dict[str, Any] = {
    "mfu": 0.40,
    "seq_len": 4096,
    "micro_batch": 1,
    "recompute": "selective",
    "zero": 1,
    "vocab": 128000,
    "tensor_parallel": 1,
}


class PlanError(ValueError):
    """An input the plan cannot use; the message names it and says what to do."""


@dataclass(frozen=True)
class PlanLaw:
    """The law (or allocation rule) a plan uses, with the name to show and which N it counts."""

    name: str
    law: LawOrRule
    params_counted: str  # "total" or "non-embedding"

    @property
    def has_loss(self) -> bool:
        return not isinstance(self.law, AllocationRule)


def resolve_plan_law(spec: str) -> PlanLaw:
    """A preset, an allocation rule ('llama3_2024', ...) or an inline law ('chinchilla:E=..,...')."""
    spec = spec.strip()
    if spec in ALLOCATIONS:
        rule = ALLOCATIONS[spec]
        return PlanLaw(spec, rule, rule.params_counted)
    try:
        name, law = resolve_law(spec)
    except ValueError as err:
        if ":" not in spec:
            raise PlanError(f"{err}; or an allocation rule ({', '.join(ALLOCATIONS)})") from None
        raise PlanError(str(err)) from None
    counted = (
        PRESETS[name].params_counted
        if name in PRESETS
        else ("total" if law.family == "chinchilla" else "non-embedding")
    )
    return PlanLaw(name, law, counted)


@dataclass(frozen=True)
class DataConstrainedPlan:
    unique_tokens: float
    epochs: float  # D / U of the plan
    effective_tokens: float  # D' of the plan
    N_opt: float | None  # best model at the same compute given U (None without a Chinchilla-form law)
    D_opt: float | None
    loss: float | None  # loss of that best model (with repetition)
    loss_at_plan: float | None  # the plan's own (N, D) with repetition
    repetition_law: str  # where R_D*, R_N* come from


@dataclass(frozen=True)
class Plan:
    law: PlanLaw
    mode: str  # "budget", "reverse" or "fixed_params"
    compute: float
    N: float
    D: float
    loss: float  # NaN for an allocation rule
    accelerator: Accelerator
    count: int
    mfu: float
    price: float | None
    seq_len: int
    micro_batch: int
    recompute: str
    zero: int
    vocab: int
    tensor_parallel: int
    shape: Shape
    params_total: float  # weights held in memory: the law's N plus embeddings it does not count
    memory: dict[str, float]  # bytes per accelerator: weights, gradients, optimizer, activations, per_accelerator
    min_accelerators: float  # inf: no count fits (more tensor or pipeline parallelism needed)
    deepseek_compute: float  # their C = M D, M from the shape
    lr: dict[str, float]
    batch_tokens: dict[str, float]
    data_constrained: DataConstrainedPlan | None = None
    inference_aware: InferenceAware | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def tokens_per_param(self) -> float:
        return self.D / self.N

    @property
    def accelerator_hours(self) -> float:
        return float(accelerator_hours(self.compute, self.accelerator.peak_flops, self.mfu))

    @property
    def wall_days(self) -> float:
        return float(wall_days(self.compute, self.count, self.accelerator.peak_flops, self.mfu))

    @property
    def cost(self) -> float | None:
        return None if self.price is None else float(training_cost(self.accelerator_hours, self.price))

    @property
    def fits(self) -> bool:
        return self.memory["per_accelerator"] <= self.accelerator.memory_gb * GB

    def to_json(self) -> dict[str, Any]:
        """The command line's JSON contract (memory in decimal GB; null where there is no value)."""

        def num(x: float | None) -> float | None:
            return None if x is None or not math.isfinite(x) else float(x)

        dc = self.data_constrained
        ia = self.inference_aware
        return {
            "compute": self.compute,
            "N_opt": self.N,
            "D_opt": self.D,
            "loss": num(self.loss),
            "tokens_per_param": self.tokens_per_param,
            "accelerator_hours": self.accelerator_hours,
            "wall_days": self.wall_days,
            "cost": self.cost,
            "shape": {
                "n_layer": int(self.shape.n_layer),
                "d_model": int(self.shape.d_model),
                "n_head": int(self.shape.n_head),
            },
            "memory_gb": {k: v / GB for k, v in self.memory.items()},
            "min_accelerators": int(self.min_accelerators) if math.isfinite(self.min_accelerators) else None,
            "lr": {"deepseek2024": self.lr["deepseek2024"]},
            "batch_tokens": {
                "deepseek2024": self.batch_tokens["deepseek2024"],
                "kaplan_critical": num(self.batch_tokens["kaplan_critical"]),
            },
            "data_constrained": None
            if dc is None
            else {
                "unique_tokens": dc.unique_tokens,
                "epochs": dc.epochs,
                "effective_tokens": dc.effective_tokens,
                "N_opt": num(dc.N_opt),
                "D_opt": num(dc.D_opt),
                "loss": num(dc.loss),
            },
            "inference_aware": None
            if ia is None
            else {
                "inference_tokens": float(ia.inference_tokens),
                "N": float(ia.N),
                "D": float(ia.D),
                "loss": float(ia.target_loss),
                "total_flops": float(ia.total_flops),
                "total_flops_compute_optimal": float(ia.total_flops_compute_optimal),
            },
        }


def _positive(name: str, value: float | None, hint: str, allow_zero: bool = False) -> None:
    if value is None:
        return
    bad = not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero)
    if bad:
        raise PlanError(f"{name} must be {'zero or more' if allow_zero else 'more than zero'}, got {value:g}: {hint}")


def _validate(
    count: int, mfu: float, days: float | None, compute: float | None, target_loss: float | None, params: float | None,
    price: float | None, unique_tokens: float | None, inference_tokens: float | None, seq_len: int, micro_batch: int,
    recompute: str, zero: int, vocab: int, tensor_parallel: int,
) -> None:  # fmt: skip
    if not (isinstance(count, (int, np.integer)) and count >= 1):
        raise PlanError(f"the number of accelerators must be a whole number of at least 1, got {count!r}")
    if not (math.isfinite(mfu) and 0 < mfu <= 1):
        raise PlanError(f"MFU must be more than 0 and at most 1 (a fraction of peak, e.g. 0.4), got {mfu:g}")
    _positive("training days", days, "give the wall-clock time the accelerators are yours")
    _positive("compute", compute, "give training FLOPs, e.g. 1e24")
    _positive("target loss", target_loss, "give a loss in nats per token above the law's floor")
    _positive("model size", params, "give parameters, e.g. 7e9")
    _positive("price", price, "give a price per accelerator-hour, or leave it out", allow_zero=True)
    _positive("unique tokens", unique_tokens, "give the unique tokens available, e.g. 2e12")
    _positive("inference tokens", inference_tokens, "give lifetime inference tokens, e.g. 2e12", allow_zero=True)
    for name, value in (("sequence length", seq_len), ("micro-batch size", micro_batch)):
        if not (isinstance(value, (int, np.integer)) and value >= 1):
            raise PlanError(f"{name} must be a whole number of at least 1, got {value!r}")
    if not (isinstance(vocab, (int, np.integer)) and vocab >= 0):
        raise PlanError(f"vocabulary size must be a whole number of 0 or more, got {vocab!r}")
    if not (isinstance(tensor_parallel, (int, np.integer)) and tensor_parallel >= 1 and count % tensor_parallel == 0):
        raise PlanError(
            f"the tensor-parallel size must be a whole number that divides the {count} accelerators, "
            f"got {tensor_parallel!r}"
        )
    if recompute not in RECOMPUTATION:
        raise PlanError(f"activation recomputation must be one of {', '.join(RECOMPUTATION)}, got {recompute!r}")
    if zero not in (0, 1, 2, 3):
        raise PlanError(f"ZeRO stage must be 0, 1, 2 or 3, got {zero!r}")
    if target_loss is None and compute is None and days is None:
        raise PlanError("give a budget: training days (with the accelerators), compute in FLOPs, or a target loss")


def _allocate(
    plan_law: PlanLaw, compute: float | None, target_loss: float | None, params: float | None
) -> tuple[str, float, float, float]:
    """(mode, C, N, D) from a budget, a target loss or a fixed size."""
    law = plan_law.law
    if target_loss is not None:
        if not plan_law.has_loss:
            raise PlanError(
                f"{plan_law.name} is an allocation rule with no loss law: a target loss needs a law with a loss "
                "(e.g. epoch2024)"
            )
        floor = loss_floor(law)
        if target_loss <= floor:
            raise PlanError(
                f"target loss {target_loss:g} is at or below this law's irreducible loss E = {floor:.4g}: no model "
                "reaches it; choose a loss above E"
            )
        if params is not None:
            D = float(tokens_for_loss(law, params, target_loss))
            if not math.isfinite(D):
                raise PlanError(
                    f"a model of {params:.3g} parameters cannot reach loss {target_loss:g} under this law at any "
                    "token count; choose a larger model or a higher loss"
                )
            return "fixed_params", 6.0 * params * D, params, D
        C, N, D = (float(v) for v in least_compute_for_loss(law, target_loss))
        return "reverse", C, N, D
    assert compute is not None
    if params is not None:
        if params > compute / 6.0:
            raise PlanError(f"{compute:.3g} FLOPs cannot train {params:.3g} parameters on even one token")
        return "fixed_params", compute, params, compute / (6.0 * params)
    if isinstance(law, AllocationRule):
        N, D = law.allocate(compute)
    else:
        alloc = optimal_allocation(law, compute)
        N, D = alloc.N_opt, alloc.D_opt
    return "budget", compute, float(N), float(D)


def plan_run(
    plan_law: PlanLaw,
    accelerator: Accelerator,
    count: int,
    mfu: float = DEFAULTS["mfu"],
    days: float | None = None,
    compute: float | None = None,
    target_loss: float | None = None,
    params: float | None = None,
    price: float | None = None,
    unique_tokens: float | None = None,
    inference_tokens: float | None = None,
    seq_len: int = DEFAULTS["seq_len"],
    micro_batch: int = DEFAULTS["micro_batch"],
    recompute: str = DEFAULTS["recompute"],
    zero: int = DEFAULTS["zero"],
    vocab: int = DEFAULTS["vocab"],
    tensor_parallel: int = DEFAULTS["tensor_parallel"],
) -> Plan:
    """Plan a training run. The budget is, in order of precedence: a target loss (reverse mode: the
    least compute whose best model reaches it), `compute` FLOPs, or count x days x peak x MFU.
    `params` fixes the model size instead of taking the compute-optimal one. Memory: tensor-parallel
    groups of `tensor_parallel` accelerators (with sequence parallelism), ZeRO `zero` over the
    data-parallel replicas (count / tensor_parallel).

    Raises PlanError (a ValueError) naming the input that cannot be used."""
    _validate(count, mfu, days, compute, target_loss, params, price, unique_tokens, inference_tokens,
              seq_len, micro_batch, recompute, zero, vocab, tensor_parallel)  # fmt: skip
    if target_loss is None and compute is None:
        compute = float(training_compute(count, days, accelerator.peak_flops, mfu))
    mode, C, N, D = _allocate(plan_law, compute, target_loss, params)
    law = plan_law.law
    loss = float(law.loss(N, D)) if plan_law.has_loss else math.nan

    counts_total = plan_law.params_counted == "total"
    shape = model_shape(N, n_vocab=vocab, includes_embeddings=counts_total)
    params_total = N if counts_total else N + float(shape.params_embedding)
    t = tensor_parallel
    states = model_state_bytes(params_total / t, zero, count // t)
    acts = float(activation_bytes(shape.n_layer, seq_len, micro_batch, shape.d_model, shape.n_head, recompute, t))
    memory = {
        "weights": float(states.weights),
        "gradients": float(states.gradients),
        "optimizer": float(states.optimizer),
        "activations": acts,
    }
    memory["per_accelerator"] = sum(memory.values())
    need = float(min_accelerators(params_total, acts, accelerator.memory_gb * GB, zero, t))

    M = float(hparams.deepseek_flops_per_token(shape.n_layer, shape.d_model, seq_len))
    deepseek_c = float(hparams.deepseek_compute(M, D))
    n_nonembedding = float(shape.params_nonembedding)
    lr = {
        "deepseek2024": float(hparams.deepseek_learning_rate(deepseek_c)),
        "steplaw2025": float(hparams.step_law_learning_rate(n_nonembedding, D)),
    }
    batch = {
        "deepseek2024": float(hparams.deepseek_batch_tokens(deepseek_c)),
        "kaplan_critical": float(hparams.kaplan_critical_batch_tokens(loss)) if plan_law.has_loss else math.nan,
        "steplaw2025": float(hparams.step_law_batch_tokens(D)),
    }

    data_constrained = None
    if unique_tokens is not None:
        data_constrained = _data_constrained(plan_law, C, N, D, unique_tokens)
    inference = None
    if inference_tokens is not None and plan_law.has_loss:
        inference = inference_aware_optimum(law, loss, inference_tokens)
    notes = []
    if inference_tokens is not None and not plan_law.has_loss:
        notes.append("inference-aware optimum needs a law with a loss")
    return Plan(
        law=plan_law, mode=mode, compute=C, N=N, D=D, loss=loss, accelerator=accelerator, count=int(count),
        mfu=float(mfu), price=price, seq_len=int(seq_len), micro_batch=int(micro_batch), recompute=recompute,
        zero=int(zero), vocab=int(vocab), tensor_parallel=int(t), shape=shape, params_total=params_total, memory=memory,
        min_accelerators=need, deepseek_compute=deepseek_c, lr=lr, batch_tokens=batch,
        data_constrained=data_constrained, inference_aware=inference, notes=notes,
    )  # fmt: skip


def _data_constrained(plan_law: PlanLaw, C: float, N: float, D: float, U: float) -> DataConstrainedPlan:
    law = plan_law.law
    epochs = D / U
    d_eff = float(effective_tokens(D, U))
    if not isinstance(law, ChinchillaLaw):
        kind = "an allocation rule" if isinstance(law, AllocationRule) else "Kaplan's form"
        return DataConstrainedPlan(U, epochs, d_eff, None, None, None, None, f"needs a Chinchilla-form law, not {kind}")
    if law == MUENNIGHOFF_C4.base:
        dc_law: DataConstrainedLaw = MUENNIGHOFF_C4
        source = "muennighoff2023 (fitted together)"
    else:
        dc_law = DataConstrainedLaw(law)
        source = "R_D*, R_N* of Muennighoff et al. 2023 (C4) applied to this law"
    best = data_constrained_optimum(C, U, dc_law)
    return DataConstrainedPlan(
        unique_tokens=U,
        epochs=epochs,
        effective_tokens=d_eff,
        N_opt=float(best.N_opt),
        D_opt=float(best.D_opt),
        loss=float(best.loss),
        loss_at_plan=float(data_constrained_loss(N, D, U, dc_law)),
        repetition_law=source,
    )


def is_kaplan(law: LawOrRule) -> bool:
    return isinstance(law, KaplanLaw)
