"""Critical paths of a schedule: every chain of critical tasks joined by zero-slack links and
the heaviest one, in time linear in tasks + links."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tpmkit._core.codes import EPS
from tpmkit.cpm.core import ScheduleResult, forecast_passes, passes, positions, schedule
from tpmkit.model import Network, Project
from tpmkit.model.progress import with_status_date

__all__ = ["critical_paths", "heaviest_critical_path"]

_EPS = EPS


def _critical_graph(project: Project, result: ScheduleResult | None
                    ) -> tuple[Network, np.ndarray, np.ndarray, np.ndarray]:
    """The critical tasks joined by zero-slack links, as ``(net, succ_ptr, succ_idx, roots)``.

    Successors of a task are listed once each (two links of different types between one
    pair are one step of a path), in topological order; ``roots`` are the critical tasks
    without a zero-slack critical predecessor, in topological order. Vectorised: one sort
    of the zero-slack links.
    """
    net = project.network()
    result = schedule(project) if result is None else result
    dur = result.table["duration"].to_numpy(np.float64)
    if result.status_date is not None:  # the links and times of the remaining work
        net, r, _ = forecast_passes(with_status_date(project, result.status_date), net,
                                     dur, result.deadline, result.progress)
    else:
        r = passes(net, dur, result.deadline)
    crit = result.table["critical"].to_numpy(dtype=bool)
    # zero slack up to 100·EPS: the slack is a difference of sums of many durations
    tight = (np.abs(r["link_slack"]) <= 100 * _EPS) & crit[net.link_from] & crit[net.link_to]
    n = net.n_tasks
    pos = positions(net)
    a = net.link_from[tight].astype(np.int64)
    key = np.unique(a * n + pos[net.link_to[tight]])  # by predecessor, then successor's place
    succ_idx = net.order[key % n].astype(np.int64)
    succ_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(key // n, minlength=n), out=succ_ptr[1:])
    has_pred = np.zeros(n, dtype=bool)
    has_pred[succ_idx] = True
    in_order = net.order.astype(np.int64)
    roots = in_order[(crit & ~has_pred)[in_order]]
    return net, succ_ptr, succ_idx, roots


def critical_paths(project: Project, result: ScheduleResult | None = None,
                   limit: int = 100) -> list[list[str]]:
    """Every critical path (chains of critical tasks joined by zero-slack links).

    A path runs from a critical task without a zero-slack critical predecessor to one
    without such a successor. Paths come depth first: by their first task, then their
    second, … in topological order (so the list is sorted by the tasks' topological
    places). Time linear in tasks + links plus the length of the paths returned.

    Parameters
    ----------
    project : Project
        The scheduled project.
    result : ScheduleResult, optional
        Its schedule (durations, deadline and critical flags are taken from it); default
        ``schedule(project)``.
    limit : int
        Stop after this many paths (networks can have exponentially many).

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": list("ABCD"), "duration": [2, 3, 3, 1],
    ...                                "predecessors": ["", "A", "A", "B;C"]}))
    >>> critical_paths(p)
    [['A', 'B', 'D'], ['A', 'C', 'D']]
    """
    from tpmkit._core import graph, jit

    net, succ_ptr, succ_idx, roots = _critical_graph(project, result)
    if limit <= 0 or len(roots) == 0:
        return []
    nodes, ptr = jit.call(graph.enumerate_paths, net.n_tasks + len(succ_idx), roots, succ_ptr,
                          succ_idx, int(limit))
    flat = net.ids[nodes].tolist()
    return [flat[ptr[k]:ptr[k + 1]] for k in range(len(ptr) - 1)]


def heaviest_critical_path(project: Project, weight: object,
                           result: ScheduleResult | None = None) -> list[str]:
    """The critical path (see :func:`critical_paths`) with the largest sum of ``weight``.

    Searches every critical path, however many there are, in one backward sweep (time
    linear in tasks + links). Sums within 1e-12 relative of the largest tie; a tie goes to
    the path :func:`critical_paths` lists first.

    Parameters
    ----------
    project : Project
        The scheduled project.
    weight : array or Series
        One number per task (input order, or a Series indexed by task id), e.g. the PERT
        variances.
    result : ScheduleResult, optional
        Its schedule; default ``schedule(project)``.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": list("ABCD"), "duration": [2, 3, 3, 1],
    ...                                "predecessors": ["", "A", "A", "B;C"]}))
    >>> heaviest_critical_path(p, [1.0, 0.5, 2.0, 1.0])
    ['A', 'C', 'D']
    """
    from tpmkit._core import graph, jit

    if isinstance(weight, pd.Series):
        weight = weight.reindex(project.tasks.index)
    w = np.asarray(weight, dtype=np.float64)
    net, succ_ptr, succ_idx, roots = _critical_graph(project, result)
    if w.shape != (net.n_tasks,) or not np.isfinite(w).all():
        from tpmkit.errors import ValidationError

        raise ValidationError("weight must hold one finite number per task of the project")
    path = jit.call(graph.heaviest_path, net.n_tasks + len(succ_idx),
                    net.order.astype(np.int64), succ_ptr, succ_idx, w, roots, 1e-12)
    return net.ids[path].tolist()


