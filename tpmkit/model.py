"""The project model: the task table of ARCHITECTURE.md, parsed and validated once.

:func:`build_project` turns a raw task table (any DataFrame with the documented columns)
plus project settings into a :class:`Project`. Every column of the task table is parsed
and checked here, so the computation modules can trust their input:

* ``id`` unique, made of letters, digits, ``_``, ``-``, ``.``;
* ``duration`` ≥ 0, or a three-point estimate with o ≤ m ≤ p (the deterministic duration is
  then the PERT mean (o + 4m + p)/6, or m with ``duration_from="most_likely"``);
* ``predecessors``: ``ID [TYPE][±LAG]`` with TYPE ∈ FS/SS/FF/SF, LAG in working days
  (``d``), weeks (``w`` = 5 d) or percent of the predecessor's duration (``%``); MS-Project
  style ``3SS+2d`` for numeric ids;
* no cycles (the message prints one), no unknown predecessors, no self-links;
* constraints, dates, resources (``dev:1; qa:0.5``), costs, baseline and progress columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tpmkit.calendar import Calendar, parse_date
from tpmkit.errors import CycleError, ValidationError, check_option, format_ids

if TYPE_CHECKING:  # pragma: no cover
    from os import PathLike

__all__ = [
    "CONSTRAINT_TYPES",
    "DISTRIBUTIONS",
    "LINK_TYPES",
    "TASK_COLUMNS",
    "Network",
    "Project",
    "build_project",
    "column_name",
    "normalise_columns",
    "parse_link",
    "parse_resources",
    "wbs_parent",
]

LINK_TYPES = ("FS", "SS", "FF", "SF")
CONSTRAINT_TYPES = ("SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO")
DISTRIBUTIONS = ("pert", "triangular", "uniform", "normal", "lognormal", "fixed", "empirical")
_START_CONSTRAINTS = {"SNET", "SNLT", "MSO"}

#: canonical task columns (always present in ``Project.tasks``) and their kinds
TASK_COLUMNS: dict[str, str] = {
    "name": "text",
    "duration": "number",
    "optimistic": "number",
    "most_likely": "number",
    "pessimistic": "number",
    "distribution": "text",
    "predecessors": "text",
    "wbs": "text",
    "constraint": "text",
    "constraint_date": "date",
    "constraint_offset": "number",
    "resources": "text",
    "cost": "number",
    "rate": "number",
    "baseline_start": "date",
    "baseline_finish": "date",
    "baseline_cost": "number",
    "percent_complete": "number",
    "actual_start": "date",
    "actual_finish": "date",
    "actual_cost": "number",
}

_ID_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")
_LINK_REST = re.compile(
    r"""^\s*(?P<type>FS|SS|FF|SF)?\s*
        (?:(?P<sign>[+-])\s*(?P<num>\d+(?:\.\d*)?|\.\d+)\s*
           (?P<unit>%|d|days?|wd|wdays?|w|wks?|weeks?)?)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_SEP_RE = re.compile(r"[;,]")
_RES_RE = re.compile(r"^\s*(?P<name>[^:=\s][^:=]*?)\s*(?:[:=]\s*(?P<units>[-+0-9.eE]+)\s*)?$")
_ALIASES = {
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


# --------------------------------------------------------------------------------------
# small parsers
# --------------------------------------------------------------------------------------
def parse_link(token: str, known: Mapping[str, Any] | set[str] | None = None
               ) -> tuple[str, str, float, float]:
    """Parse one link ``ID [TYPE][±LAG]`` into ``(id, type, lag_days, lag_fraction)``.

    When ``known`` ids are given, the longest known id that leaves a valid type/lag suffix
    wins, so ids such as ``T-1`` or ``CLASS`` parse correctly.

    Examples
    --------
    >>> parse_link("B SS+2")
    ('B', 'SS', 2.0, 0.0)
    >>> parse_link("C FF-1d")
    ('C', 'FF', -1.0, 0.0)
    >>> parse_link("D SS+50%")
    ('D', 'SS', 0.0, 0.5)
    >>> parse_link("3SS+2d")
    ('3', 'SS', 2.0, 0.0)
    >>> parse_link("E+1w")
    ('E', 'FS', 5.0, 0.0)
    """
    text = token.strip()
    if known is not None and text in known:
        return text, "FS", 0.0, 0.0
    candidates = []
    for cut in range(len(text), 0, -1):
        pid = text[:cut].strip()
        if not pid or not _ID_RE.match(pid):
            continue
        m = _LINK_REST.match(text[cut:])
        if m and (known is None or pid in known):
            candidates.append((pid, m))
    if known is None and len(candidates) > 1:
        # without the id list, read MS-Project style "3SS+2d" as id 3 + SS
        numeric = [c for c in candidates if c[0].isdigit() and c[1].group("type")]
        candidates = numeric or candidates
    if not candidates:
        # report the most plausible reading: the id before the first space/sign/type
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+?)(?=\s|[+-]|(?:FS|SS|FF|SF)\b|$)", text, re.I)
        guess = m.group(1) if m else text
        rest = text[len(guess):] if m else ""
        if known is not None and guess not in known and (not rest or _LINK_REST.match(rest)):
            raise _UnknownPredecessor(guess)
        raise ValidationError(f"malformed link {token!r}")
    pid, m = candidates[0]
    ltype = (m.group("type") or "FS").upper()
    lag, frac = 0.0, 0.0
    if m.group("num") is not None:
        value = float(m.group("num")) * (-1.0 if m.group("sign") == "-" else 1.0)
        unit = (m.group("unit") or "d").lower()
        if unit == "%":
            frac = value / 100.0
        elif unit.startswith("w") and not unit.startswith("wd"):
            lag = value * 5.0
        else:
            lag = value
    return pid, ltype, lag, frac


class _UnknownPredecessor(Exception):
    def __init__(self, pid: str):
        super().__init__(pid)
        self.pid = pid


def wbs_parent(code: str) -> str:
    """Parent of a WBS code (``'1.2.3'`` → ``'1.2'``; top level → ``''``).

    Examples
    --------
    >>> wbs_parent("1.2.3"), wbs_parent("1")
    ('1.2', '')
    """
    code = str(code).strip()
    return code.rsplit(".", 1)[0] if "." in code else ""


def parse_resources(text: object) -> list[tuple[str, float]]:
    """Parse ``'dev:1; qa:0.5'`` into ``[('dev', 1.0), ('qa', 0.5)]`` (units default 1).

    Examples
    --------
    >>> parse_resources("dev:1; qa:0.5")
    [('dev', 1.0), ('qa', 0.5)]
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    out = []
    for part in _SEP_RE.split(str(text)):
        if not part.strip():
            continue
        m = _RES_RE.match(part)
        if not m:
            raise ValueError(part)
        units = float(m.group("units")) if m.group("units") else 1.0
        if not np.isfinite(units) or units < 0:
            raise ValueError(part)
        out.append((m.group("name").strip(), units))
    return out


# --------------------------------------------------------------------------------------
# the network arrays used by the fast engines
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Network:
    """Arrays describing the precedence network (see ``docs/contract.md``)."""

    ids: np.ndarray
    duration: np.ndarray
    order: np.ndarray
    pred_ptr: np.ndarray
    pred_idx: np.ndarray
    pred_link: np.ndarray
    succ_ptr: np.ndarray
    succ_idx: np.ndarray
    succ_link: np.ndarray
    link_from: np.ndarray
    link_to: np.ndarray
    link_type: np.ndarray
    lag: np.ndarray
    lag_percent: np.ndarray
    constraint_type: np.ndarray
    constraint_offset: np.ndarray

    @property
    def n_tasks(self) -> int:
        return len(self.ids)

    @property
    def n_links(self) -> int:
        return len(self.link_from)




def _csr(keys: np.ndarray, other: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
    order = np.argsort(keys, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, other[order].astype(np.int64), order.astype(np.int64)


def topological_order(n: int, link_from: np.ndarray, link_to: np.ndarray) -> np.ndarray | None:
    """A topological order of ``n`` tasks (Kahn, ties in input order); None on a cycle."""
    from tpmkit._core.graph import kahn_order

    if len(link_from) == 0:
        return np.arange(n, dtype=np.int64)
    succ_ptr, succ_idx, _ = _csr(np.asarray(link_from, np.int64), np.asarray(link_to, np.int64), n)
    indeg = np.bincount(link_to, minlength=n).astype(np.int64)
    order, count = kahn_order(n, succ_ptr, succ_idx, indeg)
    return order if count == n else None


def _find_cycle(ids: np.ndarray, link_from: np.ndarray, link_to: np.ndarray) -> list[str]:
    """Return one cycle as a list of ids (first id repeated at the end)."""
    n = len(ids)
    succ: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(link_from.tolist(), link_to.tolist(), strict=True):
        succ[a].append(b)
    state = np.zeros(n, dtype=np.int8)  # 0 new, 1 on stack, 2 done
    for root in range(n):
        if state[root]:
            continue
        stack = [(root, 0)]
        path = [root]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            if i < len(succ[node]):
                stack[-1] = (node, i + 1)
                nxt = succ[node][i]
                if state[nxt] == 1:
                    cyc = path[path.index(nxt):] + [nxt]
                    return [str(ids[k]) for k in cyc]
                if state[nxt] == 0:
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return []


# --------------------------------------------------------------------------------------
# the project
# --------------------------------------------------------------------------------------
@dataclass(eq=False)
class Project:
    """A validated project: tasks, links, calendar and settings (see ``docs/contract.md``).

    Build one with :func:`tpmkit.read` or :func:`build_project`; treat it as read-only.
    """

    tasks: pd.DataFrame
    links: pd.DataFrame
    name: str = "Project"
    start: pd.Timestamp | None = None
    calendar: Calendar = field(default_factory=Calendar)
    status_date: pd.Timestamp | None = None
    deadline: pd.Timestamp | float | None = None
    currency: str = ""
    bac: float | None = None
    assignments: pd.DataFrame = field(default_factory=lambda: _empty_assignments())
    risks: pd.DataFrame | None = None
    resources: pd.DataFrame | None = None
    periods: pd.DataFrame | None = None
    wbs: pd.DataFrame | None = None
    settings: dict = field(default_factory=dict)
    source: str | None = None
    computed: pd.DataFrame | None = None

    @classmethod
    def from_parts(cls, parts: Mapping[str, Any] | pd.DataFrame, **settings: Any) -> Project:
        """Build a validated project from reader parts; see :func:`build_project`."""
        return build_project(parts, **settings)

    # -- identity ------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Project):
            return NotImplemented
        return _project_key(self) == _project_key(other)

    def __repr__(self) -> str:
        start = f", start={self.start.date()}" if self.start is not None else ""
        return f"<Project {self.name!r}: {len(self.tasks)} tasks, {len(self.links)} links{start}>"

    def _repr_html_(self) -> str:
        head = f"<b>{self.name}</b> — {len(self.tasks)} tasks, {len(self.links)} links"
        if self.start is not None:
            head += f", starts {self.start.date()}"
        cols = [c for c in ("name", "duration", "predecessors", "wbs") if c in self.tasks]
        return f"<div>{head}</div>" + self.tasks[cols].head(20).to_html(na_rep="")

    # -- derived -------------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return list(self.tasks.index)

    @property
    def deadline_offset(self) -> float | None:
        """The deadline as a finish offset [working days], or None."""
        if self.deadline is None:
            return None
        if isinstance(self.deadline, int | float | np.number):
            return float(self.deadline)
        if self.start is None:
            raise ValidationError("the project deadline is a date but the project has no start "
                                  "date; set project.start or give the deadline in working days")
        return float(self.calendar.offset_of([self.deadline], self.start, kind="finish")[0])

    @property
    def status_offset(self) -> float | None:
        """The status date as an offset [working days] (end of that day), or None."""
        if self.status_date is None or self.start is None:
            return None
        return float(self.calendar.offset_of([self.status_date], self.start, kind="finish")[0])

    def network(self) -> Network:
        """The network arrays for the fast engines (cached)."""
        return self._network

    @cached_property
    def _network(self) -> Network:
        return _build_network(self.tasks, self.links)

    # -- delegates -----------------------------------------------------------------------
    def schedule(self, **kwargs: Any) -> pd.DataFrame:
        """CPM schedule of this project; see :func:`tpmkit.cpm.schedule`."""
        from tpmkit.cpm import schedule

        return schedule(self, **kwargs)

    def pert(self, **kwargs: Any):
        """PERT analysis of this project; see :func:`tpmkit.pert.analyze`."""
        from tpmkit.pert import analyze

        return analyze(self, **kwargs)

    def simulate(self, **kwargs: Any):
        """Monte Carlo schedule risk analysis; see :func:`tpmkit.risk.simulate`."""
        from tpmkit.risk import simulate

        return simulate(self, **kwargs)

    def evm(self, **kwargs: Any) -> pd.DataFrame:
        """Earned value / earned schedule table; see :func:`tpmkit.evm.metrics`."""
        from tpmkit.evm import metrics

        return metrics(self, **kwargs)

    def write(self, path: str | PathLike, **kwargs: Any) -> None:
        """Write this project; the format follows the suffix (see :func:`tpmkit.io.write`)."""
        from tpmkit.io import write

        write(self, path, **kwargs)

    def replace(self, **changes: Any) -> Project:
        """A re-validated copy with task columns or settings changed.

        ``changes`` may hold ``tasks=DataFrame`` (a raw task table) or any project setting.
        """
        raw = changes.pop("tasks", None)
        if raw is None:
            raw = self.to_table()
        settings = self.settings_dict()
        settings.update(changes)
        parts = {"tasks": raw, "project": settings, "risks": self.risks,
                 "resources": self.resources, "periods": self.periods, "wbs": self.wbs}
        return build_project(parts)

    def to_table(self) -> pd.DataFrame:
        """The task table in input form (``id`` a column, only columns that hold data)."""
        t = self.tasks.drop(columns=["constraint_offset"]).reset_index()
        keep = [c for c in t.columns
                if c == "id" or not (t[c].isna().all() or (t[c].astype(str) == "").all())]
        t = t[keep]
        if "duration" in t and any(self.settings.get("_duration_derived", ())):
            derived = np.asarray(self.settings["_duration_derived"], dtype=bool)
            t.loc[derived, "duration"] = np.nan
            if t["duration"].isna().all():
                t = t.drop(columns=["duration"])
        return t

    def settings_dict(self) -> dict:
        """Project-level settings in file form (the ``project`` key)."""
        out = {k: v for k, v in self.settings.items() if not k.startswith("_")}
        out["name"] = self.name
        if self.start is not None:
            out["start"] = self.start.date().isoformat()
        out["calendar"] = self.calendar.to_dict()
        if self.status_date is not None:
            out["status_date"] = self.status_date.date().isoformat()
        if self.deadline is not None:
            out["deadline"] = (self.deadline.date().isoformat()
                               if isinstance(self.deadline, pd.Timestamp) else self.deadline)
        if self.currency:
            out["currency"] = self.currency
        if self.bac is not None:
            out["bac"] = self.bac
        return out


def _project_key(p: Project) -> tuple:
    def frame(df: pd.DataFrame | None) -> object:
        if df is None:
            return None
        return df.astype(object).where(df.notna(), None).to_dict("split")
    return (p.name, p.start, p.calendar, p.status_date, p.deadline, p.currency, p.bac,
            frame(p.tasks), frame(p.links.drop(columns=["text"])), frame(p.risks),
            frame(p.resources), frame(p.periods), frame(p.wbs))


def _build_network(tasks: pd.DataFrame, links: pd.DataFrame) -> Network:
    n = len(tasks)
    index = pd.Index(tasks.index)
    lf = index.get_indexer(links["predecessor"]).astype(np.int64)
    lt = index.get_indexer(links["successor"]).astype(np.int64)
    order = topological_order(n, lf, lt)
    if order is None:  # validated already; defensive
        raise CycleError("the network has a cycle")
    pred_ptr, pred_idx, pred_link = _csr(lt, lf, n)
    succ_ptr, succ_idx, succ_link = _csr(lf, lt, n)
    # index lookups instead of Series.map: one hash pass, no per-element Python calls
    ctype = (pd.Index(CONSTRAINT_TYPES).get_indexer(tasks["constraint"].to_numpy(dtype=object))
             + 1).astype(np.int8)
    return Network(
        ids=np.asarray(tasks.index, dtype=object),
        duration=tasks["duration"].to_numpy(np.float64),
        order=order,
        pred_ptr=pred_ptr, pred_idx=pred_idx, pred_link=pred_link,
        succ_ptr=succ_ptr, succ_idx=succ_idx, succ_link=succ_link,
        link_from=lf, link_to=lt,
        link_type=pd.Index(LINK_TYPES).get_indexer(links["type"].to_numpy(dtype=object))
        .astype(np.int8),
        lag=links["lag"].to_numpy(np.float64),
        lag_percent=links["lag_percent"].to_numpy(np.float64),
        constraint_type=ctype,
        constraint_offset=tasks["constraint_offset"].to_numpy(np.float64),
    )


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------
def _is_blank(s: pd.Series) -> pd.Series:
    na = s.isna()
    if na.all() or pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
        return na
    return pd.Series(_strip(s) == "", index=s.index)


def _strip(s: pd.Series) -> np.ndarray:
    """Stripped strings as a numpy array ('' for missing), vectorised in C (numpy.strings)."""
    arr = s.to_numpy(dtype=object, na_value="")
    return np.strings.strip(arr.astype(str)) if len(arr) else arr.astype(str)


def _text_column(s: pd.Series) -> pd.Series:
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
    return pd.Series(_strip(s).astype(object), index=s.index)


def _to_number(df: pd.DataFrame, col: str) -> pd.Series:
    raw = df[col]
    if pd.api.types.is_numeric_dtype(raw):
        return raw.astype(float)
    blank = _is_blank(raw)
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


def _to_dates(df: pd.DataFrame, col: str) -> pd.Series:
    raw = df[col]
    if raw.isna().all():
        return pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    if pd.api.types.is_datetime64_any_dtype(raw):
        out = raw
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)
        return out.dt.normalize()
    blank = _is_blank(raw)
    out = pd.to_datetime(raw.where(~blank), errors="coerce", format="mixed")
    bad = out.isna() & ~blank
    if bad.any():
        ids = df.index[bad]
        raise ValidationError(
            f"column '{col}' holds an unreadable date for task(s) {format_ids(ids)} "
            f"(e.g. {raw[bad].iloc[0]!r}); write dates as YYYY-MM-DD")
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
    return _ALIASES.get(s, s) if aliases else s


def normalise_columns(df: pd.DataFrame, aliases: bool = True) -> pd.DataFrame:
    """Snake-case the column names and (for task tables) map aliases (``Task ID`` → ``id``)."""
    out = df.copy()
    out.columns = [column_name(c, aliases) for c in df.columns]
    dup = out.columns[out.columns.duplicated()].unique()
    if len(dup):
        raise ValidationError(f"the task table has duplicate columns {format_ids(dup)} "
                              "(after normalising names); keep one of each")
    return out


def _parse_tasks(raw: pd.DataFrame, duration_from: str, start: pd.Timestamp | None,
                 calendar: Calendar) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, np.ndarray]:
    if not isinstance(raw, pd.DataFrame):
        raise ValidationError("the task table must be a table (DataFrame, CSV, sheet or list of rows)")
    df = normalise_columns(raw)
    if df.index.name == "id" and "id" not in df.columns:
        df = df.reset_index()
    if len(df) == 0:
        raise ValidationError("the task table is empty; add at least one task row with an id "
                              "and a duration")
    if "id" not in df.columns:
        raise ValidationError(f"the task table has no 'id' column (columns: {format_ids(df.columns, 8)}); "
                              "add an 'id' column with a unique id per task")
    # ids
    idcol = df["id"]
    if _is_blank(idcol).any():
        rows = (np.flatnonzero(_is_blank(idcol).to_numpy()) + 1).tolist()
        raise ValidationError(f"task id missing in row(s) {format_ids(rows)}; give every task an id")
    ids = _text_column(idcol)
    if re.search(r"[^A-Za-z0-9_.\-\n]", "\n".join(ids.to_numpy(dtype=object).tolist())) \
            or (ids == "").any():
        bad = ids[[not _ID_RE.match(x) for x in ids]]
    else:
        bad = ids.iloc[:0]
    if len(bad):
        raise ValidationError(f"invalid task id(s) {format_ids(repr(b) for b in bad)}; use letters, "
                              "digits, '_', '-' and '.' only")
    dup = ids[ids.duplicated()].unique()
    if len(dup):
        raise ValidationError(f"duplicate task id(s) {format_ids(dup)}; every task needs a unique id")
    df["id"] = ids
    df = df.set_index("id")
    df.index.name = "id"
    for col, kind in TASK_COLUMNS.items():
        if col not in df.columns:
            df[col] = np.nan if kind != "text" else ""
    # numbers
    for col, kind in TASK_COLUMNS.items():
        if kind == "number" and col != "constraint_offset":
            df[col] = _to_number(df, col)
    for col in ("duration", "optimistic", "most_likely", "pessimistic", "cost", "rate",
                "baseline_cost", "actual_cost"):
        neg = df[col] < 0
        if neg.any():
            raise ValidationError(f"negative {col} for task(s) {format_ids(df.index[neg])}; "
                                  f"{col} must be ≥ 0")
        inf = np.isinf(df[col])
        if inf.any():
            raise ValidationError(f"infinite {col} for task(s) {format_ids(df.index[inf])}; "
                                  "give a finite number")
    pc = df["percent_complete"]
    if ((pc < 0) | (pc > 100)).any():
        bad = df.index[(pc < 0) | (pc > 100)]
        raise ValidationError(f"percent_complete outside 0–100 for task(s) {format_ids(bad)}; "
                              "write e.g. 40 for 40 %")
    # three points
    o, m, p = df["optimistic"], df["most_likely"], df["pessimistic"]
    have3 = o.notna() | m.notna() | p.notna()
    partial = have3 & (o.isna() | m.isna() | p.isna())
    if partial.any():
        raise ValidationError(
            f"incomplete three-point estimate for task(s) {format_ids(df.index[partial])}; "
            "give optimistic, most_likely and pessimistic together")
    if (o > m).any():
        raise ValidationError(f"optimistic > most_likely for task(s) {format_ids(df.index[o > m])}; "
                              "three-point estimates need o ≤ m ≤ p")
    if (m > p).any():
        raise ValidationError(f"most_likely > pessimistic for task(s) {format_ids(df.index[m > p])}; "
                              "three-point estimates need o ≤ m ≤ p")
    dur_missing = df["duration"].isna()
    missing = dur_missing & ~have3
    if missing.any():
        raise ValidationError(
            f"duration missing for task(s) {format_ids(df.index[missing])}; give a duration in "
            "working days (0 for a milestone) or a three-point estimate")
    duration_from = check_option(duration_from, ["mean", "most_likely"], "duration_from")
    derived = (dur_missing & have3).to_numpy()
    pert_mean = (o + 4 * m + p) / 6.0
    df.loc[derived, "duration"] = (pert_mean if duration_from == "mean" else m)[derived]
    df["distribution"] = _choice_column(df["distribution"], DISTRIBUTIONS, "distribution", np.strings.lower)
    # text columns
    for col in ("name", "wbs", "resources", "predecessors"):
        df[col] = _text_column(df[col])
    has_wbs = df["wbs"].ne("")
    wbs_bad = has_wbs.copy()
    if has_wbs.any():
        wbs_bad[has_wbs] = ~df.loc[has_wbs, "wbs"].str.match(r"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$")
    if wbs_bad.any():
        raise ValidationError(f"malformed WBS code for task(s) {format_ids(df.index[wbs_bad])}; "
                              "write codes like 1.2.3")
    # dates
    for col, kind in TASK_COLUMNS.items():
        if kind == "date" and col != "constraint_date":  # that one may be an offset
            df[col] = _to_dates(df, col)
    for kind in ("actual", "baseline"):
        early, late = df[f"{kind}_start"], df[f"{kind}_finish"]
        wrong = early.notna() & late.notna() & (late < early)
        if wrong.any():
            raise ValidationError(f"{kind}_finish before {kind}_start for task(s) "
                                  f"{format_ids(df.index[wrong])}; check the {kind} dates")
    # constraints
    _parse_constraints(df, start, calendar)
    # resources
    assignments = _parse_assignments(df)
    # links
    links = _parse_links(df)
    return df, links, assignments, derived


def _choice_column(col: pd.Series, choices: tuple[str, ...], what: str, case) -> pd.Series:
    """A text column whose non-blank values must be one of ``choices`` (after ``case``)."""
    text = _text_column(col)
    out = pd.Series(case(text.to_numpy(dtype=str)).astype(object), index=col.index)
    bad = out[(out != "") & ~out.isin(choices)]
    if len(bad):
        raise ValidationError(f"unknown {what} {text[bad.index[0]]!r} for task(s) "
                              f"{format_ids(bad.index)}; choose one of: {', '.join(choices)}")
    return out


def _parse_constraints(df: pd.DataFrame, start: pd.Timestamp | None, calendar: Calendar) -> None:
    ctype = _choice_column(df["constraint"], CONSTRAINT_TYPES, "constraint", np.strings.upper)
    df["constraint"] = ctype
    raw = df["constraint_date"]
    offset = pd.Series(np.nan, index=df.index)
    if raw.isna().all() and not (ctype != "").any():
        df["constraint_date"] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
        df["constraint_offset"] = offset
        return
    if pd.api.types.is_datetime64_any_dtype(raw):
        dates = raw
        numeric = pd.Series(np.nan, index=df.index)
    else:
        blank = _is_blank(raw)
        numeric = pd.to_numeric(raw.where(~blank), errors="coerce")
        as_date = raw.where(~blank & numeric.isna())
        dates = pd.to_datetime(as_date, errors="coerce", format="mixed")
        bad = ~blank & numeric.isna() & dates.isna()
        if bad.any():
            raise ValidationError(
                f"unreadable constraint_date for task(s) {format_ids(df.index[bad])}; give a date "
                "(YYYY-MM-DD) or a working-day offset from the project start")
    has_date = dates.notna()
    if has_date.any():
        if start is None:
            raise ValidationError(
                f"constraint dates given for task(s) {format_ids(df.index[has_date])} but the project "
                "has no start date; set project.start (or --start) or give offsets in working days")
        is_start = ctype.isin(_START_CONSTRAINTS)
        for kind, mask in (("start", has_date & is_start), ("finish", has_date & ~is_start)):
            if mask.any():
                offset[mask] = calendar.offset_of(dates[mask].to_numpy(), start, kind=kind)
    offset[numeric.notna()] = numeric[numeric.notna()]
    need = (ctype != "") & offset.isna()
    if need.any():
        raise ValidationError(f"constraint without constraint_date for task(s) {format_ids(df.index[need])}; "
                              "give the date the constraint refers to")
    orphan = (ctype == "") & offset.notna()
    if orphan.any():
        raise ValidationError(f"constraint_date without a constraint type for task(s) "
                              f"{format_ids(df.index[orphan])}; set constraint to one of "
                              f"{', '.join(CONSTRAINT_TYPES)}")
    df["constraint_date"] = dates.dt.normalize() if has_date.any() else pd.Series(pd.NaT, index=df.index,
                                                                                  dtype="datetime64[ns]")
    df["constraint_offset"] = offset.astype(float)


def _parse_assignments(df: pd.DataFrame) -> pd.DataFrame:
    rows: list[tuple[str, str, float]] = []
    bad: list[str] = []
    for tid, text in df["resources"][df["resources"] != ""].items():
        try:
            rows.extend((tid, r, u) for r, u in parse_resources(text))
        except ValueError:
            bad.append(tid)
    if bad:
        raise ValidationError(f"malformed resources for task(s) {format_ids(bad)}; write "
                              "'name:units' separated by ';', e.g. 'dev:1; qa:0.5'")
    out = pd.DataFrame(rows, columns=["task", "resource", "units"])
    out["units"] = out["units"].astype(float)
    return out


def _empty_links() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("lag", "lag_percent") else object)
                         for c in ("predecessor", "successor", "type", "lag", "lag_percent", "text")})


def _empty_assignments() -> pd.DataFrame:
    return pd.DataFrame({"task": pd.Series(dtype=object), "resource": pd.Series(dtype=object),
                         "units": pd.Series(dtype=float)})


def _parse_links(df: pd.DataFrame) -> pd.DataFrame:
    preds = df["predecessors"]
    has = preds != ""
    if not has.any():
        return _empty_links()
    text = np.strings.replace(preds[has].to_numpy(dtype=object).astype(str), ",", ";")
    counts = np.strings.count(text, ";") + 1
    pieces = np.array(";".join(text.tolist()).split(";"), dtype=str)
    pieces = np.strings.strip(pieces)
    keep = pieces != ""
    succ = np.repeat(preds.index[has].to_numpy(dtype=object), counts)[keep]
    tokens = pieces[keep].astype(object)
    simple = pd.Index(tokens).isin(df.index)
    known = set(df.index.to_numpy(dtype=object).tolist()) if not simple.all() else set()
    pred = np.empty(len(tokens), dtype=object)
    ltype = np.full(len(tokens), "FS", dtype=object)
    lag = np.zeros(len(tokens))
    frac = np.zeros(len(tokens))
    pred[simple] = tokens[simple]
    unknown: dict[str, list[str]] = {}
    malformed: list[tuple[str, str]] = []
    for i in np.flatnonzero(~simple):
        try:
            pred[i], ltype[i], lag[i], frac[i] = parse_link(tokens[i], known)
        except _UnknownPredecessor as exc:
            unknown.setdefault(exc.pid, []).append(succ[i])
        except ValidationError:
            malformed.append((succ[i], tokens[i]))
    if malformed:
        tok = malformed[0][1]
        raise ValidationError(
            f"malformed link {tok!r} in the predecessors of task(s) {format_ids(t for t, _ in malformed)}; "
            "write links as 'ID', 'ID SS+2', 'ID FF-1d', 'ID SS+50%' or 'ID FS+1w' "
            "(types FS/SS/FF/SF, lags in d, w or %)")
    if unknown:
        first = next(iter(unknown))
        raise ValidationError(
            f"unknown predecessor(s) {format_ids(unknown)} (named by task(s) "
            f"{format_ids(unknown[first])}); add the missing task(s) or correct the id")
    self_loop = pred == succ
    if self_loop.any():
        raise CycleError(f"task(s) {format_ids(succ[self_loop])} list themselves as predecessor; "
                         "remove the self-link", [str(succ[self_loop][0])] * 2)
    links = pd.DataFrame({"predecessor": pred, "successor": succ, "type": ltype, "lag": lag,
                          "lag_percent": frac, "text": tokens})
    dup = links.duplicated(["predecessor", "successor"], keep=False)
    if dup.any():
        d = links[dup]
        raise ValidationError(
            f"task(s) {format_ids(d['successor'].unique())} link to the same predecessor twice "
            f"({format_ids(d['predecessor'].unique())}); keep one link per pair")
    return links.reset_index(drop=True)


def _check_cycles(tasks: pd.DataFrame, links: pd.DataFrame) -> None:
    if links.empty:
        return
    index = pd.Index(tasks.index)
    lf = index.get_indexer(links["predecessor"]).astype(np.int64)
    lt = index.get_indexer(links["successor"]).astype(np.int64)
    if topological_order(len(tasks), lf, lt) is None:
        cycle = _find_cycle(tasks.index.to_numpy(), lf, lt)
        raise CycleError(
            f"the network has a cycle: {' → '.join(cycle)}; remove or reverse one of these links",
            cycle)


# --------------------------------------------------------------------------------------
# project settings
# --------------------------------------------------------------------------------------
_SETTING_ALIASES = {"start_date": "start", "project_start": "start", "statusdate": "status_date",
                    "data_date": "status_date", "project_name": "name", "title": "name",
                    "finish_deadline": "deadline"}


def build_project(parts: Mapping[str, Any] | pd.DataFrame, **settings: Any) -> Project:
    """Validate a task table plus settings and return a :class:`Project`.

    Parameters
    ----------
    parts : mapping or DataFrame
        ``{"tasks": DataFrame, "project": {...}, "risks": ..., "resources": ...,
        "periods": ..., "wbs": ...}`` as the readers produce, or a bare task DataFrame.
        ``wbs`` is an optional WBS dictionary (``wbs`` code, ``name``, …) that names the
        derived summary rows.
    **settings
        Project settings that override the file's: ``name``, ``start``, ``calendar``
        (dict with ``workweek`` and ``holidays``, or a :class:`Calendar`), ``workweek``,
        ``holidays``, ``status_date``, ``deadline`` (date or working days), ``currency``,
        ``bac``, and ``duration_from`` (``"mean"`` or ``"most_likely"``).

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["A", "B"], "duration": [3, 2], "predecessors": ["", "A"]})
    >>> build_project(t, start="2027-01-04")
    <Project 'Project': 2 tasks, 1 links, start=2027-01-04>
    """
    if isinstance(parts, pd.DataFrame):
        parts = {"tasks": parts}
    proj = dict(parts.get("project") or {})
    proj = {_SETTING_ALIASES.get(str(k).lower(), str(k).lower()): v for k, v in proj.items()}
    for k, v in settings.items():
        if v is not None:
            proj[_SETTING_ALIASES.get(k, k)] = v
    cal = proj.pop("calendar", None)
    workweek = proj.pop("workweek", None)
    holidays = proj.pop("holidays", None)
    if isinstance(cal, Calendar):
        calendar = cal if workweek is None and holidays is None else Calendar(
            workweek or cal.workweek, holidays if holidays is not None else cal.holidays)
    else:
        cal = dict(cal or {})
        calendar = Calendar(workweek if workweek is not None else cal.get("workweek"),
                            holidays if holidays is not None else (cal.get("holidays") or ()))
    start = parse_date(proj.pop("start", None), "project start")
    if start is not None:
        start = calendar.first_workday(start)
    status = parse_date(proj.pop("status_date", None), "status date")
    deadline_raw = proj.pop("deadline", None)
    if isinstance(deadline_raw, int | float) and not isinstance(deadline_raw, bool):
        deadline: pd.Timestamp | float | None = float(deadline_raw)
    else:
        deadline = parse_date(deadline_raw, "deadline")
    bac = proj.pop("bac", None)
    if bac is not None and not (isinstance(bac, float) and np.isnan(bac)):
        try:
            bac = float(bac)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"project bac {bac!r} is not a number; give the budget at "
                                  "completion as a number") from exc
    else:
        bac = None
    duration_from = proj.pop("duration_from", "mean")
    name = str(proj.pop("name", None) or "Project")
    currency = str(proj.pop("currency", "") or "")

    raw_tasks = parts.get("tasks")
    if raw_tasks is None:
        tasks = pd.DataFrame({c: pd.Series(dtype=object if k in ("text", "date") else float)
                              for c, k in TASK_COLUMNS.items()})
        tasks.index = pd.Index([], name="id", dtype=object)
        links = _empty_links()
        assignments = _empty_assignments()
        derived = np.zeros(0, dtype=bool)
    else:
        tasks, links, assignments, derived = _parse_tasks(pd.DataFrame(raw_tasks), duration_from,
                                                          start, calendar)
        _check_cycles(tasks, links)
    proj["_duration_derived"] = derived.tolist()
    proj["duration_from"] = duration_from
    return Project(
        tasks=tasks, links=links, name=name, start=start, calendar=calendar,
        status_date=status, deadline=deadline, currency=currency, bac=bac,
        assignments=assignments,
        risks=_frame(parts.get("risks")), resources=_frame(parts.get("resources")),
        periods=_frame(parts.get("periods")), wbs=_wbs_frame(parts.get("wbs")), settings=proj,
        source=parts.get("source"),
        computed=parts.get("computed"),
    )


def _wbs_frame(obj: object) -> pd.DataFrame | None:
    """The WBS dictionary part: codes kept as text (``1.10`` is not ``1.1``)."""
    df = _frame(obj)
    if df is None:
        return None
    if "wbs" not in df.columns:
        raise ValidationError("the 'wbs' table needs a 'wbs' column with the WBS codes "
                              "(e.g. 1, 1.2) and usually a 'name' column")
    df["wbs"] = _text_column(df["wbs"])
    return df


def _frame(obj: object) -> pd.DataFrame | None:
    if obj is None:
        return None
    df = obj if isinstance(obj, pd.DataFrame) else pd.DataFrame(obj)
    if df.empty and len(df.columns) == 0:
        return None
    return normalise_columns(df, aliases=False)
