"""Validators of the project parts beside the task table: resources, risks, periods, WBS dictionary.

Each returns the part with canonical snake_case column names, checked types and ranges, and
ids checked against the tasks, so consumers read canonical columns and never re-parse:

* ``resources``: the id column is ``id`` (``resource``/``name``/an ``id``/``resource`` index
  are accepted and renamed); ids unique and non-blank; ``capacity`` [units per working day]
  and ``rate`` [currency per unit per working day] numbers ≥ 0 (blank stays NaN: no limit /
  no rate — the consumer chooses the default); ``workweek``/``holidays`` readable by the ONE
  calendar parsers. Assigned resources the table does not list are allowed (levelling
  treats them as unconstrained; :func:`tpmkit.resources.resource_table` refuses them).
* ``risks``: the id column is ``id`` (``risk``/``risk_id`` accepted); ids unique and non-blank.
  The register's own rules (probabilities, three points, bands) are
  :func:`tpmkit.risk.register.normalize_register`'s.
* ``periods``: ``period`` whole numbers, ``date`` readable dates, ``pv``/``ev``/``ac``/``bac``
  numbers; a task-level status history (``task`` column) names known tasks.
* ``wbs``: codes kept as text (``1.10`` is not ``1.1``) and checked by the ONE WBS grammar.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.model.calendar import parse_holidays, parse_workweek
from tpmkit.model.columns import is_blank, normalise_columns, text_column
from tpmkit.model.wbs import malformed_codes

__all__ = ["check_periods", "check_resources", "check_risks", "check_wbs_dictionary", "frame"]

_RESOURCE_ID = ("id", "resource", "resource_id", "name")
_RISK_ID = ("id", "risk", "risk_id")


def frame(obj: object) -> pd.DataFrame | None:
    """A part as a DataFrame with snake_case columns; None for a missing or empty part."""
    if obj is None:
        return None
    df = obj if isinstance(obj, pd.DataFrame) else pd.DataFrame(obj)
    if df.empty and len(df.columns) == 0:
        return None
    return normalise_columns(df, aliases=False)


def _id_column(df: pd.DataFrame, names: tuple[str, ...], what: str, one: str) -> pd.DataFrame:
    """Rename the first of ``names`` (column or index name) to ``id`` and check the ids."""
    if "id" not in df.columns:
        for alt in names:
            if alt in df.columns:
                df = df.rename(columns={alt: "id"})
                break
        else:
            if df.index.name in names:
                df = df.reset_index().rename(columns={df.index.name: "id"})
            else:
                raise ValidationError(f"the {what} table has no id column (columns: "
                                      f"{format_ids(df.columns, 8)}); add a column 'id' naming "
                                      f"each {one}")
    blank = is_blank(df["id"])
    if blank.any():
        rows = (np.flatnonzero(blank.to_numpy()) + 1).tolist()
        raise ValidationError(f"the {what} table has no id in row(s) {format_ids(rows)}; "
                              f"give every row an id")
    df["id"] = text_column(df["id"]).astype(object)
    dup = pd.unique(df["id"][df["id"].duplicated()])
    if len(dup):
        raise ValidationError(f"duplicate {one} ids: {format_ids(dup)}; give each {one} one row")
    return df.reset_index(drop=True)


def check_resources(obj: object) -> pd.DataFrame | None:
    """Validate the resources table (see the module docstring)."""
    df = frame(obj)
    if df is None:
        return None
    df = _id_column(df, _RESOURCE_ID, "resources", "resource")
    for col in ("capacity", "rate"):
        if col not in df.columns:
            continue
        values = pd.to_numeric(df[col], errors="coerce")
        bad = (~is_blank(df[col]) & values.isna()) | (values < 0) | np.isinf(values)
        if bad.any():
            raise ValidationError(
                f"resource {col} must be a number >= 0; bad for {format_ids(df['id'][bad])}; "
                f"fix the {col} column of the resources table")
        df[col] = values.astype(float)
    for rid, week, hol in zip(df["id"], df.get("workweek", [None] * len(df)),
                              df.get("holidays", [None] * len(df)), strict=True):
        if isinstance(week, str | list | tuple) and len(week) and str(week).strip():
            parse_workweek(week, f"resource {rid} (workweek)")
        if hol is not None and not (isinstance(hol, float) and np.isnan(hol)):
            parse_holidays(hol, f"resource {rid}")
    return df


def check_risks(obj: object) -> pd.DataFrame | None:
    """Validate the risk register's ids (see the module docstring)."""
    df = frame(obj)
    if df is None:
        return None
    return _id_column(df, _RISK_ID, "risks", "risk")


def check_periods(obj: object, task_ids: pd.Index) -> pd.DataFrame | None:
    """Validate the period table's numbers, dates and task ids (see the module docstring)."""
    df = frame(obj)
    if df is None:
        return None
    for col in ("pv", "ev", "ac", "bac", "period", "percent_complete", "actual_cost"):
        if col not in df.columns or pd.api.types.is_numeric_dtype(df[col]):
            continue
        blank = is_blank(df[col])
        values = pd.to_numeric(df[col].where(~blank), errors="coerce")
        bad = ~blank & values.isna()
        if bad.any():
            rows = (np.flatnonzero(bad.to_numpy()) + 1).tolist()
            raise ValidationError(f"column '{col}' of the periods table is not a number in "
                                  f"row(s) {format_ids(rows)}; write plain numbers")
        df[col] = values.astype(float)
    if "date" in df.columns and not pd.api.types.is_datetime64_any_dtype(df["date"]):
        blank = is_blank(df["date"])
        dates = pd.to_datetime(df["date"].where(~blank), errors="coerce", format="mixed")
        bad = ~blank & dates.isna()
        if bad.any():
            rows = (np.flatnonzero(bad.to_numpy()) + 1).tolist()
            raise ValidationError(f"unreadable date in row(s) {format_ids(rows)} of the periods "
                                  "table; write dates as YYYY-MM-DD")
        df["date"] = dates
    if "task" in df.columns and len(task_ids):
        task = text_column(df["task"])
        unknown = pd.unique(task[(task != "") & ~task.isin(task_ids)])
        if len(unknown):
            raise ValidationError(f"the periods table names unknown task(s) {format_ids(unknown)}; "
                                  "use the ids of the task table")
    return df


def check_wbs_dictionary(obj: object) -> pd.DataFrame | None:
    """The WBS dictionary part: codes kept as text and checked by the WBS grammar."""
    df = frame(obj)
    if df is None:
        return None
    if "wbs" not in df.columns:
        raise ValidationError("the 'wbs' table needs a 'wbs' column with the WBS codes "
                              "(e.g. 1, 1.2) and usually a 'name' column")
    df["wbs"] = text_column(df["wbs"])
    bad = malformed_codes(df["wbs"])
    if bad.any():
        raise ValidationError(f"malformed WBS code(s) {format_ids(df['wbs'][bad].unique())} in the "
                              "WBS dictionary; write codes like 1.2.3 (levels of letters and digits)")
    return df
