"""Tests of the quality workbenches (tpmkit.widgets.quality) and the lesson-08 exercises
(tpmkit.course.quality) against independent computations."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import numpy as np
import pandas as pd
import pytest

import tpmkit
from tpmkit import course
from tpmkit.errors import OptionError, ValidationError
from tpmkit.widgets import quality as bench

matplotlib.use("Agg")

EXERCISES = ["quality-c-chart-limits", "quality-removal-efficiency", "quality-change-impact"]


def test_sample_series_is_in_control_and_a_spike_fires_rule_1():
    s = bench.sample_series()
    assert len(s) == 10 and s.index[0] == "08 Jan"
    v = bench.update()
    cbar = s.mean()
    assert v.values["centre"] == pytest.approx(cbar)
    assert v.values["ucl"] == pytest.approx(cbar + 3 * np.sqrt(cbar))
    assert v.values["out_of_control"] == []
    spike = bench.update(add=[np.ceil(cbar + 3 * np.sqrt(cbar)) + 1])
    assert spike.values["out_of_control"] == ["new 1"] and spike.values["rules_fired"] == [1]
    assert spike.figures["control"].axes and len(spike.tables["hits"]) == 1


def test_run_of_nine_fires_rule_2_and_phase_resets_limits():
    base = [5, 6, 5, 4, 6, 5, 4, 5, 6, 4]
    v = bench.update(base, add=[6] * 9, chart="xmr")
    assert 2 in v.values["rules_fired"]
    phased = bench.update(base, add=[6] * 9, chart="xmr", phase_from=10)
    assert 2 not in phased.values["rules_fired"]  # the run is the new phase's own level
    with pytest.raises(ValidationError, match="phase_from 1 must leave at least two points"):
        bench.update(base, phase_from=1)
    with pytest.raises(OptionError, match="chart"):
        bench.update(base, chart="p")


def test_build_ui_add_undo_reset():
    ui = bench.build_ui([3, 4, 3, 5, 4, 3, 4, 5, 4, 3])
    assert isinstance(ui, widgets.HBox) and "tpmkit-control-chart" in ui._dom_classes
    controls, output = ui.children
    kind, rules, value, add, undo, reset = controls.children
    headline, img, hits, status = output.children
    assert img.value[:4] == b"\x89PNG" and "No rule fired" in hits.value and status.value == ""
    before = img.value
    value.value = 20.0
    add.click()
    assert "new 1" in headline.value and "new 1" in hits.value
    assert img.value != before
    undo.click()
    assert "out of control: none" in headline.value
    add.click()
    add.click()
    reset.click()
    assert headline.value.startswith("<b>10 points")


def test_impact_view_matches_change_control():
    p = tpmkit.datasets.load("software_release")
    v = bench.impact_view(p, task="DV7", duration=3, cost=500, iterations=200, seed=3)
    r = tpmkit.change_control.impact(p, [
        {"change": "w", "action": "duration", "task": "DV7", "duration": 3},
        {"change": "w", "action": "cost", "task": "DV7", "cost": 500}], iterations=200, rng=3)
    assert v.tables["impact"].equals(r.table)
    assert v.values["cost"] == 500 + 3 * p.tasks.loc["DV7", "rate"]
    assert "slip" in v.figures or v.values["duration"] == 0
    nothing = bench.impact_view(p, iterations=50)
    assert nothing.values["duration"] == 0 and nothing.figures == {}


def test_build_impact_ui_runs():
    p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3],
                                  "predecessors": ["", "A"]}), start="2027-01-04")
    ui = bench.build_impact_ui(p, iterations=50)
    controls, output = ui.children
    task, dur, cost, run = controls.children
    headline = output.children[0]
    dur.value = 2
    run.click()
    assert "duration +2 d" in headline.value


# --------------------------------------------------------------------------- exercises
def test_lesson_08_has_three_exercises():
    cat = course.exercises("08_quality_and_closure")
    assert list(cat.index) == EXERCISES


@pytest.mark.parametrize("variant", range(4))
def test_c_chart_exercise_independent(variant):
    counts = course.exercise("quality-c-chart-limits", variant).data["counts"]
    c = float(np.mean(counts))
    answer = (c, max(0.0, c - 3 * np.sqrt(c)), c + 3 * np.sqrt(c))
    assert course.check("quality-c-chart-limits", answer, variant=variant,
                        tutor=course.Tutor()).correct
    assert not course.check("quality-c-chart-limits", (c, 0, c + 2 * np.sqrt(c)),
                            variant=variant, tutor=course.Tutor()).correct


@pytest.mark.parametrize("variant", range(4))
def test_dre_exercise_independent(variant):
    found = course.exercise("quality-removal-efficiency", variant).data["found"]
    total = sum(found.values())
    dre = (total - found["production"]) / total * 100
    assert course.check("quality-removal-efficiency", dre, variant=variant,
                        tutor=course.Tutor()).correct


@pytest.mark.parametrize("variant", range(4))
def test_change_impact_exercise_independent(variant):
    d = course.exercise("quality-change-impact", variant).data
    s = tpmkit.schedule(tpmkit.read(d["tasks"])).table
    expected = max(0.0, d["delta"] - s.loc[d["task"], "total_float"])
    assert course.check("quality-change-impact", expected, variant=variant,
                        tutor=course.Tutor()).correct
    assert "total float TF" in course.solution("quality-change-impact", variant)
