"""Benchmark: start-up time of the ``tpmkit`` command against ``python -c "import pandas"``.

Each command runs as a fresh process (as a user types it) several times; the table gives
medians. In the same run:

* ``python -c "import pandas"``: the baseline every pandas tool pays;
* ``tpmkit --version`` and ``tpmkit --help``: must not import numpy/pandas/numba (≤ 0.3 s);
* ``tpmkit schedule`` on a 10-task CSV: read, validate, schedule and print (target ≤ 1.5 ×
  the pandas import).

"cold" is the first run with an empty bytecode cache (``PYTHONPYCACHEPREFIX`` pointing at
a fresh folder, so every module is compiled again, as on the first use after installing);
"warm" is the median of the repeated runs. Run:
``python benchmarks/bench_startup.py [--repeat 7]``; exit status 1 when a target is missed
(``--no-check`` only prints).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEN_TASKS = """id,name,duration,predecessors
A,Specification,3,
B,Design,2,A
C,Build,5,B
D,Test,2,C
E,Documentation,1,B
F,Review,1,E
G,Package,1,D;F
H,Release,0,G
I,Training,2,B
J,Close,1,H;I
"""

#: targets of the start-up (seconds, and the ratio of ``schedule`` to the pandas import)
VERSION_TARGET = 0.3
SCHEDULE_RATIO_TARGET = 1.5


def _tpmkit() -> list[str]:
    """The installed entry point beside this Python, else ``python -m tpmkit``."""
    exe = Path(sys.executable).with_name("tpmkit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tpmkit"]


def _time(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def measure(repeat: int) -> dict[str, tuple[float, float]]:
    """``{label: (cold seconds, warm median seconds)}`` for the four commands."""
    folder = Path(tempfile.mkdtemp(prefix="tpmkit-bench-startup-"))
    plan = folder / "ten.csv"
    plan.write_text(TEN_TASKS, encoding="utf-8")
    commands = {
        'python -c "import pandas"': [sys.executable, "-c", "import pandas"],
        "tpmkit --version": [*_tpmkit(), "--version"],
        "tpmkit --help": [*_tpmkit(), "--help"],
        "tpmkit schedule (10 tasks)": [*_tpmkit(), "schedule", str(plan)],
    }
    env = dict(os.environ)
    out = {}
    for label, cmd in commands.items():
        cold_env = {**env, "PYTHONPYCACHEPREFIX": str(folder / f"pycache-{len(out)}")}
        cold = _time(cmd, cold_env)
        _time(cmd, env)  # one warm-up run fills the regular bytecode cache
        out[label] = (cold, statistics.median(_time(cmd, env) for _ in range(repeat)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="warm runs per command")
    parser.add_argument("--no-check", action="store_true", help="print only, never fail")
    args = parser.parse_args(argv)
    results = measure(args.repeat)
    base = results['python -c "import pandas"'][1]
    print(f"| command | cold (first run, empty bytecode cache) | warm (median of {args.repeat}) "
          "| warm / import pandas |")
    print("|---|---:|---:|---:|")
    for label, (cold, warm) in results.items():
        print(f"| `{label}` | {cold:.2f} s | {warm:.2f} s | {warm / base:.2f} |")
    ratio = results["tpmkit schedule (10 tasks)"][1] / base
    version = results["tpmkit --version"][1]
    helps = results["tpmkit --help"][1]
    print(f"\nschedule / import pandas = {ratio:.2f} (target ≤ {SCHEDULE_RATIO_TARGET}); "
          f"--version {version:.2f} s, --help {helps:.2f} s (target ≤ {VERSION_TARGET} s)")
    ok = ratio <= SCHEDULE_RATIO_TARGET and max(version, helps) <= VERSION_TARGET
    return 0 if ok or args.no_check else 1


if __name__ == "__main__":
    sys.exit(main())
