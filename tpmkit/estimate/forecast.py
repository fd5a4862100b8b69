"""Throughput forecasting: items per period, Monte Carlo "how many" / "when", burn-up lines.

:func:`throughput_history` counts finished items per period; :func:`throughput_forecast`
answers "how many by date D" and "when will N be done" at P50/P85/P95 by resampling that
history; :func:`burnup_forecast` draws velocity burn-up lines towards the scope.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._core.rng import resolve_rng
from tpmkit.agile.forecast import items_done, periods_needed
from tpmkit.errors import DataError, ValidationError, format_ids
from tpmkit.model.tables import table_frame

__all__ = ["BurnupForecast", "ThroughputForecast", "burnup_forecast", "throughput_forecast", "throughput_history"]


# --------------------------------------------------------------------------- throughput
def _rng(rng: Any) -> tuple[np.random.Generator, int]:
    """A fresh Generator and the integer seed that reproduces it."""
    return resolve_rng(rng, reseed=True)


def throughput_history(data: Any, *, period_days: int = 7, start: Any = None) -> pd.Series:
    """Items finished per period, from counts or from completion dates.

    Parameters
    ----------
    data : DataFrame, Series, array-like or path
        Either a ``throughput`` column (items per period; optional ``period`` or ``date``
        labels), or a ``completed`` column of completion dates (one row per item), which is
        counted per period of ``period_days`` calendar days from ``start`` (default: the first
        completion), zero periods included.
    period_days : int
        Period length for completion dates [calendar days]: 7 weekly, 14 two-week sprints.
    start : date-like, optional
        First day of the first period for completion dates.

    Returns
    -------
    Series
        Items per period (float, ≥ 0), named ``throughput``.

    Examples
    --------
    >>> throughput_history(pd.DataFrame({"completed": ["2027-01-04", "2027-01-05",
    ...                                                 "2027-01-19"]})).tolist()
    [2.0, 0.0, 1.0]
    """
    if isinstance(data, pd.Series | np.ndarray | list | tuple):
        s = pd.Series(np.asarray(data, dtype=float))
    else:
        df = table_frame(data, "throughput history")
        if "throughput" in df.columns:
            label = next((c for c in ("period", "date", "sprint") if c in df.columns), None)
            s = pd.to_numeric(df["throughput"], errors="coerce")
            if s.isna().any():
                raise ValidationError("throughput history: non-numeric or blank throughput in "
                                      f"row(s) {format_ids(np.flatnonzero(s.isna()) + 2)}; "
                                      "enter items finished per period")
            if label is not None:
                s.index = df[label].astype(str)
        elif "completed" in df.columns:
            done = pd.to_datetime(df["completed"], errors="coerce")
            if done.isna().any():
                raise ValidationError("throughput history: 'completed' holds non-dates in row(s) "
                                      f"{format_ids(np.flatnonzero(done.isna()) + 2)}; use ISO "
                                      "dates")
            first = pd.Timestamp(start) if start is not None else done.min()
            k = ((done - first).dt.days // int(period_days)).to_numpy()
            if (k < 0).any():
                raise ValidationError("throughput history: completions before start; move start "
                                      "earlier")
            counts = np.bincount(k, minlength=int(k.max()) + 1 if len(k) else 0)
            labels = [(first + pd.Timedelta(days=int(i * period_days))).date().isoformat()
                      for i in range(len(counts))]
            s = pd.Series(counts.astype(float), index=labels)
        else:
            if df.empty and not len(df.columns):
                s = pd.Series([], dtype=float)
            else:
                raise ValidationError("throughput history needs a 'throughput' column (items "
                                      "per period) or a 'completed' column (dates)")
    s = s.astype(float)
    if (s < 0).any() or s.isna().any():
        raise ValidationError("throughput history holds negative or missing counts; enter items "
                              "finished per period (≥ 0)")
    s.name = "throughput"
    return s


@dataclass
class ThroughputForecast:
    """Monte Carlo throughput forecast ("how many by D", "when will N be done").

    Attributes
    ----------
    table : DataFrame
        Indexed by confidence level (``P50``, ``P85``, …): ``items`` (at least this many items
        are done after ``periods`` periods with that confidence), ``periods_needed`` (all
        ``remaining`` items are done within this many periods with that confidence) and, when
        ``start`` is known, ``completion_date`` (last day of that period).
    items_samples, periods_samples : ndarray or None
        Per trial: items done after ``periods`` periods; periods needed for ``remaining`` items.
    periods, remaining : int or None
    seed : int
        Seed reproducing the run (``rng=seed``).
    trials : int
    history : Series
    """

    table: pd.DataFrame
    items_samples: np.ndarray | None
    periods_samples: np.ndarray | None
    periods: int | None
    remaining: float | None
    seed: int
    trials: int
    history: pd.Series = field(repr=False)

    def _repr_html_(self) -> str:
        return (f"<b>Throughput forecast</b> ({self.trials} trials, seed {self.seed}, "
                f"{len(self.history)} periods of history){self.table.to_html()}")


def _confidence(levels: Sequence[float]) -> list[str]:
    out = []
    for q in levels:
        if not 0 < q < 100:
            raise ValidationError(f"confidence level {q} outside (0, 100); use e.g. 50, 85, 95")
        out.append(f"P{q:g}")
    return out


def throughput_forecast(
    history: Any,
    *,
    remaining: float | None = None,
    periods: int | None = None,
    until: Any = None,
    start: Any = None,
    period_days: int = 7,
    confidence: Sequence[float] = (50, 85, 95),
    trials: int = 10_000,
    rng: Any = None,
    max_periods: int = 10_000,
) -> ThroughputForecast:
    """Monte Carlo forecast from historical throughput (bootstrap of past periods).

    Each trial draws future periods' throughput with replacement from the history. This is
    a front end for a bare history (counts or completion dates, no work-item board) over the
    one forecast implementation of :mod:`tpmkit.agile`: :func:`tpmkit.agile.items_done` and
    :func:`tpmkit.agile.periods_needed`, which :func:`tpmkit.agile.when` and
    :func:`tpmkit.agile.how_many` use too (same seed, same draws, same numbers).

    Parameters
    ----------
    history : Series, array-like, DataFrame or path
        Items finished per period (see :func:`throughput_history`).
    remaining : float, optional
        Backlog size [items] for "when will N items be done".
    periods : int, optional
        Horizon [periods] for "how many items by then"; or give ``until`` and ``start``.
    until, start : date-like, optional
        Target date and the first day of the first forecast period; the horizon is the number
        of whole periods of ``period_days`` calendar days from ``start`` to ``until``.
    period_days : int
        Calendar days per period (7 weekly, 14 two-week sprints).
    confidence : sequence of float
        Confidence levels in percent.
    trials : int
        Monte Carlo trials.
    rng : None, int or numpy.random.Generator
        Randomness; the seed used is stored in the result.
    max_periods : int
        Give up (DataError) if a trial needs more periods than this.

    Returns
    -------
    ThroughputForecast
        ``items`` at confidence c is the (100 − c)-th percentile of items done (so P95 ≤ P85 ≤
        P50); ``periods_needed`` at c is the c-th percentile of periods needed (P50 ≤ P85 ≤
        P95). Both are order statistics of the trials, rounded to the conservative side
        (fewer items, more periods), so they are whole numbers for integer histories.

    References
    ----------
    .. [1] D. S. Vacanti, *When Will It Be Done?*, ActionableAgile Press 2020, ch. 8–9.
    .. [2] T. Magennis, *Forecasting and Simulating Software Development Projects*, 2011.

    Examples
    --------
    >>> f = throughput_forecast([3, 5, 4, 6, 2], remaining=20, periods=4, rng=1)
    >>> bool(f.table.loc["P95", "items"] <= f.table.loc["P50", "items"])
    True
    """
    hist = throughput_history(history, period_days=period_days)
    values = hist.to_numpy(float)
    if len(values) == 0:
        raise DataError("throughput history is empty; record items finished per period first")
    if int(trials) < 1:
        raise ValidationError("trials must be ≥ 1")
    trials = int(trials)
    if until is not None:
        if start is None:
            raise ValidationError("a forecast 'until' a date needs 'start' (first day of the "
                                  "first forecast period)")
        days = (pd.Timestamp(until) - pd.Timestamp(start)).days + 1
        periods = max(days // int(period_days), 0)
    if remaining is None and periods is None:
        raise ValidationError("give remaining (items left) and/or periods / until (horizon)")
    gen, seed = _rng(rng)
    labels = _confidence(confidence)
    levels = np.asarray(confidence, dtype=float)
    table = pd.DataFrame(index=pd.Index(labels, name="confidence"))
    items_samples = periods_samples = None
    if periods is not None:
        periods = int(periods)
        if periods < 0:
            raise ValidationError("periods must be ≥ 0")
        items_samples, table["items"] = items_done(values, periods, trials=trials, gen=gen,
                                                   percentiles=levels)
    if remaining is not None:
        remaining = float(remaining)
        if remaining < 0:
            raise ValidationError("remaining items must be ≥ 0")
        if values.max() <= 0 and remaining > 0:
            raise DataError("throughput history holds only zeros; no finish date can be "
                            "forecast — record periods with finished items")
        periods_samples, table["periods_needed"] = periods_needed(
            values, remaining, trials=trials, gen=gen, percentiles=levels,
            max_periods=max_periods)
        if start is not None:
            first = pd.Timestamp(start)
            table["completion_date"] = [
                first + pd.Timedelta(days=int(k * period_days) - (1 if k > 0 else 0))
                for k in table["periods_needed"]]
    return ThroughputForecast(table=table, items_samples=items_samples,
                              periods_samples=periods_samples, periods=periods,
                              remaining=remaining, seed=seed, trials=trials, history=hist)


@dataclass(frozen=True)
class BurnupForecast:
    """Velocity-based burn-up forecast (:func:`burnup_forecast`).

    Attributes
    ----------
    table : DataFrame
        Indexed by future period 1…k: ``scope``, ``average``, ``worst3``, ``best3``
        (cumulative done, capped at scope) and ``date`` (period end) with a start.
    velocity : dict of str to float
        The three velocities ``average``, ``worst3``, ``best3`` [points or items per period].
    periods_to_finish : dict of str to float
        Periods each line needs to reach the scope (NaN when its velocity is 0).
    done : float
        Completed before the first forecast period [points or items].
    scope : float
        Total scope [points or items].
    """

    table: pd.DataFrame
    velocity: dict[str, float]
    periods_to_finish: dict[str, float]
    done: float
    scope: float

    def _repr_html_(self) -> str:
        v, f = self.velocity, self.periods_to_finish
        head = (f"<p><b>Burn-up forecast</b>: {self.done:g} of {self.scope:g} done; velocity "
                f"{v['worst3']:.1f} / {v['average']:.1f} / {v['best3']:.1f} (worst 3 / average "
                f"/ best 3) → {f['worst3']:g} / {f['average']:g} / {f['best3']:g} periods.</p>")
        return head + self.table.to_html(float_format=lambda x: f"{x:g}", max_rows=30)


def burnup_forecast(
    history: Any,
    scope: float,
    *,
    done: float | None = None,
    periods_ahead: int | None = None,
    window: int | None = None,
    start: Any = None,
    period_days: int = 7,
) -> BurnupForecast:
    """Velocity-based burn-up forecast: average, worst-three and best-three velocity lines.

    Parameters
    ----------
    history : Series, array-like, DataFrame or path
        Completed points/items per past period (velocity).
    scope : float
        Total scope [points or items].
    done : float, optional
        Completed so far (default: the sum of ``history``).
    periods_ahead : int, optional
        Periods to project (default: until the slowest line reaches ``scope``, at most 520).
    window : int, optional
        Use only the last ``window`` periods of history.
    start : date-like, optional
        First day of the first forecast period; adds a ``date`` column (period end).
    period_days : int
        Calendar days per period.

    Returns
    -------
    BurnupForecast
        ``table`` indexed by future period 1…k: ``scope``, ``average``, ``worst3``, ``best3``
        (cumulative done, capped at scope) and ``date`` with a start; ``velocity`` (the three
        velocities), ``periods_to_finish`` (the periods each line needs, NaN when a velocity
        is 0), ``done`` and ``scope``.

    References
    ----------
    .. [1] M. Cohn, *Agile Estimating and Planning*, Prentice Hall 2005, ch. 16–17 (velocity
       range from the mean of the worst three and best three iterations).

    Examples
    --------
    >>> b = burnup_forecast([8, 10, 12, 9, 11], scope=100, periods_ahead=2)
    >>> b.table["average"].tolist(), b.velocity["worst3"]
    ([60.0, 70.0], 9.0)
    """
    hist = throughput_history(history, period_days=period_days)
    if window is not None:
        hist = hist.iloc[-int(window):]
    if len(hist) == 0:
        raise DataError("velocity history is empty; record completed points per period first")
    v = np.sort(hist.to_numpy(float))
    k = min(3, len(v))
    vel = {"average": float(v.mean()), "worst3": float(v[:k].mean()), "best3": float(v[-k:].mean())}
    done = float(hist.sum()) if done is None else float(done)
    left = max(float(scope) - done, 0.0)
    finish = {name: (math.ceil(left / x) if x > 0 else np.nan) for name, x in vel.items()}
    if periods_ahead is None:
        known = [f for f in finish.values() if not np.isnan(f)]
        periods_ahead = int(min(max(known), 520)) if known else 1
    steps = np.arange(1, int(periods_ahead) + 1, dtype=float)
    out = pd.DataFrame(index=pd.Index(steps.astype(int), name="period"))
    out["scope"] = float(scope)
    for name, x in vel.items():
        out[name] = np.minimum(done + x * steps, max(float(scope), done))
    if start is not None:
        first = pd.Timestamp(start)
        out["date"] = [first + pd.Timedelta(days=int(s * period_days) - 1) for s in steps]
    return BurnupForecast(table=out, velocity=vel, periods_to_finish=finish, done=done,
                          scope=float(scope))
