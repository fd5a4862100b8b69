"""Every file in ``tests/data/projectfiles`` imports through the front door.

Pure-Python formats (MSPDI, XER, Primavera PMXML — also when saved as ``.xml`` —,
GanttProject, Planner, MPX, Jira CSV) must import; binary formats (``.mpp``, ``.fts``) go
through the optional MPXJ bridge: they import when it is installed and otherwise fail
with an :class:`InputFileError` that says how to install it. A file without tasks (an
empty project, a calendar-only file, a header-only Jira export) reads into parts with a
warning saying so.
"""

from __future__ import annotations

import warnings

import pytest

import tpmkit
from tests.conftest import data_path
from tpmkit.errors import InputFileError, ValidationError
from tpmkit.io import TpmkitWarning, read_parts
from tpmkit.io.mpxj import available

BRIDGED = {".mpp", ".mpt", ".fts"}


def _all() -> list[str]:
    base = data_path("projectfiles")  # a missing folder is a collection error, never an empty run
    return sorted(str(p.relative_to(base)) for p in base.glob("*/*")
                  if p.is_file() and p.name != "README.md")


def _needs_bridge(path) -> bool:
    return path.suffix.lower() in BRIDGED


@pytest.mark.parametrize("rel", _all())
def test_every_project_file_imports(rel):
    path = data_path("projectfiles", *rel.split("/"))
    if _needs_bridge(path) and not available()[0]:
        with pytest.raises(InputFileError, match=r"tpmkit\[mpp\].*Java"):
            read_parts(path)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        parts = read_parts(path)
    assert {"tasks", "project", "warnings"} <= set(parts)
    assert isinstance(parts["warnings"], list)
    tasks = parts["tasks"]
    if tasks.empty:
        assert any("no tasks" in w or "no issues" in w or "no activities" in w
                   for w in parts["warnings"]), "an empty import must say so"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TpmkitWarning)
            with pytest.raises(ValidationError, match="empty"):
                tpmkit.read(path)
        return
    assert tasks["id"].is_unique
    assert tasks["id"].str.fullmatch(r"[A-Za-z0-9_.\-]+").all()
    assert (tasks["duration"] >= 0).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        project = tpmkit.read(path)
        sched = tpmkit.schedule(project).table
    assert len(sched) == len(tasks)
    # negative float needs a constraint, or progress (out-of-sequence actuals, a forecast
    # past the planned finish) on a status-dated plan
    assert ((sched["total_float"] > -1e-9).all() or project.tasks["constraint"].ne("").any()
            or project.status_date is not None)
