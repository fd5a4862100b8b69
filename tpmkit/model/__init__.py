"""The project model: every part of a project validated once, and the frozen :class:`Project`.

Modules: :mod:`~tpmkit.model.calendar` (working-day calendars, the one weekday table and
workweek parser), :mod:`~tpmkit.model.links` (link grammar and link tables),
:mod:`~tpmkit.model.wbs` (the one WBS grammar), :mod:`~tpmkit.model.tasks` (the task table),
:mod:`~tpmkit.model.parts` (resources, risks, periods, WBS dictionary) and
:mod:`~tpmkit.model.project` (:class:`Project`, :class:`Network`, :func:`build_project`).
"""

from __future__ import annotations

from tpmkit.model.calendar import WEEKDAYS, Calendar, parse_date, parse_holidays, parse_workweek
from tpmkit.model.columns import column_name, normalise_columns
from tpmkit.model.links import (
    LINK_COLUMNS,
    LINK_TYPES,
    expand_summary_links,
    format_link,
    parse_link,
    topological_order,
)
from tpmkit.model.project import Network, Project, build_project
from tpmkit.model.tables import require_columns, row_ids, split_ids, table_frame
from tpmkit.model.tasks import CONSTRAINT_TYPES, DISTRIBUTIONS, TASK_COLUMNS, parse_resources
from tpmkit.model.wbs import is_wbs_code, wbs_parent

__all__ = [
    "CONSTRAINT_TYPES",
    "DISTRIBUTIONS",
    "LINK_COLUMNS",
    "LINK_TYPES",
    "TASK_COLUMNS",
    "WEEKDAYS",
    "Calendar",
    "Network",
    "Project",
    "build_project",
    "column_name",
    "expand_summary_links",
    "format_link",
    "is_wbs_code",
    "normalise_columns",
    "parse_date",
    "parse_holidays",
    "parse_link",
    "parse_resources",
    "parse_workweek",
    "require_columns",
    "row_ids",
    "split_ids",
    "table_frame",
    "topological_order",
    "wbs_parent",
]
