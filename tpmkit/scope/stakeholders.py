"""Stakeholders and RACI: power/interest grid, salience, engagement gap; RACI checks.

:func:`stakeholders` places each stakeholder on the power/interest grid, gives the
Mitchell–Agle–Wood salience class and the gap between current and desired engagement;
:func:`raci` checks exactly one A and at least one R per row and flags overloaded roles
and rows nobody is consulted on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.model.tables import table_frame
from tpmkit.scope._common import numeric_column, row_ids, text_column

__all__ = ["ENGAGEMENT_LEVELS", "RaciResult", "raci", "stakeholders"]


# --------------------------------------------------------------------------- stakeholders
ENGAGEMENT_LEVELS = ("unaware", "resistant", "neutral", "supportive", "leading")
_SALIENCE = {
    (False, False, False): "non_stakeholder",
    (True, False, False): "dormant",
    (False, True, False): "discretionary",
    (False, False, True): "demanding",
    (True, True, False): "dominant",
    (True, False, True): "dangerous",
    (False, True, True): "dependent",
    (True, True, True): "definitive",
}


def _flag_or_score(df: pd.DataFrame, col: str, ids: pd.Index, threshold: float,
                   scale: tuple[float, float]) -> np.ndarray:
    """Salience attribute as bool: yes/no/true/false text or a score ≥ threshold."""
    if col not in df.columns:
        return np.zeros(len(df), dtype=bool)
    text = text_column(df, col).str.lower()
    yes = text.isin(["yes", "y", "true", "x"]).to_numpy()
    no = text.isin(["no", "n", "false", ""]).to_numpy()
    rest = ~(yes | no)
    score = numeric_column(df.loc[rest], col, "stakeholders", ids[rest], *scale).to_numpy()
    out = yes.copy()
    out[rest] = score >= threshold
    return out


def stakeholders(
    data: Any,
    *,
    threshold: float = 3.0,
    scale: tuple[float, float] = (1.0, 5.0),
) -> pd.DataFrame:
    """Classify a stakeholder register: power/interest grid, salience and engagement gap.

    Parameters
    ----------
    data : DataFrame or list of rows
        Columns ``id`` (required), ``name``, ``role``, ``organisation``, ``power`` and
        ``interest`` (scores on ``scale``), ``legitimacy`` and ``urgency`` (scores or yes/no),
        ``current`` and ``desired`` engagement (unaware, resistant, neutral, supportive,
        leading), ``strategy``, ``contact``.
    threshold : float
        A score ≥ ``threshold`` counts as *high* (grid) or *present* (salience).
    scale : (float, float)
        Valid range of the scores.

    Returns
    -------
    DataFrame
        Indexed by ``id``: input columns plus ``quadrant`` (``manage_closely`` high power and
        interest, ``keep_satisfied`` high power, ``keep_informed`` high interest,
        ``monitor``; ``""`` when power or interest is missing), ``salience`` (Mitchell et al.
        class: definitive, dominant, dangerous, dependent, dormant, discretionary, demanding,
        non_stakeholder), ``salience_attributes`` (0–3), ``engagement_gap`` (desired − current
        level; > 0 means engagement must be raised, NaN when either is missing).

    References
    ----------
    .. [1] A. L. Mendelow, "Environmental scanning: the impact of the stakeholder concept",
       ICIS 1981 (power/interest grid).
    .. [2] R. K. Mitchell, B. R. Agle, D. J. Wood, "Toward a theory of stakeholder
       identification and salience", *Academy of Management Review* 22(4), 853–886, 1997.
    .. [3] PMI, *PMBOK Guide*, 6th ed., §13.2.2.5 (stakeholder engagement assessment matrix).

    Examples
    --------
    >>> s = stakeholders(pd.DataFrame({"id": ["CFO", "Dev"], "power": [5, 2],
    ...     "interest": [2, 5], "legitimacy": ["yes", "yes"], "urgency": [4, 1],
    ...     "current": ["neutral", "supportive"], "desired": ["supportive", "leading"]}))
    >>> s[["quadrant", "salience", "engagement_gap"]].values.tolist()
    [['keep_satisfied', 'definitive', 1.0], ['keep_informed', 'discretionary', 1.0]]
    """
    df = table_frame(data, "stakeholders")
    what = "stakeholders"
    ids = row_ids(df, what)
    out = df.set_axis(ids, axis=0).drop(columns="id")
    power = numeric_column(df, "power", what, ids, *scale).to_numpy()
    interest = numeric_column(df, "interest", what, ids, *scale).to_numpy()
    hp, hi = power >= threshold, interest >= threshold
    quad = np.select([hp & hi, hp, hi], ["manage_closely", "keep_satisfied", "keep_informed"],
                     "monitor").astype(object)
    quad[np.isnan(power) | np.isnan(interest)] = ""
    out["quadrant"] = quad
    p = hp & ~np.isnan(power)
    leg = _flag_or_score(df, "legitimacy", ids, threshold, scale)
    urg = _flag_or_score(df, "urgency", ids, threshold, scale)
    out["salience"] = [_SALIENCE[(bool(a), bool(b), bool(c))] for a, b, c in zip(p, leg, urg)]
    out["salience_attributes"] = p.astype(int) + leg.astype(int) + urg.astype(int)
    level = {name: k for k, name in enumerate(ENGAGEMENT_LEVELS)}
    gaps = {}
    for col in ("current", "desired"):
        text = text_column(df, col).str.lower()
        bad = (text != "") & ~text.isin(ENGAGEMENT_LEVELS)
        if bad.any():
            raise ValidationError(
                f"stakeholders: unknown {col} engagement for {format_ids(ids[bad.to_numpy()])}; "
                f"use one of {', '.join(ENGAGEMENT_LEVELS)}"
            )
        out[col] = text.to_numpy()
        gaps[col] = text.map(level).astype(float).to_numpy()
    out["engagement_gap"] = gaps["desired"] - gaps["current"]
    return out


# --------------------------------------------------------------------------- RACI
@dataclass
class RaciResult:
    """A validated RACI matrix with its per-role and per-row findings.

    Attributes
    ----------
    matrix : DataFrame
        Tasks × roles, cells normalised to upper-case letter sets such as ``"A/R"`` or ``""``.
    roles : DataFrame
        Per role: ``responsible``, ``accountable``, ``consulted``, ``informed`` counts,
        ``load`` (share of rows where the role is R or A) and ``overloaded`` (load >
        ``max_load``).
    tasks : DataFrame
        Per row: ``accountable`` (role), ``responsible`` (tuple of roles), ``consulted``
        (count), ``no_consultation`` (bool).
    """

    matrix: pd.DataFrame
    roles: pd.DataFrame
    tasks: pd.DataFrame

    @property
    def warnings(self) -> list[str]:
        """Human-readable flags: overloaded roles and rows without consultation."""
        msgs = []
        over = self.roles.index[self.roles["overloaded"]]
        if len(over):
            msgs.append(f"overloaded role(s) {format_ids(over)}: responsible or accountable for "
                        "too many rows; delegate some R/A assignments")
        lonely = self.tasks.index[self.tasks["no_consultation"]]
        if len(lonely):
            msgs.append(f"row(s) {format_ids(lonely)} consult nobody; add a C where expertise "
                        "is needed")
        return msgs

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{m}</li>" for m in self.warnings) or "<li>no flags</li>"
        return (f"<b>RACI</b> {self.matrix.shape[0]} rows × {self.matrix.shape[1]} roles"
                f"<ul>{notes}</ul>{self.matrix.to_html()}")


def raci(data: Any, *, task_column: str | None = None, max_load: float = 0.5,
         task_ids: Iterable[str] | None = None) -> RaciResult:
    """Validate a RACI matrix (rows: tasks or deliverables, columns: roles).

    Parameters
    ----------
    data : DataFrame or list of rows
        First column (or ``task_column``, default ``task`` or ``id`` when present) names the
        row; every other column is a role whose cells hold R, A, C, I, combinations such as
        ``A/R`` or ``RA``, or blank.
    task_column : str, optional
        Column naming the rows.
    max_load : float
        A role that is R or A on more than this share of rows is flagged as overloaded.
    task_ids : iterable of str, optional
        Known task ids; rows naming other ids raise.

    Returns
    -------
    RaciResult

    Raises
    ------
    ValidationError
        Unknown letters; a row without an A or with several; a row without an R; unknown task.

    References
    ----------
    .. [1] PMI, *PMBOK Guide*, 6th ed., §9.1.2.2 (responsibility assignment matrix).

    Examples
    --------
    >>> m = pd.DataFrame({"task": ["Design", "Build"], "pm": ["A", "A"],
    ...                   "dev": ["R", "R"], "qa": ["C", "I"]})
    >>> res = raci(m)
    >>> res.tasks["no_consultation"].tolist(), res.roles["overloaded"].tolist()
    ([False, True], [True, True, False])
    """
    df = table_frame(data, "RACI")
    if task_column is None:
        task_column = next((c for c in ("task", "id", "deliverable") if c in df.columns),
                           df.columns[0] if len(df.columns) else "task")
    ids = row_ids(df, "RACI", task_column)
    roles = [c for c in df.columns if c != task_column]
    if not roles:
        raise ValidationError("RACI matrix has no role columns; add one column per role")
    if task_ids is not None:
        unknown = [i for i in ids if i not in set(map(str, task_ids))]
        if unknown:
            raise ValidationError(f"RACI rows {format_ids(unknown)} are not tasks of the project; "
                                  "correct the ids or remove the rows")
    cells = df[roles].astype(object).where(df[roles].notna(), "").astype(str)
    cells = cells.apply(lambda s: s.str.upper().str.replace(r"[\s/,+;-]", "", regex=True))
    bad = cells.apply(lambda s: s.str.contains(r"[^RACI]", regex=True))
    if bad.to_numpy().any():
        rows = ids[bad.any(axis=1).to_numpy()]
        raise ValidationError(f"RACI rows {format_ids(rows)} hold letters other than R, A, C, I; "
                              "use R, A, C, I or combinations such as A/R")
    has = {k: cells.apply(lambda s, k=k: s.str.contains(k)).to_numpy() for k in "RACI"}
    n_a = has["A"].sum(axis=1)
    if (n_a != 1).any():
        none = ids[n_a == 0]
        many = ids[n_a > 1]
        parts = []
        if len(none):
            parts.append(f"no A on {format_ids(none)}")
        if len(many):
            parts.append(f"several A on {format_ids(many)}")
        raise ValidationError(f"RACI: {'; '.join(parts)}; every row needs exactly one "
                              "accountable role (A)")
    no_r = ids[~has["R"].any(axis=1)]
    if len(no_r):
        raise ValidationError(f"RACI: no responsible role (R) on {format_ids(no_r)}; mark at "
                              "least one role R on every row (the A may also be R: A/R)")
    normal = cells.apply(lambda s: s.map(lambda v: "/".join(k for k in "ARCI" if k in v)))
    normal.index = ids
    role_idx = np.array(roles, dtype=object)
    n = max(len(ids), 1)
    load = (has["R"] | has["A"]).sum(axis=0) / n
    role_table = pd.DataFrame({
        "responsible": has["R"].sum(axis=0), "accountable": has["A"].sum(axis=0),
        "consulted": has["C"].sum(axis=0), "informed": has["I"].sum(axis=0),
        "load": load, "overloaded": load > max_load,
    }, index=pd.Index(roles, name="role"))
    task_table = pd.DataFrame({
        "accountable": role_idx[has["A"].argmax(axis=1)] if len(ids) else [],
        "responsible": [tuple(role_idx[row]) for row in has["R"]],
        "consulted": has["C"].sum(axis=1),
        "no_consultation": ~has["C"].any(axis=1),
    }, index=ids)
    return RaciResult(matrix=normal, roles=role_table, tasks=task_table)
