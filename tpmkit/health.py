"""Schedule health: the DCMA 14-point assessment.

:func:`dcma14` runs the fourteen checks of the US Defense Contract Management Agency's
schedule assessment on a project and returns a :class:`HealthReport`: for every check
the metric, its numerator and denominator, the threshold, pass/fail and the ids of the
tasks that fail it. Thresholds are configurable; the defaults are the published ones.

What is counted (as the guideline does): *normal* tasks -- rows flagged as summaries or
level-of-effort in an optional ``summary`` (truthy) or ``type`` column (``summary``,
``loe``, ``level_of_effort``, ``hammock``) are left out; most checks count only the
*incomplete* tasks (``percent_complete < 100`` and no ``actual_finish``). Durations and
floats are in working days of the project calendar; "44 working days" is two months.

===  ====================  ================================================  =========
 #   check                 metric                                            threshold
===  ====================  ================================================  =========
 1   logic                 incomplete tasks without predecessor or           <= 5 %
                           successor / incomplete tasks
 2   leads                 links with negative lag / links                   0 %
 3   lags                  links with positive lag / links                   <= 5 %
 4   relationship_types    finish-to-start links / links                     >= 90 %
 5   hard_constraints      incomplete tasks with MSO, MFO, SNLT, FNLT /      <= 5 %
                           incomplete tasks
 6   high_float            incomplete tasks with total float > 44 d          <= 5 %
 7   negative_float        incomplete tasks with total float < 0             0 %
 8   high_duration         incomplete tasks with baseline duration > 44 d    <= 5 %
 9   invalid_dates         tasks with a forecast before or an actual after   0 %
                           the status date / tasks
 10  resources             incomplete tasks >= 1 d without resources or      0 %
                           cost / those tasks
 11  missed_tasks          tasks due by the status date (baseline finish)    <= 5 %
                           that finished late or not at all / tasks due
 12  critical_path_test    add 600 d to a critical task whose finish drives  slip = 600
                           the path: the project finish must slip by 600 d
 13  cpli                  (critical path length + critical path float) /    >= 0.95
                           critical path length
 14  bei                   tasks completed / tasks due by the status date    >= 0.95
===  ====================  ================================================  =========

"Links" are the relationships that touch an incomplete task. The project's start
milestone (no predecessor) and finish milestone (no successor) are not logic failures.
A check that lacks its data (no status date, no baselines, no deadline) is reported
with ``passed = None`` and a note, never silently as passed.

With a status date the assessment reads the *forecast* from the progress
(:func:`tpmkit.schedule` schedules the remaining work from the status date): check 9 then
passes on tpmkit's own schedule unless actual dates lie after the status date, the critical
path test adds its delay to the remaining work of the tested task and forecasts again, and
the CPLI measures the forecast critical path from the status date to the deadline. A
schedule passed in (e.g. the dates an imported file stored) is judged as it is.

References
----------
.. [1] Defense Contract Management Agency, *DCMA 14-Point Schedule Assessment*
   (09NOV09), and *Earned Value Management System (EVMS) Program Analysis Pamphlet*,
   DCMA-EA PAM 200.1, October 2012, section 4 (schedule metrics).
.. [2] Winter, R. (2011). *DCMA 14-Point Schedule Assessment*. Ron Winter Consulting
   (check-by-check interpretation for scheduling tools).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tpmkit.errors import DataError, ValidationError, check_option, format_ids
from tpmkit.model.calendar import parse_date

if TYPE_CHECKING:
    from tpmkit.cpm import ScheduleResult

__all__ = ["CHECKS", "DEFAULT_THRESHOLDS", "HealthReport", "dcma14"]

#: The fourteen checks in guideline order: name -> (comparison, default threshold).
CHECKS: dict[str, tuple[str, float]] = {
    "logic": ("<=", 0.05),
    "leads": ("<=", 0.0),
    "lags": ("<=", 0.05),
    "relationship_types": (">=", 0.90),
    "hard_constraints": ("<=", 0.05),
    "high_float": ("<=", 0.05),
    "negative_float": ("<=", 0.0),
    "high_duration": ("<=", 0.05),
    "invalid_dates": ("<=", 0.0),
    "resources": ("<=", 0.0),
    "missed_tasks": ("<=", 0.05),
    "critical_path_test": ("==", 600.0),
    "cpli": (">=", 0.95),
    "bei": (">=", 0.95),
}

#: Published thresholds (fractions; the critical path test's is the required slip in days).
DEFAULT_THRESHOLDS: dict[str, float] = {k: v for k, (_, v) in CHECKS.items()}

_HARD = ("MSO", "MFO", "SNLT", "FNLT")
_EXCLUDED_TYPES = {"summary", "loe", "level_of_effort", "level of effort", "hammock"}
_TOL = 1e-9


@dataclass
class HealthReport:
    """Result of :func:`dcma14`.

    Attributes
    ----------
    checks : pandas.DataFrame
        One row per check, indexed by name in guideline order: ``number``, ``value``,
        ``threshold``, ``comparison`` (``<=``, ``>=``, ``==``), ``passed`` (True, False
        or None when not applicable), ``numerator``, ``denominator``, ``tasks`` (failing
        task ids) and ``note``. Ratios are fractions (0.05 = 5 %).
    project : str
        Project name.
    status_date : pandas.Timestamp or None
    settings : dict
        ``high_float_days``, ``high_duration_days``, ``critical_path_delay`` and the
        task tested by the critical path test.
    """

    checks: pd.DataFrame
    project: str = ""
    status_date: pd.Timestamp | None = None
    settings: dict = field(default_factory=dict)
    task_ids: list = field(default_factory=list, repr=False)

    @property
    def passed(self) -> bool:
        """True when no applicable check fails."""
        return not (self.checks["passed"] == False).any()  # noqa: E712 - None means n/a

    @property
    def failed(self) -> list[str]:
        """Names of the failing checks."""
        return [k for k, v in self.checks["passed"].items() if v is False]

    def task_table(self) -> pd.DataFrame:
        """Tasks flagged by at least one check: one boolean column per check, in check order.

        Examples
        --------
        >>> import tpmkit
        >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [5, 60],
        ...                                "predecessors": ["", "A FS+2"]}))
        >>> dcma14(p).task_table()[["logic", "lags", "high_duration", "resources"]]
           logic   lags  high_duration  resources
        A   True  False          False       True
        B   True   True           True       True
        """
        flagged = {name: set(tasks) for name, tasks in self.checks["tasks"].items()}
        hit = set().union(*flagged.values())
        ids = [t for t in self.task_ids if t in hit] + sorted(hit - set(self.task_ids))
        table = pd.DataFrame({name: [t in flagged[name] for t in ids] for name in flagged},
                             index=pd.Index(ids, dtype=object))
        table["failed_checks"] = table.sum(axis=1).astype(int)
        return table

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: ``project``, ``status_date``, ``passed``, ``checks[]``."""
        rows = []
        for name, r in self.checks.iterrows():
            rows.append({"number": int(r["number"]), "name": name, "value": _num(r["value"]),
                         "threshold": _num(r["threshold"]), "comparison": r["comparison"],
                         "passed": None if r["passed"] is None else bool(r["passed"]),
                         "numerator": _num(r["numerator"]), "denominator": _num(r["denominator"]),
                         "tasks": list(r["tasks"]), "note": r["note"]})
        return {"project": self.project,
                "status_date": None if self.status_date is None else self.status_date.date().isoformat(),
                "passed": self.passed,
                "n_passed": int((self.checks["passed"] == True).sum()),  # noqa: E712
                "n_failed": len(self.failed),
                "n_not_applicable": int(self.checks["passed"].isna().sum()),
                "settings": self.settings,
                "checks": rows}

    def _repr_html_(self) -> str:
        view = self.checks[["number", "value", "threshold", "passed", "numerator", "denominator"]].copy()
        view["failing tasks"] = [format_ids(t) for t in self.checks["tasks"]]
        verdict = "passes" if self.passed else f"fails {len(self.failed)} check(s)"
        return (f"<b>DCMA 14-point assessment</b> of {self.project}: {verdict}"
                + view.to_html(float_format=lambda v: f"{v:.3g}"))


def _num(v: Any) -> Any:
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else (int(v) if v.is_integer() and abs(v) < 2**53 else v)


def _normal_mask(tasks: pd.DataFrame) -> np.ndarray:
    keep = np.ones(len(tasks), dtype=bool)
    if "summary" in tasks.columns:
        s = tasks["summary"]
        flag = s.map(lambda v: str(v).strip().lower() in ("1", "true", "yes", "y")
                     if not isinstance(v, bool | np.bool_) else bool(v))
        keep &= ~flag.to_numpy(dtype=bool)
    if "type" in tasks.columns:
        t = tasks["type"].astype(str).str.strip().str.lower()
        keep &= ~t.isin(_EXCLUDED_TYPES).to_numpy()
    return keep


def _thresholds(given: Mapping[str, float] | None) -> dict[str, float]:
    out = dict(DEFAULT_THRESHOLDS)
    for k, v in (given or {}).items():
        k = check_option(k, out, "DCMA check")
        try:
            out[k] = float(v)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"threshold for {k} must be a number, got {v!r}") from exc
    return out


def dcma14(project, *, status_date: Any = None, thresholds: Mapping[str, float] | None = None,
           high_float_days: float = 44.0, high_duration_days: float = 44.0,
           critical_path_delay: float = 600.0, critical_task: str | None = None,
           schedule: ScheduleResult | None = None) -> HealthReport:
    """Run the DCMA 14-point schedule assessment.

    Parameters
    ----------
    project : Project
        Validated project; uses links, constraints, baselines, progress, resources and
        costs, the deadline and the status date.
    status_date : date, optional
        Overrides ``project.status_date``.
    thresholds : mapping, optional
        Check name -> threshold (fractions, e.g. ``{"logic": 0.10}``); the others keep
        :data:`DEFAULT_THRESHOLDS`.
    high_float_days, high_duration_days : float
        Limits of checks 6 and 8 [working days] (44 = two months).
    critical_path_delay : float
        Delay added by the critical path test [working days].
    critical_task : str, optional
        Task for the critical path test; default the first (in network order) incomplete
        critical task with a duration whose finish ends the project or drives a critical
        successor through a finish-to-start or finish-to-finish link.
    schedule : ScheduleResult, optional
        The CPM schedule (:func:`tpmkit.schedule`) if already computed. By default the
        project is scheduled here — with a status date from its progress (the forecast), so
        check 9 finds no forecast before the status date on tpmkit's own schedule, and the
        critical path test and the CPLI run on the forecast.

    Returns
    -------
    HealthReport

    References
    ----------
    .. [1] DCMA, *14-Point Schedule Assessment* (09NOV09); DCMA-EA PAM 200.1 (2012).

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "duration": [5, 60, 0],
    ...                                "predecessors": ["", "A SS+2", "B"],
    ...                                "resources": ["dev:1", "dev:1", ""]}))
    >>> r = dcma14(p)
    >>> lags = r.checks.loc["lags"]
    >>> float(lags["value"]), lags["passed"], lags["tasks"]
    (0.5, False, ['B'])
    >>> long = r.checks.loc["high_duration"]
    >>> int(long["numerator"]), int(long["denominator"]), long["tasks"]
    (1, 3, ['B'])
    >>> cpt = r.checks.loc["critical_path_test"]
    >>> float(cpt["value"]), cpt["passed"]
    (600.0, True)
    """
    from tpmkit.cpm import schedule as cpm_schedule

    th = _thresholds(thresholds)
    tasks = project.tasks
    ids = tasks.index
    net = project.network()
    if schedule is None:
        # with a status date the schedule is the forecast from the progress, so checks 9, 12
        # and 13 judge the dates that can still happen
        result = (cpm_schedule(project) if status_date is None
                  else cpm_schedule(project, status_date=status_date))
    else:
        result = schedule
    need = {"early_start", "early_finish", "total_float", "critical"}
    sched = getattr(result, "table", None)
    if not isinstance(sched, pd.DataFrame) or not need <= set(sched.columns):
        raise ValidationError("schedule must be the result of tpmkit.schedule(project); "
                              f"its table needs the columns {', '.join(sorted(need))}")
    normal = _normal_mask(tasks)
    pc = pd.to_numeric(tasks["percent_complete"], errors="coerce").fillna(0.0).to_numpy(float)
    done = (pc >= 100.0) | tasks["actual_finish"].notna().to_numpy()
    start = getattr(project, "start", None)
    cal = project.calendar
    status = project.status_date if status_date is None else parse_date(status_date, "status_date")
    if status is not None and pd.isna(status):
        status = None
    status_off = None
    if status is not None:
        if start is None:
            raise DataError("a status date needs a project start date to compare with the "
                            "schedule; set the project start")
        status_off = float(cal.offset_of([status], start, kind="finish")[0])
    c = _Assessment(
        project=project, result=result, th=th, tasks=tasks, ids=ids, net=net, n=len(ids),
        normal=normal, pc=pc, done=done, incomplete=normal & ~done,
        dur=np.asarray(net.duration, dtype=float), start=start, cal=cal, status=status,
        status_off=status_off, frm=np.asarray(net.link_from, dtype=np.int64),
        to=np.asarray(net.link_to, dtype=np.int64), ltype=np.asarray(net.link_type),
        es=sched["early_start"].reindex(ids).to_numpy(float),
        ef=sched["early_finish"].reindex(ids).to_numpy(float),
        tf=sched["total_float"].reindex(ids).to_numpy(float),
        crit=sched["critical"].reindex(ids).to_numpy(bool),
        bf=tasks["baseline_finish"], high_float_days=high_float_days,
        high_duration_days=high_duration_days, critical_path_delay=critical_path_delay,
        critical_task=critical_task)
    for check in _CHECK_STEPS:
        check(c)

    rows = []
    for k, name in enumerate(CHECKS, start=1):
        r = c.results[name]
        rows.append({"number": k, "value": r["value"], "threshold": th[name],
                     "comparison": CHECKS[name][0], "passed": r["passed"],
                     "numerator": r["numerator"], "denominator": r["denominator"],
                     "tasks": r["tasks"], "note": r["note"]})
    checks = pd.DataFrame(rows, index=pd.Index(list(CHECKS), name="check"))
    checks["passed"] = checks["passed"].astype(object)
    settings = {"high_float_days": high_float_days, "high_duration_days": high_duration_days,
                "critical_path_delay": critical_path_delay,
                "critical_task": None if c.tested < 0 else str(ids[c.tested])}
    return HealthReport(checks, getattr(project, "name", ""), status, settings,
                        [str(t) for t in ids])


@dataclass
class _Assessment:
    """What every check reads (the project, its network and schedule as arrays in task order)
    and the ``results`` the checks fill in, one record per check name."""

    project: Any
    result: Any
    th: dict[str, float]
    tasks: pd.DataFrame
    ids: pd.Index
    net: Any
    n: int
    normal: np.ndarray
    pc: np.ndarray
    done: np.ndarray
    incomplete: np.ndarray
    dur: np.ndarray
    start: Any
    cal: Any
    status: Any
    status_off: float | None
    frm: np.ndarray
    to: np.ndarray
    ltype: np.ndarray
    es: np.ndarray
    ef: np.ndarray
    tf: np.ndarray
    crit: np.ndarray
    bf: pd.Series
    high_float_days: float
    high_duration_days: float
    critical_path_delay: float
    critical_task: str | None
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    tested: int = -1

    def ratio(self, name: str, fail: np.ndarray, base: np.ndarray,
              task_idx: np.ndarray | None = None, note: str = "") -> None:
        num, den = int(fail.sum()), int(base.sum())
        comp = CHECKS[name][0]
        if den == 0:
            self.results[name] = dict(value=float("nan"), passed=None, numerator=num,
                                      denominator=0, tasks=[],
                                      note="nothing to count" + (f" ({note})" if note else ""))
            return
        value = num / den
        th = self.th
        ok = value <= th[name] + _TOL if comp == "<=" else value >= th[name] - _TOL
        idx = np.flatnonzero(fail) if task_idx is None else task_idx
        self.results[name] = dict(value=value, passed=bool(ok), numerator=num, denominator=den,
                                  tasks=[str(t) for t in pd.unique(self.ids[idx])], note=note)

    def not_applicable(self, name: str, note: str) -> None:
        self.results[name] = dict(value=float("nan"), passed=None, numerator=float("nan"),
                                  denominator=float("nan"), tasks=[], note=note)


def _check_logic(c: _Assessment) -> None:
    """1 logic: incomplete tasks without a predecessor or a successor."""
    n, dur, normal, es, ef = c.n, c.dur, c.normal, c.es, c.ef
    has_pred = np.zeros(n, dtype=bool)
    has_pred[c.to] = True
    has_succ = np.zeros(n, dtype=bool)
    has_succ[c.frm] = True
    # One start milestone may lack a predecessor and one finish milestone a successor.
    exempt_start = np.zeros(n, dtype=bool)
    exempt_finish = np.zeros(n, dtype=bool)
    cand = np.flatnonzero(~has_pred & (dur == 0) & normal)
    if len(cand):
        exempt_start[cand[np.argmin(es[cand])]] = True
    cand = np.flatnonzero(~has_succ & (dur == 0) & normal)
    if len(cand):
        exempt_finish[cand[::-1][np.argmax(ef[cand][::-1])]] = True
    open_start = ~has_pred & ~exempt_start
    open_finish = ~has_succ & ~exempt_finish
    c.ratio("logic", c.incomplete & (open_start | open_finish), c.incomplete,
            note="the start and finish milestones are exempt")


def _check_relationships(c: _Assessment) -> None:
    """2-4 leads, lags, relationship types (links touching an incomplete task)."""
    frm, to, net, incomplete, normal, ltype = c.frm, c.to, c.net, c.incomplete, c.normal, c.ltype
    eff_lag = np.asarray(net.lag, float) + np.asarray(net.lag_percent, float) * c.dur[frm]
    link_base = (incomplete[frm] | incomplete[to]) & normal[frm] & normal[to]
    c.ratio("leads", link_base & (eff_lag < -_TOL), link_base,
            task_idx=to[link_base & (eff_lag < -_TOL)])
    c.ratio("lags", link_base & (eff_lag > _TOL), link_base,
            task_idx=to[link_base & (eff_lag > _TOL)])
    fs = link_base & (ltype == 0)
    c.ratio("relationship_types", fs, link_base, task_idx=to[link_base & (ltype != 0)])


def _check_hard_constraints(c: _Assessment) -> None:
    """5 hard constraints."""
    hard = c.tasks["constraint"].astype(str).str.upper().isin(_HARD).to_numpy()
    c.ratio("hard_constraints", c.incomplete & hard, c.incomplete)


def _check_float(c: _Assessment) -> None:
    """6-7 high and negative total float."""
    tf, incomplete = c.tf, c.incomplete
    c.ratio("high_float", incomplete & (tf > c.high_float_days + _TOL), incomplete,
            note=f"total float > {c.high_float_days:g} working days")
    c.ratio("negative_float", incomplete & (tf < -_TOL), incomplete)


def _check_high_duration(c: _Assessment) -> None:
    """8 high duration (baseline duration where a baseline exists)."""
    bs, bf, start, cal = c.tasks["baseline_start"], c.bf, c.start, c.cal
    has_bl = (bs.notna() & bf.notna()).to_numpy()
    base_dur = c.dur.copy()
    if has_bl.any() and start is not None:
        s_off = cal.offset_of(bs[has_bl].to_numpy(), start, kind="start")
        f_off = cal.offset_of(bf[has_bl].to_numpy(), start, kind="finish")
        base_dur[has_bl] = np.maximum(f_off - s_off, 0.0)
    c.ratio("high_duration", c.incomplete & (base_dur > c.high_duration_days + _TOL),
            c.incomplete,
            note=(f"baseline duration > {c.high_duration_days:g} working days"
                  + ("" if has_bl.all() else "; planned duration where no baseline")))


def _check_invalid_dates(c: _Assessment) -> None:
    """9 invalid dates: forecasts before the status date, actuals after it."""
    status_off, tasks, done, es, ef, dur = c.status_off, c.tasks, c.done, c.es, c.ef, c.dur
    if status_off is None:
        c.not_applicable("invalid_dates", "needs a status date")
        return
    no_as = tasks["actual_start"].isna().to_numpy()
    no_af = tasks["actual_finish"].isna().to_numpy()
    started = ~no_as | (c.pc > 0)
    fc_start_past = ~done & ~started & (es < status_off - _TOL)
    # forecast dates must lie after the status date (the status date ends that day)
    fc_finish_past = ~done & (ef <= status_off + _TOL) & no_af & (dur > 0)
    a_s = c.cal.offset_of(tasks["actual_start"].to_numpy(), c.start, kind="start")
    a_f = c.cal.offset_of(tasks["actual_finish"].to_numpy(), c.start, kind="finish")
    actual_future = (~no_as & (a_s >= status_off - _TOL)) | (~no_af & (a_f > status_off + _TOL))
    c.ratio("invalid_dates", c.normal & (fc_start_past | fc_finish_past | actual_future),
            c.normal,
            note="forecast start/finish before the status date or actual dates after it; "
                 "denominator: all tasks")


def _check_resources(c: _Assessment) -> None:
    """10 resources: tasks of at least a day with neither resources nor cost."""
    tasks, ids = c.tasks, c.ids
    assigned = np.zeros(c.n, dtype=bool)
    a = getattr(c.project, "assignments", None)
    if a is not None and len(a):
        pos = ids.get_indexer(a["task"].astype(str))
        units = a["units"].to_numpy(float)
        assigned[pos[(pos >= 0) & (units > 0)]] = True
    money = np.zeros(c.n, dtype=bool)
    for col in ("cost", "rate", "baseline_cost"):
        money |= (pd.to_numeric(tasks[col], errors="coerce").fillna(0.0) > 0).to_numpy()
    long_enough = c.incomplete & (c.dur >= 1.0)
    c.ratio("resources", long_enough & ~assigned & ~money, long_enough,
            note="tasks of at least one day with neither resources nor cost; DCMA reports "
                 "this ratio without a numeric limit, tpmkit expects 0 %")


def _check_missed_tasks_and_bei(c: _Assessment) -> None:
    """11 missed tasks and 14 baseline execution index (both count the tasks due by the status date)."""
    status, bf, tasks, normal, done = c.status, c.bf, c.tasks, c.normal, c.done
    if status is None or not bf.notna().any():
        why = "needs a status date" if status is None else "needs baseline finish dates"
        c.not_applicable("missed_tasks", why)
        c.not_applicable("bei", why)
        return
    due = normal & bf.notna().to_numpy() & (bf <= status).to_numpy()
    af = tasks["actual_finish"]
    late_actual = (af.notna() & bf.notna() & (af > bf)).to_numpy()
    c.ratio("missed_tasks", due & (late_actual | ~done), due,
            note="baseline finish on or before the status date, finished later or not yet")
    completed = normal & done
    num = int(completed.sum())
    den = int(due.sum())
    if den == 0:
        c.not_applicable("bei", "no task has a baseline finish on or before the status date")
    else:
        value = num / den
        fail_idx = np.flatnonzero(due & ~done)
        c.results["bei"] = dict(value=value, passed=bool(value >= c.th["bei"] - _TOL),
                                numerator=num, denominator=den,
                                tasks=[str(t) for t in c.ids[fail_idx]],
                                note="tasks completed / tasks with baseline finish by the status date")


def _forecast_link_slack(c: _Assessment) -> np.ndarray:
    """Slack of every link on the forecast dates [working days] (0 = the link drives)."""
    lag = np.asarray(c.net.lag, float) + np.asarray(c.net.lag_percent, float) * c.dur[c.frm]
    src_finish = np.isin(c.ltype, (0, 2))          # FS, FF leave at the finish
    dst_finish = np.isin(c.ltype, (2, 3))          # FF, SF enter at the finish
    a = np.where(src_finish, c.ef[c.frm], c.es[c.frm])
    b = np.where(dst_finish, c.ef[c.to], c.es[c.to])
    return b - (a + lag)


def _forecast_slip(c: _Assessment, tested: int, delay: float) -> float:
    """Finish slip when ``delay`` working days are added to a task's remaining work."""
    from tpmkit.cpm import schedule as cpm_schedule

    table = c.project.to_table().set_index("id")
    tid = c.ids[tested]
    sched = c.result.table
    remaining = (float(sched.at[tid, "remaining_duration"]) if "remaining_duration" in sched
                 else float(c.dur[tested]))
    table.loc[tid, "duration"] = float(c.dur[tested]) + delay
    table.loc[tid, "remaining_duration"] = remaining + delay
    longer = c.project.replace(tasks=table.reset_index(),
                               links=c.project.links.drop(columns=["text"], errors="ignore"))
    kwargs = {"status_date": c.result.status_date}
    if getattr(c.result, "progress", None):
        kwargs["progress"] = c.result.progress
    return float(cpm_schedule(longer, **kwargs).duration) - float(c.result.duration)


def _check_critical_path(c: _Assessment) -> None:
    """12 critical path test: delay one critical task and see the finish slip as much.

    With a status-dated (forecast) schedule the delay is added to the task's remaining
    work and the project is forecast again from the same progress.
    """
    from tpmkit.cpm import passes

    ids, net, dur, crit, frm, to = c.ids, c.net, c.dur, c.crit, c.frm, c.to
    forecast = getattr(c.result, "status_date", None) is not None
    order = np.asarray(net.order)
    if c.critical_task is not None:
        if c.critical_task not in ids:
            raise ValidationError(f"critical_task {c.critical_task!r} is not a task of the "
                                  "project; give a task id")
        tested = int(ids.get_loc(c.critical_task))
    else:
        # A task whose *finish* carries the critical path on: its finish ends the project
        # or drives a critical successor through a tight FS/FF link. (A task linked only by
        # SS is critical by its start; lengthening it cannot move the finish.)
        if forecast:
            slack, project_finish = _forecast_link_slack(c), float(c.result.duration)
        else:
            base = passes(net, dur)
            slack, project_finish = base["link_slack"], float(base["project_finish"])
        tight = (np.abs(slack) <= 1e-9) & np.isin(c.ltype, (0, 2)) & crit[to]
        finish_drives = np.zeros(c.n, dtype=bool)
        finish_drives[frm[tight]] = True
        finish_drives |= np.abs(c.ef - project_finish) <= 1e-9
        ok_task = crit & c.incomplete & (dur > 0) & finish_drives
        cand = order[ok_task[order]]
        tested = int(cand[0]) if len(cand) else -1
    c.tested = tested
    delay = c.critical_path_delay
    if tested < 0:
        c.not_applicable("critical_path_test", "no incomplete critical task with a duration")
        return
    if forecast:
        slip = _forecast_slip(c, tested, delay)
    else:
        base_finish = float(passes(net, dur)["project_finish"])
        longer = dur.copy()
        longer[tested] += delay
        slip = float(passes(net, longer)["project_finish"]) - base_finish
    ok = abs(slip - delay) <= 1e-6 * max(1.0, delay)
    c.results["critical_path_test"] = dict(
        value=slip, passed=bool(ok), numerator=slip, denominator=delay,
        tasks=[] if ok else [str(ids[tested])],
        note=f"added {delay:g} working days to {ids[tested]}"
             + (" (remaining work of the forecast)" if forecast else "")
             + f"; the finish slipped {slip:g}")


def _check_cpli(c: _Assessment) -> None:
    """13 critical path length index against the deadline or the baseline finish."""
    project, result, bf, start = c.project, c.result, c.bf, c.start
    finish = float(result.duration)
    target, source = None, ""
    if project.deadline is not None:
        target, source = float(project.deadline_offset), "deadline"
    elif bf.notna().any() and start is not None:
        target = float(c.cal.offset_of([bf.max()], start, kind="finish")[0])
        source = "baseline finish"
    if target is None:
        c.not_applicable("cpli", "needs a deadline or baseline finish dates to measure the "
                                 "critical path float against")
        return
    origin = c.status_off if c.status_off is not None else 0.0
    cpl = finish - origin
    cp_float = target - finish
    if cpl <= _TOL:
        c.not_applicable("cpli", "the critical path ends at or before the status date")
    else:
        value = (cpl + cp_float) / cpl
        ok = value >= c.th["cpli"] - _TOL
        c.results["cpli"] = dict(
            value=value, passed=bool(ok), numerator=cpl + cp_float, denominator=cpl,
            tasks=[] if ok else list(result.critical_path),
            note=f"critical path length {cpl:g}, float {cp_float:g} working days to the {source}")


#: the checks in DCMA order (11 and 14 share their count of tasks due)
_CHECK_STEPS = (_check_logic, _check_relationships, _check_hard_constraints, _check_float,
                _check_high_duration, _check_invalid_dates, _check_resources,
                _check_missed_tasks_and_bei, _check_critical_path, _check_cpli)
