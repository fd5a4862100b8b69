"""Reading work items (Jira CSV exports, generic CSV/Excel) for :mod:`tpmkit.agile`.

:func:`read_items` returns the raw work-item table — one row per item with ``id``, ``type``,
``status``, ``created``, ``started``, ``done``, ``points``, ``sprint``, ``resolution`` where the
file has them — and :func:`read_status_history` the transitions (``item``, ``status``,
``entered_at``). Neither validates: :func:`tpmkit.agile.items` checks the table once.

A Jira "Export → CSV (all fields)" is recognised by its ``Issue key`` and ``Summary`` columns:
``Issue Type``, ``Status``, ``Created``, ``Resolved`` (→ ``done``), ``Story Points`` (or the
custom-field variants), every repeated ``Sprint`` column (joined by ``"; "``) and
``Resolution`` are read; Jira's date text (``12/Jan/21 9:30 AM``) becomes a timestamp.
``Status Category`` and ``Status Category Changed`` are kept (the export's own status →
category mapping, and when an item in progress entered that category). Status-change
history is read by :func:`read_status_history` where an export has it: one column per status
named ``Entered <Status>`` (or ``Date entered <Status>``, as time-in-status add-ons write
it), or a long changelog table with ``field`` = ``status``, ``to_string`` (or ``to``) and
``created`` per change (one row per field change, as issue-history exports write it).
:func:`read_board_parts` reads an export with its history in one call, and
:func:`read_status_map` a user-editable status → category mapping file.

References
----------
Atlassian, "Export issues to CSV" (Jira Cloud documentation).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from tpmkit.errors import InputFileError
from tpmkit.io.jira import csv_rows
from tpmkit.io.tables import looks_like_jira, read_table

__all__ = ["read_board_parts", "read_items", "read_status_history", "read_status_map"]

_FIELDS = {
    "id": ("issue key",), "type": ("issue type",), "status": ("status",),
    "created": ("created",), "done": ("resolved",), "resolution": ("resolution",),
    "points": ("custom field (story points)", "story points",
               "custom field (story point estimate)", "story point estimate"),
    "summary": ("summary",), "status_category": ("status category",),
    "status_category_changed": ("status category changed",),
}
_ENTERED = re.compile(r"^(?:date\s+)?entered\s+(.+)$", re.I)
_JIRA_DATES = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%Y-%m-%d %H:%M")


def _jira_date(text: str) -> pd.Timestamp | None:
    text = text.strip()
    if not text:
        return None
    for fmt in _JIRA_DATES:
        try:
            return pd.to_datetime(text, format=fmt)
        except ValueError:
            continue
    return text  # type: ignore[return-value]  # left to the model, which names the item


def _jira_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = csv_rows(path, path.name)
    header = [h.strip().lower() for h in rows[0]]
    return header, [r for r in rows[1:] if any(c.strip() for c in r)]


def _check(path: str | os.PathLike) -> Path:
    p = Path(path)
    if not p.is_file():
        raise InputFileError(f"work items file not found: {str(p)!r}; check the path")
    return p


def read_items(path: str | os.PathLike, *, sheet: str | None = None) -> pd.DataFrame:
    """Read work items from a Jira CSV export or a generic CSV/Excel/YAML/JSON table.

    Parameters
    ----------
    path : path-like
        The file.
    sheet : str, optional
        Sheet of a workbook (default the first).

    Returns
    -------
    DataFrame
        One row per item, columns lower-cased (Jira columns renamed to ``id``, ``type``,
        ``status``, ``created``, ``done``, ``points``, ``sprint``, ``resolution``, ``summary``).
        Pass it to :func:`tpmkit.agile.items`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "jira.csv"
    >>> _ = p.write_text("Issue key,Summary,Issue Type,Status,Created,Resolved,Sprint,Sprint\\n"
    ...                  "WEB-1,Login,Story,Done,04/Jan/21 9:00 AM,08/Jan/21 5:00 PM,S1,S2\\n",
    ...                  encoding="utf-8")
    >>> read_items(p)[["id", "done", "sprint"]].to_dict("records")
    [{'id': 'WEB-1', 'done': Timestamp('2021-01-08 17:00:00'), 'sprint': 'S1; S2'}]
    """
    p = _check(path)
    if p.suffix.lower() in (".csv", ".txt") and looks_like_jira(p):
        header, rows = _jira_rows(p)
        out: dict[str, list] = {}
        for name, aliases in _FIELDS.items():
            col = next((header.index(a) for a in aliases if a in header), None)
            if col is None:
                continue
            vals = [r[col].strip() if col < len(r) else "" for r in rows]
            out[name] = ([_jira_date(v) for v in vals]
                         if name in ("created", "done", "status_category_changed") else vals)
        sprint_cols = [k for k, h in enumerate(header) if h == "sprint"]
        out["sprint"] = ["; ".join(r[k].strip() for k in sprint_cols if k < len(r) and r[k].strip())
                         for r in rows]
        return pd.DataFrame(out)
    return read_table(p, sheet=sheet)


def read_status_history(path: str | os.PathLike, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a status history: a long table or a Jira export's ``Entered <Status>`` columns.

    Returns
    -------
    DataFrame
        ``item``, ``status``, ``entered_at`` (one row per transition; empty when a Jira export
        has no such columns). Pass it as ``history=`` to :func:`tpmkit.agile.items`.
    """
    p = _check(path)
    if p.suffix.lower() in (".csv", ".txt") and looks_like_jira(p):
        header, rows = _jira_rows(p)
        key = header.index("issue key")
        records = []
        for k, h in enumerate(header):
            m = _ENTERED.match(h)
            if not m:
                continue
            status = m.group(1).strip().title()
            for r in rows:
                when = _jira_date(r[k]) if k < len(r) else None
                if when is not None:
                    records.append({"item": r[key].strip(), "status": status, "entered_at": when})
        return pd.DataFrame(records, columns=["item", "status", "entered_at"])
    return _changelog(read_table(p, sheet=sheet))


def _changelog(df: pd.DataFrame) -> pd.DataFrame:
    """A long changelog (one row per field change) → its status transitions; else as read."""
    cols = {str(c).strip().lower().replace(" ", "_"): c for c in df.columns}
    if "field" not in cols:
        return df
    key = next((cols[k] for k in ("issue_key", "key", "item", "issue", "id") if k in cols), None)
    to = next((cols[k] for k in ("to_string", "tostring", "to") if k in cols), None)
    when = next((cols[k] for k in ("created", "date", "changed", "entered_at") if k in cols), None)
    if key is None or to is None or when is None:
        raise InputFileError("status history: a changelog (with a 'field' column) needs the "
                             "issue key, 'to_string' (or 'to') and 'created' columns; add them "
                             "or give item, status, entered_at rows")
    rows = df[df[cols["field"]].astype(str).str.strip().str.lower() == "status"]
    return pd.DataFrame({"item": rows[key].astype(str).str.strip().to_numpy(),
                         "status": rows[to].astype(str).str.strip().to_numpy(),
                         "entered_at": rows[when].to_numpy()})


def read_status_map(path: str | os.PathLike, *, sheet: str | None = None) -> dict[str, str]:
    """Read a user-editable workflow mapping: one row per status with its category.

    The file (CSV, Excel, YAML or JSON table) has columns ``status`` and ``category``
    (``To do``, ``In progress`` or ``Done``); pass the result as ``status_map=`` to
    :func:`tpmkit.agile.items`, which checks the categories.

    Raises
    ------
    InputFileError
        Missing file, missing columns or a blank status or category (the message names the
        rows).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "workflow.csv"
    >>> _ = p.write_text("status,category\\nPeer review,In progress\\nShipped,Done\\n")
    >>> read_status_map(p)
    {'Peer review': 'In progress', 'Shipped': 'Done'}
    """
    df = read_table(_check(path), sheet=sheet)
    cols = {str(c).strip().lower(): c for c in df.columns}
    if not {"status", "category"} <= set(cols):
        raise InputFileError(f"status map {Path(path).name}: columns status and category are "
                             "required (one row per workflow status)")
    st = df[cols["status"]].fillna("").astype(str).str.strip()
    cat = df[cols["category"]].fillna("").astype(str).str.strip()
    blank = ((st == "") | (cat == "")).to_numpy()
    if blank.any():
        rows = ", ".join(str(i + 2) for i in blank.nonzero()[0][:5])
        raise InputFileError(f"status map {Path(path).name}: blank status or category in "
                             f"row(s) {rows}; fill them in or delete the rows")
    return dict(zip(st, cat))


def read_board_parts(path: str | os.PathLike, *, history: str | os.PathLike | None = None,
                     sprints: str | os.PathLike | None = None, sheet: str | None = None
                     ) -> dict[str, pd.DataFrame | None]:
    """The parts of a board from files: ``items``, ``history`` and ``sprints`` tables.

    The history is read from ``history`` when given, else from the export itself when it
    has status-change columns (a Jira export with ``Entered <Status>`` columns); ``None``
    otherwise. A workbook with sheets ``items`` (and optional ``history``, ``sprints``,
    ``blocked``) gives them all. Pass the result to :func:`tpmkit.agile.items`.
    """
    p = _check(path)
    parts: dict[str, pd.DataFrame | None] = {"history": None, "sprints": None}
    if p.suffix.lower() in (".xlsx", ".xlsm") and sheet is None:
        sheets = _sheet_names(p)
        if "items" in sheets:
            parts["items"] = read_table(p, sheet=sheets["items"])
            for extra in ("history", "sprints", "blocked"):
                if extra in sheets:
                    parts[extra] = read_table(p, sheet=sheets[extra])
    if "items" not in parts:
        parts["items"] = read_items(p, sheet=sheet)
        if history is None and p.suffix.lower() in (".csv", ".txt") and looks_like_jira(p):
            found = read_status_history(p)
            parts["history"] = found if len(found) else None
    if history is not None:
        parts["history"] = read_status_history(history)
    if sprints is not None:
        parts["sprints"] = read_table(sprints)
    return parts


def _sheet_names(path: Path) -> dict[str, str]:
    """Sheet names of a workbook: lower-case → as written."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return {str(n).strip().lower(): str(n) for n in wb.sheetnames}
    finally:
        wb.close()
