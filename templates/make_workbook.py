"""Build ``templates/tpmkit_templates.xlsx`` from the CSV templates beside this script.

Run ``python templates/make_workbook.py`` from a checkout after adding or changing a CSV
template. One sheet per template, in the order of ``SHEETS`` (a template that is not there,
e.g. a log added by another part of the toolkit later, is skipped and reported); each sheet
holds the header row (frozen) and 500 empty rows whose id and code columns are formatted as
text, so Excel keeps ``1.10`` or ``007`` as typed. Column widths fit the header.

The sheet names are the artefact names :func:`tpmkit.artefacts.read_artefact` and the
quality/closure readers use (``defects`` for ``quality_defects.csv``, …).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
OUT = "tpmkit_templates.xlsx"
ROWS = 500
#: sheet name -> CSV template
SHEETS = {
    "wbs": "wbs.csv", "requirements": "requirements.csv", "stakeholders": "stakeholders.csv",
    "raci": "raci.csv", "risks": "risks.csv", "changes": "changes.csv",
    "estimation_rounds": "estimation_rounds.csv", "throughput_history": "throughput_history.csv",
    "estimates_vs_actuals": "estimates_vs_actuals.csv",
    "defects": "quality_defects.csv", "test_runs": "quality_test_runs.csv",
    "gates": "quality_gates.csv", "change_effects": "change_effects.csv",
    "baselines": "baselines.csv", "lessons_learned": "lessons_learned.csv",
    "acceptance": "acceptance.csv", "risk_outcomes": "risk_outcomes.csv",
    "issues": "issues.csv", "actions": "actions.csv", "decisions": "decisions.csv",
}
# columns typed as text per sheet (ids, codes, lists of ids, three-point lists)
_TEXT_ALWAYS = {"id", "wbs", "task", "tasks", "change", "risk", "milestone", "gate",
                "predecessors", "linked_tasks", "linked_risks"}
_TEXT = {"estimation_rounds": {"item", "estimator"}, "estimates_vs_actuals": {"category"},
         "risks": {"impact_days", "impact_percent", "impact_cost", "post_impact_days",
                   "post_impact_percent", "post_impact_cost"}}
# earlier workbooks formatted these as numbers: kept so the rebuilt sheets are unchanged
_NOT_TEXT = {"throughput_history": {"period"}, "requirements": {"risk"}}


def build(folder: Path = HERE) -> tuple[Path, list[str]]:
    """Write the workbook; return its path and the sheets skipped (template missing)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    skipped = []
    for sheet, csv in SHEETS.items():
        path = folder / csv
        if not path.is_file():
            skipped.append(sheet)
            continue
        columns = list(pd.read_csv(path, nrows=0).columns)
        ws = wb.create_sheet(sheet)
        ws.append(columns)
        ws.freeze_panes = "A2"
        text = (_TEXT_ALWAYS | _TEXT.get(sheet, set())) - _NOT_TEXT.get(sheet, set())
        for j, col in enumerate(columns, start=1):
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = max(12, len(col) + 2)
            if col in text:
                for i in range(2, ROWS + 1):
                    ws.cell(i, j).number_format = "@"
    out = folder / OUT
    wb.save(out)
    return out, skipped


def main() -> None:
    out, skipped = build()
    print(f"wrote {out}" + (f"; skipped (no template): {', '.join(skipped)}" if skipped else ""),
          file=sys.stderr)


if __name__ == "__main__":
    main()
