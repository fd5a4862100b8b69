"""The command line: JSON contract, tables, CSV output and exit status 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from tpmkit.cli import main


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_schedule_json_contract(capsys):
    code, out, err = run(capsys, "schedule", "sample:software_release", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["project"]["duration"] == 87
    assert data["project"]["critical_path"][0] == "PM1"
    first = data["tasks"][0]
    for key in ("id", "early_start", "early_finish", "late_start", "late_finish", "total_float",
                "free_float", "critical", "early_start_date", "early_finish_date"):
        assert key in first
    assert first["early_start"] == 0 and first["early_start_date"] == "2027-01-04"
    assert data["project"]["finish"] == "2027-05-07"


def test_schedule_table_and_csv(capsys, tmp_path):
    out_csv = tmp_path / "s.csv"
    code, out, _ = run(capsys, "schedule", "sample:software_release", "--csv", str(out_csv))
    assert code == 0
    assert "Critical path: PM1 → PM2" in out
    table = pd.read_csv(out_csv, index_col="id")
    assert table.loc["CL2", "early_finish"] == 87


def test_schedule_start_override(capsys):
    code, out, _ = run(capsys, "schedule", "sample:software_release", "--start", "2027-02-01",
                       "--json")
    assert json.loads(out)["tasks"][0]["early_start_date"] == "2027-02-01"


def test_pert_json(capsys, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,optimistic,most_likely,pessimistic,predecessors\n"
                    "A,1,2,9,\nB,2,3,4,A\n")
    code, out, _ = run(capsys, "pert", str(path), "--target", "7", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["expected_duration"] == 6
    assert data["critical_path"] == ["A", "B"]
    assert data["probability"] == pytest.approx(0.766573, abs=1e-6)   # z = 1/sqrt(17/9)
    code, out, _ = run(capsys, "pert", str(path), "--probability", "80", "--json")
    assert json.loads(out)["duration"] == pytest.approx(6 + (17 / 9) ** 0.5 * 0.8416212, abs=1e-6)


@pytest.mark.parametrize("content, message", [
    ("id,duration,predecessors\nA,1,C\nB,1,A\nC,1,B\n", "cycle: A → B → C → A"),
    ("id,duration,predecessors\nA,1,\nB,1,Q\n", "unknown predecessor(s) Q"),
    ("id,duration\nA,1\nA,2\n", "duplicate task id(s) A"),
    ("id,duration\nA,\n", "duration missing for task(s) A"),
    ("id,duration\nA,x\n", "'duration' is not a number for task(s) A"),
    ("id,duration\nA,-1\n", "negative duration for task(s) A"),
    ("id,optimistic,most_likely,pessimistic\nA,5,3,9\n", "optimistic > most_likely for task(s) A"),
    ("id,optimistic,most_likely,pessimistic\nA,1,9,3\n", "most_likely > pessimistic for task(s) A"),
    ("id,duration,predecessors\nA,1,\nB,1,A QQ\n", "malformed link 'A QQ'"),
    ("id,duration,predecessors\nA,1,\nB,1,A SS+3y\n", "malformed link 'A SS+3y'"),
    ("id,duration\n", "the task table is empty"),
    ("name,duration\nx,1\n", "no 'id' column"),
])
def test_bad_input_one_line_exit_2(capsys, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    code, out, err = run(capsys, "schedule", str(path))
    assert code == 2 and out == ""
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_bad_dates_and_files(capsys, tmp_path):
    code, _, err = run(capsys, "schedule", "sample:software_release", "--start", "someday")
    assert code == 2 and "cannot read project start 'someday'" in err
    code, _, err = run(capsys, "schedule", str(tmp_path / "none.csv"))
    assert code == 2 and "file not found" in err
    (tmp_path / "x.bin").write_bytes(b"\x00\x01")
    code, _, err = run(capsys, "schedule", str(tmp_path / "x.bin"))
    assert code == 2 and "unknown file type '.bin'" in err


def test_csv_never_overwrites_the_input(capsys, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,duration\nA,1\n")
    code, _, err = run(capsys, "schedule", str(path), "--csv", str(path))
    assert code == 2 and "refusing to overwrite the input file" in err
    assert path.read_text() == "id,duration\nA,1\n"


def test_console_script_runs_without_traceback(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,duration,predecessors\nA,1,B\nB,1,A\n")
    proc = subprocess.run([sys.executable, "-m", "tpmkit", "schedule", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("tpmkit schedule: error: ") and "Traceback" not in proc.stderr


def test_samples_lists_the_catalog(capsys):
    code, out, _ = run(capsys, "samples")
    assert code == 0
    assert "sample:software_release " in out and "sample:software_release_tracking " in out
