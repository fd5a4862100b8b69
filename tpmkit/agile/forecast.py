"""Monte Carlo forecasts from a team's own throughput: "when", "how many", release on points.

Each trial resamples past periods' throughput (or past sprints' velocity) with replacement
and runs it forward — the method of Magennis [1]_ and Vacanti [2]_. :func:`periods_needed`
("when") and :func:`items_done` ("how many") are the one implementation of that forecast on a
plain history array: :func:`when`, :func:`how_many`, :func:`release_forecast` and
:func:`tpmkit.estimate.throughput_forecast` all call them (the draws are vectorised over
trials in ``tpmkit._core.resample``); the seed is recorded.

Scope growth (``scope_growth=``): when new work keeps joining the backlog, each simulated
period also resamples the items (or points) that arrived in the *same* historical period, so
busy periods that brought much new work stay paired with their throughput; a trial is done
when its throughput has covered the backlog plus the share of arrivals that joins it.

References
----------
.. [1] T. Magennis, *Forecasting and Simulating Software Development Projects*, 2011.
.. [2] D. S. Vacanti, *When Will It Be Done?*, ActionableAgile Press 2020, ch. 8–9.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._core.resample import periods_to_reach, resample_totals
from tpmkit._core.rng import resolve_rng
from tpmkit.agile.board import Board
from tpmkit.agile.metrics import PERCENTILES, arrivals, throughput, velocity
from tpmkit.errors import DataError, ValidationError, check_option

__all__ = ["Forecast", "history", "how_many", "items_done", "periods_needed", "release_forecast",
           "when"]

_PERIOD_DAYS = {"day": 1, "week": 7}


@dataclass(frozen=True)
class Forecast:
    """A Monte Carlo forecast (:func:`when`, :func:`how_many`, :func:`release_forecast`).

    Attributes
    ----------
    table : DataFrame
        Indexed by ``confidence`` (``P50``, ``P70``, …). ``when``: ``periods`` (all items done
        within this many periods with that confidence) and ``date`` (the last such day);
        ``how_many``: ``items`` (at least this many done by the date with that confidence);
        release: ``sprints`` and ``date``.
    samples : ndarray
        One value per trial (periods / sprints needed, or items done); ``(trials, k)`` for
        :func:`when` with k backlog sizes.
    question : str
        ``"when"``, ``"how_many"`` or ``"release"``.
    target : float or Timestamp
        Items or points to finish, or the date.
    freq : str
        ``"day"``, ``"week"`` or ``"sprint"``.
    seed, trials : int
    history : Series
        The resampled throughput (or velocity) per period.
    """

    table: pd.DataFrame
    samples: np.ndarray = field(repr=False)
    question: str
    target: Any
    freq: str
    seed: int
    trials: int
    history: pd.Series = field(repr=False)

    def _repr_html_(self) -> str:
        return (f"<b>Forecast ({self.question})</b> of {self.target}, {self.trials} trials, "
                f"seed {self.seed}, {len(self.history)} periods of history"
                f"{self.table.to_html()}")


def _labels(percentiles: Sequence[float]) -> tuple[np.ndarray, pd.Index]:
    q = np.asarray(percentiles, dtype=float)
    if q.ndim != 1 or not len(q) or ((q <= 0) | (q >= 100)).any():
        raise ValidationError(f"percentiles {list(percentiles)!r} must lie in (0, 100); use e.g. "
                              "(50, 70, 85, 95)")
    return q, pd.Index([f"P{x:g}" for x in q], name="confidence")


def periods_needed(values: Any, n_items: float | Sequence[float], *, trials: int,
                   gen: np.random.Generator, percentiles: Sequence[float] = PERCENTILES,
                   max_periods: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo "when": periods until ``n_items`` are done, resampling ``values``.

    Parameters
    ----------
    values : array-like
        Net progress per past period [items or points per period]; resampled with
        replacement. Negative values (scope grew more than was done) are allowed when the
        mean is positive.
    n_items : float or sequence of float
        Work to finish; with a sequence every size is read off the same trials.
    trials : int
    gen : numpy.random.Generator
    percentiles : sequence of float
        Confidence levels [%].
    max_periods : int
        Give up (DataError) when a trial needs more periods.

    Returns
    -------
    samples : ndarray
        Periods per trial (``(trials,)`` or ``(trials, k)``).
    periods : ndarray
        The c-th percentile for each level c (``(levels,)`` or ``(levels, k)``), rounded
        up to a trial's value.

    Raises
    ------
    DataError
        The mean of ``values`` is not positive (the work would never be done).

    Examples
    --------
    >>> periods_needed([2.0], 5, trials=3, gen=np.random.default_rng(0))[1].tolist()
    [3, 3, 3, 3]
    """
    v = np.asarray(values, dtype=float)
    q = np.asarray(percentiles, dtype=float)
    if np.max(n_items) > 0 and not v.mean() > 0:
        raise DataError(f"forecast: the history's mean progress per period is {v.mean():g}, so "
                        "the work is never done; check the history window (or the scope "
                        "growth share, when the backlog grows faster than the team finishes)")
    samples = periods_to_reach(v, n_items if np.ndim(n_items) else float(n_items), int(trials),
                               gen, max_periods)
    return samples, np.percentile(samples, q, axis=0, method="higher").astype(int)


def items_done(values: Any, horizon: int, *, trials: int, gen: np.random.Generator,
               percentiles: Sequence[float] = PERCENTILES) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo "how many": items done in ``horizon`` periods, resampling ``values``.

    Returns
    -------
    samples : ndarray
        Items done per trial.
    items : ndarray
        For each confidence level c, the (100 − c)-th percentile (at least that many with
        confidence c, so P95 ≤ P85 ≤ P50), rounded down to a trial's value.

    Examples
    --------
    >>> items_done([2.0], 3, trials=2, gen=np.random.default_rng(0))[1].tolist()
    [6.0, 6.0, 6.0, 6.0]
    """
    q = np.asarray(percentiles, dtype=float)
    samples = resample_totals(np.asarray(values, dtype=float), int(horizon), int(trials), gen)
    return samples, np.percentile(samples, 100.0 - q, method="lower")


def _growth(share: float | None) -> float:
    if share is None:
        return 0.0
    share = float(share)
    if not 0.0 <= share <= 1.0:
        raise ValidationError(f"scope_growth must be a share in [0, 1] of the arrivals that join "
                              f"the backlog, not {share!r}; use 1.0 when every new item is in scope")
    return share


def _trials(trials: int) -> int:
    if int(trials) < 1:
        raise ValidationError(f"trials must be ≥ 1, not {trials!r}; use e.g. 10_000")
    return int(trials)


def history(board: Board, *, freq: str = "day", window: int | None = None) -> pd.Series:
    """The throughput history a forecast resamples.

    Periods from the one of the first completion to the status date (zeros included; with
    ``freq="week"`` the last week is partial unless the status date is a Sunday); with
    ``window``, only the last ``window`` periods.

    Raises
    ------
    DataError
        No item is done yet.
    """
    freq = check_option(freq, list(_PERIOD_DAYS), "freq")
    tp = throughput(board, freq=freq)
    nonzero = np.flatnonzero(tp.to_numpy() > 0)
    if not len(nonzero):
        raise DataError("forecast: no item is done yet; a throughput forecast needs finished "
                        "items (or use tpmkit.estimate for expert estimates)")
    tp = tp.iloc[nonzero[0]:]
    if window is not None:
        if int(window) < 1:
            raise ValidationError(f"window must be ≥ 1 period, not {window!r}")
        tp = tp.iloc[-int(window):]
    return tp.astype(float)


def when(board: Board, n_items: float | Sequence[float], *, trials: int = 10_000, rng: Any = None,
         freq: str = "day", window: int | None = None,
         percentiles: Sequence[float] = PERCENTILES, max_periods: int = 10_000,
         scope_growth: float | None = None) -> Forecast:
    """Forecast when ``n_items`` more items will be done (Monte Carlo on past throughput).

    Parameters
    ----------
    board : Board
    n_items : float or sequence of float
        Items still to finish [items]. With a sequence, every size is read off the same
        trials (one simulated future per trial), so the forecast never falls as N grows;
        the table is then indexed by (``n_items``, ``confidence``).
    trials : int
        Monte Carlo trials.
    rng : None, int or numpy.random.Generator
        Randomness; the seed is stored in the result.
    freq : {"day", "week"}
        Period of the resampled throughput.
    window : int, optional
        Resample only the last ``window`` periods.
    percentiles : sequence of float
        Confidence levels [%].
    max_periods : int
        Give up (DataError) when a trial needs more periods.
    scope_growth : float, optional
        Share (0…1) of each period's arrivals that joins the backlog: each simulated period
        resamples a past period's throughput together with that period's arrivals (scope
        growth modelled from the board's history). Default: a fixed backlog.

    Returns
    -------
    Forecast
        ``periods`` at confidence c is the c-th percentile of periods needed (rounded up to
        a trial's value); ``date`` = status date + periods × period length [days].

    Examples
    --------
    >>> from tpmkit.agile import items
    >>> b = items([{"id": f"I{k}", "created": "2021-01-04", "done": f"2021-01-{4 + k:02d}"}
    ...            for k in range(10)])
    >>> f = when(b, 5, rng=1)
    >>> f.table["periods"].tolist()
    [5, 5, 5, 5]
    """
    q, labels = _labels(percentiles)
    trials = _trials(trials)
    share = _growth(scope_growth)
    hist = history(board, freq=freq, window=window)
    values = hist.to_numpy(float)
    if share:
        came = arrivals(board, freq=freq)["arrivals"].reindex(hist.index, fill_value=0)
        values = values - share * came.to_numpy(float)
    many = np.ndim(n_items) > 0
    target = np.atleast_1d(np.asarray(n_items, dtype=float))
    if not len(target) or (target < 0).any() or np.isnan(target).any():
        raise ValidationError(f"n_items must be ≥ 0, not {n_items!r}")
    if hist.to_numpy().max() <= 0 and target.max() > 0:
        raise DataError("forecast: the history window holds no finished items; widen window=")
    gen, seed = resolve_rng(rng, reseed=True)
    samples, periods = periods_needed(values, target if many else float(target[0]),
                                      trials=trials, gen=gen, percentiles=q,
                                      max_periods=max_periods)
    step = _PERIOD_DAYS[freq]
    if many:  # periods: (levels, targets)
        index = pd.MultiIndex.from_product([target, labels], names=["n_items", "confidence"])
        periods = periods.T.ravel()
    else:
        index = labels
    dates = [board.now + pd.Timedelta(days=int(k) * step) for k in periods]
    table = pd.DataFrame({"periods": periods, "date": dates}, index=index)
    return Forecast(table=table, samples=samples, question="when",
                    target=target.tolist() if many else float(target[0]), freq=freq,
                    seed=seed, trials=trials, history=hist)


def how_many(board: Board, by_date: Any, *, trials: int = 10_000, rng: Any = None,
             freq: str = "day", window: int | None = None,
             percentiles: Sequence[float] = PERCENTILES) -> Forecast:
    """Forecast how many items will be done by ``by_date`` (Monte Carlo on past throughput).

    The horizon is the number of whole periods from the day after the status date to
    ``by_date`` inclusive.

    Returns
    -------
    Forecast
        ``items`` at confidence c is the (100 − c)-th percentile of items done (so the P95
        figure is the smallest).

    Examples
    --------
    >>> from tpmkit.agile import items
    >>> b = items([{"id": f"I{k}", "created": "2021-01-04", "done": f"2021-01-{4 + k:02d}"}
    ...            for k in range(10)])
    >>> how_many(b, "2021-01-20", rng=1).table["items"].tolist()
    [7.0, 7.0, 7.0, 7.0]
    """
    q, labels = _labels(percentiles)
    trials = _trials(trials)
    hist = history(board, freq=freq, window=window)
    date = pd.Timestamp(by_date).normalize()
    horizon = max((date - board.now).days // _PERIOD_DAYS[freq], 0)
    gen, seed = resolve_rng(rng, reseed=True)
    samples, done = items_done(hist.to_numpy(float), horizon, trials=trials, gen=gen,
                               percentiles=q)
    table = pd.DataFrame({"items": done}, index=labels)
    return Forecast(table=table, samples=samples, question="how_many", target=date, freq=freq,
                    seed=seed, trials=trials, history=hist)


def release_forecast(board: Board, remaining_points: float | None = None, *,
                     trials: int = 10_000, rng: Any = None, window: int | None = None,
                     percentiles: Sequence[float] = PERCENTILES,
                     scope_growth: float | None = None) -> Forecast:
    """Sprints until ``remaining_points`` are done, resampling past sprints' velocity.

    Parameters
    ----------
    remaining_points : float, optional
        Points left [story points]; default the points of the items not done.
    window : int, optional
        Resample only the last ``window`` sprints.
    scope_growth : float, optional
        Share (0…1) of the points added during each past sprint (:func:`velocity`'s
        ``added``) that joins the release: resampled together with that sprint's velocity.

    Returns
    -------
    Forecast
        ``sprints`` at each confidence and ``date`` = end of the last sprint + sprints ×
        the median sprint length.
    """
    q, labels = _labels(percentiles)
    trials = _trials(trials)
    v = velocity(board, unit="points")
    v = v[v["end"] < board.now]  # finished sprints only
    if window is not None:
        v = v.iloc[-int(window):]
    if not len(v) or v["completed"].max() <= 0:
        raise DataError("release forecast: no finished sprint with completed points; record "
                        "sprints (and story points) first")
    if remaining_points is None:
        t = board.table
        remaining_points = float(t.loc[t["category"] != "Done", "points"].fillna(0.0).sum())
    target = float(remaining_points)
    if target < 0:
        raise ValidationError(f"remaining_points must be ≥ 0, not {remaining_points!r}")
    share = _growth(scope_growth)
    net = v["completed"].to_numpy(float) - share * v["added"].to_numpy(float)
    gen, seed = resolve_rng(rng, reseed=True)
    samples, sprints = periods_needed(net, target, trials=trials, gen=gen, percentiles=q)
    length = pd.Timedelta(days=float(((v["end"] - v["start"]).dt.days + 1).median()))
    last = v["end"].iloc[-1]
    table = pd.DataFrame({"sprints": sprints, "date": [last + k * length for k in sprints]},
                         index=labels)
    return Forecast(table=table, samples=samples, question="release", target=target,
                    freq="sprint", seed=seed, trials=trials,
                    history=v["completed"].rename("velocity"))
