"""Benchmark: how every command grows with the plan, on the three shapes real plans have.

Networks (every task with its own three-point estimate, cost, baseline and progress):

* ``dag``: a random activity-on-node network, about two FS predecessors per task chosen among
  the 50 tasks before it (long paths, many merges);
* ``chain``: one long chain, each task after the previous one;
* ``fan``: a start milestone, every other task in parallel after it, one merge milestone
  after all of them (fan-out and fan-in of n tasks).

For each shape and size (default 1k, 10k, 100k tasks) it runs, in this process through
``tpmkit.cli.main`` (so the interpreter start-up is not timed): ``schedule``, ``pert``,
``check``, ``evm`` and ``level`` with ``--json``, and ``convert`` from CSV to YAML, JSON,
XLSX and MS Project XML and back to CSV. It prints the medians and a growth table
``time(10n) / time(n)``; a ratio above 15 (n log n for 10× more tasks is ≈ 13) is flagged
as super-linear. Two end-to-end targets are checked in the same run: ``tpmkit.read`` of a
100k-task DataFrame (≤ 0.3 s, against a plain ``DataFrame.copy`` baseline) and
``tpmkit schedule --json`` on a 200,000-task chain in a fresh process (≤ 10 s, against
``python -c "import pandas"``). The exit status is 1 when a row is flagged or a target is
missed.

``level`` runs one pass of its schedule-generation scheme (``--passes 1``): the search on top
of it is bounded by ``--passes``/``--time-budget``, not by the plan size. Its time grid is
bounded (``tpmkit.resources.levelling.MAX_GRID_CELLS``): estimates are on a grid of eighths of
a working day and scaled so that a plan lasts at most 30,000 working days (a 100k-task chain
of whole days would end after the calendar's last date).

Run: ``python benchmarks/bench_growth.py [--quick] [--sizes 1000 10000 100000] [--repeat 3]``
(``--quick``: 1k and 10k tasks, one repeat, no 200k target).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tpmkit  # noqa: E402
from tpmkit.cli import main as cli  # noqa: E402

SHAPES = ("dag", "chain", "fan")
FLAG = 15.0  # time(10n)/time(n) above this is worse than n log n
FORMATS = ("yaml", "json", "xlsx", "xml")


def predecessors(shape: str, n: int, rng: np.random.Generator) -> list[str]:
    """The ``predecessors`` column of a network of ``n`` tasks T0 … T(n-1)."""
    ids = [f"T{j}" for j in range(n)]
    if shape == "chain":
        return ["", *ids[:-1]]
    if shape == "fan":
        return ["", *(["T0"] * (n - 2)), ";".join(ids[1:-1])]
    k = np.minimum(rng.poisson(2.0, n), np.arange(n))
    out = []
    for j in range(n):
        lo = max(0, j - 50)
        out.append(";".join(ids[i] for i in sorted(set(rng.integers(lo, j, k[j]).tolist())))
                   if k[j] else "")
    return out


def network(shape: str, n: int, seed: int = 1) -> pd.DataFrame:
    """A task table with distinct three-point estimates, costs, a baseline and progress."""
    rng = np.random.default_rng(seed)
    o = rng.uniform(1, 10, n).round(3)
    m = (o + rng.uniform(0.1, 10, n)).round(3)
    p = (m + rng.uniform(0.1, 20, n)).round(3)
    if shape == "fan":  # the start and the merge are milestones
        o[[0, -1]] = m[[0, -1]] = p[[0, -1]] = 0.0
    t = pd.DataFrame({"id": [f"T{j}" for j in range(n)], "name": [f"Task {j}" for j in range(n)],
                      "optimistic": o, "most_likely": m, "pessimistic": p,
                      "predecessors": predecessors(shape, n, rng),
                      "resources": [f"R{j % 7}:1" for j in range(n)],
                      "cost": (100 * m).round(2)})
    # long chains would end after the calendar's last date (2200): scale the estimates so
    # the plan lasts at most 30,000 working days; then round them to eighths of a day (a
    # 3-hour grid, as plans are written) and schedule on the most likely durations
    length = tpmkit.schedule(tpmkit.read(t, duration_from="most_likely")).duration
    scale = min(1.0, 30_000 / length) if length > 0 else 1.0
    for col in ("optimistic", "most_likely", "pessimistic"):
        t[col] = np.round(t[col] * scale * 8) / 8
    moved = ~np.isin(np.arange(n), [0, n - 1]) if shape == "fan" else np.ones(n, bool)
    t.loc[moved, "optimistic"] = np.maximum(t.loc[moved, "optimistic"], 0.125)
    t["most_likely"] = np.maximum(t["most_likely"], t["optimistic"])
    t["pessimistic"] = np.maximum(t["pessimistic"], t["most_likely"] + 0.125 * moved)
    t.insert(2, "duration", t["most_likely"])
    plan = tpmkit.schedule(tpmkit.read(t, start="2027-01-04"))
    s = plan.table
    t["baseline_start"] = s["early_start_date"].dt.strftime("%Y-%m-%d").to_numpy()
    t["baseline_finish"] = s["early_finish_date"].dt.strftime("%Y-%m-%d").to_numpy()
    t["baseline_cost"] = t["cost"]
    # progress at a tenth of the plan: done, half done or not started
    status = s["early_finish"].max() / 10
    done = (s["early_finish"] <= status).to_numpy()
    half = ~done & (s["early_start"] < status).to_numpy()
    t["percent_complete"] = np.where(done, 100.0, np.where(half, 50.0, 0.0))
    t["actual_cost"] = np.where(done | half, t["cost"] * np.where(done, 1.05, 0.55), np.nan)
    return t


def write_inputs(shape: str, n: int, folder: Path) -> dict[str, Path]:
    """The network as a CSV task table and as a JSON project with resource capacities."""
    t = network(shape, n)
    csv = folder / f"{shape}{n}.csv"
    t.to_csv(csv, index=False)
    doc = {"project": {"name": f"{shape} {n}", "start": "2027-01-04"},
           "tasks": json.loads(t.to_json(orient="records")),
           "resources": [{"id": f"R{k}", "capacity": 3} for k in range(7)]}
    full = folder / f"{shape}{n}.json"
    full.write_text(json.dumps(doc))
    return {"csv": csv, "json": full}


def commands(files: dict[str, Path], folder: Path, tag: str) -> dict[str, list[str]]:
    """The command lines timed for one network (convert back reads what convert wrote)."""
    full, csv = str(files["json"]), str(files["csv"])
    out = {
        "schedule": ["schedule", full, "--json"],
        "pert": ["pert", full, "--json"],
        "check": ["check", full, "--json", "--exit-zero"],
        "evm": ["evm", full, "--json", "--status-date", "2027-02-01", "--source", "tasks"],
        "level": ["level", full, "--json", "--passes", "1"],
    }
    for fmt in FORMATS:
        out[f"convert csv→{fmt}"] = ["convert", csv, str(folder / f"{tag}.{fmt}")]
    for fmt in FORMATS:
        out[f"convert {fmt}→csv"] = ["convert", str(folder / f"{tag}.{fmt}"),
                                     str(folder / f"{tag}.from-{fmt}.csv")]
    return out


class CommandFailed(Exception):
    """A timed command exited with status 2 (its error line is the message)."""


def run_cli(argv: list[str]) -> float:
    sink, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(err), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        code = cli(argv)
        seconds = time.perf_counter() - t0
    if code not in (0, 1):
        raise CommandFailed(err.getvalue().strip().splitlines()[-1][:300])
    return seconds


def median_time(argv: list[str], repeat: int) -> float:
    return statistics.median(run_cli(argv) for _ in range(repeat))


def targets(quick: bool, repeat: int, folder: Path) -> list[tuple[str, float, float, str, bool]]:
    """(what, seconds, baseline seconds, baseline, within target) of the end-to-end targets."""
    rows = []
    t = network("dag", 100_000)
    tpmkit.read(t.head(100))
    read = statistics.median(_timed(lambda: tpmkit.read(t)) for _ in range(repeat))
    copy = statistics.median(_timed(lambda: t.copy(deep=True)) for _ in range(repeat))
    rows.append(("tpmkit.read(DataFrame), 100k-task DAG", read, copy, "DataFrame.copy(deep)",
                 read <= 0.3))
    if not quick:
        n = 200_000
        ids = [f"T{j}" for j in range(n)]
        rng = np.random.default_rng(3)
        o = rng.uniform(1, 10, n).round(3)
        chain = folder / "chain200k.csv"
        pd.DataFrame({"id": ids, "name": [f"Task {j}" for j in range(n)], "optimistic": o,
                      "most_likely": o + 1, "pessimistic": (o + 1 + rng.uniform(0.1, 9, n)).round(3),
                      "predecessors": ["", *ids[:-1]]}).to_csv(chain, index=False)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        tpmkit_bin = [sys.executable, "-m", "tpmkit"]
        e2e = statistics.median(_timed(lambda: subprocess.run(
            [*tpmkit_bin, "schedule", str(chain), "--json"], env=env, check=True,
            stdout=subprocess.DEVNULL)) for _ in range(max(1, repeat // 2)))
        base = statistics.median(_timed(lambda: subprocess.run(
            [sys.executable, "-c", "import pandas"], env=env, check=True))
            for _ in range(repeat))
        rows.append(("tpmkit schedule --json, 200k-task chain (fresh process)", e2e, base,
                     "python -c 'import pandas'", e2e <= 10.0))
    return rows


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=None)
    ap.add_argument("--repeat", type=int, default=None)
    ap.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=SHAPES)
    ap.add_argument("--commands", nargs="+", default=None, metavar="NAME",
                    help="only the commands whose name starts with one of these (schedule, "
                         "convert, 'convert csv→xlsx', …)")
    ap.add_argument("--no-targets", action="store_true", help="skip the end-to-end targets")
    ap.add_argument("--quick", action="store_true",
                    help="1k and 10k tasks, one repeat, no 200k end-to-end target")
    args = ap.parse_args()
    sizes = args.sizes or ([1000, 10_000] if args.quick else [1000, 10_000, 100_000])
    repeat = args.repeat or (1 if args.quick else 3)
    times: dict[tuple[str, str], dict[int, float]] = {}
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm = write_inputs("dag", 60, folder)  # compile and import once, untimed
        for argv in commands(warm, folder, "warm").values():
            run_cli(argv)
        for shape in args.shapes:
            for n in sizes:
                files = write_inputs(shape, n, folder)
                for name, argv in commands(files, folder, f"{shape}{n}").items():
                    if args.commands and not any(name.startswith(c) for c in args.commands):
                        continue
                    # the first repeat of convert csv→X writes X for convert X→csv
                    try:
                        times.setdefault((shape, name), {})[n] = median_time(argv, repeat)
                    except CommandFailed as exc:
                        times.setdefault((shape, name), {})[n] = float("nan")
                        failures.append(f"{name} on {shape} at {n:,} tasks: {exc}")
                print(f"  {shape} {n:,}: done", file=sys.stderr)
        goals = [] if args.no_targets else targets(args.quick, repeat, folder)
    print(f"load average {open('/proc/loadavg').read().split()[:3]} on {os.cpu_count()} cores; "
          f"medians of {repeat} run(s) [s]\n")
    head = " | ".join(f"{n:,} tasks" for n in sizes)
    ratios = [f"{b // 1000}k/{a // 1000}k" for a, b in itertools.pairwise(sizes)]
    print(f"| shape | command | {head} | " + " | ".join(f"growth {r}" for r in ratios) + " |")
    print("|---|---|" + "---:|" * (len(sizes) + len(ratios)))
    flagged = []
    for (shape, name), by_n in times.items():
        cells = [f"{by_n[n]:.3f}" for n in sizes]
        growth = []
        for a, b in itertools.pairwise(sizes):
            r = (by_n[b] / by_n[a]) / (b / a) * 10  # as for a tenfold step
            bad = r > FLAG
            growth.append(f"{r:.1f}{' ⚠ super-linear' if bad else ''}")
            if bad:
                flagged.append((shape, name, a, b, r))
        print(f"| {shape} | {name} | " + " | ".join(cells + growth) + " |")
    print(f"\ngrowth = time(10n)/time(n); above {FLAG:g} is worse than n log n.\n")
    print("| target | seconds | baseline | baseline [s] | within target |")
    print("|---|---:|---|---:|---|")
    for what, sec, base, base_name, ok in goals:
        print(f"| {what} | {sec:.3f} | {base_name} | {base:.3f} | {'yes' if ok else 'NO'} |")
    missed = [g for g in goals if not g[4]]
    for line in failures:
        print(f"failed: {line}")
    for shape, name, a, b, r in flagged:
        print(f"super-linear: {name} on {shape}, {a:,} → {b:,} tasks: ×{r:.1f}", file=sys.stderr)
    return 1 if flagged or missed or failures else 0


if __name__ == "__main__":
    sys.exit(main())
