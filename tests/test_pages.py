"""Every page headless with AppTest: runs clean, widgets change outputs, the URL seeds state."""

import numpy as np
import pytest

from apptest_helpers import array, figures, no_exceptions, run_page
from scaling_core.presets import PRESETS

EXPLORER = "pages/1_Law_Explorer.py"
FRONTIERS = "pages/2_Frontiers.py"


@pytest.mark.parametrize("page", [None, EXPLORER, FRONTIERS])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_runs_clean(page, lang):
    at = run_page(page, {"lang": lang})
    no_exceptions(at)
    assert figures(at), "every page shows at least one chart"
    assert not at.warning or page == FRONTIERS  # Frontiers always carries its comparability warning


def test_explorer_slider_changes_the_map():
    at = run_page(EXPLORER)
    before = array(figures(at)[0]["data"][0]["z"])
    at.slider(key="alpha").set_value(0.40).run()
    no_exceptions(at)
    after = array(figures(at)[0]["data"][0]["z"])
    assert before.shape == after.shape == (60, 60)
    assert not np.allclose(before, after)
    # Lower alpha -> model term decays slower -> higher loss at small N.
    assert after.max() > before.max() or after.min() != before.min()
    assert any(i.value for i in at.info), "a modified law is flagged as custom"


def test_explorer_map_matches_the_law():
    at = run_page(EXPLORER, {"preset": "hoffmann2022"})
    spec = figures(at)[0]["data"][0]
    N, D, z = array(spec["x"]), array(spec["y"]), array(spec["z"])
    expected = PRESETS["hoffmann2022"].law.loss(N[None, :], D[:, None])
    np.testing.assert_allclose(z, expected, rtol=1e-6)  # float32 on the wire


def test_explorer_preset_switch_loads_its_constants():
    at = run_page(EXPLORER)
    at.selectbox(key="preset").set_value("hoffmann2022").run()
    no_exceptions(at)
    assert at.slider(key="alpha").value == pytest.approx(0.34)
    assert at.slider(key="E").value == pytest.approx(1.69)
    assert 10 ** at.slider(key="log10_A").value == pytest.approx(406.4)


def test_explorer_reset_restores_the_preset():
    at = run_page(EXPLORER)
    at.slider(key="beta").set_value(0.5).run()
    at.button[0].click().run()
    assert at.slider(key="beta").value == pytest.approx(PRESETS["epoch2024"].law.beta)


def test_explorer_kaplan_family():
    at = run_page(EXPLORER, {"family": "kaplan"})
    no_exceptions(at)
    keys = {s.key for s in at.slider}
    assert {"log10_N_c", "log10_D_c", "alpha_N", "alpha_D"} <= keys
    assert at.selectbox(key="preset").value == "kaplan2020"
    spec = figures(at)[0]["data"][0]
    N, D, z = array(spec["x"]), array(spec["y"]), array(spec["z"])
    np.testing.assert_allclose(z, PRESETS["kaplan2020"].law.loss(N[None, :], D[:, None]), rtol=1e-6)


def test_explorer_url_seeds_state():
    at = run_page(EXPLORER, {"preset": "hoffmann2022", "alpha": "0.45", "n_range": ["7", "11"]})
    no_exceptions(at)
    assert at.selectbox(key="preset").value == "hoffmann2022"
    assert at.slider(key="alpha").value == pytest.approx(0.45)
    assert at.slider(key="n_range").value == (7.0, 11.0)
    assert not at.warning


@pytest.mark.parametrize(
    "query, key",
    [
        ({"alpha": "abc"}, "alpha"),
        ({"alpha": "7"}, "alpha"),
        ({"preset": "gpt5"}, "preset"),
        ({"family": "<script>"}, "family"),
        ({"lang": "fr"}, "lang"),
        ({"n_range": ["12", "99"]}, "n_range"),
    ],
)
def test_explorer_bad_url_values_fall_back_with_a_notice(query, key):
    at = run_page(EXPLORER, query)
    no_exceptions(at)
    notices = [w.value for w in at.warning]
    assert len(notices) == 1 and f"`{key}`" in notices[0]
    assert "<script>" not in notices[0]
    assert figures(at), "the page still draws"


def test_frontiers_budget_moves_the_valley():
    at = run_page(FRONTIERS)
    title = figures(at)[1]["layout"]["title"]["text"]
    assert "1e24" in title
    at.slider(key="log10_C").set_value(21.0).run()
    no_exceptions(at)
    assert "1e21" in figures(at)[1]["layout"]["title"]["text"]
    table = at.dataframe[0].value
    epoch_row = table[table.iloc[:, 0].str.contains("Epoch")].iloc[0]
    assert epoch_row.iloc[1] == "2.78B"  # N_opt at 1e21 under Epoch's constants: 2.778e9


def test_frontiers_gpu_budget():
    at = run_page(FRONTIERS, {"budget": "gpus", "gpus": "1024", "days": "16.79", "mfu": "0.4"})
    no_exceptions(at)
    # 1,024 H100s for 16.79 days at 40% MFU is about 5.88e23 FLOPs (70B params x 1.4T tokens).
    text = " ".join(m.value for m in at.markdown)
    assert "5.9e23" in text


def test_frontiers_law_selection():
    at = run_page(FRONTIERS, {"laws": ["epoch2024", "kaplan2020"]})
    no_exceptions(at)
    assert len(at.dataframe[0].value) == 2
