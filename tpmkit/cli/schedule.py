"""``tpmkit schedule FILE [--start DATE] [--deadline D] [--status-date DATE] [--progress OPTION]
[--json] [--csv OUT]``."""

from __future__ import annotations

import argparse

import pandas as pd

from tpmkit.cli._common import (
    add_input_arguments,
    date_or_days,
    load_project,
    print_json,
    write_text_atomic,
)
from tpmkit.cpm import ScheduleResult, schedule
from tpmkit.model.progress import PROGRESS_OPTIONS

HELP = "CPM/PDM schedule: early/late dates, total and free float, the critical path"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--deadline", metavar="DATE|DAYS",
                        help="finish deadline for the backward pass (date or working days)")
    parser.add_argument("--csv", metavar="OUT", help="also write the schedule table to OUT (CSV)")
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
    """One column as JSON-ready Python values (dates as ISO strings, missing as None)."""
    if pd.api.types.is_datetime64_any_dtype(col):
        iso = col.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        iso[col.isna().to_numpy()] = None
        return iso.tolist()
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
    """A human-readable schedule table (critical tasks marked with *)."""
    cols = ["name", "duration", "early_start", "early_finish", "late_start", "late_finish",
            "total_float", "free_float"]
    if "early_start_date" in sched:
        cols += ["early_start_date", "early_finish_date"]
    t = sched[cols].copy()
    t["name"] = t["name"].astype(str).str.slice(0, 34)
    t.insert(0, "crit", sched["critical"].map({True: "*", False: ""}))
    for c in ("early_start_date", "early_finish_date"):
        if c in t:
            t[c] = t[c].dt.strftime("%a %Y-%m-%d")
    t = t.rename(columns={"duration": "dur", "early_start": "ES", "early_finish": "EF",
                          "late_start": "LS", "late_finish": "LF", "total_float": "TF",
                          "free_float": "FF", "early_start_date": "start",
                          "early_finish_date": "finish"})
    return t.to_string(float_format=lambda v: f"{v:g}")


def run(args: argparse.Namespace) -> int:
    project = load_project(args)
    result = schedule(project, deadline=date_or_days(args.deadline), progress=args.progress)
    sched = result.table
    if args.csv:
        write_text_atomic(args.csv, sched.to_csv(lineterminator="\n", date_format="%Y-%m-%d"),
                          inputs=(args.file,))
    if args.json:
        print_json(schedule_json(project, result))
        return 0
    duration = result.duration
    print(f"{project.name}: {len(sched)} tasks, duration {duration:g} working days", end="")
    if project.start is not None:
        print(f", {project.start.date()} → {result.finish_date.date()}")
    else:
        print()
    print(format_table(sched))
    print(f"\nCritical path: {' → '.join(result.critical_path)}")
    tf_min = float(sched["total_float"].min()) if len(sched) else 0.0
    if tf_min < 0:
        late = sched.index[sched["total_float"] < 0]
        print(f"Warning: negative float ({tf_min:g} days) on {len(late)} task(s): the deadline "
              "or a constraint cannot be met")
    if args.csv:
        print(f"Wrote {args.csv}")
    return 0
