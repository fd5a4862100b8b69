"""Generate the quality samples of the bundled software release (reproducible, fixed seed).

Run ``python datasets/make_quality.py`` from a checkout (after ``make_tracking.py``). It reads
the actual dates of ``software_release_tracking.yaml`` once and simulates the release's
quality records:

``software_release_defects.csv``
    The defect log over the project's life (``id, title, found, closed, severity,
    phase_found, phase_injected, component``). Defects arrive as a Poisson process on the
    working days of each phase — reviews of requirements and design, development (unit
    tests, code review), testing (integration, performance, penetration, UAT), release and
    the production hypercare until the status date 2027-06-30 — with a rate that peaks in
    integration testing. A defect was injected in its own phase or an earlier one (most
    often development); severities are 8 % critical, 27 % major, 45 % minor, 20 % trivial;
    time to resolve is lognormal with a median of 2 (critical) to 12 (trivial) calendar days,
    and a defect still unresolved at the status date is open. Component sizes for density:
    api 18.5, web 22.0, payments 6.5, auth 4.0, infra 3.0 KLOC.
``software_release_test_runs.csv``
    Daily test execution from integration testing (QA3) to the end of stabilisation (QA7):
    420 test cases replanned evenly over those working days; execution ramps up from 60 %
    of plan and catches up late; the pass rate rises from about 70 % to 95 %.
``software_release_gates.csv``
    Six quality gates on the plan's milestones (requirements sign-off RQ4, design review
    DS6, feature freeze DV11, test exit RL4, go-live RL5, closure CL2): one row per
    criterion with evidence, owner, status and reason. The test-exit criterion "no open
    critical defects" is decided from the defect log on the test-exit date.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import tpmkit

HERE = Path(__file__).resolve().parent
SEED = 20270630
STATUS_DATE = pd.Timestamp("2027-06-30")
COMPONENTS = {"api": 18.5, "web": 22.0, "payments": 6.5, "auth": 4.0, "infra": 3.0}
SEVERITY_P = {"critical": 0.08, "major": 0.27, "minor": 0.45, "trivial": 0.20}
MEDIAN_DAYS = {"critical": 2.0, "major": 4.0, "minor": 7.0, "trivial": 12.0}
PHASES = list(tpmkit.quality.PHASES)
# defects found per working day in each phase (integration testing peaks)
RATE = {"requirements": 0.3, "design": 0.4, "development": 0.9, "testing": 2.4, "release": 1.5,
        "production": 0.7}
# where the defects found in a phase were injected (weights over phases up to it)
INJECTED = {"requirements": [1], "design": [0.3, 0.7], "development": [0.1, 0.2, 0.7],
            "testing": [0.1, 0.2, 0.6, 0.1], "release": [0.05, 0.15, 0.6, 0.1, 0.1],
            "production": [0.1, 0.15, 0.55, 0.1, 0.05, 0.05]}


def phase_windows() -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """Phase date ranges from the actual dates of the tracked release."""
    t = tpmkit.datasets.load("software_release_tracking").tasks
    a = t["actual_start"]
    f = t["actual_finish"]
    return {"requirements": (a["RQ1"], f["RQ4"]), "design": (a["DS1"], f["DS6"]),
            "development": (a["DV1"], f["DV11"]), "testing": (a["QA3"], f["QA7"]),
            "release": (a["RL4"], f["RL5"]),
            "production": (f["RL5"] + pd.Timedelta(days=1), STATUS_DATE)}


def defects(rng: np.random.Generator, windows: dict) -> pd.DataFrame:
    rows = []
    for phase, (start, end) in windows.items():
        days = pd.bdate_range(start, end)
        hump = np.sin(np.linspace(0.15, np.pi - 0.15, len(days))) if phase == "testing" else 1.0
        counts = rng.poisson(RATE[phase] * 1.4 * np.asarray(hump) * np.ones(len(days)))
        for day, n in zip(days, counts, strict=True):
            for _ in range(n):
                sev = rng.choice(list(SEVERITY_P), p=list(SEVERITY_P.values()))
                w = np.array(INJECTED[phase], dtype=float)
                injected = PHASES[rng.choice(len(w), p=w / w.sum())]
                component = rng.choice(list(COMPONENTS), p=[0.32, 0.34, 0.14, 0.12, 0.08])
                resolve = np.ceil(MEDIAN_DAYS[sev] * rng.lognormal(0.0, 0.6))
                closed = day + pd.Timedelta(days=float(resolve))
                rows.append({"found": day.date(), "closed": closed.date() if closed <= STATUS_DATE
                             else None, "severity": sev, "phase_found": phase,
                             "phase_injected": injected, "component": component})
    df = pd.DataFrame(rows)
    df.insert(0, "id", [f"BUG-{i + 1:03d}" for i in range(len(df))])
    df.insert(1, "title", [f"{r.severity.capitalize()} {r.component} defect found in "
                           f"{r.phase_found}" for r in df.itertuples()])
    return df


def test_runs(rng: np.random.Generator, windows: dict, total: int = 420) -> pd.DataFrame:
    days = pd.bdate_range(*windows["testing"])
    planned = np.diff(np.round(np.linspace(0, total, len(days) + 1))).astype(int)
    ramp = np.clip(np.linspace(0.6, 1.25, len(days)) + rng.normal(0, 0.08, len(days)), 0.3, None)
    executed = np.round(planned * ramp).astype(int)
    over = np.cumsum(executed) - total
    executed = np.where(over > 0, np.maximum(executed - over, 0), executed)
    short = total - executed.sum()  # the last three days catch up on what is left
    executed[-3:] += short // 3 + (np.arange(3) < short % 3)
    rate = np.clip(np.linspace(0.70, 0.95, len(days)) + rng.normal(0, 0.03, len(days)), 0, 1)
    passed = np.minimum(np.round(executed * rate).astype(int), executed)
    blocked = rng.binomial(3, 0.25, len(days))
    return pd.DataFrame({"date": days.date, "planned": planned, "executed": executed,
                         "passed": passed, "failed": executed - passed, "blocked": blocked})


def gates(defect_log: pd.DataFrame, windows: dict) -> pd.DataFrame:
    test_exit = windows["testing"][1]
    log = tpmkit.quality.defect_log(defect_log)
    open_crit = log[(log["severity"] == "critical") & (log["found"] <= test_exit)
                    & (log["closed"].isna() | (log["closed"] > test_exit))]
    crit = ("pass", "", "defect log export") if open_crit.empty else (
        "fail", f"{', '.join(open_crit.index)} open at test exit", "defect log export")
    rows = [
        ("G1-1", "G1 requirements", "RQ4", "PRD reviewed by product, engineering and QA",
         "PRD review minutes", "ba", "pass", "yes", ""),
        ("G1-2", "G1 requirements", "RQ4", "Non-functional requirements quantified",
         "NFR sheet", "arch", "pass", "yes", ""),
        ("G2-1", "G2 design", "DS6", "Architecture and API design reviewed", "design review log",
         "arch", "pass", "yes", ""),
        ("G2-2", "G2 design", "DS6", "Threat model completed", "", "arch", "waived", "yes",
         "covered by the external penetration test QA5 (approved by the sponsor)"),
        ("G3-1", "G3 feature freeze", "DV11", "All must-have stories done", "sprint report",
         "pm", "pass", "yes", ""),
        ("G3-2", "G3 feature freeze", "DV11", "Unit test coverage >= 80 %", "coverage report",
         "dev", "pass", "yes", ""),
        ("G3-3", "G3 feature freeze", "DV11", "Static analysis without blockers", "", "dev",
         "fail", "no", "12 blocker findings in the payments module carried into testing"),
        ("G4-1", "G4 test exit", "RL4", "All planned test cases executed", "test run report",
         "qa", "pass", "yes", ""),
        ("G4-2", "G4 test exit", "RL4", "No open critical defects", crit[2], "qa", crit[0], "yes",
         crit[1]),
        ("G4-3", "G4 test exit", "RL4", "Performance at 2x peak load within SLO",
         "load test report", "qa", "pass", "yes", ""),
        ("G5-1", "G5 go-live", "RL5", "Support team trained", "training records", "pm", "pass",
         "yes", ""),
        ("G5-2", "G5 go-live", "RL5", "Rollback rehearsed", "", "devops", "waived", "yes",
         "blue-green deployment makes rollback a switch (CAB decision 2027-06-08)"),
        ("G6-1", "G6 closure", "CL2", "Lessons learned recorded", "", "pm", "open", "yes", ""),
        ("G6-2", "G6 closure", "CL2", "Hypercare defects below threshold", "", "qa", "open",
         "yes", ""),
    ]
    cols = ["id", "gate", "milestone", "criterion", "evidence", "owner", "status", "required",
            "reason"]
    return pd.DataFrame(rows, columns=cols)


def main() -> None:
    rng = np.random.default_rng(SEED)
    windows = phase_windows()
    d = defects(rng, windows)
    d.to_csv(HERE / "software_release_defects.csv", index=False)
    test_runs(rng, windows).to_csv(HERE / "software_release_test_runs.csv", index=False)
    gates(d, windows).to_csv(HERE / "software_release_gates.csv", index=False)


if __name__ == "__main__":
    main()
