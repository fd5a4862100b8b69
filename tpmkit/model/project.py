"""The frozen :class:`Project`, its :class:`Network` arrays and :func:`build_project`.

:func:`build_project` validates every part once (tasks, links, resources, assignments,
risks, periods, WBS dictionary, extra task columns; see :mod:`tpmkit.model.tasks`,
:mod:`tpmkit.model.links` and :mod:`tpmkit.model.parts`) and returns a frozen
:class:`Project`. Its tables are stored privately: each attribute access returns a shallow
copy (pandas copy-on-write), so changing what you got never changes the project nor its
cached network. Changes go through :meth:`Project.replace`, :meth:`Project.with_durations`
and :meth:`Project.with_links`, which validate again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import CycleError, ValidationError, check_option, format_ids
from tpmkit.model.calendar import Calendar, check_calendars, parse_date
from tpmkit.model.links import (
    LINK_TYPES,
    check_cycles,
    check_links,
    csr,
    links_from_text,
    links_text,
    topological_order,
)
from tpmkit.model.parts import check_periods, check_resources, check_risks, check_wbs_dictionary
from tpmkit.model.progress import derive_progress
from tpmkit.model.tasks import CONSTRAINT_TYPES, empty_assignments, empty_tasks, parse_tasks

__all__ = ["Network", "Project", "Settings", "build_project"]


# --------------------------------------------------------------------------------------
# the network arrays used by the fast engines
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Network:
    """Arrays describing the precedence network (see ``docs/contract.md``); read-only.

    ``alap_rule`` is how ALAP tasks are scheduled: the ``alap`` project setting
    (:data:`tpmkit._core.pdm.ALAP_RULES`).
    """

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
    alap_rule: str = "late_dates"

    def __post_init__(self) -> None:
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)

    @property
    def n_tasks(self) -> int:
        return len(self.ids)

    @property
    def n_links(self) -> int:
        return len(self.link_from)


def _build_network(tasks: pd.DataFrame, links: pd.DataFrame,
                   alap_rule: str = "late_dates") -> Network:
    n = len(tasks)
    index = pd.Index(tasks.index)
    lf = index.get_indexer(links["predecessor"]).astype(np.int64)
    lt = index.get_indexer(links["successor"]).astype(np.int64)
    order = topological_order(n, lf, lt)
    if order is None:  # validated already; defensive
        raise CycleError("the network has a cycle")
    pred_ptr, pred_idx, pred_link = csr(lt, lf, n)
    succ_ptr, succ_idx, succ_link = csr(lf, lt, n)
    # index lookups instead of Series.map: one hash pass, no per-element Python calls
    ctype = (pd.Index(CONSTRAINT_TYPES).get_indexer(tasks["constraint"].to_numpy(dtype=object))
             + 1).astype(np.int8)
    return Network(
        ids=np.asarray(tasks.index, dtype=object),
        duration=tasks["duration"].to_numpy(np.float64, copy=True),
        order=order,
        pred_ptr=pred_ptr, pred_idx=pred_idx, pred_link=pred_link,
        succ_ptr=succ_ptr, succ_idx=succ_idx, succ_link=succ_link,
        link_from=lf, link_to=lt,
        link_type=pd.Index(LINK_TYPES).get_indexer(links["type"].to_numpy(dtype=object))
        .astype(np.int8),
        lag=links["lag"].to_numpy(np.float64, copy=True),
        lag_percent=links["lag_percent"].to_numpy(np.float64, copy=True),
        constraint_type=ctype,
        constraint_offset=tasks["constraint_offset"].to_numpy(np.float64, copy=True),
        alap_rule=alap_rule,
    )


class Settings(Mapping):
    """A read-only mapping of the further project-level keys (picklable, unlike a mappingproxy)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None):
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"Settings({self._data!r})"


def _view(df: pd.DataFrame | None) -> pd.DataFrame | None:
    """A shallow copy: pandas copy-on-write copies the data on the first write to it."""
    return None if df is None else df.copy(deep=False)


# --------------------------------------------------------------------------------------
# the project
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Project:
    """A validated, immutable project: tasks, links, calendar, parts and settings.

    Build one with :func:`tpmkit.read` or :func:`build_project`. Table attributes
    (``tasks``, ``links``, ``assignments``, ``resources``, ``risks``, ``periods``, ``wbs``,
    ``computed``) return shallow copies: writing to them never changes the project. Use
    :meth:`replace`, :meth:`with_durations` or :meth:`with_links` for a changed project.

    Attributes
    ----------
    duration_derived : tuple of bool
        Per task: was the duration derived from the three-point estimate?
    duration_from : str
        ``"mean"`` (PERT mean) or ``"most_likely"``: how derived durations were computed.
    settings : mapping
        Further project-level keys of the file (read-only), written back by
        :meth:`settings_dict`.
    progress_notes : tuple of str
        Contradictions in the progress data and what is assumed instead (one line each;
        issued as warnings when a status-dated schedule uses them).

    Examples
    --------
    >>> p = build_project(pd.DataFrame({"id": ["A", "B"], "duration": [3, 2],
    ...                                 "predecessors": ["", "A"]}))
    >>> t = p.tasks
    >>> t.loc["A", "duration"] = -5                  # a copy: the project is unchanged
    >>> float(p.tasks.loc["A", "duration"])
    3.0
    >>> float(p.with_durations({"A": 4}).tasks.loc["A", "duration"])
    4.0
    """

    _tasks: pd.DataFrame = field(repr=False)
    _links: pd.DataFrame = field(repr=False)
    name: str = "Project"
    start: pd.Timestamp | None = None
    calendar: Calendar = field(default_factory=Calendar)
    status_date: pd.Timestamp | None = None
    deadline: pd.Timestamp | float | None = None
    currency: str = ""
    bac: float | None = None
    _assignments: pd.DataFrame = field(default_factory=empty_assignments, repr=False)
    _risks: pd.DataFrame | None = field(default=None, repr=False)
    _resources: pd.DataFrame | None = field(default=None, repr=False)
    _periods: pd.DataFrame | None = field(default=None, repr=False)
    _wbs: pd.DataFrame | None = field(default=None, repr=False)
    _computed: pd.DataFrame | None = field(default=None, repr=False)
    _progress: pd.DataFrame | None = field(default=None, repr=False)
    progress_notes: tuple[str, ...] = ()
    duration_derived: tuple[bool, ...] = ()
    duration_from: str = "mean"
    settings: Mapping[str, Any] = field(default_factory=Settings)
    source: str | None = None
    #: Named task calendars (``tasks["calendar"]`` names one; blank = ``calendar``).
    calendars: Mapping[str, Calendar] = field(default_factory=dict)

    @classmethod
    def from_parts(cls, parts: Mapping[str, Any] | pd.DataFrame, **settings: Any) -> Project:
        """Build a validated project from reader parts; see :func:`build_project`."""
        return build_project(parts, **settings)

    # -- tables (shallow copies) ---------------------------------------------------------
    @property
    def tasks(self) -> pd.DataFrame:
        """The validated task table, indexed by id (a copy)."""
        return self._tasks.copy(deep=False)

    @property
    def links(self) -> pd.DataFrame:
        """The link table: predecessor, successor, type, lag, lag_percent, text (a copy)."""
        return self._links.copy(deep=False)

    @property
    def assignments(self) -> pd.DataFrame:
        """Resource assignments: task, resource, units [per working day] (a copy)."""
        return self._assignments.copy(deep=False)

    @property
    def resources(self) -> pd.DataFrame | None:
        """The resources table (canonical ``id`` column) or None (a copy)."""
        return _view(self._resources)

    @property
    def risks(self) -> pd.DataFrame | None:
        """The risk register as read (canonical ``id`` column) or None (a copy)."""
        return _view(self._risks)

    @property
    def periods(self) -> pd.DataFrame | None:
        """The EVM period table or None (a copy)."""
        return _view(self._periods)

    @property
    def wbs(self) -> pd.DataFrame | None:
        """The WBS dictionary or None (a copy)."""
        return _view(self._wbs)

    @property
    def progress(self) -> pd.DataFrame:
        """The progress of every task at the status date (a copy; see
        :func:`tpmkit.model.progress.derive_progress`): ``status`` (``complete``,
        ``in_progress``, ``not_started``), ``percent_complete``, ``actual_start``,
        ``actual_finish`` (as given or as assumed), ``remaining_duration`` [working days]
        and, with a start date, ``actual_start_offset``, ``actual_finish_offset``.
        """
        if self._progress is None:  # a Project built directly, not by build_project
            return derive_progress(self._tasks, self.start, self.calendar, self.status_date)[0]
        return self._progress.copy(deep=False)

    @property
    def computed(self) -> pd.DataFrame | None:
        """The dates the source tool computed (imported files), or None (a copy)."""
        return _view(self._computed)

    # -- identity ------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Project):
            return NotImplemented
        return self._key() == other._key()

    def _key(self) -> tuple:
        def frame(df: pd.DataFrame | None) -> object:
            if df is None:
                return None
            return df.astype(object).where(df.notna(), None).to_dict("split")
        return (self.name, self.start, self.calendar, self.status_date, self.deadline,
                self.currency, self.bac,
                frame(self._tasks.drop(columns=["predecessors"])),  # the links say it exactly
                frame(self._links.drop(columns=["text"])), frame(self._risks),
                frame(self._resources), frame(self._periods), frame(self._wbs))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        start = f", start={self.start.date()}" if self.start is not None else ""
        return f"<Project {self.name!r}: {len(self._tasks)} tasks, {len(self._links)} links{start}>"

    def _repr_html_(self) -> str:
        head = f"<b>{self.name}</b> — {len(self._tasks)} tasks, {len(self._links)} links"
        if self.start is not None:
            head += f", starts {self.start.date()}"
        cols = [c for c in ("name", "duration", "predecessors", "wbs") if c in self._tasks]
        return f"<div>{head}</div>" + self._tasks[cols].head(20).to_html(na_rep="")

    # -- derived -------------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return list(self._tasks.index)

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
        """The network arrays for the fast engines (cached; read-only arrays)."""
        return self._network

    @cached_property
    def _network(self) -> Network:
        return _build_network(self._tasks, self._links,
                              str(self.settings.get("alap") or "late_dates"))

    # -- changes (validated again) -------------------------------------------------------
    def _parts(self) -> dict[str, Any]:
        return {"tasks": self._input_tasks(), "links": self._links, "risks": self._risks,
                "resources": self._resources, "periods": self._periods, "wbs": self._wbs,
                "computed": self._computed, "source": self.source,
                "calendars": dict(self.calendars)}

    def _input_tasks(self) -> pd.DataFrame:
        """The task table as build_project input: derived durations blank, offset constraints
        given as offsets (``constraint_offset`` is recomputed, its column position kept)."""
        t = self._tasks.reset_index()
        offset_only = t["constraint_date"].isna() & t["constraint_offset"].notna()
        if offset_only.any():
            t["constraint_date"] = t["constraint_date"].astype(object)
            t.loc[offset_only, "constraint_date"] = t.loc[offset_only, "constraint_offset"]
        derived = np.asarray(self.duration_derived, dtype=bool)
        if derived.any():
            t.loc[derived, "duration"] = np.nan
        return t

    def replace(self, **changes: Any) -> Project:
        """A re-validated copy with parts or settings changed.

        ``changes`` may hold ``tasks=`` (a raw task table; its ``predecessors`` column then
        gives the links unless ``links=`` is given too), ``links=`` (a link table),
        ``resources=``, ``risks=``, ``periods=``, ``wbs=`` or any project setting
        (``name``, ``start``, ``calendar``, ``deadline``, ``duration_from``, …).

        Examples
        --------
        >>> p = build_project(pd.DataFrame({"id": ["A"], "duration": [3]}))
        >>> p.replace(name="X").name
        'X'
        """
        parts = self._parts()
        if "tasks" in changes:
            parts["tasks"] = changes.pop("tasks")
            if "links" not in changes:
                parts.pop("links")
        for key in ("links", "risks", "resources", "periods", "wbs", "computed", "source",
                    "calendars"):
            if key in changes:
                parts[key] = changes.pop(key)
        settings = self.settings_dict()
        settings.update(changes)
        parts["project"] = settings
        return build_project(parts)

    def with_durations(self, durations: Mapping[str, float] | pd.Series | np.ndarray | list
                       ) -> Project:
        """A re-validated copy with new durations [working days].

        ``durations`` maps task id → duration (a dict or Series; tasks not named keep
        theirs) or is an array with one duration per task in task order.
        """
        t = self._input_tasks()
        if isinstance(durations, Mapping | pd.Series):
            values = pd.Series(durations, dtype=object)
            values.index = values.index.astype(str)
            unknown = values.index.difference(self._tasks.index)
            if len(unknown):
                raise ValidationError(f"with_durations names unknown task(s) {format_ids(unknown)}; "
                                      "use the project's task ids")
            pos = self._tasks.index.get_indexer(values.index)
            t["duration"] = t["duration"].astype(object)
            t.loc[pos, "duration"] = values.to_numpy(dtype=object)
        else:
            arr = np.asarray(durations)
            if arr.shape != (len(t),):
                raise ValidationError(f"with_durations got {arr.size} durations for {len(t)} tasks; "
                                      "give one duration per task in task order")
            t["duration"] = arr
        parts = self._parts()
        parts["tasks"] = t
        parts["project"] = self.settings_dict()
        return build_project(parts)

    def with_links(self, links: pd.DataFrame) -> Project:
        """A re-validated copy with a new link table (predecessor, successor, type, lag,
        lag_percent; lags [working days] and fractions kept exactly).
        """
        return self.replace(links=links)

    # -- file form -----------------------------------------------------------------------
    def to_table(self) -> pd.DataFrame:
        """The task table in input form (``id`` a column, only columns that hold data)."""
        t = self._tasks.drop(columns=["constraint_offset"]).reset_index()
        keep = [c for c in t.columns
                if c == "id" or not (t[c].isna().all() or (t[c].astype(str) == "").all())]
        t = t[keep]
        if "duration" in t and any(self.duration_derived):
            derived = np.asarray(self.duration_derived, dtype=bool)
            t.loc[derived, "duration"] = np.nan
            if t["duration"].isna().all():
                t = t.drop(columns=["duration"])
        return t

    def settings_dict(self) -> dict:
        """Project-level settings in file form (the ``project`` key)."""
        out = dict(self.settings)
        out["duration_from"] = self.duration_from
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


# --------------------------------------------------------------------------------------
# project settings
# --------------------------------------------------------------------------------------
_SETTING_ALIASES = {"start_date": "start", "project_start": "start", "statusdate": "status_date",
                    "data_date": "status_date", "project_name": "name", "title": "name",
                    "finish_deadline": "deadline"}


def _date_rule(proj: Mapping[str, Any]) -> dict:
    """The ``dayfirst`` / ``date_format`` project settings (how to read non-ISO date text)."""
    rule: dict[str, Any] = {}
    dayfirst = proj.get("dayfirst")
    if dayfirst is not None:
        if isinstance(dayfirst, str) and dayfirst.strip().lower() in ("true", "yes", "1", "false",
                                                                       "no", "0"):
            dayfirst = dayfirst.strip().lower() in ("true", "yes", "1")
        if not isinstance(dayfirst, bool | np.bool_):
            raise ValidationError(f"project setting dayfirst {dayfirst!r} is not true or false; "
                                  "write dayfirst: true (03/02/2027 is 3 February) or false")
        rule["dayfirst"] = bool(dayfirst)
    if proj.get("date_format"):
        rule["date_format"] = str(proj["date_format"])
    return rule


def _check_critical(proj: dict) -> None:
    """The ``critical`` and ``critical_float`` settings, checked once at the boundary."""
    if proj.get("critical") not in (None, ""):
        from tpmkit._core.codes import CRITICAL_RULES

        proj["critical"] = check_option(str(proj["critical"]), list(CRITICAL_RULES), "critical")
    value = proj.get("critical_float")
    if value not in (None, ""):
        try:
            ok = not isinstance(value, bool) and np.isfinite(float(value))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ValidationError(f"project setting critical_float {value!r} is not a number of "
                                  "working days; write e.g. critical_float: 0")
        proj["critical_float"] = float(value)


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
        ``bac``, ``duration_from`` (``"mean"`` or ``"most_likely"``) and ``alap`` (how
        "as late as possible" tasks are scheduled: ``"late_dates"``, MS Project's rule and
        the default, or ``"zero_free_float"``, P6's; :func:`tpmkit._core.pdm.alap_times`).

    Notes
    -----
    A reader may give ``parts["links"]``: a link table (predecessor, successor, type, lag
    [working days], lag_percent [fraction]) that replaces the ``predecessors`` text (which
    is then rebuilt from it for display and writing).

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["A", "B"], "duration": [3, 2], "predecessors": ["", "A"]})
    >>> build_project(t, start="2027-01-04")
    <Project 'Project': 2 tasks, 1 links, start=2027-01-04>
    """
    if isinstance(parts, pd.DataFrame):
        parts = {"tasks": parts}
    raw_proj = parts.get("project") or {}
    if not isinstance(raw_proj, Mapping):
        raise ValidationError(f"the project settings must be a mapping of key: value, not a "
                              f"{type(raw_proj).__name__} ({repr(raw_proj)[:80]}); write e.g. "
                              "project: {name: X, start: 2027-01-04}")
    proj = dict(raw_proj)
    proj = {_SETTING_ALIASES.get(str(k).lower(), str(k).lower()): v for k, v in proj.items()}
    for k, v in settings.items():
        if v is not None:
            proj[_SETTING_ALIASES.get(k, k)] = v
    cal = proj.pop("calendar", None)
    named_calendars = proj.pop("calendars", None)
    named_calendars = parts.get("calendars") or named_calendars
    workweek = proj.pop("workweek", None)
    holidays = proj.pop("holidays", None)
    if isinstance(cal, Calendar):
        calendar = cal if workweek is None and holidays is None else Calendar(
            workweek or cal.workweek, holidays if holidays is not None else cal.holidays,
            workdays=cal.workdays)
    else:
        if cal is not None and not isinstance(cal, Mapping):
            raise ValidationError(f"the project calendar must be a mapping with 'workweek' and "
                                  f"'holidays', not {repr(cal)[:80]}; write e.g. calendar: "
                                  "{workweek: [Mon, Tue, Wed, Thu, Fri], holidays: [2027-12-25]}")
        cal = dict(cal or {})
        calendar = Calendar(workweek if workweek is not None else cal.get("workweek"),
                            holidays if holidays is not None else (cal.get("holidays") or ()),
                            cal.get("working_times"), cal.get("hours_per_day"),
                            workdays=cal.get("workdays") or ())
    date_rule = _date_rule(proj)
    start = parse_date(proj.pop("start", None), "project start", **date_rule)
    if start is not None:
        start = calendar.first_workday(start)
    status = parse_date(proj.pop("status_date", None), "status date", **date_rule)
    deadline_raw = proj.pop("deadline", None)
    if isinstance(deadline_raw, int | float) and not isinstance(deadline_raw, bool):
        deadline: pd.Timestamp | float | None = float(deadline_raw)
    else:
        deadline = parse_date(deadline_raw, "deadline", **date_rule)
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

    duration_from = check_option(duration_from, ["mean", "most_likely"], "duration_from")
    if proj.get("alap") not in (None, ""):
        from tpmkit._core.pdm import ALAP_RULES

        proj["alap"] = check_option(str(proj["alap"]), list(ALAP_RULES), "alap")
    _check_critical(proj)
    raw_tasks = parts.get("tasks")
    raw_links = parts.get("links")
    if raw_tasks is None:
        tasks = empty_tasks()
        assignments = empty_assignments()
        derived = np.zeros(0, dtype=bool)
    else:
        tasks, assignments, derived = parse_tasks(pd.DataFrame(raw_tasks), duration_from,
                                                  start, calendar, date_rule)
    if raw_links is not None:
        links = check_links(pd.DataFrame(raw_links), tasks.index, "the link table")
        tasks["predecessors"] = links_text(links, tasks.index)
    else:
        links = links_from_text(tasks)
    check_cycles(tasks, links)
    progress, notes = derive_progress(tasks, start, calendar, status)
    computed = parts.get("computed")
    return Project(
        _tasks=tasks, _links=links, name=name, start=start, calendar=calendar,
        status_date=status, deadline=deadline, currency=currency, bac=bac,
        _assignments=assignments,
        _risks=check_risks(parts.get("risks")),
        _resources=check_resources(parts.get("resources")),
        _periods=check_periods(parts.get("periods"), tasks.index),
        _wbs=check_wbs_dictionary(parts.get("wbs")),
        _computed=None if computed is None else pd.DataFrame(computed), _progress=progress,
        progress_notes=notes,
        duration_derived=tuple(np.asarray(derived, dtype=bool).tolist()),
        duration_from=duration_from,
        settings=Settings(proj), source=parts.get("source"),
        calendars=check_calendars(named_calendars, tasks,
                                  str(proj.get("calendar_name") or "")),
    )
