"""tpmkit — a Jupyter-based toolkit for technical project management.

The front door: ``tpmkit.read(path_or_dataframe, **settings)`` gives a validated
:class:`~tpmkit.model.Project`; ``tpmkit.schedule(project)`` gives the CPM table. The
computation modules (``cpm``, ``pert``, ``risk``, ``evm``, ``resources``, ``compression``,
``ccpm``, ``health``, ``scope``, ``estimate``) are importable as attributes (``tpmkit.risk.simulate``) and
load on first use. ``import tpmkit`` never imports matplotlib or Jupyter.
"""

from __future__ import annotations

import importlib
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
]

# Submodules reachable as attributes without importing them all up front.
_SUBMODULES = {
    "artefacts", "ccpm", "compression", "course", "cpm", "datasets", "errors", "estimate", "evm",
    "health", "io", "model", "pert", "plot", "report", "resources", "risk", "scope", "widgets",
}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"tpmkit.{name}")
    raise AttributeError(f"module 'tpmkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | _SUBMODULES)
