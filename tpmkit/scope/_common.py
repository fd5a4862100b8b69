"""Column checks shared by the scope artefacts (ids, required columns, text, numbers).

Each raises :class:`~tpmkit.errors.ValidationError` with the artefact's name, the offending
ids and the fix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.model.tables import require_columns, row_ids

__all__ = ["numeric_column", "require_columns", "row_ids", "text_column"]


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


def text_column(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df.columns:
        return pd.Series("", index=df.index, dtype=object)
    return df[column].astype(object).where(df[column].notna(), "").astype(str).str.strip()

