"""Agile charts: burn-down, burn-up, velocity, cumulative flow, cycle-time scatter, aging WIP,
throughput run chart and forecast histogram.

Each function draws a finished result of :mod:`tpmkit.agile` (a metrics table or a
:class:`~tpmkit.agile.Forecast`) and returns the Axes; nothing is computed here.

References
----------
.. [1] D. S. Vacanti, *Actionable Agile Metrics for Predictability*, 2015 (CFD, cycle-time
   scatter, aging WIP).
.. [2] M. Cohn, *Agile Estimating and Planning*, 2005, ch. 16–17 (velocity, burn-down).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from tpmkit.agile import Forecast
from tpmkit.errors import DataError
from tpmkit.plot._theme import (
    ACTUAL,
    CRITICAL,
    EARNED,
    MUTED,
    OKABE_ITO,
    PLAN,
    get_ax,
    legend_below,
    p_color,
    themed,
)
from tpmkit.plot._util import require_columns

__all__ = [
    "aging_wip",
    "cumulative_flow",
    "cycle_time_scatter",
    "forecast_histogram",
    "release_burnup",
    "sprint_burndown",
    "throughput_run",
    "velocity",
]


def _levels(percentiles: pd.DataFrame | pd.Series | None) -> list[tuple[float, float]]:
    """(level, days) pairs from a ``cycle_time_percentiles`` table (its ``all`` row) or a Series."""
    if percentiles is None:
        return []
    row = percentiles.loc["all"] if isinstance(percentiles, pd.DataFrame) else percentiles
    return [(float(str(k)[1:]), float(v)) for k, v in row.items()
            if str(k).startswith("p") and str(k)[1:].replace(".", "").isdigit() and pd.notna(v)]


@themed
def sprint_burndown(table: pd.DataFrame, *, title: str | None = "Sprint burn-down",
                    ax: Axes | None = None) -> Axes:
    """Sprint burn-down: remaining work per day, the ideal line and the scope.

    Parameters
    ----------
    table : DataFrame
        :func:`tpmkit.agile.burndown` result (``scope``, ``remaining``, ``ideal`` by date).

    Returns
    -------
    matplotlib.axes.Axes
        Lines with gids ``"remaining"``, ``"ideal"``, ``"scope"``.
    """
    t = require_columns(table, ["scope", "remaining", "ideal"], "burn-down table",
                        "pass tpmkit.agile.burndown(board, sprint)")
    ax = get_ax(ax)
    ax.plot(t.index, t["remaining"], color=PLAN, marker="o", ms=3.5, gid="remaining",
            label="remaining")
    ax.plot(t.index, t["ideal"], color=MUTED, ls="--", lw=1.2, gid="ideal", label="ideal")
    ax.step(t.index, t["scope"], where="post", color=OKABE_ITO["black"], lw=1.0, gid="scope",
            label="scope")
    ax.set_ylabel("work remaining")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right")
    if title:
        ax.set_title(title)
    return ax


@themed
def release_burnup(table: pd.DataFrame, *, forecast: Forecast | None = None,
                   title: str | None = "Release burn-up", ax: Axes | None = None) -> Axes:
    """Release burn-up: cumulative done work against the scope line.

    Parameters
    ----------
    table : DataFrame
        :func:`tpmkit.agile.burnup` result (``scope``, ``done`` by period).
    forecast : Forecast, optional
        A :func:`tpmkit.agile.when` or :func:`~tpmkit.agile.release_forecast` result: its dates
        are marked on the scope line.

    Returns
    -------
    matplotlib.axes.Axes
        Lines with gids ``"done"`` and ``"scope"``, one marker per forecast confidence.
    """
    t = require_columns(table, ["scope", "done"], "burn-up table",
                        "pass tpmkit.agile.burnup(board)")
    ax = get_ax(ax)
    ax.plot(t.index, t["done"], color=EARNED, lw=2.2, gid="done", label="done")
    ax.plot(t.index, t["scope"], color=OKABE_ITO["black"], lw=1.4, gid="scope", label="scope")
    if forecast is not None and "date" in forecast.table.columns:
        top = float(t["scope"].iloc[-1])
        for k, (lab, row) in enumerate(forecast.table.iterrows()):
            q = float(str(lab[-1] if isinstance(lab, tuple) else lab).lstrip("P"))
            ax.plot([row["date"]], [top], marker="v", ms=8, color=p_color(q, k), ls="none",
                    gid=f"P{q:g}", label=f"P{q:g} {row['date']:%Y-%m-%d}")
    ax.set_ylabel("cumulative work")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    if title:
        ax.set_title(title)
    return ax


@themed
def velocity(table: pd.DataFrame, *, title: str | None = "Velocity",
             ax: Axes | None = None) -> Axes:
    """Velocity chart: committed (+ added) vs completed work per sprint.

    Parameters
    ----------
    table : DataFrame
        :func:`tpmkit.agile.velocity` result.

    Returns
    -------
    matplotlib.axes.Axes
        Bar containers labelled ``committed``, ``added``, ``completed``; the mean completed
        line has gid ``"average"``.
    """
    t = require_columns(table, ["committed", "added", "completed"], "velocity table",
                        "pass tpmkit.agile.velocity(board)")
    ax = get_ax(ax)
    x = np.arange(len(t))
    w = 0.38
    ax.bar(x - w / 2, t["committed"], w, color=MUTED, alpha=0.55, label="committed")
    ax.bar(x - w / 2, t["added"], w, bottom=t["committed"], color=ACTUAL, alpha=0.7,
           label="added")
    ax.bar(x + w / 2, t["completed"], w, color=EARNED, label="completed")
    if len(t):
        ax.axhline(float(t["completed"].mean()), color=PLAN, ls="--", lw=1.2, gid="average",
                   label=f"mean completed {t['completed'].mean():.1f}")
    ax.set_xticks(x, [str(s) for s in t.index], rotation=45, ha="right")
    ax.set_ylabel("work per sprint")
    legend_below(ax, offset=56, ncol=4)
    if title:
        ax.set_title(title)
    return ax


@themed
def cumulative_flow(table: pd.DataFrame, *, title: str | None = "Cumulative flow",
                    ax: Axes | None = None) -> Axes:
    """Cumulative flow diagram: stacked bands of done, in progress and to do per day.

    Parameters
    ----------
    table : DataFrame
        :func:`tpmkit.agile.cumulative_flow` result (``to_do``, ``in_progress``, ``done``).

    Returns
    -------
    matplotlib.axes.Axes
        One filled band per state (gids ``"done"``, ``"in_progress"``, ``"to_do"``).
    """
    t = require_columns(table, ["to_do", "in_progress", "done"], "cumulative-flow table",
                        "pass tpmkit.agile.cumulative_flow(board)")
    ax = get_ax(ax)
    bottom = np.zeros(len(t))
    for col, color, label in (("done", EARNED, "Done"), ("in_progress", PLAN, "In progress"),
                              ("to_do", MUTED, "To do")):
        top = bottom + t[col].to_numpy(float)
        band = ax.fill_between(t.index, bottom, top, color=color, alpha=0.75, lw=0, label=label)
        band.set_gid(col)
        bottom = top
    ax.set_ylabel("items")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    if title:
        ax.set_title(title)
    return ax


@themed
def cycle_time_scatter(table: pd.DataFrame, percentiles: pd.DataFrame | pd.Series | None = None,
                       *, title: str | None = "Cycle time", ax: Axes | None = None) -> Axes:
    """Cycle-time scatter: one dot per finished item (done date × cycle time), percentile lines.

    Parameters
    ----------
    table : DataFrame
        :func:`tpmkit.agile.cycle_times` result.
    percentiles : DataFrame or Series, optional
        :func:`tpmkit.agile.cycle_time_percentiles` result (its ``all`` row is drawn).

    Returns
    -------
    matplotlib.axes.Axes
        One scatter collection per item type; horizontal lines with gids ``"P50"``, ….
    """
    t = require_columns(table, ["done", "cycle_time", "type"], "cycle-time table",
                        "pass tpmkit.agile.cycle_times(board)")
    ax = get_ax(ax)
    t = t[t["cycle_time"].notna()]
    for k, (kind, g) in enumerate(t.groupby("type", sort=False)):
        ax.scatter(g["done"], g["cycle_time"], s=14, alpha=0.7, label=str(kind),
                   color=[PLAN, ACTUAL, EARNED, CRITICAL, MUTED][k % 5])
    for k, (q, days) in enumerate(_levels(percentiles)):
        ax.axhline(days, color=p_color(q, k + 2), ls="--", lw=1.1, gid=f"P{q:g}",
                   label=f"P{q:g} {days:g} d")
    ax.set_ylabel("cycle time [days]")
    ax.set_ylim(bottom=0)
    legend_below(ax, offset=30, ncol=4)
    if title:
        ax.set_title(title)
    return ax


@themed
def aging_wip(table: pd.DataFrame, percentiles: pd.DataFrame | pd.Series | None = None, *,
              title: str | None = "Aging work in progress", ax: Axes | None = None) -> Axes:
    """Aging WIP: age of each open item by status, against cycle-time percentile lines.

    Parameters
    ----------
    table : DataFrame
        :func:`tpmkit.agile.aging_wip` result.
    percentiles : DataFrame or Series, optional
        :func:`tpmkit.agile.cycle_time_percentiles` result.

    Returns
    -------
    matplotlib.axes.Axes
        One scatter collection of items (gid ``"items"``); percentile lines ``"P50"``, ….
    """
    t = require_columns(table, ["status", "age", "exceeds"], "aging-WIP table",
                        "pass tpmkit.agile.aging_wip(board)")
    ax = get_ax(ax)
    statuses = list(dict.fromkeys(t["status"]))
    x = pd.Index(statuses).get_indexer(t["status"]).astype(float)
    jitter = (np.arange(len(t)) % 5 - 2) * 0.06
    colors = np.where(t["exceeds"].fillna(0).to_numpy(float) >= 85, CRITICAL, PLAN)
    ax.scatter(x + jitter, t["age"], s=30, c=list(colors), alpha=0.85, gid="items", zorder=3)
    for k, (q, days) in enumerate(_levels(percentiles)):
        ax.axhline(days, color=p_color(q, k + 2), ls="--", lw=1.1, gid=f"P{q:g}",
                   label=f"P{q:g} {days:g} d")
    ax.set_xticks(np.arange(len(statuses)), statuses)
    ax.set_xlim(-0.6, max(len(statuses) - 0.4, 0.6))
    ax.set_ylabel("age [days]")
    ax.set_ylim(bottom=0)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left")
    if title:
        ax.set_title(title)
    return ax


@themed
def throughput_run(series: pd.Series, *, title: str | None = "Throughput",
                   ax: Axes | None = None) -> Axes:
    """Throughput run chart: items finished per period with the mean line.

    Parameters
    ----------
    series : Series
        :func:`tpmkit.agile.throughput` result.

    Returns
    -------
    matplotlib.axes.Axes
        The run line (gid ``"throughput"``) and the mean (gid ``"mean"``).
    """
    if not isinstance(series, pd.Series):
        raise DataError(f"throughput must be a pandas Series, got {type(series).__name__}; pass "
                        "tpmkit.agile.throughput(board)")
    ax = get_ax(ax)
    ax.plot(series.index, series.to_numpy(float), color=PLAN, marker="o", ms=3.5,
            gid="throughput", label="items finished")
    if len(series):
        m = float(series.mean())
        ax.axhline(m, color=MUTED, ls="--", lw=1.1, gid="mean", label=f"mean {m:.1f}")
    ax.set_ylabel("items per period")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    if title:
        ax.set_title(title)
    return ax


@themed
def forecast_histogram(forecast: Forecast, *, title: str | None = None,
                       ax: Axes | None = None) -> Axes:
    """Histogram of a Monte Carlo forecast's trials with its percentile lines.

    Parameters
    ----------
    forecast : Forecast
        :func:`tpmkit.agile.when`, :func:`~tpmkit.agile.how_many` or
        :func:`~tpmkit.agile.release_forecast` result (for ``when`` with several backlog
        sizes, the largest is drawn).

    Returns
    -------
    matplotlib.axes.Axes
        Bars of the trial counts; vertical lines with gids ``"P50"``, ….
    """
    if not isinstance(forecast, Forecast):
        raise DataError(f"forecast must be a tpmkit.agile.Forecast, got "
                        f"{type(forecast).__name__}; pass tpmkit.agile.when(board, n)")
    samples = forecast.samples if forecast.samples.ndim == 1 else forecast.samples[:, -1]
    table = forecast.table
    if isinstance(table.index, pd.MultiIndex):
        table = table.xs(table.index.get_level_values(0)[-1], level=0)
    col = {"when": "periods", "how_many": "items", "release": "sprints"}[forecast.question]
    ax = get_ax(ax)
    lo, hi = float(samples.min()), float(samples.max())
    bins: Any = np.arange(np.floor(lo), np.ceil(hi) + 2) - 0.5 if hi - lo < 200 else 50
    ax.hist(samples, bins=bins, color=PLAN, alpha=0.75, gid="trials")
    for k, (lab, v) in enumerate(table[col].items()):
        q = float(str(lab).lstrip("P"))
        ax.axvline(float(v), color=p_color(q, k), ls="--", lw=1.3, gid=f"P{q:g}",
                   label=f"{lab} {float(v):g}")
    unit = {"day": "days", "week": "weeks", "sprint": "sprints"}.get(forecast.freq, "periods")
    ax.set_xlabel("items done" if col == "items" else f"{unit} needed")
    ax.set_ylabel("trials")
    ax.legend(loc="upper right")
    ax.set_title(title if title is not None else
                 f"Forecast ({forecast.question.replace('_', ' ')}), {forecast.trials} trials")
    return ax
