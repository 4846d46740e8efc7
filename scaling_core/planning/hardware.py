"""The accelerator catalog (data/accelerators.csv) and the arithmetic of time and cost.

Peaks are dense BF16 tensor FLOP/s from each vendor's document (never the 2:4-sparse figure);
memory in decimal GB as the datasheets print it. This module imports nothing from the rest of the
core, so scaling_core.compute can read the catalog without an import cycle.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

CATALOG_CSV = Path(__file__).resolve().parents[2] / "data" / "accelerators.csv"
SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class Accelerator:
    key: str  # stable identifier for URLs and the command line
    name: str
    vendor: str
    peak_flops: float  # dense BF16 tensor FLOP/s
    memory_gb: float  # decimal GB (1e9 bytes)
    source_title: str
    source_url: str
    source_date: str
    verified: str  # vendor (read in the vendor's document), secondary, or partial
    verification_note: str

    def to_dict(self) -> dict:
        return asdict(self)


@functools.cache
def accelerator_catalog(path: Path = CATALOG_CSV) -> dict[str, Accelerator]:
    """key -> Accelerator, in file order."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {
            row["key"]: Accelerator(
                key=row["key"],
                name=row["name"],
                vendor=row["vendor"],
                peak_flops=float(row["peak_bf16_dense_flops"]),
                memory_gb=float(row["memory_gb"]),
                source_title=row["source_title"],
                source_url=row["source_url"],
                source_date=row["source_date"],
                verified=row["verified"],
                verification_note=row["verification_note"],
            )
            for row in csv.DictReader(handle)
        }


def find_accelerator(name: str) -> Accelerator:
    """An accelerator by key, or by a unique case-insensitive prefix of its key or name ('h100' is
    h100_sxm: an exact key wins, then the SXM part). Raises ValueError listing the keys."""
    catalog = accelerator_catalog()
    wanted = name.strip().lower()
    if wanted in catalog:
        return catalog[wanted]
    matches = [a for a in catalog.values() if a.key.startswith(wanted) or a.name.lower().startswith(wanted)]
    sxm = [a for a in matches if "sxm" in a.key]
    if len(matches) == 1 or len(sxm) == 1:
        return (matches if len(matches) == 1 else sxm)[0]
    raise ValueError(f"unknown accelerator {name[:40]!r}: use one of {', '.join(catalog)}")


def training_compute(count: ArrayLike, days: ArrayLike, peak_flops: ArrayLike, mfu: ArrayLike) -> np.ndarray:
    """Model FLOPs delivered: accelerators x days x 86400 s x peak FLOP/s x MFU."""
    return (
        np.asarray(count, float)
        * np.asarray(days, float)
        * SECONDS_PER_DAY
        * np.asarray(peak_flops, float)
        * np.asarray(mfu, float)
    )


def accelerator_hours(C: ArrayLike, peak_flops: ArrayLike, mfu: ArrayLike) -> np.ndarray:
    """Accelerator-hours to deliver C model FLOPs: C / (peak x MFU) / 3600."""
    return np.asarray(C, float) / (np.asarray(peak_flops, float) * np.asarray(mfu, float)) / 3600.0


def wall_days(C: ArrayLike, count: ArrayLike, peak_flops: ArrayLike, mfu: ArrayLike) -> np.ndarray:
    """Wall-clock days on `count` accelerators: C / (count x peak x MFU) / 86400."""
    return accelerator_hours(C, peak_flops, mfu) / np.asarray(count, float) / 24.0


def training_cost(hours: ArrayLike, price_per_hour: ArrayLike) -> np.ndarray:
    """Cost = accelerator-hours x price per accelerator-hour (the price is the user's, never ours)."""
    return np.asarray(hours, float) * np.asarray(price_per_hour, float)
