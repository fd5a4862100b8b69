"""Scope artefacts as validated tables: WBS, requirements, stakeholders, RACI and change log.

Each artefact is a small DataFrame that a PM keeps before (and beside) the schedule. The
functions here validate it once — messages name the offending ids and say how to fix them —
and compute what the artefact is for:

* **WBS** (:func:`wbs_tree`, :func:`check_wbs`, :func:`wbs_rollup`, :func:`wbs_dictionary`):
  the tree implied by codes such as ``1.2.3``, its structural checks (orphans, numbering gaps,
  work packages with children, the 100 % rule) and roll-ups of span, cost, work and weighted
  percent complete. The task table's ``wbs`` column feeds the same functions.
* **Requirements** (:func:`requirements`, :func:`traceability`): MoSCoW plus Wiegers'
  value/cost/risk priority score and rank, traced to WBS items.
* **Stakeholders** (:func:`stakeholders`): power/interest grid, Mitchell–Agle–Wood salience
  and the engagement gap between current and desired engagement.
* **RACI** (:func:`raci`): exactly one A and at least one R per row; flags overloaded roles
  and rows nobody is consulted on.
* **Change log** (:func:`change_log`, :func:`change_transition`, :func:`change_summary`):
  change requests with cost/schedule impact and the status workflow
  proposed → approved/rejected/withdrawn → implemented.

Every function takes the artefact as a DataFrame or a list of rows; none reads a file.
:func:`tpmkit.artefacts.read_artefact` reads any of them (and the estimation artefacts of
:mod:`tpmkit.estimate` and the risk register) from CSV, XLSX, YAML/JSON through the same
validation; the blank templates in ``templates/`` load through it too.

Modules: :mod:`~tpmkit.scope.wbs`, :mod:`~tpmkit.scope.requirements`,
:mod:`~tpmkit.scope.stakeholders` (stakeholders and RACI), :mod:`~tpmkit.scope.changes`.
"""

from __future__ import annotations

from tpmkit.model.tables import split_ids
from tpmkit.scope.changes import (
    CHANGE_STATUSES,
    CHANGE_TRANSITIONS,
    ChangeSummary,
    change_log,
    change_summary,
    change_transition,
)
from tpmkit.scope.requirements import (
    MOSCOW,
    Traceability,
    requirements,
    traceability,
)
from tpmkit.scope.stakeholders import (
    ENGAGEMENT_LEVELS,
    RaciResult,
    raci,
    stakeholders,
)
from tpmkit.scope.wbs import (
    check_wbs,
    wbs_dictionary,
    wbs_rollup,
    wbs_tree,
)

__all__ = [
    "CHANGE_STATUSES",
    "CHANGE_TRANSITIONS",
    "ENGAGEMENT_LEVELS",
    "MOSCOW",
    "ChangeSummary",
    "RaciResult",
    "Traceability",
    "change_log",
    "change_summary",
    "change_transition",
    "check_wbs",
    "raci",
    "requirements",
    "split_ids",
    "stakeholders",
    "traceability",
    "wbs_dictionary",
    "wbs_rollup",
    "wbs_tree",
]
