"""``tpmkit report FILE [--status-date D] [--iterations N] [--seed S] [--title T] [-o OUT] [--json]``.

Executes the report notebook on the project and writes one self-contained HTML status
report (see :func:`tpmkit.report.render`).
"""

from __future__ import annotations

import argparse

__all__ = ["HELP", "add_arguments", "run"]

HELP = ("HTML status report: executive summary with RAG status, key dates, Gantt, earned value "
        "and earned schedule, Monte Carlo P50/P80, risk register, DCMA-14, reproducibility; "
        "one self-contained file that opens offline")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``tpmkit report`` to ``parser``."""
    parser.add_argument("file", metavar="FILE",
                        help="project file (csv, xlsx, yaml, json, MSPDI xml, xer, gan, ...) "
                             "or sample:NAME for a bundled sample")
    parser.add_argument("--status-date", metavar="DATE",
                        help="status (data) date, e.g. 2027-04-30 (default: the file's)")
    parser.add_argument("--iterations", "-n", type=int, default=2000, metavar="N",
                        help="Monte Carlo iterations (default 2000)")
    parser.add_argument("--seed", type=int, default=2027, metavar="S",
                        help="random seed (default 2027); the same seed reproduces the report")
    parser.add_argument("--title", metavar="T", help="report title (default 'Project status "
                                                     "report')")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="HTML file to write (default <input name>_report.html)")
    parser.add_argument("--keep-notebook", action="store_true",
                        help="also write the executed notebook beside the HTML (.ipynb)")
    parser.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS",
                        help="time limit per notebook cell (default 600)")
    parser.add_argument("--items", metavar="FILE",
                        help="work items (Jira CSV export, CSV/XLSX, sample:NAME) for an agile "
                             "section (default: the project file's own items, if any)")
    parser.add_argument("--kind", choices=("status", "closure"), default="status",
                        help="status report (default) or closure report (final performance "
                             "against the baseline, lessons learned, acceptance)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="do not print the stages (reading, scheduling, simulating, "
                             "rendering) on stderr")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (output path, notebook, seconds, size, "
                             "overall status, status date, seed, iterations, input SHA-256)")


def run(args: argparse.Namespace) -> int:
    """Run ``tpmkit report`` (the status report) on the parsed ``args``; return the exit status."""
    import sys

    from tpmkit.report import render

    def stage(text: str) -> None:
        print(f"tpmkit report: {text}", file=sys.stderr, flush=True)

    result = render(args.file, args.output, status_date=args.status_date,
                    iterations=args.iterations, seed=args.seed, title=args.title,
                    keep_notebook=args.keep_notebook, timeout=args.timeout, items=args.items,
                    kind=getattr(args, "kind", "status"),
                    progress=None if getattr(args, "quiet", False) else stage)
    if args.json:
        from tpmkit.cli._common import print_json

        meta = result.metadata
        print_json({"output": str(result.path),
                    "notebook": None if result.notebook is None else str(result.notebook),
                    "seconds": result.seconds, "execute_seconds": result.execute_seconds,
                    "size": result.size, "overall": meta.get("overall"),
                    "status_date": meta.get("status_date"), "seed": meta.get("seed"),
                    "iterations": meta.get("iterations"), "sha256": meta.get("sha256")})
        return 0
    print(result)
    return 0
