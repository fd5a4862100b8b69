"""Earned-value workbench: a status-date slider over tracking data.

For each status date :func:`status_update` calls :func:`tpmkit.evm.metrics` (earned value,
earned schedule and the nine time forecasts of Vandevoorde & Vanhoucke) and draws the
charts of :mod:`tpmkit.plot`; the forecasts are compared in one bar chart.

References
----------
.. [1] W. Lipke, "Schedule is different", *The Measurable News*, March 2003.
.. [2] S. Vandevoorde and M. Vanhoucke, "A comparison of different project duration
   forecasting methods using earned value metrics", *International Journal of Project
   Management* 24(4), 2006.
.. [3] PMI, *Practice Standard for Earned Value Management*, 2nd ed., 2011.
"""

from __future__ import annotations

import html
import warnings
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError
from tpmkit.widgets._common import (
    View,
    Workbench,
    caption_html,
    figure,
    frame_html,
    image,
    legend_text,
    png,
    tidy,
)

__all__ = ["FORECAST_LABELS", "build_ui", "status_dates", "status_update"]

#: readable names of the nine time forecasts (method × performance factor)
FORECAST_LABELS = {
    "eac_t_pv1": "planned value, PF = 1", "eac_t_pv2": "planned value, PF = SPI",
    "eac_t_pv3": "planned value, PF = SCI", "eac_t_ed1": "earned duration, PF = 1",
    "eac_t_ed2": "earned duration, PF = SPI", "eac_t_ed3": "earned duration, PF = SCI",
    "eac_t_es1": "earned schedule, PF = 1", "eac_t_es2": "earned schedule, PF = SPI(t)",
    "eac_t_es3": "earned schedule, PF = SCI(t)",
}


def status_dates(project) -> list[pd.Timestamp]:
    """The period end dates of the tracking data (the slider's positions).

    Examples
    --------
    >>> import pandas as pd
    >>> periods = pd.DataFrame({"period": [1, 2], "date": ["2027-01-29", "2027-02-26"],
    ...                         "pv": [10.0, 20.0], "ev": [9.0, 18.0], "ac": [10.0, 21.0]})
    >>> [d.date().isoformat() for d in status_dates(periods)]
    ['2027-01-29', '2027-02-26']
    """
    periods = project if isinstance(project, pd.DataFrame) else getattr(project, "periods", None)
    if periods is None or "date" not in periods.columns:
        raise ValidationError(
            "the project has no dated period table; give tracking data with a 'periods' table "
            "(period, date, pv/ev/ac or per-task progress), e.g. "
            "tpmkit.datasets.load('software_release_tracking')")
    return sorted(pd.to_datetime(periods["date"]).dropna().unique().tolist())


def status_update(project, status_date: Any = None) -> View:
    """Earned value and earned schedule at ``status_date``, with charts and the nine forecasts.

    Parameters
    ----------
    project : tpmkit.Project or pandas.DataFrame
        Tracking data: a project with ``periods`` (or baseline and progress), or a period
        table ``period, date, pv, ev, ac``.
    status_date : date-like, optional
        Periods after it count as future (default: the data's status date).

    Returns
    -------
    View
        ``tables["metrics"]`` (:func:`tpmkit.evm.metrics`), ``tables["forecasts"]`` (the nine
        time forecasts and IEAC(t) at the status period [periods]), ``figures``:
        ``s_curve``, ``trend``, ``earned_schedule``, ``forecasts``; ``values``: ``cpi``,
        ``spi``, ``spi_t``, ``eac``, ``es``, ``status_period`` and ``warnings`` (undefined
        ratios reported by the EVM engine).

    Examples
    --------
    >>> periods = pd.DataFrame({"period": [1, 2, 3], "date": ["2027-01-29", "2027-02-26",
    ...                         "2027-03-31"], "pv": [10.0, 20.0, 30.0], "ev": [9.0, 18.0, None],
    ...                         "ac": [10.0, 21.0, None]})
    >>> v = status_update(periods, "2027-02-26")
    >>> round(v.values["cpi"], 4), round(v.values["es"], 2)
    (0.8571, 1.8)
    """
    from tpmkit import evm, plot

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", evm.EVMWarning)
        result = evm.metrics(project, status_date=status_date)
    table = result.table
    notes = [str(w.message) for w in caught if issubclass(w.category, evm.EVMWarning)]
    k = result.status_period
    row = table.loc[k]
    forecasts = pd.DataFrame({
        "forecast": [FORECAST_LABELS[c] for c in evm.TIME_FORECASTS] + ["IEAC(t) (Lipke)"],
        "periods": [float(row[c]) for c in evm.TIME_FORECASTS] + [float(row["ieac_t"])]},
        index=[*evm.TIME_FORECASTS, "ieac_t"])
    figs = {}
    for name, draw in [("s_curve", plot.evm_s_curve), ("trend", plot.performance_trend),
                       ("earned_schedule", plot.earned_schedule)]:
        fig = figure(6.0, 3.6)
        draw(result, ax=fig.add_subplot())
        figs[name] = fig
    fig = figure(6.0, 3.6)
    ax = fig.add_subplot()
    ypos = np.arange(len(forecasts))
    ax.barh(ypos, forecasts["periods"], color=["#0072B2"] * 9 + ["#D55E00"])
    pd_ = result.planned_duration
    if pd_:
        ax.axvline(float(pd_), color="#333", ls="--", lw=1, label="planned duration")
        ax.legend(fontsize=8, loc="lower right")
    ax.set_yticks(ypos, forecasts["forecast"], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("forecast duration [periods]")
    ax.set_title(f"Time forecasts at period {k}", fontsize=10)
    figs["forecasts"] = fig
    date = row.get("date")
    dated = date is not None and not pd.isna(date)
    values = {"status_period": k, "status_date": pd.Timestamp(date) if dated else None,
              "cpi": float(row["cpi"]), "spi": float(row["spi"]),
              "spi_t": float(row["spi_t"]), "es": float(row["es"]), "eac": float(row["eac"]),
              "warnings": notes}
    when = f"{pd.Timestamp(date):%Y-%m-%d} (period {k})" if dated else f"period {k}"
    text = (f"Status {when}: CPI {values['cpi']:.2f}, SPI {values['spi']:.2f}, SPI(t) "
            f"{values['spi_t']:.2f}, ES {values['es']:.2f} periods; EAC {values['eac']:,.0f}; "
            f"time forecasts {forecasts['periods'].min():.1f}–{forecasts['periods'].max():.1f} "
            "periods")
    return View(figures=figs, tables={"metrics": table, "forecasts": forecasts}, text=text,
                values=values)


def build_ui(project):
    """Return the workbench: a status-date slider, the headline, four charts and the table.

    One :class:`~tpmkit.widgets._common.Workbench` state (the box's ``workbench`` attribute)
    holds the last :class:`View`: the slider label, the headline, every chart, its caption
    and the table are redrawn from it, and the slider is disabled while it computes.
    """
    import ipywidgets as widgets

    dates = status_dates(project)
    options = [(f"{d:%Y-%m-%d}", d) for d in dates]
    status_date = getattr(project, "status_date", None)
    start = (pd.Timestamp(status_date) if status_date is not None
             and pd.Timestamp(status_date) in dates else dates[-1])
    slider = widgets.SelectionSlider(options=options, value=start, description="status date",
                                     continuous_update=False, readout=True,
                                     style={"description_width": "initial"},
                                     layout=widgets.Layout(width="auto", min_width="420px"))
    headline = widgets.HTML()
    notes = widgets.HTML()
    status = widgets.HTML()
    names = ("s_curve", "trend", "earned_schedule", "forecasts")
    images = {k: image() for k in names}
    captions = {k: widgets.HTML() for k in names}
    grid = widgets.HTML(layout=widgets.Layout(overflow="auto", max_width="100%"))
    bench = Workbench([slider], status, busy_text="computing earned value…")

    def draw(view: View) -> dict[str, str]:
        shown = {"headline": view.text}
        for k in names:
            images[k].value = png(view.figures[k])
            fig = view.figures[k]
            shown[k] = "; ".join(t for t in (fig.axes[0].get_title(), legend_text(fig)) if t)
            captions[k].value = caption_html(shown[k])
        headline.value = f"<b>{html.escape(view.text)}</b>"
        notes.value = "".join(f"<div style='color:#8a5a00'>⚠ {html.escape(w)}</div>"
                              for w in view.values["warnings"])
        cols = ["pv", "ev", "ac", "cpi", "spi", "es", "spi_t", "eac", "ieac_t"]
        table = view.tables["metrics"][cols].rename(columns=_COLUMN_LABELS)
        grid.value = frame_html(table, highlight=[view.values["status_period"]],
                                caption="highlighted: the status period")
        shown["table_period"] = str(view.values["status_period"])
        return shown

    def stale() -> None:
        headline.value = "<i>Not updated: see the message below.</i>"

    def show(_=None) -> None:
        bench.run(lambda: status_update(project, slider.value), draw, stale=stale)

    slider.observe(show, names="value")
    show()
    box = widgets.VBox([widgets.HBox([slider, bench.indicator],
                                     layout=widgets.Layout(flex_flow="row wrap")),
                        headline, notes,
                        widgets.GridBox([widgets.VBox([images[k], captions[k]]) for k in names],
                                        layout=widgets.Layout(grid_template_columns=(
                                            "repeat(auto-fit, minmax(320px, 1fr))"))),
                        grid, status])
    box.add_class("tpmkit-evm")
    box.workbench = bench
    return tidy(box)


_COLUMN_LABELS = {"pv": "PV", "ev": "EV", "ac": "AC", "cpi": "CPI", "spi": "SPI", "es": "ES",
                  "spi_t": "SPI(t)", "eac": "EAC", "ieac_t": "IEAC(t)"}
