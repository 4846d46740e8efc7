"""Start `streamlit run app.py` on a free loopback port (shared by the browser tests and bench/)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT = 60.0


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
