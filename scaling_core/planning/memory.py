"""Training memory per accelerator: model states under ZeRO sharding, and activations.

Model states for mixed-precision Adam (Rajbhandari et al. 2019, ZeRO, Sec. 3.1: 2Ψ + 2Ψ + KΨ with
K = 12): 2 bytes of 16-bit weights, 2 of 16-bit gradients and 12 of fp32 master weights, momentum
and variance per parameter, 16 in all. ZeRO stage 1 shards the optimizer states over the
data-parallel group, stage 2 the gradients too, stage 3 the weights too (Sec. 5).

Activations of one transformer layer, 16-bit (Korthikanti et al. 2022, arXiv 2205.05198, Sec. 4 and
Table 2): s b h (34 + 5 a s / h) bytes without recomputation, 34 s b h with selective recomputation
(attention scores recomputed), 2 s b h with full recomputation (only each layer's input kept);
s sequence length, b micro-batch, h hidden size, a attention heads. With tensor parallelism of
degree t plus sequence parallelism the first two divide by t (Table 2); full recomputation stays
2 s b h. The weights of a tensor-parallel group are split t ways, and ZeRO shards over the
data-parallel group (accelerators / t). Pipeline parallelism, embeddings, the output layer, buffers
and fragmentation are not modelled.
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
    seq_len: ArrayLike,
    micro_batch: ArrayLike,
    d_model: ArrayLike,
    n_head: ArrayLike,
    recompute: str = "none",
    tensor_parallel: ArrayLike = 1,
) -> np.ndarray:
    """Korthikanti et al. 2022: s b h (34 + 5 a s / h) / t bytes (none), 34 s b h / t (selective),
    2 s b h (full), with t the tensor-parallel degree (sequence parallelism on; t = 1 without)."""
    s, b, h, a, t = (np.asarray(v, dtype=float) for v in (seq_len, micro_batch, d_model, n_head, tensor_parallel))
    if recompute == "none":
        return s * b * h * (34.0 + 5.0 * a * s / h) / t
    if recompute == "selective":
        return 34.0 * s * b * h / t
    if recompute == "full":
        return 2.0 * s * b * h + 0.0 * t
    raise ValueError(f"activation recomputation must be one of {', '.join(RECOMPUTATION)}, got {recompute!r}")


def activation_bytes(
    n_layer: ArrayLike,
    seq_len: ArrayLike,
    micro_batch: ArrayLike,
    d_model: ArrayLike,
    n_head: ArrayLike,
    recompute: str = "none",
    tensor_parallel: ArrayLike = 1,
) -> np.ndarray:
    """All transformer layers' activations on one accelerator (it holds every layer: no pipeline)."""
    per_layer = activation_bytes_per_layer(seq_len, micro_batch, d_model, n_head, recompute, tensor_parallel)
    return np.asarray(n_layer, dtype=float) * per_layer


def min_accelerators(
    N: ArrayLike, activations: ArrayLike, memory_bytes: ArrayLike, zero_stage: ArrayLike, tensor_parallel: ArrayLike = 1
) -> np.ndarray:
    """The fewest accelerators of `memory_bytes` each on which N parameters' model states plus
    `activations` bytes (per accelerator) fit: tensor-parallel groups of t, ZeRO `zero_stage` over
    the data-parallel replicas. inf where no count suffices (the unsharded part alone is too big).

    Per accelerator: unsharded + sharded / n_dp + activations <= memory, with the states of N / t
    parameters, so n_dp >= sharded / room and the count is t n_dp."""
    t = np.asarray(tensor_parallel, dtype=float)
    stage = np.asarray(zero_stage)
    one = model_state_bytes(np.asarray(N, dtype=float) / t, stage, 1.0)
    sharded = np.zeros_like(one.total)
    for part, first_stage in ((one.optimizer, 1), (one.gradients, 2), (one.weights, 3)):
        sharded = sharded + np.where(stage >= first_stage, part, 0.0)
    room = np.asarray(memory_bytes, dtype=float) - (one.total - sharded) - np.asarray(activations, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        replicas = np.where(room > 0, np.maximum(np.ceil(sharded / room - 1e-12), 1.0), np.inf)
    return t * replicas
