"""Agile delivery analytics: Scrum and Kanban metrics and forecasts from work items.

:func:`items` validates a table of work items (Jira or generic export, DataFrame) into a frozen
:class:`Board`; the metrics (:func:`cycle_time_percentiles`, :func:`throughput`, :func:`wip`,
:func:`aging_wip`, :func:`cumulative_flow`, :func:`arrivals`, :func:`littles_law`,
:func:`flow_efficiency`, :func:`velocity`, :func:`burndown`, :func:`burnup`) and the Monte Carlo
forecasts (:func:`when`, :func:`how_many`, :func:`release_forecast`) read only a Board. Files are
read by :func:`tpmkit.io.read_items`; charts live in :mod:`tpmkit.plot`.

Examples
--------
>>> import pandas as pd
>>> b = items(pd.DataFrame({"id": ["A", "B", "C"], "type": "story",
...                         "created": ["2021-01-04"] * 3,
...                         "started": ["2021-01-04", "2021-01-05", "2021-01-06"],
...                         "done": ["2021-01-05", "2021-01-08", None]}))
>>> float(cycle_time_percentiles(b).loc["all", "p50"])
2.0
"""

from __future__ import annotations

from tpmkit.agile.board import CATEGORIES, DEFAULT_WORKFLOW, Board, items
from tpmkit.agile.forecast import (
    Forecast,
    history,
    how_many,
    items_done,
    periods_needed,
    release_forecast,
    when,
)
from tpmkit.agile.metrics import (
    PERCENTILES,
    FlowEfficiency,
    LittlesLaw,
    aging_wip,
    arrivals,
    burndown,
    burnup,
    cumulative_flow,
    cycle_time_percentiles,
    cycle_times,
    days,
    flow_efficiency,
    littles_law,
    throughput,
    velocity,
    wip,
)

__all__ = [
    "CATEGORIES",
    "DEFAULT_WORKFLOW",
    "PERCENTILES",
    "Board",
    "FlowEfficiency",
    "Forecast",
    "LittlesLaw",
    "aging_wip",
    "arrivals",
    "burndown",
    "burnup",
    "cumulative_flow",
    "cycle_time_percentiles",
    "cycle_times",
    "days",
    "flow_efficiency",
    "history",
    "how_many",
    "items",
    "items_done",
    "littles_law",
    "periods_needed",
    "release_forecast",
    "throughput",
    "velocity",
    "when",
    "wip",
]
