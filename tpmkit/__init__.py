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
from typing import Any

from tpmkit._version import __version__
from tpmkit.cpm import schedule
from tpmkit.errors import (
    CycleError,
    DataError,
    FileFormatError,
    InputFileError,
    OptionError,
    TpmkitError,
    ValidationError,
)
from tpmkit.io import read
from tpmkit.io import write as _write_file
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
    "Project",
    "TpmkitError",
    "ValidationError",
    "__version__",
    "read",
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


def write(project: Project, path: str | os.PathLike, **options: Any) -> Path:
    """Write ``project`` to ``path`` in the format of its suffix, with its computed dates.

    :func:`tpmkit.io.write` does the writing; for the formats that store computed dates (MS
    Project XML, :data:`tpmkit.io.DATED_FORMATS`) the project is scheduled first
    (``schedule=tpmkit.schedule(project)``) unless ``schedule=`` is given.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> p = read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3], "predecessors": ["", "A"]}),
    ...          start="2027-01-04")
    >>> out = write(p, pathlib.Path(tempfile.mkdtemp()) / "plan.xml")
    >>> schedule(read(out)).table["early_finish_date"].dt.date.tolist()
    [datetime.date(2027, 1, 5), datetime.date(2027, 1, 8)]
    """
    from tpmkit.io import DATED_FORMATS

    if Path(path).suffix.lower() in DATED_FORMATS and options.get("schedule") is None:
        options["schedule"] = schedule(project)
    return _write_file(project, path, **options)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"tpmkit.{name}")
    raise AttributeError(f"module 'tpmkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | _SUBMODULES)
