"""HTML pieces of the status report (styled by the ``tpmkit_report`` template).

Display formatting only: numbers arrive unrounded from :mod:`tpmkit.report.data` and are
formatted here (true minus signs, thousands separators, unambiguous dates). This is also the
one place where internal names become human labels (:data:`LABELS`, :func:`label`), where
engine messages lose their internal wording (:func:`plain`) and where a plan without
uncertainty is said to have none (:func:`no_uncertainty`).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import check_option
from tpmkit.report.rag import RAG_ORDER

__all__ = ["DATE_FORMAT", "LABELS", "day", "html_table", "kpi_cards", "label", "money",
           "no_uncertainty", "plain", "rag_badge", "signed"]

#: How the report writes dates (unambiguous in every locale: 30 Apr 2027).
DATE_FORMAT = "%d %b %Y"

_NUM = ' class="num"'

#: Internal names (columns, forecast ids, check names) → the labels a report reader sees.
LABELS: dict[str, str] = {
    "eac_t_pv1": "planned value method, PF = 1", "eac_t_pv2": "planned value method, PF = SPI",
    "eac_t_pv3": "planned value method, PF = SCI", "eac_t_ed1": "earned duration, PF = 1",
    "eac_t_ed2": "earned duration, PF = SPI", "eac_t_ed3": "earned duration, PF = SCI",
    "eac_t_es1": "earned schedule, PF = 1", "eac_t_es2": "earned schedule, PF = SPI(t)",
    "eac_t_es3": "earned schedule, PF = SCI(t)", "ieac_t": "IEAC(t) (Lipke)",
    "pv": "PV", "ev": "EV", "ac": "AC", "sv": "SV", "cv": "CV", "spi": "SPI", "cpi": "CPI",
    "spi_t": "SPI(t)", "sv_t": "SV(t)", "es": "ES", "eac": "EAC", "bac": "BAC", "vac": "VAC",
    "tcpi_bac": "TCPI(BAC)", "tcpi_eac": "TCPI(EAC)", "tspi": "TSPI",
    "missing_logic": "missing logic", "leads": "leads", "lags": "lags",
    "relationship_types": "relationship types", "hard_constraints": "hard constraints",
    "high_float": "high float", "negative_float": "negative float",
    "high_duration": "high duration", "invalid_dates": "invalid dates",
    "resources": "resources", "missed_tasks": "missed tasks",
    "critical_path_test": "critical path test", "cpli": "CPLI", "bei": "BEI",
    "early_start": "early start", "early_finish": "early finish", "late_start": "late start",
    "late_finish": "late finish", "total_float": "total float", "free_float": "free float",
    "schedule_variance_days": "schedule variance [d]", "cost_variance_percent": "cost variance [%]",
    "emv_days": "EMV [d]", "actual_delay_days": "actual delay [d]",
    "percent_complete": "complete [%]", "p50": "P50", "p80": "P80",
}
_MISSING_TEXT = {"nan", "NaN", "None", "NaT", "<NA>", "null"}
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


def label(name: Any) -> str:
    """The human label of an internal name (:data:`LABELS`; other snake_case names get
    spaces); anything else unchanged.

    Examples
    --------
    >>> label("eac_t_es2"), label("critical_path_test"), label("Weekly status")
    ('earned schedule, PF = SPI(t)', 'critical path test', 'Weekly status')
    """
    text = str(name)
    if text in LABELS:
        return LABELS[text]
    return text.replace("_", " ") if _SNAKE.match(text) else text


#: engine wording → report wording
_PLAIN = [(re.compile(r";?\s*set to NaN\b"), "; shown as –"),
          (re.compile(r"\bNaN\b"), "–"),
          (re.compile(r"\bPD = "), "planned duration "),
          (re.compile(r"\b(eac_t_[a-z]{2}\d|ieac_t|spi_t|tcpi_bac|tcpi_eac)\b"),
           lambda m: label(m.group(0)))]


def plain(text: Any) -> str:
    """An engine message as a report reader should see it: no ``NaN``, no column ids.

    Examples
    --------
    >>> plain("CPI undefined in period 1 (AC = 0); set to NaN")
    'CPI undefined in period 1 (AC = 0); shown as –'
    >>> plain("eac_t_es2 beyond PD = 5")
    'earned schedule, PF = SPI(t) beyond planned duration 5'
    """
    out = str(text)
    for pattern, repl in _PLAIN:
        out = pattern.sub(repl, out)
    return out


def no_uncertainty(sim: Any) -> str:
    """The one sentence for a simulation of a plan without uncertainty, or ``""``.

    A plan without three-point estimates and without risk events finishes on its CPM date in
    every iteration: its "100 % confidence" and "P80 = CPM" say nothing about risk.

    Examples
    --------
    >>> class Flat:  # every iteration finishes on day 42
    ...     std, mean, iterations = 0.0, 42.0, 2000
    >>> no_uncertainty(Flat())
    'The plan has no uncertainty to simulate (no three-point estimates, no risk events): all 2,000 iterations finish on working day 42, the CPM finish.'
    >>> no_uncertainty(None)
    ''
    """
    if sim is None or not hasattr(sim, "std") or float(sim.std) > 0:
        return ""
    return ("The plan has no uncertainty to simulate (no three-point estimates, no risk "
            f"events): all {int(sim.iterations):,} iterations finish on working day "
            f"{float(sim.mean):g}, the CPM finish.")


def day(ts: Any, date_format: str = DATE_FORMAT) -> str:
    """A date as the report writes it, ``–`` when missing.

    Examples
    --------
    >>> day(pd.Timestamp("2027-04-30")), day(None)
    ('30 Apr 2027', '–')
    """
    return "–" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime(date_format)


def money(x: Any, currency: str = "") -> str:
    """An amount rounded to whole units with its currency and a true minus sign.

    Examples
    --------
    >>> money(-71955.4, "EUR"), money(float("nan"))
    ('−71,955 EUR', '–')
    """
    return "–" if x is None or pd.isna(x) else f"{x:,.0f} {currency}".strip().replace("-", "−")


def signed(x: float, fmt: str = "+.2f") -> str:
    """A number with its sign and a true minus sign.

    Examples
    --------
    >>> signed(-0.3), signed(1.25)
    ('−0.30', '+1.25')
    """
    return format(x, fmt).replace("-", "−")


def rag_badge(status: str, label: str | None = None) -> str:
    """HTML badge for a RAG status (text and colour, so it survives grey-scale printing).

    Parameters
    ----------
    status : {"green", "amber", "red", "n/a"}
        Sets the colour.
    label : str, optional
        Text of the badge (default the status in capitals), e.g. ``"PASS"``.

    Examples
    --------
    >>> rag_badge("amber")
    '<span class="rag rag-amber">AMBER</span>'
    >>> rag_badge("green", "pass")
    '<span class="rag rag-green">PASS</span>'
    """
    s = check_option(status, RAG_ORDER + ("n/a",), "RAG status")
    cls = "na" if s == "n/a" else s
    return f'<span class="rag rag-{cls}">{html.escape((label or s).upper())}</span>'


def _cell(value: Any, fmt: str | None, date_format: str = DATE_FORMAT) -> tuple[str, bool]:
    """(escaped text, is_number) of one table cell; negative numbers get a true minus sign."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "–", False
    if isinstance(value, pd.Timestamp | np.datetime64):
        ts = pd.Timestamp(value)
        # a date never wraps inside a narrow cell (no-break spaces)
        return ("–" if pd.isna(ts) else ts.strftime(date_format).replace(" ", "\u00a0")), False
    if isinstance(value, bool | np.bool_):
        return ("yes" if value else "no"), False
    if isinstance(value, int | float | np.integer | np.floating):
        if not np.isfinite(value):
            return "–", False
        return html.escape(format(value, fmt or ",.4g").replace("-", "−")), True
    text = str(value)
    if text.strip() in _MISSING_TEXT:
        return "–", False
    return html.escape(text), False


def html_table(df: pd.DataFrame, formats: Mapping[str, str] | None = None, *,
               index: bool = True, status_columns: Sequence[str] = ("status",),
               html_columns: Sequence[str] = (), caption: str | None = None,
               highlight: str | None = None, date_format: str = DATE_FORMAT) -> str:
    """A DataFrame as an HTML table with the report's classes.

    Parameters
    ----------
    df : DataFrame
        The table; the index is the first column when ``index`` is True.
    formats : mapping, optional
        Column → format spec (``",.0f"``, ``".2f"``, ``".1%"``); other numbers use ``,.4g``.
        Headers are shown through :func:`label` (internal names become labels); missing
        values (None, NaN, ``"nan"``) show as ``–``.
    index : bool
        Show the index as the first column (its name as header).
    status_columns : sequence of str
        Columns holding RAG statuses, shown as badges (:func:`rag_badge`).
    html_columns : sequence of str
        Columns whose values are trusted HTML (e.g. badges built by the caller), not escaped.
    caption : str, optional
        Caption above the table.
    highlight : str, optional
        A boolean column: rows where it is True are emphasised (the column is not shown).
    date_format : str
        ``strftime`` format of dates (default :data:`DATE_FORMAT`).

    Returns
    -------
    str
        ``<div class="table-scroll"><table class="report-table">…</table></div>``; numbers
        are right-aligned (``class="num"``).

    Examples
    --------
    >>> print(html_table(pd.DataFrame({"spi": [0.912]}, index=pd.Index([4], name="period")),
    ...                  {"spi": ".2f"}))
    <div class="table-scroll"><table class="report-table"><thead><tr><th class="num">period</th><th class="num">SPI</th></tr></thead><tbody><tr><td class="num">4</td><td class="num">0.91</td></tr></tbody></table></div>
    """
    formats = dict(formats or {})
    cols = [c for c in df.columns if c != highlight]
    numeric = {c: pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in cols}
    head = []
    if index:
        idx_num = pd.api.types.is_numeric_dtype(df.index)
        head.append(f'<th{_NUM if idx_num else ""}>'
                    f'{html.escape(label(df.index.name or ""))}</th>')
    head += [f'<th{_NUM if numeric[c] else ""}>{html.escape(label(c))}</th>'
             for c in cols]
    body = []
    for key, row in zip(df.index, df.itertuples(index=False, name=None)):
        values = dict(zip(df.columns, row))
        cells = []
        if index:
            text, num = _cell(key, None if not isinstance(key, float) else ",.4g")
            cells.append(f'<td{_NUM if num else ""}>{text}</td>')
        for c in cols:
            v = values[c]
            if c in status_columns and isinstance(v, str):
                cells.append(f"<td>{rag_badge(v)}</td>")
                continue
            if c in html_columns:
                cells.append(f"<td>{'' if v is None else v}</td>")
                continue
            text, num = _cell(v, formats.get(c), date_format)
            cells.append(f'<td{_NUM if num else ""}>{text}</td>')
        mark = ' class="hl"' if highlight and bool(values.get(highlight)) else ""
        body.append(f"<tr{mark}>{''.join(cells)}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    # the wrapper scrolls a wide table inside its card on a phone instead of the page
    return (f'<div class="table-scroll"><table class="report-table">{cap}<thead><tr>'
            f'{"".join(head)}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def kpi_cards(cards: Iterable[tuple[str, str, str | None, str]]) -> str:
    """A row of KPI cards: ``(label, value, RAG status or None, footnote)`` each.

    Examples
    --------
    >>> kpi_cards([("SPI", "0.72", "red", "EV / PV")])[:41]
    '<div class="kpis"><div class="kpi kpi-red'
    """
    parts = []
    for label, value, status, note in cards:
        cls = "" if status is None else " kpi-" + ("na" if status == "n/a" else status)
        badge = "" if status is None else rag_badge(status)
        parts.append(f'<div class="kpi{cls}"><div class="kpi-label">{html.escape(label)}</div>'
                     f'<div class="kpi-value">{html.escape(value)}</div>'
                     f'<div class="kpi-note">{badge} {html.escape(note)}</div></div>')
    return f'<div class="kpis">{"".join(parts)}</div>'
