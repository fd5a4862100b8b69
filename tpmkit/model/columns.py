"""Column helpers shared by the validators: names, blanks, text, numbers and dates."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids, quote
from tpmkit.model.calendar import parse_date_column

__all__ = ["ID_PATTERN", "STRING", "column_name", "edge_space", "id_problem_characters", "is_blank", "is_task_id",
           "normalise_columns", "positions", "split_cells", "strip", "stripped", "text_column", "to_dates", "to_number"]

#: a task id without combining marks: Unicode letters and digits (``Ä1``, ``設計``), ``_``, ``-``,
#: ``.``; :func:`is_task_id` is the full rule (marks such as the ``ि`` of ``कि`` allowed too)
ID_PATTERN = re.compile(r"^[\w.\-]+$")
_NOT_ID = re.compile(r"[^\w.\-]")

#: numpy's variable-width string dtype: memory follows the text, not its longest string
STRING = np.dtypes.StringDType()


def id_problem_characters(text: str) -> set[str]:
    """The characters of ``text`` that no task id may hold (the one rule of task ids).

    Ids are made of Unicode letters, digits and combining marks (``Ä1``, ``設計``,
    ``Tâche-3``, ``कि``), ``_``, ``-`` and ``.``; spaces, ``;``, ``,``, ``+`` and other
    punctuation would make the link syntax ambiguous.

    Examples
    --------
    >>> sorted(id_problem_characters("A 1;B")), id_problem_characters("設計-2")
    ([' ', ';'], set())
    """
    plain = text.replace("_", "").replace(".", "").replace("-", "")
    if not plain or plain.isalnum():  # the usual case, in C: letters and digits only
        return set()
    return {c for c in set(_NOT_ID.findall(text)) if not unicodedata.category(c).startswith("M")}


def is_task_id(text: str) -> bool:
    """Whether ``text`` is a valid task id (see :func:`id_problem_characters`).

    Examples
    --------
    >>> is_task_id("Tâche-3"), is_task_id("A.SS-2"), is_task_id("A+1"), is_task_id("")
    (True, True, False, False)
    """
    return bool(text) and (ID_PATTERN.match(text) is not None or not id_problem_characters(text))


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
    return pd.Series(np.strings.str_len(stripped(s)) == 0, index=s.index)


def stripped(s: pd.Series) -> np.ndarray:
    """Stripped strings as a variable-width numpy string array (:data:`STRING`; '' for
    missing), vectorised in C by numpy.strings; its memory is that of the text.
    """
    arr = s.to_numpy(dtype=object, na_value="")
    return np.strings.strip(arr.astype(STRING))


# whitespace at the edge of a cell in cells joined by NUL (a NUL inside a cell can only
# make it look like it needs stripping, never hide that it does)
_EDGE_SPACE = re.compile(r"(?:^|\x00)\s|\s(?:\x00|$)")
_ASCII_SPACE = np.array([c.isspace() for c in map(chr, range(256))]) & (np.arange(256) < 128)


def edge_space(joined: str) -> bool:
    """Whether a cell of the NUL-joined text starts or ends with whitespace (for ASCII text
    a lookup of the bytes beside each NUL, the regular expression otherwise).
    """
    if not joined.isascii():
        return _EDGE_SPACE.search(joined) is not None
    b = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    if len(b) == 0:
        return False
    sep = np.flatnonzero(b == 0)
    edges = np.concatenate([[0, len(b) - 1], sep[sep > 0] - 1, sep[sep < len(b) - 1] + 1])
    return bool(_ASCII_SPACE[b[edges]].any())


def strip(s: pd.Series) -> np.ndarray:
    """Stripped strings as an object array of ``str`` ('' for missing).

    Cells that are already clean ``str`` (the usual case) are kept as they are: one C scan
    of the joined text decides; otherwise :func:`stripped` does the work.
    """
    arr = s.to_numpy(dtype=object, na_value="")
    if len(arr) and pd.api.types.infer_dtype(arr, skipna=False) == "string" \
            and not edge_space("\x00".join(arr.tolist())):
        return arr
    return stripped(s).astype(object)


def positions(index: pd.Index, *values: np.ndarray) -> list[np.ndarray]:
    """The places of ``values`` in the unique ``index`` (-1 where absent), for several arrays
    in one hash pass (:func:`pandas.factorize` of them all, the index first).
    """
    keys = index.to_numpy(dtype=object)
    n = len(keys)
    codes, _ = pd.factorize(np.concatenate([keys, *(np.asarray(v, dtype=object) for v in values)]))
    if not np.array_equal(codes[:n], np.arange(n)):  # not unique: the slower lookup
        return [index.get_indexer(v) for v in values]
    out = np.where(codes[n:] >= n, -1, codes[n:]).astype(np.int64)
    return np.split(out, np.cumsum([len(v) for v in values])[:-1])


def split_cells(cells: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Split cells at ``;`` and ``,`` (lists of links or resources): (the stripped pieces as an
    object array, the number of pieces per cell). One join and one split of the whole
    column's text; the pieces are counted per cell from the separators' byte positions
    (``;`` and NUL are single bytes in UTF-8).
    """
    joined = "\x00".join(cells).replace(",", ";")
    raw = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    nul = raw == 0
    if int(nul.sum()) != len(cells) - 1:
        bad = next(c for c in cells if "\x00" in c)
        raise ValidationError(f"the cell {bad[:40]!r} holds a NUL character; remove the "
                              "control character")
    counts = np.bincount(np.cumsum(nul)[raw == ord(";")], minlength=len(cells)) + 1
    flat = joined.replace("\x00", ";")
    pieces = np.array(flat.split(";"), dtype=object)
    if edge_space(flat.replace(";", "\x00")):
        pieces = np.strings.strip(pieces.astype(STRING)).astype(object)
    return pieces, counts


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
    return pd.Series(strip(s), index=s.index)


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

