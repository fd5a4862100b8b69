"""Tests for tpmkit.risk.register: the shared risk-register schema, scores, heat map, EMV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit import artefacts
from tpmkit.errors import DataError, ValidationError
from tpmkit.risk.register import (
    DEFAULT_BANDS,
    REGISTER_COLUMNS,
    exposure,
    heat_map,
    normalize_register,
    read_register,
)

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"


def _reg(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"id": [f"R{i + 1}" for i in range(n)], "probability": [0.5] * n}
    base.update(cols)
    return pd.DataFrame(base)


def test_canonical_columns_and_three_point_forms():
    df = _reg(tasks=["A", "A;B", "B, C"], impact_days=[[1, 2, 4], "3", np.nan],
              impact_percent=[None, None, "10, 20, 40"], impact_cost=["100,200,600", 50, None])
    reg = normalize_register(df, task_ids=["A", "B", "C"])
    assert list(reg.index) == ["R1", "R2", "R3"]
    assert set(REGISTER_COLUMNS) <= set(reg.columns)
    assert reg["tasks"].tolist() == [("A",), ("A", "B"), ("B", "C")]
    assert reg["impact_unit"].tolist() == ["days", "days", "percent"]
    assert reg.loc["R1", ["impact_min", "impact_likely", "impact_max"]].tolist() == [1, 2, 4]
    assert reg.loc["R2", ["impact_min", "impact_max"]].tolist() == [3.0, 3.0]
    assert reg.loc["R3", ["impact_min", "impact_max"]].tolist() == [10.0, 40.0]
    assert reg.loc["R3", ["cost_min", "cost_likely", "cost_max"]].tolist() == [0.0, 0.0, 0.0]
    # EMV = probability × PERT mean (PMBOK 6th §11.4.2.5)
    assert reg.loc["R1", "emv_days"] == pytest.approx(0.5 * (1 + 8 + 4) / 6)
    assert reg.loc["R1", "emv_cost"] == pytest.approx(0.5 * (100 + 800 + 600) / 6)
    assert np.isnan(reg.loc["R3", "emv_days"])            # percent without durations
    with_dur = normalize_register(df, durations={"A": 10, "B": 20, "C": 30})
    expected = 0.5 * (10 + 80 + 40) / 6 / 100 * (20 + 30)
    assert with_dur.loc["R3", "emv_days"] == pytest.approx(expected)


def test_post_response_defaults_and_overrides():
    df = _reg(impact_days=["2,4,8", "1,2,3"], impact_cost=[1000, 500],
              post_probability=[0.1, None], post_impact_days=["1,2,3", None],
              response=["mitigate", "Accept"])
    reg = normalize_register(df)
    assert reg.loc["R1", "post_probability"] == 0.1
    assert reg.loc["R1", ["post_impact_min", "post_impact_max"]].tolist() == [1.0, 3.0]
    assert reg.loc["R1", "post_cost_likely"] == 1000.0
    r2 = reg.loc["R2"]
    assert r2["post_probability"] == r2["probability"]
    assert [r2[f"post_impact_{k}"] for k in ("min", "likely", "max")] == [1.0, 2.0, 3.0]
    assert r2["response"] == "accept" and r2["post_score"] == r2["score"]
    assert reg.loc["R1", "post_emv_days"] == pytest.approx(0.1 * 2)


def test_opportunities_are_negative_and_ordered():
    df = _reg(type=["opportunity", "opportunity", "threat"],
              impact_days=["2,3,5", "-5,-3,-2", "1,2,3"], impact_cost=["100,200,300", None, None])
    reg = normalize_register(df)
    for rid in ("R1", "R2"):
        assert reg.loc[rid, ["impact_min", "impact_likely", "impact_max"]].tolist() == [-5, -3, -2]
    assert reg.loc["R1", ["cost_min", "cost_max"]].tolist() == [-300.0, -100.0]
    assert reg.loc["R1", "emv_days"] < 0 < reg.loc["R3", "emv_days"]


def test_probability_forms():
    reg = normalize_register(_reg(probability=["30%", 0.25, "5 %"]))
    np.testing.assert_allclose(reg["probability"], [0.30, 0.25, 0.05])
    pct = normalize_register(_reg(probability=[30, 50, 0]))
    np.testing.assert_allclose(pct["probability"], [0.30, 0.50, 0.0])


@pytest.mark.parametrize(("cols", "task_ids", "message"), [
    ({"probability": [0.5, 1.5, 0.2]}, None, r"mixes fractions \(R1, R3\) and percentages \(R2\)"),
    ({"probability": [50, 150, 20]}, None, r"outside \[0, 1\].*for R2"),
    ({"probability": [0.5, None, 0.2]}, None, "no probability for R2"),
    ({"tasks": ["A", "Q", "A"]}, ["A"], r"risk\(s\) R2 name unknown task\(s\) Q"),
    ({"impact_days": ["1,2,3", "5,2,9", "1"]}, None, "risk R2: impact_days 5,2,9 is not ordered"),
    ({"impact_cost": ["1,2", None, None]}, None, "risk R1: impact_cost '1,2' is not one number"),
    ({"response": ["mitigate", "ignore", ""]}, None, "unknown response for R2"),
    ({"type": ["threat", "threat", "risk"]}, None, "unknown type for R3"),
    ({"impact_days": ["1", None, None], "impact_percent": ["5", None, None],
      "tasks": ["A", "A", "A"]}, None, "risk R1: both impact_days and impact_percent"),
    ({"impact_days": [None, "-3", None]}, None, "risk R2: threat with negative impact"),
    ({"impact_percent": [None, None, "10"]}, None, "percent impact without tasks for R3"),
    ({"impact_days": ["1", None, None], "post_impact_percent": ["5", None, None],
      "tasks": ["A", "A", "A"]}, None, "risk R1: post-response schedule impact is in percent"),
    ({"impact_score": [1, 6, None]}, None, "impact_score must be an integer 1–5; bad for R2"),
    ({"id": ["R1", "R2", "R1"]}, None, "duplicate risk id"),
])
def test_validation_messages_name_the_risk(cols, task_ids, message):
    df = _reg(probability=[0.5, 0.5, 0.5])
    for k, v in cols.items():
        df[k] = v
    with pytest.raises(ValidationError, match=message):
        normalize_register(df, task_ids=task_ids)


def test_missing_columns_and_blank_ids():
    with pytest.raises(ValidationError, match="lacks an 'id' column"):
        normalize_register(pd.DataFrame({"probability": [0.1]}))
    with pytest.raises(ValidationError, match="lacks a 'probability' column"):
        normalize_register(pd.DataFrame({"id": ["R1"]}))
    with pytest.raises(ValidationError, match=r"blank id in row\(s\) 3"):
        normalize_register(pd.DataFrame({"id": ["R1", " "], "probability": [0.1, 0.2]}))


def test_scores_from_bands_and_given_scores():
    df = _reg(probability=[0.05, 0.3, 0.31, 0.9],
              impact_days=["0.5", "5", "12", "40"],
              impact_cost=[None, None, "60000", None],
              impact_score=[None, None, None, 2])
    reg = normalize_register(df)
    assert reg["probability_score"].tolist() == [1, 2, 3, 5]
    # R3: days 12 → 4, cost 60000 → 5; the larger wins. R4: given score kept.
    assert reg["impact_score"].tolist() == [1, 2, 5, 2]
    assert reg["score"].tolist() == [1, 4, 15, 10]
    assert reg["rank"].tolist() == [4, 3, 1, 2]
    custom = normalize_register(df, bands={"days": (10, 20, 30, 50)})
    assert custom.loc["R4", "impact_score"] == 2 and custom.loc["R3", "impact_score"] == 5
    with pytest.raises(ValidationError, match="four increasing cut points"):
        normalize_register(df, bands={"days": (5, 1, 2, 3)})
    assert DEFAULT_BANDS["probability"] == (0.10, 0.30, 0.50, 0.70)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 30), st.floats(0, 1e5)),
                min_size=1, max_size=30))
def test_rank_follows_score_and_heat_map_counts(rows):
    p, d, c = zip(*rows)
    reg = normalize_register(_reg(probability=list(p), impact_days=list(d),
                                  impact_cost=list(c)))
    ordered = reg.sort_values("rank")
    assert (np.diff(ordered["score"].to_numpy()) <= 0).all()
    assert sorted(reg["rank"]) == list(range(1, len(reg) + 1))
    hm = heat_map(reg)
    assert hm.to_numpy().sum() == len(reg)
    for (ps, is_), n in reg.groupby(["probability_score", "impact_score"]).size().items():
        assert hm.loc[int(ps), int(is_)] == n
    assert (reg["emv_days"] >= 0).all() and (reg["post_score"] <= 25).all()


def test_sample_register_from_project_and_csv_agree():
    project = tpmkit.datasets.load("software_release")
    from_project = read_register(project)
    from_csv = artefacts.read_register(DATASETS / "software_release_risks.csv",
                                       task_ids=project.tasks.index,
                                       durations=project.tasks["duration"])
    cols = ["probability", "impact_min", "impact_likely", "impact_max", "cost_likely",
            "post_probability", "post_impact_likely", "emv_days", "emv_cost", "score", "rank"]
    pd.testing.assert_frame_equal(from_project[cols], from_csv[cols])
    assert from_project.loc["R5", "type"] == "opportunity"
    assert from_project.loc["R5", "impact_max"] < 0
    assert from_project.loc["R2", "impact_unit"] == "percent"
    dv = project.tasks.loc[["DV4", "DV5"], "duration"].sum()
    assert from_project.loc["R2", "emv_days"] == pytest.approx(0.15 * (10 + 100 + 50) / 6 / 100
                                                               * dv)
    post = heat_map(from_project, post=True)
    assert post.to_numpy().sum() == len(from_project)


def test_exposure_totals():
    reg = normalize_register(tpmkit.io.read_table(DATASETS / "software_release_risks.csv"))
    ex = exposure(reg, by="category")
    assert ex.loc["total", "count"] == len(reg)
    assert ex.drop(index="total")["emv_cost"].sum() == pytest.approx(reg["emv_cost"].sum())
    assert ex.loc["total", "post_emv_cost"] <= ex.loc["total", "emv_cost"]
    with pytest.raises(ValidationError, match="cannot group the register by 'colour'"):
        exposure(reg, by="colour")


def test_register_files_and_empty_project(tmp_path):
    reg = artefacts.read_register(DATASETS / "software_release_risks.csv")
    xlsx = tmp_path / "register.xlsx"
    pd.read_csv(DATASETS / "software_release_risks.csv").to_excel(xlsx, sheet_name="risks",
                                                                   index=False)
    np.testing.assert_allclose(artefacts.read_register(xlsx)["score"], reg["score"])
    project = tpmkit.read(pd.DataFrame({"id": ["A"], "duration": [3]}))
    empty = read_register(project)
    assert empty.empty and set(REGISTER_COLUMNS) <= set(empty.columns)
    assert tpmkit.risk.normalize_register is normalize_register
    with pytest.raises(DataError, match="tpmkit.artefacts.read_register"):
        read_register(xlsx)  # the computation reads no files


def test_register_feeds_the_simulation(sample_project_risks):
    """The normalised register is the simulation's risk-event input (one schema)."""
    project, reg = sample_project_risks
    a = tpmkit.risk.simulate(project, risks=reg, iterations=300, rng=5)
    b = tpmkit.risk.simulate(project, iterations=300, rng=5)
    np.testing.assert_array_equal(a.finish, b.finish)
    none = tpmkit.risk.simulate(project, risks=False, iterations=300, rng=5)
    assert a.finish.mean() > none.finish.mean()


@pytest.fixture(scope="module")
def sample_project_risks():
    project = tpmkit.datasets.load("software_release")
    reg = artefacts.read_register(DATASETS / "software_release_risks.csv",
                                  task_ids=project.tasks.index,
                                  durations=project.tasks["duration"])
    return project, reg
