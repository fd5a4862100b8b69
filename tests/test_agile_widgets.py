"""Tests of the agile forecast workbench: ``update()`` numbers agree with tpmkit.agile, and
``build_ui()`` builds (no browser).

On a board that finishes exactly one item a day, every resampled day delivers one item, so
N items take exactly N days at every confidence (an exact reference, no tolerance).
"""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from tpmkit import agile, datasets
from tpmkit.errors import ValidationError
from tpmkit.widgets import agile as bench

widgets = pytest.importorskip("ipywidgets")


@pytest.fixture(scope="module")
def steady():
    return agile.items([{"id": f"I{k}", "created": "2021-01-04", "done": f"2021-01-{4 + k:02d}"}
                        for k in range(10)])


@pytest.fixture(scope="module")
def board():
    return datasets.load("agile_board")


def test_one_item_a_day_takes_n_days_at_every_confidence(steady):
    v = bench.update(steady, percentile=70, backlog=6, trials=300, seed=3)
    t = v.tables["forecast"]
    assert t.index.tolist() == ["P50", "P70"]
    assert t["days"].tolist() == [6, 6]
    assert v.values["days"] == 6 and v.values["date"] == steady.now + pd.Timedelta(days=6)
    assert v.values["items"] == 30.0          # 30-day horizon at one item a day
    assert isinstance(v.figures["forecast"], Figure)


def test_update_matches_when_and_how_many_on_the_sample_board(board):
    v = bench.update(board, percentile=85, backlog=30, trials=2000, seed=7)
    fc = agile.when(board, 30, trials=2000, rng=7, percentiles=(50, 85))
    hm = agile.how_many(board, board.now + pd.Timedelta(days=30), trials=2000, rng=7,
                        percentiles=(50, 85))
    t = v.tables["forecast"]
    assert t["days"].tolist() == fc.table["periods"].tolist()
    assert t["items_in_horizon"].tolist() == hm.table["items"].tolist()
    assert v.values["days"] == int(t.loc["P85", "days"]) and v.values["seed"] == 7
    assert f"{v.values['days']} days" in v.text
    # more confidence never means an earlier date, and never more items
    assert t.loc["P85", "days"] >= t.loc["P50", "days"]
    assert t.loc["P85", "items_in_horizon"] <= t.loc["P50", "items_in_horizon"]
    ax = v.figures["forecast"].axes[0]
    assert {ln.get_gid() for ln in ax.lines} >= {"P50", "P85"}


def test_bigger_backlog_never_finishes_sooner(board):
    small = bench.update(board, backlog=10, trials=1000, seed=1).values["days"]
    large = bench.update(board, backlog=60, trials=1000, seed=1).values["days"]
    assert large >= small


def test_bad_settings_name_the_fix(steady):
    with pytest.raises(ValidationError, match="percentile 100.*between 0 and 100"):
        bench.update(steady, percentile=100)
    with pytest.raises(ValidationError, match="backlog 0.*at least 1"):
        bench.update(steady, backlog=0)


def test_build_ui_builds_and_reruns_on_a_control_change(steady):
    ui = bench.build_ui(steady, trials=300)
    assert isinstance(ui, widgets.HBox) and "tpmkit-agile-forecast" in ui._dom_classes
    controls, output = ui.children
    headline, img, grid, status = output.children
    assert img.value[:4] == b"\x89PNG" and "P85" in grid.value and status.value == ""
    backlog = controls.children[1]
    backlog.value = 4
    assert "4 items done within 4 days" in headline.value
