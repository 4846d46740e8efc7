"""Speed of fitting (issue: fit laws to uploaded runs). Prints medians and the ratio to scipy.

    .venv/bin/python bench/bench_fit.py            # everything (the scipy loop takes ~0.5 min)
    .venv/bin/python bench/bench_fit.py --no-scipy # skip the scipy baseline

Figures: the 4,500-start approach-3 fit on the Epoch data (5 highest losses excluded), 1,000
bootstrap refits, parsing and validating a 100,000-row upload; and, measured in the same run,
a plain loop of scipy.optimize.minimize (L-BFGS-B, analytic gradient) over the same starts.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from reference_fit import scipy_lbfgsb_fit  # noqa: E402
from scaling_core.fit import fit_chinchilla, hoffmann_start_grid, top_loss_mask  # noqa: E402
from scaling_core.io import load_epoch_runs, read_table, validate_runs  # noqa: E402
from scaling_core.uncertainty import bootstrap_chinchilla  # noqa: E402


def timed(fn, repeats):
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times), result


def main() -> None:
    runs = load_epoch_runs()
    N, D, L = runs.N, runs.D, runs.loss
    fit_chinchilla(N, D, L, exclude_top_loss=5)  # warm-up
    med, lo, hi, fit = timed(lambda: fit_chinchilla(N, D, L, exclude_top_loss=5), 5)
    print(
        f"approach-3 fit, 4,500 starts, {fit.n_runs} runs: median {med:.3f} s (min {lo:.3f}, max {hi:.3f}) over 5 runs"
    )
    print(
        f"  E={fit.law.E:.4f} A={fit.law.A:.1f} B={fit.law.B:.1f} alpha={fit.law.alpha:.4f} beta={fit.law.beta:.4f}"
        f"  objective={fit.objective:.10g}  starts at best {fit.n_starts_at_best}/{fit.n_starts}"
    )
    bmed, blo, bhi, _ = timed(lambda: bootstrap_chinchilla(N, D, L, fit, n_resamples=1000, seed=0), 3)
    print(f"1,000 bootstrap refits: median {bmed:.3f} s (min {blo:.3f}, max {bhi:.3f}) over 3 runs")

    rng = np.random.default_rng(0)
    n = 100_000
    frame = pd.DataFrame(
        {
            "params": [f"{v / 1e6:.1f}M" for v in 10 ** rng.uniform(7, 10, n)],
            "tokens": 10 ** rng.uniform(9, 12, n),
            "val_loss": rng.uniform(2, 4, n),
        }
    )
    data = frame.to_csv(index=False).encode()
    pmed, plo, phi, table = timed(lambda: validate_runs(read_table(data, "runs.csv")), 3)
    print(
        f"100,000-row CSV ({len(data) / 1e6:.1f} MB) parsed and validated: median {pmed:.3f} s "
        f"(min {plo:.3f}, max {phi:.3f}), {table.n_runs} runs kept"
    )

    if "--no-scipy" in sys.argv:
        return
    keep = top_loss_mask(L, 5)
    t0 = time.perf_counter()
    _, scipy_best, _ = scipy_lbfgsb_fit(N[keep], D[keep], L[keep], hoffmann_start_grid())
    scipy_time = time.perf_counter() - t0
    print(
        f"baseline: scipy L-BFGS-B loop (analytic gradient) over the same 4,500 starts: {scipy_time:.1f} s, "
        f"best objective {scipy_best:.10g}"
    )
    print(
        f"ratio: batched fit is {scipy_time / med:.1f}x faster than the scipy loop; "
        f"objective {'<=' if fit.objective <= scipy_best * (1 + 1e-9) else '>'} scipy's"
    )


if __name__ == "__main__":
    main()
