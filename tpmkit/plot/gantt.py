"""Gantt chart of a finished CPM schedule.

The chart draws what :func:`tpmkit.schedule` computed; it does no scheduling itself.
Bars run from the early start to the early finish (working-day offsets or calendar
dates), WBS summary bars span their tasks, milestones are diamonds, critical tasks are
vermillion, total float trails each bar as a thin sky-blue bar, baselines sit under the
bars, percent complete fills the bar from the left, and a vertical line marks the status
date. A status-dated schedule (a ``status`` column, from :func:`tpmkit.schedule` of a project
with a status date) is drawn as Primavera P6 draws it: the *actual* part of started work
(actual start to the status date, or to the actual finish) in dark grey, the *remaining* part
(status date to the forecast finish) as the task bar, and the *slip* — forecast finish later
than the baseline finish — as a thin vermillion bar from the baseline finish on the baseline
row. Dependency arrows leave and enter the bar end that the link type relates [1]_:

====  =========================  ==========================
type  leaves the predecessor at  enters the successor at
====  =========================  ==========================
FS    finish (right end)         start (left end)
SS    start (left end)           start (left end)
FF    finish (right end)         finish (right end)
SF    start (left end)           finish (right end)
====  =========================  ==========================

References
----------
.. [1] Project Management Institute (2019). *Practice Standard for Scheduling*, 3rd ed.,
   section 4.6 (precedence diagramming method, logical relationships).
"""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path

from tpmkit.cpm import ScheduleResult
from tpmkit.errors import DataError, check_option
from tpmkit.model.wbs import wbs_key
from tpmkit.plot._theme import (
    BASELINE,
    CRITICAL,
    FLOAT,
    MUTED,
    OKABE_ITO,
    PLAN,
    STATUS,
    SUMMARY,
    get_ax,
    legend_below,
    themed,
    truncate,
)
from tpmkit.plot._util import require_columns

__all__ = ["LINK_ANCHORS", "gantt", "link_routes"]

#: For each link type: (end of the predecessor the arrow leaves, end of the successor it enters).
LINK_ANCHORS = {"FS": ("finish", "start"), "SS": ("start", "start"),
                "FF": ("finish", "finish"), "SF": ("start", "finish")}

_FIX = "pass the result of tpmkit.schedule(project)"
_PROGRESS = "#1A1A1A"
_ACTUAL = "#4D4D4D"       # the actual part of started work in a status-dated schedule
# arrowhead markers with the tip at the origin (matplotlib scales a custom marker about (0, 0))
_HEADS = {
    "right": Path([(0, 0), (-1, 0.5), (-1, -0.5), (0, 0)], closed=True),
    "left": Path([(0, 0), (1, 0.5), (1, -0.5), (0, 0)], closed=True),
    "down": Path([(0, 0), (0.5, 1), (-0.5, 1), (0, 0)], closed=True),   # y axis is inverted
    "up": Path([(0, 0), (0.5, -1), (-0.5, -1), (0, 0)], closed=True),
}


def link_routes(x0: np.ndarray, x1: np.ndarray, y: np.ndarray, frm: np.ndarray, to: np.ndarray,
                types: np.ndarray, stub: float, bar_h: float) -> tuple[np.ndarray, np.ndarray]:
    """Elbow routes of dependency arrows between bar ends (vectorised over the links).

    Each route leaves the predecessor at the end its link type relates (finish = right end,
    start = left end; see :data:`LINK_ANCHORS`), runs ``stub`` outwards, and enters the
    successor at the related end horizontally (from the left into a start, from the right
    into a finish). An FS arrow that has no room for that (no lag) lands vertically on the
    top of the successor bar just inside its start, as in MS Project; routes that would
    otherwise cross a bar go round through the gap between the rows.

    Parameters
    ----------
    x0, x1 : ndarray
        Bar start and end per task [x units]; equal for milestones.
    y : ndarray
        Row centre per task (the y axis runs downwards).
    frm, to : ndarray of int
        Predecessor and successor task index per link.
    types : ndarray of str
        ``FS``, ``SS``, ``FF`` or ``SF`` per link.
    stub : float
        Length of the first and last leg [x units].
    bar_h : float
        Bar height [rows] (vertical landings stop at the bar edge).

    Returns
    -------
    paths : ndarray, shape (m, 6, 2)
        Vertices of every route (short routes repeat their last vertex).
    heads : ndarray of str, shape (m,)
        Direction of the arrowhead at the last vertex: right, left, down or up.

    Examples
    --------
    >>> p, h = link_routes(np.array([0.0, 5.0]), np.array([5.0, 9.0]), np.array([0.0, 1.0]),
    ...                    np.array([0]), np.array([1]), np.array(["FS"]), 0.5, 0.5)
    >>> p[0, 0].tolist(), p[0, -1].tolist(), h.tolist()
    ([5.0, 0.0], [5.5, 0.75], ['down'])
    """
    types = np.asarray(types).astype(str)
    src_fin = np.isin(types, ["FS", "FF"])
    dst_fin = np.isin(types, ["FF", "SF"])
    xa = np.where(src_fin, x1[frm], x0[frm])
    xb = np.where(dst_fin, x1[to], x0[to])
    ya, yb = y[frm], y[to]
    down = yb >= ya
    sgn = np.where(down, 1.0, -1.0)
    out_a = xa + np.where(src_fin, stub, -stub)           # end of the first leg
    # vertical leg position for the simple L route, per type
    xv = np.select([types == "SS", types == "FF"], [np.minimum(xa, xb) - stub,
                                                    np.maximum(xa, xb) + stub], out_a)
    simple = np.select([types == "FS", types == "SF"], [xb - out_a >= stub, out_a - xb >= stub],
                       True)
    # FS without room: land on the successor's top edge just inside its start
    xl = np.maximum(out_a, xb + 0.5 * stub)
    land = (types == "FS") & ~simple & (xl <= np.maximum(x1[to], xb + stub))
    edge = yb - sgn * bar_h / 2
    ymid = yb - sgn * 0.5
    xq = np.where(dst_fin, xb + stub, xb - stub)
    a = np.c_[xa, ya]
    b = np.c_[xb, yb]
    simple_p = np.stack([a, np.c_[xv, ya], np.c_[xv, yb], b, b, b], axis=1)
    land_p = np.stack([a, np.c_[xl, ya], np.c_[xl, edge], np.c_[xl, edge], np.c_[xl, edge],
                       np.c_[xl, edge]], axis=1)
    detour_p = np.stack([a, np.c_[out_a, ya], np.c_[out_a, ymid], np.c_[xq, ymid],
                         np.c_[xq, yb], b], axis=1)
    paths = np.where(simple[:, None, None], simple_p,
                     np.where(land[:, None, None], land_p, detour_p))
    horiz = np.where(dst_fin, "left", "right")
    heads = np.where(land, np.where(down, "down", "up"), horiz)
    return paths, heads


def _names(wbs_names: Any) -> dict[str, str]:
    if wbs_names is None:
        return {}
    if isinstance(wbs_names, pd.DataFrame):
        require_columns(wbs_names, ["wbs", "name"], "WBS names", "pass a WBS dictionary "
                        "with wbs and name columns, or a dict {code: name}")
        return dict(zip(wbs_names["wbs"].astype(str), wbs_names["name"].astype(str), strict=True))
    return {str(k): str(v) for k, v in dict(wbs_names).items()}


@themed
def gantt(
    schedule: ScheduleResult | pd.DataFrame,
    project: Any = None,
    *,
    links: pd.DataFrame | None = None,
    time: str = "auto",
    show_links: bool = True,
    show_float: bool = True,
    show_baseline: bool = True,
    show_progress: bool = True,
    summaries: bool = True,
    status_date: object = None,
    simulation: Any = None,
    whiskers: pd.DataFrame | None = None,
    wbs_names: Any = None,
    label_width: int = 38,
    title: str | None = "Schedule",
    ax: Axes | None = None,
) -> Axes:
    """Draw a Gantt chart of a CPM schedule.

    Parameters
    ----------
    schedule : ScheduleResult or DataFrame
        Result of :func:`tpmkit.schedule` (or its table): indexed by task id with ``name``, ``duration``,
        ``early_start``, ``early_finish``, ``late_finish``, ``total_float`` [working days],
        ``critical``; with a project start also the ``*_date`` columns.
    project : Project, optional
        Supplies ``links`` (dependency arrows), ``tasks.wbs`` (summary bars through
        :func:`tpmkit.cpm.wbs_summary`), ``tasks.baseline_start/baseline_finish``,
        ``tasks.percent_complete``, ``status_date``, ``deadline`` and the calendar.
    links : DataFrame, optional
        ``predecessor``, ``successor``, ``type`` (FS/SS/FF/SF); defaults to ``project.links``.
    time : {"auto", "dates", "offsets"}
        x axis in calendar dates or working-day offsets; ``auto`` uses dates when the
        schedule has ``early_start_date``.
    show_links, show_float, show_baseline, show_progress, summaries : bool
        Switch the arrows, float trailers, baseline bars, percent-complete fill and WBS
        summary rows on or off (each needs its data; absent data draws nothing).
    status_date : date-like, optional
        Data date line; default ``project.status_date``. Drawn at the end of that day.
    simulation : SimulationResult, optional
        From :func:`tpmkit.risk.simulate`: P50–P80 finish whiskers per task when it was run
        with ``keep_task_samples=True``, else one whisker for the project finish on the
        last-finishing task(s).
    whiskers : DataFrame, optional
        Explicit whiskers instead: indexed by task id, two columns of finish offsets
        [working days] (low, high), e.g. ``p50`` and ``p80``.
    wbs_names : dict or DataFrame, optional
        Names of WBS summary codes, e.g. ``{"1": "Design"}`` or a WBS dictionary with
        ``wbs`` and ``name`` columns; defaults to the project's ``wbs`` part when it has one.
    label_width : int
        Row labels are truncated to this many characters.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure sized to the number of rows otherwise (about 0.26 in
        per row, so 200 tasks stay legible).

    Returns
    -------
    matplotlib.axes.Axes
        Task bars carry the gid ``"bar:<id>"`` (in a status-dated schedule: the remaining
        work of incomplete tasks, which never starts before the status line), actual parts
        ``"actual:<id>"``, slips ``"slip:<id>"``, float trailers ``"float:<id>"``, baselines
        ``"baseline:<id>"``, progress fills ``"progress:<id>"``, summary bars
        ``"summary:<code>"``; milestones are the points of the lines with gids
        ``"milestones"`` / ``"milestones_critical"``. The dependency arrows of each link
        type are one line collection with gid ``"links:<type>"`` (one polyline per link,
        first vertex on the predecessor's related end, last vertex at the arrowhead; see
        :func:`link_routes`); arrowheads are scatter collections ``"heads:<direction>"``.
        Reference lines: ``"status_date"``, ``"deadline"``; whiskers ``"whiskers"``.

    Raises
    ------
    DataError
        The schedule lacks the time columns, or dates were asked for without them.

    References
    ----------
    .. [1] Project Management Institute (2019). *Practice Standard for Scheduling*,
       3rd ed., section 4.6.

    Examples
    --------
    >>> s = pd.DataFrame({"name": ["Design", "Build"], "duration": [3.0, 5.0],
    ...     "early_start": [0.0, 3.0], "early_finish": [3.0, 8.0], "late_finish": [3.0, 8.0],
    ...     "total_float": [0.0, 0.0], "critical": [True, True]},
    ...     index=pd.Index(["A", "B"], name="id"))
    >>> links = pd.DataFrame({"predecessor": ["A"], "successor": ["B"], "type": ["FS"]})
    >>> from matplotlib.figure import Figure
    >>> ax = gantt(s, links=links, ax=Figure().subplots())
    >>> [len(c.get_segments()) for c in ax.collections if c.get_gid() == "links:FS"]
    [1]
    """
    sched = require_columns(schedule, ["early_start", "early_finish"], "schedule table", _FIX)
    time = check_option(time, ["auto", "dates", "offsets"], "time")
    if time == "auto":
        time = "dates" if "early_start_date" in sched.columns else "offsets"
    if time == "dates":
        require_columns(sched, ["early_start_date", "early_finish_date"], "schedule table",
                        "give the project a start date, or use time='offsets'")
    g = _Chart(sched, project, time)
    g.layout_rows(summaries)
    g.ax = get_ax(ax, figsize=(10.0, float(np.clip(0.26 * g.n_rows + 1.8, 2.6, 60.0))))
    g.baseline(show_baseline)
    g.status_x = g.status_position(status_date)
    g.draw_tasks(show_float, show_progress)
    g.draw_summaries()
    g.draw_whiskers(*_whisker_values(whiskers, simulation, g.ids, g.ef))
    refs = g.reference_lines(status_date)
    span = g.set_xrange()
    g.draw_links(links, show_links, span)
    g.label_rows(wbs_names, label_width)
    g.legend(refs)
    if title:
        g.ax.set_title(title)
    return g.ax


class _Chart:
    """One Gantt chart being drawn: the schedule as arrays in task order, the x positions of
    the bars in the chosen time mode, the row layout, and what has been drawn (for the legend)."""

    def __init__(self, sched: pd.DataFrame, project: Any, time: str):
        self.sched, self.project, self.time = sched, project, time
        self.tasks = getattr(project, "tasks", None)
        self.ids = ids = list(sched.index)
        self.n = n = len(ids)
        if n == 0:
            raise DataError("the schedule has no tasks; add tasks to the project")
        self.es = es = sched["early_start"].to_numpy(float)
        self.ef = ef = sched["early_finish"].to_numpy(float)
        dur = sched["duration"].to_numpy(float) if "duration" in sched else ef - es
        tf = sched["total_float"].to_numpy(float) if "total_float" in sched else None
        lf = sched["late_finish"].to_numpy(float) if "late_finish" in sched else (
            ef + tf if tf is not None else None)
        self.milestone = milestone = dur == 0
        self.crit = (sched["critical"].fillna(False).astype(bool).to_numpy() if "critical" in sched
                     else np.zeros(n, bool))
        self.cal = getattr(project, "calendar", None)
        self.start = getattr(project, "start", None)
        if time == "dates":
            x1 = mdates.date2num(pd.to_datetime(sched["early_finish_date"])) + (ef > 0)
            x0 = np.where(milestone,
                          x1, mdates.date2num(pd.to_datetime(sched["early_start_date"])))
            if "late_finish_date" in sched and lf is not None:
                xl = mdates.date2num(pd.to_datetime(sched["late_finish_date"])) + (lf > 0)
            else:
                xl = self.x_of(lf, "finish") if lf is not None else None
        else:
            x0, x1, xl = es.copy(), ef.copy(), lf
        self.x0, self.x1, self.xl = x0, x1, xl
        self.status = (sched["status"].astype(str).to_numpy() if "status" in sched
                       else None)
        self.status_x = float("nan")
        self.has_actual = self.has_slip = False
        self.ax: Axes
        self.bl0 = self.bl1 = None
        self.has_float = self.has_progress = self.has_whiskers = False
        self.whi: np.ndarray | None = None
        self.wlabel = ""

    def x_of(self, offsets: np.ndarray, kind: str) -> np.ndarray:
        """Offsets -> x: themselves, or dates (start of the start day / end of the finish day)."""
        off = np.asarray(offsets, float)
        cal, start = self.cal, self.start
        if self.time == "offsets":
            return off
        if cal is None or start is None:
            return np.full(off.shape, np.nan)
        if kind == "start":
            return mdates.date2num(cal.start_dates(off, start)) + (off - np.floor(off))
        return mdates.date2num(cal.finish_dates(off, start)) + (off > 0)

    def x_of_dates(self, values: Any, kind: str) -> np.ndarray:
        """Dates -> x in the current mode (NaN where the conversion is impossible).

        A finish is the end of its day, except on the project's first day, where (as for a
        milestone at offset 0) it is the start of the day.
        """
        cal, start = self.cal, self.start
        ts = pd.to_datetime(pd.Series(np.atleast_1d(values)), errors="coerce")
        first = (ts <= pd.Timestamp(start)).to_numpy() if start is not None else np.zeros(
            len(ts), bool)
        if self.time == "dates":
            x = np.asarray(mdates.date2num(ts), float)
            return x + ((kind == "finish") & ~first)
        out = np.full(len(ts), np.nan)
        ok = ts.notna().to_numpy()
        if cal is not None and start is not None and ok.any():
            out[ok] = cal.offset_of(ts[ok].to_numpy(), start, kind=kind)
            if kind == "finish":
                out[ok & first] = 0.0
        return out

    def layout_rows(self, summaries: bool) -> None:
        """Rows: tasks in input order, or grouped under WBS summary rows (outline order)."""
        tasks, ids, n = self.tasks, self.ids, self.n
        summary = None
        if summaries and tasks is not None and "wbs" in tasks and \
                tasks["wbs"].fillna("").astype(str).str.strip().ne("").any():
            from tpmkit.cpm import wbs_summary

            summary = wbs_summary(self.project, self.sched)
        if summary is not None and len(summary):
            codes = tasks["wbs"].reindex(ids).fillna("").astype(str).str.strip().to_numpy()
            keys = [(wbs_key(c) if c else ((2, 0, ""),), 1, k) for k, c in enumerate(codes)]
            keys += [(wbs_key(str(c)), 0, n + k) for k, c in enumerate(summary.index)]
            order = sorted(range(len(keys)), key=lambda k: keys[k])
        else:
            summary = None
            order = list(range(n))
        row_of = np.empty(len(order), dtype=float)
        row_of[np.asarray(order)] = np.arange(len(order))
        self.summary = summary
        self.ytask = row_of[:n]
        self.ysum = row_of[n:]
        self.n_rows = len(order)

    def baseline(self, show_baseline: bool) -> None:
        """Baseline x positions (from the project's task table) and the bar geometry they imply."""
        tasks = self.tasks
        bl0 = bl1 = None
        if show_baseline and tasks is not None and {"baseline_start", "baseline_finish"} <= set(
                tasks.columns):
            b = tasks.reindex(self.ids)
            if b["baseline_start"].notna().any():
                bl0 = self.x_of_dates(b["baseline_start"], "start")
                bl1 = self.x_of_dates(b["baseline_finish"], "finish")
                bl0 = np.where(self.milestone, bl1, bl0)
                if not np.isfinite(bl0).any():
                    bl0 = bl1 = None
        self.bl0, self.bl1 = bl0, bl1
        self.has_bl = has_bl = bl0 is not None
        self.bar_h = 0.44 if has_bl else 0.58
        dy = -0.07 if has_bl else 0.0   # bar centre relative to its row (y axis points down)
        self.yb_ = self.ytask + dy

    def status_position(self, status_date: object) -> float:
        """x of the status line (the end of the status day); NaN without a status date."""
        sd = status_date if status_date is not None else getattr(self.project, "status_date",
                                                                 None)
        if sd is None or pd.isna(sd):
            return float("nan")
        return float(self.x_of_dates([sd], "finish")[0])

    def draw_progress_parts(self, span_bars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Actual parts, remaining bars and slips of a status-dated schedule.

        Returns the mask of the tasks whose remaining work is drawn as the task bar and the
        left end of those bars (links keep the whole bar's ends).
        """
        x0, x1, xs, bars = self.x0, self.x1, self.status_x, self.bars
        complete = self.status == "complete"
        started = complete | (self.status == "in_progress")
        act_end = np.where(complete, x1, np.minimum(x1, xs) if np.isfinite(xs) else x1)
        act = span_bars & started & (act_end > x0)
        self.has_actual = bool(act.any())
        bars(act, x0, act_end - x0, self.yb_, self.bar_h, _ACTUAL, "actual", 3)
        remaining = span_bars & ~complete
        if np.isfinite(xs):
            # the remaining work of a started task runs from the status line
            x0 = np.where(remaining & started, np.maximum(x0, xs), x0)
        if self.has_bl:
            slip = np.isfinite(self.bl1) & (x1 > self.bl1 + 1e-9)
            self.has_slip = bool(slip.any())
            bars(slip, self.bl1, x1 - self.bl1, self.ytask + 0.27, 0.09, CRITICAL, "slip",
                 2.2)
        return remaining, x0

    def bars(self, mask: np.ndarray, left: np.ndarray, width: np.ndarray, yy: np.ndarray,
             h: float, color: Any, prefix: str, z: float, **kw: Any) -> None:
        k = np.flatnonzero(mask)
        if not len(k):
            return
        cont = self.ax.barh(yy[k], width[k], left=left[k], height=h, color=color, zorder=z,
                            linewidth=0, **kw)
        for i, patch in zip(k, cont.patches, strict=True):
            patch.set_gid(f"{prefix}:{self.ids[i]}")

    def draw_tasks(self, show_float: bool, show_progress: bool) -> None:
        """Baseline bars, task bars, milestones, total float and percent complete."""
        ax, x0, x1, xl, yb_, ytask = self.ax, self.x0, self.x1, self.xl, self.yb_, self.ytask
        milestone, crit, bar_h, bars = self.milestone, self.crit, self.bar_h, self.bars
        span_bars = ~milestone & np.isfinite(x0) & np.isfinite(x1)
        if self.has_bl:
            bl0, bl1 = self.bl0, self.bl1
            okb = np.isfinite(bl0) & np.isfinite(bl1)
            bars(okb & ~milestone, bl0, bl1 - bl0, ytask + 0.27, 0.15, BASELINE, "baseline", 2)
            mb = okb & milestone
            if mb.any():
                ax.plot(bl1[mb], ytask[mb] + 0.27, linestyle="none", marker="D", ms=5,
                        mfc="white", mec=BASELINE, mew=1.2, zorder=2, gid="baseline_milestones")
        full_x0 = x0
        drawn = span_bars
        if self.status is not None:
            drawn, x0 = self.draw_progress_parts(span_bars)
        bars(drawn & ~crit, x0, x1 - x0, yb_, bar_h, PLAN, "bar", 3)
        bars(drawn & crit, x0, x1 - x0, yb_, bar_h, CRITICAL, "bar", 3)
        for m, gid, color in ((milestone & ~crit, "milestones", OKABE_ITO["black"]),
                              (milestone & crit, "milestones_critical", CRITICAL)):
            if m.any():
                ax.plot(x1[m], yb_[m], linestyle="none", marker="D",
                        ms=8 if self.n_rows <= 60 else 6,
                        color=color, mec="white", mew=0.8, zorder=4, gid=gid)
        if show_float and xl is not None:
            fl = np.isfinite(xl) & (xl > x1 + 1e-9)
            self.has_float = bool(fl.any())
            bars(fl, x1, xl - x1, yb_, 0.12, FLOAT, "float", 2.5)
        if show_progress:
            sched, tasks, ids = self.sched, self.tasks, self.ids
            pct = sched["percent_complete"] if "percent_complete" in sched else (
                tasks["percent_complete"].reindex(ids) if tasks is not None and
                "percent_complete" in tasks else None)
            if pct is not None:
                frac = np.clip(pd.to_numeric(pct, errors="coerce").fillna(0).to_numpy(float)
                               / 100, 0, 1)
                pm = span_bars & (frac > 0)
                self.has_progress = bool(pm.any())
                bars(pm, full_x0, (x1 - full_x0) * frac, yb_, bar_h * 0.36, _PROGRESS,
                     "progress", 3.5, alpha=0.65)

    def draw_summaries(self) -> None:
        """WBS summary bars with a down-pointing marker at each end."""
        summary, ysum = self.summary, self.ysum
        if summary is None:
            return
        sx0 = self.x_of(summary["early_start"].to_numpy(float), "start")
        sx1 = self.x_of(summary["early_finish"].to_numpy(float), "finish")
        cont = self.ax.barh(ysum - 0.06, sx1 - sx0, left=sx0, height=0.2, color=SUMMARY,
                            zorder=3, linewidth=0)
        for code, patch in zip(summary.index, cont.patches, strict=True):
            patch.set_gid(f"summary:{code}")
        ends = np.r_[sx0, sx1]
        self.ax.plot(ends, np.r_[ysum, ysum] + 0.1, linestyle="none", marker="v", ms=5.5,
                     color=SUMMARY, zorder=3)

    def draw_whiskers(self, wlo: np.ndarray | None, whi: np.ndarray | None,
                      wlabel: str) -> None:
        """Finish whiskers (low–high finish offsets) on the task rows."""
        self.wlabel = wlabel
        if wlo is None:
            return
        ok = np.isfinite(wlo) & np.isfinite(whi)
        if not ok.any():
            return
        ax = self.ax
        lo_x, hi_x = self.x_of(wlo, "finish"), self.x_of(whi, "finish")
        yy = self.yb_[ok]
        ax.add_collection(LineCollection(
            np.stack([np.c_[lo_x[ok], yy], np.c_[hi_x[ok], yy]], axis=1),
            colors=OKABE_ITO["black"], linewidths=1.1, zorder=4.5, gid="whiskers"))
        ax.plot(lo_x[ok], yy, linestyle="none", marker="|", ms=9, mew=1.6,
                color=OKABE_ITO["black"], zorder=4.5, gid="whisker_low")
        ax.plot(hi_x[ok], yy, linestyle="none", marker="|", ms=9, mew=1.6,
                color=OKABE_ITO["black"], zorder=4.5, gid="whisker_high")
        self.has_whiskers = True
        self.whi = whi

    def reference_lines(self, status_date: object) -> list[Any]:
        """Status date and deadline lines; their legend handles (x positions kept for the range)."""
        ax, project = self.ax, self.project
        refs: list[Any] = []
        self.ref_x: list[float] = []
        sd = status_date if status_date is not None else getattr(project, "status_date", None)
        if sd is not None and not pd.isna(sd):
            xs = self.x_of_dates([sd], "finish")
            if np.isfinite(xs[0]):
                ax.axvline(xs[0], color=STATUS, lw=1.6, ls="--", zorder=5, gid="status_date")
                refs.append(Line2D([], [], color=STATUS, lw=1.6, ls="--",
                                   label=f"status date {pd.Timestamp(sd):%d %b %Y}"))
                self.ref_x.append(float(xs[0]))
        dl = getattr(project, "deadline", None)
        if dl is not None and not pd.isna(dl):
            xd = self.x_of_dates([dl], "finish")
            if np.isfinite(xd[0]):
                ax.axvline(xd[0], color=OKABE_ITO["black"], lw=1.4, ls=":", zorder=5,
                           gid="deadline")
                refs.append(Line2D([], [], color="black", lw=1.4, ls=":",
                                   label=f"deadline {pd.Timestamp(dl):%d %b %Y}"))
                self.ref_x.append(float(xd[0]))
        return refs

    def set_xrange(self) -> float:
        """The x range of everything drawn (set first: the arrow stubs are a share of it)."""
        parts = [self.x0, self.x1] + [a for a in (self.xl, self.bl0, self.bl1) if a is not None] \
            + [np.asarray(self.ref_x)]
        if self.has_whiskers:
            parts.append(self.x_of(self.whi, "finish"))
        allx = np.concatenate([np.asarray(a, float).ravel() for a in parts])
        lo_x, hi_x = float(np.nanmin(allx)), float(np.nanmax(allx))
        span = max(hi_x - lo_x, 1.0)
        self.ax.set_xlim(lo_x - 0.02 * span, hi_x + 0.02 * span)
        return span

    def draw_links(self, links: pd.DataFrame | None, show_links: bool, span: float) -> None:
        """Dependency arrows between the bar ends their link types relate."""
        ax, ids, crit, n_rows = self.ax, self.ids, self.crit, self.n_rows
        link_table = links if links is not None else getattr(self.project, "links", None)
        if not (show_links and link_table is not None and len(link_table)):
            return
        lt = require_columns(link_table, ["predecessor", "successor"], "link table",
                             "pass project.links")
        types = (lt["type"].astype(str).str.upper() if "type" in lt else
                 pd.Series("FS", index=lt.index)).to_numpy()
        idx = pd.Index([str(i) for i in ids])
        frm = idx.get_indexer(lt["predecessor"].astype(str))
        to = idx.get_indexer(lt["successor"].astype(str))
        ok = (frm >= 0) & (to >= 0) & np.isin(types, list(LINK_ANCHORS))
        frm, to, types = frm[ok], to[ok], types[ok]
        paths, heads = link_routes(self.x0, self.x1, self.yb_, frm, to, types, 0.006 * span,
                                   self.bar_h)
        hot = crit[frm] & crit[to]
        colors = np.where(hot, CRITICAL, MUTED)
        widths = np.where(hot, 1.0, 0.7)
        for t in LINK_ANCHORS:
            m = types == t
            if m.any():
                ax.add_collection(LineCollection(list(paths[m]), colors=list(colors[m]),
                                                 linewidths=widths[m], zorder=1.5, alpha=0.9,
                                                 gid=f"links:{t}"))
        tips = paths[:, -1, :]
        for d, marker in _HEADS.items():
            m = heads == d
            if m.any():
                ax.scatter(tips[m, 0], tips[m, 1], marker=marker, s=34 if n_rows <= 60 else 16,
                           c=list(colors[m]), linewidths=0, zorder=4.2, gid=f"heads:{d}")

    def label_rows(self, wbs_names: Any, label_width: int) -> None:
        """Row labels (id and name; WBS code and name in bold), the y range and the x axis."""
        ax, ids, sched, tasks, project = self.ax, self.ids, self.sched, self.tasks, self.project
        n_rows, summary, ysum, ytask = self.n_rows, self.summary, self.ysum, self.ytask
        fs = 9 if n_rows <= 40 else (7.5 if n_rows <= 100 else 6.5)
        labels = np.empty(n_rows, dtype=object)
        names = sched["name"] if "name" in sched else (
            tasks["name"].reindex(ids) if tasks is not None and "name" in tasks else None)
        for k, tid in enumerate(ids):
            nm = "" if names is None or pd.isna(names.iloc[k]) else str(names.iloc[k])
            labels[int(ytask[k])] = truncate(f"{tid}  {nm}" if nm and nm != str(tid)
                                             else str(tid), label_width)
        if wbs_names is None and project is not None and getattr(project, "wbs", None) is not None:
            wbs_names = project.wbs          # the project's WBS dictionary names its summaries
        wn = _names(wbs_names)
        if summary is not None:
            for code, yy in zip(summary.index, ysum, strict=True):
                labels[int(yy)] = truncate(f"{code}  {wn.get(str(code), '')}".strip(),
                                           label_width)
        ax.set_ylim(n_rows - 0.4, -0.6)
        ax.set_yticks(np.arange(n_rows), labels=list(labels), fontsize=fs)
        if summary is not None:
            ticks = ax.get_yticklabels()
            for yy in ysum:
                ticks[int(yy)].set_fontweight("bold")
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        if self.time == "dates":
            loc = mdates.AutoDateLocator(minticks=4, maxticks=10)
            ax.xaxis.set_major_locator(loc)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc, show_offset=False))
        else:
            ax.set_xlabel("working days from project start")
        if n_rows > 45:
            ax.tick_params(axis="x", labeltop=True)

    def legend(self, refs: list[Any]) -> None:
        """One legend entry for each kind of thing drawn, below the axes."""
        handles: list[Any] = [Patch(color=PLAN, label="task")]
        if self.crit.any():
            handles.append(Patch(color=CRITICAL, label="critical"))
        if self.has_float:
            handles.append(Patch(color=FLOAT, label="total float"))
        if self.has_actual:
            handles.append(Patch(color=_ACTUAL, label="actual"))
        if self.has_bl:
            handles.append(Patch(color=BASELINE, label="baseline"))
        if self.has_slip:
            handles.append(Patch(color=CRITICAL, label="slip vs baseline"))
        if self.has_progress:
            handles.append(Patch(color=_PROGRESS, alpha=0.65, label="% complete"))
        if self.milestone.any():
            handles.append(Line2D([], [], marker="D", color="black", ls="none", ms=6,
                                  label="milestone"))
        if self.summary is not None:
            handles.append(Patch(color=SUMMARY, label="WBS summary"))
        if self.has_whiskers:
            handles.append(Line2D([], [], color="black", marker="|", ms=8, lw=1.1,
                                  label=self.wlabel))
        handles += refs
        legend_below(self.ax, offset=24 if self.time == "dates" else 34,
                     ncol=min(len(handles), 5), handles=handles, handlelength=1.5,
                     columnspacing=1.2)


def _whisker_values(whiskers: pd.DataFrame | None, simulation: Any, ids: list[Any],
                    ef: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None, str]:
    """Low and high finish offsets per task (P50–P80 of a simulation, or given) and a label."""
    wlo = whi = None
    wlabel = "finish P50–P80 (simulation)"
    if whiskers is not None:
        if not isinstance(whiskers, pd.DataFrame) or whiskers.shape[1] < 2:
            raise DataError("whiskers must be a DataFrame with two columns of finish offsets "
                            "(low, high) indexed by task id")
        w = whiskers.reindex(ids)
        wlo, whi = w.iloc[:, 0].to_numpy(float), w.iloc[:, 1].to_numpy(float)
        wlabel = f"finish {str(whiskers.columns[0]).upper()}–{str(whiskers.columns[1]).upper()}"
    elif simulation is not None:
        tfin = getattr(simulation, "task_finish", None)
        if tfin is not None and len(tfin):
            q = simulation.task_percentiles([50, 80]).reindex(ids)
            wlo, whi = q["p50"].to_numpy(float), q["p80"].to_numpy(float)
        else:
            p50, p80 = simulation.percentile([50, 80])
            last = np.isclose(ef, np.nanmax(ef))
            wlo = np.where(last, p50, np.nan)
            whi = np.where(last, p80, np.nan)
            wlabel = "project finish P50–P80 (simulation)"
    return wlo, whi, wlabel
