"""Exercises of lesson 01 (scoping): WBS cost roll-up, RACI check, EMV of a risk register.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tpmkit.course._authoring import (
    Spec,
    compare_numbers,
    compare_set,
    register,
)
from tpmkit.errors import ValidationError

# Importing this module registers its exercises (see tpmkit.course.tutor); it exports nothing.
__all__: list[str] = []


def _wbs_data(rng: np.random.Generator) -> dict[str, Any]:
    rows = []
    for a in range(1, int(rng.integers(2, 4)) + 1):
        for b in range(1, int(rng.integers(2, 4)) + 1):
            for c in range(1, int(rng.integers(1, 4)) + 1):
                rows.append({"wbs": f"{a}.{b}.{c}", "name": f"work package {a}.{b}.{c}",
                             "cost": float(rng.integers(2, 30) * 500)})
    frame = pd.DataFrame(rows)
    target = str(rng.choice(sorted({r["wbs"].rsplit(".", 1)[0] for r in rows}
                                   | {r["wbs"].split(".")[0] for r in rows})))
    return {"work_packages": frame.set_index("wbs"), "node": target}


def _wbs_solve(d: dict[str, Any]) -> list[float]:
    from tpmkit.scope import wbs_rollup

    return [float(wbs_rollup(d["work_packages"].reset_index()).loc[d["node"], "cost"])]


register(Spec(
    id="wbs-rollup", lesson="01_scoping", title="WBS cost roll-up",
    answer_format="cost of the WBS element [currency]",
    make=_wbs_data,
    prompt=lambda d: (f"data['work_packages'] lists the work packages of a WBS with their "
                      f"cost. What is the rolled-up cost of WBS element {d['node']}?"),
    solve=_wbs_solve,
    compare=compare_numbers(["cost"]),
    hint=("A summary element costs the sum of everything beneath it: add the work packages "
          "whose code starts with the element's code followed by a dot."),
    explain=lambda d, e: (
        f"Work packages under {d['node']}: " + " + ".join(
            f"{c:,.0f} ({w})" for w, c in d["work_packages"]["cost"].items()
            if str(w).startswith(d["node"] + ".")) + f" = {e[0]:,.0f}."),
))

_ROLES = ["sponsor", "pm", "architect", "dev", "qa", "ops"]


def _raci_data(rng: np.random.Generator) -> dict[str, Any]:
    deliverables = ["charter", "design", "build", "test plan", "release", "training",
                    "handover"][: int(rng.integers(5, 8))]
    matrix = pd.DataFrame("", index=pd.Index(deliverables, name="task"), columns=_ROLES)
    for t in deliverables:
        roles = rng.permutation(len(_ROLES))
        matrix.loc[t, _ROLES[roles[0]]] = "A"
        matrix.loc[t, _ROLES[roles[1]]] = "R"
        matrix.loc[t, _ROLES[roles[2]]] = str(rng.choice(["C", "I"]))
    broken = rng.choice(deliverables, size=int(rng.integers(1, 3)), replace=False)
    for t in broken:
        kind = rng.integers(0, 3)
        a_role = matrix.columns[matrix.loc[t] == "A"][0]
        if kind == 0:      # no accountable
            matrix.loc[t, a_role] = "R"
        elif kind == 1:    # two accountables
            free = matrix.columns[matrix.loc[t] == ""][0]
            matrix.loc[t, free] = "A"
        else:              # no responsible
            r_role = matrix.columns[matrix.loc[t] == "R"][0]
            matrix.loc[t, r_role] = "I"
    return {"raci": matrix}


def _raci_solve(d: dict[str, Any]) -> list[str]:
    from tpmkit.scope import raci

    bad = []
    for t in d["raci"].index:
        try:
            raci(d["raci"].loc[[t]].reset_index())
        except ValidationError:
            bad.append(str(t))
    return bad


register(Spec(
    id="raci-check", lesson="01_scoping", title="Validate a RACI matrix",
    answer_format="list of the deliverables (row names) that break the RACI rules",
    make=_raci_data,
    prompt=lambda d: ("data['raci'] assigns roles to deliverables. Which rows break the RACI "
                      "rules (exactly one A, at least one R)?"),
    solve=_raci_solve,
    compare=compare_set("rows"),
    hint="Count the A's in each row (must be exactly one) and check that some role holds an R.",
    explain=lambda d, e: "\n".join(
        f"  {t}: {(row == 'A').sum()} A, {row.str.contains('R').sum()} R"
        + ("  ← breaks the rules" if t in e else "") for t, row in d["raci"].iterrows()),
))


def _risk_data(rng: np.random.Generator) -> dict[str, Any]:
    n = int(rng.integers(5, 8))
    lo = rng.integers(1, 5, size=n)
    ml = lo + rng.integers(0, 6, size=n)
    hi = ml + rng.integers(1, 10, size=n)
    reg = pd.DataFrame({
        "id": [f"R{i + 1}" for i in range(n)],
        "probability": np.round(rng.uniform(0.05, 0.8, size=n), 2),
        "impact_days": [f"{a},{b},{c}" for a, b, c in zip(lo, ml, hi)]})
    return {"register": reg.set_index("id")}


def _risk_reg(d: dict[str, Any]) -> pd.DataFrame:
    from tpmkit.risk.register import normalize_register

    return normalize_register(d["register"].reset_index())


register(Spec(
    id="risk-emv", lesson="01_scoping", title="Expected schedule impact of a risk register",
    answer_format="(total emv_days, id of the risk with the largest emv_days)",
    make=_risk_data,
    prompt=lambda d: ("data['register'] lists threats with probability and a three-point "
                      "schedule impact (min, likely, max working days). What is the total "
                      "expected schedule impact (EMV in days) and which risk contributes most?"),
    solve=lambda d: [float(_risk_reg(d)["emv_days"].sum()),
                     str(_risk_reg(d)["emv_days"].idxmax())],
    compare=lambda a, e: (
        ["expected (total, risk id)"] if not isinstance(a, list | tuple) or len(a) != 2 else
        compare_numbers(["total EMV"])(a[0], e[:1])
        + ([] if str(a[1]) == e[1] else [f"{a[1]} is not the largest contributor"])),
    hint="EMV = probability × PERT mean impact, with mean = (min + 4·likely + max)/6; sum them.",
    explain=lambda d, e: "\n".join(
        f"  {i}: {r.probability:g} × ({r.impact_min:g} + 4·{r.impact_likely:g} + "
        f"{r.impact_max:g})/6 = {r.emv_days:.4f}" for i, r in _risk_reg(d).iterrows())
    + f"\nTotal = {e[0]:.4f} days; largest: {e[1]}.",
))
