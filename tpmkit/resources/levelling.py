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
numba compiles when it is installed (:mod:`tpmkit.resources._search`,
through :mod:`tpmkit._core.jit`).

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
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tpmkit._core import pdm
from tpmkit._core.codes import EPS
from tpmkit._core.graph import longest_path
from tpmkit._core.graph import topo_by_key as _topo_by_key
from tpmkit._core.rng import resolve_rng
from tpmkit.errors import CycleError, TpmkitWarning, ValidationError, check_option, format_ids
from tpmkit.resources._search import BIG as _BIG
from tpmkit.resources._search import blockers as _blockers
from tpmkit.resources._search import evaluate_lists as _evaluate_lists
from tpmkit.resources._search import holders as _holders
from tpmkit.resources._search import improve_fbi as _improve
from tpmkit.resources._search import parallel_sgs as _parallel_sgs
from tpmkit.resources._search import rbrs_lists as _rbrs_lists
from tpmkit.resources._search import search_kernel as _search
from tpmkit.resources._search import soft_single as _soft_single
from tpmkit.resources._search import successor_counts as _successor_counts

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
_POP = 40  # GA population size (Hartmann 1998 uses 40-90 for 1000-5000 schedules)
_MUTATION = 0.05  # per-position swap probability (Hartmann 1998)
_RESTART = 10  # generations without a better incumbent before the population is resampled
#: The largest time grid levelling works on: periods × resources (8 bytes a cell per profile)
MAX_GRID_CELLS = 50_000_000


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
        if self.H * max(len(self.cap), 1) > MAX_GRID_CELLS:  # the usage profiles' size
            raise ValidationError(f"levelling needs a time grid of {self.H:,} periods × {len(self.cap)} "
                                  f"resource(s), beyond the bound of {MAX_GRID_CELLS:,} cells (the sum of "
                                  "the durations sets the horizon); round durations and lags to whole "
                                  "or half days, or level a part of the plan")

    def cpm(self) -> tuple[np.ndarray, np.ndarray, int]:
        """Earliest and latest starts and the length [periods] without resources.

        The core's longest-path passes over the start-to-start distances (exact on the
        integer grid: whole numbers far below 2**53 in float64); called a few times per
        run, outside the compiled search, so the float passes cost nothing measurable.
        """
        n, frm, to = len(self.dur), self.link_from, self.link_to
        w = self.delta.astype(np.float64)
        es = longest_path(n, frm, to, w, self.earliest.astype(np.float64), True)
        T = int((es + self.dur).max(initial=0))
        ls = longest_path(n, frm, to, w, (T - self.dur).astype(np.float64), False)
        return es.astype(np.int64), ls.astype(np.int64), T

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
        PSPLIB comparisons (Kolisch & Hartmann 2006); 1 gives the plain priority-rule schedule.
    time_budget : float or None
        Wall-clock limit [s] on top of ``passes``; None for a reproducible run.
    improve : bool
        Apply forward–backward improvement (justification) (Valls et al. 2005).
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
        joined ids of the resources short on the day before the task started and of the
        tasks holding them that day), ``driving_predecessor`` (the predecessor that sets
        the levelled earliest start, empty when the project start or a constraint does),
        ``over_allocated`` (left over capacity: when levelling within float, or a task
        whose assignments alone need more than a resource's capacity) and,
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
        """Ids of tasks left over capacity (see the ``over_allocated`` column)."""
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
        positional weight (Kolisch 1996).
    scheme : {"serial", "parallel"}
        Schedule-generation scheme of the first pass (Kolisch 1996); the search decodes with the
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
        Genetic algorithm (Hartmann 1998), regret-based biased random sampling, or none.
    improve : bool
        Forward–backward improvement (justification) (Valls et al. 2005).

    Returns
    -------
    LevelResult

    Raises
    ------
    ValidationError
        When a capacity is negative.

    Warns
    -----
    TpmkitWarning
        When a task alone needs more units per day than a resource's capacity: as MS
        Project and P6 do, the units are not changed; the task runs with all of the
        resource and is reported ``over_allocated``.

    Notes
    -----
    Links of all four types with lags become minimum start-to-start distances (Neumann et al. 2003):
    FS ``d_i + lag``, SS ``lag``, FF ``d_i + lag − d_j``, SF ``lag − d_j`` (``lag``
    including percent lags). SNET/FNET/MSO/MFO constraints act as release dates (a task
    never starts before them); SNLT/FNLT deadlines are not enforced by levelling.
    Times run on a grid of whole working days, or of 1/k day when durations or lags are
    fractional (k ≤ 100; finer values are rounded up, which can only lengthen).
    Progress (actual dates, percent complete) is not taken into account.

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
    from tpmkit import cpm as cpm_api

    t0 = time.perf_counter()
    rule, scheme, search, passes = _check_common(rule, scheme, search, passes, time_budget)
    cpm_api.warn_calendars(project, "resource levelling", stacklevel=3)  # whole days only
    net = project.network()
    ids = np.asarray(net.ids, dtype=object)
    n = len(ids)
    dur = np.asarray(net.duration, dtype=np.float64)
    frm, to = np.asarray(net.link_from, np.int64), np.asarray(net.link_to, np.int64)
    lag = net.lag + net.lag_percent * dur[frm]
    delta_real = pdm.start_distance(np.asarray(net.link_type), dur[frm], lag, dur[to])
    release = pdm.release_start(np.asarray(net.constraint_type), net.constraint_offset, dur)
    release = np.maximum(np.nan_to_num(release, nan=0.0, neginf=0.0), 0.0)
    cpm = cpm_api.passes(net)
    k = _grid_scale(np.concatenate([dur, delta_real, release]))

    def grid(x: np.ndarray) -> np.ndarray:
        return np.ceil(np.asarray(x, float) * k - 1e-6).astype(np.int64)

    demand, cap, res_names, free = _capacities(project, ids)
    alone_over = _exclusive_overloads(demand, cap, res_names, ids)
    d = grid(dur)
    latest = (np.floor(cpm["late_start"] * k + 1e-6).astype(np.int64) if within_float
              else np.full(n, _BIG, np.int64))
    prob = _Problem(ids=ids, dur=d, link_from=frm, link_to=to, delta=grid(delta_real),
                    demand=np.ascontiguousarray(demand), cap=cap, resources=res_names,
                    earliest=grid(release), latest=latest)
    # LFT/LST/MSLK from the CPM engine, so SNLT/FNLT constraints rank the tasks they
    # constrain first (levelling itself does not enforce them)
    cpm_prios = {"lft": np.asarray(cpm["late_finish"], float),
                 "lst": np.asarray(cpm["late_start"], float),
                 "mslk": np.asarray(cpm["total_float"], float)}
    out = _run(prob, rule, scheme, search, passes, time_budget, improve, within_float, rng,
               t0, cpm_prios)
    return _result(project, prob, out, cpm, dur, k, rule, scheme, search, within_float, free,
                   alone_over)


def _exclusive_overloads(demand: np.ndarray, cap: np.ndarray, names: list[str],
                         ids: np.ndarray) -> np.ndarray:
    """Tasks that alone need more of a resource than its capacity (a mask; one warning).

    MS Project and Primavera P6 never change assignment units when they level: a task
    whose assignments of one resource add up above its maximum units is scheduled anyway
    and stays over-allocated ("cannot resolve the overallocation"). tpmkit does the same:
    such a demand is capped at the capacity in place (the task holds all of the resource,
    so nothing else using it runs alongside) and the task is reported over-allocated.
    """
    over = demand > cap[None, :] + _EPS
    if not over.any():
        return np.zeros(len(ids), dtype=bool)
    rows, cols = np.nonzero(over)
    what = ", ".join(f"{ids[r]} needs {demand[r, c]:g} of {names[c]} (capacity {cap[c]:g})"
                     for r, c in zip(rows[:5], cols[:5]))
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    warnings.warn(f"tasks need more units per day than a resource's capacity ({what}{more}); "
                  "as in MS Project and P6, levelling does not change assignment units: each "
                  "such task runs with all of the resource and stays over-allocated — raise "
                  "the capacity or lower the units to resolve it", TpmkitWarning, stacklevel=3)
    demand[over] = np.broadcast_to(cap[None, :], demand.shape)[over]
    return over.any(axis=1)


def _join_groups(out: np.ndarray, keys: np.ndarray, labels: list[str]) -> None:
    """``out[k] = "; ".join(labels of k)`` for runs of equal, sorted ``keys``."""
    cuts = np.flatnonzero(np.diff(keys)) + 1
    for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(keys)]):
        out[keys[a]] = "; ".join(labels[a:b])


def _result(project, prob: _Problem, out: _Outcome, cpm: dict, dur: np.ndarray, k: int,
            rule: str, scheme: str, search: str, within_float: bool,
            free: list[str], alone_over: np.ndarray) -> LevelResult:
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
    over |= alone_over
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
