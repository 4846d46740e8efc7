"""The Extrapolate page's forecast headless (AppTest): candidates and the chosen form on the OLMo
ladder, another form picked, freezing a forecast and scoring it from its link, tampered links,
exact copies and replicates in an upload, Chinese."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from apptest_helpers import array, figures, grid_csv, no_exceptions, run_page, upload_file
from scaling_core.forecast.freeze import from_link
from scaling_core.io import load_olmo_runs
from scaling_core.synthetic import DEMO_LAW, isoflop_design, noisy_losses

PAGE = "pages/4_Extrapolate.py"
TIMEOUT = 300


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at, column: str):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with a {column!r} column"
    return found[0]


def text_of(at) -> str:
    kinds = ("markdown", "caption", "info", "warning", "success", "error", "subheader")
    return "\n".join(str(el.value) for kind in kinds for el in at.get(kind))


@pytest.fixture(scope="module")
def olmo_page():
    at = run_page(PAGE, {"data": "olmo"}, timeout=TIMEOUT)
    no_exceptions(at)
    return at


def test_olmo_page_shows_the_recommended_form_and_both_targets_inside_95(olmo_page):
    at = olmo_page
    runs = load_olmo_runs()
    observed = dict(zip(runs.names, runs.loss))
    shown = metrics(at)
    predicted = float(shown["Predicted loss (nats/token)"])
    assert abs(predicted / observed["7B-4T-anneal"] - 1) < 0.01  # the headline target: the first target row
    lo, hi = (float(v) for v in shown["95% prediction band"].split(" – "))
    assert lo <= observed["7B-4T-anneal"] <= hi
    targets = table_with(at, "In 95%")
    assert list(targets["Run"]) == ["7B-4T-anneal", "13B-5T-final"]
    assert targets["In 95%"].all() and (targets["Error (%)"].abs() < 1).all()
    page = text_of(at)
    assert "recommended by the backtest on your runs" in page
    assert "Bands calibrated by the backtest" in page
    assert "5 groups of replicates (10 runs" in page
    assert "Bhagia et al. 2024" in page  # the data is credited
    candidates = table_with(at, "Constants fitted")
    assert len(candidates) == 3 and candidates["Form"].str.contains("★").sum() == 1  # free, α = β, Kaplan
    by_distance = table_with(at, "Runs scored")
    assert by_distance["Runs scored"].sum() > 20
    assert len(figures(at)) == 3  # bands, the candidates' backtest error and coverage (no held-out runs)


def test_picking_another_form_says_so_and_changes_the_forecast(olmo_page):
    at = olmo_page
    before = metrics(at)["Predicted loss (nats/token)"]
    at.selectbox(key="form").set_value("kaplan").run(timeout=TIMEOUT)
    no_exceptions(at)
    assert metrics(at)["Predicted loss (nats/token)"] != before
    assert "your choice; the backtest recommends" in text_of(at)
    at.selectbox(key="form").set_value("auto").run(timeout=TIMEOUT)
    assert metrics(at)["Predicted loss (nats/token)"] == before


def _freeze(at):
    (button,) = [b for b in at.button if b.label == "Freeze this forecast"]
    button.click().run(timeout=TIMEOUT)
    no_exceptions(at)
    (code,) = at.code
    return parse_qs(urlparse(code.value).query)["frozen"][0]


def test_freeze_then_open_the_link_read_only_and_score_it(olmo_page):
    at = olmo_page
    shown = metrics(at)
    token = _freeze(at)
    assert len(token) < 800
    frozen = from_link(token)
    assert frozen.target_name == "7B-4T-anneal" and frozen.form == "chinchilla"
    assert f"{frozen.predicted:.4f}" == shown["Predicted loss (nats/token)"]
    assert re.fullmatch(r"[0-9a-f]{64}", frozen.runs_sha256) and frozen.n_runs == 30
    assert [b.proto.label for b in at.get("download_button")] == ["Download the frozen forecast (JSON)"]
    opened = run_page(PAGE, {"frozen": token}, timeout=TIMEOUT)
    no_exceptions(opened)
    assert metrics(opened)["Predicted loss (nats/token)"] == shown["Predicted loss (nats/token)"]
    assert metrics(opened)["95% prediction band"] == shown["95% prediction band"]
    assert not figures(opened), "read-only: nothing is refitted or drawn"
    opened.number_input(key="observed").set_value(2.482918).run(timeout=TIMEOUT)
    (success,) = opened.success
    assert "inside the 80% band" in success.value and "-0.02%" in success.value
    opened.number_input(key="observed").set_value(2.7).run(timeout=TIMEOUT)
    (error,) = opened.error
    assert "outside the 95% band" in error.value


def _edited_token(token: str) -> str:
    import base64
    import zlib

    data = json.loads(zlib.decompress(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))))
    data["p"] = data["p"] * 0.998  # a prettier prediction inside its bands, same constants
    raw = zlib.compress(json.dumps(data).encode())
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("kind", ["garbage", "cut", "edited"])
def test_a_tampered_link_gets_a_notice_and_the_live_page(olmo_page, kind):
    token = _freeze_token_cached(olmo_page)
    bad = {"garbage": "%%%<script>", "cut": token[: len(token) // 2], "edited": _edited_token(token)}[kind]
    at = run_page(PAGE, {"frozen": bad, "data": "olmo"}, timeout=TIMEOUT)
    no_exceptions(at)
    (warning,) = [w.value for w in at.warning if "cannot be shown" in w.value]
    if kind == "edited":
        assert "changed after it was frozen" in warning
    assert "<script>" not in warning
    assert len(figures(at)) == 3  # the live page is drawn below the notice


_TOKEN: list[str] = []


def _freeze_token_cached(at) -> str:
    if not _TOKEN:
        _TOKEN.append(_freeze(at))
    return _TOKEN[0]


def test_copies_and_replicates_in_an_upload():
    rng = np.random.default_rng(4)
    N, D = isoflop_design(np.logspace(18, 20.5, 6), 6)
    loss = noisy_losses(DEMO_LAW, N, D, 0.01, rng)
    rows = list(zip(N, D, loss))
    replicates = [(n, d, v * 1.003) for n, d, v in rows[:4]]  # same N and D, another loss
    copies = rows[4:6]  # same N, D and loss
    data = grid_csv(rows + replicates + copies, extra="1e10,2e11,\n")  # a row without a loss: a target
    at = run_page(PAGE, {"data": "upload", "boot": "200"}, timeout=TIMEOUT)
    upload_file(at, "runs.csv", data)
    no_exceptions(at)
    assert at.radio(key="copies").value == "drop"
    page = text_of(at)
    assert "4 groups of replicates (8 runs" in page
    assert "2 exact copies" in " ".join(r.label for r in at.radio)
    n_train = len(N) + 4
    assert f"{n_train + 1} usable runs" in page  # the fitted runs and the target
    at.radio(key="copies").set_value("keep").run(timeout=TIMEOUT)
    no_exceptions(at)
    assert "6 groups of replicates (12 runs" in text_of(at)  # a kept copy is one more replicate
    assert at.radio(key="target").value == "rows"  # the target row is the headline


def test_chinese_page(olmo_page):
    at = run_page(PAGE, {"data": "olmo", "lang": "zh"}, timeout=TIMEOUT)
    no_exceptions(at)
    assert any("外推" in t.value for t in at.title)
    assert "预测损失（nats/token）" in metrics(at)
    assert "候选形式的回测比较" in [s.value for s in at.subheader]


def test_fixed_e_candidate_and_its_profile(olmo_page):
    at = run_page(PAGE, {"data": "olmo", "fixE": "1.7", "profile": "true"}, timeout=TIMEOUT)
    no_exceptions(at)
    candidates = table_with(at, "Constants fitted")
    assert len(candidates) == 4 and candidates["Form"].str.contains("E fixed").any()
    fixed = candidates[candidates["Form"].str.contains("E fixed")].iloc[0]
    assert fixed["Constants"].startswith("E = 1.7,")
    profile = figures(at)[-3:]
    assert [f["layout"]["title"]["text"] for f in profile][0].startswith("Best fit with E held")
    E = array(profile[0]["data"][0]["x"])
    assert E.size >= 25 and np.all(np.diff(E) > 0)
    at.number_input(key="fixE").set_value(3.5).run(timeout=TIMEOUT)  # above the lowest loss fitted
    no_exceptions(at)
    assert any("at or above the lowest loss fitted" in w.value for w in at.warning)
    assert len(table_with(at, "Constants fitted")) == 3
