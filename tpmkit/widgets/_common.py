"""Helpers shared by the workbenches: figures without pyplot, PNG images, HTML tables."""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["View", "Workbench", "busy_html", "caption_html", "error_html", "figure",
           "frame_html", "image", "legend_text", "numeric_columns", "png", "run_guarded",
           "tidy"]


@dataclass
class View:
    """What one ``update()`` call returns: figures, tables and a short text.

    Attributes
    ----------
    figures : dict of str to matplotlib.figure.Figure
        Named figures (e.g. ``"histogram"``).
    tables : dict of str to pandas.DataFrame
        Named tables with unrounded numbers.
    text : str
        A one-paragraph explanation or headline (plain text).
    values : dict
        Headline numbers (e.g. ``{"p80": 41.2}``) for tests and captions.
    """

    figures: dict[str, Figure] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    text: str = ""
    values: dict[str, Any] = field(default_factory=dict)


def figure(width: float = 6.4, height: float = 4.0) -> Figure:
    """Return a matplotlib Figure attached to an Agg canvas, outside pyplot's registry.

    Workbenches redraw on every control change; figures made through pyplot would pile up
    in its registry, so they are created directly.

    Examples
    --------
    >>> fig = figure(3, 2)
    >>> fig.get_size_inches().tolist()
    [3.0, 2.0]
    """
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def png(fig: Figure, dpi: int = 96) -> bytes:
    """Render ``fig`` to PNG bytes.

    Examples
    --------
    >>> png(figure(1, 1))[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def image(fig: Figure | None = None):
    """Return an ``ipywidgets.Image`` showing ``fig`` (empty when None)."""
    import ipywidgets as widgets

    img = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
    if fig is not None:
        img.value = png(fig)
    return img


def frame_html(
    frame: pd.DataFrame,
    highlight: Iterable[object] = (),
    digits: int = 2,
    caption: str = "",
) -> str:
    """Format a table as HTML for display, blank for NaN, highlighted rows in amber.

    Display formatting lives here, never in returned data.

    Examples
    --------
    >>> t = pd.DataFrame({"x": [1.0, float("nan")]}, index=["A", "B"])
    >>> ">1</td>" in frame_html(t), frame_html(t).count("></td>")
    (True, 1)
    """
    marked = {str(h) for h in highlight}

    def cell(value: object) -> str:
        if isinstance(value, bool):
            return "yes" if value else ""
        if isinstance(value, float):
            if value != value:  # NaN: not yet known
                return ""
            return f"{value:.{digits}f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
        if value is None or value is pd.NaT:
            return ""
        if isinstance(value, pd.Timestamp):
            return value.date().isoformat()
        return html.escape(str(value))

    pad = "padding:2px 8px;border-bottom:1px solid #ddd"
    head = "".join(f'<th style="{pad}">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for idx, row in zip(frame.index, frame.itertuples(index=False)):
        style = ' style="background:#ffe08a"' if str(idx) in marked else ""
        cells = "".join(
            f'<td style="{pad};text-align:{"right" if isinstance(v, int | float) else "left"}">'
            f"{cell(v)}</td>" for v in row)
        rows.append(f'<tr{style}><th style="{pad};text-align:left">{html.escape(str(idx))}</th>'
                    f"{cells}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        '<table class="tpmkit-table" style="border-collapse:collapse;font-size:12px">'
        f'{cap}<thead><tr><th style="{pad}"></th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def numeric_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text columns holding only numbers (and blanks) are numeric.

    Tables read as text (``tpmkit.io.read_table`` keeps every cell a string) would otherwise
    be plotted as categories and summed as strings.

    Examples
    --------
    >>> t = numeric_columns(pd.DataFrame({"id": ["A", "B"], "estimate": ["10", " 5.5"],
    ...                                   "note": ["x", ""]}))
    >>> t["estimate"].tolist(), str(t["id"].dtype) != "float64"
    ([10.0, 5.5], True)
    """
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        text = series.astype("string").str.strip()
        filled = text.notna() & (text != "")
        if not filled.any():
            continue
        number = pd.to_numeric(text.where(filled), errors="coerce")
        if number[filled].notna().all():
            out[col] = number.astype(float)
    return out


def legend_text(fig: Figure) -> str:
    """The legend entries of every axes of ``fig``, joined by "; " (what the chart says).

    Examples
    --------
    >>> fig = figure(2, 2)
    >>> ax = fig.add_subplot()
    >>> _ = ax.plot([0, 1], label="P80 = 3.0 d"); _ = ax.legend()
    >>> legend_text(fig)
    'P80 = 3.0 d'
    """
    texts = []
    for ax in fig.axes:
        leg = ax.get_legend()
        if leg is not None:
            texts += [t.get_text() for t in leg.get_texts()]
    return "; ".join(texts)


def caption_html(text: str) -> str:
    """A small caption under a chart (the chart's own legend entries, as text)."""
    return f'<div class="tpmkit-caption" style="font-size:11px;color:#5f6b76">{html.escape(text)}</div>'


def error_html(exc: Exception) -> str:
    """Format an input error for display in a workbench (the message says how to fix it)."""
    return (
        '<div style="color:#a00;font-weight:bold">'
        f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</div>"
    )


def run_guarded(status, action: Callable[[], Any]) -> Any:
    """Call ``action()``; show a tpmkit input error in the ``status`` HTML widget instead of raising.

    Only :class:`tpmkit.errors.TpmkitError` (bad input typed into a control) is shown;
    programming errors propagate.
    """
    from tpmkit.errors import TpmkitError

    try:
        result = action()
    except TpmkitError as exc:
        status.value = error_html(exc)
        return None
    status.value = ""
    return result


def busy_html(text: str = "computing…") -> str:
    """The busy indicator a workbench shows while it computes (also readable when static)."""
    return (f'<span class="tpmkit-busy" role="status" style="color:#8a5a00">⏳ '
            f"{html.escape(text)}</span>")


class Workbench:
    """One state per workbench: its controls, its status line and the :class:`View` that
    every chart, table and headline of the workbench was drawn from.

    :meth:`run` disables the controls and shows a busy indicator while it computes, then
    redraws every view from the one new :class:`View` (``render(view)``); on an input error
    it shows the error and marks the views as out of date instead of leaving them showing
    numbers of other settings. Tests read :attr:`view` and :attr:`shown` (the caption text
    each view was drawn with) to check that every view shows the same numbers.
    """

    def __init__(self, controls: Iterable[Any], status: Any, indicator: Any | None = None,
                 busy_text: str = "computing…") -> None:
        import ipywidgets as widgets

        self.controls = list(controls)
        self.status = status
        self.indicator = indicator if indicator is not None else widgets.HTML()
        self.busy_text = busy_text
        self.view: View | None = None
        self.shown: dict[str, str] = {}
        self.runs = 0

    def run(self, compute: Callable[[], View], render: Callable[[View], dict[str, str]],
            stale: Callable[[], None] | None = None) -> View | None:
        """Compute a new view and redraw everything from it (see the class docstring)."""
        before = [bool(getattr(c, "disabled", False)) for c in self.controls]
        for c in self.controls:
            c.disabled = True
        self.indicator.value = busy_html(self.busy_text)
        try:
            view = run_guarded(self.status, compute)
            if view is not None:
                self.shown = dict(render(view) or {})
                self.view = view
                self.runs += 1
            elif stale is not None:
                stale()
        finally:
            for c, was in zip(self.controls, before):
                c.disabled = was
            self.indicator.value = ""
        return view


def tidy(box: Any) -> Any:
    """Make every control of a workbench readable: labels longer than the default label
    column get their full width (no ``confidenc…``), sliders show their value, and a row of
    controls wraps instead of clipping. Returns ``box``."""
    def walk(w: Any) -> None:
        style = getattr(w, "style", None)
        text = str(getattr(w, "description", "") or "")
        if style is not None and hasattr(style, "description_width") and len(text) > 8 \
                and getattr(w, "_view_name", "") != "ButtonView":
            style.description_width = "initial"
        if hasattr(w, "readout") and getattr(w, "readout", True) is False:
            w.readout = True
        layout = getattr(w, "layout", None)
        if getattr(w, "_view_name", "") == "HBoxView" and layout is not None \
                and not layout.flex_flow:
            layout.flex_flow = "row wrap"
        for child in getattr(w, "children", ()):
            walk(child)

    walk(box)
    return box
