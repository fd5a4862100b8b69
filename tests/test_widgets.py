"""Tests of the workbench ``update()`` functions and their ipywidgets shells (no browser).

The scheduling stepper is pinned to Hendrickson's nine-activity example
(*Project Management for Construction*, 2nd ed., ch. 10, Table 10-2; published event times
0, 4, 12, 21, 24, 30 and a 30-day project). Tolerance: the published values are integers
and CPM is exact, so they must match exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tpmkit
from tests.conftest import load_case
from tpmkit.errors import OptionError, ValidationError
from tpmkit.widgets import scheduling

widgets = pytest.importorskip("ipywidgets")


@pytest.fixture(scope="module")
def nine():
    return tpmkit.read(pd.DataFrame({
        "id": list("ABCDEFGHI"), "duration": [4, 3, 8, 7, 9, 12, 2, 5, 6],
        "predecessors": ["", "", "A", "A", "B; C", "B; C", "D; E", "D; E", "F; G"]}))


@pytest.fixture(scope="module")
def published():
    case = load_case("hendrickson_nine_activity_cpm")
    return pd.DataFrame(case["expected"]["schedule_table"]["value"]).T


def test_stepper_fills_forward_then_backward_pass_with_published_values(nine, published):
    n = 9
    start = scheduling.stepper_update(nine, 0)
    assert start.tables["passes"].drop(columns="duration").isna().all().all()
    assert start.values["task"] is None and "Press Next" in start.text
    half = scheduling.stepper_update(nine, n)
    passes = half.tables["passes"]
    assert passes["early_start"].tolist() == published["ES"].tolist()
    assert passes["early_finish"].tolist() == published["EF"].tolist()
    assert passes["late_start"].isna().all() and half.values["phase"] == "forward"
    one_back = scheduling.stepper_update(nine, n + 1)
    assert one_back.values["task"] == "I" and one_back.values["phase"] == "backward"
    assert one_back.tables["passes"]["late_finish"].notna().sum() == 1
    done = scheduling.stepper_update(nine, 2 * n)
    passes = done.tables["passes"]
    for ours, theirs in [("late_start", "LS"), ("late_finish", "LF"), ("total_float", "TF")]:
        assert passes[ours].tolist() == published[theirs].tolist()
    assert done.values["complete"]
    assert "A → C → F → I" in done.text and "30 working days" in done.text
    fig = done.figures["network"]
    assert len(fig.axes) == 1 and len(fig.axes[0].patches) >= 9 + 12  # 9 nodes, 12 links


def test_stepper_each_step_reveals_exactly_one_task(nine):
    known = [scheduling.stepper_update(nine, k).tables["passes"].drop(columns="duration")
             .notna().sum().sum() for k in range(0, 19)]
    # two values per step; the last step adds the nine total floats
    assert np.diff(known).tolist() == [2] * 17 + [2 + 9]


def test_stepper_step_out_of_range_says_the_valid_range(nine):
    with pytest.raises(ValidationError, match="step 19 .*choose 0 … 18"):
        scheduling.stepper_update(nine, 19)


def test_network_layout_columns_follow_longest_chain(nine):
    lay = scheduling.network_layout(nine)
    assert lay["x"].to_dict() == {"A": 0, "B": 0, "C": 1, "D": 1, "E": 2, "F": 2, "G": 3,
                                  "H": 3, "I": 4}
    assert not lay.duplicated().any()


def test_whatif_noncritical_slip_within_float_keeps_finish(nine):
    # B has 9 days of total float (published table): +5 keeps 30, +12 pushes to 33.
    assert scheduling.whatif_update(nine, durations={"B": 8}).values["duration_after"] == 30
    view = scheduling.whatif_update(nine, durations={"B": 15})
    assert view.values["duration_before"] == 30 and view.values["duration_after"] == 33
    assert view.tables["change"].loc["B", "total_float_after"] == 0
    assert "30 → 33" in view.text and len(view.figures["gantt"].axes[0].patches) > 0


def test_whatif_lag_on_critical_link_adds_to_finish(nine):
    links = nine.links.reset_index(drop=True)
    row = int(links.index[(links["predecessor"] == "C") & (links["successor"] == "F")][0])
    view = scheduling.whatif_update(nine, lags={row: 2})
    assert view.values["duration_after"] == 32
    changed = scheduling.whatif_project(nine, lags={row: 2})
    assert (tpmkit.schedule(nine)["duration"] == tpmkit.schedule(changed)["duration"]).all()


def test_whatif_rejects_unknown_task_and_link(nine):
    with pytest.raises(ValidationError, match="unknown tasks: Z"):
        scheduling.whatif_project(nine, durations={"Z": 1})
    with pytest.raises(ValidationError, match="unknown link rows: 99"):
        scheduling.whatif_project(nine, lags={99: 1})


def test_pert_update_matches_pert_analyze():
    from tpmkit import pert

    p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "optimistic": [1, 2], "most_likely": [2, 3],
                                  "pessimistic": [9, 4], "predecessors": ["", "A"]}))
    view = scheduling.pert_update(p, 7)
    ref = pert.analyze(p, target=7)
    assert view.values["probability"] == ref.probability
    assert view.values["mean"] == ref.expected_duration and view.values["std"] == ref.std
    assert f"{ref.probability:.1%}" in view.text


def _find(box, kind, predicate=lambda w: True):
    found = []

    def walk(w):
        if isinstance(w, kind) and predicate(w):
            found.append(w)
        for child in getattr(w, "children", ()):
            walk(child)

    walk(box)
    return found


def test_stepper_ui_buttons_move_one_step(nine):
    ui = scheduling.build_ui(nine, "stepper")
    nxt = _find(ui, widgets.Button, lambda b: b.description.startswith("Next"))[0]
    prev = _find(ui, widgets.Button, lambda b: b.description.startswith("◀"))[0]
    text = _find(ui, widgets.HTML)[0]
    image = _find(ui, widgets.Image)[0]
    before = image.value
    assert prev.disabled
    nxt.click()
    assert "ES(A) = max(0) = 0" in text.value and image.value != before
    nxt.click()
    prev.click()
    assert "ES(A)" in text.value


def test_whatif_and_pert_ui_react_to_sliders(nine):
    ui = scheduling.build_ui(nine, "whatif")
    slider = _find(ui, widgets.FloatSlider, lambda s: s.description == "C")[0]
    assert not slider.continuous_update
    headline = _find(ui, widgets.HTML, lambda h: "Project duration" in h.value)[0]
    slider.value = 10.0
    assert "30 → 32" in headline.value
    p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "optimistic": [1, 2], "most_likely": [2, 3],
                                  "pessimistic": [9, 4], "predecessors": ["", "A"]}))
    ui = scheduling.build_ui(p, "pert")
    target = _find(ui, widgets.FloatSlider)[0]
    label = _find(ui, widgets.HTML, lambda h: "P(finish" in h.value)[0]
    old = label.value
    target.value = target.max
    assert label.value != old
    with pytest.raises(OptionError, match="choose one of: stepper, whatif, pert"):
        scheduling.build_ui(nine, "gantt")
