"""Critical path method with precedence-diagramming links (CPM/PDM).

:func:`schedule` runs the forward and backward passes over all four link types
(FS, SS, FF, SF) with positive and negative lags (in working days or percent of the
predecessor's duration), milestones, the six constraint types and an optional project
deadline. It returns a :class:`ScheduleResult`: a table with one row per task (early/late
dates, total and free float, the critical flag, near-critical flag and the driving
predecessor, "why does this task start then?", plus calendar dates when the project has a
start date) and the project duration, critical path and driving path.

:func:`cpm_steps` writes the two passes out for teaching: one row per task and pass with
the rule and every candidate value, the numbers being those of :func:`schedule`.

Rules (textbook PDM, e.g. Hendrickson ch. 10; Moder, Phillips & Davis):

* forward: ``ES_j = max(0, FS: EF_i+L, SS: ES_i+L, FF: EF_i+L-d_j, SF: ES_i+L-d_j)``;
  SNET/FNET raise the early dates, MSO/MFO pin them; ``EF_j = ES_j + d_j``;
* backward from ``T`` = the project finish (or the deadline):
  ``LF_j = min(T, FS: LS_k-L, SS: LS_k-L+d_j, FF: LF_k-L, SF: LF_k-L+d_j)``;
  SNLT/FNLT lower the late dates, MSO/MFO pin them; ``LS_j = LF_j - d_j``;
* total float ``LS - ES``; free float = the smallest slack on any outgoing link
  (``T_early - EF`` for tasks without successors); a float within ``EPS`` (1e-9 working
  days) of zero is exactly 0 (:func:`tpmkit._core.codes.zero_within_eps`), so rounding in
  fractional durations never shows as negative float;
* a task is critical when its total float ≤ max(0, smallest total float): the usual
  "float ≤ 0" rule, which falls back to the longest path when a later deadline gives every
  task positive float; or, as the plan's tool says (``critical``), total float ≤ a
  threshold (MS Project, P6) or P6's longest path (:data:`CRITICAL_RULES`).

The passes are those of :mod:`tpmkit._core.pdm` (compiled with numba for large networks
when it is installed) and run in time linear in tasks + links.

References
----------
Hendrickson, C. *Project Management for Construction*, ch. 10 (2008).
Moder, J., Phillips, C., Davis, E. *Project Management with CPM, PERT and Precedence
Diagramming*, 3rd ed. (1983).
"""

from tpmkit.cpm.core import (
    CRITICAL_RULES,
    ScheduleResult,
    driving_path,
    passes,
    schedule,
    warn_calendars,
)
from tpmkit.cpm.paths import critical_paths, heaviest_critical_path
from tpmkit.cpm.steps import cpm_steps, format_number, wbs_summary

__all__ = ["CRITICAL_RULES", "ScheduleResult", "cpm_steps", "critical_paths", "driving_path",
           "format_number", "heaviest_critical_path", "passes", "schedule", "warn_calendars",
           "wbs_summary"]
