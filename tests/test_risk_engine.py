"""The Monte Carlo engine: compiled vs numpy reference, CPM equivalence, quantile functions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import special, stats

import tpmkit
from tpmkit._core import jit
from tpmkit.errors import ValidationError
from tpmkit.risk import quantile, simulate
from tpmkit.risk.distributions import _ndtri_py, build_sampler, ppf_numpy

# the compiled engine even for the small plans of these tests (a small run in a process that
# has not loaded numba takes the numpy path: test_a_small_simulation_does_not_load_numba)
jit.load()

LINK_TYPES = ["FS", "SS", "FF", "SF"]


@st.composite
def pdm_networks(draw, three_point: bool = False):
    """Random PDM networks: all link types, lags in days and percent, a few constraints."""
    n = draw(st.integers(2, 9))
    rows = []
    for j in range(n):
        d = draw(st.integers(0, 8))
        preds = []
        for i in draw(st.lists(st.integers(0, max(j - 1, 0)), max_size=3, unique=True)
                      if j else st.just([])):
            t = draw(st.sampled_from(LINK_TYPES))
            lag = draw(st.sampled_from(["", "+1", "-1", "+2", "+50%", "-25%"]))
            preds.append(f"T{i} {t}{lag}")
        row = {"id": f"T{j}", "duration": d, "predecessors": "; ".join(preds)}
        if three_point:
            o = draw(st.integers(0, 5))
            m = o + draw(st.integers(0, 4))
            row.update(optimistic=o, most_likely=m, pessimistic=m + draw(st.integers(0, 6)),
                       distribution=draw(st.sampled_from(
                           ["pert", "triangular", "uniform", "normal", "lognormal", "fixed"])))
        c = draw(st.sampled_from(["", "", "", "SNET", "FNET", "SNLT", "FNLT"]))
        if c:
            row.update(constraint=c, constraint_date=draw(st.integers(0, 20)))
        rows.append(row)
    return tpmkit.read(pd.DataFrame(rows))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pdm_networks())
def test_fixed_durations_reproduce_cpm(project):
    """o = m = p (here: plain durations) gives the CPM schedule in every iteration."""
    sched = tpmkit.schedule(project)
    r = simulate(project, 20, rng=1, progress=False, keep_task_samples=True)
    assert np.all(r.finish == sched.duration)
    np.testing.assert_array_equal(r.task_start.iloc[0].to_numpy(), sched.table["early_start"])
    np.testing.assert_array_equal(r.tasks["start_mean"].to_numpy(), sched.table["early_start"])
    # criticality in the CPM sense (float ≤ max(0, min float)) when no deadline is set
    np.testing.assert_array_equal(r.tasks["criticality"].to_numpy(),
                                  sched.table["critical"].to_numpy(float))
    assert r.deterministic_duration == sched.duration


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pdm_networks(three_point=True), st.integers(0, 2 ** 32))
def test_compiled_engine_is_bit_identical_to_numpy(project, seed):
    """The numba kernel and the numpy reference give the same bits for every output."""
    kw = {"rng": seed, "progress": False, "keep_task_samples": True, "chunk_size": 37}
    a = simulate(project, 90, **kw)
    b = simulate(project, 90, engine="numpy", **kw)
    _assert_same(a, b)


def _assert_same(a, b):
    np.testing.assert_array_equal(a.finish, b.finish)
    np.testing.assert_array_equal(a.cost, b.cost)
    pd.testing.assert_frame_equal(a.tasks, b.tasks, check_exact=True)
    pd.testing.assert_frame_equal(a.tornado, b.tornado, check_exact=True)
    pd.testing.assert_frame_equal(a.merge_bias, b.merge_bias, check_exact=True)
    pd.testing.assert_frame_equal(a.risks, b.risks, check_exact=True)
    assert (a.task_start is None) == (b.task_start is None)
    if a.task_start is not None:
        pd.testing.assert_frame_equal(a.task_start, b.task_start, check_exact=True)
        pd.testing.assert_frame_equal(a.task_finish, b.task_finish, check_exact=True)


@pytest.mark.parametrize("drawn_in_kernel", [False, True])
def test_bit_identical_with_every_feature(drawn_in_kernel):
    """Risks in days / percent / without tasks, branches, correlation, LHS, empirical.

    With correlation and LHS the uniforms are drawn by numpy and passed in; without, the
    kernel draws them from the counter-based generator (and the reference calls its numpy
    twin)."""
    p = tpmkit.read(pd.DataFrame({
        "id": list("ABCDEFG"),
        "optimistic": [2, 3, 1, 4, 2, 1, np.nan], "most_likely": [4, 4, 2, 6, 3, 1, np.nan],
        "pessimistic": [9, 8, 6, 12, 5, 1, np.nan],
        "duration": [np.nan] * 6 + [5],
        "distribution": ["pert", "triangular", "normal", "lognormal", "uniform", "fixed",
                         "empirical"],
        "empirical": [""] * 6 + ["3, 5, 5, 8"],
        "predecessors": ["", "A SS+50%", "A", "B FF+1; C", "C SF+2", "D; E", "B"],
        "constraint": ["", "", "", "", "SNET", "", "FNLT"],
        "constraint_date": [np.nan, np.nan, np.nan, np.nan, 6, np.nan, 30],
        "cost": [100, 0, 50, 0, 0, 10, 0], "rate": [10, 20, 0, 5, 0, 0, 1],
        "existence_probability": [np.nan, np.nan, 0.6, np.nan, np.nan, np.nan, np.nan]}))
    reg = pd.DataFrame({"id": ["R1", "R2", "R3", "O1"], "probability": [0.4, 0.3, 0.2, 0.5],
                        "tasks": ["B; D", "D", "", "C"],
                        "impact_days": ["1,2,5", None, "3", None],
                        "impact_percent": [None, "10,20,40", None, "5,10,15"],
                        "impact_cost": ["100,200,900", "50", None, "10,20,30"],
                        "type": ["threat", "threat", "threat", "opportunity"],
                        "post_probability": [0.1, 0.3, 0.2, 0.5]})
    kw = {"rng": 11, "progress": False, "keep_task_samples": True, "chunk_size": 150,
          "risks": reg, "latin_hypercube": True,
          "correlation": [(["A", "B", "D"], 0.5)]}
    if drawn_in_kernel:
        del kw["latin_hypercube"], kw["correlation"]
    for mitigated in (False, True):
        a = simulate(p, 400, mitigated=mitigated, **kw)
        b = simulate(p, 400, engine="numpy", mitigated=mitigated, **kw)
        _assert_same(a, b)
        assert a.tasks["cruciality_kendall"].notna().sum() >= 5


def test_constraints_and_deterministic_dates_match_cpm():
    """MSO/MFO pins and percent lags in a deterministic network equal tpmkit.schedule."""
    p = tpmkit.read(pd.DataFrame({
        "id": ["A", "B", "C", "D"], "duration": [4, 3, 5, 2],
        "predecessors": ["", "A SS+25%", "B FF+1", "C"],
        "constraint": ["", "", "MSO", "MFO"], "constraint_date": [np.nan, np.nan, 3, 14]}))
    s = tpmkit.schedule(p)
    r = simulate(p, 5, rng=0, progress=False, keep_task_samples=True)
    np.testing.assert_array_equal(r.task_start.iloc[-1].to_numpy(), s.table["early_start"])
    np.testing.assert_array_equal(r.task_finish.iloc[-1].to_numpy(), s.table["early_finish"])


# -- quantile functions -------------------------------------------------------------------
def test_pert_table_matches_betaincinv():
    """The tabulated beta-PERT quantile is within 1e-4·(p − o) of scipy's betaincinv."""
    u = np.random.default_rng(0).random(20_000)
    for o, m, p in [(0, 0, 10), (0, 10, 10), (2, 5, 30), (1, 1.2, 2), (3, 5, 7)]:
        a = 1 + 4 * (m - o) / (p - o)
        b = 1 + 4 * (p - m) / (p - o)
        exact = o + (p - o) * special.betaincinv(a, b, u)
        got = quantile("pert", u, o, m, p)
        assert np.max(np.abs(got - exact)) < 1e-4 * (p - o)
        assert abs(got.mean() - exact.mean()) < 1e-6 * (p - o)


def test_closed_form_quantiles():
    u = np.linspace(0, 0.999, 1000)
    np.testing.assert_allclose(quantile("uniform", u, 2, 3, 6), 2 + 4 * u)
    np.testing.assert_allclose(quantile("triangular", u, 1, 3, 9),
                               stats.triang.ppf(u, 2 / 8, loc=1, scale=8), atol=1e-12)
    # normal: PERT mean and (p − o)/6, truncated at 0 (negligible here)
    np.testing.assert_allclose(quantile("normal", u[1:], 10, 12, 20),
                               stats.norm.ppf(u[1:], 13.0, 10 / 6), atol=1e-9)
    mu, sd = 13.0, 10 / 6
    s2 = np.log1p((sd / mu) ** 2)
    np.testing.assert_allclose(quantile("lognormal", u[1:], 10, 12, 20),
                               stats.lognorm.ppf(u[1:], np.sqrt(s2), scale=mu * np.exp(-s2 / 2)),
                               rtol=1e-12)
    assert np.all(quantile("normal", u, 0, 1, 10) >= 0)  # truncated at 0


def test_ndtri_matches_scipy():
    p = np.concatenate([np.random.default_rng(3).random(5000), [1e-300, 1e-10, 0.5, 1 - 1e-12]])
    got = np.array([_ndtri_py(x) for x in p])
    np.testing.assert_allclose(got, special.ndtri(p), rtol=1e-13, atol=1e-13)


def test_pert_lambda_changes_the_mean():
    """Modified PERT: mean (o + λm + p)/(λ + 2)."""
    u = (np.arange(200_000) + 0.5) / 200_000
    for lam in (2.0, 4.0, 8.0):
        got = quantile("pert", u, 1, 3, 11, pert_lambda=lam).mean()
        assert got == pytest.approx((1 + lam * 3 + 11) / (lam + 2), abs=1e-4)


def test_sampler_errors_name_the_task():
    df = pd.DataFrame({"optimistic": [1], "most_likely": [2], "pessimistic": [3],
                       "distribution": ["gamma"]}, index=["X1"])
    with pytest.raises(ValidationError, match="X1"):
        build_sampler(df, np.array([2.0]))
    df = pd.DataFrame({"distribution": ["empirical"], "optimistic": [np.nan],
                       "most_likely": [np.nan], "pessimistic": [np.nan]}, index=["E9"])
    with pytest.raises(ValidationError, match="E9.*observed values"):
        build_sampler(df, np.array([2.0]))


def test_empirical_and_ratios():
    df = pd.DataFrame({"distribution": ["empirical", "empirical"],
                       "optimistic": [np.nan] * 2, "most_likely": [np.nan] * 2,
                       "pessimistic": [np.nan] * 2}, index=["A", "B"])
    s = build_sampler(df, np.array([10.0, 4.0]), empirical={"A": [3, 8, 4]},
                      ratios=[0.5, 1.0, 2.0])
    u = np.array([0.0, 0.34, 0.99])
    np.testing.assert_array_equal(ppf_numpy(0, u, s), [3, 4, 8])
    np.testing.assert_array_equal(ppf_numpy(1, u, s), [2, 4, 8])


def _random_chain(n: int, seed: int) -> tpmkit.Project:
    """A random FS network: each task follows one of the five tasks before it."""
    rng = np.random.default_rng(seed)
    o = rng.integers(1, 5, n).astype(float)
    preds = [""] + [f"T{rng.integers(max(0, j - 5), j)}" for j in range(1, n)]
    return tpmkit.read(pd.DataFrame({"id": [f"T{j}" for j in range(n)], "optimistic": o,
                                     "most_likely": o + 2, "pessimistic": o + 6,
                                     "predecessors": preds}))


def test_results_do_not_depend_on_the_thread_count():
    """The fixed parts of every chunk give the same bits with one thread or several."""
    from tpmkit._core.jit import HAVE_NUMBA
    from tpmkit.risk._engine import PARTS, part_bounds

    if not HAVE_NUMBA:
        pytest.skip("threads are numba's (without it the numpy path runs)")
    import numba

    b = part_bounds(1001)
    assert b[0] == 0 and b[-1] == 1001 and len(b) == PARTS + 1 and np.all(np.diff(b) >= 0)
    p = _random_chain(40, seed=3)
    kw = {"rng": 5, "progress": False, "chunk_size": 301}
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = simulate(p, 903, **kw)
    finally:
        numba.set_num_threads(before)
    many = simulate(p, 903, **kw)
    _assert_same(one, many)
    _assert_same(one, simulate(p, 903, engine="numpy", **kw))


# -- counter-based uniforms ------------------------------------------------------------------
def test_counter_uniforms_are_uniform_and_independent():
    """SplitMix64 at counter positions: uniform on [0, 1), streams uncorrelated, and the
    compiled filler gives the numpy function's bits."""
    from tpmkit.risk._random import draw_key, fill_uniforms, uniforms

    key = draw_key(np.random.default_rng(12))
    u = uniforms(key, np.arange(20), 0, 5000)
    assert ((u >= 0) & (u < 1)).all()
    for row in u[:5]:
        assert stats.kstest(row, "uniform").pvalue > 1e-4
    r = np.corrcoef(u)[np.triu_indices(20, 1)]
    assert np.abs(r).max() < 5 / np.sqrt(5000)  # 20·19/2 pairs, each sd 1/√5000
    out = np.empty(300)
    fill_uniforms(key, 7, 1234, 300, out)
    np.testing.assert_array_equal(out, uniforms(key, np.array([7]), 1234, 300)[0])
    other = uniforms(draw_key(np.random.default_rng(13)), np.arange(20), 0, 5000)
    assert not np.array_equal(u, other)


def test_drawn_samples_do_not_depend_on_the_chunking():
    """Each (task, iteration) has its own counter: the per-iteration results are the same
    whatever the chunk size (the sums differ only in their order)."""
    p = _random_chain(30, seed=4)
    a = simulate(p, 1500, rng=8, progress=False, chunk_size=1500)
    b = simulate(p, 1500, rng=8, progress=False, chunk_size=211)
    np.testing.assert_array_equal(a.finish, b.finish)
    np.testing.assert_array_equal(a.tasks["criticality"], b.tasks["criticality"])
    np.testing.assert_allclose(a.tasks["duration_mean"], b.tasks["duration_mean"], rtol=1e-12)


@pytest.mark.parametrize("lam", [0.7, 4.0, 9.5])
def test_pert_distinct_shapes_grid_matches_beta_ppf(lam):
    """Many distinct (o, m, p): the tables come from the shared mode grid, error < 1e-4·(p − o)."""
    rng = np.random.default_rng(int(lam * 10))
    n = 400
    r = np.concatenate([rng.random(n - 80), rng.random(40) * 1e-3, 1.0 - rng.random(40) * 1e-3])
    o = rng.uniform(0.0, 20.0, n)
    p = o + rng.uniform(0.5, 30.0, n)
    m = o + r * (p - o)
    df = pd.DataFrame({"optimistic": o, "most_likely": m, "pessimistic": p},
                      index=[f"T{k}" for k in range(n)])
    s = build_sampler(df, m.copy(), pert_lambda=lam)
    assert len(s.q_mid) == n  # distinct shapes: the grid path
    u = np.concatenate([rng.random(200), rng.random(20) * 1e-6, 1.0 - rng.random(20) * 1e-6])
    fc = (m - o) / (p - o)
    for k in range(n):
        a, b = 1.0 + lam * fc[k], 1.0 + lam * (1.0 - fc[k])
        want = o[k] + (p[k] - o[k]) * stats.beta.ppf(u, a, b)
        got = ppf_numpy(k, u, s)
        assert np.abs(got - want).max() < 1e-4 * (p[k] - o[k]), (k, a, b)


# -- reproducibility: chunk size and thread count never change a sample (issue 21) -----------
def _options(name: str) -> tuple[tpmkit.Project, dict]:
    p = tpmkit.datasets.load("software_release_tracking" if name == "status date"
                             else "software_release")
    ids = list(p.tasks.index)
    return p, {"plain": {"risks": False}, "register": {}, "mitigated": {"mitigated": True},
               "branches": {"existence": {ids[3]: 0.4, ids[7]: 0.7}},
               "latin hypercube": {"latin_hypercube": True},
               "correlation": {"correlation": [(ids[2:6], 0.6)]},
               "lhs + correlation + register": {"latin_hypercube": True,
                                                "correlation": [(ids[2:6], 0.6)]},
               "status date": {}}[name]


def _with_threads(threads: int | None, fn):
    from tpmkit._core.jit import HAVE_NUMBA

    if threads is None or not HAVE_NUMBA:
        return fn()
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    try:
        return fn()
    finally:
        numba.set_num_threads(before)


@pytest.mark.parametrize("name", ["plain", "register", "mitigated", "branches", "latin hypercube",
                                  "correlation", "lhs + correlation + register", "status date"])
def test_samples_do_not_depend_on_chunk_size_or_threads(name):
    """Every random number is a function of the seed and its iteration: the finish and cost of
    every iteration, the risk occurrences and drivers and the integer counts are the same bits
    with any chunk size and one thread or several (float sums differ in their order only)."""
    import warnings

    p, opts = _options(name)
    kw = {"rng": 17, "progress": False, **opts}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # progress warnings of the status-dated sample
        ref = simulate(p, 1300, **kw)
        runs = [simulate(p, 1300, chunk_size=211, **kw),
                _with_threads(1, lambda: simulate(p, 1300, chunk_size=1000, **kw)),
                simulate(p, 1300, chunk_size=97, engine="numpy", **kw)]
    for r in runs:
        np.testing.assert_array_equal(r.finish, ref.finish)
        np.testing.assert_array_equal(r.cost, ref.cost)
        np.testing.assert_array_equal(r.tasks["criticality"], ref.tasks["criticality"])
        np.testing.assert_allclose(r.tasks["duration_mean"], ref.tasks["duration_mean"],
                                   rtol=1e-12, atol=1e-12)
        pd.testing.assert_frame_equal(r.risks, ref.risks, check_exact=True)
    assert ref.std > 0


def test_compare_mitigation_does_not_depend_on_chunk_size():
    from tpmkit.risk import compare_mitigation

    p = tpmkit.datasets.load("software_release")
    a = compare_mitigation(p, 900, rng=4, progress=False)
    b = compare_mitigation(p, 900, rng=4, progress=False, chunk_size=128)
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    assert a.table.loc["difference", "mean"] != 0


@pytest.mark.parametrize("iterations", [1, 2, 3, 4, 9])
def test_few_iterations_with_every_feature(iterations):
    """Small counts run (no empty part or block crashes the kernel) with a register, branches,
    Latin hypercube and correlation; the CLI's minimum of 10 is its own (test_hostile)."""
    p = tpmkit.datasets.load("software_release")
    ids = list(p.tasks.index)
    r = simulate(p, iterations, rng=2, progress=False, latin_hypercube=True,
                 existence={ids[3]: 0.5}, correlation=[(ids[2:5], 0.5)])
    assert len(r.finish) == iterations and np.isfinite(r.finish).all()
    assert len(r.risks) == len(p.risks) and len(r.tasks) == len(ids)


# -- risk drivers from the same samples ---------------------------------------------------------
def _driver_case() -> tuple[tpmkit.Project, pd.DataFrame]:
    """A chain A → B with a parallel short task C: R1 > R2 > R3 on the chain, R4 on C (float)."""
    p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "optimistic": [8, 6, 1],
                                  "most_likely": [10, 8, 1], "pessimistic": [14, 12, 1],
                                  "predecessors": ["", "A", ""]}))
    reg = pd.DataFrame({"id": ["R1", "R2", "R3", "R4"], "probability": [0.5, 0.3, 0.4, 0.5],
                        "tasks": ["A", "B", "A", "C"],
                        "impact_days": ["8,10,12", "2,3,4", "0.5,1,1.5", "4,5,6"]})
    return p, reg


def test_risk_drivers_from_the_same_samples_agree_with_reruns():
    """The conditional estimate (iterations where the risk did not fire) ranks the drivers as
    the re-run without each risk does, and the mean contribution of a days impact on a chain is
    p·E[impact] (R1 5, R2 0.9, R3 0.4; R4 hits a task with 10 days of float: 0)."""
    p, reg = _driver_case()
    same = simulate(p, 20_000, rng=5, progress=False, risks=reg, risk_drivers="samples")
    rerun = simulate(p, 20_000, rng=5, progress=False, risks=reg, risk_drivers="rerun")
    order = ["R1", "R2", "R3", "R4"]
    assert list(same.risks.sort_values("rank").index) == order
    assert list(rerun.risks.sort_values("rank").index) == order
    sd = same.std
    for rid, want in {"R1": 5.0, "R2": 0.9, "R3": 0.4, "R4": 0.0}.items():
        # standard error of a difference of means over ≥ 6,000 iterations: < 2·sd/√6000
        assert same.risks.loc[rid, "mean_contribution"] == pytest.approx(want, abs=4 * 2 * sd / 6000 ** 0.5)
    assert rerun.risks.loc["R4", "p80_contribution"] == 0.0
    np.testing.assert_allclose(same.risks["p80_contribution"], rerun.risks["p80_contribution"],
                               atol=0.3)


def test_risk_drivers_take_one_run_whatever_the_register(monkeypatch):
    """Forty risks: the ranking from the same samples runs the simulation once (no run per
    risk); only a near-certain risk (not fired in fewer than 200 iterations) gets a re-run."""
    from tpmkit.risk import _run

    calls = []
    real = _run.Plan.run

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(_run.Plan, "run", counting)
    p = _random_chain(60, seed=2)
    reg = pd.DataFrame({"id": [f"R{i}" for i in range(40)],
                        "probability": [1.0] + [0.3] * 39,
                        "tasks": [f"T{i}" for i in range(40)], "impact_days": ["1,2,3"] * 40})
    r = simulate(p, 2000, rng=1, progress=False, risks=reg, risk_drivers="samples")
    assert len(calls) == 2  # the main run and R0's re-run
    assert r.risks["p80_contribution"].notna().all()
    calls.clear()
    simulate(p, 300, rng=1, progress=False, risks=reg, risk_drivers="rerun")
    assert len(calls) == 41
    # the default: re-runs while they cost ≤ 5 M task-iterations (40 × 300 × 60 = 0.72 M),
    # the same samples beyond (40 × 2,200 × 60 = 5.3 M)
    calls.clear()
    simulate(p, 300, rng=1, progress=False, risks=reg)
    assert len(calls) == 41
    calls.clear()
    simulate(p, 2200, rng=1, progress=False, risks=reg)
    assert len(calls) == 2
    with pytest.raises(ValidationError, match="risk_drivers"):
        simulate(p, 10, rng=1, progress=False, risks=reg, risk_drivers="fast")


@pytest.mark.parametrize("lam", [0.7, 4.0, 9.5])
@pytest.mark.parametrize("n_shapes", [12, 400])  # the exact per-shape tables; the mode grid
def test_pert_quantile_at_the_extremes(lam, n_shapes):
    """u = 0, the tail/body boundaries and the largest uniform below 1, modes at o and at p:
    error < 1e-4·(p − o) against scipy.stats.beta.ppf on both table paths (a large β used to
    give an infinite slope in the last upper-tail cell of the exact tables: Q = 0 at u → 1)."""
    from tpmkit.risk.distributions import TAIL, U_MAX

    rng = np.random.default_rng(3)
    r = np.concatenate([[0.0, 1.0, 1e-4, 1 - 1e-4], rng.random(n_shapes - 4)])
    o = rng.uniform(0.0, 5.0, n_shapes)
    p = o + rng.uniform(1.0, 10.0, n_shapes)
    m = o + r * (p - o)
    df = pd.DataFrame({"optimistic": o, "most_likely": m, "pessimistic": p},
                      index=[f"T{k}" for k in range(n_shapes)])
    s = build_sampler(df, m.copy(), pert_lambda=lam)
    u = np.array([0.0, 1e-15, 1e-12, np.nextafter(TAIL, 0), TAIL, 0.5,
                  np.nextafter(1 - TAIL, 0), 1 - TAIL, 1 - 1e-12, U_MAX - 2 ** -52, U_MAX])
    for k in range(n_shapes):
        a, b = 1.0 + lam * r[k], 1.0 + lam * (1.0 - r[k])
        want = o[k] + (p[k] - o[k]) * stats.beta.ppf(u, a, b)
        got = ppf_numpy(k, u, s)
        assert np.abs(got - want).max() < 1e-4 * (p[k] - o[k]), (k, a, b)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(2, 60), k=st.integers(1, 4), levels=st.integers(1, 8), seed=st.integers(0, 2**31))
def test_kendall_tau_counts_match_scipy_with_ties(n, k, levels, seed):
    """The O(n log n) count gives scipy's τ-b, ties in either variable included."""
    from tpmkit.risk.result import _kendall_tau

    rng = np.random.default_rng(seed)
    d = rng.integers(0, levels, (n, k)).astype(float)
    d[:, 0] += rng.normal(size=n) * (levels > 4)  # one column mostly without ties
    t = rng.integers(0, levels + 1, n).astype(float)
    got = _kendall_tau(d, t)
    want = np.array([stats.kendalltau(d[:, j], t).statistic for j in range(k)])
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(got[~np.isnan(got)], want[~np.isnan(want)], atol=1e-12)


def test_a_small_simulation_does_not_load_numba():
    """Below 500,000 task-iterations a fresh process simulates on the numpy path (the same
    results) instead of importing numba and its cached kernels; a large run compiles."""
    import subprocess
    import sys

    code = ("import sys, pandas as pd, tpmkit\n"
            "from tpmkit.risk import simulate\n"
            "t = pd.DataFrame({'id': [f'T{k}' for k in range(40)], 'optimistic': 2.0,\n"
            "                  'most_likely': 3.0, 'pessimistic': 7.0,\n"
            "                  'predecessors': [''] + [f'T{k - 1}' for k in range(1, 40)]})\n"
            "p = tpmkit.read(t)\n"
            "r = simulate(p, 2000, rng=1, progress=False); r.tasks\n"
            "small = 'numba' in sys.modules\n"
            "big = simulate(p, 20_000, rng=1, progress=False)\n"
            "print(small, 'numba' in sys.modules, r.finish[:3].tolist() == "
            "simulate(p, 2000, rng=1, progress=False).finish[:3].tolist())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", str(jit.HAVE_NUMBA), "True"]


def test_sampler_tables_are_c_contiguous_for_many_distinct_shapes():
    """Plans with many distinct (o, m, p) build their beta tables from the mode-position
    spline; they are C-contiguous like the exact tables of few shapes, so the kernel has one
    compiled signature (the one the install-time warm-up compiles; a strided table made the
    first large simulation compile for ~26 s)."""
    rng = np.random.default_rng(5)
    o = rng.uniform(1, 5, 1000)
    m = o + rng.uniform(0.1, 4, 1000)
    p = m + rng.uniform(0.1, 9, 1000)
    tasks = pd.DataFrame({"optimistic": o, "most_likely": m, "pessimistic": p},
                         index=[f"T{k}" for k in range(1000)])
    few = tasks.iloc[:3]
    for t in (tasks, few):
        s = build_sampler(t, t["most_likely"].to_numpy())
        arrays = {k: v for k, v in vars(s).items() if isinstance(v, np.ndarray)}
        assert all(v.flags.c_contiguous for v in arrays.values()), [
            k for k, v in arrays.items() if not v.flags.c_contiguous]
