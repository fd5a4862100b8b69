"""Compression: crashing a project to a target duration, and the time--cost curve.

:func:`crash` finds the cheapest way to compress the project to a target duration by
shortening tasks between their normal and crash durations (a linear program solved with
HiGHS); :func:`time_cost_curve` gives the whole convex time--cost trade-off curve through
its exact breakpoints. The network passes (start-to-start distances of the PDM links,
longest paths) are the scheduling core's (:mod:`tpmkit._core.pdm`,
:mod:`tpmkit._core.graph`).

Task columns: ``duration`` (normal), ``crash_duration`` (empty = cannot be shortened) and
either ``crash_cost`` with ``cost`` (total costs at crash and normal duration) or
``crash_cost_per_day`` [currency per working day saved]. Times are working-day offsets
from the project start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._core import pdm
from tpmkit._core.codes import EPS, ConstraintType, LinkType
from tpmkit._core.graph import longest_path
from tpmkit.errors import DataError, ValidationError, format_ids

__all__ = ["CrashResult", "TimeCostCurve", "crash", "time_cost_curve"]

_TOL = EPS
_LP_TOL = 100 * EPS  # looser: values from the LP solver (HiGHS works to ~1e-7), long sums


@dataclass
class CrashResult:
    """Minimum-cost compression of a project to a target duration.

    Attributes
    ----------
    target : float
        Requested project duration [working days].
    duration : float
        Project duration of the compressed schedule [working days] (<= target).
    normal_duration, crash_duration : float
        Project duration with all normal durations, and the shortest achievable one.
    added_cost : float
        Minimum extra direct cost of the compression [currency].
    normal_cost : float
        Sum of the normal task costs [currency] (NaN when not given).
    table : pandas.DataFrame
        Per task: ``normal_duration``, ``crash_duration``, ``cost_slope`` [currency per
        working day], ``duration`` (chosen), ``crashed_by``, ``added_cost``,
        ``early_start``, ``early_finish``, ``total_float``, ``critical``.
    """

    target: float
    duration: float
    normal_duration: float
    crash_duration: float
    added_cost: float
    normal_cost: float
    table: pd.DataFrame

    @property
    def direct_cost(self) -> float:
        """Normal cost plus the added crash cost [currency]."""
        return self.normal_cost + self.added_cost

    def _repr_html_(self) -> str:
        crashed = self.table[self.table["crashed_by"] > _TOL]
        return (f"<b>Crashing</b>: {self.normal_duration:g} → {self.duration:g} working days "
                f"(target {self.target:g}, shortest possible {self.crash_duration:g}); "
                f"added cost {self.added_cost:,.2f}"
                + crashed[["normal_duration", "duration", "crashed_by", "cost_slope",
                           "added_cost"]].to_html(float_format=lambda v: f"{v:,.2f}"))


@dataclass
class TimeCostCurve:
    """The project time--cost trade-off curve through its exact breakpoints.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per breakpoint, longest duration first: ``duration`` [working days],
        ``added_cost``, ``direct_cost``, ``cost_per_day`` (slope of the segment ending
        at this breakpoint [currency per working day saved]) and, with an indirect cost
        rate, ``indirect_cost`` and ``total_cost``. Between breakpoints the curve is
        linear, so ``numpy.interp`` on it is exact.
    durations : pandas.DataFrame
        The task durations of each breakpoint's minimum-cost solution (rows as in
        ``table``, one column per task).
    optimal_duration : float
        Duration with the least total cost (NaN without an indirect cost rate).
    """

    table: pd.DataFrame
    durations: pd.DataFrame
    optimal_duration: float = float("nan")

    def cost_at(self, duration: float) -> float:
        """Minimum added cost of reaching ``duration`` [currency] (linear interpolation)."""
        t = self.table.sort_values("duration")
        return float(np.interp(duration, t["duration"], t["added_cost"]))

    def _repr_html_(self) -> str:
        return "<b>Time–cost trade-off</b>" + self.table.to_html(float_format=lambda v: f"{v:,.2f}")


class _CrashModel:
    """The crashing linear program of one project (built once, solved per target)."""

    def __init__(self, project, crash_duration: str, crash_cost: str, normal_cost: str,
                 cost_slope: str, prune: bool = True):
        tasks = project.tasks
        net = project.network()
        self.ids = tasks.index
        self.net = net
        n = len(tasks)
        self.n = n
        d = np.asarray(net.duration, dtype=float)
        if crash_duration not in tasks.columns:
            raise DataError(
                f"crashing needs a task column {crash_duration!r} with the crash durations "
                "[working days]; add it (leave it empty for tasks that cannot be shortened)")
        dc = pd.to_numeric(tasks[crash_duration], errors="coerce").to_numpy(dtype=float)
        dc = np.where(np.isnan(dc), d, dc)
        bad = (dc < 0) | (dc > d + _TOL)
        if bad.any():
            raise ValidationError(
                f"crash duration must lie between 0 and the normal duration; bad for "
                f"{format_ids(self.ids[bad])}; fix column {crash_duration!r}")
        dc = np.minimum(dc, d)
        if cost_slope in tasks.columns:
            slope = pd.to_numeric(tasks[cost_slope], errors="coerce").to_numpy(dtype=float)
            need = (d - dc > _TOL) & np.isnan(slope)
            if need.any():
                raise ValidationError(
                    f"tasks {format_ids(self.ids[need])} have a crash duration but no "
                    f"{cost_slope!r}; give the cost per working day saved")
        elif crash_cost in tasks.columns:
            cc = pd.to_numeric(tasks[crash_cost], errors="coerce").to_numpy(dtype=float)
            nc = pd.to_numeric(tasks.get(normal_cost, pd.Series(np.nan, index=self.ids)),
                               errors="coerce").to_numpy(dtype=float)
            need = (d - dc > _TOL) & np.isnan(cc)
            if need.any():
                raise ValidationError(
                    f"tasks {format_ids(self.ids[need])} have a crash duration but no {crash_cost!r}; "
                    "give the total cost at the crash duration")
            need = (d - dc > _TOL) & np.isnan(nc)
            if need.any():
                raise ValidationError(
                    f"tasks {format_ids(self.ids[need])} have a {crash_cost!r} but no normal cost "
                    f"{normal_cost!r}; give the cost at the normal duration")
            span = np.where(d - dc > _TOL, d - dc, 1.0)
            slope = np.where(d - dc > _TOL, (cc - nc) / span, 0.0)
        else:
            raise DataError(
                f"crashing needs crash costs: a task column {crash_cost!r} (total cost at the "
                f"crash duration, with {normal_cost!r} the normal cost) or {cost_slope!r} "
                "[currency per working day saved]")
        slope = np.where(d - dc > _TOL, slope, 0.0)
        bad = np.isnan(slope) | (slope < 0)
        if bad.any():
            raise ValidationError(
                f"crash cost must not be below the normal cost; bad for {format_ids(self.ids[bad])}; "
                "fix the crash costs (a shorter duration never costs less in this model)")
        self.d, self.dc, self.slope = d, dc, slope
        nc = pd.to_numeric(tasks.get(normal_cost, pd.Series(np.nan, index=self.ids)),
                           errors="coerce")
        self.normal_cost = float(nc.sum()) if nc.notna().any() else float("nan")

        self.frm = np.asarray(net.link_from, dtype=np.int64)
        self.to = np.asarray(net.link_to, dtype=np.int64)
        self.lt = np.asarray(net.link_type).astype(np.int64)
        self.lag = np.asarray(net.lag, dtype=float)
        self.pct = np.asarray(net.lag_percent, dtype=float)
        ct = np.asarray(net.constraint_type)
        off = np.asarray(net.constraint_offset, dtype=float)
        self.start_lb = np.where(np.isin(ct, (ConstraintType.SNET, ConstraintType.MSO)) & np.isfinite(off), np.maximum(off, 0.0), 0.0)
        self.finish_lb = np.where(np.isin(ct, (ConstraintType.FNET, ConstraintType.MFO)) & np.isfinite(off), off, -np.inf)
        self.prune = prune
        self._lps: dict[bytes, tuple] = {}
        self.normal_T = self.finish(d)
        self.crash_T = self._solve_min_T()

    # -- the network under the LP's rules (constraints as earliest bounds) ----------------
    def _times(self, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        """Early starts, finish and the longest path through each task, for durations y."""
        n = self.n
        y_from = y[self.frm]
        w = pdm.start_distance(self.lt, y_from, self.lag + self.pct * y_from, y[self.to])
        lb = np.maximum(self.start_lb, self.finish_lb - y)
        es = longest_path(n, self.frm, self.to, w, lb, forward=True)
        finish = float((es + y).max(initial=0.0))
        ls = longest_path(n, self.frm, self.to, w, finish - y, forward=False)
        return es, finish, finish - (ls - es)

    def finish(self, y: np.ndarray) -> float:
        return self._times(y)[1]

    def _lp(self, keep: np.ndarray) -> tuple:
        """Constraint matrix of the LP over the tasks in ``keep`` (cached per task set)."""
        key = keep.tobytes()
        if key in self._lps:
            return self._lps[key]
        from scipy import sparse

        idx = np.flatnonzero(keep)
        k = len(idx)
        local = np.full(self.n, -1, dtype=np.int64)
        local[idx] = np.arange(k)
        on = keep[self.frm] & keep[self.to]
        frm, to, lt = local[self.frm[on]], local[self.to[on]], self.lt[on]
        lag, pct = self.lag[on], self.pct[on]
        m = len(frm)
        # Variables x = [S (k), y (k), T]; one row per link:
        # s_to >= s_from + [y_from if FS/FF] + lag + pct*y_from - [y_to if FF/SF]
        r = np.arange(m)
        sub = np.isin(lt, (LinkType.FF, LinkType.SF))
        rows = [r, r, r, r[sub]]
        cols = [frm, to, k + frm, k + to[sub]]
        vals = [np.ones(m), -np.ones(m), np.isin(lt, (LinkType.FS, LinkType.FF)).astype(float) + pct,
                -np.ones(int(sub.sum()))]
        b = [-lag]
        j = np.arange(k)
        rows += [m + j] * 3                     # S_j + y_j - T <= 0
        cols += [j, k + j, np.full(k, 2 * k)]
        vals += [np.ones(k), np.ones(k), -np.ones(k)]
        b.append(np.zeros(k))
        fin = np.flatnonzero(np.isfinite(self.finish_lb[idx]))   # FNET/MFO: S + y >= c
        base = m + k
        rows += [base + np.arange(len(fin))] * 2
        cols += [fin, k + fin]
        vals += [-np.ones(len(fin))] * 2
        b.append(-self.finish_lb[idx][fin])
        target_row = base + len(fin)
        rows.append(np.array([target_row]))
        cols.append(np.array([2 * k]))
        vals.append(np.array([1.0]))
        b.append(np.array([np.inf]))
        A = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                              shape=(target_row + 1, 2 * k + 1))
        lb = np.r_[self.start_lb[idx], self.dc[idx], 0.0]
        ub = np.r_[np.full(k, np.inf), self.d[idx], np.inf]
        out = (idx, A, np.concatenate(b), target_row, np.c_[lb, ub])
        self._lps[key] = out
        return out

    def _linprog(self, c, A, b, bounds):
        from scipy.optimize import linprog

        res = linprog(c, A_ub=A, b_ub=b, bounds=bounds, method="highs")
        if res.status != 0:
            raise DataError(f"the crashing linear program failed ({res.message}); "
                            "check the constraints and crash data")
        return res

    def _relevant(self, target: float) -> np.ndarray:
        """Tasks on some path longer than ``target`` at normal durations (all without pruning)."""
        if not self.prune:
            return np.ones(self.n, dtype=bool)
        return self._times(self.d)[2] > target + _TOL * max(1.0, target)

    def _grow(self, keep: np.ndarray, y_full: np.ndarray, target: float) -> bool:
        """Verify durations on the whole network; add the tasks of too-long paths.

        The LP over a subset of tasks is a relaxation of the full one (fewer constraints,
        the other tasks' costs are >= 0), so once its solution, with the other tasks at
        their normal durations, fits the target on the whole network it is optimal there.
        """
        _, finish, through = self._times(y_full)
        tol = _LP_TOL * max(1.0, target)
        if finish <= target + tol or keep.all():
            return False
        more = through > target + tol
        if (more & ~keep).any():
            keep |= more
        else:   # cannot happen for an exact relaxation; fall back to the whole network
            keep[:] = True
        return True

    def _solve_min_T(self) -> float:
        keep = self._relevant(self._times(self.dc)[1])
        while True:
            idx, A, b, row, bounds = self._lp(keep)
            k = len(idx)
            c = np.zeros(2 * k + 1)
            c[-1] = 1.0
            b = b.copy()
            b[row] = 1e15
            res = self._linprog(c, A, b, bounds)
            y_full = self.d.copy()
            y_full[idx] = np.clip(res.x[k:2 * k], self.dc[idx], self.d[idx])
            if not self._grow(keep, y_full, float(res.x[-1])):
                return float(res.x[-1]) if k else self.normal_T

    def cheapest(self, target: float) -> tuple[float, float, Any]:
        """(added cost, d cost / d target, state) of the cheapest schedule <= target."""
        keep = self._relevant(target)
        while True:
            if not keep.any():
                return 0.0, 0.0, (keep, None)
            idx, A, b, row, bounds = self._lp(keep)
            k = len(idx)
            b = b.copy()
            b[row] = target
            c = np.zeros(2 * k + 1)
            c[k:2 * k] = -self.slope[idx]
            res = self._linprog(c, A, b, bounds)
            y_full = self.d.copy()
            y_full[idx] = np.clip(res.x[k:2 * k], self.dc[idx], self.d[idx])
            if not self._grow(keep, y_full, target):
                best = float(res.fun + self.slope[idx] @ self.d[idx])
                return max(best, 0.0), float(res.ineqlin.marginals[row]), (keep, res)

    def least_crash(self, target: float, best: float, state: Any) -> np.ndarray:
        """Durations of the cheapest schedule that crashes least (lexicographic 2nd LP)."""
        from scipy import sparse

        keep, res = state
        keep = keep.copy()
        while True:
            if res is None or not keep.any():
                return self.d.copy()
            idx, A, b, row, bounds = self._lp(keep)
            k = len(idx)
            b = b.copy()
            b[row] = target
            const = float(self.slope[idx] @ self.d[idx])
            A2 = sparse.vstack([A, sparse.csr_matrix(np.r_[np.zeros(k), -self.slope[idx], 0.0])])
            c2 = np.zeros(2 * k + 1)
            c2[k:2 * k] = -1.0
            from scipy.optimize import linprog

            res2 = linprog(c2, A_ub=A2, b_ub=np.r_[b, best + _TOL * max(1.0, best) - const],
                           bounds=bounds, method="highs")
            sol = res2 if res2.status == 0 else res
            y_full = self.d.copy()
            y_full[idx] = np.clip(sol.x[k:2 * k], self.dc[idx], self.d[idx])
            if res2.status != 0 or not self._grow(keep, y_full, target):
                break
        # Snap solver noise (HiGHS works to ~1e-7) onto the normal and crash durations and
        # onto a micro-day grid, so whole-day data give whole-day answers.
        near = _LP_TOL * np.maximum(1.0, self.d)
        y = np.where(self.d - y_full <= near, self.d,
                     np.where(y_full - self.dc <= near, self.dc, y_full))
        grid = np.round(y, 6)
        return np.where(np.abs(grid - y) <= near, grid, y)

    def solve(self, target: float) -> tuple[float, float, np.ndarray]:
        """(added cost, d cost / d target, durations) of the cheapest schedule <= target."""
        best, slope, state = self.cheapest(target)
        return best, slope, self.least_crash(target, best, state)


def crash(project, target: float, *, crash_duration: str = "crash_duration",
          crash_cost: str = "crash_cost", normal_cost: str = "cost",
          cost_slope: str = "crash_cost_per_day") -> CrashResult:
    """Cheapest compression of the project to ``target`` working days.

    Each task ``j`` may be shortened from its normal duration ``d_j`` down to its crash
    duration ``dc_j`` at a constant cost slope ``c_j`` [currency per working day], with
    ``c_j = (crash cost - normal cost) / (d_j - dc_j)``. The linear program

    ``min sum_j c_j (d_j - y_j)`` subject to the PDM link constraints on starts ``S``
    and durations ``y`` (FS/SS/FF/SF with lags; percentage lags follow the crashed
    duration), ``S_j + y_j <= T <= target``, ``dc_j <= y_j <= d_j``, ``S_j >= 0``

    is solved with HiGHS; among equally cheap solutions the one that crashes least is
    returned. Only tasks on paths longer than the target enter the program; the solution
    is checked on the whole network and tasks of any path still too long are added
    (constraint generation), which keeps the result exact while the program stays small. SNET/MSO and FNET/MFO act as earliest start/finish bounds; late
    constraints (SNLT, FNLT) do not restrict how short a project can be and are ignored.

    Parameters
    ----------
    project : Project
        Task columns ``duration`` (normal), ``crash_duration`` (empty = cannot be
        shortened) and either ``crash_cost`` with ``cost`` (total costs at crash and
        normal duration) or ``crash_cost_per_day``.
    target : float
        Project duration to reach [working days].
    crash_duration, crash_cost, normal_cost, cost_slope : str
        Column names, when the table uses other names.

    Returns
    -------
    CrashResult

    Raises
    ------
    DataError
        Crash data missing, or ``target`` shorter than the shortest achievable duration.

    References
    ----------
    .. [1] Kelley, J. E. (1961). Critical-path planning and scheduling: mathematical
       basis. *Operations Research* 9(3), 296-320.
    .. [2] Hillier, F. S., Lieberman, G. J., *Introduction to Operations Research*,
       McGraw-Hill, ch. "Project Management with PERT/CPM", section "Time-cost
       trade-offs" (the linear-programming model of crashing).

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({
    ...     "id": ["A", "B", "C"], "duration": [4, 3, 5], "predecessors": ["", "A", ""],
    ...     "crash_duration": [2, 3, 4], "cost": [100, 100, 100], "crash_cost": [300, 100, 250]}))
    >>> r = crash(p, target=5)
    >>> r.duration, r.added_cost
    (5.0, 200.0)
    >>> float(r.table.loc["A", "duration"])
    2.0
    """
    model = _CrashModel(project, crash_duration, crash_cost, normal_cost, cost_slope)
    target = float(target)
    if not math.isfinite(target) or target < model.crash_T - _LP_TOL:
        raise DataError(
            f"target {target:g} working days is shorter than the shortest possible project "
            f"duration {model.crash_T:g} (every task at its crash duration); choose a target "
            f">= {model.crash_T:g}")
    from tpmkit.cpm import passes

    added, _, y = model.solve(min(target, model.normal_T))
    r = passes(model.net, y)
    es, ls, makespan = r["early_start"], r["late_start"], float(r["project_finish"])
    table = pd.DataFrame({
        "normal_duration": model.d, "crash_duration": model.dc, "cost_slope": model.slope,
        "duration": y, "crashed_by": model.d - y, "added_cost": model.slope * (model.d - y),
        "early_start": es, "early_finish": es + y, "total_float": ls - es,
    }, index=model.ids)
    table["critical"] = table["total_float"] <= _TOL * max(1.0, makespan)
    return CrashResult(target, makespan, model.normal_T, model.crash_T, added,
                       model.normal_cost, table)


def time_cost_curve(project, *, indirect_cost_per_day: float | None = None,
                    crash_duration: str = "crash_duration", crash_cost: str = "crash_cost",
                    normal_cost: str = "cost", cost_slope: str = "crash_cost_per_day",
                    max_solves: int = 500) -> TimeCostCurve:
    """The project time--cost trade-off curve (minimum direct cost per duration).

    The minimum added cost ``f(T)`` of finishing within ``T`` is convex and piecewise
    linear in ``T``. Its breakpoints are found exactly by the sandwich (tangent
    intersection) method: at two known points, intersect the supporting lines whose
    slopes are the linear program's dual values of the ``T <= target`` row; if ``f``
    meets the intersection the curve is linear there, else split and repeat. This needs
    about two solves per breakpoint instead of one per day, plus one per breakpoint for
    its least-crashing durations.

    Parameters
    ----------
    project : Project
        Crash data as for :func:`crash`.
    indirect_cost_per_day : float, optional
        Indirect (overhead) cost [currency per working day]; adds ``indirect_cost`` and
        ``total_cost`` and sets ``optimal_duration`` (the minimum of the total, always
        at a breakpoint).
    max_solves : int
        Safety limit on linear-program solves.

    Returns
    -------
    TimeCostCurve

    References
    ----------
    .. [1] Fulkerson, D. R. (1961). A network flow computation for project cost curves.
       *Management Science* 7(2), 167-178.
    .. [2] Kelley, J. E. (1961). Critical-path planning and scheduling: mathematical
       basis. *Operations Research* 9(3), 296-320.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({
    ...     "id": ["A", "B"], "duration": [4, 3], "predecessors": ["", "A"],
    ...     "crash_duration": [2, 2], "crash_cost_per_day": [100, 50]}))
    >>> time_cost_curve(p).table[["duration", "added_cost", "cost_per_day"]]
       duration  added_cost  cost_per_day
    0       7.0         0.0           NaN
    1       6.0        50.0          50.0
    2       4.0       250.0         100.0
    """
    model = _CrashModel(project, crash_duration, crash_cost, normal_cost, cost_slope)
    lo, hi = model.crash_T, model.normal_T
    points: dict[float, tuple[float, float, Any]] = {hi: (0.0, 0.0, None)}
    scale = max(1.0, float(model.slope @ (model.d - model.dc)))
    tol_c, tol_t = _LP_TOL * scale, _LP_TOL * max(1.0, hi)
    if hi - lo > tol_t:
        points[lo] = model.cheapest(lo)
        points[hi] = model.cheapest(hi)
        stack, solves = [(lo, hi)], 3
        while stack:
            a, b = stack.pop()
            fa, ga, _ = points[a]
            fb, gb, _ = points[b]
            if abs(ga - gb) <= _TOL * max(1.0, abs(ga)):
                continue
            x = (fb - fa + ga * a - gb * b) / (ga - gb)
            if x - a <= tol_t or b - x <= tol_t:
                continue
            line = fa + ga * (x - a)
            if solves >= max_solves:
                raise DataError(f"the time-cost curve needed more than {max_solves} solves; "
                                "raise max_solves")
            points[x] = model.cheapest(x)
            solves += 1
            if points[x][0] <= line + tol_c:
                continue
            stack += [(a, x), (x, b)]
    durations = np.array(sorted(points, reverse=True))
    costs = np.array([points[t][0] for t in durations])
    # Keep breakpoints only: drop points collinear with their neighbours.
    keep = np.ones(len(durations), dtype=bool)
    for i in range(1, len(durations) - 1):
        j = np.flatnonzero(keep[:i])[-1]
        s1 = (costs[i] - costs[j]) / (durations[j] - durations[i])
        s2 = (costs[i + 1] - costs[i]) / (durations[i] - durations[i + 1])
        keep[i] = abs(s1 - s2) > _LP_TOL * max(1.0, abs(s1), abs(s2))
    durations, costs = durations[keep], costs[keep]
    per_day = np.r_[np.nan, np.diff(costs) / -np.diff(durations)]
    table = pd.DataFrame({"duration": durations, "added_cost": costs,
                          "direct_cost": model.normal_cost + costs, "cost_per_day": per_day})
    optimal = float("nan")
    if indirect_cost_per_day is not None:
        table["indirect_cost"] = float(indirect_cost_per_day) * table["duration"]
        total = table["added_cost"] + table["indirect_cost"]
        table["total_cost"] = table["direct_cost"] + table["indirect_cost"] if not math.isnan(
            model.normal_cost) else total
        optimal = float(table["duration"].iloc[int(np.argmin(total.to_numpy()))])
    dur_table = pd.DataFrame(
        [model.d if points[t][2] is None else model.least_crash(t, points[t][0], points[t][2])
         for t in durations], columns=model.ids)
    return TimeCostCurve(table, dur_table, optimal)
