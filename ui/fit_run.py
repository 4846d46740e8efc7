"""Running a fit from a page: cached on (data, options), with a progress bar while it works."""

from __future__ import annotations

import streamlit as st

from scaling_core.analysis import FitOptions, FitOutcome, run_fit
from ui.i18n import t
from ui.memo import memoize
from ui.run_input import LoadedRuns


@memoize(max_entries=16)
def _cached_fit(data_key: str, options: FitOptions, *, _loaded: LoadedRuns, _progress=None) -> FitOutcome:
    # data_key identifies the runs (content hash and column choice); the runs themselves are
    # not hashed on every rerun.
    return run_fit(_loaded.runs, options, _progress)


def fit_with_progress(loaded: LoadedRuns, options: FitOptions) -> FitOutcome:
    """The fit for these runs and options; the first time, a progress bar shows its stages."""
    bar = st.empty()

    def progress(fraction: float, stage: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=t(f"progress.{stage}"))

    try:
        return _cached_fit(loaded.key, options, _loaded=loaded, _progress=progress)
    finally:
        bar.empty()
