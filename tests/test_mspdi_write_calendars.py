"""MS Project XML export of calendars (``tpmkit.io.mspdi_write``): the project calendar and
every named task calendar with their working times, each task's ``CalendarUID``,
``MinutesPerDay``, ranges past midnight split at midnight; read back by
:mod:`tpmkit.io.mspdi`, the reference for what the file means. What the file cannot give
back the same is named as lost, in one warning."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from defusedxml import ElementTree

import tpmkit
from tests.conftest import data_path
from tpmkit.errors import TpmkitWarning
from tpmkit.io import losses

START = "2027-01-04"  # a Monday
WEEK = ["Mon", "Tue", "Wed", "Thu", "Fri"]
ALL = [*WEEK, "Sat", "Sun"]
STANDARD = {d: ["08:00-12:00", "13:00-17:00"] for d in WEEK}
NIGHT = {"workweek": WEEK, "working_times": {d: ["22:00-06:00"] for d in WEEK}}
#: MS Project's '24 Hours' calendar: round the clock, a day of duration still 8 hours
DAY_AND_NIGHT = {"workweek": ALL, "working_times": {d: ["00:00-24:00"] for d in ALL},
                 "hours_per_day": 8}
DATES = ["early_start_date", "early_finish_date", "late_start_date", "late_finish_date"]
OFFSETS = ["early_start", "early_finish", "late_start", "late_finish", "total_float",
           "free_float"]
NS = "{http://schemas.microsoft.com/project}"


def _plan(calendars: dict | None, task_calendar: list[str], calendar: dict | None = None,
          ids: tuple[str, ...] = ("A", "B", "C", "D"), **settings) -> tpmkit.Project:
    """Four tasks (a fractional duration, an SS lag, a milestone) on the calendars named."""
    a, b, c, _ = ids
    t = pd.DataFrame({"id": list(ids), "duration": [2.5, 3, 1.25, 0],
                      "predecessors": ["", a, f"{a} SS+1", f"{b};{c}"],
                      "calendar": task_calendar})
    return tpmkit.read(t, start=START, calendar=calendar or {"working_times": STANDARD},
                       calendars=calendars, **settings)


def _read(path: Path, task_calendars: bool = True) -> tpmkit.Project:
    """Read an export back; with task calendars the reader notes them in one warning."""
    if not task_calendars:
        return tpmkit.read(path)
    with pytest.warns(TpmkitWarning, match="they are scheduled on their calendars") as caught:
        q = tpmkit.read(path)
    assert len(caught) == 1
    return q


def _round_trip(p: tpmkit.Project, path: Path, task_calendars: bool = True) -> tpmkit.Project:
    """Write (nothing lost: no warning, warnings are errors here) and read back."""
    assert losses(p, path) == []
    tpmkit.write(p, path)
    return _read(path, task_calendars)


def _same_schedule(p: tpmkit.Project, q: tpmkit.Project) -> None:
    a, b = tpmkit.schedule(p).table, tpmkit.schedule(q).table
    for col in DATES:
        pd.testing.assert_series_equal(b[col], a[col])
    np.testing.assert_allclose(b[OFFSETS].to_numpy(float), a[OFFSETS].to_numpy(float),
                               atol=1e-9)
    assert tpmkit.schedule(q).finish_date == tpmkit.schedule(p).finish_date


def _same_calendar(q_cal, p_cal) -> None:
    assert (q_cal.weekmask, q_cal.holidays, q_cal.working_times) == (
        p_cal.weekmask, p_cal.holidays, p_cal.working_times)
    assert q_cal.minutes_per_day == p_cal.minutes_per_day


def _working_minutes(cal, first: str, days: int) -> np.ndarray:
    """Whether ``cal`` works each minute of days 1 … days-1 after ``first``: every working
    date's ranges from its midnight (a range past midnight runs into the next date; day 0
    is left out, it lacks the night of the day before)."""
    on = np.zeros((days + 1) * 1440, dtype=bool)
    for k, d in enumerate(pd.date_range(first, periods=days)):
        if cal.is_workday([d])[0]:
            for a, b in cal.working_times[d.day_of_week]:
                on[k * 1440 + a:k * 1440 + b] = True
    return on[1440:days * 1440]


@pytest.mark.parametrize("spec", [
    {"workweek": [*WEEK, "Sat"], "working_times": {d: ["08:00-12:00", "13:00-17:00"]
                                                   for d in [*WEEK, "Sat"]}},
    {"workweek": WEEK[:4], "hours_per_day": 8,  # MS Project counts 8 h a day on every calendar
     "working_times": {d: ["07:00-12:00", "12:30-17:30"] for d in WEEK[:4]}},
    DAY_AND_NIGHT,
    {"workweek": ALL, "holidays": ["2027-01-09", "2027-01-12"],
     "working_times": {d: ["06:00-14:00"] for d in ALL}},
], ids=["6-day 08-12 13-17", "10-hour 4-day week", "24 hours", "7-day site with holidays"])
def test_a_task_calendar_comes_back_the_same(tmp_path, spec):
    p = _plan({"crew": spec}, ["", "crew", "crew", ""])
    q = _round_trip(p, tmp_path / "plan.xml")
    assert list(q.calendars) == ["crew"]
    _same_calendar(q.calendars["crew"], p.calendars["crew"])
    _same_calendar(q.calendar, p.calendar)
    assert q.tasks["calendar"].tolist() == ["", "crew", "crew", ""]
    _same_schedule(p, q)
    assert (tpmkit.schedule(q).table["early_finish_date"].dt.minute
            + tpmkit.schedule(q).table["early_finish_date"].dt.hour > 0).any()  # times of day


def test_a_whole_day_project_calendar_alone_comes_back_the_same(tmp_path):
    p = _plan(None, [""] * 4, calendar={"workweek": WEEK[:4], "holidays": ["2027-01-06"]})
    q = _round_trip(p, tmp_path / "plan.xml", task_calendars=False)
    assert q.calendar == p.calendar and q.calendar.working_times is None
    _same_schedule(p, q)


def test_a_10_hour_project_calendar_sets_minutes_per_day(tmp_path):
    """The project calendar works 10 h on Mon–Thu: ``MinutesPerDay`` 600 and
    ``MinutesPerWeek`` 2400 (the reader converts durations with the calendar's working
    day); a weekend crew of 10-hour days is a task calendar."""
    four = {d: ["07:00-12:00", "12:30-17:30"] for d in WEEK[:4]}
    weekend = {"workweek": ["Sat", "Sun"], "working_times": {d: ["07:00-17:00"]
                                                             for d in ["Sat", "Sun"]}}
    p = _plan({"weekend": weekend}, ["", "weekend", "", ""],
              calendar={"workweek": WEEK[:4], "working_times": four})
    q = _round_trip(p, tmp_path / "plan.xml")
    root = ElementTree.parse(tmp_path / "plan.xml").getroot()
    assert root.findtext(f"{NS}MinutesPerDay") == "600"
    assert root.findtext(f"{NS}MinutesPerWeek") == "2400"
    assert root.find(f"{NS}Tasks/{NS}Task/{NS}Duration").text == "PT25H0M0S"  # 2.5 days of 10 h
    _same_calendar(q.calendar, p.calendar)
    _same_calendar(q.calendars["weekend"], p.calendars["weekend"])
    _same_schedule(p, q)


def test_a_night_shift_is_split_at_midnight_and_works_the_same_minutes(tmp_path):
    """22:00–06:00 on Mon–Fri: each WorkingTime ends by midnight, the part after it is on
    the next weekday (Saturday works 00:00–06:00), as MS Project's 'Night Shift' calendar;
    the reader gives that split calendar back: the same working minutes, the same schedule."""
    p = _plan({"night": NIGHT}, ["", "night", "night", ""])
    q = _round_trip(p, tmp_path / "plan.xml")
    back = q.calendars["night"]
    early, late = (0, 360), (1320, 1440)
    assert back.working_times == ((late,), (early, late), (early, late), (early, late),
                                  (early, late), (early,), ())
    assert back.weekmask == (True,) * 6 + (False,)
    assert back.minutes_per_day == p.calendars["night"].minutes_per_day == 480
    np.testing.assert_array_equal(_working_minutes(back, START, 28),
                                  _working_minutes(p.calendars["night"], START, 28))
    _same_schedule(p, q)


def test_a_holiday_on_a_night_shift_is_named_as_lost(tmp_path):
    """A holiday takes the whole shift off, also its hours after midnight; in the file those
    hours belong to the next day, which still works them: the task calendars are named."""
    night = {**NIGHT, "holidays": ["2027-01-07"]}  # a Thursday
    p = _plan({"night": night}, ["", "night", "night", ""])
    assert losses(p, "plan.xml") == ["calendars"]
    with pytest.warns(TpmkitWarning, match=r"plan\.xml: MS Project XML cannot hold the task "
                                           "calendars;"):
        tpmkit.write(p, tmp_path / "plan.xml")
    back = _read(tmp_path / "plan.xml").calendars["night"]
    friday = pd.Timestamp("2027-01-08")
    assert not p.calendars["night"].is_workday([pd.Timestamp("2027-01-07")])[0]
    assert back.is_workday([friday])[0] and back.working_times[4][0] == (0, 360)


def test_several_calendars_with_unicode_names_and_ids(tmp_path):
    cals = {"設計": NIGHT, "Équipe <24 h> & Co": DAY_AND_NIGHT,
            "4×10": {"workweek": WEEK[:4], "hours_per_day": 8,
                     "working_times": {d: ["07:00-12:00", "12:30-17:30"] for d in WEEK[:4]}}}
    ids = ("設計-1", "Tâche-3", "Ωmega", "終")
    p = _plan(cals, ["設計", "Équipe <24 h> & Co", "4×10", ""], ids=ids)
    q = _round_trip(p, tmp_path / "plan.xml")
    assert list(q.tasks.index) == list(ids)
    assert q.tasks["calendar"].tolist() == p.tasks["calendar"].tolist()
    assert set(q.calendars) == set(cals)
    for name in ("Équipe <24 h> & Co", "4×10"):
        _same_calendar(q.calendars[name], p.calendars[name])
    np.testing.assert_array_equal(_working_minutes(q.calendars["設計"], START, 28),
                                  _working_minutes(p.calendars["設計"], START, 28))
    _same_schedule(p, q)


def test_the_start_time_setting_comes_back_with_task_calendars(tmp_path):
    p = _plan({"night": NIGHT}, ["", "night", "", ""], start_time="09:00")
    q = _round_trip(p, tmp_path / "plan.xml")
    assert q.settings["start_time"] == "09:00"
    assert tpmkit.schedule(q).table.loc["A", "early_start_date"] == pd.Timestamp(
        "2027-01-04 09:00")
    _same_schedule(p, q)


@pytest.mark.parametrize(("calendar", "calendars", "task_calendar", "lost"), [
    # whole days are written as MS Project's 08:00-17:00: not 24 h of work a day
    (None, {"7d": {"workweek": ALL}}, ["", "7d", "", ""], ["calendars"]),
    # a day of duration of its own (10 h): MS Project counts MinutesPerDay on every calendar
    (None, {"4x10": {"workweek": WEEK[:4],
                     "working_times": {d: ["07:00-17:00"] for d in WEEK[:4]}}},
     ["", "4x10", "", ""], ["calendars"]),
    # no task on another calendar: the reader reads the project calendar as whole days
    (None, {"6d": {"workweek": [*WEEK, "Sat"]}}, [""] * 4, ["working_times", "calendars"]),
    (NIGHT, None, [""] * 4, ["working_times"]),
    # a calendar equal to the project calendar: its tasks come back on the project calendar
    (None, {"copy": {"working_times": STANDARD}}, ["", "copy", "", ""],
     ["working_times", "calendars", "task:calendar"]),
    # a night shift as the project calendar: split, its mean working day is 400 minutes
    # (Mon 2 h, Tue-Fri 8 h, Sat 6 h), not the 480 minutes of a day of duration
    (NIGHT, {"day": {"working_times": {d: ["07:00-15:00"] for d in WEEK}}}, ["", "day", "", ""],
     ["working_times", "calendars"]),
], ids=["whole days", "own day length", "unused", "hours alone", "equal", "night project"])
def test_what_the_file_cannot_give_back_is_named(tmp_path, calendar, calendars, task_calendar,
                                                 lost):
    p = _plan(calendars, task_calendar, calendar=calendar)
    assert losses(p, "plan.xml") == lost
    with pytest.warns(TpmkitWarning, match=r"plan\.xml: MS Project XML cannot hold the") as w:
        tpmkit.write(p, tmp_path / "plan.xml")
    assert len(w) == 1


def test_the_written_calendars_and_task_calendar_uids(tmp_path):
    """The XML of a hand-written plan: the project calendar (UID 1), the night shift (UID 2)
    split at midnight, the 24-hour calendar (UID 3, 00:00 to 00:00), each task's
    ``CalendarUID`` (-1: the project calendar) with ``IgnoreResourceCalendar`` (else MS
    Project schedules where the resource's calendar works too), ``MinutesPerDay`` and the
    dates of the schedule with their time of day."""
    p = _plan({"Nuit": NIGHT, "24 h": DAY_AND_NIGHT}, ["", "Nuit", "24 h", ""])
    tpmkit.write(p, tmp_path / "plan.xml")
    root = ElementTree.parse(tmp_path / "plan.xml").getroot()
    assert (root.findtext(f"{NS}MinutesPerDay"), root.findtext(f"{NS}MinutesPerWeek"),
            root.findtext(f"{NS}CalendarUID"), root.findtext(f"{NS}StartDate")) == (
        "480", "2400", "1", "2027-01-04T08:00:00")

    def weekdays(cal) -> dict[str, list[tuple[str, str]] | None]:
        out = {}
        for wd in cal.findall(f"{NS}WeekDays/{NS}WeekDay"):
            times = [(w.findtext(f"{NS}FromTime"), w.findtext(f"{NS}ToTime"))
                     for w in wd.findall(f"{NS}WorkingTimes/{NS}WorkingTime")]
            assert wd.findtext(f"{NS}DayWorking") == ("1" if times else "0")
            out[wd.findtext(f"{NS}DayType")] = times
        return out

    cals = {c.findtext(f"{NS}Name"): c for c in root.findall(f"{NS}Calendars/{NS}Calendar")}
    assert list(cals) == ["Standard", "Nuit", "24 h"]
    assert [cals[n].findtext(f"{NS}UID") for n in cals] == ["1", "2", "3"]
    assert all(c.findtext(f"{NS}IsBaseCalendar") == "1" for c in cals.values())
    std = [("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")]
    assert weekdays(cals["Standard"]) == {"1": [], "2": std, "3": std, "4": std, "5": std,
                                          "6": std, "7": []}
    before, after = ("00:00:00", "06:00:00"), ("22:00:00", "00:00:00")
    # DayType 1 = Sunday … 7 = Saturday; Friday's night ends on Saturday morning
    assert weekdays(cals["Nuit"]) == {"1": [], "2": [after], "3": [before, after],
                                      "4": [before, after], "5": [before, after],
                                      "6": [before, after], "7": [before]}
    assert weekdays(cals["24 h"]) == {str(k): [("00:00:00", "00:00:00")] for k in range(1, 8)}

    tasks = root.findall(f"{NS}Tasks/{NS}Task")
    assert [t.findtext(f"{NS}CalendarUID") for t in tasks] == ["-1", "2", "3", "-1"]
    assert [t.findtext(f"{NS}IgnoreResourceCalendar") for t in tasks] == [None, "1", "1", None]
    tags = [c.tag.removeprefix(NS) for c in tasks[1]]
    assert tags.index("CalendarUID") < tags.index("IgnoreResourceCalendar") < tags.index(
        "PredecessorLink")
    table = tpmkit.schedule(p).table
    for t, tid in zip(tasks, p.tasks.index, strict=True):
        row = table.loc[tid]
        assert t.findtext(f"{NS}EarlyFinish") == row["early_finish_date"].isoformat()
        if row["duration"] > 0:
            assert t.findtext(f"{NS}Start") == row["early_start_date"].isoformat()
    assert tasks[1].findtext(f"{NS}Start") == "2027-01-06T22:00:00"  # B: on the night shift


def test_elapsed_durations_round_trip_as_clock_time(tmp_path):
    """MS Project's elapsed durations (1 elapsed minute to 30 elapsed days) read onto the
    24-hour calendar are written back as elapsed days (``DurationFormat`` 8, clock minutes),
    so the file gives the same tasks, calendars and schedule, and nothing is named as lost."""
    import warnings

    from tpmkit.io import mspdi

    src = data_path("projectfiles", "mpxj", "mspdiduration.xml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reader's note on elapsed durations
        p = tpmkit.read(src)
    path = tmp_path / "elapsed.xml"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no loss
        tpmkit.write(p, path)
    text = path.read_text(encoding="utf-8")
    assert text.count("<DurationFormat>8</DurationFormat>") == 5
    assert "<Duration>PT720H0M0S</Duration>" in text  # 30 elapsed days
    back = mspdi.read_parts(path)
    assert back["tasks"]["calendar"].tolist() == p.tasks["calendar"].tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        q = tpmkit.read(path)
    a, b = tpmkit.schedule(p).table, tpmkit.schedule(q).table
    for col in ("early_start_date", "early_finish_date", "late_start_date", "late_finish_date"):
        assert (a[col] == b[col]).all(), col
