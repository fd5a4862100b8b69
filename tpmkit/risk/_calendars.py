"""The Monte Carlo kernel's pieces for tasks on their own calendars.

The whole-day kernel (:mod:`tpmkit.risk._engine`) vectorises its passes over the iterations
of a block. On several calendars each iteration runs the calendar steps of the PDM core
instead (:func:`tpmkit._core.pdm.forward_task_cal` / :func:`~tpmkit._core.pdm.backward_task_cal`,
the steps :func:`tpmkit.schedule` runs), column by column of the block's tasks × iterations
arrays: :func:`forward_block` and :func:`backward_block`. :func:`calendar_inputs` turns a
:class:`~tpmkit.model.timeplan.TimePlan` into the kernel's arguments, and
:func:`passes_numpy` is the numpy reference path (one iteration at a time through the PDM
passes; the same results bit for bit).
"""

from __future__ import annotations

import numpy as np

from tpmkit._core import jit, pdm, worktime
from tpmkit._core.jit import njit

__all__ = ["backward_block", "calendar_inputs", "forward_block", "passes_numpy"]


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False, lazy=True)
def forward_block(m, n, d, dm, es, ef, fin, fint, delay, order, pred_ptr, pred_link, link_from,
                 link_type, lag, lag_pct, ctype, coff, rel_s, rel_f, tcal, lcal, cptr, ca, cb,
                 cc, tunit, punit, store, i0, o_es, o_ef):  # pragma: no cover - compiled
    """The forward pass of a block on the tasks' calendars (``_chunk``): durations into
    working minutes, ES/EF instants per task and iteration, ``fint`` the finish instant
    (the risk delay added on the project calendar) and ``fin`` the finish offset."""
    for k in range(n):
        tu = tunit[k]
        dk_ = d[k]
        dmk = dm[k]
        for i in range(m):
            dmk[i] = dk_[i] * tu
    for kk in range(n):
        j = order[kk]
        esj_ = es[j]
        efj_ = ef[j]
        for i in range(m):
            e, f, _ = pdm.forward_task_cal(j, i, es, ef, dm, pred_ptr, pred_link, link_from,
                                           link_type, lag, lag_pct, ctype, coff, rel_s, rel_f,
                                           tcal, lcal, cptr, ca, cb, cc)
            esj_[i] = e
            efj_[i] = f
            fin[i] = f if f > fin[i] else fin[i]
        if store:
            for i in range(m):
                o_es[i0 + i, j] = worktime.work(esj_[i], 0, cptr, ca, cb, cc) / punit
                o_ef[i0 + i, j] = worktime.work(efj_[i], 0, cptr, ca, cb, cc) / punit
    for i in range(m):
        w = worktime.work(fin[i], 0, cptr, ca, cb, cc)
        fint[i] = fin[i] if delay[i] == 0.0 else worktime.first(w + delay[i] * punit, 0, cptr,
                                                                ca, cb, cc)
        fin[i] = w / punit + delay[i]


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False, lazy=True)
def backward_block(j, m, dm, es, ef, ls, lfb, best, fint, succ_ptr, succ_link, link_to,
                  link_type, lag, lag_pct, ctype, coff, due_s, due_f, tcal, lcal, cptr, ca,
                  cb, cc, tunit, punit, ef0j):  # pragma: no cover - compiled
    """The backward step of task ``j`` over a block on the calendars (``_chunk``): LS and
    the late-finish bound per iteration, ``best`` := the total float [days of the task's
    calendar], the es row := ES as an offset of the project calendar and the ef row :=
    EF − ``ef0j`` (offsets; neither is read again by the backward pass)."""
    tc = tcal[j]
    tu = tunit[j]
    esj_ = es[j]
    efj_ = ef[j]
    lsj_ = ls[j]
    lbj_ = lfb[j]
    for i in range(m):
        s_, _, b_ = pdm.backward_task_cal(j, i, ls, lfb, dm, succ_ptr, succ_link, link_to,
                                          link_type, lag, lag_pct, ctype, coff, due_s, due_f,
                                          fint[i], tcal, lcal, cptr, ca, cb, cc)
        lsj_[i] = s_
        lbj_[i] = b_
        e = esj_[i]
        best[i] = (worktime.work(s_, tc, cptr, ca, cb, cc)
                   - worktime.work(e, tc, cptr, ca, cb, cc)) / tu
        esj_[i] = worktime.work(e, 0, cptr, ca, cb, cc) / punit
        efj_[i] = worktime.work(efj_[i], 0, cptr, ca, cb, cc) / punit - ef0j


def calendar_inputs(net, plan) -> dict:
    """The kernel's calendar inputs of a :class:`~tpmkit.model.timeplan.TimePlan`: task and
    link calendars, the axis, minutes per day of each task and of the project calendar,
    lags in working minutes (a percent lag as minutes per minute of the predecessor's work)
    and the constraints as instants."""
    from tpmkit.model.timeplan import constraint_instants

    a = net.link_from
    coff = constraint_instants(plan, net.constraint_type, net.constraint_offset)
    return {"tcal": plan.task_cal, "lcal": plan.link_cal, "axis": plan.axis.arrays,
            "tunit": np.ascontiguousarray(plan.task_unit, dtype=float),
            "punit": float(plan.project_unit),
            "lag": net.lag * plan.link_unit,
            "lag_pct": net.lag_percent * plan.link_unit / plan.task_unit[a],
            "coff": np.where(np.isnan(coff), 0.0, coff)}


def passes_numpy(net, inp, d: np.ndarray, delay: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The passes of the reference path on the tasks' calendars: per iteration the PDM
    passes of :mod:`tpmkit._core.pdm` on the time axis (the kernels of ``tpmkit.cpm``),
    ES/EF as offsets of the project calendar, the float in days of the task's calendar."""
    c = inp.cal
    nc, n = d.shape
    ax = worktime.TimeAxis(*c["axis"], -np.inf, np.inf)
    tcal, tunit, punit = c["tcal"], c["tunit"], c["punit"]
    cal = (tcal, c["lcal"], *c["axis"])
    size = n + len(net.link_from)
    es, ef, tf, fin = np.empty((nc, n)), np.empty((nc, n)), np.empty((nc, n)), np.empty(nc)
    for i in range(nc):  # the reference: one iteration at a time
        dm = d[i] * tunit
        e, f, _ = jit.call(pdm.forward_pass, size, net.order, net.pred_ptr, net.pred_link,
                           net.link_from, net.link_type, c["lag"], c["lag_pct"], dm,
                           net.constraint_type, c["coff"], inp.rel_start, inp.rel_finish, *cal)
        t = float(f.max(initial=-np.inf))
        w = float(worktime.work_array(np.array([t]), 0, ax)[0])
        ft = t if delay[i] == 0.0 else float(
            worktime.first_array(np.array([w + delay[i] * punit]), 0, ax)[0])
        ls, _ = jit.call(pdm.backward_pass, size, net.order, net.succ_ptr, net.succ_link,
                         net.link_to, net.link_type, c["lag"], c["lag_pct"], dm,
                         net.constraint_type, c["coff"], inp.due_start, inp.due_finish, ft,
                         *cal)
        tf[i] = (worktime.work_array(ls, tcal, ax) - worktime.work_array(e, tcal, ax)) / tunit
        es[i] = worktime.work_array(e, 0, ax) / punit
        ef[i] = worktime.work_array(f, 0, ax) / punit
        fin[i] = w / punit + delay[i]
    return es, ef, fin, tf
