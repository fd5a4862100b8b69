"""As late as possible (ALAP): MS Project's rule (late dates, successors follow) and P6's
(zero free float), checked on hand-worked plans, on calendars, with progress, through the
readers and writers, and against a plain reference on random PDM networks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit.io import xer
from tpmkit.risk import simulate

MON = "2027-01-04"

# S (milestone) starts A (2 d, ALAP) → B (3 d), C (10 d) and D (1 d, ALAP); E (milestone)
# follows B, C and D. The early schedule finishes at 10 (C). Worked by hand:
#   late dates: LF(B) = 10, LS(B) = 7, so LF(A) = 7 and LS(A) = 5; LS(D) = 9.
#   MS Project: A takes 5–7 and pushes B to 7–10 (B loses its 5 days of float; A and B
#   critical); D takes 9–10. The late dates are those of the ASAP schedule.
#   P6: A keeps no free float — B's early start 2 is A's latest finish, so A stays 0–2;
#   D (free float 9) moves to 9–10; nothing else moves.
PLAN = pd.DataFrame({"id": list("SABCDE"), "duration": [0, 2, 3, 10, 1, 0],
                     "predecessors": ["", "S", "A", "S", "S", "B;C;D"],
                     "constraint": ["", "ALAP", "", "", "ALAP", ""]})


def _sched(rule: str | None = None, table: pd.DataFrame = PLAN, **settings):
    if rule is not None:
        settings["alap"] = rule
    return tpmkit.schedule(tpmkit.read(table, start=MON, **settings)).table


def test_ms_project_rule_takes_the_late_dates_and_moves_the_successors():
    t = _sched("late_dates")
    assert t["early_start"].tolist() == [0, 5, 7, 0, 9, 10]
    assert t["early_finish"].tolist() == [0, 7, 10, 10, 10, 10]
    assert t["late_start"].tolist() == [0, 5, 7, 0, 9, 10]
    assert t["total_float"].tolist() == [0, 0, 0, 0, 0, 0]
    assert t.loc["A", "driven_by"] == "constraint" and t.loc["D", "driven_by"] == "constraint"
    assert t.loc["B", "driving_predecessor"] == "A"
    assert str(t.loc["A", "early_start_date"].date()) == "2027-01-11"  # Mon + 5 working days
    assert str(t.loc["B", "early_finish_date"].date()) == "2027-01-15"


def test_the_ms_project_rule_is_the_default():
    assert _sched()["early_start"].tolist() == _sched("late_dates")["early_start"].tolist()


def test_p6_rule_keeps_zero_free_float_and_moves_no_successor():
    t = _sched("zero_free_float")
    assert t["early_start"].tolist() == [0, 0, 2, 0, 9, 10]
    assert t["free_float"].tolist() == [0, 0, 5, 0, 0, 0]
    assert t["total_float"].tolist() == [0, 5, 5, 0, 0, 0]
    assert t.loc["D", "driven_by"] == "constraint" and t.loc["A", "driven_by"] == "link"


def test_p6_alap_chain_and_a_task_without_successors():
    """X (2 d, ALAP) → Y (3 d, ALAP) → Z (1 d); W (12 d) sets the finish at 12; V (4 d,
    ALAP) has no successor. P6: Z has no free float to give (its early start 5 is fixed, it
    is not ALAP), so Y may finish at 5 → stays 2–5, and X at 2 → stays 0–2. V finishes at
    the early project finish: 8–12. MS Project: LS(Z) = 11, Y 8–11, X 6–8, Z pushed to
    11–12; V 8–12."""
    t = pd.DataFrame({"id": list("XYZWV"), "duration": [2, 3, 1, 12, 4],
                      "predecessors": ["", "X", "Y", "", ""],
                      "constraint": ["ALAP", "ALAP", "", "", "ALAP"]})
    p6 = _sched("zero_free_float", t)
    assert p6["early_start"].tolist() == [0, 2, 5, 0, 8]
    ms = _sched("late_dates", t)
    assert ms["early_start"].tolist() == [6, 8, 11, 0, 8]
    # ... and when Z is ALAP too, P6 moves the whole chain to the end: Z 11–12, Y 8–11, X 6–8
    t.loc[2, "constraint"] = "ALAP"
    assert _sched("zero_free_float", t)["early_start"].tolist() == [6, 8, 11, 0, 8]


def test_pdm_links_into_and_out_of_an_alap_task():
    """A (4 d) SS+1 → B (2 d, ALAP) FF+1 → C (3 d); D (9 d) ends the project with C.
    ASAP: B 1–3, C 1–4 (FF: EF(C) ≥ 3 + 1). Late: LF(C) = 9, LF(B) = 8, LS(B) = 6.
    MS Project: B 6–8, C finishes ≥ 9 → 6–9. P6: C's early finish 4 allows B to finish 3:
    B stays."""
    t = pd.DataFrame({"id": list("ABCD"), "duration": [4, 2, 3, 9],
                      "predecessors": ["", "A SS+1", "B FF+1", ""],
                      "constraint": ["", "ALAP", "", ""]})
    ms = _sched("late_dates", t)
    assert ms["early_start"].tolist() == [0, 6, 6, 0] and ms["early_finish"].tolist() == [4, 8, 9, 9]
    p6 = _sched("zero_free_float", t)
    assert p6["early_start"].tolist() == [0, 1, 1, 0]


def test_alap_on_a_task_calendar_with_working_hours():
    """A (1 d = 10 h, ALAP) on a Mon–Thu 07:00–17:00 calendar precedes C (1 d, standard,
    08–17 with lunch); B (5 d, standard) runs the week to Fri 8 Jan 17:00. C's latest start
    is Fri 08:00; A's calendar does not work Fridays, so its latest finish is Thu 7 Jan 17:00
    and it starts Thu 07:00 (MS Project's rule). P6's rule: ASAP, A runs from the project
    start Mon 08:00 to Tue 08:00 and C starts then: A has no free float and stays."""
    four = {"workweek": "Mon Tue Wed Thu", "working_times": {
        d: ["07:00-17:00"] for d in ("Mon", "Tue", "Wed", "Thu")}}
    std = {d: ["08:00-12:00", "13:00-17:00"] for d in ("Mon", "Tue", "Wed", "Thu", "Fri")}
    t = pd.DataFrame({"id": list("ABC"), "duration": [1, 5, 1], "predecessors": ["", "", "A"],
                      "constraint": ["ALAP", "", ""], "calendar": ["four", "", ""]})
    p = tpmkit.read(t, start=MON, calendars={"four": four},
                    calendar={"working_times": std})
    ms = tpmkit.schedule(p).table
    assert ms.loc["A", "early_start_date"] == pd.Timestamp("2027-01-07 07:00")
    assert ms.loc["A", "early_finish_date"] == pd.Timestamp("2027-01-07 17:00")
    assert ms.loc["C", "early_start_date"] == pd.Timestamp("2027-01-08 08:00")
    assert ms.loc["A", "total_float"] == 0
    p6 = tpmkit.schedule(p.replace(alap="zero_free_float")).table
    assert p6.loc["A", "early_start_date"] == pd.Timestamp("2027-01-04 08:00")
    assert p6.loc["A", "early_finish_date"] == pd.Timestamp("2027-01-05 08:00")
    assert p6.loc["C", "early_start_date"] == pd.Timestamp("2027-01-05 08:00")
    # C also waits for D (3 d, standard: Mon–Wed), so C's early start is Thu 08:00, and
    # P6 moves A to finish then: the 10 h before Thu 08:00 on A's calendar are Wed 08:00–17:00
    # and Thu 07:00–08:00
    t2 = pd.concat([t, pd.DataFrame({"id": ["D"], "duration": [3], "predecessors": [""],
                                     "constraint": [""], "calendar": [""]})],
                   ignore_index=True)
    t2.loc[2, "predecessors"] = "A;D"
    p6 = tpmkit.schedule(tpmkit.read(t2, start=MON, calendars={"four": four},
                                     calendar={"working_times": std},
                                     alap="zero_free_float")).table
    assert p6.loc["A", "early_start_date"] == pd.Timestamp("2027-01-06 08:00")
    assert p6.loc["A", "early_finish_date"] == pd.Timestamp("2027-01-07 08:00")
    assert p6.loc["C", "early_start_date"] == pd.Timestamp("2027-01-07 08:00")
    assert p6.loc["A", "free_float"] == 0


def test_a_started_alap_task_keeps_its_progress():
    """At the status date (end of Tue 5 Jan) A (ALAP, 2 d) has started: it is forecast from
    its progress, not moved; D (ALAP, not started) still moves to its late dates."""
    t = PLAN.assign(actual_start=[MON, MON, None, MON, None, None],
                    actual_finish=[MON, None, None, None, None, None],
                    percent_complete=[100, 50, 0, 20, 0, 0])
    s = tpmkit.schedule(tpmkit.read(t, start=MON, status_date="2027-01-05"))
    tab = s.table
    assert tab.loc["A", "early_start"] == 0 and tab.loc["A", "status"] == "in_progress"
    assert tab.loc["D", "early_start"] == tab.loc["D", "late_start"] > 2


def test_alap_input_rules():
    base = pd.DataFrame({"id": ["A"], "duration": [2], "constraint": ["alap"]})
    assert tpmkit.read(base).tasks.loc["A", "constraint"] == "ALAP"
    assert tpmkit.read(base.assign(constraint="ASAP")).tasks.loc["A", "constraint"] == ""
    with pytest.raises(tpmkit.ValidationError, match="takes no date.*A"):
        tpmkit.read(base.assign(constraint_date=["2027-01-05"]), start=MON)
    with pytest.raises(tpmkit.errors.OptionError,
                       match="unknown alap 'sometime'; choose one of: late_dates, zero_free_float"):
        tpmkit.read(base, alap="sometime")


def test_the_project_finish_and_the_monte_carlo_finish_ignore_alap():
    with_alap = tpmkit.read(PLAN, start=MON)
    plain = tpmkit.read(PLAN.assign(constraint=""), start=MON)
    assert tpmkit.schedule(with_alap).duration == tpmkit.schedule(plain).duration == 10
    three = PLAN.assign(optimistic=PLAN["duration"] * 0.8, most_likely=PLAN["duration"],
                        pessimistic=PLAN["duration"] * 1.6)
    r1 = simulate(tpmkit.read(three, start=MON), iterations=300, rng=3)
    r2 = simulate(tpmkit.read(three.assign(constraint=""), start=MON), iterations=300, rng=3)
    assert np.array_equal(r1.finish, r2.finish) and r1.finish.std() > 0


def test_ms_project_xml_keeps_alap(tmp_path):
    p = tpmkit.read(PLAN, start=MON)
    path = tmp_path / "alap.xml"
    tpmkit.write(p, path)
    assert path.read_text(encoding="utf-8").count("<ConstraintType>1</ConstraintType>") == 2
    back = tpmkit.read(path)
    assert back.tasks["constraint"].tolist().count("ALAP") == 2
    assert tpmkit.schedule(back).table["early_start"].tolist() == [0, 5, 7, 0, 9, 10]


def test_xer_alap_schedules_by_p6s_rule(tmp_path):
    """An XER with CS_ALAP on D: the reader sets P6's rule, D moves to zero free float."""
    head = "%T\tTASK\n%F\ttask_id\tproj_id\ttask_code\ttask_name\ttask_type\tstatus_code\t" \
           "target_drtn_hr_cnt\tremain_drtn_hr_cnt\tcstr_type\tclndr_id\n"
    rows = "".join(f"%R\t{k}\t1\t{code}\t{code}\tTT_Task\tTK_NotStart\t{h}\t{h}\t{c}\t1\n"
                   for k, (code, h, c) in enumerate([("A", 16, ""), ("B", 80, ""),
                                                     ("D", 8, "CS_ALAP")], start=1))
    text = ("ERMHDR\t19.12\n%T\tPROJECT\n%F\tproj_id\tproj_short_name\tplan_start_date\t"
            "clndr_id\n%R\t1\tP\t2027-01-04 08:00\t1\n%T\tCALENDAR\n%F\tclndr_id\tclndr_name\t"
            "day_hr_cnt\tclndr_data\n%R\t1\tStd\t8\t\n" + head + rows
            + "%T\tTASKPRED\n%F\ttask_pred_id\ttask_id\tpred_task_id\tproj_id\tpred_proj_id\t"
              "pred_type\tlag_hr_cnt\n%R\t1\t3\t1\t1\t1\tPR_FS\t0\n%E\n")
    path = tmp_path / "alap.xer"
    path.write_text(text, encoding="utf-8")
    parts = xer.read_parts(path)
    assert parts["project"]["alap"] == "zero_free_float"
    t = tpmkit.schedule(tpmkit.read(path)).table
    # D follows A (0–2) and has no successor: it finishes with B at 10, starting at 9
    assert t.loc["D", "early_start"] == 9 and t.loc["D", "free_float"] == 0


# ------------------------------------------------------------------- against a reference
def _reference(n, dur, links, alap, rule):
    """Plain Python: the ASAP passes (PDM, lags), then each ALAP task by ``rule``."""
    preds = {j: [lk for lk in links if lk[1] == j] for j in range(n)}
    succs = {i: [lk for lk in links if lk[0] == i] for i in range(n)}

    def fwd(es, j, ef):
        best = 0.0
        for i, _, t, lag in preds[j]:
            best = max(best, {"FS": ef[i] + lag, "SS": es[i] + lag, "FF": ef[i] + lag - dur[j],
                              "SF": es[i] + lag - dur[j]}[t])
        return best

    es, ef = [0.0] * n, [0.0] * n
    for j in range(n):  # ids are in topological order
        es[j] = fwd(es, j, ef)
        ef[j] = es[j] + dur[j]
    finish = max(ef)
    ls, lf = [0.0] * n, [0.0] * n
    for i in reversed(range(n)):
        best = finish
        for _, j, t, lag in succs[i]:
            best = min(best, {"FS": ls[j] - lag, "SS": ls[j] - lag + dur[i], "FF": lf[j] - lag,
                              "SF": lf[j] - lag + dur[i]}[t])
        lf[i], ls[i] = best, best - dur[i]
    if rule == "late_dates":
        for j in range(n):
            es[j] = max(fwd(es, j, ef), ls[j] if alap[j] else -np.inf)
            ef[j] = es[j] + dur[j]
    else:
        for i in reversed(range(n)):
            if not alap[i]:
                continue
            best = finish
            for _, j, t, lag in succs[i]:
                best = min(best, {"FS": es[j] - lag, "SS": es[j] - lag + dur[i],
                                  "FF": ef[j] - lag, "SF": ef[j] - lag + dur[i]}[t])
            es[i] = max(es[i], best - dur[i])
            ef[i] = es[i] + dur[i]
    return es, ls, finish


@st.composite
def alap_networks(draw):
    n = draw(st.integers(2, 25))
    dur = draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))
    alap = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    links = []
    for j in range(1, n):
        for i in draw(st.lists(st.integers(0, j - 1), max_size=min(j, 3), unique=True)):
            links.append((i, j, draw(st.sampled_from(["FS", "SS", "FF", "SF"])),
                          draw(st.integers(-2, 4))))
    return n, [float(d) for d in dur], links, alap


@settings(max_examples=80, deadline=None)
@given(alap_networks(), st.sampled_from(["late_dates", "zero_free_float"]))
def test_alap_matches_a_plain_reference_on_random_networks(net, rule):
    n, dur, links, alap = net
    pred_text = {j: [] for j in range(n)}
    for i, j, t, lag in links:
        pred_text[j].append(f"T{i} {t}{lag:+d}")
    table = pd.DataFrame({"id": [f"T{j}" for j in range(n)], "duration": dur,
                          "predecessors": ["; ".join(pred_text[j]) for j in range(n)],
                          "constraint": ["ALAP" if a else "" for a in alap]})
    p = tpmkit.read(table, alap=rule)
    s = tpmkit.schedule(p)
    es, ls, finish = _reference(n, dur, links, alap, rule)
    t = s.table
    assert np.allclose(t["early_start"], es) and np.allclose(t["late_start"], ls)
    assert s.duration == pytest.approx(finish)
    plain = tpmkit.schedule(tpmkit.read(table.assign(constraint=""))).table
    assert np.allclose(t["late_start"], plain["late_start"])  # late dates never change
    a = np.array(alap)
    if rule == "late_dates":
        assert np.allclose(t["total_float"][a], 0.0)
    else:  # P6: zero free float (or at the project finish, no later); only ALAP tasks move
        at_end = np.isclose(t["early_finish"], s.duration)
        assert np.allclose(t["free_float"][a & ~at_end], 0.0)
        assert np.allclose(t["early_start"][~a], plain["early_start"][~a])
    # every link still holds
    r = tpmkit.cpm.passes(p.network())
    assert (r["link_slack"] >= -1e-9).all()
