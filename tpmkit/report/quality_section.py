"""Report sections from the project file's own records: quality, changes, issues, decisions.

A project file may carry artefacts beside its tasks — a YAML/JSON file keeps extra top-level
sections, which :func:`tpmkit.read` puts under ``project.settings["extra"]``:
``defects``, ``test_runs``, ``gates`` (:mod:`tpmkit.quality`), ``changes`` and
``change_effects`` (:mod:`tpmkit.scope`), ``lessons``, ``acceptance``, ``risk_outcomes``
(:mod:`tpmkit.closure`), ``issues``, ``actions``, ``decisions``. :func:`file_records`
returns those sections; :func:`quality_section` computes what the status report shows of
them at the status date (``None`` when the file holds none): gate results with the RAG of
each gated milestone, the defect trend and open defects by severity, test progress, and the
open issues and decisions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tpmkit import quality
from tpmkit.report.rag import gate_milestone_rag

__all__ = ["RECORD_KINDS", "QualitySection", "file_records", "open_records", "quality_section"]

RECORD_KINDS = ("defects", "test_runs", "gates", "changes", "change_effects", "lessons",
                "acceptance", "risk_outcomes", "issues", "actions", "decisions")
_CLOSED = {"closed", "resolved", "done", "cancelled", "canceled", "rejected", "superseded",
           "withdrawn", "made", "decided", "implemented"}


def file_records(project: Any) -> dict[str, pd.DataFrame]:
    """The artefact sections the project file holds (see the module docstring), as tables.

    Examples
    --------
    >>> import tpmkit
    >>> sorted(file_records(tpmkit.datasets.load("software_release_closure")))[:3]
    ['acceptance', 'change_effects', 'changes']
    >>> file_records(tpmkit.datasets.load("software_release"))
    {}
    """
    extra = project.settings.get("extra") if isinstance(project.settings, Mapping) else None
    out: dict[str, pd.DataFrame] = {}
    if not isinstance(extra, Mapping):
        return out
    for kind in RECORD_KINDS:
        rows = extra.get(kind)
        if isinstance(rows, list) and rows and all(isinstance(r, Mapping) for r in rows):
            out[kind] = pd.DataFrame(rows)
    return out


def open_records(table: pd.DataFrame) -> pd.DataFrame:
    """Rows whose ``status`` is not closed (closed, resolved, done, cancelled, …).

    Examples
    --------
    >>> open_records(pd.DataFrame({"id": ["I1", "I2"], "status": ["open", "Closed"]}))["id"].tolist()
    ['I1']
    """
    if "status" not in table.columns:
        return table
    status = table["status"].fillna("").astype(str).str.strip().str.lower()
    return table[~status.isin(_CLOSED)]


@dataclass(frozen=True)
class QualitySection:
    """What the status report shows of the file's quality records and logs.

    Attributes
    ----------
    gates : GateResult or None
    milestone_gates : DataFrame or None
        Per gated milestone: ``gates`` and the worst gate ``rag``
        (:func:`tpmkit.report.rag.gate_milestone_rag`).
    defects : DefectMetrics or None
        Defects found up to the status date (closures after it count as open).
    test_progress : DataFrame or None
        :func:`tpmkit.quality.execution_progress` up to the status date.
    issues, actions, decisions : DataFrame or None
        Open rows of those logs.
    status_date : Timestamp or None
    """

    gates: Any
    milestone_gates: pd.DataFrame | None
    defects: Any
    test_progress: pd.DataFrame | None
    issues: pd.DataFrame | None
    actions: pd.DataFrame | None
    decisions: pd.DataFrame | None
    status_date: pd.Timestamp | None


def _as_of_defects(table: pd.DataFrame, status: pd.Timestamp | None) -> pd.DataFrame:
    if status is None:
        return table
    t = table.copy()
    found = pd.to_datetime(t["found"], errors="coerce") if "found" in t else None
    if found is not None:
        t = t[~(found > status)]
    if "closed" in t:
        closed = pd.to_datetime(t["closed"], errors="coerce")
        t.loc[closed > status, "closed"] = None
    return t


def quality_section(project: Any, status_date: Any = None) -> QualitySection | None:
    """Quality gates, defect trend, test progress and open issues/decisions at the status date.

    Parameters
    ----------
    project : Project
        A project whose file holds some of the records (:func:`file_records`).
    status_date : date, optional
        Default the project's status date; records after it are left out.

    Returns
    -------
    QualitySection or None
        None when the file holds no quality records and no issue/action/decision log.

    Examples
    --------
    >>> import tpmkit
    >>> q = quality_section(tpmkit.datasets.load("software_release_closure"), "2027-04-30")
    >>> q.defects.summary["total"] > 0, set(q.milestone_gates["rag"]) <= {"green", "amber", "red"}
    (True, True)
    """
    records = file_records(project)
    wanted = {"defects", "test_runs", "gates", "issues", "actions", "decisions"}
    if not wanted & set(records):
        return None
    status = pd.Timestamp(status_date) if status_date is not None else project.status_date
    gates = milestone = defects = progress = None
    if "gates" in records:
        gates = quality.evaluate_gates(quality.gate_checklist(records["gates"],
                                                              task_ids=project.tasks.index))
        milestone = gate_milestone_rag(gates.table)
    if "defects" in records:
        log = quality.defect_log(_as_of_defects(records["defects"], status))
        if len(log):
            defects = quality.defect_metrics(log, end=status)
    if "test_runs" in records:
        runs = records["test_runs"]
        if status is not None and "date" in runs:
            runs = runs[~(pd.to_datetime(runs["date"], errors="coerce") > status)]
        if len(runs):
            progress = quality.execution_progress(quality.execution_log(runs))
    logs = {k: open_records(records[k]) if k in records else None
            for k in ("issues", "actions", "decisions")}
    return QualitySection(gates=gates, milestone_gates=milestone, defects=defects,
                          test_progress=progress, issues=logs["issues"], actions=logs["actions"],
                          decisions=logs["decisions"], status_date=status)
