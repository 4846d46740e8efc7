"""Cached loaders shared by pages (the data files never change while the server runs)."""

from __future__ import annotations

import streamlit as st

from scaling_core.io import KnownModels, load_known_models


@st.cache_resource(show_spinner=False)
def known_models() -> KnownModels:
    return load_known_models()
