"""Estimation workbench: three-point sliders, Delphi rounds, throughput forecast, calibration, COCOMO II.

Every number comes from :mod:`tpmkit.estimate` (and the quantile function of
:mod:`tpmkit.risk.distributions`); this module draws and wires controls. The one model of
its own is :func:`delphi_rounds`, a teaching simulator of estimators who revise towards the
group after each discussion round, whose output :func:`tpmkit.estimate.delphi` summarises.

References
----------
.. [1] B. Boehm, *Software Engineering Economics*, Prentice Hall 1981, ch. 22 (Wideband Delphi).
.. [2] B. Flyvbjerg, "From Nobel prize to project management: getting risks right",
   *Project Management Journal* 37(3), 2006 (reference-class forecasting).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, check_option
from tpmkit.widgets._common import (
    View,
    figure,
    frame_html,
    image,
    numeric_columns,
    png,
    run_guarded,
    tidy,
)

__all__ = [
    "build_ui",
    "calibration_update",
    "cocomo_update",
    "delphi_rounds",
    "delphi_update",
    "three_point_update",
    "throughput_update",
]


def three_point_update(optimistic: float, most_likely: float, pessimistic: float,
                       distribution: str = "pert") -> View:
    """Distribution, mean and percentiles of one three-point estimate.

    Parameters
    ----------
    optimistic, most_likely, pessimistic : float
        The estimate [working days], o ≤ m ≤ p.
    distribution : {"pert", "triangular"}

    Returns
    -------
    View
        ``tables["summary"]`` (:func:`tpmkit.estimate.three_point` row: mean, std,
        percentiles), ``figures["density"]`` (density with P10/P50/P90 and the mean),
        ``values`` (``mean``, ``std``, ``p10``, ``p50``, ``p90``).

    Examples
    --------
    >>> v = three_point_update(4, 6, 14)
    >>> round(v.values["mean"], 4)
    7.0
    """
    from tpmkit.estimate import three_point
    from tpmkit.risk.distributions import quantile

    distribution = check_option(distribution, ["pert", "triangular"], "distribution")
    summary = three_point([optimistic], [most_likely], [pessimistic], distribution=distribution,
                          percentiles=(10, 50, 90))
    row = summary.iloc[0]
    fig = figure(6.0, 3.2)
    ax = fig.add_subplot()
    if pessimistic > optimistic:
        # Density as probability per unit of duration between 80 quantiles: dF/dx of the
        # distribution's own quantile function, coarse enough to stay smooth.
        u = np.linspace(0.0, 1.0, 81)
        x = quantile(distribution, np.clip(u, 0.0, 1 - 1e-9), optimistic, most_likely,
                     pessimistic)
        mid = (x[1:] + x[:-1]) / 2
        density = np.diff(u) / np.maximum(np.diff(x), 1e-12)
        ax.fill_between(mid, density, color="#0072B2", alpha=0.25)
        ax.plot(mid, density, color="#0072B2")
    for q, style in [("p10", ":"), ("p50", "--"), ("p90", ":")]:
        ax.axvline(row[q], color="#333", ls=style, lw=1)
        ax.text(row[q], ax.get_ylim()[1] * 0.02, f" {q.upper()}", fontsize=8, ha="left")
    ax.axvline(row["mean"], color="#D55E00", lw=1.5, label=f"mean {row['mean']:.2f}")
    ax.set_xlabel("duration [working days]")
    ax.set_yticks([])
    ax.legend(fontsize=8)
    ax.set_title(f"{distribution}: o = {optimistic:g}, m = {most_likely:g}, p = {pessimistic:g}",
                 fontsize=10)
    values = {k: float(row[k]) for k in ("mean", "std", "p10", "p50", "p90")}
    text = (f"mean {values['mean']:.2f}, σ {values['std']:.2f}; 80 % of outcomes between "
            f"{values['p10']:.2f} and {values['p90']:.2f} working days")
    return View(figures={"density": fig}, tables={"summary": summary}, text=text, values=values)


def delphi_rounds(true_value: float = 20.0, estimators: int = 6, rounds: int = 4,
                  pull: float = 0.6, spread: float = 0.5, seed: int = 1) -> pd.DataFrame:
    """Simulate Wideband Delphi rounds: each round, estimators move towards the group median.

    A teaching model: round 1 estimates are lognormal around ``true_value`` with
    log-standard deviation ``spread``; after each discussion an estimator keeps
    ``1 − pull`` of their own log-estimate and takes ``pull`` from the group's median, plus
    a smaller fresh noise (``spread·(1 − pull)``). The spread shrinks geometrically, so the
    rounds converge.

    Parameters
    ----------
    true_value : float
        Centre of the first-round opinions [working days].
    estimators, rounds : int
        Panel size (≥ 2) and number of rounds (≥ 1).
    pull : float
        Weight of the group median in each revision, 0 … 1.
    spread : float
        Log-standard deviation of the first-round opinions.
    seed : int

    Returns
    -------
    pandas.DataFrame
        Long form ``item, round, estimator, estimate`` for :func:`tpmkit.estimate.delphi`.

    Examples
    --------
    >>> rounds = delphi_rounds(estimators=4, rounds=2, seed=3)
    >>> rounds.shape, sorted(rounds["round"].unique().tolist())
    ((8, 4), [1, 2])
    """
    if estimators < 2 or rounds < 1 or not 0.0 <= pull <= 1.0 or spread < 0 or true_value <= 0:
        raise ValidationError(
            f"Delphi settings out of range (estimators={estimators}, rounds={rounds}, "
            f"pull={pull}, spread={spread}, true_value={true_value}); use estimators ≥ 2, "
            "rounds ≥ 1, 0 ≤ pull ≤ 1, spread ≥ 0 and a positive true value")
    rng = np.random.default_rng(seed)
    log = np.log(true_value) + rng.normal(0.0, spread, size=estimators)
    frames = []
    for r in range(1, rounds + 1):
        frames.append(pd.DataFrame({"item": "task", "round": r,
                                    "estimator": [f"E{i + 1}" for i in range(estimators)],
                                    "estimate": np.round(np.exp(log), 1)}))
        log = ((1 - pull) * log + pull * np.median(log)
               + rng.normal(0.0, spread * (1 - pull), size=estimators))
    return pd.concat(frames, ignore_index=True)


def delphi_update(data: pd.DataFrame | None = None, *, item: str | None = None,
                  cv_threshold: float = 0.15, **simulate) -> View:
    """Summarise Delphi rounds (given, or simulated with :func:`delphi_rounds`).

    Parameters
    ----------
    data : DataFrame, optional
        Rounds in long form ``item, round, estimator, estimate``; simulated when None.
    item : str, optional
        Which item to show (default the first).
    cv_threshold : float
        Coefficient of variation at which a round counts as converged.
    **simulate
        Settings of :func:`delphi_rounds` when ``data`` is None.

    Returns
    -------
    View
        ``tables["rounds"]`` (per-round statistics of :func:`tpmkit.estimate.delphi`),
        ``tables["consensus"]``, ``figures["rounds"]`` (every estimate per round, median,
        threshold band) and ``values`` (``converged_round``: the first converged round or
        None; ``cv``: per-round coefficients of variation).

    Examples
    --------
    >>> v = delphi_update(estimators=6, rounds=5, seed=2)
    >>> v.values["cv"][-1] < v.values["cv"][0]
    True
    """
    from tpmkit.estimate import delphi

    data = delphi_rounds(**simulate) if data is None else numeric_columns(data)
    result = delphi(data, cv_threshold=cv_threshold)
    items = result.rounds.index.get_level_values("item").unique()
    item = str(items[0]) if item is None else str(item)
    if item not in items:
        raise ValidationError(f"item {item!r} is not in the rounds; choose one of "
                              f"{', '.join(map(str, items[:10]))}")
    rounds = result.rounds.xs(item, level="item")
    est = result.estimates[result.estimates["item"].astype(str) == item]
    fig = figure(6.0, 3.4)
    ax = fig.add_subplot()
    jitter = np.linspace(-0.12, 0.12, max(est["estimator"].nunique(), 1))
    codes = pd.factorize(est["estimator"])[0]
    ax.scatter(est["round"].to_numpy(float) + jitter[codes], est["days"], color="#0072B2",
               alpha=0.7, label="estimates")
    ax.plot(rounds.index, rounds["median"], color="#D55E00", marker="o", label="median")
    ax.set_xlabel("round")
    ax.set_ylabel("estimate [working days]")
    ax.set_xticks(rounds.index)
    ax.legend(fontsize=8)
    converged = rounds.index[rounds["converged"].to_numpy(bool)]
    first = int(converged[0]) if len(converged) else None
    ax.set_title(f"{item}: " + (f"converged in round {first} (cv ≤ {cv_threshold:g})" if first
                                else f"not converged yet (cv > {cv_threshold:g})"), fontsize=10)
    cv = rounds["cv"].to_numpy(float).tolist()
    text = ("coefficient of variation per round: " + ", ".join(f"{c:.2f}" for c in cv)
            + (f"; consensus reached in round {first}" if first else "; no consensus yet"))
    return View(figures={"rounds": fig}, tables={"rounds": rounds,
                                                 "consensus": result.consensus},
                text=text, values={"converged_round": first, "cv": cv})


def throughput_update(history, remaining: float = 40, trials: int = 10_000,
                      seed: int = 1) -> View:
    """"When will ``remaining`` items be done?" from past throughput (Monte Carlo bootstrap).

    Parameters
    ----------
    history : Series, DataFrame or array-like
        Items finished per period (see :func:`tpmkit.estimate.throughput_history`).
    remaining : float
        Backlog [items].
    trials : int
    seed : int

    Returns
    -------
    View
        ``tables["forecast"]`` (P50/P85/P95 periods needed and dates when known),
        ``figures["forecast"]`` (histogram of periods needed with the percentiles),
        ``values`` (``p50``, ``p85``, ``p95`` [periods]).

    Examples
    --------
    >>> v = throughput_update([3, 5, 4, 6, 2, 5], remaining=20, trials=2000, seed=1)
    >>> v.values["p50"] <= v.values["p85"] <= v.values["p95"]
    True
    """
    from tpmkit.estimate import throughput_forecast

    fc = throughput_forecast(history, remaining=float(remaining), trials=int(trials),
                             confidence=(50, 85, 95), rng=int(seed))
    table = fc.table
    samples = np.asarray(fc.periods_samples)
    fig = figure(6.0, 3.2)
    ax = fig.add_subplot()
    bins = np.arange(samples.min(), samples.max() + 2) - 0.5
    ax.hist(samples, bins=bins, color="#0072B2", alpha=0.7)
    for label in table.index:
        ax.axvline(table.loc[label, "periods_needed"], color="#D55E00", ls="--", lw=1)
        ax.text(table.loc[label, "periods_needed"], ax.get_ylim()[1] * 0.92, label, fontsize=8)
    ax.set_xlabel("periods needed")
    ax.set_ylabel("trials")
    ax.set_title(f"When will {remaining:g} items be done? ({trials:,} trials)", fontsize=10)
    values = {k.lower(): float(table.loc[k, "periods_needed"]) for k in table.index}
    text = (f"{remaining:g} items: P50 {values['p50']:g}, P85 {values['p85']:g}, "
            f"P95 {values['p95']:g} periods")
    return View(figures={"forecast": fig}, tables={"forecast": table}, text=text, values=values)


def calibration_update(data: pd.DataFrame, by: str | None = None, p: float = 80) -> View:
    """Calibrate estimates against actuals: ratio distribution and the uplift at ``p``.

    Returns
    -------
    View
        ``tables["calibration"]`` (:func:`tpmkit.estimate.calibrate` table),
        ``figures["ratios"]`` (actual vs estimate with the 1:1 line), ``values``
        (``bias``, ``uplift``: the uplift at percentile ``p`` for all data).

    Examples
    --------
    >>> df = pd.DataFrame({"estimate": [10, 5, 8, 4], "actual": [12, 6, 8, 6]})
    >>> round(calibration_update(df).values["bias"], 4)
    0.2
    """
    from tpmkit.estimate import calibrate

    cal = calibrate(numeric_columns(data), by=by)   # a table read as text plots as numbers
    fig = figure(5.0, 3.6)
    ax = fig.add_subplot()
    ax.scatter(cal.data["estimate"], cal.data["actual"], color="#0072B2", alpha=0.8)
    top = float(max(cal.data["estimate"].max(), cal.data["actual"].max())) * 1.05
    ax.plot([0, top], [0, top], color="#333", lw=1, label="actual = estimate")
    uplift = float(cal.uplift(p))
    ax.plot([0, top], [0, top * (1 + uplift)], color="#D55E00", ls="--",
            label=f"P{p:g} uplift +{uplift:.0%}")
    ax.set_xlabel("estimate")
    ax.set_ylabel("actual")
    ax.legend(fontsize=8)
    bias = float(cal.table.loc["all", "bias"]) if "all" in cal.table.index else float(
        cal.table["bias"].iloc[0])
    text = (f"median overrun {bias:+.0%}; to be {p:g} % sure, add {uplift:.0%} to an estimate")
    return View(figures={"ratios": fig}, tables={"calibration": cal.table}, text=text,
                values={"bias": bias, "uplift": uplift})


def cocomo_update(ksloc: float = 50.0, scale_factors: dict[str, str] | None = None,
                  effort_multipliers: dict[str, str] | None = None) -> View:
    """COCOMO II.2000 effort, schedule and staff for a size and ratings.

    Returns
    -------
    View
        ``values`` (``effort_pm`` [person-months], ``schedule_months``, ``staff``),
        ``figures["effort"]`` (effort against size with the chosen size marked).

    Examples
    --------
    >>> v = cocomo_update(100)
    >>> round(v.values["effort_pm"], 1)
    465.3
    """
    from tpmkit.estimate import cocomo2

    res = cocomo2(float(ksloc), scale_factors, effort_multipliers)
    sizes = np.linspace(max(ksloc / 10, 1.0), ksloc * 2, 60)
    curve = cocomo2(sizes, scale_factors, effort_multipliers)
    fig = figure(5.5, 3.2)
    ax = fig.add_subplot()
    ax.plot(sizes, curve.effort_pm, color="#0072B2")
    ax.scatter([ksloc], [res.effort_pm], color="#D55E00", zorder=3)
    ax.set_xlabel("size [KSLOC]")
    ax.set_ylabel("effort [person-months]")
    ax.set_title(f"E = {res.exponent:.3f} (diseconomy of scale when E > 1)", fontsize=10)
    values = {"effort_pm": float(res.effort_pm), "schedule_months": float(res.schedule_months),
              "staff": float(res.staff)}
    text = (f"{ksloc:g} KSLOC: {values['effort_pm']:.1f} person-months over "
            f"{values['schedule_months']:.1f} months, about {values['staff']:.1f} people")
    return View(figures={"effort": fig}, text=text, values=values)


def build_ui(part: str = "three_point", data: pd.DataFrame | None = None):
    """Return one workbench: ``"three_point"``, ``"delphi"``, ``"throughput"``,
    ``"calibration"`` (these two need ``data``) or ``"cocomo"``.
    """
    import ipywidgets as widgets

    part = check_option(part, ["three_point", "delphi", "throughput", "calibration", "cocomo"],
                        "estimation workbench part")
    status = widgets.HTML()
    headline = widgets.HTML()
    img = image()
    grid = widgets.HTML()

    def show(view: View | None, fig: str, table: str | None = None) -> None:
        if view is None:
            return
        img.value = png(view.figures[fig])
        headline.value = f"<b>{view.text}</b>"
        if table:
            grid.value = frame_html(view.tables[table])

    def slider(value, lo, hi, step, label, kind=widgets.FloatSlider):
        return kind(value=value, min=lo, max=hi, step=step, description=label,
                    continuous_update=False)

    if part == "three_point":
        o, m, p = slider(4.0, 0, 60, 0.5, "optimistic"), slider(6.0, 0, 60, 0.5, "most likely"), \
            slider(14.0, 0, 60, 0.5, "pessimistic")
        dist = widgets.ToggleButtons(options=["pert", "triangular"], description="shape")

        def update(_=None) -> None:
            if not o.value <= m.value <= p.value:
                status.value = ("<span style='color:#a00'>keep optimistic ≤ most likely ≤ "
                                "pessimistic</span>")
                return
            show(run_guarded(status, lambda: three_point_update(o.value, m.value, p.value,
                                                                dist.value)),
                 "density", "summary")

        controls = [o, m, p, dist]
    elif part == "delphi":
        est = slider(6, 2, 15, 1, "estimators", widgets.IntSlider)
        rounds = slider(4, 1, 8, 1, "rounds", widgets.IntSlider)
        pull = slider(0.6, 0.0, 1.0, 0.05, "pull")
        seed = widgets.IntText(value=1, description="seed")

        def update(_=None) -> None:
            show(run_guarded(status, lambda: delphi_update(
                data, estimators=est.value, rounds=rounds.value, pull=pull.value,
                seed=seed.value) if data is None else delphi_update(data)), "rounds", "rounds")

        controls = [est, rounds, pull, seed] if data is None else []
    elif part == "throughput":
        if data is None:
            raise ValidationError("the throughput workbench needs the history; pass "
                                  "build_ui('throughput', data=history)")
        remaining = slider(40, 1, 300, 1, "remaining", widgets.IntSlider)

        def update(_=None) -> None:
            show(run_guarded(status, lambda: throughput_update(data, remaining.value)),
                 "forecast", "forecast")

        controls = [remaining]
    elif part == "calibration":
        if data is None:
            raise ValidationError("the calibration workbench needs estimates and actuals; pass "
                                  "build_ui('calibration', data=frame)")
        pct = slider(80, 50, 95, 5, "confidence %")

        def update(_=None) -> None:
            show(run_guarded(status, lambda: calibration_update(data, p=pct.value)), "ratios",
                 "calibration")

        controls = [pct]
    else:
        from tpmkit.estimate import COCOMO2_SCALE_FACTORS

        size = slider(50.0, 2, 500, 1, "KSLOC")
        ratings = ["very_low", "low", "nominal", "high", "very_high"]
        factors = {f: widgets.Dropdown(options=ratings, value="nominal", description=f)
                   for f in COCOMO2_SCALE_FACTORS}

        def update(_=None) -> None:
            show(run_guarded(status, lambda: cocomo_update(
                size.value, {f: d.value for f, d in factors.items()})), "effort")

        controls = [size, *factors.values()]
    for c in controls:
        c.observe(update, names="value")
    update()
    box = widgets.HBox([widgets.VBox(controls), widgets.VBox([headline, img, grid, status])])
    box.add_class(f"tpmkit-{part.replace('_', '-')}")
    return tidy(box)
