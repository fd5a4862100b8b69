"""Tests of the PSPLIB ``.sm`` / Patterson ``.rcp`` reader (tpmkit.io.psplib)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tpmkit
from tests.conftest import data_path
from tpmkit.errors import FileFormatError, InputFileError, OptionError
from tpmkit.io.psplib import instance_tables, load_instance, parse_instance, read_psplib


def _cp_length(inst) -> int:
    """Longest path through the finish-to-start network (independent of tpmkit.resources.level)."""
    es = np.zeros(inst.n, dtype=np.int64)
    for j in range(inst.n):  # PSPLIB numbers jobs topologically
        for k in inst.succ_idx[inst.succ_ptr[j]:inst.succ_ptr[j + 1]]:
            es[k] = max(es[k], es[j] + inst.duration[j])
    return int((es + inst.duration).max())


def test_j301_1_matches_the_published_file():
    """Values as printed in PSPLIB's j301_1.sm (Kolisch & Sprecher 1996)."""
    inst = load_instance(data_path("psplib", "j30", "j301_1.sm"))
    assert inst.name == "j301_1"
    assert inst.n == 32
    assert inst.resource_names == ["R1", "R2", "R3", "R4"]
    assert inst.capacity.tolist() == [12, 13, 4, 12]
    assert inst.duration[:5].tolist() == [0, 8, 4, 6, 3]
    assert inst.demand[2].tolist() == [10, 0, 0, 0]
    assert inst.succ_idx[inst.succ_ptr[0]:inst.succ_ptr[1]].tolist() == [1, 2, 3]
    assert inst.settings == {"horizon": 158, "release_date": 0, "due_date": 38,
                             "tardiness_cost": 26, "mpm_time": 38}
    assert _cp_length(inst) == 38


@pytest.mark.parametrize("name", ["j30/j3011_5.sm", "j60/j6029_3.sm", "j90/j9041_7.sm",
                                  "j120/j12057_10.sm"])
def test_critical_path_equals_header_mpm_time(name):
    """The header's MPM-Time is the precedence-only critical path (PSPLIB convention)."""
    inst = load_instance(data_path("psplib", *name.split("/")))
    assert _cp_length(inst) == inst.settings["mpm_time"]


def test_patterson_pat1():
    """pat1.rcp: 14 jobs, 3 resources with capacities 2, 1, 2 (Patterson 1984 format)."""
    inst = load_instance(data_path("psplib", "patterson", "patterson.rcp", "pat1.rcp"))
    assert inst.n == 14
    assert inst.capacity.tolist() == [2, 1, 2]
    assert inst.duration.tolist() == [0, 6, 4, 3, 1, 6, 2, 1, 4, 3, 2, 3, 5, 0]
    assert inst.succ_idx[inst.succ_ptr[0]:inst.succ_ptr[1]].tolist() == [1, 2, 3]
    assert inst.demand[5].tolist() == [1, 0, 1]


def test_tables_and_front_door():
    path = data_path("psplib", "j30", "j301_1.sm")
    parts = read_psplib(path)
    tasks = parts["tasks"].set_index("id")
    assert tasks.loc["32", "predecessors"] == "29; 30; 31"
    assert tasks.loc["3", "resources"] == "R1:10"
    assert tasks.loc["1", "resources"] == ""
    assert parts["resources"]["capacity"].tolist() == [12, 13, 4, 12]
    assert parts["project"]["name"] == "j301_1"
    project = tpmkit.read(path)
    assert len(project.tasks) == 32 and len(project.links) == 48
    assert set(project.links["type"]) == {"FS"}
    sched = tpmkit.schedule(project)
    assert sched.duration == 38


def _write_sm(n, succ, dur, dem, cap) -> str:
    """Write an instance in the PSPLIB .sm layout (used to round-trip random instances)."""
    R = len(cap)
    lines = ["*" * 72, "projects                      :  1",
             f"jobs (incl. supersource/sink ):  {n}", f"horizon                       :  {sum(dur)}",
             "RESOURCES", f"  - renewable                 :  {R}   R",
             "  - nonrenewable              :  0   N",
             "  - doubly constrained        :  0   D", "*" * 72, "PROJECT INFORMATION:",
             "pronr.  #jobs rel.date duedate tardcost  MPM-Time",
             f"    1     {n - 2}      0       10       3       10", "*" * 72,
             "PRECEDENCE RELATIONS:", "jobnr.    #modes  #successors   successors"]
    for j in range(n):
        lines.append(f"   {j + 1}        1          {len(succ[j])}   "
                     + "   ".join(str(s + 1) for s in succ[j]))
    lines += ["*" * 72, "REQUESTS/DURATIONS:",
              "jobnr. mode duration  " + "  ".join(f"R {r + 1}" for r in range(R)), "-" * 72]
    for j in range(n):
        lines.append(f"  {j + 1}      1     {dur[j]}    " + "    ".join(map(str, dem[j])))
    lines += ["*" * 72, "RESOURCEAVAILABILITIES:", "  " + "  ".join(f"R {r + 1}" for r in range(R)),
              "   " + "   ".join(map(str, cap)), "*" * 72]
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_random_sm_round_trip(data):
    n = data.draw(st.integers(3, 12))
    R = data.draw(st.integers(1, 4))
    succ = [sorted(data.draw(st.sets(st.integers(j + 1, n - 1), max_size=3))) if j < n - 1 else []
            for j in range(n)]
    dur = data.draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    dem = [data.draw(st.lists(st.integers(0, 9), min_size=R, max_size=R)) for _ in range(n)]
    cap = data.draw(st.lists(st.integers(9, 30), min_size=R, max_size=R))
    inst = parse_instance(_write_sm(n, succ, dur, dem, cap), name="rand")
    assert inst.duration.tolist() == dur
    assert inst.demand.tolist() == dem
    assert inst.capacity.tolist() == cap
    assert [inst.succ_idx[inst.succ_ptr[j]:inst.succ_ptr[j + 1]].tolist() for j in range(n)] == succ
    tables = instance_tables(inst)
    preds = [p.split("; ") if p else [] for p in tables["tasks"]["predecessors"]]
    assert sum(map(len, preds)) == sum(map(len, succ))
    for j, row in enumerate(succ):
        for k in row:
            assert str(j + 1) in preds[k]


GOOD = _write_sm(3, [[1], [2], []], [0, 4, 0], [[0], [3], [0]], [5])


@pytest.mark.parametrize("text, match", [
    (GOOD.replace("1          1   2", "1          1   9"), "job 1 names unknown successor"),
    (GOOD.replace("   1        1 ", "   1        2 "), "job 1 has 2 modes.*single-mode"),
    (GOOD.replace("jobs (incl. supersource/sink ):  3", "jobs (incl. supersource/sink ):  4"),
     "lists 3 jobs but the header says 4"),
    (GOOD.replace("   5\n", "   x\n"), "non-integer value in RESOURCEAVAILABILITIES"),
    (GOOD.replace("RESOURCEAVAILABILITIES", "RESOURCES AVAIL"), "RESOURCEAVAILABILITIES"),
    ("hello", "is this a PSPLIB .sm file"),
])
def test_malformed_sm_names_the_problem(text, match):
    with pytest.raises(FileFormatError, match=match):
        parse_instance(text, name="bad")


@pytest.mark.parametrize("text, match", [
    ("3 1\n5\n0 0 1 2\n4 3 1 7\n0 0 0\n", "job 2 names unknown successor"),
    ("3 1\n5\n0 0 1 2\n4 3 1\n", "job 2 declares 1 successors but the file ends early"),
    ("3 1\n5\n0 0 1 2\n4 3 1 3\n0 0", "the file ends inside job 3 of 3"),
    ("3 1\n5\n0 0 1 2\n4 3 1 3\n0 0 0\n9\n", "1 numbers after the last job"),
])
def test_malformed_rcp_names_the_problem(text, match):
    with pytest.raises(FileFormatError, match=match):
        parse_instance(text, name="bad", fmt="rcp")


def test_file_errors(tmp_path):
    with pytest.raises(InputFileError, match=r"not a PSPLIB file.*use a single-mode \.sm"):
        load_instance(tmp_path / "x.txt")
    with pytest.raises(InputFileError, match="not found"):
        load_instance(tmp_path / "missing.sm")
    with pytest.raises(OptionError, match="sm, rcp"):
        parse_instance(GOOD, fmt="mm")
