"""The shared page setup every page calls first: page config, language, sidebar navigation.

The app runs in Streamlit's pages-directory mode only (no st.navigation): a deep link to a
page opened first on a fresh server then still gets this setup, because each page runs it.
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import DEFAULT_LANG, LANGUAGES, t
from ui.state import Choice, Rule, choice, show_url_notices

LANG_RULE = Choice(tuple(LANGUAGES))

PAGES = [
    ("app.py", "nav.home", ":material/home:"),
    ("pages/0_Learn.py", "nav.learn", ":material/school:"),
    ("pages/1_Law_Explorer.py", "nav.explorer", ":material/map:"),
    ("pages/2_Frontiers.py", "nav.frontiers", ":material/show_chart:"),
    ("pages/3_Fit.py", "nav.fit", ":material/tune:"),
    ("pages/4_Extrapolate.py", "nav.extrapolate", ":material/trending_up:"),
    ("pages/5_Plan.py", "nav.plan", ":material/calculate:"),
]


def setup_page(title_key: str, url_rules: dict[str, Rule] | None = None) -> str:
    """Configure the page, report bad URL parameters (before any widget drops them) and draw
    the sidebar. Returns the language code in use."""
    st.set_page_config(
        page_title=f"{t(title_key)} · Scaling Law Explorer", page_icon=":material/query_stats:", layout="wide"
    )
    show_url_notices({"lang": LANG_RULE, **(url_rules or {})})
    with st.sidebar:
        lang = choice(t("sidebar.language"), LANG_RULE, "lang", DEFAULT_LANG, LANGUAGES.__getitem__)
        keep = {"lang": lang} if lang != DEFAULT_LANG else None
        for path, label_key, icon in PAGES:
            st.page_link(path, label=t(label_key), icon=icon, query_params=keep)
        st.caption(t("sidebar.share"))
    return lang
