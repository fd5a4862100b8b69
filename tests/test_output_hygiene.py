"""Output hygiene: what a user sees in an executed notebook or in the report is never raw Python.

Every notebook found in ``notebooks/`` (whoever wrote it) is executed on a copy and its outputs
are scanned for the defects a trainee or a steering committee would see: a figure printed as
``<Figure size …>``, a traceback, a warning with a source path (``…/x.py:47: TpmkitWarning``,
``ipykernel_…:14:``), missing values shown as ``nan``/``NaN``/``None``/``NaT`` in table cells,
bare ``None`` results, raw tuples/dicts of numbers, and six-decimal float padding
(``38.000000``). The HTML status report is scanned the same way, plus the report's own rule:
no internal names or raw engine wording (``eac_t_pv1``, ``set to NaN``, ``PD = 5``,
``critical_path_test``). :func:`problems` is tested on a notebook that has every defect, so a
clean result can fail.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

_FIGURE = re.compile(r"<Figure size \d+(?:\.\d+)?x\d+")
_WARNING_PATH = re.compile(r"(?:\.py|ipykernel_\d+/\d+\.py|<ipython-input-[^>]*>):\d+: \w*Warning")
_CELL_MISSING = re.compile(r"<t[dh][^>]*>\s*(?:nan|NaN|None|NaT|&lt;NA&gt;|<NA>)\s*</t[dh]>")
_CELL_PADDED = re.compile(r"<td[^>]*>\s*-?\d[\d,]*\.\d{6}\s*</td>")
_WORD_MISSING = re.compile(r"(?<![\w.'\"])(?:nan|NaN|None|NaT)(?![\w'\"(])")
_RAW_REPR = re.compile(r"^\s*(?:\(\s*['\"\d(-].*\)|\{\s*['\"\d].*\}|\[\s*\(.*\)\s*\])\s*$", re.DOTALL)
_INTERNAL = [re.compile(p) for p in (r"\beac_t_(?:pv|ed|es)\d\b", r"set to NaN", r"\bPD = \d",
                                     r"\bcritical_path_test\b")]
_WIDGET = "application/vnd.jupyter.widget-view+json"


def _texts(output: dict) -> tuple[str, str, str]:
    """(html, plain, stream) text of one output."""
    data = output.get("data", {})

    def as_text(v: object) -> str:
        return "".join(v) if isinstance(v, list) else str(v or "")

    stream = as_text(output.get("text", "")) if output.get("output_type") == "stream" else ""
    return as_text(data.get("text/html", "")), as_text(data.get("text/plain", "")), stream


def page_problems(page: str, where: str = "report") -> list[str]:
    """Hygiene defects of an HTML page (the status report, or one HTML output)."""
    found = []
    if _FIGURE.search(page):
        found.append(f"{where}: a figure printed as text ({_FIGURE.search(page).group(0)}…)")
    if "Traceback" in page:
        found.append(f"{where}: a traceback")
    if _WARNING_PATH.search(page):
        found.append(f"{where}: a warning with a source path ({_WARNING_PATH.search(page).group(0)})")
    for m in _CELL_MISSING.finditer(page):
        found.append(f"{where}: a missing value shown as {m.group(0)!r}")
    for m in _CELL_PADDED.finditer(page):
        found.append(f"{where}: an unformatted number {m.group(0)!r}")
    return found


def problems(nb) -> list[str]:
    """Hygiene defects of an executed notebook, one line each (cell number and what)."""
    found = []
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            where = f"cell {k}"
            if out.get("output_type") == "error":
                found.append(f"{where}: {out.get('ename')}: {out.get('evalue')} (a traceback)")
                continue
            page, plain, stream = _texts(out)
            if _WIDGET in out.get("data", {}):
                continue   # a live widget; its text/plain is only the kernel-less fallback
            found += page_problems(page, where)
            drawn = "image/png" in out.get("data", {})   # its text/plain is the fallback
            for text, kind in ((plain, "result"), (stream, "printed text")):
                if _FIGURE.search(text) and not (drawn and text is plain):
                    found.append(f"{where}: a figure printed as text ({_FIGURE.search(text).group(0)}…)")
                if "Traceback" in text:
                    found.append(f"{where}: a traceback in the {kind}")
                if _WARNING_PATH.search(text):
                    found.append(f"{where}: a warning with a source path "
                                 f"({_WARNING_PATH.search(text).group(0)})")
            shown_plain = plain if not page and "image/png" not in out.get("data", {}) else ""
            for text, kind in ((shown_plain, "result"), (stream, "printed text")):
                m = _WORD_MISSING.search(text)
                if m:
                    found.append(f"{where}: {m.group(0)!r} in the {kind}: "
                                 f"{text[max(0, m.start() - 40):m.end() + 20]!r}")
            if shown_plain and _RAW_REPR.match(shown_plain):
                found.append(f"{where}: a raw Python value as the result: {shown_plain[:60]!r}")
    return found


def report_problems(page: str) -> list[str]:
    """:func:`page_problems` plus the report's own rule: no internal names or engine wording."""
    text = re.sub(r"<style>.*?</style>", "", page, flags=re.DOTALL)
    found = page_problems(text)
    for pattern in _INTERNAL:
        m = pattern.search(re.sub(r"<[^>]+>", " ", text))
        if m:
            found.append(f"report: internal name or raw engine wording {m.group(0)!r}")
    return found


# --------------------------------------------------------------------------------------
# the checker itself
# --------------------------------------------------------------------------------------
def _output(kind: str, **kw) -> dict:
    if kind == "stream":
        return nbformat.v4.new_output("stream", name=kw.get("name", "stdout"), text=kw["text"])
    if kind == "error":
        return nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[])
    return nbformat.v4.new_output("execute_result", data=kw["data"], execution_count=1)


def test_problems_finds_every_kind_of_defect():
    """Positive control: each defect of issue 17 is found, and the clean outputs pass."""
    dirty = [
        _output("execute_result", data={"text/plain": "<Figure size 600x340 with 1 Axes>"}),
        _output("error"),
        _output("stream", name="stderr", text="/x/tpmkit/cli/_common.py:47: TpmkitWarning: y\n"),
        _output("stream", name="stderr", text="/tmp/ipykernel_123/456.py:14: EVMWarning: z\n"),
        _output("execute_result", data={"text/html": "<table><tr><td>NaN</td></tr></table>",
                                        "text/plain": "x"}),
        _output("execute_result", data={"text/html": "<td>38.000000</td>", "text/plain": "x"}),
        _output("execute_result", data={"text/plain": "None"}),
        _output("execute_result", data={"text/plain": "('E4',)"}),
        _output("execute_result", data={"text/plain": "{'p50': 41.23, 'p80': 44.1}"}),
        _output("stream", text="P80 = nan working days\n"),
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[o])
                                         for o in dirty])
    found = problems(nb)
    assert [int(f.split()[1].rstrip(":")) for f in found] == list(range(len(dirty))), found
    clean = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[
        _output("stream", text="critical path: A → B\nP80 = 44.1 working days\n"),
        _output("execute_result", data={"text/html": "<table><tr><td>–</td><td>38</td></tr>"
                                                     "</table>", "text/plain": "df"}),
        _output("execute_result", data={"image/png": "AA", "text/plain": "<Figure ...>"}),
        _output("execute_result", data={_WIDGET: {"model_id": "1"},
                                        "text/plain": "VBox(children=(None,))"})])])
    assert problems(clean) == []
    assert report_problems("<p>eac_t_pv1 and PD = 5; set to NaN</p>") == [
        "report: internal name or raw engine wording 'eac_t_pv1'",
        "report: internal name or raw engine wording 'set to NaN'",
        "report: internal name or raw engine wording 'PD = 5'"]


# --------------------------------------------------------------------------------------
# every notebook, executed
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def notebook_copy(tmp_path_factory) -> Path:
    """A copy of notebooks/ to execute in (notebooks may write files beside themselves)."""
    folder = tmp_path_factory.mktemp("notebooks")
    for nb in NOTEBOOKS:
        shutil.copy(nb, folder / nb.name)
    return folder


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("name", [nb.name for nb in NOTEBOOKS])
def test_executed_notebook_shows_no_raw_python(name, notebook_copy, monkeypatch):
    pytest.importorskip("nbclient", reason="the notebooks need the Jupyter stack: "
                                           "pip install 'tpmkit[lab]'")
    from nbclient import NotebookClient

    monkeypatch.setenv("TPMKIT_ITERATIONS", os.environ.get("TPMKIT_ITERATIONS", "300"))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    path = notebook_copy / name
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=900, startup_timeout=120, kernel_name="python3",
                   allow_errors=True, resources={"metadata": {"path": str(notebook_copy)}}
                   ).execute()
    found = problems(nb)
    assert found == [], f"{name}:\n" + "\n".join(found[:20])


@pytest.mark.slow
def test_report_shows_no_raw_python_or_internal_names():
    from test_report import rendered_sample

    page = rendered_sample()[1].path.read_text(encoding="utf-8")
    assert report_problems(page) == []
