"""Early-warning signs of earned value and the probabilistic forecast from the period history.

:func:`warning_signs` reads an :class:`~tpmkit.evm.EVMResult` and adds what practitioners look
at beside the cumulative indices: the *current-period* (incremental) indices, the indices of the
last few periods, the trend of CPI and SPI(t) over the last three periods and the gap between
the to-complete performance index and the CPI achieved so far (TCPI − CPI > 0.10: the budget
is no longer credible). :func:`probabilistic_forecast` turns the history of periodic CPI and
SPI(t) into percentiles of the estimate at completion and of the completion time — Lipke's
statistical forecasting (log-normal confidence limits with a finite-population correction) or a
paired bootstrap of the periodic indices.

References
----------
.. [1] D. S. Christensen, "Using performance indices to evaluate the estimate at completion",
   *Journal of Cost Analysis* 11(1), 1994, 17-24; and Defense Acquisition University, *Earned
   Value Management "Gold Card"* (TCPI more than 0.10 above the CPI: the EAC needs review).
.. [2] W. Lipke, O. Zwikael, K. Henderson and F. Anbari, "Prediction of project outcome: the
   application of statistical methods to earned value management and earned schedule
   performance indexes", *International Journal of Project Management* 27 (2009) 400-407.
.. [3] W. Lipke, "Applying statistical methods to EVM reserve planning and forecasting",
   *The Measurable News*, 2010, issue 3, 17-24 (ln of the periodic indices, confidence limits
   CL = ln I_cum ± z·σ/√n·AF, AF = √((N − n)/(N − 1))).
.. [4] Deltek, *Cobra* help, "Examples of statistical forecast calculations" (performance
   factors from the current period and from the last 3 and 6 periods).
.. [5] B. Efron and R. J. Tibshirani, *An Introduction to the Bootstrap*, Chapman & Hall, 1993.
"""

from __future__ import annotations

import html
import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tpmkit._core.rng import resolve_rng
from tpmkit.errors import DataError, EVMWarning, ValidationError, check_option, format_ids
from tpmkit.evm.timing import time_to_date

if TYPE_CHECKING:  # pragma: no cover
    from tpmkit.evm.figures import EVMResult
    from tpmkit.model.calendar import Calendar

__all__ = ["FORECAST_METHODS", "TCPI_GAP", "EVMForecast", "WarningSigns",
           "probabilistic_forecast", "warning_signs"]

#: TCPI − CPI above this is the classic sign that the BAC can no longer be met [1]_
TCPI_GAP = 0.10
#: methods of :func:`probabilistic_forecast`
FORECAST_METHODS = ("lognormal", "bootstrap")
_PERCENTILES = (10, 50, 80, 90)


@dataclass(frozen=True)
class WarningSigns:
    """Result of :func:`warning_signs`.

    Attributes
    ----------
    table : DataFrame
        One row per status period (index ``period``): ``cpi``, ``spi``, ``spi_t`` (cumulative),
        the current-period indices ``cpi_period = ΔEV/ΔAC``, ``spi_period = ΔEV/ΔPV``,
        ``spi_t_period = ΔES/ΔAT``; the indices of the last ``window`` status periods
        ``cpi_window``, ``spi_t_window``; the change of the cumulative CPI and SPI(t) over the
        last three status periods ``cpi_trend``, ``spi_t_trend`` and whether each of those three
        changes was a fall (``cpi_falling``, ``spi_t_falling``); ``tcpi_gap = tcpi_bac − cpi``;
        the EACs from the current-period and window CPIs ``eac_cpi_period``,
        ``eac_cpi_window`` (``AC + (BAC − EV)/index``).
    signs : DataFrame
        The signs at the status period, indexed by ``sign``: ``value``, ``threshold``,
        ``triggered`` (True/False, None without enough history), ``meaning``.
    window : int
        Status periods in the window indices.
    status_period : int
    """

    table: pd.DataFrame
    signs: pd.DataFrame
    window: int
    status_period: int

    @property
    def triggered(self) -> list[str]:
        """Names of the signs that are raised."""
        return [k for k, v in self.signs["triggered"].items() if v is True]

    def _repr_html_(self) -> str:
        raised = ", ".join(self.triggered) or "none"
        return (f"<p><b>Early-warning signs</b> at period {self.status_period}: raised "
                f"{html.escape(raised)}.</p>" + self.signs.to_html())


def _status_rows(result: EVMResult) -> pd.DataFrame:
    t = result.table
    rows = t[t["ev"].notna() & t["ac"].notna()]
    if rows.empty:
        raise DataError("the EVM result has no status period; record EV and AC")
    return rows


def _increments(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    """ΔPV, ΔEV, ΔAC, ΔES, ΔAT between consecutive status periods (time 0 before the first)."""
    out = {}
    for col in ("pv", "ev", "ac", "es", "at"):
        v = rows[col].to_numpy(dtype=float)
        out[col] = np.diff(np.concatenate([[0.0], v]))
    return out


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _window(values: np.ndarray, w: int) -> np.ndarray:
    """values[k] − values[k − w] (values before the first status period are 0)."""
    padded = np.concatenate([np.zeros(w), values])
    return values - padded[:-w]


def _tcpi_gap(tcpi: np.ndarray, ev: np.ndarray, ac: np.ndarray, bac: float) -> np.ndarray:
    """TCPI(BAC), infinite once the budget is spent with work left (no efficiency suffices)."""
    spent = (ac >= bac) & (ev < bac * (1 - 1e-9))
    return np.where(spent, np.inf, tcpi)


def _falling(index: np.ndarray, steps: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Change over the last ``steps`` status periods and whether every step was a fall."""
    n = index.size
    change = np.full(n, np.nan)
    falling = np.full(n, np.nan)
    for k in range(steps, n):
        seg = index[k - steps:k + 1]
        if np.isfinite(seg).all():
            change[k] = seg[-1] - seg[0]
            falling[k] = float((np.diff(seg) < 0).all())
    return change, falling


def warning_signs(result: EVMResult, *, window: int = 3, tcpi_gap: float = TCPI_GAP
                  ) -> WarningSigns:
    """The early-warning signs of an earned-value result (current-period indices, trends, TCPI).

    Parameters
    ----------
    result : EVMResult
        From :func:`tpmkit.evm.metrics`; every status period (rows with EV and AC) is used.
    window : int
        Status periods of the window indices ``cpi_window``, ``spi_t_window`` (default 3).
    tcpi_gap : float
        Threshold of the ``tcpi_gap`` sign (default 0.10).

    Returns
    -------
    WarningSigns
        ``table`` per status period and ``signs`` at the status period:

        ======================  =========================================================
        sign                    raised when
        ======================  =========================================================
        ``tcpi_gap``            TCPI(BAC) − CPI > ``tcpi_gap``: the rest of the work must be
                                done far more efficiently than so far — rarely achieved once
                                a project is 20 % complete [1]_; infinite once AC ≥ BAC with
                                work left
        ``cpi_falling``         the cumulative CPI fell in each of the last three periods
        ``spi_t_falling``       the cumulative SPI(t) fell in each of the last three periods
        ``cpi_period_below``    the current-period CPI is below the cumulative CPI
        ``spi_t_period_below``  the current-period SPI(t) is below the cumulative SPI(t)
        ======================  =========================================================

        A sign without enough history (four status periods for a three-period trend) is
        ``None`` (not applicable), never silently False.

    Notes
    -----
    Increments are taken between consecutive status periods, so a task-level status history
    recorded every month gives monthly indices; before the first status period everything is
    0. SPI(t) per period is ΔES/ΔAT (Lipke), i.e. the schedule earned in the period.

    References
    ----------
    .. [1] D. S. Christensen, Journal of Cost Analysis 11(1), 1994; DAU EVM Gold Card.
    .. [2] Deltek Cobra help, "Examples of statistical forecast calculations".

    Examples
    --------
    Deltek's example: EV per period 100, 75, 75, 75, 100, 75, 100, 100 and AC 100, 100, 100,
    100, 125, 100, 125, 150 of a BAC of 1,000:

    >>> from tpmkit.evm import metrics
    >>> ev = np.cumsum([100, 75, 75, 75, 100, 75, 100, 100.0])
    >>> ac = np.cumsum([100, 100, 100, 100, 125, 100, 125, 150.0])
    >>> p = pd.DataFrame({"period": range(1, 11), "pv": np.arange(1, 11) * 100.0,
    ...                   "ev": list(ev) + [None] * 2, "ac": list(ac) + [None] * 2})
    >>> row = warning_signs(metrics(p)).table.iloc[-1]
    >>> round(float(row.cpi_period), 4), round(float(row.eac_cpi_window), 1)
    (0.6667, 1309.1)
    """
    if int(window) != window or window < 1:
        raise ValidationError(f"window must be a whole number of periods ≥ 1, got {window!r}")
    window = int(window)
    rows = _status_rows(result)
    d = _increments(rows)
    cpi = rows["cpi"].to_numpy(float)
    spi_t = rows["spi_t"].to_numpy(float)
    ev, ac = rows["ev"].to_numpy(float), rows["ac"].to_numpy(float)
    bac = float(result.bac)
    cpi_window = _ratio(_window(ev, window), _window(ac, window))
    spi_t_window = _ratio(_window(rows["es"].to_numpy(float), window),
                          _window(rows["at"].to_numpy(float), window))
    cpi_period = _ratio(d["ev"], d["ac"])
    cpi_trend, cpi_falling = _falling(cpi)
    spi_t_trend, spi_t_falling = _falling(spi_t)
    table = pd.DataFrame({
        "cpi": cpi, "spi": rows["spi"].to_numpy(float), "spi_t": spi_t,
        "cpi_period": cpi_period, "spi_period": _ratio(d["ev"], d["pv"]),
        "spi_t_period": _ratio(d["es"], d["at"]),
        "cpi_window": cpi_window, "spi_t_window": spi_t_window,
        "cpi_trend": cpi_trend, "cpi_falling": cpi_falling,
        "spi_t_trend": spi_t_trend, "spi_t_falling": spi_t_falling,
        "tcpi_gap": _tcpi_gap(rows["tcpi_bac"].to_numpy(float), ev, ac, bac) - cpi,
        "eac_cpi_period": ac + _ratio(bac - ev, cpi_period),
        "eac_cpi_window": ac + _ratio(bac - ev, cpi_window),
    }, index=rows.index)
    # a CPI of 0 gives no EAC (division by zero above yields NaN through _ratio)
    last = table.iloc[-1]

    def flag(value: float, raised: bool) -> bool | None:
        return None if np.isnan(value) else bool(raised)

    signs = pd.DataFrame([
        ("tcpi_gap", last.tcpi_gap, tcpi_gap, flag(last.tcpi_gap, last.tcpi_gap > tcpi_gap),
         "TCPI − CPI: the efficiency the rest of the work needs to meet the BAC, above the "
         "efficiency achieved so far"),
        ("cpi_falling", last.cpi_trend, 0.0, flag(last.cpi_falling, last.cpi_falling == 1.0),
         "change of the cumulative CPI over the last three periods (raised when it fell in "
         "each of them)"),
        ("spi_t_falling", last.spi_t_trend, 0.0,
         flag(last.spi_t_falling, last.spi_t_falling == 1.0),
         "change of the cumulative SPI(t) over the last three periods (raised when it fell "
         "in each of them)"),
        ("cpi_period_below", last.cpi_period - last.cpi, 0.0,
         flag(last.cpi_period - last.cpi, last.cpi_period < last.cpi),
         "current-period CPI minus cumulative CPI: the latest period was less efficient"),
        ("spi_t_period_below", last.spi_t_period - last.spi_t, 0.0,
         flag(last.spi_t_period - last.spi_t, last.spi_t_period < last.spi_t),
         "current-period SPI(t) minus cumulative SPI(t): the latest period earned less "
         "schedule than the average"),
    ], columns=["sign", "value", "threshold", "triggered", "meaning"]).set_index("sign")
    signs["triggered"] = signs["triggered"].astype(object)
    return WarningSigns(table=table, signs=signs, window=window,
                        status_period=int(rows.index[-1]))


# --------------------------------------------------------------------------------------
# probabilistic EAC and completion
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EVMForecast:
    """Result of :func:`probabilistic_forecast`.

    Attributes
    ----------
    percentiles : DataFrame
        Indexed ``p10, p50, p80, p90`` (the requested percentiles): ``eac`` [currency],
        ``finish`` [periods from the start] and ``finish_date`` (when the periods have dates).
        A higher percentile is a *worse* outcome (more cost, later finish).
    observations : DataFrame
        The periodic indices the forecast uses, per status period: ``cpi_period``,
        ``spi_t_period`` and ``used`` (False for a period whose index is not positive).
    method : str
    probability_within_budget, probability_on_time : float
        P(EAC ≤ BAC) and P(finish ≤ PD).
    sigma_cpi, sigma_spi_t : float
        Standard deviation of ln of the periodic indices.
    eac_samples, finish_samples : ndarray or None
        The bootstrap samples (None for the log-normal method).
    seed : int or None
        Seed of the bootstrap (None for the log-normal method).
    """

    percentiles: pd.DataFrame
    observations: pd.DataFrame
    method: str
    probability_within_budget: float
    probability_on_time: float
    sigma_cpi: float
    sigma_spi_t: float
    eac_samples: np.ndarray | None = None
    finish_samples: np.ndarray | None = None
    seed: int | None = None

    def _repr_html_(self) -> str:
        return (f"<p><b>Probabilistic EVM forecast</b> ({html.escape(self.method)}): "
                f"P(EAC ≤ BAC) = {self.probability_within_budget:.0%}, P(finish ≤ PD) = "
                f"{self.probability_on_time:.0%}.</p>" + self.percentiles.to_html())


def _observations(result: EVMResult) -> tuple[pd.DataFrame, np.ndarray]:
    rows = _status_rows(result)
    d = _increments(rows)
    cpi_p = _ratio(d["ev"], d["ac"])
    spi_t_p = _ratio(d["es"], d["at"])
    used = np.isfinite(cpi_p) & (cpi_p > 0) & np.isfinite(spi_t_p) & (spi_t_p > 0)
    obs = pd.DataFrame({"cpi_period": cpi_p, "spi_t_period": spi_t_p, "used": used},
                       index=rows.index)
    if (~used).any():
        # stacklevel: this helper, probabilistic_forecast, its caller
        warnings.warn(f"period(s) {format_ids(rows.index[~used])} earned no value or no "
                      "schedule (periodic CPI or SPI(t) not positive); left out of the "
                      "probabilistic forecast", EVMWarning, stacklevel=3)
    if used.sum() < 2:
        raise DataError(f"a probabilistic forecast needs at least two status periods with "
                        f"positive periodic CPI and SPI(t); {int(used.sum())} given — record "
                        "progress every period (a status history)")
    return obs, rows.iloc[-1]


def _pv_at(pv_plan: np.ndarray, es: np.ndarray) -> np.ndarray:
    """Cumulative PV at time ``es`` [periods] (linear inside a period, PV(0) = 0)."""
    grid = np.concatenate([[0.0], pv_plan])
    return np.interp(es, np.arange(grid.size, dtype=float), grid)


def _lognormal(obs: pd.DataFrame, last: pd.Series, bac: float, pd_: float,
               q: np.ndarray) -> dict[str, Any]:
    """Lipke et al. (2009): confidence limits of ln CPI and ln SPI(t), finite-sample AF."""
    used = obs[obs["used"]]
    n = len(used)
    s_c = float(np.std(np.log(used["cpi_period"]), ddof=1))
    s_t = float(np.std(np.log(used["spi_t_period"]), ddof=1))
    cpi, spi_t = float(last["cpi"]), float(last["spi_t"])
    # N: the number of periods the whole project is forecast to take, PD / SPI(t)
    big_n = max(pd_ / spi_t, float(n))
    af = math.sqrt((big_n - n) / (big_n - 1.0)) if big_n > 1 else 0.0
    # the normal quantile and survival function from scipy.special, imported here: scipy
    # costs ~1 s to import, on every command that reads a file through tpmkit.evm
    from scipy import special

    z = special.ndtri(q)
    # a high percentile of the outcome is a low index: EAC_q = BAC / CPI_(1-q)
    cpi_q = np.exp(np.log(cpi) - z * s_c * af / math.sqrt(n))
    spi_t_q = np.exp(np.log(spi_t) - z * s_t * af / math.sqrt(n))

    def prob(index: float, sigma: float) -> float:
        scale = sigma * af / math.sqrt(n)
        if scale <= 0:
            return float(index >= 1.0)
        # P(X > 0) for X ~ N(ln index, scale²)
        return float(special.ndtr(math.log(index) / scale))

    return {"eac": bac / cpi_q, "finish": pd_ / spi_t_q, "sigma_cpi": s_c, "sigma_spi_t": s_t,
            "within": prob(cpi, s_c), "on_time": prob(spi_t, s_t)}


def _bootstrap(obs: pd.DataFrame, last: pd.Series, pv_plan: np.ndarray, bac: float,
               pd_: float, iterations: int, gen: np.random.Generator) -> dict[str, Any]:
    """Paired bootstrap: each future period draws one observed (CPI, SPI(t)) pair."""
    used = obs[obs["used"]]
    cpis = used["cpi_period"].to_numpy(float)
    spis = used["spi_t_period"].to_numpy(float)
    es = np.full(iterations, float(last["es"]))
    t = np.full(iterations, float(last["at"]))
    cost = np.full(iterations, float(last["ac"]))
    # EV is a function of ES on the plan (EV = PV(ES)); the last status EV anchors it
    value = np.full(iterations, float(last["ev"]))
    open_ = es < pd_ - 1e-12
    # every step earns at least min(SPI(t)) > 0 of schedule: the loop ends
    max_steps = int(np.ceil((pd_ - float(last["es"])) / spis.min())) + 1
    for _ in range(max_steps):
        if not open_.any():
            break
        k = np.flatnonzero(open_)
        j = gen.integers(0, spis.size, size=k.size)
        step = spis[j]
        new_es = np.minimum(es[k] + step, pd_)
        t[k] += (new_es - es[k]) / step
        new_value = np.where(new_es >= pd_, bac, _pv_at(pv_plan, new_es))
        cost[k] += np.maximum(new_value - value[k], 0.0) / cpis[j]
        es[k], value[k] = new_es, new_value
        open_[k] = new_es < pd_ - 1e-12
    return {"eac": cost, "finish": t,
            "sigma_cpi": float(np.std(np.log(cpis), ddof=1)),
            "sigma_spi_t": float(np.std(np.log(spis), ddof=1))}


def probabilistic_forecast(result: EVMResult, *, method: str = "lognormal",
                           percentiles: Any = _PERCENTILES, iterations: int = 10_000,
                           rng: Any = None, calendar: Calendar | None = None) -> EVMForecast:
    """Percentiles of the estimate at completion and of the completion time from the history.

    Parameters
    ----------
    result : EVMResult
        From :func:`tpmkit.evm.metrics` with at least two status periods (a period table
        with EV/AC per period, or a task-level status history).
    method : {"lognormal", "bootstrap"}
        ``"lognormal"`` (Lipke et al. [1]_): ln of the periodic CPI and SPI(t) is taken as
        normal; the cumulative index is the mean, the spread is σ/√n times the
        finite-population factor AF = √((N − n)/(N − 1)) with n the periods observed and
        N = PD / SPI(t) the periods the project is forecast to take; then
        ``EAC = BAC / CPI_q`` and ``finish = PD / SPI(t)_q`` [2]_. ``"bootstrap"`` [3]_:
        each future period draws one observed period (its CPI and SPI(t) together, so
        their correlation is kept), earns ``SPI(t)`` periods of schedule and the value the
        plan holds in them at that period's cost efficiency, until ES reaches PD.
    percentiles : sequence of float
        In (0, 100); default 10, 50, 80, 90.
    iterations : int
        Bootstrap samples.
    rng : None, int or Generator
        Bootstrap seed (recorded in the result).
    calendar : Calendar, optional
        Working days for the finish dates (default Monday–Friday).

    Returns
    -------
    EVMForecast

    References
    ----------
    .. [1] W. Lipke, O. Zwikael, K. Henderson, F. Anbari, IJPM 27 (2009) 400-407.
    .. [2] W. Lipke, The Measurable News 2010(3), 17-24.
    .. [3] B. Efron, R. J. Tibshirani, *An Introduction to the Bootstrap*, 1993.

    Examples
    --------
    >>> from tpmkit.evm import metrics
    >>> p = pd.DataFrame({"period": range(1, 11), "pv": np.arange(1, 11) * 100.0,
    ...     "ev": [100, 190, 290, 380, None, None, None, None, None, None],
    ...     "ac": [80, 205, 285, 410, None, None, None, None, None, None]})
    >>> f = probabilistic_forecast(metrics(p))
    >>> bool(f.percentiles.at["p90", "eac"] > f.percentiles.at["p50", "eac"] > 1000)
    True
    """
    method = check_option(method, FORECAST_METHODS, "forecast method")
    q = np.atleast_1d(np.asarray(percentiles, dtype=float))
    if q.size == 0 or not ((q > 0) & (q < 100)).all():
        raise ValidationError(f"percentiles must lie strictly between 0 and 100, got "
                              f"{list(q)}; e.g. (10, 50, 80, 90)")
    if int(iterations) != iterations or iterations < 1:
        raise ValidationError(f"iterations must be a positive whole number, got {iterations}")
    obs, last = _observations(result)
    bac, pd_ = float(result.bac), float(result.planned_duration)
    seed = None
    eac_s = fin_s = None
    if method == "lognormal":
        r = _lognormal(obs, last, bac, pd_, q / 100.0)
        eac, finish = r["eac"], r["finish"]
        within, on_time = r["within"], r["on_time"]
    else:
        gen, seed = resolve_rng(rng, reseed=True)
        t = result.table
        pv_plan = np.minimum(t["pv"].to_numpy(float)[:int(pd_)], bac)
        r = _bootstrap(obs, last, pv_plan, bac, pd_, int(iterations), gen)
        eac_s, fin_s = r["eac"], r["finish"]
        eac, finish = np.percentile(eac_s, q), np.percentile(fin_s, q)
        within = float(np.mean(eac_s <= bac * (1 + 1e-12)))
        on_time = float(np.mean(fin_s <= pd_ + 1e-9))
    labels = [f"p{x:g}" for x in q]
    pct = pd.DataFrame({"eac": eac, "finish": finish},
                       index=pd.Index(labels, name="percentile"))
    if "date" in result.table:
        pct["finish_date"] = time_to_date(finish, result.table["date"], calendar)
    return EVMForecast(percentiles=pct, observations=obs, method=method,
                       probability_within_budget=within, probability_on_time=on_time,
                       sigma_cpi=r["sigma_cpi"], sigma_spi_t=r["sigma_spi_t"],
                       eac_samples=eac_s, finish_samples=fin_s, seed=seed)
