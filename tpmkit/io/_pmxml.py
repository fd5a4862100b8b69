"""Primavera P6 PMXML (``APIBusinessObjects``) mapped onto the XER tables.

Activity → TASK, Relationship → TASKPRED, Calendar → CALENDAR (its work week and exceptions
written in the XER ``clndr_data`` notation), WBS → PROJWBS, Resource/ResourceRate/
ResourceAssignment → RSRC/RSRCRATE/TASKRSRC, ActivityExpense → PROJCOST and the activity
codes, so :func:`tpmkit.io.xer.read_pmxml_parts` converts both formats by one set of rules.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

import pandas as pd

from tpmkit.errors import FileFormatError
from tpmkit.io._xml import format_number

__all__ = ["EXCEL_EPOCH", "pmxml_tables"]

#: day 0 of the serial dates in XER ``clndr_data`` (Excel's epoch)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_PM_TYPES = {"Task Dependent": "TT_Task", "Resource Dependent": "TT_Rsrc",
             "Level of Effort": "TT_LOE", "Start Milestone": "TT_Mile",
             "Finish Milestone": "TT_FinMile", "WBS Summary": "TT_WBS"}
_PM_STATUS = {"Completed": "TK_Complete", "In Progress": "TK_Active",
              "Not Started": "TK_NotStart"}
_PM_PCT = {"Duration": "CP_Drtn", "Physical": "CP_Phys", "Units": "CP_Units"}
_PM_CONSTRAINTS = {"Start On": "CS_MSO", "Start On or After": "CS_MSOA",
                   "Start On or Before": "CS_MSOB", "Finish On": "CS_MEO",
                   "Finish On or After": "CS_MEOA", "Finish On or Before": "CS_MEOB",
                   "Mandatory Start": "CS_MANDSTART", "Mandatory Finish": "CS_MANDFIN",
                   "As Late As Possible": "CS_ALAP"}
_PM_LINKS = {"Finish to Start": "PR_FS", "Start to Start": "PR_SS", "Finish to Finish": "PR_FF",
             "Start to Finish": "PR_SF"}
_PM_LAG_CAL = {"Predecessor Activity Calendar": "rcal_Predecessor",
               "Successor Activity Calendar": "rcal_Successor",
               "24 Hour Calendar": "rcal_24Hour", "Project Default Calendar": "rcal_ProjDefault"}
_PM_DAYS = {"Sunday": 1, "Monday": 2, "Tuesday": 3, "Wednesday": 4, "Thursday": 5, "Friday": 6,
            "Saturday": 7}


def _pm_time(text: str | None, finish: bool) -> str:
    """P6 finish times are inclusive minutes (11:59 means up to 12:00)."""
    hh, mm = (text or "00:00").split(":")[:2]
    minutes = int(hh) * 60 + int(mm) + (1 if finish and mm.endswith("9") else 0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _pm_intervals(parent: Any) -> str:
    out = []
    times = [w for w in parent.findall("WorkTime") if w.find("Start") is not None]
    for k, wt in enumerate(times):
        out.append(f"(0||{k}(s|{_pm_time(wt.findtext('Start'), False)}|"
                   f"f|{_pm_time(wt.findtext('Finish'), True)})())")
    return "".join(out)


def _pm_calendar(cal: Any) -> str:
    """PMXML calendar → the XER ``clndr_data`` notation, so one parser serves both."""
    days = []
    for h in cal.findall("StandardWorkWeek/StandardWorkHours"):
        d = _PM_DAYS.get((h.findtext("DayOfWeek") or "").strip())
        if d:
            days.append(f"(0||{d}()({_pm_intervals(h)}))")
    exc = []
    for k, e in enumerate(cal.findall("HolidayOrExceptions/HolidayOrException")):
        text = (e.findtext("Date") or "").strip()
        if text:
            serial = (pd.Timestamp(text[:10]) - EXCEL_EPOCH).days
            exc.append(f"(0||{k}(d|{serial})({_pm_intervals(e)}))")
    return (f"(0||CalendarData()((0||DaysOfWeek()({''.join(days)}))"
            f"(0||Exceptions()({''.join(exc)}))))")


def _txt(el: Any, tag: str) -> str:
    return (el.findtext(tag) or "").strip()


def _pct(name: str, el: Any, tag: str) -> str:
    v = _txt(el, tag)
    try:
        return format_number(float(v) * 100.0) if v else ""
    except ValueError:
        raise FileFormatError(f"{name}: activity {_txt(el, 'Id')!r}: field {tag}: {v!r} is "
                              "not a number") from None


def _calendar_data(name: str, c: Any) -> str:
    try:
        return _pm_calendar(c)
    except (ValueError, OverflowError):
        raise FileFormatError(f"{name}: Calendar {_txt(c, 'Name')!r}: a WorkTime or "
                              "HolidayOrException date cannot be read (expected HH:MM:SS "
                              "and YYYY-MM-DD)") from None


def pmxml_tables(root: Element, name: str) -> dict[str, list[dict[str, str]]]:
    """The XER-style tables of a parsed PMXML file (``name`` is the path, for messages)."""
    tables: dict[str, list[dict[str, str]]] = {k: [] for k in (
        "PROJECT", "CALENDAR", "SCHEDOPTIONS", "PROJWBS", "TASK", "TASKPRED", "RSRC",
        "RSRCRATE", "TASKRSRC", "PROJCOST", "ACTVTYPE", "ACTVCODE", "TASKACTV")}
    _projects(root, tables)
    _calendars_and_wbs(root, name, tables)
    _activities(root, name, tables)
    _relationships(root, name, tables)
    _resources_and_costs(root, tables)
    _activity_codes(root, tables)
    return tables


#: PMXML ``CriticalActivityPathType`` → XER ``critical_path_type``
_PM_CRITICAL = {"Critical Float": "CT_TotFloat", "Longest Path": "CT_DrivPath"}


def _projects(root: Element, tables: dict[str, list[dict[str, str]]]) -> None:
    """PROJECT and SCHEDOPTIONS; activities without a project get their project's ObjectId."""
    for k, p in enumerate(root.findall("Project"), start=1):  # not ProjectList/Project
        pid = _txt(p, "ObjectId") or str(k)
        tables["PROJECT"].append({
            "_line": f"Project {k}", "proj_id": pid, "proj_short_name": _txt(p, "Id"),
            "clndr_id": _txt(p, "ActivityDefaultCalendarObjectId"),
            "plan_start_date": _txt(p, "PlannedStartDate"), "last_recalc_date": _txt(p, "DataDate"),
            "def_complete_pct_type": _PM_PCT.get(_txt(p, "ActivityDefaultPercentCompleteType"), ""),
            "critical_path_type": _PM_CRITICAL.get(_txt(p, "CriticalActivityPathType"), ""),
            "critical_drtn_hr_cnt": _txt(p, "CriticalActivityFloatLimit") or ""})
        tables["SCHEDOPTIONS"].append({"proj_id": pid, "sched_calendar_on_relationship_lag":
                                       _PM_LAG_CAL.get(_txt(p, "RelationshipLagCalendar"),
                                                       "rcal_Predecessor")})
        for a in p.iter("Activity"):
            if not _txt(a, "ProjectObjectId"):
                e = Element("ProjectObjectId")
                e.text = pid
                a.append(e)


def _calendars_and_wbs(root: Element, name: str, tables: dict[str, list[dict[str, str]]]) -> None:
    """CALENDAR (``clndr_data`` in the XER notation) and PROJWBS."""
    for c in root.iter("Calendar"):
        tables["CALENDAR"].append({
            "_line": f"Calendar {_txt(c, 'Name')!r}", "clndr_id": _txt(c, "ObjectId"),
            "clndr_name": _txt(c, "Name"), "day_hr_cnt": _txt(c, "HoursPerDay"),
            "default_flag": "Y" if _txt(c, "IsDefault") == "1" else "N",
            "clndr_data": _calendar_data(name, c)})
    for w in root.iter("WBS"):
        tables["PROJWBS"].append({"wbs_id": _txt(w, "ObjectId"),
                                  "proj_id": _txt(w, "ProjectObjectId"),
                                  "parent_wbs_id": _txt(w, "ParentObjectId"),
                                  "wbs_short_name": _txt(w, "Code"), "proj_node_flag": "N"})


def _activities(root: Element, name: str, tables: dict[str, list[dict[str, str]]]) -> None:
    """TASK, with the percentage complete of the activity's own percent-complete type."""
    pct_field = {"CP_Drtn": "DurationPercentComplete", "CP_Phys": "PhysicalPercentComplete",
                 "CP_Units": "UnitsPercentComplete"}
    for a in root.iter("Activity"):
        ptype = _PM_PCT.get(_txt(a, "PercentCompleteType"), "CP_Drtn")
        tables["TASK"].append({
            "_line": f"Activity {_txt(a, 'Id')!r}", "task_id": _txt(a, "ObjectId"),
            "proj_id": _txt(a, "ProjectObjectId"), "wbs_id": _txt(a, "WBSObjectId"),
            "clndr_id": _txt(a, "CalendarObjectId"), "task_code": _txt(a, "Id"),
            "task_name": _txt(a, "Name"), "task_type": _PM_TYPES.get(_txt(a, "Type"), "TT_Task"),
            "status_code": _PM_STATUS.get(_txt(a, "Status"), ""),
            "target_drtn_hr_cnt": _txt(a, "PlannedDuration"),
            "remain_drtn_hr_cnt": _txt(a, "RemainingDuration"), "complete_pct_type": ptype,
            "_pct": _pct(name, a, pct_field[ptype]) or _pct(name, a, "PercentComplete"),
            "cstr_type": _PM_CONSTRAINTS.get(_txt(a, "PrimaryConstraintType"), ""),
            "cstr_date": _txt(a, "PrimaryConstraintDate"),
            "cstr_type2": _PM_CONSTRAINTS.get(_txt(a, "SecondaryConstraintType"), ""),
            "act_start_date": _txt(a, "ActualStartDate"),
            "act_end_date": _txt(a, "ActualFinishDate"),
            "early_start_date": _txt(a, "EarlyStartDate"),
            "early_end_date": _txt(a, "EarlyFinishDate"),
            "late_start_date": _txt(a, "LateStartDate"), "late_end_date": _txt(a, "LateFinishDate"),
            "restart_date": _txt(a, "RemainingEarlyStartDate"),
            "reend_date": _txt(a, "RemainingEarlyFinishDate"),
            "total_float_hr_cnt": _txt(a, "TotalFloat"), "free_float_hr_cnt": _txt(a, "FreeFloat")})


def _relationships(root: Element, name: str, tables: dict[str, list[dict[str, str]]]) -> None:
    """TASKPRED."""
    for k, rel in enumerate(root.iter("Relationship"), start=1):
        kind = _txt(rel, "Type") or "Finish to Start"
        if kind not in _PM_LINKS:
            raise FileFormatError(f"{name}: Relationship {k}: field Type: {kind!r} is not a "
                                  "relationship type (Finish to Start, Start to Start, ...)")
        tables["TASKPRED"].append({"_line": f"Relationship {k}",
                                   "task_id": _txt(rel, "SuccessorActivityObjectId"),
                                   "pred_task_id": _txt(rel, "PredecessorActivityObjectId"),
                                   "pred_type": _PM_LINKS[kind], "lag_hr_cnt": _txt(rel, "Lag")})


def _resources_and_costs(root: Element, tables: dict[str, list[dict[str, str]]]) -> None:
    """RSRC, RSRCRATE, TASKRSRC and PROJCOST (activity expenses)."""
    for res in root.iter("Resource"):
        tables["RSRC"].append({"rsrc_id": _txt(res, "ObjectId"), "rsrc_short_name": _txt(res, "Id"),
                               "rsrc_name": _txt(res, "Name"),
                               "rsrc_type": _txt(res, "ResourceType")})
    for rr in root.iter("ResourceRate"):
        tables["RSRCRATE"].append({"_line": "ResourceRate", "rsrc_id": _txt(rr, "ResourceObjectId"),
                                   "cost_per_qty": _txt(rr, "PricePerUnit"),
                                   "max_qty_per_hr": _txt(rr, "MaxUnitsPerTime")})
    for ra in root.iter("ResourceAssignment"):
        tables["TASKRSRC"].append({"_line": "ResourceAssignment",
                                   "task_id": _txt(ra, "ActivityObjectId"),
                                   "rsrc_id": _txt(ra, "ResourceObjectId"),
                                   "target_qty_per_hr": _txt(ra, "PlannedUnitsPerTime"),
                                   "target_cost": _txt(ra, "PlannedCost"),
                                   "act_reg_cost": _txt(ra, "ActualRegularCost"),
                                   "act_ot_cost": _txt(ra, "ActualOvertimeCost")})
    for ex in root.iter("ActivityExpense"):
        tables["PROJCOST"].append({"_line": "ActivityExpense",
                                   "task_id": _txt(ex, "ActivityObjectId"),
                                   "target_cost": _txt(ex, "PlannedCost"),
                                   "act_cost": _txt(ex, "ActualCost")})


def _activity_codes(root: Element, tables: dict[str, list[dict[str, str]]]) -> None:
    """ACTVTYPE, ACTVCODE and TASKACTV."""
    for ct in root.iter("ActivityCodeType"):
        tables["ACTVTYPE"].append({"actv_code_type_id": _txt(ct, "ObjectId"),
                                   "actv_code_type": _txt(ct, "Name")})
    for ac in root.iter("ActivityCode"):
        tables["ACTVCODE"].append({"actv_code_id": _txt(ac, "ObjectId"),
                                   "actv_code_type_id": _txt(ac, "CodeTypeObjectId"),
                                   "short_name": _txt(ac, "CodeValue")})
    for aa in root.iter("ActivityCodeAssignment"):
        tables["TASKACTV"].append({"task_id": _txt(aa, "ActivityObjectId"),
                                   "actv_code_type_id": _txt(aa, "ActivityCodeTypeObjectId"),
                                   "actv_code_id": _txt(aa, "ActivityCodeObjectId")})
