"""Calibration: how actuals compared with estimates, and the reference-class uplift.

:func:`calibrate` gives the distribution of actual/estimate ratios (bias, spread) overall or
by group, and :class:`Calibration` applies the reference-class uplift at P50/P80.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.model.tables import table_frame

__all__ = ["Calibration", "calibrate"]


# --------------------------------------------------------------------------- calibration
@dataclass
class Calibration:
    """Distribution of actual/estimate ratios of past work (reference class).

    Attributes
    ----------
    data : DataFrame
        Input rows with ``ratio`` = actual/estimate (and the class column if any).
    table : DataFrame
        Indexed by reference class (``all`` without ``by``): ``n``, ``mean_ratio``,
        ``median_ratio``, ``geometric_mean_ratio``, ``bias`` (median ratio − 1; > 0 means
        underestimation), ``spread`` (standard deviation of log ratios), ``p10``, ``p50``,
        ``p80``, ``p90`` ratios, ``uplift_p50``, ``uplift_p80`` (ratio quantile − 1).
    by : str or None
    """

    data: pd.DataFrame
    table: pd.DataFrame
    by: str | None

    def ratio(self, p: float, reference: str | None = None) -> float:
        """The p-th percentile of actual/estimate (in a reference class)."""
        if not 0 < p < 100:
            raise ValidationError(f"percentile {p} outside (0, 100)")
        ratios = self._ratios(reference)
        return float(np.percentile(ratios, p))

    def uplift(self, p: float = 80, reference: str | None = None) -> float:
        """Reference-class uplift: the fraction to add so that p % of past work would have fit."""
        return self.ratio(p, reference) - 1.0

    def apply(self, estimates: Any, p: float = 80, reference: str | None = None) -> Any:
        """Uplift new estimates by the P-``p`` ratio (e.g. P80 budget)."""
        factor = self.ratio(p, reference)
        if isinstance(estimates, pd.Series | pd.DataFrame):
            return estimates * factor
        return np.asarray(estimates, dtype=float) * factor

    def to_three_point(self, estimates: Any, low: float = 10, high: float = 90,
                       reference: str | None = None) -> pd.DataFrame:
        """Three points from the ratio distribution: P``low``, P50 and P``high`` × estimate.

        Returns ``id, optimistic, most_likely, pessimistic`` for :func:`tpmkit.read`.
        """
        s = estimates if isinstance(estimates, pd.Series) else pd.Series(
            np.atleast_1d(np.asarray(estimates, dtype=float)))
        e = s.to_numpy(float)
        r = [self.ratio(q, reference) for q in (low, 50, high)]
        return pd.DataFrame({"id": s.index.astype(str), "optimistic": e * r[0],
                             "most_likely": e * r[1], "pessimistic": e * r[2]})

    def _ratios(self, reference: str | None) -> np.ndarray:
        if reference is None:
            return self.data["ratio"].to_numpy(float)
        if self.by is None:
            raise ValidationError("this calibration has no reference classes; calibrate with "
                                  "by=<column> to use reference=")
        sel = self.data[self.by].astype(str) == str(reference)
        if not sel.any():
            raise ValidationError(f"unknown reference class {reference!r}; known: "
                                  f"{format_ids(self.table.index)}")
        return self.data.loc[sel, "ratio"].to_numpy(float)

    def _repr_html_(self) -> str:
        return f"<b>Estimate calibration</b> ({len(self.data)} records){self.table.to_html()}"


def calibrate(data: Any, *, by: str | None = None, estimate: str = "estimate",
              actual: str = "actual") -> Calibration:
    """Calibrate estimates against actuals: ratio distribution, bias, spread and uplift.

    Parameters
    ----------
    data : DataFrame or path
        Columns ``estimate`` and ``actual`` (> 0, same unit), optionally ``id`` and a
        reference-class column named by ``by`` (e.g. ``category``).
    by : str, optional
        Reference-class column; the table gets one row per class plus ``all``.
    estimate, actual : str
        Column names.

    Returns
    -------
    Calibration

    Notes
    -----
    ratio = actual / estimate; bias = median ratio − 1; spread = sd(ln ratio); uplift at P
    = (P-th percentile of the ratio) − 1, the reference-class forecasting uplift of Flyvbjerg.

    References
    ----------
    .. [1] B. Flyvbjerg, "Curbing optimism bias and strategic misrepresentation in planning:
       reference class forecasting in practice", *European Planning Studies* 16(1), 3–21, 2008.
    .. [2] S. McConnell, *Software Estimation: Demystifying the Black Art*, Microsoft Press
       2006, ch. 8 (calibration with historical data).

    Examples
    --------
    >>> c = calibrate(pd.DataFrame({"estimate": [10, 10, 10, 10], "actual": [9, 11, 12, 16]}))
    >>> float(c.table.loc["all", "median_ratio"]), round(c.uplift(50), 3)
    (1.15, 0.15)
    """
    df = table_frame(data, "estimates vs actuals")
    for col in (estimate, actual):
        if col not in df.columns:
            raise ValidationError(f"estimates vs actuals lack column {col!r}; give {estimate} "
                                  f"and {actual}")
    ids = df["id"].astype(str).to_numpy() if "id" in df.columns else np.array(
        [str(i + 2) for i in range(len(df))], dtype=object)
    e = pd.to_numeric(df[estimate], errors="coerce").to_numpy(float)
    a = pd.to_numeric(df[actual], errors="coerce").to_numpy(float)
    bad = ~(e > 0) | ~(a > 0)
    if bad.any():
        raise ValidationError(f"estimates vs actuals: estimate and actual must be numbers > 0; bad "
                              f"for {format_ids(ids[bad])}")
    if by is not None and by not in df.columns:
        raise ValidationError(f"reference-class column {by!r} not in the table; columns: "
                              f"{format_ids(df.columns, 12)}")
    df = df.copy()
    df["ratio"] = a / e
    groups: dict[str, np.ndarray] = {"all": df["ratio"].to_numpy(float)}
    if by is not None:
        for key, sub in df.groupby(df[by].astype(str), sort=False):
            groups[str(key)] = sub["ratio"].to_numpy(float)
    rows = {}
    for key, r in groups.items():
        if len(r) == 0:
            rows[key] = {"n": 0}
            continue
        lr = np.log(r)
        q = np.percentile(r, [10, 50, 80, 90])
        rows[key] = {
            "n": len(r), "mean_ratio": r.mean(), "median_ratio": q[1],
            "geometric_mean_ratio": float(np.exp(lr.mean())), "bias": q[1] - 1.0,
            "spread": float(lr.std(ddof=1)) if len(r) > 1 else 0.0,
            "p10": q[0], "p50": q[1], "p80": q[2], "p90": q[3],
            "uplift_p50": q[1] - 1.0, "uplift_p80": q[2] - 1.0,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = by or "reference_class"
    table["n"] = table["n"].astype(int)
    return Calibration(data=df, table=table, by=by)
