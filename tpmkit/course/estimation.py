"""Exercises of lesson 02 (estimation): three-point estimate, COCOMO II effort, throughput.
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
from tpmkit.cpm import format_number as _fmt

# Importing this module registers its exercises (see tpmkit.course.tutor); it exports nothing.
__all__: list[str] = []


def _three_point_data(rng: np.random.Generator) -> dict[str, Any]:
    o = float(rng.integers(2, 10))
    m = o + float(rng.integers(1, 8))
    p = m + float(rng.integers(2, 15))
    return {"optimistic": o, "most_likely": m, "pessimistic": p}


def _three_point_solve(d: dict[str, Any]) -> list[float]:
    from tpmkit.estimate import three_point

    r = three_point([d["optimistic"]], [d["most_likely"]], [d["pessimistic"]])
    return [float(r["mean"].iloc[0]), float(r["std_classic"].iloc[0])]


register(Spec(
    id="three-point-estimate", lesson="02_estimation", title="Three-point (PERT) estimate",
    answer_format="(mean, standard deviation) in working days, at least 2 decimals",
    make=_three_point_data,
    prompt=lambda d: (f"A task is estimated at optimistic {_fmt(d['optimistic'])}, most likely "
                      f"{_fmt(d['most_likely'])} and pessimistic {_fmt(d['pessimistic'])} "
                      "working days. Give its PERT mean and its classic PERT standard "
                      "deviation."),
    solve=_three_point_solve,
    compare=compare_numbers(["mean", "standard deviation"]),
    hint="PERT mean = (o + 4m + p) / 6; classic standard deviation = (p − o) / 6.",
    explain=lambda d, e: (
        f"mean = ({_fmt(d['optimistic'])} + 4·{_fmt(d['most_likely'])} + "
        f"{_fmt(d['pessimistic'])}) / 6 = {e[0]:.4f}; σ = ({_fmt(d['pessimistic'])} − "
        f"{_fmt(d['optimistic'])}) / 6 = {e[1]:.4f} working days."),
))

_SF_RATINGS = ["very_low", "low", "nominal", "high", "very_high"]


def _cocomo_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.estimate import COCOMO2_SCALE_FACTORS

    factors = list(COCOMO2_SCALE_FACTORS)
    chosen = rng.choice(len(factors), size=2, replace=False)
    return {"ksloc": float(rng.integers(10, 120)),
            "scale_factors": {factors[i]: str(rng.choice(_SF_RATINGS)) for i in chosen},
            "effort_multipliers": {"CPLX": str(rng.choice(["low", "nominal", "high"]))}}


def _cocomo_result(d: dict[str, Any]):
    from tpmkit.estimate import cocomo2

    return cocomo2(d["ksloc"], d["scale_factors"], d["effort_multipliers"])


def _cocomo_explain(d: dict[str, Any], e: list[float]) -> str:
    r = _cocomo_result(d)
    rated = {k: v for k, v in r.ratings.items() if v != "nominal"}
    return (f"ΣSF = {r.scale_factor_sum:.2f} (non-nominal ratings {rated}); E = 0.91 + 0.01·ΣSF = "
            f"{r.exponent:.4f}; EAF = ΠEM = {r.eaf:.4f}; PM = 2.94 · {_fmt(d['ksloc'])}^E · EAF "
            f"= {e[0]:.2f} person-months.")


register(Spec(
    id="cocomo2-effort", lesson="02_estimation", title="COCOMO II effort",
    answer_format="effort in person-months (a number; 0.1 % accepted)",
    make=_cocomo_data,
    prompt=lambda d: (f"A {_fmt(d['ksloc'])} KSLOC system has scale factors "
                      f"{d['scale_factors']} (others nominal) and effort multipliers "
                      f"{d['effort_multipliers']} (others nominal). Estimate its COCOMO II.2000 "
                      "effort."),
    solve=lambda d: [float(_cocomo_result(d).effort_pm)],
    compare=compare_numbers(["effort"], abs_tol=0.05),
    hint=("Look up the scale-factor weights in tpmkit.estimate.COCOMO2_SCALE_FACTORS (nominal "
          "ones count too), E = 0.91 + 0.01·ΣSF, PM = 2.94 · KSLOC^E · ΠEM."),
    explain=_cocomo_explain,
))


def _throughput_data(rng: np.random.Generator) -> dict[str, Any]:
    history = rng.integers(2, 12, size=int(rng.integers(8, 14)))
    return {"history": pd.Series(history, index=pd.RangeIndex(1, len(history) + 1,
                                                                name="week"), name="items"),
            "remaining": int(rng.integers(25, 60)), "seed": int(rng.integers(0, 10_000))}


def _throughput_result(d: dict[str, Any]):
    from tpmkit.estimate import throughput_forecast

    return throughput_forecast(d["history"], remaining=d["remaining"], trials=10_000,
                               confidence=(85,), rng=d["seed"])


register(Spec(
    id="throughput-forecast", lesson="02_estimation", title="When will N items be done?",
    answer_format="number of weeks at 85 % confidence (a whole number)",
    make=_throughput_data,
    prompt=lambda d: (f"The team finished data['history'] items per week. Run "
                      f"tpmkit.estimate.throughput_forecast(history, remaining={d['remaining']}, "
                      f"trials=10_000, confidence=(85,), rng={d['seed']}): in how many weeks "
                      f"are the {d['remaining']} remaining items done with 85 % confidence?"),
    solve=lambda d: [float(_throughput_result(d).table.iloc[0, 0])],
    compare=compare_numbers(["weeks"], abs_tol=0.5),
    hint=("Each trial draws past weeks at random (with replacement) until the backlog is "
          "done; the 85 % forecast is the 85th percentile of the trial lengths. With the "
          "same seed you get the same answer."),
    explain=lambda d, e: (
        f"Mean throughput {d['history'].mean():.2f} items/week gives a naive "
        f"{d['remaining'] / d['history'].mean():.1f} weeks; the bootstrap's 85th percentile "
        f"over 10,000 trials is {_fmt(e[0])} weeks."),
))
