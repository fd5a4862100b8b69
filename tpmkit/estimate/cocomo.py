"""COCOMO II.2000 post-architecture model: effort and schedule from size and drivers.

:func:`cocomo2` computes effort [person-months] and schedule [months] from the size [KSLOC],
the five scale factors (:data:`COCOMO2_SCALE_FACTORS`) and the effort multipliers
(:data:`COCOMO2_EFFORT_MULTIPLIERS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from tpmkit.errors import ValidationError

__all__ = ["COCOMO2_EFFORT_MULTIPLIERS", "COCOMO2_SCALE_FACTORS", "Cocomo2Result", "cocomo2"]


# --------------------------------------------------------------------------- COCOMO II
_RATINGS = ("very_low", "low", "nominal", "high", "very_high", "extra_high")
_RATING_ALIASES = {"vl": "very_low", "l": "low", "n": "nominal", "h": "high", "vh": "very_high",
                   "xh": "extra_high", "eh": "extra_high"}
_NA = np.nan
#: COCOMO II.2000 scale factors by rating (VL, L, N, H, VH, XH).
COCOMO2_SCALE_FACTORS: dict[str, tuple[float, ...]] = {
    "PREC": (6.20, 4.96, 3.72, 2.48, 1.24, 0.00),
    "FLEX": (5.07, 4.05, 3.04, 2.03, 1.01, 0.00),
    "RESL": (7.07, 5.65, 4.24, 2.83, 1.41, 0.00),
    "TEAM": (5.48, 4.38, 3.29, 2.19, 1.10, 0.00),
    "PMAT": (7.80, 6.24, 4.68, 3.12, 1.56, 0.00),
}
#: COCOMO II.2000 post-architecture effort multipliers by rating (VL, L, N, H, VH, XH).
COCOMO2_EFFORT_MULTIPLIERS: dict[str, tuple[float, ...]] = {
    "RELY": (0.82, 0.92, 1.00, 1.10, 1.26, _NA),
    "DATA": (_NA, 0.90, 1.00, 1.14, 1.28, _NA),
    "CPLX": (0.73, 0.87, 1.00, 1.17, 1.34, 1.74),
    "RUSE": (_NA, 0.95, 1.00, 1.07, 1.15, 1.24),
    "DOCU": (0.81, 0.91, 1.00, 1.11, 1.23, _NA),
    "TIME": (_NA, _NA, 1.00, 1.11, 1.29, 1.63),
    "STOR": (_NA, _NA, 1.00, 1.05, 1.17, 1.46),
    "PVOL": (_NA, 0.87, 1.00, 1.15, 1.30, _NA),
    "ACAP": (1.42, 1.19, 1.00, 0.85, 0.71, _NA),
    "PCAP": (1.34, 1.15, 1.00, 0.88, 0.76, _NA),
    "PCON": (1.29, 1.12, 1.00, 0.90, 0.81, _NA),
    "APEX": (1.22, 1.10, 1.00, 0.88, 0.81, _NA),
    "PLEX": (1.19, 1.09, 1.00, 0.91, 0.85, _NA),
    "LTEX": (1.20, 1.09, 1.00, 0.91, 0.84, _NA),
    "TOOL": (1.17, 1.09, 1.00, 0.90, 0.78, _NA),
    "SITE": (1.22, 1.09, 1.00, 0.93, 0.86, 0.80),
    "SCED": (1.43, 1.14, 1.00, 1.00, 1.00, _NA),
}
_SCED_PERCENT = (75.0, 85.0, 100.0, 130.0, 160.0, _NA)


@dataclass
class Cocomo2Result:
    """COCOMO II.2000 post-architecture estimate.

    Attributes
    ----------
    effort_pm : float or ndarray
        Effort [person-months of 152 hours].
    schedule_months : float or ndarray
        Development time TDEV [calendar months].
    staff : float or ndarray
        Average full-time staff = effort / schedule [persons].
    ksloc : float or ndarray
        Size [thousand source lines of code].
    exponent : float
        E = B + 0.01·ΣSF.
    schedule_exponent : float
        F = D + 0.2·(E − B).
    eaf : float
        Effort adjustment factor, the product of the 17 effort multipliers.
    scale_factor_sum : float
    ratings : dict
        Rating used for every scale factor and effort multiplier.
    """

    effort_pm: Any
    schedule_months: Any
    staff: Any
    ksloc: Any
    exponent: float
    schedule_exponent: float
    eaf: float
    scale_factor_sum: float
    ratings: dict[str, str]

    def _repr_html_(self) -> str:
        def fmt(x: Any) -> str:
            return ", ".join(f"{v:,.1f}" for v in np.atleast_1d(x))
        return (f"<b>COCOMO II.2000</b>: size {fmt(self.ksloc)} KSLOC → effort "
                f"{fmt(self.effort_pm)} PM, schedule {fmt(self.schedule_months)} months, staff "
                f"{fmt(self.staff)} (E = {self.exponent:.4f}, EAF = {self.eaf:.3f})")


def _rating(name: str, value: str, table: Mapping[str, tuple[float, ...]]) -> int:
    key = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    key = _RATING_ALIASES.get(key, key)
    if key not in _RATINGS:
        raise ValidationError(f"unknown rating {value!r} for {name}; use one of "
                              f"{', '.join(_RATINGS)} (or VL, L, N, H, VH, XH)")
    k = _RATINGS.index(key)
    if np.isnan(table[name][k]):
        allowed = [r for r, v in zip(_RATINGS, table[name]) if not np.isnan(v)]
        raise ValidationError(f"{name} has no {key} rating in COCOMO II.2000; use one of "
                              f"{', '.join(allowed)}")
    return k


def _ratings(given: Mapping[str, str] | None, table: Mapping[str, tuple[float, ...]],
             what: str) -> dict[str, int]:
    out = {name: 2 for name in table}
    for name, value in (given or {}).items():
        key = str(name).strip().upper()
        if key not in table:
            raise ValidationError(f"unknown COCOMO II {what} {name!r}; use {', '.join(table)}")
        out[key] = _rating(key, value, table)
    return out


def cocomo2(
    ksloc: Any,
    scale_factors: Mapping[str, str] | None = None,
    effort_multipliers: Mapping[str, str] | None = None,
) -> Cocomo2Result:
    """COCOMO II.2000 post-architecture effort and schedule.

    Parameters
    ----------
    ksloc : float or array-like
        Size [thousand source lines of code], > 0.
    scale_factors : mapping, optional
        Rating per scale factor (PREC, FLEX, RESL, TEAM, PMAT), e.g. ``{"PREC": "high"}``;
        ratings ``very_low`` … ``extra_high`` or VL/L/N/H/VH/XH; unspecified ones are nominal.
    effort_multipliers : mapping, optional
        Rating per effort multiplier (RELY, DATA, CPLX, RUSE, DOCU, TIME, STOR, PVOL, ACAP,
        PCAP, PCON, APEX, PLEX, LTEX, TOOL, SITE, SCED); unspecified ones are nominal.

    Returns
    -------
    Cocomo2Result

    Notes
    -----
    With A = 2.94, B = 0.91, C = 3.67, D = 0.28:
    E = B + 0.01·ΣSF, PM = A·Size^E·ΠEM, F = D + 0.2·(E − B),
    TDEV = C·PM_NS^F·SCED%/100 where PM_NS is the effort without the SCED multiplier and
    SCED% is 75, 85, 100, 130, 160 for VL…VH; staff = PM/TDEV.

    References
    ----------
    .. [1] B. W. Boehm et al., *COCOMO II Model Definition Manual*, version 2000.0, USC
       Center for Software Engineering, 2000 (post-architecture effort and schedule
       equations, scale-factor and effort-multiplier rating tables).
    .. [2] B. W. Boehm et al., *Software Cost Estimation with COCOMO II*, Prentice Hall 2000.

    Examples
    --------
    >>> r = cocomo2(100)
    >>> round(r.exponent, 4), round(float(r.effort_pm), 1), round(float(r.schedule_months), 1)
    (1.0997, 465.3, 25.9)
    """
    size = np.asarray(ksloc, dtype=float)
    if np.any(~(size > 0)):
        raise ValidationError("ksloc must be > 0 (thousand source lines of code)")
    sf = _ratings(scale_factors, COCOMO2_SCALE_FACTORS, "scale factor")
    em = _ratings(effort_multipliers, COCOMO2_EFFORT_MULTIPLIERS, "effort multiplier")
    a, b, c, d = 2.94, 0.91, 3.67, 0.28
    sf_sum = float(sum(COCOMO2_SCALE_FACTORS[k][v] for k, v in sf.items()))
    e = b + 0.01 * sf_sum
    eaf_ns = float(np.prod([COCOMO2_EFFORT_MULTIPLIERS[k][v] for k, v in em.items()
                            if k != "SCED"]))
    eaf = eaf_ns * COCOMO2_EFFORT_MULTIPLIERS["SCED"][em["SCED"]]
    pm_ns = a * size**e * eaf_ns
    pm = a * size**e * eaf
    f = d + 0.2 * (e - b)
    tdev = c * pm_ns**f * _SCED_PERCENT[em["SCED"]] / 100.0
    staff = pm / tdev
    scalar = np.ndim(ksloc) == 0

    def out(x: np.ndarray) -> Any:
        return float(x) if scalar else x

    ratings = {k: _RATINGS[v] for k, v in {**sf, **em}.items()}
    return Cocomo2Result(effort_pm=out(pm), schedule_months=out(tdev), staff=out(staff),
                         ksloc=out(size), exponent=e, schedule_exponent=f, eaf=eaf,
                         scale_factor_sum=sf_sum, ratings=ratings)
