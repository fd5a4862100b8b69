"""What a change request does to the plan: its effects, applied to a copy and undone.

A change request in the change log (:func:`~tpmkit.scope.change_log`) says *why* and *how
much*; its **effects** say *what changes in the plan*, one row per effect:

=============== ========================================================================
action          meaning (columns used)
=============== ========================================================================
``add_task``    a new task ``task`` with any task-table columns (``name``, ``wbs``,
                ``duration``, ``cost``, ``rate``, ``resources``, ``optimistic`` …) and
                its ``predecessors`` (task-table link syntax)
``remove_task`` task ``task`` leaves the plan with all its links
``duration``    ``duration`` working days added to task ``task`` (signed); a three-point
                estimate moves by the same amount
``cost``        ``cost`` [currency] added to the fixed cost of task ``task`` (signed)
``add_link``    links ``predecessors`` (e.g. ``DV5 SS+2``) into task ``task``
``remove_link`` the links from ``predecessors`` (ids) into task ``task``
``scope``       ``scope`` units (requirements, story points, … signed) added to the scope;
                no task changes
=============== ========================================================================

:func:`change_effects` validates the table; :func:`apply_change` applies one request's
effects to a copy of the project and returns the changed project together with the
effects that undo it exactly (``AppliedChange.undo``): applying those to the changed plan
gives back the original plan.

References
----------
.. [1] PMI, *PMBOK Guide*, 6th ed., §4.6 Perform Integrated Change Control (change
   requests update the schedule and cost baselines).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.model import Project, parse_link
from tpmkit.model.tables import require_columns, split_ids, table_frame
from tpmkit.scope._common import numeric_column, text_column

__all__ = ["CHANGE_ACTIONS", "AppliedChange", "apply_change", "change_effects"]

CHANGE_ACTIONS = ("add_task", "remove_task", "duration", "cost", "add_link", "remove_link",
                  "scope")
_NEEDS_TASK = set(CHANGE_ACTIONS) - {"scope"}
_LINK_COLUMNS = ["predecessor", "successor", "type", "lag", "lag_percent"]
# columns of the effects table that are not task columns of an added task
_EFFECT_ONLY = {"change", "action", "task", "scope", "position", "blank", "type", "lag",
                "lag_percent", "note", "predecessors"}


def _label(df: pd.DataFrame, mask: Any) -> list[str]:
    rows = df[np.asarray(mask, dtype=bool)]
    return [f"{c} row {i + 1}" for i, c in zip(rows.index, rows["change"], strict=True)]


def change_effects(data: Any, *, change_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Validate a change-effects table (one row per effect of a change request).

    Parameters
    ----------
    data : DataFrame or list of rows
        Columns ``change`` (change request id) and ``action`` (see the module docstring)
        are required; ``task``, ``duration`` [working days], ``cost`` [currency], ``scope``
        [scope units], ``predecessors``, ``note`` and any task-table column for
        ``add_task`` rows.
    change_ids : iterable of str, optional
        Ids of the change log; effects of unknown changes raise.

    Returns
    -------
    DataFrame
        The rows in input order (a fresh integer index) with ``action`` lower-case,
        ``duration``, ``cost`` and ``scope`` as float (NaN when blank).

    Raises
    ------
    ValidationError
        Blank change id, unknown action, a task-level action without ``task``, a
        ``duration``/``cost``/``scope`` row without its number, an ``add_task`` without a
        duration or three-point estimate, a link action without ``predecessors``, or an
        unknown change id.

    Examples
    --------
    >>> fx = change_effects([{"change": "CR1", "action": "Duration", "task": "B",
    ...                       "duration": 2}])
    >>> fx.loc[0, "action"], float(fx.loc[0, "duration"])
    ('duration', 2.0)
    """
    what = "change effects"
    df = table_frame(data, what).reset_index(drop=True)
    require_columns(df, ["change", "action"], what)
    df["change"] = text_column(df, "change")
    blank = df["change"] == ""
    if blank.any():
        rows = [str(i + 1) for i in np.flatnonzero(blank.to_numpy())]
        raise ValidationError(f"{what}: row(s) {format_ids(rows)} have no change id; enter the "
                              "change request id (e.g. CR01)")
    df["action"] = text_column(df, "action").str.lower().str.replace(" ", "_")
    bad = ~df["action"].isin(CHANGE_ACTIONS)
    if bad.any():
        raise ValidationError(f"{what}: unknown action for {format_ids(_label(df, bad))}; use "
                              f"one of {', '.join(CHANGE_ACTIONS)}")
    labels = pd.Index([f"{c} row {i + 1}" for i, c in enumerate(df["change"])])
    for col in ("duration", "cost", "scope"):
        df[col] = numeric_column(df, col, what, labels).to_numpy()
    df["task"] = text_column(df, "task")
    df["predecessors"] = text_column(df, "predecessors")
    checks = [(df["action"].isin(_NEEDS_TASK) & (df["task"] == ""), "name no task",
               "enter the task id in column 'task'")]
    for col in ("duration", "cost", "scope"):
        checks.append(((df["action"] == col) & df[col].isna(), f"give no {col!r}",
                       f"enter the signed {col} change in column {col!r}"))
    three = [c for c in ("most_likely",) if c in df.columns]
    has_estimate = df["duration"].notna()
    for c in three:
        has_estimate |= pd.to_numeric(df[c], errors="coerce").notna()
    checks.append(((df["action"] == "add_task") & ~has_estimate, "add a task without a duration",
                   "enter its duration (or a three-point estimate)"))
    checks.append((df["action"].isin(["add_link", "remove_link"]) & (df["predecessors"] == ""),
                   "change links without naming them", "enter the links in 'predecessors'"))
    for mask, problem, fix in checks:
        if mask.any():
            raise ValidationError(f"{what}: {format_ids(_label(df, mask))} {problem}; {fix}")
    if change_ids is not None:
        known = set(map(str, change_ids))
        unknown = sorted(set(df["change"]) - known)
        if unknown:
            raise ValidationError(f"{what}: change(s) {format_ids(unknown)} are not in the change "
                                  "log; add them to the log or fix the id")
    return df


@dataclass(frozen=True)
class AppliedChange:
    """A change request applied to a copy of the plan (:func:`apply_change`).

    Attributes
    ----------
    change : str
        The change request id (``""`` when the rows of several changes were applied).
    project : Project
        The changed plan (validated again).
    undo : DataFrame
        Effects that turn ``project`` back into the original plan exactly.
    added, removed : tuple of str
        Task ids added and removed.
    changed : tuple of str
        Existing tasks whose duration, cost or links changed.
    scope_delta : float
        Sum of the ``scope`` effects [scope units].
    """

    change: str
    project: Project
    undo: pd.DataFrame
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    scope_delta: float

    def _repr_html_(self) -> str:
        return (f"<p><b>Change {self.change or '(all effects)'}</b>: added "
                f"{format_ids(self.added) or 'none'}; removed {format_ids(self.removed) or 'none'}; "
                f"changed {format_ids(self.changed) or 'none'}; scope {self.scope_delta:+g}.</p>")


class _Plan:
    """The task and link tables in input form while effects are applied."""

    def __init__(self, project: Project) -> None:
        self.tasks = project.to_table().set_index("id")
        self.links = project.links[_LINK_COLUMNS].reset_index(drop=True)
        self.undo: list[list[dict[str, Any]]] = []
        self.added: list[str] = []
        self.removed: list[str] = []
        self.changed: list[str] = []
        self.scope = 0.0
        periods, risks = project.periods, project.risks
        self.reported = (set(periods["task"].astype(str)) if periods is not None
                         and "task" in periods.columns else set())
        self.at_risk = ({t for v in risks["tasks"] for t in split_ids(v)} if risks is not None
                        and "tasks" in risks.columns else set())

    def need(self, task: str, where: str) -> None:
        if task not in self.tasks.index:
            raise ValidationError(f"change effects: {where}: task {task} is not in the plan; use "
                                  "an id of the task table (or add the task first)")

    # -- tasks -----------------------------------------------------------------------------
    def add_task(self, row: pd.Series, where: str) -> None:
        task = row["task"]
        if task in self.tasks.index:
            raise ValidationError(f"change effects: {where}: task {task} already exists; use "
                                  "another id or a duration/cost action")
        values = {c: row[c] for c in row.index if c not in _EFFECT_ONLY
                  and not (isinstance(row[c], float) and np.isnan(row[c])) and row[c] != ""}
        new = pd.DataFrame([values], index=pd.Index([task], name="id"))
        pos = _position(row, len(self.tasks))
        self.tasks = pd.concat([self.tasks.iloc[:pos], new, self.tasks.iloc[pos:]])
        self.added.append(task)
        for token in _split_links(row["predecessors"]):
            self.add_link(task, token, None, where)
        self.undo.append([{"action": "remove_task", "task": task}])  # its links go with it

    def remove_task(self, task: str, where: str) -> None:
        self.need(task, where)
        if task in self.reported:
            raise ValidationError(f"change effects: {where}: task {task} has reported progress "
                                  "(status history); work already reported stays in the plan, "
                                  "reduce its duration instead")
        if task in self.at_risk:
            raise ValidationError(f"change effects: {where}: the risk register names task {task}; "
                                  "move or close those risks before removing the task")
        pos = int(self.tasks.index.get_loc(task))
        record = self.tasks.loc[task]
        self.tasks = self.tasks.drop(index=task)
        hit = (self.links["predecessor"] == task) | (self.links["successor"] == task)
        gone = self.links[hit]
        self.links = self.links[~hit].reset_index(drop=True)
        row = {c: v for c, v in record.items() if not _blank(v) and c != "predecessors"}
        undo = [{"action": "add_task", "task": task, "position": pos, **row}]
        for i, link in gone.iterrows():
            undo.append(_link_row(link, int(i)))
        self.undo.append(undo)
        self.removed.append(task)

    def shift(self, task: str, delta: float, where: str) -> None:
        self.need(task, where)
        cols = [c for c in ("duration", "optimistic", "most_likely", "pessimistic")
                if c in self.tasks.columns and not _blank(self.tasks.at[task, c])]
        if not cols:
            raise ValidationError(f"change effects: {where}: task {task} has no duration to "
                                  "change; give it a duration first")
        new = {c: float(self.tasks.at[task, c]) + delta for c in cols}
        if min(new.values()) < 0:
            raise ValidationError(f"change effects: {where}: {delta:+g} working days makes the "
                                  f"duration of {task} negative; use a smaller reduction")
        for c, v in new.items():
            self.tasks[c] = self.tasks[c].astype(object)
            self.tasks.at[task, c] = v
        self.undo.append([{"action": "duration", "task": task, "duration": -delta}])
        self.changed.append(task)

    def add_cost(self, task: str, delta: float, blank: bool, where: str) -> None:
        self.need(task, where)
        if "cost" not in self.tasks.columns:
            self.tasks["cost"] = np.nan
        old = self.tasks.at[task, "cost"]
        was_blank = _blank(old)
        value = (0.0 if was_blank else float(old)) + delta
        if value < 0:
            raise ValidationError(f"change effects: {where}: {delta:+g} makes the fixed cost of "
                                  f"{task} negative ({value:g}); a saving cannot exceed the "
                                  "task's fixed cost, reduce its duration or rate instead")
        self.tasks["cost"] = self.tasks["cost"].astype(object)
        self.tasks.at[task, "cost"] = np.nan if blank else value
        self.undo.append([{"action": "cost", "task": task, "cost": -delta, "blank": was_blank}])
        self.changed.append(task)

    # -- links -----------------------------------------------------------------------------
    def add_link(self, task: str, token: str, row: pd.Series | None, where: str
                 ) -> list[dict[str, Any]]:
        self.need(task, where)
        if row is not None and not _blank(row.get("type")):
            pred, kind = token, str(row["type"]).upper()
            lag, pct = float(row["lag"]), float(row["lag_percent"])
        else:
            pred, kind, lag, pct = parse_link(token, set(self.tasks.index))
        self.need(pred, where)
        exists = (self.links["predecessor"] == pred) & (self.links["successor"] == task)
        if exists.any():
            raise ValidationError(f"change effects: {where}: {task} already has a link from "
                                  f"{pred}; remove it first or change its lag")
        pos = len(self.links) if row is None else _position(row, len(self.links))
        new = pd.DataFrame([{"predecessor": pred, "successor": task, "type": kind, "lag": lag,
                             "lag_percent": pct}])
        self.links = pd.concat([self.links.iloc[:pos], new, self.links.iloc[pos:]],
                               ignore_index=True)
        return [{"action": "remove_link", "task": task, "predecessors": pred}]

    def remove_link(self, task: str, pred: str, where: str) -> list[dict[str, Any]]:
        self.need(task, where)
        hit = (self.links["predecessor"] == pred) & (self.links["successor"] == task)
        if not hit.any():
            raise ValidationError(f"change effects: {where}: there is no link {pred} → {task} to "
                                  "remove; check the ids")
        i = int(np.flatnonzero(hit.to_numpy())[0])
        undo = [_link_row(self.links.iloc[i], i)]
        self.links = self.links.drop(index=i).reset_index(drop=True)
        return undo


def _blank(v: Any) -> bool:
    if v is None or v is pd.NaT:
        return True
    if isinstance(v, float) and np.isnan(v):
        return True
    return isinstance(v, str) and v.strip() == ""


def _position(row: pd.Series, size: int) -> int:
    pos = row.get("position")
    return size if _blank(pos) else min(int(pos), size)


def _link_row(link: pd.Series, pos: int) -> dict[str, Any]:
    return {"action": "add_link", "task": link["successor"], "predecessors": link["predecessor"],
            "type": link["type"], "lag": float(link["lag"]),
            "lag_percent": float(link["lag_percent"]), "position": pos}


def _split_links(text: str) -> list[str]:
    return [t.strip() for t in str(text).replace(",", ";").split(";") if t.strip()]


def _apply_row(plan: _Plan, row: pd.Series, where: str) -> None:
    action, task = row["action"], row["task"]
    if action == "add_task":
        plan.add_task(row, where)
    elif action == "remove_task":
        plan.remove_task(task, where)
    elif action == "duration":
        plan.shift(task, float(row["duration"]), where)
    elif action == "cost":
        plan.add_cost(task, float(row["cost"]), bool(row.get("blank") is True), where)
    elif action in ("add_link", "remove_link"):
        undo: list[dict[str, Any]] = []
        tokens = _split_links(row["predecessors"])
        if action == "add_link":
            for token in tokens:
                undo = plan.add_link(task, token, row, where) + undo
        else:
            for token in tokens:
                undo = plan.remove_link(task, token, where) + undo
        plan.undo.append(undo)  # reverse order: each link goes back where it was
        plan.changed.append(task)
    else:  # scope
        plan.scope += float(row["scope"])
        plan.undo.append([{"action": "scope", "scope": -float(row["scope"])}])


def apply_change(project: Project, effects: Any, change: str | None = None) -> AppliedChange:
    """Apply a change request's effects to a copy of the plan.

    Parameters
    ----------
    project : Project
        The plan (unchanged: projects are immutable).
    effects : DataFrame or list of rows
        A change-effects table (:func:`change_effects`; validated here).
    change : str, optional
        Apply only this change request's rows (default: every row, in order).

    Returns
    -------
    AppliedChange
        The changed project, the effects that undo it, the tasks added, removed and changed,
        and the scope delta.

    Raises
    ------
    ValidationError
        An unknown change id or task, a task added twice, a duration made negative, a link
        that exists already or is missing; the changed plan is validated again (a new link
        that closes a cycle raises :class:`~tpmkit.errors.CycleError`).

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3],
    ...                               "predecessors": ["", "A"]}))
    >>> fx = [{"change": "CR1", "action": "add_task", "task": "T", "duration": 4,
    ...        "predecessors": "B"}, {"change": "CR1", "action": "duration", "task": "A",
    ...        "duration": -1}]
    >>> done = apply_change(p, fx, "CR1")
    >>> tpmkit.schedule(done.project).duration
    8.0
    >>> apply_change(done.project, done.undo).project == p
    True
    """
    fx = change_effects(effects)
    if change is not None:
        if change not in set(fx["change"]):
            raise ValidationError(f"change {change} has no effects; known: "
                                  f"{format_ids(sorted(set(fx['change'])))} (add rows to the "
                                  "effects table)")
        fx = fx[fx["change"] == change]
    if change is None and fx["change"].nunique() == 1:
        change = str(fx["change"].iloc[0])  # the rows of one change request
    plan = _Plan(project)
    for i, row in fx.iterrows():
        _apply_row(plan, row, f"{row['change']} row {int(i) + 1}")
    changed_project = project.replace(tasks=plan.tasks.reset_index(), links=plan.links)
    undo_rows = [r for block in reversed(plan.undo) for r in block]
    undo = pd.DataFrame([{"change": f"undo {change or 'all'}", **r} for r in undo_rows]) \
        if undo_rows else pd.DataFrame(columns=["change", "action"])
    return AppliedChange(
        change=change or "", project=changed_project, undo=undo,
        added=tuple(t for t in plan.added if t not in plan.removed),
        removed=tuple(t for t in plan.removed if t not in plan.added),
        changed=tuple(dict.fromkeys(t for t in plan.changed
                                    if t not in plan.added and t not in plan.removed)),
        scope_delta=plan.scope)
