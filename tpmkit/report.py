"""The HTML status report: RAG rules, report tables, and notebook → one offline HTML file.

A PM's weekly job is "plan + progress in, status report out". :func:`render` executes the
parameterised report notebook (``notebooks/status_report.ipynb``, shipped inside the package
as ``tpmkit._notebooks/status_report.ipynb``) with papermill in a temporary working
directory, exports it with nbconvert through the ``tpmkit_report`` template (title block,
table of contents, styled tables, code hidden, print-friendly) and writes **one
self-contained HTML file**: images are data URIs, the stylesheet is inline, and no
element refers to anything outside the file.

The notebook calls the small presentation helpers of this module: the RAG (red / amber /
green) rules of :func:`index_rag`, :func:`schedule_rag` and :func:`executive_summary`, and
:func:`html_table` / :func:`kpi_cards` for tables that the template styles. The numbers
come from the computation modules (``tpmkit.evm``, ``tpmkit.risk``, ``tpmkit.health``,
``tpmkit.cpm``); nothing is computed here except the traffic-light classification.

References
----------
.. [1] Project Management Institute, *A Guide to the Project Management Body of Knowledge
   (PMBOK Guide)*, 6th ed., 2017, §10.3.3.1 (work performance reports: status reports,
   RAG "stoplight" charts) and §7.4.2.2 (SPI, CPI).
.. [2] W. Lipke, "Schedule is different", *The Measurable News*, March 2003 (SPI(t)).
.. [3] D. T. Hulett, *Practical Schedule Risk Analysis*, Gower, 2009, ch. 1 (P80 as the
   conservative commitment level).
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import math
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._files import refuse_overwrite
from tpmkit.errors import DataError, InputFileError, ValidationError, check_option

__all__ = [
    "DATE_FORMAT",
    "METADATA_MIME",
    "RAG_ORDER",
    "RAG_THRESHOLDS",
    "ReportResult",
    "executive_summary",
    "file_sha256",
    "html_table",
    "index_rag",
    "kpi_cards",
    "notebook_path",
    "offline_problems",
    "overall_rag",
    "rag_badge",
    "read_source",
    "render",
    "schedule_rag",
    "template_dir",
]

#: Performance-index thresholds of the RAG status: green at or above ``green``, amber at or
#: above ``amber``, red below (the customary 0.95 / 0.90 bands for SPI, CPI and SPI(t)).
RAG_THRESHOLDS: dict[str, float] = {"green": 0.95, "amber": 0.90}
#: Statuses from best to worst; ``n/a`` marks an indicator without data.
RAG_ORDER = ("green", "amber", "red")
#: How the report writes dates (unambiguous in every locale: 30 Apr 2027).
DATE_FORMAT = "%d %b %Y"
#: MIME type of the notebook output that carries the title-block data to the template.
METADATA_MIME = "application/vnd.tpmkit.report+json"

_TEMPLATE = "tpmkit_report"
_NUM = ' class="num"'
_NOTEBOOK = "status_report.ipynb"
# Markup that would make a browser fetch something: src/href/url() pointing off the file.
_REMOTE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:|ftp:|//))"""
    r"""|(?:url\(\s*["']?\s*(?:https?:|//))|(?:@import\s)""",
    re.IGNORECASE)


# --------------------------------------------------------------------------------------
# RAG rules
# --------------------------------------------------------------------------------------
def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(np.isnan(float(value)))
    except (TypeError, ValueError):
        return True


def index_rag(value: float | None, green: float = RAG_THRESHOLDS["green"],
              amber: float = RAG_THRESHOLDS["amber"]) -> str:
    """RAG status of a performance index (SPI, CPI, SPI(t)).

    Parameters
    ----------
    value : float or None
        The index [dimensionless]; 1.0 = on plan.
    green, amber : float
        Lower bounds of the green and amber bands (``green ≥ amber``).

    Returns
    -------
    str
        ``"green"`` when ``value ≥ green``, ``"amber"`` when ``value ≥ amber``, ``"red"``
        below, ``"n/a"`` when the value is missing or NaN.

    References
    ----------
    .. [1] PMBOK Guide, 6th ed., §7.4.2.2 (SPI = EV/PV, CPI = EV/AC; > 1 is favourable).

    Examples
    --------
    >>> index_rag(0.97), index_rag(0.92), index_rag(0.72), index_rag(float("nan"))
    ('green', 'amber', 'red', 'n/a')
    """
    if green < amber:
        raise ValidationError(f"RAG thresholds out of order: green {green} < amber {amber}; "
                              "the green bound must be at least the amber bound")
    if _missing(value):
        return "n/a"
    v = float(value)
    return "green" if v >= green else "amber" if v >= amber else "red"


def schedule_rag(p50: float | None, p80: float | None, deadline: float | None) -> str:
    """RAG status of the simulated finish against the deadline.

    Parameters
    ----------
    p50, p80 : float or None
        Simulated finish percentiles [working days from the project start].
    deadline : float or None
        Deadline as a finish offset [working days from the project start].

    Returns
    -------
    str
        ``"green"`` when P80 ≤ deadline (the deadline holds at 80 % confidence),
        ``"amber"`` when only P50 ≤ deadline, ``"red"`` when even P50 is later,
        ``"n/a"`` without a deadline or a simulation.

    References
    ----------
    .. [1] D. T. Hulett, *Practical Schedule Risk Analysis*, 2009, ch. 1.

    Examples
    --------
    >>> schedule_rag(90.0, 95.2, 96.0), schedule_rag(90.0, 95.2, 92.0), schedule_rag(93, 97, 92)
    ('green', 'amber', 'red')
    """
    if _missing(p50) or _missing(p80) or _missing(deadline):
        return "n/a"
    if float(p80) <= float(deadline) + 1e-9:
        return "green"
    return "amber" if float(p50) <= float(deadline) + 1e-9 else "red"


def overall_rag(statuses: Iterable[str]) -> str:
    """The worst status among ``statuses`` (``n/a`` entries ignored; all ``n/a`` → ``n/a``).

    Examples
    --------
    >>> overall_rag(["green", "amber", "n/a"]), overall_rag(["n/a"])
    ('amber', 'n/a')
    """
    known = [check_option(s, RAG_ORDER + ("n/a",), "RAG status") for s in statuses]
    known = [s for s in known if s != "n/a"]
    return max(known, key=RAG_ORDER.index) if known else "n/a"


def executive_summary(evm_row: Mapping[str, Any] | pd.Series | None = None,
                      simulation: Any = None, deadline: float | None = None, *,
                      green: float = RAG_THRESHOLDS["green"],
                      amber: float = RAG_THRESHOLDS["amber"]) -> pd.DataFrame:
    """The RAG indicators of the executive summary, with the rule each one follows.

    Parameters
    ----------
    evm_row : Series or mapping, optional
        The status period of :func:`tpmkit.evm.metrics` (:func:`tpmkit.evm.latest`);
        ``spi``, ``cpi`` and ``spi_t`` are read. None: the three indices are ``n/a``.
    simulation : SimulationResult, optional
        Result of :func:`tpmkit.risk.simulate`; its P50 and P80 finish are compared with
        ``deadline``. None: the schedule-risk indicator is ``n/a``.
    deadline : float, optional
        Deadline [working days from the project start], e.g. ``project.deadline_offset``.
    green, amber : float
        Index bands (see :func:`index_rag`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``indicator`` (``SPI``, ``CPI``, ``SPI(t)``, ``P80 vs deadline``) with
        ``value`` (the index, or the P80 finish [working days]), ``target`` (1.0, or the
        deadline [working days]), ``rule`` (the thresholds in words) and ``status``; the
        overall status (the worst known one) is ``attrs["overall"]``.

    References
    ----------
    .. [1] PMBOK Guide, 6th ed., §7.4.2.2 and §10.3.3.1.
    .. [2] W. Lipke, The Measurable News, March 2003 (SPI(t) = ES/AT).

    Examples
    --------
    >>> t = executive_summary({"spi": 0.93, "cpi": 1.01, "spi_t": 0.96})
    >>> t["status"].tolist(), t.attrs["overall"]
    (['amber', 'green', 'green', 'n/a'], 'amber')
    """
    def get(key: str) -> float:
        if evm_row is None:
            return math.nan
        v = evm_row.get(key) if hasattr(evm_row, "get") else None
        return math.nan if _missing(v) else float(v)

    band = f"green ≥ {green:.2f}, amber ≥ {amber:.2f}, red below"
    rows = [(name, get(key), 1.0, band, index_rag(get(key), green, amber))
            for name, key in (("SPI", "spi"), ("CPI", "cpi"), ("SPI(t)", "spi_t"))]
    p50 = p80 = math.nan
    if simulation is not None:
        p50, p80 = (float(x) for x in simulation.percentile([50, 80]))
    target = math.nan if _missing(deadline) else float(deadline)
    rows.append(("P80 vs deadline", p80, target,
                 "green: P80 ≤ deadline; amber: P50 ≤ deadline; red: P50 later",
                 schedule_rag(p50, p80, target)))
    out = pd.DataFrame(rows, columns=["indicator", "value", "target", "rule", "status"])
    out = out.set_index("indicator")
    out.attrs["overall"] = overall_rag(out["status"])
    out.attrs["p50"] = p50
    return out


# --------------------------------------------------------------------------------------
# HTML pieces the notebook displays (styled by the report template)
# --------------------------------------------------------------------------------------
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
        return ("–" if pd.isna(ts) else ts.strftime(date_format)), False
    if isinstance(value, bool | np.bool_):
        return ("yes" if value else "no"), False
    if isinstance(value, int | float | np.integer | np.floating):
        return html.escape(format(value, fmt or ",.4g").replace("-", "−")), True
    return html.escape(str(value)), False


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
        ``<table class="report-table">…</table>``; numbers are right-aligned (``class="num"``).

    Examples
    --------
    >>> print(html_table(pd.DataFrame({"spi": [0.912]}, index=pd.Index([4], name="period")),
    ...                  {"spi": ".2f"}))
    <table class="report-table"><thead><tr><th class="num">period</th><th class="num">spi</th></tr></thead><tbody><tr><td class="num">4</td><td class="num">0.91</td></tr></tbody></table>
    """
    formats = dict(formats or {})
    cols = [c for c in df.columns if c != highlight]
    numeric = {c: pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in cols}
    head = []
    if index:
        idx_num = pd.api.types.is_numeric_dtype(df.index)
        head.append(f'<th{_NUM if idx_num else ""}>'
                    f'{html.escape(str(df.index.name or ""))}</th>')
    head += [f'<th{_NUM if numeric[c] else ""}>{html.escape(str(c))}</th>'
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
    return (f'<table class="report-table">{cap}<thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


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


# --------------------------------------------------------------------------------------
# inputs and shipped files
# --------------------------------------------------------------------------------------
def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes (hex), for the reproducibility section.

    Examples
    --------
    >>> from tpmkit import datasets
    >>> len(file_sha256(datasets.path("software_release")))
    64
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_source(source: str | os.PathLike, status_date: Any = None):
    """Read a project file or a bundled ``sample:NAME``; return ``(project, path)``.

    ``path`` is the file that was read (the bundled file for a sample), for hashing.

    Examples
    --------
    >>> project, path = read_source("sample:software_release")
    >>> path.name
    'software_release.yaml'
    """
    from tpmkit import datasets
    from tpmkit.evm import as_of
    from tpmkit.io import read

    text = str(source)
    if text.startswith("sample:"):
        name = text.split(":", 1)[1]
        project, path = datasets.load(name), datasets.path(name)
    else:
        path = Path(text)
        if not path.is_file():
            raise InputFileError(f"project file {text!r} not found; check the path "
                                 "(or name a bundled sample as sample:NAME)")
        project, path = read(path), path.resolve()
    # progress as it stood at the status date (rolled back through the status history)
    return (project if status_date is None else as_of(project, status_date)), path


def _shipped() -> Path:
    """Folder of the nbconvert report template (checkout or installed package)."""
    here = Path(__file__).resolve().parents[1] / "templates" / "report"
    if (here / "tpmkit_report").is_dir():
        return here
    try:
        return Path(str(resources.files("tpmkit._templates"))) / "report"
    except ModuleNotFoundError as exc:  # pragma: no cover - broken installation
        raise InputFileError("tpmkit's report template is missing; reinstall tpmkit") from exc


def notebook_path() -> Path:
    """The report notebook: ``notebooks/status_report.ipynb`` of a checkout, or the same file
    installed with the package (``tpmkit._notebooks``).

    Examples
    --------
    >>> notebook_path().name
    'status_report.ipynb'
    """
    here = Path(__file__).resolve().parents[1] / "notebooks" / _NOTEBOOK
    if here.is_file():
        return here
    try:
        return Path(str(resources.files("tpmkit._notebooks"))) / _NOTEBOOK
    except ModuleNotFoundError as exc:  # pragma: no cover - broken installation
        raise InputFileError("tpmkit's report notebook is missing; reinstall tpmkit") from exc


def template_dir() -> Path:
    """The folder holding the ``tpmkit_report`` nbconvert template.

    Examples
    --------
    >>> (template_dir() / "tpmkit_report" / "index.html.j2").is_file()
    True
    """
    return _shipped()


# --------------------------------------------------------------------------------------
# notebook -> HTML
# --------------------------------------------------------------------------------------
@dataclass
class ReportResult:
    """What :func:`render` wrote.

    Attributes
    ----------
    path : Path
        The HTML report.
    notebook : Path or None
        The executed notebook (``keep_notebook=True``).
    seconds : float
        Wall-clock time of the whole run [s].
    execute_seconds : float
        Time spent executing the notebook [s].
    size : int
        Size of the HTML file [bytes].
    metadata : dict
        Title-block data reported by the notebook (project, status date, overall RAG, …).
    """

    path: Path
    notebook: Path | None
    seconds: float
    execute_seconds: float
    size: int
    metadata: dict

    def __str__(self) -> str:
        kept = f"; executed notebook {self.notebook}" if self.notebook else ""
        return (f"wrote {self.path} ({self.size / 1e6:.1f} MB) in {self.seconds:.1f} s "
                f"(notebook {self.execute_seconds:.1f} s){kept}")


def offline_problems(page: str) -> list[str]:
    """Fragments of ``page`` that would make a browser fetch something from outside the file.

    Examples
    --------
    >>> offline_problems('<img src="data:image/png;base64,AA"><a href="#s1">x</a>')
    []
    >>> offline_problems('<script src="https://cdn.example/x.js"></script>')
    ['src="https:']
    """
    return [m.group(0) for m in _REMOTE.finditer(page)]


def _strip_remote(page: str) -> str:
    """Remove script/link tags that load from a URL (nbconvert's CDN defaults)."""
    page = re.sub(r"<script\b[^>]*\bsrc\s*=[^>]*>\s*</script>", "", page, flags=re.IGNORECASE)
    return re.sub(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:|//)[^>]*>", "", page,
                  flags=re.IGNORECASE)


def _add_toc(page: str) -> str:
    """Fill the template's ``<!-- tpmkit:toc -->`` marker from the ``<h2>`` section headings."""
    heads = re.findall(r'<h2 id="([^"]+)"[^>]*>(.*?)(?:<a class="anchor-link"[^>]*>.*?</a>)?</h2>',
                       page, flags=re.DOTALL)
    items = "".join(f'<li><a href="#{hid}">{re.sub(r"<[^>]+>", "", text).strip()}</a></li>'
                    for hid, text in heads)
    nav = f'<nav class="toc" aria-label="Contents"><h2 class="toc-title">Contents</h2><ol>{items}</ol></nav>' \
        if items else ""
    return page.replace("<!-- tpmkit:toc -->", nav, 1)


def _report_metadata(nb: Any) -> dict:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if METADATA_MIME in data:
                value = data[METADATA_MIME]
                return json.loads(value) if isinstance(value, str) else dict(value)
    return {}


def _export(nb: Any) -> str:
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_anchor_links = False
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = ("remove-cell", "parameters", "injected-parameters")
    c.TagRemovePreprocessor.remove_all_outputs_tags = ("remove-output",)
    exporter = HTMLExporter(config=c, template_name=_TEMPLATE,
                            extra_template_basedirs=[str(template_dir())])
    exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    page, _ = exporter.from_notebook_node(nb)
    return page


def _quiet_kernel_manager(log: Any) -> type:
    """A kernel manager class whose kernel writes stdout/stderr to ``log``, not the terminal.

    nbclient creates (and so owns and shuts down) the manager from this class.
    """
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw: Any) -> None:
            kw.setdefault("stdout", log)
            kw.setdefault("stderr", log)
            await super().start_kernel(**kw)

    return QuietKernelManager


def _tail(path: Path, lines: int = 3) -> str:
    """The last lines of the kernel log, without ipykernel's routine transport warning."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    text = [t.strip() for t in text if t.strip() and "without encryption" not in t]
    return " | ".join(text[-lines:])


def render(source: str | os.PathLike, output: str | os.PathLike | None = None, *,
           status_date: Any = None, iterations: int = 2000, seed: int = 2027,
           title: str | None = None, keep_notebook: bool = False,
           timeout: float = 600.0) -> ReportResult:
    """Execute the report notebook on a project and write one self-contained HTML file.

    Parameters
    ----------
    source : path or str
        Project file (any format :func:`tpmkit.read` takes) or ``sample:NAME``.
    output : path, optional
        HTML file to write (default ``<input stem>_report.html`` in the working directory).
        Written through a temporary file and renamed; never the input file.
    status_date : date, optional
        Status (data) date; default the file's.
    iterations : int
        Monte Carlo iterations (≥ 1).
    seed : int
        Random seed (≥ 0); the same seed reproduces the report's numbers.
    title : str, optional
        Report title (default "Project status report").
    keep_notebook : bool
        Also write the executed notebook beside the HTML (``.ipynb`` suffix).
    timeout : float
        Limit per notebook cell [s] (rounded up to whole seconds); the kernel start is
        limited to 60 s.

    Returns
    -------
    ReportResult

    Raises
    ------
    InputFileError
        Missing input, or an output path equal to the input.
    ValidationError
        Bad iterations, seed or timeout, or invalid project data (raised before any
        notebook runs).
    DataError
        The Jupyter stack is missing, the kernel did not start or died, a notebook cell
        failed (tpmkit errors raised in the kernel keep their class) or ran over ``timeout``.
    """
    start = time.perf_counter()
    if int(iterations) != iterations or iterations < 1:
        raise ValidationError(f"iterations must be a positive whole number, got {iterations}")
    if int(seed) != seed or seed < 0:
        raise ValidationError(f"seed must be a non-negative whole number, got {seed}")
    if not timeout > 0:
        raise ValidationError(f"timeout must be positive [s], got {timeout}")
    try:
        import nbformat
        import papermill
        from jupyter_client.kernelspec import NoSuchKernel
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
    except ImportError as exc:
        raise DataError("the report needs the Jupyter stack (papermill, nbconvert, ipykernel); "
                        "install it with: pip install 'tpmkit[lab]'") from exc
    # validate the input here: one clean error instead of a failed notebook cell
    _, path = read_source(source, status_date)
    text = str(source)
    param_source = text if text.startswith("sample:") else str(path)
    if output is None:
        stem = text.split(":", 1)[1] if text.startswith("sample:") else path.stem
        output = Path(f"{stem}_report.html")
    output = Path(output)
    refuse_overwrite(output, path, fix="choose another output path with -o")
    params = {"project_file": param_source, "status_date": None if status_date is None
              else str(pd.Timestamp(status_date).date()), "iterations": int(iterations),
              "seed": int(seed), "title": title or ""}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tpmkit-report-") as tmp:
        executed = Path(tmp) / "executed.ipynb"
        log_path = Path(tmp) / "kernel.log"
        # papermill/nbclient log through the "papermill" logger; without handlers Python's
        # last-resort handler would print them: the error below says it in one line instead
        quiet = logging.NullHandler()
        logging.getLogger("papermill").addHandler(quiet)
        try:
            with open(log_path, "w", encoding="utf-8") as log:
                papermill.execute_notebook(
                    str(notebook_path()), str(executed), parameters=params, cwd=tmp,
                    kernel_name="python3", execution_timeout=math.ceil(timeout), start_timeout=60,
                    progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                    kernel_manager_class=_quiet_kernel_manager(log))
        except papermill.PapermillExecutionError as exc:
            from tpmkit import errors

            cls = getattr(errors, str(exc.ename), None)
            if isinstance(cls, type) and issubclass(cls, errors.TpmkitError):
                raise cls(str(exc.evalue)) from None
            raise DataError(f"the report notebook failed in cell {exc.exec_count}: {exc.ename}: "
                            f"{exc.evalue}; rerun with --keep-notebook to inspect it") from None
        except CellTimeoutError as exc:
            why = " ".join(str(exc).split()).split(". ")[0][:200]
            raise DataError(f"the report notebook did not finish (CellTimeoutError: {why}); "
                            f"raise --timeout (now {timeout:g} s) or lower --iterations"
                            ) from None
        except (DeadKernelError, NoSuchKernel, RuntimeError) as exc:
            if isinstance(exc, RuntimeError) and not isinstance(exc, DeadKernelError) \
                    and "respond" not in str(exc):
                raise
            kernel = _tail(log_path)
            raise DataError(f"the Jupyter kernel did not start or died ({type(exc).__name__}: "
                            f"{' '.join(str(exc).split())[:200]}"
                            f"{'; kernel log: ' + kernel if kernel else ''}); check that "
                            "ipykernel is installed: pip install 'tpmkit[lab]'") from None
        finally:
            logging.getLogger("papermill").removeHandler(quiet)
        nb = nbformat.read(executed, as_version=4)
    execute_seconds = time.perf_counter() - t0
    meta = _report_metadata(nb)
    nb.metadata["tpmkit_report"] = meta
    nb.metadata["title"] = meta.get("title") or "Project status report"
    page = _add_toc(_strip_remote(_export(nb)))
    problems = offline_problems(page)
    if problems:
        raise DataError(f"the exported report refers to outside resources "
                        f"({', '.join(sorted(set(problems))[:5])}); remove them from the "
                        "notebook outputs so the file works offline")
    from tpmkit.cli._common import write_text_atomic

    write_text_atomic(output, page, inputs=(path,))
    kept = None
    if keep_notebook:
        kept = output.with_suffix(".ipynb")
        write_text_atomic(kept, nbformat.writes(nb), inputs=(path,))
    return ReportResult(path=output, notebook=kept, seconds=time.perf_counter() - start,
                        execute_seconds=execute_seconds, size=output.stat().st_size,
                        metadata=meta)
