"""Benchmark of ``tpmkit.risk.simulate`` against a plain per-iteration Python loop and a numpy peer.

Every network has distinct three-point estimates (each task its own o, m, p, as in real
plans), in three shapes: a random DAG (FS links to 1–3 of the previous 50 tasks, ~2
predecessors), a single chain, and a wide merge (one milestone with every other task as a
predecessor). The tables:

* **engine vs loop** (1,000 tasks × 10,000 iterations, beta-PERT, each shape): the engine is
  ``simulate(project, N)`` — sampling, the passes, criticality and every sensitivity
  statistic — plus the first read of ``result.tasks`` (Kendall's τ); the baseline a loop over
  iterations that samples with numpy and runs the forward and backward passes and the
  criticality test task by task in Python, run for fewer iterations and scaled linearly
  (its cost per iteration is constant). ``--big`` adds 10,000 tasks × 100,000 iterations
  (peak extra memory: tracemalloc peak of the run, numpy allocations included).
* **vs pmcontrols** (``--peer PYTHON``: a Python with ``pmcontrols`` installed in its own
  environment, never a tpmkit dependency): ``pmcontrols.pert`` — a pure-numpy Monte Carlo,
  beta sampling by matrix and the passes vectorised over iterations per task — on the same
  networks at 100, 1,000 and 10,000 tasks, timed in its own process.
* **risk register** (``--register``): ``simulate`` with n/50 risks and the risk-driver
  ranking, 1,000 iterations, at 1k, 4k and 16k tasks: near-linear growth is the target.
* **status date**: the remaining-work simulation against the plain plan (≤ 10 % extra).
* **cold start** (``--cold``): the first ``simulate`` in a fresh process with an empty
  numba cache, after ``python -m tpmkit._warmup`` has filled it, and warm.

Every table gives medians of the repeats and same-run ratios; the load average is printed.
Usage: ``python benchmarks/bench_risk.py [--quick] [--big] [--register] [--cold]
[--peer PYTHON] [--status-only]``.
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

SHAPES = ("random DAG", "chain", "wide merge")


def _estimates(rng: np.random.Generator, n: int, distinct: bool
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if distinct:  # continuous draws: every task its own (o, m, p)
        o = rng.uniform(1.0, 10.0, n)
        m = o + rng.uniform(0.0, 6.0, n)
        p = m + rng.uniform(0.5, 10.0, n)
    else:
        o = rng.integers(1, 10, n).astype(float)
        m = o + rng.integers(0, 6, n)
        p = m + rng.integers(1, 10, n)
    return o, m, p


def random_project(n: int, seed: int = 0, window: int = 50,
                   distinct: bool = True, shape: str = "random DAG") -> tpmkit.Project:
    """A network of ``n`` tasks with FS links and three-point estimates.

    ``shape``: ``random DAG`` (links to 1–3 of the previous ``window`` tasks), ``chain``
    (each task after the previous one) or ``wide merge`` (a final milestone with every other
    task as a predecessor). ``distinct``: every task has its own (o, m, p) instead of a few
    dozen shared integer shapes.
    """
    rng = np.random.default_rng(seed)
    o, m, p = _estimates(rng, n, distinct)
    ids = [f"T{i}" for i in range(n)]
    if shape == "chain":
        preds = [""] + ids[:-1]
    elif shape == "wide merge":
        preds = [""] * (n - 1) + [";".join(ids[:-1])]
        o[-1] = m[-1] = p[-1] = 0.0  # the milestone
    else:
        preds = [""]
        for j in range(1, n):
            k = rng.integers(1, 4)
            cand = rng.choice(np.arange(max(0, j - window), j), size=min(k, j), replace=False)
            preds.append(";".join(f"T{i}" for i in sorted(cand)))
    return tpmkit.read(pd.DataFrame({"id": ids, "optimistic": o, "most_likely": m,
                                     "pessimistic": p, "predecessors": preds}))


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


def python_loop(s: dict, iterations: int, seed: int = 0, dist: str = "pert") -> np.ndarray:
    """Plain per-iteration loop: numpy sampling, Python forward/backward pass, criticality."""
    o, m, p, preds, succs, order = s["o"], s["m"], s["p"], s["preds"], s["succs"], s["order"]
    n = len(order)
    rng = np.random.default_rng(seed)
    finish = np.empty(iterations)
    crit = np.zeros(n)
    w = np.where(p > o, p - o, 1.0)
    alpha = 1.0 + 4.0 * (m - o) / w
    beta = 6.0 - alpha
    for it in range(iterations):
        if dist == "pert":
            d = (o + (p - o) * rng.beta(alpha, beta)).tolist()
        else:
            d = np.where(p > o, rng.triangular(o, m, np.maximum(p, o + 1e-12)), o).tolist()
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



def _engine_run(proj: tpmkit.Project, n_iter: int, dist: str = "pert", **kw):
    """What a user's call costs: the simulation and the first read of the task table."""
    r = simulate(proj, n_iter, rng=1, progress=False, distribution=dist, **kw)
    r.tasks  # noqa: B018 - Kendall's tau is computed on first access
    return r


def engine_table(cases: list[tuple], dist: str) -> None:
    """Engine vs the plain loop, one row per (shape, tasks, iterations)."""
    rows = []
    for shape, n_tasks, n_iter, repeats, base_iter, target in cases:
        proj = random_project(n_tasks, seed=1, shape=shape)
        proj.network()
        t_e, c_e = _median_time(lambda proj=proj, n=n_iter: _engine_run(proj, n, dist), repeats)
        setup = loop_setup(proj)
        t_b, c_b = _median_time(lambda s=setup, b=base_iter: python_loop(s, b, dist=dist), 1)
        scale = n_iter / base_iter
        mem = _peak(lambda proj=proj, n=n_iter: _engine_run(proj, n, dist))
        rows.append((shape, n_tasks, n_iter, repeats, t_e, c_e, t_b * scale, c_b * scale,
                     base_iter, mem, target))
    print(f"\n`simulate` + `result.tasks` (criticality, SI, SSI, Pearson/Spearman/Kendall "
          f"cruciality, tornado, merge bias; {dist}, distinct o/m/p) vs a plain per-iteration "
          "Python loop\n")
    print("| shape | tasks | iterations | engine wall [s] | engine CPU [s] | target [s] "
          "| Python loop wall / CPU [s] | speed-up wall / CPU | engine peak extra memory [MiB] |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for shape, n, it, rep, te, ce, tb, cb, bi, mem, target in rows:
        tgt = "—" if target is None else f"≤ {target:g}"
        print(f"| {shape} | {n:,} | {it:,} | {te:.3f} | {ce:.3f} | {tgt} | {tb:.1f} / {cb:.1f} "
              f"(scaled from {bi:,} it.) | {tb / te:,.0f}× / {cb / ce:,.0f}× | {mem:.0f} |"
              + ("" if rep > 1 else " (1 run)"))


_PEER = """
import json, statistics, sys, time
import pmcontrols
acts = json.load(open(sys.argv[1]))
n_sim, repeats = int(sys.argv[2]), int(sys.argv[3])
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    pmcontrols.pert(acts, n_sim=n_sim, seed=1)
    times.append(time.perf_counter() - t0)
print(statistics.median(times))
"""


def peer_table(peer: str, cases: list[tuple], tmp: Path) -> None:
    """tpmkit vs pmcontrols.pert (pure numpy) on the same networks, each in its process."""
    import json

    print(f"\n`simulate` + `result.tasks` vs `pmcontrols.pert` (numpy; criticality only), "
          f"beta-PERT, distinct o/m/p; pmcontrols run by {peer}\n")
    print("| shape | tasks | iterations | tpmkit wall [s] | pmcontrols wall [s] | speed-up |")
    print("|---|---:|---:|---:|---:|---:|")
    for shape, n_tasks, n_iter, repeats in cases:
        proj = random_project(n_tasks, seed=1, shape=shape)
        t = proj.tasks
        net = proj.network()
        ids = [str(i) for i in t.index]
        preds: list[list[str]] = [[] for _ in ids]
        for a, b in zip(net.link_from.tolist(), net.link_to.tolist(), strict=True):
            preds[b].append(ids[a])
        acts = [{"id": ids[k], "predecessors": preds[k], "a": float(t["optimistic"].iloc[k]),
                 "m": float(t["most_likely"].iloc[k]), "b": float(t["pessimistic"].iloc[k])}
                for k in range(len(ids))]
        f = tmp / f"acts_{n_tasks}_{shape.replace(' ', '_')}.json"
        f.write_text(json.dumps(acts))
        out = subprocess.run([peer, "-c", _PEER, str(f), str(n_iter), str(repeats)],
                             capture_output=True, text=True, check=True).stdout
        t_peer = float(out.split()[-1])
        _engine_run(proj, min(n_iter, 200))  # warm
        t_e, _ = _median_time(lambda proj=proj, n=n_iter: _engine_run(proj, n), repeats)
        print(f"| {shape} | {n_tasks:,} | {n_iter:,} | {t_e:.3f} | {t_peer:.3f} "
              f"| {t_peer / t_e:,.1f}× |")


def register_project(n: int) -> tuple[tpmkit.Project, pd.DataFrame]:
    """The random DAG with a register of n/50 risks (days or percent, 1–3 tasks each)."""
    proj = random_project(n, seed=2)
    rng = np.random.default_rng(3)
    r = max(1, n // 50)
    tasks = [";".join(f"T{i}" for i in rng.choice(n, rng.integers(1, 4), replace=False))
             for _ in range(r)]
    lo = rng.uniform(1, 5, r)
    reg = pd.DataFrame({"id": [f"R{i}" for i in range(r)],
                        "probability": rng.uniform(0.05, 0.6, r).round(2), "tasks": tasks,
                        "impact_days": [f"{a:.1f},{a * 2:.1f},{a * 3:.1f}" for a in lo]})
    return proj, reg


def register_table(sizes: list[int], n_iter: int, repeats: int) -> None:
    """simulate + drivers + the JSON dictionary of the CLI, with n/50 risks: growth in n."""
    print(f"\n`simulate` with a register of n/50 risks and the risk-driver ranking, {n_iter:,} "
          f"iterations (+ `to_dict`, what `tpmkit risk --json` prints), median of {repeats}\n")
    print("| tasks | risks | ranking | wall [s] | CPU [s] | growth vs previous row (×4 tasks) |")
    print("|---:|---:|---|---:|---:|---:|")
    prev = None
    for n in sizes:
        proj, reg = register_project(n)
        simulate(proj, 100, rng=0, progress=False, risks=reg)  # warm

        def run(proj=proj, reg=reg, how=True):
            simulate(proj, n_iter, rng=1, progress=False, risks=reg, risk_drivers=how).to_dict()

        w, c = _median_time(run, repeats)
        growth = "—" if prev is None else f"{w / prev:.1f}×"
        prev = w
        mode = "re-runs" if len(reg) * min(n_iter, 5000) * n <= 5_000_000 else "same samples"
        print(f"| {n:,} | {len(reg)} | default ({mode}) | {w:.3f} | {c:.3f} | {growth} |")
        if n == sizes[0]:
            wr, cr = _median_time(lambda run=run: run(how="rerun"), 1)
            print(f"| {n:,} | {len(reg)} | re-run per risk (opt-in) | {wr:.3f} | {cr:.3f} | — |")


_COLD = """
import time, warnings, sys
t0 = time.perf_counter()
sys.path.insert(0, {bench!r})
import numpy as np, pandas as pd, tpmkit
from bench_risk import random_project, register_project, status_dated
from tpmkit.risk import simulate
warnings.simplefilter("ignore")
proj, reg = register_project(200)
plan, progressed = status_dated(proj)
calls = [lambda: simulate(proj, 2000, rng=1, progress=False),
         lambda: simulate(proj, 2000, rng=1, progress=False, risks=reg, existence={{"T5": 0.5}}),
         lambda: simulate(progressed, 2000, rng=1, progress=False),
         lambda: simulate(proj, 2000, rng=1, progress=False, latin_hypercube=True,
                          correlation=[(["T1", "T2", "T3"], 0.5)])]
out = []
for rep in range(2):
    t = time.perf_counter()
    for c in calls:
        c().tasks
    out.append(time.perf_counter() - t)
print(f"{{out[0]:.2f}} {{out[1]:.2f}}")
"""


def cold_table(tmp: Path) -> None:
    """First simulate calls with an empty numba cache, after the warm-up, and warm."""
    bench = str(Path(__file__).resolve().parent)
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp / "numba-cache")}
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    code = _COLD.format(bench=bench)

    def first() -> tuple[float, float]:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env=env).stdout.split()
        return float(out[0]), float(out[1])

    cold, warm = first()
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tpmkit._warmup"], check=True, env=env,
                   capture_output=True)
    t_warmup = time.perf_counter() - t0
    after, warm2 = first()
    print("\nfirst use: four `simulate` calls (plain; register + branch; status date; Latin "
          "hypercube + correlation), 200 tasks, distinct PERT, each + `result.tasks`, in a "
          "fresh process (NUMBA_CACHE_DIR an empty temporary directory)\n")
    print("| numba cache | first round [s] | second round, same process (warm) [s] "
          "| first − warm [s] |")
    print("|---|---:|---:|---:|")
    print(f"| empty (no warm-up) | {cold:.2f} | {warm:.2f} | {cold - warm:+.2f} |")
    print(f"| after `python -m tpmkit._warmup` ({t_warmup:.1f} s) | {after:.2f} | {warm2:.2f} "
          f"| {after - warm2:+.2f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only (smoke run)")
    ap.add_argument("--big", action="store_true", help="also 100,000 iterations × 10,000 tasks")
    ap.add_argument("--triangular", action="store_true",
                    help="triangular durations instead of beta-PERT in the engine table")
    ap.add_argument("--register", action="store_true", help="the risk-register growth table")
    ap.add_argument("--cold", action="store_true", help="the cold-start table")
    ap.add_argument("--peer", metavar="PYTHON",
                    help="a Python with pmcontrols installed: the comparison table")
    ap.add_argument("--status-only", action="store_true",
                    help="only the status-date case (cost of simulating the remaining work)")
    args = ap.parse_args(argv)
    dist = "triangular" if args.triangular else "pert"
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="bench_risk_"))
    warm = random_project(20, seed=99)
    for d in {dist, "pert"}:  # load the compiled cache
        _engine_run(warm, 100, d)
    if args.status_only:
        status_table(*((200, 1000, 3) if args.quick else (1000, 10_000, 5)), dist)
        return _load()
    n, it, rep, bi = (200, 1000, 3, 50) if args.quick else (1000, 10_000, 5, 200)
    cases = [(shape, n, it, rep, bi, None if args.quick else 0.15) for shape in SHAPES]
    if args.big:
        cases.append(("random DAG", 10_000, 100_000, 1, 10, 20.0))
    engine_table(cases, dist)
    if args.peer:
        sizes = [(100, 10_000), (1000, 10_000), (10_000, 1000)] if not args.quick else [
            (100, 1000), (1000, 1000)]
        peer_table(args.peer, [("random DAG", k, i, 3) for k, i in sizes]
                   + [(s, 1000, 10_000 if not args.quick else 1000, 3) for s in SHAPES[1:]],
                   tmp)
    if args.register:
        register_table([250, 1000] if args.quick else [1000, 4000, 16_000], 1000, 3)
    status_table(*((200, 1000, 3) if args.quick else (1000, 10_000, 5)), dist)
    if args.cold:
        cold_table(tmp)
    return _load()


def _load() -> int:
    load = os.getloadavg()
    print(f"\nload average at the end (1/5/15 min): {load[0]:.1f} / {load[1]:.1f} / "
          f"{load[2]:.1f} on {os.cpu_count()} cores (shared machine: wall times include "
          "waiting for the CPU; CPU times are this process's own)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
