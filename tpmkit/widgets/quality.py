"""Quality and change-control workbenches: add points to a control chart and watch the rules
fire; try a change request on the plan and see its schedule, cost, P80 and EAC deltas.

Every number comes from :mod:`tpmkit.quality` (control charts, Nelson / Western Electric
rules) and :func:`tpmkit.change_control.impact`; the charts are
:func:`tpmkit.plot.control_chart` and :func:`tpmkit.plot.slip_chart`. This module only
wires controls.

References
----------
.. [1] Montgomery, D. C. (2019). *Introduction to Statistical Quality Control*, 8th ed.
.. [2] Nelson, L. S. (1984). The Shewhart control chart — tests for special causes.
   *Journal of Quality Technology* 16(4), 237–239.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, check_option
from tpmkit.widgets._common import View, figure, frame_html, image, png, run_guarded

__all__ = ["CHARTS", "build_impact_ui", "build_ui", "impact_view", "sample_series", "update"]

#: Charts the control-chart workbench offers: individuals (XmR) and c (counts).
CHARTS = ("xmr", "c")


def sample_series() -> pd.Series:
    """Defects found per week in the bundled release (``software_release_defects``), from
    the first week of development to the week before integration testing (2027-02-12 …
    2027-03-12): a stable count process to extend with new points.
    """
    from tpmkit import datasets, quality

    trend = quality.defect_trend(quality.defect_log(datasets.load("software_release_defects")))
    found = trend["found"]
    part = found[(found.index >= "2027-01-08") & (found.index <= "2027-03-12")]
    return pd.Series(part.to_numpy(float), index=[f"{d:%d %b}" for d in part.index],
                     name="defects found")


def update(values: Sequence[float] | pd.Series | None = None, *,
           add: Sequence[float] = (), chart: str = "c", rules: str = "nelson",
           phase_from: int | None = None) -> View:
    """A control chart of ``values`` plus the points in ``add``, with the rules that fired.

    Parameters
    ----------
    values : sequence or Series, optional
        The baseline series (default :func:`sample_series`).
    add : sequence of float
        New points appended after ``values`` (labelled ``new 1``, ``new 2``, …).
    chart : {"c", "xmr"}
        c-chart (counts per constant unit: c̄ ± 3√c̄) or individuals/moving range.
    rules : str
        ``"nelson"``, ``"western_electric"`` or ``"limits"``.
    phase_from : int, optional
        Position of the first point of a new phase (limits recomputed from there on).

    Returns
    -------
    View
        ``figures["control"]``; ``tables["points"]`` (the chart table) and
        ``tables["hits"]``; ``values``: ``out_of_control`` (labels), ``centre``, ``ucl``
        and ``lcl`` of the last point, ``rules_fired``.

    Examples
    --------
    >>> v = update([3, 4, 3, 5, 4, 3, 4, 5, 4, 3], add=[15], chart="c")
    >>> v.values["out_of_control"], v.values["rules_fired"]
    (['new 1'], [1])
    """
    from tpmkit import quality
    from tpmkit.plot import control_chart

    chart = check_option(chart, CHARTS, "chart")
    base = sample_series() if values is None else (
        values if isinstance(values, pd.Series) else pd.Series(
            list(values), index=[str(k + 1) for k in range(len(values))]))
    new = pd.Series([float(x) for x in add], index=[f"new {k + 1}" for k in range(len(add))],
                    dtype=float)
    series = pd.concat([base.astype(float), new]) if len(new) else base.astype(float)
    phase = None
    if phase_from is not None:
        if not 2 <= int(phase_from) <= len(series) - 2:
            raise ValidationError(f"phase_from {phase_from} must leave at least two points on "
                                  f"each side (2 … {len(series) - 2})")
        phase = ["before"] * int(phase_from) + ["after"] * (len(series) - int(phase_from))
    ch = quality.c_chart(series, phase=phase, rules=rules) if chart == "c" else \
        quality.xmr(series, phase=phase, rules=rules)
    fig = figure(7.0, 3.6)
    control_chart(ch, ax=fig.add_subplot())
    last = ch.table.iloc[-1]
    values_out = {"out_of_control": [str(x) for x in ch.out_of_control],
                  "centre": float(last["centre"]), "ucl": float(last["ucl"]),
                  "lcl": float(last["lcl"]), "rules_fired": sorted(set(ch.hits["rule"]))}
    flagged = ", ".join(values_out["out_of_control"]) or "none"
    text = (f"{len(series)} points; centre {values_out['centre']:.2f}, limits "
            f"{values_out['lcl']:.2f} … {values_out['ucl']:.2f}; out of control: {flagged}")
    return View(figures={"control": fig}, tables={"points": ch.table, "hits": ch.hits},
                text=text, values=values_out)


def build_ui(values: Sequence[float] | pd.Series | None = None):
    """Return the control-chart workbench: type a value, *Add point*, watch the rules fire.

    Controls: chart type, rule set, the new value, *Add point*, *Undo* and *Reset*; the
    chart and the table of rule hits redraw after each click.
    """
    import ipywidgets as widgets

    added: list[float] = []
    status, headline, hits = widgets.HTML(), widgets.HTML(), widgets.HTML()
    img = image()
    kind = widgets.Dropdown(options=list(CHARTS), value="c", description="chart")
    rules = widgets.Dropdown(options=["nelson", "western_electric", "limits"], value="nelson",
                             description="rules")
    value = widgets.FloatText(value=12.0, description="new value")
    add = widgets.Button(description="Add point", button_style="primary", icon="plus")
    undo = widgets.Button(description="Undo", icon="undo")
    reset = widgets.Button(description="Reset", icon="refresh")

    def refresh(_=None) -> None:
        view = run_guarded(status, lambda: update(values, add=added, chart=kind.value,
                                                  rules=rules.value))
        if view is None:
            return
        img.value = png(view.figures["control"])
        headline.value = f"<b>{view.text}</b>"
        hits.value = frame_html(view.tables["hits"]) if len(view.tables["hits"]) else \
            "<p>No rule fired.</p>"

    def on_add(_=None) -> None:
        added.append(float(value.value))
        refresh()

    def on_undo(_=None) -> None:
        if added:
            added.pop()
        refresh()

    def on_reset(_=None) -> None:
        added.clear()
        refresh()

    add.on_click(on_add)
    undo.on_click(on_undo)
    reset.on_click(on_reset)
    for c in (kind, rules):
        c.observe(refresh, names="value")
    refresh()
    box = widgets.HBox([widgets.VBox([kind, rules, value, add, undo, reset]),
                        widgets.VBox([headline, img, hits, status])])
    box.add_class("tpmkit-control-chart")
    return box


def impact_view(project: Any = None, *, task: str = "DV7", duration: float = 0.0,
                cost: float = 0.0, iterations: int = 1000, seed: int = 2027) -> View:
    """What-if of one change: ``duration`` working days and ``cost`` added to ``task``.

    Parameters
    ----------
    project : Project, optional
        The plan (default the bundled ``software_release``).
    task : str
        The task the change touches.
    duration : float
        Working days added (negative: saved).
    cost : float
        Fixed cost added [currency].
    iterations, seed : int
        Monte Carlo settings (the same seed for both plans).

    Returns
    -------
    View
        ``tables["impact"]`` (:attr:`tpmkit.change_control.ChangeImpact.table`),
        ``tables["tasks"]`` (tasks that moved), ``figures["slip"]`` when any task moved,
        ``values`` (the deltas).

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [2, 3],
    ...                               "predecessors": ["", "A"]}), start="2027-01-04")
    >>> impact_view(p, task="A", duration=1, iterations=50).values["duration"]
    1.0
    """
    from tpmkit import change_control, datasets
    from tpmkit.plot import slip_chart

    project = datasets.load("software_release") if project is None else project
    effects = []
    if float(duration):
        effects.append({"change": "what-if", "action": "duration", "task": task,
                        "duration": float(duration)})
    if float(cost):
        effects.append({"change": "what-if", "action": "cost", "task": task, "cost": float(cost)})
    if not effects:
        effects.append({"change": "what-if", "action": "scope", "scope": 0.0})
    r = change_control.impact(project, effects, iterations=int(iterations), rng=int(seed))
    moved = r.tasks[r.tasks["status"] != "unchanged"]
    figures = {}
    if len(moved):
        comp = pd.DataFrame({"start_a": np.nan, "finish_a": np.nan, "start_b": np.nan,
                             "finish_b": np.nan, "finish_slip": moved["finish_delta"],
                             "status": moved["status"]}, index=moved.index)
        fig = figure(6.4, max(2.4, 0.25 * len(moved) + 1.2))
        slip_chart(comp, ax=fig.add_subplot(), title="Finish moves [working days]")
        figures["slip"] = fig
    values = {m: float(r.table.at[m, "delta"]) for m in r.table.index}
    text = (f"{task}: {duration:+g} d, {cost:+,.0f} → duration {values['duration']:+g} d, "
            f"P80 {values['p80_duration']:+.1f} d, cost {values['cost']:+,.0f}, EAC "
            f"{values['eac']:+,.0f}")
    return View(figures=figures, tables={"impact": r.table, "tasks": moved}, text=text,
                values=values)


def build_impact_ui(project: Any = None, iterations: int = 1000, seed: int = 2027):
    """Return the change-impact what-if: task, duration and cost deltas, and a Run button."""
    import ipywidgets as widgets

    from tpmkit import datasets

    project = datasets.load("software_release") if project is None else project
    status, headline, table = widgets.HTML(), widgets.HTML(), widgets.HTML()
    img = image()
    task = widgets.Dropdown(options=list(project.tasks.index), value=project.tasks.index[0],
                            description="task")
    dur = widgets.FloatSlider(value=0, min=-5, max=15, step=1, description="Δ duration",
                              continuous_update=False)
    cost = widgets.FloatText(value=0, description="Δ cost")
    run = widgets.Button(description="Run", button_style="primary", icon="play")

    def refresh(_=None) -> None:
        view = run_guarded(status, lambda: impact_view(project, task=task.value,
                                                       duration=dur.value, cost=cost.value,
                                                       iterations=iterations, seed=seed))
        if view is None:
            return
        headline.value = f"<b>{view.text}</b>"
        table.value = frame_html(view.tables["impact"])
        img.value = png(view.figures["slip"]) if "slip" in view.figures else b""

    run.on_click(refresh)
    refresh()
    box = widgets.HBox([widgets.VBox([task, dur, cost, run]),
                        widgets.VBox([headline, table, img, status])])
    box.add_class("tpmkit-change-impact")
    return box
