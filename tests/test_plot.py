"""Smoke and geometry tests of tpmkit.plot (Agg backend): every chart returns its Axes with
the expected artists; the Gantt arrows leave and enter the bar ends their link type relates."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import tpmkit
import tpmkit.datasets as ds
from tpmkit import estimate, evm, plot, resources, scope
from tpmkit.errors import DataError, OptionError, ValidationError
from tpmkit.plot.gantt import LINK_ANCHORS, link_routes
from tpmkit.risk import simulate
from tpmkit.risk.register import heat_map, normalize_register

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def project():
    return tpmkit.read(ds.path("software_release"))


@pytest.fixture(scope="module")
def tracking():
    return tpmkit.read(ds.path("software_release_tracking"))


@pytest.fixture(scope="module")
def sched(project):
    return tpmkit.schedule(project)


@pytest.fixture(scope="module")
def sim(project):
    return simulate(project, 1000, rng=11, progress=False, keep_task_samples=True)


@pytest.fixture(scope="module")
def evm_table(tracking):
    with warnings.catch_warnings():
        # the sample's last periods have AC > BAC: EVM warns that TCPI is undefined there
        warnings.simplefilter("ignore", evm.EVMWarning)
        return evm.metrics(tracking)


def new_ax() -> Axes:
    return Figure(figsize=(8, 5)).subplots()


def gid_items(artists, prefix):
    return [a for a in artists if str(a.get_gid()).startswith(prefix)]


# --------------------------------------------------------------------------- Gantt
def test_gantt_artists_match_the_schedule(project, sched):
    ax = new_ax()
    assert plot.gantt(sched, project, ax=ax) is ax
    milestone = sched.table["duration"].to_numpy() == 0
    bars = gid_items(ax.patches, "bar:")
    assert sorted(b.get_gid() for b in bars) == sorted(f"bar:{i}" for i in sched.table.index[~milestone])
    ms = [ln for ln in ax.lines if ln.get_gid() in ("milestones", "milestones_critical")]
    assert sum(len(ln.get_xdata()) for ln in ms) == int(milestone.sum())
    # critical bars in the critical colour, the others in the plan colour
    crit = set(sched.table.index[sched.table["critical"].to_numpy() & ~milestone])
    colors = {b.get_gid()[4:]: matplotlib.colors.to_hex(b.get_facecolor()) for b in bars}
    assert {c for i, c in colors.items() if i in crit} == {plot.OKABE_ITO["vermillion"].lower()}
    assert {c for i, c in colors.items() if i not in crit} == {plot.OKABE_ITO["blue"].lower()}
    # one summary bar per WBS summary row, float trailers exactly where float > 0
    summary = tpmkit.cpm.wbs_summary(project, sched)
    assert sorted(b.get_gid() for b in gid_items(ax.patches, "summary:")) == sorted(
        f"summary:{c}" for c in summary.index)
    floats = {b.get_gid()[6:] for b in gid_items(ax.patches, "float:")}
    assert floats == set(sched.table.index[sched.table["total_float"] > 0])
    assert len(gid_items(ax.patches, "baseline:")) == int(
        (project.tasks["baseline_start"].notna() & ~milestone).sum())
    # deadline line at the end of the deadline day
    dl = next(ln for ln in ax.lines if ln.get_gid() == "deadline")
    assert dl.get_xdata()[0] == pytest.approx(
        matplotlib.dates.date2num(project.deadline) + 1)


def test_gantt_one_arrow_per_link_for_each_type(project, sched):
    ax = plot.gantt(sched, project, ax=new_ax())
    counts = project.links["type"].value_counts().to_dict()
    drawn = {c.get_gid()[6:]: len(c.get_segments()) for c in ax.collections
             if str(c.get_gid()).startswith("links:")}
    assert drawn == counts
    heads = sum(len(c.get_offsets()) for c in ax.collections
                if str(c.get_gid()).startswith("heads:"))
    assert heads == len(project.links)


def test_gantt_arrows_leave_and_enter_the_related_bar_ends(project, sched):
    """Each route starts on the predecessor's finish (FS, FF) or start (SS, SF) and ends at
    the successor's start (FS, SS) or finish (FF, SF) — PMI Practice Standard for Scheduling
    §4.6. An FS arrow with no room lands on the bar top within one stub of the start."""
    ax = plot.gantt(sched, project, time="offsets", ax=new_ax())
    es, ef = sched.table["early_start"], sched.table["early_finish"]
    stub = 0.006 * np.diff(ax.get_xlim())[0] / 1.04   # the x range has 2 % padding each side
    present = set(project.links["type"])
    assert {"FS", "SS", "FF"} <= present          # SF is covered by test_link_routes_geometry
    for t, (src, dst) in LINK_ANCHORS.items():
        if t not in present:
            continue
        coll = next(c for c in ax.collections if c.get_gid() == f"links:{t}")
        links = project.links[project.links["type"] == t]
        for seg, (_, link) in zip(coll.get_segments(), links.iterrows(), strict=True):
            p, s = link["predecessor"], link["successor"]
            assert seg[0][0] == pytest.approx(ef[p] if src == "finish" else es[p])
            target = ef[s] if dst == "finish" else es[s]
            assert abs(seg[-1][0] - target) <= stub * 1.01, (t, p, s)


def test_link_routes_geometry():
    x0 = np.array([0.0, 5.0, 2.0, 4.0, 0.0])
    x1 = np.array([5.0, 9.0, 7.0, 4.0, 3.0])      # task 3 is a milestone
    y = np.arange(5.0)
    frm = np.array([0, 0, 0, 0, 0])
    to = np.array([1, 2, 2, 3, 4])
    types = np.array(["FS", "SS", "FF", "FS", "SF"])
    paths, heads = link_routes(x0, x1, y, frm, to, types, stub=0.5, bar_h=0.5)
    # FS, no lag: lands on the top edge of the successor just inside its start, pointing down
    assert paths[0, 0].tolist() == [5.0, 0.0] and heads[0] == "down"
    assert paths[0, -1].tolist() == [5.5, 0.75]
    # SS: leaves the predecessor's start leftwards, enters the successor's start from the left
    assert paths[1, 0].tolist() == [0.0, 0.0] and paths[1, -1].tolist() == [2.0, 2.0]
    assert paths[1, 1, 0] < 0.0 and heads[1] == "right"
    # FF: finish to finish, entering from the right
    assert paths[2, 0].tolist() == [5.0, 0.0] and paths[2, -1].tolist() == [7.0, 2.0]
    assert paths[2, 1, 0] > 7.0 and heads[2] == "left"
    # FS into a milestone just before: routed round through the row gap
    assert paths[3, -1].tolist() == [4.0, 3.0]
    # SF: predecessor start to successor finish
    assert paths[4, 0].tolist() == [0.0, 0.0] and paths[4, -1].tolist() == [3.0, 4.0]
    assert heads[4] == "left"


def test_gantt_progress_status_date_and_baseline(tracking):
    s = tpmkit.schedule(tracking)
    ax = plot.gantt(s, tracking, ax=new_ax())
    started = tracking.tasks["percent_complete"].fillna(0) > 0
    progress = {b.get_gid()[9:] for b in gid_items(ax.patches, "progress:")}
    assert progress == set(tracking.tasks.index[started & (tracking.tasks["duration"] > 0)])
    line = next(ln for ln in ax.lines if ln.get_gid() == "status_date")
    x = line.get_xdata()[0]
    assert x == pytest.approx(matplotlib.dates.date2num(tracking.status_date) + 1)
    assert ax.get_xlim()[0] < x < ax.get_xlim()[1]
    bar = gid_items(ax.patches, "progress:PM2")[0]
    # a status-dated schedule: the finished PM2 is drawn as its actual bar
    full = gid_items(ax.patches, "actual:PM2")[0]
    pct = tracking.tasks.loc["PM2", "percent_complete"] / 100
    assert bar.get_width() == pytest.approx(full.get_width() * pct)


def test_gantt_whiskers_from_a_simulation(project, sched, sim):
    ax = plot.gantt(sched, project, simulation=sim, time="offsets", ax=new_ax())
    w = next(c for c in ax.collections if c.get_gid() == "whiskers")
    segs = w.get_segments()
    assert len(segs) == len(sched.table)
    p50 = np.percentile(sim.task_finish.to_numpy(), 50, axis=0)
    p80 = np.percentile(sim.task_finish.to_numpy(), 80, axis=0)
    assert np.allclose([s[0][0] for s in segs], p50)
    assert np.allclose([s[1][0] for s in segs], p80)
    q = sim.task_percentiles([50, 80])
    assert list(q.columns) == ["p50", "p80"] and np.allclose(q["p50"], p50)


def test_gantt_project_whisker_without_task_samples(project, sched):
    r = simulate(project, 500, rng=3, progress=False)
    ax = plot.gantt(sched, project, simulation=r, time="offsets", ax=new_ax())
    segs = next(c for c in ax.collections if c.get_gid() == "whiskers").get_segments()
    assert len(segs) == int(np.isclose(sched.table["early_finish"], sched.table["early_finish"].max()).sum())
    assert segs[0][1][0] == pytest.approx(r.percentile(80))


def test_gantt_200_tasks_is_legible_and_quick():
    import time

    n = 200
    rng = np.random.default_rng(5)
    preds = [""] + [f"T{int(rng.integers(max(0, k - 5), k))}" for k in range(1, n)]
    df = pd.DataFrame({"id": [f"T{k}" for k in range(n)],
                       "name": ["A rather long task name that must be truncated"] * n,
                       "duration": rng.integers(1, 10, n), "predecessors": preds})
    p = tpmkit.read(df, start="2027-01-04")
    s = tpmkit.schedule(p)
    t0 = time.perf_counter()
    ax = plot.gantt(s, p, label_width=30)
    elapsed = time.perf_counter() - t0
    height = ax.figure.get_size_inches()[1]
    assert height >= 0.25 * n          # auto height: about a quarter inch per row
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == n and max(map(len, labels)) <= 30 and labels[5].endswith("…")
    assert elapsed < 10, elapsed


def test_gantt_offsets_without_dates_and_errors(sched):
    plain = sched.table.drop(columns=[c for c in sched.table.columns if c.endswith("_date")])
    ax = plot.gantt(plain, ax=new_ax())
    assert ax.get_xlabel() == "working days from project start"
    with pytest.raises(DataError, match="early_start_date"):
        plot.gantt(plain, time="dates", ax=new_ax())
    with pytest.raises(OptionError, match="time"):
        plot.gantt(sched, time="weeks", ax=new_ax())
    with pytest.raises(DataError, match="early_finish"):
        plot.gantt(sched.table[["early_start"]], ax=new_ax())


def test_theme_leaves_global_rcparams_alone(sched):
    before = dict(matplotlib.rcParams)
    plot.gantt(sched, ax=new_ax())
    assert dict(matplotlib.rcParams) == before


# --------------------------------------------------------------------------- network
def test_network_nodes_links_and_layers(project, sched):
    ax = plot.network(sched, project, ax=new_ax())
    nodes = gid_items(ax.patches, "node:")
    assert len(nodes) == len(sched.table)
    links = next(c for c in ax.collections if c.get_gid() == "links")
    assert len(links.get_segments()) == len(project.links)
    # critical boxes drawn in the critical colour
    crit = {f"node:{i}" for i in sched.table.index[sched.table["critical"]]}
    red = {n.get_gid() for n in nodes if matplotlib.colors.to_hex(n.get_edgecolor()) ==
           plot.OKABE_ITO["vermillion"].lower()}
    assert red == crit
    # layers: every successor is right of its predecessor
    x = {n.get_gid()[5:]: n.get_x() for n in nodes}
    assert all(x[s] > x[p] for p, s in zip(project.links["predecessor"],
                                           project.links["successor"], strict=True))


def test_network_box_shows_textbook_values(sched):
    one = sched.table.iloc[:1]
    ax = plot.network(one, links=pd.DataFrame({"predecessor": [], "successor": []}),
                      ax=new_ax())
    texts = [t.get_text() for t in ax.texts]
    r = one.iloc[0]
    for v in ("early_start", "duration", "early_finish", "late_start", "total_float",
              "late_finish"):
        assert f"{r[v]:.0f}" in texts


# --------------------------------------------------------------------------- risk
def test_histogram_and_s_curve_p_lines(sim):
    ax = plot.histogram(sim, bins=25, ax=new_ax())
    assert len(ax.patches) == 25
    heights = np.array([p.get_height() for p in ax.patches])
    assert heights.sum() == pytest.approx(100.0)
    gids = {ln.get_gid(): ln for ln in ax.lines}
    assert gids["p80"].get_xdata()[0] == pytest.approx(sim.percentile(80))
    assert gids["deterministic"].get_xdata()[0] == pytest.approx(sim.deterministic_duration)
    ax = plot.s_curve(sim, ax=new_ax())
    gids = {ln.get_gid(): ln for ln in ax.lines if ln.get_gid()}
    assert {"p10", "p50", "p80", "p90", "s_curve", "deterministic", "deadline"} <= set(gids)
    for q in (10, 50, 80, 90):
        assert gids[f"p{q}"].get_xdata()[0] == pytest.approx(sim.percentile(q))
        assert gids[f"p{q}"].get_ydata()[1] == q
    # the curve is the empirical CDF of the finish
    y = gids["s_curve"].get_ydata()
    assert y[-1] == pytest.approx(100.0) and np.all(np.diff(y) >= 0)
    assert gids["deterministic"].get_ydata()[0] == pytest.approx(
        100 * sim.deterministic_confidence)


def test_tornado_criticality_merge_bias(sim):
    ax = plot.tornado(sim, top=8, ax=new_ax())
    top = sim.tornado_by("p80").head(8)
    assert [t.get_text().split()[0] for t in ax.get_yticklabels()] == list(top.index)
    assert len(ax.patches) == 2 * len(top)
    left = [p for p in ax.patches][: len(top)]
    assert np.allclose([p.get_x() for p in left], top["p80_low"])
    ax = plot.criticality(sim, top=10, ax=new_ax())
    vals = sorted((p.get_width() for p in gid_items(ax.patches, "criticality:")), reverse=True)
    assert np.allclose(vals, sim.tasks["criticality"].sort_values(ascending=False).head(10))
    with pytest.raises(OptionError, match="metric"):
        plot.criticality(sim, metric="nope", ax=new_ax())
    ax = plot.merge_bias(sim, ax=new_ax())
    mb = sim.merge_bias.sort_values("merge_bias", ascending=False).head(12)
    widths = {p.get_gid()[11:]: p.get_width() for p in gid_items(ax.patches, "merge_bias:")}
    assert widths == pytest.approx(mb["merge_bias"].to_dict())


def test_jcl_frontier_is_a_valid_joint_confidence_line(sim):
    ax = plot.jcl_scatter(sim, confidence=0.7, ax=new_ax())
    fr = next(ln for ln in ax.lines if ln.get_gid() == "frontier")
    t, c = fr.get_xdata(), fr.get_ydata()
    assert len(t) > 5 and np.all(np.diff(c) <= 1e-9)      # more time needs no more money
    joint = [np.mean((sim.finish <= ti) & (sim.cost <= ci)) for ti, ci in zip(t, c, strict=True)]
    assert min(joint) >= 0.7
    with pytest.raises(DataError, match="confidence"):
        plot.jcl_scatter(sim, confidence=70, ax=new_ax())


def test_risk_heatmap_counts_and_ids(project):
    reg = normalize_register(project.risks)
    ax = plot.risk_heatmap(reg, ax=new_ax())
    assert len(gid_items(ax.patches, "cell:")) == 25
    counts = heat_map(reg)
    texts = gid_items(ax.texts, "count:")
    assert sum(int(t.get_text().split("\n")[0]) for t in texts) == int(counts.to_numpy().sum())
    shown = ",".join(t.get_text() for t in texts)
    scored = reg.index[reg[["probability_score", "impact_score"]].notna().all(axis=1)]
    assert all(r in shown for r in scored)
    ax = plot.risk_heatmap(counts, ax=new_ax())            # counts only
    assert len(gid_items(ax.texts, "count:")) == int((counts.to_numpy() > 0).sum())


def test_simulation_plots_reject_other_objects():
    with pytest.raises(DataError, match="simulate"):
        plot.histogram(pd.DataFrame(), ax=new_ax())


# --------------------------------------------------------------------------- EVM
def test_evm_s_curve(evm_table):
    ax = plot.evm_s_curve(evm_table, ax=new_ax())
    g = {ln.get_gid(): ln for ln in ax.lines if ln.get_gid()}
    assert {"pv", "ev", "ac", "bac", "eac", "status_date"} <= set(g)
    k = evm_table.status_period
    assert g["ev"].get_ydata()[-1] == pytest.approx(evm_table.table.loc[k, "ev"])
    assert g["eac"].get_ydata()[-1] == pytest.approx(evm_table.table.loc[k, "eac"])
    assert g["bac"].get_ydata()[0] == pytest.approx(evm_table.bac)
    assert g["pv"].get_ydata()[0] == 0.0 and len(g["pv"].get_xdata()) == len(evm_table.table) + 1
    assert g["status_date"].get_xdata()[0] == pytest.approx(
        matplotlib.dates.date2num(pd.Timestamp(evm_table.table.loc[k, "date"])))


def test_performance_trend_and_earned_schedule(evm_table):
    ax = plot.performance_trend(evm_table, ax=new_ax())
    g = {ln.get_gid(): ln for ln in ax.lines if ln.get_gid()}
    for col in ("spi", "cpi", "spi_t"):
        assert np.allclose(g[col].get_ydata(), evm_table.table[col], equal_nan=True)
    assert g["target"].get_ydata()[0] == 1.0
    ax = plot.earned_schedule(evm_table, ax=new_ax())
    g = {ln.get_gid(): ln for ln in ax.lines if ln.get_gid()}
    done = evm_table.table["es"].notna()
    assert np.allclose(g["es"].get_ydata()[1:], evm_table.table.loc[done, "es"])
    k = evm_table.status_period
    assert g["ieac_t"].get_xdata()[0] == pytest.approx(evm_table.table.loc[k, "ieac_t"])
    with pytest.raises(DataError, match="spi"):
        plot.performance_trend(evm_table.table.drop(columns="spi"), ax=new_ax())


# --------------------------------------------------------------------------- planning
def test_resource_histogram_capacity_and_overallocation(project):
    load = resources.loading(project)
    ax = plot.resource_histogram(load, "dev", ax=new_ax())
    use = load.usage["dev"].to_numpy()
    bars = gid_items(ax.patches, "usage:dev")
    assert np.allclose([b.get_height() for b in bars], use)
    over = gid_items(ax.patches, "over")
    assert np.allclose([b.get_height() for b in over],
                       np.maximum(use - load.capacity["dev"].to_numpy(), 0))
    cap = next(ln for ln in ax.lines if ln.get_gid() == "capacity")
    assert np.allclose(cap.get_ydata()[:-1], load.capacity["dev"])
    ax = plot.resource_histogram(load, by="week", ax=new_ax())   # all resources, stacked
    assert len({b.get_gid() for b in gid_items(ax.patches, "usage:")}) == load.usage.shape[1]
    with pytest.raises(ValidationError, match="nobody"):
        plot.resource_histogram(resources.histogram(project), "nobody", ax=new_ax())


def test_burnup_fan_and_throughput_markers():
    hist = pd.read_csv(ds.path("software_release_throughput_history"))
    f = estimate.burnup_forecast(hist, scope=300)
    mc = estimate.throughput_forecast(hist, remaining=300 - hist["throughput"].sum(), rng=1)
    ax = plot.burnup(f, throughput=mc, ax=new_ax())
    g = {ln.get_gid(): ln for ln in ax.lines if ln.get_gid()}
    assert g["done"].get_ydata()[-1] == pytest.approx(hist["throughput"].sum())
    assert g["scope"].get_ydata()[0] == 300
    assert {"P50", "P85", "P95"} <= set(g)
    assert [c for c in ax.collections if c.get_gid() == "fan"]


def test_power_interest_grid_and_wbs_tree():
    st = scope.stakeholders(tpmkit.io.read_table(ds.path("software_release_stakeholders")))
    ax = plot.power_interest_grid(st, ax=new_ax())
    n = sum(len(c.get_offsets()) for c in ax.collections if c.get_gid() in (
        "manage_closely", "keep_satisfied", "keep_informed", "monitor"))
    assert n == int(st[["power", "interest"]].notna().all(axis=1).sum())
    for c in ax.collections:   # every point drawn in the quadrant it was classified into
        if c.get_gid() == "manage_closely":
            xy = c.get_offsets()
            assert (xy[:, 0] >= 3).all() and (xy[:, 1] >= 3).all()
    wbs = pd.read_csv(ds.path("software_release_wbs"), dtype={"wbs": str})
    tree = scope.wbs_tree(wbs)
    ax = plot.wbs_tree(tree, wbs, ax=new_ax())
    edges = next(c for c in ax.collections if c.get_gid() == "edges")
    assert len(edges.get_segments()) == int((tree["parent"] != "").sum())
    assert len(gid_items(ax.texts, "wbs:")) == len(tree)


def test_every_public_chart_returns_a_new_axes_when_none_given(sim, evm_table):
    for ax in (plot.histogram(sim), plot.s_curve(sim), plot.performance_trend(evm_table)):
        assert isinstance(ax, Axes)


def test_gantt_explicit_whiskers_and_bad_whiskers(project, sched):
    w = pd.DataFrame({"p50": sched.table["early_finish"] + 1, "p80": sched.table["early_finish"] + 3})
    ax = plot.gantt(sched, project, whiskers=w, time="offsets", ax=new_ax())
    segs = next(c for c in ax.collections if c.get_gid() == "whiskers").get_segments()
    assert np.allclose([s[1][0] - s[0][0] for s in segs], 2.0)
    assert "finish P50–P80" in [t.get_text() for t in ax.get_legend().get_texts()]
    with pytest.raises(DataError, match="two columns"):
        plot.gantt(sched, project, whiskers=w[["p50"]], ax=new_ax())


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.data())
def test_link_routes_property_orthogonal_and_anchored(data):
    """Random bars and links of random types: every route is orthogonal, starts on the
    predecessor's related end, and ends on the successor's related end entering from the
    correct side (or, FS only, on the successor's top/bottom edge inside the bar)."""
    n = data.draw(st.integers(2, 12))
    x0 = np.array(data.draw(st.lists(st.integers(0, 60), min_size=n, max_size=n)), float)
    w = np.array(data.draw(st.lists(st.integers(0, 15), min_size=n, max_size=n)), float)
    x1 = x0 + w
    y = np.arange(n, dtype=float)
    m = data.draw(st.integers(1, 20))
    frm = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)))
    to = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)))
    keep = frm != to
    frm, to = frm[keep], to[keep]
    types = np.array(data.draw(st.lists(st.sampled_from(list(LINK_ANCHORS)),
                                        min_size=len(frm), max_size=len(frm))), dtype=object)
    if not len(frm):
        return
    stub, bar_h = 0.5, 0.5
    paths, heads = link_routes(x0, x1, y, frm, to, types.astype(str), stub, bar_h)
    for p, h, i, j, t in zip(paths, heads, frm, to, types, strict=True):
        src, dst = LINK_ANCHORS[t]
        d = np.diff(p, axis=0)
        assert np.all((np.abs(d[:, 0]) < 1e-12) | (np.abs(d[:, 1]) < 1e-12))   # orthogonal
        assert p[0].tolist() == [x1[i] if src == "finish" else x0[i], y[i]]
        tip = p[-1]
        prev = next(q for q in p[::-1] if not np.allclose(q, tip))
        if h in ("left", "right"):
            assert tip.tolist() == [x1[j] if dst == "finish" else x0[j], y[j]]
            assert (prev[0] > tip[0]) if h == "left" else (prev[0] < tip[0])
            assert h == ("left" if dst == "finish" else "right")
        else:
            assert t == "FS"
            assert x0[j] < tip[0] <= max(x1[j], x0[j] + stub) + 1e-12
            assert abs(tip[1] - y[j]) == pytest.approx(bar_h / 2)


def test_gantt_dates_without_a_project(sched):
    """Dates from the schedule alone; an explicit status date still lands at its day's end."""
    ax = plot.gantt(sched, status_date="2027-02-10", ax=new_ax())
    line = next(ln for ln in ax.lines if ln.get_gid() == "status_date")
    assert line.get_xdata()[0] == matplotlib.dates.date2num(pd.Timestamp("2027-02-11"))


def test_gantt_names_summaries_from_the_projects_wbs_part():
    p = tpmkit.datasets.load("software_release")
    ax = plot.gantt(tpmkit.schedule(p), p)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "4.2  Backend" in labels and "1  Project management" in labels
