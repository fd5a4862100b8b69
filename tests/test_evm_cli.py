"""The tracking sample (both input routes agree) and the ``tpmkit evm`` command."""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest
import yaml

import tpmkit
from tests.conftest import ROOT
from tpmkit import evm
from tpmkit.cli import main

SAMPLE = ROOT / "datasets" / "software_release_tracking.yaml"
TOTALS = ROOT / "datasets" / "software_release_tracking.csv"
PLAN = ROOT / "datasets" / "software_release.yaml"
# the figures every status period of the sample leaves undefined (the project is late and
# over budget: AC passed the BAC in April, the planned finish in May)
SAMPLE_NOTES = {
    "TCPI (BAC) is undefined for period(s) 4, 5, 6 (AC ≥ BAC: the budget is spent); set to NaN",
    "TSPI is undefined for period(s) 5, 6 (AT ≥ PD: the planned finish has passed, use "
    "ieac_t); set to NaN",
}


def _metrics(*args, **kwargs) -> tuple[evm.EVMResult, set[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = evm.metrics(*args, **kwargs)
    return table, {str(w.message) for w in caught}


@pytest.fixture(scope="module")
def sample():
    return tpmkit.read(SAMPLE)


# --------------------------------------------------------------------------------------
# the sample
# --------------------------------------------------------------------------------------
def test_sample_is_the_plan_with_six_monthly_status_periods(sample):
    plan = tpmkit.read(PLAN)
    cols = ["name", "duration", "predecessors", "wbs", "resources", "cost", "rate",
            "baseline_start", "baseline_finish", "baseline_cost"]
    pd.testing.assert_frame_equal(sample.tasks[cols], plan.tasks[cols])
    assert sample.status_date == pd.Timestamp("2027-06-30")
    assert sample.bac == pytest.approx(plan.tasks["baseline_cost"].sum(), abs=0.005)
    per = sample.periods
    task = "task" if "task" in per else "id"         # the reader may map task → id
    assert set(per.columns) >= {"period", "date", task, "percent_complete", "pv", "ev", "ac"}
    assert per["period"].nunique() >= 6
    # every task is reported in every period, and the task table holds the last report
    assert (per.groupby("period")[task].nunique() == len(sample.tasks)).all()
    last = per[per["period"] == per["period"].max()].set_index(task)
    np.testing.assert_array_equal(last["percent_complete"].reindex(sample.tasks.index),
                                  sample.tasks["percent_complete"])
    np.testing.assert_array_equal(last["ac"].reindex(sample.tasks.index),
                                  sample.tasks["actual_cost"])


def test_sample_routes_agree(sample):
    """Period data (task rows and the CSV totals) and the baseline + progress route give
    the same EVM table. The generator rounded each task's PV to cents, so PV agrees within
    half a cent per task; everything else follows from it."""
    by_rows, notes_rows = _metrics(sample)
    from_baseline, notes_base = _metrics(sample, source="tasks")
    totals, notes_tot = _metrics(pd.read_csv(TOTALS), bac=sample.bac)
    assert by_rows.source == "periods" and from_baseline.source == "tasks"
    assert notes_rows == notes_base == notes_tot == SAMPLE_NOTES
    tol_pv = 0.005 * len(sample.tasks)
    num = [c for c in by_rows.table.select_dtypes("number").columns]
    for other in (from_baseline.table, totals.table):
        assert other.index.tolist() == by_rows.table.index.tolist()
        for col in num:
            if col not in other:
                continue
            a, b = by_rows.table[col].to_numpy(), other[col].to_numpy()
            np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=col)
            scale = np.maximum(1.0, np.abs(a))
            # relative effect of ≤ tol_pv on PV-derived figures (PV ≥ 26,000 here)
            assert np.nanmax(np.abs(a - b) / scale) < 1e-6 or np.nanmax(np.abs(a - b)) <= tol_pv, col
    np.testing.assert_allclose(from_baseline.table["pv"], by_rows.table["pv"], atol=tol_pv, rtol=0)
    np.testing.assert_array_equal(from_baseline.table["ev"], by_rows.table["ev"])
    np.testing.assert_array_equal(from_baseline.table["ac"], by_rows.table["ac"])
    np.testing.assert_allclose(from_baseline.table["p_factor"], by_rows.table["p_factor"], rtol=1e-6)
    assert "p_factor" not in totals.table            # the totals carry no task detail
    pd.testing.assert_series_equal(from_baseline.table["ieac_t_date"], by_rows.table["ieac_t_date"])


def test_sample_status(sample):
    """The status period of the sample: late and over budget, six periods against five."""
    t, _ = _metrics(sample)
    r = evm.latest(t)
    assert r.name == 6 and t.planned_duration == 5
    assert r.cpi < 1 and r["sv_t"] < 0 and r.spi_t < r.spi       # SPI drifts to 1, SPI(t) not
    assert r.eac_bottom_up == pytest.approx(r.ac + r.etc_bottom_up)
    assert r.ieac_t_date > t.planned_finish_date


# --------------------------------------------------------------------------------------
# the command line
# --------------------------------------------------------------------------------------
def _run(capsys, *argv):
    code = main(["evm", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_contract(capsys, sample):
    code, out, err = _run(capsys, SAMPLE, "--json")
    assert code == 0
    data = json.loads(out)
    t, _ = _metrics(sample)
    assert data["bac"] == t.bac and len(data["periods"]) == len(t.table)
    latest = data["latest"]
    for key in ("pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "etc", "vac", "tcpi_bac",
                "es", "at", "sv_t", "spi_t", "ieac_t"):
        assert key in latest, key
        want = evm.latest(t)[key]
        assert (latest[key] is None and np.isnan(want)) or latest[key] == pytest.approx(want)
    assert latest["period"] == 6 and latest["date"] == "2027-06-30"
    assert latest["ieac_t_date"] == evm.latest(t)["ieac_t_date"].date().isoformat()
    assert data["periods"][0]["period"] == 1 and data["periods"][0]["date"] == "2027-01-29"
    # undefined figures are notes on stderr, one line each
    assert sorted(err.strip().splitlines()) == sorted(f"tpmkit evm: note: {n}"
                                                      for n in SAMPLE_NOTES)


def test_cli_text_and_status_date(capsys):
    code, out, _ = _run(capsys, SAMPLE, "--status-date", "2027-03-31", "--source", "tasks")
    assert code == 0
    assert "status period 3 of 5 planned (source: tasks)" in out
    assert "ES forecast finish" in out and "p-factor" in out


def test_cli_period_only_files(capsys, tmp_path):
    """A file with only project + periods (YAML) and a bare period CSV both work."""
    periods = [{"period": k + 1, "date": d, "pv": pv, **({"ev": ev, "ac": ac} if ev else {})}
               for k, (d, pv, ev, ac) in enumerate([
                   ("2027-01-29", 10e3, 8e3, 9e3), ("2027-02-26", 20e3, 15e3, 18e3),
                   ("2027-03-31", 40e3, 35e3, 38e3), ("2027-04-30", 70e3, None, None),
                   ("2027-05-31", 100e3, None, None)])]
    path = tmp_path / "status.yaml"
    path.write_text(yaml.safe_dump({"project": {"name": "Periods only", "currency": "EUR"},
                                    "periods": periods}))
    code, out, _ = _run(capsys, path, "--json")
    latest = json.loads(out)["latest"]
    assert code == 0 and latest["es"] == pytest.approx(2.75) and latest["spi"] == 0.875
    csv = tmp_path / "status.csv"
    pd.DataFrame(periods).to_csv(csv, index=False)
    code, out, _ = _run(capsys, csv, "--json", "--bac", "120000")
    data = json.loads(out)
    assert code == 0 and data["bac"] == 120000 and data["latest"]["eac"] == pytest.approx(
        120000 * 38 / 35)
    code, out, _ = _run(capsys, csv, "--status-date", "2027-02-28")
    assert code == 0 and "status period 2 of 5" in out


@pytest.mark.parametrize(("content", "match"), [
    ("project: {name: x}\nperiods:\n  - {period: 1, pv: 10, ev: 5, ac: 5}\n"
     "  - {period: 3, pv: 20}\n", r"skips period\(s\) 2"),
    ("project: {name: x}\nperiods:\n  - {period: 1, pv: 10}\n", "no period has both"),
])
def test_cli_bad_input_is_one_line_exit_2(capsys, tmp_path, content, match):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    code, out, err = _run(capsys, path)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tpmkit evm: error:")
    assert re.search(match, lines[0])


def test_cli_bad_option_value(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["evm", str(SAMPLE), "--eac-method", "typical"])
    assert exc.value.code == 2
    assert "invalid choice: 'typical'" in capsys.readouterr().err


def test_cli_table_sample_is_wrapped_as_period_data(capsys, monkeypatch):
    """A ``kind: table`` sample (a DataFrame) is read as a period-only project."""
    from tpmkit import datasets

    real = datasets.load

    def load(name, **settings):
        if name == "periods_table":
            return pd.read_csv(TOTALS)
        return real(name, **settings)

    monkeypatch.setattr(datasets, "load", load)
    code, out, _ = _run(capsys, "sample:periods_table", "--json", "--bac", "246850")
    data = json.loads(out)
    assert code == 0 and data["project"] == "periods_table" and data["status_period"] == 6
    assert data["latest"]["ev"] == 243145.0


def test_cli_period_only_workbook_honours_its_status_date(capsys, tmp_path):
    """An .xlsx with sheets project (key/value, incl. status_date) and periods only."""
    path = tmp_path / "status.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame({"key": ["name", "currency", "bac", "status_date"],
                      "value": ["XL", "EUR", 100000, "2027-02-26"]}).to_excel(
            xw, sheet_name="project", index=False)
        pd.DataFrame({"period": [1, 2, 3], "date": pd.to_datetime(
            ["2027-01-29", "2027-02-26", "2027-03-31"]), "PV": [10e3, 20e3, 100e3],
            "EV": [8e3, 15e3, 35e3], "AC": [9e3, 18e3, 38e3]}).to_excel(
            xw, sheet_name="periods", index=False)
    code, out, _ = _run(capsys, path, "--json")
    data = json.loads(out)
    assert code == 0 and data["status_period"] == 2 and data["latest"]["spi"] == 0.75
    assert data["periods"][2]["ev"] is None            # after the file's status date


def test_cli_warning_signs_and_probabilistic_forecast(capsys, sample):
    """The JSON carries the warning signs and Lipke's forecast of the same EVM result."""
    code, out, _ = _run(capsys, SAMPLE, "--status-date", "2027-04-30", "--json")
    assert code == 0
    data = json.loads(out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evm.EVMWarning)
        result = evm.metrics(evm.as_of(sample, "2027-04-30"))
    signs = evm.warning_signs(result).signs
    for name, row in signs.iterrows():
        assert data["warning_signs"][name]["triggered"] == row["triggered"], name
    f = evm.probabilistic_forecast(result, calendar=sample.calendar)
    got = {r["percentile"]: r for r in data["probabilistic_forecast"]["percentiles"]}
    assert got["p80"]["eac"] == pytest.approx(f.percentiles.at["p80", "eac"])
    assert got["p80"]["finish_date"] == f.percentiles.at["p80", "finish_date"].date().isoformat()
    code, text, _ = _run(capsys, SAMPLE, "--status-date", "2027-04-30")
    assert "warning signs: tcpi_gap, cpi_falling" in text
    assert "probabilistic EAC (log-normal, Lipke)" in text
