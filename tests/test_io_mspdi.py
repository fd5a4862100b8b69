"""MS Project XML (MSPDI) import and export (``tpmkit.io.mspdi``).

Unit conventions checked against the MSPDI schema reference and the MS Project files in
``tests/data/projectfiles/mpxj`` (saved by MS Project 2003/2019; MPXJ test suite).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tpmkit
from tests.conftest import data_path
from tpmkit.cpm import schedule
from tpmkit.errors import DataError, FileFormatError
from tpmkit.io import TpmkitWarning, mspdi

HEAD = '<Project xmlns="http://schemas.microsoft.com/project">'
CAL = """<CalendarUID>1</CalendarUID><MinutesPerDay>{mpd}</MinutesPerDay>
<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>
<WeekDays>
<WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>
{work}
<WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay>
<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>
<FromDate>2024-01-10T00:00:00</FromDate><ToDate>2024-01-11T23:59:00</ToDate></TimePeriod></WeekDay>
</WeekDays>
<Exceptions><Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>
<FromDate>2024-02-01T00:00:00</FromDate><ToDate>2024-02-01T23:59:00</ToDate></TimePeriod>
<Occurrences>1</Occurrences><Name>Holiday</Name><Type>1</Type><DayWorking>0</DayWorking>
</Exception></Exceptions></Calendar>
<Calendar><UID>2</UID><Name>Derived</Name><IsBaseCalendar>0</IsBaseCalendar>
<BaseCalendarUID>1</BaseCalendarUID><WeekDays>
<WeekDay><DayType>6</DayType><DayWorking>0</DayWorking></WeekDay></WeekDays></Calendar>
</Calendars>"""
WORKDAY = ("<WeekDay><DayType>{d}</DayType><DayWorking>1</DayWorking><WorkingTimes>"
           "<WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>"
           "<WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime>"
           "</WorkingTimes></WeekDay>")


def _task(uid, dur="PT8H0M0S", fmt=7, links=(), extra=""):
    lk = "".join(f"<PredecessorLink><PredecessorUID>{p}</PredecessorUID><Type>{t}</Type>"
                 f"<LinkLag>{lag}</LinkLag><LagFormat>{lf}</LagFormat></PredecessorLink>"
                 for p, t, lag, lf in links)
    return (f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>T{uid}</Name><Duration>{dur}</Duration>"
            f"<DurationFormat>{fmt}</DurationFormat>{extra}{lk}</Task>")


def _write(tmp_path, tasks, mpd=480, cal_uid=1, more=""):
    work = "".join(WORKDAY.format(d=d) for d in range(2, 7))
    text = (HEAD + "<Name>t</Name><StartDate>2024-01-08T08:00:00</StartDate>"
            + CAL.format(mpd=mpd, work=work).replace("<CalendarUID>1</CalendarUID>",
                                                       f"<CalendarUID>{cal_uid}</CalendarUID>")
            + "<Tasks>" + "".join(tasks) + "</Tasks>" + more + "</Project>")
    path = tmp_path / "p.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_durations_in_every_unit(tmp_path):
    tasks = [_task(1, "PT0H30M0S", 3), _task(2, "PT4H0M0S", 5), _task(3, "PT16H0M0S", 7),
             _task(4, "PT80H0M0S", 9), _task(5, "PT160H0M0S", 11), _task(6, "PT8H0M0S", 39),
             _task(7, "PT0H0M0S", 7, extra="<Milestone>1</Milestone>")]
    parts = mspdi.read_parts(_write(tmp_path, tasks))
    assert parts["tasks"]["duration"].tolist() == [30 / 480, 0.5, 2.0, 10.0, 20.0, 1.0, 0.0]
    assert parts["tasks"]["milestone"].tolist() == [False] * 6 + [True]


def test_elapsed_durations_run_on_a_24_hour_calendar(tmp_path):
    """1 ed (24 h) and 1 ew (168 h) are clock time: days of 24 hours on the 24-hour calendar,
    whatever the working days (MS Project ignores the calendars for them). From Mon 8 Jan
    08:00, 1 ed ends Tue 08:00 and 1 ew the next Monday 08:00, over the weekend; a 1 ed task
    after 1 working day (Mon 08:00–17:00) ends Tue 17:00."""
    tasks = [_task(1, "PT24H0M0S", 8), _task(2, "PT168H0M0S", 10), _task(3),
             _task(4, "PT24H0M0S", 8, links=[(3, 1, 0, 7)])]
    path = _write(tmp_path, tasks)
    parts = mspdi.read_parts(path)
    assert parts["tasks"]["duration"].tolist() == pytest.approx([1.0, 7.0, 1.0, 1.0])
    assert parts["tasks"]["calendar"].tolist() == [mspdi.ELAPSED_CALENDAR] * 2 + [""] + [
        mspdi.ELAPSED_CALENDAR]
    assert any("elapsed" in w and "1, 2, 4" in w and "24-hour" in w for w in parts["warnings"])
    t = schedule(tpmkit.model.build_project(parts)).table
    assert t["early_finish_date"].tolist() == [pd.Timestamp(x) for x in (
        "2024-01-09 08:00", "2024-01-15 08:00", "2024-01-08 17:00", "2024-01-09 17:00")]


@pytest.mark.parametrize(("link_type", "expected"), [(0, "FF"), (1, "FS"), (2, "SF"), (3, "SS")])
def test_link_types(tmp_path, link_type, expected):
    parts = mspdi.read_parts(_write(tmp_path, [_task(1), _task(2, links=[(1, link_type, 0, 7)])]))
    want = "1" if expected == "FS" else f"1 {expected}"
    assert parts["tasks"]["predecessors"].tolist() == ["", want]


@pytest.mark.parametrize(("lag", "fmt", "text"), [
    (600, 3, "1 FS+0.125d"),        # 60 minutes
    (2400, 5, "1 FS+0.5d"),         # 4 hours
    (9600, 7, "1 FS+2d"),           # 2 days
    (-4800, 7, "1 FS-1d"),          # lead of 1 day
    (24000, 9, "1 FS+5d"),          # 1 week of 2400 min
    (96000, 11, "1 FS+20d"),        # 1 month = 20 days
    (9600, 39, "1 FS+2d"),          # estimated days
    (500, 19, "1 FS+50%"),          # 50 % of the predecessor (tenths of a percent)
    (14400, 8, "1 FS+0.7142857143d"),  # 1 elapsed day = 5/7 working day
])
def test_lags_in_every_unit(tmp_path, lag, fmt, text):
    parts = mspdi.read_parts(_write(tmp_path, [_task(1), _task(2, links=[(1, 1, lag, fmt)])]))
    assert parts["tasks"]["predecessors"].iloc[1] == text


def test_calendar_weekdays_holidays_and_derived_calendar(tmp_path):
    parts = mspdi.read_parts(_write(tmp_path, [_task(1)]))
    cal = parts["project"]["calendar"]
    assert cal["workweek"] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    assert cal["holidays"] == ["2024-01-10", "2024-01-11", "2024-02-01"]
    # the derived calendar makes Friday non-working and inherits the rest
    parts = mspdi.read_parts(_write(tmp_path, [_task(1)], cal_uid=2))
    assert parts["project"]["calendar"]["workweek"] == ["Mon", "Tue", "Wed", "Thu"]
    assert parts["project"]["calendar_name"] == "Derived"


def test_schedule_from_finish_warns(tmp_path):
    path = _write(tmp_path, [_task(1)])
    path.write_text(path.read_text().replace("<Name>t</Name>",
                                             "<Name>t</Name><ScheduleFromStart>0</ScheduleFromStart>"))
    assert any("scheduled from its finish date" in w for w in mspdi.read_parts(path)["warnings"])


def test_minutes_per_day_differs_from_calendar(tmp_path):
    parts = mspdi.read_parts(_write(tmp_path, [_task(1, "PT12H0M0S")], mpd=360))
    # scheduled over the calendar's 8-hour days, as MS Project does
    assert parts["tasks"]["duration"].iloc[0] == 1.5
    assert any("MinutesPerDay (360 min) differs" in w for w in parts["warnings"])


def test_constraints_progress_costs_baseline(tmp_path):
    extra = ("<ConstraintType>{c}</ConstraintType><ConstraintDate>2024-01-15T08:00:00"
             "</ConstraintDate><PercentComplete>40</PercentComplete><FixedCost>250</FixedCost>"
             "<ActualStart>2024-01-08T08:00:00</ActualStart><ActualCost>120</ActualCost>"
             "<Baseline><Number>0</Number><Start>2024-01-08T08:00:00</Start>"
             "<Finish>2024-01-09T17:00:00</Finish><Cost>300</Cost></Baseline>"
             "<Baseline><Number>1</Number><Cost>999</Cost></Baseline>")
    tasks = [_task(k, extra=extra.format(c=c)) for k, c in enumerate(range(8), start=1)]
    with_alap = mspdi.read_parts(_write(tmp_path, tasks))
    t = with_alap["tasks"]
    assert t["constraint"].tolist() == ["", "ALAP", "MSO", "MFO", "SNET", "SNLT", "FNET", "FNLT"]
    assert t["constraint_date"].iloc[2] == pd.Timestamp("2024-01-15")
    assert pd.isna(t["constraint_date"].iloc[0])
    assert pd.isna(t["constraint_date"].iloc[1])  # ALAP has no date (the file's is ignored)
    assert not any("As Late As Possible" in w for w in with_alap["warnings"])
    row = t.iloc[0]
    assert (row.percent_complete, row.cost, row.actual_cost, row.baseline_cost) == (40, 250, 120, 300)
    assert row.actual_start == pd.Timestamp("2024-01-08 08:00")
    assert (row.baseline_start, row.baseline_finish) == (pd.Timestamp("2024-01-08 08:00"),
                                                         pd.Timestamp("2024-01-09 17:00"))


def test_summary_tasks_become_wbs_and_their_links_move_to_subtasks(tmp_path):
    def t(uid, on, summary=0, links=()):
        return _task(uid, links=links, extra=f"<OutlineNumber>{on}</OutlineNumber>"
                                             f"<Summary>{summary}</Summary>")
    tasks = [t(1, "1", 1), t(2, "1.1"), t(3, "1.2"), t(4, "2", links=[(1, 1, 0, 7)]),
             _task(5, extra="<IsNull>1</IsNull>"), _task(6, extra="<Active>0</Active>")]
    parts = mspdi.read_parts(_write(tmp_path, tasks))
    t = parts["tasks"].set_index("id")
    assert list(t.index) == ["2", "3", "4"]
    assert t.loc["4", "predecessors"] == "2; 3"
    assert any("summary tasks 1" in w for w in parts["warnings"])
    assert any("inactive tasks 6" in w for w in parts["warnings"])


def test_resources_and_assignments(tmp_path):
    more = ("<Resources><Resource><UID>0</UID><ID>0</ID></Resource>"
            "<Resource><UID>1</UID><ID>1</ID><Name>Dev Team</Name><Type>1</Type>"
            "<MaxUnits>2</MaxUnits><StandardRate>50</StandardRate>"
            "<StandardRateFormat>2</StandardRateFormat></Resource></Resources>"
            "<Assignments><Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
            "<Units>0.5</Units></Assignment><Assignment><UID>2</UID><TaskUID>1</TaskUID>"
            "<ResourceUID>-65535</ResourceUID><Units>1</Units></Assignment></Assignments>")
    parts = mspdi.read_parts(_write(tmp_path, [_task(1)], more=more))
    assert parts["tasks"]["resources"].tolist() == ["Dev_Team:0.5"]
    res = parts["resources"].set_index("id")
    assert res.loc["Dev_Team", "capacity"] == 2.0
    assert res.loc["Dev_Team", "rate"] == 400.0  # 50 per hour x 8 h per working day


@pytest.mark.parametrize(("body", "message"), [
    (_task(1, "PT8X"), r"task ID 1 \(record 1\): field Duration has the invalid value 'PT8X'"),
    (_task(1, extra="<ConstraintType>4</ConstraintType>"),
     r"task ID 1 .*field ConstraintDate.*SNET constraint needs a date"),
    (_task(2, links=[(1, 7, 0, 7)]) + _task(1),
     r"task ID 2 .*field PredecessorLink/Type has the invalid value '7'.*0 = FF, 1 = FS"),
    (_task(1, extra="<PercentComplete>lots</PercentComplete>"),
     r"task ID 1 .*field PercentComplete has the invalid value 'lots'; it must be a number"),
    (_task(1, extra="<Summary>1</Summary><OutlineNumber>1</OutlineNumber>",
           links=[(2, "x", 0, 7)]) + _task(2, extra="<OutlineNumber>2</OutlineNumber>"),
     r"summary task UID 1: field PredecessorLink/Type has the invalid value 'x'"),
    (_task(1, extra="<Start>yesterday</Start>"), r"task ID 1 .*field Start .*ISO date-time"),
])
def test_malformed_fields_name_file_task_and_field(tmp_path, body, message):
    with pytest.raises(FileFormatError, match=r"p\.xml: " + message):
        mspdi.read_parts(_write(tmp_path, [body]))


def test_not_an_mspdi_file(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text("<svg><g/></svg>")
    with pytest.raises(FileFormatError, match=r"other\.xml: not an MS Project XML.*<svg>"):
        mspdi.read_parts(path)


def test_real_file_links_and_stored_dates():
    """mspdirelations.xml: FS, SS+1d, FF, SF chain; stored dates as offsets (see case json)."""
    parts = mspdi.read_parts(data_path("projectfiles", "mpxj", "mspdirelations.xml"))
    t = parts["tasks"].set_index("id")
    assert t["predecessors"].tolist() == ["", "1", "2 SS+1d", "3 FF", "4 SF"]
    c = parts["computed"]
    assert c["early_start"].tolist() == [0.0, 1.0, 2.0, 2.0, 1.0]
    assert c["total_float"].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]
    assert parts["project"]["start"] == "2006-09-21" and parts["project"]["currency"] == "GBP"


def test_real_file_baselines_and_costs():
    parts = mspdi.read_parts(data_path(
        "projectfiles", "mpxj", "generated__task-baselines__task-baselines-project2019-mspdi.xml"))
    assert len(parts["tasks"]) == 110
    assert parts["tasks"]["baseline_cost"].notna().any()


# ------------------------------------------------------------------------- export
def _rt(project, tmp_path):
    out = tmp_path / "rt.xml"
    mspdi.write(project, out, schedule=schedule(project))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        return tpmkit.read(out), mspdi.read_parts(out)


@pytest.mark.parametrize("rel", ["mpxj/mspdirelations.xml", "ganttproject/HouseBuildingSample.gan",
                                 "mpxj/generated__task-links__task-links-project2003-mspdi.xml",
                                 "mpxj/project1.planner"])
def test_round_trip_preserves_tasks_links_calendar_dates(tmp_path, rel):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        p = tpmkit.read(data_path("projectfiles", *rel.split("/")))
    q, parts = _rt(p, tmp_path)
    assert list(q.tasks.index) == list(p.tasks.index)
    for col in ("name", "wbs", "constraint", "constraint_date", "resources", "percent_complete"):
        pd.testing.assert_series_equal(q.tasks[col], p.tasks[col], check_dtype=False)
    # durations are stored to the second: 1 s of an 8-hour day
    np.testing.assert_allclose(q.tasks["duration"], p.tasks["duration"], atol=1 / 28800)
    cols = ["predecessor", "successor", "type", "lag", "lag_percent"]
    pd.testing.assert_frame_equal(q.links[cols], p.links[cols])
    assert q.calendar.to_dict() == p.calendar.to_dict() and q.start == p.start
    a, b = schedule(p).table, schedule(q).table
    for col in ("early_start_date", "early_finish_date", "late_start_date", "late_finish_date"):
        assert (a[col] == b[col]).all(), col
    # the slack written into the file is tpmkit's own, in tenths of a minute (1/4800 day)
    np.testing.assert_allclose(parts["computed"]["total_float"], a["total_float"], atol=1 / 4800)


ids = st.lists(st.from_regex(r"[A-Z][a-z0-9]{0,3}", fullmatch=True), min_size=2, max_size=8,
               unique=True)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids, st.data())
def test_round_trip_random_networks(tmp_path, names, data):
    """Random acyclic networks with all link types, lags, percent lags and holidays survive."""
    rows = []
    for k, tid in enumerate(names):
        links = []
        for p in data.draw(st.lists(st.sampled_from(names[:k]), unique=True, max_size=2)) if k else []:
            kind = data.draw(st.sampled_from(["FS", "SS", "FF", "SF"]))
            lag = data.draw(st.sampled_from(["", "+1d", "-1d", "+2.5d", "+50%"]))
            links.append(f"{p} {kind}{lag}")
        rows.append({"id": tid, "name": f"task {tid}", "duration": data.draw(st.integers(0, 9)),
                     "predecessors": "; ".join(links)})
    hol = data.draw(st.lists(st.sampled_from(["2027-01-06", "2027-01-12", "2027-02-01"]),
                             unique=True))
    p = tpmkit.read({"tasks": pd.DataFrame(rows),
                     "project": {"start": "2027-01-04", "calendar": {"holidays": hol}}})
    q, _ = _rt(p, tmp_path)
    cols = ["predecessor", "successor", "type", "lag", "lag_percent"]
    pd.testing.assert_frame_equal(q.links[cols], p.links[cols])
    assert list(q.tasks.index) == list(p.tasks.index)
    a, b = schedule(p).table, schedule(q).table
    np.testing.assert_allclose(b[["early_start", "late_finish", "total_float"]],
                               a[["early_start", "late_finish", "total_float"]], atol=1e-9)


REFERENCE_FILES = [("mpxj", "generated__task-baselines__task-baselines-project2019-mspdi.xml"),
                   ("mpxj", "mspdirelations.xml"), ("mpxj", "enterprise.xml"),
                   ("mpxj", "legacy__sample.xml"), ("mpxj", "mspditimephased.xml"),
                   ("mpxj", "generated__calendar-calendars__calendar-calendars-project2019-mspdi.xml"),
                   ("ganttproject", "holidays-mspdi.xml")]
ELEMENTS = {"Project": ".", "Task": "Tasks/Task", "Resource": "Resources/Resource",
            "Assignment": "Assignments/Assignment", "Calendar": "Calendars/Calendar",
            "WeekDay": "Calendars/Calendar/WeekDays/WeekDay",
            "PredecessorLink": "Tasks/Task/PredecessorLink", "Baseline": "Tasks/Task/Baseline",
            "TaskExtendedAttribute": "Tasks/Task/ExtendedAttribute",
            "ExtendedAttribute": "ExtendedAttributes/ExtendedAttribute"}


def _order_pairs(elements) -> set[tuple[str, str]]:
    pairs = set()
    for el in elements:
        tags = [c.tag for c in el]
        pairs |= {(a, b) for i, a in enumerate(tags) for b in tags[i + 1:] if a != b}
    return pairs


def test_export_follows_the_element_order_ms_project_writes(tmp_path):
    """Every element the export writes is known from files MS Project saved, and no two
    children appear in the opposite order to those files (MS Project validates order)."""
    from tpmkit.io._xml import parse_xml

    refs = [parse_xml(data_path("projectfiles", *f)) for f in REFERENCE_FILES]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        house = tpmkit.read(data_path("projectfiles", "ganttproject", "HouseBuildingSample.gan"))
    table = house.to_table()
    table["baseline_start"], table["baseline_cost"] = house.start, 100.0  # exercise <Baseline>
    p = tpmkit.read({"tasks": table, "project": {"start": house.start,
                                                 "calendar": house.calendar.to_dict()},
                     "resources": house.resources})
    ours = parse_xml(mspdi.write(p, tmp_path / "house.xml", schedule=schedule(p)))
    for kind, path in ELEMENTS.items():
        known = _order_pairs(e for r in refs for e in (r.findall(path) if path != "." else [r]))
        tags = {t for pair in known for t in pair}
        mine = ours.findall(path) if path != "." else [ours]
        assert mine, kind
        got = _order_pairs(mine)
        assert not {(a, b) for a, b in got if (b, a) in known and (a, b) not in known}, kind
        # 'Alias' (custom field alias) is in the schema but unused by the reference files
        assert {c.tag for e in mine for c in e} - tags <= {"Alias"}, kind


def test_export_is_deterministic_and_computes_nothing(tmp_path):
    """The same project (and schedule) gives the same bytes; the dates come from the
    ScheduleResult passed in and the project's own dates, never from the clock."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        p = tpmkit.read(data_path("projectfiles", "ganttproject", "HouseBuildingSample.gan"))
    a = mspdi.write(p, tmp_path / "a.xml", schedule=schedule(p)).read_bytes()
    b = tpmkit.write(p, tmp_path / "b.xml").read_bytes()
    assert a == b
    assert tpmkit.io.write(p, tmp_path / "c.xml", schedule=schedule(p)).read_bytes() == a
    # without a schedule: the tasks carry no computed dates (MS Project schedules on open)
    bare = mspdi.write(p, tmp_path / "d.xml").read_bytes()
    assert bare == mspdi.write(p, tmp_path / "e.xml").read_bytes()
    assert b"<EarlyStart>" not in bare and b"<TotalSlack>" not in bare and b"<StartDate>" in bare
    q = tpmkit.read(tmp_path / "d.xml")
    assert q.start == p.start and list(q.tasks.index) == list(p.tasks.index)
    assert (schedule(q).table["early_finish_date"] == schedule(p).table["early_finish_date"]).all()
    # a project without a start date: no dates at all, and still the same bytes twice
    t = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3], "predecessors": ["", "A"]}))
    one = tpmkit.write(t, tmp_path / "f.xml").read_bytes()
    assert one == tpmkit.write(t, tmp_path / "g.xml").read_bytes()
    assert b"<StartDate>" not in one and b"<Start>" not in one and b"<TotalSlack>" in one
    with pytest.raises(DataError, match="schedule=tpmkit.schedule"):
        mspdi.write(p, tmp_path / "h.xml", schedule=schedule(t))


@pytest.mark.parametrize("rel", ["mpxj/mspditimephased.xml",
                                 "mpxj/generated__task-percentcomplete__percent-complete-8.4.xer"])
def test_round_trip_keeps_progress(tmp_path, rel):
    """Percent complete, actual start/finish, remaining duration and the status date of an
    in-progress MS Project plan and of a progressed P6 file survive export → import."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        p = tpmkit.read(data_path("projectfiles", *rel.split("/")))
    assert (p.tasks["percent_complete"] > 0).any() and p.tasks["actual_start"].notna().any()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)  # progress warnings of the P6 file
        q, parts = _rt(p, tmp_path)
    # MSPDI stores whole percentages (the P6 file has whole ones too)
    pd.testing.assert_series_equal(q.tasks["percent_complete"], p.tasks["percent_complete"],
                                   check_dtype=False)
    for col in ("actual_start", "actual_finish"):  # whole days: the writer uses 08:00/17:00
        pd.testing.assert_series_equal(q.tasks[col].dt.normalize(), p.tasks[col].dt.normalize(),
                                       check_dtype=False)
    written = parts["tasks"].set_index("id")["remaining_duration"]
    np.testing.assert_allclose(written.to_numpy(),
                               _source_remaining(rel).loc[written.index].to_numpy(),
                               atol=1 / 28800)
    assert q.status_date == p.status_date


def _source_remaining(rel: str) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        parts = tpmkit.io.read_parts(data_path("projectfiles", *rel.split("/")))
    t = parts["tasks"].set_index("id")
    return t["remaining_duration"].fillna(t["duration"] * (1 - t["percent_complete"] / 100))


def test_progress_fields_of_an_in_progress_plan():
    """``mspditimephased.xml``: RemainingDuration (Task 4: 50 % of 75 h → 37.5 h = 4.6875
    days of 8 h), Resume (where the remaining work resumes) and MS Project's Start/Finish
    as its forecast; no StatusDate in the file, so no status date."""
    parts = mspdi.read_parts(data_path("projectfiles", "mpxj", "mspditimephased.xml"))
    t = parts["tasks"].set_index("id")
    assert t.loc["4", "remaining_duration"] == 4.6875 and t.loc["4", "percent_complete"] == 50
    assert t.loc["7", "remaining_duration"] == 0.0 and pd.notna(t.loc["7", "actual_finish"])
    c = parts["computed"]
    assert c.loc["4", "resume_date"] == pd.Timestamp("2008-11-26 15:30")
    assert c.loc["4", "forecast_finish_date"] == pd.Timestamp("2008-12-03 12:00")
    assert parts["project"]["status_date"] is None


def test_task_and_resource_calendars_are_read_and_warned_once():
    """Issue case: 'Task 1 – 24 Hour' finishes on 2008-11-23 in MS Project (its resource
    works on the '24 Hours' calendar), on 2008-12-03 in tpmkit. The resource calendars
    (night shift, 24 hours) are read and one warning names the tasks and their count."""
    parts = mspdi.read_parts(data_path("projectfiles", "mpxj", "mspditimephased.xml"))
    t = parts["tasks"].set_index("id")
    assert t.loc[[str(i) for i in range(9, 17)], "calendar"].eq("Night Shift").all()
    assert t.loc[[str(i) for i in range(17, 25)], "calendar"].eq("24 Hours").all()
    assert t.loc[["1", "25", "40"], "calendar"].eq("").all()  # derived from Standard, unchanged
    cals = parts["calendars"]
    assert cals["24 Hours"]["workweek"] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert cals["24 Hours"]["working_times"]["Sun"] == ["00:00-24:00"]
    assert cals["Night Shift"]["working_times"]["Tue"] == ["00:00-03:00", "04:00-08:00",
                                                          "23:00-24:00"]
    w = [x for x in parts["warnings"] if "calendars other than the project calendar" in x]
    assert len(w) == 1 and w[0].startswith("16 tasks use task or resource calendars")
    assert "'Night Shift': 9, 10" in w[0] and "'24 Hours': 17, 18" in w[0]
    assert parts["computed"].loc["17", "finish_date"] == pd.Timestamp("2008-11-23 12:00")


def test_status_date_is_the_end_of_a_day(tmp_path):
    """MS Project's StatusDate is an instant: 17:00 is the end of that day; 00:00 (before the
    day's working time) is the end of the previous day; inside the day: rounded, warned."""
    def status(when):
        p = tmp_path / "s.xml"
        p.write_text('<Project xmlns="http://schemas.microsoft.com/project">'
                     f"<StartDate>2024-01-08T08:00:00</StartDate><StatusDate>{when}</StatusDate>"
                     "<Tasks><Task><UID>1</UID><ID>1</ID><Name>A</Name>"
                     "<Duration>PT8H0M0S</Duration></Task></Tasks></Project>")
        parts = mspdi.read_parts(p)
        return parts["project"]["status_date"], parts["warnings"]
    assert status("2024-01-10T17:00:00") == ("2024-01-10", [])
    assert status("2024-01-10T00:00:00") == ("2024-01-09", [])
    day, w = status("2024-01-10T12:00:00")
    assert day == "2024-01-10" and "inside a working day" in w[0]
