"""Reading and writing projects: one front door for every format.

``tpmkit.read(path_or_dataframe, **settings)`` returns a validated
:class:`~tpmkit.model.Project`; the format follows the file (suffix, then content).
Settings such as ``start=`` override the file's. ``tpmkit.io.write(project, path)`` writes the
format of the suffix through a temporary file renamed into place, and never overwrites
the file the project was read from; ``tpmkit.write(project, path)`` also adds the computed
dates to the formats that store them (MS Project XML).

=====================  ====================================  ==========
format                 suffixes                              write
=====================  ====================================  ==========
task table             .csv .tsv .txt                        yes
Excel workbook         .xlsx .xlsm                           yes
YAML / JSON project    .yaml .yml .json                      yes
MS Project XML         .xml .mspdi                           yes
Primavera P6           .xer .pmxml                           no
GanttProject           .gan                                  no
GNOME Planner          .planner                              no
MPX                    .mpx                                  no
PSPLIB / Patterson     .sm .rcp                              no
Jira CSV export        .csv (``Issue key``, ``Summary``)     no
MPXJ bridge (Java)     .mpp .mpt .fts .pp …                  no
=====================  ====================================  ==========
"""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from tpmkit._files import refuse_overwrite
from tpmkit.errors import InputFileError, OptionError, TpmkitError, TpmkitWarning
from tpmkit.io.agile import read_board_parts, read_items, read_status_history, read_status_map
from tpmkit.io.limits import check_size
from tpmkit.io.tables import read_table
from tpmkit.model import Project, build_project

__all__ = ["DATED_FORMATS", "READERS", "WRITERS", "TpmkitWarning", "losses", "read", "read_items",
           "read_parts", "read_status_history", "read_table", "write"]
__all__ += ["read_board_parts", "read_status_map"]  # work items (tpmkit.io.agile)

#: suffix -> reader module in tpmkit.io (each provides ``read_parts(path, **settings)``)
READERS: dict[str, str] = {
    ".csv": "tables", ".tsv": "tables", ".txt": "tables",
    ".xlsx": "tables", ".xlsm": "tables",
    ".yaml": "tables", ".yml": "tables", ".json": "tables",
    ".xml": "mspdi", ".mspdi": "mspdi",
    ".xer": "xer",
    ".gan": "gan",
    ".planner": "planner",
    ".mpx": "mpx",
    ".sm": "psplib", ".rcp": "psplib",
    ".pmxml": "xer", ".mpp": "mpxj", ".mpt": "mpxj", ".fts": "mpxj", ".pp": "mpxj",
    ".pod": "mpxj", ".pep": "mpxj", ".ppx": "mpxj", ".prx": "mpxj", ".sdef": "mpxj",
}
#: suffix -> writer module in tpmkit.io (each provides ``write(project, path, **kw)``)
WRITERS: dict[str, str] = {
    ".csv": "tables", ".tsv": "tables", ".xlsx": "tables",
    ".yaml": "tables", ".yml": "tables", ".json": "tables",
    ".xml": "mspdi_write", ".mspdi": "mspdi_write",
}
#: suffixes whose files store computed dates: their writer takes ``schedule=`` (a
#: :class:`~tpmkit.cpm.ScheduleResult`; io does not schedule), which :func:`tpmkit.write` passes
DATED_FORMATS = frozenset({".xml", ".mspdi"})


def _module(name: str, suffix: str, what: str):
    try:
        return importlib.import_module(f"tpmkit.io.{name}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("tpmkit"):
            raise InputFileError(f"{what} of {suffix} files is not available in this tpmkit "
                                 "installation; convert the file to CSV, XLSX or YAML") from exc
        raise InputFileError(f"{what} of {suffix} files needs the package {exc.name!r}; "
                             "install it with: pip install 'tpmkit[io]'") from exc


def read_parts(path: str | os.PathLike, **settings: Any) -> dict:
    """Read a file into its parts (``tasks``, ``project``, ``risks``, …) without validating."""
    p = Path(path)
    if not p.exists():
        raise InputFileError(f"file not found: {str(p)!r}; check the path")
    if p.is_dir():
        raise InputFileError(f"{str(p)!r} is a folder, not a project file; name a file")
    check_size(p)
    suffix = p.suffix.lower()
    name = READERS.get(suffix)
    if name is None:
        raise InputFileError(
            f"unknown file type {suffix or '(no suffix)'!r} for {str(p)!r}; supported: "
            f"{', '.join(sorted(READERS))}")
    if name == "tables" and suffix in (".csv", ".tsv", ".txt"):
        from tpmkit.io.tables import looks_like_jira

        if looks_like_jira(p):
            name = "jira"
    module = _module(name, suffix, "reading")
    try:
        parts = module.read_parts(p, **settings)
    except TpmkitError:
        raise
    except (UnicodeDecodeError, OSError) as exc:
        raise InputFileError(f"cannot read {str(p)!r}: {exc}; check the file and its encoding") from exc
    parts = dict(parts)
    parts.setdefault("source", str(p))
    return parts


def read(source: str | os.PathLike | pd.DataFrame | Mapping[str, Any], **settings: Any) -> Project:
    """Read a project from a file, a DataFrame or a mapping of parts.

    Parameters
    ----------
    source : path, DataFrame or mapping
        A project file in any supported format (see the module docstring), a task
        DataFrame, or ``{"tasks": ..., "project": {...}, ...}``.
    **settings
        Project settings overriding the file's: ``start``, ``name``, ``calendar``,
        ``workweek``, ``holidays``, ``status_date``, ``deadline``, ``currency``, ``bac``,
        ``duration_from`` (``"mean"`` or ``"most_likely"`` for three-point-only tasks).

    Returns
    -------
    Project

    Raises
    ------
    InputFileError
        The file is missing, unreadable, or of an unknown type.
    ValidationError
        The content is invalid (the message names the ids and the fix).

    Examples
    --------
    >>> import pandas as pd
    >>> p = read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3], "predecessors": ["", "A"]}),
    ...          start="2027-01-04")
    >>> import tpmkit
    >>> tpmkit.schedule(p).table["early_finish_date"].dt.date.tolist()
    [datetime.date(2027, 1, 5), datetime.date(2027, 1, 8)]
    """
    if isinstance(source, pd.DataFrame):
        return build_project({"tasks": source}, **settings)
    if isinstance(source, Mapping):
        return build_project(source, **settings)
    if isinstance(source, str | os.PathLike):
        parts = read_parts(source, **settings)
        for message in parts.pop("warnings", None) or []:
            warnings.warn(f"{Path(source).name}: {message}", TpmkitWarning, stacklevel=2)
        try:
            return build_project(parts, **settings)
        except TpmkitError as exc:
            raise type(exc)(f"{Path(source).name}: {exc}") from exc
    raise InputFileError(f"cannot read a project from {type(source).__name__}; pass a file path, "
                         "a DataFrame or a dict with a 'tasks' table")


def _writer(path: str | os.PathLike):
    """The writer module of ``path``'s suffix (an OptionError for a suffix none writes)."""
    suffix = Path(path).suffix.lower()
    name = WRITERS.get(suffix)
    if name is None:
        raise OptionError(f"cannot write {suffix or 'files without a suffix'!r}; choose one of: "
                          f"{', '.join(sorted(WRITERS))}")
    return _module(name, suffix, "writing")


def losses(project: Project, path: str | os.PathLike) -> list[str]:
    """The parts of ``project`` that a file of ``path``'s format cannot hold.

    Keys such as ``"start"``, ``"holidays"``, ``"risks"``, ``"wbs"`` (the WBS dictionary),
    ``"setting:description"`` or ``"task:optimistic"``; empty when the format keeps
    everything the project holds. :func:`write` names them in one warning line and
    ``tpmkit convert --strict`` refuses to write them. YAML and JSON keep every part.

    Examples
    --------
    >>> import pandas as pd
    >>> p = read(pd.DataFrame({"id": ["A"], "duration": [2]}), start="2027-01-04", currency="EUR")
    >>> losses(p, "plan.csv"), losses(p, "plan.yaml")
    (['start', 'currency'], [])
    """
    return _writer(path).losses(project, path)


def write(project: Project, path: str | os.PathLike, **kwargs: Any) -> Path:
    """Write ``project`` to ``path`` in the format of its suffix (atomically).

    Keyword arguments go to the format's writer: for MS Project XML (:data:`DATED_FORMATS`)
    ``schedule=tpmkit.schedule(project)`` adds the computed dates (without it the tasks carry
    none); :func:`tpmkit.write` schedules for you.

    What the format cannot hold (:func:`losses`) is named in one ``TpmkitWarning`` line.

    Raises
    ------
    InputFileError
        When ``path`` is the file the project was read from (inputs are never overwritten).
    OutputFileError
        When the file cannot be written (disk full, read-only folder); the old file, if
        any, is left as it was and no partial file remains.
    """
    p = Path(path)
    module = _writer(p)
    refuse_overwrite(p, project.source, fix="write to another path")
    module.write(project, p, **kwargs)
    return p
