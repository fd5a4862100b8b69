"""Microsoft Project XML (MSPDI): export.

:func:`write` turns a project (and, when given, its :class:`~tpmkit.cpm.ScheduleResult`) into
the XML interchange format MS Project, ProjectLibre and GanttProject open; the reader is
:mod:`tpmkit.io.mspdi`, whose module docstring lists the units and codes of the format. The
writer computes nothing: the dates it stores come from the schedule passed in (the caller
schedules, e.g. :func:`tpmkit.write`), the project's dates from the project, so writing the
same project twice gives the same bytes.

References
----------
Microsoft, "Project XML Data Interchange Schema Reference" (mspdi_pj12.xsd), MSDN.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from tpmkit._files import atomic_path
from tpmkit.errors import DataError, InputFileError, format_ids
from tpmkit.io._fidelity import lost_parts, warn_lost
from tpmkit.io._xml import (
    MSPDI_CONSTRAINTS,
    MSPDI_ID_ALIAS,
    MSPDI_ID_FIELD,
    MSPDI_LINK_TYPES,
    MSPDI_RESOURCE_ID_ALIAS,
    MSPDI_RESOURCE_ID_FIELD,
    WorkTime,
    format_number,
)

__all__ = ["KEEPS", "losses", "write"]

_LINK_CODES = {v: k for k, v in MSPDI_LINK_TYPES.items()}
_CONSTRAINT_CODES = {v: k for k, v in MSPDI_CONSTRAINTS.items()}


def _e(tag: str, value: object) -> str:
    return f"<{tag}>{escape(str(value))}</{tag}>"


def _dt(ts: pd.Timestamp, hhmm: str) -> str:
    return f"{pd.Timestamp(ts).date().isoformat()}T{hhmm}:00"


def _pt(minutes: float) -> str:
    """Minutes → ``PT#H#M#S`` rounded to the second (MS Project's resolution)."""
    total = int(round(max(float(minutes), 0.0) * 60.0))
    h, rest = divmod(total, 3600)
    m, sec = divmod(rest, 60)
    return f"PT{h}H{m}M{sec}S"


def _schedule_table(schedule: Any, ids: list[str]) -> pd.DataFrame | None:
    """The table of ``schedule`` (a ScheduleResult of this project), or None."""
    if schedule is None:
        return None
    table = getattr(schedule, "table", schedule)
    need = ["early_start", "early_finish", "late_start", "late_finish", "total_float",
            "free_float"]
    if not isinstance(table, pd.DataFrame) or not set(need) <= set(table.columns):
        raise DataError("schedule= must be the schedule of the project; pass "
                        "schedule=tpmkit.schedule(project)")
    if list(table.index.astype(str)) != ids:
        other = sorted(set(table.index.astype(str)) ^ set(ids)) or ids
        raise DataError(f"the schedule is not this project's (tasks {format_ids(other)} differ); "
                        "pass schedule=tpmkit.schedule(project) of the project written")
    return table


def _task_times(s: dict | None, milestone: bool, day: Any, mpd: float) -> dict[str, str]:
    """The computed elements of one task (empty strings when not known)."""
    keys = ("Start", "Finish", "Critical", "EarlyStart", "EarlyFinish", "LateStart",
            "LateFinish", "FreeSlack", "TotalSlack")
    out = dict.fromkeys(keys, "")
    if s is None:
        return out
    out["Critical"] = _e("Critical", int(bool(s.get("critical", False))))
    # a finished task of a status-dated schedule has no float (NaN): no slack element
    for tag, col in (("FreeSlack", "free_float"), ("TotalSlack", "total_float")):
        if pd.notna(s[col]):
            out[tag] = _e(tag, int(round(float(s[col]) * mpd * 10)))
    es, ef = float(s["early_start"]), float(s["early_finish"])
    ls, lf = float(s["late_start"]), float(s["late_finish"])
    if day is None or not all(map(math.isfinite, (es, ef, ls, lf))):
        return out
    sd = day(es, "start")
    fd = day(ef, "finish") if not milestone else (day(es, "finish") if es > 0 else sd)
    fin_time = "17:00" if not milestone or es > 0 else "08:00"
    st_time = "08:00" if not milestone or es == 0 else "17:00"
    out["Start"], out["Finish"] = _e("Start", _dt(sd, st_time)), _e("Finish", _dt(fd, fin_time))
    out["EarlyStart"] = _e("EarlyStart", _dt(sd, st_time))
    out["EarlyFinish"] = _e("EarlyFinish", _dt(fd, fin_time))
    out["LateStart"] = _e("LateStart", _dt(day(ls, "start"), "08:00"))
    out["LateFinish"] = _e("LateFinish", _dt(day(lf, "finish") if lf > 0 else day(0, "start"),
                                            "17:00" if lf > 0 else "08:00"))
    return out


#: the task columns MSPDI holds (standard fields; the tpmkit id in Text1)
_TASK_FIELDS = ("name", "duration", "predecessors", "wbs", "constraint", "constraint_date",
                "cost", "baseline_start", "baseline_finish", "baseline_cost",
                "percent_complete", "actual_start", "actual_finish", "actual_cost",
                "remaining_duration", "resources", "milestone")
#: the resource columns MSPDI holds (the tpmkit id in the resource's Text1)
_RESOURCE_FIELDS = frozenset({"id", "name", "capacity", "rate", "type"})
#: the working hours of the one calendar the export writes (minutes from midnight)
_STANDARD_DAY = ((480, 720), (780, 1020))
KEEPS = ("name", "start", "status_date", "currency", "workweek", "holidays", "bac",
         *(f"task:{c}" for c in _TASK_FIELDS))


def _deadline_date(project: Any) -> pd.Timestamp | None:
    """The project deadline as a date (a whole working-day deadline counted from the start)."""
    d = project.deadline
    if d is None or isinstance(d, pd.Timestamp):
        return d
    if project.start is None or float(d) != math.floor(float(d)):
        return None  # no calendar day to write
    return project.calendar.finish_dates(np.array([float(d)]), project.start)[0] \
        if float(d) > 0 else project.start


def losses(project: Any, path: str | os.PathLike) -> list[str]:
    """The parts of ``project`` an MSPDI file does not hold.

    Keys of ``tpmkit.io._fidelity.held_parts``: three-point estimates, distributions, task
    rates and other non-standard task columns, risks, EVM periods, the WBS dictionary, free
    project settings, resource columns other than name, capacity and rate, a deadline in
    fractional working days or without a start date, task calendars, and working hours other
    than the Standard 08:00–12:00, 13:00–17:00 of 8 hours that the export writes.
    """
    keeps = list(KEEPS)
    cal = project.calendar
    if cal.hours_per_day in (None, 8) and (cal.working_times is None or all(
            tuple(day) == _STANDARD_DAY for day, on in zip(cal.working_times, cal.weekmask) if on)):
        keeps.append("working_times")  # the Standard calendar's 08–12, 13–17 the file holds
    if _deadline_date(project) is not None:
        keeps.append("deadline")
    res = project.resources
    if res is None or set(res.reset_index().columns) <= _RESOURCE_FIELDS | {"index"}:
        keeps.append("resources")
    return lost_parts(project, keeps, target=path)


def write(project: Any, path: str | os.PathLike, schedule: Any = None, **kwargs: Any) -> Path:
    """Export a project to MS Project XML (MSPDI).

    Writes one base calendar (the project's work week, 08:00–12:00 and 13:00–17:00, and its
    holidays as exceptions), one task per row in input order with its duration [8 h per
    working day], constraint, progress, cost and baseline 0, the links (type and lag, percent
    lags as ``LagFormat`` 19), resources with their rate and assignments and, from
    ``schedule``, the dates tpmkit computes (start/finish, early/late dates, total and free
    slack) so that tools which do not reschedule on open still show them. MS Project,
    ProjectLibre and GanttProject open the result. The output depends on its arguments only
    (no clock): the project's ``StartDate`` is ``project.start``, its ``StatusDate``
    ``project.status_date``.

    Parameters
    ----------
    project : tpmkit.model.Project
        The project (use :func:`tpmkit.read` to get one).
    path : path-like
        Output file; written through a temporary file renamed into place.
    schedule : ScheduleResult, optional
        ``tpmkit.schedule(project)``: its dates and slacks are written (the dates only when
        the project has a start date). Without it the tasks carry no computed dates, which
        MSPDI allows (MS Project and ProjectLibre schedule them on open);
        :func:`tpmkit.write` passes it for you.
    **kwargs
        Accepted for the front door's writer protocol; none is used.

    Returns
    -------
    pathlib.Path
        The written file.

    References
    ----------
    Microsoft, "Project XML Data Interchange Schema Reference" (element order follows
    mspdi_pj12.xsd).

    Examples
    --------
    >>> import tempfile, pathlib, tpmkit
    >>> import pandas as pd
    >>> tasks = pd.DataFrame({"id": ["A", "B"], "duration": [2, 3], "predecessors": ["", "A"]})
    >>> prj = tpmkit.read(tasks, start="2024-01-08")
    >>> out = write(prj, pathlib.Path(tempfile.mkdtemp()) / "plan.xml",
    ...             schedule=tpmkit.schedule(prj))
    >>> from tpmkit.io.mspdi import read_parts
    >>> read_parts(out)["tasks"]["predecessors"].tolist()
    ['', 'A']
    """
    mpd = 480.0
    tasks = project.tasks
    if not isinstance(tasks, pd.DataFrame):
        raise InputFileError("write() needs a tpmkit Project; read one with tpmkit.read()")
    cal = project.calendar
    weekmask = [bool(x) for x in np.asarray(cal.weekmask)]
    holidays = [pd.Timestamp(h) for h in np.asarray(cal.holidays, dtype="datetime64[D]")]
    ids = list(tasks.index.astype(str))
    sched = _schedule_table(schedule, ids)
    # dates need an anchor: the project's start (never the clock, so that output is reproducible)
    dated = project.start is not None
    start = pd.Timestamp(project.start) if dated else None
    wt = WorkTime(weekmask, holidays)
    warn_lost(project, losses(project, path), path, "MS Project XML",
              mixed="written as day lags at the current durations")
    uid = {tid: k + 1 for k, tid in enumerate(ids)}
    day = _day_function(wt, sched, start, dated)

    out: list[str] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
                      '<Project xmlns="http://schemas.microsoft.com/project">']
    out += _project_xml(project, sched, day, dated, weekmask, mpd)
    out += _calendar_xml(weekmask, holidays)
    out += _summary_task_xml(project, day if dated else None)
    out += _tasks_xml(project, tasks, ids, sched, uid, day if dated else None, mpd)
    out += _resources_xml(project, uid, mpd)
    out.append("</Project>")
    text = "\n".join(x for x in out if x) + "\n"
    target = Path(path)
    with atomic_path(target, inputs=(project.source,)) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def _day_function(wt: WorkTime, sched: pd.DataFrame | None, start: Any, dated: bool
                  ) -> Callable[[float, str], pd.Timestamp]:
    """Working-day offset → calendar day (start: the day it begins; finish: the day it ends)."""
    # every distinct working-day index is converted once (one numpy call for all)
    offs = (sched[["early_start", "early_finish", "late_start", "late_finish"]].to_numpy(float)
            if sched is not None else np.zeros((0, 4)))
    horizon = int(np.nanmax(np.abs(offs))) + 2 if offs.size else 2
    calendar_days = wt.dates(np.arange(horizon + 1), start) if dated else None

    def day(offset: float, kind: str) -> pd.Timestamp:
        k = math.floor(offset + 1e-9) if kind == "start" else max(math.ceil(offset - 1e-9) - 1, 0)
        return calendar_days[k] if 0 <= k <= horizon else wt.dates([k], start)[0]

    return day


def _project_xml(project: Any, sched: pd.DataFrame | None, day: Callable, dated: bool,
                 weekmask: list[bool], mpd: float) -> list[str]:
    """The project-level elements, up to and including the extended attribute definitions."""
    name = getattr(project, "name", "") or "tpmkit project"
    finish_off = float(sched["early_finish"].max()) if sched is not None and len(sched) else 0.0
    n_work = max(sum(weekmask), 1)
    out = [_e("SaveVersion", 14), _e("Name", name), _e("Title", name),
           _e("ScheduleFromStart", 1),
           _e("StartDate", _dt(day(0, "start"), "08:00")) if dated else "",
           _e("FinishDate", _dt(day(finish_off, "finish") if finish_off > 0 else day(0, "start"),
                                "17:00")) if dated and sched is not None else "",
           _e("CurrencyCode", getattr(project, "currency", "") or "")
           if getattr(project, "currency", "") else "",
           _e("CalendarUID", 1), _e("DefaultStartTime", "08:00:00"),
           _e("DefaultFinishTime", "17:00:00"), _e("MinutesPerDay", int(mpd)),
           _e("MinutesPerWeek", int(mpd * n_work)), _e("DaysPerMonth", 20),
           _e("DurationFormat", 7), _e("WorkFormat", 2)]
    if getattr(project, "status_date", None) is not None:
        out.append(_e("StatusDate", _dt(project.status_date, "17:00")))
    out.append("<ExtendedAttributes><ExtendedAttribute>" + _e("FieldID", MSPDI_ID_FIELD)
               + _e("FieldName", "Text1") + _e("Alias", MSPDI_ID_ALIAS)
               + "</ExtendedAttribute><ExtendedAttribute>" + _e("FieldID", MSPDI_RESOURCE_ID_FIELD)
               + _e("FieldName", "Text1") + _e("Alias", MSPDI_RESOURCE_ID_ALIAS)
               + "</ExtendedAttribute></ExtendedAttributes>")
    return out


def _summary_task_xml(project: Any, day: Callable | None) -> list[str]:
    """The project summary task (UID 0), where MS Project keeps the project's deadline and
    its BAC (the summary's baseline cost); written only when the project has either."""
    deadline = _deadline_date(project) if day is not None else (
        project.deadline if isinstance(project.deadline, pd.Timestamp) else None)
    if deadline is None and project.bac is None:
        return []
    name = getattr(project, "name", "") or "tpmkit project"
    return ["<Task>" + _e("UID", 0) + _e("ID", 0) + _e("Name", name) + _e("Type", 1)
            + _e("IsNull", 0) + _e("WBS", 0) + _e("OutlineNumber", 0) + _e("OutlineLevel", 0)
            + _e("Milestone", 0) + _e("Summary", 1) + _e("ConstraintType", 0)
            + _e("CalendarUID", -1)
            + (_e("Deadline", _dt(deadline, "17:00")) if deadline is not None else "")
            + ("<Baseline>" + _e("Number", 0) + _e("Cost", format_number(project.bac))
               + "</Baseline>" if project.bac is not None else "")
            + "</Task>"]


def _calendar_xml(weekmask: list[bool], holidays: list[pd.Timestamp]) -> list[str]:
    """The one base calendar, and the opening ``<Tasks>`` tag."""
    # calendar: DayType 1 = Sunday ... 7 = Saturday; exceptions as DayType 0 date ranges
    out = ["<Calendars><Calendar>" + _e("UID", 1) + _e("Name", "Standard")
           + _e("IsBaseCalendar", 1) + _e("BaseCalendarUID", -1) + "<WeekDays>"]
    hours = "<WorkingTimes>" + "".join(
        "<WorkingTime>" + _e("FromTime", f"{a // 60:02d}:{a % 60:02d}:00")
        + _e("ToTime", f"{b // 60:02d}:{b % 60:02d}:00") + "</WorkingTime>"
        for a, b in _STANDARD_DAY) + "</WorkingTimes>"
    for dtype in range(1, 8):
        working = weekmask[(dtype + 5) % 7]
        out.append("<WeekDay>" + _e("DayType", dtype) + _e("DayWorking", int(working))
                   + (hours if working else "") + "</WeekDay>")
    for h in holidays:
        d = h.date().isoformat()
        out.append("<WeekDay>" + _e("DayType", 0) + _e("DayWorking", 0) + "<TimePeriod>"
                   + _e("FromDate", f"{d}T00:00:00") + _e("ToDate", f"{d}T23:59:00")
                   + "</TimePeriod></WeekDay>")
    out.append("</WeekDays></Calendar></Calendars><Tasks>")
    return out


def _tasks_xml(project: Any, tasks: pd.DataFrame, ids: list[str], sched: pd.DataFrame | None,
               uid: dict[str, int], day: Callable | None, mpd: float) -> list[str]:
    """One ``<Task>`` per task in input order, and the closing ``</Tasks>`` tag."""
    by_succ: dict[str, list] = {}
    for row in project.links.itertuples(index=False):
        by_succ.setdefault(str(row.successor), []).append(row)
    trows = tasks.to_dict("index")
    srows = sched.to_dict("index") if sched is not None else {}
    out = []
    for k, tid in enumerate(ids):
        t = trows[tid]
        dur = float(t["duration"])
        milestone = dur == 0
        wbs = str(t.get("wbs", "") or "")
        times = _task_times(srows.get(tid), milestone, day, mpd)
        parts = [_e("UID", uid[tid]), _e("ID", k + 1), _e("Name", t.get("name", "") or tid),
                 _e("Active", 1), _e("Manual", 0), _e("Type", 0), _e("IsNull", 0),
                 _e("WBS", wbs) if wbs else "", _e("OutlineNumber", k + 1),
                 _e("OutlineLevel", 1),
                 _e("Priority", 500), times["Start"], times["Finish"],
                 _e("Duration", _pt(dur * mpd)),
                 _e("DurationFormat", 7), _e("Milestone", int(milestone)), _e("Summary", 0),
                 times["Critical"], times["EarlyStart"], times["EarlyFinish"],
                 times["LateStart"], times["LateFinish"], times["FreeSlack"],
                 times["TotalSlack"]]
        parts += _progress_xml(t, mpd)
        parts += _constraint_xml(t, day)
        parts += _links_xml(by_succ.get(tid, []), trows, uid, mpd)
        parts.append("<ExtendedAttribute>" + _e("FieldID", MSPDI_ID_FIELD) + _e("Value", tid)
                     + "</ExtendedAttribute>")
        parts += _baseline_xml(t)
        out.append("<Task>" + "".join(parts) + "</Task>")
    out.append("</Tasks>")
    return out


def _progress_xml(t: dict, mpd: float) -> list[str]:
    """A task's fixed cost, percent complete, actual and remaining duration, actual start,
    finish and cost.

    ``RemainingDuration`` is the task's ``remaining_duration`` when given (it may exceed
    the planned remainder: a slipping task), else duration × (1 − percent complete);
    ``ActualDuration`` is duration × percent complete, as MS Project derives it.
    """
    parts = []
    if pd.notna(t.get("cost", np.nan)):
        parts.append(_e("FixedCost", format_number(t["cost"])))
    pc = t.get("percent_complete", np.nan)
    pc = float(pc) if pd.notna(pc) else 0.0
    parts.append(_e("PercentComplete", int(round(pc))))
    dur = float(t["duration"])
    remaining = t.get("remaining_duration", np.nan)
    remaining = float(remaining) if pd.notna(remaining) else dur * (1.0 - pc / 100.0)
    # the schema's order: ActualStart, ActualFinish, ActualDuration, ActualCost, RemainingDuration
    if pd.notna(t.get("actual_start", pd.NaT)):
        parts.append(_e("ActualStart", _dt(t["actual_start"], "08:00")))
    if pd.notna(t.get("actual_finish", pd.NaT)):
        parts.append(_e("ActualFinish", _dt(t["actual_finish"], "17:00")))
    if pc > 0 or pd.notna(t.get("actual_start", pd.NaT)):
        parts.append(_e("ActualDuration", _pt(dur * pc / 100.0 * mpd)))
    if pd.notna(t.get("actual_cost", np.nan)):
        parts.append(_e("ActualCost", format_number(t["actual_cost"])))
    parts.append(_e("RemainingDuration", _pt(max(remaining, 0.0) * mpd)))
    return parts


def _constraint_xml(t: dict, day: Callable | None) -> list[str]:
    """A task's constraint type, calendar and constraint date (``day`` is None when undated)."""
    con = str(t.get("constraint", "") or "")
    parts = [_e("ConstraintType", _CONSTRAINT_CODES.get(con, 0)), _e("CalendarUID", -1)]
    if con:
        cdate = t.get("constraint_date", pd.NaT)
        coff = t.get("constraint_offset", np.nan)
        is_finish = con in ("FNET", "FNLT", "MFO")
        if pd.isna(cdate) and pd.notna(coff) and day is not None:
            cdate = day(float(coff), "finish" if is_finish else "start")
        if pd.notna(cdate):
            parts.append(_e("ConstraintDate", _dt(cdate, "17:00" if is_finish else "08:00")))
    return parts


def _links_xml(links: list, trows: dict, uid: dict[str, int], mpd: float) -> list[str]:
    """A task's ``<PredecessorLink>`` elements (percent lags as ``LagFormat`` 19)."""
    parts = []
    for lk in links:
        pct = float(getattr(lk, "lag_percent", 0.0) or 0.0)
        lag = float(lk.lag or 0.0)
        if pct and lag:
            lag, pct = lag + pct * float(trows[str(lk.predecessor)]["duration"]), 0.0
        lag_value, fmt = (int(round(pct * 100 * 10)), 19) if pct else \
            (int(round(lag * mpd * 10)), 7)
        parts.append("<PredecessorLink>" + _e("PredecessorUID", uid[str(lk.predecessor)])
                     + _e("Type", _LINK_CODES[str(lk.type)]) + _e("CrossProject", 0)
                     + _e("LinkLag", lag_value) + _e("LagFormat", fmt)
                     + "</PredecessorLink>")
    return parts


def _baseline_xml(t: dict) -> list[str]:
    """A task's baseline 0 (start, finish, cost), when it has one."""
    bs, bf = t.get("baseline_start", pd.NaT), t.get("baseline_finish", pd.NaT)
    bc = t.get("baseline_cost", np.nan)
    if pd.notna(bs) or pd.notna(bf) or pd.notna(bc):
        return ["<Baseline>" + _e("Number", 0)
                + (_e("Start", _dt(bs, "08:00")) if pd.notna(bs) else "")
                + (_e("Finish", _dt(bf, "17:00")) if pd.notna(bf) else "")
                + (_e("Cost", format_number(bc)) if pd.notna(bc) else "")
                + "</Baseline>"]
    return []


def _resources_xml(project: Any, uid: dict[str, int], mpd: float) -> list[str]:
    """The resources (the resources table, else the names used in assignments) and assignments."""
    assignments = getattr(project, "assignments", None)
    res_table = getattr(project, "resources", None)
    res_names: list[str] = []
    info: dict[str, dict] = {}
    if isinstance(res_table, pd.DataFrame) and len(res_table):
        rt = res_table.reset_index() if "id" not in res_table.columns else res_table
        for r in rt.to_dict("records"):
            res_names.append(str(r["id"]))
            info[str(r["id"])] = r
    if isinstance(assignments, pd.DataFrame):
        for r in assignments["resource"].astype(str):
            if r not in info:
                info[r] = {"id": r}
                res_names.append(r)
    out: list[str] = []
    if res_names:
        out.append("<Resources>")
        for k, r in enumerate(res_names, start=1):
            d = info[r]
            cap = d.get("capacity", np.nan)
            rate = d.get("rate", np.nan)
            name = d.get("name")
            name = str(name) if isinstance(name, str) and name.strip() else r
            # MS Project shows the Name; the tpmkit id rides in the resource Text1 field
            out.append("<Resource>" + _e("UID", k) + _e("ID", k) + _e("Name", name) + _e("Type", 1)
                       + _e("MaxUnits", format_number(cap) if pd.notna(cap) else "1")
                       + (_e("StandardRate", format_number(float(rate) * 60.0 / mpd))
                          + _e("StandardRateFormat", 2) if pd.notna(rate) else "")
                       + "<ExtendedAttribute>" + _e("FieldID", MSPDI_RESOURCE_ID_FIELD)
                       + _e("Value", r) + "</ExtendedAttribute>"
                       + "</Resource>")
        out.append("</Resources>")
        if isinstance(assignments, pd.DataFrame) and len(assignments):
            rid = {r: k for k, r in enumerate(res_names, start=1)}
            out.append("<Assignments>")
            for k, a in enumerate(assignments.itertuples(index=False), start=1):
                out.append("<Assignment>" + _e("UID", k) + _e("TaskUID", uid[str(a.task)])
                           + _e("ResourceUID", rid[str(a.resource)])
                           + _e("Units", format_number(a.units)) + "</Assignment>")
            out.append("</Assignments>")
    return out
