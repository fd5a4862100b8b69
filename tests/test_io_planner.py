"""GNOME Planner import (``tpmkit.io.planner``) on the MPXJ test files and crafted input."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import data_path
from tpmkit.errors import FileFormatError
from tpmkit.io import planner


def _read(name: str) -> dict:
    return planner.read_parts(data_path("projectfiles", "mpxj", name))


def test_sample_tasks_links_calendar():
    parts = _read("planner-sample.planner")
    t = parts["tasks"]
    assert t[["id", "name", "duration", "predecessors"]].values.tolist() == [
        ["1", "Task One", 10.0, ""], ["2", "Task Two", 10.0, "1"]]
    assert parts["project"]["start"] == "2007-02-22"
    assert parts["project"]["calendar"]["workweek"] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    assert parts["computed"]["early_start"].tolist() == [0.0, 10.0]


def test_work_units_constraints_lags_and_types():
    t = _read("project1.planner")["tasks"].set_index("id")
    assert t.loc["1", "duration"] == 16200 / 28800           # 4.5 h of work
    assert t.loc["29", "duration"] == pytest.approx(288000 / 0.45 / 28800)  # 45 % allocation
    assert t.loc["28", "resources"] == "Resource_One:1; Resource_Two:1"
    assert t.loc["10", "duration"] == 0.0                     # milestone
    assert t.loc["11", "duration"] == 10.0                    # fixed duration 80 h
    assert (t.loc["13", "constraint"], t.loc["13", "constraint_date"]) == (
        "MSO", pd.Timestamp("2007-02-25"))
    assert t.loc["12", "constraint"] == "SNET"
    assert t.loc["17", "predecessors"] == "16 FS+1d"          # 86 400 s
    assert t.loc["19", "predecessors"] == "18 FF"
    assert t.loc["23", "predecessors"] == "22 SF"
    assert "4" not in t.index and t.loc["5", "wbs"] == "4.1"  # summary task 4


def test_malformed_attribute(tmp_path):
    path = tmp_path / "bad.planner"
    path.write_text('<project mrproject-version="2"><tasks><task id="1" name="A" work="lots"/>'
                    "</tasks></project>")
    with pytest.raises(FileFormatError, match=r"bad\.planner: task 1 \('A'\): attribute "
                                              r"work='lots' is not a number"):
        planner.read_parts(path)
