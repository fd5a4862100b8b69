"""``tpmkit convert IN OUT``: any supported input to CSV, XLSX, YAML, JSON or MSPDI."""

from __future__ import annotations

import json
import warnings

import pytest

import tpmkit
from tests.conftest import data_path
from tpmkit.cli import main
from tpmkit.io import TpmkitWarning


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".yaml", ".json", ".xml"])
def test_convert_xer_to_every_output_format(tmp_path, capsys, suffix):
    src = data_path("projectfiles", "mpxj", "generated__task-percentcomplete__percent-complete-8.4.xer")
    out = tmp_path / f"plan{suffix}"
    assert main(["convert", str(src), str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tasks"] == 12 and report["output"] == str(out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        again = tpmkit.read(out, start="2015-02-24") if suffix == ".csv" else tpmkit.read(out)
    assert list(again.tasks.index) == [f"A{1000 + 10 * k}" for k in range(12)]
    assert again.tasks["percent_complete"].tolist() == [0, 25, 75, 100] * 3


def test_convert_gan_to_mspdi_keeps_schedule(tmp_path, capsys):
    src = data_path("projectfiles", "ganttproject", "HouseBuildingSample.gan")
    out = tmp_path / "house.xml"
    assert main(["convert", str(src), str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"wrote {out} (MS Project XML): 16 tasks")
    assert "warning: " in captured.err and "summary tasks" in captured.err
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        a, b = tpmkit.schedule(tpmkit.read(src)).table, tpmkit.schedule(tpmkit.read(out)).table
    assert (a["early_finish_date"] == b["early_finish_date"]).all()


def test_strict_refuses_lossy_import(tmp_path, capsys):
    src = data_path("projectfiles", "mpxj", "generated__task-links__task-links-project2019-mspdi.xml")
    out = tmp_path / "x.yaml"
    assert main(["convert", str(src), str(out), "--strict"]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "manually scheduled" in err and "--strict" in err
    assert not out.exists()


def test_bad_output_suffix_and_input_overwrite(tmp_path, capsys):
    src = tmp_path / "plan.yaml"
    src.write_text("tasks:\n  - {id: A, duration: 2}\n")
    assert main(["convert", str(src), str(tmp_path / "plan.docx")]) == 2
    assert "choose one of: .csv" in capsys.readouterr().err
    assert main(["convert", str(src), str(src)]) == 2
    assert "refusing to overwrite the input file" in capsys.readouterr().err
    assert main(["convert", str(tmp_path / "missing.xer"), str(tmp_path / "o.csv")]) == 2
    assert "missing.xer" in capsys.readouterr().err


def test_other_commands_accept_interop_formats(capsys):
    src = data_path("projectfiles", "mpxj", "mspdirelations.xml")
    assert main(["schedule", str(src), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["project"]["duration"] == 3


def test_lossy_export_warns_and_strict_refuses(tmp_path, capsys):
    src = tmp_path / "plan.yaml"
    src.write_text("project: {start: 2027-01-04}\ntasks:\n"
                   "  - {id: A, optimistic: 2, most_likely: 3, pessimistic: 7}\n"
                   "  - {id: B, duration: 2, predecessors: A}\n")
    out = tmp_path / "plan.xml"
    assert main(["convert", str(src), str(out), "--strict"]) == 2
    assert "MS Project XML cannot hold the three-point estimates" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob(".plan.xml*"))
    assert main(["convert", str(src), str(out)]) == 0
    assert "warning: plan.xml: MS Project XML cannot hold the three-point estimates" in \
        capsys.readouterr().err
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)
        assert tpmkit.schedule(tpmkit.read(out)).table["early_finish"].tolist() == pytest.approx(
            [3.5, 5.5], abs=1 / 28800)  # the PERT mean (2 + 4*3 + 7) / 6 is kept
