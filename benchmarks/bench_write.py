"""Benchmark the atomic, loss-checking writers against a plain write of the same bytes.

Run from the repository root::

    .venv/bin/python benchmarks/bench_write.py                 # 10,000 tasks, 5 repeats
    .venv/bin/python benchmarks/bench_write.py --tasks 20000 --repeat 7

A chained project of ``--tasks`` tasks (two links each, costs, resources, a baseline) is
written as CSV and JSON with :func:`tpmkit.io.write` — which checks what the format cannot
hold, writes a temporary file, fsyncs it and renames it into place — and, as the baseline in
the same run, the same content is produced by the same serialiser and written straight to
the target with no temporary file, no fsync and no loss check. Output: one markdown table of median wall
times over ``--repeat`` runs and the ratio atomic / plain (the cost of "nothing lost").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import timeit  # noqa: E402  (benchmarks/timing.py, beside this script)

import tpmkit  # noqa: E402
from tpmkit.io.tables import project_to_dict  # noqa: E402


def project(n: int) -> tpmkit.Project:
    rng = np.random.default_rng(1)
    ids = [f"T{k}" for k in range(n)]
    preds = [""] + [f"T{k - 1}" + (f"; T{k - 2} SS+1" if k > 1 else "") for k in range(1, n)]
    tasks = pd.DataFrame({"id": ids, "name": [f"task {k}" for k in range(n)],
                          "duration": rng.integers(1, 10, n), "predecessors": preds,
                          "cost": rng.integers(100, 5000, n), "resources": "dev:1",
                          "baseline_cost": rng.integers(100, 5000, n)})
    return tpmkit.read({"tasks": tasks, "project": {"start": "2027-01-04"},
                        "resources": pd.DataFrame({"id": ["dev"], "capacity": [3]})})


def plain_csv(p: tpmkit.Project, path: Path) -> None:
    p.to_table().to_csv(path, index=False, lineterminator="\n")


def plain_json(p: tpmkit.Project, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(project_to_dict(p), fh, indent=2, ensure_ascii=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    p = project(args.tasks)
    rows = []
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        cases = [("CSV", ".csv", lambda f: plain_csv(p, f)),
                 ("JSON", ".json", lambda f: plain_json(p, f))]
        for label, suffix, plain in cases:
            target = d / f"atomic{suffix}"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the parts CSV cannot hold (named once)
                atomic = timeit(lambda: tpmkit.io.write(p, target), args.repeat)[0]
            base = timeit(lambda: plain(d / f"plain{suffix}"), args.repeat)[0]
            rows.append((f"{label} (tpmkit.io.write)", target.stat().st_size / 2**20, atomic, base))
    print(f"{args.tasks:,} tasks, median of {args.repeat}; load {os.getloadavg()[0]:.2f} "
          f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1/5/15 min)\n")
    print("| output | file | atomic write | plain write | atomic / plain |")
    print("|---|---:|---:|---:|---:|")
    for label, size, atomic, base in rows:
        print(f"| {label} | {size:.1f} MiB | {atomic:.3f} s | {base:.3f} s | {atomic / base:.2f} |")


if __name__ == "__main__":
    main()
