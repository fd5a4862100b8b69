"""Benchmark: tpmkit.schedule on several calendars vs the one-calendar path and plain Python.

Random activity-on-node networks (about two FS/SS/FF links per task, predecessors among the
previous ``n / 20`` tasks, durations 1–9 days). In the same run:

* **plain Python**: list-based forward and backward passes in whole days (no calendars);
* **one calendar**: ``tpmkit.schedule`` of the network, every task on the project calendar
  (the whole-day code path);
* **three calendars**: the same network with every third task on a 7-day calendar and every
  third on an 08:00–16:00 calendar with a holiday, lags on the successor's calendar (the
  time-axis path: the axis is built, both passes run on instants, results converted back).

Prints a markdown table of medians (repeats in brackets), the load average, and the ratios
three calendars / one calendar and three calendars / plain Python.

A second table times ``tpmkit.risk.simulate`` (distinct three-point estimates, PERT, with
the task statistics) of the same kind of network on one calendar (the whole-day kernel,
vectorised over iterations) and on three calendars (the time-axis kernel: per iteration
the calendar steps of the PDM core, binary searches on the axis).
Run: ``python benchmarks/bench_calendars.py [--sizes 1000 10000 100000] [--repeat 5]
[--mc 1000 10000]``.
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import pandas as pd
from timing import timeit

import tpmkit

DAY8 = {d: ["08:00-16:00"] for d in ("Mon", "Tue", "Wed", "Thu", "Fri")}
CALENDARS = {"7d": {"workweek": "Mon Tue Wed Thu Fri Sat Sun"},
             "day8": {"working_times": DAY8, "holidays": ["2027-05-03"]}}


def random_network(n: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    dur = rng.integers(1, 10, n).astype(float)
    window = max(50, n // 20)
    preds = []
    for j in range(n):
        m = min(int(rng.poisson(2.0)), j)
        lo = max(0, j - window)
        preds.append(sorted(set(rng.integers(lo, j, m).tolist())) if m else [])
    kinds = rng.choice(["", " SS+1d", " FF"], size=n)
    text = [";".join(f"T{i}{kinds[i]}" for i in p) for p in preds]
    return pd.DataFrame({"id": [f"T{j}" for j in range(n)], "duration": dur,
                         "predecessors": text}), dur, preds


def python_cpm(dur, preds, succs):
    n = len(dur)
    es, ef = [0.0] * n, [0.0] * n
    for j in range(n):  # predecessors precede: index order is topological
        s = max((ef[i] for i in preds[j]), default=0.0)
        es[j], ef[j] = s, s + dur[j]
    finish = max(ef)
    ls, lf = [0.0] * n, [0.0] * n
    for j in range(n - 1, -1, -1):
        f = min((ls[s] for s in succs[j]), default=finish)
        lf[j], ls[j] = f, f - dur[j]
    return finish


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--mc", type=int, nargs=2, default=[1000, 10_000],
                    metavar=("TASKS", "ITERATIONS"), help="the Monte Carlo table's size")
    args = ap.parse_args()
    warm, _, _ = random_network(3000)
    warm_cal = warm.assign(calendar=np.resize(["", "7d", "day8"], len(warm)))
    tpmkit.schedule(tpmkit.read(warm_cal, start="2027-01-04", calendars=CALENDARS))  # compile
    rows = []
    for n in args.sizes:
        table, dur, preds = random_network(n)
        succs = [[] for _ in range(n)]
        for j, p in enumerate(preds):
            for i in p:
                succs[i].append(j)
        one = tpmkit.read(table, start="2027-01-04")
        three = tpmkit.read(table.assign(calendar=np.resize(["", "7d", "day8"], n)),
                            start="2027-01-04", calendars=CALENDARS)
        t_py, _ = timeit(lambda: python_cpm(list(dur), preds, succs), args.repeat)
        t_one, s1 = timeit(lambda: tpmkit.schedule(one), args.repeat)
        t_three, s3 = timeit(lambda: tpmkit.schedule(three), args.repeat)
        assert s3.duration >= 0 and np.isfinite(s3.table["total_float"]).all()
        rows.append((n, len(one.links), t_py, t_one, t_three, s1.duration, s3.duration))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores); medians of {args.repeat}")
    print("| tasks | links | plain Python CPM [s] | schedule, one calendar [s] "
          "| schedule, three calendars [s] | three / one | three / plain Python "
          "| finish one / three [days] |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, m, tp, t1, t3, f1, f3 in rows:
        print(f"| {n:,} | {m:,} | {tp:.3f} | {t1:.4f} | {t3:.4f} | {t3 / t1:.1f}× "
              f"| {t3 / tp:.2f}× | {f1:g} / {f3:.4g} |")
    monte_carlo(*args.mc, repeat=3)


def monte_carlo(n: int, iterations: int, repeat: int) -> None:
    """The Monte Carlo table: one calendar vs three calendars, same network and seed."""
    table, dur, _ = random_network(n)
    rng = np.random.default_rng(2)
    o = np.maximum(dur - rng.integers(0, 3, n), 0.5)
    p = dur + rng.integers(1, 6, n) + rng.random(n)  # distinct estimates
    table = table.assign(optimistic=o, most_likely=dur, pessimistic=p)
    one = tpmkit.read(table, start="2027-01-04")
    three = tpmkit.read(table.assign(calendar=np.resize(["", "7d", "day8"], n)),
                        start="2027-01-04", calendars=CALENDARS)
    from tpmkit.risk import simulate

    def run(project):
        r = simulate(project, iterations=iterations, rng=1, progress=False)
        r.tasks  # noqa: B018 - the task statistics are part of the run
        return r

    run(one), run(three)  # load the compiled kernels
    t_one, r1 = timeit(lambda: run(one), repeat)
    t_three, r3 = timeit(lambda: run(three), repeat)
    print(f"\n`simulate` {n:,} tasks × {iterations:,} iterations (pert, distinct o/m/p, task "
          f"statistics); medians of {repeat}; load {os.getloadavg()[0]:.2f}")
    print("| calendars | wall [s] | per task-iteration [ns] | P80 [days] | vs one calendar |")
    print("|---|---:|---:|---:|---:|")
    for name, t, r in (("one (whole days)", t_one, r1), ("three (time axis)", t_three, r3)):
        print(f"| {name} | {t:.3f} | {t / (n * iterations) * 1e9:.1f} "
              f"| {np.percentile(r.finish, 80):.2f} | {t / t_one:.1f}× |")


if __name__ == "__main__":
    main()
