"""Resource levelling: resource-constrained scheduling that nears the optimum.

Levelling turns a CPM schedule, which ignores capacities, into a schedule in which no
resource is used beyond its capacity on any working day, while every precedence link
(FS, SS, FF, SF, with lags) still holds. The problem is the resource-constrained project
scheduling problem (RCPSP), NP-hard, so tpmkit uses the heuristics that lead the PSPLIB
benchmark [1]_ [2]_:

* **schedule-generation schemes** — the *serial* SGS places the activities of a
  precedence-feasible *activity list* one at a time at their earliest precedence- and
  resource-feasible start; the *parallel* SGS advances time and starts, at each decision
  point, the eligible activities in priority order that fit [3]_;
* **priority rules** computed from the CPM schedule — ``lft`` (latest finish), ``lst``
  (latest start), ``mslk`` (minimum slack), ``mts`` (most total successors), ``grpw``
  (greatest rank positional weight) [3]_;
* **forward–backward improvement** (double justification) — shift every activity as late
  as possible in order of decreasing finish, then as early as possible in order of
  increasing start; the makespan never grows [4]_;
* **search** within a budget of schedules (``passes``) and wall-clock time: a genetic
  algorithm on activity lists (two-point crossover, swap mutation, ranking selection [5]_)
  whose offspring are justified and written back (Lamarckian, as in [4]_), seeded with the
  priority-rule lists and regret-based biased random sampling; or plain multi-pass
  sampling. The search decodes with the serial SGS because the serial SGS can reach an
  optimal schedule and the parallel one cannot always [3]_.

Time runs on a grid of working days (or fractions of a day when durations or lags are
fractional); capacities are per working day. Everything numeric runs in kernels that
numba compiles when it is installed (:mod:`tpmkit._core.jit`).

:func:`solve_rcpsp` is the array-level engine for PSPLIB-shaped data (durations,
successor lists, demand matrix, capacities); :func:`level` takes a
:class:`~tpmkit.model.Project` and returns a :class:`LevelResult` whose schedule explains
every delay: which resource and which tasks held it.

References
----------
.. [1] Kolisch, R. and Sprecher, A. (1996). PSPLIB — a project scheduling problem library.
   European Journal of Operational Research 96, 205–216.
.. [2] Kolisch, R. and Hartmann, S. (2006). Experimental investigation of heuristics for
   resource-constrained project scheduling: an update. EJOR 174, 23–37.
.. [3] Kolisch, R. (1996). Serial and parallel resource-constrained project scheduling
   methods revisited: theory and computation. EJOR 90, 320–333.
.. [4] Valls, V., Ballestín, F. and Quintanilla, S. (2005). Justification and RCPSP: a
   technique that pays. EJOR 165, 375–386.
.. [5] Hartmann, S. (1998). A competitive genetic algorithm for resource-constrained project
   scheduling. Naval Research Logistics 45, 733–750.
.. [6] Neumann, K., Schwindt, C. and Zimmermann, J. (2003). Project Scheduling with Time
   Windows and Scarce Resources, 2nd ed. Springer (minimum time lags between starts).

Examples
--------
Two jobs that each need 2 of 3 units cannot overlap:

>>> import numpy as np
>>> sol = solve_rcpsp(duration=[0, 4, 3, 0], successors=[[1, 2], [3], [3], []],
...                   demand=[[0], [2], [2], [0]], capacity=[3], rng=1)
>>> sol.makespan, sol.start.tolist()
(7, [0, 0, 4, 7])
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tpmkit._core import pdm
from tpmkit._core.codes import EPS
from tpmkit._core.graph import topo_by_key as _topo_by_key
from tpmkit._core.jit import njit
from tpmkit._core.rng import resolve_rng
from tpmkit.errors import CycleError, ValidationError, check_option, format_ids

__all__ = [
    "RULES",
    "SCHEMES",
    "SEARCHES",
    "LevelResult",
    "RcpspSolution",
    "level",
    "solve_rcpsp",
]

RULES = ("lft", "lst", "mslk", "mts", "grpw")
SCHEMES = ("serial", "parallel")
SEARCHES = ("ga", "sampling", "none")

_EPS = EPS
_BIG = np.int64(2**62)
_POP = 40  # GA population size (Hartmann 1998 uses 40-90 for 1000-5000 schedules)
_MUTATION = 0.05  # per-position swap probability (Hartmann 1998)
_FBI_ROUNDS = 1  # justification passes per GA individual (repeated while they shorten)
_RESTART = 10  # generations without a better incumbent before the population is resampled


# ----------------------------------------------------------------------------------------
# numba kernels.  ``ctx`` bundles the static instance data:
#   (dur, pred_ptr, pred_idx, pred_delta, succ_ptr, succ_idx, succ_delta, mirror_delta,
#    demand, use_ptr, use_idx, capacity, earliest, latest)
# A link i -> j with minimum start-to-start distance delta means S_j >= S_i + delta [6].
# ----------------------------------------------------------------------------------------


@njit(cache=True)
def _sgs(alist, dur, pptr, pidx, pdelta, demand, uptr, uidx, cap, earliest, latest, soft,
         avail, dirty, start):
    """Serial schedule-generation scheme on an activity list [3].

    Returns (makespan, forced): makespan -1 when an activity cannot start by its latest
    start (strict mode) and -2 when the horizon is too short (a bug guard); ``forced``
    counts activities placed at their precedence-feasible start despite the capacity
    (soft mode, levelling within float).
    """
    H = avail.shape[0]
    R = cap.shape[0]  # avail has at least one column, even without resources
    for t in range(min(dirty[0], H)):
        for r in range(R):
            avail[t, r] = cap[r]
    dirty[0] = 0
    ms = 0
    forced = 0
    for a in range(alist.shape[0]):
        j = alist[a]
        es = earliest[j]
        for p in range(pptr[j], pptr[j + 1]):
            v = start[pidx[p]] + pdelta[p]
            if v > es:
                es = v
        d = dur[j]
        t = es
        if d > 0 and uptr[j + 1] > uptr[j]:
            while True:
                if t > latest[j]:
                    break
                if t + d >= H:
                    return -2, forced
                ok = True
                tau = t + d - 1
                # scan backwards so that a conflict lets us jump past it
                while tau >= t:
                    for q in range(uptr[j], uptr[j + 1]):
                        r = uidx[q]
                        if avail[tau, r] < demand[j, r] - _EPS:
                            ok = False
                            break
                    if not ok:
                        break
                    tau -= 1
                if ok:
                    break
                t = tau + 1
            if t > latest[j]:
                if not soft:
                    return -1, forced
                t = es
                forced += 1
            for tau in range(t, t + d):
                for q in range(uptr[j], uptr[j + 1]):
                    r = uidx[q]
                    avail[tau, r] -= demand[j, r]
        elif t + d >= H:
            return -2, forced
        start[j] = t
        if t + d > ms:
            ms = t + d
    dirty[0] = ms + 1
    return ms, forced


@njit(cache=True)
def _makespan(start, dur):
    ms = 0
    for j in range(start.shape[0]):
        if start[j] + dur[j] > ms:
            ms = start[j] + dur[j]
    return ms


@njit(cache=True)
def _justify(start, ctx, avail, dirty, order, key, s2, s3):
    """One forward-backward improvement pass (double justification) [4].

    Updates ``start`` in place when the justified schedule is no longer; returns the
    makespan of ``start`` afterwards.
    """
    (dur, pptr, pidx, pdelta, sptr, sidx, sdelta, mdelta, demand, uptr, uidx, cap,
     earliest, latest) = ctx
    n = dur.shape[0]
    T = _makespan(start, dur)
    # backward: mirror time, S'_i = T - S_i - d_i; successors become predecessors with
    # delta'_{k->i} = delta_{i->k} + d_k - d_i.  Release dates become deadlines.
    for j in range(n):
        key[j] = -(start[j] + dur[j])
        s2[j] = T - earliest[j] - dur[j]  # latest mirrored start
    _topo_by_key(key, sptr, pptr, pidx, order)
    zero = np.zeros(n, np.int64)
    ms, _ = _sgs(order, dur, sptr, sidx, mdelta, demand, uptr, uidx, cap, zero, s2, False,
                 avail, dirty, s3)
    if ms < 0:
        return T
    for j in range(n):
        key[j] = T - s3[j] - dur[j]
    _topo_by_key(key, pptr, sptr, sidx, order)
    ms, _ = _sgs(order, dur, pptr, pidx, pdelta, demand, uptr, uidx, cap, earliest, latest,
                 False, avail, dirty, s2)
    if ms < 0 or ms > T:
        return T
    for j in range(n):
        start[j] = s2[j]
    return ms


@njit(cache=True)
def _evaluate(alist, ctx, soft, improve, H, avail, dirty, start, order, key, s2, s3):
    """Decode ``alist`` (serial SGS), justify, and write the schedule's start order back.

    Returns (fitness, schedules generated).  Fitness is the makespan, or in soft mode
    ``forced * H + makespan`` so that fewer unresolved over-allocations always win.
    """
    (dur, pptr, pidx, pdelta, sptr, sidx, sdelta, mdelta, demand, uptr, uidx, cap,
     earliest, latest) = ctx
    ms, forced = _sgs(alist, dur, pptr, pidx, pdelta, demand, uptr, uidx, cap, earliest,
                      latest, soft, avail, dirty, start)
    count = 1
    if ms < 0:
        return np.inf, count
    if improve and not soft:
        for _ in range(_FBI_ROUNDS):
            new = _justify(start, ctx, avail, dirty, order, key, s2, s3)
            count += 2
            if new >= ms:
                break
            ms = new
        # Lamarckian write-back: the list sorted by start decodes to this schedule
        for j in range(dur.shape[0]):
            key[j] = start[j]
        _topo_by_key(key, pptr, sptr, sidx, alist)
    return forced * H + ms, count


@njit(cache=True)
def _rbrs_list(prio, ctx, u, ui, alist, left, elig):
    """Regret-based biased random sampling of an activity list (alpha = 1) [3]."""
    (dur, pptr, pidx, pdelta, sptr, sidx, sdelta, mdelta, demand, uptr, uidx, cap,
     earliest, latest) = ctx
    n = dur.shape[0]
    L = u.shape[0]
    ne = 0
    for j in range(n):
        left[j] = pptr[j + 1] - pptr[j]
        if left[j] == 0:
            elig[ne] = j
            ne += 1
    for a in range(n):
        worst = prio[elig[0]]
        for e in range(ne):
            if prio[elig[e]] > worst:
                worst = prio[elig[e]]
        total = 0.0
        for e in range(ne):
            total += worst - prio[elig[e]] + 1.0
        x = u[ui % L] * total
        ui += 1
        pick = ne - 1
        acc = 0.0
        for e in range(ne):
            acc += worst - prio[elig[e]] + 1.0
            if x < acc:
                pick = e
                break
        j = elig[pick]
        elig[pick] = elig[ne - 1]
        ne -= 1
        alist[a] = j
        for q in range(sptr[j], sptr[j + 1]):
            s = sidx[q]
            left[s] -= 1
            if left[s] == 0:
                elig[ne] = s
                ne += 1
    return ui


@njit(cache=True)
def _is_pred(a, b, pptr, pidx):
    for q in range(pptr[b], pptr[b + 1]):
        if pidx[q] == a:
            return True
    return False


@njit(cache=True)
def _crossover(m, f, q1, q2, child, taken):
    """Two-point crossover on activity lists; keeps precedence feasibility [5]."""
    n = m.shape[0]
    for j in range(n):
        taken[j] = False
    c = 0
    for i in range(q1):
        child[c] = m[i]
        taken[m[i]] = True
        c += 1
    for i in range(n):
        if c >= q2:
            break
        if not taken[f[i]]:
            child[c] = f[i]
            taken[f[i]] = True
            c += 1
    for i in range(n):
        if not taken[m[i]]:
            child[c] = m[i]
            taken[m[i]] = True
            c += 1


@njit(cache=True)
def _search(mode, pop, fit, prio, u, max_schedules, ctx, soft, improve, H, best_start,
            best_fit, target, stall, restart_after, mutation):
    """Run GA generations (mode 0) or sampling passes (mode 1) within a schedule budget.

    ``pop``/``fit`` hold the population (mode 0); ``best_start``/``best_fit`` the
    incumbent, updated in place.  Stops early when the incumbent reaches ``target``
    (a lower bound).  Returns the number of schedules generated.
    """
    dur = ctx[0]
    pptr = ctx[1]
    pidx = ctx[2]
    n = dur.shape[0]
    R = ctx[8].shape[1]
    P = pop.shape[0]
    L = u.shape[0]
    avail = np.empty((H, max(R, 1)), np.float64)
    dirty = np.full(1, H, np.int64)
    start = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    key = np.empty(n, np.float64)
    s2 = np.empty(n, np.int64)
    s3 = np.empty(n, np.int64)
    taken = np.empty(n, np.bool_)
    left = np.empty(n, np.int64)
    elig = np.empty(n, np.int64)
    lst1 = np.empty(n, np.int64)
    child = np.empty((P, n), np.int64)
    cfit = np.empty(P, np.float64)
    # list hash Σ (row[q] + 1)·1000003^(n-1-q), wrapping modulo 2^64 as int64 does: array
    # arithmetic, so numba and numpy wrap alike (and numpy without overflow warnings)
    hash_pow = np.full(n, 1000003, np.int64)
    hash_pow[:1] = 1
    hash_pow = np.cumprod(hash_pow)[::-1].copy()
    ui = 0
    used = 0
    last_best = best_fit[0]
    while used < max_schedules and best_fit[0] > target:
        if mode == 1:
            ui = _rbrs_list(prio, ctx, u, ui, lst1, left, elig)
            f, c = _evaluate(lst1, ctx, soft, improve, H, avail, dirty, start, order, key, s2,
                             s3)
            used += c
            if f < best_fit[0]:
                best_fit[0] = f
                best_start[:] = start
            continue
        # one GA generation: random pairs, two children each
        perm = np.argsort(u[ui % L:ui % L + P]) if ui % L + P <= L else np.arange(P)
        ui += P
        for c in range(0, P - 1, 2):
            m = pop[perm[c]]
            fa = pop[perm[c + 1]]
            q1 = int(u[ui % L] * (n + 1))
            q2 = int(u[(ui + 1) % L] * (n + 1))
            ui += 2
            if q1 > q2:
                q1, q2 = q2, q1
            _crossover(m, fa, q1, q2, child[c], taken)
            _crossover(fa, m, q1, q2, child[c + 1], taken)
            for ch in (c, c + 1):
                lst = child[ch]
                for i in range(n - 1):
                    if u[ui % L] < mutation and not _is_pred(lst[i], lst[i + 1], pptr, pidx):
                        lst[i], lst[i + 1] = lst[i + 1], lst[i]
                    ui += 1
                f, cnt = _evaluate(lst, ctx, soft, improve, H, avail, dirty, start, order, key,
                                   s2, s3)
                used += cnt
                cfit[ch] = f
                if f < best_fit[0]:
                    best_fit[0] = f
                    best_start[:] = start
        # ranking selection: the best P distinct individuals of parents and children
        # (children win ties); duplicates only fill up, which keeps the population diverse
        allfit = np.concatenate((cfit, fit))
        order2 = np.argsort(allfit, kind="mergesort")
        hashes = np.empty(2 * P, np.int64)
        for i in range(2 * P):
            row = child[i] if i < P else pop[i - P]
            hashes[i] = np.sum((row + 1) * hash_pow)
        chosen = np.empty(P, np.int64)
        nc = 0
        for i in range(2 * P):
            k = order2[i]
            dup = False
            for c in range(nc):
                if hashes[chosen[c]] == hashes[k] and allfit[chosen[c]] == allfit[k]:
                    dup = True
                    break
            if not dup:
                chosen[nc] = k
                nc += 1
                if nc == P:
                    break
        i = 0
        while nc < P:
            chosen[nc] = order2[i]
            nc += 1
            i += 1
        newpop = np.empty_like(pop)
        newfit = np.empty_like(fit)
        for i in range(P):
            k = chosen[i]
            if k < P:
                newpop[i] = child[k]
            else:
                newpop[i] = pop[k - P]
            newfit[i] = allfit[k]
        pop[:] = newpop
        fit[:] = newfit
        # restart on stagnation: keep the elite, resample the rest [5]
        if best_fit[0] < last_best:
            last_best = best_fit[0]
            stall[0] = 0
        else:
            stall[0] += 1
        if stall[0] >= restart_after:
            stall[0] = 0
            for i in range(1, P):
                ui = _rbrs_list(prio, ctx, u, ui, pop[i], left, elig)
                f, cnt = _evaluate(pop[i], ctx, soft, improve, H, avail, dirty, start, order,
                                   key, s2, s3)
                used += cnt
                fit[i] = f
                if f < best_fit[0]:
                    best_fit[0] = f
                    best_start[:] = start
    return used


@njit(cache=True)
def _evaluate_lists(lists, ctx, soft, improve, H, fit, best_start, best_fit):
    """Evaluate each row of ``lists`` in place (initial population)."""
    dur = ctx[0]
    n = dur.shape[0]
    R = ctx[8].shape[1]
    avail = np.empty((H, max(R, 1)), np.float64)
    dirty = np.full(1, H, np.int64)
    start = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    key = np.empty(n, np.float64)
    s2 = np.empty(n, np.int64)
    s3 = np.empty(n, np.int64)
    used = 0
    for i in range(lists.shape[0]):
        f, c = _evaluate(lists[i], ctx, soft, improve, H, avail, dirty, start, order, key, s2,
                         s3)
        used += c
        fit[i] = f
        if f < best_fit[0]:
            best_fit[0] = f
            best_start[:] = start
    return used


@njit(cache=True)
def _parallel_sgs(prio, ctx, soft, H, start):
    """Parallel schedule-generation scheme [3]: at each decision time start, in priority
    order, every eligible activity that fits.  Returns (makespan, forced) or (-2, 0)."""
    (dur, pptr, pidx, pdelta, sptr, sidx, sdelta, mdelta, demand, uptr, uidx, cap,
     earliest, latest) = ctx
    n = dur.shape[0]
    R = demand.shape[1]
    avail = np.empty((H, max(R, 1)), np.float64)
    for t in range(H):
        for r in range(R):
            avail[t, r] = cap[r]
    left = np.empty(n, np.int64)
    es = earliest.copy()
    elig = np.empty(n, np.int64)
    tried = np.zeros(n, np.bool_)
    ne = 0
    for j in range(n):
        left[j] = pptr[j + 1] - pptr[j]
        if left[j] == 0:
            elig[ne] = j
            ne += 1
    done = 0
    forced = 0
    t = 0
    ms = 0
    while done < n:
        while True:
            best = -1
            for e in range(ne):
                j = elig[e]
                if es[j] <= t and not tried[j]:
                    if best < 0 or prio[j] < prio[elig[best]] or (
                            prio[j] == prio[elig[best]] and j < elig[best]):
                        best = e
            if best < 0:
                break
            j = elig[best]
            d = dur[j]
            if t + d >= H:
                return -2, 0
            ok = True
            for tau in range(t, t + d):
                for q in range(uptr[j], uptr[j + 1]):
                    r = uidx[q]
                    if avail[tau, r] < demand[j, r] - _EPS:
                        ok = False
                        break
                if not ok:
                    break
            if not ok and soft and t >= latest[j]:
                ok = True
                forced += 1
            if not ok:
                tried[j] = True
                continue
            for tau in range(t, t + d):
                for q in range(uptr[j], uptr[j + 1]):
                    avail[tau, uidx[q]] -= demand[j, uidx[q]]
            start[j] = t
            if t + d > ms:
                ms = t + d
            done += 1
            elig[best] = elig[ne - 1]
            ne -= 1
            for q in range(sptr[j], sptr[j + 1]):
                s = sidx[q]
                v = t + sdelta[q]
                if v > es[s]:
                    es[s] = v
                left[s] -= 1
                if left[s] == 0:
                    elig[ne] = s
                    ne += 1
        if done >= n:
            break
        # next decision time: a finish, a release, or (soft) a latest start
        nxt = _BIG
        for e in range(ne):
            j = elig[e]
            tried[j] = False
            if t < es[j] < nxt:
                nxt = es[j]
            if soft and t < latest[j] < nxt:
                nxt = latest[j]
        for tau in range(t + 1, min(H, ms + 1)):
            if tau >= nxt:
                break
            changed = False
            for r in range(R):
                if avail[tau, r] != avail[tau - 1, r]:
                    changed = True
                    break
            if changed:
                nxt = tau
                break
        if nxt == _BIG:
            nxt = t + 1
        t = nxt
    return ms, forced


@njit(cache=True)
def _successor_counts(order, sptr, sidx):
    """Number of all (transitive) successors of each activity, with bit sets."""
    n = order.shape[0]
    W = (n + 63) // 64
    reach = np.zeros((n, W), np.uint64)
    counts = np.zeros(n, np.int64)
    for a in range(n - 1, -1, -1):
        j = order[a]
        for q in range(sptr[j], sptr[j + 1]):
            k = sidx[q]
            reach[j, k // 64] |= np.uint64(1) << np.uint64(k % 64)
            for w in range(W):
                reach[j, w] |= reach[k, w]
        c = 0
        for w in range(W):
            x = reach[j, w]
            while x:
                x &= x - np.uint64(1)
                c += 1
        counts[j] = c
    return counts


@njit(cache=True)
def _cpm(order, dur, pptr, pidx, pdelta, sptr, sidx, sdelta, earliest):
    """Earliest and latest starts on the minimum-distance network (no resources)."""
    n = dur.shape[0]
    es = np.empty(n, np.int64)
    for a in range(n):
        j = order[a]
        v = earliest[j]
        for q in range(pptr[j], pptr[j + 1]):
            w = es[pidx[q]] + pdelta[q]
            if w > v:
                v = w
        es[j] = v
    T = 0
    for j in range(n):
        if es[j] + dur[j] > T:
            T = es[j] + dur[j]
    ls = np.empty(n, np.int64)
    for a in range(n - 1, -1, -1):
        j = order[a]
        v = T - dur[j]
        for q in range(sptr[j], sptr[j + 1]):
            w = ls[sidx[q]] - sdelta[q]
            if w < v:
                v = w
        ls[j] = v
    return es, ls, T


@njit(cache=True)
def _improve(start, ctx, H, rounds):
    """Up to ``rounds`` forward-backward passes on ``start``; returns (makespan, schedules)."""
    dur = ctx[0]
    n = dur.shape[0]
    R = ctx[8].shape[1]
    avail = np.empty((H, max(R, 1)), np.float64)
    dirty = np.full(1, H, np.int64)
    order = np.empty(n, np.int64)
    key = np.empty(n, np.float64)
    s2 = np.empty(n, np.int64)
    s3 = np.empty(n, np.int64)
    ms = _makespan(start, dur)
    count = 0
    for _ in range(rounds):
        new = _justify(start, ctx, avail, dirty, order, key, s2, s3)
        count += 2
        if new >= ms:
            break
        ms = new
    return ms, count


@njit(cache=True)
def _rbrs_lists(prio, ctx, u, count):
    n = ctx[0].shape[0]
    out = np.empty((count, n), np.int64)
    left = np.empty(n, np.int64)
    elig = np.empty(n, np.int64)
    ui = 0
    for i in range(count):
        ui = _rbrs_list(prio, ctx, u, ui, out[i], left, elig)
    return out


@njit(cache=True)
def _soft_single(alist, ctx, soft, H):
    dur = ctx[0]
    n = dur.shape[0]
    R = ctx[8].shape[1]
    avail = np.empty((H, max(R, 1)), np.float64)
    dirty = np.full(1, H, np.int64)
    start = np.empty(n, np.int64)
    ms, forced = _sgs(alist, dur, ctx[1], ctx[2], ctx[3], ctx[8], ctx[9], ctx[10], ctx[11],
                      ctx[12], ctx[13], soft, avail, dirty, start)
    return start, ms, forced


@njit(cache=True)
def _blockers(start, dur, es, demand, uptr, uidx, cap, H):
    """For every activity started after its precedence-feasible start ``es``, the
    (activity, day, resource) triples that made the earlier starts infeasible: for each
    rejected start the last day of the window on which a resource is short, then the
    next candidate start is the day after it (as in the serial SGS)."""
    n = dur.shape[0]
    R = demand.shape[1]
    used = np.zeros((H, max(R, 1)), np.float64)
    for j in range(n):
        for tau in range(start[j], start[j] + dur[j]):
            for q in range(uptr[j], uptr[j + 1]):
                used[tau, uidx[q]] += demand[j, uidx[q]]
    cap_rec = 16
    for j in range(n):
        if start[j] > es[j]:
            cap_rec += start[j] - es[j]
    rec = np.empty((cap_rec, 3), np.int64)
    c = 0
    for j in range(n):
        t = es[j]
        d = dur[j]
        while t < start[j] and d > 0:
            found = False
            tau = t + d - 1
            while tau >= t and not found:
                for q in range(uptr[j], uptr[j + 1]):
                    r = uidx[q]
                    own = demand[j, r] if start[j] <= tau < start[j] + d else 0.0
                    if used[tau, r] - own + demand[j, r] > cap[r] + _EPS:
                        rec[c, 0] = j
                        rec[c, 1] = tau
                        rec[c, 2] = r
                        c += 1
                        found = True
                        break
                if not found:
                    tau -= 1
            if not found:
                break
            t = tau + 1
    return rec[:c]


# ----------------------------------------------------------------------------------------
# Python layer
# ----------------------------------------------------------------------------------------


@dataclass
class _Problem:
    """Validated instance on an integer time grid (one unit = 1/scale working day)."""

    ids: np.ndarray
    dur: np.ndarray
    link_from: np.ndarray
    link_to: np.ndarray
    delta: np.ndarray
    demand: np.ndarray
    cap: np.ndarray
    resources: list[str]
    earliest: np.ndarray
    latest: np.ndarray
    ctx: tuple = field(repr=False, default=())
    order: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0, np.int64))
    H: int = 0

    def __post_init__(self) -> None:
        n = len(self.dur)
        frm, to, delta = self.link_from, self.link_to, self.delta
        bp = np.argsort(to, kind="stable")
        pptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(to, minlength=n), out=pptr[1:])
        bs = np.argsort(frm, kind="stable")
        sptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(frm, minlength=n), out=sptr[1:])
        pidx, pdelta = frm[bp].astype(np.int64), delta[bp].astype(np.int64)
        sidx, sdelta = to[bs].astype(np.int64), delta[bs].astype(np.int64)
        mdelta = sdelta + self.dur[sidx] - self.dur[frm[bs]]
        uses = self.demand > _EPS
        uptr = np.zeros(n + 1, np.int64)
        np.cumsum(uses.sum(axis=1), out=uptr[1:])
        uidx = np.nonzero(uses)[1].astype(np.int64)
        self.ctx = (self.dur, pptr, pidx, pdelta, sptr, sidx, sdelta, mdelta, self.demand,
                    uptr, uidx, self.cap, self.earliest, self.latest)
        order = np.empty(n, np.int64)
        if _topo_by_key(np.arange(n, dtype=np.float64), pptr, sptr, sidx, order) < n:
            raise CycleError("the precedence network contains a cycle; remove one of the "
                             "links between the remaining tasks")
        self.order = order
        gap = np.zeros(n, np.int64)
        if len(delta):
            np.maximum.at(gap, to, np.maximum(delta - self.dur[frm], 0))
        self.H = int(self.earliest.max(initial=0) + self.dur.sum() + gap.sum() + 2)

    def cpm(self) -> tuple[np.ndarray, np.ndarray, int]:
        c = self.ctx
        return _cpm(self.order, self.dur, c[1], c[2], c[3], c[4], c[5], c[6], self.earliest)

    def lower_bound(self) -> int:
        """max(critical-path length, resource energy bound) [periods]."""
        _, _, T = self.cpm()
        lb = int(T)
        if len(self.cap):
            work = (self.dur[:, None] * self.demand).sum(axis=0)
            pos = self.cap > 0
            if pos.any():
                lb = max(lb, int(np.ceil(work[pos] / self.cap[pos] - _EPS).max()))
        return lb

    def priorities(self) -> dict[str, np.ndarray]:
        """Static priority values, smaller = scheduled first [3]."""
        es, ls, _ = self.cpm()
        c = self.ctx
        succ_dur = np.zeros(len(self.dur), np.float64)
        np.add.at(succ_dur, self.link_from, self.dur[self.link_to])
        return {
            "lft": (ls + self.dur).astype(np.float64),
            "lst": ls.astype(np.float64),
            "mslk": (ls - es).astype(np.float64),
            "mts": -_successor_counts(self.order, c[4], c[5]).astype(np.float64),
            "grpw": -(self.dur + succ_dur),
        }


def _check_demand(prob: _Problem) -> None:
    over = prob.demand > prob.cap[None, :] + _EPS
    if over.any():
        rows, cols = np.nonzero(over)
        names = sorted({prob.resources[c] for c in cols})
        raise ValidationError(
            f"tasks need more units per day than the capacity of {format_ids(names)}: "
            f"{format_ids(prob.ids[np.unique(rows)])}; raise the capacity or lower the units, "
            "otherwise no schedule exists")


@dataclass
class _Outcome:
    start: np.ndarray
    fitness: float
    schedules: int
    elapsed: float
    seed: int
    lower_bound: int


def _run(prob: _Problem, rule: str, scheme: str, search: str, passes: int,
         time_budget: float | None, improve: bool, soft: bool, rng,
         t0: float | None = None, cpm_prios: dict | None = None) -> _Outcome:
    t0 = time.perf_counter() if t0 is None else t0
    gen, seed = resolve_rng(rng, reseed=True)
    n, H, ctx = len(prob.dur), prob.H, prob.ctx
    prios = {**prob.priorities(), **(cpm_prios or {})}
    prio = prios[rule]
    lb = prob.lower_bound() if not soft else int(prob.cpm()[2])
    best_start = np.zeros(n, np.int64)
    best = np.full(1, np.inf)

    # 1. the priority-rule pass with the chosen scheme
    if scheme == "serial":
        alist = np.empty(n, np.int64)
        _topo_by_key(prio, ctx[1], ctx[4], ctx[5], alist)
        start, ms, forced = _soft_single(alist, ctx, soft, H)
    else:
        start = np.zeros(n, np.int64)
        ms, forced = _parallel_sgs(prio, ctx, soft, H, start)
        if soft and (start > prob.latest).any():
            # a negative lag can make a task eligible only after its latest start, which the
            # parallel scheme (time never goes back) cannot honour: use the serial scheme
            start, ms, forced = _soft_single(_rule_list(prio, ctx, n), ctx, soft, H)
    if ms < 0:  # pragma: no cover - horizon guard; would be a bug
        raise RuntimeError("levelling horizon exceeded; please report this instance")
    used = 1
    if improve and not soft and passes > 1:
        ms, c = _improve(start, ctx, H, 8)
        used += c
    best_start[:] = start
    best[0] = forced * H + ms

    budget_left = passes - used
    deadline = None if time_budget is None else t0 + time_budget
    if search != "none" and budget_left > 0 and best[0] > lb:
        mode = 0 if search == "ga" else 1
        if mode == 0:
            P = _POP
            rules = np.stack([_rule_list(prios[r], ctx, n) for r in RULES])
            samples = _rbrs_lists(prio, ctx, gen.random(P * n), P - len(RULES))
            pop = np.concatenate([rules, samples])
            fit = np.empty(P, np.float64)
            budget_left -= _evaluate_lists(pop, ctx, soft, improve, H, fit, best_start, best)
        else:
            pop, fit = np.empty((2, n), np.int64), np.empty(2)
        stall = np.zeros(1, np.int64)
        chunk = min(250, max(2 * _POP, 100_000 // (n + 3)))
        while budget_left > 0 and best[0] > lb:
            now = time.perf_counter()
            if deadline is not None and now >= deadline:
                break
            # chunks keep the random block small and the time checks frequent: each chunk
            # is sized to take at most a tenth of the remaining budget at the observed rate
            chunk = min(budget_left, chunk)
            size = (chunk + 3 * _POP) * (n + 3) if mode == 0 else (chunk + 1) * n
            done = _search(mode, pop, fit, prio, gen.random(max(size, 4)), chunk, ctx, soft,
                           improve, H, best_start, best, float(lb), stall, _RESTART,
                           _MUTATION)
            budget_left -= done
            if deadline is not None:
                rate = done / max(time.perf_counter() - now, 1e-6)
                chunk = int(min(250, max(1, rate * (deadline - time.perf_counter()) / 10)))
    return _Outcome(start=best_start, fitness=float(best[0]), schedules=passes - budget_left,
                    elapsed=time.perf_counter() - t0, seed=seed, lower_bound=lb)


def _rule_list(prio: np.ndarray, ctx: tuple, n: int) -> np.ndarray:
    out = np.empty(n, np.int64)
    _topo_by_key(prio, ctx[1], ctx[4], ctx[5], out)
    return out


def _check_common(rule, scheme, search, passes, time_budget) -> tuple[str, str, str, int]:
    rule = check_option(rule, RULES, "priority rule")
    scheme = check_option(scheme, SCHEMES, "schedule-generation scheme")
    search = check_option(search, SEARCHES, "search")
    if isinstance(passes, bool) or not isinstance(passes, int | np.integer) or passes < 1:
        raise ValidationError(f"passes must be a whole number of schedules >= 1, not {passes!r}; "
                              "e.g. passes=5000 (passes=1 gives the plain priority-rule schedule)")
    if time_budget is not None and not (isinstance(time_budget, int | float)
                                        and time_budget > 0 and math.isfinite(time_budget)):
        raise ValidationError(f"time_budget must be a positive number of seconds or None, "
                              f"not {time_budget!r}")
    return rule, scheme, search, int(passes)


# ----------------------------------------------------------------------------------------
# array-level API (PSPLIB-shaped data)
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RcpspSolution:
    """A resource-feasible schedule of an RCPSP instance.

    Attributes
    ----------
    start, finish : numpy.ndarray of int64
        Start and finish of each activity [periods]; ``finish = start + duration``.
    makespan : int
        Project duration [periods].
    lower_bound : int
        max(critical-path length, resource energy bound) [periods]; the makespan is
        optimal when it equals this bound.
    schedules : int
        Schedules generated (each justification pass counts two).
    elapsed : float
        Wall-clock time [s].
    seed : int
        Seed of the random search; ``rng=seed`` reproduces the run (with
        ``time_budget=None``).
    """

    start: np.ndarray
    finish: np.ndarray
    makespan: int
    lower_bound: int
    schedules: int
    elapsed: float
    seed: int


def solve_rcpsp(duration: Sequence[int] | np.ndarray,
                successors: Sequence[Sequence[int]] | tuple[np.ndarray, np.ndarray],
                demand: Sequence[Sequence[float]] | np.ndarray,
                capacity: Sequence[float] | np.ndarray, *, rule: str = "lft",
                scheme: str = "serial", search: str = "ga", passes: int = 5000,
                time_budget: float | None = None, improve: bool = True,
                rng: int | np.random.Generator | None = None) -> RcpspSolution:
    """Solve a single-mode RCPSP heuristically (finish-to-start links, integer periods).

    Parameters
    ----------
    duration : array-like of int, shape (n,)
        Processing times [periods], ≥ 0.
    successors : list of lists, or (ptr, idx) CSR arrays
        Successors of each activity (0-based indices), finish-to-start without lag.
    demand : array-like, shape (n, R)
        Per-period usage of each resource [units].
    capacity : array-like, shape (R,)
        Availability of each resource [units per period].
    rule : {"lft", "lst", "mslk", "mts", "grpw"}
        Priority rule of the first pass (and the bias of the random sampling).
    scheme : {"serial", "parallel"}
        Schedule-generation scheme of the first pass; the search always decodes activity
        lists with the serial scheme.
    search : {"ga", "sampling", "none"}
        Genetic algorithm, regret-based biased random sampling, or no search.
    passes : int
        Budget of generated schedules (each justification counts two), e.g. 5000 as in the
        PSPLIB comparisons [2]_; 1 gives the plain priority-rule schedule.
    time_budget : float or None
        Wall-clock limit [s] on top of ``passes``; None for a reproducible run.
    improve : bool
        Apply forward–backward improvement (justification) [4]_.
    rng : None, int or numpy.random.Generator
        Seed or generator of the search.

    Returns
    -------
    RcpspSolution

    Raises
    ------
    ValidationError
        For negative or fractional durations, bad indices, or a demand above capacity.
    CycleError
        When the successor lists contain a cycle.

    Examples
    --------
    >>> sol = solve_rcpsp([3, 2, 2], [[2], [2], []], [[1], [1], [0]], [1], rng=0)
    >>> sol.makespan, sol.lower_bound, sol.start.tolist()
    (7, 5, [0, 3, 5])
    """
    t0 = time.perf_counter()
    rule, scheme, search, passes = _check_common(rule, scheme, search, passes, time_budget)
    dur = np.asarray(duration, dtype=np.float64).ravel()
    n = len(dur)
    if not np.isfinite(dur).all() or (dur < 0).any() or (dur != np.round(dur)).any():
        bad = np.flatnonzero(~np.isfinite(dur) | (dur < 0) | (dur != np.round(dur)))
        raise ValidationError(f"durations must be whole periods >= 0; bad at index "
                              f"{format_ids(bad)}; round them, or use level(project) for "
                              "fractional working days")
    if isinstance(successors, tuple) and len(successors) == 2 and np.ndim(successors[0]) == 1 \
            and len(successors[0]) == n + 1:
        ptr, idx = np.asarray(successors[0], np.int64), np.asarray(successors[1], np.int64)
        frm = np.repeat(np.arange(n), np.diff(ptr))
        to = idx
    else:
        if len(successors) != n:
            raise ValidationError(f"successors has {len(successors)} entries for {n} activities; "
                                  "give one list per activity")
        frm = np.asarray([i for i, row in enumerate(successors) for _ in row], np.int64)
        to = np.asarray([int(k) for row in successors for k in row], np.int64)
    if len(to) and (to.min() < 0 or to.max() >= n):
        bad = to[(to < 0) | (to >= n)]
        raise ValidationError(f"successor indices outside 0..{n - 1}: {format_ids(bad)}; "
                              "use 0-based activity indices")
    cap = np.asarray(capacity, dtype=np.float64).ravel()
    dem = np.asarray(demand, dtype=np.float64)
    if dem.size != n * len(cap) or (dem.ndim == 2 and dem.shape[0] != n):
        raise ValidationError(f"demand has shape {dem.shape} but {n} activities and "
                              f"{len(cap)} capacities need ({n}, {len(cap)}); give one "
                              "capacity per resource and one demand row per activity")
    dem = dem.reshape(n, len(cap))
    if (dem < 0).any() or (cap < 0).any() or not np.isfinite(dem).all():
        raise ValidationError("demands and capacities must be finite and >= 0; fix the "
                              "negative values")
    d = dur.astype(np.int64)
    prob = _Problem(ids=np.arange(n), dur=d, link_from=frm, link_to=to, delta=d[frm],
                    demand=np.ascontiguousarray(dem), cap=cap,
                    resources=[f"R{r + 1}" for r in range(len(cap))],
                    earliest=np.zeros(n, np.int64), latest=np.full(n, _BIG, np.int64))
    _check_demand(prob)
    out = _run(prob, rule, scheme, search, passes, time_budget, improve, False, rng, t0)
    start = out.start.copy()
    return RcpspSolution(start=start, finish=start + d, makespan=int(out.fitness),
                         lower_bound=out.lower_bound, schedules=out.schedules,
                         elapsed=out.elapsed, seed=out.seed)


# ----------------------------------------------------------------------------------------
# project-level API
# ----------------------------------------------------------------------------------------


@njit(cache=True)
def _holders(rec, start, dur, uptr, uidx, H, R):
    """(delayed task, holding task) pairs for the blocking (task, day, resource) records,
    through a CSR index of the tasks using each resource on each day."""
    n = start.shape[0]
    cnt = np.zeros(H * R + 1, np.int64)
    for h in range(n):
        for tau in range(start[h], start[h] + dur[h]):
            for q in range(uptr[h], uptr[h + 1]):
                cnt[tau * R + uidx[q] + 1] += 1
    ptr = np.cumsum(cnt)
    fill = ptr.copy()
    who = np.empty(ptr[-1], np.int64)
    for h in range(n):
        for tau in range(start[h], start[h] + dur[h]):
            for q in range(uptr[h], uptr[h + 1]):
                k = tau * R + uidx[q]
                who[fill[k]] = h
                fill[k] += 1
    total = 0
    for k in range(rec.shape[0]):
        b = rec[k, 1] * R + rec[k, 2]
        total += ptr[b + 1] - ptr[b]
    out = np.empty((total, 2), np.int64)
    c = 0
    for k in range(rec.shape[0]):
        j = rec[k, 0]
        b = rec[k, 1] * R + rec[k, 2]
        for q in range(ptr[b], ptr[b + 1]):
            if who[q] != j:
                out[c, 0] = j
                out[c, 1] = who[q]
                c += 1
    return out[:c]


_GRID = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 48, 100)


def _grid_scale(values: np.ndarray) -> int:
    """Smallest subdivision of a working day on which all ``values`` are whole."""
    v = np.abs(values[np.isfinite(values)])
    for k in _GRID:
        if np.all(np.abs(v * k - np.round(v * k)) <= 1e-6):
            return k
    return _GRID[-1]  # finer than 1/100 day: durations and lags are rounded up


@dataclass
class LevelResult:
    """A resource-levelled schedule.

    Attributes
    ----------
    schedule : pandas.DataFrame
        Indexed by task id in input order: ``name``, ``duration``, ``early_start`` (CPM),
        ``start``, ``finish`` [working days from the project start], ``delay`` (start −
        CPM early start), ``resource_delay`` (start − earliest start the levelled
        predecessors allow), ``delayed_by_resource`` and ``delayed_by_tasks`` (``"; "``-
        joined ids of the resources that were short and of the tasks holding them on the
        days the task could not start), ``driving_predecessor`` (the predecessor that sets
        the levelled earliest start, empty when the project start or a constraint does),
        ``over_allocated`` (left over capacity, only when levelling within float) and,
        with a project start date, ``start_date``, ``finish_date``.
    makespan : float
        Levelled project duration [working days].
    cpm_duration : float
        Resource-unconstrained (CPM) duration [working days].
    lower_bound : float
        max(CPM duration, resource energy bound) [working days].
    rule, scheme, search : str
        Options used.
    within_float : bool
        Whether tasks were moved only within their total float.
    unconstrained : list of str
        Assigned resources without a capacity (not levelled).
    schedules : int
        Schedules generated.
    elapsed : float
        Wall-clock time [s].
    seed : int
        Seed; ``rng=seed`` with ``time_budget=None`` reproduces the run.
    note : str
        Why nothing was levelled, when that is so (else empty).
    """

    schedule: pd.DataFrame
    makespan: float
    cpm_duration: float
    lower_bound: float
    rule: str
    scheme: str
    search: str
    within_float: bool
    unconstrained: list[str]
    schedules: int
    elapsed: float
    seed: int
    note: str = ""

    @property
    def delayed(self) -> pd.DataFrame:
        """The rows of tasks that start later than in the CPM schedule."""
        return self.schedule[self.schedule["delay"] > _EPS]

    @property
    def over_allocated(self) -> list[str]:
        """Ids of tasks left over capacity (levelling within float only)."""
        return [str(i) for i in self.schedule.index[self.schedule["over_allocated"]]]

    def __repr__(self) -> str:
        return (f"LevelResult(makespan={self.makespan:g}, cpm_duration={self.cpm_duration:g}, "
                f"delayed={len(self.delayed)}, over_allocated={len(self.over_allocated)}, "
                f"seed={self.seed})")

    def _repr_html_(self) -> str:
        esc = html.escape
        head = (f"<p><b>Levelled schedule</b>: makespan {self.makespan:g} working days "
                f"(CPM {self.cpm_duration:g}, lower bound {self.lower_bound:g}); "
                f"{len(self.delayed)} task(s) delayed; rule {esc(self.rule)}, scheme "
                f"{esc(self.scheme)}, search {esc(self.search)}, {self.schedules} schedules "
                f"in {self.elapsed:.2f} s, seed {self.seed}.")
        if self.within_float:
            head += f" Within float: {len(self.over_allocated)} task(s) left over capacity."
        if self.unconstrained:
            head += f" Not levelled (no capacity): {esc(format_ids(self.unconstrained))}."
        cols = ["start", "finish", "delay", "delayed_by_resource", "delayed_by_tasks"]
        table = self.schedule[cols].to_html(float_format=lambda x: f"{x:g}", max_rows=60)
        return head + "</p>" + table


def _capacities(project, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Demand matrix [units/day], capacities, levelled resource names, unconstrained names."""
    asg = project.assignments
    n = len(ids)
    if asg is None or len(asg) == 0:
        return np.zeros((n, 0)), np.zeros(0), [], []
    res = project.resources
    caps: dict[str, float] = {}
    if res is not None and len(res) and "capacity" in res.columns:
        # validated by the model: canonical ``id`` column, capacities >= 0 (blank = no limit)
        caps = {str(k): float(c) for k, c in zip(res["id"], res["capacity"]) if pd.notna(c)}
    names = list(dict.fromkeys(str(r) for r in asg["resource"]))
    levelled = [r for r in names if r in caps]
    free = [r for r in names if r not in caps]
    pos = {t: i for i, t in enumerate(ids)}
    col = {r: k for k, r in enumerate(levelled)}
    demand = np.zeros((n, len(levelled)))
    keep = asg["resource"].astype(str).isin(col)
    rows = asg[keep]
    np.add.at(demand, (rows["task"].map(pos).to_numpy(np.int64),
                       rows["resource"].astype(str).map(col).to_numpy(np.int64)),
              rows["units"].to_numpy(np.float64))
    return demand, np.asarray([caps[r] for r in levelled]), levelled, free


def level(project, rule: str = "lft", scheme: str = "serial", time_budget: float | None = None,
          passes: int = 5000, within_float: bool = False,
          rng: int | np.random.Generator | None = None, *, search: str = "ga",
          improve: bool = True) -> LevelResult:
    """Level a project's resources: a schedule within capacity that keeps every link.

    Parameters
    ----------
    project : Project
        With ``assignments`` (from the task table's ``resources`` column, units per working
        day) and ``resources`` (``id``, ``capacity`` [units per working day]). Assigned
        resources without a capacity are not levelled (listed in ``unconstrained``).
    rule : {"lft", "lst", "mslk", "mts", "grpw"}
        Priority rule of the first pass, from the CPM schedule: latest finish, latest
        start, minimum slack (total float), most total successors, greatest rank
        positional weight [3]_.
    scheme : {"serial", "parallel"}
        Schedule-generation scheme of the first pass [3]_; the search decodes with the
        serial scheme.
    time_budget : float or None
        Wall-clock limit of the search [s]. None (the default) bounds the search by
        ``passes`` only, so the same seed always gives the same schedule; a budget can
        stop it earlier, at a point that depends on the machine's speed.
    passes : int
        Budget of generated schedules (justification counts two); 1 gives the plain
        priority-rule schedule (what MS Project's levelling does).
    within_float : bool
        Move tasks only within their total float so the project finish stays the CPM
        finish; over-allocations that cannot be resolved so are left in place and
        flagged in ``over_allocated``.
    rng : None, int or numpy.random.Generator
        Seed of the search.
    search : {"ga", "sampling", "none"}
        Genetic algorithm [5]_, regret-based biased random sampling, or none.
    improve : bool
        Forward–backward improvement (justification) [4]_.

    Returns
    -------
    LevelResult

    Notes
    -----
    Links of all four types with lags become minimum start-to-start distances [6]_:
    FS ``d_i + lag``, SS ``lag``, FF ``d_i + lag − d_j``, SF ``lag − d_j`` (``lag``
    including percent lags). SNET/FNET/MSO/MFO constraints act as release dates (a task
    never starts before them); SNLT/FNLT deadlines are not enforced by levelling.
    Times run on a grid of whole working days, or of 1/k day when durations or lags are
    fractional (k ≤ 100; finer values are rounded up, which can only lengthen).
    Progress (actual dates, percent complete) is not taken into account.

    Raises
    ------
    ValidationError
        When a task needs more units per day than a resource's capacity (no schedule
        exists), or a capacity is negative.

    Examples
    --------
    >>> import pandas as pd, tpmkit
    >>> p = tpmkit.read({"tasks": pd.DataFrame({
    ...         "id": ["A", "B", "C"], "duration": [3, 2, 4],
    ...         "predecessors": ["", "", "A"], "resources": ["dev:1", "dev:1", "qa:1"]}),
    ...     "resources": pd.DataFrame({"id": ["dev", "qa"], "capacity": [1, 1]})})
    >>> r = level(p, rng=0)
    >>> r.schedule[["start", "finish", "delay", "delayed_by_resource", "delayed_by_tasks"]]
        start  finish  delay delayed_by_resource delayed_by_tasks
    id
    A     0.0     3.0    0.0
    B     3.0     5.0    3.0                 dev                A
    C     3.0     7.0    0.0
    >>> r.makespan
    7.0
    """
    from tpmkit.cpm import passes as cpm_passes

    t0 = time.perf_counter()
    rule, scheme, search, passes = _check_common(rule, scheme, search, passes, time_budget)
    net = project.network()
    ids = np.asarray(net.ids, dtype=object)
    n = len(ids)
    dur = np.asarray(net.duration, dtype=np.float64)
    frm, to = np.asarray(net.link_from, np.int64), np.asarray(net.link_to, np.int64)
    lag = net.lag + net.lag_percent * dur[frm]
    delta_real = pdm.start_distance(np.asarray(net.link_type), dur[frm], lag, dur[to])
    release = pdm.release_start(np.asarray(net.constraint_type), net.constraint_offset, dur)
    release = np.maximum(np.nan_to_num(release, nan=0.0, neginf=0.0), 0.0)
    cpm = cpm_passes(net)
    k = _grid_scale(np.concatenate([dur, delta_real, release]))

    def grid(x: np.ndarray) -> np.ndarray:
        return np.ceil(np.asarray(x, float) * k - 1e-6).astype(np.int64)

    demand, cap, res_names, free = _capacities(project, ids)
    d = grid(dur)
    latest = (np.floor(cpm["late_start"] * k + 1e-6).astype(np.int64) if within_float
              else np.full(n, _BIG, np.int64))
    prob = _Problem(ids=ids, dur=d, link_from=frm, link_to=to, delta=grid(delta_real),
                    demand=np.ascontiguousarray(demand), cap=cap, resources=res_names,
                    earliest=grid(release), latest=latest)
    _check_demand(prob)
    # LFT/LST/MSLK from the CPM engine, so SNLT/FNLT constraints rank the tasks they
    # constrain first (levelling itself does not enforce them)
    cpm_prios = {"lft": np.asarray(cpm["late_finish"], float),
                 "lst": np.asarray(cpm["late_start"], float),
                 "mslk": np.asarray(cpm["total_float"], float)}
    out = _run(prob, rule, scheme, search, passes, time_budget, improve, within_float, rng,
               t0, cpm_prios)
    return _result(project, prob, out, cpm, dur, k, rule, scheme, search, within_float, free)


def _join_groups(out: np.ndarray, keys: np.ndarray, labels: list[str]) -> None:
    """``out[k] = "; ".join(labels of k)`` for runs of equal, sorted ``keys``."""
    cuts = np.flatnonzero(np.diff(keys)) + 1
    for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(keys)]):
        out[keys[a]] = "; ".join(labels[a:b])


def _result(project, prob: _Problem, out: _Outcome, cpm: dict, dur: np.ndarray, k: int,
            rule: str, scheme: str, search: str, within_float: bool,
            free: list[str]) -> LevelResult:
    ids, n = prob.ids, len(prob.ids)
    S = out.start
    frm, to, delta = prob.link_from, prob.link_to, prob.delta
    es = prob.earliest.copy()
    if len(frm):
        np.maximum.at(es, to, S[frm] + delta)
    drive = np.full(n, "", dtype=object)
    if len(frm):
        tight = (S[frm] + delta == es[to]) & (es[to] > prob.earliest[to])
        for li in np.flatnonzero(tight)[::-1]:  # keep the first link per task
            drive[to[li]] = ids[frm[li]]
    c = prob.ctx
    rec = _blockers(S, prob.dur, es, prob.demand, c[9], c[10], prob.cap, prob.H)
    R = len(prob.cap)
    by_res = np.full(n, "", dtype=object)
    by_task = np.full(n, "", dtype=object)
    if len(rec):
        jr = np.unique(rec[:, 0] * R + rec[:, 2])  # sorted by task, then resource index
        _join_groups(by_res, jr // R, [prob.resources[r] for r in jr % R])
        pairs = _holders(rec, S, prob.dur, c[9], c[10], prob.H, R)
        if len(pairs):
            pairs = np.unique(pairs[:, 0] * n + pairs[:, 1])
            j_, h_ = pairs // n, pairs % n
            order = np.lexsort((h_, S[h_], j_))  # holders in order of their start
            _join_groups(by_task, j_[order], [str(x) for x in ids[h_[order]]])
    usage = np.zeros((prob.H, max(len(prob.cap), 1)))
    over = np.zeros(n, dtype=bool)
    if within_float and len(prob.cap):
        for j in np.flatnonzero(prob.dur > 0):
            usage[S[j]:S[j] + prob.dur[j], :len(prob.cap)] += prob.demand[j]
        bad_day = (usage[:, :len(prob.cap)] > prob.cap + _EPS)
        for j in np.flatnonzero(prob.dur > 0):
            span = bad_day[S[j]:S[j] + prob.dur[j]]
            over[j] = bool((span & (prob.demand[j] > 0)).any())
    start = S / k
    finish = start + dur
    early = np.asarray(cpm["early_start"], float)
    sched = pd.DataFrame({
        "name": project.tasks["name"].to_numpy() if "name" in project.tasks else "",
        "duration": dur,
        "early_start": early,
        "start": start,
        "finish": finish,
        "delay": start - early,
        "resource_delay": (S - es) / k,
        "delayed_by_resource": by_res,
        "delayed_by_tasks": by_task,
        "driving_predecessor": drive,
        "over_allocated": over,
    }, index=project.tasks.index)
    if project.start is not None:
        cal = project.calendar
        ms = dur == 0
        sd = cal.start_dates(start, project.start).to_numpy()
        fd = cal.finish_dates(finish, project.start).to_numpy()
        md = np.where(start <= 0, cal.start_dates(np.zeros(n), project.start).to_numpy(),
                      cal.milestone_dates(np.maximum(start, 1.0), project.start).to_numpy())
        sched["start_date"] = np.where(ms, md, sd)
        sched["finish_date"] = np.where(ms, md, fd)
    makespan = float(finish.max()) if n else 0.0
    note = "" if len(prob.cap) else "no resource with a capacity is assigned: nothing to level"
    return LevelResult(schedule=sched, makespan=makespan,
                       cpm_duration=float(cpm["project_finish"]),
                       lower_bound=max(out.lower_bound / k, float(cpm["project_finish"])),
                       rule=rule, scheme=scheme, search=search, within_float=within_float,
                       unconstrained=free, schedules=out.schedules, elapsed=out.elapsed,
                       seed=out.seed, note=note)
