"""Speed of the forecast: every candidate form fitted and backtested, and the page's reruns.

    .venv/bin/python bench/bench_forecast.py            # 250 synthetic runs, medians of 5
    .venv/bin/python bench/bench_forecast.py --repeats 3

Prints medians (and min/max) of several runs and each one's ratio to the baseline measured in
the same run: today's single free Chinchilla fit (fit_chinchilla, the 4,500-start grid) on the
same 250 runs. Timings on a shared machine are noisy; the ratios travel better than the seconds.

1. comparison: compare_forms on 250 runs, every candidate, its backtest with bootstrap bands
   (no cache: what the command line does), then the recommended form's 1,000-refit bands.
2. cutoff step: the page's work when its cutoff slider moves one step (0.05 decades): the same
   two calls with the page's cache of fits below each backtest cutoff, warm from the previous
   position (the bands of the new fit are always recomputed).
3. E step: the page's work when the fixed E moves by 0.01: the fixed-E form refitted and
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


def timed(fn, repeats: int) -> tuple[float, float, float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times), out


def line(name: str, stats, baseline: float) -> None:
    median, lo, hi = stats[:3]
    print(f"  {name:<58} median {median:6.2f} s (min {lo:.2f}, max {hi:.2f})   {median / baseline:5.2f} x baseline")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    N, D, loss = runs_250()
    C = 6 * N * D
    forms = forecast_forms(1.8)
    print(f"{N.size} runs, forms: {', '.join(f.name for f in forms)}; medians of {args.repeats}")
    fit_chinchilla(N, D, loss)  # warm-up (thread pool, workspaces)
    base = timed(lambda: fit_chinchilla(N, D, loss, list_optima=False), args.repeats)
    print(
        f"  {'baseline: one free Chinchilla fit, 4,500 starts':<58} median {base[0]:6.2f} s (min {base[1]:.2f}, max {base[2]:.2f})"
    )

    compare = timed(lambda: compare_forms(N, D, loss, forms), args.repeats)
    line("comparison: every form fitted and backtested", compare, base[0])
    comparison = compare[3]
    both = timed(
        lambda: build_forecast(compare_forms(N, D, loss, forms), "auto", N, D, loss, n_resamples=1000), args.repeats
    )
    line("comparison + the chosen form's 1,000-refit bands", both, base[0])
    print(
        f"    recommended: {comparison.recommended} ({comparison.selection.decided_by}); "
        f"{comparison.cutoffs.size} backtest cutoffs"
    )

    # The page's cutoff slider: each step fits a new training set; the fits below each backtest
    # cutoff come from the cache of the previous positions.
    cache: dict = {}
    logc = np.log10(C)
    start = np.floor(logc.max() * 20) / 20 + 0.05
    rows = np.arange(N.size)

    def at(cut: float):
        train = C < 10**cut
        comparison = compare_forms(N[train], D[train], loss[train], forms, cache=cache, rows=rows[train])
        return build_forecast(comparison, "auto", N[train], D[train], loss[train], n_resamples=1000)

    at(start)  # the page's first load fills the cache
    steps = []
    for k in range(1, args.repeats + 1):
        cut = start - 0.05 * k * 3  # a few slider steps down, each a new set of runs fitted
        t0 = time.perf_counter()
        at(cut)
        steps.append(time.perf_counter() - t0)
    line(
        "cutoff step (cached backtest fits, new fit and bands)",
        (statistics.median(steps), min(steps), max(steps)),
        base[0],
    )

    # The page's E box: a new E refits and backtests the fixed-E form only (the other forms' fits
    # come from the cache); the recommended form's bands are recomputed when the choice changes.
    cache.clear()

    def with_e(E: float):
        comparison = compare_forms(N, D, loss, forecast_forms(E), cache=cache, rows=rows)
        return build_forecast(comparison, "auto", N, D, loss, n_resamples=1000)

    with_e(1.80)
    e_steps = []
    for k in range(1, args.repeats + 1):
        t0 = time.perf_counter()
        with_e(1.80 + 0.01 * k)
        e_steps.append(time.perf_counter() - t0)
    line(
        "E step (fixed-E form refitted, others cached, bands)",
        (statistics.median(e_steps), min(e_steps), max(e_steps)),
        base[0],
    )


if __name__ == "__main__":
    main()
