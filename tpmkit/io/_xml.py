"""Shared helpers of the interop readers: safe XML parsing and working-time arithmetic.

Every XML file tpmkit reads goes through :func:`parse_xml`, which uses :mod:`defusedxml`
(entity declarations, external entities and DTD network access are refused), enforces a
size limit and turns parser errors into :class:`~tpmkit.errors.FileFormatError` naming
the file, line and column. :class:`WorkTime` converts the date-times stored by scheduling
tools into fractional working-day offsets, so dates written by MS Project, Primavera P6,
GanttProject or Planner can be compared with tpmkit's schedule.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import numpy as np
import pandas as pd

from tpmkit.errors import FileFormatError, InputFileError, format_ids
from tpmkit.io.limits import DEFAULTS, MAX_DATE_CHARS, check_size
from tpmkit.model.calendar import DATE_MAX, DATE_MIN, WEEKDAYS, Calendar
from tpmkit.model.columns import is_task_id
from tpmkit.model.links import LINK_COLUMNS, expand_summary_links, format_link, format_number

__all__ = [
    "DAY_NAMES",
    "MAX_BYTES",
    "MSPDI_CONSTRAINTS",
    "MSPDI_ELAPSED_CALENDAR",
    "MSPDI_ELAPSED_DAY",
    "MSPDI_ID_ALIAS",
    "MSPDI_ID_FIELD",
    "MSPDI_LINK_TYPES",
    "MSPDI_RESOURCE_ID_ALIAS",
    "MSPDI_RESOURCE_ID_FIELD",
    "WorkTime",
    "check_size",
    "computed_frame",
    "earliest_stored_start",
    "format_number",
    "links_and_text",
    "links_table",
    "parse_xml",
    "predecessors_text",
    "read_bytes",
    "read_text",
    "safe_ids",
    "stamp",
    "status_day",
    "stored_offsets",
    "strip_namespaces",
    "summary_leaves",
    "task_frame",
    "task_tree",
]

#: Default size limit for any imported file [bytes]; pass ``max_bytes=`` to a reader or set
#: ``TPMKIT_MAX_FILE_BYTES`` to change it (:mod:`tpmkit.io.limits`).
MAX_BYTES = DEFAULTS["file_bytes"][1]

#: Weekday names used in ``project["calendar"]["workweek"]``, Monday first (the model's table).
DAY_NAMES = WEEKDAYS

#: MS Project XML codes shared by its reader (:mod:`tpmkit.io.mspdi`) and writer
#: (:mod:`tpmkit.io.mspdi_write`): link ``Type`` → tpmkit link type, ``ConstraintType`` →
#: tpmkit constraint (0 ASAP is none; 1 ALAP has no date); tpmkit ids are free text, so an export keeps
#: them in the Text1 custom field (``FieldID``) under the alias ``MSPDI_ID_ALIAS``.
MSPDI_LINK_TYPES = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
MSPDI_CONSTRAINTS = {1: "ALAP", 2: "MSO", 3: "MFO", 4: "SNET", 5: "SNLT", 6: "FNET", 7: "FNLT"}
MSPDI_ID_ALIAS = "tpmkit id"
#: An elapsed duration (``em``/``eh``/``ed``/``ew``/``emo``) is clock time: its task is on this
#: 24-hour calendar, in days of 1,440 minutes (reader and writer)
MSPDI_ELAPSED_CALENDAR = "24 Hours (elapsed)"
MSPDI_ELAPSED_DAY = 1440.0
MSPDI_ID_FIELD = "188743731"
#: resource ids likewise, in the resource Text1 field (the resource ``Name`` holds its name)
MSPDI_RESOURCE_ID_ALIAS = "tpmkit resource id"
MSPDI_RESOURCE_ID_FIELD = "205520904"

_NOT_ID = r"[^\w.\-]+"  # ids hold Unicode letters and digits (tpmkit.model.columns.is_task_id)


def read_bytes(path: str | os.PathLike, max_bytes: int | None = None) -> bytes:
    """Read ``path`` after checking its size against ``max_bytes`` (default :data:`MAX_BYTES`)."""
    check_size(path, max_bytes)
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read {str(path)!r}: {exc.strerror or exc}; "
                             "check the path and permissions") from None


def read_text(path: str | os.PathLike, max_bytes: int | None = None) -> str:
    """Read a text export: UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    data = read_bytes(path, max_bytes)
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def strip_namespaces(root: Element) -> Element:
    """Remove ``{namespace}`` prefixes from every tag in place and return ``root``."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = el.tag.split("}", 1)[1]
    return root


def parse_xml(path: str | os.PathLike, *, max_bytes: int | None = None,
              data: bytes | None = None) -> Element:
    """Parse an XML file safely and return its root element without namespaces.

    Parameters
    ----------
    path : path-like
        The file (also used in error messages when ``data`` is given).
    max_bytes : int, optional
        Size limit [bytes]; default :data:`MAX_BYTES`.
    data : bytes, optional
        Already-read content of ``path``.

    Raises
    ------
    FileFormatError
        The file is not well-formed XML (message names line and column), or it declares
        entities (a "billion laughs" bomb) or references external entities/DTDs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bomb.xml"
    >>> _ = p.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    >>> parse_xml(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tpmkit.errors.FileFormatError: ...declares XML entities...
    """
    import defusedxml
    import defusedxml.ElementTree as SafeET

    name = str(path)
    if data is None:
        data = read_bytes(path, max_bytes)
    elif max_bytes is not None and len(data) > max_bytes:
        raise InputFileError(f"file {name!r} is {len(data):,} bytes, above the import limit of "
                             f"{int(max_bytes):,} bytes; pass max_bytes=... if the file is trusted")
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True,
                                 forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        if getattr(exc, "sysid", None) or getattr(exc, "pubid", None):
            raise FileFormatError(
                f"{name}: refused to import: the file declares an external entity "
                f"({exc.name!r} → {exc.sysid or exc.pubid!r}), which could read local files or "
                "the network; re-export the file from the scheduling tool") from None
        raise FileFormatError(
            f"{name}: refused to import: the file declares XML entities ({exc.name!r}), which "
            "can expand into a memory-exhausting 'XML bomb'; re-export the file from the "
            "scheduling tool without a DTD") from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden) as exc:
        raise FileFormatError(
            f"{name}: refused to import: the file references an external entity or DTD "
            f"({getattr(exc, 'sysid', None) or exc}), which could read local files or the "
            "network; re-export the file from the scheduling tool") from None
    except ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        raise FileFormatError(
            f"{name}: not well-formed XML at line {line}, column {col + 1} ({exc.msg if hasattr(exc, 'msg') else exc}); "
            "the file is truncated or damaged: export it again") from None
    except (ValueError, UnicodeError, LookupError) as exc:
        raise FileFormatError(f"{name}: cannot decode the XML ({str(exc)[:80]}); "
                              "save the file as UTF-8 XML") from None
    return strip_namespaces(root)


def links_table(rows: Iterable[tuple], id_of: Mapping[str, str],
                leaves: Mapping[str, list[str]] | None = None
                ) -> tuple[pd.DataFrame, list[tuple[str, str]], list[tuple[str, str]]]:
    """The ``parts["links"]`` table of a reader from its links in the file's own id space.

    ``rows`` are ``(predecessor, successor, type, lag [working days], lag_percent
    [fraction])`` with the file's ids (UIDs, keys …); ``id_of`` maps those to task ids;
    ``leaves`` maps each summary task to its leaf tasks, and links on summaries are moved
    to the leaves by the one shared :func:`tpmkit.model.expand_summary_links`. Links are
    ordered by their successor's position in ``id_of`` (input order kept otherwise); lags
    are kept exactly. Returns the table, the moved and the dropped (unknown end) pairs.

    Examples
    --------
    >>> t, moved, dropped = links_table([("1", "2", "SS", 0.1234567, 0.0)], {"1": "A", "2": "B"})
    >>> t.to_dict("records")
    [{'predecessor': 'A', 'successor': 'B', 'type': 'SS', 'lag': 0.1234567, 'lag_percent': 0.0}]
    """
    rows = list(rows)
    moved: list[tuple[str, str]] = []
    if leaves:
        rows, moved = expand_summary_links(rows, leaves)
    pos = {k: i for i, k in enumerate(id_of)}
    kept, dropped = [], []
    for p, s, kind, lag, pct in rows:
        if p in id_of and s in id_of:
            kept.append((id_of[p], id_of[s], str(kind).upper(), float(lag), float(pct), pos[s]))
        else:
            dropped.append((p, s))
    kept.sort(key=lambda r: r[5])
    kept = list(dict.fromkeys(r[:5] for r in kept))
    table = pd.DataFrame(kept, columns=list(LINK_COLUMNS)).astype(
        {"predecessor": object, "successor": object, "type": object, "lag": float,
         "lag_percent": float})
    return table, moved, dropped


#: one predecessor entry for display/writing (``'A SS+2d'``); see :func:`tpmkit.model.format_link`
link_text = format_link


def predecessors_text(links: pd.DataFrame, ids: Iterable[str]) -> list[str]:
    """The ``predecessors`` text column (display and writing) of each task from a link table."""
    texts: dict[str, list[str]] = {}
    for p, s, kind, lag, pct in links[list(LINK_COLUMNS)].itertuples(index=False, name=None):
        texts.setdefault(s, []).append(format_link(p, kind, lag, pct))
    return ["; ".join(dict.fromkeys(texts.get(i, []))) for i in ids]


def links_and_text(rows: Iterable[tuple], id_of: Mapping[str, str],
                   leaves: Mapping[str, list[str]] | None = None
                   ) -> tuple[pd.DataFrame, list[tuple[str, str]], dict[str, str]]:
    """The link table, the moved summary pairs and each file id's ``predecessors`` text.

    The step every reader shares: :func:`links_table` then :func:`predecessors_text`,
    keyed by the file's own ids (the keys of ``id_of``).
    """
    links, moved, _ = links_table(rows, id_of, leaves)
    text = dict(zip(id_of, predecessors_text(links, id_of.values()), strict=True))
    return links, moved, text


def stamp(text: str, fmt: str | None = None) -> pd.Timestamp:
    """A date-time written in a file, inside the supported range 1900-01-01 … 2200-12-31.

    The one date rule of the interop readers: text longer than
    :data:`~tpmkit.io.limits.MAX_DATE_CHARS` is refused unparsed (date parsing of a
    megabyte-long string is quadratic), and a date outside the model's range is refused
    so that no date arithmetic later can overflow. Raises ``ValueError`` with a short
    reason that the reader puts into its message (naming file, record and field).

    Examples
    --------
    >>> stamp("2024-01-08T08:00:00")
    Timestamp('2024-01-08 08:00:00')
    >>> stamp("9999-12-31")
    Traceback (most recent call last):
    ...
    ValueError: outside the supported range 1900-01-01 … 2200-12-31
    """
    if len(text) > MAX_DATE_CHARS:
        raise ValueError(f"over {MAX_DATE_CHARS} characters")
    try:
        ts = pd.Timestamp(text) if fmt is None else pd.to_datetime(text, format=fmt)
    except (ValueError, TypeError, OverflowError):
        raise ValueError("not a date") from None
    if pd.isna(ts):
        raise ValueError("not a date")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    if not DATE_MIN <= ts.normalize() <= DATE_MAX:
        raise ValueError(f"outside the supported range {DATE_MIN.date()} … {DATE_MAX.date()}")
    return ts


def status_day(when: Any, wt: WorkTime, what: str, warnings: list[str]) -> str | None:
    """The status date (ISO day, read as the *end* of that day) of a tool's status instant.

    P6's data date and MS Project's status date are instants: ``2015-02-24 00:00`` (before
    the day's first working minute) means the remaining work starts on 24 February, which
    tpmkit's day-based status date expresses as the end of 23 February. An instant after
    the day's working time (17:00) is the end of that day; one inside it cannot be expressed
    in whole days and is rounded to the end of the day with a warning.

    Examples
    --------
    >>> wt = WorkTime([True] * 5 + [False] * 2, [])
    >>> [status_day(pd.Timestamp(t), wt, "x", []) for t in ("2015-02-24 00:00",
    ...                                                     "2015-02-24 17:00")]
    ['2015-02-23', '2015-02-24']
    """
    if when is None or pd.isna(when):
        return None
    when = pd.Timestamp(when)
    day = when.normalize()
    frac = float(wt.offsets([when], day)[0])
    if frac <= 0.0:
        day -= pd.Timedelta(days=1)
    elif frac < 1.0:
        warnings.append(f"{what} {when:%Y-%m-%d %H:%M} lies inside a working day; tpmkit "
                        "counts progress in whole days and uses the end of that day")
    return day.date().isoformat()


def earliest_stored_start(start: Any, computed: Iterable[Mapping[str, Any]]) -> Any:
    """``start``, or when it is missing the earliest stored ``early_start_date`` (else NaT)."""
    if pd.isna(start):
        es = [c["early_start_date"] for c in computed if pd.notna(c["early_start_date"])]
        start = min(es) if es else pd.NaT
    return start


def computed_frame(computed: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The ``parts["computed"]`` table of the stored dates, indexed by task id (empty if none)."""
    return pd.DataFrame(computed).set_index("id") if len(computed) else pd.DataFrame()


def stored_offsets(computed: Sequence[Mapping[str, Any]], start: Any, wt: WorkTime,
                   columns: Iterable[str]) -> pd.DataFrame:
    """:func:`computed_frame` plus each ``<column>_date`` as a working-day offset from ``start``."""
    comp = computed_frame(computed)
    if not comp.empty and pd.notna(start):
        origin = wt.offsets([start], start)[0]
        for c in columns:
            comp[c] = wt.offsets(comp[f"{c}_date"].to_numpy(), start) - origin
    return comp


def task_tree(parent: Element | None) -> list[tuple[Element, str, bool]]:
    """Nested ``<task>`` elements depth-first in document order: (element, WBS code, summary?)."""
    raw: list[tuple[Element, str, bool]] = []

    def walk(el: Element, prefix: str) -> None:
        for k, t in enumerate(el.findall("task"), start=1):
            code = f"{prefix}{k}"
            raw.append((t, code, t.find("task") is not None))
            walk(t, code + ".")

    if parent is not None:
        walk(parent, "")
    return raw


def summary_leaves(raw: Sequence[tuple[Element, str, bool]]
                   ) -> tuple[set[str], dict[str, list[str]]]:
    """The summary ids of a :func:`task_tree` and each summary's leaf (non-summary) task ids."""
    summary = {t.get("id") for t, _, s in raw if s}
    leaves = {t.get("id"): [c.get("id") for c in t.iter("task")
                            if c is not t and c.get("id") not in summary]
              for t, _, s in raw if s}
    return summary, leaves


def safe_ids(raw: Sequence[object], what: str = "task") -> tuple[list[str], list[str]]:
    """Make ids valid for the task table (letters, digits, ``_``, ``-``, ``.``) and unique.

    Returns the new ids and a list of warnings (one per kind of change).

    Examples
    --------
    >>> safe_ids(["A 1", "A_1", "B"])[0]
    ['A_1', 'A_1_2', 'B']
    """
    out: list[str] = []
    seen: set[str] = set()
    changed: list[str] = []
    dupes: list[str] = []
    for r in raw:
        s = str(r).strip()
        cand = s if is_task_id(s) else (re.sub(_NOT_ID, "_", s).strip("_") or "id")
        if cand != s:
            changed.append(s)
        t, k = cand, 2
        while t in seen:
            t = f"{cand}_{k}"
            k += 1
        if t != cand:
            dupes.append(s)
        seen.add(t)
        out.append(t)
    warnings = []
    if what == "resource":  # resource names with spaces are normal; the table keeps the name
        changed = [c for c in changed if re.sub(r"\s+", "_", c.strip()) != re.sub(
            _NOT_ID, "_", c.strip()).strip("_")]
    if changed:
        warnings.append(f"{what} ids {format_ids(changed)} contain characters that are not "
                        "allowed in ids (letters, digits, _, -, .); they were replaced by '_'")
    if dupes:
        warnings.append(f"{what} ids {format_ids(dupes)} are not unique; a suffix _2, _3, ... "
                        "was added to the repeats")
    return out, warnings


TASK_COLUMNS = ("id", "name", "duration", "predecessors", "wbs", "constraint", "constraint_date",
                "resources", "cost", "baseline_start", "baseline_finish", "baseline_cost",
                "percent_complete", "actual_start", "actual_finish", "actual_cost")


def task_frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Build the task table from row dicts: canonical columns first, extra columns after."""
    df = pd.DataFrame(list(rows))
    if df.empty:
        df = pd.DataFrame(columns=list(TASK_COLUMNS))
    for c in TASK_COLUMNS:
        if c not in df.columns:
            df[c] = np.nan
    extra = [c for c in df.columns if c not in TASK_COLUMNS]
    df = df[list(TASK_COLUMNS) + extra]
    for c in ("name", "predecessors", "wbs", "constraint", "resources"):
        df[c] = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                 for v in df[c]]
    for c in ("duration", "cost", "baseline_cost", "percent_complete", "actual_cost"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    for c in ("constraint_date", "baseline_start", "baseline_finish", "actual_start",
              "actual_finish"):
        df[c] = pd.to_datetime(df[c], errors="coerce")
    return df.reset_index(drop=True)


class WorkTime:
    """Working time of a calendar at minute resolution, for date-time ↔ working-day offsets.

    Parameters
    ----------
    weekmask : sequence of 7 bool
        Working weekdays, Monday first.
    holidays : sequence of dates
        Non-working dates.
    day_minutes : sequence of 7 lists of (from, to) minute pairs, optional
        Working intervals of each weekday [minutes after midnight]; default 08:00–12:00,
        13:00–17:00 on working days.
    workdays : sequence of dates
        Extra working dates (on weekdays the weekmask does not work); they work the
        intervals of the first working weekday, as :class:`tpmkit.model.Calendar` does.

    Notes
    -----
    The offset of a date-time ``t`` from the project start day ``s`` is the number of
    working days in ``[s, date(t))`` plus the worked fraction of ``date(t)`` before the
    time of ``t``. A finish at 17:00 and the next working day's start at 08:00 therefore
    have the same offset, which is how MS Project and P6 treat them.

    Examples
    --------
    >>> wt = WorkTime([True] * 5 + [False] * 2, [])
    >>> start = pd.Timestamp("2006-09-21")  # a Thursday
    >>> wt.offsets(pd.to_datetime(["2006-09-21 08:00", "2006-09-22 17:00",
    ...                            "2006-09-25 08:00", "2006-09-21 12:00"]), start).tolist()
    [0.0, 2.0, 2.0, 0.5]
    """

    def __init__(self, weekmask: Sequence[bool], holidays: Iterable[object] = (),
                 day_minutes: Sequence[Sequence[tuple[int, int]]] | None = None,
                 workdays: Iterable[object] = ()):
        self.weekmask = np.asarray([bool(x) for x in weekmask], dtype=bool)
        if self.weekmask.shape != (7,):
            raise ValueError("weekmask needs 7 entries, Monday first")
        if not self.weekmask.any():
            self.weekmask = np.array([True] * 5 + [False] * 2)
        hol = pd.to_datetime(pd.Series(list(holidays), dtype=object), errors="coerce").dropna()
        self.holidays = np.unique(hol.values.astype("datetime64[D]"))
        extra = pd.to_datetime(pd.Series(list(workdays), dtype=object), errors="coerce").dropna()
        extra = np.setdiff1d(np.unique(extra.values.astype("datetime64[D]")), self.holidays)
        # the model's business-day calendar (the one weekday table), extra dates included
        self.busdaycal = Calendar(tuple(self.weekmask), self.holidays, workdays=extra).busdaycal
        self._first = int(np.flatnonzero(self.weekmask)[0])  # an extra date works its hours
        if day_minutes is None:
            day_minutes = [[(480, 720), (780, 1020)] if w else [] for w in self.weekmask]
        self.day_minutes = [sorted((int(a), int(b)) for a, b in d) for d in day_minutes]
        # cumulative worked minutes at each minute of the day, per weekday (7 x 1441)
        cum = np.zeros((7, 1441))
        for wd, intervals in enumerate(self.day_minutes):
            mask = np.zeros(1440)
            for a, b in intervals:
                mask[max(a, 0):min(b, 1440)] = 1.0
            if not mask.any() and self.weekmask[wd]:
                mask[480:1020] = 1.0
            cum[wd, 1:] = np.cumsum(mask)
        self._cum = cum

    def minutes_per_day(self) -> float:
        """Mean working minutes of a working weekday [min]."""
        days = self._cum[self.weekmask, -1]
        return float(days.mean()) if days.size else 480.0

    def offsets(self, times: Any, start: Any) -> np.ndarray:
        """Fractional working-day offsets of date-times ``times`` from the start day ``start``.

        NaT gives NaN. Times on non-working days count as the end of the previous
        working day (whole-day offsets).
        """
        t = pd.to_datetime(pd.Series(np.atleast_1d(np.asarray(times, dtype=object))),
                           errors="coerce")
        out = np.full(len(t), np.nan)
        ok = t.notna().to_numpy()
        if not ok.any():
            return out
        tv = t[ok]
        day = tv.dt.normalize().values.astype("datetime64[D]")
        s = np.datetime64(pd.Timestamp(start).normalize().date(), "D")
        whole = np.busday_count(s, day, busdaycal=self.busdaycal)
        wd = tv.dt.day_of_week.to_numpy()
        wd = np.where(self.weekmask[wd], wd, self._first)
        minute = (tv.dt.hour * 60 + tv.dt.minute).to_numpy() + tv.dt.second.to_numpy() / 60.0
        lo = np.floor(minute).astype(int)
        frac_minute = minute - lo
        hi = np.minimum(lo + 1, 1440)
        worked = self._cum[wd, lo] + (self._cum[wd, hi] - self._cum[wd, lo]) * frac_minute
        total = self._cum[wd, 1440]
        is_work = np.is_busday(day, busdaycal=self.busdaycal)
        frac = np.where(is_work & (total > 0), worked / np.where(total > 0, total, 1.0), 0.0)
        out[ok] = whole + frac
        return out

    def dates(self, offsets: Any, start: Any) -> pd.DatetimeIndex:
        """Date (midnight) of the working day that contains each whole offset from ``start``."""
        off = np.asarray(offsets, dtype=float)
        s = np.datetime64(pd.Timestamp(start).normalize().date(), "D")
        s = np.busday_offset(s, 0, roll="forward", busdaycal=self.busdaycal)
        res = np.busday_offset(s, np.floor(off).astype(int), roll="forward",
                               busdaycal=self.busdaycal)
        return pd.DatetimeIndex(res.astype("datetime64[ns]"))
