"""Tests for tpmkit.closure (lessons, acceptance, final performance, risk outcomes), the
report sections built from a file's records, and the closure report (data and render)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tpmkit
from tpmkit import closure
from tpmkit.errors import ValidationError
from tpmkit.report import rag
from tpmkit.report.closure import build_closure_data
from tpmkit.report.quality_section import file_records, open_records, quality_section

ROOT = Path(__file__).resolve().parents[1]


def finished():
    """Two work packages under WBS 1 and a milestone under 2, finished late and over budget.

    A: baseline Mon 4 – Wed 6 Jan, 1000; actual finish Fri 8 (+2 wd), 1300.
    B: baseline Thu 7 – Fri 8, 500; actual finish Mon 11 (+1 wd, over a weekend), 450.
    M: milestone, baseline Fri 8; reached Tue 12 (+2 wd).
    WBS 1: finish Fri 8 → Mon 11 = +1 wd; budget 1500, actual 1750, CV −250.
    """
    return tpmkit.read(pd.DataFrame({
        "id": ["A", "B", "M"], "name": ["Build", "Test", "Done"], "wbs": ["1.1", "1.2", "2"],
        "duration": [3, 2, 0], "predecessors": ["", "A", "B"],
        "baseline_start": ["2027-01-04", "2027-01-07", "2027-01-08"],
        "baseline_finish": ["2027-01-06", "2027-01-08", "2027-01-08"],
        "baseline_cost": [1000, 500, 0], "percent_complete": [100, 100, 100],
        "actual_start": ["2027-01-04", "2027-01-08", "2027-01-12"],
        "actual_finish": ["2027-01-08", "2027-01-11", "2027-01-12"],
        "actual_cost": [1300, 450, 0]}), start="2027-01-04", status_date="2027-01-15")


# --------------------------------------------------------------------------- registers
def test_lessons_register_and_summary():
    ll = closure.lessons_learned(tpmkit.datasets.load("software_release_lessons"))
    assert len(ll) == 8 and set(ll["type"]) == {"negative", "positive"}
    s = closure.lessons_summary(ll)
    assert s["total"].sum() == 8 and list(s.columns) == ["negative", "positive", "total"]


@pytest.mark.parametrize(("rows", "match"), [
    ([{"id": "L1", "category": "", "what_happened": "x", "recommendation": "y"}],
     r"'category' is blank for L1"),
    ([{"id": "L1", "category": "c", "what_happened": "x", "recommendation": "y",
       "type": "meh"}], r"unknown type for L1; use one of negative, positive"),
    ([{"id": "L1", "category": "c", "what_happened": "x"}], r"lacks column\(s\) recommendation"),
    ([{"id": "L1", "category": "c", "what_happened": "x", "recommendation": "y",
       "date": "someday"}], r"'date' is not a date for L1"),
])
def test_lessons_errors(rows, match):
    with pytest.raises(ValidationError, match=match):
        closure.lessons_learned(rows)


def test_acceptance_status_and_errors():
    acc = closure.acceptance_checklist(tpmkit.datasets.load("software_release_acceptance"))
    st = closure.acceptance_status(acc)
    assert st["ready"] and st["counts"]["conditional"] == 1 and st["conditions"][0].startswith("A03")
    with pytest.raises(ValidationError, match="A1 are accepted but nobody signed"):
        closure.acceptance_checklist([{"id": "A1", "deliverable": "X", "status": "accepted"}])
    with pytest.raises(ValidationError, match="A2 are conditional or rejected without a reason"):
        closure.acceptance_checklist([{"id": "A2", "deliverable": "X", "status": "rejected"}])
    with pytest.raises(ValidationError, match="unknown status for A3"):
        closure.acceptance_checklist([{"id": "A3", "deliverable": "X", "status": "ok"}])


def test_risk_outcomes_and_errors():
    reg = tpmkit.datasets.load("software_release").risks
    out = closure.risk_outcomes(reg, tpmkit.datasets.load("software_release_risk_outcomes"))
    assert out.index[out["occurred"]].tolist() == ["R1", "R3", "R4"]
    assert out.loc["R1", "actual_delay_days"] == 12 and np.isnan(out.loc["R2", "actual_cost"])
    with pytest.raises(ValidationError, match="R9 are not in the risk register"):
        closure.risk_outcomes(reg, {"R9": "yes"})
    with pytest.raises(ValidationError, match="'occurred' is not yes/no for R1"):
        closure.risk_outcomes(reg, {"R1": "maybe"})


# --------------------------------------------------------------------------- performance
def test_final_performance_hand_checked():
    fp = closure.final_performance(finished())
    w = fp.wbs
    assert w.loc["1.1", ["schedule_variance_days", "cost_variance"]].tolist() == [2.0, -300.0]
    assert w.loc["1.2", ["schedule_variance_days", "cost_variance"]].tolist() == [1.0, 50.0]
    assert w.loc["1", ["schedule_variance_days", "budget", "actual_cost", "cost_variance"]
                 ].tolist() == [1.0, 1500.0, 1750.0, -250.0]
    assert w.loc["1", "level"] == 1 and w.loc["1.1", "level"] == 2
    assert w.loc["1", "cost_variance_percent"] == pytest.approx(-250 / 1500 * 100)
    m = fp.milestones.loc["M"]
    assert (m["slip_days"], m["status"]) == (2.0, "late")
    t = fp.totals
    assert (t["schedule_variance_days"], t["cost_variance"]) == (2.0, -250.0)
    # EVM at completion: EV = BAC = 1500, AC = 1750, CPI = 1500/1750
    assert fp.evm["cpi"] == pytest.approx(1500 / 1750)
    assert "Final performance" in fp._repr_html_()


def test_final_performance_errors():
    p = finished()
    with pytest.raises(ValidationError, match="no baseline 'baseline_1'"):
        closure.final_performance(p, baseline="baseline_1")
    nowbs = p.replace(tasks=p.to_table().assign(wbs=["1.1", "", "2"]))
    with pytest.raises(ValidationError, match="B have no WBS code"):
        closure.final_performance(nowbs)


def test_closure_sample_totals_tie_out():
    p = tpmkit.datasets.load("software_release_closure")
    rec = file_records(p)
    c = closure.closure_summary(p, lessons=rec["lessons"], acceptance=rec["acceptance"],
                                outcomes=rec["risk_outcomes"])
    assert c.ready and c.reasons == ()
    t = c.performance.totals
    assert t["actual_cost"] == pytest.approx(p.tasks["actual_cost"].sum())
    assert t["budget"] == pytest.approx(p.bac)
    assert t["risks_occurred"] == 3 and t["risks_expected"] == pytest.approx(0.35 + 0.15 + 0.4
                                                                             + 0.5 + 0.25)
    assert c.performance.evm["percent_complete"] == pytest.approx(100.0)
    # level-1 rows add up to the project
    top = c.performance.wbs[c.performance.wbs["level"] == 1]
    assert top["actual_cost"].sum() == pytest.approx(t["actual_cost"])


@pytest.mark.parametrize("name", ["lessons_learned", "acceptance", "risk_outcomes"])
def test_closure_templates_load(name):
    table = tpmkit.io.read_table(ROOT / "templates" / f"{name}.csv")
    if name == "risk_outcomes":
        assert list(table.columns)[:2] == ["risk", "occurred"]
        return
    fn = closure.lessons_learned if name == "lessons_learned" else closure.acceptance_checklist
    assert len(fn(table)) == 0


# --------------------------------------------------------------------------- report sections
def test_gate_milestone_rag_worst_gate_wins():
    g = pd.DataFrame({"milestone": ["M1; M2", "M1", ""], "status": ["pass", "fail", "pass"],
                      "rag": ["green", "red", "green"]}, index=["G1", "G2", "G3"])
    out = rag.gate_milestone_rag(g)
    assert out.to_dict("index") == {"M1": {"gates": "G1, G2", "status": "fail", "rag": "red"},
                                    "M2": {"gates": "G1", "status": "pass", "rag": "green"}}


def test_quality_section_as_of_the_status_date():
    p = tpmkit.datasets.load("software_release_closure")
    defects = tpmkit.datasets.load("software_release_defects")
    q = quality_section(p, "2027-04-30")
    found = pd.to_datetime(defects["found"])
    closed = pd.to_datetime(defects["closed"])
    at = pd.Timestamp("2027-04-30")
    assert q.defects.summary["total"] == (found <= at).sum()
    assert q.defects.summary["open"] == ((found <= at) & ~(closed <= at)).sum()
    assert q.test_progress.index.max() <= at
    assert set(q.milestone_gates.index) == {"RQ4", "DS6", "DV11", "RL4", "RL5", "CL2"}
    assert q.issues is None and quality_section(tpmkit.datasets.load("software_release")) is None


def test_open_records_and_failing_gate_in_file():
    assert open_records(pd.DataFrame({"id": ["D1", "D2"], "status": ["pending", "made"]}))[
        "id"].tolist() == ["D1"]
    p = tpmkit.datasets.load("software_release_closure")
    extra = dict(p.settings["extra"])
    extra["gates"] = [{"id": "X1", "gate": "Go-live", "milestone": "RL5", "status": "fail",
                       "reason": "load test failed"}]
    extra["issues"] = [{"id": "I1", "title": "VPN flaky", "status": "open"},
                       {"id": "I2", "title": "old", "status": "closed"}]
    q = quality_section(p.replace(extra=extra))
    assert q.milestone_gates.loc["RL5", "rag"] == "red"
    assert q.issues["id"].tolist() == ["I1"]


# --------------------------------------------------------------------------- closure report
def test_closure_report_data():
    d = build_closure_data("sample:software_release_closure", generated="2027-08-01")
    assert d.overall == "green" and d.baseline_pair == ("baseline", "baseline_1")
    tb = d.title_block()
    assert tb["title"] == "Project closure report" and tb["overall"] == "green"
    assert d.changes.loc["CR03", "status"] == "proposed"
    assert d.actual_vs_baseline.loc["CL2", "finish_slip"] == 38.0
    assert d.reproduce == "tpmkit report sample:software_release_closure --kind closure " \
                          "--status-date 2027-07-30"
    early = build_closure_data("sample:software_release_closure", "2027-04-30")
    assert early.overall == "red" and "unfinished tasks" in early.closure.reasons[0]
    with pytest.raises(ValidationError, match="iterations must be a positive"):
        build_closure_data("sample:software_release_closure", iterations=0)


@pytest.mark.slow
def test_cli_closure_report_writes_offline_html(tmp_path):
    out = tmp_path / "closure.html"
    res = subprocess.run([sys.executable, "-m", "tpmkit", "report", "sample:software_release_closure",
                          "--kind", "closure", "-o", str(out), "--json"],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    meta = json.loads(res.stdout)
    assert meta["overall"] == "green" and Path(meta["output"]) == out
    page = out.read_text(encoding="utf-8")
    for heading in ("Final performance by WBS", "Milestones: planned vs actual", "Lessons learned",
                    "Acceptance", "Risks: register vs what happened", "Baselines"):
        assert heading in page
    from tpmkit.report import chart_problems, offline_problems

    assert offline_problems(page) == [] and chart_problems(page) == []
    assert page.count("<img") >= 3
    # the title block names the kind of report; columns carry their units
    assert '<div class="kicker">Project closure report</div>' in page
    assert "· closure report</title>" in page and "Project status report" not in page
    assert "schedule variance [d]" in page and "cost variance [%]" in page
    bad = subprocess.run([sys.executable, "-m", "tpmkit", "report", "x.yaml", "--kind", "final"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "closure" in bad.stderr


def test_make_closure_is_reproducible(tmp_path, monkeypatch):
    """The committed closure samples are what datasets/make_closure.py writes."""
    import importlib.util

    for name in ("software_release.yaml", "software_release_tracking.yaml", "catalog.json",
                 "software_release_changes.csv", "software_release_change_effects.csv",
                 "software_release_defects.csv", "software_release_test_runs.csv",
                 "software_release_gates.csv"):
        shutil.copy(ROOT / "datasets" / name, tmp_path / name)
    spec = importlib.util.spec_from_file_location("make_closure", ROOT / "datasets" / "make_closure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for name in ("software_release_closure.yaml", "software_release_lessons.csv",
                 "software_release_acceptance.csv", "software_release_risk_outcomes.csv"):
        assert (tmp_path / name).read_text() == (ROOT / "datasets" / name).read_text()
