"""Quality gates: a checklist of criteria per phase or milestone, evaluated into a result.

:func:`gate_checklist` validates the checklist (one row per criterion);
:func:`evaluate_gates` decides each gate — ``pass``, ``waived`` (every open point formally
waived, with a reason), ``pending`` (criteria not yet assessed) or ``fail`` — with the
reasons and a RAG colour for the milestone: green (pass), amber (waived, pending, or an
optional criterion failed) and red (a required criterion failed).

References
----------
.. [1] PMI, *PMBOK Guide*, 6th ed., §8.3 Control Quality (checklists, inspections).
.. [2] Cooper, R. G. (1990). Stage-gate systems: a new tool for managing new products.
   *Business Horizons* 33(3), 44–54.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.model.tables import table_frame
from tpmkit.quality._common import choice_column, date_column, row_ids, text_column

__all__ = ["CRITERION_STATUSES", "GATE_RAG", "GateResult", "evaluate_gates", "gate_checklist"]

CRITERION_STATUSES = ("open", "pass", "fail", "waived")
#: RAG colour of each gate result.
GATE_RAG = {"pass": "green", "waived": "amber", "pending": "amber", "fail": "red"}
_YES = {"", "yes", "y", "true", "1", "required"}
_NO = {"no", "n", "false", "0", "optional"}


def gate_checklist(data: Any, *, task_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Validate a quality-gate checklist.

    Parameters
    ----------
    data : DataFrame or list of rows
        One row per criterion: ``id``, ``gate`` (required), ``milestone`` (task id of the
        milestone the gate guards), ``criterion``, ``evidence`` (document, link or test
        report), ``owner``, ``status`` (open, pass, fail, waived; default open),
        ``required`` (yes/no, default yes), ``reason`` (required for waived and failed
        criteria), ``date`` (assessment date).
    task_ids : iterable of str, optional
        Known task ids; an unknown milestone raises.

    Returns
    -------
    DataFrame
        Indexed by criterion ``id`` in input order, with ``required`` as bool.

    Raises
    ------
    ValidationError
        Blank gate; unknown status; a waived or failed criterion without a reason; a passed
        criterion without evidence; a ``required`` that is not yes/no; unknown milestones.

    Examples
    --------
    >>> c = gate_checklist([{"id": "G1-1", "gate": "G1", "criterion": "Tests pass",
    ...                      "evidence": "report.html", "status": "Pass"}])
    >>> c.loc["G1-1", "status"], bool(c.loc["G1-1", "required"])
    ('pass', True)
    """
    what = "quality gates"
    df = table_frame(data, what)
    ids = row_ids(df, what)
    out = pd.DataFrame(index=ids)
    for col in ("gate", "milestone", "criterion", "evidence", "owner", "reason"):
        out[col] = text_column(df, col, ids)
    blank = out["gate"] == ""
    if blank.any():
        raise ValidationError(f"quality gates: {format_ids(ids[blank.to_numpy()])} have no "
                              "gate; name the gate (phase or milestone) of every criterion")
    out["status"] = choice_column(df, "status", ids, what, CRITERION_STATUSES, "open")
    req = text_column(df, "required", ids).str.lower()
    bad = ~req.isin(_YES | _NO)
    if bad.any():
        raise ValidationError(f"quality gates: 'required' is not yes/no for "
                              f"{format_ids(ids[bad.to_numpy()])}; enter yes or no")
    out["required"] = ~req.isin(_NO)
    unexplained = out["status"].isin(["waived", "fail"]) & (out["reason"] == "")
    if unexplained.any():
        raise ValidationError(f"quality gates: {format_ids(ids[unexplained.to_numpy()])} are "
                              "waived or failed without a reason; give the reason (and who "
                              "approved a waiver)")
    unproven = (out["status"] == "pass") & (out["evidence"] == "")
    if unproven.any():
        raise ValidationError(f"quality gates: {format_ids(ids[unproven.to_numpy()])} pass "
                              "without evidence; name the evidence or set status open")
    out["date"] = date_column(df, "date", ids, what)
    if task_ids is not None:
        known = set(map(str, task_ids))
        unknown = out["milestone"][(out["milestone"] != "") & ~out["milestone"].isin(known)]
        if len(unknown):
            raise ValidationError(f"quality gates: {format_ids(unknown.index)} name unknown "
                                  f"milestone(s) {format_ids(unknown.unique())}; use ids from "
                                  "the task table")
    return out


@dataclass(frozen=True)
class GateResult:
    """Quality gates evaluated (:func:`evaluate_gates`).

    Attributes
    ----------
    table : DataFrame
        Indexed by ``gate`` (checklist order): ``milestone``, ``status`` (pass, waived,
        pending, fail), ``rag`` (green, amber, red), ``criteria``, ``passed``, ``failed``,
        ``waived``, ``open``, ``reasons`` (one text line).
    criteria : DataFrame
        The validated checklist.
    """

    table: pd.DataFrame
    criteria: pd.DataFrame

    def rag(self, gate: str) -> str:
        """RAG colour of one gate."""
        if gate not in self.table.index:
            raise ValidationError(f"gate {gate} is not in the checklist; known: "
                                  f"{format_ids(self.table.index)}")
        return str(self.table.loc[gate, "rag"])

    def _repr_html_(self) -> str:
        counts = self.table["status"].value_counts()
        head = "<p><b>Quality gates</b>: " + ", ".join(
            f"{n} {s}" for s, n in counts.items()) + ".</p>"
        return head + self.table.to_html()


def evaluate_gates(checklist: pd.DataFrame) -> GateResult:
    """Decide every gate of a validated checklist.

    A gate fails when a required criterion failed; is pending while a required criterion is
    open; is waived when every required criterion passed or was waived and at least one was
    waived; passes otherwise. A failed or open optional criterion turns a passing gate
    amber and is listed among the reasons.

    Examples
    --------
    >>> c = gate_checklist([
    ...     {"id": "1", "gate": "G1", "criterion": "Code review", "status": "pass",
    ...      "evidence": "PR list"},
    ...     {"id": "2", "gate": "G1", "criterion": "Perf test", "status": "waived",
    ...      "reason": "load profile unchanged (CAB 12)"}])
    >>> r = evaluate_gates(c)
    >>> r.table.loc["G1", "status"], r.rag("G1")
    ('waived', 'amber')
    """
    rows = {}
    for gate, part in checklist.groupby("gate", sort=False):
        req = part[part["required"]]
        status = req["status"]
        if (status == "fail").any():
            result = "fail"
        elif (status == "open").any():
            result = "pending"
        elif (status == "waived").any():
            result = "waived"
        else:
            result = "pass"
        rag = GATE_RAG[result]
        optional_issue = part[~part["required"] & part["status"].isin(["fail", "open"])]
        if result == "pass" and len(optional_issue):
            rag = "amber"
        reasons = [f"{i} {s}: {part.loc[i, 'reason'] or part.loc[i, 'criterion']}"
                   for i, s in part["status"].items() if s != "pass"]
        milestones = [m for m in dict.fromkeys(part["milestone"]) if m]
        rows[gate] = {"milestone": "; ".join(milestones), "status": result, "rag": rag,
                      "criteria": len(part), "passed": int((part["status"] == "pass").sum()),
                      "failed": int((part["status"] == "fail").sum()),
                      "waived": int((part["status"] == "waived").sum()),
                      "open": int((part["status"] == "open").sum()),
                      "reasons": "; ".join(reasons)}
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("gate")
    return GateResult(table, checklist)
