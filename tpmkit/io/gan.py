"""GanttProject ``.gan`` import.

GanttProject stores tasks as nested ``<task>`` elements (a task with children is a
summary), each with ``start`` (ISO date), ``duration`` [working days], ``complete`` [%]
and ``meeting="true"`` for milestones. Dependencies are ``<depend>`` elements **on the
predecessor** naming the successor ``id``; ``type`` 1 = SS, 2 = FS, 3 = FF, 4 = SF;
``difference`` is the lag [working days]; ``hardness`` Strong/Rubber. The calendar holds a
default week (``sun="1"`` = weekend day), ``only-show-weekends`` (weekends are working
days) and ``<date>`` holidays (an empty ``year`` repeats every year). ``thirdDate`` with
``thirdDate-constraint="1"`` is an earliest start. Resources, rates [currency per day],
allocations (``load`` [%]) and the first baseline (``previous-tasks``) are read too.

GanttProject keeps a task without predecessors where the user put it, so such a task
gets a start-no-earlier-than constraint at its stored start when that is after the
project start (the earliest task start); its stored start dates are returned as
``computed`` early starts for the differential tests.

References
----------
GanttProject file format, https://www.ganttproject.biz (``.gan`` XML written by
GanttProject 3.x); dependency codes confirmed by the files and tests of
blyoa/ts-ganttproject-parser (see ``../shared/data/cases/ganttproject_dependencies_and_calendar.json``).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import pandas as pd

from tpmkit.errors import FileFormatError, format_ids
from tpmkit.io._xml import (
    DAY_NAMES,
    WorkTime,
    computed_frame,
    format_number,
    links_and_text,
    parse_xml,
    safe_ids,
    stamp,
    summary_leaves,
    task_frame,
    task_tree,
)
from tpmkit.io.limits import quote
from tpmkit.model.calendar import DATE_MAX, DATE_MIN

__all__ = ["LINK_TYPES", "read_parts"]

#: GanttProject ``<depend type=...>`` code → tpmkit link type.
LINK_TYPES = {"1": "SS", "2": "FS", "3": "FF", "4": "SF"}


def _float(el: Element, attr: str, path: str, where: str, default: float = math.nan) -> float:
    v = (el.get(attr) or "").strip()
    if not v:
        return default
    try:
        f = float(v)
    except ValueError:
        f = math.nan
    if not math.isfinite(f):
        raise FileFormatError(f"{path}: {where}: attribute {attr}={quote(v)} is not a number; "
                              "fix it in GanttProject and save again")
    return f


def _day(el: Element, attr: str, path: str, where: str) -> pd.Timestamp:
    v = (el.get(attr) or "").strip()
    if not v:
        return pd.NaT
    try:
        return stamp(v).normalize()
    except ValueError as exc:
        raise FileFormatError(f"{path}: {where}: attribute {attr}={quote(v)} is not a date "
                              f"(expected YYYY-MM-DD; {exc})") from None


def read_parts(path: str | os.PathLike, *, max_bytes: int | None = None,
               **settings: Any) -> dict[str, Any]:
    """Read a GanttProject ``.gan`` file into the parts of a tpmkit project.

    Parameters
    ----------
    path : path-like
        The ``.gan`` file.
    max_bytes : int, optional
        Size limit [bytes].
    **settings
        Accepted for the front door's protocol (applied by the model).

    Returns
    -------
    dict
        ``tasks`` (ids are GanttProject task ids; summary tasks become WBS levels),
        ``project`` (name, start = earliest task start, calendar), ``resources`` (id, name,
        rate [currency per working day]), ``computed`` (GanttProject's stored start and
        finish as working-day offsets) and ``warnings``.

    Raises
    ------
    FileFormatError
        Not a GanttProject file, an XML bomb or external entity, or an attribute that
        cannot be read (the message names the file, the task and the attribute).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.gan"
    >>> _ = p.write_text('''<project name="demo"><tasks>
    ... <task id="0" name="A" start="2024-01-08" duration="2"><depend id="1" type="1" difference="1"/></task>
    ... <task id="1" name="B" start="2024-01-09" duration="3"/></tasks></project>''')
    >>> read_parts(p)["tasks"][["id", "duration", "predecessors"]].to_dict("records")
    [{'id': '0', 'duration': 2.0, 'predecessors': ''}, {'id': '1', 'duration': 3.0, 'predecessors': '0 SS+1d'}]
    """
    name = str(path)
    root = parse_xml(path, max_bytes=max_bytes)
    if root.tag != "project":
        raise FileFormatError(f"{name}: not a GanttProject file: the root element is "
                              f"<{root.tag}>, expected <project>; save the plan from "
                              "GanttProject as .gan")
    warnings: list[str] = []
    weekmask, one_off, recurring, workdays = _calendar(root, name, warnings)
    raw, id_of, summary, leaves = _task_tree(root, name, warnings)
    links, gid_text = _links(raw, id_of, leaves, name, warnings)
    base = _baseline(root, name)
    rows, starts = _task_rows(raw, id_of, gid_text, base, name)
    holidays_l = _holidays(one_off, recurring, starts, name)
    workdays = [d for d in workdays if d not in set(holidays_l)]
    wt = WorkTime(weekmask, holidays_l, workdays=workdays)
    valid = [s for s, _ in starts.values() if pd.notna(s)]
    project_start = min(valid) if valid else pd.NaT
    computed = _constraints_and_computed(rows, wt, project_start)
    res_el, res_ids = _allocations(root, id_of, summary, rows, name)

    parts: dict[str, Any] = {
        "tasks": task_frame(rows),
        "links": links,
        "project": {
            "name": root.get("name") or Path(name).stem,
            "start": project_start.date().isoformat() if pd.notna(project_start) else None,
            "calendar": {"workweek": [d for d, x in zip(DAY_NAMES, weekmask) if x],
                         "holidays": holidays_l, **({"workdays": workdays} if workdays else {})},
            "source_format": "gan",
        },
        "computed": computed_frame(computed),
        "warnings": warnings,
    }
    if res_el:
        rates = []
        for r in res_el:
            rate_el = r.find("rate[@name='standard']")
            rates.append(_float(rate_el, "value", name, f"resource {r.get('id')} rate")
                         if rate_el is not None else math.nan)
        parts["resources"] = pd.DataFrame({"id": res_ids,
                                           "name": [r.get("name", "") for r in res_el],
                                           "capacity": 1.0, "rate": rates})
    if not rows:
        warnings.append("the file holds no tasks")
    return parts


def _calendar(root: Element, name: str, warnings: list[str]
              ) -> tuple[list[bool], list[tuple[int, int, int]], list[tuple[int, int]], list[str]]:
    """The default week, the one-off and recurring holidays of the calendar and its extra
    working dates (``WORKING_DAY`` on a weekend)."""
    weekmask = [True] * 5 + [False] * 2
    week = root.find("calendars/day-types/default-week")
    if week is not None:
        weekmask = [week.get(d.lower(), "0") != "1" for d in DAY_NAMES]
    only = root.find("calendars/day-types/only-show-weekends")
    if only is not None and only.get("value") == "true":
        weekmask = [True] * 7  # "tasks can run on weekends"
    one_off, recurring, extra = [], [], []
    for d in root.findall("calendars/date"):
        kind = d.get("type", "HOLIDAY")
        if kind == "WORKING_DAY":
            try:
                day = pd.Timestamp(int(d.get("year", "")), int(d.get("month", "")),
                                   int(d.get("date", "")))
            except ValueError:
                warnings.append(f"working day {d.get('year')}-{d.get('month')}-{d.get('date')} "
                                "is not a date (a recurring one?) and was ignored")
                continue
            if not weekmask[day.day_of_week]:
                extra.append(day.date().isoformat())
            continue
        if kind != "HOLIDAY":
            continue
        try:
            month, day = int(d.get("month", "")), int(d.get("date", ""))
            year = int(d.get("year")) if (d.get("year") or "").strip() else None
        except ValueError:
            raise FileFormatError(f"{name}: calendar holiday: year={d.get('year')!r} "
                                  f"month={d.get('month')!r} date={d.get('date')!r} is not a "
                                  "date") from None
        if year is not None:
            one_off.append((year, month, day))
        else:
            recurring.append((month, day))
    return weekmask, one_off, recurring, sorted(set(extra))


def _task_tree(root: Element, name: str, warnings: list[str]
               ) -> tuple[list[tuple[Element, str, bool]], dict[str, str], set[str],
                          dict[str, list[str]]]:
    """Tasks depth-first in document order with their WBS codes; summaries and their leaves."""
    raw = task_tree(root.find("tasks"))
    for t, _, _ in raw:
        if t.get("id") is None:
            raise FileFormatError(f"{name}: task {t.get('name')!r}: attribute id is missing; "
                                  "every <task> needs an id")
    gid = [t.get("id") for t, _, _ in raw]
    if len(set(gid)) != len(gid):
        dup = sorted({x for x in gid if gid.count(x) > 1})
        raise FileFormatError(f"{name}: task ids {format_ids(dup)} appear more than once; "
                              "open and save the file in GanttProject to renumber them")
    ids, w = safe_ids(gid)
    warnings += w
    id_of = dict(zip(gid, ids))
    summary, leaves = summary_leaves(raw)
    return raw, id_of, summary, leaves


def _links(raw: list[tuple[Element, str, bool]], id_of: dict[str, str],
           leaves: dict[str, list[str]], name: str,
           warnings: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The links (``<depend>`` on the predecessor) and each task's predecessors text."""
    link_rows: list[tuple[str, str, str, float, float]] = []
    for t, _, _ in raw:
        for dep in t.findall("depend"):
            succ = dep.get("id")
            where = f"task {t.get('id')} dependency on {succ}"
            kind = LINK_TYPES.get((dep.get("type") or "2").strip())
            if kind is None:
                raise FileFormatError(f"{name}: {where}: type={dep.get('type')!r} is not a "
                                      "dependency type; GanttProject uses 1 = SS, 2 = FS, "
                                      "3 = FF, 4 = SF")
            if succ not in id_of:
                warnings.append(f"{where}: successor {succ} is not in the file; link dropped")
                continue
            lag = _float(dep, "difference", name, where, 0.0)
            link_rows.append((t.get("id"), succ, kind, lag, 0.0))
    links, moved_pairs, gid_text = links_and_text(link_rows, id_of, leaves)
    moved = [f"{p}→{q}" for p, q in moved_pairs]
    if moved:
        warnings.append(f"dependencies on summary tasks ({format_ids(moved)}) were moved to "
                        "their subtasks (tpmkit derives summaries from the WBS)")
    return links, gid_text


def _baseline(root: Element, name: str) -> dict[str, tuple[pd.Timestamp, float]]:
    """The first ``<previous-tasks>`` set: baseline start and duration of each task."""
    base: dict[str, tuple[pd.Timestamp, float]] = {}
    prev = root.find("previous/previous-tasks")
    if prev is not None:
        for pt in prev.findall("previous-task"):
            base[pt.get("id")] = (_day(pt, "start", name, f"baseline task {pt.get('id')}"),
                                  _float(pt, "duration", name, f"baseline task {pt.get('id')}",
                                         0.0))
    return base


def _task_rows(raw: list[tuple[Element, str, bool]], id_of: dict[str, str],
               gid_text: dict[str, str], base: dict[str, tuple[pd.Timestamp, float]],
               name: str) -> tuple[list[dict[str, Any]], dict[str, tuple[pd.Timestamp, float]]]:
    """One row per leaf task (stored start, third date and baseline kept aside) and the starts."""
    rows, starts = [], {}
    for t, code, is_summary in raw:
        if is_summary:
            continue
        tid = t.get("id")
        where = f"task {tid} ({t.get('name')!r})"
        start = _day(t, "start", name, where)
        dur = _float(t, "duration", name, where, math.nan)
        if math.isnan(dur) or dur < 0:
            raise FileFormatError(f"{name}: {where}: attribute duration={t.get('duration')!r} "
                                  "must be a number of days ≥ 0")
        if t.get("meeting") == "true":
            dur = 0.0
        starts[tid] = (start, dur)
        third = _day(t, "thirdDate", name, where) if t.get("thirdDate-constraint") == "1" \
            else pd.NaT
        bs, bd = base.get(tid, (pd.NaT, math.nan))
        rows.append({"id": id_of[tid], "name": t.get("name", ""), "duration": dur,
                     "predecessors": gid_text.get(tid, ""),
                     "wbs": code, "percent_complete": _float(t, "complete", name, where, 0.0),
                     "_start": start, "_third": third, "_base": (bs, bd),
                     "_has_preds": bool(gid_text.get(tid))})
    return rows, starts


def _holidays(one_off: list[tuple[int, int, int]], recurring: list[tuple[int, int]],
              starts: dict[str, tuple[pd.Timestamp, float]], name: str) -> list[str]:
    """One-off holidays plus the recurring ones for every year the plan spans (ISO dates)."""
    years = sorted({s.year for s, _ in starts.values() if pd.notna(s)}) or [pd.Timestamp.now().year]
    holidays = set()
    for y, m, d in one_off:
        if not DATE_MIN.year <= y <= DATE_MAX.year:
            raise FileFormatError(f"{name}: calendar holiday {quote(f'{y}-{m}-{d}')} is outside the "
                                  f"supported range {DATE_MIN.date()} … {DATE_MAX.date()}")
        try:
            holidays.add(pd.Timestamp(year=y, month=m, day=d).date().isoformat())
        except (ValueError, OverflowError):
            raise FileFormatError(f"{name}: calendar holiday {f'{y}-{m}-{d}'[:80]} is not a "
                                  "date") from None
    for y in range(years[0] - 1, years[-1] + 6):
        for m, d in recurring:
            try:
                holidays.add(pd.Timestamp(year=y, month=m, day=d).date().isoformat())
            except (ValueError, OverflowError):
                continue
    return sorted(holidays)


def _constraints_and_computed(rows: list[dict[str, Any]], wt: WorkTime,
                              project_start: pd.Timestamp) -> list[dict[str, Any]]:
    """Constraints and baseline dates of each row, and the stored dates as ``computed`` rows."""

    def finish_day(start: pd.Timestamp, dur: float) -> pd.Timestamp:
        if pd.isna(start):
            return pd.NaT
        off = wt.offsets([start], start)[0]
        return wt.dates([off + max(math.ceil(dur) - 1, 0)], start)[0]

    computed = []
    for r in rows:
        start = r.pop("_start")
        third = r.pop("_third")
        bs, bd = r.pop("_base")
        has_preds = r.pop("_has_preds")
        constraint, cdate = "", pd.NaT
        if pd.notna(third):
            constraint, cdate = "SNET", third
        elif not has_preds and pd.notna(start) and start > project_start:
            constraint, cdate = "SNET", start
        r["constraint"], r["constraint_date"] = constraint, cdate
        r["baseline_start"] = bs
        r["baseline_finish"] = finish_day(bs, bd) if pd.notna(bs) else pd.NaT
        if pd.notna(project_start) and pd.notna(start):
            es = float(wt.offsets([start], project_start)[0])
            computed.append({"id": r["id"], "early_start": es,
                             "early_finish": es + r["duration"], "early_start_date": start,
                             "early_finish_date": finish_day(start, r["duration"])})
    return computed


def _allocations(root: Element, id_of: dict[str, str], summary: set[str],
                 rows: list[dict[str, Any]], name: str) -> tuple[list[Element], list[str]]:
    """Fill each row's ``resources`` from the allocations; the resource elements and their ids."""
    res_el = root.findall("resources/resource")
    res_ids, w = safe_ids([r.get("name") or f"resource_{r.get('id')}" for r in res_el], "resource")
    res_of = {r.get("id"): i for r, i in zip(res_el, res_ids)}
    alloc: dict[str, list[str]] = {}
    for a in root.findall("allocations/allocation"):
        tid, rid = a.get("task-id"), a.get("resource-id")
        if rid not in res_of or tid not in id_of or tid in summary:
            continue
        load = _float(a, "load", name, f"allocation of resource {rid} to task {tid}", 100.0)
        alloc.setdefault(tid, []).append(f"{res_of[rid]}:{format_number(load / 100.0)}")
    gid_of = {v: k for k, v in id_of.items()}
    for r in rows:
        r["resources"] = "; ".join(alloc.get(gid_of[r["id"]], []))
    return res_el, res_ids
