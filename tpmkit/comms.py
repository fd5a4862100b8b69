"""Communication plan from the stakeholder register and RACI, meeting cadence, iCalendar export.

:func:`communication_plan` says who gets what, how often and through which channel: each
stakeholder gets the rule of their power/interest quadrant and the rule of the strongest RACI
role they hold (A > R > C > I); the rules are a table the user can edit (:data:`DEFAULT_RULES`).
:func:`meeting_schedule` lays a meeting cadence (steering committee, status meeting, sprint
events; :data:`DEFAULT_MEETINGS`) on the project calendar: an occurrence on a non-working day
moves to the next working day (a daily meeting is dropped instead). :func:`to_ics` writes the
cadence as an RFC 5545 iCalendar file (one recurring event per meeting, moved occurrences as
overrides, dropped ones as exceptions) with the ``icalendar`` library (extra ``calendar``).

References
----------
.. [1] PMI, *PMBOK Guide*, 6th ed., §10.1 (plan communications management: who, what, when,
   how), §13.2 (plan stakeholder engagement); A. L. Mendelow, ICIS 1981 (power/interest grid).
.. [2] B. Desruisseaux (ed.), RFC 5545, *Internet Calendaring and Scheduling Core Object
   Specification (iCalendar)*, 2009, §3.8.5 (RRULE, EXDATE, RECURRENCE-ID).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import DataError, ValidationError, format_ids
from tpmkit.model.calendar import Calendar
from tpmkit.model.tables import table_frame
from tpmkit.scope import RaciResult, raci, stakeholders

__all__ = ["DEFAULT_MEETINGS", "DEFAULT_RULES", "FREQUENCIES", "communication_plan",
           "meeting_schedule", "to_ics"]

#: frequencies a rule or meeting may name
FREQUENCIES = ("daily", "weekly", "biweekly", "monthly", "quarterly", "as_needed")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

#: default rules: ``basis`` (quadrant or raci) and ``value`` → information, frequency, channel
DEFAULT_RULES = pd.DataFrame([
    ("quadrant", "manage_closely", "status report and decisions needed", "weekly", "meeting"),
    ("quadrant", "keep_satisfied", "executive summary (RAG, milestones, budget)", "monthly",
     "email"),
    ("quadrant", "keep_informed", "progress update and upcoming changes", "biweekly", "email"),
    ("quadrant", "monitor", "project newsletter", "monthly", "intranet"),
    ("raci", "A", "approvals and escalations for the deliverables they own", "weekly",
     "meeting"),
    ("raci", "R", "task assignments, blockers and plan changes", "daily", "stand-up"),
    ("raci", "C", "drafts for review before decisions", "as_needed", "workshop"),
    ("raci", "I", "decisions and deliverables once done", "biweekly", "email"),
], columns=["basis", "value", "information", "frequency", "channel"])

#: default meeting cadence; ``attendees`` name quadrants and/or RACI letters (``;``-separated)
DEFAULT_MEETINGS = pd.DataFrame([
    ("Steering committee", "monthly", "TU", "10:00", 60, "manage_closely; keep_satisfied"),
    ("Status meeting", "weekly", "MO", "09:30", 30, "A; R"),
    ("Daily stand-up", "daily", "", "09:15", 15, "R"),
    ("Sprint planning", "biweekly", "MO", "13:00", 120, "R; A"),
    ("Sprint review", "biweekly", "FR", "14:00", 60, "R; A; manage_closely"),
    ("Sprint retrospective", "biweekly", "FR", "15:30", 60, "R"),
], columns=["meeting", "frequency", "weekday", "time", "duration_minutes", "attendees"])

_LETTERS = "ARCI"  # strongest first


def _role_key(text: str) -> frozenset[str]:
    return frozenset(w for w in re.split(r"[^a-z0-9]+", str(text).lower()) if w)


def _raci_letters(people: pd.DataFrame, matrix: RaciResult | None) -> pd.Series:
    """Strongest RACI letter of each stakeholder (``raci_role`` column, else role words)."""
    out = pd.Series("", index=people.index, dtype=object)
    if matrix is None:
        return out
    m = matrix.matrix
    for sid, row in people.iterrows():
        given = str(row.get("raci_role", "") or "").strip()
        if given:
            if given not in m.columns:
                raise ValidationError(f"communication plan: raci_role {given!r} of stakeholder "
                                      f"{sid} is not a RACI column; use one of: "
                                      f"{format_ids(m.columns, limit=12)}")
            cols = [given]
        else:
            words = _role_key(row.get("role", "")) | _role_key(sid)
            cols = [c for c in m.columns if _role_key(c) and _role_key(c) <= words]
        letters = "".join(m[c].str.cat() for c in cols)
        out[sid] = next((x for x in _LETTERS if x in letters), "")
    return out


def _rules(rules: Any) -> pd.DataFrame:
    r = DEFAULT_RULES if rules is None else table_frame(rules, "communication rules")
    need = {"basis", "value", "information", "frequency", "channel"}
    if not need <= set(r.columns):
        raise ValidationError(f"communication rules: column(s) {', '.join(sorted(need - set(r.columns)))} "
                              "missing; start from tpmkit.comms.DEFAULT_RULES")
    r = r.astype({c: str for c in need}).apply(lambda s: s.str.strip())
    r["frequency"] = r["frequency"].str.lower().str.replace(" ", "_")
    bad = ~r["frequency"].isin(FREQUENCIES) | ~r["basis"].isin(["quadrant", "raci"])
    if bad.any():
        raise ValidationError(f"communication rules: row(s) {format_ids(np.flatnonzero(bad) + 1)} "
                              f"need basis quadrant or raci and a frequency of: "
                              f"{', '.join(FREQUENCIES)}")
    return r


def communication_plan(register: Any, matrix: Any = None, *, rules: Any = None) -> pd.DataFrame:
    """Who gets what, how often, through which channel.

    Parameters
    ----------
    register : DataFrame or list of rows
        Stakeholder register (:func:`tpmkit.scope.stakeholders` input or result); an
        optional ``raci_role`` column names the stakeholder's RACI column (else RACI columns
        whose words all occur in the stakeholder's ``role`` or id match, e.g. ``qa_lead`` ↔
        "QA lead").
    matrix : DataFrame or RaciResult, optional
        RACI matrix (:func:`tpmkit.scope.raci`).
    rules : DataFrame, optional
        Rules table (``basis``, ``value``, ``information``, ``frequency``, ``channel``);
        default :data:`DEFAULT_RULES`.

    Returns
    -------
    DataFrame
        One row per stakeholder and rule that applies: ``stakeholder``, ``name``,
        ``quadrant``, ``raci`` (strongest letter), ``basis``, ``information``, ``frequency``,
        ``channel``, ``contact``.

    Examples
    --------
    >>> reg = pd.DataFrame({"id": ["S1"], "role": ["QA lead"], "power": [2], "interest": [5]})
    >>> m = pd.DataFrame({"task": ["T1"], "pm": ["A"], "qa_lead": ["R"]})
    >>> communication_plan(reg, m)[["basis", "frequency", "channel"]].values.tolist()
    [['quadrant', 'biweekly', 'email'], ['raci', 'daily', 'stand-up']]
    """
    people = register if isinstance(register, pd.DataFrame) and "quadrant" in register.columns \
        else stakeholders(register)
    res = matrix if isinstance(matrix, RaciResult) or matrix is None else raci(matrix)
    letters = _raci_letters(people, res)
    r = _rules(rules)
    rows = []
    for sid, p in people.iterrows():
        for basis, value in (("quadrant", p.get("quadrant", "")), ("raci", letters[sid])):
            for _, rule in r[(r["basis"] == basis) & (r["value"] == value)].iterrows():
                rows.append({"stakeholder": sid, "name": p.get("name", sid),
                             "quadrant": p.get("quadrant", ""), "raci": letters[sid],
                             "basis": basis, "information": rule["information"],
                             "frequency": rule["frequency"], "channel": rule["channel"],
                             "contact": p.get("contact", "")})
    cols = ["stakeholder", "name", "quadrant", "raci", "basis", "information", "frequency",
            "channel", "contact"]
    return pd.DataFrame(rows, columns=cols)


def _meetings(meetings: Any) -> pd.DataFrame:
    m = DEFAULT_MEETINGS if meetings is None else table_frame(meetings, "meetings")
    need = ["meeting", "frequency", "time", "duration_minutes"]
    miss = [c for c in need if c not in m.columns]
    if miss:
        raise ValidationError(f"meetings: column(s) {', '.join(miss)} missing; start from "
                              "tpmkit.comms.DEFAULT_MEETINGS")
    m = m.copy()
    m["frequency"] = m["frequency"].astype(str).str.strip().str.lower()
    m["weekday"] = (m["weekday"] if "weekday" in m.columns else "").astype(str).str.upper().str[:2]
    names = m["meeting"].astype(str)
    bad = ~m["frequency"].isin([f for f in FREQUENCIES if f != "as_needed"])
    bad |= (m["frequency"] != "daily") & ~m["weekday"].isin(_WEEKDAYS)
    bad |= ~m["time"].astype(str).str.fullmatch(r"\d{1,2}:\d{2}")
    bad |= ~(pd.to_numeric(m["duration_minutes"], errors="coerce") > 0)
    if bad.any():
        raise ValidationError(f"meetings: {format_ids(names[bad.to_numpy()])} need a frequency "
                              "(daily, weekly, biweekly, monthly, quarterly), a weekday (MO … SU) "
                              "unless daily, a time HH:MM and duration_minutes > 0")
    return m


def _nominal(row: pd.Series, first: pd.Timestamp, last: pd.Timestamp,
             cal: Calendar) -> pd.DatetimeIndex:
    f = row["frequency"]
    if f == "daily":
        days = pd.date_range(first, last, freq="D")
        return days[np.asarray(cal.weekmask)[days.day_of_week]]
    wd = _WEEKDAYS.index(row["weekday"])
    if f in ("weekly", "biweekly"):
        start = first + pd.Timedelta(days=(wd - first.day_of_week) % 7)
        return pd.date_range(start, last, freq=f"{1 if f == 'weekly' else 2}W-{_pd_day(wd)}")
    step = 1 if f == "monthly" else 3
    months = pd.date_range(first.to_period("M").start_time, last, freq=f"{step}MS")
    days = months + pd.to_timedelta((wd - months.day_of_week) % 7, unit="D")  # first <weekday>
    return days[(days >= first) & (days <= last)]


def _pd_day(wd: int) -> str:
    return ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")[wd]


def meeting_schedule(start: Any, end: Any, *, calendar: Calendar | None = None,
                     meetings: Any = None) -> pd.DataFrame:
    """Lay a meeting cadence on the project calendar between ``start`` and ``end``.

    Weekly and biweekly meetings fall on their weekday from the first one on or after
    ``start``; monthly and quarterly ones on the first such weekday of the month (every
    third month for quarterly); daily ones on every working day. An occurrence on a
    non-working day (weekend of the calendar's workweek, holiday) moves to the next working
    day; a daily one is dropped.

    Returns
    -------
    DataFrame
        One row per occurrence, by date: ``meeting``, ``nominal`` (the date the pattern
        gives), ``date`` (where it takes place; NaT when dropped), ``start``, ``end``
        (timestamps), ``moved`` (bool), ``attendees``.

    Examples
    --------
    >>> cal = Calendar(holidays=["2027-03-01"])
    >>> s = meeting_schedule("2027-03-01", "2027-03-14", calendar=cal,
    ...                      meetings=DEFAULT_MEETINGS.iloc[[1]])
    >>> s[["nominal", "date", "moved"]].astype(str).values.tolist()
    [['2027-03-01', '2027-03-02', 'True'], ['2027-03-08', '2027-03-08', 'False']]
    """
    cal = calendar or Calendar()
    first, last = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if last < first:
        raise ValidationError(f"meeting_schedule: end {last.date()} before start {first.date()}")
    m = _meetings(meetings)
    rows = []
    for _, row in m.iterrows():
        nominal = _nominal(row, first, last, cal)
        ok = cal.is_workday(nominal) if len(nominal) else np.zeros(0, bool)
        h, mi = map(int, str(row["time"]).split(":"))
        for day, works in zip(nominal, ok):
            if works:
                date = day
            elif row["frequency"] == "daily":
                date = pd.NaT
            else:
                date = cal.first_workday(day)
            begin = date + pd.Timedelta(hours=h, minutes=mi) if pd.notna(date) else pd.NaT
            rows.append({"meeting": row["meeting"], "nominal": day, "date": date, "start": begin,
                         "end": begin + pd.Timedelta(minutes=float(row["duration_minutes"])),
                         "moved": bool(not works and pd.notna(date)),
                         "attendees": str(row.get("attendees", "") or "")})
    out = pd.DataFrame(rows, columns=["meeting", "nominal", "date", "start", "end", "moved",
                                      "attendees"])
    return out.sort_values(["nominal", "meeting"], kind="stable").reset_index(drop=True)


def _rrule(row: pd.Series, until: pd.Timestamp, cal: Calendar) -> dict[str, Any]:
    f = row["frequency"]
    if f == "daily":
        days = [d for d, w in zip(_WEEKDAYS, cal.weekmask) if w]
        return {"FREQ": "WEEKLY", "BYDAY": days, "UNTIL": until}
    if f in ("weekly", "biweekly"):
        return {"FREQ": "WEEKLY", "INTERVAL": 1 if f == "weekly" else 2,
                "BYDAY": row["weekday"], "UNTIL": until}
    return {"FREQ": "MONTHLY", "INTERVAL": 1 if f == "monthly" else 3,
            "BYDAY": f"1{row['weekday']}", "UNTIL": until}


def to_ics(schedule: pd.DataFrame, *, meetings: Any = None, calendar: Calendar | None = None,
           name: str = "Project meetings", domain: str = "tpmkit.invalid") -> bytes:
    """The meeting cadence as an iCalendar (.ics) file that calendar clients import.

    One VEVENT per meeting with an RRULE (its pattern up to the last occurrence), EXDATE for
    dropped occurrences and an override VEVENT (same UID, RECURRENCE-ID = the nominal
    start) for each moved one. Times are floating local times (RFC 5545 §3.3.5, "form #1"):
    the client shows them in its own zone.

    Parameters
    ----------
    schedule : DataFrame
        :func:`meeting_schedule` result.
    meetings, calendar :
        The cadence and calendar the schedule was made with (default as there).
    name : str
        Calendar name (``X-WR-CALNAME``).
    domain : str
        Right-hand side of the UIDs.

    Returns
    -------
    bytes
        The iCalendar text (UTF-8, CRLF line ends); write it to a ``.ics`` file.

    Raises
    ------
    DataError
        The ``icalendar`` package is missing (``pip install 'tpmkit[calendar]'``).
    """
    try:
        import icalendar
    except ImportError as exc:
        raise DataError("the .ics export needs the icalendar package; install it with: "
                        "pip install 'tpmkit[calendar]'") from exc
    cal = calendar or Calendar()
    m = _meetings(meetings).set_index("meeting", drop=False)
    out = icalendar.Calendar()
    out.add("prodid", "-//tpmkit//communication plan//EN")
    out.add("version", "2.0")
    out.add("x-wr-calname", name)
    stamp = pd.Timestamp("2000-01-01").to_pydatetime()
    for k, (meeting, occ) in enumerate(schedule.groupby("meeting", sort=False)):
        row = m.loc[meeting]
        h, mi = map(int, str(row["time"]).split(":"))
        at = pd.Timedelta(hours=h, minutes=mi)
        dur = pd.Timedelta(minutes=float(row["duration_minutes"]))
        nominal = occ["nominal"] + at
        uid = f"{re.sub(r'[^a-z0-9]+', '-', str(meeting).lower())}-{k}@{domain}"
        ev = icalendar.Event()
        ev.add("uid", uid)
        ev.add("dtstamp", stamp)
        ev.add("summary", str(meeting))
        ev.add("dtstart", nominal.iloc[0].to_pydatetime())
        ev.add("dtend", (nominal.iloc[0] + dur).to_pydatetime())
        ev.add("rrule", _rrule(row, nominal.iloc[-1].to_pydatetime(), cal))
        if row.get("attendees"):
            ev.add("description", f"Attendees: {row['attendees']}")
        if occ["date"].isna().any():
            ev.add("exdate", [t.to_pydatetime() for t in nominal[occ["date"].isna()]])
        out.add_component(ev)
        for (_, o), when in zip(occ[occ["moved"]].iterrows(), nominal[occ["moved"]]):
            moved = icalendar.Event()
            moved.add("uid", uid)
            moved.add("dtstamp", stamp)
            moved.add("recurrence-id", when.to_pydatetime())
            moved.add("summary", str(meeting))
            moved.add("dtstart", o["start"].to_pydatetime())
            moved.add("dtend", o["end"].to_pydatetime())
            moved.add("comment", f"moved from {when.date().isoformat()} (non-working day)")
            out.add_component(moved)
    return out.to_ical()

