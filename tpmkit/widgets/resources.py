"""Resources workbench: loading against capacity, levelling before/after, DCMA-14 check.

Numbers come from :func:`tpmkit.resources.loading`, :func:`tpmkit.resources.level` and
:func:`tpmkit.health.dcma14`; this module draws them and wires the controls.

References
----------
.. [1] R. Kolisch, "Serial and parallel resource-constrained project scheduling methods
   revisited", *European Journal of Operational Research* 90(2), 1996.
.. [2] Defense Contract Management Agency, *Earned Value Management System (EVMS) Program
   Analysis Pamphlet* (DCMA-EA PAM 200.1), 2012 (the 14-point assessment).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, check_option, format_ids
from tpmkit.widgets._common import View, figure, frame_html, image, png, run_guarded, tidy

__all__ = ["build_ui", "health_update", "levelling_update"]


def levelling_update(project, resource: str | None = None, rule: str = "lft",
                     within_float: bool = False, search: str = "none", passes: int = 1,
                     seed: int = 1) -> View:
    """Level the project's resources and compare loading before and after.

    Parameters
    ----------
    project : tpmkit.Project
        With ``resources`` (capacities) and task ``resources`` assignments.
    resource : str, optional
        Resource to draw (default the one with the most over-allocated days before levelling).
    rule : {"lft", "lst", "mslk", "mts", "grpw"}
        Priority rule (see :func:`tpmkit.resources.level`).
    within_float : bool
        Only move tasks within their total float (the finish date stays).
    search : {"none", "sampling", "ga"}
        Improvement search after the priority-rule pass.
    passes : int
        Schedule budget of the search (1 = the plain priority-rule schedule).
    seed : int

    Returns
    -------
    View
        ``figures["loading"]`` (:func:`tpmkit.plot.resource_histogram` of the resource
        before and after), ``tables``:
        ``schedule`` (levelled starts and delays), ``overallocations_before`` and
        ``overallocations_after``; ``values``: ``cpm_duration``, ``levelled_duration``
        [working days], ``overallocated_days_before`` / ``_after`` (all resources),
        ``resource``.

    Examples
    --------
    >>> import pandas as pd, tpmkit
    >>> p = tpmkit.read({"tasks": pd.DataFrame({"id": ["A", "B"], "duration": [3, 2],
    ...                  "resources": ["dev:1", "dev:1"]}),
    ...                  "resources": pd.DataFrame({"id": ["dev"], "capacity": [1]})})
    >>> v = levelling_update(p)
    >>> v.values["cpm_duration"], v.values["levelled_duration"]
    (3.0, 5.0)
    """
    from tpmkit import plot, resources

    before = resources.loading(project)
    result = resources.level(project, rule=rule, within_float=bool(within_float), search=search,
                             passes=int(passes), time_budget=None, rng=int(seed))
    after = resources.loading(project, result)
    cols = list(before.usage.columns)
    if not cols:
        raise ValidationError("no task has resources assigned; fill the 'resources' column of "
                              "the task table, e.g. 'dev:1; qa:0.5'")
    over_days = (before.usage > before.capacity + 1e-9).sum()
    if resource is None:
        resource = str(over_days.idxmax())
    if resource not in cols:
        raise ValidationError(f"unknown resource {resource!r}; choose one of "
                              f"{format_ids(cols, 20)}")
    fig = figure(8.0, 4.8)
    top, bottom = fig.subplots(2, 1, sharex=True, sharey=True)
    plot.resource_histogram(before, resource, ax=top, title=(
        f"{resource} before levelling (CPM early start): {result.cpm_duration:g} working days"))
    plot.resource_histogram(after, resource, ax=bottom, title=(
        f"{resource} after levelling ({rule}, {search}): {result.makespan:g} working days"))
    ob = int(over_days.sum())
    oa = int((after.usage > after.capacity + 1e-9).to_numpy().sum())
    values = {"cpm_duration": float(result.cpm_duration),
              "levelled_duration": float(result.makespan), "overallocated_days_before": ob,
              "overallocated_days_after": oa, "resource": resource}
    delayed = result.schedule[result.schedule["delay"] > 0]
    text = (f"Levelling removes {ob - oa} of {ob} over-allocated resource-days and moves "
            f"{len(delayed)} tasks; the finish goes from {result.cpm_duration:g} to "
            f"{result.makespan:g} working days.")
    return View(figures={"loading": fig},
                tables={"schedule": result.schedule, "overallocations_before":
                        before.overallocations, "overallocations_after": after.overallocations},
                text=text, values=values)


def health_update(project, status_date=None) -> View:
    """Run the DCMA 14-point schedule assessment.

    Returns
    -------
    View
        ``tables["checks"]`` (:func:`tpmkit.health.dcma14` checks), ``figures["checks"]``
        (each check's value against its threshold, green pass / red fail / grey n/a) and
        ``values`` (``passed``, ``failed``: names, ``not_applicable``).

    Examples
    --------
    >>> import tpmkit
    >>> v = health_update(tpmkit.datasets.load("software_release"))
    >>> "logic" in v.values["passed"]
    True
    """
    from tpmkit import health

    report = health.dcma14(project, status_date=status_date)
    checks = report.checks
    passed = [str(c) for c in checks.index[checks["passed"] == True]]  # noqa: E712 - None is n/a
    failed = [str(c) for c in checks.index[checks["passed"] == False]]  # noqa: E712
    na = [str(c) for c in checks.index[checks["passed"].isna()]]
    fig = figure(6.5, 4.2)
    ax = fig.add_subplot()
    ypos = np.arange(len(checks))
    colors = ["#009E73" if c in passed else "#D55E00" if c in failed else "#bbb"
              for c in checks.index]
    ax.barh(ypos, [1] * len(checks), color=colors)
    labels = [f"{int(r.number):>2}. {name}: {r.value:.3g} {r.comparison} {r.threshold:g}"
              if pd.notna(r.value) else f"{int(r.number):>2}. {name}: n/a"
              for name, r in checks.iterrows()]
    ax.set_yticks(ypos, labels, fontsize=8)
    ax.set_xticks([])
    ax.invert_yaxis()
    ax.set_title(f"DCMA-14: {len(passed)} pass, {len(failed)} fail, {len(na)} n/a", fontsize=10)
    text = (f"{len(passed)} of {len(checks)} checks pass"
            + (f"; failing: {', '.join(failed)}" if failed else "")
            + (f"; not applicable: {', '.join(na)}" if na else ""))
    return View(figures={"checks": fig}, tables={"checks": checks}, text=text,
                values={"passed": passed, "failed": failed, "not_applicable": na})


def build_ui(project, part: str = "levelling"):
    """Return the workbench: ``"levelling"`` (Run button) or ``"health"``."""
    import ipywidgets as widgets

    from tpmkit.resources import RULES

    part = check_option(part, ["levelling", "health"], "resources workbench part")
    status = widgets.HTML()
    headline = widgets.HTML()
    img = image()
    grid = widgets.HTML()
    if part == "health":
        view = run_guarded(status, lambda: health_update(project))
        if view is not None:
            img.value = png(view.figures["checks"])
            headline.value = f"<b>{view.text}</b>"
            grid.value = frame_html(view.tables["checks"][["value", "threshold", "passed",
                                                           "note"]], digits=3)
        box = widgets.VBox([headline, img, grid, status])
        box.add_class("tpmkit-health")
        return tidy(box)
    from tpmkit import resources

    names = list(resources.loading(project).usage.columns)
    who = widgets.Dropdown(options=names, description="resource")
    rule = widgets.Dropdown(options=list(RULES), value="lft", description="priority rule")
    within = widgets.Checkbox(value=False, description="only within float", indent=False)
    search = widgets.Dropdown(options=["none", "sampling", "ga"], value="none",
                              description="search")
    run = widgets.Button(description="Level", button_style="primary", icon="play")

    def go(_=None) -> None:
        run.disabled = True
        try:
            view = run_guarded(status, lambda: levelling_update(
                project, who.value, rule.value, within.value, search.value,
                1 if search.value == "none" else 500))
        finally:
            run.disabled = False
        if view is None:
            return
        img.value = png(view.figures["loading"])
        headline.value = f"<b>{view.text}</b>"
        sched = view.tables["schedule"]
        grid.value = frame_html(sched.loc[sched["delay"] > 0, ["name", "early_start", "start",
                                                               "delay", "delayed_by_resource"]])

    run.on_click(go)
    over = (resources.loading(project).usage > resources.loading(project).capacity + 1e-9).sum()
    who.value = str(over.idxmax())
    go()
    box = widgets.VBox([widgets.HBox([who, rule, search, within, run]), headline, img, grid,
                        status])
    box.add_class("tpmkit-levelling")
    return tidy(box)
