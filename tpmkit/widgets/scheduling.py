"""Scheduling workbench: CPM step by step, what-if durations and lags, PERT probability.

The stepper walks the forward pass in topological order, then the backward pass in reverse
order, one task per step. The values it reveals are those of :func:`tpmkit.cpm.schedule`;
the explanation of each step spells out the precedence-diagramming rule of the contract
(each link's candidate value) so a learner can follow how the engine got there.

References
----------
.. [1] PMI, *A Guide to the Project Management Body of Knowledge*, 6th ed., §6.5.2.2
   (critical path method).
.. [2] J. Moder, C. Phillips and E. Davis, *Project Management with CPM, PERT and
   Precedence Diagramming*, 3rd ed., ch. 4 (PDM forward and backward pass rules).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tpmkit.cpm import cpm_steps
from tpmkit.cpm import format_number as _fmt
from tpmkit.errors import ValidationError, format_ids
from tpmkit.widgets._common import View, figure, frame_html, image, png, run_guarded, tidy

if TYPE_CHECKING:
    from tpmkit.cpm import ScheduleResult

__all__ = [
    "build_ui",
    "cpm_steps",
    "network_layout",
    "pert_update",
    "stepper_update",
    "whatif_project",
    "whatif_update",
]

_TYPES = np.array(["FS", "SS", "FF", "SF"])
_STEP_COLUMNS = ["early_start", "early_finish", "late_start", "late_finish", "total_float"]
_SHORT = {"duration": "d", "early_start": "ES", "early_finish": "EF", "late_start": "LS",
          "late_finish": "LF", "total_float": "TF"}


def _schedule(project) -> ScheduleResult:
    from tpmkit.cpm import schedule

    return schedule(project)


def network_layout(project) -> pd.DataFrame:
    """Return activity-on-node drawing positions: column = longest chain of links from a start.

    Parameters
    ----------
    project : tpmkit.Project

    Returns
    -------
    pandas.DataFrame
        Indexed by task id, columns ``x`` (column, 0 for tasks without predecessors) and
        ``y`` (row within the column, input order).

    Examples
    --------
    >>> import pandas as pd, tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C", "D"], "duration": [1, 1, 1, 1],
    ...                               "predecessors": ["", "A", "A", "B; C"]}))
    >>> network_layout(p)
       x  y
    A  0  0
    B  1  0
    C  1  1
    D  2  0
    """
    from tpmkit.plot.network import layers

    net = project.network()
    level = layers(pd.Index(list(net.ids)), project.links)
    # Row within a column: rank of the task among those of its column, in input order.
    y = pd.Series(level).groupby(level).cumcount().to_numpy()
    return pd.DataFrame({"x": level, "y": y}, index=pd.Index(list(net.ids), name=None))


def _draw_network(ax, project, layout: pd.DataFrame, known: pd.DataFrame,
                  current: str | None, driver: str | None, critical: set[str]) -> None:
    from matplotlib.patches import FancyArrowPatch, Rectangle

    net = project.network()
    ids = [str(i) for i in net.ids]
    pos = {i: (float(layout.loc[i, "x"]) * 2.4, -float(layout.loc[i, "y"]) * 1.5) for i in ids}
    w, h = 1.6, 0.9
    for a, b, t, lag, frm, to in zip(net.link_from, net.link_to, net.link_type, net.lag,
                                     net.link_from, net.link_to):
        (x0, y0), (x1, y1) = pos[ids[a]], pos[ids[b]]
        crit = ids[frm] in critical and ids[to] in critical
        ax.add_patch(FancyArrowPatch((x0 + w / 2, y0), (x1 - w / 2, y1), arrowstyle="-|>",
                                     mutation_scale=10, lw=2 if crit else 1,
                                     color="#c0392b" if crit else "#777"))
        if t != 0 or lag != 0:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12,
                    f"{_TYPES[t]}{'+' if lag >= 0 else ''}{_fmt(lag)}" if lag else _TYPES[t],
                    fontsize=7, ha="center", color="#555")
    for i in ids:
        x, y = pos[i]
        row = known.loc[i]
        computed = row.drop("duration").notna().any()
        face = "#ffd166" if i == current else ("#cfe8ff" if computed else "white")
        if i == driver:
            face = "#ffe8b0"
        edge = "#c0392b" if i in critical else "#333"
        ax.add_patch(Rectangle((x - w / 2, y - h / 2), w, h, facecolor=face, edgecolor=edge,
                               lw=2 if i in critical or i == current else 1))
        ax.plot([x - w / 2, x + w / 2], [y + h / 6, y + h / 6], color="#999", lw=0.5)
        ax.plot([x - w / 2, x + w / 2], [y - h / 6, y - h / 6], color="#999", lw=0.5)

        def v(col: str, r=row) -> str:
            return "·" if pd.isna(r[col]) else _fmt(float(r[col]))

        ax.text(x, y, f"{i}  (d={_fmt(float(row['duration']))})", ha="center", va="center",
                fontsize=8, fontweight="bold")
        ax.text(x - w / 2 + 0.08, y + h / 3, v("early_start"), ha="left", va="center", fontsize=8)
        ax.text(x + w / 2 - 0.08, y + h / 3, v("early_finish"), ha="right", va="center",
                fontsize=8)
        ax.text(x - w / 2 + 0.08, y - h / 3, v("late_start"), ha="left", va="center", fontsize=8)
        ax.text(x + w / 2 - 0.08, y - h / 3, v("late_finish"), ha="right", va="center",
                fontsize=8)
        ax.text(x, y - h / 3, f"TF {v('total_float')}", ha="center", va="center", fontsize=7,
                color="#555")
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 1.2, max(xs) + 1.2)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 0.9)
    ax.set_aspect("equal")
    ax.axis("off")


def stepper_update(project, step: int, steps: pd.DataFrame | None = None,
                   result: ScheduleResult | None = None) -> View:
    """Show the CPM passes after ``step`` steps (0 = nothing computed yet).

    Parameters
    ----------
    project : tpmkit.Project
    step : int
        Number of steps taken, 0 … ``2 n``: the first ``n`` fill ES/EF task by task in
        topological order, the next ``n`` fill LS/LF in reverse order; total float and
        the critical path appear at the last step.
    steps : pandas.DataFrame, optional
        Precomputed :func:`cpm_steps` (for speed).
    result : ScheduleResult, optional
        Precomputed :func:`tpmkit.schedule` result (for speed).

    Returns
    -------
    View
        ``figures["network"]`` (activity-on-node diagram, current node amber, its driving
        neighbour light amber, critical path red when complete), ``tables["passes"]``
        (``duration`` and the five step columns, NaN where not computed yet), ``text``
        (the rule applied at this step) and ``values`` (``step``, ``phase``, ``task``,
        ``complete``).

    Examples
    --------
    >>> import pandas as pd, tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [3, 2],
    ...                               "predecessors": ["", "A"]}))
    >>> view = stepper_update(p, 2)
    >>> view.tables["passes"][["early_start", "early_finish", "late_start"]].values.tolist()
    [[0.0, 3.0, nan], [3.0, 5.0, nan]]
    >>> view.text
    'ES(B) = max(0, EF(A) = 3) = 3; EF = ES + d = 3 + 2 = 5'
    """
    result = _schedule(project) if result is None else result
    table = result.table
    steps = cpm_steps(project, result) if steps is None else steps
    total = len(steps)
    if not 0 <= int(step) <= total:
        raise ValidationError(
            f"step {step} is outside the CPM passes of this project; choose 0 … {total}")
    step = int(step)
    known = pd.DataFrame(np.nan, index=table.index, columns=_STEP_COLUMNS)
    known.insert(0, "duration", table["duration"].to_numpy(float))
    done = steps.iloc[:step]
    fwd = done[done["phase"] == "forward"]
    bwd = done[done["phase"] == "backward"]
    known.loc[fwd["task"].to_numpy(), "early_start"] = fwd["value_start"].to_numpy()
    known.loc[fwd["task"].to_numpy(), "early_finish"] = fwd["value_finish"].to_numpy()
    known.loc[bwd["task"].to_numpy(), "late_start"] = bwd["value_start"].to_numpy()
    known.loc[bwd["task"].to_numpy(), "late_finish"] = bwd["value_finish"].to_numpy()
    complete = step == total
    critical: set[str] = set()
    if complete:
        known["total_float"] = table["total_float"].to_numpy(float)
        critical = {str(i) for i in table.index[table["critical"].to_numpy(bool)]}
    current = driver = None
    if step == 0:
        text = ("Forward pass: each task starts at the latest of the values its incoming links "
                "allow (0 without predecessors). Press Next.")
        phase = ""
    else:
        last = steps.iloc[step - 1]
        current, driver, phase = str(last["task"]), str(last["driver"]) or None, last["phase"]
        text = str(last["explanation"])
        if complete:
            path = " → ".join(result.critical_path)
            text += (f". Done: total float = LS − ES; the critical path (zero float) is {path}, "
                     f"project duration {_fmt(result.duration)} "
                     "working days.")
    layout = network_layout(project)
    fig = figure(min(2.0 + 1.6 * (int(layout["x"].max()) + 1), 14.0),
                 min(1.2 + 1.0 * (int(layout["y"].max()) + 1), 10.0))
    ax = fig.add_subplot()
    _draw_network(ax, project, layout, known, current, driver, critical)
    ax.set_title(f"step {step} of {total}" + (f" — {phase} pass" if phase else ""), fontsize=9)
    return View(figures={"network": fig}, tables={"passes": known}, text=text,
                values={"step": step, "phase": phase, "task": current, "complete": complete})


def whatif_project(project, durations: dict[str, float] | None = None,
                   lags: dict[int, float] | None = None):
    """Return a copy of ``project`` with some durations and link lags changed.

    Parameters
    ----------
    project : tpmkit.Project
    durations : dict of str to float, optional
        New durations [working days] by task id.
    lags : dict of int to float, optional
        New lags [working days] by row number of ``project.links`` (percent lags are
        replaced by the given absolute lag).

    Returns
    -------
    tpmkit.Project
        Re-validated through :meth:`tpmkit.Project.with_durations` / ``with_links``; the
        original is unchanged.

    Examples
    --------
    >>> import pandas as pd, tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "duration": [3, 2],
    ...                               "predecessors": ["", "A"]}))
    >>> q = whatif_project(p, durations={"A": 5}, lags={0: 1})
    >>> tpmkit.schedule(q).duration
    8.0
    """
    durations = dict(durations or {})
    lags = dict(lags or {})
    tasks = project.tasks
    unknown = [k for k in durations if k not in tasks.index]
    if unknown:
        raise ValidationError(
            f"what-if durations name unknown tasks: {format_ids(unknown)}; use ids from "
            "project.tasks.index")
    bad_links = [k for k in lags if not 0 <= int(k) < len(project.links)]
    if bad_links:
        raise ValidationError(
            f"what-if lags name unknown link rows: {format_ids(bad_links)}; use row numbers "
            f"0 … {len(project.links) - 1} of project.links")
    new = project
    if durations:
        new = new.with_durations({k: float(v) for k, v in durations.items()})
    if lags:
        # the link table keeps lags exactly (no text round trip)
        links = project.links
        rows = [int(k) for k in lags]
        links.loc[links.index[rows], "lag"] = [float(v) for v in lags.values()]
        links.loc[links.index[rows], "lag_percent"] = 0.0
        new = new.with_links(links.drop(columns=["text"]))
    return new



def whatif_update(project, durations: dict[str, float] | None = None,
                  lags: dict[int, float] | None = None) -> View:
    """Reschedule with changed durations and lags; compare with the original plan.

    Returns
    -------
    View
        ``tables["schedule"]`` (the new CPM table), ``tables["change"]`` (early finish and
        total float before/after [working days]), ``figures["gantt"]`` (bars, critical red,
        the original finish dashed), ``values`` (``duration_before``, ``duration_after``,
        ``critical_path``) and a one-line ``text``.

    Examples
    --------
    >>> import pandas as pd, tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "duration": [3, 2, 4],
    ...                               "predecessors": ["", "A", "A"]}))
    >>> whatif_update(p, durations={"B": 6}).values["duration_after"]
    9.0
    """
    first = _schedule(project)
    changed = whatif_project(project, durations, lags)
    result = _schedule(changed)
    before, after = first.table, result.table
    d0, d1 = first.duration, result.duration
    change = pd.DataFrame({
        "duration_before": before["duration"], "duration_after": after["duration"],
        "early_finish_before": before["early_finish"], "early_finish_after": after["early_finish"],
        "total_float_before": before["total_float"], "total_float_after": after["total_float"],
    })
    from tpmkit.plot import gantt

    fig = figure(9.0, 1.2 + 0.28 * len(after))
    ax = fig.add_subplot()
    gantt(result, changed, time="offsets", title=None, ax=ax)
    ax.axvline(d0, ls="--", color="#333", lw=1)
    ax.set_xlabel("working days from project start (dashed: finish before the change)")
    path = list(result.critical_path)
    text = (f"Project duration {_fmt(d0)} → {_fmt(d1)} working days "
            f"({'+' if d1 >= d0 else '−'}{_fmt(abs(d1 - d0))}); critical path "
            f"{' → '.join(path)}.")
    return View(figures={"gantt": fig}, tables={"schedule": after, "change": change}, text=text,
                values={"duration_before": d0, "duration_after": d1, "critical_path": path})


def pert_update(project, target: float) -> View:
    """PERT probability of finishing within ``target`` working days, with the normal curve.

    Parameters
    ----------
    project : tpmkit.Project
        With three-point estimates.
    target : float
        Target finish [working days from the project start].

    Returns
    -------
    View
        ``values`` holds ``probability``, ``mean`` and ``std`` of the project duration
        [working days]; ``figures["pert"]`` the normal density with the area shaded.

    References
    ----------
    .. [1] D. G. Malcolm et al., "Application of a technique for research and development
       program evaluation", *Operations Research* 7(5), 1959.
    """
    from scipy import stats

    from tpmkit import pert

    result = pert.analyze(project, target=float(target))
    mean, std = float(result.expected_duration), float(result.std)
    prob = float(result.probability)
    fig = figure(6.0, 3.0)
    ax = fig.add_subplot()
    span = max(std, 1e-9) * 4
    x = np.linspace(mean - span, mean + span, 400)
    y = stats.norm.pdf(x, mean, max(std, 1e-9))
    ax.plot(x, y, color="#333")
    ax.fill_between(x, y, where=x <= target, color="#4a90d9", alpha=0.5)
    ax.axvline(target, color="#c0392b", lw=1)
    ax.set_xlabel("project duration [working days]")
    ax.set_yticks([])
    ax.set_title(f"P(finish ≤ {_fmt(target)}) = {prob:.1%}", fontsize=10)
    text = (f"Mean {mean:.2f}, standard deviation {std:.2f} working days along the critical "
            f"path; P(finish ≤ {_fmt(target)}) = {prob:.1%}.")
    return View(figures={"pert": fig}, values={"probability": prob, "mean": mean, "std": std},
                text=text)


def build_ui(project, part: str = "stepper"):
    """Return the ipywidgets workbench for one part: ``"stepper"``, ``"whatif"`` or ``"pert"``.

    The stepper has Previous/Next buttons and a slider; what-if has one slider per task
    duration and per link lag (applied on release); PERT has a target-date slider.
    """
    import ipywidgets as widgets

    from tpmkit.errors import check_option

    part = check_option(part, ["stepper", "whatif", "pert"], "scheduling workbench part")
    status = widgets.HTML()
    if part == "stepper":
        result = _schedule(project)
        steps = cpm_steps(project, result)
        total = len(steps)
        slider = widgets.IntSlider(value=0, min=0, max=total, description="step",
                                   continuous_update=False)
        prev = widgets.Button(description="◀ Previous", tooltip="undo one step")
        nxt = widgets.Button(description="Next ▶", tooltip="compute one more task",
                             button_style="primary")
        img = image()
        text = widgets.HTML()
        grid = widgets.HTML()

        def show(change=None) -> None:
            view = stepper_update(project, slider.value, steps, result)
            img.value = png(view.figures["network"])
            text.value = f"<b>{view.text}</b>"
            grid.value = frame_html(view.tables["passes"].rename(columns=_SHORT),
                                    highlight=[view.values["task"]])
            prev.disabled = slider.value == 0
            nxt.disabled = slider.value == total

        def go(delta: int) -> None:
            slider.value = min(max(slider.value + delta, 0), total)

        prev.on_click(lambda _: go(-1))
        nxt.on_click(lambda _: go(+1))
        slider.observe(show, names="value")
        show()
        box = widgets.VBox([widgets.HBox([prev, nxt, slider]), text, img, grid, status])
        box.add_class("tpmkit-stepper")
        return tidy(box)
    if part == "whatif":
        table = _schedule(project).table
        dur = {i: widgets.FloatSlider(value=float(table.loc[i, "duration"]), min=0.0,
                                      max=max(2 * float(table.loc[i, "duration"]), 5.0), step=0.5,
                                      description=str(i), continuous_update=False)
               for i in table.index}
        links = project.links
        lag = {k: widgets.FloatSlider(
            value=float(links.iloc[k]["lag"] + links.iloc[k]["lag_percent"]
                        * float(table.loc[links.iloc[k]["predecessor"], "duration"])),
            min=-10.0, max=10.0, step=0.5, continuous_update=False,
            description=f"{links.iloc[k]['predecessor']}→{links.iloc[k]['successor']}")
            for k in range(len(links))}
        img = image()
        headline = widgets.HTML()
        grid = widgets.HTML()

        def show(change=None) -> None:
            def act():
                return whatif_update(project, {i: s.value for i, s in dur.items()},
                                     {k: s.value for k, s in lag.items()})

            view = run_guarded(status, act)
            if view is None:
                return
            img.value = png(view.figures["gantt"])
            headline.value = f"<b>{view.text}</b>"
            grid.value = frame_html(view.tables["change"])

        for s in [*dur.values(), *lag.values()]:
            s.observe(show, names="value")
        show()
        controls = widgets.VBox([widgets.HTML("<b>durations [working days]</b>"),
                                 *dur.values(), widgets.HTML("<b>lags [working days]</b>"),
                                 *lag.values()])
        box = widgets.HBox([controls, widgets.VBox([headline, img, grid, status])])
        box.add_class("tpmkit-whatif")
        return tidy(box)
    from tpmkit import pert

    result = pert.analyze(project)
    mean, std = float(result.expected_duration), float(result.std)
    target = widgets.FloatSlider(value=round(mean), min=max(0.0, round(mean - 4 * std)),
                                 max=round(mean + 4 * std) + 1, step=0.5,
                                 description="target", continuous_update=False)
    img = image()
    headline = widgets.HTML()

    def show_pert(change=None) -> None:
        view = pert_update(project, target.value)
        img.value = png(view.figures["pert"])
        headline.value = f"<b>{view.text}</b>"

    target.observe(show_pert, names="value")
    show_pert()
    box = widgets.VBox([target, headline, img, status])
    box.add_class("tpmkit-pert")
    return tidy(box)
