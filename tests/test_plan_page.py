"""The Plan page headless (AppTest): both languages, every value from the URL, widgets change the
plan and the URL, bad input gets a message, and the numbers agree with independent computations."""

import math

import numpy as np
import pytest

from apptest_helpers import array, figures, no_exceptions, run_page
from scaling_core.frontier import optimal_allocation
from scaling_core.planning.hardware import accelerator_catalog
from scaling_core.presets import PRESETS

PLAN = "pages/5_Plan.py"
H100_PEAK = 989.4e12


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at) -> str:
    return " ".join(str(e.value) for kind in (at.error, at.warning, at.info, at.success) for e in kind)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plan_page_runs_clean_in_both_languages(lang):
    at = run_page(PLAN, {"lang": lang})
    no_exceptions(at)
    assert not at.error
    assert len(figures(at)) == 2  # memory bars and the inference trade-off
    values = metrics(at)
    key = "Parameters N" if lang == "en" else "参数量 N"
    # default: 1,024 H100s x 30 days x 40% MFU under Epoch AI's law; N_opt checked in closed form
    C = 1024 * 30 * 86400 * H100_PEAK * 0.4
    law = PRESETS["epoch2024"].law
    G = (law.alpha * law.A / (law.beta * law.B)) ** (1 / (law.alpha + law.beta))
    N = G * (C / 6) ** (law.beta / (law.alpha + law.beta))
    assert values[key] == f"{float(f'{N:.3g}') / 1e9:.3g}B"  # 98.3B
    assert len(at.dataframe) == 2  # learning rate and batch, and the plan table


def test_url_sets_every_input_and_the_numbers_follow():
    query = {
        "law": "hoffmann2022",
        "budget": "flops",
        "log10_C": "23",
        "acc": "a100_80gb_sxm",
        "count": "64",
        "mfu": "0.5",
        "zero": "3",
        "tp": "1",
        "recompute": "full",
        "seq": "2048",
        "mb": "2",
        "vocab": "32000",
        "U": "1e11",
        "Dinf": "1T",
        "price": "2",
    }
    at = run_page(PLAN, query)
    no_exceptions(at)
    assert not at.warning or all("Ignored" not in w.value for w in at.warning)
    assert at.selectbox(key="law").value == "hoffmann2022"
    assert at.radio(key="budget").value == "flops"
    assert at.slider(key="log10_C").value == pytest.approx(23.0)
    assert at.selectbox(key="acc").value == "a100_80gb_sxm"
    assert at.number_input(key="count").value == 64
    assert at.slider(key="mfu").value == pytest.approx(0.5)
    assert at.radio(key="zero").value == "3" and at.radio(key="recompute").value == "full"
    assert at.number_input(key="seq").value == 2048 and at.number_input(key="mb").value == 2
    assert at.text_input(key="U").value == "1e11" and at.text_input(key="Dinf").value == "1T"
    values = metrics(at)
    alloc = optimal_allocation(PRESETS["hoffmann2022"].law, 1e23)
    assert values["Compute C (FLOPs)"] == "1e23"
    assert values["Predicted loss (nats/token)"] == f"{float(alloc.loss):.4f}"
    # time and cost on 64 A100s at 50% MFU, priced at 2 per accelerator-hour
    hours = 1e23 / (312e12 * 0.5) / 3600
    assert values["Accelerator-hours"] == f"{hours:,.0f}"
    assert values["Wall-clock days"] == f"{hours / 64 / 24:.3g}"
    assert values["Cost"] == f"{2 * hours:,.0f}"
    assert "Epochs over U" in values and "Inference-aware N" in values
    assert values["Epochs over U"] == f"{float(alloc.D_opt) / 1e11:.2f}"


def test_changing_widgets_changes_the_plan_and_the_url():
    at = run_page(PLAN)
    before = metrics(at)["Parameters N"]
    at.selectbox(key="law").set_value("hoffmann2022").run()
    no_exceptions(at)
    assert at.query_params["law"] == "hoffmann2022"
    after = metrics(at)["Parameters N"]
    assert after != before
    at.selectbox(key="acc").set_value("b200").run()
    assert at.query_params["acc"] == "b200"
    # B200: 2.25e15 FLOP/s against the H100's 989.4e12 at the same count, days and MFU
    C = 1024 * 30 * 86400 * accelerator_catalog()["b200"].peak_flops * 0.4
    assert metrics(at)["Compute C (FLOPs)"] == f"{C:.3g}".replace("e+", "e")
    at.radio(key="zero").set_value("3").run()
    assert at.query_params["zero"] == "3"
    at.slider(key="mfu").set_value(0.3).run()
    no_exceptions(at)
    assert metrics(at)["Compute C (FLOPs)"] == f"{C * 0.75:.3g}".replace("e+", "e")


def test_reverse_mode_round_trips_through_the_page():
    law = PRESETS["epoch2024"].law
    loss = float(optimal_allocation(law, 1e23).loss)
    at = run_page(PLAN, {"budget": "loss", "loss": f"{loss:.3f}"})
    no_exceptions(at)
    from scaling_core.planning.inference import least_compute_for_loss

    C, _, _ = least_compute_for_loss(law, round(loss, 3))
    assert metrics(at)["Compute C (FLOPs)"] == f"{float(C):.3g}".replace("e+", "e")
    assert float(metrics(at)["Predicted loss (nats/token)"]) == pytest.approx(round(loss, 3), abs=1e-4)


def test_fixed_model_size():
    at = run_page(PLAN, {"size": "fixed", "N": "7B", "budget": "flops", "log10_C": "23"})
    no_exceptions(at)
    values = metrics(at)
    assert values["Parameters N"] == "7B"
    assert values["Training tokens D"] == f"{1e23 / 42e9 / 1e12:.3g}T"


def test_allocation_rule_shows_no_loss_and_says_so():
    at = run_page(PLAN, {"law": "llama3_2024"})
    no_exceptions(at)
    assert metrics(at)["Predicted loss (nats/token)"] == "no loss law"
    assert "allocation rule only" in texts(at)
    assert len(figures(at)) == 1  # memory only: no inference trade-off without a loss


def test_fitted_law_from_the_link():
    spec = "chinchilla:E=1.8,A=480,B=2100,alpha=0.35,beta=0.37"
    at = run_page(PLAN, {"fit": spec, "budget": "flops", "log10_C": "22"})
    no_exceptions(at)
    assert at.selectbox(key="law").value == "fit"
    from scaling_core.laws import ChinchillaLaw

    law = ChinchillaLaw(E=1.8, A=480, B=2100, alpha=0.35, beta=0.37)
    assert metrics(at)["Predicted loss (nats/token)"] == f"{float(optimal_allocation(law, 1e22).loss):.4f}"


@pytest.mark.parametrize(
    "query, key",
    [
        ({"count": "0"}, "count"),
        ({"mfu": "1.5"}, "mfu"),
        ({"days": "-3"}, "days"),
        ({"acc": "v100"}, "acc"),
        ({"zero": "7"}, "zero"),
    ],
)
def test_bad_url_values_fall_back_with_a_notice(query, key):
    at = run_page(PLAN, query)
    no_exceptions(at)
    notices = [w.value for w in at.warning if "Ignored URL parameter" in w.value]
    assert len(notices) == 1 and f"`{key}`" in notices[0]
    assert "Compute C (FLOPs)" in metrics(at)  # the page still plans, with the default


@pytest.mark.parametrize(
    "query, words",
    [
        ({"budget": "loss", "loss": "1.5"}, "irreducible loss E = 1.817"),
        ({"budget": "loss", "law": "llama3_2024"}, "allocation rule without a loss law"),
        ({"count": "12", "tp": "8"}, "does not divide the 12 accelerators"),
        ({"size": "fixed", "N": "1e6", "budget": "loss", "loss": "2.0"}, "cannot reach loss"),
    ],
)
def test_bad_combinations_get_a_clear_message(query, words):
    at = run_page(PLAN, query)
    no_exceptions(at)
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
    assert not at.metric  # no half-plan is shown


@pytest.mark.parametrize(
    "query, words",
    [
        ({"U": "lots"}, "Unique tokens available U: `lots` is not a number"),
        ({"Dinf": "-5"}, "Lifetime inference tokens: `\\-5` is not a number"),
        ({"price": "<b>9</b>"}, "is not a number"),
        ({"law": "fit"}, "carries none"),
        ({"fit": "chinchilla:E=1"}, "Ignored URL parameter `fit`"),
    ],
)
def test_bad_text_is_named_and_the_plan_goes_on(query, words):
    at = run_page(PLAN, query)
    no_exceptions(at)
    assert words in texts(at), texts(at)
    assert "<b>" not in texts(at)
    assert "Compute C (FLOPs)" in metrics(at)


def test_memory_bars_match_zero_by_hand():
    at = run_page(PLAN, {"tp": "1", "count": "64", "budget": "flops", "log10_C": "22"})
    no_exceptions(at)
    bars = figures(at)[0]["data"]
    weights = array(bars[0]["y"])
    optimizer = array(bars[2]["y"])
    table = at.dataframe[1].value
    N = float(table[table.iloc[:, 0] == "Parameters N"].iloc[0, 1])  # the law counts total parameters
    np.testing.assert_allclose(weights, [2 * N / 1e9] * 3 + [2 * N / 64 / 1e9], rtol=1e-3)
    np.testing.assert_allclose(optimizer, [12 * N / 1e9] + [12 * N / 64 / 1e9] * 3, rtol=1e-3)
    capacity = bars[4]["y"]
    assert capacity[0] == 80.0
    assert math.isfinite(float(table[table.iloc[:, 0] == "Fewest accelerators that fit"].iloc[0, 1]))


def test_frontiers_shows_allocation_rules_without_a_loss():
    at = run_page("pages/2_Frontiers.py", {"laws": ["epoch2024", "llama3_2024", "chinchilla_20tpp"], "log10_C": "24"})
    no_exceptions(at)
    table = at.dataframe[0].value
    rows = {row.iloc[0]: row for _, row in table.iterrows()}
    llama = rows["Llama 3 2024 (D* = 0.29 C^0.53)"]
    assert llama.iloc[4] == "—"  # an allocation rule has no loss
    assert llama.iloc[2] == f"{0.29 * 1e24**0.53 / 1e12:.3g}T"
    assert rows["About 20 tokens per parameter (Chinchilla)"].iloc[3] == "20.0"
    assert "give no loss law" in " ".join(c.value for c in at.caption)
