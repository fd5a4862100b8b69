"""Benchmark: tpmkit.schedule and tpmkit.read on random networks vs plain baselines.

Random activity-on-node networks of 1k, 10k and 100k tasks with about two FS links per
task (each task picks predecessors among the 50 tasks before it, so paths are long). In
the same run:

* **networkx**: build a DiGraph, topological sort, forward and backward passes over node
  attributes (how CPM is usually written with networkx);
* **plain Python**: list-based passes over a precomputed topological order;
* **tpmkit.schedule**: both passes, both floats, critical flags, critical and driving path,
  on a project whose network arrays are built (``warm``) and including building them
  (``cold``);
* **tpmkit.read** of the same network written as a CSV task table.

Prints a markdown table of medians (repeats in brackets) and the speed-up over networkx.
Three shapes (``--shapes``): the random network (``dag``), one long ``chain`` and a ``fan``
(one merge milestone after all tasks); every task has its own three-point estimate. Also
timed: ``tpmkit.read`` of the DataFrame, ``critical_paths`` and ``pert.analyze``.

Run: ``python benchmarks/bench_schedule.py [--quick] [--sizes 1000 10000 100000] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from timing import timeit

import tpmkit
from tpmkit import cpm, pert


def random_network(n: int, links_per_task: float = 2.0, window: int = 50, seed: int = 1):
    rng = np.random.default_rng(seed)
    dur = rng.integers(1, 20, n).astype(float)
    k = rng.poisson(links_per_task, n)
    k[0] = 0
    preds = []
    for j in range(n):
        m = min(k[j], j)
        lo = max(0, j - window)
        preds.append(sorted(set(rng.integers(lo, j, m).tolist())) if m else [])
    return dur, preds


def shaped_network(shape: str, n: int, seed: int = 1):
    """``random_network`` (``dag``), one long ``chain``, or a ``fan``: a start milestone, all
    other tasks in parallel after it and one merge milestone after all of them."""
    if shape == "dag":
        return random_network(n, seed=seed)
    rng = np.random.default_rng(seed)
    dur = rng.integers(1, 20, n).astype(float)
    if shape == "chain":
        return dur, [[]] + [[j - 1] for j in range(1, n)]
    dur[[0, -1]] = 0.0
    return dur, [[]] + [[0]] * (n - 2) + [list(range(1, n - 1))]


def to_table(dur, preds, seed: int = 2) -> pd.DataFrame:
    """The task table; every task has its own three-point estimate around its duration."""
    rng = np.random.default_rng(seed)
    n = len(dur)
    low = np.maximum(dur - rng.uniform(0, 1, n) * dur / 2, 0)
    return pd.DataFrame({"id": [f"T{j}" for j in range(n)], "duration": dur,
                         "optimistic": low.round(4), "most_likely": dur,
                         "pessimistic": (dur + rng.uniform(0.01, 1, n) * (dur + 1)).round(4),
                         "predecessors": [";".join(f"T{i}" for i in p) for p in preds]})


def networkx_cpm(dur, preds):
    g = nx.DiGraph()
    for j, d in enumerate(dur):
        g.add_node(j, d=d)
    for j, p in enumerate(preds):
        for i in p:
            g.add_edge(i, j)
    order = list(nx.topological_sort(g))
    for j in order:
        es = max((g.nodes[i]["ef"] for i in g.predecessors(j)), default=0.0)
        g.nodes[j]["es"], g.nodes[j]["ef"] = es, es + g.nodes[j]["d"]
    finish = max(g.nodes[j]["ef"] for j in g)
    for j in reversed(order):
        lf = min((g.nodes[s]["ls"] for s in g.successors(j)), default=finish)
        g.nodes[j]["lf"], g.nodes[j]["ls"] = lf, lf - g.nodes[j]["d"]
    return finish


def python_cpm(dur, preds, succs, order):
    n = len(dur)
    es, ef = [0.0] * n, [0.0] * n
    for j in order:
        s = max((ef[i] for i in preds[j]), default=0.0)
        es[j], ef[j] = s, s + dur[j]
    finish = max(ef)
    ls, lf = [0.0] * n, [0.0] * n
    for j in reversed(order):
        f = min((ls[s] for s in succs[j]), default=finish)
        lf[j], ls[j] = f, f - dur[j]
    tf = [ls[j] - es[j] for j in range(n)]
    return finish, tf


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--shapes", nargs="+", default=["dag", "chain", "fan"],
                    choices=["dag", "chain", "fan"])
    ap.add_argument("--quick", action="store_true", help="1k and 10k tasks, 2 repeats")
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.repeat = [s for s in args.sizes if s <= 10_000], min(args.repeat, 2)
    # compile (numba, cached on disk) before timing
    tpmkit.schedule(tpmkit.read(to_table(*random_network(50))))
    rows = []
    for shape, n in ((shape, n) for shape in args.shapes for n in args.sizes):
        dur, preds = shaped_network(shape, n)
        table = to_table(dur, preds)
        project = tpmkit.read(table)
        t_nx_build, _ = timeit(lambda: nx.DiGraph([(i, j) for j, p in enumerate(preds) for i in p]),
                               max(1, args.repeat // 2))
        t_nx, f_nx = timeit(lambda: networkx_cpm(dur, preds), max(1, args.repeat // 2))
        succs = [[] for _ in range(n)]
        for j, p in enumerate(preds):
            for i in p:
                succs[i].append(j)
        order = list(range(n))  # predecessors always precede: index order is topological
        t_py, (f_py, _) = timeit(lambda: python_cpm(list(dur), preds, succs, order), args.repeat)
        t_warm, sched = timeit(lambda: tpmkit.schedule(project), args.repeat)

        def cold():  # a fresh frozen copy: its network arrays are not built yet
            return tpmkit.schedule(dataclasses.replace(project))
        t_cold, _ = timeit(cold, args.repeat)
        assert sched.duration == f_nx == f_py
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "net.csv"
            table.to_csv(path, index=False)
            t_read, _ = timeit(lambda: tpmkit.read(path), max(1, args.repeat // 2))
        t_df, _ = timeit(lambda: tpmkit.read(table), max(1, args.repeat // 2))
        t_paths, _ = timeit(lambda: cpm.critical_paths(project, sched), args.repeat)
        t_pert, _ = timeit(lambda: pert.analyze(project), args.repeat)
        rows.append((shape, n, len(project.links), t_nx_build, t_nx, t_py, t_cold, t_warm,
                     t_read, t_df, t_paths, t_pert))
    print(f"load average {open('/proc/loadavg').read().split()[:3]}; medians [s]\n")
    print("| shape | tasks | links | networkx graph build | networkx CPM | plain Python CPM "
          "| tpmkit.schedule cold | tpmkit.schedule warm | speed-up vs networkx (warm) "
          "| tpmkit.read CSV | tpmkit.read DataFrame | critical_paths | pert.analyze |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for shape, n, m, tb, tn, tp, tc, tw, tr, td, tcp, tpa in rows:
        print(f"| {shape} | {n:,} | {m:,} | {tb:.3f} | {tn:.3f} | {tp:.3f} | {tc:.4f} | {tw:.4f} "
              f"| {tn / tw:.0f}× | {tr:.3f} | {td:.3f} | {tcp:.4f} | {tpa:.4f} |")
    print("\nmedians; the speed-up compares the CPM passes (networkx excludes its graph build)."
          " Targets: schedule(100k) ≤ 0.2 s and ≥ 10× networkx; read(100k CSV) ≤ 2 s.")


if __name__ == "__main__":
    main()
