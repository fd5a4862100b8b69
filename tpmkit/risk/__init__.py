"""Schedule risk: the risk register (``tpmkit.risk.register``) and Monte Carlo simulation.

The register's public names are re-exported here; the Monte Carlo engineer extends this file
with the simulation API.
"""

from __future__ import annotations

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

__all__ = [
    "DEFAULT_BANDS",
    "REGISTER_COLUMNS",
    "RESPONSES",
    "RISK_TYPES",
    "exposure",
    "heat_map",
    "normalize_register",
    "read_register",
]
