"""Speed of the Learn page's slowest chapter (5): a cold cutoff's fit and bands, server side.

    .venv/bin/python bench/bench_learn.py

For each cutoff of chapter 5 (the synthetic demo runs below it): the fit from every 10th start
of Hoffmann's 4,500-start grid, as the chapter does, against the whole grid (the baseline,
measured in the same run); then the 200-resample residual bootstrap the chapter adds. Medians of 3.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scaling_core.extrapolate import residual_bootstrap  # noqa: E402
from scaling_core.fit import fit_chinchilla  # noqa: E402
from ui.learn_view import CUTOFFS, DEMO, TRUST_BOOTSTRAP, TRUST_STARTS  # noqa: E402

REPEATS = 3


def median_seconds(work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    print(f"chapter 5, one cold cutoff (median of {REPEATS}):")
    print(f"{'cutoff':>8} {'runs':>5} {'full grid s':>12} {'1/10 grid s':>12} {'ratio':>6} {'bootstrap s':>12}")
    for cut in CUTOFFS:
        train = DEMO.C < 10.0 ** float(cut)
        runs = (DEMO.N[train], DEMO.D[train], DEMO.loss[train])
        full_s, full = median_seconds(lambda runs=runs: fit_chinchilla(*runs, list_optima=False))
        reduced_s, reduced = median_seconds(
            lambda runs=runs: fit_chinchilla(*runs, starts=TRUST_STARTS, list_optima=False)
        )
        boot_s, _ = median_seconds(
            lambda runs=runs, fit=reduced: residual_bootstrap(*runs, fit, n_resamples=TRUST_BOOTSTRAP)
        )
        same = abs(reduced.objective / full.objective - 1) < 1e-6
        print(
            f"{cut:>8} {int(train.sum()):>5} {full_s:>12.2f} {reduced_s:>12.2f} {full_s / reduced_s:>6.1f}"
            f" {boot_s:>12.2f}{'' if same else '  (different optimum!)'}"
        )


if __name__ == "__main__":
    main()
