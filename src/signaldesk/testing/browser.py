"""Playwright fixtures for browser tests: Debian's Chromium (never a downloaded browser),
driven against pytest-django's live_server.

    @pytest.mark.browser
    def test_x(live_server, page, screenshot): page.goto(live_server.url); screenshot(page)

Screenshots land in artifacts/screenshots/<test name>[-<label>].png."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path("artifacts") / "screenshots"


@pytest.fixture(scope="session")
def playwright_browser() -> Iterator[Browser]:
    """One Chromium for the session. Playwright's sync API runs an event loop in this thread,
    so Django's async-safety guard is relaxed for the ORM calls the tests make around it."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser(playwright_browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (cookies, storage) per test."""
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    page = browser.new_page()
    page.set_default_timeout(10_000)
    yield page
    page.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """screenshot(page, "label") saves a full-page PNG named after the test."""

    def take(page: Page, label: str = "") -> Path:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        if label:
            name = f"{name}-{label}"
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
