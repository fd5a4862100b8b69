"""Calendars per task in the one scheduling core (issue 15).

Hand-worked references (every date below is worked out in the test's docstring from a
2027 wall calendar: 2027-01-04 is a Monday), the lag-calendar rules of MS Project and P6,
working hours (P6: 300 h on 08:00–16:00 = 37.5 days), the bad-calendar messages, and
property tests against the one-calendar engine.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit._core import worktime
from tpmkit.errors import OptionError, TpmkitWarning, ValidationError
from tpmkit.model import Calendar, build_project

MON = "2027-01-04"
WEEK7 = "Mon Tue Wed Thu Fri Sat Sun"
DAY8 = {d: ["08:00-16:00"] for d in ("Mon", "Tue", "Wed", "Thu", "Fri")}
STANDARD = {d: ["08:00-12:00", "13:00-17:00"] for d in ("Mon", "Tue", "Wed", "Thu", "Fri")}


def _plan(rows, calendars, **settings):
    t = pd.DataFrame(rows, columns=["id", "duration", "predecessors", "calendar"])
    return tpmkit.read(t, start=MON, calendars=calendars, **settings)


def _day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def test_seven_day_task_after_five_day_task_across_the_weekend():
    """A (5 d, Mon–Fri) Mon 4 → Fri 8 Jan; B (2 d on a 7-day calendar) works the weekend,
    Sat 9 → Sun 10; C (1 d, Mon–Fri) Mon 11. On the project calendar B's weekend is no
    working time: B starts and finishes at offset 5, C runs 5 → 6."""
    p = _plan([("A", 5, "", ""), ("B", 2, "A", "7d"), ("C", 1, "B", "")],
              {"7d": {"workweek": WEEK7}})
    s = tpmkit.schedule(p)
    t = s.table
    assert [_day(x) for x in t["early_start_date"]] == ["2027-01-04", "2027-01-09", "2027-01-11"]
    assert [_day(x) for x in t["early_finish_date"]] == ["2027-01-08", "2027-01-10", "2027-01-11"]
    assert t["early_start"].tolist() == [0.0, 5.0, 5.0]
    assert t["early_finish"].tolist() == [5.0, 5.0, 6.0]
    assert s.duration == 6.0 and s.critical_path == ["A", "B", "C"]
    # the same plan without B's calendar: B takes Mon 11 – Tue 12, C Wed 13
    plain = tpmkit.schedule(_plan([("A", 5, "", ""), ("B", 2, "A", ""), ("C", 1, "B", "")], {}))
    assert plain.duration == 8.0


def test_float_counts_in_the_tasks_own_calendar():
    """A (5 d) Mon 4 – Fri 8 and B (2 d, 7-day calendar) Mon 4 – Tue 5 both precede C.
    B may finish as late as Sun 10 (its calendar works the weekend): 5 days of float on
    its calendar (Wed 6 … Sun 10), where the project calendar would count 3."""
    p = _plan([("A", 5, "", ""), ("B", 2, "", "7d"), ("C", 1, "A;B", "")],
              {"7d": {"workweek": WEEK7}})
    t = tpmkit.schedule(p).table
    assert t.loc["B", "total_float"] == 5.0 and t.loc["B", "free_float"] == 5.0
    assert _day(t.loc["B", "late_finish_date"]) == "2027-01-10"
    assert _day(t.loc["B", "late_start_date"]) == "2027-01-09"
    assert t.loc["A", "total_float"] == 0.0


def test_a_holiday_on_one_calendar_only():
    """Calendar 'site' has Wed 6 Jan off; the project calendar has not. A (3 d, project)
    works Mon 4 – Wed 6; B (3 d, site) Mon 4, Tue 5, Thu 7."""
    p = _plan([("A", 3, "", ""), ("B", 3, "", "site")],
              {"site": {"workweek": "Mon Tue Wed Thu Fri", "holidays": ["2027-01-06"]}})
    t = tpmkit.schedule(p).table
    assert _day(t.loc["A", "early_finish_date"]) == "2027-01-06"
    assert _day(t.loc["B", "early_finish_date"]) == "2027-01-07"
    assert t.loc["A", "total_float"] == 1.0  # A may end Thu 7, with B
    assert t.loc["B", "total_float"] == 0.0


# A: 2 days from Thu 7 Jan (SNET), finishing at the end of Fri 8; B (1 d) FS+2d.
@pytest.mark.parametrize(("cal_a", "cal_b", "rule", "b_start"), [
    # the lag counts on the successor's 7-day calendar: Sat 9, Sun 10 → B Mon 11
    ("", "7d", "successor", "2027-01-11"),
    # on the predecessor's Mon–Fri calendar: Mon 11, Tue 12 → B Wed 13
    ("", "7d", "predecessor", "2027-01-13"),
    ("", "7d", "project", "2027-01-13"),
    ("", "7d", "24h", "2027-01-11"),
    # A on the 7-day calendar, B on the project's Mon–Fri calendar
    ("7d", "", "successor", "2027-01-13"),
    ("7d", "", "predecessor", "2027-01-11"),
    ("7d", "", "project", "2027-01-13"),
    ("7d", "", "24h", "2027-01-11"),
])
def test_lag_counts_on_the_calendar_of_each_rule(cal_a, cal_b, rule, b_start):
    t = pd.DataFrame({"id": ["A", "B"], "duration": [2, 1], "predecessors": ["", "A FS+2d"],
                      "calendar": [cal_a, cal_b], "constraint": ["SNET", ""],
                      "constraint_date": ["2027-01-07", None]})
    p = tpmkit.read(t, start=MON, calendars={"7d": {"workweek": WEEK7}})
    s = tpmkit.schedule(p, lag_calendar=rule)
    assert _day(s.table.loc["A", "early_finish_date"]) == "2027-01-08"
    assert _day(s.table.loc["B", "early_start_date"]) == b_start
    # the setting may come from the project (P6 files carry it)
    assert tpmkit.schedule(p.replace(lag_calendar=rule)).table.equals(s.table)


def test_a_link_without_lag_never_moves_the_successor_before_the_predecessor():
    """A and B on the 7-day calendar, A from Sat 9 Jan (SNET); B SS+0d with lags on the
    project's Mon–Fri calendar: B starts with A on Sat 9 (no lag means no lag calendar),
    not at the end of Friday's work; B FF+0d after A finishes with A on Sun 10."""
    for link, start in (("A SS", "2027-01-09"), ("A FF", "2027-01-09")):
        t = pd.DataFrame({"id": ["A", "B"], "duration": [2, 2], "predecessors": ["", link],
                          "calendar": ["7d", "7d"], "constraint": ["SNET", ""],
                          "constraint_date": ["2027-01-09", None]})
        p = tpmkit.read(t, start=MON, calendars={"7d": {"workweek": WEEK7}})
        tab = tpmkit.schedule(p, lag_calendar="project").table
        assert _day(tab.loc["B", "early_start_date"]) == start, link
        assert tab.loc["B", "early_finish_date"] >= tab.loc["A", "early_finish_date"]
        assert (tab["total_float"] >= 0).all()


def test_hours_p6_300_hours_on_eight_hour_days():
    """P6: 300 h on 08:00–16:00 = 37.5 days. From Mon 4 Jan 08:00, 35 days are 7 weeks
    (to Fri 19 Feb), days 36 and 37 are Mon 22 and Tue 23, the half day Wed 24 Feb
    08:00–12:00. The successor (1 d) starts at 12:00 and ends Thu 25 at 12:00."""
    t = pd.DataFrame({"id": ["A", "B"], "duration": [37.5, 1.0], "predecessors": ["", "A"],
                      "calendar": ["P6", "P6"]})
    p = tpmkit.read(t, start=MON, calendar={"workweek": "Mon Tue Wed Thu Fri",
                                            "working_times": DAY8},
                    calendars={"P6": {"working_times": DAY8, "holidays": []}})
    s = tpmkit.schedule(p)
    tab = s.table
    assert tab.loc["A", "early_start_date"] == pd.Timestamp("2027-01-04 08:00")
    assert tab.loc["A", "early_finish_date"] == pd.Timestamp("2027-02-24 12:00")
    assert tab.loc["B", "early_start_date"] == pd.Timestamp("2027-02-24 12:00")
    assert tab.loc["B", "early_finish_date"] == pd.Timestamp("2027-02-25 12:00")
    assert tab["early_finish"].tolist() == [37.5, 38.5]
    assert s.finish_date == pd.Timestamp("2027-02-25 12:00")


def test_one_calendar_with_working_hours_gives_dates_with_times():
    """The same 37.5-day activity on a project calendar of 08:00–16:00 and no task
    calendars: the times are those of the whole-day schedule, bit for bit; the dates carry
    the time of day (finish Wed 24 Feb 12:00; the milestone after B at B's finish)."""
    t = pd.DataFrame({"id": ["A", "B", "M"], "duration": [37.5, 1.0, 0.0],
                      "predecessors": ["", "A", "B"]})
    hours = tpmkit.schedule(tpmkit.read(t, start=MON, calendar={"working_times": DAY8})).table
    days = tpmkit.schedule(tpmkit.read(t, start=MON)).table
    assert hours[COLS].equals(days[COLS])
    assert hours.loc["A", "early_finish_date"] == pd.Timestamp("2027-02-24 12:00")
    assert hours.loc["M", "early_start_date"] == pd.Timestamp("2027-02-25 12:00")
    assert days.loc["A", "early_finish_date"] == pd.Timestamp("2027-02-24")


def test_ms_project_24_hour_calendar():
    """MS Project: a day of duration is MinutesPerDay (8 h) on every calendar. 3 days on
    the '24 Hours' calendar are 24 h round the clock: Mon 4 08:00 → Tue 5 08:00; the
    successor on the Standard calendar (08–12, 13–17) works 8 h: Tue 08:00 → 17:00."""
    t = pd.DataFrame({"id": ["A", "B"], "duration": [3.0, 1.0], "predecessors": ["", "A"],
                      "calendar": ["24 Hours", ""]})
    every = {d: ["00:00-24:00"] for d in WEEK7.split()}
    p = tpmkit.read(t, start=MON, calendar={"working_times": STANDARD},
                    calendars={"24 Hours": {"workweek": WEEK7, "working_times": every,
                                            "hours_per_day": 8}})
    tab = tpmkit.schedule(p).table
    assert tab.loc["A", "early_start_date"] == pd.Timestamp("2027-01-04 08:00")
    assert tab.loc["A", "early_finish_date"] == pd.Timestamp("2027-01-05 08:00")
    assert tab.loc["B", "early_finish_date"] == pd.Timestamp("2027-01-05 17:00")
    assert tab["early_finish"].tolist() == [1.0, 2.0]


@pytest.mark.parametrize(("spec", "words"), [
    ({"workweek": []}, "no working day"),
    ({"workweek": "Mon Tue", "working_times": {"Mon": ["08:00-12:00"]}}, "no working time on Tue"),
    ({"working_times": {**STANDARD, "Mon": ["08:00-12:00", "11:00-15:00"]}}, "overlapping"),
    ({"working_times": {**STANDARD, "Sat": ["08:00-12:00"]}}, "not in its workweek"),
    ({"working_times": {**STANDARD, "Mon": ["8am-noon"]}}, "unreadable working time"),
    ({"working_times": STANDARD, "hours_per_day": 30}, "hours_per_day"),
    ({"workweek": "Mon", "colour": "red"}, "unknown key"),
])
def test_bad_calendars_get_one_line_naming_the_calendar(spec, words):
    t = pd.DataFrame({"id": ["A"], "duration": [1], "calendar": ["night"]})
    with pytest.raises(ValidationError) as exc:
        tpmkit.read(t, start=MON, calendars={"night": spec})
    msg = str(exc.value)
    assert words in msg and "'night'" in msg and "\n" not in msg


def test_unknown_calendar_names_the_tasks():
    t = pd.DataFrame({"id": ["A", "B"], "duration": [1, 1], "calendar": ["", "nights"]})
    with pytest.raises(ValidationError, match=r"tasks B name unknown calendar\(s\) nights"):
        tpmkit.read(t, start=MON, calendars={"night": {"workweek": WEEK7}})


def test_bad_lag_calendar_option():
    p = _plan([("A", 1, "", "7d")], {"7d": {"workweek": WEEK7}})
    with pytest.raises(OptionError, match="lag_calendar"):
        tpmkit.schedule(p, lag_calendar="tuesday")


def test_cli_unknown_calendar_exits_2_with_one_line(tmp_path):
    f = tmp_path / "plan.yaml"
    f.write_text("project: {start: 2027-01-04, calendars: {7d: {workweek: [Mon, Sun]}}}\n"
                 "tasks:\n  - {id: A, duration: 2, calendar: 8d}\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "tpmkit", "schedule", str(f)], capture_output=True,
                       text=True, check=False)
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().count("\n") == 0 and "unknown calendar" in r.stderr
    assert "Traceback" not in r.stderr


def test_status_date_forecast_on_calendars():
    """A (4 d, 7-day calendar) started Mon 4 and is half done at the status date Tue 5:
    its remaining 2 days run Wed 6 – Thu 7; B (1 d, Mon–Fri) follows on Fri 8."""
    t = pd.DataFrame({"id": ["A", "B"], "duration": [4, 1], "predecessors": ["", "A"],
                      "calendar": ["7d", ""], "percent_complete": [50, 0],
                      "actual_start": ["2027-01-04", None]})
    p = tpmkit.read(t, start=MON, status_date="2027-01-05", calendars={"7d": {"workweek": WEEK7}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = tpmkit.schedule(p)
    assert _day(s.table.loc["A", "forecast_finish_date"]) == "2027-01-07"
    assert _day(s.table.loc["B", "forecast_start_date"]) == "2027-01-08"


# ------------------------------------------------------------------ the axis arithmetic
def test_axis_lookups_scalar_and_array_agree():
    """``work``/``first``/``last`` of the compiled kernels and their numpy versions give
    the same instants on an 08–12, 13–17 calendar (Mon 4 Jan 2027 = day 0)."""
    axis = worktime.build_axis([((True,) * 5 + (False,) * 2, np.array([], "datetime64[D]"),
                                 [[(480, 720), (780, 1020)]] * 5 + [[], []])],
                               np.datetime64(MON), -7, 28)
    t = np.array([0.0, 480, 600, 720, 750, 780, 1020, 1440 + 480, 4 * 1440 + 1020,
                  5 * 1440 + 600, -100])
    w = worktime.work_array(t, 0, axis)
    assert w[:9].tolist() == [-0.0, 0.0, 120.0, 240.0, 240.0, 240.0, 480.0, 480.0, 2400.0]
    assert w[9] == 2400.0  # Saturday: the work of the week
    # a finish at the end of the morning stays there; a start moves to 13:00
    assert worktime.first_array(np.array([240.0]), 0, axis)[0] == 720.0
    assert worktime.last_array(np.array([240.0]), 0, axis)[0] == 780.0
    # the end of Friday (2400 working minutes) and the start of next Monday 08:00
    assert worktime.first_array(np.array([2400.0]), 0, axis)[0] == 4 * 1440 + 1020
    assert worktime.last_array(np.array([2400.0]), 0, axis)[0] == 7 * 1440 + 480
    ptr, a, b, c = axis.arrays
    for x in t:
        assert worktime.work.py_func(x, 0, ptr, a, b, c) == worktime.work_array(np.array([x]), 0, axis)[0]
    for x in w:
        assert worktime.first.py_func(x, 0, ptr, a, b, c) == worktime.first_array(np.array([x]), 0, axis)[0]
        assert worktime.last.py_func(x, 0, ptr, a, b, c) == worktime.last_array(np.array([x]), 0, axis)[0]


# --------------------------------------------------------------------- property tests
@st.composite
def networks(draw, max_tasks=9):
    n = draw(st.integers(2, max_tasks))
    dur = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    preds = []
    for j in range(n):
        links = []
        for i in draw(st.sets(st.integers(0, j - 1), max_size=2)) if j else []:
            kind = draw(st.sampled_from(["FS", "SS", "FF", "SF"]))
            lag = draw(st.integers(-2, 3))
            links.append(f"T{i} {kind}{lag:+d}d")
        preds.append("; ".join(links))
    snet = draw(st.lists(st.sampled_from([None, "2027-01-07", "2027-01-13"]), min_size=n,
                         max_size=n))
    return pd.DataFrame({"id": [f"T{k}" for k in range(n)], "duration": dur,
                         "predecessors": preds, "constraint": ["SNET" if s else "" for s in snet],
                         "constraint_date": snet})


COLS = ["early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float"]
DATES = ["early_start_date", "early_finish_date", "late_start_date", "late_finish_date"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.sampled_from(["successor", "predecessor", "project"]))
def test_one_calendar_under_another_name_gives_the_one_calendar_schedule(t, rule):
    """Every task on a named copy of the project calendar (Mon–Fri plus a holiday): the
    multi-calendar passes give the one-calendar schedule (times, floats, dates)."""
    cal = {"workweek": "Mon Tue Wed Thu Fri", "holidays": ["2027-01-12"]}
    plain = tpmkit.read(t, start=MON, calendar=cal)
    named = tpmkit.read(t.assign(calendar="copy"), start=MON, calendar=cal,
                        calendars={"copy": cal})
    a = tpmkit.schedule(plain).table
    b = tpmkit.schedule(named, lag_calendar=rule).table
    np.testing.assert_allclose(b[COLS].to_numpy(float), a[COLS].to_numpy(float), atol=1e-9)
    for c in DATES:
        assert (a[c] == b[c]).all(), c
    assert a["critical"].equals(b["critical"])


def test_a_milestone_ss_before_a_milestone_at_the_start_shows_the_start_day():
    """T0 SS→ T2 SS→ T6, all milestones at the start, on a named copy of the project
    calendar: T2's late start comes out of the backward pass at the end of the work before
    the start (Fri 1 Jan, the same working time as Mon 4 Jan). T0's late start shows Mon 4,
    as T2's does and as on one calendar (it showed Fri 1: the SS bound was taken as a
    time T0's calendar does not work)."""
    t = pd.DataFrame({"id": [f"T{i}" for i in range(7)], "duration": [0] * 7,
                      "predecessors": ["", "", "T0 SS+0d", "", "", "", "T2 SS+0d"]})
    cal = {"workweek": "Mon Tue Wed Thu Fri", "holidays": ["2027-01-12"]}
    named = tpmkit.read(t.assign(calendar="copy"), start=MON, calendar=cal,
                        calendars={"copy": cal})
    tab = tpmkit.schedule(named).table
    assert {_day(d) for d in tab["late_start_date"]} == {MON}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_seven_day_calendar_elapsed_equals_working_time(t):
    """Every task on a 7-day calendar: the schedule equals the one-calendar schedule of a
    project whose workweek has 7 days, so elapsed calendar days = working days."""
    t = t.assign(constraint="", constraint_date=None)
    seven = tpmkit.read(t, start=MON, calendar={"workweek": WEEK7})
    mixed = tpmkit.read(t.assign(calendar="7d"), start=MON, calendars={"7d": {"workweek": WEEK7}})
    a = tpmkit.schedule(seven).table
    b = tpmkit.schedule(mixed).table
    for c in DATES:
        assert (a[c] == b[c]).all(), c
    np.testing.assert_allclose(b["total_float"], a["total_float"], atol=1e-9)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.integers(0, 20), st.lists(st.booleans(), min_size=9, max_size=9))
def test_a_holiday_never_shortens_a_path(t, day, on_site):
    """Adding a holiday to the calendar of some tasks never makes an early finish earlier
    in working time: each task with work resumes (its next working day after the finish,
    on its calendar with the holiday) no earlier than before. Clock time may move back: a
    finish bound that falls right after the new holiday is the same working time as the end
    of the work before it (MS Project's convention), so a milestone there, and a task
    finish-to-finish after it, show the working day before the holiday."""
    t = t.assign(calendar=["site" if s else "" for s in on_site[:len(t)]])
    # a negative lag (a lead) spans more calendar time across a holiday, so it may pull its
    # successor earlier: the property holds for lags ≥ 0
    assume(not t["predecessors"].str.contains("-").any())
    hol = (pd.Timestamp(MON) + pd.Timedelta(days=day)).date().isoformat()
    base = {"site": {"workweek": "Mon Tue Wed Thu Fri Sat"}}
    more = {"site": {"workweek": "Mon Tue Wed Thu Fri Sat", "holidays": [hol]}}
    a = tpmkit.schedule(tpmkit.read(t, start=MON, calendars=base)).table
    b = tpmkit.schedule(tpmkit.read(t, start=MON, calendars=more)).table
    work = (a["duration"] > 0).to_numpy()

    def resumes(table):  # the next working day after each finish, on the calendars with it
        out = []
        for d, site in zip(table["early_finish_date"], t["calendar"] == "site"):
            out.append(np.busday_offset(np.datetime64(d.date(), "D") + 1, 0, roll="forward",
                                        weekmask="1111110" if site else "1111100",
                                        holidays=[hol] if site else []))
        return np.array(out)

    assert (resumes(b)[work] >= resumes(a)[work]).all()
    assert b["early_finish"].max() >= a["early_finish"].max() - 1e-9


def test_calendar_round_trip_through_to_dict():
    c = Calendar("Mon Tue", ["2027-01-05"], {"Mon": ["23:00-08:00"], "Tue": ["08:00-16:00"]}, 8)
    d = c.to_dict()
    assert d["working_times"] == {"Mon": ["23:00-08:00"], "Tue": ["08:00-16:00"]}
    assert Calendar(d["workweek"], d["holidays"], d["working_times"], d["hours_per_day"]) == c
    assert c.minutes_per_day == 480.0


# ------------------------------------------------------------------------- consumers
def _multi_calendar_plan():
    t = pd.DataFrame({"id": ["A", "B", "C", "D"], "duration": [5, 2, 3, 0],
                      "predecessors": ["", "A", "A", "B;C"], "calendar": ["", "7d", "", ""],
                      "resources": ["dev:1", "dev:1", "qa:1", ""],
                      "optimistic": [4, 1, 2, 0], "most_likely": [5, 2, 3, 0],
                      "pessimistic": [8, 4, 5, 0], "cost": [100, 50, 80, 0]})
    res = pd.DataFrame({"id": ["dev", "qa"], "capacity": [1, 1]})
    return build_project({"tasks": t, "resources": res,
                                 "project": {"start": MON, "calendars": {"7d": {"workweek": WEEK7}}}})


def test_risk_simulates_a_multi_calendar_plan_on_its_calendars():
    """No "ignores them" warning any more: the Monte Carlo kernel runs on the calendars
    (tests/test_risk_calendars.py checks it iteration by iteration)."""
    from tpmkit.risk import simulate

    p = _multi_calendar_plan()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        sim = simulate(p, iterations=200, rng=1)
    assert not [w for w in seen if "own calendars" in str(w.message)]
    assert np.isfinite(sim.finish).all()
    assert sim.deterministic_duration == pytest.approx(tpmkit.schedule(p).duration)


def test_level_check_and_report_data_take_a_multi_calendar_plan():
    from tpmkit.health import dcma14
    from tpmkit.report.data import build_report_data
    from tpmkit.resources.levelling import level

    p = _multi_calendar_plan()
    # levelling works in whole days of the project calendar: it says so, once, in one line
    with pytest.warns(TpmkitWarning, match=r"use their own calendars; resource levelling works"):
        lv = level(p)
    assert list(lv.schedule.index) == list(p.tasks.index)
    assert (lv.schedule["finish"] >= lv.schedule["start"]).all()
    rep = dcma14(p)
    assert rep is not None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = build_report_data(p, iterations=200)
    assert data is not None


def test_task_calendars_need_a_start_date():
    t = pd.DataFrame({"id": ["A"], "duration": [1], "calendar": ["7d"]})
    p = tpmkit.read(t, calendars={"7d": {"workweek": WEEK7}})
    with pytest.raises(ValidationError, match="need a project start date"):
        tpmkit.schedule(p)


@st.composite
def calendars(draw):
    mask = draw(st.lists(st.booleans(), min_size=7, max_size=7).filter(any))
    days = []
    for on in mask:
        if not on:
            days.append([])
            continue
        cuts = sorted(draw(st.sets(st.integers(0, 96), min_size=2, max_size=6)))
        cuts = cuts[: len(cuts) // 2 * 2]
        days.append([(15 * a, 15 * b) for a, b in zip(cuts[::2], cuts[1::2])])
    mask = [on and bool(d) for on, d in zip(mask, days)]
    if not any(mask):
        mask[0], days[0] = True, [(480, 960)]
    hol = draw(st.lists(st.integers(0, 40), max_size=4))
    return mask, np.array([np.datetime64(MON) + int(h) for h in hol], dtype="datetime64[D]"), days


@settings(max_examples=40, deadline=None)
@given(calendars(), st.lists(st.floats(-3000, 40000), min_size=1, max_size=20),
       st.one_of(st.just(0.0), st.floats(0.01, 20000)))  # minutes far above float round-off
def test_shift_and_back_add_and_take_away_working_time(cal, instants, w):
    """On any calendar: ``shift(t, w)`` is ``w`` working minutes after ``t`` (not before it
    when ``w > 0``), ``back(t, w)`` the same before; ``back(t, 0)`` rolls forward,
    ``shift(t, 0)`` back; the compiled scalars and the numpy versions agree."""
    axis = worktime.build_axis([cal], np.datetime64(MON), -40, 200)
    t = np.array(instants)
    wt = worktime.work_array(t, 0, axis)
    after = worktime.shift_array(t, w, 0, axis)
    before = worktime.back_array(t, w, 0, axis)
    np.testing.assert_allclose(worktime.work_array(after, 0, axis), wt + w, atol=1e-6)
    np.testing.assert_allclose(worktime.work_array(before, 0, axis), wt - w, atol=1e-6)
    if w > 0:
        assert (after >= t - 1e-6).all() and (before <= t + 1e-6).all()
    # w = 0: a start rolls forward to the next working instant, a finish back to the end
    # of the work before it
    assert (worktime.back_array(t, 0.0, 0, axis) >= t - 1e-6).all()
    assert (worktime.shift_array(t, 0.0, 0, axis) <= t + 1e-6).all()
    ptr, a, b, c = axis.arrays
    for x, y, z in zip(t, after, before):
        assert worktime.shift.py_func(x, w, 0, ptr, a, b, c) == y
        assert worktime.back.py_func(x, w, 0, ptr, a, b, c) == z


def test_a_milestone_at_the_start_keeps_its_late_start_day_on_a_task_calendar():
    """Regression (found by the property test above): a milestone at the project start with an
    SS+0 successor came out of the backward pass at the end of the work before the start,
    shown as the Saturday before; a start is shown at the next working instant."""
    t = pd.DataFrame({"id": [f"T{k}" for k in range(3)], "duration": [0, 0, 0],
                      "predecessors": ["", "", "T0 SS+0d"]})
    cal = {"workweek": "Mon Tue Wed Thu Fri", "holidays": ["2027-01-12"]}
    plain = tpmkit.read(t, start=MON, calendar=cal)
    named = tpmkit.read(t.assign(calendar="copy"), start=MON, calendar=cal,
                        calendars={"copy": cal})
    a = tpmkit.schedule(plain).table
    b = tpmkit.schedule(named, lag_calendar="successor").table
    for c in DATES:
        assert (a[c] == b[c]).all(), c
    assert str(b.loc["T0", "late_start_date"].date()) == "2027-01-04"


def test_ff_into_a_holiday_of_the_successors_calendar():
    """Found by test_a_holiday_never_shortens_a_path: T2 (Mon-Fri) finishes on Wed 13 Jan;
    T6 (site calendar, 13 Jan a holiday) is FF+0 after it and must not finish before it: its
    finish moves to the next working instant of its calendar, its work
    stays one day."""
    t = pd.DataFrame({"id": ["T2", "T6"], "duration": [1, 1], "predecessors": ["", "T2 FF+0d"],
                      "constraint": ["SNET", ""], "constraint_date": ["2027-01-13", None],
                      "calendar": ["", "site"]})
    cals = {"site": {"workweek": "Mon Tue Wed Thu Fri Sat", "holidays": ["2027-01-13"]}}
    r = tpmkit.schedule(tpmkit.read(t, start=MON, calendars=cals)).table
    assert r.loc["T6", "early_finish_date"] >= r.loc["T2", "early_finish_date"]


def test_ff_from_a_holiday_of_the_successors_calendar_keeps_the_predecessor_on_time():
    """The backward pass of the same case: T6's latest finish may lie in the holiday after its
    work (as its early finish does), so T2, which drives the project, keeps zero float."""
    t = pd.DataFrame({"id": ["T2", "T6"], "duration": [1, 1], "predecessors": ["", "T2 FF+0d"],
                      "constraint": ["SNET", ""], "constraint_date": ["2027-01-13", None],
                      "calendar": ["", "site"]})
    cals = {"site": {"workweek": "Mon Tue Wed Thu Fri Sat", "holidays": ["2027-01-13"]}}
    r = tpmkit.schedule(tpmkit.read(t, start=MON, calendars=cals)).table
    assert r.loc["T2", "total_float"] == 0
    assert r.loc["T6", "total_float"] == 0
    assert r.loc["T6", "early_start_date"] == pd.Timestamp("2027-01-12")   # its one day of work


def test_ff_after_a_milestone_pinned_after_a_holiday_is_the_one_calendar_schedule():
    """Found by test_one_calendar_under_another_name_gives_the_one_calendar_schedule: T1, a
    milestone with SNET Wed 13 Jan after the holiday on Tue 12, is shown on Mon 11 (the
    work before it ends then); T2 (1 day) FF+0d after it finishes on Mon 11 on a named copy
    of the calendar as on the project calendar, not on the holiday."""
    t = pd.DataFrame({"id": ["T0", "T1", "T2"], "duration": [0, 0, 1],
                      "predecessors": ["", "", "T0 FS+0d; T1 FF+0d"],
                      "constraint": ["", "SNET", ""], "constraint_date": [None, "2027-01-13", None]})
    cal = {"workweek": "Mon Tue Wed Thu Fri", "holidays": ["2027-01-12"]}
    plain = tpmkit.schedule(tpmkit.read(t, start=MON, calendar=cal)).table
    named = tpmkit.schedule(tpmkit.read(t.assign(calendar="copy"), start=MON, calendar=cal,
                                        calendars={"copy": cal})).table
    for c in DATES:
        assert (plain[c] == named[c]).all(), c
    assert _day(named.loc["T2", "early_finish_date"]) == "2027-01-11"


def test_ss_into_a_holiday_of_the_predecessors_calendar_keeps_the_link():
    """Mirror case of the backward pass: P (site calendar, 13 Jan a holiday) is SS+0 before S,
    whose latest start is 13 Jan (an FNLT; Q, 12 days, sets the project finish); P's latest
    start must not fall after S's. P cannot start on its holiday: its latest start is the end
    of its work on 12 Jan (the same working time as the start of 14 Jan), shown on 12 Jan."""
    t = pd.DataFrame({"id": ["P", "S", "Q", "Z"], "duration": [1, 1, 12, 0],
                      "predecessors": ["", "P SS+0d", "", "S;Q"],
                      "constraint": ["", "FNLT", "", ""],
                      "constraint_date": [None, "2027-01-13", None, None],
                      "calendar": ["site", "", "", ""]})
    cals = {"site": {"workweek": "Mon Tue Wed Thu Fri Sat", "holidays": ["2027-01-13"]}}
    r = tpmkit.schedule(tpmkit.read(t, start=MON, calendars=cals)).table
    assert r.loc["S", "late_start_date"] == pd.Timestamp("2027-01-13")
    assert r.loc["P", "late_start_date"] == pd.Timestamp("2027-01-12")
