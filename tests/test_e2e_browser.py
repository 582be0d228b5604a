"""End to end in headless Chromium (Debian's chromium, driven by Playwright):
log in, upload seed 002, see its tables and findings, open a finding's quote,
dismiss it with a comment, and look at the government page's charts.

Skipped when Playwright or chromium is missing locally; fails under CI=true.
Screenshots go to ``$YUSUAN_SCREENSHOTS`` (default: the test's tmp folder).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import seed
from tests.test_service_helpers import PASSWORD, LiveServer, fresh_database, make_app

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("YUSUAN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _need_browser() -> Any:
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "playwright is not installed"
    if reason is None and not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reason = f"chromium not found at {CHROMIUM}"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: browser tests must run)")
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database("sqlite", tmp_path_factory.mktemp("e2e")) as url:
        app = make_app(url)
        with LiveServer(app) as live:
            yield live.url
        app.state.service.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = os.environ.get("YUSUAN_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_review_a_budget_in_the_browser(server: str, shots: Path) -> None:
    sync_playwright = _need_browser()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            _scenario(page, server, shots)
        finally:
            browser.close()
    # the UI works offline: every request went to our own server
    assert [u for u in requests if not u.startswith(server) and not u.startswith("data:")] == []
    assert errors == []


def _login(page: Any, server: str, user: str) -> None:
    page.goto(server + "/")
    assert "/login" in page.url
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server + "/")


def _scenario(page: Any, server: str, shots: Path) -> None:
    # an editor logs in and uploads seed 002, and follows its progress
    _login(page, server, "admin")
    page.screenshot(path=str(shots / "01-home.png"))
    page.set_input_files("#upload-form input[type=file]", str(seed("002")))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/jobs/*")
    page.wait_for_selector("#open-document", timeout=60_000)
    page.screenshot(path=str(shots / "02-job.png"))
    page.click("#open-document")
    page.wait_for_url("**/documents/*")

    # the document: its tables and findings
    tables = page.locator(".block.table table").count()
    assert tables >= 30
    findings = page.locator("article.finding")
    assert findings.count() >= 10
    assert page.locator(".fig").count() > 100
    page.screenshot(path=str(shots / "03-document.png"))

    # open a finding's quote: the quoted passage scrolls into view and flashes
    first = findings.first
    fid = first.get_attribute("data-finding")
    first.locator("a.goto").click()
    quote = page.locator(f'[data-findings~="{fid}"]').first
    quote.wait_for(state="visible")
    assert "flash" in (quote.get_attribute("class") or "")
    assert quote.is_visible()
    page.screenshot(path=str(shots / "04-quote.png"))

    # dismiss it with a comment; the judgement is kept
    card = page.locator(f"#f-{fid}")
    card.locator("input[name=comment]").fill("报表口径不同，不属差错")
    card.locator("button[value=dismissed]").click()
    page.wait_for_url(f"**#f-{fid}")
    card = page.locator(f"#f-{fid}")
    assert "st-dismissed" in (card.get_attribute("class") or "")
    assert "报表口径不同，不属差错" in card.inner_text()
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "05-dismissed.png"))

    # the government page: the four books and the charts, drawn offline
    page.click('.dochead a[href="/governments/654202"]')
    page.wait_for_url("**/governments/654202")
    for chart in ("progress", "composition", "debt", "yoy"):
        page.wait_for_selector(f'#chart-{chart}[data-drawn="true"], #chart-{chart}[data-empty="true"]')
    drawn = [c for c in ("progress", "composition", "debt", "yoy")
             if page.locator(f'#chart-{c}[data-drawn="true"]').count()]
    assert set(drawn) >= {"composition", "debt", "yoy"}
    assert page.locator("#chart-debt svg").count() == 1
    page.screenshot(path=str(shots / "06-government.png"), full_page=True)

    # and in English
    page.goto(server + "/governments/654202?lang=en")
    page.wait_for_selector('#chart-debt[data-drawn="true"]')
    assert "The four books" in page.content()
    page.screenshot(path=str(shots / "07-government-en.png"))
