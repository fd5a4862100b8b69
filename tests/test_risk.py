"""Monte Carlo schedule risk analysis: the statistics, the risk register, results and CLI.

Tolerances follow from the sample size: a mean is checked within 4σ/√N, a probability p
within 4·√(p(1 − p)/N); seeds are fixed so every run is reproducible.
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import tpmkit
from tpmkit.errors import DataError, OptionError, ValidationError
from tpmkit.risk import CorrelationWarning, compare_mitigation, correlation_matrix, simulate
from tpmkit.widgets.progress import tqdm_progress

N = 20_000


def project(rows, **settings) -> tpmkit.Project:
    return tpmkit.read(pd.DataFrame(rows), **settings)


def chain(specs, dist="pert"):
    return project({"id": [f"T{i}" for i in range(len(specs))],
                    "optimistic": [s[0] for s in specs], "most_likely": [s[1] for s in specs],
                    "pessimistic": [s[2] for s in specs],
                    "distribution": dist if isinstance(dist, list) else [dist] * len(specs),
                    "predecessors": [""] + [f"T{i}" for i in range(len(specs) - 1)]})


def tri_moments(o, m, p):
    return (o + m + p) / 3, (o * o + m * m + p * p - o * m - o * p - m * p) / 18


def pert_moments(o, m, p, lam=4.0):
    a = 1 + lam * (m - o) / (p - o)
    b = 1 + lam * (p - m) / (p - o)
    return o + (p - o) * a / (a + b), (p - o) ** 2 * a * b / ((a + b) ** 2 * (a + b + 1))


# -- the statistics ---------------------------------------------------------------------------
def test_chain_mean_and_variance_are_sums():
    """A chain of n tasks: mean Σμ and variance Σσ² (within 4 standard errors)."""
    specs = [(2, 4, 9), (1, 5, 6), (3, 3.5, 10), (10, 12, 20), (5, 6, 8)]
    dists = ["pert", "triangular", "uniform", "normal", "lognormal"]
    moments = [pert_moments(*specs[0]), tri_moments(*specs[1]),
               ((3 + 10) / 2, 7 ** 2 / 12), ((10 + 48 + 20) / 6, (10 / 6) ** 2),
               ((5 + 24 + 8) / 6, (3 / 6) ** 2)]
    r = simulate(chain(specs, dists), N, rng=1, progress=False)
    mu = sum(m for m, _ in moments)
    var = sum(v for _, v in moments)
    assert abs(r.mean - mu) < 4 * math.sqrt(var / N)
    se_var = np.std((r.finish - r.mean) ** 2) / math.sqrt(N)
    assert abs(r.std ** 2 - var) < 4 * se_var
    # per-task sample moments agree with the fitted distributions, too
    for k, (m, v) in enumerate(moments):
        assert abs(r.tasks["duration_mean"].iat[k] - m) < 4 * math.sqrt(v / N)


def test_parallel_identical_tasks_give_squared_cdf():
    """Two independent identical parallel tasks: P(max ≤ x) = F(x)²."""
    p = project({"id": ["A", "B"], "optimistic": [2, 2], "most_likely": [5, 5],
                 "pessimistic": [10, 10], "distribution": ["triangular"] * 2})
    r = simulate(p, N, rng=2, progress=False)
    cdf = stats.triang(3 / 8, loc=2, scale=8).cdf
    for x in (4.0, 5.5, 7.0, 8.5):
        expected = cdf(x) ** 2
        assert abs(r.probability(x) - expected) < 4 * math.sqrt(expected * (1 - expected) / N)
    # merge bias of the finish: E[max] exceeds the deterministic (mean) duration
    assert r.mean > r.deterministic_duration


def test_achieved_rank_correlation_matches_target():
    p = project({"id": list("ABCD"), "optimistic": [1, 2, 3, 1], "most_likely": [2, 3, 5, 2],
                 "pessimistic": [6, 9, 8, 3]})
    target = pd.DataFrame([[1, .6, .3], [.6, 1, .5], [.3, .5, 1]], index=list("ABC"),
                          columns=list("ABC"))
    r = simulate(p, N, rng=3, progress=False, correlation=target, keep_task_samples=True)
    tol = 4 / math.sqrt(N)  # the standard error of a rank correlation is ≤ 1/√N
    np.testing.assert_allclose(r.correlation_achieved.to_numpy(), target.to_numpy(), atol=tol)
    d = (r.task_finish - r.task_start)[list("ABC")]
    rho = stats.spearmanr(d).statistic
    np.testing.assert_allclose(rho, target.to_numpy(), atol=tol)
    with pytest.warns(CorrelationWarning, match="Z"):
        fixed = project({"id": ["A", "Z"], "optimistic": [1, np.nan],
                         "most_likely": [2, np.nan], "pessimistic": [4, np.nan],
                         "duration": [np.nan, 3]})
        assert simulate(fixed, 50, rng=0, progress=False,
                        correlation=[(["A", "Z"], 0.5)]).correlation_target is None
    # uncorrelated task D stays uncorrelated
    assert abs(stats.spearmanr(d["A"], r.task_finish["D"] - r.task_start["D"]).statistic) < tol


def test_invalid_correlation_is_repaired_with_a_warning():
    p = project({"id": list("ABC"), "optimistic": [1] * 3, "most_likely": [2] * 3,
                 "pessimistic": [4] * 3})
    bad = pd.DataFrame([[1, .9, -.9], [.9, 1, .9], [-.9, .9, 1]], index=list("ABC"),
                       columns=list("ABC"))
    with pytest.warns(CorrelationWarning, match=r"nearest correlation matrix.*[ABC]–[ABC]"):
        r = simulate(p, 2000, rng=4, progress=False, correlation=bad)
    fixed = r.correlation_target.to_numpy()
    assert np.linalg.eigvalsh(fixed).min() > -1e-9
    np.testing.assert_allclose(np.diag(fixed), 1.0)


@pytest.mark.parametrize(("spec", "match"), [
    (pd.DataFrame([[1, .5]], index=["A"], columns=["A", "B"]), "not square"),
    (pd.DataFrame([[1, .5], [.4, 1]], index=list("AB"), columns=list("AB")),
     "not symmetric in row.*A"),
    (pd.DataFrame([[1, 1.5], [1.5, 1]], index=list("AB"), columns=list("AB")),
     "outside.*A"),
    ([(["A", "Z"], 0.5)], "unknown task Z"),
])
def test_bad_correlation_names_the_row(spec, match):
    with pytest.raises(ValidationError, match=match):
        correlation_matrix(spec, ["A", "B", "C"])


def test_certain_risk_shifts_the_distribution_by_its_impact():
    """A risk with probability 1 and a fixed 4-day impact on a chain task adds exactly 4."""
    p = chain([(2, 4, 9), (1, 5, 6)])
    reg = pd.DataFrame({"id": ["R1"], "probability": [1.0], "tasks": ["T1"],
                        "impact_days": ["4"], "impact_cost": ["1000"]})
    base = simulate(p, 5000, rng=5, progress=False, risks=False)
    hit = simulate(p, 5000, rng=5, progress=False, risks=reg)
    np.testing.assert_allclose(hit.finish, base.finish + 4, atol=1e-12)
    np.testing.assert_allclose(hit.cost, base.cost + 1000, atol=1e-9)
    assert hit.risks.loc["R1", "occurrence"] == 1.0
    assert hit.risks.loc["R1", "p80_contribution"] == pytest.approx(4.0, abs=1e-9)
    # a three-point impact shifts the mean by the triangular mean
    reg3 = reg.assign(impact_days=["2,5,11"])
    hit3 = simulate(p, N, rng=5, progress=False, risks=reg3)
    m, v = tri_moments(2, 5, 11)
    assert abs((hit3.mean - base.mean) - m) < 4 * math.sqrt(v / N) + 4 * base.std / math.sqrt(N)


def test_percent_impacts_opportunities_and_project_level_risks():
    p = project({"id": ["A"], "duration": [10]})
    reg = pd.DataFrame({"id": ["R1", "O1", "R2"], "probability": [1.0, 1.0, 1.0],
                        "tasks": ["A", "A", ""], "impact_percent": ["20", "5", None],
                        "impact_days": [None, None, "3"],
                        "type": ["threat", "opportunity", "threat"]})
    r = simulate(p, 50, rng=0, progress=False, risks=reg)
    # +20 % and −5 % of the sampled 10 days on A, +3 days on the project finish
    np.testing.assert_allclose(r.finish, 10 + 2 - 0.5 + 3)


@pytest.mark.parametrize(("change", "match"), [
    ({"tasks": ["NOPE"]}, "R1.*NOPE"),
    ({"probability": [150]}, "R1"),
    ({"impact_days": ["9,5,2"]}, "R1.*o ≤ m ≤ p"),
])
def test_bad_register_names_the_risk(change, match):
    p = project({"id": ["A"], "duration": [10]})
    reg = pd.DataFrame({"id": ["R1"], "probability": [0.5], "tasks": ["A"],
                        "impact_days": ["2,5,9"]})
    with pytest.raises(ValidationError, match=match):
        simulate(p, 10, rng=0, progress=False, risks=reg.assign(**change))


def test_bad_canonical_register_is_caught_too():
    """A hand-made normalised register is checked as well (probability, order, tasks)."""
    from tpmkit.risk import normalize_register

    p = project({"id": ["A"], "duration": [10]})
    reg = normalize_register(pd.DataFrame({"id": ["R7"], "probability": [0.5], "tasks": ["A"],
                                           "impact_days": ["2,5,9"]}))
    with pytest.raises(ValidationError, match="R7"):
        simulate(p, 10, rng=0, progress=False, risks=reg.assign(post_probability=-0.1))
    with pytest.raises(ValidationError, match="R7"):
        simulate(p, 10, rng=0, progress=False, risks=reg.assign(impact_min=20.0))
    with pytest.raises(ValidationError, match="R7.*B"):
        simulate(p, 10, rng=0, progress=False, risks=reg.assign(tasks=[("B",)]))


def test_task_on_every_path_is_always_critical():
    p = project({"id": list("ABCD"), "optimistic": [1, 2, 2, 1], "most_likely": [2, 4, 4, 2],
                 "pessimistic": [4, 9, 9, 3], "predecessors": ["", "A", "A", "B; C"]})
    r = simulate(p, 5000, rng=6, progress=False)
    assert r.tasks.loc["A", "criticality"] == 1.0
    assert r.tasks.loc["D", "criticality"] == 1.0
    # identical parallel branches are each critical about half of the time
    assert abs(r.tasks.loc["B", "criticality"] - 0.5) < 4 * math.sqrt(0.25 / 5000)
    # the merge node starts later on average than the deterministic CPM start
    assert r.merge_bias.loc["D", "merge_bias"] > 0
    assert list(r.merge_bias.index) == ["D"]


def test_latin_hypercube_reduces_the_standard_error_of_the_mean():
    """Spread of the mean over 20 seeded replications: LHS well below plain sampling."""
    p = chain([(2, 4, 9), (1, 5, 6), (3, 4, 12)])
    plain = [simulate(p, 200, rng=s, progress=False).mean for s in range(20)]
    lhs = [simulate(p, 200, rng=s, progress=False, latin_hypercube=True).mean
           for s in range(20)]
    assert np.std(lhs) < 0.3 * np.std(plain)


def test_seeded_runs_are_reproducible():
    p = chain([(2, 4, 9), (1, 5, 6)])
    a = simulate(p, 3000, rng=42, progress=False)
    b = simulate(p, 3000, rng=42, progress=False)
    c = simulate(p, 3000, rng=43, progress=False)
    assert a.seed == 42
    np.testing.assert_array_equal(a.finish, b.finish)
    assert not np.array_equal(a.finish, c.finish)
    fresh = simulate(p, 500, progress=False)
    again = simulate(p, 500, rng=fresh.seed, progress=False)
    np.testing.assert_array_equal(fresh.finish, again.finish)
    g = np.random.default_rng(9)
    state = g.bit_generator.state
    r = simulate(p, 500, rng=g, progress=False)
    assert r.seed is None and r.rng_state == state


def test_sensitivity_indices():
    """SSI = CI·σ_task/σ_finish; SI = 1 on a chain; streaming Spearman ≈ exact Spearman."""
    p = project({"id": list("ABC"), "optimistic": [2, 1, 1], "most_likely": [4, 2, 2],
                 "pessimistic": [9, 3, 8], "predecessors": ["", "A", "A"]})
    r = simulate(p, 1000, rng=7, progress=False, keep_task_samples=True)
    d = r.task_finish - r.task_start
    t = r.tasks
    np.testing.assert_allclose(t["ssi"], t["criticality"] * d.std(ddof=0) / r.finish.std(),
                               rtol=1e-9)
    assert t.loc["A", "significance"] == pytest.approx(1.0)
    for k in "ABC":
        exact = stats.spearmanr(d[k], r.finish).statistic
        assert t.loc[k, "cruciality_spearman"] == pytest.approx(exact, abs=0.02)
        assert t.loc[k, "cruciality_pearson"] == pytest.approx(
            stats.pearsonr(d[k], r.finish).statistic, abs=1e-9)
        assert t.loc[k, "cruciality_kendall"] == pytest.approx(
            stats.kendalltau(d[k][:500], r.finish[:500]).statistic, abs=1e-9)
    # Williams' significance index from the per-iteration floats
    tf = (r.finish[:, None] - r.task_finish.to_numpy())  # parallel B/C end the project
    si_c = np.mean(d["C"] / (d["C"] + tf[:, 2]) * r.finish / r.finish.mean())
    assert t.loc["C", "significance"] == pytest.approx(si_c, rel=1e-9)
    assert r.tornado.index[0] == "A"
    assert set(r.tornado.columns) == {"p80_low", "p80_high", "p80_swing", "variance_share"}
    assert (r.tornado["p80_high"] >= r.tornado["p80_low"]).all()
    assert r.tornado_by("variance")["variance_share"].is_monotonic_decreasing
    with pytest.raises(OptionError, match="tornado"):
        r.tornado_by("mean")


def test_cost_and_joint_confidence():
    p = project({"id": ["A", "B"], "optimistic": [2, 1], "most_likely": [4, 2],
                 "pessimistic": [9, 6], "predecessors": ["", "A"], "cost": [1000, 500],
                 "rate": [100, 0]})
    r = simulate(p, 4000, rng=8, progress=False, keep_task_samples=True)
    d_a = r.task_finish["A"] - r.task_start["A"]
    np.testing.assert_allclose(r.cost, 1500 + 100 * d_a, rtol=1e-12)
    assert r.deterministic_cost == pytest.approx(1500 + 100 * p.tasks.loc["A", "duration"])
    jcl = r.joint_confidence(r.percentile(80), r.percentile(80, of="cost"))
    assert jcl <= 0.8 + 1e-12
    assert jcl == np.mean((r.finish <= r.percentile(80) + 1e-9)
                          & (r.cost <= r.percentile(80, of="cost") + 1e-9))
    assert list(r.scatter.columns) == ["finish", "cost"]


def test_probabilistic_branch():
    p = project({"id": ["A", "B"], "duration": [5, 3], "predecessors": ["", "A"],
                 "cost": [0, 100]})
    r = simulate(p, N, rng=9, progress=False, existence={"B": 0.3})
    share = np.mean(r.finish == 8.0)
    assert abs(share - 0.3) < 4 * math.sqrt(0.21 / N)
    assert np.all((r.finish == 8.0) | (r.finish == 5.0))
    np.testing.assert_array_equal(r.cost, np.where(r.finish == 8.0, 100.0, 0.0))
    with pytest.raises(ValidationError, match="B"):
        simulate(p, 10, rng=0, progress=False, existence={"B": 1.5})


def test_percent_lag_uses_the_sampled_duration():
    p = project({"id": ["A", "B"], "optimistic": [2, 1], "most_likely": [4, 1],
                 "pessimistic": [10, 1], "distribution": ["uniform", "fixed"],
                 "predecessors": ["", "A SS+50%"]})
    r = simulate(p, 500, rng=10, progress=False, keep_task_samples=True)
    d_a = r.task_finish["A"] - r.task_start["A"]
    np.testing.assert_allclose(r.task_start["B"], 0.5 * d_a, atol=1e-12)


def test_results_api_and_dates():
    p = project({"id": ["A", "B"], "optimistic": [2, 1], "most_likely": [4, 2],
                 "pessimistic": [9, 6], "predecessors": ["", "A"]},
                start="2027-01-04", deadline="2027-01-14")
    r = simulate(p, 3000, rng=11, progress=False)
    pc = r.percentiles
    assert list(pc.index[:3]) == ["p5", "p10", "p15"] and "p95" in pc.index
    assert pc["finish"].is_monotonic_increasing
    assert str(pc.loc["p50", "finish_date"].date()) >= "2027-01-04"
    # deadline 2027-01-14 is the end of working day 9 → offset 9
    assert r.deadline == 9.0
    assert r.probability() == r.probability(9) == r.probability("2027-01-14")
    assert 0 <= r.deterministic_confidence <= 1
    sc = r.s_curve
    assert sc["probability"].is_monotonic_increasing and sc["probability"].iat[-1] == 1.0
    h = r.histogram(20)
    assert h["count"].sum() == r.iterations
    assert np.sum(h["density"] * (h["right"] - h["left"])) == pytest.approx(1.0)
    assert len(r.finish_dates) == r.iterations
    assert "<table>" in r._repr_html_() and "P80" in r._repr_html_()
    assert "p80=" in repr(r)
    d = r.to_dict()
    assert {"iterations", "seed", "deterministic_duration", "mean", "std", "percentiles",
            "probability", "tasks"} <= set(d)
    se = r.standard_error
    assert se["mean"] == pytest.approx(r.std / math.sqrt(r.iterations))
    assert 0 < se["p80"] < 5 * se["mean"]


def test_errors_are_clear():
    p = chain([(2, 4, 9)])
    r = simulate(p, 100, rng=0, progress=False)
    with pytest.raises(DataError, match="deadline"):
        r.probability()
    with pytest.raises(DataError, match="start date"):
        r.probability("2027-01-01")
    with pytest.raises(OptionError, match="engine"):
        simulate(p, 10, engine="fortran")
    with pytest.raises(ValidationError, match="iterations"):
        simulate(p, 0)
    with pytest.raises(ValidationError, match="rng"):
        simulate(p, 10, rng="seed")
    with pytest.raises(OptionError, match="distribution"):
        simulate(p, 10, distribution="gamma")


def test_stop_at_convergence():
    p = chain([(2, 4, 9), (1, 5, 6), (3, 4, 12)])
    r = simulate(p, 200_000, rng=12, progress=False, tolerance=0.002)
    assert r.converged is True
    assert r.iterations < 200_000
    assert r.standard_error["mean"] < 0.05


def test_progress_bar(capsys):
    p = chain([(2, 4, 9)])
    simulate(p, 2000, rng=0, progress=False, chunk_size=500)
    assert capsys.readouterr().err == ""
    simulate(p, 2000, rng=0, progress=tqdm_progress(always=True), chunk_size=500)
    assert "simulate" in capsys.readouterr().err
    calls = []
    simulate(p, 2000, rng=0, progress=lambda done, total: calls.append((done, total)),
             chunk_size=500)
    assert calls == [(0, 2000), (500, 2000), (1000, 2000), (1500, 2000), (2000, 2000)]
    with pytest.raises(ValidationError, match="progress"):
        simulate(p, 100, rng=0, progress=True)


def test_mitigation_comparison():
    p = chain([(2, 4, 9), (1, 5, 6)])
    reg = pd.DataFrame({"id": ["R1", "R2"], "probability": [0.5, 0.4], "tasks": ["T0", "T1"],
                        "impact_days": ["2,4,8", "1,2,3"], "post_probability": [0.1, 0.4],
                        "response": ["mitigate", "accept"]})
    c = compare_mitigation(p, 5000, rng=13, risks=reg, progress=False)
    assert c.table.loc["difference", "mean"] < 0
    assert c.table.loc["difference", "p80"] == pytest.approx(
        c.post.percentile(80) - c.pre.percentile(80))
    assert c.pre.seed == c.post.seed == 13
    assert "before and after" in c._repr_html_()
    # risk drivers: R1 (more likely, larger) drives P80 more than R2
    assert c.pre.risks.loc["R1", "rank"] == 1


def test_pert_reference_case_merge_bias(case):
    """Anderson, Sweeney & Williams, Porta-Vac (Table 9.4–9.6): E(T) = 17, σ² = 2.72 on the
    critical path A–E–H–I–J. The simulation of the whole network has a mean ≥ 17 (merge
    bias: PERT ignores the near-critical paths); the critical path alone, simulated as a
    chain, reproduces E(T) and σ² within the Monte Carlo tolerance."""
    data = case("asw_portavac_pert")
    acts = data["activities"]
    rows = {"id": [a["id"] for a in acts],
            "optimistic": [a["optimistic"] for a in acts],
            "most_likely": [a["most_likely"] for a in acts],
            "pessimistic": [a["pessimistic"] for a in acts],
            "predecessors": [";".join(x["id"] for x in a["predecessors"]) for a in acts]}
    full = simulate(project(rows), N, rng=14, progress=False)
    e_t = data["expected"]["E_T"]["value"]
    var_t = data["expected"]["sigma2_T"]["exact"]
    assert full.deterministic_duration == pytest.approx(e_t)
    assert full.mean >= e_t
    assert full.mean - e_t > 4 * full.standard_error["mean"]  # the bias is real
    path = data["expected"]["critical_path"]["value"]
    pos = {a["id"]: a for a in acts}
    single = simulate(chain([(pos[k]["optimistic"], pos[k]["most_likely"],
                              pos[k]["pessimistic"]) for k in path]), N, rng=15,
                      progress=False)
    # beta-PERT variance ((p−o)/6)² only when the mode is central; compare with the exact
    # beta variance, and the classic PERT figure within its own approximation
    exact_var = sum(pert_moments(pos[k]["optimistic"], pos[k]["most_likely"],
                                 pos[k]["pessimistic"])[1] for k in path)
    assert abs(single.mean - e_t) < 4 * math.sqrt(exact_var / N)
    se_var = np.std((single.finish - single.mean) ** 2) / math.sqrt(N)
    assert abs(single.std ** 2 - exact_var) < 4 * se_var
    assert exact_var == pytest.approx(var_t, rel=0.25)
    p_sim = single.probability(20)
    assert abs(p_sim - data["expected"]["P(T<=20)"]["exact"]) < 0.03  # normal approx. vs beta sum


def test_command_line(tmp_path, capsys):
    from tpmkit.cli import main

    f = tmp_path / "p.yaml"
    f.write_text(
        "project: {name: Demo, start: 2027-01-04}\n"
        "tasks:\n"
        "  - {id: A, optimistic: 3, most_likely: 5, pessimistic: 9, cost: 400}\n"
        "  - {id: B, optimistic: 6, most_likely: 8, pessimistic: 14, predecessors: A}\n"
        "risks:\n"
        "  - {id: R1, probability: 0.3, tasks: B, impact_days: [2, 5, 10]}\n")
    assert main(["risk", str(f), "-n", "800", "--seed", "5", "--target", "2027-01-25",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["iterations"] == 800 and out["seed"] == 5
    assert {"p10", "p50", "p80", "p90"} <= set(out["percentiles"])
    assert 0 <= out["probability"] <= 1
    assert {"id", "criticality", "ssi", "cruciality"} <= set(out["tasks"][0])
    assert out["risks"][0]["id"] == "R1"
    assert main(["risk", str(f), "-n", "300", "--seed", "5", "--target", "15"]) == 0
    text = capsys.readouterr().out
    assert "P80" in text and "risk drivers" in text
    assert main(["risk", str(f), "-n", "0"]) == 2
    assert "iterations" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text(f.read_text().replace("tasks: B,", "tasks: Z,"))
    assert main(["risk", str(bad), "-n", "10"]) == 2
    assert "Z" in capsys.readouterr().err


def test_correlation_from_a_file_and_the_command_line(tmp_path, capsys):
    """`--correlation FILE` (matrix or groups) and `--correlate IDS=R` reach the engine."""
    from tpmkit.artefacts import read_correlation
    from tpmkit.cli import main

    f = tmp_path / "p.csv"
    pd.DataFrame({"id": list("ABC"), "optimistic": [2, 3, 1], "most_likely": [4, 5, 2],
                  "pessimistic": [9, 9, 6], "predecessors": ["", "", "A; B"]}).to_csv(
        f, index=False)
    matrix = tmp_path / "m.csv"
    matrix.write_text("id,A,B\nA,1,0.7\nB,0.7,1\n")
    groups = tmp_path / "g.csv"
    groups.write_text("tasks,coefficient\n\"A; B\",0.7\n")
    assert read_correlation(groups) == [(["A", "B"], 0.7)]
    pd.testing.assert_frame_equal(
        correlation_matrix(read_correlation(matrix), list("ABC")),
        correlation_matrix(read_correlation(groups), list("ABC")))
    for extra in (["--correlation", str(matrix)], ["--correlation", str(groups)],
                  ["--correlate", "A,B=0.7"]):
        assert main(["risk", str(f), "-n", "4000", "--seed", "2", "--json", *extra]) == 0
        pair = json.loads(capsys.readouterr().out)["correlation"]
        assert pair[0]["a"] == "A" and pair[0]["b"] == "B" and pair[0]["target"] == 0.7
        assert abs(pair[0]["achieved"] - 0.7) < 0.05
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n")
    assert main(["risk", str(f), "-n", "10", "--correlation", str(bad)]) == 2
    assert "tasks" in capsys.readouterr().err
    assert main(["risk", str(f), "-n", "10", "--correlate", "A,Z=0.5"]) == 2
    assert "Z" in capsys.readouterr().err
    assert main(["risk", str(f), "-n", "10", "--correlate", "A=0.5"]) == 2
    assert "two or more" in capsys.readouterr().err


def test_no_warnings_on_degenerate_inputs():
    """All fixed durations, a zero-duration milestone: no NaN warnings, NaN correlations."""
    p = project({"id": ["A", "M"], "duration": [3, 0], "predecessors": ["", "A"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = simulate(p, 100, rng=0, progress=False)
    assert r.std == 0.0
    assert r.tasks["cruciality_pearson"].isna().all()
    assert r.tornado.empty


def test_risk_drivers_on_long_runs_use_common_random_numbers():
    """Beyond 5,000 iterations the drivers come from re-runs of 5,000 with the same numbers."""
    p = chain([(2, 4, 9), (1, 5, 6)])
    reg = pd.DataFrame({"id": ["R1", "R2"], "probability": [1.0, 0.2], "tasks": ["T0", "T1"],
                        "impact_days": ["3", "1,2,3"]})
    r = simulate(p, 12_000, rng=21, progress=False, risks=reg)
    assert r.risks.loc["R1", "p80_contribution"] == pytest.approx(3.0, abs=1e-9)
    assert r.risks.loc["R1", "mean_contribution"] == pytest.approx(3.0, abs=1e-9)
    assert list(r.risks.sort_values("rank").index) == ["R1", "R2"]
