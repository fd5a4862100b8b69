"""Benchmark of ``tpmkit.risk.simulate`` against a plain per-iteration Python loop.

Runs the same random networks (FS links to 1–3 of the previous 50 tasks, triangular
three-point durations, the default distribution of Primavera Risk Analysis) through

* the engine: ``simulate(project, N, progress=False, distribution=...)`` — sampling, the
  forward/backward passes, criticality and all sensitivity statistics;
* the baseline: a loop over iterations that samples with numpy and runs the forward and
  backward passes and the criticality test task by task in Python (how blog posts and small
  packages do it). The baseline runs fewer iterations and is scaled linearly to N (its cost
  per iteration is constant), which the table says.

Prints a markdown table: median wall time of the repeats, speed-up, and the peak extra memory
of the engine (tracemalloc peak of the run, numpy allocations included).

Usage: ``python benchmarks/bench_risk.py [--quick] [--big] [--pert]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tpmkit
from tpmkit.risk import simulate


def random_project(n: int, seed: int = 0, window: int = 50) -> tpmkit.Project:
    """A random network of ``n`` tasks with FS links and three-point estimates."""
    rng = np.random.default_rng(seed)
    o = rng.integers(1, 10, n).astype(float)
    m = o + rng.integers(0, 6, n)
    p = m + rng.integers(1, 10, n)
    preds = [""]
    for j in range(1, n):
        k = rng.integers(1, 4)
        cand = rng.choice(np.arange(max(0, j - window), j), size=min(k, j), replace=False)
        preds.append(";".join(f"T{i}" for i in sorted(cand)))
    return tpmkit.read(pd.DataFrame({"id": [f"T{i}" for i in range(n)], "optimistic": o,
                                     "most_likely": m, "pessimistic": p,
                                     "predecessors": preds}))


def python_loop(project: tpmkit.Project, iterations: int, seed: int = 0) -> np.ndarray:
    """Plain per-iteration loop: numpy sampling, Python forward/backward pass, criticality."""
    t = project.tasks
    ids = list(t.index)
    pos = {k: i for i, k in enumerate(ids)}
    o, m, p = (t[c].to_numpy(float) for c in ("optimistic", "most_likely", "pessimistic"))
    preds = [[pos[a] for a in project.links.loc[project.links.successor == k, "predecessor"]]
             for k in ids]
    succs = [[] for _ in ids]
    for j, ps in enumerate(preds):
        for i in ps:
            succs[i].append(j)
    order = [int(i) for i in project.network().order]
    rng = np.random.default_rng(seed)
    finish = np.empty(iterations)
    crit = np.zeros(len(ids))
    for it in range(iterations):
        d = rng.triangular(o, m, p)
        ef = [0.0] * len(ids)
        for j in order:
            ef[j] = max((ef[i] for i in preds[j]), default=0.0) + d[j]
        end = max(ef)
        ls = [0.0] * len(ids)
        for j in reversed(order):
            ls[j] = min((ls[s] for s in succs[j]), default=end) - d[j]
        for j in range(len(ids)):
            if ls[j] - (ef[j] - d[j]) <= 1e-9:
                crit[j] += 1
        finish[it] = end
    return finish


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _peak(fn) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - base) / 2 ** 20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only (smoke run)")
    ap.add_argument("--big", action="store_true", help="also 100,000 iterations × 10,000 tasks")
    ap.add_argument("--pert", action="store_true", help="beta-PERT instead of triangular")
    args = ap.parse_args(argv)
    dist = "pert" if args.pert else "triangular"
    cases = [(200, 1000, 3, 50, None)] if args.quick else [(1000, 10_000, 5, 200, 0.15)]
    if args.big:
        cases.append((10_000, 100_000, 1, 10, 20.0))
    warm = random_project(20, seed=99)
    simulate(warm, 100, rng=0, progress=False, distribution=dist)  # load the compiled cache
    rows = []
    for n_tasks, n_iter, repeats, base_iter, target in cases:
        proj = random_project(n_tasks, seed=1)
        proj.network()

        def engine(proj=proj, n_iter=n_iter):
            return simulate(proj, n_iter, rng=1, progress=False, distribution=dist)

        t_engine = _median_time(engine, repeats)
        t_base = _median_time(lambda proj=proj, b=base_iter: python_loop(proj, b), 1)
        t_base_scaled = t_base * n_iter / base_iter
        mem = _peak(engine)
        rows.append((n_tasks, n_iter, t_engine, t_base_scaled, base_iter, mem, target))
    print(f"\n`simulate` ({dist} durations, criticality + SI + SSI + Pearson/Spearman "
          "cruciality + tornado + merge bias) vs a plain per-iteration Python loop\n")
    print("| tasks | iterations | engine [s] (median) | target [s] | Python loop [s] "
          "| speed-up | engine peak extra memory [MiB] |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n_tasks, n_iter, te, tb, bi, mem, target in rows:
        tgt = "—" if target is None else f"≤ {target:g}"
        print(f"| {n_tasks:,} | {n_iter:,} | {te:.3f} | {tgt} | {tb:.1f} (from {bi:,} it.) "
              f"| {tb / te:,.0f}× | {mem:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
