"""Updating the plan: move the status date and a task's progress, watch the forecast move.

:func:`progress_as_planned` turns a plan into a status-dated project in which every task has
progressed exactly as planned up to the status date — except the tasks given, which report
the percent complete you choose (behind, ahead, or started out of sequence).
:func:`update` schedules it from the progress (:func:`tpmkit.schedule` with the status date)
and draws the forecast Gantt; :func:`compare_progress` schedules the same progress with
*retained logic* and with *progress override*; :func:`build_ui` wraps :func:`update` in
sliders.

References
----------
.. [1] Oracle, *Primavera P6 Professional — Schedule options: retained logic, progress
   override, actual dates* (scheduling with a data date).
.. [2] Microsoft, *Project — Update project: reschedule uncompleted work to start after the
   status date*.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.widgets._common import View, figure, frame_html, image, png, run_guarded

__all__ = ["PROGRESS_LABELS", "build_ui", "compare_progress", "example_project",
           "progress_as_planned", "update"]

#: the out-of-sequence options of :func:`tpmkit.schedule`, in words
PROGRESS_LABELS = {"retained_logic": "retained logic", "progress_override": "progress override",
                   "actual_dates": "actual dates"}


def example_project():
    """The small network of the lesson: spec → build ‖ docs → test → release.

    A (spec, 5 d) → B (build, 8 d) → D (test, 4 d) → E (release, milestone); A → C (docs, 3 d)
    → E. Baselines are the planned dates; the project starts on Monday 2027-01-04.

    Examples
    --------
    >>> p = example_project()
    >>> list(p.tasks.index), float(p.tasks.loc["B", "duration"])
    (['A', 'B', 'C', 'D', 'E'], 8.0)
    """
    from tpmkit import schedule
    from tpmkit.io import read

    t = pd.DataFrame({"id": ["A", "B", "C", "D", "E"],
                      "name": ["Specification", "Build", "User docs", "Test", "Release"],
                      "duration": [5, 8, 3, 4, 0],
                      "predecessors": ["", "A", "A", "B", "C; D"]})
    plain = read(t, start="2027-01-04")
    s = schedule(plain).table
    t["baseline_start"] = s["early_start_date"].to_numpy()
    t["baseline_finish"] = s["early_finish_date"].to_numpy()
    return read(t, start="2027-01-04")


def _plan(project: Any) -> pd.DataFrame:
    from tpmkit import schedule

    return schedule(project, status_date=False).table


def progress_as_planned(project: Any, status_day: float, percent: dict[str, float] | None = None
                        ) -> Any:
    """The project at a status date, every task progressed as planned except ``percent``.

    Parameters
    ----------
    project : Project
        A plan with a start date (its progress columns are replaced).
    status_day : float
        The status date as a whole number of working days from the start: the status date
        is the last working day before that offset (day 5 = the end of the fifth day).
    percent : dict, optional
        Task id → percent complete (0–100) reported instead of the planned progress. A task
        given more than 0 % that was not planned to start by the status date started on the
        status date (out of sequence when its predecessors are not finished).

    Returns
    -------
    Project
        With ``status_date``, ``actual_start``, ``actual_finish`` and ``percent_complete``.

    Examples
    --------
    >>> p = progress_as_planned(example_project(), 7, {"B": 10})
    >>> p.tasks["percent_complete"].tolist()
    [100.0, 10.0, 66.66666666666667, 0.0, 0.0]
    """
    percent = dict(percent or {})
    tasks = project.tasks
    unknown = [k for k in percent if k not in tasks.index]
    if unknown:
        raise ValidationError(f"unknown task(s) {format_ids(unknown)}; choose one of "
                              f"{format_ids(list(tasks.index))}")
    bad = [k for k, v in percent.items() if not 0 <= float(v) <= 100]
    if bad:
        raise ValidationError(f"percent complete of {format_ids(bad)} must lie in 0–100")
    if project.start is None:
        raise ValidationError("the project needs a start date to have a status date; give "
                              "start=…")
    s = float(int(status_day))
    if s < 1:
        raise ValidationError(f"status_day must be at least 1 working day, got {status_day}")
    plan = _plan(project)
    cal, start = project.calendar, project.start
    es, ef = plan["early_start"].to_numpy(float), plan["early_finish"].to_numpy(float)
    dur = plan["duration"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        planned = np.where(ef <= s, 100.0, np.where(es < s, 100.0 * (s - es) / dur, 0.0))
    pc = pd.Series(planned, index=tasks.index)
    for k, v in percent.items():
        pc[k] = float(v)
    status_date = cal.finish_dates([s], start)[0]
    started = pc.to_numpy() > 0
    a_start = np.where(es < s, es, s - 1.0)           # not yet due: started on the status day
    a_start_dates = cal.start_dates(a_start, start)
    done = pc.to_numpy() >= 100
    # a finished task ended on its planned finish, or on the status date if that came first
    a_finish = np.maximum(np.minimum(ef, s), a_start + np.where(dur > 0, 1.0, 0.0))
    a_finish_dates = cal.finish_dates(a_finish, start)
    table = project.to_table().set_index("id")
    table["percent_complete"] = pc
    table["actual_start"] = pd.Series(np.where(started, a_start_dates, pd.NaT),
                                      index=tasks.index)
    table["actual_finish"] = pd.Series(np.where(done, a_finish_dates, pd.NaT),
                                       index=tasks.index)
    if "remaining_duration" in table:
        table["remaining_duration"] = np.nan
    return project.replace(tasks=table.reset_index(),
                           links=project.links.drop(columns=["text"], errors="ignore"),
                           status_date=status_date)


def _forecast(project: Any, progress: str) -> Any:
    from tpmkit import schedule

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # the lesson's data are consistent by construction
        return schedule(project, progress=progress)


def update(status_day: int = 7, task: str = "B", percent: float = 10.0,
           progress: str = "retained_logic", project: Any = None) -> View:
    """Forecast the example network at a status date with one task's progress changed.

    Parameters
    ----------
    status_day : int
        Status date [working days from the start] (see :func:`progress_as_planned`).
    task : str
        The task whose percent complete is set.
    percent : float
        Its percent complete at the status date (the others progress as planned).
    progress : {"retained_logic", "progress_override", "actual_dates"}
        How out-of-sequence progress is scheduled.
    project : Project, optional
        Another plan (default :func:`example_project`).

    Returns
    -------
    View
        ``figures["gantt"]`` (the forecast Gantt with the status line, actual and remaining
        parts, baseline and slip), ``tables["schedule"]`` (forecast start/finish, remaining
        duration, status, finish variance), ``values``: ``finish`` [working days],
        ``finish_date``, ``planned_finish`` [working days], ``slip`` [working days].

    Examples
    --------
    >>> v = update(status_day=7, task="B", percent=10.0)
    >>> v.values["finish"] > v.values["planned_finish"]
    True
    """
    from tpmkit import plot

    base = example_project() if project is None else project
    current = progress_as_planned(base, status_day, {task: percent})
    result = _forecast(current, progress)
    planned = float(_plan(base)["early_finish"].max())
    fig = figure(8.0, 3.8)
    label = PROGRESS_LABELS.get(progress, progress)
    plot.gantt(result, current, title=f"Forecast at the status date ({label})",
               ax=fig.add_subplot())
    table = result.table.copy()
    table["percent_complete"] = current.tasks["percent_complete"]
    cols = [c for c in ("name", "status", "percent_complete", "remaining_duration",
                        "forecast_start_date", "forecast_finish_date", "finish_variance",
                        "total_float") if c in table]
    table = table[cols]
    finish = float(result.duration)
    values = {"finish": finish, "finish_date": result.finish_date, "planned_finish": planned,
              "slip": finish - planned, "status_date": current.status_date}
    when = f" ({result.finish_date:%a %d %b %Y})" if result.finish_date is not None else ""
    text = (f"Status date {current.status_date:%a %d %b %Y}: {task} at {percent:g} %. Forecast "
            f"finish on working day {finish:g}{when}, {finish - planned:+g} working days "
            f"against the plan ({label}).")
    return View(figures={"gantt": fig}, tables={"schedule": table}, text=text, values=values)


def compare_progress(status_day: int = 3, percent: dict[str, float] | None = None,
                     project: Any = None) -> View:
    """The same progress scheduled with retained logic and with progress override.

    The default is out-of-sequence progress: on day 3 the specification (A) is only 40 %
    done, yet the build (B, its successor) has started and is 25 % done. Retained logic
    lets B's remaining work wait for A to finish; progress override lets it run on from the
    status date, ignoring the link A → B.

    Returns
    -------
    View
        ``figures["retained_logic"]``, ``figures["progress_override"]`` (forecast Gantts),
        ``tables["finish"]`` (forecast finish of every task under both options, in working
        days) and ``values``: ``finish`` per option.

    Examples
    --------
    >>> v = compare_progress()
    >>> v.values["finish"]["retained_logic"] > v.values["finish"]["progress_override"]
    True
    """
    from tpmkit import plot

    base = example_project() if project is None else project
    current = progress_as_planned(base, status_day, percent or {"A": 40.0, "B": 25.0})
    figs, finish, cols = {}, {}, {}
    for option in ("retained_logic", "progress_override"):
        result = _forecast(current, option)
        fig = figure(7.0, 3.2)
        plot.gantt(result, current, title=PROGRESS_LABELS[option], ax=fig.add_subplot())
        figs[option] = fig
        finish[option] = float(result.duration)
        cols[option] = result.table["early_finish"]
    table = pd.DataFrame(cols)
    table["difference"] = table["retained_logic"] - table["progress_override"]
    text = (f"Retained logic finishes on working day {finish['retained_logic']:g}, progress "
            f"override on day {finish['progress_override']:g}: retained logic keeps the "
            "links of work started out of sequence, so its remaining work waits for the "
            "predecessors.")
    return View(figures=figs, tables={"finish": table}, text=text, values={"finish": finish})


def build_ui(project: Any = None):
    """The workbench: status-date and percent-complete sliders, a task and an option."""
    import ipywidgets as widgets

    base = example_project() if project is None else project
    plan = _plan(base)
    horizon = int(np.ceil(float(plan["early_finish"].max())))
    day = widgets.IntSlider(value=min(7, horizon), min=1, max=max(horizon, 1),
                            description="status day", continuous_update=False)
    task = widgets.Dropdown(options=[(f"{i}  {base.tasks.at[i, 'name']}", i)
                                     for i in base.tasks.index if base.tasks.at[i, "duration"] > 0],
                            value=base.tasks.index[base.tasks["duration"] > 0][1],
                            description="task")
    pct = widgets.FloatSlider(value=10.0, min=0.0, max=100.0, step=5.0,
                              description="% complete", continuous_update=False)
    option = widgets.ToggleButtons(options=[(v, k) for k, v in PROGRESS_LABELS.items()],
                                   value="retained_logic")
    headline, status, grid = widgets.HTML(), widgets.HTML(), widgets.HTML()
    img = image()

    def show(_=None) -> None:
        view = run_guarded(status, lambda: update(day.value, task.value, pct.value,
                                                  option.value, base))
        if view is None:
            return
        img.value = png(view.figures["gantt"])
        headline.value = f"<b>{view.text}</b>"
        grid.value = frame_html(view.tables["schedule"], highlight=[task.value])

    for w in (day, task, pct, option):
        w.observe(show, names="value")
    show()
    box = widgets.VBox([widgets.HBox([day, pct]), widgets.HBox([task, option]), headline, img,
                        grid, status])
    box.add_class("tpmkit-updating")
    return box
