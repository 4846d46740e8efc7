import streamlit as st

from ui.i18n import labels, t
from ui.layout import setup_page
from ui.learn_view import URL_RULES, chapter_nav, chapter_picker, draw_chapter

lang = setup_page("learn.title", URL_RULES)
st.title(t("learn.title"))
st.caption(t("learn.caption"))

chapter = chapter_picker()
draw_chapter(chapter, lang, labels(lang))
chapter_nav(chapter)
