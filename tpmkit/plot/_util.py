"""Small input helpers shared by the plot modules (column checks, result unwrapping)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import DataError, format_ids

__all__ = ["first_attr", "require_columns", "to_frame"]


def require_columns(df: Any, columns: Iterable[str], what: str, fix: str) -> pd.DataFrame:
    """Return ``df`` as a DataFrame or raise :class:`DataError` naming the missing columns.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"pv": [1.0]}), ["pv", "ev"], "EVM table",
    ...                 "pass tpmkit.evm.metrics(...)")
    Traceback (most recent call last):
    ...
    tpmkit.errors.DataError: EVM table lacks column(s) ev; pass tpmkit.evm.metrics(...)
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"{what} must be a pandas DataFrame, got {type(df).__name__}; {fix}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{what} lacks column(s) {format_ids(missing)}; {fix}")
    return df


def first_attr(obj: Any, names: Iterable[str], default: Any = None) -> Any:
    """Return the first attribute (or mapping key) of ``obj`` among ``names`` that is not None."""
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return default


def to_frame(obj: Any) -> pd.DataFrame:
    """Coerce a Series/ndarray/DataFrame into a DataFrame (a Series becomes one column)."""
    if isinstance(obj, pd.DataFrame):
        return obj
    if isinstance(obj, pd.Series):
        return obj.to_frame(obj.name if obj.name is not None else "value")
    return pd.DataFrame({"value": np.asarray(obj)})
