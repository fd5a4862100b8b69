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

__all__ = ["View", "error_html", "figure", "frame_html", "image", "png", "run_guarded"]


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
