"""UI strings in both languages, and the URL rules that guard shared links."""

import re
import string

import pytest

from ui.i18n import EN, STRINGS, ZH, translate
from ui.state import Choice, FloatPair, FloatRange, safe_inline, url_problems


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_has_a_chinese_translation_with_the_same_placeholders():
    assert set(ZH) == set(EN), f"missing in zh: {set(EN) - set(ZH)}; extra: {set(ZH) - set(EN)}"
    for key in EN:
        assert placeholders(EN[key]) == placeholders(ZH[key]), key


def test_chinese_strings_are_translated():
    # Strings without Han characters are allowed only where they are formulas or names.
    untranslated = [k for k in ZH if not re.search(r"[\u4e00-\u9fff]", ZH[k]) and ZH[k] == EN[k]]
    formulas = {k for k in EN if k.startswith("form.") and "=" in EN[k]}
    assert set(untranslated) <= {"sidebar.language", "budget.flops", "fig.iso_flop", "fit.delta"} | formulas, (
        untranslated
    )


def test_translate_fills_placeholders_and_falls_back_to_english():
    assert translate("fig.at_d", "en", d="1B") == "D = 1B tokens"
    assert "1B" in translate("fig.at_d", "zh", d="1B")
    assert set(STRINGS) == {"en", "zh"}


RULES = {
    "alpha": FloatRange(0.01, 2.0, 0.0001),
    "n_range": FloatPair(4.0, 15.0, 0.5),
    "preset": Choice(("epoch2024", "hoffmann2022")),
    "laws": Choice(("a", "b"), multiple=True),
}


@pytest.mark.parametrize(
    "query, bad",
    [
        ({"alpha": ["0.3"]}, []),
        ({"alpha": ["nan"]}, ["alpha"]),
        ({"alpha": ["inf"]}, ["alpha"]),
        ({"alpha": ["-1"]}, ["alpha"]),
        ({"alpha": ["0.3", "0.4"]}, ["alpha"]),
        ({"n_range": ["5", "9"]}, []),
        ({"n_range": ["9", "5"]}, []),  # either order: the page sorts the ends
        ({"n_range": ["5"]}, ["n_range"]),
        ({"preset": ["hoffmann2022"]}, []),
        ({"preset": ["HOFFMANN2022"]}, ["preset"]),
        ({"laws": ["a", "b"]}, []),
        ({"laws": ["a", "zz"]}, ["laws"]),
        ({"unrelated": ["x"]}, []),
    ],
)
def test_url_rules(query, bad):
    assert [key for key, _, _ in url_problems(RULES, query)] == bad


def test_url_values_are_shown_back_inert():
    assert safe_inline("<img src=x onerror=alert(1)>") == "?img src?x onerror?alert?1??"
    assert safe_inline("`](javascript:x)") == "???javascript?x?"
    assert len(safe_inline("9" * 500)) == 40
