"""A transformer shape for a parameter count: n_layer, d_model and heads with
N = 12 n_layer d_model^2 non-embedding parameters (Kaplan et al. 2020, Sec. 2.1: d_attn = d_model,
d_ff = 4 d_model; biases and norms left out).

Kaplan et al. (Sec. 3.1, Fig. 5) found the loss at fixed N depends only weakly on the shape: e.g.
(n_layer, d_model) = (6, 4288) lands within 3% of (48, 1600). So the aspect ratio d_model/n_layer is
a free choice within a broad range; the default 128 is what GPT-3 175B used (12288 / 96).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

DEFAULT_ASPECT = 128.0  # d_model / n_layer
DEFAULT_HEAD_DIM = 128
_MAX_WIDTH_STEPS = 512  # d_model up to 512 head dimensions (65,536 at head_dim 128)


@dataclass(frozen=True)
class Shape:
    """Integer shapes (arrays) and what they hold."""

    n_layer: np.ndarray
    d_model: np.ndarray
    n_head: np.ndarray
    n_vocab: float

    @property
    def params_nonembedding(self) -> np.ndarray:
        """12 n_layer d_model^2 (Kaplan et al. 2020, Eq. 2.1 with d_attn = d_ff / 4 = d_model)."""
        return 12.0 * self.n_layer * self.d_model**2

    @property
    def params_embedding(self) -> np.ndarray:
        """Token embedding plus an untied output layer: 2 n_vocab d_model (no learned positions)."""
        return 2.0 * self.n_vocab * self.d_model

    @property
    def params_total(self) -> np.ndarray:
        return self.params_nonembedding + self.params_embedding

    @property
    def aspect(self) -> np.ndarray:
        return self.d_model / self.n_layer


def model_shape(
    N: ArrayLike,
    n_vocab: float = 0.0,
    includes_embeddings: bool = False,
    aspect: float = DEFAULT_ASPECT,
    head_dim: int = DEFAULT_HEAD_DIM,
) -> Shape:
    """The shape closest to N parameters with d_model a multiple of `head_dim` and d_model/n_layer
    near `aspect`. When `includes_embeddings` (a law that counts total parameters, as Chinchilla's),
    N covers 12 n_layer d_model^2 + 2 n_vocab d_model; otherwise N is the non-embedding count.

    Every width d = head_dim * k is tried at once (no loop over N): its layer count is the nearest
    integer that hits N, and the winner minimises |ln(N_shape/N)| + 0.1 |ln(aspect_shape/aspect)|,
    the parameter count first, the (loss-neutral) aspect ratio second."""
    N = np.asarray(N, dtype=float)
    d = head_dim * np.arange(1, _MAX_WIDTH_STEPS + 1, dtype=float)  # candidate widths
    embed = 2.0 * n_vocab * d if includes_embeddings else np.zeros_like(d)
    layers = np.maximum(np.rint((N[..., None] - embed) / (12.0 * d**2)), 1.0)
    achieved = 12.0 * layers * d**2 + embed
    score = np.abs(np.log(achieved / N[..., None])) + 0.1 * np.abs(np.log(d / layers / aspect))
    best = np.argmin(score, axis=-1)
    n_layer = np.take_along_axis(layers, best[..., None], axis=-1)[..., 0]
    d_model = d[best]
    return Shape(n_layer, d_model, d_model / head_dim, float(n_vocab))
