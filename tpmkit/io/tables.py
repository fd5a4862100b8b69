"""The task-table formats: CSV, Excel workbooks, YAML and JSON project files.

* CSV/TSV: one task per row (the separator is detected: ``,``, ``;`` or tab; UTF-8 with or
  without BOM). Project settings come from keyword arguments / CLI flags.
* Excel ``.xlsx``: sheets ``tasks``, ``project`` (key/value rows), ``risks``, ``resources``,
  ``periods``, ``wbs`` (WBS dictionary: code, name, …) and, when a predecessor list is longer
  than an Excel cell holds, ``links`` (predecessor, successor, type, lag, lag_percent: every
  link, read instead of the ``predecessors`` column); a workbook with one unnamed sheet is
  read as the task table.
* YAML/JSON: a mapping with ``project``, ``tasks``, ``risks``, ``resources``, ``periods``,
  ``wbs`` keys, or a bare list of task rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._files import atomic_path
from tpmkit.errors import FileFormatError, InputFileError
from tpmkit.io._fidelity import PROJECT_PARTS, lost_parts, warn_lost
from tpmkit.io.limits import DEFAULTS, MAX_RATIO, check_text_field, limit, quote
from tpmkit.messages import one_line
from tpmkit.model import Project, column_name, table_frame

__all__ = ["KEEPS", "check_workbook", "looks_like_jira", "losses", "project_to_dict", "read_parts", "read_table",
           "write"]

PARTS = ("tasks", "risks", "resources", "periods", "wbs")
_TEXT_COLUMNS = {"id", "predecessors", "wbs", "name", "resources", "task", "tasks", "key"}


def _sniff(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()[:65536]
    encoding = "utf-8-sig"
    try:
        head = raw.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp1252"
        head = raw.decode(encoding, errors="replace")
    first = head.splitlines()[0] if head.strip() else ""
    if path.suffix.lower() == ".tsv" or first.count("\t") > max(first.count(","), first.count(";")):
        return "\t", encoding
    if first.count(";") > first.count(","):
        return ";", encoding
    return ",", encoding


def looks_like_jira(path: Path) -> bool:
    """True when a CSV header looks like a Jira issue export (``Issue key`` and ``Summary``)."""
    sep, enc = _sniff(path)
    with open(path, encoding=enc, errors="replace", newline="") as fh:
        try:
            header = next(csv.reader(fh, delimiter=sep), [])
        except csv.Error as exc:
            raise FileFormatError(f"{path.name}: malformed CSV header ({exc}); fields are limited to "
                                  f"{csv.field_size_limit()} characters, check the quoting") from exc
    names = {h.strip().lower() for h in header}
    return "issue key" in names and "summary" in names


def _read_csv(path: Path) -> pd.DataFrame:
    sep, enc = _sniff(path)
    try:
        header = pd.read_csv(path, sep=sep, encoding=enc, nrows=0).columns
        dtype = {c: str for c in header if column_name(c) in _TEXT_COLUMNS}
        df = pd.read_csv(path, sep=sep, encoding=enc, dtype=dtype, skipinitialspace=True,
                         keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError as exc:
        raise InputFileError(f"{path.name} is empty; add a header row and at least one task") from exc
    except pd.errors.ParserError as exc:
        raise FileFormatError(f"{path.name}: malformed CSV ({one_line(exc)}); check quoting and the number "
                              "of fields on that line") from exc
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path.name}: cannot decode the text ({exc}); save it as UTF-8") from exc
    return df


def check_workbook(path: Path) -> None:
    """Refuse a ``.xlsx`` that is not a workbook (an .xlsx is a zip file), saying what it is."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return  # the reader reports it
    if head.startswith(b"PK"):
        _check_zip(path)
        return
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileFormatError(f"{path.name} is an old Excel 97–2003 workbook (.xls), not .xlsx; "
                              "save it as .xlsx (Excel Workbook) or CSV")
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not head.strip():
        raise InputFileError(f"{path.name} is empty; save the workbook again as .xlsx")
    first = text.splitlines()[0] if text.strip() else ""
    if text.lstrip().startswith("<"):
        kind = "an HTML or XML file"
    elif any(sep in first for sep in (",", ";", "\t")):
        kind = "CSV text"
    else:
        kind = "text"
    raise FileFormatError(f"{path.name} is not a readable Excel workbook: it holds {kind}; rename it "
                          f"to {path.stem}.csv if it is a CSV task table, or save it from "
                          "Excel as .xlsx")


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]*)(\d*)(?::([A-Z]+)(\d+))?\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _check_zip(path: Path) -> None:
    """Refuse a workbook whose zip directory or sheet dimensions exceed the limits.

    Everything is decided from the zip's central directory (sizes before and after inflating)
    and the ``<dimension ref=...>`` element at the head of each sheet, before any sheet is
    inflated; :mod:`tpmkit.io.limits` holds the limits.
    """
    import zipfile
    import zlib

    fix = "split the workbook or save it as CSV"
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            cap = limit("xlsx_bytes")
            if total > cap or len(infos) > 10_000:
                raise InputFileError(
                    f"{path.name}: the workbook inflates to {total:,} bytes in {len(infos):,} parts, "
                    f"above the limit of {cap:,} bytes (10,000 parts); {fix}, or set "
                    f"{DEFAULTS['xlsx_bytes'][0]} if the file is trusted")
            for i in infos:
                if i.file_size > 2**20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                    raise FileFormatError(
                        f"{path.name}: part {quote(i.filename)} inflates {i.compress_size:,} bytes "
                        f"to {i.file_size:,} (more than {MAX_RATIO}×), as a zip bomb does; "
                        "refused unread — save the workbook again from Excel")
            for i in infos:
                if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"):
                    with zf.open(i) as fh:
                        _check_dimension(path, i.filename, fh.read(4096))
                    with zf.open(i) as fh:
                        _check_row_count(path, i.filename, fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, OSError,
            zlib.error) as exc:
        raise FileFormatError(f"{path.name}: not a readable Excel workbook ({quote(str(exc))}); "
                              "save it again as .xlsx") from exc


def _check_dimension(path: Path, member: str, head: bytes) -> None:
    m = _DIMENSION.search(head)
    if not m:
        return
    col, row = (m.group(3), m.group(4)) if m.group(4) else (m.group(1), m.group(2))
    rows, cols = int(row or 1), _column_number(col or b"A")
    sheet = member.rsplit("/", 1)[-1].removesuffix(".xml")
    for n, name in ((rows, "rows"), (cols, "columns")):
        if n > limit(name):
            raise InputFileError(
                f"{path.name}: {sheet} spans {n:,} {name}, above the limit of {limit(name):,}; "
                f"split the workbook or save it as CSV, or set {DEFAULTS[name][0]} if the file "
                "is trusted")


_ROW_TAG = re.compile(rb"<(?:\w{1,8}:)?row[\s>/]")


def _check_row_count(path: Path, member: str, fh: Any) -> None:
    """Count a sheet's ``<row>`` elements streaming (1 MiB at a time, nothing kept), so a
    sheet without a (truthful) dimension cannot hold more rows than the limit either."""
    cap, rows, carry = limit("rows"), 0, b""
    sheet = member.rsplit("/", 1)[-1].removesuffix(".xml")
    while True:
        chunk = fh.read(2**20)
        data = carry + chunk
        # a tag is counted once the next "<" follows it; the open tail carries over
        cut = data.rfind(b"<", max(0, len(data) - 64)) if chunk else -1
        cut = len(data) if cut < 0 else cut
        rows += len(_ROW_TAG.findall(data, 0, cut))
        carry = data[cut:]
        if rows > cap + 1:  # the header row is not a task
            raise InputFileError(
                f"{path.name}: {sheet} holds more than {cap:,} rows; split the workbook or save it "
                f"as CSV, or set {DEFAULTS['rows'][0]} if the file is trusted")
        if not chunk:
            return


def _read_excel(path: Path) -> dict:
    check_workbook(path)
    rows = limit("rows")
    try:
        # the engine named: pandas warns of a future default when python-calamine is installed
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, nrows=rows + 1,
                               engine="openpyxl")
    except ImportError as exc:
        raise InputFileError("reading .xlsx needs openpyxl; install it with: pip install 'tpmkit[io]'") from exc
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise FileFormatError(f"{path.name}: not a readable Excel workbook ({quote(one_line(exc), 200)}); "
                              "save it again as .xlsx") from exc
    for key, df in sheets.items():
        if len(df) > rows or df.shape[1] > limit("columns"):
            what = "rows" if len(df) > rows else "columns"
            raise InputFileError(
                f"{path.name}: sheet {quote(str(key))} has more than {limit(what):,} {what}; split "
                f"the workbook or save it as CSV, or set {DEFAULTS[what][0]} if the file is trusted")
    lower = {str(k).strip().lower(): v for k, v in sheets.items()}
    parts: dict[str, Any] = {}
    for key in PARTS:
        if key in lower:
            parts[key] = _clean_excel(lower[key])
    if "project" in lower:
        parts["project"] = _key_values(lower["project"], path)
    if "links" in lower and "tasks" in parts:  # one row per link; replaces the predecessors
        parts["links"] = _clean_excel(lower["links"])
    if "tasks" not in parts and len(sheets) == 1 and not parts:
        parts["tasks"] = _clean_excel(next(iter(sheets.values())))
    return parts


def _clean_excel(df: pd.DataFrame) -> pd.DataFrame:
    df = df.dropna(how="all").dropna(axis=1, how="all")
    df = df.loc[:, [not str(c).startswith("Unnamed:") for c in df.columns]]
    return df.reset_index(drop=True)


def _key_values(df: pd.DataFrame, path: Path) -> dict:
    df = df.dropna(how="all")
    if df.shape[1] < 2:
        raise FileFormatError(f"{path.name}: sheet 'project' needs two columns (key, value)")
    keys, values = df.iloc[:, 0].tolist(), df.iloc[:, 1].tolist()
    if str(df.columns[0]).lower() not in ("key", "setting"):
        # no header row: pandas took the first setting as the column names
        keys, values = [df.columns[0], *keys], [df.columns[1], *values]
    out: dict[str, Any] = {}
    for k, v in zip(keys, values, strict=True):
        if k is None or (isinstance(k, float) and math.isnan(k)):
            continue
        if isinstance(v, float) and math.isnan(v):
            v = None
        key = str(k).strip().lower()
        if key in ("holidays", "workweek") and isinstance(v, str):
            v = [x.strip() for x in v.replace(";", ",").split(",") if x.strip()]
        out[key] = v
    for key in ("calendar", "calendars"):  # working hours and task calendars: JSON objects
        v = out.get(key)
        if isinstance(v, str) and v.lstrip().startswith("{"):
            try:
                out[key] = json.loads(v)
            except json.JSONDecodeError as exc:
                raise FileFormatError(f"{path}: project setting {key!r} is not a JSON object "
                                      f"({exc.msg} at character {exc.pos}); write it as "
                                      '{"working_times": {"Mon": ["08:00-12:00"]}} or clear the '
                                      "cell") from None
    cal = {k: out.pop(k) for k in ("holidays", "workweek") if k in out}
    if cal:
        base = out.get("calendar")
        # a calendar cell that is not a mapping is left for the model to refuse
        out["calendar"] = {**base, **cal} if isinstance(base, dict) else (
            cal if base is None else base)
    return out


def _load_text(path: Path) -> Any:
    """Parse a YAML or JSON file; a syntax error names the line and column."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        import yaml

        # the C loader (libyaml) when pyyaml was built with it: ~10x faster on big files
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except ImportError as exc:
        raise InputFileError("reading YAML needs pyyaml; install it with: pip install 'tpmkit[io]'") from exc
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"{path.name}: invalid JSON at line {exc.lineno}, column {exc.colno}: "
                              f"{exc.msg}") from exc
    except Exception as exc:  # yaml.YAMLError and subclasses
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise FileFormatError(f"{path.name}: invalid YAML{where}: "
                              f"{one_line(getattr(exc, 'problem', None) or exc)}") from exc


#: most values a YAML/JSON file may hold once its aliases are expanded (an "alias bomb"
#: such as ``a1: &a1 [*a0, *a0, …]`` nests 9⁹ values into a few hundred bytes)
MAX_VALUES = 5_000_000


def _expanded_size(data: Any) -> int:
    """Values in ``data`` counting every alias reference in full (linear: memoised by id)."""
    memo: dict[int, int] = {}

    def size(v: Any) -> int:
        if not isinstance(v, list | dict):
            return 1
        key = id(v)
        if key not in memo:
            memo[key] = 0  # a recursive alias counts once
            items = v.values() if isinstance(v, dict) else v
            memo[key] = 1 + sum(size(x) for x in items)
        return memo[key]

    return size(data)


def _check_expansion(data: Any, path: Path) -> None:
    try:
        n = _expanded_size(data)
    except RecursionError:
        raise FileFormatError(f"{path.name}: the values are nested too deeply; write the tasks "
                              "as a flat list of rows") from None
    if n > MAX_VALUES:
        raise FileFormatError(f"{path.name}: the file expands to {n:,} values through YAML aliases "
                              f"(more than {MAX_VALUES:,}, as an alias bomb does); write the values "
                              "out instead of repeating aliases")


def _read_mapping(path: Path) -> dict:
    data = _load_text(path)
    _check_expansion(data, path)
    if data is None:
        raise InputFileError(f"{path.name} is empty; add a 'tasks' list")
    if isinstance(data, list):
        data = {"tasks": data}
    if not isinstance(data, dict):
        raise FileFormatError(f"{path.name}: expected a mapping with 'project' and 'tasks' keys or a "
                              "list of tasks")
    if not isinstance(data.get("project") or {}, dict):
        raise FileFormatError(f"{path.name}: 'project' must be a mapping of key: value, not a "
                              f"{type(data['project']).__name__}; write e.g. project: {{name: X, "
                              "start: 2027-01-04}")
    unknown = set(data) - {"project", *PARTS}
    parts: dict[str, Any] = {"project": dict(data.get("project") or {})}
    for key in PARTS:
        rows = data.get(key)
        if rows is None:
            continue
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise FileFormatError(f"{path.name}: '{key}' must be a list of rows (mappings)")
        parts[key] = pd.DataFrame(rows) if rows else None
    if unknown:
        parts["project"].setdefault("extra", {k: data[k] for k in unknown})
    return parts


#: characters a link may take in a ``predecessors`` cell besides its id (``" SS+12.5d; "``)
_LINK_CHARS = 24


def _check_cells(parts: dict, path: Path) -> None:
    """Refuse a text cell longer than the ``field_chars`` limit (:mod:`tpmkit.io.limits`).

    A ``predecessors`` cell may also be as long as a list linking every task of its table
    once (a milestone closing a wide merge): the ids plus ``_LINK_CHARS`` per row.
    """
    cap = limit("field_chars")
    for key, df in parts.items():
        if not isinstance(df, pd.DataFrame):
            continue
        ids = next((c for c in df.columns if column_name(c) == "id"), None)
        for col in df.columns:
            if pd.api.types.is_numeric_dtype(df[col]) or pd.api.types.is_datetime64_any_dtype(df[col]):
                continue
            lengths = (df[col].str.len().fillna(0) if pd.api.types.is_string_dtype(df[col])
                       and not pd.api.types.is_object_dtype(df[col])
                       else df[col].map(lambda v: len(v) if isinstance(v, str) else 0))
            col_cap = cap
            if ids is not None and column_name(col) == "predecessors":
                every = df[ids].astype(str).str.len().sum() + _LINK_CHARS * len(df)
                col_cap = max(cap, int(every))
            if lengths.max() > col_cap:
                row = int(np.nanargmax(lengths.to_numpy(dtype=float)))
                where = f"{path.name}: {key} row {row + 1}, column {quote(str(col))}"
                text = str(df[col].iloc[row])
                if col_cap > cap:
                    raise FileFormatError(
                        f"{where}: a value of {len(text):,} characters is longer than a list "
                        f"linking every task of the table ({col_cap:,}; {quote(text)}); check "
                        "the column, it cannot be a list of predecessors")
                check_text_field(text, where)


def read_parts(path: str | Path, **settings: Any) -> dict:
    """Read a CSV, Excel, YAML or JSON project file into parts (not yet validated)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        parts: dict[str, Any] = {"tasks": _read_csv(path), "project": {"name": path.stem}}
    elif suffix in (".xlsx", ".xlsm"):
        parts = _read_excel(path)
    else:
        parts = _read_mapping(path)
    _check_cells(parts, path)
    parts.setdefault("project", {})
    parts["project"].setdefault("name", path.stem)
    return parts


def read_table(source: Any, sheet: str | None = None) -> pd.DataFrame:
    """Read one artefact table from a CSV, XLSX, YAML or JSON file (or pass data through).

    The file counterpart of :func:`tpmkit.model.table_frame`: the scoping, estimation and
    risk computations take the table this returns.

    Parameters
    ----------
    source : str, Path, DataFrame or list of rows
        A path to ``.csv``, ``.xlsx``, ``.yaml``/``.yml`` or ``.json`` — YAML/JSON hold a list
        of rows, or a mapping whose ``sheet`` key holds that list — or data already in memory
        (normalised by :func:`tpmkit.model.table_frame`).
    sheet : str, optional
        Sheet of an XLSX workbook, or key of a YAML/JSON mapping. Default: the first sheet.

    Returns
    -------
    DataFrame
        The rows as read (CSV cells as text), column names stripped and lower-cased, fully
        blank rows dropped.

    Raises
    ------
    InputFileError
        The file is missing or its format is not supported.
    FileFormatError
        The sheet/key is absent or the file cannot be parsed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "risks.csv"
    >>> _ = f.write_text("ID , Probability\\nR1,0.3\\n,\\n")
    >>> read_table(f).to_dict("records")
    [{'id': 'R1', 'probability': '0.3'}]
    """
    if isinstance(source, pd.DataFrame | Mapping | list):
        return table_frame(source, "input", sheet)
    path = Path(source)
    if not path.exists():
        raise InputFileError(f"file {str(path)!r} not found; check the path")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            df = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
            df = df.replace({"": np.nan})
        elif suffix in (".xlsx", ".xlsm"):
            check_workbook(path)
            df = pd.read_excel(path, sheet_name=sheet or 0, engine="openpyxl")
        elif suffix in (".yaml", ".yml", ".json"):
            data = _load_text(path)
            _check_expansion(data, path)
            if data is not None and not isinstance(data, Mapping | list):
                raise FileFormatError(f"{path}: expected a list of rows under {sheet!r}")
            df = table_frame(data if data is not None else [], str(path), sheet)
        else:
            raise InputFileError(
                f"unsupported file type {suffix!r} for {path.name}; "
                "use .csv, .xlsx, .yaml, .yml or .json"
            )
    except (ValueError, KeyError) as exc:
        if isinstance(exc, InputFileError):
            raise
        raise FileFormatError(f"cannot read {path.name} (sheet {sheet!r}): {quote(one_line(exc), 200)}") from exc
    return table_frame(df, str(path)).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime | np.datetime64):
        ts = pd.Timestamp(value)
        return None if pd.isna(ts) else ts.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        if math.isnan(f):
            return None
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    if isinstance(value, tuple | list | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _plain_column(col: pd.Series) -> list:
    """``[_plain(v) for v in col]``, vectorised for the numeric, boolean and date dtypes."""
    kind = col.dtype.kind
    if kind == "M":  # dates: ISO day, NaT → None
        text = col.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        return [None if isinstance(v, float) or v is None else v for v in text]
    if kind in "biu":  # bool and int: the Python values
        return col.to_numpy().tolist()
    if kind == "f":
        v = col.to_numpy(dtype=np.float64)
        whole = np.isfinite(v) & (v == np.round(v)) & (np.abs(v) < 2**53)
        out = v.astype(object)
        out[whole] = v[whole].astype(np.int64).tolist()
        out[np.isnan(v)] = None
        return out.tolist()
    return [_plain(v) for v in col.to_numpy(dtype=object)]


def _rows(df: pd.DataFrame | None) -> list[dict]:
    if df is None:
        return []
    keys = [str(k) for k in df.columns]
    cols = [_plain_column(df.iloc[:, i]) for i in range(df.shape[1])]
    return [{k: v for k, v in zip(keys, vals, strict=True) if v is not None and v != ""}
            for vals in zip(*cols, strict=True)] if cols else [{} for _ in range(len(df))]


def project_to_dict(project: Project, table: pd.DataFrame | None = None) -> dict:
    """The project as the mapping a YAML/JSON project file holds.

    ``table`` is ``project.to_table()`` when the caller has it already.
    """
    data: dict[str, Any] = {"project": _plain(project.settings_dict()),
                            "tasks": _rows(project.to_table() if table is None else table)}
    if project.calendars:
        data["project"]["calendars"] = _calendars(project)
    for key in ("risks", "resources", "periods", "wbs"):
        df = getattr(project, key)
        if df is not None and len(df):
            data[key] = _rows(df)
    return data


#: the parts each table format keeps (see :mod:`tpmkit.io._fidelity`); the rest is named as lost
_EVERY_PART = tuple(k for k in PROJECT_PARTS if k != "mixed_lags")
KEEPS = {
    ".csv": ("task:*",), ".tsv": ("task:*",),
    ".xlsx": (*_EVERY_PART, "task:*"),  # + the settings a cell holds (not lists or mappings)
    ".yaml": (*_EVERY_PART, "task:*", "setting:*"), ".yml": (*_EVERY_PART, "task:*", "setting:*"),
    ".json": (*_EVERY_PART, "task:*", "setting:*"),
}
_FORMATS = {".csv": "CSV task table", ".tsv": "TSV task table", ".xlsx": "Excel workbook",
            ".yaml": "YAML project file", ".yml": "YAML project file", ".json": "JSON project file"}


def losses(project: Project, path: str | Path, table: pd.DataFrame | None = None) -> list[str]:
    """The parts of ``project`` that a file of ``path``'s format does not hold.

    Keys of ``tpmkit.io._fidelity.held_parts``: a CSV holds the task table only (not the project
    settings, calendar or the other parts); an Excel cell holds no list or mapping setting;
    no table format holds a link with both a percent and a day lag.
    """
    suffix = Path(path).suffix.lower()
    keeps = list(KEEPS[suffix])
    lost = []
    if suffix == ".xlsx":
        keeps += [f"setting:{k}" for k, v in project.settings.items()
                  if not isinstance(v, dict | list | tuple)]
        task_table = project.to_table() if table is None else table
        # predecessor lists too long for a cell go to the links sheet (_write_excel)
        tables = [task_table.drop(columns="predecessors", errors="ignore"),
                  *(getattr(project, k) for k in ("risks", "resources", "periods", "wbs"))]
        if any(_longest_text(df) > _EXCEL_CELL for df in tables if df is not None) or (
                project.calendars and len(json.dumps(_calendars(project))) > _EXCEL_CELL):
            lost.append("long_cells")
    return lost_parts(project, keeps, target=path, table=table) + lost


_EXCEL_CELL = 32_767  # characters an Excel cell holds


def _longest_text(df: pd.DataFrame) -> int:
    """The length of the longest text cell of ``df`` (0 without text)."""
    longest = 0
    for c in df.columns:
        col = df[c]
        if col.dtype != object and not pd.api.types.is_string_dtype(col):
            continue
        try:
            n = col.str.len().max()  # NaN for cells that are not text
        except AttributeError:  # an object column without any text
            continue
        if pd.notna(n):
            longest = max(longest, int(n))
    return longest


def write(project: Project, path: str | Path, **kwargs: Any) -> None:
    """Write ``project`` as CSV (task table only), XLSX, YAML or JSON, atomically.

    What the format cannot hold (:func:`losses`) is named in one ``TpmkitWarning`` line.
    The file the project was read from is never overwritten.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    table = project.to_table()
    warn_lost(project, losses(project, path, table), path, _FORMATS[suffix])
    with atomic_path(path, inputs=(project.source,)) as tmp:
        if suffix in (".csv", ".tsv"):
            for c in table.columns:
                if pd.api.types.is_datetime64_any_dtype(table[c]):
                    table[c] = table[c].dt.strftime("%Y-%m-%d")
            table.to_csv(tmp, index=False, sep="\t" if suffix == ".tsv" else ",",
                         lineterminator="\n")
        elif suffix == ".xlsx":
            _write_excel(project, tmp, table)
        elif suffix == ".json":
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(project_to_dict(project, table), fh, indent=2, ensure_ascii=False)
                fh.write("\n")
        else:
            import yaml

            # libyaml's emitter when PyYAML has it (the same text, ~4× faster); streamed
            with open(tmp, "w", encoding="utf-8") as fh:
                yaml.dump(project_to_dict(project, table), fh,
                          Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                          allow_unicode=True, default_flow_style=None, width=100)


def _calendars(project: Project) -> dict:
    """The task calendars in file form (name → the mapping of a ``calendar`` key)."""
    return {name: _plain(cal.to_dict()) for name, cal in project.calendars.items()}


def _write_excel(project: Project, tmp: Path, table: pd.DataFrame) -> None:
    settings = _plain(project.settings_dict())
    cal = settings.pop("calendar", {})
    settings["workweek"] = ", ".join(cal.get("workweek", []))
    settings["holidays"] = ", ".join(cal.get("holidays", []))
    # working hours and hours per day: one JSON object in the calendar cell (read back by
    # _key_values, which merges the workweek and holidays cells into it)
    hours = {k: v for k, v in cal.items() if k not in ("workweek", "holidays")}
    if hours:
        settings["calendar"] = hours
    if project.calendars:
        settings["calendars"] = _calendars(project)
    kv = pd.DataFrame({"key": list(settings), "value": [
        json.dumps(v) if isinstance(v, dict | list) else v for v in settings.values()]})
    links = None
    if "predecessors" in table and _longest_text(table[["predecessors"]]) > _EXCEL_CELL:
        # a wide merge: its predecessor list does not fit a cell; the links sheet holds every
        # link (the reader takes the links from it) and the cells too long are left empty
        links = project.links[["predecessor", "successor", "type", "lag", "lag_percent"]]
        table = table.copy()
        long = table["predecessors"].str.len().fillna(0).to_numpy() > _EXCEL_CELL
        table.loc[long, "predecessors"] = ""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        table.to_excel(xw, sheet_name="tasks", index=False)
        kv.to_excel(xw, sheet_name="project", index=False)
        if links is not None:
            links.to_excel(xw, sheet_name="links", index=False)
        for key in ("risks", "resources", "periods", "wbs"):
            df = getattr(project, key)
            if df is not None and len(df):
                pd.DataFrame(_rows(df)).map(
                    lambda v: ", ".join(map(str, v)) if isinstance(v, list) else v
                ).to_excel(xw, sheet_name=key, index=False)
    tmp.write_bytes(buf.getvalue())
