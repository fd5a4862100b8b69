"""Tests of tpmkit.evm.signals: early-warning signs and the probabilistic EVM forecast."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tpmkit import evm
from tpmkit.errors import DataError, EVMWarning, OptionError, ValidationError


def _table(pv, ev, ac):
    n = len(pv)
    pad = [np.nan] * (n - len(ev))
    return pd.DataFrame({"period": np.arange(1, n + 1), "pv": pv,
                         "ev": list(ev) + pad, "ac": list(ac) + pad})


def _metrics(pv, ev, ac, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EVMWarning)
        return evm.metrics(_table(pv, ev, ac), **kw)


def _cobra():
    ev = np.cumsum([100, 75, 75, 75, 100, 75, 100, 100.0])
    ac = np.cumsum([100, 100, 100, 100, 125, 100, 125, 150.0])
    return _metrics(np.arange(1, 11) * 100.0, ev, ac)


# --------------------------------------------------------------------------------------
# warning signs
# --------------------------------------------------------------------------------------
def test_cobra_current_and_window_performance_factors():
    """Deltek Cobra help, "Examples of statistical forecast calculations" (published).

    Work package of BAC 1,000 after period 8 (EV 700, AC 900): PF = 1/CPI current period
    = 150/100 → EAC 1,350; PF = 1/CPI last 3 periods = 375/275 → EAC 1,309; last 6 periods
    = 700/525 → EAC 1,300; cumulative PF = 900/700 → EAC 1,286. The help prints whole
    currency units, so the tolerance is 0.5.
    """
    r = _cobra()
    last = evm.warning_signs(r).table.iloc[-1]
    assert 1 / last.cpi_period == pytest.approx(1.5, abs=1e-12)
    assert last.eac_cpi_period == pytest.approx(1350, abs=0.5)
    assert 1 / last.cpi_window == pytest.approx(375 / 275, abs=1e-12)
    assert last.eac_cpi_window == pytest.approx(1309, abs=0.5)
    six = evm.warning_signs(r, window=6).table.iloc[-1]
    assert six.eac_cpi_window == pytest.approx(1300, abs=0.5)
    assert evm.latest(r).eac == pytest.approx(1286, abs=0.5)


def test_current_period_indices_are_increments():
    """Hand-worked: PV 100/period; EV 90, 170, 280; AC 100, 200, 300 (cumulative)."""
    r = _metrics([100.0, 200, 300, 400], [90, 170, 280], [100, 200, 300])
    t = evm.warning_signs(r).table
    assert t["cpi_period"].tolist() == pytest.approx([0.9, 0.8, 1.1])
    assert t["spi_period"].tolist() == pytest.approx([0.9, 0.8, 1.1])
    # ES = 0.9, 1.7, 2.8 (linear PV): ΔES per period = SPI(t) of the period
    assert t["spi_t_period"].tolist() == pytest.approx([0.9, 0.8, 1.1])
    assert t.index.tolist() == [1, 2, 3]


def test_tcpi_gap_sign():
    """Hand-worked: BAC 100, EV 40, AC 50 → CPI 0.8, TCPI = 60/50 = 1.2, gap 0.4 > 0.10."""
    r = _metrics([50.0, 100], [40], [50])
    s = evm.warning_signs(r).signs
    assert s.at["tcpi_gap", "value"] == pytest.approx(0.4)
    assert s.at["tcpi_gap", "triggered"] is True
    # the comparison is strict: a threshold just above the gap stays quiet
    assert evm.warning_signs(r, tcpi_gap=0.4 + 1e-9).signs.at["tcpi_gap", "triggered"] is False


def test_tcpi_gap_infinite_once_the_budget_is_spent():
    r = _metrics([50.0, 100], [60], [110])
    s = evm.warning_signs(r).signs
    assert math.isinf(s.at["tcpi_gap", "value"]) and s.at["tcpi_gap", "triggered"] is True


def test_trend_signs_need_three_falls():
    """CPI cum 1.0, 0.95, 0.9, 0.85 falls three times; a rise in between clears the sign."""
    ev = [100, 190, 270, 340]
    ac = [100, 200, 300, 400]
    r = _metrics([100.0, 200, 300, 400, 500], ev, ac)
    s = evm.warning_signs(r).signs
    assert s.at["cpi_falling", "triggered"] is True
    assert s.at["cpi_falling", "value"] == pytest.approx(340 / 400 - 1.0)
    up = _metrics([100.0, 200, 300, 400, 500], [100, 190, 290, 340], ac)
    assert evm.warning_signs(up).signs.at["cpi_falling", "triggered"] is False
    short = _metrics([100.0, 200, 300, 400, 500], ev[:3], ac[:3])
    ws = evm.warning_signs(short)
    assert ws.signs.at["cpi_falling", "triggered"] is None
    assert "cpi_falling" not in ws.triggered


def test_warning_signs_on_the_tracking_sample():
    """At 2027-04-30 the bundled sample shows every falling sign (computed, regression)."""
    import tpmkit

    p = evm.as_of(tpmkit.datasets.load("software_release_tracking"), "2027-04-30")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EVMWarning)
        ws = evm.warning_signs(evm.metrics(p))
    assert set(ws.triggered) >= {"cpi_falling", "spi_t_falling", "tcpi_gap"}
    assert ws.status_period == 4
    assert "<b>Early-warning signs</b>" in ws._repr_html_()


def test_window_validation():
    with pytest.raises(ValidationError, match="window"):
        evm.warning_signs(_cobra(), window=0)


# --------------------------------------------------------------------------------------
# probabilistic forecast
# --------------------------------------------------------------------------------------
def _alternating():
    # EV 100 per period, AC 80, 125, 80, 125: periodic CPI 1.25, 0.8, 1.25, 0.8
    return _metrics(np.arange(1, 11) * 100.0, np.cumsum([100.0] * 4),
                    np.cumsum([80.0, 125, 80, 125]))


def test_lognormal_hand_worked():
    """Lipke et al. (2009) method worked by hand.

    ln periodic CPI = ±ln 1.25 = ±0.2231436, σ (n − 1) = 0.2576640; CPI cum = 400/410.
    SPI(t) = 1 every period (σ = 0), so N = PD/SPI(t) = 10, n = 4, AF = √(6/9) = 0.8164966;
    σ·AF/√n = 0.1051909. P90: ln CPI = ln(0.9756098) − 1.2815516·0.1051909 = −0.1595001,
    CPI 0.8525698, EAC = 1000/0.8525698 = 1172.924; P10: EAC 895.731; P50 = BAC/CPI = 1025.
    P(EAC ≤ BAC) = P(ln CPI ≥ 0) = 0.4072049.
    """
    f = evm.probabilistic_forecast(_alternating())
    pct = f.percentiles
    assert pct.at["p90", "eac"] == pytest.approx(1172.9244, abs=1e-3)
    assert pct.at["p10", "eac"] == pytest.approx(895.7312, abs=1e-3)
    assert pct.at["p50", "eac"] == pytest.approx(1025.0, rel=1e-12)
    assert f.sigma_cpi == pytest.approx(0.2576640, abs=1e-6)
    assert f.probability_within_budget == pytest.approx(0.4072049, abs=1e-6)
    assert pct["finish"].tolist() == pytest.approx([10.0] * 4)
    assert f.probability_on_time == 1.0
    assert f.eac_samples is None and f.seed is None


def test_bootstrap_constant_indices_is_deterministic():
    """With one periodic CPI c and SPI(t) s every draw gives EAC = AC + (BAC − EV)/c and
    finish = AT + (PD − ES)/s exactly (PV linear, so EV = PV(ES))."""
    ev = np.cumsum([80.0] * 3)
    ac = np.cumsum([100.0] * 3)
    r = _metrics(np.arange(1, 11) * 100.0, ev, ac)
    f = evm.probabilistic_forecast(r, method="bootstrap", iterations=200, rng=3)
    assert np.allclose(f.eac_samples, 300 + (1000 - 240) / 0.8)
    assert np.allclose(f.finish_samples, 3 + (10 - 2.4) / 0.8)
    assert f.seed == 3
    assert f.probability_within_budget == 0.0 and f.probability_on_time == 0.0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(0.5, 1.5), min_size=3, max_size=6), st.integers(0, 2**31))
def test_bootstrap_bounds_and_reproducibility(cpis, seed):
    """Every sample lies between the outcomes of the best and the worst periodic CPI."""
    n = len(cpis)
    ev = np.cumsum([100.0] * n)
    ac = np.cumsum([100.0 / c for c in cpis])
    r = _metrics(np.arange(1, 21) * 100.0, ev, ac)
    a = evm.probabilistic_forecast(r, method="bootstrap", iterations=300, rng=seed)
    b = evm.probabilistic_forecast(r, method="bootstrap", iterations=300, rng=seed)
    assert np.array_equal(a.eac_samples, b.eac_samples)
    rest = 2000 - 100.0 * n
    lo, hi = ac[-1] + rest / max(cpis), ac[-1] + rest / min(cpis)
    assert (a.eac_samples >= lo - 1e-6).all() and (a.eac_samples <= hi + 1e-6).all()
    assert np.allclose(a.finish_samples, 20.0)
    assert a.percentiles["eac"].is_monotonic_increasing


def test_lognormal_and_bootstrap_agree_roughly_on_the_median():
    """Both centre on the cumulative CPI; the bootstrap median lies within the log-normal
    P10–P90 band."""
    r = _alternating()
    ln = evm.probabilistic_forecast(r).percentiles
    bs = evm.probabilistic_forecast(r, method="bootstrap", rng=1, iterations=4000).percentiles
    assert ln.at["p10", "eac"] < bs.at["p50", "eac"] < ln.at["p90", "eac"]


def test_forecast_dates_and_repr():
    p = _table(np.arange(1, 7) * 100.0, [100, 180, 250], [100, 210, 330])
    p["date"] = pd.date_range("2027-01-31", periods=6, freq="ME")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EVMWarning)
        f = evm.probabilistic_forecast(evm.metrics(p))
    assert f.percentiles["finish_date"].is_monotonic_increasing
    assert f.percentiles["finish_date"].iloc[0] > pd.Timestamp("2027-06-01")
    assert "Probabilistic EVM forecast" in f._repr_html_()


def test_forecast_errors_and_warnings():
    with pytest.raises(DataError, match="at least two status periods"):
        evm.probabilistic_forecast(_metrics([100.0, 200], [90], [100]))
    with pytest.raises(OptionError, match="forecast method"):
        evm.probabilistic_forecast(_alternating(), method="magic")
    with pytest.raises(ValidationError, match="percentiles"):
        evm.probabilistic_forecast(_alternating(), percentiles=[0, 50])
    stalled = _metrics(np.arange(1, 11) * 100.0, [100, 100, 200, 300], [90, 150, 240, 330])
    with pytest.warns(EVMWarning, match=r"period\(s\) 2 earned no value"):
        f = evm.probabilistic_forecast(stalled)
    assert f.observations["used"].tolist() == [True, False, True, True]
