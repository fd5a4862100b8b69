"""The progress model: task status at the status date, checked once, and the network of the
remaining work that every engine schedules.

Task columns (all optional): ``percent_complete`` [0–100, missing = 0], ``actual_start``,
``actual_finish`` (dates) and ``remaining_duration`` [working days; missing = the PERT mean
of ``remaining_optimistic/_most_likely/_pessimistic`` when given, else duration ×
(1 − percent_complete / 100); larger than the duration is legal: a slipping task]. With
the project's ``status_date`` (the data date) :func:`derive_progress` gives every task a
status:

* ``complete``: an actual finish, or 100 % (remaining duration 0);
* ``in_progress``: an actual start and not complete (a milestone with an actual start is
  complete);
* ``not_started``: neither.

Inconsistent progress never stops a run: each kind of problem gives one
:class:`ProgressWarning` line naming the tasks and what is assumed instead (actual dates
after the status date are ignored; an actual finish before the actual start moves the start
back; 100 % without an actual finish finishes at the earlier of actual start + duration and
the status date; an actual finish with less than 100 % counts as complete; a percent
complete without an actual start leaves the task not started, with the progress counted in
its remaining duration).

:func:`progress_network` turns the progress into what the PDM kernels of
:mod:`tpmkit._core.pdm` understand, so that CPM and Monte Carlo share one scheduling core:
remaining durations, links pruned according to the out-of-sequence option, and per task
release bounds (the status date, the actual finish of completed work, the actual start
of a started predecessor of an SS/SF link) and due bounds (the ``actual_dates`` option).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from tpmkit._core.codes import LinkType
from tpmkit._core.graph import csr
from tpmkit.errors import TpmkitWarning, format_ids

__all__ = ["COMPLETE", "IN_PROGRESS", "NOT_STARTED", "PROGRESS_OPTIONS", "STATUSES",
           "Progress", "ProgressWarning", "derive_progress", "progress_arrays",
           "progress_network", "remaining_estimates", "warn_progress", "with_status_date"]

#: The task statuses, in the order of their codes (0, 1, 2).
STATUSES = ("not_started", "in_progress", "complete")
NOT_STARTED, IN_PROGRESS, COMPLETE = 0, 1, 2
#: How out-of-sequence progress is scheduled (Primavera P6's scheduling options).
PROGRESS_OPTIONS = ("retained_logic", "progress_override", "actual_dates")


class ProgressWarning(TpmkitWarning):
    """Progress data that contradict each other or the status date; the message says which
    tasks and what is assumed instead.
    """


@dataclass(frozen=True, eq=False)
class Progress:
    """Per-task progress arrays in input order (offsets in working days from the start)."""

    status: np.ndarray          # int8 codes: NOT_STARTED, IN_PROGRESS, COMPLETE
    remaining: np.ndarray       # remaining duration [working days]
    start: np.ndarray           # actual start offset (NaN when not started)
    finish: np.ndarray          # actual finish offset (NaN when not complete)
    status_offset: float        # the data date: end of the status day


def warn_progress(project, stacklevel: int = 2) -> None:
    """Issue the project's progress warnings (one :class:`ProgressWarning` per kind of
    contradiction, found once by :func:`derive_progress` when the project was built).

    The engines call this when they schedule from the progress (a status date), so that
    reading a file never warns about progress that is not used.
    """
    for message in project.progress_notes:
        warnings.warn(message, ProgressWarning, stacklevel=stacklevel + 1)


# long function: one pass over the progress columns, each rule with its one-line warning
def derive_progress(tasks: pd.DataFrame, start: pd.Timestamp | None, calendar,
                    status_date: pd.Timestamp | None) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The progress table of a validated task table: one row per task.

    Columns ``status`` (``complete``, ``in_progress``, ``not_started``),
    ``percent_complete`` [0–100], ``actual_start``, ``actual_finish`` (dates, as given or
    as assumed), ``remaining_duration`` [working days] and, with a start date,
    ``actual_start_offset``, ``actual_finish_offset`` [working days; start of the first,
    end of the last working day; both at the end of the day for a milestone].
    Also returns the notes: one line per kind of contradiction, naming the tasks and what
    is assumed (issued as :class:`ProgressWarning` by :func:`warn_progress`).
    """
    idx = tasks.index
    d = tasks["duration"].to_numpy(np.float64)
    pc = np.nan_to_num(tasks["percent_complete"].to_numpy(np.float64), nan=0.0)
    pc_given = tasks["percent_complete"].notna().to_numpy()
    a_s = pd.DatetimeIndex(tasks["actual_start"]).to_numpy().copy()
    a_f = pd.DatetimeIndex(tasks["actual_finish"]).to_numpy().copy()
    rem_in = (tasks["remaining_duration"].to_numpy(np.float64) if "remaining_duration" in tasks
              else np.full(len(idx), np.nan))
    notes: list[str] = []
    say = notes.append
    if status_date is not None:
        sd = np.datetime64(status_date.date(), "ns")
        late_s = ~np.isnat(a_s) & (a_s > sd)
        late_f = ~np.isnat(a_f) & (a_f > sd)
        if late_s.any():
            say(f"actual_start after the status date {status_date.date()} for task(s) "
                f"{format_ids(idx[late_s])}; ignored: those tasks are treated as not started")
            a_s[late_s] = np.datetime64("NaT")
            a_f[late_s] = np.datetime64("NaT")
            pc[late_s] = 0.0
        late_f &= ~late_s
        if late_f.any():
            say(f"actual_finish after the status date {status_date.date()} for task(s) "
                f"{format_ids(idx[late_f])}; ignored: those tasks are treated as in progress")
            a_f[late_f] = np.datetime64("NaT")
            pc[late_f] = np.minimum(pc[late_f], 99.0)  # keep them in progress
    backwards = ~np.isnat(a_s) & ~np.isnat(a_f) & (a_f < a_s)
    has_f = ~np.isnat(a_f)
    full = pc >= 100.0
    complete = has_f | full
    short = has_f & pc_given & (pc < 100.0)
    if short.any():
        say(f"actual_finish given for task(s) {format_ids(idx[short])} with percent_complete "
            "below 100; treated as complete (100 %)")
    no_finish = full & ~has_f
    if no_finish.any():
        say(f"percent_complete 100 without actual_finish for task(s) {format_ids(idx[no_finish])}; "
            "assumed finished at the earlier of actual_start + duration and the status date")
    if backwards.any():
        say(f"actual_finish before actual_start for task(s) {format_ids(idx[backwards])}; the "
            "actual_finish is kept and the actual_start assumed one duration before it")
    no_start_f = has_f & np.isnat(a_s) & (d > 0)
    if no_start_f.any():
        say(f"actual_finish without actual_start for task(s) {format_ids(idx[no_start_f])}; "
            "assumed started one duration before the actual finish")
    # a milestone that has started has happened
    complete |= ~np.isnat(a_s) & (d == 0)
    started = complete | ~np.isnat(a_s)
    in_prog = started & ~complete
    no_start_p = ~started & (pc > 0)
    if no_start_p.any() and status_date is not None:
        say(f"percent_complete above 0 without actual_start for task(s) "
            f"{format_ids(idx[no_start_p])}; treated as not started (the remaining duration "
            "counts the progress); give the actual_start")
    status = np.where(complete, COMPLETE, np.where(in_prog, IN_PROGRESS, NOT_STARTED)).astype(np.int8)
    three = [tasks[f"remaining_{c}"].to_numpy(np.float64) if f"remaining_{c}" in tasks
             else np.full(len(idx), np.nan) for c in ("optimistic", "most_likely", "pessimistic")]
    pert = (three[0] + 4.0 * three[1] + three[2]) / 6.0  # NaN unless all three are given
    remaining = np.where(np.isnan(rem_in), np.where(np.isnan(pert), d * (
        1.0 - np.minimum(pc, 100.0) / 100.0), pert), rem_in)
    rem_done = complete & (remaining > 0) & ~np.isnan(rem_in)
    if rem_done.any():
        say(f"remaining_duration above 0 for complete task(s) {format_ids(idx[rem_done])}; "
            "taken as 0")
    remaining = np.where(complete, 0.0, remaining)
    pc = np.where(complete, 100.0, pc)
    out = pd.DataFrame({"status": np.array(STATUSES, dtype=object)[status],
                        "percent_complete": pc, "actual_start": a_s, "actual_finish": a_f,
                        "remaining_duration": remaining}, index=idx)
    if start is None:
        out.loc[backwards, "actual_start"] = out.loc[backwards, "actual_finish"]
        return out, tuple(notes)
    _offsets(out, d, pc, status, backwards, start, calendar, status_date)
    return out, tuple(notes)


def _offsets(out: pd.DataFrame, d: np.ndarray, pc: np.ndarray, status: np.ndarray,
             backwards: np.ndarray, start: pd.Timestamp, calendar,
             status_date: pd.Timestamp | None) -> None:
    """Actual start/finish offsets (assumed where missing) and their dates, in place."""
    ms = d == 0
    a_s = out["actual_start"].to_numpy()
    a_f = out["actual_finish"].to_numpy()
    s_off = np.where(ms, calendar.offset_of(a_s, start, kind="finish"),
                     calendar.offset_of(a_s, start, kind="start"))
    f_off = calendar.offset_of(a_f, start, kind="finish")
    dd = (float(calendar.offset_of([status_date], start, kind="finish")[0])
          if status_date is not None else np.nan)
    complete = status == COMPLETE
    started = status != NOT_STARTED
    # complete without a finish: actual start + duration, at most the status date
    nf = complete & np.isnan(f_off)
    f_off[nf] = np.fmin(s_off[nf] + d[nf], dd)
    # a finish without a (valid) start, or before its start: one duration earlier
    ns = complete & (np.isnan(s_off) | backwards)
    s_off[ns] = np.maximum(f_off[ns] - d[ns], 0.0)
    s_off[~started] = np.nan
    f_off[~complete] = np.nan
    new_s = started & (np.isnat(a_s) | backwards) & np.isfinite(s_off)
    if new_s.any():
        days = np.where(ms[new_s], calendar.milestone_dates(s_off[new_s], start).to_numpy(),
                        calendar.start_dates(s_off[new_s], start).to_numpy())
        col = out["actual_start"].to_numpy().copy()
        col[new_s] = days
        out["actual_start"] = col
    new_f = complete & np.isnat(a_f) & np.isfinite(f_off)
    if new_f.any():
        col = out["actual_finish"].to_numpy().copy()
        col[new_f] = calendar.finish_dates(f_off[new_f], start)
        out["actual_finish"] = col
    out["actual_start_offset"] = s_off
    out["actual_finish_offset"] = f_off


def progress_arrays(table: pd.DataFrame, status_offset: float) -> Progress:
    """The :class:`Progress` arrays of a progress table (from :func:`derive_progress`)."""
    code = pd.Index(STATUSES).get_indexer(table["status"].to_numpy(dtype=object)).astype(np.int8)
    return Progress(status=code, remaining=table["remaining_duration"].to_numpy(np.float64),
                    start=table["actual_start_offset"].to_numpy(np.float64),
                    finish=table["actual_finish_offset"].to_numpy(np.float64),
                    status_offset=float(status_offset))


def progress_network(net, prog: Progress, option: str = "retained_logic",
                     durations: np.ndarray | None = None):
    """The network of the remaining work and the release/due bounds of every task.

    Parameters
    ----------
    net : Network
        The project's network (:meth:`Project.network`).
    prog : Progress
        Status, remaining durations and actual offsets (:func:`progress_arrays`).
    option : str
        ``retained_logic``, ``progress_override`` or ``actual_dates`` (see
        :func:`tpmkit.cpm.schedule`).
    durations : array, optional
        Remaining durations replacing ``prog.remaining`` (Monte Carlo samples them itself).

    Returns
    -------
    (Network, dict)
        The network whose durations are the remaining durations, without the links the
        option ignores and with the lags of started predecessors in days; and the bounds
        ``rel_start``, ``rel_finish``, ``due_start``, ``due_finish`` for
        :func:`tpmkit._core.pdm.forward_pass` / :func:`~tpmkit._core.pdm.backward_pass`.
    """
    n = net.n_tasks
    st = prog.status
    started = st != NOT_STARTED
    complete = st == COMPLETE
    a_s, a_f, dd = prog.start, prog.finish, prog.status_offset
    r = prog.remaining if durations is None else np.asarray(durations, np.float64)
    lf, lt, typ = net.link_from, net.link_to, net.link_type
    full_lag = net.lag + net.lag_percent * net.duration[lf]
    rel_start = np.where(complete, -np.inf, dd)
    rel_finish = np.where(complete, a_f, -np.inf)
    due_start = np.full(n, np.inf)
    due_finish = np.full(n, np.inf)
    keep = np.ones(len(lf), dtype=bool)
    if option != "retained_logic":
        into = started[lt]
        keep &= ~into
        if option == "actual_dates":
            # the ignored links stay in force against the successor's actual dates: a
            # predecessor that cannot finish before its successor's actual start shows
            # negative float (the out-of-sequence logic stays visible)
            s_end = np.where(complete[lt], a_f[lt], np.nan)
            for t, end, bound in ((LinkType.FS, a_s[lt], due_finish),
                                  (LinkType.SS, a_s[lt], due_start),
                                  (LinkType.FF, s_end, due_finish),
                                  (LinkType.SF, s_end, due_start)):
                m = into & (typ == t) & ~np.isnan(end) & ~complete[lf]
                np.minimum.at(bound, lf[m], end[m] - full_lag[m])
    # SS/SF links from a started predecessor: its start is a fixed (actual) date
    out_start = keep & started[lf] & ((typ == LinkType.SS) | (typ == LinkType.SF))
    for t, bound in ((LinkType.SS, rel_start), (LinkType.SF, rel_finish)):
        m = out_start & (typ == t)
        np.maximum.at(bound, lt[m], a_s[lf[m]] + full_lag[m])
    keep &= ~out_start
    lag = np.where(started[lf], full_lag, net.lag)[keep]
    pct = np.where(started[lf], 0.0, net.lag_percent)[keep]
    a, b = lf[keep], lt[keep]
    pred_ptr, pred_idx, pred_link = csr(b, a, n)
    succ_ptr, succ_idx, succ_link = csr(a, b, n)
    remaining = replace(
        net, duration=np.array(r, dtype=np.float64),
        pred_ptr=pred_ptr, pred_idx=pred_idx, pred_link=pred_link, succ_ptr=succ_ptr,
        succ_idx=succ_idx, succ_link=succ_link, link_from=a, link_to=b,
        link_type=typ[keep], lag=lag, lag_percent=pct,
        constraint_type=np.where(started, 0, net.constraint_type).astype(net.constraint_type.dtype),
        constraint_offset=net.constraint_offset.copy())
    bounds = {"rel_start": rel_start, "rel_finish": rel_finish, "due_start": due_start,
              "due_finish": due_finish, "link_rows": np.flatnonzero(keep)}
    return remaining, bounds


def with_status_date(project, status_date: object):
    """``project`` with the status date of a call: None keeps its own, False removes it,
    a date replaces it (the project is validated again).
    """
    if status_date is None:
        return project
    if status_date is False:
        return project if project.status_date is None else project.replace(status_date="")
    from tpmkit.model.calendar import parse_date

    sd = parse_date(status_date, "status date")
    return project if sd == project.status_date else project.replace(status_date=sd)


def remaining_estimates(tasks: pd.DataFrame, prog: Progress) -> pd.DataFrame:
    """The task table of the remaining work, for the Monte Carlo sampler.

    ``duration`` becomes the remaining duration; an in-progress (or re-estimated) task's
    three-point estimate is ``remaining_optimistic/_most_likely/_pessimistic`` when all
    three are given, else its own scaled by ``remaining_duration / duration`` (computed as
    ``(x / duration) · remaining`` so that an estimate equal to the duration gives the
    remaining duration exactly); completed tasks are fixed at 0.
    """
    t = tasks.copy()
    d = t["duration"].to_numpy(np.float64)
    r = prog.remaining
    done = prog.status == COMPLETE
    cols = ("optimistic", "most_likely", "pessimistic")
    own = [t[c].to_numpy(np.float64) for c in cols]
    given = [t[f"remaining_{c}"].to_numpy(np.float64) if f"remaining_{c}" in t
             else np.full(len(t), np.nan) for c in cols]
    explicit = ~done & np.isfinite(given[0]) & np.isfinite(given[1]) & np.isfinite(given[2])
    if explicit.any():
        bad = explicit & ((given[0] > given[1]) | (given[1] > given[2]))
        if bad.any():
            from tpmkit.errors import ValidationError

            raise ValidationError(f"remaining three-point estimate not ordered o ≤ m ≤ p for "
                                  f"task(s) {format_ids(t.index[bad])}; order "
                                  "remaining_optimistic ≤ remaining_most_likely ≤ "
                                  "remaining_pessimistic")
    with np.errstate(divide="ignore", invalid="ignore"):
        for c, x, g in zip(cols, own, given, strict=True):
            scaled = np.where(x == d, r, np.where(d > 0, x / d * r, x))
            v = np.where(explicit, g, np.where(r == d, x, scaled))
            t[c] = np.where(done, np.nan, v)
    t["duration"] = r
    if "distribution" in t:
        t["distribution"] = np.where(done, "fixed", t["distribution"].to_numpy(dtype=object))
    return t
