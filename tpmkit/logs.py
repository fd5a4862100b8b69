"""Issue, action and decision logs: validated registers with aging, overdue and escalation views.

:func:`issue_log`, :func:`action_log` and :func:`decision_log` validate a register (one row per
entry: ``id``, ``title``, ``owner``, ``raised``, ``due``, ``priority``, ``status``, optional
``closed`` date, linked ``tasks`` and ``risks``) into a frozen :class:`Log`. The views read
only a Log: :func:`aging` (age and days overdue of every entry at a status date),
:func:`overdue` (open entries past their due date), :func:`escalations` (entries the
escalation rules — user-editable, per priority — send up) and :func:`summary` (open entries by
priority and age band). :func:`promote_risk` turns a risk that occurred into an issue (PMBOK:
an occurred risk is managed as an issue) and closes it on the risk register.

Dates are calendar days; an entry's *age* is ``(closed or status date) − raised`` [days] and it
is *overdue* by ``status date − due`` [days] when it is open past its due date.

References
----------
.. [1] PMI, *PMBOK Guide*, 6th ed., §4.3.3.3 (issue log), §4.3.2.2 and §11.6 (implement risk
   responses: a risk that occurs becomes an issue), §4.5 (monitor and control: escalation).
.. [2] AXELOS, *Managing Successful Projects with PRINCE2*, 2017, Appendix A.12 (issue
   register) and §A.6 (daily log of actions).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, check_option, format_ids
from tpmkit.model.tables import table_frame

__all__ = [
    "AGE_BANDS",
    "CLOSED_STATUSES",
    "ESCALATE_AFTER",
    "KINDS",
    "PRIORITIES",
    "STATUSES",
    "Log",
    "action_log",
    "aging",
    "decision_log",
    "escalations",
    "issue_log",
    "overdue",
    "promote_risk",
    "summary",
]

#: the three registers
KINDS = ("issues", "actions", "decisions")
#: priorities, lowest first
PRIORITIES = ("low", "medium", "high", "critical")
#: the status workflow of each register
STATUSES: Mapping[str, tuple[str, ...]] = {
    "issues": ("open", "in_progress", "escalated", "resolved", "closed"),
    "actions": ("open", "in_progress", "done", "cancelled"),
    "decisions": ("proposed", "pending", "approved", "rejected", "deferred", "superseded"),
}
#: statuses that end an entry (it stops aging on its closed date)
CLOSED_STATUSES: Mapping[str, frozenset[str]] = {
    "issues": frozenset({"resolved", "closed"}),
    "actions": frozenset({"done", "cancelled"}),
    "decisions": frozenset({"approved", "rejected", "superseded"}),
}
#: default escalation rule: days overdue after which an open entry goes up, per priority
ESCALATE_AFTER: Mapping[str, float] = {"critical": 0, "high": 3, "medium": 7, "low": 14}
#: age bands of :func:`summary` [days]: 0–7, 8–14, 15–30, 31–60, over 60
AGE_BANDS = (7, 14, 30, 60)

_COLUMNS = ("id", "title", "owner", "raised", "due", "priority", "status", "closed", "tasks",
            "risks", "escalate_to", "description")
_ALIASES = {"summary": "title", "name": "title", "date_raised": "raised", "opened": "raised",
            "due_date": "due", "date_closed": "closed", "closed_date": "closed",
            "linked_tasks": "tasks", "linked_risks": "risks", "risk": "risks", "task": "tasks"}


@dataclass(frozen=True)
class Log:
    """A validated issue, action or decision log (:func:`issue_log`, …). Frozen.

    Attributes
    ----------
    kind : str
        ``"issues"``, ``"actions"`` or ``"decisions"``.
    table : DataFrame
        Indexed by ``id`` (input order): ``title``, ``owner``, ``raised``, ``due`` (NaT when
        none), ``priority``, ``status`` (lower case), ``closed`` (NaT while open), ``tasks``
        and ``risks`` (tuples of linked ids), ``escalate_to``, ``description``, ``is_open``.
    as_of : Timestamp
        Status date (midnight) the views measure against.
    """

    kind: str
    _table: pd.DataFrame = field(repr=False)
    as_of: pd.Timestamp

    @property
    def table(self) -> pd.DataFrame:
        return self._table.copy(deep=False)

    def __len__(self) -> int:
        return len(self._table)

    def _repr_html_(self) -> str:
        n_open = int(self._table["is_open"].sum())
        return (f"<b>{self.kind.capitalize()} log</b>: {len(self)} entries, {n_open} open at "
                f"{self.as_of.date().isoformat()}{self._table.head(10).to_html()}")


def _dates(raw: pd.Series, what: str, ids: pd.Index, kind: str) -> pd.Series:
    text = raw.astype(object).where(raw.notna(), "").astype(str).str.strip()
    out = pd.to_datetime(text.where(text != ""), errors="coerce", format="mixed")
    bad = out.isna() & (text != "")
    if bad.any():
        raise ValidationError(f"{kind} log: {what} is not a date for {format_ids(ids[bad.to_numpy()])}; "
                              "use ISO dates such as 2027-03-01")
    return pd.Series(out.dt.normalize().to_numpy(), index=ids)


def _links(raw: pd.Series) -> list[tuple[str, ...]]:
    out = []
    for v in raw.astype(object).where(raw.notna(), ""):
        parts = str(v).replace(",", ";").split(";")
        out.append(tuple(p.strip() for p in parts if p.strip()))
    return out


def _check_links(links: list[tuple[str, ...]], known: Iterable[str] | None, ids: pd.Index,
                 what: str, kind: str) -> None:
    if known is None:
        return
    known = set(map(str, known))
    bad = [(i, x) for i, row in zip(ids, links) for x in row if x not in known]
    if bad:
        raise ValidationError(f"{kind} log: unknown linked {what} {format_ids(dict.fromkeys(x for _, x in bad))} "
                              f"in {format_ids(dict.fromkeys(i for i, _ in bad))}; link ids of "
                              f"the project's {what} or clear the cell")


# long function: one validation pass over every column, in the order the errors read best
def _validate(data: Any, kind: str, *, as_of: Any, task_ids: Iterable[str] | None,
              risk_ids: Iterable[str] | None) -> Log:
    kind = check_option(kind, KINDS, "kind")
    df = table_frame(data, f"{kind} log")
    df.columns = [str(c).strip().lower().replace(" ", "_") for c in df.columns]
    df = df.rename(columns={k: v for k, v in _ALIASES.items() if v not in df.columns})
    missing = [c for c in ("id", "title", "owner", "raised", "priority", "status")
               if c not in df.columns]
    if missing:
        raise ValidationError(f"{kind} log: column(s) {', '.join(missing)} missing; give every "
                              "entry id, title, owner, raised, priority and status "
                              f"(template: templates/{kind}.csv)")
    raw_ids = df["id"].astype(object).where(df["id"].notna(), "").astype(str).str.strip()
    blank = (raw_ids == "").to_numpy()
    if blank.any():
        raise ValidationError(f"{kind} log: blank id in row(s) "
                              f"{format_ids(np.flatnonzero(blank) + 2)}; give every entry an id")
    dup = raw_ids[raw_ids.duplicated()]
    if len(dup):
        raise ValidationError(f"{kind} log: duplicate id(s) {format_ids(dict.fromkeys(dup))}; "
                              "give each entry one row")
    ids = pd.Index(raw_ids.to_numpy(), name="id")

    def text(col: str) -> pd.Series:
        s = df[col] if col in df.columns else pd.Series("", index=df.index)
        return pd.Series(s.astype(object).where(s.notna(), "").astype(str).str.strip().to_numpy(),
                         index=ids)

    for col in ("title", "owner"):
        empty = (text(col) == "").to_numpy()
        if empty.any():
            raise ValidationError(f"{kind} log: blank {col} for {format_ids(ids[empty])}; every "
                                  f"entry needs a{'n' if col == 'owner' else ''} {col}")
    for col, choices in (("priority", PRIORITIES), ("status", STATUSES[kind])):
        values = text(col).str.lower().str.replace(" ", "_").str.replace("-", "_")
        bad = ~values.isin(choices)
        if bad.any():
            shown = format_ids(dict.fromkeys(repr(v) for v in text(col)[bad.to_numpy()]))
            raise ValidationError(f"{kind} log: unknown {col} {shown} for "
                                  f"{format_ids(ids[bad.to_numpy()])}; use one of: "
                                  f"{', '.join(choices)}")
    priority = text("priority").str.lower()
    status = text("status").str.lower().str.replace(" ", "_").str.replace("-", "_")
    raised = _dates(df["raised"], "raised", ids, kind)
    if raised.isna().any():
        raise ValidationError(f"{kind} log: raised is blank for "
                              f"{format_ids(ids[raised.isna().to_numpy()])}; give the date the "
                              "entry was logged")
    never = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    due = _dates(df["due"], "due", ids, kind) if "due" in df.columns else never
    closed = _dates(df["closed"], "closed", ids, kind) if "closed" in df.columns else never
    for later, what in ((due, "due"), (closed, "closed")):
        bad = (later < raised).to_numpy()
        if bad.any():
            raise ValidationError(f"{kind} log: {what} before raised for {format_ids(ids[bad])}; "
                                  "correct the dates")
    is_closed = status.isin(CLOSED_STATUSES[kind])
    no_date = (is_closed & closed.isna()).to_numpy()
    if no_date.any():
        raise ValidationError(f"{kind} log: status closes the entry but the closed date is "
                              f"blank for {format_ids(ids[no_date])}; add the date it was closed")
    limit = pd.Timestamp(as_of).normalize() if as_of is not None else pd.Timestamp.now().normalize()
    late = ((raised > limit) | (closed > limit)).to_numpy()
    if late.any():
        raise ValidationError(f"{kind} log: raised or closed after the status date "
                              f"{limit.date().isoformat()} for {format_ids(ids[late])}; correct "
                              "the dates or pass a later as_of=")
    tasks, risks = _links(text("tasks")), _links(text("risks"))
    _check_links(tasks, task_ids, ids, "tasks", kind)
    _check_links(risks, risk_ids, ids, "risks", kind)
    table = pd.DataFrame({
        "title": text("title"), "owner": text("owner"), "raised": raised, "due": due,
        "priority": priority, "status": status, "closed": closed.where(is_closed),
        "tasks": pd.Series(tasks, index=ids, dtype=object),
        "risks": pd.Series(risks, index=ids, dtype=object),
        "escalate_to": text("escalate_to"), "description": text("description"),
        "is_open": ~is_closed}, index=ids)
    return Log(kind=kind, _table=table, as_of=limit)


def issue_log(data: Any, *, as_of: Any = None, task_ids: Iterable[str] | None = None,
              risk_ids: Iterable[str] | None = None) -> Log:
    """Validate an issue log.

    Parameters
    ----------
    data : DataFrame, list of mappings or path-free table
        One row per issue: ``id``, ``title``, ``owner``, ``raised``, ``priority`` (low,
        medium, high, critical), ``status`` (open, in_progress, escalated, resolved, closed)
        are required; ``due``, ``closed`` (required once resolved/closed), ``tasks`` and
        ``risks`` (``;``-separated ids), ``escalate_to``, ``description`` are optional.
    as_of : date-like, optional
        Status date the views measure against; raised/closed dates after it are an error.
        Default: today.
    task_ids, risk_ids : iterable of str, optional
        Known task and risk ids (e.g. ``project.tasks.index``); unknown links are an error.

    Returns
    -------
    Log

    Raises
    ------
    ValidationError
        Missing columns, blank or duplicate ids, blank title/owner, unknown priority or
        status, non-dates, due or closed before raised, a closing status without a closed
        date, dates after the status date, unknown links — one line naming the entries.

    Examples
    --------
    >>> log = issue_log([{"id": "I1", "title": "Test rig late", "owner": "QA lead",
    ...                   "raised": "2027-03-01", "due": "2027-03-08", "priority": "high",
    ...                   "status": "open"}], as_of="2027-03-15")
    >>> aging(log)[["age", "days_overdue"]].to_dict("records")
    [{'age': 14, 'days_overdue': 7}]
    """
    return _validate(data, "issues", as_of=as_of, task_ids=task_ids, risk_ids=risk_ids)


def action_log(data: Any, *, as_of: Any = None, task_ids: Iterable[str] | None = None,
               risk_ids: Iterable[str] | None = None) -> Log:
    """Validate an action log (statuses open, in_progress, done, cancelled); see :func:`issue_log`."""
    return _validate(data, "actions", as_of=as_of, task_ids=task_ids, risk_ids=risk_ids)


def decision_log(data: Any, *, as_of: Any = None, task_ids: Iterable[str] | None = None,
                 risk_ids: Iterable[str] | None = None) -> Log:
    """Validate a decision log; see :func:`issue_log`.

    Statuses proposed, pending, deferred (open: a decision still to take; ``due`` is the
    date it is needed by) and approved, rejected, superseded (taken on ``closed``).
    """
    return _validate(data, "decisions", as_of=as_of, task_ids=task_ids, risk_ids=risk_ids)


def _as_of(log: Log, as_of: Any) -> pd.Timestamp:
    return log.as_of if as_of is None else pd.Timestamp(as_of).normalize()


def _band(age: np.ndarray) -> np.ndarray:
    edges = [0, *AGE_BANDS]
    labels = [f"{lo + (1 if k else 0)}-{hi}" for k, (lo, hi) in enumerate(itertools.pairwise(edges))]
    labels.append(f">{AGE_BANDS[-1]}")
    return np.asarray(labels, dtype=object)[np.searchsorted(np.asarray(AGE_BANDS), age, "left")]


def aging(log: Log, *, as_of: Any = None) -> pd.DataFrame:
    """Age and lateness of every entry at the status date.

    Returns
    -------
    DataFrame
        Indexed by ``id``: ``owner``, ``priority``, ``status``, ``is_open``, ``age``
        ((closed or status date) − raised [days]), ``age_band`` (0-7, 8-14, 15-30, 31-60,
        >60), ``days_to_due`` (due − status date [days], NaN without a due date or once
        closed), ``days_overdue`` (status date − due [days] for open entries past due, else
        0) and ``overdue`` (bool).
    """
    day = _as_of(log, as_of)
    t = log.table
    end = t["closed"].where(~t["is_open"], day)
    age = ((end - t["raised"]).dt.days).astype(int)
    to_due = ((t["due"] - day).dt.days).where(t["is_open"]).astype(float)
    late = (-to_due).clip(lower=0).fillna(0).astype(int)
    return pd.DataFrame({"owner": t["owner"], "priority": t["priority"], "status": t["status"],
                         "is_open": t["is_open"], "age": age, "age_band": _band(age.to_numpy()),
                         "days_to_due": to_due, "days_overdue": late, "overdue": late > 0},
                        index=t.index)


def overdue(log: Log, *, as_of: Any = None) -> pd.DataFrame:
    """Open entries past their due date, most overdue first (:func:`aging` columns + title)."""
    a = aging(log, as_of=as_of)
    a.insert(0, "title", log.table["title"])
    a = a[a["overdue"]]
    return a.sort_values("days_overdue", ascending=False, kind="stable")


def escalations(log: Log, *, as_of: Any = None,
                escalate_after: Mapping[str, float] | None = None,
                escalate_to: str = "project sponsor") -> pd.DataFrame:
    """Open entries the escalation rules send up, with the reason.

    An open entry escalates when its status is ``escalated``, or when it is overdue by more
    than ``escalate_after[priority]`` days (default :data:`ESCALATE_AFTER`: critical at once,
    high after 3, medium after 7, low after 14 days; a rule can be left out to never
    escalate that priority on lateness).

    Parameters
    ----------
    escalate_after : mapping of str to float, optional
        Days overdue per priority, merged over the defaults.
    escalate_to : str
        Who an entry goes to when its own ``escalate_to`` cell is blank.

    Returns
    -------
    DataFrame
        Indexed by ``id`` (most overdue first): ``title``, ``owner``, ``priority``,
        ``days_overdue``, ``escalate_to`` and ``reason``.
    """
    rules = dict(ESCALATE_AFTER)
    for k, v in (escalate_after or {}).items():
        key = check_option(str(k).lower(), PRIORITIES, "escalate_after priority")
        if v is not None and not float(v) >= 0:
            raise ValidationError(f"escalate_after[{k!r}] must be ≥ 0 days, not {v!r}")
        rules[key] = v
    a = aging(log, as_of=as_of)
    t = log.table
    limit = t["priority"].map(lambda p: np.inf if rules.get(p) is None else float(rules[p]))
    late = t["is_open"] & (a["days_overdue"] > limit) & a["overdue"]
    flagged = t["is_open"] & (t["status"] == "escalated")
    pick = (late | flagged).to_numpy()
    reason = np.where(flagged, "status escalated", "")
    reason = np.where(late & flagged, "status escalated; " + "overdue", reason)
    reason = np.where(late & ~flagged, "overdue", reason)
    detail = [f"{r} {d} d (rule: > {limit[i]:g} d for {p})" if "overdue" in r else r
              for i, r, d, p in zip(t.index, reason, a["days_overdue"], t["priority"])]
    out = pd.DataFrame({"title": t["title"], "owner": t["owner"], "priority": t["priority"],
                        "days_overdue": a["days_overdue"],
                        "escalate_to": t["escalate_to"].where(t["escalate_to"] != "", escalate_to),
                        "reason": detail}, index=t.index)[pick]
    return out.sort_values("days_overdue", ascending=False, kind="stable")


def summary(log: Log, *, as_of: Any = None) -> pd.DataFrame:
    """Open entries by priority (rows, critical first) and age band (columns), with totals.

    Returns
    -------
    DataFrame
        Indexed by ``priority``: one column per age band of :data:`AGE_BANDS` [entries],
        ``open``, ``overdue``.
    """
    a = aging(log, as_of=as_of)
    a = a[a["is_open"]]
    bands = list(dict.fromkeys(_band(np.array([0, *[b + 1 for b in AGE_BANDS]]))))
    grid = pd.crosstab(pd.Categorical(a["priority"], PRIORITIES[::-1]),
                       pd.Categorical(a["age_band"], bands), dropna=False)
    grid.index.name, grid.columns.name = "priority", None
    grid.columns = [str(c) for c in grid.columns]
    grid["open"] = grid.sum(axis=1)
    grid["overdue"] = a.groupby("priority")["overdue"].sum().reindex(grid.index, fill_value=0)
    return grid.astype(int)


def _risk_priority(row: pd.Series) -> str:
    score = pd.to_numeric(row.get("impact_score"), errors="coerce")
    if pd.notna(score):
        return "critical" if score >= 5 else "high" if score >= 4 else "medium" if score >= 3 else "low"
    return "high"


def promote_risk(risks: Any, risk_id: str, *, issues: Log | None = None, on: Any = None,
                 owner: str | None = None, priority: str | None = None, due: Any = None,
                 issue_id: str | None = None) -> tuple[Log, pd.DataFrame]:
    """Turn a risk that occurred into an issue, and close the risk on its register.

    Parameters
    ----------
    risks : DataFrame or list of mappings
        The risk register (``id``, ``description``; optional ``owner``, ``tasks``,
        ``impact_score``, ``status``).
    risk_id : str
        The risk that occurred.
    issues : Log, optional
        The issue log to add to (default: a new one).
    on : date-like, optional
        When it occurred (the issue's ``raised`` date); default the log's status date, or
        today without a log.
    owner, priority, due : optional
        Override the risk owner, the priority (default from the impact score: 5 critical,
        4 high, 3 medium, below low; ``high`` without a score) and give a due date.
    issue_id : str, optional
        Default ``ISS-<risk id>``.

    Returns
    -------
    (Log, DataFrame)
        The issue log with the new issue (linked to the risk and its tasks), and a copy of
        the register with the risk's ``status`` set to ``closed`` (it is no longer uncertain,
        so a schedule simulation no longer samples it) and ``issue`` naming the issue.

    Raises
    ------
    ValidationError
        Unknown risk, a risk already closed, or an issue id already in the log.

    Examples
    --------
    >>> reg = pd.DataFrame({"id": ["R1"], "description": ["Vendor late"], "owner": ["PM"],
    ...                     "tasks": ["T3"], "impact_score": [4], "status": ["open"]})
    >>> log, reg2 = promote_risk(reg, "R1", on="2027-03-10")
    >>> log.table.loc["ISS-R1", ["priority", "risks", "tasks"]].tolist(), reg2["status"].tolist()
    (['high', ('R1',), ('T3',)], ['closed'])
    """
    reg = table_frame(risks, "risk register").copy()
    reg.columns = [str(c).strip().lower() for c in reg.columns]
    if "id" not in reg.columns:
        raise ValidationError("risk register: column 'id' missing; give every risk its id")
    ids = reg["id"].astype(str).str.strip()
    hit = np.flatnonzero((ids == str(risk_id)).to_numpy())
    if not len(hit):
        raise ValidationError(f"promote_risk: unknown risk {risk_id!r}; choose one of: "
                              f"{format_ids(ids, limit=8)}")
    row = reg.iloc[hit[0]]
    if str(row.get("status", "open")).strip().lower() == "closed":
        raise ValidationError(f"promote_risk: risk {risk_id} is closed; reopen it on the "
                              "register before promoting it to an issue")
    when = (pd.Timestamp(on).normalize() if on is not None else
            issues.as_of if issues is not None else pd.Timestamp.now().normalize())
    new_id = issue_id or f"ISS-{risk_id}"
    base = issues.table.reset_index() if issues is not None else pd.DataFrame()
    if issues is not None and new_id in issues.table.index:
        raise ValidationError(f"promote_risk: issue {new_id} is already in the log; pass "
                              "another issue_id=")
    text = str(row.get("description", "") or risk_id).strip()
    entry = {"id": new_id, "title": f"Risk {risk_id} occurred: {text}",
             "owner": owner or str(row.get("owner", "") or "").strip() or "project manager",
             "raised": when, "due": pd.Timestamp(due) if due is not None else pd.NaT,
             "priority": priority or _risk_priority(row), "status": "open",
             "tasks": "; ".join(_links(pd.Series([row.get("tasks", "")]))[0]),
             "risks": str(risk_id), "description": text}
    if len(base):
        base = base.assign(tasks=base["tasks"].map("; ".join), risks=base["risks"].map("; ".join))
        base = base.drop(columns="is_open")
    rows = pd.concat([base, pd.DataFrame([entry])], ignore_index=True)
    as_of = max(when, issues.as_of) if issues is not None else when
    log = issue_log(rows, as_of=as_of)
    reg.loc[reg.index[hit[0]], "status"] = "closed"
    reg["issue"] = reg.get("issue", pd.Series("", index=reg.index)).fillna("")
    reg.loc[reg.index[hit[0]], "issue"] = new_id
    return log, reg
