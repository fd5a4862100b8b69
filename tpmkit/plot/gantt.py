"""Gantt chart of a finished CPM schedule.

The chart draws what :func:`tpmkit.schedule` computed; it does no scheduling itself.
Bars run from the early start to the early finish (working-day offsets or calendar
dates), WBS summary bars span their tasks, milestones are diamonds, critical tasks are
vermillion, total float trails each bar as a thin sky-blue bar, baselines sit under the
bars, percent complete fills the bar from the left, and a vertical line marks the status
date. Dependency arrows leave and enter the bar end that the link type relates [1]_:

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

import re
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from tpmkit.errors import check_option
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
    themed,
    truncate,
)
from tpmkit.plot._util import require_columns

__all__ = ["LINK_ANCHORS", "gantt"]

#: For each link type: (end of the predecessor the arrow leaves, end of the successor it enters).
LINK_ANCHORS = {"FS": ("finish", "start"), "SS": ("start", "start"),
                "FF": ("finish", "finish"), "SF": ("start", "finish")}

_FIX = "pass the table returned by tpmkit.schedule(project)"


def _wbs_key(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.]", code) if p != "")


def _rows(sched: pd.DataFrame, wbs: pd.Series | None, summaries: bool) -> list[tuple[str, str]]:
    """Row order as (kind, key): tasks in input order, or grouped under WBS summary rows."""
    ids = list(sched.index)
    if wbs is None or not summaries:
        return [("task", i) for i in ids]
    codes = wbs.reindex(ids).fillna("").astype(str).str.strip()
    if not (codes != "").any():
        return [("task", i) for i in ids]
    order = sorted(range(len(ids)), key=lambda k: (codes.iloc[k] == "", _wbs_key(codes.iloc[k]), k))
    rows: list[tuple[str, str]] = []
    opened: set[str] = set()
    task_codes = set(codes)
    for k in order:
        code = codes.iloc[k]
        parts = code.split(".") if code else []
        for depth in range(1, len(parts)):
            prefix = ".".join(parts[:depth])
            if prefix not in opened and prefix not in task_codes:
                opened.add(prefix)
                rows.append(("summary", prefix))
        rows.append(("task", ids[k]))
    return rows


@themed
def gantt(
    schedule: pd.DataFrame,
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
    whiskers: pd.DataFrame | None = None,
    wbs_names: dict[str, str] | None = None,
    label_width: int = 38,
    title: str | None = "Schedule",
    ax: Axes | None = None,
) -> Axes:
    """Draw a Gantt chart of a CPM schedule.

    Parameters
    ----------
    schedule : DataFrame
        Result of :func:`tpmkit.schedule`: indexed by task id with ``name``, ``duration``
        [working days], ``early_start``, ``early_finish``, ``late_finish``, ``total_float``
        [working days], ``critical``; with a project start also the ``*_date`` columns.
    project : Project, optional
        Supplies ``links`` (dependency arrows), ``tasks.wbs`` (summary bars),
        ``tasks.baseline_start/baseline_finish``, ``tasks.percent_complete``,
        ``status_date``, ``deadline`` and the calendar for offset conversions.
    links : DataFrame, optional
        ``predecessor``, ``successor``, ``type`` (FS/SS/FF/SF); defaults to ``project.links``.
    time : {"auto", "dates", "offsets"}
        Axis in calendar dates or working-day offsets; ``auto`` uses dates when the
        schedule has ``early_start_date``.
    show_links, show_float, show_baseline, show_progress, summaries : bool
        Switch the arrows, float trailers, baseline bars, percent-complete fill and WBS
        summary rows on or off (each needs its data; absent data draws nothing).
    status_date : date-like, optional
        Data date line; defaults to ``project.status_date``. Drawn at the end of that day.
    whiskers : DataFrame, optional
        Indexed by task id, two columns of finish offsets [working days] from a
        simulation, e.g. ``p50`` and ``p80``: drawn as a whisker after the bar.
    wbs_names : dict, optional
        Names of WBS summary codes, e.g. ``{"1": "Design"}``.
    label_width : int
        Row labels are truncated to this many characters.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure sized to the number of rows otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        Task bars carry the gid ``"bar:<id>"``, milestones ``"milestone:<id>"``, summary
        bars ``"summary:<code>"``, float trailers ``"float:<id>"``, baselines
        ``"baseline:<id>"`` and each dependency arrow is an annotation with gid
        ``"link:<type>:<pred>-><succ>"`` whose ``xyann`` is the anchor on the predecessor
        and ``xy`` the anchor on the successor (data coordinates).

    References
    ----------
    .. [1] Project Management Institute (2019). *Practice Standard for Scheduling*,
       3rd ed., section 4.6.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"name": ["Design", "Build"], "duration": [3.0, 5.0],
    ...     "early_start": [0.0, 3.0], "early_finish": [3.0, 8.0], "late_finish": [3.0, 8.0],
    ...     "total_float": [0.0, 0.0], "critical": [True, True]},
    ...     index=pd.Index(["A", "B"], name="id"))
    >>> links = pd.DataFrame({"predecessor": ["A"], "successor": ["B"], "type": ["FS"]})
    >>> ax = gantt(s, links=links)
    >>> [a.get_gid() for a in ax.texts]
    ['link:FS:A->B']
    """
    sched = require_columns(schedule, ["early_start", "early_finish"], "schedule table", _FIX)
    time = check_option(time, ["auto", "dates", "offsets"], "time")
    tasks = getattr(project, "tasks", None)
    if time == "auto":
        time = "dates" if "early_start_date" in sched.columns else "offsets"
    if time == "dates":
        require_columns(sched, ["early_start_date", "early_finish_date"], "schedule table",
                        "give the project a start date, or use time='offsets'")
    dur = (sched["duration"] if "duration" in sched else sched["early_finish"] - sched["early_start"])
    dur = dur.astype(float).to_numpy()
    es = sched["early_start"].astype(float).to_numpy()
    ef = sched["early_finish"].astype(float).to_numpy()
    lf = sched["late_finish"].astype(float).to_numpy() if "late_finish" in sched else None
    if lf is None and "total_float" in sched:
        lf = ef + sched["total_float"].astype(float).to_numpy()
    milestone = dur == 0
    cal = getattr(project, "calendar", None)
    start = getattr(project, "start", None)

    def finish_x(dates: pd.Series, offsets: np.ndarray) -> np.ndarray:
        # a finish date is the end of that working day (contract time convention)
        return mdates.date2num(pd.to_datetime(dates)) + (offsets > 0)

    if time == "dates":
        x0 = mdates.date2num(pd.to_datetime(sched["early_start_date"]))
        x1 = finish_x(sched["early_finish_date"], ef)
        x0 = np.where(milestone, x1, x0)
        if "late_finish_date" in sched:
            xl = finish_x(sched["late_finish_date"], lf if lf is not None else ef)
        else:
            xl = None
    else:
        x0, x1, xl = es, ef, lf

    def to_x(values: Any, kind: str) -> np.ndarray | None:
        """Dates -> x in the current mode (None when the conversion is impossible)."""
        ts = pd.to_datetime(pd.Series(values), errors="coerce")
        if time == "dates":
            return mdates.date2num(ts) + (1.0 if kind == "finish" else 0.0)
        if cal is None or start is None:
            return None
        out = np.full(len(ts), np.nan)
        ok = ts.notna().to_numpy()
        if ok.any():
            out[ok] = cal.offset_of(ts[ok].to_numpy(), start, kind=kind)
        return out

    ids = list(sched.index)
    pos = {tid: k for k, tid in enumerate(ids)}
    crit = (sched["critical"].fillna(False).astype(bool).to_numpy() if "critical" in sched
            else np.zeros(len(ids), bool))
    names = sched["name"] if "name" in sched else (tasks["name"] if tasks is not None and "name" in tasks else None)
    wbs = sched["wbs"] if "wbs" in sched else (tasks["wbs"] if tasks is not None and "wbs" in tasks else None)
    rows = _rows(sched, wbs, summaries)
    n_rows = len(rows)
    ax = get_ax(ax, figsize=(10.0, float(np.clip(0.27 * n_rows + 1.6, 2.6, 60.0))))
    fs = 9 if n_rows <= 40 else (7.5 if n_rows <= 100 else 6)

    has_baseline = False
    bl0 = bl1 = None
    if show_baseline and tasks is not None and {"baseline_start", "baseline_finish"} <= set(tasks.columns):
        b = tasks.reindex(ids)
        if b["baseline_start"].notna().any():
            bl0, bl1 = to_x(b["baseline_start"], "start"), to_x(b["baseline_finish"], "finish")
            has_baseline = bl0 is not None
    bar_h = 0.42 if has_baseline else 0.56
    bar_y = -0.08 if has_baseline else 0.0  # bar centre relative to the row (y axis inverted)

    ypos: dict[str, float] = {}
    labels: list[str] = []
    summary_rows: list[int] = []
    members: dict[str, list[int]] = {}
    codes = wbs.reindex(ids).fillna("").astype(str).str.strip() if wbs is not None else None
    for y, (kind, key) in enumerate(rows):
        if kind == "summary":
            nm = (wbs_names or {}).get(key, "")
            labels.append(truncate(f"{key} {nm}".strip(), label_width))
            summary_rows.append(y)
            members[key] = [k for k, c in enumerate(codes) if c == key or c.startswith(key + ".")]
        else:
            ypos[key] = float(y)
            nm = "" if names is None or pd.isna(names.get(key)) else str(names.get(key))
            labels.append(truncate(f"{key}  {nm}".strip() if nm and nm != key else str(key), label_width))

    # bars: one vectorised broken-bar call per colour would lose per-task gids the tests rely
    # on, so draw per task (n ≤ a few hundred) but compute everything above as arrays.
    idx = np.array([pos[k] for kind, k in rows if kind == "task"], dtype=int)
    ys = np.array([ypos[ids[k]] for k in idx])
    for k, y in zip(idx, ys, strict=True):
        tid = ids[k]
        color = CRITICAL if crit[k] else PLAN
        if has_baseline and bl0 is not None and np.isfinite(bl0[k]) and np.isfinite(bl1[k]):
            ax.barh(y + 0.29, max(bl1[k] - bl0[k], 0.0), left=bl0[k], height=0.16,
                    color=BASELINE, zorder=2, gid=f"baseline:{tid}")
        if milestone[k]:
            ax.plot([x1[k]], [y + bar_y], marker="D", ms=7.5, color=CRITICAL if crit[k] else "black",
                    mec="white", mew=0.8, zorder=4, linestyle="none", gid=f"milestone:{tid}")
        else:
            ax.barh(y + bar_y, x1[k] - x0[k], left=x0[k], height=bar_h, color=color,
                    zorder=3, gid=f"bar:{tid}", edgecolor="none")
        if show_float and xl is not None and np.isfinite(xl[k]) and xl[k] > x1[k] + 1e-9:
            ax.barh(y + bar_y, xl[k] - x1[k], left=x1[k], height=0.12, color=FLOAT,
                    zorder=2, gid=f"float:{tid}")

    if show_progress and not milestone.all():
        pct = None
        if "percent_complete" in sched:
            pct = sched["percent_complete"]
        elif tasks is not None and "percent_complete" in tasks:
            pct = tasks["percent_complete"].reindex(ids)
        if pct is not None and pd.to_numeric(pct, errors="coerce").fillna(0).gt(0).any():
            frac = np.clip(pd.to_numeric(pct, errors="coerce").fillna(0).to_numpy() / 100.0, 0, 1)
            for k, y in zip(idx, ys, strict=True):
                if frac[k] > 0 and not milestone[k]:
                    ax.barh(y + bar_y, (x1[k] - x0[k]) * frac[k], left=x0[k], height=bar_h * 0.38,
                            color="#1A1A1A", alpha=0.6, zorder=3.5, gid=f"progress:{ids[k]}")

    for y in summary_rows:
        key = rows[y][1]
        m = members[key]
        if not m:
            continue
        a, b = float(np.min(x0[m])), float(np.max(x1[m]))
        ax.barh(y - 0.05, b - a, left=a, height=0.2, color=SUMMARY, zorder=3, gid=f"summary:{key}")
        ax.plot([a, b], [y + 0.12, y + 0.12], linestyle="none", marker="v", ms=5, color=SUMMARY,
                zorder=3)

    if whiskers is not None and len(whiskers.columns) >= 2:
        w = whiskers.reindex(ids)
        lo = w.iloc[:, 0].astype(float).to_numpy()
        hi = w.iloc[:, 1].astype(float).to_numpy()
        if time == "dates":
            if cal is not None and start is not None:
                ok = np.isfinite(lo) & np.isfinite(hi)
                lo_x = np.full(len(ids), np.nan)
                hi_x = np.full(len(ids), np.nan)
                lo_x[ok] = finish_x(cal.finish_dates(lo[ok], start), lo[ok])
                hi_x[ok] = finish_x(cal.finish_dates(hi[ok], start), hi[ok])
                lo, hi = lo_x, hi_x
            else:
                lo = hi = np.full(len(ids), np.nan)
        for k, y in zip(idx, ys, strict=True):
            if np.isfinite(lo[k]) and np.isfinite(hi[k]):
                ax.plot([lo[k], hi[k]], [y + bar_y, y + bar_y], color="black", lw=1.0, zorder=4,
                        marker="|", ms=7, gid=f"whisker:{ids[k]}")

    n_arrows = 0
    link_table = links if links is not None else getattr(project, "links", None)
    if show_links and link_table is not None and len(link_table):
        lt = require_columns(link_table, ["predecessor", "successor"], "link table",
                             "pass project.links")
        types = (lt["type"].astype(str).str.upper() if "type" in lt else pd.Series("FS", index=lt.index))
        for p, s, t in zip(lt["predecessor"], lt["successor"], types, strict=True):
            if p not in ypos or s not in ypos or t not in LINK_ANCHORS:
                continue
            i, j = pos[p], pos[s]
            src, dst = LINK_ANCHORS[t]
            xa = x1[i] if src == "finish" else x0[i]
            xb = x1[j] if dst == "finish" else x0[j]
            ya, yb = ypos[p] + bar_y, ypos[s] + bar_y
            # enter the successor bar through its top (or bottom) edge, vertically
            edge = -bar_h / 2 if yb > ya else bar_h / 2
            if milestone[j]:
                edge *= 0.9
            both = crit[i] and crit[j]
            ann = ax.annotate(
                "", xy=(xb, yb + edge), xytext=(xa, ya), xycoords="data", textcoords="data",
                annotation_clip=False,
                arrowprops={"arrowstyle": "-|>,head_length=0.35,head_width=0.18",
                            "connectionstyle": "angle,angleA=0,angleB=90,rad=0",
                            "shrinkA": 0, "shrinkB": 0, "lw": 0.8 if both else 0.6,
                            "color": CRITICAL if both else MUTED, "alpha": 0.9},
                zorder=1.5,
            )
            ann.set_gid(f"link:{t}:{p}->{s}")
            n_arrows += 1

    # reference lines
    legend: list[Any] = []
    sd = status_date if status_date is not None else getattr(project, "status_date", None)
    if sd is not None and not pd.isna(sd):
        xs = to_x([sd], "finish")
        if xs is not None and np.isfinite(xs[0]):
            ax.axvline(xs[0], color=STATUS, lw=1.4, ls="--", zorder=5, gid="status_date")
            legend.append(Line2D([], [], color=STATUS, lw=1.4, ls="--",
                                 label=f"Status date {pd.Timestamp(sd):%d %b %Y}"))
    dl = getattr(project, "deadline", None)
    if dl is not None and not pd.isna(dl):
        xd = to_x([dl], "finish")
        if xd is not None and np.isfinite(xd[0]):
            ax.axvline(xd[0], color=OKABE_ITO["black"], lw=1.2, ls=":", zorder=5, gid="deadline")
            legend.append(Line2D([], [], color="black", lw=1.2, ls=":",
                                 label=f"Deadline {pd.Timestamp(dl):%d %b %Y}"))

    ax.set_ylim(n_rows - 0.4, -0.6)
    ax.set_yticks(np.arange(n_rows), labels=labels, fontsize=fs)
    for y in summary_rows:
        ax.get_yticklabels()[y].set_fontweight("bold")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    if time == "dates":
        loc = mdates.AutoDateLocator(minticks=4, maxticks=10)
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    else:
        ax.set_xlabel("working days from project start")
    if n_rows > 45:
        ax.tick_params(axis="x", labeltop=True)
    lo_x = np.nanmin(np.concatenate([x0, bl0 if bl0 is not None else x0]))
    hi_x = np.nanmax(np.concatenate([x1, xl if xl is not None else x1, bl1 if bl1 is not None else x1]))
    pad = max((hi_x - lo_x) * 0.02, 0.5)
    ax.set_xlim(lo_x - pad, hi_x + pad)

    handles = [Patch(color=PLAN, label="Task")]
    if crit.any():
        handles.append(Patch(color=CRITICAL, label="Critical"))
    if show_float and xl is not None and np.any(xl > x1 + 1e-9):
        handles.append(Patch(color=FLOAT, label="Total float"))
    if has_baseline:
        handles.append(Patch(color=BASELINE, label="Baseline"))
    if milestone.any():
        handles.append(Line2D([], [], marker="D", color="black", ls="none", ms=6, label="Milestone"))
    if summary_rows:
        handles.append(Patch(color=SUMMARY, label="WBS summary"))
    if any(str(g).startswith("progress:") for g in (p.get_gid() for p in ax.patches)):
        handles.append(Patch(color="#1A1A1A", alpha=0.6, label="% complete"))
    ax.legend(handles=handles + legend, loc="lower left", bbox_to_anchor=(0.0, 1.0),
              ncol=min(len(handles + legend), 5), fontsize=8, borderaxespad=0.3,
              handlelength=1.4, columnspacing=1.0)
    if title:
        ax.set_title(title, pad=26 if handles else 6)
    return ax
