"""Extrapolation bands: calibration on synthetic data, behaviour with distance, the Epoch
report end to end, the command line and the page."""

import json
import subprocess
import sys

import numpy as np
import pytest

from apptest_helpers import ROOT, figures, no_exceptions, run_page
from scaling_core.extrapolate import backtest, default_cutoffs, fit_with_bands, frontier_bands, holdout_report
from scaling_core.fit import hoffmann_start_grid
from scaling_core.io import load_epoch_runs
from scaling_core.synthetic import DEMO_LAW, isoflop_design, noisy_losses

# A fixed subset of the 4,500-start grid keeps 200 replicate fits affordable; the band method
# under test (residual bootstrap with double-bootstrap calibration) is the page's own.
STARTS = hoffmann_start_grid()[np.random.default_rng(0).choice(4500, 100, replace=False)]


@pytest.mark.slow
def test_prediction_bands_are_calibrated_one_decade_out():
    """200 data sets of 40 runs (5 budgets, 1e18..1e20 FLOPs, 8 sizes each) with 1% log-normal
    noise; 8 held-out runs at 1e21 FLOPs, one decade beyond. Coverage over all held-out runs."""
    rng = np.random.default_rng(2024)
    N_train, D_train = isoflop_design(np.logspace(18, 20, 5), 8)
    N_test, D_test = isoflop_design(np.array([1e21]), 8)
    inside = {0.5: [], 0.8: [], 0.95: []}
    for replicate in range(200):
        y_train = noisy_losses(DEMO_LAW, N_train, D_train, 0.01, rng)
        y_test = noisy_losses(DEMO_LAW, N_test, D_test, 0.01, rng)
        model = fit_with_bands(N_train, D_train, y_train, n_resamples=200, seed=replicate, starts=STARTS)
        report = holdout_report(model, N_test, D_test, y_test)
        for level in inside:
            inside[level].append(report.inside(level))
    coverage = {level: float(np.mean(np.concatenate(v))) for level, v in inside.items()}
    print(f"\n[calibration] coverage over 1,600 held-out runs: {coverage}")
    assert 0.90 <= coverage[0.95] <= 0.99
    assert 0.72 <= coverage[0.8] <= 0.88
    assert 0.40 <= coverage[0.5] <= 0.60


@pytest.fixture(scope="module")
def synthetic_model():
    rng = np.random.default_rng(5)
    N, D = isoflop_design(np.logspace(18, 20, 5), 8)
    return fit_with_bands(N, D, noisy_losses(DEMO_LAW, N, D, 0.01, rng), n_resamples=300, seed=1, starts=STARTS)


def test_bands_widen_with_distance(synthetic_model):
    budgets = np.logspace(18.5, 25, 14)
    _, _, bands = frontier_bands(synthetic_model, budgets)
    for level in (0.5, 0.8, 0.95):
        lo, hi = bands.prediction[level]
        width = np.log(hi) - np.log(lo)
        beyond = budgets > 1e20
        assert np.all(np.diff(width[beyond]) > -1e-9), f"{level} band narrows going out"
        assert width[budgets <= 1e20].max() <= width[-1]
        clo, chi = bands.confidence[level]
        assert np.all(chi - clo <= hi - lo + 1e-12), "a prediction band is at least as wide as the confidence band"
        assert np.all((lo <= bands.point) & (bands.point <= hi))
    # nested levels
    assert np.all(bands.prediction[0.95][0] <= bands.prediction[0.8][0])
    assert np.all(bands.prediction[0.8][1] <= bands.prediction[0.95][1])


def test_target_inside_the_data_gets_a_narrower_band_than_far_outside(synthetic_model):
    inside = synthetic_model.bands([3e8], [3e9])  # C ~ 5e18, within the runs
    outside = synthetic_model.bands([3e11], [6e12])  # C ~ 1e25, five decades out
    for level in (0.8, 0.95):
        w_in = np.log(inside.prediction[level][1] / inside.prediction[level][0])
        w_out = np.log(outside.prediction[level][1] / outside.prediction[level][0])
        assert w_in[0] <= w_out[0]


def test_epoch_report_below_1e21_runs_end_to_end():
    runs = load_epoch_runs()
    train = runs.C < 1e21
    model = fit_with_bands(runs.N[train], runs.D[train], runs.loss[train], n_resamples=300, exclude_top_loss=5)
    report = holdout_report(model, runs.N[~train], runs.D[~train], runs.loss[~train])
    assert report.observed.size == (~train).sum() > 10
    coverage = {level: report.coverage(level) for level in (0.5, 0.8, 0.95)}
    print(f"\n[epoch] fit below 1e21 FLOPs, coverage of {report.observed.size} held-out runs: {coverage}")
    assert all(0.0 <= c <= 1.0 for c in coverage.values())
    assert coverage[0.5] <= coverage[0.8] <= coverage[0.95]
    assert np.all(np.isfinite(report.predicted))


def test_backtest_scores_runs_beyond_each_cutoff():
    runs = load_epoch_runs()
    cutoffs = default_cutoffs(runs.C, count=3)
    result = backtest(runs.N, runs.D, runs.loss, cutoffs, n_resamples=100, starts=STARTS)
    assert len(result.rows) == 3
    for row in result.rows:
        assert row.n_train + row.n_test == runs.n_runs
        assert row.mae_log > 0
    assert np.all(result.decades >= 0)
    groups = result.by_distance()
    assert sum(g["n"] for g in groups) == result.decades.size


def cli(*args):
    return subprocess.run([sys.executable, "-m", "scaling_core", *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_extrapolate_held_out_and_targets(tmp_path):
    out = cli(
        "extrapolate",
        "builtin:epoch",
        "--fit-below",
        "1e21",
        "--exclude-top-loss",
        "5",
        "--bootstrap",
        "200",
        "--target-compute",
        "1e24",
        "--target-params",
        "70B",
        "--target-tokens",
        "1.4T",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    held = data["held_out"]
    assert len(held) == 23
    first = held[0]
    assert {"N", "D", "C", "observed", "predicted", "pi80", "in80", "pi95", "in95"} <= set(first)
    assert first["pi95"][0] <= first["pi80"][0] <= first["predicted"] <= first["pi80"][1] <= first["pi95"][1]
    assert data["coverage"]["80"] == pytest.approx(np.mean([h["in80"] for h in held]))
    budget, point = data["targets"][-1], data["targets"][-2]
    assert budget["C"] == 1e24 and budget["N_interval95"][0] <= budget["N"] <= budget["N_interval95"][1]
    assert point["N"] == 7e10 and point["pi95"][0] < point["predicted"] < point["pi95"][1]
    # rows without a loss are targets
    table = tmp_path / "runs.csv"
    lines = ["params,tokens,loss"] + [f"{n:.4g},{d:.4g},{loss:.5f}" for n, d, loss in zip(*_demo())] + ["1e11,2e12,"]
    table.write_text("\n".join(lines) + "\n")
    out = cli("extrapolate", str(table), "--bootstrap", "100", "--json")
    assert out.returncode == 0, out.stderr
    targets = json.loads(out.stdout)["targets"]
    assert len(targets) == 1 and targets[0]["N"] == 1e11


def _demo():
    rng = np.random.default_rng(0)
    N, D = isoflop_design(np.logspace(18, 20, 4), 6)
    return N, D, noisy_losses(DEMO_LAW, N, D, 0.01, rng)


def test_cli_extrapolate_bad_arguments():
    out = cli("extrapolate", "builtin:epoch", "--fit-below", "1e17")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    out = cli("extrapolate", "builtin:epoch", "--target-params", "1e9")
    assert out.returncode == 2 and "--target-tokens" in out.stderr


EXTRAPOLATE = "pages/4_Extrapolate.py"


def test_page_runs_and_reports_coverage():
    at = run_page(EXTRAPOLATE, {"boot": "200"})
    no_exceptions(at)
    labels = [m.label for m in at.metric]
    assert any("95%" in label for label in labels)
    assert len(figures(at)) >= 2
    held_before = len(_heldout_table(at))
    assert held_before == 23  # Epoch runs at or above 1e21 FLOPs
    at.slider(key="cut").set_value(20.5).run()
    no_exceptions(at)
    assert len(_heldout_table(at)) > held_before


def _heldout_table(at):
    tables = [d.value for d in at.dataframe if "Observed" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def test_page_backtest_and_chinese():
    at = run_page(EXTRAPOLATE, {"boot": "200", "backtest": "on", "lang": "zh"})
    no_exceptions(at)
    assert any("外推" in t.value for t in at.title)
    assert len(figures(at)) >= 3
