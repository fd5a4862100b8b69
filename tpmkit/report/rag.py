"""RAG (red / amber / green) rules of the status report and its executive summary.

References
----------
.. [1] Project Management Institute, *A Guide to the Project Management Body of Knowledge
   (PMBOK Guide)*, 6th ed., 2017, §10.3.3.1 (work performance reports: status reports,
   RAG "stoplight" charts) and §7.4.2.2 (SPI, CPI).
.. [2] W. Lipke, "Schedule is different", *The Measurable News*, March 2003 (SPI(t)).
.. [3] D. T. Hulett, *Practical Schedule Risk Analysis*, Gower, 2009, ch. 1 (P80 as the
   conservative commitment level).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, check_option

__all__ = ["RAG_ORDER", "RAG_THRESHOLDS", "ExecutiveSummary", "executive_summary", "index_rag",
           "overall_rag", "schedule_rag"]
__all__ += ["gate_milestone_rag"]

#: Performance-index thresholds of the RAG status: green at or above ``green``, amber at or
#: above ``amber``, red below (the customary 0.95 / 0.90 bands for SPI, CPI and SPI(t)).
RAG_THRESHOLDS: dict[str, float] = {"green": 0.95, "amber": 0.90}
#: Statuses from best to worst; ``n/a`` marks an indicator without data.
RAG_ORDER = ("green", "amber", "red")
# tolerance when comparing finishes with the deadline [working days]
_EPS = 1e-9


def missing(value: Any) -> bool:
    """True for None, NaT, NaN and anything that is not a number."""
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(np.isnan(float(value)))
    except (TypeError, ValueError):
        return True


@dataclass(frozen=True)
class ExecutiveSummary:
    """The RAG indicators of the executive summary (:func:`executive_summary`).

    Attributes
    ----------
    table : DataFrame
        Indexed by ``indicator`` (``SPI``, ``CPI``, ``SPI(t)``, ``P80 vs deadline``) with
        ``value`` (the index, or the P80 finish [working days]), ``target`` (1.0, or the
        deadline [working days]), ``rule`` (the thresholds in words) and ``status``.
    overall : str
        The worst known status (:func:`overall_rag`).
    p50, p80 : float
        Simulated P50 / P80 finish [working days from the project start]; NaN without a
        simulation.
    """

    table: pd.DataFrame
    overall: str
    p50: float
    p80: float

    def _repr_html_(self) -> str:
        return f"<p>Overall status: <b>{self.overall.upper()}</b></p>" + self.table.to_html()

def index_rag(value: float | None, green: float = RAG_THRESHOLDS["green"],
              amber: float = RAG_THRESHOLDS["amber"]) -> str:
    """RAG status of a performance index (SPI, CPI, SPI(t)).

    Parameters
    ----------
    value : float or None
        The index [dimensionless]; 1.0 = on plan.
    green, amber : float
        Lower bounds of the green and amber bands (``green ≥ amber``).

    Returns
    -------
    str
        ``"green"`` when ``value ≥ green``, ``"amber"`` when ``value ≥ amber``, ``"red"``
        below, ``"n/a"`` when the value is missing or NaN.

    References
    ----------
    .. [1] PMBOK Guide, 6th ed., §7.4.2.2 (SPI = EV/PV, CPI = EV/AC; > 1 is favourable).

    Examples
    --------
    >>> index_rag(0.97), index_rag(0.92), index_rag(0.72), index_rag(float("nan"))
    ('green', 'amber', 'red', 'n/a')
    """
    if green < amber:
        raise ValidationError(f"RAG thresholds out of order: green {green} < amber {amber}; "
                              "the green bound must be at least the amber bound")
    if missing(value):
        return "n/a"
    v = float(value)
    return "green" if v >= green else "amber" if v >= amber else "red"


def schedule_rag(p50: float | None, p80: float | None, deadline: float | None) -> str:
    """RAG status of the simulated finish against the deadline.

    Parameters
    ----------
    p50, p80 : float or None
        Simulated finish percentiles [working days from the project start].
    deadline : float or None
        Deadline as a finish offset [working days from the project start].

    Returns
    -------
    str
        ``"green"`` when P80 ≤ deadline (the deadline holds at 80 % confidence),
        ``"amber"`` when only P50 ≤ deadline, ``"red"`` when even P50 is later,
        ``"n/a"`` without a deadline or a simulation.

    References
    ----------
    .. [1] D. T. Hulett, *Practical Schedule Risk Analysis*, 2009, ch. 1.

    Examples
    --------
    >>> schedule_rag(90.0, 95.2, 96.0), schedule_rag(90.0, 95.2, 92.0), schedule_rag(93, 97, 92)
    ('green', 'amber', 'red')
    """
    if missing(p50) or missing(p80) or missing(deadline):
        return "n/a"
    if float(p80) <= float(deadline) + _EPS:
        return "green"
    return "amber" if float(p50) <= float(deadline) + _EPS else "red"


def overall_rag(statuses: Iterable[str]) -> str:
    """The worst status among ``statuses`` (``n/a`` entries ignored; all ``n/a`` → ``n/a``).

    Examples
    --------
    >>> overall_rag(["green", "amber", "n/a"]), overall_rag(["n/a"])
    ('amber', 'n/a')
    """
    known = [check_option(s, RAG_ORDER + ("n/a",), "RAG status") for s in statuses]
    known = [s for s in known if s != "n/a"]
    return max(known, key=RAG_ORDER.index) if known else "n/a"


def executive_summary(evm_row: Mapping[str, Any] | pd.Series | None = None,
                      simulation: Any = None, deadline: float | None = None, *,
                      green: float = RAG_THRESHOLDS["green"],
                      amber: float = RAG_THRESHOLDS["amber"]) -> ExecutiveSummary:
    """The RAG indicators of the executive summary, with the rule each one follows.

    Parameters
    ----------
    evm_row : Series or mapping, optional
        The status period of :func:`tpmkit.evm.metrics` (:func:`tpmkit.evm.latest`);
        ``spi``, ``cpi`` and ``spi_t`` are read. None: the three indices are ``n/a``.
    simulation : SimulationResult, optional
        Result of :func:`tpmkit.risk.simulate`; its P50 and P80 finish are compared with
        ``deadline``. None: the schedule-risk indicator is ``n/a``.
    deadline : float, optional
        Deadline [working days from the project start], e.g. ``project.deadline_offset``.
    green, amber : float
        Index bands (see :func:`index_rag`).

    Returns
    -------
    ExecutiveSummary
        ``table`` indexed by ``indicator`` (``SPI``, ``CPI``, ``SPI(t)``, ``P80 vs
        deadline``) with ``value``, ``target``, ``rule`` and ``status``; ``overall`` (the
        worst known status), ``p50`` and ``p80``.

    References
    ----------
    .. [1] PMBOK Guide, 6th ed., §7.4.2.2 and §10.3.3.1.
    .. [2] W. Lipke, The Measurable News, March 2003 (SPI(t) = ES/AT).

    Examples
    --------
    >>> t = executive_summary({"spi": 0.93, "cpi": 1.01, "spi_t": 0.96})
    >>> t.table["status"].tolist(), t.overall
    (['amber', 'green', 'green', 'n/a'], 'amber')
    """
    def get(key: str) -> float:
        if evm_row is None:
            return math.nan
        v = evm_row.get(key) if hasattr(evm_row, "get") else None
        return math.nan if missing(v) else float(v)

    band = f"green ≥ {green:.2f}, amber ≥ {amber:.2f}, red below"
    rows = [(name, get(key), 1.0, band, index_rag(get(key), green, amber))
            for name, key in (("SPI", "spi"), ("CPI", "cpi"), ("SPI(t)", "spi_t"))]
    p50 = p80 = math.nan
    if simulation is not None:
        p50, p80 = (float(x) for x in simulation.percentile([50, 80]))
    target = math.nan if missing(deadline) else float(deadline)
    rows.append(("P80 vs deadline", p80, target,
                 "green: P80 ≤ deadline; amber: P50 ≤ deadline; red: P50 later",
                 schedule_rag(p50, p80, target)))
    out = pd.DataFrame(rows, columns=["indicator", "value", "target", "rule", "status"])
    out = out.set_index("indicator")
    return ExecutiveSummary(table=out, overall=overall_rag(out["status"]), p50=p50, p80=p80)


# --------------------------------------------------------------------------- quality gates
def gate_milestone_rag(gates: pd.DataFrame) -> pd.DataFrame:
    """RAG of each gated milestone: the worst of the gates on it (a failed gate is red).

    Parameters
    ----------
    gates : DataFrame
        :attr:`tpmkit.quality.GateResult.table` (``milestone``: ids separated by ``;``,
        ``status``, ``rag``).

    Returns
    -------
    DataFrame
        Indexed by milestone task id: ``gates`` (names), ``status`` (worst gate result) and
        ``rag``.

    Examples
    --------
    >>> g = pd.DataFrame({"milestone": ["M1", "M1", "M2"], "status": ["pass", "fail", "waived"],
    ...                   "rag": ["green", "red", "amber"]}, index=["G1", "G2", "G3"])
    >>> gate_milestone_rag(g)["rag"].to_dict()
    {'M1': 'red', 'M2': 'amber'}
    """
    rows: dict[str, dict[str, Any]] = {}
    for gate, row in gates.iterrows():
        for m in [x.strip() for x in str(row["milestone"] or "").split(";") if x.strip()]:
            entry = rows.setdefault(m, {"gates": [], "statuses": [], "rags": []})
            entry["gates"].append(str(gate))
            entry["statuses"].append(str(row["status"]))
            entry["rags"].append(str(row["rag"]))
    out = {m: {"gates": ", ".join(e["gates"]), "status": max(
        e["statuses"], key=("pass", "waived", "pending", "fail").index),
        "rag": overall_rag(e["rags"])} for m, e in rows.items()}
    return pd.DataFrame.from_dict(out, orient="index", columns=["gates", "status", "rag"]
                                  ).rename_axis("id")
