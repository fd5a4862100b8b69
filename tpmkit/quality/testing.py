"""Test execution progress: tests planned, executed and passed per day against the plan.

:func:`execution_log` validates the daily log; :func:`test_progress` accumulates it into the
execution and pass rates a test manager reports, and how far execution is behind plan.

References
----------
.. [1] ISTQB (2018). *Certified Tester Foundation Level Syllabus*, §5.3 Test monitoring and
   control (test progress metrics).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.model.tables import table_frame
from tpmkit.quality._common import date_column, number_column, require_columns

__all__ = ["execution_log", "execution_progress"]


def execution_log(data: Any) -> pd.DataFrame:
    """Validate a daily test-execution log.

    Parameters
    ----------
    data : DataFrame or list of rows
        One row per day: ``date`` (required), ``planned``, ``executed``, ``passed`` (test
        cases that day; blanks are 0), optional ``failed`` and ``blocked``.

    Returns
    -------
    DataFrame
        Indexed by ``date`` (sorted): ``planned``, ``executed``, ``passed``, ``failed``
        (default executed − passed), ``blocked`` as floats.

    Raises
    ------
    ValidationError
        Blank, bad or duplicate dates; negative counts; more passed than executed.

    Examples
    --------
    >>> runs = execution_log([{"date": "2027-03-01", "planned": 10, "executed": 8, "passed": 7}])
    >>> float(runs.loc["2027-03-01", "failed"])
    1.0
    """
    what = "test runs"
    df = table_frame(data, what)
    require_columns(df, ["date"], what)
    labels = pd.Index([str(v) for v in df["date"]])
    dates = date_column(df, "date", labels, what, required=True)
    dup = dates[dates.duplicated()]
    if len(dup):
        raise ValidationError(f"test runs: duplicate date(s) "
                              f"{format_ids(d.date() for d in dup)}; give one row per day")
    out = pd.DataFrame(index=pd.DatetimeIndex(dates.to_numpy(), name="date"))
    for col in ("planned", "executed", "passed", "blocked"):
        out[col] = number_column(df, col, labels, what, default=0.0).to_numpy()
    failed = number_column(df, "failed", labels, what).to_numpy()
    out["failed"] = np.where(np.isnan(failed), out["executed"] - out["passed"], failed)
    over = (out["passed"] + out["failed"] > out["executed"] + 1e-9) | (out["failed"] < 0)
    if over.any():
        raise ValidationError(f"test runs: passed + failed exceed executed on "
                              f"{format_ids(d.date() for d in out.index[over.to_numpy()])}; "
                              "check the counts (passed + failed ≤ executed)")
    return out.sort_index()[["planned", "executed", "passed", "failed", "blocked"]]


def execution_progress(runs: pd.DataFrame, *, total: float | None = None) -> pd.DataFrame:
    """Cumulative test progress against plan.

    Parameters
    ----------
    runs : DataFrame
        Output of :func:`execution_log`.
    total : float, optional
        Test cases in scope (default: the planned total).

    Returns
    -------
    DataFrame
        Indexed by ``date``: ``planned``, ``executed``, ``passed`` (cumulative),
        ``execution_rate`` (executed / planned so far), ``pass_rate`` (passed / executed),
        ``behind_plan`` (planned − executed, test cases) and ``percent_complete``
        (passed / total).

    Examples
    --------
    >>> runs = execution_log([{"date": "2027-03-01", "planned": 10, "executed": 8, "passed": 6},
    ...                   {"date": "2027-03-02", "planned": 10, "executed": 12, "passed": 12}])
    >>> execution_progress(runs).iloc[-1][["execution_rate", "pass_rate", "behind_plan"]].tolist()
    [1.0, 0.9, 0.0]
    """
    cum = runs[["planned", "executed", "passed"]].cumsum()
    scope = float(total) if total is not None else float(runs["planned"].sum())
    if not scope > 0:
        raise ValidationError("test progress: no test cases in scope; give total > 0 or "
                              "planned counts")
    with np.errstate(divide="ignore", invalid="ignore"):
        cum["execution_rate"] = cum["executed"] / cum["planned"].where(cum["planned"] > 0)
        cum["pass_rate"] = cum["passed"] / cum["executed"].where(cum["executed"] > 0)
    cum["behind_plan"] = cum["planned"] - cum["executed"]
    cum["percent_complete"] = cum["passed"] / scope
    return cum
