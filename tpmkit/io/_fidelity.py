"""What a project holds, part by part, and the one warning for what a format cannot hold.

Each writer declares the parts its format keeps; :func:`lost_parts` lists the parts of a
project that hold data but are not among them, and :func:`warn_lost` issues the one
``TpmkitWarning`` line that names them (``tpmkit convert --strict`` refuses the conversion
instead). The round-trip tests check the declarations: what a format does not name as lost
is read back unchanged.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from tpmkit.errors import TpmkitWarning, format_ids

__all__ = ["PROJECT_PARTS", "SOURCE_SETTINGS", "held_parts", "lost_parts", "mixed_lag_links", "warn_lost"]

#: key → label of the project-level parts (task columns are ``task:<column>``)
PROJECT_PARTS = {
    "name": "project name", "start": "project start", "status_date": "status date",
    "deadline": "deadline", "currency": "currency", "bac": "BAC", "workweek": "work week",
    "holidays": "holidays", "duration_from": "duration_from setting",
    "risks": "risk register", "resources": "resource table", "periods": "EVM periods",
    "wbs": "WBS dictionary", "mixed_lags": "mixed lags",
    "long_cells": "text over 32,767 characters in a cell (Excel truncates it)",
    "working_times": "working hours of the project calendar", "calendars": "task calendars",
}
#: settings the readers add to describe the source file (how it was read), not project data
SOURCE_SETTINGS = frozenset({"source_format", "minutes_per_day", "hours_per_day", "calendar_name"})
_WEEKDAYS = (True, True, True, True, True, False, False)
_GROUPS = {("optimistic", "most_likely", "pessimistic"): "three-point estimates",
           ("distribution",): "distributions", ("rate",): "task rates"}


def mixed_lag_links(project: Any) -> pd.Series:
    """``predecessor→successor`` of the links with both a percent and a day lag."""
    links = project.links
    mixed = links[(links["lag"] != 0) & (links["lag_percent"] != 0)]
    return mixed["predecessor"].astype(str) + "→" + mixed["successor"].astype(str)


def held_parts(project: Any, table: pd.DataFrame | None = None) -> list[str]:
    """The keys of the parts of ``project`` that hold data (see :data:`PROJECT_PARTS`).

    ``setting:<key>`` for the free project settings (``description``, ``extra``, …; not the
    :data:`SOURCE_SETTINGS` a reader adds),
    ``task:<column>`` for the task-table columns (``id`` excepted; ``table`` is
    ``project.to_table()`` when the caller has it already).
    """
    keys = []
    if project.name and project.name != "Project":
        keys.append("name")
    keys += [k for k in ("start", "status_date", "deadline", "bac")
             if getattr(project, k) is not None]
    if project.currency:
        keys.append("currency")
    if tuple(bool(x) for x in project.calendar.weekmask) != _WEEKDAYS:
        keys.append("workweek")
    if len(project.calendar.holidays):
        keys.append("holidays")
    if project.calendar.working_times is not None or project.calendar.hours_per_day is not None:
        keys.append("working_times")
    if project.calendars:
        keys.append("calendars")
    if project.duration_from != "mean" and any(project.duration_derived):
        keys.append("duration_from")
    keys += [f"setting:{k}" for k in project.settings if k not in SOURCE_SETTINGS]
    keys += [k for k in ("risks", "resources", "periods", "wbs")
             if getattr(project, k) is not None and len(getattr(project, k))]
    if len(mixed_lag_links(project)):
        keys.append("mixed_lags")
    table = project.to_table() if table is None else table
    keys += [f"task:{c}" for c in table.columns if c != "id"]
    return keys


def lost_parts(project: Any, keeps: Iterable[str], *, target: str | os.PathLike | None = None,
               table: pd.DataFrame | None = None) -> list[str]:
    """The keys of the parts of ``project`` a format that keeps ``keeps`` drops.

    ``keeps`` holds part keys and the wildcards ``task:*`` (every task column) and
    ``setting:*`` (every free setting). A project name equal to the stem of ``target`` is
    not lost (the readers name a project after its file).
    """
    keeps = set(keeps)
    out = []
    for key in held_parts(project, table):
        if key in keeps or (key.startswith("task:") and "task:*" in keeps) \
                or (key.startswith("setting:") and "setting:*" in keeps):
            continue
        if key == "name" and target is not None and Path(target).stem == project.name:
            continue
        out.append(key)
    return out


def describe(project: Any, keys: list[str], *, mixed: str = "kept as the percent only") -> str:
    """The labels of ``keys``, task columns grouped (three-point estimates, …)."""
    labels = []
    columns = [k.split(":", 1)[1] for k in keys if k.startswith("task:")]
    for group, label in _GROUPS.items():
        if any(c in group for c in columns):
            labels.append(label)
            columns = [c for c in columns if c not in group]
    for key in keys:
        if key == "mixed_lags":
            labels.append(f"day lags of links {format_ids(mixed_lag_links(project))}, which "
                          f"have both a percent and a day lag ({mixed})")
        elif key.startswith("setting:"):
            labels.append(f"project setting {key.split(':', 1)[1]!r}")
        elif not key.startswith("task:"):
            labels.append(PROJECT_PARTS[key])
    if columns:
        labels.append(f"task column{'s' if len(columns) > 1 else ''} "
                      + format_ids(repr(c) for c in columns))
    return ", ".join(labels)


def warn_lost(project: Any, keys: list[str], path: str | os.PathLike, fmt: str, *,
              mixed: str = "kept as the percent only", stacklevel: int = 3) -> None:
    """Warn, in one line, that the ``fmt`` file ``path`` does not hold the parts ``keys``."""
    if not keys:
        return
    warnings.warn(f"{Path(path).name}: {fmt} cannot hold the {describe(project, keys, mixed=mixed)}"
                  "; they were not written (YAML and JSON keep every part)", TpmkitWarning,
                  stacklevel=stacklevel)
