"""Quality control: control charts and run rules, defect metrics, test progress, quality gates.

* **Statistical process control** (:mod:`~tpmkit.quality.spc`): :func:`xmr`, :func:`xbar_r`,
  :func:`xbar_s`, :func:`p_chart`, :func:`np_chart`, :func:`c_chart`, :func:`u_chart` return a
  :class:`ControlChart` whose points carry the Nelson / Western Electric rules that fired
  (:mod:`~tpmkit.quality.rules`); limits are recomputed per named phase. The factors
  (d2, d3, c4, A2, D3, D4, A3, B3, B4) come from their definitions
  (:mod:`~tpmkit.quality.constants`).

Every function takes tables as DataFrames or lists of rows and reads no file; read a CSV with
:func:`tpmkit.io.read_table` first.
"""

from __future__ import annotations

from tpmkit.quality.constants import c4, chart_constants, constants_table, d2, d3
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

__all__ = [
    "CHART_KINDS",
    "RULE_DESCRIPTIONS",
    "RULE_SETS",
    "ControlChart",
    "c4",
    "c_chart",
    "chart_constants",
    "constants_table",
    "d2",
    "d3",
    "np_chart",
    "p_chart",
    "u_chart",
    "xbar_r",
    "xbar_s",
    "xmr",
]
