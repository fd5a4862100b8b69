"""Critical chain: aggressive durations, the chain, project and feeding buffers, fever chart.

:func:`critical_chain` cuts task durations to aggressive estimates, keeps the order of a
(levelled) schedule, identifies the critical chain, sizes the project and feeding buffers
(cut-and-paste 50 % or root-square-error) and places feeding chains as late as their
buffers allow; :meth:`CriticalChain.fever_chart` turns progress snapshots into the
fever-chart series (buffer consumption against chain completion).

The schedule whose resource order is kept comes from :func:`tpmkit.resources.level` by
default; the network passes are the scheduling core's (:mod:`tpmkit._core.pdm`,
:mod:`tpmkit._core.graph`). Times are working-day offsets from the project start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._core import pdm
from tpmkit._core.codes import EPS, LinkType
from tpmkit._core.graph import longest_path
from tpmkit.errors import DataError, ValidationError, check_option, format_ids
from tpmkit.resources import level
from tpmkit.resources.loading import assignment_table, schedule_times

__all__ = ["CriticalChain", "critical_chain"]

_TOL = EPS
_LP_TOL = 100 * EPS  # looser: tolerance of sums over long chains


@dataclass
class CriticalChain:
    """A critical-chain plan: aggressive durations, the chain, buffers and their placement.

    Attributes
    ----------
    chain : list of str
        Task ids of the critical chain, first to last.
    schedule : pandas.DataFrame
        Per task: ``safe_duration``, ``aggressive_duration`` [working days],
        ``early_start`` (aggressive, resource order of the input schedule kept),
        ``start``, ``finish`` (planned: chain tasks as early as possible, feeding chains as
        late as their buffers allow), ``on_chain``, ``feeding_buffer`` (buffer name for
        tasks that feed the chain, else ""), and dates when the project has a start.
    buffers : pandas.DataFrame
        One row per buffer: ``name`` ("PB", "FB1", ...), ``kind`` ("project"/"feeding"),
        ``after`` (the last task of the protected chain), ``before`` (the chain task it
        protects, or "" for the project end), ``size`` [working days], ``start``,
        ``finish``, ``available`` (room actually left in the plan [working days]),
        ``conflict`` (available < size) and ``tasks`` (the chain the buffer protects).
    project_buffer : float
        Project-buffer size [working days].
    chain_finish, project_finish : float
        End of the critical chain, and that end plus the project buffer [working days].
    safe_duration : float
        Makespan of the input schedule with the safe durations [working days].
    method : str
        ``"cut_and_paste"`` or ``"rsem"``.
    """

    chain: list[str]
    schedule: pd.DataFrame
    buffers: pd.DataFrame
    project_buffer: float
    chain_finish: float
    project_finish: float
    safe_duration: float
    method: str
    _arcs: tuple = field(repr=False, default=())
    _lower: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    _project: Any = field(repr=False, default=None)

    def fever_chart(self, snapshots: pd.DataFrame, *, yellow: tuple[float, float] = (1 / 3, 0.0),
                    red: tuple[float, float] = (2 / 3, 0.0)) -> pd.DataFrame:
        """Fever-chart series: project-buffer consumption against chain completion.

        For every status in ``snapshots`` the remaining work is re-scheduled with the
        plan's precedence and resource order (finished tasks drop out, started tasks keep
        only their finish-side links, nothing unfinished starts before the status), and
        ``buffer_consumption = (projected chain end - planned chain end) / project buffer``,
        ``chain_completion = sum(a_i * pc_i) / sum(a_i)`` over the chain's aggressive
        durations ``a_i``.

        Parameters
        ----------
        snapshots : DataFrame
            Long format: ``status`` (working-day offset, or a date when the project has a
            start), ``task``, ``percent_complete`` [0-100] and optionally ``remaining``
            [working days, overrides the percentage]. Tasks missing from a status have not
            started.
        yellow, red : (intercept, slope)
            Zone boundaries ``consumption = intercept + slope * completion`` (fractions);
            the default flat thirds are Goldratt's buffer zones, a positive slope gives the
            sloped chart of buffer-management tools.

        Returns
        -------
        pandas.DataFrame
            One row per status, in order: ``status``, ``chain_completion`` and
            ``buffer_consumption`` (fractions; consumption may be < 0 or > 1),
            ``projected_chain_finish`` [working days] and ``zone``
            ("green"/"yellow"/"red").

        References
        ----------
        .. [1] Goldratt, E. M. (1997). *Critical Chain*. North River Press.
        .. [2] Leach, L. P. (2014). *Critical Chain Project Management*, 3rd ed., Artech
           House, ch. "Buffer management" (fever chart).

        Examples
        --------
        >>> import tpmkit
        >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [10, 6],
        ...                                "predecessors": ["", "A"]}))
        >>> cc = critical_chain(p, tpmkit.schedule(p))   # chain 5 + 3 days, buffer 4
        >>> snaps = pd.DataFrame({"status": [7, 7], "task": ["A", "B"],
        ...                       "percent_complete": [100, 0]})
        >>> cc.fever_chart(snaps)[["chain_completion", "buffer_consumption", "zone"]]
           chain_completion  buffer_consumption    zone
        0             0.625                 0.5  yellow
        """
        needed = {"status", "task", "percent_complete"}
        if not isinstance(snapshots, pd.DataFrame) or not needed <= set(snapshots.columns):
            raise ValidationError(
                "fever-chart snapshots need columns status, task and percent_complete; "
                "give one row per task and status")
        ids = self.schedule.index
        pos = ids.get_indexer(snapshots["task"].astype(str))
        if (pos < 0).any():
            raise ValidationError(
                f"snapshots name unknown tasks {format_ids(pd.unique(snapshots['task'][pos < 0]))}; "
                "use task ids of the project")
        pc_all = pd.to_numeric(snapshots["percent_complete"], errors="coerce").to_numpy(float)
        bad = np.isnan(pc_all) | (pc_all < 0) | (pc_all > 100)
        if bad.any():
            raise ValidationError(
                f"percent_complete must lie in 0..100; bad for tasks "
                f"{format_ids(snapshots['task'][bad])}; fix the snapshots")
        status = snapshots["status"]
        if not pd.api.types.is_numeric_dtype(status):
            p = self._project
            if p is None or getattr(p, "start", None) is None:
                raise DataError("snapshot statuses are dates but the project has no start date; "
                                "give statuses as working-day offsets")
            status = pd.Series(p.calendar.offset_of(pd.to_datetime(status), p.start,
                                                    kind="finish"), index=snapshots.index)
        status = status.to_numpy(dtype=float)
        rem_col = (pd.to_numeric(snapshots["remaining"], errors="coerce").to_numpy(float)
                   if "remaining" in snapshots.columns else np.full(len(snapshots), np.nan))
        a = self.schedule["aggressive_duration"].to_numpy(dtype=float)
        chain_pos = ids.get_indexer(self.chain)
        rows = []
        for st in pd.unique(status):
            sel = status == st
            pc = np.zeros(len(ids))
            pc[pos[sel]] = pc_all[sel] / 100.0
            rem = a * (1.0 - pc)
            given = sel & ~np.isnan(rem_col)
            rem[pos[given]] = np.maximum(rem_col[given], 0.0)
            projected = self._projected_end(rem, pc, float(st), chain_pos)
            completion = float((a[chain_pos] * pc[chain_pos]).sum() / max(a[chain_pos].sum(), _TOL))
            consumption = ((projected - self.chain_finish) / self.project_buffer
                           if self.project_buffer > _TOL else float("nan"))
            rows.append({"status": float(st), "chain_completion": completion,
                         "buffer_consumption": consumption, "projected_chain_finish": projected})
        out = pd.DataFrame(rows, columns=["status", "chain_completion", "buffer_consumption",
                                          "projected_chain_finish"])
        y_line = yellow[0] + yellow[1] * out["chain_completion"]
        r_line = red[0] + red[1] * out["chain_completion"]
        out["zone"] = np.where(out["buffer_consumption"] >= r_line, "red",
                               np.where(out["buffer_consumption"] >= y_line, "yellow", "green"))
        return out

    def fever_point(self, project=None, **zones: tuple[float, float]) -> pd.DataFrame:
        """The fever-chart point of a project's own progress at its status date.

        Uses ``percent_complete`` and ``status_date`` of ``project`` (default the planned
        project); see :meth:`fever_chart`.
        """
        p = self._project if project is None else project
        st = getattr(p, "status_offset", None)
        if st is None:
            raise DataError("the project has no status date (or no start date); set status_date "
                            "and start to place it on the fever chart")
        pc = pd.to_numeric(p.tasks["percent_complete"], errors="coerce").fillna(0.0)
        snap = pd.DataFrame({"status": float(st), "task": p.tasks.index.astype(str),
                             "percent_complete": pc.to_numpy(dtype=float)})
        return self.fever_chart(snap, **zones)

    def _projected_end(self, rem, pc, status, chain_pos) -> float:
        frm, to, lt, base_w, _is_link = self._arcs
        done = pc >= 1.0 - 1e-12
        started = (pc > 0) & ~done
        # Recompute start-to-start distances with the remaining durations.
        lag = base_w  # lag part of each arc (effective, already including % lags)
        w = pdm.start_distance(lt, rem[frm], lag, rem[to])
        keep = ~done[frm] & ~(started[frm] & np.isin(lt, (LinkType.SS, LinkType.SF)))
        lower = np.where(done, 0.0, np.maximum(self._lower, status))
        s = longest_path(len(rem), frm[keep], to[keep], w[keep], lower, forward=True)
        fin = s + rem
        fin[done] = np.minimum(self.schedule["finish"].to_numpy(dtype=float)[done], status)
        return float(fin[chain_pos].max())

    def _repr_html_(self) -> str:
        head = (f"<b>Critical chain</b> ({self.method}): {len(self.chain)} tasks, chain ends at "
                f"{self.chain_finish:g}, project buffer {self.project_buffer:g}, project finish "
                f"{self.project_finish:g} working days (safe schedule {self.safe_duration:g})")
        return head + self.buffers.to_html(float_format=lambda v: f"{v:,.2f}")


def _lower_bounds(net, duration: np.ndarray) -> np.ndarray:
    """Earliest allowed start of each task from SNET/FNET/MSO/MFO (as lower bounds, never
    before the project start): the core's release dates (:func:`tpmkit._core.pdm.release_start`)."""
    release = pdm.release_start(np.asarray(net.constraint_type), net.constraint_offset, duration)
    return np.maximum(np.nan_to_num(release, nan=0.0, posinf=0.0, neginf=0.0), 0.0)


def _order_arcs(start: np.ndarray, finish: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arcs i -> j (i finishes before j starts) whose transitive closure is the whole order.

    For task j let P_j be the tasks finished by its start and M_j the latest start in
    P_j; every i in P_j with finish <= M_j precedes some k in P_j that precedes j, so only
    the i with finish > M_j need an arc (a suffix of P_j in finish order).
    """
    by_f = np.argsort(finish, kind="stable")
    f_sorted = finish[by_f]
    prefix_max_start = np.maximum.accumulate(start[by_f])
    cnt = np.searchsorted(f_sorted, start + _TOL, side="right")   # |P_j|
    has = cnt > 0
    m_j = np.where(has, prefix_max_start[np.maximum(cnt - 1, 0)], -np.inf)
    lo = np.searchsorted(f_sorted, m_j + _TOL, side="right")
    lo = np.minimum(lo, cnt)
    sizes = np.where(has, cnt - lo, 0)
    j = np.repeat(np.arange(len(start)), sizes)
    first = np.cumsum(sizes) - sizes
    i = by_f[lo[j] + (np.arange(j.size) - first[j])]
    return i, j


def _buffer_size(method: str, safe: np.ndarray, aggressive: np.ndarray, fraction: float) -> float:
    if method == "cut_and_paste":
        return float(fraction * aggressive.sum())
    return float(np.sqrt(((safe - aggressive) ** 2).sum()))


def _aggressive_durations(project, safe: np.ndarray, cut: float,
                          aggressive: str | None) -> np.ndarray:
    """Each task's aggressive duration: ``(1 - cut) * safe``, or the ``aggressive`` column."""
    if aggressive is None:
        return safe * (1.0 - float(cut))
    ids = project.tasks.index
    if aggressive not in project.tasks.columns:
        raise DataError(f"no task column {aggressive!r} for the aggressive durations; "
                        "add it or use cut=")
    agg = pd.to_numeric(project.tasks[aggressive], errors="coerce").to_numpy(dtype=float)
    agg = np.where(np.isnan(agg), safe, agg)
    bad = (agg < 0) | (agg > safe + _TOL)
    if bad.any():
        raise ValidationError(
            f"aggressive durations must lie between 0 and the task duration; bad for "
            f"{format_ids(ids[bad])}; fix column {aggressive!r}")
    return agg


def _chain_arcs(project, net, agg: np.ndarray, safe: np.ndarray, start: np.ndarray,
                finish: np.ndarray) -> tuple[np.ndarray, ...]:
    """Arcs: links (effective lag) and resource order of the input schedule.

    Returns ``(from, to, link type, effective lag, is_link)``.
    """
    ids = project.tasks.index
    n = len(ids)
    frm = np.asarray(net.link_from, dtype=np.int64)
    to = np.asarray(net.link_to, dtype=np.int64)
    lt = np.asarray(net.link_type).astype(np.int64)
    eff_lag = np.asarray(net.lag, dtype=float) + np.asarray(net.lag_percent, dtype=float) * agg[frm]
    is_link = np.ones(len(frm), dtype=bool)
    a = assignment_table(project)
    if len(a):
        tpos = ids.get_indexer(a["task"].astype(str))
        rf, rt = [], []
        for _, grp in pd.Series(tpos).groupby(a["resource"].astype(str).to_numpy()):
            k = np.unique(grp.to_numpy())
            k = k[safe[k] > 0]
            if len(k) < 2:
                continue
            i, j = _order_arcs(start[k], finish[k])
            rf.append(k[i])
            rt.append(k[j])
        if rf:
            key = np.unique(np.concatenate(rf) * n + np.concatenate(rt))  # shared resources
            frm = np.r_[frm, key // n]
            to = np.r_[to, key % n]
            lt = np.r_[lt, np.zeros(len(key), dtype=np.int64)]
            eff_lag = np.r_[eff_lag, np.zeros(len(key))]
            is_link = np.r_[is_link, np.zeros(len(key), dtype=bool)]
    return frm, to, lt, eff_lag, is_link


def _best_predecessor(t_arcs: np.ndarray, frm: np.ndarray, to: np.ndarray, n: int,
                      allowed: np.ndarray) -> np.ndarray:
    """Per task, the source of its best tight arc among allowed tasks (-1: none)."""
    ok = t_arcs[allowed[frm[t_arcs]]]
    choice = np.full(n, -1, dtype=np.int64)
    if len(ok):
        tgt = to[ok]
        heads = np.flatnonzero(np.r_[True, tgt[1:] != tgt[:-1]])
        choice[tgt[heads]] = frm[ok[heads]]
    return choice


def _trace(task: int, choice: np.ndarray) -> list[int]:
    """The path of best predecessors ending at ``task``, first task first."""
    path, seen = [task], {task}
    nxt = int(choice[task])
    while nxt >= 0 and nxt not in seen:
        path.append(nxt)
        seen.add(nxt)
        nxt = int(choice[nxt])
    return path[::-1]


def _room_before(feeders: np.ndarray, into_chain: np.ndarray, frm: np.ndarray, to: np.ndarray,
                 w: np.ndarray, planned: np.ndarray, pf: np.ndarray, chain_end: float,
                 ids_arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Room left in front of each buffered link: the tightest of the feeder's links.

    Returns each feeder's available room and the chain task it feeds ("" for a project end).
    """
    n = len(ids_arr)
    ic = np.flatnonzero(into_chain)
    ic = ic[np.lexsort((planned[to[ic]] - (planned[frm[ic]] + w[ic]), frm[ic]))]
    first_arc = np.full(n, -1, dtype=np.int64)
    if len(ic):
        heads = np.flatnonzero(np.r_[True, frm[ic][1:] != frm[ic][:-1]])
        first_arc[frm[ic[heads]]] = ic[heads]
    arc = first_arc[feeders]
    has_arc = arc >= 0
    available = chain_end - pf[feeders]
    before = np.full(len(feeders), "", dtype=object)
    if has_arc.any():
        a_ = arc[has_arc]
        available[has_arc] = planned[to[a_]] - (planned[feeders[has_arc]] + w[a_])
        before[has_arc] = ids_arr[to[a_]]
    return available, before


def _buffer_table(ids_arr: np.ndarray, chain_idx: list[int], feeders: np.ndarray,
                  feed_paths: list[list[int]], pb: float, fb: np.ndarray, pf: np.ndarray,
                  available: np.ndarray, before: np.ndarray, chain_end: float,
                  tol: float) -> tuple[pd.DataFrame, np.ndarray]:
    """The buffers table (project buffer first) and each task's feeding-buffer name."""
    rows = [{"name": "PB", "kind": "project", "after": str(ids_arr[chain_idx[-1]]) if chain_idx else "",
             "before": "", "size": pb, "start": chain_end, "finish": chain_end + pb,
             "available": pb, "conflict": False, "tasks": ids_arr[chain_idx].tolist()}]
    fb_name = np.full(len(ids_arr), "", dtype=object)
    for k, (i, path) in enumerate(zip(feeders, feed_paths), start=1):
        name = f"FB{k}"
        fb_name[i] = name
        rows.append({"name": name, "kind": "feeding", "after": ids_arr[i], "before": before[k - 1],
                     "size": float(fb[i]), "start": float(pf[i]), "finish": float(pf[i] + fb[i]),
                     "available": float(available[k - 1]),
                     "conflict": bool(available[k - 1] < fb[i] - tol),
                     "tasks": ids_arr[path].tolist()})
    buffers = pd.DataFrame(rows, columns=["name", "kind", "after", "before", "size", "start",
                                          "finish", "available", "conflict", "tasks"])
    return buffers, fb_name


def _default_schedule(project):
    return level(project)


def critical_chain(project, schedule: pd.DataFrame | Any = None, *,
                   method: str = "cut_and_paste", cut: float = 0.5,
                   buffer_fraction: float = 0.5, aggressive: str | None = None) -> CriticalChain:
    """Critical-chain plan with project and feeding buffers.

    Steps (Goldratt 1997; Leach 2014): (1) cut each task's safe duration ``s_i`` to an
    aggressive estimate ``a_i`` (``(1 - cut) * s_i``, or a column); (2) keep the order
    of the given (levelled) schedule: every link plus, for each resource, "i before j"
    for tasks that do not overlap in that schedule -- any schedule keeping this order
    stays within capacity; (3) schedule the aggressive durations as early as possible;
    the critical chain is the tight (precedence or resource) path ending last;
    (4) size the buffers over the chain a buffer protects:

    * cut-and-paste: ``buffer = buffer_fraction * sum(a_i)`` (50 % of the chain);
    * root square error (RSEM): ``buffer = sqrt(sum((s_i - a_i) ** 2))``;

    (5) put the project buffer after the chain and a feeding buffer wherever a non-chain
    task links into the chain (or ends the project), and start feeding chains as late
    as their buffers allow, never earlier than they can (a buffer that does not fit is
    reported with ``conflict``).

    Parameters
    ----------
    project : Project
    schedule : DataFrame or levelling result, optional
        Task start/finish with safe durations whose resource order is kept; default
        ``tpmkit.resources.level(project)``.
    method : {"cut_and_paste", "rsem"}
    cut : float
        Fraction of each safe duration removed (0.5 = the classic 50 %).
    buffer_fraction : float
        Cut-and-paste buffer as a fraction of the protected chain (0.5).
    aggressive : str, optional
        Task column holding the aggressive durations (e.g. ``"most_likely"``);
        overrides ``cut``.

    Returns
    -------
    CriticalChain

    References
    ----------
    .. [1] Goldratt, E. M. (1997). *Critical Chain*. North River Press.
    .. [2] Newbold, R. C. (1998). *Project Management in the Fast Lane: Applying the
       Theory of Constraints*. St. Lucie Press (root-square-error buffers).
    .. [3] Tukel, O. I., Rom, W. O., Eksioglu, S. D. (2006). An investigation of buffer
       sizing techniques in critical chain scheduling. *European Journal of Operational
       Research* 172(2), 401-416.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "duration": [10, 6, 4],
    ...                                "predecessors": ["", "A", "A"]}))
    >>> cc = critical_chain(p, tpmkit.schedule(p))
    >>> cc.chain, cc.chain_finish, cc.project_buffer, cc.project_finish
    (['A', 'B'], 8.0, 4.0, 12.0)
    >>> cc.buffers[["name", "after", "before", "size", "start", "finish"]]
      name after before  size  start  finish
    0   PB     B          4.0    8.0    12.0
    1  FB1     C          1.0    7.0     8.0
    """
    method = check_option(method, ["cut_and_paste", "rsem"], "buffer method")
    if not (0.0 <= float(cut) < 1.0):
        raise ValidationError(f"cut must be a fraction in [0, 1), got {cut!r}; 0.5 is the classic 50 %")
    if not (float(buffer_fraction) >= 0.0):
        raise ValidationError(f"buffer_fraction must be >= 0, got {buffer_fraction!r}")
    if schedule is None:
        schedule = _default_schedule(project)
    start, finish = schedule_times(project, schedule)
    net = project.network()
    ids = project.tasks.index
    n = len(ids)
    safe = np.asarray(net.duration, dtype=float)
    agg = _aggressive_durations(project, safe, cut, aggressive)
    frm, to, lt, eff_lag, is_link = _chain_arcs(project, net, agg, safe, start, finish)
    w = pdm.start_distance(lt, agg[frm], eff_lag, agg[to])
    lower = _lower_bounds(net, agg)
    es = longest_path(n, frm, to, w, lower, forward=True)
    ef = es + agg
    chain_end = float(ef.max(initial=0.0))
    tol = _LP_TOL * max(1.0, chain_end)
    tight = np.abs(es[to] - (es[frm] + w)) <= tol

    # Tight arcs grouped by target, best first: links before resource order, then the
    # longer predecessor.
    t_arcs = np.flatnonzero(tight)
    t_arcs = t_arcs[np.lexsort((-agg[frm[t_arcs]], ~is_link[t_arcs], to[t_arcs]))]

    ends = np.flatnonzero(np.abs(ef - chain_end) <= tol)
    last = ends[np.argmax(agg[ends])] if len(ends) else 0
    chain_idx = (_trace(int(last), _best_predecessor(t_arcs, frm, to, n, np.ones(n, dtype=bool)))
                 if n else [])
    on_chain = np.zeros(n, dtype=bool)
    on_chain[chain_idx] = True
    pb = _buffer_size(method, safe[chain_idx], agg[chain_idx], float(buffer_fraction))

    # Feeding points: non-chain tasks linked into the chain, and non-chain project ends.
    into_chain = is_link & ~on_chain[frm] & on_chain[to]
    has_succ = np.zeros(n, dtype=bool)
    has_succ[np.asarray(net.link_from, dtype=np.int64)] = True
    linked = pd.unique(frm[into_chain])
    sinks = np.flatnonzero(~on_chain & ~has_succ & (agg > 0))
    feeders = np.r_[linked, sinks[~np.isin(sinks, linked)]].astype(np.int64)
    choice = _best_predecessor(t_arcs, frm, to, n, ~on_chain)
    feed_paths = [_trace(int(i), choice) for i in feeders]
    fb = np.zeros(n)
    fb[feeders] = [_buffer_size(method, safe[path], agg[path], float(buffer_fraction))
                   for path in feed_paths]

    # Latest starts with buffers in front of the chain (chain tasks pinned early).
    w_buf = w + np.where(into_chain, fb[frm], 0.0)
    ub = np.where(on_chain, es, chain_end - agg - np.where(has_succ, 0.0, fb))
    ls = longest_path(n, frm, to, w_buf, ub, forward=False)
    planned = np.where(on_chain, es, np.maximum(es, ls))
    pf = planned + agg

    ids_arr = np.asarray(ids, dtype=object)
    available, before = _room_before(feeders, into_chain, frm, to, w, planned, pf, chain_end,
                                     ids_arr)
    buffers, fb_name = _buffer_table(ids_arr, chain_idx, feeders, feed_paths, pb, fb, pf,
                                     available, before, chain_end, tol)
    table = pd.DataFrame({"safe_duration": safe, "aggressive_duration": agg, "early_start": es,
                          "start": planned, "finish": pf, "on_chain": on_chain,
                          "feeding_buffer": fb_name}, index=ids)
    if getattr(project, "start", None) is not None:
        cal = project.calendar
        table["start_date"] = cal.start_dates(planned, project.start)
        table["finish_date"] = cal.finish_dates(pf, project.start)
        buffers["finish_date"] = cal.finish_dates(buffers["finish"].to_numpy(float), project.start)
    safe_T = float(finish.max(initial=0.0))
    return CriticalChain([str(ids[k]) for k in chain_idx], table, buffers, pb, chain_end,
                         chain_end + pb, safe_T, method,
                         _arcs=(frm, to, lt, eff_lag, is_link), _lower=lower, _project=project)
