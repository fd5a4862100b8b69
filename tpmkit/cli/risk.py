"""``tpmkit risk FILE [--iterations N] [--seed S] [--target DATE|DAYS] [--status-date DATE]
[--progress OPTION] [--json]``."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from tpmkit.cli._common import add_input_arguments, date_or_days, load_project, print_json
from tpmkit.cli._format import day, days, percent
from tpmkit.errors import ValidationError

#: The valid range of ``--iterations`` (fewer than 10 gives no meaningful distribution).
MIN_ITERATIONS = 10
MAX_ITERATIONS = 100_000_000

HELP = ("Monte Carlo schedule risk analysis: finish percentiles (P50/P80), probability of a "
        "date, criticality and sensitivity per task, risk drivers, cost and joint confidence")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--iterations", "-n", type=int, default=10_000, metavar="N",
                        help="number of iterations, 10 … 100,000,000 (default 10000)")
    parser.add_argument("--seed", type=int, default=None, metavar="S",
                        help="random seed; the same seed reproduces the run exactly")
    parser.add_argument("--target", metavar="DATE|DAYS",
                        help="report the probability of finishing by this date or number of "
                             "working days (default: the project's deadline)")
    parser.add_argument("--distribution", default="pert",
                        help="distribution of tasks without their own (pert, triangular, "
                             "uniform, normal, lognormal, fixed; default pert)")
    parser.add_argument("--lhs", action="store_true", help="Latin hypercube sampling")
    parser.add_argument("--mitigated", action="store_true",
                        help="use the risk register's post-response figures")
    parser.add_argument("--tolerance", type=float, default=None, metavar="REL",
                        help="stop when the mean and P80 are stable within REL (e.g. 0.001)")
    parser.add_argument("--top", type=int, default=15, metavar="K",
                        help="tasks shown in the text report (default 15)")
    from tpmkit.cli.schedule import add_progress_arguments

    add_progress_arguments(parser)
    corr = parser.add_mutually_exclusive_group()
    corr.add_argument("--correlation", metavar="FILE",
                      help="rank correlation between task durations: a CSV/Excel square "
                           "matrix over task ids, or columns `tasks` and `coefficient`")
    corr.add_argument("--correlate", action="append", default=None, metavar="IDS=R",
                      help="correlate a group of tasks, e.g. --correlate \"A,B,C=0.6\" "
                           "(repeatable)")


def run(args: argparse.Namespace) -> int:
    from tpmkit.risk import simulate

    if args.iterations < 1:
        raise ValidationError(f"--iterations must be at least 1, got {args.iterations}")
    if not MIN_ITERATIONS <= args.iterations <= MAX_ITERATIONS:
        raise ValidationError(f"--iterations {args.iterations} is outside the valid range "
                              f"{MIN_ITERATIONS} … {MAX_ITERATIONS:,}; give e.g. --iterations 10000")
    if args.seed is not None and args.seed < 0:
        raise ValidationError(f"--seed must be a non-negative integer, got {args.seed}")
    correlation = _correlation(args)
    project = load_project(args)
    progress = None
    if not args.json:
        from tpmkit.widgets.progress import tqdm_progress

        progress = tqdm_progress("simulate")
    result = simulate(project, args.iterations, rng=args.seed, distribution=args.distribution,
                      latin_hypercube=args.lhs, mitigated=args.mitigated,
                      tolerance=args.tolerance, correlation=correlation, progress=progress,
                      out_of_sequence=args.progress)
    target = date_or_days(args.target, "--target")
    if args.json:
        print_json(result.to_dict(target))
        return 0
    print(format_report(result, target, args.top, names=project.tasks["name"].to_dict()))
    return 0


def _correlation(args: argparse.Namespace) -> object:
    """The correlation given by ``--correlation FILE`` or ``--correlate IDS=R`` (or None)."""
    from tpmkit.artefacts import read_correlation
    from tpmkit.model import split_ids

    if args.correlation:
        return read_correlation(args.correlation)
    if not args.correlate:
        return None
    groups = []
    for text in args.correlate:
        ids, sep, r = text.rpartition("=")
        members = list(split_ids(ids))
        try:
            value = float(r)
        except ValueError:
            value = float("nan")
        if not sep or len(members) < 2 or value != value:
            raise ValidationError(f"--correlate {text!r}: give two or more task ids and a "
                                  "coefficient, e.g. --correlate \"A,B,C=0.6\"")
        groups.append((members, value))
    return groups


def format_report(result, target: float | str | None = None, top: int = 15,
                  names: Mapping[str, str] | None = None) -> str:
    """The human-readable report of a :class:`~tpmkit.risk.SimulationResult`.

    ``names`` (task id → name) labels the task table; days to two decimals, probabilities
    as percentages, every column explained.
    """
    d = result.to_dict(target)
    names = dict(names or {})
    lines = [f"Monte Carlo schedule risk: {d['iterations']:,} iterations, seed {d['seed']}"
             + (" (converged)" if d["converged"] else "")]
    from tpmkit.report.format import no_uncertainty

    flat = no_uncertainty(result)
    if flat:  # nothing to simulate: no "confidence 100 %", no percentile table of one value
        lines.append(flat)
        lines.append("add three-point estimates (optimistic, most_likely, pessimistic) or a "
                     "risk register to simulate")
        return "\n".join(lines)
    lines += [f"deterministic duration {days(d['deterministic_duration'])} d (the plan's "
              f"confidence: {percent(d['deterministic_confidence'])})",
              f"mean {days(d['mean'])} d, standard deviation {days(d['std'])} d, standard error "
              f"of the mean {d['standard_error']['mean']:.3f} d",
              "percentiles (P80 = 80 % of the iterations finish by then):"]
    dates = d.get("percentile_dates", {})
    for q in ("p10", "p50", "p80", "p90"):
        when = f"  {day(dates[q])}" if q in dates else ""
        lines.append(f"  {q.upper():>4} {days(d['percentiles'][q]):>9} d{when}")
    if "probability" in d:
        when = (f"{day(d['target_date'])} (day {days(d['target_days'])})" if "target_date" in d
                else f"day {d['target']}")
        lines.append(f"P(finish by {when}) = {percent(d['probability'])}")
    c = d["cost"]
    if c["mean"] or c["deterministic"]:
        lines.append(f"cost: deterministic {c['deterministic']:,.0f}, mean {c['mean']:,.0f}, "
                     f"P80 {c['p80']:,.0f}; joint confidence (plan date and cost) "
                     f"{percent(c['joint_confidence'])}")
    tasks = sorted(d["tasks"], key=lambda t: -t["criticality"])[:top]
    width = max([14, *(len(str(t["id"])) + 2 for t in tasks)])
    lines.append(f"{'task':<{width}}{'name':<36}{'critical':>9}{'SSI':>8}{'cruciality':>12}")
    for t in tasks:
        cr = t["cruciality"]
        lines.append(f"{t['id']:<{width}}{names.get(str(t['id']), '')[:34]:<36}"
                     f"{percent(t['criticality']):>9}{t['ssi']:>8.3f}"
                     f"{(f'{cr:.3f}' if cr == cr else '-'):>12}")
    lines.append("  critical: share of iterations in which the task is on the critical path; "
                 "SSI: schedule sensitivity index; cruciality: correlation of the task's "
                 "duration with the project's ('-': the duration does not vary)")
    if d["risks"]:
        lines.append("risk drivers (how much earlier the P80 is without the risk):")
        for r in sorted(d["risks"], key=lambda r: r["rank"]):
            lines.append(f"  {r['id']:<12} probability {percent(r['probability']):>7}  "
                         f"ΔP80 {r['p80_contribution']:+.2f} d")
    return "\n".join(lines)
