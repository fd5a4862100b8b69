"""Extra working dates on a calendar (``workdays``: a Saturday shift, MS Project's and P6's
working exceptions), in the whole-day engine and on the time axis (issue 15).

Hand-worked references (2027-01-04 is a Monday; 2027-01-09 a Saturday) and an equivalence
property: a Mon–Fri calendar with a worked Saturday schedules exactly as a 7-day calendar
whose other weekend days are holidays.
"""

from __future__ import annotations

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
