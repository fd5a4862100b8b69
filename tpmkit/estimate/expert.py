"""Expert judgement: Wideband Delphi and planning poker, with the card and T-shirt scales.

:func:`delphi` and :func:`planning_poker` summarise the rounds of an estimation session —
spread, coefficient of variation, outliers, convergence — and turn the consensus into three
points (:meth:`DelphiResult.to_tasks`). :func:`scale_to_days` converts story points
(:data:`FIBONACCI`) and T-shirt sizes (:data:`TSHIRT_DAYS`) to working days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, check_option, format_ids
from tpmkit.estimate.three_point import THREE_POINT_COLUMNS
from tpmkit.model.tables import table_frame

__all__ = ["FIBONACCI", "TSHIRT_DAYS", "DelphiResult", "delphi", "planning_poker", "scale_to_days"]


# --------------------------------------------------------------------------- scales
#: Planning-poker deck (modified Fibonacci) [story points].
FIBONACCI: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 40.0, 100.0)
#: Default T-shirt sizes in working days (override with ``mapping=``).
TSHIRT_DAYS: dict[str, float] = {"XS": 1.0, "S": 2.0, "M": 5.0, "L": 10.0, "XL": 20.0,
                                 "XXL": 40.0}


def scale_to_days(values: Any, scale: str = "days", *, days_per_point: float = 1.0,
                  mapping: Mapping[str, float] | None = None,
                  ids: Sequence[Any] | None = None) -> np.ndarray:
    """Convert estimates on a scale to working days.

    Parameters
    ----------
    values : array-like
        Estimates: numbers (``days``, ``fibonacci``/``points``) or T-shirt labels.
    scale : {"days", "points", "fibonacci", "tshirt"}
        ``points`` multiplies by ``days_per_point``; ``fibonacci`` also requires cards of
        :data:`FIBONACCI`; ``tshirt`` maps labels through ``mapping`` (default
        :data:`TSHIRT_DAYS`).
    days_per_point : float
        Working days per story point (from the team's history).
    mapping : mapping, optional
        T-shirt label → working days.
    ids : sequence, optional
        Row labels used in error messages.

    Returns
    -------
    ndarray of float [working days]

    Examples
    --------
    >>> scale_to_days(["S", "XL"], "tshirt").tolist()
    [2.0, 20.0]
    >>> scale_to_days([3, 5], "fibonacci", days_per_point=0.5).tolist()
    [1.5, 2.5]
    """
    scale = check_option(scale, ["days", "points", "fibonacci", "tshirt"], "scale")
    arr = np.atleast_1d(np.asarray(values, dtype=object))
    labels = np.asarray(ids if ids is not None else np.arange(len(arr)), dtype=object)
    if scale == "tshirt":
        table = {str(k).strip().upper(): float(v) for k, v in (mapping or TSHIRT_DAYS).items()}
        keys = np.array([str(v).strip().upper() for v in arr], dtype=object)
        bad = np.array([k not in table for k in keys], dtype=bool)
        if bad.any():
            raise ValidationError(f"unknown T-shirt size(s) {format_ids(sorted(set(keys[bad])))} "
                                  f"for {format_ids(labels[bad])}; use {', '.join(table)}")
        return np.array([table[k] for k in keys], dtype=float)
    num = pd.to_numeric(pd.Series(arr), errors="coerce").to_numpy(float)
    bad = np.isnan(num) | (num < 0)
    if bad.any():
        raise ValidationError(f"estimates must be numbers ≥ 0; bad for {format_ids(labels[bad])}")
    if scale == "fibonacci":
        off = ~np.isin(num, FIBONACCI)
        if off.any():
            raise ValidationError(f"estimate(s) {format_ids(f'{x:g}' for x in sorted(set(num[off])))} for "
                                  f"{format_ids(labels[off])} are not planning-poker cards; use "
                                  f"{', '.join(f'{c:g}' for c in FIBONACCI)}")
    if scale in ("points", "fibonacci"):
        if not days_per_point > 0:
            raise ValidationError("days_per_point must be > 0 (working days per story point)")
        return num * float(days_per_point)
    return num


# --------------------------------------------------------------------------- Delphi
@dataclass
class DelphiResult:
    """Rounds of a Wideband Delphi or planning-poker session and their consensus.

    Attributes
    ----------
    estimates : DataFrame
        The long table: ``item, round, estimator, value`` (as entered) and ``days``.
    rounds : DataFrame
        Indexed by (``item``, ``round``): ``n``, ``min``, ``q1``, ``median``, ``q3``, ``max``,
        ``mean``, ``std`` (sample), ``cv`` (std/mean), ``spread`` (max − min),
        ``relative_spread`` (spread/median), ``outliers`` (tuple of estimators outside the
        Tukey fences), ``cv_change`` (cv − previous round's cv) and ``converged`` (cv ≤
        ``cv_threshold``) [working days].
    consensus : DataFrame
        Indexed by ``item``: ``rounds``, ``converged``, ``cv``, ``optimistic``,
        ``most_likely``, ``pessimistic`` [working days] from the last round.
    method : str
        How the three points were formed (``range``, ``quantile`` or ``fit``).
    cv_threshold : float
    """

    estimates: pd.DataFrame
    rounds: pd.DataFrame
    consensus: pd.DataFrame
    method: str
    cv_threshold: float

    def to_tasks(self, tasks: pd.DataFrame | None = None) -> pd.DataFrame:
        """Three-point estimates as task rows, or merged into an existing task table.

        Parameters
        ----------
        tasks : DataFrame, optional
            A task table (``id`` column or index). Its ``optimistic``, ``most_likely`` and
            ``pessimistic`` are overwritten for the estimated items (and ``duration`` cleared
            there, so the reader derives it from the three points); other rows are kept.

        Returns
        -------
        DataFrame
            ``id, optimistic, most_likely, pessimistic`` (plus the task table's columns).
        """
        est = self.consensus[list(THREE_POINT_COLUMNS)].copy()
        est.index.name = "id"
        if tasks is None:
            return est.reset_index()
        t = tasks.copy()
        had_id = "id" in t.columns
        if had_id:
            t = t.set_index("id")
        t.index = t.index.astype(str)
        unknown = [i for i in est.index if i not in t.index]
        if unknown:
            raise ValidationError(f"estimated item(s) {format_ids(unknown)} are not tasks of the "
                                  "table; name Delphi items by task id")
        for col in THREE_POINT_COLUMNS:
            if col not in t.columns:
                t[col] = np.nan
            t[col] = t[col].astype(float)
            t.loc[est.index, col] = est[col].to_numpy()
        if "duration" in t.columns:
            t["duration"] = pd.to_numeric(t["duration"], errors="coerce").astype(float)
            t.loc[est.index, "duration"] = np.nan
        t.index.name = "id"
        return t.reset_index()

    def _repr_html_(self) -> str:
        conv = int(self.consensus["converged"].sum())
        return (f"<b>Delphi</b>: {len(self.consensus)} items, {conv} converged "
                f"(cv ≤ {self.cv_threshold:g}), three points by {self.method}"
                f"{self.consensus.to_html(float_format=lambda v: f'{v:.2f}')}")


def _long_estimates(data: Any) -> pd.DataFrame:
    df = table_frame(data, "estimation rounds")
    cols = set(df.columns)
    if not {"item", "estimate"} <= cols:
        # wide form: item, round, then one column per estimator
        base = [c for c in ("item", "round") if c in cols]
        if "item" not in cols:
            raise ValidationError("estimation rounds need an 'item' column plus 'estimator' and "
                                  "'estimate' columns (long form) or one column per estimator")
        df = df.melt(id_vars=base, var_name="estimator", value_name="estimate")
    if "round" not in df.columns:
        df["round"] = 1
    if "estimator" not in df.columns:
        df["estimator"] = [f"e{i + 1}" for i in range(len(df))]
    df = df.dropna(subset=["estimate"])
    df = df[df["estimate"].astype(str).str.strip() != ""].copy()
    df["item"] = df["item"].astype(str).str.strip()
    df["estimator"] = df["estimator"].astype(str).str.strip()
    rnd = pd.to_numeric(df["round"], errors="coerce")
    bad = rnd.isna() | (rnd < 1) | (rnd != np.floor(rnd))
    if bad.any():
        raise ValidationError(f"estimation rounds: round numbers must be integers ≥ 1 (items "
                              f"{format_ids(df.loc[bad, 'item'].unique())}); number rounds 1, 2, …")
    df["round"] = rnd.astype(int)
    dup = df.duplicated(["item", "round", "estimator"])
    if dup.any():
        keys = (df.loc[dup, "item"] + " round " + df.loc[dup, "round"].astype(str) + " by "
                + df.loc[dup, "estimator"])
        raise ValidationError(f"estimation rounds: duplicate estimates {format_ids(keys)}; keep one "
                              "estimate per item, round and estimator")
    return df.reset_index(drop=True)


def delphi(
    data: Any,
    *,
    scale: str = "days",
    days_per_point: float = 1.0,
    mapping: Mapping[str, float] | None = None,
    method: str = "range",
    cv_threshold: float = 0.15,
    fence: float = 1.5,
) -> DelphiResult:
    """Summarise Wideband Delphi rounds and form a consensus three-point estimate per item.

    Parameters
    ----------
    data : DataFrame or path
        Long form ``item, round, estimator, estimate`` (one row per estimate), or wide form
        ``item, round, <estimator 1>, <estimator 2>, …``. Items should be task ids when the
        consensus is to feed the task table. An empty table gives empty results.
    scale : {"days", "points", "fibonacci", "tshirt"}
        Unit of the estimates; converted to working days with :func:`scale_to_days`.
    days_per_point : float
        Working days per story point for ``points``/``fibonacci``.
    mapping : mapping, optional
        T-shirt label → working days (default :data:`TSHIRT_DAYS`).
    method : {"range", "quantile", "fit"}
        Three points from the last round: ``range`` min/median/max; ``quantile``
        P10/median/P90 (linear interpolation); ``fit`` matches the classic PERT mean and
        standard deviation to the round's sample (a = 3·mean − 2·median − 3·s, b = a + 6·s,
        m = median), clipped so a ≤ m ≤ b and a ≥ 0.
    cv_threshold : float
        A round has converged when its coefficient of variation is at most this.
    fence : float
        Tukey fence factor for outliers (estimates beyond Q1 − k·IQR or Q3 + k·IQR).

    Returns
    -------
    DelphiResult

    References
    ----------
    .. [1] B. W. Boehm, *Software Engineering Economics*, Prentice Hall 1981, §22.2
       (Wideband Delphi).
    .. [2] M. Cohn, *Agile Estimating and Planning*, Prentice Hall 2005, ch. 6 (planning poker).
    .. [3] J. W. Tukey, *Exploratory Data Analysis*, Addison-Wesley 1977 (fences).

    Examples
    --------
    >>> rounds = pd.DataFrame({"item": ["A"] * 6, "round": [1, 1, 1, 2, 2, 2],
    ...     "estimator": ["ann", "bob", "cy"] * 2, "estimate": [3, 8, 20, 5, 6, 8]})
    >>> res = delphi(rounds)
    >>> res.rounds["converged"].tolist(), res.to_tasks().values.tolist()
    ([False, False], [['A', 5.0, 6.0, 8.0]])
    """
    method = check_option(method, ["range", "quantile", "fit"], "method")
    df = _long_estimates(data)
    labels = (df["item"] + " by " + df["estimator"]).to_numpy()
    df["days"] = scale_to_days(df["estimate"].to_numpy(), scale, days_per_point=days_per_point,
                               mapping=mapping, ids=labels)
    df = df.rename(columns={"estimate": "value"})
    g = df.groupby(["item", "round"], sort=False)["days"]
    r = pd.DataFrame({
        "n": g.size(), "min": g.min(), "q1": g.quantile(0.25), "median": g.median(),
        "q3": g.quantile(0.75), "max": g.max(), "mean": g.mean(), "std": g.std(ddof=1),
    })
    r["std"] = r["std"].fillna(0.0)
    r = r.sort_index(level=["item", "round"], sort_remaining=False)
    position = {item: k for k, item in enumerate(pd.unique(df["item"]))}
    r = r.reindex(pd.MultiIndex.from_tuples(
        sorted(r.index, key=lambda k: (position[k[0]], k[1])), names=["item", "round"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        r["cv"] = np.where(r["mean"] > 0, r["std"] / r["mean"], 0.0)
        r["spread"] = r["max"] - r["min"]
        r["relative_spread"] = np.where(r["median"] > 0, r["spread"] / r["median"], 0.0)
    iqr = r["q3"] - r["q1"]
    lo = (r["q1"] - fence * iqr).rename("lo")
    hi = (r["q3"] + fence * iqr).rename("hi")
    j = df.join(lo, on=["item", "round"]).join(hi, on=["item", "round"])
    out_mask = (j["days"] < j["lo"]) | (j["days"] > j["hi"])
    outl = j[out_mask].groupby(["item", "round"])["estimator"].agg(tuple)
    r["outliers"] = [x if isinstance(x, tuple) else () for x in outl.reindex(r.index)]
    r["cv_change"] = r.groupby(level="item")["cv"].diff()
    r["converged"] = r["cv"] <= cv_threshold
    if len(r):
        last = r.groupby(level="item", sort=False).tail(1).reset_index(level="round")
    else:
        last = r.reset_index(level="round")
    cons = pd.DataFrame({"rounds": last["round"].astype(int), "converged": last["converged"],
                         "cv": last["cv"]}, index=last.index)
    cons.index.name = "item"
    if method == "range":
        o, m, p = last["min"], last["median"], last["max"]
    else:
        final = df.merge(last[["round"]].reset_index(), on=["item", "round"])
        fg = final.groupby("item", sort=False)["days"]
        if method == "quantile":
            o, m, p = fg.quantile(0.10), fg.median(), fg.quantile(0.90)
        else:
            mean, s, med = fg.mean(), fg.std(ddof=1).fillna(0.0), fg.median()
            a = (3 * mean - 2 * med - 3 * s).clip(lower=0.0)
            a = np.minimum(a, med)
            b = np.maximum(a + 6 * s, med)
            o, m, p = a, med, b
    cons["optimistic"] = np.asarray(o.reindex(cons.index), dtype=float)
    cons["most_likely"] = np.asarray(m.reindex(cons.index), dtype=float)
    cons["pessimistic"] = np.asarray(p.reindex(cons.index), dtype=float)
    return DelphiResult(estimates=df, rounds=r, consensus=cons, method=method,
                        cv_threshold=float(cv_threshold))


def planning_poker(
    data: Any,
    *,
    days_per_point: float = 1.0,
    deck: str = "fibonacci",
    mapping: Mapping[str, float] | None = None,
    cv_threshold: float = 0.15,
    method: str = "range",
) -> DelphiResult:
    """Planning-poker rounds: Delphi statistics on a card deck, consensus snapped to a card.

    Parameters
    ----------
    data : DataFrame or path
        As for :func:`delphi`; estimates are cards of the deck.
    days_per_point : float
        Working days per story point (``fibonacci`` deck).
    deck : {"fibonacci", "tshirt"}
        :data:`FIBONACCI` story points or T-shirt sizes (``mapping`` → working days).
    mapping : mapping, optional
        T-shirt label → working days.
    cv_threshold, method
        As for :func:`delphi`.

    Returns
    -------
    DelphiResult
        As :func:`delphi`; ``consensus`` also holds ``card`` (for the Fibonacci deck: the
        smallest card ≥ the last round's median, in points; for T-shirts: the label whose days
        are closest to the median).

    References
    ----------
    .. [1] M. Cohn, *Agile Estimating and Planning*, Prentice Hall 2005, ch. 6.

    Examples
    --------
    >>> rounds = pd.DataFrame({"item": ["A"] * 3, "estimator": ["x", "y", "z"],
    ...                        "estimate": [3, 5, 5]})
    >>> planning_poker(rounds, days_per_point=2).consensus[["card", "most_likely"]].values.tolist()
    [[5.0, 10.0]]
    """
    deck = check_option(deck, ["fibonacci", "tshirt"], "deck")
    res = delphi(data, scale=deck, days_per_point=days_per_point, mapping=mapping,
                 cv_threshold=cv_threshold, method=method)
    med = res.consensus["most_likely"].to_numpy(float)
    if deck == "fibonacci":
        cards = np.asarray(FIBONACCI)
        points = med / float(days_per_point)
        idx = np.searchsorted(cards, points - 1e-9, side="left").clip(max=len(cards) - 1)
        res.consensus["card"] = cards[idx]
    else:
        table = {str(k).upper(): float(v) for k, v in (mapping or TSHIRT_DAYS).items()}
        names = np.array(list(table), dtype=object)
        days = np.array(list(table.values()))
        res.consensus["card"] = names[np.abs(days[None, :] - med[:, None]).argmin(axis=1)] if len(
            med) else []
    return res
