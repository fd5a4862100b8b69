"""The result objects of the Monte Carlo schedule risk analysis.

:class:`SimulationResult` (what :func:`tpmkit.risk.simulate` returns: the finish and cost
samples, their percentiles, S-curve, probabilities and joint confidence, and the per-task
criticality, sensitivity and cruciality tables) and :class:`MitigationComparison` (what
:func:`tpmkit.risk.compare_mitigation` returns). Kendall's τ of the cruciality table is
computed here, when first read.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._core import jit
from tpmkit._core.codes import EPS
from tpmkit._core.jit import njit, prange
from tpmkit.errors import DataError, check_option

__all__ = ["PERCENTILES", "MitigationComparison", "SimulationResult"]

PERCENTILES = tuple(range(5, 100, 5))
_EPS = EPS



# --------------------------------------------------------------------------------------
# result objects
# --------------------------------------------------------------------------------------
@dataclass(eq=False)
class SimulationResult:
    """The outcome of :func:`simulate` (all times in working days from the project start).

    Attributes
    ----------
    iterations : int
        Iterations run (fewer than asked when the run stopped at convergence).
    seed : int or None
        Seed that reproduces the run (None when a ``Generator`` was passed; its initial
        state is in ``rng_state``).
    finish : ndarray
        Project finish of every iteration [working days].
    cost : ndarray
        Total cost of every iteration [currency]: fixed + rate × duration + risk costs.
    deterministic_duration : float
        CPM duration of the deterministic schedule [working days].
    deterministic_cost : float
        Cost of the deterministic schedule without risk events [currency].
    tasks : DataFrame
        Per task (input order): ``duration_mean``, ``duration_std`` [working days],
        ``criticality`` (share of iterations in which the task is critical),
        ``significance`` (Williams' SI), ``ssi`` (criticality × σ_task/σ_finish),
        ``cruciality_pearson``, ``cruciality_spearman``, ``cruciality_kendall``
        (correlation of the task's duration with the finish), ``start_mean``,
        ``finish_mean`` [working days]. Pearson uses every iteration (streamed moments);
        Spearman streams the rank of the task's sampled percentile against the finish's
        rank (averaged within 64 finish bins), except for tasks hit by risk events or
        branches, whose exact ranks come from the first 1,000 iterations; Kendall's τ-b
        uses the first 500 iterations and is computed when first read.
    tornado : DataFrame
        Uncertain tasks ranked by their swing of the finish P80: ``p80_low`` / ``p80_high``
        (P80 of the finish when the task falls in its lowest / highest decile),
        ``p80_swing``, and ``variance_share`` (ρ², the share of the finish variance the
        task explains linearly).
    merge_bias : DataFrame
        Tasks with two or more predecessors: ``deterministic_start``, ``mean_start``,
        ``merge_bias`` (simulated mean early start − deterministic early start).
    risks : DataFrame
        Per risk event: ``probability``, ``occurrence`` (simulated frequency),
        ``p80_contribution`` / ``mean_contribution`` (drop of the finish P80 / mean when the
        risk is removed, common random numbers, on up to 5,000 iterations; not computed
        when the run stops at convergence or with ``risk_drivers=False``) and ``rank``;
        empty without a register.
    correlation_target, correlation_achieved : DataFrame or None
        Target and achieved rank correlation of the correlated tasks.
    converged : bool or None
        Whether the stop-at-convergence criterion was met (None when not requested).
    standard_error : dict
        Monte Carlo standard error of the mean and of the P80 of the finish [working days].
    """

    iterations: int
    seed: int | None
    finish: np.ndarray
    cost: np.ndarray
    deterministic_duration: float
    deterministic_cost: float
    _tasks: pd.DataFrame
    tornado: pd.DataFrame
    merge_bias: pd.DataFrame
    risks: pd.DataFrame
    correlation_target: pd.DataFrame | None
    correlation_achieved: pd.DataFrame | None
    converged: bool | None
    standard_error: dict[str, float]
    settings: dict[str, Any] = field(default_factory=dict)
    start: pd.Timestamp | None = None
    calendar: Any = None
    deadline: float | None = None
    currency: str = ""
    rng_state: dict | None = None
    task_start: pd.DataFrame | None = None
    task_finish: pd.DataFrame | None = None
    elapsed: float = 0.0
    _kendall: tuple | None = None

    @property
    def tasks(self) -> pd.DataFrame:
        """Per-task statistics (see the class docstring); Kendall's τ is computed on first use."""
        if self._kendall is not None:
            d, t, cols = self._kendall
            self._kendall = None
            tau = np.full(len(self._tasks), np.nan)
            if len(cols) and len(t) > 2:
                tau[cols] = _kendall_tau(np.ascontiguousarray(d[:, cols]), t)
            self._tasks["cruciality_kendall"] = tau
        return self._tasks

    # -- summary statistics -------------------------------------------------------------
    @property
    def mean(self) -> float:
        """Mean project finish [working days]."""
        return float(self.finish.mean())

    @property
    def std(self) -> float:
        """Standard deviation of the project finish [working days] (n − 1 denominator)."""
        return float(self.finish.std(ddof=1)) if len(self.finish) > 1 else 0.0

    def percentile(self, q: float | Sequence[float], of: str = "finish") -> float | np.ndarray:
        """Percentile(s) ``q`` (0–100) of the finish [working days] or of the cost."""
        of = check_option(of, ["finish", "cost"], "quantity")
        x = np.percentile(self.finish if of == "finish" else self.cost, q)
        return float(x) if np.ndim(x) == 0 else x

    def task_percentiles(self, q: Sequence[float], of: str = "finish") -> pd.DataFrame:
        """Percentiles ``q`` (0–100) of each task's simulated finish or start [working days].

        Needs ``simulate(..., keep_task_samples=True)``. Returns a table indexed by task id
        with one column per percentile (``p50``, ``p80``, …).
        """
        of = check_option(of, ["finish", "start"], "quantity")
        samples = self.task_finish if of == "finish" else self.task_start
        if samples is None:
            raise DataError("task percentiles need the task samples; run simulate(..., "
                            "keep_task_samples=True)")
        qs = [float(x) for x in q]
        values = np.percentile(samples.to_numpy(float), qs, axis=0).T
        return pd.DataFrame(values, index=samples.columns, columns=[f"p{x:g}" for x in qs])

    @property
    def percentiles(self) -> pd.DataFrame:
        """P5 … P95: ``finish`` [working days], ``finish_date`` (with a start date), ``cost``."""
        idx = [f"p{q}" for q in PERCENTILES]
        out = pd.DataFrame({"finish": np.percentile(self.finish, PERCENTILES),
                            "cost": np.percentile(self.cost, PERCENTILES)}, index=idx)
        if self.start is not None:
            out.insert(1, "finish_date", self._dates(out["finish"].to_numpy()))
        return out

    @property
    def deterministic_confidence(self) -> float:
        """Probability of finishing by the deterministic CPM date (its confidence level)."""
        return self.probability(self.deterministic_duration)

    def _offset(self, target: float | str | pd.Timestamp) -> float:
        if isinstance(target, int | float | np.number):
            return float(target)
        if self.start is None:
            raise DataError("a target date needs a project start date; set the project's "
                            "start or give the target in working days")
        from tpmkit.model.calendar import parse_date

        d = parse_date(target, "target date")
        return float(self.calendar.offset_of([d], self.start, kind="finish")[0])

    def probability(self, target: float | str | pd.Timestamp | None = None) -> float:
        """Probability of finishing by ``target`` (working days or a date; default deadline).

        Examples
        --------
        >>> import tpmkit
        >>> p = tpmkit.read(pd.DataFrame({"id": ["A"], "optimistic": [2],
        ...     "most_likely": [4], "pessimistic": [6], "distribution": ["uniform"]}))
        >>> r = tpmkit.risk.simulate(p, 20_000, rng=1, progress=False)
        >>> round(r.probability(4), 1)
        0.5
        """
        if target is None:
            if self.deadline is None:
                raise DataError("no target given and the project has no deadline; pass a "
                                "date or a number of working days")
            target = self.deadline
        return float(np.mean(self.finish <= self._offset(target) + _EPS))

    def joint_confidence(self, finish: float | str | pd.Timestamp | None = None,
                         cost: float | None = None) -> float:
        """Joint confidence level: share of iterations finishing by ``finish`` within ``cost``.

        Defaults: the deterministic duration and cost (the JCL of the plan).
        """
        t = self.deterministic_duration if finish is None else self._offset(finish)
        c = self.deterministic_cost if cost is None else float(cost)
        return float(np.mean((self.finish <= t + _EPS) & (self.cost <= c + _EPS * max(1, c))))

    def jcl_frontier(self, confidence: float = 0.7, points: int = 60) -> pd.DataFrame:
        """Joint-confidence frontier: for finish values t, the smallest cost C with
        P(finish ≤ t and cost ≤ C) ≥ ``confidence``.

        Returns
        -------
        DataFrame
            ``finish`` [working days] (up to ``points`` values from the ``confidence``
            quantile of the finish to the largest) and ``cost`` [currency].

        References
        ----------
        .. [1] NASA (2015). *NASA Cost Estimating Handbook* v4.0, appendix J.

        Examples
        --------
        >>> import tpmkit
        >>> p = tpmkit.read(pd.DataFrame({"id": ["A"], "optimistic": [2], "most_likely": [4],
        ...     "pessimistic": [9], "rate": [100.0]}))
        >>> fr = tpmkit.risk.simulate(p, 1000, rng=1, progress=False).jcl_frontier(0.7)
        >>> bool((fr["cost"].diff().dropna() <= 1e-9).all())
        True
        """
        if not 0 < confidence < 1:
            raise DataError(f"confidence {confidence} is outside (0, 1); use e.g. 0.7")
        f, c = np.asarray(self.finish, float), np.asarray(self.cost, float)
        grid = np.unique(np.quantile(f, np.linspace(confidence, 1.0, int(points))))
        order = np.argsort(f, kind="stable")
        fs, cf = f[order], c[order]
        need = int(np.ceil(confidence * len(f)))
        costs = np.full(len(grid), np.nan)
        for k, t in enumerate(grid):  # ≤ points partial sorts of the qualifying costs
            m = np.searchsorted(fs, t, side="right")
            if m >= need:
                costs[k] = np.partition(cf[:m], need - 1)[need - 1]
        ok = np.isfinite(costs)
        return pd.DataFrame({"finish": grid[ok], "cost": costs[ok]})

    @property
    def scatter(self) -> pd.DataFrame:
        """One row per iteration: ``finish`` [working days] and ``cost`` (JCL scatter data)."""
        return pd.DataFrame({"finish": self.finish, "cost": self.cost})

    @property
    def s_curve(self) -> pd.DataFrame:
        """Cumulative distribution of the finish: ``finish`` (sorted) and ``probability``."""
        x, counts = np.unique(self.finish, return_counts=True)
        out = pd.DataFrame({"finish": x, "probability": np.cumsum(counts) / len(self.finish)})
        if self.start is not None:
            out["finish_date"] = self._dates(x)
        return out

    def histogram(self, bins: int | Sequence[float] = 30, of: str = "finish") -> pd.DataFrame:
        """Histogram data: ``left``, ``right`` bin edges, ``count`` and ``density``."""
        of = check_option(of, ["finish", "cost"], "quantity")
        count, edges = np.histogram(self.finish if of == "finish" else self.cost, bins=bins)
        width = np.diff(edges)
        with np.errstate(invalid="ignore", divide="ignore"):
            dens = np.where(width > 0, count / (count.sum() * width), np.nan)
        return pd.DataFrame({"left": edges[:-1], "right": edges[1:], "count": count,
                             "density": dens})

    def tornado_by(self, by: str = "p80") -> pd.DataFrame:
        """The tornado ranked by the P80 swing (``"p80"``) or by the variance share."""
        by = check_option(by, ["p80", "variance"], "tornado ranking")
        col = "p80_swing" if by == "p80" else "variance_share"
        return self.tornado.sort_values(col, ascending=False, kind="stable")

    def _dates(self, offsets: np.ndarray) -> pd.DatetimeIndex:
        return self.calendar.finish_dates(offsets, self.start)

    @property
    def finish_dates(self) -> pd.DatetimeIndex:
        """Finish date of every iteration (requires a project start date)."""
        if self.start is None:
            raise DataError("the project has no start date; set one to get finish dates")
        return self._dates(self.finish)

    # -- presentation -------------------------------------------------------------------
    def to_dict(self, target: float | str | pd.Timestamp | None = None) -> dict[str, Any]:
        """Plain summary (the command line's JSON)."""
        pct = {f"p{q}": float(np.percentile(self.finish, q)) for q in PERCENTILES}
        out: dict[str, Any] = {
            "iterations": self.iterations, "seed": self.seed,
            "deterministic_duration": self.deterministic_duration,
            "deterministic_confidence": self.deterministic_confidence,
            "mean": self.mean, "std": self.std, "percentiles": pct,
            "standard_error": self.standard_error, "converged": self.converged,
            "cost": {"deterministic": self.deterministic_cost,
                     "mean": float(self.cost.mean()),
                     "p50": float(np.percentile(self.cost, 50)),
                     "p80": float(np.percentile(self.cost, 80)),
                     "joint_confidence": self.joint_confidence()},
        }
        if self.start is not None:
            out["percentile_dates"] = {k: d.date().isoformat() for k, d in
                                       zip(pct, self._dates(np.array(list(pct.values()))))}
            out["deterministic_finish_date"] = self._dates(
                np.array([self.deterministic_duration]))[0].date().isoformat()
        if target is not None or self.deadline is not None:
            out["target"] = target if target is not None else self.deadline
            out["probability"] = self.probability(target)
            if self.start is not None:
                off = self._offset(out["target"])
                out["target_days"] = off
                out["target_date"] = self._dates(np.array([off]))[0].date().isoformat()
        t = self.tasks
        out["tasks"] = [{"id": str(i), "criticality": float(r.criticality),
                         "significance": float(r.significance), "ssi": float(r.ssi),
                         "cruciality": float(r.cruciality_spearman),
                         "cruciality_pearson": float(r.cruciality_pearson),
                         "cruciality_kendall": float(r.cruciality_kendall)}
                        for i, r in t.iterrows()]
        out["risks"] = [{"id": str(i), **{k: float(v) for k, v in r.items()}}
                        for i, r in self.risks.iterrows()]
        out["merge_bias"] = [{"id": str(i), "merge_bias": float(r.merge_bias)}
                             for i, r in self.merge_bias.iterrows()]
        if self.correlation_target is not None:
            tgt, got = self.correlation_target, self.correlation_achieved
            ids = list(tgt.index)
            out["correlation"] = [{"a": a, "b": b, "target": float(tgt.loc[a, b]),
                                   "achieved": float(got.loc[a, b])}
                                  for i, a in enumerate(ids) for b in ids[i + 1:]]
        return out

    def __repr__(self) -> str:
        return (f"SimulationResult(iterations={self.iterations}, seed={self.seed}, "
                f"mean={self.mean:.4g}, p50={self.percentile(50):.4g}, "
                f"p80={self.percentile(80):.4g}, deterministic={self.deterministic_duration:.4g})")

    def _repr_html_(self) -> str:
        p = self.percentiles
        date = "finish_date" in p

        def row(label: str, q: str, strong: bool = False) -> str:
            cells = f"<td>{p.at[q, 'finish']:.1f}</td>"
            if date:
                cells += f"<td>{p.at[q, 'finish_date'].date()}</td>"
            cells += f"<td>{p.at[q, 'cost']:,.0f}</td>"
            style = ' style="font-weight:bold"' if strong else ""
            return f"<tr{style}><th>{label}</th>{cells}</tr>"

        head = "<tr><th></th><th>finish [d]</th>" + ("<th>date</th>" if date else "") + \
               f"<th>cost {html.escape(self.currency)}</th></tr>"
        rows = "".join(row(q.upper(), q, q in ("p50", "p80")) for q in
                       ("p10", "p50", "p80", "p90"))
        extra = ""
        if self.deadline is not None:
            extra = f"; P(finish ≤ deadline {self.deadline:g} d) = {self.probability():.1%}"
        top = self.tasks.sort_values("criticality", ascending=False).head(10)
        trows = "".join(f"<tr><td>{html.escape(str(i))}</td><td>{r.criticality:.2f}</td>"
                        f"<td>{r.ssi:.2f}</td><td>{r.cruciality_spearman:.2f}</td></tr>"
                        for i, r in top.iterrows())
        return (
            f"<div><b>Schedule risk simulation</b>: {self.iterations:,} iterations, seed "
            f"{self.seed}<br>deterministic {self.deterministic_duration:.1f} d "
            f"(confidence {self.deterministic_confidence:.1%}); mean {self.mean:.1f} d, "
            f"std {self.std:.2f} d{extra}; standard error of the mean "
            f"{self.standard_error['mean']:.3f} d"
            f"<table>{head}{rows}</table>"
            "<table><tr><th>task</th><th>criticality</th><th>ssi</th><th>cruciality</th></tr>"
            f"{trows}</table></div>")


@dataclass(eq=False)
class MitigationComparison:
    """Pre- and post-response simulations with common random numbers (:func:`compare_mitigation`)."""

    pre: SimulationResult
    post: SimulationResult
    table: pd.DataFrame

    def _repr_html_(self) -> str:
        return "<b>Risk responses: before and after</b>" + self.table.to_html(float_format="{:.2f}".format)


# --------------------------------------------------------------------------------------
# Kendall's tau of the cruciality table (computed when first read)
# --------------------------------------------------------------------------------------
@njit(cache=True, nogil=True, inline="always", lazy=True)
def _tie_pairs(v_sorted):  # pragma: no cover - compiled
    """Pairs of equal values, Σ t(t − 1)/2 over the runs of a sorted array."""
    n = v_sorted.shape[0]
    pairs = 0
    run = 1
    for i in range(1, n):
        if v_sorted[i] == v_sorted[i - 1]:
            run += 1
        else:
            pairs += run * (run - 1) // 2
            run = 1
    return pairs + run * (run - 1) // 2


@njit(cache=True, nogil=True, parallel=True, lazy=True)
def _kendall_tau_kernel(dt, t):  # pragma: no cover - compiled
    """Kendall's τ-b between each row of ``dt`` (tasks × iterations) and ``t``.

    Knight's O(n log n) count: the iterations are visited in increasing ``t``, a run of
    equal ``t`` at a time; each one counts the earlier-visited iterations whose ``x`` is
    smaller (concordant pairs) and larger (discordant) in a Fenwick tree over the ranks of
    ``x``, queried for the whole run before any of it is inserted (pairs tied in ``t``
    count neither way). Integer counts: the result does not depend on the order of work.
    """
    k, n = dt.shape
    oy = np.argsort(t, kind="mergesort")
    ys = t[oy]
    tot = n * (n - 1) // 2
    tie_y = _tie_pairs(ys)
    out = np.full(k, np.nan)
    for j in prange(k):
        x = dt[j][oy]  # in increasing t
        ox = np.argsort(x, kind="mergesort")
        xs = x[ox]
        tie_x = _tie_pairs(xs)
        rank = np.empty(n, np.int64)  # dense rank of x, from 1
        r = 0
        for i in range(n):
            if i == 0 or xs[i] != xs[i - 1]:
                r += 1
            rank[ox[i]] = r
        tree = np.zeros(r + 1, np.int64)
        conc = 0
        seen = 0
        a = 0
        while a < n:
            b = a + 1
            while b < n and ys[b] == ys[a]:
                b += 1
            for i in range(a, b):  # query the run: earlier x below and above rank[i]
                q = rank[i] - 1
                below = 0
                while q > 0:
                    below += tree[q]
                    q -= q & -q
                q = rank[i]
                upto = 0
                while q > 0:
                    upto += tree[q]
                    q -= q & -q
                conc += below - (seen - upto)
            for i in range(a, b):  # then insert it
                q = rank[i]
                while q <= r:
                    tree[q] += 1
                    q += q & -q
            seen += b - a
            a = b
        den = math.sqrt(float(tot - tie_x) * float(tot - tie_y))
        if den > 0.0:
            out[j] = conc / den
    return out


#: Samples (iterations × tasks) from which Kendall's τ runs compiled while numba is not
#: loaded yet: the Python count takes ~5 µs a sample, loading numba ~0.5 s.
KENDALL_COMPILE_ABOVE = 100_000


def _kendall_tau(d: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Kendall's τ-b of each column of ``d`` with ``t`` (compiled, or the same count in Python
    for small samples and without numba: identical results)."""
    return jit.call(_kendall_tau_kernel, d.size, np.ascontiguousarray(d.T),
                    np.ascontiguousarray(t), above=KENDALL_COMPILE_ABOVE)
