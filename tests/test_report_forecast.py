"""The status report forecasts from progress: milestones with slip, the milestone trend analysis
(data in tpmkit.report.data, chart in tpmkit.plot.milestones), early-warning signs and the
probabilistic EAC (tracking sample at 2027-04-30)."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import tpmkit
from tpmkit import datasets, evm, plot
from tpmkit.errors import DataError
from tpmkit.report import build_report_data
from tpmkit.report.data import milestone_trend

matplotlib.use("Agg")
STATUS = "2027-04-30"


@pytest.fixture(scope="module")
def sample():
    return datasets.load("software_release_tracking")


@pytest.fixture(scope="module")
def data():
    return build_report_data("sample:software_release_tracking", STATUS, iterations=200, seed=3)


def test_milestones_are_the_forecast_with_slip(data, sample):
    p = evm.as_of(sample, STATUS)
    s = tpmkit.schedule(p)
    assert s.status_date == pd.Timestamp(STATUS)
    ms = data.milestones
    assert "planned (CPM)" not in ms and {"forecast", "slip [d]"} <= set(ms.columns)
    for tid in ms.index:
        assert ms.at[tid, "forecast"] == s.table.at[tid, "early_finish_date"]
        assert ms.at[tid, "slip [d]"] == s.table.at[tid, "finish_variance"]
    # the launch RL5: baseline 19 April, forecast after the status date, slipping
    assert ms.at["RL5", "forecast"] > pd.Timestamp(STATUS)
    assert ms.at["RL5", "slip [d]"] > 0 and ms.at["RL5", "state"] == "overdue"
    # the forecast finish is the schedule of the remaining work, not the plan of day 0
    assert data.key_dates.at["Forecast finish (from progress)", "date"] == s.finish_date
    assert data.planned_finish > pd.Timestamp("2027-05-07")      # beyond the baseline


def test_plain_plan_keeps_planned_cpm(sample):
    d = build_report_data("sample:software_release", iterations=50, seed=1)
    assert "planned (CPM)" in d.milestones and "slip [d]" not in d.milestones
    assert "Planned finish (CPM)" in d.key_dates.index
    assert d.milestone_trend is None and "status history" in d.milestone_trend_absent


def test_milestone_trend_rows_are_the_forecast_at_each_status_date(data, sample):
    """Every row equals tpmkit.schedule of the project rolled back to that date (as_of)."""
    trend = data.milestone_trend
    want_dates = [pd.Timestamp(d) for d in ("2027-01-29", "2027-02-26", "2027-03-31", STATUS)]
    assert list(trend.index) == want_dates
    ms = list(sample.tasks.index[sample.tasks["duration"] == 0])
    assert list(trend.columns) == ms
    for d in want_dates:
        s = tpmkit.schedule(evm.as_of(sample, d))
        pd.testing.assert_series_equal(trend.loc[d], s.table.loc[ms, "early_finish_date"],
                                       check_names=False)
    # reached milestones stay at their actual date; the forecast of the launch only slips
    assert trend["PM1"].nunique() == 1
    assert trend["RL5"].is_monotonic_increasing and trend["RL5"].iloc[-1] > trend["RL5"].iloc[0]
    # no forecast of an open milestone lies before its status date
    for d, row in trend.iterrows():
        open_ = row[row.index.isin(["RL5", "CL2"])]
        assert (open_ > d).all()


def test_milestone_trend_explicit_dates_and_absent(sample):
    t = milestone_trend(sample, ["2027-02-26", "2027-03-31"])
    assert len(t) == 2
    plain = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3],
                                      "predecessors": ["", "A"]}), start="2027-01-04")
    assert milestone_trend(plain) is None                      # no milestones


def test_warning_signs_and_forecast_in_the_report(data):
    assert data.warning_signs is not None
    assert "cpi_falling" in data.warning_signs.triggered
    f = data.evm_forecast
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evm.EVMWarning)
        want = evm.probabilistic_forecast(data.evm, calendar=data.project.calendar)
    pd.testing.assert_frame_equal(f.percentiles, want.percentiles)


# --------------------------------------------------------------------------------------
# the chart
# --------------------------------------------------------------------------------------
def test_milestone_trend_chart(data, sample):
    trend = data.milestone_trend
    ax = plot.milestone_trend(trend, baseline=sample.tasks["baseline_finish"],
                              names=sample.tasks["name"], ax=Figure().subplots())
    lines = {ln.get_gid(): ln for ln in ax.lines}
    assert "diagonal" in lines
    for tid in trend.columns:
        ln = lines[f"mta:{tid}"]
        assert np.allclose(ln.get_xdata(), matplotlib.dates.date2num(trend.index))
        assert np.allclose(ln.get_ydata(), matplotlib.dates.date2num(trend[tid]))
        assert f"baseline:{tid}" in lines
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(lab.startswith("RL5") for lab in labels) and "baseline" in labels
    # the axes hold every status date and every forecast
    lo, hi = ax.get_xlim()
    assert lo <= matplotlib.dates.date2num(trend.index.min()) and hi >= matplotlib.dates.date2num(
        trend["CL2"].max())


def test_milestone_trend_chart_bad_input():
    with pytest.raises(DataError, match="empty"):
        plot.milestone_trend(pd.DataFrame())
