"""The core against published numbers and independent closed forms (tests/data/reference_vectors.json)."""

import json
from pathlib import Path

import numpy as np
import pytest

from scaling_core import compute
from scaling_core.frontier import (
    chinchilla_optimal_allocation,
    iso_flop_profile,
    kaplan_isoflop_closed_form,
    kaplan_published_allocation,
    numeric_optimal_allocation,
    optimal_allocation,
)
from scaling_core.laws import ChinchillaLaw, KaplanLaw
from scaling_core.presets import (
    KAPLAN_ALLOCATION,
    KAPLAN_L_OF_C_NAIVE,
    KAPLAN_L_OF_CMIN,
    KAPLAN_L_OF_D,
    KAPLAN_L_OF_N,
    PRESETS,
)

VECTORS = json.loads((Path(__file__).parent / "data" / "reference_vectors.json").read_text())["vectors"]
RTOL = 1e-9  # formulas evaluated in closed form must match to rounding
CHINCHILLA_PRESET_OF_VECTOR = {
    "hoffmann_paper_rounded": "hoffmann2022",
    "hoffmann_tex_unrounded": "hoffmann2022_unrounded",
    "epoch_besiroglu2024": "epoch2024",
}


def vec(vid):
    return VECTORS[vid]


def test_kaplan_single_factor_laws():
    v = vec("kaplan.L_of_N")
    np.testing.assert_allclose(KAPLAN_L_OF_N.loss(v["inputs"]["N"]), v["outputs"]["L_nats"], rtol=RTOL)
    v = vec("kaplan.L_of_D")
    np.testing.assert_allclose(KAPLAN_L_OF_D.loss(v["inputs"]["D"]), v["outputs"]["L_nats"], rtol=RTOL)
    v = vec("kaplan.L_of_Cmin")
    np.testing.assert_allclose(KAPLAN_L_OF_CMIN.loss(v["inputs"]["C_min_pfdays"]), v["outputs"]["L_nats"], rtol=RTOL)
    # The same numbers starting from FLOPs, through the PF-day conversion.
    pfdays = compute.flops_to_pfdays(v["inputs"]["C_min_flops"])
    np.testing.assert_allclose(KAPLAN_L_OF_CMIN.loss(pfdays), v["outputs"]["L_nats"], rtol=RTOL)
    v = vec("kaplan.L_of_C_naive")
    np.testing.assert_allclose(KAPLAN_L_OF_C_NAIVE.loss(v["inputs"]["C_pfdays"]), v["outputs"]["L_nats"], rtol=RTOL)


def test_kaplan_cmin_constant_is_the_printed_one():
    # Eq. 1.3 / Table 5 print 3.1e8 PF-days; 2.3e8 is a misprint seen in tutorials.
    assert KAPLAN_L_OF_CMIN.scale == 3.1e8


@pytest.mark.parametrize(
    "vid, preset", [("kaplan.L_of_N_D.table2", "kaplan2020"), ("kaplan.L_of_N_D.summary_constants", "kaplan2020_eq1")]
)
def test_kaplan_joint_law(vid, preset):
    v = vec(vid)
    law = PRESETS[preset].law
    for key in ("alpha_N", "alpha_D", "N_c", "D_c"):
        assert getattr(law, key) == v["inputs"][key]
    N, D = np.array(v["inputs"]["ND"]).T
    np.testing.assert_allclose(law.loss(N, D), v["outputs"]["L_nats"], rtol=RTOL)


def test_kaplan_overfit_penalty():
    v = vec("kaplan.overfit_deltaL")
    N, D = np.array(v["inputs"]["ND"]).T
    np.testing.assert_allclose(PRESETS["kaplan2020"].law.overfit_penalty(N, D), v["outputs"]["deltaL"], rtol=RTOL)


def test_kaplan_published_allocation():
    v = vec("kaplan.compute_efficient_allocation")
    C_min = np.array(v["inputs"]["C_min_pfdays"])
    np.testing.assert_allclose(KAPLAN_ALLOCATION.n_opt(C_min), v["outputs"]["N_opt"], rtol=RTOL)
    np.testing.assert_allclose(KAPLAN_ALLOCATION.d_opt(C_min), v["outputs"]["D_tokens"], rtol=RTOL)
    # Hoffmann et al. App. D.4: Kaplan's law suggests 4.68B parameters at 1e21 FLOPs (C_min = C/2).
    alloc = kaplan_published_allocation(1e21)
    assert alloc.N_opt == pytest.approx(4.683e9, rel=1e-3)
    assert alloc.N_opt * alloc.D_opt * 6 == pytest.approx(1e21, rel=1e-12)
    assert np.isnan(alloc.loss)


@pytest.mark.parametrize("vector_name, preset", CHINCHILLA_PRESET_OF_VECTOR.items())
def test_chinchilla_closed_form_optimum(vector_name, preset):
    v = vec(f"chinchilla.approach3_optimum.{vector_name}")
    law = PRESETS[preset].law
    for key in ("E", "A", "B", "alpha", "beta"):
        assert getattr(law, key) == pytest.approx(v["inputs"][key], rel=1e-12)
    assert law.allocation_exponents[0] == pytest.approx(v["outputs"]["a"], rel=RTOL)
    C = np.array([r["C"] for r in v["outputs"]["rows"]])
    alloc = chinchilla_optimal_allocation(law, C)
    for field, key in (
        ("N_opt", "N_opt"),
        ("D_opt", "D_opt"),
        ("loss", "L_opt"),
        ("tokens_per_param", "tokens_per_param"),
    ):
        expected = [r[key] for r in v["outputs"]["rows"]]
        np.testing.assert_allclose(getattr(alloc, field), expected, rtol=1e-9, err_msg=field)
    # The numeric minimiser on the iso-FLOP line agrees with the closed form.
    numeric = numeric_optimal_allocation(law, C)
    np.testing.assert_allclose(numeric.N_opt, alloc.N_opt, rtol=1e-6)
    np.testing.assert_allclose(numeric.loss, alloc.loss, rtol=1e-12)


@pytest.mark.parametrize("preset", CHINCHILLA_PRESET_OF_VECTOR.values())
def test_chinchilla_optimum_balances_marginal_terms(preset):
    # dL/dN = 0 on C = 6ND  <=>  alpha A / N^alpha = beta B / D^beta.
    law = PRESETS[preset].law
    alloc = optimal_allocation(law, np.logspace(18, 27, 10))
    lhs = law.alpha * law.A * alloc.N_opt ** (-law.alpha)
    rhs = law.beta * law.B * alloc.D_opt ** (-law.beta)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-10)
    np.testing.assert_allclose(6 * alloc.N_opt * alloc.D_opt, alloc.compute, rtol=1e-12)


def test_named_model_losses_and_gopher_budget():
    v = vec("chinchilla.loss_at_named_models")
    for vector_name, preset in CHINCHILLA_PRESET_OF_VECTOR.items():
        law = PRESETS[preset].law
        for model, (N, D) in v["inputs"].items():
            assert law.loss(N, D) == pytest.approx(v["outputs"][vector_name][model], rel=RTOL)
    v = vec("chinchilla.gopher_budget_check")
    for vector_name, preset in CHINCHILLA_PRESET_OF_VECTOR.items():
        n_opt = optimal_allocation(PRESETS[preset].law, v["inputs"]["C"]).N_opt
        assert n_opt == pytest.approx(v["outputs"][vector_name], rel=RTOL)


def test_tokens_per_param_vector():
    v = vec("epoch.tokens_per_param")
    for c in v["inputs"]["C"]:
        for vector_name, preset in CHINCHILLA_PRESET_OF_VECTOR.items():
            ratio = optimal_allocation(PRESETS[preset].law, c).tokens_per_param
            assert ratio == pytest.approx(v["outputs"][repr(float(c))][vector_name], rel=RTOL)


@pytest.mark.parametrize("preset", ["kaplan2020", "kaplan2020_eq1"])
def test_kaplan_numeric_optimum_matches_its_closed_form(preset):
    law = PRESETS[preset].law
    C = np.logspace(18, 27, 19)
    alloc = optimal_allocation(law, C)
    np.testing.assert_allclose(alloc.N_opt, kaplan_isoflop_closed_form(law, C), rtol=1e-6)
    # and it really is the minimum of the profile: nearby sizes on the same line lose
    for factor in (0.9, 1.1):
        assert np.all(iso_flop_profile(law, C, alloc.N_opt * factor) > alloc.loss)


def test_numeric_optimum_keeps_the_shape_of_its_input():
    law = PRESETS["epoch2024"].law
    C = np.logspace(19, 25, 6).reshape(2, 3)
    alloc = numeric_optimal_allocation(law, C)
    assert alloc.N_opt.shape == (2, 3)
    np.testing.assert_allclose(alloc.N_opt, chinchilla_optimal_allocation(law, C).N_opt, rtol=1e-6)


def test_transformer_counting():
    v = vec("kaplan.param_and_flop_counts")
    n_layer, d_model, n_ctx = np.array(v["inputs"]["configs"], dtype=float).T
    N = compute.transformer_nonembedding_params(n_layer, d_model)
    np.testing.assert_allclose(N, v["outputs"]["N_nonembed"], rtol=RTOL)
    np.testing.assert_allclose(
        compute.forward_flops_per_token(N, n_layer, n_ctx, d_model), v["outputs"]["C_forward_per_token"], rtol=RTOL
    )
    np.testing.assert_allclose(
        compute.training_flops_per_token(N, n_layer, n_ctx, d_model), 3 * np.array(v["outputs"]["C_forward_per_token"])
    )


def test_hardware_arithmetic():
    v = vec("practical.training_time")
    i, o = v["inputs"], v["outputs"]
    C = compute.training_flops(i["N"], i["D"])
    assert pytest.approx(o["C_flops"], rel=RTOL) == C
    assert compute.training_days(C, i["n_gpu"], i["A100_bf16_dense"], i["mfu"]) == pytest.approx(
        o["days_A100"], rel=RTOL
    )
    days_h100 = compute.training_days(C, i["n_gpu"], i["H100_SXM_bf16_dense"], i["mfu"])
    assert days_h100 == pytest.approx(o["days_H100"], rel=RTOL)
    # GPU-hours back to the same compute
    hours = days_h100 * 24
    assert compute.compute_from_gpu_hours(i["n_gpu"], hours, i["H100_SXM_bf16_dense"], i["mfu"]) == pytest.approx(C)
    assert days_h100 * 24 * i["n_gpu"] == pytest.approx(o["gpu_hours_H100"], rel=RTOL)
    assert compute.GPU_PEAK_BF16_DENSE["H100 SXM (989.4 TFLOP/s)"] == i["H100_SXM_bf16_dense"]
    v = vec("practical.training_memory")
    for n, gb in v["outputs"]["GB_model_states"].items():
        assert compute.training_memory_bytes(float(n)) / 1e9 == pytest.approx(gb, rel=RTOL)


def test_pfday_and_compute_inverses():
    assert compute.PF_DAY_FLOPS == 8.64e19
    assert compute.pfdays_to_flops(compute.flops_to_pfdays(3e23)) == pytest.approx(3e23)
    N, D = 7e10, 1.4e12
    C = compute.training_flops(N, D)
    assert compute.tokens_for_compute(C, N) == pytest.approx(D)
    assert compute.params_for_compute(C, D) == pytest.approx(N)
    assert compute.kaplan_cmin_from_compute(1e21) == 5e20


def test_chinchilla_rule_of_thumb_is_twenty_tokens():
    v = vec("practical.chinchilla_rule_of_thumb")
    C = np.array(v["inputs"]["C"])
    N = np.sqrt(C / 120)
    np.testing.assert_allclose(N, v["outputs"]["N"], rtol=RTOL)
    # The Epoch refit lands near that rule: about 18-23 tokens per parameter over 1e20..1e24 FLOPs.
    ratio = optimal_allocation(PRESETS["epoch2024"].law, np.logspace(20, 24, 5)).tokens_per_param
    assert np.all((ratio > 17.5) & (ratio < 23.5))


def test_laws_broadcast_over_grids():
    law = ChinchillaLaw(E=1.8, A=480, B=2100, alpha=0.35, beta=0.37)
    N = np.logspace(6, 12, 300)[:, None]
    D = np.logspace(8, 14, 200)[None, :]
    grid = law.loss(N, D)
    assert grid.shape == (300, 200)
    assert grid[5, 7] == pytest.approx(law.loss(N[5, 0], D[0, 7]))
    kaplan = KaplanLaw(N_c=6.4e13, D_c=1.8e13, alpha_N=0.076, alpha_D=0.103)
    assert kaplan.loss(N, D).shape == (300, 200)
