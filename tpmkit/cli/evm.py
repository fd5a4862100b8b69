"""``tpmkit evm FILE``: earned value, earned schedule and forecasts for the status period.

Prints the period table (or, with ``--json``, one object with ``bac``, ``periods[]`` and
``latest``), the early-warning signs (:func:`tpmkit.evm.warning_signs`), the probabilistic EAC
and completion when at least two periods have progress (:func:`tpmkit.evm.probabilistic_forecast`)
and, for a project with tasks and a status date, the forecast finish of the progress-aware
schedule (:func:`tpmkit.schedule`). Reads period data (a ``periods`` table with cumulative
PV/EV/AC) or computes it from the baseline and the tasks' progress. ``--status-date`` rolls the
progress back to that date (:func:`tpmkit.evm.as_of`), as on every command.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from tpmkit import evm
from tpmkit.cli._common import add_input_arguments, jsonable, load_project, print_json
from tpmkit.errors import DataError
from tpmkit.model import Project, build_project

__all__ = ["HELP", "add_arguments", "run"]

HELP = "earned value and earned schedule: SPI/CPI, EACs, ES, SPI(t), nine time forecasts"

# the status-period figures every script can rely on (the JSON contract); more follow
LATEST_KEYS = ("pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "etc", "vac", "tcpi_bac",
               "tcpi_eac", "es", "at", "sv_t", "spi_t", "tspi", "ieac_t")
# columns of the printed table (the JSON carries all of them)
_SHOWN = ("date", "pv", "ev", "ac", "spi", "cpi", "eac", "es", "spi_t", "ieac_t")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``evm`` options to ``parser``."""
    add_input_arguments(parser)
    parser.add_argument("--status-date", metavar="DATE",
                        help="status date (overrides the file's); later periods count as future")
    parser.add_argument("--bac", type=float, metavar="AMOUNT",
                        help="budget at completion (overrides the file's; default the last PV)")
    parser.add_argument("--source", default="auto", choices=("auto", "periods", "tasks"),
                        help="input route: the periods table or the baseline + task progress "
                             "(default: periods when the file has a pv column)")
    parser.add_argument("--eac-method", default="cpi", choices=evm.EAC_METHODS,
                        help="EAC in the eac column: BAC/CPI (default), AC+BAC-EV, "
                             "AC+(BAC-EV)/(CPI*SPI) or AC+bottom-up ETC")
    parser.add_argument("--spread", default="linear", choices=evm.SPREADS,
                        help="budget spread over baseline working days (tasks route)")
    parser.add_argument("--ev-rule", default="percent", choices=evm.EV_RULES,
                        help="earning rule for percent complete (tasks route)")
    parser.add_argument("--freq", default="month", choices=evm.FREQUENCIES,
                        help="reporting period (tasks route; default month)")


def _records(table: pd.DataFrame) -> list[dict]:
    rows = table.reset_index()
    return [jsonable(r) for r in rows.to_dict(orient="records")]


def _is_period_csv(path: Path) -> bool:
    """A CSV/TSV whose header has a pv column and no task id: a bare period table."""
    if path.suffix.lower() not in (".csv", ".tsv", ".txt") or not path.is_file():
        return False
    try:
        with open(path, encoding="utf-8-sig") as fh:
            first = fh.readline()
    except (OSError, UnicodeDecodeError):
        return False        # not a readable table: the regular reader reports the problem
    names = {c.strip().strip('"').lower() for c in re.split(r"[,;\t]", first)}
    return "pv" in names and not names & {"id", "task", "task_id"}


def _load(args: argparse.Namespace) -> Project:
    """The project, or a period table (bare CSV, table sample) wrapped as a project."""
    source = str(args.file)
    table = None
    if source.startswith("sample:"):
        from tpmkit import datasets

        loaded = datasets.load(source.split(":", 1)[1], **(
            {"start": args.start} if args.start else {}))
        if isinstance(loaded, Project):
            project = evm.as_of(loaded, args.status_date) if args.status_date else loaded
        else:
            table, name = loaded, source.split(":", 1)[1]
    elif _is_period_csv(Path(source)):
        table = pd.read_csv(source, sep=None, engine="python", encoding="utf-8-sig")
        name = Path(source).stem
    else:
        project = load_project(args)
    if table is not None:
        project = build_project({"periods": table, "project": {"name": name}},
                                status_date=args.status_date, start=args.start)
    return project


def _schedule_forecast(project: Project) -> dict | None:
    """Forecast finish of the progress-aware schedule (tasks and a status date needed)."""
    from tpmkit.cpm import schedule
    from tpmkit.errors import TpmkitError

    if project.status_date is None or not len(project.tasks):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = schedule(project)
    except TpmkitError:
        return None            # period data without a network: nothing to schedule
    if getattr(result, "status_date", None) is None:
        return None
    return {"status_date": result.status_date, "progress": getattr(result, "progress", None),
            "finish": result.duration, "finish_date": result.finish_date}


def _signs(result: evm.EVMResult, calendar: Any) -> tuple[dict, dict | None]:
    """The warning signs and the probabilistic forecast (None with fewer than two periods)."""
    signs = evm.warning_signs(result).signs
    out = {name: {"value": r["value"], "threshold": r["threshold"],
                  "triggered": r["triggered"]} for name, r in signs.iterrows()}
    try:
        f = evm.probabilistic_forecast(result, calendar=calendar)
    except DataError:
        return out, None
    pct = f.percentiles.reset_index()
    return out, {"method": f.method, "probability_within_budget": f.probability_within_budget,
                 "probability_on_time": f.probability_on_time,
                 "percentiles": _records(pct.set_index("percentile"))}


def _num(value: float, fmt: str) -> str:
    return "n/a" if pd.isna(value) else format(value, fmt)


def run(args: argparse.Namespace) -> int:
    """Compute the EVM table and print it (text or JSON); return 0."""
    project = _load(args)
    # undefined figures (NaN) are reported as one-line notes on stderr, not tracebacks
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", evm.EVMWarning)
        result = evm.metrics(project, bac=args.bac, status_date=args.status_date,
                            source=args.source,
                            eac_method=args.eac_method, spread=args.spread,
                            ev_rule=args.ev_rule, freq=args.freq)
        signs, forecast = _signs(result, project.calendar)
        schedule_forecast = _schedule_forecast(project)
    for w in caught:
        if issubclass(w.category, evm.EVMWarning):
            print(f"tpmkit evm: note: {w.message}", file=sys.stderr)
        else:  # pragma: no cover - anything else goes through the normal channel
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    last = evm.latest(result)
    table = result.table
    if args.json:
        latest = {"period": int(last.name)}
        if "date" in table:
            latest["date"] = last["date"]
        latest.update({k: last[k] for k in LATEST_KEYS})
        latest.update({k: last[k] for k in table.columns if k not in latest})
        print_json({
            "project": project.name,
            "currency": project.currency,
            "source": result.source,
            "bac": result.bac,
            "planned_duration": result.planned_duration,
            "planned_finish_date": result.planned_finish_date,
            "status_period": result.status_period,
            "eac_method": result.eac_method,
            "time_unit": "periods",
            "latest": latest,
            "periods": _records(table),
            "warning_signs": signs,
            "probabilistic_forecast": forecast,
            "schedule_forecast": schedule_forecast,
        })
        return 0
    cur = f" [{project.currency}]" if project.currency else ""
    print(f"{project.name}: earned value{cur}, status period {result.status_period} of "
          f"{result.planned_duration} planned (source: {result.source})")
    shown = table[[c for c in _SHOWN if c in table]]
    with pd.option_context("display.width", 120, "display.max_columns", 20,
                           "display.float_format", "{:,.2f}".format):
        print(shown.to_string(na_rep=""))
    money, ratio, time = ",.2f", ".3f", ".2f"
    lines = [
        f"BAC {_num(result.bac, money)}   EAC {_num(last['eac'], money)}   "
        f"ETC {_num(last['etc'], money)}   VAC {_num(last['vac'], money)}   "
        f"TCPI {_num(last['tcpi_bac'], ratio)}",
        f"SV {_num(last['sv'], money)}   CV {_num(last['cv'], money)}   "
        f"SPI {_num(last['spi'], ratio)}   CPI {_num(last['cpi'], ratio)}",
        f"ES {_num(last['es'], time)}   AT {_num(last['at'], time)}   "
        f"SV(t) {_num(last['sv_t'], time)}   SPI(t) {_num(last['spi_t'], ratio)}   "
        f"TSPI {_num(last['tspi'], ratio)}   IEAC(t) {_num(last['ieac_t'], time)} periods",
    ]
    if "ieac_t_date" in table and pd.notna(last["ieac_t_date"]):
        planned = result.planned_finish_date
        lines.append(f"planned finish {planned.date()}   ES forecast finish "
                     f"{last['ieac_t_date'].date()}")
    if "p_factor" in table and pd.notna(last["p_factor"]):
        lines.append(f"schedule adherence (p-factor) {last['p_factor']:.3f}")
    if schedule_forecast is not None and schedule_forecast["finish_date"] is not None:
        lines.append(f"forecast finish from the progress (schedule at "
                     f"{schedule_forecast['status_date'].date()}) "
                     f"{schedule_forecast['finish_date'].date()}")
    raised = [name for name, r in signs.items() if r["triggered"] is True]
    lines.append("warning signs: " + (", ".join(raised) if raised else "none raised"))
    if forecast is not None:
        rows = {r["percentile"]: r for r in forecast["percentiles"]}
        p50, p80 = rows.get("p50"), rows.get("p80")
        if p50 and p80:
            when = (f"   finish P50 {p50['finish_date']} P80 {p80['finish_date']}"
                    if "finish_date" in p50 else
                    f"   finish P50 {_num(p50['finish'], time)} P80 {_num(p80['finish'], time)} "
                    "periods")
            lines.append(f"probabilistic EAC (log-normal, Lipke): P50 {_num(p50['eac'], money)} "
                         f"P80 {_num(p80['eac'], money)}{when}")
    print("\n".join(lines))
    return 0
