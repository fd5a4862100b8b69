"""Lesson 09 (updating the plan): the workbench of tpmkit.widgets.updating and the exercises of
tpmkit.course.updating, against forward passes worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

import tpmkit
from tpmkit import course
from tpmkit.errors import ValidationError
from tpmkit.widgets import updating

widgets = pytest.importorskip("ipywidgets")
EXACT = 1e-9


def test_example_plan_finishes_on_day_17():
    """A 5 → B 8 → D 4 → E; A → C 3 → E: critical path A, B, D, E = 17 working days."""
    s = tpmkit.schedule(updating.example_project())
    assert s.duration == 17.0 and list(s.critical_path) == ["A", "B", "D", "E"]


def test_progress_as_planned():
    p = updating.progress_as_planned(updating.example_project(), 7, {"B": 10})
    t = p.tasks
    assert p.status_date == pd.Timestamp("2027-01-12")        # the end of working day 7
    assert t.at["A", "actual_finish"] == pd.Timestamp("2027-01-08")
    assert t.at["B", "actual_start"] == pd.Timestamp("2027-01-11")
    assert pd.isna(t.at["B", "actual_finish"]) and pd.isna(t.at["D", "actual_start"])
    assert t.at["C", "percent_complete"] == pytest.approx(200 / 3)   # 2 of 3 days as planned
    with pytest.raises(ValidationError, match="unknown task"):
        updating.progress_as_planned(updating.example_project(), 7, {"Z": 10})
    with pytest.raises(ValidationError, match="0–100"):
        updating.progress_as_planned(updating.example_project(), 7, {"B": 120})


def test_update_hand_worked_forecast():
    """Day 7, B 10 %: B's remaining 8 × 0.9 = 7.2 d runs from day 7 → 14.2, D → 18.2."""
    v = updating.update(status_day=7, task="B", percent=10)
    assert v.values["finish"] == pytest.approx(18.2, abs=EXACT)
    assert v.values["slip"] == pytest.approx(1.2, abs=EXACT)
    t = v.tables["schedule"]
    assert t.at["B", "remaining_duration"] == pytest.approx(7.2, abs=EXACT)
    assert t.at["A", "status"] == "complete" and t.at["D", "status"] == "not_started"
    # a week later with no progress the finish moves by the five working days
    later = updating.update(status_day=12, task="B", percent=10)
    assert later.values["finish"] == pytest.approx(23.2, abs=EXACT)
    # C has 10 days of float: being behind there moves nothing
    assert updating.update(status_day=7, task="C", percent=10).values["slip"] == pytest.approx(0)
    ax = v.figures["gantt"].axes[0]
    assert any(str(p.get_gid()).startswith("actual:") for p in ax.patches)


def test_compare_progress_hand_worked():
    """Day 3, A 40 %, B 25 % (started out of sequence on day 3).

    Retained logic: A's remaining 3 d → 6, B's remaining 6 d waits for A → 12, D → 16.
    Progress override: B's remaining runs from day 3 → 9, D → 13; C (after A) → 9; E → 13.
    """
    v = updating.compare_progress(3, {"A": 40, "B": 25})
    f = v.tables["finish"]
    assert f["retained_logic"].tolist() == pytest.approx([6, 12, 9, 16, 16])
    assert f["progress_override"].tolist() == pytest.approx([6, 9, 9, 13, 13])
    assert v.values["finish"] == pytest.approx({"retained_logic": 16, "progress_override": 13})


def _find(box, kind):
    found = []

    def walk(w):
        if isinstance(w, kind):
            found.append(w)
        for child in getattr(w, "children", ()):
            walk(child)

    walk(box)
    return found


def test_ui_sliders_move_the_forecast():
    ui = updating.build_ui()
    pct = next(s for s in _find(ui, widgets.FloatSlider) if s.description == "% complete")
    day = _find(ui, widgets.IntSlider)[0]
    assert not pct.continuous_update and not day.continuous_update
    headline = next(h for h in _find(ui, widgets.HTML) if "Forecast finish" in h.value)
    image = _find(ui, widgets.Image)[0]
    before, png = headline.value, image.value
    assert "working day 18.2" in before
    pct.value = 50.0
    assert headline.value != before and image.value != png
    assert "working day 15" in headline.value          # 4 d left of B: 11, D → 15
    day.value = 12
    assert "Tue 19 Jan 2027" in headline.value


# --------------------------------------------------------------------------------------
# exercises
# --------------------------------------------------------------------------------------
def _oracle_finish(tasks: pd.DataFrame, status_day: float, override: bool = False) -> float:
    """Independent forward pass of the remaining work (FS links, one calendar).

    Complete tasks end where they ended; the remaining work of a started task begins at the
    status day (and, with retained logic, after its predecessors); others after their
    predecessors and not before the status day.
    """
    start = pd.Timestamp("2027-01-04")
    days = pd.bdate_range(start, periods=400)
    finish: dict[str, float] = {}
    for tid, row in tasks.iterrows():       # generated in topological order
        preds = [p for p in str(row["predecessors"]).split("; ") if p]
        after = max((finish[p] for p in preds), default=0.0)
        d = float(row["duration"])
        pc = float(row["percent_complete"])
        if pc >= 100:
            finish[tid] = float(days.get_loc(pd.Timestamp(row["actual_finish"]))) + 1
        elif pc > 0:
            begin = status_day if override else max(status_day, after)
            finish[tid] = begin + d * (1 - pc / 100)
        else:
            finish[tid] = max(status_day, after) + d
    return max(finish.values())


@pytest.mark.parametrize("variant", range(6))
def test_forecast_finish_exercise_matches_the_oracle(variant):
    ex = course.exercise("updating-forecast-finish", variant)
    d = ex.data
    want = _oracle_finish(d["tasks"], d["status_day"])
    fb = course.check("updating-forecast-finish", round(want, 2), variant=variant,
                      tutor=course.Tutor())
    assert fb.correct, fb.message
    assert not course.check("updating-forecast-finish", want + 1, variant=variant,
                            tutor=course.Tutor()).correct


@pytest.mark.parametrize("variant", range(4))
def test_retained_vs_override_exercise_matches_the_oracle(variant):
    ex = course.exercise("updating-retained-vs-override", variant)
    d = ex.data
    answer = (round(_oracle_finish(d["tasks"], d["status_day"]), 2),
              round(_oracle_finish(d["tasks"], d["status_day"], override=True), 2))
    assert answer[0] > answer[1]
    fb = course.check("updating-retained-vs-override", answer, variant=variant,
                      tutor=course.Tutor())
    assert fb.correct, fb.message


def test_lesson_09_is_in_the_catalogue():
    cat = course.exercises()
    ids = ["updating-forecast-finish", "updating-retained-vs-override"]
    assert (cat.loc[ids, "lesson"] == "09_updating_the_plan").all()
