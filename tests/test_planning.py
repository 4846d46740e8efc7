"""The planning core against the sources' own numbers and against independent computations."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from scaling_core.compute import GPU_PEAK_BF16_DENSE
from scaling_core.frontier import optimal_allocation
from scaling_core.laws import ChinchillaLaw, KaplanLaw
from scaling_core.planning import hparams
from scaling_core.planning.data_constrained import (
    MUENNIGHOFF_C4,
    DataConstrainedLaw,
    data_constrained_loss,
    data_constrained_optimum,
    effective_params,
    effective_tokens,
)
from scaling_core.planning.hardware import (
    accelerator_catalog,
    accelerator_hours,
    find_accelerator,
    training_compute,
    wall_days,
)
from scaling_core.planning.inference import inference_aware_optimum, least_compute_for_loss, tokens_for_loss
from scaling_core.planning.memory import (
    activation_bytes_per_layer,
    min_accelerators,
    model_state_bytes,
)
from scaling_core.planning.plan import PlanError, plan_run, resolve_plan_law
from scaling_core.planning.shape import model_shape
from scaling_core.presets import ALLOCATIONS, PRESETS

VECTORS = json.loads((Path(__file__).parent / "data" / "planning_vectors.json").read_text())["vectors"]
LOSS_PRESETS = [name for name in PRESETS]


def vec(name: str) -> dict:
    return VECTORS[name]


# ---------------------------------------------------------------- learning rate and batch size


def test_deepseek_hyperparameters_match_the_paper_and_the_vector():
    # At C = 1e24: eta = 0.3118 * (1e24)^-0.125 = 0.3118e-3 exactly; B = 2.07e7 tokens.
    assert hparams.deepseek_learning_rate(1e24) == pytest.approx(3.118e-4, rel=1e-12)
    assert hparams.deepseek_batch_tokens(1e24) == pytest.approx(2.07e7, rel=2e-3)
    v = vec("deepseek.hparams")
    C = np.array(v["inputs"]["C_flops"])
    np.testing.assert_allclose(hparams.deepseek_learning_rate(C), v["outputs"]["eta_opt"], rtol=1e-12)
    np.testing.assert_allclose(hparams.deepseek_batch_tokens(C), v["outputs"]["B_opt_tokens"], rtol=1e-12)
    # independent: the same power laws through logarithms
    assert math.exp(math.log(0.2920) + 0.3271 * math.log(1e20)) == pytest.approx(hparams.deepseek_batch_tokens(1e20))


def test_deepseek_flops_per_token_definition():
    v = vec("deepseek.M_definition")
    n_layer, d_model, _, l_seq = v["inputs"]["config_nl_d_vocab_lseq"]
    assert hparams.deepseek_flops_per_token(n_layer, d_model, l_seq) == v["outputs"]["M_k12"]


def test_kaplan_critical_batch_uses_table5_b_star():
    v = vec("kaplan.B_crit")
    np.testing.assert_allclose(
        hparams.kaplan_critical_batch_tokens(v["inputs"]["L"]), v["outputs"]["B_crit_Bstar_2.1e8"], rtol=1e-12
    )
    # B_crit doubles for each ~13% drop in loss (Kaplan Sec. 5.1): 2^-0.21 = 0.865
    assert hparams.kaplan_critical_batch_tokens(2.0 * 2**-0.21) == pytest.approx(
        2 * hparams.kaplan_critical_batch_tokens(2.0)
    )


def test_step_law_printed_constants():
    v = vec("steplaw.lr_bs")
    N, D, _ = np.array(v["inputs"]["cases_N_D_seq"]).T
    np.testing.assert_allclose(hparams.step_law_learning_rate(N, D), v["outputs"]["rounded_eta"], rtol=1e-12)
    np.testing.assert_allclose(hparams.step_law_batch_tokens(D), v["outputs"]["rounded_B"], rtol=1e-12)
    # within 2% of the authors' unrounded bootstrap means, as the paper's rounding implies
    np.testing.assert_allclose(hparams.step_law_learning_rate(N, D), v["outputs"]["eta_opt"], rtol=0.02)


# ---------------------------------------------------------------- allocation rules


def test_allocation_rules_sit_on_the_iso_flop_line_and_match_their_sources():
    C = np.logspace(19, 26, 8)
    for rule in ALLOCATIONS.values():
        N, D = rule.allocate(C)
        np.testing.assert_allclose(6 * N * D, C, rtol=1e-12, err_msg=rule.name)
    N, D = ALLOCATIONS["chinchilla_20tpp"].allocate(C)
    np.testing.assert_allclose(D / N, 20.0, rtol=1e-12)
    N, _ = ALLOCATIONS["hoffmann2022_approach1"].allocate(5.76e23)
    assert N == pytest.approx(67e9)  # Table 3's row it is anchored at
    # exponents from Table 2
    t2 = vec("chinchilla.table2_exponents")["outputs"]
    for name, key in (("hoffmann2022_approach1", "approach1"), ("hoffmann2022_approach2", "approach2")):
        N1, _ = ALLOCATIONS[name].allocate(1e22)
        N2, _ = ALLOCATIONS[name].allocate(1e24)
        assert np.log(N2 / N1) / np.log(100) == pytest.approx(t2[key]["a"][0])


def test_deepseek_and_llama3_allocations():
    v = vec("deepseek.allocation")
    C = np.array(v["inputs"]["C_flops"])
    N, D = ALLOCATIONS["deepseek2024"].allocate(C)
    np.testing.assert_allclose(6 * N, v["outputs"]["M_opt"], rtol=1e-12)
    # D = C / M_opt; the paper's D_opt = 5.8316 C^0.4757 agrees to M_opt D_opt = 1.0001 C
    np.testing.assert_allclose(D, v["outputs"]["D_opt"], rtol=2e-4)
    v = vec("llama3.tokens_law")
    N, D = ALLOCATIONS["llama3_2024"].allocate(v["inputs"]["C"])
    assert D == pytest.approx(v["outputs"]["tokens_from_rounded_law"], rel=1e-12)
    assert N == pytest.approx(v["outputs"]["params_6ND"], rel=1e-12)


# ---------------------------------------------------------------- data-constrained


def test_effective_data_at_four_epochs_is_about_3_73_unique():
    v = vec("muennighoff.effective_data")
    U = v["inputs"]["U_D"]
    epochs = np.array(v["inputs"]["epochs"], float)
    np.testing.assert_allclose(effective_tokens(epochs * U, U), v["outputs"]["D_eff"], rtol=1e-12)
    assert effective_tokens(4 * U, U) / U == pytest.approx(3.73, abs=5e-3)
    # independent: the k-th repetition is worth exp(-k/R_D*) of a fresh token, summed continuously
    r = 15.387756
    assert effective_tokens(4 * U, U) / U == pytest.approx(1 + r * (1 - math.exp(-3 / r)))
    assert effective_tokens(0.5 * U, U) == 0.5 * U  # no repetition below one epoch
    assert effective_params(3e9, 1e9, 5.309743) == pytest.approx(1e9 * (1 + 5.309743 * (1 - math.exp(-2 / 5.309743))))


def test_data_constrained_loss_reproduces_the_authors_readme():
    v = vec("muennighoff.parametric_loss")
    base = PRESETS["muennighoff2023"].law
    assert (base.A, base.B, base.E) == pytest.approx((v["inputs"]["A"], v["inputs"]["B"], v["inputs"]["E"]), rel=1e-12)
    N, D, U = np.array(v["inputs"]["cases_N_D_U"]).T
    np.testing.assert_allclose(data_constrained_loss(N, D, U), v["outputs"]["L"], rtol=1e-14)


def test_data_constrained_optimum_reproduces_the_example_and_a_brute_force_grid():
    v = vec("muennighoff.optimal_allocation")
    C, U = v["inputs"]["C"], v["inputs"]["U"]
    best = data_constrained_optimum(C, U)
    assert best.N_opt == pytest.approx(7.02e9, rel=2e-3)
    assert best.D_opt == pytest.approx(2.373e11, rel=2e-3)
    assert best.epochs == pytest.approx(v["outputs"]["epochs"], rel=2e-3)
    assert float(best.loss) <= v["outputs"]["L"] + 1e-12  # the authors' grid point is no better
    # independent: a dense grid over N on the iso-FLOP line
    N = np.logspace(9, 11, 200_001)
    losses = data_constrained_loss(N, C / (6 * N), U)
    assert float(best.loss) == pytest.approx(losses.min(), abs=1e-10)
    assert best.N_opt == pytest.approx(N[np.argmin(losses)], rel=1e-3)


def test_data_constrained_optimum_broadcasts_and_needs_no_repetition_with_plenty_of_data():
    best = data_constrained_optimum([[1e21], [1e23]], [1e10, 1e14])
    assert best.N_opt.shape == (2, 2)
    free = optimal_allocation(MUENNIGHOFF_C4.base, np.array([1e21, 1e23]))
    np.testing.assert_allclose(best.N_opt[:, 1], free.N_opt, rtol=1e-6)  # U = 1e14: never repeats
    # scarce data: excess parameters decay faster than repeated tokens (R_N* < R_D*), so the best model is
    # smaller than the unconstrained one and trains for more epochs (Muennighoff et al., Sec. 5)
    assert np.all(best.N_opt[:, 0] < best.N_opt[:, 1])
    wrapped = DataConstrainedLaw(PRESETS["epoch2024"].law)
    assert wrapped.r_d_star == MUENNIGHOFF_C4.r_d_star


# ---------------------------------------------------------------- inference-aware and reverse mode


SARDANA_LAW = ChinchillaLaw(E=1.69, A=406.4, B=410.7, alpha=0.336, beta=0.283)


def test_inference_aware_reproduces_sardana_figure_1():
    case = vec("sardana.inference_aware_example")["outputs"]["A406.4_B410.7_E1.69_alpha0.336_beta0.283_chin_opt_ref"]
    result = inference_aware_optimum(SARDANA_LAW, case["loss_target"], 2e12)
    assert result.N == pytest.approx(case["N_opt"], rel=1e-6)
    assert result.D == pytest.approx(case["D_tr_opt"], rel=1e-6)
    assert result.N_compute_optimal == pytest.approx(13e9, rel=1e-6)
    assert result.saving_flops == pytest.approx(case["saving_flops"], rel=1e-5)
    assert result.saving_fraction == pytest.approx(0.174, abs=5e-4)  # "17%", 1.7e22 FLOPs, ~7B model


@pytest.mark.parametrize("name", ["epoch2024", "hoffmann2022", "kaplan2020", "muennighoff2023"])
def test_inference_aware_reaches_the_same_loss_with_less_total_compute(name):
    law = PRESETS[name].law
    target = optimal_allocation(law, np.array([1e22, 1e24])).loss[:, None]
    d_inf = np.array([0.0, 1e10, 1e12, 1e14])
    r = inference_aware_optimum(law, target, d_inf)
    np.testing.assert_allclose(law.loss(r.N, r.D), np.broadcast_to(target, r.N.shape), rtol=1e-10)
    assert np.all(r.total_flops[:, 1:] < r.total_flops_compute_optimal[:, 1:])
    np.testing.assert_allclose(r.total_flops[:, 0], r.total_flops_compute_optimal[:, 0], rtol=1e-9)
    assert np.all(np.diff(r.N, axis=1) < 0)  # more inference: a smaller model trained longer
    # independent: brute force over N for one case
    N = np.logspace(np.log10(float(r.N[1, 2])) - 1, np.log10(float(r.N[1, 2])) + 1, 100_001)
    cost = 6 * N * tokens_for_loss(law, N, target[1, 0]) + 2 * N * 1e12
    assert float(r.total_flops[1, 2]) == pytest.approx(np.nanmin(cost), rel=1e-9)


@pytest.mark.parametrize("name", LOSS_PRESETS)
def test_reverse_mode_round_trips(name):
    law = PRESETS[name].law
    C = np.array([1e19, 1e21, 1e23, 1e25])
    alloc = optimal_allocation(law, C)
    C_back, N_back, _ = least_compute_for_loss(law, alloc.loss)
    np.testing.assert_allclose(C_back, C, rtol=1e-9)
    np.testing.assert_allclose(N_back, alloc.N_opt, rtol=1e-5)


def test_tokens_for_loss_inverts_both_families():
    for law in (PRESETS["epoch2024"].law, PRESETS["kaplan2020"].law):
        N = np.array([1e9, 1e10])
        target = law.loss(N, 3e11)
        np.testing.assert_allclose(tokens_for_loss(law, N, target), 3e11, rtol=1e-9)
    assert np.isnan(tokens_for_loss(PRESETS["epoch2024"].law, 1e6, 1.9))  # too small to ever reach 1.9
    assert isinstance(PRESETS["kaplan2020"].law, KaplanLaw)


# ---------------------------------------------------------------- hardware, memory, shape


def test_catalog_has_the_required_accelerators_with_sources():
    catalog = accelerator_catalog()
    for key in ("a100_80gb_sxm", "h100_sxm", "h200_sxm", "b200", "mi300x", "tpu_v5p"):
        a = catalog[key]
        assert a.peak_flops > 1e14 and a.memory_gb >= 80
        assert a.source_title and a.source_url.startswith("https://") and a.verified
    # dense, not the 2:4-sparse datasheet headline
    assert catalog["h100_sxm"].peak_flops == 989.4e12 and catalog["a100_80gb_sxm"].peak_flops == 312e12
    assert find_accelerator("h100").key == "h100_sxm"
    assert GPU_PEAK_BF16_DENSE["H100 SXM (989.4 TFLOP/s)"] == catalog["h100_sxm"].peak_flops
    with pytest.raises(ValueError, match="unknown accelerator"):
        find_accelerator("v100")


def test_training_time_matches_the_reference():
    # 70B params x 1.4T tokens on 1,024 H100s at 40% MFU: 16.8 days, 412,708 GPU-hours
    C = 6 * 70e9 * 1.4e12
    h100 = accelerator_catalog()["h100_sxm"].peak_flops
    assert wall_days(C, 1024, h100, 0.4) == pytest.approx(16.793133078689667, rel=1e-12)
    assert accelerator_hours(C, h100, 0.4) == pytest.approx(412708.0385418773, rel=1e-12)
    assert wall_days(C, 1024, 312e12, 0.4) == pytest.approx(53.25360855146012, rel=1e-12)
    assert training_compute(1024, 16.793133078689667, h100, 0.4) == pytest.approx(C, rel=1e-12)


def test_model_states_16_bytes_per_parameter_and_zero_stages():
    assert model_state_bytes(7e9).total == pytest.approx(112e9)  # 7e9 x (2 + 2 + 12) bytes
    # ZeRO paper, Fig. 1: 7.5B parameters, 64 GPUs, K = 12: 120 GB, 31.4 GB, 16.6 GB, 1.9 GB
    totals = model_state_bytes(7.5e9, np.array([0, 1, 2, 3]), 64).total / 1e9
    np.testing.assert_allclose(totals, [120, 31.4, 16.6, 1.875], atol=0.05)
    # independent: each stage by hand, 2 + 2 + 12 bytes with the sharded parts over 8 GPUs
    N, dp = 1e9, 8
    by_hand = [2 * N + 2 * N + 12 * N, 2 * N + 2 * N + 12 * N / dp, 2 * N + 14 * N / dp, 16 * N / dp]
    np.testing.assert_allclose(model_state_bytes(N, np.arange(4), dp).total, by_hand, rtol=1e-15)
    with pytest.raises(ValueError):
        model_state_bytes(N, 4, 8)


def test_activation_memory_korthikanti():
    s, b, h, a = 2048, 4, 12288, 96
    # independent: the paper's component count for one layer (Sec. 4.1, 16-bit values, 1-byte masks)
    attention = 2 * s * b * h + 4 * s * b * h + 2 * a * s * s * b + a * s * s * b + 2 * a * s * s * b + 2 * s * b * h
    attention += 2 * s * b * h + s * b * h  # output projection input and its dropout mask
    mlp = 2 * s * b * h + 8 * s * b * h + 8 * s * b * h + s * b * h
    norms = 2 * (2 * s * b * h)
    assert activation_bytes_per_layer(s, b, h, a, "none") == attention + mlp + norms
    assert activation_bytes_per_layer(s, b, h, a, "none") == s * b * h * (34 + 5 * a * s / h)
    assert activation_bytes_per_layer(s, b, h, a, "selective") == 34 * s * b * h
    assert activation_bytes_per_layer(s, b, h, a, "full") == 2 * s * b * h
    with pytest.raises(ValueError):
        activation_bytes_per_layer(s, b, h, a, "some")
    # Table 2 with tensor and sequence parallelism of degree t: the first two divide by t, full stays 2sbh
    t = 8
    assert activation_bytes_per_layer(s, b, h, a, "none", t) == pytest.approx(
        s * b * h * (34 / t + 5 * a * s / (h * t))
    )
    assert activation_bytes_per_layer(s, b, h, a, "selective", t) == pytest.approx(34 * s * b * h / t)
    assert activation_bytes_per_layer(s, b, h, a, "full", t) == 2 * s * b * h


def test_min_accelerators():
    # 7e9 params with 10 GB of activations on 80 GB parts
    need = min_accelerators(7e9, 10e9, 80e9, np.arange(4))
    assert need[0] == np.inf  # 112 GB unsharded never fits
    np.testing.assert_array_equal(need[1:], [2, 2, 2])
    for stage, n in zip(range(1, 4), need[1:]):  # it fits at n and not at n - 1
        fits = lambda k, st=stage: model_state_bytes(7e9, st, k).total + 10e9 <= 80e9  # noqa: E731
        assert fits(int(n)) and not fits(int(n) - 1)
    assert min_accelerators(1e8, 1e9, 80e9, 0) == 1
    # tensor parallelism: groups of 8 hold 70e9 / 8 parameters each; ZeRO-3 over the replicas
    need = float(min_accelerators(70e9, 5e9, 80e9, 3, 8))
    assert need % 8 == 0
    fits = lambda n: model_state_bytes(70e9 / 8, 3, n / 8).total + 5e9 <= 80e9  # noqa: E731
    assert fits(need) and not fits(need - 8)


def test_shape_hits_the_parameter_count():
    N = np.logspace(8, 12, 9)
    shape = model_shape(N)
    np.testing.assert_allclose(shape.params_nonembedding, N, rtol=0.03)
    assert np.all((shape.aspect > 64) & (shape.aspect < 256))
    assert np.all(shape.d_model % 128 == 0) and np.all(shape.n_head * 128 == shape.d_model)
    total = model_shape(7e9, n_vocab=128000, includes_embeddings=True)
    assert float(total.params_total) == pytest.approx(7e9, rel=0.03)
    assert float(total.params_embedding) == 2 * 128000 * float(total.d_model)


# ---------------------------------------------------------------- plan_run


def h100():
    return find_accelerator("h100")


def test_plan_budget_from_hardware_matches_the_frontier():
    plan = plan_run(resolve_plan_law("epoch2024"), h100(), 1024, 0.4, days=30)
    C = 1024 * 30 * 86400 * 989.4e12 * 0.4
    assert plan.compute == pytest.approx(C, rel=1e-12)
    alloc = optimal_allocation(PRESETS["epoch2024"].law, C)
    assert plan.N == pytest.approx(float(alloc.N_opt)) and plan.loss == pytest.approx(float(alloc.loss))
    assert plan.wall_days == pytest.approx(30.0) and plan.cost is None
    assert plan.accelerator_hours == pytest.approx(1024 * 30 * 24)


def test_plan_reverse_mode_and_fixed_params():
    law = resolve_plan_law("epoch2024")
    forward = plan_run(law, h100(), 1024, compute=1e23)
    reverse = plan_run(law, h100(), 1024, target_loss=forward.loss)
    assert reverse.mode == "reverse" and reverse.compute == pytest.approx(1e23, rel=1e-9)
    fixed = plan_run(law, h100(), 64, compute=1e23, params=7e9)
    assert fixed.N == 7e9 and fixed.D == pytest.approx(1e23 / 42e9)
    assert fixed.loss > forward.loss  # not the compute-optimal size
    fixed_loss = plan_run(law, h100(), 64, target_loss=2.1, params=7e9)
    assert PRESETS["epoch2024"].law.loss(7e9, fixed_loss.D) == pytest.approx(2.1, rel=1e-12)


def test_plan_with_an_allocation_rule_shows_no_loss():
    plan = plan_run(resolve_plan_law("llama3_2024"), h100(), 1024, days=30, inference_tokens=1e12)
    assert math.isnan(plan.loss) and plan.inference_aware is None
    out = plan.to_json()
    assert out["loss"] is None and out["batch_tokens"]["kaplan_critical"] is None
    with pytest.raises(PlanError, match="allocation rule"):
        plan_run(resolve_plan_law("llama3_2024"), h100(), 1024, target_loss=2.0)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"count": 0, "days": 30}, "at least 1"),
        ({"count": 8, "mfu": 1.5, "days": 30}, "MFU"),
        ({"count": 8, "mfu": 0.0, "days": 30}, "MFU"),
        ({"count": 8, "days": -3}, "training days"),
        ({"count": 8, "target_loss": 1.5}, "irreducible loss E = 1.817"),
        ({"count": 8}, "give a budget"),
        ({"count": 8, "compute": 1e20, "params": 1e20}, "cannot train"),
        ({"count": 8, "days": 1, "zero": 5}, "ZeRO"),
        ({"count": 8, "days": 1, "recompute": "half"}, "recomputation"),
        ({"count": 8, "days": 1, "unique_tokens": 0.0}, "unique tokens"),
        ({"count": 12, "days": 1, "tensor_parallel": 8}, "tensor-parallel"),
    ],
)
def test_plan_bad_inputs_name_the_problem(kwargs, words):
    with pytest.raises(PlanError, match=words):
        plan_run(resolve_plan_law("epoch2024"), h100(), **kwargs)


def test_plan_json_has_exactly_the_contract_fields():
    plan = plan_run(
        resolve_plan_law("epoch2024"), h100(), 1024, days=30, price=2.0, unique_tokens=5e11, inference_tokens=1e12
    )
    out = plan.to_json()
    assert set(out) == {
        "compute", "N_opt", "D_opt", "loss", "tokens_per_param", "accelerator_hours", "wall_days", "cost", "shape",
        "memory_gb", "min_accelerators", "lr", "batch_tokens", "data_constrained", "inference_aware",
    }  # fmt: skip
    assert set(out["shape"]) == {"n_layer", "d_model", "n_head"}
    assert set(out["memory_gb"]) == {"weights", "gradients", "optimizer", "activations", "per_accelerator"}
    assert set(out["lr"]) == {"deepseek2024"} and set(out["batch_tokens"]) == {"deepseek2024", "kaplan_critical"}
    assert set(out["data_constrained"]) == {"unique_tokens", "epochs", "effective_tokens", "N_opt", "D_opt", "loss"}
    assert set(out["inference_aware"]) == {
        "inference_tokens", "N", "D", "loss", "total_flops", "total_flops_compute_optimal",
    }  # fmt: skip
    assert out["cost"] == pytest.approx(1024 * 30 * 24 * 2.0)
    mem = out["memory_gb"]
    assert mem["per_accelerator"] == pytest.approx(sum(v for k, v in mem.items() if k != "per_accelerator"))
    assert out["min_accelerators"] is None or isinstance(out["min_accelerators"], int)
    dc = out["data_constrained"]
    assert dc["epochs"] == pytest.approx(out["D_opt"] / 5e11)
    assert dc["loss"] <= plan.data_constrained.loss_at_plan + 1e-12  # the best split given U is no worse
