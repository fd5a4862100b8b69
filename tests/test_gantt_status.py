"""The Gantt chart of a status-dated schedule: status line, actual part, remaining part,
baseline and slip (Agg backend)."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

import tpmkit
from tpmkit import plot
from tpmkit.errors import TpmkitWarning

matplotlib.use("Agg")


def _ax():
    return Figure(figsize=(8, 5)).subplots()


def _gids(ax, prefix):
    return {p.get_gid()[len(prefix):]: p for p in ax.patches
            if str(p.get_gid()).startswith(prefix)}


def _status_x(ax):
    return next(ln for ln in ax.lines if ln.get_gid() == "status_date").get_xdata()[0]


@pytest.fixture
def progressed():
    """A done (5 d), B in progress (started day 5, 2 of 6 days left after the status date),
    C not started: status date 2027-01-13 (end of day 8)."""
    t = pd.DataFrame({
        "id": ["A", "B", "C"], "name": ["Spec", "Build", "Test"], "duration": [5, 6, 3],
        "predecessors": ["", "A", "B"],
        "baseline_start": ["2027-01-04", "2027-01-11", "2027-01-19"],
        "baseline_finish": ["2027-01-08", "2027-01-18", "2027-01-21"],
        "actual_start": ["2027-01-04", "2027-01-11", None],
        "actual_finish": ["2027-01-08", None, None],
        "percent_complete": [100, 50, 0], "remaining_duration": [0, 5, 3]})
    return tpmkit.read(t, start="2027-01-04", status_date="2027-01-13")


def test_status_dated_gantt_parts(progressed):
    s = tpmkit.schedule(progressed)
    assert s.status_date is not None
    ax = plot.gantt(s, progressed, ax=_ax())
    xs = _status_x(ax)
    actual, bars, slips = _gids(ax, "actual:"), _gids(ax, "bar:"), _gids(ax, "slip:")
    assert set(actual) == {"A", "B"}              # started work has an actual part
    assert set(bars) == {"B", "C"}                # remaining work of incomplete tasks
    # B: actual from its actual start to the status line, remaining from there on
    assert actual["B"].get_x() + actual["B"].get_width() == pytest.approx(xs)
    assert bars["B"].get_x() == pytest.approx(xs)
    finish_b = matplotlib.dates.date2num(s.table.at["B", "forecast_finish_date"]) + 1
    assert bars["B"].get_x() + bars["B"].get_width() == pytest.approx(finish_b)
    # A finished on its baseline: no slip; B (5 days left after day 8) and C slip
    assert set(slips) == {"B", "C"}
    base_b = matplotlib.dates.date2num(pd.Timestamp("2027-01-18")) + 1
    assert slips["B"].get_x() == pytest.approx(base_b)
    assert slips["B"].get_x() + slips["B"].get_width() == pytest.approx(finish_b)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"actual", "baseline", "slip vs baseline"} <= set(labels)


def test_status_dated_gantt_in_offsets(progressed):
    s = tpmkit.schedule(progressed)
    ax = plot.gantt(s, progressed, time="offsets", ax=_ax())
    bars = _gids(ax, "bar:")
    assert bars["B"].get_x() == pytest.approx(8.0)          # the end of the status day
    assert _status_x(ax) == pytest.approx(8.0)


def test_plain_schedule_is_drawn_as_before(progressed):
    """Without a status date (status_date=False) there is no actual part and no slip."""
    s = tpmkit.schedule(progressed, status_date=False)
    ax = plot.gantt(s, progressed, ax=_ax())
    assert not _gids(ax, "actual:") and set(_gids(ax, "bar:")) == {"A", "B", "C"}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 100)), min_size=2, max_size=7),
       st.integers(0, 25))
def test_forecast_bars_never_start_left_of_the_status_line(spec, status_day):
    """Property: in a status-dated Gantt every bar of remaining work starts at or after the
    status line (a chain of tasks with random progress and status dates)."""
    n = len(spec)
    ids = [f"T{k}" for k in range(n)]
    start = pd.Timestamp("2027-01-04")
    t = pd.DataFrame({"id": ids, "duration": [d for d, _ in spec],
                      "predecessors": [""] + ids[:-1],
                      "percent_complete": [pc for _, pc in spec]})
    status = pd.Timestamp(np.busday_offset(np.datetime64("2027-01-04"), status_day))
    # tasks with progress started on the first day (actual dates before the status date)
    t["actual_start"] = np.where(t["percent_complete"] > 0, str(start.date()), None)
    with warnings.catch_warnings():
        # 100 % without an actual finish: the model assumes one and says so
        warnings.simplefilter("ignore", TpmkitWarning)
        p = tpmkit.read(t, start=start, status_date=status)
        s = tpmkit.schedule(p)
    ax = plot.gantt(s, p, ax=_ax())
    xs = _status_x(ax)
    for tid, bar in _gids(ax, "bar:").items():
        assert bar.get_x() >= xs - 1e-9, tid
