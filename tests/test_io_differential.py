"""Differential tests: re-schedule imported files and compare with the dates the tool stored.

For every file in ``tests/data/projectfiles`` that stores computed dates (MS Project's
early/late start/finish, total and free slack in MSPDI and MPX; GanttProject's and
Planner's scheduled dates), the file is imported, scheduled with :func:`tpmkit.schedule`
(textbook precedence-diagramming rules) and compared task by task with what the tool
stored, converted to working-day offsets with the file's own calendar.

Every deviation is listed in ``EXCEPTIONS`` with the reason, and the test checks that the
deviation really occurs (with the stored values where the reason quotes them), so the
list cannot go stale.

Files in progress (an actual start or a percent complete) are compared on what the tool
shows after scheduling with its status date: the start and finish of every *incomplete*
activity (P6: actual start, else the remaining early start ``restart_date``; remaining early
finish ``reend_date``; MS Project: ``Start``/``Finish``) against tpmkit's forecast
(:func:`tpmkit.schedule` with the imported status date; without one, the CPM dates).
Deviations are listed in ``PROGRESS_EXCEPTIONS`` with their cause, checked the same way.
Completed activities are left out of both comparisons: their dates are actuals, and P6
stores their early dates at the data date instead (asserted below).

Tolerance: MS Project, GanttProject and P6 store whole minutes, and tpmkit schedules with the
same durations, so offsets agree exactly (1e-6 working days absorbs float round-off). GNOME
Planner rounds each task's end to the second after dividing work by resource units; one
minute of an 8-hour day (1/480 working day) covers that.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from tests.conftest import data_path
from tpmkit.cpm import schedule
from tpmkit.io import read_parts
from tpmkit.model import build_project

COLUMNS = ("early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float")
LATE = ("late_start", "late_finish", "total_float", "free_float")
TOL = 1e-6

# file → {task id: (columns that differ, reason)}
EXCEPTIONS: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {
    "mpxj/generated__task-links__task-links-project2019-mspdi.xml": {
        "11": (("late_start", "late_finish", "total_float"),
               "MS Project 2019 stores 11 days of total slack for the predecessor of the SF "
               "2d link; textbook PDM (and the Project 2003 save of the same plan) gives 10"),
        "13": (("late_start", "late_finish", "total_float"),
               "MS Project 2019 stores 11 days of total slack for the predecessor of the SS "
               "2d link; textbook PDM (and the Project 2003 save) gives 9"),
    },
    "mpxj/mspdiduration.xml": {
        **{t: (LATE, "MS Project stored late finish 2009-04-21, two working days before the "
                     "project finish (2009-04-24 08:00), for these tasks without successors, "
                     "while task 5 (also without successors) ends at the project finish; the "
                     "stored late dates are not self-consistent") for t in ("1", "2", "3", "4")},
        # tasks 6-10 have elapsed durations (1 minute to 30 days): scheduled on the 24-hour
        # calendar, their dates and slacks are MS Project's to the minute
    },
    "mpxj/mspdisplittask.xml": {
        "1": (("early_finish",) + LATE, "split task: MS Project interrupts the work for 3 "
              "working days, so it finishes 3 days later than its 10-day duration"),
        "2": (("early_finish", "late_finish"), "split task: MS Project interrupts the work, so "
              "it finishes later than its duration"),
    },
    "mpxj/legacy__sample.xml": {
        "2": (("early_finish", "late_finish"),
              "'Second Task' stores a 100-day duration but MS Project scheduled it over 50 "
              "working days (resource-driven, two resources at 50 % and 75 %); tpmkit uses "
              "the stored duration, so the project is 100 days long instead of 50"),
        **{t: (LATE, "late dates follow from the project finish, which differs because of "
                     "task 2 (see there)")
           for t in ("3", "5", "6", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17",
                     "18", "19")},
    },
    "mpxj/legacy__sample.mpx": {
        "2": (("early_finish", "late_finish"), "as legacy__sample.xml task 2"),
        **{t: (LATE, "late dates follow from the project finish (see task 2)")
           for t in ("3", "5", "6", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17",
                     "18")},
        "19": (("early_finish",) + LATE,
               "MPX stores dates without times: the SF-driven finish at 08:00 on 8 Jan 2003 "
               "(the end of 7 Jan) is written as 'Wed 08/01/03', which reads as the end of "
               "8 Jan; late dates as task 2"),
    },
    "mpxj/project1.planner": {
        "11": (("early_finish",),
               "fixed-duration task: Planner stores an 80-hour duration but its end date "
               "covers 71 working hours; tpmkit uses the stored duration"),
    },
}
# whole files left out of the early/late comparison, with the reason (still imported by
# test_io_all_files; the in-progress one is compared by test_progressed_files_reproduce_...)
EXCLUDED = {
    "mpxj/mspditimephased.xml": "in progress, so compared on the forecast of its incomplete "
                                "tasks (PROGRESS_EXCEPTIONS); its stored late dates are not the "
                                "backward pass of its network (late finish 2008-12-11 for the "
                                "unlinked standard-calendar tasks 1-8, while the plan ends "
                                "2009-01-02 after tasks 26/27)",
}

_GAP = ("the assignment's timephased work has a 3-working-day gap (MPXJ's "
        "TimephasedWorkSegmentTest data), so MS Project finishes 3 days after the duration; "
        "tpmkit has no timephased work")
# file → {task id: (columns of FORECAST that differ, reason)}. The tasks on the resource
# calendars 'Night Shift' (23:00-08:00; 9-16) and '24 Hours' (17-24) are scheduled on them
# and match MS Project, except where the timephased work has a gap (test below).
PROGRESS_EXCEPTIONS: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {
    "mpxj/mspditimephased.xml": {
        **{t: (("forecast_finish",), _GAP)
           for t in ("5", "6", "13", "14", "21", "22", "29", "30", "37", "38")},
    },
    "mpxj/project1.planner": {"11": (("forecast_finish",), "as in EXCEPTIONS (fixed-duration "
                                                           "task)")},
}
FORECAST = ("forecast_start", "forecast_finish")


# files that store no computed dates (empty plans, calendar-only and resource-only files):
# nothing to compare, so they are not parametrised; a test checks the list stays true
NO_DATES = {
    "ganttproject/issue1520-mspdi.xml", "ganttproject/weekends-mspdi.xml",
    "mpxj/generated__calendar-calendars__calendar-calendars-project2019-mspdi.xml",
    "mpxj/empty.mpx", "ganttproject/blyoa__empty-project.gan",
    "ganttproject/blyoa__resource__resource-with-rate.gan",
}


def _has_dates(parts: dict) -> bool:
    stored = parts.get("computed")
    return not (parts["tasks"].empty or stored is None or stored.empty
                or not any(c in stored for c in COLUMNS))


def _files() -> list[str]:
    """Files the pure-Python readers handle."""
    base = data_path("projectfiles")  # a missing folder is a collection error, never an empty run
    out = []
    for pattern in ("*/*.xml", "*/*.pmxml", "*/*.xer", "*/*.mpx", "*/*.planner", "*/*.gan"):
        out += [str(p.relative_to(base)) for p in sorted(base.glob(pattern))]
    return out


def _compare(parts: dict) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, set[str]]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # progress warnings: tested in the model's tests
        project = build_project(parts)
        ours = schedule(project).table
    stored = parts["computed"]
    done = set(parts["tasks"].loc[parts["tasks"]["actual_finish"].notna(), "id"])
    differs: dict[str, set[str]] = {}
    for col in COLUMNS:
        if col not in stored:
            continue
        have = stored[col].notna() & ~stored.index.isin(done)  # completed: actuals
        ids = stored.index[have]
        tol = 1 / 480 if parts["project"].get("source_format") == "planner" else TOL
        bad = np.abs(ours.loc[ids, col].to_numpy() - stored.loc[ids, col].to_numpy()) > tol
        for tid in ids[bad]:
            differs.setdefault(str(tid), set()).add(col)
    return ours, stored, differs


def _read(rel: str) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # import warnings are tested in the per-format files
        return read_parts(data_path("projectfiles", *rel.split("/")))


def test_files_left_out_of_the_comparison_are_the_documented_ones():
    """Every file is compared unless it stores no dates (NO_DATES) or is EXCLUDED with a reason."""
    files = set(_files())
    assert NO_DATES <= files and set(EXCLUDED) <= files
    for rel in sorted(files - set(EXCLUDED)):
        assert _has_dates(_read(rel)) == (rel not in NO_DATES), rel
    # the excluded plan is still in progress (the reason given for leaving it out)
    tasks = _read("mpxj/mspditimephased.xml")["tasks"]
    assert tasks["actual_start"].notna().any() and (tasks["percent_complete"] > 0).any()


@pytest.mark.parametrize("rel", sorted(set(_files()) - NO_DATES - set(EXCLUDED)))
def test_reschedule_reproduces_stored_dates(rel):
    """Imported + rescheduled dates equal the tool's, except the documented cases."""
    parts = _read(rel)
    _, _, differs = _compare(parts)
    expected = {tid: set(cols) for tid, (cols, _) in EXCEPTIONS.get(rel, {}).items()}
    unexplained = {t: sorted(c) for t, c in differs.items() if not c <= expected.get(t, set())}
    assert not unexplained, f"{rel}: dates differ from the tool's without a documented reason: " \
                            f"{unexplained}"
    # each documented deviation must still occur, or the explanation is stale
    stale = sorted(t for t in expected if not differs.get(t))
    assert not stale, f"{rel}: documented deviations no longer occur: {stale}"


def test_msproject_2019_slack_trap_values():
    """README trap: Project 2019 stores 11 d of slack where textbook PDM gives 9 (SS) and 10 (SF).

    Source: ``tests/data/README.md`` (known traps) and the 2003 save of the same project.
    """
    p19 = _read("mpxj/generated__task-links__task-links-project2019-mspdi.xml")
    ours19, stored19, _ = _compare(p19)
    assert stored19.loc[["11", "13"], "total_float"].tolist() == [11.0, 11.0]
    assert ours19.loc[["11", "13"], "total_float"].tolist() == [10.0, 9.0]
    p03 = _read("mpxj/generated__task-links__task-links-project2003-mspdi.xml")
    ours03, stored03, differs = _compare(p03)
    assert stored03.loc[["11", "13"], "total_float"].tolist() == [10.0, 9.0]
    assert not differs
    # the eight chains: FS 0d/1d/2d/1w/2w, SF 2d, SS 2d, FF 2d
    assert p03["tasks"].set_index("id").loc[["2", "4", "6", "8", "10", "12", "14", "16"],
                                            "predecessors"].tolist() == [
        "1", "3 FS+1d", "5 FS+2d", "7 FS+5d", "9 FS+10d", "11 SF+2d", "13 SS+2d", "15 FF+2d"]


def test_mspdirelations_matches_published_case(case):
    """``cases/msproject_mspdirelations.json``: MS Project's stored ES/EF/LS/LF/TS per task."""
    data = case("msproject_mspdirelations")
    parts = _read("mpxj/mspdirelations.xml")
    ours, stored, differs = _compare(parts)
    assert not differs
    for tid, exp in data["expected"]["msproject"]["value"].items():
        got = ours.loc[tid]
        assert (got.early_start, got.early_finish, got.late_start, got.late_finish,
                got.total_float) == (exp["ES"], exp["EF"], exp["LS"], exp["LF"], exp["TS_days"])
    assert ours["early_finish"].max() == data["expected"]["project_duration_days"]["value"]


def test_ganttproject_dates_match_published_case(case):
    """``cases/ganttproject_dependencies_and_calendar.json``: dates of the five linked tasks."""
    data = case("ganttproject_dependencies_and_calendar")
    parts = _read("ganttproject/blyoa__task__task-with-dependencies.gan")
    project = build_project(parts)
    ours = schedule(project).table
    for tid, (start, finish) in data["expected"]["dates_inclusive"]["value"].items():
        assert ours.loc[tid, "early_start_date"] == pd.Timestamp(start)
        assert ours.loc[tid, "early_finish_date"] == pd.Timestamp(finish)
    names = {"blyoa__task__endDate__" + e["file"].split(" ")[0]: e["end_inclusive"]
             for e in data["expected"]["end_date_conventions"]["value"]}
    for stem, end in names.items():
        p = _read(f"ganttproject/{stem}")
        s = schedule(build_project(p)).table
        assert s["early_finish_date"].iloc[0] == pd.Timestamp(end), stem


def _progressed(rel: str) -> bool:
    t = _read(rel)["tasks"]
    return bool(t["actual_start"].notna().any() or (t["percent_complete"].fillna(0) > 0).any())


def _forecast_differs(parts: dict) -> tuple[pd.Index, dict[str, set[str]], pd.DataFrame]:
    """Incomplete activities, the forecast columns that differ, and tpmkit's table."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # progress warnings: tested in the model's tests
        project = build_project(parts)
        ours = schedule(project).table
    stored = parts["computed"]
    if "forecast_start" not in stored:  # a tool without status-date scheduling
        stored = stored.rename(columns={"early_start": "forecast_start",
                                        "early_finish": "forecast_finish"})
    mine = ours[list(FORECAST)] if "forecast_start" in ours else ours[
        ["early_start", "early_finish"]].set_axis(list(FORECAST), axis=1)
    tasks = parts["tasks"].set_index("id")
    incomplete = tasks.index[tasks["actual_finish"].isna()]
    differs: dict[str, set[str]] = {}
    for col in FORECAST:
        have = stored.loc[incomplete, col].notna()
        ids = incomplete[have.to_numpy()]
        tol = 1 / 480 if parts["project"].get("source_format") == "planner" else TOL
        bad = np.abs(mine.loc[ids, col].to_numpy() - stored.loc[ids, col].to_numpy()) > tol
        for tid in ids[bad]:
            differs.setdefault(str(tid), set()).add(col)
    return incomplete, differs, ours


PROGRESSED = [r for r in _files() if r not in NO_DATES and _progressed(r)]


@pytest.mark.parametrize("rel", PROGRESSED)
def test_progressed_files_reproduce_the_tools_forecast(rel):
    """Re-scheduled from the imported status date and progress, every incomplete activity
    starts and finishes where the tool's own forecast put it, except the documented cases."""
    parts = _read(rel)
    incomplete, differs, _ = _forecast_differs(parts)
    expected = {t: set(c) for t, (c, _) in PROGRESS_EXCEPTIONS.get(rel, {}).items()}
    unexplained = {t: sorted(c) for t, c in differs.items() if not c <= expected.get(t, set())}
    assert not unexplained, f"{rel}: forecast differs from the tool's: {unexplained}"
    stale = sorted(t for t in expected if not differs.get(t))
    assert not stale, f"{rel}: documented deviations no longer occur: {stale}"


def test_progressed_files_are_the_expected_ones():
    """The in-progress files: P6's percent-complete sets (12 activities each, 9 started at
    the data date), the five relationship-lag files (one completed activity each), the
    MS Project timephased plan (40 tasks, 30 incomplete), and a GanttProject and a Planner
    plan with completion percentages (neither tool reschedules from progress: their stored
    dates are the plan's)."""
    stems = {r.split("/")[1] for r in PROGRESSED}
    assert stems == {"HouseBuildingSample.gan", "project1.planner",
                     "blyoa__task__task-with-completion-percentage.gan",
        "generated__task-percentcomplete__percent-complete-8.4.xer",
        "generated__task-percentcomplete__percent-complete-8.4.pmxml",
        "calendar__invalid__invalid-8.4.xer", "PredecessorCalendar.xml",
        "PredecessorCalendar.xer", "SuccessorCalendar.xer", "ProjectDefaultCalendar.xer",
        "TwentyFourHourCalendar.xer", "mspditimephased.xml"}
    incomplete, _, _ = _forecast_differs(_read("mpxj/mspditimephased.xml"))
    assert len(incomplete) == 30
    # P6's forecast of the 'Duration 25 %' activity: 600 h remaining from the data date
    # 2015-02-24 00:00 on 8-h days = 75 working days, finishing 2015-06-08 16:00
    parts = _read("mpxj/generated__task-percentcomplete__percent-complete-8.4.xer")
    _, differs, ours = _forecast_differs(parts)
    assert not differs
    assert ours.loc["A1010", "forecast_finish_date"] == pd.Timestamp("2015-06-08")
    assert ours.loc["A1010", "remaining_duration"] == 75.0


@pytest.mark.parametrize(("stem", "data_date"), [
    ("PredecessorCalendar.xml", "2021-05-17 22:00"), ("PredecessorCalendar.xer", "2019-10-02"),
    ("TwentyFourHourCalendar.xer", "2019-10-02")])
def test_p6_stores_completed_activities_early_dates_at_the_data_date(stem, data_date):
    """Why completed activities are not compared: P6 stores their (zero) remaining work as
    early dates at the data date (PMXML: actual finish 2021-04-19, data date 2021-05-17;
    XER: actual finish 2019-06-12, data date 2019-10-02), while tpmkit's early dates of a
    completed task are its actual dates."""
    parts = _read(f"mpxj/{stem}")
    stored = parts["computed"].loc["A1000"]
    tasks = parts["tasks"].set_index("id")
    assert stored["early_start_date"] == stored["early_finish_date"] == pd.Timestamp(data_date)
    assert pd.notna(tasks.loc["A1000", "actual_finish"])
    assert tasks.loc["A1000", "actual_finish"] < stored["early_start_date"]
    _, _, ours = _forecast_differs(parts)
    assert ours.loc["A1000", "status"] == "complete"
    assert ours.loc["A1000", "early_start_date"] == tasks.loc["A1000", "actual_start"].normalize()


def test_resource_calendars_are_scheduled_as_ms_project_does():
    """``mspditimephased.xml``: "Task 1 - 24 Hour" (75 h of work on the 24-hour calendar,
    from the project start Thu 2008-11-20 09:00) finishes Sun 2008-11-23 12:00, as MS
    Project stored it; "Task 1 - Night Shift" starts at 23:00 that day and finishes
    2008-12-04 02:00. Their offsets on the project calendar equal the stored ones."""
    parts = _read("mpxj/mspditimephased.xml")
    _, differs, ours = _forecast_differs(parts)
    names = parts["tasks"].set_index("id")["name"]
    h24, night = names.index[names == "Task 1 - 24 Hour"][0], names.index[
        names == "Task 1 - Night Shift"][0]
    assert ours.loc[h24, "early_finish_date"] == pd.Timestamp("2008-11-23 12:00")
    assert ours.loc[night, "early_start_date"] == pd.Timestamp("2008-11-20 23:00")
    assert ours.loc[night, "early_finish_date"] == pd.Timestamp("2008-12-04 02:00")
    stored = parts["computed"]
    for tid in (h24, night):
        assert tid not in differs
        assert abs(ours.loc[tid, "early_finish"] - stored.loc[tid, "early_finish"]) <= TOL
