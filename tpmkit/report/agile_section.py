"""The agile section of the status report: flow metrics and forecasts of the project's work items.

:func:`build_agile_section` finds the work items — a ``--items FILE`` given to ``tpmkit report``,
else an ``items`` part of the project file itself (a workbook sheet ``items``, a YAML/JSON key
``items``, a bundled sample of kind ``items``) — and computes everything the report notebook
shows into an :class:`AgileSection`: key figures, cycle-time percentiles by type, aging WIP,
velocity, the Monte Carlo "when will the open items be done" and "how many by the deadline"
forecasts, and the tables the charts draw. The notebook only formats and plots its fields.
No work items → ``None`` (the report then has no agile section).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from tpmkit import agile
from tpmkit.errors import DataError

__all__ = ["AgileSection", "build_agile_section", "items_source"]

_AGING_ROWS = 10


@dataclass(frozen=True)
class AgileSection:
    """Everything the report's agile section shows (:func:`build_agile_section`).

    Attributes
    ----------
    source : str
        Where the work items came from (file name and part).
    board : Board
    figures : DataFrame
        Indexed by ``figure`` (``items``, ``done``, ``in_progress``, ``to_do``,
        ``throughput_per_week``, ``cycle_time_p50``, ``cycle_time_p85``, ``wip``,
        ``aging_above_p85``, ``flow_efficiency``): ``value`` (unrounded) and ``unit``.
    cycle_time : DataFrame
        :func:`tpmkit.agile.cycle_time_percentiles` (all items, then by type).
    aging : DataFrame
        The oldest items in progress (at most 10), :func:`tpmkit.agile.aging_wip` columns.
    velocity : DataFrame or None
        :func:`tpmkit.agile.velocity` when the items carry sprints.
    when : Forecast or None
        When the open items will be done (None when nothing is done yet or nothing is open).
    how_many : Forecast or None
        Items done by the project deadline (None without a deadline after the status date).
    cycle_times, cumulative_flow : DataFrame
        Inputs of the cycle-time scatter and the cumulative flow diagram.
    littles_law : LittlesLaw
    """

    source: str
    board: agile.Board
    figures: pd.DataFrame
    cycle_time: pd.DataFrame
    aging: pd.DataFrame
    velocity: pd.DataFrame | None
    when: agile.Forecast | None
    how_many: agile.Forecast | None
    cycle_times: pd.DataFrame
    cumulative_flow: pd.DataFrame
    littles_law: agile.LittlesLaw

    @property
    def open_items(self) -> int:
        """Items not done [items]."""
        return int((self.board.table["category"] != "Done").sum())


def _embedded(path: Path) -> dict[str, Any] | None:
    """The ``items`` part (and history, sprints, blocked) of a project file, if it has one."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from tpmkit.io import read_board_parts

        return read_board_parts(path) if _has_sheet_items(path) else None
    if suffix in (".yaml", ".yml", ".json"):
        text = path.read_text(encoding="utf-8")
        if suffix == ".json":
            doc = json.loads(text)
        else:
            import yaml

            doc = yaml.safe_load(text)
        if isinstance(doc, dict) and doc.get("items"):
            return {k: doc[k] for k in ("items", "history", "sprints", "blocked") if k in doc}
    return None


def _has_sheet_items(path: Path) -> bool:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return any(str(n).strip().lower() == "items" for n in wb.sheetnames)
    finally:
        wb.close()


def items_source(project_file: str | os.PathLike, items: str | os.PathLike | None = None
                 ) -> tuple[dict[str, Any], str] | None:
    """Find the work items for a report: ``items`` when given, else the project file's own.

    Returns
    -------
    (dict, str) or None
        The board parts for :func:`tpmkit.agile.items` and a description of their source;
        None when the project file holds no work items and none were given.
    """
    from tpmkit import datasets
    from tpmkit.io import read_board_parts

    if items is not None:
        text = str(items)
        if text.startswith("sample:"):
            name = text[len("sample:"):]
            entry = datasets.list().get(name, {})
            if entry.get("kind") != "items":
                from tpmkit.errors import InputFileError

                raise InputFileError(f"sample {name!r} holds no work items; use "
                                     "--items sample:agile_board or a Jira/CSV export")
            return _sample_parts(name), text
        return read_board_parts(items), Path(items).name
    text = str(project_file)
    if text.startswith("sample:"):
        name = text[len("sample:"):]
        if datasets.list().get(name, {}).get("kind") == "items":
            return _sample_parts(name), text
        path = datasets.path(name)
    else:
        path = Path(project_file)
    parts = _embedded(path)
    return None if parts is None else (parts, f"{path.name} (items)")


def _sample_parts(name: str) -> dict[str, Any]:
    from tpmkit import datasets
    from tpmkit.io import read_board_parts

    entry = datasets.list()[name]
    folder = datasets.path(name).parent
    parts = read_board_parts(folder / entry["file"],
                             history=folder / entry["history"] if entry.get("history") else None,
                             sprints=folder / entry["sprints"] if entry.get("sprints") else None)
    parts["now"] = entry.get("now")
    return parts


def _figures(board: agile.Board, ct: pd.DataFrame, aging: pd.DataFrame) -> pd.DataFrame:
    t = board.table
    tp = agile.throughput(board, freq="week")
    try:
        efficiency = agile.flow_efficiency(board).efficiency
    except DataError:
        efficiency = float("nan")
    rows = [
        ("items", len(t), "items"),
        ("done", int((t["category"] == "Done").sum()), "items"),
        ("in_progress", int((t["category"] == "In progress").sum()), "items"),
        ("to_do", int((t["category"] == "To do").sum()), "items"),
        ("throughput_per_week", float(tp.iloc[-7:-1].mean()) if len(tp) > 1 else float(tp.mean()),
         "items per week (last six full weeks)"),
        ("cycle_time_p50", float(ct.loc["all", "p50"]), "days"),
        ("cycle_time_p85", float(ct.loc["all", "p85"]), "days"),
        ("wip", int(agile.wip(board).iloc[-1]), "items"),
        ("aging_above_p85", int((aging["exceeds"] >= 85).sum()), "items"),
        ("flow_efficiency", efficiency, "share of cycle time not blocked"),
    ]
    return pd.DataFrame([r[1:] for r in rows], columns=["value", "unit"],
                        index=pd.Index([r[0] for r in rows], name="figure"))


def build_agile_section(project_file: str | os.PathLike, items: str | os.PathLike | None = None,
                        *, status_date: Any = None, deadline: Any = None, seed: int = 2027,
                        trials: int = 10_000) -> AgileSection | None:
    """Compute the report's agile section, or None when there are no work items.

    Parameters
    ----------
    project_file : path or str
        The report's project file (or ``sample:NAME``).
    items : path or str, optional
        Work items file (Jira CSV export, CSV/XLSX table or ``sample:NAME``); default the
        project file's own ``items`` part.
    status_date : date-like, optional
        Status date of the board (default: the items' latest date, or the sample's).
    deadline : date-like, optional
        Project deadline: adds "how many items by then".
    seed : int
        Random seed of both forecasts (the same seed reproduces them).
    trials : int
        Monte Carlo trials.

    Returns
    -------
    AgileSection or None

    Raises
    ------
    ValidationError, InputFileError
        Bad work items (the usual one-line messages of :func:`tpmkit.agile.items`).

    Examples
    --------
    >>> s = build_agile_section("sample:software_release", "sample:agile_board", trials=200)
    >>> int(s.figures.loc["items", "value"]), s.when.table.index[0]
    (448, 'P50')
    >>> build_agile_section("sample:software_release") is None
    True
    """
    found = items_source(project_file, items)
    if found is None:
        return None
    parts, source = found
    now = parts.pop("now", None) if status_date is None else status_date
    board = agile.items(parts, now=now)
    ct = agile.cycle_time_percentiles(board)
    aging = agile.aging_wip(board).sort_values("age", ascending=False, kind="stable")
    velocity = agile.velocity(board) if (board.table["sprint"] != "").any() else None
    done = int((board.table["category"] == "Done").sum())
    open_items = len(board) - done
    when = (agile.when(board, open_items, rng=seed, trials=trials)
            if done and open_items else None)
    how_many = None
    if deadline is not None and done and pd.Timestamp(deadline).normalize() > board.now:
        how_many = agile.how_many(board, deadline, rng=seed, trials=trials)
    return AgileSection(
        source=source, board=board, figures=_figures(board, ct, aging), cycle_time=ct,
        aging=aging.head(_AGING_ROWS), velocity=velocity, when=when, how_many=how_many,
        cycle_times=agile.cycle_times(board), cumulative_flow=agile.cumulative_flow(board),
        littles_law=agile.littles_law(board))
