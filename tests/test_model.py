"""The task-table model: parsing every column and one test per error message."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import tpmkit
from tpmkit.errors import CycleError, OptionError, ValidationError
from tpmkit.model import parse_link, parse_resources


def table(**cols) -> pd.DataFrame:
    base = {"id": ["A", "B", "C"], "duration": [2, 3, 4], "predecessors": ["", "A", "B"]}
    base.update(cols)
    return pd.DataFrame(base)


@pytest.mark.parametrize("text, expected", [
    ("A", ("A", "FS", 0.0, 0.0)),
    ("A SS", ("A", "SS", 0.0, 0.0)),
    ("A SS+2", ("A", "SS", 2.0, 0.0)),
    ("A FF-1d", ("A", "FF", -1.0, 0.0)),
    ("A SF+1.5d", ("A", "SF", 1.5, 0.0)),
    ("A SS+50%", ("A", "SS", 0.0, 0.5)),
    ("A FS+2w", ("A", "FS", 10.0, 0.0)),
    ("A-1", ("A-1", "FS", 0.0, 0.0)),
    ("3SS+2d", ("3", "SS", 2.0, 0.0)),
    ("12FF-3", ("12", "FF", -3.0, 0.0)),
    ("a ss+2days", ("a", "SS", 2.0, 0.0)),
])
def test_link_syntax(text, expected):
    known = {"A", "A-1", "3", "12", "a"}
    assert parse_link(text, known) == expected


def test_ids_that_look_like_lags_or_types_resolve_to_known_ids():
    t = pd.DataFrame({"id": ["T-1", "CLASS", "X"], "duration": [1, 2, 3],
                      "predecessors": ["", "T-1", "CLASS SS+1; T-1"]})
    p = tpmkit.read(t)
    assert p.links[["predecessor", "successor", "type", "lag"]].values.tolist() == [
        ["T-1", "CLASS", "FS", 0.0], ["CLASS", "X", "SS", 1.0], ["T-1", "X", "FS", 0.0]]


def test_three_point_only_gives_pert_mean_or_most_likely():
    t = pd.DataFrame({"id": ["A"], "optimistic": [1], "most_likely": [2], "pessimistic": [9]})
    assert tpmkit.read(t).tasks.loc["A", "duration"] == pytest.approx(3.0)
    assert tpmkit.read(t, duration_from="most_likely").tasks.loc["A", "duration"] == 2.0
    with pytest.raises(OptionError, match="mean, most_likely"):
        tpmkit.read(t, duration_from="median")


def test_every_column_is_parsed():
    t = pd.DataFrame({
        "ID": ["A", "B"], "Name": ["Design", "Build"], "Duration": ["5", "3,5"],
        "distribution": ["Triangular", ""], "WBS": ["1.1", "1.2"],
        "constraint": ["", "snet"], "constraint_date": ["", "2027-01-13"],
        "resources": ["dev:1; qa:0.5", "dev"], "cost": [100, None], "rate": [50, 60],
        "baseline_start": ["2027-01-04", "2027-01-11"], "baseline_finish": ["2027-01-08", "2027-01-14"],
        "baseline_cost": [350, 270], "percent_complete": [100, 40],
        "actual_start": ["2027-01-04", "2027-01-12"], "actual_finish": ["2027-01-08", None],
        "actual_cost": [360, 120], "predecessors": ["", "A"]})
    p = tpmkit.read(t, start="2027-01-04")
    tk = p.tasks
    assert tk.loc["B", "duration"] == 3.5
    assert tk.loc["A", "distribution"] == "triangular"
    assert tk.loc["B", "constraint"] == "SNET" and tk.loc["B", "constraint_offset"] == 7
    assert tk.loc["B", "actual_start"] == pd.Timestamp("2027-01-12")
    assert pd.isna(tk.loc["B", "actual_finish"])
    assert p.assignments.values.tolist() == [["A", "dev", 1.0], ["A", "qa", 0.5], ["B", "dev", 1.0]]
    assert parse_resources("x") == [("x", 1.0)]


def test_project_settings_and_calendar():
    p = tpmkit.read(table(), start="2027-01-02", holidays=["2027-01-05"], deadline="2027-01-20",
                    status_date="2027-01-08", currency="EUR", name="X")
    assert p.start == pd.Timestamp("2027-01-04")          # Saturday rolls to Monday
    s = tpmkit.schedule(p, status_date=False).table  # the plan, without progress
    assert s.loc["A", "early_finish_date"] == pd.Timestamp("2027-01-06")   # holiday skipped
    assert p.deadline_offset == 12
    assert p.currency == "EUR" and p.name == "X"


# --------------------------------------------------------------------------------------
# one test per error message: the ids appear and the fix is said
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("changes, exc, pattern", [
    ({"predecessors": ["C", "A", "B"]}, CycleError, r"cycle: A → B → C → A"),
    ({"predecessors": ["", "Z", "B"]}, ValidationError, r"unknown predecessor\(s\) Z .*task\(s\) B.*add the missing"),
    ({"id": ["A", "A", "C"]}, ValidationError, r"duplicate task id\(s\) A; every task needs a unique id"),
    ({"duration": [2, None, 4]}, ValidationError, r"duration missing for task\(s\) B"),
    ({"duration": [2, "five", 4]}, ValidationError, r"'duration' is not a number for task\(s\) B"),
    ({"duration": [2, -3, 4]}, ValidationError, r"negative duration for task\(s\) B"),
    ({"predecessors": ["", "A XX+2", "B"]}, ValidationError, r"malformed link 'A XX\+2'.*task\(s\) B.*FS/SS/FF/SF"),
    ({"predecessors": ["", "A FS+2x", "B"]}, ValidationError, r"malformed link 'A FS\+2x'"),
    ({"predecessors": ["", "B", "B"]}, CycleError, r"task\(s\) B list themselves"),
    ({"id": ["A", "B c", "C"]}, ValidationError, r"invalid task id\(s\) 'B c'"),
    ({"constraint": ["", "ASAP!", ""]}, ValidationError, r"unknown constraint 'ASAP!' for task\(s\) B"),
    ({"constraint": ["", "SNET", ""]}, ValidationError, r"constraint without constraint_date for task\(s\) B"),
    ({"distribution": ["", "gamma", ""]}, ValidationError, r"unknown distribution 'gamma'.*pert, triangular"),
    ({"resources": ["", "dev:abc", ""]}, ValidationError, r"malformed resources for task\(s\) B"),
    ({"percent_complete": [0, 120, 0]}, ValidationError, r"percent_complete outside 0–100 for task\(s\) B"),
    ({"actual_start": ["", "yesterday-ish", ""]}, ValidationError, r"'actual_start' holds an unreadable date for task\(s\) B"),
    ({"wbs": ["1", "1..2", "2"]}, ValidationError, r"malformed WBS code for task\(s\) B"),
])
def test_error_messages(changes, exc, pattern):
    with pytest.raises(exc, match=pattern):
        tpmkit.read(table(**changes))


def test_three_point_order_errors():
    t = pd.DataFrame({"id": ["A", "B"], "optimistic": [3, 1], "most_likely": [2, 5],
                      "pessimistic": [9, 4]})
    with pytest.raises(ValidationError, match=r"optimistic > most_likely for task\(s\) A.*o ≤ m ≤ p"):
        tpmkit.read(t)
    t.loc[0, "optimistic"] = 1
    with pytest.raises(ValidationError, match=r"most_likely > pessimistic for task\(s\) B"):
        tpmkit.read(t)
    t2 = pd.DataFrame({"id": ["A"], "optimistic": [1], "most_likely": [2]})
    with pytest.raises(ValidationError, match=r"incomplete three-point estimate for task\(s\) A"):
        tpmkit.read(t2)


def test_empty_table_and_missing_id_column():
    with pytest.raises(ValidationError, match="the task table is empty"):
        tpmkit.read(pd.DataFrame({"id": [], "duration": []}))
    with pytest.raises(ValidationError, match="no 'id' column"):
        tpmkit.read(pd.DataFrame({"task_name": ["x"], "duration": [1]}))


def test_bad_project_dates():
    with pytest.raises(ValidationError, match="cannot read project start 'soon' as a date"):
        tpmkit.read(table(), start="soon")
    with pytest.raises(ValidationError, match="unknown weekday"):
        tpmkit.read(table(), workweek=["Mon", "Funday"])


def test_cycle_error_lists_the_cycle_ids():
    t = pd.DataFrame({"id": list("ABCDE"), "duration": 1,
                      "predecessors": ["", "A; E", "B", "C", "D"]})
    with pytest.raises(CycleError) as info:
        tpmkit.read(t)
    assert info.value.cycle == ["B", "C", "D", "E", "B"]


def test_first_five_ids_then_and_more():
    t = pd.DataFrame({"id": [f"T{i}" for i in range(8)], "duration": [-1] * 8})
    with pytest.raises(ValidationError, match=r"T0, T1, T2, T3, T4 and 3 more"):
        tpmkit.read(t)


def test_network_arrays_are_consistent():
    p = tpmkit.datasets.load("software_release")
    net = p.network()
    pos = np.empty(net.n_tasks, int)
    pos[net.order] = np.arange(net.n_tasks)
    assert (pos[net.link_from] < pos[net.link_to]).all()
    assert net.pred_ptr[-1] == net.succ_ptr[-1] == len(p.links)
    assert set(net.link_type.tolist()) <= {0, 1, 2, 3}


# ---------------------------------------------------------------------------------------
# ids as users write them: Unicode letters and digits; the link syntax stays unambiguous
# ---------------------------------------------------------------------------------------
UNICODE_TASKS = pd.DataFrame({
    "id": ["Ä1", "設計", "Tâche-3", "कि", "A.SS-2", "A.SS-2FS", "E", "ESS"],
    "duration": [2, 3, 1, 4, 2, 1, 1, 2],
    "predecessors": ["", "Ä1", "設計 SS+1; Ä1", "Tâche-3FF-1d", "कि", "कि SS",
                     "A.SS-2FS+1d", "E SS-1"]})
UNICODE_LINKS = [("Ä1", "設計", "FS", 0.0), ("設計", "Tâche-3", "SS", 1.0),
                 ("Ä1", "Tâche-3", "FS", 0.0), ("Tâche-3", "कि", "FF", -1.0),
                 ("कि", "A.SS-2", "FS", 0.0), ("कि", "A.SS-2FS", "SS", 0.0),
                 ("A.SS-2FS", "E", "FS", 1.0), ("E", "ESS", "SS", -1.0)]


def _links(p):
    return [tuple(r) for r in p.links[["predecessor", "successor", "type", "lag"]].to_numpy()]


def test_unicode_ids_and_ids_that_contain_types_digits_dots_and_dashes():
    p = tpmkit.read(UNICODE_TASKS)
    assert list(p.tasks.index) == list(UNICODE_TASKS["id"])
    assert _links(p) == UNICODE_LINKS
    # one token at a time gives the same reading as the whole column
    known = set(UNICODE_TASKS["id"])
    assert parse_link("A.SS-2FS+1d", known) == ("A.SS-2FS", "FS", 1.0, 0.0)
    assert parse_link("A.SS-2FS+1d", known - {"A.SS-2FS"}) == ("A.SS-2", "FS", 1.0, 0.0)
    assert parse_link("ESS-1", {"E", "ESS"}) == ("ESS", "FS", -1.0, 0.0)
    assert parse_link("ESS-1", {"E"}) == ("E", "SS", -1.0, 0.0)
    assert parse_link("設計SS+2d", known) == ("設計", "SS", 2.0, 0.0)
    s = tpmkit.schedule(p)
    assert s.table.loc["Tâche-3", "early_start"] == 3  # max(ES(設計) + 1, EF(Ä1))


@pytest.mark.parametrize("bad", ["A 1", "A;1", "A+1", "A,B", "Tâche 3", "x/y"])
def test_ids_with_separators_or_signs_are_refused(bad):
    t = pd.DataFrame({"id": ["ok", bad], "duration": [1, 2]})
    with pytest.raises(ValidationError, match=r"invalid task id\(s\) " + re.escape(repr(bad))):
        tpmkit.read(t)


def test_the_whole_column_and_one_token_at_a_time_read_links_alike():
    """links_from_text reads plain ids and ``ID TYPE±LAG`` tokens in bulk; parse_link one by
    one: the same link table on tokens that mix both, with ids that are prefixes of others."""
    ids = ["3", "3SS", "12", "T-1", "CLASS", "X", "E", "ESS", "a"]
    preds = ["", "3", "3SS+2d", "12FF-3; 3SS", "T-1 SS+50%", "CLASS FS+1w; T-1", "ESS-1",
             "3 SF-0.5d", "E ss+2days"]
    t = pd.DataFrame({"id": ids, "duration": [1] * len(ids), "predecessors": preds})
    p = tpmkit.read(t)
    known = set(ids)
    expected = [(parse_link(tok, known)[0], succ, *parse_link(tok, known)[1:])
                for succ, cell in zip(ids, preds, strict=True)
                for tok in filter(None, (x.strip() for x in cell.split(";")))]
    got = [tuple(r) for r in p.links[["predecessor", "successor", "type", "lag",
                                      "lag_percent"]].to_numpy()]
    assert got == expected


@pytest.mark.parametrize("ext", ["csv", "yaml", "json", "xlsx", "xml"])
def test_unicode_ids_round_trip_through_every_table_format(tmp_path, ext):
    import warnings

    p = tpmkit.read(UNICODE_TASKS, start="2027-01-04")
    s = tpmkit.schedule(p)
    f = tmp_path / f"plan.{ext}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tpmkit.io.write(p, f)
        q = tpmkit.read(f)
    assert list(q.tasks.index) == list(UNICODE_TASKS["id"])
    assert _links(q) == UNICODE_LINKS
    r = tpmkit.schedule(q)
    assert r.duration == s.duration and r.critical_path == s.critical_path


def test_memory_of_a_wide_merge_follows_the_input():
    """One milestone with 4,000 predecessors: strings are never padded to the longest cell
    (the fixed-width copy of the predecessors column took 734 MB)."""
    import tracemalloc

    n = 4_000
    ids = [f"T{i}" for i in range(n)]
    t = pd.DataFrame({"id": [*ids, "M"], "name": [f"Task {i}" for i in range(n)] + ["x" * 200],
                      "duration": [1.0] * n + [0.0], "predecessors": [""] * n + [";".join(ids)]})
    tpmkit.read(t)  # imports and caches out of the measurement
    size = int(t.memory_usage(deep=True).sum())
    tracemalloc.start()
    try:
        p = tpmkit.read(t)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(p.links) == n
    assert peak < 10 * size + 5_000_000, (peak, size)


def test_the_resources_column_reads_as_parse_resources_cell_by_cell():
    cells = ["dev:1; qa:0.5", "", " ux ", "dev=2, ops : 1e0 ;", "Böhm:0.25;設計者", "a b:3"]
    p = tpmkit.read(pd.DataFrame({"id": [f"T{k}" for k in range(len(cells))],
                                  "duration": 1, "resources": cells}))
    expected = [(f"T{k}", r, u) for k, c in enumerate(cells) for r, u in parse_resources(c)]
    assert [tuple(x) for x in p.assignments.to_numpy().tolist()] == expected
    for bad in ("dev:x", "dev:-1", ":3", "dev:1.2.3"):
        with pytest.raises(ValueError):
            parse_resources(bad)
        with pytest.raises(ValidationError, match=r"malformed resources for task\(s\) B;"):
            tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": 1, "resources": ["ok", bad]}))
