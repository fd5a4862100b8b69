"""Resources: loading, over-allocation, cost, crashing and critical chain.

Four families of functions, all taking a validated :class:`~tpmkit.model.Project`:

* **Loading** -- :func:`loading` spreads each assignment (``tasks.resources``, units per
  working day) over the working days its task occupies in a schedule, compares the
  usage with the capacities of the ``resources`` table (optionally with a working
  calendar per resource), and finds the over-allocation periods together with the
  tasks that cause them. :func:`histogram` gives the data of a resource histogram,
  :func:`cost` the cost of every task from fixed costs, task rates and resource rates.
* **Crashing** -- :func:`crash` finds the cheapest way to compress the project to a
  target duration by shortening tasks between their normal and crash durations (a
  linear program solved with HiGHS); :func:`time_cost_curve` gives the whole convex
  time--cost trade-off curve through its exact breakpoints.
* **Critical chain** -- :func:`critical_chain` cuts task durations to aggressive
  estimates, keeps the order of a (levelled) schedule, identifies the critical chain,
  sizes the project and feeding buffers (cut-and-paste 50 % or root-square-error)
  and places feeding chains as late as their buffers allow;
  :meth:`CriticalChain.fever_chart` turns progress snapshots into the fever-chart
  series (buffer consumption against chain completion).

The ``resources`` table (a ``resources`` key/sheet) has one row per resource:
``id`` (or ``resource``), ``capacity`` [units per working day, default 1 -- MS
Project's 100 % max units], ``rate`` [currency per unit per working day, default 0]
and optionally ``workweek`` (e.g. ``"Mon, Tue, Wed, Thu"``) and ``holidays``
(``"2027-03-01; 2027-03-02"``): on a working day of the project that the resource does
not work its capacity is 0.

Times are working-day offsets from the project start (contract): a task with start
``s`` and finish ``f`` occupies ``[s, f)``; day ``k`` is the interval ``[k, k + 1)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._core.codes import EPS, ConstraintType, LinkType
from tpmkit.errors import DataError, ValidationError, check_option, format_ids
from tpmkit.model.calendar import parse_holidays, parse_workweek

__all__ = [
    "CostBreakdown",
    "CrashResult",
    "CriticalChain",
    "Loading",
    "TimeCostCurve",
    "cost",
    "crash",
    "critical_chain",
    "histogram",
    "loading",
    "overallocations",
    "resource_table",
    "time_cost_curve",
    "usage",
]

_TOL = EPS
_LP_TOL = 100 * EPS  # looser: values from the LP solver (HiGHS works to ~1e-7), long sums


# --------------------------------------------------------------------------- helpers


def _assignments(project) -> pd.DataFrame:
    a = getattr(project, "assignments", None)
    if a is None or len(a) == 0:
        return pd.DataFrame({"task": pd.Series([], dtype=object),
                             "resource": pd.Series([], dtype=object),
                             "units": pd.Series([], dtype=float)})
    return a


def _schedule_times(project, schedule) -> tuple[np.ndarray, np.ndarray]:
    """Start and finish offsets [working days] of every task, in the task table's order.

    ``schedule`` may be None (the CPM early schedule), a DataFrame with ``start`` and
    ``finish`` (a levelled schedule) or ``early_start`` and ``early_finish`` (CPM), a
    ``ScheduleResult`` (its ``.table``) or a levelling result (its ``.schedule``).
    """
    if schedule is None:
        from tpmkit.cpm import schedule as cpm_schedule

        schedule = cpm_schedule(project)
    if not isinstance(schedule, pd.DataFrame):
        # a ScheduleResult carries its table in .table, a LevelResult in .schedule
        schedule = getattr(schedule, "table", getattr(schedule, "schedule", schedule))
    if not isinstance(schedule, pd.DataFrame):
        raise ValidationError(
            f"schedule must be a DataFrame with start/finish columns, got {type(schedule).__name__}; "
            "pass tpmkit.schedule(project) or a levelling result")
    for s_col, f_col in (("start", "finish"), ("early_start", "early_finish")):
        if s_col in schedule.columns and f_col in schedule.columns:
            break
    else:
        raise ValidationError(
            "schedule has neither start/finish nor early_start/early_finish columns; "
            "pass tpmkit.schedule(project) or a levelling result's .schedule")
    ids = project.tasks.index
    missing = ids.difference(schedule.index)
    if len(missing):
        raise ValidationError(
            f"schedule lacks {len(missing)} task(s) of the project: {format_ids(missing)}; "
            "compute the schedule from this project")
    start = schedule[s_col].reindex(ids).to_numpy(dtype=float)
    finish = schedule[f_col].reindex(ids).to_numpy(dtype=float)
    bad = ~(np.isfinite(start) & np.isfinite(finish)) | (finish < start - _TOL) | (start < -_TOL)
    if bad.any():
        raise ValidationError(
            f"schedule has missing, negative or reversed start/finish for {format_ids(ids[bad])}; "
            "every task needs 0 <= start <= finish [working-day offsets]")
    return start, finish


def _parse_workweek(text: Any, rid: str) -> np.ndarray | None:
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip() == "":
        return None
    return np.array(parse_workweek(text, f"resource {rid} (workweek)"), dtype=bool)


def _parse_holidays(value: Any, rid: str) -> np.ndarray | None:
    days = parse_holidays(value, f"resource {rid}")
    return days if len(days) else None


def resource_table(project) -> pd.DataFrame:
    """Validated resource table: one row per resource used or listed.

    Parameters
    ----------
    project : Project
        Its ``resources`` table (may be None) and ``assignments``.

    Returns
    -------
    pandas.DataFrame
        Indexed by resource id (listed resources first, in their order, then resources
        that are only assigned), columns ``capacity`` [units per working day], ``rate``
        [currency per unit per working day], ``workweek`` (7 bools Mon..Sun or None),
        ``holidays`` (datetime64[D] array or None), plus any other columns as read.

    Raises
    ------
    ValidationError
        Duplicate or missing ids, negative or non-numeric capacity or rate, an
        assignment to a resource the (non-empty) table does not list.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> p = SimpleNamespace(resources=pd.DataFrame({"id": ["dev"], "capacity": [2], "rate": [800]}),
    ...                     assignments=pd.DataFrame({"task": ["A"], "resource": ["dev"], "units": [1.0]}))
    >>> resource_table(p)[["capacity", "rate"]]
         capacity   rate
    id
    dev       2.0  800.0
    """
    table = getattr(project, "resources", None)
    assigned = pd.unique(_assignments(project)["resource"].astype(str))
    if table is None or len(table) == 0:
        out = pd.DataFrame(index=pd.Index(assigned, name="id", dtype=object))
        out["capacity"] = 1.0
        out["rate"] = 0.0
    else:
        # the model validated the table once (canonical ``id`` column, numbers >= 0);
        # blanks take the defaults here
        out = table.set_index("id")
        out.index = out.index.astype(object)
        unknown = [r for r in assigned if r not in out.index]
        if unknown:
            raise ValidationError(
                f"tasks are assigned to resources missing from the resources table: "
                f"{format_ids(unknown)}; add them to the resources table or fix the task's resources")
        for col, default in (("capacity", 1.0), ("rate", 0.0)):
            if col not in out.columns:
                out[col] = default
            out[col] = pd.to_numeric(out[col], errors="coerce").fillna(default).astype(float)
    weeks = [_parse_workweek(out.at[r, "workweek"], r) if "workweek" in out.columns else None
             for r in out.index]
    hols = [_parse_holidays(out.at[r, "holidays"], r) if "holidays" in out.columns else None
            for r in out.index]
    out["workweek"] = pd.Series(weeks, index=out.index, dtype=object)
    out["holidays"] = pd.Series(hols, index=out.index, dtype=object)
    return out


def _working_dates(project, n_days: int) -> pd.DatetimeIndex | None:
    """Dates of working days 0 .. n_days-1, or None without a project start."""
    start = getattr(project, "start", None)
    if start is None or pd.isna(start):
        return None
    return pd.DatetimeIndex(project.calendar.start_dates(np.arange(n_days, dtype=float), start))


# --------------------------------------------------------------------------- loading


@dataclass
class Loading:
    """Resource loading of one schedule.

    Attributes
    ----------
    usage : pandas.DataFrame
        Units in use per working day [units]; index ``day`` (working-day offset),
        one column per resource.
    capacity : pandas.DataFrame
        Available units per working day, same shape (0 on a resource's days off).
    overallocations : pandas.DataFrame
        One row per over-allocation period (see :func:`overallocations`).
    resources : pandas.DataFrame
        The validated resource table (:func:`resource_table`).
    dates : pandas.DatetimeIndex or None
        Calendar date of each day, when the project has a start date.
    """

    usage: pd.DataFrame
    capacity: pd.DataFrame
    overallocations: pd.DataFrame
    resources: pd.DataFrame
    dates: pd.DatetimeIndex | None = None

    @property
    def cost(self) -> pd.DataFrame:
        """Resource cost per working day [currency]: usage times rate."""
        return self.usage * self.resources["rate"].reindex(self.usage.columns).to_numpy()

    @property
    def overallocated(self) -> bool:
        """True when any resource is over-allocated on any day."""
        return len(self.overallocations) > 0

    def histogram(self, resource: str | None = None, by: str = "day") -> pd.DataFrame:
        """Histogram data; see :func:`histogram`."""
        return _histogram(self, resource, by)

    def _repr_html_(self) -> str:
        peak = self.usage.max()
        summary = pd.DataFrame({
            "capacity": self.capacity.max(),
            "peak_usage": peak,
            "unit_days": self.usage.sum(),
            "overallocated_days": (self.usage > self.capacity + _TOL).sum(),
        })
        return ("<b>Resource loading</b> "
                f"({len(self.usage)} working days, {len(self.overallocations)} over-allocation periods)"
                + summary.to_html(float_format=lambda v: f"{v:,.2f}"))


def loading(project, schedule: pd.DataFrame | Any = None) -> Loading:
    """Resource usage per working day, capacities and over-allocation periods.

    Each assignment uses ``units`` of its resource on every working day its task
    occupies; a task covering only part of day ``k`` uses ``units`` times the covered
    fraction of that day.

    Parameters
    ----------
    project : Project
        Validated project with ``assignments`` and, optionally, a ``resources`` table.
    schedule : DataFrame or levelling result, optional
        Task start/finish offsets [working days]; default the CPM early schedule.

    Returns
    -------
    Loading

    References
    ----------
    .. [1] PMI, *A Guide to the Project Management Body of Knowledge*, 6th ed., 2017,
       §6.5.2.3 (resource optimisation; resource histograms).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> p = SimpleNamespace(
    ...     tasks=pd.DataFrame(index=pd.Index(["A", "B"], name="id")), start=None,
    ...     resources=pd.DataFrame({"id": ["dev"], "capacity": [1]}),
    ...     assignments=pd.DataFrame({"task": ["A", "B"], "resource": ["dev"] * 2, "units": [1.0, 1.0]}))
    >>> sched = pd.DataFrame({"start": [0.0, 1.0], "finish": [2.0, 3.0]}, index=["A", "B"])
    >>> result = loading(p, sched)
    >>> result.usage["dev"].tolist()
    [1.0, 2.0, 1.0]
    >>> result.overallocations[["resource", "start", "finish", "peak", "tasks"]]
      resource  start  finish  peak   tasks
    0      dev      1       2   2.0  [A, B]
    """
    start, finish = _schedule_times(project, schedule)
    table = resource_table(project)
    a = _assignments(project)
    ids = project.tasks.index
    res_ids = list(table.index)
    pos = ids.get_indexer(a["task"].astype(str))
    if (pos < 0).any():
        raise ValidationError(
            f"assignments name unknown tasks: {format_ids(a['task'][pos < 0])}; "
            "assign resources to tasks of this project")
    code = pd.Index(res_ids).get_indexer(a["resource"].astype(str))
    units = a["units"].to_numpy(dtype=float)
    s, f = start[pos], finish[pos]
    horizon = int(math.ceil(max(finish.max(initial=0.0), 0.0) - _TOL)) if len(finish) else 0
    n_res = len(res_ids)

    # Expand every assignment into the working days it touches (vectorised).
    d0 = np.floor(s + _TOL).astype(np.int64)
    d1 = np.ceil(f - _TOL).astype(np.int64)
    counts = np.maximum(d1 - d0, 0)
    rep = np.repeat(np.arange(len(s)), counts)
    first = np.cumsum(counts) - counts
    day = d0[rep] + (np.arange(rep.size) - first[rep])
    frac = np.minimum(f[rep], day + 1.0) - np.maximum(s[rep], day.astype(float))
    flat = np.bincount(day * n_res + code[rep], weights=units[rep] * np.clip(frac, 0.0, 1.0),
                       minlength=horizon * n_res)
    use = flat[: horizon * n_res].reshape(horizon, n_res)

    dates = _working_dates(project, horizon)
    cap = np.broadcast_to(table["capacity"].to_numpy(dtype=float), (horizon, n_res)).copy()
    has_cal = [w is not None or h is not None for w, h in zip(table["workweek"], table["holidays"])]
    if any(has_cal):
        if dates is None:
            raise DataError(
                f"resources {format_ids(np.array(res_ids)[has_cal])} have their own calendars "
                "but the project has no start date; set the project start")
        wd = dates.day_of_week.to_numpy()
        days64 = dates.to_numpy().astype("datetime64[D]")
        for j, (week, hol) in enumerate(zip(table["workweek"], table["holidays"])):
            off = np.zeros(horizon, dtype=bool)
            if week is not None:
                off |= ~week[wd]
            if hol is not None:
                off |= np.isin(days64, hol)
            cap[off, j] = 0.0

    index = pd.RangeIndex(horizon, name="day")
    columns = pd.Index(res_ids, name="resource", dtype=object)
    usage_df = pd.DataFrame(use, index=index, columns=columns)
    cap_df = pd.DataFrame(cap, index=index, columns=columns)
    over = _overallocation_periods(use, cap, res_ids, a, pos, code, s, f, ids, dates)
    return Loading(usage_df, cap_df, over, table, dates)


def _overallocation_periods(use, cap, res_ids, a, pos, code, s, f, ids, dates) -> pd.DataFrame:
    tol = _TOL * np.maximum(1.0, cap)
    over = use > cap + tol
    padded = np.zeros((over.shape[0] + 2, over.shape[1]), dtype=np.int8)
    padded[1:-1] = over
    step = np.diff(padded, axis=0)
    r_start, c_start = np.nonzero(step.T == 1)
    _, end = np.nonzero(step.T == -1)
    rows = []
    excess = np.where(over, use - cap, 0.0)
    for j, d0, d1 in zip(r_start, c_start, end):
        on_res = code == j
        active = on_res & (s < d1) & (f > d0) & (f > s)
        order = np.argsort(s[active], kind="stable")
        units_of: dict[str, float] = {}
        for t, u in zip(ids[pos[active]][order], a["units"].to_numpy(dtype=float)[active][order]):
            units_of[str(t)] = units_of.get(str(t), 0.0) + float(u)
        tasks = list(units_of)
        rows.append({
            "resource": res_ids[j],
            "start": int(d0),
            "finish": int(d1),
            "days": int(d1 - d0),
            "peak": float(use[d0:d1, j].max()),
            "capacity": float(cap[d0:d1, j].min()),
            "max_excess": float(excess[d0:d1, j].max()),
            "excess_unit_days": float(excess[d0:d1, j].sum()),
            "tasks": tasks,
            "units": [units_of[t] for t in tasks],
        })
    cols = ["resource", "start", "finish", "days", "peak", "capacity", "max_excess",
            "excess_unit_days", "tasks", "units"]
    out = pd.DataFrame(rows, columns=cols)
    if dates is not None and len(out):
        out["start_date"] = dates[out["start"].to_numpy()]
        out["finish_date"] = dates[out["finish"].to_numpy() - 1]
    return out.sort_values(["start", "resource"], kind="stable").reset_index(drop=True)


def usage(project, schedule=None) -> pd.DataFrame:
    """Units in use per working day and resource; see :func:`loading`.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> p = SimpleNamespace(tasks=pd.DataFrame(index=["A"]), start=None, resources=None,
    ...     assignments=pd.DataFrame({"task": ["A"], "resource": ["qa"], "units": [0.5]}))
    >>> usage(p, pd.DataFrame({"start": [0.5], "finish": [2.0]}, index=["A"]))["qa"].tolist()
    [0.25, 0.5]
    """
    return loading(project, schedule).usage


def overallocations(project, schedule=None) -> pd.DataFrame:
    """Over-allocation periods with the tasks causing them.

    Returns
    -------
    pandas.DataFrame
        One row per maximal run of consecutive working days on which a resource's usage
        exceeds its capacity: ``resource``, ``start``, ``finish`` (offsets, the run
        covers days ``start .. finish-1``), ``days``, ``peak`` [units], ``capacity``
        [units, lowest in the run], ``max_excess`` [units], ``excess_unit_days``,
        ``tasks`` (ids of the tasks using the resource during the run, by start),
        ``units`` (their units of the resource, same order) and ``start_date``/
        ``finish_date`` when the project has a start date.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> p = SimpleNamespace(tasks=pd.DataFrame(index=["A", "B"]), start=None, resources=None,
    ...     assignments=pd.DataFrame({"task": ["A", "B"], "resource": ["qa", "qa"], "units": [1.0, 1.0]}))
    >>> overallocations(p, pd.DataFrame({"start": [0.0, 0.0], "finish": [1.0, 1.0]}, index=["A", "B"]))["tasks"][0]
    ['A', 'B']
    """
    return loading(project, schedule).overallocations


def _histogram(result: Loading, resource: str | None, by: str) -> pd.DataFrame:
    by = check_option(by, ["day", "week", "month"], "histogram period")
    cols = list(result.usage.columns) if resource is None else [resource]
    unknown = [c for c in cols if c not in result.usage.columns]
    if unknown:
        raise ValidationError(
            f"unknown resource {format_ids(unknown)}; choose one of {format_ids(result.usage.columns, 20)}")
    u = result.usage[cols]
    c = result.capacity[cols]
    tidy = pd.DataFrame({
        "resource": np.repeat(np.array(cols, dtype=object), len(u)),
        "day": np.tile(u.index.to_numpy(), len(cols)),
        "usage": u.to_numpy().T.ravel(),
        "capacity": c.to_numpy().T.ravel(),
    })
    if result.dates is not None:
        tidy["date"] = np.tile(result.dates.to_numpy(), len(cols))
    if by == "day":
        tidy["peak"] = tidy["usage"]
        tidy["overallocation"] = np.maximum(tidy["usage"] - tidy["capacity"], 0.0)
        return tidy
    if result.dates is None:
        raise DataError(f"a histogram by {by} needs calendar dates; set the project start")
    period = tidy["date"].dt.to_period("W-SUN" if by == "week" else "M").dt.start_time
    tidy["over_units"] = np.maximum(tidy["usage"] - tidy["capacity"], 0.0)
    grouped = tidy.groupby(["resource", period.rename("period")], sort=True)
    out = grouped.agg(usage=("usage", "sum"), capacity=("capacity", "sum"), peak=("usage", "max"),
                      overallocation=("over_units", "sum"), days=("day", "size")).reset_index()
    return out


def histogram(project, schedule=None, resource: str | None = None, by: str = "day") -> pd.DataFrame:
    """Data of a resource histogram (tidy: one row per resource and period).

    Parameters
    ----------
    project : Project
    schedule : DataFrame or levelling result, optional
        Default the CPM early schedule.
    resource : str, optional
        One resource id; default all.
    by : {"day", "week", "month"}
        Period; weeks and months need a project start date.

    Returns
    -------
    pandas.DataFrame
        By day: ``resource``, ``day``, ``usage`` [units], ``capacity`` [units], ``date``
        (when known), ``peak`` (= usage) and ``overallocation`` [units above capacity].
        By week/month: ``resource``, ``period`` (first day), ``usage`` and ``capacity``
        [unit-days], ``peak`` [units], ``overallocation`` [unit-days], ``days`` (working
        days in the period).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> p = SimpleNamespace(tasks=pd.DataFrame(index=["A"]), start=None, resources=None,
    ...     assignments=pd.DataFrame({"task": ["A"], "resource": ["qa"], "units": [2.0]}))
    >>> histogram(p, pd.DataFrame({"start": [0.0], "finish": [2.0]}, index=["A"]))[["day", "usage", "overallocation"]]
       day  usage  overallocation
    0    0    2.0             1.0
    1    1    2.0             1.0
    """
    return _histogram(loading(project, schedule), resource, by)


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
    a = _assignments(project)
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


# --------------------------------------------------------------------------- difference constraints


def _pass(n: int, frm: np.ndarray, to: np.ndarray, w: np.ndarray, bound: np.ndarray,
          forward: bool = True) -> np.ndarray:
    """Earliest (forward) or latest (backward) starts under ``s[to] >= s[frm] + w``
    (:func:`tpmkit._core.graph.longest_path`)."""
    from tpmkit._core.graph import longest_path  # imports numba (when installed)

    return longest_path(n, frm, to, w, bound, forward)


def _arc_weights(link_type: np.ndarray, lag: np.ndarray, pct: np.ndarray,
                 d_from: np.ndarray, d_to: np.ndarray) -> np.ndarray:
    """Start-to-start distance of each PDM link: ``s_to >= s_from + w`` (contract rules)."""
    from tpmkit._core import pdm

    return pdm.start_distance(link_type, d_from, lag + pct * d_from, d_to)


def _start_distance(link_type: np.ndarray, d_from: np.ndarray, lag: np.ndarray,
                    d_to: np.ndarray) -> np.ndarray:
    """Start-to-start distance of each link with its effective lag (``pdm.start_distance``)."""
    from tpmkit._core import pdm

    return pdm.start_distance(link_type, d_from, lag, d_to)


def _lower_bounds(net, duration: np.ndarray) -> np.ndarray:
    """Earliest allowed start of each task from SNET/FNET/MSO/MFO (as lower bounds)."""
    ct = np.asarray(net.constraint_type)
    off = np.asarray(net.constraint_offset, dtype=float)
    lb = np.zeros(len(duration))
    start_kind = np.isin(ct, (ConstraintType.SNET, ConstraintType.MSO)) & np.isfinite(off)
    finish_kind = np.isin(ct, (ConstraintType.FNET, ConstraintType.MFO)) & np.isfinite(off)
    lb[start_kind] = np.maximum(lb[start_kind], off[start_kind])
    lb[finish_kind] = np.maximum(lb[finish_kind], off[finish_kind] - duration[finish_kind])
    return lb


# --------------------------------------------------------------------------- crashing


@dataclass
class CrashResult:
    """Minimum-cost compression of a project to a target duration.

    Attributes
    ----------
    target : float
        Requested project duration [working days].
    duration : float
        Project duration of the compressed schedule [working days] (<= target).
    normal_duration, crash_duration : float
        Project duration with all normal durations, and the shortest achievable one.
    added_cost : float
        Minimum extra direct cost of the compression [currency].
    normal_cost : float
        Sum of the normal task costs [currency] (NaN when not given).
    table : pandas.DataFrame
        Per task: ``normal_duration``, ``crash_duration``, ``cost_slope`` [currency per
        working day], ``duration`` (chosen), ``crashed_by``, ``added_cost``,
        ``early_start``, ``early_finish``, ``total_float``, ``critical``.
    """

    target: float
    duration: float
    normal_duration: float
    crash_duration: float
    added_cost: float
    normal_cost: float
    table: pd.DataFrame

    @property
    def direct_cost(self) -> float:
        """Normal cost plus the added crash cost [currency]."""
        return self.normal_cost + self.added_cost

    def _repr_html_(self) -> str:
        crashed = self.table[self.table["crashed_by"] > _TOL]
        return (f"<b>Crashing</b>: {self.normal_duration:g} → {self.duration:g} working days "
                f"(target {self.target:g}, shortest possible {self.crash_duration:g}); "
                f"added cost {self.added_cost:,.2f}"
                + crashed[["normal_duration", "duration", "crashed_by", "cost_slope",
                           "added_cost"]].to_html(float_format=lambda v: f"{v:,.2f}"))


@dataclass
class TimeCostCurve:
    """The project time--cost trade-off curve through its exact breakpoints.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per breakpoint, longest duration first: ``duration`` [working days],
        ``added_cost``, ``direct_cost``, ``cost_per_day`` (slope of the segment ending
        at this breakpoint [currency per working day saved]) and, with an indirect cost
        rate, ``indirect_cost`` and ``total_cost``. Between breakpoints the curve is
        linear, so ``numpy.interp`` on it is exact.
    durations : pandas.DataFrame
        The task durations of each breakpoint's minimum-cost solution (rows as in
        ``table``, one column per task).
    optimal_duration : float
        Duration with the least total cost (NaN without an indirect cost rate).
    """

    table: pd.DataFrame
    durations: pd.DataFrame
    optimal_duration: float = float("nan")

    def cost_at(self, duration: float) -> float:
        """Minimum added cost of reaching ``duration`` [currency] (linear interpolation)."""
        t = self.table.sort_values("duration")
        return float(np.interp(duration, t["duration"], t["added_cost"]))

    def _repr_html_(self) -> str:
        return "<b>Time–cost trade-off</b>" + self.table.to_html(float_format=lambda v: f"{v:,.2f}")


class _CrashModel:
    """The crashing linear program of one project (built once, solved per target)."""

    def __init__(self, project, crash_duration: str, crash_cost: str, normal_cost: str,
                 cost_slope: str, prune: bool = True):
        tasks = project.tasks
        net = project.network()
        self.ids = tasks.index
        self.net = net
        n = len(tasks)
        self.n = n
        d = np.asarray(net.duration, dtype=float)
        if crash_duration not in tasks.columns:
            raise DataError(
                f"crashing needs a task column {crash_duration!r} with the crash durations "
                "[working days]; add it (leave it empty for tasks that cannot be shortened)")
        dc = pd.to_numeric(tasks[crash_duration], errors="coerce").to_numpy(dtype=float)
        dc = np.where(np.isnan(dc), d, dc)
        bad = (dc < 0) | (dc > d + _TOL)
        if bad.any():
            raise ValidationError(
                f"crash duration must lie between 0 and the normal duration; bad for "
                f"{format_ids(self.ids[bad])}; fix column {crash_duration!r}")
        dc = np.minimum(dc, d)
        if cost_slope in tasks.columns:
            slope = pd.to_numeric(tasks[cost_slope], errors="coerce").to_numpy(dtype=float)
            need = (d - dc > _TOL) & np.isnan(slope)
            if need.any():
                raise ValidationError(
                    f"tasks {format_ids(self.ids[need])} have a crash duration but no "
                    f"{cost_slope!r}; give the cost per working day saved")
        elif crash_cost in tasks.columns:
            cc = pd.to_numeric(tasks[crash_cost], errors="coerce").to_numpy(dtype=float)
            nc = pd.to_numeric(tasks.get(normal_cost, pd.Series(np.nan, index=self.ids)),
                               errors="coerce").to_numpy(dtype=float)
            need = (d - dc > _TOL) & np.isnan(cc)
            if need.any():
                raise ValidationError(
                    f"tasks {format_ids(self.ids[need])} have a crash duration but no {crash_cost!r}; "
                    "give the total cost at the crash duration")
            need = (d - dc > _TOL) & np.isnan(nc)
            if need.any():
                raise ValidationError(
                    f"tasks {format_ids(self.ids[need])} have a {crash_cost!r} but no normal cost "
                    f"{normal_cost!r}; give the cost at the normal duration")
            span = np.where(d - dc > _TOL, d - dc, 1.0)
            slope = np.where(d - dc > _TOL, (cc - nc) / span, 0.0)
        else:
            raise DataError(
                f"crashing needs crash costs: a task column {crash_cost!r} (total cost at the "
                f"crash duration, with {normal_cost!r} the normal cost) or {cost_slope!r} "
                "[currency per working day saved]")
        slope = np.where(d - dc > _TOL, slope, 0.0)
        bad = np.isnan(slope) | (slope < 0)
        if bad.any():
            raise ValidationError(
                f"crash cost must not be below the normal cost; bad for {format_ids(self.ids[bad])}; "
                "fix the crash costs (a shorter duration never costs less in this model)")
        self.d, self.dc, self.slope = d, dc, slope
        nc = pd.to_numeric(tasks.get(normal_cost, pd.Series(np.nan, index=self.ids)),
                           errors="coerce")
        self.normal_cost = float(nc.sum()) if nc.notna().any() else float("nan")

        self.frm = np.asarray(net.link_from, dtype=np.int64)
        self.to = np.asarray(net.link_to, dtype=np.int64)
        self.lt = np.asarray(net.link_type).astype(np.int64)
        self.lag = np.asarray(net.lag, dtype=float)
        self.pct = np.asarray(net.lag_percent, dtype=float)
        ct = np.asarray(net.constraint_type)
        off = np.asarray(net.constraint_offset, dtype=float)
        self.start_lb = np.where(np.isin(ct, (ConstraintType.SNET, ConstraintType.MSO)) & np.isfinite(off), np.maximum(off, 0.0), 0.0)
        self.finish_lb = np.where(np.isin(ct, (ConstraintType.FNET, ConstraintType.MFO)) & np.isfinite(off), off, -np.inf)
        self.prune = prune
        self._lps: dict[bytes, tuple] = {}
        self.normal_T = self.finish(d)
        self.crash_T = self._solve_min_T()

    # -- the network under the LP's rules (constraints as earliest bounds) ----------------
    def _times(self, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        """Early starts, finish and the longest path through each task, for durations y."""
        n = self.n
        w = _arc_weights(self.lt, self.lag, self.pct, y[self.frm], y[self.to])
        lb = np.maximum(self.start_lb, self.finish_lb - y)
        es = _pass(n, self.frm, self.to, w, lb, forward=True)
        finish = float((es + y).max(initial=0.0))
        ls = _pass(n, self.frm, self.to, w, finish - y, forward=False)
        return es, finish, finish - (ls - es)

    def finish(self, y: np.ndarray) -> float:
        return self._times(y)[1]

    def _lp(self, keep: np.ndarray) -> tuple:
        """Constraint matrix of the LP over the tasks in ``keep`` (cached per task set)."""
        key = keep.tobytes()
        if key in self._lps:
            return self._lps[key]
        from scipy import sparse

        idx = np.flatnonzero(keep)
        k = len(idx)
        local = np.full(self.n, -1, dtype=np.int64)
        local[idx] = np.arange(k)
        on = keep[self.frm] & keep[self.to]
        frm, to, lt = local[self.frm[on]], local[self.to[on]], self.lt[on]
        lag, pct = self.lag[on], self.pct[on]
        m = len(frm)
        # Variables x = [S (k), y (k), T]; one row per link:
        # s_to >= s_from + [y_from if FS/FF] + lag + pct*y_from - [y_to if FF/SF]
        r = np.arange(m)
        sub = np.isin(lt, (LinkType.FF, LinkType.SF))
        rows = [r, r, r, r[sub]]
        cols = [frm, to, k + frm, k + to[sub]]
        vals = [np.ones(m), -np.ones(m), np.isin(lt, (LinkType.FS, LinkType.FF)).astype(float) + pct,
                -np.ones(int(sub.sum()))]
        b = [-lag]
        j = np.arange(k)
        rows += [m + j] * 3                     # S_j + y_j - T <= 0
        cols += [j, k + j, np.full(k, 2 * k)]
        vals += [np.ones(k), np.ones(k), -np.ones(k)]
        b.append(np.zeros(k))
        fin = np.flatnonzero(np.isfinite(self.finish_lb[idx]))   # FNET/MFO: S + y >= c
        base = m + k
        rows += [base + np.arange(len(fin))] * 2
        cols += [fin, k + fin]
        vals += [-np.ones(len(fin))] * 2
        b.append(-self.finish_lb[idx][fin])
        target_row = base + len(fin)
        rows.append(np.array([target_row]))
        cols.append(np.array([2 * k]))
        vals.append(np.array([1.0]))
        b.append(np.array([np.inf]))
        A = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                              shape=(target_row + 1, 2 * k + 1))
        lb = np.r_[self.start_lb[idx], self.dc[idx], 0.0]
        ub = np.r_[np.full(k, np.inf), self.d[idx], np.inf]
        out = (idx, A, np.concatenate(b), target_row, np.c_[lb, ub])
        self._lps[key] = out
        return out

    def _linprog(self, c, A, b, bounds):
        from scipy.optimize import linprog

        res = linprog(c, A_ub=A, b_ub=b, bounds=bounds, method="highs")
        if res.status != 0:
            raise DataError(f"the crashing linear program failed ({res.message}); "
                            "check the constraints and crash data")
        return res

    def _relevant(self, target: float) -> np.ndarray:
        """Tasks on some path longer than ``target`` at normal durations (all without pruning)."""
        if not self.prune:
            return np.ones(self.n, dtype=bool)
        return self._times(self.d)[2] > target + _TOL * max(1.0, target)

    def _grow(self, keep: np.ndarray, y_full: np.ndarray, target: float) -> bool:
        """Verify durations on the whole network; add the tasks of too-long paths.

        The LP over a subset of tasks is a relaxation of the full one (fewer constraints,
        the other tasks' costs are >= 0), so once its solution, with the other tasks at
        their normal durations, fits the target on the whole network it is optimal there.
        """
        _, finish, through = self._times(y_full)
        tol = _LP_TOL * max(1.0, target)
        if finish <= target + tol or keep.all():
            return False
        more = through > target + tol
        if (more & ~keep).any():
            keep |= more
        else:   # cannot happen for an exact relaxation; fall back to the whole network
            keep[:] = True
        return True

    def _solve_min_T(self) -> float:
        keep = self._relevant(self._times(self.dc)[1])
        while True:
            idx, A, b, row, bounds = self._lp(keep)
            k = len(idx)
            c = np.zeros(2 * k + 1)
            c[-1] = 1.0
            b = b.copy()
            b[row] = 1e15
            res = self._linprog(c, A, b, bounds)
            y_full = self.d.copy()
            y_full[idx] = np.clip(res.x[k:2 * k], self.dc[idx], self.d[idx])
            if not self._grow(keep, y_full, float(res.x[-1])):
                return float(res.x[-1]) if k else self.normal_T

    def cheapest(self, target: float) -> tuple[float, float, Any]:
        """(added cost, d cost / d target, state) of the cheapest schedule <= target."""
        keep = self._relevant(target)
        while True:
            if not keep.any():
                return 0.0, 0.0, (keep, None)
            idx, A, b, row, bounds = self._lp(keep)
            k = len(idx)
            b = b.copy()
            b[row] = target
            c = np.zeros(2 * k + 1)
            c[k:2 * k] = -self.slope[idx]
            res = self._linprog(c, A, b, bounds)
            y_full = self.d.copy()
            y_full[idx] = np.clip(res.x[k:2 * k], self.dc[idx], self.d[idx])
            if not self._grow(keep, y_full, target):
                best = float(res.fun + self.slope[idx] @ self.d[idx])
                return max(best, 0.0), float(res.ineqlin.marginals[row]), (keep, res)

    def least_crash(self, target: float, best: float, state: Any) -> np.ndarray:
        """Durations of the cheapest schedule that crashes least (lexicographic 2nd LP)."""
        from scipy import sparse

        keep, res = state
        keep = keep.copy()
        while True:
            if res is None or not keep.any():
                return self.d.copy()
            idx, A, b, row, bounds = self._lp(keep)
            k = len(idx)
            b = b.copy()
            b[row] = target
            const = float(self.slope[idx] @ self.d[idx])
            A2 = sparse.vstack([A, sparse.csr_matrix(np.r_[np.zeros(k), -self.slope[idx], 0.0])])
            c2 = np.zeros(2 * k + 1)
            c2[k:2 * k] = -1.0
            from scipy.optimize import linprog

            res2 = linprog(c2, A_ub=A2, b_ub=np.r_[b, best + _TOL * max(1.0, best) - const],
                           bounds=bounds, method="highs")
            sol = res2 if res2.status == 0 else res
            y_full = self.d.copy()
            y_full[idx] = np.clip(sol.x[k:2 * k], self.dc[idx], self.d[idx])
            if res2.status != 0 or not self._grow(keep, y_full, target):
                break
        # Snap solver noise (HiGHS works to ~1e-7) onto the normal and crash durations and
        # onto a micro-day grid, so whole-day data give whole-day answers.
        near = _LP_TOL * np.maximum(1.0, self.d)
        y = np.where(self.d - y_full <= near, self.d,
                     np.where(y_full - self.dc <= near, self.dc, y_full))
        grid = np.round(y, 6)
        return np.where(np.abs(grid - y) <= near, grid, y)

    def solve(self, target: float) -> tuple[float, float, np.ndarray]:
        """(added cost, d cost / d target, durations) of the cheapest schedule <= target."""
        best, slope, state = self.cheapest(target)
        return best, slope, self.least_crash(target, best, state)


def crash(project, target: float, *, crash_duration: str = "crash_duration",
          crash_cost: str = "crash_cost", normal_cost: str = "cost",
          cost_slope: str = "crash_cost_per_day") -> CrashResult:
    """Cheapest compression of the project to ``target`` working days.

    Each task ``j`` may be shortened from its normal duration ``d_j`` down to its crash
    duration ``dc_j`` at a constant cost slope ``c_j`` [currency per working day], with
    ``c_j = (crash cost - normal cost) / (d_j - dc_j)``. The linear program

    ``min sum_j c_j (d_j - y_j)`` subject to the PDM link constraints on starts ``S``
    and durations ``y`` (FS/SS/FF/SF with lags; percentage lags follow the crashed
    duration), ``S_j + y_j <= T <= target``, ``dc_j <= y_j <= d_j``, ``S_j >= 0``

    is solved with HiGHS; among equally cheap solutions the one that crashes least is
    returned. Only tasks on paths longer than the target enter the program; the solution
    is checked on the whole network and tasks of any path still too long are added
    (constraint generation), which keeps the result exact while the program stays small. SNET/MSO and FNET/MFO act as earliest start/finish bounds; late
    constraints (SNLT, FNLT) do not restrict how short a project can be and are ignored.

    Parameters
    ----------
    project : Project
        Task columns ``duration`` (normal), ``crash_duration`` (empty = cannot be
        shortened) and either ``crash_cost`` with ``cost`` (total costs at crash and
        normal duration) or ``crash_cost_per_day``.
    target : float
        Project duration to reach [working days].
    crash_duration, crash_cost, normal_cost, cost_slope : str
        Column names, when the table uses other names.

    Returns
    -------
    CrashResult

    Raises
    ------
    DataError
        Crash data missing, or ``target`` shorter than the shortest achievable duration.

    References
    ----------
    .. [1] Kelley, J. E. (1961). Critical-path planning and scheduling: mathematical
       basis. *Operations Research* 9(3), 296-320.
    .. [2] Hillier, F. S., Lieberman, G. J., *Introduction to Operations Research*,
       McGraw-Hill, ch. "Project Management with PERT/CPM", section "Time-cost
       trade-offs" (the linear-programming model of crashing).

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({
    ...     "id": ["A", "B", "C"], "duration": [4, 3, 5], "predecessors": ["", "A", ""],
    ...     "crash_duration": [2, 3, 4], "cost": [100, 100, 100], "crash_cost": [300, 100, 250]}))
    >>> r = crash(p, target=5)
    >>> r.duration, r.added_cost
    (5.0, 200.0)
    >>> float(r.table.loc["A", "duration"])
    2.0
    """
    model = _CrashModel(project, crash_duration, crash_cost, normal_cost, cost_slope)
    target = float(target)
    if not math.isfinite(target) or target < model.crash_T - _LP_TOL:
        raise DataError(
            f"target {target:g} working days is shorter than the shortest possible project "
            f"duration {model.crash_T:g} (every task at its crash duration); choose a target "
            f">= {model.crash_T:g}")
    from tpmkit.cpm import passes

    added, _, y = model.solve(min(target, model.normal_T))
    r = passes(model.net, y)
    es, ls, makespan = r["early_start"], r["late_start"], float(r["project_finish"])
    table = pd.DataFrame({
        "normal_duration": model.d, "crash_duration": model.dc, "cost_slope": model.slope,
        "duration": y, "crashed_by": model.d - y, "added_cost": model.slope * (model.d - y),
        "early_start": es, "early_finish": es + y, "total_float": ls - es,
    }, index=model.ids)
    table["critical"] = table["total_float"] <= _TOL * max(1.0, makespan)
    return CrashResult(target, makespan, model.normal_T, model.crash_T, added,
                       model.normal_cost, table)


def time_cost_curve(project, *, indirect_cost_per_day: float | None = None,
                    crash_duration: str = "crash_duration", crash_cost: str = "crash_cost",
                    normal_cost: str = "cost", cost_slope: str = "crash_cost_per_day",
                    max_solves: int = 500) -> TimeCostCurve:
    """The project time--cost trade-off curve (minimum direct cost per duration).

    The minimum added cost ``f(T)`` of finishing within ``T`` is convex and piecewise
    linear in ``T``. Its breakpoints are found exactly by the sandwich (tangent
    intersection) method: at two known points, intersect the supporting lines whose
    slopes are the linear program's dual values of the ``T <= target`` row; if ``f``
    meets the intersection the curve is linear there, else split and repeat. This needs
    about two solves per breakpoint instead of one per day, plus one per breakpoint for
    its least-crashing durations.

    Parameters
    ----------
    project : Project
        Crash data as for :func:`crash`.
    indirect_cost_per_day : float, optional
        Indirect (overhead) cost [currency per working day]; adds ``indirect_cost`` and
        ``total_cost`` and sets ``optimal_duration`` (the minimum of the total, always
        at a breakpoint).
    max_solves : int
        Safety limit on linear-program solves.

    Returns
    -------
    TimeCostCurve

    References
    ----------
    .. [1] Fulkerson, D. R. (1961). A network flow computation for project cost curves.
       *Management Science* 7(2), 167-178.
    .. [2] Kelley, J. E. (1961). Critical-path planning and scheduling: mathematical
       basis. *Operations Research* 9(3), 296-320.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({
    ...     "id": ["A", "B"], "duration": [4, 3], "predecessors": ["", "A"],
    ...     "crash_duration": [2, 2], "crash_cost_per_day": [100, 50]}))
    >>> time_cost_curve(p).table[["duration", "added_cost", "cost_per_day"]]
       duration  added_cost  cost_per_day
    0       7.0         0.0           NaN
    1       6.0        50.0          50.0
    2       4.0       250.0         100.0
    """
    model = _CrashModel(project, crash_duration, crash_cost, normal_cost, cost_slope)
    lo, hi = model.crash_T, model.normal_T
    points: dict[float, tuple[float, float, Any]] = {hi: (0.0, 0.0, None)}
    scale = max(1.0, float(model.slope @ (model.d - model.dc)))
    tol_c, tol_t = _LP_TOL * scale, _LP_TOL * max(1.0, hi)
    if hi - lo > tol_t:
        points[lo] = model.cheapest(lo)
        points[hi] = model.cheapest(hi)
        stack, solves = [(lo, hi)], 3
        while stack:
            a, b = stack.pop()
            fa, ga, _ = points[a]
            fb, gb, _ = points[b]
            if abs(ga - gb) <= _TOL * max(1.0, abs(ga)):
                continue
            x = (fb - fa + ga * a - gb * b) / (ga - gb)
            if x - a <= tol_t or b - x <= tol_t:
                continue
            line = fa + ga * (x - a)
            if solves >= max_solves:
                raise DataError(f"the time-cost curve needed more than {max_solves} solves; "
                                "raise max_solves")
            points[x] = model.cheapest(x)
            solves += 1
            if points[x][0] <= line + tol_c:
                continue
            stack += [(a, x), (x, b)]
    durations = np.array(sorted(points, reverse=True))
    costs = np.array([points[t][0] for t in durations])
    # Keep breakpoints only: drop points collinear with their neighbours.
    keep = np.ones(len(durations), dtype=bool)
    for i in range(1, len(durations) - 1):
        j = np.flatnonzero(keep[:i])[-1]
        s1 = (costs[i] - costs[j]) / (durations[j] - durations[i])
        s2 = (costs[i + 1] - costs[i]) / (durations[i] - durations[i + 1])
        keep[i] = abs(s1 - s2) > _LP_TOL * max(1.0, abs(s1), abs(s2))
    durations, costs = durations[keep], costs[keep]
    per_day = np.r_[np.nan, np.diff(costs) / -np.diff(durations)]
    table = pd.DataFrame({"duration": durations, "added_cost": costs,
                          "direct_cost": model.normal_cost + costs, "cost_per_day": per_day})
    optimal = float("nan")
    if indirect_cost_per_day is not None:
        table["indirect_cost"] = float(indirect_cost_per_day) * table["duration"]
        total = table["added_cost"] + table["indirect_cost"]
        table["total_cost"] = table["direct_cost"] + table["indirect_cost"] if not math.isnan(
            model.normal_cost) else total
        optimal = float(table["duration"].iloc[int(np.argmin(total.to_numpy()))])
    dur_table = pd.DataFrame(
        [model.d if points[t][2] is None else model.least_crash(t, points[t][0], points[t][2])
         for t in durations], columns=model.ids)
    return TimeCostCurve(table, dur_table, optimal)


# --------------------------------------------------------------------------- critical chain


@dataclass
class CriticalChain:
    """A critical-chain plan: aggressive durations, the chain, buffers and their placement.

    Attributes
    ----------
    chain : list of str
        Task ids of the critical chain, first to last.
    schedule : pandas.DataFrame
        Per task: ``safe_duration``, ``aggressive_duration`` [working days],
        ``early_start`` (aggressive, resource order of the input schedule kept),
        ``start``, ``finish`` (planned: chain tasks as early as possible, feeding chains as
        late as their buffers allow), ``on_chain``, ``feeding_buffer`` (buffer name for
        tasks that feed the chain, else ""), and dates when the project has a start.
    buffers : pandas.DataFrame
        One row per buffer: ``name`` ("PB", "FB1", ...), ``kind`` ("project"/"feeding"),
        ``after`` (the last task of the protected chain), ``before`` (the chain task it
        protects, or "" for the project end), ``size`` [working days], ``start``,
        ``finish``, ``available`` (room actually left in the plan [working days]),
        ``conflict`` (available < size) and ``tasks`` (the chain the buffer protects).
    project_buffer : float
        Project-buffer size [working days].
    chain_finish, project_finish : float
        End of the critical chain, and that end plus the project buffer [working days].
    safe_duration : float
        Makespan of the input schedule with the safe durations [working days].
    method : str
        ``"cut_and_paste"`` or ``"rsem"``.
    """

    chain: list[str]
    schedule: pd.DataFrame
    buffers: pd.DataFrame
    project_buffer: float
    chain_finish: float
    project_finish: float
    safe_duration: float
    method: str
    _arcs: tuple = field(repr=False, default=())
    _lower: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    _project: Any = field(repr=False, default=None)

    def fever_chart(self, snapshots: pd.DataFrame, *, yellow: tuple[float, float] = (1 / 3, 0.0),
                    red: tuple[float, float] = (2 / 3, 0.0)) -> pd.DataFrame:
        """Fever-chart series: project-buffer consumption against chain completion.

        For every status in ``snapshots`` the remaining work is re-scheduled with the
        plan's precedence and resource order (finished tasks drop out, started tasks keep
        only their finish-side links, nothing unfinished starts before the status), and
        ``buffer_consumption = (projected chain end - planned chain end) / project buffer``,
        ``chain_completion = sum(a_i * pc_i) / sum(a_i)`` over the chain's aggressive
        durations ``a_i``.

        Parameters
        ----------
        snapshots : DataFrame
            Long format: ``status`` (working-day offset, or a date when the project has a
            start), ``task``, ``percent_complete`` [0-100] and optionally ``remaining``
            [working days, overrides the percentage]. Tasks missing from a status have not
            started.
        yellow, red : (intercept, slope)
            Zone boundaries ``consumption = intercept + slope * completion`` (fractions);
            the default flat thirds are Goldratt's buffer zones, a positive slope gives the
            sloped chart of buffer-management tools.

        Returns
        -------
        pandas.DataFrame
            One row per status, in order: ``status``, ``chain_completion`` and
            ``buffer_consumption`` (fractions; consumption may be < 0 or > 1),
            ``projected_chain_finish`` [working days] and ``zone``
            ("green"/"yellow"/"red").

        References
        ----------
        .. [1] Goldratt, E. M. (1997). *Critical Chain*. North River Press.
        .. [2] Leach, L. P. (2014). *Critical Chain Project Management*, 3rd ed., Artech
           House, ch. "Buffer management" (fever chart).

        Examples
        --------
        >>> import tpmkit
        >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [10, 6],
        ...                                "predecessors": ["", "A"]}))
        >>> cc = critical_chain(p, tpmkit.schedule(p))   # chain 5 + 3 days, buffer 4
        >>> snaps = pd.DataFrame({"status": [7, 7], "task": ["A", "B"],
        ...                       "percent_complete": [100, 0]})
        >>> cc.fever_chart(snaps)[["chain_completion", "buffer_consumption", "zone"]]
           chain_completion  buffer_consumption    zone
        0             0.625                 0.5  yellow
        """
        needed = {"status", "task", "percent_complete"}
        if not isinstance(snapshots, pd.DataFrame) or not needed <= set(snapshots.columns):
            raise ValidationError(
                "fever-chart snapshots need columns status, task and percent_complete; "
                "give one row per task and status")
        ids = self.schedule.index
        pos = ids.get_indexer(snapshots["task"].astype(str))
        if (pos < 0).any():
            raise ValidationError(
                f"snapshots name unknown tasks {format_ids(pd.unique(snapshots['task'][pos < 0]))}; "
                "use task ids of the project")
        pc_all = pd.to_numeric(snapshots["percent_complete"], errors="coerce").to_numpy(float)
        bad = np.isnan(pc_all) | (pc_all < 0) | (pc_all > 100)
        if bad.any():
            raise ValidationError(
                f"percent_complete must lie in 0..100; bad for tasks "
                f"{format_ids(snapshots['task'][bad])}; fix the snapshots")
        status = snapshots["status"]
        if not pd.api.types.is_numeric_dtype(status):
            p = self._project
            if p is None or getattr(p, "start", None) is None:
                raise DataError("snapshot statuses are dates but the project has no start date; "
                                "give statuses as working-day offsets")
            status = pd.Series(p.calendar.offset_of(pd.to_datetime(status), p.start,
                                                    kind="finish"), index=snapshots.index)
        status = status.to_numpy(dtype=float)
        rem_col = (pd.to_numeric(snapshots["remaining"], errors="coerce").to_numpy(float)
                   if "remaining" in snapshots.columns else np.full(len(snapshots), np.nan))
        a = self.schedule["aggressive_duration"].to_numpy(dtype=float)
        chain_pos = ids.get_indexer(self.chain)
        rows = []
        for st in pd.unique(status):
            sel = status == st
            pc = np.zeros(len(ids))
            pc[pos[sel]] = pc_all[sel] / 100.0
            rem = a * (1.0 - pc)
            given = sel & ~np.isnan(rem_col)
            rem[pos[given]] = np.maximum(rem_col[given], 0.0)
            projected = self._projected_end(rem, pc, float(st), chain_pos)
            completion = float((a[chain_pos] * pc[chain_pos]).sum() / max(a[chain_pos].sum(), _TOL))
            consumption = ((projected - self.chain_finish) / self.project_buffer
                           if self.project_buffer > _TOL else float("nan"))
            rows.append({"status": float(st), "chain_completion": completion,
                         "buffer_consumption": consumption, "projected_chain_finish": projected})
        out = pd.DataFrame(rows, columns=["status", "chain_completion", "buffer_consumption",
                                          "projected_chain_finish"])
        y_line = yellow[0] + yellow[1] * out["chain_completion"]
        r_line = red[0] + red[1] * out["chain_completion"]
        out["zone"] = np.where(out["buffer_consumption"] >= r_line, "red",
                               np.where(out["buffer_consumption"] >= y_line, "yellow", "green"))
        return out

    def fever_point(self, project=None, **zones: tuple[float, float]) -> pd.DataFrame:
        """The fever-chart point of a project's own progress at its status date.

        Uses ``percent_complete`` and ``status_date`` of ``project`` (default the planned
        project); see :meth:`fever_chart`.
        """
        p = self._project if project is None else project
        st = getattr(p, "status_offset", None)
        if st is None:
            raise DataError("the project has no status date (or no start date); set status_date "
                            "and start to place it on the fever chart")
        pc = pd.to_numeric(p.tasks["percent_complete"], errors="coerce").fillna(0.0)
        snap = pd.DataFrame({"status": float(st), "task": p.tasks.index.astype(str),
                             "percent_complete": pc.to_numpy(dtype=float)})
        return self.fever_chart(snap, **zones)

    def _projected_end(self, rem, pc, status, chain_pos) -> float:
        frm, to, lt, base_w, _is_link = self._arcs
        done = pc >= 1.0 - 1e-12
        started = (pc > 0) & ~done
        # Recompute start-to-start distances with the remaining durations.
        lag = base_w  # lag part of each arc (effective, already including % lags)
        w = _start_distance(lt, rem[frm], lag, rem[to])
        keep = ~done[frm] & ~(started[frm] & np.isin(lt, (LinkType.SS, LinkType.SF)))
        lower = np.where(done, 0.0, np.maximum(self._lower, status))
        s = _pass(len(rem), frm[keep], to[keep], w[keep], lower, forward=True)
        fin = s + rem
        fin[done] = np.minimum(self.schedule["finish"].to_numpy(dtype=float)[done], status)
        return float(fin[chain_pos].max())

    def _repr_html_(self) -> str:
        head = (f"<b>Critical chain</b> ({self.method}): {len(self.chain)} tasks, chain ends at "
                f"{self.chain_finish:g}, project buffer {self.project_buffer:g}, project finish "
                f"{self.project_finish:g} working days (safe schedule {self.safe_duration:g})")
        return head + self.buffers.to_html(float_format=lambda v: f"{v:,.2f}")


def _order_arcs(start: np.ndarray, finish: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arcs i -> j (i finishes before j starts) whose transitive closure is the whole order.

    For task j let P_j be the tasks finished by its start and M_j the latest start in
    P_j; every i in P_j with finish <= M_j precedes some k in P_j that precedes j, so only
    the i with finish > M_j need an arc (a suffix of P_j in finish order).
    """
    by_f = np.argsort(finish, kind="stable")
    f_sorted = finish[by_f]
    prefix_max_start = np.maximum.accumulate(start[by_f])
    cnt = np.searchsorted(f_sorted, start + _TOL, side="right")   # |P_j|
    has = cnt > 0
    m_j = np.where(has, prefix_max_start[np.maximum(cnt - 1, 0)], -np.inf)
    lo = np.searchsorted(f_sorted, m_j + _TOL, side="right")
    lo = np.minimum(lo, cnt)
    sizes = np.where(has, cnt - lo, 0)
    j = np.repeat(np.arange(len(start)), sizes)
    first = np.cumsum(sizes) - sizes
    i = by_f[lo[j] + (np.arange(j.size) - first[j])]
    return i, j


def _buffer_size(method: str, safe: np.ndarray, aggressive: np.ndarray, fraction: float) -> float:
    if method == "cut_and_paste":
        return float(fraction * aggressive.sum())
    return float(np.sqrt(((safe - aggressive) ** 2).sum()))


def _default_schedule(project):
    try:
        from tpmkit.levelling import level
    except ImportError:  # levelling not installed: the CPM schedule (resource-unconstrained)
        return None
    return level(project)


def critical_chain(project, schedule: pd.DataFrame | Any = None, *,
                   method: str = "cut_and_paste", cut: float = 0.5,
                   buffer_fraction: float = 0.5, aggressive: str | None = None) -> CriticalChain:
    """Critical-chain plan with project and feeding buffers.

    Steps (Goldratt 1997; Leach 2014): (1) cut each task's safe duration ``s_i`` to an
    aggressive estimate ``a_i`` (``(1 - cut) * s_i``, or a column); (2) keep the order
    of the given (levelled) schedule: every link plus, for each resource, "i before j"
    for tasks that do not overlap in that schedule -- any schedule keeping this order
    stays within capacity; (3) schedule the aggressive durations as early as possible;
    the critical chain is the tight (precedence or resource) path ending last;
    (4) size the buffers over the chain a buffer protects:

    * cut-and-paste: ``buffer = buffer_fraction * sum(a_i)`` (50 % of the chain);
    * root square error (RSEM): ``buffer = sqrt(sum((s_i - a_i) ** 2))``;

    (5) put the project buffer after the chain and a feeding buffer wherever a non-chain
    task links into the chain (or ends the project), and start feeding chains as late
    as their buffers allow, never earlier than they can (a buffer that does not fit is
    reported with ``conflict``).

    Parameters
    ----------
    project : Project
    schedule : DataFrame or levelling result, optional
        Task start/finish with safe durations whose resource order is kept; default
        ``tpmkit.levelling.level(project)`` when available, else the CPM schedule.
    method : {"cut_and_paste", "rsem"}
    cut : float
        Fraction of each safe duration removed (0.5 = the classic 50 %).
    buffer_fraction : float
        Cut-and-paste buffer as a fraction of the protected chain (0.5).
    aggressive : str, optional
        Task column holding the aggressive durations (e.g. ``"most_likely"``);
        overrides ``cut``.

    Returns
    -------
    CriticalChain

    References
    ----------
    .. [1] Goldratt, E. M. (1997). *Critical Chain*. North River Press.
    .. [2] Newbold, R. C. (1998). *Project Management in the Fast Lane: Applying the
       Theory of Constraints*. St. Lucie Press (root-square-error buffers).
    .. [3] Tukel, O. I., Rom, W. O., Eksioglu, S. D. (2006). An investigation of buffer
       sizing techniques in critical chain scheduling. *European Journal of Operational
       Research* 172(2), 401-416.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "duration": [10, 6, 4],
    ...                                "predecessors": ["", "A", "A"]}))
    >>> cc = critical_chain(p, tpmkit.schedule(p))
    >>> cc.chain, cc.chain_finish, cc.project_buffer, cc.project_finish
    (['A', 'B'], 8.0, 4.0, 12.0)
    >>> cc.buffers[["name", "after", "before", "size", "start", "finish"]]
      name after before  size  start  finish
    0   PB     B          4.0    8.0    12.0
    1  FB1     C          1.0    7.0     8.0
    """
    method = check_option(method, ["cut_and_paste", "rsem"], "buffer method")
    if not (0.0 <= float(cut) < 1.0):
        raise ValidationError(f"cut must be a fraction in [0, 1), got {cut!r}; 0.5 is the classic 50 %")
    if not (float(buffer_fraction) >= 0.0):
        raise ValidationError(f"buffer_fraction must be >= 0, got {buffer_fraction!r}")
    if schedule is None:
        schedule = _default_schedule(project)
    start, finish = _schedule_times(project, schedule)
    net = project.network()
    ids = project.tasks.index
    n = len(ids)
    safe = np.asarray(net.duration, dtype=float)
    if aggressive is None:
        agg = safe * (1.0 - float(cut))
    else:
        if aggressive not in project.tasks.columns:
            raise DataError(f"no task column {aggressive!r} for the aggressive durations; "
                            "add it or use cut=")
        agg = pd.to_numeric(project.tasks[aggressive], errors="coerce").to_numpy(dtype=float)
        agg = np.where(np.isnan(agg), safe, agg)
        bad = (agg < 0) | (agg > safe + _TOL)
        if bad.any():
            raise ValidationError(
                f"aggressive durations must lie between 0 and the task duration; bad for "
                f"{format_ids(ids[bad])}; fix column {aggressive!r}")

    # Arcs: links (effective lag) and resource order of the input schedule.
    frm = np.asarray(net.link_from, dtype=np.int64)
    to = np.asarray(net.link_to, dtype=np.int64)
    lt = np.asarray(net.link_type).astype(np.int64)
    eff_lag = np.asarray(net.lag, dtype=float) + np.asarray(net.lag_percent, dtype=float) * agg[frm]
    is_link = np.ones(len(frm), dtype=bool)
    a = _assignments(project)
    if len(a):
        tpos = ids.get_indexer(a["task"].astype(str))
        rf, rt = [], []
        for _, grp in pd.Series(tpos).groupby(a["resource"].astype(str).to_numpy()):
            k = np.unique(grp.to_numpy())
            k = k[safe[k] > 0]
            if len(k) < 2:
                continue
            i, j = _order_arcs(start[k], finish[k])
            rf.append(k[i])
            rt.append(k[j])
        if rf:
            key = np.unique(np.concatenate(rf) * n + np.concatenate(rt))  # shared resources
            frm = np.r_[frm, key // n]
            to = np.r_[to, key % n]
            lt = np.r_[lt, np.zeros(len(key), dtype=np.int64)]
            eff_lag = np.r_[eff_lag, np.zeros(len(key))]
            is_link = np.r_[is_link, np.zeros(len(key), dtype=bool)]
    w = _start_distance(lt, agg[frm], eff_lag, agg[to])
    lower = _lower_bounds(net, agg)
    es = _pass(n, frm, to, w, lower, forward=True)
    ef = es + agg
    chain_end = float(ef.max(initial=0.0))
    tol = _LP_TOL * max(1.0, chain_end)
    tight = np.abs(es[to] - (es[frm] + w)) <= tol

    # Tight arcs grouped by target, best first: links before resource order, then the
    # longer predecessor.
    t_arcs = np.flatnonzero(tight)
    t_arcs = t_arcs[np.lexsort((-agg[frm[t_arcs]], ~is_link[t_arcs], to[t_arcs]))]

    def best_predecessor(allowed: np.ndarray) -> np.ndarray:
        """Per task, the source of its best tight arc among allowed tasks (-1: none)."""
        ok = t_arcs[allowed[frm[t_arcs]]]
        choice = np.full(n, -1, dtype=np.int64)
        if len(ok):
            tgt = to[ok]
            heads = np.flatnonzero(np.r_[True, tgt[1:] != tgt[:-1]])
            choice[tgt[heads]] = frm[ok[heads]]
        return choice

    def trace(task: int, choice: np.ndarray) -> list[int]:
        path, seen = [task], {task}
        nxt = int(choice[task])
        while nxt >= 0 and nxt not in seen:
            path.append(nxt)
            seen.add(nxt)
            nxt = int(choice[nxt])
        return path[::-1]

    ends = np.flatnonzero(np.abs(ef - chain_end) <= tol)
    last = ends[np.argmax(agg[ends])] if len(ends) else 0
    chain_idx = trace(int(last), best_predecessor(np.ones(n, dtype=bool))) if n else []
    on_chain = np.zeros(n, dtype=bool)
    on_chain[chain_idx] = True
    pb = _buffer_size(method, safe[chain_idx], agg[chain_idx], float(buffer_fraction))

    # Feeding points: non-chain tasks linked into the chain, and non-chain project ends.
    into_chain = is_link & ~on_chain[frm] & on_chain[to]
    has_succ = np.zeros(n, dtype=bool)
    has_succ[np.asarray(net.link_from, dtype=np.int64)] = True
    linked = pd.unique(frm[into_chain])
    sinks = np.flatnonzero(~on_chain & ~has_succ & (agg > 0))
    feeders = np.r_[linked, sinks[~np.isin(sinks, linked)]].astype(np.int64)
    choice = best_predecessor(~on_chain)
    feed_paths = [trace(int(i), choice) for i in feeders]
    fb = np.zeros(n)
    fb[feeders] = [_buffer_size(method, safe[path], agg[path], float(buffer_fraction))
                   for path in feed_paths]

    # Latest starts with buffers in front of the chain (chain tasks pinned early).
    w_buf = w + np.where(into_chain, fb[frm], 0.0)
    ub = np.where(on_chain, es, chain_end - agg - np.where(has_succ, 0.0, fb))
    ls = _pass(n, frm, to, w_buf, ub, forward=False)
    planned = np.where(on_chain, es, np.maximum(es, ls))
    pf = planned + agg

    # Room left in front of each buffered link: the tightest of the feeder's links.
    ic = np.flatnonzero(into_chain)
    ic = ic[np.lexsort((planned[to[ic]] - (planned[frm[ic]] + w[ic]), frm[ic]))]
    first_arc = np.full(n, -1, dtype=np.int64)
    if len(ic):
        heads = np.flatnonzero(np.r_[True, frm[ic][1:] != frm[ic][:-1]])
        first_arc[frm[ic[heads]]] = ic[heads]
    arc = first_arc[feeders]
    has_arc = arc >= 0
    ids_arr = np.asarray(ids, dtype=object)
    available = chain_end - pf[feeders]
    before = np.full(len(feeders), "", dtype=object)
    if has_arc.any():
        a_ = arc[has_arc]
        available[has_arc] = planned[to[a_]] - (planned[feeders[has_arc]] + w[a_])
        before[has_arc] = ids_arr[to[a_]]

    rows = [{"name": "PB", "kind": "project", "after": str(ids_arr[chain_idx[-1]]) if chain_idx else "",
             "before": "", "size": pb, "start": chain_end, "finish": chain_end + pb,
             "available": pb, "conflict": False, "tasks": ids_arr[chain_idx].tolist()}]
    fb_name = np.full(n, "", dtype=object)
    for k, (i, path) in enumerate(zip(feeders, feed_paths), start=1):
        name = f"FB{k}"
        fb_name[i] = name
        rows.append({"name": name, "kind": "feeding", "after": ids_arr[i], "before": before[k - 1],
                     "size": float(fb[i]), "start": float(pf[i]), "finish": float(pf[i] + fb[i]),
                     "available": float(available[k - 1]),
                     "conflict": bool(available[k - 1] < fb[i] - tol),
                     "tasks": ids_arr[path].tolist()})
    buffers = pd.DataFrame(rows, columns=["name", "kind", "after", "before", "size", "start",
                                          "finish", "available", "conflict", "tasks"])
    table = pd.DataFrame({"safe_duration": safe, "aggressive_duration": agg, "early_start": es,
                          "start": planned, "finish": pf, "on_chain": on_chain,
                          "feeding_buffer": fb_name}, index=ids)
    if getattr(project, "start", None) is not None:
        cal = project.calendar
        table["start_date"] = cal.start_dates(planned, project.start)
        table["finish_date"] = cal.finish_dates(pf, project.start)
        buffers["finish_date"] = cal.finish_dates(buffers["finish"].to_numpy(float), project.start)
    safe_T = float(finish.max(initial=0.0))
    return CriticalChain([str(ids[k]) for k in chain_idx], table, buffers, pb, chain_end,
                         chain_end + pb, safe_T, method,
                         _arcs=(frm, to, lt, eff_lag, is_link), _lower=lower, _project=project)
