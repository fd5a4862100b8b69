"""Western Electric / Nelson run rules on a control chart.

Each rule looks at the points' distance from the centre line in units of sigma,
``z = (value − centre) / σ`` with ``σ = (ucl − centre) / 3`` per point (so charts with
limits that vary with the sample size are handled too). A rule fires at the point that
completes its pattern; a run never spans a phase change.

======  ==================================================================
rule    pattern (Nelson 1984)
======  ==================================================================
1       one point beyond the control limits (3σ)
2       nine points in a row on the same side of the centre line
3       six points in a row steadily increasing or decreasing
4       fourteen points in a row alternating up and down
5       two out of three points in a row beyond 2σ on the same side
6       four out of five points in a row beyond 1σ on the same side
7       fifteen points in a row within 1σ of the centre line (either side)
8       eight points in a row beyond 1σ, on either side
======  ==================================================================

``rules="western_electric"`` applies the four rules of the *Statistical Quality Control
Handbook*: 1, 5, 6 and rule 2 with a run of eight (its test 4).

References
----------
.. [1] Nelson, L. S. (1984). The Shewhart control chart — tests for special causes.
   *Journal of Quality Technology* 16(4), 237–239.
.. [2] Western Electric (1956). *Statistical Quality Control Handbook*, §1.4.
.. [3] Montgomery, D. C. (2019). *Introduction to Statistical Quality Control*, 8th ed., §5.3.6.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np

from tpmkit._core.codes import EPS
from tpmkit.errors import OptionError, format_ids

__all__ = ["RULE_DESCRIPTIONS", "RULE_SETS", "resolve_rules", "run_rules"]

RULE_DESCRIPTIONS = {
    1: "beyond a control limit",
    2: "run on one side of the centre line",
    3: "six points steadily increasing or decreasing",
    4: "fourteen points alternating up and down",
    5: "two of three beyond 2 sigma on one side",
    6: "four of five beyond 1 sigma on one side",
    7: "fifteen points within 1 sigma (stratification)",
    8: "eight points beyond 1 sigma on either side (mixture)",
}
RULE_SETS = {"nelson": (1, 2, 3, 4, 5, 6, 7, 8), "western_electric": (1, 2, 5, 6), "limits": (1,)}


def resolve_rules(rules: str | Iterable[int]) -> tuple[tuple[int, ...], int]:
    """Rule numbers and the run length of rule 2 for a rule set name or numbers.

    Examples
    --------
    >>> resolve_rules("western_electric")
    ((1, 2, 5, 6), 8)
    >>> resolve_rules([1, 3])
    ((1, 3), 9)
    """
    if isinstance(rules, str):
        key = rules.strip().lower()
        if key not in RULE_SETS:
            raise OptionError(f"unknown rule set {rules!r}; choose one of: {', '.join(RULE_SETS)} "
                              "or give rule numbers 1-8")
        return RULE_SETS[key], 8 if key == "western_electric" else 9
    numbers = tuple(sorted({int(r) for r in rules}))
    bad = [r for r in numbers if r not in RULE_DESCRIPTIONS]
    if bad:
        raise OptionError(f"unknown rule number(s) {format_ids(bad)}; use Nelson rules 1-8")
    return numbers, 9


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    """True where ``mask`` has been True for the last ``length`` points."""
    count = np.zeros(len(mask), dtype=int)
    run = 0
    for i, m in enumerate(mask):
        run = run + 1 if m else 0
        count[i] = run
    return count >= length


def _k_of_m(mask: np.ndarray, k: int, m: int) -> np.ndarray:
    """True where point i is in ``mask`` and at least k of the last m points are."""
    c = np.convolve(mask.astype(int), np.ones(m, dtype=int))[: len(mask)]
    return mask & (c >= k) & (np.arange(len(mask)) >= m - 1)


def _segment(z: np.ndarray, beyond: np.ndarray, rules: Sequence[int], run2: int) -> dict[int, np.ndarray]:
    diff = np.diff(z)
    hits: dict[int, np.ndarray] = {}
    for rule in rules:
        if rule == 1:
            h = beyond
        elif rule == 2:
            h = _runs(z > 0, run2) | _runs(z < 0, run2)
        elif rule == 3:
            h = np.r_[False, _runs(diff > 0, 5) | _runs(diff < 0, 5)]
        elif rule == 4:
            alt = np.r_[False, np.sign(diff[1:]) * np.sign(diff[:-1]) < 0]
            h = np.r_[False, _runs(alt, 12)]  # 13 alternating steps = 12 sign changes
        elif rule == 5:
            h = _k_of_m(z > 2, 2, 3) | _k_of_m(z < -2, 2, 3)
        elif rule == 6:
            h = _k_of_m(z > 1, 4, 5) | _k_of_m(z < -1, 4, 5)
        elif rule == 7:
            h = _runs(np.abs(z) < 1, 15)
        else:
            h = _runs(np.abs(z) > 1, 8)
        hits[rule] = h[: len(z)]
    return hits


def run_rules(value: np.ndarray, centre: np.ndarray, ucl: np.ndarray, lcl: np.ndarray,
              phase: np.ndarray, rules: Sequence[int], run2: int = 9) -> list[tuple[int, ...]]:
    """The rules that fire at each point (a tuple of rule numbers per point).

    Parameters
    ----------
    value, centre, ucl, lcl : ndarray
        Plotted values and their centre line and control limits, point by point.
    phase : ndarray
        Phase label per point; runs restart at a phase change.
    rules : sequence of int
        Nelson rule numbers to apply.
    run2 : int
        Run length of rule 2 (9 for Nelson, 8 for Western Electric).

    Examples
    --------
    >>> v = np.array([0.0, 0.5, 4.0])
    >>> run_rules(v, np.zeros(3), np.full(3, 3.0), np.full(3, -3.0), np.zeros(3), [1])
    [(), (), (1,)]
    """
    value = np.asarray(value, dtype=float)
    sigma = (np.asarray(ucl, dtype=float) - centre) / 3.0
    with np.errstate(divide="ignore", invalid="ignore"):
        # zero-width limits (a constant series) have no zones: NaN compares False everywhere
        z = np.where(sigma > 0, (value - centre) / sigma, np.nan)
    # a limit is crossed by more than rounding: the mean of n equal values can differ from
    # them in the last bits, which must not flag a constant series
    slack = EPS * np.maximum(1.0, np.abs(value))
    beyond = (value - ucl > slack) | (lcl - value > slack)
    out: list[tuple[int, ...]] = [()] * len(value)
    phase = np.asarray(phase, dtype=object)
    starts: list[int] = (np.flatnonzero(np.r_[True, phase[1:] != phase[:-1]]).tolist()
                         if len(phase) else [])
    bounds = [*starts, len(value)]
    for a, b in itertools.pairwise(bounds):
        hits = _segment(z[a:b], beyond[a:b], rules, run2)
        for i in range(b - a):
            fired = tuple(r for r in rules if hits[r][i])
            if fired:
                out[a + i] = fired
    return out
