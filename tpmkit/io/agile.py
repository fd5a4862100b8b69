"""Reading work items (Jira CSV exports, generic CSV/Excel) for :mod:`tpmkit.agile`.

:func:`read_items` returns the raw work-item table — one row per item with ``id``, ``type``,
``status``, ``created``, ``started``, ``done``, ``points``, ``sprint``, ``resolution`` where the
file has them — and :func:`read_status_history` the transitions (``item``, ``status``,
``entered_at``). Neither validates: :func:`tpmkit.agile.items` checks the table once.

A Jira "Export → CSV (all fields)" is recognised by its ``Issue key`` and ``Summary`` columns:
``Issue Type``, ``Status``, ``Created``, ``Resolved`` (→ ``done``), ``Story Points`` (or the
custom-field variants), every repeated ``Sprint`` column (joined by ``"; "``) and
``Resolution`` are read; Jira's date text (``12/Jan/21 9:30 AM``) becomes a timestamp.
Status-change history, where an export or a time-in-status add-on writes it as one column
per status named ``Entered <Status>`` (or ``Date entered <Status>``), is read by
:func:`read_status_history`.

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

__all__ = ["read_items", "read_status_history"]

_FIELDS = {
    "id": ("issue key",), "type": ("issue type",), "status": ("status",),
    "created": ("created",), "done": ("resolved",), "resolution": ("resolution",),
    "points": ("custom field (story points)", "story points",
               "custom field (story point estimate)", "story point estimate"),
    "summary": ("summary",),
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
            out[name] = [_jira_date(v) for v in vals] if name in ("created", "done") else vals
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
    return read_table(p, sheet=sheet)
