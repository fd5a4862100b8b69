"""Bundled sample projects and artefacts (``tpmkit.datasets.list()`` / ``load(name)``).

The files live in the top-level ``datasets/`` folder of a checkout, which is installed as
``tpmkit._datasets`` in a wheel; both layouts work. ``datasets/catalog.json`` describes
each entry.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from tpmkit.errors import InputFileError

__all__ = ["list", "load", "path"]




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
    (:func:`tpmkit.scope.read_artefact`) and come back as that artefact's result.

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
    from tpmkit import scope

    kind = entry.get("kind")
    if kind in scope.ARTEFACTS:
        return scope.read_artefact(file, kind)
    import pandas as pd

    return pd.read_csv(file)  # kind "table": a plain data table
