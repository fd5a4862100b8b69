"""Bundled sample projects and artefacts (``tpmkit.datasets.list()`` / ``load(name)``).

The files live in the top-level ``datasets/`` folder of a checkout, which is installed as
``tpmkit._datasets`` in a wheel; both layouts work. ``datasets/catalog.json`` describes
each entry.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from tpmkit.errors import InputFileError

__all__ = ["list", "load", "path", "read_source"]




def _folder() -> Path:
    here = Path(__file__).resolve().parents[1] / "datasets"
    if (here / "catalog.json").exists():
        return here
    try:
        return Path(str(resources.files("tpmkit._datasets")))
    except ModuleNotFoundError as exc:  # pragma: no cover - broken installation
        raise InputFileError("tpmkit's bundled datasets are missing; reinstall tpmkit") from exc


def _catalog() -> dict[str, dict[str, Any]]:
    return json.loads((_folder() / "catalog.json").read_text(encoding="utf-8"))


def list() -> dict[str, dict[str, Any]]:
    """The catalog: ``{name: {"file": ..., "kind": ..., "description": ...}}``.

    Examples
    --------
    >>> "software_release" in list()
    True
    """
    return _catalog()


def path(name: str) -> Path:
    """The file of a bundled dataset.

    Examples
    --------
    >>> path("software_release").name
    'software_release.yaml'
    """
    cat = _catalog()
    if name not in cat:
        raise InputFileError(f"unknown dataset {name!r}; choose one of: {', '.join(sorted(cat))}")
    return _folder() / cat[name]["file"]


def load(name: str, **settings: Any):
    """Load a bundled dataset.

    Project files give a :class:`~tpmkit.model.Project`; artefacts (``kind`` in the
    catalog: wbs, requirements, stakeholders, raci, risks, changes, estimation rounds,
    throughput history, estimates vs actuals) go through the same validation as user files
    (:func:`tpmkit.artefacts.read_artefact`) and come back as that artefact's result.

    Examples
    --------
    >>> p = load("software_release")
    >>> len(p.tasks) >= 30
    True
    """
    entry = _catalog().get(name)
    file = path(name)
    if entry.get("kind", "project") == "project":
        from tpmkit.io import read

        project = read(file, **settings)
        return project
    if entry.get("kind") == "items":  # work items: a tpmkit.agile.Board
        from tpmkit.agile import items
        from tpmkit.io import read_items, read_status_history, read_table

        folder = file.parent
        settings.setdefault("now", entry.get("now"))  # a caller's status date wins
        return items(read_items(file),
                     history=read_status_history(folder / entry["history"]) if "history" in entry else None,
                     sprints=read_table(folder / entry["sprints"]) if "sprints" in entry else None,
                     **settings)
    from tpmkit import artefacts

    kind = entry.get("kind")
    if kind in artefacts.ARTEFACTS:
        return artefacts.read_artefact(file, kind)
    import pandas as pd

    return pd.read_csv(file)  # kind "table": a plain data table


def read_source(source: str | os.PathLike, status_date: Any = None, **settings: Any):
    """Read a project file or a bundled ``sample:NAME``; return ``(project, path)``.

    The one way the command line and the report turn a FILE argument into a project.

    Parameters
    ----------
    source : path or str
        A project file in any format :func:`tpmkit.read` takes, or ``sample:NAME``.
    status_date : date, optional
        Roll the progress back to this date (:func:`tpmkit.evm.as_of`); None keeps the
        file's progress and status date.
    **settings
        Project settings passed to the reader (e.g. ``start``).

    Returns
    -------
    (Project, Path)
        The project and the file that was read (the bundled file for a sample).

    Raises
    ------
    InputFileError
        Missing file or unknown sample name.

    Examples
    --------
    >>> project, file = read_source("sample:software_release")
    >>> file.name
    'software_release.yaml'
    """
    from tpmkit.io import read

    text = str(source)
    if text.startswith("sample:"):
        name = text.split(":", 1)[1]
        project, file = load(name, **settings), path(name)
    else:
        file = Path(text)
        if not file.exists():
            raise InputFileError(f"file not found: {text!r}; check the path "
                                 "(or name a bundled sample as sample:NAME)")
        project, file = read(file, **settings), file.resolve()
    if status_date is not None:
        # every caller given a status date sees the progress of that date
        from tpmkit.evm import as_of

        project = as_of(project, status_date)
    return project, file
