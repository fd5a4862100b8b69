"""Communication plan, meeting cadence and .ics export (tpmkit.comms).

Cadence by hand, 2027-03-01 (Mon) … 2027-04-30 with holidays Good Friday 2027-03-26 and
Easter Monday 2027-03-29: the Monday status meeting (and the biweekly Monday sprint planning
of 03-01, 03-15, 03-29) falls on 03-01, 03-08, 03-15, 03-22,
03-29 → moved to Tue 03-30, then 04-05 … 04-26 (9 occurrences); the first-Tuesday steering
committee on 03-02 and 04-06; the daily stand-up on the 45 weekdays (23 in March, 22 in
April) minus the 2 holidays (43).
"""

from __future__ import annotations

import icalendar
import pandas as pd
import pytest
from dateutil.rrule import rrulestr

from tpmkit import comms
from tpmkit.errors import ValidationError
from tpmkit.model.calendar import Calendar

CAL = Calendar(holidays=["2027-03-26", "2027-03-29"])
D = pd.Timestamp


def _schedule():
    return comms.meeting_schedule("2027-03-01", "2027-04-30", calendar=CAL)


def test_meeting_cadence_on_the_calendar_by_hand():
    s = _schedule()
    status = s[s["meeting"] == "Status meeting"]
    assert status["date"].dt.strftime("%m-%d").tolist() == [
        "03-01", "03-08", "03-15", "03-22", "03-30", "04-05", "04-12", "04-19", "04-26"]
    assert status["moved"].tolist() == [False] * 4 + [True] + [False] * 4
    assert status["start"].iloc[0] == D("2027-03-01 09:30") and \
        status["end"].iloc[0] == D("2027-03-01 10:00")
    steer = s[s["meeting"] == "Steering committee"]
    assert steer["date"].tolist() == [D("2027-03-02"), D("2027-04-06")]
    daily = s[s["meeting"] == "Daily stand-up"]
    assert len(daily) == 45 and daily["date"].notna().sum() == 43
    review = s[s["meeting"] == "Sprint review"]
    assert review["date"].dt.strftime("%m-%d").tolist() == ["03-05", "03-19", "04-02", "04-16",
                                                          "04-30"]


def test_ics_parses_back_with_rrule_exdate_and_overrides():
    s = _schedule()
    cal = icalendar.Calendar.from_ical(comms.to_ics(s, calendar=CAL))
    events = [e for e in cal.walk("VEVENT")]
    masters = {str(e["summary"]): e for e in events if "RECURRENCE-ID" not in e}
    assert set(masters) == set(comms.DEFAULT_MEETINGS["meeting"])
    for name, ev in masters.items():
        occ = s[s["meeting"] == name]
        start = ev.decoded("dtstart")
        rule = rrulestr(ev["rrule"].to_ical().decode(), dtstart=start)
        nominal = [pd.Timestamp(t) for t in rule]
        expected = (occ["nominal"] + (occ["start"] - occ["date"]).dropna().iloc[0]).tolist()
        assert nominal == expected, name  # the RRULE expands to the pattern's dates
    status = masters["Status meeting"]
    assert status["rrule"]["FREQ"] == ["WEEKLY"] and status["rrule"]["BYDAY"] == ["MO"]
    review = masters["Sprint review"]
    assert review["rrule"]["INTERVAL"] == [2]
    assert masters["Steering committee"]["rrule"]["BYDAY"] == ["1TU"]
    moved = [e for e in events if "RECURRENCE-ID" in e]
    got = {(str(e["summary"]), e.decoded("recurrence-id"), e.decoded("dtstart")) for e in moved}
    assert got == {  # the Mondays 03-29 (Easter Monday) of the weekly and the biweekly meeting
        ("Status meeting", D("2027-03-29 09:30").to_pydatetime(),
         D("2027-03-30 09:30").to_pydatetime()),
        ("Sprint planning", D("2027-03-29 13:00").to_pydatetime(),
         D("2027-03-30 13:00").to_pydatetime())}
    assert {str(e["uid"]) for e in moved if str(e["summary"]) == "Status meeting"} == {
        str(status["uid"])}
    ex = masters["Daily stand-up"]["exdate"]
    dropped = [d.dt for d in ex.dts]
    assert dropped == [D("2027-03-26 09:15").to_pydatetime(), D("2027-03-29 09:15").to_pydatetime()]


def test_communication_plan_from_the_sample_register_and_raci():
    from tpmkit import datasets

    people = datasets.load("software_release_stakeholders")
    matrix = datasets.load("software_release_raci")
    plan = comms.communication_plan(people, matrix)
    sponsor = plan[plan["stakeholder"] == "S01"]
    # S01 executive sponsor: power 5, interest 4 → manage closely; the sponsor column holds A
    assert sponsor["quadrant"].iloc[0] == "manage_closely" and sponsor["raci"].iloc[0] == "A"
    assert sponsor[["basis", "frequency", "channel"]].values.tolist() == [
        ["quadrant", "weekly", "meeting"], ["raci", "weekly", "meeting"]]
    cfo = plan[plan["stakeholder"] == "S02"]  # power 5, interest 2, not in the RACI
    assert cfo[["quadrant", "raci", "frequency"]].values.tolist() == [
        ["keep_satisfied", "", "monthly"]]


def test_user_rules_and_errors():
    people = pd.DataFrame({"id": ["S1", "S2"], "role": ["QA lead", "Auditor"],
                           "power": [2, 1], "interest": [5, 1], "raci_role": ["", "qa"]})
    m = pd.DataFrame({"task": ["T1"], "pm": ["A"], "qa_lead": ["R"]})
    with pytest.raises(ValidationError, match=r"raci_role 'qa' of stakeholder S2 is not a RACI "
                                              r"column"):
        comms.communication_plan(people, m)
    rules = comms.DEFAULT_RULES.copy()
    rules.loc[rules["value"] == "R", "frequency"] = "weekly"
    plan = comms.communication_plan(people.iloc[:1], m, rules=rules)
    assert plan["frequency"].tolist() == ["biweekly", "weekly"]
    rules.loc[0, "frequency"] = "hourly"
    with pytest.raises(ValidationError, match=r"row\(s\) 1 need basis quadrant or raci"):
        comms.communication_plan(people.iloc[:1], m, rules=rules)
    bad = comms.DEFAULT_MEETINGS.iloc[[1]].assign(weekday="XX")
    with pytest.raises(ValidationError, match=r"meetings: Status meeting need a frequency"):
        comms.meeting_schedule("2027-03-01", "2027-03-31", meetings=bad)
