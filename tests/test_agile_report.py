"""The report's agile section (tpmkit.report.agile_section) and its notebook cell."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import pandas as pd
import pytest

from tpmkit import agile
from tpmkit.errors import InputFileError, ValidationError
from tpmkit.report.agile_section import build_agile_section, items_source

matplotlib.use("Agg")

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "status_report.ipynb"
ROWS = [{"id": "A", "type": "story", "created": "2027-01-04", "started": "2027-01-04",
         "done": "2027-01-06"},
        {"id": "B", "type": "bug", "created": "2027-01-04", "started": "2027-01-05",
         "done": "2027-01-05"},
        {"id": "C", "type": "story", "created": "2027-01-05", "started": "2027-01-06"},
        {"id": "D", "type": "story", "created": "2027-01-06"}]


def test_no_items_no_section():
    assert build_agile_section("sample:software_release") is None
    assert items_source("sample:software_release") is None


def test_section_from_the_sample_board_matches_the_metrics():
    s = build_agile_section("sample:software_release", "sample:agile_board", trials=500,
                            deadline="2026-08-31", seed=3)
    b = s.board
    ref = agile.cycle_time_percentiles(b)
    assert s.figures.loc["cycle_time_p85", "value"] == ref.loc["all", "p85"]
    assert s.figures.loc["wip", "value"] == agile.wip(b).iloc[-1]
    assert s.open_items == int((b.table["category"] != "Done").sum())
    assert s.when.table.equals(agile.when(b, s.open_items, rng=3, trials=500).table)
    assert s.how_many.target == pd.Timestamp("2026-08-31")
    assert s.velocity is not None and len(s.aging) <= 10
    assert s.aging["age"].is_monotonic_decreasing


def test_items_held_by_the_project_file_yaml_and_xlsx(tmp_path):
    y = tmp_path / "project.yaml"
    y.write_text("project: {name: P, start: 2027-01-04}\n"
                 "tasks:\n  - {id: T1, duration: 3}\n"
                 "items:\n" + "".join(
                     f"  - {{id: {r['id']}, type: {r['type']}, created: {r['created']}"
                     + (f", started: {r['started']}" if "started" in r else "")
                     + (f", done: {r['done']}" if "done" in r else "") + "}\n" for r in ROWS),
                 encoding="utf-8")
    s = build_agile_section(y, trials=200, status_date="2027-01-08")
    assert s.source == "project.yaml (items)"
    assert s.figures.loc[["done", "in_progress", "to_do"], "value"].tolist() == [2, 1, 1]
    assert s.figures.loc["wip", "value"] == 1  # C, 01-06 … 01-08
    x = tmp_path / "project.xlsx"
    with pd.ExcelWriter(x) as w:
        pd.DataFrame({"id": ["T1"], "duration": [3]}).to_excel(w, sheet_name="tasks", index=False)
        pd.DataFrame(ROWS).to_excel(w, sheet_name="Items", index=False)
    s2 = build_agile_section(x, trials=200, status_date="2027-01-08")
    assert s2.cycle_time.loc["all", "p50"] == s.cycle_time.loc["all", "p50"] == 1
    pd.DataFrame({"id": ["T1"], "duration": [3]}).to_excel(tmp_path / "plain.xlsx", index=False)
    assert build_agile_section(tmp_path / "plain.xlsx") is None


def test_bad_items_give_the_usual_errors(tmp_path):
    with pytest.raises(InputFileError, match="holds no work items"):
        build_agile_section("sample:software_release", "sample:software_release")
    p = tmp_path / "items.csv"
    pd.DataFrame([{**ROWS[0], "done": "2027-01-01"}]).to_csv(p, index=False)
    with pytest.raises(ValidationError, match="done before started for item.*A"):
        build_agile_section("sample:software_release", p)


def test_report_items_flag_missing_file_exits_2(capsys, tmp_path):
    from tpmkit.cli import main

    assert main(["report", "sample:software_release", "--items", str(tmp_path / "no.csv"),
                 "-o", str(tmp_path / "r.html")]) == 2
    assert "work items file not found" in capsys.readouterr().err


def test_notebook_agile_cell_runs_on_its_section():
    """The report notebook's agile cell (executed with stand-ins for the report helpers)
    shows the heading, the tables and the four charts of the sample board."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c.get("id") == "agile-section")
    import html

    import matplotlib.pyplot as plt

    import tpmkit.plot as tplot
    from tpmkit.report import day, html_table, kpi_cards

    shown, figures = [], []

    def figure(ax, alt):
        figures.append(alt)
        plt.close(ax.figure)

    env = {"html": html, "tplot": tplot, "day": day, "html_table": html_table,
           "kpi_cards": kpi_cards, "show": shown.append, "figure": figure,
           "project_file": "sample:software_release", "items_file": "sample:agile_board",
           "status_date": None, "seed": 1, "data": SimpleNamespace(deadline=None)}
    exec("".join(cell["source"]), env)
    assert shown[0].startswith('<h2 id="agile-delivery">')
    assert len(figures) == 4 and any("When will the" in s for s in shown)
    env.update(items_file="")
    shown.clear()
    exec("".join(cell["source"]), env)
    assert shown == []  # no work items: no section
