"""Regressions found in review: each test reproduces a reported failure."""

import numpy as np
import pytest

from apptest_helpers import figures, grid_csv, no_exceptions, one_trend_csv, run_page, upload_file
from scaling_core.analysis import FitOptions, run_fit
from scaling_core.frontier import unreal_optimum
from scaling_core.io import load_epoch_runs, read_table, validate_runs
from scaling_core.laws import ChinchillaLaw
from scaling_core.synthetic import DEMO_LAW
from ui.figures import count_label

FIT, EXTRAPOLATE, EXPLORER = "pages/3_Fit.py", "pages/4_Extrapolate.py", "pages/1_Law_Explorer.py"


def upload(page, name, data, query=None):
    return upload_file(run_page(page, {"data": "upload", "boot": "200", **(query or {})}), name, data)


def test_large_uploads_differing_outside_a_sample_are_not_confused():
    rng = np.random.default_rng(0)
    N, D = 10 ** rng.uniform(7, 10, 60_000), 10 ** rng.uniform(9, 12, 60_000)
    good = grid_csv(zip(N, D, DEMO_LAW.loss(N, D)))
    lines = good.decode().split("\n")
    lines[101] = lines[101].rsplit(",", 1)[0] + ",oops"  # one bad cell, far from any sample
    bad = "\n".join(lines).encode()
    first = upload(FIT, "runs.csv", good, {"form": "power"})
    assert not first.warning
    second = upload(FIT, "runs_fixed.csv", bad, {"form": "power"})  # a new session
    no_exceptions(second)
    assert any("1 row(s) were left out" in w.value for w in second.warning)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # its rows lie on one line: a degenerate fit, as below
def test_a_huge_value_is_dropped_not_fatal():
    rows = [(10 ** (8 + i / 7), 10 ** (10 + i / 5), 3 - 0.05 * i) for i in range(15)]
    data = grid_csv(rows, "1e300,1e10,2.0\n")
    runs = validate_runs(read_table(data, "x.csv"))
    assert runs.n_runs == 15 and runs.issues[0].problem == "gives C = 6ND out of range"
    for page in (FIT, EXTRAPOLATE):
        at = upload(page, "x.csv", data)
        no_exceptions(at)


# A degenerate law gives all-NaN bootstrap slices at its (infinite) optimum: numpy warns, the pages say why.
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_runs_at_one_tokens_per_parameter_warn_and_a_degenerate_optimum_is_named():
    """Every model at N/D fixed: the N and D terms cannot be told apart (found with the rows above)."""
    data = one_trend_csv()  # D ∝ N^1.4: log N and log D on one line
    outcome = run_fit(validate_runs(read_table(data, "x.csv")), FitOptions(bootstrap=0))
    assert "almost collinear" in outcome.warnings[0]
    assert "no real model" in outcome.warnings[1]  # this fit puts N_opt far below one parameter
    assert outcome.to_json()["warnings"] == outcome.warnings
    for page in (FIT, EXTRAPOLATE):
        at = upload(page, "x.csv", data)
        no_exceptions(at)
        assert any("almost collinear" in w.value for w in at.warning)
        assert any("no real model" in w.value for w in at.warning)


def test_a_well_designed_fit_has_no_warnings():
    outcome = run_fit(load_epoch_runs(), FitOptions(bootstrap=0))
    assert outcome.warnings == [] and "warnings" not in outcome.to_json()


def test_extrapolate_single_budget_and_single_size():
    N = np.logspace(8, 10, 9)
    D = 1e20 / (6 * N)
    at = upload(EXTRAPOLATE, "one_budget.csv", grid_csv(zip(N, D, DEMO_LAW.loss(N, D))))
    no_exceptions(at)  # one compute budget: the cutoff slider still works
    N = np.full(12, 1e8)
    D = np.logspace(9, 11, 12)
    at = upload(EXTRAPOLATE, "one_size.csv", grid_csv(zip(N, D, DEMO_LAW.loss(N, D))), {"split": "pick"})
    no_exceptions(at)
    assert any("same N" in e.value for e in at.error)


def test_family_switch_comes_back_to_the_default_preset_cleanly():
    at = run_page(EXPLORER)
    at.selectbox(key="preset").set_value("hoffmann2022").run()
    at.radio(key="family").set_value("kaplan").run()
    assert not at.warning
    at.radio(key="family").set_value("chinchilla").run()
    no_exceptions(at)
    assert at.selectbox(key="preset").value == "epoch2024"
    assert at.slider(key="alpha").value == pytest.approx(0.3478)
    assert not at.info  # not flagged as a custom law


def test_url_range_in_either_order_and_flag_in_any_case():
    at = run_page(EXPLORER, {"n_range": ["12", "8"], "models": "False"})
    no_exceptions(at)
    assert not at.warning
    spec = figures(at)[0]
    assert spec["layout"]["xaxis"]["range"][0] < spec["layout"]["xaxis"]["range"][1]
    assert at.checkbox(key="models").value is False


def test_extrapolate_url_values_outside_the_data_get_a_notice():
    at = run_page(EXTRAPOLATE, {"cut": "25", "boot": "200"})
    no_exceptions(at)
    assert any("`cut`" in w.value for w in at.warning)
    at = run_page(EXTRAPOLATE, {"split": "pick", "hold": ["2", "999"], "boot": "200"})
    no_exceptions(at)
    assert any("`hold`" in w.value for w in at.warning)


@pytest.mark.parametrize("value, label", [(9.996e11, "1T"), (999.4e6, "999M"), (1e9, "1B"), (2.5e3, "2.5K")])
def test_count_labels_round_across_suffixes(value, label):
    assert count_label(value) == label


def test_unreal_optimum_names_a_degenerate_law_only():
    assert unreal_optimum(DEMO_LAW, 1e24) is None
    assert unreal_optimum(ChinchillaLaw(1.69, 406.4, 410.7, 0.34, 0.28), 1e18) is None
    tiny_a = ChinchillaLaw(E=0.0, A=1.8e-322, B=7.76, alpha=12.98, beta=0.041)  # the fit found above
    assert "at N = " in unreal_optimum(tiny_a, 5.76e23)
    no_b = ChinchillaLaw(E=0.0, A=8.69, B=0.0, alpha=0.057, beta=33.7)
    assert "nowhere finite" in unreal_optimum(no_b, 5.76e23)
    assert count_label(float("nan")) == "—" and count_label(float("inf")) == "inf"
