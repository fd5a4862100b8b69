"""GanttProject ``.gan`` import (``tpmkit.io.gan``).

Expectations from ``tests/data/cases/ganttproject_dependencies_and_calendar.json``
(blyoa/ts-ganttproject-parser, GanttProject 3.3 files): ``<depend>`` sits on the
predecessor, type codes 1 = SS, 2 = FS, 3 = FF, 4 = SF, ``difference`` = lag in days.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import data_path
from tpmkit.errors import FileFormatError
from tpmkit.io import gan


def _gan(name: str) -> dict:
    return gan.read_parts(data_path("projectfiles", "ganttproject", name))


def test_dependency_codes_match_published_parser_expectations(case):
    data = case("ganttproject_dependencies_and_calendar")
    parts = _gan("blyoa__task__task-with-dependencies.gan")
    t = parts["tasks"].set_index("id")
    links = []
    for pred, succ, kind, lag, _ in data["expected"]["parsed_dependencies"]["value"]:
        links.append((pred, succ, kind, lag))
    want = {succ: (f"{pred}" if kind == "FS" and not lag else
                   f"{pred} {kind}" + (f"{lag:+d}d" if lag else ""))
            for pred, succ, kind, lag in links}
    for succ, text in want.items():
        assert t.loc[succ, "predecessors"] == text
    assert parts["project"]["calendar"] == {"workweek": ["Mon", "Tue", "Wed", "Thu", "Fri"],
                                            "holidays": ["2024-01-03"]}
    assert parts["project"]["start"] == "2024-01-02"


def test_unlinked_task_keeps_its_start_and_earliest_start_constraint():
    t = _gan("blyoa__task__task-with-dependencies.gan")["tasks"].set_index("id")
    # task A has no predecessor and starts after the project start (task E's 2 Jan)
    assert (t.loc["0", "constraint"], t.loc["0", "constraint_date"]) == (
        "SNET", pd.Timestamp("2024-01-04"))
    assert t.loc["4", "constraint"] == ""
    t = _gan("blyoa__task__task-with-earliest-start-date.gan")["tasks"]
    assert t[["constraint", "constraint_date"]].values.tolist() == [["SNET",
                                                                     pd.Timestamp("2024-01-04")]]


def test_holidays_weekends_and_recurring_holidays():
    assert _gan("blyoa__task__endDate__task-crossing-recurring-holiday.gan")["project"][
        "calendar"]["holidays"][:3] == ["2023-01-03", "2024-01-03", "2025-01-03"]
    assert _gan("blyoa__task__endDate__task-crossing-weekends-and-tasks-can-run-on-weekends.gan")[
        "project"]["calendar"]["workweek"] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_milestone_completion_allocation_rate_baseline():
    assert _gan("blyoa__task__milestone-task.gan")["tasks"]["duration"].tolist() == [0.0]
    # GanttProject's completion [%] is the canonical percent_complete (no actual dates)
    assert _gan("blyoa__task__task-with-completion-percentage.gan")["tasks"][
        "percent_complete"].tolist() == [64.0]
    assert _gan("blyoa__allocation__task-with-basic-assignee.gan")["tasks"][
        "resources"].tolist() == ["John_Doe:1"]
    res = _gan("blyoa__resource__resource-with-rate.gan")["resources"]
    assert res[["id", "rate"]].values.tolist() == [["resource_0", 64.0]]
    t = _gan("blyoa__baseline__basic-baseline.gan")["tasks"]
    assert (t["baseline_start"].iloc[0], t["baseline_finish"].iloc[0]) == (
        pd.Timestamp("2024-01-04"), pd.Timestamp("2024-01-05"))


def test_summary_tasks_give_wbs_and_pass_links_to_subtasks():
    parts = _gan("HouseBuildingSample.gan")
    t = parts["tasks"].set_index("id")
    assert len(t) == 16 and "0" not in t.index  # summaries are derived
    assert t.loc["9", "wbs"] == "1.1" and t.loc["13", "wbs"] == "2.2"
    # "Interior design" (summary 11) → Walls (6): every subtask of 11 precedes 6
    assert set(t.loc["6", "predecessors"].split("; ")) >= {"12", "13", "14"}
    assert t.loc["9", "resources"] == "Jack_House:0.5; Michelangelo:1"
    assert any("summary tasks (11→6, 7→20, 49→0)" in w for w in parts["warnings"])


@pytest.mark.parametrize(("xml", "message"), [
    ('<task id="1" name="x" start="2024-01-08" duration="two"/>',
     r"task 1 \('x'\): attribute duration='two' is not a number"),
    ('<task id="1" name="x" start="someday" duration="2"/>',
     r"task 1 \('x'\): attribute start='someday' is not a date"),
    ('<task id="1" name="x" start="2024-01-08" duration="2"><depend id="1" type="9"/></task>',
     r"task 1 dependency on 1: type='9' is not a dependency type; .*1 = SS, 2 = FS"),
    ('<task id="1" name="a" start="2024-01-08" duration="1"/><task id="1" name="b" '
     'start="2024-01-08" duration="1"/>', r"task ids 1 appear more than once"),
])
def test_malformed_file_names_task_and_attribute(tmp_path, xml, message):
    path = tmp_path / "bad.gan"
    path.write_text(f'<project name="p"><tasks>{xml}</tasks></project>')
    with pytest.raises(FileFormatError, match=r"bad\.gan: " + message):
        gan.read_parts(path)


def test_not_a_gan_file(tmp_path):
    path = tmp_path / "x.gan"
    path.write_text("<Project/>")
    with pytest.raises(FileFormatError, match="not a GanttProject file"):
        gan.read_parts(path)
