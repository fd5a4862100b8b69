"""Compile tpmkit's numba kernels once (``python -m tpmkit._warmup``).

numba compiles each kernel on its first call and caches the machine code on disk beside the
module, so the first schedule, simulation or levelling in a fresh installation pays the
compile time once. ``make`` runs this right after installing, so ``make demo`` and the
notebooks start fast.
"""

from __future__ import annotations

import time
import warnings

import pandas as pd

__all__ = ["warm_up"]


def warm_up(verbose: bool = True) -> float:
    """Run each compiled engine once on a tiny project; return the seconds it took."""
    import tpmkit
    from tpmkit import levelling, risk

    t0 = time.perf_counter()
    table = pd.DataFrame({
        "id": ["A", "B", "C", "D"], "duration": [2, 3, 1, 2],
        "optimistic": [1, 2, 1, 1], "most_likely": [2, 3, 1, 2], "pessimistic": [4, 5, 2, 3],
        "predecessors": ["", "A", "A SS+1", "B; C FF"], "resources": ["r:1", "r:1", "r:1", ""],
    })
    project = tpmkit.read({"tasks": table, "resources": pd.DataFrame({"id": ["r"], "capacity": [1]})})
    tpmkit.schedule(project)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        risk.simulate(project, iterations=200, rng=0, progress=False)
        levelling.level(project, time_budget=None, passes=20, rng=0)
    seconds = time.perf_counter() - t0
    if verbose:
        print(f"tpmkit: compiled kernels cached in {seconds:.1f} s")
    return seconds


if __name__ == "__main__":  # pragma: no cover
    warm_up()
