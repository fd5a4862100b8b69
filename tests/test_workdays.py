"""Extra working dates on a calendar (``workdays``: a Saturday shift, MS Project's and P6's
working exceptions), in the whole-day engine and on the time axis (issue 15).

Hand-worked references (2027-01-04 is a Monday; 2027-01-09 a Saturday) and an equivalence
property: a Mon–Fri calendar with a worked Saturday schedules exactly as a 7-day calendar
whose other weekend days are holidays.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit.errors import ValidationError
from tpmkit.model import Calendar

MON = "2027-01-04"
SAT = "2027-01-09"
WEEK7 = "Mon Tue Wed Thu Fri Sat Sun"
DAY8 = {d: ["08:00-16:00"] for d in ("Mon", "Tue", "Wed", "Thu", "Fri")}
COLS = ["early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float"]
DATES = ["early_start_date", "early_finish_date", "late_start_date", "late_finish_date"]


def _day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def test_a_worked_saturday_on_the_project_calendar():
    """A (6 d) Mon 4 – Sat 9 (the Saturday is worked), B (1 d) Mon 11; without the workday
    A ends Mon 11 and B is Tue 12."""
    t = pd.DataFrame({"id": ["A", "B"], "duration": [6, 1], "predecessors": ["", "A"]})
    on = tpmkit.schedule(tpmkit.read(t, start=MON, calendar={"workdays": [SAT]})).table
    off = tpmkit.schedule(tpmkit.read(t, start=MON)).table
    assert _day(on.loc["A", "early_finish_date"]) == SAT
    assert _day(on.loc["B", "early_start_date"]) == "2027-01-11"
    assert _day(off.loc["A", "early_finish_date"]) == "2027-01-11"
    assert on.loc["B", "early_finish"] == 7.0  # seven working days, the Saturday among them


def test_a_worked_saturday_on_a_task_calendar_with_hours():
    """Calendar 'site' works 08:00–16:00 Mon–Fri and Sat 9 Jan (the first working weekday's
    hours); the project calendar 08:00–16:00 Mon–Fri. S (6 d on 'site') Mon 4 08:00 – Sat 9
    16:00; P (6 d, project calendar) Mon 4 08:00 – Mon 11 16:00; F after both Tue 12 08:00."""
    t = pd.DataFrame({"id": ["S", "P", "F"], "duration": [6, 6, 1],
                      "predecessors": ["", "", "S;P"], "calendar": ["site", "", ""]})
    p = tpmkit.read(t, start=MON, calendar={"working_times": DAY8},
                    calendars={"site": {"working_times": DAY8, "workdays": [SAT]}})
    tab = tpmkit.schedule(p).table
    assert tab.loc["S", "early_finish_date"] == pd.Timestamp(f"{SAT} 16:00")
    assert tab.loc["P", "early_finish_date"] == pd.Timestamp("2027-01-11 16:00")
    assert tab.loc["F", "early_start_date"] == pd.Timestamp("2027-01-12 08:00")
    # S may finish as late as Mon 11 16:00: one day of float on its own calendar
    assert tab.loc["S", "total_float"] == pytest.approx(1.0)


def test_the_monte_carlo_works_the_extra_day():
    t = pd.DataFrame({"id": ["S", "F"], "duration": [6, 1], "predecessors": ["", "S"],
                      "calendar": ["site", ""]})
    p = tpmkit.read(t, start=MON, calendars={"site": {"workdays": [SAT]}})
    sim = tpmkit.risk.simulate(p, iterations=20, rng=0)
    assert np.allclose(sim.finish, tpmkit.schedule(p).duration)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 8), st.integers(0, 10_000), st.booleans())
def test_a_workday_equals_a_seven_day_week_with_the_other_weekend_days_off(n, seed, hours):
    """Mon–Fri + workday Sat 9 and Sat 16 ≡ Mon–Sun with every other weekend day (Jan–Mar)
    a holiday: the same schedule, offsets, floats and dates, on the task calendar of every
    other task (both engines: the whole-day one when all tasks share the calendar)."""
    rng = np.random.default_rng(seed)
    dur = rng.integers(0, 7, n)
    preds = [";".join(f"T{i} {rng.choice(['', 'SS+1', 'FF', 'FS+2'])}".strip()
                      for i in rng.choice(j, size=min(j, int(rng.integers(0, 3))),
                                          replace=False)) if j else "" for j in range(n)]
    t = pd.DataFrame({"id": [f"T{k}" for k in range(n)], "duration": dur, "predecessors": preds})
    sats = ["2027-01-09", "2027-01-16"]
    weekend = pd.date_range("2027-01-01", "2027-03-31")
    weekend = [d.date().isoformat() for d in weekend if d.day_of_week >= 5
               and d.date().isoformat() not in sats]
    times = {"working_times": DAY8} if hours else {}
    with_days = {"workdays": sats, **times}
    seven = {"workweek": WEEK7, "holidays": weekend,
             **({"working_times": {**DAY8, "Sat": ["08:00-16:00"], "Sun": ["08:00-16:00"]}}
                if hours else {})}
    cal = np.where(np.arange(n) % 2 == 0, "c", "")
    for tasks in (t.assign(calendar=cal), t.assign(calendar="c")):
        a = tpmkit.schedule(tpmkit.read(tasks, start=MON, calendars={"c": with_days})).table
        b = tpmkit.schedule(tpmkit.read(tasks, start=MON, calendars={"c": seven})).table
        np.testing.assert_allclose(a[COLS].to_numpy(float), b[COLS].to_numpy(float), atol=1e-9)
        for c in DATES:
            assert (a[c] == b[c]).all(), c
    # the project calendar itself with the workdays: the whole-day engine
    a = tpmkit.schedule(tpmkit.read(t, start=MON, calendar={"workdays": sats})).table
    b = tpmkit.schedule(tpmkit.read(t, start=MON, calendar={"workweek": WEEK7,
                                                             "holidays": weekend})).table
    np.testing.assert_allclose(a[COLS].to_numpy(float), b[COLS].to_numpy(float), atol=1e-9)
    for c in DATES:
        assert (a[c] == b[c]).all(), c


def test_workdays_round_trip_through_yaml_and_json(tmp_path):
    t = pd.DataFrame({"id": ["A"], "duration": [6], "calendar": ["site"]})
    p = tpmkit.read(t, start=MON, calendar={"workdays": ["2027-01-16"]},
                    calendars={"site": {"workdays": [SAT], "working_times": DAY8}})
    for ext in ("yaml", "json"):
        path = tmp_path / f"plan.{ext}"
        tpmkit.write(p, path)
        q = tpmkit.read(path)
        assert q.calendar == p.calendar and q.calendars == p.calendars
        assert tpmkit.schedule(q).table.equals(tpmkit.schedule(p).table)


def test_bad_workdays_get_one_line():
    with pytest.raises(ValidationError, match=r"2027-01-09 both as holidays and as workdays"):
        Calendar(holidays=[SAT], workdays=[SAT])
    with pytest.raises(ValidationError, match="workday"):
        Calendar(workdays=["not a date"])
    t = pd.DataFrame({"id": ["A"], "duration": [1], "calendar": ["c"]})
    with pytest.raises(ValidationError, match="unknown key"):
        tpmkit.read(t, start=MON, calendars={"c": {"workday": [SAT]}})


@pytest.mark.parametrize("hours", [False, True])
def test_workdays_round_trip_through_ms_project_xml(tmp_path, hours):
    """The MS Project XML writer writes extra working dates as working exceptions (the
    first working weekday's hours) and the reader reads them back: the same schedule, and
    with working hours nothing named as lost (whole-day task calendars come back with MS
    Project's standard day, which the writer names, as it always has)."""
    import warnings

    from tpmkit.errors import TpmkitWarning

    t = pd.DataFrame({"id": ["A", "S", "F"], "duration": [6, 6, 1],
                      "predecessors": ["", "", "A;S"], "calendar": ["", "site", ""]})
    site = {"workdays": [SAT], **({"working_times": DAY8} if hours else {})}
    project = {"workdays": ["2027-01-16"], **({"working_times": DAY8} if hours else {})}
    p = tpmkit.read(t, start=MON, calendar=project, calendars={"site": site})
    path = tmp_path / "plan.xml"
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        tpmkit.write(p, path)
    lost = [str(w.message) for w in seen if issubclass(w.category, TpmkitWarning)]
    assert lost == [] if hours else all("calendars" in m for m in lost)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "1 task uses task calendars …": informational
        q = tpmkit.read(path)
    assert [str(d) for d in q.calendar.workdays] == ["2027-01-16"]
    assert [str(d) for d in q.calendars["site"].workdays] == [SAT]
    a, b = tpmkit.schedule(p).table, tpmkit.schedule(q).table
    if hours:
        np.testing.assert_allclose(b[COLS].to_numpy(float), a[COLS].to_numpy(float),
                                   atol=1e-9)
    for c in DATES:
        assert (b[c].dt.date == a[c].dt.date).all(), c
    assert b.loc["S", "early_finish_date"].date() == pd.Timestamp(SAT).date()


def test_ms_project_working_exceptions_become_workdays():
    """A derived calendar's working exception on a Saturday is an extra workday (it used to
    be dropped with a warning); one on a working weekday keeps the weekday's hours (one
    warning line); a derived calendar's exception overrides its base calendar's holiday."""
    import warnings

    from tpmkit.io.mspdi import read_parts

    def exc(day, working):
        hours = ("<WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00"
                 "</ToTime></WorkingTime></WorkingTimes>") if working else ""
        return (f"<Exception><TimePeriod><FromDate>{day}T00:00:00</FromDate><ToDate>{day}"
                f"T23:59:00</ToDate></TimePeriod><DayWorking>{int(working)}</DayWorking>"
                f"{hours}</Exception>")

    week = "".join(f"<WeekDay><DayType>{k}</DayType><DayWorking>{int(1 < k < 7)}</DayWorking>"
                   + ("<WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>"
                      "17:00:00</ToTime></WorkingTime></WorkingTimes>" if 1 < k < 7 else "")
                   + "</WeekDay>" for k in range(1, 8))
    xml = ('<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">'
           "<StartDate>2027-01-04T08:00:00</StartDate><MinutesPerDay>540</MinutesPerDay>"
           "<CalendarUID>2</CalendarUID><Calendars>"
           f"<Calendar><UID>1</UID><Name>Base</Name><IsBaseCalendar>1</IsBaseCalendar>"
           f"<WeekDays>{week}</WeekDays><Exceptions>{exc('2027-01-12', False)}</Exceptions>"
           "</Calendar><Calendar><UID>2</UID><Name>Site</Name><IsBaseCalendar>0</IsBaseCalendar>"
           "<BaseCalendarUID>1</BaseCalendarUID><Exceptions>"
           f"{exc(SAT, True)}{exc('2027-01-12', True)}{exc('2027-01-13', True)}"
           "</Exceptions></Calendar></Calendars><Tasks><Task><UID>1</UID><ID>1</ID>"
           "<Name>A</Name><Duration>PT54H0M0S</Duration><Start>2027-01-04T08:00:00</Start>"
           "<Finish>2027-01-09T17:00:00</Finish></Task></Tasks></Project>")
    path = Path(__import__("tempfile").mkdtemp()) / "exceptions.xml"
    path.write_text(xml, encoding="utf-8")
    parts = read_parts(path)
    cal = parts["project"]["calendar"]
    assert cal["workdays"] == [SAT] and "2027-01-12" not in cal["holidays"]
    notes = [w for w in parts["warnings"] if "working exceptions" in w]
    assert len(notes) == 1 and "2027-01-12" in notes[0] and "2027-01-13" in notes[0]
    assert "\n" not in notes[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the working-exception note checked above
        tab = tpmkit.schedule(tpmkit.read(path)).table
    assert tab.loc["1", "early_finish_date"].date() == pd.Timestamp(SAT).date()


def _copy(tmp_path, rel: str, name: str):
    from tests.conftest import data_path

    src = data_path(*rel.split("/"))
    return src.read_text(encoding="utf-8"), tmp_path / name


def test_p6_working_exception_on_a_saturday_is_a_workday(tmp_path):
    """XER: an exception with work periods on Saturday 13 Jan 2024 (serial 45304) is an
    extra workday of the calendar; one on a working Wednesday keeps the weekday's hours."""
    from tests.test_io_xer import WEEK, _xer
    from tpmkit.io import xer

    path = _xer(tmp_path)
    work = "(0||1(d|{})((0||0(s|08:00|f|12:00)())(0||1(s|13:00|f|17:00)())))"
    cal = WEEK.replace("(0||0(d|45301)())", "(0||0(d|45301)())" + work.format(45304)
                       + work.format(45308))
    text = path.read_bytes().decode("cp1252").replace(WEEK, cal, 1)
    path.write_bytes(text.encode("cp1252"))
    parts = xer.read_parts(path)
    assert parts["project"]["calendar"]["workdays"] == ["2024-01-13"]
    assert "2024-01-10" in parts["project"]["calendar"]["holidays"]
    notes = [w for w in parts["warnings"] if "working exceptions" in w]
    assert len(notes) == 1 and "2024-01-17" in notes[0] and "2024-01-13" not in notes[0]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the file's notes, checked above
        cal = tpmkit.read(path).calendar
    assert cal.is_workday(["2024-01-13", "2024-01-14"]).tolist() == [True, False]


def test_ganttproject_and_planner_working_days_on_weekends_are_workdays(tmp_path):
    from tpmkit.io import gan, planner

    text, path = _copy(tmp_path, "projectfiles/ganttproject/blyoa__task__milestone-task.gan",
                       "m.gan")
    path.write_text(text.replace(
        '<date year="2024" month="1" date="3" type="HOLIDAY">',
        '<date year="2024" month="1" date="6" type="WORKING_DAY"/>'
        '<date year="2024" month="1" date="3" type="HOLIDAY">'), encoding="utf-8")
    cal = gan.read_parts(path)["project"]["calendar"]
    assert cal["workdays"] == ["2024-01-06"] and cal["holidays"] == ["2024-01-03"]

    text, path = _copy(tmp_path, "projectfiles/mpxj/planner-sample.planner", "p.planner")
    # Saturday 24 Feb 2007 made a working day of the project calendar ('Default', id 4)
    head, sep, tail = text.partition('<calendar id="4" name="Default">')
    path.write_text(head + sep + tail.replace(
        "<days/>", '<days><day date="20070224" type="day-type" id="0"/></days>', 1),
        encoding="utf-8")
    parts = planner.read_parts(path)
    assert parts["project"]["calendar"]["workdays"] == ["2007-02-24"]
    assert not [w for w in parts["warnings"] if "cannot be represented" in w]


def test_mpx_working_exception_on_a_saturday_is_a_workday(tmp_path):
    """MPX record 26 with the working flag: Saturday 13 Jan 2024 is an extra workday (A, 6 d
    from Mon 8 Jan, ends that Saturday); a non-working exception stays a holiday."""
    from tpmkit.io import mpx

    path = tmp_path / "w.mpx"
    path.write_text("MPX,Microsoft Project for Windows,4.0,ANSI\n"
                    "12,0,0,480,/,:,am,pm,9\n"
                    "20,Standard,0,1,1,1,1,1,0\n"
                    "26,01/13/2024,01/13/2024,1\n"
                    "26,01/10/2024,01/10/2024,0\n"
                    "30,Demo,,,,01/08/2024\n"
                    "61,90,1,40,70\n"
                    "70,1,A,6d\n", encoding="cp1252")
    parts = mpx.read_parts(path)
    cal = parts["project"]["calendar"]
    assert cal["workdays"] == ["2024-01-13"] and cal["holidays"] == ["2024-01-10"]
    assert not [w for w in parts["warnings"] if "working exception" in w]
