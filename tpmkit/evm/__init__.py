"""Earned value management and earned schedule: PMBOK figures, Lipke's ES, nine time forecasts.

One call gives the whole period table and its summary figures (an :class:`EVMResult`)::

    result = tpmkit.evm.metrics(project)          # from the baseline and the progress columns
    result = tpmkit.evm.metrics(periods, bac=...)  # from a period table (cumulative PV, EV, AC)
    result.table                                   # one row per period
    tpmkit.evm.latest(result)                      # the status period as a Series

Inputs come two ways (see :func:`metrics`):

* **period data** — a ``periods`` table with ``period`` and/or ``date`` (the period end) and
  cumulative ``pv``, ``ev``, ``ac`` (future periods carry ``pv`` only; ``pv`` left blank after
  the planned finish stays at its last value). Rows may also be given
  per task (a ``task`` column): the totals are then summed and the schedule adherence
  (p-factor) is available;
* **the project** — each task's budget (``baseline_cost``, else ``cost`` + ``rate`` × duration)
  is spread over its baseline working days (:func:`planned_value`); ``percent_complete``
  earns value (``percent``, ``0/100`` or ``50/50`` rule) and ``actual_cost`` is the actual
  cost at the status date. A task-level status history in ``project.periods`` (columns
  ``task``, ``date``, ``percent_complete``, ``actual_cost``) gives EV and AC for every past
  period (:func:`periods_from_project`).

Time is counted in **periods** (Lipke): the planned duration ``PD`` is the number of periods
until the cumulative PV reaches the BAC, the actual time ``AT`` of a status row is its period
number (frozen once EV reaches the BAC: the actual duration), and the earned schedule ``ES``
is interpolated linearly inside a period.

Undefined ratios (SPI with PV = 0, CPI with AC = 0, TCPI once the budget is spent, …) are
NaN and raise one :class:`EVMWarning` per cause, naming the figures and the periods; they
never crash.

Modules: :mod:`~tpmkit.evm.figures` (:func:`metrics`, :class:`EVMResult`, :func:`latest`),
:mod:`~tpmkit.evm.timing` (earned schedule, schedule adherence, periods → dates),
:mod:`~tpmkit.evm.progress` (budgets, planned value, period ends, earning rules, status
history, :func:`as_of`), :mod:`~tpmkit.evm.signals` (early-warning signs: current-period and
window indices, CPI/SPI(t) trends, TCPI − CPI; the probabilistic EAC and completion,
:func:`probabilistic_forecast`). Every public name is importable from ``tpmkit.evm``.

References
----------
.. [1] Project Management Institute, *A Guide to the Project Management Body of Knowledge
   (PMBOK Guide)*, 6th ed., 2017, §7.4.2.2 (earned value analysis), §7.4.2.3 (forecasting),
   §7.4.2.4 (TCPI).
.. [2] W. Lipke, "Schedule is different", *The Measurable News*, March 2003, 31-34.
.. [3] W. Lipke, "Connecting earned value to the schedule", *The Measurable News*, Winter
   2004; and W. Lipke, *Earned Schedule*, Lulu, 2009 (schedule adherence, the p-factor;
   TSPI; IEAC(t)).
.. [4] S. Vandevoorde and M. Vanhoucke, "A comparison of different project duration
   forecasting methods using earned value metrics", *International Journal of Project
   Management* 24 (2006) 289-302 (the planned-value, earned-duration and earned-schedule
   methods, each with PF = 1, SPI/SPI(t), SCI/SCI(t)).
.. [5] F. T. Anbari, "Earned value project management method and extensions", *Project
   Management Journal* 34(4) (2003) 12-23 (time variance TV = SV / PV rate).
.. [6] D. S. Jacob, "Forecasting project schedule completion with earned value metrics",
   *The Measurable News*, March 2003 (earned duration ED = AT · SPI).
"""

from tpmkit.errors import EVMWarning
from tpmkit.evm.figures import EAC_METHODS, TIME_FORECASTS, EVMResult, latest, metrics
from tpmkit.evm.progress import (
    EV_RULES,
    FREQUENCIES,
    SPREADS,
    as_of,
    period_ends,
    periods_from_project,
    planned_value,
    status_dates,
    task_budgets,
)
from tpmkit.evm.signals import (
    FORECAST_METHODS,
    TCPI_GAP,
    EVMForecast,
    WarningSigns,
    probabilistic_forecast,
    warning_signs,
)
from tpmkit.evm.timing import earned_schedule, schedule_adherence, time_to_date

__all__ = [
    "EAC_METHODS",
    "EV_RULES",
    "FORECAST_METHODS",
    "FREQUENCIES",
    "SPREADS",
    "TCPI_GAP",
    "TIME_FORECASTS",
    "EVMForecast",
    "EVMResult",
    "EVMWarning",
    "WarningSigns",
    "as_of",
    "earned_schedule",
    "latest",
    "metrics",
    "period_ends",
    "periods_from_project",
    "planned_value",
    "probabilistic_forecast",
    "schedule_adherence",
    "status_dates",
    "task_budgets",
    "time_to_date",
    "warning_signs",
]
