"""Bringing runs into a page: built-in data sets or an upload, column mapping, fixes, validation.

The uploaded file stays in this session (Streamlit keeps uploads per session); nothing about
it goes into the URL. Every message about the file is plain text: values, column names and
file names are escaped before they reach Markdown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from scaling_core.io import (
    EPOCH_CSV,
    MAX_UPLOAD_BYTES,
    ROLES,
    TUTORIAL_CSV,
    ColumnMapping,
    RunTable,
    TableError,
    detect_columns,
    final_steps_only,
    olmo_frame,
    olmo_mapping,
    read_table,
    select_runs,
    target_rows,
    tutorial_mapping,
    validate_runs,
)
from scaling_core.synthetic import demo_runs
from ui.i18n import t
from ui.memo import memoize
from ui.state import Choice, choice, show_url_notices
from ui.text import escape_markdown

SOURCES = ("epoch", "olmo", "demo", "tutorial", "upload")
# The form a data set opens with on the Fit page (the tutorial example is the tutorials' multiplicative law).
DEFAULT_FORM = {"tutorial": "multiplicative"}
SOURCE_RULE = Choice(SOURCES)
COPIES_RULE = Choice(("drop", "keep"))  # exact copies of a run (same N, D and loss)
NONE = "—"
EDITABLE_ROWS = 5000  # larger tables are shown read-only (the editor ships every cell to the browser)


@dataclass(frozen=True)
class LoadedRuns:
    runs: RunTable
    label: str  # e.g. "Hoffmann et al. 2022 Fig. 4 (Epoch AI)" or the file name
    key: str  # content hash: identifies the data for caches, never shown
    source: str  # one of SOURCES
    targets: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # per run: a target, not to fit

    @property
    def default_exclude(self) -> int:
        """Runs to leave out by default: Besiroglu et al.'s 5 highest losses for Hoffmann's data."""
        return default_exclude(self.source)


def default_exclude(source: str) -> int:
    return 5 if source == "epoch" else 0


def form_for_source(source: str, otherwise: str = "chinchilla") -> str:
    return DEFAULT_FORM.get(source, otherwise)


def _on_source_change() -> None:
    # The exclusion default, the held-out runs and the form's default belong to the data set.
    new = st.session_state["data"]
    if "form" in st.session_state and (new in DEFAULT_FORM or st.session_state["form"] in DEFAULT_FORM.values()):
        st.session_state["form"] = form_for_source(new)
    if "exclude" in st.session_state:
        st.session_state["exclude"] = default_exclude(new)
    if "hold" in st.session_state:
        st.session_state["hold"] = []


@st.cache_data(max_entries=8, show_spinner=False)
def _frame_from_bytes(data: bytes, name: str) -> pd.DataFrame:
    return read_table(data, name)


@st.cache_data(max_entries=4, show_spinner=False)
def _builtin_frame(source: str) -> pd.DataFrame:
    if source == "epoch":
        return read_table(EPOCH_CSV.read_bytes(), EPOCH_CSV.name)
    if source == "tutorial":
        return read_table(TUTORIAL_CSV.read_bytes(), TUTORIAL_CSV.name)
    if source == "olmo":
        return olmo_frame()
    return pd.DataFrame(demo_runs())


def _mapping_widgets(frame: pd.DataFrame, detected: ColumnMapping, key: str) -> ColumnMapping:
    options = [NONE] + list(frame.columns)
    chosen = {}
    cols = st.columns(4)
    for i, role in enumerate(ROLES):
        default = detected.get(role)
        with cols[i % 4]:
            picked = st.selectbox(
                t(f"role.{role}"),
                options,
                index=options.index(default) if default in options else 0,
                key=f"map_{role}_{key}",
                help=t("fit.ambiguous", candidates=", ".join(detected.ambiguous[role]))
                if role in detected.ambiguous
                else None,
            )
        chosen[role] = None if picked == NONE else picked
    return ColumnMapping(chosen, detected.ambiguous)


def _copies_choice() -> str:
    """keep or drop exact copies: the widget's state, else the URL's, else drop (the widget itself
    is drawn only when the table has copies, after validation)."""
    value = st.session_state.get("copies")
    if value is None:
        raw = st.query_params.get_all("copies")
        value = raw[-1] if raw and COPIES_RULE.problem(raw) is None else "drop"
    return value


def runs_input(require_loss: bool = True, targets: bool = False) -> LoadedRuns | None:
    """Draw the data controls; return validated runs, or None after showing what is wrong.

    targets: keep rows to predict (no loss, or a `role` column saying "target") and mark them in
    LoadedRuns.targets; otherwise rows marked as targets are set aside and rows without a loss
    are problems."""
    source = choice(
        t("fit.source"),
        SOURCE_RULE,
        "data",
        "epoch",
        lambda s: t(f"source.{s}"),
        st.radio,
        horizontal=True,
        on_change=_on_source_change,
    )
    if source == "upload":
        upload = st.file_uploader(
            t("fit.upload"),
            type=["csv", "tsv", "txt", "json", "jsonl", "ndjson"],
            key="upload",
            help=t("fit.upload_help", mb=MAX_UPLOAD_BYTES // 2**20),
        )
        if upload is None:
            st.info(t("fit.no_file"), icon=":material/upload_file:")
            return None
        data = upload.getvalue()
        label = upload.name
        try:
            frame = _frame_from_bytes(data, upload.name)
        except TableError as err:
            st.error(escape_markdown(str(err)), icon=":material/error:")
            return None
        key = hashlib.sha256(data).hexdigest()[:16]
    else:
        frame = _builtin_frame(source)
        label = t(f"source.{source}")
        key = source
    mappings = {"tutorial": tutorial_mapping, "olmo": olmo_mapping}
    detected = mappings[source](frame) if source in mappings else detect_columns(frame)
    with st.expander(t("fit.columns"), expanded=source == "upload"):
        mapping = _mapping_widgets(frame, detected, key)
        if len(frame) <= EDITABLE_ROWS:
            edited = st.data_editor(frame, num_rows="dynamic", key=f"editor_{key}", height=240, width="stretch")
            st.caption(t("fit.editor_help"))
        else:
            edited = frame
            st.dataframe(frame.head(1000), height=240, width="stretch")
            st.caption(t("fit.too_big_to_edit", rows=EDITABLE_ROWS))
    key += "" if edited is frame or edited.equals(frame) else "-edited-" + _frame_digest(edited)
    key += "|" + ",".join(f"{r}={c}" for r, c in mapping.columns.items())
    keep_copies = _copies_choice() == "keep"
    key += "|copies" if keep_copies else ""
    try:
        runs = _validated(key, require_loss, targets, keep_copies, _frame=edited, _mapping=mapping)
    except TableError as err:
        st.error(escape_markdown(str(err)), icon=":material/error:")
        return None
    target_mask = target_rows(edited, runs)
    set_aside = 0
    if not targets and target_mask.any():  # e.g. the OLMo ladder's two large runs on the Fit page
        set_aside = int(target_mask.sum())
        runs = select_runs(runs, ~target_mask)
        target_mask = np.zeros(runs.n_runs, bool)
        key += "|no-targets"
    if runs.steps is not None and st.checkbox(t("fit.final_steps"), value=True, key="final", bind="query-params"):
        runs = final_steps_only(runs)
        key += "|final"
        target_mask = target_rows(edited, runs) if targets else np.zeros(runs.n_runs, bool)
    notes = [t("fit.loaded", n=runs.n_runs, rows=runs.n_rows, label=escape_markdown(label))]
    if runs.derived:
        notes.append(t(f"fit.derived_{runs.derived}"))
    if set_aside:
        notes.append(t("data.targets_set_aside", n=set_aside))
    st.caption(" ".join(notes))
    if source == "olmo":
        st.caption(t("source.olmo_credit"))
    if runs.copies:
        show_url_notices({"copies": COPIES_RULE})
        choice(
            t("data.copies", n=len(runs.copies)),
            COPIES_RULE,
            "copies",
            "drop",
            lambda v: t(f"copies.{v}"),
            st.radio,
            horizontal=True,
            help=t("data.copies_help"),
        )
    if runs.issues:
        st.warning(t("fit.dropped", n=runs.n_dropped), icon=":material/rule:")
        with st.expander(t("fit.problems", n=len(runs.issues))):
            st.dataframe(
                pd.DataFrame(
                    [{"row": i.row, "column": i.column, "value": i.value, "problem": i.problem} for i in runs.issues]
                ),
                hide_index=True,
                width="stretch",
            )
    return LoadedRuns(runs, label, key, source, target_mask)


@memoize(max_entries=8)
def _validated(
    key: str, require_loss: bool, targets: bool, keep_copies: bool, *, _frame: pd.DataFrame, _mapping: ColumnMapping
) -> RunTable:
    # Keyed by the content hash (plus edits and column choice): st.cache_data would hash a large
    # DataFrame from a sample of its rows, and two uploads differing elsewhere would collide.
    return validate_runs(_frame, _mapping, require_loss=require_loss, missing_loss_ok=targets, keep_copies=keep_copies)


def _frame_digest(frame: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).values.tobytes()).hexdigest()[:16]
