"""``tpmkit level FILE [--rule R] [--scheme S] [--passes N] [--time-budget S] [--within-float]
[--seed N] [--json] [--csv OUT]``.

Reproducible by default: without ``--time-budget`` the search is bounded by ``--passes``
only, and without ``--seed`` it uses the fixed seed :data:`DEFAULT_SEED`, so the same file
gives the same schedule on every run and machine.

Levels the resources of a project (any readable format, including PSPLIB ``.sm`` and
Patterson ``.rcp`` instances) and prints the levelled schedule with, for every delayed
task, the resource that was short and the tasks that held it. ``--json`` prints
``{"makespan", "cpm_duration", "lower_bound", "seed", "schedules", "unconstrained",
"over_allocated", "tasks": [{"id", "start", "finish", "delay", "delayed_by_resource",
"delayed_by_tasks", ...}]}``; times are working-day offsets from the project start plus
ISO dates when a start date is known.
"""

from __future__ import annotations

import argparse

from tpmkit._core.codes import EPS
from tpmkit.cli._common import add_input_arguments, load_project, print_json, write_text_atomic
from tpmkit.cli._format import day, days
from tpmkit.resources import RULES, SCHEMES, SEARCHES, LevelResult, level

HELP = "resource levelling: a schedule within capacities that keeps every link"

#: Seed of the search when ``--seed`` is not given: a fixed seed (and no time budget by
#: default) makes two runs on the same file print the same schedule.
DEFAULT_SEED = 0

__all__ = ["DEFAULT_SEED", "HELP", "add_arguments", "level_json", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``tpmkit level`` to ``parser``."""
    add_input_arguments(parser)
    parser.add_argument("--rule", default="lft", type=str.lower, choices=RULES,
                        help="priority rule of the first pass (default lft)")
    parser.add_argument("--scheme", default="serial", type=str.lower, choices=SCHEMES,
                        help="schedule-generation scheme of the first pass (default serial)")
    parser.add_argument("--search", default="ga", type=str.lower, choices=SEARCHES,
                        help="improvement search (default ga)")
    parser.add_argument("--passes", type=int, default=5000, metavar="N",
                        help="budget of generated schedules (default 5000; 1 = single pass)")
    parser.add_argument("--time-budget", type=float, default=None, metavar="SECONDS",
                        help="wall-clock limit of the search (default none: the search stops "
                             "after --passes schedules, so a seed always gives the same "
                             "result; a limit makes the result depend on the machine; 0 = none)")
    parser.add_argument("--within-float", action="store_true",
                        help="move tasks only within their total float (finish unchanged)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed of the search (default {DEFAULT_SEED}; reported in "
                             "--json)")
    parser.add_argument("--csv", metavar="OUT", help="also write the levelled schedule to OUT")


def level_json(result: LevelResult) -> dict:
    """The ``--json`` object of a levelling result."""
    sched = result.schedule
    # column-wise: one list per column, then one dict per task (no per-row Series)
    keys = ["start", "finish", "duration", "delay", "resource_delay", "delayed_by_resource",
            "delayed_by_tasks", "over_allocated"] + (
        ["start_date", "finish_date"] if "start_date" in sched else [])
    values = [[_split(x) for x in sched[k].tolist()] if k.startswith("delayed_by")
              else sched[k].tolist() for k in keys]
    tasks = [{"id": tid, **dict(zip(keys, row, strict=True))}
             for tid, row in zip(sched.index.tolist(), zip(*values), strict=True)]
    return {"makespan": result.makespan, "cpm_duration": result.cpm_duration,
            "lower_bound": result.lower_bound, "rule": result.rule, "scheme": result.scheme,
            "search": result.search, "within_float": result.within_float,
            "schedules": result.schedules, "seed": result.seed,
            "unconstrained": result.unconstrained, "over_allocated": result.over_allocated,
            "tasks": tasks}


def _split(text: str) -> list[str]:
    return [t for t in str(text).split("; ") if t]


def run(args: argparse.Namespace) -> int:
    """Run ``tpmkit level`` (levelling) on the parsed ``args``; return the exit status."""
    project = load_project(args)
    budget = None if args.time_budget is not None and args.time_budget <= 0 else args.time_budget
    result = level(project, rule=args.rule, scheme=args.scheme, search=args.search,
                   passes=args.passes, time_budget=budget, within_float=args.within_float,
                   rng=args.seed)
    if args.csv:
        write_text_atomic(args.csv, result.schedule.to_csv(lineterminator="\n",
                                                           date_format="%Y-%m-%d"),
                          inputs=(args.file,))
    deadline = project.deadline_offset
    if args.json:
        out = level_json(result)
        if deadline is not None:
            out.update(deadline=deadline, past_deadline=bool(result.makespan > deadline + EPS))
        print_json(out)
        return 0
    seed = ("the default seed" if args.seed == DEFAULT_SEED else "seed") + f" {result.seed}"
    print(f"{project.name}: {len(result.schedule)} tasks, levelled duration "
          f"{days(result.makespan)} working days (CPM {days(result.cpm_duration)}, lower bound "
          f"{days(result.lower_bound)}); {len(result.delayed)} task(s) delayed; {seed} "
          "(the same seed gives the same schedule)")
    if deadline is not None and result.makespan > deadline + EPS:
        when = (f" {day(project.deadline)}" if project.deadline is not None else "")
        print(f"Warning: the levelled finish (day {days(result.makespan)}) is "
              f"{days(result.makespan - deadline)} working days past the deadline{when} "
              f"(day {days(deadline)}); add capacity, relax links or move the deadline")
    cols = ["duration", "start", "finish", "delay", "delayed_by_resource", "delayed_by_tasks"]
    if "start_date" in result.schedule:
        cols += ["start_date", "finish_date"]
    table = result.schedule[cols].copy()
    table.insert(0, "name", project.tasks["name"].reindex(table.index).fillna("").astype(str)
                 .str.slice(0, 30))
    for c in ("duration", "start", "finish", "delay"):
        table[c] = table[c].map(days)
    for c in ("start_date", "finish_date"):
        if c in table:
            table[c] = table[c].map(lambda v: "" if v != v or v is None else day(v))
    table["delayed_by_tasks"] = table["delayed_by_tasks"].str.slice(0, 40)
    table = table.rename(columns={"delayed_by_resource": "waits for", "delayed_by_tasks":
                                  "held by tasks", "start_date": "start date",
                                  "finish_date": "finish date"})
    print(table.to_string())
    print("  duration, start, finish, delay in working days from the project start; delay: "
          "later than the unlevelled early start")
    if result.unconstrained:
        print(f"Not levelled (no capacity given): {', '.join(result.unconstrained)}")
    if result.over_allocated:
        print(f"Left over capacity (not enough float, or more units than the capacity): {', '.join(result.over_allocated)}")
    if args.csv:
        print(f"Wrote {args.csv}")
    return 0
