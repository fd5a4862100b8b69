"""Quality control: control charts and run rules, defect metrics, test progress, quality gates.

* **Statistical process control** (:mod:`~tpmkit.quality.spc`): :func:`xmr`, :func:`xbar_r`,
  :func:`xbar_s`, :func:`p_chart`, :func:`np_chart`, :func:`c_chart`, :func:`u_chart` return a
  :class:`ControlChart` whose points carry the Nelson / Western Electric rules that fired
  (:mod:`~tpmkit.quality.rules`); limits are recomputed per named phase. The factors
  (d2, d3, c4, A2, D3, D4, A3, B3, B4) come from their definitions
  (:mod:`~tpmkit.quality.constants`).
* **Defect metrics** (:mod:`~tpmkit.quality.defects`): :func:`defect_log` validates the log;
  :func:`defect_trend`, :func:`open_by_severity`, :func:`defect_density`,
  :func:`removal_efficiency`, :func:`phase_containment`, :func:`time_to_resolve` and the
  bundle :func:`defect_metrics`.
* **Test execution** (:mod:`~tpmkit.quality.testing`): :func:`execution_log`,
  :func:`execution_progress` (planned / executed / passed against plan).
* **Quality gates** (:mod:`~tpmkit.quality.gates`): :func:`gate_checklist` validates the
  criteria per gate; :func:`evaluate_gates` returns a :class:`GateResult` (pass / waived /
  pending / fail with reasons and a RAG colour per milestone).

Every function takes tables as DataFrames or lists of rows and reads no file; read a CSV with
:func:`tpmkit.io.read_table` first.
"""

from __future__ import annotations

from tpmkit.quality.constants import c4, chart_constants, constants_table, d2, d3
from tpmkit.quality.defects import (
    PHASES,
    SEVERITIES,
    DefectMetrics,
    defect_density,
    defect_log,
    defect_metrics,
    defect_trend,
    open_by_severity,
    phase_containment,
    removal_efficiency,
    time_to_resolve,
)
from tpmkit.quality.gates import (
    CRITERION_STATUSES,
    GATE_RAG,
    GateResult,
    evaluate_gates,
    gate_checklist,
)
from tpmkit.quality.rules import RULE_DESCRIPTIONS, RULE_SETS
from tpmkit.quality.spc import (
    CHART_KINDS,
    ControlChart,
    c_chart,
    np_chart,
    p_chart,
    u_chart,
    xbar_r,
    xbar_s,
    xmr,
)
from tpmkit.quality.testing import execution_log, execution_progress

__all__ = [
    "CHART_KINDS",
    "CRITERION_STATUSES",
    "GATE_RAG",
    "PHASES",
    "RULE_DESCRIPTIONS",
    "RULE_SETS",
    "SEVERITIES",
    "ControlChart",
    "DefectMetrics",
    "GateResult",
    "c4",
    "c_chart",
    "chart_constants",
    "constants_table",
    "d2",
    "d3",
    "defect_density",
    "defect_log",
    "defect_metrics",
    "defect_trend",
    "evaluate_gates",
    "execution_log",
    "execution_progress",
    "gate_checklist",
    "np_chart",
    "open_by_severity",
    "p_chart",
    "phase_containment",
    "removal_efficiency",
    "time_to_resolve",
    "u_chart",
    "xbar_r",
    "xbar_s",
    "xmr",
]
