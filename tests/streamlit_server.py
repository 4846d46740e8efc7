"""Start `streamlit run app.py` on a free loopback port, launch Debian's Chromium, wait for an
idle page: shared by the browser tests (tests/conftest.py) and bench/bench_browser.py."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the folder that holds app.py
SERVER_START_TIMEOUT = 60.0
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


def wait_for_idle(page, timeout: float = 30_000) -> None:
    """The signals Streamlit's own e2e suite waits on: websocket connected, script finished,
    no skeleton placeholders left. Idle can be true *before* a rerun starts: after an action,
    first `expect(...)` the content that must change, then call this."""
    from playwright.sync_api import expect

    app = "[data-testid='stApp']"
    page.locator(f"{app}[data-test-connection-state='CONNECTED']").wait_for(state="attached", timeout=timeout)
    page.locator(f"{app}[data-test-script-state='notRunning']").wait_for(state="attached", timeout=timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(log_path: Path) -> Iterator[str]:
    """Start `streamlit run app.py` on a free loopback port, yield its URL, stop it afterwards."""
    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        t0 = time.perf_counter()
        try:
            while True:  # /_stcore/health answers "ok" once the server is up
                try:
                    if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    pass
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with code {proc.returncode}, see {log_path}")
                if time.perf_counter() - t0 > SERVER_START_TIMEOUT:
                    raise RuntimeError(f"streamlit not healthy after {SERVER_START_TIMEOUT:.0f}s, see {log_path}")
                time.sleep(0.1)
            print(f"\n[timing] server {url} healthy after {time.perf_counter() - t0:.2f}s")
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
