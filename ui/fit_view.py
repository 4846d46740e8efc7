"""Tables, figures, downloads and links for a fit outcome (no Streamlit calls here)."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from scaling_core.analysis import FitOutcome
from scaling_core.constraints import POSITIVE
from scaling_core.fit import ChinchillaFit, KaplanFit
from scaling_core.frontier import optimal_allocation
from scaling_core.presets import PRESETS
from ui import figures

COMPARE_PRESETS = {"chinchilla": ("hoffmann2022", "hoffmann2022_unrounded", "epoch2024"), "kaplan": ("kaplan2020",)}
DISPLAY_NAME = {"E": "E", "A": "A", "B": "B", "alpha": "α", "beta": "β"}  # constants as the page writes them
DISPLAY_PARAMS = {"chinchilla": ("E", "A", "B", "alpha", "beta"), "kaplan": ("N_c", "D_c", "alpha_N", "alpha_D")}


def _fmt(v: float) -> str:
    return "—" if v is None or not np.isfinite(v) else f"{v:.5g}"


def constants_table(outcome: FitOutcome, labels: Mapping[str, str]) -> pd.DataFrame:
    """The fitted constants with their intervals, beside the published presets of the same form."""
    fit = outcome.fit
    family = fit.law.family
    names = DISPLAY_PARAMS[family]
    values = fit.law.params()
    rows = {labels["col.constant"]: list(names), labels["col.this_fit"]: [_fmt(values[n]) for n in names]}
    held = fit.constraint.held_fixed if isinstance(fit, ChinchillaFit) else {}
    tied = isinstance(fit, ChinchillaFit) and fit.constraint.tie_exponents and "beta" not in held
    if outcome.intervals:  # fixed and tied constants say so instead of a zero-width interval

        def interval(n: str) -> str:
            if n in held:
                return labels["constraints.fixed_cell"]
            if tied and n == "beta":
                return labels["constraints.tied_cell"]
            lo, hi = outcome.intervals[n]
            return f"{_fmt(lo)} – {_fmt(hi)}"

        rows[labels["col.interval"]] = [interval(n) for n in names]
    for key in COMPARE_PRESETS[family]:
        preset = PRESETS[key].law.params()
        rows[PRESETS[key].label] = [_fmt(preset[n]) for n in names]
    if isinstance(fit, ChinchillaFit):
        for name, value in (("a = β/(α+β)", fit.a), ("b = α/(α+β)", fit.b)):
            rows[labels["col.constant"]].append(name)
            rows[labels["col.this_fit"]].append(_fmt(value))
            key = "a" if name.startswith("a") else "b"
            if outcome.intervals:
                lo, hi = outcome.intervals[key]
                rows[labels["col.interval"]].append(f"{_fmt(lo)} – {_fmt(hi)}")
            for preset_key in COMPARE_PRESETS[family]:
                a, b = PRESETS[preset_key].law.allocation_exponents
                rows[PRESETS[preset_key].label].append(_fmt(a if key == "a" else b))
    return pd.DataFrame(rows)


def _short(v: float) -> str:
    return f"{v:.4g}"


def constraint_summary(fit: ChinchillaFit, labels: Mapping[str, str]) -> list[str]:
    """What a constrained fit was held to ("α = β (tied)", "E fixed at 1.7", ...) and which
    constants ended on a bound; empty for the free form."""
    c = fit.constraint
    if c.is_free:
        return []
    name = DISPLAY_NAME.__getitem__
    parts = [labels["constraints.part.tied"]] if c.tie_exponents else []
    parts += [labels["constraints.part.fixed"].format(name=name(n), value=_short(v)) for n, v in c.fixed]
    parts += [
        labels["constraints.part.bounded"].format(name=name(n), lo=_short(lo), hi=_short(hi)) for n, lo, hi in c.bounds
    ]
    lines = [labels["constraints.summary"].format(parts=", ".join(parts), n=fit.n_free)]
    params = fit.law.params()
    for n, lo, hi in c.bounds:
        for end in (lo, hi):
            # Clipped steps leave a constant exactly on its bound (E, A, B up to exp(log(x))).
            if n in c.held_fixed or not np.isfinite(end) or (n in POSITIVE and end <= 0):
                continue  # held anyway, or no bound at that end
            if np.isclose(params[n], end, rtol=1e-9):
                lines.append(labels["constraints.at_bound"].format(name=name(n), value=_short(end)))
    return lines


def local_optima_table(fit: ChinchillaFit, labels: Mapping[str, str]) -> pd.DataFrame:
    """The distinct optima the starts ended at, best first, with how many starts reached each."""
    rows = []
    for opt in fit.local_optima:
        row = {labels["fit.objective"]: f"{opt.objective:.6g}", labels["col.starts"]: opt.n_starts}
        row |= {k: _fmt(v) for k, v in opt.law.params().items()}
        rows.append(row)
    return pd.DataFrame(rows)


def derived_table(outcome: FitOutcome, labels: Mapping[str, str]) -> pd.DataFrame | None:
    """N_opt, D_opt at the budget and the loss at the target, with intervals."""
    d = outcome.derived
    if not d:
        return None
    rows = [
        (labels["col.n_opt"] + f" @ {figures.flops_label(d['budget'])} FLOPs", d["N_opt"], "N_opt"),
        (labels["col.d_opt"] + f" @ {figures.flops_label(d['budget'])} FLOPs", d["D_opt"], "D_opt"),
        (
            labels["col.loss"]
            + f" @ N = {figures.count_label(d['target_N'])}, D = {figures.count_label(d['target_D'])}",
            d["loss_at_target"],
            "loss_at_target",
        ),
    ]
    out = {labels["col.quantity"]: [r[0] for r in rows], labels["col.this_fit"]: [_fmt(r[1]) for r in rows]}
    if outcome.intervals:
        out[labels["col.interval"]] = [
            f"{_fmt(outcome.intervals[k][0])} – {_fmt(outcome.intervals[k][1])}" for _, _, k in rows
        ]
    return pd.DataFrame(out)


def joint_figures(outcome: FitOutcome, labels: Mapping[str, str]) -> tuple[go.Figure, go.Figure, go.Figure]:
    """(observed vs predicted, residuals vs N, D, C, the fitted law's map with published frontiers)."""
    res = outcome.residual_table()
    r = outcome.runs
    used = res["used_in_fit"]
    obs_pred = figures.observed_vs_predicted(res["observed"], res["predicted"], used, list(r.names), labels=labels)
    resid = figures.residual_panels(r.N, r.D, r.C, res["residual_log"], used, labels=labels)
    law = outcome.fit.law
    n_lo, n_hi = np.floor(np.log10(r.N.min())) - 0.5, np.ceil(np.log10(r.N.max())) + 2.5
    d_lo, d_hi = np.floor(np.log10(r.D.min())) - 0.5, np.ceil(np.log10(r.D.max())) + 2.5
    N, D = np.logspace(n_lo, n_hi, 60), np.logspace(d_lo, d_hi, 60)
    budgets = np.logspace(np.log10(6 * N[0] * D[0]), np.log10(6 * N[-1] * D[-1]), 120)

    def frontier(key, name, the_law):
        a = optimal_allocation(the_law, budgets)
        inside = (a.N_opt >= N[0]) & (a.N_opt <= N[-1]) & (a.D_opt >= D[0]) & (a.D_opt <= D[-1])
        return figures.FrontierLine(key, name, a.N_opt[inside], a.D_opt[inside])

    own = frontier("fit", labels["fig.frontier"], law)
    others = [frontier(k, PRESETS[k].label, PRESETS[k].law) for k in ("kaplan2020", "hoffmann2022", "epoch2024")]
    decades = 10.0 ** np.arange(np.ceil(np.log10(budgets[0])), np.floor(np.log10(budgets[-1])) + 1)
    n_start = np.maximum(N[0], decades / (6 * D[-1]))
    n_end = np.minimum(N[-1], decades / (6 * D[0]))
    ok = n_start < n_end
    seg_n = np.stack([n_start[ok], n_end[ok]], axis=1)
    lines = figures.IsoFlopLines(decades[ok], seg_n, decades[ok, None] / (6 * seg_n))
    fitted_map = figures.iso_loss_map(
        N,
        D,
        law.loss(N[None, :], D[:, None]),
        iso_flop=lines,
        frontier_N=own.N,
        frontier_loss=law.loss(own.N, own.D),
        frontier_D=own.D,
        models=None,
        labels=labels,
        color=figures.LAW_COLORS["fit"],
        other_frontiers=others,
        runs=figures.RunPoints(r.N[used], r.D[used], r.loss[used]),
        title=labels["fig.fitted_map"],
    )
    return obs_pred, resid, fitted_map


def law_json(outcome: FitOutcome) -> str:
    return json.dumps(outcome.to_json(), indent=2, ensure_ascii=False, allow_nan=False)


def residual_csv(outcome: FitOutcome) -> str:
    return pd.DataFrame(outcome.residual_table()).to_csv(index=False)


def share_links(outcome: FitOutcome, lang: str) -> dict[str, str]:
    """Relative links opening the Law Explorer and Frontiers with the fitted constants
    (none for a degenerate fit with a zero coefficient: the pages could not show it)."""
    fit = outcome.fit
    if not isinstance(fit, (ChinchillaFit, KaplanFit)):
        return {}
    p = fit.law.params()
    if not all(np.isfinite(v) and v > 0 for k, v in p.items() if k != "E"):
        return {}
    extra = {"lang": lang} if lang != "en" else {}
    if isinstance(fit, ChinchillaFit):
        explorer = {
            "family": "chinchilla",
            "E": p["E"],
            "log10_A": np.log10(p["A"]),
            "log10_B": np.log10(p["B"]),
            "alpha": p["alpha"],
            "beta": p["beta"],
        }
    else:
        explorer = {
            "family": "kaplan",
            "log10_N_c": np.log10(p["N_c"]),
            "log10_D_c": np.log10(p["D_c"]),
            "alpha_N": p["alpha_N"],
            "alpha_D": p["alpha_D"],
        }
    explorer = {k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in explorer.items()} | extra
    spec = f"{fit.law.family}:" + ",".join(f"{k}={v:.6g}" for k, v in p.items())
    return {
        "explorer": "Law_Explorer?" + urllib.parse.urlencode(explorer),
        "frontiers": "Frontiers?" + urllib.parse.urlencode({"fit": spec} | extra),
    }
