"""The HTML status report in a real browser (headless Debian chromium via playwright).

Renders the bundled tracking sample once with ``tpmkit report``, opens the file through
``file://`` with every network request blocked and counted, checks the title block, the
table of contents, each section, the embedded images and the RAG badges, and saves a
full-page screenshot under ``build/`` (``SHOTS_DIR`` overrides) for a human to look at.
Skips with an install hint when chromium or playwright is missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                        else None)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
OUT = Path(os.environ.get("SHOTS_DIR", Path(__file__).resolve().parents[1] / "build"))
SECTIONS = ["Executive summary", "Key dates and milestones", "Schedule", "Earned value",
            "Earned schedule forecast", "Schedule risk (Monte Carlo)", "Risk register",
            "Schedule health (DCMA-14)", "Quality, issues and decisions",
            "Assumptions and reproducibility"]

if CHROMIUM is None:
    pytest.skip("Debian chromium is not installed: run `make browser-deps` (as root: "
                "apt-get install -y chromium fonts-liberation fonts-dejavu-core)",
                allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: pip install 'tpmkit[test]'")


@pytest.fixture(scope="module")
def report_file() -> Path:
    # the same rendering as tests/test_report.py (done once per session): the tracking
    # sample at status date 2027-04-30, 500 iterations, seed 11
    from test_report import rendered_sample

    return rendered_sample()[1].path


@pytest.fixture(scope="module")
def page_and_requests(report_file, tmp_path_factory):
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900}, offline=True)
        try:
            def block(route):
                requests.append(route.request.url)
                route.abort()

            # every request except the file itself (and its inline data: URIs) is counted
            ctx.route(lambda url: not url.startswith(("file://", "data:")), block)
            ctx.on("request", lambda r: None if r.url.startswith(("file://", "data:"))
                   else requests.append(r.url))
            page = ctx.new_page()
            page.set_default_timeout(30_000)
            page.goto(report_file.as_uri(), wait_until="load")
            page.wait_for_load_state("networkidle")
            yield page, requests
        finally:
            ctx.close()


def test_sections_toc_and_title(page_and_requests):
    page, _ = page_and_requests
    headings = [h.strip() for h in page.locator("main h2").all_inner_texts()]
    assert headings == SECTIONS
    toc = [t.strip() for t in page.locator("nav.toc li a").all_inner_texts()]
    assert toc == SECTIONS
    # every TOC link lands on its section
    for href in page.locator("nav.toc li a").evaluate_all("els => els.map(e => e.hash)"):
        assert page.locator(f"[id='{href[1:]}']").count() == 1
    assert page.locator("h1.report-title").inner_text() == "Weekly status"
    assert "Product release 3.0" in page.locator(".project-name").inner_text()
    assert page.locator(".title-facts").inner_text().count("30 Apr 2027") == 1
    assert page.locator(".overall-value").inner_text() in ("GREEN", "AMBER", "RED")


def test_images_render_and_no_code(page_and_requests):
    page, _ = page_and_requests
    imgs = page.locator("main img")
    # milestone trend, Gantt, EVM S-curve, performance trend, earned schedule, risk S-curve,
    # tornado, heat map
    assert imgs.count() == 8
    info = imgs.evaluate_all(
        "els => els.map(e => [e.currentSrc.slice(0, 22), e.complete, e.naturalWidth])")
    for src, complete, width in info:
        assert src == "data:image/png;base64,"
        assert complete and width > 300
    assert page.locator(".jp-CodeMirrorEditor, .jp-InputPrompt:visible, .highlight").count() == 0
    assert "import tpmkit" not in page.locator("body").inner_text()
    badges = page.locator("main .rag").all_inner_texts()
    assert {"PASS", "FAIL"} <= set(badges)
    assert set(badges) & {"GREEN", "AMBER", "RED"}


def test_no_network_and_screenshot(page_and_requests):
    page, requests = page_and_requests
    page.emulate_media(media="screen")
    OUT.mkdir(parents=True, exist_ok=True)
    shot = OUT / "report_fullpage.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    page.emulate_media(media="print")  # the print stylesheet applies without errors
    assert page.locator("main h2").count() == len(SECTIONS)
    assert requests == []


def test_request_counter_catches_external_requests(page_and_requests, tmp_path):
    """Positive control for the zero-request check above: the same context counts (and
    blocks) a page's external image and stylesheet, so ``requests == []`` can fail."""
    page, requests = page_and_requests
    canary = tmp_path / "canary.html"
    canary.write_text('<!doctype html><link rel="stylesheet" href="https://cdn.example.invalid/x.css">'
                      '<img src="http://198.51.100.7/pixel.png" alt="">', encoding="utf-8")
    before = len(requests)
    page.goto(canary.as_uri(), wait_until="load")
    page.wait_for_load_state("networkidle")
    seen = requests[before:]
    assert any("cdn.example.invalid" in u for u in seen), seen
    assert any("198.51.100.7" in u for u in seen), seen


# --------------------------------------------------------------------------------------
# phone width and print / PDF
# --------------------------------------------------------------------------------------
PHONE = 390
#: a chart shown on a phone keeps at least this share of its design width (legends stay
#: readable: 8 pt text stays ≥ 6 px); wider charts scroll inside their card
MIN_CHART_SCALE = 0.55


@pytest.fixture(scope="module")
def browser(page_and_requests):
    """The same offline browser context (one playwright per module), for new pages."""
    return page_and_requests[0].context


_LAYOUT = """() => {
  const vw = document.documentElement.clientWidth;
  const outside = [...document.querySelectorAll('body *')].filter(e => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.right > vw + 1 && !e.closest('.table-scroll, .jp-RenderedImage');
  }).map(e => e.tagName.toLowerCase() + '.' + e.className);
  return {scroll: document.documentElement.scrollWidth, viewport: vw, outside: outside,
          images: [...document.querySelectorAll('main img')].map(
              i => [i.alt, i.clientWidth, Number(i.getAttribute('width')) || i.naturalWidth / 2,
                    i.parentElement.clientWidth]),
          tables: [...document.querySelectorAll('table.report-table')].map(
              t => t.parentElement.classList.contains('table-scroll'))};
}"""


def test_phone_width_has_no_page_overflow_and_readable_charts(report_file, browser):
    page = browser.new_page()
    page.set_viewport_size({"width": PHONE, "height": 800})
    try:
        page.goto(report_file.as_uri(), wait_until="load")
        got = page.evaluate(_LAYOUT)
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / "report_phone.png"), full_page=True)
    finally:
        page.close()
    assert got["viewport"] == PHONE and got["scroll"] <= PHONE, got["outside"][:5]
    assert got["outside"] == []
    assert got["tables"] and all(got["tables"])        # every table scrolls inside its card
    assert len(got["images"]) == 8   # with the milestone trend chart
    for alt, shown, design, card in got["images"]:
        assert card <= PHONE, alt                      # the card fits the page
        assert shown >= MIN_CHART_SCALE * design or shown >= card, (alt, shown, design)


def test_desktop_width_charts_scale_down_only(report_file, browser):
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    try:
        page.goto(report_file.as_uri(), wait_until="load")
        got = page.evaluate(_LAYOUT)
    finally:
        page.close()
    assert got["scroll"] <= 1280 and got["outside"] == []
    for alt, shown, design, card in got["images"]:
        assert shown <= design + 1 and shown <= card, alt


def test_pdf_has_no_blank_page_and_keeps_headings_with_their_charts(report_file, browser):
    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed: pip install 'tpmkit[test]'")
    page = browser.new_page()
    pdf = OUT / "report.pdf"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(report_file.as_uri(), wait_until="load")
        page.pdf(path=str(pdf), format="A4", print_background=True)
    finally:
        page.close()
    pages = pypdf.PdfReader(str(pdf)).pages
    texts = [p.extract_text() or "" for p in pages]
    images = [len(p["/Resources"].get("/XObject", {}) or {}) if "/Resources" in p else 0
              for p in pages]
    # the report is ~8 A4 pages of content: far fewer means content was cut, far more that
    # pages were wasted
    assert 6 <= len(pages) <= 14, len(pages)
    for k, (text, n_img) in enumerate(zip(texts, images)):
        words = len(text.split())
        last = k == len(pages) - 1
        assert n_img or words >= (15 if last else 60), (k + 1, words, text[:80])
    # a section heading with a chart below it starts a page only together with the chart
    for k, text in enumerate(texts):
        lines = [t.strip() for t in text.splitlines() if t.strip()]
        stranded = [t for t in lines[-3:] if t in SECTIONS]
        assert not stranded, f"page {k + 1} ends with the heading {stranded[0]!r}"
    schedule = next(k for k, t in enumerate(texts) if "Critical path (" in t)
    assert images[schedule] >= 1     # the Gantt is on the page of its heading and note
