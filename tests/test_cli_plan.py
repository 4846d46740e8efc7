"""`python -m scaling_core plan` and `accelerators`: the JSON contract, agreement with the core, errors."""

import json
import subprocess
import sys

import pytest

from apptest_helpers import ROOT
from scaling_core.planning.hardware import find_accelerator
from scaling_core.planning.plan import plan_run, resolve_plan_law

PLAN_KEYS = {
    "compute", "N_opt", "D_opt", "loss", "tokens_per_param", "accelerator_hours", "wall_days", "cost", "shape",
    "memory_gb", "min_accelerators", "lr", "batch_tokens", "data_constrained", "inference_aware",
}  # fmt: skip


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scaling_core", *args], cwd=ROOT, capture_output=True, text=True)


def plan_json(*args: str) -> dict:
    out = cli("plan", *args, "--json")
    assert out.returncode == 0, out.stderr
    assert "NaN" not in out.stdout and "Infinity" not in out.stdout
    return json.loads(out.stdout)


def test_plan_json_contract_and_agreement_with_the_core():
    args = ["--accelerator", "h100", "--count", "1024", "--days", "30", "--mfu", "0.4", "--law", "epoch2024"]
    extra = ["--price", "2.5", "--unique-tokens", "1e12", "--inference-tokens", "2e12", "--seq-len", "4096"]
    extra += ["--micro-batch", "1", "--recompute", "selective", "--zero", "1", "--vocab", "128000"]
    data = plan_json(*args, *extra)
    assert set(data) == PLAN_KEYS
    assert set(data["shape"]) == {"n_layer", "d_model", "n_head"}
    assert set(data["memory_gb"]) == {"weights", "gradients", "optimizer", "activations", "per_accelerator"}
    assert set(data["lr"]) == {"deepseek2024"}
    assert set(data["batch_tokens"]) == {"deepseek2024", "kaplan_critical"}
    assert set(data["data_constrained"]) == {"unique_tokens", "epochs", "effective_tokens", "N_opt", "D_opt", "loss"}
    assert set(data["inference_aware"]) == {
        "inference_tokens", "N", "D", "loss", "total_flops", "total_flops_compute_optimal",
    }  # fmt: skip
    plan = plan_run(
        resolve_plan_law("epoch2024"), find_accelerator("h100"), 1024, 0.4, days=30, price=2.5,
        unique_tokens=1e12, inference_tokens=2e12,
    )  # fmt: skip
    assert data == json.loads(json.dumps(plan.to_json()))  # the page and the CLI share plan_run
    assert data["compute"] == pytest.approx(1024 * 30 * 86400 * 989.4e12 * 0.4, rel=1e-12)
    assert data["cost"] == pytest.approx(1024 * 30 * 24 * 2.5)
    assert data["inference_aware"]["total_flops"] < data["inference_aware"]["total_flops_compute_optimal"]


def test_plan_without_optional_sections_has_nulls_and_no_cost():
    data = plan_json("--law", "epoch2024", "--count", "8", "--compute", "1e22")
    assert data["data_constrained"] is None and data["inference_aware"] is None and data["cost"] is None


def test_plan_memory_of_a_7b_model_is_112_gb_unsharded():
    data = plan_json("--law", "epoch2024", "--compute", "1e23", "--params", "7B", "--count", "1", "--zero", "0")
    mem = data["memory_gb"]
    assert data["N_opt"] == 7e9
    assert mem["weights"] + mem["gradients"] + mem["optimizer"] == pytest.approx(112.0)
    assert data["min_accelerators"] is None  # 112 GB of states never fit on one 80 GB H100


def test_plan_reverse_mode_round_trips():
    forward = plan_json("--law", "hoffmann2022", "--compute", "1e23", "--count", "64")
    back = plan_json("--law", "hoffmann2022", "--target-loss", repr(forward["loss"]), "--count", "64")
    assert back["compute"] == pytest.approx(1e23, rel=1e-9)
    assert back["N_opt"] == pytest.approx(forward["N_opt"], rel=1e-5)


def test_plan_allocation_rule_has_no_loss():
    data = plan_json("--law", "llama3_2024", "--compute", "3.8e25", "--count", "16384", "--accelerator", "h100")
    assert data["loss"] is None and data["batch_tokens"]["kaplan_critical"] is None
    assert data["D_opt"] == pytest.approx(0.29 * 3.8e25**0.53, rel=1e-12)


def test_plan_text_output():
    out = cli("plan", "--law", "epoch2024", "--count", "1024", "--days", "30")
    assert out.returncode == 0, out.stderr
    assert "law: epoch2024" in out.stdout and "nats/token" in out.stdout


def test_accelerators_json_lists_the_catalog_with_sources():
    out = cli("accelerators", "--json")
    assert out.returncode == 0, out.stderr
    rows = {a["key"]: a for a in json.loads(out.stdout)}
    assert {"a100_80gb_sxm", "h100_sxm", "h200_sxm", "b200", "mi300x", "tpu_v5p"} <= set(rows)
    assert rows["h100_sxm"]["peak_flops"] == 989.4e12 and rows["h100_sxm"]["memory_gb"] == 80
    assert all(a["source_url"].startswith("https://") and a["source_title"] for a in rows.values())


@pytest.mark.parametrize(
    "args, words",
    [
        (("--law", "epoch2024", "--count", "0", "--days", "30"), "at least 1"),
        (("--law", "epoch2024", "--count", "8", "--days", "30", "--mfu", "1.5"), "MFU"),
        (("--law", "epoch2024", "--count", "8", "--days", "-2"), "training days"),
        (("--law", "epoch2024", "--count", "8", "--target-loss", "1.5"), "irreducible loss"),
        (("--law", "epoch2024", "--count", "8"), "give a budget"),
        (("--law", "epoch2024", "--count", "8", "--days", "1", "--accelerator", "v100"), "unknown accelerator"),
        (("--law", "gpt5", "--count", "8", "--days", "1"), "unknown law"),
        (("--law", "epoch2024", "--count", "12", "--days", "1", "--tensor-parallel", "8"), "tensor-parallel"),
        (("--law", "epoch2024", "--count", "1.5", "--days", "1"), "whole number"),
        (("--law", "epoch2024", "--count", "8", "--days", "abc"), "not a number"),
        (("--law", "epoch2024", "--count", "8", "--days", "1", "--zero", "4"), "invalid choice"),
    ],
)
def test_plan_bad_arguments_give_one_line_and_status_2(args, words):
    out = cli("plan", *args, "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert words in out.stderr and "Traceback" not in out.stderr
