"""Memory of a fit (issue 9, section 1): bounded whatever the core count, gentle in the number of
runs, released when the fit ends. Each check runs in a fresh Python process, so that what other
tests allocated does not count and an address-space cap cannot hurt the test runner.

Today's fitter (b80abca) kept 23 scratch arrays of 256 x runs per worker thread for as long as
the thread lived: a 1,000,000-run fit asked for ~23 GB per thread (MemoryError under the cap
below), and a 50,000-run fit left ~2.4 GB per thread allocated after it returned.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from apptest_helpers import ROOT
from scaling_core import extrapolate, uncertainty
from scaling_core.fit import fit_chinchilla, hoffmann_start_grid
from scaling_core.synthetic import DEMO_LAW

# What a probe process runs: draw `n` runs of DEMO_LAW with 1% noise, fit them from `starts`
# ("near": two starts near the truth; "k": every k-th start of the grid), print JSON with the
# constants, the time, VmRSS before and after (after a garbage collection) and the peak RSS.
PROBE = r"""
import gc, json, resource, sys, time
cap, n, starts = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
if cap:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
import numpy as np
from scaling_core.fit import fit_chinchilla, hoffmann_start_grid, law_to_theta
from scaling_core.synthetic import DEMO_LAW

def rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmRSS:"))

rng = np.random.default_rng(0)
N, D = 10 ** rng.uniform(7.5, 10.5, n), 10 ** rng.uniform(9, 12, n)
loss = DEMO_LAW.loss(N, D) * np.exp(rng.normal(0, 0.01, n))
grid = hoffmann_start_grid()[:: int(starts)] if starts.isdigit() else law_to_theta(DEMO_LAW)[None] + np.array([[0, 0, 0, 0, 0], [1, 0.1, -1, -0.1, 0.2]])
gc.collect()
before = rss()
t0 = time.perf_counter()
fit = fit_chinchilla(N, D, loss, starts=grid, list_optima=False)
seconds = time.perf_counter() - t0
gc.collect()
print(json.dumps({"params": fit.law.params(), "n_runs": fit.n_runs, "seconds": seconds, "before": before,
                  "after": rss(), "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""
GIB = 2**30


def probe(n: int, cap: int = 0, starts: str = "near") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE, str(cap), str(n), starts], cwd=ROOT, capture_output=True, text=True, timeout=3600
    )


def test_a_million_runs_fit_under_a_2_gib_address_space_cap():
    done = probe(1_000_000, cap=2 * GIB)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    assert out["n_runs"] == 1_000_000
    for name, value in DEMO_LAW.params().items():
        assert out["params"][name] == pytest.approx(value, rel=0.01), name
    assert out["peak"] < 1.5e9, f"peak RSS {out['peak'] / 1e9:.2f} GB"


def test_a_50000_run_fit_gives_its_memory_back():
    # Every 10th start of the grid: enough starts end near the best that the float64 polish
    # touches the scratch of many starts at once (how today's code kept ~1.4 GB resident).
    done = probe(50_000, starts="10")
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    assert out["after"] - out["before"] < 200 * 2**20, (out["before"] / 2**20, out["after"] / 2**20)


@pytest.mark.parametrize("workers", [1, 2, 16, 256])
def test_scratch_is_bounded_whatever_the_core_count(monkeypatch, workers):
    import scaling_core.fit as fit_module

    monkeypatch.setattr(fit_module, "_WORKERS", workers)
    for dtype in (np.float32, np.float64):
        scratch = fit_module._Scratch(dtype)
        per_cell = fit_module._SCRATCH_ARRAYS * np.dtype(dtype).itemsize + 1
        # One workspace per worker at most, all of them within SCRATCH_BYTES (or 1,024 cells each).
        assert scratch.cells * per_cell * workers <= max(fit_module.SCRATCH_BYTES, 1024 * per_cell * workers)


def test_no_scratch_outlives_a_fit():
    import gc

    import scaling_core.fit as fit_module

    rng = np.random.default_rng(1)
    N, D = 10 ** rng.uniform(7.5, 10.5, 3000), 10 ** rng.uniform(9, 12, 3000)
    fit_chinchilla(N, D, DEMO_LAW.loss(N, D), starts=hoffmann_start_grid()[::300], list_optima=False)
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, (fit_module._Workspace, fit_module._Scratch))]
    assert alive == []


def test_bootstrap_memory_is_bounded_in_bytes():
    # Counts as 16-bit integers, a fixed budget of resamples x runs.
    counts = uncertainty.resample_counts(1000, 7, np.random.default_rng(0))
    assert counts.dtype == np.uint16 and counts.shape == (7, 1000)
    np.testing.assert_array_equal(counts, np.random.default_rng(0).multinomial(1000, np.full(1000, 1e-3), size=7))
    assert uncertainty.max_bootstrap_resamples(1_000_000) * 1_000_000 <= uncertainty.MAX_BOOTSTRAP_CELLS
    # The residual bootstrap keeps its first and second level within the same budget.
    for n_runs in (240, 50_000, 1_000_000):
        B, K = extrapolate.residual_bootstrap_size(n_runs, 1000)
        assert 1 <= K <= min(B, extrapolate.INNER_K)
        assert (B + K * extrapolate.INNER_B) * n_runs <= max(
            uncertainty.MAX_BOOTSTRAP_CELLS, n_runs * (1 + extrapolate.INNER_B)
        )
    assert extrapolate.residual_bootstrap_size(240, 1000) == (1000, extrapolate.INNER_K)  # small tables: as asked
