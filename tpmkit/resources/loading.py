"""Resource loading: usage per working day against capacity, over-allocations, histograms.

:func:`loading` spreads each assignment (``tasks.resources``, units per working day) over
the working days its task occupies in a schedule, compares the usage with the capacities
of the ``resources`` table (optionally with a working calendar per resource), and finds
the over-allocation periods together with the tasks that cause them. :func:`histogram`
gives the data of a resource histogram; :func:`usage` and :func:`overallocations` are the
two tables of :func:`loading` on their own.

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
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._core.codes import EPS
from tpmkit.errors import DataError, ValidationError, check_option, format_ids
from tpmkit.model.calendar import parse_holidays, parse_workweek

__all__ = [
    "Loading",
    "assignment_table",
    "histogram",
    "loading",
    "overallocations",
    "resource_table",
    "schedule_times",
    "usage",
]

_TOL = EPS


# --------------------------------------------------------------------------- helpers


def assignment_table(project) -> pd.DataFrame:
    """The project's assignments (``task``, ``resource``, ``units``); an empty table when none."""
    a = getattr(project, "assignments", None)
    if a is None or len(a) == 0:
        return pd.DataFrame({"task": pd.Series([], dtype=object),
                             "resource": pd.Series([], dtype=object),
                             "units": pd.Series([], dtype=float)})
    return a


def schedule_times(project, schedule) -> tuple[np.ndarray, np.ndarray]:
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
    assigned = pd.unique(assignment_table(project)["resource"].astype(str))
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
    start, finish = schedule_times(project, schedule)
    table = resource_table(project)
    a = assignment_table(project)
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
