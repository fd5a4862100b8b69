"""Agile forecast workbench: pick a confidence and a backlog size, see "when" and "how many" move.

Every number comes from :func:`tpmkit.agile.when` and :func:`tpmkit.agile.how_many`
(Monte Carlo resampling of the board's own daily throughput); the chart is
:func:`tpmkit.plot.forecast_histogram`. This module only wires controls.

References
----------
.. [1] D. S. Vacanti, *When Will It Be Done?*, 2017 (Monte Carlo "when" and "how many").
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tpmkit.errors import ValidationError
from tpmkit.widgets._common import View, figure, frame_html, image, png, run_guarded

__all__ = ["build_ui", "update"]


def _board(board: Any):
    if board is None:
        from tpmkit import datasets

        return datasets.load("agile_board")
    return board


def update(board: Any = None, *, percentile: float = 85, backlog: int = 30,
           trials: int = 10_000, seed: int = 1, horizon: int = 30) -> View:
    """"When will ``backlog`` items be done?" and "how many in ``horizon`` days?" at a confidence.

    Parameters
    ----------
    board : tpmkit.agile.Board, optional
        The team's work items; the bundled ``agile_board`` sample when None.
    percentile : float
        Confidence [%], strictly between 0 and 100.
    backlog : int
        Items still to finish [items], ≥ 1.
    trials : int
        Monte Carlo trials.
    seed : int
        Seed of both forecasts (the same seed reproduces the run).
    horizon : int
        Days after the status date for the "how many" forecast [days].

    Returns
    -------
    View
        ``figures["forecast"]`` (histogram of days needed over the trials, with the P50 and
        chosen-percentile lines), ``tables["forecast"]`` (indexed by ``confidence``:
        ``days``, ``date``, ``items_in_horizon``), ``values`` (``days``, ``date``,
        ``items`` at the chosen percentile, ``seed``, ``trials``).

    Examples
    --------
    >>> import pandas as pd
    >>> from tpmkit.agile import items
    >>> b = items([{"id": f"I{k}", "created": "2021-01-04", "done": f"2021-01-{4 + k:02d}"}
    ...            for k in range(10)])
    >>> v = update(b, percentile=85, backlog=5, trials=200)
    >>> v.values["days"], v.tables["forecast"].index.tolist()
    (5, ['P50', 'P85'])
    """
    from tpmkit.agile import how_many, when
    from tpmkit.plot import forecast_histogram

    if not 0 < float(percentile) < 100:
        raise ValidationError(f"percentile {percentile!r} must lie strictly between 0 and 100; "
                              "use e.g. 85")
    if int(backlog) < 1:
        raise ValidationError(f"backlog {backlog!r} must be at least 1 item; use e.g. 30")
    board = _board(board)
    levels = sorted({50.0, float(percentile)})
    fc = when(board, int(backlog), trials=int(trials), rng=int(seed), percentiles=levels)
    end = board.now + pd.Timedelta(days=int(horizon))
    hm = how_many(board, end, trials=int(trials), rng=int(seed), percentiles=levels)
    table = pd.DataFrame({"days": fc.table["periods"], "date": fc.table["date"],
                          "items_in_horizon": hm.table["items"]})
    label = f"P{float(percentile):g}"
    fig = figure(6.4, 3.4)
    forecast_histogram(fc, ax=fig.add_subplot(),
                       title=f"When will {int(backlog)} items be done? ({int(trials):,} trials)")
    row = table.loc[label]
    values = {"days": int(row["days"]), "date": row["date"], "items": float(row["items_in_horizon"]),
              "seed": fc.seed, "trials": fc.trials}
    text = (f"{percentile:g} % confident: {int(backlog)} items done within {values['days']} days "
            f"(by {values['date']:%Y-%m-%d}); at least {values['items']:g} items by "
            f"{end:%Y-%m-%d}")
    return View(figures={"forecast": fig}, tables={"forecast": table}, text=text, values=values)


def build_ui(board: Any = None, trials: int = 10_000, seed: int = 1):
    """Return the workbench: percentile slider, backlog size, trials and a Run button.

    Sliders recompute on release (``continuous_update=False``); the first run happens at build.
    """
    import ipywidgets as widgets

    board = _board(board)
    status = widgets.HTML()
    headline = widgets.HTML()
    img = image()
    grid = widgets.HTML()
    pct = widgets.IntSlider(value=85, min=50, max=99, step=1, description="confidence %",
                            continuous_update=False)
    backlog = widgets.IntSlider(value=30, min=1, max=300, step=1, description="backlog",
                                continuous_update=False)
    n_trials = widgets.IntText(value=int(trials), description="trials")
    seed_box = widgets.IntText(value=int(seed), description="seed")
    run = widgets.Button(description="Run", button_style="primary", icon="play",
                         tooltip="run the Monte Carlo forecast")

    def refresh(_=None) -> None:
        view = run_guarded(status, lambda: update(board, percentile=pct.value,
                                                  backlog=backlog.value, trials=n_trials.value,
                                                  seed=seed_box.value))
        if view is None:
            return
        img.value = png(view.figures["forecast"])
        headline.value = f"<b>{view.text}</b>"
        grid.value = frame_html(view.tables["forecast"], highlight=[f"P{pct.value:g}"])

    for c in (pct, backlog):
        c.observe(refresh, names="value")
    run.on_click(refresh)
    refresh()
    box = widgets.HBox([widgets.VBox([pct, backlog, n_trials, seed_box, run]),
                        widgets.VBox([headline, img, grid, status])])
    box.add_class("tpmkit-agile-forecast")
    return box
