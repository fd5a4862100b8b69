"""Optional MPXJ bridge (``tpmkit.io.mpxj``).

Without the bridge the error must say how to install it; with it (``pip install
"tpmkit[mpp]"`` and Java), the binary ``.mpp`` save of the task-links project must read
exactly like its MSPDI save (same tasks, links and stored dates).
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import tpmkit
from tests.conftest import data_path
from tpmkit.errors import InputFileError
from tpmkit.io import TpmkitWarning, mpxj, mspdi


def test_missing_bridge_gives_install_instructions(tmp_path, monkeypatch):
    path = tmp_path / "plan.mpp"
    path.write_bytes(b"\xd0\xcf\x11\xe0binary")
    monkeypatch.setattr(mpxj, "available", lambda: (False, "no Java runtime was found"))
    with pytest.raises(InputFileError, match=r"plan\.mpp: reading \.mpp files needs MPXJ, but no "
                                             r"Java runtime was found; install .*tpmkit\[mpp\]"):
        tpmkit.read(path)


def test_available_reports_missing_java(monkeypatch):
    monkeypatch.setattr(mpxj.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    ok, reason = mpxj.available()
    assert not ok and ("Java runtime" in reason or "not installed" in reason)


def test_mpp_reads_like_its_mspdi_save():
    ok, reason = mpxj.available()
    if not ok:
        pytest.skip(f"MPXJ bridge unavailable: {reason}")
    mpp = mpxj.read_parts(data_path("projectfiles", "mpxj",
                                      "generated__task-links__task-links-project2019-mpp14.mpp"))
    xml = mspdi.read_parts(data_path("projectfiles", "mpxj",
                                       "generated__task-links__task-links-project2019-mspdi.xml"))
    cols = ["id", "name", "duration", "predecessors"]
    pd.testing.assert_frame_equal(mpp["tasks"][cols], xml["tasks"][cols])
    c = ["early_start", "early_finish", "late_start", "late_finish"]
    pd.testing.assert_frame_equal(mpp["computed"][c], xml["computed"][c])
    # MPXJ's MSPDI writer leaves out a total slack of zero
    pd.testing.assert_series_equal(mpp["computed"]["total_float"].fillna(0.0),
                                   xml["computed"]["total_float"])
    assert mpp["project"]["source_format"] == "mpxj:mpp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        binary = tpmkit.read(data_path("projectfiles", "mpxj", "legacy__sample.mpp"))
        saved = tpmkit.read(data_path("projectfiles", "mpxj", "legacy__sample.xml"))
    # the .mpp save holds two more tasks ("Assigned Task 1/2") than the XML save
    assert set(saved.tasks.index) < set(binary.tasks.index)
    assert len(binary.tasks) == 18


def test_mpxj_reads_the_mspdi_export_unchanged(tmp_path):
    """An independent MSPDI reader (MPXJ, the one ProjectLibre uses) reads tpmkit's export:
    writing it back gives the same tasks, links, resources, WBS, constraints and calendar."""
    ok, reason = mpxj.available()
    if not ok:
        pytest.skip(f"MPXJ bridge unavailable: {reason}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        project = tpmkit.read(data_path("projectfiles", "ganttproject", "HouseBuildingSample.gan"))
    ours = mspdi.write(project, tmp_path / "house.xml")
    again = mpxj.to_mspdi(ours, tmp_path / "house-mpxj.xml")
    a, b = mspdi.read_parts(ours), mspdi.read_parts(again)
    cols = ["id", "name", "duration", "predecessors", "resources", "wbs", "constraint",
            "constraint_date", "percent_complete"]
    pd.testing.assert_frame_equal(a["tasks"][cols], b["tasks"][cols])
    assert a["project"]["calendar"] == b["project"]["calendar"]
    assert a["project"]["start"] == b["project"]["start"]
