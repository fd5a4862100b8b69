"""The Monte Carlo engine: one chunk of iterations, compiled (numba) and numpy reference.

Both paths take the same inputs and fill the same outputs with the same floating-point
operations in the same order, so their results are bit-identical; the tests check that.
The task uniforms are either drawn inside the kernel from the counter-based generator of
:mod:`tpmkit.risk._random` (plain sampling: the value of task k in iteration i is a pure
function of the key, k and i, so no iterations × tasks matrix is ever stored) or, for Latin
hypercube sampling and Iman–Conover correlation, drawn by numpy and passed in.

Per iteration: sample every duration by its quantile function, add the risk events, drop
absent branches, run the PDM forward pass, the backward pass from this iteration's finish,
and update the streaming statistics: criticality counts, duration moments and cross
moments with the finish, significance-index sums, mean early starts (float sums, each
block of iterations halved pairwise down to ``LANES`` partial sums), and per finish bin the
sums of each task's uniform and the counts of its lowest and highest decile (streaming
rank correlation and tornado; exact integer sums of the uniforms in fixed point).

Each chunk is cut into ``PARTS`` fixed contiguous parts of iterations; the compiled path
runs the parts on numba's thread pool (``prange``), each into its own row of every
accumulator, and :meth:`Outputs.merge` adds the rows in a fixed order at the end. The
partition depends only on the chunk length, and the blocks only on the number of tasks,
never on the number of threads; the numpy reference sums the same parts and blocks in the
same order, so results stay bit-identical and reproducible on any machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from tpmkit._core import jit, pdm
from tpmkit._core.codes import EPS, ConstraintType
from tpmkit._core.jit import HAVE_NUMBA, njit, prange
from tpmkit.risk import _calendars
from tpmkit.risk._random import fill_uniforms, uniforms
from tpmkit.risk.distributions import ppf_numpy, ppf_row

__all__: list[str] = []

SCRATCH = 1 << 22  # elements per scratch array of the kernel (≤ 32 MB each)
PARTS = 4  # fixed partition of every chunk's iterations (threads run whole parts)
LANES = 8  # partial sums per task and part of the float statistics
Q_BITS = 31  # fixed point of the uniforms in the per-bin statistics: q = ⌊u·2^31⌋
Q_ONE = float(1 << Q_BITS)
Q_LO = int(0.1 * Q_ONE)  # q < Q_LO: the task's lowest decile (tornado)
Q_HI = int(0.9 * Q_ONE)  # q ≥ Q_HI: its highest decile
Q_MASK = (1 << 40) - 1


def block_length(n: int) -> int:
    """Iterations per block of the compiled kernel for ``n`` tasks (≤ 32 MB per scratch
    array, at most 256: larger blocks cost more than their per-task overhead saves)."""
    return max(LANES, min(256, SCRATCH // max(n, 1)) // LANES * LANES)


def part_bounds(rows: int) -> np.ndarray:
    """Iteration bounds of the ``PARTS`` contiguous parts of a chunk of ``rows`` iterations.

    The partition depends only on ``rows``, never on the number of threads, so the
    per-part sums and hence the merged totals are reproducible on any machine.
    """
    return np.array([rows * p // PARTS for p in range(PARTS + 1)], np.int64)


@dataclass(eq=False)
class Inputs:
    """Everything one chunk needs besides the network and the sampler."""

    rows: int               # C, iterations of this chunk
    start: int              # index of the chunk's first iteration in the run
    key: np.uint64          # key of the counter-based task uniforms (when ``u`` has no rows)
    u: np.ndarray           # (Ks, C) given uniforms of the stochastic tasks, or (0, C):
                            # then the kernel draws them (``_random``, stream = task index)
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
    ef0: np.ndarray         # (K,) the same for the early finishes (summed on calendars)
    t0: float               # shift for the finish (deterministic finish)
    bin_lo: float
    bin_w: float
    nkeep: int              # rows of this chunk to keep in d_keep
    store: bool             # keep ES/EF of every task
    rel_start: np.ndarray = field(default_factory=lambda: np.zeros(0))   # (K,) or (0,):
    rel_finish: np.ndarray = field(default_factory=lambda: np.zeros(0))  # release and due
    due_start: np.ndarray = field(default_factory=lambda: np.zeros(0))   # bounds of a
    due_finish: np.ndarray = field(default_factory=lambda: np.zeros(0))  # status date
    fixed: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (K,): NaN for completed
                            # tasks (no float, never critical), else 0; or (0,)
    cal: dict | None = None  # tasks on their own calendars: _calendars.calendar_inputs();
                            # the bounds above are then instants


@dataclass(eq=False)
class Outputs:
    """Running totals over all chunks plus the per-iteration arrays of the whole run.

    Every accumulator has a leading axis of ``PARTS``: part ``p`` of every chunk adds to
    row ``p`` in iteration order, and :meth:`merge` adds the rows in the fixed order
    0, 1, …, so the totals do not depend on which thread ran which part. The float sums
    (``sx`` … ``ses``) also have a trailing axis of ``LANES`` partial sums (each block of
    iterations is summed pairwise down to ``LANES`` values, :func:`_tree_add`), added in
    lane order by :meth:`merge`. ``ubin`` holds each task's uniform in fixed point summed
    per finish bin, then its total and the total of its square (exact integers; the float
    ``ubin``, ``su`` and ``suu`` after the merge); ``hist`` counts the finish bins of the
    iterations whose uniform is in the lowest and in the highest decile (``hlo`` and ``hhi``
    after the merge). The per-iteration arrays are sliced per chunk with :meth:`view`.
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
    sef: np.ndarray = field(init=False)  # on calendars: Σ(EF − EF_det) (else EF = ES + d)
    ubin: np.ndarray = field(init=False)
    hist: np.ndarray = field(init=False)
    rocc: np.ndarray = field(init=False)
    d_keep: np.ndarray = field(init=False)
    es: np.ndarray = field(init=False)
    ef: np.ndarray = field(init=False)
    su: np.ndarray | None = field(init=False, default=None)   # after merge: Σu, Σu²
    suu: np.ndarray | None = field(init=False, default=None)
    hlo: np.ndarray | None = field(init=False, default=None)  # after merge: hist classes
    hhi: np.ndarray | None = field(init=False, default=None)
    work: np.ndarray | None = field(init=False, default=None)  # kernel scratch per part
    wex: np.ndarray | None = field(init=False, default=None)
    vec: np.ndarray | None = field(init=False, default=None)
    ibuf: np.ndarray | None = field(init=False, default=None)
    occ: np.ndarray | None = field(init=False, default=None)

    _SUMS = ("sx", "sxx", "sxy", "ssi", "ses", "sef")

    def __post_init__(self) -> None:
        k, n = self.k, self.n
        self.finish, self.cost = np.zeros(n), np.zeros(n)
        P = PARTS
        self.crit = np.zeros((P, k), np.int64)
        for name in self._SUMS:
            setattr(self, name, np.zeros((P, k, LANES)))
        # Σq per bin, then the totals Σq and Σ⌊q²/2^31⌋; per bin the counts of q < Q_LO
        # and of q ≥ Q_HI
        self.ubin = np.zeros((P, k, self.nb + 2), np.int64)
        self.hist = np.zeros((P, k, 2 * self.nb), np.int64)
        self.rocc = np.zeros((P, self.r), np.int64)
        self.d_keep = np.zeros((self.keep_rows, k))
        shape = (n, k) if self.store else (0, k)
        self.es, self.ef = np.zeros(shape), np.zeros(shape)

    def merge(self) -> None:
        """Replace each per-part accumulator by its total (rows added in order 0, 1, …).

        Called once at the end of a run; also releases the kernel scratch.
        """
        self.work = self.wex = self.vec = self.ibuf = self.occ = None
        if self.su is not None:  # already merged
            return
        for name in ("crit", "ubin", "hist", "rocc") + self._SUMS:
            a = getattr(self, name)
            if name in self._SUMS:  # parts × lanes, in order
                a = a.transpose(0, 2, 1).reshape(-1, self.k)
            total = a[0].copy()
            for p in range(1, a.shape[0]):
                total += a[p]
            setattr(self, name, total)
        nb = self.nb
        ub = self.ubin / Q_ONE  # exact integer sums → Σu per bin, Σu, Σu²
        self.su, self.suu = ub[:, nb], ub[:, nb + 1]
        self.ubin = ub[:, :nb]
        self.hlo, self.hhi = self.hist[:, :nb], self.hist[:, nb:]

    def view(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Per-iteration arrays of iterations ``start:stop``."""
        store = slice(start, stop) if self.store else slice(0, 0)
        return {"finish": self.finish[start:stop], "cost": self.cost[start:stop],
                "d_keep": self.d_keep[min(start, self.keep_rows):],
                "es": self.es[store], "ef": self.ef[store]}


@njit(cache=True, nogil=True, inline="always", lazy=True)
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


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False, lazy=True)
def _tree_add(acc, x, m):  # pragma: no cover - compiled
    """Add the ``m`` values of ``x`` into the ``LANES`` partial sums ``acc`` (x is scratch).

    Pairwise halving (``x[i] += x[i + h]``) until at most ``LANES`` values are left, which
    are added to ``acc[0:m]``: each step is a vectorised loop, where one running sum would
    be a chain of dependent additions. The order is fixed by ``m``, so the numpy reference
    (:func:`_treeseq`) reproduces it.
    """
    while m > LANES:
        h = (m + 1) // 2
        for i in range(m - h):
            x[i] += x[i + h]
        m = h
    for i in range(m):
        acc[i] += x[i]


@njit(cache=True, nogil=True, inline="always", lazy=True)
def _terms(i, dj, esj, tf, dj0, esj0, fin, t0, ta, tb, tc, td, te):  # pragma: no cover
    """The per-iteration terms of the float sums of one task (duration, ES, float)."""
    xj = dj - dj0
    ta[i] = xj
    tb[i] = xj * xj
    tc[i] = xj * (fin - t0)
    tot = dj + tf
    td[i] = dj / tot * fin if tot > 0.0 else 0.0
    te[i] = esj - esj0


# long function: one fused loop per block keeps a draw's data in registers/L1 (splitting it costs speed)
@njit(cache=True, nogil=True, error_model="numpy", _nrt=False, lazy=True)
def _chunk(lo, hi, work, wex, vec, ibuf, occ, order, pred_ptr, pred_link, succ_ptr, succ_link,
           link_from, link_to, link_type, lag, lag_pct, ctype, coff, rel_s, rel_f, due_s, due_f,
           fixed, tcal, lcal, cptr, ca, cb, cc, tunit, punit, code, par, tab, q_lo, s_lo,
           q_mid, s_mid, q_hi, s_hi, emp_ptr, emp_val, key, start, u, ucol, x, xcol, xp, branch, ro, ri, r_prob, r_unit, r_imp, r_cost,
           r_ptr, r_task, aff, costly, cfix, rate, d0, es0, ef0, t0, bin_lo, bin_w, nkeep,
           store, o_finish, o_cost, o_crit, o_sx, o_sxx, o_sxy, o_ssi, o_ses, o_sef, o_ubin,
           o_hist, o_rocc, o_dkeep, o_es, o_ef):  # pragma: no cover - compiled
    # Tasks outside, a block of iterations inside: the passes run over contiguous rows of
    # m ≤ bs iterations (vectorised max/min), and the working set stays in cache.
    # Hot loops index 1-d row views (``dj_ = d[j]``): 2-d indexing makes numba's
    # negative-index wrap-around turn the loads into gathers, and the loops do not
    # vectorise. Compiled without reference counting (``_nrt=False``): a view then costs
    # nothing, and nothing here allocates (all scratch comes from the caller).
    # Only d (durations), es (early starts) and lf (late finishes) are kept per task:
    # EF = ES + d and LS = LF − d are recomputed where needed with the same operation, so
    # the values are those of tpmkit.cpm bit for bit; once the backward pass has visited a
    # task its es row holds the total float instead.
    n = order.shape[0]
    nr = r_prob.shape[0]
    nb = o_hist.shape[1] // 2
    bs = max(1, min(hi - lo, work.shape[2]))  # iterations per block (block_length); ≥ 1 for an empty part
    base = work[0]  # scratch of this part, allocated once per run (no page faults)
    # tasks on their own calendars (tcal not empty): the passes run per iteration on the
    # time axis of tpmkit._core.worktime (pdm.forward_task_cal / backward_task_cal, the
    # steps of tpmkit.cpm's calendar passes); times are instants, durations working
    # minutes (dm), and lag, lag_pct, coff and the bounds come in minutes and instants. The
    # statistics stay in working days: ES and the finish as offsets of the project
    # calendar (calendar 0, punit minutes a day), floats in days of the task's calendar.
    calm = tcal.shape[0] > 0
    # no risk or branch alters a duration: each task is sampled in the forward pass
    plain = aff.shape[0] == 0 and x.shape[0] == 0 and not calm
    bounded = rel_s.shape[0] > 0  # a status date: release and due bounds per task
    branchy = branch.shape[0] > 0
    # draw the task uniforms here (counter-based), into the spare row vec[9]; they are
    # drawn again for the statistics below, which is cheaper than storing them
    gen = u.shape[0] == 0
    d = base if plain else work[1]
    es = work[2]
    lf = work[3]  # on calendars: the late-finish bounds (backward_task_cal)
    ef = work[4 if calm else 3]  # on calendars: EF, LS and the durations in minutes
    ls = work[5 if calm else 3]
    dm = work[6 if calm else 3]
    exists = wex
    best = vec[0]
    fin = vec[1]
    cost = vec[2]
    delay = vec[3]
    level = vec[4]
    ta = vec[5]
    tb = vec[6]
    tc = vec[7]
    td = vec[8]
    te = vec[9]
    fint = vec[10]  # on calendars: the finish instant of each iteration
    bins = ibuf[0]  # finish bin of each iteration of the block
    qa = ibuf[1]    # a task's uniforms in fixed point (u · 2^31, truncated)
    loc = ibuf[2]   # a task's per-bin sums of qa in this block
    for i0 in range(lo, hi, bs):
        m = min(bs, hi - i0)
        # durations by the quantile functions (when no risk or branch alters a duration,
        # each task is sampled in the forward pass instead, while its row is in the cache)
        for k in range(0 if plain else n):
            bk = base[k]
            c = ucol[k]
            if c >= 0 and gen:
                fill_uniforms(key, k, start + i0, m, vec[9])
                ppf_row(k, vec, 9, 0, m, base, code, par, tab, q_lo, s_lo, q_mid, s_mid,
                        q_hi, s_hi, emp_ptr, emp_val)
            elif c >= 0:
                ppf_row(k, u, c, i0, m, base, code, par, tab, q_lo, s_lo, q_mid, s_mid, q_hi,
                        s_hi, emp_ptr, emp_val)
            else:
                for i in range(m):
                    bk[i] = par[k, 0]
            dk_ = d[k]
            for i in range(m):
                dk_[i] = bk[i]
        # risk events: extra days (or percent of the sampled duration) on the tasks hit
        for a in range(aff.shape[0]):
            ea = es[aff[a]]
            for i in range(m):
                ea[i] = 0.0  # es doubles as the "added days" buffer here
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
        for a in range(branch.shape[0]):
            k = branch[a]
            c = xcol[k]
            for i in range(m):
                exists[k, i] = not (x[c, i0 + i] >= xp[k])
                if not exists[k, i]:
                    d[k, i] = 0.0
        # forward pass (the PDM rules of tpmkit._core.pdm, as in tpmkit.cpm); the row
        # functions dispatch the link type and constraint outside the loops over
        # iterations, so that those loops vectorise
        for i in range(m):
            fin[i] = -np.inf
        if calm:
            _calendars.forward_block(m, n, d, dm, es, ef, fin, fint, delay, order, pred_ptr,
                                     pred_link, link_from, link_type, lag, lag_pct, ctype,
                                     coff, rel_s, rel_f, tcal, lcal, cptr, ca, cb, cc, tunit,
                                     punit, store, i0, o_es, o_ef)
        for kk in range(0 if calm else n):
            j = order[kk]
            dj_ = d[j]
            esj_ = es[j]
            if plain:
                c = ucol[j]
                if c >= 0 and gen:
                    fill_uniforms(key, j, start + i0, m, vec[9])
                    ppf_row(j, vec, 9, 0, m, base, code, par, tab, q_lo, s_lo, q_mid, s_mid,
                            q_hi, s_hi, emp_ptr, emp_val)
                elif c >= 0:
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
                pdm.forward_links_row(link_type[li], es[p], d[p], dj_, lag[li], lag_pct[li],
                                      best, m)
            pdm.start_constraint_row(ctype[j], coff[j], dj_, best, m)
            if bounded:
                pdm.release_row(rel_s[j], rel_f[j], dj_, best, m)
            for i in range(m):
                esj_[i] = best[i]
                e = best[i] + dj_[i]
                fin[i] = e if e > fin[i] else fin[i]
            if store:
                for i in range(m):
                    o_es[i0 + i, j] = esj_[i]
                    o_ef[i0 + i, j] = esj_[i] + dj_[i]
        if not calm:
            for i in range(m):
                fin[i] = fin[i] + delay[i]
        # cost: fixed + rate × duration of the tasks that happen, then the risk costs
        # (tasks without cost add exactly 0.0 in the reference path: skipped here)
        for a in range(costly.shape[0]):
            k = costly[a]
            dk_ = d[k]
            if branchy:
                exk = exists[k]
                for i in range(m):
                    if exk[i]:
                        cost[i] += cfix[k] + rate[k] * dk_[i]
            else:
                for i in range(m):
                    cost[i] += cfix[k] + rate[k] * dk_[i]
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
            esj_ = es[j]
            if calm:  # best := the float, es and ef rows := ES and EF − EF_det offsets
                _calendars.backward_block(j, m, dm, es, ef, ls, lf, best, fint, succ_ptr,
                                          succ_link, link_to, link_type, lag, lag_pct, ctype,
                                          coff, due_s, due_f, tcal, lcal, cptr, ca, cb, cc,
                                          tunit, punit, ef0[j])
            else:
                for i in range(m):
                    best[i] = fin[i]
                for q in range(succ_ptr[j], succ_ptr[j + 1]):
                    li = succ_link[q]
                    s = link_to[li]
                    pdm.backward_links_row(link_type[li], lf[s], d[s], dj_, lag[li],
                                           lag_pct[li], best, m)
                pdm.finish_constraint_row(ctype[j], coff[j], dj_, best, m)
                if bounded:
                    pdm.due_row(due_s[j], due_f[j], dj_, best, m)
            # the float, and the per-iteration terms of the sums that do not need the
            # criticality level, while this task's rows are in the L1 cache
            dj0 = d0[j]
            esj0 = es0[j]
            skip = fixed[j] if bounded else 0.0  # NaN: a completed task has no float
            if calm:
                for i in range(m):
                    tf = best[i] + skip
                    _terms(i, dj_[i], esj_[i], tf, dj0, esj0, fin[i], t0, ta, tb, tc, td, te)
                    esj_[i] = tf  # es row := total float (ES is no longer needed)
                    level[i] = tf if tf < level[i] else level[i]
            else:
                for i in range(m):
                    lfj_[i] = best[i]
                    dj = dj_[i]
                    esj = esj_[i]
                    tf = (best[i] - dj) - esj + skip
                    _terms(i, dj, esj, tf, dj0, esj0, fin[i], t0, ta, tb, tc, td, te)
                    esj_[i] = tf  # es row := total float (ES is no longer needed)
                    level[i] = tf if tf < level[i] else level[i]
            _tree_add(o_sx[j], ta, m)
            _tree_add(o_sxx[j], tb, m)
            _tree_add(o_sxy[j], tc, m)
            _tree_add(o_ssi[j], td, m)
            _tree_add(o_ses[j], te, m)
            if calm:  # the ef row holds EF − EF_det (offsets) after backward_block
                _tree_add(o_sef[j], ef[j], m)
        for i in range(m):
            level[i] = max(0.0, level[i]) + EPS
            o_finish[i0 + i] = fin[i]
            o_cost[i0 + i] = cost[i]
            b = int((fin[i] - bin_lo) / bin_w)
            bins[i] = min(max(b, 0), nb - 1)
        # criticality; per finish bin the sum of the task's uniform u and the counts of
        # u < 0.1 and u ≥ 0.9, and the totals of u and u² (streaming rank correlation,
        # tornado). These use u in fixed point (q = ⌊u·2^31⌋) so that the sums are exact
        # integers: no chain of dependent float additions, and any order gives the same bits.
        for k in range(n):
            tfk = es[k]
            ck = 0
            if branchy:
                exk = exists[k]
                for i in range(m):
                    ck += exk[i] & (tfk[i] <= level[i])
            else:
                for i in range(m):
                    ck += tfk[i] <= level[i]
            o_crit[k] += ck
            c = ucol[k]
            if c >= 0:
                if gen:  # the same counter-based values as in the sampling above
                    fill_uniforms(key, k, start + i0, m, te)
                ur = te[:m] if gen else u[c, i0:i0 + m]
                sq = 0
                sq2 = 0
                for i in range(m):  # integer sums: they vectorise
                    q = np.int64(ur[i] * Q_ONE)
                    sq += q
                    sq2 += (q * q) >> Q_BITS
                    # one word per iteration: q (< 2^31, so < 2^39 summed over a block of
                    # ≤ 256), and the decile flags at bits 40 and 50 (counts ≤ 256)
                    qa[i] = q + (np.int64(q < Q_LO) << 40) + (np.int64(q >= Q_HI) << 50)
                ubk = o_ubin[k]
                ubk[nb] += sq
                ubk[nb + 1] += sq2
                # one scattered add per iteration into a small table in the L1 cache, then
                # one pass over the task's accumulator rows (which are not in it)
                for b in range(nb):
                    loc[b] = 0
                for i in range(m):
                    loc[bins[i]] += qa[i]
                hk = o_hist[k]
                for b in range(nb):
                    w = loc[b]
                    ubk[b] += w & Q_MASK
                    hk[b] += (w >> 40) & 1023
                    hk[nb + b] += w >> 50
        if nkeep > i0:
            for i in range(min(m, nkeep - i0)):
                for k in range(n):
                    o_dkeep[i0 + i, k] = d[k, i]


@njit(cache=True, nogil=True, parallel=True, lazy=True)
def _chunk_parts(bounds, work, wex, vec, ibuf, occ, order, pred_ptr, pred_link, succ_ptr,
                 succ_link, link_from, link_to, link_type, lag, lag_pct, ctype, coff, rel_s,
                 rel_f, due_s, due_f, fixed, tcal, lcal, cptr, ca, cb, cc, tunit, punit, code,
                 par, tab, q_lo, s_lo, q_mid, s_mid, q_hi, s_hi, emp_ptr, emp_val,
                 key, start, u, ucol, x, xcol, xp, branch, ro, ri, r_prob, r_unit, r_imp,
                 r_cost, r_ptr, r_task, aff, costly, cfix, rate, d0, es0, ef0, t0, bin_lo,
                 bin_w, nkeep, store, o_finish, o_cost, o_crit, o_sx, o_sxx, o_sxy, o_ssi,
                 o_ses, o_sef, o_ubin, o_hist, o_rocc, o_dkeep, o_es,
                 o_ef):  # pragma: no cover - compiled
    # one part per task of the thread pool; each part owns row p of every accumulator
    # and a disjoint range of the per-iteration outputs, so no two threads write the
    # same memory
    for p in prange(bounds.shape[0] - 1):
        _chunk(bounds[p], bounds[p + 1], work[p], wex[p], vec[p], ibuf[p], occ[p], order,
               pred_ptr, pred_link, succ_ptr, succ_link, link_from, link_to, link_type, lag,
               lag_pct, ctype, coff, rel_s, rel_f, due_s, due_f, fixed, tcal, lcal, cptr, ca,
               cb, cc, tunit, punit, code, par, tab, q_lo, s_lo, q_mid, s_mid, q_hi, s_hi,
               emp_ptr, emp_val, key, start, u, ucol, x, xcol, xp, branch, ro, ri, r_prob,
               r_unit, r_imp, r_cost, r_ptr, r_task, aff, costly, cfix, rate, d0, es0, ef0,
               t0, bin_lo, bin_w, nkeep, store, o_finish, o_cost, o_crit[p], o_sx[p],
               o_sxx[p], o_sxy[p], o_ssi[p], o_ses[p], o_sef[p], o_ubin[p], o_hist[p], o_rocc[p],
               o_dkeep, o_es, o_ef)


#: The calendar arguments of the kernel for a plan in whole days of one calendar.
_NO_CAL = (*pdm.NO_CALENDARS, np.zeros(0), 1.0)


#: Task-iterations of a simulation from which the compiled kernel runs while numba is not
#: loaded yet: a smaller run takes the numpy reference path (the same results), which costs
#: less than importing numba and loading its cached machine code (~0.5-1 s).
COMPILE_ABOVE_CELLS = 500_000


def worth_compiling(cells: int) -> bool:
    """Whether a simulation of ``cells`` task-iterations runs the compiled kernel."""
    return HAVE_NUMBA and (jit.loaded() or cells >= COMPILE_ABOVE_CELLS)


def run_chunk(net, smp, inp: Inputs, out: Outputs, start: int, compiled: bool = True) -> None:
    """Run the iterations ``start:start + inp.rows`` (compiled kernel or numpy).

    The chunk is cut into the fixed parts of :func:`part_bounds`; the compiled kernel runs
    them on the thread pool, the reference one after the other.
    """
    rows = inp.rows
    bounds = part_bounds(rows)
    v = out.view(start, start + rows)
    c = inp.cal
    lags = ((net.lag, net.lag_percent, net.constraint_offset) if c is None
            else (c["lag"], c["lag_pct"], c["coff"]))
    args = (net.order, net.pred_ptr, net.pred_link, net.succ_ptr, net.succ_link,
            net.link_from, net.link_to, net.link_type, lags[0], lags[1],
            net.constraint_type, lags[2], inp.rel_start, inp.rel_finish,
            inp.due_start, inp.due_finish, inp.fixed,
            *(_NO_CAL if c is None else (c["tcal"], c["lcal"], *c["axis"], c["tunit"],
                                         c["punit"])))
    branch = np.flatnonzero(inp.xcol >= 0)
    if compiled and HAVE_NUMBA:
        n = net.n_tasks
        rows_needed = 4 if c is None else 7  # on calendars also EF, LS, minutes
        if out.work is None or out.work.shape[2] != n or out.work.shape[1] != rows_needed:
            bs = block_length(n)
            out.work = np.empty((PARTS, rows_needed, n, bs))
            out.wex = np.ones((PARTS, n if len(branch) else 0, bs), np.bool_)
            out.vec = np.empty((PARTS, 11, bs))
            out.ibuf = np.empty((PARTS, 3, max(bs, out.nb)), np.int64)
            out.occ = np.empty((PARTS, bs), np.bool_)
        costly = np.flatnonzero((inp.cfix != 0.0) | (inp.rate != 0.0))
        jit.compiled(_chunk_parts,  # worth_compiling said so
                 bounds, out.work, out.wex, out.vec, out.ibuf, out.occ, *args, smp.code,
                 smp.par, smp.tab, smp.q_lo, smp.s_lo, smp.q_mid, smp.s_mid, smp.q_hi,
                 smp.s_hi, smp.emp_ptr, smp.emp_val,
                 inp.key, inp.start, inp.u, inp.ucol, inp.x, inp.xcol, inp.xp, branch,
                 inp.ro, inp.ri, inp.r_prob, inp.r_unit, inp.r_imp, inp.r_cost, inp.r_ptr,
                 inp.r_task, inp.aff, costly, inp.cfix, inp.rate, inp.d0, inp.es0, inp.ef0,
                 inp.t0, inp.bin_lo, inp.bin_w, inp.nkeep, inp.store,
                 v["finish"], v["cost"], out.crit, out.sx, out.sxx, out.sxy, out.ssi,
                 out.ses, out.sef, out.ubin, out.hist, out.rocc,
                 v["d_keep"], v["es"], v["ef"])
    else:
        _chunk_numpy(net, smp, inp, out, v, bounds)


def _py(func):
    """The Python function of a kernel (the numpy path evaluates it on arrays)."""
    return getattr(func, "py_func", func)


def _treeseq(total: np.ndarray, a: np.ndarray, bs: int) -> None:
    """The compiled :func:`_tree_add` over a part's iterations ``a`` (rows × K), block by
    block of ``bs`` rows, into the partial sums ``total`` (K × LANES)."""
    for q in range(0, a.shape[0], bs):
        x = a[q:q + bs].copy()
        m = x.shape[0]
        while m > LANES:
            h = (m + 1) // 2
            x[:m - h] += x[h:m]
            m = h
        total[:, :m] += x[:m].T


def _passes_numpy(net, inp: Inputs, d: np.ndarray, delay: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The passes of the reference path in whole days, vectorised over iterations: ES,
    EF, the finish and the total float (before the completed tasks' NaN)."""
    nc, n = d.shape
    bounded = inp.rel_start.shape[0] > 0
    es, ef = np.zeros((nc, n)), np.zeros((nc, n))
    fin = np.full(nc, -np.inf)
    fwd, lag_of, start_c = _py(pdm.forward_link), _py(pdm.link_lag), _py(pdm.start_constraint)
    for j in net.order:
        dj = d[:, j]
        best = np.zeros(nc)
        for q in range(net.pred_ptr[j], net.pred_ptr[j + 1]):
            li = net.pred_link[q]
            p = net.link_from[li]
            L = lag_of(net.lag[li], net.lag_percent[li], d[:, p])
            v = fwd(net.link_type[li], es[:, p], ef[:, p], L, dj)
            best = np.where(v > best, v, best)
        c, co = net.constraint_type[j], net.constraint_offset[j]
        if c in (ConstraintType.SNET, ConstraintType.FNET):
            v = start_c(c, co, dj)
            best = np.where(v > best + EPS, v, best)
        elif c in (ConstraintType.MSO, ConstraintType.MFO):
            best = np.broadcast_to(start_c(c, co, dj), best.shape)
        if bounded:  # pdm.release, elementwise
            w = inp.rel_finish[j] - dj
            v = np.where(inp.rel_start[j] >= w, inp.rel_start[j], w)
            best = np.where(v > best, v, best)
        es[:, j] = best
        ef[:, j] = best + dj
        fin = np.where(ef[:, j] > fin, ef[:, j], fin)
    fin = fin + delay
    ls, lf = np.zeros((nc, n)), np.zeros((nc, n))
    bwd, finish_c = _py(pdm.backward_link), _py(pdm.finish_constraint)
    for j in net.order[::-1]:
        dj = d[:, j]
        best = fin.copy()
        for q in range(net.succ_ptr[j], net.succ_ptr[j + 1]):
            li = net.succ_link[q]
            s = net.link_to[li]
            L = lag_of(net.lag[li], net.lag_percent[li], dj)
            v = bwd(net.link_type[li], ls[:, s], lf[:, s], L, dj)
            best = np.where(v < best, v, best)
        c, co = net.constraint_type[j], net.constraint_offset[j]
        if c in (ConstraintType.SNLT, ConstraintType.FNLT):
            best = np.minimum(best, finish_c(c, co, dj))
        elif c in (ConstraintType.MSO, ConstraintType.MFO):
            best = np.broadcast_to(finish_c(c, co, dj), best.shape)
        if bounded:  # pdm.due, elementwise
            w = inp.due_start[j] + dj
            v = np.where(inp.due_finish[j] <= w, inp.due_finish[j], w)
            best = np.minimum(best, v)
        lf[:, j] = best
        ls[:, j] = best - dj
    return es, ef, fin, ls - es


# long function: mirrors _chunk line for line, so the bit-identity test compares like with like
def _chunk_numpy(net, smp, inp: Inputs, out: Outputs, view: dict, bounds: np.ndarray
                 ) -> None:
    """The reference path: the same arithmetic as ``_chunk``, vectorised over iterations."""
    n = net.n_tasks
    nc = inp.rows
    u = inp.u
    bounded = inp.rel_start.shape[0] > 0
    if u.shape[0] == 0:  # the kernel's counter-based uniforms, row ucol[k] = stream k
        u = uniforms(inp.key, np.flatnonzero(inp.ucol >= 0), inp.start, nc)
    base = np.empty((nc, n))
    for k in range(n):
        c = inp.ucol[k]
        base[:, k] = ppf_numpy(k, u[c], smp) if c >= 0 else smp.par[k, 0]
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
    if inp.cal is not None:
        es, ef, fin, tf = _calendars.passes_numpy(net, inp, d, delay)
    else:
        es, ef, fin, tf = _passes_numpy(net, inp, d, delay)
    tf = tf + (inp.fixed if bounded else 0.0)
    level = np.maximum(0.0, np.fmin.reduce(tf, axis=1, initial=np.inf)) + EPS
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
        bs = block_length(n)
        _treeseq(out.sx[p], xk[sl], bs)
        _treeseq(out.sxx[p], xk[sl] * xk[sl], bs)
        _treeseq(out.sxy[p], xk[sl] * y[sl, None], bs)
        _treeseq(out.ssi[p], ratio[sl], bs)
        _treeseq(out.ses[p], es[sl] - inp.es0[None, :], bs)
        if inp.cal is not None:
            _treeseq(out.sef[p], ef[sl] - inp.ef0[None, :], bs)
        bp = b[sl]
        for k in stoch:
            q = (u[inp.ucol[k], sl] * Q_ONE).astype(np.int64)
            nb = out.nb
            np.add.at(out.ubin[p, k], bp, q)  # integers: exact in any order
            out.ubin[p, k, nb] += q.sum()
            out.ubin[p, k, nb + 1] += ((q * q) >> Q_BITS).sum()
            np.add.at(out.hist[p, k], bp[q < Q_LO], 1)
            np.add.at(out.hist[p, k], nb + bp[q >= Q_HI], 1)
    view["d_keep"][:inp.nkeep] = d[:inp.nkeep]
    if inp.store:
        view["es"][:] = es
        view["ef"][:] = ef
