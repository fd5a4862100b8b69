"""``tpmkit pert FILE [--target T | --probability P] [--method beta|triangular] [--json]``."""

from __future__ import annotations

import argparse

from tpmkit.cli._common import add_input_arguments, date_or_days, load_project, print_json
from tpmkit.cli._format import day, days, percent
from tpmkit.errors import ValidationError

HELP = "PERT: expected duration, variance and P(finish by a target) by the normal approximation"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--target", metavar="DATE|DAYS",
                       help="finish target: working days from the start or a date")
    group.add_argument("--probability", metavar="P", type=_probability,
                       help="confidence level, e.g. 0.8 or 80 (%%), for which to give the duration")
    parser.add_argument("--method", choices=["beta", "triangular"], default="beta",
                        help="three-point moments (default beta-PERT)")


PROBABILITY_RANGE = ("give a fraction between 0 and 1 (e.g. 0.8) or a percentage between 1 "
                     "and 99 (e.g. 80 or 80%)")


def _probability(text: str) -> float:
    """``0.8``, ``80`` or ``80%`` → 0.8; anything outside (0, 1) or 1 … 99 % is refused.

    Without a ``%`` sign a number above 1 is read as a whole percentage, so ``1.5`` (0.015
    or a mistyped 0.15?) and ``150`` are refused, naming the valid range.
    """
    raw = text.strip()
    is_percent = raw.endswith("%")
    try:
        p = float(raw.rstrip("%").strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; {PROBABILITY_RANGE}") from None
    if is_percent and 0 < p < 100:
        return p / 100
    if not is_percent and 0 < p < 1:
        return p
    if not is_percent and 1 <= p < 100 and p.is_integer() and p != 1:
        return p / 100
    raise argparse.ArgumentTypeError(f"{text} is outside the valid range; {PROBABILITY_RANGE}")


def run(args: argparse.Namespace) -> int:
    from tpmkit.pert import analyze

    project = load_project(args)
    if not project.tasks[["optimistic", "most_likely", "pessimistic"]].notna().all(axis=1).any():
        raise ValidationError("no task has a three-point estimate; add optimistic, most_likely "
                              "and pessimistic columns for PERT")
    target = date_or_days(args.target, "--target")
    r = analyze(project, target=target, probability=args.probability, method=args.method)
    out = {"expected_duration": r.expected_duration, "variance": r.variance, "std": r.std,
           "critical_path": r.critical_path, "method": r.method}
    if r.probability is not None:
        out.update(target=r.target, probability=r.probability)
        if r.target_date is not None:
            out["target_date"] = r.target_date
    if r.duration is not None:
        out.update(confidence=r.confidence, duration=r.duration)
    if project.start is not None:
        cal = project.calendar
        out["expected_finish_date"] = cal.finish_dates([r.expected_duration], project.start)[0]
        if r.duration is not None:
            out["duration_date"] = cal.finish_dates([r.duration], project.start)[0]
    if args.json:
        print_json(out)
        return 0
    print(format_report(project, r, args.target))
    return 0


def format_report(project, r, target_text: str | None = None) -> str:
    """The human-readable PERT summary: days to two decimals, dates, percentages."""
    cal, start = project.calendar, project.start

    def when(d: float) -> str:
        return f" → {day(cal.finish_dates([d], start)[0])}" if start is not None else ""

    lines = [f"{project.name} — PERT ({'beta-PERT' if r.method == 'beta' else r.method} "
             "three-point estimates)",
             f"  expected duration   {days(r.expected_duration)} working days"
             f"{when(r.expected_duration)}",
             f"  standard deviation  {r.std:.2f} working days (variance {r.variance:.2f})",
             f"  critical path       {' → '.join(r.critical_path)}"]
    if r.probability is not None:
        if r.target_date is not None:
            target = f"{day(r.target_date)} (day {days(r.target)})"
        elif start is not None:
            target = f"{day(cal.finish_dates([r.target], start)[0])} (day {days(r.target)})"
        else:
            target = f"day {days(r.target)}"
        lines.append(f"  P(finish by {target}) = {percent(r.probability)}")
    if r.duration is not None:
        lines.append(f"  P{r.confidence * 100:g} duration      {days(r.duration)} working days"
                     f"{when(r.duration)} ({percent(r.confidence)} confidence)")
    lines.append("  (normal approximation on the critical path; it ignores merge bias — "
                 "run `tpmkit risk` for Monte Carlo)")
    return "\n".join(lines)
