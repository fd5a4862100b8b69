"""Benchmark tpmkit's resource levelling on PSPLIB against proven optima and best-known values.

Run from the repository root::

    .venv/bin/python benchmarks/bench_levelling.py            # all 480 J30, 0.2 s each
    .venv/bin/python benchmarks/bench_levelling.py --sets j30 j60 j120 --limit 60

For J30 the deviation is measured against the proven optimum (PSPLIB ``j30opt.sm``, equal
to ``j30/optimum/optimum.csv``); for J60/J90/J120 against the critical-path lower bound
(the standard measure of Kolisch & Hartmann, 2006) and against the best-known upper bound
(PSPLIB ``j*hrs.sm``). A makespan below a proven optimum is reported as an error: it can
only be a bug. Output: one markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tpmkit.io.psplib import load_instance  # noqa: E402
from tpmkit.resources import solve_rcpsp  # noqa: E402

DATA = Path(os.environ.get("TPMKIT_SHARED_DATA", ROOT.parent / "shared" / "data")) / "psplib"


def read_bounds(folder: str) -> dict[str, tuple[int | None, int | None, bool]]:
    """Map instance stem -> (lower bound, best-known upper bound, proven optimal).

    ``optimum.csv`` gives ``N`` (proven), ``LB..UB`` or ``..UB``; the PSPLIB ``hrs`` list,
    newer than the CSV, lowers the UB where it is better.
    """
    out: dict[str, tuple[int | None, int | None, bool]] = {}
    for line in (DATA / folder / "optimum" / "optimum.csv").read_text().splitlines()[1:]:
        name, val = line.strip().split(",")
        stem = name.removesuffix(".sm")
        if ".." in val:
            lo, hi = val.split("..")
            lb = int(lo) if lo else None
            ub = int(hi)
            if lb is not None and lb > ub:  # the known malformed j905_3 entry: UB only
                lb = None
            out[stem] = (lb, ub, False)
        else:
            out[stem] = (int(val), int(val), True)
    hrs = DATA / "solutions" / f"{folder}hrs.sm"
    if hrs.exists():
        for line in hrs.read_text(errors="replace").splitlines():
            m = re.match(r"\s*(\d+)\s+(\d+)\s+(\d+)\s", line)
            if m:
                stem = f"{folder}{m.group(1)}_{m.group(2)}"
                if stem in out:
                    lb, ub, proven = out[stem]
                    ub = min(ub, int(m.group(3))) if ub is not None else int(m.group(3))
                    out[stem] = (lb, ub, proven)
    return out


def run(folder: str, limit: int | None, budget: float, passes: int, seed: int) -> dict:
    bounds = read_bounds(folder)
    files = sorted((DATA / folder).glob("*.sm"),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p.stem)])
    if limit:
        step = max(1, len(files) // limit)
        files = files[::step][:limit]
    dev_opt, dev_cp, dev_ub, times, cpu, scheds, n_opt, beaten = [], [], [], [], [], [], 0, []
    for k, path in enumerate(files):
        inst = load_instance(path)
        t0, c0 = time.perf_counter(), time.process_time()
        sol = solve_rcpsp(inst.duration, (inst.succ_ptr, inst.succ_idx), inst.demand,
                          inst.capacity, passes=passes, time_budget=budget, rng=seed + k)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        scheds.append(sol.schedules)
        lb, ub, proven = bounds[path.stem]
        cp = int(inst.settings.get("mpm_time", 0)) or sol.lower_bound
        dev_cp.append(100.0 * (sol.makespan - cp) / cp)
        if ub is not None:
            dev_ub.append(100.0 * (sol.makespan - ub) / ub)
        if proven:
            dev_opt.append(100.0 * (sol.makespan - ub) / ub)
            n_opt += sol.makespan == ub
            if sol.makespan < ub:
                beaten.append(path.stem)
    return {"set": folder.upper(), "n": len(files), "dev_opt": dev_opt, "dev_cp": dev_cp,
            "dev_ub": dev_ub, "times": times, "cpu": cpu, "schedules": scheds, "n_opt": n_opt,
            "beaten": beaten}


def fmt(values: list[float], how) -> str:
    return f"{how(values):.2f}" if values else "–"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=["j30"], help="j30 j60 j90 j120")
    ap.add_argument("--limit", type=int, default=None, help="instances per set (spread evenly)")
    ap.add_argument("--time-budget", type=float, default=0.2, help="seconds per instance")
    ap.add_argument("--passes", type=int, default=50000, help="schedule budget per instance")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args(argv)
    # compile the numba kernels before timing
    warm = load_instance(DATA / "j30" / "j301_1.sm")
    solve_rcpsp(warm.duration, (warm.succ_ptr, warm.succ_idx), warm.demand, warm.capacity,
                passes=200, rng=0)
    rows = [run(s, args.limit, args.time_budget, args.passes, args.seed) for s in args.sets]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Budget: {args.time_budget} s (wall clock) and {args.passes} schedules per "
          f"instance, seed {args.seed}; {os.cpu_count()} CPUs, load average {load:.1f}.\n")
    print("| set | instances | mean % dev. optimum | max % dev. optimum | % optimal "
          "| mean % dev. CP bound | mean % dev. best known | max % dev. best known "
          "| mean s/inst. (wall) | median s/inst. | max s/inst. | mean CPU s/inst. "
          "| mean schedules/inst. |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        opt = (f"{100.0 * r['n_opt'] / len(r['dev_opt']):.1f} ({len(r['dev_opt'])} proven)"
               if r["dev_opt"] else "–")
        print(f"| {r['set']} | {r['n']} | {fmt(r['dev_opt'], statistics.mean)} | "
              f"{fmt(r['dev_opt'], max)} | {opt} | {fmt(r['dev_cp'], statistics.mean)} | "
              f"{fmt(r['dev_ub'], statistics.mean)} | {fmt(r['dev_ub'], max)} | "
              f"{statistics.mean(r['times']):.3f} | {statistics.median(r['times']):.3f} | "
              f"{max(r['times']):.3f} | {statistics.mean(r['cpu']):.3f} | "
              f"{statistics.mean(r['schedules']):.0f} |")
    bad = [b for r in rows for b in r["beaten"]]
    if bad:
        print(f"\nERROR: proven optimum beaten (a bug) on {', '.join(bad)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
