"""Baseline management: several named baselines per project, comparisons and slip.

A baseline is a frozen copy of the plan's dates and budget per task. As in MS Project
(Baseline, Baseline1 … Baseline10) and Primavera P6 (project baselines), a project can keep
several: ``baseline`` (the one EVM and DCMA read, columns ``baseline_start``,
``baseline_finish``, ``baseline_cost``) and ``baseline_1``, ``baseline_2``, … stored as
task columns ``baseline_1_start``, ``baseline_1_finish``, ``baseline_1_cost``. A file keeps
them like any other task column.

* :func:`baseline_names` lists the baselines a project holds; :func:`baseline_table` reads
  one; :func:`set_baseline` saves the current schedule as a baseline (the next free
  ``baseline_k`` by default, never overwriting one unless asked).
* :func:`compare_baselines` compares any two (or a baseline with the current schedule):
  start/finish slip [working days], cost variance, added and removed tasks;
  :func:`baseline_summary` gives the project-level finish and cost change.

References
----------
.. [1] PMI, *PMBOK Guide*, 6th ed., §6.6.3.1 Schedule baseline and §7.3.3.1 Cost baseline.
.. [2] Microsoft, *Project* field reference: Baseline Start/Finish/Cost and Baseline1-10
   fields ("Save Baseline").
.. [3] Oracle, *Primavera P6 Professional*: "Maintain Baselines", "Assign Baselines".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tpmkit.cpm import ScheduleResult, schedule
from tpmkit.errors import ValidationError, format_ids
from tpmkit.model import Project

__all__ = ["CURRENT", "BaselineSummary", "baseline_columns", "baseline_names", "baseline_summary",
           "baseline_table", "compare_baselines", "set_baseline"]

#: Name that stands for the current (scheduled) plan in comparisons.
CURRENT = "current"
_NAME = re.compile(r"^baseline(?:_([1-9][0-9]*))?$")
_FIELDS = ("start", "finish", "cost")


def _check_name(name: str) -> str:
    text = str(name).strip().lower()
    if not _NAME.match(text):
        raise ValidationError(f"baseline name {name!r} is not valid; use 'baseline' or "
                              "'baseline_1', 'baseline_2', …")
    return text


def baseline_columns(name: str) -> dict[str, str]:
    """Task columns holding baseline ``name``: ``{"start": …, "finish": …, "cost": …}``.

    Examples
    --------
    >>> baseline_columns("baseline_2")["finish"]
    'baseline_2_finish'
    >>> baseline_columns("baseline")["cost"]
    'baseline_cost'
    """
    name = _check_name(name)
    return {f: f"{name}_{f}" for f in _FIELDS}


def _order(name: str) -> int:
    m = _NAME.match(name)
    return 0 if m is None or m.group(1) is None else int(m.group(1))


def baseline_names(project: Project) -> list[str]:
    """Baselines the project holds (a start or finish date on at least one task), in order.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A"], "duration": [2]}), start="2027-01-04")
    >>> baseline_names(set_baseline(p))
    ['baseline']
    """
    t = project.tasks
    found = set()
    for col in t.columns:
        for f in ("start", "finish"):
            if col.endswith("_" + f) and _NAME.match(col[: -len(f) - 1]):
                if t[col].astype(object).where(t[col].notna(), "").astype(str).str.strip().ne("").any():
                    found.add(col[: -len(f) - 1])
    return sorted(found, key=_order)


def baseline_table(project: Project, name: str = "baseline") -> pd.DataFrame:
    """One baseline as a table indexed by task id: ``start``, ``finish`` (Timestamps),
    ``cost`` [currency], ``in_baseline`` (the task has baseline dates).

    Raises
    ------
    ValidationError
        Unknown baseline (the message lists the ones present), dates that do not parse,
        or a finish before its start.
    """
    name = _check_name(name)
    names = baseline_names(project)
    if name not in names:
        raise ValidationError(f"the project has no baseline {name!r}; present: "
                              f"{', '.join(names) or 'none'} (save one with set_baseline)")
    t = project.tasks
    cols = baseline_columns(name)
    out = pd.DataFrame(index=t.index)
    for f in ("start", "finish"):
        raw = t[cols[f]] if cols[f] in t.columns else pd.Series(pd.NaT, index=t.index)
        parsed = pd.to_datetime(raw, errors="coerce")
        blank = raw.isna() | (raw.astype(str).str.strip() == "")
        bad = parsed.isna() & ~blank
        if bad.any():
            raise ValidationError(f"{name}: {cols[f]!r} is not a date for "
                                  f"{format_ids(t.index[bad.to_numpy()])}; use ISO dates")
        out[f] = parsed.to_numpy(dtype="datetime64[ns]")
    raw = t[cols["cost"]] if cols["cost"] in t.columns else pd.Series(np.nan, index=t.index)
    cost = pd.to_numeric(raw, errors="coerce")
    bad = cost.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        raise ValidationError(f"{name}: {cols['cost']!r} holds non-numbers for "
                              f"{format_ids(t.index[bad.to_numpy()])}; enter plain numbers")
    out["cost"] = cost.astype(float).to_numpy()
    late = out["finish"] < out["start"]
    if late.any():
        raise ValidationError(f"{name}: finish before start for "
                              f"{format_ids(t.index[late.to_numpy()])}; fix the baseline dates")
    out["in_baseline"] = out["start"].notna() | out["finish"].notna()
    return out


def _task_cost(project: Project) -> pd.Series:
    t = project.tasks
    return t["cost"].fillna(0.0) + t["rate"].fillna(0.0) * t["duration"].fillna(0.0)


def _current(project: Project, result: ScheduleResult | None) -> pd.DataFrame:
    if project.start is None:
        raise ValidationError("baselines hold calendar dates but the project has no start date; "
                              "set project.start")
    result = schedule(project) if result is None else result
    t = result.table
    return pd.DataFrame({"start": t["early_start_date"], "finish": t["early_finish_date"],
                         "cost": _task_cost(project), "in_baseline": True}, index=t.index)


def set_baseline(project: Project, name: str | None = None, *, overwrite: bool = False,
                 result: ScheduleResult | None = None) -> Project:
    """Save the current schedule (early dates) and planned cost as a baseline.

    Parameters
    ----------
    project : Project
        The plan; needs a start date.
    name : str, optional
        ``"baseline"`` or ``"baseline_k"``. Default: ``"baseline"`` when the project has
        none, else the next free ``baseline_k`` (MS Project's Baseline1, Baseline2, …).
    overwrite : bool
        Replace an existing baseline of that name (default: refuse).
    result : ScheduleResult, optional
        The project's schedule, when already computed.

    Returns
    -------
    Project
        A re-validated copy with the baseline columns filled for every task (cost: fixed
        cost + rate × duration [currency]).

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3],
    ...                               "predecessors": ["", "A"]}), start="2027-01-04")
    >>> p = set_baseline(set_baseline(p))
    >>> baseline_names(p)
    ['baseline', 'baseline_1']
    >>> str(baseline_table(p, "baseline_1").loc["B", "finish"].date())
    '2027-01-08'
    """
    present = baseline_names(project)
    if name is None:
        k = 1
        name = "baseline" if "baseline" not in present else None
        while name is None:
            name = f"baseline_{k}" if f"baseline_{k}" not in present else None
            k += 1
    name = _check_name(name)
    if name in present and not overwrite:
        raise ValidationError(f"baseline {name!r} exists; pass overwrite=True to replace it or "
                              "save under another name (baseline_1, baseline_2, …)")
    cur = _current(project, result)
    cols = baseline_columns(name)
    table = project.to_table().set_index("id")
    table[cols["start"]] = cur["start"].dt.strftime("%Y-%m-%d")
    table[cols["finish"]] = cur["finish"].dt.strftime("%Y-%m-%d")
    table[cols["cost"]] = cur["cost"]
    return project.replace(tasks=table.reset_index(), links=project.links)


def _side(project: Project, name: str, result: ScheduleResult | None) -> pd.DataFrame:
    if str(name).strip().lower() == CURRENT:
        return _current(project, result)
    return baseline_table(project, name)


def _working_days(project: Project, later: pd.Series, earlier: pd.Series) -> np.ndarray:
    """Signed working days between two date columns (NaN where either is missing)."""
    out = np.full(len(later), np.nan)
    ok = (later.notna() & earlier.notna()).to_numpy()
    if ok.any():
        a = earlier[ok].to_numpy(dtype="datetime64[D]")
        b = later[ok].to_numpy(dtype="datetime64[D]")
        out[ok] = np.busday_count(a, b, busdaycal=project.calendar.busdaycal).astype(float)
    return out


def compare_baselines(project: Project, a: str = "baseline", b: str = CURRENT, *,
                      result: ScheduleResult | None = None) -> pd.DataFrame:
    """Task-by-task comparison of two baselines (or a baseline and the current plan).

    Parameters
    ----------
    project : Project
    a, b : str
        Baseline names; ``"current"`` is the current schedule (early dates, planned cost).
        Slip is ``b − a``: positive means ``b`` is later or dearer.
    result : ScheduleResult, optional
        The current schedule, when already computed.

    Returns
    -------
    DataFrame
        Indexed by task id: ``name``, ``wbs``, ``start_a``, ``finish_a``, ``start_b``,
        ``finish_b``, ``start_slip`` and ``finish_slip`` [working days, project calendar],
        ``cost_a``, ``cost_b``, ``cost_variance`` [currency, b − a], ``status``
        (``unchanged``, ``moved``, ``added`` — only in b, ``removed`` — only in a).

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3],
    ...                               "predecessors": ["", "A"]}), start="2027-01-04")
    >>> p = set_baseline(p).with_durations({"A": 4})
    >>> compare_baselines(p)["finish_slip"].tolist()
    [2.0, 2.0]
    """
    left, right = _side(project, a, result), _side(project, b, result)
    t = project.tasks
    out = pd.DataFrame({"name": t["name"], "wbs": t["wbs"]}, index=t.index)
    for f in ("start", "finish", "cost"):
        out[f"{f}_a"] = left[f]
        out[f"{f}_b"] = right[f]
    out["start_slip"] = _working_days(project, out["start_b"], out["start_a"])
    out["finish_slip"] = _working_days(project, out["finish_b"], out["finish_a"])
    out["cost_variance"] = out["cost_b"].fillna(0.0) - out["cost_a"].fillna(0.0)
    ina, inb = left["in_baseline"].to_numpy(), right["in_baseline"].to_numpy()
    moved = (np.nan_to_num(np.abs(out["start_slip"].to_numpy())) > 0) | (
        np.nan_to_num(np.abs(out["finish_slip"].to_numpy())) > 0) | (
        np.abs(out["cost_variance"].to_numpy()) > 1e-9)
    out["status"] = np.where(ina & inb, np.where(moved, "moved", "unchanged"),
                             np.where(inb, "added", np.where(ina, "removed", "none")))
    return out[["name", "wbs", "start_a", "finish_a", "start_b", "finish_b", "start_slip",
                "finish_slip", "cost_a", "cost_b", "cost_variance", "status"]]


@dataclass(frozen=True)
class BaselineSummary:
    """Project-level change between two baselines (:func:`baseline_summary`).

    Attributes
    ----------
    a, b : str
        The baselines compared.
    finish_a, finish_b : Timestamp
        Latest finish in each.
    finish_slip : float
        [working days], b − a.
    cost_a, cost_b, cost_variance : float
        Total cost [currency] and its change b − a.
    tasks : dict of str to int
        Task counts by comparison status.
    """

    a: str
    b: str
    finish_a: pd.Timestamp
    finish_b: pd.Timestamp
    finish_slip: float
    cost_a: float
    cost_b: float
    cost_variance: float
    tasks: dict[str, int]

    def _repr_html_(self) -> str:
        return (f"<p><b>{self.a} → {self.b}</b>: finish {self.finish_a.date()} → "
                f"{self.finish_b.date()} ({self.finish_slip:+g} working days); cost "
                f"{self.cost_a:,.2f} → {self.cost_b:,.2f} ({self.cost_variance:+,.2f}).</p>")


def baseline_summary(comparison: pd.DataFrame, project: Project, a: str = "baseline",
                     b: str = CURRENT) -> BaselineSummary:
    """Finish and total cost of the two sides of :func:`compare_baselines`.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3], "rate": [100, 100],
    ...                               "predecessors": ["", "A"]}), start="2027-01-04")
    >>> p = set_baseline(p).with_durations({"B": 5})
    >>> s = baseline_summary(compare_baselines(p), p)
    >>> s.finish_slip, s.cost_variance
    (2.0, 200.0)
    """
    fa, fb = comparison["finish_a"].max(), comparison["finish_b"].max()
    slip = _working_days(project, pd.Series([fb]), pd.Series([fa]))[0]
    ca, cb = float(comparison["cost_a"].fillna(0).sum()), float(comparison["cost_b"].fillna(0).sum())
    counts = comparison["status"].value_counts()
    return BaselineSummary(a, b, fa, fb, float(slip), ca, cb, cb - ca,
                           {str(k): int(v) for k, v in counts.items()})
