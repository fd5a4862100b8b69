"""tpmkit.report and ``tpmkit report``: RAG rules, report tables, notebook, one offline HTML file.

The RAG bands follow the report's stated rules (SPI/CPI/SPI(t): green ≥ 0.95, amber ≥ 0.90;
schedule: P80 ≤ deadline green, P50 ≤ deadline amber). The end-to-end tests render the
bundled tracking sample once per session (``rendered_sample``, also used by the browser test)
with a small iteration count, and a bare plan without progress, periods, risks or deadline
to check that absent data gives one line per section instead of a failure.
"""

from __future__ import annotations

import atexit
import functools
import json
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit import datasets, report
from tpmkit.cli import main
from tpmkit.errors import InputFileError, OptionError, ValidationError
from tpmkit.report import export

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ["Executive summary", "Key dates and milestones", "Schedule", "Earned value",
            "Earned schedule forecast", "Schedule risk (Monte Carlo)", "Risk register",
            "Schedule health (DCMA-14)", "Quality, issues and decisions",
            "Assumptions and reproducibility"]


# --------------------------------------------------------------------------------------
# RAG rules
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), [
    (1.20, "green"), (0.95, "green"), (0.9499, "amber"), (0.90, "amber"), (0.8999, "red"),
    (0.0, "red"), (float("nan"), "n/a"), (None, "n/a")])
def test_index_rag_bands_are_inclusive_at_the_lower_bound(value, expected):
    assert report.index_rag(value) == expected


def test_index_rag_custom_bands_and_bad_order():
    assert report.index_rag(0.97, green=0.98, amber=0.96) == "amber"
    with pytest.raises(ValidationError, match="green 0.9 < amber 0.95"):
        report.index_rag(1.0, green=0.9, amber=0.95)


@pytest.mark.parametrize(("p50", "p80", "deadline", "expected"), [
    (90.0, 95.0, 95.0, "green"), (90.0, 95.0, 94.9, "amber"), (90.0, 95.0, 90.0, "amber"),
    (90.0, 95.0, 89.9, "red"), (90.0, 95.0, None, "n/a"), (None, None, 92.0, "n/a")])
def test_schedule_rag(p50, p80, deadline, expected):
    assert report.schedule_rag(p50, p80, deadline) == expected


def test_overall_rag_is_the_worst_known_status():
    assert report.overall_rag(["green", "red", "amber"]) == "red"
    assert report.overall_rag(["n/a", "green"]) == "green"
    assert report.overall_rag([]) == "n/a"
    with pytest.raises(OptionError, match="purple"):
        report.overall_rag(["purple"])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.floats(0, 2), st.floats(0, 2))
def test_index_rag_is_monotone(a, b):
    """A better index never gets a worse status."""
    lo, hi = sorted((a, b))
    order = {"green": 0, "amber": 1, "red": 2}
    assert order[report.index_rag(hi)] <= order[report.index_rag(lo)]


def _simulation(project_deadline: float | None = None):
    tasks = pd.DataFrame({"id": ["A", "B", "C"], "optimistic": [2, 3, 1],
                          "most_likely": [4, 5, 2], "pessimistic": [9, 10, 4],
                          "predecessors": ["", "A", "A"]})
    project = tpmkit.read(tasks, deadline=project_deadline) if project_deadline else \
        tpmkit.read(tasks)
    return tpmkit.risk.simulate(project, 2000, rng=5, progress=False)


def test_executive_summary_uses_the_simulated_percentiles():
    sim = _simulation()
    p50, p80 = sim.percentile([50, 80])
    between = (p50 + p80) / 2
    row = pd.Series({"spi": 0.96, "cpi": 0.91, "spi_t": 0.85})
    for deadline, expected in ((p80 + 0.5, "green"), (between, "amber"), (p50 - 0.5, "red")):
        t = report.executive_summary(row, sim, deadline)
        assert t.table.loc["P80 vs deadline", "status"] == expected
        assert t.table.loc["P80 vs deadline", "value"] == pytest.approx(p80)
        assert t.table.loc["P80 vs deadline", "target"] == deadline
    assert t.table["status"].tolist() == ["green", "amber", "red", "red"]
    assert t.overall == "red"
    assert "green ≥ 0.95, amber ≥ 0.90" in t.table.loc["SPI", "rule"]


def test_executive_summary_without_data_is_all_na():
    t = report.executive_summary()
    assert (t.table["status"] == "n/a").all() and t.overall == "n/a"
    assert t.table["value"].isna().all()


def test_executive_summary_on_the_sample_matches_evm():
    project = datasets.load("software_release_tracking", status_date="2027-04-30")
    with pytest.warns(tpmkit.evm.EVMWarning, match="TCPI"):
        row = tpmkit.evm.latest(tpmkit.evm.metrics(project))
    t = report.executive_summary(row)
    assert t.table.loc["SPI", "value"] == pytest.approx(175875 / 243660)
    assert t.table.loc["CPI", "value"] == pytest.approx(175875 / 247830)
    assert t.table.loc[["SPI", "CPI", "SPI(t)"], "status"].tolist() == ["red"] * 3


# --------------------------------------------------------------------------------------
# HTML pieces
# --------------------------------------------------------------------------------------
def test_html_table_escapes_formats_and_marks():
    df = pd.DataFrame({"name": ["<script>alert(1)</script>", "B & C"], "cost": [1234.5, np.nan],
                       "when": [pd.Timestamp("2027-04-30"), pd.NaT], "status": ["red", "n/a"],
                       "badge": ['<span class="rag rag-green">PASS</span>', ""],
                       "now": [True, False]}, index=pd.Index(["T1", "T2"], name="id"))
    out = report.html_table(df, {"cost": ",.0f"}, html_columns=("badge",), highlight="now",
                            caption="x < y")
    assert "<script>" not in out and "&lt;script&gt;" in out and "B &amp; C" in out
    assert '<td class="num">1,234</td>' in out and "<td>30\u00a0Apr\u00a02027</td>" in out
    assert out.count("<td>–</td>") == 2  # NaN and NaT
    assert '<span class="rag rag-red">RED</span>' in out and "rag-na" in out
    assert '<span class="rag rag-green">PASS</span>' in out  # trusted column not escaped
    assert '<tr class="hl">' in out and out.count("<tr") == 3 and ">now<" not in out
    assert "<caption>x &lt; y</caption>" in out


def test_html_table_minus_sign_and_date_format():
    df = pd.DataFrame({"cv": [-71955.0], "d": [pd.Timestamp("2027-04-30")]})
    out = report.html_table(df, {"cv": ",.0f"}, index=False, date_format="%Y-%m-%d")
    assert '<td class="num">−71,955</td>' in out and "<td>2027-04-30</td>" in out


def test_kpi_cards_and_badges():
    out = report.kpi_cards([("SPI", "0.72", "red", "EV / PV"), ("ES", "2.7", None, "periods")])
    assert out.count('<div class="kpi ') + out.count('<div class="kpi"') == 2
    assert "kpi-red" in out and out.count("rag-red") == 1
    assert report.rag_badge("n/a") == '<span class="rag rag-na">N/A</span>'
    with pytest.raises(OptionError, match="RAG status"):
        report.rag_badge("blue")


@pytest.mark.parametrize("fragment", [
    '<script src="https://cdn.jsdelivr.net/npm/mathjax.js"></script>',
    '<link rel="stylesheet" href="http://example.com/x.css">',
    "<style>@import url(foo.css);</style>",
    "<div style=\"background: url('https://x/y.png')\"></div>",
    '<img src="//cdn.example/x.png">'])
def test_offline_problems_finds_remote_references(fragment):
    assert report.offline_problems(fragment)


def test_strip_remote_and_toc():
    page = ('<head><script src="https://cdn/require.js"></script>'
            '<link rel="stylesheet" href="https://cdn/x.css"></head><body><!-- tpmkit:toc -->'
            '<h2 id="Executive-summary">Executive summary<a class="anchor-link" '
            'href="#Executive-summary">¶</a></h2><h2 id="Risk-register">Risk register</h2>')
    clean = export._add_toc(export._strip_remote(page))
    assert report.offline_problems(clean) == []
    assert re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', clean) == [
        ("Executive-summary", "Executive summary"), ("Risk-register", "Risk register")]


def test_file_sha256_and_read_source(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("id,duration\nA,3\n")
    # reference value from coreutils: printf 'id,duration\nA,3\n' | sha256sum
    assert report.file_sha256(f) == \
        "cfa56d7bc0147a97c7f983197112b15075a59918c72d39e496ad03f299bc3600"
    project, path = report.read_source(f, status_date="2027-01-05")
    assert path == f.resolve() and list(project.tasks.index) == ["A"]
    with pytest.raises(InputFileError, match="nope.csv"):
        report.read_source(tmp_path / "nope.csv")
    with pytest.raises(InputFileError, match="unknown dataset 'nope'"):
        report.read_source("sample:nope")


# --------------------------------------------------------------------------------------
# the notebook and the shipped template
# --------------------------------------------------------------------------------------
def test_notebook_is_stripped_parameterised_and_shipped():
    source = ROOT / "notebooks" / "status_report.ipynb"
    assert report.notebook_path() == source      # one notebook; the wheel ships notebooks/
    nb = nbformat.read(source, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    names = set(re.findall(r"^(\w+) =", params[0].source, flags=re.MULTILINE))
    assert names == {"project_file", "status_date", "iterations", "seed", "title", "items_file"}
    assert "TPMKIT_ITERATIONS" in params[0].source
    headings = [line[3:] for c in nb.cells if c.cell_type == "markdown"
                for line in c.source.splitlines() if line.startswith("## ")]
    assert headings == SECTIONS


def test_installed_layout_finds_the_packaged_notebook(monkeypatch, tmp_path):
    """Without a checkout beside the module, the files come from the installed package."""
    pytest.importorskip("tpmkit._notebooks", reason="tpmkit is not installed (pip install -e .)")
    monkeypatch.setattr(export, "__file__",
                        str(tmp_path / "site-packages" / "tpmkit" / "report" / "x.py"))
    nb = report.notebook_path()
    assert nb.is_file() and nb.name == "status_report.ipynb"
    assert (report.template_dir() / "tpmkit_report" / "conf.json").is_file()
    assert not str(nb).startswith(str(tmp_path))


def test_template_has_no_remote_references():
    folder = report.template_dir() / "tpmkit_report"
    for f in folder.iterdir():
        assert report.offline_problems(f.read_text()) == [], f.name
    assert json.loads((folder / "conf.json").read_text())["base_template"] == "lab"


# --------------------------------------------------------------------------------------
# end to end
# --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def rendered_sample() -> tuple[Path, report.ReportResult]:
    """Render the tracking sample once per test session (shared with the browser test)."""
    folder = Path(tempfile.mkdtemp(prefix="tpmkit-report-test-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    result = report.render("sample:software_release_tracking", folder / "status.html",
                           status_date="2027-04-30", iterations=500, seed=11,
                           title="Weekly status", keep_notebook=True, timeout=300)
    return folder, result


@pytest.mark.slow
def test_render_sample_writes_one_offline_file():
    folder, result = rendered_sample()
    page = result.path.read_text(encoding="utf-8")
    assert result.path == folder / "status.html" and result.size == len(page.encode())
    assert sorted(p.name for p in folder.iterdir()) == ["status.html", "status.ipynb"]
    assert report.offline_problems(page) == []
    assert "<script" not in page and "<link" not in page
    assert page.count('src="data:image/png;base64,') == 8   # 7 charts + the milestone trend analysis
    for section in SECTIONS:
        assert re.search(rf'<h2 id="[^"]+">{re.escape(section)}<', page), section
        assert f">{section}</a></li>" in page  # table of contents
    assert '<h1 class="report-title">Weekly status</h1>' in page
    assert "Product release 3.0" in page and "30 Apr 2027" in page
    assert "import tpmkit" not in page and 'class="jp-InputPrompt' not in page
    meta = result.metadata
    assert meta["sha256"] == report.file_sha256(datasets.path("software_release_tracking"))
    assert meta["seed"] == 11 and meta["iterations"] == 500 and meta["overall"] == "red"
    assert meta["sha256"] in page and "--iterations 500 --seed 11" in page
    assert f"tpmkit {tpmkit.__version__}" in page
    kept = nbformat.read(result.notebook, as_version=4)
    assert not [o for c in kept.cells for o in c.get("outputs", [])
                if o.get("output_type") == "error"]


@pytest.mark.slow
def test_report_numbers_match_the_computations():
    """The figures in the HTML are the computation modules' own (rounded for display)."""
    _, result = rendered_sample()
    page = result.path.read_text(encoding="utf-8")
    # the report rolls the progress back to its status date (later actual dates cleared)
    project = tpmkit.evm.as_of(datasets.load("software_release_tracking"), "2027-04-30")
    with pytest.warns(tpmkit.evm.EVMWarning):
        row = tpmkit.evm.latest(tpmkit.evm.metrics(project))
    assert f">{row.spi:.2f}<" in page and f">{row.cpi:.2f}<" in page
    assert f"{row.eac:,.0f} EUR" in page
    sim = tpmkit.risk.simulate(project, 500, rng=11, progress=False)
    p80 = sim.percentiles.loc["p80"]
    assert f"{p80['finish']:.1f}" in page and p80["finish_date"].strftime("%d %b %Y") in page
    assert "Data note — Earned value: TCPI (BAC) is undefined" in page
    # the assumptions say what the simulation did: the remaining work from the status date
    assert sim.settings["status_date"] == "2027-04-30"
    assert "only the remaining work is sampled, from the status date 30 Apr 2027" in page
    assert "over the whole plan" not in page


def _bare_plan(tmp_path: Path) -> Path:
    f = tmp_path / "plan.csv"
    pd.DataFrame({"id": ["A", "B", "C"], "name": ["Design", "Build", "Done"],
                  "duration": [3, 5, 0], "predecessors": ["", "A", "B"]}).to_csv(f, index=False)
    return f


@pytest.mark.slow
def test_absent_data_gives_one_line_per_section(tmp_path, capsys):
    plan = _bare_plan(tmp_path)
    status = main(["report", str(plan), "--iterations", "200", "--seed", "1",
                   "-o", str(tmp_path / "out.html")])
    assert status == 0
    stages = [line.split(": ", 1)[1] for line in capsys.readouterr().err.splitlines()]
    assert stages == [f"reading {plan}", "scheduling", "simulating 200 iterations",
                      "rendering", f"writing {tmp_path / 'out.html'}"]
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "from the project start (no status date: progress is not taken into account)" in page
    absent = re.findall(r'<p class="absent">([^<]+)</p>', page)
    assert [a.split(":")[0].split(",")[0] for a in absent] == [
        "The project has no start date", "No earned-value section",
        "No earned-schedule forecast",
        "The plan has no uncertainty to simulate (no three-point estimates",
        "No risk register in the project file (add a risks table to report it).",
        "No quality records"]
    assert "no task has a budget" in absent[1]
    assert "DCMA 14-point assessment" in page  # DCMA runs without progress data
    assert page.count('src="data:image/png;base64,') == 1  # the Gantt only
    assert re.search(r'class="overall-value">N/A<', page)
    # the plan has no uncertainty: said in the executive summary and the Monte Carlo section,
    # in the same words, and no "100 % confidence" anywhere
    assert page.count("The plan has no uncertainty to simulate") == 2
    assert "100% confidence" not in page and "100 % confidence" not in page
    assert report.offline_problems(page) == []


@pytest.mark.slow
def test_a_large_plan_is_charted_by_its_most_critical_tasks(tmp_path):
    """The report of a 120-task plan charts 80 rows and says which (a 4,000-task Gantt took
    over a minute to draw)."""
    n = 120
    ids = [f"T{i}" for i in range(n)]
    f = tmp_path / "big.csv"
    pd.DataFrame({"id": ids, "duration": [1 + i % 5 for i in range(n)],
                  "predecessors": [""] + [ids[i - 1] if i % 3 else "" for i in range(1, n)]}
                 ).to_csv(f, index=False)
    assert main(["report", str(f), "--iterations", "100", "-q", "-o",
                 str(tmp_path / "big.html")]) == 0
    page = (tmp_path / "big.html").read_text(encoding="utf-8")
    assert ("The Gantt chart shows 80 of the 120 tasks: the open tasks with the least total "
            "float (critical first, up to 4 days)") in page
    assert page.count('src="data:image/png;base64,') == 1


# --------------------------------------------------------------------------------------
# command line errors (all raised before a notebook runs)
# --------------------------------------------------------------------------------------
def test_cli_prints_where_and_how_long(capsys, tmp_path, monkeypatch):
    def fake_render(source, output, **kw):
        return report.ReportResult(Path(output), None, 12.34, 10.0, 2_500_000, {})

    monkeypatch.setattr(report, "render", fake_render)
    assert main(["report", "sample:software_release", "-o", str(tmp_path / "r.html")]) == 0
    out = capsys.readouterr().out.strip()
    assert out == f"wrote {tmp_path / 'r.html'} (2.5 MB) in 12.3 s (notebook 10.0 s)"


def test_cli_json(capsys, tmp_path, monkeypatch):
    meta = {"overall": "red", "status_date": "30 Apr 2027", "seed": 3, "iterations": 100,
            "sha256": "ab" * 32}

    def fake_render(source, output, **kw):
        assert kw["seed"] == 3 and kw["iterations"] == 100 and kw["keep_notebook"]
        return report.ReportResult(Path(output), Path(output).with_suffix(".ipynb"), 2.5, 2.0,
                                   1000, meta)

    monkeypatch.setattr(report, "render", fake_render)
    out = tmp_path / "r.html"
    assert main(["report", "sample:software_release", "-o", str(out), "--seed", "3", "-n", "100",
                 "--keep-notebook", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got == {"output": str(out), "notebook": str(tmp_path / "r.ipynb"), "seconds": 2.5,
                   "execute_seconds": 2.0, "size": 1000, **meta}


@pytest.mark.parametrize(("args", "message"), [
    (["--iterations", "0"], "iterations must be a positive whole number, got 0"),
    (["--seed", "-1"], "seed must be a non-negative whole number, got -1"),
    (["--timeout", "0"], "timeout must be positive"),
    (["--status-date", "2027-13-45"], "2027-13-45"),
])
def test_cli_bad_options_exit_2_with_one_line(capsys, args, message):
    assert main(["report", "sample:software_release_tracking", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tpmkit report: error: ") and message in err


def test_cli_missing_file_and_output_over_input(capsys, tmp_path):
    assert main(["report", str(tmp_path / "missing.yaml")]) == 2
    assert "missing.yaml" in capsys.readouterr().err
    plan = _bare_plan(tmp_path)
    before = plan.read_bytes()
    assert main(["report", str(plan), "-o", str(plan)]) == 2
    err = capsys.readouterr().err
    assert "refusing to overwrite the input file" in err and err.count("\n") == 1
    assert plan.read_bytes() == before


def test_failing_notebook_becomes_one_tpmkit_error(monkeypatch, tmp_path):
    """A kernel-side exception is re-raised as the same tpmkit error class, or a DataError."""
    import papermill

    def boom(*a, **k):
        raise papermill.PapermillExecutionError(3, 3, "x", "DataError", "no baseline; add one",
                                                [])

    monkeypatch.setattr(papermill, "execute_notebook", boom)
    with pytest.raises(tpmkit.DataError, match="^no baseline; add one$"):
        report.render(_bare_plan(tmp_path), tmp_path / "o.html")

    def other(*a, **k):
        raise papermill.PapermillExecutionError(4, 7, "x", "KeyError", "'spi'", [])

    monkeypatch.setattr(papermill, "execute_notebook", other)
    with pytest.raises(tpmkit.DataError, match="failed in cell 7: KeyError: 'spi'; rerun with "
                                                "--keep-notebook"):
        report.render(_bare_plan(tmp_path), tmp_path / "o.html")

    def dead(*a, **k):
        from nbclient.exceptions import DeadKernelError

        raise DeadKernelError("Kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", dead)
    with pytest.raises(tpmkit.DataError, match=r"kernel did not start or died \(DeadKernelError: "
                                                r"Kernel died\); check that ipykernel"):
        report.render(_bare_plan(tmp_path), tmp_path / "o.html")

    def bug(*a, **k):
        raise RuntimeError("unrelated")

    monkeypatch.setattr(papermill, "execute_notebook", bug)
    with pytest.raises(RuntimeError, match="^unrelated$"):  # not disguised as a kernel problem
        report.render(_bare_plan(tmp_path), tmp_path / "o.html")
    assert not (tmp_path / "o.html").exists()


@pytest.mark.slow
def test_cell_timeout_is_one_clear_error(capsys, tmp_path, monkeypatch):
    """--timeout limits each cell; a cell over it ends the run with one line, exit 2."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("project_file = ''", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import time\ntime.sleep(60)")],
        metadata={"kernelspec": {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}})
    slow = tmp_path / "slow.ipynb"
    nbformat.write(nb, slow)
    monkeypatch.setattr(export, "notebook_path", lambda *_: slow)
    out = tmp_path / "t.html"
    assert main(["report", str(_bare_plan(tmp_path)), "--timeout", "1", "-o", str(out),
                 "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1   # with --quiet the error is the only line
    assert "CellTimeoutError" in err and "raise --timeout (now 1 s) or lower --iterations" in err
    assert not out.exists()


def test_report_result_str():
    r = report.ReportResult(Path("a.html"), Path("a.ipynb"), 3.0, 2.0, 1_000_000, {})
    assert str(r) == "wrote a.html (1.0 MB) in 3.0 s (notebook 2.0 s); executed notebook a.ipynb"


@pytest.mark.slow
def test_charts_are_drawn_whatever_the_callers_backend(monkeypatch, tmp_path):
    """Issue 17 item 1: with ``MPLBACKEND=Agg`` (servers, cron, CI) every chart became the
    text ``<Figure size …>``; the report kernel now always draws inline."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    result = report.render(_bare_plan(tmp_path), tmp_path / "agg.html", iterations=200,
                           seed=1, timeout=300)
    page = result.path.read_text(encoding="utf-8")
    assert report.chart_problems(page) == []
    assert page.count('src="data:image/png;base64,') >= 1   # the bare plan draws its Gantt


def test_a_report_whose_charts_were_printed_as_text_is_refused(monkeypatch, tmp_path):
    """Fail loudly rather than write a report without its charts."""
    monkeypatch.setattr(export, "_export",
                        lambda nb: "<pre>&lt;Figure size 1000x1428 with 1 Axes&gt;</pre>")
    with pytest.raises(tpmkit.DataError, match=r"charts were not drawn \(1 printed as text"):
        report.render(_bare_plan(tmp_path), tmp_path / "text.html", iterations=200, seed=1,
                      timeout=300)
    assert not (tmp_path / "text.html").exists()


# --------------------------------------------------------------------------------------
# progress on stderr, labels, no-uncertainty sentence
# --------------------------------------------------------------------------------------
def test_cli_prints_the_stages_on_stderr_and_quiet_silences_them(capsys, tmp_path, monkeypatch):
    def fake_render(source, output, progress=None, **kw):
        for stage in ("reading x", "scheduling", "simulating 2,000 iterations", "rendering"):
            if progress is not None:
                progress(stage)
        return report.ReportResult(Path(output), None, 1.0, 1.0, 1000, {})

    monkeypatch.setattr(report, "render", fake_render)
    assert main(["report", "sample:software_release", "-o", str(tmp_path / "r.html")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == ["tpmkit report: reading x", "tpmkit report: scheduling",
                   "tpmkit report: simulating 2,000 iterations", "tpmkit report: rendering"]
    assert main(["report", "sample:software_release", "-o", str(tmp_path / "r.html"),
                 "--quiet"]) == 0
    out = capsys.readouterr()
    assert out.err == "" and out.out.startswith("wrote ")


def test_stage_hook_reports_simulation_then_rendering_once():
    said = []
    hook = export._stage_hook(said.append, 2000)
    cells = [nbformat.v4.new_code_cell("x = 1"),
             nbformat.v4.new_code_cell("data = report.build_report_data(project_file)"),
             nbformat.v4.new_markdown_cell("## Schedule"),
             nbformat.v4.new_code_cell("figure(...)"), nbformat.v4.new_code_cell("more()")]
    for k, cell in enumerate(cells):
        hook(cell=cell, cell_index=k)
    assert said == ["simulating 2,000 iterations", "rendering"]


def test_labels_plain_wording_and_missing_cells():
    from tpmkit.report import format as fmt

    assert fmt.label("eac_t_pv1") == "planned value method, PF = 1"
    assert fmt.label("critical_path_test") == "critical path test" and fmt.label("SPI") == "SPI"
    assert fmt.plain("TCPI undefined in period 4; set to NaN") == \
        "TCPI undefined in period 4; shown as –"
    assert "PD =" not in fmt.plain("IEAC(t) with PD = 5") and "eac_t" not in fmt.plain(
        "eac_t_es3 late")
    df = pd.DataFrame({"owner": ["nan", None, "None", "Ann"], "x": [1.0, np.inf, np.nan, 2.0]},
                      index=pd.Index(["R1", "R2", "R3", "R4"], name="id"))
    out = report.html_table(df)
    assert out.count(">–<") == 5 and ">Ann<" in out
    assert out.startswith('<div class="table-scroll"><table class="report-table">')


def test_no_uncertainty_is_said_once_in_the_same_words_by_report_and_cli(tmp_path, capsys):
    from tpmkit.report.format import no_uncertainty

    plan = _bare_plan(tmp_path)
    sim = tpmkit.risk.simulate(tpmkit.read(plan), 300, rng=1, progress=False)
    sentence = no_uncertainty(sim)
    assert sentence.startswith("The plan has no uncertainty to simulate")
    assert "300 iterations finish on working day 8" in sentence
    assert main(["risk", str(plan), "-n", "300", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert sentence in out and "100.0 %" not in out and "confidence" not in out
    flowing = tpmkit.risk.simulate(datasets.load("software_release"), 300, rng=1,
                                   progress=False)
    assert no_uncertainty(flowing) == ""


def test_the_jupyter_stack_loads_without_the_iri_grammar():
    """nbformat's jsonschema would import rfc3987_syntax (~2 s compiling a grammar) for a
    format no notebook uses: the report imports the stack without it, and notebooks still
    validate. A fresh process, since this one imported jsonschema already."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from tpmkit.report.export import _import_jupyter_stack\n"
            "_import_jupyter_stack()\n"
            "import nbformat\n"
            "assert 'jsonschema' in sys.modules\n"
            "assert 'rfc3987_syntax' not in sys.modules, 'the grammar was imported'\n"
            "nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')]))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
