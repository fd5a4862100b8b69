"""Exercises of lesson 03 (scheduling): CPM forward and backward pass, critical path, PERT.

The worked solutions of the two passes are the step tables of :func:`tpmkit.cpm.cpm_steps`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tpmkit.course._authoring import (
    LETTERS,
    Spec,
    compare_mapping,
    compare_numbers,
    compare_set,
    random_tasks,
    register,
)
from tpmkit.cpm import ScheduleResult, cpm_steps
from tpmkit.cpm import format_number as _fmt

# Importing this module registers its exercises (see tpmkit.course.tutor); it exports nothing.
__all__: list[str] = []


def _network_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.io import read

    tasks = random_tasks(rng, pdm=bool(rng.random() < 0.5))
    return {"tasks": tasks.set_index("id"), "project": read(tasks)}


def _schedule_of(data: dict[str, Any]) -> ScheduleResult:
    from tpmkit.cpm import schedule

    return schedule(data["project"])


def _steps_text(data: dict[str, Any], phase: str) -> str:
    steps = cpm_steps(data["project"], _schedule_of(data))
    lines = steps.loc[steps["phase"] == phase, "explanation"]
    order = "topological order" if phase == "forward" else "reverse topological order"
    return f"Take the tasks in {order}:\n" + "\n".join(f"  {t}" for t in lines)


register(Spec(
    id="cpm-forward-pass", lesson="03_scheduling", title="CPM forward pass",
    answer_format="dict {task id: (early_start, early_finish)} in working days",
    make=_network_data,
    prompt=lambda d: ("For the network in data['tasks'] (durations in working days; links "
                      "FS unless marked SS/FF with a lag), compute the early start and early "
                      "finish of every task. The first task starts at 0; finish = start + "
                      "duration."),
    solve=lambda d: _schedule_of(d).table[["early_start", "early_finish"]],
    compare=compare_mapping(["early_start", "early_finish"]),
    hint=("Go through the tasks so that every predecessor is done first. ES is the largest "
          "value any incoming link allows: EF(pred) + lag for FS, ES(pred) + lag for SS, "
          "EF(pred) + lag − d for FF; then EF = ES + d."),
    explain=lambda d, e: _steps_text(d, "forward"),
))

register(Spec(
    id="cpm-backward-pass", lesson="03_scheduling", title="CPM backward pass",
    answer_format="dict {task id: (late_start, late_finish)} in working days",
    make=_network_data,
    prompt=lambda d: ("For the network in data['tasks'] (the same network as the forward "
                      "pass exercise), compute the late start and late finish of every task, "
                      "working back from the project finish (the largest early finish)."),
    solve=lambda d: _schedule_of(d).table[["late_start", "late_finish"]],
    compare=compare_mapping(["late_start", "late_finish"]),
    hint=("Start from the project finish T = the largest early finish. Take tasks in reverse "
          "order: LF is the smallest value any outgoing link allows (LS(succ) − lag for FS, "
          "LS(succ) − lag + d for SS, LF(succ) − lag for FF, and T itself); LS = LF − d."),
    explain=lambda d, e: _steps_text(d, "backward"),
    data_from="cpm-forward-pass",
))


def _critical_explain(d: dict[str, Any], expected: list[str]) -> str:
    table = _schedule_of(d).table
    lines = [f"  TF({i}) = LS − ES = {_fmt(r.late_start)} − {_fmt(r.early_start)} = "
             f"{_fmt(r.total_float)}" for i, r in table.iterrows()]
    return ("Total float = LS − ES for each task:\n" + "\n".join(lines)
            + f"\nThe tasks with zero total float are critical: {', '.join(expected)}.")


register(Spec(
    id="critical-path", lesson="03_scheduling", title="Total float and the critical path",
    answer_format="list of the critical task ids, e.g. ['A', 'C', 'F']",
    make=_network_data,
    prompt=lambda d: ("For the network in data['tasks'], which tasks are critical (zero total "
                      "float)?"),
    solve=lambda d: [str(i) for i in _schedule_of(d).table.query("critical").index],
    compare=compare_set("critical tasks"),
    hint=("Do the forward and the backward pass; total float = LS − ES. A task is critical when "
          "its total float is zero: delaying it delays the project."),
    explain=_critical_explain,
))


def _pert_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.io import read

    n = int(rng.integers(3, 5))
    o = rng.integers(2, 8, size=n).astype(float)
    m = o + rng.integers(1, 5, size=n)
    p = m + rng.integers(2, 10, size=n)
    tasks = pd.DataFrame({"id": list(LETTERS[:n]), "optimistic": o, "most_likely": m,
                          "pessimistic": p, "predecessors": [""] + list(LETTERS[:n - 1])})
    mean = float(((o + 4 * m + p) / 6).sum())
    target = float(np.round(mean + rng.uniform(-1.5, 2.5)))
    return {"tasks": tasks.set_index("id"), "project": read(tasks), "target": target}


def _pert_solve(d: dict[str, Any]) -> list[float]:
    from tpmkit.pert import analyze

    return [float(analyze(d["project"], target=d["target"]).probability)]


def _pert_explain(d: dict[str, Any], e: list[float]) -> str:
    from tpmkit.pert import analyze

    r = analyze(d["project"], target=d["target"])
    t = r.tasks
    lines = [f"  {i}: mean = ({_fmt(row.optimistic)} + 4·{_fmt(row.most_likely)} + "
             f"{_fmt(row.pessimistic)}) / 6 = {row.task_mean:.3f}, variance = "
             f"(({_fmt(row.pessimistic)} − {_fmt(row.optimistic)}) / 6)² = {row.task_var:.3f}"
             for i, row in d["tasks"].assign(task_mean=t["mean"], task_var=t["variance"])
             .iterrows()]
    z = (d["target"] - r.expected_duration) / r.std
    return ("The tasks form one chain, so the critical path holds them all:\n" + "\n".join(lines)
            + f"\nProject mean = {r.expected_duration:.3f}, σ = √{r.variance:.3f} = "
            f"{r.std:.3f}; z = ({_fmt(d['target'])} − {r.expected_duration:.3f}) / "
            f"{r.std:.3f} = {z:.3f}; P = Φ(z) = {e[0]:.4f}.")


register(Spec(
    id="pert-probability", lesson="03_scheduling", title="PERT probability of meeting a date",
    answer_format="probability as a number between 0 and 1, at least 2 decimals",
    make=_pert_data,
    prompt=lambda d: (f"The tasks in data['tasks'] run one after the other. With classic PERT "
                      f"(beta means and variances, normal approximation), what is the "
                      f"probability of finishing within {_fmt(d['target'])} working days?"),
    solve=_pert_solve,
    compare=compare_numbers(["probability"]),
    hint=("Mean of a task = (o + 4m + p)/6, variance = ((p − o)/6)². Add means and variances "
          "along the critical path, then z = (target − mean)/σ and P = Φ(z)."),
    explain=_pert_explain,
))
