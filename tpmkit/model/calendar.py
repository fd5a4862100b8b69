"""Working-day calendars: working weekdays plus holidays, on numpy's business-day functions.

Offsets are working days from the project start (see ``docs/contract.md``). A task that
starts at offset ``s`` and lasts ``d > 0`` days occupies working days ``s … s+d-1``; its
finish offset is ``s + d``. Dates follow MS Project's conventions: a one-day task that
starts on a Monday finishes on that Monday.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids, quote

__all__ = ["DATE_MAX", "DATE_MIN", "MAX_DAYS", "WEEKDAYS", "Calendar", "busdaycal", "check_calendars",
           "check_date_range", "parse_date", "parse_date_column", "parse_holidays",
           "parse_working_times", "parse_workweek", "task_calendars"]

#: The supported range of dates (project start, status date, task dates, scheduled dates).
DATE_MIN = pd.Timestamp("1900-01-01")
DATE_MAX = pd.Timestamp("2200-12-31")
#: The largest duration or lag, in working days (100 years), so no date overflow can happen.
MAX_DAYS = 36_500.0

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_ALIASES = {d.lower(): i for i, d in enumerate(WEEKDAYS)}
_DAY_ALIASES.update({name.lower(): i for i, name in enumerate(
    ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))})


_ISO = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}(?:[ T].*)?$")
_NUMERIC = re.compile(r"^\s*(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})\s*$")
_FIX = ("write dates as YYYY-MM-DD, or set the project setting dayfirst (true: 03/02/2027 is "
        "3 February; false: 2 March) or date_format (e.g. '%d/%m/%Y')")


def _dayfirst_of(texts: list[str], what: str, cells: list[object],
                 dayfirst: bool | None) -> bool | None:
    """One reading for all ``dd/mm/yyyy``-like cells of a column, or an error naming them.

    A day above 12 in the first place means day-first, in the second place month-first;
    the column follows the cells that decide it. Cells that read both ways (``03/02/2027``)
    with nothing deciding them, or a column that mixes both orders, are refused.
    """
    if dayfirst is not None:
        return bool(dayfirst)
    first, second, ambiguous = [], [], []
    for text, cell in zip(texts, cells):
        m = _NUMERIC.match(text)
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(3))
        if a > 12 >= b:
            first.append(cell)
        elif b > 12 >= a:
            second.append(cell)
        elif a != b:
            ambiguous.append(cell)
    if len(texts) == 1 and ambiguous:
        raise ValidationError(f"{what} reads both day-first and month-first; {_FIX}")
    if first and second:
        raise ValidationError(f"{what} mixes day-first dates ({format_ids(first)}) and "
                              f"month-first dates ({format_ids(second)}); {_FIX}")
    if first or second:
        return bool(first)
    if ambiguous:
        raise ValidationError(f"{what} holds dates that read both day-first and month-first "
                              f"({format_ids(ambiguous)}); {_FIX}")
    return None


def _parse_one(text: str, dayfirst: bool | None, date_format: str | None) -> pd.Timestamp:
    if len(text) > 64:  # no date is that long; parsing megabytes of text is quadratic
        raise ValueError("too long for a date")
    if date_format and not _ISO.match(text):
        return pd.Timestamp(dt.datetime.strptime(text.strip(), date_format))
    return pd.Timestamp(pd.to_datetime(text.strip(), dayfirst=bool(dayfirst)))


def parse_date(value: object, what: str = "date", *, dayfirst: bool | None = None,
               date_format: str | None = None) -> pd.Timestamp | None:
    """Parse a date (ISO string, datetime, Timestamp) to a normalised Timestamp; None stays None.

    ISO dates (``2027-01-04``) always read the same; ``date_format`` (``'%d/%m/%Y'``) or
    ``dayfirst`` (the project settings of the same names) say how to read other text. A
    date such as ``03/02/2027`` that reads both ways without such a setting is refused.

    Raises
    ------
    ValidationError
        When the value is not a date or is ambiguous; the message names ``what``.

    Examples
    --------
    >>> parse_date("2027-01-04")
    Timestamp('2027-01-04 00:00:00')
    >>> parse_date("03/02/2027", dayfirst=True)
    Timestamp('2027-02-03 00:00:00')
    >>> parse_date("13/02/2027")
    Timestamp('2027-02-13 00:00:00')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    try:
        if isinstance(value, str):
            rule = _dayfirst_of([value], f"{what} {value.strip()!r}", [value.strip()], dayfirst)
            ts = _parse_one(value, rule, date_format)
        else:
            ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise ValidationError(
            f"cannot read {what} {quote(value)} as a date; write it as YYYY-MM-DD, e.g. 2027-01-04"
        ) from exc
    if pd.isna(ts):
        return None
    ts = ts.tz_localize(None).normalize() if ts.tzinfo else ts.normalize()
    check_date_range(ts, what)
    return ts


def parse_date_column(raw: pd.Series, what: str, *, dayfirst: bool | None = None,
                      date_format: str | None = None) -> pd.Series:
    """A column of dates read with one rule for the whole column (NaT where blank or unreadable).

    ISO cells first; the other text follows ``date_format``, else ``dayfirst``, else the
    cells that decide it (``13/02/2027`` is day-first, so ``03/02/2027`` in the same column
    is 3 February); a column whose ``dd/mm`` cells read both ways is refused, naming them
    (by the index of ``raw``, the task ids). Unreadable cells come back as NaT for the
    caller to report.

    Examples
    --------
    >>> s = pd.Series(["03/02/2027", "13/02/2027", "2027-03-01"], index=["A", "B", "C"])
    >>> parse_date_column(s, "column 'baseline_start'").dt.strftime("%m-%d").tolist()
    ['02-03', '02-13', '03-01']
    """
    cells = raw.astype(object).copy()
    is_text = raw.map(lambda v: isinstance(v, str) and bool(v.strip())).to_numpy(dtype=bool)
    if is_text.any():
        texts = raw[is_text].astype(str)
        rest = texts[~texts.str.match(_ISO).to_numpy(dtype=bool)]  # ISO cells read as they are
        if len(rest):
            labels = [f"{i} {t.strip()}" for i, t in zip(rest.index, rest)]
            rule = dayfirst if date_format else _dayfirst_of(rest.tolist(), what, labels, dayfirst)
            parsed = []
            for text in rest:
                try:
                    parsed.append(_parse_one(text, rule, date_format))
                except (ValueError, TypeError, OverflowError):
                    parsed.append(None)  # unreadable: NaT, for the caller to report
            positions = np.flatnonzero(is_text)[~texts.str.match(_ISO).to_numpy(dtype=bool)]
            for k, value in zip(positions, parsed):
                cells.iat[k] = value
    try:
        return pd.to_datetime(cells, errors="coerce", format="mixed")
    except ValueError:  # cells with different UTC offsets: keep each cell's wall time
        return pd.to_datetime(cells.map(_wall_time), errors="coerce", format="mixed")


def _wall_time(value: object) -> object:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


def check_date_range(ts: pd.Timestamp, what: str = "date") -> None:
    """Refuse a date outside the supported range :data:`DATE_MIN` … :data:`DATE_MAX`."""
    if not DATE_MIN <= ts <= DATE_MAX:
        raise ValidationError(
            f"{what} {ts.date().isoformat()} is outside the supported range "
            f"{DATE_MIN.date().isoformat()} … {DATE_MAX.date().isoformat()}; give a date in that range")


@dataclass(frozen=True)
class Calendar:
    """Working weekdays and holidays, optionally with working hours.

    Parameters
    ----------
    workweek : iterable of str or 7 bools
        Working weekdays, e.g. ``["Mon", "Tue", "Wed", "Thu", "Fri"]`` (the default).
    holidays : iterable of dates
        Non-working dates.
    working_times : mapping, optional
        Working hours of each working weekday, ``{"Mon": ["08:00-12:00", "13:00-17:00"],
        …}`` (a range may run past midnight: ``"23:00-08:00"``); default whole days. Used
        when a plan has several calendars (:func:`tpmkit.schedule`); a plan on one
        calendar is scheduled in its whole working days.
    hours_per_day : float, optional
        The length of one working day of duration on this calendar [h]; default the mean
        working hours of its working weekdays (24 for whole days). MS Project's day is the
        project's ``MinutesPerDay`` on every calendar; P6's the calendar's work periods.
    name : str
        The calendar's name (for messages).
    workdays : iterable of dates
        Extra working dates: worked although their weekday is not (a Saturday shift; MS
        Project's and P6's working exceptions). With working hours they work the hours of
        the first working weekday. A date cannot be a holiday and a workday at once.

    Examples
    --------
    >>> cal = Calendar(holidays=["2027-04-02"])
    >>> start = pd.Timestamp("2027-03-29")           # a Monday
    >>> cal.finish_dates([5.0], start)[0]            # 5 days incl. Good Friday off
    Timestamp('2027-04-05 00:00:00')
    >>> Calendar(working_times={d: ["08:00-16:00"] for d in WEEKDAYS[:5]}).minutes_per_day
    480.0
    >>> shifted = Calendar(holidays=["2027-04-02"], workdays=["2027-04-03"])
    >>> shifted.finish_dates([5.0], start)[0]        # the Saturday after it is worked
    Timestamp('2027-04-03 00:00:00')
    """

    weekmask: tuple[bool, ...] = (True, True, True, True, True, False, False)
    holidays: tuple[np.datetime64, ...] = field(default_factory=tuple)
    working_times: tuple[tuple[tuple[int, int], ...], ...] | None = None
    hours_per_day: float | None = None
    workdays: tuple[np.datetime64, ...] = field(default_factory=tuple)
    name: str = field(default="", compare=False)

    def __init__(self, workweek: Iterable[str] | Iterable[bool] | str | None = None,
                 holidays: Iterable[object] = (), working_times: object = None,
                 hours_per_day: float | None = None, name: str = "",
                 workdays: Iterable[object] = ()):
        what = f"calendar {name!r}" if name else "the calendar"
        mask = parse_workweek(workweek, f"the workweek of {what}")
        object.__setattr__(self, "weekmask", mask)
        object.__setattr__(self, "holidays", _date_tuple(holidays, "holiday"))
        extra = _date_tuple(workdays, "workday")
        both = sorted(set(extra) & set(self.holidays))
        if both:
            raise ValidationError(f"{what} lists {format_ids([str(d) for d in both])} both as "
                                  "holidays and as workdays; keep each date in one list")
        object.__setattr__(self, "workdays", extra)
        times = None if working_times is None else parse_working_times(working_times, mask, what)
        object.__setattr__(self, "working_times", times)
        if hours_per_day is not None and not (isinstance(hours_per_day, float)
                                              and np.isnan(hours_per_day)):
            try:
                hpd = float(hours_per_day)
            except (TypeError, ValueError):
                hpd = float("nan")
            if not 0 < hpd <= 24:
                raise ValidationError(f"{what} has hours_per_day {hours_per_day!r}; give the "
                                      "hours of one working day, more than 0 and at most 24")
            hours_per_day = hpd
        else:
            hours_per_day = None
        object.__setattr__(self, "hours_per_day", hours_per_day)
        object.__setattr__(self, "name", str(name or ""))

    @property
    def minutes_per_day(self) -> float:
        """Working minutes of one day of duration on this calendar (see ``hours_per_day``)."""
        if self.hours_per_day is not None:
            return 60.0 * self.hours_per_day
        if self.working_times is None:
            return 1440.0
        worked = [sum(b - a for a, b in day) for day, on in zip(self.working_times, self.weekmask)
                  if on]
        return float(np.mean(worked))

    @property
    def day_minutes(self) -> list[list[tuple[int, int]]] | None:
        """Working ranges of each weekday [minutes after midnight], None for whole days."""
        return None if self.working_times is None else [list(d) for d in self.working_times]

    # -- numpy views -------------------------------------------------------------------
    @property
    def busdaycal(self) -> np.busdaycalendar:
        """The calendar as a :class:`numpy.busdaycalendar` (for ``np.busday_*``).

        With extra workdays, every weekday works and every non-working date from
        ``DATE_MIN`` to ``DATE_MAX`` is a holiday (numpy's calendars know no extra working
        dates), so every ``np.busday_*`` call keeps its meaning.
        """
        return _busdaycal(self.weekmask, self.holidays, self.workdays)

    @property
    def workweek(self) -> list[str]:
        """The working weekdays as names, e.g. ``['Mon', …, 'Fri']``."""
        return [d for d, on in zip(WEEKDAYS, self.weekmask, strict=True) if on]

    def to_dict(self) -> dict:
        """The calendar as the ``calendar`` key of a project file."""
        out: dict = {"workweek": self.workweek, "holidays": [str(h) for h in self.holidays]}
        if self.working_times is not None:
            out["working_times"] = {
                d: [f"{a // 60:02d}:{a % 60:02d}-{b % 1440 // 60:02d}:{b % 60:02d}" for a, b in r]
                for d, r, on in zip(WEEKDAYS, self.working_times, self.weekmask) if on}
        if self.hours_per_day is not None:
            out["hours_per_day"] = self.hours_per_day
        if self.workdays:
            out["workdays"] = [str(d) for d in self.workdays]
        return out

    @property
    def axis_spec(self) -> tuple:
        """The calendar as :func:`tpmkit._core.worktime.build_axis` takes it.

        Weekmask, holidays (the business-day calendar when there are extra workdays) and
        the working ranges of each weekday, then of an extra workday (None: whole days).
        """
        if not self.workdays:
            return self.weekmask, np.array(self.holidays, dtype="datetime64[D]"), self.day_minutes
        mins = self.day_minutes
        return self.weekmask, self.busdaycal, None if mins is None else [*mins,
                                                                         self.extra_day_minutes]

    @property
    def extra_day_minutes(self) -> list[tuple[int, int]] | None:
        """The working ranges of an extra workday.

        Those of the first working weekday (None for whole days).
        """
        if self.working_times is None:
            return None
        return next((list(d) for d, on in zip(self.working_times, self.weekmask) if on),
                    [(480, 1020)])

    # -- conversions --------------------------------------------------------------------
    def first_workday(self, date: object) -> pd.Timestamp:
        """The first working day on or after ``date``."""
        d = np.datetime64(parse_date(date, "start date").date(), "D")
        return pd.Timestamp(np.busday_offset(d, 0, roll="forward", busdaycal=self.busdaycal))

    def workday(self, offsets: object, start: object) -> np.ndarray:
        """Dates (datetime64[D]) of whole working-day offsets counted from ``start``."""
        s = np.datetime64(self.first_workday(start).date(), "D")
        off = np.asarray(offsets, dtype=np.int64)
        if off.size and (off.max() > 1_000_000 or off.min() < -1_000_000):
            raise ValidationError(
                f"working-day offset {int(off.max() if off.max() > 0 else off.min())} from "
                f"{s} runs past the supported dates {DATE_MIN.date()} … {DATE_MAX.date()}; "
                "shorten the durations or lags")
        out = np.busday_offset(s, off, roll="forward", busdaycal=self.busdaycal)
        if out.size:
            lo, hi = out.min(), out.max()
            if hi > np.datetime64(DATE_MAX.date(), "D") or lo < np.datetime64(DATE_MIN.date(), "D"):
                bad = hi if hi > np.datetime64(DATE_MAX.date(), "D") else lo
                raise ValidationError(
                    f"a scheduled date ({bad}) falls outside the supported range "
                    f"{DATE_MIN.date()} … {DATE_MAX.date()}; shorten the durations or lags, or "
                    "move the project start")
        return out

    def start_dates(self, offsets: object, start: object) -> pd.DatetimeIndex:
        """Calendar dates of start offsets (working day ``floor(s)``)."""
        off = np.asarray(offsets, dtype=float)
        out = np.full(off.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        ok = np.isfinite(off)
        out[ok] = self.workday(np.floor(off[ok]), start)
        return pd.DatetimeIndex(out)

    def finish_dates(self, offsets: object, start: object) -> pd.DatetimeIndex:
        """Calendar dates of finish offsets (working day ``ceil(f) - 1``: a finish at or
        before the start, a late finish with negative float, falls on a working day before
        the start, as MS Project and P6 show it).
        """
        off = np.asarray(offsets, dtype=float)
        out = np.full(off.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        ok = np.isfinite(off)
        out[ok] = self.workday(np.ceil(off[ok] - 1e-9) - 1, start)
        return pd.DatetimeIndex(out)

    def milestone_dates(self, offsets: object, start: object) -> pd.DatetimeIndex:
        """Dates of zero-duration events: the finish date of the previous working day, and
        the start day for an event at offset 0 (MS Project's convention).
        """
        off = np.asarray(offsets, dtype=float)
        return self.finish_dates(np.where(np.abs(off) <= 1e-9, 1.0, off), start)

    def offset_of(self, dates: object, start: object, kind: str = "start") -> np.ndarray:
        """Working-day offsets of ``dates`` from ``start``.

        ``kind="start"`` gives the offset at the beginning of that day; ``"finish"`` the
        offset at its end (one more), matching :meth:`start_dates` / :meth:`finish_dates`.
        A non-working date rolls forward (start) or back (finish) to a working day.
        """
        s = np.datetime64(self.first_workday(start).date(), "D")
        d = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(dates))).values.astype("datetime64[D]")
        out = np.full(d.shape, np.nan)
        ok = ~np.isnat(d)
        cal = self.busdaycal
        if kind == "start":
            rolled = np.busday_offset(d[ok], 0, roll="forward", busdaycal=cal)
            out[ok] = np.busday_count(s, rolled, busdaycal=cal)
        else:
            rolled = np.busday_offset(d[ok], 0, roll="backward", busdaycal=cal)
            out[ok] = np.busday_count(s, rolled, busdaycal=cal) + 1
        return out

    def working_days_between(self, first: object, last: object) -> int:
        """Number of working days from ``first`` to ``last``, both included."""
        a = np.datetime64(parse_date(first).date(), "D")
        b = np.datetime64(parse_date(last).date(), "D") + 1
        return int(np.busday_count(a, b, busdaycal=self.busdaycal))

    def is_workday(self, dates: object) -> np.ndarray:
        """Boolean array: whether each date is a working day."""
        d = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(dates))).values.astype("datetime64[D]")
        return np.is_busday(d, busdaycal=self.busdaycal)


def _date_tuple(items: Iterable[object] | None, what: str) -> tuple[np.datetime64, ...]:
    """Sorted unique dates (datetime64[D]) of a calendar's holidays or workdays."""
    days = sorted({d for d in (parse_date(x, what) for x in (() if items is None else items))
                   if d is not None})
    return tuple(np.datetime64(d.date(), "D") for d in days)


@functools.lru_cache(maxsize=64)
def _busdaycal(weekmask: tuple[bool, ...], holidays: tuple[np.datetime64, ...],
               workdays: tuple[np.datetime64, ...]) -> np.busdaycalendar:
    """The numpy calendar of :attr:`Calendar.busdaycal` (built once per calendar)."""
    hol = np.array(holidays, dtype="datetime64[D]")
    if not workdays:
        return np.busdaycalendar(weekmask=list(weekmask), holidays=hol)
    days = np.arange(np.datetime64(DATE_MIN.date(), "D"), np.datetime64(DATE_MAX.date(), "D") + 1)
    on = np.is_busday(days, weekmask=list(weekmask), holidays=hol)
    on |= np.isin(days, np.array(workdays, dtype="datetime64[D]"))
    return np.busdaycalendar(weekmask=[True] * 7, holidays=days[~on])


def busdaycal(calendar: Calendar | None) -> np.busdaycalendar:
    """``calendar.busdaycal``, or numpy's Monday-to-Friday calendar for None."""
    return np.busdaycalendar() if calendar is None else calendar.busdaycal


def parse_workweek(workweek: object, what: str = "the calendar's workweek") -> tuple[bool, ...]:
    """The ONE workweek parser: day names (``Mon``/``Monday``, any case, separated by ``,``
    ``;`` or spaces), a list of names, 7 booleans or a ``"1111100"`` mask → 7 bools Mon..Sun.

    None gives Monday to Friday. ``what`` names the owner in error messages.

    Examples
    --------
    >>> parse_workweek("Mon, Tue; wednesday")
    (True, True, True, False, False, False, False)
    """
    if workweek is None:
        return (True, True, True, True, True, False, False)
    if isinstance(workweek, str):
        if set(workweek) <= {"0", "1"} and len(workweek) == 7:
            return tuple(c == "1" for c in workweek)
        workweek = [w for w in workweek.replace(";", ",").replace(" ", ",").split(",") if w]
    items = list(workweek)  # type: ignore[call-overload]
    if len(items) == 7 and all(isinstance(x, bool | np.bool_) for x in items):
        mask = tuple(bool(x) for x in items)
    else:
        bad = [x for x in items if str(x).strip().lower() not in _DAY_ALIASES]
        if bad:
            raise ValidationError(
                f"unknown weekday(s) in {what}: {format_ids(bad)}; "
                f"use {', '.join(WEEKDAYS)}")
        on = {_DAY_ALIASES[str(x).strip().lower()] for x in items}
        mask = tuple(i in on for i in range(7))
    if not any(mask):
        raise ValidationError(f"{what} has no working day; list at least one, "
                              "e.g. workweek: [Mon, Tue, Wed, Thu, Fri]")
    return mask


def parse_holidays(value: object, what: str = "the calendar") -> np.ndarray:
    """Holidays as a sorted datetime64[D] array from a list of dates or a ``;``/``,``-separated
    string; blanks are skipped.

    Examples
    --------
    >>> parse_holidays("2027-04-02; 2027-01-01").tolist()
    [datetime.date(2027, 1, 1), datetime.date(2027, 4, 2)]
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.array([], dtype="datetime64[D]")
    items = value if isinstance(value, list | tuple | np.ndarray) else str(value).replace(",", ";").split(";")
    out = []
    for item in items:
        if isinstance(item, str) and not item.strip():
            continue
        try:
            d = parse_date(item.strip() if isinstance(item, str) else item, "holiday")
        except ValidationError:
            raise ValidationError(f"{what} has an unreadable holiday {item!r}; write dates as "
                                  "YYYY-MM-DD separated by ';'") from None
        if d is not None:
            out.append(np.datetime64(d.date(), "D"))
    return np.unique(np.array(out, dtype="datetime64[D]"))


_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_TIMES_FIX = "write working times as HH:MM-HH:MM, e.g. Mon: [08:00-12:00, 13:00-17:00]"


def _range_minutes(item: object, what: str, day: str) -> tuple[int, int]:
    if isinstance(item, tuple | list) and len(item) == 2:
        a, b = (int(x) for x in item)
    else:
        m = _RANGE.match(str(item))
        if not m or int(m.group(2)) > 59 or int(m.group(4)) > 59:
            raise ValidationError(f"{what} has an unreadable working time {item!r} on {day}; "
                                  f"{_TIMES_FIX}")
        a = int(m.group(1)) * 60 + int(m.group(2))
        b = int(m.group(3)) * 60 + int(m.group(4))
    if b <= a:
        b += 1440  # a range past midnight (night shift 23:00-08:00)
    if not (0 <= a < 1440 and a < b <= a + 1440):
        raise ValidationError(f"{what} has a working time {item!r} on {day} outside the day; "
                              f"{_TIMES_FIX}")
    return a, b


def parse_working_times(value: object, weekmask: tuple[bool, ...],
                        what: str = "the calendar") -> tuple[tuple[tuple[int, int], ...], ...]:
    """The ONE working-hours parser: ``{"Mon": ["08:00-12:00", …], …}`` (or 7 lists of
    ``(from, to)`` minutes, Monday first) → 7 sorted tuples of minute ranges.

    Every working weekday needs a range and a non-working one has none; ranges must not
    overlap (a range past midnight counts on the next day too).

    Examples
    --------
    >>> parse_working_times({"Mon": "08:00-12:00; 13:00-17:00"}, (True,) + (False,) * 6)[0]
    ((480, 720), (780, 1020))
    """
    if isinstance(value, dict):
        unknown = [k for k in value if str(k).strip().lower() not in _DAY_ALIASES]
        if unknown:
            raise ValidationError(f"{what} has working times for unknown weekday(s) "
                                  f"{format_ids(unknown)}; use {', '.join(WEEKDAYS)}")
        per_day: list[object] = [[] for _ in range(7)]
        for k, v in value.items():
            per_day[_DAY_ALIASES[str(k).strip().lower()]] = v
    else:
        per_day = list(value)  # type: ignore[call-overload]
        if len(per_day) != 7:
            raise ValidationError(f"{what}: working times need 7 weekdays (Monday first) or a "
                                  f"mapping by weekday; {_TIMES_FIX}")
    out = []
    for day, items, on in zip(WEEKDAYS, per_day, weekmask, strict=True):
        if isinstance(items, str):
            items = [x for x in items.replace(",", ";").split(";") if x.strip()]
        ranges = tuple(sorted(_range_minutes(x, what, day) for x in (items or [])))
        if on and not ranges:
            raise ValidationError(f"{what} has no working time on {day}, a working day; give "
                                  f"its hours (e.g. {day}: [08:00-16:00]) or leave {day} out of "
                                  "the workweek")
        if ranges and not on:
            raise ValidationError(f"{what} has working times on {day}, which is not in its "
                                  f"workweek; add {day} to the workweek or remove its hours")
        for (_, b1), (a2, _) in itertools.pairwise(ranges):
            if a2 < b1:
                raise ValidationError(f"{what} has overlapping working times on {day} "
                                      f"({_hhmm(a2)} starts before {_hhmm(b1)}); make the ranges "
                                      "disjoint")
        out.append(ranges)
    for w in range(7):  # a range past midnight must not overlap the next day's hours
        spill = max((b - 1440 for _, b in out[w] if b > 1440), default=0)
        nxt = out[(w + 1) % 7]
        if spill and nxt and nxt[0][0] < spill:
            raise ValidationError(f"{what} has overlapping working times: {WEEKDAYS[w]} works "
                                  f"until {_hhmm(spill)} on {WEEKDAYS[(w + 1) % 7]}, which starts "
                                  f"at {_hhmm(nxt[0][0])}; make the ranges disjoint")
    return tuple(out)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def check_calendars(raw: object, tasks: pd.DataFrame,
                    project_calendar: str = "") -> dict[str, Calendar]:
    """The named calendars of a project, validated, and a check of the tasks' ``calendar``.

    ``raw`` maps a calendar's name to its definition (``workweek``, ``holidays``,
    ``working_times``, ``hours_per_day``, ``workdays``) or to a :class:`Calendar`; a task's ``calendar``
    cell names one of them (blank, or ``project_calendar``: the project calendar).

    Raises
    ------
    ValidationError
        An unknown calendar named by tasks (the message lists them), or a bad calendar.
    """
    out: dict[str, Calendar] = {}
    if raw is not None:
        if not isinstance(raw, dict):
            raise ValidationError("the calendars must be a mapping of name: {workweek, holidays, "
                                  f"working_times}}, not {repr(raw)[:80]}")
        for name, spec in raw.items():
            if isinstance(spec, Calendar):
                out[str(name)] = spec
                continue
            if not isinstance(spec, dict):
                raise ValidationError(f"calendar {name!r} must be a mapping with workweek, "
                                      f"holidays and working_times, not {repr(spec)[:60]}")
            unknown = set(spec) - {"workweek", "holidays", "working_times", "hours_per_day",
                                   "workdays"}
            if unknown:
                raise ValidationError(f"calendar {name!r} has unknown key(s) "
                                      f"{format_ids(sorted(unknown))}; use workweek, holidays, "
                                      "working_times, hours_per_day, workdays")
            out[str(name)] = Calendar(spec.get("workweek"), spec.get("holidays") or (),
                                      spec.get("working_times"), spec.get("hours_per_day"),
                                      name=str(name), workdays=spec.get("workdays") or ())
    names = task_calendars(tasks, project_calendar)
    bad = sorted(set(names[names != ""]) - set(out))
    if bad:
        who = [i for i, n in zip(tasks.index, names) if n in bad]
        raise ValidationError(f"tasks {format_ids(who)} name unknown calendar(s) "
                              f"{format_ids(bad)}; define them under 'calendars' or clear the "
                              "tasks' calendar to use the project calendar")
    return out


def task_calendars(tasks: pd.DataFrame, project_calendar: str = "") -> np.ndarray:
    """Each task's calendar name (object array), ``""`` for the project calendar."""
    if "calendar" not in tasks:
        return np.full(len(tasks), "", dtype=object)
    codes, uniques = pd.factorize(tasks["calendar"], use_na_sentinel=True)
    # strip the few distinct names, not every cell; a blank (code -1) is the last entry
    names = np.array([str(u).strip() for u in uniques] + [""], dtype=object)[codes]
    if project_calendar:
        names[names == project_calendar] = ""
    return names
