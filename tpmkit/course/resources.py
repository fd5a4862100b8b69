"""Exercises of lesson 06 (resources and schedule health): peak loading, over-allocated days,
DCMA logic check.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tpmkit.course._authoring import (
    Spec,
    compare_numbers,
    compare_set,
    random_tasks,
    register,
)
from tpmkit.cpm import format_number as _fmt

# Importing this module registers its exercises (see tpmkit.course.tutor); it exports nothing.
__all__: list[str] = []


def _resource_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.io import read

    tasks = random_tasks(rng, 6, 8)
    tasks["resources"] = [f"dev:{int(rng.integers(1, 3))}" if rng.random() < 0.7 else "qa:1"
                          for _ in range(len(tasks))]
    res = pd.DataFrame({"id": ["dev", "qa"], "capacity": [2.0, 1.0]})
    return {"tasks": tasks.set_index("id"), "resources": res.set_index("id"),
            "project": read({"tasks": tasks, "resources": res})}


def _loading_of(d: dict[str, Any]):
    from tpmkit.resources import loading

    return loading(d["project"])


def _loading_explain(d: dict[str, Any], e: list[float]) -> str:
    load = _loading_of(d)
    use = load.usage["dev"] if "dev" in load.usage else pd.Series(dtype=float)
    from tpmkit.cpm import schedule

    table = schedule(d["project"]).table
    rows = [f"  {i}: days {_fmt(r.early_start)}–{_fmt(r.early_finish - 1)} × "
            f"{d['tasks'].loc[i, 'resources']}" for i, r in table.iterrows() if r.duration > 0]
    daily = ", ".join(f"{int(k)}:{_fmt(v)}" for k, v in use.items())
    return ("Each task uses its units on every working day from ES to EF − 1:\n" + "\n".join(rows)
            + f"\ndev units per day (day:units): {daily}\nAnswer: {e}")


register(Spec(
    id="resource-peak", lesson="06_resources", title="Peak resource loading",
    answer_format="(peak dev units, first working day of the peak)",
    make=_resource_data,
    prompt=lambda d: ("The tasks in data['tasks'] start at their early start (CPM) and use the "
                      "resources shown every working day (dev:2 = two developers). What is the "
                      "peak number of developers needed, and on which working day (0 = first) "
                      "is it first reached?"),
    solve=lambda d: [float(_loading_of(d).usage["dev"].max()),
                     float(_loading_of(d).usage["dev"].idxmax())],
    compare=compare_numbers(["peak units", "day"]),
    hint=("Do the forward pass, then for every working day add the units of the tasks running "
          "that day (a task runs on days ES … EF − 1)."),
    explain=_loading_explain,
))


def _over_days(d: dict[str, Any]) -> list[float]:
    load = _loading_of(d)
    return [float((load.usage["dev"] > load.capacity["dev"] + 1e-9).sum())]


register(Spec(
    id="overallocated-days", lesson="06_resources", title="Over-allocated days",
    answer_format="number of working days on which dev is over its capacity of 2",
    make=_resource_data,
    prompt=lambda d: ("With every task at its early start, on how many working days do the "
                      "tasks in data['tasks'] need more developers than the 2 available?"),
    solve=_over_days,
    compare=compare_numbers(["days"], abs_tol=0.0),
    hint="Build the daily dev loading as for the peak, then count the days above capacity.",
    explain=lambda d, e: _loading_explain(d, e).replace("Answer:", "Days above 2:"),
))


def _dcma_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.io import read

    tasks = random_tasks(rng, 8, 12)
    n = len(tasks)
    # Cut the logic of a few tasks so some have no predecessor or no successor.
    for j in rng.choice(np.arange(1, n - 1), size=int(rng.integers(1, 4)), replace=False):
        tasks.loc[j, "predecessors"] = ""
    tasks.loc[n - 1, "predecessors"] = tasks.loc[n - 1, "predecessors"].split("; ")[0]
    return {"tasks": tasks.set_index("id"), "project": read(tasks)}


def _dcma_logic(d: dict[str, Any]):
    from tpmkit.health import dcma14

    return dcma14(d["project"]).checks.loc["logic"]


register(Spec(
    id="dcma-logic", lesson="06_resources", title="DCMA check 1: missing logic",
    answer_format="list of the task ids that break the DCMA logic check",
    make=_dcma_data,
    prompt=lambda d: ("DCMA check 1 flags tasks without a predecessor or without a successor; "
                      "only start and finish milestones (duration 0) are exempt, and this "
                      "network has none. Which tasks of data['tasks'] does it flag?"),
    solve=lambda d: [str(t) for t in _dcma_logic(d)["tasks"]],
    compare=compare_set("tasks"),
    hint=("List each task's predecessors and successors (invert the predecessor column). A task "
          "with an empty list on either side is open-ended; only zero-duration start/finish "
          "milestones are exempt."),
    explain=lambda d, e: (
        f"tpmkit.health.dcma14: {_dcma_logic(d)['note'] or ''} Flagged: "
        f"{', '.join(e) if e else 'none'} ({_fmt(float(_dcma_logic(d)['numerator']))} of "
        f"{_fmt(float(_dcma_logic(d)['denominator']))} tasks)."),
))
