"""Forecasts you can plan on: candidate forms chosen by a backtest on the user's own runs,
prediction bands calibrated by that backtest, replicates used for the noise, frozen forecasts.

    from scaling_core.forecast import compare_forms, build_forecast
"""

from .compare import Comparison, Forecast, build_forecast, compare_forms  # noqa: F401
