"""Published constants, each next to its source. Every published number lives here once."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .compute import PF_DAY_FLOPS, kaplan_cmin_from_compute
from .laws import ChinchillaLaw, JointLaw, KaplanLaw, PowerLaw


@dataclass(frozen=True)
class Preset:
    name: str  # stable identifier used in URLs and on the command line
    label: str  # short human label
    law: JointLaw
    citation: str  # paper and where in it the numbers are printed
    url: str
    dataset: str  # data and tokenizer the loss was measured on
    params_counted: str  # "non-embedding" or "total"
    note: str = ""

    @property
    def family(self) -> str:
        return self.law.family

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "family": self.family,
            "constants": self.law.params(),
            "citation": self.citation,
            "url": self.url,
            "dataset": self.dataset,
            "params_counted": self.params_counted,
            "note": self.note,
        }


KAPLAN_URL = "https://arxiv.org/abs/2001.08361"
HOFFMANN_URL = "https://arxiv.org/abs/2203.15556"
EPOCH_URL = "https://arxiv.org/abs/2404.10102"
# Why Kaplan's and Hoffmann's allocations differ (cited on the Learn page).
PEARCE_SONG_URL = "https://arxiv.org/abs/2406.12907"
PORIAN_URL = "https://arxiv.org/abs/2406.19146"
KAPLAN_DATA = "WebText2, GPT-2 BPE tokenizer (50,257 tokens)"
HOFFMANN_DATA = "MassiveText, SentencePiece tokenizer"

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in [
        Preset(
            name="kaplan2020",
            label="Kaplan 2020 (Table 2 joint fit)",
            law=KaplanLaw(N_c=6.4e13, D_c=1.8e13, alpha_N=0.076, alpha_D=0.103),
            citation="Kaplan et al. 2020, Eq. 1.5 with the joint-fit constants of Table 2",
            url=KAPLAN_URL,
            dataset=KAPLAN_DATA,
            params_counted="non-embedding",
        ),
        Preset(
            name="kaplan2020_eq1",
            label="Kaplan 2020 (Eq. 1.1/1.2 constants)",
            law=KaplanLaw(N_c=8.8e13, D_c=5.4e13, alpha_N=0.076, alpha_D=0.095),
            citation="Kaplan et al. 2020, Eq. 1.5 with the single-factor constants of Eq. 1.1/1.2 (Table 5)",
            url=KAPLAN_URL,
            dataset=KAPLAN_DATA,
            params_counted="non-embedding",
            note="Not the paper's fitted joint law; a common secondary-source choice, kept for comparison.",
        ),
        Preset(
            name="hoffmann2022",
            label="Hoffmann 2022 (approach 3, as printed)",
            law=ChinchillaLaw(E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28),
            citation="Hoffmann et al. 2022, Sec. 3.3 and App. D.2 (approach 3), as printed",
            url=HOFFMANN_URL,
            dataset=HOFFMANN_DATA,
            params_counted="total",
            note="Rounded constants: about 32B parameters at the Gopher budget instead of the 40B of Fig. 4.",
        ),
        Preset(
            name="hoffmann2022_unrounded",
            label="Hoffmann 2022 (approach 3, unrounded)",
            # The TeX source's e, a, b (log E, log A, log B) and exponents, as used by Epoch AI's notebook.
            law=ChinchillaLaw(
                E=math.exp(0.5267228),
                A=math.exp(6.0073404),
                B=math.exp(6.0179186),
                alpha=0.33917084,
                beta=0.2849083,
            ),
            citation="Hoffmann et al. 2022, approach 3, unrounded values from the paper's TeX source "
            "(via Besiroglu et al. 2024)",
            url=HOFFMANN_URL,
            dataset=HOFFMANN_DATA,
            params_counted="total",
        ),
        Preset(
            name="epoch2024",
            label="Besiroglu et al. 2024 (Epoch AI replication)",
            law=ChinchillaLaw(E=1.8172, A=482.01, B=2085.43, alpha=0.3478, beta=0.3658),
            citation="Besiroglu, Erdil, Barnett, You 2024, Table 1 (refit of Hoffmann's Fig. 4 data)",
            url=EPOCH_URL,
            dataset=HOFFMANN_DATA + " (Hoffmann et al.'s runs, digitised)",
            params_counted="total",
        ),
    ]
}

DEFAULT_PRESET = {"chinchilla": "epoch2024", "kaplan": "kaplan2020"}


def presets_of_family(family: str) -> list[str]:
    return [name for name, p in PRESETS.items() if p.family == family]


# Kaplan 2020 single-factor laws (Eq. 1.1-1.3, Eq. 3.3; constants in Table 5).
KAPLAN_L_OF_N = PowerLaw(scale=8.8e13, exponent=0.076, variable="non-embedding parameters")
KAPLAN_L_OF_D = PowerLaw(scale=5.4e13, exponent=0.095, variable="tokens")
# C_c^min = 3.1e8 PF-days as printed in Eq. 1.3, Eq. 6.3 and Table 5 (2.3e8 is a secondary-source misprint).
KAPLAN_L_OF_CMIN = PowerLaw(scale=3.1e8, exponent=0.050, variable="C_min in PF-days")
KAPLAN_L_OF_C_NAIVE = PowerLaw(scale=1.6e7, exponent=0.057, variable="C in PF-days (fixed batch)")
KAPLAN_SINGLE_FACTOR_CITATION = "Kaplan et al. 2020, Eq. 1.1-1.3 and Table 5"
# The value of C_c^min some tutorials print instead of 3.1e8 (kept only to name the misprint).
KAPLAN_CMIN_SCALE_MISPRINT = 2.3e8
# Kaplan 2020, Sec. 4.2 / Eq. 4.4: an overfitting penalty delta L below about 0.02, the run-to-run
# variation of the loss across random seeds, counts as negligible.
KAPLAN_OVERFIT_TOLERANCE = 0.02


@dataclass(frozen=True)
class PublishedAllocation:
    """Kaplan 2020's fitted compute-efficient trends (App. A, Table 6), C_min in PF-days."""

    N_e: float = 1.3e9
    p_N: float = 0.73
    D_e: float = 2e10
    p_D: float = 0.27
    citation: str = "Kaplan et al. 2020, App. A Table 6: N_opt = 1.3e9 * C_min^0.73 (C_min in PF-days)"

    def n_opt(self, C_min_pfdays: ArrayLike) -> np.ndarray:
        return self.N_e * np.asarray(C_min_pfdays, dtype=float) ** self.p_N

    def d_opt(self, C_min_pfdays: ArrayLike) -> np.ndarray:
        return self.D_e * np.asarray(C_min_pfdays, dtype=float) ** self.p_D

    def n_opt_for_flops(self, C: ArrayLike) -> np.ndarray:
        """N_opt for a raw FLOP budget trained at the critical batch: C_min = C / 2."""
        return self.n_opt(kaplan_cmin_from_compute(C) / PF_DAY_FLOPS)


KAPLAN_ALLOCATION = PublishedAllocation()

# Hoffmann et al. 2022, Table 2: allocation exponents (a, b) with N_opt ~ C^a, D_opt ~ C^b.
HOFFMANN_TABLE2 = {"approach 1": (0.50, 0.50), "approach 2": (0.49, 0.51), "approach 3": (0.46, 0.54)}


def resolve_law(spec: str) -> tuple[str, JointLaw]:
    """A preset name ('epoch2024') or an inline law ('chinchilla:E=1.8,A=480,B=2100,alpha=0.35,beta=0.37',
    'kaplan:N_c=6.4e13,D_c=1.8e13,alpha_N=0.076,alpha_D=0.103') -> (name, law).

    Raises ValueError with a message that says what to write instead.
    """
    from .laws import law_from_params
    from .quantities import parse_quantity

    spec = spec.strip()
    if spec in PRESETS:
        return spec, PRESETS[spec].law
    family, sep, body = spec.partition(":")
    if not sep:
        raise ValueError(
            f"unknown law {spec[:40]!r}: use a preset ({', '.join(PRESETS)}) or "
            "chinchilla:E=..,A=..,B=..,alpha=..,beta=.. or kaplan:N_c=..,D_c=..,alpha_N=..,alpha_D=.."
        )
    params: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in body.split(","))):
        key, eq, value = item.partition("=")
        if not eq:
            raise ValueError(f"expected name=value in the law, got {item[:40]!r}")
        try:
            params[key.strip()] = parse_quantity(value)
        except ValueError as err:
            raise ValueError(f"law constant {key.strip()}: {err}") from None
    return spec, law_from_params(family.strip().lower(), params)
