"""Monte Carlo schedule risk analysis on the CPM/PDM network (AACE RP 57R-09).

:func:`simulate` samples every uncertain duration, the risk events of the risk register and
probabilistic branches, schedules each iteration with the PDM rules of :mod:`tpmkit.cpm`
and returns a :class:`SimulationResult`: the finish and cost distributions (percentiles,
S-curve, histogram, probability of any date, joint confidence of date and cost) and, per
task, criticality, significance, schedule sensitivity and cruciality, a tornado, the merge
bias of every merge node and the ranking of the risk drivers. :func:`compare_mitigation`
runs the register before and after the responses with common random numbers.

Speed and memory: iterations run in chunks through one compiled loop (numba, cached on
disk) that samples, schedules and updates streaming statistics without ever holding the
iterations × tasks matrix; a numpy implementation of the same arithmetic
(``engine="numpy"``) serves as the bit-identical reference.

References
----------
AACE International (2011). RP 57R-09, *Integrated Cost and Schedule Risk Analysis using
Monte Carlo Simulation of a CPM Model*.
Williams, T. M. (1992). Criticality in stochastic networks. *Journal of the Operational
Research Society* 43(4), 353–357 (criticality and significance index).
PMI (2009). *Practice Standard for Project Risk Management* (schedule sensitivity index).
Vanhoucke, M. (2010). Using activity sensitivity and network topology information to
monitor project time performance. *Omega* 38(5), 359–370 (CI, SI, SSI, CRI).
Hulett, D. (2009). *Practical Schedule Risk Analysis*, Gower (merge bias, risk drivers).
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._core.codes import EPS
from tpmkit._core.jit import HAVE_NUMBA
from tpmkit._core.rng import resolve_rng
from tpmkit.errors import DataError, TpmkitWarning, ValidationError, check_option, format_ids
from tpmkit.model.progress import (
    PROGRESS_OPTIONS,
    progress_arrays,
    progress_network,
    remaining_estimates,
    warn_progress,
    with_status_date,
)
from tpmkit.risk import _calendars, _engine
from tpmkit.risk._random import OCCURRENCE, draw_key, sub_key, uniforms
from tpmkit.risk._run import KEEP, N_BINS, Plan, chunk_rows
from tpmkit.risk.correlation import CorrelationWarning, correlation_matrix
from tpmkit.risk.distributions import FIXED, build_sampler
from tpmkit.risk.register import open_risks
from tpmkit.risk.result import MitigationComparison, SimulationResult

__all__ = ["MitigationComparison", "SimulationResult", "compare_mitigation", "simulate"]

_PILOT = 256          # iterations of the pilot run that places those bins
_KENDALL = 500        # of those, the iterations Kendall's tau uses (O(n log n) per task)
_DRIVERS = 5000       # iterations of each risk-driver re-run (common random numbers)
_MIN_UNFIRED = 200    # fewer iterations without the risk: its contribution from a re-run
_RERUN_BUDGET = 5_000_000  # task-iterations of all driver re-runs for risk_drivers=True
_EPS = EPS


# --------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------
def _seed(rng: object) -> tuple[np.random.Generator, int | None, dict | None]:
    # a Generator is used as given: its initial state replays the run (_replay)
    gen, seed = resolve_rng(rng)
    return gen, seed, (gen.bit_generator.state if seed is None else None)


def _register(project, risks: object, task_ids: list[str], durations: pd.Series
              ) -> pd.DataFrame | None:
    if risks is False:
        return None
    src = project.risks if risks is None else risks
    if src is None or (isinstance(src, pd.DataFrame) and len(src) == 0):
        return None
    from tpmkit.risk.register import normalize_register

    if isinstance(src, pd.DataFrame) and {"impact_unit", "impact_min", "post_probability"} <= set(
            src.columns):
        reg = src.copy()
    else:
        reg = normalize_register(src, task_ids=task_ids, durations=durations)
    reg.index = reg.index.astype(str)
    # checks that also cover a hand-made canonical frame
    known = set(task_ids)
    for col in ("probability", "post_probability"):
        p = pd.to_numeric(reg[col], errors="coerce")
        bad = ~((p >= 0) & (p <= 1))
        if bad.any():
            raise ValidationError(f"risk register: {col} outside [0, 1] for risk(s) "
                                  f"{format_ids(reg.index[bad.to_numpy()])}; give a probability "
                                  "between 0 and 1")
    for rid, tasks in reg["tasks"].items():
        unknown = [t for t in (tasks or ()) if str(t) not in known]
        if unknown:
            raise ValidationError(f"risk register: risk {rid} names unknown task(s) "
                                  f"{format_ids(unknown)}; use ids from the task table")
    for pre in ("", "post_"):
        for a, b in ((f"{pre}impact_min", f"{pre}impact_likely"),
                     (f"{pre}impact_likely", f"{pre}impact_max"),
                     (f"{pre}cost_min", f"{pre}cost_likely"),
                     (f"{pre}cost_likely", f"{pre}cost_max")):
            bad = (reg[a] > reg[b]).to_numpy()
            if bad.any():
                raise ValidationError(f"risk register: {a} > {b} for risk(s) "
                                      f"{format_ids(reg.index[bad])}; order the three points "
                                      "min ≤ likely ≤ max")
    if "status" in reg:
        reg = reg[reg["status"].astype(str).str.lower() != "closed"]
    return reg


def _risk_arrays(reg: pd.DataFrame | None, index: pd.Index, mitigated: bool) -> dict:
    if reg is None or len(reg) == 0:
        z5 = np.zeros((0, 5))
        return {"ids": [], "prob": np.zeros(0), "unit": np.zeros(0, np.int64), "imp": z5,
                "cost": z5, "ptr": np.zeros(1, np.int64), "task": np.zeros(0, np.int64)}
    pre = "post_" if mitigated else ""
    prob = reg[f"{pre}probability"].to_numpy(np.float64)
    unit = reg["impact_unit"].map({"days": 1, "percent": 2}).fillna(0).to_numpy(np.int64)
    imp = _engine.tri_params(reg[f"{pre}impact_min"], reg[f"{pre}impact_likely"],
                             reg[f"{pre}impact_max"])
    cost = _engine.tri_params(reg[f"{pre}cost_min"], reg[f"{pre}cost_likely"],
                              reg[f"{pre}cost_max"])
    tasks = [index.get_indexer([str(t) for t in (ts or ())]).astype(np.int64)
             for ts in reg["tasks"]]
    ptr = np.zeros(len(tasks) + 1, np.int64)
    np.cumsum([len(t) for t in tasks], out=ptr[1:])
    task = np.concatenate(tasks) if tasks else np.zeros(0, np.int64)
    return {"ids": [str(i) for i in reg.index], "prob": prob, "unit": unit, "imp": imp,
            "cost": cost, "ptr": ptr, "task": task.astype(np.int64)}


def _existence(project, existence: Mapping[str, float] | None, ids: list[str]) -> np.ndarray:
    xp = np.ones(len(ids))
    if "existence_probability" in project.tasks:
        col = project.tasks["existence_probability"].to_numpy(dtype=float)  # validated by the model
        xp = np.where(np.isfinite(col), col, 1.0)
    if existence:
        pos = {t: k for k, t in enumerate(ids)}
        unknown = [t for t in existence if str(t) not in pos]
        if unknown:
            raise ValidationError(f"existence probability given for unknown task(s) "
                                  f"{format_ids(unknown)}; use task ids of the project")
        for t, p in existence.items():
            xp[pos[str(t)]] = float(p)
    bad = ~((xp > 0) & (xp <= 1))
    if bad.any():
        raise ValidationError(f"existence probability outside (0, 1] for task(s) "
                              f"{format_ids(np.array(ids)[bad])}; give the chance that the "
                              "branch happens, e.g. 0.3")
    return xp


def _money(project, col: str) -> np.ndarray:
    if col not in project.tasks:
        return np.zeros(len(project.tasks))
    return np.nan_to_num(pd.to_numeric(project.tasks[col], errors="coerce").to_numpy(np.float64))


# --------------------------------------------------------------------------------------
# the simulation
# --------------------------------------------------------------------------------------
def simulate(project, iterations: int = 10_000, rng: int | np.random.Generator | None = None,
             *, distribution: str = "pert", pert_lambda: float = 4.0,
             latin_hypercube: bool = False, correlation: object = None,
             risks: object = None, mitigated: bool = False,
             existence: Mapping[str, float] | None = None,
             empirical: Mapping[str, Sequence[float]] | None = None,
             ratios: Sequence[float] | None = None,
             tolerance: float | None = None, chunk_size: int | None = None,
             keep_task_samples: bool = False, risk_drivers: bool | str = True,
             progress: Callable[[int, int], object] | None = None,
             engine: str = "numba", out_of_sequence: str = "retained_logic",
             status_date: object = None) -> SimulationResult:
    """Monte Carlo simulation of the project schedule and cost.

    Parameters
    ----------
    project : Project
        A validated project (``tpmkit.read``). Tasks with ``optimistic``, ``most_likely``,
        ``pessimistic`` are uncertain; the others keep their ``duration``.
    iterations : int
        Number of iterations (the maximum when ``tolerance`` is set).
    rng : int, numpy.random.Generator or None
        Seed or generator; a seeded run is reproducible bit for bit. The seed is stored in
        the result (a fresh one is drawn when None).
    distribution : str
        Default family for tasks whose ``distribution`` column is blank: ``pert``,
        ``triangular``, ``uniform``, ``normal``, ``lognormal``, ``fixed``, ``empirical``.
    pert_lambda : float
        Weight λ of the most likely value in the beta-PERT (4 = classic PERT).
    latin_hypercube : bool
        Stratify the uniforms (Latin hypercube within each chunk).
    correlation : DataFrame, groups or pairs, optional
        Target rank correlation between task durations (see
        :func:`tpmkit.risk.correlation.correlation_matrix`), induced by Iman–Conover.
    risks : DataFrame, False or None
        Risk register (raw or normalised); None uses ``project.risks``; False ignores it.
        Risks with status ``closed`` are skipped.
    mitigated : bool
        Use the post-response (``post_*``) figures of the register.
    existence : mapping, optional
        Probabilistic branching: ``{task id: probability that the task happens}``
        (also read from a task column ``existence_probability``). An absent task has zero
        duration and cost.
    empirical : mapping, optional
        Observed durations per task id [working days] (the task becomes ``empirical``).
    ratios : sequence of float, optional
        Historical actual/estimate ratios; an ``empirical`` task without own values samples
        ``ratio × duration``.
    tolerance : float, optional
        Stop at convergence: when the mean and the P80 of the finish change by less than
        ``tolerance`` (relative) over two successive chunks.
    chunk_size : int, optional
        Iterations per chunk (default from a memory budget of about 64 MB per chunk).
    keep_task_samples : bool
        Keep every task's early start and finish per iteration (``task_start`` and
        ``task_finish``; memory iterations × tasks × 16 bytes).
    risk_drivers : bool, "samples" or "rerun"
        Rank the risk events by their contribution to the finish P80 and mean.
        ``"rerun"``: a re-run without each risk on the same random numbers (up to 5,000
        iterations each; exact pairing, one run per risk). ``"samples"``: from the same
        samples, in one run whatever the size of the register (the iterations where a risk
        did not fire are a sample of the project without it, since its occurrence is
        independent of everything else); a risk that fired in all but fewer than 200
        iterations is re-run. ``True`` (default): ``"rerun"`` while all the re-runs together
        cost at most 5 M task-iterations (small plans, a fraction of a second), else
        ``"samples"``. ``False``: not ranked.
    progress : callable or None
        ``progress(done, total)``, called with ``done = 0`` when the main run starts and
        after every chunk with the iterations done and asked for (a run that stops at
        convergence ends with a call where ``total`` is the iterations run). None or False reports nothing. The
        computation draws no bar itself: the command line passes a ``tqdm`` bar
        (:func:`tpmkit.widgets.progress.tqdm_progress`).
    engine : str
        ``numba`` (compiled) or ``numpy`` (the slower reference; identical results).
        Without numba (not installed, or ``TPMKIT_NO_NUMBA=1``) both run the numpy path, and
        so does ``numba`` for a run of fewer than 500,000 task-iterations while numba is not
        loaded yet (loading it would take longer than the run).
    out_of_sequence : str
        With a status date: ``retained_logic`` (default), ``progress_override`` or
        ``actual_dates``, as the ``progress`` option of :func:`tpmkit.schedule`.
    status_date : date, False or None
        The data date; default the project's ``status_date``; ``False`` ignores it.

    Returns
    -------
    SimulationResult

    Raises
    ------
    ValidationError
        Bad register rows (unknown task, probability outside [0, 1], unordered three
        points), bad correlation matrix, bad distribution settings.

    Notes
    -----
    With a status date (and a start date) only the remaining work is simulated, on the
    network of :func:`tpmkit.schedule` with that status date: completed tasks are fixed at
    their actual dates; an in-progress task samples its remaining duration, from
    ``remaining_optimistic``, ``remaining_most_likely``, ``remaining_pessimistic`` when given,
    else from its three-point estimate scaled by ``remaining_duration / duration``; no task
    resumes or starts before the status date. Risk events do not fire when their register
    ``status`` is ``closed``, when their ``window_end`` lies before the status date, or when
    every task they name is complete. Task statistics (``duration_mean``, ``start_mean``,
    …) are then those of the remaining work; ``deterministic_duration`` is the forecast
    of :func:`tpmkit.schedule`, and ``o = m = p`` reproduces it exactly.

    When tasks use their own calendars (``tasks["calendar"]``), each iteration is scheduled
    on them exactly as :func:`tpmkit.schedule` schedules its sampled durations (working
    hours, the project's ``lag_calendar`` rule): the finish, ``start_mean`` and
    ``finish_mean`` are offsets of the project calendar, durations and floats count in the
    task's calendar, and a risk that names no task delays the finish by working days of the
    project calendar. Such a run costs about nine times a whole-day run (binary searches
    on the calendars' working time per task and iteration).

    References
    ----------
    AACE RP 57R-09 (2011); Williams (1992); Vanhoucke (2010); Iman & Conover (1982).

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "optimistic": [2, 3],
    ...     "most_likely": [4, 4], "pessimistic": [9, 5], "predecessors": ["", "A"]}))
    >>> r = simulate(p, 5000, rng=7, progress=False)
    >>> r.deterministic_duration
    8.5
    >>> round(r.mean, 1)
    8.5
    >>> r.tasks["criticality"].tolist()
    [1.0, 1.0]
    """
    t_start = time.perf_counter()
    engine, progress, iterations = _check_run_options(engine, progress, iterations, tolerance)
    if risk_drivers not in (True, False, "samples", "rerun"):
        raise ValidationError(f"risk_drivers must be True, False, 'samples' or 'rerun', got "
                              f"{risk_drivers!r}")
    gen, seed, state = _seed(rng)
    out_of_sequence = check_option(out_of_sequence, list(PROGRESS_OPTIONS), "out_of_sequence")
    project = with_status_date(project, status_date)
    plan = _prepare(project, iterations, distribution=distribution, pert_lambda=pert_lambda,
                    latin_hypercube=latin_hypercube, correlation=correlation, risks=risks,
                    mitigated=mitigated, existence=existence, empirical=empirical,
                    ratios=ratios, tolerance=tolerance, chunk_size=chunk_size, engine=engine,
                    out_of_sequence=out_of_sequence)
    plan.bins = _pilot_bins(plan, gen, iterations)
    ra = plan.ra
    out, done, converged, achieved = plan.run(ra["prob"], gen, progress, keep_task_samples,
                                              iterations)
    finish = out.finish[:done].copy()
    cost = out.cost[:done].copy()

    tasks = _task_table(project, plan.net, plan.smp, out, finish, done, plan.aff, plan.branch,
                        plan.det["early_start"], plan.t_det, min(done, KEEP), plan.bins,
                        None if plan.cal is None else plan.det["early_finish"])
    _check_horizon(plan, finish)
    tornado = _tornado(out, plan.smp, tasks, plan.bins, plan.ids)
    merge = _merge_bias(project, plan.net, out, plan.det["early_start"], done)
    risk_table = _risk_table(plan, out, finish, done, seed, state, risk_drivers)
    return _result(project, plan, out, finish, cost, done, converged, achieved,
                   seed=seed, state=state, tasks=tasks, tornado=tornado, merge=merge,
                   risk_table=risk_table, keep_task_samples=keep_task_samples,
                   settings={"distribution": distribution, "pert_lambda": pert_lambda,
                             "latin_hypercube": latin_hypercube, "mitigated": mitigated,
                             "engine": engine, "chunk_size": plan.chunk,
                             "tolerance": tolerance,
                             "status_date": (None if plan.bounds is None
                                             else project.status_date.date().isoformat()),
                             "out_of_sequence": out_of_sequence},
                   t_start=t_start)


def _check_run_options(engine: str, progress: Any, iterations: Any, tolerance: float | None
                       ) -> tuple[str, Callable[[int, int], object] | None, int]:
    """Validate the run options of :func:`simulate`; False as progress means None."""
    engine = check_option(engine, ["numba", "numpy"], "engine")
    if progress is False:
        progress = None
    if progress is not None and not callable(progress):
        raise ValidationError(f"progress must be a function progress(done, total) or None, got "
                              f"{progress!r}; for a bar pass tpmkit.widgets.progress.tqdm_progress()")
    if not isinstance(iterations, int | np.integer) or iterations < 1:
        raise ValidationError(f"iterations must be a positive integer, got {iterations!r}")
    iterations = int(iterations)
    if tolerance is not None and not (0 < tolerance < 1):
        raise ValidationError(f"tolerance must be between 0 and 1 (relative), got {tolerance!r}")
    return engine, progress, iterations


def _prepare(project, iterations: int, *, distribution: str, pert_lambda: float,
             latin_hypercube: bool, correlation: object, risks: object, mitigated: bool,
             existence: Mapping[str, float] | None,
             empirical: Mapping[str, Sequence[float]] | None, ratios: Sequence[float] | None,
             tolerance: float | None, chunk_size: int | None, engine: str,
             out_of_sequence: str = "retained_logic") -> Plan:
    """Network, sampler, deterministic schedule, register, branches, costs and chunking."""
    net = project.network()
    n = net.n_tasks
    if n == 0:
        raise DataError("the project has no tasks; add tasks before simulating")
    ids = [str(i) for i in project.tasks.index.tolist()]
    index = pd.Index(ids)
    from tpmkit.cpm.core import lag_calendar_of, project_passes
    lag_calendar = lag_calendar_of(project)
    tasks, bounds, prog = project.tasks, None, None
    if project.status_date is not None and project.start is not None:
        warn_progress(project, stacklevel=3)
        prog = progress_arrays(project.progress, project.status_offset)
        net, bounds = progress_network(net, prog, out_of_sequence)
        bounds["fixed"] = np.where(prog.status == 2, np.nan, 0.0)  # no float, never critical
        tasks = remaining_estimates(tasks, prog)
    smp = build_sampler(tasks, net.duration, default=distribution,
                        pert_lambda=pert_lambda, empirical=empirical, ratios=ratios)
    det = project_passes(project, net, None, None, bounds, lag_calendar)
    t_det = float(det["project_finish"])
    reg = _register(project, risks, ids, pd.Series(net.duration, index=index))
    if prog is not None:
        reg = open_risks(reg, prog.status, index, project.status_date)
    ra = _risk_arrays(reg, index, mitigated)
    xp = _existence(project, existence, ids)
    if prog is not None:
        xp[prog.status != 0] = 1.0  # started work exists
    cfix, rate = _money(project, "cost"), _money(project, "rate")
    if prog is not None:  # the planned cost of the work done is a constant
        done = project.network().duration - net.duration
        cfix = cfix + np.where(prog.status != 0, rate * done, 0.0)
    det_cost = float((cfix + rate * net.duration).sum())

    stoch = smp.stochastic
    ucol = np.full(n, -1, np.int64)
    ucol[stoch] = np.arange(len(stoch))
    branch = np.flatnonzero(xp < 1)
    xcol = np.full(n, -1, np.int64)
    xcol[branch] = np.arange(len(branch))
    aff = np.unique(ra["task"]).astype(np.int64)
    target, ic_cols = _correlation_columns(correlation, ids, index, ucol)

    # uniforms held per iteration of a chunk (the task uniforms only when they are drawn
    # here: Latin hypercube or correlation; otherwise the kernel draws them itself)
    draw_here = latin_hypercube or ic_cols is not None
    per_row = max((len(stoch) if draw_here else 0) + len(branch) + 2 * len(ra["prob"]), 1)
    chunk = chunk_rows(chunk_size, per_row, n, iterations, tolerance)
    # strata blocks of Latin hypercube and correlation: the default chunk, whatever the
    # chunk_size given (so that the chunking never changes the samples)
    block = chunk_rows(None, per_row, n, iterations, tolerance)
    cal = None
    if lag_calendar is not None:  # tasks on their own calendars: the kernel's time axis
        cal, bounds = _calendar_inputs(project, net, smp, bounds, lag_calendar, ra)
    return Plan(net=net, smp=smp, det=det, t_det=t_det, ids=ids, index=index, ra=ra, xp=xp,
                 cfix=cfix, rate=rate, det_cost=det_cost, ucol=ucol, branch=branch, xcol=xcol,
                 aff=aff, target=target, ic_cols=ic_cols, draw_here=draw_here,
                 latin_hypercube=latin_hypercube, tolerance=tolerance, chunk=chunk,
                 # on calendars always compiled: the numpy reference runs one iteration at
                 # a time there
                 compiled=engine == "numba" and (_engine.worth_compiling(n * iterations)
                                                 or (cal is not None and HAVE_NUMBA)),
                 bounds=bounds, block=block, cal=cal,
                 iterations=iterations)


def _calendar_inputs(project, net, smp, bounds: dict | None, lag_calendar: str, ra: dict
                     ) -> tuple[dict, dict | None]:
    """The kernel's calendar inputs (:func:`tpmkit.risk._calendars.calendar_inputs`) and the
    status-date bounds as instants, on an axis long enough for the slowest iteration: twice
    the schedule with every task at the top of its range and every risk at its largest
    impact, plus a year (past it, time would count as working; checked after the run)."""
    from tpmkit.cpm.core import project_passes
    from tpmkit.model.timeplan import time_plan

    high = np.where(np.isfinite(smp.high), smp.high, smp.mean + 10 * smp.std)
    extra = np.zeros(net.n_tasks)  # the largest schedule impact of the risks on each task
    big = np.abs(ra["imp"][:, :2]).max(axis=1) if len(ra["prob"]) else np.zeros(0)
    for r in np.flatnonzero(ra["unit"] > 0):
        tasks = ra["task"][ra["ptr"][r]:ra["ptr"][r + 1]]
        step = big[r] if ra["unit"][r] == 1 else big[r] / 100.0 * high[tasks]
        extra[tasks] += step
    delay = float(big[(ra["unit"] > 0) & (np.diff(ra["ptr"]) == 0)].sum()) if len(big) else 0.0
    top = project_passes(project, net, np.maximum(high, net.duration) + extra, None, bounds,
                         lag_calendar)
    span = float(np.nanmax(top["instants"]["early_finish"], initial=0.0)) / 1440.0
    per_week = max(sum(project.calendar.weekmask), 1)  # working days → calendar days
    plan = time_plan(project, net, lag_calendar, int(2 * span + 2 * delay * 7 / per_week) + 365)
    if bounds is not None:  # the release and due bounds as instants (calendar_passes)
        bounds = dict(bounds)
        for k, kind in (("rel_start", "start"), ("rel_finish", "finish"),
                        ("due_start", "start"), ("due_finish", "finish")):
            bounds[k] = plan.instants(bounds[k], kind)
    cal = _calendars.calendar_inputs(net, plan)
    cal["plan"] = plan
    return cal, bounds


def _check_horizon(plan: Plan, finish: np.ndarray) -> None:
    """Warn when an iteration of a plan on several calendars finished past the calendars
    built for the run (time past them counts as working)."""
    if plan.cal is None or not len(finish):
        return
    tp = plan.cal["plan"]
    end = float(tp.offsets(np.array([tp.axis.hi]))[0])
    if float(finish.max()) > end:
        last = pd.Timestamp(tp.dates(np.array([tp.axis.hi]), True)[0]).date()
        warnings.warn(f"some iterations finish after {last}, past the calendars built for the "
                      "simulation, where every day counts as working; check the widest "
                      "ranges and risk impacts", TpmkitWarning, stacklevel=4)


def _correlation_columns(correlation: object, ids: list[str], index: pd.Index,
                         ucol: np.ndarray) -> tuple[pd.DataFrame | None, np.ndarray | None]:
    """The target rank correlation among the uncertain tasks and their uniform rows."""
    target = None
    ic_cols = None
    if correlation is not None:
        target = correlation_matrix(correlation, ids)
        keep = [t for t in target.index if ucol[index.get_loc(t)] >= 0]
        dropped = [t for t in target.index if t not in keep]
        if dropped:
            # stacklevel: this helper, _prepare, simulate, the caller of simulate
            warnings.warn(f"task(s) {format_ids(dropped)} have no duration uncertainty; their "
                          "correlations are ignored (give them a three-point estimate)",
                          CorrelationWarning, stacklevel=4)
        target = target.loc[keep, keep]
        ic_cols = np.array([ucol[index.get_loc(t)] for t in keep], np.int64)
        if len(keep) < 2:
            target, ic_cols = None, None
    return target, ic_cols


def _pilot_bins(plan: Plan, gen: np.random.Generator, iterations: int
                ) -> tuple[float, float]:
    """Finish bins (low edge, width) of the streaming statistics from a pilot run."""
    # pilot run on an independent stream: places the finish bins of the streaming statistics
    ra = plan.ra
    pilot_rows = min(_PILOT, iterations)
    pg = np.random.default_rng(gen.spawn(1)[0].bit_generator)
    pout = _engine.Outputs(k=plan.net.n_tasks, n=pilot_rows, r=len(ra["prob"]), nb=1,
                           keep_rows=0, store=False)
    _engine.run_chunk(plan.net, plan.smp,
                      plan.inputs(draw_key(pg), 0, pilot_rows, ra["prob"], 0, (0.0, 1.0),
                                  False), pout, 0, plan.compiled)
    lo, hi = float(pout.finish.min()), float(pout.finish.max())
    del pout  # frees the pilot's kernel scratch before the main run
    span = hi - lo if hi > lo else max(1.0, abs(hi)) * 1e-3
    return (lo - 0.25 * span, 1.5 * span / N_BINS)


def _risk_table(plan: Plan, out: _engine.Outputs, finish: np.ndarray, done: int,
                seed: int | None, state: dict | None, risk_drivers: bool | str) -> pd.DataFrame:
    """Occurrence and (with risk_drivers) the P80 and mean contribution of every risk.

    ``"samples"``: a risk's occurrence is drawn independently of every other random number
    of the run, so the finish in the iterations where the risk did not fire is a sample of
    the finish without the risk: its contribution is read from the same samples (P80 and
    mean of all iterations minus those of the iterations where it did not fire). A risk
    that fired in all but fewer than ``_MIN_UNFIRED`` iterations (a near-certain risk), and
    every risk with ``"rerun"``, is measured by a re-run without it on the same random
    numbers (up to ``_DRIVERS`` iterations). ``True``: ``"rerun"`` within
    ``_RERUN_BUDGET`` task-iterations, else ``"samples"``.
    """
    ra = plan.ra
    risk_table = pd.DataFrame(columns=["probability", "occurrence", "p80_contribution",
                                       "mean_contribution", "rank"])
    if not ra["ids"]:
        return risk_table
    nr = len(ra["ids"])
    if risk_drivers is True:
        work = nr * min(done, _DRIVERS) * plan.net.n_tasks
        risk_drivers = ("rerun" if work <= _RERUN_BUDGET and plan.tolerance is None
                        else "samples")
    p80_all, mean_all = float(np.percentile(finish, 80)), float(finish.mean())
    p80_c, mean_c = np.full(nr, np.nan), np.full(nr, np.nan)
    rerun: list[int] = []
    okey = sub_key(plan.key, OCCURRENCE)
    for r in range(nr) if risk_drivers else ():
        if risk_drivers == "rerun":
            rerun.append(r)
            continue
        # the run's own occurrence numbers of risk r (counter-based: recomputed, not stored)
        unfired = finish[uniforms(okey, np.array([r]), 0, done)[0] >= ra["prob"][r]]
        if len(unfired) < min(_MIN_UNFIRED, done):
            rerun.append(r)
        else:
            p80_c[r] = p80_all - float(np.percentile(unfired, 80))
            mean_c[r] = mean_all - float(unfired.mean())
    if rerun and plan.tolerance is None:
        # the first n_drv iterations of the main run are those of a re-run of n_drv
        n_drv = min(done, _DRIVERS)
        ref = finish[:n_drv]
        for r in rerun:
            prob = ra["prob"].copy()
            prob[r] = 0.0
            o2, d2, _, _ = plan.run(prob, _replay(seed, state), None, False, n_drv)
            f2 = o2.finish[:d2]
            p80_c[r] = float(np.percentile(ref, 80)) - float(np.percentile(f2, 80))
            mean_c[r] = float(ref.mean()) - float(f2.mean())
    risk_table = pd.DataFrame({"probability": ra["prob"].astype(float),
                               "occurrence": out.rocc / done, "p80_contribution": p80_c,
                               "mean_contribution": mean_c},
                              index=pd.Index(ra["ids"], name="id"))
    key = risk_table["p80_contribution"].abs().fillna(-1)
    risk_table["rank"] = key.rank(ascending=False, method="first").astype(int)
    return risk_table


def _result(project, plan: Plan, out: _engine.Outputs, finish: np.ndarray, cost: np.ndarray,
            done: int, converged: bool | None, achieved: np.ndarray | None, *,
            seed: int | None, state: dict | None, tasks: pd.DataFrame, tornado: pd.DataFrame,
            merge: pd.DataFrame, risk_table: pd.DataFrame, keep_task_samples: bool,
            settings: dict, t_start: float) -> SimulationResult:
    """Assemble the :class:`SimulationResult` of the main run."""
    target = plan.target
    ctarget = cach = None
    if target is not None:
        ctarget = target
        cach = pd.DataFrame(achieved, index=target.index, columns=target.columns)
    sd = float(finish.std(ddof=1)) if done > 1 else 0.0
    se = {"mean": sd / math.sqrt(done), "p80": _quantile_se(finish, 0.8)}
    task_start = task_finish = None
    if keep_task_samples:
        task_start = pd.DataFrame(out.es[:done], columns=plan.index)
        task_finish = pd.DataFrame(out.ef[:done], columns=plan.index)
    return SimulationResult(
        iterations=done, seed=seed, finish=finish, cost=cost,
        deterministic_duration=plan.t_det, deterministic_cost=plan.det_cost, _tasks=tasks,
        tornado=tornado, merge_bias=merge, risks=risk_table, correlation_target=ctarget,
        correlation_achieved=cach, converged=converged, standard_error=se, settings=settings,
        start=project.start, calendar=project.calendar, deadline=project.deadline_offset,
        currency=getattr(project, "currency", ""), rng_state=state, task_start=task_start,
        task_finish=task_finish, elapsed=time.perf_counter() - t_start,
        _kendall=(out.d_keep[:min(done, _KENDALL)].copy(), finish[:min(done, _KENDALL)],
                  np.flatnonzero(tasks["duration_std"].to_numpy() > 0)))


def _replay(seed: int | None, state: dict | None) -> np.random.Generator:
    """A generator in the initial state of the main run (common random numbers)."""
    if seed is not None:
        return np.random.default_rng(seed)
    g = np.random.default_rng()
    g.bit_generator.state = state
    return g


def _quantile_se(x: np.ndarray, p: float) -> float:
    """Standard error of the sample p-quantile: √(p(1−p)/n) / f(q), f from a ±2 % band."""
    n = len(x)
    if n < 10:
        return float("nan")
    lo, hi = np.percentile(x, [100 * (p - 0.02), 100 * (p + 0.02)])
    if hi <= lo:
        return 0.0
    dens = 0.04 / (hi - lo)
    return float(math.sqrt(p * (1 - p) / n) / dens)


def _task_table(project, net, smp, out, finish, done, aff, branch, es_det, t_det, keep,
                bins, ef_det: np.ndarray | None = None) -> pd.DataFrame:
    """The per-task statistics (``ef_det``: the deterministic early finishes of a plan on
    several calendars, whose EF means are streamed)."""
    n = net.n_tasks
    index = project.tasks.index
    mean_x = out.sx / done
    var_d = np.maximum(out.sxx / done - mean_x ** 2, 0.0)
    y = finish - t_det
    mean_y = y.mean()
    var_t = max(float(np.mean((y - mean_y) ** 2)), 0.0)
    sd_t = math.sqrt(var_t)
    cov = out.sxy / done - mean_x * mean_y
    varying = var_d > 1e-12 * np.maximum(1.0, net.duration ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = np.where(varying & (sd_t > 0), cov / np.sqrt(var_d) / sd_t, np.nan)
    pearson = np.clip(pearson, -1.0, 1.0)
    crit = out.crit / done
    sd_d = np.sqrt(var_d)
    ssi = crit * (sd_d / sd_t if sd_t > 0 else np.zeros(n))
    mean_t = float(finish.mean())
    si = out.ssi / done / mean_t if mean_t > 0 else np.zeros(n)
    # streaming Spearman: the task's percentile u against the finish's rank, the finish rank
    # averaged within the finish bins that the kernel summed u over
    g = (_average_ranks(finish) - 0.5) / done
    b = np.clip(((finish - bins[0]) / bins[1]).astype(np.int64), 0, out.nb - 1)
    cnt = np.bincount(b, minlength=out.nb)
    with np.errstate(divide="ignore", invalid="ignore"):
        gbar = np.where(cnt > 0, np.bincount(b, weights=g, minlength=out.nb) / cnt, 0.0)
    mu_u = out.su / done
    var_u = np.maximum(out.suu / done - mu_u ** 2, 0.0)
    var_g = float(g.var())
    with np.errstate(divide="ignore", invalid="ignore"):
        spearman = (out.ubin @ gbar / done - mu_u * g.mean()) / np.sqrt(var_u * var_g)
    spearman = np.where(smp.code != FIXED, np.clip(spearman, -1.0, 1.0), np.nan)
    # tasks whose duration is not a monotone function of u: exact ranks on the kept rows
    exact = np.union1d(aff, branch).astype(np.int64)
    kd = out.d_keep[:keep]
    kt = finish[:keep]
    if len(exact) and keep > 2:
        rt = _average_ranks(kt)
        for k in exact:  # Spearman = Pearson of the (average) ranks
            col = kd[:, k]
            if np.ptp(col) > 0 and np.ptp(kt) > 0:
                spearman[k] = np.corrcoef(_average_ranks(col), rt)[0, 1]
            else:
                spearman[k] = np.nan
    kendall = np.full(n, np.nan)
    spearman = np.where(varying, spearman, np.nan)
    start_mean = es_det + out.ses / done
    return pd.DataFrame({
        "name": project.tasks["name"].to_numpy() if "name" in project.tasks else "",
        "distribution": np.array(["fixed", "uniform", "triangular", "pert", "normal",
                                  "lognormal", "empirical"])[smp.code],
        "duration_mean": net.duration + mean_x, "duration_std": sd_d,
        "criticality": crit, "significance": si, "ssi": ssi,
        "cruciality_pearson": pearson, "cruciality_spearman": spearman,
        "cruciality_kendall": kendall, "start_mean": start_mean,
        # on calendars EF is no sum of ES and d: its own streamed mean
        "finish_mean": (start_mean + net.duration + mean_x if ef_det is None
                        else ef_det + out.sef / done),
    }, index=index)


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n of ``x``, ties sharing their mean rank (``scipy.stats.rankdata``'s
    ``"average"``, without importing scipy.stats)."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    first = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]]) if len(xs) else np.zeros(0, np.int64)
    counts = np.diff(np.r_[first, len(xs)])
    ranks = np.empty(len(xs))
    ranks[order] = np.repeat(first + (counts + 1) / 2.0, counts)
    return ranks


def _cond_quantile(h: np.ndarray, lo: float, w: float, q: float) -> np.ndarray:
    """Quantile ``q`` of each row's binned histogram ``h`` (linear within the bin)."""
    tot = h.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.cumsum(h, axis=1) / tot[:, None]
    b = np.minimum((c < q).sum(axis=1), h.shape[1] - 1)
    rows = np.arange(len(h))
    prev = np.where(b > 0, c[rows, np.maximum(b - 1, 0)], 0.0)
    cur = c[rows, b]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(cur > prev, (q - prev) / (cur - prev), 0.0)
    return np.where(tot > 0, lo + (b + frac) * w, np.nan)


def _tornado(out, smp, tasks: pd.DataFrame, bins, ids) -> pd.DataFrame:
    lo, w = bins
    k = smp.stochastic
    p_lo = _cond_quantile(out.hlo[k], lo, w, 0.8)
    p_hi = _cond_quantile(out.hhi[k], lo, w, 0.8)
    rho = tasks["cruciality_pearson"].to_numpy()[k]
    t = pd.DataFrame({"p80_low": p_lo, "p80_high": p_hi, "p80_swing": p_hi - p_lo,
                      "variance_share": np.where(np.isfinite(rho), rho ** 2, 0.0)},
                     index=pd.Index([ids[j] for j in k], name="id"))
    return t.sort_values("p80_swing", ascending=False, kind="stable")


def _merge_bias(project, net, out, es_det, done) -> pd.DataFrame:
    npred = np.diff(net.pred_ptr)
    merge = np.flatnonzero(npred >= 2)
    mean_start = es_det + out.ses / done
    return pd.DataFrame({"predecessors": npred[merge], "deterministic_start": es_det[merge],
                         "mean_start": mean_start[merge],
                         "merge_bias": mean_start[merge] - es_det[merge]},
                        index=project.tasks.index[merge])


# --------------------------------------------------------------------------------------
# before/after responses
# --------------------------------------------------------------------------------------
def compare_mitigation(project, iterations: int = 10_000,
                       rng: int | np.random.Generator | None = None,
                       **options: Any) -> MitigationComparison:
    """Simulate the register before and after its responses with common random numbers.

    Parameters
    ----------
    project : Project
        A project with a risk register (``risks``).
    iterations : int
        Iterations of each run.
    rng : int, Generator or None
        Seed shared by both runs (the difference is then due to the responses only).
    **options
        Further :func:`simulate` options.

    Returns
    -------
    MitigationComparison
        ``pre``, ``post`` results and ``table`` with rows ``pre``, ``post``,
        ``difference`` (post − pre) and columns ``mean``, ``p50``, ``p80``, ``p90``
        [working days], ``cost_mean``, ``cost_p80`` [currency] and, with a deadline,
        ``probability``.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A"], "duration": [10]}))
    >>> reg = pd.DataFrame({"id": ["R1"], "probability": [1.0], "tasks": ["A"],
    ...     "impact_days": ["4"], "post_probability": [0.0], "response": ["avoid"]})
    >>> c = compare_mitigation(p, 200, rng=1, risks=reg, progress=False)
    >>> float(c.table.loc["difference", "mean"])
    -4.0
    """
    gen, seed, state = _seed(rng)
    for key in ("mitigated",):
        options.pop(key, None)
    pre = simulate(project, iterations, _replay(seed, state), mitigated=False, **options)
    post = simulate(project, iterations, _replay(seed, state), mitigated=True, **options)
    pre.seed = post.seed = seed

    def row(r: SimulationResult) -> dict[str, float]:
        d = {"mean": r.mean, "p50": r.percentile(50), "p80": r.percentile(80),
             "p90": r.percentile(90), "cost_mean": float(r.cost.mean()),
             "cost_p80": r.percentile(80, of="cost")}
        if r.deadline is not None:
            d["probability"] = r.probability()
        return d

    table = pd.DataFrame([row(pre), row(post)], index=["pre", "post"])
    table.loc["difference"] = table.loc["post"] - table.loc["pre"]
    return MitigationComparison(pre=pre, post=post, table=table)
