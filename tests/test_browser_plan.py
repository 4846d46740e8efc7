"""The Plan page in a real Chromium: desktop and phone screenshots in both languages, the answer
first on a phone, controls that write the URL, and a copied link that reopens the same plan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots"
LOAD_TIMEOUT = 180_000  # a shared 2-core machine under load took up to 100 s to draw this page
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
CHARTS_DRAWN_JS = (
    "n => Array.from(document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot'))"
    ".filter(gd => gd._fullData && gd._fullData.length > 0).length >= n"
)

expect.set_options(timeout=30_000)
pytestmark = pytest.mark.browser


def open_plan(page: Page, url: str, wait_for_idle, charts: int = 2) -> None:
    page.goto(url)
    wait_for_idle(page, timeout=LOAD_TIMEOUT)
    page.wait_for_function(CHARTS_DRAWN_JS, arg=charts, timeout=LOAD_TIMEOUT)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def metric(page: Page, label: str):
    """The value element of the st.metric whose label is `label`."""
    box = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return box.get_by_test_id("stMetricValue")


def full_screenshot(page: Page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its own container, so grow the viewport to it first."""
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(500)  # plotly relayouts on resize
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True, timeout=LOAD_TIMEOUT)


SCREENS = [
    ("plan_desktop", DESKTOP, "", "Plan a run", "Parameters N"),
    ("plan_phone", PHONE, "", "Plan a run", "Parameters N"),
    ("plan_desktop_zh", DESKTOP, "lang=zh&U=1e12&Dinf=2e12&price=2.5", "规划一次训练", "参数量 N"),
    ("plan_phone_zh", PHONE, "lang=zh&U=1e12&Dinf=2e12&price=2.5", "规划一次训练", "参数量 N"),
]


@pytest.mark.parametrize(
    ("name", "context_args", "query", "title", "params_label"), SCREENS, ids=[s[0] for s in SCREENS]
)
def test_plan_page_on_desktop_and_phone(
    browser: Browser, app_url: str, wait_for_idle, name, context_args, query, title, params_label
):
    context = browser.new_context(**context_args)
    try:
        page = context.new_page()
        open_plan(page, f"{app_url}/Plan?{query}", wait_for_idle)
        expect(page.locator("h1").first).to_have_text(title)
        value = metric(page, params_label)
        expect(value).to_have_text(re.compile(r"^\d+(\.\d+)?B$"))  # e.g. 98.3B
        # the answer comes before the inputs (on a phone: the first thing below the title)
        inputs_heading = page.locator("h3").filter(has_text=re.compile("^(Inputs|输入)$"))
        assert value.bounding_box()["y"] < inputs_heading.bounding_box()["y"]
        if "phone" in name:
            assert value.bounding_box()["y"] < context_args["viewport"]["height"]  # visible without scrolling
        full_screenshot(page, name)
    finally:
        context.close()


def test_controls_write_the_url_and_a_copied_link_reopens_the_plan(
    page: Page, app_url: str, wait_for_idle, browser: Browser, browser_context_args
):
    open_plan(page, f"{app_url}/Plan", wait_for_idle)
    compute = metric(page, "Compute C (FLOPs)")
    expect(compute).to_have_text("1.05e24")

    page.locator(".st-key-mfu").get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")  # MFU 0.40 -> 0.41
    expect(page).to_have_url(re.compile(r"[?&]mfu=0\.41(&|$)"))
    expect(compute).to_have_text("1.08e24")  # 1.05e24 x 0.41 / 0.40
    wait_for_idle(page, timeout=LOAD_TIMEOUT)

    page.locator(".st-key-law").get_by_role("combobox").click()
    page.get_by_role("option", name="Hoffmann 2022 (approach 3, as printed)", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]law=hoffmann2022(&|$)"))
    wait_for_idle(page, timeout=LOAD_TIMEOUT)

    page.get_by_test_id("stExpander").get_by_text("Data, inference and memory options", exact=True).click()
    box = page.locator(".st-key-U").get_by_role("textbox")
    box.fill("500B")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]U=500B(&|$)"))
    epochs = metric(page, "Epochs over U")
    expect(epochs).to_be_visible()
    wait_for_idle(page, timeout=LOAD_TIMEOUT)

    copied = page.url
    shown = {
        label: metric(page, label).inner_text() for label in ("Compute C (FLOPs)", "Parameters N", "Epochs over U")
    }
    context = browser.new_context(**browser_context_args)
    try:
        other = context.new_page()
        open_plan(other, copied, wait_for_idle)
        for label, value in shown.items():
            expect(metric(other, label)).to_have_text(value)
        expect(other.locator(".st-key-law").get_by_role("combobox")).to_have_value(
            "Hoffmann 2022 (approach 3, as printed)"
        )
    finally:
        context.close()


def test_bad_url_values_get_messages_in_the_browser(page: Page, app_url: str, wait_for_idle):
    open_plan(page, f"{app_url}/Plan?count=0&mfu=1.5&days=-3", wait_for_idle)
    notices = page.get_by_test_id("stAlertContentWarning").filter(has_text="Ignored URL parameter")
    expect(notices).to_have_count(3)
    expect(metric(page, "Wall-clock days")).to_have_text("30")  # the defaults were used
    page.goto(f"{app_url}/Plan?budget=loss&loss=1.5")
    wait_for_idle(page, timeout=LOAD_TIMEOUT)
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text("irreducible loss E = 1.817")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    full_screenshot(page, "plan_loss_below_E")
