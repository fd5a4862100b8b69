"""Tests of the lesson-07 exercises (tpmkit.course.agile) against independent computations.

The generic checks (right answer accepted, wrong rejected, variants differ) run for every
exercise in tests/test_course.py; here the expected answers are recomputed by hand from the
generated boards: nearest-rank percentiles of done − started + 1, CFD band counts by
counting dates, and the "when" recipe of the prompt.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tpmkit import agile, course

AGILE = ["agile-cycle-time-percentile", "agile-cfd-wip", "agile-when-forecast"]


def test_lesson_07_has_three_exercises_after_the_earlier_lessons():
    cat = course.exercises()
    ours = cat.index[cat["lesson"] == "07_agile"]
    assert list(ours) == AGILE
    earlier = cat["lesson"] < "07_agile"
    assert earlier.any() and cat.index.get_loc(AGILE[0]) > np.flatnonzero(earlier).max()


@pytest.mark.parametrize("variant", range(6))
def test_cycle_time_percentile_is_the_nearest_rank_of_done_minus_started(variant):
    ex = course.exercise("agile-cycle-time-percentile", variant)
    t = ex.data["items"]
    ct = np.sort(((t["done"] - t["started"]).dt.days + 1).to_numpy(float))
    rank = int(np.ceil(ex.data["percentile"] / 100 * len(ct)))
    assert course.check("agile-cycle-time-percentile", float(ct[rank - 1]), variant=variant,
                        tutor=course.Tutor()).correct


@pytest.mark.parametrize("variant", range(6))
def test_cfd_bands_count_starts_on_or_before_and_completions_before_the_day(variant):
    ex = course.exercise("agile-cfd-wip", variant)
    t, day = ex.data["items"], ex.data["day"]
    created = int((t["created"] <= day).sum())
    started = int((t["started"] <= day).sum())
    done = int((t["done"] < day).sum())  # in progress on its done day (inclusive cycle time)
    answer = (created - started, started - done, done)
    assert course.check("agile-cfd-wip", answer, variant=variant, tutor=course.Tutor()).correct
    wrong = (created - started, started - done + 1, done)
    assert not course.check("agile-cfd-wip", wrong, variant=variant, tutor=course.Tutor()).correct


@pytest.mark.parametrize("variant", range(3))
def test_when_forecast_follows_the_prompt_recipe(variant):
    ex = course.exercise("agile-when-forecast", variant)
    d = ex.data
    board = agile.items(d["items"], now=d["now"])
    fc = agile.when(board, d["n_items"], trials=d["trials"], rng=d["seed"])
    answer = int(fc.table.loc[f"P{d['percentile']}", "periods"])
    assert course.check("agile-when-forecast", answer, variant=variant,
                        tutor=course.Tutor()).correct
    assert not course.check("agile-when-forecast", answer + 5, variant=variant,
                            tutor=course.Tutor()).correct


def test_unanswered_agile_exercise_gets_a_message_not_an_error():
    tutor = course.Tutor()
    fb = tutor.check("agile-cfd-wip", None, variant=0)
    assert not fb.correct and fb.message
    right = course.solution("agile-cfd-wip", 0)
    assert "WIP" in right and isinstance(course.exercise("agile-cfd-wip", 0).data["day"],
                                         pd.Timestamp)
