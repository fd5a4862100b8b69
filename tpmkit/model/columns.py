"""Column helpers shared by the validators: names, blanks, text, numbers and dates."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids, quote
from tpmkit.model.calendar import parse_date_column

__all__ = ["ID_PATTERN", "column_name", "is_blank", "normalise_columns", "text_column", "to_dates", "to_number"]

#: a task id: letters, digits, ``_``, ``-``, ``.``
ID_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]+$")

#: column-name aliases of the task table
ALIASES = {
    "task": "id", "task_id": "id", "activity": "id", "activity_id": "id", "key": "id",
    "description": "name", "task_name": "name", "title": "name",
    "dur": "duration", "days": "duration",
    "o": "optimistic", "a": "optimistic", "min": "optimistic", "best": "optimistic",
    "m": "most_likely", "ml": "most_likely", "likely": "most_likely", "mode": "most_likely",
    "p": "pessimistic", "b": "pessimistic", "max": "pessimistic", "worst": "pessimistic",
    "predecessor": "predecessors", "preds": "predecessors", "depends_on": "predecessors",
    "percent": "percent_complete", "complete": "percent_complete", "pct_complete": "percent_complete",
    "progress": "percent_complete",
}



def is_blank(s: pd.Series) -> pd.Series:
    """True where a cell is missing or holds only whitespace."""
    na = s.isna()
    if na.all() or pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
        return na
    return pd.Series(strip(s) == "", index=s.index)


def strip(s: pd.Series) -> np.ndarray:
    """Stripped strings as a numpy array ('' for missing), vectorised in C (numpy.strings)."""
    arr = s.to_numpy(dtype=object, na_value="")
    return np.strings.strip(arr.astype(str)) if len(arr) else arr.astype(str)


def text_column(s: pd.Series) -> pd.Series:
    """Strings, stripped, '' for missing; whole floats lose their '.0' (ids like 3.0)."""
    if s.isna().all():
        return pd.Series("", index=s.index, dtype=object)
    if pd.api.types.is_float_dtype(s):
        whole = s.notna() & (s % 1 == 0)
        out = s.astype(object).where(s.notna(), "")
        out[whole] = s[whole].astype(np.int64).astype(str)
        return out.astype(str)
    if pd.api.types.is_numeric_dtype(s):
        return s.astype(str)
    return pd.Series(strip(s).astype(object), index=s.index)


def to_number(df: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` as floats (decimal comma, trailing ``%``/``d`` accepted; blank is NaN).

    Raises ``ValidationError`` naming the tasks whose cell is not a number.
    """
    raw = df[col]
    if pd.api.types.is_numeric_dtype(raw):
        return raw.astype(float)
    blank = is_blank(raw)
    num = pd.to_numeric(raw.where(~blank).astype(str).str.strip().str.replace(",", ".", regex=False)
                         .str.rstrip("%d").str.strip(),
                         errors="coerce")
    bad = num.isna() & ~blank
    if bad.any():
        ids = df.index[bad]
        raise ValidationError(
            f"column '{col}' is not a number for task(s) {format_ids(ids)} "
            f"(e.g. {raw[bad].iloc[0]!r}); write a plain number such as 5 or 2.5")
    return num.astype(float)


def to_dates(df: pd.DataFrame, col: str, **date_rule: Any) -> pd.Series:
    """Column ``col`` as dates at midnight, read with one rule for the column.

    ``date_rule`` (``dayfirst``, ``date_format``) is passed to
    :func:`tpmkit.model.calendar.parse_date_column`; blank is NaT.
    """
    raw = df[col]
    if raw.isna().all():
        return pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    if pd.api.types.is_datetime64_any_dtype(raw):
        out = raw
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)
        return out.dt.normalize()
    blank = is_blank(raw)
    out = parse_date_column(raw.where(~blank), f"column '{col}'", **date_rule)
    bad = out.isna() & ~blank
    if bad.any():
        ids = df.index[bad]
        raise ValidationError(
            f"column '{col}' holds an unreadable date for task(s) {format_ids(ids)} "
            f"(e.g. {quote(raw[bad].iloc[0])}); write dates as YYYY-MM-DD")
    return out.dt.normalize()


def column_name(name: object, aliases: bool = True) -> str:
    """The canonical snake_case name of a column (``Task ID`` → ``id`` with aliases).

    Examples
    --------
    >>> column_name("Task ID"), column_name("Baseline Start"), column_name("Task ID", False)
    ('id', 'baseline_start', 'task_id')
    """
    s = re.sub(r"[^0-9a-zA-Z]+", "_", str(name).strip()).strip("_")
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", s).lower()
    return ALIASES.get(s, s) if aliases else s


def normalise_columns(df: pd.DataFrame, aliases: bool = True) -> pd.DataFrame:
    """Snake-case the column names and (for task tables) map aliases (``Task ID`` → ``id``)."""
    out = df.copy()
    out.columns = [column_name(c, aliases) for c in df.columns]
    dup = out.columns[out.columns.duplicated()].unique()
    if len(dup):
        raise ValidationError(f"the task table has duplicate columns {format_ids(dup)} "
                              "(after normalising names); keep one of each")
    return out

