"""Why a smoothly falling loss can look like a sudden ability (Schaeffer, Miranda, Koyejo 2023).

Schaeffer et al. (arXiv 2304.15004, Sec. 2) model a task whose answer is k tokens long. If the
model's cross-entropy on each answer token is L nats, it puts probability p = exp(-L) on the
right token. Scored by exact match, the answer counts only when all k tokens are right:
accuracy = p^k = exp(-k L), which stays near zero and then shoots up as L shrinks, even though
L itself falls smoothly with scale. A metric linear in the per-token errors, such as the token
edit distance k (1 - p), falls smoothly instead. Tokens are treated as independent, as there.

Everything broadcasts: answer lengths k against losses L.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

SCHAEFFER_URL = "https://arxiv.org/abs/2304.15004"
SCHAEFFER_CITATION = "Schaeffer, Miranda, Koyejo 2023, Sec. 2 (arXiv 2304.15004)"


def token_probability(token_loss: ArrayLike) -> np.ndarray:
    """p = exp(-L): the probability put on the right token when its cross-entropy is L nats."""
    return np.exp(-np.asarray(token_loss, dtype=float))


def exact_match_accuracy(token_loss: ArrayLike, answer_tokens: ArrayLike) -> np.ndarray:
    """p^k = exp(-k L): every one of the k answer tokens right (a nonlinear metric)."""
    return np.exp(-np.asarray(answer_tokens, dtype=float) * np.asarray(token_loss, dtype=float))


def token_edit_distance(token_loss: ArrayLike, answer_tokens: ArrayLike) -> np.ndarray:
    """k (1 - p): expected number of wrong tokens in a k-token answer (a linear metric)."""
    return np.asarray(answer_tokens, dtype=float) * -np.expm1(-np.asarray(token_loss, dtype=float))


def loss_for_exact_match(accuracy: ArrayLike, answer_tokens: ArrayLike) -> np.ndarray:
    """The per-token loss at which exact match reaches `accuracy`: L = -ln(accuracy) / k."""
    return -np.log(np.asarray(accuracy, dtype=float)) / np.asarray(answer_tokens, dtype=float)


def crossing(x: ArrayLike, y: ArrayLike, level: ArrayLike) -> np.ndarray:
    """Where an increasing curve y(x) first reaches `level`, interpolated in log x (x > 0).

    NaN where the curve never reaches the level inside the sampled range, or is already there at
    its first point (the crossing lies before the range). Broadcasts over
    levels; x and y are one curve (1-D, x increasing)."""
    x, y, level = np.asarray(x, float), np.asarray(y, float), np.asarray(level, float)
    above = y[None, :] >= level.reshape(-1, 1)  # (levels, points)
    first = np.argmax(above, axis=1)
    reached = above.any(axis=1) & (first > 0)
    i = np.clip(first, 1, x.size - 1)
    x0, x1, y0, y1 = np.log(x[i - 1]), np.log(x[i]), y[i - 1], y[i]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # rows that never cross: NaN below
        t = (level.ravel() - y0) / (y1 - y0)
        out = np.where(reached, np.exp(x0 + t * (x1 - x0)), np.nan)
    return out.reshape(level.shape)
