"""Generate the closure samples of the bundled software release (deterministic, no randomness).

Run ``python datasets/make_closure.py`` from a checkout (after ``make_tracking.py`` and
``make_quality.py``). It writes:

``software_release_lessons.csv``
    The lessons-learned register of the release (category, type, phase, what happened,
    impact, recommendation, owner, date, tasks).
``software_release_acceptance.csv``
    The acceptance checklist of the release's deliverables (one row per criterion).
``software_release_risk_outcomes.csv``
    Which of the six registered risks occurred, with the actual delay and cost.
``software_release_closure.yaml``
    ``software_release_tracking.yaml`` carried to the end of the project: hypercare (RL6),
    the closure report (CL1) and the closing milestone (CL2) finished in June/July 2027, a
    seventh status period (2027-07-30), a second baseline ``baseline_1`` saved when the
    change board approved CR01 and CR05 and implemented CR02 (the original plan with
    those changes' effects applied, :func:`tpmkit.scope.effects.apply_change`), and the project's
    artefacts as extra sections: ``defects``, ``test_runs``, ``gates`` (the quality
    samples), ``changes``, ``change_effects``, ``lessons``, ``acceptance`` and
    ``risk_outcomes``. The status report and the closure report read these sections.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

import tpmkit
from tpmkit import baselines
from tpmkit.scope.effects import apply_change

HERE = Path(__file__).resolve().parent
STATUS = "2027-07-30"

LESSONS = [
    ("L01", "Scope", "negative", "development",
     "Requirements churn on the web screens after sign-off (CR02, REQ10 dark mode)",
     "DV9 re-planned twice; 2 working days and design rework",
     "Freeze the screen inventory at the design review; route late ideas to the next release",
     "Product owner", "2027-02-15", "DV9"),
    ("L02", "External", "negative", "development",
     "Payment provider sandbox access arrived three weeks late (risk R1 occurred)",
     "DV7 finished late and pushed the feature freeze",
     "Request third-party sandboxes at kickoff and track them as milestones",
     "Backend lead", "2027-03-10", "DV7"),
    ("L03", "Testing", "negative", "testing",
     "Integration testing found most defects, many injected in development",
     "Defect arrivals peaked in April; stabilisation (QA7) took longer than planned",
     "Add contract tests per API in development; measure phase containment each sprint",
     "QA lead", "2027-04-20", "QA3; QA7"),
    ("L04", "Technical", "negative", "testing",
     "Penetration test found critical findings late (risk R3 occurred)",
     "Two critical defects delayed the go-live decision",
     "Run a threat model and an early scan before feature freeze",
     "Security officer", "2027-04-28", "QA5"),
    ("L05", "Estimating", "negative", "development",
     "Backend work packages ran 40-90 % over budget",
     "CPI fell to 0.76; EAC exceeded BAC by about 32 %",
     "Calibrate estimates with the estimates-vs-actuals history; add contingency for integration",
     "Project manager", "2027-05-31", "DV4; DV5; DV7"),
    ("L06", "Process", "positive", "release",
     "Automated deployment pipeline made the production deployment uneventful",
     "RL4 done in two days with no rollback",
     "Keep the CI/CD pipeline as the only way to production",
     "DevOps", "2027-06-11", "DV1; RL4"),
    ("L07", "Stakeholders", "positive", "release",
     "Weekly demo to sales and support kept launch training on track",
     "Support training (RL3) finished on its baseline cost",
     "Keep a fixed weekly demo slot in the communication plan",
     "Project manager", "2027-06-11", "RL3"),
    ("L08", "Quality", "positive", "production",
     "Quality gates with named evidence made go/no-go decisions fast",
     "Gate reviews took under an hour each",
     "Reuse the gate checklist template for release 3.1",
     "QA lead", "2027-06-25", ""),
]

ACCEPTANCE = [
    ("A01", "Release 3.0 in production", "All Must requirements demonstrated", "Sponsor",
     "accepted", "2027-06-25", "UAT sign-off sheet", ""),
    ("A02", "Release 3.0 in production", "No open critical or major defects", "QA lead",
     "accepted", "2027-06-25", "defect log export", ""),
    ("A03", "Release 3.0 in production", "Performance at 1000 requests/s", "Operations manager",
     "conditional", "2027-06-25", "load-test report",
     "p99 latency 12 % above target at peak; tuning in release 3.0.1"),
    ("A04", "Help centre and documentation", "Articles for every new feature", "Support manager",
     "accepted", "2027-06-28", "help-centre review", ""),
    ("A05", "Support team trained", "Every support agent passed the product quiz",
     "Support manager", "accepted", "2027-06-28", "training records", ""),
    ("A06", "Closure report", "Final report and lessons learned reviewed", "Sponsor",
     "accepted", "2027-07-01", "steering committee minutes", ""),
]

OUTCOMES = [
    ("R1", "yes", 12, 4000, "sandbox access three weeks late"),
    ("R2", "no", "", "", ""),
    ("R3", "yes", 5, 8000, "two critical findings fixed before go-live"),
    ("R4", "yes", 2, 1800, "dark-mode churn (CR02)"),
    ("R5", "no", "", "", "UI kit not ready in time"),
    ("R6", "no", "", "", "quota approved in a week"),
]

LESSON_COLUMNS = ["id", "category", "type", "phase", "what_happened", "impact", "recommendation",
                  "owner", "date", "tasks"]
ACCEPTANCE_COLUMNS = ["id", "deliverable", "criterion", "accepted_by", "status", "date",
                      "evidence", "reason"]
OUTCOME_COLUMNS = ["risk", "occurred", "actual_delay_days", "actual_cost", "note"]
# the last three tasks, finished after the tracking sample's status date 2027-06-30
FINISH = {"RL6": ("2027-06-14", "2027-06-25", 13847.0), "CL1": ("2027-06-28", "2027-07-01", 2880.0),
          "CL2": ("2027-07-01", "2027-07-01", 0.0)}


def _baseline_1(changes: pd.DataFrame, effects: pd.DataFrame) -> pd.DataFrame:
    """The original plan with the approved/implemented changes, saved as a baseline."""
    plan = tpmkit.datasets.load("software_release")
    for cr in changes.loc[changes["status"].isin(["approved", "implemented"]), "id"]:
        plan = apply_change(plan, effects, cr).project
    saved = baselines.set_baseline(plan, "baseline_1")
    return baselines.baseline_table(saved, "baseline_1")


def main() -> None:
    pd.DataFrame(LESSONS, columns=LESSON_COLUMNS).to_csv(HERE / "software_release_lessons.csv",
                                                         index=False)
    pd.DataFrame(ACCEPTANCE, columns=ACCEPTANCE_COLUMNS).to_csv(
        HERE / "software_release_acceptance.csv", index=False)
    pd.DataFrame(OUTCOMES, columns=OUTCOME_COLUMNS).to_csv(
        HERE / "software_release_risk_outcomes.csv", index=False)
    data = yaml.safe_load((HERE / "software_release_tracking.yaml").read_text(encoding="utf-8"))
    data["project"]["name"] = "Product release 3.0 (SaaS) — closure"
    data["project"]["status_date"] = STATUS
    data["project"]["description"] = ("The software_release project at closure: every task "
                                      "finished, seven status periods, two baselines and the "
                                      "quality, change and closure records. Generated by "
                                      "make_closure.py.")
    changes = pd.read_csv(HERE / "software_release_changes.csv", dtype=str)
    effects = pd.read_csv(HERE / "software_release_change_effects.csv", dtype=str)
    b1 = _baseline_1(changes, effects)
    last = {}
    for task in data["tasks"]:
        if task["id"] in FINISH:
            start, finish, cost = FINISH[task["id"]]
            task.update(actual_start=start, actual_finish=finish, actual_cost=cost,
                        percent_complete=100, etc=0.0)
        row = b1.loc[task["id"]]
        task["baseline_1_start"] = f"{row['start']:%Y-%m-%d}"
        task["baseline_1_finish"] = f"{row['finish']:%Y-%m-%d}"
        task["baseline_1_cost"] = float(row["cost"])
        last[task["id"]] = task
    for row in [r for r in data["periods"] if r["period"] == 6]:
        task = last[row["task"]]
        budget = float(task.get("baseline_cost") or 0.0)
        data["periods"].append({"period": 7, "date": STATUS, "task": row["task"],
                                "percent_complete": 100, "pv": budget, "ev": budget,
                                "ac": float(task.get("actual_cost") or 0.0), "etc": 0.0})

    def rows(name: str) -> list[dict]:
        df = pd.read_csv(HERE / name)
        return [{k: v for k, v in r.items() if not pd.isna(v)} for r in df.to_dict("records")]

    for key, name in [("defects", "software_release_defects.csv"),
                      ("test_runs", "software_release_test_runs.csv"),
                      ("gates", "software_release_gates.csv"),
                      ("changes", "software_release_changes.csv"),
                      ("change_effects", "software_release_change_effects.csv"),
                      ("lessons", "software_release_lessons.csv"),
                      ("acceptance", "software_release_acceptance.csv"),
                      ("risk_outcomes", "software_release_risk_outcomes.csv")]:
        data[key] = rows(name)
    head = ("# Product release 3.0 at closure — generated by make_closure.py from "
            "software_release_tracking.yaml and the artefact CSVs\n")
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=150,
                          default_flow_style=None)
    (HERE / "software_release_closure.yaml").write_text(head + text, encoding="utf-8")


if __name__ == "__main__":
    main()
