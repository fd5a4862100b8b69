"""The precedence-diagramming (PDM) rules: written once, used by every engine.

A link ``i → j`` of type FS, SS, FF or SF with lag ``L`` [working days] (plus a percent
of the predecessor's duration, ``L = lag + lag_percent · d_i``) gives

* forward, the early start it asks of ``j``:
  ``FS: EF_i + L``, ``SS: ES_i + L``, ``FF: EF_i + L − d_j``, ``SF: ES_i + L − d_j``;
* backward, the late finish it asks of ``i``:
  ``FS: LS_j − L``, ``SS: LS_j − L + d_i``, ``FF: LF_j − L``, ``SF: LF_j − L + d_i``.

Constraints: SNET/FNET raise the early start (only when later by more than ``EPS``),
MSO/MFO pin it; SNLT/FNLT lower the late finish, MSO/MFO pin it. After them, optional
release and due bounds per task (:func:`release`, :func:`due`) raise the early start and
lower the late finish: this is how a status date and progress enter every engine
(:mod:`tpmkit.model.progress` turns them into bounds and a pruned network).

The scalar rules (:func:`link_lag`, :func:`forward_link`, :func:`backward_link`,
:func:`start_constraint`, :func:`finish_constraint`) are small inline kernels that also
accept numpy arrays for the times and durations, so the CPM passes (one iteration:
:func:`forward_pass`, :func:`backward_pass`), the Monte Carlo block kernel (rows of
iterations: :func:`forward_links_row`, :func:`backward_links_row`, and its numpy
reference) and the start-to-start distances of levelling and crashing
(:func:`start_distance`, :func:`release_start`) evaluate the same expressions in the
same order, bit for bit.

References
----------
Moder, J., Phillips, C., Davis, E. *Project Management with CPM, PERT and Precedence
Diagramming*, 3rd ed. (1983), ch. 4.
"""

from __future__ import annotations

import numpy as np

from tpmkit._core.codes import EPS, ConstraintType, LinkType
from tpmkit._core.jit import njit
from tpmkit._core.worktime import back, shift

__all__ = [
    "ALAP_RULES",
    "NO_CALENDARS",
    "alap_times",
    "backward_link",
    "backward_link_cal",
    "backward_links_row",
    "backward_pass",
    "backward_task_cal",
    "due",
    "due_row",
    "finish_constraint",
    "finish_constraint_row",
    "forward_link",
    "forward_link_cal",
    "forward_links_row",
    "forward_pass",
    "forward_task_cal",
    "link_lag",
    "release",
    "release_row",
    "release_start",
    "start_constraint",
    "start_constraint_row",
    "start_distance",
]

_FS, _SS, _FF, _SF = LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF
_ALAP = ConstraintType.ALAP
_SNET, _SNLT, _FNET, _FNLT, _MSO, _MFO = (ConstraintType.SNET, ConstraintType.SNLT,
                                          ConstraintType.FNET, ConstraintType.FNLT,
                                          ConstraintType.MSO, ConstraintType.MFO)


# ------------------------------------------------------------------------- the scalar rules
@njit(cache=True, nogil=True, inline="always", lazy=True)
def link_lag(lag, lag_pct, d_pred):  # pragma: no cover - compiled
    """The lag of a link [working days]: days plus percent of the predecessor's duration."""
    return lag + lag_pct * d_pred


@njit(cache=True, nogil=True, inline="always", lazy=True)
def forward_link(t, es_pred, ef_pred, lag, d):  # pragma: no cover - compiled
    """Early start a link of type ``t`` asks of its successor (duration ``d``)."""
    if t == _FS:
        return ef_pred + lag
    if t == _SS:
        return es_pred + lag
    if t == _FF:
        return ef_pred + lag - d
    return es_pred + lag - d


@njit(cache=True, nogil=True, inline="always", lazy=True)
def backward_link(t, ls_succ, lf_succ, lag, d):  # pragma: no cover - compiled
    """Late finish a link of type ``t`` asks of its predecessor (duration ``d``)."""
    if t == _FS:
        return ls_succ - lag
    if t == _SS:
        return ls_succ - lag + d
    if t == _FF:
        return lf_succ - lag
    return lf_succ - lag + d


@njit(cache=True, nogil=True, inline="always", lazy=True)
def start_constraint(c, offset, d):  # pragma: no cover - compiled
    """Early start a constraint asks [working days]; ``-inf`` when it sets none.

    SNET and MSO ask the offset, FNET and MFO the offset minus the duration; MSO and MFO
    pin the start (:func:`forward_pass`), SNET and FNET only raise it.
    """
    if c == _SNET or c == _MSO:
        return offset
    if c == _FNET or c == _MFO:
        return offset - d
    return -np.inf


@njit(cache=True, nogil=True, inline="always", lazy=True)
def finish_constraint(c, offset, d):  # pragma: no cover - compiled
    """Late finish a constraint asks [working days]; ``inf`` when it sets none.

    SNLT and MSO ask the offset plus the duration, FNLT and MFO the offset; MSO and MFO
    pin the finish, SNLT and FNLT only lower it.
    """
    if c == _SNLT or c == _MSO:
        return offset + d
    if c == _FNLT or c == _MFO:
        return offset
    return np.inf


@njit(cache=True, nogil=True, inline="always", lazy=True)
def release(rel_start, rel_finish, d):  # pragma: no cover - compiled
    """Earliest start that a start bound and a finish bound ask of a task of duration ``d``
    (``-inf`` bounds ask nothing): ``max(rel_start, rel_finish − d)``.

    A status-dated schedule (:mod:`tpmkit.model.progress`) bounds every incomplete task's
    remaining work by the status date and a completed task by its actual finish.
    """
    v = rel_finish - d
    return rel_start if rel_start >= v else v


@njit(cache=True, nogil=True, inline="always", lazy=True)
def due(due_start, due_finish, d):  # pragma: no cover - compiled
    """Latest finish that a start bound and a finish bound ask of a task of duration ``d``
    (``inf`` bounds ask nothing): ``min(due_finish, due_start + d)``."""
    v = due_start + d
    return due_finish if due_finish <= v else v


# ------------------------------------------- the same rules on calendars (working minutes)
#: The calendar arguments of :func:`forward_pass` / :func:`backward_pass` for a plan in whole
#: working days of one calendar: empty arrays (the passes then add and subtract plainly).
NO_CALENDARS = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
                np.zeros(1, dtype=np.int64), np.zeros(0), np.zeros(0), np.zeros(0))


@njit(cache=True, nogil=True, inline="always", lazy=True)
def forward_link_cal(t, es_pred, ef_pred, lag, d, lc, tc, pc, ptr, a, b, c):  # pragma: no cover
    """:func:`forward_link` on the time axis of :mod:`tpmkit._core.worktime`: the lag is
    ``lag`` working minutes of calendar ``lc`` (the link's), the duration ``d`` working
    minutes of calendar ``tc`` (the successor's); ``pc`` is the predecessor's calendar.

    Returns the bound on the successor's start and, for an FF or SF link, the instant that
    bounds its finish (``-inf`` for FS and SS): where that instant is non-working time of
    the successor's calendar, the start bound alone would let the successor finish at the
    end of its work before it, so the pass moves the finish to the next working instant.
    Without a lag, the finish bound is the predecessor's time moved to the end of the work
    before it on the predecessor's calendar: a milestone pinned to a non-working instant of
    its own calendar (a constraint date after a holiday), or a start at the beginning of a
    working day, is the same working time as the end of the work before, and a successor
    finishing then is not early (one calendar under two names schedules as one calendar).
    """
    base = ef_pred if (t == _FS or t == _FF) else es_pred
    # no lag: the predecessor's own time (a zero shift would roll it back to working time
    # of the lag's calendar, before the predecessor's time)
    v = base if lag == 0.0 else shift(base, lag, lc, ptr, a, b, c)
    if t == _FF or t == _SF:
        f = shift(v, 0.0, pc, ptr, a, b, c) if lag == 0.0 else v
        return back(v, d, tc, ptr, a, b, c), f
    return v, -np.inf


@njit(cache=True, nogil=True, inline="always", lazy=True)
def backward_link_cal(t, ls_succ, lf_succ, lag, d, lc, tc, ptr, a, b, c):  # pragma: no cover
    """:func:`backward_link` on the time axis (see :func:`forward_link_cal`; ``d`` and ``tc``
    are the predecessor's)."""
    base = ls_succ if (t == _FS or t == _SS) else lf_succ
    v = base if lag == 0.0 else back(base, lag, lc, ptr, a, b, c)
    if t == _SS or t == _SF:
        v = shift(v, d, tc, ptr, a, b, c)
    return v


@njit(cache=True, nogil=True, inline="always", lazy=True)
def _driving(v, best, bl, li):  # pragma: no cover - compiled
    """The forward pass's driving-link rule for link ``li`` asking ``v``: a link later by
    more than ``EPS`` drives (the first of equal ones keeps driving); ``(best, bl)``."""
    if v > best + EPS or (bl == -1 and v >= best - EPS):
        if v > best:
            best = v
        bl = li
    return best, bl


# ------------------------------------------------- one task on the time axis (both engines)
@njit(cache=True, nogil=True, inline="always", lazy=True)
def forward_task_cal(j, col, es, ef, dur, pred_ptr, pred_link, link_from, link_type, lag,
                     lag_pct, ctype, coff, rel_start, rel_finish, tcal, lcal, ptr, a, b,
                     c):  # pragma: no cover - compiled
    """The forward-pass step of task ``j`` on the time axis: ``(ES_j, EF_j, driving link)``.

    ``es``, ``ef`` and ``dur`` are tasks × columns and the step reads column ``col``: one
    column in :func:`forward_pass`, one per iteration of a block in the Monte Carlo
    kernel, so both run this one rule. Instants and working minutes as in
    :func:`forward_pass`; the driving-link codes too.
    """
    d = dur[j, col]
    tc = tcal[j]
    best = 0.0
    fb = -np.inf  # the latest lower bound on the finish itself
    bl = -1
    for q in range(pred_ptr[j], pred_ptr[j + 1]):
        li = pred_link[q]
        i = link_from[li]
        v, f = forward_link_cal(link_type[li], es[i, col], ef[i, col],
                                link_lag(lag[li], lag_pct[li], dur[i, col]), d, lcal[li], tc,
                                tcal[i], ptr, a, b, c)
        fb = max(fb, f)
        best, bl = _driving(v, best, bl, li)
    k = ctype[j]
    if k == _SNET or k == _FNET:
        v = coff[j] if k == _SNET else back(coff[j], d, tc, ptr, a, b, c)
        if k == _FNET:
            fb = max(fb, coff[j])
        if v > best + EPS:
            best = v
            bl = -2
    elif k == _MSO or k == _MFO:
        best = coff[j] if k == _MSO else back(coff[j], d, tc, ptr, a, b, c)
        fb = coff[j] if k == _MFO else -np.inf
        bl = -2
    if rel_start.shape[0] > 0:
        v = back(rel_finish[j], d, tc, ptr, a, b, c)
        fb = max(fb, rel_finish[j])
        v = rel_start[j] if rel_start[j] >= v else v
        if v > best + EPS:
            bl = -3
        if v > best:
            best = v
    e = best
    f = best
    if d > 0:  # work starts at a working instant of the task's calendar
        e = back(best, 0.0, tc, ptr, a, b, c)
        f = shift(e, d, tc, ptr, a, b, c)
    if fb > f:  # a finish bound in non-working time: the next working instant
        f = back(fb, 0.0, tc, ptr, a, b, c) if d > 0 else fb
    return e, f, bl


@njit(cache=True, nogil=True, inline="always", lazy=True)
def backward_task_cal(j, col, ls, lfb, dur, succ_ptr, succ_link, link_to, link_type, lag,
                      lag_pct, ctype, coff, due_start, due_finish, finish, tcal, lcal, ptr, a,
                      b, c):  # pragma: no cover - compiled
    """The backward-pass step of task ``j`` on the time axis: ``(LS_j, LF_j, LFB_j)``.

    ``LFB`` is the bound on the late finish before it rolls back to the end of work: a
    finish may lie in the non-working time after the work (see :func:`forward_task_cal`),
    so an FF or SF predecessor is bounded by it, not by the end of the work. Arrays are
    tasks × columns as in :func:`forward_task_cal`; ``finish`` is this column's.
    """
    d = dur[j, col]
    tc = tcal[j]
    best = finish
    for q in range(succ_ptr[j], succ_ptr[j + 1]):
        li = succ_link[q]
        s = link_to[li]
        v = backward_link_cal(link_type[li], ls[s, col], lfb[s, col],
                              link_lag(lag[li], lag_pct[li], d), d, lcal[li], tc, ptr, a, b, c)
        if v < best:
            best = v
    k = ctype[j]
    if k == _SNLT or k == _FNLT:
        v = coff[j] if k == _FNLT else shift(coff[j], d, tc, ptr, a, b, c)
        best = min(best, v)
    elif k == _MSO or k == _MFO:
        best = coff[j] if k == _MFO else shift(coff[j], d, tc, ptr, a, b, c)
    if due_start.shape[0] > 0:
        v = shift(due_start[j], d, tc, ptr, a, b, c)
        best = min(best, due_finish[j] if due_finish[j] <= v else v)
    lf = best
    ls_ = best
    if d > 0:  # work ends at the end of working time of the task's calendar
        lf = shift(best, 0.0, tc, ptr, a, b, c)
        ls_ = back(lf, d, tc, ptr, a, b, c)
    return ls_, lf, best


# ------------------------------------------------------------ one iteration (CPM): the passes
@njit(cache=True, nogil=True, lazy=True)
def forward_pass(order, pred_ptr, pred_link, link_from, link_type, lag, lag_pct, dur,
                 ctype, coff, rel_start, rel_finish, tcal, lcal, ptr, ca, cb,
                 cc):  # pragma: no cover - compiled
    """Early starts and finishes of one iteration, and the driving link of each task.

    ``drive[j]`` is the link that sets ``ES_j`` (the first of equal ones, within
    ``EPS``), ``-1`` for the project start, ``-2`` for a constraint and ``-3`` for a
    release bound. ``rel_start`` and ``rel_finish`` (one per task, or empty: none) are
    lower bounds on the start and the finish applied after the constraints
    (:func:`release`): the status date and the progress of a status-dated schedule.

    ``tcal`` (one calendar per task, or empty) switches to the time axis of
    :mod:`tpmkit._core.worktime` (:func:`forward_task_cal`): times are instants
    [minutes], durations and lags working minutes of the task's calendar ``tcal[j]`` and
    of the link's calendar ``lcal[l]`` (``ptr, ca, cb, cc``: the axis), a task with work
    starts at a working instant of its calendar, and its finish is its start plus its
    work. With ``tcal`` empty (whole days of one calendar, :data:`NO_CALENDARS`) the times
    add and subtract plainly.
    """
    n = order.shape[0]
    bounded = rel_start.shape[0] > 0
    es = np.zeros(n)
    ef = np.zeros(n)
    drive = np.full(n, -1, dtype=np.int64)
    if tcal.shape[0] > 0:  # one column of the tasks × columns step
        es2, ef2 = es.reshape((n, 1)), ef.reshape((n, 1))
        d2 = np.ascontiguousarray(dur).reshape((n, 1))
        for k in range(n):
            j = order[k]
            es[j], ef[j], drive[j] = forward_task_cal(
                j, 0, es2, ef2, d2, pred_ptr, pred_link, link_from, link_type, lag, lag_pct,
                ctype, coff, rel_start, rel_finish, tcal, lcal, ptr, ca, cb, cc)
        return es, ef, drive
    for k in range(n):
        j = order[k]
        d = dur[j]
        best = 0.0
        bl = -1
        for q in range(pred_ptr[j], pred_ptr[j + 1]):
            li = pred_link[q]
            i = link_from[li]
            v = forward_link(link_type[li], es[i], ef[i],
                             link_lag(lag[li], lag_pct[li], dur[i]), d)
            best, bl = _driving(v, best, bl, li)
        c = ctype[j]
        if c == _SNET or c == _FNET:
            v = start_constraint(c, coff[j], d)
            if v > best + EPS:
                best = v
                bl = -2
        elif c == _MSO or c == _MFO:
            best = start_constraint(c, coff[j], d)
            bl = -2
        if bounded:
            v = release(rel_start[j], rel_finish[j], d)
            if v > best + EPS:
                bl = -3
            if v > best:
                best = v
        es[j] = best
        ef[j] = best + d
        drive[j] = bl
    return es, ef, drive


@njit(cache=True, nogil=True, lazy=True)
def backward_pass(order, succ_ptr, succ_link, link_to, link_type, lag, lag_pct, dur,
                  ctype, coff, due_start, due_finish, finish, tcal, lcal, ptr, ca, cb,
                  cc):  # pragma: no cover - compiled
    """Late starts and finishes of one iteration, from the project finish ``finish``.

    ``due_start`` and ``due_finish`` (one per task, or empty: none) are upper bounds on
    the late start and finish applied after the constraints (:func:`due`). The calendar
    arguments are those of :func:`forward_pass` (:func:`backward_task_cal`): a task with
    work finishes at the end of working time of its calendar, and its late start is its
    late finish less its work.
    """
    n = order.shape[0]
    bounded = due_start.shape[0] > 0
    ls = np.zeros(n)
    lf = np.zeros(n)
    if tcal.shape[0] > 0:  # one column of the tasks × columns step
        lfb = np.zeros(n)
        ls2, lfb2 = ls.reshape((n, 1)), lfb.reshape((n, 1))
        d2 = np.ascontiguousarray(dur).reshape((n, 1))
        for k in range(n - 1, -1, -1):
            j = order[k]
            ls[j], lf[j], lfb[j] = backward_task_cal(
                j, 0, ls2, lfb2, d2, succ_ptr, succ_link, link_to, link_type, lag, lag_pct,
                ctype, coff, due_start, due_finish, finish, tcal, lcal, ptr, ca, cb, cc)
        return ls, lf
    for k in range(n - 1, -1, -1):
        j = order[k]
        d = dur[j]
        best = finish
        for q in range(succ_ptr[j], succ_ptr[j + 1]):
            li = succ_link[q]
            s = link_to[li]
            v = backward_link(link_type[li], ls[s], lf[s], link_lag(lag[li], lag_pct[li], d), d)
            if v < best:
                best = v
        c = ctype[j]
        if c == _SNLT or c == _FNLT:
            best = min(best, finish_constraint(c, coff[j], d))
        elif c == _MSO or c == _MFO:
            best = finish_constraint(c, coff[j], d)
        if bounded:
            best = min(best, due(due_start[j], due_finish[j], d))
        lf[j] = best
        ls[j] = best - d
    return ls, lf


# ------------------------------------------------- rows of iterations (the Monte Carlo kernel)
# Each link type (constraint type) gets its own loop with the type as a constant, so the
# inlined rule folds to one expression and the loop over iterations vectorises.
@njit(cache=True, nogil=True, inline="always", lazy=True)
def forward_links_row(t, es_p, d_p, d, lag, lag_pct, best, m):  # pragma: no cover - compiled
    """``best[:m] = max(best, forward_link(...))`` for one link over ``m`` iterations
    (predecessor rows ``es_p``, ``d_p``; successor durations ``d``)."""
    if t == _FS:
        for i in range(m):
            v = forward_link(_FS, es_p[i], es_p[i] + d_p[i], link_lag(lag, lag_pct, d_p[i]), d[i])
            best[i] = v if v > best[i] else best[i]
    elif t == _SS:
        for i in range(m):
            v = forward_link(_SS, es_p[i], es_p[i] + d_p[i], link_lag(lag, lag_pct, d_p[i]), d[i])
            best[i] = v if v > best[i] else best[i]
    elif t == _FF:
        for i in range(m):
            v = forward_link(_FF, es_p[i], es_p[i] + d_p[i], link_lag(lag, lag_pct, d_p[i]), d[i])
            best[i] = v if v > best[i] else best[i]
    else:
        for i in range(m):
            v = forward_link(_SF, es_p[i], es_p[i] + d_p[i], link_lag(lag, lag_pct, d_p[i]), d[i])
            best[i] = v if v > best[i] else best[i]


@njit(cache=True, nogil=True, inline="always", lazy=True)
def backward_links_row(t, lf_s, d_s, d, lag, lag_pct, best, m):  # pragma: no cover - compiled
    """``best[:m] = min(best, backward_link(...))`` for one link over ``m`` iterations
    (successor rows ``lf_s``, ``d_s``; predecessor durations ``d``)."""
    if t == _FS:
        for i in range(m):
            v = backward_link(_FS, lf_s[i] - d_s[i], lf_s[i], link_lag(lag, lag_pct, d[i]), d[i])
            best[i] = v if v < best[i] else best[i]
    elif t == _SS:
        for i in range(m):
            v = backward_link(_SS, lf_s[i] - d_s[i], lf_s[i], link_lag(lag, lag_pct, d[i]), d[i])
            best[i] = v if v < best[i] else best[i]
    elif t == _FF:
        for i in range(m):
            v = backward_link(_FF, lf_s[i] - d_s[i], lf_s[i], link_lag(lag, lag_pct, d[i]), d[i])
            best[i] = v if v < best[i] else best[i]
    else:
        for i in range(m):
            v = backward_link(_SF, lf_s[i] - d_s[i], lf_s[i], link_lag(lag, lag_pct, d[i]), d[i])
            best[i] = v if v < best[i] else best[i]


@njit(cache=True, nogil=True, inline="always", lazy=True)
def start_constraint_row(c, offset, d, best, m):  # pragma: no cover - compiled
    """The forward constraint rule of :func:`forward_pass` over ``m`` iterations."""
    if c == _SNET:
        for i in range(m):
            v = start_constraint(_SNET, offset, d[i])
            best[i] = v if v > best[i] + EPS else best[i]
    elif c == _FNET:
        for i in range(m):
            v = start_constraint(_FNET, offset, d[i])
            best[i] = v if v > best[i] + EPS else best[i]
    elif c == _MSO:
        for i in range(m):
            best[i] = start_constraint(_MSO, offset, d[i])
    elif c == _MFO:
        for i in range(m):
            best[i] = start_constraint(_MFO, offset, d[i])


@njit(cache=True, nogil=True, inline="always", lazy=True)
def finish_constraint_row(c, offset, d, best, m):  # pragma: no cover - compiled
    """The backward constraint rule of :func:`backward_pass` over ``m`` iterations."""
    if c == _SNLT:
        for i in range(m):
            best[i] = min(best[i], finish_constraint(_SNLT, offset, d[i]))
    elif c == _FNLT:
        for i in range(m):
            best[i] = min(best[i], finish_constraint(_FNLT, offset, d[i]))
    elif c == _MSO:
        for i in range(m):
            best[i] = finish_constraint(_MSO, offset, d[i])
    elif c == _MFO:
        for i in range(m):
            best[i] = finish_constraint(_MFO, offset, d[i])


@njit(cache=True, nogil=True, inline="always", lazy=True)
def release_row(rel_start, rel_finish, d, best, m):  # pragma: no cover - compiled
    """The release bound of :func:`forward_pass` over ``m`` iterations."""
    for i in range(m):
        v = release(rel_start, rel_finish, d[i])
        best[i] = v if v > best[i] else best[i]


@njit(cache=True, nogil=True, inline="always", lazy=True)
def due_row(due_start, due_finish, d, best, m):  # pragma: no cover - compiled
    """The due bound of :func:`backward_pass` over ``m`` iterations."""
    for i in range(m):
        best[i] = min(best[i], due(due_start, due_finish, d[i]))


# ----------------------------------------------- vectorised over links / tasks (numpy only)
def _py(func):
    return getattr(func, "py_func", func)


def start_distance(link_type: np.ndarray, d_from: np.ndarray, lag: np.ndarray,
                   d_to: np.ndarray) -> np.ndarray:
    """Minimum start-to-start distance of each link: ``S_to ≥ S_from + distance``.

    :func:`forward_link` with ``ES_from = 0``: ``FS: d_from + L``, ``SS: L``,
    ``FF: d_from + L − d_to``, ``SF: L − d_to`` (``lag`` = the links' :func:`link_lag`).
    """
    fwd = _py(forward_link)
    zero = np.zeros(np.shape(lag))
    return np.select([link_type == t for t in LinkType],
                     [fwd(t, zero, d_from, lag, d_to) for t in LinkType])


def release_start(ctype: np.ndarray, coff: np.ndarray, dur: np.ndarray) -> np.ndarray:
    """Earliest start each task's constraint asks (SNET/MSO/FNET/MFO as lower bounds,
    :func:`start_constraint`); ``-inf`` for the other tasks."""
    sc = _py(start_constraint)
    coff = np.asarray(coff, dtype=float)
    return np.select([ctype == c for c in (_SNET, _MSO, _FNET, _MFO)],
                     [np.broadcast_to(sc(c, coff, dur), coff.shape)
                      for c in (_SNET, _MSO, _FNET, _MFO)], -np.inf)


# ----------------------------------------------------------------- as late as possible
#: How an "as late as possible" (ALAP) task is scheduled (:func:`alap_times`).
ALAP_RULES = ("late_dates", "zero_free_float")


def alap_times(net, es, ef, ls, drive, bounds: dict, forward, backward, t_early: float):
    """The early times of a schedule whose tasks include "as late as possible" ones.

    The passes treat an ALAP task like any other; this moves each one that has not started
    (a started task's constraint is already gone) by the network's ``alap_rule``:

    * ``"late_dates"`` (MS Project): the task takes its late start, and a second forward
      pass moves its successors after it; the late dates stay, so the task and the
      successors it pushed lose that float (MS Project's Start, as MPXJ's
      ``MicrosoftScheduler`` computes it);
    * ``"zero_free_float"`` (Primavera P6): the task moves as late as its successors'
      early dates allow, keeping no free float; no successor moves, and a task without
      successors finishes at the early project finish ``t_early``. The latest such
      start is a backward pass from ``t_early`` with every other task held at its early
      dates (due bounds), ALAP successors of ALAP tasks included in their moved place.

    Both end with one forward pass in which the moved start is a release bound of the
    task, so working time, calendars and successors follow the one set of PDM rules.
    ``forward(rel_start, rel_finish)`` and ``backward(due_start, due_finish, finish)`` run
    :func:`forward_pass` / :func:`backward_pass` with the schedule's other arguments;
    ``bounds`` holds the schedule's own release and due bounds (empty: none). Returns
    ``(es, ef, drive)``; a moved task is driven by its constraint (``-2``). A task with
    negative float (late start before its early start) stays where the links put it.
    """
    alap = net.constraint_type == _ALAP
    n = len(es)

    def bound(key, fill):
        b = bounds.get(key)
        return np.full(n, fill) if b is None or not len(b) else np.asarray(b, dtype=float)

    rel_s, rel_f = bound("rel_start", -np.inf), bound("rel_finish", -np.inf)
    if net.alap_rule == "zero_free_float":
        due_s = np.where(alap, bound("due_start", np.inf),
                         np.minimum(bound("due_start", np.inf), es))
        due_f = np.where(alap, bound("due_finish", np.inf),
                         np.minimum(bound("due_finish", np.inf), ef))
        target, _ = backward(due_s, due_f, t_early)
    else:
        target = ls
    rel_s = np.where(alap, np.maximum(rel_s, target), rel_s)
    es2, ef2, drive2 = forward(rel_s, rel_f)
    moved = alap & (es2 > es + EPS)
    drive2 = np.where(moved, -2, np.where(alap, drive, drive2))
    return es2, ef2, drive2
