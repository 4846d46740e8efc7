"""Helpers for AppTest-based page tests."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def run_page(page: str | None, query: dict | None = None, timeout: float = 60) -> AppTest:
    """Run `page` (a path under pages/, or None for the landing page) headless."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    return at


def upload_file(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    """Put `data` into the page's file uploader as a file called `name`, and rerun."""
    at.file_uploader[0].set_value((name, data, mime)).run()
    return at


def grid_csv(rows, extra: str = "") -> bytes:
    """A runs CSV (N, D, loss) from (N, D, loss) triples, plus raw `extra` lines."""
    return ("N,D,loss\n" + "\n".join(f"{n:.6g},{d:.6g},{loss:.6f}" for n, d, loss in rows) + "\n" + extra).encode()


def one_trend_csv() -> bytes:
    """15 runs with D ∝ N^1.4 (log N and log D on one line): the fit degenerates."""
    N = np.logspace(8, 10, 15)
    return grid_csv(zip(N, N**1.4 * 0.16, 3 - 0.05 * np.arange(15)))


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def array(value) -> np.ndarray:
    """Decode a plotly array: a list, or {'dtype', 'bdata', 'shape'} as plotly.py sends numpy arrays."""
    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape:
            data = data.reshape([int(s) for s in str(shape).split(",")])
        return data
    return np.asarray(value, dtype=float)


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
