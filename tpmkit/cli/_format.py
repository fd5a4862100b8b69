"""How the command line shows numbers, dates and the critical path to a person.

Durations and floats as MS Project shows them (at most two decimals: ``0.56``, ``13.33``;
never ``-0`` or ``-8.88e-16``), probabilities as percentages (``67.2 %``), dates with the
weekday, and the critical path as the network's sequence: tasks that run side by side are
shown as parallel branches ``(B | C)``, never as a chain.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tpmkit._core.codes import EPS

__all__ = ["critical_definition", "critical_sequence", "day", "days", "percent"]


def days(value: float) -> str:
    """A duration or float in working days, to two decimals at most.

    Examples
    --------
    >>> days(0.5625), days(13.3333), days(5.0), days(-8.88e-16), days(float("nan"))
    ('0.56', '13.33', '5', '0', '')
    """
    if value is None or value != value:
        return ""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent(p: float) -> str:
    """A probability as a percentage with one decimal: ``0.6721`` → ``'67.2 %'``."""
    return f"{100 * p:.1f} %"


def day(ts: object) -> str:
    """A date with its weekday: ``Fri 2027-05-14``."""
    return pd.Timestamp(ts).strftime("%a %Y-%m-%d")


def critical_definition(result, deadline_date: object = None) -> str:
    """The one line that says which tasks are called critical, and why."""
    tf = result.table["total_float"]
    if result.critical_rule == "longest_path":
        return ("critical = the longest path (the tasks that drive the project finish through "
                "links without slack, as P6)")
    if result.critical_rule == "total_float":
        return (f"critical = total float ≤ {days(result.critical_float or 0.0)} d (the rule of "
                "MS Project and P6)")
    if not len(tf):
        return "critical = total float 0"
    low = float(tf.min())
    if low < -EPS:
        return (f"critical = total float ≤ 0; negative float down to {days(low)} d: the deadline "
                "or a constraint cannot be met")
    if low > EPS:
        against = "against the deadline" if result.deadline is not None else "lowest float"
        if deadline_date is not None:
            against += f" {day(deadline_date)}"
        return f"critical = lowest total float ({days(low)} d, {against})"
    return "critical = total float 0 (no slack to the project finish)"


def _tight_links(project, result) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Zero-slack links between critical tasks: (from, to, ids, topological position)."""
    from tpmkit.cpm import passes

    net = project.network()
    r = passes(net, result.table["duration"].to_numpy(np.float64), result.deadline)
    crit = result.table["critical"].to_numpy(bool)
    tight = (np.abs(r["link_slack"]) <= 100 * EPS) & crit[net.link_from] & crit[net.link_to]
    pos = np.empty(net.n_tasks, dtype=np.int64)
    pos[net.order] = np.arange(net.n_tasks)
    return (net.link_from[tight], net.link_to[tight], [str(i) for i in net.ids], pos)


def critical_sequence(project, result, limit: int = 400) -> str:
    """The critical path as the network's sequence, parallel branches in ``( | )``.

    ``A → (B | C → D) → E``: B and C run side by side after A, E waits for B and D. A
    network with more than ``limit`` critical tasks is shown in topological order.
    """
    crit_ids = list(result.critical_path)
    if not crit_ids:
        return "none"
    if len(crit_ids) > limit:
        return " → ".join(crit_ids)
    lf, lt, ids, pos = _tight_links(project, result)
    crit = np.flatnonzero(result.table["critical"].to_numpy(bool))
    succ: dict[int, list[int]] = {int(j): [] for j in crit}
    preds: set[int] = set()
    for a, b in zip(lf.tolist(), lt.tolist()):
        succ[a].append(b)
        preds.add(b)
    for j in succ:
        succ[j] = sorted(set(succ[j]), key=lambda k: pos[k])
    roots = sorted((j for j in succ if j not in preds), key=lambda k: pos[k])
    order = sorted(succ, key=lambda k: pos[k])

    def join_of(starts: list[int]) -> int | None:
        """The first task (topologically) that every branch from ``starts`` reaches."""
        reach: dict[int, int] = {}
        for b, s in enumerate(starts):
            reach[s] = reach.get(s, 0) | (1 << b)
        full = (1 << len(starts)) - 1
        for j in order:
            mask = reach.get(j, 0)
            if not mask:
                continue
            if mask == full:
                return j
            for k in succ[j]:
                reach[k] = reach.get(k, 0) | mask
        return None

    def chain(node: int | None, stop: int | None, starts: list[int] | None = None) -> str:
        parts: list[str] = []
        nexts = starts if starts is not None else None
        while True:
            if nexts is None:
                if node is None or node == stop:
                    break
                parts.append(ids[node])
                nexts = succ[node]
            if not nexts:
                break
            if len(nexts) == 1:
                node, nexts = nexts[0], None
                continue
            join = join_of(nexts)
            branches = [chain(s, join) for s in nexts if s != join]
            branches = [b for b in branches if b]
            if len(branches) == 1:
                parts.append(branches[0])
            elif branches:
                parts.append("(" + " | ".join(branches) + ")")
            node, nexts = join, None
            if join is None:
                break
        return " → ".join(parts)

    return chain(None, None, roots)
