"""``tpmkit convert IN OUT [--start DATE] [--strict] [--json]``.

Reads any supported project file (MS Project XML, Primavera XER, GanttProject, Planner, MPX,
Jira CSV, PSPLIB, CSV/XLSX/YAML/JSON, and MPP & co. through the optional MPXJ bridge) and
writes it in the format of OUT's suffix: ``.csv``/``.tsv`` (task table), ``.xlsx``,
``.yaml``/``.yml``, ``.json`` or ``.xml``/``.mspdi`` (MS Project XML). Import warnings
(e.g. a manually scheduled task scheduled from its links) and export losses go to stderr: one line names
every part the output format cannot hold (a CSV holds the task table only: not the project
start, status date, deadline, currency, BAC, calendar, risks, resources, periods or WBS
dictionary; MS Project XML has no place for three-point estimates, risks, periods or the WBS
dictionary); ``--strict`` turns them into an error (exit status 2, OUT untouched) so nothing
is converted silently with losses. OUT is written atomically and is never the input file.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

from tpmkit._files import refuse_overwrite
from tpmkit.cli._common import add_input_arguments, load_project, print_json
from tpmkit.errors import InputFileError, OptionError, format_ids

__all__ = ["HELP", "add_arguments", "run"]

HELP = ("convert a project file (MS Project XML, XER, GanttProject, Planner, MPX, Jira CSV, …) "
        "to CSV, XLSX, YAML, JSON or MS Project XML")

_NAMES = {".csv": "CSV task table", ".tsv": "TSV task table", ".xlsx": "Excel workbook",
          ".yaml": "YAML project", ".yml": "YAML project", ".json": "JSON project",
          ".xml": "MS Project XML", ".mspdi": "MS Project XML"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add FILE, OUT, ``--start``, ``--status-date``, ``--strict`` and ``--json``."""
    add_input_arguments(parser)
    parser.add_argument("output", metavar="OUT",
                        help="output file; its suffix picks the format: "
                             + ", ".join(sorted(_NAMES)))
    parser.add_argument("--status-date", metavar="DATE",
                        help="status (data) date, overriding the file's")
    parser.add_argument("--strict", action="store_true",
                        help="fail (exit 2, OUT untouched) when the import warns or the "
                             "output format cannot hold all the data")


def run(args: argparse.Namespace) -> int:
    """Convert ``args.file`` to ``args.output``; return 0."""
    from tpmkit.cpm import schedule
    from tpmkit.io import DATED_FORMATS, WRITERS, write

    out = Path(args.output)
    if out.suffix.lower() not in WRITERS:
        raise OptionError(f"cannot write {out.suffix or 'a file without a suffix'!r} "
                          f"({str(out)!r}); choose one of: {', '.join(sorted(WRITERS))}")
    src = str(args.file)
    refuse_overwrite(out, src, fix="name another output file")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        project = load_project(args)
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    if messages and args.strict:
        raise InputFileError(f"{src}: the import reported {len(messages)} problem(s): "
                             f"{messages[0]}{' …' if len(messages) > 1 else ''}; fix the "
                             "source file or run without --strict")
    options = {}
    if out.suffix.lower() in DATED_FORMATS:
        # MS Project XML stores the computed dates: the schedule is the caller's to compute
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            options["schedule"] = schedule(project)
        messages += [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    with warnings.catch_warnings(record=True) as caught:
        # --strict: a warning of the writer (what the format cannot hold) stops it before
        # the target is touched; the atomic write leaves no partial file either way
        warnings.simplefilter("error" if args.strict else "always", UserWarning)
        try:
            write(project, out, **options)
        except UserWarning as lost:
            raise InputFileError(f"the export would lose data: {lost}; choose another output "
                                 "format or run without --strict") from None
    messages += [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    summary = {"input": src, "output": str(out), "format": _NAMES.get(out.suffix.lower(), ""),
               "tasks": len(project.tasks), "links": len(project.links),
               "warnings": messages}
    if args.json:
        print_json(summary)
    else:
        import sys

        from tpmkit.messages import warning_line

        for m in messages:
            print(warning_line(m, prefix="tpmkit convert"), file=sys.stderr)
        ids = format_ids(project.tasks.index) if len(project.tasks) else "no tasks"
        print(f"wrote {out} ({summary['format']}): {summary['tasks']} tasks ({ids}), "
              f"{summary['links']} links")
    return 0
