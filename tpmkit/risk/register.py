"""Risk register: validation, P×I scoring, heat map, expected monetary value and ranking.

One schema serves the PM's register and the Monte Carlo engine: :func:`normalize_register`
turns the rows a user types (CSV, an Excel sheet ``risks``, the ``risks`` key of a YAML/JSON
project, a DataFrame) into one canonical row per risk, and the simulation
(:func:`tpmkit.risk.simulate`) consumes exactly those columns — ``mitigated=True`` uses the
``post_*`` ones.

Input columns (all but ``id`` and ``probability`` optional): ``id, description, owner,
category, type`` (threat | opportunity), ``probability`` (0–1 or 0–100 %), ``tasks`` (ids
separated by ``;`` or ``,``), ``impact_days``, ``impact_percent`` (percent of each affected
task's duration: ``20`` = 20 %), ``impact_cost`` (one number or three points ``o,m,p`` as a
list or ``"2,5,10"``), ``probability_score``, ``impact_score`` (1–5), ``response`` (avoid,
mitigate, transfer, accept, exploit, enhance, share, escalate), ``post_probability``,
``post_impact_days``, ``post_impact_percent``, ``post_impact_cost``, ``status``,
``window_end`` (the last date the risk can occur; with a status date after it the risk no
longer fires, :func:`open_risks`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import DataError, ValidationError, format_ids
from tpmkit.model.tables import split_ids, table_frame
from tpmkit.pert import moments

__all__ = [
    "DEFAULT_BANDS",
    "REGISTER_COLUMNS",
    "RESPONSES",
    "RISK_TYPES",
    "SCORE_LEVELS",
    "exposure",
    "heat_map",
    "normalize_register",
    "open_risks",
    "read_register",
    "score_level",
    "unscored",
]

RESPONSES = ("avoid", "mitigate", "transfer", "accept", "exploit", "enhance", "share", "escalate")
RISK_TYPES = ("threat", "opportunity")
#: Upper bounds of scores 1–4 (score 5 above the last): a value v gets score 1 + #{cut < v}.
DEFAULT_BANDS: dict[str, tuple[float, float, float, float]] = {
    "probability": (0.10, 0.30, 0.50, 0.70),   # PMBOK-style very low … very high
    "days": (1.0, 5.0, 10.0, 20.0),            # working days of delay
    "percent": (5.0, 10.0, 20.0, 40.0),        # percent of the affected task's duration
    "cost": (1_000.0, 5_000.0, 20_000.0, 50_000.0),  # currency
}
#: Risk level of a score (probability score × impact score, 1…25): each level with the lowest
#: score it starts at, highest level first (the usual 5×5 matrix zones).
SCORE_LEVELS: tuple[tuple[str, int], ...] = (("high", 15), ("medium", 5), ("low", 1))
#: Canonical columns returned by :func:`normalize_register` (the index is ``id``).
REGISTER_COLUMNS = (
    "description", "owner", "category", "type", "probability", "tasks", "impact_unit",
    "impact_min", "impact_likely", "impact_max", "cost_min", "cost_likely", "cost_max",
    "probability_score", "impact_score", "score", "response", "post_probability",
    "post_impact_min", "post_impact_likely", "post_impact_max", "post_cost_min",
    "post_cost_likely", "post_cost_max", "emv_days", "emv_cost", "rank",
)
_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and np.isnan(v):
        return True
    return isinstance(v, str) and v.strip() == ""


def _points(v: Any, rid: str, col: str) -> tuple[float, float, float] | None:
    """One number or three points o,m,p → (o, m, p); blank → None."""
    if _blank(v):
        return None
    if isinstance(v, list | tuple | np.ndarray):
        parts = [str(x).strip() for x in v]
    else:
        parts = [p.strip() for p in re.split(r"[;,]", str(v).strip().strip("[]()"))]
    parts = [p.rstrip("%").strip() for p in parts if p != ""]
    if len(parts) not in (1, 3) or not all(_NUM.match(p) for p in parts):
        raise ValidationError(
            f"risk {rid}: {col} {v!r} is not one number or three numbers o,m,p; write e.g. 5 or "
            "'2,5,10'"
        )
    x = [float(p) for p in parts]
    o, m, p = (x[0], x[0], x[0]) if len(x) == 1 else (x[0], x[1], x[2])
    if not (o <= m <= p):
        raise ValidationError(
            f"risk {rid}: {col} {o:g},{m:g},{p:g} is not ordered o ≤ m ≤ p; list the "
            "optimistic, most likely and pessimistic values in that order"
        )
    return o, m, p


def _signed(pts: tuple[float, float, float] | None, rid: str, col: str,
            opportunity: bool) -> tuple[float, float, float]:
    """Sign convention: threats ≥ 0, opportunities ≤ 0 (magnitudes may be typed positive)."""
    if pts is None:
        return (np.nan, np.nan, np.nan)
    o, m, p = pts
    if opportunity:
        if p <= 0:  # typed already negative: keep
            return o, m, p
        if o < 0:
            raise ValidationError(f"risk {rid}: {col} mixes signs; give an opportunity's impact as "
                                  "positive magnitudes (savings)")
        return -p, -m, -o
    if o < 0:
        raise ValidationError(f"risk {rid}: threat with negative {col}; enter the extra days/cost "
                              "as positive numbers, or set type = opportunity")
    return o, m, p


def _probabilities(df: pd.DataFrame, col: str, ids: pd.Index, required: bool) -> np.ndarray:
    if col not in df.columns:
        if required:
            raise ValidationError("risk register lacks a 'probability' column; add the chance "
                                  "of each risk (0–1 or percent)")
        return np.full(len(df), np.nan)
    raw = df[col].astype(object)
    text = raw.where(raw.notna(), "").astype(str).str.strip()
    is_pct = text.str.endswith("%").to_numpy()
    num = pd.to_numeric(text.str.rstrip("%").str.strip(), errors="coerce").to_numpy(float)
    bad = np.isnan(num) & (text != "").to_numpy()
    if bad.any():
        raise ValidationError(f"risk register: {col} is not a number for {format_ids(ids[bad])}; "
                              "enter 0–1 or a percentage such as 30%")
    missing = np.isnan(num)
    if required and missing.any():
        raise ValidationError(f"risk register: no probability for {format_ids(ids[missing])}; "
                              "enter the chance that each risk occurs")
    plain = ~is_pct & ~missing
    over = plain & (num > 1)
    frac = plain & (num > 0) & (num < 1)
    if over.any() and frac.any():
        raise ValidationError(
            f"risk register: {col} mixes fractions ({format_ids(ids[frac])}) and percentages "
            f"({format_ids(ids[over])}); use 0–1 throughout or add % signs"
        )
    scale = np.where(is_pct | (plain & over.any()), 0.01, 1.0)
    p = num * scale
    out = ~missing & ((p < 0) | (p > 1))
    if out.any():
        raise ValidationError(f"risk register: {col} outside [0, 1] (0–100 %) for "
                              f"{format_ids(ids[out])}; enter a chance between 0 and 1")
    return p


def _scores(df: pd.DataFrame, col: str, ids: pd.Index) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), np.nan)
    raw = df[col]
    s = pd.to_numeric(raw, errors="coerce").to_numpy(float)
    given = raw.notna().to_numpy() & (raw.astype(str).str.strip() != "").to_numpy()
    bad = given & (np.isnan(s) | (s < 1) | (s > 5) | (s != np.round(s)))
    if bad.any():
        raise ValidationError(f"risk register: {col} must be an integer 1–5; bad for "
                              f"{format_ids(ids[bad])}")
    return s


def _band(values: np.ndarray, cuts: Iterable[float]) -> np.ndarray:
    cuts = np.asarray(tuple(cuts), dtype=float)
    if cuts.shape != (4,) or np.any(np.diff(cuts) <= 0):
        raise ValidationError(f"score bands must be four increasing cut points, got {cuts.tolist()}")
    s = np.searchsorted(cuts, np.abs(values), side="left") + 1.0
    return np.where(np.isnan(values), np.nan, s)


def _pert_mean(lo: np.ndarray, ml: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return moments(lo, ml, hi)[0]


def normalize_register(
    df: Any,
    task_ids: Iterable[str] | None = None,
    *,
    bands: Mapping[str, Iterable[float]] | None = None,
    durations: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """Validate a risk register and return one canonical row per risk.

    Parameters
    ----------
    df : DataFrame or list of rows
        Register rows (see the module docstring for the columns).
    task_ids : iterable of str, optional
        Task ids of the project; a risk naming another task raises.
    bands : mapping, optional
        Overrides of :data:`DEFAULT_BANDS` (keys ``probability``, ``days``, ``percent``,
        ``cost``; four increasing cut points each) used to derive 1–5 scores that are not
        given.
    durations : mapping or Series, optional
        Task durations [working days]; lets ``emv_days`` count percent impacts (mean percent
        × the summed duration of the affected tasks).

    Returns
    -------
    DataFrame
        Indexed by ``id`` in input order with :data:`REGISTER_COLUMNS`: ``impact_unit`` is
        ``'days'``, ``'percent'`` or ``''``; ``impact_*`` and ``cost_*`` are signed three
        points (opportunities negative, min ≤ likely ≤ max); ``post_*`` equal the pre-response
        figures when none are given; absent impacts are 0 (``impact_unit`` ``''`` marks a risk
        without schedule impact); ``score`` = probability_score × impact_score;
        ``emv_days`` and ``emv_cost`` = probability × PERT mean impact ((min + 4·likely +
        max)/6); ``rank`` 1 = highest score (ties: larger ``|emv_cost|``, then ``|emv_days|``, then
        input order). Extra columns: ``post_probability_score``, ``post_impact_score``,
        ``post_score``, ``post_emv_days``, ``post_emv_cost``, ``status`` (default ``open``).

    Raises
    ------
    ValidationError
        Duplicate or blank ids, probability outside [0, 1], unknown task, three points not
        ordered, unknown response or type, both ``impact_days`` and ``impact_percent`` (or
        post figures in the other unit), a threat with a negative impact, scores outside 1–5.
        The message names the risk ids and the fix.

    Notes
    -----
    A derived impact score is the larger of the schedule and cost scores of the PERT mean
    impact magnitude.

    References
    ----------
    .. [1] PMI, *PMBOK Guide*, 6th ed., §11.3 (probability and impact matrix) and §11.4.2.5
       (expected monetary value).
    .. [2] D. Hillson, *Effective Opportunity Management for Projects: Exploiting Positive
       Risk*, Marcel Dekker 2004 (threats and opportunities in one register).

    Examples
    --------
    >>> reg = normalize_register(pd.DataFrame({
    ...     "id": ["R1", "R2"], "probability": ["30%", "20%"], "tasks": ["A", "B"],
    ...     "impact_days": ["2,5,11", "4"], "type": ["threat", "opportunity"]}))
    >>> reg[["impact_min", "impact_max", "emv_days", "rank"]].values.tolist()
    [[2.0, 11.0, 1.65, 1.0], [-4.0, -4.0, -0.8, 2.0]]
    """
    df = table_frame(df, "risk register")
    if "id" not in df.columns:
        raise ValidationError("risk register lacks an 'id' column; give every risk an id (R1, …)")
    ids = _register_ids(df)
    if "probability" not in df.columns and len(df) == 0:
        df["probability"] = pd.Series(dtype=float)
    cut = {**DEFAULT_BANDS, **({k: tuple(v) for k, v in bands.items()} if bands else {})}
    unknown_bands = set(cut) - set(DEFAULT_BANDS)
    if unknown_bands:
        raise ValidationError(f"unknown score band(s) {format_ids(sorted(unknown_bands))}; use "
                              "probability, days, percent, cost")
    kind, opp, response = _kind_and_response(df, ids)
    prob = _probabilities(df, "probability", ids, required=True)
    post_prob = _probabilities(df, "post_probability", ids, required=False)
    post_prob = np.where(np.isnan(post_prob), prob, post_prob)
    tasks = _register_tasks(df, ids, task_ids)
    unit, imp, cost, post_imp, post_cost = _impacts(df, ids, opp)
    needs_task = (unit == "percent") & np.array([len(t) == 0 for t in tasks], dtype=bool)
    if needs_task.any():
        raise ValidationError(f"risk register: percent impact without tasks for "
                                  f"{format_ids(ids[needs_task])}; name the affected tasks")
    dur = pd.Series(durations, dtype=float) if durations is not None else None
    n = len(df)

    ps_given = _scores(df, "probability_score", ids)
    is_given = _scores(df, "impact_score", ids)
    p_score = np.where(np.isnan(ps_given), _band(prob, cut["probability"]), ps_given)
    i_derived = _impact_score(imp, cost, unit, cut)
    i_score = np.where(np.isnan(is_given), i_derived, is_given)
    post_p_score = _band(post_prob, cut["probability"])
    post_i_derived = _impact_score(post_imp, post_cost, unit, cut)
    same_impact = np.all((post_imp == imp) | (np.isnan(post_imp) & np.isnan(imp)), axis=1) & np.all(
        (post_cost == cost) | (np.isnan(post_cost) & np.isnan(cost)), axis=1)
    post_i_score = np.where(same_impact, i_score, post_i_derived)

    out = pd.DataFrame(index=ids)
    for col in ("description", "owner", "category"):
        out[col] = _text(df, col).to_numpy()
    out["type"] = kind.to_numpy()
    out["probability"] = prob
    out["tasks"] = pd.Series(tasks, index=ids, dtype=object)
    out["impact_unit"] = unit
    out["impact_min"], out["impact_likely"], out["impact_max"] = np.nan_to_num(imp).T
    out["cost_min"], out["cost_likely"], out["cost_max"] = np.nan_to_num(cost).T
    out["probability_score"] = p_score
    out["impact_score"] = i_score
    out["score"] = p_score * i_score
    out["response"] = response.to_numpy()
    out["post_probability"] = post_prob
    out["post_impact_min"], out["post_impact_likely"], out["post_impact_max"] = np.nan_to_num(post_imp).T
    out["post_cost_min"], out["post_cost_likely"], out["post_cost_max"] = np.nan_to_num(post_cost).T
    out["emv_days"] = _emv_days(prob, imp, unit, dur, tasks)
    out["emv_cost"] = _emv_cost(prob, cost)
    out["rank"] = _rank(out, n)
    out["post_probability_score"] = post_p_score
    out["post_impact_score"] = post_i_score
    out["post_score"] = post_p_score * post_i_score
    out["post_emv_days"] = _emv_days(post_prob, post_imp, unit, dur, tasks)
    out["post_emv_cost"] = _emv_cost(post_prob, post_cost)
    out["status"] = _text(df, "status", "open").str.lower().to_numpy()
    out["window_end"] = _window_end(df, ids)
    return out


def _window_end(df: pd.DataFrame, ids: pd.Index) -> np.ndarray:
    """The ``window_end`` dates (NaT where blank); an unreadable date raises."""
    if "window_end" not in df.columns:
        return np.full(len(ids), np.datetime64("NaT"), "datetime64[ns]")
    raw = df["window_end"]
    blank = raw.map(_blank).to_numpy(dtype=bool)
    days = pd.to_datetime(raw.where(~blank), errors="coerce", format="mixed")
    bad = ~blank & days.isna().to_numpy()
    if bad.any():
        raise ValidationError(f"risk register: unreadable window_end for risk(s) "
                              f"{format_ids(ids[bad])}; give a date (YYYY-MM-DD)")
    return days.dt.normalize().to_numpy()


def open_risks(reg: pd.DataFrame | None, status: np.ndarray, task_index: pd.Index,
               status_date: pd.Timestamp) -> pd.DataFrame | None:
    """The risks that can still fire at the status date.

    A risk is over when its ``window_end`` lies before the status date or when every task
    it names is complete (``status`` codes of :mod:`tpmkit.model.progress`, 2 = complete);
    risks that name no task (a delay of the finish) stay open until their window ends.
    """
    if reg is None or len(reg) == 0:
        return reg
    sd = np.datetime64(status_date.date(), "ns")
    ends = (reg["window_end"].to_numpy(dtype="datetime64[ns]") if "window_end" in reg
            else np.full(len(reg), np.datetime64("NaT"), "datetime64[ns]"))
    passed = ~np.isnat(ends) & (ends < sd)
    done = np.array([len(ts or ()) > 0 and bool(np.all(
        status[task_index.get_indexer([str(t) for t in ts])] == 2)) for ts in reg["tasks"]],
        dtype=bool)
    return reg[~(passed | done)]


def _register_ids(df: pd.DataFrame) -> pd.Index:
    """The risk ids, checked: none blank, none repeated."""
    raw_ids = df["id"].astype("string").str.strip()
    blank = raw_ids.isna() | (raw_ids == "")
    if blank.any():
        rows = [str(i + 2) for i in np.flatnonzero(blank.to_numpy())]
        raise ValidationError(f"risk register: blank id in row(s) {format_ids(rows)} (header = "
                              "row 1); give every risk an id")
    ids = pd.Index(raw_ids.astype(str).to_numpy(), name="id")
    dup = ids[ids.duplicated()].unique()
    if len(dup):
        raise ValidationError(f"risk register: duplicate risk id(s) {format_ids(dup)}; make each "
                              "id unique")
    return ids


def _text(df: pd.DataFrame, col: str, default: str = "") -> pd.Series:
    """A text column stripped, blanks (and a missing column) as ``default``."""
    if col not in df.columns:
        return pd.Series(default, index=df.index, dtype=object)
    s = df[col].astype(object).where(df[col].notna(), "").astype(str).str.strip()
    return s.where(s != "", default)


def _kind_and_response(df: pd.DataFrame, ids: pd.Index) -> tuple[pd.Series, np.ndarray, pd.Series]:
    """Risk type (threat/opportunity), the opportunity mask and the response, checked."""
    kind = _text(df, "type", "threat").str.lower()
    bad = ~kind.isin(RISK_TYPES)
    if bad.any():
        raise ValidationError(f"risk register: unknown type for {format_ids(ids[bad.to_numpy()])}; "
                              "use threat or opportunity")
    opp = (kind == "opportunity").to_numpy()
    response = _text(df, "response").str.lower()
    bad = (response != "") & ~response.isin(RESPONSES)
    if bad.any():
        raise ValidationError(f"risk register: unknown response for "
                              f"{format_ids(ids[bad.to_numpy()])}; use one of {', '.join(RESPONSES)}")

    return kind, opp, response


def _register_tasks(df: pd.DataFrame, ids: pd.Index,
                    task_ids: Iterable[str] | None) -> list[tuple[str, ...]]:
    """The tasks each risk affects, checked against ``task_ids`` when given."""
    tasks = [split_ids(v) if not _blank(v) else () for v in (
        df["tasks"] if "tasks" in df.columns else [None] * len(df))]
    if task_ids is not None:
        known = {str(t) for t in task_ids}
        bad_rows = [rid for rid, t in zip(ids, tasks) if set(t) - known]
        if bad_rows:
            missing = sorted({x for t in tasks for x in t} - known)
            raise ValidationError(f"risk register: risk(s) {format_ids(bad_rows)} name unknown "
                                  f"task(s) {format_ids(missing)}; use ids from the task table")

    return tasks


def _impacts(df: pd.DataFrame, ids: pd.Index, opp: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Schedule impact unit and the three-point schedule and cost impacts before and after the
    response, each signed for its risk type by :func:`_signed`."""
    columns = {col: (list(df[col]) if col in df.columns else [None] * len(df)) for col in (
        "impact_days", "impact_percent", "impact_cost", "post_impact_days", "post_impact_percent",
        "post_impact_cost")}
    n = len(df)
    unit = np.full(n, "", dtype=object)
    imp = np.full((n, 3), np.nan)
    cost = np.full((n, 3), np.nan)
    post_imp = np.full((n, 3), np.nan)
    post_cost = np.full((n, 3), np.nan)
    for i, rid in enumerate(ids):
        days = _points(columns["impact_days"][i], rid, "impact_days")
        pct = _points(columns["impact_percent"][i], rid, "impact_percent")
        if days is not None and pct is not None:
            raise ValidationError(f"risk {rid}: both impact_days and impact_percent given; keep "
                                  "one schedule impact per risk")
        if days is not None or pct is not None:
            unit[i] = "days" if days is not None else "percent"
        imp[i] = _signed(days if days is not None else pct, rid, "impact", opp[i])
        cost[i] = _signed(_points(columns["impact_cost"][i], rid, "impact_cost"), rid,
                          "impact_cost", opp[i])
        pdays = _points(columns["post_impact_days"][i], rid, "post_impact_days")
        ppct = _points(columns["post_impact_percent"][i], rid, "post_impact_percent")
        if pdays is not None and ppct is not None:
            raise ValidationError(f"risk {rid}: both post_impact_days and post_impact_percent "
                                  "given; keep one")
        post_unit = "days" if pdays is not None else ("percent" if ppct is not None else "")
        if post_unit and post_unit != unit[i]:
            raise ValidationError(
                f"risk {rid}: post-response schedule impact is in {post_unit} but the "
                f"pre-response impact is in {unit[i] or 'nothing'}; give both in the same unit"
            )
        post_imp[i] = _signed(pdays if pdays is not None else ppct, rid, "post impact",
                              opp[i]) if post_unit else imp[i]
        pc = _points(columns["post_impact_cost"][i], rid, "post_impact_cost")
        post_cost[i] = _signed(pc, rid, "post_impact_cost", opp[i]) if pc is not None else cost[i]

    return unit, imp, cost, post_imp, post_cost


def _emv_days(p: np.ndarray, pts: np.ndarray, unit: np.ndarray, dur: pd.Series | None,
              tasks: list[tuple[str, ...]]) -> np.ndarray:
    """Expected schedule impact [working days]: probability × PERT mean (percent of the tasks'
    durations when the impact is in percent and durations are known)."""
    mean = _pert_mean(pts[:, 0], pts[:, 1], pts[:, 2])
    out = np.where(unit == "days", p * mean, np.nan)
    out = np.where(unit == "", 0.0, out)
    if dur is not None:
        span = np.array([float(dur.reindex(list(t)).fillna(0.0).sum()) for t in tasks])
        out = np.where(unit == "percent", p * mean / 100.0 * span, out)
    return out


def _emv_cost(p: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Expected cost impact [currency]: probability × PERT mean."""
    return np.nan_to_num(p * _pert_mean(pts[:, 0], pts[:, 1], pts[:, 2]), nan=0.0)


def _impact_score(pts: np.ndarray, cpts: np.ndarray, unit: np.ndarray,
                  cut: dict[str, tuple]) -> np.ndarray:
    """Impact score: the higher band of the schedule and the cost impact."""
    mean = np.abs(_pert_mean(pts[:, 0], pts[:, 1], pts[:, 2]))
    sched = np.full(len(unit), np.nan)
    for u in ("days", "percent"):
        sel = unit == u
        sched[sel] = _band(mean[sel], cut[u])
    money = _band(np.abs(_pert_mean(cpts[:, 0], cpts[:, 1], cpts[:, 2])), cut["cost"])
    return np.fmax(sched, money)


def _rank(out: pd.DataFrame, n: int) -> np.ndarray:
    """Rank 1 = highest score, ties by |EMV cost|, then |EMV days|, then input order."""
    key = pd.DataFrame({"s": -np.nan_to_num(out["score"].to_numpy(float), nan=-1.0),
                        "c": -np.abs(out["emv_cost"].to_numpy(float)),
                        "d": -np.nan_to_num(np.abs(out["emv_days"].to_numpy(float))),
                        "i": np.arange(n)})
    order = key.sort_values(["s", "c", "d", "i"]).index.to_numpy()
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(1, n + 1)
    return rank


def read_register(source: Any, task_ids: Iterable[str] | None = None, **options: Any
                  ) -> pd.DataFrame:
    """Normalise the register of a Project, a DataFrame or a list of rows.

    Parameters
    ----------
    source : Project, DataFrame or list of rows
        A :class:`~tpmkit.model.Project` (its ``risks`` table, checked against its task ids
        and durations), or the register rows. A register *file* (CSV, XLSX sheet ``risks``,
        YAML/JSON key ``risks``) is read by :func:`tpmkit.artefacts.read_register`.
    task_ids : iterable of str, optional
        Known task ids (taken from the Project when one is given).
    **options
        ``bands``, ``durations`` as in :func:`normalize_register`.

    Returns
    -------
    DataFrame
        As :func:`normalize_register`; empty (with all columns) for a Project without risks.

    Examples
    --------
    >>> read_register(pd.DataFrame({"id": ["R1"], "probability": [0.5]}))["score"].tolist()
    [nan]
    """
    if hasattr(source, "tasks") and hasattr(source, "risks"):
        risks = source.risks
        if task_ids is None:
            task_ids = list(source.tasks.index)
        options.setdefault("durations", source.tasks["duration"])
        if risks is None:
            risks = pd.DataFrame({"id": pd.Series(dtype=str),
                                  "probability": pd.Series(dtype=float)})
        return normalize_register(risks, task_ids, **options)
    if isinstance(source, str | os.PathLike):
        raise DataError(f"read_register takes a Project or register rows, not the file "
                        f"{str(source)!r}; read files with tpmkit.artefacts.read_register(path)")
    return normalize_register(source, task_ids, **options)


def heat_map(register: pd.DataFrame, *, post: bool = False) -> pd.DataFrame:
    """5×5 probability × impact counts of a normalised register.

    Parameters
    ----------
    register : DataFrame
        Output of :func:`normalize_register`.
    post : bool
        Count post-response scores instead.

    Returns
    -------
    DataFrame
        Index ``probability_score`` 5…1 (top row = most likely), columns ``impact_score``
        1…5; risks without a score are not counted (:func:`unscored` lists them).

    Examples
    --------
    >>> reg = normalize_register(pd.DataFrame({"id": ["R1"], "probability": [0.6],
    ...                                        "impact_score": [5]}))
    >>> int(heat_map(reg).loc[4, 5])
    1
    """
    p, i = _score_columns(register, post)
    ok = ~(np.isnan(p) | np.isnan(i))
    counts = np.zeros((5, 5), dtype=int)
    np.add.at(counts, (5 - p[ok].astype(int), i[ok].astype(int) - 1), 1)
    return pd.DataFrame(counts, index=pd.Index(range(5, 0, -1), name="probability_score"),
                        columns=pd.Index(range(1, 6), name="impact_score"))


def score_level(score: float) -> str:
    """The :data:`SCORE_LEVELS` name of a probability × impact score.

    Examples
    --------
    >>> score_level(16), score_level(12), score_level(4)
    ('high', 'medium', 'low')
    """
    for name, lowest in SCORE_LEVELS:
        if score >= lowest:
            return name
    return SCORE_LEVELS[-1][0]


def unscored(register: pd.DataFrame, *, post: bool = False) -> list[str]:
    """Ids of the risks without a probability or impact score (left out of :func:`heat_map`).

    Examples
    --------
    >>> reg = normalize_register(pd.DataFrame({"id": ["R1", "R2"], "probability": [0.6, 0.2],
    ...                                        "impact_score": [5, None]}))
    >>> unscored(reg)
    ['R2']
    """
    p, i = _score_columns(register, post)
    return [str(x) for x in register.index[np.isnan(p) | np.isnan(i)]]


def _score_columns(register: pd.DataFrame, post: bool) -> tuple[np.ndarray, np.ndarray]:
    return (register["post_probability_score" if post else "probability_score"].to_numpy(float),
            register["post_impact_score" if post else "impact_score"].to_numpy(float))


def exposure(register: pd.DataFrame, by: str = "category") -> pd.DataFrame:
    """Risk exposure per group: counts and expected values before and after response.

    Parameters
    ----------
    register : DataFrame
        Output of :func:`normalize_register`.
    by : str
        Grouping column (``category``, ``owner``, ``response``, ``type``, ``status``).

    Returns
    -------
    DataFrame
        Indexed by group: ``count``, ``emv_days``, ``post_emv_days`` [working days],
        ``emv_cost``, ``post_emv_cost`` [currency], ``max_score``; plus a ``total`` row.

    Examples
    --------
    >>> reg = normalize_register(pd.DataFrame({"id": ["R1", "R2"], "probability": [0.5, 0.2],
    ...     "impact_cost": [1000, 500], "category": ["tech", "tech"]}))
    >>> float(exposure(reg).loc["tech", "emv_cost"])
    600.0
    """
    if by not in register.columns:
        raise ValidationError(f"cannot group the register by {by!r}; use one of "
                              "category, owner, response, type, status")
    cols = ["emv_days", "post_emv_days", "emv_cost", "post_emv_cost"]
    key = register[by].replace("", "(none)")
    g = register.groupby(key, sort=True)
    out = g[cols].sum(min_count=1)
    out.insert(0, "count", g.size())
    out["max_score"] = g["score"].max()
    total = register[cols].sum(min_count=1).to_frame().T
    total.insert(0, "count", len(register))
    total["max_score"] = register["score"].max()
    total.index = ["total"]
    return pd.concat([out, total])
