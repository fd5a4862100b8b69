"""Tests for tpmkit.estimate: three-point moments, Delphi, throughput, calibration, COCOMO II."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import tpmkit
from tpmkit import estimate
from tpmkit.errors import OptionError, ValidationError

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"


# --------------------------------------------------------------------------- three-point
def test_porta_vac_pert_moments(case):
    """Anderson, Sweeney & Williams, Porta-Vac (Table 9.5): t = (a+4m+b)/6, σ² = ((b−a)/6)².

    Published variances are printed to 2 decimals, the case file to 4: tolerance 5e-5.
    """
    c = case("asw_portavac_pert")
    acts = pd.DataFrame(c["activities"])[["id", "optimistic", "most_likely", "pessimistic"]]
    t = estimate.three_point(acts)
    expected_t = pd.Series(c["expected"]["expected_times"]["value"])
    expected_v = pd.Series(c["expected"]["variances"]["value"])
    np.testing.assert_allclose(t["mean"].reindex(expected_t.index), expected_t, atol=1e-12)
    np.testing.assert_allclose((t["std_classic"] ** 2).reindex(expected_v.index), expected_v,
                               atol=5e-5)


def test_porta_vac_critical_path_sum(case):
    """Porta-Vac critical path A-E-H-I-J: E(T) = 17, σ² = 98/36, P(T ≤ 20) = 0.9655 (exact)."""
    c = case("asw_portavac_pert")
    acts = pd.DataFrame(c["activities"]).set_index("id")
    path = acts.loc[c["expected"]["critical_path"]["value"]].reset_index()
    s = estimate.three_point_sum(path, variance="classic", target=20)
    assert s["mean"] == pytest.approx(c["expected"]["E_T"]["value"], abs=1e-12)
    assert s["variance"] == pytest.approx(c["expected"]["sigma2_T"]["exact"], abs=1e-6)
    assert s["std"] == pytest.approx(c["expected"]["sigma_T"]["exact"], abs=1e-6)
    assert s["probability"] == pytest.approx(c["expected"]["P(T<=20)"]["exact"], abs=1e-6)


three_points = st.tuples(
    st.floats(0, 100, allow_nan=False), st.floats(0.01, 50), st.floats(0, 1)
).map(lambda t: (t[0], t[0] + t[2] * t[1], t[0] + t[1]))


@settings(max_examples=30, deadline=None)
@given(three_points)
def test_pert_and_triangular_moments_match_scipy(abc):
    a, m, b = abc
    lam = 4.0
    alpha, beta = 1 + lam * (m - a) / (b - a), 1 + lam * (b - m) / (b - a)
    ref = stats.beta(alpha, beta, loc=a, scale=b - a)
    t = estimate.three_point([a], [m], [b], percentiles=(5, 50, 95))
    assert t["mean"][0] == pytest.approx(ref.mean(), rel=1e-9, abs=1e-9)
    assert t["variance"][0] == pytest.approx(ref.var(), rel=1e-7, abs=1e-9)
    tri = stats.triang((m - a) / (b - a), loc=a, scale=b - a)
    tt = estimate.three_point([a], [m], [b], distribution="triangular", percentiles=(5, 50, 95))
    assert tt["mean"][0] == pytest.approx(tri.mean(), rel=1e-9, abs=1e-9)
    assert tt["variance"][0] == pytest.approx(tri.var(), rel=1e-7, abs=1e-9)
    for frame in (t, tt):
        q = frame[["p5", "p50", "p95"]].to_numpy()[0]
        assert a - 1e-9 <= q[0] <= q[1] <= q[2] <= b + 1e-9


def test_three_point_fixed_and_errors():
    t = estimate.three_point([3.0], [3.0], [3.0])
    assert t.loc[0, ["mean", "std", "p10", "p90"]].tolist() == [3.0, 0.0, 3.0, 3.0]
    bad = pd.DataFrame({"id": ["A", "B"], "optimistic": [1, 5], "most_likely": [2, 4],
                        "pessimistic": [3, 9]})
    with pytest.raises(ValidationError, match=r"most_likely.*for B"):
        estimate.three_point(bad)
    with pytest.raises(OptionError, match="pert, triangular"):
        estimate.three_point([1], [2], [3], distribution="beta")
    with pytest.raises(ValidationError, match="percentile 100"):
        estimate.three_point([1], [2], [3], percentiles=(100,))


def test_sum_normal_percentiles():
    s = estimate.three_point_sum([1, 2], [2, 3], [6, 7], percentiles=(50, 90))
    t = estimate.three_point([1, 2], [2, 3], [6, 7])
    assert s["mean"] == pytest.approx(t["mean"].sum())
    assert s["variance"] == pytest.approx(t["variance"].sum())
    assert s["p50"] == pytest.approx(s["mean"])
    assert s["p90"] == pytest.approx(s["mean"] + stats.norm.ppf(0.9) * s["std"])


def test_from_uncertainty_forms():
    out = estimate.from_uncertainty(pd.Series([10.0, 20.0], index=["A", "B"]), "±10%")
    assert out.values.tolist() == [["A", 9.0, 10.0, 11.0], ["B", 18.0, 20.0, 22.0]]
    rom = estimate.from_uncertainty([100.0], "rom")
    assert rom[["optimistic", "pessimistic"]].values.tolist() == [[75.0, 175.0]]
    tup = estimate.from_uncertainty([8.0], (-0.25, 0.5))
    assert tup[["optimistic", "pessimistic"]].values.tolist() == [[6.0, 12.0]]
    per_row = estimate.from_uncertainty(pd.DataFrame(
        {"id": ["X", "Y"], "estimate": [10, 10], "uncertainty": ["-5/+10", ""]}), "aace_class_5")
    assert per_row["pessimistic"].tolist() == [11.0, 20.0]
    with pytest.raises(ValidationError, match="cannot read uncertainty 'wide'"):
        estimate.from_uncertainty([1.0], "wide")
    with pytest.raises(ValidationError, match="missing or negative for B"):
        estimate.from_uncertainty(pd.Series([1.0, -2.0], index=["A", "B"]))


def test_from_uncertainty_feeds_the_task_table():
    three = estimate.from_uncertainty(pd.Series([10.0, 4.0], index=["A", "B"]), "-25/+75")
    tasks = three.assign(predecessors=["", "A"])
    project = tpmkit.read(tasks)
    expected = (three["optimistic"] + 4 * three["most_likely"] + three["pessimistic"]) / 6
    np.testing.assert_allclose(project.tasks["duration"], expected.to_numpy())


# --------------------------------------------------------------------------- scales and Delphi
def test_scales():
    assert estimate.scale_to_days(["xs", "M"], "tshirt").tolist() == [1.0, 5.0]
    assert estimate.scale_to_days(["S"], "tshirt", mapping={"S": 3}).tolist() == [3.0]
    with pytest.raises(ValidationError, match="not planning-poker cards"):
        estimate.scale_to_days([4], "fibonacci", ids=["story-7"])
    with pytest.raises(ValidationError, match="unknown T-shirt size"):
        estimate.scale_to_days(["XXXL"], "tshirt")


def _rounds() -> pd.DataFrame:
    return pd.DataFrame({
        "item": ["A"] * 8 + ["B"] * 4,
        "round": [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1],
        "estimator": ["w", "x", "y", "z"] * 3,
        "estimate": [4, 6, 5, 30, 5, 6, 5, 7, 10, 10, 10, 10],
    })


def test_delphi_round_statistics_by_hand():
    res = estimate.delphi(_rounds())
    r1 = res.rounds.loc[("A", 1)]
    values = np.array([4, 6, 5, 30.0])
    assert r1["median"] == 5.5
    assert r1["cv"] == pytest.approx(values.std(ddof=1) / values.mean())
    assert r1["spread"] == 26.0
    assert r1["outliers"] == ("z",)            # Q3 = 12, IQR = 7.25 → fence 22.9 < 30
    assert not r1["converged"]
    r2 = res.rounds.loc[("A", 2)]
    assert r2["cv_change"] == pytest.approx(r2["cv"] - r1["cv"])
    assert res.consensus.loc["A", ["rounds", "optimistic", "most_likely", "pessimistic"]].tolist(
    ) == [2, 5.0, 5.5, 7.0]
    assert res.consensus.loc["B", "converged"] and res.consensus.loc["B", "cv"] == 0.0


def test_delphi_methods_and_wide_form():
    wide = pd.DataFrame({"item": ["A", "A"], "round": [1, 2], "ann": [4, 5], "bo": [8, 6],
                         "cy": [6, 6]})
    res = estimate.delphi(wide, method="quantile")
    last = np.array([5.0, 6.0, 6.0])
    assert res.consensus.loc["A", "optimistic"] == pytest.approx(np.percentile(last, 10))
    fit = estimate.delphi(wide, method="fit").consensus.loc["A"]
    s = last.std(ddof=1)
    assert fit["optimistic"] == pytest.approx(3 * last.mean() - 2 * 6.0 - 3 * s)
    assert fit["pessimistic"] - fit["optimistic"] == pytest.approx(6 * s)
    mean_fit = (fit["optimistic"] + 4 * fit["most_likely"] + fit["pessimistic"]) / 6
    assert mean_fit == pytest.approx(last.mean())


def test_delphi_errors():
    dup = _rounds()
    dup.loc[1, "estimator"] = "w"
    with pytest.raises(ValidationError, match="duplicate estimates A round 1 by w"):
        estimate.delphi(dup)
    bad = _rounds()
    bad.loc[0, "round"] = 0
    with pytest.raises(ValidationError, match="integers ≥ 1"):
        estimate.delphi(bad)


def test_delphi_consensus_feeds_the_task_table():
    res = estimate.delphi(DATASETS / "software_release_estimation_rounds.csv")
    project = tpmkit.datasets.load("software_release")
    raw = project.tasks.reset_index()[["id", "name", "duration", "predecessors"]]
    merged = res.to_tasks(raw)
    new = tpmkit.read(merged)
    c = res.consensus
    pert = (c["optimistic"] + 4 * c["most_likely"] + c["pessimistic"]) / 6
    np.testing.assert_allclose(new.tasks.loc[c.index, "duration"], pert)
    untouched = [i for i in project.tasks.index if i not in c.index]
    np.testing.assert_allclose(new.tasks.loc[untouched, "duration"],
                               project.tasks.loc[untouched, "duration"])
    with pytest.raises(ValidationError, match="not tasks of the table"):
        res.to_tasks(raw[raw["id"] != "DV4"])


def test_planning_poker():
    rounds = pd.DataFrame({"item": ["S1"] * 4, "estimator": list("abcd"),
                           "estimate": [3, 5, 8, 5]})
    res = estimate.planning_poker(rounds, days_per_point=0.5)
    assert res.consensus.loc["S1", "card"] == 5.0
    assert res.consensus.loc["S1", "most_likely"] == 2.5
    with pytest.raises(ValidationError, match=r"4 for S1 by b are not planning-poker cards"):
        estimate.planning_poker(rounds.assign(estimate=[3, 4, 8, 5]))
    shirts = pd.DataFrame({"item": ["E"] * 3, "estimator": list("abc"),
                           "estimate": ["M", "L", "M"]})
    assert estimate.planning_poker(shirts, deck="tshirt").consensus.loc["E", "card"] == "M"


# --------------------------------------------------------------------------- throughput
def test_throughput_history_forms():
    h = estimate.throughput_history(DATASETS / "software_release_throughput_history.csv")
    assert len(h) == 26 and (h >= 0).all()
    dates = pd.DataFrame({"completed": ["2027-01-04", "2027-01-06", "2027-01-20", "2027-01-21"]})
    assert estimate.throughput_history(dates, period_days=7).tolist() == [2.0, 0.0, 2.0]
    with pytest.raises(ValidationError, match="negative or missing"):
        estimate.throughput_history([1, -1])


def test_constant_throughput_is_exact():
    f = estimate.throughput_forecast([4, 4, 4], remaining=10, periods=5, rng=3,
                                     start="2027-01-04")
    assert (f.table["items"] == 20).all()
    assert (f.table["periods_needed"] == 3).all()
    assert (f.table["completion_date"] == pd.Timestamp("2027-01-24")).all()


def test_throughput_seed_reproduces():
    f1 = estimate.throughput_forecast([1, 3, 5, 0, 2], remaining=30, periods=6, rng=11)
    f2 = estimate.throughput_forecast([1, 3, 5, 0, 2], remaining=30, periods=6, rng=f1.seed)
    np.testing.assert_array_equal(f1.periods_samples, f2.periods_samples)
    f3 = estimate.throughput_forecast([1, 3, 5], periods=4, rng=np.random.default_rng(5))
    f4 = estimate.throughput_forecast([1, 3, 5], periods=4, rng=f3.seed)
    np.testing.assert_array_equal(f3.items_samples, f4.items_samples)
    assert isinstance(estimate.throughput_forecast([1, 2], periods=1).seed, int)


def test_throughput_mean_within_sampling_error():
    hist = np.array([2.0, 5, 3, 8, 0, 4, 6])
    n, h = 20_000, 6
    f = estimate.throughput_forecast(hist, periods=h, trials=n, rng=7)
    sigma = hist.std() * math.sqrt(h)
    assert abs(f.items_samples.mean() - h * hist.mean()) < 4 * sigma / math.sqrt(n)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=20).filter(lambda v: max(v) > 0),
       st.integers(0, 60), st.integers(0, 12), st.integers(0, 2**32 - 1))
def test_throughput_percentiles_monotone(hist, remaining, periods, seed):
    f = estimate.throughput_forecast(hist, remaining=remaining, periods=periods, trials=300,
                                     rng=seed, confidence=(50, 85, 95))
    items = f.table["items"].to_numpy()
    need = f.table["periods_needed"].to_numpy()
    assert items[0] >= items[1] >= items[2]
    assert need[0] <= need[1] <= need[2]
    assert items.max() <= max(hist) * periods and items.min() >= min(hist) * periods
    if remaining:
        assert need[0] >= math.ceil(remaining / max(hist))


def test_throughput_errors():
    with pytest.raises(ValidationError, match="needs 'start'"):
        estimate.throughput_forecast([1, 2], until="2027-03-01")
    with pytest.raises(tpmkit.DataError, match="only zeros"):
        estimate.throughput_forecast([0, 0], remaining=3)
    with pytest.raises(ValidationError, match="remaining"):
        estimate.throughput_forecast([1, 2])
    f = estimate.throughput_forecast([2, 2], periods=None, until="2027-01-31",
                                     start="2027-01-04", rng=1)
    assert f.periods == 4 and (f.table["items"] == 8).all()


def test_burnup_lines():
    b = estimate.burnup_forecast([5, 9, 7, 3, 11], scope=60)
    v = b.velocity
    assert v == {"average": 7.0, "worst3": 5.0, "best3": 9.0}
    assert b.periods_to_finish == {"average": 4, "worst3": 5, "best3": 3}
    assert len(b.table) == 5 and b.table["worst3"].iloc[-1] == 60.0 and b.table["average"].iloc[0] == 42.0
    assert (b.table[["worst3", "average", "best3"]].diff().fillna(0) >= 0).all().all()
    dated = estimate.burnup_forecast([5, 5], scope=20, start="2027-01-04", period_days=14)
    assert dated.table["date"].tolist() == [pd.Timestamp("2027-01-17"), pd.Timestamp("2027-01-31")]


# --------------------------------------------------------------------------- calibration
def test_calibration_by_hand():
    df = pd.DataFrame({"id": list("abcde"), "category": ["x", "x", "x", "y", "y"],
                       "estimate": [10, 10, 10, 4, 4], "actual": [10, 12, 15, 4, 6]})
    c = estimate.calibrate(df, by="category")
    r = np.array([1.0, 1.2, 1.5, 1.0, 1.5])
    row = c.table.loc["all"]
    assert row["n"] == 5 and row["median_ratio"] == pytest.approx(1.2)
    assert row["mean_ratio"] == pytest.approx(r.mean())
    assert row["spread"] == pytest.approx(np.log(r).std(ddof=1))
    assert row["uplift_p80"] == pytest.approx(np.percentile(r, 80) - 1)
    assert c.uplift(50, reference="y") == pytest.approx(0.25)
    np.testing.assert_allclose(c.apply([100.0], p=50), [120.0])
    tp = c.to_three_point(pd.Series([10.0], index=["T1"]))
    assert tp["id"].tolist() == ["T1"]
    assert tp["optimistic"][0] <= tp["most_likely"][0] <= tp["pessimistic"][0]
    with pytest.raises(ValidationError, match="unknown reference class 'z'"):
        c.uplift(80, reference="z")


def test_calibration_sample_and_errors():
    c = estimate.calibrate(DATASETS / "software_release_estimates_vs_actuals.csv", by="category")
    assert c.table.loc["all", "n"] == 48
    assert c.table["uplift_p80"].ge(c.table["uplift_p50"]).all()
    with pytest.raises(ValidationError, match="> 0; bad for b"):
        estimate.calibrate(pd.DataFrame({"id": ["a", "b"], "estimate": [1, 0], "actual": [1, 1]}))
    with pytest.raises(ValidationError, match="lack column 'actual'"):
        estimate.calibrate(pd.DataFrame({"estimate": [1]}))


# --------------------------------------------------------------------------- COCOMO II
def test_cocomo2_nominal_reference():
    """COCOMO II.2000 (Boehm et al. 2000): all nominal → ΣSF = 18.97, E = 1.0997, EAF = 1.

    PM = 2.94·100^1.0997 and TDEV = 3.67·PM^(0.28 + 0.2·0.1897) (model equations).
    """
    r = estimate.cocomo2(100)
    assert r.scale_factor_sum == pytest.approx(18.97, abs=1e-12)
    assert r.exponent == pytest.approx(1.0997, abs=1e-12)
    assert r.eaf == 1.0
    pm = 2.94 * 100**1.0997
    assert r.effort_pm == pytest.approx(pm, rel=1e-12)
    assert r.effort_pm == pytest.approx(465.3, abs=0.05)
    assert r.schedule_months == pytest.approx(3.67 * pm ** (0.28 + 0.2 * 0.1897), rel=1e-12)
    assert r.staff == pytest.approx(r.effort_pm / r.schedule_months)


def test_cocomo2_ratings():
    xh = {k: "XH" for k in estimate.COCOMO2_SCALE_FACTORS}
    r = estimate.cocomo2([10, 50], scale_factors=xh, effort_multipliers={"rely": "very high"})
    assert r.exponent == pytest.approx(0.91)
    np.testing.assert_allclose(r.effort_pm, 2.94 * np.array([10, 50]) ** 0.91 * 1.26)
    nominal = estimate.cocomo2(40)
    compressed = estimate.cocomo2(40, effort_multipliers={"SCED": "very_low"})
    assert compressed.effort_pm == pytest.approx(nominal.effort_pm * 1.43)
    assert compressed.schedule_months == pytest.approx(nominal.schedule_months * 0.75)
    with pytest.raises(ValidationError, match="DATA has no very_low rating"):
        estimate.cocomo2(10, effort_multipliers={"DATA": "VL"})
    with pytest.raises(ValidationError, match="unknown COCOMO II scale factor 'SPEED'"):
        estimate.cocomo2(10, scale_factors={"SPEED": "high"})
    with pytest.raises(ValidationError, match="unknown rating 'great'"):
        estimate.cocomo2(10, scale_factors={"PREC": "great"})
    with pytest.raises(ValidationError, match="ksloc must be > 0"):
        estimate.cocomo2(0)


@settings(max_examples=30, deadline=None)
@given(st.floats(1, 2000), st.floats(1.01, 5))
def test_cocomo2_effort_grows_with_size(size, factor):
    small, large = estimate.cocomo2(size), estimate.cocomo2(size * factor)
    assert large.effort_pm > small.effort_pm and large.schedule_months > small.schedule_months
    # diseconomy of scale at nominal ratings (E > 1)
    assert large.effort_pm / small.effort_pm > factor


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.integers(1, 40), min_size=1, max_size=6), min_size=1, max_size=3),
       st.sampled_from(["range", "quantile", "fit"]))
def test_delphi_consensus_is_ordered_and_convergence_matches_cv(rounds, method):
    rows = [("X", r + 1, f"e{k}", v) for r, values in enumerate(rounds)
            for k, v in enumerate(values)]
    res = estimate.delphi(pd.DataFrame(rows, columns=["item", "round", "estimator", "estimate"]),
                          method=method, cv_threshold=0.2)
    c = res.consensus.loc["X"]
    assert 0 <= c["optimistic"] <= c["most_likely"] <= c["pessimistic"]
    assert c["rounds"] == len(rounds)
    assert (res.rounds["converged"] == (res.rounds["cv"] <= 0.2)).all()
    last = np.array(rounds[-1], dtype=float)
    assert c["most_likely"] == pytest.approx(np.median(last))
    if method == "range":
        assert (c["optimistic"], c["pessimistic"]) == (last.min(), last.max())


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 1e4), st.floats(0, 0.99), st.floats(0, 3))
def test_from_uncertainty_brackets_the_estimate(e, low, high):
    out = estimate.from_uncertainty([e], (-low, high))
    o, m, p = out.loc[0, ["optimistic", "most_likely", "pessimistic"]]
    assert o <= m <= p and m == e
