"""``tpmkit agile FILE [--history F] [--sprints F] [--now DATE] [--items N] [--by DATE] [--json]``."""

from __future__ import annotations

import argparse
from typing import Any

from tpmkit import agile
from tpmkit.cli._common import print_json
from tpmkit.errors import DataError, InputFileError

HELP = ("agile delivery metrics (cycle time, throughput, WIP, velocity, Little's law) and Monte "
        "Carlo 'when' / 'how many' forecasts from work items (Jira CSV export, table, sample:NAME)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE",
                        help="work items: Jira CSV export, CSV/XLSX table, or sample:NAME "
                             "(e.g. sample:agile_board)")
    parser.add_argument("--history", metavar="FILE",
                        help="status history (item, status, entered_at)")
    parser.add_argument("--sprints", metavar="FILE", help="sprint windows (sprint, start, end)")
    parser.add_argument("--status-map", metavar="FILE",
                        help="workflow mapping (status, category = To do / In progress / Done)")
    parser.add_argument("--now", metavar="DATE", help="status date (default: latest date)")
    parser.add_argument("--items", metavar="N", type=float,
                        help="backlog size for 'when' (default: the items not done)")
    parser.add_argument("--by", metavar="DATE", help="target date for 'how many'")
    parser.add_argument("--trials", type=int, default=10_000, help="Monte Carlo trials")
    parser.add_argument("--seed", type=int, default=None, help="random seed (recorded)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object on stdout instead of a summary")


def _board(args: argparse.Namespace) -> agile.Board:
    from tpmkit import datasets
    from tpmkit.io import read_board_parts, read_status_map

    if str(args.file).startswith("sample:"):
        name = str(args.file)[len("sample:"):]
        if datasets.list().get(name, {}).get("kind") != "items":
            raise InputFileError(f"sample {name!r} holds no work items; use sample:agile_board")
        return datasets.load(name) if args.now is None else datasets.load(name, now=args.now)
    flow = read_status_map(args.status_map) if args.status_map else None
    return agile.items(read_board_parts(args.file, history=args.history, sprints=args.sprints),
                       now=args.now, status_map=flow)


def _records(df: Any) -> dict:
    return {str(k): {c: v for c, v in row.items()} for k, row in df.to_dict("index").items()}


def run(args: argparse.Namespace) -> int:
    b = _board(args)
    t = b.table
    out: dict[str, Any] = {
        "status_date": b.now, "items": len(b),
        "by_category": {c: int((t["category"] == c).sum()) for c in agile.CATEGORIES},
        "cycle_time": _records(agile.cycle_time_percentiles(b)),
        "lead_time": _records(agile.cycle_time_percentiles(b, kind="lead")),
        "throughput_per_week": float(agile.throughput(b).mean()),
        "wip": int(agile.wip(b).iloc[-1]),
    }
    aging = agile.aging_wip(b)
    out["aging_above_p85"] = list(aging.index[aging["exceeds"] >= 85])
    law = agile.littles_law(b)
    out["littles_law"] = {"average_wip": law.average_wip, "throughput_per_day": law.throughput,
                          "average_cycle_time": law.average_cycle_time,
                          "predicted_wip": law.predicted_wip, "bound": law.bound,
                          "holds": law.holds}
    if (t["sprint"] != "").any():
        out["velocity"] = _records(agile.velocity(b))
    try:
        out["flow_efficiency"] = agile.flow_efficiency(b).efficiency
    except DataError:
        out["flow_efficiency"] = None
    remaining = args.items if args.items is not None else float((t["category"] != "Done").sum())
    when = agile.when(b, remaining, trials=args.trials, rng=args.seed)
    out["when"] = {"n_items": remaining, "seed": when.seed, "trials": when.trials,
                   "forecast": _records(when.table)}
    if args.by:
        hm = agile.how_many(b, args.by, trials=args.trials, rng=when.seed)
        out["how_many"] = {"by": hm.target, "seed": hm.seed, "forecast": _records(hm.table)}
    if args.json:
        print_json(out)
        return 0
    ct = out["cycle_time"]["all"]
    print(f"{len(b)} work items, status date {b.now.date()}: "
          + ", ".join(f"{k} {v}" for k, v in out["by_category"].items()))
    print(f"  cycle time P50/P85/P95  {ct['p50']:g} / {ct['p85']:g} / {ct['p95']:g} days "
          f"({ct['count']} finished items)")
    print(f"  throughput              {out['throughput_per_week']:.2f} items per week")
    print(f"  WIP now                 {out['wip']} (items older than P85: "
          f"{', '.join(out['aging_above_p85']) or 'none'})")
    print(f"  Little's law            L = {law.average_wip:.2f}, λW = {law.predicted_wip:.2f} "
          f"(edge bound {law.bound:.2f})")
    if out["flow_efficiency"] is not None:
        print(f"  flow efficiency         {out['flow_efficiency']:.1%}")
    for lab, row in when.table.iterrows():
        print(f"  {remaining:g} items done by   {row['date'].date()} ({lab}, {row['periods']} days)")
    if args.by:
        for lab, row in hm.table.iterrows():
            print(f"  by {hm.target.date()}         ≥ {row['items']:g} items ({lab})")
    print(f"  (Monte Carlo, {when.trials} trials, seed {when.seed})")
    return 0
