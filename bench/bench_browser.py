"""What a user waits for in a real browser on the Law Explorer (headless Chromium, loopback).

Starts its own `streamlit run app.py` on a free 127.0.0.1 port, then prints:
  1. cold load: navigation start -> first rendered Plotly chart on /Law_Explorer, in 3 fresh
     browser contexts (empty cache each time), each and the median;
  2. slider latency: 10 consecutive one-step moves of the `alpha` slider (focus + ArrowRight),
     time from the key press to the moment the contour's `_fullData[0].z[0][0]` changes,
     each, the median and the max (timed inside the page with performance.now());
  3. the contour figure's JSON size, serialised as st.plotly_chart does.

    .venv/bin/python bench/bench_browser.py        (from the repository root)

Environment: CHROMIUM_PATH (default /usr/bin/chromium). Server log: streamlit-test-bench.log.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import plotly  # noqa: E402
import plotly.io  # noqa: E402
import plotly.tools  # noqa: E402
import streamlit  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit_server import CHROMIUM, LAUNCH_ARGS, VIEWPORT, serve_app, wait_for_idle  # noqa: E402

from scaling_core.io import load_known_models  # noqa: E402
from scaling_core.presets import DEFAULT_PRESET, PRESETS  # noqa: E402
from ui.explorer_view import GRID_POINTS, explorer_figures  # noqa: E402
from ui.figures import LAW_COLORS  # noqa: E402
from ui.i18n import labels  # noqa: E402

COLD_RUNS = 3
STEPS = 10
TIMEOUT_MS = 60_000

FIRST_CHART_JS = "document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot')"
CHART_DRAWN_JS = f"() => {{ const gd = {FIRST_CHART_JS}; return !!(gd && gd._fullData && gd._fullData.length); }}"
Z00_JS = f"() => {FIRST_CHART_JS}._fullData[0].z[0][0]"
# Record the time of every keydown in the page (capture phase: before Streamlit's handlers).
KEY_CLOCK_JS = "() => window.addEventListener('keydown', () => { window.__keyT = performance.now(); }, true)"
# Resolves (truthy) with ms since the key press once z[0][0] differs from `before`.
Z_CHANGED_JS = f"""before => {{
    const gd = {FIRST_CHART_JS};
    const z = gd && gd._fullData && gd._fullData[0] && gd._fullData[0].z;
    if (!z || z[0][0] === before) return false;
    return performance.now() - window.__keyT;
}}"""


def ms(values: list[float]) -> str:
    return ", ".join(f"{v:.0f}" for v in values)


def contour_json_bytes() -> tuple[int, list[int]]:
    """Bytes of the figures' JSON as st.plotly_chart serialises them (default view)."""
    preset = DEFAULT_PRESET["chinchilla"]
    figs = explorer_figures(
        PRESETS[preset].law,
        (6.0, 13.0),
        (8.0, 14.5),
        load_known_models(),
        labels("en"),
        LAW_COLORS.get(preset, LAW_COLORS["fit"]),
    )
    sizes = [
        len(plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(f, validate_figure=True), validate=False))
        for f in figs
    ]
    return sizes[0], sizes


def main() -> None:
    if not os.path.exists(CHROMIUM):
        sys.exit(f"Chromium not found at {CHROMIUM}: run `apt-get install chromium` or set CHROMIUM_PATH.")
    print(
        f"streamlit {streamlit.__version__}, plotly {plotly.__version__}, {os.cpu_count()} CPUs, grid {GRID_POINTS}x{GRID_POINTS}"
    )
    with serve_app(ROOT / "streamlit-test-bench.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        print(f"chromium {browser.version}")

        print(f"\n1. cold load /Law_Explorer -> first rendered chart ({COLD_RUNS} fresh contexts)")
        cold = []
        for i in range(COLD_RUNS):
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            t0 = time.perf_counter()
            page.goto(f"{url}/Law_Explorer", wait_until="commit")
            page.wait_for_function(CHART_DRAWN_JS, timeout=TIMEOUT_MS, polling="raf")
            cold.append(1e3 * (time.perf_counter() - t0))
            print(f"   run {i + 1}: {cold[-1]:.0f} ms")
            context.close()
        print(f"   median {statistics.median(cold):.0f} ms  (runs: {ms(cold)})")

        print(f"\n2. alpha slider, {STEPS} consecutive ArrowRight steps -> contour z[0][0] changed")
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.goto(f"{url}/Law_Explorer")
        wait_for_idle(page, TIMEOUT_MS)
        page.wait_for_function(CHART_DRAWN_JS, timeout=TIMEOUT_MS)
        page.evaluate(KEY_CLOCK_JS)
        thumb = page.locator(".st-key-alpha").get_by_role("slider")
        thumb.focus()
        steps = []
        for i in range(STEPS):
            before = page.evaluate(Z00_JS)
            value_before = thumb.get_attribute("aria-valuetext")
            page.keyboard.press("ArrowRight")
            elapsed = page.wait_for_function(Z_CHANGED_JS, arg=before, timeout=TIMEOUT_MS, polling="raf").json_value()
            steps.append(float(elapsed))
            wait_for_idle(page, TIMEOUT_MS)  # the next step starts from a finished rerun
            value_after = thumb.get_attribute("aria-valuetext")
            print(f"   step {i + 1:2d}: alpha {value_before} -> {value_after}: {elapsed:.0f} ms")
        print(f"   median {statistics.median(steps):.0f} ms, max {max(steps):.0f} ms")
        print(f"   final URL: {page.url}")
        context.close()
        browser.close()

    contour, sizes = contour_json_bytes()
    print(f"\n3. contour figure JSON: {contour:,} bytes ({contour / 1024:.1f} KiB); all three figures: {sizes}")


if __name__ == "__main__":
    main()
