"""Reading and validating tables of runs (pandas lives here and nowhere else in the core).

A run table needs a size N (parameters), tokens D or compute C (the missing one follows from
C = 6ND) and, to be fitted, a loss. Columns are recognised from common names; anything the
reader cannot use is reported with its row, column and value, and the row is dropped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .quantities import SUFFIXES

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
MODELS_CSV = DATA_DIR / "models.csv"
EPOCH_CSV = DATA_DIR / "chinchilla_fig4_epoch_extracted.csv"
TUTORIAL_CSV = DATA_DIR / "tutorial_example.csv"
OLMO_CSV = DATA_DIR / "olmo_ladder_runs.csv"
# The OLMo ladder's columns (data/README.md): `size` would also read as N, and c4_loss is its loss.
OLMO_COLUMNS = {"N": "params", "D": "tokens", "C": "flops", "loss": "c4_loss", "name": "run"}
TARGET_COLUMNS = ("role", "split")  # a column holding "target" marks rows to predict, not to fit
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000

ROLES = ("N", "D", "C", "loss", "name", "group", "step")
ROLE_LABELS = {
    "N": "parameters N",
    "D": "tokens D",
    "C": "compute C (FLOPs)",
    "loss": "loss",
    "name": "run name",
    "group": "group (e.g. IsoFLOP budget)",
    "step": "training step",
}
# Recognised column names, compared after lower-casing and turning spaces and dashes into _.
ALIASES: dict[str, tuple[str, ...]] = {
    "N": (
        "n",
        "params",
        "n_params",
        "num_params",
        "parameters",
        "model_size",
        "non_embedding_params",
        "nparams",
        "size",
    ),
    "D": ("d", "tokens", "n_tokens", "num_tokens", "training_tokens", "train_tokens", "data"),
    "C": ("c", "flops", "compute", "training_flop", "training_flops", "train_flops", "flop"),
    "loss": ("loss", "val_loss", "eval_loss", "final_loss", "validation_loss", "test_loss", "train_loss", "l"),
    "name": ("name", "run", "run_name", "model", "model_name", "id"),
    "group": ("group", "budget", "isoflop", "compute_group", "isoflop_budget"),
    "step": ("step", "steps", "iteration", "iter", "global_step"),
}
NUMERIC_ROLES = ("N", "D", "C", "loss", "step")


class TableError(ValueError):
    """The file as a whole cannot be read (empty, binary, too large, not a table)."""


@dataclass(frozen=True)
class Issue:
    row: int | None  # 1-based data row as a spreadsheet shows it (header is row 1), None for the file
    column: str
    value: str
    problem: str

    def text(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        value = f" {self.value!r}" if self.value != "" else ""
        return f"{where}column {self.column!r}:{value} {self.problem}"


@dataclass(frozen=True)
class ColumnMapping:
    columns: dict[str, str | None]  # role -> column name
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> candidates

    def get(self, role: str) -> str | None:
        return self.columns.get(role)


@dataclass(frozen=True)
class RunTable:
    """Validated runs: one entry per kept row."""

    N: np.ndarray
    D: np.ndarray
    C: np.ndarray
    loss: np.ndarray | None  # None when the table has no loss column (targets only)
    names: np.ndarray
    groups: np.ndarray | None
    steps: np.ndarray | None
    source_rows: np.ndarray  # 1-based spreadsheet rows of the kept runs
    issues: tuple[Issue, ...]
    n_rows: int  # rows in the file
    derived: str | None  # "D" or "C" when it came from C = 6ND
    mapping: ColumnMapping
    copies: tuple[tuple[int, int], ...] = ()  # (row, earlier row it copies): exact copies, kept or not

    @property
    def n_runs(self) -> int:
        return int(self.N.size)

    @property
    def n_dropped(self) -> int:
        return self.n_rows - self.n_runs

    def frame(self) -> pd.DataFrame:
        data = {"name": self.names, "N": self.N, "D": self.D, "C": self.C}
        if self.loss is not None:
            data["loss"] = self.loss
        if self.groups is not None:
            data["group"] = self.groups
        if self.steps is not None:
            data["step"] = self.steps
        return pd.DataFrame(data)


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def read_table(data: bytes, filename: str = "upload") -> pd.DataFrame:
    """Bytes of a CSV, TSV, JSON (array of records) or JSON-lines file -> DataFrame of strings/numbers.

    Text may be UTF-8, UTF-16 (with a byte-order mark, e.g. Excel's "Unicode text") or
    Latin-1; columns may be separated by commas, tabs or semicolons. Blank lines are skipped
    but keep their place in the row numbering (the DataFrame index is the file's data-row index).
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(f"{filename} is {len(data) / 2**20:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 2**20} MB")
    text = _decode(data, filename)
    if not text.strip():
        raise TableError(f"{filename} is empty")
    suffix = Path(filename).suffix.lower()
    stripped = text.lstrip()
    try:
        if suffix in (".json", ".jsonl", ".ndjson") or stripped[:1] in "[{":
            frame = _read_json(stripped, filename)
        else:
            header = text.split("\n", 1)[0]
            sep = _separator(header, suffix)
            _check_header(header, sep, filename)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                dtype=str,
                keep_default_na=False,
                skipinitialspace=True,
                skip_blank_lines=False,
            )
            frame = frame[~(frame == "").all(axis=1)]  # blank lines: dropped, their row numbers kept
    except TableError:
        raise
    except (ValueError, pd.errors.ParserError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise TableError(f"{filename} could not be read as a table: {first[:200]}") from None
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise TableError(f"{filename} has no data rows")
    if frame.shape[0] > MAX_ROWS:
        raise TableError(f"{filename} has {frame.shape[0]:,} rows; the limit is {MAX_ROWS:,}")
    frame.columns = [str(c) for c in frame.columns]
    _check_unique([str(c) for c in frame.columns], filename)
    return frame


def _decode(data: bytes, filename: str) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise TableError(f"{filename} starts like UTF-16 text but does not decode as UTF-16") from None
    if b"\x00" in data[:4096]:
        raise TableError(f"{filename} looks like a binary file, not a text table (CSV, TSV or JSON)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # decodes any byte


def _separator(header: str, suffix: str) -> str:
    """Tab for .tsv files or a tab in the header; else semicolon where it outnumbers commas."""
    if suffix in (".tsv", ".tab") or "\t" in header:
        return "\t"
    return ";" if header.count(";") > header.count(",") else ","


def _check_header(header: str, sep: str, filename: str) -> None:
    """Repeated names in a CSV header (pandas would rename the second 'params' to 'params.1')."""
    names = next(csv.reader([header], delimiter=sep), [])
    _check_unique([n.strip() for n in names], filename)


def _check_unique(names: list[str], filename: str) -> None:
    dupes = sorted({c for c in names if names.count(c) > 1})
    if dupes:
        raise TableError(f"{filename} has repeated column names: {', '.join(dupes)[:200]}")


def _read_json(text: str, filename: str) -> pd.DataFrame:
    """Records from a JSON array or JSON lines. Row numbers in messages are the record number
    (array) or the line number (JSON lines): the frame's index is set so that index + 2 gives it."""
    if text.startswith("{"):
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
            whole = None  # JSON lines
        if isinstance(whole, dict):
            raise TableError(f"{filename} is one JSON object; write an array of objects (one per run) or JSON lines")
    if text.startswith("["):
        records = json.loads(text)
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise TableError(f"{filename}: JSON must be an array of objects (one per run) or JSON lines")
        rows = list(range(1, len(records) + 1))
    else:
        records, rows = [], []
        for i, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    raise TableError(f"{filename}: line {i} is not valid JSON ({err.msg})") from None
                if not isinstance(record, dict):
                    raise TableError(f"{filename}: line {i} is not a JSON object")
                records.append(record)
                rows.append(i)
    # null or a missing key is an empty cell, as in a CSV; a NaN literal stays "nan" (not a number)
    records = [
        {k: "" if v is None else "nan" if isinstance(v, float) and v != v else v for k, v in r.items()} for r in records
    ]
    frame = pd.DataFrame.from_records(records).astype(object)
    frame.index = np.array(rows, dtype=np.int64) - 2
    return frame.where(frame.notna(), "")


def detect_columns(frame: pd.DataFrame) -> ColumnMapping:
    """Map roles to columns by name. A role with several matching columns is ambiguous and
    left unset (the user picks), except that an exact alias beats a partial one."""
    normalised = {c: _normalise(c) for c in frame.columns}
    columns: dict[str, str | None] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    taken: set[str] = set()
    for role in ROLES:
        hits = [c for c, n in normalised.items() if n in ALIASES[role] and c not in taken]
        if len(hits) == 1:
            columns[role] = hits[0]
            taken.add(hits[0])
        else:
            columns[role] = None
            if len(hits) > 1:
                ambiguous[role] = tuple(hits)
    return ColumnMapping(columns, ambiguous)


_SUFFIX_RE = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([kKmMbBgGtTpP]?)\s*$")


def parse_numbers(values: pd.Series) -> np.ndarray:
    """Numbers from a column of text: '7e10', '70B', '1.4T', '350M', '1,000'. Unreadable -> NaN."""
    if pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(float, copy=True)
    text = values.astype(str).str.replace(",", "", regex=False).str.replace("_", "", regex=False).str.strip()
    out = pd.to_numeric(text, errors="coerce").to_numpy(float, copy=True)
    todo = np.isnan(out) & (text != "").to_numpy()
    if todo.any():
        parts = text[todo].str.extract(_SUFFIX_RE)
        scale = parts[1].fillna("").str.lower().map(SUFFIXES).to_numpy(float)
        out[todo] = pd.to_numeric(parts[0], errors="coerce").to_numpy(float) * scale
    return out


def validate_runs(
    frame: pd.DataFrame,
    mapping: ColumnMapping | None = None,
    *,
    require_loss: bool = True,
    min_runs: int = 1,
    missing_loss_ok: bool = False,
    keep_copies: bool = False,
) -> RunTable:
    """Check every row and keep the usable runs. Raises TableError when nothing usable is left
    or a required column is missing; row-level problems become Issues and drop the row.

    missing_loss_ok: an empty loss cell marks a target to predict (loss NaN), not a bad row.
    Rows with the same N and D (and step) but another loss are replicates and are all kept.
    A row with the same N, D (and step) and loss as an earlier one is an exact copy: left out
    with an Issue, or kept when keep_copies; either way listed in RunTable.copies.
    """
    mapping = mapping or detect_columns(frame)
    col = mapping.columns
    n_rows = len(frame)
    for role, candidates in mapping.ambiguous.items():
        if col.get(role) is None and role in ("N", "D", "C", "loss"):
            raise TableError(
                f"several columns could be {ROLE_LABELS[role]}: {', '.join(candidates)}; pick one in the column mapping"
            )
    missing = []
    if col.get("N") is None:
        missing.append(ROLE_LABELS["N"])
    if col.get("D") is None and col.get("C") is None:
        missing.append("tokens D or compute C")
    if require_loss and col.get("loss") is None:
        missing.append(ROLE_LABELS["loss"])
    if missing:
        raise TableError(
            "no column for " + " and ".join(missing) + f" (columns found: {', '.join(map(str, frame.columns))[:300]})"
        )
    issues: list[Issue] = []
    rows_of = spreadsheet_rows(frame)
    bad = np.zeros(n_rows, bool)
    values: dict[str, np.ndarray] = {}
    for role in NUMERIC_ROLES:
        name = col.get(role)
        if name is None or (role == "loss" and not require_loss and name is None):
            continue
        raw = frame[name]
        v = parse_numbers(raw)
        values[role] = v
        positive = role != "step"
        empty = (raw.astype(str).str.strip() == "").to_numpy()
        if role == "loss" and missing_loss_ok:
            empty = np.zeros(n_rows, bool)  # kept as NaN: a target
        problems = [
            (~np.isfinite(v) & empty, "is empty"),
            (np.isnan(v) & ~(raw.astype(str).str.strip() == "").to_numpy(), "is not a number"),
            (np.isinf(v), "is infinite"),
            ((v == 0) if positive else np.zeros(n_rows, bool), "is zero (must be positive)"),
            ((v < 0), "is negative (must be positive)"),
        ]
        for mask, message in problems:
            rows = np.flatnonzero(mask & ~bad)
            for i in rows[:200]:  # enough to fix the file; the count below tells the rest
                issues.append(Issue(int(rows_of[i]), name, str(raw.iloc[i])[:60], message))
            if rows.size > 200:
                issues.append(Issue(None, name, "", f"{message}: {rows.size - 200} more rows"))
            bad |= mask
    N = values["N"]
    derived = None
    if "D" in values and "C" in values:
        D, C = values["D"], values["C"]
    elif "D" in values:
        D = values["D"]
        with np.errstate(over="ignore", invalid="ignore"):
            C = 6.0 * N * D
        derived = "C"
    else:
        C = values["C"]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            D = C / (6.0 * N)
        derived = "D"
    overflow = ~bad & ~(np.isfinite(C) & np.isfinite(D) & (C > 0) & (D > 0))
    for i in np.flatnonzero(overflow)[:200]:
        what = "C = 6ND" if derived == "C" else "D = C/(6N)" if derived == "D" else "C and D"
        issues.append(Issue(int(rows_of[i]), col["N"], str(frame[col["N"]].iloc[i])[:60], f"gives {what} out of range"))
    bad |= overflow
    keep = ~bad
    loss = values.get("loss")
    names = frame[col["name"]].astype(str).to_numpy() if col.get("name") else np.array([f"run {r}" for r in rows_of])
    groups = frame[col["group"]].astype(str).to_numpy() if col.get("group") else None
    steps = values.get("step")
    # Same N and D (and step) with another loss: a replicate (another seed or data order), kept.
    # Same N, D and loss as an earlier row: an exact copy, most likely pasted twice.
    loss_key = values["loss"] if "loss" in values else np.zeros(n_rows)
    key = np.stack([N, D] + ([steps] if steps is not None else []) + [loss_key], axis=1)
    kept_rows = np.flatnonzero(keep)
    frame_key = pd.DataFrame(key[keep])
    group = frame_key.groupby(list(frame_key.columns), dropna=False, sort=False).ngroup().to_numpy()
    _, first_of_group = np.unique(group, return_index=True)
    first = kept_rows[first_of_group[group]]  # per kept row: the first kept row with its key
    dup = np.zeros(n_rows, bool)
    dup[kept_rows[first != kept_rows]] = True
    first_row = np.zeros(n_rows, int)
    first_row[kept_rows] = rows_of[first]
    dup_rows = np.flatnonzero(dup)
    copies = tuple(zip(rows_of[dup_rows].tolist(), first_row[dup_rows].tolist()))
    if not keep_copies:
        what = "N, D" + (", step" if steps is not None else "") + " and loss"
        for i in dup_rows[:200]:
            issues.append(
                Issue(
                    int(rows_of[i]),
                    col["N"],
                    str(frame[col["N"]].iloc[i])[:60],
                    f"repeats row {first_row[i]} (same {what}): a probable duplicate, left out",
                )
            )
        if dup_rows.size > 200:
            issues.append(Issue(None, col["N"], "", f"probable duplicates: {dup_rows.size - 200} more rows"))
        keep &= ~dup
    issues.sort(key=lambda i: (i.row is None, i.row or 0))
    if keep.sum() < min_runs:
        raise TableError(
            f"{int(keep.sum())} usable run(s) out of {n_rows}; at least {min_runs} are needed" + _first_issues(issues)
        )
    return RunTable(
        N=N[keep],
        D=D[keep],
        C=C[keep],
        loss=None if loss is None else loss[keep],
        names=names[keep],
        groups=None if groups is None else groups[keep],
        steps=None if steps is None else steps[keep],
        source_rows=rows_of[keep],
        issues=tuple(issues),
        n_rows=n_rows,
        derived=derived,
        mapping=mapping,
        copies=tuple(copies),
    )


def spreadsheet_rows(frame: pd.DataFrame) -> np.ndarray:
    """The row each record has in the file as a spreadsheet shows it (header = row 1). read_table
    keeps the file's data-row index, so rows after a dropped blank line keep their numbers."""
    index = frame.index
    if pd.api.types.is_integer_dtype(index) and index.is_unique:
        return index.to_numpy(dtype=np.int64) + 2
    return np.arange(len(frame)) + 2


def _first_issues(issues: list[Issue], k: int = 3) -> str:
    return ("; first problems: " + "; ".join(i.text() for i in issues[:k])) if issues else ""


def identifiability_problem(runs: RunTable, n_params: int, exclude_top_loss: int = 0) -> str | None:
    """Why a joint law in N and D cannot be fitted to these runs, or None."""
    return design_problem(runs.N, runs.D, n_params, exclude_top_loss)


def design_problem(N: np.ndarray, D: np.ndarray, n_params: int, exclude_top_loss: int = 0) -> str | None:
    """Why a joint law in N and D with n_params constants cannot be fitted to runs at (N, D)
    once the `exclude_top_loss` highest losses are left out, or None."""
    need = n_params + 1
    if N.size < need:
        return f"{N.size} runs for a form with {n_params} constants: need at least {need}"
    if np.unique(np.round(np.log(N), 9)).size < 2:
        return "every run has the same N: the N exponent cannot be identified (vary the model size)"
    if np.unique(np.round(np.log(D), 9)).size < 2:
        return "every run has the same D: the D exponent cannot be identified (vary the tokens)"
    if exclude_top_loss and N.size - exclude_top_loss < need:
        return (
            f"{N.size} runs with the {exclude_top_loss} highest losses excluded leave {N.size - exclude_top_loss} "
            f"for a form with {n_params} constants: need at least {need}"
        )
    return None


# Above this |correlation| of log N and log D the runs lie nearly on one line D ∝ N^k (e.g. every
# model trained at ~20 tokens per parameter): the N and D terms are then hard to tell apart.
COLLINEAR_CORRELATION = 0.99


def design_warning(N: np.ndarray, D: np.ndarray) -> str | None:
    """Why a joint law's exponents and optimum are poorly determined by runs at (N, D), or None.

    Assumes design_problem() found nothing (several distinct N and D)."""
    x, y = np.log(np.asarray(N, dtype=float)), np.log(np.asarray(D, dtype=float))
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    r = float(np.corrcoef(x, y)[0, 1])
    if not abs(r) > COLLINEAR_CORRELATION:
        return None
    if r > 0:  # D grows with N: every model at about the same tokens per parameter
        ratio = np.exp(y - x)
        spread = f"tokens per parameter only from {ratio.min():.3g} to {ratio.max():.3g}"
        remedy = "Add runs with different tokens per parameter at the same compute budget."
    else:  # D shrinks as N grows: about one compute budget
        compute = 6.0 * np.exp(x + y)
        spread = f"compute only from {compute.min():.3g} to {compute.max():.3g} FLOPs"
        remedy = "Add runs at other compute budgets."
    return (
        f"log N and log D are almost collinear in these runs (correlation {r:.4f}; {spread}): the fit can "
        "hardly tell the N term from the D term, so the exponents and the compute-optimal allocation are "
        f"poorly determined (check the bootstrap intervals). {remedy}"
    )


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


def load_epoch_runs() -> RunTable:
    """The 245 runs digitised from Hoffmann et al. (2022) Fig. 4 by Epoch AI (data/README.md)."""
    return validate_runs(read_table(EPOCH_CSV.read_bytes(), EPOCH_CSV.name))


def tutorial_mapping(frame: pd.DataFrame) -> ColumnMapping:
    """Columns of the tutorial example: its y is a performance metric (higher is better) in a
    column named `metric`, fitted in the loss role."""
    detected = detect_columns(frame)
    return ColumnMapping({**detected.columns, "loss": "metric"}, detected.ambiguous)


def load_tutorial_runs() -> RunTable:
    """The three-row example of scaling-law tutorials (data/README.md): N, D and C grow together."""
    frame = read_table(TUTORIAL_CSV.read_bytes(), TUTORIAL_CSV.name)
    return validate_runs(frame, tutorial_mapping(frame))


def olmo_frame() -> pd.DataFrame:
    return read_table(OLMO_CSV.read_bytes(), OLMO_CSV.name)


def olmo_mapping(frame: pd.DataFrame) -> ColumnMapping:
    detected = detect_columns(frame)
    return ColumnMapping({**detected.columns, **OLMO_COLUMNS})


def load_olmo_runs(missing_loss_ok: bool = True) -> RunTable:
    """The OLMo model ladder (Bhagia et al. 2024; data/README.md): 30 ladder runs and 2 targets."""
    frame = olmo_frame()
    return validate_runs(frame, olmo_mapping(frame), require_loss=True, missing_loss_ok=missing_loss_ok)


def target_rows(frame: pd.DataFrame, runs: RunTable) -> np.ndarray:
    """Per kept run: True for a target (a row to predict, whose loss no fit may use): no loss,
    or a `role` (or `split`) column saying "target" (as in the OLMo ladder)."""
    targets = np.zeros(runs.n_runs, bool) if runs.loss is None else ~np.isfinite(runs.loss)
    names = {_normalise(c): c for c in frame.columns}
    column = next((names[c] for c in TARGET_COLUMNS if c in names), None)
    if column is not None:
        by_row = dict(zip(spreadsheet_rows(frame), frame[column].astype(str).str.strip().str.lower()))
        targets |= np.array([by_row.get(int(r)) == "target" for r in runs.source_rows], bool)
    return targets


def select_runs(runs: RunTable, keep: np.ndarray) -> RunTable:
    """The runs where `keep` is True (a boolean mask over runs.n_runs), everything else unchanged."""
    pick = lambda a: None if a is None else a[keep]  # noqa: E731
    return RunTable(
        N=runs.N[keep],
        D=runs.D[keep],
        C=runs.C[keep],
        loss=pick(runs.loss),
        names=runs.names[keep],
        groups=pick(runs.groups),
        steps=pick(runs.steps),
        source_rows=runs.source_rows[keep],
        issues=runs.issues,
        n_rows=runs.n_rows,
        derived=runs.derived,
        mapping=runs.mapping,
        copies=runs.copies,
    )


def final_steps_only(runs: RunTable) -> RunTable:
    """For tables of training curves: keep each run's last step (runs are told apart by name,
    or by N when there is no name column)."""
    if runs.steps is None:
        return runs
    ident = runs.names if runs.mapping.get("name") else runs.N.astype(str)
    order = pd.DataFrame({"id": ident, "step": runs.steps, "i": np.arange(runs.n_runs)})
    keep = np.sort(order.sort_values("step").groupby("id", sort=False).tail(1)["i"].to_numpy())
    pick = lambda a: None if a is None else a[keep]  # noqa: E731
    return RunTable(
        N=runs.N[keep],
        D=runs.D[keep],
        C=runs.C[keep],
        loss=pick(runs.loss),
        names=runs.names[keep],
        groups=pick(runs.groups),
        steps=runs.steps[keep],
        source_rows=runs.source_rows[keep],
        issues=runs.issues,
        n_rows=runs.n_rows,
        derived=runs.derived,
        mapping=runs.mapping,
        copies=runs.copies,
    )
