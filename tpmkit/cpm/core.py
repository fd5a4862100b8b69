"""The schedule of :mod:`tpmkit.cpm`: the forward and backward passes, their results and the
driving path (see the package docstring for the rules)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tpmkit._core.codes import CRITICAL_RULES, EPS, ConstraintType, LinkType, zero_within_eps
from tpmkit.errors import check_option
from tpmkit.model import Network, Project
from tpmkit.model.calendar import DATE_MAX
from tpmkit.model.progress import (
    COMPLETE,
    NOT_STARTED,
    PROGRESS_OPTIONS,
    progress_arrays,
    progress_network,
    warn_progress,
    with_status_date,
)
from tpmkit.model.timeplan import (
    TimePlan,
    calendar_passes,
    hours_instants,
    time_plan,
    uses_calendars,
    warn_calendars,
)

__all__ = ["CRITICAL_RULES", "ScheduleResult", "driving_path", "forecast_passes",
           "lag_calendar_of", "passes", "positions", "project_passes", "schedule",
           "warn_calendars"]

_EPS = EPS


_NO_BOUND = np.zeros(0)


def _forward(order, pred_ptr, pred_link, link_from, link_type, lag, lag_pct, dur, ctype, coff,
             rel_start=_NO_BOUND, rel_finish=_NO_BOUND, cal=None):
    """Forward pass of one iteration (:func:`tpmkit._core.pdm.forward_pass`; ``cal``: the
    calendar arguments, default whole days of one calendar)."""
    from tpmkit._core import jit, pdm

    return jit.call(pdm.forward_pass, len(order) + len(link_from), order, pred_ptr, pred_link,
                    link_from, link_type, lag, lag_pct, dur, ctype, coff, rel_start, rel_finish,
                    *(pdm.NO_CALENDARS if cal is None else cal))


def _backward(order, succ_ptr, succ_link, link_to, link_type, lag, lag_pct, dur, ctype, coff,
              finish, due_start=_NO_BOUND, due_finish=_NO_BOUND, cal=None):
    """Backward pass of one iteration (:func:`tpmkit._core.pdm.backward_pass`)."""
    from tpmkit._core import jit, pdm

    return jit.call(pdm.backward_pass, len(order) + len(link_to), order, succ_ptr, succ_link,
                    link_to, link_type, lag, lag_pct, dur, ctype, coff, due_start, due_finish,
                    finish, *(pdm.NO_CALENDARS if cal is None else cal))


def passes(net: Network, durations: np.ndarray | None = None,
           finish: float | None = None,
           bounds: dict[str, np.ndarray] | None = None,
           plan: TimePlan | None = None) -> dict[str, np.ndarray | float]:
    """Forward and backward passes on network arrays (input order).

    Parameters
    ----------
    net : Network
        From :meth:`Project.network`.
    durations : array, optional
        Durations [working days] replacing ``net.duration`` (what-if analysis).
    finish : float, optional
        Finish offset for the backward pass (a deadline); default the early finish.
    bounds : dict, optional
        Release and due bounds per task (``rel_start``, ``rel_finish``, ``due_start``,
        ``due_finish``) of a status-dated schedule
        (:func:`tpmkit.model.progress.progress_network`).
    plan : TimePlan, optional
        The calendars of a plan whose tasks use several
        (:func:`tpmkit.model.timeplan.time_plan`): durations count working time of each
        task's calendar, lags of the link's; default whole days of the project calendar.

    Returns
    -------
    dict
        ``early_start, early_finish, late_start, late_finish, total_float, free_float``
        arrays, ``driving_link`` (link row, -1 = project start, -2 = constraint),
        ``link_slack`` per link, and ``project_finish`` (early) [working days]. With a
        ``plan``, the times are offsets of the project calendar, the floats and slacks
        working days of the task's (predecessor's) calendar, and ``instants`` holds the
        four times as instants of the plan's axis [minutes].
    """
    dur = net.duration if durations is None else np.asarray(durations, dtype=np.float64)
    bnd = bounds or {}
    if plan is not None:
        return calendar_passes(net, dur, finish, bnd, plan)
    es, ef, drive = _forward(net.order, net.pred_ptr, net.pred_link, net.link_from,
                             net.link_type, net.lag, net.lag_percent, dur,
                             net.constraint_type, net.constraint_offset,
                             bnd.get("rel_start", _NO_BOUND), bnd.get("rel_finish", _NO_BOUND))
    early_finish = float(ef.max()) if len(ef) else 0.0
    t_late = early_finish if finish is None else float(finish)
    def backward(due_start, due_finish, finish):
        return _backward(net.order, net.succ_ptr, net.succ_link, net.link_to, net.link_type,
                         net.lag, net.lag_percent, dur, net.constraint_type,
                         net.constraint_offset, finish, due_start, due_finish)

    ls, lf = backward(bnd.get("due_start", _NO_BOUND), bnd.get("due_finish", _NO_BOUND), t_late)
    if (net.constraint_type == ConstraintType.ALAP).any():
        from tpmkit._core.pdm import alap_times

        def forward(rel_start, rel_finish):
            return _forward(net.order, net.pred_ptr, net.pred_link, net.link_from,
                            net.link_type, net.lag, net.lag_percent, dur,
                            net.constraint_type, net.constraint_offset, rel_start, rel_finish)

        es, ef, drive = alap_times(net, es, ef, ls, drive, bnd, forward, backward,
                                   early_finish)
    # free float: smallest slack over outgoing links, vectorised over links
    a, b = net.link_from, net.link_to
    L = net.lag + net.lag_percent * dur[a]
    t = net.link_type
    left = np.where(t == LinkType.FS, es[b] - ef[a],
           np.where(t == LinkType.SS, es[b] - es[a],
           np.where(t == LinkType.FF, ef[b] - ef[a], ef[b] - es[a])))
    link_slack = left - L
    ff = np.full(len(es), np.inf)
    np.minimum.at(ff, a, link_slack)
    no_succ = np.diff(net.succ_ptr) == 0
    ff[no_succ] = early_finish - ef[no_succ]
    return {"early_start": es, "early_finish": ef, "late_start": ls, "late_finish": lf,
            "total_float": zero_within_eps(ls - es), "free_float": zero_within_eps(ff),
            "driving_link": drive,
            "link_slack": link_slack, "project_finish": early_finish}


@dataclass(frozen=True)
class ScheduleResult:
    """A CPM/PDM schedule: the task table and the project-level figures.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by task id in input order: ``name, duration, early_start, early_finish,
        late_start, late_finish, total_float, free_float, critical, near_critical,
        driving_predecessor, driven_by`` [working days from the project start; the driving
        predecessor is missing and ``driven_by`` says ``"start"`` or ``"constraint"`` when
        the project start or a constraint sets the early start] and, with a start
        date, ``early_start_date, early_finish_date, late_start_date, late_finish_date``.
    duration : float
        Project duration: the latest early finish [working days].
    critical_path : list of str
        Ids of the critical tasks in topological order.
    driving_path : list of str
        From the project start to the task that finishes last, through driving links.
    deadline : float or None
        Finish offset the backward pass started from [working days]; None = the early finish.
    project_name : str
        The project's name.
    start : Timestamp or None
        Project start date, when known.
    finish_date : Timestamp or None
        Date of the early finish, when the start date is known.
    status_date : Timestamp or None
        The data date of a status-dated schedule (None: scheduled without progress). The
        table then also has ``forecast_start``, ``forecast_finish`` [working days] (and
        their ``_date`` columns), ``remaining_duration`` [working days], ``status``
        (``complete``, ``in_progress``, ``not_started``) and ``finish_variance``
        [working days, forecast finish − baseline finish; NaN without a baseline].
    progress : str
        How out-of-sequence progress was scheduled (see :func:`schedule`).
    critical_rule : str
        Which tasks are critical (:data:`CRITICAL_RULES`; see :func:`schedule`).
    critical_float : float or None
        The total float up to which a task is critical [working days]: the threshold of
        ``"total_float"``, the lowest open float of ``"lowest_float"``; None for
        ``"longest_path"``.
    """

    table: pd.DataFrame
    duration: float
    critical_path: list[str]
    driving_path: list[str]
    deadline: float | None
    project_name: str = ""
    start: pd.Timestamp | None = None
    finish_date: pd.Timestamp | None = None
    status_date: pd.Timestamp | None = None
    progress: str = "retained_logic"
    critical_rule: str = "lowest_float"
    critical_float: float | None = None

    def __repr__(self) -> str:
        return (f"ScheduleResult(tasks={len(self.table)}, duration={self.duration:g}, "
                f"critical_path={self.critical_path!r})")

    def _repr_html_(self) -> str:
        esc = html.escape
        name = esc(self.project_name or "Schedule")
        head = (f"<p><b>{name}</b>: {len(self.table)} task(s), duration "
                f"{self.duration:g} working days")
        if self.start is not None and self.finish_date is not None:
            head += f", {self.start.date()} → {self.finish_date.date()}"
        if self.deadline is not None:
            head += f"; backward pass from the deadline at {self.deadline:g}"
        if self.status_date is not None:
            head += (f"; forecast from the progress at {self.status_date.date()} "
                     f"({esc(self.progress.replace('_', ' '))})")
        head += f". Critical path: {esc(' → '.join(self.critical_path))}.</p>"
        return head + self.table.to_html(float_format=lambda x: f"{x:g}", max_rows=60)


# long function: the docstring holds the worked examples of the three progress options
def schedule(project: Project, *, deadline: float | str | pd.Timestamp | None = None,
             near_critical: float = 5.0, durations: object | None = None,
             progress: str = "retained_logic", status_date: object = None,
             lag_calendar: str | None = None, critical: str | None = None,
             critical_float: float | None = None) -> ScheduleResult:
    """Schedule a project with CPM/PDM; with a status date, forecast it from its progress.

    Parameters
    ----------
    project : Project
        A validated project (``tpmkit.read``).
    deadline : float, date or None
        Finish offset [working days] or date for the backward pass; default the project's
        ``deadline`` setting, else the early finish. A deadline before the early finish
        gives negative total float (reported, not an error).
    near_critical : float
        Tasks whose total float exceeds the critical level by at most this many working
        days are flagged ``near_critical`` [working days].
    durations : mapping or array, optional
        Durations that replace the task table's (what-if analysis) [working days]; with
        a status date the remaining durations of started tasks scale with them.
    progress : str
        How a status-dated schedule treats out-of-sequence progress (a task started before
        its predecessors allow), as Primavera P6's scheduling option of that name:

        * ``"retained_logic"`` (default): the links stay in force for the remaining work;
          it resumes only when the predecessors allow (and after the status date);
        * ``"progress_override"``: links into a started task are ignored; its remaining
          work runs from the status date;
        * ``"actual_dates"``: forward as progress override, but backward the ignored links
          are measured against the successor's actual dates, so a predecessor that should
          have finished before its successor actually started shows negative float.

        Completed and not-started tasks are scheduled alike by all three.
    status_date : date, False or None
        The data date; default the project's ``status_date``. ``False`` schedules without
        progress even when the project has a status date.
    lag_calendar : str, optional
        For tasks on different calendars (``tasks["calendar"]``): the calendar a link's lag
        counts on, as P6's scheduling option: ``"successor"`` (MS Project's rule),
        ``"predecessor"`` (P6's default), ``"project"`` or ``"24h"`` (elapsed time);
        default the project's ``lag_calendar`` setting, else ``"successor"``. A plan on
        one calendar ignores it.
    critical : str, optional
        Which tasks are critical: ``"lowest_float"`` (total float at most the lowest of the
        open tasks, or 0 when that is negative — a deadline that leaves every task float
        still shows the tightest chain), ``"total_float"`` (total float at most
        ``critical_float``, default 0: MS Project's "tasks are critical if slack is less
        than or equal to", P6's "total float less than or equal to") or ``"longest_path"``
        (P6: the tasks that finish at the project finish and every task that drives one of
        them through zero-slack links, whatever their float); default the project's
        ``critical`` setting (the MS Project and P6 readers set their file's), else
        ``"lowest_float"``.
    critical_float : float, optional
        The threshold of ``"total_float"`` [working days]; default the project's
        ``critical_float`` setting, else 0.

    Returns
    -------
    ScheduleResult
        ``table`` (one row per task, see :class:`ScheduleResult`), ``duration``
        [working days], ``critical_path`` (ids in topological order), ``driving_path``,
        ``deadline`` and, with a start date, ``start`` and ``finish_date``.

    Notes
    -----
    With a status date (it needs a start date) the schedule is a forecast, like P6's
    "schedule with data date": completed tasks keep their actual dates (no float, never
    critical); in-progress tasks keep their actual start and their remaining duration runs
    from the status date or later (``early_finish`` is the forecast finish; ``late_start``
    is the latest resumption of the remaining work); tasks not started cannot start before
    the end of the status day; successors see the forecast. Total float of incomplete work
    is late finish − forecast finish, so it turns negative when the progress makes a
    deadline or a constraint unreachable. Without a status date the result is the plain
    CPM schedule, bit for bit.

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "duration": [3, 2, 4],
    ...                                "predecessors": ["", "A", "A"]}))
    >>> s = tpmkit.schedule(p)
    >>> s.table[["early_start", "early_finish", "total_float", "critical"]]
        early_start  early_finish  total_float  critical
    id
    A           0.0           3.0          0.0      True
    B           3.0           5.0          2.0     False
    C           3.0           7.0          0.0      True
    >>> s.duration, s.critical_path
    (7.0, ['A', 'C'])

    Out-of-sequence progress: B (4 days) should follow A (5 days), but B started on the
    first day and is half done at the status date, the end of day 2, while A has not
    started; C (2 days) follows B.

    >>> t = pd.DataFrame({"id": ["A", "B", "C"], "duration": [5, 4, 2],
    ...                   "predecessors": ["", "A", "B"], "percent_complete": [0, 50, 0],
    ...                   "actual_start": [None, "2027-01-04", None]})
    >>> p = tpmkit.read(t, start="2027-01-04", status_date="2027-01-05")
    >>> for option in ("retained_logic", "progress_override", "actual_dates"):
    ...     s = tpmkit.schedule(p, progress=option)
    ...     print(option, s.duration, s.table["total_float"].tolist())
    retained_logic 11.0 [0.0, 0.0, 0.0]
    progress_override 7.0 [0.0, 1.0, 1.0]
    actual_dates 7.0 [-7.0, 1.0, 1.0]

    Retained logic waits for A (2 → 7) before B's remaining 2 days (7 → 9) and C (9 → 11);
    progress override finishes B at 4 and C at 6, with A (2 → 7) alone on the critical
    path; actual dates gives the same dates, but A, which should have finished before B's
    actual start at 0, has −7 days of float.
    """
    option = check_option(progress, list(PROGRESS_OPTIONS), "progress")
    project = with_status_date(project, status_date)
    net = project.network()
    dur = _durations(project, net, durations)
    finish = _deadline_offset(project, deadline)
    lag = lag_calendar_of(project, lag_calendar)
    crit = critical_rule(project, critical, critical_float)
    if project.status_date is not None and project.start is not None:
        warn_progress(project)
        return _forecast(project, net, dur, finish, near_critical, option, lag, crit)
    r = project_passes(project, net, dur, finish, None, lag)
    times = {k: r[k] for k in ("early_start", "early_finish", "late_start", "late_finish",
                               "total_float", "free_float")}
    return _result(project, net, dur, r, times, finish, near_critical, option, None, crit=crit)


def critical_rule(project: Project, critical: str | None = None,
                  critical_float: float | None = None) -> tuple[str, float]:
    """The critical rule and threshold of a schedule: the arguments, else the project's
    ``critical`` / ``critical_float`` settings, else the lowest float (threshold 0)."""
    rule = check_option(critical or project.settings.get("critical") or "lowest_float",
                        list(CRITICAL_RULES), "critical")
    if critical_float is None:  # the setting, a number checked by build_project
        return rule, float(project.settings.get("critical_float") or 0.0)
    try:
        value = float(critical_float)
    except (TypeError, ValueError):
        value = float("nan")
    if not np.isfinite(value):
        from tpmkit.errors import ValidationError

        raise ValidationError(f"critical_float {critical_float!r} is not a number of working "
                              "days; give e.g. 0 or 2")
    return rule, value


def lag_calendar_of(project: Project, lag_calendar: str | None = None) -> str | None:
    """The lag calendar of a plan whose tasks use their own calendars.

    ``lag_calendar``, else the project's setting, else ``"successor"``; None for a plan in
    whole days of the project calendar.
    """
    if not uses_calendars(project):
        return None
    return lag_calendar or project.settings.get("lag_calendar") or "successor"


def project_passes(project: Project, net: Network, dur: np.ndarray | None,
                   finish: float | None, bounds: dict | None, lag_calendar: str | None
                   ) -> dict:
    """:func:`passes`, on the project's calendars when ``lag_calendar`` is given.

    A plan with task calendars: the axis starts a little longer than twice the
    one-calendar forward pass and doubles until every time falls inside it.
    """
    if lag_calendar is None:
        return passes(net, dur, finish, bounds)
    bnd = bounds or {}
    _, ef, _ = _forward(net.order, net.pred_ptr, net.pred_link, net.link_from, net.link_type,
                        net.lag, net.lag_percent, net.duration if dur is None else dur,
                        net.constraint_type, net.constraint_offset,
                        bnd.get("rel_start", _NO_BOUND), bnd.get("rel_finish", _NO_BOUND))
    span = max(float(ef.max(initial=0.0)), finish or 0.0, float(np.nanmax(
        np.abs(net.constraint_offset), initial=0.0)))
    days = int(2 * span * 7 / max(sum(project.calendar.weekmask), 1)) + 60
    while True:
        plan = time_plan(project, net, lag_calendar, days)
        r = passes(net, dur, finish, bounds, plan)
        if not r["horizon_exceeded"]:
            r["plan"] = plan
            return r
        if project.start + pd.Timedelta(days=days) > DATE_MAX:
            from tpmkit.errors import ValidationError

            raise ValidationError(f"the schedule runs past {DATE_MAX.date()} on the tasks' "
                                  "calendars; shorten the durations or lags, or check the "
                                  "calendars' working time")
        days *= 2


def _result(project: Project, net: Network, dur: np.ndarray, r: dict, times: dict,
            finish: float | None, near_critical: float, option: str,
            status_date: pd.Timestamp | None, fixed: np.ndarray | None = None,
            crit: tuple[str, float] = ("lowest_float", 0.0)) -> ScheduleResult:
    """The :class:`ScheduleResult` of passes ``r`` (``times``: the table's time columns;
    ``fixed``: completed tasks, which have no float and are never critical; ``crit``: the
    :func:`critical_rule`)."""
    tf = times["total_float"]
    open_tf = tf if fixed is None else tf[~fixed]
    crit_level = max(0.0, float(open_tf.min())) if len(open_tf) else 0.0
    if crit[0] == "total_float":
        crit_level = crit[1]
    critical = (_longest_path(net, r, times["early_finish"]) if crit[0] == "longest_path"
                else tf <= crit_level + _EPS)
    if fixed is not None:
        critical &= ~fixed
    near = ~critical & (tf <= crit_level + near_critical + _EPS)
    drive = r["driving_link"]
    driving = np.full(len(drive), None, dtype=object)
    has = drive >= 0
    driving[has] = net.ids[net.link_from[drive[has]]]
    driven = np.where(drive >= 0, "link", np.where(drive == -2, "constraint",
                      np.where(drive == -3, "status_date", "start")))
    if fixed is not None:
        driving[fixed] = None
        driven[fixed] = "actual"
    out = pd.DataFrame({
        "name": project.tasks["name"].to_numpy(),
        "duration": dur,
        **times,
        "critical": critical,
        "near_critical": near,
        "driving_predecessor": driving,
        "driven_by": driven,
    }, index=project.tasks.index)
    finish_date = None
    if project.start is not None and ("plan" in r or project.calendar.working_times):
        # several calendars, or one with working hours: dates with the time of day
        plan, instants = (r["plan"], r["instants"]) if "plan" in r else hours_instants(
            project, net, out)
        for col, dates in plan.date_columns(instants, dur == 0).items():
            out[col] = dates
        t_end = float(instants["early_finish"].max(initial=0.0))
        finish_date = (pd.Timestamp(plan.dates(np.array([t_end]), finish=True)[0])
                       if t_end > 0 else project.start)
    elif project.start is not None:
        _add_dates(out, project)
        finish_date = (project.calendar.finish_dates([r["project_finish"]], project.start)[0]
                       if r["project_finish"] > 0 else project.start)
    order_ids = net.ids[net.order]
    return ScheduleResult(
        table=out, duration=float(r["project_finish"]),
        critical_path=[str(i) for i in order_ids[critical[net.order]]],
        driving_path=_driving_path(net, r), deadline=finish, project_name=project.name,
        start=project.start, finish_date=finish_date, status_date=status_date,
        progress=option, critical_rule=crit[0],
        critical_float=None if crit[0] == "longest_path" else crit_level)


def _longest_path(net: Network, r: dict, ef: np.ndarray) -> np.ndarray:
    """P6's longest path: the tasks finishing at the project finish and, backwards through
    links without slack, every task that drives one (one backward longest-path pass over
    those links: linear in tasks + links)."""
    from tpmkit._core.graph import longest_path

    tight = np.abs(r["link_slack"]) <= 100 * _EPS
    end = np.isfinite(ef) & (ef >= r["project_finish"] - 100 * _EPS)
    bound = np.where(end, 0.0, np.inf)
    s = longest_path(net.n_tasks, net.link_from[tight], net.link_to[tight],
                     np.zeros(int(tight.sum())), bound, forward=False)
    return np.isfinite(s)


def forecast_passes(project: Project, net: Network, dur: np.ndarray, finish: float | None,
                     option: str, lag_calendar: str | None = None
                     ) -> tuple[Network, dict, object]:
    """The passes of the remaining work: (its network, the passes, the progress arrays)."""
    prog = progress_arrays(project.progress, project.status_offset)
    rem = prog.remaining
    if dur is not net.duration:  # what-if durations: started tasks' remaining work scales
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(net.duration > 0, dur / net.duration, 1.0)
        rem = np.where(prog.status == NOT_STARTED, dur, rem * scale)
    rnet, bounds = progress_network(net, prog, option, rem)
    return rnet, project_passes(project, rnet, None, finish, bounds, lag_calendar), prog


def _forecast(project: Project, net: Network, dur: np.ndarray, finish: float | None,
              near_critical: float, option: str, lag_calendar: str | None = None,
              crit: tuple[str, float] = ("lowest_float", 0.0)) -> ScheduleResult:
    """The status-dated schedule (see :func:`schedule`)."""
    rnet, r, prog = forecast_passes(project, net, dur, finish, option, lag_calendar)
    started = prog.status != NOT_STARTED
    done = prog.status == COMPLETE
    es = np.where(started, prog.start, r["early_start"])
    ef = np.where(done, prog.finish, r["early_finish"])
    times = {"early_start": es, "early_finish": ef,
             "late_start": np.where(done, prog.start, r["late_start"]),
             "late_finish": np.where(done, prog.finish, r["late_finish"]),
             "total_float": np.where(done, np.nan,
                                     zero_within_eps(r["late_finish"] - r["early_finish"])
                                     if "plan" not in r else r["total_float_finish"]),
             "free_float": np.where(done, np.nan, r["free_float"])}
    res = _result(project, rnet, dur, r, times, finish, near_critical, option,
                  project.status_date, fixed=done, crit=crit)
    out = res.table
    pt = project.progress
    out["forecast_start"] = es
    out["forecast_finish"] = ef
    out["remaining_duration"] = rnet.duration
    out["status"] = pt["status"].to_numpy(dtype=object)
    cal, start = project.calendar, project.start
    base = project.tasks["baseline_finish"].to_numpy()
    out["finish_variance"] = ef - cal.offset_of(base, start, kind="finish")
    actual_s = pt["actual_start"].to_numpy()
    actual_f = pt["actual_finish"].to_numpy()
    for col, mask, value in (("early_start_date", started, actual_s),
                             ("late_start_date", done, actual_s),
                             ("early_finish_date", done, actual_f),
                             ("late_finish_date", done, actual_f)):
        out[col] = np.where(mask, value, out[col].to_numpy())
    out["forecast_start_date"] = out["early_start_date"]
    out["forecast_finish_date"] = out["early_finish_date"]
    return res


def _durations(project: Project, net: Network, durations: object | None) -> np.ndarray:
    if durations is None:
        return net.duration
    if isinstance(durations, dict | pd.Series):
        s = pd.Series(net.duration, index=project.tasks.index)
        upd = pd.Series(durations, dtype=float)
        unknown = upd.index.difference(s.index)
        if len(unknown):
            from tpmkit.errors import ValidationError, format_ids

            raise ValidationError(f"durations given for unknown task(s) {format_ids(unknown)}; "
                                  "use ids of the project")
        s.update(upd)
        dur = s.to_numpy(np.float64)
    else:
        dur = np.asarray(durations, dtype=np.float64)
    if dur.shape != net.duration.shape or (dur < 0).any() or ~np.isfinite(dur).all():
        from tpmkit.errors import ValidationError

        raise ValidationError("durations must be finite, ≥ 0 and one per task")
    return dur


def _deadline_offset(project: Project, deadline: object) -> float | None:
    if deadline is None:
        return project.deadline_offset
    if isinstance(deadline, int | float | np.number):
        return float(deadline)
    from tpmkit.errors import ValidationError
    from tpmkit.model.calendar import parse_date

    d = parse_date(deadline, "deadline")
    if project.start is None:
        raise ValidationError("a deadline date needs a project start date; set start or give "
                              "the deadline in working days")
    return float(project.calendar.offset_of([d], project.start, kind="finish")[0])


def _add_dates(out: pd.DataFrame, project: Project) -> None:
    cal, start = project.calendar, project.start
    ms = out["duration"].to_numpy() == 0
    for col in ("early", "late"):
        s = out[f"{col}_start"].to_numpy()
        f = out[f"{col}_finish"].to_numpy()
        sd = cal.start_dates(s, start).to_numpy()
        fd = cal.finish_dates(f, start).to_numpy()
        msd = cal.milestone_dates(s, start).to_numpy()
        out[f"{col}_start_date"] = np.where(ms, msd, sd)
        out[f"{col}_finish_date"] = np.where(ms, msd, fd)


def _driving_path(net: Network, r: dict) -> list[str]:
    if net.n_tasks == 0:
        return []
    from tpmkit._core import graph, jit

    ef = r["early_finish"]
    # the last task in topological order among those finishing at the project finish
    pos = positions(net)
    cand = np.flatnonzero(ef >= r["project_finish"] - _EPS)
    j = int(cand[np.argmax(pos[cand])])
    drive = r["driving_link"]
    parent = np.full(net.n_tasks, -1, dtype=np.int64)
    has = drive >= 0
    parent[has] = net.link_from[drive[has]]
    path = jit.call(graph.chase, net.n_tasks, parent, j)
    return net.ids[path[::-1]].tolist()


def positions(net: Network) -> np.ndarray:
    """Each task's place in the topological order."""
    pos = np.empty(net.n_tasks, dtype=np.int64)
    pos[net.order] = np.arange(net.n_tasks)
    return pos


def driving_path(result: ScheduleResult) -> list[str]:
    """The driving path of a schedule: from the project finish back through driving links."""
    return list(result.driving_path)


