"""Tests of tpmkit.course: every exercise accepts its right answer and rejects wrong ones.

The expected answers come from the tpmkit functions the lessons teach; these tests check
them against independent textbook formulas (PERT, EVM, earned schedule, WBS roll-up, RACI,
EMV, CPM forward pass) computed here from the generated data.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tpmkit import course
from tpmkit.course._authoring import REGISTRY
from tpmkit.course.scheduling import _schedule_of
from tpmkit.course.tutor import _data
from tpmkit.errors import OptionError, ValidationError

IDS = list(course.exercises().index)


def _expected(exercise_id: str, variant: int):
    spec = REGISTRY[exercise_id]
    data = _data(spec, variant)
    return data, spec.solve(data)


def _learner_answer(expected):
    """The expected answer as a learner types it: numbers rounded to two decimals."""
    if isinstance(expected, pd.DataFrame):
        return {i: tuple(round(float(v), 2) for v in row)
                for i, row in zip(expected.index, expected.itertuples(index=False))}
    if isinstance(expected, list) and expected and isinstance(expected[0], str):
        return list(expected)
    out = [round(v, 2) if isinstance(v, float) else v for v in expected]
    return out[0] if len(out) == 1 else tuple(out)


def _wrong_answer(expected):
    if isinstance(expected, pd.DataFrame):
        ans = _learner_answer(expected)
        first = next(iter(ans))
        ans[first] = tuple(v + 1 for v in ans[first])
        return ans
    if isinstance(expected, list) and expected and isinstance(expected[0], str):
        return expected[:-1]
    out = [v * 1.5 + 1 if isinstance(v, float) else v for v in expected]
    return out[0] if len(out) == 1 else tuple(out)


def test_catalogue_covers_every_lesson_with_three_or_more_exercises():
    counts = course.exercises()["lesson"].value_counts()
    for lesson in ["01_scoping", "02_estimation", "03_scheduling", "04_risk", "05_earned_value",
                   "06_resources"]:
        assert counts[lesson] >= 3, lesson


@pytest.mark.parametrize("exercise_id", IDS)
def test_right_answer_accepted_wrong_rejected_with_hint_then_solution(exercise_id):
    tutor = course.Tutor()
    _, expected = _expected(exercise_id, 1)
    wrong = tutor.check(exercise_id, _wrong_answer(expected), variant=1)
    assert not wrong.correct and not bool(wrong)
    assert wrong.message and wrong.hint == REGISTRY[exercise_id].hint
    assert "course.solution(" in str(wrong)
    again = tutor.check(exercise_id, _wrong_answer(expected), variant=1, show_solution=True)
    assert again.attempts == 2 and "attempt 2" in again.hint and again.solution
    right = tutor.check(exercise_id, _learner_answer(expected), variant=1)
    assert right.correct and right.hint == "" and "Right" in str(right)
    assert course.solution(exercise_id, 1) == again.solution


@pytest.mark.parametrize("exercise_id", IDS)
def test_variants_are_reproducible_and_differ(exercise_id):
    a = course.exercise(exercise_id, 4)
    b = course.exercise(exercise_id, 4)
    assert a.prompt == b.prompt and str(a) == str(b)
    prompts = {course.exercise(exercise_id, v).prompt
               + repr({k: v for k, v in course.exercise(exercise_id, v).data.items()
                       if k != "project"}) for v in range(4)}
    assert len(prompts) > 1
    assert exercise_id in a._repr_html_()


def test_bad_exercise_and_variant_errors_name_the_fix():
    with pytest.raises(OptionError, match="unknown exercise 'cpm-fwd'.*cpm-forward-pass"):
        course.check("cpm-fwd", 1)
    with pytest.raises(ValidationError, match="variant -1 .*variant=0, 1, 2"):
        course.exercise("cpm-forward-pass", -1)
    with pytest.raises(OptionError, match="unknown lesson '07'"):
        course.exercises("07")


def test_wrong_answer_message_names_the_wrong_tasks():
    data, expected = _expected("cpm-forward-pass", 2)
    answer = _learner_answer(expected)
    bad = list(answer)[-2:]
    for task in bad:
        answer[task] = (answer[task][0] + 3, answer[task][1] + 3)
    fb = course.check("cpm-forward-pass", answer, variant=2, tutor=course.Tutor())
    assert f"wrong value(s) for {bad[0]}, {bad[1]}" in fb.message
    del answer[bad[0]]
    fb = course.check("cpm-forward-pass", answer, variant=2, tutor=course.Tutor())
    assert f"missing task(s) {bad[0]}" in fb.message
    fb = course.check("cpm-forward-pass", [1, 2], variant=2, tutor=course.Tutor())
    assert "expected a dict" in fb.message


def _forward_oracle(tasks: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Independent PDM forward pass over the typed predecessor text (FS/SS/FF + lag)."""
    es: dict[str, float] = {}
    ef: dict[str, float] = {}
    for tid, row in tasks.iterrows():  # generated in topological (input) order
        d = float(row["duration"])
        start = 0.0
        for token in filter(None, str(row["predecessors"]).split("; ")):
            parts = token.split()
            pred, kind, lag = parts[0], "FS", 0.0
            if len(parts) == 2:
                kind, lag = parts[1][:2], float(parts[1][2:])
            start = max(start, {"FS": ef.get(pred, 0) + lag, "SS": es.get(pred, 0) + lag,
                                "FF": ef.get(pred, 0) + lag - d}[kind])
        es[tid], ef[tid] = start, start + d
    return {k: (es[k], ef[k]) for k in es}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variant=st.integers(0, 10_000))
def test_cpm_forward_pass_matches_independent_oracle(variant):
    data, expected = _expected("cpm-forward-pass", variant)
    oracle = _forward_oracle(data["tasks"])
    assert course.check("cpm-forward-pass", oracle, variant=variant, tutor=course.Tutor())
    crit = REGISTRY["critical-path"].solve(data)
    table = _schedule_of(data)
    # Critical tasks have zero float and the project finish equals the largest EF.
    assert (table.table.loc[crit, "total_float"].abs() < 1e-9).all()
    assert max(v[1] for v in oracle.values()) == table.duration


@settings(max_examples=6, deadline=None)
@given(variant=st.integers(0, 10_000))
def test_formula_exercises_match_textbook_formulas(variant):
    d, e = _expected("three-point-estimate", variant)
    o, m, p = d["optimistic"], d["most_likely"], d["pessimistic"]
    assert e == pytest.approx([(o + 4 * m + p) / 6, (p - o) / 6], rel=1e-12)

    d, e = _expected("evm-indices", variant)
    row = d["periods"].loc[d["status_period"]]
    assert e == pytest.approx([row.ev / row.ac, row.ev / row.pv], rel=1e-12)
    d, e = _expected("evm-eac", variant)
    row = d["periods"].loc[d["status_period"]]
    cpi, spi = row.ev / row.ac, row.ev / row.pv
    assert e == pytest.approx([d["bac"] / cpi, row.ac + (d["bac"] - row.ev) / (cpi * spi)],
                              rel=1e-12)
    d, e = _expected("earned-schedule", variant)
    pv = np.r_[0.0, d["periods"]["pv"].to_numpy()]
    ev = d["periods"].loc[d["status_period"], "ev"]
    c = int(np.searchsorted(pv, ev, side="right")) - 1   # Lipke (2003): last PV_C ≤ EV
    es = c + (ev - pv[c]) / (pv[c + 1] - pv[c])
    assert e == pytest.approx([es, es / d["status_period"]], rel=1e-12)

    d, e = _expected("wbs-rollup", variant)
    wp = d["work_packages"]
    assert e[0] == pytest.approx(wp.loc[[w.startswith(d["node"] + ".") for w in wp.index],
                                        "cost"].sum())

    d, e = _expected("raci-check", variant)
    m = d["raci"]
    broken = [t for t, r in m.iterrows() if (r == "A").sum() != 1 or not r.str.contains("R").any()]
    assert sorted(e) == sorted(broken) and broken

    d, e = _expected("risk-emv", variant)
    reg = d["register"]
    pts = np.array([[float(x) for x in s.split(",")] for s in reg["impact_days"]])
    emv = reg["probability"].to_numpy() * (pts[:, 0] + 4 * pts[:, 1] + pts[:, 2]) / 6
    assert e[0] == pytest.approx(emv.sum(), rel=1e-12)
    assert e[1] == reg.index[int(np.argmax(emv))]


def test_cpm_steps_reproduce_hendrickson_published_event_times():
    """Hendrickson, *Project Management for Construction*, ch. 10, Table 10-2: E = 0, 4, 12, 21,
    24, 30 and the published max() steps, e.g. E2 = max(0 + 3, 4 + 8) = 12."""
    import tpmkit

    p = tpmkit.read(pd.DataFrame({
        "id": list("ABCDEFGHI"), "duration": [4, 3, 8, 7, 9, 12, 2, 5, 6],
        "predecessors": ["", "", "A", "A", "B; C", "B; C", "D; E", "D; E", "F; G"]}))
    steps = course.cpm_steps(p).set_index(["phase", "task"])
    fwd = steps.loc["forward"]
    assert fwd.loc["E", "explanation"].startswith("ES(E) = max(0, EF(B) = 3, EF(C) = 12) = 12")
    assert fwd.loc["G", "explanation"].startswith("ES(G) = max(0, EF(D) = 11, EF(E) = 21) = 21")
    assert fwd.loc["I", "driver"] == "F" and fwd.loc["I", "value_finish"] == 30
    bwd = steps.loc["backward"]
    assert bwd.loc["D", "explanation"].startswith("LF(D) = min(T = 30, LS(G) = 22, LS(H) = 25)")
    assert bwd.loc["B", "value_start"] == 9 and bwd.loc["B", "driver"] == "F"


def test_an_unanswered_exercise_says_what_to_do_and_counts_nothing():
    """Run All on a lesson: the placeholder None is no miss (no ✘, no hint, no attempt)."""
    tutor = course.Tutor()
    for exercise_id in IDS:
        for placeholder in (None, ..., ""):
            fb = tutor.check(exercise_id, placeholder, variant=0)
            assert not fb.answered and not fb.correct and not fb.hint, exercise_id
            assert "Not answered yet" in fb.message and "replace None" in fb.message
            assert "✘" not in str(fb) and "got None" not in str(fb) and fb.attempts == 0
            assert "Show the worked solution" not in fb._repr_html_()
    assert tutor.attempts == {}
    data, expected = _expected("evm-indices", 0)
    first = tutor.check("evm-indices", _learner_answer(expected), variant=0)
    assert first.correct and first.attempts == 1 and "attempt" not in str(first)


def test_a_miss_offers_the_worked_solution_fold():
    fb = course.check("evm-indices", (9, 9), variant=1, tutor=course.Tutor())
    page = fb._repr_html_()
    assert not fb.correct and "<details>" in page and "Show the worked solution" in page
    assert html.escape(course.solution("evm-indices", 1)) in page
    right = course.check("evm-indices", _learner_answer(_expected("evm-indices", 1)[1]),
                         variant=1, tutor=course.Tutor())
    assert "<details>" not in right._repr_html_()


@pytest.mark.parametrize("exercise_id", ["pert-probability", "merge-bias",
                                         "deterministic-confidence"])
def test_a_probability_typed_as_a_percentage_is_accepted_with_a_units_note(exercise_id):
    _, expected = _expected(exercise_id, 4)
    p = float(expected[0])
    fb = course.check(exercise_id, round(100 * p, 1), variant=4, tutor=course.Tutor())
    assert fb.correct and "%" in fb.note and f"{round(100 * p, 1) / 100:g}" in fb.note
    assert "Note:" in str(fb)
    plain = course.check(exercise_id, round(p, 3), variant=4, tutor=course.Tutor())
    assert plain.correct and plain.note == ""
    # a number that is no percentage of the answer stays wrong
    assert not course.check(exercise_id, 100 * p + 7, variant=4, tutor=course.Tutor()).correct


def test_backward_pass_uses_the_forward_pass_network():
    for variant in (0, 1, 5):
        fwd = course.exercise("cpm-forward-pass", variant).data["tasks"]
        bwd = course.exercise("cpm-backward-pass", variant).data["tasks"]
        pd.testing.assert_frame_equal(fwd, bwd)
        assert "same network" in course.exercise("cpm-backward-pass", variant).prompt


@settings(max_examples=6, deadline=None)
@given(variant=st.integers(0, 10_000))
def test_risk_and_resource_exercises_match_independent_computations(variant):
    from scipy import stats

    d, e = _expected("merge-bias", variant)
    o, m, p = d["optimistic"], d["most_likely"], d["pessimistic"]
    q = stats.norm.cdf((d["target"] - (o + 4 * m + p) / 6) / ((p - o) / 6))
    assert e[0] == pytest.approx(q ** d["paths"], rel=1e-9)

    d, e = _expected("resource-peak", variant)
    table = _schedule_of(d)
    units = d["tasks"]["resources"].str.extract(r"^(\w+):(\d+)$")
    horizon = int(table.table["early_finish"].max())
    dev = np.zeros(horizon)
    for tid, row in table.table.iterrows():
        if units.loc[tid, 0] == "dev":
            dev[int(row.early_start):int(row.early_finish)] += float(units.loc[tid, 1])
    assert e == [dev.max(), float(np.argmax(dev))]
    d, e = _expected("overallocated-days", variant)
    table = _schedule_of(d)
    units = d["tasks"]["resources"].str.extract(r"^(\w+):(\d+)$")
    dev = np.zeros(int(table.table["early_finish"].max()))
    for tid, row in table.table.iterrows():
        if units.loc[tid, 0] == "dev":
            dev[int(row.early_start):int(row.early_finish)] += float(units.loc[tid, 1])
    assert e == [float((dev > 2).sum())]

    d, e = _expected("dcma-logic", variant)
    tasks = d["tasks"]
    has_pred = {t for t, text in tasks["predecessors"].items() if text}
    has_succ = {tok.split()[0] for text in tasks["predecessors"] for tok in text.split("; ")
                if tok}
    assert sorted(e) == sorted(t for t in tasks.index if t not in has_pred or t not in has_succ)


def test_prompt_recipes_reproduce_the_expected_answer():
    """Following the prompt (same call, same seed) must give an accepted answer."""
    from tpmkit import estimate, risk

    ex = course.exercise("monte-carlo-p80", 3)
    res = risk.simulate(ex.data["project"], ex.data["iterations"], rng=ex.data["seed"])
    assert course.check("monte-carlo-p80", round(float(res.percentile(80)), 2), variant=3,
                          tutor=course.Tutor())
    assert course.check("deterministic-confidence", 0.0, variant=3,
                          tutor=course.Tutor()).correct is False
    ex = course.exercise("throughput-forecast", 3)
    d = ex.data
    fc = estimate.throughput_forecast(d["history"], remaining=d["remaining"], trials=10_000,
                                      confidence=(85,), rng=d["seed"])
    assert course.check("throughput-forecast", int(fc.table.loc["P85", "periods_needed"]),
                          variant=3, tutor=course.Tutor())
