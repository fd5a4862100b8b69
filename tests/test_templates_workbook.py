"""The XLSX workbook of templates is what templates/make_workbook.py builds from the CSVs,
and every sheet of the quality, change and closure artefacts loads through its validator."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tpmkit import closure, quality
from tpmkit.scope.effects import change_effects

ROOT = Path(__file__).resolve().parents[1]
XLSX = ROOT / "templates" / "tpmkit_templates.xlsx"


def _module():
    spec = importlib.util.spec_from_file_location("make_workbook",
                                                  ROOT / "templates" / "make_workbook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_workbook_sheets_match_the_csv_templates():
    module = _module()
    sheets = pd.read_excel(XLSX, sheet_name=None)
    expected = [s for s, csv in module.SHEETS.items() if (ROOT / "templates" / csv).is_file()]
    assert list(sheets) == expected
    for sheet, frame in sheets.items():
        csv = pd.read_csv(ROOT / "templates" / module.SHEETS[sheet], nrows=0)
        assert list(frame.columns) == list(csv.columns), sheet


def test_rebuilt_workbook_has_the_same_content(tmp_path):
    module = _module()
    for f in (ROOT / "templates").glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "decisions.csv").unlink()  # a missing template is skipped and reported
    out, skipped = module.build(tmp_path)
    assert skipped == ["decisions"] and "decisions" not in pd.read_excel(out, sheet_name=None)
    shutil.copy(ROOT / "templates" / "decisions.csv", tmp_path / "decisions.csv")
    out, skipped = module.build(tmp_path)
    assert skipped == []
    from openpyxl import load_workbook

    a, b = load_workbook(XLSX), load_workbook(out)
    for ws in a:
        other = b[ws.title]
        assert [c.value for c in ws[1]] == [c.value for c in other[1]]
        assert [c.number_format for c in ws[2]] == [c.number_format for c in other[2]]
        assert ws.freeze_panes == other.freeze_panes == "A2"


@pytest.mark.parametrize(("sheet", "validate"), [
    ("defects", quality.defect_log), ("test_runs", quality.execution_log),
    ("gates", quality.gate_checklist), ("change_effects", change_effects),
    ("lessons_learned", closure.lessons_learned), ("acceptance", closure.acceptance_checklist)])
def test_sheets_load_through_their_validators(sheet, validate):
    assert len(validate(pd.read_excel(XLSX, sheet_name=sheet))) == 0
