"""Tests for tpmkit.baselines: named baselines, comparison in working days, errors, charts."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest

import tpmkit
from tpmkit import baselines
from tpmkit.errors import DataError, ValidationError

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]


def plan():
    """A(3) → B(2) from Thu 2027-04-01; Good Friday 04-02 and Easter Monday 04-05 are
    holidays, so A runs Thu 1, Tue 6, Wed 7 and B Thu 8 – Fri 9."""
    return tpmkit.read(pd.DataFrame({"id": ["A", "B"], "name": ["a", "b"], "wbs": ["1", "2"],
                                     "duration": [3, 2], "predecessors": ["", "A"],
                                     "rate": [100, 50]}),
                       start="2027-04-01", calendar={"holidays": ["2027-04-02", "2027-04-05"]})


def test_set_baseline_names_in_order_and_dates():
    p = baselines.set_baseline(plan())
    assert baselines.baseline_names(p) == ["baseline"]
    b = baselines.baseline_table(p)
    assert b["finish"].dt.strftime("%Y-%m-%d").tolist() == ["2027-04-07", "2027-04-09"]
    assert b["cost"].tolist() == [300.0, 100.0]
    p = baselines.set_baseline(baselines.set_baseline(p))
    assert baselines.baseline_names(p) == ["baseline", "baseline_1", "baseline_2"]
    assert baselines.set_baseline(p, "baseline_10").tasks["baseline_10_finish"].notna().all()
    # the primary baseline is the one EVM reads
    assert (p.tasks["baseline_finish"] == b["finish"]).all()


def test_compare_counts_working_days_over_holidays():
    """A +1 d: A finishes Thu 8 (one working day later), B Mon 12 (Fri 9 → Mon 12 = 1 wd)."""
    p = baselines.set_baseline(plan()).with_durations({"A": 4})
    c = baselines.compare_baselines(p)
    assert c["finish_slip"].tolist() == [1.0, 1.0] and c["start_slip"].tolist() == [0.0, 1.0]
    assert c["cost_variance"].tolist() == [100.0, 0.0]
    assert c["status"].tolist() == ["moved", "moved"]
    s = baselines.baseline_summary(c, p)
    assert (s.finish_slip, s.cost_variance) == (1.0, 100.0)
    assert s.tasks == {"moved": 2}
    assert "baseline → current" in s._repr_html_()


def test_added_and_removed_tasks():
    p = baselines.set_baseline(plan())
    t = p.to_table()
    t = pd.concat([t, pd.DataFrame([{"id": "C", "duration": 1, "predecessors": "B"}])])
    q = baselines.set_baseline(p.replace(tasks=t), "baseline_1")
    c = baselines.compare_baselines(q, "baseline", "baseline_1")
    assert c.loc["C", "status"] == "added" and c.loc["A", "status"] == "unchanged"
    c = baselines.compare_baselines(q, "baseline_1", "baseline")
    assert c.loc["C", "status"] == "removed"


def test_baseline_errors():
    p = baselines.set_baseline(plan())
    with pytest.raises(ValidationError, match="baseline 'baseline' exists; pass overwrite=True"):
        baselines.set_baseline(p, "baseline")
    assert baselines.set_baseline(p, "baseline", overwrite=True) == p
    with pytest.raises(ValidationError, match="baseline name 'Baseline1' is not valid"):
        baselines.set_baseline(p, "Baseline1")
    with pytest.raises(ValidationError, match="no baseline 'baseline_3'; present: baseline"):
        baselines.baseline_table(p, "baseline_3")
    bad = p.replace(tasks=p.to_table().assign(baseline_1_start=["2027-04-01", "soon"],
                                              baseline_1_finish="2027-04-09"))
    with pytest.raises(ValidationError, match="'baseline_1_start' is not a date for B"):
        baselines.baseline_table(bad, "baseline_1")
    late = p.replace(tasks=p.to_table().assign(baseline_1_start="2027-04-09",
                                               baseline_1_finish=["2027-04-01", "2027-04-12"]))
    with pytest.raises(ValidationError, match="finish before start for A"):
        baselines.baseline_table(late, "baseline_1")
    nostart = tpmkit.read(pd.DataFrame({"id": ["A"], "duration": [1]}))
    with pytest.raises(ValidationError, match="no start date"):
        baselines.set_baseline(nostart)


def test_baselines_survive_a_file_round_trip(tmp_path):
    p = baselines.set_baseline(baselines.set_baseline(plan()))
    out = tpmkit.write(p, tmp_path / "plan.yaml")
    back = tpmkit.read(out)
    assert baselines.baseline_names(back) == ["baseline", "baseline_1"]
    assert baselines.baseline_table(back, "baseline_1").equals(baselines.baseline_table(p, "baseline_1"))


def test_closure_sample_keeps_two_baselines():
    p = tpmkit.datasets.load("software_release_closure")
    assert baselines.baseline_names(p) == ["baseline", "baseline_1"]
    c = baselines.compare_baselines(p, "baseline", "baseline_1")
    # baseline_1 = the plan after CR01 (DV7 +4 d), CR02 (DV9 −2 d) and CR05 (DV4 +2, DV5 +1)
    assert c.loc["DV7", "finish_slip"] == 4.0 and c.loc["DV9", "finish_slip"] == -2.0
    assert c.loc["DV7", "cost_variance"] == 6500 + 4 * 680


def test_baselines_template_columns_are_baseline_columns():
    cols = pd.read_csv(ROOT / "templates" / "baselines.csv").columns
    for name in ("baseline", "baseline_1", "baseline_2"):
        assert set(baselines.baseline_columns(name).values()) <= set(cols)


# --------------------------------------------------------------------------- charts
def test_baseline_charts_smoke():
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    from tpmkit import plot

    p = tpmkit.datasets.load("software_release_closure")
    c = baselines.compare_baselines(p, "baseline", "baseline_1")
    ax = plot.baseline_comparison(c, labels=("baseline", "baseline_1"), only_changed=True)
    assert isinstance(ax, Axes)
    changed = int((c["status"] != "unchanged").sum())
    assert len(ax.patches) == 2 * changed  # one bar per side per task
    assert len(ax.texts) == int((c["finish_slip"] != 0).sum())
    ax = plot.slip_chart(c, top=5)
    assert len(ax.patches) == 5 and ax.get_xlabel() == "finish slip [working days]"
    with pytest.raises(DataError, match="lacks column"):
        plot.slip_chart(pd.DataFrame({"finish_slip": [1.0]}))
    same = baselines.compare_baselines(p, "baseline", "baseline")
    with pytest.raises(DataError, match="nothing changed"):
        plot.slip_chart(same)
    plt.close("all")
