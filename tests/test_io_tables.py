"""CSV, Excel, YAML and JSON: reading, writing and round trips."""

from __future__ import annotations

import pandas as pd
import pytest

import tpmkit
from tpmkit.errors import FileFormatError, InputFileError, OptionError


@pytest.fixture
def sample():
    return tpmkit.datasets.load("software_release")


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".xlsx"])
def test_round_trip_full_project(sample, tmp_path, suffix):
    path = tmp_path / f"p{suffix}"
    tpmkit.io.write(sample, path)
    again = tpmkit.read(path)
    if suffix == ".xlsx":
        # a cell holds no list: three-point impacts come back as "3, 6, 12", which the
        # register reads as the same three points
        from tpmkit.risk.register import normalize_register

        pd.testing.assert_frame_equal(normalize_register(again.risks), normalize_register(sample.risks))
        again = again.replace(risks=sample.risks)
    assert again == sample
    pd.testing.assert_frame_equal(tpmkit.schedule(again).table, tpmkit.schedule(sample).table)


def test_round_trip_csv_keeps_the_task_table(sample, tmp_path):
    path = tmp_path / "tasks.csv"
    with pytest.warns(tpmkit.io.TpmkitWarning, match="CSV task table cannot hold the project name, "
                      "project start, deadline, currency, holidays"):
        tpmkit.io.write(sample, path)
    again = tpmkit.read(path, **{k: v for k, v in sample.settings_dict().items()
                                 if k in ("name", "start", "calendar", "deadline", "currency")})
    pd.testing.assert_frame_equal(again.tasks, sample.tasks)
    pd.testing.assert_frame_equal(again.links, sample.links)


def test_round_trip_three_point_only_tasks(tmp_path):
    t = pd.DataFrame({"id": ["A", "B"], "optimistic": [1, 2], "most_likely": [2, 3],
                      "pessimistic": [6, 7], "predecessors": ["", "A SS+1"]})
    p = tpmkit.read(t, start="2027-01-04")
    tpmkit.io.write(p, tmp_path / "p.yaml")
    assert tpmkit.read(tmp_path / "p.yaml") == p
    import yaml

    rows = yaml.safe_load((tmp_path / "p.yaml").read_text())["tasks"]
    assert all("duration" not in r for r in rows)      # derived, not written back


def test_csv_separator_and_bom_and_numeric_ids(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_bytes("\ufeffid;duration;predecessors\n1;2;\n2;3;1SS+1d\n".encode())
    s = tpmkit.schedule(tpmkit.read(path)).table
    assert s.loc["2", "early_start"] == 1


def test_excel_project_sheet_settings(tmp_path):
    path = tmp_path / "p.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame({"id": ["A"], "duration": [2]}).to_excel(xw, sheet_name="tasks", index=False)
        pd.DataFrame({"key": ["name", "start", "holidays"],
                      "value": ["Demo", "2027-01-04", "2027-01-05"]}).to_excel(
            xw, sheet_name="project", index=False)
    p = tpmkit.read(path)
    assert p.name == "Demo"
    assert tpmkit.schedule(p).table.loc["A", "early_finish_date"] == pd.Timestamp("2027-01-06")


def test_settings_override_the_file(sample, tmp_path):
    tpmkit.io.write(sample, tmp_path / "p.yaml")
    assert tpmkit.read(tmp_path / "p.yaml", start="2027-02-01").start == pd.Timestamp("2027-02-01")


def test_unreadable_and_unknown_files(tmp_path):
    with pytest.raises(InputFileError, match="file not found"):
        tpmkit.read(tmp_path / "missing.csv")
    (tmp_path / "x.docx").write_text("x")
    with pytest.raises(InputFileError, match="unknown file type '.docx'"):
        tpmkit.read(tmp_path / "x.docx")
    (tmp_path / "bad.yaml").write_text("tasks: [a, b\n")
    with pytest.raises(FileFormatError, match=r"bad.yaml: invalid YAML at line"):
        tpmkit.read(tmp_path / "bad.yaml")
    (tmp_path / "bad.json").write_text('{"tasks": [}')
    with pytest.raises(FileFormatError, match=r"invalid JSON at line 1, column 12"):
        tpmkit.read(tmp_path / "bad.json")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputFileError, match="empty.csv is empty"):
        tpmkit.read(tmp_path / "empty.csv")
    (tmp_path / "bad.xlsx").write_text("not a zip")
    with pytest.raises(FileFormatError, match="not a readable Excel workbook"):
        tpmkit.read(tmp_path / "bad.xlsx")


def test_validation_errors_name_the_file(tmp_path):
    (tmp_path / "p.csv").write_text("id,duration\nA,1\nA,2\n")
    with pytest.raises(tpmkit.ValidationError, match=r"p.csv: duplicate task id\(s\) A"):
        tpmkit.read(tmp_path / "p.csv")


def test_never_overwrites_the_input(sample, tmp_path):
    path = tmp_path / "p.yaml"
    tpmkit.io.write(sample, path)
    p = tpmkit.read(path)
    before = path.read_bytes()
    with pytest.raises(InputFileError, match="refusing to overwrite the input file"):
        tpmkit.io.write(p, path)
    assert path.read_bytes() == before
    with pytest.raises(OptionError, match="cannot write '.pdf'"):
        tpmkit.io.write(p, tmp_path / "p.pdf")


def test_wbs_dictionary_part_names_summaries(tmp_path):
    p = tpmkit.datasets.load("software_release")
    assert p.wbs.set_index("wbs").loc["4.2", "name"] == "Backend"
    table = pd.DataFrame({"id": ["A"], "duration": [1], "wbs": ["1.10.1"]})
    q = tpmkit.read({"tasks": table, "wbs": pd.DataFrame({"wbs": [1.10], "name": ["x"]})})
    assert q.wbs["wbs"].tolist() == ["1.1"]            # a float code loses its zero: read as text
    (tmp_path / "w.yaml").write_text("tasks: [{id: A, duration: 1, wbs: '1.10'}]\n"
                                     "wbs: [{wbs: '1.10', name: Ten}]\n")
    assert tpmkit.read(tmp_path / "w.yaml").wbs["wbs"].tolist() == ["1.10"]
    with pytest.raises(tpmkit.ValidationError, match="'wbs' table needs a 'wbs' column"):
        tpmkit.read({"tasks": table, "wbs": pd.DataFrame({"code": ["1"]})})


def test_datasets_catalog():
    cat = tpmkit.datasets.list()
    assert cat["software_release"]["kind"] == "project"
    with pytest.raises(InputFileError, match="unknown dataset 'nope'"):
        tpmkit.datasets.load("nope")
    p = tpmkit.datasets.load("software_release")
    assert 35 <= len(p.tasks) <= 45
    assert set(p.links["type"]) >= {"FS", "SS", "FF"}
    assert p.tasks["baseline_start"].notna().all()


@pytest.mark.parametrize("name", sorted(tpmkit.datasets.list()))
def test_every_dataset_loads(name):
    assert tpmkit.datasets.load(name) is not None
    assert tpmkit.datasets.path(name).exists()
