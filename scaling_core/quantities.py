"""Reading and writing human quantities such as 70B, 1.4T, 350M or 3e21."""

from __future__ import annotations

import math
import re

import numpy as np

SUFFIXES = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12, "p": 1e15}
_QUANTITY = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([kmbgtp]?)\s*$", re.IGNORECASE)


def parse_quantity(text: str | float | int) -> float:
    """'70B' -> 7e10, '1.4T' -> 1.4e12, '350M' -> 3.5e8, '3e21' -> 3e21, '1,000' -> 1000.

    Raises ValueError for anything else (including NaN and infinity).
    """
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        value = float(text)
    else:
        match = _QUANTITY.match(str(text).replace(",", "").replace("_", ""))
        if not match:
            raise ValueError(f"not a number: {str(text)[:40]!r} (write e.g. 70B, 1.4T, 350M or 3e21)")
        value = float(match.group(1)) * SUFFIXES[match.group(2).lower()]
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def format_quantity(value: float, digits: int = 3) -> str:
    """7e10 -> '70B', 1.4e12 -> '1.4T', 3.5e8 -> '350M'; values past 1e15 in e-notation."""
    if not math.isfinite(value):
        return str(value)
    magnitude = abs(value)
    for suffix, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if 1e15 > magnitude >= scale:
            return f"{value / scale:.{digits}g}{suffix}"
    return f"{value:.{digits}g}"
