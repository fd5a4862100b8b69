"""The earned-value figures: :func:`metrics`, its :class:`EVMResult` and :func:`latest`.

PMBOK variances and indices (SV, CV, SPI, CPI, TCPI), the EAC family (``cpi``, ``atypical``,
``cpi_spi``, ``bottom_up``), the earned-schedule columns and the nine time forecasts of
Vandevoorde & Vanhoucke, computed from period data (route a, a ``periods`` table) or from the
project's baseline and progress (route b, :mod:`tpmkit.evm.progress`).
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tpmkit.errors import DataError, EVMWarning, ValidationError, check_option, format_ids
from tpmkit.evm._common import RTOL as _RTOL
from tpmkit.evm._common import Curves as _Curves
from tpmkit.evm._common import Undefined as _Undefined
from tpmkit.evm._common import normalise as _normalise
from tpmkit.evm._common import numbers as _numbers
from tpmkit.evm.progress import EV_RULES, FREQUENCIES, SPREADS, project_curves
from tpmkit.evm.timing import earned_schedule, schedule_adherence, time_to_date

if TYPE_CHECKING:  # pragma: no cover
    from tpmkit.model import Project
    from tpmkit.model.calendar import Calendar

__all__ = ["EAC_METHODS", "TIME_FORECASTS", "EVMResult", "latest", "metrics"]

#: which estimate at completion fills the ``eac`` column
EAC_METHODS = ("cpi", "atypical", "cpi_spi", "bottom_up")
#: the nine time forecasts of Vandevoorde & Vanhoucke (2006): method × performance factor
TIME_FORECASTS = ("eac_t_pv1", "eac_t_pv2", "eac_t_pv3", "eac_t_ed1", "eac_t_ed2",
                  "eac_t_ed3", "eac_t_es1", "eac_t_es2", "eac_t_es3")


@dataclass(frozen=True)
class EVMResult:
    """Earned-value metrics: the period table and the figures that describe it.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per period (see :func:`metrics`).
    bac : float
        Budget at completion [currency].
    planned_duration : int
        PD, the period whose cumulative PV reaches the BAC [periods].
    status_period : int
        The last period with EV and AC.
    eac_method : str
        Which EAC fills the ``eac`` column.
    source : str
        ``"periods"`` (a period table) or ``"tasks"`` (baseline and progress of the tasks).
    planned_finish_date : Timestamp or None
        End of period PD, when the periods have dates.
    currency : str
        Currency of the money columns (the project's, empty for a bare period table).
    """

    table: pd.DataFrame
    bac: float
    planned_duration: int
    status_period: int
    eac_method: str
    source: str
    planned_finish_date: pd.Timestamp | None = None
    currency: str = ""

    def __repr__(self) -> str:
        return (f"EVMResult(periods={len(self.table)}, status_period={self.status_period}, "
                f"bac={self.bac:g}, planned_duration={self.planned_duration}, "
                f"source={self.source!r})")

    def _repr_html_(self) -> str:
        row = self.table.loc[self.status_period]
        cur = f" {html.escape(self.currency)}" if self.currency else ""
        head = (f"<p><b>Earned value</b> at period {self.status_period} of "
                f"{self.planned_duration} planned (source: {html.escape(self.source)}): "
                f"BAC {self.bac:,.2f}{cur}, EAC {row['eac']:,.2f}{cur}, "
                f"SPI {row['spi']:.3f}, CPI {row['cpi']:.3f}, SPI(t) {row['spi_t']:.3f}.</p>")
        return head + self.table.to_html(float_format=lambda x: f"{x:,.4g}", max_rows=60)


# --------------------------------------------------------------------------------------
# the core: period totals → the metrics table
# --------------------------------------------------------------------------------------
def _compute(cv: _Curves, bac: float | None, planned_duration: float | None,
             eac_method: str, currency: str = "") -> EVMResult:
    bac, pd_ = _budget_and_duration(cv, bac, planned_duration)
    s = ~np.isnan(cv.ev) & ~np.isnan(cv.ac)
    if not s.any():
        raise DataError("no period has both earned value (ev) and actual cost (ac); give the "
                        "progress of at least one status period (or set the status date)")
    und = _Undefined(cv.labels)
    at = _actual_time(cv, s, bac)
    c = _cost_figures(cv, s, und, bac, eac_method)
    t = _time_figures(cv, s, und, bac, pd_, at, c)
    out = _columns(cv, s, und, bac, pd_, c, t)
    und.warn()

    table = pd.DataFrame(out, index=pd.Index(cv.labels, name="period"))
    return EVMResult(
        table=table, bac=bac, planned_duration=pd_,
        status_period=int(cv.labels[np.flatnonzero(s)[-1]]), eac_method=eac_method,
        source=cv.source, currency=currency,
        planned_finish_date=(pd.Timestamp(cv.dates[pd_ - 1]) if cv.dates is not None else None))


def _budget_and_duration(cv: _Curves, bac: float | None, planned_duration: float | None
                         ) -> tuple[float, int]:
    """The BAC (default: the largest cumulative PV) and PD, the period whose PV reaches it."""
    n = cv.labels.size
    pv = cv.pv
    if np.isnan(pv).any():
        raise DataError(f"planned value (pv) is missing for period(s) "
                        f"{format_ids(cv.labels[np.isnan(pv)])}; every period needs its "
                        "cumulative PV, future periods included")
    if bac is None:
        bac = float(pv.max())
    bac = float(bac)
    if not bac > 0:
        raise DataError("the budget at completion (BAC) is not positive; give project.bac or "
                        "planned values (pv) that reach the budget")
    reached = np.flatnonzero(pv >= bac * (1 - _RTOL))
    if planned_duration is not None:
        pd_ = int(planned_duration)
        if not 1 <= pd_ <= n or pd_ != planned_duration:
            raise DataError(f"planned_duration={planned_duration!r} must be a whole number of "
                            f"periods between 1 and {n}")
    elif reached.size:
        pd_ = int(reached[0]) + 1
    else:
        pd_ = n
        # stacklevel: this helper, _compute, metrics, the caller of metrics
        warnings.warn(
            f"the cumulative PV never reaches the BAC ({pv.max():g} < {bac:g}); the planned "
            f"duration is taken as all {n} periods; check project.bac or the pv column",
            EVMWarning, stacklevel=4)
    return bac, pd_


def _actual_time(cv: _Curves, s: np.ndarray, bac: float) -> np.ndarray:
    """AT per period; frozen at completion (Lipke: the actual duration), NaN off status."""
    at = cv.labels.astype(float).copy()
    complete = s & (cv.ev >= bac * (1 - _RTOL))
    if complete.any():
        first = int(np.flatnonzero(complete)[0])
        at[first:] = at[first]
    at[~s] = np.nan
    return at


def _cost_figures(cv: _Curves, s: np.ndarray, und: _Undefined, bac: float,
                  eac_method: str) -> dict[str, Any]:
    """Variances, indices, the EAC family and the to-complete indices (PMBOK ch. 7)."""
    n = cv.labels.size
    pv, ev, ac = cv.pv, cv.ev, cv.ac

    def on_status(x: np.ndarray) -> np.ndarray:
        return np.where(s, x, np.nan)

    sv = on_status(ev - pv)                                  # PMBOK (7-1)
    cv_ = on_status(ev - ac)                                 # PMBOK (7-2)
    spi = und.ratio(ev, pv, s, "SPI", "PV = 0")              # PMBOK (7-3)
    cpi = und.ratio(ev, ac, s, "CPI", "AC = 0")              # PMBOK (7-4)
    sv_percent = und.ratio(100 * sv, pv, s, "SV%", "PV = 0")
    cv_percent = und.ratio(100 * cv_, ev, s, "CV%", "EV = 0")
    eac_cpi = und.ratio(np.full(n, bac), cpi, s, "EAC (BAC/CPI)", "CPI = 0 or undefined")
    eac_atypical = on_status(ac + bac - ev)
    sci = spi * cpi
    eac_cpi_spi = on_status(ac + und.ratio(bac - ev, sci, s, "EAC (CPI·SPI)",
                                           "CPI·SPI = 0 or undefined"))
    eac_bottom_up = on_status(ac + cv.etc) if cv.etc is not None else None
    eac = {"cpi": eac_cpi, "atypical": eac_atypical, "cpi_spi": eac_cpi_spi,
           "bottom_up": eac_bottom_up}[eac_method]
    if eac is None:
        raise DataError("eac_method='bottom_up' needs a bottom-up estimate to complete: an "
                        "'etc' column in the period table (or per task in the project)")
    etc = eac - ac
    vac = bac - eac
    # to-complete indices exist only while work remains (NaN, quietly, once EV = BAC)
    open_ = s & (ev < bac * (1 - _RTOL))
    tcpi_bac = und.ratio(bac - ev, bac - ac, open_, "TCPI (BAC)",
                         "AC ≥ BAC: the budget is spent", positive=True)
    tcpi_eac = und.ratio(bac - ev, eac - ac, open_, "TCPI (EAC)",
                         "EAC ≤ AC: nothing left to spend", positive=True)
    return {"sv": sv, "cv": cv_, "spi": spi, "cpi": cpi, "sv_percent": sv_percent,
            "cv_percent": cv_percent, "eac": eac, "etc": etc, "vac": vac, "eac_cpi": eac_cpi,
            "eac_atypical": eac_atypical, "eac_cpi_spi": eac_cpi_spi,
            "eac_bottom_up": eac_bottom_up, "sci": sci, "open": open_, "tcpi_bac": tcpi_bac,
            "tcpi_eac": tcpi_eac}


def _time_figures(cv: _Curves, s: np.ndarray, und: _Undefined, bac: float, pd_: int,
                  at: np.ndarray, c: dict[str, Any]) -> dict[str, Any]:
    """Earned schedule (Lipke) and the nine time forecasts (Vandevoorde & Vanhoucke 2006)."""
    n = cv.labels.size
    ev = cv.ev
    spi, cpi, sci, open_ = c["spi"], c["cpi"], c["sci"], c["open"]
    pv_plan = np.minimum(cv.pv[:pd_], bac)
    # -- earned schedule (Lipke) ------------------------------------------------------
    es = np.where(s, earned_schedule(pv_plan, np.where(s, ev, np.nan)), np.nan)
    sv_t = es - at
    spi_t = und.ratio(es, at, s, "SPI(t)", "AT = 0")
    pdf = float(pd_)
    tspi = und.ratio(pdf - es, pdf - at, open_, "TSPI",
                     "AT ≥ PD: the planned finish has passed, use ieac_t", positive=True)
    sci_t = spi_t * cpi

    # -- the nine time forecasts (Vandevoorde & Vanhoucke 2006, Table 1) ---------------
    tv = np.where(s, c["sv"] * pdf / bac, np.nan)        # Anbari: TV = SV / (BAC/PD)
    ed = at * spi                                        # Jacob: ED = AT · SPI
    late = np.maximum(pdf, at)
    f = {
        "eac_t_pv1": pdf - tv,
        "eac_t_pv2": und.ratio(np.full(n, pdf), spi, s, "EAC(t) PV2", "SPI undefined or 0"),
        "eac_t_pv3": und.ratio(np.full(n, pdf), sci, s, "EAC(t) PV3", "SCI undefined or 0"),
        "eac_t_ed1": at + (late - ed),
        "eac_t_ed2": at + und.ratio(late - ed, spi, s, "EAC(t) ED2", "SPI undefined or 0"),
        "eac_t_ed3": at + und.ratio(late - ed, sci, s, "EAC(t) ED3", "SCI undefined or 0"),
        "eac_t_es1": at + (pdf - es),
        "eac_t_es2": at + und.ratio(pdf - es, spi_t, s, "EAC(t) ES2", "SPI(t) = 0"),
        "eac_t_es3": at + und.ratio(pdf - es, sci_t, s, "EAC(t) ES3", "SCI(t) undefined or 0"),
    }
    ieac_t = f["eac_t_es2"]                              # Lipke: IEAC(t) = AT + (PD−ES)/SPI(t)
    return {"es": es, "at": at, "sv_t": sv_t, "spi_t": spi_t, "tspi": tspi, "sci_t": sci_t,
            "tv": tv, "ed": ed, "ieac_t": ieac_t, "forecasts": f}


def _columns(cv: _Curves, s: np.ndarray, und: _Undefined, bac: float, pd_: int,
             c: dict[str, Any], t: dict[str, Any]) -> dict[str, Any]:
    """The columns of the metrics table, in order (p-factor and IEAC(t) date when known)."""
    n = cv.labels.size
    pv, ev, ac = cv.pv, cv.ev, cv.ac
    es, at = t["es"], t["at"]
    out: dict[str, Any] = {}
    if cv.dates is not None:
        out["date"] = pd.DatetimeIndex(cv.dates)
    out.update(pv=pv, ev=np.where(s, ev, np.nan), ac=np.where(s, ac, np.nan),
               sv=c["sv"], cv=c["cv"], spi=c["spi"], cpi=c["cpi"], sv_percent=c["sv_percent"],
               cv_percent=c["cv_percent"], bac=np.full(n, bac), eac=c["eac"], etc=c["etc"],
               vac=c["vac"], eac_cpi=c["eac_cpi"], eac_atypical=c["eac_atypical"],
               eac_cpi_spi=c["eac_cpi_spi"])
    if c["eac_bottom_up"] is not None:
        out["etc_bottom_up"] = np.where(s, cv.etc, np.nan)
        out["eac_bottom_up"] = c["eac_bottom_up"]
    out.update(tcpi_bac=c["tcpi_bac"], tcpi_eac=c["tcpi_eac"],
               percent_planned=100 * pv / bac,
               percent_complete=np.where(s, 100 * ev / bac, np.nan),
               percent_spent=np.where(s, 100 * ac / bac, np.nan),
               es=es, at=at, sv_t=t["sv_t"], spi_t=t["spi_t"], tspi=t["tspi"],
               ieac_t=t["ieac_t"], sci=c["sci"], sci_t=t["sci_t"], tv=t["tv"], ed=t["ed"],
               **t["forecasts"])
    if cv.task_pv is not None and cv.task_ev is not None:
        p = np.full(n, np.nan)
        p[s] = schedule_adherence(cv.task_pv[:, :pd_], cv.task_ev[:, s], es[s])
        if s.any() and np.isnan(p[s]).any():
            und.found.append(("p-factor", cv.labels[s & np.isnan(p)], "nothing earned yet"))
        out["p_factor"] = p
    if cv.dates is not None:
        out["ieac_t_date"] = time_to_date(t["ieac_t"], cv.dates, cv.calendar)
    return out


# --------------------------------------------------------------------------------------
# route (a): period data
# --------------------------------------------------------------------------------------
def _period_axis(df: pd.DataFrame, where: str) -> tuple[pd.DataFrame, np.ndarray | None]:
    """Validate/derive the ``period`` and ``date`` columns; sort by period."""
    dates = None
    if "date" in df:
        d = pd.to_datetime(df["date"], errors="coerce")
        bad = d.isna() & df["date"].notna()
        if bad.any():
            raise ValidationError(f"column 'date' of the {where} holds unreadable dates "
                                  f"(e.g. {df['date'][bad].iloc[0]!r}); write YYYY-MM-DD")
        df = df.assign(date=d.dt.normalize())
    if "period" in df:
        p = pd.to_numeric(df["period"], errors="coerce")
        if p.isna().any() or (p != np.round(p)).any() or (p < 1).any():
            raise ValidationError(f"column 'period' of the {where} must hold whole numbers "
                                  "1, 2, 3, …; renumber the periods")
        df = df.assign(period=p.astype(np.int64))
    elif "date" in df:
        if df["date"].isna().any():
            raise ValidationError(f"the {where} has rows without a date; give every period's "
                                  "end date (or a period column)")
        order = {d: i + 1 for i, d in enumerate(sorted(df["date"].unique()))}
        df = df.assign(period=df["date"].map(order).astype(np.int64))
    else:
        raise ValidationError(f"the {where} needs a 'period' column (1, 2, …) or a 'date' column "
                              "(period end dates)")
    labels = np.sort(df["period"].unique())
    missing = sorted(set(range(1, int(labels.max()) + 1)) - set(labels.tolist()))
    if missing:
        raise ValidationError(f"the {where} skips period(s) {format_ids(missing)}; earned "
                              "schedule needs consecutive periods 1, 2, …, give a row for each")
    if "date" in df:
        per = df.groupby("period")["date"].agg(["min", "max"])
        if (per["min"] != per["max"]).any():
            bad = per.index[per["min"] != per["max"]]
            raise ValidationError(f"period(s) {format_ids(bad)} of the {where} have more than "
                                  "one end date; give one date per period")
        dates = per["min"].to_numpy(dtype="datetime64[D]")
        if np.isnat(dates).any() or (np.diff(dates).astype(np.int64) <= 0).any():
            raise ValidationError(f"the period end dates of the {where} must be given for every "
                                  "period and increase with the period number")
    return df.sort_values("period", kind="stable"), dates


def _curves_from_periods(periods: pd.DataFrame, status_date: pd.Timestamp | None,
                         calendar: Calendar | None) -> _Curves:
    where = "period table"
    df, dates = _period_axis(_normalise(periods), where)
    if "pv" not in df:
        raise DataError("the period table has no 'pv' column; give the cumulative planned value "
                        "of every period (and 'ev', 'ac' for past periods)")
    for col in ("pv", "ev", "ac", "etc"):
        df[col] = _numbers(df, col, where)
    labels = np.sort(df["period"].unique())
    task_pv = task_ev = None
    if "task" in df:
        codes, tasks = pd.factorize(df["task"].astype(str))
        col = np.searchsorted(labels, df["period"].to_numpy())
        key = codes.astype(np.int64) * labels.size + col
        dup = pd.Series(key).duplicated().to_numpy()
        if dup.any():
            raise ValidationError(f"the period table repeats task(s) "
                                  f"{format_ids(df['task'][dup].unique())} within one period; "
                                  "give one row per task and period")
        wide = {}
        for c in ("pv", "ev", "ac", "etc"):
            w = np.full((tasks.size, labels.size), np.nan)
            w[codes, col] = df[c].to_numpy(dtype=float)
            wide[c] = w
        # a task without a row in a period contributes nothing to that period's totals
        # (a period where no task has a value stays NaN)
        tot = {c: np.where(np.isnan(w).all(axis=0), np.nan, np.nansum(w, axis=0))
               for c, w in wide.items()}
        pv, ev, ac, etc = tot["pv"], tot["ev"], tot["ac"], tot["etc"]
        task_pv = np.nan_to_num(pd.DataFrame(wide["pv"]).ffill(axis=1).to_numpy(), nan=0.0)
        task_ev = wide["ev"]
    else:
        dup = df["period"].duplicated()
        if dup.any():
            raise ValidationError(f"period(s) {format_ids(df['period'][dup].unique())} appear "
                                  "twice in the period table; give one row per period")
        pv, ev, ac, etc = (df[c].to_numpy(dtype=float) for c in ("pv", "ev", "ac", "etc"))
    given = np.flatnonzero(~np.isnan(pv))
    gaps = np.isnan(pv) & (np.arange(pv.size) < (given[-1] if given.size else 0))
    if not given.size or gaps.any():
        missing = labels[gaps] if given.size else labels
        raise DataError(f"planned value (pv) is missing for period(s) {format_ids(missing)}; "
                        "every planned period needs its cumulative PV")
    # after the planned finish the cumulative PV stays where it ended (periods of a late
    # project often leave it blank)
    pv = np.where(np.isnan(pv), pv[given[-1]], pv)
    diff = np.diff(np.concatenate([[0.0], pv]))
    if (diff < -1e-9 * max(1.0, np.nanmax(pv))).any():
        raise ValidationError(f"the cumulative PV decreases in period(s) "
                              f"{format_ids(labels[diff < 0])}; pv must be cumulative "
                              "(running totals), not per-period amounts")
    if status_date is not None:
        if dates is None:
            raise DataError("a status date was given but the period table has no 'date' "
                            "column; add the period end dates or drop the status date")
        future = dates > np.datetime64(pd.Timestamp(status_date).date(), "D")
        ev = np.where(future, np.nan, ev)
        ac = np.where(future, np.nan, ac)
        if task_ev is not None:
            task_ev = np.where(future[None, :], np.nan, task_ev)
    if task_ev is not None:
        # p-factor needs every task's EV in a status period; NaN there means "not reported"
        task_ev = np.where(np.isnan(task_ev) & ~np.isnan(ev)[None, :], 0.0, task_ev)
    return _Curves(labels=labels, dates=dates, pv=pv, ev=ev, ac=ac,
                   etc=None if np.isnan(etc).all() else etc,
                   task_pv=task_pv, task_ev=task_ev, calendar=calendar, source="periods")


# --------------------------------------------------------------------------------------
# the front door
# --------------------------------------------------------------------------------------
def metrics(data: Project | pd.DataFrame, *, bac: float | None = None, status_date: Any = None,
            source: str = "auto", eac_method: str = "cpi", spread: str = "linear",
            ev_rule: str = "percent", freq: str = "month", ends: Any = None,
            planned_duration: int | None = None) -> EVMResult:
    """Every earned-value and earned-schedule figure, one row per period.

    Parameters
    ----------
    data : Project or DataFrame
        A period table (DataFrame), or a project: its ``periods`` table when that has a ``pv``
        column, else its baseline and progress (:func:`periods_from_project`).
    bac : float, optional
        Budget at completion [currency]; default ``project.bac``, else the largest PV.
    status_date : date, optional
        Period data: periods ending after it are treated as future (EV, AC ignored).
        Project route: the date of the progress columns. Default ``project.status_date``.
    source : {"auto", "periods", "tasks"}
        Force the input route.
    eac_method : {"cpi", "atypical", "cpi_spi", "bottom_up"}
        Which EAC fills ``eac`` (and so ``etc``, ``vac``, ``tcpi_eac``); all EACs are
        returned as their own columns.
    spread, ev_rule, freq, ends
        Project route options, see :func:`periods_from_project`.
    planned_duration : int, optional
        PD [periods]; default the first period whose cumulative PV reaches the BAC.

    Returns
    -------
    EVMResult
        ``table`` indexed by ``period`` (1, 2, …) with the columns: ``date`` (when known); ``pv, ev, ac``
        [currency]; ``sv = ev − pv``, ``cv = ev − ac``, ``spi = ev/pv``, ``cpi = ev/ac``,
        ``sv_percent = 100·sv/pv``, ``cv_percent = 100·cv/ev``; ``bac``; ``eac`` (by
        ``eac_method``), ``etc = eac − ac``, ``vac = bac − eac``; ``eac_cpi = bac/cpi``,
        ``eac_atypical = ac + bac − ev``, ``eac_cpi_spi = ac + (bac − ev)/(cpi·spi)``
        (``etc_bottom_up``, ``eac_bottom_up = ac + etc_bottom_up`` when given);
        ``tcpi_bac = (bac − ev)/(bac − ac)``, ``tcpi_eac = (bac − ev)/(eac − ac)``;
        ``percent_planned``, ``percent_complete``, ``percent_spent`` [% of BAC]; earned
        schedule [periods]: ``es``, ``at``, ``sv_t = es − at``, ``spi_t = es/at``,
        ``tspi = (pd − es)/(pd − at)``, ``ieac_t = at + (pd − es)/spi_t``; ``sci = spi·cpi``,
        ``sci_t = spi_t·cpi``, ``tv`` (time variance), ``ed`` (earned duration); the nine
        forecasts ``eac_t_pv1 … eac_t_es3`` [periods] (:data:`TIME_FORECASTS`); ``p_factor``
        with task-level data; ``ieac_t_date`` (ES-based forecast finish) when dates are known.
        Rows after the status period carry PV only. Fields: ``bac``,
        ``planned_duration``, ``status_period``, ``eac_method``, ``source``,
        ``planned_finish_date`` (the end of period PD, when dates are known), ``currency``.
        Note: ``at`` clashes with pandas' ``.at`` accessor; write ``table["at"]``.

    Raises
    ------
    ValidationError
        Malformed period data (skipped or repeated periods, decreasing PV, text or negative
        numbers, dates out of order) or baseline dates in the wrong order; names the periods
        or tasks.
    DataError
        Missing data: no PV, no status period, no baseline or budget, no status date, no
        progress; says what to add.
    OptionError
        An unknown ``source``, ``eac_method``, ``spread``, ``ev_rule`` or ``freq``.

    Warns
    -----
    EVMWarning
        When a ratio is undefined in some status period (it is set to NaN).

    Notes
    -----
    The nine time forecasts follow the generic ``EAC(t) = AT + PDWR/PF`` of [4]_, with the
    planned value method of [5]_, the earned duration method of [6]_ and earned schedule [2]_:

    ======================  ====================  =========================================
    method                  PF                    EAC(t)
    ======================  ====================  =========================================
    planned value           1 / SPI / SCI         PD − TV;  PD/SPI;  PD/SCI
    earned duration         1 / SPI / SCI         AT + (max(PD, AT) − ED)/PF
    earned schedule         1 / SPI(t) / SCI(t)   AT + (PD − ES)/PF
    ======================  ====================  =========================================

    with ``TV = SV·PD/BAC`` and ``ED = AT·SPI``. At completion (EV = BAC) ES = PD and AT
    stays at the completion period (the actual duration), so SPI(t) = PD/AD while SPI = 1.

    References
    ----------
    .. [1] PMBOK Guide, 6th ed., 2017, §7.4.2.2-7.4.2.4, equations in Table 7-1.
    .. [2] W. Lipke, "Schedule is different", The Measurable News, March 2003.
    .. [3] W. Lipke, *Earned Schedule*, 2009 (TSPI, IEAC(t), schedule adherence).
    .. [4] S. Vandevoorde and M. Vanhoucke, Int. J. Project Management 24 (2006) 289-302.
    .. [5] F. T. Anbari, Project Management Journal 34(4) (2003) 12-23.
    .. [6] D. S. Jacob, The Measurable News, March 2003.

    Examples
    --------
    Schwalbe's exercise: BAC 200,000, six months, status after month 3:

    >>> periods = pd.DataFrame({"period": [1, 2, 3, 4, 5, 6],
    ...     "pv": [40e3, 80e3, 120e3, 150e3, 180e3, 200e3],
    ...     "ev": [35e3, 70e3, 100e3, None, None, None],
    ...     "ac": [30e3, 60e3, 90e3, None, None, None]})
    >>> row = latest(metrics(periods))
    >>> float(row.cv), round(float(row.cpi), 4), float(row.eac)
    (10000.0, 1.1111, 180000.0)
    >>> float(row.es), float(row.sv_t)
    (2.5, -0.5)
    """
    source = check_option(source, ("auto", "periods", "tasks"), "source")
    eac_method = check_option(eac_method, EAC_METHODS, "eac_method")
    spread = check_option(spread, SPREADS, "spread")
    ev_rule = check_option(ev_rule, EV_RULES, "ev_rule")
    freq = check_option(freq, FREQUENCIES, "period frequency")
    status = pd.Timestamp(status_date).normalize() if status_date is not None else None
    currency = ""
    if isinstance(data, pd.DataFrame):
        if source == "tasks":
            raise DataError("source='tasks' needs a Project (read the file with tpmkit.read)")
        curves = _curves_from_periods(data, status, None)
    else:
        project = data
        currency = project.currency or ""
        if bac is None:
            bac = project.bac
        per = project.periods
        has_pv = per is not None and "pv" in _normalise(per).columns
        if source == "periods" or (source == "auto" and has_pv):
            if per is None or not has_pv:
                raise DataError("source='periods' but the project has no period table with a "
                                "'pv' column; add a periods table or use source='tasks'")
            # the file's status date applies too, when the periods carry dates
            implied = project.status_date if status is None else None
            has_dates = "date" in _normalise(per).columns
            curves = _curves_from_periods(per, status if status is not None else (
                implied if has_dates else None), project.calendar)
        else:
            curves = project_curves(project, status, freq, spread, ev_rule, ends)
    return _compute(curves, bac, planned_duration, eac_method, currency)


def latest(table: EVMResult | pd.DataFrame) -> pd.Series:
    """The status period of a :func:`metrics` result (or table): the last row with EV and AC.

    Examples
    --------
    >>> t = metrics(pd.DataFrame({"pv": [10.0, 20.0], "ev": [8.0, None], "ac": [9.0, None],
    ...                           "period": [1, 2]}))
    >>> int(latest(t).name), float(latest(t).spi)
    (1, 0.8)
    """
    if isinstance(table, EVMResult):
        table = table.table
    rows = table.dropna(subset=["ev", "ac"])
    if rows.empty:
        raise DataError("the table has no status period (no row with both ev and ac)")
    return rows.iloc[-1]
