"""Benchmark tpmkit.agile's Monte Carlo forecast against a plain-Python loop in the same run.

Run from the repository root::

    .venv/bin/python benchmarks/bench_agile.py                 # 10,000 trials, 500 items
    .venv/bin/python benchmarks/bench_agile.py --trials 20000 --repeat 7

A seeded board of 500 finished items (about 3 a day over ~6 months) is forecast with
:func:`tpmkit.agile.when` ("when will 100 more items be done") and :func:`tpmkit.agile.how_many`
("how many in 30 days"), each vectorised over trials, and the same questions are answered
by a loop that simulates one trial at a time with ``random.choice``. Output: one markdown
table of median wall times over ``--repeat`` runs and the loop / vectorised ratio.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import timeit  # noqa: E402  (benchmarks/timing.py, beside this script)

from tpmkit import agile  # noqa: E402


def board(n_items: int = 500, seed: int = 1) -> agile.Board:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-06")
    started = start + pd.to_timedelta(np.sort(rng.uniform(0, 170, n_items)), unit="D")
    done = started + pd.to_timedelta(rng.gamma(2.0, 2.5, n_items), unit="D")
    return agile.items(pd.DataFrame({"id": [f"B-{k}" for k in range(n_items)],
                                     "created": started, "started": started, "done": done}),
                       now=done.max())


def loop_when(values: list[float], target: float, trials: int, seed: int) -> list[int]:
    r = random.Random(seed)
    out = []
    for _ in range(trials):
        total, k = 0.0, 0
        while total < target:
            total += r.choice(values)
            k += 1
        out.append(k)
    return out


def loop_how_many(values: list[float], periods: int, trials: int, seed: int) -> list[float]:
    r = random.Random(seed)
    return [sum(r.choice(values) for _ in range(periods)) for _ in range(trials)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=10_000)
    ap.add_argument("--items", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    b = board(args.items)
    hist = agile.history(b)
    values = hist.tolist()
    horizon = b.now + pd.Timedelta(days=30)
    agile.when(b, 100, trials=100, rng=0)  # warm-up (imports, first allocations)
    cases = [
        ("when: 100 items", lambda: agile.when(b, 100, trials=args.trials, rng=1),
         lambda: loop_when(values, 100, args.trials, 1)),
        ("how many: 30 days", lambda: agile.how_many(b, horizon, trials=args.trials, rng=1),
         lambda: loop_how_many(values, 30, args.trials, 1)),
    ]
    vec_p85 = float(agile.when(b, 100, trials=args.trials, rng=1).table.loc["P85", "periods"])
    loop_p85 = float(np.percentile(loop_when(values, 100, args.trials, 1), 85, method="higher"))
    print(f"{len(b)} items, {len(hist)} days of throughput history (mean "
          f"{hist.mean():.2f}/day), {args.trials} trials, median of {args.repeat} runs\n")
    print("| forecast | vectorised [s] | plain-Python loop [s] | ratio |")
    print("|---|---:|---:|---:|")
    for name, vec, loop in cases:
        tv, tl = timeit(vec, args.repeat)[0], timeit(loop, args.repeat)[0]
        print(f"| {name} | {tv:.4f} | {tl:.4f} | {tl / tv:.1f}× |")
    print(f"\nP85 of 'when: 100 items': vectorised {vec_p85:g} days, loop {loop_p85:g} days "
          "(different random streams; equal up to sampling error)")


if __name__ == "__main__":
    main()
