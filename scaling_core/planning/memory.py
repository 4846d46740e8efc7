"""Training memory per accelerator: model states under ZeRO sharding, and activations.

Model states for mixed-precision Adam (Rajbhandari et al. 2019, ZeRO, Sec. 3.1: 2Ψ + 2Ψ + KΨ with
K = 12): 2 bytes of 16-bit weights, 2 of 16-bit gradients and 12 of fp32 master weights, momentum
and variance per parameter, 16 in all. ZeRO stage 1 shards the optimizer states over the
data-parallel group, stage 2 the gradients too, stage 3 the weights too (Sec. 5).

Activations of one transformer layer, 16-bit, without tensor or sequence parallelism (Korthikanti
et al. 2022, arXiv 2205.05198, Sec. 4): s b h (34 + 5 a s / h) bytes without recomputation, 34 s b h
with selective recomputation (attention scores recomputed), 2 s b h with full recomputation (only
each layer's input kept); s sequence length, b micro-batch, h hidden size, a attention heads.
Embeddings, the output layer, buffers and fragmentation are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

WEIGHT_BYTES = 2.0
GRADIENT_BYTES = 2.0
OPTIMIZER_BYTES = 12.0
RECOMPUTATION = ("none", "selective", "full")
ZERO_STAGES = (0, 1, 2, 3)
GB = 1e9  # decimal gigabytes, as accelerator datasheets print memory


@dataclass(frozen=True)
class ModelStates:
    """Bytes per accelerator of weights, gradients and optimizer states (arrays)."""

    weights: np.ndarray
    gradients: np.ndarray
    optimizer: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return self.weights + self.gradients + self.optimizer


def model_state_bytes(N: ArrayLike, zero_stage: ArrayLike = 0, data_parallel: ArrayLike = 1) -> ModelStates:
    """Weights, gradients and Adam states per accelerator for N parameters, ZeRO stage 0-3 over a
    data-parallel group of `data_parallel` accelerators. Stage 0 keeps 16 N bytes on each."""
    N = np.asarray(N, dtype=float)
    stage = np.asarray(zero_stage)
    dp = np.asarray(data_parallel, dtype=float)
    if np.any((stage < 0) | (stage > 3)):
        raise ValueError(f"ZeRO stage must be 0, 1, 2 or 3, got {zero_stage!r}")

    def share(bytes_per_param: float, sharded_from: int) -> np.ndarray:
        return bytes_per_param * N / np.where(stage >= sharded_from, dp, 1.0)

    return ModelStates(share(WEIGHT_BYTES, 3), share(GRADIENT_BYTES, 2), share(OPTIMIZER_BYTES, 1))


def activation_bytes_per_layer(
    seq_len: ArrayLike, micro_batch: ArrayLike, d_model: ArrayLike, n_head: ArrayLike, recompute: str = "none"
) -> np.ndarray:
    """Korthikanti et al. 2022: s b h (34 + 5 a s / h) bytes (none), 34 s b h (selective), 2 s b h (full)."""
    s, b, h, a = (np.asarray(v, dtype=float) for v in (seq_len, micro_batch, d_model, n_head))
    if recompute == "none":
        return s * b * h * (34.0 + 5.0 * a * s / h)
    if recompute == "selective":
        return 34.0 * s * b * h
    if recompute == "full":
        return 2.0 * s * b * h
    raise ValueError(f"activation recomputation must be one of {', '.join(RECOMPUTATION)}, got {recompute!r}")


def activation_bytes(
    n_layer: ArrayLike,
    seq_len: ArrayLike,
    micro_batch: ArrayLike,
    d_model: ArrayLike,
    n_head: ArrayLike,
    recompute: str = "none",
) -> np.ndarray:
    """All transformer layers' activations on one accelerator (it holds every layer: data parallel only)."""
    return np.asarray(n_layer, dtype=float) * activation_bytes_per_layer(
        seq_len, micro_batch, d_model, n_head, recompute
    )


def min_accelerators(
    N: ArrayLike, activations: ArrayLike, memory_bytes: ArrayLike, zero_stage: ArrayLike
) -> np.ndarray:
    """The fewest accelerators of `memory_bytes` each on which N parameters' model states (ZeRO
    `zero_stage` over all of them) plus `activations` bytes fit; inf where no count suffices (the
    unsharded part alone is too big: tensor or pipeline parallelism would be needed).

    Per accelerator: unsharded + sharded / n + activations <= memory, so n >= sharded / room."""
    N = np.asarray(N, dtype=float)
    stage = np.asarray(zero_stage)
    one = model_state_bytes(N, stage, 1.0)
    sharded = np.zeros_like(one.total)
    for part, first_stage in ((one.optimizer, 1), (one.gradients, 2), (one.weights, 3)):
        sharded = sharded + np.where(stage >= first_stage, part, 0.0)
    room = np.asarray(memory_bytes, dtype=float) - (one.total - sharded) - np.asarray(activations, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.where(room > 0, np.maximum(np.ceil(sharded / room - 1e-12), 1.0), np.inf)
    return need
