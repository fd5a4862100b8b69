"""Scoping workbench: WBS, requirements, stakeholders, RACI and risk register, edited live.

Each artefact has an ``*_update(frame)`` that validates the table with :mod:`tpmkit.scope`
or :mod:`tpmkit.risk.register` and returns the derived tables, a chart and the validation
messages (an invalid table gives messages, not an exception, because a table being edited
is often invalid for a moment). :func:`build_ui` puts an editable grid of text cells
(ipywidgets) in front of one of them: every edited cell re-validates the table.

References
----------
.. [1] PMI, *Practice Standard for Work Breakdown Structures*, 3rd ed., 2019 (100 % rule).
.. [2] K. Wiegers, "First things first: prioritizing requirements", *Software Development*
   7(9), 1999 (priority = value / (cost + risk) shares).
.. [3] R. Mitchell, B. Agle and D. Wood, "Toward a theory of stakeholder identification and
   salience", *Academy of Management Review* 22(4), 1997.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
import pandas as pd

from tpmkit.errors import TpmkitError, check_option
from tpmkit.widgets._common import View, figure, frame_html, image, png, tidy

__all__ = [
    "ARTEFACTS",
    "TableEditor",
    "build_ui",
    "raci_update",
    "requirements_update",
    "risks_update",
    "stakeholders_update",
    "wbs_update",
]


def _guard(func: Callable[[pd.DataFrame], View]) -> Callable[[pd.DataFrame], View]:
    def wrapper(frame: pd.DataFrame) -> View:
        try:
            return func(frame)
        except TpmkitError as exc:
            return View(text=f"{len(frame)} rows: 1 problem", values={"messages": [str(exc)],
                                                                     "valid": False})
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    wrapper.__wrapped__ = func  # type: ignore[attr-defined]
    return wrapper


def _blank_to_nan(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.replace({"": np.nan}).infer_objects()


@_guard
def wbs_update(frame: pd.DataFrame) -> View:
    """Roll up and check a WBS dictionary (``wbs``, ``name``, ``cost``/``budget``, …).

    Returns
    -------
    View
        ``tables["rollup"]`` (:func:`tpmkit.scope.wbs_rollup`), ``tables["findings"]``
        (:func:`tpmkit.scope.check_wbs`), ``figures["tree"]`` (:func:`tpmkit.plot.wbs_tree`),
        ``values["messages"]`` (the findings' messages), ``values["valid"]``.

    Examples
    --------
    >>> wbs = pd.DataFrame({"wbs": ["1", "1.1", "1.2"], "name": ["x", "a", "b"],
    ...                     "cost": [None, 2.0, 3.0]})
    >>> v = wbs_update(wbs)
    >>> float(v.tables["rollup"].loc["1", "cost"]), v.values["valid"]
    (5.0, True)
    """
    from tpmkit import plot
    from tpmkit.scope import check_wbs, wbs_rollup, wbs_tree

    frame = _blank_to_nan(frame)
    findings = check_wbs(frame)
    rollup = wbs_rollup(frame)
    tree = wbs_tree(frame)
    fig = figure(7.0, 1.0 + 0.22 * int(tree["leaf"].sum()))
    plot.wbs_tree(tree, frame if "name" in frame.columns else None, ax=fig.add_subplot())
    messages = findings["message"].astype(str).tolist() if len(findings) else []
    text = (f"{len(frame)} WBS elements, {int(rollup['leaf'].sum())} work packages"
            + (f"; {len(messages)} finding(s)" if messages else "; the WBS is sound"))
    return View(figures={"tree": fig}, tables={"rollup": rollup, "findings": findings},
                text=text, values={"messages": messages, "valid": not messages})


@_guard
def requirements_update(frame: pd.DataFrame) -> View:
    """Validate requirements and rank them by MoSCoW and Wiegers priority.

    Returns
    -------
    View
        ``tables["ranked"]`` (:func:`tpmkit.scope.requirements`, sorted by rank),
        ``figures["priority"]`` (priority bars coloured by MoSCoW class).

    Examples
    --------
    >>> reqs = pd.DataFrame({"id": ["R1", "R2"], "moscow": ["Should", "Must"],
    ...                      "benefit": [9, 3], "penalty": [1, 1], "cost": [2, 2], "risk": [1, 1]})
    >>> requirements_update(reqs).tables["ranked"].index.tolist()
    ['R2', 'R1']
    """
    from tpmkit.scope import requirements

    ranked = requirements(_blank_to_nan(frame)).sort_values("rank")
    fig = figure(6.0, 0.8 + 0.25 * len(ranked))
    ax = fig.add_subplot()
    colors = {"must": "#D55E00", "should": "#E69F00", "could": "#56B4E9", "wont": "#999"}
    ypos = np.arange(len(ranked))
    ax.barh(ypos, ranked["priority"], color=[colors.get(m, "#999") for m in ranked["moscow"]])
    ax.set_yticks(ypos, [f"{i} ({m})" for i, m in zip(ranked.index, ranked["moscow"])],
                  fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Wiegers priority (value share / (cost share + risk share))")
    counts = ranked["moscow"].value_counts()
    text = f"{len(ranked)} requirements: " + ", ".join(f"{counts[k]} {k}" for k in colors
                                                        if k in counts)
    return View(figures={"priority": fig}, tables={"ranked": ranked}, text=text,
                values={"messages": [], "valid": True})


@_guard
def stakeholders_update(frame: pd.DataFrame) -> View:
    """Classify stakeholders on the power/interest grid.

    Returns
    -------
    View
        ``tables["register"]`` (:func:`tpmkit.scope.stakeholders`), ``figures["grid"]``
        (:func:`tpmkit.plot.power_interest_grid`).

    Examples
    --------
    >>> st = pd.DataFrame({"id": ["S1", "S2"], "power": [5, 1], "interest": [5, 2]})
    >>> stakeholders_update(st).tables["register"]["quadrant"].tolist()
    ['manage_closely', 'monitor']
    """
    from tpmkit import plot
    from tpmkit.scope import stakeholders

    reg = stakeholders(_blank_to_nan(frame))
    fig = figure(5.5, 4.6)
    plot.power_interest_grid(reg, ax=fig.add_subplot())
    counts = reg["quadrant"].value_counts()
    text = f"{len(reg)} stakeholders: " + ", ".join(f"{v} {k.replace('_', ' ')}"
                                                     for k, v in counts.items() if k)
    return View(figures={"grid": fig}, tables={"register": reg}, text=text,
                values={"messages": [], "valid": True})


@_guard
def raci_update(frame: pd.DataFrame) -> View:
    """Validate a RACI matrix: one A and at least one R per row, role loads.

    Returns
    -------
    View
        ``tables["roles"]`` and ``tables["tasks"]`` (:class:`tpmkit.scope.RaciResult`),
        ``values["messages"]`` (the validation error, or the warnings of a valid matrix).

    Examples
    --------
    >>> m = pd.DataFrame({"task": ["Design", "Build"], "pm": ["A", ""], "dev": ["R", "R"]})
    >>> raci_update(m).values["messages"]
    ['RACI: no A on Build; every row needs exactly one accountable role (A)']
    """
    from tpmkit.scope import raci

    result = raci(frame.fillna(""))
    msgs = list(result.warnings)
    text = f"{result.matrix.shape[0]} rows × {result.matrix.shape[1]} roles: valid" + (
        f", {len(msgs)} warning(s)" if msgs else "")
    return View(tables={"roles": result.roles, "tasks": result.tasks}, text=text,
                values={"messages": msgs, "valid": True})


@_guard
def risks_update(frame: pd.DataFrame) -> View:
    """Validate a risk register; heat map and exposure.

    Returns
    -------
    View
        ``tables["register"]`` (normalised), ``tables["heat_map"]`` (5 × 5 counts),
        ``tables["exposure"]``, ``figures["heat_map"]`` (:func:`tpmkit.plot.risk_heatmap`).

    Examples
    --------
    >>> reg = pd.DataFrame({"id": ["R1", "R2"], "probability": [0.6, 0.1],
    ...                     "impact_days": ["2,5,11", "1,2,3"]})
    >>> int(risks_update(reg).tables["heat_map"].to_numpy().sum())
    2
    """
    from tpmkit import plot
    from tpmkit.risk.register import exposure, heat_map, normalize_register

    reg = normalize_register(_blank_to_nan(frame))
    counts = heat_map(reg)
    fig = figure(5.0, 4.4)
    plot.risk_heatmap(reg, ax=fig.add_subplot())
    exp = exposure(reg) if "category" in reg.columns else exposure(reg, by="type")
    text = (f"{len(reg)} risks; expected schedule impact {reg['emv_days'].sum():.1f} working "
            f"days, expected cost {reg['emv_cost'].sum():,.0f}")
    return View(figures={"heat_map": fig}, tables={"register": reg, "heat_map": counts,
                                                   "exposure": exp}, text=text,
                values={"messages": [], "valid": True})


# Columns of the first result table shown beside the chart (the full tables are in the View).
_DISPLAY = {
    "wbs": ["name", "depth", "leaf", "cost", "work"],
    "requirements": ["title", "moscow", "priority", "rank"],
    "stakeholders": ["name", "power", "interest", "quadrant", "salience"],
    "raci": ["responsible", "accountable", "consulted", "informed", "load", "overloaded"],
    "risks": ["probability", "score", "emv_days", "emv_cost", "rank"],
}

#: artefact name → update function
ARTEFACTS = {"wbs": wbs_update, "requirements": requirements_update,
             "stakeholders": stakeholders_update, "raci": raci_update, "risks": risks_update}


class TableEditor:
    """An editable grid of text cells over a DataFrame (ipywidgets only).

    Every committed edit (Enter or leaving the cell) rebuilds :attr:`frame` and calls
    ``on_change(frame)``. Numbers typed into numeric columns are parsed; blank cells become
    missing values.

    Parameters
    ----------
    frame : pandas.DataFrame
        Initial table (the index is dropped; put ids in a column).
    on_change : callable, optional
        Called with the edited frame.
    """

    def __init__(self, frame: pd.DataFrame,
                 on_change: Callable[[pd.DataFrame], None] | None = None) -> None:
        import ipywidgets as widgets

        self._widgets = widgets
        self.columns = [str(c) for c in frame.columns]
        self._numeric = {str(c) for c in frame.columns
                         if pd.api.types.is_numeric_dtype(frame[c])}
        self.on_change = on_change
        self.cells: list[list] = []
        self.grid = widgets.GridBox(layout=widgets.Layout(
            # every column at least as wide as its header (headers are never cut)
            grid_template_columns=" ".join(
                f"minmax({max(80, 8 * len(c) + 24)}px, 1fr)" for c in self.columns),
            grid_gap="1px", max_height="420px", overflow="auto"))
        add = widgets.Button(description="+ row", tooltip="append an empty row")
        add.on_click(lambda _: self.add_row())
        self.widget = widgets.VBox([self.grid, add])
        for row in frame.itertuples(index=False):
            self._append([("" if pd.isna(v) else str(v)) for v in row])
        self._render()

    def _append(self, values: list[str]) -> None:
        row = []
        for value in values:
            cell = self._widgets.Text(value=value, continuous_update=False,
                                      layout=self._widgets.Layout(width="auto"))
            cell.observe(self._changed, names="value")
            row.append(cell)
        self.cells.append(row)

    def _render(self) -> None:
        header = [self._widgets.HTML(
            f'<div title="{html.escape(c)}" style="white-space:normal;overflow-wrap:anywhere;'
            f'font-weight:bold">{html.escape(c)}</div>') for c in self.columns]
        self.grid.children = header + [c for row in self.cells for c in row]

    def add_row(self) -> None:
        """Append an empty row."""
        self._append([""] * len(self.columns))
        self._render()

    @property
    def frame(self) -> pd.DataFrame:
        """The table as currently edited (blank rows dropped)."""
        data = pd.DataFrame([[c.value.strip() for c in row] for row in self.cells],
                            columns=self.columns)
        data = data[(data != "").any(axis=1)]
        for col in self._numeric:
            data[col] = pd.to_numeric(data[col].replace("", np.nan), errors="coerce")
        return data.reset_index(drop=True)

    def _changed(self, change) -> None:
        if self.on_change is not None:
            self.on_change(self.frame)


def build_ui(artefact: str, frame: pd.DataFrame):
    """Return an editor for one artefact whose edits re-validate live.

    Parameters
    ----------
    artefact : {"wbs", "requirements", "stakeholders", "raci", "risks"}
    frame : pandas.DataFrame
        The artefact table (e.g. ``tpmkit.datasets.load("software_release_raci")``).
    """
    import ipywidgets as widgets

    artefact = check_option(artefact, list(ARTEFACTS), "scoping artefact")
    update = ARTEFACTS[artefact]
    headline = widgets.HTML()
    messages = widgets.HTML()
    img = image()
    grid = widgets.HTML()

    def show(current: pd.DataFrame) -> None:
        view = update(current)
        headline.value = f"<b>{view.text}</b>"
        color = "#1a7f37" if view.values.get("valid") and not view.values["messages"] \
            else "#b42318"
        messages.value = "".join(f"<div style='color:{color}'>• {m}</div>"
                                 for m in view.values["messages"]) or (
            "<div style='color:#1a7f37'>✔ no problems found</div>")
        fig = next(iter(view.figures.values()), None)
        img.value = png(fig) if fig is not None else b""
        img.layout.display = "" if fig is not None else "none"
        table = next(iter(view.tables.values()), None)
        if table is not None:
            cols = [c for c in _DISPLAY[artefact] if c in table.columns] or list(table.columns)
            grid.value = frame_html(table[cols].head(40))
        else:
            grid.value = ""

    editor = TableEditor(frame.reset_index(drop=True) if frame.index.name is None
                         else frame.reset_index(), on_change=show)
    show(editor.frame)
    box = widgets.VBox([widgets.HTML(f"<b>Edit the {artefact} table</b> (Enter or leave a cell "
                                     "to re-validate)"), editor.widget, headline, messages,
                        widgets.HBox([img, grid], layout=widgets.Layout(
                            align_items="flex-start"))])
    box.add_class(f"tpmkit-{artefact}-editor")
    box.editor = editor  # type: ignore[attr-defined]  # tests and notebooks reach the grid
    return tidy(box)
