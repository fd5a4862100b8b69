"""Generate ``software_release_tracking.yaml`` and ``software_release_tracking.csv``.

Run ``python datasets/make_tracking.py`` from a checkout (after ``make_software_release.py``).
It reads the bundled plan ``software_release.yaml`` once and simulates how the release
really went, reproducibly (fixed seed):

* actual durations are drawn from each task's three-point estimate (triangular o, m, p);
  development and test work takes 60 % longer than estimated (integration underestimated),
  and four risks of
  the register come true: the payment sandbox arrives late (R1, +20 working days on DV7), a
  backend developer leaves (R2, DV4 +25 %), requirements churn (R4, DV9 +60 %) and the
  penetration test finds critical issues (R3, QA7 +10 days); production incidents stretch
  hypercare (RL6 +5 days). The actual dates are the CPM schedule of those durations
  (``tpmkit.schedule``);
* labour cost: the planned effort (daily rate × most likely duration) grows with the square
  root of the duration ratio (part of the extra time is waiting, not work) times an overrun
  factor (overtime, contractor rates), and accrues evenly over the task's actual working
  days; fixed costs fall due when a task starts;
* at each month end (the last working day, January–June 2027) the project manager records per
  task: percent complete (work days done / actual duration, reported in steps of 5 %, 100 only
  when finished), cumulative actual cost and a bottom-up estimate to complete.

Outputs:

``software_release_tracking.yaml``
    The plan (same tasks, links, baseline, resources, risks) with the progress at the status
    date 2027-06-30 in the task table (``percent_complete``, ``actual_start``,
    ``actual_finish``, ``actual_cost``, ``etc``) and a ``periods`` table with one row per task
    and month end: ``percent_complete`` and ``ac`` (cumulative actual cost), the planned value
    ``pv`` and earned value ``ev``, and ``etc``.
``software_release_tracking.csv``
    The project-level period table (``period, date, pv, ev, ac, etc``): the same figures
    summed over tasks, for ``tpmkit.evm.metrics(table, bac=…)``.

PV and EV here are computed with plain pandas (day lists per task), independently of
``tpmkit.evm``, so the tests can check that ``tpmkit.evm`` reproduces them from the baseline.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

import tpmkit

HERE = Path(__file__).resolve().parent
PLAN = HERE / "software_release.yaml"
SEED = 20270630
STATUS_DATE = "2027-06-30"
FIRST_MONTH_END, N_MONTHS = "2027-01-31", 6
# development and test work streams: duration factor (integration underestimated)
STREAM_FACTOR = {"DV": 1.6, "QA": 1.6}
# risks of the register that come true (and hypercare incidents):
# task → (extra working days, duration factor)
REALISED = {"DV7": (20, 1.0), "DV4": (0, 1.25), "DV9": (0, 1.60), "QA7": (10, 1.0),
            "RL6": (5, 1.0)}


def _workdays(cal: tpmkit.Calendar) -> pd.offsets.CustomBusinessDay:
    mask = " ".join(d for d, on in zip(tpmkit.model.calendar.WEEKDAYS, cal.weekmask, strict=True) if on)
    return pd.offsets.CustomBusinessDay(weekmask=mask, holidays=list(cal.holidays))


def _days(first: pd.Timestamp, last: pd.Timestamp, bday) -> pd.DatetimeIndex:
    """Working days first … last (both included)."""
    if pd.isna(first) or pd.isna(last):
        return pd.DatetimeIndex([])
    return pd.date_range(first, last, freq=bday)


def build() -> dict:
    raw = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    plan = tpmkit.read(PLAN)
    tasks = plan.tasks
    bday = _workdays(plan.calendar)
    rng = np.random.default_rng(SEED)

    # -- how it really went --------------------------------------------------------------
    o = tasks["optimistic"].fillna(tasks["duration"]).to_numpy()
    m = tasks["most_likely"].fillna(tasks["duration"]).to_numpy()
    p = tasks["pessimistic"].fillna(tasks["duration"]).to_numpy()
    drawn = np.where(p > o, rng.triangular(o, m, np.maximum(p, o + 1e-9)), m)
    factor = np.array([STREAM_FACTOR.get(tid[:2], 1.0) for tid in tasks.index])
    actual = np.round(drawn * factor)
    for tid, (extra, factor) in REALISED.items():
        i = tasks.index.get_loc(tid)
        actual[i] = np.round(actual[i] * factor) + extra
    actual = np.where(tasks["duration"].to_numpy() == 0, 0.0, np.maximum(actual, 1.0))
    sched = tpmkit.schedule(plan, durations=actual)
    act_start = sched["early_start_date"]
    act_finish = sched["early_finish_date"]
    overrun = np.clip(rng.normal(1.06, 0.05, len(tasks)), 0.95, 1.25)
    rate = tasks["rate"].fillna(0.0).to_numpy()
    fixed = tasks["cost"].fillna(0.0).to_numpy()
    budget = tasks["baseline_cost"].to_numpy()
    planned = tasks["duration"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        stretch = np.where(planned > 0, np.sqrt(actual / planned), 1.0)
    labour = rate * planned * stretch * overrun           # total labour cost [EUR]

    month_ends = pd.date_range(FIRST_MONTH_END, periods=N_MONTHS, freq="ME")
    ends = [bday.rollback(d) for d in month_ends]           # last working day of each month
    rows, status = [], {}
    for k, end in enumerate(ends, start=1):
        for i, tid in enumerate(tasks.index):
            base = _days(tasks.at[tid, "baseline_start"], tasks.at[tid, "baseline_finish"], bday)
            pv = budget[i] * (base <= end).sum() / len(base) if len(base) else 0.0
            work = _days(act_start[tid], act_finish[tid], bday) if actual[i] > 0 else []
            started = act_start[tid] <= end
            finished = act_finish[tid] <= end if actual[i] > 0 else started
            done = int((work <= end).sum()) if len(work) else 0
            if finished:
                pc = 100
            elif started and len(work):
                pc = int(min(95, max(5, 5 * round(20 * done / len(work)))))
            else:
                pc = 0
            share = done / len(work) if len(work) else 1.0
            ac = round(fixed[i] + labour[i] * share) if started else 0
            etc = (0 if finished else
                   round(labour[i] * (1 - share)) if started else budget[i])
            rows.append({"period": k, "date": end.date().isoformat(), "task": tid,
                         "percent_complete": pc, "pv": round(float(pv), 2),
                         "ev": round(float(budget[i] * pc / 100), 2), "ac": float(ac),
                         "etc": float(etc)})
            if started:
                status[tid] = {"percent_complete": pc, "actual_cost": float(ac),
                               "etc": float(etc),
                               "actual_start": act_start[tid].date().isoformat(),
                               **({"actual_finish": act_finish[tid].date().isoformat()}
                                  if finished else {})}

    project = dict(raw["project"])
    project.update(name="Product release 3.0 (SaaS) — tracking", status_date=STATUS_DATE,
                   bac=round(float(budget.sum()), 2),
                   description=("The software_release plan with six monthly status periods "
                                "(January-June 2027): percent complete, actual cost and ETC "
                                "per task. Generated by make_tracking.py."))
    out_tasks = []
    for row in raw["tasks"]:
        row = dict(row)
        st = status.get(row["id"])
        row.update(st if st else {"percent_complete": 0, "actual_cost": 0.0,
                                  "etc": float(row["baseline_cost"])})
        out_tasks.append(row)
    return {"project": project, "tasks": out_tasks, "resources": raw.get("resources"),
            "risks": raw.get("risks"), "wbs": raw.get("wbs"), "periods": rows}


def totals(periods: list[dict]) -> pd.DataFrame:
    """The project-level period table: per-task rows summed per period."""
    df = pd.DataFrame(periods)
    out = df.groupby(["period", "date"], as_index=False)[["pv", "ev", "ac", "etc"]].sum()
    return out.round(2)


class _Flow(yaml.SafeDumper):
    pass


def _row(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    flow = "id" in data or "workweek" in data or "task" in data or isinstance(data.get("wbs"), str)
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow or None)


_Flow.add_representer(dict, _row)

if __name__ == "__main__":
    data = build()
    text = ("# Product release 3.0 with six monthly status periods — generated by "
            "make_tracking.py from software_release.yaml\n")
    for key in ("project", "wbs", "tasks", "resources", "risks", "periods"):
        if data.get(key):
            text += yaml.dump({key: data[key]}, Dumper=_Flow, sort_keys=False, width=140,
                              allow_unicode=True)
    (HERE / "software_release_tracking.yaml").write_text(text, encoding="utf-8")
    totals(data["periods"]).to_csv(HERE / "software_release_tracking.csv", index=False,
                                   lineterminator="\n")
    print(f"wrote {HERE / 'software_release_tracking.yaml'} and "
          f"{HERE / 'software_release_tracking.csv'}")
