"""Risk workbench: Monte Carlo schedule risk on a Run button, and the merge-bias demonstration.

:func:`simulate_update` runs :func:`tpmkit.risk.simulate` with the workbench settings
(iterations, distribution, one rank correlation for all uncertain tasks, which risks are
switched on, with or without their responses) and draws the histogram, S-curve, tornado and
criticality charts of :mod:`tpmkit.plot`. :func:`merge_bias_update` simulates one path and
``k`` identical parallel paths to show why the chance of meeting the deterministic date drops
as paths merge.

References
----------
.. [1] AACE International, *Recommended Practice 57R-09: Integrated Cost and Schedule Risk
   Analysis Using Monte Carlo Simulation of a CPM Model*, 2011.
.. [2] K. R. MacCrimmon and C. A. Ryavec, "An analytical study of the PERT assumptions",
   *Operations Research* 12(1), 1964 (merge-event bias).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, check_option, format_ids
from tpmkit.widgets._common import (
    View,
    Workbench,
    caption_html,
    figure,
    image,
    legend_text,
    png,
    tidy,
)

__all__ = ["DISTRIBUTIONS", "build_ui", "merge_bias_project", "merge_bias_update",
           "simulate_update"]

#: distribution families offered by the workbench (the simulation accepts these for tasks
#: whose ``distribution`` column is blank)
DISTRIBUTIONS = ("pert", "triangular", "uniform", "normal", "lognormal")


def _risk_ids(project) -> list[str]:
    risks = getattr(project, "risks", None)
    if risks is None or len(risks) == 0:
        return []
    ids = risks["id"] if "id" in risks.columns else risks.index
    return [str(i) for i in ids]


def simulate_update(project, iterations: int = 5000, distribution: str = "pert",
                    correlation: float = 0.0, risks: Iterable[str] | None = None,
                    mitigated: bool = False, seed: int = 1, progress=None) -> View:
    """Run the Monte Carlo simulation with the workbench settings.

    Parameters
    ----------
    project : tpmkit.Project
        With three-point estimates (and optionally a risk register).
    iterations : int
        Monte Carlo iterations.
    distribution : {"pert", "triangular", "uniform", "normal", "lognormal"}
        Family for tasks without their own ``distribution``.
    correlation : float
        Rank correlation in [0, 1) applied between every pair of uncertain tasks
        (0 = independent).
    risks : iterable of str, optional
        Ids of the register risks switched on (default all; empty = none).
    mitigated : bool
        Use the post-response figures of the register (mitigation switched on).
    seed : int
        Random seed; the same settings and seed give the same numbers.
    progress : callable, optional
        ``progress(done, total)`` after every chunk of iterations, e.g.
        :func:`tpmkit.widgets.progress.tqdm_progress` (default: none; the workbench's Run
        button says "Running…" instead, as a button callback has no cell output to draw in).

    Returns
    -------
    View
        ``values``: ``p50``, ``p80``, ``mean``, ``deterministic`` [working days] and
        ``deterministic_confidence`` (probability of meeting the CPM date);
        ``tables``: ``percentiles``, ``tornado``, ``criticality``, ``risks``;
        ``figures``: ``histogram``, ``s_curve``, ``tornado``, ``criticality``;
        ``text``: a headline with the P80.

    Examples
    --------
    >>> import pandas as pd, tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "optimistic": [2, 3],
    ...     "most_likely": [3, 4], "pessimistic": [6, 9], "predecessors": ["", "A"]}))
    >>> v = simulate_update(p, iterations=2000, seed=7)
    >>> v.values["p80"] > v.values["p50"] > 0
    True
    """
    from tpmkit import plot
    from tpmkit.risk import simulate

    distribution = check_option(distribution, DISTRIBUTIONS, "distribution")
    if not 0.0 <= float(correlation) < 1.0:
        raise ValidationError(
            f"correlation {correlation} is outside [0, 1); choose a rank correlation such as "
            "0.3 (0 = independent)")
    if int(iterations) < 100:
        raise ValidationError(
            f"iterations {iterations} is too few for percentiles; use at least 100 "
            "(1,000–10,000 is usual)")
    known = _risk_ids(project)
    register = None
    if known:
        chosen = known if risks is None else [str(r) for r in risks]
        unknown = [r for r in chosen if r not in known]
        if unknown:
            raise ValidationError(
                f"unknown risk id(s) {format_ids(unknown)}; choose from {format_ids(known, 50)}")
        reg = project.risks
        ids = reg["id"].astype(str) if "id" in reg.columns else reg.index.astype(str)
        register = reg[ids.isin(chosen).to_numpy()] if chosen else False
    uncertain = project.tasks.index[
        project.tasks[["optimistic", "pessimistic"]].notna().all(axis=1)
        & (project.tasks["pessimistic"] > project.tasks["optimistic"])].astype(str).tolist()
    corr = [(uncertain, float(correlation))] if correlation > 0 and len(uncertain) > 1 else None
    result = simulate(project, int(iterations), rng=int(seed), distribution=distribution,
                      correlation=corr, risks=register if register is not None else None,
                      mitigated=bool(mitigated), progress=progress)
    p50, p80 = (float(x) for x in result.percentile([50, 80]))
    figs = {}
    for name, draw, size in [("histogram", plot.histogram, (6.0, 3.6)),
                             ("s_curve", plot.s_curve, (6.0, 3.6)),
                             ("tornado", plot.tornado, (6.0, 4.0)),
                             ("criticality", plot.criticality, (6.0, 4.0))]:
        fig = figure(*size)
        draw(result, ax=fig.add_subplot())
        figs[name] = fig
    values = {"p50": p50, "p80": p80, "mean": float(result.mean),
              "deterministic": float(result.deterministic_duration),
              "deterministic_confidence": float(result.deterministic_confidence),
              "iterations": int(result.iterations), "seed": int(seed)}
    text = (f"P80 = {p80:.1f} working days (P50 {p50:.1f}, mean {result.mean:.1f}); the CPM "
            f"plan of {result.deterministic_duration:g} working days is met in "
            f"{result.deterministic_confidence:.0%} of {result.iterations:,} iterations.")
    tables = {"percentiles": result.percentiles, "tornado": result.tornado,
              "criticality": result.tasks[["criticality", "significance", "ssi"]],
              "risks": result.risks}
    return View(figures=figs, tables=tables, text=text, values=values)


def merge_bias_project(paths: int, optimistic: float = 8.0, most_likely: float = 10.0,
                       pessimistic: float = 16.0):
    """A project of ``paths`` identical parallel tasks feeding one finish milestone.

    Parameters
    ----------
    paths : int
        Number of parallel paths (1 … 20).
    optimistic, most_likely, pessimistic : float
        Three-point estimate of every path [working days].

    Returns
    -------
    tpmkit.Project

    Examples
    --------
    >>> merge_bias_project(3).tasks.index.tolist()
    ['P1', 'P2', 'P3', 'FINISH']
    """
    from tpmkit.io import read

    if not 1 <= int(paths) <= 20:
        raise ValidationError(f"paths {paths} is outside 1 … 20; choose a number of parallel "
                              "paths such as 5")
    ids = [f"P{i + 1}" for i in range(int(paths))]
    frame = pd.DataFrame({
        "id": [*ids, "FINISH"], "name": [f"path {i + 1}" for i in range(len(ids))] + ["finish"],
        "optimistic": [optimistic] * len(ids) + [0.0],
        "most_likely": [most_likely] * len(ids) + [0.0],
        "pessimistic": [pessimistic] * len(ids) + [0.0],
        # the CPM plan uses the most likely durations (not the PERT mean)
        "duration": [most_likely] * len(ids) + [0.0],
        "predecessors": [""] * len(ids) + ["; ".join(ids)]})
    return read(frame, name=f"{paths} parallel paths")


def merge_bias_update(paths: int = 5, iterations: int = 5000, optimistic: float = 8.0,
                      most_likely: float = 10.0, pessimistic: float = 16.0,
                      seed: int = 1) -> View:
    """Simulate one path and ``paths`` identical parallel paths; compare their finish.

    Returns
    -------
    View
        ``values``: ``deterministic`` (the CPM duration, the same for both),
        ``confidence_one`` / ``confidence_many`` (probability of meeting it), ``mean_one`` /
        ``mean_many`` and ``p80_one`` / ``p80_many`` [working days]; ``figures["s_curves"]``
        (both cumulative distributions with the CPM date); ``text``.

    Notes
    -----
    With independent paths the finish is the maximum of ``k`` durations, so
    P(finish ≤ t) = F(t)ᵏ: five paths that each meet a date with 60 % meet it together
    with 0.6⁵ ≈ 8 %. The simulation shows this without the formula.

    Examples
    --------
    >>> v = merge_bias_update(paths=4, iterations=4000, seed=3)
    >>> v.values["confidence_many"] < v.values["confidence_one"]
    True
    """
    from tpmkit.risk import simulate

    one = simulate(merge_bias_project(1, optimistic, most_likely, pessimistic), int(iterations),
                   rng=int(seed), progress=False, risks=False)
    many = simulate(merge_bias_project(paths, optimistic, most_likely, pessimistic),
                    int(iterations), rng=int(seed), progress=False, risks=False)
    det = float(one.deterministic_duration)
    fig = figure(6.4, 3.6)
    ax = fig.add_subplot()
    for res, label, color in [(one, "1 path", "#0072B2"), (many, f"{paths} parallel paths",
                                                            "#D55E00")]:
        x = np.sort(res.finish)
        ax.plot(x, np.arange(1, len(x) + 1) / len(x), color=color,
                label=f"{label}: P(finish ≤ CPM {det:g} d) = {res.deterministic_confidence:.0%}")
    ax.axvline(det, color="#333", ls="--", lw=1)
    ax.set_xlabel("project finish [working days]")
    ax.set_ylabel("probability of finishing by then")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Merge bias: the same CPM date, less chance to meet it", fontsize=10)
    values = {"deterministic": det,
              "confidence_one": float(one.deterministic_confidence),
              "confidence_many": float(many.deterministic_confidence),
              "mean_one": float(one.mean), "mean_many": float(many.mean),
              "p80_one": float(one.percentile(80)), "p80_many": float(many.percentile(80))}
    text = (f"CPM (most likely durations) says {det:g} working days either way. One path "
            f"meets it in "
            f"{values['confidence_one']:.0%} of runs, {paths} parallel paths only in "
            f"{values['confidence_many']:.0%}; the mean finish moves from "
            f"{values['mean_one']:.1f} to {values['mean_many']:.1f}.")
    return View(figures={"s_curves": fig}, text=text, values=values)


def build_ui(project=None, part: str = "simulate", iterations: int = 5000):
    """Return the ipywidgets workbench: ``"simulate"`` (needs ``project``) or ``"merge_bias"``.

    Nothing is simulated until the Run button is pressed (the first run happens at build).
    One :class:`~tpmkit.widgets._common.Workbench` state holds the last run; the headline,
    every chart and its caption are redrawn from it, and the controls are disabled while it
    runs. The state is the box's ``workbench`` attribute.
    """
    import ipywidgets as widgets

    part = check_option(part, ["simulate", "merge_bias"], "risk workbench part")
    status = widgets.HTML()
    run = widgets.Button(description="Run", button_style="primary", icon="play",
                         tooltip="run the Monte Carlo simulation")
    headline = widgets.HTML()
    wide = widgets.Layout(width="auto", min_width="300px")
    style = {"description_width": "initial"}
    n_iter = widgets.IntSlider(value=int(iterations), min=100, max=max(50_000, int(iterations)),
                               step=100, description="iterations", continuous_update=False,
                               readout=True, style=style, layout=wide)
    seed = widgets.IntText(value=1, description="seed", style=style,
                           layout=widgets.Layout(width="160px"))
    if part == "merge_bias":
        paths = widgets.IntSlider(value=5, min=1, max=20, description="parallel paths",
                                  continuous_update=False, style=style, layout=wide)
        img, cap = image(), widgets.HTML()
        bench = Workbench([paths, n_iter, seed, run], status, busy_text="simulating…")

        def draw_merge(view: View) -> dict[str, str]:
            img.value = png(view.figures["s_curves"])
            cap.value = caption_html(legend_text(view.figures["s_curves"]))
            headline.value = f"<b>{html.escape(view.text)}</b>"
            return {"headline": view.text, "s_curves": legend_text(view.figures["s_curves"])}

        def run_merge(_=None) -> None:
            bench.run(lambda: merge_bias_update(paths.value, n_iter.value, seed=seed.value),
                      draw_merge, stale=lambda: _stale(headline))

        run.on_click(run_merge)
        run_merge()
        box = widgets.VBox([widgets.HBox([paths, n_iter], layout=_wrap()),
                            widgets.HBox([seed, run, bench.indicator], layout=_wrap()),
                            headline, img, cap, status])
        box.add_class("tpmkit-merge-bias")
        box.workbench = bench
        return tidy(box)
    if project is None:
        raise ValidationError("the simulate workbench needs a project; pass "
                              "build_ui(project) (e.g. tpmkit.datasets.load('software_release'))")
    dist = widgets.Dropdown(options=list(DISTRIBUTIONS), value="pert", description="distribution",
                            style=style, layout=widgets.Layout(width="auto"))
    corr = widgets.FloatSlider(value=0.0, min=0.0, max=0.9, step=0.1, description="correlation",
                               continuous_update=False, readout=True, readout_format=".1f",
                               style=style, layout=wide)
    toggles = {r: widgets.Checkbox(value=True, description=r, indent=False,
                                   layout=widgets.Layout(width="auto"))
               for r in _risk_ids(project)}
    mitigate = widgets.Checkbox(value=False, description="apply risk responses (mitigation)",
                                indent=False, layout=widgets.Layout(width="auto"))
    names = ("histogram", "s_curve", "tornado", "criticality")
    images = {k: image() for k in names}
    captions = {k: widgets.HTML() for k in names}
    bench = Workbench([n_iter, dist, corr, seed, run, mitigate, *toggles.values()], status,
                      busy_text="simulating…")

    def draw(view: View) -> dict[str, str]:
        shown = {"headline": view.text}
        for k in names:
            images[k].value = png(view.figures[k])
            shown[k] = legend_text(view.figures[k])
            captions[k].value = caption_html(shown[k])
        headline.value = f"<b>{html.escape(view.text)}</b>"
        return shown

    def run_sim(_=None) -> None:
        run.description = "Running…"
        try:
            bench.run(lambda: simulate_update(
                project, n_iter.value, dist.value, corr.value,
                [r for r, t in toggles.items() if t.value] if toggles else None,
                mitigate.value, seed.value), draw, stale=lambda: _stale(headline))
        finally:
            run.description = "Run"

    run.on_click(run_sim)
    run_sim()
    risk_box = widgets.VBox([widgets.HTML("<b>risks switched on</b>"),
                             widgets.HBox(list(toggles.values()), layout=_wrap()),
                             mitigate]) if toggles else widgets.HTML("<i>no risk register</i>")
    grid = widgets.GridBox([widgets.VBox([images[k], captions[k]]) for k in names],
                           layout=widgets.Layout(
                               grid_template_columns="repeat(auto-fit, minmax(320px, 1fr))"))
    box = widgets.VBox([widgets.HBox([n_iter, dist, corr], layout=_wrap()),
                        widgets.HBox([seed, run, bench.indicator], layout=_wrap()),
                        risk_box, headline, grid, status])
    box.add_class("tpmkit-risk")
    box.workbench = bench
    return tidy(box)


def _wrap():
    """A row of controls that wraps on a narrow notebook instead of clipping labels."""
    import ipywidgets as widgets

    return widgets.Layout(flex_flow="row wrap", align_items="center")


def _stale(headline) -> None:
    headline.value = ("<i>Not updated: fix the input named below, then press Run again "
                      "(the charts show the previous run).</i>")
