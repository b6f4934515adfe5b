"""Real Chromium (Debian's package) driven by Playwright against a live server on loopback.

Never a browser downloaded by Playwright: ``python3 dev.py test`` installs
Debian's ``chromium``. Every network request a page makes is recorded, so a
test can assert that nothing leaves the site. Screenshots go to
``test-artifacts/`` for review; axe-core (from npm) checks accessibility.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    are synchronous by design. Only while a browser module runs (the browser is closed
    with the module too): set for the whole process it would leak into the deployment
    checks of later tests (async.E001)."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser(_allow_orm_beside_playwright: None) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (python3 dev.py test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


class RecordedPage:
    """A page plus every URL it requested."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def axe_violations(self, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
        if not AXE.exists():
            pytest.fail("axe-core is missing: run `npm ci` (python3 dev.py test does)")
        # Evaluated through the DevTools protocol, which the page's strict CSP does not
        # govern; a <script> tag would be (rightly) refused by script-src 'self'.
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in impacts
        ]


@pytest.fixture
def page(browser: Any) -> Iterator[RecordedPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorded = RecordedPage(context.new_page())
    yield recorded
    context.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[RecordedPage]:
    """A client on a phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    recorded = RecordedPage(context.new_page())
    yield recorded
    context.close()
