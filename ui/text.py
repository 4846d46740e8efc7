"""Showing user-supplied text (file names, column names, cell values) safely in Markdown."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def escape_markdown(text: str, limit: int = 500) -> str:
    """Backslash-escape every character Markdown (or Streamlit's :icon: and $math$) could act on,
    so links, images, HTML, icons and formulas in user text show as literal characters."""
    text = " ".join(str(text).split())[:limit]
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
