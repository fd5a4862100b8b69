"""``tpmkit pert FILE [--target T | --probability P] [--method beta|triangular] [--json]``."""

from __future__ import annotations

import argparse

from tpmkit.cli._common import add_input_arguments, load_project, print_json
from tpmkit.errors import ValidationError
from tpmkit.pert import analyze

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


def _probability(text: str) -> float:
    try:
        p = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    return p / 100 if p > 1 else p


def run(args: argparse.Namespace) -> int:
    project = load_project(args)
    if not project.tasks[["optimistic", "most_likely", "pessimistic"]].notna().all(axis=1).any():
        raise ValidationError("no task has a three-point estimate; add optimistic, most_likely "
                              "and pessimistic columns for PERT")
    r = analyze(project, target=args.target, probability=args.probability, method=args.method)
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
    print(f"{project.name} — PERT ({r.method})")
    print(f"  expected duration  {r.expected_duration:.2f} working days")
    print(f"  standard deviation {r.std:.3f} working days (variance {r.variance:.4f})")
    print(f"  critical path      {' → '.join(r.critical_path)}")
    if r.probability is not None:
        print(f"  P(finish ≤ {args.target}) = {r.probability:.4f}")
    if r.duration is not None:
        print(f"  P{r.confidence * 100:g} duration     {r.duration:.2f} working days")
    print("  (normal approximation on the critical path; it ignores merge bias — "
          "run `tpmkit risk` for Monte Carlo)")
    return 0
