"""tpmkit.report.data: everything the status report shows, checked against the computations.

The report notebook only formats these fields, so the numbers of the HTML report are tested
here: on the bundled tracking sample at status date 2027-04-30 (progress, periods, risks,
deadline) and on the plain ``software_release`` plan without progress. Each figure must equal
what the underlying function gives (``tpmkit.schedule``, ``evm.metrics(evm.as_of(...))``,
``risk.simulate`` with the same seed, the RAG rules of ``tpmkit.report.rag``).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

import tpmkit
from tpmkit import datasets, evm, report
from tpmkit.errors import InputFileError, ValidationError
from tpmkit.report import build_report_data

STATUS = "2027-04-30"
N, SEED = 300, 11


def _schedule(project):
    res = tpmkit.schedule(project)
    return res.table, res.critical_path, res.duration


@pytest.fixture(scope="module")
def tracking():
    return build_report_data("sample:software_release_tracking", STATUS, iterations=N,
                             seed=SEED, title="Weekly status",
                             generated=pd.Timestamp("2027-05-03 08:00", tz="UTC"))


@pytest.fixture(scope="module")
def tracking_project():
    return evm.as_of(datasets.load("software_release_tracking"), STATUS)


@pytest.fixture(scope="module")
def plain():
    return build_report_data("sample:software_release", iterations=N, seed=SEED)


# --------------------------------------------------------------------------------------
# the tracking sample at the status date
# --------------------------------------------------------------------------------------
def test_progress_is_rolled_back_to_the_status_date(tracking, tracking_project):
    assert tracking.status_date == pd.Timestamp(STATUS)
    pd.testing.assert_series_equal(tracking.progress,
                                   tracking_project.tasks["percent_complete"])
    assert tracking.progress["QA3"] == 30.0  # 100 % in the file, 30 % on 30 April
    assert tracking.progress_note == "task progress as recorded in the file"


def test_schedule_is_tpmkit_schedule(tracking, tracking_project):
    table, cp, duration = _schedule(tracking_project)
    assert tracking.duration == duration
    assert tracking.critical_path == list(cp)
    pd.testing.assert_frame_equal(tracking.schedule_table, table)
    assert tracking.planned_finish == table["early_finish_date"].max()
    assert tracking.planned_finish == tpmkit.schedule(tracking_project).finish_date
    open_cp = table.index[table["critical"] & (tracking.progress < 100)]
    assert list(tracking.open_critical.index) == list(open_cp)
    assert (tracking.open_critical["complete [%]"] < 100).all()


def test_evm_row_is_metrics_of_as_of_at_the_status_date(tracking, tracking_project):
    with pytest.warns(evm.EVMWarning, match="TCPI"):
        result = evm.metrics(tracking_project, status_date=tracking_project.status_date)
    table = result.table
    row = evm.latest(result)
    pd.testing.assert_series_equal(tracking.evm_row, row)
    pd.testing.assert_frame_equal(tracking.evm_table, table)
    # the published figures of the sample (see tests/test_report.py)
    assert row.spi == pytest.approx(175875 / 243660)
    assert row.cpi == pytest.approx(175875 / 247830)
    assert tracking.evm_status_period == result.status_period == int(row.name) == 4
    assert tracking.evm_planned_duration == result.planned_duration
    assert tracking.evm_source and tracking.evm_eac_method
    # the period table: the status period flagged, the numbers unchanged
    periods = tracking.evm_periods
    assert periods["status period"].sum() == 1 and periods["status period"].iloc[3]
    np.testing.assert_array_equal(periods["PV"], table["pv"])
    np.testing.assert_array_equal(periods["SPI(t)"], table["spi_t"])


def test_cost_and_time_forecasts(tracking):
    row = tracking.evm_row
    cost = tracking.cost_forecasts
    assert cost.at["EAC = BAC / CPI (typical)", "value"] == row.eac_cpi
    assert cost.at["EAC = AC + BAC − EV (atypical)", "value"] == row.eac_atypical
    assert cost.at["EAC = AC + BAC − EV (atypical)", "vs BAC"] == pytest.approx(71955)
    np.testing.assert_allclose(cost["vs BAC"], cost["value"] - row.bac)
    time = tracking.time_forecasts
    assert list(time.index) == list(report.data.TIME_FORECASTS)
    np.testing.assert_array_equal(time["duration [periods]"],
                                  [row[k] for k in report.data.TIME_FORECASTS])
    # Lipke's IEAC(t) is the earned-schedule method with PF = SPI(t)
    assert time.at["eac_t_es2", "finish date"] == row.ieac_t_date


def test_simulation_is_reproduced_by_the_seed(tracking, tracking_project):
    sim = tpmkit.risk.simulate(tracking_project, N, rng=SEED, progress=False)
    p50, p80 = sim.percentile([50, 80])
    assert tracking.finish("p80") == (pytest.approx(p80), sim.percentiles.at["p80",
                                                                            "finish_date"])
    assert tracking.percentiles.at["P80", "finish [d]"] == pytest.approx(p80)
    assert list(tracking.percentiles.index) == ["P10", "P50", "P80", "P90"]
    assert tracking.summary.p50 == pytest.approx(p50)
    assert tracking.summary.p80 == pytest.approx(p80)
    top = sim.tornado_by("p80").head(10)
    assert list(tracking.drivers.index) == list(top.index)
    assert list(tracking.risk_drivers.index) == list(sim.risks.sort_values("rank").index)


def test_rag_statuses_follow_the_rules(tracking):
    row, s = tracking.evm_row, tracking.summary
    for name, key in (("SPI", "spi"), ("CPI", "cpi"), ("SPI(t)", "spi_t")):
        assert s.table.at[name, "value"] == row[key]
        assert s.table.at[name, "status"] == report.index_rag(row[key]) == "red"
    deadline = tracking.deadline_offset
    assert s.table.at["P80 vs deadline", "target"] == deadline
    assert s.table.at["P80 vs deadline", "status"] == report.schedule_rag(s.p50, s.p80, deadline)
    assert tracking.overall == report.overall_rag(s.table["status"]) == "red"


def test_key_dates_and_milestones(tracking, tracking_project):
    dates = tracking.key_dates
    assert list(dates.index) == [
        "Project start", "Status date", "Deadline", "Baseline finish",
        "Forecast finish (from progress)",
        "Forecast finish (earned schedule)", "Simulated P50 finish", "Simulated P80 finish"]
    assert dates.at["Status date", "date"] == pd.Timestamp(STATUS)
    assert dates.at["Forecast finish (earned schedule)", "date"] == tracking.evm_row.ieac_t_date
    assert dates.at["Simulated P80 finish", "date"] == tracking.finish("p80")[1]
    ms = tracking.milestones
    zero = tracking_project.tasks.index[tracking_project.tasks["duration"] == 0]
    assert list(ms.index) == list(zero)
    # the forecast from the progress closes the project after its baseline: late
    assert ms.at["PM1", "state"] == "done" and ms.at["CL2", "state"] == "late"
    # launch planned for 19 April, not finished on 30 April
    assert ms.at["RL5", "state"] == "overdue" and pd.isna(ms.at["RL5", "actual"])


def test_risk_table_and_notes(tracking):
    reg, table = tracking.register, tracking.risk_table
    assert list(table.index) == list(reg.sort_values("rank").index[:10])
    assert table.at["R1", "score"] == reg.at["R1", "score"]
    assert all(isinstance(v, str) for v in table["schedule impact"])
    assert any(n.startswith("Earned value: TCPI (BAC) is undefined") for n in tracking.notes)
    assert tracking.health is not None and tracking.health_absent == ""


def test_title_block_and_reproducibility(tracking):
    block = tracking.title_block()
    assert block["title"] == "Weekly status" and block["overall"] == "red"
    assert block["status_date"] == "30 Apr 2027" and block["generated"] == "2027-05-03 08:00 UTC"
    assert block["sha256"] == report.file_sha256(datasets.path("software_release_tracking"))
    assert block["input"] == "sample:software_release_tracking"
    assert tracking.reproduce == ("tpmkit report sample:software_release_tracking "
                                  f"--status-date {STATUS} --iterations {N} --seed {SEED}")


def test_report_data_is_frozen_and_its_tables_are_plain(tracking):
    with pytest.raises(dataclasses.FrozenInstanceError):
        tracking.seed = 3
    for f in dataclasses.fields(tracking):
        value = getattr(tracking, f.name)
        if isinstance(value, pd.DataFrame | pd.Series):
            assert value.attrs == {}, f.name


# --------------------------------------------------------------------------------------
# a plan without progress
# --------------------------------------------------------------------------------------
def test_plan_without_progress(plain):
    project = datasets.load("software_release")
    table, cp, duration = _schedule(project)
    assert plain.duration == duration and plain.critical_path == list(cp)
    assert plain.status_date is None and plain.evm_row is None and plain.evm is None
    assert plain.evm_absent and plain.evm_periods is None and plain.cost_forecasts is None
    s = plain.summary.table
    assert s.loc[["SPI", "CPI", "SPI(t)"], "status"].tolist() == ["n/a"] * 3
    assert math.isnan(s.at["SPI", "value"])
    assert plain.overall == report.overall_rag(s["status"])
    assert "Status date" not in plain.key_dates.index
    assert plain.reproduce == f"tpmkit report sample:software_release --iterations {N} " \
                              f"--seed {SEED}"


def test_a_project_object_and_bad_arguments():
    project = datasets.load("software_release")
    data = build_report_data(project, iterations=50, seed=1)
    assert data.input_name == "(project)" and data.sha256 == ""
    with pytest.raises(ValidationError, match="iterations must be a positive whole number"):
        build_report_data(project, iterations=0)
    with pytest.raises(ValidationError, match="seed must be a non-negative whole number"):
        build_report_data(project, seed=-1)
    with pytest.raises(InputFileError, match="unknown dataset 'nope'"):
        build_report_data("sample:nope")


def test_a_project_object_is_rolled_back_like_a_file(tracking):
    """Given a project and a status date, the progress is that of the status date."""
    data = build_report_data(datasets.load("software_release_tracking"), STATUS, iterations=N,
                             seed=SEED)
    pd.testing.assert_series_equal(data.progress, tracking.progress)
    pd.testing.assert_series_equal(data.evm_row, tracking.evm_row)
    assert data.summary.table.equals(tracking.summary.table)


def test_a_large_plan_charts_its_open_tasks_with_the_least_float():
    """More than 80 tasks: the Gantt rows are the 80 open tasks with the least float, in plan
    order (a chart of thousands of rows took a minute and could not be read)."""
    n = 200
    rng = np.random.default_rng(5)
    ids = [f"T{i}" for i in range(n)]
    preds = [""] + [ids[i - 1] if i % 4 else "" for i in range(1, n)]  # chains of four
    t = pd.DataFrame({"id": ids, "duration": rng.integers(1, 9, n), "predecessors": preds,
                      "percent_complete": [100.0] * 10 + [0.0] * (n - 10)})
    p = tpmkit.read(t, start="2027-01-04")
    data = build_report_data(p, iterations=50, seed=1)
    table, done = data.schedule_table, data.progress >= 100
    assert len(data.gantt_ids) == 80
    assert data.gantt_ids == [i for i in table.index if i in set(data.gantt_ids)]  # plan order
    shown = table.loc[data.gantt_ids, "total_float"]
    hidden = table.loc[~table.index.isin(data.gantt_ids) & ~done.to_numpy(), "total_float"]
    assert not done[data.gantt_ids].any()
    assert shown.max() <= hidden.min()
    assert data.gantt_note.startswith("The Gantt chart shows 80 of the 200 tasks")
    small = build_report_data(tpmkit.read(t.iloc[:40], start="2027-01-04"), iterations=50)
    assert small.gantt_ids is None and small.gantt_note == ""
