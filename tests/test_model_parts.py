"""Regression tests of the model package: validated parts, the frozen Project, link tables.

Each test pins a bug of issue 13: resource id columns read differently by two consumers,
two WBS grammars, a stale cached network after mutating ``project.tasks``, a negative
duration slipping in through ``.loc``, and lags rounded by the text round trip of the
importers and the what-if widget.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tpmkit
from tests.test_io_mspdi import _task, _write
from tests.test_io_xer import _xer
from tpmkit import scope
from tpmkit.errors import CycleError, ValidationError
from tpmkit.io import mspdi, xer
from tpmkit.model import Project, build_project, expand_summary_links, parse_workweek
from tpmkit.resources import level, overallocations, resource_table


def chain() -> Project:
    return tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "duration": [2, 3, 4],
                                     "predecessors": ["", "A", "B"]}))


# --------------------------------------------------------------------------------------
# resources: one canonical id column for every consumer
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("id_column", ["id", "resource", "name"])
def test_resource_id_alias_gives_one_verdict(id_column):
    """Issue 13: with id column ``resource``, overallocations saw dev over-allocated while
    level() treated dev as unconstrained (makespan 3 instead of 5)."""
    tasks = pd.DataFrame({"id": ["A", "B"], "duration": [3, 2], "resources": ["dev:1", "dev:1"]})
    p = tpmkit.read({"tasks": tasks,
                     "resources": pd.DataFrame({id_column: ["dev"], "capacity": [1]})})
    assert list(p.resources.columns[:1]) == ["id"]
    assert resource_table(p).loc["dev", "capacity"] == 1.0
    assert overallocations(p)["resource"].tolist() == ["dev"]
    assert level(p, rng=0).makespan == 5


def test_resource_errors_are_raised_once_at_build():
    tasks = pd.DataFrame({"id": ["A"], "duration": [1], "resources": ["dev"]})
    with pytest.raises(ValidationError, match=r"resource capacity must be a number >= 0; bad for dev"):
        tpmkit.read({"tasks": tasks, "resources": [{"resource": "dev", "capacity": -1}]})
    with pytest.raises(ValidationError, match=r"duplicate resource ids: dev"):
        tpmkit.read({"tasks": tasks, "resources": [{"id": "dev"}, {"id": "dev"}]})


def test_one_workweek_parser():
    assert parse_workweek("mon tue, Wednesday;thu") == (True, True, True, True, False, False, False)
    with pytest.raises(ValidationError, match=r"resource dev \(workweek\): Funday"):
        tpmkit.read({"tasks": pd.DataFrame({"id": ["A"], "duration": [1], "resources": ["dev"]}),
                     "resources": [{"id": "dev", "workweek": "Mon, Funday"}]})


def test_extra_task_columns_are_validated():
    t = pd.DataFrame({"id": ["A", "B"], "duration": [1, 2], "existence_probability": [0.5, 1.5]})
    with pytest.raises(ValidationError, match=r"existence_probability out of range for task\(s\) B"):
        tpmkit.read(t)
    t = pd.DataFrame({"id": ["A"], "duration": [3], "crash_duration": ["2"]})
    assert tpmkit.read(t).tasks.loc["A", "crash_duration"] == 2.0


# --------------------------------------------------------------------------------------
# one WBS grammar
# --------------------------------------------------------------------------------------
def test_wbs_with_letters_accepted_by_read_and_scope():
    """Issue 13: tpmkit.read accepted 1.A, scope.check_wbs refused it."""
    t = pd.DataFrame({"id": ["A", "B"], "duration": [1, 2], "wbs": ["1.A", "1.B"]})
    assert tpmkit.read(t).tasks["wbs"].tolist() == ["1.A", "1.B"]
    tree = scope.wbs_tree(["1", "1.A", "1.B"])
    assert list(tree.index) == ["1", "1.A", "1.B"]
    scope.check_wbs(pd.DataFrame({"wbs": ["1", "1.A", "1.B"], "name": ["P", "a", "b"]}))
    for bad in ("1.a!", "1..2"):
        with pytest.raises(ValidationError, match="malformed WBS code"):
            tpmkit.read(t.assign(wbs=["1", bad]))
        with pytest.raises(ValidationError, match="malformed WBS code"):
            scope.wbs_tree(["1", bad])


# --------------------------------------------------------------------------------------
# the frozen Project
# --------------------------------------------------------------------------------------
def test_mutating_tasks_never_changes_the_project_or_its_network():
    """Issue 13: ``p.tasks["duration"] = [...]`` was ignored by schedule() (stale network)
    and ``p.tasks.loc["A", "duration"] = -5`` gave a negative finish."""
    p = chain()
    before = tpmkit.schedule(p).table["early_finish"].tolist()
    t = p.tasks
    t["duration"] = [10.0, 10.0, 10.0]
    t.loc["A", "duration"] = -5
    # writing through the attribute is a chained assignment: pandas warns, nothing changes
    with pytest.warns(pd.errors.ChainedAssignmentError):
        p.tasks.loc["A", "duration"] = -5
    with pytest.warns(pd.errors.ChainedAssignmentError):
        p.links.loc[0, "lag"] = 100.0
    assert p.tasks["duration"].tolist() == [2.0, 3.0, 4.0]
    assert p.network().duration.tolist() == [2.0, 3.0, 4.0]
    assert tpmkit.schedule(p).table["early_finish"].tolist() == before == [2.0, 5.0, 9.0]
    with pytest.raises(ValueError):
        p.network().duration[0] = -5.0            # read-only arrays
    with pytest.raises(AttributeError):
        p.name = "x"                              # frozen


def test_changes_go_through_validating_methods():
    p = chain()
    q = p.with_durations({"B": 1})
    assert tpmkit.schedule(q).table["early_finish"].tolist() == [2.0, 3.0, 7.0]
    assert p.tasks.loc["B", "duration"] == 3.0
    assert p.with_durations([1, 1, 1]).network().duration.tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(ValidationError, match=r"negative duration for task\(s\) A"):
        p.with_durations({"A": -5})
    with pytest.raises(ValidationError, match=r"unknown task\(s\) Z"):
        p.with_durations({"Z": 1})
    assert p.replace(name="X").name == "X" and p.name == "Project"
    links = pd.DataFrame({"predecessor": ["A", "A"], "successor": ["B", "C"], "type": ["FS", "SS"],
                          "lag": [0.0, 1.5], "lag_percent": [0.0, 0.0]})
    r = p.with_links(links)
    assert r.tasks["predecessors"].tolist() == ["", "A", "A SS+1.5d"]
    assert tpmkit.schedule(r).table["early_finish"].tolist() == [2.0, 5.0, 5.5]
    with pytest.raises(CycleError, match="cycle"):
        p.with_links(pd.DataFrame({"predecessor": ["A", "B"], "successor": ["B", "A"]}))


def test_no_private_state_in_settings():
    t = pd.DataFrame({"id": ["A"], "optimistic": [1], "most_likely": [2], "pessimistic": [9]})
    p = tpmkit.read(t, duration_from="most_likely")
    assert p.duration_derived == (True,) and p.duration_from == "most_likely"
    assert not any(k.startswith("_") for k in p.settings)
    assert p.settings_dict()["duration_from"] == "most_likely"
    assert "duration" not in p.to_table()
    for name in ("schedule", "pert", "simulate", "evm", "write"):
        assert not hasattr(p, name)


# --------------------------------------------------------------------------------------
# link tables from the readers
# --------------------------------------------------------------------------------------
def test_link_table_part_is_validated():
    tasks = pd.DataFrame({"id": ["A", "B"], "duration": [1, 2]})
    ok = {"predecessor": ["A"], "successor": ["B"], "type": ["ss"], "lag": [0.1234567],
          "lag_percent": [0.25]}
    p = build_project({"tasks": tasks, "links": pd.DataFrame(ok)})
    assert p.links.loc[0, ["type", "lag", "lag_percent"]].tolist() == ["SS", 0.1234567, 0.25]
    for change, pattern in [({"successor": ["Z"]}, r"unknown successor\(s\) Z"),
                            ({"successor": ["A"]}, r"task\(s\) A list themselves"),
                            ({"type": ["XX"]}, r"unknown link type 'XX' for the link\(s\) A→B"),
                            ({"lag": [np.inf]}, r"lag is not a finite number for the link\(s\) A→B")]:
        with pytest.raises(ValidationError, match=pattern):
            build_project({"tasks": tasks, "links": pd.DataFrame({**ok, **change})})


def test_summary_link_expansion_is_shared():
    rows, moved = expand_summary_links([("S", "C", "FS", 0.0, 0.0), ("C", "D", "SS", 1.0, 0.0)],
                                       {"S": ["A", "B"]})
    assert rows == [("A", "C", "FS", 0.0, 0.0), ("B", "C", "FS", 0.0, 0.0),
                    ("C", "D", "SS", 1.0, 0.0)]
    assert moved == [("S", "C")]


def test_mspdi_lag_survives_exactly(tmp_path):
    """Issue 13: lags went through text rounded to 10 digits (0.1234567 → …); the link table
    keeps the reader's float."""
    lag = 592.59216  # tenths of a minute: 0.1234567 working days of 480 min
    path = _write(tmp_path, [_task(1), _task(2, links=[(1, 1, lag, 7)]),
                             _task(3, links=[(1, 1, 1, 7)])])
    parts = mspdi.read_parts(path)
    assert parts["links"]["lag"].tolist() == [lag / 10.0 / 480.0, 1 / 10.0 / 480.0]
    p = build_project(parts)
    assert p.links["lag"].tolist() == [lag / 10.0 / 480.0, 1 / 4800.0]
    assert p.links.loc[0, "lag"] == pytest.approx(0.1234567, abs=1e-15)


def test_xer_lag_survives_exactly(tmp_path):
    hours = 0.1234567 * 8
    p = build_project(xer.read_parts(_xer(tmp_path, pred_lag=repr(hours))))
    lag = p.links.set_index(["predecessor", "successor"]).loc[("A100", "A110"), "lag"]
    assert lag == hours / 8.0


def test_whatif_does_not_round_lags():
    from tpmkit.widgets.scheduling import whatif_project

    p = chain()
    q = whatif_project(p, durations={"A": 2.5}, lags={0: 0.1234567})
    assert q.links.loc[0, "lag"] == 0.1234567
    assert q.tasks.loc["A", "duration"] == 2.5
    assert tpmkit.schedule(q).table["early_start"]["B"] == 2.5 + 0.1234567


def test_mixed_percent_and_day_lag_is_kept_and_warned_on_text_write(tmp_path):
    tasks = pd.DataFrame({"id": ["A", "B"], "duration": [4, 2]})
    links = pd.DataFrame({"predecessor": ["A"], "successor": ["B"], "type": ["SS"],
                          "lag": [1.0], "lag_percent": [0.5]})
    p = build_project({"tasks": tasks, "links": links})
    assert p.links.loc[0, ["lag", "lag_percent"]].tolist() == [1.0, 0.5]
    assert tpmkit.schedule(p).table.loc["B", "early_start"] == 3.0      # 1 d + 50 % of 4 d
    with pytest.warns(tpmkit.io.TpmkitWarning, match=r"links A→B, which have both a percent and a day lag"):
        tpmkit.io.write(p, tmp_path / "p.csv")


def test_frozen_project_pickles_and_copies():
    import copy
    import pickle

    p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [1, 2], "predecessors": ["", "A"]}),
                    start="2027-01-04", sponsor="CFO")
    p.network()
    q = pickle.loads(pickle.dumps(p))
    assert q == p and copy.deepcopy(p) == p and dict(q.settings) == {"sponsor": "CFO"}
    with pytest.raises(TypeError):
        p.settings["sponsor"] = "CEO"  # type: ignore[index]
