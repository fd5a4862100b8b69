"""Shewhart control charts: XmR, X̄–R, X̄–S, p, np, c and u, with run rules and phases.

Every chart function returns a :class:`ControlChart`: one row per plotted point with its
value, centre line, control limits, phase and the run rules that fired. Limits are
computed from the points of each phase separately (Phase I trial limits), so a named
process change — a new tool, a new team — starts fresh limits.

The charts are tested against Montgomery's worked examples: 6.1 (X̄–R, piston rings), 6.3
(X̄–S), 7.1 (p chart, orange-juice cans), 7.3 (c chart, circuit boards) and the u chart with
a varying number of inspection units (dyed cloth), plus hand-checked p charts with varying
sample sizes and phase changes (``tests/test_quality.py``).

References
----------
.. [1] Montgomery, D. C. (2019). *Introduction to Statistical Quality Control*, 8th ed.
   Wiley: §6.2 (X̄–R, X̄–S), §6.4 (individuals and moving range), §7.2 (p, np),
   §7.3 (c, u).
.. [2] ASTM E2587-16, *Standard Practice for Use of Control Charts in Statistical Process
   Control*.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.model.tables import table_frame
from tpmkit.quality.constants import chart_constants, d2
from tpmkit.quality.rules import RULE_DESCRIPTIONS, resolve_rules, run_rules

__all__ = ["CHART_KINDS", "ControlChart", "c_chart", "np_chart", "p_chart", "u_chart",
           "xbar_r", "xbar_s", "xmr"]

CHART_KINDS = ("individuals", "moving_range", "xbar", "range", "std", "p", "np", "c", "u")


@dataclass(frozen=True)
class ControlChart:
    """A control chart with its limits and the run-rule hits (see :mod:`tpmkit.quality.spc`).

    Attributes
    ----------
    kind : str
        One of ``CHART_KINDS``.
    table : DataFrame
        One row per point (index: point label, input order): ``value``, ``centre``,
        ``lcl``, ``ucl``, ``phase``, ``rules`` (tuple of the rule numbers that fired),
        ``out_of_control`` (bool); attribute charts add ``size``.
    hits : DataFrame
        One row per rule hit: ``point``, ``rule``, ``description``, ``phase``.
    constants : dict of str to float
        Factors used (``A2``, ``D4``, ``E2``, … and the subgroup size ``n``).
    rules : tuple of int
        The Nelson rules applied.
    dispersion : ControlChart or None
        The companion chart (moving range, range or standard deviation).
    """

    kind: str
    table: pd.DataFrame
    hits: pd.DataFrame
    constants: dict[str, float] = field(default_factory=dict)
    rules: tuple[int, ...] = ()
    dispersion: ControlChart | None = None

    @property
    def out_of_control(self) -> list[Any]:
        """Labels of the points at which any rule fired."""
        return list(self.table.index[self.table["out_of_control"].to_numpy()])

    def _repr_html_(self) -> str:
        t = self.table
        head = (f"<p><b>{self.kind} chart</b>: {len(t)} point(s), {t['phase'].nunique()} "
                f"phase(s); out of control: {format_ids(self.out_of_control, 10) or 'none'}.</p>")
        body = t.to_html(max_rows=60, float_format=lambda x: f"{x:.4g}")
        extra = self.dispersion._repr_html_() if self.dispersion is not None else ""
        return head + body + extra


# --------------------------------------------------------------------------- input helpers
def _table_args(data: Any, column: str, others: tuple[Any, ...], what: str) -> tuple[Any, ...]:
    """Column ``column`` of a table (and the columns ``others`` name), else the data as given.

    A table is a DataFrame or a list of mappings (normalised by
    :func:`tpmkit.model.table_frame`); ``sizes=``/``phase=`` given as strings name its columns.
    """
    if not (isinstance(data, pd.DataFrame) or (isinstance(data, list) and data
                                               and isinstance(data[0], Mapping))):
        return (data, *others)
    df = table_frame(data, what)
    names = [column, *[o for o in others if isinstance(o, str)]]
    missing = [c for c in names if c not in df.columns]
    if missing:
        raise ValidationError(f"{what} lacks column(s) {format_ids(missing)}; add them or name "
                              f"the columns (present: {format_ids(df.columns, 12) or 'none'})")
    return (df[column], *[df[o] if isinstance(o, str) else o for o in others])


def _values(data: Any, what: str) -> pd.Series:
    s = data.copy() if isinstance(data, pd.Series) else pd.Series(np.asarray(data, dtype=object))
    values = pd.to_numeric(s, errors="coerce").astype(float)
    bad = ~np.isfinite(values.to_numpy())
    if bad.any():
        raise ValidationError(f"{what}: values at point(s) {format_ids(s.index[bad])} are not "
                              "finite numbers; enter a number for every point")
    if len(values) == 0:
        raise ValidationError(f"{what}: no points; give at least two values")
    return values


def _phases(phase: Any, index: pd.Index, what: str) -> np.ndarray:
    if phase is None:
        return np.array(["1"] * len(index), dtype=object)
    labels = np.asarray(list(phase.to_numpy() if isinstance(phase, pd.Series) else phase),
                        dtype=object)
    if len(labels) != len(index):
        raise ValidationError(f"{what}: {len(labels)} phase label(s) for {len(index)} point(s); "
                              "give one phase label per point")
    labels = np.array([str(p).strip() for p in labels], dtype=object)
    seen: list[str] = []
    for a, b in itertools.pairwise(labels):
        if a != b:
            if b in seen or b == labels[0]:  # a phase label may start one block only
                raise ValidationError(f"{what}: phase {b!r} resumes after another phase; give "
                                      "each phase one contiguous block of points")
            seen.append(a)
    return labels


def _segments(phase: np.ndarray) -> list[np.ndarray]:
    order = list(dict.fromkeys(phase))
    return [np.flatnonzero(phase == p) for p in order]


def _finish(kind: str, index: pd.Index, value: np.ndarray, centre: np.ndarray, lcl: np.ndarray,
            ucl: np.ndarray, phase: np.ndarray, rules: Any, constants: dict[str, float],
            size: np.ndarray | None = None, dispersion: ControlChart | None = None) -> ControlChart:
    numbers, run2 = resolve_rules(rules)
    finite = np.isfinite(value)
    fired: list[tuple[int, ...]] = [()] * len(value)
    if finite.any():
        keep = np.flatnonzero(finite)
        sub = run_rules(value[keep], centre[keep], ucl[keep], lcl[keep], phase[keep], numbers, run2)
        for i, f in zip(keep.tolist(), sub, strict=True):
            fired[i] = f
    table = pd.DataFrame({"value": value, "centre": centre, "lcl": lcl, "ucl": ucl,
                          "phase": phase}, index=index)
    if size is not None:
        table.insert(1, "size", size)
    column = np.empty(len(fired), dtype=object)
    for j, f in enumerate(fired):  # positional: point labels need not be unique
        column[j] = f
    table["rules"] = column
    table["out_of_control"] = np.array([bool(f) for f in fired])
    rows = [(label, r, RULE_DESCRIPTIONS[r], ph)
            for label, f, ph in zip(index, fired, phase, strict=True) for r in f]
    hits = pd.DataFrame(rows, columns=["point", "rule", "description", "phase"])
    return ControlChart(kind, table, hits, constants, numbers, dispersion)


# --------------------------------------------------------------------------- variables charts
def xmr(values: Any, *, phase: Any = None, rules: str | Iterable[int] = "nelson",
        column: str = "value") -> ControlChart:
    """Individuals and moving-range (XmR) chart.

    Limits per phase: x̄ ± E2·MR̄ with E2 = 3/d2(2) ≈ 2.660, where MR̄ is the mean of the
    moving ranges ``|xᵢ − xᵢ₋₁|`` within the phase; the moving-range chart has centre MR̄,
    UCL = D4(2)·MR̄ ≈ 3.267·MR̄ and LCL 0, and is checked against rule 1 only (moving
    ranges are correlated, Montgomery §6.4).

    Parameters
    ----------
    values : array-like, Series, DataFrame or list of rows
        One measurement per point; a Series' index labels the points. A table gives its
        column ``column``.
    phase : sequence or str, optional
        Phase label per point (contiguous blocks); limits are computed per phase. With a
        table, the name of its phase column.
    rules : str or iterable of int
        ``"nelson"`` (rules 1–8, default), ``"western_electric"``, ``"limits"`` (rule 1)
        or rule numbers.
    column : str
        Value column when ``values`` is a table.

    Returns
    -------
    ControlChart
        ``kind="individuals"``; ``dispersion`` is the moving-range chart.

    Examples
    --------
    >>> ch = xmr([10, 12, 11, 13, 12, 30])
    >>> ch.out_of_control, ch.table["rules"].iloc[5]
    ([5], (1,))
    >>> round(ch.constants["E2"], 3), round(ch.constants["D4"], 3)
    (2.66, 3.267)
    """
    what = "individuals chart"
    values, phase = _table_args(values, column, (phase,), what)
    x = _values(values, what)
    ph = _phases(phase, x.index, what)
    v = x.to_numpy()
    k2 = chart_constants(2)
    e2 = 3.0 / d2(2)
    centre, lcl, ucl = (np.empty(len(v)) for _ in range(3))
    mr = np.full(len(v), np.nan)
    mr_centre, mr_ucl = np.empty(len(v)), np.empty(len(v))
    for seg in _segments(ph):
        if len(seg) < 2:
            raise ValidationError(f"{what}: phase {ph[seg[0]]!r} has one point; a phase needs at "
                                  "least two points for a moving range")
        mr[seg[1:]] = np.abs(np.diff(v[seg]))
        mbar = float(np.mean(mr[seg[1:]]))
        xbar = float(np.mean(v[seg]))
        centre[seg], lcl[seg], ucl[seg] = xbar, xbar - e2 * mbar, xbar + e2 * mbar
        mr_centre[seg], mr_ucl[seg] = mbar, k2["D4"] * mbar
    consts = {"n": 2.0, "d2": k2["d2"], "E2": e2, "D3": 0.0, "D4": k2["D4"]}
    disp = _finish("moving_range", x.index, mr, mr_centre, np.zeros(len(v)), mr_ucl, ph,
                   "limits", consts)
    return _finish("individuals", x.index, v, centre, lcl, ucl, ph, rules, consts,
                   dispersion=disp)


def _subgroups(data: Any, what: str) -> pd.DataFrame:
    """Wide frame: one row per subgroup, one column per observation."""
    if isinstance(data, pd.DataFrame) and {"subgroup", "value"} <= set(map(str, data.columns)):
        long = data.assign(_k=data.groupby("subgroup", sort=False).cumcount())
        wide = long.pivot(index="subgroup", columns="_k", values="value")
        wide = wide.reindex(pd.unique(data["subgroup"]))
        wide.columns.name = None
        return wide.apply(pd.to_numeric, errors="coerce").astype(float)
    if isinstance(data, pd.DataFrame):
        frame = data.copy()
    else:
        rows = [list(row) for row in data]
        width = max((len(r) for r in rows), default=0)
        frame = pd.DataFrame([r + [None] * (width - len(r)) for r in rows])
    values = frame.apply(pd.to_numeric, errors="coerce").astype(float)
    bad = (values.isna() & frame.notna()).any(axis=1)
    if bad.any():
        raise ValidationError(f"{what}: subgroup(s) {format_ids(frame.index[bad.to_numpy()])} "
                              "hold non-numbers; enter plain numbers")
    return values


def _xbar_chart(data: Any, phase: Any, rules: Any, spread: str) -> ControlChart:
    what = "X-bar/R chart" if spread == "range" else "X-bar/S chart"
    wide = _subgroups(data, what)
    sizes = wide.notna().sum(axis=1).to_numpy()
    if len(wide) == 0:
        raise ValidationError(f"{what}: no subgroups; give at least two subgroups")
    if len(set(sizes)) != 1:
        odd = wide.index[sizes != np.bincount(sizes).argmax()]
        raise ValidationError(f"{what}: subgroup(s) {format_ids(odd)} differ in size from the "
                              "others; use equal subgroups (or an individuals chart)")
    n = int(sizes[0])
    k = chart_constants(n)
    ph = _phases(phase, wide.index, what)
    x = wide.to_numpy()
    mean = x.mean(axis=1)
    disp = np.ptp(x, axis=1) if spread == "range" else x.std(axis=1, ddof=1)
    a, lo, hi = ("A2", "D3", "D4") if spread == "range" else ("A3", "B3", "B4")
    centre, lcl, ucl = (np.empty(len(x)) for _ in range(3))
    dc, dl, du = (np.empty(len(x)) for _ in range(3))
    for seg in _segments(ph):
        xbb, dbar = float(mean[seg].mean()), float(disp[seg].mean())
        centre[seg], lcl[seg], ucl[seg] = xbb, xbb - k[a] * dbar, xbb + k[a] * dbar
        dc[seg], dl[seg], du[seg] = dbar, k[lo] * dbar, k[hi] * dbar
    consts = {key: k[key] for key in ("n", "d2", "d3", "c4", a, lo, hi)}
    dchart = _finish(spread, wide.index, disp, dc, dl, du, ph, "limits", consts)
    return _finish("xbar", wide.index, mean, centre, lcl, ucl, ph, rules, consts,
                   dispersion=dchart)


def xbar_r(subgroups: Any, *, phase: Any = None,
           rules: str | Iterable[int] = "nelson") -> ControlChart:
    """X̄ and range chart for subgroups of equal size n = 2…25.

    Limits per phase: x̿ ± A2·R̄ for the means; D3·R̄ and D4·R̄ for the ranges
    (Montgomery eq. 6.4–6.5). The range chart is checked against rule 1 only.

    Parameters
    ----------
    subgroups : 2-D array-like or DataFrame
        One row per subgroup (a DataFrame's index labels them), or a long table with
        columns ``subgroup`` and ``value``.
    phase, rules
        As in :func:`xmr`.

    Returns
    -------
    ControlChart
        ``kind="xbar"``; ``dispersion`` is the range chart.

    Examples
    --------
    >>> ch = xbar_r([[1, 2, 3], [2, 3, 4], [1, 3, 5]])
    >>> round(ch.constants["A2"], 3), float(ch.table["centre"].iloc[0])
    (1.023, 2.6666666666666665)
    """
    return _xbar_chart(subgroups, phase, rules, "range")


def xbar_s(subgroups: Any, *, phase: Any = None,
           rules: str | Iterable[int] = "nelson") -> ControlChart:
    """X̄ and standard-deviation chart for subgroups of equal size n = 2…25.

    Limits per phase: x̿ ± A3·s̄; B3·s̄ and B4·s̄ for the standard deviations (sample
    standard deviation, n − 1 divisor; Montgomery eq. 6.27–6.28).

    Examples
    --------
    >>> ch = xbar_s([[1, 2, 3], [2, 3, 4], [1, 3, 5]])
    >>> ch.dispersion.kind, round(ch.constants["B4"], 3)
    ('std', 2.568)
    """
    return _xbar_chart(subgroups, phase, rules, "std")


# --------------------------------------------------------------------------- attribute charts
def _counts(counts: Any, sizes: Any, what: str, integer_sizes: bool) -> tuple[pd.Series, np.ndarray]:
    c = _values(counts, what)
    bad = c.to_numpy() < 0
    if bad.any():
        raise ValidationError(f"{what}: negative counts at point(s) {format_ids(c.index[bad])}; "
                              "counts are ≥ 0")
    if sizes is None:
        return c, np.ones(len(c))
    n = np.broadcast_to(np.asarray(sizes.to_numpy() if isinstance(sizes, pd.Series) else sizes,
                                   dtype=float), (len(c),)).copy()
    bad = ~(n > 0) | (integer_sizes & (c.to_numpy() > n))
    if bad.any():
        raise ValidationError(f"{what}: sizes at point(s) {format_ids(c.index[bad])} are not "
                              "positive or smaller than the count; give each sample's size")
    return c, n


def _attribute(kind: str, counts: Any, sizes: Any, phase: Any, rules: Any,
               column: str) -> ControlChart:
    what = f"{kind} chart"
    counts, sizes, phase = _table_args(counts, column, (sizes, phase), what)
    c, n = _counts(counts, sizes, what, kind in ("p", "np"))
    ph = _phases(phase, c.index, what)
    cnt = c.to_numpy()
    centre, lcl, ucl = (np.empty(len(cnt)) for _ in range(3))
    value = cnt / n if kind in ("p", "u") else cnt
    if kind == "np" and len(set(n)) > 1:
        raise ValidationError("np chart: sample sizes differ; use p_chart for varying sizes")
    for seg in _segments(ph):
        rate = float(cnt[seg].sum() / n[seg].sum())
        if kind == "p":  # Montgomery eq. 7.8 with nᵢ per sample
            centre[seg], half, top = rate, 3 * np.sqrt(rate * (1 - rate) / n[seg]), 1.0
        elif kind == "np":
            centre[seg], half, top = n[seg] * rate, 3 * np.sqrt(n[seg] * rate * (1 - rate)), n[seg]
        elif kind == "c":
            rate = float(cnt[seg].mean())
            centre[seg], half, top = rate, 3 * np.sqrt(rate), np.inf
        else:  # u: eq. 7.19 with nᵢ inspection units
            centre[seg], half, top = rate, 3 * np.sqrt(rate / n[seg]), np.inf
        lcl[seg] = np.maximum(centre[seg] - half, 0.0)
        ucl[seg] = np.minimum(centre[seg] + half, top)
    size = None if kind == "c" else n
    return _finish(kind, c.index, value.astype(float), centre, lcl, ucl, ph, rules, {}, size)


def p_chart(defectives: Any, sizes: Any, *, phase: Any = None,
            rules: str | Iterable[int] = "nelson", column: str = "count") -> ControlChart:
    """Fraction nonconforming chart with (possibly varying) sample sizes.

    p̄ = Σdᵢ / Σnᵢ per phase; limits p̄ ± 3√(p̄(1 − p̄)/nᵢ), clipped to [0, 1].

    Parameters
    ----------
    defectives : array-like, Series, DataFrame or list of rows
        Nonconforming units per sample (a table: its column ``column``).
    sizes : array-like, number or str
        Sample size per sample (or one size for all; with a table, a column name).
    phase, rules
        As in :func:`xmr`.
    column : str
        Count column when ``defectives`` is a table (also for :func:`np_chart`,
        :func:`c_chart`, :func:`u_chart`).

    Examples
    --------
    >>> ch = p_chart([2, 3, 1, 9], [50, 50, 40, 60])
    >>> round(float(ch.table["centre"].iloc[0]), 4)
    0.075
    """
    return _attribute("p", defectives, sizes, phase, rules, column)


def np_chart(defectives: Any, size: Any, *, phase: Any = None,
             rules: str | Iterable[int] = "nelson", column: str = "count") -> ControlChart:
    """Number nonconforming chart for a constant sample size n: n·p̄ ± 3√(n·p̄(1 − p̄)).

    Examples
    --------
    >>> ch = np_chart([2, 3, 1, 4], 50)
    >>> float(ch.table["centre"].iloc[0])
    2.5
    """
    return _attribute("np", defectives, size, phase, rules, column)


def c_chart(counts: Any, *, phase: Any = None,
            rules: str | Iterable[int] = "nelson", column: str = "count") -> ControlChart:
    """Nonconformities per constant inspection unit: c̄ ± 3√c̄ (LCL at least 0).

    Examples
    --------
    >>> ch = c_chart([4, 5, 3, 4])
    >>> float(ch.table["ucl"].iloc[0])
    10.0
    """
    return _attribute("c", counts, None, phase, rules, column)


def u_chart(counts: Any, units: Any, *, phase: Any = None,
            rules: str | Iterable[int] = "nelson", column: str = "count") -> ControlChart:
    """Nonconformities per unit with varying numbers of units: ū ± 3√(ū/nᵢ).

    Examples
    --------
    >>> ch = u_chart([4, 9, 3], [2, 3, 1])
    >>> float(ch.table["centre"].iloc[0])
    2.6666666666666665
    """
    return _attribute("u", counts, units, phase, rules, column)



