"""Quality charts: control chart, defect arrival/closure, open-defect stack, test progress.

Each function draws a finished result of :mod:`tpmkit.quality` and returns the Axes.

References
----------
.. [1] Montgomery, D. C. (2019). *Introduction to Statistical Quality Control*, 8th ed.
.. [2] Kan, S. H. (2002). *Metrics and Models in Software Quality Engineering*, 2nd ed.,
   §4.4 (defect arrival and backlog charts).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes

from tpmkit.errors import DataError
from tpmkit.plot._theme import ACTUAL, CRITICAL, EARNED, MUTED, OKABE_ITO, PLAN, get_ax, themed
from tpmkit.plot._util import require_columns
from tpmkit.quality import SEVERITIES, ControlChart

__all__ = ["control_chart", "defect_arrival", "execution_progress", "open_defects"]

_SEVERITY_COLORS = [OKABE_ITO[k] for k in ("vermillion", "orange", "sky_blue", "bluish_green",
                                           "reddish_purple", "yellow")]


@themed
def control_chart(chart: ControlChart, *, dispersion: bool = False, title: str | None = None,
                  ax: Axes | None = None) -> Axes:
    """Points with centre line, control limits (stepped where they change) and flagged points.

    Points where a run rule fired are drawn in the critical colour and labelled with the
    rule numbers; a phase change is a vertical dotted line.

    Parameters
    ----------
    chart : ControlChart
        Result of :func:`tpmkit.quality.xmr`, :func:`~tpmkit.quality.xbar_r`,
        :func:`~tpmkit.quality.p_chart`, ….
    dispersion : bool
        Draw the companion chart (moving range, range or s) instead.
    title : str, optional
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    if not isinstance(chart, ControlChart):
        raise DataError(f"control_chart needs a ControlChart, got {type(chart).__name__}; pass "
                        "tpmkit.quality.xmr(...) or another chart function's result")
    if dispersion:
        if chart.dispersion is None:
            raise DataError(f"the {chart.kind} chart has no dispersion chart; use dispersion=False")
        chart = chart.dispersion
    ax = get_ax(ax)
    t = chart.table
    x = np.arange(len(t))
    ax.plot(x, t["value"], color=PLAN, marker="o", markersize=4, linewidth=1.2,
            label=chart.kind.replace("_", " "), zorder=3)
    ax.step(x, t["centre"], where="mid", color=MUTED, linewidth=1.0, label="centre")
    ax.step(x, t["ucl"], where="mid", color=CRITICAL, linewidth=1.0, linestyle="--",
            label="control limits")
    ax.step(x, t["lcl"], where="mid", color=CRITICAL, linewidth=1.0, linestyle="--")
    flagged = t["out_of_control"].to_numpy()
    if flagged.any():
        ax.scatter(x[flagged], t["value"].to_numpy()[flagged], s=50, color=CRITICAL, zorder=4,
                   label="out of control")
        for xi, v, r in zip(x[flagged], t["value"].to_numpy()[flagged], t["rules"][flagged],
                            strict=True):
            ax.annotate(",".join(map(str, r)), (xi, v), textcoords="offset points",
                        xytext=(0, 7), ha="center", fontsize=8, color=CRITICAL)
    phase = t["phase"].to_numpy()
    for i in np.flatnonzero(phase[1:] != phase[:-1]) + 1:
        ax.axvline(i - 0.5, color=MUTED, linestyle=":", linewidth=1.0)
        ax.annotate(str(phase[i]), (i - 0.5, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, -10), textcoords="offset points", fontsize=8, color=MUTED)
    step = max(1, len(t) // 12)
    ax.set_xticks(x[::step], [str(i) for i in t.index[::step]])
    ax.set_xlabel("sample")
    ax.set_ylabel(chart.kind.replace("_", " "))
    ax.legend(loc="best", fontsize=8)
    ax.set_title(title or f"{chart.kind.replace('_', ' ')} control chart")
    return ax


@themed
def defect_arrival(trend: Any, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Defects found and closed per period (bars) with the open backlog (line).

    Parameters
    ----------
    trend : DataFrame
        :func:`tpmkit.quality.defect_trend`.
    """
    t = require_columns(trend, ["found", "closed", "open"], "defect trend",
                        "pass tpmkit.quality.defect_trend(log)")
    ax = get_ax(ax)
    x = np.arange(len(t))
    ax.bar(x - 0.2, t["found"], width=0.4, color=CRITICAL, label="found")
    ax.bar(x + 0.2, t["closed"], width=0.4, color=EARNED, label="closed")
    ax.plot(x, t["open"], color=ACTUAL, marker="o", markersize=3, label="open")
    _date_ticks(ax, t.index)
    ax.set_ylabel("defects")
    ax.legend(loc="best", fontsize=8)
    ax.set_title(title or "Defect arrival and closure")
    return ax


@themed
def open_defects(open_by_severity: Any, *, title: str | None = None,
                 ax: Axes | None = None) -> Axes:
    """Open defects at each period end stacked by severity (most severe at the bottom).

    Parameters
    ----------
    open_by_severity : DataFrame
        :func:`tpmkit.quality.open_by_severity`.
    """
    if open_by_severity is None or not hasattr(open_by_severity, "columns"):
        raise DataError("open defects need a DataFrame; pass tpmkit.quality.open_by_severity(log)")
    t = open_by_severity
    ax = get_ax(ax)
    x = np.arange(len(t))
    order = [c for c in SEVERITIES if c in t.columns] + [c for c in t.columns
                                                        if c not in SEVERITIES]
    ax.stackplot(x, *[t[c].to_numpy(dtype=float) for c in order], labels=order,
                 colors=_SEVERITY_COLORS[: len(order)], alpha=0.85)
    _date_ticks(ax, t.index)
    ax.set_ylabel("open defects")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(title or "Open defects by severity")
    return ax


@themed
def execution_progress(progress: Any, *, title: str | None = None,
                       ax: Axes | None = None) -> Axes:
    """Cumulative tests planned, executed and passed against the plan.

    Parameters
    ----------
    progress : DataFrame
        :func:`tpmkit.quality.execution_progress`.
    """
    t = require_columns(progress, ["planned", "executed", "passed"], "test progress",
                        "pass tpmkit.quality.execution_progress(runs)")
    ax = get_ax(ax)
    x = np.arange(len(t))
    ax.plot(x, t["planned"], color=PLAN, linestyle="--", label="planned")
    ax.plot(x, t["executed"], color=ACTUAL, label="executed")
    ax.plot(x, t["passed"], color=EARNED, label="passed")
    ax.fill_between(x, t["executed"], t["planned"], where=t["executed"] < t["planned"],
                    color=CRITICAL, alpha=0.12, label="behind plan")
    _date_ticks(ax, t.index)
    ax.set_ylabel("test cases (cumulative)")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(title or "Test execution progress")
    return ax


def _date_ticks(ax: Axes, index: Any) -> None:
    step = max(1, len(index) // 10)
    labels = [d.strftime("%d %b") if hasattr(d, "strftime") else str(d) for d in index[::step]]
    ax.set_xticks(np.arange(len(index))[::step], labels, rotation=0)
