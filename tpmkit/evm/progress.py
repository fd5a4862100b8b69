"""Earned value from the project itself: budgets, planned value, periods, status history.

Route (b) of :func:`tpmkit.evm.metrics`: each task's budget (:func:`task_budgets`) spread over
its baseline (:func:`planned_value`), the reporting periods (:func:`period_ends`), the earning
rules (:data:`EV_RULES`) applied to the progress columns or to a task-level status history
(:func:`periods_from_project`), and the project rolled back to a status date (:func:`as_of`).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tpmkit.errors import DataError, EVMWarning, ValidationError, check_option, format_ids
from tpmkit.evm._common import Curves as _Curves
from tpmkit.evm._common import days as _days
from tpmkit.evm._common import normalise as _normalise
from tpmkit.evm._common import numbers as _numbers
from tpmkit.evm._common import where_rows as _where_rows
from tpmkit.model.calendar import busdaycal

if TYPE_CHECKING:  # pragma: no cover
    from tpmkit.model import Project
    from tpmkit.model.calendar import Calendar

__all__ = ["EV_RULES", "FREQUENCIES", "SPREADS", "as_of", "period_ends", "periods_from_project",
           "planned_value", "status_dates", "task_budgets"]

#: how a task's budget is spread over its baseline working days (cumulative fraction F(x),
#: x = share of the task's working days elapsed): linear x, front-loaded 1-(1-x)², back-loaded
#: x², all at the start (first day), all at the end (last day)
SPREADS = ("linear", "front", "back", "start", "end")
#: how percent complete earns value: EV = BAC·pc/100, or 0 % until finished, or 50 % at start
EV_RULES = ("percent", "0/100", "50/50")
#: reporting-period lengths for the project route
FREQUENCIES = ("month", "week", "quarter")


# --------------------------------------------------------------------------------------
# route (b): the project's baseline and progress
# --------------------------------------------------------------------------------------
def task_budgets(project: Project) -> pd.Series:
    """Each task's budget [currency]: ``baseline_cost``, else ``cost`` + ``rate`` × duration.

    Parameters
    ----------
    project : Project

    Returns
    -------
    pandas.Series
        Indexed by task id; 0 for tasks without any cost.

    Examples
    --------
    >>> from tpmkit.model import build_project
    >>> t = pd.DataFrame({"id": ["A", "B", "C"], "duration": [4, 2, 1],
    ...                   "baseline_cost": [1000, None, None], "cost": [None, 300, None],
    ...                   "rate": [None, 50, None]})
    >>> task_budgets(build_project(t)).tolist()
    [1000.0, 400.0, 0.0]
    """
    t = project.tasks
    fixed = t["cost"].fillna(0.0) + t["rate"].fillna(0.0) * t["duration"].fillna(0.0)
    budget = t["baseline_cost"].where(t["baseline_cost"].notna(), fixed).astype(float)
    bad = budget < 0
    if bad.any():
        raise ValidationError(f"negative budget for task(s) {format_ids(t.index[bad])}; "
                              "baseline_cost, cost and rate must be ≥ 0")
    return budget.rename("budget")


def _spread_fraction(x: np.ndarray, spread: str) -> np.ndarray:
    """Cumulative share F(x) of a task's budget after a share x of its working days."""
    if spread == "linear":
        return x
    if spread == "front":
        return 1.0 - (1.0 - x) ** 2
    if spread == "back":
        return x**2
    if spread == "start":
        return (x > 0).astype(float)
    return (x >= 1.0).astype(float)   # "end"


def _baseline_days(project: Project, budget: pd.Series
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Baseline start/finish (datetime64[D]) and working-day counts; checks the baseline."""
    t = project.tasks
    bs, bf = t["baseline_start"], t["baseline_finish"]
    need = budget > 0
    missing = need & (bs.isna() | bf.isna())
    if missing.all() and need.any():
        raise DataError(
            "the project has no baseline: no task with a budget has baseline_start and "
            "baseline_finish; save a baseline (copy the planned start/finish dates into "
            "baseline_start/baseline_finish) or use period data")
    if missing.any():
        raise DataError(f"task(s) {format_ids(t.index[missing])} have a budget but no "
                        "baseline_start/baseline_finish; give both dates (or a zero budget)")
    reversed_ = bf < bs
    if reversed_.any():
        raise ValidationError(f"baseline_finish is before baseline_start for task(s) "
                              f"{format_ids(t.index[reversed_])}; swap or correct the dates")
    cal = busdaycal(project.calendar)
    start = _days(bs.fillna(bf))
    finish = _days(bf.fillna(bs))
    ok = ~np.isnat(start)
    ndays = np.zeros(len(t), dtype=np.int64)
    ndays[ok] = np.busday_count(start[ok], finish[ok] + 1, busdaycal=cal)
    return start, finish, ndays


def planned_value(project: Project, dates: Any, spread: str = "linear") -> pd.DataFrame:
    """Cumulative planned value of each task at the end of each date [currency].

    Each task's budget (:func:`task_budgets`) is spread over its baseline working days
    (``baseline_start`` … ``baseline_finish``, both included, on ``project.calendar``). After
    ``k`` of the task's ``n`` working days the task has planned ``budget · F(k/n)``, with
    F from ``spread``: ``"linear"`` x, ``"front"`` 1 − (1 − x)², ``"back"`` x², ``"start"``
    (everything on the first day), ``"end"`` (everything on the last day). A task whose
    baseline has no working day (a milestone) plans its budget at its baseline finish.

    Parameters
    ----------
    project : Project
    dates : array_like of dates
        Cut-off dates; the value planned up to the end of each date is returned.
    spread : {"linear", "front", "back", "start", "end"}

    Returns
    -------
    pandas.DataFrame
        Indexed by task id, one column per date; ``.sum()`` is the PV curve.

    References
    ----------
    .. [1] PMBOK Guide, 6th ed., §7.3.2 (cost baseline: time-phased budget).

    Examples
    --------
    >>> from tpmkit.model import build_project
    >>> t = pd.DataFrame({"id": ["A"], "duration": [4], "baseline_cost": [800.0],
    ...                   "baseline_start": ["2027-01-04"], "baseline_finish": ["2027-01-07"]})
    >>> planned_value(build_project(t), ["2027-01-05", "2027-01-31"]).iloc[0].tolist()
    [400.0, 800.0]
    """
    spread = check_option(spread, SPREADS, "spread")
    budget = task_budgets(project)
    start, finish, ndays = _baseline_days(project, budget)
    d = _days(dates)
    cal = busdaycal(project.calendar)
    b = budget.to_numpy(dtype=float)
    has = ~np.isnat(start)
    frac = np.zeros((len(b), d.size))
    if has.any():
        s, f, n = start[has][:, None], finish[has][:, None], ndays[has][:, None]
        done = np.busday_count(s, np.maximum(d[None, :] + 1, s), busdaycal=cal)
        x = np.where(n > 0, np.clip(done, 0, np.maximum(n, 1)) / np.maximum(n, 1),
                     (d[None, :] >= f).astype(float))
        frac[has] = _spread_fraction(x, spread)
    return pd.DataFrame(b[:, None] * frac, index=project.tasks.index,
                        columns=pd.DatetimeIndex(d, name="date"))


def period_ends(first: Any, last: Any, freq: str = "month", anchor: Any = None,
                calendar: Calendar | None = None) -> pd.DatetimeIndex:
    """Reporting-period end dates covering ``first`` … ``last``.

    Periods are calendar months (weeks, quarters) ending on the last working day of the
    period. With ``anchor`` (usually the status date) the grid is shifted so that ``anchor``
    is a period end — monthly reporting on the 15th, say; an anchor on the last working day
    of its month makes every period close a month (quarters ending in the anchor's month).

    Parameters
    ----------
    first, last : date
        The first period ends on/after ``first``; the last on/after ``last``.
    freq : {"month", "week", "quarter"}
    anchor : date, optional
    calendar : Calendar, optional
        Working days (default Monday–Friday).

    Returns
    -------
    pandas.DatetimeIndex

    Examples
    --------
    >>> period_ends("2027-01-04", "2027-03-10").strftime("%Y-%m-%d").tolist()
    ['2027-01-29', '2027-02-26', '2027-03-31']
    >>> period_ends("2027-01-04", "2027-03-10", anchor="2027-02-15").strftime("%d").tolist()
    ['15', '15', '15']
    """
    freq = check_option(freq, FREQUENCIES, "period frequency")
    cal = busdaycal(calendar)
    first_d = pd.Timestamp(first).normalize()
    last_d = pd.Timestamp(last).normalize()
    if last_d < first_d:
        last_d = first_d
    months = {"month": 1, "quarter": 3}.get(freq)
    anchor_d = pd.Timestamp(anchor).normalize() if anchor is not None else None
    if freq == "week":
        # weeks end on Friday unless anchored at the status date
        a = anchor_d if anchor_d is not None else (
            first_d + pd.Timedelta(days=(4 - first_d.weekday()) % 7))
        k0 = -int(np.ceil((a - first_d).days / 7)) - 1
        k1 = int(np.ceil((last_d - a).days / 7)) + 1
        raw = pd.DatetimeIndex([a + pd.Timedelta(weeks=k) for k in range(k0, k1 + 1)])
    elif anchor_d is None:
        raw = pd.date_range(first_d + pd.offsets.MonthEnd(0) - pd.offsets.MonthEnd(months),
                            last_d + pd.offsets.MonthEnd(months),
                            freq="ME" if months == 1 else "QE")
    else:
        span = (last_d.year - first_d.year) * 12 + last_d.month - first_d.month
        da = (anchor_d.year - first_d.year) * 12 + anchor_d.month - first_d.month
        # whole multiples of the period length around the anchor (k = 0 is the anchor)
        ks = range(-da // months - 1, -(-(span - da) // months) + 2)
        month_end = anchor_d + pd.offsets.MonthEnd(0)
        last_workday = pd.Timestamp(np.busday_offset(np.datetime64(month_end.date(), "D"), 0,
                                                     roll="backward", busdaycal=cal))
        if last_workday == anchor_d:
            # the anchor closes its month: every period closes a month
            raw = pd.DatetimeIndex([month_end + pd.offsets.MonthEnd(months * k) for k in ks])
        else:
            raw = pd.DatetimeIndex([anchor_d + pd.DateOffset(months=months * k) for k in ks])
    ends = np.busday_offset(raw.values.astype("datetime64[D]"), 0, roll="backward",
                            busdaycal=cal)
    ends = np.unique(ends)
    first64 = np.datetime64(first_d.date(), "D")
    last64 = np.datetime64(last_d.date(), "D")
    lo = np.searchsorted(ends, first64, side="left")
    hi = np.searchsorted(ends, last64, side="left")
    return pd.DatetimeIndex(ends[lo:hi + 1])


def _earned_fraction(pc: np.ndarray, finished: np.ndarray, started: np.ndarray,
                     rule: str) -> np.ndarray:
    """Share of the budget earned: percent complete under the EV rule."""
    pc = np.clip(np.nan_to_num(pc, nan=0.0), 0.0, 100.0)
    done = finished | (pc >= 100.0)
    if rule == "percent":
        return pc / 100.0
    if rule == "0/100":
        return done.astype(float)
    return np.where(done, 1.0, np.where(started | (pc > 0), 0.5, 0.0))   # 50/50


def _history(project: Project) -> pd.DataFrame | None:
    """The task-level status history in project.periods (task + percent/actual cost)."""
    per = project.periods
    if per is None:
        return None
    df = _normalise(per)
    if "actual_cost" not in df and "ac" in df:
        df = df.rename(columns={"ac": "actual_cost"})   # per-task AC is the actual cost
    if "task" not in df or not ({"percent_complete", "actual_cost"} & set(df.columns)):
        return None
    return df


def as_of(project: Project, status_date: Any) -> Project:
    """The project as it stood at ``status_date``: progress rolled back to that date.

    With a task-level status history in ``project.periods`` (rows of ``task``, ``date``,
    ``percent_complete``, ``ac``/``actual_cost`` and optionally ``etc`` and
    ``remaining_duration``), each task's progress columns take the values of its last history
    row on or before the status date (0 % and no cost before its first row); a
    ``remaining_duration`` the history does not carry is cleared (derived from the percent
    complete again). Actual starts after the status date are cleared,
    and so are actual finishes after it or of tasks not yet 100 % complete. Without a
    history only the status date changes (and actual dates after it are cleared), so every
    command given ``--status-date`` sees the progress of that date, not of a later one.

    Parameters
    ----------
    project : Project
    status_date : date
        The data date to roll back to.

    Returns
    -------
    Project
        A re-validated copy with ``status_date`` set.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.datasets.load("software_release_tracking")
    >>> april = as_of(p, "2027-04-30")
    >>> float(april.tasks.loc["QA3", "percent_complete"]), float(p.tasks.loc["QA3", "percent_complete"])
    (30.0, 100.0)
    """
    from tpmkit.model.calendar import parse_date

    status = parse_date(status_date, "status date")
    if status is None:
        return project
    table = project.to_table().set_index("id")
    hist = _history(project)
    if hist is not None and "date" in hist:
        hist, days = _history_dates(hist, project)
        hist = hist.assign(_day=days).loc[days <= np.datetime64(status.date(), "D")]
        last = hist.sort_values("_day").groupby(hist["task"].astype(str)).tail(1)
        last = last.set_index(last["task"].astype(str))
        for col in ("percent_complete", "actual_cost", "etc", "remaining_duration"):
            if col in last:
                values = pd.to_numeric(last[col], errors="coerce").reindex(table.index)
                table[col] = values.fillna(0.0) if col in ("percent_complete",
                                                           "actual_cost") else values
            elif col == "remaining_duration" and col in table:
                # the file's remaining durations belong to its own (later) status date: derive
                # them from the rolled-back percent complete instead
                table[col] = np.nan
    for col in ("actual_start", "actual_finish"):
        if col in table:
            dates = pd.to_datetime(table[col], errors="coerce")
            table[col] = dates.where(dates <= status)
    if "actual_finish" in table and "percent_complete" in table:
        done = pd.to_numeric(table["percent_complete"], errors="coerce") >= 100
        table["actual_finish"] = table["actual_finish"].where(done)
    return project.replace(tasks=table.reset_index(), links=project.links.drop(columns=["text"]),
                           status_date=status)


def status_dates(project: Project, until: Any = None) -> pd.DatetimeIndex:
    """The dates of the task-level status history (``project.periods``), oldest first.

    Parameters
    ----------
    project : Project
    until : date, optional
        Keep the dates on or before it (default all).

    Returns
    -------
    pandas.DatetimeIndex
        Empty when the project has no task-level status history. Dates on a non-working
        day count as the working day before (as in :func:`periods_from_project`).

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.datasets.load("software_release_tracking")
    >>> status_dates(p, until="2027-03-31").strftime("%m-%d").tolist()
    ['01-29', '02-26', '03-31']
    """
    hist = _history(project)
    if hist is None or "date" not in hist:
        return pd.DatetimeIndex([])
    _, days = _history_dates(hist, project)
    days = np.unique(days)
    if until is not None:
        days = days[days <= np.datetime64(pd.Timestamp(until).date(), "D")]
    return pd.DatetimeIndex(days)


def periods_from_project(project: Project, *, status_date: Any = None, freq: str = "month",
                         spread: str = "linear", ev_rule: str = "percent",
                         ends: Any = None, by_task: bool = False) -> pd.DataFrame:
    """Build the period table (cumulative PV, EV, AC) from the baseline and the progress.

    PV comes from :func:`planned_value` at each period end (:func:`period_ends`, anchored at
    the status date). EV = budget × earned fraction (``ev_rule``: ``"percent"`` uses
    ``percent_complete``; ``"0/100"`` earns the budget when the task is finished; ``"50/50"``
    half at the start, the rest at the finish); AC = Σ ``actual_cost``.

    Progress comes from the task table (the state at the status date), or — for every past
    period — from a status history in ``project.periods`` with columns ``task``, ``date``,
    ``percent_complete`` and ``actual_cost`` (or ``ac``), optionally ``etc`` and
    ``actual_finish``: one row per task and status date, cumulative. The status dates must be
    period ends (month ends, or the same day each month); the last one on or before the
    status date is the status period. A task without a row on a status date keeps its last
    reported status (before its first row it has not started).

    Parameters
    ----------
    project : Project
    status_date : date, optional
        Defaults to ``project.status_date``, else the last date of the history.
    freq : {"month", "week", "quarter"}
    spread : {"linear", "front", "back", "start", "end"}
    ev_rule : {"percent", "0/100", "50/50"}
    ends : array_like of dates, optional
        Explicit period end dates (fiscal periods, 4-4-5 calendars, …) instead of ``freq``;
        the status date must be one of them.
    by_task : bool
        Return one row per task and period (columns ``period, date, task, pv, ev, ac``) —
        the input :func:`metrics` needs for the schedule adherence.

    Returns
    -------
    pandas.DataFrame
        Columns ``period, date, pv, ev, ac`` (``etc`` when the tasks carry an ``etc``);
        ``ev``/``ac`` NaN after the status date.

    References
    ----------
    .. [1] PMBOK Guide, 6th ed., §7.4.2.2; Q. W. Fleming and J. M. Koppelman, *Earned Value
       Project Management*, 4th ed., PMI, 2010, ch. 9 (0/100, 50/50 earning rules).

    Examples
    --------
    >>> from tpmkit.model import build_project
    >>> t = pd.DataFrame({"id": ["A", "B"], "duration": [20, 20],
    ...     "baseline_cost": [2000.0, 4000.0],
    ...     "baseline_start": ["2027-02-01", "2027-03-01"],
    ...     "baseline_finish": ["2027-02-26", "2027-03-26"],
    ...     "percent_complete": [100, 25], "actual_cost": [2500.0, 800.0]})
    >>> p = build_project(t, start="2027-02-01", status_date="2027-03-31")
    >>> periods_from_project(p)[["period", "pv", "ev", "ac"]]
       period      pv      ev      ac
    0       1  2000.0     NaN     NaN
    1       2  6000.0  3000.0  3300.0
    """
    spread = check_option(spread, SPREADS, "spread")
    ev_rule = check_option(ev_rule, EV_RULES, "ev_rule")
    freq = check_option(freq, FREQUENCIES, "period frequency")
    c = project_curves(project, status_date, freq, spread, ev_rule, ends)
    n_t, n_p = c.task_pv.shape
    if by_task:
        out = pd.DataFrame({
            "period": np.tile(c.labels, n_t),
            "date": pd.DatetimeIndex(np.tile(c.dates, n_t)),
            "task": np.repeat(c.task_ids, n_p),
            "pv": c.task_pv.ravel(), "ev": c.task_ev.ravel(), "ac": c.task_ac.ravel()})
        if c.task_etc is not None:
            out["etc"] = c.task_etc.ravel()
        return out
    out = pd.DataFrame({"period": c.labels, "date": pd.DatetimeIndex(c.dates), "pv": c.pv,
                        "ev": c.ev, "ac": c.ac})
    if c.etc is not None:
        out["etc"] = c.etc
    return out


def project_curves(project: Project, status_date: Any, freq: str, spread: str,
                    ev_rule: str, given_ends: Any = None) -> _Curves:
    """Task-level PV/EV/AC on the period grid from the baseline and the progress.

    The curves behind :func:`periods_from_project` and the project route of
    :func:`tpmkit.evm.metrics`; not re-exported by :mod:`tpmkit.evm`.
    """
    t = project.tasks
    budget = task_budgets(project)
    if not (budget > 0).any():
        raise DataError("no task has a budget; give baseline_cost (or cost and rate) per task, "
                        "or use period data with a pv column")
    start, finish, _ = _baseline_days(project, budget)
    hist, hist_dates, status = _status_history(project, status_date)
    has = ~np.isnat(start)
    first = project.start if project.start is not None else pd.Timestamp(start[has].min())
    first = min(pd.Timestamp(first), pd.Timestamp(start[has].min()))
    last = max(pd.Timestamp(finish[has].max()), status)
    if given_ends is None:
        ends = period_ends(first, last, freq=freq, anchor=status, calendar=project.calendar)
    else:
        ends = _given_ends(given_ends, status, project.calendar)
    ends64 = ends.values.astype("datetime64[D]")
    pv_task = planned_value(project, ends, spread=spread).to_numpy()
    n_t, n_p = pv_task.shape
    b = budget.to_numpy(dtype=float)[:, None]

    ev_task = np.full((n_t, n_p), np.nan)
    ac_task = np.full((n_t, n_p), np.nan)
    etc_task = np.full((n_t, n_p), np.nan)
    status64 = np.datetime64(status.date(), "D")
    if hist is not None:
        _fill_from_history(hist, hist_dates, t, b, ends64, status64, freq, ev_rule,
                           ev_task, ac_task, etc_task)
    else:
        _fill_from_tasks(t, b, ends64, status64, ev_rule, ev_task, ac_task, etc_task)
    has_etc = not np.isnan(etc_task).all()
    # only status columns are filled, for every task: the sums are NaN elsewhere
    return _Curves(labels=np.arange(1, n_p + 1), dates=ends64, pv=pv_task.sum(axis=0),
                   ev=ev_task.sum(axis=0), ac=ac_task.sum(axis=0),
                   etc=etc_task.sum(axis=0) if has_etc else None, task_pv=pv_task,
                   task_ev=ev_task, task_ac=ac_task, task_etc=etc_task if has_etc else None,
                   task_ids=t.index.to_numpy(), calendar=project.calendar, source="tasks")


def _status_history(project: Project, status_date: Any
                    ) -> tuple[pd.DataFrame | None, np.ndarray | None, pd.Timestamp]:
    """The status history up to the status date, its dates and the (working-day) status."""
    t = project.tasks
    hist = _history(project)
    status = status_date if status_date is not None else project.status_date
    hist_dates = None
    if hist is not None:
        hist, hist_dates = _history_dates(hist, project)
        unknown = ~hist["task"].astype(str).isin(t.index)
        if unknown.any():
            raise ValidationError(f"the status history names unknown task(s) "
                                  f"{format_ids(hist['task'][unknown].unique())}; use ids of "
                                  "the task table")
        if status is None:
            status = pd.Timestamp(hist_dates.max())
        # progress recorded after the status date is the future as seen from that date
        keep = hist_dates <= np.datetime64(pd.Timestamp(status).date(), "D")
        hist, hist_dates = hist[keep], hist_dates[keep]
        if not keep.any():
            raise DataError(f"the status history starts after the status date "
                            f"{pd.Timestamp(status).date()}; choose a later status date")
        status = pd.Timestamp(hist_dates.max())      # the last progress record is the status
    if status is None:
        raise DataError("no status date: set project.status_date (or pass status_date=…) to "
                        "say when percent_complete and actual_cost were recorded")
    # a status date on a weekend means the last working day before it
    status = pd.Timestamp(np.busday_offset(np.datetime64(pd.Timestamp(status).date(), "D"), 0,
                                           roll="backward",
                                           busdaycal=busdaycal(project.calendar)))
    return hist, hist_dates, status


def _fill_from_history(hist: pd.DataFrame, hist_dates: np.ndarray, t: pd.DataFrame,
                       b: np.ndarray, ends64: np.ndarray, status64: np.datetime64, freq: str,
                       ev_rule: str, ev_task: np.ndarray, ac_task: np.ndarray,
                       etc_task: np.ndarray) -> None:
    """Fill the task EV/AC/ETC grids (in place) from the status history rows."""
    n_t, n_p = ev_task.shape
    pos = {tid: i for i, tid in enumerate(t.index)}
    row = hist["task"].astype(str).map(pos).to_numpy()
    col = np.searchsorted(ends64, hist_dates)
    off_grid = (col >= n_p) | (ends64[np.minimum(col, n_p - 1)] != hist_dates)
    if off_grid.any():
        bad = pd.DatetimeIndex(np.unique(hist_dates[off_grid])).strftime("%Y-%m-%d")
        raise ValidationError(f"status history dates {format_ids(bad)} are not period ends "
                              f"of the {freq}ly grid; record progress at period ends")
    dup = pd.Series(list(zip(row, col, strict=True))).duplicated().to_numpy()
    if dup.any():
        raise ValidationError(f"the status history repeats task(s) "
                              f"{format_ids(hist['task'][dup].unique())} on one date; give "
                              "one row per task and status date")
    reported = np.zeros(n_p, dtype=bool)
    reported[col] = True
    reported &= ends64 <= status64
    # a task without a row on a status date keeps its last reported (cumulative) status;
    # before its first row it has not started
    grids = {}
    for name in ("percent_complete", "actual_cost", "etc"):
        g = np.full((n_t, n_p), np.nan)
        if name in hist:
            values = _numbers(hist, name, "status history")
            if name == "percent_complete" and (values > 100).any():
                raise ValidationError(
                    f"percent_complete above 100 in the status history for "
                    f"{_where_rows(hist, values > 100)}; give 0-100")
            g[row, col] = values
        g = pd.DataFrame(g[:, reported]).ffill(axis=1).to_numpy()
        grids[name] = g
    fin = np.zeros((n_t, n_p), dtype=bool)
    if "actual_finish" in hist:
        af = pd.to_datetime(hist["actual_finish"], errors="coerce").to_numpy(
            dtype="datetime64[D]")
        fin[row, col] = ~np.isnat(af) & (af <= ends64[col])
    fin = pd.DataFrame(fin[:, reported]).cummax(axis=1).to_numpy()
    pc = np.nan_to_num(grids["percent_complete"])
    ev_task[:, reported] = b * _earned_fraction(pc, fin, pc > 0, ev_rule)
    ac_task[:, reported] = np.nan_to_num(grids["actual_cost"])
    if "etc" in hist:
        etc_task[:, reported] = np.nan_to_num(grids["etc"])


def _fill_from_tasks(t: pd.DataFrame, b: np.ndarray, ends64: np.ndarray,
                     status64: np.datetime64, ev_rule: str, ev_task: np.ndarray,
                     ac_task: np.ndarray, etc_task: np.ndarray) -> None:
    """Fill the status column of the task EV/AC/ETC grids (in place) from the task table."""
    k = int(np.searchsorted(ends64, status64))
    pc = t["percent_complete"].to_numpy(dtype=float)
    if np.isnan(pc).all() and t["actual_cost"].isna().all():
        raise DataError("no progress is recorded: no task has percent_complete or "
                        "actual_cost; enter the progress at the status date (or use "
                        "period data with ev and ac columns)")
    af = t["actual_finish"].to_numpy(dtype="datetime64[D]")
    as_ = t["actual_start"].to_numpy(dtype="datetime64[D]")
    fin = ~np.isnat(af) & (af <= status64)
    started = ~np.isnat(as_) & (as_ <= status64)
    ev_task[:, k] = b[:, 0] * _earned_fraction(pc, fin, started, ev_rule)
    acost = t["actual_cost"].to_numpy(dtype=float)
    no_ac = np.isnan(acost) & (np.nan_to_num(pc) > 0)
    if np.isnan(acost).all() and (np.nan_to_num(pc) > 0).any():
        raise DataError("tasks report progress but no actual_cost is given; record the "
                        "actual cost per task (or use period data with an ac column)")
    if no_ac.any():
        # stacklevel: this helper, project_curves, the caller of project_curves
        warnings.warn(f"task(s) {format_ids(t.index[no_ac])} report progress without an "
                      "actual_cost; counted as 0 in AC", EVMWarning, stacklevel=3)
    ac_task[:, k] = np.nan_to_num(acost)
    if "etc" in t:
        etc_task[:, k] = np.nan_to_num(pd.to_numeric(t["etc"], errors="coerce").to_numpy(
            dtype=float))


def _given_ends(ends: Any, status: pd.Timestamp, calendar: Calendar | None
                ) -> pd.DatetimeIndex:
    """User period ends: sorted, unique, rolled back to working days; must hold the status."""
    try:
        d = _days(ends)
    except (ValueError, TypeError) as exc:
        raise ValidationError(f"cannot read the period end dates ({exc}); give dates as "
                              "YYYY-MM-DD") from exc
    if d.size == 0 or np.isnat(d).any():
        raise ValidationError("the period end dates are empty or hold a blank; give one date "
                              "per period")
    d = np.unique(np.busday_offset(d, 0, roll="backward", busdaycal=busdaycal(calendar)))
    if np.datetime64(status.date(), "D") not in d:
        raise ValidationError(f"the status date {status.date()} is not one of the period ends; "
                              "add it to ends (or change the status date)")
    return pd.DatetimeIndex(d)


def _history_dates(hist: pd.DataFrame, project: Project) -> tuple[pd.DataFrame, np.ndarray]:
    if "date" in hist:
        d = pd.to_datetime(hist["date"], errors="coerce")
        if d.isna().any():
            raise ValidationError("the status history has rows without a readable date; give "
                                  "each row's status date as YYYY-MM-DD")
        # a status recorded on a non-working day belongs to the last working day before it
        days = d.dt.normalize().to_numpy(dtype="datetime64[D]")
        return hist, np.busday_offset(days, 0, roll="backward",
                                      busdaycal=busdaycal(project.calendar))
    raise ValidationError("the status history (project.periods with task, percent_complete, "
                          "actual_cost) needs a 'date' column: the status date of each row")
