"""Change log: change requests with cost/schedule impact and their status workflow.

:func:`change_log` validates the log; :func:`change_transition` moves a request along
proposed → approved/rejected/withdrawn → implemented; :func:`change_summary` totals the
impact by status and the approved change to the baseline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tpmkit.errors import ValidationError, check_option, format_ids
from tpmkit.model.tables import split_ids, table_frame
from tpmkit.scope._common import numeric_column, row_ids, text_column

__all__ = ["CHANGE_STATUSES", "CHANGE_TRANSITIONS", "ChangeSummary", "change_log", "change_summary", "change_transition"]


# --------------------------------------------------------------------------- change log
CHANGE_STATUSES = ("proposed", "approved", "rejected", "withdrawn", "implemented")
CHANGE_TRANSITIONS = {
    "proposed": ("approved", "rejected", "withdrawn"),
    "approved": ("implemented", "withdrawn"),
    "rejected": (),
    "withdrawn": (),
    "implemented": (),
}


def _dates(df: pd.DataFrame, col: str, ids: pd.Index) -> pd.Series:
    if col not in df.columns:
        return pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    raw = df[col]
    parsed = pd.to_datetime(raw, errors="coerce")
    bad = parsed.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        raise ValidationError(f"change log: {col!r} is not a date for "
                              f"{format_ids(ids[bad.to_numpy()])}; use ISO dates (2027-01-31)")
    return pd.Series(parsed.to_numpy(), index=ids)


def change_log(data: Any, *, task_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Validate a change log (change requests with impact and status).

    Parameters
    ----------
    data : DataFrame or list of rows
        Columns ``id`` (required), ``title``, ``description``, ``requested_by``, ``owner``,
        ``raised`` (date), ``cost_impact`` [currency, signed], ``schedule_impact_days``
        [working days, signed], ``tasks`` (affected task ids), ``status`` (proposed, approved,
        rejected, withdrawn, implemented; default proposed), ``decided`` and ``implemented``
        (dates).
    task_ids : iterable of str, optional
        Known task ids; unknown affected tasks raise.

    Returns
    -------
    DataFrame
        Indexed by ``id``: the columns above with canonical types (``tasks`` a tuple, dates as
        Timestamps, impacts as float with 0 for blanks).

    Raises
    ------
    ValidationError
        Unknown status; approved/rejected/implemented without a ``decided`` date (when the
        column is present); dates out of order (raised ≤ decided ≤ implemented); an
        ``implemented`` date on a change that is not implemented; unknown tasks.

    References
    ----------
    .. [1] PMI, *PMBOK Guide*, 6th ed., §4.6 Perform Integrated Change Control.

    Examples
    --------
    >>> log = change_log(pd.DataFrame({"id": ["CR1"], "cost_impact": [1200],
    ...                                "status": ["Approved"]}))
    >>> log.loc["CR1", "status"], float(log.loc["CR1", "cost_impact"])
    ('approved', 1200.0)
    """
    df = table_frame(data, "change log")
    what = "change log"
    ids = row_ids(df, what)
    out = df.set_axis(ids, axis=0).drop(columns="id")
    status = text_column(df, "status").str.lower().replace("", "proposed").set_axis(ids)
    bad = ~status.isin(CHANGE_STATUSES)
    if bad.any():
        raise ValidationError(f"change log: unknown status for {format_ids(ids[bad.to_numpy()])}; "
                              f"use one of {', '.join(CHANGE_STATUSES)}")
    out["status"] = status
    for col in ("cost_impact", "schedule_impact_days"):
        out[col] = numeric_column(df, col, what, ids).fillna(0.0).to_numpy()
    raised = _dates(df, "raised", ids)
    decided = _dates(df, "decided", ids)
    implemented = _dates(df, "implemented", ids)
    if "decided" in df.columns:
        need = status.isin(["approved", "rejected", "implemented"]) & decided.isna()
        if need.any():
            raise ValidationError(f"change log: {format_ids(ids[need.to_numpy()])} have a decision "
                                  "status but no 'decided' date; enter the decision date")
    stray = implemented.notna() & (status != "implemented")
    if stray.any():
        raise ValidationError(f"change log: {format_ids(ids[stray.to_numpy()])} have an "
                              "'implemented' date but are not implemented; clear the date or "
                              "set status implemented")
    early = (decided < raised) | (implemented < decided) | (implemented < raised)
    if early.any():
        raise ValidationError(f"change log: dates out of order for "
                              f"{format_ids(ids[early.to_numpy()])}; need raised ≤ decided ≤ "
                              "implemented")
    out["raised"], out["decided"], out["implemented"] = raised, decided, implemented
    tasks = df["tasks"].map(split_ids).set_axis(ids) if "tasks" in df.columns else (
        pd.Series([()] * len(ids), index=ids, dtype=object))
    if task_ids is not None:
        known = set(map(str, task_ids))
        unknown = [i for i, t in tasks.items() if set(t) - known]
        if unknown:
            missing = sorted({x for i in unknown for x in tasks[i]} - known)
            raise ValidationError(f"change log: {format_ids(unknown)} name unknown task(s) "
                                  f"{format_ids(missing)}; use ids from the task table")
    out["tasks"] = tasks
    return out


def change_transition(log: pd.DataFrame, change_id: str, status: str,
                      date: Any = None) -> pd.DataFrame:
    """Move one change request along the workflow and return the updated log (a copy).

    Allowed: proposed → approved | rejected | withdrawn; approved → implemented | withdrawn.

    Parameters
    ----------
    log : DataFrame
        Output of :func:`change_log`.
    change_id : str
        The change request.
    status : str
        The new status.
    date : date-like, optional
        Decision or implementation date (default: today).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> log = change_log(pd.DataFrame({"id": ["CR1"]}))
    >>> change_transition(log, "CR1", "approved", "2027-02-01").loc["CR1", "status"]
    'approved'
    """
    status = check_option(status, CHANGE_STATUSES, "change status")
    if change_id not in log.index:
        raise ValidationError(f"change request {change_id} is not in the log; known: "
                              f"{format_ids(log.index)}")
    current = log.loc[change_id, "status"]
    if status not in CHANGE_TRANSITIONS[current]:
        allowed = ", ".join(CHANGE_TRANSITIONS[current]) or "none (final status)"
        raise ValidationError(f"change request {change_id} cannot go from {current} to {status}; "
                              f"allowed next: {allowed}")
    out = log.copy()
    when = pd.Timestamp(date) if date is not None else pd.Timestamp.today().normalize()
    out.loc[change_id, "status"] = status
    column = "implemented" if status == "implemented" else "decided"
    if column not in out.columns:
        out[column] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    out.loc[change_id, column] = when
    return change_log(out.reset_index())


@dataclass(frozen=True)
class ChangeSummary:
    """Change requests by status (:func:`change_summary`).

    Attributes
    ----------
    table : DataFrame
        Indexed by status (workflow order): ``count``, ``cost_impact`` [currency],
        ``schedule_impact_days`` [working days].
    baseline_change : dict of str to float
        ``cost_impact`` and ``schedule_impact_days`` of the approved plus implemented
        changes (what moves the baseline).
    """

    table: pd.DataFrame
    baseline_change: dict[str, float]

    def _repr_html_(self) -> str:
        b = self.baseline_change
        head = (f"<p><b>Changes</b>: baseline change {b['cost_impact']:,.2f} cost, "
                f"{b['schedule_impact_days']:g} working days.</p>")
        return head + self.table.to_html(float_format=lambda x: f"{x:,.2f}")


def change_summary(log: pd.DataFrame) -> ChangeSummary:
    """Counts and total cost/schedule impact by status.

    Parameters
    ----------
    log : DataFrame
        Output of :func:`change_log`.

    Returns
    -------
    ChangeSummary
        ``table`` indexed by status (all statuses, in workflow order): ``count``,
        ``cost_impact`` [currency], ``schedule_impact_days`` [working days];
        ``baseline_change``: the totals of approved plus implemented changes (what moves
        the baseline).

    Examples
    --------
    >>> log = change_log(pd.DataFrame({"id": ["A", "B"], "cost_impact": [10, 5],
    ...                                "status": ["approved", "rejected"]}))
    >>> change_summary(log).baseline_change["cost_impact"]
    10.0
    """
    g = log.groupby("status")[["cost_impact", "schedule_impact_days"]]
    out = g.sum().reindex(list(CHANGE_STATUSES), fill_value=0.0)
    out.insert(0, "count", log["status"].value_counts().reindex(out.index, fill_value=0))
    out.index.name = "status"
    base = out.loc[["approved", "implemented"]].sum()
    return ChangeSummary(table=out, baseline_change={
        "cost_impact": float(base["cost_impact"]),
        "schedule_impact_days": float(base["schedule_impact_days"])})
