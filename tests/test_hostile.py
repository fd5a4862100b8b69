"""Hostile and mistyped inputs end in one-line TpmkitErrors (issue 21), never a traceback."""

from __future__ import annotations

import pandas as pd
import pytest

import tpmkit
from tpmkit.cli import main
from tpmkit.errors import FileFormatError, TpmkitError, ValidationError

MPX_HEAD = "MPX,Microsoft Project for Windows,4.0,ANSI\r\n"


def _cli_error(capsys, argv: list[str]) -> str:
    """Run the CLI, expect exit 2 and return its one stderr line."""
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("calendar", ['"Mon-Fri"', "[Mon, Tue]", "5"])
def test_calendar_not_a_mapping(tmp_path, capsys, calendar):
    f = _write(tmp_path, "p.yaml", f"project:\n  start: 2027-01-04\n  calendar: {calendar}\n"
                                   "tasks:\n  - {id: A, duration: 3}\n")
    with pytest.raises(ValidationError, match=r"p\.yaml: the project calendar must be a mapping"):
        tpmkit.read(f)
    assert "calendar must be a mapping" in _cli_error(capsys, ["schedule", str(f), "--json"])


def test_xlsx_project_sheet_with_bad_calendar(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    f = tmp_path / "p.xlsx"
    with pd.ExcelWriter(f) as xw:
        pd.DataFrame({"id": ["A"], "duration": [3]}).to_excel(xw, sheet_name="tasks", index=False)
        pd.DataFrame({"key": ["start", "calendar"], "value": ["2027-01-04", "Mon-Fri"]}).to_excel(
            xw, sheet_name="project", index=False)
    with pytest.raises(ValidationError, match=r"p\.xlsx: the project calendar must be a mapping"):
        tpmkit.read(f)
    assert "p.xlsx" in _cli_error(capsys, ["schedule", str(f), "--json"])


def test_project_given_as_a_list(tmp_path, capsys):
    f = _write(tmp_path, "p.yaml", "project:\n  - a\n  - b\ntasks:\n  - {id: A, duration: 3}\n")
    with pytest.raises(FileFormatError, match=r"p\.yaml: 'project' must be a mapping"):
        tpmkit.read(f)
    assert "'project' must be a mapping" in _cli_error(capsys, ["schedule", str(f), "--json"])
    with pytest.raises(ValidationError, match="project settings must be a mapping"):
        tpmkit.read({"tasks": pd.DataFrame({"id": ["A"], "duration": [1]}), "project": ["a"]})


def test_list_valued_cell(tmp_path, capsys):
    f = _write(tmp_path, "p.yaml", "tasks:\n  - {id: A, name: [a, b], duration: 3}\n")
    with pytest.raises(ValidationError, match=r"column 'name' holds a list or mapping in row\(s\) 1"):
        tpmkit.read(f)
    assert "one plain value per cell" in _cli_error(capsys, ["schedule", str(f), "--json"])


def test_long_value_is_quoted_short(tmp_path):
    f = _write(tmp_path, "p.yaml", "tasks:\n  - {id: A, name: [" + "x" * 500 + "], duration: 3}\n")
    with pytest.raises(ValidationError) as info:
        tpmkit.read(f)
    assert len(str(info.value)) < 250


def test_start_outside_supported_range(tmp_path, capsys):
    f = _write(tmp_path, "p.yaml", "tasks:\n  - {id: A, duration: 3}\n")
    err = _cli_error(capsys, ["schedule", str(f), "--start", "9999-12-25", "--json"])
    assert "outside the supported range 1900-01-01 … 2200-12-31" in err
    with pytest.raises(ValidationError, match="outside the supported range"):
        tpmkit.read(f, start="1850-01-01")


def test_task_date_outside_supported_range(tmp_path):
    f = _write(tmp_path, "p.csv", "id,duration,baseline_start,baseline_finish\n"
                                  "A,3,2027-01-04,2301-01-06\n")
    with pytest.raises(ValidationError, match="baseline_finish.*outside the supported range"):
        tpmkit.read(f)


@pytest.mark.parametrize("duration", ["1e308", "100000"])
def test_huge_duration_refused_with_bound(tmp_path, capsys, duration):
    f = _write(tmp_path, "p.yaml", f"project: {{start: 2027-01-04}}\ntasks:\n"
                                   f"  - {{id: A, duration: {duration}}}\n")
    with pytest.raises(ValidationError, match=r"duration above 36500 working days \(100 years\)"):
        tpmkit.read(f)
    assert "36500" in _cli_error(capsys, ["schedule", str(f), "--json"])


def test_huge_lag_refused(tmp_path):
    f = _write(tmp_path, "p.csv", "id,duration,predecessors\nA,1,\nB,1,A+99999999d\n")
    with pytest.raises(ValidationError, match="lag beyond ±36500 working days"):
        tpmkit.read(f)


def test_long_chain_runs_past_the_supported_dates(tmp_path, capsys):
    f = _write(tmp_path, "p.yaml", "project: {start: 2024-01-01}\ntasks:\n"
                                   "  - {id: A, duration: 36000}\n"
                                   "  - {id: B, duration: 36000, predecessors: A}\n")
    err = _cli_error(capsys, ["schedule", str(f), "--json"])
    assert "falls outside the supported range" in err


def test_risk_iterations_below_minimum(capsys):
    err = _cli_error(capsys, ["risk", "sample:software_release", "-n", "3"])
    assert "--iterations 3 is outside the valid range 10 … 100,000,000" in err


@pytest.mark.parametrize(("iterations", "chunk"), [(3, None), (1001, 1000), (5, 4)])
def test_simulate_few_iterations_or_a_short_last_chunk(iterations, chunk):
    from tpmkit.risk import simulate

    p = tpmkit.datasets.load("software_release")
    r = simulate(p, iterations, rng=1, progress=False, chunk_size=chunk)
    assert len(r.finish) == iterations


def test_xml_unknown_encoding(tmp_path, capsys):
    f = _write(tmp_path, "p.xml", '<?xml version="1.0" encoding="x-unknown"?>\n<Project></Project>\n')
    with pytest.raises(FileFormatError, match=r"p\.xml.*unknown encoding"):
        tpmkit.read(f)
    assert "p.xml" in _cli_error(capsys, ["schedule", str(f), "--json"])


@pytest.mark.parametrize("body", ['30,Proj\rX,a\r\n', '30,"' + "x" * 200_000 + '"\r\n'],
                         ids=["bare-cr", "long-field"])
def test_mpx_malformed_records(tmp_path, capsys, body):
    f = _write(tmp_path, "p.mpx", MPX_HEAD + body)
    with pytest.raises(FileFormatError, match=r"p\.mpx: malformed MPX record"):
        tpmkit.read(f)
    assert "malformed MPX record" in _cli_error(capsys, ["schedule", str(f), "--json"])


def test_csv_header_field_over_the_limit(tmp_path, capsys):
    f = _write(tmp_path, "p.csv", '"' + "x" * 200_000 + '",Summary\nA,B\n')
    with pytest.raises(FileFormatError, match=r"p\.csv: malformed CSV header"):
        tpmkit.read(f)
    err = _cli_error(capsys, ["schedule", str(f), "--json"])
    assert "131072" in err and len(err) < 300


def test_errors_are_tpmkit_errors():
    assert issubclass(FileFormatError, TpmkitError)


MSPDI_FAR = """<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project"><Name>P</Name>
<StartDate>2027-01-04T08:00:00</StartDate><CalendarUID>1</CalendarUID>
<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>
<Exceptions><Exception><TimePeriod><FromDate>9999-01-01T00:00:00</FromDate>
<ToDate>9999-01-02T23:59:00</ToDate></TimePeriod><DayWorking>0</DayWorking></Exception>
</Exceptions></Calendar></Calendars>
<Tasks><Task><UID>1</UID><ID>1</ID><Name>A</Name><Duration>PT16H0M0S</Duration></Task></Tasks>
</Project>
"""


def test_mspdi_calendar_exception_outside_supported_range(tmp_path, capsys):
    f = _write(tmp_path, "p.xml", MSPDI_FAR)
    with pytest.raises(FileFormatError, match=r"p\.xml: calendar 'Standard' exception: field TimePeriod/FromDate .*9999-01-01.*"
                       r"outside the supported range 1900-01-01 … 2200-12-31"):
        tpmkit.read(f)
    assert "p.xml" in _cli_error(capsys, ["schedule", str(f), "--json"])
