"""How results look in a notebook: formatted tables, one-line warnings.

:func:`setup_notebook` (the first cell of every lesson calls it) registers an HTML formatter
for pandas tables so that a trainee never sees ``NaN``, ``None`` or ``38.000000``: missing
values show as ``–``, whole numbers without decimals, other numbers with at most
:data:`DIGITS` decimals and thousands separators, dates as ``YYYY-MM-DD``. Warnings shown to
a notebook user become one readable line (``TpmkitWarning: …``) instead of Python's
``/tmp/ipykernel_…/….py:14: TpmkitWarning: …`` with a source line; a matplotlib figure
displays as a picture even when pyplot's inline backend is not started. Display only: the
DataFrames themselves keep their unrounded numbers.
"""

from __future__ import annotations

import html
import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DIGITS", "MAX_ROWS", "format_value", "setup_notebook", "table_html"]

#: decimals shown for numbers that are not whole
DIGITS = 2
#: rows shown before a table is cut (the rest is counted in the caption)
MAX_ROWS = 60


def format_value(value: Any, digits: int = DIGITS) -> str:
    """One table cell as a trainee should read it.

    Examples
    --------
    >>> [format_value(v) for v in (38.0, 93.854239, float("nan"), None, 1234567.0, True)]
    ['38', '93.85', '–', '–', '1,234,567', 'yes']
    >>> format_value(pd.Timestamp("2027-04-30")), format_value(("E4",))
    ('2027-04-30', 'E4')
    """
    if value is None or value is pd.NaT:
        return "–"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d" if value == value.normalize() else "%Y-%m-%d %H:%M")
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        v = float(value)
        if math.isnan(v):
            return "–"
        if math.isinf(v):
            return "∞" if v > 0 else "−∞"
        if v == round(v) and abs(v) < 1e15:
            return f"{v:,.0f}"
        text = f"{v:,.{digits}f}".rstrip("0").rstrip(".")
        return text if text not in ("0", "-0") else f"{v:.{digits}g}"
    if isinstance(value, tuple | list | set | frozenset):
        return ", ".join(format_value(v, digits) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {format_value(v, digits)}" for k, v in value.items())
    try:
        if pd.isna(value):
            return "–"
    except (TypeError, ValueError):
        pass
    return str(value)


def table_html(frame: pd.DataFrame | pd.Series, digits: int = DIGITS,
               max_rows: int = MAX_ROWS) -> str:
    """A DataFrame (or Series) as a formatted HTML table (see :func:`format_value`).

    Examples
    --------
    >>> t = pd.DataFrame({"x": [38.0, float("nan")]}, index=["A", "B"])
    >>> page = table_html(t)
    >>> ">38</td>" in page, ">–</td>" in page, "NaN" in page
    (True, True, False)
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame(name=frame.name if frame.name is not None else "value")
    shown = frame.head(max_rows)
    pad = "padding:2px 8px;border-bottom:1px solid #ddd"

    def name(x: Any) -> str:
        return html.escape(" · ".join(map(str, x)) if isinstance(x, tuple) else str(x))

    index_name = name(frame.index.name) if frame.index.name is not None else ""
    head = f'<th style="{pad};text-align:left">{index_name}</th>' + "".join(
        f'<th style="{pad};text-align:left;white-space:nowrap">{name(c)}</th>'
        for c in frame.columns)
    rows = []
    for idx, row in zip(shown.index, shown.itertuples(index=False, name=None)):
        cells = "".join(
            f'<td style="{pad};text-align:'
            f'{"right" if isinstance(v, int | float | np.number) and not isinstance(v, bool) else "left"}">'
            f"{html.escape(format_value(v, digits))}</td>" for v in row)
        rows.append(f'<tr><th style="{pad};text-align:left">{html.escape(format_value(idx))}'
                    f"</th>{cells}</tr>")
    more = (f'<caption style="caption-side:bottom;text-align:left;color:#5f6b76">first '
            f"{max_rows} of {len(frame):,} rows</caption>" if len(frame) > max_rows else "")
    return ('<table class="tpmkit-table" style="border-collapse:collapse;font-size:12px">'
            f"{more}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _one_line(message: Any, category: type, filename: str, lineno: int,
              line: str | None = None) -> str:
    return f"{category.__name__}: {message}\n"


def setup_notebook(digits: int = DIGITS) -> None:
    """Format pandas tables and warnings for a trainee (call once, in a notebook's first cell).

    Outside IPython it only sets the one-line warning format.
    """
    warnings.formatwarning = _one_line
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - the widgets extra brings IPython
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["text/html"]
    for kind in (pd.DataFrame, pd.Series):
        formatter.for_type(kind, lambda f, _d=digits: table_html(f, _d))
    # a figure made without pyplot (the workbenches' figures) is drawn, not printed as
    # "<Figure size 600x340 with 1 Axes>", even before pyplot starts the inline backend
    shell.display_formatter.formatters["image/png"].for_type_by_name(
        "matplotlib.figure", "Figure", _figure_png)


def _figure_png(fig: Any) -> bytes:
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    return buffer.getvalue()
