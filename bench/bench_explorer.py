"""Server-side cost of one Law Explorer rerun, by contour grid size.

Prints, per grid size: median time to evaluate the grid, to build the three figures, and to
serialise them as st.plotly_chart does; the contour figure's JSON size; and the ratio of the
total against the 200x200 grid measured in the same run. Then the median of a full page
rerun through AppTest (script + widgets + figures), for the shipped grid.

    .venv/bin/python bench/bench_explorer.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import plotly.io
import plotly.tools

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scaling_core.io import load_known_models  # noqa: E402
from scaling_core.presets import PRESETS  # noqa: E402
from ui.explorer_view import GRID_POINTS, explorer_figures  # noqa: E402
from ui.i18n import labels  # noqa: E402

REPEATS = 15


def serialise(fig) -> str:
    # What st.plotly_chart does with a figure before sending it.
    return plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True), validate=False)


def measure(grid: int) -> dict:
    law, models, text = PRESETS["epoch2024"].law, load_known_models(), labels("en")
    build, ser, sizes = [], [], []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        figs = explorer_figures(law, (6.0, 13.0), (8.0, 14.5), models, text, "#2ca02c", grid_points=grid)
        t1 = time.perf_counter()
        specs = [serialise(f) for f in figs]
        t2 = time.perf_counter()
        build.append(t1 - t0)
        ser.append(t2 - t1)
        sizes = [len(s) for s in specs]
    grid_eval = []
    import numpy as np

    N, D = np.logspace(6, 13, grid), np.logspace(8, 14.5, grid)
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        law.loss(N[None, :], D[:, None])
        grid_eval.append(time.perf_counter() - t0)
    return {
        "grid": grid,
        "eval_ms": 1e3 * statistics.median(grid_eval),
        "build_ms": 1e3 * statistics.median(build),
        "serialise_ms": 1e3 * statistics.median(ser),
        "total_ms": 1e3 * (statistics.median(build) + statistics.median(ser)),
        "contour_kib": sizes[0] / 1024,
        "all_kib": sum(sizes) / 1024,
    }


def apptest_rerun_ms() -> float:
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[1]
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.switch_page("pages/1_Law_Explorer.py")
    at.run()
    times = []
    for i in range(REPEATS):
        at.slider(key="alpha").set_value(0.30 + 0.005 * i)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    assert not at.exception
    return 1e3 * statistics.median(times)


def main() -> None:
    measure(GRID_POINTS)  # warm-up: imports, plotly validators
    rows = [measure(g) for g in (40, 60, 80, 100, 150, 200)]
    base = rows[-1]["total_ms"]
    print(f"Law Explorer rerun, server side (median of {REPEATS}); shipped grid = {GRID_POINTS}x{GRID_POINTS}")
    print(
        f"{'grid':>6} {'eval ms':>8} {'build ms':>9} {'serialise ms':>13} {'total ms':>9} {'contour KiB':>12} {'3 figs KiB':>11} {'vs 200':>7}"
    )
    for r in rows:
        print(
            f"{r['grid']:>6} {r['eval_ms']:>8.3f} {r['build_ms']:>9.1f} {r['serialise_ms']:>13.1f} "
            f"{r['total_ms']:>9.1f} {r['contour_kib']:>12.1f} {r['all_kib']:>11.1f} {r['total_ms'] / base:>7.2f}"
        )
    print(f"Full page rerun through AppTest (script, widgets, 3 figures), median: {apptest_rerun_ms():.1f} ms")


if __name__ == "__main__":
    main()
