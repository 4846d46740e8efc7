"""Fixtures for the browser tests (tests/test_browser.py).

Follows /work/shared/recipes/browser-testing.md: Playwright drives Debian's Chromium
(`playwright install` cannot download a browser here), `streamlit run app.py` is served on a
free 127.0.0.1 port and polled on /_stcore/health, and "idle" means the same attributes
Streamlit's own e2e suite waits on.

Browser tests FAIL (never skip) when Chromium is missing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit_server import serve_app

ROOT = Path(__file__).resolve().parents[1]  # the folder that holds app.py
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # Debian package `chromium`
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Tall viewport: Streamlit scrolls inside its own container, so `full_page=True` alone
# would only capture the first screen.
VIEWPORT = {"width": 1400, "height": 2200}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # pytest-playwright has no CLI flag for a browser binary: extend its fixture.
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM!r}: the browser tests need it. "
            "Run `apt-get install chromium` (Debian), or set CHROMIUM_PATH=/path/to/chromium.",
            pytrace=False,
        )
    args = [*browser_type_launch_args.get("args", []), *LAUNCH_ARGS]
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": args}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """One server for the whole session; its log is streamlit-test.log (gitignored)."""
    with serve_app(ROOT / "streamlit-test.log") as url:
        yield url


@pytest.fixture
def fresh_app_url() -> Iterator[Callable[[], str]]:
    """Factory: each call starts a NEW server (no session has loaded `/` on it yet) and returns
    its URL. All servers started by one test are stopped when the test ends.
    Logs: streamlit-test-fresh-<n>.log (gitignored)."""
    with contextlib.ExitStack() as stack:
        started = 0

        def start() -> str:
            nonlocal started
            started += 1
            return stack.enter_context(serve_app(ROOT / f"streamlit-test-fresh-{started}.log"))

        yield start


def _wait_for_idle(page, timeout: float = 30_000) -> None:
    """The signals Streamlit's own e2e suite waits on: websocket connected, script finished,
    no skeleton placeholders left. Idle can be true *before* a rerun starts: after an action,
    first `expect(...)` the content that must change, then call this."""
    from playwright.sync_api import expect

    app = "[data-testid='stApp']"
    page.locator(f"{app}[data-test-connection-state='CONNECTED']").wait_for(state="attached", timeout=timeout)
    page.locator(f"{app}[data-test-script-state='notRunning']").wait_for(state="attached", timeout=timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)


@pytest.fixture
def wait_for_idle():
    return _wait_for_idle
