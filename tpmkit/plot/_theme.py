"""The one visual theme shared by every tpmkit chart.

Colours come from the Okabe–Ito palette, which stays distinguishable under the common
forms of colour-vision deficiency; semantic names (``CRITICAL``, ``PLAN``, …) keep the
meaning of a colour identical across charts. :func:`themed` wraps a plot function so
its artists are created under :data:`RC`, without touching the user's global rcParams.

References
----------
.. [1] Okabe, M. and Ito, K. (2008). *Color Universal Design (CUD): how to make figures
   and presentations that are friendly to colorblind people*. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.axes import Axes

__all__ = [
    "ACTUAL",
    "BASELINE",
    "CRITICAL",
    "EARNED",
    "FLOAT",
    "GRID",
    "MUTED",
    "OKABE_ITO",
    "PLAN",
    "P_COLORS",
    "P_COLOR_OF",
    "RC",
    "STATUS",
    "SUMMARY",
    "get_ax",
    "legend_below",
    "p_color",
    "themed",
    "truncate",
]

#: The eight Okabe–Ito colours [1]_, in their published order.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

PLAN = OKABE_ITO["blue"]            # ordinary task bars, planned value
CRITICAL = OKABE_ITO["vermillion"]  # critical path, red RAG, actual cost overrun
FLOAT = OKABE_ITO["sky_blue"]       # total float trailers
EARNED = OKABE_ITO["bluish_green"]  # earned value, green RAG
ACTUAL = OKABE_ITO["orange"]        # actual cost, amber RAG
STATUS = OKABE_ITO["reddish_purple"]  # status-date / data-date line
SUMMARY = "#333333"                 # WBS summary bars
BASELINE = "#9A9A9A"                # baseline bars
MUTED = "#6B6B6B"                   # secondary text, reference lines
GRID = "#E3E3E3"
#: Colours for percentile lines, fixed per level so that P80 looks the same on every chart
#: (levels not listed cycle through ``P_COLORS``).
P_COLOR_OF = {5: OKABE_ITO["sky_blue"], 10: OKABE_ITO["sky_blue"], 50: OKABE_ITO["bluish_green"],
              80: OKABE_ITO["orange"], 85: OKABE_ITO["orange"], 90: OKABE_ITO["reddish_purple"],
              95: OKABE_ITO["black"]}
P_COLORS = (OKABE_ITO["bluish_green"], OKABE_ITO["orange"], OKABE_ITO["reddish_purple"],
            OKABE_ITO["sky_blue"], OKABE_ITO["blue"])


def p_color(q: float, k: int = 0) -> str:
    """Colour of the P-line for percentile ``q`` (the ``k``-th line drawn)."""
    return P_COLOR_OF.get(int(q) if float(q).is_integer() else -1, P_COLORS[k % len(P_COLORS)])

#: rcParams every tpmkit chart is drawn with (readable at report size, ~7 in wide).
RC: dict[str, Any] = {
    "figure.figsize": (8.0, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "savefig.bbox": "tight",
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#8A8A8A",
    "axes.linewidth": 0.8,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.labelcolor": "#333333",
    "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[k] for k in (
        "blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue",
        "yellow", "black")]),
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.fontsize": 9,
    "legend.frameon": False,
    "font.family": ["DejaVu Sans"],
    "font.size": 10,
    "lines.linewidth": 1.8,
}

F = TypeVar("F", bound=Callable[..., Any])


def themed(func: F) -> F:
    """Run ``func`` under :data:`RC` (a local ``rc_context``; global settings are untouched)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with mpl.rc_context(RC):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def get_ax(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    """Return ``ax`` or a new Axes on a new figure of ``figsize`` [inches], in the theme.

    An Axes made by the caller was created outside :data:`RC`, so the axes-level parts of
    the theme (spines, grid, tick labels) are applied to it here; either way every chart
    looks the same whether it draws on its own figure or on one of a report's subplots.
    """
    if ax is None:
        _fig, ax = plt.subplots(figsize=figsize or RC["figure.figsize"], layout="constrained")
    ax.set_facecolor(RC["axes.facecolor"])
    for side, spine in ax.spines.items():
        spine.set_visible(side in ("left", "bottom"))
        spine.set_edgecolor(RC["axes.edgecolor"])
        spine.set_linewidth(RC["axes.linewidth"])
    ax.set_axisbelow(True)
    ax.grid(True, color=GRID, linewidth=RC["grid.linewidth"])
    ax.tick_params(labelsize=RC["xtick.labelsize"], colors=RC["xtick.color"])
    return ax


def truncate(text: object, width: int) -> str:
    """Shorten ``text`` to ``width`` characters with an ellipsis.

    Examples
    --------
    >>> truncate("Integration and acceptance testing", 16)
    'Integration and…'
    >>> truncate("Design", 16)
    'Design'
    """
    s = "" if text is None else str(text)
    return s if len(s) <= width else s[: max(1, width - 1)].rstrip() + "…"


def legend_below(ax: Axes, offset: float = 36.0, ncol: int = 3, **kwargs: Any) -> Any:
    """Put the legend under the x axis, ``offset`` [points] below the axes' bottom edge.

    A fixed offset in points (not in axes fractions) keeps the gap the same whatever the
    figure height, so tall Gantt charts and short bar charts look alike. The legend starts
    at the left edge of the figure, not of the axes, so that long row labels (task names)
    do not push it off the right edge.
    """
    from matplotlib.transforms import blended_transform_factory, offset_copy

    base = blended_transform_factory(ax.figure.transFigure, ax.transAxes)
    return ax.legend(loc="upper left", bbox_to_anchor=(0.01, 0.0),
                     bbox_transform=offset_copy(base, fig=ax.figure, y=-offset,
                                                units="points"),
                     ncol=ncol, borderaxespad=0.0, fontsize=8, **kwargs)
