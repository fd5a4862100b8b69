"""Activity-on-node (precedence) diagram of a finished CPM schedule.

Nodes are placed in layers from left to right: a task's layer is one more than the largest
layer of its predecessors (the longest chain of links from a start task), computed by the
longest-path pass of :mod:`tpmkit._core.graph`. Within a layer, tasks are ordered by early
start. Each node is the textbook box [1]_::

    +------+----------+------+
    |  ES  | duration |  EF  |
    +------+----------+------+
    |      id / name         |
    +------+----------+------+
    |  LS  |  float   |  LF  |
    +------+----------+------+

References
----------
.. [1] Project Management Institute (2019). *Practice Standard for Scheduling*, 3rd ed.,
   figure 4-4 (activity-on-node with early/late dates and float).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyBboxPatch

from tpmkit.errors import DataError
from tpmkit.plot._theme import CRITICAL, MUTED, PLAN, get_ax, themed, truncate
from tpmkit.plot._util import require_columns

if TYPE_CHECKING:
    from tpmkit.cpm import ScheduleResult

__all__ = ["layers", "network"]

_FIX = "pass the result of tpmkit.schedule(project)"
_W, _H = 1.0, 0.72  # node box width and height [layer units]


def layers(ids: pd.Index, links: pd.DataFrame) -> np.ndarray:
    """Layer (column) of every task: 0 for tasks without predecessors, else 1 + max over them.

    Parameters
    ----------
    ids : Index
        Task ids (input order).
    links : DataFrame
        ``predecessor`` and ``successor`` columns.

    Returns
    -------
    ndarray of int
        Layer per id.

    Examples
    --------
    >>> links = pd.DataFrame({"predecessor": ["A", "A", "B"], "successor": ["B", "C", "C"]})
    >>> layers(pd.Index(["A", "B", "C"]), links).tolist()
    [0, 1, 2]
    """
    n = len(ids)
    lay = np.zeros(n, dtype=np.int64)
    if not len(links):
        return lay
    frm = ids.get_indexer(links["predecessor"])
    to = ids.get_indexer(links["successor"])
    ok = (frm >= 0) & (to >= 0)
    frm, to = frm[ok], to[ok]
    from tpmkit._core import graph, jit

    lay, acyclic = jit.call(graph.dag_pass, n + len(frm), n, frm.astype(np.int64),
                            to.astype(np.int64), np.ones(len(frm)), np.zeros(n), True)
    if not acyclic:
        raise DataError("the links contain a cycle; run tpmkit.read(...) to see it and remove "
                        "a link")
    return lay.astype(np.int64)


@themed
def network(schedule: ScheduleResult | pd.DataFrame, project: Any = None, *, links: pd.DataFrame | None = None,
            label_width: int = 14, decimals: int = 0, title: str | None = "Network diagram",
            ax: Axes | None = None) -> Axes:
    """Draw the activity-on-node network with the textbook node boxes.

    Parameters
    ----------
    schedule : ScheduleResult or DataFrame
        From :func:`tpmkit.schedule` (or its table): ``duration``, ``early_start``, ``early_finish``,
        ``late_start``, ``late_finish``, ``total_float`` [working days], ``critical``.
    project : Project, optional
        Supplies ``links`` when ``links`` is not given.
    links : DataFrame, optional
        ``predecessor``, ``successor``, ``type``, ``lag``.
    label_width : int
        Names are truncated to this many characters.
    decimals : int
        Decimals of the times in the boxes (offsets are whole days in most plans).
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure sized to the network otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        One box per task (gid ``"node:<id>"``), links as a line collection (gid
        ``"links"``) with critical links in the critical colour; non-FS links and lags are
        labelled at the arrow.

    Examples
    --------
    >>> s = pd.DataFrame({"name": ["Design", "Build"], "duration": [3.0, 5.0],
    ...     "early_start": [0.0, 3.0], "early_finish": [3.0, 8.0], "late_start": [0.0, 3.0],
    ...     "late_finish": [3.0, 8.0], "total_float": [0.0, 0.0], "critical": [True, True]},
    ...     index=pd.Index(["A", "B"], name="id"))
    >>> links = pd.DataFrame({"predecessor": ["A"], "successor": ["B"], "type": ["FS"],
    ...                       "lag": [0.0]})
    >>> from matplotlib.figure import Figure
    >>> ax = network(s, links=links, ax=Figure().subplots())
    >>> links_drawn = [c for c in ax.collections if c.get_gid() == "links"][0]
    >>> sorted(p.get_gid() for p in ax.patches), len(links_drawn.get_segments())
    (['node:A', 'node:B'], 1)
    """
    cols = ["duration", "early_start", "early_finish", "late_start", "late_finish", "total_float"]
    s = require_columns(schedule, cols, "schedule table", _FIX)
    lt = links if links is not None else getattr(project, "links", None)
    if lt is None:
        lt = pd.DataFrame({"predecessor": [], "successor": []})
    require_columns(lt, ["predecessor", "successor"], "link table", "pass project.links")
    ids = pd.Index(s.index.astype(str))
    lt = lt.assign(predecessor=lt["predecessor"].astype(str), successor=lt["successor"].astype(str))
    lay = layers(ids, lt)
    es = s["early_start"].to_numpy(float)
    # rows within a layer: by early start, then input order
    order = np.lexsort((np.arange(len(ids)), es, lay))
    first = np.r_[0, np.flatnonzero(np.diff(lay[order])) + 1]
    counts = np.diff(np.r_[first, len(order)])
    rank = np.arange(len(order)) - np.repeat(first, counts)
    row = np.empty(len(ids))
    row[order] = rank - (np.repeat(counts, counts) - 1) / 2.0  # centre each layer
    gx, gy = 1.55, 1.15
    x = lay * gx
    y = -row * gy
    n_layers, n_rows = int(lay.max()) + 1 if len(lay) else 1, int(counts.max()) if len(counts) else 1
    ax = get_ax(ax, figsize=(float(np.clip(1.55 * n_layers + 0.6, 4, 40)),
                             float(np.clip(0.95 * n_rows + 1.0, 2.5, 40))))
    crit = s["critical"].fillna(False).astype(bool).to_numpy() if "critical" in s else (
        np.isclose(s["total_float"].to_numpy(float), 0))
    names = s["name"] if "name" in s else pd.Series("", index=s.index)
    fmt = f"{{:.{int(decimals)}f}}"

    def num(v: float) -> str:
        return "" if pd.isna(v) else fmt.format(v)

    fs = 7.0 if len(ids) > 30 else 8.0
    vals = s[cols].to_numpy(float)
    grid = []
    for k, tid in enumerate(ids):
        cx, cy = x[k], y[k]
        color = CRITICAL if crit[k] else PLAN
        box = FancyBboxPatch((cx - _W / 2, cy - _H / 2), _W, _H,
                             boxstyle="round,pad=0,rounding_size=0.04", facecolor="white",
                             edgecolor=color, lw=2.0 if crit[k] else 1.2, zorder=3,
                             gid=f"node:{tid}")
        ax.add_patch(box)
        lft, r, t, b = cx - _W / 2, cx + _W / 2, cy + _H / 2, cy - _H / 2
        h3 = _H / 3
        grid += [[(lft, t - h3), (r, t - h3)], [(lft, b + h3), (r, b + h3)],
                 [(lft + _W / 3, t), (lft + _W / 3, t - h3)], [(r - _W / 3, t), (r - _W / 3, t - h3)],
                 [(lft + _W / 3, b), (lft + _W / 3, b + h3)], [(r - _W / 3, b), (r - _W / 3, b + h3)]]
        d, e_s, e_f, l_s, l_f, tf = vals[k]
        top_y, bot_y = t - h3 / 2, b + h3 / 2
        for xx, yy, txt, weight in [
                (lft + _W / 6, top_y, num(e_s), "normal"), (cx, top_y, num(d), "normal"),
                (r - _W / 6, top_y, num(e_f), "normal"), (lft + _W / 6, bot_y, num(l_s), "normal"),
                (cx, bot_y, num(tf), "bold"), (r - _W / 6, bot_y, num(l_f), "normal")]:
            ax.text(xx, yy, txt, ha="center", va="center", fontsize=fs, zorder=4,
                    fontweight=weight, color=CRITICAL if (weight == "bold" and crit[k]) else "#1A1A1A")
        nm = names.iloc[k]
        label = str(tid) if pd.isna(nm) or not str(nm) or str(nm) == str(tid) else f"{tid} {nm}"
        ax.text(cx, cy, truncate(label, label_width), ha="center", va="center",
                fontsize=fs - 0.5, fontweight="bold", zorder=4, color=color)
    ax.add_collection(LineCollection(grid, colors="#9A9A9A", linewidths=0.6, zorder=3.5))

    # links: from the right side of the predecessor box to the left side of the successor
    frm = ids.get_indexer(lt["predecessor"])
    to = ids.get_indexer(lt["successor"])
    ok = (frm >= 0) & (to >= 0)
    lt, frm, to = lt[ok], frm[ok], to[ok]
    x0, y0 = x[frm] + _W / 2, y[frm]
    x1, y1 = x[to] - _W / 2, y[to]
    mid = x1 - 0.14
    segs = np.stack([np.c_[x0, y0], np.c_[mid, y0], np.c_[mid, y1], np.c_[x1, y1]], axis=1)
    both = crit[frm] & crit[to] if len(frm) else np.zeros(0, bool)
    colors = np.where(both, CRITICAL, MUTED)
    ax.add_collection(LineCollection(list(segs), colors=list(colors),
                                     linewidths=np.where(both, 1.4, 0.9), zorder=2, gid="links"))
    ax.scatter(x1 - 0.035, y1, marker=">", s=30, c=list(colors), zorder=3.6, linewidths=0,
               gid="arrowheads")
    types = lt["type"].astype(str).to_numpy() if "type" in lt else np.full(len(lt), "FS")
    lag = pd.to_numeric(lt["lag"], errors="coerce").fillna(0).to_numpy() if "lag" in lt else (
        np.zeros(len(lt)))
    text = lt["text"].astype(str).to_numpy() if "text" in lt else None
    for k in range(len(lt)):
        if types[k] != "FS" or lag[k] != 0:
            tag = types[k] + (f"{lag[k]:+g}" if lag[k] else "")
            if text is not None and "%" in text[k]:
                tag = text[k].split()[-1] if " " in text[k] else tag
            ax.text(mid[k] - 0.03, (y0[k] + y1[k]) / 2 if y0[k] != y1[k] else y1[k] + 0.08, tag,
                    fontsize=fs - 1, ha="right", va="bottom", color=MUTED, zorder=4)
    ax.set_xlim(x.min() - _W, x.max() + _W)
    ax.set_ylim(y.min() - _H, y.max() + _H)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, pad=18)
        ax.text(0.0, 1.01, "node: ES | duration | EF  /  task  /  LS | total float | LF  "
                "[working days]", transform=ax.transAxes, fontsize=8, color=MUTED, va="bottom")
    return ax
