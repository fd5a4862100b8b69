"""Charts for tpmkit results (matplotlib; ``ax=None`` in, ``Axes`` out).

Every function takes a finished result — a CPM table, a simulation result, an EVM
table, a risk register — draws it with one shared theme and a colour-blind-safe
(Okabe–Ito) palette, and returns the Axes. No scheduling math happens here.
``import tpmkit`` does not import this module (it pulls in matplotlib).

============================  ===============================================
family                        functions
============================  ===============================================
schedule                      :func:`gantt`, :func:`network`, :func:`milestone_trend`
schedule risk (Monte Carlo)   :func:`histogram`, :func:`s_curve`, :func:`tornado`,
                              :func:`criticality`, :func:`jcl_scatter`, :func:`merge_bias`
earned value                  :func:`evm_s_curve`, :func:`performance_trend`,
                              :func:`earned_schedule`
registers and planning        :func:`risk_heatmap`, :func:`resource_histogram`,
                              :func:`burnup`, :func:`power_interest_grid`, :func:`wbs_tree`
agile (tpmkit.agile)          :func:`sprint_burndown`, :func:`release_burnup`,
                              :func:`velocity`, :func:`cumulative_flow`,
                              :func:`cycle_time_scatter`, :func:`aging_wip`,
                              :func:`throughput_run`, :func:`forecast_histogram`
quality                       :func:`control_chart`, :func:`defect_arrival`,
                              :func:`open_defects`, :func:`execution_progress`
baselines                     :func:`baseline_comparison`, :func:`slip_chart`
============================  ===============================================
"""

from __future__ import annotations

from tpmkit.plot._theme import OKABE_ITO, RC, themed
from tpmkit.plot.agile import (
    aging_wip,
    cumulative_flow,
    cycle_time_scatter,
    forecast_histogram,
    release_burnup,
    sprint_burndown,
    throughput_run,
    velocity,
)
from tpmkit.plot.baselines import baseline_comparison, slip_chart
from tpmkit.plot.evm import earned_schedule, evm_s_curve, performance_trend
from tpmkit.plot.gantt import gantt
from tpmkit.plot.logs import aging_summary, issue_aging
from tpmkit.plot.milestones import milestone_trend
from tpmkit.plot.network import network
from tpmkit.plot.planning import burnup, power_interest_grid, resource_histogram, wbs_tree
from tpmkit.plot.quality import control_chart, defect_arrival, execution_progress, open_defects
from tpmkit.plot.risk import (
    criticality,
    histogram,
    jcl_scatter,
    merge_bias,
    risk_heatmap,
    s_curve,
    tornado,
)

__all__ = [
    "OKABE_ITO",
    "RC",
    "aging_summary",  # tpmkit.logs
    "aging_wip",
    "baseline_comparison",
    "burnup",
    "control_chart",
    "criticality",
    "cumulative_flow",
    "cycle_time_scatter",
    "defect_arrival",
    "earned_schedule",
    "evm_s_curve",
    "execution_progress",
    "forecast_histogram",
    "gantt",
    "histogram",
    "issue_aging",
    "jcl_scatter",
    "merge_bias",
    "milestone_trend",
    "network",
    "open_defects",
    "performance_trend",
    "power_interest_grid",
    "release_burnup",
    "resource_histogram",
    "risk_heatmap",
    "s_curve",
    "slip_chart",
    "sprint_burndown",
    "themed",
    "throughput_run",
    "tornado",
    "velocity",
    "wbs_tree",
]
