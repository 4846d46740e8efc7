"""Widget state <-> URL query parameters, so that a copied link reopens the same view.

Number widgets are bound with Streamlit's `bind="query-params"`, which silently drops values
it cannot use; choices are synced by `choice` (see there). Pages first check the raw URL against the same specs that build the widgets,
so a garbage or out-of-range value is reported to the user instead of vanishing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui.i18n import t

BIND = "query-params"


@dataclass(frozen=True)
class FloatRange:
    """A number slider: bounds, step, and how to read it in the URL."""

    lo: float
    hi: float
    step: float

    def problem(self, values: Sequence[str]) -> str | None:
        try:
            value = float(values[-1])
        except ValueError:
            value = math.nan
        if len(values) == 1 and math.isfinite(value) and self.lo <= value <= self.hi:
            return None
        return t("url.expect_range", lo=f"{self.lo:g}", hi=f"{self.hi:g}")


@dataclass(frozen=True)
class FloatPair(FloatRange):
    """A range slider: two numbers within bounds (in either order: the page sorts them)."""

    def problem(self, values: Sequence[str]) -> str | None:
        try:
            lo, hi = (float(v) for v in values)
        except ValueError:
            lo = hi = math.nan
        if all(math.isfinite(v) and self.lo <= v <= self.hi for v in (lo, hi)):
            return None
        return t("url.expect_pair", lo=f"{self.lo:g}", hi=f"{self.hi:g}")


@dataclass(frozen=True)
class Flag:
    """A checkbox: true or false, in any letter case (as Streamlit's binding reads it)."""

    def problem(self, values: Sequence[str]) -> str | None:
        if len(values) == 1 and values[0].lower() in ("true", "false"):
            return None
        return t("url.expect_choice", choices="true, false")


EMPTY_SELECTION = "none"  # a multiselect with nothing chosen (an empty list would vanish from the URL)


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]
    multiple: bool = False

    def problem(self, values: Sequence[str]) -> str | None:
        if self.multiple and list(values) == [EMPTY_SELECTION]:
            return None
        if (self.multiple or len(values) == 1) and all(v in self.options for v in values):
            return None
        return t("url.expect_choice", choices=", ".join(self.options))


@dataclass(frozen=True)
class IntRange:
    lo: int
    hi: int
    step: int = 1

    def problem(self, values: Sequence[str]) -> str | None:
        try:
            value = int(values[-1])
        except ValueError:
            value = None
        if len(values) == 1 and value is not None and self.lo <= value <= self.hi:
            return None
        return t("url.expect_int", lo=self.lo, hi=self.hi)


Rule = FloatRange | FloatPair | Choice | IntRange | Flag


def safe_inline(text: str, limit: int = 40) -> str:
    """URL text shown back to the user: only plain characters, so it can't render as markup."""
    return re.sub(r"[^A-Za-z0-9._+\-, ]", "?", text)[:limit] or "(empty)"


def url_problems(rules: Mapping[str, Rule], query: Mapping[str, list[str]]) -> list[tuple[str, str, str]]:
    """(key, value, reason) for every URL parameter that breaks its rule. Pure, for testing."""
    problems = []
    for key, rule in rules.items():
        values = query.get(key)
        if values:
            reason = rule.problem(values)
            if reason:
                problems.append((key, safe_inline(",".join(values)), reason))
    return problems


def show_url_notices(rules: Mapping[str, Rule]) -> None:
    """Warn about URL parameters that will be ignored. Call before creating the widgets."""
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    for key, value, reason in url_problems(rules, query):
        st.warning(t("url.ignored", key=safe_inline(key), value=value, reason=reason), icon=":material/warning:")


def slider(
    label: str, rule: FloatRange, key: str, value: float | tuple[float, float], container: Any = st, **kwargs: Any
) -> Any:
    """A slider bound to the URL parameter `key`, built from the same rule that validates it."""
    return container.slider(
        label, min_value=rule.lo, max_value=rule.hi, value=value, step=rule.step, key=key, bind=BIND, **kwargs
    )


def number(label: str, rule: FloatRange | IntRange, key: str, value: float, container: Any = st, **kwargs: Any) -> Any:
    """A number input bound to the URL parameter `key`."""
    return container.number_input(
        label, min_value=rule.lo, max_value=rule.hi, value=value, step=rule.step, key=key, bind=BIND, **kwargs
    )


def choice(
    label: str,
    rule: Choice,
    key: str,
    default: str | list[str],
    format_func: Callable[[str], str] = str,
    widget: Callable[..., Any] | None = None,
    **kwargs: Any,
) -> Any:
    """A selectbox (or radio, or multiselect) whose value lives in the URL parameter `key`.

    Not `bind=`: a bound selectbox writes its *displayed* label into the URL, which would
    tie links to the language. Here the URL holds the option itself, read once when the
    widget first appears and written back on every run (left out when it equals the default).
    """
    if key not in st.session_state:
        raw = st.query_params.get_all(key)
        ok = bool(raw) and rule.problem(raw) is None
        if ok and rule.multiple:
            st.session_state[key] = [] if raw == [EMPTY_SELECTION] else list(raw)
        else:
            st.session_state[key] = raw[-1] if ok else default
    widget = widget or (st.multiselect if rule.multiple else st.selectbox)
    value = widget(label, rule.options, key=key, format_func=format_func, **kwargs)
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = value if value != [] else EMPTY_SELECTION
    return value


def law_param(key: str):
    """A law carried in the URL as a law spec (e.g. `chinchilla:E=1.8,A=480,...`), or None.

    A spec that does not parse gives a visible notice and is ignored."""
    from scaling_core.presets import resolve_law

    raw = st.query_params.get(key)
    if not raw:
        return None
    try:
        _, law = resolve_law(raw)
    except ValueError as err:
        st.warning(
            t("url.ignored", key=key, value=safe_inline(raw), reason=safe_inline(str(err), 120)),
            icon=":material/warning:",
        )
        return None
    return law
