"""Three-point estimates: PERT/triangular statistics, sums, and ranges from one estimate.

:func:`three_point` gives the mean, variance and percentiles of each optimistic / most
likely / pessimistic estimate (beta-PERT or triangular); :func:`three_point_sum` adds them
up for a path or a project; :func:`from_uncertainty` turns a single estimate and an
uncertainty class (:data:`UNCERTAINTY_CLASSES`, e.g. AACE classes) into three points.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

# scipy.special, not scipy.stats (0.5 s to import): the same functions stats' beta, triang
# and norm evaluate, in the same order of operations
from scipy import special

from tpmkit.errors import ValidationError, check_option, format_ids
from tpmkit.pert import moments

__all__ = ["UNCERTAINTY_CLASSES", "from_uncertainty", "three_point", "three_point_sum"]


#: the three columns of a three-point estimate, in order
THREE_POINT_COLUMNS = ("optimistic", "most_likely", "pessimistic")


# --------------------------------------------------------------------------- three-point
def _three_arrays(o: Any, m: Any = None, p: Any = None) -> tuple[np.ndarray, np.ndarray,
                                                                  np.ndarray, pd.Index]:
    if isinstance(o, pd.DataFrame):
        df = o
        missing = [c for c in THREE_POINT_COLUMNS if c not in df.columns]
        if missing:
            raise ValidationError(f"three-point table lacks column(s) {format_ids(missing)}; "
                                  "give optimistic, most_likely and pessimistic")
        if "id" in df.columns:
            df = df.set_index("id")
        arrays = [pd.to_numeric(df[c], errors="coerce").to_numpy(float) for c in THREE_POINT_COLUMNS]
        index = pd.Index(df.index.astype(str), name="id")
    else:
        if m is None or p is None:
            raise ValidationError("three_point needs optimistic, most_likely and pessimistic; "
                                  "pass three arrays or a DataFrame with those columns")
        arrays = [np.atleast_1d(np.asarray(x, dtype=float)) for x in (o, m, p)]
        arrays = list(np.broadcast_arrays(*arrays))
        index = pd.RangeIndex(len(arrays[0]))
    a, mm, b = arrays
    bad_nan = np.isnan(a) | np.isnan(mm) | np.isnan(b)
    bad = bad_nan | (a > mm) | (mm > b)
    if bad.any():
        raise ValidationError(
            f"three-point estimates not ordered optimistic ≤ most_likely ≤ pessimistic (or "
            f"missing) for {format_ids(index[bad])}; correct the three values"
        )
    return a, mm, b, index


def _percentile_labels(percentiles: Sequence[float]) -> list[str]:
    labels = []
    for q in percentiles:
        if not 0 < q < 100:
            raise ValidationError(f"percentile {q} outside (0, 100); use e.g. 10, 50, 90")
        labels.append(f"p{q:g}".replace(".", "_"))
    return labels


def three_point(
    optimistic: Any,
    most_likely: Any = None,
    pessimistic: Any = None,
    *,
    distribution: str = "pert",
    percentiles: Sequence[float] = (10, 50, 90),
    lam: float = 4.0,
) -> pd.DataFrame:
    """Mean, standard deviation and percentiles of three-point estimates.

    Parameters
    ----------
    optimistic, most_likely, pessimistic : array-like or DataFrame
        Three points *a ≤ m ≤ b* [working days or any unit], or one DataFrame with columns
        ``optimistic, most_likely, pessimistic`` (and optionally ``id``).
    distribution : {"pert", "triangular"}
        Beta-PERT (shape parameter ``lam``) or triangular.
    percentiles : sequence of float
        Percentiles in (0, 100) to report, from the exact distribution.
    lam : float
        Beta-PERT weight of the mode (4 in classic PERT).

    Returns
    -------
    DataFrame
        Indexed like the input: ``mean``, ``variance``, ``std`` (moments of the chosen
        distribution), ``std_classic`` ((b − a)/6, the PERT textbook approximation),
        ``p10``, ``p50``, ... .

    Notes
    -----
    Beta-PERT: α = 1 + λ(m − a)/(b − a), β = 1 + λ(b − m)/(b − a), mean = (a + λm + b)/(λ + 2),
    variance = (mean − a)(b − mean)/(λ + 3). Triangular: mean = (a + m + b)/3, variance =
    (a² + m² + b² − am − ab − mb)/18. When a = b the estimate is fixed (std 0).

    References
    ----------
    .. [1] D. G. Malcolm, J. H. Roseboom, C. E. Clark, W. Fazar, "Application of a technique
       for research and development program evaluation", *Operations Research* 7(5), 1959.
    .. [2] D. Vose, *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley 2008 (PERT and
       triangular distributions).

    Examples
    --------
    >>> t = three_point([4], [5], [12])
    >>> float(t["mean"][0]), round(float(t["std_classic"][0]), 4)
    (6.0, 1.3333)
    """
    distribution = check_option(distribution, ["pert", "triangular"], "distribution")
    a, m, b, index = _three_arrays(optimistic, most_likely, pessimistic)
    width = b - a
    fixed = width <= 0
    safe = np.where(fixed, 1.0, width)
    labels = _percentile_labels(percentiles)
    q = np.asarray(percentiles, dtype=float)[:, None] / 100.0
    if distribution == "pert":
        mean = (a + lam * m + b) / (lam + 2.0)
        var = (mean - a) * (b - mean) / (lam + 3.0)
        alpha = 1.0 + lam * (m - a) / safe
        beta = 1.0 + lam * (b - m) / safe
        quant = a + width * special.betaincinv(alpha, beta, q)
    else:
        mean, var = moments(a, m, b, method="triangular")
        c = (m - a) / safe
        quant = np.where(q < c, np.sqrt(c * q), 1 - np.sqrt((1 - c) * (1 - q))) * safe + a
    var = np.where(fixed, 0.0, np.maximum(var, 0.0))
    quant = np.where(fixed, a, quant)
    out = pd.DataFrame({"mean": mean, "variance": var, "std": np.sqrt(var),
                        "std_classic": width / 6.0}, index=index)
    for label, row in zip(labels, quant):
        out[label] = row
    return out


def three_point_sum(
    optimistic: Any,
    most_likely: Any = None,
    pessimistic: Any = None,
    *,
    distribution: str = "pert",
    variance: str = "exact",
    percentiles: Sequence[float] = (10, 50, 80, 90),
    target: float | None = None,
    lam: float = 4.0,
) -> pd.Series:
    """Mean, standard deviation and percentiles of a sum of independent three-point estimates.

    Parameters
    ----------
    optimistic, most_likely, pessimistic : array-like or DataFrame
        As in :func:`three_point` (e.g. the tasks of one path, or work packages of a budget).
    distribution : {"pert", "triangular"}
    variance : {"exact", "classic"}
        Use the distribution's variance, or the PERT textbook ((b − a)/6)².
    percentiles : sequence of float
        Percentiles of the sum from the normal approximation (central limit theorem).
    target : float, optional
        Also report ``probability`` = P(sum ≤ target) and ``z``.
    lam : float
        Beta-PERT weight of the mode.

    Returns
    -------
    Series
        ``n``, ``mean``, ``variance``, ``std``, the percentiles (``p10``, ...) and, with a
        target, ``z`` and ``probability``.

    References
    ----------
    .. [1] D. R. Anderson, D. J. Sweeney, T. A. Williams et al., *An Introduction to
       Management Science*, 14th ed., Cengage 2014, ch. 9 (PERT: sum of means and variances
       along the critical path, normal approximation).

    Examples
    --------
    >>> s = three_point_sum([4, 2], [5, 3], [12, 4], variance="classic", target=10)
    >>> float(s["mean"]), round(float(s["variance"]), 4)
    (9.0, 1.8889)
    """
    variance = check_option(variance, ["exact", "classic"], "variance")
    t = three_point(optimistic, most_likely, pessimistic, distribution=distribution,
                    percentiles=(50,), lam=lam)
    mean = float(t["mean"].sum())
    var = float((t["std_classic"] ** 2).sum() if variance == "classic" else t["variance"].sum())
    std = math.sqrt(var)
    out = {"n": float(len(t)), "mean": mean, "variance": var, "std": std}
    labels = _percentile_labels(percentiles)
    z = special.ndtri(np.asarray(percentiles, dtype=float) / 100.0)
    for label, zz in zip(labels, z):
        out[label] = mean + zz * std
    if target is not None:
        zt = (float(target) - mean) / std if std > 0 else (np.inf if target >= mean else -np.inf)
        out["z"] = zt
        out["probability"] = float(special.ndtr(zt))
    return pd.Series(out, dtype=float)


# Published accuracy ranges: (low, high) as fractions of the point estimate.
UNCERTAINTY_CLASSES: dict[str, tuple[float, float]] = {
    "rom": (-0.25, 0.75),          # PMBOK 6th §7.2: rough order of magnitude −25 % to +75 %
    "definitive": (-0.05, 0.10),   # PMBOK 6th §7.2: definitive −5 % to +10 %
    # AACE 18R-97: the wide end of each class's accuracy range
    "aace_class_5": (-0.50, 1.00),
    "aace_class_4": (-0.30, 0.50),
    "aace_class_3": (-0.20, 0.30),
    "aace_class_2": (-0.15, 0.20),
    "aace_class_1": (-0.10, 0.15),
}
_PLUS_MINUS = re.compile(r"^\s*(?:±|\+/?-|-/?\+)\s*(\d+(?:\.\d+)?)\s*%?\s*$")
_LOW_HIGH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%?\s*/\s*\+?(\d+(?:\.\d+)?)\s*%?\s*$")


def _uncertainty_range(uncertainty: Any) -> tuple[float, float]:
    if isinstance(uncertainty, tuple | list) and len(uncertainty) == 2:
        low, high = float(uncertainty[0]), float(uncertainty[1])
    elif isinstance(uncertainty, str):
        key = uncertainty.strip().lower().replace(" ", "_").replace("-", "_")
        if key in UNCERTAINTY_CLASSES:
            return UNCERTAINTY_CLASSES[key]
        pm = _PLUS_MINUS.match(uncertainty)
        lh = _LOW_HIGH.match(uncertainty)
        if pm:
            low, high = -float(pm.group(1)) / 100, float(pm.group(1)) / 100
        elif lh:
            low, high = -abs(float(lh.group(1))) / 100, float(lh.group(2)) / 100
        else:
            raise ValidationError(
                f"cannot read uncertainty {uncertainty!r}; write '±10%', '-25/+75' or a class: "
                f"{', '.join(UNCERTAINTY_CLASSES)}"
            )
    else:
        raise ValidationError(f"cannot read uncertainty {uncertainty!r}; give a string such as "
                              "'-25/+75' or a (low, high) tuple of fractions like (-0.25, 0.75)")
    if not (low <= 0 <= high) or low <= -1:
        raise ValidationError(f"uncertainty range ({low:+g}, {high:+g}) must satisfy -1 < low ≤ 0 "
                              "≤ high (fractions of the estimate)")
    return low, high


def from_uncertainty(estimate: Any, uncertainty: Any = "rom") -> pd.DataFrame:
    """Turn single-point estimates and an uncertainty class into three-point estimates.

    Parameters
    ----------
    estimate : float, array-like, Series or DataFrame
        Point estimates (taken as the most likely value) [working days or currency]. A Series
        keeps its index as task id; a DataFrame needs ``id`` and ``estimate`` columns and may
        carry an ``uncertainty`` column per row.
    uncertainty : str or (float, float)
        ``"±10%"``, ``"-25/+75"``, ``(-0.25, 0.75)`` or a named class of
        :data:`UNCERTAINTY_CLASSES` (``rom``, ``definitive``, ``aace_class_1`` … ``_5``).

    Returns
    -------
    DataFrame
        ``id, optimistic, most_likely, pessimistic`` with optimistic = e·(1 + low) and
        pessimistic = e·(1 + high); ready for :func:`tpmkit.read`.

    References
    ----------
    .. [1] PMI, *PMBOK Guide*, 6th ed., §7.2 (ROM −25 % to +75 %, definitive −5 % to +10 %).
    .. [2] AACE International Recommended Practice 18R-97, *Cost Estimate Classification
       System*, 2020.

    Examples
    --------
    >>> from_uncertainty(pd.Series([10.0], index=["A"]), "-25/+75").values.tolist()
    [['A', 7.5, 10.0, 17.5]]
    """
    if isinstance(estimate, pd.DataFrame):
        df = estimate
        for col in ("id", "estimate"):
            if col not in df.columns:
                raise ValidationError(f"estimate table lacks column {col!r}; give id and estimate")
        ids = df["id"].astype(str).to_numpy()
        e = pd.to_numeric(df["estimate"], errors="coerce").to_numpy(float)
        if "uncertainty" in df.columns:
            ranges = [_uncertainty_range(u if isinstance(u, str) and u.strip() else uncertainty)
                      for u in df["uncertainty"]]
        else:
            ranges = [_uncertainty_range(uncertainty)] * len(e)
    else:
        if isinstance(estimate, pd.Series):
            ids = estimate.index.astype(str).to_numpy()
            e = pd.to_numeric(estimate, errors="coerce").to_numpy(float)
        else:
            e = np.atleast_1d(np.asarray(estimate, dtype=float))
            ids = np.array([str(i) for i in range(len(e))], dtype=object)
        ranges = [_uncertainty_range(uncertainty)] * len(e)
    bad = np.isnan(e) | (e < 0)
    if bad.any():
        raise ValidationError(f"estimates missing or negative for {format_ids(ids[bad])}; "
                              "enter numbers ≥ 0")
    rng = np.array(ranges, dtype=float).reshape(-1, 2)
    return pd.DataFrame({"id": ids, "optimistic": e * (1 + rng[:, 0]), "most_likely": e,
                         "pessimistic": e * (1 + rng[:, 1])})
