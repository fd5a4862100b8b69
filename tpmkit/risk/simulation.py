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
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from tpmkit._core.codes import EPS
from tpmkit._core.rng import resolve_rng
from tpmkit.errors import DataError, ValidationError, check_option, format_ids
from tpmkit.model.progress import (
    PROGRESS_OPTIONS,
    progress_arrays,
    progress_network,
    remaining_estimates,
    warn_progress,
    with_status_date,
)
from tpmkit.risk import _engine
from tpmkit.risk._random import draw_key
from tpmkit.risk.correlation import CorrelationWarning, correlation_matrix, iman_conover
from tpmkit.risk.distributions import FIXED, build_sampler
from tpmkit.risk.distributions import latin_hypercube as _lhs
from tpmkit.risk.register import open_risks
from tpmkit.risk.result import MitigationComparison, SimulationResult

__all__ = ["MitigationComparison", "SimulationResult", "compare_mitigation", "simulate"]

_N_BINS = 64          # finish bins of the streaming rank correlation and the tornado
_PILOT = 256          # iterations of the pilot run that places those bins
_KEEP = 1000          # iterations whose task durations are kept (exact ranks)
_KENDALL = 500        # of those, the iterations Kendall's tau uses (O(n²) per task)
_DRIVERS = 5000       # iterations of each risk-driver re-run (common random numbers)
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
             keep_task_samples: bool = False, risk_drivers: bool = True,
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
    risk_drivers : bool
        Rank the risk events by re-running without each one (common random numbers; one
        re-run of up to 5,000 iterations per risk).
    progress : callable or None
        ``progress(done, total)``, called with ``done = 0`` when the main run starts and
        after every chunk with the iterations done and asked for (a run that stops at
        convergence ends with a call where ``total`` is the iterations run). None or False reports nothing. The
        computation draws no bar itself: the command line passes a ``tqdm`` bar
        (:func:`tpmkit.widgets.progress.tqdm_progress`).
    engine : str
        ``numba`` (compiled) or ``numpy`` (the slower reference; identical results).
        Without numba (not installed, or ``TPMKIT_NO_NUMBA=1``) both run the numpy path.
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
                        plan.det["early_start"], plan.t_det, min(done, _KEEP), plan.bins)
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


@dataclass
class _Plan:
    """What every run of one :func:`simulate` call shares: network, sampler and inputs."""

    net: Any
    smp: Any
    det: Any
    t_det: float
    ids: list[str]
    index: pd.Index
    ra: dict
    xp: np.ndarray
    cfix: np.ndarray
    rate: np.ndarray
    det_cost: float
    ucol: np.ndarray
    branch: np.ndarray
    xcol: np.ndarray
    aff: np.ndarray
    target: pd.DataFrame | None
    ic_cols: np.ndarray | None
    draw_here: bool
    latin_hypercube: bool
    tolerance: float | None
    chunk: int
    compiled: bool
    bins: tuple[float, float] = (0.0, 1.0)
    bounds: dict | None = None  # release/due bounds of a status-dated run

    def inputs(self, g: np.random.Generator, key: np.uint64, start: int, rows: int,
               prob: np.ndarray, nkeep: int, bins: tuple[float, float], store: bool
               ) -> _engine.Inputs:
        """The kernel inputs of one chunk of ``rows`` iterations from iteration ``start``."""
        # Plain sampling: the kernel draws each task's uniforms itself (counter-based, keyed
        # by ``key``), so they are never stored. Latin hypercube and Iman–Conover need the
        # whole chunk: one row of uniforms per task, iterations contiguous.
        stoch = self.smp.stochastic
        if self.draw_here:
            u = (np.ascontiguousarray(_lhs(g, rows, len(stoch)).T) if self.latin_hypercube
                 else g.random((len(stoch), rows)))
            if self.ic_cols is not None:
                u[self.ic_cols] = iman_conover(u[self.ic_cols].T, self.target.to_numpy(), g).T
        else:
            u = np.empty((0, rows))
        ra = self.ra
        x = g.random((len(self.branch), rows))
        ro = g.random((len(ra["prob"]), rows))
        ri = g.random((len(ra["prob"]), rows))
        return _engine.Inputs(
            rows=rows, start=start, key=key, u=u, ucol=self.ucol, x=x, xcol=self.xcol,
            xp=self.xp, ro=ro, ri=ri, r_prob=prob, r_unit=ra["unit"], r_imp=ra["imp"],
            r_cost=ra["cost"], r_ptr=ra["ptr"], r_task=ra["task"], aff=self.aff,
            cfix=self.cfix, rate=self.rate, d0=self.net.duration, es0=self.det["early_start"],
            t0=self.t_det, bin_lo=bins[0], bin_w=bins[1], nkeep=nkeep, store=store,
            **({} if self.bounds is None else {k: self.bounds[k] for k in
                                               ("rel_start", "rel_finish", "due_start",
                                                "due_finish", "fixed")}))

    def run(self, prob: np.ndarray, g: np.random.Generator, report: Callable | None,
            store: bool, iterations: int
            ) -> tuple[_engine.Outputs, int, bool | None, np.ndarray | None]:
        """Run ``iterations`` in chunks: outputs, iterations done, converged, achieved ρ."""
        ic_cols, tolerance = self.ic_cols, self.tolerance
        keep_rows = min(_KEEP, iterations)
        out = _engine.Outputs(k=self.net.n_tasks, n=iterations, r=len(prob), nb=_N_BINS,
                              keep_rows=keep_rows, store=store)
        done = 0
        converged = None if tolerance is None else False
        history: list[tuple[float, float]] = []
        corr_sum = None if ic_cols is None else np.zeros((len(ic_cols), len(ic_cols)))
        corr_s = None if ic_cols is None else np.zeros(len(ic_cols))
        key = draw_key(g)
        if report is not None:
            report(0, iterations)
        while done < iterations:
            rows = min(self.chunk, iterations - done)
            inp = self.inputs(g, key, done, rows, prob, max(0, min(rows, keep_rows - done)),
                              self.bins, store)
            if corr_sum is not None:
                uc = inp.u[ic_cols].T
                corr_sum += uc.T @ uc
                corr_s += uc.sum(axis=0)
            _engine.run_chunk(self.net, self.smp, inp, out, done, self.compiled)
            done += rows
            if report is not None:
                report(done, iterations)
            if tolerance is not None:
                f = out.finish[:done]
                history.append((float(f.mean()), float(np.percentile(f, 80))))
                if _converged(history, tolerance):
                    converged = True
                    break
        if report is not None and done < iterations:
            report(done, done)
        out.merge()  # per-part sums → totals, in a fixed order
        achieved = None
        if corr_sum is not None:
            m = corr_s / done
            cov = corr_sum / done - np.outer(m, m)
            sd = np.sqrt(np.diag(cov))
            achieved = cov / np.outer(sd, sd)
        return out, done, converged, achieved


def _converged(history: list[tuple[float, float]], tolerance: float) -> bool:
    """True when the mean and the P80 moved by ≤ tolerance over the last two chunks."""
    return len(history) >= 3 and all(
        abs(history[-a][b] - history[-a - 1][b]) <= tolerance * max(abs(history[-1][b]), _EPS)
        for a in (1, 2) for b in (0, 1))


def _prepare(project, iterations: int, *, distribution: str, pert_lambda: float,
             latin_hypercube: bool, correlation: object, risks: object, mitigated: bool,
             existence: Mapping[str, float] | None,
             empirical: Mapping[str, Sequence[float]] | None, ratios: Sequence[float] | None,
             tolerance: float | None, chunk_size: int | None, engine: str,
             out_of_sequence: str = "retained_logic") -> _Plan:
    """Network, sampler, deterministic schedule, register, branches, costs and chunking."""
    net = project.network()
    n = net.n_tasks
    if n == 0:
        raise DataError("the project has no tasks; add tasks before simulating")
    ids = [str(i) for i in project.tasks.index.tolist()]
    index = pd.Index(ids)
    from tpmkit.cpm import passes, warn_calendars
    warn_calendars(project, "the Monte Carlo simulation", stacklevel=4)  # whole days only
    tasks, bounds, prog = project.tasks, None, None
    if project.status_date is not None and project.start is not None:
        warn_progress(project, stacklevel=3)
        prog = progress_arrays(project.progress, project.status_offset)
        net, bounds = progress_network(net, prog, out_of_sequence)
        bounds["fixed"] = np.where(prog.status == 2, np.nan, 0.0)  # no float, never critical
        tasks = remaining_estimates(tasks, prog)
    smp = build_sampler(tasks, net.duration, default=distribution,
                        pert_lambda=pert_lambda, empirical=empirical, ratios=ratios)
    det = passes(net, bounds=bounds)
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
    chunk = _chunk_rows(chunk_size, per_row, n, iterations, tolerance)
    return _Plan(net=net, smp=smp, det=det, t_det=t_det, ids=ids, index=index, ra=ra, xp=xp,
                 cfix=cfix, rate=rate, det_cost=det_cost, ucol=ucol, branch=branch, xcol=xcol,
                 aff=aff, target=target, ic_cols=ic_cols, draw_here=draw_here,
                 latin_hypercube=latin_hypercube, tolerance=tolerance, chunk=chunk,
                 compiled=engine == "numba", bounds=bounds)


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


def _chunk_rows(chunk_size: int | None, per_row: int, n: int, iterations: int,
                tolerance: float | None) -> int:
    """Iterations per chunk: the given chunk_size or one from the memory budget."""
    if chunk_size is None:
        # ≤ 8M stored uniforms (64 MB) and ≤ 20M task-iterations (a fraction of a second, so
        # that the progress bar moves) per chunk
        chunk = int(np.clip(min(8_000_000 // per_row, 20_000_000 // n), 512, 65_536))
        if tolerance is not None:
            chunk = min(chunk, max(500, iterations // 20))
    else:
        chunk = int(chunk_size)
        if chunk < 1:
            raise ValidationError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    return min(chunk, iterations)


def _pilot_bins(plan: _Plan, gen: np.random.Generator, iterations: int
                ) -> tuple[float, float]:
    """Finish bins (low edge, width) of the streaming statistics from a pilot run."""
    # pilot run on an independent stream: places the finish bins of the streaming statistics
    ra = plan.ra
    pilot_rows = min(_PILOT, iterations)
    pg = np.random.default_rng(gen.spawn(1)[0].bit_generator)
    pout = _engine.Outputs(k=plan.net.n_tasks, n=pilot_rows, r=len(ra["prob"]), nb=1,
                           keep_rows=0, store=False)
    _engine.run_chunk(plan.net, plan.smp,
                      plan.inputs(pg, draw_key(pg), 0, pilot_rows, ra["prob"], 0, (0.0, 1.0),
                                  False), pout, 0, plan.compiled)
    lo, hi = float(pout.finish.min()), float(pout.finish.max())
    del pout  # frees the pilot's kernel scratch before the main run
    span = hi - lo if hi > lo else max(1.0, abs(hi)) * 1e-3
    return (lo - 0.25 * span, 1.5 * span / _N_BINS)


def _risk_table(plan: _Plan, out: _engine.Outputs, finish: np.ndarray, done: int,
                seed: int | None, state: dict | None, risk_drivers: bool) -> pd.DataFrame:
    """Occurrence and (with risk_drivers) the P80 and mean contribution of every risk."""
    ra, tolerance = plan.ra, plan.tolerance
    risk_table = pd.DataFrame(columns=["probability", "occurrence", "p80_contribution",
                                       "mean_contribution", "rank"])
    if ra["ids"]:
        # risk drivers: re-run without each risk on the same random numbers; on long runs
        # the comparison uses the first _DRIVERS iterations of a re-run with every risk
        n_drv = min(done, _DRIVERS)
        ref = finish
        if risk_drivers and tolerance is None and n_drv < done:
            o1, d1, _, _ = plan.run(ra["prob"], _replay(seed, state), None, False, n_drv)
            ref = o1.finish[:d1]
        p80 = float(np.percentile(ref, 80))
        mean = float(ref.mean())
        rows = []
        for r in range(len(ra["ids"])):
            row = {"probability": float(ra["prob"][r]),
                   "occurrence": float(out.rocc[r] / done),
                   "p80_contribution": np.nan, "mean_contribution": np.nan}
            if risk_drivers and tolerance is None:
                prob = ra["prob"].copy()
                prob[r] = 0.0
                o2, d2, _, _ = plan.run(prob, _replay(seed, state), None, False, n_drv)
                f2 = o2.finish[:d2]
                row["p80_contribution"] = p80 - float(np.percentile(f2, 80))
                row["mean_contribution"] = mean - float(f2.mean())
            rows.append(row)
        risk_table = pd.DataFrame(rows, index=pd.Index(ra["ids"], name="id"))
        key = risk_table["p80_contribution"].abs().fillna(-1)
        risk_table["rank"] = key.rank(ascending=False, method="first").astype(int)
    return risk_table


def _result(project, plan: _Plan, out: _engine.Outputs, finish: np.ndarray, cost: np.ndarray,
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
                bins) -> pd.DataFrame:
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
    g = (stats.rankdata(finish) - 0.5) / done
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
        for k in exact:
            col = kd[:, k]
            if np.ptp(col) > 0 and np.ptp(kt) > 0:
                spearman[k] = stats.spearmanr(col, kt).statistic
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
        "finish_mean": start_mean + net.duration + mean_x,
    }, index=index)


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
