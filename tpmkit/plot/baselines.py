"""Baseline charts: two baselines task by task, and the finish slip between them.

Both draw :func:`tpmkit.baselines.compare_baselines` (columns ``start_a``, ``finish_a``,
``start_b``, ``finish_b``, ``finish_slip``, ``status``) and return the Axes.

References
----------
.. [1] Microsoft, *Project*: the Tracking Gantt view (baseline bar under the current bar).
.. [2] PMI, *Practice Standard for Scheduling*, 3rd ed., §6.5 (schedule variance against
   the baseline, slip charts).
"""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from tpmkit.errors import DataError
from tpmkit.plot._theme import (
    BASELINE,
    CRITICAL,
    EARNED,
    MUTED,
    PLAN,
    get_ax,
    legend_below,
    themed,
    truncate,
)
from tpmkit.plot._util import require_columns

__all__ = ["baseline_comparison", "slip_chart"]

_FIX = "pass tpmkit.baselines.compare_baselines(project, a, b)"
_COLUMNS = ["start_a", "finish_a", "start_b", "finish_b", "finish_slip", "status"]


def _rows(comparison: Any, only_changed: bool, top: int | None) -> pd.DataFrame:
    df = require_columns(comparison, _COLUMNS, "baseline comparison", _FIX)
    if only_changed:
        df = df[df["status"] != "unchanged"]
    if not len(df):
        raise DataError("the baseline comparison has no task to draw (nothing changed); pass "
                        "only_changed=False to draw every task")
    if top is not None:
        order = df["finish_slip"].abs().fillna(np.inf).sort_values(ascending=False, kind="stable")
        df = df.loc[sorted(order.index[:top], key=list(df.index).index)]
    return df


@themed
def baseline_comparison(comparison: Any, *, labels: tuple[str, str] = ("baseline a", "baseline b"),
                        only_changed: bool = False, top: int | None = 30,
                        title: str | None = None, ax: Axes | None = None) -> Axes:
    """Tracking-Gantt view of two baselines: side ``a`` as a thin grey bar under side ``b``.

    Parameters
    ----------
    comparison : DataFrame
        :func:`tpmkit.baselines.compare_baselines`.
    labels : (str, str)
        Legend names of the two sides (e.g. ``("baseline", "baseline_1")``).
    only_changed : bool
        Draw only tasks that moved, were added or removed.
    top : int or None
        At most this many tasks (the largest finish slips), in task order.
    title : str, optional
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    df = _rows(comparison, only_changed, top)
    ax = get_ax(ax, figsize=(10, max(3.0, 0.28 * len(df) + 1.5)))
    y = np.arange(len(df))[::-1]
    for side, color, height, offset in (("a", BASELINE, 0.25, -0.2), ("b", PLAN, 0.45, 0.12)):
        s = pd.to_datetime(df[f"start_{side}"])
        f = pd.to_datetime(df[f"finish_{side}"])
        ok = (s.notna() & f.notna()).to_numpy()
        left = mdates.date2num(s[ok])
        width = mdates.date2num(f[ok]) - left + 1  # a finish date is the end of that day
        ax.barh(y[ok] + offset, width, left=left, height=height, color=color,
                label=labels[0 if side == "a" else 1], edgecolor="none")
    late = (df["finish_slip"] > 0).to_numpy()
    early = (df["finish_slip"] < 0).to_numpy()
    fin = mdates.date2num(pd.to_datetime(df["finish_b"]).fillna(pd.to_datetime(df["finish_a"])))
    for i in np.flatnonzero(late | early):
        ax.annotate(f"{df['finish_slip'].iloc[i]:+g} d", (fin[i] + 1.5, y[i]), fontsize=7,
                    va="center", color=CRITICAL if late[i] else EARNED)
    names = [truncate(f"{i} {n}" if "name" in df and n else i, 32)
             for i, n in zip(df.index, df.get("name", [""] * len(df)), strict=True)]
    ax.set_yticks(y, names, fontsize=7)
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    handles, _ = ax.get_legend_handles_labels()
    handles += [Patch(color=CRITICAL, label="later finish"), Patch(color=EARNED,
                                                                   label="earlier finish")]
    legend_below(ax, handles=handles, ncol=4)
    ax.set_title(title or f"{labels[0]} vs {labels[1]}")
    return ax


@themed
def slip_chart(comparison: Any, *, only_changed: bool = True, top: int | None = 30,
               title: str | None = None, ax: Axes | None = None) -> Axes:
    """Finish slip per task between two baselines [working days]: late red, early green.

    Parameters
    ----------
    comparison : DataFrame
        :func:`tpmkit.baselines.compare_baselines`.
    only_changed, top, title, ax
        As in :func:`baseline_comparison` (``only_changed`` defaults to True here).

    Returns
    -------
    Axes
    """
    df = _rows(comparison, only_changed, top)
    ax = get_ax(ax, figsize=(8, max(2.5, 0.25 * len(df) + 1.2)))
    slip = df["finish_slip"].fillna(0.0).to_numpy()
    y = np.arange(len(df))[::-1]
    colors = np.where(slip > 0, CRITICAL, np.where(slip < 0, EARNED, MUTED))
    ax.barh(y, slip, color=colors, height=0.6)
    ax.axvline(0, color=MUTED, linewidth=0.8)
    ax.set_yticks(y, [str(i) for i in df.index], fontsize=7)
    ax.set_xlabel("finish slip [working days]")
    ax.set_title(title or "Finish slip between baselines")
    return ax
