"""GNOME Planner ``.planner`` import.

Planner (formerly MrProject) writes XML with nested ``<task>`` elements (a task with
children is a summary), ``work`` [s of working time], ``duration`` [s] for fixed-duration
tasks, ``type="milestone"``, ``percent-complete``, ``<constraint type="must-start-on"|
"start-no-earlier-than">``, ``<predecessor predecessor-id type="FS|SS|FF|SF" lag>`` (lag
[s], one working day per 86 400 s as Planner schedules it), calendars with a default week
(day types 0 = working, 1 = non-working, 2 = as the base calendar), working intervals and
date overrides, resources (``std-rate`` [currency/h]) and allocations (``units`` [%]).

A fixed-work task lasts ``work / Σ allocation units`` of working time; durations become
working days with the project calendar's working hours per day. Planner's computed dates
(``work-start`` and ``end``) are returned as ``computed`` offsets for differential tests.

References
----------
GNOME Planner, ``mrp-parser.c``/``planner-1.0.dtd`` (file format); J. Iles, MPXJ
``PlannerReader`` (https://www.mpxj.org), whose test files are in
``../shared/data/projectfiles/mpxj``.
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
    format_number,
    links_and_text,
    parse_xml,
    safe_ids,
    stamp,
    stored_offsets,
    summary_leaves,
    task_frame,
    task_tree,
)
from tpmkit.io.limits import quote

__all__ = ["read_parts"]

_DAYS = tuple(d.lower() for d in DAY_NAMES)
_CONSTRAINTS = {"must-start-on": "MSO", "start-no-earlier-than": "SNET"}


def _when(el: Element, attr: str, path: str, where: str) -> pd.Timestamp:
    v = (el.get(attr) or "").strip()
    if not v:
        return pd.NaT
    fmt = "%Y%m%dT%H%M%S" if "T" in v else "%Y%m%d"
    try:
        return stamp(v.rstrip("Z"), fmt)
    except ValueError as exc:
        raise FileFormatError(f"{path}: {where}: attribute {attr}={quote(v)} is not a Planner "
                              f"date-time (YYYYMMDDTHHMMSSZ; {exc})") from None


def _num(el: Element, attr: str, path: str, where: str, default: float = math.nan) -> float:
    v = (el.get(attr) or "").strip()
    if not v:
        return default
    try:
        return float(v)
    except ValueError:
        raise FileFormatError(f"{path}: {where}: attribute {attr}={v!r} is not a number") from None


def _calendar(root: Element, cal_id: str | None, path: str, warnings: list[str]):
    cals: dict[str, tuple[Element, Element | None]] = {}

    def collect(parent: Element, base: Element | None) -> None:
        for c in parent.findall("calendar"):
            cals[c.get("id", "")] = (c, base)
            collect(c, c)

    collect(root.find("calendars") if root.find("calendars") is not None else root, None)
    if not cals:
        return [True] * 5 + [False] * 2, [], None, "Default", []
    cal, base = cals.get(cal_id or "", next(iter(cals.values())))
    chain = [cal]
    while base is not None:
        chain.append(base)
        base = cals.get(base.get("id", ""), (None, None))[1]
    weekmask: list[bool | None] = [None] * 7
    intervals: list[tuple[int, int]] | None = None
    holidays: set[str] = set()
    working: list[str] = []
    for c in chain:  # derived first: the first definite value wins
        week = c.find("default-week")
        for k, d in enumerate(_DAYS):
            v = week.get(d) if week is not None else None
            if weekmask[k] is None and v in ("0", "1"):
                weekmask[k] = v == "0"
        ov = c.find("overridden-day-types/overridden-day-type[@id='0']")
        if intervals is None and ov is not None:
            intervals = []
            for iv in ov.findall("interval"):
                a, b = iv.get("start", "0800"), iv.get("end", "1700")
                try:
                    intervals.append((int(a[:2]) * 60 + int(a[2:4]),
                                      int(b[:2]) * 60 + int(b[2:4])))
                except ValueError:
                    raise FileFormatError(f"{path}: calendar {c.get('name')!r}: interval "
                                          f"start={a!r} end={b!r} is not HHMM") from None
        for day in c.findall("days/day"):
            date = _when(day, "date", path, f"calendar {c.get('name')!r} day")
            if pd.isna(date) or day.get("type") != "day-type":
                continue
            if day.get("id") == "1":
                holidays.add(date.date().isoformat())
            elif day.get("id") == "0":
                working.append(date.date().isoformat())
    wm = [bool(x) if x is not None else k < 5 for k, x in enumerate(weekmask)]
    hol = sorted(holidays)
    # a working override on a normally working day is no change; on a weekend it is an
    # extra workday
    extra = sorted({d for d in working if not wm[pd.Timestamp(d).weekday()]} - holidays)
    minutes = [intervals if (w and intervals) else ([] if not w else None) for w in wm]
    minutes = [m if m is not None else [(480, 720), (780, 1020)] for m in minutes]
    return wm, hol, minutes, cal.get("name", ""), extra


def read_parts(path: str | os.PathLike, *, max_bytes: int | None = None,
               **settings: Any) -> dict[str, Any]:
    """Read a GNOME Planner file into the parts of a tpmkit project.

    Parameters
    ----------
    path : path-like
        The ``.planner`` file.
    max_bytes : int, optional
        Size limit [bytes].
    **settings
        Accepted for the front door's protocol (applied by the model).

    Returns
    -------
    dict
        ``tasks``, ``project``, ``resources``, ``computed`` (Planner's work start and end
        as working-day offsets) and ``warnings``.

    Raises
    ------
    FileFormatError
        Not a Planner file, unsafe XML, or an attribute that cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.planner"
    >>> _ = p.write_text('''<project name="x" project-start="20240108T000000Z"><tasks>
    ... <task id="1" name="A" work="57600" type="normal" scheduling="fixed-work"/>
    ... <task id="2" name="B" work="28800" type="normal" scheduling="fixed-work">
    ... <predecessors><predecessor id="1" predecessor-id="1" type="FS"/></predecessors></task>
    ... </tasks></project>''')
    >>> read_parts(p)["tasks"][["id", "duration", "predecessors"]].to_dict("records")
    [{'id': '1', 'duration': 2.0, 'predecessors': ''}, {'id': '2', 'duration': 1.0, 'predecessors': '1'}]
    """
    name = str(path)
    root = parse_xml(path, max_bytes=max_bytes)
    if root.tag != "project" or (root.get("mrproject-version") is None and \
            root.find("tasks") is None):
        raise FileFormatError(f"{name}: not a GNOME Planner file: the root element is "
                              f"<{root.tag}>, expected <project> with <tasks>")
    warnings: list[str] = []
    weekmask, holidays, minutes, cal_name, workdays = _calendar(root, root.get("calendar"),
                                                                name, warnings)
    wt = WorkTime(weekmask, holidays, minutes, workdays)
    sec_per_day = wt.minutes_per_day() * 60.0

    raw = task_tree(root.find("tasks"))
    missing = [quote(t.get("name", ""), 40) for t, _, _ in raw if not (t.get("id") or "").strip()]
    if missing:
        raise FileFormatError(f"{name}: <task> element(s) {format_ids(missing)} have no id "
                              "attribute; save the plan again from Planner")
    pid = [t.get("id", "") for t, _, _ in raw]
    ids, w = safe_ids(pid)
    warnings += w
    id_of = dict(zip(pid, ids))
    _, leaves = summary_leaves(raw)
    res_el, res_ids, alloc = _allocations(root, id_of, name)
    links, preds = _links(raw, id_of, leaves, name, warnings)
    start = _when(root, "project-start", name, "project")
    rows, computed = _task_rows(raw, id_of, preds, alloc, sec_per_day, name, warnings)
    comp = stored_offsets(computed, start, wt, ("early_start", "early_finish"))
    parts: dict[str, Any] = {
        "tasks": task_frame(rows),
        "links": links,
        "project": {"name": root.get("name") or Path(name).stem,
                    "start": start.date().isoformat() if pd.notna(start) else None,
                    "calendar": {"workweek": [d for d, x in zip(DAY_NAMES, weekmask) if x],
                                 "holidays": holidays,
                                 **({"workdays": workdays} if workdays else {})},
                    "calendar_name": cal_name, "source_format": "planner"},
        "computed": comp, "warnings": warnings,
    }
    if res_el:
        parts["resources"] = pd.DataFrame({
            "id": res_ids, "name": [r.get("name", "") for r in res_el], "capacity": 1.0,
            "rate": [_num(r, "std-rate", name, f"resource {r.get('id')}") * sec_per_day / 3600.0
                     for r in res_el]})
    if not rows:
        warnings.append("the file holds no tasks")
    return parts


def _allocations(root: Element, id_of: dict[str, str], name: str
                 ) -> tuple[list[Element], list[str], dict[str, list[tuple[str, float]]]]:
    """The resource elements, their ids and each task's (resource, units) allocations."""
    res_el = root.findall("resources/resource")
    res_ids, w = safe_ids([r.get("name") or r.get("short-name") or f"resource_{r.get('id')}"
                           for r in res_el], "resource")
    res_of = {r.get("id"): i for r, i in zip(res_el, res_ids)}
    alloc: dict[str, list[tuple[str, float]]] = {}
    for a in root.findall("allocations/allocation"):
        tid, rid = a.get("task-id"), a.get("resource-id")
        if rid in res_of and tid in id_of:
            units = _num(a, "units", name, f"allocation of resource {rid}", 100.0) / 100.0
            alloc.setdefault(tid, []).append((res_of[rid], units))
    return res_el, res_ids, alloc


def _links(raw: list[tuple[Element, str, bool]], id_of: dict[str, str],
           leaves: dict[str, list[str]], name: str,
           warnings: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The links (``<predecessor>`` on the successor) and each task's predecessors text."""
    link_rows: list[tuple[str, str, str, float, float]] = []
    for t, _, _ in raw:
        for p in t.findall("predecessors/predecessor"):
            src = p.get("predecessor-id")
            where = f"task {t.get('id')} predecessor {src}"
            kind = (p.get("type") or "FS").upper()
            if kind not in ("FS", "SS", "FF", "SF"):
                raise FileFormatError(f"{name}: {where}: type={p.get('type')!r} is not FS, SS, "
                                      "FF or SF")
            if src not in id_of:
                warnings.append(f"{where}: task {src} is not in the file; link dropped")
                continue
            lag = _num(p, "lag", name, where, 0.0) / 86400.0
            link_rows.append((src, t.get("id"), kind, lag, 0.0))
    links, moved_pairs, preds = links_and_text(link_rows, id_of, leaves)
    moved = [f"{a}→{b}" for a, b in moved_pairs]
    if moved:
        warnings.append(f"links on summary tasks ({format_ids(moved)}) were moved to their "
                        "subtasks (tpmkit derives summaries from the WBS)")
    return links, preds


def _task_rows(raw: list[tuple[Element, str, bool]], id_of: dict[str, str],
               preds: dict[str, str], alloc: dict[str, list[tuple[str, float]]],
               sec_per_day: float, name: str, warnings: list[str]
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One row per leaf task and Planner's work start and end as ``computed`` rows."""
    rows, computed = [], []
    for t, code, is_summary in raw:
        if is_summary:
            continue
        tid = t.get("id")
        where = f"task {tid} ({t.get('name')!r})"
        units = sum(u for _, u in alloc.get(tid, [])) or 1.0
        if t.get("type") == "milestone":
            dur = 0.0
        elif t.get("scheduling") == "fixed-duration" and t.get("duration"):
            dur = _num(t, "duration", name, where) / sec_per_day
        else:
            dur = _num(t, "work", name, where, 0.0) / units / sec_per_day
        if dur < 0 or math.isnan(dur):
            raise FileFormatError(f"{name}: {where}: attribute work/duration must be a number "
                                  "of seconds ≥ 0")
        con = t.find("constraint")
        constraint, cdate = "", pd.NaT
        if con is not None:
            constraint = _CONSTRAINTS.get(con.get("type", ""), "")
            if not constraint:
                warnings.append(f"{where}: constraint {con.get('type')!r} is not supported; "
                                "ignored")
            else:
                cdate = _when(con, "time", name, where).normalize()
        rows.append({"id": id_of[tid], "name": t.get("name", ""), "duration": dur,
                     "predecessors": preds.get(tid, ""), "wbs": code,
                     "constraint": constraint, "constraint_date": cdate,
                     "percent_complete": _num(t, "percent-complete", name, where, 0.0),
                     "resources": "; ".join(f"{r}:{format_number(u)}"
                                            for r, u in alloc.get(tid, []))})
        ws, end = _when(t, "work-start", name, where), _when(t, "end", name, where)
        computed.append({"id": id_of[tid], "early_start_date": ws, "early_finish_date": end})
    return rows, computed
