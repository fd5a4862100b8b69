"""Resources: loading, over-allocation, cost and levelling.

* :mod:`tpmkit.resources.loading` -- :func:`loading` spreads each assignment over the
  working days its task occupies, compares the usage with the capacities of the
  ``resources`` table and finds the over-allocation periods and the tasks that cause
  them; :func:`usage`, :func:`overallocations`, :func:`histogram`, :func:`resource_table`.
* :mod:`tpmkit.resources.cost` -- :func:`cost`: the cost of every task from fixed costs,
  task rates and resource rates.
* :mod:`tpmkit.resources.levelling` -- :func:`level` (a schedule within capacity that
  keeps every link) and :func:`solve_rcpsp` (the array-level RCPSP engine for PSPLIB
  data); the compiled search kernels live in :mod:`tpmkit.resources._search`.

Crashing is :mod:`tpmkit.compression`, critical chain :mod:`tpmkit.ccpm`.
"""

from tpmkit.resources.cost import CostBreakdown, cost
from tpmkit.resources.levelling import (
    RULES,
    SCHEMES,
    SEARCHES,
    LevelResult,
    RcpspSolution,
    level,
    solve_rcpsp,
)
from tpmkit.resources.loading import (
    Loading,
    histogram,
    loading,
    overallocations,
    resource_table,
    schedule_times,
    usage,
)

__all__ = [
    "RULES",
    "SCHEMES",
    "SEARCHES",
    "CostBreakdown",
    "LevelResult",
    "Loading",
    "RcpspSolution",
    "cost",
    "histogram",
    "level",
    "loading",
    "overallocations",
    "resource_table",
    "schedule_times",
    "solve_rcpsp",
    "usage",
]
