"""The compiled kernels of the levelling search (serial and parallel SGS, justification,
genetic algorithm, biased random sampling, delay explanation).

Every kernel works on an integer time grid (one unit = 1/scale working day, chosen by
:mod:`tpmkit.resources.levelling`) and on the minimum start-to-start distances that
:func:`tpmkit._core.pdm.start_distance` derives from the PDM links, so the PDM rules are
applied once, before the search. The kernels are compiled by numba when it is installed
(only through :mod:`tpmkit._core.jit`); without numba the same functions run as Python
with identical results. The Python glue and the references ([3]_ Kolisch 1996, [4]_ Valls
et al. 2005, [5]_ Hartmann 1998, [6]_ Neumann et al. 2003) are in
:mod:`tpmkit.resources.levelling`.
"""

from __future__ import annotations

import numpy as np

from tpmkit._core.codes import EPS
from tpmkit._core.graph import topo_by_key as _topo_by_key
from tpmkit._core.jit import njit

__all__ = ["BIG", "blockers", "evaluate_lists", "holders", "improve_fbi",
           "parallel_sgs", "rbrs_lists", "search_kernel", "soft_single", "successor_counts"]

_EPS = EPS
BIG = np.int64(2**62)  # "no deadline" on the integer grid
_BIG = BIG
_FBI_ROUNDS = 1  # justification passes per GA individual (repeated while they shorten)


# ----------------------------------------------------------------------------------------
# numba kernels.  ``ctx`` bundles the static instance data:
#   (dur, pred_ptr, pred_idx, pred_delta, succ_ptr, succ_idx, succ_delta, mirror_delta,
#    demand, use_ptr, use_idx, capacity, earliest, latest)
# A link i -> j with minimum start-to-start distance delta means S_j >= S_i + delta [6].
# ----------------------------------------------------------------------------------------


@njit(cache=True)
def serial_sgs(alist, dur, pptr, pidx, pdelta, demand, uptr, uidx, cap, earliest, latest, soft,
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
def makespan_of(start, dur):
    ms = 0
    for j in range(start.shape[0]):
        if start[j] + dur[j] > ms:
            ms = start[j] + dur[j]
    return ms


@njit(cache=True)
def justify_pass(start, ctx, avail, dirty, order, key, s2, s3):
    """One forward-backward improvement pass (double justification) [4].

    Updates ``start`` in place when the justified schedule is no longer; returns the
    makespan of ``start`` afterwards.
    """
    (dur, pptr, pidx, pdelta, sptr, sidx, sdelta, mdelta, demand, uptr, uidx, cap,
     earliest, latest) = ctx
    n = dur.shape[0]
    T = makespan_of(start, dur)
    # backward: mirror time, S'_i = T - S_i - d_i; successors become predecessors with
    # delta'_{k->i} = delta_{i->k} + d_k - d_i.  Release dates become deadlines.
    for j in range(n):
        key[j] = -(start[j] + dur[j])
        s2[j] = T - earliest[j] - dur[j]  # latest mirrored start
    _topo_by_key(key, sptr, pptr, pidx, order)
    zero = np.zeros(n, np.int64)
    ms, _ = serial_sgs(order, dur, sptr, sidx, mdelta, demand, uptr, uidx, cap, zero, s2, False,
                 avail, dirty, s3)
    if ms < 0:
        return T
    for j in range(n):
        key[j] = T - s3[j] - dur[j]
    _topo_by_key(key, pptr, sptr, sidx, order)
    ms, _ = serial_sgs(order, dur, pptr, pidx, pdelta, demand, uptr, uidx, cap, earliest, latest,
                 False, avail, dirty, s2)
    if ms < 0 or ms > T:
        return T
    for j in range(n):
        start[j] = s2[j]
    return ms


@njit(cache=True)
def evaluate_list(alist, ctx, soft, improve, H, avail, dirty, start, order, key, s2, s3):
    """Decode ``alist`` (serial SGS), justify, and write the schedule's start order back.

    Returns (fitness, schedules generated).  Fitness is the makespan, or in soft mode
    ``forced * H + makespan`` so that fewer unresolved over-allocations always win.
    """
    (dur, pptr, pidx, pdelta, sptr, sidx, sdelta, mdelta, demand, uptr, uidx, cap,
     earliest, latest) = ctx
    ms, forced = serial_sgs(alist, dur, pptr, pidx, pdelta, demand, uptr, uidx, cap, earliest,
                      latest, soft, avail, dirty, start)
    count = 1
    if ms < 0:
        return np.inf, count
    if improve and not soft:
        for _ in range(_FBI_ROUNDS):
            new = justify_pass(start, ctx, avail, dirty, order, key, s2, s3)
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
def rbrs_list(prio, ctx, u, ui, alist, left, elig):
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
def is_pred(a, b, pptr, pidx):
    for q in range(pptr[b], pptr[b + 1]):
        if pidx[q] == a:
            return True
    return False


@njit(cache=True)
def crossover_lists(m, f, q1, q2, child, taken):
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


# long function: one compiled loop keeps the population and schedules in registers/cache, as the risk engine's _chunk
@njit(cache=True)
def search_kernel(mode, pop, fit, prio, u, max_schedules, ctx, soft, improve, H, best_start,
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
            ui = rbrs_list(prio, ctx, u, ui, lst1, left, elig)
            f, c = evaluate_list(lst1, ctx, soft, improve, H, avail, dirty, start, order, key, s2,
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
            crossover_lists(m, fa, q1, q2, child[c], taken)
            crossover_lists(fa, m, q1, q2, child[c + 1], taken)
            for ch in (c, c + 1):
                lst = child[ch]
                for i in range(n - 1):
                    if u[ui % L] < mutation and not is_pred(lst[i], lst[i + 1], pptr, pidx):
                        lst[i], lst[i + 1] = lst[i + 1], lst[i]
                    ui += 1
                f, cnt = evaluate_list(lst, ctx, soft, improve, H, avail, dirty, start, order, key,
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
                ui = rbrs_list(prio, ctx, u, ui, pop[i], left, elig)
                f, cnt = evaluate_list(pop[i], ctx, soft, improve, H, avail, dirty, start, order,
                                   key, s2, s3)
                used += cnt
                fit[i] = f
                if f < best_fit[0]:
                    best_fit[0] = f
                    best_start[:] = start
    return used


@njit(cache=True)
def evaluate_lists(lists, ctx, soft, improve, H, fit, best_start, best_fit):
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
        f, c = evaluate_list(lists[i], ctx, soft, improve, H, avail, dirty, start, order, key, s2,
                         s3)
        used += c
        fit[i] = f
        if f < best_fit[0]:
            best_fit[0] = f
            best_start[:] = start
    return used


@njit(cache=True)
def parallel_sgs(prio, ctx, soft, H, start):
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
def successor_counts(order, sptr, sidx):
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
def improve_fbi(start, ctx, H, rounds):
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
    ms = makespan_of(start, dur)
    count = 0
    for _ in range(rounds):
        new = justify_pass(start, ctx, avail, dirty, order, key, s2, s3)
        count += 2
        if new >= ms:
            break
        ms = new
    return ms, count


@njit(cache=True)
def rbrs_lists(prio, ctx, u, count):
    n = ctx[0].shape[0]
    out = np.empty((count, n), np.int64)
    left = np.empty(n, np.int64)
    elig = np.empty(n, np.int64)
    ui = 0
    for i in range(count):
        ui = rbrs_list(prio, ctx, u, ui, out[i], left, elig)
    return out


@njit(cache=True)
def soft_single(alist, ctx, soft, H):
    dur = ctx[0]
    n = dur.shape[0]
    R = ctx[8].shape[1]
    avail = np.empty((H, max(R, 1)), np.float64)
    dirty = np.full(1, H, np.int64)
    start = np.empty(n, np.int64)
    ms, forced = serial_sgs(alist, dur, ctx[1], ctx[2], ctx[3], ctx[8], ctx[9], ctx[10], ctx[11],
                      ctx[12], ctx[13], soft, avail, dirty, start)
    return start, ms, forced


@njit(cache=True)
def blockers(start, dur, es, demand, uptr, uidx, cap, H):
    """For every activity started after its precedence-feasible start ``es``, the
    (activity, day, resource) triples that made an earlier start infeasible.

    The start one day earlier is tried first: when a resource is short on that day (always
    so in a serial-SGS schedule, whose every earlier start was rejected), the records are
    the resources short on the day before the start, whose holders the activity waited
    for. Otherwise (a schedule from the search) the earlier starts are walked from ``es``
    as the serial SGS does: for each rejected start the last day of the window on which a
    resource is short, the next candidate the day after it, up to the first feasible one.
    The first rule keeps the records O(tasks × resources): walking every rejected start
    is quadratic when hundreds of tasks queue for one resource.
    """
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
            cap_rec += start[j] - es[j] + uptr[j + 1] - uptr[j]
    rec = np.empty((cap_rec, 3), np.int64)
    c = 0
    for j in range(n):
        d = dur[j]
        if start[j] <= es[j] or d <= 0:
            continue
        tau = start[j] - 1  # the day before the start: the task holds nothing on it
        c0 = c
        for q in range(uptr[j], uptr[j + 1]):
            r = uidx[q]
            if used[tau, r] + demand[j, r] > cap[r] + _EPS:
                rec[c, 0] = j
                rec[c, 1] = tau
                rec[c, 2] = r
                c += 1
        if c > c0:
            continue
        t = es[j]
        while t < start[j]:
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



@njit(cache=True)
def holders(rec, start, dur, uptr, uidx, H, R):
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
