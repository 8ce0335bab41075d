"""Screenshots of the web app for the README: `python docs/make_screenshots.py`.

Starts the app on a free local port, drives Debian's chromium (never `playwright install`) through
a self-check of a sample report and a batch of all sample reports, and writes PNGs to
docs/screenshots/.
"""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _serve():
    import uvicorn

    from compliance.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def main() -> int:
    from playwright.sync_api import sync_playwright

    from compliance.log import setup_logging

    setup_logging(0)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        print("chromium not found: apt-get install chromium fonts-wqy-microhei", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    server, base = _serve()
    reports = sorted((ROOT / "reports").glob("*.txt"))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")

            page.goto(base + "/")
            page.set_input_files("input[name=file]", str(ROOT / "reports" / "panjin-2024-report.txt"))
            page.click("button[type=submit]")
            page.wait_for_url("**/r/*")
            target = page.locator("ol.findings .finding[data-target]:not([data-target=''])").first
            target.locator(".msg").click()
            page.wait_for_timeout(600)  # let the smooth scroll settle for the picture
            page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")  # header in view; the text pane keeps its place
            page.wait_for_timeout(200)
            page.screenshot(path=str(OUT / "self-check.png"))

            page.goto(base + "/batch")
            page.set_input_files("input[name=files]", [str(r) for r in reports])
            page.click("button[type=submit]")
            page.wait_for_url("**/b/*")
            page.screenshot(path=str(OUT / "batch.png"), full_page=True)

            page.goto(base + "/rules")
            page.screenshot(path=str(OUT / "rules.png"))
            browser.close()
    finally:
        server.should_exit = True
    for name in ("self-check.png", "batch.png", "rules.png"):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
