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

The distinct-estimates case (1,000 tasks, each with its own o/m/p, beta-PERT) measures the
sampler set-up that shared shapes hide.

The status-date case runs the same network with a start date, once without progress and
once status-dated (the first 30 % of the tasks complete, the next 10 % half done: only the
remaining work is simulated, with the release/due bounds of every task); the target is at
most 10 % extra time for the status date.

Usage: ``python benchmarks/bench_risk.py [--quick] [--big] [--pert] [--status-only]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tpmkit
from tpmkit.risk import simulate


def random_project(n: int, seed: int = 0, window: int = 50,
                   distinct: bool = False) -> tpmkit.Project:
    """A random network of ``n`` tasks with FS links and three-point estimates.

    ``distinct``: every task has its own (o, m, p) (continuous draws, as in real plans)
    instead of a few dozen shared integer shapes.
    """
    rng = np.random.default_rng(seed)
    if distinct:
        o = rng.uniform(1.0, 10.0, n)
        m = o + rng.uniform(0.0, 6.0, n)
        p = m + rng.uniform(0.5, 10.0, n)
    else:
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


def status_dated(project: tpmkit.Project, done: float = 0.3, going: float = 0.1
                 ) -> tuple[tpmkit.Project, tpmkit.Project]:
    """The project with a start date, without and with progress at a status date.

    The first ``done`` of the tasks in topological order are complete at their planned
    dates, the next ``going`` started on plan and 50 % done; the status date is the
    latest planned start among them.
    """
    plan = project.replace(start="2027-01-04")
    s = tpmkit.schedule(plan).table
    order = project.network().order
    n = len(order)
    k_done, k_going = int(done * n), int((done + going) * n)
    t = plan.to_table().set_index("id")
    ids = np.asarray(plan.tasks.index)
    first, later = ids[order[:k_done]], ids[order[k_done:k_going]]
    t["actual_start"] = pd.NaT
    t["actual_finish"] = pd.NaT
    t["percent_complete"] = 0.0
    t.loc[first, "actual_start"] = s.loc[first, "early_start_date"]
    t.loc[first, "actual_finish"] = s.loc[first, "early_finish_date"]
    t.loc[first, "percent_complete"] = 100.0
    t.loc[later, "actual_start"] = s.loc[later, "early_start_date"]
    t.loc[later, "percent_complete"] = 50.0
    status = max(s.loc[ids[order[:k_going]], "early_start_date"].max(),
                 s.loc[first, "early_finish_date"].max())
    progressed = tpmkit.read(t.reset_index(), start="2027-01-04", status_date=status)
    return plan, progressed


def status_table(n_tasks: int, n_iter: int, repeats: int, dist: str) -> None:
    """Print the cost of a status date (same network, same iterations)."""
    import warnings

    from tpmkit.model.progress import ProgressWarning

    plan, progressed = status_dated(random_project(n_tasks, seed=1))
    times = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        for name, proj in (("no status date", plan), ("status date", progressed)):
            simulate(proj, 100, rng=0, progress=False, distribution=dist)  # warm
            times[name] = _median_time(
                lambda proj=proj: simulate(proj, n_iter, rng=1, progress=False,
                                           distribution=dist), repeats)
    st = progressed.progress["status"].value_counts()
    print(f"\nstatus date: {n_tasks:,} tasks ({st.get('complete', 0)} complete, "
          f"{st.get('in_progress', 0)} in progress) × {n_iter:,} iterations, {dist}, "
          f"median of {repeats}\n")
    print("| run | wall [s] | CPU [s] | extra CPU vs no status date |")
    print("|---|---:|---:|---:|")
    base = times["no status date"][1]
    for name, (w, c) in times.items():
        print(f"| {name} | {w:.3f} | {c:.3f} | {100 * (c / base - 1):+.1f} % |")


def loop_setup(project: tpmkit.Project) -> dict:
    """Predecessor/successor lists and the three points for :func:`python_loop` (untimed)."""
    t = project.tasks
    net = project.network()
    n = len(t)
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(net.link_from.tolist(), net.link_to.tolist(), strict=True):
        preds[b].append(a)
        succs[a].append(b)
    return {"o": t["optimistic"].to_numpy(float), "m": t["most_likely"].to_numpy(float),
            "p": t["pessimistic"].to_numpy(float), "preds": preds, "succs": succs,
            "order": [int(i) for i in net.order]}


def python_loop(s: dict, iterations: int, seed: int = 0) -> np.ndarray:
    """Plain per-iteration loop: numpy sampling, Python forward/backward pass, criticality."""
    o, m, p, preds, succs, order = s["o"], s["m"], s["p"], s["preds"], s["succs"], s["order"]
    n = len(order)
    rng = np.random.default_rng(seed)
    finish = np.empty(iterations)
    crit = np.zeros(n)
    for it in range(iterations):
        d = rng.triangular(o, m, p).tolist()
        ef = [0.0] * n
        for j in order:
            ef[j] = max((ef[i] for i in preds[j]), default=0.0) + d[j]
        end = max(ef)
        ls = [0.0] * n
        for j in reversed(order):
            ls[j] = min((ls[k] for k in succs[j]), default=end) - d[j]
        for j in range(n):
            if ls[j] - (ef[j] - d[j]) <= 1e-9:
                crit[j] += 1
        finish[it] = end
    return finish


def _median_time(fn, repeats: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process [s]."""
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


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
    ap.add_argument("--status-only", action="store_true",
                    help="only the status-date case (cost of simulating the remaining work)")
    args = ap.parse_args(argv)
    dist = "pert" if args.pert else "triangular"
    if args.status_only:
        status_table(*((200, 1000, 3) if args.quick else (1000, 10_000, 5)), dist)
        return 0
    cases = ([(200, 1000, 3, 50, None, dist, False), (200, 1000, 3, 50, None, "pert", True)]
             if args.quick else [(1000, 10_000, 5, 200, 0.15, dist, False),
                                 (1000, 10_000, 5, 200, 0.15, "pert", True)])
    if args.big:
        cases.append((10_000, 100_000, 1, 10, 20.0, dist, False))
    warm = random_project(20, seed=99)
    for d in {dist, "pert"}:  # load the compiled cache
        simulate(warm, 100, rng=0, progress=False, distribution=d)
    rows = []
    for n_tasks, n_iter, repeats, base_iter, target, case_dist, distinct in cases:
        proj = random_project(n_tasks, seed=1, distinct=distinct)
        proj.network()

        def engine(proj=proj, n_iter=n_iter, d=case_dist):
            return simulate(proj, n_iter, rng=1, progress=False, distribution=d)

        t_engine, c_engine = _median_time(engine, repeats)
        setup = loop_setup(proj)
        t_base, c_base = _median_time(lambda s=setup, b=base_iter: python_loop(s, b), 1)
        scale = n_iter / base_iter
        mem = _peak(engine)
        label = f"{case_dist}, {'distinct o/m/p' if distinct else 'shared shapes'}"
        rows.append((n_tasks, n_iter, t_engine, c_engine, t_base * scale, c_base * scale,
                     base_iter, mem, target, label))
    print("\n`simulate` (criticality + SI + SSI + Pearson/Spearman "
          "cruciality + tornado + merge bias) vs a plain per-iteration Python loop\n")
    print("| tasks | durations | iterations | engine wall [s] | engine CPU [s] | target [s] "
          "| Python loop wall / CPU [s] | speed-up wall / CPU | engine peak extra memory [MiB] |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for n_tasks, n_iter, te, ce, tb, cb, bi, mem, target, label in rows:
        tgt = "—" if target is None else f"≤ {target:g}"
        print(f"| {n_tasks:,} | {label} | {n_iter:,} | {te:.3f} | {ce:.3f} | {tgt} "
              f"| {tb:.1f} / {cb:.1f} "
              f"(scaled from {bi:,} it.) | {tb / te:,.0f}× / {cb / ce:,.0f}× | {mem:.0f} |")
    status_table(*((200, 1000, 3) if args.quick else (1000, 10_000, 5)), dist)
    code = ("import time; t = time.perf_counter(); import tpmkit, pandas as pd; "
            "from tpmkit.risk import simulate; "
            "p = tpmkit.read(pd.DataFrame({'id': ['A', 'B'], 'optimistic': [1, 2], "
            "'most_likely': [2, 3], 'pessimistic': [4, 6], 'predecessors': ['', 'A']})); "
            "t1 = time.perf_counter(); simulate(p, 1000, rng=0, progress=False); "
            "print(f'{time.perf_counter() - t1:.2f} {t1 - t:.2f}')")
    first, imp = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.split()
    print(f"\nfirst simulation in a fresh process (compiled code from the disk cache): {first} s"
          f" (plus {imp} s to import tpmkit and read the project)")
    load = os.getloadavg()[0]
    print(f"\nload average at the end: {load:.1f} on {os.cpu_count()} cores (shared machine: "
          "wall times include waiting for the CPU; CPU times are this process's own)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
