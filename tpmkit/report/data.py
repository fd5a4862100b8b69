"""Everything the status report shows, computed once: :class:`ReportData`.

:func:`build_report_data` reads the project (or takes one), rolls its progress back to the
status date (:func:`tpmkit.evm.as_of`), and gathers the schedule (:func:`tpmkit.schedule`),
the earned-value table at the status date (:func:`tpmkit.evm.metrics`), the Monte Carlo run
(:func:`tpmkit.risk.simulate`), the risk register, the DCMA-14 assessment, the RAG statuses
and the report's tables. The report notebook only formats and plots these fields, so every
number in the HTML is tested here. Numbers are unrounded; the tables carry the report's
column headings.

References
----------
.. [1] PMBOK Guide, 6th ed., §10.3.3.1 (status reports) and §7.4.2.2 (SPI, CPI, EAC, TCPI).
.. [2] S. Vandevoorde, M. Vanhoucke, "A comparison of different project duration forecasting
   methods using earned value metrics", *IJPM* 24, 2006 (time forecasts).
.. [3] W. Lipke, "Schedule is different", *The Measurable News*, March 2003 (ES, IEAC(t)).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._core.codes import EPS
from tpmkit.errors import DataError, ValidationError
from tpmkit.report.rag import RAG_THRESHOLDS, ExecutiveSummary, executive_summary

__all__ = ["EAC_FORECASTS", "TIME_FORECASTS", "ReportData", "build_report_data", "file_sha256",
           "milestone_trend"]

#: Cost forecasts of the earned-value section: column of the EVM table → label.
EAC_FORECASTS = {"eac_cpi": "EAC = BAC / CPI (typical)",
                 "eac_atypical": "EAC = AC + BAC − EV (atypical)",
                 "eac_cpi_spi": "EAC = AC + (BAC − EV) / (CPI·SPI)",
                 "eac_bottom_up": "EAC bottom-up (AC + ETC)"}
#: Time forecasts of the earned-schedule section: column of the EVM table → method.
TIME_FORECASTS = {"eac_t_pv1": "planned value, PF = 1", "eac_t_pv2": "planned value, PF = SPI",
                  "eac_t_pv3": "planned value, PF = SCI", "eac_t_ed1": "earned duration, PF = 1",
                  "eac_t_ed2": "earned duration, PF = SPI",
                  "eac_t_ed3": "earned duration, PF = SCI",
                  "eac_t_es1": "earned schedule, PF = 1",
                  "eac_t_es2": "earned schedule, PF = SPI(t)",
                  "eac_t_es3": "earned schedule, PF = SCI(t)"}
_EVM_COLUMNS = {"date": "date", "pv": "PV", "ev": "EV", "ac": "AC", "sv": "SV", "cv": "CV",
                "spi": "SPI", "cpi": "CPI", "spi_t": "SPI(t)"}


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes (hex), for the reproducibility section.

    Examples
    --------
    >>> from tpmkit import datasets
    >>> len(file_sha256(datasets.path("software_release")))
    64
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class ReportData:
    """The content of one status report (see :func:`build_report_data`).

    Times are working days from the project start, money in the project currency, dates
    are ``Timestamp`` (None/NaT when the plan has no calendar dates). A section whose data
    is missing has its result None and an ``*_absent`` text saying why.

    Attributes
    ----------
    title, source, input_name, sha256, seed, iterations, generated, tpmkit_version
        Title block and reproducibility: the source as given (``sample:NAME`` or a path),
        the name of the file read, its SHA-256, the Monte Carlo seed and iterations, the
        generation time (UTC) and the tpmkit version.
    project : Project
        The project as it stood at the status date.
    currency : str
    start, status_date, deadline : Timestamp or None
    deadline_offset : float or None
        The deadline [working days from the start].
    schedule : ScheduleResult
        :func:`tpmkit.schedule` of ``project``; ``schedule_table`` is its task table,
        ``critical_path`` its critical task ids, ``duration`` [working days].
    progress : Series
        Percent complete per task at the status date; ``progress_note`` says where from.
    summary : ExecutiveSummary
        The RAG indicators and the overall status.
    evm, evm_table, evm_row
        :func:`tpmkit.evm.metrics` at the status date, its table and the status-period row
        (None without earned-value data, ``evm_absent`` says why); ``evm_status_period``,
        ``evm_planned_duration`` [periods], ``evm_source``, ``evm_eac_method``.
    evm_periods, cost_forecasts, time_forecasts : DataFrame or None
        Cumulative figures per period (flag ``status period``); the EAC forecasts with
        their ``vs BAC`` variance; the nine time forecasts [periods] and their dates.
    simulation : SimulationResult or None
        The Monte Carlo run (``simulation_absent`` says why not); ``percentiles`` (P10, P50,
        P80, P90 finish and cost), ``drivers`` (top ten tasks by P80 swing) and
        ``risk_drivers`` (per risk event) are None when it has no spread.
    register : DataFrame or None
        The normalised risk register; ``risk_table`` its top ten by score.
    health : HealthReport or None
        DCMA-14 (``health_absent`` says why not).
    key_dates, milestones, open_critical : DataFrame or None
        Key dates (only those known), the milestones with their state, and the critical
        tasks not yet complete. With a status date the schedule is the forecast from the
        progress (:func:`tpmkit.schedule`): the milestones table then shows the ``forecast``
        date and the ``slip [d]`` against the baseline [working days, forecast − baseline
        finish]; without one it shows ``planned (CPM)``.
    milestone_trend : DataFrame or None
        The milestone trend analysis (:func:`milestone_trend`) when the project has a
        status history; ``milestone_trend_absent`` says why not.
    gantt_ids, gantt_note : list of str or None, str
        The tasks the Gantt chart shows (None: all; a plan of more than 80 tasks shows its
        80 open tasks with the least total float) and a sentence saying so.
    warning_signs, evm_forecast : WarningSigns, EVMForecast or None
        :func:`tpmkit.evm.warning_signs` and the log-normal
        :func:`tpmkit.evm.probabilistic_forecast` of the EVM result (None without
        earned-value data or, for the forecast, with fewer than two status periods).
    notes : tuple of str
        Warnings raised by the computations, listed under "Assumptions".
    versions : dict
        Software versions.
    """

    title: str
    source: str
    input_path: Path
    input_name: str
    sha256: str
    seed: int
    iterations: int
    generated: pd.Timestamp
    tpmkit_version: str
    project: Any
    currency: str
    start: pd.Timestamp | None
    status_date: pd.Timestamp | None
    deadline: pd.Timestamp | None
    deadline_offset: float | None
    schedule: Any
    schedule_table: pd.DataFrame
    critical_path: list[str]
    duration: float
    planned_finish: pd.Timestamp | None
    progress: pd.Series
    progress_note: str
    summary: ExecutiveSummary
    evm: Any
    evm_table: pd.DataFrame | None
    evm_row: pd.Series | None
    evm_absent: str
    evm_status_period: int | None
    evm_planned_duration: float | None
    evm_source: str | None
    evm_eac_method: str | None
    evm_periods: pd.DataFrame | None
    cost_forecasts: pd.DataFrame | None
    time_forecasts: pd.DataFrame | None
    simulation: Any
    simulation_absent: str
    percentiles: pd.DataFrame | None
    drivers: pd.DataFrame | None
    risk_drivers: pd.DataFrame | None
    register: pd.DataFrame | None
    risk_table: pd.DataFrame | None
    health: Any
    health_absent: str
    key_dates: pd.DataFrame
    milestones: pd.DataFrame | None
    open_critical: pd.DataFrame
    notes: tuple[str, ...] = ()
    versions: dict[str, str] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=lambda: dict(RAG_THRESHOLDS))
    milestone_trend: pd.DataFrame | None = None
    milestone_trend_absent: str = "the project has no status history"
    warning_signs: Any = None
    evm_forecast: Any = None
    gantt_ids: list[str] | None = None
    gantt_note: str = ""

    @property
    def overall(self) -> str:
        """The overall RAG status (the worst indicator)."""
        return self.summary.overall

    def finish(self, q: str) -> tuple[float, pd.Timestamp | None]:
        """Simulated finish percentile ``q`` (``"p50"``, ``"p80"``, …): (working days, date).

        NaN and None without a simulation.
        """
        if self.simulation is None:
            return float("nan"), None
        pct = self.simulation.percentiles
        date = pct.at[q, "finish_date"] if "finish_date" in pct else None
        return float(pct.at[q, "finish"]), date

    @property
    def reproduce(self) -> str:
        """The command line that reproduces the report."""
        status = (f" --status-date {self.status_date.date()}"
                  if self.status_date is not None else "")
        return (f"tpmkit report {self.source}{status} --iterations {self.iterations} "
                f"--seed {self.seed}")

    def title_block(self, date_format: str = "%d %b %Y") -> dict[str, Any]:
        """The title-block data the report template shows (JSON-friendly)."""
        def day(ts: Any) -> str:
            return "–" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime(date_format)

        return {"title": self.title or "Project status report", "project": self.project.name,
                "status_date": day(self.status_date), "deadline": day(self.deadline),
                "generated": self.generated.strftime("%Y-%m-%d %H:%M UTC"),
                "input": self.input_name, "sha256": self.sha256, "seed": self.seed,
                "iterations": self.iterations, "overall": self.overall,
                "tpmkit_version": self.tpmkit_version}


# --------------------------------------------------------------------------------------
# adapters to the result objects of the computations
# --------------------------------------------------------------------------------------
def _schedule_parts(result: Any) -> tuple[pd.DataFrame, list[str], float]:
    """(task table, critical path, duration [working days]) of a ``ScheduleResult``."""
    return result.table, list(result.critical_path), float(result.duration)


def _evm_parts(result: Any) -> tuple[pd.DataFrame, dict[str, Any]]:
    """(table, scalars) of an ``EVMResult``."""
    keys = ("status_period", "planned_duration", "source", "eac_method", "bac")
    return result.table, {k: getattr(result, k) for k in keys}


class _Notes:
    """Runs computations, turning tpmkit warnings into data notes and DataErrors into text."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def run(self, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any
            ) -> tuple[Any, str]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                out = fn(*args, **kwargs), ""
            except DataError as exc:
                out = None, str(exc)
        for w in caught:
            if w.category.__module__.startswith("tpmkit"):
                self.notes.append(f"{what}: {w.message}")
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return out


# --------------------------------------------------------------------------------------
# the report's tables
# --------------------------------------------------------------------------------------
def _key_dates(project: Any, planned_finish: Any, evm_row: pd.Series | None,
               p50: Any, p80: Any, forecast: bool = False) -> pd.DataFrame:
    finish = (("Forecast finish (from progress)", planned_finish,
               "schedule of the remaining work from the status date")
              if forecast else
              ("Planned finish (CPM)", planned_finish, "critical path of the current plan"))
    key = [("Project start", project.start, "first working day of the plan"),
           ("Status date", project.status_date, "data date of the progress figures"),
           ("Deadline", project.deadline, "committed finish"),
           ("Baseline finish", project.tasks["baseline_finish"].max(), "latest baseline finish"),
           finish,
           ("Forecast finish (earned schedule)",
            evm_row.get("ieac_t_date") if evm_row is not None else None,
            "IEAC(t) = AT + (PD − ES) / SPI(t)"),
           ("Simulated P50 finish", p50, "50 % confidence"),
           ("Simulated P80 finish", p80, "80 % confidence")]
    dates = pd.DataFrame(key, columns=["milestone", "date", "meaning"]).set_index("milestone")
    return dates[dates["date"].notna()]


def _milestones(tasks: pd.DataFrame, table: pd.DataFrame, progress: pd.Series,
                status: pd.Timestamp | None) -> pd.DataFrame | None:
    """Milestones with baseline, forecast (or planned) date, slip, actual and state.

    State: ``done``; ``overdue`` (baseline finish before the status date, not done);
    ``late`` (forecast after the baseline, status-dated schedules only); ``upcoming``.
    """
    ms = tasks[tasks["duration"] == 0]
    if not len(ms):
        return None
    actual = tasks["actual_finish"]
    done = actual[ms.index].notna() | (progress[ms.index].fillna(0) >= 100)
    overdue = ~done & ms["baseline_finish"].notna() & (
        ms["baseline_finish"] < status if status is not None else False)
    when = (table.loc[ms.index, "early_finish_date"] if "early_finish_date" in table
            else np.nan)
    forecast = "finish_variance" in table
    cols = {"name": ms["name"], "baseline": ms["baseline_finish"],
            "forecast" if forecast else "planned (CPM)": when}
    late = pd.Series(False, index=ms.index)
    if forecast:
        # the slip of each milestone against its baseline [working days]
        cols["slip [d]"] = table.loc[ms.index, "finish_variance"]
        late = ~done & (table.loc[ms.index, "finish_variance"] > 0)
    cols["actual"] = actual[ms.index]
    cols["state"] = np.select([done, overdue, late], ["done", "overdue", "late"], "upcoming")
    out = pd.DataFrame(cols, index=ms.index)
    out.index.name = "id"
    return out


def milestone_trend(project: Any, dates: Any = None, *, progress: str = "retained_logic"
                    ) -> pd.DataFrame | None:
    """Milestone trend analysis: the forecast date of every milestone at each status date.

    The project is rolled back to each date of its status history (:func:`tpmkit.evm.as_of`)
    and scheduled from the progress of that date (:func:`tpmkit.schedule`); a milestone's
    row value is its forecast finish (its actual finish once reached). A line that stays
    level is a milestone on track, a rising line one that slips (the MTA chart,
    :func:`tpmkit.plot.milestones.milestone_trend`).

    Parameters
    ----------
    project : Project
        With a start date and milestones (tasks of zero duration).
    dates : array_like of dates, optional
        Status dates; default the status history (:func:`tpmkit.evm.status_dates`) up to
        the project's status date, plus the status date itself.
    progress : str
        Out-of-sequence option of :func:`tpmkit.schedule`.

    Returns
    -------
    DataFrame or None
        Indexed by ``status_date``, one column per milestone id (input order), forecast
        finish dates; None when there are no milestones, no start date or no status dates.

    References
    ----------
    .. [1] Deutsches Institut für Normung, DIN 69901-5:2009 (project management — concepts:
       Meilenstein-Trendanalyse); H. Kerzner, *Project Management*, 12th ed., 2017, §10.
    """
    from tpmkit.cpm import schedule
    from tpmkit.evm import as_of, status_dates

    tasks = project.tasks
    ms = tasks.index[tasks["duration"] == 0]
    if project.start is None or not len(ms):
        return None
    if dates is None:
        status = project.status_date
        found = status_dates(project, until=status)
        extra = [status] if status is not None else []
        dates = pd.DatetimeIndex(sorted(set(found) | set(pd.DatetimeIndex(extra))))
    dates = pd.DatetimeIndex(pd.to_datetime(list(dates))).normalize()
    if not len(dates):
        return None
    rows = []
    for d in dates:
        result = schedule(as_of(project, d), progress=progress)
        rows.append(result.table.loc[ms, "early_finish_date"].to_numpy())
    out = pd.DataFrame(rows, index=pd.DatetimeIndex(dates, name="status_date"),
                       columns=pd.Index(ms, name="milestone"))
    return out.apply(pd.to_datetime)


#: Rows the report's Gantt chart shows at most: a larger plan is charted by its open tasks
#: with the least total float (a chart of thousands of rows is neither legible nor quick).
_GANTT_ROWS = 80


def _gantt_rows(table: pd.DataFrame, progress: pd.Series, limit: int = _GANTT_ROWS) -> dict:
    """The tasks of the report's Gantt chart: ``gantt_ids`` (None: every task) and ``gantt_note``.

    A plan of more than ``limit`` tasks is charted by the ``limit`` incomplete tasks with
    the least total float (critical first, ties by early start; completed tasks fill the
    rows when fewer are open), in plan order, and the note says which.

    Examples
    --------
    >>> t = pd.DataFrame({"total_float": [0.0, 5.0, 0.0, 2.0], "early_start": [0, 0, 3, 1]},
    ...                  index=["A", "B", "C", "D"])
    >>> r = _gantt_rows(t, pd.Series([100.0, 0, 0, 0], index=t.index), limit=2)
    >>> r["gantt_ids"], r["gantt_note"].split(":")[0]
    (['C', 'D'], 'The Gantt chart shows 2 of the 4 tasks')
    """
    n = len(table)
    if n <= limit:
        return {"gantt_ids": None, "gantt_note": ""}
    done = (progress.reindex(table.index).fillna(0) >= 100).to_numpy()
    tf = table["total_float"].to_numpy(float)
    rank = np.lexsort((table["early_start"].to_numpy(float), np.nan_to_num(tf, nan=np.inf),
                       done))  # open before done, then float, then start
    keep = np.sort(rank[:limit])
    shown = tf[keep][~done[keep]]
    most = float(np.nanmax(shown)) if len(shown) else float("nan")
    crit_level = max(0.0, float(np.nanmin(tf[~done]))) if (~done).any() else float("nan")
    if not np.isfinite(most):
        what = "completed tasks, the earliest first (no task is open)"
    elif most <= crit_level + EPS:
        what = "the earliest open critical tasks"
    else:
        what = f"the open tasks with the least total float (critical first, up to {most:g} days)"
    return {"gantt_ids": [str(i) for i in table.index[keep]],
            "gantt_note": (f"The Gantt chart shows {limit} of the {n:,} tasks: {what}, in plan "
                           "order; the schedule table (tpmkit schedule) has them all.")}


def _open_critical(table: pd.DataFrame, progress: pd.Series) -> pd.DataFrame:
    cp = table[table["critical"] & ~(progress.fillna(0) >= 100)]
    return pd.DataFrame({"name": cp["name"],
                         "planned start": cp.get("early_start_date", cp["early_start"]),
                         "planned finish": cp.get("early_finish_date", cp["early_finish"]),
                         "duration [d]": cp["duration"],
                         "complete [%]": progress[cp.index]}, index=cp.index)


def _evm_tables(table: pd.DataFrame, row: pd.Series, status_period: Any, calendar: Any
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from tpmkit.evm import time_to_date

    periods = table[[c for c in _EVM_COLUMNS if c in table]].rename(columns=_EVM_COLUMNS)
    periods["status period"] = periods.index == status_period
    cost = pd.DataFrame([(label, row.get(col)) for col, label in EAC_FORECASTS.items()],
                        columns=["forecast", "value"]).set_index("forecast")
    cost = cost[cost["value"].notna()].astype({"value": float})
    cost["vs BAC"] = cost["value"] - row.bac
    times = np.array([float(row[k]) for k in TIME_FORECASTS])
    time = pd.DataFrame({"method": list(TIME_FORECASTS.values()), "duration [periods]": times},
                        index=pd.Index(list(TIME_FORECASTS), name="forecast"))
    if "date" in table:
        time["finish date"] = time_to_date(times, table["date"], calendar)
    return periods, cost, time


def _simulation_tables(sim: Any, project: Any, register: pd.DataFrame | None, currency: str
                       ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    rows = sim.percentiles.loc[["p10", "p50", "p80", "p90"]].copy()
    rows.index = rows.index.str.upper()
    rows.index.name = "confidence"
    if "cost" in rows and not (sim.cost != 0).any():  # a plan without costs: no cost column
        rows = rows.drop(columns="cost")
    rows = rows.rename(columns={"finish": "finish [d]", "finish_date": "finish date",
                                "cost": f"cost [{currency}]" if currency else "cost"})
    top = sim.tornado_by("p80").head(10)
    drivers = pd.DataFrame({"name": project.tasks["name"].reindex(top.index),
                            "P80 swing [d]": top["p80_swing"],
                            "variance share": top["variance_share"],
                            "criticality": sim.tasks.loc[top.index, "criticality"]},
                           index=top.index)
    risk = None
    if len(sim.risks):
        rk = sim.risks.sort_values("rank")
        desc = register["description"] if register is not None else pd.Series(dtype=str)
        risk = pd.DataFrame({"description": desc.reindex(rk.index),
                             "probability": rk["probability"],
                             "P80 impact [d]": rk["p80_contribution"],
                             "mean impact [d]": rk["mean_contribution"]}, index=rk.index)
    return rows, drivers, risk


def _impact(r: Any) -> str:
    """A risk's schedule impact in words: ``2–5–10 d`` (``saved`` for an opportunity)."""
    unit = {"days": " d", "percent": " %"}.get(r.impact_unit, "")
    if not unit:
        return "–"
    pts = sorted(abs(x) for x in (r.impact_min, r.impact_likely, r.impact_max))
    return "–".join(f"{x:g}" for x in pts) + unit + (" saved" if r.type == "opportunity" else "")


def _risk_table(register: pd.DataFrame, currency: str) -> pd.DataFrame:
    top = register.sort_values("rank").head(10)
    out = pd.DataFrame({
        "description": top["description"], "owner": top["owner"], "type": top["type"],
        "probability": top["probability"],
        "schedule impact": [_impact(r) for r in top.itertuples()],
        "EMV [d]": top["emv_days"], f"EMV [{currency}]": top["emv_cost"],
        "score": top["score"], "response": top["response"]}, index=top.index)
    out.index.name = "id"
    return out


# --------------------------------------------------------------------------------------
# the builder
# --------------------------------------------------------------------------------------
def build_report_data(project_or_source: Any, status_date: Any = None, *,
                      iterations: int = 2000, seed: int = 2027, title: str = "",
                      generated: Any = None) -> ReportData:
    """Compute everything the status report shows.

    Parameters
    ----------
    project_or_source : Project, path or str
        A project, a project file (any format :func:`tpmkit.read` takes) or ``sample:NAME``.
    status_date : date, optional
        Status (data) date; default the project's. Progress is rolled back to it
        (:func:`tpmkit.evm.as_of`).
    iterations : int
        Monte Carlo iterations (≥ 1).
    seed : int
        Random seed (≥ 0) of the Monte Carlo run.
    title : str
        Report title ("" → "Project status report").
    generated : datetime, optional
        Generation time shown in the report (default now, UTC).

    Returns
    -------
    ReportData

    Raises
    ------
    InputFileError
        Missing file or unknown sample.
    ValidationError
        Bad iterations or seed, or invalid project data.

    Examples
    --------
    >>> data = build_report_data("sample:software_release", iterations=200, seed=1)
    >>> data.overall in ("green", "amber", "red", "n/a"), data.evm_row is None
    (True, True)
    """
    from tpmkit import __version__, evm, health, risk
    from tpmkit.cpm import schedule as cpm_schedule
    from tpmkit.datasets import read_source
    from tpmkit.risk.register import normalize_register
    from tpmkit.versions import versions

    if int(iterations) != iterations or iterations < 1:
        raise ValidationError(f"iterations must be a positive whole number, got {iterations}")
    if int(seed) != seed or seed < 0:
        raise ValidationError(f"seed must be a non-negative whole number, got {seed}")
    if isinstance(project_or_source, str | os.PathLike):
        source = str(project_or_source)
        project, path = read_source(source)
        input_name = source if source.startswith("sample:") else path.name
        sha = file_sha256(path)
    else:
        source, path, input_name, sha = "(project)", Path(), "(project)", ""
        project = project_or_source
    # the progress as it stood at the status date (the given one, else the file's): progress
    # recorded later is rolled back through the status history, later actual dates cleared
    status = project.status_date if status_date is None else status_date
    if status is not None:
        project = evm.as_of(project, status)
    if generated is None:
        generated = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    generated = pd.Timestamp(generated)
    currency = project.currency or ""
    notes = _Notes()

    schedule = cpm_schedule(project)
    table, critical_path, duration = _schedule_parts(schedule)
    planned_finish = (table["early_finish_date"].max() if "early_finish_date" in table
                      else None)
    evm_result, evm_absent = notes.run("Earned value", evm.metrics, project,
                                       status_date=project.status_date)
    evm_table = evm_row = None
    scalars: dict[str, Any] = {}
    if evm_result is not None:
        evm_table, scalars = _evm_parts(evm_result)
        evm_row, evm_absent = notes.run("Earned value", evm.latest, evm_table)
        if evm_row is None:
            evm_result = evm_table = None
            scalars = {}
    sim, sim_absent = notes.run("Monte Carlo", risk.simulate, project, int(iterations),
                                rng=int(seed), progress=False)
    register = None
    if project.risks is not None and len(project.risks):
        register = normalize_register(project.risks, list(project.tasks.index),
                                      durations=project.tasks["duration"])
    dcma, health_absent = notes.run("DCMA-14", health.dcma14, project)

    tasks = project.tasks
    progress = tasks["percent_complete"].copy()
    summary = executive_summary(evm_row, sim, project.deadline_offset)
    p50_date = p80_date = None
    percentiles = drivers = risk_drivers = None
    if sim is not None:
        pct = sim.percentiles
        if "finish_date" in pct:
            p50_date, p80_date = pct.at["p50", "finish_date"], pct.at["p80", "finish_date"]
        if sim.std > 0:
            percentiles, drivers, risk_drivers = _simulation_tables(sim, project, register,
                                                                    currency)
    periods = cost = time = signs = forecast = None
    if evm_row is not None:
        periods, cost, time = _evm_tables(evm_table, evm_row, scalars.get("status_period"),
                                          project.calendar)
        signs, _ = notes.run("Earned value", evm.warning_signs, evm_result)
        forecast, _ = notes.run("Earned value", evm.probabilistic_forecast, evm_result,
                                calendar=project.calendar)
    trend, trend_absent = None, "the project has no status history"
    if len(evm.status_dates(project)):
        trend, trend_absent = notes.run("Milestone trend", milestone_trend, project)
        if trend is None and not trend_absent:
            trend_absent = "the plan has no milestones or no start date"
    return ReportData(
        title=title or "", source=source, input_path=path, input_name=input_name, sha256=sha,
        seed=int(seed), iterations=int(iterations), generated=generated,
        tpmkit_version=__version__, project=project, currency=currency,
        start=project.start, status_date=project.status_date, deadline=project.deadline,
        deadline_offset=project.deadline_offset, schedule=schedule, schedule_table=table,
        critical_path=critical_path, duration=duration, planned_finish=planned_finish,
        progress=progress, progress_note="task progress as recorded in the file",
        summary=summary, evm=evm_result, evm_table=evm_table, evm_row=evm_row,
        evm_absent=evm_absent, evm_status_period=scalars.get("status_period"),
        evm_planned_duration=scalars.get("planned_duration"),
        evm_source=scalars.get("source"), evm_eac_method=scalars.get("eac_method"),
        evm_periods=periods, cost_forecasts=cost, time_forecasts=time,
        simulation=sim, simulation_absent=sim_absent, percentiles=percentiles,
        drivers=drivers, risk_drivers=risk_drivers, register=register,
        risk_table=None if register is None else _risk_table(register, currency),
        health=dcma, health_absent=health_absent,
        key_dates=_key_dates(project, planned_finish, evm_row, p50_date, p80_date,
                             forecast=getattr(schedule, "status_date", None) is not None),
        milestones=_milestones(tasks, table, progress, project.status_date),
        open_critical=_open_critical(table, progress),
        notes=tuple(dict.fromkeys(notes.notes)), versions=versions(),
        milestone_trend=trend, milestone_trend_absent=trend_absent if trend is None else "",
        warning_signs=signs, evm_forecast=forecast, **_gantt_rows(table, progress))
