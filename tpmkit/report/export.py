"""The HTML status report: the report notebook → one self-contained, offline HTML file.

:func:`render` executes the parameterised report notebook (``notebooks/status_report.ipynb``,
shipped inside the package as ``tpmkit._notebooks/status_report.ipynb``) with papermill in a
temporary working directory, exports it with nbconvert through the ``tpmkit_report`` template
(title block, table of contents, styled tables, code hidden, print-friendly) and writes **one
self-contained HTML file**: images are data URIs, the stylesheet is inline, and no element
refers to anything outside the file. The notebook computes nothing itself: it displays the
fields of :class:`tpmkit.report.data.ReportData`.
"""

from __future__ import annotations

import html
import json
import logging
import math
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from tpmkit._files import refuse_overwrite, write_text_atomic
from tpmkit.datasets import read_source
from tpmkit.errors import DataError, InputFileError, ValidationError, check_option

__all__ = ["INLINE_BACKEND", "METADATA_MIME", "ReportResult", "chart_problems", "notebook_path",
           "offline_problems", "render", "template_dir"]

#: MIME type of the notebook output that carries the title-block data to the template.
METADATA_MIME = "application/vnd.tpmkit.report+json"

#: matplotlib backend of the report kernel, whatever the caller's ``MPLBACKEND``
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# a figure printed by a non-inline backend: "<Figure size 1000x1428 with 1 Axes>" (escaped)
_FIGURE_TEXT = re.compile(r"&lt;Figure size [^&<>]{1,60}&gt;")

_TEMPLATE = "tpmkit_report"
_NOTEBOOK = "status_report.ipynb"
#: Report kinds and their notebooks (``tpmkit report FILE --kind KIND``).
REPORT_KINDS = {"status": _NOTEBOOK, "closure": "closure_report.ipynb"}
# Markup that would make a browser fetch something: src/href/url() pointing off the file.
_REMOTE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:|ftp:|//))"""
    r"""|(?:url\(\s*["']?\s*(?:https?:|//))|(?:@import\s)""",
    re.IGNORECASE)


# --------------------------------------------------------------------------------------
# inputs and shipped files
# --------------------------------------------------------------------------------------
def _shipped() -> Path:
    """Folder of the nbconvert report template (checkout or installed package)."""
    here = Path(__file__).resolve().parents[2] / "templates" / "report"
    if (here / "tpmkit_report").is_dir():
        return here
    try:
        return Path(str(resources.files("tpmkit._templates"))) / "report"
    except ModuleNotFoundError as exc:  # pragma: no cover - broken installation
        raise InputFileError("tpmkit's report template is missing; reinstall tpmkit") from exc


def notebook_path(kind: str = "status") -> Path:
    """The report notebook: ``notebooks/status_report.ipynb`` of a checkout, or the same file
    installed with the package (``tpmkit._notebooks``); ``kind="closure"`` gives
    ``closure_report.ipynb``.

    Examples
    --------
    >>> notebook_path().name, notebook_path("closure").name
    ('status_report.ipynb', 'closure_report.ipynb')
    """
    name = REPORT_KINDS[check_option(kind, tuple(REPORT_KINDS), "report kind")]
    here = Path(__file__).resolve().parents[2] / "notebooks" / name
    if here.is_file():
        return here
    try:
        return Path(str(resources.files("tpmkit._notebooks"))) / name
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


def chart_problems(page: str) -> list[str]:
    """Figures of ``page`` that were printed as text instead of drawn (a non-inline backend).

    Examples
    --------
    >>> chart_problems('<img src="data:image/png;base64,AA">')
    []
    >>> chart_problems('<pre>&lt;Figure size 1000x1428 with 1 Axes&gt;</pre>')
    ['<Figure size 1000x1428 with 1 Axes>']
    """
    return [html.unescape(m.group(0)) for m in _FIGURE_TEXT.finditer(page)]


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
            # the report draws inline whatever the caller's MPLBACKEND (Agg on servers and in
            # cron would turn every chart into the text "<Figure size …>")
            env = dict(kw.get("env") or os.environ)
            env["MPLBACKEND"] = INLINE_BACKEND
            kw["env"] = env
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


def _items_param(items: str | os.PathLike | None) -> str:
    """The work-items file as the notebook (run in a temporary folder) must see it."""
    if items is None or str(items).startswith("sample:"):
        return "" if items is None else str(items)
    p = Path(items)
    if not p.is_file():
        raise InputFileError(f"work items file not found: {str(p)!r}; check the --items path")
    return str(p.resolve())
def _stage_hook(say: Callable[[str], Any], iterations: int) -> Callable[..., None]:
    """An nbclient ``on_cell_start`` hook that reports the simulation and rendering stages.

    The cell that calls ``build_report_data`` simulates; the cells after it draw the charts.
    """
    seen: dict[str, int] = {}

    def hook(cell: Any = None, cell_index: int = 0, **_: Any) -> None:
        source = str(getattr(cell, "source", "") or "")
        if "simulating" not in seen and "build_report_data(" in source:
            seen["simulating"] = cell_index
            say(f"simulating {iterations:,} iterations")
        elif "simulating" in seen and "rendering" not in seen \
                and cell_index > seen["simulating"] and getattr(cell, "cell_type", "") == "code":
            seen["rendering"] = cell_index
            say("rendering")

    return hook


def _execute(report_notebook: Path, params: dict, *, timeout: float,
             say: Callable[[str], Any], iterations: int) -> Any:
    """Run the report notebook with papermill; kernel and cell failures as one clean error."""
    import nbformat
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

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
                    str(report_notebook), str(executed), parameters=params, cwd=tmp,
                    kernel_name="python3", execution_timeout=math.ceil(timeout), start_timeout=60,
                    progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                    kernel_manager_class=_quiet_kernel_manager(log),
                    on_cell_start=_stage_hook(say, int(iterations)))
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
    return nb


def _import_jupyter_stack() -> None:
    """Import papermill, nbclient and nbformat (ImportError when one is missing).

    nbformat validates notebooks with jsonschema, whose format checker imports
    ``rfc3987_syntax`` when it is installed (JupyterLab's ``jupyter-events`` pulls it in)
    for the ``iri`` format only; that import compiles a Lark grammar and takes ~2 s, and no
    notebook schema uses the format. While jsonschema is first imported here, that module
    reads as absent (jsonschema then leaves the ``iri`` check out, as it does without it);
    a process that imported jsonschema before is left as it is.
    """
    import sys

    block = "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules
    if block:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # import → ImportError
    try:
        import jupyter_client  # noqa: F401
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
        import papermill  # noqa: F401
    finally:
        if block and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]


def render(source: str | os.PathLike, output: str | os.PathLike | None = None, *,
           status_date: Any = None, iterations: int = 2000, seed: int = 2027,
           title: str | None = None, keep_notebook: bool = False,
           timeout: float = 600.0, items: str | os.PathLike | None = None,
           kind: str = "status", progress: Callable[[str], Any] | None = None
           ) -> ReportResult:
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
    items : path or str, optional
        Work items (Jira CSV export, CSV/XLSX table or ``sample:NAME``) for the agile
        section; default the project file's own ``items`` part (no section without one).
    kind : str
        ``"status"`` (the status report) or ``"closure"`` (the closure report,
        ``notebooks/closure_report.ipynb``).
    progress : callable, optional
        ``progress(stage)`` at the start of each stage: ``"reading FILE"``, ``"scheduling"``,
        ``"simulating 2,000 iterations"``, ``"rendering"`` (the CLI prints them on stderr).

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
    report_notebook = notebook_path(kind)
    if int(iterations) != iterations or iterations < 1:
        raise ValidationError(f"iterations must be a positive whole number, got {iterations}")
    if int(seed) != seed or seed < 0:
        raise ValidationError(f"seed must be a non-negative whole number, got {seed}")
    if not timeout > 0:
        raise ValidationError(f"timeout must be positive [s], got {timeout}")
    try:
        _import_jupyter_stack()
        import nbformat
    except ImportError as exc:
        raise DataError("the report needs the Jupyter stack (papermill, nbconvert, ipykernel); "
                        "install it with: pip install 'tpmkit[lab]'") from exc
    say = progress or (lambda stage: None)
    # cheap checks first, so a bad option is one error line with no stage line before it
    from tpmkit.model.calendar import parse_date

    parse_date(status_date, "status date")
    text = str(source)
    if not text.startswith("sample:"):
        if not Path(text).exists():
            raise InputFileError(f"file not found: {text!r}; check the path "
                                 "(or name a bundled sample as sample:NAME)")
        if output is not None:
            refuse_overwrite(Path(output), Path(text).resolve(),
                             fix="choose another output path with -o")
    say(f"reading {source}")
    # validate the input here: one clean error instead of a failed notebook cell
    project, path = read_source(source, status_date)
    say("scheduling")
    # the network too (loops, bad links): refused before a kernel starts
    from tpmkit.cpm import schedule as cpm_schedule

    cpm_schedule(project)
    text = str(source)
    param_source = text if text.startswith("sample:") else str(path)
    if output is None:
        stem = text.split(":", 1)[1] if text.startswith("sample:") else path.stem
        output = Path(f"{stem}_report.html")
    output = Path(output)
    refuse_overwrite(output, path, fix="choose another output path with -o")
    params = {"project_file": param_source, "status_date": None if status_date is None
              else str(pd.Timestamp(status_date).date()), "iterations": int(iterations),
              "seed": int(seed), "title": title or "", "items_file": _items_param(items)}
    t0 = time.perf_counter()
    nb = _execute(report_notebook, params, timeout=timeout, say=say,
                  iterations=int(iterations))
    execute_seconds = time.perf_counter() - t0
    say(f"writing {output}")
    meta = _report_metadata(nb)
    meta.setdefault("kind", kind)
    nb.metadata["tpmkit_report"] = meta
    nb.metadata["title"] = meta.get("title") or f"Project {kind} report"
    page = _add_toc(_strip_remote(_export(nb)))
    lost = chart_problems(page)
    if lost:
        raise DataError(f"the report's charts were not drawn ({len(lost)} printed as text, e.g. "
                        f"{lost[0]!r}); the report kernel needs matplotlib's inline backend "
                        "(pip install matplotlib-inline ipykernel)")
    problems = offline_problems(page)
    if problems:
        raise DataError(f"the exported report refers to outside resources "
                        f"({', '.join(sorted(set(problems))[:5])}); remove them from the "
                        "notebook outputs so the file works offline")
    write_text_atomic(output, page, inputs=(path,))
    kept = None
    if keep_notebook:
        kept = output.with_suffix(".ipynb")
        write_text_atomic(kept, nbformat.writes(nb), inputs=(path,))
    return ReportResult(path=output, notebook=kept, seconds=time.perf_counter() - start,
                        execute_seconds=execute_seconds, size=output.stat().st_size,
                        metadata=meta)
