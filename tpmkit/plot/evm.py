"""Earned-value charts of a finished :func:`tpmkit.evm.metrics` table.

The x axis is the period end date when the table has a ``date`` column, else the period
number. Nothing is computed here beyond placing the table's own forecasts on the axis.

References
----------
.. [1] Project Management Institute (2019). *The Standard for Earned Value Management*.
.. [2] Lipke, W. (2003). Schedule is different. *The Measurable News*, March 2003, 31–34.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from tpmkit.evm import EVMResult
from tpmkit.plot._theme import (
    ACTUAL,
    CRITICAL,
    EARNED,
    MUTED,
    OKABE_ITO,
    PLAN,
    STATUS,
    get_ax,
    themed,
)
from tpmkit.plot._util import require_columns

__all__ = ["earned_schedule", "evm_s_curve", "performance_trend"]

_FIX = "pass the result of tpmkit.evm.metrics(...)"


def _axis(table: pd.DataFrame) -> tuple[np.ndarray, bool]:
    """x values of the periods: period-end dates (as matplotlib numbers) or period numbers."""
    if "date" in table.columns and pd.to_datetime(table["date"], errors="coerce").notna().all():
        return mdates.date2num(pd.to_datetime(table["date"])), True
    return table.index.to_numpy(float), False


def _status(table: pd.DataFrame, result: Any) -> Any:
    """The status period: the result's, else the last period with EV (or ES)."""
    if isinstance(result, EVMResult):
        return result.status_period
    col = "ev" if "ev" in table else "es"
    done = table[col].notna() if col in table else pd.Series(False, index=table.index)
    return table.index[done.to_numpy()][-1] if done.any() else None


def _date_axis(ax: Axes, x: np.ndarray | None = None) -> None:
    """Concise date ticks; a single period gets a month either side (not matplotlib's
    default span of years around one date)."""
    if x is not None and len(x) and np.ptp(np.asarray(x, float)) < 1.0:
        mid = float(np.asarray(x, float)[0])
        ax.set_xlim(mid - 20.0, mid + 20.0)
    loc = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


def _period_to_x(table: pd.DataFrame, x: np.ndarray, dated: bool, t: float) -> float:
    """x of a (fractional) period ``t``: interpolates between period ends (period 0 at the
    start of period 1, one period length before its end)."""
    idx = table.index.to_numpy(float)
    if not dated:
        return float(t)
    step = float(np.median(np.diff(x))) if len(x) > 1 else 30.0
    xs = np.concatenate([[x[0] - step * idx[0]], x])
    ps = np.concatenate([[0.0], idx])
    if t <= ps[-1]:
        return float(np.interp(t, ps, xs))
    return float(xs[-1] + (t - ps[-1]) * step)


@themed
def evm_s_curve(table: EVMResult | pd.DataFrame, *, forecast: bool = True,
                title: str | None = "Earned value", ax: Axes | None = None) -> Axes:
    """PV, EV and AC curves with BAC, the EAC projection and the status date.

    Parameters
    ----------
    table : EVMResult or DataFrame
        From :func:`tpmkit.evm.metrics` (its status period, BAC, PD and currency are used),
        or a table with ``pv``, ``ev``, ``ac`` [currency] per period, optionally ``date``,
        ``bac``, ``eac``, ``ieac_t`` / ``ieac_t_date`` (status = the last period with EV).
    forecast : bool
        Draw the EAC projection: a dashed line from AC at the status date to the EAC at the
        earned-schedule forecast finish (``ieac_t``), or at the planned finish when absent.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        Lines with gids ``"pv"``, ``"ev"``, ``"ac"``, ``"bac"``, ``"eac"`` (projection) and
        ``"status_date"``.

    References
    ----------
    .. [1] PMI (2019). *The Standard for Earned Value Management*, ch. 4–5.

    Examples
    --------
    >>> t = pd.DataFrame({"pv": [10.0, 25.0, 40.0], "ev": [9.0, 20.0, np.nan],
    ...     "ac": [11.0, 24.0, np.nan], "bac": 40.0, "eac": [48.9, 48.0, np.nan],
    ...     "ieac_t": [3.3, 3.6, np.nan]}, index=pd.Index([1, 2, 3], name="period"))
    >>> from matplotlib.figure import Figure
    >>> ax = evm_s_curve(t, ax=Figure().subplots())
    >>> sorted(l.get_gid() for l in ax.lines if l.get_gid())
    ['ac', 'bac', 'eac', 'ev', 'pv', 'status_date']
    """
    t = require_columns(table, ["pv", "ev", "ac"], "EVM table", _FIX)
    result = table if isinstance(table, EVMResult) else None
    ax = get_ax(ax)
    x, dated = _axis(t)
    k = _status(t, result)
    kpos = int(np.flatnonzero(t.index == k)[0]) if k is not None else len(t) - 1
    cur = result.currency if result is not None else ""
    # the curves start at zero at the start of period 1 (cumulative values)
    x0 = _period_to_x(t, x, dated, float(t.index[0]) - 1.0)
    xs = np.r_[x0, x]
    pv, ev, ac = (np.r_[0.0, t[c].to_numpy(float)] for c in ("pv", "ev", "ac"))
    ax.plot(xs, pv, color=PLAN, lw=2.2, gid="pv", label="PV (planned value)")
    ax.plot(xs[: kpos + 2], ev[: kpos + 2], color=EARNED, lw=2.2, marker="o", ms=4,
            gid="ev", label="EV (earned value)")
    ax.plot(xs[: kpos + 2], ac[: kpos + 2], color=ACTUAL, lw=2.2, marker="s", ms=4,
            gid="ac", label="AC (actual cost)")
    bac = (result.bac if result is not None
           else t["bac"].iloc[0] if "bac" in t else float(t["pv"].max()))
    ax.axhline(bac, color=MUTED, lw=1.0, ls="-.", gid="bac", label=f"BAC {bac:,.0f}")
    if forecast and k is not None and "eac" in t and np.isfinite(t.loc[k, "eac"]):
        eac = float(t.loc[k, "eac"])
        if "ieac_t" in t and np.isfinite(t.loc[k, "ieac_t"]):
            fin = float(t.loc[k, "ieac_t"])
            what = "ES forecast finish"
        else:
            fin = float(result.planned_duration if result is not None else t.index[-1])
            what = "planned finish"
        xf = _period_to_x(t, x, dated, fin)
        ax.plot([x[kpos], xf], [float(t.loc[k, "ac"]), eac], color=CRITICAL, lw=1.8, ls="--",
                gid="eac", label=f"EAC {eac:,.0f} at {what}")
        ax.plot([xf], [eac], marker="D", color=CRITICAL, ms=6, linestyle="none")
    if k is not None:
        ax.axvline(x[kpos], color=STATUS, lw=1.3, ls="--", gid="status_date",
                   label=f"status: period {k}" + (f" ({mdates.num2date(x[kpos]):%d %b %Y})"
                                                   if dated else ""))
    if dated:
        _date_axis(ax)
    else:
        ax.set_xlabel("period")
    ax.set_ylabel(f"cumulative [{cur}]" if cur else "cumulative cost")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    if title:
        ax.set_title(title)
    return ax


@themed
def performance_trend(table: EVMResult | pd.DataFrame, *,
                      indices: Sequence[str] = ("spi", "cpi", "spi_t"),
                      thresholds: tuple[float, float] = (0.9, 0.95),
                      title: str | None = "Performance indices", ax: Axes | None = None) -> Axes:
    """SPI, CPI and SPI(t) per period against the 1.0 line and the RAG thresholds.

    Parameters
    ----------
    table : EVMResult or DataFrame
        From :func:`tpmkit.evm.metrics` (or its table).
    indices : sequence of str
        Columns to draw (any of ``spi``, ``cpi``, ``spi_t``, ``tcpi_bac``, ``tspi``).
    thresholds : (float, float)
        (red, amber) limits: an index below the first is red, below the second amber; the
        bands are shaded.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        One line per index (gid = the column name) plus the 1.0 line (gid ``"target"``).

    References
    ----------
    .. [1] Lipke, W. (2003). Schedule is different. *The Measurable News*, March, 31–34.

    Examples
    --------
    >>> t = pd.DataFrame({"spi": [0.9, 0.95], "cpi": [0.8, 0.85], "spi_t": [0.92, 0.96]},
    ...                  index=pd.Index([1, 2], name="period"))
    >>> from matplotlib.figure import Figure
    >>> ax = performance_trend(t, ax=Figure().subplots())
    >>> sorted(l.get_gid() for l in ax.lines if l.get_gid())
    ['cpi', 'spi', 'spi_t', 'target']
    """
    t = require_columns(table, list(indices), "EVM table", _FIX)
    red, amber = (float(v) for v in thresholds)
    ax = get_ax(ax)
    x, dated = _axis(t)
    style = {"spi": (PLAN, "o", "SPI = EV/PV"), "cpi": (ACTUAL, "s", "CPI = EV/AC"),
             "spi_t": (EARNED, "^", "SPI(t) = ES/AT"), "tcpi_bac": (OKABE_ITO["reddish_purple"],
                                                                   "v", "TCPI (BAC)"),
             "tspi": (OKABE_ITO["sky_blue"], "D", "TSPI")}
    vals = []
    for col in indices:
        color, marker, label = style.get(col, (MUTED, "o", col))
        v = pd.to_numeric(t[col], errors="coerce")
        vals.append(v.to_numpy(float))
        ax.plot(x, v, color=color, marker=marker, ms=4.5, lw=1.9, gid=col, label=label)
    allv = np.concatenate(vals) if vals else np.array([1.0])
    allv = allv[np.isfinite(allv)]
    lo = min(float(allv.min()) if len(allv) else 1.0, red) - 0.05
    hi = max(float(allv.max()) if len(allv) else 1.0, 1.0) + 0.05
    ax.axhspan(lo, red, color=CRITICAL, alpha=0.08, lw=0, zorder=0)
    ax.axhspan(red, amber, color=ACTUAL, alpha=0.10, lw=0, zorder=0)
    ax.axhline(1.0, color=OKABE_ITO["black"], lw=1.0, gid="target", label="1.0 = on plan")
    ax.axhline(amber, color=ACTUAL, lw=0.8, ls=":", label=f"amber < {amber:g}")
    ax.axhline(red, color=CRITICAL, lw=0.8, ls=":", label=f"red < {red:g}")
    ax.set_ylim(lo, hi)
    if dated:
        _date_axis(ax, x)
    else:
        ax.set_xlabel("period")
    ax.set_ylabel("index")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    if title:
        ax.set_title(title)
    return ax


@themed
def earned_schedule(table: EVMResult | pd.DataFrame, *, title: str | None = "Earned schedule",
                    ax: Axes | None = None) -> Axes:
    """Earned schedule ES against actual time AT, with the ES forecast of the finish.

    The diagonal ES = AT is "on schedule"; points below it are behind by SV(t) = ES − AT.
    The planned duration PD and the independent estimate IEAC(t) of the status period
    are marked on the time axis.

    Parameters
    ----------
    table : EVMResult or DataFrame
        From :func:`tpmkit.evm.metrics` (its PD and status period are used), or a table with
        ``es``, ``at`` [periods] and optionally ``ieac_t``.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        Lines with gids ``"es"``, ``"on_schedule"`` and, when known, ``"pd"`` and
        ``"ieac_t"``.

    References
    ----------
    .. [1] Lipke, W. (2003). Schedule is different. *The Measurable News*, March, 31–34.

    Examples
    --------
    >>> from tpmkit.evm import EVMResult
    >>> t = pd.DataFrame({"es": [0.8, 1.7], "at": [1.0, 2.0], "ieac_t": [5.0, 4.7]},
    ...                  index=pd.Index([1, 2], name="period"))
    >>> r = EVMResult(table=t, bac=100.0, planned_duration=4, status_period=2,
    ...               eac_method="cpi", source="periods")
    >>> from matplotlib.figure import Figure
    >>> ax = earned_schedule(r, ax=Figure().subplots())
    >>> sorted(l.get_gid() for l in ax.lines if l.get_gid())
    ['es', 'ieac_t', 'on_schedule', 'pd']
    """
    t = require_columns(table, ["es", "at"], "EVM table", _FIX)
    result = table if isinstance(table, EVMResult) else None
    ax = get_ax(ax)
    done = t["es"].notna() & t["at"].notna()
    at = np.concatenate([[0.0], t.loc[done, "at"].to_numpy(float)])
    es = np.concatenate([[0.0], t.loc[done, "es"].to_numpy(float)])
    pd_ = result.planned_duration if result is not None else None
    top = float(np.nanmax([at.max(), es.max(), pd_ or 0]))
    k = _status(t, result)
    ieac = float(t.loc[k, "ieac_t"]) if k is not None and "ieac_t" in t and np.isfinite(
        t.loc[k, "ieac_t"]) else None
    right = max(top, ieac or 0) * 1.05 + 0.2
    ax.plot([0, right], [0, right], color=MUTED, lw=1.0, ls="--", gid="on_schedule",
            label="ES = AT (on schedule)")
    ax.plot(at, es, color=EARNED, marker="o", ms=5, lw=2.2, gid="es", label="ES (earned schedule)")
    ax.fill_between(at, es, at, where=es < at, color=CRITICAL, alpha=0.12, lw=0,
                    label="behind schedule (SV(t) < 0)")
    if pd_:
        ax.axhline(float(pd_), color=PLAN, lw=1.2, ls="-.", gid="pd", label=f"PD = {pd_:g}")
    if ieac is not None:
        ax.axvline(ieac, color=CRITICAL, lw=1.4, ls=":", gid="ieac_t",
                   label=f"IEAC(t) = {ieac:.1f} periods")
        ax.plot([at[-1], ieac], [es[-1], float(pd_) if pd_ else es[-1]], color=CRITICAL, lw=1.2,
                ls="--")
    if len(at) > 1:
        ax.annotate(f"SV(t) = {es[-1] - at[-1]:+.2f}\nSPI(t) = {es[-1] / at[-1]:.2f}",
                    xy=(at[-1], es[-1]), xytext=(8, -26), textcoords="offset points",
                    fontsize=8, color="#333333")
    ax.set_xlim(0, right)
    ax.set_ylim(0, right)
    ax.set_xlabel("actual time AT [periods]")
    ax.set_ylabel("earned schedule ES [periods]")
    ax.legend(loc="upper left", fontsize=8)
    if title:
        ax.set_title(title)
    return ax
