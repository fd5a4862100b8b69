"""Flow and Scrum metrics of a :class:`~tpmkit.agile.Board`.

Kanban / flow: :func:`cycle_times`, :func:`cycle_time_percentiles` (cycle or lead time at
50/70/85/95 %, by type), :func:`throughput`, :func:`wip`, :func:`aging_wip`,
:func:`cumulative_flow`, :func:`arrivals`, :func:`littles_law`, :func:`flow_efficiency`.
Scrum: :func:`velocity`, :func:`burndown`, :func:`burnup`.

Conventions (Vacanti [1]_): days are calendar days; an item is in progress on every day from
its start day to its done day inclusive, so its cycle time ``done − started + 1`` [days] is the
number of days it counts as WIP, and average WIP = throughput × average cycle time holds
exactly for items that start and finish inside a window (Little's law [2]_). Percentiles are
nearest-rank ("at least p % of items took at most this long"; numpy ``inverted_cdf``).

References
----------
.. [1] D. S. Vacanti, *Actionable Agile Metrics for Predictability*, ActionableAgile Press 2015.
.. [2] J. D. C. Little, "A proof for the queuing formula L = λW", *Operations Research* 9(3),
   1961, pp. 383–387.
.. [3] K. Schwaber, J. Sutherland, *The Scrum Guide*, 2020 (sprint, increment); M. Cohn,
   *Agile Estimating and Planning*, 2005, ch. 16 (velocity, burn-down).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from tpmkit.agile.board import Board
from tpmkit.errors import DataError, ValidationError, check_option, format_ids

__all__ = [
    "PERCENTILES",
    "FlowEfficiency",
    "LittlesLaw",
    "aging_wip",
    "arrivals",
    "burndown",
    "burnup",
    "cumulative_flow",
    "cycle_time_percentiles",
    "cycle_times",
    "days",
    "flow_efficiency",
    "littles_law",
    "throughput",
    "velocity",
    "wip",
]

#: the service-level percentiles of every table [%]
PERCENTILES = (50, 70, 85, 95)
_FREQ = ("day", "week", "month")
_DAY = np.timedelta64(1, "D")


def days(board: Board) -> pd.DatetimeIndex:
    """Every calendar day from the first creation to the status date (the metrics' axis)."""
    return pd.date_range(board.table["created"].min().normalize(), board.now, freq="D", name="date")


def _flow_days(board: Board) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Created, start and done days (datetime64[D]; NaT when not reached).

    An item done without a start date (a Jira export without history) starts on its done
    day; an item in progress without one starts on its creation day.
    """
    t = board.table
    created = t["created"].dt.normalize()
    done = t["done"].dt.normalize()
    start = t["started"].dt.normalize()
    start = start.fillna(done).where(start.notna() | done.notna() | (t["category"] == "To do"),
                                     created)
    conv = [s.to_numpy().astype("datetime64[D]") for s in (created, start, done)]
    return conv[0], conv[1], conv[2]


def _count_le(stamps: np.ndarray, grid: np.ndarray,
              side: Literal["left", "right"] = "right") -> np.ndarray:
    """How many (non-NaT) stamps are ≤ (side right) or < (side left) each grid day."""
    s = np.sort(stamps[~np.isnat(stamps)])
    return np.searchsorted(s, grid, side=side)


def cycle_times(board: Board) -> pd.DataFrame:
    """Cycle and lead time of every finished item.

    Returns
    -------
    DataFrame
        Indexed by item id (board order, finished items only): ``type``, ``started``,
        ``done``, ``cycle_time`` (done − started + 1 [days]; NaN without a start date) and
        ``lead_time`` (done − created + 1 [days]).

    Examples
    --------
    >>> from tpmkit.agile import items
    >>> b = items([{"id": "A", "created": "2021-01-01", "started": "2021-01-04",
    ...             "done": "2021-01-06"}])
    >>> cycle_times(b)[["cycle_time", "lead_time"]].to_dict("records")
    [{'cycle_time': 3.0, 'lead_time': 6.0}]
    """
    t = board.table[board.table["done"].notna()]
    done = t["done"].dt.normalize()
    return pd.DataFrame({
        "type": t["type"], "started": t["started"], "done": t["done"],
        "cycle_time": (done - t["started"].dt.normalize()) / pd.Timedelta(days=1) + 1,
        "lead_time": (done - t["created"].dt.normalize()) / pd.Timedelta(days=1) + 1,
    }, index=t.index)


def _levels(percentiles: Sequence[float]) -> np.ndarray:
    q = np.asarray(percentiles, dtype=float)
    if q.ndim != 1 or not len(q) or ((q <= 0) | (q > 100)).any():
        raise ValidationError(f"percentiles {list(percentiles)!r} must lie in (0, 100]; use e.g. "
                              "(50, 70, 85, 95)")
    return q


def cycle_time_percentiles(board: Board, *, kind: str = "cycle",
                           percentiles: Sequence[float] = PERCENTILES) -> pd.DataFrame:
    """Cycle-time (or lead-time) percentiles, for all items and by type.

    Parameters
    ----------
    kind : {"cycle", "lead"}
        Cycle time (start → done) or lead time (created → done).
    percentiles : sequence of float
        Levels [%].

    Returns
    -------
    DataFrame
        Indexed by ``type`` (``all`` first, then each type that has finished items):
        ``count``, ``mean`` and ``p50``, ``p70``, … [days] (nearest rank).

    Examples
    --------
    >>> from tpmkit.agile import items
    >>> b = items({"items": [{"id": i, "created": "2021-01-01", "started": "2021-01-01",
    ...                       "done": f"2021-01-0{i}"} for i in range(1, 5)]})
    >>> cycle_time_percentiles(b).loc["all", ["p50", "p95"]].tolist()
    [2.0, 4.0]
    """
    col = {"cycle": "cycle_time", "lead": "lead_time"}[check_option(kind, ["cycle", "lead"], "kind")]
    q = _levels(percentiles)
    ct = cycle_times(board)
    ct = ct[ct[col].notna()]
    groups = [("all", ct[col])] + [(k, g[col]) for k, g in ct.groupby("type", sort=False)]
    rows = []
    for _, values in groups:
        v = values.to_numpy(float)
        pct = np.percentile(v, q, method="inverted_cdf") if len(v) else np.full(len(q), np.nan)
        rows.append([len(v), v.mean() if len(v) else np.nan, *pct])
    names = ["count", "mean", *[f"p{x:g}" for x in q]]
    out = pd.DataFrame(rows, columns=names, index=pd.Index([g for g, _ in groups], name="type"))
    return out.astype({"count": int})


def _period_start(day: np.ndarray | pd.DatetimeIndex, freq: str) -> pd.DatetimeIndex:
    d = pd.DatetimeIndex(day)
    if freq == "day":
        return d
    if freq == "week":
        return d - pd.to_timedelta(np.asarray(d.day_of_week), unit="D")
    return d.to_period("M").start_time


def _per_period(stamps: np.ndarray, board: Board, freq: str) -> pd.Series:
    grid = days(board)
    periods = pd.DatetimeIndex(_period_start(grid, freq).unique(), name="period")
    s = stamps[~np.isnat(stamps)]
    counts = pd.Series(1, index=_period_start(s, freq)).groupby(level=0).sum() if len(s) else (
        pd.Series(dtype=int))
    return counts.reindex(periods, fill_value=0).astype(int)


def throughput(board: Board, *, freq: str = "week") -> pd.Series:
    """Items finished per period, zero periods included.

    Parameters
    ----------
    freq : {"day", "week", "month"}
        Period; weeks start on Monday.

    Returns
    -------
    Series
        Indexed by the first day of each period (``period``) from the first creation to the
        status date, named ``throughput`` [items per period].

    Examples
    --------
    >>> from tpmkit.agile import items
    >>> b = items([{"id": "A", "created": "2021-01-04", "done": "2021-01-05"},
    ...            {"id": "B", "created": "2021-01-04", "done": "2021-01-12"}])
    >>> throughput(b).tolist()
    [1, 1]
    """
    freq = check_option(freq, _FREQ, "freq")
    return _per_period(_flow_days(board)[2], board, freq).rename("throughput")


def arrivals(board: Board, *, freq: str = "week") -> pd.DataFrame:
    """Arrival (created) and departure (done) rate per period.

    Returns
    -------
    DataFrame
        Indexed by period start: ``arrivals``, ``departures`` [items per period] and ``net``
        (arrivals − departures: the backlog grows when positive).
    """
    freq = check_option(freq, _FREQ, "freq")
    created, _, done = _flow_days(board)
    a = _per_period(created, board, freq)
    d = _per_period(done, board, freq)
    return pd.DataFrame({"arrivals": a, "departures": d, "net": a - d})


def _daily_counts(board: Board) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray, np.ndarray]:
    """The one day-counting rule of :func:`wip` and :func:`cumulative_flow`.

    For every day of :func:`days`: items created on or before it, items started on or before
    it, and items done *before* it. An item is in progress on every day from its start day
    to its done day inclusive (its cycle time ``done − started + 1`` is the number of days it
    counts as WIP) and counts as done from the day after its done day.
    """
    grid = days(board)
    g = grid.to_numpy().astype("datetime64[D]")
    created, start, done = _flow_days(board)
    # _flow_days gives every done item a start day, so done ⊆ started
    return grid, _count_le(created, g), _count_le(start, g), _count_le(done, g, "left")


def wip(board: Board) -> pd.Series:
    """Work in progress per day: items started on or before the day and not done before it.

    The same count as the ``in_progress`` band of :func:`cumulative_flow`.

    Returns
    -------
    Series
        Indexed by ``date`` (every day from the first creation to the status date), named
        ``wip`` [items].

    Examples
    --------
    >>> from tpmkit.agile import items
    >>> b = items([{"id": "A", "created": "2021-01-04", "started": "2021-01-04",
    ...             "done": "2021-01-05"}], now="2021-01-06")
    >>> wip(b).tolist()
    [1, 1, 0]
    """
    grid, _, started, finished = _daily_counts(board)
    return pd.Series(started - finished, index=grid, name="wip")


def cumulative_flow(board: Board) -> pd.DataFrame:
    """Cumulative flow: items in each category on every day.

    One day-counting rule with :func:`wip`: an item is in progress from its start day to
    its done day inclusive and done from the next day, so ``in_progress`` equals
    :func:`wip` on every day and the three bands add up to the items created by that day.

    Returns
    -------
    DataFrame
        Indexed by ``date``: ``to_do`` (created, not started), ``in_progress`` (started, not
        done before the day) and ``done`` (done before the day) [items]. Stacked from
        ``done`` up, the band tops are the cumulative departures, starts and arrivals, each
        non-decreasing in time.

    Examples
    --------
    >>> from tpmkit.agile import items
    >>> b = items([{"id": "A", "created": "2021-01-04", "started": "2021-01-04",
    ...             "done": "2021-01-05"}], now="2021-01-06")
    >>> cumulative_flow(b)["done"].tolist()
    [0, 0, 1]
    """
    grid, n_created, n_started, n_done = _daily_counts(board)
    return pd.DataFrame({"to_do": n_created - n_started, "in_progress": n_started - n_done,
                         "done": n_done}, index=grid)


def aging_wip(board: Board, *, percentiles: Sequence[float] = PERCENTILES) -> pd.DataFrame:
    """Age of every item in progress against the finished items' cycle-time percentiles.

    Returns
    -------
    DataFrame
        Indexed by item id (items in progress on the status date): ``type``, ``status``,
        ``started``, ``age`` (status date − started + 1 [days]), ``percentile_rank`` (share of
        finished items whose cycle time is at most ``age``, 0…1) and ``exceeds`` (the highest
        percentile level whose cycle time the age is above; 0 when none).
    """
    q = _levels(percentiles)
    t = board.table
    open_ = t[(t["category"] == "In progress")]
    start = open_["started"].fillna(open_["created"]).dt.normalize()
    age = (board.now - start) / pd.Timedelta(days=1) + 1
    ct = np.sort(cycle_times(board)["cycle_time"].dropna().to_numpy(float))
    if len(ct):
        levels = np.percentile(ct, q, method="inverted_cdf")
        rank = np.searchsorted(ct, age.to_numpy(float), side="right") / len(ct)
        above = age.to_numpy(float)[:, None] > levels[None, :]
        exceeds = np.where(above.any(axis=1), np.where(above, q[None, :], 0).max(axis=1), 0.0)
    else:
        rank = exceeds = np.full(len(open_), np.nan)
    return pd.DataFrame({"type": open_["type"], "status": open_["status"],
                         "started": open_["started"], "age": age, "percentile_rank": rank,
                         "exceeds": exceeds}, index=open_.index)


@dataclass(frozen=True)
class LittlesLaw:
    """Little's-law check over a window (:func:`littles_law`).

    Attributes
    ----------
    start, end : Timestamp
        Window (inclusive days).
    average_wip : float
        Mean daily WIP L [items].
    throughput : float
        Departure rate λ [items per day].
    arrival_rate : float
        Arrivals per day in the window [items per day].
    average_cycle_time : float
        Mean cycle time W of the items done in the window [days].
    predicted_wip : float
        λ · W [items].
    bound : float
        Largest ``|L − λW|`` that items crossing the window edges can cause:
        (WIP on the first day + WIP on the last day) × longest cycle time or age / days.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    average_wip: float
    throughput: float
    arrival_rate: float
    average_cycle_time: float
    predicted_wip: float
    bound: float

    @property
    def holds(self) -> bool:
        """``|L − λW|`` within :attr:`bound`."""
        return bool(abs(self.average_wip - self.predicted_wip) <= self.bound + 1e-9)

    def _repr_html_(self) -> str:
        return (f"<b>Little's law</b> {self.start.date()}–{self.end.date()}: L = "
                f"{self.average_wip:.2f}, λW = {self.throughput:.3f} × "
                f"{self.average_cycle_time:.2f} = {self.predicted_wip:.2f} (edge bound "
                f"{self.bound:.2f})")


def littles_law(board: Board, *, start: object = None, end: object = None) -> LittlesLaw:
    """Compare average WIP with throughput × average cycle time (Little's law).

    Parameters
    ----------
    start, end : date-like, optional
        Window; default the first start day to the status date.

    Returns
    -------
    LittlesLaw
        L, λ, W, λW and the edge bound. For items wholly inside the window the two sides
        are equal; items crossing the edges add at most ``bound``.

    References
    ----------
    J. D. C. Little, "A proof for the queuing formula L = λW", *Operations Research* 9, 1961.
    """
    w = wip(board)
    _, first, last = _flow_days(board)
    lo = pd.Timestamp(start).normalize() if start is not None else (
        pd.Timestamp(np.nanmin(first[~np.isnat(first)])) if (~np.isnat(first)).any() else w.index[0])
    hi = pd.Timestamp(end).normalize() if end is not None else board.now
    if hi < lo:
        raise ValidationError(f"littles_law: end {hi.date()} before start {lo.date()}; swap them")
    window = w.loc[lo:hi]
    n_days = len(window)
    if not n_days:
        raise DataError("littles_law: the window holds no days of the board; widen it")
    ct = cycle_times(board)
    inside = ct[(ct["done"].dt.normalize() >= lo) & (ct["done"].dt.normalize() <= hi)]
    inside = inside[inside["cycle_time"].notna()]
    lam = len(inside) / n_days
    mean_ct = float(inside["cycle_time"].mean()) if len(inside) else np.nan
    created = board.table["created"].dt.normalize()
    arr = int(((created >= lo) & (created <= hi)).sum()) / n_days
    ages = aging_wip(board)["age"]
    longest = max(float(ct["cycle_time"].max()) if len(ct) else 0.0,
                  float(ages.max()) if len(ages) else 0.0)
    bound = (float(window.iloc[0]) + float(window.iloc[-1])) * longest / n_days
    return LittlesLaw(start=lo, end=hi, average_wip=float(window.mean()), throughput=lam,
                      arrival_rate=arr, average_cycle_time=mean_ct,
                      predicted_wip=lam * mean_ct if len(inside) else 0.0, bound=bound)


@dataclass(frozen=True)
class FlowEfficiency:
    """Active vs blocked time of finished items (:func:`flow_efficiency`).

    Attributes
    ----------
    table : DataFrame
        Indexed by item id: ``cycle_time``, ``blocked_days``, ``active_days`` [days] and
        ``efficiency`` (active / cycle time).
    efficiency : float
        Σ active / Σ cycle time over all finished items.
    """

    table: pd.DataFrame
    efficiency: float

    def _repr_html_(self) -> str:
        return (f"<b>Flow efficiency</b> {self.efficiency:.1%} over {len(self.table)} items"
                f"{self.table.head(10).to_html()}")


def flow_efficiency(board: Board) -> FlowEfficiency:
    """Flow efficiency: share of cycle time an item was not blocked.

    Blocked time is the overlap of the board's blocked periods with each item's cycle
    [fractional days]; an open blocked period ends at the item's done time.

    Raises
    ------
    DataError
        The board has neither blocked periods nor a status history with a blocked status.
    """
    if not len(board.blocked) and board.history is None:
        raise DataError("flow efficiency needs blocked periods or a status history; pass "
                        "blocked= (item, start, end) or history= to tpmkit.agile.items")
    ct = cycle_times(board)
    ct = ct[ct["cycle_time"].notna()]
    blocked = pd.Series(0.0, index=ct.index)
    b = board.blocked[board.blocked["item"].isin(ct.index)]
    if len(b):
        started = ct.loc[b["item"], "started"].to_numpy()
        done = ct.loc[b["item"], "done"].to_numpy()
        lo = np.maximum(b["start"].to_numpy(), started)
        hi = np.minimum(np.where(pd.isna(b["end"]), done, b["end"].to_numpy()), done)
        span = np.clip((hi - lo) / _DAY, 0, None)
        blocked = blocked.add(pd.Series(span, index=b["item"].to_numpy()).groupby(level=0).sum(),
                              fill_value=0.0).reindex(ct.index)
    active = (ct["cycle_time"] - blocked).clip(lower=0.0)
    table = pd.DataFrame({"cycle_time": ct["cycle_time"], "blocked_days": blocked,
                          "active_days": active, "efficiency": active / ct["cycle_time"]},
                         index=ct.index)
    total = float(ct["cycle_time"].sum())
    return FlowEfficiency(table=table, efficiency=float(active.sum()) / total if total else np.nan)


def _members(board: Board) -> pd.DataFrame:
    """(sprint, item) pairs of the board's sprint column."""
    s = board.table["sprint"].str.split(";").explode().str.strip()
    s = s[s.notna() & (s != "")]
    return pd.DataFrame({"sprint": s.to_numpy(), "item": s.index.to_numpy()})


def velocity(board: Board, *, unit: str = "points") -> pd.DataFrame:
    """Velocity per sprint: committed, added, completed and carried over.

    An item counts for every sprint it was in. It is *committed* when it was created by the
    sprint's first day, *added* (scope change) when created during the sprint, *completed*
    when done inside the sprint window, else *carried over*.

    Parameters
    ----------
    unit : {"points", "items"}
        Story points (unsized items count 0) or item counts.

    Returns
    -------
    DataFrame
        Indexed by ``sprint`` (board order): ``start``, ``end``, ``committed``, ``added``,
        ``completed``, ``carried_over`` and ``completion_ratio`` (completed / (committed +
        added)).
    """
    unit = check_option(unit, ["points", "items"], "unit")
    m = _members(board)
    if not len(m):
        raise DataError("velocity needs sprints; give the items a 'sprint' column")
    t = board.table.loc[m["item"]]
    size = t["points"].fillna(0.0).to_numpy() if unit == "points" else np.ones(len(m))
    win = board.sprints.loc[m["sprint"]]
    start, end = win["start"].to_numpy(), win["end"].to_numpy() + _DAY
    created = t["created"].to_numpy()
    done = t["done"].to_numpy()
    finished = (done >= start) & (done < end)
    added = created >= start + _DAY
    frame = pd.DataFrame({"sprint": m["sprint"], "committed": np.where(~added, size, 0.0),
                          "added": np.where(added, size, 0.0),
                          "completed": np.where(finished, size, 0.0),
                          "carried_over": np.where(~finished & ~(done < start), size, 0.0)})
    out = frame.groupby("sprint", sort=False).sum()
    out = out.reindex([s for s in board.sprints.index if s in out.index])
    out.insert(0, "end", board.sprints.loc[out.index, "end"])
    out.insert(0, "start", board.sprints.loc[out.index, "start"])
    scope = out["committed"] + out["added"]
    out["completion_ratio"] = (out["completed"] / scope.where(scope > 0)).astype(float)
    return out


def burndown(board: Board, sprint: str, *, unit: str = "points") -> pd.DataFrame:
    """Sprint burn-down: scope, completed and remaining work per day of one sprint.

    Returns
    -------
    DataFrame
        Indexed by ``date`` (sprint start … end): ``scope`` (work in the sprint created by
        that day), ``completed`` (done by the end of the day), ``remaining`` (scope −
        completed) and ``ideal`` (the committed work falling linearly to 0 on the last day).
    """
    unit = check_option(unit, ["points", "items"], "unit")
    if sprint not in board.sprints.index:
        raise ValidationError(f"unknown sprint {sprint!r}; choose one of: "
                              f"{format_ids(board.sprints.index, limit=8)}")
    m = _members(board)
    ids = m.loc[m["sprint"] == sprint, "item"]
    t = board.table.loc[ids]
    lo, hi = board.sprints.loc[sprint, ["start", "end"]]
    grid = pd.date_range(lo, hi, freq="D", name="date")
    g = grid.to_numpy().astype("datetime64[D]") + 1  # end of each day
    size = t["points"].fillna(0.0).to_numpy() if unit == "points" else np.ones(len(t))
    created = np.maximum(t["created"].dt.normalize().to_numpy().astype("datetime64[D]"),
                         np.datetime64(lo.date(), "D"))
    done = t["done"].to_numpy().astype("datetime64[D]")
    scope = ((created[None, :] < g[:, None]) * size).sum(axis=1)
    completed = (((done[None, :] < g[:, None]) & ~np.isnat(done)[None, :]) * size).sum(axis=1)
    committed = scope[0]
    n = len(grid)
    ideal = committed * (1 - np.arange(n) / (n - 1)) if n > 1 else np.zeros(1)
    return pd.DataFrame({"scope": scope.astype(float), "completed": completed.astype(float),
                         "remaining": (scope - completed).astype(float), "ideal": ideal},
                        index=grid)


def burnup(board: Board, *, unit: str = "points", freq: str = "day") -> pd.DataFrame:
    """Release burn-up: cumulative scope and completed work.

    Returns
    -------
    DataFrame
        Indexed by period start (``period``): ``scope`` (work created by the end of the
        period) and ``done`` (work done by then) [points or items].
    """
    unit = check_option(unit, ["points", "items"], "unit")
    freq = check_option(freq, _FREQ, "freq")
    t = board.table
    size = t["points"].fillna(0.0) if unit == "points" else pd.Series(1.0, index=t.index)
    grid = days(board)
    periods = pd.DatetimeIndex(_period_start(grid, freq).unique(), name="period")
    out = {}
    for name, col in (("scope", "created"), ("done", "done")):
        stamps = t[col].dt.normalize()
        keep = stamps.notna()
        per = size[keep].groupby(_period_start(stamps[keep].to_numpy(), freq)).sum()
        out[name] = per.reindex(periods, fill_value=0.0).cumsum().astype(float)
    return pd.DataFrame(out, index=periods)
