"""FLOPs, memory and hardware arithmetic. Everything broadcasts over numpy arrays.

Conventions: C is training FLOPs; N parameters; D tokens.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .planning.hardware import accelerator_catalog

# 1 PF-day = 1e15 FLOP/s for 24 h (Kaplan 2020, Sec. 1.3).
PF_DAY_FLOPS = 1e15 * 24 * 3600
SECONDS_PER_HOUR = 3600.0

# Peak dense BF16 tensor throughput, FLOP/s, from the accelerator catalog (data/accelerators.csv, each
# row with its vendor document; sparse figures are 2x and not used). The labels are the Frontiers
# page's URL values, so they stay as they were.
GPU_PEAK_BF16_DENSE: dict[str, float] = {
    f"{label} ({accelerator_catalog()[key].peak_flops / 1e12:g} TFLOP/s)": accelerator_catalog()[key].peak_flops
    for key, label in (("a100_80gb_sxm", "A100 SXM"), ("h100_sxm", "H100 SXM"), ("h100_pcie", "H100 PCIe"))
}

# Mixed-precision Adam keeps 2 + 2 + 12 bytes per parameter (ZeRO, Rajbhandari et al. 2019, Sec. 3.1).
ADAM_MIXED_PRECISION_BYTES_PER_PARAM = 16


def _arr(x: ArrayLike) -> np.ndarray:
    return np.asarray(x, dtype=float)


def training_flops(N: ArrayLike, D: ArrayLike) -> np.ndarray:
    """C = 6 N D: forward (2N) plus backward (4N) FLOPs per token (Kaplan 2020, Sec. 2.1)."""
    return 6.0 * _arr(N) * _arr(D)


def tokens_for_compute(C: ArrayLike, N: ArrayLike) -> np.ndarray:
    """D = C / (6 N)."""
    return _arr(C) / (6.0 * _arr(N))


def params_for_compute(C: ArrayLike, D: ArrayLike) -> np.ndarray:
    """N = C / (6 D)."""
    return _arr(C) / (6.0 * _arr(D))


def flops_to_pfdays(C: ArrayLike) -> np.ndarray:
    return _arr(C) / PF_DAY_FLOPS


def pfdays_to_flops(pfdays: ArrayLike) -> np.ndarray:
    return _arr(pfdays) * PF_DAY_FLOPS


def transformer_nonembedding_params(
    n_layer: ArrayLike,
    d_model: ArrayLike,
    d_attn: ArrayLike | None = None,
    d_ff: ArrayLike | None = None,
) -> np.ndarray:
    """N = 2 d_model n_layer (2 d_attn + d_ff) (Kaplan 2020, Eq. 2.1 / Table 1).

    Defaults d_attn = d_model and d_ff = 4 d_model give 12 n_layer d_model^2.
    Biases, layer norms and embeddings are excluded.
    """
    d_model = _arr(d_model)
    d_attn = d_model if d_attn is None else _arr(d_attn)
    d_ff = 4.0 * d_model if d_ff is None else _arr(d_ff)
    return 2.0 * d_model * _arr(n_layer) * (2.0 * d_attn + d_ff)


def embedding_params(n_vocab: ArrayLike, n_ctx: ArrayLike, d_model: ArrayLike) -> np.ndarray:
    """Token plus learned position embeddings: (n_vocab + n_ctx) d_model (Kaplan 2020, Sec. 2.1)."""
    return (_arr(n_vocab) + _arr(n_ctx)) * _arr(d_model)


def forward_flops_per_token(N: ArrayLike, n_layer: ArrayLike, n_ctx: ArrayLike, d_attn: ArrayLike) -> np.ndarray:
    """C_forward = 2 N + 2 n_layer n_ctx d_attn (Kaplan 2020, Eq. 2.2)."""
    return 2.0 * _arr(N) + 2.0 * _arr(n_layer) * _arr(n_ctx) * _arr(d_attn)


def training_flops_per_token(N: ArrayLike, n_layer: ArrayLike, n_ctx: ArrayLike, d_attn: ArrayLike) -> np.ndarray:
    """Training costs about three forward passes per token (Kaplan 2020, Sec. 2.1)."""
    return 3.0 * forward_flops_per_token(N, n_layer, n_ctx, d_attn)


def kaplan_cmin_from_compute(C: ArrayLike, batch_over_critical: ArrayLike = 1.0) -> np.ndarray:
    """Kaplan's C_min from the compute C actually spent: C_min = C / (1 + B / B_crit) (Eq. 5.5).

    Training at the critical batch (B = B_crit, the default) costs C = 2 C_min, the
    conversion Hoffmann et al. (2022, App. D.4) use to compare against Kaplan.
    """
    return _arr(C) / (1.0 + _arr(batch_over_critical))


def compute_from_gpu_hours(
    n_gpus: ArrayLike, hours: ArrayLike, peak_flops_per_s: ArrayLike, utilisation: ArrayLike
) -> np.ndarray:
    """Model FLOPs delivered: GPUs x hours x 3600 s x peak FLOP/s x utilisation (MFU)."""
    return _arr(n_gpus) * _arr(hours) * SECONDS_PER_HOUR * _arr(peak_flops_per_s) * _arr(utilisation)


def training_days(C: ArrayLike, n_gpus: ArrayLike, peak_flops_per_s: ArrayLike, utilisation: ArrayLike) -> np.ndarray:
    """Wall-clock days to spend C FLOPs: C / (n_gpus x peak x MFU) / 86400."""
    return _arr(C) / (_arr(n_gpus) * _arr(peak_flops_per_s) * _arr(utilisation)) / 86400.0


def training_memory_bytes(N: ArrayLike, bytes_per_param: float = ADAM_MIXED_PRECISION_BYTES_PER_PARAM) -> np.ndarray:
    """Model states for mixed-precision Adam, activations excluded (ZeRO, Sec. 3.1)."""
    return _arr(N) * bytes_per_param
