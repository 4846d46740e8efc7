"""The command line: JSON shapes, agreement with the core, one-line errors with exit status 2."""

import json
import subprocess
import sys

import pytest

from apptest_helpers import ROOT, one_trend_csv
from scaling_core.frontier import optimal_allocation
from scaling_core.presets import PRESETS


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scaling_core", *args], cwd=ROOT, capture_output=True, text=True)


def test_optimal_epoch_at_gopher_budget():
    out = cli("optimal", "--law", "epoch2024", "--compute", "5.76e23", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"law", "compute", "N_opt", "D_opt", "loss", "tokens_per_param"}
    assert data["N_opt"] == pytest.approx(7.2249e10, rel=1e-4)
    assert data["D_opt"] == pytest.approx(1.3287e12, rel=1e-4)
    assert data["tokens_per_param"] == pytest.approx(18.39, rel=1e-3)


def test_optimal_several_budgets_matches_the_core():
    out = cli("optimal", "--law", "kaplan2020", "--compute", "1e21", "1e24", "--json")
    data = json.loads(out.stdout)
    alloc = optimal_allocation(PRESETS["kaplan2020"].law, [1e21, 1e24])
    assert data["N_opt"] == pytest.approx(list(alloc.N_opt), rel=1e-12)
    assert data["compute"] == [1e21, 1e24]


def test_inline_law_and_suffixes():
    out = cli("optimal", "--law", "chinchilla:E=1.8,A=480,B=2100,alpha=0.35,beta=0.37", "--compute", "1e24", "--json")
    assert out.returncode == 0, out.stderr
    out = cli("loss", "--law", "hoffmann2022", "--params", "70B", "--tokens", "1.4T", "--json")
    assert json.loads(out.stdout)["loss"] == pytest.approx(1.9366454705587173, rel=1e-12)
    out = cli(
        "loss",
        "--law",
        "kaplan:N_c=6.4e13,D_c=1.8e13,alpha_N=0.076,alpha_D=0.103",
        "--params",
        "1e9",
        "--tokens",
        "2.29e10",
        "--json",
    )
    assert json.loads(out.stdout)["loss"] == pytest.approx(2.367500622906247, rel=1e-9)


def test_loss_kaplan_preset():
    out = cli("loss", "--law", "kaplan2020", "--params", "1e9", "--tokens", "2e10", "--json")
    data = json.loads(out.stdout)
    assert data["loss"] == pytest.approx(PRESETS["kaplan2020"].law.loss(1e9, 2e10), rel=1e-12)


def test_presets_json_lists_the_exact_names_with_sources():
    data = json.loads(cli("presets", "--json").stdout)
    names = [p["name"] for p in data]
    assert {"kaplan2020", "hoffmann2022", "hoffmann2022_unrounded", "epoch2024"} <= set(names)
    assert all(p["citation"] and p["url"].startswith("https://arxiv.org/") for p in data)


@pytest.mark.parametrize(
    "args",
    [
        ("optimal", "--law", "gpt5", "--compute", "1e24"),
        ("optimal", "--law", "epoch2024", "--compute", "abc"),
        ("optimal", "--law", "epoch2024", "--compute", "-1e24"),
        ("optimal", "--law", "epoch2024", "--compute", "nan"),
        ("optimal", "--law", "chinchilla:E=1.8,A=480", "--compute", "1e24"),
        ("optimal", "--law", "chinchilla:E=0,A=480,B=2100,alpha=0.35,beta=0.37", "--compute", "1e24"),
        ("loss", "--law", "epoch2024", "--params", "1e9", "2e9", "--tokens", "1e10", "2e10", "3e10"),
        ("optimal", "--law", "epoch2024"),
        ("frobnicate",),
        (),
    ],
)
def test_bad_arguments_give_one_line_and_status_2(args):
    out = cli(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr


def test_degenerate_fit_prints_strict_json_with_warnings(tmp_path):
    """Every model at the same N/D trend: the fit degenerates, the optimum is infinite; the JSON
    still parses (null for non-finite values) and says why in "warnings"."""
    path = tmp_path / "one_trend.csv"
    path.write_bytes(one_trend_csv())
    done = cli("extrapolate", str(path), "--target-compute", "1e24", "--bootstrap", "50", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)  # json.loads accepts NaN; strict JSON must not contain it
    assert "NaN" not in done.stdout and "Infinity" not in done.stdout
    assert any("almost collinear" in w for w in out["warnings"])
    # The fit's optimum is degenerate (a term vanishes); which of the equally good degenerate
    # points a fit ends at depends on its starts: the Fit command's 4,500 give an infinite optimum.
    fitted = json.loads(cli("fit", str(path), "--bootstrap", "0", "--json").stdout)
    assert any("almost collinear" in w for w in fitted["warnings"])
    assert any("no real model" in w for w in fitted["warnings"])
