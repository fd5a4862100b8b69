"""Requirements: MoSCoW and Wiegers' value/cost/risk priority, traced to the WBS.

:func:`requirements` validates the list and ranks it; :func:`traceability` builds the
requirements × WBS matrix with the untraced requirements and uncovered work packages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.model.tables import split_ids, table_frame
from tpmkit.scope._common import numeric_column, row_ids, text_column
from tpmkit.scope.wbs import wbs_tree

__all__ = ["MOSCOW", "Traceability", "requirements", "traceability"]


# --------------------------------------------------------------------------- requirements
MOSCOW = ("must", "should", "could", "wont")
_MOSCOW_ALIASES = {
    "m": "must", "must": "must", "must have": "must", "must-have": "must",
    "s": "should", "should": "should", "should have": "should", "should-have": "should",
    "c": "could", "could": "could", "could have": "could", "could-have": "could",
    "w": "wont", "wont": "wont", "won't": "wont", "won't have": "wont", "wont have": "wont",
    "won’t": "wont",
}


def requirements(
    data: Any,
    *,
    weights: Mapping[str, float] | None = None,
    wbs: Iterable[str] | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Validate a requirements list and compute its priority score and rank.

    Parameters
    ----------
    data : DataFrame or list of rows
        Columns ``id`` (required), ``title``, ``description``, ``moscow`` (Must/Should/Could/
        Won't or M/S/C/W), ``value`` *or* ``benefit`` and ``penalty``, ``cost``, ``risk`` (all
        relative scores ≥ 0, typically 1–9), ``wbs`` (codes traced, separated by ``;``),
        ``source``, ``stakeholder``, ``status``.
    weights : mapping, optional
        Wiegers weights ``benefit`` (2), ``penalty`` (1), ``cost`` (1), ``risk`` (0.5).
    wbs : iterable of codes or DataFrame, optional
        The WBS (codes or a table with a ``wbs`` column; summaries derived) against which
        traced codes are checked.

    Returns
    -------
    DataFrame
        Indexed by ``id`` in input order: the input columns plus ``moscow`` (canonical
        ``must/should/could/wont``), ``value`` (benefit·w_b + penalty·w_p), ``value_share``,
        ``cost_share``, ``risk_share`` (fractions of the column totals), ``priority``
        (Wiegers score), ``score_rank`` (1 = highest priority), ``rank`` (MoSCoW bucket first,
        then priority) and ``wbs`` as a tuple of codes.

    Notes
    -----
    Wiegers (1999): priority = value% / (cost% · w_c + risk% · w_r), each % relative to the
    column total over all requirements. A requirement without cost and risk gets priority
    NaN and ranks last in its bucket.

    References
    ----------
    .. [1] K. E. Wiegers, "First Things First: Prioritizing Requirements", *Software
       Development* 7(9), 1999.
    .. [2] DSDM Consortium, *The DSDM Agile Project Framework*, 2014 (MoSCoW).

    Examples
    --------
    >>> r = requirements(pd.DataFrame({"id": ["R1", "R2"], "moscow": ["S", "M"],
    ...     "value": [8, 4], "cost": [2, 4], "risk": [1, 1]}))
    >>> r["rank"].tolist(), r["score_rank"].tolist()
    ([2, 1], [1, 2])
    """
    df = table_frame(data, "requirements")
    what = "requirements"
    if df.empty and "id" in df.columns:
        df = df.astype(object)
    ids = row_ids(df, what)
    w = {"benefit": 2.0, "penalty": 1.0, "cost": 1.0, "risk": 0.5}
    if weights:
        unknown = set(weights) - set(w)
        if unknown:
            raise ValidationError(f"unknown requirement weight(s) {format_ids(sorted(unknown))}; "
                                  "use benefit, penalty, cost, risk")
        w.update({k: float(v) for k, v in weights.items()})
    out = df.set_axis(ids, axis=0).drop(columns="id")
    raw = text_column(df, "moscow").str.lower().set_axis(ids)
    canon = raw.map(lambda s: _MOSCOW_ALIASES.get(s, "" if s == "" else None))
    bad = canon.isna()
    if bad.any():
        raise ValidationError(
            f"requirements: unknown MoSCoW value for {format_ids(ids[bad.to_numpy()])}; use "
            "Must, Should, Could or Won't (M/S/C/W)"
        )
    out["moscow"] = canon
    value = numeric_column(df, "value", what, ids, lo=0).to_numpy()
    benefit = numeric_column(df, "benefit", what, ids, lo=0).to_numpy()
    penalty = numeric_column(df, "penalty", what, ids, lo=0).to_numpy()
    derived = w["benefit"] * benefit + w["penalty"] * np.nan_to_num(penalty)
    value = np.where(np.isnan(value), derived, value)
    cost = numeric_column(df, "cost", what, ids, lo=0).to_numpy()
    risk = numeric_column(df, "risk", what, ids, lo=0).to_numpy()

    def share(x: np.ndarray) -> np.ndarray:
        total = np.nansum(x)
        return x / total if total > 0 else np.where(np.isnan(x), np.nan, 0.0)

    out["value"] = value
    out["value_share"] = share(value)
    out["cost_share"] = share(cost)
    out["risk_share"] = share(risk)
    denom = w["cost"] * np.nan_to_num(out["cost_share"]) + w["risk"] * np.nan_to_num(
        out["risk_share"])
    known = ~(np.isnan(cost) & np.isnan(risk)) & ~np.isnan(value)
    with np.errstate(divide="ignore", invalid="ignore"):
        prio = np.where(known & (denom > 0), out["value_share"] / denom, np.nan)
    prio = np.where(known & (denom == 0) & (out["value_share"] > 0), np.inf, prio)
    out["priority"] = prio
    order_score = pd.Series(-np.nan_to_num(prio, nan=-np.inf, posinf=np.inf), index=ids)
    out["score_rank"] = order_score.rank(method="first").astype(int).to_numpy() if len(ids) else []
    bucket = out["moscow"].map({"must": 0, "should": 1, "could": 2, "wont": 3, "": 4})
    key = pd.DataFrame({"b": bucket.to_numpy(), "s": order_score.to_numpy(),
                        "i": np.arange(len(ids))})
    ranked = key.sort_values(["b", "s", "i"]).index.to_numpy()
    rank = np.empty(len(ids), dtype=int)
    rank[ranked] = np.arange(1, len(ids) + 1)
    out["rank"] = rank
    traced = df["wbs"].map(split_ids).set_axis(ids) if "wbs" in df.columns else (
        pd.Series([()] * len(ids), index=ids, dtype=object))
    if wbs is not None:
        known_codes = set(wbs_tree(wbs).index)
        unknown = [i for i, codes in traced.items() if set(codes) - known_codes]
        if unknown:
            bad_codes = sorted({c for i in unknown for c in traced[i]} - known_codes)
            raise ValidationError(
                f"requirements {format_ids(unknown)} trace to unknown WBS code(s) "
                f"{format_ids(bad_codes)}; correct the codes or add them to the WBS"
            )
    out["wbs"] = traced
    return out


@dataclass(frozen=True)
class Traceability:
    """Requirements × WBS traceability (:func:`traceability`).

    Attributes
    ----------
    table : DataFrame
        Boolean matrix indexed by requirement id, one column per *leaf* WBS element (outline
        order), True where the requirement covers the element.
    untraced : list of str
        Requirements traced to nothing.
    uncovered : list of str
        Leaf elements no requirement covers.
    """

    table: pd.DataFrame
    untraced: list[str]
    uncovered: list[str]

    def _repr_html_(self) -> str:
        head = (f"<p><b>Traceability</b>: {len(self.table)} requirement(s) × "
                f"{self.table.shape[1]} leaf element(s); untraced: "
                f"{', '.join(self.untraced) or 'none'}; uncovered: "
                f"{', '.join(self.uncovered) or 'none'}.</p>")
        return head + self.table.to_html(max_rows=60)


def traceability(reqs: pd.DataFrame, wbs: Iterable[str] | pd.DataFrame) -> Traceability:
    """Requirements × WBS traceability matrix with coverage flags.

    A requirement traced to a summary element covers every element beneath it.

    Parameters
    ----------
    reqs : DataFrame
        Output of :func:`requirements` (or its input: it is validated when ``wbs`` holds
        strings rather than tuples).
    wbs : iterable of codes or DataFrame
        The WBS.

    Returns
    -------
    Traceability
        ``table``: boolean matrix indexed by requirement id, one column per *leaf* WBS
        element (outline order), True where the requirement covers the element;
        ``untraced``: requirements traced to nothing; ``uncovered``: leaf elements no
        requirement covers.

    Examples
    --------
    >>> r = requirements(pd.DataFrame({"id": ["R1", "R2"], "wbs": ["1", ""]}))
    >>> m = traceability(r, ["1.1", "1.2", "2"])
    >>> m.table.loc["R1"].tolist(), m.untraced, m.uncovered
    ([True, True, False], ['R2'], ['2'])
    """
    if "wbs" not in reqs.columns or not all(isinstance(v, tuple) for v in reqs["wbs"]):
        reqs = requirements(reqs.reset_index() if "id" not in reqs.columns else reqs, wbs=wbs)
    tree = wbs_tree(wbs)
    unknown = {c for codes in reqs["wbs"] for c in codes} - set(tree.index)
    if unknown:
        raise ValidationError(
            f"traceability: WBS code(s) {format_ids(sorted(unknown))} are not in the WBS; "
            "correct the requirement's wbs field or add the element"
        )
    leaves = list(tree.index[tree["leaf"]])
    leaf_arr = np.array(leaves, dtype=object)
    matrix = np.zeros((len(reqs), len(leaves)), dtype=bool)
    for i, codes in enumerate(reqs["wbs"]):
        for c in codes:
            matrix[i] |= (leaf_arr == c) | np.char.startswith(leaf_arr.astype(str), c + ".")
    out = pd.DataFrame(matrix, index=reqs.index, columns=pd.Index(leaves, name="wbs"))
    return Traceability(
        table=out,
        untraced=[str(i) for i, codes in zip(reqs.index, reqs["wbs"]) if not codes],
        uncovered=[c for c, hit in zip(leaves, matrix.any(axis=0)) if not hit])
