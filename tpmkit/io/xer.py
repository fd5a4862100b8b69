"""Primavera P6 XER import.

An XER file is a tab-separated dump of P6 tables: ``%T`` names a table, ``%F`` its
fields, ``%R`` one record, ``%E`` ends the file. :func:`read_parts` reads PROJECT,
PROJWBS, TASK, TASKPRED, CALENDAR, SCHEDOPTIONS, RSRC, RSRCRATE, TASKRSRC, PROJCOST and
the activity codes (ACTVTYPE, ACTVCODE, TASKACTV) and returns the parts of a tpmkit
project. Optional tables may be missing; empty fields, fractional lags, short records
(P6 drops trailing empty fields), UTF-8 or Windows-1252 text and several projects in one
file are handled.

Conversions:

* hours per day of a calendar: the hours of its work periods (``clndr_data``), which P6
  schedules on; ``day_hr_cnt`` only sets how P6 displays days (a warning names the
  calendars where the two disagree);
* durations: ``target_drtn_hr_cnt`` [h] / the activity calendar's hours per day;
  ``remain_drtn_hr_cnt`` → ``remaining_duration`` (0 for completed activities; more than
  the original is legal);
* lags: ``lag_hr_cnt`` [h] / hours per day of the calendar P6 uses for relationship lags
  (SCHEDOPTIONS ``sched_calendar_on_relationship_lag``: predecessor's (P6 default),
  successor's, project default, or 24-hour = elapsed hours);
* link types ``PR_FS``/``PR_SS``/``PR_FF``/``PR_SF``;
* constraints ``CS_MSO`` (must start on) → MSO, ``CS_MSOA`` (start on or after) → SNET,
  ``CS_MSOB`` → SNLT, ``CS_MEO`` → MFO, ``CS_MEOA`` → FNET, ``CS_MEOB`` → FNLT,
  ``CS_MANDSTART`` → MSO, ``CS_MANDFIN`` → MFO, ``CS_ALAP`` → ALAP (``alap: zero_free_float``);
* percent complete by the activity's percent-complete type: duration
  ``(target − remaining) / target``, physical ``phys_complete_pct``, units
  ``act_work_qty / (act_work_qty + remain_work_qty)``; a percentage outside 0–100 (more
  remaining than original duration) is clamped as P6 shows it, with one warning;
* the data date (``last_recalc_date``, an instant) becomes the status date, the end of a
  day: ``2015-02-24 00:00`` → ``2015-02-23``; ``restart_date``/``reend_date`` (P6's
  remaining early start/finish) are stored as the tool's forecast;
* several assignments of one resource to an activity stay separate demands;
* activity calendars: read (column ``calendar``, ``parts["calendars"]``, the project
  calendar's work periods in ``project["calendar"]``) and scheduled on, with the lag option
  as the ``lag_calendar`` setting; exceptions ``(d|41519)`` (day serials from 1899-12-30)
  are holidays, or with work periods on a non-working weekday extra ``workdays``.

References
----------
Oracle, "Primavera P6 XER file format / P6 EPPM Data Dictionary" (table and field names).
J. Iles, MPXJ ``PrimaveraReader`` (https://www.mpxj.org); the test files in
``../shared/data/projectfiles/mpxj`` come from its test suite.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import FileFormatError, format_ids
from tpmkit.io._pmxml import EXCEL_EPOCH, pmxml_tables
from tpmkit.io._xml import (
    DAY_NAMES,
    WorkTime,
    earliest_stored_start,
    format_number,
    links_and_text,
    read_bytes,
    read_text,
    safe_ids,
    stamp,
    status_day,
    stored_offsets,
    task_frame,
)
from tpmkit.io.limits import quote

__all__ = ["LINK_TYPES", "read_parts", "read_pmxml_parts", "read_tables"]

#: XER ``pred_type`` → tpmkit link type.
LINK_TYPES = {"PR_FS": "FS", "PR_SS": "SS", "PR_FF": "FF", "PR_SF": "SF"}
_CONSTRAINTS = {"CS_MSO": "MSO", "CS_MSOA": "SNET", "CS_MSOB": "SNLT", "CS_MEO": "MFO",
                "CS_MEOA": "FNET", "CS_MEOB": "FNLT", "CS_MANDSTART": "MSO",
                "CS_MANDFIN": "MFO"}


def read_tables(path: str | os.PathLike, *, max_bytes: int | None = None
                ) -> dict[str, list[dict[str, str]]]:
    """Read every table of an XER file as a list of ``{field: text}`` records.

    Records with fewer values than fields are padded with ``""`` (P6 omits trailing empty
    fields); each record also carries its line number under ``"_line"``.

    Raises
    ------
    FileFormatError
        The file does not start with ``ERMHDR``, a record appears before any ``%T``/``%F``,
        or a record has more values than its table has fields.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.xer"
    >>> _ = p.write_text("ERMHDR\\t8.0\\n%T\\tTASK\\n%F\\ttask_id\\ttask_code\\n%R\\t1\\tA100\\n%E\\n")
    >>> read_tables(p)["TASK"]
    [{'task_id': '1', 'task_code': 'A100', '_line': '4'}]
    """
    text = read_text(path, max_bytes)
    lines = text.splitlines()
    if not lines or not lines[0].startswith("ERMHDR"):
        first = lines[0][:40] if lines else ""
        raise FileFormatError(
            f"{path}: not a Primavera XER file: line 1 is {first!r}, expected a line starting "
            "with ERMHDR; export the project from P6 with File → Export → Primavera PM (XER)")
    tables: dict[str, list[dict[str, str]]] = {}
    table, fields = None, None
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        tag = parts[0]
        if tag == "%T":
            table = parts[1].strip() if len(parts) > 1 else ""
            fields = None
            tables.setdefault(table, [])
        elif tag == "%F":
            if table is None:
                raise FileFormatError(f"{path}: line {n}: a %F field list before any %T table "
                                      "name; the file is damaged: export it again")
            fields = [f.strip() for f in parts[1:]]
        elif tag == "%R":
            if table is None or fields is None:
                raise FileFormatError(f"{path}: line {n}: a %R record before the %T/%F lines "
                                      "of its table; the file is damaged: export it again")
            values = parts[1:]
            if len(values) > len(fields):
                extra = values[len(fields):]
                if any(v.strip() for v in extra):
                    raise FileFormatError(
                        f"{path}: line {n}: table {table} record has {len(values)} values but "
                        f"{len(fields)} fields (a tab inside a text field?); fix the record or "
                        "export the file again")
                values = values[: len(fields)]
            rec = dict(zip(fields, values + [""] * (len(fields) - len(values))))
            rec["_line"] = str(n)
            tables[table].append(rec)
        elif tag == "%E":
            break
    return tables


class _Reader:
    def __init__(self, path: str, tables: dict[str, list[dict[str, str]]]):
        self.path = path
        self.t = tables

    def num(self, rec: dict[str, str], field: str, table: str,
            default: float = math.nan) -> float:
        v = (rec.get(field) or "").strip()
        if not v:
            return default
        try:
            f = float(v.replace(",", "."))
        except ValueError:
            f = math.nan
        if not math.isfinite(f):
            raise FileFormatError(
                f"{self.path}: line {rec.get('_line')}: table {table}, field {field}: "
                f"{quote(v)} is not a number; correct the value in P6 and export again")
        return f

    def date(self, rec: dict[str, str], field: str, table: str) -> pd.Timestamp:
        v = (rec.get(field) or "").strip()
        if not v:
            return pd.NaT
        try:
            return stamp(v)
        except ValueError as exc:
            raise FileFormatError(
                f"{self.path}: line {rec.get('_line')}: table {table}, field {field}: "
                f"{quote(v)} is not a date (expected YYYY-MM-DD HH:MM; {exc})") from None


_INTERVAL = re.compile(r"\(\s*0\|\|\d+\(([^()]*)\)\s*\(\s*\)\s*\)")


def _hhmm(s: str) -> int:
    hh, _, mm = s.strip().partition(":")
    return int(hh) * 60 + int(mm or 0)


def _intervals(body: str) -> list[tuple[int, int]]:
    out = []
    for m in _INTERVAL.finditer(body):
        kv = m.group(1).split("|")
        d = dict(zip(kv[0::2], kv[1::2]))
        if "s" in d and "f" in d:
            a, b = _hhmm(d["s"]), _hhmm(d["f"])
            out.append((a, b if b > a else b + 1440))
    return out


def _parse_calendar(data: str) -> tuple[list[bool] | None, list[list[tuple[int, int]]] | None,
                                        list[str], list[str]]:
    """clndr_data → weekmask, working intervals per weekday, holidays, working exceptions."""
    if not data or "DaysOfWeek" not in data:
        return None, None, [], []
    dow_start = data.find("DaysOfWeek")
    exc_start = data.find("Exceptions")
    dow = data[dow_start: exc_start if exc_start > dow_start else len(data)]
    weekmask: list[bool] = [False] * 7
    minutes: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    # split the DaysOfWeek block at each day marker (0||1()...) .. (0||7()...)
    marks = [(m.start(), int(m.group(1))) for m in re.finditer(r"\(0\|\|([1-7])\(\)", dow)]
    for k, (pos, day) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(dow)
        iv = _intervals(dow[pos + 7: end])
        wd = (day + 5) % 7  # 1 = Sunday
        minutes[wd] = iv
        weekmask[wd] = bool(iv)
    holidays, working = [], []
    if exc_start > 0:
        block = data[exc_start:]
        marks = [(m.start(), int(m.group(1))) for m in re.finditer(r"\(0\|\|\d+\(d\|(\d+)\)", block)]
        for k, (pos, serial) in enumerate(marks):
            end = marks[k + 1][0] if k + 1 < len(marks) else len(block)
            day = (EXCEL_EPOCH + pd.Timedelta(days=serial)).date().isoformat()
            (working if _intervals(block[pos:end]) else holidays).append(day)
    return weekmask, minutes, holidays, working


def read_parts(path: str | os.PathLike, *, max_bytes: int | None = None,
               project_id: str | None = None, **settings: Any) -> dict[str, Any]:
    """Read a Primavera P6 XER file into the parts of a tpmkit project.

    Parameters
    ----------
    path : path-like
        The ``.xer`` file.
    max_bytes : int, optional
        Size limit [bytes].
    project_id : str, optional
        ``proj_id`` or ``proj_short_name`` of the project to read when the file holds
        several (default: the first).
    **settings
        Accepted for the front door's protocol (applied by the model).

    Returns
    -------
    dict
        ``tasks`` (ids are P6 activity ids), ``project``, ``resources`` (id, name, capacity
        [units], cost_per_hour [currency/h]), ``computed`` (P6's stored early/late dates as
        working-day offsets and total/free float [working days]) and ``warnings``.

    Raises
    ------
    FileFormatError
        Not an XER file, a damaged record, or a field that cannot be read (the message
        names the file, the line, the table and the field).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> rows = ["ERMHDR\\t8.0",
    ...         "%T\\tPROJECT", "%F\\tproj_id\\tproj_short_name\\tplan_start_date",
    ...         "%R\\t1\\tDEMO\\t2024-01-08 00:00",
    ...         "%T\\tTASK", "%F\\ttask_id\\tproj_id\\ttask_code\\ttask_name\\ttarget_drtn_hr_cnt",
    ...         "%R\\t10\\t1\\tA100\\tDesign\\t16", "%R\\t11\\t1\\tA110\\tBuild\\t24",
    ...         "%T\\tTASKPRED", "%F\\ttask_id\\tpred_task_id\\tpred_type\\tlag_hr_cnt",
    ...         "%R\\t11\\t10\\tPR_SS\\t8", "%E"]
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "demo.xer"
    >>> _ = p.write_text("\\n".join(rows))
    >>> read_parts(p)["tasks"][["id", "duration", "predecessors"]].to_dict("records")
    [{'id': 'A100', 'duration': 2.0, 'predecessors': ''}, {'id': 'A110', 'duration': 3.0, 'predecessors': 'A100 SS+1d'}]
    """
    name = str(path)
    head = read_bytes(path, max_bytes)[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return read_pmxml_parts(path, max_bytes=max_bytes, project_id=project_id)
    return _assemble(name, read_tables(path, max_bytes=max_bytes), project_id)


def _assemble(name: str, tables: dict[str, list[dict[str, str]]],
              project_id: str | None) -> dict[str, Any]:
    """Build the parts from XER-style tables (also used for PMXML)."""
    r = _Reader(name, tables)
    warnings: list[str] = []
    proj = _select_project(name, tables.get("PROJECT", []), project_id, warnings)
    pid = proj.get("proj_id")
    cals, proj_cal_id, pcal, wt = _calendars(r, tables, proj, warnings)

    def hours_per_day(cal_id: str | None) -> float:
        c = cals.get(cal_id or "") or pcal
        return float(c["hours"]) if c["hours"] > 0 else 8.0

    wbs_code = _wbs_coder(tables, pid)
    kept, ids, id_of, cal_of = _kept_activities(tables, pid, warnings)
    codes = _activity_codes(tables, id_of)
    res_recs, res_ids, budget, actual, assigned = _costs(r, tables, id_of)
    links, preds = _links(r, tables, pid, id_of, cal_of, pcal, proj_cal_id, hours_per_day,
                          warnings)
    rows, computed, alap, other_cal, clamped = [], [], [], [], []
    for t, tid in zip(kept, ids):
        key = t.get("task_id")
        hpd = hours_per_day(t.get("clndr_id"))
        own = cals.get(t.get("clndr_id") or "")
        other = own is not None and t.get("clndr_id") != proj_cal_id and any(
            own[k] != pcal[k] for k in ("weekmask", "holidays", "workdays"))
        if other:
            other_cal.append(tid)
        duration, remaining, pct, pct_type, constraint, cdate = _activity_row(
            r, t, tid, hpd, proj, alap, clamped, warnings)
        row = {"id": tid, "name": t.get("task_name", ""), "duration": duration,
               "predecessors": preds.get(key, ""),
               "wbs": wbs_code(t.get("wbs_id")), "constraint": constraint,
               "constraint_date": cdate, "resources": "; ".join(f"{k}:{format_number(v)}"
                                            for k, v in assigned.get(key, [])),
               "cost": budget.get(key, math.nan), "actual_cost": actual.get(key, math.nan),
               "percent_complete": pct,
               "actual_start": r.date(t, "act_start_date", "TASK"),
               "actual_finish": r.date(t, "act_end_date", "TASK"),
               "remaining_duration": remaining,
               "p6_status": t.get("status_code", ""),
               "percent_complete_type": pct_type,
               "calendar": own["name"] if other else ""}
        row.update(codes.get(key, {}))
        rows.append(row)
        computed.append(_stored_dates(r, t, tid, hpd))
    if clamped:
        warnings.append(f"activities {format_ids(clamped)} have more remaining than original "
                        "duration (or a stored percentage outside 0–100); their percent complete "
                        "was clamped to 0–100 as P6 shows it, and the remaining duration is kept")
    lag_rule = _LAG_RULES.get(_lag_option(tables, pid), "predecessor")
    if other_cal and lag_rule == "24h":  # scheduled in elapsed days, not working days
        links["lag"] = links["lag"] * (7.0 / sum(pcal["weekmask"]))
    if other_cal:
        warnings.append(f"{len(other_cal)} activit{'y uses' if len(other_cal) == 1 else 'ies use'} "
                        "calendars other than the project "
                        f"calendar {pcal['name']!r} ({format_ids(other_cal)}); they are "
                        "scheduled on their calendars (column 'calendar', parts['calendars']), "
                        f"lags on the {_LAG_WORDS[lag_rule]}")

    tasks = task_frame(rows)
    start = _project_start(r, proj, computed)
    comp = stored_offsets(computed, start, wt, ("early_start", "early_finish", "late_start",
                                                "late_finish", "forecast_start",
                                                "forecast_finish"))
    status = status_day(r.date(proj, "last_recalc_date", "PROJECT") if proj else pd.NaT, wt,
                        "the data date (last_recalc_date)", warnings)
    currency = ""
    for cur in tables.get("CURRTYPE", [])[:1]:
        currency = cur.get("curr_short_name", "")
    project = {
        "name": proj.get("proj_short_name") or Path(name).stem,
        "start": start.date().isoformat() if pd.notna(start) else None,
        "calendar": {"workweek": [d for d, x in zip(DAY_NAMES, pcal["weekmask"]) if x],
                     "holidays": sorted(pcal["holidays"]),
                     **({"workdays": pcal["workdays"]} if pcal["workdays"] else {})},
        "status_date": status,
        "currency": currency,
        "hours_per_day": hours_per_day(proj_cal_id),
        "calendar_name": pcal["name"],
        "source_format": "xer",
    }
    if alap:  # P6 keeps an ALAP activity at zero free float
        project["alap"] = "zero_free_float"
    project.update(_critical_setting(r, proj, hours_per_day(proj_cal_id)))
    if other_cal:  # the calendars are scheduled: the project calendar's work periods too
        project["calendar"].update({k: v for k, v in _calendar_dict(pcal).items()
                                    if k in ("working_times", "hours_per_day")})
        project["lag_calendar"] = lag_rule
    parts: dict[str, Any] = {"tasks": tasks, "links": links, "project": project,
                             "computed": comp, "warnings": warnings}
    used = {row["calendar"] for row in rows if row["calendar"]}
    if used:
        parts["calendars"] = {c["name"]: _calendar_dict(c) for c in cals.values()
                              if c["name"] in used}
    if res_recs:
        parts["resources"] = _resource_table(r, tables, res_recs, res_ids)
    if not rows:
        warnings.append("the file holds no activities")
    return parts


def _calendar_dict(c: dict[str, Any]) -> dict[str, Any]:
    """A parsed P6 calendar as a tpmkit calendar's keys (hours per day: its work periods')."""
    times = {d: [f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in m]
             for d, m in zip(DAY_NAMES, c["minutes"] or [[]] * 7) if m}
    if not times:  # no work periods: the stated hours from 08:00
        end = 480 + round(60 * min(float(c["hours"]), 16.0))
        times = {d: [f"08:00-{end // 60:02d}:{end % 60:02d}"]
                 for d, w in zip(DAY_NAMES, c["weekmask"]) if w}
    return {"workweek": [d for d, w in zip(DAY_NAMES, c["weekmask"]) if w],
            "holidays": sorted(c["holidays"]), "working_times": times,
            "hours_per_day": c["hours"], **({"workdays": c["workdays"]} if c["workdays"] else {})}


def _stored_dates(r: _Reader, t: dict[str, str], tid: str, hpd: float) -> dict[str, Any]:
    """P6's stored dates of one activity and its floats [working days].

    ``forecast_start``/``forecast_finish`` are what P6 shows as the activity's start and
    finish after scheduling with the data date: the actual start, else the remaining early
    start (``restart_date``); the actual finish, else the remaining early finish
    (``reend_date``) — as MPXJ reads them.
    """
    actual_start = r.date(t, "act_start_date", "TASK")
    actual_finish = r.date(t, "act_end_date", "TASK")
    return {
        "id": tid,
        "early_start_date": r.date(t, "early_start_date", "TASK"),
        "early_finish_date": r.date(t, "early_end_date", "TASK"),
        "late_start_date": r.date(t, "late_start_date", "TASK"),
        "late_finish_date": r.date(t, "late_end_date", "TASK"),
        "forecast_start_date": actual_start if pd.notna(actual_start)
        else r.date(t, "restart_date", "TASK"),
        "forecast_finish_date": actual_finish if pd.notna(actual_finish)
        else r.date(t, "reend_date", "TASK"),
        "total_float": r.num(t, "total_float_hr_cnt", "TASK") / hpd,
        "free_float": r.num(t, "free_float_hr_cnt", "TASK") / hpd,
    }


def _project_start(r: _Reader, proj: dict[str, str],
                   computed: list[dict[str, Any]]) -> pd.Timestamp:
    """The planned start (or the data date), else the earliest stored early start."""
    start = pd.NaT
    for f in ("plan_start_date", "last_recalc_date"):
        if proj.get(f):
            start = r.date(proj, f, "PROJECT")
            break
    return earliest_stored_start(start, computed)


def _resource_table(r: _Reader, tables: dict[str, list[dict[str, str]]],
                    res_recs: list[dict[str, str]], res_ids: list[str]) -> pd.DataFrame:
    """The resources with their first rate [currency/h] and maximum units [units/h]."""
    rates: dict[str, float] = {}
    for rr in tables.get("RSRCRATE", []):
        rates.setdefault(rr.get("rsrc_id"), r.num(rr, "cost_per_qty", "RSRCRATE"))
    caps: dict[str, float] = {}
    for rr in tables.get("RSRCRATE", []):
        caps.setdefault(rr.get("rsrc_id"), r.num(rr, "max_qty_per_hr", "RSRCRATE", 1.0))
    return pd.DataFrame([
        {"id": i, "name": x.get("rsrc_name") or i,
         "capacity": caps.get(x.get("rsrc_id"), 1.0),
         "cost_per_hour": rates.get(x.get("rsrc_id"), np.nan),
         "type": x.get("rsrc_type", "")} for x, i in zip(res_recs, res_ids)])


def _select_project(name: str, projects: list[dict[str, str]], project_id: str | None,
                    warnings: list[str]) -> dict[str, str]:
    """The PROJECT record to read: ``project_id`` (id or short name), else the first one."""
    proj: dict[str, str] = {}
    if projects:
        if project_id is not None:
            match = [p for p in projects
                     if project_id in (p.get("proj_id"), p.get("proj_short_name"))]
            if not match:
                raise FileFormatError(
                    f"{name}: no project {project_id!r} in the file; it holds "
                    f"{format_ids(p.get('proj_short_name') or p.get('proj_id') for p in projects)}")
            proj = match[0]
        else:
            proj = projects[0]
            if len(projects) > 1:
                warnings.append(
                    f"the file holds {len(projects)} projects "
                    f"({format_ids(p.get('proj_short_name') or p.get('proj_id') for p in projects)}); "
                    f"read {proj.get('proj_short_name') or proj.get('proj_id')!r} — pass "
                    "project_id=... to choose another")
    return proj


def _calendars(r: _Reader, tables: dict[str, list[dict[str, str]]], proj: dict[str, str], warnings: list[str]
               ) -> tuple[dict[str, dict[str, Any]], str | None, dict[str, Any], WorkTime]:
    """Every calendar, the project calendar's id and record, and its working time."""
    cals: dict[str, dict[str, Any]] = {}
    default_cal = None
    for c in tables.get("CALENDAR", []):
        try:
            wm, mins, hol, work = _parse_calendar(c.get("clndr_data", ""))
        except (ValueError, IndexError):
            wm, mins, hol, work = None, None, [], []
        hpd = r.num(c, "day_hr_cnt", "CALENDAR", math.nan)
        if wm is None or not any(wm):
            if c.get("clndr_data"):
                warnings.append(f"calendar {c.get('clndr_name') or c.get('clndr_id')!r} has "
                                "invalid working-time data; Monday–Friday, 8 h/day was used")
            wm = [True] * 5 + [False] * 2
            mins = None
        extra = [d for d in work if not wm[pd.Timestamp(d).day_of_week]]  # extra workdays
        cals[c.get("clndr_id", "")] = {"name": c.get("clndr_name", ""), "weekmask": wm,
                                       "minutes": mins, "holidays": sorted(hol), "hours": hpd,
                                       "working": sorted(set(work) - set(extra)), "workdays": extra}
        if c.get("default_flag") == "Y" and default_cal is None:
            default_cal = c.get("clndr_id")
    proj_cal_id = proj.get("clndr_id") or default_cal or next(iter(cals), None)
    pcal = cals.get(proj_cal_id or "", {"name": "Standard", "weekmask": [True] * 5 + [False] * 2,
                                        "minutes": None, "holidays": [], "working": [],
                                        "workdays": [], "hours": 8.0})
    disagree = []
    for c in cals.values():
        # P6 schedules on the work periods; day_hr_cnt is only how it displays days
        if c["minutes"] is not None:
            periods = WorkTime(c["weekmask"], c["holidays"], c["minutes"]).minutes_per_day() / 60
            if c["hours"] > 0 and abs(c["hours"] - periods) > 1e-6:
                disagree.append(f"{c['name']!r} ({format_number(c['hours'])} h/day stated, "
                                f"{format_number(periods)} h/day of work periods)")
            c["hours"] = periods
        elif not (c["hours"] > 0):
            c["hours"] = 8.0
    if disagree:
        warnings.append(f"calendars {', '.join(disagree)}: day_hr_cnt disagrees with the work "
                        "periods; hours were converted to days with the work periods, as P6 "
                        "schedules them")
    wt = WorkTime(pcal["weekmask"], pcal["holidays"], pcal["minutes"], pcal["workdays"])
    if pcal["working"]:
        warnings.append(f"calendar {pcal['name']!r}: working exceptions on working days "
                        f"({format_ids(pcal['working'])}) keep the weekday's working hours")

    return cals, proj_cal_id, pcal, wt


def _wbs_coder(tables: dict[str, list[dict[str, str]]], pid: str | None) -> Callable[[str | None], str]:
    """WBS codes from the PROJWBS tree (the project node itself is left out)."""
    wbs_nodes = {w.get("wbs_id"): w for w in tables.get("PROJWBS", [])
                 if pid is None or w.get("proj_id") == pid}

    def wbs_code(wbs_id: str | None) -> str:
        parts, seen = [], set()
        while wbs_id in wbs_nodes and wbs_id not in seen:
            seen.add(wbs_id)
            w = wbs_nodes[wbs_id]
            if w.get("proj_node_flag") == "Y":
                break
            parts.append(w.get("wbs_short_name") or w.get("wbs_id", ""))
            wbs_id = w.get("parent_wbs_id")
        return ".".join(reversed(parts))

    return wbs_code


def _kept_activities(tables: dict[str, list[dict[str, str]]], pid: str | None, warnings: list[str]
                     ) -> tuple[list[dict[str, str]], list[str], dict[str, str], dict[str, str]]:
    """The project's activities without level-of-effort and WBS-summary ones, their ids,
    the task_id → id map and each activity's calendar."""
    all_tasks = tables.get("TASK", [])
    tasks_raw = [t for t in all_tasks if pid is None or t.get("proj_id") in (pid, None, "")]
    skipped_types: dict[str, list[str]] = {}
    kept = []
    for t in tasks_raw:
        ttype = t.get("task_type", "")
        if ttype in ("TT_LOE", "TT_WBS"):
            skipped_types.setdefault(ttype, []).append(t.get("task_code") or t.get("task_id"))
            continue
        kept.append(t)
    for ttype, codes in skipped_types.items():
        what = "level-of-effort" if ttype == "TT_LOE" else "WBS-summary"
        warnings.append(f"{what} activities {format_ids(codes)} were left out: their dates "
                        "follow the activities they span, which tpmkit derives from the WBS")
    ids, w = safe_ids([t.get("task_code") or t.get("task_id", "") for t in kept], "activity")
    warnings += w
    id_of = {t.get("task_id"): i for t, i in zip(kept, ids)}
    cal_of = {t.get("task_id"): t.get("clndr_id") for t in kept}

    return kept, ids, id_of, cal_of


def _activity_codes(tables: dict[str, list[dict[str, str]]], id_of: dict[str, str]) -> dict[str, dict[str, str]]:
    """Each activity's code values as ``code_<type>`` columns."""
    code_type = {a.get("actv_code_type_id"): a.get("actv_code_type") or a.get("actv_code_type_id")
                 for a in tables.get("ACTVTYPE", [])}
    code_val = {c.get("actv_code_id"): (c.get("actv_code_type_id"), c.get("short_name")
                                        or c.get("actv_code_name"))
                for c in tables.get("ACTVCODE", [])}
    codes: dict[str, dict[str, str]] = {}
    for ta in tables.get("TASKACTV", []):
        tid = ta.get("task_id")
        ctid, value = code_val.get(ta.get("actv_code_id"), (ta.get("actv_code_type_id"), None))
        if tid in id_of and value is not None:
            col = "code_" + re.sub(r"\W+", "_", str(code_type.get(ctid, ctid))).strip("_").lower()
            codes.setdefault(tid, {})[col] = value

    return codes


def _costs(r: _Reader, tables: dict[str, list[dict[str, str]]], id_of: dict[str, str]
           ) -> tuple[list[dict[str, str]], list[str], dict[str, float], dict[str, float],
                      dict[str, list[tuple[str, float]]]]:
    """Resources, and per activity the budget, actual cost and each assignment's units."""
    res_recs = tables.get("RSRC", [])
    res_ids, w = safe_ids([x.get("rsrc_short_name") or x.get("rsrc_name") or x.get("rsrc_id")
                           for x in res_recs], "resource")
    res_of = {x.get("rsrc_id"): i for x, i in zip(res_recs, res_ids)}
    budget: dict[str, float] = {}
    actual: dict[str, float] = {}
    assigned: dict[str, list[tuple[str, float]]] = {}
    for a in tables.get("TASKRSRC", []):
        tid = a.get("task_id")
        if tid not in id_of:
            continue
        budget[tid] = budget.get(tid, 0.0) + r.num(a, "target_cost", "TASKRSRC", 0.0)
        actual[tid] = actual.get(tid, 0.0) + r.num(a, "act_reg_cost", "TASKRSRC", 0.0) \
            + r.num(a, "act_ot_cost", "TASKRSRC", 0.0)
        rid = res_of.get(a.get("rsrc_id"))
        if rid is not None:
            # several assignments of one resource (e.g. in different roles, at different
            # rates) stay separate demands, as in P6 and MPXJ
            units = r.num(a, "target_qty_per_hr", "TASKRSRC", 1.0)
            assigned.setdefault(tid, []).append((rid, units))
    for c in tables.get("PROJCOST", []):
        tid = c.get("task_id")
        if tid in id_of:
            budget[tid] = budget.get(tid, 0.0) + r.num(c, "target_cost", "PROJCOST", 0.0)
            actual[tid] = actual.get(tid, 0.0) + r.num(c, "act_cost", "PROJCOST", 0.0)

    return res_recs, res_ids, budget, actual, assigned


_LAG_RULES = {"rcal_Predecessor": "predecessor", "rcal_Successor": "successor",
              "rcal_ProjDefault": "project", "rcal_24Hour": "24h"}
_LAG_WORDS = {"predecessor": "predecessor's calendar", "successor": "successor's calendar",
              "project": "project calendar", "24h": "24-hour calendar"}


def _lag_option(tables: dict[str, list[dict[str, str]]], pid: str | None) -> str:
    """P6's SCHEDOPTIONS ``sched_calendar_on_relationship_lag`` (default: predecessor's)."""
    lag_cal = "rcal_Predecessor"
    for so in tables.get("SCHEDOPTIONS", []):
        if pid is None or so.get("proj_id") == pid:
            lag_cal = so.get("sched_calendar_on_relationship_lag") or lag_cal
    return lag_cal


def _links(r: _Reader, tables: dict[str, list[dict[str, str]]], pid: str | None, id_of: dict[str, str],
           cal_of: dict[str, str], pcal: dict[str, Any], proj_cal_id: str | None,
           hours_per_day: Callable[[str | None], float], warnings: list[str]
           ) -> tuple[pd.DataFrame, dict[str, str]]:
    """The relationships, their lags converted on P6's relationship-lag calendar option."""
    name = r.path
    lag_cal = _lag_option(tables, pid)
    link_rows: list[tuple[str, str, str, float, float]] = []
    dropped = []
    for lk in tables.get("TASKPRED", []):
        succ, pred = lk.get("task_id"), lk.get("pred_task_id")
        if succ not in id_of or pred not in id_of:
            if succ in id_of or pred in id_of:
                dropped.append(f"{pred}→{succ}")
            continue
        kind = LINK_TYPES.get((lk.get("pred_type") or "PR_FS").strip())
        if kind is None:
            raise FileFormatError(
                f"{name}: line {lk.get('_line')}: table TASKPRED, field pred_type: "
                f"{lk.get('pred_type')!r} is not a link type; use PR_FS, PR_SS, PR_FF or PR_SF")
        hours = r.num(lk, "lag_hr_cnt", "TASKPRED", 0.0)
        if lag_cal == "rcal_24Hour":
            lag = hours / 24.0 * sum(pcal["weekmask"]) / 7.0
        else:
            cal_id = {"rcal_Successor": cal_of.get(succ),
                      "rcal_ProjDefault": proj_cal_id}.get(lag_cal, cal_of.get(pred))
            lag = hours / hours_per_day(cal_id)
        link_rows.append((pred, succ, kind, lag, 0.0))
    links, _, preds = links_and_text(link_rows, id_of)
    if dropped:
        warnings.append(f"relationships to activities outside the project or left out were "
                        f"dropped: {format_ids(dropped)}")
    if lag_cal == "rcal_24Hour":
        warnings.append("relationship lags use P6's 24-hour calendar; they were converted to "
                        f"working days at {sum(pcal['weekmask'])}/7 working days per calendar day")

    return links, preds


def _critical_setting(r: _Reader, proj: dict[str, str], hpd: float) -> dict[str, Any]:
    """P6's critical activities: ``critical_path_type`` ``CT_DrivPath`` (the longest path) or
    ``CT_TotFloat`` (total float ≤ ``critical_drtn_hr_cnt`` hours)."""
    kind = {"CT_DrivPath": "longest_path", "CT_TotFloat": "total_float"}.get(
        (proj.get("critical_path_type") or "").strip() if proj else "")
    return {} if kind is None else {"critical": kind} if kind == "longest_path" else {
        "critical": kind, "critical_float": r.num(proj, "critical_drtn_hr_cnt", "PROJECT", 0.0) / hpd}


# long function: one activity's duration, progress and constraint fields, each with its check
def _activity_row(r: _Reader, t: dict[str, str], tid: str, hpd: float, proj: dict[str, str],
                  alap: list[str], clamped: list[str], warnings: list[str]
                  ) -> tuple[float, float, float, str, str, pd.Timestamp]:
    """Duration, remaining duration [working days], percentage complete (clamped to 0–100,
    the clamped ids added to ``clamped``), its type and the constraint of one activity."""
    name = r.path
    target = r.num(t, "target_drtn_hr_cnt", "TASK")
    remain = r.num(t, "remain_drtn_hr_cnt", "TASK")
    hours = target if not math.isnan(target) else remain
    if math.isnan(hours):
        hours = 0.0
    ttype = t.get("task_type", "")
    milestone = ttype in ("TT_Mile", "TT_FinMile")
    duration = 0.0 if milestone else hours / hpd
    if duration < 0 or remain < 0:
        field, value = ("target_drtn_hr_cnt", hours) if duration < 0 else ("remain_drtn_hr_cnt",
                                                                           remain)
        raise FileFormatError(f"{name}: line {t.get('_line')}: table TASK, field "
                              f"{field}: negative duration {value}")
    complete = t.get("status_code") == "TK_Complete"
    # P6 schedules the remaining work on remain_drtn_hr_cnt, whatever the percent-complete
    # type says; more remaining than planned is legal (a slipping activity)
    remaining = 0.0 if complete or milestone else (
        remain / hpd if not math.isnan(remain) else math.nan)
    pct_type = t.get("complete_pct_type") or proj.get("def_complete_pct_type") or "CP_Drtn"
    if t.get("_pct"):  # PMXML states the percentage directly
        pct = r.num(t, "_pct", "Activity")
    elif complete:
        pct = 100.0
    elif pct_type == "CP_Phys":
        pct = r.num(t, "phys_complete_pct", "TASK", 0.0)
    elif pct_type == "CP_Units":
        done = r.num(t, "act_work_qty", "TASK", 0.0)
        left = r.num(t, "remain_work_qty", "TASK", 0.0)
        pct = 100.0 * done / (done + left) if done + left > 0 else 0.0
    else:
        pct = 100.0 * (target - remain) / target if target and target > 0 \
            and not math.isnan(remain) else 0.0
    if not 0.0 <= pct <= 100.0:  # remaining above the original: P6 shows 0 %
        clamped.append(tid)
        pct = min(max(pct, 0.0), 100.0)
    cstr = (t.get("cstr_type") or "").strip()
    constraint, cdate = "", pd.NaT
    if cstr == "CS_ALAP":
        alap.append(tid)
        constraint = "ALAP"
    elif cstr:
        constraint = _CONSTRAINTS.get(cstr, "")
        if not constraint:
            raise FileFormatError(f"{name}: line {t.get('_line')}: table TASK, field "
                                  f"cstr_type: unknown constraint {cstr!r}")
        cdate = r.date(t, "cstr_date", "TASK")
        if pd.isna(cdate):
            constraint = ""
        else:
            cdate = cdate.normalize()
    if (t.get("cstr_type2") or "").strip():
        warnings.append(f"activity {tid}: the secondary constraint "
                        f"{t.get('cstr_type2')} was ignored (tpmkit keeps one per task)")
    return duration, remaining, pct, pct_type, constraint, cdate

def read_pmxml_parts(path: str | os.PathLike, *, max_bytes: int | None = None,
                     project_id: str | None = None, **settings: Any) -> dict[str, Any]:
    """Read a Primavera P6 PMXML file (``APIBusinessObjects``) into the parts of a project.

    The PMXML elements are mapped onto the XER tables (Activity → TASK, Relationship →
    TASKPRED, Calendar → CALENDAR, WBS → PROJWBS, Resource/ResourceRate/ResourceAssignment,
    ActivityExpense, activity codes), so both formats follow exactly the same conversion
    rules; percentages are taken as stored (PMXML states them directly, as fractions).

    Parameters
    ----------
    path : path-like
        The ``.xml``/``.pmxml`` file.
    max_bytes : int, optional
        Size limit [bytes].
    project_id : str, optional
        ``Id`` or ``ObjectId`` of the project to read when the file holds several.
    **settings
        Accepted for the front door's protocol (applied by the model).

    Returns
    -------
    dict
        As :func:`read_parts`.

    Raises
    ------
    FileFormatError
        Not a PMXML file, unsafe XML, or a field that cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.xml"
    >>> _ = p.write_text(
    ...     "<APIBusinessObjects><Project><ObjectId>1</ObjectId><Id>P</Id>"
    ...     "<Activity><ObjectId>10</ObjectId><Id>A</Id><PlannedDuration>16</PlannedDuration>"
    ...     "</Activity><Activity><ObjectId>11</ObjectId><Id>B</Id>"
    ...     "<PlannedDuration>8</PlannedDuration></Activity><Relationship>"
    ...     "<PredecessorActivityObjectId>10</PredecessorActivityObjectId>"
    ...     "<SuccessorActivityObjectId>11</SuccessorActivityObjectId>"
    ...     "<Type>Start to Start</Type><Lag>8</Lag></Relationship></Project>"
    ...     "</APIBusinessObjects>")
    >>> read_pmxml_parts(p)["tasks"][["id", "duration", "predecessors"]].to_dict("records")
    [{'id': 'A', 'duration': 2.0, 'predecessors': ''}, {'id': 'B', 'duration': 1.0, 'predecessors': 'A SS+1d'}]
    """
    from tpmkit.io._xml import parse_xml

    name = str(path)
    root = parse_xml(path, max_bytes=max_bytes)
    if root.tag != "APIBusinessObjects":
        raise FileFormatError(f"{name}: not a Primavera PMXML file: the root element is "
                              f"<{root.tag}>, expected <APIBusinessObjects>")

    tables = pmxml_tables(root, name)
    parts = _assemble(name, tables, project_id)
    parts["project"]["source_format"] = "pmxml"
    return parts
