"""MPX (Microsoft Project Exchange, MS Project 4.0–98) import.

MPX is a delimited text format: the first line ``MPX<sep>program<sep>version<sep>codepage``
fixes the separator (usually ``,``) and the code page; every other line is a record
whose first field is its type: 10 currency, 11 default settings (hours per day and per
week), 12 date/time settings (date order 0 = M/D/Y, 1 = D/M/Y, 2 = Y/M/D), 20 base
calendar (Sun..Sat: 0 non-working, 1 working), 25 calendar hours, 26 calendar exception,
30 project header, 41 resource field codes, 50 resource, 61 task field codes, 70 task,
75 resource assignment. Durations are text with units (``2d``, ``16h``, ``1w``,
``1mo``, elapsed ``2ed``); predecessors are MS-Project style ``3FS+1d`` lists.

References
----------
Microsoft, "MPX Field Definitions" (Microsoft Project 98 resource kit, MPXFILE.DOC);
J. Iles, MPXJ ``MPXReader`` (https://www.mpxj.org).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import FileFormatError, format_ids, quote
from tpmkit.io._xml import (
    DAY_NAMES,
    WorkTime,
    computed_frame,
    earliest_stored_start,
    format_number,
    links_and_text,
    read_bytes,
    safe_ids,
    task_frame,
)
from tpmkit.model.calendar import DATE_MAX, DATE_MIN

__all__ = ["read_parts"]

_TASK_FIELDS = {1: "name", 2: "wbs", 3: "outline_level", 30: "cost_total", 31: "baseline_cost",
                32: "actual_cost", 35: "fixed_cost", 40: "duration", 44: "percent_complete",
                50: "start", 51: "finish", 52: "early_start", 53: "early_finish",
                54: "late_start", 55: "late_finish", 56: "baseline_start",
                57: "baseline_finish", 58: "actual_start", 59: "actual_finish",
                68: "constraint_date", 70: "predecessors", 81: "milestone", 90: "id",
                91: "constraint_type", 93: "free_slack", 94: "total_slack", 98: "unique_id",
                120: "summary"}
_CONSTRAINTS = {"as soon as possible": "", "as late as possible": "ALAP",
                "must start on": "MSO", "must finish on": "MFO",
                "start no earlier than": "SNET", "start no later than": "SNLT",
                "finish no earlier than": "FNET", "finish no later than": "FNLT",
                "0": "", "1": "ALAP", "2": "MSO", "3": "MFO", "4": "SNET", "5": "SNLT",
                "6": "FNET", "7": "FNLT"}
_DUR = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(e?)(mo|m|h|d|w|y|%)?\??\s*$", re.I)
_LINK = re.compile(r"^\s*(\d+)\s*(FS|SS|FF|SF)?\s*(?:([+-])\s*(\d+(?:[.,]\d+)?)\s*(e?)(mo|m|h|d|w|y|%)?\??)?\s*$",
                   re.I)
_CODEPAGES = {"ANSI": "cp1252", "MAC": "mac_roman", "850": "cp850", "437": "cp437",
              "DOS": "cp437"}


class _Units:
    def __init__(self, hpd: float, hpw: float, dpm: float, wdays: int):
        self.days = {"m": 1 / (60 * hpd), "h": 1 / hpd, "d": 1.0, "w": hpw / hpd,
                     "mo": dpm, "y": dpm * 12}
        self.wdays = wdays

    def to_days(self, value: float, elapsed: bool, unit: str) -> float:
        unit = (unit or "d").lower()
        if elapsed:  # clock time: 24 h days, 7-day weeks, 30-day months
            cal = {"m": 1 / 1440, "h": 1 / 24, "d": 1.0, "w": 7.0, "mo": 30.0, "y": 365.0}
            return value * cal.get(unit, 1.0) * self.wdays / 7.0
        return value * self.days.get(unit, 1.0)


def read_parts(path: str | os.PathLike, *, max_bytes: int | None = None,
               **settings: Any) -> dict[str, Any]:
    """Read an MPX file into the parts of a tpmkit project.

    Parameters
    ----------
    path : path-like
        The ``.mpx`` file.
    max_bytes : int, optional
        Size limit [bytes].
    **settings
        Accepted for the front door's protocol (applied by the model).

    Returns
    -------
    dict
        ``tasks`` (ids are MS Project task IDs), ``project``, ``resources``, ``computed``
        (the stored early/late dates as working-day offsets, total/free slack [working
        days]) and ``warnings``.

    Raises
    ------
    FileFormatError
        Not an MPX file, or a value that cannot be read (names the line and the field).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.mpx"
    >>> _ = p.write_text("MPX,Microsoft Project for Windows,4.0,ANSI\\n"
    ...                  "61,90,1,40,70\\n70,1,Design,2d,\\n70,2,Build,3d,1SS+1d\\n")
    >>> read_parts(p)["tasks"][["id", "duration", "predecessors"]].to_dict("records")
    [{'id': '1', 'duration': 2.0, 'predecessors': ''}, {'id': '2', 'duration': 3.0, 'predecessors': '1 SS+1d'}]
    """
    name = str(path)
    rows = _decode(read_bytes(path, max_bytes), name)
    warnings: list[str] = []
    rec = _read_records(rows, name, warnings)
    weekmask = rec.weekmask
    day_minutes = [rec.minutes[k] if rec.minutes[k]
                   else ([(480, 720), (780, 1020)] if weekmask[k] else [])
                   for k in range(7)]
    if not any(weekmask):
        weekmask = [True] * 5 + [False] * 2
    # a working exception on a weekday the week does not work: an extra workday (on a
    # working weekday it changes nothing but the hours, which whole days do not use)
    workdays = sorted({d for d in rec.working if not weekmask[pd.Timestamp(d).day_of_week]}
                      - set(rec.holidays))
    wt = WorkTime(weekmask, rec.holidays, day_minutes, workdays)
    units = _Units(rec.hpd, rec.hpw, rec.dpm, sum(weekmask))

    # task rows (ID 0 is the project summary)
    recs = [(n, v) for n, v in rec.tasks_raw if v.get("id", "") not in ("0", "")
            or (not v.get("id") and v.get("unique_id") not in ("0",))]
    ids0 = [v.get("id") or v.get("unique_id") or str(k + 1) for k, (n, v) in enumerate(recs)]
    ids, w = safe_ids(ids0)
    warnings += w
    id_of = dict(zip(ids0, ids))
    is_summary, wbs_codes, leaves = _outline(recs, ids0, name)

    start = _date(rec.project_start, rec.date_order, (name, 0, "project start (record 30)"))
    elapsed: list[str] = []
    links, moved, preds_of = _links(recs, ids0, id_of, leaves, units, name, warnings, elapsed)
    rows, computed = _task_rows(recs, ids0, id_of, is_summary, wbs_codes, preds_of, units,
                                rec.date_order, name, elapsed)
    if moved:
        warnings.append(f"links on summary tasks {format_ids(sorted(set(moved)))} were moved "
                        "to their subtasks (tpmkit derives summaries from the WBS)")
    if elapsed:
        warnings.append(f"tasks {format_ids(sorted(set(elapsed)))} have elapsed durations or "
                        f"lags; converted at {sum(weekmask)}/7 working days per calendar day")
    res_ids = _assignments(rec, recs, rows, name)

    start = earliest_stored_start(start, computed)
    comp = _computed_offsets(computed, start, rec.default_start, wt)
    parts: dict[str, Any] = {
        "tasks": task_frame(rows),
        "links": links,
        "project": {"name": rec.project_name or Path(name).stem,
                    "start": start.date().isoformat() if pd.notna(start) else None,
                    "calendar": {"workweek": [d for d, x in zip(DAY_NAMES, weekmask) if x],
                                 "holidays": sorted(set(rec.holidays)),
                                 **({"workdays": workdays} if workdays else {})},
                    "hours_per_day": rec.hpd, "source_format": "mpx"},
        "computed": comp, "warnings": warnings,
    }
    if rec.res_raw:
        parts["resources"] = pd.DataFrame({
            "id": res_ids, "name": [r.get(1, "") for _, r in rec.res_raw],
            "capacity": [_num(name, (r.get(41) or "100").rstrip("%"), n, "Max Units", 100.0)
                         / 100.0 for n, r in rec.res_raw]})
    if not rows:
        warnings.append("the file holds no tasks")
    return parts


def _err(name: str, line: int, field: str, value: object, fix: str) -> FileFormatError:
    return FileFormatError(f"{name}: line {line}: field {field}: {value!r} {fix}")


def _num(name: str, v: str, line: int, field: str, default: float) -> float:
    v = (v or "").strip().replace(",", ".")
    if not v:
        return default
    try:
        x = float(v)
    except ValueError:
        raise _err(name, line, field, v, "is not a number") from None
    if not math.isfinite(x):
        raise _err(name, line, field, v, "is not a finite number")
    return x


def _hhmm(v: str) -> int:
    m = re.match(r"^\s*(\d{1,2})[:.](\d{2})\s*(am|pm)?\s*$", v or "", re.I)
    if not m:
        return 0
    h, mi = int(m.group(1)), int(m.group(2))
    if m.group(3):
        h = h % 12 + (12 if m.group(3).lower() == "pm" else 0)
    return h * 60 + mi


def _duration(name: str, units: _Units, v: str, line: int,
              field: str) -> tuple[float, bool, bool]:
    """→ (working days or fraction for %, elapsed?, percent?)"""
    if not v or v.upper() == "NA":
        return math.nan, False, False
    m = _DUR.match(v)
    if not m:
        raise _err(name, line, field, v, "is not a duration such as 2d, 16h, 1w or 2ed")
    value = float(m.group(1).replace(",", "."))
    if m.group(3) == "%":
        return value / 100.0, bool(m.group(2)), True
    return units.to_days(value, bool(m.group(2)), m.group(3) or "d"), bool(m.group(2)), False


def _decode(data: bytes, name: str) -> list[list[str]]:
    """The records of the file: check the ``MPX`` header, decode its code page, split fields."""
    head = data[:200].decode("latin-1")
    if not head.startswith("MPX") or len(head) < 4:
        raise FileFormatError(f"{name}: not an MPX file: line 1 must start with 'MPX,'; "
                              "save the plan from MS Project 98 (or MPXJ) as MPX")
    sep = head[3]
    first = head.splitlines()[0].split(sep)
    enc = _CODEPAGES.get(first[3].strip().upper() if len(first) > 3 else "ANSI", "cp1252")
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        text = data.decode("cp1252", errors="replace")
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    except csv.Error as exc:
        raise FileFormatError(f"{name}: malformed MPX record ({exc}); records end in CR LF or LF "
                              f"and fields are limited to {csv.field_size_limit()} characters: "
                              "export the file again") from None
    return rows


@dataclass
class _Records:
    """What the record loop collects: settings, the project calendar, raw tasks and resources."""

    hpd: float
    hpw: float
    dpm: float
    date_order: int
    default_start: int
    weekmask: list[bool]
    minutes: list[list[tuple[int, int]] | None]
    holidays: list[str]
    working: list[str]  # dates of working exceptions
    tasks_raw: list[tuple[int, dict[str, str]]]
    res_raw: list[tuple[int, dict[int, str]]]
    assign: list[tuple[int, list[str]]]
    project_name: str
    project_start: str


def _read_records(rows: list[list[str]], name: str, warnings: list[str]) -> _Records:
    """Walk the records once: settings (11, 12), the first base calendar (20, 25, 26),
    the project header (30), resources (41, 50), tasks (61, 70) and assignments (75)."""
    hpd, hpw, dpm, date_order, default_start = 8.0, 40.0, 20.0, 1, 480
    weekmask = [True] * 5 + [False] * 2
    minutes: list[list[tuple[int, int]] | None] = [None] * 7
    holidays: list[str] = []
    working: list[str] = []
    cal_seen = False
    task_codes: list[int] = []
    res_codes: list[int] = []
    tasks_raw: list[tuple[int, dict[str, str]]] = []
    res_raw: list[tuple[int, dict[int, str]]] = []
    assign: list[tuple[int, list[str]]] = []
    project_name, project_start = "", ""

    in_calendar = False
    for n, rec in enumerate(rows, start=1):
        if not rec or n == 1:
            continue
        kind = rec[0].strip()
        if kind == "11" and len(rec) > 5:
            hpd = _num(name, rec[4], n, "default hours per day", 8.0) or 8.0
            hpw = _num(name, rec[5], n, "default hours per week", 40.0) or 40.0
        elif kind == "12":
            date_order = int(_num(name, rec[1], n, "date order", 1.0)) if len(rec) > 1 else 1
            if len(rec) > 3:
                default_start = int(_num(name, rec[3], n, "default start time", 480.0))
            if len(rec) > 10:
                dpm = _num(name, rec[10], n, "days per month", 20.0) or 20.0
        elif kind == "20":
            in_calendar = not cal_seen  # the first base calendar is the project calendar
            if in_calendar:
                cal_seen = True
                flags = (rec[2:9] + ["1"] * 7)[:7]
                # Sun..Sat → Mon..Sun
                weekmask = [flags[(k + 1) % 7].strip() != "0" for k in range(7)]
        elif kind == "25" and in_calendar and len(rec) > 1:
            day = int(_num(name, rec[1], n, "calendar day", 1.0))
            times = [_hhmm(x) for x in rec[2:] if x.strip()]
            iv = [(a, b if b > a else b + 1440) for a, b in zip(times[0::2], times[1::2])]
            minutes[(day + 5) % 7] = iv
        elif kind == "26" and in_calendar and len(rec) > 2:
            f, t = (_date(rec[1], date_order, (name, n, "calendar exception from")),
                    _date(rec[2], date_order, (name, n, "calendar exception to")))
            if pd.notna(f):
                days = [d.date().isoformat() for d in pd.date_range(
                    f.normalize(), (t if pd.notna(t) else f).normalize())]
                (working if len(rec) > 3 and rec[3].strip() == "1" else holidays).extend(days)
        elif kind in ("21", "22", "23", "40", "50", "60", "70", "75"):
            in_calendar = False if kind not in ("25", "26") else in_calendar
        if kind == "30":
            project_name = rec[1] if len(rec) > 1 else ""
            project_start = rec[5] if len(rec) > 5 else ""
        elif kind == "41":
            res_codes = [int(_num(name, c, n, "resource field code", 0)) for c in rec[1:] if c.strip()]
        elif kind == "50":
            res_raw.append((n, {c: v for c, v in zip(res_codes, rec[1:])}))
        elif kind == "61":
            task_codes = [int(_num(name, c, n, "task field code", 0)) for c in rec[1:] if c.strip()]
        elif kind == "70":
            if not task_codes:
                raise _err(name, n, "record type", "70", "(a task) appears before the task field "
                          "list (record 61); export the file again")
            vals = {}
            for c, v in zip(task_codes, rec[1:]):
                if c in _TASK_FIELDS:
                    vals[_TASK_FIELDS[c]] = v.strip()
            tasks_raw.append((n, vals))
        elif kind == "75" and tasks_raw:
            assign.append((len(tasks_raw) - 1, rec[1:]))
    return _Records(hpd, hpw, dpm, date_order, default_start, weekmask, minutes, holidays,
                    working, tasks_raw, res_raw, assign, project_name, project_start)


def _outline(recs: list[tuple[int, dict[str, str]]], ids0: list[str],
             name: str) -> tuple[list[bool], list[str], dict[str, list[str]]]:
    """Summary flags, WBS codes from the outline levels, and each summary's leaf tasks."""
    outline: list[tuple[int, bool]] = []
    for n, v in recs:
        lvl = int(_num(name, v.get("outline_level", ""), n, "Outline Level", 1))
        outline.append((lvl, v.get("summary", "").lower() in ("yes", "1", "true")))
    # a row followed by a deeper row is a summary even when the flag is missing
    is_summary = [s or (k + 1 < len(outline) and outline[k + 1][0] > outline[k][0])
                  for k, (_, s) in enumerate(outline)]
    wbs_codes, counters = [], [0] * 64
    for lvl, _ in outline:
        lvl = max(1, min(lvl, 63))
        counters[lvl] += 1
        counters[lvl + 1:] = [0] * (63 - lvl)
        wbs_codes.append(".".join(str(c) for c in counters[1:lvl + 1]))
    leaves: dict[str, list[str]] = {}
    for k, (lvl, _) in enumerate(outline):
        if is_summary[k]:
            leaves.setdefault(ids0[k], [])
            j = k + 1
            while j < len(outline) and outline[j][0] > lvl:
                if not is_summary[j]:
                    leaves.setdefault(ids0[k], []).append(ids0[j])
                j += 1
    return is_summary, wbs_codes, leaves


def _links(recs: list[tuple[int, dict[str, str]]], ids0: list[str], id_of: dict[str, str],
           leaves: dict[str, list[str]], units: _Units, name: str, warnings: list[str],
           elapsed: list[str]) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """The links from the Predecessors fields; the moved summary ids and predecessors texts."""
    link_rows: list[tuple[str, str, str, float, float]] = []
    for (n, v), raw_id in zip(recs, ids0):
        for token in _split_links(v.get("predecessors", "")):
            m = _LINK.match(token)
            if not m:
                raise _err(name, n, "Predecessors", token, "is not a link such as 3FS+1d")
            pid, kind = m.group(1), (m.group(2) or "FS").upper()
            lag_days, lag_pct = 0.0, 0.0
            if m.group(4):
                value = float(m.group(4).replace(",", ".")) * (-1 if m.group(3) == "-" else 1)
                if m.group(6) == "%":
                    lag_pct = value / 100.0
                else:
                    lag_days = units.to_days(value, bool(m.group(5)), m.group(6) or "d")
                    if m.group(5):
                        elapsed.append(raw_id)
            if pid not in id_of:
                warnings.append(f"task {raw_id}: predecessor {pid} is not in the file; "
                                "link dropped")
                continue
            link_rows.append((pid, raw_id, kind, lag_days, lag_pct))
    links, moved_pairs, preds_of = links_and_text(link_rows, id_of, leaves)
    moved = [x for pair in moved_pairs for x in pair if x in leaves]
    return links, moved, preds_of


def _task_rows(recs: list[tuple[int, dict[str, str]]], ids0: list[str], id_of: dict[str, str],
               is_summary: list[bool], wbs_codes: list[str], preds_of: dict[str, str],
               units: _Units, date_order: int, name: str, elapsed: list[str]
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One row per leaf task, and its stored dates and slacks as ``computed``."""
    rows, computed = [], []
    for k, ((n, v), raw_id) in enumerate(zip(recs, ids0)):
        if is_summary[k]:
            continue
        d, el, _ = _duration(name, units, v.get("duration", ""), n, "Duration")
        if el:
            elapsed.append(raw_id)
        if v.get("milestone", "").lower() in ("yes", "1") and (math.isnan(d) or d == 0):
            d = 0.0
        if math.isnan(d) or d < 0:
            raise _err(name, n, "Duration", v.get("duration"), "must be a duration ≥ 0 such as 2d")
        con = _CONSTRAINTS.get(v.get("constraint_type", "").strip().lower(), "")
        cdate = pd.NaT
        if con and con != "ALAP":
            cdate = _date(v.get("constraint_date", ""), date_order, (name, n, "constraint_date"))
            if pd.isna(cdate):
                con = ""
            else:
                cdate = cdate.normalize()
        money = {f: _money(v.get(f, ""), n, f, name)
                 for f in ("fixed_cost", "baseline_cost", "actual_cost")}
        pct = v.get("percent_complete", "").rstrip("%")
        rows.append({"id": id_of[raw_id], "name": v.get("name", ""), "duration": d,
                     "predecessors": preds_of.get(raw_id, ""),
                     "wbs": v.get("wbs") or wbs_codes[k], "constraint": con,
                     "constraint_date": cdate, "cost": money["fixed_cost"],
                     "baseline_cost": money["baseline_cost"], "actual_cost": money["actual_cost"],
                     "baseline_start": _date(v.get("baseline_start", ""), date_order, (name, n, "baseline_start")),
                     "baseline_finish": _date(v.get("baseline_finish", ""), date_order, (name, n, "baseline_finish")),
                     "actual_start": _date(v.get("actual_start", ""), date_order, (name, n, "actual_start")),
                     "actual_finish": _date(v.get("actual_finish", ""), date_order, (name, n, "actual_finish")),
                     "percent_complete": _num(name, pct, n, "% Complete", math.nan),
                     "_row": k})
        ts = _duration(name, units, v.get("total_slack", ""), n, "Total Slack")[0]
        fs = _duration(name, units, v.get("free_slack", ""), n, "Free Slack")[0]
        computed.append({"id": id_of[raw_id], "_milestone": d == 0,
                         **{f"{c}_date": _date(v.get(c, ""), date_order, (name, n, c))
                            for c in ("early_start", "early_finish", "late_start",
                                      "late_finish")},
                         "total_float": ts, "free_float": fs})
    return rows, computed


def _assignments(rec: _Records, recs: list[tuple[int, dict[str, str]]],
                 rows: list[dict[str, Any]], name: str) -> list[str]:
    """Fill each row's ``resources`` from the assignments (record 75: resource ID, units, ...)."""
    res_ids, w = safe_ids([r.get(1) or r.get(40, "") for _, r in rec.res_raw], "resource")
    res_by_id = {r.get(40, ""): i for (_, r), i in zip(rec.res_raw, res_ids)}
    by_row: dict[int, list[str]] = {}
    for k, a in rec.assign:
        if a and a[0].strip() in res_by_id:
            u = (a[1] if len(a) > 1 else "1").strip().rstrip("%")
            val = _num(name, u, 0, "assignment units", 1.0)
            val = val / 100.0 if (len(a) > 1 and a[1].strip().endswith("%")) or val > 10 \
                else val
            by_row.setdefault(k, []).append(f"{res_by_id[a[0].strip()]}:{format_number(val)}")
    rec_index = {id(v): k for k, (_, v) in enumerate(rec.tasks_raw)}
    recs_pos = [rec_index[id(v)] for _, v in recs]
    for r in rows:
        r["resources"] = "; ".join(by_row.get(recs_pos[r.pop("_row")], []))
    return res_ids


def _computed_offsets(computed: list[dict[str, Any]], start: pd.Timestamp, default_start: int,
                      wt: WorkTime) -> pd.DataFrame:
    """The stored dates as working-day offsets from the project start (``computed``)."""
    comp = computed_frame(computed)
    if not comp.empty:
        milestone = comp.pop("_milestone").to_numpy(dtype=bool)
        if pd.notna(start):
            t0 = start.normalize() + pd.Timedelta(minutes=default_start)
            origin = wt.offsets([t0], t0)[0]
            for c in ("early_start", "late_start", "early_finish", "late_finish"):
                dates = comp[f"{c}_date"]
                has_time = ((dates.dt.hour != 0) | (dates.dt.minute != 0)).to_numpy()
                off = wt.offsets(dates.to_numpy(), t0) - origin
                # date-only values: a start is the beginning of its day, a finish its end;
                # a milestone sits at the end of its day unless it is on the first day
                if c.endswith("finish"):
                    whole = off + np.where(milestone & (off == 0), 0.0, 1.0)
                else:
                    whole = off + np.where(milestone & (off > 0), 1.0, 0.0)
                comp[c] = np.where(has_time, off, whole)
    return comp


def _split_links(text: str) -> list[str]:
    return [t for t in re.split(r"[,;]", text or "") if t.strip()]


def _money(v: str, line: int, field: str, path: str) -> float:
    s = re.sub(r"[^\d.,\-]", "", v or "")
    if not s:
        return math.nan
    if s.count(",") and s.count("."):
        s = s.replace(",", "")
    else:
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        raise FileFormatError(f"{path}: line {line}: field {field}: {v!r} is not an "
                              "amount") from None


def _date(v: str, order: int, where: tuple[str, int, str] | None = None) -> pd.Timestamp:
    """Parse an MPX date such as ``Fri 17/10/14``, ``07/02/2006`` or ``17/10/14 08:00``.

    ``where`` (file, line, field) names a date outside the supported range in the error."""
    s = (v or "").strip()
    if not s or s.upper() == "NA":
        return pd.NaT
    s = re.sub(r"^[A-Za-z]+\.?\s+", "", s)  # weekday name
    m = re.match(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:\s+(\d{1,2})[:.](\d{2})\s*(am|pm)?)?$",
                 s, re.I)
    if not m:
        return pd.NaT
    a, b, c = int(m.group(1)), int(m.group(2)), int(m.group(3))
    y, mo, d = {0: (c, a, b), 1: (c, b, a), 2: (a, b, c)}.get(order, (c, b, a))
    if y < 100:
        y += 2000 if y < 70 else 1900
    h = int(m.group(4) or 0)
    mi = int(m.group(5) or 0)
    if m.group(6):
        h = h % 12 + (12 if m.group(6).lower() == "pm" else 0)
    try:
        ts = pd.Timestamp(year=y, month=mo, day=d, hour=h, minute=mi)
    except ValueError:
        return pd.NaT
    if where is not None and not DATE_MIN <= ts.normalize() <= DATE_MAX:
        name, line, field = where
        raise FileFormatError(f"{name}: {f'line {line}: ' if line else ''}field {field}: {quote(v)} is "
                              f"outside the supported range {DATE_MIN.date()} … {DATE_MAX.date()}; "
                              "correct the date in MS Project and export again")
    return ts
