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


# ---------------------------------------------------------------------------------------------
# Planning: more laws, allocation rules, learning-rate and batch-size fits, data-constrained
# constants. Each number once, next to its source (used by scaling_core.planning and the pages).

MUENNIGHOFF_URL = "https://arxiv.org/abs/2305.16264"
DEEPSEEK_URL = "https://arxiv.org/abs/2401.02954"
LLAMA3_URL = "https://arxiv.org/abs/2407.21783"
STEP_LAW_URL = "https://arxiv.org/abs/2503.04715"
SARDANA_URL = "https://arxiv.org/abs/2401.00448"
ZERO_URL = "https://arxiv.org/abs/1910.02054"
KORTHIKANTI_URL = "https://arxiv.org/abs/2205.05198"

PRESETS["muennighoff2023"] = Preset(
    name="muennighoff2023",
    label="Muennighoff 2023 (data-constrained fit, C4)",
    # The released fit's e, a, b (log E, log A, log B) and exponents (alpha = beta).
    law=ChinchillaLaw(
        E=math.exp(0.6254804), A=math.exp(6.255414), B=math.exp(7.3049974), alpha=0.3526596, beta=0.3526596
    ),
    citation="Muennighoff et al. 2023, Eq. 5 fitted on C4; constants from the authors' repository "
    "(huggingface/datablations, README 'Parametric Fit')",
    url=MUENNIGHOFF_URL,
    dataset="C4 (GPT-2 tokenizer)",
    params_counted="total",
    note="Fitted together with the repetition constants R_D* = 15.39 and R_N* = 5.31: use them with this law.",
)


@dataclass(frozen=True)
class RepetitionConstants:
    """Muennighoff et al. 2023: decay constants of repeated data (R_D*) and excess parameters (R_N*)."""

    r_d_star: float = 15.387756  # the paper rounds to 15.4
    r_n_star: float = 5.309743  # the paper rounds to 5.3
    citation: str = (
        "Muennighoff et al. 2023, Sec. 3.1 and Eq. 5: R_D* = 15.387756, R_N* = 5.309743 (authors' repository, "
        "huggingface/datablations; the paper rounds to 15.4 and 5.3), fitted on C4"
    )
    url: str = MUENNIGHOFF_URL


MUENNIGHOFF_REPETITION = RepetitionConstants()


@dataclass(frozen=True)
class AllocationRule:
    """A published compute-optimal allocation without a loss law: one of N or D is a power of
    the budget, value = prefactor * (C / c_ref)^exponent, the other follows from C = 6ND."""

    name: str
    label: str
    solves: str  # "params" or "tokens": which of N, D the power law gives
    prefactor: float
    c_ref: float  # FLOPs that make C / c_ref dimensionless (1.0 where the source writes C^p)
    exponent: float
    citation: str
    url: str
    dataset: str
    params_counted: str
    note: str = ""

    def allocate(self, C: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """(N_opt, D_opt) for training budgets C (FLOPs), on the line C = 6ND."""
        C = np.asarray(C, dtype=float)
        value = self.prefactor * (C / self.c_ref) ** self.exponent
        other = C / (6.0 * value)
        return (value, other) if self.solves == "params" else (other, value)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "family": "allocation",
            "rule": f"{'N' if self.solves == 'params' else 'D'} = {self.prefactor:g} (C / {self.c_ref:g})^{self.exponent:g}",
            "citation": self.citation,
            "url": self.url,
            "dataset": self.dataset,
            "params_counted": self.params_counted,
            "note": self.note,
        }


# Chinchilla at the Gopher budget (Table 3, approach 1; Table A3, approach 2): anchors for Table 2's exponents.
_GOPHER_FLOPS_TABLE3 = 5.76e23
_GOPHER_FLOPS_TABLEA3_APPROACH2 = 6.88e23
_PARAMS_67B = 67e9
# "About 20 tokens per parameter": N = sqrt(C / (6 * 20)) from C = 6ND and D = 20N (Chinchilla 70B on 1.4T).
TOKENS_PER_PARAM_RULE_OF_THUMB = 20.0

ALLOCATIONS: dict[str, AllocationRule] = {
    r.name: r
    for r in [
        AllocationRule(
            name="hoffmann2022_approach1",
            label="Hoffmann 2022 approach 1 (N ∝ C^0.50)",
            solves="params",
            prefactor=_PARAMS_67B,
            c_ref=_GOPHER_FLOPS_TABLE3,
            exponent=HOFFMANN_TABLE2["approach 1"][0],
            citation="Hoffmann et al. 2022, Table 2 (a = 0.50, approach 1), anchored at Table 3's 67B row (5.76e23 FLOPs)",
            url=HOFFMANN_URL,
            dataset=HOFFMANN_DATA,
            params_counted="total",
        ),
        AllocationRule(
            name="hoffmann2022_approach2",
            label="Hoffmann 2022 approach 2 (N ∝ C^0.49)",
            solves="params",
            prefactor=_PARAMS_67B,
            c_ref=_GOPHER_FLOPS_TABLEA3_APPROACH2,
            exponent=HOFFMANN_TABLE2["approach 2"][0],
            citation="Hoffmann et al. 2022, Table 2 (a = 0.49, IsoFLOP profiles), anchored at Table A3's 67B row "
            "(6.88e23 FLOPs)",
            url=HOFFMANN_URL,
            dataset=HOFFMANN_DATA,
            params_counted="total",
        ),
        AllocationRule(
            name="chinchilla_20tpp",
            label="About 20 tokens per parameter (Chinchilla)",
            solves="params",
            prefactor=1.0,
            c_ref=6.0 * TOKENS_PER_PARAM_RULE_OF_THUMB,
            exponent=0.5,
            citation="Hoffmann et al. 2022: Chinchilla, 70B parameters on 1.4T tokens (20 per parameter); "
            "N = sqrt(C/120), D = 20 N",
            url=HOFFMANN_URL,
            dataset=HOFFMANN_DATA,
            params_counted="total",
            note="A rule of thumb consistent with approaches 1 and 2 and Epoch's refit, not approach 3 as printed.",
        ),
        AllocationRule(
            name="kaplan2020_table6",
            label="Kaplan 2020 published trend (Table 6)",
            solves="params",
            prefactor=KAPLAN_ALLOCATION.N_e,
            c_ref=2.0 * PF_DAY_FLOPS,  # C_min = C / 2 at the critical batch, in PF-days
            exponent=KAPLAN_ALLOCATION.p_N,
            citation=KAPLAN_ALLOCATION.citation + "; C_min = C/2 when training at the critical batch",
            url=KAPLAN_URL,
            dataset=KAPLAN_DATA,
            params_counted="non-embedding",
        ),
        AllocationRule(
            name="deepseek2024",
            label="DeepSeek LLM 2024 (M_opt, D_opt)",
            solves="params",
            # M_opt = 0.1715 C^0.5243 non-embedding FLOPs per token; N = M / 6 (attention FLOPs folded in).
            prefactor=0.1715 / 6.0,
            c_ref=1.0,
            exponent=0.5243,
            citation="DeepSeek-AI 2024 (DeepSeek LLM), Sec. 3.2, Eq. 4: M_opt = 0.1715 C^0.5243, "
            "D_opt = 5.8316 C^0.4757 with C = M D",
            url=DEEPSEEK_URL,
            dataset="DeepSeek's 2T-token bilingual corpus (early data gives other exponents)",
            params_counted="non-embedding",
            note="M counts non-embedding FLOPs per token including attention; N = M/6 here, so this D is "
            "C / M_opt = 5.83 C^0.4757. Constants read from transcriptions of the paper.",
        ),
        AllocationRule(
            name="llama3_2024",
            label="Llama 3 2024 (D* = 0.29 C^0.53)",
            solves="tokens",
            prefactor=0.29,
            c_ref=1.0,
            exponent=0.53,
            citation="Llama Team 2024 (The Llama 3 Herd of Models), Sec. 3.2.1: N*(C) = A C^alpha training tokens, "
            "(alpha, A) = (0.53, 0.29)",
            url=LLAMA3_URL,
            dataset="Llama 3 pretraining mix",
            params_counted="total",
            note="The rounded constants give 10.5T tokens at 3.8e25 FLOPs, not the paper's own 16.55T "
            "(402B parameters): treat the paper's pair as authoritative.",
        ),
    ]
}


@dataclass(frozen=True)
class DeepSeekHyperparameters:
    """DeepSeek LLM 2024, Sec. 3.1: eta_opt = 0.3118 C^-0.1250, B_opt = 0.2920 C^0.3271 tokens, where
    C = M D counts non-embedding FLOPs per token (attention included) times tokens."""

    lr_prefactor: float = 0.3118
    lr_exponent: float = -0.1250
    batch_prefactor: float = 0.2920
    batch_exponent: float = 0.3271
    # M = 72 n_layer d_model^2 + attention_coefficient n_layer d_model l_seq. 12 per two transcriptions and
    # the Step Law code; not checked against the PDF.
    attention_coefficient: float = 12.0
    citation: str = "DeepSeek-AI 2024 (DeepSeek LLM), Sec. 3.1: eta_opt = 0.3118 C^-0.1250, B_opt = 0.2920 C^0.3271"
    url: str = DEEPSEEK_URL


DEEPSEEK_HPARAMS = DeepSeekHyperparameters()


@dataclass(frozen=True)
class CriticalBatch:
    """Kaplan 2020, Eq. 1.4 / 5.3: B_crit(L) = B_* / L^(1/alpha_B) tokens, L in nats on WebText2."""

    # Table 5 (and Fig. 10) print B_* = 2.1e8 tokens; Eq. 1.4 rounds it to 2e8. We take the table.
    B_star: float = 2.1e8
    alpha_B: float = 0.21
    citation: str = "Kaplan et al. 2020, Eq. 1.4 and Table 5: B_crit = B_*/L^(1/alpha_B), B_* = 2.1e8 tokens (Table 5; Eq. 1.4 rounds to 2e8), alpha_B = 0.21"
    url: str = KAPLAN_URL


KAPLAN_CRITICAL_BATCH = CriticalBatch()


@dataclass(frozen=True)
class StepLaw:
    """Li et al. 2025 (Step Law): eta_opt = 1.79 N^-0.713 D^0.307, B_opt = 0.58 D^0.571 tokens, with N
    non-embedding parameters and D training tokens. As printed in the paper; the authors' released
    bootstrap fits average to 1.7973, -0.712922, 0.307491 and 0.5807, 0.570944."""

    lr_prefactor: float = 1.79
    lr_params_exponent: float = -0.713
    lr_tokens_exponent: float = 0.307
    batch_prefactor: float = 0.58
    batch_tokens_exponent: float = 0.571
    citation: str = (
        "Li et al. 2025 (Predictable Scale Part I: Step Law): eta = 1.79 N^-0.713 D^0.307, B = 0.58 D^0.571 tokens"
    )
    url: str = STEP_LAW_URL


STEP_LAW = StepLaw()
