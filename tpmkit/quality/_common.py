"""Column checks shared by the quality artefacts (ids, dates, numbers, closed sets).

Each raises :class:`~tpmkit.errors.ValidationError` with the artefact's name, the offending
ids and the fix.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.model.tables import require_columns, row_ids

__all__ = ["choice_column", "date_column", "number_column", "require_columns", "row_ids",
           "text_column"]


def text_column(df: pd.DataFrame, column: str, ids: pd.Index) -> pd.Series:
    if column not in df.columns:
        return pd.Series("", index=ids, dtype=object)
    raw = df[column].astype(object).where(df[column].notna(), "")
    return pd.Series(raw.astype(str).str.strip().to_numpy(), index=ids, dtype=object)


def choice_column(df: pd.DataFrame, column: str, ids: pd.Index, what: str,
                  choices: Iterable[str], default: str | None = None) -> pd.Series:
    """Lower-cased text restricted to ``choices`` (blank → ``default``, or an error)."""
    choices = tuple(choices)
    values = text_column(df, column, ids).str.lower().str.replace(" ", "_")
    if default is not None:
        values = values.replace("", default)
    bad = ~values.isin(choices)
    if bad.any():
        raise ValidationError(f"{what}: unknown {column} for {format_ids(ids[bad.to_numpy()])}; "
                              f"use one of {', '.join(choices)}")
    return values


def date_column(df: pd.DataFrame, column: str, ids: pd.Index, what: str,
                required: bool = False) -> pd.Series:
    if column not in df.columns:
        if required:
            require_columns(df, [column], what)
        return pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    raw = df[column]
    parsed = pd.to_datetime(raw, errors="coerce")
    blank = raw.isna() | (raw.astype(str).str.strip() == "")
    bad = parsed.isna() & ~blank
    if bad.any():
        raise ValidationError(f"{what}: {column!r} is not a date for "
                              f"{format_ids(ids[bad.to_numpy()])}; use ISO dates (2027-01-31)")
    if required and blank.any():
        raise ValidationError(f"{what}: {column!r} is blank for "
                              f"{format_ids(ids[blank.to_numpy()])}; enter a date")
    return pd.Series(parsed.to_numpy(dtype="datetime64[ns]"), index=ids)


def number_column(df: pd.DataFrame, column: str, ids: pd.Index, what: str,
                  lo: float | None = 0.0, default: float = np.nan) -> pd.Series:
    """Column as float (``default`` when absent/blank); non-numbers and values < lo raise."""
    if column not in df.columns:
        return pd.Series(default, index=ids, dtype=float)
    raw = df[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    blank = raw.isna() | (raw.astype(str).str.strip() == "")
    bad = values.isna() & ~blank
    if bad.any():
        raise ValidationError(f"{what}: column {column!r} holds non-numbers for "
                              f"{format_ids(ids[bad.to_numpy()])}; enter plain numbers")
    if lo is not None and (values < lo).any():
        low = (values < lo).to_numpy()
        raise ValidationError(f"{what}: column {column!r} is below {lo:g} for "
                              f"{format_ids(ids[low])}; use values ≥ {lo:g}")
    return pd.Series(values.fillna(default).to_numpy(), index=ids)
