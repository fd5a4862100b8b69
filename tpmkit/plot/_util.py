"""Input checks shared by the plot modules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from tpmkit.errors import DataError, format_ids

__all__ = ["require_columns"]


def require_columns(df: Any, columns: Iterable[str], what: str, fix: str) -> pd.DataFrame:
    """Return ``df`` as a DataFrame or raise :class:`DataError` naming the missing columns.

    A result object with a ``table`` DataFrame (``ScheduleResult``, ``EVMResult``) stands
    for its table.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"pv": [1.0]}), ["pv", "ev"], "EVM table",
    ...                 "pass tpmkit.evm.metrics(...)")
    Traceback (most recent call last):
    ...
    tpmkit.errors.DataError: EVM table lacks column(s) ev; pass tpmkit.evm.metrics(...)
    """
    if not isinstance(df, pd.DataFrame) and isinstance(getattr(df, "table", None), pd.DataFrame):
        df = df.table
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"{what} must be a pandas DataFrame, got {type(df).__name__}; {fix}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{what} lacks column(s) {format_ids(missing)}; {fix}")
    return df
