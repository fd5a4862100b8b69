"""Bootstrap sampling of a throughput history, shared by every throughput forecast.

One implementation of the two Monte Carlo draws behind "how many by then" and "when will N
be done": :func:`resample_totals` (sum of ``periods`` draws per trial) and
:func:`periods_to_reach` (first period at which the running sum reaches a target). Both are
vectorised over trials (one 2-D draw per block, no per-trial Python loop), and their draw
order is fixed, so the same seed gives the same numbers in :mod:`tpmkit.estimate` and
:mod:`tpmkit.agile`.
"""

from __future__ import annotations

import math

import numpy as np

from tpmkit.errors import DataError

__all__ = ["periods_to_reach", "resample_totals"]


def resample_totals(values: np.ndarray, periods: int, trials: int,
                    gen: np.random.Generator) -> np.ndarray:
    """Sum of ``periods`` draws with replacement from ``values``, per trial.

    Examples
    --------
    >>> resample_totals(np.array([2.0]), 3, 2, np.random.default_rng(0)).tolist()
    [6.0, 6.0]
    """
    if periods <= 0:
        return np.zeros(trials)
    return gen.choice(values, size=(trials, periods), replace=True).sum(axis=1)


def periods_to_reach(values: np.ndarray, target: float | np.ndarray, trials: int,
                     gen: np.random.Generator, max_periods: int = 10_000) -> np.ndarray:
    """Periods until the running sum of draws from ``values`` reaches ``target``, per trial.

    Draws blocks of periods for all unfinished trials at once; a block is about twice the
    periods the mean throughput needs, so one or two blocks usually finish every trial.
    With an array of targets every target is read off the same running sums (one path per
    trial), so the periods needed never decrease as the target grows.

    Returns
    -------
    ndarray
        ``(trials,)`` int for a scalar target, ``(trials, len(target))`` for an array.

    Raises
    ------
    DataError
        Some trial needs more than ``max_periods`` periods.

    Examples
    --------
    >>> periods_to_reach(np.array([2.0]), 5, 3, np.random.default_rng(0)).tolist()
    [3, 3, 3]
    >>> periods_to_reach(np.array([2.0]), np.array([1.0, 4.0]), 1, np.random.default_rng(0)).tolist()
    [[1, 2]]
    """
    targets = np.atleast_1d(np.asarray(target, dtype=float))
    top = float(targets.max()) if len(targets) else 0.0
    need = np.zeros((trials, len(targets)), dtype=np.int64)
    if top > 0:
        need[:, targets > 0] = -1
        mean = values.mean()
        chunk = int(min(max_periods, max(8, math.ceil(2 * top / mean) + 8)))
        total = np.zeros(trials)
        done_before = 0
        active = np.arange(trials)
        while len(active):
            if done_before >= max_periods:
                raise DataError(f"some trials need more than {max_periods} periods to finish "
                                f"{top:g} items; check the backlog size or raise max_periods")
            draws = gen.choice(values, size=(len(active), chunk), replace=True)
            cum = total[active, None] + np.cumsum(draws, axis=1)
            for j, t in enumerate(targets):
                if t <= 0:
                    continue
                hit = cum >= t
                new = hit.any(axis=1) & (need[active, j] < 0)
                need[active[new], j] = done_before + hit[new].argmax(axis=1) + 1
            total[active] = cum[:, -1]
            active = active[cum[:, -1] < top]
            done_before += chunk
    return need if np.ndim(target) else need[:, 0]
