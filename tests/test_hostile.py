"""Hostile and mistyped inputs end in one-line TpmkitErrors (issue 21), never a traceback."""

from __future__ import annotations

import pandas as pd
import pytest

import tpmkit
from tests.conftest import data_path
from tpmkit.cli import main
from tpmkit.errors import FileFormatError, InputFileError, TpmkitError, ValidationError

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


# -- the remaining rows of issue 21 and the limits of tpmkit.io.limits ---------------------
def _xer_with(tmp_path, table: str, field: str, value: str, src: str = "PredecessorCalendar.xer"):
    """A copy of a real XER whose first ``table`` record has ``field`` set to ``value``."""
    lines = data_path("projectfiles", "mpxj", src).read_text(encoding="cp1252").split("\n")
    current, fields, done = None, [], False
    for k, line in enumerate(lines):
        cells = line.split("\t")
        if cells[0] == "%T":
            current = cells[1]
        elif cells[0] == "%F":
            fields = cells[1:]
        elif cells[0] == "%R" and current == table and not done:
            cells[fields.index(field) + 1] = value
            lines[k], done = "\t".join(cells), True
    assert done
    path = tmp_path / "p.xer"
    path.write_text("\n".join(lines), encoding="cp1252")
    return path


@pytest.mark.parametrize(("value", "message"), [
    ("1e308", r"p\.xer: duration above 36500 working days \(100 years\) for task\(s\) A1000"),
    ("nan", r"p\.xer: line \d+: table TASK, field target_drtn_hr_cnt: 'nan' is not a number"),
    ("inf", r"p\.xer: line \d+: table TASK, field target_drtn_hr_cnt: 'inf' is not a number"),
])
def test_xer_huge_or_non_finite_duration(tmp_path, capsys, value, message):
    f = _xer_with(tmp_path, "TASK", "target_drtn_hr_cnt", value)
    with pytest.raises(TpmkitError, match=message):
        tpmkit.read(f)
    assert "p.xer" in _cli_error(capsys, ["schedule", str(f), "--json"])


def test_xer_date_outside_supported_range(tmp_path):
    f = _xer_with(tmp_path, "PROJECT", "plan_start_date", "9999-01-01 08:00")
    with pytest.raises(FileFormatError, match=r"table PROJECT, field plan_start_date: '9999-01-01 "
                                              r"08:00' is not a date .*outside the supported range"):
        tpmkit.read(f)


def test_mspdi_year_10000(tmp_path, capsys):
    text = MSPDI_FAR.replace("9999-01-01", "2027-02-01").replace("9999-01-02", "2027-02-02")
    f = _write(tmp_path, "p.xml", text.replace("<StartDate>2027", "<StartDate>10000"))
    with pytest.raises(FileFormatError, match=r"p\.xml: project: field StartDate has the invalid "
                                              r"value '10000-01-04T08:00:00'"):
        tpmkit.read(f)
    f = _write(tmp_path, "q.xml", text.replace("<Duration>", "<ConstraintType>4</ConstraintType>"
                                               "<ConstraintDate>10000-01-01T08:00:00"
                                               "</ConstraintDate><Duration>"))
    assert "ConstraintDate" in _cli_error(capsys, ["schedule", str(f), "--json"])


def test_mpx_calendar_exception_outside_supported_range(tmp_path, capsys):
    text = data_path("projectfiles", "mpxj", "empty.mpx").read_bytes().decode("cp1252")
    text = text.replace("\n25,7", "\n25,7\n26,01/01/0001,31/12/9999,0", 1)
    f = tmp_path / "p.mpx"
    f.write_bytes(text.encode("cp1252"))
    with pytest.raises(FileFormatError, match=r"p\.mpx: line 13: field calendar exception to: "
                                              r"'31/12/9999' is outside the supported range"):
        tpmkit.read(f)
    assert "p.mpx" in _cli_error(capsys, ["schedule", str(f), "--json"])


@pytest.mark.timeout(60)  # a hang guard, not a speed target: the quadratic parse took 53 s
def test_gan_two_million_character_date(tmp_path, capsys):
    text = data_path("projectfiles", "ganttproject", "blyoa__task__task-with-dependencies.gan"
                     ).read_text(encoding="utf-8")
    f = _write(tmp_path, "p.gan", text.replace('start="2024-01-04"', 'start="' + "2" * 2_000_000 + '"', 1))
    with pytest.raises(FileFormatError, match=r"attribute start='2222.*' \(2,000,000 characters\) is "
                                              r"not a date \(expected YYYY-MM-DD; over 64 characters\)"):
        tpmkit.read(f)
    err = _cli_error(capsys, ["schedule", str(f), "--json"])
    assert "p.gan" in err and len(err) < 400


def test_xlsx_zip_bomb_refused_before_inflating(tmp_path, capsys):
    from tests.fuzz.xlsx import write_xlsx

    f = write_xlsx(tmp_path / "bomb.xlsx", [["id", "duration"], ["A", 3]], padding=64 * 2**20)
    assert f.stat().st_size < 2**20  # 64 MiB of sheet in well under 1 MiB of zip
    with pytest.raises(FileFormatError, match=r"bomb\.xlsx: part 'xl/worksheets/sheet1\.xml' inflates "
                                              r"[\d,]+ bytes to [\d,]+ \(more than 200×\), as a zip bomb"):
        tpmkit.read(f)
    assert "zip bomb" in _cli_error(capsys, ["schedule", str(f), "--json"])


def test_xlsx_inflated_size_limit(tmp_path, monkeypatch):
    from tests.fuzz.xlsx import write_xlsx

    f = write_xlsx(tmp_path / "p.xlsx", [["id", "duration"], ["A", 3], ["B", 2]])
    assert len(tpmkit.read(f).tasks) == 2
    monkeypatch.setenv("TPMKIT_MAX_XLSX_BYTES", "1000")
    with pytest.raises(InputFileError, match=r"p\.xlsx: the workbook inflates to [\d,]+ bytes in 5 "
                                             r"parts, above the limit of 1,000 bytes.*TPMKIT_MAX_XLSX_BYTES"):
        tpmkit.read(f)


def test_xlsx_million_rows_refused_from_the_dimension(tmp_path, capsys):
    from tests.fuzz.xlsx import write_xlsx

    # the sheet states 1,000,001 rows; only the stated dimension is read, not the rows
    f = write_xlsx(tmp_path / "big.xlsx", [["id", "duration"], ["A", 3]], dimension="A1:B1000001")
    with pytest.raises(InputFileError, match=r"big\.xlsx: sheet1 spans 1,000,001 rows, above the "
                                             r"limit of 100,000.*TPMKIT_MAX_ROWS"):
        tpmkit.read(f)
    assert "TPMKIT_MAX_ROWS" in _cli_error(capsys, ["schedule", str(f), "--json"])
    g = write_xlsx(tmp_path / "wide.xlsx", [["id", "duration"], ["A", 3]], dimension="A1:ZZZ2")
    with pytest.raises(InputFileError, match=r"wide\.xlsx: sheet1 spans 18,278 columns"):
        tpmkit.read(g)


@pytest.mark.parametrize("dimension", [None, "A1:B2"], ids=["no-dimension", "lying-dimension"])
def test_xlsx_rows_counted_without_a_truthful_dimension(tmp_path, monkeypatch, dimension):
    from tests.fuzz.xlsx import write_xlsx

    rows = [["id", "duration"]] + [[f"T{i}", 1] for i in range(60)]
    f = write_xlsx(tmp_path / "p.xlsx", rows, dimension=dimension)
    monkeypatch.setenv("TPMKIT_MAX_ROWS", "60")
    assert len(tpmkit.read(f).tasks) == 60  # exactly at the limit: read
    monkeypatch.setenv("TPMKIT_MAX_ROWS", "59")
    with pytest.raises(InputFileError, match=r"p\.xlsx: sheet1 holds more than 59 rows"):
        tpmkit.read(f)


def test_file_size_limit_is_configurable(tmp_path, capsys, monkeypatch):
    f = _write(tmp_path, "p.csv", "id,duration\nA,3\nB,2\n")
    monkeypatch.setenv("TPMKIT_MAX_FILE_BYTES", "10")
    with pytest.raises(InputFileError, match=r"p\.csv' is 20 bytes, above the import limit of 10 "
                                             r"bytes; set TPMKIT_MAX_FILE_BYTES"):
        tpmkit.read(f)
    assert "TPMKIT_MAX_FILE_BYTES" in _cli_error(capsys, ["schedule", str(f), "--json"])
    monkeypatch.setenv("TPMKIT_MAX_FILE_BYTES", "ten")
    with pytest.raises(InputFileError, match="TPMKIT_MAX_FILE_BYTES='ten' is not a number"):
        tpmkit.read(f)
    monkeypatch.delenv("TPMKIT_MAX_FILE_BYTES")
    assert len(tpmkit.read(f).tasks) == 2


def test_cell_limit_is_configurable(tmp_path, capsys, monkeypatch):
    f = _write(tmp_path, "p.csv", "id,name,duration\nA," + "x" * 200_000 + ",3\nB,b,2\n")
    with pytest.raises(FileFormatError, match=r"p\.csv: tasks row 1, column 'name': a value of "
                                              r"200,000 characters is above the field limit of 131,072"):
        tpmkit.read(f)
    err = _cli_error(capsys, ["schedule", str(f), "--json"])
    assert "TPMKIT_MAX_FIELD_CHARS" in err and len(err) < 400
    monkeypatch.setenv("TPMKIT_MAX_FIELD_CHARS", "300000")
    assert len(tpmkit.read(f).tasks) == 2


@pytest.mark.parametrize("command", [["risk", "-n", "20"], ["level"]])
def test_risk_and_level_past_the_supported_dates(tmp_path, capsys, command):
    f = _write(tmp_path, "p.yaml", "project: {start: 2024-01-01}\ntasks:\n"
                                   "  - {id: A, duration: 36000, resources: 'dev:1'}\n"
                                   "  - {id: B, duration: 36000, predecessors: A, resources: 'dev:1'}\n")
    err = _cli_error(capsys, [command[0], str(f), *command[1:], "--json"])
    assert "falls outside the supported range 1900-01-01 … 2200-12-31" in err
    g = _write(tmp_path, "q.yaml", "tasks:\n  - {id: A, duration: 3}\n")
    err = _cli_error(capsys, [command[0], str(g), *command[1:], "--start", "9999-12-25", "--json"])
    assert "project start 9999-12-25 is outside the supported range" in err


def test_quote_caps_a_value():
    from tpmkit.errors import quote

    assert quote("abc") == "'abc'"
    long = quote("x" * 1000)
    assert long.startswith("'" + "x" * 80 + "…'") and long.endswith("(1,000 characters)")


def test_dates_with_different_utc_offsets_in_one_column(tmp_path):
    f = _write(tmp_path, "p.csv", "id,duration,baseline_start\nA,1,2027-01-04T08:00:00+05:00\n"
                                  "B,2,2027-01-05T08:00:00-03:00\nC,1,2027-01-06\n")
    assert [d.date().isoformat() for d in tpmkit.read(f).tasks["baseline_start"]] == [
        "2027-01-04", "2027-01-05", "2027-01-06"]  # each cell's wall date


@pytest.mark.timeout(60)  # a hang guard: the expanded lists used to be walked in full
def test_yaml_alias_bomb(tmp_path, capsys):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    f = _write(tmp_path, "p.yaml", "\n".join(lines) + "\ntasks:\n  - {id: A, duration: 1, name: *a8}\n")
    with pytest.raises(FileFormatError, match=r"p\.yaml: the file expands to [\d,]+ values through "
                                              r"YAML aliases \(more than 5,000,000"):
        tpmkit.read(f)
    assert "alias bomb" in _cli_error(capsys, ["schedule", str(f), "--json"])
    with pytest.raises(FileFormatError, match="alias bomb"):
        tpmkit.io.read_table(f, sheet="tasks")
    # a few aliases are fine
    g = _write(tmp_path, "q.yaml", "d: &d 3\ntasks:\n  - {id: A, duration: *d}\n  - {id: B, duration: *d}\n")
    assert tpmkit.read(g).tasks["duration"].tolist() == [3.0, 3.0]


def test_gan_holiday_year_out_of_range(tmp_path):
    text = data_path("projectfiles", "ganttproject", "blyoa__task__task-with-dependencies.gan"
                     ).read_text(encoding="utf-8")
    cal = '<calendars><date year="99999999999999999999" month="1" date="3"/></calendars>'
    f = _write(tmp_path, "p.gan", text.replace("</project>", cal + "</project>", 1))
    with pytest.raises(FileFormatError, match=r"p\.gan: calendar holiday '99999999999999999999-1-3' "
                                              r"is outside the supported range"):
        tpmkit.read(f)


@pytest.mark.parametrize("duration", ["99999999999999999999d", "1e20h", "36501d", "-5d"])
def test_mpx_out_of_range_duration(tmp_path, capsys, duration):
    """Issue 21 row "MPX with an out-of-range duration" (was OutOfBoundsTimedelta): a real MS
    Project 98 MPX file whose first task's duration is huge or negative is one clean error."""
    src = data_path("projectfiles", "mpxj",
                    "generated__task-durations__task-durations-project98.mpx")
    raw = src.read_bytes()
    assert b",Duration1,1d," in raw
    f = tmp_path / "p.mpx"
    f.write_bytes(raw.replace(b",Duration1,1d,", b",Duration1," + duration.encode() + b",", 1))
    with pytest.raises(TpmkitError, match=r"p\.mpx"):
        tpmkit.schedule(tpmkit.read(f))
    assert "p.mpx" in _cli_error(capsys, ["schedule", str(f), "--json"])


def test_a_wide_merge_cell_longer_than_the_field_limit_is_read(tmp_path):
    """A milestone closing 30,000 tasks (a 200,000-character predecessors cell) is a plan, not
    an attack: the cell may be as long as a list linking every task once; longer is refused."""
    n = 30_000
    ids = [f"T{k}" for k in range(n)]
    rows = [f"{i},1," for i in ids] + ["M,0," + ";".join(ids)]
    f = _write(tmp_path, "merge.csv", "id,duration,predecessors\n" + "\n".join(rows) + "\n")
    assert len(rows[-1]) > 131_072
    p = tpmkit.read(f)
    assert len(p.links) == n
    assert tpmkit.schedule(p).duration == 1
    g = _write(tmp_path, "bad.csv", "id,duration,predecessors\nA,1,\nB,1," + "A;" * 100_000 + "\n")
    with pytest.raises(FileFormatError, match=r"bad\.csv: tasks row 2, column 'predecessors': a "
                                              r"value of 200,000 characters is above the field"):
        tpmkit.read(g)
    h = _write(tmp_path, "worse.csv", "id,duration,predecessors\n" + "\n".join(rows[:-1])
               + "\nM,0," + "T1;" * 300_000 + "\n")
    with pytest.raises(FileFormatError, match="longer than a list linking every task"):
        tpmkit.read(h)
