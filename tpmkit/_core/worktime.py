"""Working time of several calendars on one absolute time axis.

The axis is **minutes from the project start** (float64): from ``origin`` minutes after
midnight of the project start day, the first working minute of the project calendar. A calendar is a
sorted list of disjoint working intervals ``[a_k, b_k)`` on that axis and the cumulative
working minutes ``c_k`` before each ``a_k`` (``c = 0`` at instant 0), so its working time
``W(t)`` (working minutes from instant 0 to ``t``, negative before it) is piecewise linear
and non-decreasing. Every operation of a multi-calendar schedule is one binary search:

* ``work(t)``: ``c_k + min(t − a_k, b_k − a_k)`` for the last interval with ``a_k ≤ t``;
* ``first(w)``: the earliest instant with ``W(t) ≥ w`` (a finish: the end of the work);
* ``last(w)``: the latest instant with ``W(t) ≤ w`` (a start: the beginning of the work);
* ``shift(t, dw) = first(W(t) + dw)`` and ``back(t, dw) = last(W(t) − dw)``: add or take
  away ``dw`` working minutes; ``shift(t, 0)`` rolls an instant back to the end of the
  previous work, ``back(t, 0)`` forward to the next working instant.

Calendar ``-1`` is continuous time (the 24-hour calendar: ``W(t) = t``). Outside the
intervals built (the horizon) time counts as working, so every operation is defined;
:func:`horizon_exceeded` tells the caller to build a longer horizon.

The scalar functions are compiled (they are inlined into the PDM passes of
:mod:`tpmkit._core.pdm`); the ``*_array`` functions are their numpy versions for arrays of
instants (one ``np.searchsorted`` per calendar), used to convert inputs and results.

References
----------
Hendrickson, C. *Project Management for Construction*, 2nd ed., §10.5 (calendars and
work days); Oracle, *Primavera P6 scheduling: calendars for relationship lags*.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tpmkit._core.jit import njit

__all__ = ["DAY", "TimeAxis", "back", "back_array", "build_axis", "first", "first_array",
           "horizon_exceeded", "last", "last_array", "shift", "shift_array", "work",
           "work_array"]

#: Minutes per calendar day.
DAY = 1440.0


class TimeAxis:
    """The working intervals of ``k`` calendars on one axis (concatenated, CSR-like).

    Attributes
    ----------
    ptr : int64 (k + 1)
        Calendar ``c`` owns intervals ``ptr[c]:ptr[c+1]``.
    a, b, c : float64
        Interval starts and ends [minutes from instant 0] and working minutes before each
        start.
    lo, hi : float
        The instants the intervals cover (the horizon).
    """

    def __init__(self, ptr: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray,
                 lo: float, hi: float) -> None:
        self.ptr, self.a, self.b, self.c, self.lo, self.hi = ptr, a, b, c, lo, hi

    @property
    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return self.ptr, self.a, self.b, self.c


def _intervals(weekmask: Sequence[bool], holidays: np.ndarray | np.busdaycalendar,
               day_minutes: Sequence[Sequence[tuple[float, float]]] | None,
               start: np.datetime64, first_day: int, n_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Working intervals of one calendar over days ``first_day … first_day+n_days-1``
    (counted from ``start``); whole days when ``day_minutes`` is None. Vectorised over days
    (a loop over the 7 weekdays and their few ranges only).

    ``holidays`` is an array of dates, or a :class:`numpy.busdaycalendar` that also knows
    extra working dates (on weekdays the weekmask does not work): those work the ranges
    ``day_minutes[7]``.
    """
    k = np.arange(first_day, first_day + n_days, dtype=np.int64)
    days = start + k.astype("timedelta64[D]")
    if isinstance(holidays, np.busdaycalendar):
        working = np.is_busday(days, busdaycal=holidays)
    else:
        working = np.is_busday(days, weekmask=list(weekmask), holidays=holidays)
    wd = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday
    wd = np.where(np.asarray(weekmask, dtype=bool)[wd], wd, 7)  # 7: an extra working date
    a_parts, b_parts = [], []
    for w in range(8):
        sel = k[working & (wd == w)] * DAY
        if not len(sel):
            continue
        ranges = [(0.0, DAY)] if day_minutes is None else day_minutes[w]
        for lo, hi in ranges:
            a_parts.append(sel + float(lo))
            b_parts.append(sel + float(hi))
    if not a_parts:
        return np.zeros(0), np.zeros(0)
    a = np.concatenate(a_parts)
    b = np.concatenate(b_parts)
    order = np.argsort(a, kind="stable")
    a, b = a[order], b[order]
    if len(a) > 1:  # merge touching intervals (a 24-hour calendar is one interval)
        new = np.concatenate([[True], a[1:] > b[:-1]])
        b = np.maximum.reduceat(b, np.flatnonzero(new))
        a = a[new]
    return a, b


def build_axis(calendars: Sequence[tuple[Sequence[bool], np.ndarray,
                                         Sequence[Sequence[tuple[float, float]]] | None]],
               start: np.datetime64, first_day: int, n_days: int,
               origin: float = 0.0) -> TimeAxis:
    """The time axis of ``calendars`` (each ``(weekmask, holidays, day_minutes)``) over
    ``n_days`` days from day ``first_day`` (counted from the project start day ``start``);
    instant 0 is ``origin`` minutes after midnight of ``start``."""
    ptr = [0]
    a_all, b_all, c_all = [], [], []
    for weekmask, holidays, minutes in calendars:
        a, b = _intervals(weekmask, holidays, minutes, start, first_day, n_days)
        a, b = a - origin, b - origin
        cum = np.concatenate([[0.0], np.cumsum(b - a)])[:-1]
        # working minutes before instant 0 (the project start day's midnight)
        before = np.clip(0.0 - a, 0.0, b - a).sum() if len(a) else 0.0
        a_all.append(a)
        b_all.append(b)
        c_all.append(cum - before)
        ptr.append(ptr[-1] + len(a))
    def cat(parts):
        return (np.concatenate(parts) if parts else np.zeros(0))
    return TimeAxis(np.asarray(ptr, dtype=np.int64), cat(a_all), cat(b_all), cat(c_all),
                    first_day * DAY - origin, (first_day + n_days) * DAY - origin)


def horizon_exceeded(axis: TimeAxis, *instants: np.ndarray) -> bool:
    """Whether any finite instant lies outside the axis' horizon (build a longer one)."""
    for t in instants:
        t = np.asarray(t, dtype=float)
        t = t[np.isfinite(t)]
        if t.size and (t.min() < axis.lo or t.max() > axis.hi):
            return True
    return False


# --------------------------------------------------------------------- compiled scalars
@njit(cache=True, nogil=True, inline="always", lazy=True)
def _upper(v, x, lo, hi):  # pragma: no cover - compiled
    """First index in ``v[lo:hi]`` with ``v[i] > x`` (``hi`` when none)."""
    while lo < hi:
        mid = (lo + hi) // 2
        if v[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(cache=True, nogil=True, inline="always", lazy=True)
def work(t, cal, ptr, a, b, c):  # pragma: no cover - compiled
    """Working minutes of calendar ``cal`` from instant 0 to ``t`` (``-1``: ``t``)."""
    if cal < 0:
        return t
    lo = ptr[cal]
    hi = ptr[cal + 1]
    if hi == lo:
        return t
    k = _upper(a, t, lo, hi) - 1
    if k < lo:
        return c[lo] + (t - a[lo])
    x = t - a[k]
    if k < hi - 1 and x > b[k] - a[k]:
        x = b[k] - a[k]
    return c[k] + x


@njit(cache=True, nogil=True, inline="always", lazy=True)
def first(w, cal, ptr, a, b, c):  # pragma: no cover - compiled
    """The earliest instant with ``work(t) ≥ w`` on calendar ``cal``."""
    if cal < 0:
        return w
    lo = ptr[cal]
    hi = ptr[cal + 1]
    if hi == lo:
        return w
    # first interval whose end-work c + (b − a) reaches w (the last one when none does)
    left = lo
    right = hi
    while left < right:
        mid = (left + right) // 2
        if c[mid] + (b[mid] - a[mid]) >= w:
            right = mid
        else:
            left = mid + 1
    k = left if left < hi else hi - 1
    x = w - c[k]
    if x < 0.0 and k > lo:
        x = 0.0
    return a[k] + x


@njit(cache=True, nogil=True, inline="always", lazy=True)
def last(w, cal, ptr, a, b, c):  # pragma: no cover - compiled
    """The latest instant with ``work(t) ≤ w`` on calendar ``cal``."""
    if cal < 0:
        return w
    lo = ptr[cal]
    hi = ptr[cal + 1]
    if hi == lo:
        return w
    k = _upper(c, w, lo, hi) - 1
    if k < lo:
        k = lo
    return a[k] + (w - c[k])


@njit(cache=True, nogil=True, inline="always", lazy=True)
def shift(t, dw, cal, ptr, a, b, c):  # pragma: no cover - compiled
    """``first(work(t) + dw)``: the instant ``dw`` working minutes after ``t``."""
    if cal < 0:
        return t + dw
    return first(work(t, cal, ptr, a, b, c) + dw, cal, ptr, a, b, c)


@njit(cache=True, nogil=True, inline="always", lazy=True)
def back(t, dw, cal, ptr, a, b, c):  # pragma: no cover - compiled
    """``last(work(t) − dw)``: the latest instant ``dw`` working minutes before ``t``."""
    if cal < 0:
        return t - dw
    return last(work(t, cal, ptr, a, b, c) - dw, cal, ptr, a, b, c)


# ----------------------------------------------------------- numpy versions over arrays
def _each(cal: np.ndarray, size: int):
    """(calendar, selection) for each calendar present in ``cal`` (≥ -1); a slice when one
    calendar holds every entry. Linear in ``size`` (a count, no sort)."""
    cal = np.broadcast_to(np.asarray(cal, dtype=np.int64), (size,))
    present = np.flatnonzero(np.bincount(cal + 1)) - 1 if size else np.zeros(0, np.int64)
    if len(present) == 1:
        yield int(present[0]), slice(None)
        return
    for k in present:
        yield int(k), cal == k


def work_array(t: np.ndarray, cal: np.ndarray, axis: TimeAxis) -> np.ndarray:
    """:func:`work` of each instant on its calendar (arrays; ``cal`` may be a scalar)."""
    t = np.asarray(t, dtype=float)
    out = t.copy()
    ptr, a, b, c = axis.arrays
    for k, sel in _each(cal, t.size):
        if k < 0 or ptr[k + 1] == ptr[k]:
            continue
        ak, bk, ck = a[ptr[k]:ptr[k + 1]], b[ptr[k]:ptr[k + 1]], c[ptr[k]:ptr[k + 1]]
        x = t.ravel()[sel]
        i = np.searchsorted(ak, x, side="right") - 1
        before = i < 0
        i = np.maximum(i, 0)
        span = np.where(i < len(ak) - 1, bk[i] - ak[i], np.inf)
        v = ck[i] + np.minimum(x - ak[i], span)
        v = np.where(before, ck[0] + (x - ak[0]), v)
        out.ravel()[sel] = v
    return out


def first_array(w: np.ndarray, cal: np.ndarray, axis: TimeAxis) -> np.ndarray:
    """:func:`first` of each working time on its calendar."""
    w = np.asarray(w, dtype=float)
    out = w.copy()
    ptr, a, b, c = axis.arrays
    for k, sel in _each(cal, w.size):
        if k < 0 or ptr[k + 1] == ptr[k]:
            continue
        ak, bk, ck = a[ptr[k]:ptr[k + 1]], b[ptr[k]:ptr[k + 1]], c[ptr[k]:ptr[k + 1]]
        x = w.ravel()[sel]
        i = np.minimum(np.searchsorted(ck + (bk - ak), x, side="left"), len(ak) - 1)
        d = x - ck[i]
        d = np.where((d < 0) & (i > 0), 0.0, d)
        out.ravel()[sel] = ak[i] + d
    return out


def last_array(w: np.ndarray, cal: np.ndarray, axis: TimeAxis) -> np.ndarray:
    """:func:`last` of each working time on its calendar."""
    w = np.asarray(w, dtype=float)
    out = w.copy()
    ptr, a, _, c = axis.arrays
    for k, sel in _each(cal, w.size):
        if k < 0 or ptr[k + 1] == ptr[k]:
            continue
        ak, ck = a[ptr[k]:ptr[k + 1]], c[ptr[k]:ptr[k + 1]]
        x = w.ravel()[sel]
        i = np.maximum(np.searchsorted(ck, x, side="right") - 1, 0)
        out.ravel()[sel] = ak[i] + (x - ck[i])
    return out


def shift_array(t: np.ndarray, dw: np.ndarray, cal: np.ndarray, axis: TimeAxis) -> np.ndarray:
    """:func:`shift` over arrays."""
    return first_array(work_array(t, cal, axis) + dw, cal, axis)


def back_array(t: np.ndarray, dw: np.ndarray, cal: np.ndarray, axis: TimeAxis) -> np.ndarray:
    """:func:`back` over arrays."""
    return last_array(work_array(t, cal, axis) - dw, cal, axis)
