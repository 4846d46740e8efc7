"""Reading and validating tables (pandas lives here and nowhere else in the core)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
MODELS_CSV = DATA_DIR / "models.csv"


@dataclass(frozen=True)
class KnownModels:
    """Well-known language models with their parameters N (total) and training tokens D."""

    name: tuple[str, ...]
    N: np.ndarray
    D: np.ndarray
    source: tuple[str, ...]
    notes: tuple[str, ...]


def load_known_models(path: Path = MODELS_CSV) -> KnownModels:
    table = pd.read_csv(path)
    return KnownModels(
        name=tuple(table["name"].astype(str)),
        N=table["params"].to_numpy(float),
        D=table["tokens"].to_numpy(float),
        source=tuple(table["source"].astype(str)),
        notes=tuple(table["notes"].fillna("").astype(str)),
    )
