"""Tests of tpmkit.health (DCMA 14-point assessment) and ``tpmkit check``.

Every check gets a crafted schedule that fails it for a known reason, next to a healthy
schedule that passes all fourteen. Calendar: Mon-Fri; the project starts Mon 2027-01-04,
so working day k of the first two weeks is 4 + k (week 1) and 11 + (k - 5) (week 2).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit.cli import main
from tpmkit.errors import OptionError, ValidationError
from tpmkit.health import CHECKS, DEFAULT_THRESHOLDS, dcma14

HEALTHY = {
    "id": ["S", "A", "B", "F"],
    "duration": [0, 5, 5, 0],
    "predecessors": ["", "S", "A", "B"],
    "resources": ["", "dev:1", "dev:1", ""],
    "baseline_start": ["2027-01-04", "2027-01-04", "2027-01-11", "2027-01-15"],
    "baseline_finish": ["2027-01-04", "2027-01-08", "2027-01-15", "2027-01-15"],
    "actual_start": ["2027-01-04", "2027-01-04", None, None],
    "actual_finish": ["2027-01-04", "2027-01-08", None, None],
    "percent_complete": [100, 100, 0, 0],
}
SETTINGS = {"start": "2027-01-04", "status_date": "2027-01-08", "deadline": "2027-01-15"}


def assess(changes: dict | None = None, extra: dict | None = None, **kw):
    rows = {k: list(v) for k, v in HEALTHY.items()}
    for col, values in (changes or {}).items():
        for tid, value in values.items():
            rows.setdefault(col, [None] * len(rows["id"]))
            rows[col][rows["id"].index(tid)] = value
    if extra:
        for col in rows:
            rows[col].append(extra.get(col))
        for col in extra:
            if col not in rows:
                rows[col] = [None] * (len(rows["id"]) - 1) + [extra[col]]
    opts = {**SETTINGS, **{k: v for k, v in kw.items() if k in ("start", "status_date", "deadline")}}
    opts = {k: v for k, v in opts.items() if v is not None}
    p = tpmkit.read(pd.DataFrame(rows), **opts)
    kw = {k: v for k, v in kw.items() if k not in ("start", "status_date", "deadline")}
    if kw.pop("plain", False):
        # the plan scheduled without its progress (as a tool that ignores the status date)
        kw["schedule"] = tpmkit.schedule(p, status_date=False)
    return dcma14(p, **kw)


def row(report, name):
    return report.checks.loc[name]


def test_healthy_schedule_passes_all_fourteen():
    r = assess()
    assert r.passed, r.checks[["value", "passed", "note"]]
    assert r.checks["passed"].tolist() == [True] * 14
    assert list(r.checks.index) == list(CHECKS)
    assert row(r, "bei")["value"] == 1.0 and row(r, "cpli")["value"] == 1.0
    assert row(r, "critical_path_test")["value"] == 600
    assert r.settings["critical_task"] == "B"


def test_1_logic_dangling_task():
    r = assess(extra={"id": "X", "duration": 3, "resources": "dev:1"})
    c = row(r, "logic")
    assert c["passed"] is False and c["tasks"] == ["X"]
    assert (c["numerator"], c["denominator"]) == (1, 3)   # incomplete: B, F, X


def test_1_logic_second_start_milestone_is_not_exempt():
    r = assess(extra={"id": "S2", "duration": 0, "predecessors": "", "resources": ""},
               changes={"predecessors": {"B": "A; S2"}})
    assert row(r, "logic")["tasks"] == ["S2"]


def test_2_leads():
    r = assess(changes={"predecessors": {"B": "A FS-1"}})
    c = row(r, "leads")
    assert c["passed"] is False and c["tasks"] == ["B"]
    assert (c["numerator"], c["denominator"]) == (1, 2)   # links touching incomplete tasks


def test_3_lags():
    r = assess(changes={"predecessors": {"B": "A FS+2"}})
    c = row(r, "lags")
    assert c["passed"] is False and c["tasks"] == ["B"] and c["value"] == 0.5
    assert row(r, "leads")["passed"] is True


def test_4_relationship_types():
    r = assess(changes={"predecessors": {"F": "B FF"}})
    c = row(r, "relationship_types")
    assert c["passed"] is False and c["value"] == 0.5 and c["tasks"] == ["F"]


def test_5_hard_constraints():
    r = assess(changes={"constraint": {"B": "MSO"}, "constraint_date": {"B": "2027-01-11"}})
    c = row(r, "hard_constraints")
    assert c["passed"] is False and c["tasks"] == ["B"]
    soft = assess(changes={"constraint": {"B": "SNET"}, "constraint_date": {"B": "2027-01-11"}})
    assert row(soft, "hard_constraints")["passed"] is True


def test_6_high_float():
    r = assess(deadline="2027-06-30")   # about 120 working days of float for every open task
    c = row(r, "high_float")
    assert c["passed"] is False and c["tasks"] == ["B", "F"]
    assert row(assess(high_float_days=200, deadline="2027-06-30"), "high_float")["passed"] is True


def test_7_negative_float():
    r = assess(deadline="2027-01-13")   # two days before the early finish
    c = row(r, "negative_float")
    assert c["passed"] is False and c["tasks"] == ["B", "F"]


def test_8_high_duration_baseline_and_planned():
    r = assess(changes={"baseline_finish": {"B": "2027-03-31", "F": "2027-03-31"},
                        "baseline_start": {"F": "2027-03-31"}})
    c = row(r, "high_duration")
    assert c["passed"] is False and c["tasks"] == ["B"]
    no_baseline = assess(extra={"id": "L", "duration": 50, "predecessors": "A", "resources": "dev:1"},
                         changes={"predecessors": {"F": "B; L"}}, deadline="2027-06-30")
    assert row(no_baseline, "high_duration")["tasks"] == ["L"]


def test_9_invalid_dates():
    """A plan that ignores the progress fails check 9; tpmkit's forecast of it passes."""
    late_status = assess(status_date="2027-01-13", plain=True)   # B was due to start on the 11th
    c = row(late_status, "invalid_dates")
    assert c["passed"] is False and c["tasks"] == ["B"]
    forecast = assess(status_date="2027-01-13")    # B's forecast starts after the status date
    assert row(forecast, "invalid_dates")["passed"] is True
    future_actual = assess(changes={"actual_finish": {"A": "2027-01-12"}, "actual_start": {"B": None}},
                           plain=True)
    assert row(future_actual, "invalid_dates")["tasks"] == ["A"]


def test_10_resources():
    r = assess(changes={"resources": {"B": ""}})
    c = row(r, "resources")
    assert c["passed"] is False and c["tasks"] == ["B"] and c["denominator"] == 1
    costed = assess(changes={"resources": {"B": ""}, "cost": {"B": 500}})
    assert row(costed, "resources")["passed"] is True


def test_11_missed_tasks():
    r = assess(status_date="2027-01-15", changes={"actual_finish": {"A": "2027-01-11"}})
    c = row(r, "missed_tasks")
    assert c["passed"] is False
    assert c["tasks"] == ["A", "B", "F"] and (c["numerator"], c["denominator"]) == (3, 4)


def test_12_critical_path_test_broken_by_a_pin():
    """A start pinned by MSO cuts the chain: 600 days on A do not push the finish 600 days."""
    r = assess(status_date=None,
               changes={"constraint": {"B": "MSO"}, "constraint_date": {"B": "2027-01-11"},
                        "percent_complete": {"A": 0, "S": 0}, "actual_start": {"A": None, "S": None},
                        "actual_finish": {"A": None, "S": None}})
    c = row(r, "critical_path_test")
    assert c["passed"] is False and c["tasks"] == ["A"]
    assert c["value"] == pytest.approx(595)   # A ends at 605; B and F stay pinned
    chosen = dcma14(tpmkit.read(pd.DataFrame(HEALTHY), start="2027-01-04"), critical_task="B")
    assert row(chosen, "critical_path_test")["passed"] is True
    with pytest.raises(ValidationError, match="Q"):
        dcma14(tpmkit.read(pd.DataFrame(HEALTHY)), critical_task="Q")


def test_13_cpli():
    r = assess(deadline="2027-01-13")   # CPL 5 days from the status date, float -2
    c = row(r, "cpli")
    assert c["passed"] is False and c["value"] == pytest.approx(3 / 5)
    # the forecast's critical path: the complete tasks S and A have no float any more
    assert c["tasks"] == ["B", "F"]


def test_14_bei():
    r = assess(status_date="2027-01-15")
    c = row(r, "bei")
    assert c["passed"] is False and c["value"] == 0.5
    assert (c["numerator"], c["denominator"]) == (2, 4) and c["tasks"] == ["B", "F"]


def test_missing_data_is_not_applicable_not_passed():
    p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [3, 2], "predecessors": ["", "A"],
                                  "resources": ["x:1", "x:1"]}))
    r = dcma14(p)
    for name in ("invalid_dates", "missed_tasks", "bei", "cpli"):
        assert row(r, name)["passed"] is None, name
        assert row(r, name)["note"]
    assert r.failed == ["logic"]   # open start and end; n/a checks do not fail
    assert r.to_dict()["n_not_applicable"] == 4


def test_thresholds_configurable():
    r = assess(changes={"predecessors": {"B": "A FS+2"}}, thresholds={"lags": 0.5})
    assert row(r, "lags")["passed"] is True and row(r, "lags")["threshold"] == 0.5
    assert DEFAULT_THRESHOLDS["logic"] == 0.05 and DEFAULT_THRESHOLDS["bei"] == 0.95
    with pytest.raises(OptionError, match="loggic"):
        assess(thresholds={"loggic": 0.1})


def test_summary_rows_are_not_counted():
    r = assess(extra={"id": "SUM", "duration": 10, "summary": True})
    assert row(r, "logic")["passed"] is True and row(r, "logic")["denominator"] == 2


def test_json_shape():
    d = assess().to_dict()
    assert [c["name"] for c in d["checks"]] == list(CHECKS)
    for c in d["checks"]:
        assert {"name", "value", "threshold", "passed", "tasks", "numerator", "denominator"} <= set(c)
    json.dumps(d)


def test_cli_check_runs_on_sample(capsys):
    status = main(["check", "sample:software_release", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert len(out["checks"]) == 14
    report = dcma14(tpmkit.datasets.load("software_release"))
    assert status == (0 if report.passed else 1)
    assert [c["passed"] for c in out["checks"]] == [
        None if v is None else bool(v) for v in report.checks["passed"]]
    assert main(["check", "sample:software_release", "--exit-zero"]) == 0
    text = capsys.readouterr().out
    assert "DCMA 14-point assessment" in text and "critical_path_test" in text


def test_cli_bad_threshold(capsys):
    assert main(["check", "sample:software_release", "--threshold", "logic"]) == 2
    err = capsys.readouterr().err
    assert "NAME=VALUE" in err and len(err.strip().splitlines()) == 1


@st.composite
def fs_networks(draw):
    n = draw(st.integers(2, 12))
    preds = [", ".join(f"T{j}" for j in range(i) if draw(st.integers(0, 2)) == 0) for i in range(n)]
    durations = [draw(st.integers(1, 30)) for _ in range(n)]
    return pd.DataFrame({"id": [f"T{i}" for i in range(n)], "duration": durations,
                         "predecessors": preds})


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fs_networks())
def test_unconstrained_fs_networks_pass_the_logic_free_checks(table):
    """Without constraints, leads or lags: no negative float, 100 % FS and an intact
    critical path (600 days on a critical task slip the finish by exactly 600)."""
    r = dcma14(tpmkit.read(table))
    assert row(r, "leads")["value"] in (0.0,) or np.isnan(row(r, "leads")["value"])
    assert row(r, "negative_float")["value"] == 0
    assert row(r, "critical_path_test")["passed"] is True
    links = row(r, "relationship_types")
    assert links["denominator"] == 0 or links["value"] == 1.0


def test_report_repr_and_failed_list():
    r = assess(changes={"predecessors": {"B": "A FS+2"}})
    # the 2-day lag also pushes the finish 2 days past the deadline
    assert r.failed == ["lags", "negative_float", "cpli"]
    assert "DCMA" in r._repr_html_() and "<table" in r._repr_html_()


def test_12_default_task_is_one_whose_finish_drives():
    """A is critical only through its start (SS link): lengthening it cannot move the finish,
    so the default test uses B; forcing A shows the slip the guideline would flag."""
    p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "duration": [5, 60, 0],
                                  "predecessors": ["", "A SS+2", "B"]}))
    r = dcma14(p)
    assert r.settings["critical_task"] == "B" and row(r, "critical_path_test")["passed"] is True
    forced = row(dcma14(p, critical_task="A"), "critical_path_test")
    assert forced["passed"] is False and forced["value"] == pytest.approx(605 - 62)


def test_9_invalid_dates_forecast_finish_on_the_status_date():
    """B is under way but still forecast to finish on the status date (not after it)."""
    r = assess(status_date="2027-01-15", plain=True,
               changes={"actual_start": {"B": "2027-01-11"}, "percent_complete": {"B": 60}})
    assert row(r, "invalid_dates")["tasks"] == ["B"]
    later = assess(status_date="2027-01-14", plain=True,
                   changes={"actual_start": {"B": "2027-01-11"}, "percent_complete": {"B": 60}})
    assert row(later, "invalid_dates")["passed"] is True
    # the forecast runs B's remaining 2 days from the status date: nothing is invalid
    forecast = assess(status_date="2027-01-15",
                      changes={"actual_start": {"B": "2027-01-11"}, "percent_complete": {"B": 60}})
    assert row(forecast, "invalid_dates")["passed"] is True


def test_cli_options(capsys):
    args = ["check", "sample:software_release", "--json", "--status-date", "2027-03-01",
            "--threshold", "lags=0.5", "--threshold", "relationship_types=0.5",
            "--critical-task", "DV4", "--high-float", "10"]
    main(args)
    out = json.loads(capsys.readouterr().out)
    checks = {c["name"]: c for c in out["checks"]}
    assert out["status_date"] == "2027-03-01" and out["settings"]["critical_task"] == "DV4"
    assert checks["lags"]["threshold"] == 0.5 and checks["lags"]["passed"] is True
    assert checks["bei"]["passed"] is not None and checks["missed_tasks"]["denominator"] > 0
    assert main(["check", "sample:software_release", "--critical-task", "NOPE"]) == 2
    assert "NOPE" in capsys.readouterr().err


def test_task_table_in_project_order():
    r = assess(extra={"id": "X", "duration": 3, "resources": ""},
               changes={"predecessors": {"B": "A FS+2"}}, deadline="2027-01-19", plain=True)
    table = r.task_table()
    assert list(table.index) == ["B", "X"]
    assert table.loc["X", "logic"] and table.loc["X", "resources"] and not table.loc["X", "lags"]
    # X also "starts" at day 0, before the status date, without an actual start
    assert table.loc["X", "invalid_dates"] and table.loc["X", "failed_checks"] == 3
    assert table.loc["B", "lags"] and table.loc["B", "failed_checks"] == 1
    assert assess().task_table().empty


def test_lone_milestone_is_not_exempt_on_both_sides():
    """A milestone with neither predecessor nor successor is a logic failure."""
    r = assess(extra={"id": "M", "duration": 0, "predecessors": "", "resources": ""})
    assert "M" in row(r, "logic")["tasks"]
    with pytest.raises(ValidationError, match="total_float"):
        dcma14(tpmkit.read(pd.DataFrame(HEALTHY)), schedule=pd.DataFrame({"start": [0]}))


# --------------------------------------------------------------------------------------
# status-dated schedules: the assessment reads the forecast from the progress
# --------------------------------------------------------------------------------------
def test_9_passes_on_tpmkits_own_status_dated_schedules_of_the_sample():
    """Issue 16: rolled back to 2027-03-15 the tracking sample's plan fails check 9 (DV9 is
    5 % done yet planned to finish on 03-12); the forecast from the progress passes it."""
    p = tpmkit.evm.as_of(tpmkit.datasets.load("software_release_tracking"), "2027-03-15")
    plain = dcma14(p, schedule=tpmkit.schedule(p, status_date=False))
    assert "DV9" in row(plain, "invalid_dates")["tasks"]
    for status in ("2027-02-26", "2027-03-15", "2027-04-30", "2027-06-30"):
        r = dcma14(tpmkit.evm.as_of(tpmkit.datasets.load("software_release_tracking"), status))
        assert row(r, "invalid_dates")["passed"] is True, (status, row(r, "invalid_dates"))


def test_12_and_13_run_on_the_forecast():
    """Hand-worked: S, A done (day 5), B 5 d not started, status 2027-01-12 (end of day 7).

    The forecast starts B on day 7 → F on 12; deadline 2027-01-19 = day 12: CPL = 12 − 7 = 5,
    float 0, CPLI = 1. The critical path test adds 600 d to B's remaining work: 612.
    """
    r = assess(status_date="2027-01-12", deadline="2027-01-19")
    cpli = row(r, "cpli")
    assert cpli["value"] == pytest.approx(1.0) and "length 5" in cpli["note"]
    cpt = row(r, "critical_path_test")
    assert cpt["passed"] is True and cpt["value"] == pytest.approx(600)
    assert "remaining work of the forecast" in cpt["note"]
    plain = assess(status_date="2027-01-12", deadline="2027-01-19", plain=True)
    # the plan that ignores progress finishes on day 10 and looks better than it is
    assert row(plain, "cpli")["value"] == pytest.approx((3 + 2) / 3)


def test_12_in_progress_task_delays_its_remaining_work():
    """B started on the 11th, 40 % done at the status date 2027-01-12 (end of day 7): 3 d
    remain from day 7 → 10; +600 d on the remaining work → 610 (slip 600)."""
    r = assess(status_date="2027-01-12",
               changes={"actual_start": {"B": "2027-01-11"}, "percent_complete": {"B": 40}})
    cpt = row(r, "critical_path_test")
    assert r.settings["critical_task"] == "B" and cpt["value"] == pytest.approx(600)


def test_cli_check_status_date_means_the_same_as_schedule(capsys):
    """``tpmkit check --status-date`` rolls the progress back and assesses the forecast."""
    code = main(["check", "sample:software_release_tracking", "--status-date", "2027-03-15",
                 "--json", "--exit-zero"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    checks = {c["name"]: c for c in out["checks"]}
    assert out["status_date"] == "2027-03-15" and checks["invalid_dates"]["passed"] is True
    p = tpmkit.evm.as_of(tpmkit.datasets.load("software_release_tracking"), "2027-03-15")
    assert checks["cpli"]["value"] == pytest.approx(row(dcma14(p), "cpli")["value"])
