"""The ``tpmkit`` command line.

``tpmkit schedule|pert|risk|evm|check|level|convert|report FILE [options]``. Every
computing command accepts ``--json`` and then prints exactly one JSON object on stdout.
Bad input: one line on stderr naming the problem and the fix, exit status 2, no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence

from tpmkit._version import __version__
from tpmkit.errors import TpmkitError

__all__ = ["main"]

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


def _available() -> dict[str, str]:
    return {name: mod for name, mod in COMMANDS.items() if importlib.util.find_spec(mod)}


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with one sub-command per available command module."""
    parser = argparse.ArgumentParser(
        prog="tpmkit",
        description="Technical project management: scheduling, PERT, risk, earned value, reports.",
        epilog="Bundled samples can be named as sample:NAME (see `tpmkit samples`).",
    )
    parser.add_argument("--version", action="version", version=f"tpmkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, modname in _available().items():
        module = importlib.import_module(modname)
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(handler=module.run)
    samples = sub.add_parser("samples", help="list the bundled sample projects and artefacts")
    samples.set_defaults(handler=_run_samples)
    return parser


def _run_samples(args: argparse.Namespace) -> int:
    from tpmkit import datasets

    catalog = datasets.list()
    width = max(len(n) for n in catalog) + len("sample:")
    for name, info in catalog.items():
        print(f"{'sample:' + name:<{width}}  {info.get('kind', 'project'):<20} {info['description']}")
    return 0



def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 finding, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except TpmkitError as exc:
        print(f"tpmkit {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `tpmkit schedule x | head`
        sys.stderr.close()
        return 0
    except OSError as exc:  # unreadable/unwritable files the readers did not wrap
        where = f" {exc.filename!r}" if getattr(exc, "filename", None) else ""
        print(f"tpmkit {args.command}: error: cannot access{where}: {exc.strerror or exc}; "
              "check the path and permissions", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"tpmkit {args.command}: interrupted", file=sys.stderr)
        return 130


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
