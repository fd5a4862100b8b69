"""Monte Carlo on the tasks' own calendars (issue 15): every iteration is the schedule that
:func:`tpmkit.schedule` gives for its durations.

The kernel runs the calendar steps of the one PDM core (``pdm.forward_task_cal`` /
``backward_task_cal``) per iteration; the references here are ``tpmkit.schedule`` itself,
on the sampled durations of each kept iteration, the whole-day engine where calendars
cannot matter, and the numpy reference path (bit for bit).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import tpmkit
from tpmkit.risk import simulate

MON = "2027-01-04"
WEEK7 = "Mon Tue Wed Thu Fri Sat Sun"
DAY8 = {d: ["08:00-16:00"] for d in ("Mon", "Tue", "Wed", "Thu", "Fri")}
CALENDARS = {"7d": {"workweek": WEEK7},
             "day8": {"working_times": DAY8, "holidays": ["2027-01-13", "2027-02-01"]},
             "6d": {"workweek": "Mon Tue Wed Thu Fri Sat", "holidays": ["2027-01-20"]}}
LINKS = ("", "SS+1", "FF", "FS+2", "SF+3", "FS-1", "SS")


def _random_plan(seed: int, n: int = 30, **settings) -> tpmkit.Project:
    """A random network: links of every type with leads and lags, four calendars (the
    project's and three of the task's), distinct three-point estimates, a constraint."""
    rng = np.random.default_rng(seed)
    ids = [f"T{k}" if k % 3 else f"Tâche-{k}" for k in range(n)]
    preds, cals = [], []
    for j in range(n):
        k = min(int(rng.integers(0, 3)), j)
        ps = rng.choice(j, size=k, replace=False) if k else []
        preds.append(";".join(f"{ids[p]} {LINKS[rng.integers(len(LINKS))]}".strip()
                              for p in ps))
        cals.append(["", "7d", "day8", "6d"][rng.integers(4)])
    m = rng.integers(1, 12, n).astype(float)
    o = np.maximum(m - rng.integers(0, 4, n), 0.5)
    p = m + rng.integers(1, 8, n)
    m[0] = o[0] = p[0] = 0.0  # a milestone first
    t = pd.DataFrame({"id": ids, "duration": m, "optimistic": o, "most_likely": m,
                      "pessimistic": p, "predecessors": preds, "calendar": cals})
    t.loc[n // 2, ["constraint", "constraint_date"]] = ["SNET", "2027-01-22"]
    return tpmkit.read(t, start=MON, calendars=CALENDARS, **settings)


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "ignores the calendars" warning any more
        return func(*args, **kwargs)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("lag_calendar", ["successor", "predecessor", "24h"])
def test_every_iteration_is_the_schedule_of_its_durations(seed, lag_calendar):
    """The finish of each kept iteration equals ``tpmkit.schedule`` with that iteration's
    sampled durations, on the same calendars and lag rule."""
    p = _random_plan(seed, lag_calendar=lag_calendar)
    sim = _quiet(simulate, p, iterations=300, rng=seed, keep_task_samples=True)
    durations = sim._kendall[0]  # the sampled durations of the first iterations
    for i in range(0, 300, 37):
        s = tpmkit.schedule(p, durations=durations[i])
        assert sim.finish[i] == pytest.approx(s.duration, abs=1e-9)
        assert np.allclose(sim.task_start.iloc[i].to_numpy(),
                           s.table["early_start"].to_numpy(), atol=1e-9)
        assert np.allclose(sim.task_finish.iloc[i].to_numpy(),
                           s.table["early_finish"].to_numpy(), atol=1e-9)


def test_fixed_durations_give_the_deterministic_schedule_and_its_critical_path():
    p = _random_plan(7)
    fixed = p.replace(tasks=p.tasks.drop(columns=["optimistic", "most_likely", "pessimistic"]))
    s = tpmkit.schedule(fixed)
    sim = _quiet(simulate, fixed, iterations=64, rng=1)
    assert np.allclose(sim.finish, s.duration, atol=1e-9)
    tab = sim.tasks
    assert np.allclose(tab["start_mean"], s.table["early_start"], atol=1e-9)
    assert np.allclose(tab["finish_mean"], s.table["early_finish"], atol=1e-9)
    critical = s.table["total_float"] <= s.table["total_float"].min() + 1e-9
    assert ((tab["criticality"] == 1.0) == critical).all()
    assert set(tab.index[tab["criticality"] == 0.0]) == set(s.table.index[~critical])


def test_one_calendar_under_two_names_simulates_as_the_whole_day_engine():
    """Every task on a calendar equal to the project's: the time-axis kernel gives the
    whole-day kernel's finishes and statistics (same random numbers)."""
    p = _random_plan(3)
    same = p.replace(calendars={"std": {"workweek": "Mon Tue Wed Thu Fri"}},
                     tasks=p.tasks.assign(calendar="std"))
    plain = p.replace(tasks=p.tasks.assign(calendar=""))
    a = _quiet(simulate, same, iterations=500, rng=5)
    b = _quiet(simulate, plain, iterations=500, rng=5)
    assert np.allclose(a.finish, b.finish, atol=1e-9)
    cols = ["criticality", "duration_mean", "start_mean", "finish_mean"]
    assert np.allclose(a.tasks[cols].to_numpy(), b.tasks[cols].to_numpy(), atol=1e-9)


@pytest.mark.parametrize("seed", [0, 1])
def test_the_compiled_kernel_equals_the_numpy_reference_bit_for_bit(seed):
    p = _random_plan(seed, n=20)
    register = pd.DataFrame({"id": ["R1", "R2"], "probability": [0.4, 0.3],
                             "tasks": [p.tasks.index[5], ""], "impact_days": ["1,2,5", "0,1,3"]})
    opts = dict(iterations=400, rng=seed, risks=register, existence={p.tasks.index[7]: 0.6},
                keep_task_samples=True)
    a = _quiet(simulate, p, engine="numba", **opts)
    b = _quiet(simulate, p, engine="numpy", **opts)
    assert np.array_equal(a.finish, b.finish)
    assert a.tasks.drop(columns=["cruciality_kendall"]).equals(
        b.tasks.drop(columns=["cruciality_kendall"]))
    assert a.task_start.equals(b.task_start) and a.task_finish.equals(b.task_finish)


def test_a_status_dated_plan_on_calendars_forecasts_the_schedule():
    """With progress, fixed durations: every iteration gives the forecast of
    ``tpmkit.schedule`` at the status date (remaining work on the tasks' calendars)."""
    p = _random_plan(11, n=16)
    t = p.tasks.drop(columns=["optimistic", "most_likely", "pessimistic"]).copy()
    first = t.index[1:4]
    t.loc[first, "percent_complete"] = [100.0, 50.0, 20.0]
    t.loc[first, "actual_start"] = pd.Timestamp(MON)
    t.loc[first[:1], "actual_finish"] = pd.Timestamp("2027-01-06")
    fixed = p.replace(tasks=t, status_date="2027-01-11")
    s = _quiet(tpmkit.schedule, fixed)
    sim = _quiet(simulate, fixed, iterations=32, rng=2)
    assert np.allclose(sim.finish, s.duration, atol=1e-9)
    assert sim.settings["status_date"] == "2027-01-11"


def test_a_risk_delay_on_calendars_moves_the_finish_by_project_working_days():
    """A risk that names no task adds its impact to the finish in working days of the
    project calendar, as on the whole-day engine."""
    p = _random_plan(2, n=12)
    fixed = p.replace(tasks=p.tasks.drop(columns=["optimistic", "most_likely", "pessimistic"]))
    register = pd.DataFrame({"id": ["R"], "probability": [1.0], "tasks": [""],
                             "impact_days": ["3,3,3"]})
    base = tpmkit.schedule(fixed).duration
    sim = _quiet(simulate, fixed, iterations=16, rng=0, risks=register)
    assert np.allclose(sim.finish, base + 3.0, atol=1e-9)
