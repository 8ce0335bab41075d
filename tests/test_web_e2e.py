"""The web app in a real headless Chromium: upload a corpus report, follow a finding to its
highlighted quote, and make sure a report's own markup never runs.

Debian's chromium only (never `playwright install`); skipped when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
PANJIN = REPORTS / "panjin-2024-report.txt"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url():
    import uvicorn

    from compliance.web.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)  # a loaded CI machine; waits end as soon as the page is ready
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    pg = ctx.new_page()
    yield pg
    ctx.close()


def test_self_check_upload_finding_scrolls_to_highlighted_quote(page, base_url):
    from playwright.sync_api import expect

    page.goto(base_url + "/")
    page.set_input_files("input[name=file]", str(PANJIN))
    page.click("button[type=submit]")
    page.wait_for_url("**/r/*")
    score = page.locator("#score-total").inner_text()
    assert float(score) > 0
    fcr = page.locator("#f-FCR-01")
    expect(fcr).to_be_visible()
    expect(fcr.locator(".st")).to_have_text("未体现")

    # the finding whose quote sits lowest in the text, so the text pane must scroll to show it
    targets = page.eval_on_selector_all(
        "ol.findings .finding[data-target]:not([data-target=''])",
        "els => els.map(e => [e.dataset.rule, e.dataset.target, "
        "parseInt(document.querySelector('mark[data-q~=\"' + e.dataset.target + '\"]').closest('.ln').id.slice(1))])",
    )
    assert targets, "no finding with a quote"
    rule, target, line = max(targets, key=lambda t: t[2])
    mark = page.locator(f'mark[data-q~="{target}"]').first
    page.evaluate("document.getElementById('doc').scrollTop = 0; window.scrollTo(0, 0)")
    assert line > 15, "the lowest quoted finding should sit below the first screen of text"
    expect(mark).not_to_be_in_viewport()  # so the click has to bring it into view
    page.locator(f'ol.findings .finding[data-rule="{rule}"] .msg').click()
    expect(mark).to_be_in_viewport()
    expect(mark).to_have_class(re.compile(r"\bflash\b"))  # the quote is flagged, not just scrolled past
    assert rule in mark.get_attribute("data-rules")


def test_report_markup_is_shown_as_text_and_never_runs(page, base_url):
    from playwright.sync_api import expect

    evil = (PANJIN.read_text(encoding="utf-8")
            + "\n<script>window.__pwned = 1</script>\n<img src=x onerror=\"window.__pwned = 2\">\n")
    page.goto(base_url + "/")
    page.set_input_files("input[name=file]", files=[{
        "name": "<img src=x onerror=window.__pwned=3>.txt", "mimeType": "text/plain", "buffer": evil.encode("utf-8"),
    }])
    page.click("button[type=submit]")
    page.wait_for_url("**/r/*")
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    expect(page.locator("#doc")).to_contain_text("<script>window.__pwned = 1</script>")
    expect(page.locator(".meta")).to_contain_text("<img src=x onerror=window.__pwned=3>.txt")
    assert page.locator("#doc script, #doc img").count() == 0

    # pasted text goes the same way
    page.goto(base_url + "/")
    page.fill("textarea[name=text]", evil)
    page.click("button[type=submit]")
    page.wait_for_url("**/r/*")
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    expect(page.locator("#doc")).to_contain_text("onerror=\"window.__pwned = 2\"")


def test_batch_ranking_sorts_and_opens_each_report(page, base_url):
    from playwright.sync_api import expect

    page.goto(base_url + "/batch")
    files = [{"name": p.name, "mimeType": "text/plain", "buffer": p.read_bytes()} for p in sorted(REPORTS.glob("*.txt"))]
    page.set_input_files("input[name=files]", files=[*files, {"name": "broken.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}])
    page.click("button[type=submit]")
    page.wait_for_url("**/b/*")
    expect(page.locator("#n-checked")).to_have_text(str(len(files)))
    expect(page.locator(".alert")).to_contain_text("broken.pdf")
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(len(files))

    def scores():
        return [c.get_attribute("data-v") for c in page.locator("#ranking tbody tr td:nth-child(6)").all()]

    def numeric(vals):
        return [float(v) for v in vals if v]

    first = numeric(scores())
    assert first == sorted(first, reverse=True)  # ranked best first
    page.click("#ranking thead th:nth-child(6)")  # sort by score, ascending
    asc = numeric(scores())
    assert asc == sorted(first)
    page.click("#ranking thead th:nth-child(6)")  # and back, descending
    assert numeric(scores()) == sorted(first, reverse=True)

    name = page.locator("#ranking tbody tr").first.locator("td:nth-child(2) a")
    source = name.inner_text()
    name.click()
    page.wait_for_url("**/r/*")
    expect(page.locator(".meta")).to_contain_text(source)
    expect(page.locator(".crumb a")).to_have_text("← 返回批次")
