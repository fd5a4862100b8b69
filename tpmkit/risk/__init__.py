"""Schedule risk: the risk register and Monte Carlo schedule/cost risk analysis.

* :mod:`tpmkit.risk.register` — validate and score a risk register (``normalize_register``).
* :func:`simulate` — Monte Carlo simulation of the CPM/PDM network with three-point
  distributions, correlation, risk events and branches → :class:`SimulationResult`.
* :func:`compare_mitigation` — the register before and after its responses.
* :mod:`tpmkit.risk.distributions` and :mod:`tpmkit.risk.correlation` — the quantile
  functions, Latin hypercube sampling and the Iman–Conover method.
"""

from __future__ import annotations

from tpmkit.risk.correlation import (
    CorrelationWarning,
    correlation_from_table,
    correlation_matrix,
    iman_conover,
    nearest_correlation,
)
from tpmkit.risk.distributions import DISTRIBUTIONS, latin_hypercube, quantile
from tpmkit.risk.register import (
    DEFAULT_BANDS,
    REGISTER_COLUMNS,
    RESPONSES,
    RISK_TYPES,
    exposure,
    heat_map,
    normalize_register,
    read_register,
)
from tpmkit.risk.simulation import (
    MitigationComparison,
    SimulationResult,
    compare_mitigation,
    simulate,
)

__all__ = [
    "DEFAULT_BANDS",
    "DISTRIBUTIONS",
    "REGISTER_COLUMNS",
    "RESPONSES",
    "RISK_TYPES",
    "CorrelationWarning",
    "MitigationComparison",
    "SimulationResult",
    "compare_mitigation",
    "correlation_from_table",
    "correlation_matrix",
    "exposure",
    "heat_map",
    "iman_conover",
    "latin_hypercube",
    "nearest_correlation",
    "normalize_register",
    "quantile",
    "read_register",
    "simulate",
]
