"""Earned value management and earned schedule: PMBOK figures, Lipke's ES, nine time forecasts.

One call gives the whole period table and its summary figures (an :class:`EVMResult`)::

    result = tpmkit.evm.metrics(project)          # from the baseline and the progress columns
    result = tpmkit.evm.metrics(periods, bac=...)  # from a period table (cumulative PV, EV, AC)
    result.table                                   # one row per period
    tpmkit.evm.latest(result)                      # the status period as a Series

Inputs come two ways (see :func:`metrics`):

* **period data** — a ``periods`` table with ``period`` and/or ``date`` (the period end) and
  cumulative ``pv``, ``ev``, ``ac`` (future periods carry ``pv`` only; ``pv`` left blank after
  the planned finish stays at its last value). Rows may also be given
  per task (a ``task`` column): the totals are then summed and the schedule adherence
  (p-factor) is available;
* **the project** — each task's budget (``baseline_cost``, else ``cost`` + ``rate`` × duration)
  is spread over its baseline working days (:func:`planned_value`); ``percent_complete``
  earns value (``percent``, ``0/100`` or ``50/50`` rule) and ``actual_cost`` is the actual
  cost at the status date. A task-level status history in ``project.periods`` (columns
  ``task``, ``date``, ``percent_complete``, ``actual_cost``) gives EV and AC for every past
  period (:func:`periods_from_project`).

Time is counted in **periods** (Lipke): the planned duration ``PD`` is the number of periods
until the cumulative PV reaches the BAC, the actual time ``AT`` of a status row is its period
number (frozen once EV reaches the BAC: the actual duration), and the earned schedule ``ES``
is interpolated linearly inside a period.

Undefined ratios (SPI with PV = 0, CPI with AC = 0, TCPI once the budget is spent, …) are
NaN and raise one :class:`EVMWarning` per cause, naming the figures and the periods; they
never crash.

References
----------
.. [1] Project Management Institute, *A Guide to the Project Management Body of Knowledge
   (PMBOK Guide)*, 6th ed., 2017, §7.4.2.2 (earned value analysis), §7.4.2.3 (forecasting),
   §7.4.2.4 (TCPI).
.. [2] W. Lipke, "Schedule is different", *The Measurable News*, March 2003, 31-34.
.. [3] W. Lipke, "Connecting earned value to the schedule", *The Measurable News*, Winter
   2004; and W. Lipke, *Earned Schedule*, Lulu, 2009 (schedule adherence, the p-factor;
   TSPI; IEAC(t)).
.. [4] S. Vandevoorde and M. Vanhoucke, "A comparison of different project duration
   forecasting methods using earned value metrics", *International Journal of Project
   Management* 24 (2006) 289-302 (the planned-value, earned-duration and earned-schedule
   methods, each with PF = 1, SPI/SPI(t), SCI/SCI(t)).
.. [5] F. T. Anbari, "Earned value project management method and extensions", *Project
   Management Journal* 34(4) (2003) 12-23 (time variance TV = SV / PV rate).
.. [6] D. S. Jacob, "Forecasting project schedule completion with earned value metrics",
   *The Measurable News*, March 2003 (earned duration ED = AT · SPI).
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tpmkit.errors import DataError, ValidationError, check_option, format_ids
from tpmkit.model.calendar import busdaycal

if TYPE_CHECKING:  # pragma: no cover
    from tpmkit.model import Project
    from tpmkit.model.calendar import Calendar

__all__ = [
    "EAC_METHODS",
    "EV_RULES",
    "FREQUENCIES",
    "SPREADS",
    "TIME_FORECASTS",
    "EVMResult",
    "EVMWarning",
    "as_of",
    "earned_schedule",
    "latest",
    "metrics",
    "period_ends",
    "periods_from_project",
    "planned_value",
    "schedule_adherence",
    "task_budgets",
    "time_to_date",
]

#: how a task's budget is spread over its baseline working days (cumulative fraction F(x),
#: x = share of the task's working days elapsed): linear x, front-loaded 1-(1-x)², back-loaded
#: x², all at the start (first day), all at the end (last day)
SPREADS = ("linear", "front", "back", "start", "end")
#: how percent complete earns value: EV = BAC·pc/100, or 0 % until finished, or 50 % at start
EV_RULES = ("percent", "0/100", "50/50")
#: which estimate at completion fills the ``eac`` column
EAC_METHODS = ("cpi", "atypical", "cpi_spi", "bottom_up")
#: reporting-period lengths for the project route
FREQUENCIES = ("month", "week", "quarter")
#: the nine time forecasts of Vandevoorde & Vanhoucke (2006): method × performance factor
TIME_FORECASTS = ("eac_t_pv1", "eac_t_pv2", "eac_t_pv3", "eac_t_ed1", "eac_t_ed2",
                  "eac_t_ed3", "eac_t_es1", "eac_t_es2", "eac_t_es3")

# relative tolerance for "PV has reached BAC" / "EV has reached BAC": cumulative sums of
# many task budgets differ from the BAC in the last bits only
_RTOL = 1e-9


class EVMWarning(UserWarning):
    """A figure is undefined for some periods (division by zero) and was set to NaN."""


# --------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------
def _days(values: Any) -> np.ndarray:
    """Dates → datetime64[D] array (NaT kept)."""
    idx = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(values), errors="raise"))
    return idx.values.astype("datetime64[D]")


class _Undefined:
    """Collects the periods where a ratio is undefined, then warns once per cause."""

    def __init__(self, labels: np.ndarray):
        self.labels = labels
        self.found: list[tuple[str, np.ndarray, str]] = []

    def ratio(self, num: np.ndarray, den: np.ndarray, rows: np.ndarray, name: str,
              why: str, positive: bool = False) -> np.ndarray:
        """num/den on ``rows``; NaN (and a note) where den is 0 (or ≤ 0 with ``positive``)."""
        num = np.asarray(num, dtype=float)
        den = np.asarray(den, dtype=float)
        bad = rows & ((den <= 0) if positive else (den == 0)) & ~np.isnan(num)
        out = np.full(np.broadcast(num, den).shape, np.nan)
        ok = rows & ~bad & ~np.isnan(den)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            q = num / den
        out[ok] = np.broadcast_to(q, out.shape)[ok]
        if bad.any():
            self.found.append((name, self.labels[bad], why))
        return out

    def warn(self) -> None:
        # one warning per cause: figures undefined for the same reason in the same periods
        groups: dict[tuple[str, tuple], list[str]] = {}
        for name, labels, why in self.found:
            groups.setdefault((why, tuple(labels.tolist())), []).append(name)
        for (why, labels), names in groups.items():
            verb = "is" if len(names) == 1 else "are"
            warnings.warn(
                f"{', '.join(names)} {verb} undefined for period(s) {format_ids(labels)} "
                f"({why}); set to NaN", EVMWarning, stacklevel=4)


# --------------------------------------------------------------------------------------
# earned schedule
# --------------------------------------------------------------------------------------
def earned_schedule(pv: Any, ev: Any) -> np.ndarray:
    """Earned schedule ES [periods] for each EV on a cumulative PV curve (Lipke 2003).

    ``ES = C + (EV − PV_C) / (PV_{C+1} − PV_C)`` where ``C`` is the number of whole periods
    whose cumulative PV is ≤ EV. ``PV_0 = 0`` at time 0 is implied. Once EV reaches the last
    PV (the BAC), ``ES = PD = len(pv)``: the schedule is fully earned and cannot exceed the
    plan. NaN EVs give NaN.

    Parameters
    ----------
    pv : array_like, shape (PD,)
        Cumulative planned value at the end of periods 1 … PD [currency]; non-decreasing.
    ev : array_like
        Cumulative earned value(s) [currency].

    Returns
    -------
    numpy.ndarray
        ES [periods], the shape of ``ev``.

    References
    ----------
    .. [1] W. Lipke, "Schedule is different", The Measurable News, March 2003.

    Examples
    --------
    PV 10k, 20k, 40k, 70k, 100k; EV = 35k lies between PV(2) = 20k and PV(3) = 40k:

    >>> earned_schedule([10e3, 20e3, 40e3, 70e3, 100e3], [35e3, 100e3])
    array([2.75, 5.  ])
    """
    pv = np.asarray(pv, dtype=float)
    if pv.ndim != 1 or pv.size == 0:
        raise DataError("earned_schedule needs a one-dimensional cumulative PV curve with at "
                        "least one period; pass the PV of periods 1 … PD")
    if np.any(np.isnan(pv)) or np.any(np.diff(np.concatenate([[0.0], pv])) < 0):
        raise ValidationError("the cumulative PV curve must be non-negative and non-decreasing; "
                              "give cumulative (not per-period) planned values")
    ev = np.asarray(ev, dtype=float)
    grid = np.concatenate([[0.0], pv])
    pd_ = pv.size
    done = ev >= grid[-1] * (1 - _RTOL)
    # C = number of whole periods with PV_C ≤ EV (Lipke); side="right" counts ties
    c = np.clip(np.searchsorted(grid, np.where(np.isnan(ev), 0.0, ev), side="right") - 1,
                0, pd_ - 1)
    lo = grid[c]
    hi = grid[c + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(hi > lo, (ev - lo) / (hi - lo), 0.0)
    es = np.where(done, float(pd_), c + np.clip(frac, 0.0, 1.0))
    return np.where(np.isnan(ev), np.nan, es)


def schedule_adherence(task_pv: Any, task_ev: Any, es: Any) -> np.ndarray:
    """Lipke's schedule adherence (p-factor) for each status period.

    ``P = Σ_i min(EV_i, PV_i(ES)) / Σ_i PV_i(ES)``: the share of the value earned that was
    planned to be earned by the earned schedule, where ``PV_i(ES)`` is task i's cumulative PV
    interpolated linearly at time ES. P = 1 means work is done in the planned order; low P
    flags work done out of sequence (impediments, rework risk). P is NaN where nothing is
    earned yet (ES = 0).

    Parameters
    ----------
    task_pv : array_like, shape (n_tasks, PD)
        Cumulative PV of each task at the end of periods 1 … PD [currency].
    task_ev : array_like, shape (n_tasks, n_status)
        Cumulative EV of each task at each status period [currency].
    es : array_like, shape (n_status,)
        Earned schedule of each status period [periods] (:func:`earned_schedule` of the summed
        curves).

    Returns
    -------
    numpy.ndarray
        P in [0, 1] for each status period.

    References
    ----------
    .. [1] W. Lipke, "Connecting earned value to the schedule", The Measurable News, Winter
       2004; W. Lipke, *Earned Schedule*, 2009, ch. 4 (schedule adherence).

    Examples
    --------
    Two tasks planned in sequence (A in period 1, B in period 2); by the end of period 1 the
    team did half of B instead of A:

    >>> pv = [[10.0, 10.0], [0.0, 10.0]]
    >>> schedule_adherence(pv, [[0.0], [5.0]], [0.5])
    array([0.])
    """
    task_pv = np.atleast_2d(np.asarray(task_pv, dtype=float))
    task_ev = np.atleast_2d(np.asarray(task_ev, dtype=float))
    es = np.atleast_1d(np.asarray(es, dtype=float))
    n, pd_ = task_pv.shape
    if task_ev.shape != (n, es.size):
        raise DataError(f"task EV has shape {task_ev.shape} but {n} tasks and {es.size} status "
                        "periods were given; pass one EV column per status period")
    grid = np.hstack([np.zeros((n, 1)), task_pv])
    e = np.clip(np.nan_to_num(es, nan=0.0), 0.0, pd_)
    c = np.minimum(np.floor(e).astype(np.int64), pd_ - 1)
    frac = e - c
    pv_at_es = grid[:, c] + frac * (grid[:, c + 1] - grid[:, c])
    num = np.minimum(task_ev, pv_at_es).sum(axis=0)
    den = pv_at_es.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(den > 0, num / den, np.nan)
    return np.where(np.isnan(es), np.nan, p)


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
@dataclass
class _Curves:
    """Cumulative totals on the period grid, plus optional task-level detail."""

    labels: np.ndarray            # period numbers 1..n (int)
    dates: np.ndarray | None      # period-end dates (datetime64[D]) or None
    pv: np.ndarray
    ev: np.ndarray
    ac: np.ndarray
    etc: np.ndarray | None = None  # bottom-up estimate to complete, when given
    task_pv: np.ndarray | None = None  # (n_tasks, n) cumulative PV per task
    task_ev: np.ndarray | None = None  # (n_tasks, n) cumulative EV per task
    task_ac: np.ndarray | None = None
    task_etc: np.ndarray | None = None
    task_ids: np.ndarray | None = None
    calendar: Calendar | None = None
    source: str = "periods"


def _compute(cv: _Curves, bac: float | None, planned_duration: float | None,
             eac_method: str, currency: str = "") -> EVMResult:
    n = cv.labels.size
    pv, ev, ac = cv.pv, cv.ev, cv.ac
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
        warnings.warn(
            f"the cumulative PV never reaches the BAC ({pv.max():g} < {bac:g}); the planned "
            f"duration is taken as all {n} periods; check project.bac or the pv column",
            EVMWarning, stacklevel=3)
    pv_plan = np.minimum(pv[:pd_], bac)

    status = ~np.isnan(ev) & ~np.isnan(ac)
    if not status.any():
        raise DataError("no period has both earned value (ev) and actual cost (ac); give the "
                        "progress of at least one status period (or set the status date)")
    und = _Undefined(cv.labels)

    # -- actual time; frozen at completion (Lipke: the actual duration) ----------------
    at = cv.labels.astype(float).copy()
    complete = status & (ev >= bac * (1 - _RTOL))
    if complete.any():
        first = int(np.flatnonzero(complete)[0])
        at[first:] = at[first]
    at[~status] = np.nan

    s = status
    nan = np.full(n, np.nan)

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

    # -- earned schedule (Lipke) ------------------------------------------------------
    es = np.where(s, earned_schedule(pv_plan, np.where(s, ev, np.nan)), np.nan)
    sv_t = es - at
    spi_t = und.ratio(es, at, s, "SPI(t)", "AT = 0")
    pdf = float(pd_)
    tspi = und.ratio(pdf - es, pdf - at, open_, "TSPI",
                     "AT ≥ PD: the planned finish has passed, use ieac_t", positive=True)
    sci_t = spi_t * cpi

    # -- the nine time forecasts (Vandevoorde & Vanhoucke 2006, Table 1) ---------------
    tv = on_status(sv * pdf / bac)                       # Anbari: TV = SV / (BAC/PD)
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

    out: dict[str, Any] = {}
    if cv.dates is not None:
        out["date"] = pd.DatetimeIndex(cv.dates)
    out.update(pv=pv, ev=np.where(s, ev, np.nan), ac=np.where(s, ac, np.nan),
               sv=sv, cv=cv_, spi=spi, cpi=cpi, sv_percent=sv_percent, cv_percent=cv_percent,
               bac=np.full(n, bac), eac=eac, etc=etc, vac=vac,
               eac_cpi=eac_cpi, eac_atypical=eac_atypical, eac_cpi_spi=eac_cpi_spi)
    if eac_bottom_up is not None:
        out["etc_bottom_up"] = on_status(cv.etc)
        out["eac_bottom_up"] = eac_bottom_up
    out.update(tcpi_bac=tcpi_bac, tcpi_eac=tcpi_eac,
               percent_planned=100 * pv / bac,
               percent_complete=on_status(100 * ev / bac),
               percent_spent=on_status(100 * ac / bac),
               es=es, at=at, sv_t=sv_t, spi_t=spi_t, tspi=tspi, ieac_t=ieac_t,
               sci=sci, sci_t=sci_t, tv=tv, ed=ed, **f)
    if cv.task_pv is not None and cv.task_ev is not None:
        p = nan.copy()
        p[s] = schedule_adherence(cv.task_pv[:, :pd_], cv.task_ev[:, s], es[s])
        if s.any() and np.isnan(p[s]).any():
            und.found.append(("p-factor", cv.labels[s & np.isnan(p)], "nothing earned yet"))
        out["p_factor"] = p
    if cv.dates is not None:
        out["ieac_t_date"] = time_to_date(ieac_t, cv.dates, cv.calendar)
    und.warn()

    table = pd.DataFrame(out, index=pd.Index(cv.labels, name="period"))
    return EVMResult(
        table=table, bac=bac, planned_duration=pd_,
        status_period=int(cv.labels[np.flatnonzero(s)[-1]]), eac_method=eac_method,
        source=cv.source, currency=currency,
        planned_finish_date=(pd.Timestamp(cv.dates[pd_ - 1]) if cv.dates is not None else None))


def _month_end_grid(ends: np.ndarray, cal: np.busdaycalendar) -> bool:
    """Is every end the last working day of its month?"""
    month_end = np.busday_offset(
        (pd.DatetimeIndex(ends) + pd.offsets.MonthEnd(0)).values.astype("datetime64[D]"), 0,
        roll="backward", busdaycal=cal)
    return bool(np.array_equal(month_end, ends))


def _extend_ends(ends: np.ndarray, count: int, cal: np.busdaycalendar) -> np.ndarray:
    """``count`` further period ends after ``ends``, following the grid's own rhythm."""
    if count <= 0:
        return ends
    k = np.arange(1, count + 1)
    last = pd.Timestamp(ends[-1])
    if _month_end_grid(ends, cal):
        # month-end grid (the last working day of each month)
        base = last + pd.offsets.MonthEnd(0)
        raw = pd.DatetimeIndex([base + pd.offsets.MonthEnd(int(i)) for i in k])
    else:
        diffs = np.diff(ends).astype(np.int64)
        step = float(np.median(diffs)) if diffs.size else 30.0
        if diffs.size and np.all(diffs == diffs[0]):
            step = float(diffs[0])                  # a fixed rhythm (weeks, 4-week periods)
        raw = pd.DatetimeIndex(ends[-1] + np.round(step * k).astype("timedelta64[D]"))
    extra = np.busday_offset(raw.values.astype("datetime64[D]"), 0, roll="backward",
                             busdaycal=cal)
    return np.concatenate([ends, extra])


def time_to_date(times: Any, period_ends: Any, calendar: Calendar | None = None
                 ) -> pd.DatetimeIndex:
    """Calendar dates of times measured in periods (ES, IEAC(t), any EAC(t)).

    A whole time ``k`` is the end of period ``k``; a fraction ``k + f`` is the working day
    reached after a share ``f`` of period ``k+1``'s working days (rounded up to a whole day).
    Times beyond the table follow its rhythm: month ends stay month ends, fixed spacings
    (weeks) are continued, otherwise the median period length is used; period 0 ends one
    period before the first end.

    Parameters
    ----------
    times : array_like
        Times [periods]; NaN and negative values give NaT.
    period_ends : array_like of dates
        End date of periods 1, 2, … (increasing).
    calendar : Calendar, optional
        Working days (default Monday–Friday, no holidays).

    Returns
    -------
    pandas.DatetimeIndex

    Examples
    --------
    >>> ends = ["2027-01-29", "2027-02-26", "2027-03-31"]
    >>> time_to_date([2.0, 2.5, 4.0], ends).strftime("%Y-%m-%d").tolist()
    ['2027-02-26', '2027-03-16', '2027-04-30']
    """
    cal = busdaycal(calendar)
    ends = _days(period_ends)
    if ends.size == 0 or np.isnat(ends).any() or (np.diff(ends).astype(np.int64) <= 0).any():
        raise DataError("period end dates must be given for every period and increase; "
                        "check the date column")
    t = np.atleast_1d(np.asarray(times, dtype=float))
    ok = np.isfinite(t) & (t >= 0)
    out = np.full(t.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    if not ok.any():
        return pd.DatetimeIndex(out)
    ends = _extend_ends(ends, int(np.ceil(t[ok].max())) + 1 - ends.size, cal)
    if _month_end_grid(ends, cal):
        before = (pd.Timestamp(ends[0]) - pd.offsets.MonthEnd(1)).to_datetime64()
    else:
        before = ends[0] - ((ends[1] - ends[0]) if ends.size > 1 else np.timedelta64(30, "D"))
    before = np.busday_offset(np.datetime64(before, "D"), 0, roll="backward", busdaycal=cal)
    grid = np.concatenate([[before], ends])
    lengths = np.busday_count(grid[:-1] + 1, grid[1:] + 1, busdaycal=cal)  # working days
    tk = t[ok]
    k = np.floor(tk + 1e-12).astype(np.int64)
    frac = np.clip(tk - k, 0.0, None)
    whole = frac <= 1e-12
    days = np.ceil(frac * lengths[np.minimum(k, lengths.size - 1)] - 1e-9).astype(np.int64)
    inside = np.busday_offset(grid[k] + 1, np.maximum(days - 1, 0), roll="forward",
                              busdaycal=cal)
    out[ok] = np.where(whole, grid[k], inside)
    return pd.DatetimeIndex(out)


# --------------------------------------------------------------------------------------
# route (a): period data
# --------------------------------------------------------------------------------------
_TASK_COLUMN_NAMES = ("task", "id", "task_id", "activity")


def _normalise(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [str(c).strip().lower().replace(" ", "_") for c in out.columns]
    for c in list(out.columns):
        if c in _TASK_COLUMN_NAMES and "task" not in out.columns:
            out = out.rename(columns={c: "task"})
    return out


def _numbers(df: pd.DataFrame, col: str, where: str) -> np.ndarray:
    if col not in df:
        return np.full(len(df), np.nan)
    raw = df[col]
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        num = raw.astype(float)
        bad = pd.Series(False, index=raw.index)
    else:
        num = pd.to_numeric(raw, errors="coerce")
        suspect = num.isna() & raw.notna()          # text that is not a number (or blank)
        bad = suspect.copy()
        bad[suspect] = raw[suspect].astype(str).str.strip() != ""
    if bad.any():
        raise ValidationError(f"column '{col}' of the {where} is not a number in "
                              f"{_where_rows(df, bad.to_numpy())} (e.g. {raw[bad].iloc[0]!r}); "
                              "write plain numbers, leave future EV/AC empty")
    out = num.to_numpy(dtype=float)
    if (out < 0).any():
        raise ValidationError(f"column '{col}' of the {where} is negative in "
                              f"{_where_rows(df, out < 0)}; cumulative values are ≥ 0")
    return out


def _where_rows(df: pd.DataFrame, mask: np.ndarray) -> str:
    """'period(s) 2, 3', 'task(s) A, B' or 'row(s) 4' for the messages."""
    if "task" in df:
        return f"task(s) {format_ids(pd.unique(df['task'][mask]))}"
    if "period" in df:
        return f"period(s) {format_ids(pd.unique(df['period'][mask]))}"
    return f"row(s) {format_ids(np.flatnonzero(mask) + 1)}"


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
# route (b): the project's baseline and progress
# --------------------------------------------------------------------------------------
def task_budgets(project: Project) -> pd.Series:
    """Each task's budget [currency]: ``baseline_cost``, else ``cost`` + ``rate`` × duration.

    Parameters
    ----------
    project : Project

    Returns
    -------
    pandas.Series
        Indexed by task id; 0 for tasks without any cost.

    Examples
    --------
    >>> from tpmkit.model import build_project
    >>> t = pd.DataFrame({"id": ["A", "B", "C"], "duration": [4, 2, 1],
    ...                   "baseline_cost": [1000, None, None], "cost": [None, 300, None],
    ...                   "rate": [None, 50, None]})
    >>> task_budgets(build_project(t)).tolist()
    [1000.0, 400.0, 0.0]
    """
    t = project.tasks
    fixed = t["cost"].fillna(0.0) + t["rate"].fillna(0.0) * t["duration"].fillna(0.0)
    budget = t["baseline_cost"].where(t["baseline_cost"].notna(), fixed).astype(float)
    bad = budget < 0
    if bad.any():
        raise ValidationError(f"negative budget for task(s) {format_ids(t.index[bad])}; "
                              "baseline_cost, cost and rate must be ≥ 0")
    return budget.rename("budget")


def _spread_fraction(x: np.ndarray, spread: str) -> np.ndarray:
    """Cumulative share F(x) of a task's budget after a share x of its working days."""
    if spread == "linear":
        return x
    if spread == "front":
        return 1.0 - (1.0 - x) ** 2
    if spread == "back":
        return x**2
    if spread == "start":
        return (x > 0).astype(float)
    return (x >= 1.0).astype(float)   # "end"


def _baseline_days(project: Project, budget: pd.Series
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Baseline start/finish (datetime64[D]) and working-day counts; checks the baseline."""
    t = project.tasks
    bs, bf = t["baseline_start"], t["baseline_finish"]
    need = budget > 0
    missing = need & (bs.isna() | bf.isna())
    if missing.all() and need.any():
        raise DataError(
            "the project has no baseline: no task with a budget has baseline_start and "
            "baseline_finish; save a baseline (copy the planned start/finish dates into "
            "baseline_start/baseline_finish) or use period data")
    if missing.any():
        raise DataError(f"task(s) {format_ids(t.index[missing])} have a budget but no "
                        "baseline_start/baseline_finish; give both dates (or a zero budget)")
    reversed_ = bf < bs
    if reversed_.any():
        raise ValidationError(f"baseline_finish is before baseline_start for task(s) "
                              f"{format_ids(t.index[reversed_])}; swap or correct the dates")
    cal = busdaycal(project.calendar)
    start = _days(bs.fillna(bf))
    finish = _days(bf.fillna(bs))
    ok = ~np.isnat(start)
    ndays = np.zeros(len(t), dtype=np.int64)
    ndays[ok] = np.busday_count(start[ok], finish[ok] + 1, busdaycal=cal)
    return start, finish, ndays


def planned_value(project: Project, dates: Any, spread: str = "linear") -> pd.DataFrame:
    """Cumulative planned value of each task at the end of each date [currency].

    Each task's budget (:func:`task_budgets`) is spread over its baseline working days
    (``baseline_start`` … ``baseline_finish``, both included, on ``project.calendar``). After
    ``k`` of the task's ``n`` working days the task has planned ``budget · F(k/n)``, with
    F from ``spread``: ``"linear"`` x, ``"front"`` 1 − (1 − x)², ``"back"`` x², ``"start"``
    (everything on the first day), ``"end"`` (everything on the last day). A task whose
    baseline has no working day (a milestone) plans its budget at its baseline finish.

    Parameters
    ----------
    project : Project
    dates : array_like of dates
        Cut-off dates; the value planned up to the end of each date is returned.
    spread : {"linear", "front", "back", "start", "end"}

    Returns
    -------
    pandas.DataFrame
        Indexed by task id, one column per date; ``.sum()`` is the PV curve.

    References
    ----------
    .. [1] PMBOK Guide, 6th ed., §7.3.2 (cost baseline: time-phased budget).

    Examples
    --------
    >>> from tpmkit.model import build_project
    >>> t = pd.DataFrame({"id": ["A"], "duration": [4], "baseline_cost": [800.0],
    ...                   "baseline_start": ["2027-01-04"], "baseline_finish": ["2027-01-07"]})
    >>> planned_value(build_project(t), ["2027-01-05", "2027-01-31"]).iloc[0].tolist()
    [400.0, 800.0]
    """
    spread = check_option(spread, SPREADS, "spread")
    budget = task_budgets(project)
    start, finish, ndays = _baseline_days(project, budget)
    d = _days(dates)
    cal = busdaycal(project.calendar)
    b = budget.to_numpy(dtype=float)
    has = ~np.isnat(start)
    frac = np.zeros((len(b), d.size))
    if has.any():
        s, f, n = start[has][:, None], finish[has][:, None], ndays[has][:, None]
        done = np.busday_count(s, np.maximum(d[None, :] + 1, s), busdaycal=cal)
        x = np.where(n > 0, np.clip(done, 0, np.maximum(n, 1)) / np.maximum(n, 1),
                     (d[None, :] >= f).astype(float))
        frac[has] = _spread_fraction(x, spread)
    return pd.DataFrame(b[:, None] * frac, index=project.tasks.index,
                        columns=pd.DatetimeIndex(d, name="date"))


def period_ends(first: Any, last: Any, freq: str = "month", anchor: Any = None,
                calendar: Calendar | None = None) -> pd.DatetimeIndex:
    """Reporting-period end dates covering ``first`` … ``last``.

    Periods are calendar months (weeks, quarters) ending on the last working day of the
    period. With ``anchor`` (usually the status date) the grid is shifted so that ``anchor``
    is a period end — monthly reporting on the 15th, say; an anchor on the last working day
    of its month makes every period close a month (quarters ending in the anchor's month).

    Parameters
    ----------
    first, last : date
        The first period ends on/after ``first``; the last on/after ``last``.
    freq : {"month", "week", "quarter"}
    anchor : date, optional
    calendar : Calendar, optional
        Working days (default Monday–Friday).

    Returns
    -------
    pandas.DatetimeIndex

    Examples
    --------
    >>> period_ends("2027-01-04", "2027-03-10").strftime("%Y-%m-%d").tolist()
    ['2027-01-29', '2027-02-26', '2027-03-31']
    >>> period_ends("2027-01-04", "2027-03-10", anchor="2027-02-15").strftime("%d").tolist()
    ['15', '15', '15']
    """
    freq = check_option(freq, FREQUENCIES, "period frequency")
    cal = busdaycal(calendar)
    first_d = pd.Timestamp(first).normalize()
    last_d = pd.Timestamp(last).normalize()
    if last_d < first_d:
        last_d = first_d
    months = {"month": 1, "quarter": 3}.get(freq)
    anchor_d = pd.Timestamp(anchor).normalize() if anchor is not None else None
    if freq == "week":
        # weeks end on Friday unless anchored at the status date
        a = anchor_d if anchor_d is not None else (
            first_d + pd.Timedelta(days=(4 - first_d.weekday()) % 7))
        k0 = -int(np.ceil((a - first_d).days / 7)) - 1
        k1 = int(np.ceil((last_d - a).days / 7)) + 1
        raw = pd.DatetimeIndex([a + pd.Timedelta(weeks=k) for k in range(k0, k1 + 1)])
    elif anchor_d is None:
        raw = pd.date_range(first_d + pd.offsets.MonthEnd(0) - pd.offsets.MonthEnd(months),
                            last_d + pd.offsets.MonthEnd(months),
                            freq="ME" if months == 1 else "QE")
    else:
        span = (last_d.year - first_d.year) * 12 + last_d.month - first_d.month
        da = (anchor_d.year - first_d.year) * 12 + anchor_d.month - first_d.month
        # whole multiples of the period length around the anchor (k = 0 is the anchor)
        ks = range(-da // months - 1, -(-(span - da) // months) + 2)
        month_end = anchor_d + pd.offsets.MonthEnd(0)
        last_workday = pd.Timestamp(np.busday_offset(np.datetime64(month_end.date(), "D"), 0,
                                                     roll="backward", busdaycal=cal))
        if last_workday == anchor_d:
            # the anchor closes its month: every period closes a month
            raw = pd.DatetimeIndex([month_end + pd.offsets.MonthEnd(months * k) for k in ks])
        else:
            raw = pd.DatetimeIndex([anchor_d + pd.DateOffset(months=months * k) for k in ks])
    ends = np.busday_offset(raw.values.astype("datetime64[D]"), 0, roll="backward",
                            busdaycal=cal)
    ends = np.unique(ends)
    first64 = np.datetime64(first_d.date(), "D")
    last64 = np.datetime64(last_d.date(), "D")
    lo = np.searchsorted(ends, first64, side="left")
    hi = np.searchsorted(ends, last64, side="left")
    return pd.DatetimeIndex(ends[lo:hi + 1])


def _earned_fraction(pc: np.ndarray, finished: np.ndarray, started: np.ndarray,
                     rule: str) -> np.ndarray:
    """Share of the budget earned: percent complete under the EV rule."""
    pc = np.clip(np.nan_to_num(pc, nan=0.0), 0.0, 100.0)
    done = finished | (pc >= 100.0)
    if rule == "percent":
        return pc / 100.0
    if rule == "0/100":
        return done.astype(float)
    return np.where(done, 1.0, np.where(started | (pc > 0), 0.5, 0.0))   # 50/50


def _history(project: Project) -> pd.DataFrame | None:
    """The task-level status history in project.periods (task + percent/actual cost)."""
    per = project.periods
    if per is None:
        return None
    df = _normalise(per)
    if "actual_cost" not in df and "ac" in df:
        df = df.rename(columns={"ac": "actual_cost"})   # per-task AC is the actual cost
    if "task" not in df or not ({"percent_complete", "actual_cost"} & set(df.columns)):
        return None
    return df


def as_of(project: Project, status_date: Any) -> Project:
    """The project as it stood at ``status_date``: progress rolled back to that date.

    With a task-level status history in ``project.periods`` (rows of ``task``, ``date``,
    ``percent_complete``, ``ac``/``actual_cost`` and optionally ``etc``), each task's
    progress columns take the values of its last history row on or before the status date
    (0 % and no cost before its first row). Actual starts after the status date are cleared,
    and so are actual finishes after it or of tasks not yet 100 % complete. Without a
    history only the status date changes (and actual dates after it are cleared), so every
    command given ``--status-date`` sees the progress of that date, not of a later one.

    Parameters
    ----------
    project : Project
    status_date : date
        The data date to roll back to.

    Returns
    -------
    Project
        A re-validated copy with ``status_date`` set.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.datasets.load("software_release_tracking")
    >>> april = as_of(p, "2027-04-30")
    >>> float(april.tasks.loc["QA3", "percent_complete"]), float(p.tasks.loc["QA3", "percent_complete"])
    (30.0, 100.0)
    """
    from tpmkit.model.calendar import parse_date

    status = parse_date(status_date, "status date")
    if status is None:
        return project
    table = project.to_table().set_index("id")
    hist = _history(project)
    if hist is not None and "date" in hist:
        hist, days = _history_dates(hist, project)
        hist = hist.assign(_day=days).loc[days <= np.datetime64(status.date(), "D")]
        last = hist.sort_values("_day").groupby(hist["task"].astype(str)).tail(1)
        last = last.set_index(last["task"].astype(str))
        for col in ("percent_complete", "actual_cost", "etc"):
            if col in last:
                values = pd.to_numeric(last[col], errors="coerce").reindex(table.index)
                table[col] = values.fillna(0.0) if col != "etc" else values
    for col in ("actual_start", "actual_finish"):
        if col in table:
            dates = pd.to_datetime(table[col], errors="coerce")
            table[col] = dates.where(dates <= status)
    if "actual_finish" in table and "percent_complete" in table:
        done = pd.to_numeric(table["percent_complete"], errors="coerce") >= 100
        table["actual_finish"] = table["actual_finish"].where(done)
    return project.replace(tasks=table.reset_index(), links=project.links.drop(columns=["text"]),
                           status_date=status)


def periods_from_project(project: Project, *, status_date: Any = None, freq: str = "month",
                         spread: str = "linear", ev_rule: str = "percent",
                         ends: Any = None, by_task: bool = False) -> pd.DataFrame:
    """Build the period table (cumulative PV, EV, AC) from the baseline and the progress.

    PV comes from :func:`planned_value` at each period end (:func:`period_ends`, anchored at
    the status date). EV = budget × earned fraction (``ev_rule``: ``"percent"`` uses
    ``percent_complete``; ``"0/100"`` earns the budget when the task is finished; ``"50/50"``
    half at the start, the rest at the finish); AC = Σ ``actual_cost``.

    Progress comes from the task table (the state at the status date), or — for every past
    period — from a status history in ``project.periods`` with columns ``task``, ``date``,
    ``percent_complete`` and ``actual_cost`` (or ``ac``), optionally ``etc`` and
    ``actual_finish``: one row per task and status date, cumulative. The status dates must be
    period ends (month ends, or the same day each month); the last one on or before the
    status date is the status period. A task without a row on a status date keeps its last
    reported status (before its first row it has not started).

    Parameters
    ----------
    project : Project
    status_date : date, optional
        Defaults to ``project.status_date``, else the last date of the history.
    freq : {"month", "week", "quarter"}
    spread : {"linear", "front", "back", "start", "end"}
    ev_rule : {"percent", "0/100", "50/50"}
    ends : array_like of dates, optional
        Explicit period end dates (fiscal periods, 4-4-5 calendars, …) instead of ``freq``;
        the status date must be one of them.
    by_task : bool
        Return one row per task and period (columns ``period, date, task, pv, ev, ac``) —
        the input :func:`metrics` needs for the schedule adherence.

    Returns
    -------
    pandas.DataFrame
        Columns ``period, date, pv, ev, ac`` (``etc`` when the tasks carry an ``etc``);
        ``ev``/``ac`` NaN after the status date.

    References
    ----------
    .. [1] PMBOK Guide, 6th ed., §7.4.2.2; Q. W. Fleming and J. M. Koppelman, *Earned Value
       Project Management*, 4th ed., PMI, 2010, ch. 9 (0/100, 50/50 earning rules).

    Examples
    --------
    >>> from tpmkit.model import build_project
    >>> t = pd.DataFrame({"id": ["A", "B"], "duration": [20, 20],
    ...     "baseline_cost": [2000.0, 4000.0],
    ...     "baseline_start": ["2027-02-01", "2027-03-01"],
    ...     "baseline_finish": ["2027-02-26", "2027-03-26"],
    ...     "percent_complete": [100, 25], "actual_cost": [2500.0, 800.0]})
    >>> p = build_project(t, start="2027-02-01", status_date="2027-03-31")
    >>> periods_from_project(p)[["period", "pv", "ev", "ac"]]
       period      pv      ev      ac
    0       1  2000.0     NaN     NaN
    1       2  6000.0  3000.0  3300.0
    """
    spread = check_option(spread, SPREADS, "spread")
    ev_rule = check_option(ev_rule, EV_RULES, "ev_rule")
    freq = check_option(freq, FREQUENCIES, "period frequency")
    c = _project_curves(project, status_date, freq, spread, ev_rule, ends)
    n_t, n_p = c.task_pv.shape
    if by_task:
        out = pd.DataFrame({
            "period": np.tile(c.labels, n_t),
            "date": pd.DatetimeIndex(np.tile(c.dates, n_t)),
            "task": np.repeat(c.task_ids, n_p),
            "pv": c.task_pv.ravel(), "ev": c.task_ev.ravel(), "ac": c.task_ac.ravel()})
        if c.task_etc is not None:
            out["etc"] = c.task_etc.ravel()
        return out
    out = pd.DataFrame({"period": c.labels, "date": pd.DatetimeIndex(c.dates), "pv": c.pv,
                        "ev": c.ev, "ac": c.ac})
    if c.etc is not None:
        out["etc"] = c.etc
    return out


def _project_curves(project: Project, status_date: Any, freq: str, spread: str,
                    ev_rule: str, given_ends: Any = None) -> _Curves:
    """Task-level PV/EV/AC on the period grid from the baseline and the progress."""
    t = project.tasks
    budget = task_budgets(project)
    if not (budget > 0).any():
        raise DataError("no task has a budget; give baseline_cost (or cost and rate) per task, "
                        "or use period data with a pv column")
    start, finish, _ = _baseline_days(project, budget)
    hist = _history(project)
    status = status_date if status_date is not None else project.status_date
    hist_dates = None
    if hist is not None:
        hist, hist_dates = _history_dates(hist, project)
        unknown = ~hist["task"].astype(str).isin(t.index)
        if unknown.any():
            raise ValidationError(f"the status history names unknown task(s) "
                                  f"{format_ids(hist['task'][unknown].unique())}; use ids of "
                                  "the task table")
        if status is None:
            status = pd.Timestamp(hist_dates.max())
        # progress recorded after the status date is the future as seen from that date
        keep = hist_dates <= np.datetime64(pd.Timestamp(status).date(), "D")
        hist, hist_dates = hist[keep], hist_dates[keep]
        if not keep.any():
            raise DataError(f"the status history starts after the status date "
                            f"{pd.Timestamp(status).date()}; choose a later status date")
        status = pd.Timestamp(hist_dates.max())      # the last progress record is the status
    if status is None:
        raise DataError("no status date: set project.status_date (or pass status_date=…) to "
                        "say when percent_complete and actual_cost were recorded")
    # a status date on a weekend means the last working day before it
    status = pd.Timestamp(np.busday_offset(np.datetime64(pd.Timestamp(status).date(), "D"), 0,
                                           roll="backward",
                                           busdaycal=busdaycal(project.calendar)))
    has = ~np.isnat(start)
    first = project.start if project.start is not None else pd.Timestamp(start[has].min())
    first = min(pd.Timestamp(first), pd.Timestamp(start[has].min()))
    last = max(pd.Timestamp(finish[has].max()), status)
    if given_ends is None:
        ends = period_ends(first, last, freq=freq, anchor=status, calendar=project.calendar)
    else:
        ends = _given_ends(given_ends, status, project.calendar)
    ends64 = ends.values.astype("datetime64[D]")
    pv_task = planned_value(project, ends, spread=spread).to_numpy()
    n_t, n_p = pv_task.shape
    b = budget.to_numpy(dtype=float)[:, None]

    ev_task = np.full((n_t, n_p), np.nan)
    ac_task = np.full((n_t, n_p), np.nan)
    etc_task = np.full((n_t, n_p), np.nan)
    status64 = np.datetime64(status.date(), "D")
    if hist is not None:
        pos = {tid: i for i, tid in enumerate(t.index)}
        row = hist["task"].astype(str).map(pos).to_numpy()
        col = np.searchsorted(ends64, hist_dates)
        off_grid = (col >= n_p) | (ends64[np.minimum(col, n_p - 1)] != hist_dates)
        if off_grid.any():
            bad = pd.DatetimeIndex(np.unique(hist_dates[off_grid])).strftime("%Y-%m-%d")
            raise ValidationError(f"status history dates {format_ids(bad)} are not period ends "
                                  f"of the {freq}ly grid; record progress at period ends")
        dup = pd.Series(list(zip(row, col, strict=True))).duplicated().to_numpy()
        if dup.any():
            raise ValidationError(f"the status history repeats task(s) "
                                  f"{format_ids(hist['task'][dup].unique())} on one date; give "
                                  "one row per task and status date")
        reported = np.zeros(n_p, dtype=bool)
        reported[col] = True
        reported &= ends64 <= status64
        # a task without a row on a status date keeps its last reported (cumulative) status;
        # before its first row it has not started
        grids = {}
        for name in ("percent_complete", "actual_cost", "etc"):
            g = np.full((n_t, n_p), np.nan)
            if name in hist:
                values = _numbers(hist, name, "status history")
                if name == "percent_complete" and (values > 100).any():
                    raise ValidationError(
                        f"percent_complete above 100 in the status history for "
                        f"{_where_rows(hist, values > 100)}; give 0-100")
                g[row, col] = values
            g = pd.DataFrame(g[:, reported]).ffill(axis=1).to_numpy()
            grids[name] = g
        fin = np.zeros((n_t, n_p), dtype=bool)
        if "actual_finish" in hist:
            af = pd.to_datetime(hist["actual_finish"], errors="coerce").to_numpy(
                dtype="datetime64[D]")
            fin[row, col] = ~np.isnat(af) & (af <= ends64[col])
        fin = pd.DataFrame(fin[:, reported]).cummax(axis=1).to_numpy()
        pc = np.nan_to_num(grids["percent_complete"])
        ev_task[:, reported] = b * _earned_fraction(pc, fin, pc > 0, ev_rule)
        ac_task[:, reported] = np.nan_to_num(grids["actual_cost"])
        if "etc" in hist:
            etc_task[:, reported] = np.nan_to_num(grids["etc"])
    else:
        k = int(np.searchsorted(ends64, status64))
        pc = t["percent_complete"].to_numpy(dtype=float)
        if np.isnan(pc).all() and t["actual_cost"].isna().all():
            raise DataError("no progress is recorded: no task has percent_complete or "
                            "actual_cost; enter the progress at the status date (or use "
                            "period data with ev and ac columns)")
        af = t["actual_finish"].to_numpy(dtype="datetime64[D]")
        as_ = t["actual_start"].to_numpy(dtype="datetime64[D]")
        fin = ~np.isnat(af) & (af <= status64)
        started = ~np.isnat(as_) & (as_ <= status64)
        ev_task[:, k] = b[:, 0] * _earned_fraction(pc, fin, started, ev_rule)
        acost = t["actual_cost"].to_numpy(dtype=float)
        no_ac = np.isnan(acost) & (np.nan_to_num(pc) > 0)
        if np.isnan(acost).all() and (np.nan_to_num(pc) > 0).any():
            raise DataError("tasks report progress but no actual_cost is given; record the "
                            "actual cost per task (or use period data with an ac column)")
        if no_ac.any():
            warnings.warn(f"task(s) {format_ids(t.index[no_ac])} report progress without an "
                          "actual_cost; counted as 0 in AC", EVMWarning, stacklevel=2)
        ac_task[:, k] = np.nan_to_num(acost)
        if "etc" in t:
            etc_task[:, k] = np.nan_to_num(pd.to_numeric(t["etc"], errors="coerce").to_numpy(
                dtype=float))
    has_etc = not np.isnan(etc_task).all()
    # only status columns are filled, for every task: the sums are NaN elsewhere
    return _Curves(labels=np.arange(1, n_p + 1), dates=ends64, pv=pv_task.sum(axis=0),
                   ev=ev_task.sum(axis=0), ac=ac_task.sum(axis=0),
                   etc=etc_task.sum(axis=0) if has_etc else None, task_pv=pv_task,
                   task_ev=ev_task, task_ac=ac_task, task_etc=etc_task if has_etc else None,
                   task_ids=t.index.to_numpy(), calendar=project.calendar, source="tasks")


def _given_ends(ends: Any, status: pd.Timestamp, calendar: Calendar | None
                ) -> pd.DatetimeIndex:
    """User period ends: sorted, unique, rolled back to working days; must hold the status."""
    try:
        d = _days(ends)
    except (ValueError, TypeError) as exc:
        raise ValidationError(f"cannot read the period end dates ({exc}); give dates as "
                              "YYYY-MM-DD") from exc
    if d.size == 0 or np.isnat(d).any():
        raise ValidationError("the period end dates are empty or hold a blank; give one date "
                              "per period")
    d = np.unique(np.busday_offset(d, 0, roll="backward", busdaycal=busdaycal(calendar)))
    if np.datetime64(status.date(), "D") not in d:
        raise ValidationError(f"the status date {status.date()} is not one of the period ends; "
                              "add it to ends (or change the status date)")
    return pd.DatetimeIndex(d)


def _history_dates(hist: pd.DataFrame, project: Project) -> tuple[pd.DataFrame, np.ndarray]:
    if "date" in hist:
        d = pd.to_datetime(hist["date"], errors="coerce")
        if d.isna().any():
            raise ValidationError("the status history has rows without a readable date; give "
                                  "each row's status date as YYYY-MM-DD")
        # a status recorded on a non-working day belongs to the last working day before it
        days = d.dt.normalize().to_numpy(dtype="datetime64[D]")
        return hist, np.busday_offset(days, 0, roll="backward",
                                      busdaycal=busdaycal(project.calendar))
    raise ValidationError("the status history (project.periods with task, percent_complete, "
                          "actual_cost) needs a 'date' column: the status date of each row")


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
    The nine time forecasts follow the generic ``EAC(t) = AT + PDWR/PF`` of [4]_:

    ======================  ====================  =========================================
    method                  PF                    EAC(t)
    ======================  ====================  =========================================
    planned value [5]_      1 / SPI / SCI         PD − TV;  PD/SPI;  PD/SCI
    earned duration [6]_    1 / SPI / SCI         AT + (max(PD, AT) − ED)/PF
    earned schedule [2]_    1 / SPI(t) / SCI(t)   AT + (PD − ES)/PF
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
            curves = _project_curves(project, status, freq, spread, ev_rule, ends)
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
