"""The command line as a person reads it: warnings, tables, input handling, start-up.

One test (or more) per defect class: warnings are one clean line each on stderr, for every
command and in notebooks; tables show names, dates, percentages and days to two decimals;
ambiguous or absurd input is refused in one line (JSON too with ``--json``); ``--version``
and ``--help`` import neither numpy nor pandas.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import tpmkit
from tpmkit.cli import COMMANDS, SUMMARIES, main
from tpmkit.errors import TpmkitWarning

HERE = Path(__file__).resolve().parent
GAN = HERE / "data" / "projectfiles" / "ganttproject" / "HouseBuildingSample.gan"


def run(capsys, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # pytest turns warnings into errors; show them
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # usage errors exit as argparse does (status 2)
            code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- 6: one warning formatter --------------------------------------------------------------
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_prints_a_warning_as_one_clean_line(command, capsys, monkeypatch):
    module = importlib.import_module(COMMANDS[command])

    def run_and_warn(args):
        warnings.warn("task B has\n   no successor", TpmkitWarning, stacklevel=2)
        return 0

    monkeypatch.setattr(module, "run", run_and_warn)
    args = [command, "sample:software_release"] + (["out.csv"] if command == "convert" else [])
    code, out, err = run(capsys, *args)
    assert code == 0
    assert err == f"tpmkit {command}: warning: task B has no successor\n"


def test_a_real_import_warning_is_one_line_without_source(tmp_path):
    done = subprocess.run([sys.executable, "-m", "tpmkit", "schedule", str(GAN)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("tpmkit schedule: warning: ") for line in lines)
    assert ".py:" not in done.stderr and "warnings.warn" not in done.stderr


def test_notebook_warnings_are_one_readable_line(capsys):
    tpmkit.readable_warnings()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn_explicit("links A→B\n lost", TpmkitWarning,
                                   "/tmp/ipykernel_4242/123.py", 14)
    finally:
        tpmkit.readable_warnings(False)
    err = capsys.readouterr().err
    assert err == "tpmkit warning: links A→B lost\n"


# -- 8: tables a PM can read ---------------------------------------------------------------
def test_schedule_header_deadline_critical_definition_and_wbs_names(capsys):
    code, out, _ = run(capsys, "schedule", "sample:software_release")
    assert code == 0
    header = out.splitlines()[0]
    assert "deadline Fri 2027-05-14 (day 92)" in header
    assert "critical = lowest total float (5 d, against the deadline Fri 2027-05-14)" in out
    assert "* critical" in out                     # the marker is explained
    assert "Project management" in out and "Requirements" in out  # WBS dictionary names


def test_schedule_days_to_two_decimals_and_no_float_noise(capsys, tmp_path):
    plan = write(tmp_path, "frac.csv", "id,duration,optimistic,most_likely,pessimistic,"
                 "predecessors\nA,0.5625,,,,\nB,,10,13,18,A\nC,,0.1,0.2,0.7,A\nD,1,,,,B;C\n")
    code, out, _ = run(capsys, "schedule", plan)
    assert code == 0
    assert " 0.56 " in out and " 13.33 " in out
    assert "0.5625" not in out and "13.3333" not in out and "e-1" not in out
    assert " -0 " not in out


def test_parallel_critical_tasks_are_branches_not_a_chain(capsys, tmp_path):
    plan = write(tmp_path, "par.csv", "id,duration,predecessors\n25,1,\n26,3,25\n27,3,25\n"
                 "28,1,26;27\n")
    code, out, _ = run(capsys, "schedule", plan)
    assert code == 0
    assert "Critical path: 25 → (26 | 27) → 28" in out
    assert "26 → 27" not in out
    plan = write(tmp_path, "two.csv", "id,duration,predecessors\n26,3,\n27,3,\n")
    _, out, _ = run(capsys, "schedule", plan)
    assert "Critical path: (26 | 27)" in out


def test_pert_shows_dates_and_percentages(capsys):
    code, out, _ = run(capsys, "pert", "sample:software_release", "--target", "95")
    assert code == 0
    assert "P(finish by Thu 2027-05-20 (day 95)) = 86.1 %" in out
    assert "89.92 working days → Wed 2027-05-12" in out
    code, out, _ = run(capsys, "pert", "sample:software_release", "--probability", "80")
    assert "P80 duration" in out and "(80.0 % confidence)" in out and "→ Wed 2027-05-19" in out


def test_risk_table_names_tasks_and_explains_columns(capsys):
    code, out, _ = run(capsys, "risk", "sample:software_release", "-n", "300", "--seed", "1")
    assert code == 0
    assert "Stakeholder interviews" in out         # task names beside the ids
    assert "100.0 %" in out and "critical: share of iterations" in out
    assert " <" not in out                         # no unexplained markers


def test_risk_without_uncertainty_says_so(capsys, tmp_path):
    plan = write(tmp_path, "fixed.csv", "id,duration,predecessors\nA,2,\nB,3,A\n")
    code, out, _ = run(capsys, "risk", plan, "--seed", "1", "-n", "100")
    assert code == 0
    assert "no uncertainty to simulate" in out and "100.0%" not in out


def test_level_names_default_seed_and_deadline(capsys):
    code, out, _ = run(capsys, "level", "sample:software_release", "--passes", "30")
    assert code == 0
    assert "the default seed 0" in out
    assert "past the deadline Fri 2027-05-14" in out
    assert "Stakeholder interviews" in out
    _, first, _ = run(capsys, "level", "sample:software_release", "--passes", "30", "--json")
    _, second, _ = run(capsys, "level", "sample:software_release", "--passes", "30", "--json")
    assert first == second
    data = json.loads(first)
    assert data["seed"] == 0 and data["past_deadline"] is True and data["deadline"] == 92


# -- 9: input handling ---------------------------------------------------------------------
def test_one_date_rule_per_column(tmp_path):
    plan = write(tmp_path, "d.csv", "id,duration,baseline_start,baseline_finish\n"
                 "A,2,03/02/2027,2027-02-05\nB,3,13/02/2027,2027-02-18\n")
    p = tpmkit.read(plan)   # 13/02 decides the column: day-first, so 03/02 is 3 February
    assert p.tasks["baseline_start"].dt.strftime("%Y-%m-%d").tolist() == ["2027-02-03",
                                                                          "2027-02-13"]


def test_ambiguous_and_mixed_dates_are_refused_naming_the_cells(capsys, tmp_path):
    plan = write(tmp_path, "amb.csv", "id,duration,baseline_start\nA,2,03/02/2027\n"
                 "B,3,04/02/2027\n")
    code, out, err = run(capsys, "schedule", plan)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "read both day-first and month-first (A 03/02/2027, B 04/02/2027)" in err
    assert tpmkit.read(plan, dayfirst=True).tasks["baseline_start"].iloc[0].month == 2
    assert tpmkit.read(plan, date_format="%m/%d/%Y").tasks["baseline_start"].iloc[0].month == 3
    code, out, _ = run(capsys, "schedule", plan, "--dayfirst", "--json")
    assert code == 0
    mixed = write(tmp_path, "mixed.csv", "id,duration,baseline_start\nA,2,02/13/2027\n"
                  "B,3,13/02/2027\n")
    code, _, err = run(capsys, "schedule", mixed)
    assert code == 2 and "mixes day-first dates (B 13/02/2027) and month-first" in err
    code, _, err = run(capsys, "schedule", "sample:software_release", "--start", "03/02/2027")
    assert code == 2 and "project start '03/02/2027' reads both" in err


def test_duration_accepts_the_units_of_lags(tmp_path):
    plan = write(tmp_path, "u.csv", "id,duration,predecessors\nA,2w,\nB,3d,A\nC,1.5 weeks,B\n"
                 "D,2,C FS+1w\n")
    p = tpmkit.read(plan)
    assert p.tasks["duration"].tolist() == [10.0, 3.0, 7.5, 2.0]
    assert tpmkit.schedule(p).duration == 10 + 3 + 7.5 + 5 + 2
    bad = write(tmp_path, "b.csv", "id,duration\nA,50%\nB,3h\n")
    with pytest.raises(tpmkit.ValidationError, match=r"'duration' is not a number for task\(s\) "
                                                     r"A, B .*2w = 10"):
        tpmkit.read(bad)


@pytest.mark.parametrize("args, message", [
    (["--deadline", "1e308"], "--deadline 1e308 is outside the valid range 0 … 36500"),
    (["--deadline", "-5"], "--deadline -5 is outside the valid range"),
])
def test_absurd_option_values_refused_with_the_bound(capsys, args, message):
    code, out, err = run(capsys, "schedule", "sample:software_release", *args)
    assert code == 2 and message in err and err.count("\n") == 1


def test_absurd_amounts_refused_with_the_bound(capsys, tmp_path):
    plan = write(tmp_path, "c.csv", "id,duration,cost\nA,1,1e308\n")
    code, _, err = run(capsys, "risk", plan, "-n", "100")
    assert code == 2 and "cost above 1,000,000,000,000,000 for task(s) A" in err
    assert "warning" not in err


def test_xlsx_that_is_a_csv_gets_our_message(capsys, tmp_path):
    plan = write(tmp_path, "plan.xlsx", "id,duration\nA,1\n")
    code, _, err = run(capsys, "schedule", plan)
    assert code == 2
    assert "plan.xlsx is not a readable Excel workbook: it holds CSV text; rename it to plan.csv" \
        in err
    assert "engine" not in err


@pytest.mark.parametrize("value, ok", [("150", False), ("1.5", False), ("0", False),
                                       ("100", False), ("abc", False), ("80", True),
                                       ("0.8", True), ("80%", True)])
def test_probability_range(capsys, value, ok):
    code, out, err = run(capsys, "pert", "sample:software_release", "--probability", value)
    if ok:
        assert code == 0 and "P80 duration" in out
    else:
        assert code == 2 and err.count("\n") == 1
        assert "between 0 and 1 (e.g. 0.8) or a percentage between 1 and 99" in err
        assert "usage:" not in err


def test_yaml_and_json_errors_name_the_line(capsys, tmp_path):
    bad = write(tmp_path, "bad.yaml", "tasks:\n  - id: A\n    duration: 2\n   - id: B\n")
    code, _, err = run(capsys, "schedule", bad)
    assert code == 2 and "bad.yaml: invalid YAML at line 4" in err
    corr = write(tmp_path, "corr.yaml", "a: b\n[x: 1\n")
    code, _, err = run(capsys, "risk", "sample:software_release", "--correlation", corr)
    assert code == 2 and "corr.yaml: invalid YAML at line 3" in err


def test_json_errors_are_json_on_stdout_too(capsys, tmp_path):
    code, out, err = run(capsys, "schedule", tmp_path / "none.csv", "--json")
    assert code == 2
    assert "file not found" in json.loads(out)["error"]
    assert err.startswith("tpmkit schedule: error: file not found") and err.count("\n") == 1
    code, out, err = run(capsys, "pert", "sample:software_release", "--probability", "150",
                         "--json")
    assert code == 2 and "valid range" in json.loads(out)["error"]


# -- 10: start-up --------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [["--version"], ["--help"], []])
def test_version_and_help_import_no_numpy_pandas_numba(argv):
    probe = ("import sys\nfrom tpmkit.cli import main\n"
             f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('numpy', 'pandas', 'numba', 'scipy') if m in sys.modules),"
             " file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"
    if argv == ["--help"]:
        for name in SUMMARIES:
            assert name in done.stdout


def test_summaries_cover_every_command():
    assert set(COMMANDS) | {"samples"} == set(SUMMARIES)


# -- 11: sample names from Python ----------------------------------------------------------
def test_read_accepts_sample_names_like_the_cli():
    p = tpmkit.read("sample:software_release")
    assert len(p.tasks) == 38
    with pytest.raises(tpmkit.InputFileError, match="unknown dataset 'nope'"):
        tpmkit.read("sample:nope")
