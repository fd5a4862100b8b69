"""Tests of tpmkit.resources (loading, cost), tpmkit.compression (crashing) and tpmkit.ccpm
(critical chain)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit.ccpm import critical_chain
from tpmkit.compression import crash, time_cost_curve
from tpmkit.cpm import passes
from tpmkit.errors import DataError, OptionError, TpmkitWarning, ValidationError
from tpmkit.resources import (
    cost,
    histogram,
    loading,
    overallocations,
    resource_table,
    usage,
)


def project(rows: dict, resources: list | None = None, **settings) -> tpmkit.Project:
    parts = {"tasks": pd.DataFrame(rows)}
    if resources is not None:
        parts["resources"] = pd.DataFrame(resources)
    return tpmkit.read(parts, **settings)


def sched(starts: dict, finishes: dict) -> pd.DataFrame:
    return pd.DataFrame({"start": pd.Series(starts, dtype=float),
                         "finish": pd.Series(finishes, dtype=float)})


# --------------------------------------------------------------------------- loading


@pytest.fixture
def small():
    # A: dev 1 for days 0-3; B: dev 1 + qa 0.5 from day 2 for 3 days; C: qa 1 days 4.5-6
    return project({"id": ["A", "B", "C"], "duration": [4, 3, 1.5],
                    "resources": ["dev:1", "dev:1; qa:0.5", "qa:1"]},
                   [{"id": "dev", "capacity": 1, "rate": 800}, {"id": "qa", "capacity": 1, "rate": 500}])


def test_usage_hand_computed(small):
    s = sched({"A": 0, "B": 2, "C": 4.5}, {"A": 4, "B": 5, "C": 6})
    u = usage(small, s)
    assert list(u.index) == list(range(6))
    np.testing.assert_allclose(u["dev"], [1, 1, 2, 2, 1, 0])
    # qa: B 0.5 on days 2,3,4; C covers half of day 4 and all of day 5
    np.testing.assert_allclose(u["qa"], [0, 0, 0.5, 0.5, 1.0, 1.0])


def test_overallocation_periods_name_the_tasks(small):
    s = sched({"A": 0, "B": 2, "C": 4.5}, {"A": 4, "B": 5, "C": 6})
    over = overallocations(small, s)
    assert len(over) == 1
    row = over.iloc[0]
    assert (row["resource"], row["start"], row["finish"], row["days"]) == ("dev", 2, 4, 2)
    assert row["peak"] == 2.0 and row["max_excess"] == 1.0 and row["excess_unit_days"] == 2.0
    assert row["tasks"] == ["A", "B"] and row["units"] == [1.0, 1.0]


def test_no_overallocation_when_sequenced(small):
    s = sched({"A": 0, "B": 4, "C": 7}, {"A": 4, "B": 7, "C": 8.5})
    result = loading(small, s)
    assert not result.overallocated
    assert result.overallocations.empty
    np.testing.assert_allclose(result.cost["dev"].sum(), 7 * 800)


def test_loading_defaults_to_cpm_schedule_and_dates(small):
    dated = tpmkit.read({"tasks": small.to_table(), "resources": small.resources}, start="2027-01-04")
    result = loading(dated)
    # CPM: all three start at 0 -> dev 2 on days 0-2, qa 1.5 on day 0
    assert result.usage.loc[0, "dev"] == 2.0
    assert result.dates[0] == pd.Timestamp("2027-01-04")
    over = result.overallocations
    assert over.loc[over["resource"] == "dev", "start_date"].iloc[0] == pd.Timestamp("2027-01-04")


def test_resource_calendar_zero_capacity_on_days_off():
    p = project({"id": ["A"], "duration": [5], "resources": ["dev:1"]},
                [{"id": "dev", "capacity": 1, "workweek": "Mon, Tue, Wed, Thu"}], start="2027-01-04")
    result = loading(p)  # Mon 4 .. Fri 8 January 2027
    np.testing.assert_allclose(result.capacity["dev"], [1, 1, 1, 1, 0])
    over = result.overallocations
    assert len(over) == 1 and over.iloc[0]["start_date"] == pd.Timestamp("2027-01-08")


def test_resource_holidays():
    p = project({"id": ["A"], "duration": [3], "resources": ["dev:1"]},
                [{"id": "dev", "holidays": "2027-01-05"}], start="2027-01-04")
    np.testing.assert_allclose(loading(p).capacity["dev"], [1, 0, 1])


def test_histogram_by_week_sums_days(small):
    p = tpmkit.read({"tasks": small.to_table(), "resources": small.resources}, start="2027-01-04")
    s = sched({"A": 0, "B": 2, "C": 4.5}, {"A": 4, "B": 5, "C": 6})
    daily = histogram(p, s)
    weekly = histogram(p, s, by="week")
    for r in ("dev", "qa"):
        assert weekly.loc[weekly["resource"] == r, "usage"].sum() == pytest.approx(
            daily.loc[daily["resource"] == r, "usage"].sum())
    first = weekly[(weekly["resource"] == "dev")].iloc[0]
    assert first["peak"] == 2.0 and first["overallocation"] == 2.0 and first["days"] == 5
    with pytest.raises(OptionError, match="fortnight"):
        histogram(p, s, by="fortnight")
    with pytest.raises(ValidationError, match="nobody"):
        histogram(p, s, resource="nobody")


def test_histogram_by_week_needs_dates(small):
    with pytest.raises(DataError, match="project start"):
        histogram(small, sched({"A": 0, "B": 2, "C": 4.5}, {"A": 4, "B": 5, "C": 6}), by="week")


def test_default_capacity_without_table():
    p = project({"id": ["A", "B"], "duration": [2, 2], "resources": ["x:1", "x:0.5"]})
    table = resource_table(p)
    assert table.loc["x", "capacity"] == 1.0 and table.loc["x", "rate"] == 0.0
    assert overallocations(p)["tasks"].iloc[0] == ["A", "B"]


@pytest.mark.parametrize("resources, message", [
    ([{"id": "dev", "capacity": 1}], "qa"),                                   # unlisted resource
    ([{"id": "dev", "capacity": -1}, {"id": "qa"}], "dev"),                    # negative capacity
    ([{"id": "dev"}, {"id": "dev"}, {"id": "qa"}], "duplicate resource ids: dev"),
    ([{"id": "dev", "rate": "abc"}, {"id": "qa"}], "rate .*dev"),
    ([{"id": "dev", "workweek": "Mon, Funday"}, {"id": "qa"}], "dev .*Funday"),
    ([{"capacity": 1}], "no id column"),
])
def test_resource_table_errors(resources, message):
    # the model validates the resources part once, when the project is built
    with pytest.raises(ValidationError, match=message):
        resource_table(project({"id": ["A"], "duration": [2], "resources": ["dev:1; qa:1"]},
                               resources))


def test_schedule_errors(small):
    with pytest.raises(ValidationError, match="C"):
        loading(small, sched({"A": 0, "B": 1}, {"A": 1, "B": 2}))
    with pytest.raises(ValidationError, match="start/finish"):
        loading(small, pd.DataFrame({"begin": [0]}))
    with pytest.raises(ValidationError, match="B"):
        loading(small, sched({"A": 0, "B": 3, "C": 0}, {"A": 1, "B": 2, "C": 1}))
    with pytest.raises(ValidationError, match="negative .* C"):
        loading(small, sched({"A": 0, "B": 0, "C": -1}, {"A": 1, "B": 2, "C": 1}))


def test_calendar_without_start_is_an_error():
    p = project({"id": ["A"], "duration": [2], "resources": ["dev:1"]},
                [{"id": "dev", "workweek": "Mon"}])
    with pytest.raises(DataError, match="dev"):
        loading(p)


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(0, 20), st.floats(0, 10), st.floats(0.1, 3),
                          st.sampled_from(["r1", "r2"])), min_size=1, max_size=12))
def test_usage_conserves_unit_days(rows):
    """Spreading over days keeps sum(usage) = sum(units * (finish - start)) per resource."""
    ids = [f"T{i}" for i in range(len(rows))]
    p = project({"id": ids, "duration": [r[1] for r in rows],
                 "resources": [f"{r[3]}:{r[2]}" for r in rows]})
    s = sched({i: r[0] for i, r in zip(ids, rows)}, {i: r[0] + r[1] for i, r in zip(ids, rows)})
    u = usage(p, s)
    for res in u.columns:
        expected = sum(r[2] * r[1] for r in rows if r[3] == res)
        assert u[res].sum() == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert (u.to_numpy() >= 0).all()


# --------------------------------------------------------------------------- cost


def test_cost_matches_budget_of_sample():
    """A task rate is the whole time cost: totals equal cost + rate x duration (EVM/CPM budget)."""
    p = tpmkit.datasets.load("software_release")
    c = cost(p)
    t = p.tasks
    expected = t["cost"].fillna(0) + t["rate"].fillna(0) * t["duration"]
    np.testing.assert_allclose(c.table["total_cost"], expected)
    # every sample rate is the sum of its resources' rates, so valuing at resource rates agrees
    assert c.by_resource.sum() == pytest.approx((t["rate"].fillna(0) * t["duration"]).sum())


def test_cost_from_resource_rates_when_no_task_rate(small):
    c = cost(small)
    assert c.table.loc["B", "resource_cost"] == pytest.approx(3 * (800 + 0.5 * 500))
    assert c.table.loc["C", "total_cost"] == pytest.approx(1.5 * 500)
    assert c.total == pytest.approx(4 * 800 + 3 * 1050 + 750)


# --------------------------------------------------------------------------- crashing

HEIZER = {  # activity: normal weeks, crash weeks, normal cost, crash cost, predecessors
    "A": (2, 1, 22000, 22750, ""), "B": (3, 1, 30000, 34000, ""), "C": (2, 1, 26000, 27000, "A"),
    "D": (4, 3, 48000, 49000, "A, B"), "E": (4, 2, 56000, 58000, "C"), "F": (3, 2, 30000, 30500, "C"),
    "G": (5, 2, 80000, 84500, "D, E"), "H": (2, 1, 16000, 19000, "F, G"),
}
HILLIER = {  # activity: normal, crash [weeks], normal, crash cost [$1000], predecessors
    "A": (2, 1, 180, 280, ""), "B": (4, 2, 320, 420, "A"), "C": (10, 7, 620, 860, "B"),
    "D": (6, 4, 260, 340, "C"), "E": (4, 3, 410, 570, "C"), "F": (5, 3, 180, 260, "E"),
    "G": (7, 4, 900, 1020, "D"), "H": (9, 6, 200, 380, "E, G"), "I": (7, 5, 210, 270, "C"),
    "J": (8, 6, 430, 490, "F, I"), "K": (4, 3, 160, 200, "J"), "L": (5, 3, 250, 350, "J"),
    "M": (2, 1, 100, 200, "H"), "N": (6, 3, 330, 510, "K, L"),
}


def crash_project(data: dict, scale: float = 1.0) -> tpmkit.Project:
    ids = list(data)
    return project({"id": ids, "duration": [data[i][0] for i in ids],
                    "crash_duration": [data[i][1] for i in ids],
                    "cost": [data[i][2] * scale for i in ids],
                    "crash_cost": [data[i][3] * scale for i in ids],
                    "predecessors": [data[i][4] for i in ids]})


def test_crash_heizer_render_milwaukee_paper():
    """Heizer & Render, *Operations Management* (Pearson), ch. 3 "Project Management",
    Milwaukee Paper Manufacturing crashing example (normal/crash data table): normal
    duration 15 weeks; to 14 weeks crash A one week ($750); to 13 weeks also G one week,
    total $2,250 (published (recalled); exact integers, so no tolerance beyond LP precision).
    """
    p = crash_project(HEIZER)
    r14 = crash(p, 14)
    assert r14.normal_duration == 15 and r14.duration == 14
    assert r14.added_cost == pytest.approx(750, abs=1e-6)
    assert r14.table["crashed_by"].to_dict() == pytest.approx({**dict.fromkeys(HEIZER, 0.0), "A": 1.0})
    r13 = crash(p, 13)
    assert r13.duration == 13
    assert r13.added_cost == pytest.approx(2250, abs=1e-6)
    crashed = r13.table.loc[r13.table["crashed_by"] > 1e-9, "crashed_by"]
    assert crashed.to_dict() == pytest.approx({"A": 1.0, "G": 1.0})
    assert r13.normal_cost == 308000
    assert r13.direct_cost == pytest.approx(310250)


def test_crash_hillier_lieberman_reliable_construction():
    """Hillier & Lieberman, *Introduction to Operations Research* (McGraw-Hill), ch. "Project
    Management with PERT/CPM", Reliable Construction Co.: normal 44 weeks, normal cost
    $4.55 million; the LP crashing model meets 40 weeks by crashing F and J two weeks each
    for $140,000 (published (recalled); integer data, LP precision only).
    """
    p = crash_project(HILLIER, scale=1000)
    r = crash(p, 40)
    assert r.normal_duration == 44 and r.duration == 40
    assert r.normal_cost == pytest.approx(4_550_000)
    assert r.added_cost == pytest.approx(140_000, abs=1e-4)
    crashed = r.table.loc[r.table["crashed_by"] > 1e-9, "crashed_by"]
    assert crashed.to_dict() == pytest.approx({"F": 2.0, "J": 2.0})
    assert set(r.table.index[r.table["critical"]]) >= {"A", "B", "C", "E", "F", "J", "L", "N"}


def test_time_cost_curve_matches_pointwise_lp():
    """The breakpoint curve equals an LP solved at every whole week (exact interpolation)."""
    p = crash_project(HILLIER, scale=1000)
    curve = time_cost_curve(p)
    t = curve.table
    assert t["duration"].iloc[0] == 44 and t["added_cost"].iloc[0] == 0
    assert t["duration"].iloc[-1] == curve.table["duration"].min() == crash(p, 44).crash_duration
    for weeks in range(int(t["duration"].min()), 45):
        assert curve.cost_at(weeks) == pytest.approx(crash(p, weeks).added_cost, rel=1e-7, abs=1e-4)
    slopes = t["cost_per_day"].to_numpy()[1:]
    assert (np.diff(slopes) > 0).all(), "a convex curve has rising marginal costs"
    assert len(curve.durations) == len(t)


def test_time_cost_curve_indirect_cost_optimum():
    p = crash_project(HEIZER)
    curve = time_cost_curve(p, indirect_cost_per_day=1800)
    t = curve.table
    # marginal costs 750, 1500 are below 1800 per week saved, 2000 is above: optimum 11 weeks
    assert curve.optimal_duration == 11
    assert t.loc[t["duration"] == 11, "total_cost"].iloc[0] == pytest.approx(308000 + 5250 + 11 * 1800)


def test_crash_slope_column_and_pdm_links():
    p = project({"id": ["A", "B", "C"], "duration": [6, 4, 5], "crash_duration": [3, 4, 2],
                 "crash_cost_per_day": [10, 0, 25], "predecessors": ["", "A SS+2", "A FF+1"]})
    # CPM: C finishes at EF_A + 1 = 7; B (not crashable) at 2 + 4 = 6 -> T = 7, at best 6
    r = crash(p, 6)
    assert r.normal_duration == 7 and r.crash_duration == 6
    # only A helps: C's finish is tied to A's by the FF link, so crashing C saves nothing
    assert r.duration == 6 and r.added_cost == pytest.approx(10, abs=1e-6)
    assert r.table.loc["C", "crashed_by"] == 0 and r.table.loc["A", "crashed_by"] == 1


def test_crash_errors():
    p = crash_project(HEIZER)
    with pytest.raises(DataError, match=r"shorter than the shortest possible .* 7"):
        crash(p, 6)
    bad = project({"id": ["A"], "duration": [3], "crash_duration": [4], "crash_cost_per_day": [1]})
    with pytest.raises(ValidationError, match="A"):
        crash(bad, 3)
    cheaper = project({"id": ["A"], "duration": [3], "crash_duration": [2], "cost": [10],
                       "crash_cost": [5]})
    with pytest.raises(ValidationError, match="A"):
        crash(cheaper, 2)
    no_cost = project({"id": ["A", "B"], "duration": [3, 1], "crash_duration": [2, 1],
                       "crash_cost": [50, None]})
    with pytest.raises(ValidationError, match="normal cost"):
        crash(no_cost, 2)
    no_slope = project({"id": ["A", "B"], "duration": [3, 2], "crash_duration": [2, 1],
                        "crash_cost_per_day": [5, None]})
    with pytest.raises(ValidationError, match="B .*crash_cost_per_day"):
        crash(no_slope, 3)
    with pytest.raises(DataError, match="crash_duration"):
        crash(project({"id": ["A"], "duration": [3]}), 2)
    with pytest.raises(DataError, match="crash costs"):
        crash(project({"id": ["A"], "duration": [3], "crash_duration": [2]}), 2)


LINKS = ["FS", "SS", "FF", "SF"]


@st.composite
def crash_networks(draw):
    n = draw(st.integers(2, 4))
    rows = {"id": [f"T{i}" for i in range(n)], "duration": [], "crash_duration": [],
            "crash_cost_per_day": [], "predecessors": []}
    for i in range(n):
        d = draw(st.integers(1, 4))
        rows["duration"].append(d)
        rows["crash_duration"].append(d - draw(st.integers(0, min(2, d))))
        rows["crash_cost_per_day"].append(draw(st.integers(1, 9)))
        preds = []
        for j in range(i):
            if draw(st.booleans()):
                preds.append(f"T{j} {draw(st.sampled_from(LINKS))}+{draw(st.integers(0, 2))}")
        rows["predecessors"].append("; ".join(preds))
    return rows


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crash_networks(), st.floats(0, 1))
@example({"id": ["T0", "T1", "T2"], "duration": [2, 1, 1], "crash_duration": [0, 1, 0],
          "crash_cost_per_day": [2, 1, 3], "predecessors": ["", "", "T0 FS+0"]}, 0.5)
def test_crash_lp_equals_brute_force(rows, where):
    """With integer data the crashing LP has an integral optimum (its matrix is a network
    matrix), so enumerating whole-day durations gives the same minimum cost."""
    p = project(rows)
    net = p.network()
    d = np.array(rows["duration"], float)
    dc = np.array(rows["crash_duration"], float)
    slope = np.array(rows["crash_cost_per_day"], float)
    results = []
    for combo in itertools.product(*[range(int(a), int(b) + 1) for a, b in zip(dc, d)]):
        y = np.array(combo, float)
        results.append((passes(net, y)["project_finish"], float(slope @ (d - y))))
    t_min = min(r[0] for r in results)
    t_max = float(passes(net, d)["project_finish"])
    target = math.floor(t_min + where * (t_max - t_min))
    best = min(c for t, c in results if t <= target + 1e-9)
    r = crash(p, target)
    assert r.crash_duration == pytest.approx(t_min)
    assert r.added_cost == pytest.approx(best, abs=1e-6)
    assert r.duration <= target + 1e-9   # whole-day data give whole-day durations
    assert ((r.table["duration"] >= dc - 1e-9) & (r.table["duration"] <= d + 1e-9)).all()
    curve = time_cost_curve(p)
    assert curve.cost_at(target) == pytest.approx(best, abs=1e-6)


# --------------------------------------------------------------------------- critical chain


def chain_project(**kw):
    return project({"id": ["A", "B", "C"], "duration": [10, 6, 4], "predecessors": ["", "A", "A"]}, **kw)


def test_cut_and_paste_buffers():
    """Goldratt's cut-and-paste: halve durations, project buffer = 50 % of the chain."""
    p = chain_project()
    cc = critical_chain(p, tpmkit.schedule(p))
    assert cc.chain == ["A", "B"]
    assert cc.chain_finish == 8 and cc.project_buffer == 4 and cc.project_finish == 12
    fb = cc.buffers.set_index("name").loc["FB1"]
    assert (fb["after"], fb["before"], fb["size"]) == ("C", "", 1.0)
    # C as late as its buffer allows: finishes 1 day before the chain end
    assert cc.schedule.loc["C", "start"] == 5 and cc.schedule.loc["C", "finish"] == 7
    assert not cc.buffers["conflict"].any()


def test_rsem_buffers():
    """Root-square-error: buffer = sqrt(sum((safe - aggressive)^2)) (Newbold 1998)."""
    p = chain_project()
    cc = critical_chain(p, tpmkit.schedule(p), method="rsem")
    assert cc.project_buffer == pytest.approx(math.sqrt(5**2 + 3**2))
    assert cc.buffers.set_index("name").loc["FB1", "size"] == pytest.approx(2.0)
    with pytest.raises(OptionError, match="monte"):
        critical_chain(p, tpmkit.schedule(p), method="monte")


def test_aggressive_column():
    p = project({"id": ["A", "B"], "duration": [10, 6], "most_likely": [7, 4],
                 "optimistic": [5, 3], "pessimistic": [12, 8], "predecessors": ["", "A"]})
    cc = critical_chain(p, tpmkit.schedule(p), aggressive="most_likely", method="rsem")
    assert cc.chain_finish == 11
    assert cc.project_buffer == pytest.approx(math.sqrt(3**2 + 2**2))
    with pytest.raises(DataError, match="nope"):
        critical_chain(p, tpmkit.schedule(p), aggressive="nope")


def test_resource_dependency_joins_the_chain():
    """Two unlinked tasks on one person: the levelled order makes them one chain."""
    p = project({"id": ["A", "B", "C"], "duration": [4, 6, 2], "predecessors": ["", "", ""],
                 "resources": ["dev:1", "dev:1", "qa:1"]}, [{"id": "dev"}, {"id": "qa"}])
    levelled = sched({"A": 0, "B": 4, "C": 0}, {"A": 4, "B": 10, "C": 2})
    cc = critical_chain(p, levelled)
    assert cc.chain == ["A", "B"]
    assert cc.chain_finish == 5
    assert not loading(p.replace(tasks=p.to_table().assign(
        duration=cc.schedule["aggressive_duration"].to_numpy())), cc.schedule).overallocated


def test_fever_chart_series():
    p = chain_project()
    cc = critical_chain(p, tpmkit.schedule(p))
    snaps = pd.DataFrame({"status": [0, 7, 7, 9, 9], "task": ["A", "A", "B", "A", "B"],
                          "percent_complete": [0, 100, 0, 100, 100 / 3]})
    fever = cc.fever_chart(snaps)
    assert fever["status"].tolist() == [0, 7, 9]
    np.testing.assert_allclose(fever["chain_completion"], [0, 5 / 8, 6 / 8])
    # status 7: B (3 days) starts at 7 -> chain ends 10, 2 of the 4 buffer days used
    # status 9: 2 days of B remain -> ends 11, 3 of 4 used
    np.testing.assert_allclose(fever["buffer_consumption"], [0, 0.5, 0.75])
    assert fever["zone"].tolist() == ["green", "yellow", "red"]
    sloped = cc.fever_chart(snaps, yellow=(0.3, 0.5), red=(0.6, 0.4))
    assert sloped["zone"].tolist() == ["green", "green", "yellow"]
    with pytest.raises(ValidationError, match="Z"):
        cc.fever_chart(pd.DataFrame({"status": [1], "task": ["Z"], "percent_complete": [5]}))


def test_fever_point_from_project_progress():
    p = chain_project(start="2027-01-04", status_date="2027-01-14")  # end of working day 9
    # percent complete without actual dates: the progress model says what it assumes
    with pytest.warns(TpmkitWarning, match="without actual"):
        p = p.replace(tasks=p.to_table().assign(percent_complete=[100, 100 / 3, 0]))
        cc = critical_chain(p, tpmkit.schedule(p))
    point = cc.fever_point()
    assert point["buffer_consumption"].iloc[0] == pytest.approx(0.75)


@st.composite
def resource_projects(draw):
    n = draw(st.integers(2, 8))
    rows = {"id": [f"T{i}" for i in range(n)], "duration": [], "predecessors": [], "resources": []}
    for i in range(n):
        rows["duration"].append(draw(st.integers(1, 6)))
        preds = [f"T{j}" for j in range(i) if draw(st.integers(0, 3)) == 0]
        rows["predecessors"].append(", ".join(preds))
        rows["resources"].append(f"{draw(st.sampled_from(['r1', 'r2']))}:{draw(st.integers(1, 2))}")
    return rows


def serial_sgs(p, caps):
    """A plain serial schedule-generation scheme (FS links only): a feasible levelled schedule."""
    net = p.network()
    d = net.duration
    use = {r: np.zeros(400) for r in caps}
    start = np.zeros(len(d))
    a = p.assignments
    for j in net.order:
        t0 = max([start[i] + d[i] for i in net.pred_idx[net.pred_ptr[j]:net.pred_ptr[j + 1]]], default=0)
        mine = a[a["task"] == net.ids[j]]
        t = int(t0)
        while any((use[r][t:t + int(d[j])] + u > caps[r]).any()
                  for r, u in zip(mine["resource"], mine["units"])):
            t += 1
        for r, u in zip(mine["resource"], mine["units"]):
            use[r][t:t + int(d[j])] += u
        start[j] = t
    return pd.DataFrame({"start": start, "finish": start + d}, index=net.ids)


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resource_projects(), st.sampled_from(["cut_and_paste", "rsem"]))
def test_critical_chain_plan_is_feasible(rows, method):
    """The planned critical-chain schedule keeps every link and every capacity."""
    p = project(rows, [{"id": "r1", "capacity": 2}, {"id": "r2", "capacity": 3}])
    levelled = serial_sgs(p, {"r1": 2, "r2": 3})
    cc = critical_chain(p, levelled, method=method)
    s = cc.schedule
    agg = s["aggressive_duration"]
    for _, link in p.links.iterrows():
        assert s.loc[link["successor"], "start"] >= s.loc[link["predecessor"], "finish"] - 1e-9
    assert (s["start"] >= s["early_start"] - 1e-9).all()
    shortened = p.replace(tasks=p.to_table().assign(duration=agg.to_numpy()))
    assert not loading(shortened, s).overallocated
    # the chain is a tight path ending at the chain finish; buffers are non-negative
    assert s.loc[cc.chain[-1], "finish"] == pytest.approx(cc.chain_finish)
    assert (cc.buffers["size"] >= 0).all()
    assert cc.chain_finish <= cc.safe_duration + 1e-9
    # the plan never starts a chain task later than its earliest aggressive start
    on = s["on_chain"]
    np.testing.assert_allclose(s.loc[on, "start"], s.loc[on, "early_start"])


@settings(max_examples=40, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(1, 5)), min_size=1, max_size=14))
def test_resource_order_arcs_span_the_whole_order(intervals):
    """The reduced "finishes before starts" arcs have the full order as transitive closure."""
    from tpmkit.ccpm import _order_arcs

    s = np.array([a for a, _ in intervals], float)
    f = s + np.array([d for _, d in intervals], float)
    full = f[:, None] <= s[None, :]
    i, j = _order_arcs(s, f)
    assert full[i, j].all(), "every arc must be part of the order"
    reach = np.zeros_like(full)
    reach[i, j] = True
    for _ in range(len(s)):
        reach = reach | ((reach.astype(int) @ reach.astype(int)) > 0)
    np.testing.assert_array_equal(reach, full)


def test_sample_project_critical_chain_on_levelled_schedule():
    """Default schedule = the levelled one: the plan keeps every capacity of the sample."""
    p = tpmkit.datasets.load("software_release")
    cc = critical_chain(p)
    s = cc.schedule
    assert s.loc[cc.chain, "on_chain"].all() and cc.project_buffer > 0
    assert cc.project_finish == pytest.approx(cc.chain_finish + cc.project_buffer)
    shortened = p.replace(tasks=p.to_table().assign(duration=s["aggressive_duration"].to_numpy()))
    assert not loading(shortened, s).overallocated
    assert {"start_date", "finish_date"} <= set(s.columns)


def test_result_reprs():
    p = crash_project(HEIZER)
    for obj in (crash(p, 13), time_cost_curve(p), critical_chain(p, tpmkit.schedule(p))):
        assert "<table" in obj._repr_html_()
    small = project({"id": ["A"], "duration": [2], "resources": ["x:2"]})
    html = loading(small)._repr_html_()
    assert "over-allocation" in html and "<table" in html


def test_crash_percent_lag_and_start_constraint():
    # B starts when half of A is done, so crashing A also pulls B forward
    p = project({"id": ["A", "B"], "duration": [10, 4], "crash_duration": [6, 4],
                 "crash_cost_per_day": [100, 0], "predecessors": ["", "A SS+50%"]})
    r = crash(p, 8)
    assert r.normal_duration == 10 and r.duration == 8
    assert r.added_cost == pytest.approx(200, abs=1e-6)
    assert r.table.loc["B", "early_start"] == pytest.approx(4)
    # an SNET on the last task bounds the compression from below
    q = project({"id": ["A", "B"], "duration": [5, 3], "crash_duration": [1, 2],
                 "crash_cost_per_day": [10, 50], "predecessors": ["", "A"],
                 "constraint": ["", "SNET"], "constraint_date": [None, 4]})
    assert crash(q, 7).crash_duration == pytest.approx(6)
    r = crash(q, 7)
    assert r.added_cost == pytest.approx(10, abs=1e-6) and r.table.loc["A", "crashed_by"] == 1


@st.composite
def wide_networks(draw):
    n = draw(st.integers(5, 25))
    rows = {"id": [f"T{i}" for i in range(n)], "duration": [], "crash_duration": [],
            "crash_cost_per_day": [], "predecessors": []}
    for i in range(n):
        d = draw(st.integers(0, 9))
        rows["duration"].append(d)
        rows["crash_duration"].append(d - draw(st.integers(0, d)))
        rows["crash_cost_per_day"].append(draw(st.integers(1, 50)))
        preds = [f"T{j} {draw(st.sampled_from(LINKS))}{draw(st.sampled_from(['', '+1', '-1', '+30%']))}"
                 for j in range(max(0, i - 4), i) if draw(st.integers(0, 2)) == 0]
        rows["predecessors"].append("; ".join(preds))
    return rows


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wide_networks(), st.floats(0, 1))
def test_pruned_lp_equals_full_lp(rows, where):
    """Solving only the tasks on too-long paths (plus constraint generation) is exact."""
    from tpmkit.compression import _CrashModel

    p = project(rows)
    args = ("crash_duration", "crash_cost", "cost", "crash_cost_per_day")
    pruned, full = _CrashModel(p, *args, prune=True), _CrashModel(p, *args, prune=False)
    assert pruned.crash_T == pytest.approx(full.crash_T, abs=1e-6)
    target = full.crash_T + where * (full.normal_T - full.crash_T)
    cost_p, _, y_p = pruned.solve(target)
    cost_f, _, _ = full.solve(target)
    assert cost_p == pytest.approx(cost_f, rel=1e-7, abs=1e-6)
    assert full.finish(y_p) <= target + 1e-6


def test_fever_chart_with_dates():
    p = chain_project(start="2027-01-04")
    cc = critical_chain(p, tpmkit.schedule(p))
    snaps = pd.DataFrame({"status": ["2027-01-12", "2027-01-12"], "task": ["A", "B"],
                          "percent_complete": [100, 0]})   # end of working day 6 = offset 7
    assert cc.fever_chart(snaps)["buffer_consumption"].iloc[0] == pytest.approx(0.5)
    undated = critical_chain(chain_project(), tpmkit.schedule(chain_project()))
    with pytest.raises(DataError, match="start date"):
        undated.fever_chart(snaps)
    with pytest.raises(DataError, match="status date"):
        undated.fever_point()
