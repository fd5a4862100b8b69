"""Jira CSV export import (``tpmkit.io.jira``).

The only shareable real export is header-only (``projectfiles/jira``); its traits (RFC 4180
quoting with doubled quotes, non-ASCII punctuation, repeated column names) are reproduced
in a crafted export.
"""

from __future__ import annotations

import warnings

import pytest

import tpmkit
from tests.conftest import data_path
from tpmkit.errors import FileFormatError
from tpmkit.io import TpmkitWarning, jira

EXPORT = (
    "Issue Type,Issue key,Issue id,Summary,Status,Labels,Labels,Sprint,"
    "Custom field (Story Points),Original Estimate,Time Spent,Inward issue link (Blocks),"
    "Outward issue link (Blocks),Inward issue link (Blocks),Resolved\n"
    'Story,WEB-1,1001,"Design the ""Tax Type"" page — v2",Done,ux,web,S1,3,57600,3600,,WEB-2,,'
    "2024-01-10 10:00\n"
    "Story,WEB-2,1002,Build “checkout”,In Progress,web,,S1,5,1d 4h,,WEB-1,,,\n"
    "Bug,WEB-3,1003,Fix ünïcode,To Do,,,S2,2,,,WEB-2,OTHER-9,WEB-1,\n"
)


def _write(tmp_path, text=EXPORT, name="export.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_issues_estimates_links_and_multi_value_columns(tmp_path):
    parts = jira.read_parts(_write(tmp_path))
    t = parts["tasks"].set_index("id")
    assert t.loc["WEB-1", "name"] == 'Design the "Tax Type" page — v2'
    assert t.loc["WEB-3", "name"] == "Fix ünïcode"
    assert t["duration"].tolist() == [2.0, 1.5, 0.0]  # 16 h; "1d 4h"; none
    assert t["predecessors"].tolist() == ["", "WEB-1", "WEB-2; WEB-1"]
    assert t.loc["WEB-1", "labels"] == "ux; web"
    assert t["percent_complete"].tolist() == [100.0, 0.0, 0.0]
    assert t["story_points"].tolist() == [3.0, 5.0, 2.0]
    assert t.loc["WEB-1", "time_spent_days"] == 0.125
    w = " | ".join(parts["warnings"])
    assert "WEB-3→OTHER-9" in w and "issues WEB-3 have no time estimate" in w


def test_story_points_give_durations_when_asked(tmp_path):
    t = jira.read_parts(_write(tmp_path), days_per_point=0.5, hours_per_day=6)["tasks"]
    # "1d 4h" is 10 h when a day has 6 h
    assert t["duration"].tolist() == [57600 / 3600 / 6, 10 / 6, 1.0]


def test_front_door_detects_jira_and_schedules(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        project = tpmkit.read(_write(tmp_path), start="2024-01-08")
    s = tpmkit.schedule(project).table
    assert s["early_finish"].tolist() == [2.0, 3.5, 3.5]


def test_semicolon_separated_cp1252(tmp_path):
    path = tmp_path / "eu.csv"
    path.write_bytes("Issue key;Summary;Original Estimate\nA-1;Café;28800\n".encode("cp1252"))
    t = jira.read_parts(path)["tasks"]
    assert t[["id", "name", "duration"]].values.tolist() == [["A-1", "Café", 1.0]]


def test_header_only_real_export():
    parts = jira.read_parts(data_path("projectfiles", "jira", "jira_cloud_export_header_only.csv"))
    assert parts["tasks"].empty and parts["warnings"] == ["the export holds no issues"]


@pytest.mark.parametrize(("text", "message"), [
    ("Key,Summary\nA,x\n", r"line 1: column 'Issue Key' is missing"),
    ("Issue key,Summary\n,x\n", r"line 2: column 'Issue key' is empty"),
    ("Issue key,Summary,Original Estimate\nA-1,x,soon\n",
     r"line 2: column 'Original Estimate': 'soon' is not a time estimate"),
    ("Issue key,Summary\nA-1,x,extra\n", r"line 2: 3 values but 2 columns"),
    ('Issue key,Summary\nA-1,"unterminated\n', r"not a valid CSV file"),
])
def test_malformed_exports(tmp_path, text, message):
    with pytest.raises(FileFormatError, match=r"export\.csv: " + message):
        jira.read_parts(_write(tmp_path, text))
