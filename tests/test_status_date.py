"""Status-date scheduling: the progress model, the three out-of-sequence options, properties.

The hand-worked examples use a Monday start (2027-01-04) and a Mon–Fri calendar, so working
day ``k`` (offset ``k`` to ``k + 1``) is the k-th weekday; a status date at the end of a day
``D`` is the offset ``D + 1``. Each option is defined as Primavera P6 defines it (its
"Schedule options → when scheduling progressed activities use"): retained logic keeps the
links for the remaining work, progress override ignores the links into started activities,
actual dates schedules forward as progress override and measures the ignored links against
the successor's actual dates backward (negative float on the predecessor).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit._core.codes import EPS
from tpmkit.errors import OptionError, ValidationError
from tpmkit.model.progress import ProgressWarning

START = "2027-01-04"
OPTIONS = ("retained_logic", "progress_override", "actual_dates")
COLS = ["early_start", "early_finish", "late_start", "late_finish", "total_float"]


def day(k: int) -> str:
    """The date of working day k (0 = the start)."""
    return str(np.busday_offset(np.datetime64(START), k))


def out_of_sequence() -> tpmkit.Project:
    """A (5 d) → B (4 d) → C (2 d); B started on day 0 out of sequence, 50 % done at the end
    of day 1 (status offset 2); A not started."""
    t = pd.DataFrame({"id": ["A", "B", "C"], "duration": [5, 4, 2],
                      "predecessors": ["", "A", "B"], "percent_complete": [0, 50, 0],
                      "actual_start": [None, day(0), None]})
    return tpmkit.read(t, start=START, status_date=day(1))


# expected ES, EF, LS, LF, TF per task, worked by hand (see each test)
HAND = {
    # A 2→7; B resumes after A: 7→9 (ES = actual start 0); C 9→11. Backward from 11:
    # C 9–11, B's remaining 7–9, A 2–7: all critical.
    "retained_logic": ({"A": [2, 7, 2, 7, 0], "B": [0, 9, 7, 9, 0], "C": [9, 11, 9, 11, 0]},
                       11.0),
    # A 2→7; B's remaining runs from the status date: 2→4; C 4→6. Finish 7 (A); backward:
    # C LF 7 (TF 1), B LF 5 (TF 1), A's link to B is ignored: LF 7 (TF 0).
    "progress_override": ({"A": [2, 7, 2, 7, 0], "B": [0, 4, 3, 5, 1], "C": [4, 6, 5, 7, 1]},
                          7.0),
    # as progress override forward; backward A → B holds against B's actual start 0:
    # LF(A) = 0, TF(A) = 0 − 7 = −7.
    "actual_dates": ({"A": [2, 7, -5, 0, -7], "B": [0, 4, 3, 5, 1], "C": [4, 6, 5, 7, 1]},
                     7.0),
}


@pytest.mark.parametrize("option", OPTIONS)
def test_out_of_sequence_options_match_the_hand_worked_example(option):
    """The three P6 options on one network with out-of-sequence progress (values by hand)."""
    s = tpmkit.schedule(out_of_sequence(), progress=option)
    expected, finish = HAND[option]
    t = s.table
    assert s.duration == finish
    assert s.status_date == pd.Timestamp(day(1)) and s.progress == option
    for task, (es, ef, ls, lf, tf) in expected.items():
        row = t.loc[task]
        assert [row.early_start, row.early_finish, row.late_start, row.late_finish,
                row.total_float] == [es, ef, ls, lf, tf], task
    assert t["status"].tolist() == ["not_started", "in_progress", "not_started"]
    assert t["remaining_duration"].tolist() == [5.0, 2.0, 2.0]
    assert t.loc["B", "early_start_date"] == pd.Timestamp(day(0))   # the actual start
    assert (t["forecast_finish"] == t["early_finish"]).all()
    assert t["finish_variance"].isna().all()                        # no baseline


def test_a_task_completed_out_of_sequence_retains_its_predecessors_logic():
    """P6's own illustration: A1 → A2 → A3, A2 done before A1 started (status end of day 2).
    Retained logic: A3 still waits for A1 (3→6, A3 6→10); progress override: A3 follows A2
    and the status date (3→7); actual dates: A1 gets −6 float (LF = A2's actual start 0)."""
    t = pd.DataFrame({"id": ["A1", "A2", "A3"], "duration": [3, 2, 4],
                      "predecessors": ["", "A1", "A2"], "percent_complete": [0, 100, 0],
                      "actual_start": [None, day(0), None], "actual_finish": [None, day(1), None]})
    p = tpmkit.read(t, start=START, status_date=day(2))
    got = {o: tpmkit.schedule(p, progress=o) for o in OPTIONS}
    assert got["retained_logic"].table.loc["A3", "early_start"] == 6
    assert got["retained_logic"].duration == 10
    assert got["progress_override"].table.loc["A3", ["early_start", "early_finish"]].tolist() == [3, 7]
    assert got["progress_override"].table.loc["A1", "total_float"] == 1
    assert got["actual_dates"].table.loc["A1", "total_float"] == -6
    for s in got.values():
        a2 = s.table.loc["A2"]
        assert [a2.early_start, a2.early_finish] == [0, 2]        # actual dates kept
        assert np.isnan(a2.total_float) and not a2.critical and a2.driven_by == "actual"
        assert a2.status == "complete" and a2.remaining_duration == 0
        assert a2.early_finish_date == pd.Timestamp(day(1))


def test_a_slipping_task_and_an_unreachable_deadline_give_negative_float():
    """B (4 d) started on day 0 needs 6 more days at the end of day 3: forecast 4 → 10.
    With the deadline at 8 and C (1 d) after B, C finishes at 11: float 8 − 11 = −3."""
    t = pd.DataFrame({"id": ["B", "C"], "duration": [4, 1], "predecessors": ["", "B"],
                      "actual_start": [day(0), None], "percent_complete": [40, 0],
                      "remaining_duration": [6, None],
                      "baseline_finish": [day(3), day(4)]})
    p = tpmkit.read(t, start=START, status_date=day(3), deadline=8)
    s = tpmkit.schedule(p)
    assert s.table["early_finish"].tolist() == [10, 11]
    assert s.table["total_float"].tolist() == [-3, -3]
    assert s.table["critical"].all()
    # finish variance: forecast − baseline finish offsets (4 and 5)
    assert s.table["finish_variance"].tolist() == [6, 6]
    assert s.finish_date == pd.Timestamp(day(10))


def test_without_status_date_nothing_changes_and_false_ignores_it():
    p = out_of_sequence()
    plain = tpmkit.read(p.to_table().drop(columns=["percent_complete", "actual_start"]),
                        start=START)
    a = tpmkit.schedule(p, status_date=False)
    b = tpmkit.schedule(plain)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.status_date is None and "forecast_finish" not in a.table
    # a status date given to the call replaces the project's
    later = tpmkit.schedule(p.replace(status_date=""), status_date=day(1))
    pd.testing.assert_frame_equal(later.table, tpmkit.schedule(p).table)


def test_parallel_links_of_different_types_between_one_pair():
    """SS+2 and FF+2 between A (5 d) and B (3 d): B starts at 2 (SS) but must finish at 7
    (FF): ES = 4. FS + FF also validates; two FS links are refused."""
    p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [5, 3],
                                  "predecessors": ["", "A SS+2; A FF+2"]}))
    assert tpmkit.schedule(p).table.loc["B", "early_start"] == 4
    assert len(p.links) == 2
    q = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [5, 3],
                                  "predecessors": ["", "A FS; A FF+4"]}))
    assert tpmkit.schedule(q).table.loc["B", "early_finish"] == 9
    with pytest.raises(ValidationError, match=r"task\(s\) B link to the same predecessor twice "
                                              r"with the same type FS \(A\); keep one link per pair"):
        tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [5, 3],
                                  "predecessors": ["", "A; A FS+1"]}))


# ------------------------------------------------------------------------ progress warnings
def _warned(table: pd.DataFrame, status: str | None = day(5)) -> tuple[tpmkit.Project, list]:
    p = tpmkit.read(table, start=START, status_date=status)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        tpmkit.schedule(p)
    return p, [str(x.message) for x in w if issubclass(x.category, ProgressWarning)]


@pytest.mark.parametrize("row, pattern, status", [
    ({"actual_start": day(7)}, r"actual_start after the status date 2027-01-11 for task\(s\) A; "
                               r"ignored: those tasks are treated as not started", "not_started"),
    ({"actual_start": day(0), "actual_finish": day(8)},
     r"actual_finish after the status date .* for task\(s\) A; ignored: .* in progress",
     "in_progress"),
    ({"actual_start": day(3), "actual_finish": day(1)},
     r"actual_finish before actual_start for task\(s\) A; the actual_finish is kept", "complete"),
    ({"percent_complete": 100, "actual_start": day(0)},
     r"percent_complete 100 without actual_finish for task\(s\) A; assumed finished", "complete"),
    ({"percent_complete": 60, "actual_start": day(0), "actual_finish": day(2)},
     r"actual_finish given for task\(s\) A with percent_complete below 100; treated as complete",
     "complete"),
    ({"percent_complete": 50}, r"percent_complete above 0 without actual_start for task\(s\) A; "
                               r"treated as not started", "not_started"),
    ({"actual_finish": day(2)}, r"actual_finish without actual_start for task\(s\) A", "complete"),
    ({"actual_start": day(0), "actual_finish": day(2), "remaining_duration": 2},
     r"remaining_duration above 0 for complete task\(s\) A; taken as 0", "complete"),
])
def test_contradictory_progress_warns_once_and_says_what_is_assumed(row, pattern, status):
    t = pd.DataFrame([{"id": "A", "duration": 3, **row}, {"id": "B", "duration": 2,
                                                          "predecessors": "A"}])
    p, messages = _warned(t)
    assert len(messages) == 1, messages
    assert pd.Series(messages).str.match(pattern).all(), messages
    assert p.progress.loc["A", "status"] == status
    s = tpmkit.schedule(p, status_date=False)  # without a status date: no warning, no change
    assert "status" not in s.table


def test_assumed_dates_of_incomplete_progress():
    """100 % from day 1 without a finish: done at 1 + 3 = 4 (before the status offset 6);
    50 % of 4 days without a start: not started, 2 days remain, from the status offset 6;
    a milestone with an actual start has happened."""
    t = pd.DataFrame({"id": ["A", "B", "M"], "duration": [3, 4, 0],
                      "percent_complete": [100, 50, None],
                      "actual_start": [day(1), None, day(2)]})
    p, _ = _warned(t)
    pr = p.progress
    assert pr.loc["A", "actual_finish_offset"] == 4 and pr.loc["A", "actual_finish"] == pd.Timestamp(day(3))
    assert pr.loc["B", "status"] == "not_started" and pr.loc["B", "remaining_duration"] == 2
    with pytest.warns(ProgressWarning):
        s = tpmkit.schedule(p)
    assert s.table.loc["B", ["early_start", "early_finish"]].tolist() == [6, 8]
    assert pr.loc["M", "status"] == "complete" and pr.loc["M", "actual_finish"] == pd.Timestamp(day(2))


@pytest.mark.parametrize("col, value, pattern", [
    ("remaining_duration", -1, r"negative remaining_duration for task\(s\) A; remaining_duration must be ≥ 0"),
    ("remaining_duration", 1e9, r"remaining_duration above 36500 working days .* task\(s\) A"),
])
def test_bad_remaining_duration_is_refused(col, value, pattern):
    with pytest.raises(ValidationError, match=pattern):
        tpmkit.read(pd.DataFrame({"id": ["A"], "duration": [3], col: [value]}))


def test_unknown_option_and_unordered_remaining_estimate():
    with pytest.raises(OptionError, match=r"unknown progress .retained.; choose one of: retained_logic"):
        tpmkit.schedule(out_of_sequence(), progress="retained")
    t = out_of_sequence().to_table().assign(remaining_optimistic=[None, 3, None],
                                            remaining_most_likely=[None, 2, None],
                                            remaining_pessimistic=[None, 4, None])
    p = tpmkit.read(t, start=START, status_date=day(1))
    with pytest.raises(ValidationError, match=r"remaining three-point estimate not ordered .* "
                                              r"task\(s\) B"):
        tpmkit.risk.simulate(p, 20, rng=1, progress=False)


# ------------------------------------------------------------------------------- properties
@st.composite
def progressed(draw):
    """A random network with random progress at a random status date (working day sd)."""
    n = draw(st.integers(1, 18))
    sd = draw(st.integers(0, 15))
    rows = []
    for j in range(n):
        k = draw(st.integers(0, min(j, 3)))
        preds = draw(st.lists(st.integers(0, j - 1), min_size=k, max_size=k, unique=True)) if j else []
        links = []
        for i in preds:
            lt = draw(st.sampled_from(("FS", "SS", "FF", "SF")))
            lag = draw(st.integers(-2, 4))
            links.append(f"T{i} {lt}{lag:+d}" if lag else f"T{i} {lt}")
        d = draw(st.integers(0, 12))
        row = {"id": f"T{j}", "duration": d, "optimistic": d, "most_likely": d,
               "pessimistic": d, "predecessors": "; ".join(links)}
        kind = draw(st.sampled_from(("none", "started", "done")))
        if kind != "none":
            s = draw(st.integers(0, sd))
            row["actual_start"] = day(s)
            if kind == "done":
                row["actual_finish"] = day(draw(st.integers(s, sd)))
                row["percent_complete"] = 100
            else:
                row["percent_complete"] = draw(st.integers(0, 99))
                if draw(st.booleans()):
                    row["remaining_duration"] = draw(st.integers(0, 15))
        rows.append(row)
    return pd.DataFrame(rows), sd


@settings(max_examples=50, deadline=None)
@given(progressed(), st.sampled_from(OPTIONS))
def test_forecast_properties(case, option):
    """No forecast of incomplete work before the status date; completed tasks keep their
    actuals; started tasks keep their actual start; early finish = forecast; the plan
    without status date is the plain CPM."""
    table, sd = case
    p = tpmkit.read(table, start=START, status_date=day(sd))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        s = tpmkit.schedule(p, progress=option)
    t, pr = s.table, p.progress
    dd = sd + 1
    todo = t["status"] == "not_started"
    going = t["status"] == "in_progress"
    done = t["status"] == "complete"
    assert (t.loc[todo, "early_start"] >= dd - EPS).all()
    assert (t.loc[~done, "early_finish"] >= dd - EPS).all()
    # dates: work after the status day; a milestone at the end of it is dated on it
    status_day = pd.Timestamp(day(sd))
    assert (t.loc[~done, "early_finish_date"] >= status_day).all()
    work = todo & (t["duration"] > 0)
    assert (t.loc[work, "early_start_date"] > status_day).all()
    assert (t.loc[done, "early_start"] == pr.loc[done, "actual_start_offset"]).all()
    assert (t.loc[done, "early_finish"] == pr.loc[done, "actual_finish_offset"]).all()
    assert (t.loc[done, "early_finish_date"] == pr.loc[done, "actual_finish"]).all()
    assert t.loc[done, "total_float"].isna().all() and not t.loc[done, "critical"].any()
    assert (t.loc[going, "early_start_date"] == pr.loc[going, "actual_start"]).all()
    resume = t.loc[~done, "early_finish"] - t.loc[~done, "remaining_duration"]
    assert (resume >= dd - 1e-6).all()               # the remaining work starts after it
    assert s.duration >= t["early_finish"].max() - EPS
    assert np.isfinite(t.loc[~done, "total_float"]).all()
    plain = tpmkit.schedule(tpmkit.read(table[["id", "duration", "predecessors"]], start=START))
    again = tpmkit.schedule(p, status_date=False)
    pd.testing.assert_frame_equal(plain.table, again.table)


@settings(max_examples=15, deadline=None)
@given(progressed(), st.sampled_from(OPTIONS))
def test_monte_carlo_with_o_m_p_equal_reproduces_the_forecast_exactly(case, option):
    table, sd = case
    p = tpmkit.read(table, start=START, status_date=day(sd))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        s = tpmkit.schedule(p, progress=option)
        r = tpmkit.risk.simulate(p, 40, rng=3, progress=False, out_of_sequence=option,
                                 risk_drivers=False)
    assert r.deterministic_duration == s.duration
    assert (r.finish == s.duration).all()
    crit = s.table["critical"].to_numpy()
    assert (r.tasks["criticality"].to_numpy() == crit).all()


# ------------------------------------------------------------------------------ Monte Carlo
def _tracking_like() -> tpmkit.Project:
    """A (done) → B (4 d, in progress, 50 %, three points 2/4/12) → C (three points 1/2/3)."""
    t = pd.DataFrame({"id": ["A", "B", "C"], "duration": [3, None, None],
                      "optimistic": [2, 2, 1], "most_likely": [3, 4, 2], "pessimistic": [4, 12, 3],
                      "predecessors": ["", "A", "B"],
                      "actual_start": [day(0), day(3), None], "actual_finish": [day(2), None, None],
                      "percent_complete": [100, 50, 0]})
    return tpmkit.read(t, start=START, status_date=day(4))


def test_monte_carlo_samples_the_remaining_work():
    """A is fixed at its actuals; B's remaining (50 % of PERT mean 5) is its PERT estimate
    scaled by 2.5 / 5: mean 2.5, sd (12 − 2)/6 · 0.5; its start mean is the resumption at 5."""
    p = _tracking_like()
    n = 20_000
    r = tpmkit.risk.simulate(p, n, rng=11, progress=False)
    tasks = r.tasks
    assert tasks.loc["A", "duration_std"] == 0 and tasks.loc["A", "criticality"] == 0
    assert tasks.loc["A", "duration_mean"] == 0
    sd_b = tasks.loc["B", "duration_std"]
    assert abs(tasks.loc["B", "duration_mean"] - 2.5) < 4 * sd_b / np.sqrt(n)
    assert sd_b == pytest.approx((12 - 2) / 6 * 0.5, rel=0.05)
    assert tasks.loc["B", "start_mean"] == 5.0        # resumes at the status date
    assert (r.finish >= 5 + 1 - EPS).all()            # remaining B ≥ 1, then C ≥ 1
    assert r.settings["status_date"] == day(4)
    assert r.deterministic_duration == tpmkit.schedule(p).duration


def test_explicit_remaining_estimates_are_used():
    t = _tracking_like().to_table().assign(remaining_optimistic=[None, 1, None],
                                           remaining_most_likely=[None, 1, None],
                                           remaining_pessimistic=[None, 1, None])
    p = tpmkit.read(t, start=START, status_date=day(4))
    r = tpmkit.risk.simulate(p, 500, rng=2, progress=False)
    assert r.tasks.loc["B", "duration_std"] == 0 and r.tasks.loc["B", "duration_mean"] == 1


def test_closed_past_or_completed_risks_do_not_fire():
    p = _tracking_like()
    reg = pd.DataFrame({"id": ["R1", "R2", "R3", "R4"], "probability": [1.0] * 4,
                        "tasks": ["C", "C", "A", "C"], "impact_days": ["5"] * 4,
                        "status": ["open", "closed", "open", "open"],
                        "window_end": [None, None, None, day(2)]})
    r = tpmkit.risk.simulate(p, 300, rng=4, progress=False, risks=reg, risk_drivers=False)
    assert r.risks.index.tolist() == ["R1"]          # R2 closed, R3 on done work, R4 past
    base = tpmkit.risk.simulate(p, 300, rng=4, progress=False, risks=False)
    assert np.allclose(r.finish, base.finish + 5)
    plan = tpmkit.risk.simulate(p, 300, rng=4, progress=False, risks=reg, risk_drivers=False,
                                status_date=False)
    assert len(plan.risks) == 3                       # without a status date only R2 is out


def test_numpy_and_compiled_engines_agree_with_a_status_date():
    p = tpmkit.datasets.load("software_release_tracking")
    p = tpmkit.evm.as_of(p, "2027-03-15")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        a = tpmkit.risk.simulate(p, 1500, rng=5, progress=False, engine="numba",
                                 out_of_sequence="actual_dates", risk_drivers=False)
        b = tpmkit.risk.simulate(p, 1500, rng=5, progress=False, engine="numpy",
                                 out_of_sequence="actual_dates", risk_drivers=False)
    np.testing.assert_array_equal(a.finish, b.finish)
    pd.testing.assert_frame_equal(a.tasks, b.tasks)


def test_the_tracking_sample_is_forecast_from_its_progress():
    """Issue 16: rolled back to 2027-03-15, DV9 (started 02-26, 5 %) no longer finishes
    before the status date and the project no longer finishes on the baseline date."""
    p = tpmkit.evm.as_of(tpmkit.datasets.load("software_release_tracking"), "2027-03-15")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        s = tpmkit.schedule(p)
    dv9 = s.table.loc["DV9"]
    assert dv9.status == "in_progress"
    assert dv9.early_start_date == pd.Timestamp("2027-02-26")
    assert dv9.early_finish_date > pd.Timestamp("2027-03-15")
    assert s.finish_date > pd.Timestamp("2027-05-07")
    todo = s.table[s.table["status"] != "complete"]
    assert (todo["early_finish_date"] > pd.Timestamp("2027-03-15")).all()


# ------------------------------------------------------------------------- float rounding
def test_fractional_durations_give_exact_zero_float():
    """Seven three-point tasks whose PERT means are fractions (e.g. 25/6): every critical
    task has a float of exactly 0 and none is negative (no −8.9e-16)."""
    o = [1, 2, 1.5, 3, 2, 1, 4]
    m = [2, 3.5, 2.5, 4, 3, 2.2, 5]
    pp = [4.5, 6, 4, 7.3, 5.1, 3.7, 9]
    t = pd.DataFrame({"id": list("ABCDEFG"), "optimistic": o, "most_likely": m,
                      "pessimistic": pp,
                      "predecessors": ["", "A", "A", "B;C", "D", "D", "E;F"]})
    s = tpmkit.schedule(tpmkit.read(t))
    tf = s.table["total_float"]
    assert (tf >= 0).all()
    assert (tf[s.table["critical"]] == 0.0).all()
    raw = s.table["late_start"] - s.table["early_start"]
    assert (raw[s.table["critical"]].abs() < EPS).all()
