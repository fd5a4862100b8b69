"""Control-chart constants for subgroups of n = 2…25, computed from their definitions.

``d2`` and ``d3`` are the mean and standard deviation of the range of ``n`` independent
standard normal variables, ``c4`` the bias of the sample standard deviation; every chart
factor follows from them (Montgomery, Appendix VI; ASTM E2587 Table 1):

* A2 = 3 / (d2 √n), D3 = max(0, 1 − 3 d3/d2), D4 = 1 + 3 d3/d2 (X̄–R chart);
* A3 = 3 / (c4 √n), B3 = max(0, 1 − 3 √(1 − c4²)/c4), B4 = 1 + 3 √(1 − c4²)/c4 (X̄–S chart);
* E2 = 3 / d2(2) ≈ 2.660 and D4(2) ≈ 3.267 (individuals and moving-range chart).

The integrals are evaluated once, on first use, by the trapezoidal rule on a fine grid;
the values agree with the published four-decimal tables.

References
----------
.. [1] Montgomery, D. C. (2019). *Introduction to Statistical Quality Control*, 8th ed.
   Wiley, §6.2 and Appendix VI.
.. [2] ASTM E2587-16, *Standard Practice for Use of Control Charts in Statistical Process
   Control*, Table 1.
.. [3] Tippett, L. H. C. (1925). On the extreme individuals and the range of samples taken
   from a normal population. *Biometrika* 17, 364–387.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
from scipy.special import gammaln, ndtr

from tpmkit.errors import ValidationError

__all__ = ["MAX_SUBGROUP", "c4", "chart_constants", "d2", "d3"]

MAX_SUBGROUP = 25
_GRID = np.linspace(-9.0, 9.0, 3601)  # step 0.005; the normal tails beyond ±9 are < 1e-18


def _check_n(n: int) -> int:
    if int(n) != n or not 2 <= n <= MAX_SUBGROUP:
        raise ValidationError(f"subgroup size {n} is outside 2…{MAX_SUBGROUP}; use subgroups "
                              f"of 2 to {MAX_SUBGROUP} observations (or an individuals chart)")
    return int(n)


@cache
def _range_moments(n: int) -> tuple[float, float]:
    # Tippett (1925): E[R] = ∫ 1 − Φ(x)ⁿ − (1 − Φ(x))ⁿ dx and
    # E[R²] = 2 ∫∫_{x<y} 1 − Φ(y)ⁿ − (1 − Φ(x))ⁿ + (Φ(y) − Φ(x))ⁿ dx dy.
    x = _GRID
    f = ndtr(x)
    mean = float(np.trapezoid(1.0 - f**n - (1.0 - f) ** n, x))
    inner = 1.0 - f[None, :] ** n - (1.0 - f[:, None]) ** n + np.clip(f[None, :] - f[:, None],
                                                                         0.0, None) ** n
    inner = np.triu(inner)  # rows x, columns y: keep x ≤ y
    # The integrand jumps to zero across the diagonal; half weight there keeps the
    # trapezoidal rule second-order on the triangle.
    inner[np.diag_indices_from(inner)] *= 0.5
    second = 2.0 * float(np.trapezoid(np.trapezoid(inner, x, axis=1), x))
    return mean, float(np.sqrt(second - mean**2))


def d2(n: int) -> float:
    """Mean range of ``n`` standard normal observations (d2).

    Examples
    --------
    >>> round(d2(5), 3)
    2.326
    """
    return _range_moments(_check_n(n))[0]


def d3(n: int) -> float:
    """Standard deviation of the range of ``n`` standard normal observations (d3).

    Examples
    --------
    >>> round(d3(5), 3)
    0.864
    """
    return _range_moments(_check_n(n))[1]


def c4(n: int) -> float:
    """Bias of the sample standard deviation: c4 = √(2/(n−1)) Γ(n/2) / Γ((n−1)/2).

    Examples
    --------
    >>> round(c4(5), 4)
    0.94
    """
    n = _check_n(n)
    return float(np.sqrt(2.0 / (n - 1)) * np.exp(gammaln(n / 2) - gammaln((n - 1) / 2)))


def chart_constants(n: int) -> dict[str, float]:
    """Every Shewhart factor for subgroup size ``n``: d2, d3, c4, A2, D3, D4, A3, B3, B4.

    Examples
    --------
    >>> k = chart_constants(5)
    >>> round(k["A2"], 3), round(k["D4"], 4), round(k["A3"], 3), round(k["B4"], 3)
    (0.577, 2.1145, 1.427, 2.089)
    """
    n = _check_n(n)
    m, s, c = d2(n), d3(n), c4(n)
    w = 3.0 * float(np.sqrt(1.0 - c * c)) / c
    root = float(np.sqrt(n))
    return {"n": float(n), "d2": m, "d3": s, "c4": c, "A2": 3.0 / (m * root),
            "D3": max(0.0, 1.0 - 3.0 * s / m), "D4": 1.0 + 3.0 * s / m,
            "A3": 3.0 / (c * root), "B3": max(0.0, 1.0 - w), "B4": 1.0 + w}


def constants_table() -> pd.DataFrame:
    """The factors for n = 2…25 as a table indexed by ``n`` (Montgomery Appendix VI layout).

    Examples
    --------
    >>> constants_table().shape
    (24, 9)
    """
    rows = {n: chart_constants(n) for n in range(2, MAX_SUBGROUP + 1)}
    return pd.DataFrame.from_dict(rows, orient="index").drop(columns="n").rename_axis("n")


__all__ += ["constants_table"]
