"""Column checks shared by the scope artefacts (ids, required columns, text, numbers).

Each raises :class:`~tpmkit.errors.ValidationError` with the artefact's name, the offending
ids and the fix.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids

__all__ = ["numeric_column", "require_columns", "row_ids", "text_column"]


def require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValidationError(
            f"{what} lacks column(s) {format_ids(missing)}; "
            f"add them (columns present: {format_ids(df.columns, 12) or 'none'})"
        )


def numeric_column(df: pd.DataFrame, column: str, what: str, ids: pd.Index,
             lo: float | None = None, hi: float | None = None) -> pd.Series:
    """Column as float (NaN when absent/blank); non-numbers and out-of-range values raise."""
    if column not in df.columns:
        return pd.Series(np.nan, index=df.index, dtype=float)
    raw = df[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    bad = values.isna() & raw.notna()
    if bad.any():  # blanks typed as spaces are missing values, not errors
        bad &= raw.astype(str).str.strip() != ""
    if bad.any():
        raise ValidationError(
            f"{what}: column {column!r} holds non-numbers for {format_ids(ids[bad.to_numpy()])}; "
            "enter plain numbers"
        )
    out = pd.Series(False, index=df.index)
    if lo is not None:
        out |= values < lo
    if hi is not None:
        out |= values > hi
    if out.any():
        rng = f"[{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]"
        raise ValidationError(
            f"{what}: column {column!r} outside {rng} for {format_ids(ids[out.to_numpy()])}; "
            f"use values within {rng}"
        )
    return values


def row_ids(df: pd.DataFrame, what: str, column: str = "id") -> pd.Index:
    require_columns(df, [column], what)
    ids = df[column].astype("string").str.strip()
    blank = ids.isna() | (ids == "")
    if blank.any():
        rows = [str(i + 2) for i in np.flatnonzero(blank.to_numpy())]
        raise ValidationError(
            f"{what}: {column!r} is blank in row(s) {format_ids(rows)} (counting the header as "
            f"row 1); give every row a {column}"
        )
    dup = ids[ids.duplicated()].unique()
    if len(dup):
        raise ValidationError(f"{what}: duplicate {column} {format_ids(dup)}; make each unique")
    return pd.Index(ids.astype(str).to_numpy(), name=column)


def text_column(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df.columns:
        return pd.Series("", index=df.index, dtype=object)
    return df[column].astype(object).where(df[column].notna(), "").astype(str).str.strip()

