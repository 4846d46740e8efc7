"""Scaling Law Explorer core: pure numpy, no UI. Every function broadcasts over arrays."""

from .laws import ChinchillaLaw, KaplanLaw, PowerLaw, law_from_params
from .presets import PRESETS

__all__ = ["ChinchillaLaw", "KaplanLaw", "PowerLaw", "PRESETS", "law_from_params"]
