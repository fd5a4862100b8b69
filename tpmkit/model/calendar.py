"""Working-day calendars: working weekdays plus holidays, on numpy's business-day functions.

Offsets are working days from the project start (see ``docs/contract.md``). A task that
starts at offset ``s`` and lasts ``d > 0`` days occupies working days ``s … s+d-1``; its
finish offset is ``s + d``. Dates follow MS Project's conventions: a one-day task that
starts on a Monday finishes on that Monday.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids, quote

__all__ = ["DATE_MAX", "DATE_MIN", "MAX_DAYS", "WEEKDAYS", "Calendar", "busdaycal", "check_date_range",
           "parse_date", "parse_date_column", "parse_holidays", "parse_workweek"]

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
    """Working weekdays and holidays.

    Parameters
    ----------
    workweek : iterable of str or 7 bools
        Working weekdays, e.g. ``["Mon", "Tue", "Wed", "Thu", "Fri"]`` (the default).
    holidays : iterable of dates
        Non-working dates.

    Examples
    --------
    >>> cal = Calendar(holidays=["2027-04-02"])
    >>> start = pd.Timestamp("2027-03-29")           # a Monday
    >>> cal.finish_dates([5.0], start)[0]            # 5 days incl. Good Friday off
    Timestamp('2027-04-05 00:00:00')
    """

    weekmask: tuple[bool, ...] = (True, True, True, True, True, False, False)
    holidays: tuple[np.datetime64, ...] = field(default_factory=tuple)

    def __init__(self, workweek: Iterable[str] | Iterable[bool] | str | None = None,
                 holidays: Iterable[object] = ()):
        mask = parse_workweek(workweek)
        object.__setattr__(self, "weekmask", mask)
        days = sorted({parse_date(h, "holiday") for h in holidays if parse_date(h, "holiday")})
        object.__setattr__(self, "holidays",
                           tuple(np.datetime64(d.date(), "D") for d in days))

    # -- numpy views -------------------------------------------------------------------
    @property
    def busdaycal(self) -> np.busdaycalendar:
        """The calendar as a :class:`numpy.busdaycalendar` (for ``np.busday_*``)."""
        return np.busdaycalendar(weekmask=list(self.weekmask),
                                 holidays=np.array(self.holidays, dtype="datetime64[D]"))

    @property
    def workweek(self) -> list[str]:
        """The working weekdays as names, e.g. ``['Mon', …, 'Fri']``."""
        return [d for d, on in zip(WEEKDAYS, self.weekmask, strict=True) if on]

    def to_dict(self) -> dict:
        """The calendar as the ``calendar`` key of a project file."""
        return {"workweek": self.workweek,
                "holidays": [str(h) for h in self.holidays]}

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
        """Calendar dates of finish offsets (working day ``ceil(f) - 1``, never before day 0)."""
        off = np.asarray(offsets, dtype=float)
        out = np.full(off.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        ok = np.isfinite(off)
        out[ok] = self.workday(np.maximum(np.ceil(off[ok] - 1e-9) - 1, 0), start)
        return pd.DatetimeIndex(out)

    def milestone_dates(self, offsets: object, start: object) -> pd.DatetimeIndex:
        """Dates of zero-duration events: the finish date of the previous working day, and
        the start day for an event at offset 0 (MS Project's convention).
        """
        return self.finish_dates(offsets, start)

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
