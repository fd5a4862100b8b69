"""Helpers shared by the modules of :mod:`tpmkit.evm` (private to the package).

The period curves (:class:`Curves`) that both input routes build, the collector of undefined
ratios (:class:`Undefined`, one :class:`~tpmkit.errors.EVMWarning` per cause) and the readers
of the numbers and task column of a period table or status history.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tpmkit.errors import EVMWarning, ValidationError, format_ids

if TYPE_CHECKING:  # pragma: no cover
    from tpmkit.model.calendar import Calendar

# relative tolerance for "PV has reached BAC" / "EV has reached BAC": cumulative sums of
# many task budgets differ from the BAC in the last bits only
RTOL = 1e-9


# --------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------
def days(values: Any) -> np.ndarray:
    """Dates → datetime64[D] array (NaT kept)."""
    idx = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(values), errors="raise"))
    return idx.values.astype("datetime64[D]")


class Undefined:
    """Collects the periods where a ratio is undefined, then warns once per cause."""

    def __init__(self, labels: np.ndarray):
        self.labels = labels
        self.found: list[tuple[str, np.ndarray, str]] = []

    def ratio(self, num: np.ndarray, den: np.ndarray, rows: np.ndarray, name: str,
              why: str, positive: bool = False) -> np.ndarray:
        """num/den on ``rows``; NaN (and a note) where den is 0 (or ≤ 0 with ``positive``)."""
        num = np.asarray(num, dtype=float)
        den = np.asarray(den, dtype=float)
        bad = rows & ((den <= 0) if positive else (den == 0)) & ~np.isnan(num)
        out = np.full(np.broadcast(num, den).shape, np.nan)
        ok = rows & ~bad & ~np.isnan(den)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            q = num / den
        out[ok] = np.broadcast_to(q, out.shape)[ok]
        if bad.any():
            self.found.append((name, self.labels[bad], why))
        return out

    def warn(self) -> None:
        # one warning per cause: figures undefined for the same reason in the same periods
        groups: dict[tuple[str, tuple], list[str]] = {}
        for name, labels, why in self.found:
            groups.setdefault((why, tuple(labels.tolist())), []).append(name)
        for (why, labels), names in groups.items():
            verb = "is" if len(names) == 1 else "are"
            warnings.warn(
                f"{', '.join(names)} {verb} undefined for period(s) {format_ids(labels)} "
                f"({why}); set to NaN", EVMWarning, stacklevel=4)


@dataclass
class Curves:
    """Cumulative totals on the period grid, plus optional task-level detail."""

    labels: np.ndarray            # period numbers 1..n (int)
    dates: np.ndarray | None      # period-end dates (datetime64[D]) or None
    pv: np.ndarray
    ev: np.ndarray
    ac: np.ndarray
    etc: np.ndarray | None = None  # bottom-up estimate to complete, when given
    task_pv: np.ndarray | None = None  # (n_tasks, n) cumulative PV per task
    task_ev: np.ndarray | None = None  # (n_tasks, n) cumulative EV per task
    task_ac: np.ndarray | None = None
    task_etc: np.ndarray | None = None
    task_ids: np.ndarray | None = None
    calendar: Calendar | None = None
    source: str = "periods"


TASK_COLUMN_NAMES = ("task", "id", "task_id", "activity")


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [str(c).strip().lower().replace(" ", "_") for c in out.columns]
    for c in list(out.columns):
        if c in TASK_COLUMN_NAMES and "task" not in out.columns:
            out = out.rename(columns={c: "task"})
    return out


def numbers(df: pd.DataFrame, col: str, where: str) -> np.ndarray:
    if col not in df:
        return np.full(len(df), np.nan)
    raw = df[col]
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        num = raw.astype(float)
        bad = pd.Series(False, index=raw.index)
    else:
        num = pd.to_numeric(raw, errors="coerce")
        suspect = num.isna() & raw.notna()          # text that is not a number (or blank)
        bad = suspect.copy()
        bad[suspect] = raw[suspect].astype(str).str.strip() != ""
    if bad.any():
        raise ValidationError(f"column '{col}' of the {where} is not a number in "
                              f"{where_rows(df, bad.to_numpy())} (e.g. {raw[bad].iloc[0]!r}); "
                              "write plain numbers, leave future EV/AC empty")
    out = num.to_numpy(dtype=float)
    if (out < 0).any():
        raise ValidationError(f"column '{col}' of the {where} is negative in "
                              f"{where_rows(df, out < 0)}; cumulative values are ≥ 0")
    return out


def where_rows(df: pd.DataFrame, mask: np.ndarray) -> str:
    """'period(s) 2, 3', 'task(s) A, B' or 'row(s) 4' for the messages."""
    if "task" in df:
        return f"task(s) {format_ids(pd.unique(df['task'][mask]))}"
    if "period" in df:
        return f"period(s) {format_ids(pd.unique(df['period'][mask]))}"
    return f"row(s) {format_ids(np.flatnonzero(mask) + 1)}"
