"""Tests for change effects (tpmkit.scope.effects), change impact and approval
(tpmkit.change_control): hand-checked deltas, exact undo, the approved baseline, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit import baselines, change_control
from tpmkit.errors import CycleError, ValidationError
from tpmkit.scope.effects import CHANGE_ACTIONS, apply_change, change_effects

ROOT = Path(__file__).resolve().parents[1]


def small(**settings_):
    """A → B → D and A → C → D; rates give time-dependent cost."""
    df = pd.DataFrame({"id": ["A", "B", "C", "D"], "name": list("abcd"),
                       "duration": [2.0, 3.0, 1.0, 2.0], "predecessors": ["", "A", "A", "B; C"],
                       "rate": [100.0, 100.0, 100.0, 100.0], "cost": [0.0, 50.0, 0.0, 0.0],
                       "wbs": ["1.1", "1.2", "1.3", "2.1"]})
    return tpmkit.read(df, start="2027-01-04", **settings_)


# --------------------------------------------------------------------------- validation
def test_effects_table_canonical():
    fx = change_effects(pd.DataFrame({"change": [" CR1 "], "action": ["Add Link"],
                                      "task": ["D"], "predecessors": ["A SS+1"]}))
    assert fx.loc[0, "change"] == "CR1" and fx.loc[0, "action"] == "add_link"
    assert set(CHANGE_ACTIONS) >= set(fx["action"])


@pytest.mark.parametrize(("rows", "match"), [
    ([{"change": "", "action": "scope", "scope": 1}], r"row\(s\) 1 have no change id"),
    ([{"change": "CR1", "action": "grow"}], r"unknown action for CR1 row 1; use one of add_task"),
    ([{"change": "CR1", "action": "duration", "duration": 2}], r"CR1 row 1 name no task"),
    ([{"change": "CR2", "action": "cost", "task": "B"}], r"CR2 row 1 give no 'cost'"),
    ([{"change": "CR1", "action": "add_task", "task": "X"}], r"CR1 row 1 add a task without"),
    ([{"change": "CR1", "action": "add_link", "task": "D"}], r"CR1 row 1 change links"),
    ([{"change": "CR1", "action": "duration", "task": "B", "duration": "two"}],
     r"column 'duration' holds non-numbers for CR1 row 1"),
])
def test_effects_errors_name_the_rows(rows, match):
    with pytest.raises(ValidationError, match=match):
        change_effects(rows)


def test_effects_unknown_change_id():
    with pytest.raises(ValidationError, match=r"change\(s\) CR9 are not in the change log"):
        change_effects([{"change": "CR9", "action": "scope", "scope": 1}], change_ids=["CR1"])


@pytest.mark.parametrize(("row", "match", "error"), [
    ({"action": "duration", "task": "Z", "duration": 1}, r"CR1 row 1: task Z is not in the plan",
     ValidationError),
    ({"action": "add_task", "task": "B", "duration": 1}, r"task B already exists", ValidationError),
    ({"action": "duration", "task": "C", "duration": -2}, r"-2 working days makes the duration "
     r"of C negative", ValidationError),
    ({"action": "cost", "task": "B", "cost": -60}, r"makes the fixed cost of B negative",
     ValidationError),
    ({"action": "add_link", "task": "B", "predecessors": "A"}, r"B already has a link from A",
     ValidationError),
    ({"action": "remove_link", "task": "B", "predecessors": "C"}, r"no link C → B",
     ValidationError),
    ({"action": "add_link", "task": "A", "predecessors": "D"}, r"A|D", CycleError),
])
def test_apply_errors_name_task_and_fix(row, match, error):
    with pytest.raises(error, match=match):
        apply_change(small(), [{"change": "CR1", **row}])


def test_apply_unknown_change_lists_known():
    with pytest.raises(ValidationError, match=r"change CR7 has no effects; known: CR1"):
        apply_change(small(), [{"change": "CR1", "action": "scope", "scope": 1}], "CR7")


def test_remove_task_with_progress_or_risks_refused():
    tracking = tpmkit.datasets.load("software_release_tracking")
    with pytest.raises(ValidationError, match="task DV5 has reported progress"):
        apply_change(tracking, [{"change": "C", "action": "remove_task", "task": "DV5"}])
    plan = tpmkit.datasets.load("software_release")
    with pytest.raises(ValidationError, match="the risk register names task DV7"):
        apply_change(plan, [{"change": "C", "action": "remove_task", "task": "DV7"}])


# --------------------------------------------------------------------------- apply / undo
def test_apply_hand_checked():
    """Add T (3 d, after B) before D and lengthen C by 4: A(0-2) B(2-5) T(5-8) C(2-7) D(8-10)."""
    fx = [{"change": "CR1", "action": "add_task", "task": "T", "name": "new", "duration": 3,
           "cost": 10, "predecessors": "B", "wbs": "1.4"},
          {"change": "CR1", "action": "add_link", "task": "D", "predecessors": "T"},
          {"change": "CR1", "action": "duration", "task": "C", "duration": 4},
          {"change": "CR1", "action": "scope", "scope": 2}]
    done = apply_change(small(), fx, "CR1")
    s = tpmkit.schedule(done.project).table
    assert s.loc["T", ["early_start", "early_finish"]].tolist() == [5.0, 8.0]
    assert s.loc["C", "early_finish"] == 7.0 and s.loc["D", "early_finish"] == 10.0
    assert done.added == ("T",) and done.changed == ("D", "C") and done.scope_delta == 2
    assert done.project.tasks.loc["T", "wbs"] == "1.4"
    assert apply_change(done.project, done.undo).project == small()


def test_three_point_estimate_moves_with_the_duration():
    p = tpmkit.read(pd.DataFrame({"id": ["A"], "duration": [5], "optimistic": [3],
                                  "most_likely": [5], "pessimistic": [9]}))
    t = apply_change(p, [{"change": "C", "action": "duration", "task": "A", "duration": 2}]
                     ).project.tasks
    assert t.loc["A", ["duration", "optimistic", "most_likely", "pessimistic"]].tolist() == \
        [7, 5, 7, 11]


@st.composite
def plans_and_changes(draw):
    """A random network and a random sequence of valid effects on it (tracked as it grows)."""
    n = draw(st.integers(2, 7))
    ids = [f"T{i}" for i in range(n)]
    preds = {t: sorted(draw(st.sets(st.sampled_from(ids[:i]), max_size=2))) if i else []
             for i, t in enumerate(ids)}
    dur = {t: float(draw(st.integers(0, 6))) for t in ids}
    cost = {t: float(draw(st.integers(0, 500))) for t in ids}
    df = pd.DataFrame({"id": ids, "duration": [dur[t] for t in ids],
                       "predecessors": ["; ".join(preds[t]) for t in ids],
                       "cost": [cost[t] for t in ids], "rate": 10.0})
    order = list(ids)  # a topological order kept as tasks come and go
    links = {(p, s) for s in ids for p in preds[s]}
    effects, k = [], 0
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(CHANGE_ACTIONS))
        if action == "add_task":
            new = f"N{k}"
            k += 1
            pred = draw(st.sampled_from(order)) if order else ""
            effects.append({"action": action, "task": new, "duration": float(draw(st.integers(0, 4))),
                            "cost": 7.0, "predecessors": pred})
            order.append(new)
            dur[new], cost[new] = effects[-1]["duration"], 7.0
            if pred:
                links.add((pred, new))
        elif action == "remove_task" and len(order) > 1:
            gone = draw(st.sampled_from(order))
            effects.append({"action": action, "task": gone})
            order.remove(gone)
            links = {lk for lk in links if gone not in lk}
        elif action == "duration" and order:
            t = draw(st.sampled_from(order))
            d = float(draw(st.integers(int(-dur[t]), 5)))
            dur[t] += d
            effects.append({"action": action, "task": t, "duration": d})
        elif action == "cost" and order:
            t = draw(st.sampled_from(order))
            c = float(draw(st.integers(int(-cost[t]), 300)))
            cost[t] += c
            effects.append({"action": action, "task": t, "cost": c})
        elif action == "add_link" and len(order) > 1:
            i, j = sorted(draw(st.lists(st.integers(0, len(order) - 1), min_size=2, max_size=2,
                                        unique=True)))
            if (order[i], order[j]) not in links:
                links.add((order[i], order[j]))
                effects.append({"action": action, "task": order[j],
                                "predecessors": f"{order[i]} SS+1"})
        elif action == "remove_link" and links:
            p, s = draw(st.sampled_from(sorted(links)))
            links.discard((p, s))
            effects.append({"action": action, "task": s, "predecessors": p})
        elif action == "scope":
            effects.append({"action": action, "scope": float(draw(st.integers(-3, 3)))})
    if not effects:
        effects.append({"action": "scope", "scope": 1.0})
    return tpmkit.read(df, start="2027-01-04"), [{"change": "CR", **e} for e in effects]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_and_changes())
def test_apply_then_undo_returns_the_original_plan(case):
    plan, effects = case
    done = apply_change(plan, effects, "CR")
    back = apply_change(done.project, done.undo).project
    assert back == plan
    assert tpmkit.schedule(back).table.equals(tpmkit.schedule(plan).table)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_and_changes())
def test_approved_change_baseline_matches_the_changed_plan(case):
    plan, effects = case
    approved = change_control.approve(plan, "CR", effects=effects)
    sched = tpmkit.schedule(approved.project).table
    base = baselines.baseline_table(approved.project, approved.baseline)
    assert (base["start"] == sched["early_start_date"]).all()
    assert (base["finish"] == sched["early_finish_date"]).all()
    t = approved.project.tasks
    np.testing.assert_allclose(base["cost"], t["cost"].fillna(0) + t["rate"].fillna(0) * t["duration"])
    # the changed plan is the applied change's plan plus the baseline columns
    assert baselines.compare_baselines(approved.project, approved.baseline)["status"].eq(
        "unchanged").all()


# --------------------------------------------------------------------------- impact
def test_impact_hand_checked_deterministic():
    """B +2 d on the critical path A-B-D: duration 7 → 9; cost +2 × 100; P80 = CPM (no
    uncertainty); no status date, so EAC = BAC + Δcost."""
    r = change_control.impact(small(), "CR1", effects=[
        {"change": "CR1", "action": "duration", "task": "B", "duration": 2}], iterations=200)
    assert r.table.loc["duration", ["before", "after", "delta"]].tolist() == [7.0, 9.0, 2.0]
    assert r.delta("cost") == 200.0 and r.delta("p80_duration") == 2.0
    assert r.delta("eac") == 200.0 and r.cpi == 1.0
    assert r.finish_after - r.finish_before == pd.Timedelta(days=2)
    assert r.tasks.loc["B", "status"] == "changed" and r.tasks.loc["D", "status"] == "moved"
    assert r.tasks.loc["C", "status"] == "unchanged"
    with pytest.raises(ValidationError, match="unknown measure 'cpi'"):
        r.delta("cpi")


def test_impact_eac_uses_the_cost_performance():
    """A done: budget 1000, actual 1250 → CPI 0.8; EAC = BAC/CPI = 2000/0.8 = 2500; a
    +400 cost change adds 400/0.8 = 500 (PMBOK EAC = AC + (BAC − EV)/CPI)."""
    p = tpmkit.read(pd.DataFrame({
        "id": ["A", "B"], "duration": [5, 5], "predecessors": ["", "A"], "rate": [200, 200],
        "baseline_start": ["2027-01-04", "2027-01-11"],
        "baseline_finish": ["2027-01-08", "2027-01-15"], "baseline_cost": [1000, 1000],
        "percent_complete": [100, 0], "actual_cost": [1250, 0],
        "actual_start": ["2027-01-04", None], "actual_finish": ["2027-01-08", None]}),
        start="2027-01-04", status_date="2027-01-08")
    r = change_control.impact(p, [{"change": "X", "action": "cost", "task": "B", "cost": 400}],
                              iterations=50)
    assert r.cpi == pytest.approx(0.8)
    assert r.table.loc["eac", ["before", "after"]].tolist() == pytest.approx([2500.0, 3000.0])
    assert r.change == "X"


def test_impact_p80_with_uncertainty_same_seed():
    plan = tpmkit.datasets.load("software_release")
    effects = tpmkit.datasets.load("software_release_change_effects")
    log = tpmkit.datasets.load("software_release_changes")
    r = change_control.impact(plan, "CR03", effects=effects, log=log, iterations=300, rng=7)
    again = change_control.impact(plan, "CR03", effects=effects, iterations=300, rng=7)
    assert r.table.equals(again.table)  # seeded: reproducible
    assert r.applied.added == ("QA4b",) and r.tasks.loc["QA4b", "status"] == "added"
    assert r.estimate == {"cost_impact": 2400.0, "schedule_impact_days": 2.0}
    assert r.delta("cost") == 2400.0 and r.delta("p80_duration") >= 0
    assert "Impact of change CR03" in r._repr_html_()


def test_impact_needs_effects_for_an_id():
    with pytest.raises(ValidationError, match="give the change-effects table"):
        change_control.impact(small(), "CR1")


def test_approve_moves_the_log_and_saves_a_baseline_version():
    plan = baselines.set_baseline(small())
    fx = [{"change": "CR1", "action": "duration", "task": "B", "duration": 1}]
    a = change_control.approve(plan, "CR1", effects=fx, log=[{"id": "CR1"}], date="2027-01-06")
    assert a.baseline == "baseline_1" and a.log.loc["CR1", "status"] == "approved"
    assert baselines.baseline_names(a.project) == ["baseline", "baseline_1"]
    cmp = baselines.compare_baselines(a.project, "baseline", "baseline_1")
    assert cmp.loc["B", "finish_slip"] == 1.0 and cmp.loc["A", "status"] == "unchanged"
    with pytest.raises(ValidationError, match="cannot approve change CR1: .*from rejected"):
        change_control.approve(plan, "CR1", effects=fx,
                               log=[{"id": "CR1", "status": "rejected", "decided": "2027-01-05"}])


def test_sample_effects_cover_the_change_log_and_apply():
    log = tpmkit.datasets.load("software_release_changes")
    effects = change_effects(tpmkit.datasets.load("software_release_change_effects"),
                             change_ids=log.index)
    assert set(effects["change"]) == set(log.index)
    plan = tpmkit.datasets.load("software_release")
    for cr in log.index:
        done = apply_change(plan, effects, cr)
        assert apply_change(done.project, done.undo).project == plan


def test_change_effects_template_loads():
    table = tpmkit.io.read_table(ROOT / "templates" / "change_effects.csv")
    assert len(change_effects(table)) == 0
