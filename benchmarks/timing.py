"""The one timer of the benchmark scripts: the median wall time of repeated calls."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def timeit(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time [s] of ``repeat`` calls of ``fn`` and the last call's result."""
    times, out = [], None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out
