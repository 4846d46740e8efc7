"""The Learn page in a real Chromium: every chapter on a desktop (1280x900) and a phone (390x844),
in English and Chinese, with screenshots; a slider and the next button write the URL.

Screenshots land in screenshots/learn_<chapter>[_<topic>]_<lang>_<desktop|phone>.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from streamlit_server import wait_for_idle
from test_browser import LOAD_TIMEOUT, SHOTS, assert_no_exception, slider, step_slider

from ui.i18n import labels

pytestmark = pytest.mark.browser

CHAPTERS = ["power", "kaplan", "budget", "fitting", "trust", "hparams", "beyond"]
TOPICS = ["repeat", "inference", "emergence"]  # the last chapter's radio
SIZES = {
    "desktop": dict(viewport={"width": 1280, "height": 900}),
    "phone": dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True),
}
MAIN_JS = "document.querySelector('[data-testid=stMain]')"


def full_screenshot(page: Page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its own container, so the viewport is first made as
    tall as that container's content (recipe: browser-testing.md), then put back."""
    size = page.viewport_size
    height = page.evaluate(f"() => {MAIN_JS}.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    page.wait_for_timeout(500)  # let Plotly relayout to the new height
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    page.set_viewport_size(size)


def wait_for_chart(page: Page) -> None:
    """Until every Plotly chart on the page has drawn (after a rerun, the new chapter's)."""
    page.wait_for_function(
        "() => { const g = Array.from(document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot'));"
        " return g.length > 0 && g.every(gd => gd._fullData && gd._fullData.length > 0); }",
        timeout=SLOW,
    )


# A cold page waits for Plotly's JS chunk and Streamlit's lazily loaded widgets; on a busy shared
# machine that has taken longer than the other browser tests' 30 s.
SLOW = 3 * LOAD_TIMEOUT


def open_learn(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_idle(page, timeout=SLOW)
    wait_for_chart(page)


def check_screen(page: Page, width: int, title: str, name: str) -> None:
    expect(page.locator("h2").first).to_have_text(title, timeout=SLOW)
    wait_for_idle(page, timeout=SLOW)  # chapter 5 fits and bootstraps a law when its cache is cold
    wait_for_chart(page)
    assert_no_exception(page)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling of the page on a phone.
    assert page.evaluate(f"() => {MAIN_JS}.scrollWidth") <= width
    chart = page.locator("[data-testid=stPlotlyChart]").first.bounding_box()
    assert chart is not None and chart["x"] >= 0 and chart["x"] + chart["width"] <= width + 1
    full_screenshot(page, name)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", list(SIZES))
def test_learn_every_chapter_on_desktop_and_phone(browser: Browser, app_url: str, size: str, lang: str):
    """One page load, then the next button through all seven chapters and the radio through the
    last chapter's topics (no reload between them): each screen checked and photographed."""
    text = labels(lang)
    options = SIZES[size]
    width = options["viewport"]["width"]
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        open_learn(page, f"{app_url}/Learn?lang={lang}")
        for number, chapter in enumerate(CHAPTERS, start=1):
            title = text[f"learn.{chapter}.title"].format(number=number)
            check_screen(page, width, title, f"learn_{chapter}_{lang}_{size}")
            if chapter == "beyond":
                for topic in TOPICS[1:]:
                    page.get_by_text(text[f"learn.{topic}.title"], exact=True).click()
                    expect(page).to_have_url(re.compile(rf"[?&]beyond={topic}(&|$)"))
                    check_screen(page, width, title, f"learn_{chapter}_{topic}_{lang}_{size}")
            else:
                page.locator(".st-key-learn_next").get_by_role("button").click()
                expect(page).to_have_url(re.compile(rf"[?&]ch={CHAPTERS[number]}(&|$)"))
    finally:
        context.close()


def test_learn_slider_and_next_button_write_the_url(page: Page, app_url: str):
    open_learn(page, f"{app_url}/Learn")
    y_before = page.evaluate("() => Array.from(document.querySelector('.js-plotly-plot')._fullData[0].y).slice(0, 3)")
    step_slider(page, "pow_b")
    expect(slider(page, "pow_b")).to_have_attribute("aria-valuetext", "-0.34")
    expect(page).to_have_url(re.compile(r"[?&]pow_b=-0\.34(&|$)"))
    wait_for_idle(page, timeout=SLOW)
    page.wait_for_function(
        "before => { const gd = document.querySelector('.js-plotly-plot');"
        " return gd && gd._fullData && gd._fullData[0] && Array.from(gd._fullData[0].y).slice(0, 3).join() !== before.join(); }",
        arg=y_before,
        timeout=SLOW,
    )
    page.locator(".st-key-learn_next").get_by_role("button").click()
    expect(page.locator("h2").first).to_have_text("2. Kaplan et al. 2020")
    expect(page).to_have_url(re.compile(r"[?&]ch=kaplan(&|$)"))
    wait_for_idle(page, timeout=SLOW)
    assert_no_exception(page)
