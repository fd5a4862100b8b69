"""The time plan of a multi-calendar schedule: a project's calendars on one time axis.

A plan whose tasks all use the project calendar is scheduled in whole working days
(offsets, :mod:`tpmkit.model.calendar`). When tasks name other calendars
(``tasks["calendar"]``, :attr:`Project.calendars`), :func:`time_plan` puts every calendar
on the absolute axis of :mod:`tpmkit._core.worktime` (minutes from midnight of the project
start day) and gives per task the calendar its duration is counted on, per link the
calendar its lag is counted on, and the minutes of one day of duration on each. The PDM
passes then run on instants; the results go back to working-day offsets of the project
calendar (:meth:`TimePlan.offsets`) and to the task's own calendar for floats
(:meth:`TimePlan.task_days`).

Lag calendar (``lag_calendar``; P6's scheduling option "calendar for scheduling
relationship lag", MS Project's rule):

* ``"successor"``: the successor's calendar (MS Project);
* ``"predecessor"``: the predecessor's calendar (P6's default);
* ``"project"``: the project calendar;
* ``"24h"``: elapsed time, 24 hours a day, one day = 24 h.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tpmkit._core import worktime
from tpmkit._core.codes import ConstraintType, LinkType, zero_within_eps
from tpmkit.errors import TpmkitWarning, ValidationError, check_option, format_ids
from tpmkit.model.calendar import DATE_MAX, Calendar, task_calendars

__all__ = ["LAG_CALENDARS", "TimePlan", "calendar_passes", "constraint_instants", "hours_instants", "time_plan", "uses_calendars",
           "warn_calendars"]

LAG_CALENDARS = ("successor", "predecessor", "project", "24h")
_START_KINDS = (ConstraintType.SNET, ConstraintType.SNLT, ConstraintType.MSO)


def warn_calendars(project, what: str, stacklevel: int = 2) -> None:
    """One warning when ``project`` has tasks on their own calendars and ``what`` (an engine
    that works in whole working days of the project calendar) ignores them.
    """
    if uses_calendars(project):
        names = task_calendars(project.tasks, str(project.settings.get("calendar_name") or ""))
        ids = project.tasks.index[names != ""]
        warnings.warn(f"tasks {format_ids(ids)} use their own calendars; {what} works in whole "
                      "working days of the project calendar and ignores them (tpmkit.schedule "
                      "schedules them on their calendars)", TpmkitWarning, stacklevel=stacklevel)


def uses_calendars(project) -> bool:
    """Whether any task of ``project`` names a calendar other than the project's."""
    if not project.calendars:
        return False
    names = task_calendars(project.tasks, str(project.settings.get("calendar_name") or ""))
    return bool((names != "").any())


@dataclass
class TimePlan:
    """Calendars, units and the axis of a multi-calendar schedule (see the module)."""

    axis: worktime.TimeAxis
    task_cal: np.ndarray    # int64 (n): axis calendar of each task (0 = project)
    link_cal: np.ndarray    # int64 (m): axis calendar of each link's lag (-1 = 24 h)
    task_unit: np.ndarray   # float (n): minutes of one day of duration of each task
    link_unit: np.ndarray   # float (m): minutes of one day of lag of each link
    project_unit: float     # minutes of one working day of the project calendar
    start: pd.Timestamp
    sub_day: bool           # some calendar has working hours: dates carry times
    calendars: list[Calendar]
    origin: float = 0.0     # instant 0, minutes after midnight of the start day
    constraint_dates: np.ndarray | None = None  # datetime64[D] per task (NaT: none)

    # -- offsets [working days of the project calendar] <-> instants [minutes] ----------
    def instants(self, offsets: np.ndarray, kind: np.ndarray | str) -> np.ndarray:
        """Instants of project offsets: a start offset at the next working instant, a
        finish offset at the end of the work before it (``kind``: "start"/"finish" or a
        boolean array, True = start).
        """
        off = np.asarray(offsets, dtype=float) * self.project_unit
        is_start = np.broadcast_to(np.asarray(kind == "start" if isinstance(kind, str)
                                              else kind, dtype=bool), off.shape)
        out = off.copy()
        ok = np.isfinite(off)
        s, f = ok & is_start, ok & ~is_start
        out[s] = worktime.last_array(off[s], 0, self.axis)
        out[f] = worktime.first_array(off[f], 0, self.axis)
        return out

    def offsets(self, instants: np.ndarray) -> np.ndarray:
        """Working-day offsets of the project calendar of instants."""
        t = np.asarray(instants, dtype=float)
        return worktime.work_array(t, 0, self.axis) / self.project_unit

    def task_days(self, t1: np.ndarray, t2: np.ndarray) -> np.ndarray:
        """Working days of each task's calendar from ``t1`` to ``t2`` (negative when
        ``t2 < t1``).
        """
        w1 = worktime.work_array(t1, self.task_cal, self.axis)
        w2 = worktime.work_array(t2, self.task_cal, self.axis)
        return (w2 - w1) / self.task_unit

    def dates(self, instants: np.ndarray, finish: bool) -> np.ndarray:
        """Dates (datetime64) of instants: with times when the plan has working hours;
        else the day, a finish at midnight being the end of the day before.
        """
        t = np.asarray(instants, dtype=float)
        ok = np.isfinite(t)
        out = np.full(t.shape, np.datetime64("NaT"), dtype="datetime64[m]")
        base = np.datetime64(self.start.date(), "m") + np.timedelta64(int(self.origin), "m")
        if self.sub_day:
            out[ok] = base + np.round(t[ok]).astype(np.int64).astype("timedelta64[m]")
            return out.astype("datetime64[ns]")
        tt = t[ok] - (1e-6 if finish else 0.0)
        day = np.floor(tt / worktime.DAY).astype(np.int64)
        out[ok] = base + (day * 1440).astype("timedelta64[m]")
        return out.astype("datetime64[ns]")


    def date_columns(self, instants: dict, milestone: np.ndarray) -> dict:
        """The ``*_date`` columns of a schedule from its ``instants``: with times when a
        calendar has working hours; else days, a milestone after the start sitting on the
        day the work before it ends on its calendar (MS Project's convention).
        """
        out = {}
        for col in ("early", "late"):
            # a start at the end of a working period is shown at the next working instant
            # (a milestone's late start at the project start can come out of the backward
            # pass at the end of the work before it: same working time, other day)
            s = worktime.last_array(worktime.work_array(instants[f"{col}_start"], self.task_cal,
                                                        self.axis), self.task_cal, self.axis)
            sd = self.dates(s, finish=False)
            bound = instants.get("late_start_bound") if col == "late" else None
            if bound is not None:
                # an SS/SF successor asks the task to start by a time its calendar does not
                # work: the late start is the end of the work before it (the same working
                # time), on that day, not the next working instant after the bound
                held = s > bound + 1e-6
                if held.any():
                    s = np.where(held, worktime.shift_array(s, 0.0, self.task_cal, self.axis), s)
                    sd = np.where(held, self.dates(s, finish=True), self.dates(s, finish=False))
            fd = self.dates(instants[f"{col}_finish"], finish=True)
            if not self.sub_day:
                prior = worktime.shift_array(s, 0.0, self.task_cal, self.axis)
                md = np.where(s > 0, self.dates(prior, finish=True), sd)
                sd, fd = np.where(milestone, md, sd), np.where(milestone, md, fd)
            out[f"{col}_start_date"] = sd
            out[f"{col}_finish_date"] = fd
        return out


def _axis(calendars: list[Calendar], start: pd.Timestamp, lo_days: int, n_days: int,
          origin: float) -> worktime.TimeAxis:
    s = np.datetime64(start.date(), "D")
    spec = [c.axis_spec for c in calendars]
    return worktime.build_axis(spec, s, lo_days, n_days, origin)


def _origin(calendar: Calendar, start: pd.Timestamp, start_time: object) -> float:
    """Instant 0 [minutes after midnight of the start day]: the project's ``start_time``
    setting (``"09:00"``; MS Project files carry it), else the first working minute of the
    project calendar on the start day (0 for whole days).
    """
    if start_time not in (None, "") and not (isinstance(start_time, float)
                                             and np.isnan(start_time)):
        text = str(start_time).strip()
        try:
            hh, mm = text.split(":")[:2]
            minutes = int(hh) * 60 + int(mm)
        except ValueError:
            minutes = -1
        if not 0 <= minutes < 1440:
            raise ValidationError(f"project start_time {text!r} is not a time of day; write "
                                  "it as HH:MM, e.g. 08:00")
        return float(minutes)
    if calendar.working_times is None:
        return 0.0
    day = calendar.working_times[start.day_of_week]
    if not day and np.datetime64(start.date(), "D") in calendar.workdays:
        day = calendar.extra_day_minutes
    return float(day[0][0]) if day else 0.0


def time_plan(project, net, lag_calendar: str = "successor", horizon_days: int = 0
              ) -> TimePlan:
    """The :class:`TimePlan` of ``project`` (``net`` = its network) over ``horizon_days``
    calendar days after the start (and a quarter of that before it).
    """
    lag_calendar = check_option(lag_calendar, list(LAG_CALENDARS), "lag_calendar")
    if project.start is None:
        raise ValidationError("tasks on their own calendars need a project start date (the "
                              "calendars are dates); set the project's start")
    pname = str(project.settings.get("calendar_name") or "")
    names = task_calendars(project.tasks, pname)
    used = sorted(set(names[names != ""]))
    cals = [project.calendar] + [project.calendars[n] for n in used]
    index = {n: k + 1 for k, n in enumerate(used)}
    index[""] = 0
    task_cal = np.array([index[n] for n in names], dtype=np.int64)
    units = np.array([c.minutes_per_day for c in cals])
    task_unit = units[task_cal]
    if lag_calendar == "24h":
        link_cal = np.full(len(net.link_from), -1, dtype=np.int64)
    elif lag_calendar == "project":
        link_cal = np.zeros(len(net.link_from), dtype=np.int64)
    else:
        ends = net.link_to if lag_calendar == "successor" else net.link_from
        link_cal = task_cal[ends]
    link_unit = np.where(link_cal < 0, worktime.DAY, units[np.maximum(link_cal, 0)])
    days = max(int(horizon_days), 60)
    lo = -(days // 4 + 30)
    if (project.start + pd.Timedelta(days=days)) > DATE_MAX:
        days = max((DATE_MAX - project.start).days, 1)
    origin = _origin(project.calendar, project.start, project.settings.get("start_time"))
    axis = _axis(cals, project.start, lo, days - lo, origin)
    cdates = pd.DatetimeIndex(project.tasks["constraint_date"]).normalize().to_numpy(
        "datetime64[D]")
    return TimePlan(axis, task_cal, link_cal, task_unit, link_unit, float(units[0]),
                    project.start, any(c.working_times is not None for c in cals), cals,
                    origin, cdates)


def constraint_instants(plan: TimePlan, ctype: np.ndarray, coff: np.ndarray) -> np.ndarray:
    """Instants of the constraints: a constraint date at its midnight (a start constraint)
    or the next midnight (a finish constraint), so a weekend date keeps its meaning on a
    calendar that works it; a constraint given as an offset at the start of that working
    day of the project calendar, or at its end (NaN: none).
    """
    is_start = np.isin(ctype, np.array([int(c) for c in _START_KINDS]))
    out = plan.instants(coff, is_start)
    dates = plan.constraint_dates
    if dates is not None and len(dates) == len(out):
        has = ~np.isnat(dates)
        days = (dates[has] - np.datetime64(plan.start.date(), "D")).astype(np.int64)
        out[has] = (days + np.where(is_start[has], 0, 1)) * worktime.DAY - plan.origin
    return out


def hours_instants(project, net, table: pd.DataFrame) -> tuple[TimePlan, dict]:
    """A plan on one calendar with working hours: the plan of its calendar and the four
    times of ``table`` (project offsets) as instants, for dates with the time of day (a
    start at the next working instant; a finish, and a milestone, at the end of the work
    before it).
    """
    keys = ("early_start", "early_finish", "late_start", "late_finish")
    offsets = np.concatenate([table[k].to_numpy(float) for k in keys])
    span = float(np.nanmax(np.abs(offsets), initial=0.0))
    days = int(2 * span * 7 / max(sum(project.calendar.weekmask), 1)) + 60
    plan = time_plan(project, net, "successor", days)
    work = table["duration"].to_numpy() > 0
    return plan, {k: plan.instants(table[k].to_numpy(float), work if k.endswith("start")
                                   else "finish") for k in keys}


def calendar_passes(net, dur: np.ndarray, finish: float | None, bounds: dict,
                    plan: TimePlan) -> dict:
    """The forward and backward passes of :func:`tpmkit.cpm.passes` on the plan's calendars.

    Durations [working days of each task's calendar] and lags [working days of each link's
    calendar; a percent lag is a share of the predecessor's duration in days] become working
    minutes; constraint offsets, bounds and the deadline [project working days] become
    instants; the one PDM kernel pair of :mod:`tpmkit._core.pdm` runs on the axis. Returns
    the keys of :func:`tpmkit.cpm.passes` (times as project offsets, floats in days of the
    task's calendar, link slack in days of the predecessor's calendar), ``instants`` and
    ``horizon_exceeded`` (True: build a longer plan and run again).
    """
    from tpmkit._core import jit, pdm

    a, b = net.link_from, net.link_to
    dmin = dur * plan.task_unit
    lag = (net.lag + net.lag_percent * dur[a]) * plan.link_unit
    zero = np.zeros(len(lag))
    coff = constraint_instants(plan, net.constraint_type, net.constraint_offset)
    coff = np.where(np.isnan(coff), 0.0, coff)
    cal = (plan.task_cal, plan.link_cal, *plan.axis.arrays)
    rel_s = bounds.get("rel_start", _NO)
    rel_f = bounds.get("rel_finish", _NO)
    if rel_s.size:
        rel_s, rel_f = plan.instants(rel_s, "start"), plan.instants(rel_f, "finish")
    es, ef, drive = jit.call(pdm.forward_pass, len(dmin) + len(lag), net.order, net.pred_ptr,
                             net.pred_link, a, net.link_type, lag, zero, dmin,
                             net.constraint_type, coff, rel_s, rel_f, *cal)
    t_early = float(ef.max()) if len(ef) else 0.0
    t_late = t_early if finish is None else float(plan.instants([finish], "finish")[0])
    due_s = bounds.get("due_start", _NO)
    due_f = bounds.get("due_finish", _NO)
    if due_s.size:
        due_s, due_f = plan.instants(due_s, "start"), plan.instants(due_f, "finish")
    def backward(due_start, due_finish, finish):
        return jit.call(pdm.backward_pass, len(dmin) + len(lag), net.order, net.succ_ptr,
                        net.succ_link, b, net.link_type, lag, zero, dmin, net.constraint_type,
                        coff, due_start, due_finish, finish, *cal)

    ls, lf = backward(due_s, due_f, t_late)
    if (net.constraint_type == ConstraintType.ALAP).any():
        def forward(rel_start, rel_finish):
            return jit.call(pdm.forward_pass, len(dmin) + len(lag), net.order, net.pred_ptr,
                            net.pred_link, a, net.link_type, lag, zero, dmin,
                            net.constraint_type, coff, rel_start, rel_finish, *cal)

        es, ef, drive = pdm.alap_times(net, es, ef, ls, drive, {
            "rel_start": rel_s, "rel_finish": rel_f, "due_start": due_s, "due_finish": due_f},
            forward, backward, t_early)
    # working time of each task's calendar at its four times (floats are differences)
    tc, unit = plan.task_cal, plan.task_unit
    w_es, w_ef, w_ls, w_lf = (worktime.work_array(x, tc, plan.axis) for x in (es, ef, ls, lf))
    # link slack: how far the predecessor's time (finish for FS/FF, start for SS/SF) may
    # move on its calendar before the link moves the successor's early dates
    t = net.link_type
    to_start = (t == LinkType.FS) | (t == LinkType.SS)
    from_finish = (t == LinkType.FS) | (t == LinkType.FF)
    succ_t = np.where(to_start, es[b], ef[b])
    latest = np.where(lag == 0.0, succ_t, worktime.back_array(succ_t, lag, plan.link_cal,
                                                              plan.axis))
    link_slack = (worktime.work_array(latest, tc[a], plan.axis)
                  - np.where(from_finish, w_ef[a], w_es[a])) / unit[a]
    ff = np.full(len(es), np.inf)
    np.minimum.at(ff, a, link_slack)
    no_succ = np.diff(net.succ_ptr) == 0
    w_end = worktime.work_array(np.full(len(ef), t_early), tc, plan.axis)
    # the latest start an SS or SF link leaves the predecessor, in clock time (for its date)
    held = (t == LinkType.SS) | (t == LinkType.SF)
    start_bound = np.full(len(es), np.inf)
    if held.any():
        # the successor's late start as it shows it: at its next working instant (a late
        # start at the end of a working period is the same working time as the next one)
        ls_shown = worktime.last_array(w_ls, tc, plan.axis)
        base = np.where(t == LinkType.SS, ls_shown[b], lf[b])[held]
        lag_h = lag[held]
        v = np.where(lag_h == 0.0, base, worktime.back_array(base, lag_h, plan.link_cal[held],
                                                             plan.axis))
        np.minimum.at(start_bound, a[held], v)
    ff[no_succ] = ((w_end - w_ef) / unit)[no_succ]
    return {"early_start": plan.offsets(es), "early_finish": plan.offsets(ef),
            "late_start": plan.offsets(ls), "late_finish": plan.offsets(lf),
            "total_float": zero_within_eps((w_ls - w_es) / unit),
            "total_float_finish": zero_within_eps((w_lf - w_ef) / unit),
            "free_float": zero_within_eps(ff), "driving_link": drive,
            "link_slack": link_slack, "project_finish": float(plan.offsets([t_early])[0]),
            "instants": {"early_start": es, "early_finish": ef, "late_start": ls,
                         "late_finish": lf, "late_start_bound": start_bound},
            "horizon_exceeded": worktime.horizon_exceeded(plan.axis, es, ef, ls, lf)}


_NO = np.zeros(0)
