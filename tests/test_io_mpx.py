"""MPX import (``tpmkit.io.mpx``) on the MS Project 98 files from the MPXJ test suite."""

from __future__ import annotations

import pytest

from tests.conftest import data_path
from tpmkit.errors import FileFormatError
from tpmkit.io import mpx


def _read(name: str) -> dict:
    return mpx.read_parts(data_path("projectfiles", "mpxj", name))


def test_task_links_file():
    """Same eight chains as the MSPDI files: FS 0d/1d/2d/1w/2w, SF 2d, SS 2d, FF 2d."""
    parts = _read("generated__task-links__task-links-project98.mpx")
    t = parts["tasks"].set_index("id")
    assert t.loc[["2", "4", "6", "8", "10", "12", "14", "16"], "predecessors"].tolist() == [
        "1", "3 FS+1d", "5 FS+2d", "7 FS+5d", "9 FS+10d", "11 SF+2d", "13 SS+2d", "15 FF+2d"]
    assert parts["project"]["start"] == "2014-10-17"
    c = parts["computed"]
    assert c.loc["10", ["early_start", "early_finish", "total_float"]].tolist() == [11, 12, 0]
    assert c.loc["1", "total_float"] == 10.0


def test_legacy_sample_outline_resources_constraints():
    parts = _read("legacy__sample.mpx")
    t = parts["tasks"].set_index("id")
    assert "1" not in t.index and t.loc["2", "wbs"] == "1.1"  # task 1 is a summary
    assert t.loc["2", "resources"] == "First_Resource:0.5; Second_Resource:0.75"
    assert t.loc["18", "constraint"] == "SNET"
    assert t.loc["13", "predecessors"] == "12 FS-1d"
    assert parts["resources"]["id"].tolist() == ["First_Resource", "Second_Resource"]


def test_crafted_units_percent_elapsed_and_dates(tmp_path):
    path = tmp_path / "p.mpx"
    path.write_text("MPX;Microsoft Project for Windows;4.0;ANSI\n"
                    "12;0;0;480;/;:;am;pm;9\n"
                    "61;90;1;40;70;91;68\n"
                    "70;1;A;16h;;As Soon As Possible;\n"
                    "70;2;B;1w;1SS+50%;Start No Earlier Than;01/15/2024\n"
                    "70;3;C;2ed;2FF+1ed;;\n", encoding="cp1252")
    parts = mpx.read_parts(path)
    t = parts["tasks"].set_index("id")
    assert t["duration"].tolist() == pytest.approx([2.0, 5.0, 2 * 5 / 7])
    assert t["predecessors"].tolist() == ["", "1 SS+50%", "2 FF+0.7142857143d"]
    assert t.loc["2", "constraint_date"].isoformat() == "2024-01-15T00:00:00"  # M/D/Y order
    assert any("elapsed" in w for w in parts["warnings"])


@pytest.mark.parametrize(("line", "message"), [
    ("70,1,A,two days,", r"line 3: field Duration: 'two days' is not a duration"),
    ("70,1,A,2d,3XX", r"line 3: field Predecessors: '3XX' is not a link"),
])
def test_malformed_values_name_line_and_field(tmp_path, line, message):
    path = tmp_path / "bad.mpx"
    path.write_text(f"MPX,x,4.0,ANSI\n61,90,1,40,70\n{line}\n")
    with pytest.raises(FileFormatError, match=r"bad\.mpx: " + message):
        mpx.read_parts(path)


def test_not_an_mpx_file(tmp_path):
    path = tmp_path / "x.mpx"
    path.write_text("hello")
    with pytest.raises(FileFormatError, match="not an MPX file"):
        mpx.read_parts(path)
