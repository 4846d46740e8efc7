"""Speed of the forecast: every candidate form fitted and backtested, and the page's reruns.

    .venv/bin/python bench/bench_forecast.py            # 250 synthetic runs, 5 rounds
    .venv/bin/python bench/bench_forecast.py --repeats 3

The baseline is today's single free Chinchilla fit (fit_chinchilla as the Fit page runs it, the 4,500-start grid) on
the same 250 runs. Each round times the baseline and then each action right after it, so both
see the same load on a shared machine; the script prints the median time of each action and
the median of its per-round ratios to the baseline (the ratios travel better than the seconds).

1. comparison: compare_forms on 250 runs, every candidate (free, alpha = beta, E fixed, Kaplan),
   its backtest with bootstrap bands (no cache: what the command line does).
2. comparison + bands: the same, then the recommended form's 1,000-refit calibrated bands.
3. cutoff step: the page's work when its cutoff slider moves: the comparison on the new set of
   runs with the page's cache of fits below each backtest cutoff, and the new fit's bands.
4. E step: the page's work when the fixed E moves by 0.01: the fixed-E form refitted and
   backtested, the other forms from the cache, the recommended form's bands.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from scaling_core.fit import fit_chinchilla  # noqa: E402
from scaling_core.forecast import build_forecast, compare_forms  # noqa: E402
from scaling_core.forecast.candidates import forecast_forms  # noqa: E402
from scaling_core.laws import ChinchillaLaw  # noqa: E402
from scaling_core.synthetic import isoflop_design  # noqa: E402

TIED = ChinchillaLaw(E=1.8, A=400.0, B=1800.0, alpha=0.34, beta=0.34)


def runs_250(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """250 runs: 10 IsoFLOP budgets from 1e18 to 1e21 FLOPs, 25 sizes each, 1% log-normal noise."""
    rng = np.random.default_rng(seed)
    N, D = isoflop_design(np.logspace(18, 21, 10), 25, spread_decades=1.4)
    return N, D, TIED.loss(N, D) * np.exp(rng.normal(0, 0.01, N.size))


def seconds(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    N, D, loss = runs_250()
    C = 6 * N * D
    rows = np.arange(N.size)
    forms = forecast_forms(1.8)
    comparison = compare_forms(N, D, loss, forms)  # warm-up (thread pool, scratch)
    print(
        f"{N.size} runs; forms: {', '.join(f.name for f in forms)}; recommended: {comparison.recommended} "
        f"({comparison.selection.decided_by}, {comparison.cutoffs.size} backtest cutoffs); {args.repeats} rounds"
    )

    # The page's state: a cache of fits, filled by its first load at the top cutoff and E = 1.80.
    cache: dict = {}
    top = np.floor(np.log10(C).max() * 20) / 20 + 0.05

    def page(cut: float, E: float):
        train = C < 10**cut
        found = compare_forms(N[train], D[train], loss[train], forecast_forms(E), cache=cache, rows=rows[train])
        return build_forecast(found, "auto", N[train], D[train], loss[train], n_resamples=1000)

    page(top, 1.80)
    actions = {
        "comparison: every form fitted and backtested": lambda k: compare_forms(N, D, loss, forms),
        "comparison + the chosen form's 1,000-refit bands": lambda k: build_forecast(
            compare_forms(N, D, loss, forms), "auto", N, D, loss, n_resamples=1000
        ),
        # each round a new set of runs below the cutoff (three slider steps further down)
        "cutoff step (cached backtest fits, new fits and bands)": lambda k: page(top - 0.15 * (k + 1), 1.80),
        # each round a new E, at the first cutoff
        "E step (fixed-E form refitted, others cached, bands)": lambda k: page(top, 1.80 + 0.01 * (k + 1)),
    }
    base, times = [], {name: [] for name in actions}
    for k in range(args.repeats):
        for name, action in actions.items():
            base.append(seconds(fit_chinchilla, N, D, loss))
            times[name].append((seconds(action, k), base[-1]))
    print(f"  {'baseline: one free Chinchilla fit, 4,500 starts':<58} median {statistics.median(base):6.2f} s")
    for name, pairs in times.items():
        t = [a for a, _ in pairs]
        ratio = statistics.median(a / b for a, b in pairs)
        print(
            f"  {name:<58} median {statistics.median(t):6.2f} s (min {min(t):.2f}, max {max(t):.2f})   {ratio:5.2f} x baseline"
        )


if __name__ == "__main__":
    main()
