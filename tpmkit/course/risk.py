"""Exercises of lesson 04 (risk): merge bias, Monte Carlo P80, confidence of the CPM date.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tpmkit.course._authoring import (
    Spec,
    compare_numbers,
    random_tasks,
    register,
)
from tpmkit.cpm import format_number as _fmt

# Importing this module registers its exercises (see tpmkit.course.tutor); it exports nothing.
__all__: list[str] = []


def _merge_data(rng: np.random.Generator) -> dict[str, Any]:
    o = float(rng.integers(5, 10))
    m = o + float(rng.integers(2, 6))
    p = m + float(rng.integers(3, 10))
    mean = (o + 4 * m + p) / 6
    return {"paths": int(rng.integers(2, 7)), "optimistic": o, "most_likely": m,
            "pessimistic": p, "target": float(np.round(mean + rng.uniform(0, 2)))}


def _merge_parts(d: dict[str, Any]) -> tuple[float, float, float, float]:
    from tpmkit.pert import moments, probability_of

    mean, var = moments(d["optimistic"], d["most_likely"], d["pessimistic"])
    q = probability_of(float(mean), float(np.sqrt(var)), d["target"])
    return float(mean), float(np.sqrt(var)), float(q), float(q) ** d["paths"]


register(Spec(
    id="merge-bias", lesson="04_risk", title="Merge bias by formula",
    answer_format="probability between 0 and 1, at least 2 decimals",
    make=_merge_data,
    prompt=lambda d: (f"{d['paths']} independent parallel paths merge into the finish. Each is "
                      f"one task estimated at {_fmt(d['optimistic'])} / "
                      f"{_fmt(d['most_likely'])} / {_fmt(d['pessimistic'])} working days. With "
                      f"PERT's normal approximation per path, what is the probability that the "
                      f"finish is within {_fmt(d['target'])} working days?"),
    solve=lambda d: [_merge_parts(d)[3]],
    compare=compare_numbers(["probability"]),
    hint=("First the probability q that ONE path meets the target (PERT mean and σ, z, Φ(z)); "
          "the finish waits for all paths, so with independent paths P = q^k."),
    explain=lambda d, e: (
        "mean = (o + 4m + p)/6 = {:.4f}, σ = (p − o)/6 = {:.4f}; q = Φ(({} − mean)/σ) = {:.4f}; "
        "P = q^{} = {:.4f}. CPM (and single-path PERT) would have said {:.4f}.".format(
            *_merge_parts(d)[:2], _fmt(d["target"]), _merge_parts(d)[2], d["paths"], e[0],
            _merge_parts(d)[2])),
))


def _mc_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.io import read

    tasks = random_tasks(rng, 5, 7)
    d = tasks["duration"].to_numpy()
    tasks = tasks.drop(columns="duration").assign(
        optimistic=np.maximum(d - rng.integers(0, 3, size=len(d)), 1.0), most_likely=d,
        pessimistic=d + rng.integers(1, 8, size=len(d)))
    return {"tasks": tasks.set_index("id"), "project": read(tasks),
            "seed": int(rng.integers(0, 10_000)), "iterations": 5000}


def _mc_result(d: dict[str, Any]):
    from tpmkit.risk import simulate

    return simulate(d["project"], d["iterations"], rng=d["seed"], progress=False,
                    risk_drivers=False)


def _mc_prompt(question: str):
    return lambda d: (f"Simulate the network in data['project'] (three-point estimates in "
                      f"data['tasks']) with tpmkit.risk.simulate(project, {d['iterations']}, "
                      f"rng={d['seed']}). {question}")


register(Spec(
    id="monte-carlo-p80", lesson="04_risk", title="Read the P80 of a simulation",
    answer_format="P80 of the finish in working days (0.05 accepted)",
    make=_mc_data,
    prompt=_mc_prompt("Within how many working days does the project finish with 80 % "
                      "confidence?"),
    solve=lambda d: [float(_mc_result(d).percentile(80))],
    compare=compare_numbers(["P80"], abs_tol=0.05),
    hint=("The P80 is the 80th percentile of the simulated finishes: result.percentile(80), "
          "or read it off the S-curve at 80 %. The same seed gives the same number."),
    explain=lambda d, e: (
        f"result = tpmkit.risk.simulate(project, {d['iterations']}, rng={d['seed']}); "
        f"result.percentile(80) = {e[0]:.3f} working days (CPM alone says "
        f"{_mc_result(d).deterministic_duration:g})."),
))

register(Spec(
    id="deterministic-confidence", lesson="04_risk",
    title="How likely is the CPM date?",
    answer_format="probability between 0 and 1, at least 2 decimals",
    make=_mc_data,
    prompt=_mc_prompt("In what share of the iterations does the project finish no later than "
                      "its deterministic (CPM) duration computed from the PERT means?"),
    solve=lambda d: [float(_mc_result(d).deterministic_confidence)],
    compare=compare_numbers(["probability"]),
    hint=("Compare the simulated finishes with result.deterministic_duration: the share at or "
          "below it (result.deterministic_confidence). Merge points usually push it below 50 %."),
    explain=lambda d, e: (
        f"CPM on the PERT means: {_mc_result(d).deterministic_duration:.3f} working days; the "
        f"share of the {d['iterations']} simulated finishes at or below it is {e[0]:.4f}."),
))
