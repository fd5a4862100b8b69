"""Issue, action and decision logs (tpmkit.logs) and their charts (tpmkit.plot.logs).

Hand-checked on templates/issues.csv at the status date 2027-03-15 (calendar days):

======  ========  ==========  ========  ==========  ===  =========  ===========
id      priority  raised      due       closed      age  days_over  escalates
======  ========  ==========  ========  ==========  ===  =========  ===========
ISS-01  high      03-01       03-08     —           14   7          yes (7 > 3)
ISS-02  medium    03-03       03-17     —           12   0 (2 left) no
ISS-03  low       02-20       02-27     02-25       5    0 (closed) no
======  ========  ==========  ========  ==========  ===  =========  ===========
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure

from tpmkit import logs, plot
from tpmkit.errors import OptionError, ValidationError

matplotlib.use("Agg")
TEMPLATES = Path(__file__).parents[1] / "templates"
AS_OF = "2027-03-15"


def _issues(**kw) -> logs.Log:
    return logs.issue_log(pd.read_csv(TEMPLATES / "issues.csv"), as_of=AS_OF, **kw)


def test_aging_and_overdue_by_hand():
    a = logs.aging(_issues())
    assert a["age"].to_dict() == {"ISS-01": 14, "ISS-02": 12, "ISS-03": 5}
    assert a["days_overdue"].to_dict() == {"ISS-01": 7, "ISS-02": 0, "ISS-03": 0}
    assert a.loc["ISS-02", "days_to_due"] == 2 and pd.isna(a.loc["ISS-03", "days_to_due"])
    assert a["age_band"].tolist() == ["8-14", "8-14", "0-7"]
    assert list(logs.overdue(_issues()).index) == ["ISS-01"]
    # a later status date: ISS-02 is 1 day overdue on 03-18
    assert logs.overdue(_issues(), as_of="2027-03-18")["days_overdue"].to_dict() == {
        "ISS-01": 10, "ISS-02": 1}


def test_age_band_edges():
    rows = [{"id": f"I{a}", "title": "t", "owner": "o", "priority": "low", "status": "open",
             "raised": pd.Timestamp(AS_OF) - pd.Timedelta(days=a)} for a in (7, 8, 14, 15, 60, 61)]
    a = logs.aging(logs.issue_log(rows, as_of=AS_OF))
    assert a["age_band"].tolist() == ["0-7", "8-14", "8-14", "15-30", "31-60", ">60"]


def test_escalation_rules_default_and_user_edited():
    e = logs.escalations(_issues())
    assert list(e.index) == ["ISS-01"]
    assert e.loc["ISS-01", "reason"] == "overdue 7 d (rule: > 3 d for high)"
    assert e.loc["ISS-01", "escalate_to"] == "Project sponsor"
    assert logs.escalations(_issues(), escalate_after={"high": 10}).empty
    assert list(logs.escalations(_issues(), as_of="2027-03-25", escalate_after={"medium": 7})
                .index) == ["ISS-01", "ISS-02"]  # ISS-02 8 d overdue > 7
    with pytest.raises(OptionError, match="unknown escalate_after priority .urgent."):
        logs.escalations(_issues(), escalate_after={"urgent": 1})


def test_summary_counts_open_entries_by_priority_and_band():
    s = logs.summary(_issues())
    assert list(s.index) == ["critical", "high", "medium", "low"]
    assert s.loc["high", "8-14"] == 1 and s.loc["medium", "8-14"] == 1
    assert s["open"].tolist() == [0, 1, 1, 0] and s["overdue"].tolist() == [0, 1, 0, 0]


def test_action_and_decision_templates_validate():
    acts = logs.action_log(pd.read_csv(TEMPLATES / "actions.csv"), as_of=AS_OF)
    assert logs.overdue(acts).index.tolist() == ["ACT-01"]  # due 03-05: 10 d
    dec = logs.decision_log(pd.read_csv(TEMPLATES / "decisions.csv"), as_of=AS_OF)
    assert dec.table["is_open"].tolist() == [False, True]
    assert logs.escalations(dec)["reason"].tolist() == ["overdue 3 d (rule: > 0 d for critical)"]


@pytest.mark.parametrize("change, message", [
    ({"priority": "urgent"}, r"unknown priority 'urgent' for ISS-01; use one of: low, medium"),
    ({"status": "done"}, r"unknown status 'done' for ISS-01; use one of: open, in_progress"),
    ({"due": "2027-02-01"}, r"due before raised for ISS-01"),
    ({"raised": "2027-04-01", "due": None}, r"after the status date 2027-03-15 for ISS-01"),
    ({"status": "closed"}, r"closed date is blank for ISS-01; add the date"),
    ({"owner": None}, r"blank owner for ISS-01"),
    ({"raised": "first of March"}, r"raised is not a date for ISS-01"),
    ({"id": "ISS-02"}, r"duplicate id\(s\) ISS-02"),
])
def test_bad_rows_give_one_line_errors(change, message):
    df = pd.read_csv(TEMPLATES / "issues.csv")
    for col, v in change.items():
        df.loc[0, col] = v
    with pytest.raises(ValidationError, match=message):
        logs.issue_log(df, as_of=AS_OF)


def test_links_and_columns_are_checked():
    df = pd.read_csv(TEMPLATES / "issues.csv")
    with pytest.raises(ValidationError, match=r"unknown linked tasks DV4, DV5 in ISS-02"):
        logs.issue_log(df, as_of=AS_OF, task_ids=["QA2", "QA5"])
    with pytest.raises(ValidationError, match=r"column\(s\) owner missing.*templates/issues.csv"):
        logs.issue_log(df.drop(columns="owner"), as_of=AS_OF)
    assert _issues().table.loc["ISS-02", "tasks"] == ("DV4", "DV5")


def test_promote_a_risk_that_occurred():
    reg = pd.DataFrame({"id": ["R1", "R2"], "description": ["Sandbox late", "Dev leaves"],
                      "owner": ["Backend lead", "PM"], "tasks": ["DV7", "DV4; DV5"],
                      "impact_score": [None, 5], "status": ["open", "open"]})
    log, reg2 = logs.promote_risk(reg, "R2", issues=_issues(), on="2027-03-14")
    new = log.table.loc["ISS-R2"]
    assert new["risks"] == ("R2",) and new["tasks"] == ("DV4", "DV5")
    assert new["status"] == "open" and new["raised"] == pd.Timestamp("2027-03-14")
    assert len(log) == 4 and log.as_of == pd.Timestamp(AS_OF)
    row = reg2.set_index("id").loc["R2"]
    assert row["status"] == "closed" and row["issue"] == "ISS-R2"
    assert reg.set_index("id").loc["R2", "status"] == "open"  # the input is not changed
    with pytest.raises(ValidationError, match="risk R2 is closed; reopen it"):
        logs.promote_risk(reg2, "R2")
    with pytest.raises(ValidationError, match="unknown risk 'R9'"):
        logs.promote_risk(reg, "R9")
    with pytest.raises(ValidationError, match="issue ISS-01 is already in the log"):
        logs.promote_risk(reg, "R1", issues=_issues(), issue_id="ISS-01")


def test_issue_charts_smoke():
    log = _issues()
    ax = plot.issue_aging(logs.aging(log), ax=Figure().subplots())
    gids = [p.get_gid() for p in ax.patches]
    assert gids == ["ISS-02", "ISS-01", "ISS-01:overdue"]  # open only, oldest on top
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ISS-02", "ISS-01"]
    ax2 = plot.aging_summary(logs.summary(log), ax=Figure().subplots())
    assert [c.get_label() for c in ax2.containers] == ["low", "medium", "high", "critical"]
    assert sum(p.get_height() for p in ax2.patches) == 2
