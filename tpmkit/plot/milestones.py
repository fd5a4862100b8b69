"""Milestone trend analysis (MTA) chart: forecast milestone dates against status dates.

The x axis is the status (reporting) date, the y axis the forecast date of each milestone as
seen on that status date. A level line is a milestone on track, a rising line one that slips,
a falling line one that is pulled in; the diagonal ``forecast = status date`` is where a
milestone is reached, so every line ends on it or above it. The data come finished from
:func:`tpmkit.report.data.milestone_trend` (one row per status date, one column per
milestone); nothing is scheduled here.

References
----------
.. [1] DIN 69901-5:2009, *Projektmanagement — Projektmanagementsysteme — Teil 5: Begriffe*
   (Meilenstein-Trendanalyse).
.. [2] H. Kerzner, *Project Management: A Systems Approach to Planning, Scheduling, and
   Controlling*, 12th ed., Wiley, 2017, ch. 10 (milestone reporting).
"""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from tpmkit.errors import DataError
from tpmkit.plot._theme import MUTED, OKABE_ITO, get_ax, legend_below, themed, truncate

__all__ = ["milestone_trend"]

_CYCLE = [OKABE_ITO[k] for k in ("blue", "vermillion", "bluish_green", "orange",
                                 "reddish_purple", "sky_blue", "yellow", "black")]


@themed
def milestone_trend(trend: pd.DataFrame, *, baseline: pd.Series | None = None,
                    names: Any = None, label_width: int = 28,
                    title: str | None = "Milestone trend analysis",
                    ax: Axes | None = None) -> Axes:
    """Draw the milestone trend analysis chart.

    Parameters
    ----------
    trend : DataFrame
        Indexed by status date, one column per milestone holding its forecast date at that
        status date (:func:`tpmkit.report.data.milestone_trend`).
    baseline : Series, optional
        Baseline date per milestone id; drawn as a hollow diamond at the first status date.
    names : mapping or Series, optional
        Milestone id → name for the legend.
    label_width : int
        Legend labels are truncated to this many characters.
    title : str or None
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One line per milestone with gid ``"mta:<id>"`` (x: status dates, y: forecast dates
        as matplotlib date numbers), baselines ``"baseline:<id>"``, the diagonal
        ``"diagonal"``.

    Raises
    ------
    DataError
        The table is empty or not indexed by dates.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> t = pd.DataFrame({"M1": pd.to_datetime(["2027-03-01", "2027-03-08"])},
    ...                  index=pd.to_datetime(["2027-01-29", "2027-02-26"]))
    >>> ax = milestone_trend(t, ax=Figure().subplots())
    >>> [ln.get_gid() for ln in ax.lines][:2]
    ['diagonal', 'mta:M1']
    """
    if not isinstance(trend, pd.DataFrame) or trend.empty:
        raise DataError("the milestone trend table is empty; pass milestone_trend(project) of "
                        "a project with milestones and a status history")
    try:
        status = pd.DatetimeIndex(pd.to_datetime(trend.index))
    except (TypeError, ValueError) as exc:
        raise DataError("the milestone trend table must be indexed by status dates") from exc
    ax = get_ax(ax, figsize=(8.0, 5.0))
    xs = mdates.date2num(status)
    values = trend.apply(pd.to_datetime)
    ys = np.column_stack([mdates.date2num(values[c]) for c in values.columns])
    known = np.isfinite(ys)
    lo = float(min(xs.min(), np.nanmin(ys)))
    hi = float(max(xs.max(), np.nanmax(ys)))
    if baseline is not None:
        b = mdates.date2num(pd.to_datetime(pd.Series(baseline).reindex(values.columns)))
        if np.isfinite(b).any():
            lo, hi = min(lo, float(np.nanmin(b))), max(hi, float(np.nanmax(b)))
    else:
        b = None
    pad = max(hi - lo, 7.0) * 0.04
    ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color=MUTED, lw=1.0, ls="--",
            zorder=1, gid="diagonal")
    label_of = dict(names) if names is not None else {}
    handles: list[Any] = []
    for k, col in enumerate(values.columns):
        color = _CYCLE[k % len(_CYCLE)]
        m = known[:, k]
        if not m.any():
            continue
        ax.plot(xs[m], ys[m, k], color=color, lw=1.6, marker="o", ms=5, zorder=3,
                gid=f"mta:{col}")
        name = label_of.get(col)
        text = f"{col}  {name}" if name and str(name) != str(col) else str(col)
        handles.append(Line2D([], [], color=color, marker="o", ms=5,
                              label=truncate(text, label_width)))
        if b is not None and np.isfinite(b[k]):
            ax.plot([xs[0]], [b[k]], linestyle="none", marker="D", ms=7, mfc="white",
                    mec=color, mew=1.4, zorder=4, gid=f"baseline:{col}")
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(lo - pad, hi + pad)
    for axis in (ax.xaxis, ax.yaxis):
        loc = mdates.AutoDateLocator(minticks=3, maxticks=8)
        axis.set_major_locator(loc)
        axis.set_major_formatter(mdates.ConciseDateFormatter(loc, show_offset=False))
    ax.set_xlabel("status date")
    ax.set_ylabel("forecast milestone date")
    handles.append(Line2D([], [], color=MUTED, ls="--", label="reached (forecast = status)"))
    if b is not None and np.isfinite(b).any():
        handles.append(Line2D([], [], color=MUTED, marker="D", mfc="white", ls="none",
                              label="baseline"))
    legend_below(ax, offset=30, ncol=min(len(handles), 3), handles=handles)
    if title:
        ax.set_title(title)
    return ax
