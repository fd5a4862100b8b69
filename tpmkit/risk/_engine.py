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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from tpmkit.risk.distributions import ppf_numpy, ppf_one

__all__: list[str] = []

EPS = 1e-9  # float tolerance of the critical test, as in tpmkit.cpm


@dataclass(eq=False)
class Inputs:
    """Everything one chunk needs besides the network and the sampler."""

    u: np.ndarray           # (C, Ks) uniforms of the stochastic tasks
    ucol: np.ndarray        # (K,) column of task k in u, -1 when fixed
    x: np.ndarray           # (C, Kx) uniforms deciding branch existence
    xcol: np.ndarray        # (K,) column in x, -1 when the task always exists
    xp: np.ndarray          # (K,) existence probability
    ro: np.ndarray          # (C, R) occurrence uniforms of the risk events
    ri: np.ndarray          # (C, R) impact uniforms
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

    The kernel adds to the totals in iteration order; the per-iteration arrays are
    sliced per chunk with :meth:`view`.
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

    def __post_init__(self) -> None:
        k, n = self.k, self.n
        self.finish, self.cost = np.zeros(n), np.zeros(n)
        self.crit = np.zeros(k, np.int64)
        for name in ("sx", "sxx", "sxy", "ssi", "ses", "su", "suu"):
            setattr(self, name, np.zeros(k))
        self.ubin = np.zeros((k, self.nb))
        self.hlo = np.zeros((k, self.nb), np.int64)
        self.hhi = np.zeros((k, self.nb), np.int64)
        self.rocc = np.zeros(self.r, np.int64)
        self.d_keep = np.zeros((self.keep_rows, k))
        shape = (n, k) if self.store else (0, k)
        self.es, self.ef = np.zeros(shape), np.zeros(shape)

    def view(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Per-iteration arrays of iterations ``start:stop``."""
        store = slice(start, stop) if self.store else slice(0, 0)
        return {"finish": self.finish[start:stop], "cost": self.cost[start:stop],
                "d_keep": self.d_keep[min(start, self.keep_rows):],
                "es": self.es[store], "ef": self.ef[store]}


@njit(cache=True, nogil=True)
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


@njit(cache=True, nogil=True)
def _chunk(order, pred_ptr, pred_link, succ_ptr, succ_link, link_from, link_to, link_type,
           lag, lag_pct, ctype, coff,
           code, par, tab, q_lo, s_lo, q_mid, s_mid, q_hi, s_hi, emp_ptr, emp_val,
           u, ucol, x, xcol, xp, ro, ri, r_prob, r_unit, r_imp, r_cost, r_ptr, r_task, aff,
           cfix, rate, d0, es0, t0, bin_lo, bin_w, nkeep, store,
           o_finish, o_cost, o_crit, o_sx, o_sxx, o_sxy, o_ssi, o_ses, o_su, o_suu, o_ubin,
           o_hlo, o_hhi, o_rocc, o_dkeep, o_es, o_ef):  # pragma: no cover - compiled
    n = order.shape[0]
    nc = u.shape[0]
    nr = r_prob.shape[0]
    nb = o_ubin.shape[1]
    d = np.zeros(n)
    base = np.zeros(n)
    add = np.zeros(n)
    exists = np.ones(n, dtype=np.bool_)
    es = np.zeros(n)
    ef = np.zeros(n)
    ls = np.zeros(n)
    lf = np.zeros(n)
    for i in range(nc):
        # durations
        for k in range(n):
            c = ucol[k]
            if c >= 0:
                base[k] = ppf_one(k, u[i, c], code, par, tab, q_lo, s_lo, q_mid, s_mid,
                                  q_hi, s_hi, emp_ptr, emp_val)
            else:
                base[k] = par[k, 0]
            d[k] = base[k]
        cost = 0.0
        # risk events
        for a in range(aff.shape[0]):
            add[aff[a]] = 0.0
        delay = 0.0  # schedule impacts of risks that name no task delay the finish
        for r in range(nr):
            if ro[i, r] < r_prob[r]:
                o_rocc[r] += 1
                if r_unit[r] > 0:
                    imp = _tri(ri[i, r], r_imp[r])
                    if r_ptr[r] == r_ptr[r + 1]:
                        delay += imp
                    for q in range(r_ptr[r], r_ptr[r + 1]):
                        t = r_task[q]
                        if r_unit[r] == 1:
                            add[t] += imp
                        else:
                            add[t] += imp / 100.0 * base[t]
        for a in range(aff.shape[0]):
            t = aff[a]
            d[t] = max(base[t] + add[t], 0.0)
        # probabilistic branches
        for k in range(n):
            c = xcol[k]
            exists[k] = True
            if c >= 0 and x[i, c] >= xp[k]:
                exists[k] = False
                d[k] = 0.0
        # cost: fixed + rate × duration, then risk costs
        for k in range(n):
            if exists[k]:
                cost += cfix[k] + rate[k] * d[k]
        for r in range(nr):
            if ro[i, r] < r_prob[r]:
                cost += _tri(ri[i, r], r_cost[r])
        # forward pass (the PDM rules of tpmkit.cpm)
        fin = -np.inf
        for kk in range(n):
            j = order[kk]
            dj = d[j]
            best = 0.0
            for q in range(pred_ptr[j], pred_ptr[j + 1]):
                li = pred_link[q]
                p = link_from[li]
                L = lag[li] + lag_pct[li] * d[p]
                t = link_type[li]
                if t == 0:
                    v = ef[p] + L
                elif t == 1:
                    v = es[p] + L
                elif t == 2:
                    v = ef[p] + L - dj
                else:
                    v = es[p] + L - dj
                if v > best:
                    best = v
            c = ctype[j]
            if c == 1:
                if coff[j] > best + EPS:
                    best = coff[j]
            elif c == 3:
                if coff[j] - dj > best + EPS:
                    best = coff[j] - dj
            elif c == 5:
                best = coff[j]
            elif c == 6:
                best = coff[j] - dj
            es[j] = best
            ef[j] = best + dj
            if ef[j] > fin:
                fin = ef[j]
        fin = fin + delay
        # backward pass from this iteration's finish
        for kk in range(n - 1, -1, -1):
            j = order[kk]
            dj = d[j]
            best = fin
            for q in range(succ_ptr[j], succ_ptr[j + 1]):
                li = succ_link[q]
                s = link_to[li]
                L = lag[li] + lag_pct[li] * dj
                t = link_type[li]
                if t == 0:
                    v = ls[s] - L
                elif t == 1:
                    v = ls[s] - L + dj
                elif t == 2:
                    v = lf[s] - L
                else:
                    v = lf[s] - L + dj
                if v < best:
                    best = v
            c = ctype[j]
            if c == 2:
                best = min(best, coff[j] + dj)
            elif c == 4:
                best = min(best, coff[j])
            elif c == 5:
                best = coff[j] + dj
            elif c == 6:
                best = coff[j]
            lf[j] = best
            ls[j] = best - dj
        mintf = np.inf
        for k in range(n):
            tf = ls[k] - es[k]
            if tf < mintf:
                mintf = tf
        level = max(0.0, mintf) + EPS
        o_finish[i] = fin
        o_cost[i] = cost
        y = fin - t0
        b = int((fin - bin_lo) / bin_w)
        b = min(max(b, 0), nb - 1)
        for k in range(n):
            tf = ls[k] - es[k]
            dk = d[k]
            if exists[k] and tf <= level:
                o_crit[k] += 1
            xk = dk - d0[k]
            o_sx[k] += xk
            o_sxx[k] += xk * xk
            o_sxy[k] += xk * y
            if dk + tf > 0.0:
                o_ssi[k] += dk / (dk + tf) * fin
            o_ses[k] += es[k] - es0[k]
            c = ucol[k]
            if c >= 0:
                uk = u[i, c]
                o_su[k] += uk
                o_suu[k] += uk * uk
                o_ubin[k, b] += uk
                if uk < 0.1:
                    o_hlo[k, b] += 1
                elif uk >= 0.9:
                    o_hhi[k, b] += 1
        if i < nkeep:
            for k in range(n):
                o_dkeep[i, k] = d[k]
        if store:
            for k in range(n):
                o_es[i, k] = es[k]
                o_ef[i, k] = ef[k]


def run_chunk(net, smp, inp: Inputs, out: Outputs, start: int, compiled: bool = True) -> None:
    """Run the iterations ``start:start + len(inp.u)`` with the compiled kernel or numpy."""
    v = out.view(start, start + inp.u.shape[0])
    args = (net.order, net.pred_ptr, net.pred_link, net.succ_ptr, net.succ_link,
            net.link_from, net.link_to, net.link_type, net.lag, net.lag_percent,
            net.constraint_type, net.constraint_offset)
    if compiled:
        _chunk(*args, smp.code, smp.par, smp.tab, smp.q_lo, smp.s_lo, smp.q_mid, smp.s_mid,
               smp.q_hi, smp.s_hi, smp.emp_ptr, smp.emp_val,
               inp.u, inp.ucol, inp.x, inp.xcol, inp.xp, inp.ro, inp.ri, inp.r_prob,
               inp.r_unit, inp.r_imp, inp.r_cost, inp.r_ptr, inp.r_task, inp.aff,
               inp.cfix, inp.rate, inp.d0, inp.es0, inp.t0, inp.bin_lo, inp.bin_w,
               inp.nkeep, inp.store,
               v["finish"], v["cost"], out.crit, out.sx, out.sxx, out.sxy, out.ssi, out.ses,
               out.su, out.suu, out.ubin, out.hlo, out.hhi, out.rocc, v["d_keep"], v["es"],
               v["ef"])
    else:
        _chunk_numpy(net, smp, inp, out, v)


def _seqsum(total: np.ndarray, a: np.ndarray) -> None:
    """Add the rows of ``a`` to ``total`` one after another (the compiled loop's order)."""
    total[...] = np.cumsum(np.concatenate([total[None, ...], a]), axis=0)[-1]


def _chunk_numpy(net, smp, inp: Inputs, out: Outputs, view: dict) -> None:
    """The reference path: the same arithmetic as ``_chunk``, vectorised over iterations."""
    n = net.n_tasks
    nc = inp.u.shape[0]
    base = np.empty((nc, n))
    for k in range(n):
        c = inp.ucol[k]
        base[:, k] = ppf_numpy(k, inp.u[:, c], smp) if c >= 0 else smp.par[k, 0]
    d = base.copy()
    occ = inp.ro < inp.r_prob[None, :]
    out.rocc += occ.sum(axis=0)
    add = np.zeros((nc, n))
    delay = np.zeros(nc)
    for r in range(len(inp.r_prob)):
        if inp.r_unit[r] == 0:
            continue
        imp = np.where(occ[:, r], _tri_np(inp.ri[:, r], inp.r_imp[r]), 0.0)
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
            exists[:, k] = ~(inp.x[:, c] >= inp.xp[k])
            d[:, k] = np.where(exists[:, k], d[:, k], 0.0)
    cost = np.zeros(nc)
    for k in range(n):
        cost = np.where(exists[:, k], cost + (inp.cfix[k] + inp.rate[k] * d[:, k]), cost)
    for r in range(len(inp.r_prob)):
        cost = np.where(occ[:, r], cost + _tri_np(inp.ri[:, r], inp.r_cost[r]), cost)
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
    out.crit += crit.sum(axis=0)
    xk = d - inp.d0[None, :]
    y = fin - inp.t0
    _seqsum(out.sx, xk)
    _seqsum(out.sxx, xk * xk)
    _seqsum(out.sxy, xk * y[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(d + tf > 0.0, d / (d + tf) * fin[:, None], 0.0)
    _seqsum(out.ssi, ratio)
    _seqsum(out.ses, es - inp.es0[None, :])
    b = np.minimum(np.maximum(((fin - inp.bin_lo) / inp.bin_w).astype(np.int64), 0),
                   out.nb - 1)
    for k in np.flatnonzero(inp.ucol >= 0):
        uk = inp.u[:, inp.ucol[k]]
        _seqsum(out.su[k:k + 1], uk[:, None])
        _seqsum(out.suu[k:k + 1], (uk * uk)[:, None])
        np.add.at(out.ubin[k], b, uk)
        np.add.at(out.hlo[k], b[uk < 0.1], 1)
        np.add.at(out.hhi[k], b[uk >= 0.9], 1)
    view["d_keep"][:inp.nkeep] = d[:inp.nkeep]
    if inp.store:
        view["es"][:] = es
        view["ef"][:] = ef
