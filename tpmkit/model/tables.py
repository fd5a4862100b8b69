"""Artefact tables given as data: one normalisation and the id-list splitter.

The scoping, estimation and risk artefacts (WBS dictionary, requirements, stakeholders, RACI,
change log, estimation rounds, risk register, …) arrive as a DataFrame, a list of row
mappings or a mapping of such lists. :func:`table_frame` turns each into one DataFrame the
same way — column names stripped and lower-cased, fully blank rows dropped — so the
computations never care where a table came from. Reading a table from a *file* is
:func:`tpmkit.io.read_table`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import DataError, FileFormatError, ValidationError, format_ids

__all__ = ["require_columns", "row_ids", "split_ids", "table_frame"]

_ID_SPLIT = re.compile(r"[;,]")


def split_ids(value: Any) -> tuple[str, ...]:
    """Split ``"A; B, C"`` (or a list) into a tuple of stripped ids; empty → ``()``.

    Examples
    --------
    >>> split_ids("A; B,C")
    ('A', 'B', 'C')
    >>> split_ids(float("nan"))
    ()
    """
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        parts = [str(v).strip() for v in value]
    else:
        if value is None or pd.isna(value):
            return ()
        parts = [p.strip() for p in _ID_SPLIT.split(str(value))]
    return tuple(p for p in parts if p and p.lower() != "nan")


def table_frame(data: Any, what: str = "input", sheet: str | None = None) -> pd.DataFrame:
    """One artefact table as a DataFrame: header stripped and lower-cased, blank rows dropped.

    Parameters
    ----------
    data : DataFrame, list of mappings, or mapping of such lists
        A DataFrame (copied; its index is kept), the rows as a list of mappings, or a
        mapping (e.g. a parsed YAML/JSON document) whose ``sheet`` key holds that list.
    what : str
        What the table is, for error messages (``"requirements"``, a file name, …).
    sheet : str, optional
        Key of ``data`` holding the rows when ``data`` is a mapping.

    Returns
    -------
    DataFrame
        The rows, column names stripped and lower-cased, fully blank rows dropped (rows
        from records are numbered 0, 1, …).

    Raises
    ------
    FileFormatError
        A mapping without the ``sheet`` key, or rows that are not a list.
    DataError
        ``data`` is neither a table nor rows (for example a file path).

    Examples
    --------
    >>> table_frame([{" ID ": "R1"}, {" ID ": None}], "risks").columns.tolist()
    ['id']
    >>> len(table_frame({"risks": [{"id": "R1"}]}, "register", sheet="risks"))
    1
    """
    if isinstance(data, pd.DataFrame):
        df = data.copy()
    elif isinstance(data, Mapping | list):
        df = _frame_from_records(data, sheet, what)
    else:
        raise DataError(
            f"{what}: expected a DataFrame or a list of rows, got {type(data).__name__}; read a "
            "file with tpmkit.io.read_table(path) or tpmkit.artefacts.read_artefact(path, kind)")
    df.columns = [str(c).strip().lower() for c in df.columns]
    df = df.dropna(how="all")
    return df.reset_index(drop=True) if not isinstance(data, pd.DataFrame) else df


def _frame_from_records(data: Any, sheet: str | None, where: str) -> pd.DataFrame:
    if isinstance(data, Mapping):
        if sheet is None or sheet not in data:
            raise FileFormatError(
                f"{where} has no key {sheet!r}; keys present: {format_ids(data)}; "
                "pass sheet=<key> naming the list of rows"
            )
        data = data[sheet]
    if data is None:
        data = []
    if not isinstance(data, list):
        raise FileFormatError(f"{where}: expected a list of rows under {sheet!r}")
    return pd.DataFrame.from_records(data)


def require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise a ValidationError naming the columns of ``columns`` that ``df`` lacks.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"id": ["A"]}), ["id"], "risk register")
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValidationError(f"{what} lacks column(s) {format_ids(missing)}; add them "
                              f"(columns present: {format_ids(df.columns, 12) or 'none'})")


def row_ids(df: pd.DataFrame, what: str, column: str = "id") -> pd.Index:
    """The stripped, unique, non-blank ids of an artefact table (rows counted from the header).

    Examples
    --------
    >>> row_ids(pd.DataFrame({"id": [" R1", "R2"]}), "risk register").tolist()
    ['R1', 'R2']
    """
    require_columns(df, [column], what)
    ids = df[column].astype("string").str.strip()
    blank = ids.isna() | (ids == "")
    if blank.any():
        rows = [str(i + 2) for i in np.flatnonzero(blank.to_numpy())]
        raise ValidationError(f"{what}: {column!r} is blank in row(s) {format_ids(rows)} "
                              f"(counting the header as row 1); give every row a {column}")
    dup = ids[ids.duplicated()].unique()
    if len(dup):
        raise ValidationError(f"{what}: duplicate {column} {format_ids(dup)}; make each unique")
    return pd.Index(ids.astype(str).to_numpy(), name=column)
