"""Graph passes on the precedence network: CSR adjacency, topological order, cycle search
and longest paths on DAGs (the passes of levelling, crashing and critical chain).

Tasks are numbered ``0 … n-1`` in input order; a link (arc) ``e`` goes from
``link_from[e]`` to ``link_to[e]``. Ties are broken in input order everywhere, so every
order is deterministic.
"""

from __future__ import annotations

import numpy as np

from tpmkit._core.codes import EPS
from tpmkit._core.jit import call, njit

__all__ = ["chase", "csr", "dag_pass", "enumerate_paths", "find_cycle", "heap_pop", "heap_push",
           "heaviest_path", "kahn_order", "longest_path", "relax", "topo_by_key",
           "topological_order"]


def csr(keys: np.ndarray, other: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
    """Compressed adjacency of the arcs grouped by ``keys`` (stable: input order kept).

    Returns ``(ptr, idx, order)``: the arcs of node ``v`` are ``order[ptr[v]:ptr[v+1]]``
    and lead to ``idx[ptr[v]:ptr[v+1]]`` (``other`` of those arcs).

    Examples
    --------
    >>> ptr, idx, order = csr(np.array([1, 0, 1]), np.array([2, 1, 0]), 3)
    >>> ptr.tolist(), idx.tolist(), order.tolist()
    ([0, 1, 3, 3], [1, 2, 0], [1, 0, 2])
    """
    keys = np.asarray(keys, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, np.asarray(other)[order].astype(np.int64), order.astype(np.int64)


@njit(cache=True, nogil=True, lazy=True)
def kahn_order(n, succ_ptr, succ_idx, indeg):  # pragma: no cover - compiled
    """Kahn's algorithm with a FIFO queue (ties in input order).

    Returns ``(order, count)``; ``count < n`` means the network has a cycle.
    """
    deg = indeg.copy()
    order = np.empty(n, dtype=np.int64)
    head = 0
    tail = 0
    for j in range(n):
        if deg[j] == 0:
            order[tail] = j
            tail += 1
    while head < tail:
        j = order[head]
        head += 1
        for q in range(succ_ptr[j], succ_ptr[j + 1]):
            s = succ_idx[q]
            deg[s] -= 1
            if deg[s] == 0:
                order[tail] = s
                tail += 1
    return order, tail


@njit(cache=True, nogil=True, lazy=True)
def heap_push(hk, hv, size, k, v):  # pragma: no cover - compiled
    """Push ``(k, v)`` on the binary min-heap ``hk``/``hv`` of ``size`` items (ties by v)."""
    i = size
    hk[i] = k
    hv[i] = v
    while i > 0:
        p = (i - 1) // 2
        if hk[p] < hk[i] or (hk[p] == hk[i] and hv[p] <= hv[i]):
            break
        hk[p], hk[i] = hk[i], hk[p]
        hv[p], hv[i] = hv[i], hv[p]
        i = p
    return size + 1


@njit(cache=True, nogil=True, lazy=True)
def heap_pop(hk, hv, size):  # pragma: no cover - compiled
    """Pop the smallest ``(k, v)``; returns ``(v, size)``."""
    v = hv[0]
    size -= 1
    hk[0] = hk[size]
    hv[0] = hv[size]
    i = 0
    while True:
        a = 2 * i + 1
        if a >= size:
            break
        b = a + 1
        c = a
        if b < size and (hk[b] < hk[a] or (hk[b] == hk[a] and hv[b] < hv[a])):
            c = b
        if hk[i] < hk[c] or (hk[i] == hk[c] and hv[i] <= hv[c]):
            break
        hk[c], hk[i] = hk[i], hk[c]
        hv[c], hv[i] = hv[i], hv[c]
        i = c
    return v, size


@njit(cache=True, nogil=True, lazy=True)
def topo_by_key(key, in_ptr, out_ptr, out_idx, out):  # pragma: no cover - compiled
    """Topological order that always takes the eligible node with the smallest key.

    Returns the number of nodes ordered (less than n when the graph has a cycle).
    """
    n = key.shape[0]
    indeg = np.empty(n, np.int64)
    hk = np.empty(n, np.float64)
    hv = np.empty(n, np.int64)
    size = 0
    for j in range(n):
        indeg[j] = in_ptr[j + 1] - in_ptr[j]
        if indeg[j] == 0:
            size = heap_push(hk, hv, size, key[j], j)
    c = 0
    while size > 0:
        j, size = heap_pop(hk, hv, size)
        out[c] = j
        c += 1
        for q in range(out_ptr[j], out_ptr[j + 1]):
            s = out_idx[q]
            indeg[s] -= 1
            if indeg[s] == 0:
                size = heap_push(hk, hv, size, key[s], s)
    return c


def topological_order(n: int, link_from: np.ndarray, link_to: np.ndarray) -> np.ndarray | None:
    """A topological order of ``n`` tasks (Kahn, ties in input order); None on a cycle.

    Examples
    --------
    >>> topological_order(3, np.array([2, 0]), np.array([1, 2])).tolist()
    [0, 2, 1]
    >>> topological_order(2, np.array([0, 1]), np.array([1, 0])) is None
    True
    """
    if len(link_from) == 0:
        return np.arange(n, dtype=np.int64)
    link_to = np.asarray(link_to, np.int64)
    succ_ptr, succ_idx, _ = csr(np.asarray(link_from, np.int64), link_to, n)
    indeg = np.bincount(link_to, minlength=n).astype(np.int64)
    order, count = call(kahn_order, n + len(link_to), n, succ_ptr, succ_idx, indeg)
    return order if count == n else None


@njit(cache=True, nogil=True, lazy=True)
def chase(parent, start):  # pragma: no cover - compiled
    """Follow ``parent`` links from ``start`` until a negative entry; returns the nodes visited,
    ``start`` first (``parent`` must not loop).
    """
    n = parent.shape[0]
    out = np.empty(n, np.int64)
    c = 0
    j = start
    while j >= 0 and c < n:
        out[c] = j
        c += 1
        j = parent[j]
    return out[:c]


@njit(cache=True, nogil=True, lazy=True)
def enumerate_paths(roots, succ_ptr, succ_idx, limit):  # pragma: no cover - compiled
    """Maximal paths of a DAG, depth first: from each root in turn, successors in CSR order.

    A path ends at a node without successors. Stops after ``limit`` paths. Returns
    ``(nodes, ptr)``: path ``k`` is ``nodes[ptr[k]:ptr[k+1]]``. The path is one stack that
    grows and shrinks by one node per step (never copied but when a path is emitted), so the
    time is the size of the output plus the roots.
    """
    n = succ_ptr.shape[0] - 1
    path = np.empty(n + 1, np.int64)
    nxt = np.empty(n + 1, np.int64)
    out = np.empty(max(16, n), np.int64)
    ptr = np.zeros(limit + 1, np.int64)
    used = 0
    count = 0
    for r in roots:
        if count >= limit:
            break
        depth = 0
        path[0] = r
        nxt[0] = succ_ptr[r]
        while depth >= 0 and count < limit:
            v = path[depth]
            if succ_ptr[v + 1] == succ_ptr[v]:  # a leaf: emit the path, step back
                if used + depth + 1 > out.shape[0]:
                    grown = np.empty(max(2 * out.shape[0], used + depth + 1), np.int64)
                    grown[:used] = out[:used]
                    out = grown
                out[used:used + depth + 1] = path[:depth + 1]
                used += depth + 1
                count += 1
                ptr[count] = used
                depth -= 1
            elif nxt[depth] < succ_ptr[v + 1]:
                s = succ_idx[nxt[depth]]
                nxt[depth] += 1
                depth += 1
                path[depth] = s
                nxt[depth] = succ_ptr[s]
            else:
                depth -= 1
    return out[:used], ptr[:count + 1]


@njit(cache=True, nogil=True, lazy=True)
def heaviest_path(order, succ_ptr, succ_idx, weight, starts, rtol):  # pragma: no cover
    """The maximal path of largest total ``weight`` that begins at one of ``starts``.

    ``order`` is a topological order of the DAG; a path ends at a node without successors.
    Ties (sums within ``rtol`` relative of the best) go to the earlier start in ``starts``
    and the earlier successor in CSR order, i.e. to the first such path of
    :func:`enumerate_paths`. One backward sweep: linear in nodes + arcs.
    """
    n = weight.shape[0]
    best = np.zeros(n)
    nxt = np.full(n, -1, np.int64)
    for q in range(order.shape[0] - 1, -1, -1):
        v = order[q]
        top = -np.inf
        for e in range(succ_ptr[v], succ_ptr[v + 1]):
            if best[succ_idx[e]] > top:
                top = best[succ_idx[e]]
        if succ_ptr[v + 1] > succ_ptr[v]:
            cut = top - rtol * max(1.0, abs(top))
            for e in range(succ_ptr[v], succ_ptr[v + 1]):
                if best[succ_idx[e]] >= cut:
                    nxt[v] = succ_idx[e]
                    break
            best[v] = weight[v] + best[nxt[v]]
        else:
            best[v] = weight[v]
    if starts.shape[0] == 0:
        return np.empty(0, np.int64)
    top = -np.inf
    for r in starts:
        if best[r] > top:
            top = best[r]
    cut = top - rtol * max(1.0, abs(top))
    first = starts[0]
    for r in starts:
        if best[r] >= cut:
            first = r
            break
    return chase(nxt, first)


def find_cycle(n: int, link_from: np.ndarray, link_to: np.ndarray) -> list[int]:
    """One cycle as task numbers, the first repeated at the end (``[]`` when acyclic).

    Iterative depth-first search from the tasks in input order, successors in link order.

    Examples
    --------
    >>> find_cycle(4, np.array([0, 1, 2, 3]), np.array([1, 2, 1, 0]))
    [1, 2, 1]
    >>> find_cycle(2, np.array([0]), np.array([1]))
    []
    """
    succ: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(np.asarray(link_from).tolist(), np.asarray(link_to).tolist(), strict=True):
        succ[a].append(b)
    state = [0] * n  # 0 new, 1 on the stack, 2 done
    for root in range(n):
        if state[root]:
            continue
        stack = [(root, 0)]
        path = [root]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            if i < len(succ[node]):
                stack[-1] = (node, i + 1)
                nxt = succ[node][i]
                if state[nxt] == 1:
                    return path[path.index(nxt):] + [nxt]
                if state[nxt] == 0:
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return []


@njit(cache=True, nogil=True, lazy=True)
def dag_pass(n, frm, to, w, bound, forward):  # pragma: no cover - compiled
    """Longest-path pass in topological (Kahn) order; ok=False when the arcs have a cycle.

    Forward: ``s[to] = max(bound[to], s[frm] + w)`` (earliest starts); backward:
    ``s[frm] = min(bound[frm], s[to] - w)`` (latest starts).
    """
    m = frm.shape[0]
    src = frm if forward else to
    dst = to if forward else frm
    indeg = np.zeros(n, np.int64)
    ptr = np.zeros(n + 1, np.int64)
    for e in range(m):
        indeg[dst[e]] += 1
        ptr[src[e] + 1] += 1
    for v in range(n):
        ptr[v + 1] += ptr[v]
    fill = ptr[:-1].copy()
    adj = np.empty(m, np.int64)
    for e in range(m):
        adj[fill[src[e]]] = e
        fill[src[e]] += 1
    s = bound.copy()
    queue = np.empty(n, np.int64)
    tail = 0
    for v in range(n):
        if indeg[v] == 0:
            queue[tail] = v
            tail += 1
    head = 0
    while head < tail:
        u = queue[head]
        head += 1
        for q in range(ptr[u], ptr[u + 1]):
            e = adj[q]
            v = dst[e]
            if forward:
                cand = s[u] + w[e]
                if cand > s[v]:
                    s[v] = cand
            else:
                cand = s[u] - w[e]
                if cand < s[v]:
                    s[v] = cand
            indeg[v] -= 1
            if indeg[v] == 0:
                queue[tail] = v
                tail += 1
    return s, tail == n


def longest_path(n: int, frm: np.ndarray, to: np.ndarray, w: np.ndarray, bound: np.ndarray,
                 forward: bool = True) -> np.ndarray:
    """Earliest (forward) or latest (backward) starts under ``s[to] >= s[frm] + w``.

    Topological order (:func:`dag_pass`); arcs with a (non-positive) cycle -- possible
    when a negative-lag link points against a resource order -- fall back to
    :func:`relax`.
    """
    s, ok = call(dag_pass, n + len(frm), n, np.ascontiguousarray(frm, dtype=np.int64),
                 np.ascontiguousarray(to, dtype=np.int64),
                 np.ascontiguousarray(w, dtype=np.float64),
                 np.ascontiguousarray(bound, dtype=np.float64), forward)
    return s if ok else relax(n, frm, to, w, bound, forward)


def relax(n: int, frm: np.ndarray, to: np.ndarray, w: np.ndarray, bound: np.ndarray,
          forward: bool = True) -> np.ndarray:
    """Longest-path pass over difference constraints ``s[to] >= s[frm] + w``.

    Forward: the least ``s >= bound`` satisfying every arc (earliest starts).
    Backward: the greatest ``s <= bound`` satisfying every arc (latest starts).
    Vectorised label-correcting: each sweep relaxes all arcs at once; a DAG needs at
    most its depth in sweeps, more than ``n + 1`` sweeps means a positive cycle
    (changes below ``EPS`` relative are rounding, not progress).
    """
    s = bound.astype(float).copy()
    if len(frm) == 0:
        return s
    key, other = (to, frm) if forward else (frm, to)
    order = np.argsort(key, kind="stable")
    key_s, other_s, w_s = key[order], other[order], w[order]
    heads = np.flatnonzero(np.r_[True, key_s[1:] != key_s[:-1]])
    targets = key_s[heads]
    for _ in range(n + 2):
        if forward:
            cand = np.maximum.reduceat(s[other_s] + w_s, heads)
            new = np.maximum(s[targets], cand)
        else:
            cand = np.minimum.reduceat(s[other_s] - w_s, heads)
            new = np.minimum(s[targets], cand)
        changed = np.abs(new - s[targets]) > EPS * np.maximum(1.0, np.abs(new))
        if not changed.any():
            return s
        s[targets] = new
    from tpmkit.errors import CycleError

    raise CycleError("the precedence network (with resource order) contains a cycle of positive "
                     "length; remove a link or a negative lag that closes the loop")
