"""The ``--json`` output of every command is a stable contract (ARCHITECTURE.md).

Each case runs one command in-process and compares its stdout byte for byte with the
snapshot stored in ``tests/data/cli_snapshots``. The snapshots were taken before the
architecture rebuild; a change to one of them is a change of the public contract and must be
deliberate: regenerate with ``TPMKIT_UPDATE_SNAPSHOTS=1 pytest tests/test_cli_snapshots.py``
and say why in the CHANGELOG.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import warnings
from pathlib import Path

import pytest

from tpmkit.cli import main

HERE = Path(__file__).resolve().parent
SNAPSHOTS = HERE / "data" / "cli_snapshots"
DATA = Path(os.environ.get("TPMKIT_SNAPSHOT_DATA", HERE / "data"))

CASES = {
    "schedule_release": "schedule sample:software_release --json",
    "schedule_tracking": "schedule sample:software_release_tracking --json",
    "schedule_mspdi_links": "schedule {data}/projectfiles/mpxj/generated__task-links__task-links-project2019-mspdi.xml --json",
    "schedule_xer": "schedule {data}/projectfiles/mpxj/PredecessorCalendar.xer --json",
    "schedule_gan": "schedule {data}/projectfiles/ganttproject/HouseBuildingSample.gan --json",
    "pert_release": "pert sample:software_release --json",
    "pert_target": "pert sample:software_release --target 95 --json",
    "risk_release": "risk sample:software_release --iterations 300 --seed 1 --json",
    "evm_tracking": "evm sample:software_release_tracking --status-date 2027-04-30 --json",
    "evm_periods": "evm sample:software_release_tracking --json",
    "check_tracking": "check sample:software_release_tracking --status-date 2027-04-30 --json",
    "check_release": "check sample:software_release --json",
}


def _run(command: str) -> tuple[int, str]:
    argv = command.format(data=DATA).split()
    out = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # warnings go to stderr; the contract is stdout
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main(argv)
    return code, out.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_output_unchanged(name: str) -> None:
    code, out = _run(CASES[name])
    path = SNAPSHOTS / f"{name}.json"
    if os.environ.get("TPMKIT_UPDATE_SNAPSHOTS") == "1":
        path.write_text(out, encoding="utf-8")
    assert code in (0, 1), f"{CASES[name]} exited {code}"
    expected = path.read_text(encoding="utf-8")
    assert re.sub(r"\s+$", "", out) == re.sub(r"\s+$", "", expected)
