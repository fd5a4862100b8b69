"""Generate ``software_release.yaml``: a ~40-task SaaS product release (reproducible).

Run ``python datasets/make_software_release.py`` from a checkout. The baseline is the CPM
early schedule of the plan itself (most-likely durations), so the file starts "on baseline".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

import tpmkit

HERE = Path(__file__).resolve().parent

PROJECT = {
    "name": "Product release 3.0 (SaaS)",
    "start": "2027-01-04",
    "currency": "EUR",
    "deadline": "2027-05-14",
    "calendar": {"workweek": ["Mon", "Tue", "Wed", "Thu", "Fri"],
                 "holidays": ["2027-04-02", "2027-04-05", "2027-05-06", "2027-05-17",
                              "2027-10-03", "2027-12-24", "2027-12-27", "2027-12-31"]},
    "description": "A SaaS product's major release: requirements to hypercare, 7 work streams.",
}

# the WBS dictionary: names of the summary levels (work packages are the tasks)
WBS = [
    ("1", "Project management"), ("2", "Requirements"), ("3", "Design"),
    ("4", "Development"), ("4.1", "Infrastructure"), ("4.2", "Backend"), ("4.3", "Frontend"),
    ("5", "Testing"), ("6", "Release"), ("7", "Closure"),
]

RESOURCES = [
    # id, name, capacity [people], rate [EUR per day]
    ("pm", "Project manager", 1, 720), ("ba", "Business analyst", 1, 600),
    ("ux", "UX designer", 1, 620), ("arch", "Solution architect", 1, 880),
    ("dev", "Backend developer", 3, 680), ("fe", "Frontend developer", 2, 640),
    ("devops", "DevOps engineer", 1, 700), ("qa", "QA engineer", 2, 560),
    ("tw", "Technical writer", 1, 480), ("mkt", "Product marketing", 1, 560),
]

# id, wbs, name, o, m, p, predecessors, resources, fixed cost
TASKS = [
    ("PM1", "1.1", "Project kickoff", 0, 0, 0, "", "pm:1", 0),
    ("PM2", "1.2", "Project charter and plan", 3, 5, 8, "PM1", "pm:1", 0),
    ("RQ1", "2.1", "Stakeholder interviews", 4, 6, 10, "PM2", "ba:1; pm:0.25", 0),
    ("RQ2", "2.2", "Product requirements document", 5, 8, 14, "RQ1 SS+3", "ba:1", 0),
    ("RQ3", "2.3", "Non-functional requirements", 3, 4, 7, "RQ2 SS+50%", "arch:0.5; ba:0.5", 0),
    ("RQ4", "2.4", "Requirements signed off", 0, 0, 0, "RQ2; RQ3", "", 0),
    ("DS1", "3.1", "System architecture", 6, 8, 13, "RQ4", "arch:1", 0),
    ("DS2", "3.2", "UX research and wireframes", 5, 7, 12, "RQ2", "ux:1", 2500),
    ("DS3", "3.3", "Visual UI design", 5, 6, 10, "DS2", "ux:1", 0),
    ("DS4", "3.4", "API design", 3, 5, 8, "DS1 SS+3", "arch:0.5; dev:1", 0),
    ("DS5", "3.5", "Data model design", 3, 4, 6, "DS1 SS+2", "arch:0.5; dev:1", 0),
    ("DS6", "3.6", "Design review passed", 0, 0, 0, "DS3; DS4; DS5", "", 0),
    ("DV1", "4.1.1", "CI/CD pipeline", 3, 5, 9, "DS1", "devops:1", 0),
    ("DV2", "4.1.2", "Staging and production environments", 4, 6, 10, "DV1 SS+2", "devops:1", 6000),
    ("DV3", "4.2.1", "Database schema and migrations", 4, 5, 8, "DS5", "dev:1", 0),
    ("DV4", "4.2.2", "Core domain services", 12, 15, 24, "DV3; DS4", "dev:2", 0),
    ("DV5", "4.2.3", "REST API implementation", 8, 10, 16, "DV4 SS+5", "dev:1", 0),
    ("DV6", "4.2.4", "Authentication and authorisation", 5, 7, 12, "DV3", "dev:1", 0),
    ("DV7", "4.2.5", "Payment provider integration", 6, 8, 15, "DV5 SS+4", "dev:1", 1500),
    ("DV8", "4.3.1", "UI component library", 6, 8, 12, "DS3", "fe:1", 0),
    ("DV9", "4.3.2", "Web application screens", 12, 15, 22, "DV8 SS+4; DV5 SS+3", "fe:2", 0),
    ("DV10", "4.3.3", "Responsive mobile layouts", 4, 5, 9, "DV9 FF+2", "fe:1", 0),
    ("DV11", "4.4", "Feature freeze", 0, 0, 0, "DV2; DV6; DV7; DV9; DV10", "", 0),
    ("QA1", "5.1", "Test plan and test cases", 4, 6, 9, "DS6", "qa:1", 0),
    ("QA2", "5.2", "Test automation framework", 5, 7, 11, "QA1 SS+2; DV1", "qa:1", 0),
    ("QA3", "5.3", "Integration testing", 8, 10, 16, "DV11; QA2", "qa:2", 0),
    ("QA4", "5.4", "Performance and load testing", 4, 5, 10, "QA3 SS+3; DV2", "qa:1; devops:0.5", 3000),
    ("QA5", "5.5", "External penetration test", 4, 5, 8, "DV11", "", 18000),
    ("QA6", "5.6", "User acceptance testing", 5, 8, 12, "QA3", "ba:1; qa:1", 0),
    ("QA7", "5.7", "Bug fixing and stabilisation", 6, 8, 15, "QA3 SS+3; QA6 FF+2", "dev:2; fe:1", 0),
    ("RL1", "6.1", "Documentation and help centre", 5, 7, 10, "DV11", "tw:1", 0),
    ("RL2", "6.2", "Marketing launch campaign", 5, 6, 9, "RQ4 FS+8w", "mkt:1", 25000),
    ("RL3", "6.3", "Support team training", 3, 4, 6, "RL1 SS+3; QA6", "tw:0.5; ba:0.5", 1200),
    ("RL4", "6.4", "Production deployment", 1, 2, 4, "QA4; QA5; QA7", "devops:1; dev:1", 0),
    ("RL5", "6.5", "General availability launch", 0, 0, 0, "RL2; RL3; RL4", "pm:1", 0),
    ("RL6", "6.6", "Post-launch hypercare", 8, 10, 12, "RL5", "dev:1; devops:0.5", 0),
    ("CL1", "7.1", "Lessons learned and closure report", 2, 3, 4, "RL6", "pm:1", 0),
    ("CL2", "7.2", "Project closed", 0, 0, 0, "CL1", "", 0),
]

RISKS = [
    {"id": "R1", "description": "Payment provider sandbox access delayed", "owner": "Backend lead",
     "category": "External", "probability": 0.35, "tasks": "DV7", "impact_days": [3, 6, 12],
     "impact_cost": [2000, 4000, 8000], "response": "mitigate", "post_probability": 0.15,
     "post_impact_days": [2, 4, 8]},
    {"id": "R2", "description": "Key backend developer leaves mid-project", "owner": "Project manager",
     "category": "Resources", "probability": 0.15, "tasks": "DV4; DV5", "impact_percent": [10, 25, 50],
     "impact_cost": [5000, 12000, 25000], "response": "mitigate", "post_probability": 0.1},
    {"id": "R3", "description": "Penetration test finds critical vulnerabilities", "owner": "Security officer",
     "category": "Technical", "probability": 0.4, "tasks": "QA7", "impact_days": [2, 5, 10],
     "impact_cost": [3000, 8000, 15000], "response": "mitigate", "post_probability": 0.25},
    {"id": "R4", "description": "Requirements churn after sign-off", "owner": "Product owner",
     "category": "Scope", "probability": 0.5, "tasks": "DV9", "impact_percent": [5, 15, 30],
     "response": "accept"},
    {"id": "R5", "description": "Reusable UI kit from the design system speeds up screens",
     "owner": "Frontend lead", "category": "Technical", "type": "opportunity", "probability": 0.3,
     "tasks": "DV9", "impact_days": [2, 3, 5], "response": "exploit"},
    {"id": "R6", "description": "Cloud quota approval takes longer than planned", "owner": "DevOps",
     "category": "External", "probability": 0.25, "tasks": "DV2", "impact_days": [1, 3, 7],
     "response": "transfer", "post_probability": 0.1},
]


def build() -> dict:
    rates = {r[0]: r[3] for r in RESOURCES}
    rows = []
    for tid, wbs, name, o, m, p, preds, res, fixed in TASKS:
        rate = sum(rates[r] * u for r, u in tpmkit.model.parse_resources(res))
        row = {"id": tid, "wbs": wbs, "name": name}
        row["duration"] = m  # the plan uses most-likely durations; risk uses all three points
        if not o == m == p:
            row.update(optimistic=o, most_likely=m, pessimistic=p)
        row.update(predecessors=preds, resources=res, cost=fixed, rate=rate)
        rows.append(row)
    project = tpmkit.read({"tasks": pd.DataFrame(rows), "project": PROJECT})
    sched = tpmkit.schedule(project)
    for row in rows:
        s = sched.loc[row["id"]]
        row["baseline_start"] = s["early_start_date"].date().isoformat()
        row["baseline_finish"] = s["early_finish_date"].date().isoformat()
        row["baseline_cost"] = round(row["cost"] + row["rate"] * float(s["duration"]), 2)
    clean = [{k: v for k, v in r.items() if v not in ("", None)} for r in rows]
    return {"project": PROJECT, "wbs": [{"wbs": c, "name": n} for c, n in WBS], "tasks": clean,
            "resources": [{"id": i, "name": n, "capacity": c, "rate": r} for i, n, c, r in RESOURCES],
            "risks": RISKS}


class _Flow(yaml.SafeDumper):
    pass


def _row(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    flow = "id" in data or "workweek" in data or isinstance(data.get("wbs"), str)
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow or None)


_Flow.add_representer(dict, _row)

if __name__ == "__main__":
    data = build()
    text = ("# Product release 3.0 — tpmkit's bundled sample project (generated by "
            "make_software_release.py)\n")
    for key in ("project", "wbs", "tasks", "resources", "risks"):
        text += yaml.dump({key: data[key]}, Dumper=_Flow, sort_keys=False, width=140,
                          allow_unicode=True)
    (HERE / "software_release.yaml").write_text(text, encoding="utf-8")
    print(f"wrote {HERE / 'software_release.yaml'}")
