"""tpmkit — a Jupyter-based toolkit for technical project management.

The front door: ``tpmkit.read(path_or_dataframe, **settings)`` gives a validated
:class:`~tpmkit.model.Project`; ``tpmkit.schedule(project)`` gives the CPM table;
``tpmkit.write(project, path)`` writes any supported format (with the computed dates). The
computation modules (``cpm``, ``pert``, ``risk``, ``evm``, ``resources``, ``compression``,
``ccpm``, ``health``, ``scope``, ``estimate``, ``agile``) are importable as attributes
(``tpmkit.risk.simulate``) and load on first use. ``import tpmkit`` never imports matplotlib or Jupyter.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tpmkit._version import __version__
from tpmkit.errors import (
    CycleError,
    DataError,
    FileFormatError,
    InputFileError,
    OptionError,
    OutputFileError,
    TpmkitError,
    ValidationError,
)
from tpmkit.messages import readable_warnings

if TYPE_CHECKING:  # loaded on first use (``tpmkit --version`` must not import pandas)
    from tpmkit.cpm import schedule
    from tpmkit.model import Project
    from tpmkit.model.calendar import Calendar
    from tpmkit.versions import show_versions

__all__ = [
    "Calendar",
    "CycleError",
    "DataError",
    "FileFormatError",
    "InputFileError",
    "OptionError",
    "OutputFileError",
    "Project",
    "TpmkitError",
    "ValidationError",
    "__version__",
    "read",
    "readable_warnings",
    "schedule",
    "show_versions",
    "write",
]

# Submodules reachable as attributes without importing them all up front.
_SUBMODULES = {
    "agile", "artefacts", "baselines", "ccpm", "change_control", "closure", "compression", "course", "cpm", "datasets", "errors", "estimate",
    "evm", "health", "io", "model", "pert", "plot", "quality", "report", "resources", "risk", "scope",
    "widgets",
}
_SUBMODULES |= {"comms", "logs"}  # issue/action/decision logs; communication plan


# Front-door names loaded on first use: ``import tpmkit`` (and so ``tpmkit --version``) imports
# neither numpy nor pandas.
_LAZY = {"schedule": ("tpmkit.cpm", "schedule"), "Project": ("tpmkit.model", "Project"),
         "Calendar": ("tpmkit.model.calendar", "Calendar"),
         "show_versions": ("tpmkit.versions", "show_versions")}

#: The prefix that names a bundled sample instead of a file: ``read("sample:software_release")``.
SAMPLE_PREFIX = "sample:"


def read(source: Any, **settings: Any) -> Project:
    """Read a project from a file, a bundled ``sample:NAME``, a DataFrame or a mapping.

    :func:`tpmkit.io.read` does the reading; ``"sample:NAME"`` names a bundled sample
    (``tpmkit.datasets.list()``), as on the command line. ``settings`` (``start``,
    ``status_date``, ``deadline``, ``calendar``, …) override the file's project settings.

    Examples
    --------
    >>> import tpmkit
    >>> len(tpmkit.read("sample:software_release").tasks)
    38
    """
    if isinstance(source, str) and source.startswith(SAMPLE_PREFIX):
        from tpmkit import datasets

        name = source[len(SAMPLE_PREFIX):]
        path = datasets.path(name)
        kind = datasets.list()[name].get("kind", "project")
        if kind != "project":
            raise InputFileError(f"sample {name!r} is a {kind} table, not a project; load it "
                                 f"with tpmkit.datasets.load({name!r})")
        source = path
    from tpmkit.io import read as read_file

    return read_file(source, **settings)


def write(project: Project, path: str | os.PathLike, **options: Any) -> Path:
    """Write ``project`` to ``path`` in the format of its suffix, with its computed dates.

    :func:`tpmkit.io.write` does the writing; for the formats that store computed dates (MS
    Project XML, :data:`tpmkit.io.DATED_FORMATS`) the project is scheduled first
    (``schedule=tpmkit.schedule(project)``) unless ``schedule=`` is given.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> from tpmkit import read, schedule
    >>> p = read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3], "predecessors": ["", "A"]}),
    ...          start="2027-01-04")
    >>> out = write(p, pathlib.Path(tempfile.mkdtemp()) / "plan.xml")
    >>> schedule(read(out)).table["early_finish_date"].dt.date.tolist()
    [datetime.date(2027, 1, 5), datetime.date(2027, 1, 8)]
    """
    from tpmkit.cpm import schedule
    from tpmkit.io import DATED_FORMATS
    from tpmkit.io import write as write_file

    if Path(path).suffix.lower() in DATED_FORMATS and options.get("schedule") is None:
        options["schedule"] = schedule(project)
    return write_file(project, path, **options)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"tpmkit.{name}")
    raise AttributeError(f"module 'tpmkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | _SUBMODULES)
