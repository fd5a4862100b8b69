"""Exercises of lesson 05 (earned value): CPI and SPI, estimate at completion, earned schedule.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tpmkit.course._authoring import (
    Spec,
    compare_numbers,
    register,
)

# Importing this module registers its exercises (see tpmkit.course.tutor); it exports nothing.
__all__: list[str] = []


def _evm_data(rng: np.random.Generator) -> dict[str, Any]:
    n = int(rng.integers(8, 13))
    monthly = rng.integers(5, 20, size=n) * 1000.0
    pv = np.cumsum(monthly)
    status = int(rng.integers(3, n - 2))
    ev_frac = rng.uniform(0.75, 1.1)
    ev = np.round(pv[:status] * ev_frac * np.linspace(0.95, 1.0, status), -2)
    ev = np.maximum.accumulate(np.minimum(ev, pv[-1]))
    ac = np.round(ev * rng.uniform(0.85, 1.25), -2)
    periods = pd.DataFrame({"period": np.arange(1, n + 1), "pv": pv,
                            "ev": np.r_[ev, np.full(n - status, np.nan)],
                            "ac": np.r_[ac, np.full(n - status, np.nan)]}).set_index("period")
    return {"periods": periods, "status_period": status, "bac": float(pv[-1])}


def _evm_row(d: dict[str, Any]) -> pd.Series:
    import warnings

    from tpmkit.evm import EVMWarning, metrics

    with warnings.catch_warnings():
        # Some variants overspend the budget, leaving TCPI(BAC) undefined; the exercises
        # ask only for CPI, SPI, EAC and earned schedule, which stay defined.
        warnings.simplefilter("ignore", EVMWarning)
        table = metrics(d["periods"].reset_index(), bac=d["bac"]).table
    return table.loc[d["status_period"]]


def _evm_prompt(question: str):
    return lambda d: (f"data['periods'] holds cumulative PV, EV and AC per month (BAC = "
                      f"{d['bac']:,.0f}); the status date is the end of month "
                      f"{d['status_period']}. {question}")


def _indices_explain(d: dict[str, Any], e: list[float]) -> str:
    r = _evm_row(d)
    return (f"At month {d['status_period']}: PV = {r.pv:,.0f}, EV = {r.ev:,.0f}, AC = "
            f"{r.ac:,.0f}. CPI = EV / AC = {e[0]:.4f}; SPI = EV / PV = {e[1]:.4f}.")


register(Spec(
    id="evm-indices", lesson="05_earned_value", title="Cost and schedule performance indices",
    answer_format="(cpi, spi) as two numbers, at least 2 decimals",
    make=_evm_data,
    prompt=_evm_prompt("Compute CPI and SPI at the status date."),
    solve=lambda d: [float(_evm_row(d)["cpi"]), float(_evm_row(d)["spi"])],
    compare=compare_numbers(["cpi", "spi"]),
    hint="Use the cumulative values at the status month: CPI = EV / AC, SPI = EV / PV.",
    explain=_indices_explain,
))


def _eac_explain(d: dict[str, Any], e: list[float]) -> str:
    r = _evm_row(d)
    return (f"CPI = EV / AC = {r.ev:,.0f} / {r.ac:,.0f} = {r.cpi:.4f}; EAC = BAC / CPI = "
            f"{d['bac']:,.0f} / {r.cpi:.4f} = {e[0]:,.2f}; SPI = {r.spi:.4f}; EAC(CPI×SPI) = "
            f"AC + (BAC − EV) / (CPI·SPI) = {e[1]:,.2f}.")


register(Spec(
    id="evm-eac", lesson="05_earned_value", title="Estimate at completion",
    answer_format="(eac_cpi, eac_cpi_spi) in currency units (0.1 % accepted)",
    make=_evm_data,
    prompt=_evm_prompt("Forecast the estimate at completion twice: with the CPI (future work "
                       "at today's cost efficiency) and with CPI × SPI."),
    solve=lambda d: [float(_evm_row(d)["eac_cpi"]), float(_evm_row(d)["eac_cpi_spi"])],
    compare=compare_numbers(["EAC (CPI)", "EAC (CPI×SPI)"]),
    hint="EAC = BAC / CPI; EAC = AC + (BAC − EV) / (CPI · SPI).",
    explain=_eac_explain,
))


def _es_explain(d: dict[str, Any], e: list[float]) -> str:
    r = _evm_row(d)
    pv = d["periods"]["pv"].to_numpy()
    c = int(np.sum(pv <= r.ev))
    pv_c = pv[c - 1] if c else 0.0
    pv_next = pv[c] if c < len(pv) else pv[-1]
    return (f"EV = {r.ev:,.0f} lies between cumulative PV {pv_c:,.0f} (end of month {c}) and "
            f"{pv_next:,.0f} (month {c + 1}). ES = C + (EV − PV_C) / (PV_C+1 − PV_C) = {c} + "
            f"({r.ev:,.0f} − {pv_c:,.0f}) / ({pv_next:,.0f} − {pv_c:,.0f}) = {e[0]:.4f} months; "
            f"SPI(t) = ES / AT = {e[0]:.4f} / {d['status_period']} = {e[1]:.4f}.")


register(Spec(
    id="earned-schedule", lesson="05_earned_value", title="Earned schedule",
    answer_format="(es, spi_t): ES in months and SPI(t), at least 2 decimals",
    make=_evm_data,
    prompt=_evm_prompt("When was today's earned value planned to be earned? Give the earned "
                       "schedule ES and the time-based index SPI(t) = ES / AT."),
    solve=lambda d: [float(_evm_row(d)["es"]), float(_evm_row(d)["spi_t"])],
    compare=compare_numbers(["ES", "SPI(t)"]),
    hint=("Find the last month C whose cumulative PV is ≤ EV, then interpolate linearly "
          "into month C + 1 (Lipke): ES = C + (EV − PV_C)/(PV_C+1 − PV_C)."),
    explain=_es_explain,
))
