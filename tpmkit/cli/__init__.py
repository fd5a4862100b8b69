"""The ``tpmkit`` command line.

``tpmkit schedule|pert|risk|evm|check|level|convert|report|agile FILE [options]``. Every
computing command accepts ``--json`` and then prints exactly one JSON object on stdout.
Bad input: one line on stderr naming the problem and the fix, exit status 2, no traceback
(with ``--json`` also ``{"error": "…"}`` on stdout). Warnings: one line each on stderr,
``tpmkit COMMAND: warning: …`` (:func:`tpmkit.messages.warning_line`).

Start-up is lazy: ``tpmkit --version`` and ``tpmkit --help`` import neither numpy nor pandas,
and a command imports only its own module.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import warnings
from collections.abc import Iterable, Sequence
from typing import NoReturn

from tpmkit._version import __version__
from tpmkit.errors import TpmkitError
from tpmkit.messages import one_line, show_warning_as_line

__all__ = ["COMMANDS", "SUMMARIES", "build_parser", "main"]

# command name -> module in tpmkit.cli; a module provides HELP, add_arguments(), run().
COMMANDS = {
    "schedule": "tpmkit.cli.schedule",
    "pert": "tpmkit.cli.pert",
    "risk": "tpmkit.cli.risk",
    "evm": "tpmkit.cli.evm",
    "check": "tpmkit.cli.check",
    "level": "tpmkit.cli.level",
    "convert": "tpmkit.cli.convert",
    "report": "tpmkit.cli.report",
    "agile": "tpmkit.cli.agile",
}

#: One line per command for ``tpmkit --help`` (kept here so the listing imports no command).
SUMMARIES = {
    "schedule": "CPM/PDM schedule: dates, total and free float, the critical path",
    "pert": "PERT: expected duration, σ, P(finish by a target), duration for a confidence",
    "risk": "Monte Carlo schedule risk: P50/P80, criticality, sensitivity, risk drivers, cost",
    "evm": "earned value and earned schedule: SPI/CPI, EACs, ES, SPI(t), forecasts",
    "check": "DCMA 14-point schedule health check",
    "level": "resource levelling: a schedule within capacities that keeps every link",
    "convert": "convert between MS Project XML, XER, GanttProject, CSV, XLSX, YAML, JSON, …",
    "report": "the HTML status report (one self-contained file)",
    "agile": "agile metrics and Monte Carlo 'when' / 'how many' forecasts from work items",
    "samples": "list the bundled sample projects and artefacts",
}


class _Parser(argparse.ArgumentParser):
    """argparse with tpmkit's error format: one line on stderr (and JSON with ``--json``)."""

    def error(self, message: str) -> NoReturn:
        report_error(self.prog, f"{message}; see '{self.prog} --help'",
                     json_output="--json" in sys.argv[1:] or self.json_requested)
        sys.exit(2)

    json_requested = False



def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``commands`` get their full options (default: every command).

    The other commands are listed (for ``--help`` and the choice check) without importing
    their modules.
    """
    parser = _Parser(
        prog="tpmkit",
        description="Technical project management: scheduling, PERT, risk, earned value, reports.",
        epilog="FILE may name a bundled sample as sample:NAME (see `tpmkit samples`), e.g. "
               "tpmkit schedule sample:software_release",
    )
    parser.add_argument("--version", action="version", version=f"tpmkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    full = set(COMMANDS) if commands is None else set(commands)
    for name, modname in COMMANDS.items():
        if name not in full:
            sub.add_parser(name, help=SUMMARIES[name], add_help=False)
            continue
        module = importlib.import_module(modname)
        p = sub.add_parser(name, help=SUMMARIES[name], description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(handler=module.run)
    samples = sub.add_parser("samples", help=SUMMARIES["samples"])
    samples.set_defaults(handler=_run_samples)
    return parser


def _run_samples(args: argparse.Namespace) -> int:
    from tpmkit import datasets

    catalog = datasets.list()
    width = max(len(n) for n in catalog) + len("sample:")
    for name, info in catalog.items():
        print(f"{'sample:' + name:<{width}}  {info.get('kind', 'project'):<20} {info['description']}")
    return 0


def _command_of(argv: Sequence[str]) -> str | None:
    """The command named on the command line (the first word that is not an option)."""
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def report_error(prog: str, message: str, json_output: bool = False) -> None:
    """Print ``prog: error: message`` as one line on stderr (and ``{"error": …}`` on stdout)."""
    text = one_line(message)
    if json_output:
        print(json.dumps({"error": text}, ensure_ascii=False))
    print(f"{prog}: error: {text}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 finding, 2 bad input)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _command_of(argv)
    parser = build_parser([command] if command else [])
    _Parser.json_requested = "--json" in argv
    try:  # --help, --version and usage errors (reported in one line) exit as argparse does
        args = parser.parse_args(argv)
    finally:
        _Parser.json_requested = False
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    prog = f"tpmkit {args.command}"
    as_json = bool(getattr(args, "json", False))
    try:
        with warnings.catch_warnings():
            warnings.showwarning = show_warning_as_line(prog)
            return int(args.handler(args) or 0)
    except TpmkitError as exc:
        report_error(prog, str(exc), as_json)
        return 2
    except BrokenPipeError:  # e.g. `tpmkit schedule x | head`
        sys.stderr.close()
        return 0
    except OSError as exc:  # unreadable/unwritable files the readers did not wrap
        where = f" {exc.filename!r}" if getattr(exc, "filename", None) else ""
        report_error(prog, f"cannot access{where}: {exc.strerror or exc}; check the path and "
                           "permissions", as_json)
        return 2
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
