"""Integrated change control: what a change request does to schedule, cost, risk and EAC.

:func:`impact` applies a change request's effects (:mod:`tpmkit.scope.effects`) to a copy
of the plan and compares the two plans: CPM duration and finish date
(:func:`tpmkit.schedule`), planned cost, the Monte Carlo P80 of finish and cost
(:func:`tpmkit.risk.simulate`, the same seed for both plans) and the estimate at completion
(:mod:`tpmkit.evm`). :func:`approve` applies the change, saves the changed plan as a new
baseline version (:func:`tpmkit.baselines.set_baseline`) and moves the request to
``approved`` in the change log.

EAC of the changed plan: the change's cost delta is spent at the cost performance so far,
EAC' = EAC + ΔC / CPI (PMBOK EAC = AC + (BAC − EV)/CPI with BAC' = BAC + ΔC); before any
progress is reported (no status date) CPI = 1 and EAC = BAC, the sum of the task budgets.

References
----------
.. [1] PMI, *PMBOK Guide*, 6th ed., §4.6 Perform Integrated Change Control; §7.4.2.2
   Earned value analysis (EAC forecasts).
.. [2] AACE International Recommended Practice 86R-14, *Variance Analysis and Reporting*
   (change impact on the baseline).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit import evm
from tpmkit.baselines import baseline_names, set_baseline
from tpmkit.cpm import ScheduleResult, schedule
from tpmkit.errors import TpmkitError, ValidationError, format_ids
from tpmkit.model import Project
from tpmkit.risk import simulate
from tpmkit.scope import change_log, change_transition
from tpmkit.scope.effects import AppliedChange, apply_change

__all__ = ["Approval", "ChangeImpact", "approve", "impact"]

_MEASURES = ("duration", "cost", "p80_duration", "p80_cost", "eac", "scope")


@dataclass(frozen=True)
class ChangeImpact:
    """The effect of one change request on the plan (:func:`impact`).

    Attributes
    ----------
    change : str
        Change request id.
    table : DataFrame
        Indexed by measure — ``duration`` [working days], ``cost`` (planned: fixed cost +
        rate × duration) [currency], ``p80_duration`` [working days], ``p80_cost``
        [currency], ``eac`` [currency], ``scope`` [scope units] — with ``before``,
        ``after`` and ``delta`` (after − before).
    tasks : DataFrame
        Per task of either plan: ``status`` (added, removed, changed, moved, unchanged),
        ``early_start_before``/``after``, ``early_finish_before``/``after`` [working days],
        ``finish_delta`` [working days], ``critical_before``/``after``.
    finish_before, finish_after : Timestamp or None
        CPM finish dates (with a start date).
    critical_path_before, critical_path_after : list of str
    applied : AppliedChange
        The changed plan and the effects that undo it.
    estimate : dict of str to float
        The change log's own estimate (``cost_impact``, ``schedule_impact_days``) when a
        log was given, else empty.
    seed, iterations : int
        Monte Carlo settings (both plans use the same seed).
    cpi : float
        Cost performance index used for the EAC (1 before any progress).
    """

    change: str
    table: pd.DataFrame
    tasks: pd.DataFrame
    finish_before: pd.Timestamp | None
    finish_after: pd.Timestamp | None
    critical_path_before: list[str]
    critical_path_after: list[str]
    applied: AppliedChange
    estimate: dict[str, float]
    seed: int
    iterations: int
    cpi: float

    def delta(self, measure: str) -> float:
        """``after − before`` of one measure (``duration``, ``cost``, ``p80_duration``, …)."""
        if measure not in self.table.index:
            raise ValidationError(f"unknown measure {measure!r}; use one of {', '.join(_MEASURES)}")
        return float(self.table.at[measure, "delta"])

    def _repr_html_(self) -> str:
        head = (f"<p><b>Impact of change {self.change}</b>: duration "
                f"{self.delta('duration'):+g} working days, cost {self.delta('cost'):+,.2f}, "
                f"P80 {self.delta('p80_duration'):+.1f} working days, EAC "
                f"{self.delta('eac'):+,.2f} (Monte Carlo {self.iterations:,} iterations, seed "
                f"{self.seed}).</p>")
        return head + self.table.to_html(float_format=lambda x: f"{x:,.2f}")


def _planned_cost(project: Project) -> float:
    t = project.tasks
    return float((t["cost"].fillna(0.0) + t["rate"].fillna(0.0) * t["duration"].fillna(0.0)).sum())


def _eac(project: Project) -> tuple[float, float]:
    """(EAC, CPI) at the project's status date; (BAC, 1) before any progress."""
    if project.status_date is None:
        return float(evm.task_budgets(project).sum()), 1.0
    with warnings.catch_warnings():
        # undefined ratios (TCPI once the budget is spent, …) do not enter the EAC used here
        warnings.simplefilter("ignore", evm.EVMWarning)
        row = evm.latest(evm.metrics(project))
    cpi = float(row["cpi"])
    if not np.isfinite(cpi) or cpi <= 0:
        cpi = 1.0
    eac = float(row["eac"])
    return (eac if np.isfinite(eac) else float(row["bac"])), cpi


def _task_table(before: ScheduleResult, after: ScheduleResult, applied: AppliedChange
                ) -> pd.DataFrame:
    a, b = before.table, after.table
    ids = list(a.index) + [i for i in b.index if i not in a.index]
    out = pd.DataFrame(index=pd.Index(ids, name="id"))
    for col in ("early_start", "early_finish", "critical"):
        out[f"{col}_before"] = a[col].reindex(out.index)
        out[f"{col}_after"] = b[col].reindex(out.index)
    out["finish_delta"] = out["early_finish_after"] - out["early_finish_before"]
    moved = out["finish_delta"].abs().gt(0) | (out["early_start_after"]
                                               - out["early_start_before"]).abs().gt(0)
    status = np.where(moved, "moved", "unchanged").astype(object)
    status[out.index.isin(applied.changed)] = "changed"
    status[out.index.isin(applied.added)] = "added"
    status[out.index.isin(applied.removed)] = "removed"
    out.insert(0, "status", status)
    return out


def _applied(project: Project, change: Any, effects: Any) -> AppliedChange:
    if isinstance(change, AppliedChange):
        return change
    if isinstance(change, str):
        if effects is None:
            raise ValidationError(f"change {change}: give the change-effects table (effects=…) "
                                  "that says what the change does to the plan")
        return apply_change(project, effects, change)
    return apply_change(project, change)


def _estimate(log: Any, change: str) -> dict[str, float]:
    if log is None:
        return {}
    log = change_log(log) if not isinstance(log, pd.DataFrame) or "id" in log.columns else log
    if change not in log.index:
        raise ValidationError(f"change {change} is not in the change log; known: "
                              f"{format_ids(log.index)}")
    return {"cost_impact": float(log.at[change, "cost_impact"]),
            "schedule_impact_days": float(log.at[change, "schedule_impact_days"])}


def impact(project: Project, change: Any, *, effects: Any = None, log: Any = None,
           iterations: int = 2000, rng: int = 2027) -> ChangeImpact:
    """Schedule, cost, P80 and EAC deltas of a change request, applied to a copy of the plan.

    Parameters
    ----------
    project : Project
        The current plan (not changed).
    change : str, AppliedChange, DataFrame or list of rows
        A change request id (its rows of ``effects`` are applied), an already applied
        change, or the effect rows themselves (see :mod:`tpmkit.scope.effects`).
    effects : DataFrame or list of rows, optional
        The change-effects table, when ``change`` is an id.
    log : DataFrame or list of rows, optional
        The change log; its estimated ``cost_impact`` and ``schedule_impact_days`` are
        returned beside the computed deltas.
    iterations : int
        Monte Carlo iterations per plan.
    rng : int
        Seed used for both simulations (common random numbers keep the P80 delta from
        being sampling noise where the plans agree).

    Returns
    -------
    ChangeImpact

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3], "rate": [100, 100],
    ...                               "predecessors": ["", "A"]}))
    >>> fx = [{"change": "CR1", "action": "duration", "task": "B", "duration": 2}]
    >>> r = impact(p, "CR1", effects=fx, iterations=100)
    >>> r.delta("duration"), r.delta("cost"), r.delta("p80_duration"), r.delta("eac")
    (2.0, 200.0, 2.0, 200.0)
    """
    applied = _applied(project, change, effects)
    name = applied.change or (change if isinstance(change, str) else "")
    new = applied.project
    s0, s1 = schedule(project), schedule(new)
    sims = [simulate(p, iterations, rng, risk_drivers=False) for p in (project, new)]
    eac0, cpi = _eac(project)
    c0, c1 = _planned_cost(project), _planned_cost(new)
    eac1 = eac0 + (c1 - c0) / cpi
    rows = {
        "duration": (s0.duration, s1.duration),
        "cost": (c0, c1),
        "p80_duration": tuple(float(s.percentile(80)) for s in sims),
        "p80_cost": tuple(float(s.percentile(80, of="cost")) for s in sims),
        "eac": (eac0, eac1),
        "scope": (0.0, applied.scope_delta),
    }
    table = pd.DataFrame(rows, index=["before", "after"]).T
    table["delta"] = table["after"] - table["before"]
    table.index.name = "measure"
    return ChangeImpact(
        change=str(name), table=table, tasks=_task_table(s0, s1, applied),
        finish_before=s0.finish_date, finish_after=s1.finish_date,
        critical_path_before=s0.critical_path, critical_path_after=s1.critical_path,
        applied=applied, estimate=_estimate(log, str(name)), seed=int(rng),
        iterations=int(iterations), cpi=cpi)


@dataclass(frozen=True)
class Approval:
    """An approved change (:func:`approve`).

    Attributes
    ----------
    change : str
    project : Project
        The changed plan, holding a new baseline version of itself.
    baseline : str
        Name of the baseline saved (``baseline_1``, ``baseline_2``, …).
    log : DataFrame or None
        The change log with the request moved to ``approved`` (when a log was given).
    applied : AppliedChange
    """

    change: str
    project: Project
    baseline: str
    log: pd.DataFrame | None
    applied: AppliedChange


def approve(project: Project, change: Any, *, effects: Any = None, log: Any = None,
            date: Any = None, baseline: str | None = None) -> Approval:
    """Approve a change: apply it and save the changed plan as a new baseline version.

    Parameters
    ----------
    project : Project
        The current plan (needs a start date: baselines hold dates).
    change, effects
        As in :func:`impact`.
    log : DataFrame or list of rows, optional
        The change log: the request moves to ``approved`` (decided on ``date``).
    date : date-like, optional
        Decision date (default today).
    baseline : str, optional
        Name for the new baseline (default the next free ``baseline_k``; the first
        baseline of a plan that has none is ``baseline``).

    Returns
    -------
    Approval

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3],
    ...                               "predecessors": ["", "A"]}), start="2027-01-04")
    >>> p = tpmkit.baselines.set_baseline(p)
    >>> fx = [{"change": "CR1", "action": "duration", "task": "B", "duration": 2}]
    >>> a = approve(p, "CR1", effects=fx, log=[{"id": "CR1"}], date="2027-01-05")
    >>> a.baseline, a.log.loc["CR1", "status"]
    ('baseline_1', 'approved')
    >>> str(tpmkit.baselines.baseline_table(a.project, "baseline_1").loc["B", "finish"].date())
    '2027-01-12'
    """
    applied = _applied(project, change, effects)
    name = applied.change or (change if isinstance(change, str) else "")
    new_log = None
    if log is not None:
        frame = change_log(log)
        try:
            new_log = change_transition(frame, str(name), "approved", date)
        except TpmkitError as exc:
            raise ValidationError(f"cannot approve change {name}: {exc}") from None
    before = set(baseline_names(applied.project))
    saved = set_baseline(applied.project, baseline)
    added = [b for b in baseline_names(saved) if b not in before]
    return Approval(change=str(name), project=saved,
                    baseline=baseline or (added[0] if added else "baseline"),
                    log=new_log, applied=applied)
