"""``tpmkit schedule FILE [--start DATE] [--deadline D] [--json] [--csv OUT]``."""

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
from tpmkit.cpm import schedule

HELP = "CPM/PDM schedule: early/late dates, total and free float, the critical path"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--deadline", metavar="DATE|DAYS",
                        help="finish deadline for the backward pass (date or working days)")
    parser.add_argument("--csv", metavar="OUT", help="also write the schedule table to OUT (CSV)")


def schedule_json(project, sched: pd.DataFrame) -> dict:
    """The ``--json`` object (also used by other commands that print a schedule)."""
    dated = "early_start_date" in sched
    tasks = []
    for tid, row in sched.iterrows():
        item = {"id": tid, "name": row["name"], "duration": row["duration"],
                "early_start": row["early_start"], "early_finish": row["early_finish"],
                "late_start": row["late_start"], "late_finish": row["late_finish"],
                "total_float": row["total_float"], "free_float": row["free_float"],
                "critical": row["critical"], "near_critical": row["near_critical"],
                "driving_predecessor": row["driving_predecessor"], "driven_by": row["driven_by"]}
        if dated:
            for c in ("early_start_date", "early_finish_date", "late_start_date", "late_finish_date"):
                item[c] = row[c]
        tasks.append(item)
    proj = {"name": project.name, "duration": sched.attrs["project_duration"],
            "critical_path": sched.attrs["critical_path"],
            "driving_path": sched.attrs["driving_path"], "deadline": sched.attrs["deadline"]}
    if project.start is not None:
        proj["start"] = project.start
        proj["finish"] = sched.attrs["finish_date"]
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
    sched = schedule(project, deadline=date_or_days(args.deadline))
    if args.csv:
        write_text_atomic(args.csv, sched.to_csv(lineterminator="\n", date_format="%Y-%m-%d"),
                          inputs=(args.file,))
    if args.json:
        print_json(schedule_json(project, sched))
        return 0
    duration = sched.attrs["project_duration"]
    print(f"{project.name}: {len(sched)} tasks, duration {duration:g} working days", end="")
    if project.start is not None:
        print(f", {project.start.date()} → {sched.attrs['finish_date'].date()}")
    else:
        print()
    print(format_table(sched))
    print(f"\nCritical path: {' → '.join(sched.attrs['critical_path'])}")
    tf_min = float(sched["total_float"].min()) if len(sched) else 0.0
    if tf_min < 0:
        late = sched.index[sched["total_float"] < 0]
        print(f"Warning: negative float ({tf_min:g} days) on {len(late)} task(s): the deadline "
              "or a constraint cannot be met")
    if args.csv:
        print(f"Wrote {args.csv}")
    return 0
