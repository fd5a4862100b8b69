"""The documentation site: a clean build, internal links, completeness, no external requests.

One fresh Sphinx build per session (``-W --keep-going``: any warning fails, numpydoc
validation included) into a temporary folder; then every relative link and ``#anchor`` of
every built page must resolve, every public name of every ``__all__`` and every command must
have its entry, and pages opened in headless chromium (offline, every non-``file://`` request
aborted and counted) must request nothing outside the site. Skips with an install hint when
the ``docs`` extra, chromium or playwright is missing.
"""

from __future__ import annotations

import html.parser
import importlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SHOTS = Path(os.environ.get("SHOTS_DIR", ROOT / "build"))

pytest.importorskip("sphinx", reason="the docs extra is not installed: pip install -e '.[docs]'")
for _mod in ("pydata_sphinx_theme", "numpydoc", "myst_nb", "sphinx_design", "sphinx_copybutton",
             "sphinxarg", "jupyter_server_mathjax"):
    pytest.importorskip(_mod, reason="the docs extra is not installed: pip install -e '.[docs]'")

sys.path.insert(0, str(DOCS / "_ext"))
import tpmkit_docs  # noqa: E402


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "html"
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "-E",
         "-d", str(out.parent / "doctrees"), str(DOCS), str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=900,
        env={**os.environ, "MPLBACKEND": "Agg"})
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 0, f"sphinx-build failed:\n{proc.stderr[-6000:]}"
    assert "WARNING" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr[-6000:]
    print(f"docs built in {elapsed:.1f} s")
    return out


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.ids.add(a[key])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for key in ("src", "href"):
            if tag in ("img", "script", "link", "iframe", "source") and a.get(key):
                self.resources.append(a[key])


def _pages(root: Path) -> dict[Path, _Page]:
    pages = {}
    for f in sorted(root.rglob("*.html")):
        if f.relative_to(root).parts[0] in ("_static", "_sources", "_images", "_downloads"):
            continue
        p = _Page()
        p.feed(f.read_text(encoding="utf-8"))
        pages[f] = p
    return pages


def _broken_links(root: Path) -> list[str]:
    pages = _pages(root)
    broken = []
    for f, page in pages.items():
        for href in page.links + page.resources:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue  # external links are not followed (no network); see test_no_external
            target = (f.parent / unquote(parts.path)).resolve() if parts.path else f
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{f.relative_to(root)}: {href} (no file)")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _pages_one(target)
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{f.relative_to(root)}: {href} (no anchor)")
    return broken


def _pages_one(path: Path) -> set[str]:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p.ids


def test_internal_links_and_anchors_resolve(built):
    broken = _broken_links(built)
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])


def test_link_check_finds_a_broken_link(built, tmp_path):
    # positive control: the checker reports a missing file and a missing anchor
    site = tmp_path / "site"
    shutil.copytree(built, site, ignore=shutil.ignore_patterns("_static", "_images"))
    (site / "extra.html").write_text(
        '<a href="index.html#no-such-anchor">x</a><a href="missing/page.html">y</a>'
        '<a href="index.html">ok</a><a href="https://example.invalid/">ext</a>', encoding="utf-8")
    broken = [b for b in _broken_links(site) if b.startswith("extra.html")]
    assert sorted(broken) == ["extra.html: index.html#no-such-anchor (no anchor)",
                              "extra.html: missing/page.html (no file)"]


def test_every_public_name_has_its_reference_entry(built):
    modules = tpmkit_docs.public_modules()
    homes = tpmkit_docs.canonical_homes(modules)
    missing = []
    for modname in modules:
        page = built / "reference" / "api" / f"{modname}.html"
        assert page.exists(), f"no API page for {modname}"
        mod = importlib.import_module(modname)
        for name in tpmkit_docs.exported(modname):
            obj = getattr(mod, name)
            home = homes[tpmkit_docs.key(obj, name)]
            target = tpmkit_docs.anchor(obj, name, home)
            if target not in _pages_one(built / "reference" / "api" / f"{home}.html"):
                missing.append(f"{modname}.{name} (expected #{target} on {home}.html)")
    assert not missing, "public names without a reference entry:\n" + "\n".join(missing)
    # the top-level API is there, documented once where it is exported
    ids = _pages_one(built / "reference" / "api" / "tpmkit.html")
    assert {"tpmkit.read", "tpmkit.schedule", "tpmkit.write", "tpmkit.Project"} <= ids


def test_every_command_has_its_page(built):
    from tpmkit.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for cmd, subparser in sub.choices.items():
        page = built / "reference" / "cli" / f"{cmd}.html"
        assert page.exists(), f"no page for tpmkit {cmd}"
        text = page.read_text(encoding="utf-8")
        for action in subparser._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert opt in text, f"tpmkit {cmd}: option {opt} missing from its page"
    risk = (built / "reference" / "cli" / "risk.html").read_text(encoding="utf-8")
    assert "deterministic_confidence" in risk  # the --json example from the snapshots


def test_course_changelog_and_glossary_are_included(built):
    lessons = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    for stem in lessons:
        assert (built / "course" / "notebooks" / f"{stem}.html").exists(), stem
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first_bullet = next(line for line in changelog.splitlines() if line.startswith("- "))
    words = first_bullet[2:40].split("`")[0].strip()
    assert words in (built / "whatsnew.html").read_text(encoding="utf-8")
    glossary = (built / "reference" / "glossary.html").read_text(encoding="utf-8")
    for term in ("term-ES", "term-SPI-t", "term-IEAC-t", "term-SSI", "term-CRI", "term-JCL"):
        assert f'id="{term}"' in glossary, term


# --------------------------------------------------------------------------- browser
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                        else None)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PAGES = ["index.html", "getting-started/index.html", "user-guide/scheduling.html",
         "user-guide/evm.html", "reference/api/tpmkit.risk.html", "reference/cli/risk.html",
         "reference/glossary.html", "course/notebooks/03_scheduling.html", "whatsnew.html",
         "search.html"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Debian chromium is not installed: run `make browser-deps` (as root: "
                    "apt-get install -y chromium fonts-liberation fonts-dejavu-core)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install 'tpmkit[test]'")
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900}, offline=True)
        try:
            def block(route):
                requests.append(route.request.url)
                route.abort()

            # every request except the site's own files (and inline data:) is counted
            ctx.route(lambda url: not url.startswith(("file://", "data:", "blob:", "about:")), block)
            ctx.on("request", lambda r: None if r.url.startswith(("file://", "data:", "blob:", "about:"))
                   else requests.append(r.url))
            yield ctx, requests
        finally:
            ctx.close()


def test_pages_load_no_external_resource(built, browser):
    ctx, requests = browser
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    failed: list[str] = []
    page.on("requestfailed", lambda r: None if r.url.startswith("about:") else failed.append(r.url))
    for rel in PAGES:
        page.goto((built / rel).as_uri(), wait_until="load")
        page.wait_for_load_state("networkidle")
        assert page.locator("main, .bd-main").count() >= 1, rel
    assert requests == [], f"external requests: {requests}"
    assert failed == [], f"requests that failed (missing local files): {failed}"
    # formulas are typeset by the local MathJax
    page.goto((built / "user-guide/scheduling.html").as_uri(), wait_until="load")
    page.wait_for_function(
        "() => document.querySelectorAll(\"script[type^='math/tex']\").length > 0"
        " && document.querySelectorAll('math, .MathJax').length > 0", timeout=60_000)
    page.screenshot(path=str(SHOTS / "docs_scheduling.png"), full_page=False)
    page.goto((built / "index.html").as_uri(), wait_until="load")
    page.screenshot(path=str(SHOTS / "docs_index.png"), full_page=False)
    assert requests == [], f"external requests: {requests}"
    page.close()


def test_external_requests_are_caught(browser, tmp_path):
    # positive control in the same context: an external stylesheet and image are counted
    ctx, requests = browser
    probe = tmp_path / "probe.html"
    probe.write_text('<link rel="stylesheet" href="https://cdn.example.invalid/x.css">'
                     '<img src="http://cdn.example.invalid/x.png">', encoding="utf-8")
    before = len(requests)
    page = ctx.new_page()
    page.goto(probe.as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    page.close()
    caught = requests[before:]
    del requests[before:]
    assert any("x.css" in u for u in caught) and any("x.png" in u for u in caught), caught
