"""Software quality metrics from a defect log.

:func:`defect_log` validates the log (one row per defect); the other functions compute
what a quality manager reports: the arrival and closure trend (:func:`defect_trend`), open
defects by severity over time (:func:`open_by_severity`), defect density per KLOC or story
point (:func:`defect_density`), defect removal efficiency and escape rate
(:func:`removal_efficiency`), the phase containment matrix (:func:`phase_containment`) and
the mean time to resolve (:func:`time_to_resolve`). :func:`defect_metrics` bundles the
headline figures.

References
----------
.. [1] Jones, C. and Bonsignour, O. (2011). *The Economics of Software Quality*.
   Addison-Wesley: defect removal efficiency, ch. 3.
.. [2] Kan, S. H. (2002). *Metrics and Models in Software Quality Engineering*, 2nd ed.
   Addison-Wesley: §4.1 defect density, §6.3 phase-based defect removal (containment).
.. [3] IEEE Std 1044-2009, *Standard Classification for Software Anomalies*.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, check_option, format_ids
from tpmkit.model.tables import table_frame
from tpmkit.quality._common import choice_column, date_column, row_ids, text_column

__all__ = ["PHASES", "SEVERITIES", "DefectMetrics", "defect_density", "defect_log",
           "defect_metrics", "defect_trend", "open_by_severity", "phase_containment",
           "removal_efficiency", "time_to_resolve"]

#: Life-cycle phases in order; ``production`` (after release) holds the escaped defects.
PHASES = ("requirements", "design", "development", "testing", "release", "production")
#: Severities, most severe first (IEEE 1044 style).
SEVERITIES = ("critical", "major", "minor", "trivial")


def defect_log(data: Any, *, phases: Sequence[str] = PHASES,
               severities: Sequence[str] = SEVERITIES) -> pd.DataFrame:
    """Validate a defect log.

    Parameters
    ----------
    data : DataFrame or list of rows
        Columns ``id`` and ``found`` (date) required; ``closed`` (date, blank while open),
        ``severity`` (default the least severe), ``phase_found``, ``phase_injected``
        (blank: the phase found), ``component``, ``title``.
    phases : sequence of str
        The life-cycle phases in order; the last one is after release (escapes).
    severities : sequence of str
        Severities, most severe first.

    Returns
    -------
    DataFrame
        Indexed by ``id`` in input order: the columns above with canonical types plus
        ``is_open`` (bool) and ``days_to_resolve`` [calendar days, NaN while open].

    Raises
    ------
    ValidationError
        Missing ids or dates, closed before found, unknown severity or phase, a defect
        injected in a later phase than it was found.

    Examples
    --------
    >>> log = defect_log([{"id": "D1", "found": "2027-03-01", "closed": "2027-03-04",
    ...                    "severity": "Major", "phase_found": "testing"}])
    >>> log.loc["D1", "severity"], log.loc["D1", "phase_injected"]
    ('major', 'testing')
    >>> float(log.loc["D1", "days_to_resolve"])
    3.0
    """
    what = "defect log"
    df = table_frame(data, what)
    ids = row_ids(df, what)
    phases, severities = tuple(phases), tuple(severities)
    out = pd.DataFrame(index=ids)
    out["title"] = text_column(df, "title", ids)
    out["found"] = date_column(df, "found", ids, what, required=True)
    out["closed"] = date_column(df, "closed", ids, what)
    early = out["closed"] < out["found"]
    if early.any():
        raise ValidationError(f"defect log: {format_ids(ids[early.to_numpy()])} closed before "
                              "found; check the dates (found ≤ closed)")
    out["severity"] = choice_column(df, "severity", ids, what, severities, severities[-1])
    out["phase_found"] = choice_column(df, "phase_found", ids, what, phases, phases[-2])
    injected = text_column(df, "phase_injected", ids).where(
        lambda s: s != "", out["phase_found"])
    out["phase_injected"] = choice_column(pd.DataFrame({"phase_injected": injected}),
                                          "phase_injected", ids, what, phases)
    rank = {p: i for i, p in enumerate(phases)}
    late = out["phase_injected"].map(rank) > out["phase_found"].map(rank)
    if late.any():
        raise ValidationError(f"defect log: {format_ids(ids[late.to_numpy()])} injected after "
                              "the phase they were found in; swap phase_found and "
                              "phase_injected or correct them")
    out["component"] = text_column(df, "component", ids)
    out["is_open"] = out["closed"].isna()
    out["days_to_resolve"] = (out["closed"] - out["found"]).dt.days.astype(float)
    return out


def _periods(log: pd.DataFrame, freq: str, end: Any) -> pd.DatetimeIndex:
    start = log["found"].min()
    last = pd.Timestamp(end) if end is not None else max(log["found"].max(),
                                                         log["closed"].max(skipna=True)
                                                         if log["closed"].notna().any()
                                                         else log["found"].max())
    return pd.date_range(start, last, freq=freq).union([last]) if len(log) else pd.DatetimeIndex([])


def _by_period(dates: pd.Series, periods: pd.DatetimeIndex) -> np.ndarray:
    """Count of dates in (previous period end, this period end]."""
    d = dates.dropna().to_numpy(dtype="datetime64[ns]")
    cum = np.searchsorted(np.sort(d), periods.to_numpy(dtype="datetime64[ns]"), side="right")
    return np.diff(np.r_[0, cum])


def defect_trend(log: pd.DataFrame, *, freq: str = "W-FRI", end: Any = None) -> pd.DataFrame:
    """Defects found and closed per period, cumulative, and open at each period end.

    Parameters
    ----------
    log : DataFrame
        Output of :func:`defect_log`.
    freq : str
        Pandas period frequency (default weekly, ending Fridays; ``"D"`` daily,
        ``"ME"`` month end).
    end : date-like, optional
        Last period end (default: the last found or closed date).

    Returns
    -------
    DataFrame
        Indexed by period end ``date``: ``found``, ``closed``, ``cumulative_found``,
        ``cumulative_closed``, ``open``.

    Examples
    --------
    >>> log = defect_log([{"id": "D1", "found": "2027-03-01", "closed": "2027-03-09"},
    ...                   {"id": "D2", "found": "2027-03-02"}])
    >>> defect_trend(log)["open"].tolist()
    [2, 1]
    """
    periods = _periods(log, freq, end)
    found, closed = _by_period(log["found"], periods), _by_period(log["closed"], periods)
    out = pd.DataFrame({"found": found, "closed": closed}, index=periods.rename("date"))
    out["cumulative_found"] = out["found"].cumsum()
    out["cumulative_closed"] = out["closed"].cumsum()
    out["open"] = out["cumulative_found"] - out["cumulative_closed"]
    return out


def open_by_severity(log: pd.DataFrame, *, freq: str = "W-FRI", end: Any = None,
                     severities: Sequence[str] = SEVERITIES) -> pd.DataFrame:
    """Open defects at each period end by severity (columns most severe first).

    Examples
    --------
    >>> log = defect_log([{"id": "D1", "found": "2027-03-01", "severity": "critical"},
    ...                   {"id": "D2", "found": "2027-03-02", "closed": "2027-03-03"}])
    >>> open_by_severity(log).iloc[0].tolist()
    [1, 0, 0, 0]
    """
    periods = _periods(log, freq, end)
    cols = {}
    for sev in severities:
        part = log[log["severity"] == sev]
        cols[sev] = (np.cumsum(_by_period(part["found"], periods))
                     - np.cumsum(_by_period(part["closed"], periods)))
    return pd.DataFrame(cols, index=periods.rename("date"))


def defect_density(log: pd.DataFrame, sizes: Mapping[str, float] | pd.Series, *,
                   unit: str = "kloc") -> pd.DataFrame:
    """Defects per size unit by component.

    Parameters
    ----------
    log : DataFrame
        Output of :func:`defect_log`.
    sizes : mapping or Series
        Size per component [KLOC or story points].
    unit : str
        ``"kloc"`` or ``"story_points"`` (names the density column).

    Returns
    -------
    DataFrame
        Indexed by ``component`` (the order of ``sizes``, then a ``total`` row):
        ``defects``, ``size``, ``density`` [defects per unit].

    Examples
    --------
    >>> log = defect_log([{"id": "D1", "found": "2027-03-01", "component": "api"},
    ...                   {"id": "D2", "found": "2027-03-02", "component": "api"}])
    >>> float(defect_density(log, {"api": 4.0}).loc["api", "density"])
    0.5
    """
    unit = check_option(unit, ("kloc", "story_points"), "size unit")
    size = pd.Series(sizes, dtype=float)
    unknown = sorted(set(log["component"]) - set(size.index))
    if unknown:
        raise ValidationError(f"defect density: no size for component(s) {format_ids(unknown)}; "
                              "give a size for every component in the log")
    if (size <= 0).any():
        raise ValidationError(f"defect density: sizes of {format_ids(size.index[size <= 0])} "
                              "are not positive; give sizes > 0")
    counts = log["component"].value_counts().reindex(size.index, fill_value=0)
    out = pd.DataFrame({"defects": counts.to_numpy(), "size": size.to_numpy()},
                       index=pd.Index(size.index, name="component"))
    out.loc["total"] = [out["defects"].sum(), out["size"].sum()]
    out["density"] = out["defects"] / out["size"]
    return out


def removal_efficiency(log: pd.DataFrame, *, escaped_phase: str = PHASES[-1]) -> dict[str, float]:
    """Defect removal efficiency and escape rate.

    DRE = defects found before release / all defects found (Jones); escape rate = defects
    found in ``escaped_phase`` (after release) / all defects = 1 − DRE.

    Examples
    --------
    >>> log = defect_log([{"id": f"D{i}", "found": "2027-03-01",
    ...                    "phase_found": "production" if i == 0 else "testing"}
    ...                   for i in range(4)])
    >>> removal_efficiency(log)
    {'found_before_release': 3.0, 'escaped': 1.0, 'removal_efficiency': 0.75, 'escape_rate': 0.25}
    """
    total = len(log)
    escaped = float((log["phase_found"] == escaped_phase).sum())
    before = total - escaped
    dre = before / total if total else np.nan
    return {"found_before_release": float(before), "escaped": escaped,
            "removal_efficiency": float(dre), "escape_rate": float(1 - dre) if total else np.nan}


def phase_containment(log: pd.DataFrame, *, phases: Sequence[str] = PHASES) -> pd.DataFrame:
    """Phase containment matrix: defects by phase injected (rows) × phase found (columns).

    The extra column ``containment`` is the phase containment effectiveness: the share of
    a phase's injected defects found in that same phase (Kan §6.3).

    Examples
    --------
    >>> log = defect_log([{"id": "D1", "found": "2027-03-01", "phase_injected": "design",
    ...                    "phase_found": "testing"},
    ...                   {"id": "D2", "found": "2027-03-01", "phase_injected": "design",
    ...                    "phase_found": "design"}])
    >>> float(phase_containment(log).loc["design", "containment"])
    0.5
    """
    phases = list(phases)
    m = pd.crosstab(log["phase_injected"], log["phase_found"]).reindex(
        index=phases, columns=phases, fill_value=0)
    m.index.name, m.columns.name = "phase_injected", "phase_found"
    injected = m.sum(axis=1)
    diag = pd.Series(np.diag(m.to_numpy()), index=m.index)
    m["containment"] = (diag / injected.where(injected > 0)).astype(float)
    return m


def time_to_resolve(log: pd.DataFrame, *, by: str = "severity") -> pd.DataFrame:
    """Mean and median time to resolve the closed defects [calendar days] by a column.

    Examples
    --------
    >>> log = defect_log([{"id": "D1", "found": "2027-03-01", "closed": "2027-03-03"},
    ...                   {"id": "D2", "found": "2027-03-01", "closed": "2027-03-07"}])
    >>> float(time_to_resolve(log).loc["trivial", "mean_days"])
    4.0
    """
    by = check_option(by, ("severity", "component", "phase_found"), "grouping")
    closed = log[~log["is_open"]]
    g = closed.groupby(by, sort=False)["days_to_resolve"]
    out = pd.DataFrame({"closed": g.size(), "mean_days": g.mean(), "median_days": g.median()})
    if by == "severity":
        out = out.reindex([s for s in SEVERITIES if s in out.index] +
                          [s for s in out.index if s not in SEVERITIES])
    return out


@dataclass(frozen=True)
class DefectMetrics:
    """Headline defect figures (:func:`defect_metrics`).

    Attributes
    ----------
    summary : dict of str to float
        ``total``, ``open``, ``found_before_release``, ``escaped``, ``removal_efficiency``,
        ``escape_rate``, ``mean_days_to_resolve``.
    trend : DataFrame
        :func:`defect_trend`.
    open_by_severity : DataFrame
        :func:`open_by_severity`.
    containment : DataFrame
        :func:`phase_containment`.
    density : DataFrame or None
        :func:`defect_density` when sizes were given.
    """

    summary: dict[str, float]
    trend: pd.DataFrame
    open_by_severity: pd.DataFrame
    containment: pd.DataFrame
    density: pd.DataFrame | None = None

    def _repr_html_(self) -> str:
        s = self.summary
        head = (f"<p><b>Defects</b>: {s['total']:.0f} found, {s['open']:.0f} open; removal "
                f"efficiency {s['removal_efficiency']:.1%}, escape rate {s['escape_rate']:.1%}; "
                f"mean time to resolve {s['mean_days_to_resolve']:.1f} days.</p>")
        dens = self.density.to_html(float_format=lambda x: f"{x:.3g}") if (
            self.density is not None) else ""
        return head + self.containment.to_html(float_format=lambda x: f"{x:.2f}") + dens


def defect_metrics(log: pd.DataFrame, *, sizes: Mapping[str, float] | None = None,
                   unit: str = "kloc", freq: str = "W-FRI", end: Any = None) -> DefectMetrics:
    """Every defect metric at once (see the module functions).

    Examples
    --------
    >>> log = defect_log([{"id": "D1", "found": "2027-03-01", "closed": "2027-03-05"}])
    >>> defect_metrics(log).summary["mean_days_to_resolve"]
    4.0
    """
    if len(log) == 0:
        raise ValidationError("defect metrics: the defect log is empty; add defects first")
    summary = {"total": float(len(log)), "open": float(log["is_open"].sum()),
               **removal_efficiency(log),
               "mean_days_to_resolve": float(log["days_to_resolve"].mean())}
    density = defect_density(log, sizes, unit=unit) if sizes is not None else None
    return DefectMetrics(summary, defect_trend(log, freq=freq, end=end),
                         open_by_severity(log, freq=freq, end=end), phase_containment(log),
                         density)
