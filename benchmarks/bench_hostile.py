"""Hostile inputs are refused in bounded time and memory (issue 21).

Each hostile file is read in a fresh ``tpmkit schedule FILE --json`` process (it must exit
2) and compared, in the same run, with the same command on a small valid workbook (the
baseline: process start-up and a real read). Medians of ``--repeat`` runs, the ratio to the
baseline, and the peak resident memory (``ru_maxrss`` of the child).

    python benchmarks/bench_hostile.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz.xlsx import write_xlsx  # noqa: E402


def _files(folder: Path) -> dict[str, tuple[Path, int]]:
    """name -> (file, expected exit status)."""
    gan = (ROOT / "tests/data/projectfiles/ganttproject/blyoa__task__task-with-dependencies.gan"
           ).read_text(encoding="utf-8")
    (folder / "date.gan").write_text(gan.replace('start="2024-01-04"',
                                                 'start="' + "2" * 2_000_000 + '"', 1))
    rows = [["id", "duration"]] + [[f"T{i}", 1] for i in range(1_000_000)]
    return {
        "baseline: 3-row workbook": (write_xlsx(folder / "ok.xlsx", [["id", "duration"], ["A", 3],
                                                                      ["B", 2]]), 0),
        "zip bomb (400 MiB inflated)": (write_xlsx(folder / "bomb.xlsx", [["id", "duration"], ["A", 3]],
                                                   padding=400 * 2**20), 2),
        "1,000,000 rows, dimension": (write_xlsx(folder / "rows.xlsx", rows,
                                                 dimension="A1:B1000001"), 2),
        "1,000,000 rows, no dimension": (write_xlsx(folder / "rows2.xlsx", rows), 2),
        "2,000,000-character .gan date": (folder / "date.gan", 2),
    }


def _run(path: Path) -> tuple[float, float, int]:
    """(seconds, peak resident MB of the child, exit status)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t = time.perf_counter()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("tpmkit")), "schedule", str(path), "--json"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print(f"load: {Path('/proc/loadavg').read_text().strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        # the files are built in a child process: a fork of this process (the children timed
        # below) would otherwise start with the memory that building them took
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            files = pool.apply(_files, (Path(tmp),))
        base = None
        print("| input | size | median s | × baseline | peak RSS MB | exit |\n|---|---:|---:|---:|---:|---:|")
        for name, (path, expected) in files.items():
            runs = [_run(path) for _ in range(args.repeat)]
            med = statistics.median(r[0] for r in runs)
            base = base or med
            codes = {r[2] for r in runs}
            assert codes == {expected}, (name, codes)
            print(f"| {name} | {path.stat().st_size / 2**20:.1f} MiB | {med:.2f} | {med / base:.2f} | "
                  f"{max(r[1] for r in runs):.0f} | {re.sub(r'[{}]', '', str(codes))} |")
    print(f"load: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
