"""Tests for tpmkit.scope: WBS, requirements, stakeholders, RACI, change log, templates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit import scope
from tpmkit.errors import OptionError, ValidationError

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
TEMPLATES = ROOT / "templates"


@pytest.fixture(scope="module")
def sample_project():
    return tpmkit.datasets.load("software_release")


# --------------------------------------------------------------------------- WBS
def test_wbs_tree_derives_summaries_in_outline_order():
    t = scope.wbs_tree(["2", "1.10", "1.2.1", "1.9"])
    assert list(t.index) == ["1", "1.2", "1.2.1", "1.9", "1.10", "2"]
    assert t.loc["1", "children"] == ("1.2", "1.9", "1.10")
    assert t.loc["1.2.1", "parent"] == "1.2" and t.loc["1", "parent"] == ""
    assert t["depth"].tolist() == [1, 2, 3, 2, 2, 1]
    assert t["given"].tolist() == [False, False, True, True, True, True]
    assert t["leaf"].tolist() == [False, False, True, True, True, True]


def test_wbs_malformed_codes_named():
    # letters are valid WBS levels (one grammar with tpmkit.read, tpmkit.model.wbs)
    with pytest.raises(ValidationError, match=r"malformed WBS code\(s\) 1\.a!, 2\.\.1"):
        scope.wbs_tree(["1", "1.a!", "2..1"])
    with pytest.raises(ValidationError, match="contain a 0 level"):
        scope.wbs_tree(["1.0.1"])


codes_strategy = st.lists(
    st.lists(st.integers(1, 3), min_size=1, max_size=3).map(lambda p: ".".join(map(str, p))),
    min_size=1, max_size=25)


@settings(max_examples=20, deadline=None)
@given(codes_strategy, st.data())
def test_rollups_equal_sums_of_rows_beneath(codes, data):
    n = len(codes)
    cost = data.draw(st.lists(st.floats(0, 1e6), min_size=n, max_size=n))
    work = data.draw(st.lists(st.floats(0.1, 100), min_size=n, max_size=n))
    pc = data.draw(st.lists(st.floats(0, 100), min_size=n, max_size=n))
    start = data.draw(st.lists(st.floats(0, 50), min_size=n, max_size=n))
    df = pd.DataFrame({"wbs": codes, "cost": cost, "work": work, "percent_complete": pc,
                       "start": start, "finish": np.array(start) + 5})
    r = scope.wbs_rollup(df)
    codes_arr = np.array(codes, dtype=object)
    for node in r.index:
        under = np.array([c == node or c.startswith(node + ".") for c in codes_arr])
        assert r.loc[node, "rows"] == under.sum()
        assert r.loc[node, "cost"] == pytest.approx(df["cost"][under].sum(), rel=1e-9, abs=1e-6)
        w = df["work"][under]
        expect = (w * df["percent_complete"][under]).sum() / w.sum()
        assert r.loc[node, "percent_complete"] == pytest.approx(expect, rel=1e-9, abs=1e-9)
        assert r.loc[node, "start"] == df["start"][under].min()
        assert r.loc[node, "span"] == pytest.approx(df["finish"][under].max()
                                                    - df["start"][under].min())
    tops = r.index[r["depth"] == 1]
    assert r.loc[tops, "cost"].sum() == pytest.approx(sum(cost), rel=1e-9, abs=1e-6)


def test_rollup_weights_and_missing_values():
    df = pd.DataFrame({"wbs": ["1.1", "1.2", "1.3"], "cost": [100.0, 300.0, np.nan],
                       "percent_complete": [100.0, 0.0, np.nan]})
    r = scope.wbs_rollup(df, weight="cost")
    assert r.loc["1", "percent_complete"] == 25.0
    assert r.loc["1", "cost"] == 400.0
    assert np.isnan(r.loc["1.3", "cost"])
    assert scope.wbs_rollup(df, weight="equal").loc["1", "percent_complete"] == 50.0
    with pytest.raises(OptionError, match="work, cost, duration, equal"):
        scope.wbs_rollup(df, weight="value")


def test_rollup_of_a_project_uses_the_schedule(sample_project):
    project = sample_project
    r = scope.wbs_rollup(project, cost="baseline_cost")
    sched = tpmkit.schedule(project)
    dev = [i for i, c in project.tasks["wbs"].items() if c.startswith("4.")]
    assert r.loc["4", "start"] == sched.table.loc[dev, "early_start"].min()
    assert r.loc["4", "finish"] == sched.table.loc[dev, "early_finish"].max()
    assert r.loc["4", "cost"] == pytest.approx(project.tasks.loc[dev, "baseline_cost"].sum())
    assert set(r.index[r["depth"] == 1]) == {"1", "2", "3", "4", "5", "6", "7"}


def test_check_wbs_findings():
    df = pd.DataFrame({
        "wbs": ["1", "1.1", "1.3", "2", "2.1", "3.1.1", "2"],
        "budget": [100.0, np.nan, np.nan, 50.0, np.nan, np.nan, np.nan],
        "cost": [np.nan, 60.0, 30.0, 10.0, 40.0, 5.0, np.nan],
    })
    f = scope.check_wbs(df)
    got = set(zip(f["check"], f["wbs"]))
    assert ("gap", "1.2") in got
    assert ("hundred_percent_rule", "1") in got          # 60 + 30 ≠ 100
    assert ("work_package_with_children", "2") in got    # 2 has cost and a child
    assert ("orphan", "3.1.1") in got                    # no row 3 or 3.1
    assert ("duplicate", "2") in got
    assert ("hundred_percent_rule", "2") in got          # child 2.1 (40) ≠ budget 50
    msg = f.loc[(f["check"] == "hundred_percent_rule") & (f["wbs"] == "1"), "message"].item()
    assert "add up to 90" in msg and "budget is 100" in msg


def test_hundred_percent_rule_uses_child_budgets_and_rollups():
    ok = pd.DataFrame({"wbs": ["1", "1.1", "1.1.1", "1.1.2", "1.2"],
                       "budget": [100.0, 70.0, np.nan, np.nan, 30.0],
                       "cost": [np.nan, np.nan, 50.0, 20.0, np.nan]})
    assert scope.check_wbs(ok).empty
    bad = ok.assign(cost=[np.nan, np.nan, 50.0, 25.0, np.nan])
    f = scope.check_wbs(bad)
    assert f[["check", "wbs"]].values.tolist() == [["hundred_percent_rule", "1.1"]]


def test_task_table_wbs_checks_do_not_require_summary_rows():
    tasks = pd.DataFrame({"id": ["A", "B", "C"], "wbs": ["1.1", "1.2", "1"],
                          "duration": [1, 2, 3]})
    f = scope.check_wbs(tasks)
    assert f["check"].tolist() == ["work_package_with_children"]
    assert "task(s) C" in f["message"][0]


def test_wbs_dictionary_export(tmp_path):
    d = scope.wbs_dictionary(DATASETS / "software_release_wbs.csv",
                             path=tmp_path / "dictionary.csv")
    assert d.loc["4.2", "name"] == "Backend"
    tops = d[d["depth"] == 1]
    np.testing.assert_allclose(tops["budget"], tops["cost"])
    back = pd.read_csv(tmp_path / "dictionary.csv", dtype={"wbs": str}).set_index("wbs")
    assert list(back.index) == list(d.index)
    assert scope.check_wbs(DATASETS / "software_release_wbs.csv").empty
    with pytest.raises(tpmkit.InputFileError, match=r"\.csv or \.xlsx"):
        scope.wbs_dictionary(DATASETS / "software_release_wbs.csv", path=tmp_path / "d.txt")


# --------------------------------------------------------------------------- requirements
def test_requirements_wiegers_priority_by_hand():
    """Wiegers (1999): priority = value% / (cost%·w_c + risk%·w_r), value = 2·benefit + penalty."""
    df = pd.DataFrame({"id": ["R1", "R2", "R3"], "moscow": ["Should", "M", "won't"],
                       "benefit": [5, 9, 2], "penalty": [3, 7, 1], "cost": [2, 6, 2],
                       "risk": [1, 5, 4], "wbs": ["1.1", "1.2; 2", ""]})
    r = scope.requirements(df)
    value = np.array([13.0, 25.0, 5.0])
    cost, risk = np.array([2, 6, 2.0]), np.array([1, 5, 4.0])
    expect = (value / value.sum()) / (cost / cost.sum() + 0.5 * risk / risk.sum())
    np.testing.assert_allclose(r["priority"], expect)
    assert r["moscow"].tolist() == ["should", "must", "wont"]
    assert r["score_rank"].tolist() == list(pd.Series(-expect).rank().astype(int))
    assert r["rank"].tolist() == [2, 1, 3]
    assert r.loc["R2", "wbs"] == ("1.2", "2")
    again = scope.requirements(r.reset_index())      # tuples from a previous pass stay intact
    assert again["wbs"].tolist() == r["wbs"].tolist()


def test_requirements_errors():
    with pytest.raises(ValidationError, match="unknown MoSCoW value for R2"):
        scope.requirements(pd.DataFrame({"id": ["R1", "R2"], "moscow": ["M", "maybe"]}))
    with pytest.raises(ValidationError, match="duplicate id R1"):
        scope.requirements(pd.DataFrame({"id": ["R1", "R1"]}))
    with pytest.raises(ValidationError, match=r"R1 trace to unknown WBS code\(s\) 9"):
        scope.requirements(pd.DataFrame({"id": ["R1"], "wbs": ["9"]}), wbs=["1.1"])
    with pytest.raises(ValidationError, match=r"'cost' outside \[0"):
        scope.requirements(pd.DataFrame({"id": ["R1"], "cost": [-1]}))


def test_traceability_on_the_sample():
    wbs = scope.read_artefact(DATASETS / "software_release_wbs.csv", "wbs")
    reqs = scope.read_artefact(DATASETS / "software_release_requirements.csv", "requirements",
                               wbs=wbs.index)
    m = scope.traceability(reqs, list(wbs.index))
    assert m.table.loc["REQ04", "3.4"] and m.table.loc["REQ04", "4.2.3"]
    assert not m.untraced
    covered = set(m.table.columns[m.table.any(axis=0)])
    assert set(m.uncovered) == set(m.table.columns) - covered
    assert "4.2.5" in covered and "7.2" in m.uncovered


# --------------------------------------------------------------------------- stakeholders
def test_stakeholder_grid_salience_and_gap():
    df = pd.DataFrame({"id": list("ABCDE"), "power": [5, 5, 1, 1, np.nan],
                       "interest": [5, 1, 5, 1, 3], "legitimacy": [5, "no", "yes", 1, 1],
                       "urgency": ["yes", 4, 1, 5, 1],
                       "current": ["resistant", "", "neutral", "leading", "unaware"],
                       "desired": ["supportive", "neutral", "neutral", "neutral", "leading"]})
    s = scope.stakeholders(df)
    assert s["quadrant"].tolist() == ["manage_closely", "keep_satisfied", "keep_informed",
                                      "monitor", ""]
    assert s["salience"].tolist() == ["definitive", "dangerous", "discretionary", "demanding",
                                      "non_stakeholder"]
    assert s["engagement_gap"].tolist()[:1] == [2.0]
    assert np.isnan(s.loc["B", "engagement_gap"]) and s.loc["D", "engagement_gap"] == -2.0
    sample = scope.read_artefact(DATASETS / "software_release_stakeholders.csv", "stakeholders")
    assert sample.loc["S01", "quadrant"] == "manage_closely"


def test_stakeholder_errors():
    with pytest.raises(ValidationError, match=r"'power' outside \[1.0, 5.0\] for X"):
        scope.stakeholders(pd.DataFrame({"id": ["X"], "power": [7], "interest": [1]}))
    with pytest.raises(ValidationError, match="unknown desired engagement for Y"):
        scope.stakeholders(pd.DataFrame({"id": ["Y"], "desired": ["enthusiastic"]}))


# --------------------------------------------------------------------------- RACI
def test_raci_counts_and_flags():
    m = pd.DataFrame({"task": ["T1", "T2", "T3"], "pm": ["A", "A/R", "a"],
                      "dev": ["R", "C", "r, c"], "qa": ["", "I", "C"]})
    res = scope.raci(m)
    assert res.matrix.loc["T3", "dev"] == "R/C"
    assert res.tasks["accountable"].tolist() == ["pm", "pm", "pm"]
    assert res.tasks.loc["T1", "no_consultation"] and not res.tasks.loc["T2", "no_consultation"]
    assert res.roles.loc["pm", "load"] == 1.0 and res.roles.loc["pm", "overloaded"]
    assert res.roles.loc["qa", ["consulted", "informed"]].tolist() == [1, 1]
    assert any("pm" in w for w in res.warnings) and any("T1" in w for w in res.warnings)
    assert "<b>RACI</b>" in res._repr_html_()


@pytest.mark.parametrize(("cells", "message"), [
    ({"pm": ["A", ""], "dev": ["R", "R"]}, "no A on T2"),
    ({"pm": ["A", "A"], "dev": ["R", "A/R"]}, "several A on T2"),
    ({"pm": ["A", "A"], "dev": ["R", "C"]}, r"no responsible role \(R\) on T2"),
    ({"pm": ["A", "A"], "dev": ["R", "X"]}, "T2 hold letters other than R, A, C, I"),
])
def test_raci_validation_messages(cells, message):
    with pytest.raises(ValidationError, match=message):
        scope.raci(pd.DataFrame({"task": ["T1", "T2"], **cells}))


def test_raci_sample_against_project_tasks(sample_project):
    project = sample_project
    res = scope.read_artefact(DATASETS / "software_release_raci.csv", "raci",
                              task_ids=project.tasks.index)
    assert (res.tasks["accountable"] != "").all()
    with pytest.raises(ValidationError, match="RACI rows ZZ9 are not tasks"):
        scope.raci(pd.DataFrame({"task": ["ZZ9"], "pm": ["A/R"]}), task_ids=project.tasks.index)


# --------------------------------------------------------------------------- change log
def test_change_log_workflow_and_summary():
    log = scope.read_artefact(DATASETS / "software_release_changes.csv", "changes")
    assert log.loc["CR02", "tasks"] == ("DV9",)
    s = scope.change_summary(log)
    assert s.table["count"].sum() == len(log)
    approved = log["status"].isin(["approved", "implemented"])
    assert s.baseline_change["cost_impact"] == pytest.approx(
        log.loc[approved, "cost_impact"].sum())
    moved = scope.change_transition(log, "CR03", "approved", "2027-03-04")
    assert moved.loc["CR03", "status"] == "approved"
    assert moved.loc["CR03", "decided"] == pd.Timestamp("2027-03-04")
    pd.testing.assert_series_equal(moved["tasks"], log["tasks"])
    done = scope.change_transition(moved, "CR03", "implemented", "2027-03-10")
    assert done.loc["CR03", "implemented"] == pd.Timestamp("2027-03-10")
    with pytest.raises(ValidationError, match="CR04 cannot go from rejected to approved"):
        scope.change_transition(log, "CR04", "approved")
    with pytest.raises(ValidationError, match="CR03 cannot go from proposed to implemented"):
        scope.change_transition(log, "CR03", "implemented")


def test_change_log_errors():
    with pytest.raises(ValidationError, match="unknown status for C2"):
        scope.change_log(pd.DataFrame({"id": ["C1", "C2"], "status": ["approved", "maybe"]}))
    with pytest.raises(ValidationError, match="dates out of order for C1"):
        scope.change_log(pd.DataFrame({"id": ["C1"], "raised": ["2027-02-01"],
                                       "decided": ["2027-01-01"], "status": ["approved"]}))
    with pytest.raises(ValidationError, match="C1 have a decision status but no 'decided'"):
        scope.change_log(pd.DataFrame({"id": ["C1"], "decided": [None], "status": ["rejected"]}))
    with pytest.raises(ValidationError, match=r"C1 name unknown task\(s\) Q"):
        scope.change_log(pd.DataFrame({"id": ["C1"], "tasks": ["A; Q"]}), task_ids=["A"])


# --------------------------------------------------------------------------- templates and samples
@pytest.mark.parametrize("kind", scope.ARTEFACTS)
def test_every_template_loads_through_validation(kind):
    csv = scope.read_artefact(TEMPLATES / f"{kind}.csv", kind)
    xlsx = scope.read_artefact(TEMPLATES / "tpmkit_templates.xlsx", kind)
    for result in (csv, xlsx):
        frame = result if isinstance(result, pd.DataFrame | pd.Series) else None
        if frame is not None:
            assert len(frame) == 0


@pytest.mark.parametrize("kind", scope.ARTEFACTS)
def test_every_sample_artefact_loads(kind, sample_project):
    options = {"task_ids": list(sample_project.tasks.index)} if kind in ("raci", "changes",
                                                                   "risks") else {}
    result = scope.read_artefact(DATASETS / f"software_release_{kind}.csv", kind, **options)
    size = len(result.matrix) if isinstance(result, scope.RaciResult) else (
        len(result.estimates) if hasattr(result, "estimates") else len(
            result.data if hasattr(result, "data") else result))
    assert size > 0


def test_template_header_matches_input_columns():
    """A template row filled in must survive validation (checks the template's columns)."""
    cols = pd.read_csv(TEMPLATES / "wbs.csv").columns
    row = pd.DataFrame([dict.fromkeys(cols, "")]).assign(wbs="1", name="Release", cost="10")
    assert scope.read_artefact(row, "wbs").loc["1", "cost"] == 10.0


def test_read_table_errors(tmp_path):
    with pytest.raises(tpmkit.InputFileError, match="not found"):
        scope.read_table(tmp_path / "missing.csv")
    (tmp_path / "x.txt").write_text("a")
    with pytest.raises(tpmkit.InputFileError, match="unsupported file type"):
        scope.read_table(tmp_path / "x.txt")
    with pytest.raises(OptionError, match="unknown artefact"):
        scope.read_artefact(pd.DataFrame(), "budget")
