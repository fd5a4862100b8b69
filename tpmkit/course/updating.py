"""Exercises of lesson 09 (updating the plan): the forecast finish from progress, and retained
logic against progress override.

The networks are the random ones of the scheduling lesson; the progress at the status date is
"as planned" except one task that is behind (exercise 1) or one that started out of sequence
(exercise 2), built by :func:`tpmkit.widgets.updating.progress_as_planned`. The expected
answers come from :func:`tpmkit.schedule` with the status date.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.course._authoring import Spec, compare_numbers, random_tasks, register

# Importing this module registers its exercises (see tpmkit.course.tutor); it exports nothing.
__all__: list[str] = []

_START = "2027-01-04"


def _plain(tasks: pd.DataFrame) -> Any:
    from tpmkit.io import read

    return read(tasks, start=_START)


def _finish(project: Any, progress: str = "retained_logic") -> float:
    from tpmkit.cpm import schedule

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(schedule(project, progress=progress).duration)


def _progress_table(project: Any) -> pd.DataFrame:
    t = project.tasks
    return pd.DataFrame({"duration": t["duration"], "predecessors": project.to_table()
                         .set_index("id")["predecessors"],
                         "percent_complete": t["percent_complete"],
                         "actual_start": t["actual_start"], "actual_finish": t["actual_finish"]})


def _behind_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.cpm import schedule
    from tpmkit.widgets.updating import progress_as_planned

    tasks = random_tasks(rng, 5, 7)
    plain = _plain(tasks)
    plan = schedule(plain).table
    total = float(plan["early_finish"].max())
    es, ef = plan["early_start"].to_numpy(), plan["early_finish"].to_numpy()
    for _ in range(20):
        day = int(rng.integers(2, max(3, int(total * 0.7))))
        running = np.flatnonzero((es < day) & (ef > day))
        if running.size:
            break
    else:  # pragma: no cover - every random network has a task running on some day
        day, running = int(es[-1]) + 1, np.array([len(es) - 1])
    k = int(rng.choice(running))
    tid = str(plan.index[k])
    planned_pc = 100.0 * (day - es[k]) / plan["duration"].iloc[k]
    behind = float(np.floor(planned_pc * rng.uniform(0.2, 0.7) / 5) * 5)
    project = progress_as_planned(plain, day, {tid: behind})
    return {"tasks": _progress_table(project), "status_date": project.status_date,
            "status_day": day, "task": tid, "percent": behind, "project": project,
            "planned_finish": total}


register(Spec(
    id="updating-forecast-finish", lesson="09_updating_the_plan",
    title="Forecast finish from progress",
    answer_format="the forecast project finish in working days from the start (a number)",
    make=_behind_data,
    prompt=lambda d: (f"data['tasks'] is a plan (durations in working days, FS links) with its "
                      f"progress at the status date {d['status_date']:%a %d %b %Y}, the end of "
                      f"working day {d['status_day']}. Everything went as planned except task "
                      f"{d['task']}, which is only {d['percent']:g} % complete. Forecast the "
                      "project finish: remaining work cannot be done before the status date."),
    solve=lambda d: [_finish(d["project"])],
    compare=compare_numbers(["finish"]),
    hint=("Remaining duration = duration × (1 − % complete / 100); it starts at the status "
          "day for a task in progress. Then do the forward pass of the remaining work."),
    explain=lambda d, e: (
        f"Task {d['task']}: {d['percent']:g} % of "
        f"{float(d['tasks'].at[d['task'], 'duration']):g} days leaves "
        f"{float(d['tasks'].at[d['task'], 'duration']) * (1 - d['percent'] / 100):g} days, "
        f"which run from day {d['status_day']}. The forward pass of the remaining work then "
        f"finishes the project on day {e[0]:g} (the plan said {d['planned_finish']:g})."),
))


def _out_of_sequence_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.cpm import schedule
    from tpmkit.widgets.updating import progress_as_planned

    for _ in range(50):
        tasks = random_tasks(rng, 5, 7)
        plain = _plain(tasks)
        plan = schedule(plain).table
        es, ef = plan["early_start"].to_numpy(), plan["early_finish"].to_numpy()
        day = int(rng.integers(2, 6))
        links = plain.links
        # a successor not yet due whose predecessor is still running on the status day
        pairs = [(str(r.predecessor), str(r.successor)) for r in links.itertuples()
                 if es[plan.index.get_loc(r.successor)] >= day
                 and es[plan.index.get_loc(r.predecessor)] < day < ef[plan.index.get_loc(
                     r.predecessor)] and plan.at[r.successor, "duration"] >= 2]
        if not pairs:
            continue
        pred, succ = pairs[int(rng.integers(len(pairs)))]
        pct = float(rng.choice([20.0, 25.0, 40.0, 50.0]))
        project = progress_as_planned(plain, day, {succ: pct})
        a, b = _finish(project), _finish(project, "progress_override")
        if a > b + 1e-9:
            return {"tasks": _progress_table(project), "status_date": project.status_date,
                    "status_day": day, "task": succ, "predecessor": pred, "percent": pct,
                    "project": project}
    raise RuntimeError("no out-of-sequence network found")  # pragma: no cover


register(Spec(
    id="updating-retained-vs-override", lesson="09_updating_the_plan",
    title="Retained logic against progress override",
    answer_format="(finish_retained_logic, finish_progress_override) in working days",
    make=_out_of_sequence_data,
    prompt=lambda d: (f"In data['tasks'], task {d['task']} started out of sequence: at the "
                      f"status date (the end of working day {d['status_day']}) it is "
                      f"{d['percent']:g} % complete although its predecessor "
                      f"{d['predecessor']} has not finished. Forecast the project finish with "
                      "retained logic (its remaining work still waits for its predecessors) "
                      "and with progress override (its remaining work runs on from the "
                      "status date)."),
    solve=lambda d: [_finish(d["project"]), _finish(d["project"], "progress_override")],
    compare=compare_numbers(["retained logic", "progress override"]),
    hint=("Retained logic: the remaining work of the started task begins when its "
          "predecessors finish (and not before the status date). Progress override: it "
          "begins at the status date, ignoring the links into the task."),
    explain=lambda d, e: (
        f"Retained logic: {d['task']}'s remaining work waits for {d['predecessor']}, and the "
        f"project finishes on day {e[0]:g}. Progress override: it continues from day "
        f"{d['status_day']}, so the project finishes on day {e[1]:g} — {e[0] - e[1]:g} days "
        "earlier, but only if the work really can go on without its predecessor."),
))
