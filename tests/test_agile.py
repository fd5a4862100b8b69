"""Tests of tpmkit.agile (work-item model, flow and Scrum metrics, forecasts) and its reader.

Reference board (computed by hand; calendar days, inclusive counting as in Vacanti,
*Actionable Agile Metrics for Predictability*, 2015, ch. 2–3), status date 2021-01-11:

====  =====  ==========  ==========  ==========  ===========  ==========
item  type   created     started     done        cycle time   lead time
====  =====  ==========  ==========  ==========  ===========  ==========
A     story  2021-01-04  2021-01-04  2021-01-06  3            3
B     story  2021-01-04  2021-01-05  2021-01-05  1            2
C     bug    2021-01-05  2021-01-06  2021-01-11  6            7
D     bug    2021-01-05  2021-01-07  2021-01-08  2            4
E     story  2021-01-06  2021-01-08  —           (age 4)
F     task   2021-01-07  —           —
====  =====  ==========  ==========  ==========  ===========  ==========

* Cycle times sorted 1, 2, 3, 6; nearest rank (smallest value with at least p % of items at or
  below it): P50 = 2nd = 2, P70 = 3rd (ceil 2.8) = 3, P85 = P95 = 4th = 6; mean 3. Stories
  (1, 3): P50 = 1, P70 = 3. Bugs (2, 6): P50 = 2, P70 = 6.
* WIP (started ≤ day ≤ done, open items to the status date), 01-04 … 01-11:
  1, 2, 2, 2, 3, 2, 2, 2 (sum 16 = 3 + 1 + 6 + 2 cycle days + 4 days of E).
* CFD, one day-counting rule with WIP (in progress from the start day to the done day
  inclusive, done from the next day): created ≤ d: 2, 4, 5, 6, 6, 6, 6, 6; started ≤ d: 1, 2,
  3, 4, 5, 5, 5, 5; done < d: 0, 0, 1, 2, 2, 3, 3, 3 → to do 1, 2, 2, 2, 1, 1, 1, 1; in
  progress 1, 2, 2, 2, 3, 2, 2, 2 (= the WIP).
* Aging: E is 4 days old (01-08 … 01-11): above P50 = 2 and P70 = 3, not P85 = 6 →
  exceeds 70; 3 of 4 cycle times ≤ 4 → rank 0.75.
* Weekly throughput (weeks from Monday 01-04): B, A, D then C → 3, 1.
* Little's law over 01-04 … 01-11 (8 days): L = 16/8 = 2, λ = 4/8, W = 3, λW = 1.5;
  edge bound (1 + 2) × 6 / 8 = 2.25.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit import agile
from tpmkit.errors import DataError, ValidationError

D = pd.Timestamp


def _ref() -> agile.Board:
    rows = [("A", "story", "2021-01-04", "2021-01-04", "2021-01-06"),
            ("B", "story", "2021-01-04", "2021-01-05", "2021-01-05"),
            ("C", "bug", "2021-01-05", "2021-01-06", "2021-01-11"),
            ("D", "bug", "2021-01-05", "2021-01-07", "2021-01-08"),
            ("E", "story", "2021-01-06", "2021-01-08", None),
            ("F", "task", "2021-01-07", None, None)]
    df = pd.DataFrame(rows, columns=["id", "type", "created", "started", "done"])
    return agile.items(df, now="2021-01-11")


# ----------------------------------------------------------------------------- reference values
def test_cycle_and_lead_time_by_hand():
    b = _ref()
    ct = agile.cycle_times(b)
    assert ct["cycle_time"].to_dict() == {"A": 3.0, "B": 1.0, "C": 6.0, "D": 2.0}
    assert ct["lead_time"].to_dict() == {"A": 3.0, "B": 2.0, "C": 7.0, "D": 4.0}
    p = agile.cycle_time_percentiles(b)
    assert list(p.index) == ["all", "story", "bug"]
    assert p.loc["all", ["count", "mean", "p50", "p70", "p85", "p95"]].tolist() == [4, 3, 2, 3, 6, 6]
    assert p.loc["story", ["p50", "p70"]].tolist() == [1, 3]
    assert p.loc["bug", ["p50", "p70"]].tolist() == [2, 6]
    lead = agile.cycle_time_percentiles(b, kind="lead", percentiles=[50])
    assert lead.loc["all", "p50"] == 3  # 2, 3, 4, 7 → 2nd


def test_wip_cfd_aging_throughput_by_hand():
    b = _ref()
    w = agile.wip(b)
    assert w.index[0] == D("2021-01-04") and w.index[-1] == D("2021-01-11")
    assert w.tolist() == [1, 2, 2, 2, 3, 2, 2, 2]
    cfd = agile.cumulative_flow(b)
    assert cfd["to_do"].tolist() == [1, 2, 2, 2, 1, 1, 1, 1]
    assert cfd["in_progress"].tolist() == [1, 2, 2, 2, 3, 2, 2, 2]
    assert cfd["done"].tolist() == [0, 0, 1, 2, 2, 3, 3, 3]
    aging = agile.aging_wip(b)
    assert list(aging.index) == ["E"]
    assert aging.loc["E", ["age", "percentile_rank", "exceeds"]].tolist() == [4, 0.75, 70]
    tp = agile.throughput(b)
    assert tp.tolist() == [3, 1] and list(tp.index) == [D("2021-01-04"), D("2021-01-11")]
    assert agile.throughput(b, freq="day").sum() == 4
    arr = agile.arrivals(b)
    assert arr["arrivals"].tolist() == [6, 0] and arr["net"].tolist() == [3, -1]


def test_littles_law_by_hand():
    law = agile.littles_law(_ref())
    assert (law.average_wip, law.throughput, law.average_cycle_time) == (2.0, 0.5, 3.0)
    assert law.predicted_wip == 1.5 and law.bound == 2.25 and law.holds


def _sprint_board() -> agile.Board:
    """Velocity by hand: S1 01-04…01-08, S2 01-11…01-15, status date 01-13.

    P1 (3 pts, created before S1, done in S1), P2 (2 pts, created 01-05 during S1, done in S1),
    P3 (5 pts, in S1 and S2, done 01-12), P4 (1 pt, created before S2, open).
    S1: committed 3 + 5 = 8, added 2, completed 3 + 2 = 5, carried over 5, ratio 5/10.
    S2: committed 5 + 1 = 6, added 0, completed 5, carried over 1, ratio 5/6.
    Burn-down of S1: scope 8, 10, 10, 10, 10; completed 0, 0, 3, 5, 5; ideal 8, 6, 4, 2, 0.
    """
    df = pd.DataFrame({
        "id": ["P1", "P2", "P3", "P4"], "points": [3, 2, 5, 1],
        "created": ["2021-01-01", "2021-01-05", "2021-01-01", "2021-01-02"],
        "started": ["2021-01-04", "2021-01-05", "2021-01-04", "2021-01-11"],
        "done": ["2021-01-06", "2021-01-07", "2021-01-12", None],
        "sprint": ["S1", "S1", "S1; S2", "S2"]})
    sprints = pd.DataFrame({"sprint": ["S1", "S2"], "start": ["2021-01-04", "2021-01-11"],
                            "end": ["2021-01-08", "2021-01-15"]})
    return agile.items(df, sprints=sprints, now="2021-01-13")


def test_velocity_and_burndown_by_hand():
    b = _sprint_board()
    v = agile.velocity(b)
    assert v[["committed", "added", "completed", "carried_over"]].to_dict("list") == {
        "committed": [8.0, 6.0], "added": [2.0, 0.0], "completed": [5.0, 5.0],
        "carried_over": [5.0, 1.0]}
    assert v["completion_ratio"].tolist() == [0.5, 5 / 6]
    assert agile.velocity(b, unit="items")["completed"].tolist() == [2.0, 1.0]
    bd = agile.burndown(b, "S1")
    assert bd["scope"].tolist() == [8, 10, 10, 10, 10]
    assert bd["completed"].tolist() == [0, 0, 3, 5, 5]
    assert bd["remaining"].tolist() == [8, 10, 7, 5, 5]
    assert bd["ideal"].tolist() == [8, 6, 4, 2, 0]
    up = agile.burnup(b)
    assert up["scope"].iloc[-1] == 11 and up["done"].iloc[-1] == 10
    assert (up["done"] <= up["scope"]).all()
    with pytest.raises(ValidationError, match="unknown sprint 'S9'.*S1, S2"):
        agile.burndown(b, "S9")


def test_status_history_blocked_time_and_flow_efficiency():
    """X: To Do 01-04 08:00, In Progress 01-04 09:00, Blocked 01-05 09:00, In Progress 01-07 09:00,
    Done 01-08 12:00 → started 01-04, done 01-08, cycle time 5 days, blocked 2.0 days,
    efficiency 3/5."""
    hist = pd.DataFrame({"item": ["X"] * 5 + ["Y", "Y"],
                         "status": ["To Do", "In Progress", "Blocked", "In Progress", "Done",
                                    "To Do", "In Progress"],
                         "entered_at": ["2021-01-04 08:00", "2021-01-04 09:00", "2021-01-05 09:00",
                                        "2021-01-07 09:00", "2021-01-08 12:00",
                                        "2021-01-04 08:00", "2021-01-06 10:00"]})
    b = agile.items({"items": pd.DataFrame({"id": ["X", "Y"], "created": ["2021-01-04"] * 2}),
                     "history": hist}, now="2021-01-08")
    assert b.table.loc["X", ["started", "done"]].tolist() == [D("2021-01-04 09:00"),
                                                              D("2021-01-08 12:00")]
    assert b.table.loc["Y", "category"] == "In progress" and pd.isna(b.table.loc["Y", "done"])
    assert len(b.blocked) == 1
    fe = agile.flow_efficiency(b)
    assert fe.table.loc["X", ["cycle_time", "blocked_days", "efficiency"]].tolist() == [5, 2, 0.6]
    assert fe.efficiency == 0.6
    with pytest.raises(DataError, match="blocked periods or a status history"):
        agile.flow_efficiency(_ref())


# ----------------------------------------------------------------------------- errors
def test_errors_name_the_items():
    base = {"id": ["A-1", "A-2"], "created": ["2021-01-04", "2021-01-04"]}
    with pytest.raises(ValidationError, match=r"duplicate id\(s\) A-1;"):
        agile.items(pd.DataFrame({"id": ["A-1", "A-1"], "created": ["2021-01-04"] * 2}))
    with pytest.raises(ValidationError, match=r"unknown status 'QA Review' for item\(s\) A-2; "
                                              r"map it with status_map="):
        agile.items(pd.DataFrame({**base, "status": ["To Do", "QA Review"]}))
    b = agile.items(pd.DataFrame({**base, "status": ["To Do", "QA Review"]}),
                    status_map={"QA Review": "in progress"})
    assert b.table["category"].tolist() == ["To do", "In progress"]
    with pytest.raises(ValidationError, match=r"done before started for item\(s\) A-2;"):
        agile.items(pd.DataFrame({**base, "started": ["2021-01-05", "2021-01-08"],
                                  "done": ["2021-01-06", "2021-01-07"]}))
    with pytest.raises(ValidationError, match=r"dates after the status date \(2021-01-10\) for "
                                              r"item\(s\) A-1;"):
        agile.items(pd.DataFrame({**base, "done": ["2021-01-12", None]}), now="2021-01-10")
    with pytest.raises(ValidationError, match=r"status Done but no done/resolved date for item\(s\) A-1"):
        agile.items(pd.DataFrame({**base, "status": ["Done", "To Do"]}))
    with pytest.raises(ValidationError, match=r"created is not a date for item\(s\) A-2"):
        agile.items(pd.DataFrame({"id": ["A-1", "A-2"], "created": ["2021-01-04", "soon"]}))
    with pytest.raises(ValidationError, match="maps to 'Doing', not a category"):
        agile.items(pd.DataFrame(base), status_map={"QA": "Doing"})
    with pytest.raises(ValidationError, match=r"status history: item\(s\) Z are not in the items"):
        agile.items(pd.DataFrame(base), history=pd.DataFrame(
            {"item": ["Z"], "status": ["To Do"], "entered_at": ["2021-01-04"]}))


def test_board_is_frozen_and_reads_jira_columns():
    b = agile.items([{"Issue key": "K-1", "Issue Type": "Bug", "Created": "2021-01-04",
                      "Resolved": "2021-01-05", "Status": "Closed", "Story Points": "3"}])
    assert b.table.loc["K-1", ["type", "points", "category"]].tolist() == ["Bug", 3.0, "Done"]
    t = b.table
    t["points"] = 5.0
    t.loc["K-1", "type"] = "Story"
    assert b.table.loc["K-1", ["type", "points"]].tolist() == ["Bug", 3.0]
    with pytest.raises(AttributeError):
        b.now = D("2021-01-01")  # type: ignore[misc]


# ----------------------------------------------------------------------------- forecasts
def test_forecast_on_constant_throughput_is_exact():
    """One item done every day for ten days: N items take exactly N days, D days give D items."""
    b = agile.items([{"id": f"I{k}", "created": "2021-01-04", "done": f"2021-01-{4 + k:02d}"}
                     for k in range(10)])
    f = agile.when(b, 7, rng=3)
    assert (f.table["periods"] == 7).all() and (f.table["date"] == D("2021-01-20")).all()
    assert f.seed == 3 and f.samples.shape == (10_000,)
    assert (agile.how_many(b, "2021-01-23", rng=3).table["items"] == 10).all()


def _growing_board() -> agile.Board:
    """Ten days 01-04 … 01-13; every day two old items are done and one new item arrives."""
    old = [{"id": f"O{k}", "created": "2021-01-01", "started": f"2021-01-{4 + k // 2:02d}",
            "done": f"2021-01-{4 + k // 2:02d}"} for k in range(20)]
    new = [{"id": f"N{d}", "created": f"2021-01-{4 + d:02d}"} for d in range(10)]
    return agile.items(old + new, now="2021-01-13")


def test_scope_growth_on_constant_history_is_exact():
    """Throughput 2/day, arrivals 1/day: 6 items need ⌈6/2⌉ = 3 days on a fixed backlog,
    6 / (2 − 1) = 6 days when every arrival joins it, ⌈6 / (2 − 0.5)⌉ = 4 days at share 0.5."""
    b = _growing_board()
    assert (agile.when(b, 6, rng=1).table["periods"] == 3).all()
    assert (agile.when(b, 6, rng=1, scope_growth=1.0).table["periods"] == 6).all()
    assert (agile.when(b, 6, rng=1, scope_growth=0.5).table["periods"] == 4).all()
    assert (agile.when(b, 6, rng=1, scope_growth=0.0).table["periods"] == 3).all()


def test_scope_growth_errors():
    b = _growing_board()
    with pytest.raises(ValidationError, match=r"scope_growth must be a share in \[0, 1\].*1\.5"):
        agile.when(b, 6, scope_growth=1.5)
    more = agile.items([*b.table.reset_index().to_dict("records"),
                        *[{"id": f"X{d}", "created": f"2021-01-{4 + d:02d}"} for d in range(10)],
                        *[{"id": f"Y{d}", "created": f"2021-01-{4 + d:02d}"} for d in range(10)]],
                       now="2021-01-13")
    with pytest.raises(DataError, match="never done.*scope growth"):
        agile.when(more, 6, scope_growth=1.0)  # 3 arrive, 2 leave per day


def test_release_forecast_with_scope_growth():
    """Sprints add scope: P3 keeps 5 points per sprint of velocity, 2 points added in S1."""
    b = _sprint_board()
    v = agile.velocity(b)
    fixed = agile.release_forecast(b, 10, rng=2)  # one finished sprint (S1): velocity 5
    grown = agile.release_forecast(b, 10, rng=2, scope_growth=1.0)  # net 5 − 2 = 3
    assert v.loc["S1", ["completed", "added"]].tolist() == [5, 2]
    assert (fixed.table["sprints"] == 2).all() and (grown.table["sprints"] == 4).all()


def test_estimate_throughput_forecast_is_the_agile_forecast():
    """One implementation: the same history and seed give the same trials in both APIs."""
    b = tpmkit.datasets.load("agile_board")
    f = agile.when(b, 80, rng=9, trials=2000)
    h = agile.how_many(b, "2026-08-31", rng=9, trials=2000)
    from tpmkit import estimate

    e1 = estimate.throughput_forecast(f.history.to_numpy(), remaining=80, rng=9, trials=2000,
                                      confidence=(50, 70, 85, 95))
    np.testing.assert_array_equal(e1.periods_samples, f.samples)
    np.testing.assert_array_equal(e1.table["periods_needed"].to_numpy(), f.table["periods"])
    horizon = (pd.Timestamp("2026-08-31") - b.now).days
    e2 = estimate.throughput_forecast(h.history.to_numpy(), periods=horizon, rng=9, trials=2000,
                                      confidence=(50, 70, 85, 95))
    np.testing.assert_array_equal(e2.items_samples, h.samples)
    np.testing.assert_array_equal(e2.table["items"].to_numpy(), h.table["items"])


def test_same_seed_same_forecast_and_percentiles_ordered():
    b = tpmkit.datasets.load("agile_board")
    f1, f2 = agile.when(b, 60, rng=42), agile.when(b, 60, rng=42)
    np.testing.assert_array_equal(f1.samples, f2.samples)
    assert f1.table["periods"].is_monotonic_increasing
    h = agile.how_many(b, "2026-08-31", rng=np.random.default_rng(1))
    assert agile.how_many(b, "2026-08-31", rng=h.seed).table.equals(h.table)
    assert h.table["items"].is_monotonic_decreasing
    r = agile.release_forecast(b, 200, rng=5)
    assert r.table["sprints"].is_monotonic_increasing and r.table["sprints"].iloc[0] >= 1


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(1, 60), min_size=2, max_size=6, unique=True), st.integers(0, 2**31))
def test_forecast_percentiles_monotone_in_n(sizes, seed):
    b = _steady_board(days=60, seed=seed % 1000)
    f = agile.when(b, sorted(sizes), trials=500, rng=seed)
    per = f.table["periods"].unstack("confidence")
    assert (per.diff().dropna() >= 0).all().all()  # more items never come sooner
    assert (f.samples[:, 1:] >= f.samples[:, :-1]).all()


def test_forecast_matches_estimate_sampling():
    """agile.how_many and estimate.throughput_forecast draw through one routine: same history,
    horizon and seed → the same samples."""
    b = tpmkit.datasets.load("agile_board")
    hist = agile.history(b)
    f = agile.how_many(b, b.now + pd.Timedelta(days=30), rng=9, trials=2000)
    e = tpmkit.estimate.throughput_forecast(hist.to_numpy(), periods=30, rng=9, trials=2000)
    np.testing.assert_array_equal(f.samples, e.items_samples)
    w = agile.when(b, 80, rng=9, trials=2000)
    e = tpmkit.estimate.throughput_forecast(hist.to_numpy(), remaining=80, rng=9, trials=2000)
    np.testing.assert_array_equal(w.samples, e.periods_samples)


def test_forecast_errors():
    b = agile.items([{"id": "A", "created": "2021-01-04"}])
    with pytest.raises(DataError, match="no item is done yet"):
        agile.when(b, 5)
    with pytest.raises(ValidationError, match="trials must be"):
        agile.when(_ref(), 5, trials=0)
    with pytest.raises(ValidationError, match="n_items must be"):
        agile.when(_ref(), -1)


def _jira(tmp_path, header, *rows, name="jira.csv"):
    p = tmp_path / name
    p.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return p


def test_jira_status_category_maps_custom_statuses_and_user_map_wins(tmp_path):
    """A team's own workflow: 'Peer Review' is unknown to the default workflow but the export
    says it is In Progress; 'Parked' the user maps to To do although Jira says In Progress."""
    from tpmkit.io import read_items

    p = _jira(tmp_path, "Issue key,Summary,Issue Type,Status,Status Category,Created,Resolved,"
                        "Status Category Changed",
              "K-1,a,Story,Peer Review,In Progress,04/Jan/21 9:00 AM,,06/Jan/21 10:00 AM",
              "K-2,b,Story,Shipped,Done,04/Jan/21 9:00 AM,08/Jan/21 5:00 PM,08/Jan/21 5:00 PM",
              "K-3,c,Bug,Parked,In Progress,05/Jan/21 9:00 AM,,07/Jan/21 9:00 AM")
    raw = read_items(p)
    b = agile.items(raw, now="2021-01-11", status_map={"Parked": "To do"})
    assert b.table["category"].tolist() == ["In progress", "Done", "To do"]
    # Status Category Changed is the start of the item in progress (no history in the export)
    assert b.table.loc["K-1", "started"] == D("2021-01-06 10:00")
    assert pd.isna(b.table.loc["K-3", "started"])
    assert agile.aging_wip(b).loc["K-1", "age"] == 6  # 01-06 … 01-11
    with pytest.raises(ValidationError, match=r"unknown status 'Peer Review'.*K-1.*status_map"):
        agile.items(raw.drop(columns="status_category"), now="2021-01-11")


def test_read_status_map_file_and_its_errors(tmp_path):
    from tpmkit.errors import InputFileError
    from tpmkit.io import read_status_map

    p = tmp_path / "workflow.csv"
    p.write_text("status,category\nPeer review,In progress\nShipped,Done\n", encoding="utf-8")
    flow = read_status_map(p)
    b = agile.items([{"id": "A", "created": "2021-01-04", "done": "2021-01-05",
                      "status": "Shipped"}], status_map=flow)
    assert b.table.loc["A", "category"] == "Done"
    p.write_text("status,category\nPeer review,\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"workflow.csv: blank status or category in row\(s\) 2"):
        read_status_map(p)
    p.write_text("name,category\nx,Done\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="columns status and category are required"):
        read_status_map(p)
    with pytest.raises(ValidationError, match=r"'Peer review' maps to 'Finished', not a category"):
        agile.items([{"id": "A", "created": "2021-01-04"}], status_map={"Peer review": "Finished"})


def test_changelog_history_and_board_parts_from_a_jira_export(tmp_path):
    from tpmkit.io import read_board_parts, read_status_history

    log = tmp_path / "changelog.csv"
    log.write_text("issue_key,field,from_string,to_string,created\n"
                   "K-1,status,To Do,In Progress,2021-01-05 09:00\n"
                   "K-1,assignee,,ann,2021-01-05 09:01\n"
                   "K-1,status,In Progress,Blocked,2021-01-06 09:00\n"
                   "K-1,status,Blocked,In Progress,2021-01-07 09:00\n"
                   "K-1,status,In Progress,Done,2021-01-08 12:00\n", encoding="utf-8")
    h = read_status_history(log)
    assert h["status"].tolist() == ["In Progress", "Blocked", "In Progress", "Done"]
    p = _jira(tmp_path, "Issue key,Summary,Issue Type,Status,Created,Resolved,Entered In Progress,"
                        "Entered Done",
              "K-1,a,Story,Done,04/Jan/21 9:00 AM,08/Jan/21 5:00 PM,05/Jan/21 9:00 AM,"
              "08/Jan/21 5:00 PM")
    parts = read_board_parts(p)  # the export's own Entered columns
    assert parts["history"]["status"].tolist() == ["In Progress", "Done"]
    b = agile.items(read_board_parts(p, history=log), now="2021-01-11")
    assert b.table.loc["K-1", "started"] == D("2021-01-05 09:00")
    assert agile.flow_efficiency(b).table.loc["K-1", "blocked_days"] == 1.0
    log.write_text("issue_key,field,created\nK-1,status,2021-01-05\n", encoding="utf-8")
    from tpmkit.errors import InputFileError
    with pytest.raises(InputFileError, match="needs the issue key, 'to_string'"):
        read_status_history(log)


# ----------------------------------------------------------------------------- properties
def _steady_board(days: int = 200, seed: int = 0, rate: float = 2.0) -> agile.Board:
    """Poisson arrivals, each item starts on arrival and takes 1–7 days (uniform)."""
    rng = np.random.default_rng(seed)
    start = D("2021-01-04")
    rows = []
    for d in range(days):
        for _ in range(rng.poisson(rate)):
            day = start + pd.Timedelta(days=d)
            done = day + pd.Timedelta(days=int(rng.integers(0, 7)))
            rows.append({"id": f"S{len(rows)}", "created": day, "started": day,
                         "done": done if done <= start + pd.Timedelta(days=days - 1) else None})
    return agile.items(pd.DataFrame(rows), now=start + pd.Timedelta(days=days - 1))


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_cfd_bands_are_monotone(seed):
    cfd = agile.cumulative_flow(_steady_board(days=40, seed=seed))
    tops = np.cumsum(cfd[["done", "in_progress", "to_do"]].to_numpy(), axis=1)
    assert (np.diff(tops, axis=0) >= 0).all()
    assert (cfd.to_numpy() >= 0).all()


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_wip_and_cfd_count_days_by_one_rule(seed):
    """WIP and the CFD's in-progress band are one count, and every item is WIP on exactly
    ``cycle_time`` days (its start day to its done day inclusive)."""
    b = _steady_board(days=40, seed=seed)
    w, cfd = agile.wip(b), agile.cumulative_flow(b)
    assert (cfd["in_progress"] == w).all()
    assert (cfd.sum(axis=1).to_numpy() == [(b.table["created"] <= d).sum() for d in cfd.index]).all()
    ct = agile.cycle_times(b)["cycle_time"].sum()
    open_days = agile.aging_wip(b)["age"].sum()
    assert w.sum() == ct + open_days


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000))
def test_littles_law_on_a_steady_board(seed):
    """Inside the window L − λW comes only from items crossing its edges, so
    |L − λW| ≤ (WIP on the first day + WIP on the last day) × longest cycle time / days."""
    b = _steady_board(seed=seed)
    law = agile.littles_law(b, start="2021-02-01", end="2021-06-30")
    assert law.holds
    w = agile.wip(b).loc["2021-02-01":"2021-06-30"]
    assert law.bound == (w.iloc[0] + w.iloc[-1]) * 7 / len(w)
    assert abs(law.arrival_rate - law.throughput) < 4 * np.sqrt(2.0 / len(w))


# ----------------------------------------------------------------------------- io and dataset
def test_read_jira_export_and_history(tmp_path):
    p = tmp_path / "jira.csv"
    p.write_text(
        "Issue key,Summary,Issue Type,Status,Created,Resolved,Custom field (Story Points),"
        "Sprint,Sprint,Entered In Progress,Entered Done\n"
        "WEB-1,Login,Story,Done,04/Jan/21 9:00 AM,08/Jan/21 5:00 PM,3,S1,S2,"
        "05/Jan/21 10:00 AM,08/Jan/21 5:00 PM\n"
        "WEB-2,Logout,Bug,In Progress,05/Jan/21 9:00 AM,,,S2,,06/Jan/21 10:00 AM,\n",
        encoding="utf-8")
    raw = tpmkit.io.read_items(p)
    assert raw["sprint"].tolist() == ["S1; S2", "S2"]
    hist = tpmkit.io.read_status_history(p)
    assert len(hist) == 3
    b = agile.items(raw, history=hist, now="2021-01-11")
    assert b.table.loc["WEB-1", "started"] == D("2021-01-05 10:00")
    assert b.table.loc["WEB-2", "category"] == "In progress"
    assert agile.cycle_times(b).loc["WEB-1", "cycle_time"] == 4
    generic = tmp_path / "items.csv"
    generic.write_text("id,created,done\nA,2021-01-04,2021-01-05\n", encoding="utf-8")
    assert len(agile.items(tpmkit.io.read_items(generic))) == 1


def test_bundled_board():
    b = tpmkit.datasets.load("agile_board")
    assert tpmkit.datasets.list()["agile_board"]["kind"] == "items"
    assert 300 <= len(b) <= 800 and set(b.types) == {"Story", "Bug", "Task"}
    assert len(b.sprints) == 13 and len(b.blocked) >= 10
    assert (b.table["created"].max() - b.table["created"].min()).days >= 150
    assert 0 < agile.flow_efficiency(b).efficiency < 1
    law = agile.littles_law(b)
    assert law.holds


# ----------------------------------------------------------------------------- charts (Agg)
def test_agile_charts_smoke():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from tpmkit import plot

    b = tpmkit.datasets.load("agile_board")
    pct = agile.cycle_time_percentiles(b)

    def gids(ax):
        return {a.get_gid() for a in [*ax.lines, *ax.collections, *ax.patches] if a.get_gid()}

    ax = plot.sprint_burndown(agile.burndown(b, "Sprint 5"), ax=Figure().subplots())
    assert {"remaining", "ideal", "scope"} <= gids(ax)
    f = agile.when(b, 60, rng=1)
    ax = plot.release_burnup(agile.burnup(b), forecast=f, ax=Figure().subplots())
    assert {"done", "scope", "P50", "P95"} <= gids(ax)
    ax = plot.velocity(agile.velocity(b), ax=Figure().subplots())
    assert len(ax.containers) == 3 and "average" in gids(ax)
    ax = plot.cumulative_flow(agile.cumulative_flow(b), ax=Figure().subplots())
    assert {"done", "in_progress", "to_do"} <= gids(ax)
    ax = plot.cycle_time_scatter(agile.cycle_times(b), pct, ax=Figure().subplots())
    assert len(ax.collections) == 3 and {"P50", "P70", "P85", "P95"} <= gids(ax)
    ax = plot.aging_wip(agile.aging_wip(b), pct, ax=Figure().subplots())
    assert {"items", "P85"} <= gids(ax)
    ax = plot.throughput_run(agile.throughput(b), ax=Figure().subplots())
    assert {"throughput", "mean"} <= gids(ax)
    for fc in (f, agile.how_many(b, "2026-08-31", rng=1), agile.release_forecast(b, rng=1),
               agile.when(b, [20, 60], rng=1)):
        ax = plot.forecast_histogram(fc, ax=Figure().subplots())
        assert "P85" in gids(ax) and len(ax.patches) > 1
    ax = plot.cumulative_flow(agile.cumulative_flow(b))  # own figure
    assert ax.figure is not None
    with pytest.raises(DataError, match="lacks column"):
        plot.velocity(agile.cumulative_flow(b))


# ----------------------------------------------------------------------------- command line
def test_cli_agile_json_and_errors(capsys, tmp_path):
    import json

    from tpmkit.cli import main

    assert main(["agile", "sample:agile_board", "--json", "--seed", "4", "--items", "30",
                 "--by", "2026-07-31", "--trials", "2000"]) == 0
    data = json.loads(capsys.readouterr().out)
    b = tpmkit.datasets.load("agile_board")
    assert data["items"] == len(b) and data["status_date"] == "2026-06-26"
    assert data["cycle_time"]["all"]["p85"] == agile.cycle_time_percentiles(b).loc["all", "p85"]
    expect = agile.when(b, 30, trials=2000, rng=4).table
    assert data["when"]["forecast"]["P85"]["periods"] == expect.loc["P85", "periods"]
    assert set(data["how_many"]["forecast"]) == {"P50", "P70", "P85", "P95"}
    p = tmp_path / "items.csv"
    p.write_text("id,created,done\nA,2021-01-04,2021-01-05\nA,2021-01-04,\n", encoding="utf-8")
    assert main(["agile", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tpmkit agile: error: ") and "duplicate id(s) A" in err
    assert err.count("\n") == 1
