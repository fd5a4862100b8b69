"""Compiled graph kernels shared by the model and the engines."""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["kahn_order"]


@njit(cache=True, nogil=True)
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
