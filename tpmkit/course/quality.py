"""Exercises of lesson 08 (quality and closure): c-chart limits, defect removal efficiency,
the schedule impact of a change request.

The data are small and generated from the seed; the expected answers come from
:mod:`tpmkit.quality` and :mod:`tpmkit.scope.effects` (the functions the lesson teaches).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tpmkit.course._authoring import Spec, compare_numbers, random_tasks, register

# Importing this module registers its exercises (see tpmkit.course.tutor); it exports nothing.
__all__: list[str] = []

_LESSON = "08_quality_and_closure"


# --------------------------------------------------------------------------- c chart
def _c_data(rng: np.random.Generator) -> dict[str, Any]:
    n = int(rng.integers(8, 13))
    return {"counts": [int(x) for x in rng.poisson(float(rng.integers(4, 12)), size=n)]}


def _c_solve(d: dict[str, Any]) -> list[float]:
    from tpmkit.quality import c_chart

    row = c_chart(d["counts"]).table.iloc[0]
    return [float(row["centre"]), float(row["lcl"]), float(row["ucl"])]


register(Spec(
    id="quality-c-chart-limits", lesson=_LESSON, title="Control limits of a c chart",
    answer_format="(centre, lcl, ucl) as three numbers [defects]",
    make=_c_data,
    prompt=lambda d: (f"data['counts'] = {d['counts']} are the defects found in each of "
                      f"{len(d['counts'])} equal inspection units (e.g. one code review each). "
                      "What are the centre line, the lower and the upper control limit of the "
                      "c chart?"),
    solve=_c_solve,
    compare=compare_numbers(["centre", "lcl", "ucl"], abs_tol=0.01),
    hint=("c̄ is the mean count; the limits are c̄ ± 3√c̄ and a negative lower limit is set "
          "to 0 (tpmkit.quality.c_chart)."),
    explain=lambda d, e: (f"c̄ = {sum(d['counts'])}/{len(d['counts'])} = {e[0]:.3f}; "
                          f"3√c̄ = {3 * np.sqrt(e[0]):.3f}; UCL = {e[2]:.3f}, LCL = "
                          f"max(0, {e[0] - 3 * np.sqrt(e[0]):.3f}) = {e[1]:.3f} (Montgomery "
                          "§7.3). A point above the UCL is an out-of-control signal (rule 1)."),
))


# --------------------------------------------------------------------------- DRE
_PHASES = ("requirements", "design", "development", "testing", "release", "production")


def _dre_data(rng: np.random.Generator) -> dict[str, Any]:
    counts = {p: int(rng.integers(0 if p == "release" else 2, 30 if p == "testing" else 12))
              for p in _PHASES}
    return {"found": counts}


def _dre_log(d: dict[str, Any]) -> pd.DataFrame:
    from tpmkit.quality import defect_log

    rows = [{"id": f"D{k}", "found": "2027-03-01", "phase_found": p}
            for k, (p, n) in enumerate((p, n) for p, n in d["found"].items() for _ in range(n))]
    return defect_log(rows)


def _dre_solve(d: dict[str, Any]) -> list[float]:
    from tpmkit.quality import removal_efficiency

    r = removal_efficiency(_dre_log(d))
    return [r["removal_efficiency"] * 100]


register(Spec(
    id="quality-removal-efficiency", lesson=_LESSON, title="Defect removal efficiency",
    answer_format="one number [%]",
    make=_dre_data,
    prompt=lambda d: ("Defects found per phase: " + ", ".join(
        f"{p} {n}" for p, n in d["found"].items()) + ". 'production' means after release. "
        "What is the defect removal efficiency (DRE) [%]?"),
    solve=_dre_solve,
    compare=compare_numbers(["DRE"], abs_tol=0.05),
    hint=("DRE = defects found before release / all defects found (Jones); the escaped "
          "defects are the production ones (tpmkit.quality.removal_efficiency)."),
    explain=lambda d, e: (f"Before release {sum(d['found'].values()) - d['found']['production']}"
                          f" of {sum(d['found'].values())} defects were found, so DRE = "
                          f"{e[0]:.2f} % and the escape rate is {100 - e[0]:.2f} %."),
))


# --------------------------------------------------------------------------- change impact
def _impact_data(rng: np.random.Generator) -> dict[str, Any]:
    tasks = random_tasks(rng, 6, 8)
    task = str(rng.choice(tasks["id"].to_numpy()))
    return {"tasks": tasks, "task": task, "delta": int(rng.integers(1, 6))}


def _impact_solve(d: dict[str, Any]) -> list[float]:
    from tpmkit import read, schedule
    from tpmkit.scope.effects import apply_change

    plan = read(d["tasks"])
    done = apply_change(plan, [{"change": "CR", "action": "duration", "task": d["task"],
                                "duration": d["delta"]}])
    return [schedule(done.project).duration - schedule(plan).duration]


def _float(d: dict[str, Any]) -> float:
    from tpmkit import read, schedule

    return float(schedule(read(d["tasks"])).table.loc[d["task"], "total_float"])


register(Spec(
    id="quality-change-impact", lesson=_LESSON, title="Schedule impact of a change request",
    answer_format="one number [working days]",
    make=_impact_data,
    prompt=lambda d: (f"data['tasks'] is a plan (durations in working days). A change request "
                      f"adds {d['delta']} working days to task {d['task']}. By how many "
                      "working days does the project finish move?"),
    solve=_impact_solve,
    compare=compare_numbers(["finish delta"]),
    hint=("Only float absorbs a delay: the finish moves by max(0, delay − total float of the "
          "task). Schedule the plan (tpmkit.schedule) and read the task's total_float, or "
          "apply the change with tpmkit.change_control.impact and read delta('duration')."),
    explain=lambda d, e: (f"Task {d['task']} has total float TF = {_float(d):g} d in the plan; "
                          f"a delay of {d['delta']} d moves the finish by max(0, {d['delta']} − "
                          f"{_float(d):g}) = {e[0]:g} working days."),
))
