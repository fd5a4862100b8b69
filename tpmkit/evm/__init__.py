"""Earned value management and earned schedule (being split into modules)."""

from tpmkit.evm.progress import (EAC_METHODS, EV_RULES, FREQUENCIES, SPREADS, TIME_FORECASTS,
                                 EVMResult, EVMWarning, as_of, earned_schedule, latest, metrics,
                                 period_ends, periods_from_project, planned_value,
                                 schedule_adherence, task_budgets, time_to_date)

__all__ = ["EAC_METHODS", "EV_RULES", "FREQUENCIES", "SPREADS", "TIME_FORECASTS", "EVMResult",
           "EVMWarning", "as_of", "earned_schedule", "latest", "metrics", "period_ends",
           "periods_from_project", "planned_value", "schedule_adherence", "task_budgets",
           "time_to_date"]
