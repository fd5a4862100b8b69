"""Cost of every task from fixed costs, task rates and resource rates (:func:`cost`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.resources.loading import assignment_table, resource_table

__all__ = ["CostBreakdown", "cost"]


@dataclass(frozen=True)
class CostBreakdown:
    """Cost of every task and of every resource (:func:`cost`).

    Attributes
    ----------
    table : DataFrame
        Indexed by task id: ``fixed_cost``, ``time_cost``, ``resource_cost``, ``total_cost``
        [currency].
    total : float
        Project total, the sum of ``total_cost`` [currency].
    by_resource : Series
        Every assignment valued at its resource's rate, summed per resource (whether or not
        the task has its own rate) [currency].
    """

    table: pd.DataFrame
    total: float
    by_resource: pd.Series

    def _repr_html_(self) -> str:
        head = f"<p><b>Cost</b>: total {self.total:,.2f} over {len(self.table)} task(s).</p>"
        return head + self.table.to_html(float_format=lambda x: f"{x:,.2f}", max_rows=60)


def cost(project) -> CostBreakdown:
    """Cost of every task from its fixed cost, task rate and resource rates.

    ``total_cost = cost + rate * duration`` for a task with a ``rate``; a task without
    one is priced from its resources, ``cost + sum_r units_r * rate_r * duration``. A
    task rate is the task's whole time-dependent cost (it already covers the people on
    it, as in tools that store a task cost rate), so resource rates never add to it --
    this keeps ``total_cost`` equal to the budget the EVM and CPM modules use.

    Parameters
    ----------
    project : Project
        Task columns ``cost`` [currency], ``rate`` [currency per working day],
        ``duration`` [working days]; ``assignments``; resource rates from the
        ``resources`` table [currency per unit per working day].

    Returns
    -------
    CostBreakdown
        ``table`` indexed by task id: ``fixed_cost``, ``time_cost`` (task rate x duration),
        ``resource_cost`` (resources x their rates x duration, tasks without a rate),
        ``total_cost`` [currency]; ``total``, the project total, and ``by_resource``, a
        Series with every assignment valued at its resource's rate, per resource (whether
        or not the task has its own rate).

    References
    ----------
    .. [1] PMI, *PMBOK Guide*, 6th ed., 2017, §7.2 (Estimate Costs: resource rates).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> tasks = pd.DataFrame({"duration": [5.0, 2.0], "cost": [1000.0, float("nan")],
    ...                       "rate": [float("nan"), 100.0]}, index=pd.Index(["A", "B"], name="id"))
    >>> p = SimpleNamespace(tasks=tasks, resources=pd.DataFrame({"id": ["dev"], "rate": [800.0]}),
    ...     assignments=pd.DataFrame({"task": ["A", "B"], "resource": ["dev", "dev"], "units": [0.5, 1.0]}))
    >>> cost(p).table
        fixed_cost  time_cost  resource_cost  total_cost
    id
    A       1000.0        0.0         2000.0      3000.0
    B          0.0      200.0            0.0       200.0
    >>> cost(p).by_resource["dev"]
    np.float64(3600.0)
    """
    tasks = project.tasks
    dur = pd.to_numeric(tasks["duration"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    fixed = pd.to_numeric(tasks.get("cost", pd.Series(np.nan, index=tasks.index)),
                          errors="coerce").fillna(0.0).to_numpy(dtype=float)
    rate = pd.to_numeric(tasks.get("rate", pd.Series(np.nan, index=tasks.index)),
                         errors="coerce").to_numpy(dtype=float)
    has_rate = ~np.isnan(rate)
    table = resource_table(project)
    a = assignment_table(project)
    pos = tasks.index.get_indexer(a["task"].astype(str))
    if (pos < 0).any():
        raise ValidationError(
            f"assignments name unknown tasks: {format_ids(a['task'][pos < 0])}; "
            "assign resources to tasks of this project")
    r_rate = table["rate"].reindex(a["resource"].astype(str)).to_numpy(dtype=float)
    each = a["units"].to_numpy(dtype=float) * r_rate * dur[pos]
    res_cost = np.bincount(pos, weights=each, minlength=len(tasks))
    out = pd.DataFrame({"fixed_cost": fixed,
                        "time_cost": np.where(has_rate, np.nan_to_num(rate) * dur, 0.0),
                        "resource_cost": np.where(has_rate, 0.0, res_cost)},
                       index=tasks.index)
    out["total_cost"] = out.sum(axis=1)
    by_resource = (pd.Series(each, index=a["resource"].astype(str).to_numpy())
                   .groupby(level=0, sort=False).sum())
    return CostBreakdown(table=out, total=float(out["total_cost"].sum()), by_resource=by_resource)
