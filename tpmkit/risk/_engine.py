"""The Monte Carlo engine: one chunk of iterations, compiled (numba) and numpy reference.

Both paths take the same inputs (uniforms already stratified/correlated by the caller) and
fill the same outputs with the same floating-point operations in the same order, so their
results are bit-identical; the tests check that. Per iteration: sample every duration by
its quantile function, add the risk events, drop absent branches, run the PDM forward
pass, the backward pass from this iteration's finish, and update the streaming statistics
(chunk-local sums, added to the totals by the caller): criticality counts, duration
moments and cross moments with the finish, significance-index sums, mean early starts,
per-bin sums of the duration percentile (streaming rank correlation) and the finish
histograms of each task's low and high decile (tornado).

Each chunk is cut into ``PARTS`` fixed contiguous parts of iterations; the compiled path
runs the parts on numba's thread pool (``prange``), each into its own row of every
accumulator, and :meth:`Outputs.merge` adds the rows in a fixed order at the end. The
partition depends only on the chunk length, not on the number of threads, and the numpy
reference sums the same parts in the same order, so results stay bit-identical and
reproducible on any machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numba import njit, prange

from tpmkit.risk.distributions import ppf_numpy, ppf_row

__all__: list[str] = []

EPS = 1e-9  # float tolerance of the critical test, as in tpmkit.cpm
SCRATCH = 1 << 20  # elements per scratch array of the kernel (≤ 8 MB each)
PARTS = 4  # fixed partition of every chunk's iterations (threads run whole parts)


def block_length(n: int) -> int:
    """Iterations per block of the compiled kernel for ``n`` tasks (≤ 8 MB per scratch array)."""
    return max(8, min(256, SCRATCH // max(n, 1)))


def part_bounds(rows: int) -> np.ndarray:
    """Iteration bounds of the ``PARTS`` contiguous parts of a chunk of ``rows`` iterations.

    The partition depends only on ``rows``, never on the number of threads, so the
    per-part sums and hence the merged totals are reproducible on any machine.
    """
    return np.array([rows * p // PARTS for p in range(PARTS + 1)], np.int64)


@dataclass(eq=False)
class Inputs:
    """Everything one chunk needs besides the network and the sampler."""

    u: np.ndarray           # (Ks, C) uniforms of the stochastic tasks (row per task)
    ucol: np.ndarray        # (K,) row of task k in u, -1 when fixed
    x: np.ndarray           # (Kx, C) uniforms deciding branch existence
    xcol: np.ndarray        # (K,) row in x, -1 when the task always exists
    xp: np.ndarray          # (K,) existence probability
    ro: np.ndarray          # (R, C) occurrence uniforms of the risk events
    ri: np.ndarray          # (R, C) impact uniforms
    r_prob: np.ndarray      # (R,)
    r_unit: np.ndarray      # (R,) 0 no schedule impact, 1 days, 2 percent
    r_imp: np.ndarray       # (R, 5) triangular parameters of the schedule impact
    r_cost: np.ndarray      # (R, 5) triangular parameters of the cost impact
    r_ptr: np.ndarray       # (R+1,) CSR of affected tasks
    r_task: np.ndarray
    aff: np.ndarray         # unique affected task indices
    cfix: np.ndarray        # (K,) fixed cost
    rate: np.ndarray        # (K,) cost per working day
    d0: np.ndarray          # (K,) shift for the duration sums (deterministic durations)
    es0: np.ndarray         # (K,) shift for the early-start sums (deterministic ES)
    t0: float               # shift for the finish (deterministic finish)
    bin_lo: float
    bin_w: float
    nkeep: int              # rows of this chunk to keep in d_keep
    store: bool             # keep ES/EF of every task


@dataclass(eq=False)
class Outputs:
    """Running totals over all chunks plus the per-iteration arrays of the whole run.

    Every accumulator has a leading axis of ``PARTS``: part ``p`` of every chunk adds to
    row ``p`` in iteration order, and :meth:`merge` adds the rows in the fixed order
    0, 1, …, so the totals do not depend on which thread ran which part. The
    per-iteration arrays are sliced per chunk with :meth:`view`.
    """

    k: int
    n: int
    r: int
    nb: int
    keep_rows: int
    store: bool
    finish: np.ndarray = field(init=False)
    cost: np.ndarray = field(init=False)
    crit: np.ndarray = field(init=False)
    sx: np.ndarray = field(init=False)
    sxx: np.ndarray = field(init=False)
    sxy: np.ndarray = field(init=False)
    ssi: np.ndarray = field(init=False)
    ses: np.ndarray = field(init=False)
    su: np.ndarray = field(init=False)
    suu: np.ndarray = field(init=False)
    ubin: np.ndarray = field(init=False)
    hlo: np.ndarray = field(init=False)
    hhi: np.ndarray = field(init=False)
    rocc: np.ndarray = field(init=False)
    d_keep: np.ndarray = field(init=False)
    es: np.ndarray = field(init=False)
    ef: np.ndarray = field(init=False)
    work: np.ndarray | None = field(init=False, default=None)  # kernel scratch per part
    wex: np.ndarray | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        k, n = self.k, self.n
        self.finish, self.cost = np.zeros(n), np.zeros(n)
        P = PARTS
        self.crit = np.zeros((P, k), np.int64)
        for name in ("sx", "sxx", "sxy", "ssi", "ses", "su", "suu"):
            setattr(self, name, np.zeros((P, k)))
        self.ubin = np.zeros((P, k, self.nb))  # task-major: the kernel's loop is per task
        self.hlo = np.zeros((P, k, self.nb), np.int64)
        self.hhi = np.zeros((P, k, self.nb), np.int64)
        self.rocc = np.zeros((P, self.r), np.int64)
        self.d_keep = np.zeros((self.keep_rows, k))
        shape = (n, k) if self.store else (0, k)
        self.es, self.ef = np.zeros(shape), np.zeros(shape)

    def merge(self) -> None:
        """Replace each per-part accumulator by its total (rows added in order 0, 1, …).

        Called once at the end of a run; also releases the kernel scratch.
        """
        self.work = self.wex = None
        for name in ("crit", "sx", "sxx", "sxy", "ssi", "ses", "su", "suu", "ubin", "hlo",
                     "hhi", "rocc"):
            a = getattr(self, name)
            if a.ndim == 1 + (name in ("ubin", "hlo", "hhi")):  # already merged
                continue
            total = a[0].copy()
            for p in range(1, a.shape[0]):
                total += a[p]
            setattr(self, name, total)

    def view(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Per-iteration arrays of iterations ``start:stop``."""
        store = slice(start, stop) if self.store else slice(0, 0)
        return {"finish": self.finish[start:stop], "cost": self.cost[start:stop],
                "d_keep": self.d_keep[min(start, self.keep_rows):],
                "es": self.es[store], "ef": self.ef[store]}


@njit(cache=True, nogil=True, inline="always")
def _tri(u, p):  # pragma: no cover - compiled
    if u < p[2]:
        return p[0] + math.sqrt(u * p[3])
    return p[1] - math.sqrt((1.0 - u) * p[4])


def _tri_np(u, p):
    return np.where(u < p[2], p[0] + np.sqrt(u * p[3]), p[1] - np.sqrt((1.0 - u) * p[4]))


def tri_params(lo: np.ndarray, ml: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Triangular quantile parameters ``[lo, hi, (ml−lo)/(hi−lo), (hi−lo)(ml−lo),
    (hi−lo)(hi−ml)]`` per row (a point value when ``lo = hi``)."""
    lo, ml, hi = (np.nan_to_num(np.asarray(a, float)) for a in (lo, ml, hi))
    w = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        fc = np.where(w > 0, (ml - lo) / w, 1.0)
    return np.column_stack([lo, hi, fc, w * (ml - lo), w * (hi - ml)])


@njit(cache=True, nogil=True, error_model="numpy")
def _chunk(lo, hi, work, wex, order, pred_ptr, pred_link, succ_ptr, succ_link, link_from,
           link_to, link_type, lag, lag_pct, ctype, coff,
           code, par, tab, q_lo, s_lo, q_mid, s_mid, q_hi, s_hi, emp_ptr, emp_val,
           u, ucol, x, xcol, xp, ro, ri, r_prob, r_unit, r_imp, r_cost, r_ptr, r_task, aff,
           cfix, rate, d0, es0, t0, bin_lo, bin_w, nkeep, store,
           o_finish, o_cost, o_crit, o_sx, o_sxx, o_sxy, o_ssi, o_ses, o_su, o_suu, o_ubin,
           o_hlo, o_hhi, o_rocc, o_dkeep, o_es, o_ef):  # pragma: no cover - compiled
    # Tasks outside, a block of iterations inside: the passes then run over contiguous
    # rows of B iterations (vectorised max/min), and the working set stays in cache.
    # Hot loops index 1-d row views (``dj_ = d[j]``): 2-d indexing makes numba's
    # negative-index wrap-around turn the loads into gathers, and the loops do not vectorise
    n = order.shape[0]
    nr = r_prob.shape[0]
    nb = o_ubin.shape[1]
    bs = min(hi - lo, work.shape[2])  # iterations per block (block_length)
    base = work[0]  # scratch of this part, allocated once per run (no page faults)
    plain = aff.shape[0] == 0 and x.shape[0] == 0  # no risk or branch alters a duration
    d = base if plain else work[1]
    branch = np.flatnonzero(xcol >= 0)
    costly = np.flatnonzero((cfix != 0.0) | (rate != 0.0))
    es = work[2]
    ef = work[3]
    ls = work[4]
    lf = work[5]
    exists = wex
    best = np.empty(bs)
    fin = np.empty(bs)
    cost = np.empty(bs)
    delay = np.empty(bs)
    level = np.empty(bs)
    bins = np.empty(bs, dtype=np.int64)
    occ = np.empty(bs, dtype=np.bool_)
    for i0 in range(lo, hi, bs):
        m = min(bs, hi - i0)
        # durations by the quantile functions (when no risk or branch alters a duration,
        # each task is sampled in the forward pass instead, while its row is in the cache)
        for k in range(0 if plain else n):
            bk = base[k]
            c = ucol[k]
            if c >= 0:
                ppf_row(k, u, c, i0, m, base, code, par, tab, q_lo, s_lo, q_mid, s_mid, q_hi,
                        s_hi, emp_ptr, emp_val)
            else:
                for i in range(m):
                    bk[i] = par[k, 0]
            if not plain:
                dk_ = d[k]
                for i in range(m):
                    dk_[i] = bk[i]
        # risk events: extra days (or percent of the sampled duration) on the tasks hit
        for a in range(aff.shape[0]):
            for i in range(m):
                es[aff[a], i] = 0.0  # es doubles as the "added days" buffer here
        for i in range(m):
            delay[i] = 0.0  # impacts of risks that name no task delay the finish
            cost[i] = 0.0
        for r in range(nr):
            for i in range(m):
                occ[i] = ro[r, i0 + i] < r_prob[r]
                if occ[i]:
                    o_rocc[r] += 1
            if r_unit[r] > 0:
                for i in range(m):
                    if occ[i]:
                        imp = _tri(ri[r, i0 + i], r_imp[r])
                        if r_ptr[r] == r_ptr[r + 1]:
                            delay[i] += imp
                        for q in range(r_ptr[r], r_ptr[r + 1]):
                            t = r_task[q]
                            if r_unit[r] == 1:
                                es[t, i] += imp
                            else:
                                es[t, i] += imp / 100.0 * base[t, i]
        for a in range(aff.shape[0]):
            t = aff[a]
            for i in range(m):
                d[t, i] = max(base[t, i] + es[t, i], 0.0)
        # probabilistic branches
        if i0 == lo:
            exists[:, :] = True
        for a in range(branch.shape[0]):
            k = branch[a]
            c = xcol[k]
            for i in range(m):
                exists[k, i] = not (x[c, i0 + i] >= xp[k])
                if not exists[k, i]:
                    d[k, i] = 0.0
        # forward pass (the PDM rules of tpmkit.cpm); the link type and constraint are
        # dispatched outside the loops over iterations so that those loops vectorise
        for i in range(m):
            fin[i] = -np.inf
        for kk in range(n):
            j = order[kk]
            dj_ = d[j]
            esj_ = es[j]
            efj_ = ef[j]
            if plain:
                c = ucol[j]
                if c >= 0:
                    ppf_row(j, u, c, i0, m, base, code, par, tab, q_lo, s_lo, q_mid, s_mid,
                            q_hi, s_hi, emp_ptr, emp_val)
                else:
                    for i in range(m):
                        dj_[i] = par[j, 0]
            for i in range(m):
                best[i] = 0.0
            for q in range(pred_ptr[j], pred_ptr[j + 1]):
                li = pred_link[q]
                p = link_from[li]
                t = link_type[li]
                lg = lag[li]
                lp = lag_pct[li]
                dp = d[p]
                efp = ef[p]
                esp = es[p]
                if t == 0:
                    for i in range(m):
                        v = efp[i] + (lg + lp * dp[i])
                        best[i] = v if v > best[i] else best[i]
                elif t == 1:
                    for i in range(m):
                        v = esp[i] + (lg + lp * dp[i])
                        best[i] = v if v > best[i] else best[i]
                elif t == 2:
                    for i in range(m):
                        v = efp[i] + (lg + lp * dp[i]) - dj_[i]
                        best[i] = v if v > best[i] else best[i]
                else:
                    for i in range(m):
                        v = esp[i] + (lg + lp * dp[i]) - dj_[i]
                        best[i] = v if v > best[i] else best[i]
            c = ctype[j]
            cj = coff[j]
            if c == 1:
                for i in range(m):
                    best[i] = cj if cj > best[i] + EPS else best[i]
            elif c == 3:
                for i in range(m):
                    best[i] = cj - dj_[i] if cj - dj_[i] > best[i] + EPS else best[i]
            elif c == 5:
                for i in range(m):
                    best[i] = cj
            elif c == 6:
                for i in range(m):
                    best[i] = cj - dj_[i]
            for i in range(m):
                esj_[i] = best[i]
                e = best[i] + dj_[i]
                efj_[i] = e
                fin[i] = e if e > fin[i] else fin[i]
        for i in range(m):
            fin[i] = fin[i] + delay[i]
        # cost: fixed + rate × duration of the tasks that happen, then the risk costs
        # (tasks without cost add exactly 0.0 in the reference path: skipped here)
        for a in range(costly.shape[0]):
            k = costly[a]
            for i in range(m):
                if exists[k, i]:
                    cost[i] += cfix[k] + rate[k] * d[k, i]
        for r in range(nr):
            for i in range(m):
                if ro[r, i0 + i] < r_prob[r]:
                    cost[i] += _tri(ri[r, i0 + i], r_cost[r])
        # backward pass from each iteration's finish (tracking the smallest float)
        for i in range(m):
            level[i] = np.inf
        for kk in range(n - 1, -1, -1):
            j = order[kk]
            dj_ = d[j]
            lfj_ = lf[j]
            lsj_ = ls[j]
            esj_ = es[j]
            for i in range(m):
                best[i] = fin[i]
            for q in range(succ_ptr[j], succ_ptr[j + 1]):
                li = succ_link[q]
                s = link_to[li]
                t = link_type[li]
                lg = lag[li]
                lp = lag_pct[li]
                lss = ls[s]
                lfs = lf[s]
                if t == 0:
                    for i in range(m):
                        v = lss[i] - (lg + lp * dj_[i])
                        best[i] = v if v < best[i] else best[i]
                elif t == 1:
                    for i in range(m):
                        v = lss[i] - (lg + lp * dj_[i]) + dj_[i]
                        best[i] = v if v < best[i] else best[i]
                elif t == 2:
                    for i in range(m):
                        v = lfs[i] - (lg + lp * dj_[i])
                        best[i] = v if v < best[i] else best[i]
                else:
                    for i in range(m):
                        v = lfs[i] - (lg + lp * dj_[i]) + dj_[i]
                        best[i] = v if v < best[i] else best[i]
            c = ctype[j]
            cj = coff[j]
            if c == 2:
                for i in range(m):
                    best[i] = min(best[i], cj + dj_[i])
            elif c == 4:
                for i in range(m):
                    best[i] = min(best[i], cj)
            elif c == 5:
                for i in range(m):
                    best[i] = cj + dj_[i]
            elif c == 6:
                for i in range(m):
                    best[i] = cj
            # the streaming sums that do not need the criticality level, fused here while
            # this task's rows are in the L1 cache; each total is summed in iteration order
            sx = o_sx[j]
            sxx = o_sxx[j]
            sxy = o_sxy[j]
            ssi = o_ssi[j]
            ses = o_ses[j]
            dj0 = d0[j]
            esj0 = es0[j]
            for i in range(m):
                lfj_[i] = best[i]
                dj = dj_[i]
                lsj = best[i] - dj
                lsj_[i] = lsj
                esj = esj_[i]
                tf = lsj - esj
                level[i] = tf if tf < level[i] else level[i]
                xj = dj - dj0
                sx += xj
                sxx += xj * xj
                sxy += xj * (fin[i] - t0)
                tot = dj + tf
                ssi += dj / tot * fin[i] if tot > 0.0 else 0.0
                ses += esj - esj0
            o_sx[j] = sx
            o_sxx[j] = sxx
            o_sxy[j] = sxy
            o_ssi[j] = ssi
            o_ses[j] = ses
        for i in range(m):
            level[i] = max(0.0, level[i]) + EPS
            o_finish[i0 + i] = fin[i]
            o_cost[i0 + i] = cost[i]
            b = int((fin[i] - bin_lo) / bin_w)
            bins[i] = min(max(b, 0), nb - 1)
        # streaming statistics, each total summed in iteration order
        for k in range(n):
            ck = 0
            exk = exists[k]
            lsk = ls[k]
            esk = es[k]
            for i in range(m):
                ck += exk[i] & (lsk[i] - esk[i] <= level[i])
            o_crit[k] += ck
            c = ucol[k]
            if c >= 0:
                su = o_su[k]
                suu = o_suu[k]
                ur = u[c, i0:i0 + m]
                ubk = o_ubin[k]
                hlk = o_hlo[k]
                hhk = o_hhi[k]
                for i in range(m):
                    uk = ur[i]
                    su += uk
                    suu += uk * uk
                    bi = bins[i]
                    ubk[bi] += uk
                    hlk[bi] += uk < 0.1
                    hhk[bi] += uk >= 0.9
                o_su[k] = su
                o_suu[k] = suu
        for i in range(m):
            if i0 + i < nkeep:
                for k in range(n):
                    o_dkeep[i0 + i, k] = d[k, i]
            if store:
                for k in range(n):
                    o_es[i0 + i, k] = es[k, i]
                    o_ef[i0 + i, k] = ef[k, i]


@njit(cache=True, nogil=True, parallel=True)
def _chunk_parts(bounds, work, wex, order, pred_ptr, pred_link, succ_ptr, succ_link,
                 link_from, link_to, link_type, lag, lag_pct, ctype, coff,
                 code, par, tab, q_lo, s_lo, q_mid, s_mid, q_hi, s_hi, emp_ptr, emp_val,
                 u, ucol, x, xcol, xp, ro, ri, r_prob, r_unit, r_imp, r_cost, r_ptr, r_task,
                 aff, cfix, rate, d0, es0, t0, bin_lo, bin_w, nkeep, store,
                 o_finish, o_cost, o_crit, o_sx, o_sxx, o_sxy, o_ssi, o_ses, o_su, o_suu,
                 o_ubin, o_hlo, o_hhi, o_rocc, o_dkeep, o_es,
                 o_ef):  # pragma: no cover - compiled
    # one part per task of the thread pool; each part owns row p of every accumulator
    # and a disjoint range of the per-iteration outputs, so no two threads write the
    # same memory
    for p in prange(bounds.shape[0] - 1):
        _chunk(bounds[p], bounds[p + 1], work[p], wex[p], order, pred_ptr, pred_link, succ_ptr,
               succ_link, link_from, link_to, link_type, lag, lag_pct, ctype, coff,
               code, par, tab, q_lo, s_lo, q_mid, s_mid, q_hi, s_hi, emp_ptr, emp_val,
               u, ucol, x, xcol, xp, ro, ri, r_prob, r_unit, r_imp, r_cost, r_ptr, r_task,
               aff, cfix, rate, d0, es0, t0, bin_lo, bin_w, nkeep, store,
               o_finish, o_cost, o_crit[p], o_sx[p], o_sxx[p], o_sxy[p], o_ssi[p],
               o_ses[p], o_su[p], o_suu[p], o_ubin[p], o_hlo[p], o_hhi[p], o_rocc[p],
               o_dkeep, o_es, o_ef)


def run_chunk(net, smp, inp: Inputs, out: Outputs, start: int, compiled: bool = True) -> None:
    """Run the iterations ``start:start + inp.u.shape[1]`` (compiled kernel or numpy).

    The chunk is cut into the fixed parts of :func:`part_bounds`; the compiled kernel runs
    them on the thread pool, the reference one after the other.
    """
    rows = inp.u.shape[1]
    bounds = part_bounds(rows)
    v = out.view(start, start + rows)
    args = (net.order, net.pred_ptr, net.pred_link, net.succ_ptr, net.succ_link,
            net.link_from, net.link_to, net.link_type, net.lag, net.lag_percent,
            net.constraint_type, net.constraint_offset)
    if compiled:
        if out.work is None or out.work.shape[2] != net.n_tasks:
            bs = block_length(net.n_tasks)
            out.work = np.empty((PARTS, 6, net.n_tasks, bs))
            out.wex = np.empty((PARTS, net.n_tasks, bs), np.bool_)
        _chunk_parts(bounds, out.work, out.wex, *args, smp.code, smp.par, smp.tab, smp.q_lo,
                     smp.s_lo, smp.q_mid, smp.s_mid, smp.q_hi, smp.s_hi, smp.emp_ptr, smp.emp_val,
                     inp.u, inp.ucol, inp.x, inp.xcol, inp.xp, inp.ro, inp.ri, inp.r_prob,
                     inp.r_unit, inp.r_imp, inp.r_cost, inp.r_ptr, inp.r_task, inp.aff,
                     inp.cfix, inp.rate, inp.d0, inp.es0, inp.t0, inp.bin_lo, inp.bin_w,
                     inp.nkeep, inp.store,
                     v["finish"], v["cost"], out.crit, out.sx, out.sxx, out.sxy, out.ssi,
                     out.ses, out.su, out.suu, out.ubin, out.hlo, out.hhi, out.rocc,
                     v["d_keep"], v["es"], v["ef"])
    else:
        _chunk_numpy(net, smp, inp, out, v, bounds)


def _seqsum(total: np.ndarray, a: np.ndarray) -> None:
    """Add the rows of ``a`` to ``total`` one after another (the compiled loop's order)."""
    total[...] = np.cumsum(np.concatenate([total[None, ...], a]), axis=0)[-1]


def _chunk_numpy(net, smp, inp: Inputs, out: Outputs, view: dict, bounds: np.ndarray
                 ) -> None:
    """The reference path: the same arithmetic as ``_chunk``, vectorised over iterations."""
    n = net.n_tasks
    nc = inp.u.shape[1]
    base = np.empty((nc, n))
    for k in range(n):
        c = inp.ucol[k]
        base[:, k] = ppf_numpy(k, inp.u[c], smp) if c >= 0 else smp.par[k, 0]
    d = base.copy()
    occ = (inp.ro < inp.r_prob[:, None]).T
    for p in range(PARTS):
        out.rocc[p] += occ[bounds[p]:bounds[p + 1]].sum(axis=0)
    add = np.zeros((nc, n))
    delay = np.zeros(nc)
    for r in range(len(inp.r_prob)):
        if inp.r_unit[r] == 0:
            continue
        imp = np.where(occ[:, r], _tri_np(inp.ri[r], inp.r_imp[r]), 0.0)
        if inp.r_ptr[r] == inp.r_ptr[r + 1]:
            delay = np.where(occ[:, r], delay + imp, delay)
        for t in inp.r_task[inp.r_ptr[r]:inp.r_ptr[r + 1]]:
            step = imp if inp.r_unit[r] == 1 else imp / 100.0 * base[:, t]
            add[:, t] = np.where(occ[:, r], add[:, t] + step, add[:, t])
    for t in inp.aff:
        d[:, t] = np.maximum(base[:, t] + add[:, t], 0.0)
    exists = np.ones((nc, n), dtype=bool)
    for k in range(n):
        c = inp.xcol[k]
        if c >= 0:
            exists[:, k] = ~(inp.x[c] >= inp.xp[k])
            d[:, k] = np.where(exists[:, k], d[:, k], 0.0)
    cost = np.zeros(nc)
    for k in range(n):
        cost = np.where(exists[:, k], cost + (inp.cfix[k] + inp.rate[k] * d[:, k]), cost)
    for r in range(len(inp.r_prob)):
        cost = np.where(occ[:, r], cost + _tri_np(inp.ri[r], inp.r_cost[r]), cost)
    es, ef = np.zeros((nc, n)), np.zeros((nc, n))
    fin = np.full(nc, -np.inf)
    for j in net.order:
        dj = d[:, j]
        best = np.zeros(nc)
        for q in range(net.pred_ptr[j], net.pred_ptr[j + 1]):
            li = net.pred_link[q]
            p = net.link_from[li]
            L = net.lag[li] + net.lag_percent[li] * d[:, p]
            v = (ef[:, p] + L, es[:, p] + L, ef[:, p] + L - dj, es[:, p] + L - dj)[
                net.link_type[li]]
            best = np.where(v > best, v, best)
        c, co = net.constraint_type[j], net.constraint_offset[j]
        if c == 1:
            best = np.where(co > best + EPS, co, best)
        elif c == 3:
            best = np.where(co - dj > best + EPS, co - dj, best)
        elif c == 5:
            best = np.full(nc, co)
        elif c == 6:
            best = co - dj
        es[:, j] = best
        ef[:, j] = best + dj
        fin = np.where(ef[:, j] > fin, ef[:, j], fin)
    fin = fin + delay
    ls, lf = np.zeros((nc, n)), np.zeros((nc, n))
    for j in net.order[::-1]:
        dj = d[:, j]
        best = fin.copy()
        for q in range(net.succ_ptr[j], net.succ_ptr[j + 1]):
            li = net.succ_link[q]
            s = net.link_to[li]
            L = net.lag[li] + net.lag_percent[li] * dj
            v = (ls[:, s] - L, ls[:, s] - L + dj, lf[:, s] - L, lf[:, s] - L + dj)[
                net.link_type[li]]
            best = np.where(v < best, v, best)
        c, co = net.constraint_type[j], net.constraint_offset[j]
        if c == 2:
            best = np.minimum(best, co + dj)
        elif c == 4:
            best = np.minimum(best, co)
        elif c == 5:
            best = co + dj
        elif c == 6:
            best = np.full(nc, co)
        lf[:, j] = best
        ls[:, j] = best - dj
    tf = ls - es
    level = np.maximum(0.0, tf.min(axis=1)) + EPS
    crit = exists & (tf <= level[:, None])
    view["finish"][:] = fin
    view["cost"][:] = cost
    xk = d - inp.d0[None, :]
    y = fin - inp.t0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(d + tf > 0.0, d / (d + tf) * fin[:, None], 0.0)
    b = np.minimum(np.maximum(((fin - inp.bin_lo) / inp.bin_w).astype(np.int64), 0),
                   out.nb - 1)
    stoch = np.flatnonzero(inp.ucol >= 0)
    for p in range(PARTS):
        sl = slice(bounds[p], bounds[p + 1])
        out.crit[p] += crit[sl].sum(axis=0)
        _seqsum(out.sx[p], xk[sl])
        _seqsum(out.sxx[p], xk[sl] * xk[sl])
        _seqsum(out.sxy[p], xk[sl] * y[sl, None])
        _seqsum(out.ssi[p], ratio[sl])
        _seqsum(out.ses[p], es[sl] - inp.es0[None, :])
        bp = b[sl]
        for k in stoch:
            uk = inp.u[inp.ucol[k], sl]
            _seqsum(out.su[p, k:k + 1], uk[:, None])
            _seqsum(out.suu[p, k:k + 1], (uk * uk)[:, None])
            np.add.at(out.ubin[p, k], bp, uk)
            np.add.at(out.hlo[p, k], bp[uk < 0.1], 1)
            np.add.at(out.hhi[p, k], bp[uk >= 0.9], 1)
    view["d_keep"][:inp.nkeep] = d[:inp.nkeep]
    if inp.store:
        view["es"][:] = es
        view["ef"][:] = ef
