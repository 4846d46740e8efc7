"""Cost of the Plan page's numbers: the vectorised searches against a per-problem scipy loop.

Prints medians of several runs of
  1. the inference-aware trade-off over 49 inference volumes (one array search), against a Python
     loop of scipy.optimize.minimize_scalar (bounded) over the same 49 problems, measured in the
     same run, with the ratio and the largest relative difference of the optimal N;
  2. the data-constrained optimum for 100 (C, U) pairs, the same way;
  3. one full plan_run with unique and inference tokens (everything the page computes).

    .venv/bin/python bench/bench_plan.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scaling_core.compute import tokens_for_compute  # noqa: E402
from scaling_core.frontier import optimal_allocation  # noqa: E402
from scaling_core.planning.data_constrained import (  # noqa: E402
    MUENNIGHOFF_C4,
    data_constrained_loss,
    data_constrained_optimum,
)
from scaling_core.planning.hardware import find_accelerator  # noqa: E402
from scaling_core.planning.inference import (  # noqa: E402
    inference_aware_optimum,
    smallest_params_for_loss,
    tokens_for_loss,
)
from scaling_core.planning.plan import plan_run, resolve_plan_law  # noqa: E402
from scaling_core.presets import PRESETS  # noqa: E402

REPEATS = 9


def median_seconds(fn, repeats: int = REPEATS) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def inference_loop(law, loss: float, d_inf: np.ndarray) -> np.ndarray:
    lo = np.log(float(smallest_params_for_loss(law, loss)))
    out = []
    for x in d_inf:

        def cost(log_n: float, x: float = float(x)) -> float:
            N = np.exp(log_n)
            return float(np.log(6 * N * tokens_for_loss(law, N, loss) + 2 * N * x))

        out.append(np.exp(minimize_scalar(cost, bounds=(lo + 1e-9, lo + np.log(1e6)), method="bounded").x))
    return np.array(out)


def constrained_loop(C: np.ndarray, U: np.ndarray) -> np.ndarray:
    out = []
    for c, u in zip(C, U):

        def loss(log_n: float, c: float = float(c), u: float = float(u)) -> float:
            N = np.exp(log_n)
            return float(data_constrained_loss(N, tokens_for_compute(c, N), u, MUENNIGHOFF_C4))

        guess = np.log(float(optimal_allocation(MUENNIGHOFF_C4.base, c).N_opt))
        out.append(np.exp(minimize_scalar(loss, bounds=(guess - 5, guess + 3), method="bounded").x))
    return np.array(out)


def main() -> None:
    law = PRESETS["epoch2024"].law
    loss = float(optimal_allocation(law, 1e24).loss)
    d_inf = np.logspace(9, 15, 49)
    t_vec, vec = median_seconds(lambda: inference_aware_optimum(law, loss, d_inf))
    t_loop, loop = median_seconds(lambda: inference_loop(law, loss, d_inf))
    diff = np.max(np.abs(vec.N / loop - 1))
    print(f"inference-aware, 49 volumes: vectorised {1e3 * t_vec:.1f} ms, scipy loop {1e3 * t_loop:.1f} ms, "
          f"ratio loop/vectorised {t_loop / t_vec:.2f}x, max |N difference| {diff:.1e}")  # fmt: skip

    # U from a tenth to ten times the unconstrained D_opt: up to ~100 epochs. Far beyond that the loss
    # saturates (D' -> 16.4 U) and is flat in N to 8 digits, so "the" optimal N is not defined.
    rng = np.random.default_rng(0)
    C = 10.0 ** rng.uniform(20, 25, 100)
    U = optimal_allocation(MUENNIGHOFF_C4.base, C).D_opt * 10.0 ** rng.uniform(-1, 1, 100)
    t_vec, vec = median_seconds(lambda: data_constrained_optimum(C, U))
    t_loop, loop = median_seconds(lambda: constrained_loop(C, U))
    diff = np.max(np.abs(vec.N_opt / loop - 1))
    loss_gap = np.max(vec.loss - data_constrained_loss(loop, tokens_for_compute(C, loop), U))
    print(f"data-constrained, 100 (C, U): vectorised {1e3 * t_vec:.1f} ms, scipy loop {1e3 * t_loop:.1f} ms, "
          f"ratio loop/vectorised {t_loop / t_vec:.2f}x, max |N difference| {diff:.1e}, "
          f"max loss above the loop's {loss_gap:.1e}")  # fmt: skip

    h100 = find_accelerator("h100")
    plan_law = resolve_plan_law("epoch2024")
    t_plan, _ = median_seconds(
        lambda: plan_run(plan_law, h100, 1024, days=30, unique_tokens=1e12, inference_tokens=2e12, tensor_parallel=8)
    )
    t_bare, _ = median_seconds(lambda: plan_run(plan_law, h100, 1024, days=30, tensor_parallel=8))
    print(f"plan_run with U and D_inf: {1e3 * t_plan:.1f} ms; without them {1e3 * t_bare:.1f} ms "
          f"(ratio {t_plan / t_bare:.1f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
