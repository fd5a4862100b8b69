"""Damaged files never crash a reader: they import (possibly with warnings) or raise a
:class:`~tpmkit.errors.TpmkitError` — never another exception (property test).

Real files are truncated at random points and have random bytes overwritten.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import data_path
from tpmkit.errors import TpmkitError
from tpmkit.io import gan, jira, mpx, mspdi, planner, xer

SOURCES = [
    (mspdi, ("mpxj", "mspdirelations.xml")),
    (xer, ("mpxj", "assignment__resource-rates-test.xer")),
    (xer, ("mpxj", "generated__task-percentcomplete__percent-complete-8.4.pmxml")),
    (gan, ("ganttproject", "blyoa__task__task-with-dependencies.gan")),
    (planner, ("mpxj", "planner-sample.planner")),
    (mpx, ("mpxj", "generated__task-links__task-links-project98.mpx")),
]
JIRA = (b"Issue key,Summary,Original Estimate,Inward issue link (Blocks)\n"
        b"W-1,Design,57600,\nW-2,Build,86400,W-1\n")


@pytest.mark.parametrize(("module", "rel"), SOURCES, ids=[r[-1] for _, r in SOURCES])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0.0, 1.0), flips=st.lists(st.tuples(st.floats(0.0, 1.0),
                                                          st.integers(0, 255)), max_size=4))
def test_damaged_files_fail_cleanly(tmp_path, module, rel, cut, flips):
    data = bytearray(data_path("projectfiles", *rel).read_bytes())
    for where, byte in flips:
        data[int(where * (len(data) - 1))] = byte
    data = data[: max(1, int(cut * len(data)))] if cut < 1 else data
    path = tmp_path / rel[-1]
    path.write_bytes(bytes(data))
    try:
        module.read_parts(path)
    except TpmkitError:
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(1, len(JIRA)), junk=st.binary(max_size=8))
def test_damaged_jira_exports_fail_cleanly(tmp_path, cut, junk):
    path = tmp_path / "export.csv"
    path.write_bytes(JIRA[:cut] + junk)
    try:
        jira.read_parts(path)
    except TpmkitError:
        pass


@pytest.mark.parametrize(("module", "name", "text", "message"), [
    (mspdi, "p.xml", "<Project><Calendars><Calendar><UID>1</UID><WeekDays><WeekDay><DayType>2"
     "</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>8am</FromTime>"
     "</WorkingTime></WorkingTimes></WeekDay></WeekDays></Calendar></Calendars></Project>",
     "field WorkingTime has the invalid value '8am'"),
    (gan, "p.gan", '<project><calendars><date year="MMXXIV" month="1" date="3"/></calendars>'
     "</project>", "year='MMXXIV'"),
    (gan, "p.gan", '<project><calendars><date year="2024" month="2" date="31"/></calendars>'
     "</project>", "holiday 2024-2-31 is not a date"),
    (planner, "p.planner", '<project mrproject-version="2" calendar="1"><calendars><calendar '
     'id="1" name="c"><overridden-day-types><overridden-day-type id="0"><interval start="8h" '
     'end="1700"/></overridden-day-type></overridden-day-types></calendar></calendars><tasks/>'
     "</project>", "interval start='8h'"),
    (xer, "p.pmxml", "<APIBusinessObjects><Calendar><Name>c</Name><StandardWorkWeek>"
     "<StandardWorkHours><DayOfWeek>Monday</DayOfWeek><WorkTime><Start>eight</Start>"
     "<Finish>12:00:00</Finish></WorkTime></StandardWorkHours></StandardWorkWeek></Calendar>"
     "</APIBusinessObjects>", "Calendar 'c': a WorkTime"),
])
def test_bad_calendar_values_are_reported(tmp_path, module, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(TpmkitError, match=message):
        module.read_parts(path)
