"""Planning charts: resource histogram, burn-up forecast, stakeholder grid, WBS tree.

Each function draws a finished result of :mod:`tpmkit.resources`, :mod:`tpmkit.estimate`
or :mod:`tpmkit.scope`.

References
----------
.. [1] Cohn, M. (2005). *Agile Estimating and Planning*. Prentice Hall, ch. 16–17.
.. [2] Mendelow, A. L. (1981). Environmental scanning: the impact of the stakeholder
   concept. *ICIS 1981 Proceedings*.
"""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.patches import Patch

from tpmkit.errors import DataError, ValidationError, format_ids
from tpmkit.estimate import BurnupForecast
from tpmkit.plot._theme import (
    ACTUAL,
    CRITICAL,
    EARNED,
    GRID,
    MUTED,
    OKABE_ITO,
    PLAN,
    SUMMARY,
    get_ax,
    p_color,
    themed,
    truncate,
)
from tpmkit.plot._util import require_columns

__all__ = ["burnup", "power_interest_grid", "resource_histogram", "wbs_tree"]

_RES_COLORS = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "reddish_purple",
                                      "sky_blue", "vermillion", "yellow", "black")]


@themed
def resource_histogram(loading: Any, resource: str | None = None, *, by: str = "day",
                       title: str | None = None, ax: Axes | None = None) -> Axes:
    """Resource usage per period as bars, with the capacity as a step line.

    Usage above capacity is drawn in the critical colour. Without ``resource`` all
    resources are stacked against their combined capacity (meaningful when they share a
    unit such as people).

    Parameters
    ----------
    loading : Loading or DataFrame
        :func:`tpmkit.resources.loading` result, or the tidy table of
        :func:`tpmkit.resources.histogram` (``resource``, ``day``/``period``, ``usage``,
        ``capacity``).
    resource : str, optional
        One resource id; default all.
    by : {"day", "week", "month"}
        Period of a :class:`Loading` (weeks and months need dates).
    title : str or None
        Axes title (default names the resource).
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        Bars (one container per resource, gid ``"usage:<resource>"``), over-allocation bars
        (gid ``"over"``) and the capacity line (gid ``"capacity"``).

    Examples
    --------
    >>> h = pd.DataFrame({"resource": ["dev"] * 3, "day": [0, 1, 2],
    ...                   "usage": [1.0, 3.0, 2.0], "capacity": [2.0, 2.0, 2.0]})
    >>> from matplotlib.figure import Figure
    >>> ax = resource_histogram(h, ax=Figure().subplots())
    >>> len(ax.containers[0]), [l.get_gid() for l in ax.lines]
    (3, ['capacity'])
    """
    if hasattr(loading, "histogram") and hasattr(loading, "usage"):
        tidy = loading.histogram(resource, by=by)
    else:
        tidy = require_columns(loading, ["resource", "usage", "capacity"], "resource histogram",
                               "pass tpmkit.resources.loading(project) or "
                               "tpmkit.resources.histogram(project)")
        if resource is not None:
            if resource not in set(tidy["resource"]):
                raise ValidationError(
                    f"unknown resource {format_ids([resource])}; choose one of "
                    f"{format_ids(sorted(set(tidy['resource'])), 20)}")
            tidy = tidy[tidy["resource"] == resource]
    key = "period" if "period" in tidy else ("date" if "date" in tidy else "day")
    use = tidy.pivot_table(index=key, columns="resource", values="usage", aggfunc="sum",
                           sort=True)
    cap = tidy.pivot_table(index=key, columns="resource", values="capacity", aggfunc="sum",
                           sort=True).sum(axis=1)
    over_units = np.maximum(use.to_numpy() - tidy.pivot_table(
        index=key, columns="resource", values="capacity", aggfunc="sum", sort=True
    ).to_numpy(), 0.0).sum(axis=1)
    dated = key in ("period", "date")
    xs = mdates.date2num(pd.to_datetime(use.index)) if dated else use.index.to_numpy(float)
    if dated and key == "period":
        width = np.diff(np.r_[xs, xs[-1] + (np.median(np.diff(xs)) if len(xs) > 1 else 7)]) * 0.8
    else:
        width = 0.85 if not dated else 0.8
    ax = get_ax(ax)
    bottom = np.zeros(len(use))
    single = use.shape[1] == 1
    for k, res in enumerate(use.columns):
        v = use[res].to_numpy(float)
        color = PLAN if single else _RES_COLORS[k % len(_RES_COLORS)]
        # past eight resources the palette repeats: tell the repeats apart by a hatch
        hatch = (None, "..", "xx", "--")[(k // len(_RES_COLORS)) % 4]
        bars = ax.bar(xs, v, width=width, bottom=bottom, color=color, align="edge" if
                      key == "period" else "center", label=str(res), zorder=2, linewidth=0,
                      hatch=hatch, edgecolor="white" if hatch else None)
        for b in bars.patches:
            b.set_gid(f"usage:{res}")
        bottom += v
    total = bottom
    over = ax.bar(xs, np.minimum(over_units, total), width=width, bottom=total - np.minimum(
        over_units, total), color="none", edgecolor=CRITICAL, hatch="////", linewidth=0.8,
        align="edge" if key == "period" else "center", zorder=3, label="over capacity")
    for b in over.patches:
        b.set_gid("over")
    edge = xs - (0 if key == "period" else (width / 2 if np.isscalar(width) else 0))
    last = edge[-1] + (width[-1] if not np.isscalar(width) else width)
    ax.step(np.r_[edge, last], np.r_[cap.to_numpy(float), cap.to_numpy(float)[-1:]],
            where="post", color=OKABE_ITO["black"], lw=1.6, gid="capacity",
            label="capacity" if single else "combined capacity")
    unit = "units per working day" if key != "period" else "unit-days per period"
    ax.set_ylabel(f"usage [{unit}]")
    if dated:
        loc = mdates.AutoDateLocator(minticks=3, maxticks=9)
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    else:
        ax.set_xlabel("working day from project start")
    ax.set_ylim(0, max(float(total.max()), float(cap.max())) * 1.15 + 1e-9)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    name = str(use.columns[0]) if single else "all resources"
    ax.set_title(title if title is not None else f"Resource loading: {name}")
    return ax


@themed
def burnup(forecast: BurnupForecast, history: Any = None, *, throughput: Any = None,
           title: str | None = "Burn-up and forecast", ax: Axes | None = None) -> Axes:
    """Burn-up chart: completed work so far, the scope line and the velocity forecast fan.

    Parameters
    ----------
    forecast : BurnupForecast
        :func:`tpmkit.estimate.burnup_forecast` result (its table has ``scope``, ``average``,
        ``worst3``, ``best3`` per future period).
    history : array-like, Series, DataFrame or path, optional
        Completed points per past period (the same history given to the forecast, read by
        :func:`tpmkit.estimate.throughput_history`); drawn
        as the cumulative "done" line ending where the forecast starts. Default
        ``throughput.history`` when given.
    throughput : ThroughputForecast, optional
        :func:`tpmkit.estimate.throughput_forecast` result with ``periods_needed``: its
        confidence levels are marked on the scope line.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        Lines with gids ``"done"``, ``"scope"``, ``"average"``, the fan (a polygon with gid
        ``"fan"``) and one marker per throughput confidence (gid ``"P85"``, …).

    References
    ----------
    .. [1] Cohn, M. (2005). *Agile Estimating and Planning*, ch. 17.

    Examples
    --------
    >>> from tpmkit.estimate import burnup_forecast
    >>> f = burnup_forecast([8, 10, 12, 9, 11], scope=100)
    >>> from matplotlib.figure import Figure
    >>> ax = burnup(f, [8, 10, 12, 9, 11], ax=Figure().subplots())
    >>> sorted(l.get_gid() for l in ax.lines if l.get_gid())
    ['average', 'done', 'scope']
    """
    fix = "pass tpmkit.estimate.burnup_forecast(history, scope)"
    if not isinstance(forecast, BurnupForecast):
        raise DataError(f"forecast must be a BurnupForecast, got {type(forecast).__name__}; {fix}")
    f = require_columns(forecast, ["scope", "average", "worst3", "best3"], "burn-up forecast", fix)
    if history is None and throughput is not None:
        history = throughput.history
    if history is not None:
        from tpmkit.estimate import throughput_history

        hist = throughput_history(history).to_numpy(float)
    else:
        hist = np.zeros(0)
    done = np.cumsum(hist)
    now = float(len(hist))
    start_done = float(done[-1]) if len(done) else forecast.done
    px = now + f.index.to_numpy(float)
    ax = get_ax(ax)
    xs_f = np.r_[now, px]
    lo = np.r_[start_done, f["worst3"].to_numpy(float)]
    hi = np.r_[start_done, f["best3"].to_numpy(float)]
    av = np.r_[start_done, f["average"].to_numpy(float)]
    vel = forecast.velocity
    poly = ax.fill_between(xs_f, lo, hi, color=PLAN, alpha=0.18, lw=0, zorder=1,
                           label=f"forecast range (worst 3 {vel['worst3']:.1f} – best 3 "
                                 f"{vel['best3']:.1f} per period)")
    poly.set_gid("fan")
    ax.plot(xs_f, lo, color=PLAN, lw=0.8, alpha=0.6)
    ax.plot(xs_f, hi, color=PLAN, lw=0.8, alpha=0.6)
    ax.plot(xs_f, av, color=PLAN, lw=2.0, ls="--", gid="average",
            label=f"average velocity {vel['average']:.1f}")
    if len(hist):
        ax.plot(np.arange(0, len(hist) + 1), np.r_[0.0, done], color=EARNED, lw=2.4, marker="o",
                ms=3.5, gid="done", label="done")
    scope = float(f["scope"].iloc[-1])
    ax.plot([0, px[-1]], [scope, scope], color=OKABE_ITO["black"], lw=1.6, gid="scope",
            label=f"scope {scope:g}")
    ax.axvline(now, color=MUTED, lw=1.0, ls=":", zorder=1)
    ptf = forecast.periods_to_finish
    for name, color in (("best3", EARNED), ("average", PLAN), ("worst3", CRITICAL)):
        k = ptf.get(name)
        if k is not None and np.isfinite(k) and k <= f.index.max():
            ax.plot([now + k], [scope], marker="v", ms=8, color=color, linestyle="none", zorder=5)
    if throughput is not None and "periods_needed" in getattr(throughput, "table", {}):
        for k, (lab, row) in enumerate(throughput.table.iterrows()):
            xk = now + float(row["periods_needed"])
            q = float(str(lab).lstrip("P"))
            ax.plot([xk, xk], [0, scope], color=p_color(q, k), lw=1.2, ls="-.", gid=str(lab),
                    label=f"{lab}: {row['periods_needed']:g} periods (Monte Carlo)")
    right = max(px[-1], now + 1)
    ax.set_xlim(0, right * 1.02)
    ax.set_ylim(0, scope * 1.08)
    ax.set_xlabel("period (forecast starts at the dotted line)")
    ax.set_ylabel("cumulative done [points or items]")
    ax.legend(loc="upper left", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


_QUADRANTS = {"manage_closely": ("Manage closely", CRITICAL), "keep_satisfied": ("Keep satisfied",
              ACTUAL), "keep_informed": ("Keep informed", PLAN), "monitor": ("Monitor", MUTED)}


@themed
def power_interest_grid(stakeholders: pd.DataFrame, *, threshold: float = 3.0,
                        scale: tuple[float, float] = (1.0, 5.0), label: str = "name",
                        title: str | None = "Stakeholder power / interest grid",
                        ax: Axes | None = None) -> Axes:
    """Mendelow's power/interest grid of a classified stakeholder register.

    Parameters
    ----------
    stakeholders : DataFrame
        :func:`tpmkit.scope.stakeholders` result (``power``, ``interest``, ``quadrant``).
    threshold : float
        The score that splits low from high (the one the register was classified with).
    scale : (float, float)
        Score range.
    label : str
        Column used to label the points (falls back to the id).
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        One marker per stakeholder (a collection per quadrant, gid = quadrant name) and the
        quadrant names.

    References
    ----------
    .. [1] Mendelow, A. L. (1981). Environmental scanning. *ICIS 1981 Proceedings*.

    Examples
    --------
    >>> from tpmkit.scope import stakeholders
    >>> s = stakeholders(pd.DataFrame({"id": ["CFO", "Dev"], "power": [5, 2],
    ...                                "interest": [2, 5]}))
    >>> from matplotlib.figure import Figure
    >>> ax = power_interest_grid(s, ax=Figure().subplots())
    >>> sorted(c.get_gid() for c in ax.collections if c.get_gid())
    ['keep_informed', 'keep_satisfied']
    """
    s = require_columns(stakeholders, ["power", "interest"], "stakeholder register",
                        "pass tpmkit.scope.stakeholders(register)")
    quad = s["quadrant"] if "quadrant" in s else pd.Series("", index=s.index)
    lo, hi = (float(v) for v in scale)
    ax = get_ax(ax, figsize=(6.4, 5.4))
    pad = 0.35
    for x0, x1, y0, y1, key in [(lo - pad, threshold, threshold, hi + pad, "keep_satisfied"),
                                (threshold, hi + pad, threshold, hi + pad, "manage_closely"),
                                (lo - pad, threshold, lo - pad, threshold, "monitor"),
                                (threshold, hi + pad, lo - pad, threshold, "keep_informed")]:
        name, color = _QUADRANTS[key]
        ax.fill_between([x0, x1], y0, y1, color=color, alpha=0.07, lw=0, zorder=0)
        ax.text(x0 + 0.06 if x0 < threshold else x1 - 0.06, y1 - 0.08, name.upper(),
                ha="left" if x0 < threshold else "right", va="top", fontsize=9,
                fontweight="bold", color=color, alpha=0.9)
    p = pd.to_numeric(s["power"], errors="coerce").to_numpy(float)
    i = pd.to_numeric(s["interest"], errors="coerce").to_numpy(float)
    ok = np.isfinite(p) & np.isfinite(i)
    # spread identical scores a little so that every stakeholder stays visible
    key = pd.Series(list(zip(p, i, strict=True)))
    dup = key.groupby(key).cumcount().to_numpy()
    size = key.map(key.value_counts()).to_numpy()
    # towards higher scores, so a point on a threshold stays in the quadrant it belongs to
    angle = 0.5 * np.pi * dup / np.maximum(size - 1, 1)
    r = np.where(size > 1, 0.2, 0.0)
    px, py = i + r * np.cos(angle), p + r * np.sin(angle)
    for q, (_name, color) in _QUADRANTS.items():
        m = ok & (quad.to_numpy() == q)
        if m.any():
            ax.scatter(px[m], py[m], s=70, color=color, edgecolors="white", linewidths=1.0,
                       zorder=3, gid=q)
    labels = s[label] if label in s else pd.Series(s.index, index=s.index)
    for k in np.flatnonzero(ok):
        text = labels.iloc[k]
        text = str(s.index[k]) if pd.isna(text) or str(text) == "" else str(text)
        ax.annotate(truncate(text, 22), (px[k], py[k]), xytext=(7, 5),
                    textcoords="offset points", fontsize=8, color="#222222")
    ax.axvline(threshold, color=MUTED, lw=1.0)
    ax.axhline(threshold, color=MUTED, lw=1.0)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel("interest")
    ax.set_ylabel("power")
    ax.grid(False)
    if (~ok).any():
        ax.text(1.0, -0.12, f"not placed (no score): {format_ids(s.index[~ok])}",
                transform=ax.transAxes, ha="right", fontsize=8, color=MUTED)
    if title:
        ax.set_title(title)
    return ax


@themed
def wbs_tree(tree: pd.DataFrame, names: Any = None, *, label_width: int = 26,
             title: str | None = "Work breakdown structure", ax: Axes | None = None) -> Axes:
    """Draw a WBS as a left-to-right tree (levels as columns, work packages as rows).

    Parameters
    ----------
    tree : DataFrame
        :func:`tpmkit.scope.wbs_tree` result (``parent``, ``depth``, ``leaf``; indexed by
        code in outline order).
    names : mapping, Series or DataFrame, optional
        Element names by code (a WBS dictionary with ``wbs`` and ``name`` columns works).
    label_width : int
        Labels are truncated to this many characters.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure sized to the tree otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        One box per element (texts with gid ``"wbs:<code>"``) and the connectors as a line
        collection (gid ``"edges"``, one segment per parent–child pair).

    Examples
    --------
    >>> from tpmkit.scope import wbs_tree as tree_of
    >>> from matplotlib.figure import Figure
    >>> ax = wbs_tree(tree_of(["1.1", "1.2", "2"]), {"1": "Design", "2": "Build"}, ax=Figure().subplots())
    >>> len(ax.collections[0].get_segments()), len(ax.texts)
    (2, 4)
    """
    t = require_columns(tree, ["parent", "depth"], "WBS tree", "pass tpmkit.scope.wbs_tree(codes)")
    if len(t) == 0:
        raise DataError("the WBS tree is empty; give the tasks WBS codes such as 1.2.3")
    if isinstance(names, pd.DataFrame):
        names = names.assign(wbs=names["wbs"].astype(str)).set_index("wbs")["name"]
    names = {} if names is None else dict(names)
    codes = t.index.astype(str).to_numpy()
    depth = t["depth"].to_numpy(int)
    leaf = t["leaf"].to_numpy(bool) if "leaf" in t else ~np.isin(codes, t["parent"].to_numpy())
    # leaves take consecutive rows in outline order; a parent sits at the mean of its children
    y = np.full(len(codes), np.nan)
    y[leaf] = np.arange(int(leaf.sum()), dtype=float)
    pos = {c: k for k, c in enumerate(codes)}
    parent = t["parent"].astype(str).to_numpy()
    pidx = np.array([pos.get(p, -1) for p in parent])
    for d in range(int(depth.max()), 1, -1):  # one vectorised pass per level (deepest first)
        m = (depth == d) & (pidx >= 0)
        sums = np.bincount(pidx[m], weights=y[m], minlength=len(codes))
        cnt = np.bincount(pidx[m], minlength=len(codes))
        fill = (cnt > 0) & np.isnan(y)
        y[fill] = sums[fill] / cnt[fill]
    x = (depth - 1) * 2.6
    n_leaf = int(leaf.sum())
    ax = get_ax(ax, figsize=(float(np.clip(2.7 * depth.max() + 0.8, 5, 20)),
                             float(np.clip(0.26 * n_leaf + 1.0, 2.5, 40))))
    m = pidx >= 0
    xm = x[pidx[m]] + 1.15
    segs = np.stack([np.c_[xm, y[pidx[m]]], np.c_[xm + 0.25, y[pidx[m]]],
                     np.c_[xm + 0.25, y[m]], np.c_[x[m] - 0.05, y[m]]], axis=1)
    ax.add_collection(LineCollection(list(segs), colors=MUTED, linewidths=0.8, zorder=1,
                                     gid="edges"))
    fs = 8 if n_leaf <= 40 else 6.5
    for k, code in enumerate(codes):
        nm = names.get(code, "")
        label = truncate(f"{code}  {nm}".strip(), label_width)
        top = depth[k] == 1
        ax.text(x[k], y[k], label, ha="left", va="center", fontsize=fs + (1 if top else 0),
                fontweight="bold" if not leaf[k] else "normal", gid=f"wbs:{code}",
                color="white" if top else "#1A1A1A", zorder=3,
                bbox={"boxstyle": "round,pad=0.3", "fc": SUMMARY if top else (
                    "white" if leaf[k] else GRID), "ec": SUMMARY if not leaf[k] else MUTED,
                    "lw": 0.8})
    ax.set_xlim(-0.2, x.max() + 2.6)
    ax.set_ylim(n_leaf - 0.4, -0.8)
    ax.axis("off")
    ax.legend(handles=[Patch(fc=SUMMARY, label="level 1"), Patch(fc=GRID, ec=SUMMARY,
                                                                 label="summary element"),
                       Patch(fc="white", ec=MUTED, label="work package")], loc="lower right",
              fontsize=8)
    if title:
        ax.set_title(title)
    return ax
