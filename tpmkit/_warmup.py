"""Compile tpmkit's numba kernels once (``python -m tpmkit._warmup``).

numba compiles each kernel on its first call and caches the machine code on disk beside the
module, so the first schedule, simulation or levelling in a fresh installation pays the
compile time once. ``make`` runs this right after installing, so ``make demo`` and the
notebooks start fast. Every signature that real calls use is compiled here: the CPM
passes, the Monte Carlo kernel with drawn and with given uniforms (plain, with risks and
branches, Latin hypercube, correlation, tasks on their own calendars), Kendall's tau,
levelling (both schemes, the search, levelling within float) and the longest-path passes
of crashing and critical chain.
Without numba (``TPMKIT_NO_NUMBA=1`` or not installed) there is nothing to compile.
"""

from __future__ import annotations

import time
import warnings

import pandas as pd

__all__ = ["warm_up"]


def warm_up(verbose: bool = True) -> float:
    """Run each compiled engine once on a tiny project; return the seconds it took."""
    import tpmkit
    from tpmkit import ccpm, compression, resources, risk
    from tpmkit._core.jit import HAVE_NUMBA

    t0 = time.perf_counter()
    if not HAVE_NUMBA:
        return 0.0
    from tpmkit._core import jit

    jit.load()  # compiled from now on, even for the tiny project below
    table = pd.DataFrame({
        "id": ["A", "B", "C", "D"], "duration": [2, 3, 1, 2],
        "optimistic": [1, 2, 1, 1], "most_likely": [2, 3, 1, 2], "pessimistic": [4, 5, 2, 3],
        "predecessors": ["", "A", "A SS+1", "B; C FF"], "resources": ["r:1", "r:1", "r:1", ""],
        "constraint": ["", "", "SNET", "FNLT"], "constraint_date": [None, None, 1, 9],
        "crash_duration": [1, 2, 1, 1], "crash_cost": [200, 300, 100, 150],
        "cost": [100, 100, 50, 50],
    })
    project = tpmkit.read({"tasks": table, "resources": pd.DataFrame({"id": ["r"], "capacity": [1]})})
    register = pd.DataFrame({"id": ["R1"], "probability": [0.5], "tasks": ["B"],
                             "impact_days": ["1,2,4"], "impact_cost": ["100"]})
    tpmkit.schedule(project)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for options in ({}, {"risks": register, "existence": {"C": 0.5}},
                        {"latin_hypercube": True},
                        {"correlation": [(["A", "B"], 0.5)]}):
            r = risk.simulate(project, iterations=200, rng=0, progress=False, **options)
            r.tasks  # noqa: B018 - Kendall's tau is computed on first access
        # tasks on their own calendars: the kernel's time-axis path (same signature)
        on_calendars = tpmkit.read(table.assign(calendar=["", "7d", "", "7d"]),
                                   start="2027-01-04",
                                   calendars={"7d": {"workweek": "Mon Tue Wed Thu Fri Sat Sun"}})
        risk.simulate(on_calendars, iterations=200, rng=0, progress=False)
        tpmkit.schedule(on_calendars)
        for scheme in ("serial", "parallel"):
            resources.level(project, scheme=scheme, time_budget=None, passes=20, rng=0)
        resources.level(project, time_budget=None, passes=20, rng=0, within_float=True)
        # three jobs that each need 2 of 3 units: the first schedule (3 days) is above the
        # energy bound (2 days), so the search kernels run (and compile) too
        tight = tpmkit.read({"tasks": pd.DataFrame({
            "id": ["X", "Y", "Z"], "duration": [1, 1, 1], "resources": ["r:2"] * 3}),
            "resources": pd.DataFrame({"id": ["r"], "capacity": [3]})})
        for search in ("ga", "sampling"):
            for within in (False, True):
                resources.level(tight, time_budget=None, passes=200, rng=0, search=search,
                                within_float=within)
            resources.level(tight, time_budget=1.0, passes=200, rng=0, search=search)
        compression.crash(project, 6)
        ccpm.critical_chain(project)
        tpmkit.pert.analyze(project)  # the path kernels (critical paths, heaviest path)
    seconds = time.perf_counter() - t0
    if verbose:
        print(f"tpmkit: compiled kernels cached in {seconds:.1f} s")
    return seconds


if __name__ == "__main__":  # pragma: no cover
    warm_up()
