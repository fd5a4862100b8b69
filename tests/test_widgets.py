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
    table = tpmkit.schedule(nine)
    steps = scheduling.cpm_steps(nine, table)
    known = [scheduling.stepper_update(nine, k, steps, table).tables["passes"]
             .drop(columns="duration").notna().sum().sum() for k in range(0, 19)]
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
    assert (tpmkit.schedule(nine).table["duration"] == tpmkit.schedule(changed).table["duration"]).all()


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


# --------------------------------------------------------------------------- risk
@pytest.fixture(scope="module")
def chain():
    return tpmkit.read(pd.DataFrame({
        "id": ["A", "B", "C"], "optimistic": [2, 3, 1], "most_likely": [3, 4, 2],
        "pessimistic": [6, 9, 4], "predecessors": ["", "A", "A"]}))


def test_merge_bias_parallel_paths_lower_the_confidence():
    from scipy import stats

    from tpmkit.widgets import risk as bench

    n = 4000
    v = bench.merge_bias_update(paths=5, iterations=n, seed=11)
    q = v.values["confidence_one"]
    # Independent identical paths: P(all ≤ t) = q⁵; binomial standard error of each estimate.
    se = np.sqrt(q * (1 - q) / n) * 5 * q**4 + np.sqrt(q**5 * (1 - q**5) / n)
    assert abs(v.values["confidence_many"] - q**5) < 4 * se
    assert v.values["mean_many"] > v.values["mean_one"]
    assert v.values["deterministic"] == 10.0   # CPM on the most likely durations (not the PERT mean)
    # one path: beta-PERT(8, 10, 16) is Beta(2, 4) on [8, 16]; P(X ≤ 10) = I_0.25(2, 4)
    exact = stats.beta(2, 4).cdf(0.25)
    assert abs(q - exact) < 4 * np.sqrt(exact * (1 - exact) / n)
    with pytest.raises(ValidationError, match="paths 25 is outside 1 … 20"):
        bench.merge_bias_project(25)


def test_simulate_update_matches_simulate_and_reacts_to_settings(chain):
    from tpmkit.risk import simulate
    from tpmkit.widgets import risk as bench

    v = bench.simulate_update(chain, iterations=2000, seed=5)
    ref = simulate(chain, 2000, rng=5, progress=False)
    assert v.values["p80"] == pytest.approx(float(ref.percentile(80)))
    assert f"P80 = {v.values['p80']:.1f}" in v.text
    assert set(v.figures) == {"histogram", "s_curve", "tornado", "criticality"}
    corr = bench.simulate_update(chain, iterations=2000, correlation=0.8, seed=5)
    assert corr.values["p80"] != v.values["p80"]
    with pytest.raises(ValidationError, match="correlation 1.2 is outside"):
        bench.simulate_update(chain, correlation=1.2)
    with pytest.raises(OptionError, match="choose one of: pert, triangular"):
        bench.simulate_update(chain, distribution="beta")


def test_simulate_update_risk_toggles_and_mitigation():
    from tpmkit.widgets import risk as bench

    p = tpmkit.datasets.load("software_release")
    ids = p.risks["id"].astype(str).tolist()
    all_on = bench.simulate_update(p, iterations=500, seed=3)
    none_on = bench.simulate_update(p, iterations=500, risks=[], seed=3)
    mitigated = bench.simulate_update(p, iterations=500, mitigated=True, seed=3)
    assert none_on.values["p80"] < all_on.values["p80"]
    assert mitigated.values["p80"] <= all_on.values["p80"]
    assert len(all_on.tables["risks"]) == len(ids) and len(none_on.tables["risks"]) == 0
    with pytest.raises(ValidationError, match="unknown risk id.*R99"):
        bench.simulate_update(p, iterations=500, risks=["R99"])


def test_risk_ui_run_button_updates_headline(chain):
    from tpmkit.widgets import risk as bench

    ui = bench.build_ui(chain, iterations=500)
    headline = _find(ui, widgets.HTML, lambda h: "P80 =" in h.value)[0]
    first = headline.value
    _find(ui, widgets.FloatSlider, lambda s: s.description == "correlation")[0].value = 0.8
    assert headline.value == first          # nothing runs before Run is pressed
    _find(ui, widgets.Button, lambda b: b.description == "Run")[0].click()
    assert headline.value != first
    merge = bench.build_ui(part="merge_bias", iterations=500)
    assert _find(merge, widgets.HTML, lambda h: "parallel paths only in" in h.value)


# --------------------------------------------------------------------------- estimation
def test_three_point_update_pert_moments_and_percentiles():
    from tpmkit.widgets import estimation

    v = estimation.three_point_update(4, 6, 14)
    assert v.values["mean"] == pytest.approx((4 + 4 * 6 + 14) / 6)
    assert 4 < v.values["p10"] < v.values["p50"] < v.values["p90"] < 14
    tri = estimation.three_point_update(4, 6, 14, "triangular")
    assert tri.values["mean"] == pytest.approx(8.0)
    # triangular median (b - a > 2 (c - a)): b − sqrt((b − a)(b − c)/2)
    assert tri.values["p50"] == pytest.approx(14 - np.sqrt(10 * 8 / 2))


def test_delphi_rounds_converge_and_are_summarised_by_estimate_delphi():
    from tpmkit.widgets import estimation

    v = estimation.delphi_update(estimators=8, rounds=6, pull=0.7, seed=4)
    cv = v.values["cv"]
    assert len(cv) == 6 and cv[-1] < 0.15 < cv[0] and v.values["converged_round"] is not None
    none = estimation.delphi_update(estimators=8, rounds=3, pull=0.0, spread=0.6, seed=4)
    assert none.values["converged_round"] is None
    with pytest.raises(ValidationError, match="estimators ≥ 2"):
        estimation.delphi_rounds(estimators=1)


def test_throughput_calibration_cocomo_updates_use_estimate():
    from tpmkit import estimate
    from tpmkit.widgets import estimation

    hist = [3, 5, 4, 6, 2, 5, 7, 4]
    v = estimation.throughput_update(hist, remaining=40, trials=3000, seed=9)
    ref = estimate.throughput_forecast(hist, remaining=40, trials=3000, rng=9,
                                       confidence=(50, 85, 95))
    assert v.values["p85"] == ref.table.loc["P85", "periods_needed"]
    # 40 items at 4.5 items/period take about 9 periods
    assert 7 <= v.values["p50"] <= 11
    data = pd.DataFrame({"estimate": [10, 5, 8, 4, 6], "actual": [12, 6, 8, 6, 9]})
    cal = estimation.calibration_update(data)
    assert cal.values["bias"] == pytest.approx(np.median([1.2, 1.2, 1.0, 1.5, 1.5]) - 1)
    # Boehm et al. (2000): nominal 100 KSLOC → PM = 2.94 · 100^1.0997 = 465.3
    assert estimation.cocomo_update(100).values["effort_pm"] == pytest.approx(465.3, abs=0.05)


def test_estimation_uis_build_and_react():
    from tpmkit.widgets import estimation

    ui = estimation.build_ui("three_point")
    head = _find(ui, widgets.HTML, lambda h: "mean" in h.value)[0]
    before = head.value
    _find(ui, widgets.FloatSlider, lambda s: s.description == "pessimistic")[0].value = 30
    assert head.value != before
    _find(ui, widgets.FloatSlider, lambda s: s.description == "optimistic")[0].value = 40
    assert "optimistic ≤ most likely" in _find(ui, widgets.HTML)[-1].value
    for part in ("delphi", "cocomo"):
        assert _find(estimation.build_ui(part), widgets.Image)[0].value
    with pytest.raises(ValidationError, match="needs the history"):
        estimation.build_ui("throughput")


# --------------------------------------------------------------------------- earned value
def test_evm_status_update_moves_with_status_date():
    import warnings

    from tpmkit import evm
    from tpmkit.widgets import earned_value

    tracking = tpmkit.datasets.load("software_release_tracking")
    dates = earned_value.status_dates(tracking)
    early = earned_value.status_update(tracking, dates[1])
    late = earned_value.status_update(tracking, dates[-1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evm.EVMWarning)
        ref = evm.metrics(tracking, status_date=dates[1])
    assert early.values["status_period"] == 2 and late.values["status_period"] == len(dates)
    assert early.values["cpi"] == ref.table.loc[2, "cpi"] and early.values["es"] == ref.table.loc[2, "es"]
    assert len(early.tables["forecasts"]) == 10
    assert set(early.figures) == {"s_curve", "trend", "earned_schedule", "forecasts"}
    assert late.values["warnings"]           # undefined ratios late in the project are reported
    with pytest.raises(ValidationError, match="no dated period table"):
        earned_value.status_dates(pd.DataFrame({"pv": [1.0]}))


# --------------------------------------------------------------------------- resources
def test_levelling_update_resolves_overallocation():
    from tpmkit.widgets import resources as bench

    p = tpmkit.read({"tasks": pd.DataFrame({"id": ["A", "B", "C"], "duration": [3, 2, 4],
                                            "resources": ["dev:1", "dev:1", "qa:1"]}),
                     "resources": pd.DataFrame({"id": ["dev", "qa"], "capacity": [1, 1]})})
    v = bench.levelling_update(p)
    assert v.values["cpm_duration"] == 4 and v.values["levelled_duration"] == 5
    assert v.values["overallocated_days_before"] == 2 and v.values["overallocated_days_after"] == 0
    assert v.values["resource"] == "dev"
    with pytest.raises(ValidationError, match="unknown resource 'ux'"):
        bench.levelling_update(p, resource="ux")


def test_health_update_lists_failing_checks():
    from tpmkit import health
    from tpmkit.widgets import resources as bench

    p = tpmkit.datasets.load("software_release")
    v = bench.health_update(p)
    report = health.dcma14(p)
    assert sorted(v.values["failed"]) == sorted(report.failed)
    assert len(v.values["passed"]) + len(v.values["failed"]) + len(
        v.values["not_applicable"]) == 14


# --------------------------------------------------------------------------- scoping
def test_scoping_updates_report_problems_instead_of_raising():
    from tpmkit.widgets import scoping

    wbs = pd.DataFrame({"wbs": ["1", "1.1", "1.2", "3.1"], "name": ["p", "a", "b", "orphan"],
                        "cost": [None, 2.0, 3.0, 1.0]})
    v = scoping.wbs_update(wbs)
    assert not v.values["valid"] and any("3.1" in m for m in v.values["messages"])
    bad = scoping.raci_update(pd.DataFrame({"task": ["T1", "T2"], "pm": ["A", "A"],
                                            "dev": ["R", ""]}))
    assert not bad.values["valid"] and "T2" in bad.values["messages"][0]
    reg = scoping.risks_update(pd.DataFrame({"id": ["R1"], "probability": [-0.2]}))
    assert not reg.values["valid"] and "R1" in reg.values["messages"][0]


def test_table_editor_edit_revalidates_live():
    from tpmkit.widgets import scoping

    frame = pd.DataFrame({"task": ["T1", "T2"], "pm": ["A", "A"], "dev": ["R", "R"]})
    ui = scoping.build_ui("raci", frame)
    messages = _find(ui, widgets.HTML, lambda h: "no problems" in h.value or "•" in h.value)[0]
    assert "no problems" in messages.value or "consult" in messages.value
    cell = ui.editor.cells[1][1]             # T2, pm
    cell.value = ""
    assert "no A on T2" in messages.value
    assert ui.editor.frame.loc[1, "pm"] == ""
    cell.value = "A"
    assert "no A" not in messages.value
    ui.editor.add_row()
    assert len(ui.editor.cells) == 3 and len(ui.editor.frame) == 2   # blank rows are ignored


def test_widget_state_is_stored_for_static_html_export():
    """Exported HTML carries the widget state (PNG images, tables), so it renders without a kernel."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nbconvert = pytest.importorskip("nbconvert")

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import pandas as pd, tpmkit\n"
        "from tpmkit.widgets import scheduling\n"
        "p = tpmkit.read(pd.DataFrame({'id': ['A', 'B'], 'duration': [3, 2],"
        " 'predecessors': ['', 'A']}))\n"
        "scheduling.build_ui(p, 'stepper')")]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    models = {m["model_name"] for m in state.values()}
    assert {"ImageModel", "HTMLModel", "ButtonModel", "IntSliderModel"} <= models
    assert any("Press Next" in str(m["state"].get("value", "")) for m in state.values())
    html, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    assert "application/vnd.jupyter.widget-state+json" in html and "ImageModel" in html


# --------------------------------------------------------------------------- one state per workbench
def test_risk_workbench_every_view_shows_the_run_it_was_drawn_from(chain, monkeypatch):
    """After Run, the headline and every chart legend show the same P50/P80 (one state)."""
    import re

    from tpmkit.widgets import risk as bench

    ui = bench.build_ui(chain, iterations=500)
    state = ui.workbench
    run = _find(ui, widgets.Button, lambda b: b.description == "Run")[0]
    controls = [w for w in state.controls if w is not run]
    seen = {}
    real = bench.simulate_update

    def spy(*args, **kw):   # what the controls look like while the simulation runs
        seen["disabled"] = [c.disabled for c in state.controls]
        seen["busy"] = state.indicator.value
        seen["label"] = run.description
        return real(*args, **kw)

    monkeypatch.setattr(bench, "simulate_update", spy)
    _find(ui, widgets.FloatSlider, lambda s: s.description == "correlation")[0].value = 0.6
    _find(ui, widgets.IntText, lambda s: s.description == "seed")[0].value = 9
    run.click()
    assert all(seen["disabled"]) and "computing" not in seen["busy"] and "⏳" in seen["busy"]
    assert seen["label"] == "Running…"
    assert not any(c.disabled for c in controls) and not run.disabled and state.indicator.value == ""
    v = state.view.values
    assert v["seed"] == 9 and state.runs == 2
    p50, p80 = f"{v['p50']:.1f}", f"{v['p80']:.1f}"
    headline = _find(ui, widgets.HTML, lambda h: "P80 =" in h.value)[0].value
    assert f"P80 = {p80} working days" in headline and f"P50 {p50}" in headline
    for chart in ("histogram", "s_curve"):
        legend = state.shown[chart]
        assert f"P80 = {p80} d" in legend and f"P50 = {p50} d" in legend, (chart, legend)
        cpm = re.search(r"CPM plan ([\d.]+) d", legend).group(1)
        assert float(cpm) == pytest.approx(v["deterministic"], abs=0.05)
    captions = [h.value for h in _find(ui, widgets.HTML, lambda h: "tpmkit-caption" in h.value)]
    assert sum(f"P80 = {p80} d" in c for c in captions) >= 2
    # every chart was redrawn by this run (its caption is this run's legend)
    assert set(state.shown) == {"headline", "histogram", "s_curve", "tornado", "criticality"}
    assert all(bytes(i.value)[:4] == b"\x89PNG" for i in _find(ui, widgets.Image))


def test_risk_workbench_bad_input_marks_the_views_out_of_date(chain):
    from tpmkit.widgets import risk as bench

    ui = bench.build_ui(chain, iterations=500)
    before = ui.workbench.view
    _find(ui, widgets.IntSlider, lambda s: s.description == "iterations")[0].value = 100
    _find(ui, widgets.FloatSlider, lambda s: s.description == "correlation")[0].value = 0.9
    ui.workbench.controls[0].value = 100
    # an invalid setting (fewer iterations than allowed cannot be set through the slider:
    # call the state with a failing computation instead)
    ui.workbench.run(lambda: bench.simulate_update(chain, 10), lambda v: {},
                     stale=lambda: None)
    assert ui.workbench.view is before and "too few" in ui.workbench.status.value
    assert not any(c.disabled for c in ui.workbench.controls)


def test_merge_bias_workbench_headline_and_legend_agree():
    from tpmkit.widgets import risk as bench

    ui = bench.build_ui(part="merge_bias", iterations=500)
    _find(ui, widgets.IntSlider, lambda s: s.description == "parallel paths")[0].value = 3
    _find(ui, widgets.Button, lambda b: b.description == "Run")[0].click()
    v = ui.workbench.view.values
    legend, headline = ui.workbench.shown["s_curves"], ui.workbench.shown["headline"]
    assert v["deterministic"] == 10.0     # CPM on the most likely durations, not the PERT mean
    assert f"1 path: P(finish ≤ CPM 10 d) = {v['confidence_one']:.0%}" in legend
    assert f"3 parallel paths: P(finish ≤ CPM 10 d) = {v['confidence_many']:.0%}" in legend
    assert f"One path meets it in {v['confidence_one']:.0%}" in headline
    assert "CPM (most likely durations) says 10 working days" in headline


def test_evm_workbench_slider_headline_charts_and_table_show_one_status_date():
    from tpmkit.widgets import earned_value

    tracking = tpmkit.datasets.load("software_release_tracking")
    ui = earned_value.build_ui(tracking)
    state = ui.workbench
    slider = _find(ui, widgets.SelectionSlider)[0]
    dates = earned_value.status_dates(tracking)
    for k in (3, 1, 6):
        slider.value = dates[k - 1]
        view = state.view
        assert view.values["status_period"] == k
        assert view.values["status_date"] == slider.value
        label = dict((v, lab) for lab, v in slider.options)[slider.value]
        assert f"Status {label} (period {k})" in state.shown["headline"]
        assert state.shown["table_period"] == str(k)
        assert state.shown["forecasts"].startswith(f"Time forecasts at period {k}")
        assert f"Time forecasts at period {k}" == view.figures["forecasts"].axes[0].get_title()
        assert f"CPI {view.values['cpi']:.2f}" in state.shown["headline"]
        assert not slider.disabled and state.indicator.value == ""
    highlighted = _find(ui, widgets.HTML, lambda h: "background:#ffe08a" in h.value)[0].value
    assert highlighted.count("background:#ffe08a") == 1


def test_evm_index_chart_of_a_single_period_spans_weeks_not_years():
    import matplotlib.dates as mdates

    from tpmkit import plot
    from tpmkit.widgets._common import figure

    one = pd.DataFrame({"date": [pd.Timestamp("2027-01-29")], "spi": [0.9], "cpi": [1.0],
                        "spi_t": [0.95]}, index=pd.Index([1], name="period"))
    ax = plot.performance_trend(one, ax=figure().add_subplot())
    lo, hi = ax.get_xlim()
    assert 20 <= hi - lo <= 60 and mdates.num2date(lo).year == 2027


def test_calibration_of_a_table_read_as_text_plots_numbers():
    from tpmkit.widgets import estimation

    text = tpmkit.io.read_table(tpmkit.datasets.path("software_release_estimates_vs_actuals"))
    view = estimation.calibration_update(text, by="category")
    number = estimation.calibration_update(
        text.astype({"estimate": float, "actual": float}), by="category")
    assert view.values == pytest.approx(number.values)
    ax = view.figures["ratios"].axes[0]
    offsets = ax.collections[0].get_offsets()
    assert np.issubdtype(np.asarray(offsets).dtype, np.floating)
    assert not ax.xaxis.get_ticklabels() or all(
        t.get_text() == "" or t.get_text().replace(".", "").replace("−", "").isdigit()
        for t in ax.xaxis.get_ticklabels())


def test_setup_notebook_tables_show_no_raw_values():
    from tpmkit.widgets.display import format_value, table_html

    frame = pd.DataFrame({"n": [38.0, 93.854239], "x": [None, float("nan")],
                          "when": [pd.Timestamp("2027-04-30"), pd.NaT],
                          "ids": [("E4",), ("A", "B")]}, index=["a", "b"])
    page = table_html(frame)
    for raw in ("NaN", "None", "NaT", "38.000000", "('E4',)", "93.854239"):
        assert raw not in page, raw
    assert ">38</td>" in page and ">93.85</td>" in page and ">E4</td>" in page
    assert ">2027-04-30</td>" in page and page.count(">–</td>") == 3
    assert format_value({"p50": 41.234}) == "p50: 41.23"


def test_every_workbench_shows_full_labels_slider_values_and_uncut_headers(chain):
    from tpmkit.widgets import earned_value, estimation, resources, risk, scoping

    project = tpmkit.datasets.load("software_release")
    raci = tpmkit.io.read_table(tpmkit.datasets.path("software_release_raci"))
    boxes = [scheduling.build_ui(project, "pert"), scheduling.build_ui(chain, "whatif"),
             risk.build_ui(chain, iterations=200), estimation.build_ui("three_point"),
             earned_value.build_ui(tpmkit.datasets.load("software_release_tracking")),
             resources.build_ui(project, "health"), scoping.build_ui("raci", raci)]
    checked = 0
    for box in boxes:
        for w in _find(box, widgets.DOMWidget):
            text = str(getattr(w, "description", "") or "")
            if hasattr(getattr(w, "style", None), "description_width") and len(text) > 8 \
                    and not isinstance(w, widgets.Button):
                assert w.style.description_width == "initial", text
                checked += 1
            if isinstance(w, widgets.widgets.widget_int._Int | widgets.FloatSlider
                          | widgets.SelectionSlider) and hasattr(w, "readout"):
                assert w.readout, text
            if isinstance(w, widgets.HBox):
                assert w.layout.flex_flow == "row wrap"
    assert checked >= 3
    grid = _find(boxes[-1], widgets.GridBox)[0]
    widths = [int(part.split("(")[1].split("px")[0])
              for part in grid.layout.grid_template_columns.split(" minmax")]
    headers = list(raci.columns)
    assert all(w >= 8 * len(h) for w, h in zip(widths, headers, strict=True))
    assert "text-overflow:ellipsis" not in "".join(
        h.value for h in _find(boxes[-1], widgets.HTML))
