"""Plotly figure builders: pure functions, arrays in, go.Figure out. No Streamlit here.

One module per page or subject, plus `style` (colours, fonts, number formats, ticks,
base layout) shared by all. Labels arrive already translated (a mapping from ui.i18n keys to
text), so the figures stay independent of the session.
"""

from .bands import (  # noqa: F401
    BAND_ALPHA,
    backtest_figure,
    band_figure,
    holdout_figure,
)
from .fit import (  # noqa: F401
    diagonal_line,
    isoflop_profiles,
    observed_vs_predicted,
    observed_vs_predicted_hover,
    residual_panels,
)
from .frontiers import (  # noqa: F401
    FrontierSeries,
    Valley,
    frontier_panels,
    isoflop_valleys,
    tokens_per_param_teaser,
)
from .map import (  # noqa: F401
    FrontierLine,
    IsoFlopLines,
    ModelPoints,
    RunPoints,
    iso_loss_map,
    loss_curves,
)
from .style import (  # noqa: F401
    FONT,
    LAW_COLORS,
    MODEL_COLOR,
    base_layout,
    contour_levels,
    count_label,
    decade_ticks,
    flops_label,
    plain_text,
)
