"""The Extrapolate page's forecast: candidate forms compared by backtest, the chosen form's
calibrated bands at the targets, frozen forecasts. Computations are cached here; figures come
from ui.figures; every string from ui.i18n (ui/strings/forecast.py)."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from scaling_core.forecast import Comparison, Forecast, build_forecast, compare_forms
from scaling_core.forecast.backtest import MIN_BUCKET_POINTS, MIN_CUTOFFS
from scaling_core.forecast.candidates import FORECAST_FORMS, forecast_forms
from scaling_core.forecast.freeze import FreezeError, FrozenForecast, freeze, from_link, runs_sha256
from scaling_core.forecast.profile import Profile, fixed_e_profile, profile_grid
from scaling_core.forecast.replicates import MIN_GROUPS
from scaling_core.forecast.report import Split
from scaling_core.frontier import optimal_allocation
from scaling_core.io import RunTable
from ui import figures
from ui.figures.forecast import (
    TargetPoints,
    backtest_coverage_figure,
    backtest_error_figure,
    forecast_band_figure,
    profile_figures,
)
from ui.i18n import t
from ui.memo import memoize
from ui.run_input import LoadedRuns
from ui.state import BIND, Choice, Flag, FloatRange, choice, number, show_url_notices, slider
from ui.text import escape_markdown

FORM_RULE = Choice(("auto", *FORECAST_FORMS))
TARGET_RULE = Choice(("rows", "budget", "size"))
OBSERVED_RULE = FloatRange(0.001, 100.0, 0.0001)
FIXED_E_RULE = FloatRange(0.01, 20.0, 0.01)
PROFILE_RULE = Flag()
DECADES_PAST = 3.0  # the band chart reaches this far beyond the largest run (and past every target)
LEVELS_SHOWN = (0.8, 0.95)


def model_compute(runs: RunTable) -> np.ndarray:
    """C = 6ND: the compute the laws are written in (a C column may count FLOPs differently)."""
    return 6.0 * runs.N * runs.D


# ---------------------------------------------------------------------------------------------
# Computations (cached)


class _BoundedCache(MutableMapping):
    """The backtest's fits below each cutoff, shared by every session (keys carry the data's hash),
    least recently used first out. Moving the page's cutoff keeps the backtest's own cutoffs and
    their fits: only a cutoff that newly has runs above it is fitted."""

    def __init__(self, max_entries: int) -> None:
        self._data: OrderedDict = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def __getitem__(self, key):
        with self._lock:
            value = self._data[key]
            self._data.move_to_end(key)
            return value

    def __setitem__(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def __delitem__(self, key) -> None:
        with self._lock:
            del self._data[key]

    def __iter__(self):
        return iter(list(self._data))

    def __len__(self) -> int:
        return len(self._data)


CUTOFF_FITS = _BoundedCache(512)


def _progress_bar():
    bar = st.empty()

    def update(fraction: float, stage: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=t(f"progress.{stage}"))

    return bar, update


@memoize(max_entries=16)
def _comparison(
    key: str, rows: tuple[int, ...], fixed_e: float | None, seed: int, *, _runs: RunTable, _progress=None
) -> Comparison:
    idx = np.array(rows, int)
    return compare_forms(
        _runs.N[idx],
        _runs.D[idx],
        _runs.loss[idx],
        forecast_forms(fixed_e),
        seed=seed,
        cache=CUTOFF_FITS,
        cache_key=(key,),
        rows=_runs.source_rows[idx],
        progress=_progress,
    )


@memoize(max_entries=16)
def _forecast(
    key: str, rows: tuple[int, ...], fixed_e: float | None, seed: int, form: str, boot: int, *, _runs, _comparison
) -> Forecast:
    idx = np.array(rows, int)
    return build_forecast(_comparison, form, _runs.N[idx], _runs.D[idx], _runs.loss[idx], n_resamples=boot, seed=seed)


def run_forecast(
    loaded: LoadedRuns, train: np.ndarray, form: str, boot: int, seed: int, fixed_e: float | None = None
) -> tuple[Comparison, Forecast]:
    """Every candidate compared by backtest on the runs the fit may see, and `form`'s forecast."""
    rows = tuple(int(i) for i in np.flatnonzero(train))
    bar, update = _progress_bar()
    try:
        comparison = _comparison(loaded.key, rows, fixed_e, seed, _runs=loaded.runs, _progress=update)
        update(1.0, "bootstrap")
        result = _forecast(loaded.key, rows, fixed_e, seed, form, boot, _runs=loaded.runs, _comparison=comparison)
    finally:
        bar.empty()
    return comparison, result


@memoize(max_entries=16)
def _profile(key: str, rows: tuple[int, ...], *, _runs: RunTable, _start: np.ndarray, _free_E: float) -> Profile:
    idx = np.array(rows, int)
    loss = _runs.loss[idx]
    return fixed_e_profile(_runs.N[idx], _runs.D[idx], loss, profile_grid(loss, _free_E), start=_start)


def fixed_e_input(loaded: LoadedRuns, train: np.ndarray, container=st) -> float | None:
    """The E of the fixed-E candidate (empty: the form is not compared). An E at or above the
    lowest loss fitted cannot be a floor under every run: it is reported and left out."""
    value = number(
        t("forecast.fixed_e"),
        FIXED_E_RULE,
        "fixE",
        None,
        container,
        format="%.2f",
        placeholder=t("forecast.fixed_e_placeholder"),
        help=t("forecast.fixed_e_help"),
    )
    if value is None:
        return None
    lowest = float(loaded.runs.loss[train].min())
    if value >= lowest:
        st.warning(t("forecast.fixed_e_too_high", e=f"{value:.2f}", low=f"{lowest:.4f}"), icon=":material/warning:")
        return None
    return float(value)


def profile_section(
    loaded: LoadedRuns,
    train: np.ndarray,
    comparison: Comparison,
    chosen: Target,
    fixed_e: float | None,
    labels: Mapping[str, str],
) -> None:
    """The fixed-E profile, on request: objective, prediction and allocation against E."""
    st.subheader(t("forecast.profile"))
    if not st.checkbox(t("forecast.profile_show"), key="profile", bind=BIND, help=t("forecast.profile_help")):
        return
    free = comparison.fits["chinchilla"]
    rows = tuple(int(i) for i in np.flatnonzero(train))
    with st.spinner(t("progress.profile")):
        profile = _profile(loaded.key, rows, _runs=loaded.runs, _start=free.theta, _free_E=free.law.E)
    compute = 6.0 * chosen.N * chosen.D
    N_opt, D_opt = profile.optimum(compute)
    panels = profile_figures(
        profile.E,
        profile.objective,
        profile.predict(chosen.N, chosen.D),
        N_opt,
        D_opt,
        chosen=fixed_e,
        free_E=free.law.E,
        target_label=labels["fig.profile_prediction"].format(target=chosen.name),
        compute_label=labels["fig.profile_allocation"].format(c=figures.flops_label(compute)),
        labels=labels,
    )
    for i, (col, fig) in enumerate(zip(st.columns(3), panels)):  # side by side; stacked on a phone
        col.plotly_chart(fig, width="stretch", key=f"profile_fig_{i}")
    st.caption(t("forecast.profile_caption", free=f"{free.law.E:.3f}"))


# ---------------------------------------------------------------------------------------------
# Targets


@dataclass(frozen=True)
class Target:
    N: float
    D: float
    name: str  # shown: the run's name, or "1e24 FLOPs", or "N = 7B, D = 1.4T"
    budget: float | None = None
    observed: float = float("nan")
    row: int | None = None


def target_controls(loaded: LoadedRuns, result: Forecast, rules: Mapping) -> tuple[list[Target], Target]:
    """The target widgets: a target row of the table, a budget, or N and D. Returns (every target
    drawn on the chart, the one the headline is about)."""
    runs, targets = loaded.runs, loaded.targets
    modes = TARGET_RULE.options if targets.any() else TARGET_RULE.options[1:]
    mode = choice(
        t("extrap.target_by"),
        Choice(modes),
        "target",
        modes[0],
        lambda m: t(f"target.{m}"),
        st.radio,
        horizontal=True,
    )
    rows = [
        Target(float(runs.N[i]), float(runs.D[i]), str(runs.names[i]), observed=float(runs.loss[i]), row=int(r))
        for i, r in zip(np.flatnonzero(targets), runs.source_rows[targets])
    ]
    if mode == "rows":
        options = tuple(str(tg.row) for tg in rows)
        show_url_notices({"trow": Choice(options)})
        picked = choice(
            t("forecast.target_row"),
            Choice(options),
            "trow",
            options[0],
            lambda r: next(
                f"{tg.name} (N = {figures.count_label(tg.N)}, D = {figures.count_label(tg.D)})"
                for tg in rows
                if str(tg.row) == r
            ),
        )
        return rows, next(tg for tg in rows if str(tg.row) == picked)
    logc = np.log10(model_compute(runs).max())
    if mode == "budget":
        budget = 10.0 ** slider(t("fit.budget"), rules["tC"], "tC", round(float(logc) + 2, 1), format="1e%.2f")
        alloc = optimal_allocation(result.law, budget)
        chosen = Target(float(alloc.N_opt), float(alloc.D_opt), f"{figures.flops_label(budget)} FLOPs", budget=budget)
    else:
        row = st.columns(2)
        N = 10.0 ** slider(t("fit.target_n"), rules["tN"], "tN", 10.0, row[0], format="1e%.2f")
        D = 10.0 ** slider(t("fit.target_d"), rules["tD"], "tD", 11.5, row[1], format="1e%.2f")
        chosen = Target(N, D, f"N = {figures.count_label(N)}, D = {figures.count_label(D)}")
    return rows + [chosen], chosen


# ---------------------------------------------------------------------------------------------
# The answer: headline, chart, freeze


def _band_text(lo: float, hi: float) -> str:
    return f"{lo:.4f} – {hi:.4f}" if np.isfinite([lo, hi]).all() else "—"


def answer_section(
    result: Forecast,
    comparison: Comparison,
    targets: list[Target],
    chosen: Target,
    runs: RunTable,
    split: Split,
    axis: str,
    cutoff: float | None,
    labels: Mapping[str, str],
) -> None:
    """Headline numbers for the chosen target, what they rest on, the chart, and every target row."""
    bands = result.predict([chosen.N], [chosen.D])
    st.subheader(t("forecast.answer", target=escape_markdown(chosen.name)))
    cols = st.columns(3)
    cols[0].metric(t("forecast.predicted"), f"{bands.point[0]:.4f}", help=t("forecast.predicted_help"))
    for col, level in zip(cols[1:], LEVELS_SHOWN):
        lo, hi = bands.prediction[level]
        col.metric(
            t("forecast.band", level=int(100 * level)),
            _band_text(lo[0], hi[0]),
            help=t("forecast.band_help", level=int(100 * level)),
        )
    form_line = (
        t("forecast.form_recommended", form=t(f"cand.{result.form}"))
        if result.form == comparison.recommended
        else t("forecast.form_picked", form=t(f"cand.{result.form}"), recommended=t(f"cand.{comparison.recommended}"))
    )
    st.markdown(form_line + " " + calibration_sentence(result))
    if np.isfinite(chosen.observed):
        st.markdown(score_sentence(chosen.observed, float(bands.point[0]), bands, 0))
    st.markdown(f"**{t('fig.forecast_title', form=t(f'cand.{result.form}'))}**")
    st.plotly_chart(band_chart(result, runs, split, targets, axis, cutoff, labels), width="stretch", key="bands")
    rows = [tg for tg in targets if tg.row is not None]
    if len(rows) > 1 or (rows and rows[0] is not chosen):
        st.dataframe(target_table(result, rows, labels), hide_index=True, width="stretch")


def calibration_sentence(result: Forecast) -> str:
    cal = result.calibration
    if cal.kind == "backtest":
        text = t("forecast.cal_backtest", n=cal.n_points, k=cal.n_cutoffs)
    else:
        text = t("forecast.cal_fallback", k=cal.n_cutoffs, need=MIN_CUTOFFS)
    if cal.floor_sigma is not None:
        text += " " + t("forecast.cal_floor", sigma=f"{cal.floor_sigma:.2g}")
    return text


def score_sentence(observed: float, predicted: float, bands, i: int) -> str:
    lo80, hi80 = bands.prediction[0.8]
    lo95, hi95 = bands.prediction[0.95]
    if lo80[i] <= observed <= hi80[i]:
        where = t("score.in80")
    elif lo95[i] <= observed <= hi95[i]:
        where = t("score.in95")
    else:
        where = t("score.outside")
    return t(
        "score.line",
        observed=f"{observed:.4f}",
        pct=f"{100 * (observed - predicted) / predicted:+.2f}",
        nats=f"{observed - predicted:+.4f}",
        where=where,
    )


def target_table(result: Forecast, rows: list[Target], labels: Mapping[str, str]) -> pd.DataFrame:
    N = np.array([tg.N for tg in rows])
    D = np.array([tg.D for tg in rows])
    bands = result.predict(N, D)
    out = []
    for i, tg in enumerate(rows):
        record = {
            labels["col.run"]: tg.name,
            "N": figures.count_label(tg.N),
            "D": figures.count_label(tg.D),
            "6ND (FLOPs)": figures.flops_label(6 * tg.N * tg.D),
            labels["col.predicted"]: round(float(bands.point[i]), 4),
            "80%": _band_text(bands.prediction[0.8][0][i], bands.prediction[0.8][1][i]),
            "95%": _band_text(bands.prediction[0.95][0][i], bands.prediction[0.95][1][i]),
        }
        if np.isfinite(tg.observed):
            p = float(bands.point[i])
            record |= {
                labels["col.observed"]: round(tg.observed, 4),
                labels["col.error_pct"]: round(100 * (tg.observed - p) / p, 2),
                labels["col.error_nats"]: round(tg.observed - p, 4),
                labels["col.in80"]: bool(bands.prediction[0.8][0][i] <= tg.observed <= bands.prediction[0.8][1][i]),
                labels["col.in95"]: bool(bands.prediction[0.95][0][i] <= tg.observed <= bands.prediction[0.95][1][i]),
            }
        out.append(record)
    return pd.DataFrame(out)


def band_chart(
    result: Forecast,
    runs: RunTable,
    split: Split,
    targets: list[Target],
    axis: str,
    cutoff: float | None,
    labels: Mapping[str, str],
):
    """Calibrated bands along the chosen law's compute-optimal frontier, the runs, and the targets."""
    compute = model_compute(runs)
    c_targets = [6 * tg.N * tg.D for tg in targets]
    c_lo = compute.min() / 10
    c_hi = max([compute.max() * 10**DECADES_PAST] + [3 * c for c in c_targets])
    budgets = np.logspace(np.log10(c_lo), np.log10(c_hi), 160)
    alloc = optimal_allocation(result.law, budgets)
    N, D = alloc.N_opt, alloc.D_opt
    bands = result.predict(N, D)
    x = {"C": budgets, "N": N, "D": D}[axis]
    run_x = {"C": compute, "N": runs.N, "D": runs.D}[axis]
    title = {
        "C": labels["axis.compute"],
        "N": labels["axis.params"] + " (N_opt)",
        "D": labels["axis.tokens"] + " (D_opt)",
    }[axis]
    tN = np.array([tg.N for tg in targets])
    tD = np.array([tg.D for tg in targets])
    points = None
    if tN.size:
        tb = result.predict(tN, tD)
        points = TargetPoints(
            {"C": 6 * tN * tD, "N": tN, "D": tD}[axis],
            tb.point,
            tb.prediction[0.8],
            tb.prediction[0.95],
            np.array([tg.observed for tg in targets]),
            [tg.name for tg in targets],
        )
    return forecast_band_figure(
        x,
        bands.point,
        {lv: bands.prediction[lv] for lv in bands.prediction},
        bands.confidence[0.95],
        (run_x[split.train], runs.loss[split.train]),
        (run_x[split.held & ~split.targets], runs.loss[split.held & ~split.targets]),
        points,
        x_title=title,
        labels=labels,
        title="",  # above the chart, as text: a long figure title is cut off on a phone
        cutoff=cutoff if axis == "C" else None,
    )


# ---------------------------------------------------------------------------------------------
# Candidates and backtest


def _constants_text(law) -> str:
    return ", ".join(f"{k} = {v:.4g}" for k, v in law.params().items())


def candidates_section(comparison: Comparison, result: Forecast, labels: Mapping[str, str]) -> None:
    st.subheader(t("forecast.candidates"))
    st.caption(t("forecast.rule", k=MIN_BUCKET_POINTS))
    sel = comparison.selection
    if sel.decided_by == "backtest":
        lo, hi = sel.decades
        st.markdown(
            t(
                "forecast.decided",
                form=t(f"cand.{sel.recommended}"),
                lo=f"{lo:g}",
                hi="∞" if not np.isfinite(hi) else f"{hi:g}",
                n=sel.n_points,
            )
        )
    else:
        st.info(t("forecast.undecided", need=MIN_CUTOFFS, form=t(f"cand.{sel.recommended}")), icon=":material/info:")
    standing = {s.form: s for s in sel.standings}
    rows = []
    for name, fit in comparison.fits.items():
        bt = comparison.backtests[name]
        s = standing.get(name)
        record = {
            labels["col.form"]: t(f"cand.{name}") + (" ★" if name == comparison.recommended else ""),
            labels["col.n_constants"]: fit.form.n_constants,
        }
        if s is not None:
            record |= {
                labels["col.decisive_error"]: f"{100 * (np.exp(s.mae_log) - 1):.2f}%"
                if np.isfinite(s.mae_log)
                else "—",
                labels["col.se"]: "—"
                if s.form == sel.recommended and s.se_vs_best == 0
                else f"{100 * s.se_vs_best:.2f}%",
                labels["col.within"]: s.within_noise,
            }
        if bt.decades.size:
            record |= {
                labels["col.coverage_raw"].format(level=80): f"{bt.inside(0.8).mean():.0%}",
                labels["col.coverage_raw"].format(level=95): f"{bt.inside(0.95).mean():.0%}",
            }
        record[labels["col.params"]] = _constants_text(fit.law) if fit.ok else "—"  # last: the widest
        rows.append(record)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    table = backtest_table(comparison, labels)
    if table is None:
        return
    st.markdown(t("forecast.backtest_by_distance"))
    st.dataframe(table, hide_index=True, width="stretch")
    buckets = {name: [vars(b) for b in bt.buckets()] for name, bt in comparison.backtests.items()}
    left, right = st.columns(2)  # side by side; stacked on a phone
    for col, make, key in (
        (left, backtest_error_figure, "candidates_error"),
        (right, backtest_coverage_figure, "candidates_coverage"),
    ):
        col.plotly_chart(make(buckets, recommended=comparison.recommended, labels=labels), width="stretch", key=key)


def backtest_table(comparison: Comparison, labels: Mapping[str, str]) -> pd.DataFrame | None:
    """One row per distance group: runs scored, then each candidate's error and raw coverage."""
    per_form = {name: {b.decades: b for b in bt.buckets()} for name, bt in comparison.backtests.items()}
    groups = sorted({g for buckets in per_form.values() for g in buckets})
    if not groups:
        return None
    rows = []
    for g in groups:
        any_bucket = next(b[g] for b in per_form.values() if g in b)
        record = {
            labels["col.distance"]: f"{g[0]:g}–{g[1]:g}" if np.isfinite(g[1]) else f"> {g[0]:g}",
            labels["col.scored"]: any_bucket.n,
        }
        for name, buckets in per_form.items():
            b = buckets.get(g)
            form = t(f"short.{name}")
            record[labels["col.form_error"].format(form=form)] = (
                f"{b.mae_pct:.2f}% · {b.mae_nats:.4f}" if b is not None and np.isfinite(b.mae_pct) else "—"
            )
            record[labels["col.form_coverage"].format(form=form)] = (
                f"{b.coverage[0.8]:.0%} / {b.coverage[0.95]:.0%}" if b is not None else "—"
            )
        rows.append(record)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Calibration and noise


def calibration_section(result: Forecast, comparison: Comparison, labels: Mapping[str, str]) -> None:
    st.subheader(t("forecast.calibration"))
    cal = result.calibration
    if cal.kind == "backtest":
        st.markdown(t("forecast.cal_method", form=t(f"cand.{result.form}")))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        labels["col.distance"]: f"{g[0]:g}–{g[1]:g}" if np.isfinite(g[1]) else f"> {g[0]:g}",
                        labels["col.mean_distance"]: round(float(d), 2),
                    }
                    | {
                        labels["col.factor"].format(level=int(100 * lv)): round(float(cal.factors[lv][i]), 2)
                        for lv in LEVELS_SHOWN
                    }
                    | {labels["col.factor_points"].format(level=95): int(cal.points[0.95][i])}
                    for i, (g, d) in enumerate(zip(cal.groups, cal.distances))
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.info(t("forecast.cal_fallback_long", k=cal.n_cutoffs, need=MIN_CUTOFFS), icon=":material/info:")
    noise = comparison.noise
    resid = f"{result.bands.noise_sigma:.4f}"
    if noise.n_groups:
        line = t(
            "forecast.replicates",
            k=noise.n_groups,
            n=noise.n_runs,
            sigma=f"{noise.sigma_log:.4f}",
            resid=resid,
        )
        line += " " + (
            t("forecast.replicates_floor") if noise.usable else t("forecast.replicates_few", need=MIN_GROUPS)
        )
    else:
        line = t("forecast.no_replicates", resid=resid)
    st.caption(line)


# ---------------------------------------------------------------------------------------------
# Held-out runs


def heldout_section(result: Forecast, runs: RunTable, held: np.ndarray, labels: Mapping[str, str]) -> None:
    st.subheader(t("extrap.heldout", n=int(held.sum())))
    if not held.any():
        st.info(t("extrap.no_heldout"), icon=":material/info:")
        return
    bands = result.predict(runs.N[held], runs.D[held])
    observed = runs.loss[held]
    cols = st.columns(2)
    for col, level in zip(cols, LEVELS_SHOWN):
        lo, hi = bands.prediction[level]
        col.metric(
            t("extrap.coverage", level=int(100 * level)),
            f"{np.mean((observed >= lo) & (observed <= hi)):.0%}",
            help=t("extrap.coverage_help"),
        )
    rows = [
        Target(float(n), float(d), str(name), observed=float(v))
        for n, d, name, v in zip(runs.N[held], runs.D[held], runs.names[held], observed)
    ]
    st.dataframe(target_table(result, rows, labels), hide_index=True, width="stretch")
    st.plotly_chart(
        figures.holdout_figure(
            observed, bands.point, bands.prediction[0.8], bands.prediction[0.95], list(runs.names[held]), labels=labels
        ),
        width="stretch",
        key="holdout",
    )


# ---------------------------------------------------------------------------------------------
# Freezing a forecast, and opening a frozen one


def freeze_controls(
    result: Forecast, chosen: Target, N: np.ndarray, D: np.ndarray, loss: np.ndarray, lang: str
) -> None:
    """A button that freezes the headline forecast into a link and a JSON file."""
    bands = result.predict([chosen.N], [chosen.D])
    signature = (result.form, chosen.N, chosen.D, float(bands.point[0]))
    if st.button(t("freeze.button"), icon=":material/ac_unit:", help=t("freeze.help")):
        frozen = freeze(
            result.form,
            result.law,
            chosen.N,
            chosen.D,
            float(bands.point[0]),
            (float(bands.prediction[0.8][0][0]), float(bands.prediction[0.8][1][0])),
            (float(bands.prediction[0.95][0][0]), float(bands.prediction[0.95][1][0])),
            result.calibration.kind,
            runs_sha256(N, D, loss),
            int(N.size),
            budget=chosen.budget,
            target_name=chosen.name,
        )
        st.session_state["frozen_forecast"] = (signature, frozen)
    held = st.session_state.get("frozen_forecast")
    if held is None or held[0] != signature:
        return
    frozen: FrozenForecast = held[1]
    query = f"frozen={frozen.to_link()}" + (f"&lang={lang}" if lang != "en" else "")
    base = str(st.context.url or "").split("?")[0]
    st.success(t("freeze.done", date=frozen.date), icon=":material/ac_unit:")
    st.code(f"{base}?{query}", language=None, wrap_lines=True)
    st.download_button(
        t("freeze.download"),
        json.dumps(frozen.to_json(), indent=2),
        file_name="forecast.json",
        mime="application/json",
        icon=":material/download:",
    )


def frozen_view(token: str, labels: Mapping[str, str]) -> bool:
    """Show a frozen forecast read-only, with a box to score it. False (after a notice) when the
    link's forecast cannot be read."""
    try:
        frozen = from_link(token)
    except FreezeError as err:
        st.warning(t("freeze.bad_link", reason=escape_markdown(str(err))), icon=":material/warning:")
        return False
    st.subheader(t("freeze.title", target=escape_markdown(frozen.target_name or "")))
    st.caption(t("freeze.read_only", date=frozen.date))
    cols = st.columns(3)
    cols[0].metric(t("forecast.predicted"), f"{frozen.predicted:.4f}")
    cols[1].metric(t("forecast.band", level=80), _band_text(*frozen.pi80))
    cols[2].metric(t("forecast.band", level=95), _band_text(*frozen.pi95))
    facts = {
        t("freeze.form"): t(f"cand.{frozen.form}"),
        t("freeze.constants"): _constants_text(frozen.law),
        t("freeze.target"): f"N = {figures.count_label(frozen.N)}, D = {figures.count_label(frozen.D)}, "
        f"6ND = {figures.flops_label(frozen.C)} FLOPs",
        t("freeze.calibration"): t(f"freeze.cal_{frozen.calibration}"),
        t("freeze.runs"): t("freeze.runs_value", n=frozen.n_runs, sha=frozen.runs_sha256),
        t("freeze.date"): frozen.date,
    }
    st.dataframe(
        pd.DataFrame({labels["col.quantity"]: list(facts), labels["col.value"]: list(facts.values())}),
        hide_index=True,
        width="stretch",
    )
    observed = number(
        t("freeze.observed"), OBSERVED_RULE, "observed", None, format="%.4f", help=t("freeze.observed_help")
    )
    if observed is not None:
        result = frozen.score(float(observed))
        kind = {"80": st.success, "95": st.info, "outside": st.error}[result.band]
        kind(
            t(
                "score.line",
                observed=f"{observed:.4f}",
                pct=f"{result.error_pct:+.2f}",
                nats=f"{result.error_nats:+.4f}",
                where=t({"80": "score.in80", "95": "score.in95", "outside": "score.outside"}[result.band]),
            )
        )
    st.download_button(
        t("freeze.download"),
        json.dumps(frozen.to_json(), indent=2),
        file_name="forecast.json",
        mime="application/json",
        icon=":material/download:",
    )
    st.page_link("pages/4_Extrapolate.py", label=t("freeze.live"), icon=":material/trending_up:")
    return True
