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

import pytest
from streamlit_server import CHROMIUM, LAUNCH_ARGS, ROOT, VIEWPORT, serve_app
from streamlit_server import wait_for_idle as idle


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


@pytest.fixture
def wait_for_idle():
    return idle
