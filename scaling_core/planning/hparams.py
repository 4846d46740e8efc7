"""Learning-rate and batch-size laws: published fits on other setups, not guarantees.

Each function broadcasts over numpy arrays. Batch sizes are in tokens (divide by the sequence
length for sequences).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..presets import DEEPSEEK_HPARAMS, KAPLAN_CRITICAL_BATCH, STEP_LAW


def _arr(x: ArrayLike) -> np.ndarray:
    return np.asarray(x, dtype=float)


def deepseek_learning_rate(C: ArrayLike) -> np.ndarray:
    """eta_opt = 0.3118 C^-0.1250 (DeepSeek LLM 2024, Sec. 3.1).

    C is their compute budget: non-embedding FLOPs per token (attention included) times tokens,
    C = M D (see `deepseek_compute`); at large scale M ~ 6N and C ~ 6ND."""
    h = DEEPSEEK_HPARAMS
    return h.lr_prefactor * _arr(C) ** h.lr_exponent


def deepseek_batch_tokens(C: ArrayLike) -> np.ndarray:
    """B_opt = 0.2920 C^0.3271 tokens (DeepSeek LLM 2024, Sec. 3.1); C as in `deepseek_learning_rate`."""
    h = DEEPSEEK_HPARAMS
    return h.batch_prefactor * _arr(C) ** h.batch_exponent


def deepseek_flops_per_token(n_layer: ArrayLike, d_model: ArrayLike, seq_len: ArrayLike) -> np.ndarray:
    """M = 72 n_layer d_model^2 + 12 n_layer d_model l_seq: non-embedding FLOPs per token, attention
    included (DeepSeek LLM 2024, Sec. 3.2; the attention coefficient 12 is not checked against the PDF)."""
    n_layer, d_model = _arr(n_layer), _arr(d_model)
    return 72.0 * n_layer * d_model**2 + DEEPSEEK_HPARAMS.attention_coefficient * n_layer * d_model * _arr(seq_len)


def deepseek_compute(M: ArrayLike, D: ArrayLike) -> np.ndarray:
    """DeepSeek's compute budget C = M D (FLOPs), M in non-embedding FLOPs per token."""
    return _arr(M) * _arr(D)


def kaplan_critical_batch_tokens(loss: ArrayLike) -> np.ndarray:
    """B_crit(L) = B_* / L^(1/alpha_B) tokens (Kaplan et al. 2020, Eq. 1.4 / 5.3), with B_* = 2.1e8
    (Table 5; Eq. 1.4 rounds it to 2e8) and alpha_B = 0.21. L is in nats per token on Kaplan's
    WebText2 data: a loss from another data set or tokenizer only indicates the scale."""
    c = KAPLAN_CRITICAL_BATCH
    return c.B_star / _arr(loss) ** (1.0 / c.alpha_B)


def step_law_learning_rate(N: ArrayLike, D: ArrayLike) -> np.ndarray:
    """eta_opt = 1.79 N^-0.713 D^0.307 (Li et al. 2025, Step Law); N non-embedding parameters,
    D training tokens; fitted with a schedule that ends at a fixed minimum learning rate of 1e-5."""
    s = STEP_LAW
    return s.lr_prefactor * _arr(N) ** s.lr_params_exponent * _arr(D) ** s.lr_tokens_exponent


def step_law_batch_tokens(D: ArrayLike) -> np.ndarray:
    """B_opt = 0.58 D^0.571 tokens (Li et al. 2025, Step Law): depends on the training tokens only."""
    s = STEP_LAW
    return s.batch_prefactor * _arr(D) ** s.batch_tokens_exponent
