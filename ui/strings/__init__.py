"""UI strings of one page or subject each (EN and ZH dicts per module), merged by ui.i18n.

A new page adds its own module here (e.g. ui/strings/plan.py with EN and ZH), so pages do not
all edit one file. Every module is discovered automatically; a key may be defined only once.
"""

from __future__ import annotations

import importlib
import pkgutil


def collect() -> tuple[dict[str, str], dict[str, str]]:
    """(EN, ZH) from every module of this package; a key defined twice is an error."""
    en: dict[str, str] = {}
    zh: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for merged, part in ((en, module.EN), (zh, module.ZH)):
            twice = merged.keys() & part.keys()
            if twice:
                raise KeyError(f"ui/strings/{info.name}.py redefines {sorted(twice)}")
            merged.update(part)
    return en, zh
