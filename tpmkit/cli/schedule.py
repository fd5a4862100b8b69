"""``tpmkit schedule FILE [--start DATE] [--deadline D] [--status-date DATE] [--progress OPTION]
[--json] [--csv OUT]``."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from tpmkit._core.codes import EPS
from tpmkit.cli._common import (
    add_input_arguments,
    date_or_days,
    load_project,
    print_json,
    write_text_atomic,
)
from tpmkit.cli._format import critical_definition, critical_sequence, day, days
from tpmkit.cpm import CRITICAL_RULES, ScheduleResult, schedule
from tpmkit.errors import format_ids
from tpmkit.model.progress import PROGRESS_OPTIONS

HELP = "CPM/PDM schedule: early/late dates, total and free float, the critical path"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--deadline", metavar="DATE|DAYS",
                        help="finish deadline for the backward pass (date or working days)")
    parser.add_argument("--csv", metavar="OUT", help="also write the schedule table to OUT (CSV)")
    parser.add_argument("--critical", choices=CRITICAL_RULES,
                        help="which tasks are critical: lowest_float (the lowest total float; "
                             "the default unless the file says), total_float (total float ≤ "
                             "--critical-float, as MS Project and P6) or longest_path (P6)")
    parser.add_argument("--critical-float", metavar="DAYS", type=float,
                        help="with --critical total_float: the threshold in working days "
                             "(default the file's, else 0)")
    add_progress_arguments(parser)


def add_progress_arguments(parser: argparse.ArgumentParser) -> None:
    """``--status-date`` and ``--progress`` (shared by ``schedule`` and ``risk``)."""
    parser.add_argument("--status-date", metavar="DATE",
                        help="status (data) date: forecast the remaining work from the progress "
                             "at that date; default the file's status_date")
    parser.add_argument("--progress", choices=PROGRESS_OPTIONS, default="retained_logic",
                        help="out-of-sequence progress with a status date: retained_logic "
                             "(default), progress_override or actual_dates (as Primavera P6)")


_TASK_FIELDS = ("name", "duration", "early_start", "early_finish", "late_start", "late_finish",
                "total_float", "free_float", "critical", "near_critical",
                "driving_predecessor", "driven_by")
_DATE_FIELDS = ("early_start_date", "early_finish_date", "late_start_date", "late_finish_date")
_FORECAST_FIELDS = ("forecast_start", "forecast_finish", "remaining_duration", "status",
                    "finish_variance")
_FORECAST_DATES = ("forecast_start_date", "forecast_finish_date")


def _column_values(col: pd.Series) -> list:
    """One column as JSON-ready Python values (dates as ISO strings, missing and infinite
    numbers as None), converted per column, not per value."""
    if pd.api.types.is_datetime64_any_dtype(col):
        iso = col.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        iso[col.isna().to_numpy()] = None
        return iso.tolist()
    if pd.api.types.is_float_dtype(col):
        values = col.to_numpy(dtype=np.float64)
        bad = ~np.isfinite(values)
        if bad.any():
            out = np.asarray(values.tolist(), dtype=object)
            out[bad] = None
            return out.tolist()
        return values.tolist()
    na = col.isna().to_numpy()
    if na.any():  # a missing text (the driving predecessor of a start task) is None
        values = np.array(col.to_numpy(dtype=object), dtype=object)
        values[na] = None
        return values.tolist()
    return col.tolist()


def schedule_json(project, result: ScheduleResult) -> dict:
    """The ``--json`` object (also used by other commands that print a schedule)."""
    table = result.table
    dated = "early_start_date" in table
    fields = _TASK_FIELDS + (_DATE_FIELDS if dated else ())
    if result.status_date is not None:
        fields += _FORECAST_FIELDS + (_FORECAST_DATES if dated else ())
    # whole columns at once: iterrows builds a Series per row, far too slow on 20,000 tasks
    columns = [table.index.tolist()] + [_column_values(table[c]) for c in fields]
    keys = ("id", *fields)
    tasks = [dict(zip(keys, values)) for values in zip(*columns)]
    proj = {"name": project.name, "duration": result.duration,
            "critical_path": result.critical_path,
            "driving_path": result.driving_path, "deadline": result.deadline}
    if project.start is not None:
        proj["start"] = project.start
        proj["finish"] = result.finish_date
    if result.status_date is not None:
        proj["status_date"] = result.status_date
        proj["progress"] = result.progress
        proj["forecast_finish"] = result.finish_date
    return {"project": proj, "tasks": tasks}


def format_table(sched: pd.DataFrame) -> str:
    """A human-readable schedule table: ``*`` marks critical tasks, days to two decimals."""
    cols = ["name", "duration", "early_start", "early_finish", "late_start", "late_finish",
            "total_float", "free_float"]
    if "early_start_date" in sched:
        cols += ["early_start_date", "early_finish_date"]
    t = sched[cols].copy()
    t["name"] = t["name"].astype(str).str.slice(0, 34)
    t.insert(0, "crit", sched["critical"].map({True: "*", False: ""}))
    for c in cols[1:8]:
        t[c] = t[c].map(days)
    for c in ("early_start_date", "early_finish_date"):
        if c in t:
            t[c] = t[c].map(lambda v: "" if pd.isna(v) else day(v))
    t = t.rename(columns={"duration": "dur", "early_start": "ES", "early_finish": "EF",
                          "late_start": "LS", "late_finish": "LF", "total_float": "TF",
                          "free_float": "FF", "early_start_date": "start",
                          "early_finish_date": "finish"})
    return t.to_string()


def format_wbs(project, result: ScheduleResult) -> str:
    """The WBS summary rows (code, name from the WBS dictionary, span, float), or ''."""
    from tpmkit.cpm import wbs_summary

    summary = wbs_summary(project, result)
    if not len(summary):
        return ""
    names = {}
    if project.wbs is not None and len(project.wbs) and "name" in project.wbs:
        names = dict(zip(project.wbs["wbs"].astype(str), project.wbs["name"].astype(str)))
    t = pd.DataFrame(index=summary.index)
    t.insert(0, "crit", summary["critical"].map({True: "*", False: ""}))
    t["name"] = [names.get(str(c), "")[:34] for c in summary.index]
    t["tasks"] = summary["tasks"]
    for c, label in (("duration", "dur"), ("early_start", "ES"), ("early_finish", "EF"),
                     ("total_float", "TF")):
        t[label] = summary[c].map(days)
    if project.start is not None:
        cal = project.calendar
        t["start"] = [day(d) for d in cal.start_dates(summary["early_start"].to_numpy(float),
                                                       project.start)]
        t["finish"] = [day(d) for d in cal.finish_dates(summary["early_finish"].to_numpy(float),
                                                         project.start)]
    return t.to_string()


def _deadline_date(project, result: ScheduleResult):
    if result.deadline is None or project.start is None:
        return None
    return project.calendar.finish_dates([result.deadline], project.start)[0]


def format_header(project, result: ScheduleResult) -> str:
    """``name: N tasks, D working days, start → finish; deadline …`` and what critical means."""
    head = f"{project.name}: {len(result.table)} tasks, {days(result.duration)} working days"
    if project.start is not None:
        head += f", {day(project.start)} → {day(result.finish_date)}"
    deadline = _deadline_date(project, result)
    if result.deadline is not None:
        head += f"; deadline {day(deadline)}" if deadline is not None else "; deadline"
        head += f" (day {days(result.deadline)})"
    return "\n".join([head, critical_definition(result, deadline),
                      "* critical; dur, ES/EF (early start/finish), LS/LF (late), TF (total "
                      "float), FF (free float) in working days from the start"])


def run(args: argparse.Namespace) -> int:
    project = load_project(args)
    result = schedule(project, deadline=date_or_days(args.deadline), progress=args.progress,
                      critical=args.critical, critical_float=args.critical_float)
    sched = result.table
    if args.csv:
        write_text_atomic(args.csv, sched.to_csv(lineterminator="\n", date_format="%Y-%m-%d"),
                          inputs=(args.file,))
    if args.json:
        print_json(schedule_json(project, result))
        return 0
    print(format_header(project, result))
    print(format_table(sched))
    wbs = format_wbs(project, result)
    if wbs:
        print(f"\nWBS summary\n{wbs}")
    sequence = critical_sequence(project, result)
    print(f"\nCritical path: {sequence}")
    if "(" in sequence:
        print("  (A | B): parallel branches, run side by side; → : follows in the network")
    late = sched.index[sched["total_float"] < -EPS]
    if len(late):
        print(f"Warning: negative float ({days(float(sched['total_float'].min()))} days) on "
              f"{len(late)} task(s) ({format_ids(late)}): the deadline or a constraint cannot "
              "be met")
    if args.csv:
        print(f"Wrote {args.csv}")
    return 0
