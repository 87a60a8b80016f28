"""Browser tests: Playwright driving Debian's Chromium against a live test server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import CHROMIUM, ROOT, skip_or_fail

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (Debian: apt install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        skip_or_fail(f"{AXE} is missing: run `npm ci` (make test does)")
    return AXE.read_text()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(autouse=True)
def _forms_may_be_sent_at_once(settings):
    """A browser driven by a test fills in a form faster than a person could; the form's
    minimum time is tested in masthead/discussion/tests/test_form_timestamp.py."""
    settings.MASTHEAD_COMMENT_FORM_MIN_SECONDS = 0
