"""Which tasks are critical: the lowest float (default), total float ≤ a threshold (MS Project,
P6) and P6's longest path; read from MS Project XML and XER, written back, shown by the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tpmkit
from tests.conftest import data_path
from tpmkit.io import mspdi, xer

MON = "2027-01-04"
# S → A (2) → B (3) → E and S → C (10) → E; D (1) → E. The deadline 12 gives C 2 days of
# float, B and A 7, D 11 (worked by hand: LF(E) = 12, LS(C) = 2, LS(B) = 9, LS(A) = 7).
PLAN = pd.DataFrame({"id": list("SABCDE"), "duration": [0, 2, 3, 10, 1, 0],
                     "predecessors": ["", "S", "A", "S", "S", "B;C;D"]})


def _crit(**kw):
    s = tpmkit.schedule(tpmkit.read(PLAN, start=MON, deadline=12), **kw)
    return s, [t for t in s.table.index if s.table.loc[t, "critical"]]


def test_the_three_rules_on_a_hand_worked_plan():
    s, crit = _crit()
    assert crit == ["S", "C", "E"] and s.critical_rule == "lowest_float" and s.critical_float == 2
    s, crit = _crit(critical="total_float")  # MS Project / P6 with a 0-day threshold
    assert crit == [] and s.critical_float == 0
    assert s.table["near_critical"].tolist() == [True, False, False, True, False, True]
    _, crit = _crit(critical="total_float", critical_float=7)
    assert crit == ["S", "A", "B", "C", "E"]
    s, crit = _crit(critical="longest_path")
    assert crit == ["S", "C", "E"] and s.critical_float is None


def test_longest_path_ignores_float_set_by_a_constraint():
    """B (2 d) must finish by day 2 (FNLT): its float is 0, but it drives nothing; the
    longest path is A (5 d) → E alone. Total float ≤ 0 calls B critical, P6's longest
    path does not."""
    t = pd.DataFrame({"id": ["A", "B", "E"], "duration": [5, 2, 0],
                      "predecessors": ["", "", "A;B"], "constraint": ["", "FNLT", ""],
                      "constraint_date": [None, 2, None]})
    p = tpmkit.read(t, start=MON)
    by_float = tpmkit.schedule(p, critical="total_float").table["critical"]
    longest = tpmkit.schedule(p, critical="longest_path").table["critical"]
    assert by_float.tolist() == [True, True, True] and longest.tolist() == [True, False, True]


def test_completed_tasks_are_never_critical_on_the_longest_path():
    t = PLAN.assign(actual_start=[MON, MON, None, MON, None, None],
                    actual_finish=[MON, "2027-01-05", None, None, None, None],
                    percent_complete=[100, 100, 0, 30, 0, 0])
    s = tpmkit.schedule(tpmkit.read(t, start=MON, status_date="2027-01-05"),
                        critical="longest_path")
    assert not s.table.loc[["S", "A"], "critical"].any()
    assert s.table.loc[["C", "E"], "critical"].all()


@st.composite
def networks(draw):
    n = draw(st.integers(2, 30))
    rows = []
    for j in range(n):
        preds = draw(st.lists(st.integers(0, j - 1), max_size=min(j, 3), unique=True)) if j else []
        links = [f"T{i} {draw(st.sampled_from(['FS', 'SS', 'FF', 'SF']))}"
                 f"{draw(st.integers(-2, 3)):+d}" for i in preds]
        rows.append({"id": f"T{j}", "duration": draw(st.integers(0, 8)),
                     "predecessors": "; ".join(links)})
    return pd.DataFrame(rows)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_longest_path_is_the_chain_of_tight_links_into_the_finish(table):
    """Every longest-path task finishes at the project finish or has a zero-slack link to
    another one; every task finishing last is on it, and so is the driving path."""
    p = tpmkit.read(table)
    s = tpmkit.schedule(p, critical="longest_path")
    t = s.table
    lp = t["critical"].to_numpy(bool)
    ef = t["early_finish"].to_numpy()
    end = np.isclose(ef, s.duration)
    assert lp[end].all()
    r = tpmkit.cpm.passes(p.network())
    net = p.network()
    tight = np.abs(r["link_slack"]) <= 1e-7
    feeds = np.zeros(len(lp), dtype=bool)
    np.logical_or.at(feeds, net.link_from[tight], lp[net.link_to[tight]])
    assert (end | feeds)[lp].all()
    assert (~lp | end | feeds).all()
    assert set(s.driving_path) <= set(t.index[lp])
    # reading the same rule from the setting gives the same answer
    assert tpmkit.schedule(p.replace(critical="longest_path")).table["critical"].tolist() == \
        t["critical"].tolist()


def test_settings_are_checked_once_with_a_clear_message():
    with pytest.raises(tpmkit.errors.OptionError, match="unknown critical 'float'; choose one of"):
        tpmkit.read(PLAN, critical="float")
    with pytest.raises(tpmkit.ValidationError, match="critical_float 'two'"):
        tpmkit.read(PLAN, critical_float="two")
    with pytest.raises(tpmkit.errors.OptionError, match="unknown critical"):
        tpmkit.schedule(tpmkit.read(PLAN), critical="longest")


def test_ms_project_xml_reads_and_writes_the_critical_slack_limit(tmp_path):
    parts = mspdi.read_parts(data_path("projectfiles", "mpxj", "mspdirelations.xml"))
    assert (parts["project"]["critical"], parts["project"]["critical_float"]) == \
        ("total_float", 0.0)
    p = tpmkit.read(PLAN, start=MON, critical="total_float", critical_float=3)
    path = tmp_path / "c.xml"
    tpmkit.write(p, path)
    assert "<CriticalSlackLimit>3</CriticalSlackLimit>" in path.read_text(encoding="utf-8")
    back = mspdi.read_parts(path)["project"]
    assert (back["critical"], back["critical_float"]) == ("total_float", 3.0)


def test_xer_reads_p6s_critical_definition(tmp_path):
    src = data_path("projectfiles", "mpxj", "PredecessorCalendar.xer")
    parts = xer.read_parts(src)
    assert (parts["project"]["critical"], parts["project"]["critical_float"]) == \
        ("total_float", 0.0)
    text = src.read_text(encoding="cp1252")
    lines = text.split("\n")
    head = next(k for k, line in enumerate(lines) if line.startswith("%F\tproj_id"))
    cols = lines[head].rstrip("\r").split("\t")
    row = lines[head + 1].rstrip("\r").split("\t")
    row[cols.index("critical_path_type")] = "CT_DrivPath"
    lines[head + 1] = "\t".join(row) + "\r"
    path = tmp_path / "lp.xer"
    path.write_text("\n".join(lines), encoding="cp1252")
    got = xer.read_parts(path)["project"]
    assert got["critical"] == "longest_path" and "critical_float" not in got
    row[cols.index("critical_path_type")] = "CT_TotFloat"
    hpd = parts["project"]["hours_per_day"]
    row[cols.index("critical_drtn_hr_cnt")] = str(2 * hpd)
    lines[head + 1] = "\t".join(row) + "\r"
    path.write_text("\n".join(lines), encoding="cp1252")
    assert xer.read_parts(path)["project"]["critical_float"] == pytest.approx(2.0)


def test_cli_schedule_says_the_rule():
    src = "sample:software_release"
    out = subprocess.run([sys.executable, "-m", "tpmkit", "schedule", src, "--critical",
                          "longest_path"], capture_output=True, text=True, check=True).stdout
    assert "critical = the longest path" in out
    out = subprocess.run([sys.executable, "-m", "tpmkit", "schedule", src, "--critical",
                          "total_float", "--critical-float", "3", "--json"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["tasks"]
    out = subprocess.run([sys.executable, "-m", "tpmkit", "schedule", src, "--critical",
                          "total_float", "--critical-float", "3"], capture_output=True, text=True,
                         check=True).stdout
    assert "critical = total float ≤ 3 d (the rule of MS Project and P6)" in out
