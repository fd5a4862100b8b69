"""Tests of tpmkit.evm: reference cases, formulas one by one, properties, errors.

Reference values come from tests/data/cases (each test cites the source and honours the
provenance: ``published`` within the source's rounding, ``computed`` as regression data).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import load_case
from tpmkit import evm
from tpmkit.errors import DataError, OptionError, ValidationError
from tpmkit.model import build_project

# exact arithmetic on a handful of floating-point operations
EXACT = 1e-12


def _periods(pv, ev=(), ac=(), **extra):
    n = len(pv)
    ev = list(ev) + [np.nan] * (n - len(ev))
    ac = list(ac) + [np.nan] * (n - len(ac))
    return pd.DataFrame({"period": np.arange(1, n + 1), "pv": pv, "ev": ev, "ac": ac, **extra})


# --------------------------------------------------------------------------------------
# reference cases
# --------------------------------------------------------------------------------------
def test_phillips_eac_atypical():
    """Phillips, PMP Study Guide, fig. 7-13: EAC = AC + (BAC − EV) = 527,000 (published).

    The example gives no PV; PV is set to EV (the EACs do not depend on it) and BAC on the
    second period.
    """
    ex = load_case("evm_phillips_pmp_eac")["examples"][0]
    i = ex["inputs"]
    t = evm.metrics(_periods([i["EV"], i["BAC"]], [i["EV"]], [i["AC"]]),
                    eac_method="atypical")
    row = evm.latest(t)
    assert row.eac == ex["expected"]["EAC = AC + (BAC - EV)"]["value"]
    assert row.eac_atypical == 527_000


def test_phillips_eac_cpi_exact_versus_rounded():
    """Phillips, fig. 7-14: the book prints 538,344 from CPI rounded to .93; exact is 540,000.

    We return the exact value (BAC/CPI = AC + (BAC − EV)/CPI); the printed figure is
    reproduced by rounding CPI to two decimals as the book did.
    """
    ex = load_case("evm_phillips_pmp_eac")["examples"][1]
    i, e = ex["inputs"], ex["expected"]
    row = evm.latest(evm.metrics(_periods([i["EV"], i["BAC"]], [i["EV"]], [i["AC"]])))
    assert row.cpi == pytest.approx(e["CPI"]["exact"], abs=5e-7)       # printed to 6 d.p.
    assert round(row.cpi, 2) == e["CPI"]["value"]
    exact = e["EAC = AC + (BAC - EV)/CPI"]["exact"]
    assert row.eac == pytest.approx(exact, rel=EXACT)
    assert row.ac + (i["BAC"] - row.ev) / row.cpi == pytest.approx(exact, rel=EXACT)
    book = i["AC"] + (i["BAC"] - i["EV"]) / round(row.cpi, 2)
    assert book == pytest.approx(e["EAC = AC + (BAC - EV)/CPI"]["value"], abs=0.5)
    assert row.eac != pytest.approx(e["EAC = AC + (BAC - EV)/CPI"]["value"], abs=100)


def test_pra_package_spi_sv_and_es():
    """R package PRA docs: SPI 0.875 and SV −5000 (published); ES 2.75 (computed only)."""
    c = load_case("evm_pra_r_package_examples")
    i, e = c["inputs"], c["expected"]
    bac = i["BAC"]
    pv = [bac * f for f in i["cumulative_planned_fraction_by_period"]]
    k = i["time_period"]
    ev = [np.nan] * (k - 1) + [bac * i["actual_percent_complete"]]
    ac = [np.nan] * (k - 1) + [bac * i["actual_percent_complete"]]   # AC not in the case
    t = evm.metrics(_periods(pv, ev, ac), bac=bac)
    row = evm.latest(t)
    assert row.name == k
    assert row.pv == e["PV"]["value"] and row.ev == e["EV"]["value"]
    assert row.spi == pytest.approx(e["SPI"]["value"], abs=5e-4)      # printed 0.875
    assert row.sv == e["SV"]["value"]
    assert row.es == pytest.approx(e["ES_from_this_PV_curve"]["value"], abs=EXACT)
    assert row.spi_t == pytest.approx(2.75 / 3, abs=EXACT)
    assert row.sv_t == pytest.approx(-0.25, abs=EXACT)


def test_schwalbe_exercise():
    """Schwalbe, IT Project Management ch. 7 exercise (answers computed, regression data).

    Six months, BAC 200,000; after month 3 PV 120,000, EV 100,000, AC 90,000. The other
    months' PV are not given and do not enter the month-3 figures checked here.
    """
    c = load_case("evm_schwalbe_exercise")
    i, e = c["inputs"], c["expected"]
    pv = [40e3, 80e3, i["PV"], 150e3, 180e3, i["BAC"]]
    t = evm.metrics(_periods(pv, [np.nan, np.nan, i["EV"]], [np.nan, np.nan, i["AC"]]))
    row = evm.latest(t)
    assert row["at"] == i["AT_months"]
    assert t.planned_duration == i["planned_duration_months"]
    assert row.cv == e["CV"] and row.sv == e["SV"]
    assert row.cpi == pytest.approx(e["CPI"], abs=5e-7)
    assert row.spi == pytest.approx(e["SPI"], abs=5e-7)
    assert row.eac == pytest.approx(e["EAC = BAC/CPI"], rel=EXACT)
    # the book's time estimate PD/SPI is the planned-value forecast with PF = SPI
    assert row.eac_t_pv2 == pytest.approx(
        e["estimated_time_to_complete = original_duration/SPI (book's formula)"], rel=EXACT)


@pytest.mark.parametrize("k", [0, 1])
def test_earned_schedule_published_examples(k):
    """HKSM earned-schedule page (published): AT 20, ES 18 → SV(t) −2, SPI(t) 0.9; AT 24,
    ES 21 → SV(t) −3. A linear PV curve (one unit per period) makes ES = EV exactly."""
    ex = load_case("earned_schedule_simple_published")["examples"][k]
    at, es = ex["inputs"]["AT"], ex["inputs"]["ES"]
    pv = np.arange(1.0, 31.0)
    ev = [np.nan] * (at - 1) + [float(es)]
    row = evm.latest(evm.metrics(_periods(pv, ev, ev)))
    assert row["at"] == at and row.es == pytest.approx(es, abs=EXACT)
    assert row.sv_t == pytest.approx(ex["expected"]["SV(t)"], abs=EXACT)
    if "SPI(t)" in ex["expected"]:
        assert row.spi_t == pytest.approx(ex["expected"]["SPI(t)"], abs=EXACT)


# --------------------------------------------------------------------------------------
# every formula on a hand-checked table
# --------------------------------------------------------------------------------------
@pytest.fixture
def table():
    """PV 10k, 20k, 40k, 70k, 100k; status period 3 with EV 35k, AC 38k (hand-computed)."""
    return evm.metrics(_periods([10e3, 20e3, 40e3, 70e3, 100e3],
                                [8e3, 15e3, 35e3], [9e3, 18e3, 38e3]))


def test_cost_figures(table):
    """PMBOK 6th ed. Table 7-1, computed by hand for period 3."""
    r = table.table.loc[3]
    assert (r.sv, r.cv) == (-5000.0, -3000.0)
    assert r.spi == pytest.approx(35 / 40, abs=EXACT)
    assert r.cpi == pytest.approx(35 / 38, abs=EXACT)
    assert r.sv_percent == pytest.approx(-12.5, abs=EXACT)
    assert r.cv_percent == pytest.approx(-300 / 35, abs=EXACT)
    assert r.eac_cpi == pytest.approx(100e3 * 38 / 35, rel=EXACT)
    assert r.eac_atypical == 38e3 + 100e3 - 35e3
    assert r.eac_cpi_spi == pytest.approx(38e3 + 65e3 / (35 / 38 * 35 / 40), rel=EXACT)
    assert r.eac == r.eac_cpi and r.etc == pytest.approx(r.eac - 38e3, rel=EXACT)
    assert r.vac == pytest.approx(100e3 - r.eac, rel=EXACT)
    assert r.tcpi_bac == pytest.approx(65 / 62, rel=EXACT)
    assert r.tcpi_eac == pytest.approx(65e3 / (r.eac - 38e3), rel=EXACT)
    assert (r.percent_planned, r.percent_complete, r.percent_spent) == (40.0, 35.0, 38.0)
    assert (r.bac, table.bac, table.planned_duration) == (100e3, 100e3, 5)


def test_schedule_figures(table):
    """Lipke (2003, 2009) earned schedule, computed by hand for period 3."""
    r = table.table.loc[3]
    assert r.es == pytest.approx(2 + 15 / 20, abs=EXACT)
    assert r["at"] == 3
    assert r.sv_t == pytest.approx(-0.25, abs=EXACT)
    assert r.spi_t == pytest.approx(2.75 / 3, abs=EXACT)
    assert r.tspi == pytest.approx((5 - 2.75) / (5 - 3), abs=EXACT)
    assert r.ieac_t == pytest.approx(5 / (2.75 / 3), abs=EXACT)
    assert r.sci == pytest.approx(r.spi * r.cpi, abs=EXACT)
    assert r.sci_t == pytest.approx(r.spi_t * r.cpi, abs=EXACT)


def test_nine_time_forecasts(table):
    """Vandevoorde & Vanhoucke (2006) Table 1, each formula evaluated by hand (period 3)."""
    r = table.table.loc[3]
    pd_, at, es, spi, cpi = 5.0, 3.0, 2.75, 35 / 40, 35 / 38
    spi_t = es / at
    tv = -5000 / (100e3 / pd_)                     # Anbari: SV / PV rate
    ed = at * spi                                  # Jacob: AT · SPI
    expected = {
        "eac_t_pv1": pd_ - tv,
        "eac_t_pv2": pd_ / spi,
        "eac_t_pv3": pd_ / (spi * cpi),
        "eac_t_ed1": pd_ + at * (1 - spi),
        "eac_t_ed2": pd_ / spi,
        "eac_t_ed3": pd_ / (spi * cpi) + at * (1 - 1 / cpi),
        "eac_t_es1": at + (pd_ - es),
        "eac_t_es2": at + (pd_ - es) / spi_t,
        "eac_t_es3": at + (pd_ - es) / (spi_t * cpi),
    }
    assert set(expected) == set(evm.TIME_FORECASTS)
    for name, value in expected.items():
        assert r[name] == pytest.approx(value, rel=EXACT), name
    assert r.tv == pytest.approx(tv, abs=EXACT) and r.ed == pytest.approx(ed, abs=EXACT)
    assert r.ieac_t == pytest.approx(pd_ / spi_t, rel=EXACT)


def test_earned_duration_uses_max_pd_at_when_late():
    """V&V (2006): ED forecasts replace PD by AT once AT > PD (PD = 2, AT = 3 here)."""
    with pytest.warns(evm.EVMWarning, match=r"TSPI is undefined for period\(s\) 2, 3"):
        t = evm.metrics(_periods([50.0, 100.0, 100.0], [20, 40, 80], [20, 40, 80]))
    r = t.table.loc[3]
    spi = 80 / 100
    assert r.eac_t_ed1 == pytest.approx(3 + (3 - 3 * spi), rel=EXACT)
    assert r.eac_t_ed2 == pytest.approx(3 / spi, rel=EXACT)
    assert r.eac_t_pv2 == pytest.approx(2 / spi, rel=EXACT)


def test_bottom_up_etc():
    """EAC = AC + bottom-up ETC (PMBOK 7.4.2.2) when the period table carries an etc column."""
    per = _periods([10.0, 20.0], [8.0], [9.0], etc=[12.5, np.nan])
    t = evm.metrics(per, eac_method="bottom_up")
    r = evm.latest(t)
    assert r.eac_bottom_up == 21.5 and r.eac == 21.5 and r.etc == 12.5
    assert "eac_bottom_up" not in evm.metrics(_periods([10.0, 20.0], [8.0], [9.0])).table
    with pytest.raises(DataError, match="etc"):
        evm.metrics(_periods([10.0, 20.0], [8.0], [9.0]), eac_method="bottom_up")


def test_future_periods_carry_pv_only(table):
    assert table.table.loc[4:, "pv"].tolist() == [70e3, 100e3]
    rest = table.table.loc[4:].drop(columns=["pv", "bac", "percent_planned"])
    assert rest.isna().all().all()
    assert table.status_period == 3


# --------------------------------------------------------------------------------------
# earned schedule details
# --------------------------------------------------------------------------------------
def test_earned_schedule_counts_flat_periods_as_earned():
    """C = number of periods with PV ≤ EV (Lipke): a flat PV stretch is fully earned."""
    es = evm.earned_schedule([10.0, 20.0, 20.0, 30.0], [20.0, 25.0, 0.0, 5.0])
    np.testing.assert_allclose(es, [3.0, 3.5, 0.0, 0.5], atol=EXACT)


def test_completion_is_handled_as_lipke_defines():
    """EV = BAC: ES = PD, SPI = 1 however late, SPI(t) = PD/AD; AT frozen afterwards."""
    per = _periods([40.0, 100.0, 100.0, 100.0, 100.0],
                   [30, 70, 90, 100, 100], [30, 75, 95, 110, 110])
    # TSPI is undefined at AT = PD = 2 and in period 3 (plan passed, work open); complete
    # periods 4-5 have nothing left to schedule and stay quiet
    with pytest.warns(evm.EVMWarning, match=r"^TSPI is undefined for period\(s\) 2, 3 "):
        t = evm.metrics(per)
    assert t.planned_duration == 2
    done = t.table.loc[4]
    assert done.es == 2 and done.spi == 1 and done.sv == 0
    assert done.spi_t == pytest.approx(2 / 4, abs=EXACT) and done.sv_t == -2
    assert done.ieac_t == pytest.approx(4, abs=EXACT) and done.eac_t_es1 == 4
    assert np.isnan(done.tspi) and np.isnan(done.tcpi_bac)
    assert t.table.loc[5, "at"] == 4 and t.table.loc[5].spi_t == done.spi_t
    assert done.eac == pytest.approx(110, rel=EXACT)


def test_blank_pv_after_the_planned_finish_stays_at_the_bac():
    """A late project's table often leaves PV blank after the plan ended."""
    per = _periods([50.0, 100.0, np.nan, np.nan], [40, 70, 90, 100], [45, 80, 95, 115])
    with pytest.warns(evm.EVMWarning, match="TSPI"):
        t = evm.metrics(per)
    assert t.table["pv"].tolist() == [50.0, 100.0, 100.0, 100.0]
    assert t.planned_duration == 2 and t.table.loc[4, "es"] == 2 and t.table.loc[4, "at"] == 4


def test_es_never_exceeds_planned_duration_when_ev_overshoots():
    t = evm.metrics(_periods([50.0, 100.0], [120.0], [100.0]), bac=100.0)
    assert evm.latest(t).es == 2


def test_schedule_adherence_hand_example():
    """Lipke's P = Σ min(EV_i, PV_i(ES)) / Σ PV_i(ES), hand-computed.

    Tasks A (PV 10 in period 1), B (10 in period 2), C (10 in period 3). At period 2:
    EV_A 10, EV_B 0, EV_C 5 → EV 15, ES 1.5, PV(ES) = (10, 5, 0) → P = (10 + 0 + 0)/15.
    """
    rows = []
    plan = {"A": [10, 10, 10], "B": [0, 10, 10], "C": [0, 0, 10]}
    earned = {"A": [8, 10], "B": [0, 0], "C": [0, 5]}
    for task in plan:
        for k in range(3):
            ev = earned[task][k] if k < 2 else np.nan
            rows.append({"period": k + 1, "task": task, "pv": plan[task][k], "ev": ev,
                         "ac": ev})
    t = evm.metrics(pd.DataFrame(rows))
    assert t.table.loc[2, "es"] == pytest.approx(1.5, abs=EXACT)
    assert t.table.loc[2, "p_factor"] == pytest.approx(10 / 15, abs=EXACT)
    assert t.table.loc[1, "p_factor"] == pytest.approx(1.0, abs=EXACT)   # only A, in order
    assert (t.table.loc[:2, "pv"] == [10, 20]).all() and t.table.loc[2, "ev"] == 15


def test_forecast_finish_date_from_period_ends():
    """IEAC(t) = 5.5 periods → halfway (in working days) through period 6."""
    ends = pd.to_datetime(["2027-01-29", "2027-02-26", "2027-03-31", "2027-04-30"])
    per = pd.DataFrame({"date": ends, "pv": [25.0, 50.0, 75.0, 100.0],
                        "ev": [20.0, 40.0, np.nan, np.nan], "ac": [20.0, 40.0, np.nan, np.nan]})
    t = evm.metrics(per)
    r = evm.latest(t)
    assert r.name == 2 and r.ieac_t == pytest.approx(5.0, abs=EXACT)   # ES 1.6, AT 2
    # beyond the table month ends continue: period 5 ends Monday 2027-05-31
    assert r.ieac_t_date == pd.Timestamp("2027-05-31")
    assert t.planned_finish_date == pd.Timestamp("2027-04-30")
    # inside a period: t = 2.5 → the 12th of 23 working days of March (ceil(11.5) = 12);
    # t = 6.25 → 6 of 22 working days into July 2027 (ceil(5.5)) = Thursday 8 July
    got = evm.time_to_date([2.5, 6.25, 0.0, np.nan], ends)
    assert got[:3].tolist() == pd.to_datetime(["2027-03-16", "2027-07-08", "2026-12-31"]).tolist()
    assert pd.isna(got[3])


def test_time_to_date_continues_weekly_and_irregular_grids():
    weeks = pd.to_datetime(["2027-01-08", "2027-01-15", "2027-01-22"])
    assert evm.time_to_date([5.0], weeks)[0] == pd.Timestamp("2027-02-05")
    # a fixed 15-day rhythm: 2027-01-15 + 2·15 d = Sunday 2027-02-14 → Friday 2027-02-12
    odd = pd.to_datetime(["2026-12-31", "2027-01-15"])
    assert evm.time_to_date([4.0], odd)[0] == pd.Timestamp("2027-02-12")
    with pytest.raises(DataError, match="increase"):
        evm.time_to_date([1.0], ["2027-02-01", "2027-01-01"])


# --------------------------------------------------------------------------------------
# undefined values and errors
# --------------------------------------------------------------------------------------
def test_spi_with_zero_pv_is_nan_with_warning():
    per = _periods([0.0, 50.0, 100.0], [1.0, 40.0], [5.0, 45.0])
    with pytest.warns(evm.EVMWarning,
                      match=r"^SPI, SV% are undefined for period\(s\) 1 \(PV = 0\)"):
        t = evm.metrics(per)
    assert np.isnan(t.table.loc[1, "spi"]) and t.table.loc[2, "spi"] == 0.8


def test_cpi_with_zero_ac_is_nan_with_warning():
    per = _periods([10.0, 20.0], [5.0], [0.0])
    with pytest.warns(evm.EVMWarning, match=r"^CPI is undefined for period\(s\) 1 \(AC = 0\)"):
        t = evm.metrics(per)
    assert np.isnan(t.table.loc[1, "cpi"]) and np.isnan(t.table.loc[1, "eac_cpi"])
    assert t.table.loc[1, "eac_atypical"] == 15.0


def test_tspi_after_planned_finish_is_nan_with_warning():
    per = _periods([50.0, 100.0, 100.0], [30, 60, 90], [30, 60, 90])
    with pytest.warns(evm.EVMWarning, match=r"TSPI is undefined for period\(s\) 2, 3"):
        t = evm.metrics(per)
    assert t.table.loc[1, "tspi"] == pytest.approx((2 - 0.6) / 1, abs=EXACT)
    assert t.table.loc[2:, "tspi"].isna().all()


def test_tcpi_when_budget_spent_is_nan_with_warning():
    per = _periods([50.0, 80.0, 100.0], [40, 80], [60, 100])
    with pytest.warns(evm.EVMWarning, match=r"TCPI \(BAC\) is undefined for period\(s\) 2"):
        t = evm.metrics(per)
    assert np.isnan(t.table.loc[2, "tcpi_bac"]) and t.table.loc[1, "tcpi_bac"] == pytest.approx(60 / 40)


def test_pv_below_bac_warns_and_uses_all_periods():
    with pytest.warns(evm.EVMWarning, match="never reaches the BAC"):
        t = evm.metrics(_periods([10.0, 20.0], [10.0], [10.0]), bac=50.0)
    assert t.planned_duration == 2


@pytest.mark.parametrize(("per", "error", "match"), [
    (_periods([10.0, 8.0, 20.0], [5.0], [5.0]), ValidationError, r"decreases in period\(s\) 2"),
    (pd.DataFrame({"period": [1, 3], "pv": [1.0, 2.0], "ev": [1.0, None], "ac": [1.0, None]}),
     ValidationError, r"skips period\(s\) 2"),
    (pd.DataFrame({"period": [1, 1], "pv": [1.0, 2.0], "ev": [1.0, 1.0], "ac": [1.0, 1.0]}),
     ValidationError, r"period\(s\) 1 appear twice"),
    (pd.DataFrame({"period": [1, 2], "ev": [1.0, None], "ac": [1.0, None]}),
     DataError, "no 'pv' column"),
    (pd.DataFrame({"period": [1, 2, 3], "pv": [1.0, None, 3.0], "ev": [1.0, None, None],
                   "ac": [1.0, None, None]}), DataError, r"missing for period\(s\) 2;"),
    (pd.DataFrame({"period": [1, 2], "ev": [1.0, None], "ac": [1.0, None], "pv": [None, None]}),
     DataError, r"missing for period\(s\) 1, 2"),
    (_periods([10.0, 20.0]), DataError, "no period has both earned value"),
    (_periods([10.0, 20.0], ["x"], [1.0]), ValidationError, r"'ev' .* not a number .* 1"),
    (_periods([10.0, 20.0], [-1.0], [1.0]), ValidationError, r"'ev' .* negative .* 1"),
    (pd.DataFrame({"pv": [1.0], "ev": [1.0], "ac": [1.0]}), ValidationError, "'period' column"),
    (pd.DataFrame({"period": [1, 1], "task": ["A", "B"], "pv": [1.0, 1.0], "ev": [1.0, "x"],
                   "ac": [1.0, 1.0]}), ValidationError, r"'ev' .* not a number in task\(s\) B"),
    (pd.DataFrame({"period": [1, 1], "task": ["A", "A"], "pv": [1.0, 1.0], "ev": [1.0, 1.0],
                   "ac": [1.0, 1.0]}), ValidationError, r"repeats task\(s\) A within one"),
])
def test_bad_period_tables(per, error, match):
    with pytest.raises(error, match=match):
        evm.metrics(per)


def test_bad_options_list_the_choices():
    per = _periods([10.0, 20.0], [8.0], [9.0])
    with pytest.raises(OptionError, match="cpi, atypical, cpi_spi, bottom_up"):
        evm.metrics(per, eac_method="typical")
    with pytest.raises(OptionError, match="linear, front, back"):
        evm.metrics(per, spread="bell")


def test_status_date_masks_later_periods():
    per = pd.DataFrame({"date": ["2027-01-29", "2027-02-26", "2027-03-31"],
                        "pv": [10.0, 20.0, 30.0], "ev": [8.0, 16.0, 25.0],
                        "ac": [9.0, 18.0, 27.0]})
    t = evm.metrics(per, status_date="2027-03-01")
    assert t.status_period == 2 and np.isnan(t.table.loc[3, "ev"])
    with pytest.raises(DataError, match="no 'date' column"):
        evm.metrics(_periods([10.0, 20.0], [8.0], [9.0]), status_date="2027-03-01")


# --------------------------------------------------------------------------------------
# properties (hypothesis)
# --------------------------------------------------------------------------------------
@st.composite
def status_tables(draw):
    n = draw(st.integers(2, 12))
    inc = draw(st.lists(st.floats(0.5, 1e4), min_size=n, max_size=n))
    pv = np.cumsum(inc)
    k = draw(st.integers(1, n))
    shares = draw(st.lists(st.floats(0.0, 1.0), min_size=k, max_size=k))
    ev = np.sort(np.array(shares)) * pv[-1]
    ac = np.cumsum(draw(st.lists(st.floats(1.0, 1e4), min_size=k, max_size=k)))
    return _periods(pv, ev, ac)


@settings(max_examples=40, deadline=None)
@given(status_tables())
def test_evm_identities(per):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evm.EVMWarning)   # EV = 0 rows: SV%/CV% undefined
        t = evm.metrics(per)
    s = t.table.dropna(subset=["ev", "ac"])
    bac, pd_ = t.bac, t.planned_duration
    np.testing.assert_allclose(s.cv, s.ev - s.ac, rtol=1e-12)
    np.testing.assert_allclose(s.sv, s.ev - s.pv, rtol=1e-12)
    np.testing.assert_allclose(s.cpi, s.ev / s.ac, rtol=1e-12)
    np.testing.assert_allclose(s.spi, s.ev / s.pv, rtol=1e-12)
    np.testing.assert_allclose(s.vac, bac - s.eac, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(s.etc, s.eac - s.ac, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(s.sv_t, s.es - s["at"], atol=1e-12)
    assert ((s.es <= s["at"]) == (s.spi_t <= 1)).all()
    assert ((s.es >= 0) & (s.es <= pd_)).all()
    # ES is where the PV curve reaches EV: PV(ES) = EV (linear interpolation)
    grid = np.concatenate([[0.0], per.pv.to_numpy()[:pd_]])
    np.testing.assert_allclose(np.interp(s.es, np.arange(pd_ + 1), grid),
                               np.minimum(s.ev, bac), rtol=1e-9, atol=1e-6)
    pos = s[s.ev > 0]
    np.testing.assert_allclose(pos.eac_cpi, pos.ac + (bac - pos.ev) / pos.cpi, rtol=1e-9)
    np.testing.assert_allclose(pos.ieac_t, pd_ / pos.spi_t, rtol=1e-9)
    np.testing.assert_allclose(pos.eac_t_es2, pos.ieac_t, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 100.0), min_size=1, max_size=10),
       st.floats(0.0, 1.2), st.floats(0.0, 1.2))
def test_earned_schedule_is_monotone_in_ev(inc, a, b):
    pv = np.cumsum(inc) + 1.0
    lo, hi = sorted([a, b])
    es = evm.earned_schedule(pv, [lo * pv[-1], hi * pv[-1]])
    assert 0 <= es[0] <= es[1] <= len(pv)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.data())
def test_schedule_adherence_bounds(n_tasks, n_periods, data):
    inc = np.array(data.draw(st.lists(st.floats(0.0, 10.0), min_size=n_tasks * n_periods,
                                      max_size=n_tasks * n_periods))).reshape(n_tasks, n_periods)
    task_pv = np.cumsum(inc + 0.1, axis=1)
    share = np.array(data.draw(st.lists(st.floats(0.0, 1.0), min_size=n_tasks,
                                        max_size=n_tasks)))
    task_ev = (share * task_pv[:, -1])[:, None]
    es = evm.earned_schedule(task_pv.sum(axis=0), task_ev.sum(axis=0))
    p = evm.schedule_adherence(task_pv, task_ev, es)
    assert np.isnan(p[0]) or -1e-12 <= p[0] <= 1 + 1e-12
    # work done exactly as planned (EV_i = PV_i at some time) has perfect adherence
    t = data.draw(st.floats(0.01, float(n_periods)))
    grid = np.hstack([np.zeros((n_tasks, 1)), task_pv])
    on_plan = np.array([np.interp(t, np.arange(n_periods + 1), g) for g in grid])[:, None]
    es2 = evm.earned_schedule(task_pv.sum(axis=0), on_plan.sum(axis=0))
    assert evm.schedule_adherence(task_pv, on_plan, es2)[0] == pytest.approx(1.0, abs=1e-9)


# --------------------------------------------------------------------------------------
# the project route
# --------------------------------------------------------------------------------------
def _project(**settings):
    """Sequential 20-day tasks A (Feb), B (Mar), C (Apr 2027), a milestone M; Mon–Fri."""
    t = pd.DataFrame({
        "id": ["A", "B", "M", "C"], "duration": [20, 20, 0, 20],
        "baseline_cost": [2000.0, 4000.0, 0.0, 1000.0],
        "baseline_start": ["2027-02-01", "2027-03-01", "2027-03-26", "2027-04-01"],
        "baseline_finish": ["2027-02-26", "2027-03-26", "2027-03-26", "2027-04-28"],
        "percent_complete": [100.0, 25.0, 0.0, 0.0], "actual_cost": [2500.0, 800.0, None, None],
        "actual_start": ["2027-02-01", "2027-03-08", None, None],
        "actual_finish": ["2027-02-26", None, None, None]})
    return build_project(t, **{"start": "2027-02-01", "status_date": "2027-03-31", **settings})


def test_planned_value_spreads_over_baseline_working_days():
    p = _project()
    pv = evm.planned_value(p, ["2027-02-05", "2027-02-26", "2027-03-12", "2027-03-31"])
    # A: 5 of 20 working days by Feb 5; B: 10 of 20 by Mar 12
    assert pv.loc["A"].tolist() == [500.0, 2000.0, 2000.0, 2000.0]
    assert pv.loc["B"].tolist() == [0.0, 0.0, 2000.0, 4000.0]
    front = evm.planned_value(p, ["2027-02-05"], spread="front").loc["A"].iloc[0]
    back = evm.planned_value(p, ["2027-02-05"], spread="back").loc["A"].iloc[0]
    assert front == pytest.approx(2000 * (1 - 0.75**2)) and back == pytest.approx(2000 / 16)
    ends = evm.planned_value(p, ["2027-02-01", "2027-02-25", "2027-02-26"], spread="end")
    start = evm.planned_value(p, ["2027-01-29", "2027-02-01"], spread="start")
    assert ends.loc["A"].tolist() == [0.0, 0.0, 2000.0]
    assert start.loc["A"].tolist() == [0.0, 2000.0]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 120), st.integers(0, 40), st.floats(0.0, 1e5)),
                min_size=1, max_size=8),
       st.lists(st.integers(-5, 200), min_size=1, max_size=6),
       st.sampled_from(evm.SPREADS))
def test_planned_value_matches_a_day_by_day_count(tasks, cut_offsets, spread):
    """PV_i(d) = budget · F(k/n), k = baseline working days up to d, counted day by day."""
    day0 = pd.Timestamp("2027-03-01")
    holidays = ["2027-04-02", "2027-04-05"]
    bday = pd.offsets.CustomBusinessDay(holidays=holidays)
    rows = []
    for i, (off, length, budget) in enumerate(tasks):
        s = day0 + pd.Timedelta(days=off)
        rows.append({"id": f"T{i}", "duration": 1, "baseline_cost": budget,
                     "baseline_start": s, "baseline_finish": s + pd.Timedelta(days=length)})
    p = build_project(pd.DataFrame(rows), holidays=holidays)
    cuts = [day0 + pd.Timedelta(days=c) for c in cut_offsets]
    got = evm.planned_value(p, cuts, spread=spread).to_numpy()
    shape = {"linear": lambda x: x, "front": lambda x: 1 - (1 - x) ** 2,
             "back": lambda x: x**2, "start": lambda x: float(x > 0),
             "end": lambda x: float(x >= 1)}[spread]
    for i, row in enumerate(rows):
        days = pd.date_range(row["baseline_start"], row["baseline_finish"], freq=bday)
        for j, cut in enumerate(cuts):
            if len(days):
                want = row["baseline_cost"] * shape((days <= cut).sum() / len(days))
            else:   # no working day in the baseline: the budget lands at the finish
                want = row["baseline_cost"] * float(cut >= row["baseline_finish"])
            assert got[i, j] == pytest.approx(want, rel=1e-12, abs=1e-9)
    # the curve ends at the BAC once every baseline is over
    assert evm.planned_value(p, ["2028-01-31"], spread=spread).to_numpy().sum() == \
        pytest.approx(sum(r["baseline_cost"] for r in rows), rel=1e-12)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 90), st.integers(1, 40), st.floats(1.0, 1e4),
                          st.integers(0, 100)), min_size=1, max_size=6),
       st.integers(20, 150), st.sampled_from(evm.EV_RULES))
def test_routes_agree_on_random_projects(tasks, status_offset, rule):
    """metrics(project) equals metrics(periods_from_project(project, by_task=True))."""
    day0 = pd.Timestamp("2027-01-04")
    rows = [{"id": f"T{i}", "duration": n, "baseline_cost": b,
             "baseline_start": day0 + pd.Timedelta(days=off),
             "baseline_finish": day0 + pd.Timedelta(days=off + n),
             "percent_complete": pc, "actual_cost": b * pc / 90}
            for i, (off, n, b, pc) in enumerate(tasks)]
    p = build_project(pd.DataFrame(rows), start=day0,
                      status_date=day0 + pd.Timedelta(days=status_offset))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evm.EVMWarning)   # e.g. EV = 0: CV% undefined
        a = evm.metrics(p, ev_rule=rule)
        b = evm.metrics(evm.periods_from_project(p, ev_rule=rule, by_task=True))
        c = evm.metrics(evm.periods_from_project(p, ev_rule=rule), bac=a.bac)
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=False, rtol=1e-12)
    shared = [col for col in a.table.columns if col != "p_factor"]
    pd.testing.assert_frame_equal(a.table[shared], c.table[shared], check_exact=False, rtol=1e-9)
    assert a.planned_duration == b.planned_duration


def test_project_route_status_period():
    p = _project()
    t = evm.metrics(p)
    assert t.source == "tasks" and t.bac == 7000
    assert t.table.index.tolist() == [1, 2, 3] and t.table["date"].dt.strftime("%m-%d").tolist() == [
        "02-26", "03-31", "04-30"]
    r = evm.latest(t)
    assert (r.pv, r.ev, r.ac) == (6000.0, 3000.0, 3300.0)
    assert r.es == pytest.approx(1 + 1000 / 4000, abs=EXACT)
    assert t.planned_duration == 3
    assert t.table.loc[3, "pv"] == 7000 and np.isnan(t.table.loc[3, "ev"])
    # work done in plan order: PV_i(ES = 1.25) = (2000, 1000, 0) = EV_i → P = 1
    assert r.p_factor == pytest.approx(1.0, abs=EXACT)


def test_project_route_schedule_adherence_out_of_sequence():
    """A done, B not started, C (planned in April) half done by 31 March (Lipke's P):
    EV 2500 → ES = 1 + 500/4000 = 1.125, PV_i(ES) = (2000, 500, 0), P = 2000/2500."""
    tasks = _project().tasks.reset_index()
    tasks["percent_complete"] = [100.0, 0.0, 0.0, 50.0]
    tasks["actual_start"] = pd.to_datetime(["2027-02-01", None, None, "2027-03-15"])
    tasks["actual_cost"] = [2500.0, 0.0, 0.0, 600.0]
    p = build_project(tasks, start="2027-02-01", status_date="2027-03-31")
    r = evm.latest(evm.metrics(p))
    assert r.ev == 2500 and r.es == pytest.approx(1.125, abs=EXACT)
    assert r.p_factor == pytest.approx(0.8, abs=EXACT)


def test_project_route_bottom_up_etc_from_tasks():
    tasks = _project().tasks.reset_index().assign(etc=[0.0, 3500.0, 0.0, 1000.0])
    p = build_project(tasks, start="2027-02-01", status_date="2027-03-31")
    r = evm.latest(evm.metrics(p, eac_method="bottom_up"))
    assert r.etc_bottom_up == 4500.0 and r.eac == 3300.0 + 4500.0 and r.etc == 4500.0


@pytest.mark.parametrize(("rule", "ev"), [("percent", 3000.0), ("0/100", 2000.0),
                                          ("50/50", 4000.0)])
def test_earning_rules(rule, ev):
    """0/100: only finished tasks earn; 50/50: half at the start (Fleming & Koppelman)."""
    assert evm.latest(evm.metrics(_project(), ev_rule=rule)).ev == ev


def test_status_date_inside_a_month_anchors_the_periods():
    t = evm.metrics(_project(), status_date="2027-03-15")
    assert t.table["date"].dt.strftime("%m-%d").tolist() == ["02-15", "03-15", "04-15", "05-14"]
    r = evm.latest(t)
    # B has worked 11 of its 20 days by Monday 15 March
    assert r.name == 2 and r.pv == pytest.approx(2000 + 4000 * 11 / 20)


def test_period_ends_week_and_quarter():
    wk = evm.period_ends("2027-01-04", "2027-01-20", freq="week")
    assert wk.strftime("%m-%d").tolist() == ["01-08", "01-15", "01-22"]
    q = evm.period_ends("2027-01-04", "2027-05-10", freq="quarter")
    assert q.strftime("%m-%d").tolist() == ["03-31", "06-30"]
    # anchored quarters keep the anchor (Thursday 2027-05-13) as a period end
    qa = evm.period_ends("2027-01-04", "2027-09-10", freq="quarter", anchor="2027-05-13")
    assert qa.strftime("%Y-%m-%d").tolist() == ["2027-02-12", "2027-05-13", "2027-08-13",
                                                "2027-11-12"]
    # holidays move a period end to the last working day before it
    from tpmkit.model.calendar import Calendar

    cal = Calendar(holidays=["2027-12-31"])
    assert evm.period_ends("2027-12-01", "2027-12-20", calendar=cal)[-1] == pd.Timestamp(
        "2027-12-30")
    with pytest.raises(OptionError, match="month, week, quarter"):
        evm.period_ends("2027-01-04", "2027-02-01", freq="fortnight")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2000), st.integers(0, 400), st.floats(0.0, 1.0),
       st.sampled_from(evm.FREQUENCIES))
def test_period_ends_cover_the_span_and_keep_the_anchor(offset, span, where, freq):
    first = pd.Timestamp("2026-01-01") + pd.Timedelta(days=offset)
    last = first + pd.Timedelta(days=span)
    anchor = first + pd.Timedelta(days=round(where * span))
    anchor = pd.Timestamp(np.busday_offset(np.datetime64(anchor.date(), "D"), 0,
                                           roll="backward"))
    ends = evm.period_ends(first, last, freq=freq, anchor=anchor)
    assert ends.is_monotonic_increasing and ends.is_unique
    assert ends[0] >= first - pd.Timedelta(days=3) and ends[-1] >= last
    assert len(ends) == 1 or ends[-2] < last
    assert np.is_busday(ends.values.astype("datetime64[D]")).all()
    if anchor >= first:
        assert anchor in ends


def test_explicit_period_ends():
    """Fiscal periods given as dates: PV on each, the status date must be one of them."""
    ends = ["2027-02-12", "2027-03-12", "2027-03-31", "2027-04-30"]
    t = evm.metrics(_project(), ends=ends)
    assert t.table["date"].dt.strftime("%m-%d").tolist() == ["02-12", "03-12", "03-31", "04-30"]
    assert t.table["pv"].tolist() == pytest.approx([1000.0, 2000 + 4000 * 10 / 20, 6000.0, 7000.0])
    assert t.status_period == 3
    with pytest.raises(ValidationError, match="status date 2027-03-31 is not one of"):
        evm.metrics(_project(), ends=ends[:2])


def test_project_without_baseline_names_the_tasks():
    t = pd.DataFrame({"id": ["A", "B"], "duration": [3, 2], "baseline_cost": [10.0, 20.0],
                      "baseline_start": ["2027-01-04", None],
                      "baseline_finish": ["2027-01-06", None]})
    with pytest.raises(DataError, match=r"task\(s\) B have a budget but no baseline"):
        evm.metrics(build_project(t, status_date="2027-01-05"))
    t2 = t.assign(baseline_start=None, baseline_finish=None)
    with pytest.raises(DataError, match="no baseline"):
        evm.metrics(build_project(t2, status_date="2027-01-05"))


def test_project_without_status_date():
    p = _project()
    p2 = build_project(p.tasks.reset_index(), start="2027-02-01")
    with pytest.raises(DataError, match="no status date"):
        evm.metrics(p2)


def test_progress_without_actual_cost_warns_with_ids():
    p = _project()
    tasks = p.tasks.reset_index()
    tasks.loc[tasks.id == "B", "actual_cost"] = np.nan
    with pytest.warns(evm.EVMWarning, match=r"task\(s\) B report progress without"):
        evm.metrics(build_project(tasks, start="2027-02-01", status_date="2027-03-31"))


def test_status_history_gives_every_past_period():
    """A history (task, date, percent_complete, actual_cost) fills EV/AC of each period."""
    hist = pd.DataFrame({"task": ["A", "A", "B"],
                         "date": ["2027-02-28", "2027-03-31", "2027-03-31"],
                         "percent_complete": [80.0, 100.0, 25.0],
                         "actual_cost": [1800.0, 2500.0, 800.0]})
    p = build_project({"tasks": _project().tasks.reset_index(), "periods": hist},
                      start="2027-02-01")
    t = evm.metrics(p)
    assert t.table["ev"].tolist()[:2] == [1600.0, 3000.0] and t.table["ac"].tolist()[:2] == [1800.0, 3300.0]
    assert t.table[["ev", "ac"]].iloc[2].isna().all()                  # April: future
    assert t.status_period == 2
    assert t.table["p_factor"].iloc[:2].tolist() == pytest.approx([1.0, 1.0])   # work in plan order
    by_task = evm.periods_from_project(p, by_task=True)
    assert len(by_task) == 3 * 4
    with pytest.raises(ValidationError, match=r"above 100 .* task\(s\) B"):
        evm.metrics(build_project({"tasks": _project().tasks.reset_index(),
                                   "periods": hist.assign(percent_complete=[80, 100, 120])}))
    with pytest.raises(ValidationError, match=r"unknown task\(s\) Z"):
        evm.metrics(build_project({"tasks": _project().tasks.reset_index(),
                                   "periods": hist.assign(task=["A", "Z", "B"])}))


def test_metrics_result_fields_and_html(table):
    """EVMResult: the table is plain; BAC, PD and the status period are fields."""
    assert not table.table.attrs
    assert (table.bac, table.planned_duration, table.status_period) == (100e3, 5, 3)
    assert (table.source, table.eac_method, table.currency) == ("periods", "cpi", "")
    assert evm.latest(table).equals(evm.latest(table.table))
    assert "period 3 of 5" in table._repr_html_() and "<table" in table._repr_html_()
