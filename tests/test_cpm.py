"""CPM/PDM: published worked examples, tool-computed files and properties."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tpmkit
from tests.conftest import case_table, load_case
from tpmkit.cpm import critical_paths, heaviest_critical_path, passes, schedule, wbs_summary

COLS = {"ES": "early_start", "EF": "early_finish", "LS": "late_start", "LF": "late_finish",
        "TF": "total_float", "FF": "free_float"}


def check_table(sched: pd.DataFrame, expected: dict) -> None:
    for tid, row in expected.items():
        for key, col in COLS.items():
            if key in row:
                assert sched.table.loc[tid, col] == pytest.approx(row[key], abs=1e-9), (tid, key)


def test_porta_vac_schedule_and_critical_path():
    """Anderson, Sweeney & Williams, Porta-Vac, Table 9.6 (published, exact integers)."""
    case = load_case("asw_portavac_pert")
    project = tpmkit.read(case_table(case["activities"]))
    sched = schedule(project)
    check_table(sched, case["expected"]["activity_schedule"]["value"])
    assert sched.critical_path == case["expected"]["critical_path"]["value"]
    assert sched.duration == case["expected"]["E_T"]["value"]


@pytest.mark.parametrize("name", ["taylor_ch8_problem5_aoa", "taylor_ch8_problem6_aoa"])
def test_taylor_activity_on_arrow_tables(name):
    """Taylor, Introduction to Management Science ch. 8, problems 5 and 6 (published tables)."""
    case = load_case(name)
    sched = schedule(tpmkit.read(case_table(case["activities"])))
    check_table(sched, case["expected"]["activity_table"]["value"])
    assert sched.duration == case["expected"]["project_duration"]["value"]


def test_hendrickson_nine_activities():
    """Hendrickson, Project Management for Construction, Table 10-2: event times 0,4,12,21,24,30."""
    case = load_case("hendrickson_nine_activity_cpm")
    sched = schedule(tpmkit.read(case_table(case["activities"])))
    check_table(sched, case["expected"]["schedule_table"]["value"])
    assert sched.duration == 30
    assert sched.critical_path == ["A", "C", "F", "I"]
    # published earliest event times = earliest starts of the activities leaving each event
    events = case["expected"]["earliest_event_times"]["value"]
    assert [sched.table.loc[t, "early_start"] for t in ("A", "C", "E", "G", "I")] == \
        [events[0], events[1], events[2], events[3], events[4]]


def test_pdm_module_network_fs_and_ss_variants():
    """Network Construction module: CPM variant 41 (published), SS variant 38 (computed)."""
    case = load_case("pdm_module_network_construction")
    for variant, duration in (("variant_cpm", 41), ("variant_pdm", 38)):
        v = case[variant]
        sched = schedule(tpmkit.read(case_table(v["activities"])))
        assert sched.duration == duration
        check_table(sched, v["expected"]["schedule_table"]["value"])
    cpm = case["variant_cpm"]
    sched = schedule(tpmkit.read(case_table(cpm["activities"])))
    assert sched.critical_path == cpm["expected"]["critical_path"]["value"]


def test_ms_project_relations_chain_dates_and_slack():
    """MS Project's stored output for FS, SS+1d, FF, SF over a weekend (mspdirelations.xml)."""
    case = load_case("msproject_mspdirelations")
    project = tpmkit.read(case_table(case["activities"]), start="2006-09-21")
    sched = schedule(project)
    for tid, row in case["expected"]["msproject"]["value"].items():
        s = sched.table.loc[tid]
        assert (s.early_start, s.early_finish, s.late_start, s.late_finish) == \
            (row["ES"], row["EF"], row["LS"], row["LF"])
        assert s.total_float == row["TS_days"]
        assert s.free_float == row["FS_days"]
        assert bool(s.critical) == row["critical"]
        raw = row["raw"]
        assert s.early_start_date == pd.Timestamp(raw["es"][:10])
        # MS Project may store a finish as 08:00 of the next working day (task 5, after the
        # SF link): the same working-time instant as the end of the previous working day.
        ef = pd.Timestamp(raw["ef"])
        kind = "start" if ef.hour == 8 else "finish"
        offset = project.calendar.offset_of([ef.normalize()], project.start, kind=kind)[0]
        assert offset == s.early_finish


def test_ganttproject_dependency_dates_with_holiday():
    """GanttProject-computed start dates for SS/FS/FF-1/SF links with a holiday (blyoa files).

    GanttProject places E (SF to D) before the project's first task; PDM's forward pass never
    starts a task before the project start, so the unconstrained chain is checked from A on
    and E is compared through the SF rule itself.
    """
    case = load_case("ganttproject_dependencies_and_calendar")
    acts = case["activities"]
    rows = []
    preds: dict[str, list[str]] = {a["id"]: [] for a in acts}
    for a in acts:
        for s in a["successors"]:
            lag = f"{s['lag']:+g}" if s["lag"] else ""
            preds[s["id"]].append(f"{a['id']} {s['type']}{lag}")
    for a in acts:
        rows.append({"id": a["id"], "duration": a["duration_days"],
                     "predecessors": "; ".join(preds[a["id"]])})
    project = tpmkit.read(pd.DataFrame(rows), start="2024-01-04",
                          holidays=case["calendar"]["holidays"])
    sched = schedule(project)
    expected = case["expected"]["dates_inclusive"]["value"]
    for tid in ("0", "1", "2", "3"):
        assert sched.table.loc[tid, "early_start_date"] == pd.Timestamp(expected[tid][0]), tid
        assert sched.table.loc[tid, "early_finish_date"] == pd.Timestamp(expected[tid][1]), tid
    # E: SF0 from D means E's finish = D's start; bounded by the project start here
    assert sched.table.loc["4", "early_finish"] >= sched.table.loc["3", "early_start"]


def test_constraints_and_deadline_negative_float():
    t = pd.DataFrame({"id": ["A", "B", "C", "D"], "duration": [5, 3, 4, 2],
                      "predecessors": ["", "A", "A", "B;C"],
                      "constraint": ["", "SNET", "", "FNLT"],
                      "constraint_date": [None, 7, None, 10]})
    s = schedule(tpmkit.read(t))
    assert s.table.loc["B", "early_start"] == 7          # SNET pushes B
    assert s.table.loc["D", "early_finish"] == 12
    assert s.table.loc["D", "late_finish"] == 10         # FNLT pulls the late finish
    assert s.table.loc["D", "total_float"] == -2
    assert pd.isna(s.table.loc["B", "driving_predecessor"])
    assert s.table.loc["B", "driven_by"] == "constraint"
    assert (s.table.loc["C", "driving_predecessor"], s.table.loc["C", "driven_by"]) == ("A", "link")
    s2 = schedule(tpmkit.read(t.drop(columns=["constraint", "constraint_date"])), deadline=9)
    assert s2.table["total_float"].min() == -2
    assert s2.table.loc["B", "total_float"] == -1
    # float ≤ 0 is critical (MS Project's rule): B's negative float makes it critical too
    assert s2.critical_path == ["A", "B", "C", "D"]


def test_mso_mfo_pin_dates():
    t = pd.DataFrame({"id": ["A", "B"], "duration": [5, 3], "predecessors": ["", "A"],
                      "constraint": ["", "MSO"], "constraint_date": [None, 8]})
    s = schedule(tpmkit.read(t))
    assert (s.table.loc["B", "early_start"], s.table.loc["B", "late_start"]) == (8, 8)
    t.loc[1, "constraint"] = "MFO"
    t.loc[1, "constraint_date"] = 12
    s = schedule(tpmkit.read(t))
    assert (s.table.loc["B", "early_finish"], s.table.loc["B", "late_finish"]) == (12, 12)


def test_constraint_dates_convert_with_calendar():
    t = pd.DataFrame({"id": ["A", "B"], "duration": [2, 1], "predecessors": ["", "A"],
                      "constraint": ["", "SNET"], "constraint_date": [None, "2027-01-11"]})
    s = schedule(tpmkit.read(t, start="2027-01-04"))
    assert s.table.loc["B", "early_start_date"] == pd.Timestamp("2027-01-11")
    assert s.table.loc["B", "early_start"] == 5


def test_percent_and_week_lags():
    t = pd.DataFrame({"id": ["A", "B", "C"], "duration": [10, 4, 1],
                      "predecessors": ["", "A SS+50%", "B FS+1w"]})
    s = schedule(tpmkit.read(t))
    assert s.table.loc["B", "early_start"] == 5
    assert s.table.loc["C", "early_start"] == 14


def test_milestone_dates_follow_ms_project():
    t = pd.DataFrame({"id": ["A", "M", "B"], "duration": [5, 0, 1], "predecessors": ["", "A", "M"]})
    s = schedule(tpmkit.read(t, start="2027-01-04"))   # Monday
    assert s.table.loc["A", "early_finish_date"] == pd.Timestamp("2027-01-08")
    assert s.table.loc["M", "early_start_date"] == pd.Timestamp("2027-01-08")   # end of Friday
    assert s.table.loc["B", "early_start_date"] == pd.Timestamp("2027-01-11")


def test_multiple_critical_paths_and_driving_path():
    t = pd.DataFrame({"id": list("ABCDE"), "duration": [2, 3, 3, 1, 1],
                      "predecessors": ["", "A", "A", "B;C", "A"]})
    p = tpmkit.read(t)
    s = schedule(p)
    assert critical_paths(p, s) == [["A", "B", "D"], ["A", "C", "D"]]
    assert s.driving_path == ["A", "B", "D"]
    assert s.table.loc["E", "free_float"] == 3 == s.table.loc["E", "total_float"]


def test_wbs_summary_rolls_up():
    p = tpmkit.datasets.load("software_release")
    s = schedule(p)
    w = wbs_summary(p, s)
    assert w.loc["4", "early_start"] == s.table.loc[p.tasks["wbs"].str.startswith("4."), "early_start"].min()
    assert w.loc["4.2", "tasks"] == 5
    cost = (p.tasks["cost"].fillna(0) + p.tasks["rate"].fillna(0) * p.tasks["duration"])
    assert w.loc["4", "cost"] == pytest.approx(cost[p.tasks["wbs"].str.startswith("4.")].sum())


def test_what_if_durations():
    p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3], "predecessors": ["", "A"]}))
    assert schedule(p, durations={"A": 5}).duration == 8
    with pytest.raises(tpmkit.ValidationError, match="Z"):
        schedule(p, durations={"Z": 5})


# ---------------------------------------------------------------------------------------
# properties on random networks (FS links): compare with networkx longest path
# ---------------------------------------------------------------------------------------
@st.composite
def networks(draw, link_types=("FS",)):
    n = draw(st.integers(1, 25))
    dur = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))
    rows = []
    for j in range(n):
        k = draw(st.integers(0, min(j, 3)))
        preds = draw(st.lists(st.integers(0, j - 1), min_size=k, max_size=k, unique=True)) if j else []
        links = []
        for i in preds:
            lt = draw(st.sampled_from(link_types))
            lag = draw(st.integers(-3, 5)) if len(link_types) > 1 else 0
            links.append(f"T{i} {lt}{lag:+d}" if lag else f"T{i} {lt}")
        rows.append({"id": f"T{j}", "duration": dur[j], "predecessors": "; ".join(links)})
    return pd.DataFrame(rows)


def longest_path(table: pd.DataFrame) -> float:
    g = nx.DiGraph()
    for _, r in table.iterrows():
        g.add_edge("start", r.id, weight=0)
        g.add_edge(r.id, r.id + "_end", weight=r.duration)
        for p in filter(None, r.predecessors.split("; ")):
            g.add_edge(p.split()[0] + "_end", r.id, weight=0)
    return nx.dag_longest_path_length(g, weight="weight")


@settings(max_examples=60, deadline=None)
@given(networks())
def test_properties_fs(table):
    s = schedule(tpmkit.read(table))
    assert s.duration == pytest.approx(longest_path(table))
    assert (s.table["total_float"] >= -1e-9).all()
    assert (s.table["free_float"] >= -1e-9).all()
    assert (s.table["free_float"] <= s.table["total_float"] + 1e-9).all()
    assert (s.table.loc[s.table["critical"], "total_float"].abs() < 1e-9).all()
    assert np.allclose(s.table["early_finish"] - s.table["early_start"], s.table["duration"])
    # scaling durations scales the finish
    scaled = table.assign(duration=table["duration"] * 3)
    assert schedule(tpmkit.read(scaled)).duration == \
        pytest.approx(3 * s.duration)


@settings(max_examples=60, deadline=None)
@given(networks(link_types=("FS", "SS", "FF", "SF")), st.data())
def test_properties_pdm_links(table, data):
    p = tpmkit.read(table)
    s = schedule(p)
    assert (s.table["early_start"] >= -1e-9).all()
    assert (s.table["total_float"] >= -1e-9).all()
    assert (s.table["late_finish"] <= s.duration + 1e-9).all()
    # every link is satisfied by the early schedule
    r = passes(p.network())
    assert (r["link_slack"] >= -1e-9)[r["early_start"][p.network().link_to] > 1e-9].all()
    # adding a link never shortens the project
    n = len(table)
    if n >= 2:
        j = data.draw(st.integers(1, n - 1))
        i = data.draw(st.integers(0, j - 1))
        extra = table.copy()
        cur = extra.loc[j, "predecessors"]
        existing = {x.split()[0] for x in filter(None, cur.split("; "))}
        if f"T{i}" not in existing:
            extra.loc[j, "predecessors"] = "; ".join(filter(None, [cur, f"T{i} FS"]))
            longer = schedule(tpmkit.read(extra)).duration
            assert longer >= s.duration - 1e-9


def test_schedule_result_carries_the_project_figures():
    """The result object holds what used to ride in DataFrame.attrs; the table is plain."""
    p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "duration": [3, 2, 4],
                                  "predecessors": ["", "A", "A"]}), start="2027-01-04")
    r = schedule(p, deadline=9)
    assert (r.duration, r.deadline, r.critical_path, r.driving_path) == (7, 9, ["A", "C"], ["A", "C"])
    assert r.finish_date == r.table["early_finish_date"].max() and r.start == p.start
    assert not r.table.attrs
    assert "A → C" in r._repr_html_() and "<table" in r._repr_html_()
    with pytest.raises(AttributeError):
        r.duration = 1.0
    # the later deadline gives A and C float 2; critical_paths reads it from the result
    assert r.table.loc["A", "total_float"] == 2
    assert critical_paths(p, r) == [["A", "C"]]


# ---------------------------------------------------------------------------------------
# critical paths: against a plain enumeration of every path on random networks
# ---------------------------------------------------------------------------------------
def reference_paths(p, s) -> list[list[str]]:
    """Every maximal path of critical tasks joined by zero-slack links, by recursion over
    the link table and the schedule table alone, sorted by the tasks' topological places."""
    t = s.table
    crit = set(t.index[t["critical"]])
    place = {tid: k for k, tid in enumerate(s.critical_path)}  # critical tasks, topological
    succ: dict[str, set[str]] = {tid: set() for tid in crit}
    has_pred: set[str] = set()
    for row in p.links.itertuples():
        a, b = row.predecessor, row.successor
        if a not in crit or b not in crit:
            continue
        start = {"FS": "early_finish", "FF": "early_finish"}.get(row.type, "early_start")
        end = "early_start" if row.type in ("FS", "SS") else "early_finish"
        lag = row.lag + row.lag_percent * t.loc[a, "duration"]
        if abs(t.loc[b, end] - t.loc[a, start] - lag) <= 1e-7:
            succ[a].add(b)
            has_pred.add(b)

    def walk(path):
        nxt = succ[path[-1]]
        if not nxt:
            return [path]
        return [q for k in nxt for q in walk([*path, k])]

    paths = [q for r in crit - has_pred for q in walk([r])]
    return sorted(paths, key=lambda q: [place[k] for k in q])


@settings(max_examples=80, deadline=None)
@given(networks(link_types=("FS", "SS", "FF", "SF")), st.data())
def test_critical_paths_match_a_plain_enumeration(table, data):
    p = tpmkit.read(table)
    s = schedule(p)
    ref = reference_paths(p, s)
    for limit in (1, 3, 100):
        assert critical_paths(p, s, limit=limit) == ref[:limit]
    # the heaviest path: integer weights, so every sum is exact and a tie is a tie
    w = np.array(data.draw(st.lists(st.integers(0, 4), min_size=len(table),
                                    max_size=len(table))), dtype=float)
    wid = dict(zip(table["id"], w, strict=True))
    sums = [sum(wid[k] for k in q) for q in ref]
    expected = ref[sums.index(max(sums))] if ref else []
    assert heaviest_critical_path(p, w, s) == expected
    assert heaviest_critical_path(p, pd.Series(w, index=table["id"])[::-1], s) == expected


def test_critical_paths_of_a_ladder_stop_at_the_limit_and_the_heaviest_sees_all():
    """Twelve diamonds in a row: 4,096 critical paths. The enumeration stops at the limit;
    the heaviest path is found among all of them (the heavy branch is the last one)."""
    rows, prev = [], ""
    for k in range(12):
        rows += [{"id": f"U{k}", "duration": 1, "predecessors": prev},
                 {"id": f"L{k}", "duration": 1, "predecessors": prev}]
        prev = f"U{k}; L{k}"
    rows.append({"id": "END", "duration": 0, "predecessors": prev})
    p = tpmkit.read(pd.DataFrame(rows))
    paths = critical_paths(p, limit=100)
    assert len(paths) == 100 and len({tuple(q) for q in paths}) == 100
    assert paths[0] == [f"U{k}" for k in range(12)] + ["END"]
    w = pd.Series(1.0, index=p.tasks.index)
    w[[f"L{k}" for k in range(12)]] = 2.0
    assert heaviest_critical_path(p, w) == [f"L{k}" for k in range(12)] + ["END"]


def test_two_links_between_one_pair_are_one_step_of_a_path():
    p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [3, 3],
                                  "predecessors": ["", "A SS; A FF"]}))
    assert critical_paths(p) == [["A", "B"]]


def test_paths_of_a_long_chain():
    """A 30,000-task chain is one critical path (the search never copies the path per step)."""
    n = 30_000
    ids = [f"T{j}" for j in range(n)]
    p = tpmkit.read(pd.DataFrame({"id": ids, "duration": 1.0, "predecessors": ["", *ids[:-1]]}))
    s = schedule(p)
    assert critical_paths(p, s) == [ids]
    assert s.driving_path == ids
    assert heaviest_critical_path(p, np.ones(n), s) == ids
    with pytest.raises(tpmkit.ValidationError, match="one finite number per task"):
        heaviest_critical_path(p, np.ones(3), s)
