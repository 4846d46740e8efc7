"""The Fit page headless with AppTest: built-in data and every form run clean, uploads of broken
files give a clear message and never a traceback, user text stays inert, and fits are cached."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ui.fit_run
from apptest_helpers import figures, no_exceptions, run_page, upload_file
from ui.i18n import labels

FIT = "pages/3_Fit.py"
BAD = Path(__file__).resolve().parent / "data" / "bad_inputs"
EN = labels("en")
MIME = {".csv": "text/csv", ".tsv": "text/tab-separated-values", ".json": "application/json", ".jsonl": "text/plain"}

# Markup that must never reach Markdown unescaped: an HTML tag, a link, an image, an icon, math.
ACTIVE_MARKUP = [
    re.compile(r"(?<!\\)<img"),
    re.compile(r"(?<!\\)<b>"),
    re.compile(r"\]\(javascript"),
    re.compile(r"!\["),
    re.compile(r"(?<!\\):material/"),
    re.compile(r"(?<!\\)\$x"),
]


def plain(markdown: str) -> str:
    """What escaped Markdown displays: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at) -> list[str]:
    """The Markdown bodies of every message and text element on the page."""
    kinds = ("error", "warning", "info", "success", "caption", "markdown", "title", "subheader", "header")
    return [str(el.value) for kind in kinds for el in at.get(kind)]


def assert_inert(at) -> None:
    for text in texts(at):
        for pattern in ACTIVE_MARKUP:
            assert not pattern.search(text), f"unescaped {pattern.pattern!r} in {text!r}"


def upload(name: str, data: bytes | None = None, query: dict | None = None, as_name: str | None = None):
    """Open the Fit page with data=upload and upload `name` from the corpus (or `data`)."""
    at = run_page(FIT, {"data": "upload", "boot": "0", **(query or {})})
    no_exceptions(at)
    assert at.radio(key="data").value == "upload"
    file_name = as_name or name
    content = (BAD / name).read_bytes() if data is None else data
    upload_file(at, file_name, content, MIME.get(Path(file_name).suffix, "text/plain"))
    no_exceptions(at)
    return at


def constants(at) -> dict[str, float]:
    """The fitted constants from the constants table (column 'Your fit')."""
    for frame in at.dataframe:
        table = frame.value
        if EN["col.constant"] in table.columns:
            return {str(k): float(v) for k, v in zip(table[EN["col.constant"]], table[EN["col.this_fit"]], strict=True)}
    raise AssertionError("no constants table on the page")


def errors(at) -> list[str]:
    return [plain(e.value) for e in at.error]


def warnings(at) -> list[str]:
    return [plain(w.value) for w in at.warning]


def loaded_caption(at) -> str:
    (caption,) = [plain(c.value) for c in at.caption if "usable runs of" in c.value]
    return caption


def problems_table(at):
    for frame in at.dataframe:
        if list(frame.value.columns) == ["row", "column", "value", "problem"]:
            return frame.value
    raise AssertionError("no problems table on the page")


# --------------------------------------------------------------------------------------------
# Built-in data, every form


@pytest.mark.parametrize("data", ["epoch", "demo"])
@pytest.mark.parametrize("form", ["chinchilla", "kaplan", "isoflop", "power_offset", "multiplicative"])
def test_builtin_data_every_form_runs_clean(data, form):
    at = run_page(FIT, {"data": data, "form": form, "boot": "0" if form != "kaplan" else "200"})
    no_exceptions(at)
    assert not at.error and not at.warning, (errors(at), warnings(at))
    assert at.radio(key="data").value == data
    assert at.selectbox(key="form").value == form
    n = 245 if data == "epoch" else 48
    assert loaded_caption(at).startswith(f"{n} usable runs of {n} rows from ")
    charts = figures(at)
    if form in ("chinchilla", "kaplan"):
        assert len(charts) == 3
        fitted = constants(at)
        assert set(fitted) >= ({"E", "A", "B", "alpha", "beta"} if form == "chinchilla" else {"N_c", "D_c"})
        runs_fitted = next(m for m in at.metric if m.label == EN["fit.n_runs"])
        assert runs_fitted.value == ("240" if data == "epoch" else "48")  # 5 highest losses out of 245
    elif form == "isoflop":
        assert len(charts) == 2
        a = next(m for m in at.metric if m.label.startswith("a "))
        assert 0.4 < float(a.value) < 0.6
    else:
        assert len(charts) == 1
        (formula,) = [m.value for m in at.markdown if m.value.startswith("**")]
        assert ("k = " in formula) if form == "multiplicative" else ("c = " in formula)


def test_epoch_default_matches_the_epoch_replication():
    at = run_page(FIT, {"boot": "0"})
    no_exceptions(at)
    assert at.radio(key="data").value == "epoch"
    assert at.selectbox(key="form").value == "chinchilla"
    assert at.number_input(key="exclude").value == 5
    fitted = constants(at)
    assert fitted["E"] == pytest.approx(1.817, abs=0.003)
    assert fitted["alpha"] == pytest.approx(0.3473, abs=0.002)
    assert fitted["beta"] == pytest.approx(0.3672, abs=0.002)
    assert any(plain(c.value) == EN["fit.no_intervals"] for c in at.caption)


def test_epoch_bootstrap_gives_intervals():
    at = run_page(FIT, {"boot": "200"})
    no_exceptions(at)
    table = next(f.value for f in at.dataframe if EN["col.constant"] in f.value.columns)
    assert EN["col.interval"] in table.columns
    lo, hi = (float(v) for v in table.loc[table[EN["col.constant"]] == "E", EN["col.interval"]].iloc[0].split(" – "))
    assert lo < 1.817 < hi


# --------------------------------------------------------------------------------------------
# Uploads of broken files: a clear message, no traceback, the rest of the page still works


@pytest.mark.parametrize(
    "name, as_name, expected_error, expected_warning",
    [
        ("empty.csv", None, "empty.csv is empty", None),
        ("only_header.csv", None, "only_header.csv has no data rows", None),
        ("binary.bin", "binary.csv", "binary.csv looks like a binary file, not a text table", None),
        ("non_numeric.csv", None, "2 runs for a form with 5 constants: need at least 6", "2 row(s) were left out"),
        ("zero_params.csv", None, "2 runs for a form with 5 constants: need at least 6", "1 row(s) were left out"),
        ("negative_loss.csv", None, "2 runs for a form with 5 constants: need at least 6", "1 row(s) were left out"),
        ("nan_and_inf.csv", None, "2 runs for a form with 5 constants: need at least 6", "3 row(s) were left out"),
        ("duplicate_runs.csv", None, "4 runs for a form with 5 constants: need at least 6", "1 row(s) were left out"),
        ("one_model_size.csv", None, "every run has the same N: the N exponent cannot be identified", None),
        ("one_token_count.csv", None, "every run has the same D: the D exponent cannot be identified", None),
        ("too_few_runs.csv", None, "3 runs for a form with 5 constants: need at least 6", None),
        ("missing_loss_column.csv", None, "no column for loss (columns found: params, tokens, accuracy)", None),
        ("ambiguous_columns.csv", None, "params, n_params", None),
        ("semicolon.csv", None, "2 runs for a form with 5 constants: need at least 6", None),  # read, then too few
        ("array_not_records.json", None, "array_not_records.json: JSON must be an array of objects", None),
        ("bad_jsonlines.jsonl", None, "bad_jsonlines.jsonl: line 2 is not valid JSON", None),
        ("utf16.csv", None, "2 runs for a form with 5 constants: need at least 6", None),  # decoded, then too few
        ("hostile_columns_no_loss.csv", None, "no column for loss (columns found: <img src=x onerror=alert(1)>", None),
        ("hostile_values_all_bad.csv", None, "row 2, column 'params': '<img src=x onerror=alert(1)>' is not a", None),
    ],
)
def test_bad_upload_shows_a_message(name, as_name, expected_error, expected_warning):
    at = upload(name, as_name=as_name)
    shown = errors(at)
    assert len(shown) == 1 and expected_error in shown[0], shown
    if expected_warning:
        assert len(warnings(at)) == 1 and warnings(at)[0].startswith(expected_warning)
    else:
        assert not at.warning
    assert not figures(at), "no fit is drawn from a table that cannot be fitted"
    assert_inert(at)
    # The sidebar is drawn, and switching back to the built-in data fits again. (Which runs are
    # excluded then depends on the exclude widget's state: see test_exclude_default_follows_the_data.)
    assert len(at.sidebar.get("page_link")) >= 5
    at.radio(key="data").set_value("epoch").run()
    no_exceptions(at)
    assert not at.error and len(figures(at)) == 3
    fitted = next(m for m in at.metric if m.label == EN["fit.n_runs"])
    assert int(fitted.value) == 245 - at.number_input(key="exclude").value
    assert 1.75 < constants(at)["E"] < 1.95


def test_dropped_rows_are_listed_with_row_column_and_value():
    at = upload("nan_and_inf.csv")
    table = problems_table(at)
    assert table.to_dict("records") == [
        {"row": 3, "column": "loss", "value": "nan", "problem": "is not a number"},
        {"row": 4, "column": "tokens", "value": "inf", "problem": "is infinite"},
        {"row": 5, "column": "loss", "value": "", "problem": "is empty"},
    ]
    assert loaded_caption(at).startswith("2 usable runs of 5 rows from nan_and_inf.csv.")


def test_ambiguous_column_can_be_picked():
    at = upload("ambiguous_columns.csv")
    (picker,) = [s for s in at.selectbox if s.key.startswith("map_N_")]
    assert picker.value == "—"
    assert "params, n_params" in picker.help
    picker.set_value("n_params").run()
    no_exceptions(at)
    assert errors(at) == ["2 runs for a form with 5 constants: need at least 6"]  # now only too few runs
    assert loaded_caption(at).startswith("2 usable runs of 2 rows from ambiguous_columns.csv.")


def test_exclude_default_follows_the_data():
    at = run_page(FIT, {"boot": "0"})
    assert at.number_input(key="exclude").value == 5
    at.radio(key="data").set_value("upload").run()
    upload_file(at, "eight.csv", (BAD / "hostile_names.csv").read_bytes())
    no_exceptions(at)
    assert at.number_input(key="exclude").value == 0, errors(at)  # 8 runs: nothing excluded by default
    at.radio(key="data").set_value("epoch").run()
    assert at.number_input(key="exclude").value == 5
    assert constants(at)["E"] == pytest.approx(1.817, abs=0.003)


def test_no_file_yet_is_an_info():
    at = run_page(FIT, {"data": "upload"})
    no_exceptions(at)
    assert [i.value for i in at.info] == [EN["fit.no_file"]]
    assert not at.error and not figures(at)


def test_too_few_runs_message_with_exclusions_counts_the_form_constants():
    at = upload("hostile_names.csv", query={"exclude": "3"})  # 8 runs, 3 excluded, 5 constants
    assert at.number_input(key="exclude").value == 3
    (message,) = errors(at)
    assert "8 constants" not in message and "5 constants" in message, message


# --------------------------------------------------------------------------------------------
# Hostile text: shown escaped, never as HTML or Markdown


def test_hostile_column_names_fit_and_stay_inert():
    at = upload("hostile_columns.csv")
    assert not at.error and not at.warning
    assert loaded_caption(at).startswith("10 usable runs of 10 rows from hostile_columns.csv.")
    options = next(s for s in at.selectbox if s.key.startswith("map_name_")).options
    assert "<img src=x onerror=alert(1)>" in options and "$x^2$" in options  # plain option text
    assert len(figures(at)) == 3
    assert set(constants(at)) >= {"E", "A", "B", "alpha", "beta"}
    assert_inert(at)


def test_hostile_column_names_in_an_error_are_escaped():
    at = upload("hostile_columns_no_loss.csv")
    (raw,) = [e.value for e in at.error]
    assert r"\<img src=x onerror=alert\(1\)\>" in raw
    assert r"\[click\]\(javascript\:alert\(1\)\)" in raw
    assert r"\:material/warning\:" in raw
    assert r"\$x^2\$" in raw
    assert_inert(at)


def test_hostile_value_is_dropped_and_escaped():
    at = upload("hostile_values.csv")
    assert not at.error
    assert warnings(at) == [EN["fit.dropped"].format(n=1)]
    table = problems_table(at)
    assert table.to_dict("records") == [
        {"row": 3, "column": "loss", "value": "![x](http://evil.example/x.png)", "problem": "is not a number"}
    ]
    assert loaded_caption(at).startswith("9 usable runs of 10 rows from hostile_values.csv.")
    assert len(figures(at)) == 3  # the other nine runs are fitted
    assert_inert(at)


def test_hostile_values_in_an_error_are_escaped():
    at = upload("hostile_values_all_bad.csv")
    (raw,) = [e.value for e in at.error]
    assert r"'\<img src=x onerror=alert\(1\)\>'" in raw and r"'\:material/warning\:'" in raw
    assert_inert(at)


def test_hostile_file_name_is_escaped():
    name = "[x](javascript:alert(1))<img src=x>:material/warning:.csv"
    at = upload("hostile_values.csv", as_name=name)
    caption = next(c.value for c in at.caption if "usable runs of" in c.value)
    assert r"\[x\]\(javascript\:alert\(1\)\)\<img src=x\>\:material/warning\:\.csv" in caption
    assert_inert(at)
    upload_file(at, name, b"")
    no_exceptions(at)
    (raw,) = [e.value for e in at.error]
    assert plain(raw) == f"{name} is empty"
    assert_inert(at)


def test_hostile_run_names_are_not_html_in_charts():
    at = upload("hostile_names.csv")
    assert not at.error and len(figures(at)) == 3
    names = [t for spec in figures(at) for trace in spec["data"] for t in (trace.get("text") or [])]
    assert any("bold" in t for t in names), names  # the names are in the chart ...
    for text in names:  # ... but not as markup
        assert "<b>" not in text and "<a " not in text and "<img" not in text, text


# --------------------------------------------------------------------------------------------
# Good uploads


@pytest.mark.parametrize(
    "name, caption",
    [
        ("good_suffixes.csv", "4 usable runs of 4 rows from good_suffixes.csv."),
        ("good.tsv", "3 usable runs of 3 rows from good.tsv. Compute C was derived as C = 6ND."),
        ("good_records.json", "3 usable runs of 3 rows from good_records.json. Compute C was derived as C = 6ND."),
        ("good_lines.jsonl", "3 usable runs of 3 rows from good_lines.jsonl. Compute C was derived as C = 6ND."),
        ("good_compute_only.csv", "3 usable runs of 3 rows from good_compute_only.csv. " + EN["fit.derived_D"]),
        ("good_model_size.csv", "3 usable runs of 3 rows from good_model_size.csv. Compute C was derived as C = 6ND."),
    ],
)
def test_good_uploads_load(name, caption):
    at = upload(name, query={"form": "power", "x": "N"})
    assert loaded_caption(at) == caption
    assert not at.warning
    assert not at.error, errors(at)
    assert len(figures(at)) == 1  # y = a·x^b fits three runs


# --------------------------------------------------------------------------------------------
# The fit is cached on (data, options)


@pytest.fixture
def fit_calls(monkeypatch):
    """Count the real fits: AppTest runs the page in this process, so ui.fit_run.run_fit is patchable."""
    calls = []
    real = ui.fit_run.run_fit

    def counting(runs, options, progress=None):
        calls.append(options)
        return real(runs, options, progress)

    ui.fit_run._cached_fit.cache_clear()
    monkeypatch.setattr(ui.fit_run, "run_fit", counting)
    yield calls
    ui.fit_run._cached_fit.cache_clear()


def test_refit_with_unchanged_inputs_comes_from_the_cache(fit_calls):
    at = run_page(FIT, {"data": "demo", "boot": "0"})
    no_exceptions(at)
    assert len(fit_calls) == 1
    before = constants(at)
    at.run()
    at.run()
    no_exceptions(at)
    assert len(fit_calls) == 1, "two reruns with the same inputs reuse the fit"
    assert constants(at) == before
    at.number_input(key="delta").set_value(0.01).run()
    no_exceptions(at)
    assert len(fit_calls) == 2 and fit_calls[-1].huber_delta == pytest.approx(0.01)
    assert constants(at) != before
    at.run()
    assert len(fit_calls) == 2
    at.number_input(key="delta").set_value(0.001).run()  # back to the first options: cached
    assert len(fit_calls) == 2
    assert constants(at) == before


def test_cache_is_keyed_on_the_uploaded_content(fit_calls):
    at = upload("hostile_columns.csv")
    assert len(fit_calls) == 1
    at.run()
    assert len(fit_calls) == 1
    at.file_uploader[0].set_value(("hostile_columns.csv", (BAD / "hostile_values.csv").read_bytes(), "text/csv"))
    at.run()
    no_exceptions(at)
    assert len(fit_calls) == 2, "same file name, different content: a new fit"
    assert fit_calls[-1] == fit_calls[0]  # same options
