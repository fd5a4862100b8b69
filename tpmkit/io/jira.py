"""Jira CSV export import (issues → backlog items / tasks).

Jira's "Export → CSV (all fields)" writes one row per issue with RFC 4180 quoting, the
same column name repeated for multi-value fields (``Labels,Labels,Sprint,Sprint``) and
link columns such as ``Inward issue link (Blocks)`` (issues that block this one) and
``Outward issue link (Blocks)`` (issues this one blocks). :func:`read_parts` turns that
into a task table:

* ``id`` = ``Issue key``, ``name`` = ``Summary``;
* ``duration`` [working days] from ``Original Estimate`` (seconds, or Jira text such as
  ``1w 2d 4h``) at ``hours_per_day`` (default 8) and 5-day weeks, else from the story
  points times ``days_per_point`` when given;
* ``predecessors`` from "blocks / is blocked by" (and "Dependency"/"depends on") links
  between issues of the export, as finish-to-start links;
* ``percent_complete`` 100 for resolved issues (``Resolved`` date, or a status such as
  Done/Closed/Resolved), else 0;
* extra columns ``issue_type``, ``status``, ``priority``, ``assignee``, ``story_points``,
  ``sprint``, ``labels``, ``epic``, ``created``, ``resolved`` (multi-values joined by
  ``"; "``).

References
----------
Atlassian, "Export issues to CSV" (Jira Cloud documentation); RFC 4180, "Common Format
and MIME Type for Comma-Separated Values (CSV) Files".
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from tpmkit.errors import FileFormatError, format_ids
from tpmkit.io._xml import read_text, safe_ids, task_frame

__all__ = ["read_parts"]

_DONE = {"done", "closed", "resolved", "complete", "completed", "fertig", "erledigt"}
_STORY_POINTS = ("custom field (story points)", "story points",
                 "custom field (story point estimate)", "story point estimate")
_TIME = re.compile(r"(\d+(?:[.,]\d+)?)\s*(w|d|h|m)\b", re.I)


def read_parts(path: str | os.PathLike, *, max_bytes: int | None = None,
               hours_per_day: float = 8.0, days_per_point: float | None = None,
               **settings: Any) -> dict[str, Any]:
    """Read a Jira CSV export into the parts of a tpmkit project.

    Parameters
    ----------
    path : path-like
        The CSV file (detected by its ``Issue key`` and ``Summary`` columns).
    max_bytes : int, optional
        Size limit [bytes].
    hours_per_day : float, default 8
        Working hours per day for converting time estimates [h/day].
    days_per_point : float, optional
        Working days per story point, used for issues without a time estimate.
    **settings
        Accepted for the front door's protocol (applied by the model).

    Returns
    -------
    dict
        ``tasks`` and ``warnings`` (plus an empty ``project`` dict: a Jira export has no
        calendar or start date — give them as settings).

    Raises
    ------
    FileFormatError
        The header lacks ``Issue key``/``Summary``, a row cannot be parsed (the message
        names the line), or an estimate is not a number.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "jira.csv"
    >>> _ = p.write_text("Issue key,Summary,Original Estimate,Inward issue link (Blocks)\\n"
    ...                  "WEB-1,Design,57600,\\nWEB-2,Build,86400,WEB-1\\n", encoding="utf-8")
    >>> read_parts(p)["tasks"][["id", "duration", "predecessors"]].to_dict("records")
    [{'id': 'WEB-1', 'duration': 2.0, 'predecessors': ''}, {'id': 'WEB-2', 'duration': 3.0, 'predecessors': 'WEB-1'}]
    """
    name = str(path)
    if not hours_per_day or hours_per_day <= 0:
        raise FileFormatError(f"hours_per_day must be a positive number of hours, not "
                              f"{hours_per_day!r}")
    rows, header = _csv_rows(path, name, max_bytes)
    cols = _Columns([h.lower() for h in header])
    inward = [h for h in cols.index if h.startswith("inward issue link (") and
              re.search(r"block|depend", h)]
    outward = [h for h in cols.index if h.startswith("outward issue link (") and
               re.search(r"block|depend", h)]
    warnings: list[str] = []
    issues = _issues(rows, header, cols, name)
    keys0 = [k for _, k, _ in issues]
    ids, w = safe_ids(keys0, "issue")
    warnings += w
    id_of = dict(zip(keys0, ids))
    preds = _predecessors(issues, id_of, cols, inward, outward, warnings)
    rows_out, no_estimate, pairs = _issue_rows(issues, id_of, preds, cols, hours_per_day,
                                               days_per_point, name)
    if no_estimate:
        fix = ("pass days_per_point=... to size them from their story points"
               if days_per_point is None else "add an Original Estimate or story points")
        warnings.append(f"issues {format_ids(no_estimate)} have no time estimate; their "
                        f"duration was set to 0 working days ({fix})")
    if not rows_out:
        warnings.append("the export holds no issues")
    tasks = task_frame(rows_out)
    links = pd.DataFrame({"predecessor": [p for t, p in pairs], "successor": [t for t, p in pairs],
                          "type": "FS", "lag": 0.0, "lag_percent": 0.0})
    return {"tasks": tasks, "links": links,
            "project": {"name": Path(name).stem, "source_format": "jira",
                        "hours_per_day": float(hours_per_day)},
            "warnings": warnings}


def csv_rows(path: str | os.PathLike, name: str,
             max_bytes: int | None = None) -> list[list[str]]:
    """The rows of a Jira CSV export (``;`` or ``,`` separated, sniffed from the header line)."""
    text = read_text(path, max_bytes)
    first = text.splitlines()[0] if text.strip() else ""
    sep = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True))
    except csv.Error as exc:
        raise FileFormatError(f"{name}: not a valid CSV file ({exc}); check the quoting of the "
                              "row it names or export the issues again") from None
    if not rows:
        raise FileFormatError(f"{name}: the file is empty; export the issues from Jira as CSV")
    return rows


def _csv_rows(path: str | os.PathLike, name: str,
              max_bytes: int | None) -> tuple[list[list[str]], list[str]]:
    """The CSV rows and the stripped header of a Jira issue export (key and summary needed)."""
    rows = csv_rows(path, name, max_bytes)
    header = [h.strip() for h in rows[0]]
    lower = [h.lower() for h in header]
    for need in ("issue key", "summary"):
        if need not in lower:
            raise FileFormatError(f"{name}: line 1: column {need.title()!r} is missing; this is "
                                  "not a Jira issue export (use Export → CSV (all fields))")
    return rows, header


class _Columns:
    """Column positions by lower-case header; Jira repeats a column for each value."""

    def __init__(self, lower: list[str]):
        self.index: dict[str, list[int]] = {}
        for k, h in enumerate(lower):
            self.index.setdefault(h, []).append(k)

    def values(self, row: list[str], *names: str) -> list[str]:
        out = []
        for nm in names:
            for k in self.index.get(nm, []):
                if k < len(row) and row[k].strip():
                    out.append(row[k].strip())
        return out

    def first(self, row: list[str], *names: str) -> str:
        v = self.values(row, *names)
        return v[0] if v else ""


def _issues(rows: list[list[str]], header: list[str], cols: _Columns,
            name: str) -> list[tuple[int, str, list[str]]]:
    """(line, issue key, row) of every non-empty row."""
    issues = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise FileFormatError(f"{name}: line {n}: {len(row)} values but {len(header)} "
                                  "columns; a field with a comma must be quoted")
        key = cols.first(row, "issue key")
        if not key:
            raise FileFormatError(f"{name}: line {n}: column 'Issue key' is empty; every "
                                  "issue needs its key")
        issues.append((n, key, row))
    return issues


def _predecessors(issues: list[tuple[int, str, list[str]]], id_of: dict[str, str],
                  cols: _Columns, inward: list[str], outward: list[str],
                  warnings: list[str]) -> dict[str, list[str]]:
    """Each issue's predecessor keys from the blocking/dependency links of both directions."""
    preds: dict[str, list[str]] = {k: [] for _, k, _ in issues}
    outside: list[str] = []
    for _, key, row in issues:
        for other in cols.values(row, *inward):
            (preds[key].append(other) if other in id_of else outside.append(f"{other}→{key}"))
        for other in cols.values(row, *outward):
            if other in id_of:
                preds[other].append(key)
            else:
                outside.append(f"{key}→{other}")
    if outside:
        warnings.append(f"links to issues that are not in the export were dropped: "
                        f"{format_ids(outside)}")

    return preds


def _seconds(name: str, hours_per_day: float, v: str, n: int, col: str) -> float:
    """A Jira time estimate (seconds, or text such as ``1w 2d 4h``) [s]."""
    if not v:
        return math.nan
    try:
        return float(v.replace(",", "."))
    except ValueError:
        parts = _TIME.findall(v)
        if not parts:
            raise FileFormatError(f"{name}: line {n}: column {col!r}: {v!r} is not a time "
                                  "estimate (seconds, or text such as 1w 2d 4h)") from None
        scale = {"w": 5 * hours_per_day * 3600, "d": hours_per_day * 3600, "h": 3600,
                 "m": 60}
        return sum(float(x.replace(",", ".")) * scale[u.lower()] for x, u in parts)


def _issue_rows(issues: list[tuple[int, str, list[str]]], id_of: dict[str, str],
                preds: dict[str, list[str]], cols: _Columns, hours_per_day: float,
                days_per_point: float | None, name: str
                ) -> tuple[list[dict[str, Any]], list[str], list[tuple[str, str]]]:
    """One task row per issue, the keys without an estimate, (successor, predecessor) pairs."""
    rows_out, no_estimate = [], []
    pairs: list[tuple[str, str]] = []  # (successor, predecessor) task ids, in file order
    for n, key, row in issues:
        est = _seconds(name, hours_per_day, cols.first(row, "original estimate", "σ original estimate"), n,
                      "Original Estimate")
        sp_text = cols.first(row, *_STORY_POINTS)
        try:
            sp = float(sp_text.replace(",", ".")) if sp_text else math.nan
        except ValueError:
            raise FileFormatError(f"{name}: line {n}: column 'Story Points': {sp_text!r} is "
                                  "not a number") from None
        if not math.isnan(est):
            duration = est / 3600.0 / hours_per_day
        elif days_per_point is not None and not math.isnan(sp):
            duration = sp * float(days_per_point)
        else:
            duration = 0.0
            no_estimate.append(key)
        status = cols.first(row, "status")
        resolved = cols.first(row, "resolved")
        done = bool(resolved) or status.lower() in _DONE
        pairs.extend((id_of[key], id_of[p]) for p in dict.fromkeys(preds[key]))
        rows_out.append({
            "id": id_of[key], "name": cols.first(row, "summary"), "duration": duration,
            "predecessors": "; ".join(dict.fromkeys(id_of[p] for p in preds[key])),
            "percent_complete": 100.0 if done else 0.0,
            "issue_type": cols.first(row, "issue type"), "status": status,
            "priority": cols.first(row, "priority"),
            "assignee": cols.first(row, "assignee"), "story_points": sp,
            "sprint": "; ".join(cols.values(row, "sprint")),
            "labels": "; ".join(cols.values(row, "labels")),
            "epic": cols.first(row, "custom field (epic link)", "parent", "parent id",
                                "epic link"),
            "created": cols.first(row, "created"), "resolved": resolved,
            "time_spent_days": _seconds(name, hours_per_day, cols.first(row, "time spent"), n, "Time Spent")
            / 3600.0 / hours_per_day,
        })
    return rows_out, no_estimate, pairs
