"""``tpmkit check FILE [--status-date DATE] [--threshold NAME=VALUE] [--json]``.

Runs the DCMA 14-point schedule assessment (:func:`tpmkit.health.dcma14`). Exit status
0 when every applicable check passes, 1 when a check fails (a finding, as linters do;
``--exit-zero`` turns that off), 2 on bad input.
"""

from __future__ import annotations

import argparse

from tpmkit.cli._common import add_input_arguments, load_project, print_json
from tpmkit.errors import ValidationError, format_ids
from tpmkit.health import CHECKS, dcma14

__all__ = ["HELP", "add_arguments", "format_report", "run"]

HELP = "DCMA 14-point schedule health check (logic, leads, lags, float, BEI, CPLI, ...)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``tpmkit check`` to ``parser``."""
    add_input_arguments(parser)
    parser.add_argument("--status-date", metavar="DATE",
                        help="status (data) date; default the file's status_date")
    parser.add_argument("--threshold", metavar="NAME=VALUE", action="append", default=[],
                        help="override a threshold (fraction), e.g. logic=0.1; repeatable. "
                             f"Names: {', '.join(CHECKS)}")
    parser.add_argument("--high-float", type=float, default=44.0, metavar="DAYS",
                        help="high-float limit [working days] (default 44)")
    parser.add_argument("--high-duration", type=float, default=44.0, metavar="DAYS",
                        help="high-duration limit [working days] (default 44)")
    parser.add_argument("--critical-task", metavar="ID",
                        help="task for the critical path test (default: the first incomplete "
                             "critical task whose finish drives the path)")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit with status 0 even when checks fail")


def _parse_thresholds(items: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise ValidationError(f"--threshold {item!r} is not NAME=VALUE; write e.g. logic=0.1")
        try:
            out[name.strip()] = float(value)
        except ValueError as exc:
            raise ValidationError(f"--threshold {item!r}: {value!r} is not a number; "
                                  "write a fraction such as 0.05") from exc
    return out


def format_report(report) -> str:
    """The human-readable table of a :class:`~tpmkit.health.HealthReport`."""
    lines = [f"DCMA 14-point assessment: {report.project}"
             + (f" (status {report.status_date.date()})" if report.status_date is not None else ""),
             f"{'#':>2}  {'check':<20} {'value':>9} {'limit':>9}  {'result':<6}  failing tasks"]
    for name, r in report.checks.iterrows():
        pct = name not in ("critical_path_test", "cpli", "bei")
        def show(v, pct=pct):
            if v != v:  # NaN
                return "-"
            return f"{100 * v:.1f}%" if pct else f"{v:.3g}"
        result = {True: "pass", False: "FAIL", None: "n/a"}[r["passed"]]
        limit = f"{r['comparison']}{show(r['threshold'])}"
        tasks = format_ids(r["tasks"]) if r["tasks"] else (r["note"] if r["passed"] is None else "")
        lines.append(f"{int(r['number']):>2}  {name:<20} {show(r['value']):>9} {limit:>9}  "
                     f"{result:<6}  {tasks}")
    verdict = "all applicable checks pass" if report.passed else \
        f"{len(report.failed)} check(s) fail: {', '.join(report.failed)}"
    lines.append(verdict)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run ``tpmkit check`` (the DCMA-14 check) on the parsed ``args``; return the exit status."""
    project = load_project(args)
    report = dcma14(project, status_date=args.status_date,
                    thresholds=_parse_thresholds(args.threshold),
                    high_float_days=args.high_float, high_duration_days=args.high_duration,
                    critical_task=args.critical_task)
    if args.json:
        print_json(report.to_dict())
    else:
        print(format_report(report))
    return 0 if (report.passed or args.exit_zero) else 1
