"""Landing page. Run with: streamlit run app.py"""

import streamlit as st

from scaling_core.presets import EPOCH_URL, HOFFMANN_URL, KAPLAN_URL
from ui.frontiers_view import teaser_figure
from ui.i18n import labels, t
from ui.layout import PAGES, setup_page

lang = setup_page("nav.home")
st.title(t("app.title"))
st.markdown(f"**{t('app.tagline')}**")
st.markdown(t("home.intro"))

teaser, links = st.columns([3, 2], gap="large")
with teaser:
    st.plotly_chart(teaser_figure(labels(lang)), width="stretch", key="teaser")
    st.caption(t("home.teaser_caption"))
with links:
    st.subheader(t("home.pages"))
    keep = {"lang": lang} if lang != "en" else None
    for path, label_key, icon in PAGES[1:]:
        blurb_key = label_key.replace("nav.", "home.") + "_blurb"
        st.page_link(path, label=t(label_key), icon=icon, query_params=keep)
        st.caption(t(blurb_key))
    st.info(t("home.conventions"), icon=":material/straighten:")

st.subheader(t("home.sources"))
st.markdown(
    f"""
- Kaplan et al. 2020, *Scaling Laws for Neural Language Models*, [arXiv 2001.08361]({KAPLAN_URL})
- Hoffmann et al. 2022, *Training Compute-Optimal Large Language Models*, [arXiv 2203.15556]({HOFFMANN_URL})
- Besiroglu, Erdil, Barnett, You 2024, *Chinchilla Scaling: A replication attempt*, [arXiv 2404.10102]({EPOCH_URL})
- {t("home.models_source")}
- {t("home.plan_sources")}
"""
)
