"""Microsoft Project XML (MSPDI): import and export.

MSPDI is the XML interchange format MS Project writes ("Save as → XML") and that
ProjectLibre, GanttProject, OpenProj, Merlin and MPXJ read. :func:`read_parts` returns the
parts tpmkit's front door (:func:`tpmkit.read`) builds a project from; :func:`write`
(defined in :mod:`tpmkit.io.mspdi_write`, re-exported here) exports a project.

Units in the file (Microsoft Project XML schema, "mspdi_pj12.xsd"):

* durations are ISO 8601 (``PT16H0M0S``) in working time → working days via the project's
  ``MinutesPerDay`` (480 by default); elapsed durations (formats ``em``/``eh``/``ed``/
  ``ew``/``emo``) are clock time: days of 24 hours on the calendar ``ELAPSED_CALENDAR``
  (every day 00:00–24:00), the task's calendar;
* ``LinkLag`` is in tenths of a minute of working time (tenths of a percent when
  ``LagFormat`` is 19/20, a percentage of the predecessor's duration);
* ``TotalSlack``/``FreeSlack`` are in tenths of a minute;
* link ``Type``: 0 = FF, 1 = FS, 2 = SF, 3 = SS;
* ``ConstraintType``: 0 ASAP, 1 ALAP, 2 MSO, 3 MFO, 4 SNET, 5 SNLT, 6 FNET, 7 FNLT.

References
----------
Microsoft, "Project XML Data Interchange Schema Reference" (mspdi_pj12.xsd), MSDN.
J. Iles, MPXJ, ``MSPDIReader``/``MSPDIWriter`` (https://www.mpxj.org) — the files in
``../shared/data/projectfiles/mpxj`` used for the tests come from its test suite.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import pandas as pd

from tpmkit.errors import FileFormatError, format_ids
from tpmkit.io._mspdi_fields import Ctx as _Ctx
from tpmkit.io._mspdi_fields import clock_minutes as _time_minutes
from tpmkit.io._mspdi_fields import date_of as _date
from tpmkit.io._mspdi_fields import duration_format as _fmt
from tpmkit.io._mspdi_fields import iso_minutes as _minutes
from tpmkit.io._mspdi_fields import number as _num
from tpmkit.io._mspdi_fields import text as _txt
from tpmkit.io._xml import (
    DAY_NAMES,
    MSPDI_CONSTRAINTS,
    MSPDI_ELAPSED_CALENDAR,
    MSPDI_ELAPSED_DAY,
    MSPDI_ID_ALIAS,
    MSPDI_LINK_TYPES,
    MSPDI_RESOURCE_ID_ALIAS,
    MSPDI_RESOURCE_ID_FIELD,
    WorkTime,
    format_number,
    links_table,
    parse_xml,
    predecessors_text,
    safe_ids,
    status_day,
    stored_offsets,
    task_frame,
)
from tpmkit.io.mspdi_write import write

__all__ = ["LINK_TYPES", "read_parts", "write"]

#: MSPDI link type code → tpmkit link type.
LINK_TYPES = MSPDI_LINK_TYPES
_CONSTRAINTS = MSPDI_CONSTRAINTS
ELAPSED_CALENDAR = MSPDI_ELAPSED_CALENDAR
ELAPSED_DAY = MSPDI_ELAPSED_DAY
_ID_ALIAS = MSPDI_ID_ALIAS
def _calendar(root: Element, uid: str | None, ctx: _Ctx, warnings: list[str]
              ) -> tuple[list[bool], list[str], list[list[tuple[int, int]]], str, list[str]]:
    """Resolve calendar ``uid`` (following base calendars) → weekmask, holidays, hours, name
    and the extra working dates (working exceptions on weekdays the week does not work)."""
    cals = {(_txt(c, "UID") or ""): c for c in root.findall("Calendars/Calendar")}
    if not cals:
        return ([True] * 5 + [False] * 2, [], [[(480, 720), (780, 1020)]] * 5 + [[], []],
                "Standard", [])
    cal = cals.get(uid or "") or next(
        (c for c in cals.values() if _txt(c, "IsBaseCalendar") == "1"), next(iter(cals.values())))
    chain = []
    seen: set[str] = set()
    while cal is not None and (_txt(cal, "UID") or "") not in seen:
        seen.add(_txt(cal, "UID") or "")
        chain.append(cal)
        cal = cals.get(_txt(cal, "BaseCalendarUID") or "")
    weekmask: list[bool | None] = [None] * 7
    minutes: list[list[tuple[int, int]] | None] = [None] * 7
    holidays: set[str] = set()
    working_exceptions: set[str] = set()
    name = _txt(chain[0], "Name") or "Standard"
    for cal in reversed(chain):  # base first, derived calendars override
        cname = _txt(cal, "Name") or "calendar"
        for wdel in cal.findall("WeekDays/WeekDay"):
            dtype = _txt(wdel, "DayType")
            working = _txt(wdel, "DayWorking") == "1"
            try:
                times = [(_time_minutes(_txt(w, "FromTime")), _time_minutes(_txt(w, "ToTime")))
                         for w in wdel.findall("WorkingTimes/WorkingTime")]
            except ValueError:
                raise ctx.error(f"calendar {cname!r}", "WorkingTime", _txt(
                    wdel.find("WorkingTimes/WorkingTime"), "FromTime"),
                    "working times must look like 08:00:00") from None
            times = [(a, b if b > a else b + 1440) for a, b in times]
            if dtype == "0":  # pre-2007 exception: a date range
                f = _date(wdel, "TimePeriod/FromDate", ctx, f"calendar {cname!r}")
                t = _date(wdel, "TimePeriod/ToDate", ctx, f"calendar {cname!r}")
                _exception(f, t, working, holidays, working_exceptions, ctx)
                continue
            try:
                k = (int(dtype or "") + 5) % 7  # DayType 1 = Sunday ... 7 = Saturday
            except ValueError:
                raise ctx.error(f"calendar {cname!r}", "WeekDay/DayType", dtype,
                                "it must be 0..7 (1 = Sunday)") from None
            weekmask[k] = working
            minutes[k] = times if working else []
        for ex in cal.findall("Exceptions/Exception"):
            working = _txt(ex, "DayWorking") == "1"
            f = _date(ex, "TimePeriod/FromDate", ctx, f"calendar {cname!r} exception")
            t = _date(ex, "TimePeriod/ToDate", ctx, f"calendar {cname!r} exception")
            kind = _txt(ex, "Type", "1")
            if kind not in ("1", None):
                warnings.append(f"calendar {cname!r}: recurring exception "
                                f"{_txt(ex, 'Name') or ''!r} (type {kind}) was read as one "
                                "date range; check the holidays")
            _exception(f, t, working, holidays, working_exceptions, ctx)
        if cal.find("WorkWeeks/WorkWeek") is not None:
            warnings.append(f"calendar {cname!r} has alternate work weeks; tpmkit uses the "
                            "default work week only")
    default_hours = [(480, 720), (780, 1020)]
    wm = [bool(w) if w is not None else i < 5 for i, w in enumerate(weekmask)]
    mins = [m if m is not None else (default_hours if wm[i] else [])
            for i, m in enumerate(minutes)]
    # a working exception on a weekday the week does not work is an extra workday; on a
    # working weekday it keeps that weekday's hours
    extra = sorted(d for d in working_exceptions if not wm[pd.Timestamp(d).day_of_week])
    same = sorted(set(working_exceptions) - set(extra))
    if same:
        warnings.append(f"calendar {name!r}: working exceptions on working days "
                        f"({format_ids(same)}) keep the weekday's working hours")
    return wm, sorted(holidays), mins, name, extra


def _exception(f, t, working: bool, holidays: set[str], working_exceptions: set[str],
               ctx: _Ctx) -> None:
    """Add one exception's dates: a later exception (a derived calendar's) overrides."""
    if pd.isna(f):
        return
    t = f if pd.isna(t) else t
    if t < f:
        f, t = t, f
    days = pd.date_range(f.normalize(), t.normalize(), freq="D")
    if len(days) > 366 * 50:
        days = days[: 366 * 50]
    dates = {d.date().isoformat() for d in days}
    if working:
        working_exceptions |= dates
        holidays -= dates
    else:
        holidays |= dates
        working_exceptions -= dates


def read_parts(path: str | os.PathLike, *, max_bytes: int | None = None,
               **settings: Any) -> dict[str, Any]:
    """Read an MS Project XML (MSPDI) file into the parts of a tpmkit project.

    Parameters
    ----------
    path : path-like
        The ``.xml``/``.mspdi`` file.
    max_bytes : int, optional
        Size limit [bytes] (default :data:`tpmkit.io._xml.MAX_BYTES`).
    **settings
        Accepted for the front door's protocol; project-level overrides are applied by
        :meth:`tpmkit.model.Project.from_parts`.

    Returns
    -------
    dict
        ``tasks`` (task table: ids are MS Project's task ``ID``; durations and lags in
        working days), ``project`` (name, start, calendar, status_date, currency,
        minutes_per_day), ``resources`` (id, name, capacity, rate [currency per working
        day]), ``computed`` (MS Project's stored early/late start/finish offsets and total/
        free slack [working days], indexed by task id) and ``warnings``.

    Raises
    ------
    FileFormatError
        Not an MSPDI file, an XML bomb or external entity, or a field that cannot be read
        (the message names the file, the task and the field).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.xml"
    >>> _ = p.write_text('''<Project xmlns="http://schemas.microsoft.com/project">
    ... <StartDate>2024-01-08T08:00:00</StartDate><Tasks>
    ... <Task><UID>1</UID><ID>1</ID><Name>Design</Name><Duration>PT16H0M0S</Duration></Task>
    ... <Task><UID>2</UID><ID>2</ID><Name>Build</Name><Duration>PT24H0M0S</Duration>
    ...  <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>3</Type>
    ...  <LinkLag>4800</LinkLag><LagFormat>7</LagFormat></PredecessorLink></Task>
    ... </Tasks></Project>''')
    >>> parts = read_parts(p)
    >>> parts["tasks"][["id", "duration", "predecessors"]].to_dict("records")
    [{'id': '1', 'duration': 2.0, 'predecessors': ''}, {'id': '2', 'duration': 3.0, 'predecessors': '1 SS+1d'}]
    """
    ctx = _Ctx(str(path))
    root = parse_xml(path, max_bytes=max_bytes)
    if root.tag == "APIBusinessObjects":  # Primavera PMXML saved with an .xml suffix
        from tpmkit.io import xer

        return xer.read_pmxml_parts(path, max_bytes=max_bytes, **settings)
    if root.tag != "Project":
        raise FileFormatError(
            f"{path}: not an MS Project XML (MSPDI) file: the root element is <{root.tag}>, "
            "expected <Project>; save the plan from MS Project with 'Save As → XML'")
    warnings: list[str] = []
    cfg = _settings(root, ctx, warnings)
    raw = _task_records(root, ctx)
    own_field, ids, uid_to_id = _task_ids(root, raw, warnings)
    read = _read_tasks(root, raw, ids, own_field, ctx, cfg, warnings)
    rows, computed = read.rows, read.computed
    links = _links(root, read, uid_to_id, ctx, cfg, warnings)
    res_rows = _resources(root, rows, ctx, cfg, warnings)
    calendars = _other_calendars(root, read, ctx, cfg)
    _task_warnings(read, cfg, warnings)

    tasks = task_frame({k: v for k, v in r.items() if not k.startswith("_")} for r in rows)
    start = _date(root, "StartDate", ctx, "project")
    if pd.isna(start):
        starts = [c["start_date"] for c in computed if pd.notna(c["start_date"])]
        start = min(starts) if starts else pd.NaT
    comp = _computed(computed, start, cfg.wt)
    project = {
        "name": _txt(root, "Title") or _txt(root, "Name") or Path(path).stem,
        "start": start.date().isoformat() if pd.notna(start) else None,
        "calendar": {"workweek": [d for d, w in zip(DAY_NAMES, cfg.weekmask) if w],
                     "holidays": cfg.holidays,
                     **({"workdays": cfg.workdays} if cfg.workdays else {})},
        "status_date": status_day(_date(root, "StatusDate", ctx, "project"), cfg.wt,
                                  "the status date", warnings),
        "currency": _txt(root, "CurrencyCode") or "",
        "minutes_per_day": cfg.mpd,
        "calendar_name": cfg.cal_name,
        "source_format": "mspdi",
        **_project_summary(root, ctx),
        **_critical_setting(root, ctx),
    }
    parts: dict[str, Any] = {"tasks": tasks, "links": links, "project": project,
                             "computed": comp, "warnings": warnings}
    if res_rows:
        parts["resources"] = pd.DataFrame(res_rows)
    if calendars:
        # scheduled on their calendars: one day of duration is the project calendar's working
        # day on every calendar (the durations were divided by it), as in MS Project
        hpd = cfg.day_len / 60.0
        parts["calendars"] = {n: {**c, "hours_per_day": c.get("hours_per_day", hpd)}
                              for n, c in calendars.items()}  # elapsed: 24 h
        project["calendar"].update(working_times={
            d: [f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"
                for a, b in (m or [(480, 720), (780, 1020)])]
            for d, m, w in zip(DAY_NAMES, cfg.wt.day_minutes, cfg.weekmask) if w},
            hours_per_day=hpd)
        if pd.notna(start):  # MS Project starts the plan at this time of day
            project["start_time"] = start.strftime("%H:%M")
    if tasks.empty:
        warnings.append(f"{path}: the file holds no tasks")
    return parts


@dataclass
class _Settings:
    """The project's day lengths and calendar."""

    mpd: float  # MinutesPerDay (how MS Project displays days)
    dpm: float  # DaysPerMonth
    weekmask: list[bool]
    holidays: list[str]
    cal_name: str
    wt: WorkTime
    day_len: float  # the calendar's working minutes per day: one tpmkit working day
    working_days_per_week: int
    workdays: list[str]  # extra working dates of the project calendar


def _settings(root: Element, ctx: _Ctx, warnings: list[str]) -> _Settings:
    """Project settings: scheduling direction, day lengths and the project calendar."""
    if _txt(root, "ScheduleFromStart") == "0":
        warnings.append("the project is scheduled from its finish date in MS Project; tpmkit "
                        "schedules forward from the start date (give a deadline to anchor the "
                        "late dates)")
    mpd = _num(root, "MinutesPerDay", ctx, "project", 480.0)
    if not mpd > 0:
        raise ctx.error("project", "MinutesPerDay", _txt(root, "MinutesPerDay"),
                        "it must be a positive number of minutes (480 = 8 h)")
    dpm = _num(root, "DaysPerMonth", ctx, "project", 20.0)

    weekmask, holidays, day_minutes, cal_name, workdays = _calendar(
        root, _txt(root, "CalendarUID"), ctx, warnings)
    wt = WorkTime(weekmask, holidays, day_minutes, workdays)
    # MS Project schedules in the calendar's working minutes; a tpmkit working day is one
    # calendar working day, so durations, lags and slack are divided by the calendar's day
    # length. MinutesPerDay only sets how MS Project *displays* "days".
    cal_mpd = wt.minutes_per_day()
    if abs(cal_mpd - mpd) > 1e-9:
        warnings.append(
            f"the project's MinutesPerDay ({format_number(mpd)} min) differs from the working "
            f"day of calendar {cal_name!r} ({format_number(cal_mpd)} min); durations and lags "
            "were converted with the calendar's working day so that the dates match MS "
            f"Project (MS Project displays them in {format_number(mpd / 60)}-hour days)")
    return _Settings(mpd, dpm, weekmask, holidays, cal_name, wt, cal_mpd, sum(weekmask),
                     workdays)


def _task_records(root: Element, ctx: _Ctx) -> list[tuple[int, str, str, Element]]:
    """The ``<Task>`` records that are tasks: (record number, UID, where, element)."""
    raw = []
    for pos, t in enumerate(root.findall("Tasks/Task"), start=1):
        uid = _txt(t, "UID")
        where = f"task record {pos} (UID {uid})"
        if uid is None:
            raise ctx.error(f"task record {pos}", "UID", None,
                            "every <Task> needs a <UID>; re-export the file")
        if _txt(t, "IsNull") == "1":
            continue
        level = _txt(t, "OutlineLevel")
        if uid == "0" and (level in (None, "0")):
            continue  # the project summary task
        raw.append((pos, uid, where, t))
    return raw


def _task_ids(root: Element, raw: list[tuple[int, str, str, Element]], warnings: list[str]
              ) -> tuple[str | None, list[str], dict[str, str]]:
    """The tpmkit-id field (if any), each record's task id and the UID → task id map.

    Ids: the tpmkit id a tpmkit export stored in a text field, else MS Project's visible
    ID, or the UID when IDs are missing/duplicated.
    """
    own_field = next((_txt(a, "FieldID") for a in root.findall("ExtendedAttributes/"
                                                                  "ExtendedAttribute")
                      if _txt(a, "Alias") == _ID_ALIAS), None)

    def own_id(t: Element) -> str | None:
        if own_field is None:
            return None
        return next((_txt(a, "Value") for a in t.findall("ExtendedAttribute")
                     if _txt(a, "FieldID") == own_field), None)

    ids0 = [(own_id(t) or _txt(t, "ID") or uid) for _, uid, _, t in raw]
    if len(set(ids0)) != len(ids0):
        warnings.append("task IDs are not unique; the UIDs were used as task ids")
        ids0 = [uid for _, uid, _, _ in raw]
    ids, w = safe_ids(ids0)
    warnings += w
    uid_to_id = {uid: i for (_, uid, _, _), i in zip(raw, ids)}
    return own_field, ids, uid_to_id


def _parse_link(lk: Element, where: str, ctx: _Ctx, cfg: _Settings
                ) -> tuple[str | None, str, float, float, bool]:
    """<PredecessorLink> → (predecessor UID, type, lag [working days], lag fraction, elapsed)."""
    try:
        kind = LINK_TYPES[int(_txt(lk, "Type", "1") or "1")]
    except (KeyError, ValueError):
        raise ctx.error(where, "PredecessorLink/Type", _txt(lk, "Type"),
                        "link types are 0 = FF, 1 = FS, 2 = SF, 3 = SS") from None
    lag_raw = _num(lk, "LinkLag", ctx, where, 0.0)
    unit, is_elapsed = _fmt(_txt(lk, "LagFormat"))
    if unit in ("%", "e%"):  # tenths of a percent of the predecessor's duration
        return _txt(lk, "PredecessorUID"), kind, 0.0, lag_raw / 1000.0, False
    if is_elapsed:  # clock minutes → working days at the calendar's share of working days
        return (_txt(lk, "PredecessorUID"), kind,
                lag_raw / 10.0 / 1440.0 * cfg.working_days_per_week / 7.0, 0.0, True)
    return _txt(lk, "PredecessorUID"), kind, lag_raw / 10.0 / cfg.day_len, 0.0, False


@dataclass
class _TasksRead:
    """The task rows and stored dates read from the file, and what the warnings name."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    computed: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, str] = field(default_factory=dict)  # summary UID → outline number
    outline: dict[str, str] = field(default_factory=dict)  # UID → outline number
    inactive: list[str] = field(default_factory=list)
    manual: list[str] = field(default_factory=list)
    elapsed: list[str] = field(default_factory=list)  # tasks with elapsed lags
    elapsed_tasks: dict[str, str] = field(default_factory=dict)  # UID → id, elapsed durations
    task_cal: dict[str, str] = field(default_factory=dict)  # UID → its own CalendarUID
    other_cal: dict[str, list[str]] = field(default_factory=dict)  # calendar name → task ids
    mixed_cal: list[str] = field(default_factory=list)  # assignments on different calendars


def _read_tasks(root: Element, raw: list[tuple[int, str, str, Element]], ids: list[str],
                own_field: str | None, ctx: _Ctx, cfg: _Settings,
                warnings: list[str]) -> _TasksRead:
    """The task rows (summaries and inactive tasks left out) and their stored dates."""
    read = _TasksRead()
    for (pos, uid, where, t), tid in zip(raw, ids):
        where = f"task ID {tid} (record {pos})"
        on = _txt(t, "OutlineNumber") or _txt(t, "WBS") or ""
        read.outline[uid] = on
        if _txt(t, "Summary") == "1":
            read.summary[uid] = on
            continue
        if _txt(t, "Active") == "0":
            read.inactive.append(tid)
            continue
        if _txt(t, "Manual") == "1":
            read.manual.append(tid)
        start = _date(t, "Start", ctx, where)
        finish = _date(t, "Finish", ctx, where)
        duration, is_elapsed = _duration(t, where, ctx, cfg)
        if is_elapsed:
            read.elapsed_tasks[uid] = tid
        constraint, cdate = _constraint(t, where, ctx)
        if _txt(t, "CalendarUID", "-1") not in ("-1", _txt(root, "CalendarUID")):
            read.task_cal[uid] = _txt(t, "CalendarUID") or "-1"
        preds = []
        for lk in t.findall("PredecessorLink"):
            if _txt(lk, "CrossProject") == "1":
                warnings.append(f"task {tid}: a link to another project "
                                f"({_txt(lk, 'CrossProjectName') or _txt(lk, 'PredecessorUID')})"
                                " was ignored")
                continue
            link = _parse_link(lk, where, ctx, cfg)
            if link[-1]:
                read.elapsed.append(tid)
            preds.append(link[:4])
        row = _task_row(t, tid, uid, where, on, own_field, preds, duration, constraint,
                        cdate, ctx)
        row["remaining_duration"] = _remaining(t, where, duration, is_elapsed, ctx, cfg)
        read.rows.append(row)
        read.computed.append(_stored_dates(t, tid, where, start, finish, is_elapsed, ctx, cfg))
    return read


def _duration(t: Element, where: str, ctx: _Ctx, cfg: _Settings) -> tuple[float, bool]:
    """A task's duration [working days; elapsed: days of 24 hours] and whether it is
    elapsed (clock) time."""
    unit, is_elapsed = _fmt(_txt(t, "DurationFormat"))
    minutes = _minutes(_txt(t, "Duration"), ctx, where, "Duration")
    if math.isnan(minutes):
        minutes = 0.0 if _txt(t, "Milestone") == "1" else math.nan
    duration = minutes / (ELAPSED_DAY if is_elapsed else cfg.day_len)
    if math.isnan(duration):
        raise ctx.error(where, "Duration", _txt(t, "Duration"),
                        "a task needs a duration such as PT8H0M0S")
    if duration < 0:
        raise ctx.error(where, "Duration", _txt(t, "Duration"), "it must not be negative")
    return duration, is_elapsed


def _remaining(t: Element, where: str, duration: float, is_elapsed: bool, ctx: _Ctx,
               cfg: _Settings) -> float:
    """``RemainingDuration`` [working days] (NaN when absent; elapsed in the duration's ratio)."""
    minutes = _minutes(_txt(t, "RemainingDuration"), ctx, where, "RemainingDuration")
    if math.isnan(minutes):
        return math.nan
    if minutes < 0:
        raise ctx.error(where, "RemainingDuration", _txt(t, "RemainingDuration"),
                        "it must not be negative")
    if is_elapsed:
        total = _minutes(_txt(t, "Duration"), ctx, where, "Duration")
        return duration * minutes / total if total > 0 else 0.0
    return minutes / cfg.day_len


def _constraint(t: Element, where: str, ctx: _Ctx) -> tuple[str, Any]:
    """A task's constraint and its date ('As Late As Possible' has none)."""
    ctype = _txt(t, "ConstraintType", "0")
    constraint, cdate = "", pd.NaT
    if ctype == "1":
        return "ALAP", cdate
    if ctype not in ("0", None):
        try:
            constraint = _CONSTRAINTS[int(ctype)]
        except (KeyError, ValueError):
            raise ctx.error(where, "ConstraintType", ctype, "it must be 0..7") from None
        cdate = _date(t, "ConstraintDate", ctx, where)
        if pd.isna(cdate):
            raise ctx.error(where, "ConstraintDate", None,
                            f"a {constraint} constraint needs a date")
        cdate = cdate.normalize()
    return constraint, cdate


def _task_row(t: Element, tid: str, uid: str, where: str, on: str, own_field: str | None,
              preds: list[tuple], duration: float, constraint: str, cdate: Any,
              ctx: _Ctx) -> dict[str, Any]:
    """One task row (``_uid`` and ``_preds`` are dropped before the task table is built)."""
    baseline = next((b for b in t.findall("Baseline") if _txt(b, "Number") == "0"), None)
    return {
        "id": tid, "_uid": uid, "_preds": preds,
        "name": _txt(t, "Name", ""),
        "duration": duration,
        "wbs": _txt(t, "WBS") or ("" if own_field else on),
        "constraint": constraint, "constraint_date": cdate,
        "cost": _num(t, "FixedCost", ctx, where),
        "baseline_start": _date(baseline, "Start", ctx, where) if baseline is not None else pd.NaT,
        "baseline_finish": _date(baseline, "Finish", ctx, where) if baseline is not None else pd.NaT,
        "baseline_cost": _num(baseline, "Cost", ctx, where) if baseline is not None else math.nan,
        "percent_complete": _num(t, "PercentComplete", ctx, where),
        "actual_start": _date(t, "ActualStart", ctx, where),
        "actual_finish": _date(t, "ActualFinish", ctx, where),
        "actual_cost": _num(t, "ActualCost", ctx, where),
        "milestone": _txt(t, "Milestone") == "1",
    }


def _stored_dates(t: Element, tid: str, where: str, start: Any, finish: Any, is_elapsed: bool,
                  ctx: _Ctx, cfg: _Settings) -> dict[str, Any]:
    """MS Project's stored dates and slacks [working days] of one task."""
    day_len = ELAPSED_DAY if is_elapsed else cfg.day_len
    return {
        "id": tid,
        "start_date": start, "finish_date": finish,
        # what MS Project shows after "update project": actual start or the forecast
        "forecast_start_date": start, "forecast_finish_date": finish,
        "resume_date": _date(t, "Resume", ctx, where),
        "early_start_date": _date(t, "EarlyStart", ctx, where),
        "early_finish_date": _date(t, "EarlyFinish", ctx, where),
        "late_start_date": _date(t, "LateStart", ctx, where),
        "late_finish_date": _date(t, "LateFinish", ctx, where),
        # slack in tenths of minutes: of working time, or of clock time for an elapsed
        # duration (days of its 24-hour calendar, as tpmkit measures its float)
        "total_float": _num(t, "TotalSlack", ctx, where) / 10.0 / day_len,
        "free_float": _num(t, "FreeSlack", ctx, where) / 10.0 / day_len,
        "critical": _txt(t, "Critical") == "1" if _txt(t, "Critical") else None,
    }


def _links(root: Element, read: _TasksRead, uid_to_id: dict[str, str], ctx: _Ctx,
           cfg: _Settings, warnings: list[str]) -> pd.DataFrame:
    """The link table; sets each row's ``predecessors`` text.

    Links on summary tasks become links on their leaf tasks (MS Project semantics).
    """
    rows, summary, outline = read.rows, read.summary, read.outline
    leaf_uids = [r["_uid"] for r in rows]

    def leaves(uid: str) -> list[str]:
        prefix = summary[uid] + "."
        return [u for u in leaf_uids if outline.get(u, "").startswith(prefix)]

    link_rows = [(puid, r["_uid"], kind, lag_days, lag_pct)
                 for r in rows for puid, kind, lag_days, lag_pct in r["_preds"]]
    for t in root.findall("Tasks/Task"):
        uid = _txt(t, "UID")
        if uid in summary and t.find("PredecessorLink") is not None:
            for lk in t.findall("PredecessorLink"):
                link = _parse_link(lk, f"summary task UID {uid}", ctx, cfg)
                link_rows.append((link[0], uid, *link[1:4]))
    id_of_uid = {r["_uid"]: r["id"] for r in rows}
    links, moved, dropped = links_table(link_rows, id_of_uid, {u: leaves(u) for u in summary})
    summary_links = [outline[u] for pair in moved for u in pair if u in summary]
    missing: list[str] = [f"{id_of_uid.get(s, s)}←UID {p}" for p, s in dropped
                          if p not in uid_to_id or p in summary]
    for r, text in zip(rows, predecessors_text(links, [r["id"] for r in rows]), strict=True):
        r["predecessors"] = text
    if missing:
        warnings.append(f"links to tasks that are not in the file or inactive were dropped: "
                        f"{format_ids(missing)}")
    if summary_links:
        warnings.append(f"links on summary tasks {format_ids(sorted(set(summary_links)))} were "
                        "moved to their subtasks (tpmkit derives summaries from the WBS)")
    return links


def _task_warnings(read: _TasksRead, cfg: _Settings, warnings: list[str]) -> None:
    """The warnings about what tpmkit reads differently from MS Project."""
    if read.inactive:
        warnings.append(f"inactive tasks {format_ids(read.inactive)} were left out")
    if read.manual:
        warnings.append(f"tasks {format_ids(read.manual)} are manually scheduled in MS Project; "
                        "tpmkit schedules them from their links like automatic tasks")
    if read.other_cal:
        n = sum(len(v) for v in read.other_cal.values())
        each = "; ".join(f"{name!r}: {format_ids(ids)}" for name, ids in read.other_cal.items())
        warnings.append(f"{n} task{' uses' if n == 1 else 's use'} task or resource calendars "
                        "other than the project "
                        f"calendar {cfg.cal_name!r} ({each}); they are scheduled on their "
                        "calendars (column 'calendar', parts['calendars'])")
    if read.mixed_cal:
        warnings.append(f"tasks {format_ids(read.mixed_cal)} have assignments on different "
                        "resource calendars, which MS Project schedules each on its own; tpmkit "
                        "schedules these tasks on the project calendar")
    if read.elapsed_tasks:
        warnings.append(f"tasks {format_ids(list(read.elapsed_tasks.values()))} have elapsed "
                        "(clock-time) durations; they are scheduled on the 24-hour calendar "
                        f"{ELAPSED_CALENDAR!r} (durations in days of 24 hours)")
    if read.elapsed:
        warnings.append(f"tasks {format_ids(sorted(set(read.elapsed)))} have elapsed (clock-time) "
                        f"lags; they were converted at {sum(cfg.weekmask)}/7 working days per "
                        "calendar day")


def _resources(root: Element, rows: list[dict[str, Any]], ctx: _Ctx, cfg: _Settings,
               warnings: list[str]) -> list[dict[str, Any]]:
    """The resource rows; sets each task row's ``resources`` text from the assignments."""
    day_len, dpm = cfg.day_len, cfg.dpm
    res_rows, res_by_uid = [], {}
    res_raw = [r for r in root.findall("Resources/Resource")
               if _txt(r, "UID") not in (None, "0") and _txt(r, "Name")]
    res_ids, w = safe_ids([_resource_id(root, r) for r in res_raw], "resource")
    warnings += w
    per_day = {"1": day_len, "2": day_len / 60.0, "3": 1.0,
               "4": 1.0 / max(cfg.working_days_per_week, 1), "5": 1.0 / dpm,
               "7": 1.0 / (dpm * 12)}
    for r, rid in zip(res_raw, res_ids):
        where = f"resource {rid!r}"
        res_by_uid[_txt(r, "UID")] = rid
        rate = _num(r, "StandardRate", ctx, where)
        rate *= per_day.get(_txt(r, "StandardRateFormat", "2"), day_len / 60.0)
        if _txt(r, "Type") == "0":  # material: rate is per unit of material
            rate = _num(r, "StandardRate", ctx, where)
        res_rows.append({"id": rid, "name": _txt(r, "Name"),
                         "capacity": _num(r, "MaxUnits", ctx, where, 1.0),
                         "rate": rate,
                         "type": {"0": "material", "1": "work", "2": "cost"}.get(
                             _txt(r, "Type", "1"), "work")})
    id_of_uid = {r["_uid"]: r["id"] for r in rows}
    by_task: dict[str, list[str]] = {}
    for a in root.findall("Assignments/Assignment"):
        tuid, ruid = _txt(a, "TaskUID"), _txt(a, "ResourceUID")
        if ruid not in res_by_uid or tuid not in id_of_uid:
            continue
        units = _num(a, "Units", ctx, f"assignment of resource UID {ruid}", 1.0)
        by_task.setdefault(tuid, []).append(f"{res_by_uid[ruid]}:{format_number(units)}")
    for r in rows:
        r["resources"] = "; ".join(by_task.get(r["_uid"], []))
    return res_rows


def _resource_id(root: Element, r: Element) -> str | None:
    """A resource's id: the tpmkit id a tpmkit export keeps in its Text1 field, else its Name."""
    if any(_txt(a, "Alias") == MSPDI_RESOURCE_ID_ALIAS
           for a in root.findall("ExtendedAttributes/ExtendedAttribute")):
        own = next((_txt(a, "Value") for a in r.findall("ExtendedAttribute")
                    if _txt(a, "FieldID") == MSPDI_RESOURCE_ID_FIELD), None)
        if own:
            return own
    return _txt(r, "Name")


def _project_summary(root: Element, ctx: _Ctx) -> dict[str, Any]:
    """The project's deadline and BAC from the project summary task (UID 0), when it has
    a ``Deadline`` or a baseline-0 cost (where MS Project keeps them)."""
    t = next((t for t in root.findall("Tasks/Task") if _txt(t, "UID") == "0"
              and _txt(t, "OutlineLevel") in (None, "0")), None)
    if t is None:
        return {}
    out: dict[str, Any] = {}
    deadline = _date(t, "Deadline", ctx, "the project summary task")
    if pd.notna(deadline):
        out["deadline"] = deadline.date().isoformat()
    baseline = next((b for b in t.findall("Baseline") if _txt(b, "Number") == "0"), None)
    if baseline is not None:
        bac = _num(baseline, "Cost", ctx, "the project summary task")
        if math.isfinite(bac):
            out["bac"] = bac
    return out


def _critical_setting(root: Element, ctx: _Ctx) -> dict[str, Any]:
    """MS Project's "tasks are critical if slack is less than or equal to" (days)."""
    limit = _num(root, "CriticalSlackLimit", ctx, "project")
    return {} if math.isnan(limit) else {"critical": "total_float", "critical_float": limit}


def _computed(computed: list[dict[str, Any]], start: Any, wt: WorkTime) -> pd.DataFrame:
    """The stored dates as working-day offsets from ``start``, indexed by task id."""
    comp = stored_offsets(computed, start, wt, ("early_start", "early_finish", "late_start",
                                                "late_finish", "start", "finish",
                                                "forecast_start", "forecast_finish", "resume"))
    return comp


def _other_calendars(root: Element, read: _TasksRead, ctx: _Ctx, cfg: _Settings
                     ) -> dict[str, dict[str, Any]]:
    """The task and resource calendars that differ from the project calendar.

    A task's calendar is its own ``CalendarUID``, else (MS Project's default: resource
    calendars are not ignored) the calendar of an assigned work resource. Sets each task
    row's ``calendar`` (the calendar's name, ``""`` for the project calendar), fills
    ``read.other_cal`` and returns the calendars read, by name: ``workweek``, ``holidays``
    and ``working_times`` (``{"Mon": ["08:00-12:00", ...]}``).
    """
    project_key = (tuple(cfg.weekmask), tuple(cfg.holidays), tuple(map(tuple, cfg.wt.day_minutes)),
                   tuple(cfg.workdays))
    resolved: dict[str, tuple[tuple, str, dict[str, Any]] | None] = {}

    def resolve(uid: str) -> tuple[tuple, str, dict[str, Any]] | None:
        if uid not in resolved:
            scratch: list[str] = []  # details of an unscheduled calendar: one warning covers it
            wm, hol, mins, name, extra = _calendar(root, uid, ctx, scratch)
            key = (tuple(wm), tuple(hol), tuple(tuple(sorted(m)) for m in mins), tuple(extra))
            times = {d: [f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in m]
                     for d, m in zip(DAY_NAMES, mins) if m}
            resolved[uid] = None if key == project_key else (key, name, {
                "workweek": [d for d, w in zip(DAY_NAMES, wm) if w], "holidays": hol,
                "working_times": times, **({"workdays": extra} if extra else {})})
        return resolved[uid]

    base_of = {_txt(c, "UID"): _txt(c, "BaseCalendarUID") for c in root.findall("Calendars/Calendar")}
    known = set(base_of)

    def named(uid: str) -> tuple[tuple, str, dict[str, Any]] | None:
        """A derived calendar without changes of its own goes by its base calendar's name."""
        cal, base = resolve(uid), base_of.get(uid)
        if cal is not None and base in known and (resolve(base) or (None,))[0] == cal[0]:
            return resolve(base)
        return cal

    res_cal = {_txt(r, "UID"): _txt(r, "CalendarUID") for r in root.findall("Resources/Resource")
               if _txt(r, "Type", "1") == "1" and _txt(r, "CalendarUID") in known}
    assigned: dict[str, list[str]] = {}
    for a in root.findall("Assignments/Assignment"):
        cal = res_cal.get(_txt(a, "ResourceUID"))
        if cal is not None:
            assigned.setdefault(_txt(a, "TaskUID") or "", []).append(cal)
    out: dict[str, dict[str, Any]] = {}
    for row in read.rows:
        uid = row["_uid"]
        if uid in read.elapsed_tasks:  # clock time: MS Project ignores the calendars
            row["calendar"] = ELAPSED_CALENDAR
            out[ELAPSED_CALENDAR] = {"workweek": list(DAY_NAMES), "holidays": [],
                                     "working_times": {d: ["00:00-24:00"] for d in DAY_NAMES},
                                     "hours_per_day": 24}
            continue
        own = read.task_cal.get(uid)
        candidates = [own] if own in known else assigned.get(uid, [])
        found = [named(u) for u in candidates]
        # assignments on different resource calendars: MS Project schedules each on its
        # own, which one task calendar cannot say; the task keeps the project calendar
        cal = found[0] if found and all(c == found[0] for c in found) else None
        if cal is None and any(c is not None for c in found):
            read.mixed_cal.append(row["id"])
        row["calendar"] = "" if cal is None else cal[1]
        if cal is not None:
            read.other_cal.setdefault(cal[1], []).append(row["id"])
            out[cal[1]] = cal[2]
    return out
