"""Project closure: lessons learned, acceptance, final performance against the baseline.

* :func:`lessons_learned` validates a lessons-learned register (category, what happened,
  impact, recommendation, owner, …) and :func:`lessons_summary` counts it by category.
* :func:`acceptance_checklist` validates the deliverable acceptance checklist (one row per
  acceptance criterion: pending, accepted, conditional or rejected, with the reasons);
  :func:`acceptance_status` decides whether the project may close.
* :func:`final_performance` compares the finished project with its baseline: schedule
  and cost variance per WBS element at every level, milestones planned vs actual, the
  earned-value figures at completion (:mod:`tpmkit.evm`) and the risks that occurred
  against the register's expectation (:func:`risk_outcomes`).
* :func:`closure_summary` bundles them into a :class:`Closure` (ready to close or not,
  with the reasons).

Schedule variance here is in working days (actual or forecast finish − baseline finish;
positive = late); cost variance follows PMBOK at completion, CV = BAC − AC (EV = BAC once
the work is done; negative = over budget).

References
----------
.. [1] PMI, *PMBOK Guide*, 6th ed., §4.7 Close Project or Phase (final report, lessons
   learned register, acceptance of deliverables); §5.5 Validate Scope.
.. [2] PMI, *Practice Standard for Earned Value Management*, 2nd ed. (variance at
   completion).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tpmkit import evm
from tpmkit.baselines import baseline_table
from tpmkit.cpm import ScheduleResult, schedule
from tpmkit.errors import DataError, ValidationError, format_ids
from tpmkit.model import Project
from tpmkit.model.tables import require_columns, row_ids, table_frame
from tpmkit.model.wbs import wbs_key
from tpmkit.risk import normalize_register

__all__ = ["ACCEPTANCE_STATUSES", "LESSON_TYPES", "Closure", "FinalPerformance",
           "acceptance_checklist", "acceptance_status", "closure_summary", "final_performance",
           "lessons_learned", "lessons_summary", "risk_outcomes"]

LESSON_TYPES = ("negative", "positive")
ACCEPTANCE_STATUSES = ("pending", "accepted", "conditional", "rejected")
_YES = {"yes", "y", "true", "1", "occurred"}
_NO = {"", "no", "n", "false", "0", "did not occur", "closed", "open"}


def _text(df: pd.DataFrame, column: str, ids: pd.Index) -> pd.Series:
    if column not in df.columns:
        return pd.Series("", index=ids, dtype=object)
    raw = df[column].astype(object).where(df[column].notna(), "")
    return pd.Series(raw.astype(str).str.strip().to_numpy(), index=ids, dtype=object)


def _dates(df: pd.DataFrame, column: str, ids: pd.Index, what: str) -> pd.Series:
    if column not in df.columns:
        return pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    raw = df[column]
    parsed = pd.to_datetime(raw, errors="coerce")
    bad = parsed.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        raise ValidationError(f"{what}: {column!r} is not a date for "
                              f"{format_ids(ids[bad.to_numpy()])}; use ISO dates (2027-01-31)")
    return pd.Series(parsed.to_numpy(dtype="datetime64[ns]"), index=ids)


def _required(out: pd.DataFrame, columns: Iterable[str], what: str, fix: str) -> None:
    for col in columns:
        blank = out[col] == ""
        if blank.any():
            raise ValidationError(f"{what}: {col!r} is blank for "
                                  f"{format_ids(out.index[blank.to_numpy()])}; {fix}")


def _choice(values: pd.Series, choices: tuple[str, ...], default: str, what: str,
            column: str) -> pd.Series:
    v = values.str.lower().replace("", default)
    bad = ~v.isin(choices)
    if bad.any():
        raise ValidationError(f"{what}: unknown {column} for {format_ids(v.index[bad.to_numpy()])}; "
                              f"use one of {', '.join(choices)}")
    return v


# --------------------------------------------------------------------------- lessons
def lessons_learned(data: Any) -> pd.DataFrame:
    """Validate a lessons-learned register.

    Parameters
    ----------
    data : DataFrame or list of rows
        Columns ``id``, ``category``, ``what_happened``, ``recommendation`` (required,
        non-blank); ``impact`` (what it did to the project), ``type`` (negative or
        positive, default negative), ``phase``, ``owner``, ``date``, ``tasks``.

    Returns
    -------
    DataFrame
        Indexed by ``id`` in input order; text columns stripped, ``type`` lower-case,
        ``date`` as Timestamps.

    Raises
    ------
    ValidationError
        Missing columns, duplicate or blank ids, a blank required field, an unknown type or
        a bad date (the message names the lessons).

    Examples
    --------
    >>> ll = lessons_learned([{"id": "L1", "category": "Testing", "what_happened": "late env",
    ...                        "recommendation": "book environments at kickoff"}])
    >>> ll.loc["L1", "type"]
    'negative'
    """
    what = "lessons learned"
    df = table_frame(data, what)
    require_columns(df, ["id", "category", "what_happened", "recommendation"], what)
    ids = row_ids(df, what)
    out = pd.DataFrame(index=ids)
    for col in ("category", "what_happened", "impact", "recommendation", "phase", "owner",
                "tasks"):
        out[col] = _text(df, col, ids)
    _required(out, ("category", "what_happened", "recommendation"), what,
              "say what happened and what to do next time")
    out["type"] = _choice(_text(df, "type", ids), LESSON_TYPES, "negative", what, "type")
    out["date"] = _dates(df, "date", ids, what)
    return out


def lessons_summary(lessons: pd.DataFrame) -> pd.DataFrame:
    """Lessons by category: ``negative``, ``positive`` and ``total`` counts (most first).

    Examples
    --------
    >>> ll = lessons_learned([{"id": i, "category": c, "what_happened": "x",
    ...                        "recommendation": "y", "type": t}
    ...                       for i, c, t in [("L1", "Test", "negative"), ("L2", "Test", "positive"),
    ...                                       ("L3", "Scope", "negative")]])
    >>> lessons_summary(ll)["total"].to_dict()
    {'Test': 2, 'Scope': 1}
    """
    table = pd.crosstab(lessons["category"], lessons["type"]).reindex(
        columns=list(LESSON_TYPES), fill_value=0)
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.sort_values("total", ascending=False, kind="stable")


# --------------------------------------------------------------------------- acceptance
def acceptance_checklist(data: Any) -> pd.DataFrame:
    """Validate the acceptance checklist (one row per deliverable criterion).

    Parameters
    ----------
    data : DataFrame or list of rows
        ``id``, ``deliverable`` (required), ``criterion``, ``accepted_by``, ``status``
        (pending, accepted, conditional, rejected; default pending), ``date``, ``evidence``,
        ``reason`` (required for conditional and rejected rows).

    Returns
    -------
    DataFrame
        Indexed by ``id``.

    Raises
    ------
    ValidationError
        Blank deliverable, unknown status, an accepted row without ``accepted_by``, a
        conditional or rejected row without a reason.

    Examples
    --------
    >>> acc = acceptance_checklist([{"id": "A1", "deliverable": "Release 3.0",
    ...                              "status": "Accepted", "accepted_by": "Sponsor"}])
    >>> acceptance_status(acc)["ready"]
    True
    """
    what = "acceptance checklist"
    df = table_frame(data, what)
    require_columns(df, ["id", "deliverable"], what)
    ids = row_ids(df, what)
    out = pd.DataFrame(index=ids)
    for col in ("deliverable", "criterion", "accepted_by", "evidence", "reason"):
        out[col] = _text(df, col, ids)
    _required(out, ("deliverable",), what, "name the deliverable")
    out["status"] = _choice(_text(df, "status", ids), ACCEPTANCE_STATUSES, "pending", what,
                            "status")
    out["date"] = _dates(df, "date", ids, what)
    checks = [
        ((out["status"] == "accepted") & (out["accepted_by"] == ""),
         "are accepted but nobody signed", "enter who accepted in 'accepted_by'"),
        (out["status"].isin(["conditional", "rejected"]) & (out["reason"] == ""),
         "are conditional or rejected without a reason", "enter the reason or the conditions"),
    ]
    for mask, problem, fix in checks:
        if mask.any():
            raise ValidationError(f"{what}: {format_ids(out.index[mask.to_numpy()])} {problem}; "
                                  f"{fix}")
    return out


def acceptance_status(checklist: pd.DataFrame) -> dict[str, Any]:
    """Counts by status and whether the deliverables are accepted (``ready``).

    ``ready`` is True when no criterion is pending or rejected (conditional acceptances
    count as accepted, their conditions listed in ``conditions``).
    """
    counts = checklist["status"].value_counts().reindex(list(ACCEPTANCE_STATUSES), fill_value=0)
    blocking = checklist.index[checklist["status"].isin(["pending", "rejected"]).to_numpy()]
    cond = checklist[checklist["status"] == "conditional"]
    return {"counts": {k: int(v) for k, v in counts.items()}, "ready": len(blocking) == 0,
            "blocking": list(blocking),
            "conditions": [f"{i}: {r}" for i, r in cond["reason"].items()]}


# --------------------------------------------------------------------------- performance
def _actual_finish(project: Project, result: ScheduleResult) -> pd.Series:
    """Actual finish where reported, else the scheduled (forecast) early finish."""
    t = project.tasks
    forecast = result.table["early_finish_date"] if "early_finish_date" in result.table else \
        pd.Series(pd.NaT, index=t.index)
    return t["actual_finish"].where(t["actual_finish"].notna(), forecast)


def _slip(project: Project, later: pd.Series, earlier: pd.Series) -> np.ndarray:
    out = np.full(len(later), np.nan)
    ok = (later.notna() & earlier.notna()).to_numpy()
    if ok.any():
        out[ok] = np.busday_count(earlier[ok].to_numpy(dtype="datetime64[D]"),
                                  later[ok].to_numpy(dtype="datetime64[D]"),
                                  busdaycal=project.calendar.busdaycal)
    return out


def _prefixes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts) + 1)]


def _wbs_variance(project: Project, base: pd.DataFrame, finish: pd.Series) -> pd.DataFrame:
    t = project.tasks
    codes = t["wbs"].fillna("").astype(str)
    actual_cost = t["actual_cost"].fillna(0.0)
    names = {} if project.wbs is None else dict(zip(project.wbs["wbs"].astype(str),
                                                    project.wbs.get("name", ""), strict=False))
    rows = []
    for code in sorted({p for c in codes if c for p in _prefixes(c)}, key=wbs_key):
        mask = (codes.eq(code) | codes.str.startswith(code + ".")).to_numpy()
        bf, af = base["finish"][mask].max(), finish[mask].max()
        bac = float(base["cost"][mask].fillna(0).sum())
        ac = float(actual_cost[mask].sum())
        rows.append({"wbs": code, "name": names.get(code) or (
            t["name"][mask].iloc[0] if mask.sum() == 1 else ""),
            "level": code.count(".") + 1, "tasks": int(mask.sum()),
            "baseline_finish": bf, "finish": af,
            "schedule_variance_days": _slip(project, pd.Series([af]), pd.Series([bf]))[0],
            "budget": bac, "actual_cost": ac, "cost_variance": bac - ac,
            "cost_variance_percent": (bac - ac) / bac * 100 if bac else np.nan})
    cols = ["name", "level", "tasks", "baseline_finish", "finish", "schedule_variance_days",
            "budget", "actual_cost", "cost_variance", "cost_variance_percent"]
    return pd.DataFrame(rows, columns=["wbs", *cols]).set_index("wbs")


def _milestones(project: Project, base: pd.DataFrame, finish: pd.Series) -> pd.DataFrame:
    t = project.tasks
    ms = t.index[(t["duration"] == 0).to_numpy()]
    done = t["actual_finish"].notna() | (t["percent_complete"].fillna(0) >= 100)
    out = pd.DataFrame({"name": t.loc[ms, "name"], "baseline": base.loc[ms, "finish"],
                        "actual": finish.loc[ms]}, index=ms)
    out["slip_days"] = _slip(project, out["actual"], out["baseline"])
    reached = done.loc[ms].to_numpy()
    out["status"] = np.where(~reached, "forecast", np.where(
        out["slip_days"].fillna(0) > 0, "late", np.where(out["slip_days"].fillna(0) < 0, "early",
                                                         "on time")))
    return out


def risk_outcomes(register: Any, outcomes: Any = None, *,
                  task_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The risk register against what happened.

    Parameters
    ----------
    register : DataFrame or list of rows
        The risk register (:func:`tpmkit.risk.normalize_register`).
    outcomes : DataFrame, list of rows or mapping, optional
        Per risk: ``risk`` (id), ``occurred`` (yes/no), ``actual_delay_days`` [working
        days], ``actual_cost`` [currency], ``note``; or a mapping id → occurred. Default:
        a register column ``occurred`` (or ``status`` = ``occurred``).
    task_ids : iterable of str, optional
        Task ids for validating the register.

    Returns
    -------
    DataFrame
        Indexed by risk id: ``description``, ``type``, ``probability``, ``emv_days``,
        ``emv_cost`` (the register's expectation), ``occurred`` (bool),
        ``actual_delay_days``, ``actual_cost``, ``note``.

    Examples
    --------
    >>> reg = [{"id": "R1", "probability": 0.4, "tasks": "A", "impact_days": 5},
    ...        {"id": "R2", "probability": 0.2, "tasks": "A", "impact_days": 2}]
    >>> risk_outcomes(reg, {"R1": "yes"})["occurred"].tolist()
    [True, False]
    """
    raw = table_frame(register, "risk register")
    reg = normalize_register(raw, task_ids)
    ids = pd.Index(reg["id"].astype(str) if "id" in reg.columns else reg.index.astype(str))
    out = pd.DataFrame({"description": reg["description"].to_numpy(),
                        "type": reg["type"].to_numpy(),
                        "probability": reg["probability"].to_numpy(float),
                        "emv_days": reg["emv_days"].to_numpy(float),
                        "emv_cost": reg["emv_cost"].to_numpy(float)}, index=ids)
    out.index.name = "id"
    if outcomes is None:
        col = "occurred" if "occurred" in raw.columns else "status" if "status" in raw.columns \
            else None
        frame = pd.DataFrame({"risk": ids, "occurred": raw[col].to_numpy() if col else ""})
    elif isinstance(outcomes, Mapping):
        frame = pd.DataFrame({"risk": list(outcomes), "occurred": list(outcomes.values())})
    else:
        frame = table_frame(outcomes, "risk outcomes")
        require_columns(frame, ["risk", "occurred"], "risk outcomes")
    frame["risk"] = frame["risk"].astype(str).str.strip()
    unknown = sorted(set(frame["risk"]) - set(ids))
    if unknown:
        raise ValidationError(f"risk outcomes: {format_ids(unknown)} are not in the risk "
                              "register; use the register's risk ids")
    text = frame["occurred"].map(lambda v: "" if v is None or v is True or v is False
                                 else str(v)).str.strip().str.lower()
    flag = frame["occurred"].map(lambda v: v if isinstance(v, bool | np.bool_) else None)
    bad = flag.isna() & ~text.isin(_YES | _NO)
    if bad.any():
        raise ValidationError(f"risk outcomes: 'occurred' is not yes/no for "
                              f"{format_ids(frame['risk'][bad.to_numpy()])}; enter yes or no")
    occurred = flag.where(flag.notna(), text.isin(_YES)).astype(bool)
    by = pd.Series(occurred.to_numpy(), index=frame["risk"])
    out["occurred"] = by.reindex(out.index, fill_value=False).astype(bool).to_numpy()
    for col in ("actual_delay_days", "actual_cost"):
        vals = pd.to_numeric(frame[col], errors="coerce") if col in frame.columns else \
            pd.Series(np.nan, index=frame.index)
        out[col] = pd.Series(vals.to_numpy(float), index=frame["risk"]).reindex(out.index).to_numpy()
    notes = frame["note"].fillna("").astype(str) if "note" in frame.columns else \
        pd.Series("", index=frame.index)
    out["note"] = pd.Series(notes.to_numpy(), index=frame["risk"]).reindex(out.index,
                                                                          fill_value="").to_numpy()
    return out


@dataclass(frozen=True)
class FinalPerformance:
    """The project against its baseline at closure (:func:`final_performance`).

    Attributes
    ----------
    wbs : DataFrame
        One row per WBS element at every level (index: WBS code): ``name``, ``level``,
        ``tasks``, ``baseline_finish``, ``finish`` (actual, else forecast),
        ``schedule_variance_days`` [working days, positive = late], ``budget``,
        ``actual_cost``, ``cost_variance`` (budget − actual) [currency],
        ``cost_variance_percent``.
    milestones : DataFrame
        Zero-duration tasks: ``name``, ``baseline``, ``actual``, ``slip_days``, ``status``
        (on time, early, late, forecast).
    evm : Series or None
        The earned-value figures at the status date (:func:`tpmkit.evm.latest`).
    risks : DataFrame or None
        :func:`risk_outcomes`, when the project holds a register.
    totals : dict of str to float
        ``baseline_finish``, ``finish``, ``schedule_variance_days``, ``budget``,
        ``actual_cost``, ``cost_variance``, ``percent_complete``, ``risks_expected`` (Σ
        probability of the threats) and ``risks_occurred``.
    """

    wbs: pd.DataFrame
    milestones: pd.DataFrame
    evm: pd.Series | None
    risks: pd.DataFrame | None
    totals: dict[str, Any] = field(default_factory=dict)

    def _repr_html_(self) -> str:
        t = self.totals
        head = (f"<p><b>Final performance</b>: finish {t['finish']:%Y-%m-%d} vs baseline "
                f"{t['baseline_finish']:%Y-%m-%d} ({t['schedule_variance_days']:+g} working days); "
                f"cost {t['actual_cost']:,.0f} vs budget {t['budget']:,.0f} "
                f"(CV {t['cost_variance']:+,.0f}).</p>")
        return head + self.wbs.to_html(float_format=lambda x: f"{x:,.1f}")


def final_performance(project: Project, *, baseline: str = "baseline", outcomes: Any = None,
                      result: ScheduleResult | None = None) -> FinalPerformance:
    """Schedule and cost variance per WBS level, milestones, EVM at completion, risks.

    Parameters
    ----------
    project : Project
        The (finished or finishing) project with a baseline, ``actual_finish`` and
        ``actual_cost`` per task; a status date gives the EVM figures.
    baseline : str
        The baseline to compare with (``baseline``, ``baseline_1``, …).
    outcomes : optional
        Risk outcomes (see :func:`risk_outcomes`).
    result : ScheduleResult, optional
        The project's schedule (forecast dates of unfinished work).

    Returns
    -------
    FinalPerformance

    Raises
    ------
    ValidationError
        No start date, no such baseline, or tasks without a WBS code.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "wbs": ["1.1", "1.2"],
    ...     "duration": [2, 0], "predecessors": ["", "A"],
    ...     "baseline_start": ["2027-01-04", "2027-01-05"],
    ...     "baseline_finish": ["2027-01-05", "2027-01-05"], "baseline_cost": [1000, 0],
    ...     "actual_finish": ["2027-01-07", "2027-01-07"], "actual_cost": [1300, 0],
    ...     "percent_complete": [100, 100]}), start="2027-01-04")
    >>> fp = final_performance(p)
    >>> fp.wbs.loc["1", ["schedule_variance_days", "cost_variance"]].tolist()
    [2.0, -300.0]
    >>> fp.milestones.loc["B", "status"]
    'late'
    """
    if project.start is None:
        raise ValidationError("final performance needs calendar dates; set project.start")
    t = project.tasks
    nowbs = t.index[(t["wbs"].fillna("").astype(str) == "").to_numpy()]
    if len(nowbs):
        raise ValidationError(f"final performance rolls up by WBS but {format_ids(nowbs)} have no "
                              "WBS code; give every task a wbs code (e.g. 1.2)")
    base = baseline_table(project, baseline)
    if baseline == "baseline":  # EVM's baseline: the budget when baseline_cost is blank
        base["cost"] = evm.task_budgets(project)
    result = schedule(project) if result is None else result
    finish = _actual_finish(project, result)
    wbs = _wbs_variance(project, base, finish)
    miles = _milestones(project, base, finish)
    row = None
    if project.status_date is not None:
        try:
            with warnings.catch_warnings():
                # TCPI/TSPI are undefined once the work is done: not a closure figure
                warnings.simplefilter("ignore", evm.EVMWarning)
                row = evm.latest(evm.metrics(project))
        except DataError:
            row = None
    risks = None
    if project.risks is not None and len(project.risks):
        risks = risk_outcomes(project.risks, outcomes, task_ids=t.index)
    bf, af = base["finish"].max(), finish.max()
    budget, ac = float(base["cost"].fillna(0).sum()), float(t["actual_cost"].fillna(0).sum())
    threats = risks[risks["type"] != "opportunity"] if risks is not None else None
    totals = {"baseline_finish": bf, "finish": af,
              "schedule_variance_days": float(_slip(project, pd.Series([af]), pd.Series([bf]))[0]),
              "budget": budget, "actual_cost": ac, "cost_variance": budget - ac,
              "percent_complete": float(row["percent_complete"]) if row is not None else np.nan,
              "risks_expected": float(threats["probability"].sum()) if threats is not None
              else np.nan,
              "risks_occurred": int(risks["occurred"].sum()) if risks is not None else 0}
    return FinalPerformance(wbs=wbs, milestones=miles, evm=row, risks=risks, totals=totals)


# --------------------------------------------------------------------------- bundle
@dataclass(frozen=True)
class Closure:
    """Everything the closure report shows (:func:`closure_summary`).

    Attributes
    ----------
    performance : FinalPerformance
    lessons : DataFrame or None
    acceptance : DataFrame or None
    acceptance_status : dict or None
    ready : bool
        True when every task is finished and the acceptance checklist has nothing
        pending or rejected.
    reasons : tuple of str
        Why the project is not ready to close (empty when ready).
    """

    performance: FinalPerformance
    lessons: pd.DataFrame | None
    acceptance: pd.DataFrame | None
    acceptance_status: dict[str, Any] | None
    ready: bool
    reasons: tuple[str, ...]

    def _repr_html_(self) -> str:
        state = "ready to close" if self.ready else "not ready: " + "; ".join(self.reasons)
        return f"<p><b>Closure</b>: {state}.</p>" + self.performance._repr_html_()


def closure_summary(project: Project, *, lessons: Any = None, acceptance: Any = None,
                    outcomes: Any = None, baseline: str = "baseline") -> Closure:
    """Final performance, lessons learned and acceptance, and whether the project may close.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A"], "wbs": ["1"], "duration": [2],
    ...     "baseline_start": ["2027-01-04"], "baseline_finish": ["2027-01-05"],
    ...     "percent_complete": [60]}), start="2027-01-04")
    >>> c = closure_summary(p, acceptance=[{"id": "A1", "deliverable": "X"}])
    >>> c.ready, c.reasons
    (False, ('unfinished tasks: A', 'acceptance pending or rejected: A1', 'no lessons learned recorded'))
    """
    perf = final_performance(project, baseline=baseline, outcomes=outcomes)
    t = project.tasks
    open_tasks = t.index[(t["actual_finish"].isna() & (t["percent_complete"].fillna(0) < 100)
                          ).to_numpy()]
    reasons = []
    if len(open_tasks):
        reasons.append(f"unfinished tasks: {format_ids(open_tasks)}")
    ll = lessons_learned(lessons) if lessons is not None else None
    acc = acceptance_checklist(acceptance) if acceptance is not None else None
    status = acceptance_status(acc) if acc is not None else None
    if status is None:
        reasons.append("no acceptance checklist")
    elif not status["ready"]:
        reasons.append(f"acceptance pending or rejected: {format_ids(status['blocking'])}")
    if ll is None or not len(ll):
        reasons.append("no lessons learned recorded")
    return Closure(performance=perf, lessons=ll, acceptance=acc, acceptance_status=status,
                   ready=not reasons, reasons=tuple(reasons))
