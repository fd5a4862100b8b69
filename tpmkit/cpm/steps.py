"""Tables derived from a schedule: the WBS roll-up and the two passes written out for teaching
(:func:`cpm_steps`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tpmkit.cpm.core import ScheduleResult, schedule
from tpmkit.model import Project
from tpmkit.model.wbs import wbs_key

__all__ = ["cpm_steps", "format_number", "wbs_summary"]


def wbs_summary(project: Project,
                result: ScheduleResult | pd.DataFrame | None = None) -> pd.DataFrame:
    """Roll the schedule up to WBS summary rows (derived from the tasks' ``wbs`` codes).

    Every proper prefix of a task's code (``1`` and ``1.2`` for ``1.2.3``) becomes a summary
    row spanning its tasks: earliest early start, latest early finish, latest late finish,
    summed cost, the smallest total float, and ``critical`` when any child is critical.

    Parameters
    ----------
    project : Project
        The project (its ``wbs`` codes and costs).
    result : ScheduleResult or DataFrame, optional
        Its schedule, or a schedule table with the same columns; default ``schedule(project)``.

    Returns
    -------
    DataFrame
        Indexed by WBS code (sorted naturally): ``tasks`` (count), ``early_start``,
        ``early_finish``, ``late_start``, ``late_finish``, ``duration`` (span),
        ``total_float``, ``critical``, ``cost``.
    """
    result = schedule(project) if result is None else result
    sched = result.table if isinstance(result, ScheduleResult) else result
    codes = project.tasks["wbs"]
    rows = []
    cost = _task_cost(project)
    for code in sorted({p for c in codes if c for p in _prefixes(c)}, key=wbs_key):
        mask = codes.eq(code) | codes.str.startswith(code + ".")
        sub = sched[mask.to_numpy()]
        rows.append({"wbs": code, "tasks": int(mask.sum()),
                     "early_start": sub["early_start"].min(),
                     "early_finish": sub["early_finish"].max(),
                     "late_start": sub["late_start"].min(),
                     "late_finish": sub["late_finish"].max(),
                     "duration": sub["early_finish"].max() - sub["early_start"].min(),
                     "total_float": sub["total_float"].min(),
                     "critical": bool(sub["critical"].any()),
                     "cost": float(cost[mask.to_numpy()].sum())})
    cols = ["tasks", "early_start", "early_finish", "late_start", "late_finish", "duration",
            "total_float", "critical", "cost"]
    if not rows:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="wbs"))
    return pd.DataFrame(rows).set_index("wbs")[cols]


def _task_cost(project: Project) -> np.ndarray:
    t = project.tasks
    return (t["cost"].fillna(0) + t["rate"].fillna(0) * t["duration"]).to_numpy(float)


def _prefixes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts))]


_LINK_TYPES = np.array(["FS", "SS", "FF", "SF"])  # text of the link-type codes 0..3


def format_number(x: float) -> str:
    """Shortest plain text of a number (format ``g``): ``3.0`` → ``'3'``, ``2.5`` → ``'2.5'``.

    The step explanations of :func:`cpm_steps`, the course exercises and the scheduling
    workbench all write working days this way, so the same value reads the same everywhere.

    Examples
    --------
    >>> format_number(3.0), format_number(2.5), format_number(-0.25)
    ('3', '2.5', '-0.25')
    """
    return f"{x:g}"


def cpm_steps(project: Project, result: ScheduleResult | None = None) -> pd.DataFrame:
    """Return the CPM passes as one row per step: forward in topological order, then backward.

    Parameters
    ----------
    project : tpmkit.Project
        A validated project.
    result : ScheduleResult, optional
        Its :func:`tpmkit.schedule` result (computed when omitted).

    Returns
    -------
    pandas.DataFrame
        Indexed by step number (0, 1, …; ``2 n`` rows). Columns: ``phase`` (``"forward"``
        or ``"backward"``), ``task``, ``value_start`` and ``value_finish`` (early or late
        start/finish [working days]), ``driver`` (the neighbour whose link decides the
        value, ``""`` when the project start/finish or a constraint decides) and
        ``explanation`` (the rule with every candidate written out).

    Notes
    -----
    Forward: :math:`ES_j = \\max(0,\\ EF_i + l\\ (FS),\\ ES_i + l\\ (SS),\\ EF_i + l - d_j\\ (FF),
    \\ ES_i + l - d_j\\ (SF))`, :math:`EF_j = ES_j + d_j`. Backward from the finish
    :math:`T`: :math:`LF_j = \\min(T,\\ LS_k - l\\ (FS),\\ LS_k - l + d_j\\ (SS),\\ LF_k - l\\
    (FF),\\ LF_k - l + d_j\\ (SF))`, :math:`LS_j = LF_j - d_j`. The numbers are those of
    the schedule table (constraints included); the candidates explain them.

    References
    ----------
    .. [1] Moder, Phillips and Davis (1983), ch. 4.

    Examples
    --------
    >>> import pandas as pd, tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "duration": [3, 2, 4],
    ...                               "predecessors": ["", "A", "A"]}))
    >>> from tpmkit.cpm import cpm_steps
    >>> steps = cpm_steps(p)
    >>> steps.loc[[0, 2, 3], ["phase", "task", "value_start", "value_finish"]].values.tolist()
    [['forward', 'A', 0.0, 3.0], ['forward', 'C', 3.0, 7.0], ['backward', 'C', 3.0, 7.0]]
    >>> steps.loc[4, "explanation"]
    'LF(B) = min(T = 7) = 7; LS = LF − d = 7 − 2 = 5'
    """
    if result is None:
        result = schedule(project)
    table = result.table
    net = project.network()
    ids = np.asarray(net.ids, dtype=object)
    d = np.asarray(net.duration, dtype=float)
    es = table["early_start"].to_numpy(float)
    ef = table["early_finish"].to_numpy(float)
    ls = table["late_start"].to_numpy(float)
    lf = table["late_finish"].to_numpy(float)
    finish = float(result.duration)
    horizon = float(np.nanmax(lf)) if len(lf) else finish
    eff_lag = np.asarray(net.lag, float) + np.asarray(net.lag_percent, float) * d[net.link_from]
    ltype = np.asarray(net.link_type, dtype=np.int64)
    order = np.asarray(net.order, dtype=np.int64)

    def lag_text(lag: float) -> str:
        return "" if lag == 0 else (f" + {format_number(lag)}" if lag > 0 else f" − {format_number(-lag)}")

    rows: list[dict[str, object]] = []
    for j in order:
        links = net.pred_link[net.pred_ptr[j]:net.pred_ptr[j + 1]]
        preds = net.link_from[links]
        t = ltype[links]
        lag = eff_lag[links]
        # Contract PDM forward rule, one candidate per incoming link.
        base = np.where((t == 0) | (t == 2), ef[preds], es[preds])
        cand = base + lag - np.where(t >= 2, d[j], 0.0)
        terms = ["0"]
        for i, tt, lg, c in zip(preds, t, lag, cand):
            ref = ("EF" if tt in (0, 2) else "ES") + f"({ids[i]})"
            minus_d = f" − d({ids[j]})" if tt >= 2 else ""
            label = "" if tt == 0 else f" [{_LINK_TYPES[tt]}]"
            terms.append(f"{ref}{lag_text(lg)}{minus_d}{label} = {format_number(c)}")
        top = float(np.max(cand)) if len(cand) else 0.0
        driver = str(ids[preds[int(np.argmax(cand))]]) if len(cand) and top >= 0 and np.isclose(
            top, es[j]) else ""
        text = f"ES({ids[j]}) = max({', '.join(terms)}) = {format_number(max(top, 0.0))}"
        if not np.isclose(max(top, 0.0), es[j]):
            text += f"; its constraint moves it to {format_number(es[j])}"
        text += f"; EF = ES + d = {format_number(es[j])} + {format_number(d[j])} = {format_number(ef[j])}"
        rows.append({"phase": "forward", "task": str(ids[j]), "value_start": es[j],
                     "value_finish": ef[j], "driver": driver, "explanation": text})
    for j in order[::-1]:
        links = net.succ_link[net.succ_ptr[j]:net.succ_ptr[j + 1]]
        succs = net.link_to[links]
        t = ltype[links]
        lag = eff_lag[links]
        # Contract PDM backward rule, one candidate per outgoing link.
        base = np.where((t == 0) | (t == 1), ls[succs], lf[succs])
        cand = base - lag + np.where((t == 1) | (t == 3), d[j], 0.0)
        terms = [f"T = {format_number(horizon)}"]
        for k, tt, lg, c in zip(succs, t, lag, cand):
            ref = ("LS" if tt in (0, 1) else "LF") + f"({ids[k]})"
            plus_d = f" + d({ids[j]})" if tt in (1, 3) else ""
            label = "" if tt == 0 else f" [{_LINK_TYPES[tt]}]"
            terms.append(f"{ref}{lag_text(-lg)}{plus_d}{label} = {format_number(c)}")
        low = float(np.min(cand)) if len(cand) else horizon
        low = min(low, horizon)
        driver = ""
        if len(cand) and np.isclose(low, lf[j]) and float(np.min(cand)) <= horizon:
            driver = str(ids[succs[int(np.argmin(cand))]])
        text = f"LF({ids[j]}) = min({', '.join(terms)}) = {format_number(low)}"
        if not np.isclose(low, lf[j]):
            text += f"; its constraint moves it to {format_number(lf[j])}"
        text += f"; LS = LF − d = {format_number(lf[j])} − {format_number(d[j])} = {format_number(ls[j])}"
        rows.append({"phase": "backward", "task": str(ids[j]), "value_start": ls[j],
                     "value_finish": lf[j], "driver": driver, "explanation": text})
    out = pd.DataFrame(rows, columns=["phase", "task", "value_start", "value_finish", "driver",
                                      "explanation"])
    out.index.name = "step"
    return out
