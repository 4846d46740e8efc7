"""Law families: small frozen dataclasses whose methods broadcast over numpy arrays.

Units everywhere: N in parameters, D in tokens, loss in nats per token.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import ClassVar, Protocol

import numpy as np
from numpy.typing import ArrayLike


class Law(Protocol):
    """Anything with a joint loss L(N, D) in nats per token."""

    family: ClassVar[str]

    def loss(self, N: ArrayLike, D: ArrayLike) -> np.ndarray: ...

    def params(self) -> dict[str, float]: ...


@dataclass(frozen=True)
class ChinchillaLaw:
    """L(N, D) = E + A / N^alpha + B / D^beta (Hoffmann et al. 2022, Eq. 2).

    N counts total parameters (embeddings included), D training tokens.
    """

    E: float
    A: float
    B: float
    alpha: float
    beta: float

    family: ClassVar[str] = "chinchilla"
    param_names: ClassVar[tuple[str, ...]] = ("E", "A", "B", "alpha", "beta")

    def loss(self, N: ArrayLike, D: ArrayLike) -> np.ndarray:
        N = np.asarray(N, dtype=float)
        D = np.asarray(D, dtype=float)
        return self.E + self.A * N ** (-self.alpha) + self.B * D ** (-self.beta)

    def params(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}

    @property
    def allocation_exponents(self) -> tuple[float, float]:
        """(a, b) with N_opt ~ C^a and D_opt ~ C^b; a = beta/(alpha+beta)."""
        s = self.alpha + self.beta
        return self.beta / s, self.alpha / s


@dataclass(frozen=True)
class KaplanLaw:
    """L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D (Kaplan et al. 2020, Eq. 1.5).

    N counts non-embedding parameters, D training tokens.
    """

    N_c: float
    D_c: float
    alpha_N: float
    alpha_D: float

    family: ClassVar[str] = "kaplan"
    param_names: ClassVar[tuple[str, ...]] = ("N_c", "D_c", "alpha_N", "alpha_D")

    def loss(self, N: ArrayLike, D: ArrayLike) -> np.ndarray:
        N = np.asarray(N, dtype=float)
        D = np.asarray(D, dtype=float)
        ratio = self.alpha_N / self.alpha_D
        return ((self.N_c / N) ** ratio + self.D_c / D) ** self.alpha_D

    def params(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}

    def overfit_penalty(self, N: ArrayLike, D: ArrayLike) -> np.ndarray:
        """delta L = L(N, D) / L(N, inf) - 1 (Kaplan 2020, Eq. 4.3)."""
        N = np.asarray(N, dtype=float)
        D = np.asarray(D, dtype=float)
        ratio = self.alpha_N / self.alpha_D
        return (1.0 + (N / self.N_c) ** ratio * self.D_c / D) ** self.alpha_D - 1.0

    def tokens_for_overfit_penalty(self, N: ArrayLike, penalty: ArrayLike) -> np.ndarray:
        """The D at which overfit_penalty(N, D) equals `penalty`: Eq. 4.3 solved for D. More
        data than this brings the loss within that fraction of the model's data-unlimited loss."""
        N = np.asarray(N, dtype=float)
        penalty = np.asarray(penalty, dtype=float)
        ratio = self.alpha_N / self.alpha_D
        return self.D_c * (N / self.N_c) ** ratio / np.expm1(np.log1p(penalty) / self.alpha_D)


@dataclass(frozen=True)
class PowerLaw:
    """Single-factor law L(x) = (x_c / x)^exponent (Kaplan 2020, Eq. 1.1-1.3)."""

    scale: float
    exponent: float
    variable: str = "x"

    def loss(self, x: ArrayLike) -> np.ndarray:
        return (self.scale / np.asarray(x, dtype=float)) ** self.exponent


JointLaw = ChinchillaLaw | KaplanLaw
LAW_CLASSES: dict[str, type] = {"chinchilla": ChinchillaLaw, "kaplan": KaplanLaw}


def law_from_params(family: str, params: dict[str, float]) -> JointLaw:
    """Build a law of `family` from a complete {name: value} mapping.

    Raises ValueError naming the missing, unknown or invalid constant.
    """
    if family not in LAW_CLASSES:
        raise ValueError(f"unknown law family {family!r}; use one of {', '.join(LAW_CLASSES)}")
    cls = LAW_CLASSES[family]
    names = [f.name for f in fields(cls)]
    unknown = set(params) - set(names)
    if unknown:
        raise ValueError(f"unknown constant(s) for {family}: {', '.join(sorted(unknown))}")
    missing = [n for n in names if n not in params]
    if missing:
        raise ValueError(f"missing constant(s) for {family}: {', '.join(missing)}")
    values = {}
    for name in names:
        value = float(params[name])
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"{family} constant {name} must be a positive finite number, got {params[name]!r}")
        values[name] = value
    return cls(**values)
