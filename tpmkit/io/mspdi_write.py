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
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from tpmkit._core import worktime
from tpmkit._files import atomic_path
from tpmkit.errors import DataError, InputFileError, format_ids
from tpmkit.io._fidelity import lost_parts, warn_lost
from tpmkit.io._xml import (
    MSPDI_CONSTRAINTS,
    MSPDI_ELAPSED_CALENDAR,
    MSPDI_ELAPSED_DAY,
    MSPDI_ID_ALIAS,
    MSPDI_ID_FIELD,
    MSPDI_LINK_TYPES,
    MSPDI_RESOURCE_ID_ALIAS,
    MSPDI_RESOURCE_ID_FIELD,
    WorkTime,
    format_number,
)
from tpmkit.model.calendar import Calendar, task_calendars

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


_TIME_KEYS = ("Start", "Finish", "Critical", "EarlyStart", "EarlyFinish", "LateStart",
              "LateFinish", "FreeSlack", "TotalSlack")


def _task_times(s: dict | None, milestone: bool, day: Any, mpd: float,
                clock: bool | None = None) -> dict[str, str]:
    """The computed elements of one task (empty strings when not known).

    ``clock`` None: the dates are the project calendar's days of the working-day offsets
    (08:00/17:00); else they are the schedule's date columns, with their time of day (True)
    or on whole days at 08:00/17:00 (False).
    """
    out = dict.fromkeys(_TIME_KEYS, "")
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
    if clock is not None:
        return {**out, **_clock_times(s, milestone, clock)}
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


def _stamp(ts: Any, sub_day: bool, finish: bool, at_start: bool = False) -> str:
    """A schedule date as MSPDI text: its own time of day (``sub_day``), else the day at
    08:00 (a start, or an event at the project start) or 17:00 (a finish)."""
    ts = pd.Timestamp(ts)
    if sub_day:
        return ts.strftime("%Y-%m-%dT%H:%M:%S")
    return _dt(ts, "17:00" if finish and not at_start else "08:00")


def _clock_times(s: dict, milestone: bool, sub_day: bool) -> dict[str, str]:
    """A task's start, finish, early and late dates from the schedule's date columns; a
    milestone starts when it finishes (MS Project's convention)."""
    dates = {k: s.get(f"{k}_date", pd.NaT) for k in ("early_start", "early_finish",
                                                      "late_start", "late_finish")}
    if any(pd.isna(v) for v in dates.values()):
        return {}
    if milestone:
        dates["early_start"], dates["late_start"] = dates["early_finish"], dates["late_finish"]
    es = _stamp(dates["early_start"], sub_day, milestone, float(s["early_start"]) <= 0)
    ef = _stamp(dates["early_finish"], sub_day, True, milestone and float(s["early_start"]) <= 0)
    ls = _stamp(dates["late_start"], sub_day, milestone, float(s["late_start"]) <= 0)
    lf = _stamp(dates["late_finish"], sub_day, True, float(s["late_finish"]) <= 0)
    return {"Start": _e("Start", es), "Finish": _e("Finish", ef), "EarlyStart": _e("EarlyStart", es),
            "EarlyFinish": _e("EarlyFinish", ef), "LateStart": _e("LateStart", ls),
            "LateFinish": _e("LateFinish", lf)}


def _finish_text(sched: pd.DataFrame | None, day: Callable, dated: bool,
                 clock: bool | None) -> str:
    """The project's ``FinishDate`` element (empty without a start date or a schedule)."""
    if not dated or sched is None:
        return ""
    if clock is not None and len(sched):
        return _e("FinishDate", _stamp(sched["early_finish_date"].max(), clock, True))
    finish_off = float(sched["early_finish"].max()) if len(sched) else 0.0
    return _e("FinishDate", _dt(day(finish_off, "finish") if finish_off > 0
                                else day(0, "start"), "17:00"))


#: the task columns MSPDI holds (standard fields; the tpmkit id in Text1)
_TASK_FIELDS = ("name", "duration", "predecessors", "wbs", "constraint", "constraint_date",
                "cost", "baseline_start", "baseline_finish", "baseline_cost",
                "percent_complete", "actual_start", "actual_finish", "actual_cost",
                "remaining_duration", "resources", "milestone")
#: the resource columns MSPDI holds (the tpmkit id in the resource's Text1)
_RESOURCE_FIELDS = frozenset({"id", "name", "capacity", "rate", "type"})
#: MS Project's standard working day, written for a calendar of whole days [minutes after midnight]
_STANDARD_DAY = ((480, 720), (780, 1020))
KEEPS = ("name", "start", "status_date", "currency", "workweek", "holidays", "bac",
         *(f"task:{c}" for c in _TASK_FIELDS))
_DAY = 1440


def _week(cal: Calendar) -> tuple[tuple[tuple[int, int], ...], ...]:
    """The working times of each weekday (Monday first) as an MSPDI file holds them [minutes
    after midnight]: whole days as MS Project's standard day; a range past midnight split at
    midnight, the part after it on the next weekday (a ``WorkingTime`` cannot cross midnight,
    MS Project's "Night Shift" calendar is written so), touching ranges joined.
    """
    if cal.working_times is None:
        return tuple(_STANDARD_DAY if on else () for on in cal.weekmask)
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for w, ranges in enumerate(cal.working_times):
        for a, b in ranges:
            days[w].append((a, min(b, _DAY)))
            if b > _DAY:
                days[(w + 1) % 7].append((0, b - _DAY))
    out = []
    for ranges in days:
        joined: list[tuple[int, int]] = []
        for a, b in sorted(ranges):
            if joined and a <= joined[-1][1]:
                joined[-1] = (joined[-1][0], max(b, joined[-1][1]))
            else:
                joined.append((a, b))
        out.append(tuple(joined))
    return tuple(out)


@dataclass(frozen=True)
class _Written:
    """One calendar of the file: its UID, name, the tpmkit calendar and its weekdays as written."""

    uid: int
    name: str
    calendar: Calendar
    week: tuple[tuple[tuple[int, int], ...], ...]

    @property
    def weekmask(self) -> tuple[bool, ...]:
        return tuple(bool(r) for r in self.week)

    @property
    def key(self) -> tuple:
        """What the reader compares to tell a task calendar from the project calendar."""
        return self.weekmask, tuple(self.calendar.holidays), self.week, self.extra

    @property
    def extra(self) -> tuple[np.datetime64, ...]:
        """The extra working dates the file keeps: those on weekdays it does not work."""
        return tuple(d for d in self.calendar.workdays
                     if not self.weekmask[pd.Timestamp(d).day_of_week])


@dataclass(frozen=True)
class _CalendarPlan:
    """The calendars a file holds: the project calendar (UID 1), the named calendars (UID 2,
    3, … in the project's order), each task's calendar name (``""``: the project calendar)
    and ``day``, the working minutes of one day of duration as the reader counts them (the
    project calendar's mean working day as written; ``MinutesPerDay``).
    """

    project: _Written
    named: dict[str, _Written]
    task_names: tuple[str, ...]
    day: float

    @property
    def multi(self) -> bool:
        """Whether the reader reads the task calendars back: some task is on a calendar that
        differs from the project calendar in the file."""
        return any(self.named[n].key != self.project.key for n in set(self.task_names) - {""})

    def uid(self, name: str) -> int:
        """A task's ``CalendarUID`` (-1: the project calendar)."""
        return self.named[name].uid if name else -1


def _calendar_plan(project: Any) -> _CalendarPlan:
    """The calendars of ``project`` as :func:`write` writes them."""
    own = str(project.settings.get("calendar_name") or "")
    names = tuple(str(n) for n in task_calendars(project.tasks, own))
    named = {str(n): _Written(k + 2, str(n), c, _week(c))
             for k, (n, c) in enumerate((project.calendars or {}).items())}
    title = own or "Standard"
    while title in named:  # a calendar name the reader would take for the project calendar
        title += " (project)"
    week = _week(project.calendar)
    worked = [sum(b - a for a, b in day) for day in week if day]
    return _CalendarPlan(_Written(1, title, project.calendar, week), named, names,
                         float(np.mean(worked)) if worked else 480.0)


def _read_back(plan: _CalendarPlan) -> tuple[Calendar, dict[str, Calendar], tuple[str, ...]]:
    """The project calendar, the task calendars and each task's calendar name that
    :mod:`tpmkit.io.mspdi` reads from the file: working times and task calendars only when
    some task is on a calendar that differs from the project calendar (else whole days);
    one day of duration is the project calendar's working day on every calendar; a task on
    a calendar equal to the project calendar is on the project calendar.
    """
    own = plan.project
    if not plan.multi:
        return (Calendar(own.weekmask, own.calendar.holidays, workdays=own.extra), {},
                ("",) * len(plan.task_names))

    def back(c: _Written) -> Calendar:
        day = MSPDI_ELAPSED_DAY if c.name == MSPDI_ELAPSED_CALENDAR else plan.day
        return Calendar(c.weekmask, c.calendar.holidays, list(c.week), day / 60.0, name=c.name,
                        workdays=c.extra)

    names = tuple(n if n and plan.named[n].key != own.key else "" for n in plan.task_names)
    return back(own), {n: back(plan.named[n]) for n in sorted(set(names) - {""})}, names


def _same_time(a: Calendar, b: Calendar) -> bool:
    """Whether two calendars work the same minutes on every date (holidays included; a range
    past midnight belongs to the day it starts on) and count the same minutes as a day."""
    if not math.isclose(a.minutes_per_day, b.minutes_per_day, abs_tol=1e-9):
        return False
    hol = np.array(sorted({*a.holidays, *b.holidays, *a.workdays, *b.workdays}),
                   dtype="datetime64[D]")
    first = (hol.min() if hol.size else np.datetime64("2000-01-03", "D")) - np.timedelta64(7, "D")
    n_days = (int((hol.max() - first).astype(int)) if hol.size else 7) + 15
    axis = worktime.build_axis([c.axis_spec for c in (a, b)], first, 0, n_days)
    lo, hi = float(_DAY), float((n_days - 1) * _DAY)  # whole days inside the span only
    spans = []
    for k in (0, 1):
        s, e = np.clip(axis.a[axis.ptr[k]:axis.ptr[k + 1]], lo, hi), np.clip(
            axis.b[axis.ptr[k]:axis.ptr[k + 1]], lo, hi)
        spans.append(np.stack([s[e > s], e[e > s]]))
    return spans[0].shape == spans[1].shape and bool(np.array_equal(*spans))


def _start_minute(project: Any) -> int:
    """The time of day the plan starts [minutes after midnight], as :func:`tpmkit.schedule`
    counts it: the project's ``start_time``, else the project calendar's first working
    minute on the start day (08:00, MS Project's standard day, for whole days)."""
    text = project.settings.get("start_time")
    if isinstance(text, str) and text.strip():
        try:
            hh, mm = text.strip().split(":")[:2]
            return int(hh) * 60 + int(mm)
        except ValueError:
            pass  # tpmkit.schedule refuses it; the file starts at the calendar's start
    cal = project.calendar
    if cal.working_times is None or project.start is None:
        return _STANDARD_DAY[0][0]
    day = cal.working_times[pd.Timestamp(project.start).day_of_week]
    return int(day[0][0]) if day else _STANDARD_DAY[0][0]


def _calendar_keeps(project: Any, plan: _CalendarPlan) -> list[str]:
    """The calendar parts the file gives back the same: the work week, the project
    calendar's working time (and day length), the task calendars, the tasks' ``calendar``
    column and the ``start_time`` setting (the reader takes it from ``StartDate`` when it
    reads task calendars)."""
    back, named, names = _read_back(plan)
    cal = project.calendar
    keeps = ["workweek"] if tuple(back.weekmask) == tuple(cal.weekmask) else []
    same = _same_time(cal, back)
    if same:
        keeps.append("working_times")
    if same and names == plan.task_names and set(named) == set(project.calendars or {}) \
            and all(_same_time(c, named[n]) for n, c in (project.calendars or {}).items()):
        keeps.append("calendars")
    if "calendar" in project.tasks and names == tuple(
            project.tasks["calendar"].astype(object).where(project.tasks["calendar"].notna(), "")
            .astype(str)):
        keeps.append("task:calendar")
    start = _start_minute(project)
    if plan.multi and project.settings.get("start_time") == f"{start // 60:02d}:{start % 60:02d}":
        keeps.append("setting:start_time")
    return keeps


def _deadline_date(project: Any) -> pd.Timestamp | None:
    """The project deadline as a date (a whole working-day deadline counted from the start)."""
    d = project.deadline
    if d is None or isinstance(d, pd.Timestamp):
        return d
    if project.start is None or float(d) != math.floor(float(d)):
        return None  # no calendar day to write
    return project.calendar.finish_dates(np.array([float(d)]), project.start)[0] \
        if float(d) > 0 else project.start


def _critical_xml(project: Any) -> str:
    """``CriticalSlackLimit`` (whole days) for a plan whose critical rule is total float up
    to a number of days, as MS Project's; empty otherwise (other rules are named as lost)."""
    settings = getattr(project, "settings", {}) or {}
    limit = settings.get("critical_float", 0.0) or 0.0
    if settings.get("critical") != "total_float" or float(limit) != math.floor(float(limit)):
        return ""
    return _e("CriticalSlackLimit", int(limit))


def losses(project: Any, path: str | os.PathLike) -> list[str]:
    """The parts of ``project`` an MSPDI file does not hold.

    Keys of ``tpmkit.io._fidelity.held_parts``: three-point estimates, distributions, task
    rates and other non-standard task columns, risks, EVM periods, the WBS dictionary, free
    project settings, resource columns other than name, capacity and rate, a deadline in
    fractional working days or without a start date; and the calendars that do not come back
    the same from the file (:mod:`tpmkit.io.mspdi` is the reference for what it means): the
    project calendar's working hours when no task is on another calendar (the reader then
    reads whole days), a calendar whose day of duration differs from the project calendar's
    working day (MS Project counts ``MinutesPerDay`` on every calendar), a calendar of whole
    days next to calendars with hours (written as MS Project's 08:00–17:00 day), a project
    calendar with a range past midnight (split there, which can change its working day),
    holidays next to such a range (the part after midnight belongs to the next day in the
    file), task calendars no task uses or equal to the project calendar.
    """
    plan = _calendar_plan(project)
    own = _calendar_keeps(project, plan)
    keeps = [k for k in KEEPS if k != "workweek"] + own
    if _deadline_date(project) is not None:
        keeps.append("deadline")
    if _critical_xml(project):
        keeps += ["setting:critical", "setting:critical_float"]
    res = project.resources
    if res is None or set(res.reset_index().columns) <= _RESOURCE_FIELDS | {"index"}:
        keeps.append("resources")
    return lost_parts(project, keeps, target=path)


def write(project: Any, path: str | os.PathLike, schedule: Any = None, **kwargs: Any) -> Path:
    """Export a project to MS Project XML (MSPDI).

    Writes the project calendar (UID 1) and every named calendar of ``project.calendars``
    (UID 2, 3, …) as base calendars with their work week, working times (whole days as MS
    Project's 08:00–12:00, 13:00–17:00; a range past midnight split there, the rest on the
    next weekday) and holidays as exceptions; one task per row in input order with its
    calendar (``CalendarUID``, -1 for the project calendar), duration [``MinutesPerDay``,
    the project calendar's working day, per working day], constraint, progress, cost and
    baseline 0, the links (type and lag, percent lags as ``LagFormat`` 19), resources with
    their rate and assignments and, from ``schedule``, the dates tpmkit computes
    (start/finish, early/late dates with the time of day when the plan has working hours,
    total and free slack) so that tools which do not reschedule on open still show them.
    MS Project, ProjectLibre and GanttProject open the result. The output depends on its
    arguments only (no clock): the project's ``StartDate`` is ``project.start`` (at the
    time the plan starts), its ``StatusDate`` ``project.status_date``.

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
    tasks = project.tasks
    if not isinstance(tasks, pd.DataFrame):
        raise InputFileError("write() needs a tpmkit Project; read one with tpmkit.read()")
    plan = _calendar_plan(project)
    mpd = plan.day
    cal = project.calendar
    weekmask = [bool(x) for x in np.asarray(cal.weekmask)]
    holidays = [pd.Timestamp(h) for h in np.asarray(cal.holidays, dtype="datetime64[D]")]
    ids = list(tasks.index.astype(str))
    sched = _schedule_table(schedule, ids)
    # dates need an anchor: the project's start (never the clock, so that output is reproducible)
    dated = project.start is not None
    start = pd.Timestamp(project.start) if dated else None
    wt = WorkTime(weekmask, holidays, workdays=plan.project.extra)
    warn_lost(project, losses(project, path), path, "MS Project XML",
              mixed="written as day lags at the current durations")
    uid = {tid: k + 1 for k, tid in enumerate(ids)}
    day = _day_function(wt, sched, start, dated)
    # a plan on several calendars or with working hours: its dates come from the schedule
    clock = dated and sched is not None and "early_start_date" in sched and (
        cal.working_times is not None or any(plan.task_names))
    sub_day = cal.working_times is not None or any(
        plan.named[n].calendar.working_times is not None for n in set(plan.task_names) - {""})
    mode = sub_day if clock else None
    milestone = dict(zip(ids, tasks["duration"].to_numpy(float) == 0))
    times = {str(tid): _task_times(s, milestone[str(tid)], day if dated else None, mpd, mode)
             for tid, s in (sched.to_dict("index").items() if sched is not None else ())}

    out: list[str] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
                      '<Project xmlns="http://schemas.microsoft.com/project">']
    out += _project_xml(project, plan, _finish_text(sched, day, dated, mode), day, dated)
    out += _calendars_xml(plan)
    out += _summary_task_xml(project, day if dated else None)
    out += _tasks_xml(project, tasks, ids, times, uid, day if dated else None, plan)
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


def _clock(minutes: int) -> str:
    """Minutes after midnight → ``HH:MM:SS`` (midnight at the end of a day is 00:00:00)."""
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}:00"


def _project_xml(project: Any, plan: _CalendarPlan, finish: str, day: Callable,
                 dated: bool) -> list[str]:
    """The project-level elements, up to and including the extended attribute definitions.

    ``MinutesPerDay`` is the project calendar's working day as written (the day the reader
    converts durations with), ``MinutesPerWeek`` its working minutes of a week; the
    ``StartDate`` is at the time the plan starts.
    """
    name = getattr(project, "name", "") or "tpmkit project"
    begin = _start_minute(project)
    first_day = plan.project.week[pd.Timestamp(project.start).day_of_week] if dated else ()
    end = first_day[-1][1] if first_day and project.calendar.working_times is not None \
        else _STANDARD_DAY[-1][1]
    per_week = sum(b - a for d in plan.project.week for a, b in d)
    out = [_e("SaveVersion", 14), _e("Name", name), _e("Title", name),
           _e("ScheduleFromStart", 1),
           _e("StartDate", _dt(day(0, "start"), _clock(begin)[:5])) if dated else "",
           finish, _critical_xml(project),
           _e("CurrencyCode", getattr(project, "currency", "") or "")
           if getattr(project, "currency", "") else "",
           _e("CalendarUID", 1), _e("DefaultStartTime", _clock(begin)),
           _e("DefaultFinishTime", _clock(end)), _e("MinutesPerDay", int(round(plan.day))),
           _e("MinutesPerWeek", int(round(per_week))), _e("DaysPerMonth", 20),
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


def _calendars_xml(plan: _CalendarPlan) -> list[str]:
    """The project calendar and the named calendars, and the opening ``<Tasks>`` tag."""
    out: list[str] = []
    for cal in (plan.project, *plan.named.values()):
        out += _calendar_xml(cal)
    out[0] = "<Calendars>" + out[0]
    out[-1] += "</Calendars><Tasks>"
    return out


def _calendar_xml(cal: _Written) -> list[str]:
    """One base calendar: its weekdays (``DayType`` 1 = Sunday … 7 = Saturday) with their
    working times, and its holidays as ``DayType`` 0 date ranges."""
    out = ["<Calendar>" + _e("UID", cal.uid) + _e("Name", cal.name)
           + _e("IsBaseCalendar", 1) + _e("BaseCalendarUID", -1) + "<WeekDays>"]
    for dtype in range(1, 8):
        ranges = cal.week[(dtype + 5) % 7]
        hours = "<WorkingTimes>" + "".join(
            "<WorkingTime>" + _e("FromTime", _clock(a)) + _e("ToTime", _clock(b))
            + "</WorkingTime>" for a, b in ranges) + "</WorkingTimes>"
        out.append("<WeekDay>" + _e("DayType", dtype) + _e("DayWorking", int(bool(ranges)))
                   + (hours if ranges else "") + "</WeekDay>")
    for h in cal.calendar.holidays:
        d = pd.Timestamp(h).date().isoformat()
        out.append("<WeekDay>" + _e("DayType", 0) + _e("DayWorking", 0) + "<TimePeriod>"
                   + _e("FromDate", f"{d}T00:00:00") + _e("ToDate", f"{d}T23:59:00")
                   + "</TimePeriod></WeekDay>")
    # extra working dates: working exceptions with the first working weekday's hours
    first = next((r for r in cal.week if r), ((480, 720), (780, 1020)))
    hours = "<WorkingTimes>" + "".join(
        "<WorkingTime>" + _e("FromTime", _clock(a)) + _e("ToTime", _clock(b))
        + "</WorkingTime>" for a, b in first) + "</WorkingTimes>"
    for w in cal.extra:
        d = pd.Timestamp(w).date().isoformat()
        out.append("<WeekDay>" + _e("DayType", 0) + _e("DayWorking", 1) + "<TimePeriod>"
                   + _e("FromDate", f"{d}T00:00:00") + _e("ToDate", f"{d}T23:59:00")
                   + "</TimePeriod>" + hours + "</WeekDay>")
    out.append("</WeekDays></Calendar>")
    return out


def _tasks_xml(project: Any, tasks: pd.DataFrame, ids: list[str], times: dict[str, dict],
               uid: dict[str, int], day: Callable | None, plan: _CalendarPlan) -> list[str]:
    """One ``<Task>`` per task in input order, and the closing ``</Tasks>`` tag."""
    by_succ: dict[str, list] = {}
    for row in project.links.itertuples(index=False):
        by_succ.setdefault(str(row.successor), []).append(row)
    trows = tasks.to_dict("index")
    mpd = plan.day
    no_times = dict.fromkeys(_TIME_KEYS, "")
    out = []
    for k, tid in enumerate(ids):
        t = trows[tid]
        dur = float(t["duration"])
        milestone = dur == 0
        wbs = str(t.get("wbs", "") or "")
        tt = times.get(tid, no_times)
        # a task on the elapsed calendar: its duration is clock time (days of 24 hours)
        elapsed = plan.task_names[k] == MSPDI_ELAPSED_CALENDAR
        unit = MSPDI_ELAPSED_DAY if elapsed else mpd
        parts = [_e("UID", uid[tid]), _e("ID", k + 1), _e("Name", t.get("name", "") or tid),
                 _e("Active", 1), _e("Manual", 0), _e("Type", 0), _e("IsNull", 0),
                 _e("WBS", wbs) if wbs else "", _e("OutlineNumber", k + 1),
                 _e("OutlineLevel", 1),
                 _e("Priority", 500), tt["Start"], tt["Finish"],
                 _e("Duration", _pt(dur * unit)),
                 _e("DurationFormat", 8 if elapsed else 7), _e("Milestone", int(milestone)),
                 _e("Summary", 0),
                 tt["Critical"], tt["EarlyStart"], tt["EarlyFinish"],
                 tt["LateStart"], tt["LateFinish"], tt["FreeSlack"],
                 tt["TotalSlack"]]
        parts += _progress_xml(t, unit)
        parts += _calendar_uid(_constraint_xml(t, day), plan.uid(plan.task_names[k]))
        parts += _links_xml(by_succ.get(tid, []), trows, uid, mpd)
        parts.append("<ExtendedAttribute>" + _e("FieldID", MSPDI_ID_FIELD) + _e("Value", tid)
                     + "</ExtendedAttribute>")
        parts += _baseline_xml(t)
        out.append("<Task>" + "".join(parts) + "</Task>")
    out.append("</Tasks>")
    return out


def _calendar_uid(parts: list[str], cal_uid: int) -> list[str]:
    """The constraint elements with the task's ``CalendarUID``; a task on its own calendar
    also ignores resource calendars (MS Project would otherwise schedule it where its
    calendar and its resources' calendars, the project calendar, both work)."""
    if cal_uid == -1:
        return parts
    return [_e("CalendarUID", cal_uid) if x == _e("CalendarUID", -1) else x
            for x in parts] + [_e("IgnoreResourceCalendar", 1)]


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
