"""Charts of the issue, action and decision logs (:mod:`tpmkit.logs`).

:func:`issue_aging` draws every open entry as a bar of its age, coloured by priority, with
the part past its due date hatched; :func:`aging_summary` stacks the open entries per age band
by priority. Both take the finished tables of :mod:`tpmkit.logs` and return the ``Axes``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from tpmkit.plot._theme import ACTUAL, CRITICAL, MUTED, PLAN, get_ax, legend_below, themed
from tpmkit.plot._util import require_columns

__all__ = ["aging_summary", "issue_aging"]

_COLORS = {"critical": CRITICAL, "high": ACTUAL, "medium": PLAN, "low": MUTED}


@themed
def issue_aging(table: pd.DataFrame, *, title: str | None = "Open issues by age",
                max_rows: int = 25, ax: Axes | None = None) -> Axes:
    """Age of each open entry (bars by priority), overdue part hatched.

    Parameters
    ----------
    table : DataFrame
        :func:`tpmkit.logs.aging` result (open entries are drawn, oldest on top).
    max_rows : int
        Draw at most this many entries.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per entry (gid = its id); overdue segments with gid ``"<id>:overdue"``.

    Examples
    --------
    >>> from tpmkit.logs import aging, issue_log
    >>> log = issue_log([{"id": "I1", "title": "t", "owner": "o", "raised": "2027-03-01",
    ...                   "due": "2027-03-08", "priority": "high", "status": "open"}],
    ...                 as_of="2027-03-15")
    >>> [p.get_gid() for p in issue_aging(aging(log)).patches]
    ['I1', 'I1:overdue']
    """
    t = require_columns(table, ["age", "priority", "is_open", "days_overdue"], "aging table",
                        "pass tpmkit.logs.aging(log)")
    ax = get_ax(ax)
    t = t[t["is_open"]].sort_values("age", kind="stable").tail(int(max_rows))
    y = np.arange(len(t))
    for k, (eid, row) in enumerate(t.iterrows()):
        color = _COLORS.get(row["priority"], MUTED)
        ax.barh(y[k], row["age"], color=color, alpha=0.85, gid=str(eid))
        if row["days_overdue"] > 0:
            ax.barh(y[k], row["days_overdue"], left=row["age"] - row["days_overdue"],
                    color="none", edgecolor="black", hatch="///", lw=0.6, gid=f"{eid}:overdue")
    ax.set_yticks(y, [str(i) for i in t.index])
    ax.set_xlabel("age [days]")
    handles = [Patch(color=color, label=prio) for prio, color in _COLORS.items()
               if (t["priority"] == prio).any()]
    if handles:
        ax.legend(handles=handles, loc="lower right", title="priority")
    if title:
        ax.set_title(title)
    return ax


@themed
def aging_summary(table: pd.DataFrame, *, title: str | None = "Open entries by age band",
                  ax: Axes | None = None) -> Axes:
    """Open entries per age band, stacked by priority.

    Parameters
    ----------
    table : DataFrame
        :func:`tpmkit.logs.summary` result (priorities × age bands).

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per priority (label = the priority).
    """
    bands = [c for c in table.columns if c not in ("open", "overdue")]
    if not bands:
        raise ValueError("aging_summary needs tpmkit.logs.summary(log) (age-band columns)")
    ax = get_ax(ax)
    x = np.arange(len(bands))
    bottom = np.zeros(len(bands))
    for prio in table.index[::-1]:
        values = table.loc[prio, bands].to_numpy(float)
        ax.bar(x, values, bottom=bottom, color=_COLORS.get(prio, MUTED), label=str(prio))
        bottom += values
    ax.set_xticks(x, [f"{b} d" for b in bands])
    ax.set_ylabel("open entries")
    legend_below(ax, offset=30, ncol=4)
    if title:
        ax.set_title(title)
    return ax
