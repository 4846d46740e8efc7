"""Speed of the Extrapolate page's work when the cutoff slider moves (server side).

    .venv/bin/python bench/bench_extrapolate.py             # with the scipy baseline (~15 s)
    .venv/bin/python bench/bench_extrapolate.py --no-scipy

For each cutoff on the Epoch data (5 highest losses excluded): the 4,500-start refit on the runs
below the cutoff, 1,000 residual-bootstrap refits plus the calibration refits, and the bands
along the frontier (160 budgets) and at the held-out runs. Median of 5. The baseline, measured
in the same run, refits the 1,000 resamples one at a time with scipy L-BFGS-B from the fit.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from reference_fit import huber_objective_and_gradient  # noqa: E402
from scaling_core.extrapolate import fit_with_bands, frontier_bands, holdout_report  # noqa: E402
from scaling_core.fit import law_to_theta  # noqa: E402
from scaling_core.io import load_epoch_runs  # noqa: E402


def main() -> None:
    runs = load_epoch_runs()
    fit_with_bands(runs.N, runs.D, runs.loss, n_resamples=100)  # warm-up
    print("cutoff refit + bands, Epoch data, 1,000 bootstrap refits (median of 5):")
    for cutoff in (1e20, 3e20, 1e21):
        train = runs.C < cutoff
        totals, model = [], None
        for _ in range(5):
            t0 = time.perf_counter()
            model = fit_with_bands(runs.N[train], runs.D[train], runs.loss[train], n_resamples=1000, exclude_top_loss=5)
            frontier_bands(model, np.logspace(17, 25, 160))
            report = holdout_report(model, runs.N[~train], runs.D[~train], runs.loss[~train])
            totals.append(time.perf_counter() - t0)
        cov = ", ".join(f"{int(100 * lv)}%: {report.coverage(lv):.0%}" for lv in (0.5, 0.8, 0.95))
        print(
            f"  C < {cutoff:.0e}: {train.sum()} runs fitted, {(~train).sum()} held out: median {statistics.median(totals):.3f} s "
            f"(min {min(totals):.3f}, max {max(totals):.3f}); held-out coverage {cov}"
        )
    if "--no-scipy" in sys.argv:
        return
    train = runs.C < 1e21
    N, D, L = runs.N[train], runs.D[train], runs.loss[train]
    keep = np.ones(N.size, bool)
    keep[list(model.fit.excluded)] = False
    x, z, y = np.log(N[keep]), np.log(D[keep]), np.log(L[keep])
    fitted = np.log(model.fit.law.loss(N[keep], D[keep]))
    rng = np.random.default_rng(0)
    start = law_to_theta(model.fit.law)
    t0 = time.perf_counter()
    for _ in range(1000):
        target = fitted + model.residuals[rng.integers(0, y.size, y.size)]
        minimize(huber_objective_and_gradient, start, args=(x, z, target), jac=True, method="L-BFGS-B")
    baseline = time.perf_counter() - t0
    t0 = time.perf_counter()
    from scaling_core.extrapolate import residual_bootstrap

    residual_bootstrap(N, D, L, model.fit, n_resamples=1000)
    batched = time.perf_counter() - t0
    print(
        f"baseline: 1,000 residual-bootstrap refits one at a time with scipy L-BFGS-B: {baseline:.2f} s; "
        f"batched (with its 1,200 calibration refits): {batched:.3f} s; ratio {baseline / batched:.1f}x"
    )


if __name__ == "__main__":
    main()
