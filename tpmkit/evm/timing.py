"""Earned schedule (Lipke): the time-based figures of earned value.

:func:`earned_schedule` (ES on the cumulative PV curve), :func:`schedule_adherence` (the
p-factor from task-level PV and EV) and :func:`time_to_date` (a time in periods → a calendar
date on the period grid, extended past its end when a forecast runs late).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tpmkit.errors import DataError, ValidationError
from tpmkit.evm._common import RTOL as _RTOL
from tpmkit.evm._common import days as _days
from tpmkit.model.calendar import busdaycal

if TYPE_CHECKING:  # pragma: no cover
    from tpmkit.model.calendar import Calendar

__all__ = ["earned_schedule", "schedule_adherence", "time_to_date"]


def earned_schedule(pv: Any, ev: Any) -> np.ndarray:
    """Earned schedule ES [periods] for each EV on a cumulative PV curve (Lipke 2003).

    ``ES = C + (EV − PV_C) / (PV_{C+1} − PV_C)`` where ``C`` is the number of whole periods
    whose cumulative PV is ≤ EV. ``PV_0 = 0`` at time 0 is implied. Once EV reaches the last
    PV (the BAC), ``ES = PD = len(pv)``: the schedule is fully earned and cannot exceed the
    plan. NaN EVs give NaN.

    Parameters
    ----------
    pv : array_like, shape (PD,)
        Cumulative planned value at the end of periods 1 … PD [currency]; non-decreasing.
    ev : array_like
        Cumulative earned value(s) [currency].

    Returns
    -------
    numpy.ndarray
        ES [periods], the shape of ``ev``.

    References
    ----------
    .. [1] W. Lipke, "Schedule is different", The Measurable News, March 2003.

    Examples
    --------
    PV 10k, 20k, 40k, 70k, 100k; EV = 35k lies between PV(2) = 20k and PV(3) = 40k:

    >>> earned_schedule([10e3, 20e3, 40e3, 70e3, 100e3], [35e3, 100e3])
    array([2.75, 5.  ])
    """
    pv = np.asarray(pv, dtype=float)
    if pv.ndim != 1 or pv.size == 0:
        raise DataError("earned_schedule needs a one-dimensional cumulative PV curve with at "
                        "least one period; pass the PV of periods 1 … PD")
    if np.any(np.isnan(pv)) or np.any(np.diff(np.concatenate([[0.0], pv])) < 0):
        raise ValidationError("the cumulative PV curve must be non-negative and non-decreasing; "
                              "give cumulative (not per-period) planned values")
    ev = np.asarray(ev, dtype=float)
    grid = np.concatenate([[0.0], pv])
    pd_ = pv.size
    done = ev >= grid[-1] * (1 - _RTOL)
    # C = number of whole periods with PV_C ≤ EV (Lipke); side="right" counts ties
    c = np.clip(np.searchsorted(grid, np.where(np.isnan(ev), 0.0, ev), side="right") - 1,
                0, pd_ - 1)
    lo = grid[c]
    hi = grid[c + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(hi > lo, (ev - lo) / (hi - lo), 0.0)
    es = np.where(done, float(pd_), c + np.clip(frac, 0.0, 1.0))
    return np.where(np.isnan(ev), np.nan, es)


def schedule_adherence(task_pv: Any, task_ev: Any, es: Any) -> np.ndarray:
    """Lipke's schedule adherence (p-factor) for each status period.

    ``P = Σ_i min(EV_i, PV_i(ES)) / Σ_i PV_i(ES)``: the share of the value earned that was
    planned to be earned by the earned schedule, where ``PV_i(ES)`` is task i's cumulative PV
    interpolated linearly at time ES. P = 1 means work is done in the planned order; low P
    flags work done out of sequence (impediments, rework risk). P is NaN where nothing is
    earned yet (ES = 0).

    Parameters
    ----------
    task_pv : array_like, shape (n_tasks, PD)
        Cumulative PV of each task at the end of periods 1 … PD [currency].
    task_ev : array_like, shape (n_tasks, n_status)
        Cumulative EV of each task at each status period [currency].
    es : array_like, shape (n_status,)
        Earned schedule of each status period [periods] (:func:`earned_schedule` of the summed
        curves).

    Returns
    -------
    numpy.ndarray
        P in [0, 1] for each status period.

    References
    ----------
    .. [1] W. Lipke, "Connecting earned value to the schedule", The Measurable News, Winter
       2004; W. Lipke, *Earned Schedule*, 2009, ch. 4 (schedule adherence).

    Examples
    --------
    Two tasks planned in sequence (A in period 1, B in period 2); by the end of period 1 the
    team did half of B instead of A:

    >>> pv = [[10.0, 10.0], [0.0, 10.0]]
    >>> schedule_adherence(pv, [[0.0], [5.0]], [0.5])
    array([0.])
    """
    task_pv = np.atleast_2d(np.asarray(task_pv, dtype=float))
    task_ev = np.atleast_2d(np.asarray(task_ev, dtype=float))
    es = np.atleast_1d(np.asarray(es, dtype=float))
    n, pd_ = task_pv.shape
    if task_ev.shape != (n, es.size):
        raise DataError(f"task EV has shape {task_ev.shape} but {n} tasks and {es.size} status "
                        "periods were given; pass one EV column per status period")
    grid = np.hstack([np.zeros((n, 1)), task_pv])
    e = np.clip(np.nan_to_num(es, nan=0.0), 0.0, pd_)
    c = np.minimum(np.floor(e).astype(np.int64), pd_ - 1)
    frac = e - c
    pv_at_es = grid[:, c] + frac * (grid[:, c + 1] - grid[:, c])
    num = np.minimum(task_ev, pv_at_es).sum(axis=0)
    den = pv_at_es.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(den > 0, num / den, np.nan)
    return np.where(np.isnan(es), np.nan, p)


def _month_end_grid(ends: np.ndarray, cal: np.busdaycalendar) -> bool:
    """Is every end the last working day of its month?"""
    month_end = np.busday_offset(
        (pd.DatetimeIndex(ends) + pd.offsets.MonthEnd(0)).values.astype("datetime64[D]"), 0,
        roll="backward", busdaycal=cal)
    return bool(np.array_equal(month_end, ends))


def _extend_ends(ends: np.ndarray, count: int, cal: np.busdaycalendar) -> np.ndarray:
    """``count`` further period ends after ``ends``, following the grid's own rhythm."""
    if count <= 0:
        return ends
    k = np.arange(1, count + 1)
    last = pd.Timestamp(ends[-1])
    if _month_end_grid(ends, cal):
        # month-end grid (the last working day of each month)
        base = last + pd.offsets.MonthEnd(0)
        raw = pd.DatetimeIndex([base + pd.offsets.MonthEnd(int(i)) for i in k])
    else:
        diffs = np.diff(ends).astype(np.int64)
        step = float(np.median(diffs)) if diffs.size else 30.0
        if diffs.size and np.all(diffs == diffs[0]):
            step = float(diffs[0])                  # a fixed rhythm (weeks, 4-week periods)
        raw = pd.DatetimeIndex(ends[-1] + np.round(step * k).astype("timedelta64[D]"))
    extra = np.busday_offset(raw.values.astype("datetime64[D]"), 0, roll="backward",
                             busdaycal=cal)
    return np.concatenate([ends, extra])


def time_to_date(times: Any, period_ends: Any, calendar: Calendar | None = None
                 ) -> pd.DatetimeIndex:
    """Calendar dates of times measured in periods (ES, IEAC(t), any EAC(t)).

    A whole time ``k`` is the end of period ``k``; a fraction ``k + f`` is the working day
    reached after a share ``f`` of period ``k+1``'s working days (rounded up to a whole day).
    Times beyond the table follow its rhythm: month ends stay month ends, fixed spacings
    (weeks) are continued, otherwise the median period length is used; period 0 ends one
    period before the first end.

    Parameters
    ----------
    times : array_like
        Times [periods]; NaN and negative values give NaT.
    period_ends : array_like of dates
        End date of periods 1, 2, … (increasing).
    calendar : Calendar, optional
        Working days (default Monday–Friday, no holidays).

    Returns
    -------
    pandas.DatetimeIndex

    Examples
    --------
    >>> ends = ["2027-01-29", "2027-02-26", "2027-03-31"]
    >>> time_to_date([2.0, 2.5, 4.0], ends).strftime("%Y-%m-%d").tolist()
    ['2027-02-26', '2027-03-16', '2027-04-30']
    """
    cal = busdaycal(calendar)
    ends = _days(period_ends)
    if ends.size == 0 or np.isnat(ends).any() or (np.diff(ends).astype(np.int64) <= 0).any():
        raise DataError("period end dates must be given for every period and increase; "
                        "check the date column")
    t = np.atleast_1d(np.asarray(times, dtype=float))
    ok = np.isfinite(t) & (t >= 0)
    out = np.full(t.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    if not ok.any():
        return pd.DatetimeIndex(out)
    ends = _extend_ends(ends, int(np.ceil(t[ok].max())) + 1 - ends.size, cal)
    if _month_end_grid(ends, cal):
        before = (pd.Timestamp(ends[0]) - pd.offsets.MonthEnd(1)).to_datetime64()
    else:
        before = ends[0] - ((ends[1] - ends[0]) if ends.size > 1 else np.timedelta64(30, "D"))
    before = np.busday_offset(np.datetime64(before, "D"), 0, roll="backward", busdaycal=cal)
    grid = np.concatenate([[before], ends])
    lengths = np.busday_count(grid[:-1] + 1, grid[1:] + 1, busdaycal=cal)  # working days
    tk = t[ok]
    k = np.floor(tk + 1e-12).astype(np.int64)
    frac = np.clip(tk - k, 0.0, None)
    whole = frac <= 1e-12
    days = np.ceil(frac * lengths[np.minimum(k, lengths.size - 1)] - 1e-9).astype(np.int64)
    inside = np.busday_offset(grid[k] + 1, np.maximum(days - 1, 0), roll="forward",
                              busdaycal=cal)
    out[ok] = np.where(whole, grid[k], inside)
    return pd.DatetimeIndex(out)
