"""Reading and validating run tables (scaling_core.io) against a corpus of broken and good files.

Every file in tests/data/bad_inputs/ is tiny and named for what is wrong with it (good_* files
are fine). For each one the test says exactly what must happen: a TableError whose message names
the file and the problem, or a RunTable whose issues name the spreadsheet row (header = row 1),
the column and the value, with the bad rows dropped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scaling_core import io as sio
from scaling_core.io import (
    ColumnMapping,
    Issue,
    RunTable,
    TableError,
    design_warning,
    detect_columns,
    identifiability_problem,
    load_epoch_runs,
    parse_numbers,
    read_table,
    validate_runs,
)
from scaling_core.synthetic import isoflop_design

BAD = Path(__file__).resolve().parent / "data" / "bad_inputs"


def load(name: str, **kwargs) -> RunTable:
    return validate_runs(read_table((BAD / name).read_bytes(), name), **kwargs)


def read_error(name: str, data: bytes | None = None) -> str:
    with pytest.raises(TableError) as err:
        read_table((BAD / name).read_bytes() if data is None else data, name)
    return str(err.value)


def validate_error(name: str, **kwargs) -> str:
    frame = read_table((BAD / name).read_bytes(), name)
    with pytest.raises(TableError) as err:
        validate_runs(frame, **kwargs)
    return str(err.value)


def issue_tuples(runs: RunTable) -> list[tuple]:
    return [(i.row, i.column, i.value, i.problem) for i in runs.issues]


# --------------------------------------------------------------------------------------------
# The corpus itself


def test_corpus_is_small_and_complete():
    names = {p.name for p in BAD.iterdir()}
    expected = {
        "empty.csv",
        "only_header.csv",
        "binary.bin",
        "non_numeric.csv",
        "zero_params.csv",
        "negative_loss.csv",
        "nan_and_inf.csv",
        "duplicate_runs.csv",
        "one_model_size.csv",
        "one_token_count.csv",
        "too_few_runs.csv",
        "missing_loss_column.csv",
        "ambiguous_columns.csv",
        "hostile_columns.csv",
        "hostile_columns_no_loss.csv",
        "hostile_values.csv",
        "hostile_values_all_bad.csv",
        "hostile_names.csv",
        "semicolon.csv",
        "array_not_records.json",
        "bad_jsonlines.jsonl",
        "utf16.csv",
        "good_suffixes.csv",
        "good.tsv",
        "good_records.json",
        "good_lines.jsonl",
        "good_compute_only.csv",
        "good_model_size.csv",
    }
    assert expected <= names
    assert all((BAD / n).stat().st_size < 2000 for n in names)
    assert b"\x00" in (BAD / "binary.bin").read_bytes()
    assert (BAD / "utf16.csv").read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")


# --------------------------------------------------------------------------------------------
# Whole-file errors: TableError naming the file and the problem


@pytest.mark.parametrize(
    "name, expected",
    [
        ("empty.csv", "empty.csv is empty"),
        ("only_header.csv", "only_header.csv has no data rows"),
        ("binary.bin", "binary.bin looks like a binary file, not a text table (CSV, TSV or JSON)"),
        (
            "array_not_records.json",
            "array_not_records.json: JSON must be an array of objects (one per run) or JSON lines",
        ),
        ("bad_jsonlines.jsonl", "bad_jsonlines.jsonl: line 2 is not valid JSON (Expecting ',' delimiter)"),
    ],
)
def test_unreadable_files_raise_a_named_error(name, expected):
    assert read_error(name) == expected


def test_whitespace_only_file_is_empty():
    assert read_error("blank.csv", b" \n\t\r\n  ") == "blank.csv is empty"


def test_nul_byte_past_the_sniffed_prefix_is_not_called_binary():
    # Only the first 4 KiB are sniffed; a later NUL makes a cell unreadable instead.
    data = b"params,tokens,loss\n" + b"".join(b"%de6,2e10,2.9\n" % (i + 1) for i in range(400)) + b"2e9,4e10,2.\x008\n"
    assert b"\x00" not in data[:4096]
    runs = validate_runs(read_table(data, "late_nul.csv"))
    assert runs.n_runs == 400 and runs.n_rows == 401 and len(runs.issues) == 1
    assert any(i.row == 402 and i.column == "loss" and i.problem == "is not a number" for i in runs.issues)


def test_ragged_csv_names_the_line():
    msg = read_error("ragged.csv", b"params,tokens,loss\n1e9,2e10,2.9\n2e9,4e10,2.8,9\n")
    assert msg.startswith("ragged.csv could not be read as a table: ")
    assert "Expected 3 fields in line 3, saw 4" in msg


def test_unterminated_quote_is_a_table_error():
    msg = read_error("quote.csv", b'"params,tokens,loss\n1e9,2e10,2.9\n')
    assert msg.startswith("quote.csv could not be read as a table: ")
    assert "EOF inside string" in msg


def test_invalid_json_array_is_a_table_error():
    msg = read_error("broken.json", b'[{"params": 1e9, "tokens": 2e10, "loss": 2.9},')
    assert msg.startswith("broken.json could not be read as a table: ")


def test_json_lines_with_a_non_object_line():
    msg = read_error("lines.jsonl", b'{"params": 1e9, "tokens": 2e10, "loss": 2.9}\n[1, 2, 3]\n')
    assert msg == "lines.jsonl: line 2 is not a JSON object"


def test_size_limit(monkeypatch):
    monkeypatch.setattr(sio, "MAX_UPLOAD_BYTES", 1000)
    ok = b"params,tokens,loss\n" + b"1e9,2e10,2.9\n" * ((1000 - 19) // 13)
    assert len(ok) <= 1000
    assert len(read_table(ok, "fits.csv")) == (1000 - 19) // 13
    too_big = ok + b"2e9,4e10,2.8\n" * 2
    assert len(too_big) > 1000
    msg = read_error("too_big.csv", too_big)
    assert msg.startswith("too_big.csv is ") and "the limit is" in msg


def test_size_limit_message_matches_the_uploader_help():
    # The help text of the file uploader (ui/run_input.py) promises "Up to {MAX_UPLOAD_BYTES // 2**20} MB".
    promised = f"{sio.MAX_UPLOAD_BYTES // 2**20} MB"
    msg = read_error("big.csv", b"x" * (sio.MAX_UPLOAD_BYTES + 1))  # in memory only, never written
    assert f"the limit is {promised}" in msg, msg


def test_row_limit(monkeypatch):
    monkeypatch.setattr(sio, "MAX_ROWS", 3)
    assert len(read_table(b"params,tokens,loss\n1,2,3\n4,5,6\n7,8,9\n", "three.csv")) == 3
    msg = read_error("four.csv", b"params,tokens,loss\n1,2,3\n4,5,6\n7,8,9\n1,1,1\n")
    assert msg == "four.csv has 4 rows; the limit is 3"


def test_utf16_csv_is_read_or_named_as_utf16():
    data = (BAD / "utf16.csv").read_bytes()
    try:
        frame = read_table(data, "utf16.csv")
    except TableError as err:
        assert "UTF-16" in str(err), str(err)
    else:
        runs = validate_runs(frame)
        np.testing.assert_allclose(runs.N, [1e9, 2e9])
        np.testing.assert_allclose(runs.loss, [2.9, 2.8])


def test_repeated_column_names_are_rejected():
    msg = read_error("repeated.csv", b"params,params,tokens,loss\n1e9,2e9,2e10,2.9\n")
    assert msg == "repeated.csv has repeated column names: params"


# --------------------------------------------------------------------------------------------
# Missing or unclear columns: TableError listing the columns found


def test_missing_loss_column():
    msg = validate_error("missing_loss_column.csv")
    assert msg == "no column for loss (columns found: params, tokens, accuracy)"
    # The same table is fine when loss is not required (targets only).
    runs = load("missing_loss_column.csv", require_loss=False)
    assert runs.loss is None and runs.n_runs == 2


def test_semicolon_separated_file_is_read():
    # Spreadsheets in many locales save "CSV" with semicolons: the columns are found.
    runs = load("semicolon.csv")
    assert runs.mapping.get("N") == "params" and runs.mapping.get("loss") == "loss"
    assert runs.n_runs >= 1 and not runs.issues


def test_ambiguous_columns_leave_the_role_unset():
    frame = read_table((BAD / "ambiguous_columns.csv").read_bytes(), "ambiguous_columns.csv")
    mapping = detect_columns(frame)
    assert mapping.get("N") is None
    assert mapping.ambiguous == {"N": ("params", "n_params")}
    assert mapping.get("D") == "tokens" and mapping.get("loss") == "loss"
    msg = validate_error("ambiguous_columns.csv")
    assert "params, n_params" in msg
    # Once the user picks one, the table validates with that column.
    picked = ColumnMapping({**mapping.columns, "N": "n_params"}, mapping.ambiguous)
    runs = validate_runs(frame, picked)
    np.testing.assert_allclose(runs.N, [9e8, 1.8e9])


def test_ambiguous_columns_message_names_the_ambiguity():
    msg = validate_error("ambiguous_columns.csv")
    assert not msg.startswith("no column for parameters N"), msg
    assert "params" in msg and "n_params" in msg


def test_hostile_column_names_are_kept_verbatim_and_ignored():
    frame = read_table((BAD / "hostile_columns.csv").read_bytes(), "hostile_columns.csv")
    assert list(frame.columns[:4]) == [
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        ":material/warning:",
        "$x^2$",
    ]
    mapping = detect_columns(frame)
    assert (mapping.get("N"), mapping.get("D"), mapping.get("loss")) == ("params", "tokens", "loss")
    assert mapping.get("name") is None and not mapping.ambiguous
    runs = validate_runs(frame, mapping)
    assert runs.n_runs == 10 and not runs.issues and runs.derived == "C"
    assert identifiability_problem(runs, 5) is None


def test_hostile_column_names_in_the_missing_column_message():
    msg = validate_error("hostile_columns_no_loss.csv")
    assert msg == (
        "no column for loss (columns found: <img src=x onerror=alert(1)>, [click](javascript:alert(1)), "
        ":material/warning:, $x^2$, params, tokens)"
    )


# --------------------------------------------------------------------------------------------
# Row-level problems: Issue(row, column, value, problem), row dropped


@pytest.mark.parametrize(
    "name, issues, kept_rows",
    [
        (
            "non_numeric.csv",
            [(3, "params", "two billion", "is not a number"), (4, "loss", "abc", "is not a number")],
            [2, 5],
        ),
        ("zero_params.csv", [(3, "params", "0", "is zero (must be positive)")], [2, 4]),
        ("negative_loss.csv", [(3, "loss", "-2.8", "is negative (must be positive)")], [2, 4]),
        (
            "nan_and_inf.csv",
            [(3, "loss", "nan", "is not a number"), (4, "tokens", "inf", "is infinite"), (5, "loss", "", "is empty")],
            [2, 6],
        ),
        (
            "duplicate_runs.csv",
            [(6, "params", "1e9", "repeats row 2 (same N, D and loss): a probable duplicate, left out")],
            [2, 3, 4, 5],
        ),
        ("hostile_values.csv", [(3, "loss", "![x](http://evil.example/x.png)", "is not a number")], [2, *range(4, 12)]),
    ],
)
def test_bad_rows_are_named_and_dropped(name, issues, kept_rows):
    runs = load(name)
    assert issue_tuples(runs) == issues
    np.testing.assert_array_equal(runs.source_rows, kept_rows)
    assert runs.n_runs == len(kept_rows)
    assert runs.n_dropped == runs.n_rows - len(kept_rows) == len({i[0] for i in issues})
    assert runs.N.size == runs.D.size == runs.C.size == runs.loss.size == runs.names.size == len(kept_rows)
    assert np.all(np.isfinite(runs.N) & (runs.N > 0) & np.isfinite(runs.loss) & (runs.loss > 0))


def test_kept_values_are_the_right_rows():
    runs = load("non_numeric.csv")
    np.testing.assert_allclose(runs.N, [1e9, 8e9])
    np.testing.assert_allclose(runs.D, [2e10, 1.6e11])
    np.testing.assert_allclose(runs.loss, [2.9, 2.5])
    np.testing.assert_array_equal(runs.names, ["run 2", "run 5"])  # default names follow spreadsheet rows
    runs = load("duplicate_runs.csv")  # '1e9' and '1000000000' and 20B are the same N and D
    np.testing.assert_allclose(runs.loss, [2.9, 2.8, 2.95, 3.0])  # replicates kept, the exact copy dropped


def test_issue_text_names_row_column_and_value():
    runs = load("hostile_values.csv")
    assert [i.text() for i in runs.issues] == [
        "row 3, column 'loss': '![x](http://evil.example/x.png)' is not a number"
    ]
    assert Issue(5, "loss", "", "is empty").text() == "row 5, column 'loss': is empty"
    assert Issue(None, "N", "", "is zero: 3 more rows").text() == "column 'N': is zero: 3 more rows"


def test_no_usable_rows_lists_the_first_problems():
    msg = validate_error("hostile_values_all_bad.csv")
    assert msg == (
        "0 usable run(s) out of 2; at least 1 are needed; first problems: "
        "row 2, column 'params': '<img src=x onerror=alert(1)>' is not a number; "
        "row 3, column 'params': ':material/warning:' is not a number"
    )


def test_min_runs_is_enforced():
    msg = validate_error("zero_params.csv", min_runs=3)
    assert msg.startswith("2 usable run(s) out of 3; at least 3 are needed; first problems: row 3, column 'params'")


def test_values_are_cut_to_60_characters():
    long = "x" * 100
    runs = validate_runs(read_table(f"params,tokens,loss\n1e9,2e10,2.9\n2e9,4e10,{long}\n".encode(), "long.csv"))
    assert issue_tuples(runs) == [(3, "loss", "x" * 60, "is not a number")]


def test_short_row_is_an_empty_cell():
    runs = validate_runs(read_table(b"params,tokens,loss\n1e9,2e10,2.9\n2e9,4e10\n", "short.csv"))
    assert issue_tuples(runs) == [(3, "loss", "", "is empty")]


def test_crlf_and_bom_are_handled():
    data = b"\xef\xbb\xbfparams,tokens,loss\r\n1e9,2e10,2.9\r\n2e9,-4e10,2.8\r\n"
    runs = validate_runs(read_table(data, "excel.csv"))
    assert runs.mapping.get("N") == "params"  # the BOM is not part of the first column name
    assert issue_tuples(runs) == [(3, "tokens", "-4e10", "is negative (must be positive)")]


def test_latin1_file_is_read():
    data = "params\ttokens\tloss\n1e9\t2e10\t2.9\n2e9\t4e10\té\n".encode("latin-1")
    runs = validate_runs(read_table(data, "latin1.txt"))
    assert issue_tuples(runs) == [(3, "loss", "é", "is not a number")]


def test_overflow_and_underflow_are_named():
    data = b"params,tokens,loss\n1e9,2e10,2.9\n2e9,4e10,1e400\n3e9,1e-400,2\n"
    runs = validate_runs(read_table(data, "extreme.csv"))
    assert issue_tuples(runs) == [
        (3, "loss", "1e400", "is infinite"),
        (4, "tokens", "1e-400", "is zero (must be positive)"),
    ]


def test_blank_line_keeps_spreadsheet_row_numbers():
    data = b"params,tokens,loss\n1e9,2e10,2.9\n\n2e9,abc,2.8\n"
    runs = validate_runs(read_table(data, "gap.csv"))
    assert issue_tuples(runs) == [(4, "tokens", "abc", "is not a number")]


def test_json_null_is_an_empty_cell():
    data = b'[{"params": 1e9, "tokens": 2e10, "loss": 2.9}, {"params": 2e9, "tokens": 4e10, "loss": null}]'
    frame = read_table(data, "targets.json")
    runs = validate_runs(frame)
    assert issue_tuples(runs) == [(2, "loss", "", "is empty")]  # JSON rows are record numbers
    targets = validate_runs(frame, require_loss=False, missing_loss_ok=True)
    assert targets.n_runs == 2 and np.isnan(targets.loss[1])  # as with an empty CSV cell


def test_empty_csv_loss_is_a_target_when_allowed():
    frame = read_table(b"params,tokens,loss\n1e9,2e10,2.9\n2e9,4e10,\n", "targets.csv")
    runs = validate_runs(frame, require_loss=False, missing_loss_ok=True)
    assert runs.n_runs == 2 and not runs.issues
    assert runs.loss[0] == 2.9 and np.isnan(runs.loss[1])


def test_json_nan_and_infinity_are_named():
    data = (
        b'[{"params": 1e9, "tokens": 2e10, "loss": NaN}, {"params": 2e9, "tokens": Infinity, "loss": 2.8},'
        b' {"params": 3e9, "tokens": 3e10, "loss": 2.7}]'
    )
    runs = validate_runs(read_table(data, "nan.json"))
    assert issue_tuples(runs) == [(1, "loss", "nan", "is not a number"), (2, "tokens", "inf", "is infinite")]
    np.testing.assert_array_equal(runs.source_rows, [3])


def test_more_than_200_bad_rows_are_summarised():
    n = 260
    frame = pd.DataFrame(
        {"params": ["0"] * n + ["1e9"], "tokens": [f"{i + 1}e9" for i in range(n + 1)], "loss": ["2.5"] * (n + 1)}
    )
    runs = validate_runs(frame)
    assert runs.n_runs == 1 and runs.n_dropped == n
    assert len(runs.issues) == 201
    assert runs.issues[0] == Issue(2, "params", "0", "is zero (must be positive)")
    assert runs.issues[199].row == 201
    assert runs.issues[-1] == Issue(None, "params", "", "is zero (must be positive): 60 more rows")


# --------------------------------------------------------------------------------------------
# Identifiability: too few runs, one N, one D


@pytest.mark.parametrize(
    "name, n_params, expected",
    [
        ("too_few_runs.csv", 5, "3 runs for a form with 5 constants: need at least 6"),
        ("too_few_runs.csv", 4, "3 runs for a form with 4 constants: need at least 5"),
        (
            "one_model_size.csv",
            5,
            "every run has the same N: the N exponent cannot be identified (vary the model size)",
        ),
        ("one_token_count.csv", 5, "every run has the same D: the D exponent cannot be identified (vary the tokens)"),
    ],
)
def test_identifiability_problem(name, n_params, expected):
    runs = load(name)
    assert not runs.issues  # every row is fine on its own
    assert identifiability_problem(runs, n_params) == expected


def test_identifiable_table_has_no_problem():
    runs = load("hostile_values.csv")  # nine runs with varied N and D
    assert identifiability_problem(runs, 5) is None
    assert identifiability_problem(runs, 8) is None
    assert identifiability_problem(runs, 9) == "9 runs for a form with 9 constants: need at least 10"


def test_collinear_design_is_warned_about():
    N = np.logspace(7, 10, 12)
    wobble = np.where(np.arange(12) % 2, 1.25, 0.8)  # 16 to 25 tokens per parameter
    message = design_warning(N, 20 * N * wobble)
    assert message and "almost collinear" in message and "from 16 to 25" in message
    assert "from 20 to 20" in design_warning(N, 20 * N)  # every model at 20 tokens per parameter
    one_budget = design_warning(N, 1e20 / (6 * N))  # D ∝ 1/N, correlation -1
    assert "compute only from 1e+20 to 1e+20 FLOPs" in one_budget and "other compute budgets" in one_budget


def test_designs_that_separate_n_and_d_are_not_warned_about():
    N, D = isoflop_design(np.logspace(18, 20, 4), 8)  # several budgets, several sizes at each
    assert design_warning(N, D) is None
    runs = load_epoch_runs()
    assert design_warning(runs.N, runs.D) is None
    # D varied 10x at each of three sizes: still far from one line
    N3 = np.repeat([1e8, 1e9, 1e10], 4)
    assert design_warning(N3, 20 * N3 * np.tile([0.3, 1, 3, 10], 3)) is None


def test_too_few_after_dropping_duplicates():
    runs = load("duplicate_runs.csv")
    assert identifiability_problem(runs, 5) == "4 runs for a form with 5 constants: need at least 6"


def test_exact_copies_can_be_kept_and_are_listed_either_way():
    frame = read_table((BAD / "duplicate_runs.csv").read_bytes(), "duplicate_runs.csv")
    dropped = validate_runs(frame)
    kept = validate_runs(frame, keep_copies=True)
    assert dropped.copies == kept.copies == ((6, 2),)
    assert kept.n_runs == 5 and kept.issues == () and dropped.n_runs == 4
    np.testing.assert_array_equal(kept.source_rows, [2, 3, 4, 5, 6])


def test_replicates_with_steps_and_targets():
    """Same N, D and step with another loss: replicates; a copied target (no loss) is a copy."""
    csv = b"N,D,step,loss\n1e9,2e10,100,2.9\n1e9,2e10,100,2.91\n1e9,2e10,200,2.9\n1e9,2e10,100,2.91\n2e9,4e10,1,\n2e9,4e10,1,\n"
    runs = validate_runs(read_table(csv, "r.csv"), missing_loss_ok=True)
    np.testing.assert_array_equal(runs.source_rows, [2, 3, 4, 6])
    assert runs.copies == ((5, 3), (7, 6))


# --------------------------------------------------------------------------------------------
# Good files: every format and spelling the reader promises


def test_good_suffixes():
    runs = load("good_suffixes.csv")
    assert not runs.issues and runs.derived is None  # both tokens and flops given
    np.testing.assert_allclose(runs.N, [70e9, 350e6, 1e6, 1.3e9])
    np.testing.assert_allclose(runs.D, [1.4e12, 7e9, 2e7, 2.6e10])
    np.testing.assert_allclose(runs.C, [5.88e23, 1.47e19, 1.2e14, 3e21])
    np.testing.assert_array_equal(runs.names, ["chinchilla", "small", "tiny", "mid"])


@pytest.mark.parametrize(
    "name, columns",
    [
        ("good.tsv", ("n_params", "n_tokens", "val_loss")),
        ("good_records.json", ("params", "tokens", "loss")),
        ("good_lines.jsonl", ("params", "tokens", "loss")),
        ("good_model_size.csv", ("Model Size", "Training Tokens", "Final Loss")),
    ],
)
def test_good_formats(name, columns):
    runs = load(name)
    assert (runs.mapping.get("N"), runs.mapping.get("D"), runs.mapping.get("loss")) == columns
    assert not runs.issues and runs.n_runs == runs.n_rows == 3
    np.testing.assert_allclose(runs.N, [1e9, 2e9, 4e9])
    np.testing.assert_allclose(runs.D, [2e10, 4e10, 8e10])
    np.testing.assert_allclose(runs.loss, [2.9, 2.8, 2.6])
    assert runs.derived == "C"
    np.testing.assert_allclose(runs.C, 6 * runs.N * runs.D)


def test_good_compute_only_derives_tokens():
    runs = load("good_compute_only.csv")
    assert runs.mapping.get("C") == "flops" and runs.mapping.get("D") is None
    assert runs.derived == "D" and not runs.issues
    np.testing.assert_allclose(runs.C, [3e21, 1.2e20, 6e19])
    np.testing.assert_allclose(runs.D, np.array([3e21, 1.2e20, 6e19]) / (6 * np.array([1e9, 2e9, 5e8])))
    np.testing.assert_allclose(runs.D, [5e11, 1e10, 2e10])


def test_tab_in_the_first_line_means_tsv_whatever_the_name():
    frame = read_table((BAD / "good.tsv").read_bytes(), "runs.txt")
    assert list(frame.columns) == ["n_params", "n_tokens", "val_loss"]


def test_json_is_recognised_by_content():
    frame = read_table((BAD / "good_records.json").read_bytes(), "upload")
    assert list(frame.columns) == ["name", "params", "tokens", "loss"] and len(frame) == 3


def test_frame_keeps_the_validated_runs():
    frame = load("good_suffixes.csv").frame()
    assert list(frame.columns) == ["name", "N", "D", "C", "loss"]
    assert frame["N"].tolist() == [70e9, 350e6, 1e6, 1.3e9]


def test_epoch_data():
    runs = load_epoch_runs()
    assert runs.n_runs == runs.n_rows == 245 and not runs.issues
    assert runs.mapping.get("N") == "Model Size" and runs.mapping.get("C") == "Training FLOP"
    assert runs.derived == "D"
    np.testing.assert_allclose(runs.D, runs.C / (6 * runs.N))
    assert 1e7 < runs.N.min() < runs.N.max() < 2e10
    assert identifiability_problem(runs, 10) is None


# --------------------------------------------------------------------------------------------
# parse_numbers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", np.nan),
        ("nan", np.nan),
        ("NaN", np.nan),
        ("inf", np.inf),
        ("-inf", -np.inf),
        ("-1", -1.0),
        ("1e400", np.inf),
        ("1e-400", 0.0),
        ("70B", 7e10),
        ("1.4T", 1.4e12),
        ("350M", 3.5e8),
        ("1.5k", 1.5e3),
        ("2G", 2e9),
        ("1P", 1e15),
        ("3e21", 3e21),
        ("1,000,000", 1e6),
        ("1_000", 1e3),
        (" 5 ", 5.0),
        (".5", 0.5),
        ("+3", 3.0),
        ("abc", np.nan),
        ("0x10", np.nan),
        ("1 000", np.nan),
        ("70 B", 7e10),
        ("70BB", np.nan),
        ("![x](http://evil.example/x.png)", np.nan),
    ],
)
def test_parse_numbers(text, expected):
    (value,) = parse_numbers(pd.Series([text], dtype=object))
    if np.isnan(expected):
        assert np.isnan(value)
    else:
        assert value == pytest.approx(expected, rel=1e-12)


def test_parse_numbers_keeps_numeric_columns():
    out = parse_numbers(pd.Series([1.0, np.nan, 3]))
    np.testing.assert_array_equal(out, [1.0, np.nan, 3.0])
    mixed = parse_numbers(pd.Series([1e9, "70B", "", None], dtype=object))
    np.testing.assert_array_equal(mixed[:2], [1e9, 7e10])
    assert np.isnan(mixed[2:]).all()


# --------------------------------------------------------------------------------------------
# A large table (correctness only)


def test_100k_rows_validate():
    n = 100_000
    rng = np.random.default_rng(0)
    N = 10 ** rng.uniform(7, 10, n)
    D = 10 ** rng.uniform(9, 12, n)
    loss = 1.8 + 480 / N**0.35 + 2000 / D**0.37
    frame = pd.DataFrame({"params": [f"{v:.10g}" for v in N], "tokens": [f"{v:.10g}" for v in D]})
    frame["loss"] = [f"{v:.6f}" for v in loss]
    frame.loc[10, "params"] = "-5"
    frame.loc[50_000, "loss"] = "oops"
    frame.loc[99_999, "tokens"] = ""
    columns = ["params", "tokens", "loss"]
    frame.loc[77_777, columns] = frame.loc[5, columns].to_numpy()  # an exact copy of row 7: dropped
    frame.loc[66_666, columns[:2]] = frame.loc[6, columns[:2]].to_numpy()  # a replicate of row 8: kept
    runs = validate_runs(frame)
    assert runs.n_rows == n and runs.n_runs == n - 4 and runs.n_dropped == 4
    assert [(i.row, i.column, i.problem) for i in runs.issues] == [
        (12, "params", "is negative (must be positive)"),
        (50_002, "loss", "is not a number"),
        (77_779, "params", "repeats row 7 (same N, D and loss): a probable duplicate, left out"),
        (100_001, "tokens", "is empty"),
    ]
    keep = np.ones(n, bool)
    keep[[10, 50_000, 77_777, 99_999]] = False
    np.testing.assert_array_equal(runs.source_rows, np.flatnonzero(keep) + 2)
    np.testing.assert_allclose(runs.loss, np.round(loss[keep], 6), rtol=1e-9)
    np.testing.assert_allclose(runs.C, 6 * runs.N * runs.D)
    assert identifiability_problem(runs, 10) is None


def test_json_lines_rows_are_line_numbers():
    data = b'{"N": "abc", "D": 2e10, "loss": 2.9}\n\n{"N": 2e9, "D": 4e10, "loss": -1}\n'
    runs = validate_runs(read_table(data, "runs.jsonl"), require_loss=True, min_runs=0)
    assert issue_tuples(runs) == [
        (1, "N", "abc", "is not a number"),
        (3, "loss", "-1.0", "is negative (must be positive)"),
    ]
