"""Differential tests: re-schedule imported files and compare with the dates the tool stored.

For every file in ``tests/data/projectfiles`` that stores computed dates (MS Project's
early/late start/finish, total and free slack in MSPDI and MPX; GanttProject's and
Planner's scheduled dates), the file is imported, scheduled with :func:`tpmkit.schedule`
(textbook precedence-diagramming rules) and compared task by task with what the tool
stored, converted to working-day offsets with the file's own calendar.

Every deviation is listed in ``EXCEPTIONS`` with the reason, and the test checks that the
deviation really occurs (with the stored values where the reason quotes them), so the
list cannot go stale. Primavera P6: none of the XER/PMXML files in the folder stores early/late dates
of an unfinished activity (the stored sets belong to a completed activity, listed
below), so P6's CPM conversion is covered by the hand-computed XER tests in
``test_io_xer.py``.

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
        **{t: (("late_start", "total_float"),
               "elapsed duration shorter than a working hour: MS Project places its late "
               "start in clock time before the working day begins (07:59), which is the same "
               "working-time instant as the end of the previous working day")
           for t in ("6", "7")},
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
    **{f"mpxj/{stem}": {
        "A1000": (COLUMNS[:4], "completed activity: P6 stores the zero remaining work of "
                               "finished activities as early dates at the data date (PMXML: "
                               "actual finish 2021-04-19, data date 2021-05-17; XER: actual "
                               "finish 2019-06-12, data date 2019-10-02) and late dates from "
                               "its remaining-work backward pass; textbook CPM ignores "
                               "progress")}
       for stem in ("PredecessorCalendar.xml", "PredecessorCalendar.xer",
                    "SuccessorCalendar.xer", "ProjectDefaultCalendar.xer",
                    "TwentyFourHourCalendar.xer")},
    "mpxj/project1.planner": {
        "11": (("early_finish",),
               "fixed-duration task: Planner stores an 80-hour duration but its end date "
               "covers 71 working hours; tpmkit uses the stored duration"),
    },
}
# whole files left out of the comparison, with the reason (still imported by test_io_all_files)
EXCLUDED = {
    "mpxj/mspditimephased.xml": "the plan is in progress (actual starts, 50–100 % complete "
                                "tasks whose remaining work MS Project reschedules from the "
                                "status date) and uses night-shift and 24-hour resource "
                                "calendars; textbook CPM on one project calendar does not "
                                "model either",
}


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
    project = build_project(parts)
    ours = schedule(project).table
    stored = parts["computed"]
    differs: dict[str, set[str]] = {}
    for col in COLUMNS:
        if col not in stored:
            continue
        have = stored[col].notna()
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
