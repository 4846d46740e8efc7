"""Real-browser tests: Chromium (Playwright) against `streamlit run app.py`.

Only what needs a browser: Plotly rendering, URL writes from `bind="query-params"` and
ui/state.py's choice(), copied links, deep links on a cold server, screenshots.
The page logic itself is covered by AppTest in tests/test_pages.py.

After every action: `expect(...)` the content that must change (it retries), then
`wait_for_idle` (recipe: idle alone can be true before the rerun has started).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots"

LOAD_TIMEOUT = 30_000  # ms; the first chart of a page waits for the ~5 MB Plotly JS chunk
FORECAST_TIMEOUT = 180_000  # ms; Extrapolate's first load on a cold server fits and backtests every form
expect.set_options(timeout=15_000)

pytestmark = pytest.mark.browser

HOFFMANN_PRINTED = "Hoffmann 2022 (approach 3, as printed)"
NAV_EN = ["Home", "Law Explorer", "Frontiers", "Fit your runs", "Extrapolate"]  # sidebar labels (ui/layout.py)
NAV_ZH = ["首页", "定律探索", "最优前沿", "拟合你的实验", "外推预测"]

# JS: the Plotly graph divs in page order, and the decoded data of the first one.
# numpy arrays reach plotly.js base64-encoded ("bdata"): read `_fullData`, not `data`.
CHARTS_JS = "Array.from(document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot'))"
RENDERED_CHARTS_JS = f"() => {CHARTS_JS}.filter(gd => gd._fullData && gd._fullData.length > 0).length"
# z rows can be typed arrays (JSON.stringify would turn them into {"0": ...} objects): copy to plain arrays.
# While a rerun redraws, the graph div can exist before plotly.js has filled `_fullData`: z is then null,
# and a poll keeps polling instead of failing on `undefined._fullData`.
FIRST_DRAWN_JS = f"(() => {{ const gd = {CHARTS_JS}[0]; return gd && gd._fullData && gd._fullData[0]; }})()"
Z_JS = f"(() => {{ const t = {FIRST_DRAWN_JS}; return t && t.z ? Array.from(t.z, row => Array.from(row)) : null; }})()"
FIRST_TRACE_JS = f"() => ({{type: {FIRST_DRAWN_JS}.type, z: {Z_JS}}})"
Z_SIGNATURE_JS = f"() => JSON.stringify({Z_JS})"
Z_CHANGED_JS = f"before => {{ const z = {Z_JS}; return z !== null && JSON.stringify(z) !== before; }}"


# ---------------------------------------------------------------- helpers


def open_page(page: Page, url: str, wait_for_idle, min_charts: int = 1, timeout: float | None = None) -> None:
    """Navigate, wait until the script is idle and `min_charts` Plotly charts have drawn."""
    timeout = timeout or (FORECAST_TIMEOUT if "/Extrapolate" in url else LOAD_TIMEOUT)
    page.goto(url)
    wait_for_idle(page, timeout=timeout)
    page.wait_for_function(f"n => ({RENDERED_CHARTS_JS})() >= n", arg=min_charts, timeout=timeout)
    expect(page.locator(".js-plotly-plot").first).to_be_visible()


def assert_no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def slider(page: Page, key: str, thumb: int = 0):
    """The thumb of the slider created with `key=` (Streamlit adds the class st-key-<key>)."""
    return page.locator(f".st-key-{key}").get_by_role("slider").nth(thumb)


def step_slider(page: Page, key: str, arrow: str = "ArrowRight") -> None:
    """Move a slider by exactly one `step`: focus the thumb, press ArrowRight (or `arrow`)."""
    slider(page, key).focus()
    page.keyboard.press(arrow)


def first_trace(page: Page) -> dict:
    """Type and z of the first chart's first trace, once plotly.js has drawn it."""
    page.wait_for_function(f"() => Boolean({FIRST_DRAWN_JS})", timeout=LOAD_TIMEOUT)
    return page.evaluate(FIRST_TRACE_JS)


def z_signature(page: Page) -> str:
    """The first chart's z, serialised in the page (compare only with another z_signature)."""
    page.wait_for_function(f"() => {Z_JS} !== null", timeout=LOAD_TIMEOUT)
    return page.evaluate(Z_SIGNATURE_JS)


def wait_for_z_change(page: Page, signature_before: str) -> None:
    """Poll until the first chart's z differs from `signature_before` (a z_signature)."""
    page.wait_for_function(Z_CHANGED_JS, arg=signature_before, timeout=LOAD_TIMEOUT)


def slider_texts(page: Page) -> list[str | None]:
    """aria-valuetext of every slider thumb on the page, in page order."""
    thumbs = page.get_by_test_id("stSlider").get_by_role("slider")
    return [thumbs.nth(i).get_attribute("aria-valuetext") for i in range(thumbs.count())]


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


# ---------------------------------------------------------------- every page renders

PAGES = [
    # (screenshot name, path, h1 text, charts the page draws)
    ("home", "/", "Scaling Law Explorer", 1),
    ("law_explorer", "/Law_Explorer", "Law Explorer", 3),
    ("frontiers", "/Frontiers", "Frontiers: Kaplan vs Chinchilla", 2),
    ("home_zh", "/?lang=zh", "缩放定律探索器", 1),
    ("law_explorer_zh", "/Law_Explorer?lang=zh", "定律探索", 3),
    ("frontiers_zh", "/Frontiers?lang=zh", "最优前沿：Kaplan 与 Chinchilla", 2),
    ("fit", "/Fit", "Fit your runs", 3),
    ("fit_isoflop_zh", "/Fit?form=isoflop&data=demo&lang=zh", "拟合你的实验", 2),
    ("extrapolate", "/Extrapolate", "Extrapolate", 2),
    ("extrapolate_zh", "/Extrapolate?lang=zh&backtest=on&boot=200", "外推预测", 3),
]


@pytest.mark.parametrize(("name", "path", "title", "charts"), PAGES, ids=[p[0] for p in PAGES])
def test_page_renders_charts_without_exception(page: Page, app_url: str, wait_for_idle, name, path, title, charts):
    open_page(page, app_url + path, wait_for_idle, min_charts=charts)
    expect(page.locator("h1").first).to_have_text(title)
    nav = NAV_ZH if "lang=zh" in path else NAV_EN
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stPageLink")).to_contain_text(nav)
    assert page.locator(".js-plotly-plot").count() >= 1
    # a drawn Plotly chart has its SVG layers
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    assert_no_exception(page)
    screenshot(page, name)


# ---------------------------------------------------------------- Law Explorer


def test_alpha_slider_step_redraws_contour_and_writes_url(page: Page, app_url: str, wait_for_idle):
    open_page(page, f"{app_url}/Law_Explorer", wait_for_idle, min_charts=3)
    before = first_trace(page)
    signature = z_signature(page)
    assert before["type"] == "contour"
    alpha = float(slider(page, "alpha").get_attribute("aria-valuetext"))
    expected = f"{alpha + 0.0001:.4f}"  # the alpha slider's step is 0.0001, shown with 4 decimals

    step_slider(page, "alpha")
    expect(slider(page, "alpha")).to_have_attribute("aria-valuetext", expected)
    expect(page).to_have_url(re.compile(rf"[?&]alpha={re.escape(expected)}(&|$)"))
    wait_for_z_change(page, signature)
    wait_for_idle(page)

    after = first_trace(page)
    assert after["z"] != before["z"]
    # Larger alpha shrinks A / N^alpha (N > 1): the loss at the smallest N, D must drop.
    assert after["z"][0][0] < before["z"][0][0]
    assert_no_exception(page)


def test_copied_url_reproduces_state_in_new_context(
    page: Page, app_url: str, wait_for_idle, browser: Browser, browser_context_args
):
    open_page(page, f"{app_url}/Law_Explorer", wait_for_idle, min_charts=3)
    z_default = z_signature(page)

    # 1. switch the preset
    page.locator(".st-key-preset").get_by_role("combobox").click()
    page.get_by_role("option", name=HOFFMANN_PRINTED, exact=True).click()
    expect(page.get_by_role("combobox", name="Preset")).to_have_value(HOFFMANN_PRINTED)
    expect(slider(page, "alpha")).to_have_attribute("aria-valuetext", "0.3400")  # the preset's alpha
    expect(page).to_have_url(re.compile(r"[?&]preset=hoffmann2022(&|$)"))
    wait_for_z_change(page, z_default)
    wait_for_idle(page)
    z_preset = z_signature(page)

    # 2. move a slider on top of it
    step_slider(page, "alpha")
    expect(slider(page, "alpha")).to_have_attribute("aria-valuetext", "0.3401")
    expect(page).to_have_url(re.compile(r"[?&]alpha=0\.3401(&|$)"))
    wait_for_z_change(page, z_preset)
    wait_for_idle(page)

    copied = page.url
    sliders = slider_texts(page)
    z = first_trace(page)["z"]
    assert "preset=hoffmann2022" in copied and "alpha=0.3401" in copied

    # 3. open the copied link in a new context (no shared cookies, storage or session)
    context = browser.new_context(**browser_context_args)
    try:
        other = context.new_page()
        open_page(other, copied, wait_for_idle, min_charts=3)
        expect(other.get_by_role("combobox", name="Preset")).to_have_value(HOFFMANN_PRINTED)
        expect(slider(other, "alpha")).to_have_attribute("aria-valuetext", "0.3401")
        assert slider_texts(other) == sliders
        other_z = first_trace(other)["z"]
        assert other_z[0][0] == z[0][0]
        assert other_z == z
        assert_no_exception(other)
    finally:
        context.close()


def test_chinese_explorer_title(page: Page, app_url: str, wait_for_idle):
    open_page(page, f"{app_url}/Law_Explorer?lang=zh", wait_for_idle)
    expect(page.locator("h1").first).to_have_text("定律探索")
    expect(page.get_by_role("combobox", name="Language / 语言")).to_have_value("简体中文")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_test_id("stPageLink")).to_contain_text(NAV_ZH)
    assert_no_exception(page)


TAMPERED = [
    # (query, parameter named in the notice, slider key, thumb values that must be the defaults)
    ("alpha=abc", "alpha", "alpha", ["0.3478"]),
    ("n_range=99&n_range=1", "n_range", "n_range", ["1e6.0", "1e13.0"]),
]


@pytest.mark.parametrize(("query", "param", "key", "defaults"), TAMPERED, ids=["alpha_abc", "n_range_99_1"])
def test_tampered_url_warns_and_falls_back(page: Page, app_url: str, wait_for_idle, query, param, key, defaults):
    open_page(page, f"{app_url}/Law_Explorer?{query}", wait_for_idle, min_charts=3)
    notice = page.get_by_test_id("stAlertContentWarning").filter(has_text=param)
    expect(notice).to_have_count(1)
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Ignored URL parameter")
    for thumb, value in enumerate(defaults):
        expect(slider(page, key, thumb)).to_have_attribute("aria-valuetext", value)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    assert first_trace(page)["type"] == "contour"
    assert_no_exception(page)
    screenshot(page, f"tampered_{param}")


# ---------------------------------------------------------------- deep links on a cold server

DEEP_LINKS = [
    # (path opened first on a fresh server, page title h1, a widget key only that view has)
    ("/Frontiers", "Frontiers: Kaplan vs Chinchilla", "log10_C"),
    ("/Law_Explorer?family=kaplan", "Law Explorer", "alpha_N"),
]


@pytest.mark.parametrize(("path", "title", "key"), DEEP_LINKS, ids=["frontiers", "explorer_kaplan"])
def test_deep_link_on_fresh_server(page: Page, fresh_app_url, wait_for_idle, path, title, key):
    url = fresh_app_url()  # a new server: no session has loaded "/" on it
    open_page(page, url + path, wait_for_idle)
    expect(page.locator("h1").first).to_have_text(title)
    expect(page).to_have_title(f"{title} · Scaling Law Explorer")  # set_page_config ran
    sidebar = page.get_by_test_id("stSidebar")
    # our own translated nav (ui/layout.py), not Streamlit's file-name nav
    expect(sidebar.get_by_test_id("stPageLink")).to_contain_text(NAV_EN)
    expect(sidebar.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(page.locator(f".st-key-{key}").get_by_role("slider").first).to_be_visible()
    if "family=kaplan" in path:
        expect(page.get_by_role("radio", name=re.compile("^Kaplan joint form"))).to_be_checked()
        assert first_trace(page)["type"] == "contour"
    assert_no_exception(page)
    screenshot(page, "deeplink" + re.sub(r"\W+", "_", path).rstrip("_"))


# ---------------------------------------------------------------- Frontiers


def test_frontiers_budget_slider_updates_url_and_valley_title(page: Page, app_url: str, wait_for_idle):
    open_page(page, f"{app_url}/Frontiers", wait_for_idle, min_charts=2)
    valley_title = page.locator(".st-key-valley .gtitle")
    # list form: while Plotly redraws, two title nodes can exist for a moment
    expect(valley_title).to_have_text([re.compile(r"\(C = 1e24 FLOPs\)")])

    step_slider(page, "log10_C")  # step 0.05: 1e24 -> 10**24.05 = 1.1e24
    expect(slider(page, "log10_C")).to_have_attribute("aria-valuetext", "1e24.05")
    expect(page).to_have_url(re.compile(r"[?&]log10_C=24\.05(&|$)"))
    expect(valley_title).to_have_text([re.compile(r"\(C = 1\.1e24 FLOPs\)")])
    wait_for_idle(page)
    expect(page.get_by_text("Budget: 1.1e24 FLOPs")).to_be_visible()
    assert_no_exception(page)


# ---------------------------------------------------------------- Fit and Extrapolate


def test_upload_a_file_and_fit_it(page: Page, app_url: str, wait_for_idle, tmp_path):
    """A real upload through the browser: the runs are read, fitted, and the law is drawn."""
    import numpy as np

    from scaling_core.synthetic import DEMO_LAW, isoflop_design, noisy_losses

    N, D = isoflop_design(np.logspace(18, 20, 4), 8)
    loss = noisy_losses(DEMO_LAW, N, D, 0.01, np.random.default_rng(0))
    lines = ["model_size,training_tokens,val_loss"] + [f"{n / 1e6:.1f}M,{d:.4e},{v:.5f}" for n, d, v in zip(N, D, loss)]
    lines.append("1B,not-a-number,2.5")  # one bad row: reported and dropped
    path = tmp_path / "my_runs.csv"
    path.write_text("\n".join(lines) + "\n")
    page.goto(f"{app_url}/Fit?data=upload&boot=200")
    wait_for_idle(page, timeout=LOAD_TIMEOUT)
    expect(page.get_by_text("No file yet")).to_be_visible()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(path)
    expect(page.get_by_text("32 usable runs of 33 rows from my_runs.csv")).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(page.get_by_text("1 row(s) were left out")).to_be_visible()
    wait_for_idle(page, timeout=LOAD_TIMEOUT)
    page.wait_for_function(f"n => ({RENDERED_CHARTS_JS})() >= n", arg=3, timeout=LOAD_TIMEOUT)
    expect(page.get_by_text("Starts at the best")).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "fit_upload")


def test_fit_share_link_opens_frontiers_with_the_fitted_law(page: Page, app_url: str, wait_for_idle):
    open_page(page, f"{app_url}/Fit?boot=0", wait_for_idle, min_charts=3)
    link = page.get_by_role("link", name="Frontiers").last
    href = link.get_attribute("href")
    assert href and "fit=chinchilla" in href
    open_page(page, f"{app_url}/{href.split('/')[-1]}", wait_for_idle, min_charts=2)
    expect(page.get_by_text("Your fitted law").first).to_be_visible()
    assert_no_exception(page)


def test_extrapolate_cutoff_moves_held_out_runs(page: Page, app_url: str, wait_for_idle):
    open_page(page, f"{app_url}/Extrapolate?boot=200", wait_for_idle, min_charts=2)
    expect(page.get_by_text("Held-out runs (23)")).to_be_visible()
    for expected in ("20.95", "20.9", "20.85", "20.8"):  # one step at a time: each press reruns the page
        step_slider(page, "cut", arrow="ArrowLeft")
        expect(page).to_have_url(re.compile(rf"[?&]cut={re.escape(expected)}(&|$)"))
        wait_for_idle(page, timeout=LOAD_TIMEOUT)
    expect(page.get_by_text(re.compile(r"Held-out runs \((\d+)\)"))).not_to_have_text("Held-out runs (23)")
    wait_for_idle(page, timeout=LOAD_TIMEOUT)
    assert_no_exception(page)


def test_forecast_frozen_link_opens_read_only_and_scores_and_phone_shows_the_answer_first(
    page: Page, app_url: str, wait_for_idle, browser: Browser
):
    """The OLMo forecast: freeze it, open the link as a colleague would (new context), enter the
    observed loss; on a phone (390x844, Chinese) the forecast comes before the controls."""
    # The first load fits and backtests every candidate on a cold server: allow for a busy machine.
    open_page(page, f"{app_url}/Extrapolate?data=olmo&boot=200", wait_for_idle, min_charts=2, timeout=FORECAST_TIMEOUT)
    expect(page.get_by_text("Forecast for 7B-4T-anneal")).to_be_visible()
    predicted = page.get_by_test_id("stMetricValue").first.inner_text()
    assert abs(float(predicted) / 2.482918 - 1) < 0.01
    screenshot(page, "extrapolate_olmo")
    page.get_by_role("button", name="Freeze this forecast").click()
    code = page.get_by_test_id("stCode")
    expect(code).to_contain_text("frozen=", timeout=FORECAST_TIMEOUT)
    link = code.inner_text().strip()
    assert link.startswith(f"{app_url}/Extrapolate?frozen=")
    colleague = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = colleague.new_page()
        other.goto(link)
        wait_for_idle(other, timeout=FORECAST_TIMEOUT)
        expect(other.get_by_text("Frozen forecast 7B-4T-anneal")).to_be_visible(timeout=FORECAST_TIMEOUT)
        expect(other.get_by_test_id("stMetricValue").first).to_have_text(predicted)
        box = other.get_by_role("spinbutton", name="Observed loss of the run (nats/token)")
        box.fill("2.4829")
        box.press("Enter")
        expect(other.get_by_text(re.compile(r"Observed 2\.4829: error .* inside the 80% band"))).to_be_visible(
            timeout=FORECAST_TIMEOUT
        )
        wait_for_idle(other, timeout=LOAD_TIMEOUT)
        assert_no_exception(other)
        SHOTS.mkdir(exist_ok=True)
        other.screenshot(path=SHOTS / "extrapolate_frozen.png", full_page=True)
    finally:
        colleague.close()
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        small = phone.new_page()
        open_page(
            small,
            f"{app_url}/Extrapolate?data=olmo&boot=200&lang=zh",
            wait_for_idle,
            min_charts=2,
            timeout=FORECAST_TIMEOUT,
        )
        answer = small.get_by_text("预测损失（nats/token）").first.bounding_box()
        controls = small.get_by_role("heading", name="数据与设置").bounding_box()
        assert answer and controls and answer["y"] < controls["y"], "on a phone the forecast comes first"
        assert_no_exception(small)
        small.screenshot(path=SHOTS / "extrapolate_phone_zh.png")
    finally:
        phone.close()
