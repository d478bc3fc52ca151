"""Regenerates the README's screenshots from a running `make run` (http://127.0.0.1:8000)."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent
PASSWORD = "Ankommen-Demo-2026!"  # noqa: S105 (the published demo password, printed by make run)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def log_in(page, email: str) -> None:
    page.goto(f"{BASE}/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="de-DE")
        page.goto(f"{BASE}/")
        page.screenshot(path=OUT / "public-home.png")
        page.goto(f"{BASE}/verzeichnis/schulen/?q=gesamtschule&place=K%C3%B6ln")
        page.screenshot(path=OUT / "school-directory.png")
        log_in(page, "lead.koeln@demo.ankommen.nrw")
        page.screenshot(path=OUT / "centre-home.png")
        page.goto(f"{BASE}/personen/")
        page.locator("#id_q").fill("Kovalenko")
        page.get_by_role("button", name="Suchen").click()
        page.wait_for_timeout(800)
        page.screenshot(path=OUT / "person-search.png")
        page.locator("#person-results a.kern-link").first.click()
        page.wait_for_load_state()
        page.screenshot(path=OUT / "person-detail.png", full_page=True)
        page.goto(f"{BASE}/protokoll/zugriffe/")
        page.screenshot(path=OUT / "access-log.png")
        page.context.clear_cookies()
        log_in(page, "analyst@demo.ankommen.nrw")
        page.screenshot(path=OUT / "state-home.png")
        browser.close()


if __name__ == "__main__":
    main()
