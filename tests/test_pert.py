"""PERT: Porta-Vac (Anderson, Sweeney & Williams) and the normal approximation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tpmkit
from tests.conftest import case_table, load_case
from tpmkit.errors import ValidationError
from tpmkit.pert import analyze, duration_for, moments, probability_of


@pytest.fixture
def porta_vac():
    case = load_case("asw_portavac_pert")
    return case, tpmkit.read(case_table(case["activities"]))


def test_porta_vac_expected_times_and_variances(porta_vac):
    """Table 9.5: expected times exact; variances printed to 2 decimals (file holds 4)."""
    case, project = porta_vac
    r = analyze(project)
    exp = case["expected"]
    for tid, v in exp["expected_times"]["value"].items():
        assert r.tasks.loc[tid, "mean"] == pytest.approx(v, abs=1e-12)
    for tid, v in exp["variances"]["value"].items():
        assert r.tasks.loc[tid, "variance"] == pytest.approx(v, abs=5e-5)


def test_porta_vac_project_distribution(porta_vac):
    """E(T) = 17, σ² = 98/36, σ = 1.65 (published, 2 decimals), P(T ≤ 20) = 0.9655 exact
    (the book's 0.9656 comes from the table lookup at the rounded z = 1.82)."""
    case, project = porta_vac
    exp = case["expected"]
    r = analyze(project, target=20, probability=0.95)
    assert r.expected_duration == exp["E_T"]["value"]
    assert r.critical_path == exp["critical_path"]["value"]
    assert r.variance == pytest.approx(exp["sigma2_T"]["exact"], abs=1e-6)
    assert r.std == pytest.approx(exp["sigma_T"]["value"], abs=0.005)
    assert r.probability == pytest.approx(exp["P(T<=20)"]["exact"], abs=5e-7)
    assert r.probability == pytest.approx(exp["P(T<=20)"]["value"], abs=2e-4)
    assert probability_of(r.expected_duration, r.std, r.duration) == pytest.approx(0.95)


def test_triangular_moments():
    mean, var = moments(2, 4, 9, method="triangular")
    assert mean == pytest.approx(5.0)
    assert var == pytest.approx((4 + 16 + 81 - 8 - 18 - 36) / 18)


@given(st.floats(0, 50), st.floats(0, 50), st.floats(0, 50))
def test_moments_are_ordered(a, b, c):
    o, m, p = sorted((a, b, c))
    for method in ("beta", "triangular"):
        mean, var = moments(o, m, p, method)
        assert o - 1e-9 <= mean <= p + 1e-9
        assert var >= -1e-12


def test_probability_inputs():
    with pytest.raises(ValidationError, match="strictly between 0 and 1"):
        duration_for(10, 1, 1.5)
    assert probability_of(10, 0, 10) == 1.0
    assert np.isclose(duration_for(10, 2, 0.5), 10)


def test_target_date_needs_start(porta_vac):
    _, project = porta_vac
    with pytest.raises(ValidationError, match="no start date"):
        analyze(project, target="2027-03-01")
    dated = project.replace(start="2027-01-04")
    r = analyze(dated, target="2027-01-27")   # 17 working days: Monday 4 Jan .. Wed 27 Jan
    assert r.target == 18 and r.probability > 0.5
