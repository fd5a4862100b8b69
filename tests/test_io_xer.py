"""Primavera P6 XER import (``tpmkit.io.xer``).

The XER files in ``tests/data/projectfiles/mpxj`` store no early/late dates of
unfinished activities, so P6's CPM conversion is checked on a hand-made XER whose stored
dates and floats were computed by hand with textbook PDM rules on P6's conventions
(hours → days via the calendar's ``day_hr_cnt``).
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import tpmkit
from tests.conftest import data_path
from tpmkit.cpm import schedule
from tpmkit.errors import FileFormatError
from tpmkit.io import TpmkitWarning, xer

WEEK = ("(0||CalendarData()((0||DaysOfWeek()((0||1()())"
        + "".join(f"(0||{d}()((0||0(s|08:00|f|12:00)())(0||1(s|13:00|f|17:00)())))"
                  for d in range(2, 7))
        + "(0||7()())))(0||Exceptions()((0||0(d|45301)())))))")  # 45301 = 2024-01-10
TEN_H = WEEK.replace("f|17:00", "f|19:00")


def _xer(tmp_path, *, lag_cal="rcal_Predecessor", extra_task="", pred_lag="4",
         name="demo.xer", encoding="cp1252"):
    t = "\t"
    rows = [
        "ERMHDR\t8.0\t2024-01-01\tProject\tadmin",
        "%T\tCURRTYPE", "%F\tcurr_id\tcurr_short_name", "%R\t1\tEUR",
        "%T\tPROJECT", "%F\tproj_id\tproj_short_name\tclndr_id\tplan_start_date\tlast_recalc_date",
        "%R\t1\tDEMO\t10\t2024-01-08 00:00\t2024-01-08 00:00",
        "%R\t2\tOTHER\t10\t2024-03-01 00:00\t2024-03-01 00:00",
        "%T\tCALENDAR", "%F\tclndr_id\tdefault_flag\tclndr_name\tday_hr_cnt\tclndr_data",
        f"%R\t10\tY\tStandard 8h\t8\t{WEEK}", f"%R\t11\tN\tLong days\t10\t{TEN_H}",
        "%T\tSCHEDOPTIONS", "%F\tproj_id\tsched_calendar_on_relationship_lag",
        f"%R\t1\t{lag_cal}",
        "%T\tPROJWBS", "%F\twbs_id\tproj_id\tparent_wbs_id\twbs_short_name\tproj_node_flag",
        "%R\t100\t1\t\tDEMO\tY", "%R\t101\t1\t100\tDES\tN", "%R\t102\t1\t101\tUI\tN",
        "%T\tTASK",
        "%F\t" + t.join(["task_id", "proj_id", "wbs_id", "clndr_id", "task_code", "task_name",
                         "task_type", "status_code", "target_drtn_hr_cnt", "remain_drtn_hr_cnt",
                         "complete_pct_type", "phys_complete_pct", "act_work_qty",
                         "remain_work_qty", "cstr_type", "cstr_date", "early_start_date",
                         "early_end_date", "late_start_date", "late_end_date",
                         "total_float_hr_cnt", "free_float_hr_cnt", "act_start_date"]),
        # A 2 d, B 3 d (FS+0.5 d from A, 4 h lag), C 1 d SS from A, D milestone FF from B,
        # E on the 10-hour calendar; dates/floats as P6 would store them (10 Jan is a holiday)
        "%R\t" + t.join(["1", "1", "102", "10", "A100", "Café design", "TT_Task", "TK_Active",
                         "16", "8", "CP_Drtn", "", "", "", "", "", "2024-01-08 08:00",
                         "2024-01-09 17:00", "2024-01-08 08:00", "2024-01-09 17:00", "0", "0",
                         "2024-01-08 08:00"]),
        "%R\t" + t.join(["2", "1", "101", "10", "A110", "Build", "TT_Task", "TK_NotStart",
                         "24", "24", "CP_Phys", "30", "", "", "", "", "2024-01-11 13:00",
                         "2024-01-16 12:00", "2024-01-11 13:00", "2024-01-16 12:00", "0",
                         "0", ""]),
        "%R\t" + t.join(["3", "1", "101", "10", "A120", "Review", "TT_Task", "TK_NotStart",
                         "8", "8", "CP_Units", "", "3", "1", "CS_MSOA", "2024-01-08 00:00",
                         "2024-01-08 08:00", "2024-01-08 17:00", "2024-01-15 13:00",
                         "2024-01-16 12:00", "36", "24", ""]),
        "%R\t" + t.join(["4", "1", "101", "10", "A130", "Handover", "TT_FinMile", "TK_NotStart",
                         "0", "0", "CP_Drtn", "", "", "", "", "", "2024-01-16 12:00",
                         "2024-01-16 12:00", "2024-01-16 12:00", "2024-01-16 12:00", "0", "0",
                         ""]),
        "%R\t" + t.join(["5", "1", "101", "11", "A140 x", "Long-day task", "TT_Task",
                         "TK_NotStart", "20", "20", "CP_Drtn", "", "", "", "CS_ALAP", "", "", "",
                         "", "", "", "", ""]),
        "%R\t" + t.join(["6", "1", "101", "10", "L1", "Support", "TT_LOE", "TK_NotStart", "40",
                         "40", "CP_Drtn", "", "", "", "", "", "", "", "", "", "", "", ""]),
        "%R\t" + t.join(["7", "2", "", "10", "Z1", "Other project", "TT_Task", "TK_NotStart",
                         "8", "8", "CP_Drtn", "", "", "", "", "", "", "", "", "", "", "", ""]),
        *([extra_task] if extra_task else []),
        "%T\tTASKPRED", "%F\ttask_id\tpred_task_id\tpred_type\tlag_hr_cnt",
        f"%R\t2\t1\tPR_FS\t{pred_lag}", "%R\t3\t1\tPR_SS\t0", "%R\t4\t2\tPR_FF\t0",
        "%R\t5\t3\tPR_SF\t-8", "%R\t7\t1\tPR_FS\t0",
        "%T\tRSRC", "%F\trsrc_id\trsrc_short_name\trsrc_name\trsrc_type",
        "%R\t50\tDEV\tDevelopers\tRT_Labor",
        "%T\tRSRCRATE", "%F\trsrc_id\tcost_per_qty\tmax_qty_per_hr", "%R\t50\t60\t2",
        "%T\tTASKRSRC", "%F\ttask_id\trsrc_id\ttarget_qty_per_hr\ttarget_cost\tact_reg_cost"
        "\tact_ot_cost",
        "%R\t1\t50\t1\t960\t480\t0", "%R\t1\t50\t0.5\t480\t0\t0",
        "%T\tPROJCOST", "%F\ttask_id\ttarget_cost\tact_cost", "%R\t2\t100\t0",
        "%T\tACTVTYPE", "%F\tactv_code_type_id\tactv_code_type", "%R\t900\tPhase",
        "%T\tACTVCODE", "%F\tactv_code_id\tactv_code_type_id\tshort_name", "%R\t901\t900\tP1",
        "%T\tTASKACTV", "%F\ttask_id\tactv_code_type_id\tactv_code_id", "%R\t2\t900\t901",
        "%E",
    ]
    path = tmp_path / name
    path.write_bytes("\r\n".join(rows).encode(encoding))
    return path


def test_activities_links_lags_and_wbs(tmp_path):
    parts = xer.read_parts(_xer(tmp_path))
    t = parts["tasks"].set_index("id")
    assert list(t.index) == ["A100", "A110", "A120", "A130", "A140_x"]
    assert t.loc["A100", "name"] == "Café design"  # Windows-1252 text
    assert t["duration"].tolist() == [2.0, 3.0, 1.0, 0.0, 2.0]  # E: 20 h on a 10-h calendar
    assert t["predecessors"].tolist() == ["", "A100 FS+0.5d", "A100 SS", "A110 FF",
                                          "A120 SF-1d"]
    assert t.loc["A110", "wbs"] == "DES" and t.loc["A100", "wbs"] == "DES.UI"
    assert t.loc["A110", "code_phase"] == "P1"
    w = " | ".join(parts["warnings"])
    assert "2 projects (DEMO, OTHER)" in w
    assert "level-of-effort activities L1 were left out" in w
    assert "As Late As Possible" not in w  # kept: ALAP with P6's zero-free-float rule
    assert t.loc["A140_x", "constraint"] == "ALAP"
    assert parts["project"]["alap"] == "zero_free_float"
    # the 10-hour calendar has the same working days: its hours only set the day length
    assert "calendars other than the project calendar" not in w
    assert "relationships to activities outside the project or left out were dropped: 1→7" in w


def test_constraints_progress_costs_resources_and_data_date(tmp_path):
    parts = xer.read_parts(_xer(tmp_path))
    t = parts["tasks"].set_index("id")
    assert (t.loc["A120", "constraint"], t.loc["A120", "constraint_date"]) == (
        "SNET", pd.Timestamp("2024-01-08"))
    # duration type: (16 - 8) / 16; physical: 30; units: 3 / (3 + 1)
    assert t["percent_complete"].tolist()[:3] == [50.0, 30.0, 75.0]
    # two assignments of DEV stay two demands (P6 and MPXJ keep assignments separate)
    assert t.loc["A100", "resources"] == "DEV:1; DEV:0.5"
    assert (t.loc["A100", "cost"], t.loc["A100", "actual_cost"]) == (1440.0, 480.0)
    assert t.loc["A110", "cost"] == 100.0  # expense from PROJCOST
    assert parts["resources"].iloc[0][["id", "capacity", "cost_per_hour"]].tolist() == [
        "DEV", 2.0, 60.0]
    pr = parts["project"]
    # data date 2024-01-08 00:00: the remaining work starts on the 8th, i.e. the status
    # date (end of a day in tpmkit) is the 7th
    assert (pr["name"], pr["start"], pr["status_date"], pr["currency"]) == (
        "DEMO", "2024-01-08", "2024-01-07", "EUR")
    assert pr["calendar"] == {"workweek": ["Mon", "Tue", "Wed", "Thu", "Fri"],
                              "holidays": ["2024-01-10"]}


def test_stored_p6_dates_match_rescheduling(tmp_path):
    """Hand-computed P6 dates (working-day offsets) equal tpmkit's schedule."""
    parts = xer.read_parts(_xer(tmp_path))
    c = parts["computed"]
    assert c.loc["A110", ["early_start", "early_finish"]].tolist() == [2.5, 5.5]
    assert c.loc["A120", "total_float"] == 4.5
    # the hand computation is textbook CPM without progress: schedule without the data date
    parts["project"]["status_date"] = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        s = schedule(tpmkit.read(parts)).table
    ids = ["A100", "A110", "A120", "A130"]
    for col in ("early_start", "early_finish", "late_start", "late_finish", "total_float"):
        assert s.loc[ids, col].tolist() == c.loc[ids, col].tolist(), col


@pytest.mark.parametrize(("option", "lag"), [("rcal_Predecessor", "0.5"), ("rcal_Successor", "0.5"),
                                             ("rcal_ProjDefault", "0.5"),
                                             ("rcal_24Hour", "0.119047619")])
def test_relationship_lag_calendar(tmp_path, option, lag):
    parts = xer.read_parts(_xer(tmp_path, lag_cal=option))
    assert parts["tasks"]["predecessors"].iloc[1] == f"A100 FS+{lag}d"


def test_lag_uses_the_predecessors_calendar(tmp_path):
    # 5 h of lag after the 10-hour-day activity A140 x is half a day on its calendar
    extra = "%R\t" + "\t".join(["8", "1", "101", "10", "A150", "After long", "TT_Task",
                                "TK_NotStart", "8", "8", "CP_Drtn"] + [""] * 12)
    path = _xer(tmp_path, extra_task=extra)
    text = path.read_bytes().decode("cp1252").replace("%R\t7\t1\tPR_FS\t0",
                                                      "%R\t8\t5\tPR_FS\t5")
    path.write_bytes(text.encode("cp1252"))
    t = xer.read_parts(path)["tasks"].set_index("id")
    assert t.loc["A150", "predecessors"] == "A140_x FS+0.5d"


def test_project_choice_and_utf8(tmp_path):
    parts = xer.read_parts(_xer(tmp_path, encoding="utf-8"), project_id="OTHER")
    assert parts["tasks"]["id"].tolist() == ["Z1"] and parts["project"]["name"] == "OTHER"
    with pytest.raises(FileFormatError, match=r"no project 'NOPE' in the file; it holds DEMO, OTHER"):
        xer.read_parts(_xer(tmp_path), project_id="NOPE")


@pytest.mark.parametrize(("edit", "message"), [
    (("%R\t2\t1\tPR_FS\t4", "%R\t2\t1\tPR_FS\tfour"),
     r"line \d+: table TASKPRED, field lag_hr_cnt: 'four' is not a number"),
    (("%R\t2\t1\tPR_FS\t4", "%R\t2\t1\tPR_XX\t4"),
     r"line \d+: table TASKPRED, field pred_type: 'PR_XX' is not a link type"),
    (("%R\t2\t1\tPR_FS\t4", "%R\t2\t1\tPR_FS\t4\tsurplus"),
     r"line \d+: table TASKPRED record has 5 values but 4 fields"),
    (("2024-01-11 13:00", "2024-13-45 13:00"),
     r"line 24: table TASK, field early_start_date: '2024-13-45 13:00' is not a date"),
    (("ERMHDR", "HEADER"), r"not a Primavera XER file: line 1 is 'HEADER"),
])
def test_malformed_records_name_line_table_and_field(tmp_path, edit, message):
    path = _xer(tmp_path)
    text = path.read_bytes().decode("cp1252").replace(*edit, 1)
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(FileFormatError, match=r"demo\.xer: " + message if "ERMHDR" not in edit[0]
                       else message):
        xer.read_parts(path)


def test_short_records_and_missing_optional_tables(tmp_path):
    path = tmp_path / "min.xer"
    path.write_text("ERMHDR\t6.0\n%T\tTASK\n%F\ttask_id\ttask_code\ttarget_drtn_hr_cnt\ttask_name\n"
                    "%R\t1\tA\t8\n%R\t2\tB\t\n%E\n")
    parts = xer.read_parts(path)
    assert parts["tasks"][["id", "duration", "name"]].values.tolist() == [["A", 1.0, ""],
                                                                         ["B", 0.0, ""]]


def test_real_file_percent_complete_types():
    """MPXJ TaskPercentCompleteTest: Duration/Physical/Units 0/25/75/100 % activities."""
    parts = xer.read_parts(data_path("projectfiles", "mpxj",
                                       "generated__task-percentcomplete__percent-complete-8.4.xer"))
    t = parts["tasks"]
    assert t["name"].tolist()[:4] == ["Duration 0%", "Duration 25%", "Duration 75%", "Duration 100%"]
    assert t["percent_complete"].tolist() == [0, 25, 75, 100] * 3
    assert t["duration"].tolist() == [100.0] * 12  # 800 h / 8 h per day
    # data date 2015-02-24 00:00 (remaining work from the 24th) = end of the 23rd
    assert parts["project"]["status_date"] == "2015-02-23"
    assert len(parts["project"]["calendar"]["holidays"]) == 24


def test_real_file_invalid_calendar_warns():
    parts = xer.read_parts(data_path("projectfiles", "mpxj", "calendar__invalid__invalid-8.4.xer"))
    assert any("'Test - Invalid' has invalid working-time data" in w for w in parts["warnings"])


def test_real_files_relationship_lag_calendars_read_alike():
    names = ["PredecessorCalendar", "SuccessorCalendar", "ProjectDefaultCalendar",
             "TwentyFourHourCalendar"]
    tables = [xer.read_parts(data_path("projectfiles", "mpxj", f"{n}.xer"))["tasks"]
              for n in names]
    for t in tables[1:]:
        pd.testing.assert_frame_equal(t, tables[0])
    assert tables[0].iloc[0][["id", "duration", "constraint", "percent_complete"]].tolist() == [
        "A1000", 3.0, "SNET", 100.0]


PMXML = """<?xml version="1.0" encoding="UTF-8"?>
<APIBusinessObjects xmlns="http://xmlns.oracle.com/Primavera/P6/V8.4/API/BusinessObjects">
<Calendar><ObjectId>7</ObjectId><Name>Std</Name><HoursPerDay>8</HoursPerDay><IsDefault>1</IsDefault>
<StandardWorkWeek>
<StandardWorkHours><DayOfWeek>Sunday</DayOfWeek></StandardWorkHours>
{days}
<StandardWorkHours><DayOfWeek>Saturday</DayOfWeek></StandardWorkHours>
</StandardWorkWeek>
<HolidayOrExceptions><HolidayOrException><Date>2024-01-10T00:00:00</Date></HolidayOrException>
</HolidayOrExceptions></Calendar>
<Project><ObjectId>1</ObjectId><Id>PM</Id><PlannedStartDate>2024-01-08T00:00:00</PlannedStartDate>
<DataDate>2024-01-08T00:00:00</DataDate><ActivityDefaultCalendarObjectId>7</ActivityDefaultCalendarObjectId>
<RelationshipLagCalendar>Successor Activity Calendar</RelationshipLagCalendar>
<WBS><ObjectId>5</ObjectId><ProjectObjectId>1</ProjectObjectId><Code>DES</Code></WBS>
<Activity><ObjectId>10</ObjectId><Id>A</Id><Name>Design</Name><WBSObjectId>5</WBSObjectId>
<CalendarObjectId>7</CalendarObjectId><PlannedDuration>16</PlannedDuration>
<PercentCompleteType>Physical</PercentCompleteType><PhysicalPercentComplete>0.4</PhysicalPercentComplete>
<PrimaryConstraintType>Start On or After</PrimaryConstraintType>
<PrimaryConstraintDate>2024-01-08T00:00:00</PrimaryConstraintDate>
<EarlyStartDate>2024-01-08T08:00:00</EarlyStartDate><EarlyFinishDate>2024-01-09T17:00:00</EarlyFinishDate>
<TotalFloat>0</TotalFloat></Activity>
<Activity><ObjectId>11</ObjectId><Id>B</Id><Name>Build</Name><CalendarObjectId>7</CalendarObjectId>
<PlannedDuration>24</PlannedDuration><Type>Finish Milestone</Type></Activity>
<Relationship><PredecessorActivityObjectId>10</PredecessorActivityObjectId>
<SuccessorActivityObjectId>11</SuccessorActivityObjectId><Type>Finish to Finish</Type>
<Lag>4</Lag></Relationship>
</Project></APIBusinessObjects>
"""


def _pmxml(tmp_path, relationship_type="Finish to Finish"):
    days = "".join(f"<StandardWorkHours><DayOfWeek>{d}</DayOfWeek><WorkTime><Start>08:00:00</Start>"
                   "<Finish>11:59:00</Finish></WorkTime><WorkTime><Start>13:00:00</Start>"
                   "<Finish>16:59:00</Finish></WorkTime></StandardWorkHours>"
                   for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"))
    path = tmp_path / "plan.xml"
    path.write_text(PMXML.format(days=days).replace("Finish to Finish", relationship_type),
                    encoding="utf-8")
    return path


def test_pmxml_maps_onto_the_xer_rules(tmp_path):
    parts = xer.read_pmxml_parts(_pmxml(tmp_path))
    t = parts["tasks"].set_index("id")
    assert t["duration"].tolist() == [2.0, 0.0]  # 16 h / 8 h; finish milestone
    assert t.loc["B", "predecessors"] == "A FF+0.5d"
    assert (t.loc["A", "constraint"], t.loc["A", "percent_complete"], t.loc["A", "wbs"]) == (
        "SNET", 40.0, "DES")
    assert parts["project"]["calendar"] == {"workweek": ["Mon", "Tue", "Wed", "Thu", "Fri"],
                                            "holidays": ["2024-01-10"]}
    # calendar finish times are inclusive minutes (16:59 = up to 17:00); activity dates are not
    assert parts["computed"].loc["A", ["early_start", "early_finish"]].tolist() == [0.0, 2.0]
    assert parts["project"]["source_format"] == "pmxml"


def test_pmxml_through_the_front_door_and_bad_relationship(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        project = tpmkit.read(_pmxml(tmp_path))  # .xml suffix, PMXML content
    assert list(project.tasks.index) == ["A", "B"]
    with pytest.raises(FileFormatError, match=r"plan\.xml: Relationship 1: field Type: 'Sideways' "
                                              r"is not a relationship type"):
        xer.read_pmxml_parts(_pmxml(tmp_path, "Sideways"))


def test_real_pmxml_percent_complete_matches_the_xer_save():
    pm = xer.read_parts(data_path("projectfiles", "mpxj",
                                    "generated__task-percentcomplete__percent-complete-8.4.pmxml"))
    x = xer.read_parts(data_path("projectfiles", "mpxj",
                                   "generated__task-percentcomplete__percent-complete-8.4.xer"))
    cols = ["id", "name", "duration", "percent_complete"]
    pd.testing.assert_frame_equal(pm["tasks"][cols], x["tasks"][cols])
    assert pm["project"]["calendar"] == x["project"]["calendar"]


# ------------------------------------------------- issue cases: progress, periods, parallel links
def _percent_complete_file(tmp_path, edit=None):
    """A copy of MPXJ's ``percent-complete-8.4.xer`` (P6 8.4), optionally edited."""
    src = data_path("projectfiles", "mpxj", "generated__task-percentcomplete__percent-complete-8.4.xer")
    if edit is None:
        return src
    text = src.read_bytes().decode("cp1252")
    for old, new in edit:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "edited.xer"
    path.write_bytes(text.encode("cp1252"))
    return path


def test_real_file_progress_columns_and_data_date():
    """``percent-complete-8.4.xer``: remain_drtn_hr_cnt → remaining_duration (600 h = 75 d of
    the 8-h calendar, also for physical/units types, whose remaining duration P6 keeps at
    800 h), actual starts, and the data date 2015-02-24 00:00 → status date end of the 23rd."""
    parts = xer.read_parts(_percent_complete_file(None))
    t = parts["tasks"].set_index("id")
    assert t["remaining_duration"].tolist() == [100.0, 75.0, 25.0, 0.0] + [100.0] * 8
    assert t["actual_start"].notna().sum() == 9
    assert parts["project"]["status_date"] == "2015-02-23"
    c = parts["computed"]  # P6's forecast: remaining early start/finish
    assert c.loc["A1010", "forecast_finish_date"] == pd.Timestamp("2015-06-08 16:00")
    assert c.loc["A1010", "forecast_finish"] == 75.0


def test_remaining_above_original_is_legal_and_percent_clamped_once(tmp_path):
    """The issue's large P6 file was refused ("percent_complete outside 0–100") because
    activities had more remaining than original duration; P6 shows them at 0 %. The file
    itself is not in the collection: the real P6 8.4 file above, with two activities
    edited to 1000 h remaining of 800 h, stands in for it."""
    edit = [("A1010\tDuration 25%\t\t\t\t600\t", "A1010\tDuration 25%\t\t\t\t1000\t"),
            ("A1020\tDuration 75%\t\t\t\t200\t", "A1020\tDuration 75%\t\t\t\t1000\t")]
    parts = xer.read_parts(_percent_complete_file(tmp_path, edit))
    t = parts["tasks"].set_index("id")
    assert t.loc["A1010", "percent_complete"] == 0.0 and t.loc["A1020", "percent_complete"] == 0.0
    assert t.loc["A1010", "remaining_duration"] == 125.0  # 1000 h / 8 h: kept as slipping
    clamp = [w for w in parts["warnings"] if "clamped to 0–100" in w]
    assert len(clamp) == 1 and "A1010, A1020" in clamp[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        s = schedule(tpmkit.read(_percent_complete_file(tmp_path, edit))).table
    assert s.loc["A1010", "forecast_finish"] == 125.0  # the slip shows in the forecast


def test_day_hr_cnt_disagreeing_with_the_work_periods(tmp_path):
    """Issue case: day_hr_cnt 10 on a calendar whose periods are 08:00–16:00 (8 h). P6
    schedules 300 h as 37.5 days on the periods; converting with day_hr_cnt gave 30. The
    real P6 8.4 file's calendar (08:00–16:00, day_hr_cnt 8) is edited to day_hr_cnt 10."""
    edit = [("\tCA_Base\t8\t40\t", "\tCA_Base\t10\t40\t")]
    parts = xer.read_parts(_percent_complete_file(tmp_path, edit))
    t = parts["tasks"].set_index("id")
    assert t.loc["A1000", "duration"] == 100.0  # 800 h / 8 h of periods, not / 10
    w = [x for x in parts["warnings"] if "day_hr_cnt disagrees" in x]
    assert len(w) == 1 and "10 h/day stated, 8 h/day of work periods" in w[0]
    assert parts["project"]["hours_per_day"] == 8.0
    # the unedited file agrees with its periods: no warning
    assert not any("day_hr_cnt" in x for x in xer.read_parts(_percent_complete_file(None))["warnings"])


def test_two_links_between_the_same_pair_are_kept_and_scheduled(tmp_path):
    """Issue case (activities 1980 and 1610 of a P6 export, not in the collection): an FS
    and an FF link between the same pair. Both are imported as separate links and the
    model schedules both (the successor starts after the predecessor's finish and
    finishes at least 2 days after it)."""
    rows = ["ERMHDR\t8.0", "%T\tPROJECT", "%F\tproj_id\tproj_short_name\tplan_start_date",
            "%R\t1\tP\t2024-01-08 00:00", "%T\tCALENDAR",
            "%F\tclndr_id\tdefault_flag\tclndr_name\tday_hr_cnt\tclndr_data",
            f"%R\t10\tY\tStandard\t8\t{WEEK}", "%T\tTASK",
            "%F\ttask_id\tproj_id\tclndr_id\ttask_code\ttask_name\ttarget_drtn_hr_cnt",
            "%R\t1980\t1\t10\t1980\tPour\t40", "%R\t1610\t1\t10\t1610\tCure\t8",
            "%T\tTASKPRED", "%F\ttask_id\tpred_task_id\tpred_type\tlag_hr_cnt",
            "%R\t1610\t1980\tPR_FS\t0", "%R\t1610\t1980\tPR_FF\t16", "%E"]
    path = tmp_path / "pair.xer"
    path.write_text("\n".join(rows))
    parts = xer.read_parts(path)
    assert parts["links"][["predecessor", "successor", "type", "lag"]].values.tolist() == [
        ["1980", "1610", "FS", 0.0], ["1980", "1610", "FF", 2.0]]
    s = schedule(tpmkit.read(path)).table
    # FS: start ≥ 5; FF+2: finish ≥ 7 → start 6, finish 7
    assert (s.loc["1610", "early_start"], s.loc["1610", "early_finish"]) == (6.0, 7.0)


def test_activity_calendar_with_other_working_days_is_read_and_warned(tmp_path):
    """An activity on a Monday–Thursday calendar: the calendar is read (column 'calendar',
    parts['calendars'] with its work periods) and one warning counts the activities."""
    path = _xer(tmp_path)
    friday = "(0||6()((0||0(s|08:00|f|12:00)())(0||1(s|13:00|f|19:00)())))"
    text = path.read_bytes().decode("cp1252")
    head, sep, tail = text.partition("Long days")
    assert friday in tail
    path.write_bytes((head + sep + tail.replace(friday, "(0||6()())", 1)).encode("cp1252"))
    parts = xer.read_parts(path)
    t = parts["tasks"].set_index("id")
    assert t.loc["A140_x", "calendar"] == "Long days" and t.loc["A100", "calendar"] == ""
    cal = parts["calendars"]["Long days"]
    assert cal["workweek"] == ["Mon", "Tue", "Wed", "Thu"]
    assert cal["working_times"]["Mon"] == ["08:00-12:00", "13:00-19:00"]
    assert cal["hours_per_day"] == 10.0
    w = [x for x in parts["warnings"] if "calendars other than the project calendar" in x]
    assert len(w) == 1 and w[0].startswith("1 activity uses calendars") and "A140_x" in w[0]
