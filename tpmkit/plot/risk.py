"""Schedule-risk charts of a finished Monte Carlo run and of a risk register.

Every function takes a :class:`tpmkit.risk.SimulationResult` (or, for
:func:`risk_heatmap`, a normalised register) and draws it; none of them simulates.
Times are working days from the project start; where the result knows the start date the
percentile labels also give the calendar date.

References
----------
.. [1] AACE International (2011). *Recommended Practice 57R-09: Integrated Cost and
   Schedule Risk Analysis using Monte Carlo Simulation of a CPM Model*.
.. [2] Williams, T. M. (1992). Criticality in stochastic networks. *Journal of the
   Operational Research Society* 43(4), 353–357.
.. [3] NASA (2015). *NASA Cost Estimating Handbook*, v4.0, appendix J (joint cost and
   schedule confidence level, JCL).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from tpmkit.errors import DataError, check_option
from tpmkit.plot._theme import (
    CRITICAL,
    EARNED,
    FLOAT,
    MUTED,
    OKABE_ITO,
    PLAN,
    get_ax,
    legend_below,
    p_color,
    themed,
    truncate,
)
from tpmkit.plot._util import require_columns

__all__ = ["criticality", "histogram", "jcl_scatter", "merge_bias", "risk_heatmap", "s_curve",
           "tornado"]

_FIX = "pass the result of tpmkit.risk.simulate(project, ...)"


def _need(result: Any, *names: str) -> None:
    missing = [n for n in names if not hasattr(result, n)]
    if missing:
        raise DataError(f"{type(result).__name__} is not a simulation result (no "
                        f"{', '.join(missing)}); {_FIX}")


def _when(result: Any, offsets: np.ndarray) -> list[str]:
    """Labels ``'112.4 d'`` or ``'112.4 d · 14 Jun 2027'`` for finish offsets."""
    start, cal = getattr(result, "start", None), getattr(result, "calendar", None)
    labels = [f"{x:.1f} d" for x in offsets]
    if start is not None and cal is not None:
        dates = cal.finish_dates(np.asarray(offsets, float), start)
        labels = [f"{lab} · {d:%d %b %Y}" for lab, d in zip(labels, dates, strict=True)]
    return labels


def _p_lines(ax: Axes, result: Any, percentiles: Sequence[float], deterministic: bool,
             deadline: bool) -> None:
    """Vertical P-lines, the deterministic (CPM) finish and the deadline, labelled."""
    qs = list(percentiles)
    values = np.atleast_1d(result.percentile(qs)) if qs else np.array([])
    for k, (q, x, lab) in enumerate(zip(qs, values, _when(result, values), strict=True)):
        color = p_color(q, k)
        ax.axvline(x, color=color, lw=1.4, ls="--", zorder=4, gid=f"p{q:g}",
                   label=f"P{q:g} = {lab}")
    if deterministic:
        x = float(result.deterministic_duration)
        conf = result.probability(x)
        ax.axvline(x, color=OKABE_ITO["black"], lw=1.6, zorder=4, gid="deterministic",
                   label=f"CPM plan {_when(result, np.array([x]))[0]} ({conf:.0%} likely)")
    dl = getattr(result, "deadline", None)
    if deadline and dl is not None and np.isfinite(dl):
        conf = result.probability(dl)
        ax.axvline(dl, color=CRITICAL, lw=1.6, ls=":", zorder=4, gid="deadline",
                   label=f"Deadline {_when(result, np.array([dl]))[0]} ({conf:.0%} likely)")


@themed
def histogram(result: Any, *, bins: int | Sequence[float] = 40,
              percentiles: Sequence[float] = (50, 80), deterministic: bool = True,
              deadline: bool = True, title: str | None = "Project finish distribution",
              ax: Axes | None = None) -> Axes:
    """Histogram of the simulated project finish with P-lines and the CPM date.

    Parameters
    ----------
    result : SimulationResult
        From :func:`tpmkit.risk.simulate`.
    bins : int or sequence of float
        Bin count or edges [working days].
    percentiles : sequence of float
        P-lines to draw (0–100).
    deterministic, deadline : bool
        Mark the deterministic CPM finish and the project deadline (when known), each with
        its probability of being met.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The bars are the Axes' patches; each P-line is a line with gid ``"p<q>"``.

    Examples
    --------
    >>> import tpmkit
    >>> from tpmkit.risk import simulate
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "optimistic": [2, 3],
    ...     "most_likely": [4, 5], "pessimistic": [9, 8], "predecessors": ["", "A"]}))
    >>> from matplotlib.figure import Figure
    >>> ax = histogram(simulate(p, 2000, rng=1, progress=False), bins=20, ax=Figure().subplots())
    >>> len(ax.patches), sorted(l.get_gid() for l in ax.lines)
    (20, ['deterministic', 'p50', 'p80'])
    """
    _need(result, "finish", "percentile", "probability", "deterministic_duration")
    ax = get_ax(ax)
    h = result.histogram(bins)
    ax.bar(h["left"], h["count"] / len(result.finish) * 100.0, width=h["right"] - h["left"],
           align="edge", color=PLAN, alpha=0.85, edgecolor="white", linewidth=0.5, zorder=2)
    _p_lines(ax, result, percentiles, deterministic, deadline)
    ax.set_xlabel("project finish [working days from start]")
    ax.set_ylabel("share of iterations [%]")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    if title:
        ax.set_title(f"{title} ({result.iterations:,} iterations)")
    return ax


@themed
def s_curve(result: Any, *, percentiles: Sequence[float] = (10, 50, 80, 90),
            deterministic: bool = True, deadline: bool = True,
            title: str | None = "Probability of finishing by", ax: Axes | None = None) -> Axes:
    """Cumulative probability (S-curve) of the project finish with P-lines.

    Each P-line runs up to the curve and across to the probability axis, so a reader can
    go from a confidence level to a date; the deterministic CPM finish is marked with its
    (usually low) confidence.

    Parameters
    ----------
    result : SimulationResult
        From :func:`tpmkit.risk.simulate`.
    percentiles : sequence of float
        Confidence levels to mark (0–100).
    deterministic, deadline : bool
        Mark the CPM finish and the deadline (when known).
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The curve has gid ``"s_curve"``, each P-line gid ``"p<q>"``.

    References
    ----------
    .. [1] AACE International (2011). *RP 57R-09*, section "Results: the cumulative
       probability distribution".

    Examples
    --------
    >>> import tpmkit
    >>> from tpmkit.risk import simulate
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A"], "optimistic": [2], "most_likely": [4],
    ...                               "pessimistic": [9]}))
    >>> from matplotlib.figure import Figure
    >>> ax = s_curve(simulate(p, 1000, rng=1, progress=False), percentiles=[50, 80], ax=Figure().subplots())
    >>> sorted(l.get_gid() for l in ax.lines if l.get_gid())
    ['deterministic', 'p50', 'p80', 's_curve']
    """
    _need(result, "finish", "percentile", "probability", "deterministic_duration")
    ax = get_ax(ax)
    x = np.sort(np.asarray(result.finish, float))
    y = np.arange(1, len(x) + 1) / len(x) * 100.0
    ax.plot(x, y, color=PLAN, lw=2.2, zorder=3, gid="s_curve", drawstyle="steps-post",
            label="_curve")
    qs = list(percentiles)
    values = np.atleast_1d(result.percentile(qs)) if qs else np.array([])
    lo = x[0] - 0.02 * max(x[-1] - x[0], 1.0)
    for k, (q, v, lab) in enumerate(zip(qs, values, _when(result, values), strict=True)):
        color = p_color(q, k)
        ax.plot([v, v, lo], [0, q, q], color=color, lw=1.3, ls="--", zorder=4, gid=f"p{q:g}",
                label=f"P{q:g} = {lab}")
    if deterministic:
        d = float(result.deterministic_duration)
        conf = result.probability(d) * 100.0
        ax.plot([d], [conf], marker="o", ms=7, color=OKABE_ITO["black"], zorder=5,
                linestyle="none", gid="deterministic",
                label=f"CPM plan {_when(result, np.array([d]))[0]} ({conf:.0f}% likely)")
        ax.axvline(d, color=OKABE_ITO["black"], lw=0.9, zorder=2)
    dl = getattr(result, "deadline", None)
    if deadline and dl is not None and np.isfinite(dl):
        conf = result.probability(dl) * 100.0
        ax.axvline(dl, color=CRITICAL, lw=1.6, ls=":", zorder=4, gid="deadline",
                   label=f"Deadline {_when(result, np.array([dl]))[0]} ({conf:.0f}% likely)")
    ax.set_xlim(lo, x[-1] + 0.02 * max(x[-1] - x[0], 1.0))
    ax.set_ylim(0, 101)
    ax.set_yticks(np.arange(0, 101, 20))
    ax.set_xlabel("project finish [working days from start]")
    ax.set_ylabel("probability of finishing by [%]")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    if title:
        ax.set_title(f"{title} ({result.iterations:,} iterations)")
    return ax


@themed
def tornado(result: Any, *, top: int = 10, by: str = "p80", label_width: int = 28,
            title: str | None = "Schedule drivers (tornado)", ax: Axes | None = None) -> Axes:
    """Tornado of the tasks that swing the finish P80 most.

    Each bar spans the finish P80 when the task falls in its lowest decile (left end) and
    in its highest decile (right end); the line marks the overall P80.

    Parameters
    ----------
    result : SimulationResult
        From :func:`tpmkit.risk.simulate` (its ``tornado`` table).
    top : int
        Number of tasks shown.
    by : {"p80", "variance"}
        Ranking (see :meth:`SimulationResult.tornado_by`).
    label_width : int
        Task labels are truncated to this many characters.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        Two bars per task (low and high side, both with gid ``"tornado:<id>"``), largest
        swing on top.

    Examples
    --------
    >>> import tpmkit
    >>> from tpmkit.risk import simulate
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "optimistic": [2, 3, 1],
    ...     "most_likely": [4, 5, 2], "pessimistic": [9, 8, 3], "predecessors": ["", "A", "B"]}))
    >>> from matplotlib.figure import Figure
    >>> ax = tornado(simulate(p, 2000, rng=1, progress=False), ax=Figure().subplots())
    >>> sorted({b.get_gid() for b in ax.patches})
    ['tornado:A', 'tornado:B', 'tornado:C']
    """
    _need(result, "tornado", "percentile")
    t = result.tornado_by(by) if hasattr(result, "tornado_by") else result.tornado
    require_columns(t, ["p80_low", "p80_high"], "tornado table", _FIX)
    t = t.head(int(top))
    ax = get_ax(ax, figsize=(8.0, max(2.6, 0.34 * len(t) + 1.4)))
    p80 = float(result.percentile(80))
    y = np.arange(len(t))
    low, high = t["p80_low"].to_numpy(float), t["p80_high"].to_numpy(float)
    left = ax.barh(y, p80 - low, left=low, height=0.62, color=EARNED, zorder=3,
                   label="task in its lowest 10 %")
    right = ax.barh(y, high - p80, left=p80, height=0.62, color=CRITICAL, zorder=3,
                    label="task in its highest 10 %")
    for tid, a, b in zip(t.index, left.patches, right.patches, strict=True):
        a.set_gid(f"tornado:{tid}")
        b.set_gid(f"tornado:{tid}")
    ax.axvline(p80, color=OKABE_ITO["black"], lw=1.2, zorder=4, gid="p80",
               label=f"overall P80 = {_when(result, np.array([p80]))[0]}")
    tasks = getattr(result, "tasks", None)
    names = tasks["name"] if tasks is not None and "name" in tasks else None
    labels = [truncate(f"{i}  {names.get(i)}" if names is not None and pd.notna(names.get(i))
                       else str(i), label_width) for i in t.index]
    ax.set_yticks(y, labels=labels)
    ax.set_ylim(len(t) - 0.4, -0.6)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel("project finish P80 [working days]")
    legend_below(ax, offset=40, ncol=2)
    if title:
        ax.set_title(title)
    return ax


@themed
def criticality(result: Any, *, top: int = 15, metric: str = "criticality",
                threshold: float = 0.5, label_width: int = 28,
                title: str | None = "Criticality index", ax: Axes | None = None) -> Axes:
    """Horizontal bars of the tasks' criticality index (or SSI / cruciality).

    Parameters
    ----------
    result : SimulationResult
        From :func:`tpmkit.risk.simulate` (its ``tasks`` table).
    top : int
        Number of tasks shown, highest first.
    metric : {"criticality", "significance", "ssi", "cruciality_spearman", "cruciality_pearson"}
        Column of ``result.tasks`` to plot.
    threshold : float
        Bars at or above it are drawn in the critical colour (a dashed line marks it).
    label_width : int
        Labels are truncated to this many characters.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per task with gid ``"criticality:<id>"``.

    References
    ----------
    .. [1] Williams, T. M. (1992). Criticality in stochastic networks. *JORS* 43(4), 353–357.

    Examples
    --------
    >>> import tpmkit
    >>> from tpmkit.risk import simulate
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "optimistic": [2, 3],
    ...     "most_likely": [4, 4], "pessimistic": [9, 6]}))
    >>> from matplotlib.figure import Figure
    >>> ax = criticality(simulate(p, 1000, rng=1, progress=False), ax=Figure().subplots())
    >>> sorted(b.get_gid() for b in ax.patches)
    ['criticality:A', 'criticality:B']
    """
    _need(result, "tasks")
    metric = check_option(metric, ["criticality", "significance", "ssi", "cruciality_spearman",
                                   "cruciality_pearson"], "metric")
    tasks = require_columns(result.tasks, [metric], "simulation task table", _FIX)
    t = tasks.sort_values(metric, ascending=False, kind="stable").head(int(top))
    ax = get_ax(ax, figsize=(8.0, max(2.6, 0.3 * len(t) + 1.4)))
    v = t[metric].to_numpy(float)
    y = np.arange(len(t))
    bars = ax.barh(y, v, height=0.62, color=np.where(v >= threshold, CRITICAL, PLAN), zorder=3)
    for tid, b in zip(t.index, bars.patches, strict=True):
        b.set_gid(f"criticality:{tid}")
    for yy, val in zip(y, v, strict=True):
        ax.text(val, yy, f" {val:.0%}" if metric == "criticality" else f" {val:.2f}",
                va="center", fontsize=8, color=MUTED)
    ax.axvline(threshold, color=MUTED, lw=1.0, ls="--", zorder=2)
    names = t["name"] if "name" in t else None
    labels = [truncate(f"{i}  {names[i]}" if names is not None and pd.notna(names[i]) else str(i),
                       label_width) for i in t.index]
    ax.set_yticks(y, labels=labels)
    ax.set_ylim(len(t) - 0.4, -0.6)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    if metric == "criticality":
        ax.set_xlim(0, 1.12)
        ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
        ax.set_xlabel("share of iterations in which the task is critical")
    else:
        ax.set_xlabel(metric.replace("_", " "))
    ax.legend(handles=[Patch(color=CRITICAL, label=f"≥ {threshold:g}"),
                       Patch(color=PLAN, label=f"< {threshold:g}")], loc="upper left",
              bbox_to_anchor=(1.01, 1.0), fontsize=8)
    if title:
        ax.set_title(title if metric == "criticality" else f"{metric.replace('_', ' ').title()}")
    return ax


def _level_spans(levels: tuple[tuple[str, int], ...]) -> list[tuple[str, str]]:
    """Legend text of each score level over the scores a 5×5 matrix can hold: ``≥ 15``,
    ``5–12``, ``≤ 4``."""
    scores = sorted({p * i for p in range(1, 6) for i in range(1, 6)})
    out, upper = [], math.inf
    for k, (name, lowest) in enumerate(levels):
        held = [x for x in scores if lowest <= x < upper]
        if k == 0:
            span = f"score ≥ {held[0]}"
        elif k == len(levels) - 1:
            span = f"≤ {held[-1]}"
        else:
            span = f"{held[0]}–{held[-1]}"
        out.append((name, span))
        upper = lowest
    return out


@themed
def jcl_scatter(result: Any, *, confidence: float = 0.7, max_points: int = 4000,
                title: str | None = "Joint cost and schedule confidence",
                ax: Axes | None = None) -> Axes:
    """Cost-versus-finish scatter with the joint-confidence frontier (JCL).

    The frontier at confidence c is the set of (finish, cost) corners whose lower-left
    quadrant holds a share c of the iterations: for each finish t the smallest cost C with
    P(finish ≤ t and cost ≤ C) ≥ c. The deterministic plan is marked with its JCL.

    Parameters
    ----------
    result : SimulationResult
        From :func:`tpmkit.risk.simulate` (``finish`` and ``cost`` per iteration).
    confidence : float
        JCL level of the frontier (NASA policy uses 0.7).
    max_points : int
        At most this many iterations are drawn (an even thinning; the frontier uses all).
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The scatter is a collection with gid ``"iterations"``, the frontier a line with gid
        ``"frontier"`` and the plan a marker with gid ``"plan"``.

    References
    ----------
    .. [1] NASA (2015). *NASA Cost Estimating Handbook* v4.0, appendix J.

    Examples
    --------
    >>> import tpmkit
    >>> from tpmkit.risk import simulate
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A"], "optimistic": [2], "most_likely": [4],
    ...     "pessimistic": [9], "rate": [100.0]}))
    >>> from matplotlib.figure import Figure
    >>> ax = jcl_scatter(simulate(p, 1000, rng=1, progress=False), ax=Figure().subplots())
    >>> sorted(str(l.get_gid()) for l in ax.lines)
    ['frontier', 'plan']
    """
    _need(result, "finish", "cost", "jcl_frontier", "joint_confidence")
    if not 0 < confidence < 1:
        raise DataError(f"confidence {confidence} is outside (0, 1); use e.g. 0.7")
    ax = get_ax(ax)
    f = np.asarray(result.finish, float)
    c = np.asarray(result.cost, float)
    n = len(f)
    step = max(1, n // int(max_points))
    ax.scatter(f[::step], c[::step], s=6, color=PLAN, alpha=0.25, linewidths=0, zorder=2,
               gid="iterations", label=f"iterations ({n:,})")
    frontier = result.jcl_frontier(confidence)
    ax.plot(frontier["finish"], frontier["cost"], color=CRITICAL, lw=2.0, zorder=4,
            gid="frontier", label=f"{confidence:.0%} JCL frontier")
    d, dc = float(result.deterministic_duration), float(result.deterministic_cost)
    jcl = result.joint_confidence()
    lo, hi = float(c.min()), float(c.max())
    ax.plot([d], [dc], marker="*", ms=13, color=OKABE_ITO["black"], linestyle="none", zorder=5,
            gid="plan", label=f"CPM plan (JCL {jcl:.0%})")
    ax.set_ylim(min(lo, dc) - 0.03 * (hi - lo + 1), hi + 0.05 * (hi - lo + 1))
    cur = getattr(result, "currency", "") or ""
    ax.set_xlabel("project finish [working days]")
    ax.set_ylabel(f"total cost [{cur}]" if cur else "total cost")
    ax.yaxis.set_major_formatter(lambda x, _: f"{x:,.0f}")
    ax.legend(loc="upper left", fontsize=8, markerscale=1.0)
    if title:
        ax.set_title(title)
    return ax


@themed
def merge_bias(result: Any, *, top: int = 12, label_width: int = 28,
               title: str | None = "Merge bias at converging tasks", ax: Axes | None = None
               ) -> Axes:
    """Deterministic vs simulated mean start of the tasks where paths merge.

    The arrow from the CPM start to the simulated mean start is the merge bias: the delay
    that parallel uncertain paths add and that deterministic CPM cannot see.

    Parameters
    ----------
    result : SimulationResult
        From :func:`tpmkit.risk.simulate` (its ``merge_bias`` table).
    top : int
        Number of merge points shown, largest bias first.
    label_width : int
        Labels are truncated to this many characters.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per merge point with gid ``"merge_bias:<id>"``.

    References
    ----------
    .. [1] MacCrimmon, K. R. and Ryavec, C. A. (1964). An analytical study of the PERT
       assumptions. *Operations Research* 12(1), 16–37.

    Examples
    --------
    >>> import tpmkit
    >>> from tpmkit.risk import simulate
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "optimistic": [2, 2, 1],
    ...     "most_likely": [4, 4, 1], "pessimistic": [9, 9, 1], "predecessors": ["", "", "A;B"]}))
    >>> from matplotlib.figure import Figure
    >>> ax = merge_bias(simulate(p, 2000, rng=1, progress=False), ax=Figure().subplots())
    >>> [b.get_gid() for b in ax.patches]
    ['merge_bias:C']
    """
    _need(result, "merge_bias")
    mb = require_columns(result.merge_bias, ["deterministic_start", "mean_start", "merge_bias"],
                         "merge-bias table", _FIX)
    mb = mb.sort_values("merge_bias", ascending=False, kind="stable").head(int(top))
    ax = get_ax(ax, figsize=(8.0, max(2.6, 0.32 * len(mb) + 1.4)))
    y = np.arange(len(mb))
    d0 = mb["deterministic_start"].to_numpy(float)
    bias = mb["merge_bias"].to_numpy(float)
    bars = ax.barh(y, bias, left=d0, height=0.5, color=FLOAT, zorder=3,
                   label="merge bias (mean − CPM start)")
    for tid, b in zip(mb.index, bars.patches, strict=True):
        b.set_gid(f"merge_bias:{tid}")
    ax.plot(d0, y, "|", ms=14, mew=2, color=OKABE_ITO["black"], zorder=4, label="CPM start")
    ax.plot(d0 + bias, y, "o", ms=6, color=CRITICAL, zorder=4, label="simulated mean start")
    for yy, x, b in zip(y, d0 + bias, bias, strict=True):
        ax.text(x, yy, f"  +{b:.1f} d", va="center", fontsize=8, color=MUTED)
    ax.set_yticks(y, labels=[truncate(i, label_width) for i in mb.index])
    ax.set_ylim(len(mb) - 0.4, -0.6)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.margins(x=0.12)
    ax.set_xlabel("start [working days from project start]")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    if title:
        ax.set_title(title)
    return ax



@themed
def risk_heatmap(register: pd.DataFrame, *, post: bool = False, show_ids: bool = True,
                 max_ids: int = 4, title: str | None = "Risk heat map",
                 ax: Axes | None = None) -> Axes:
    """5×5 probability × impact matrix with the count and the ids of the risks per cell.

    Cells are coloured by zone (score = P × I: green ≤ 4, amber 5–12, red ≥ 15, the PMI
    convention for a 5×5 matrix).

    Parameters
    ----------
    register : DataFrame
        A normalised register (:func:`tpmkit.risk.register.normalize_register`), whose ids
        are listed in the cells, or the count table of
        :func:`tpmkit.risk.register.heat_map` (counts only).
    post : bool
        Use the post-response scores of a register.
    show_ids : bool
        List up to ``max_ids`` risk ids in each cell (then "+N").
    max_ids : int
        Ids listed per cell.
    title : str or None
        Axes title.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        25 cell rectangles (gid ``"cell:<p>:<i>"``) and one text per non-empty cell.

    References
    ----------
    .. [1] Project Management Institute (2017). *PMBOK Guide*, 6th ed., §11.3.2.6
       (probability and impact matrix).

    Examples
    --------
    >>> from tpmkit.risk.register import normalize_register
    >>> reg = normalize_register(pd.DataFrame({"id": ["R1", "R2"], "probability": [0.6, 0.1],
    ...                                        "impact_score": [5, 2]}))
    >>> from matplotlib.figure import Figure
    >>> ax = risk_heatmap(reg, ax=Figure().subplots())
    >>> len([p for p in ax.patches if str(p.get_gid()).startswith("cell:")])
    25
    """
    from matplotlib.patches import Rectangle

    from tpmkit.risk.register import SCORE_LEVELS, heat_map, score_level, unscored

    if not isinstance(register, pd.DataFrame):
        raise DataError("risk_heatmap needs a DataFrame; pass "
                        "tpmkit.risk.register.normalize_register(project.risks)")
    ids: dict[tuple[int, int], list[str]] = {}
    missing: list[str] = []
    if register.index.name == "probability_score" and register.shape == (5, 5):
        counts = register
    else:
        pcol = "post_probability_score" if post else "probability_score"
        icol = "post_impact_score" if post else "impact_score"
        require_columns(register, [pcol, icol], "risk register",
                        "pass tpmkit.risk.register.normalize_register(project.risks)")
        counts = heat_map(register, post=post)
        missing = unscored(register, post=post)
        ok = register[[pcol, icol]].notna().all(axis=1)
        score = register.loc[ok, "score" if not post else "post_score"] if (
            ("score" if not post else "post_score") in register) else None
        sub = register[ok]
        if score is not None:
            sub = sub.assign(_s=score).sort_values("_s", ascending=False, kind="stable")
        for rid, p, i in zip(sub.index, sub[pcol].astype(int), sub[icol].astype(int),
                             strict=True):
            ids.setdefault((int(p), int(i)), []).append(str(rid))
    ax = get_ax(ax, figsize=(6.2, 5.0))
    zone = {"low": "#CFE8DA", "medium": "#F7E3B0", "high": "#F4C2A8"}
    for p in range(1, 6):
        for i in range(1, 6):
            z = score_level(p * i)
            ax.add_patch(Rectangle((i - 0.5, p - 0.5), 1, 1, facecolor=zone[z],
                                   edgecolor="white", lw=2, gid=f"cell:{p}:{i}", zorder=1))
            n = int(counts.loc[p, i])
            if n:
                lst = ids.get((p, i), [])
                text = f"{n}"
                if show_ids and lst:
                    shown = lst[:max_ids]
                    more = f" +{len(lst) - len(shown)}" if len(lst) > len(shown) else ""
                    text += "\n" + ", ".join(shown) + more
                ax.text(i, p, text, ha="center", va="center", fontsize=9, fontweight="bold",
                        color="#1A1A1A", zorder=3, gid=f"count:{p}:{i}", wrap=True)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks(range(1, 6), ["1\nvery low", "2\nlow", "3\nmedium", "4\nhigh", "5\nvery high"])
    ax.set_yticks(range(1, 6), ["1 rare", "2 unlikely", "3 possible", "4 likely",
                                "5 almost certain"])
    ax.set_xlabel("impact score")
    ax.set_ylabel("probability score")
    ax.grid(False)
    ax.tick_params(length=0)
    ax.set_aspect("equal")
    ax.legend(handles=[Patch(color=zone[name], label=f"{name} ({span})")
                       for name, span in _level_spans(SCORE_LEVELS)],
              loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    if title:
        extra = " (post-response)" if post else ""
        ax.set_title(title + extra)
    if missing:
        ax.text(1.02, 0.0, f"not scored: {', '.join(missing[:5])}", transform=ax.transAxes,
                fontsize=8, color=MUTED, va="bottom")
    return ax
