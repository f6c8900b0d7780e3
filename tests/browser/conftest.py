"""Browser fixtures: the app served on a free loopback port (CSRF on, as in production) and
Debian's Chromium driven by Playwright. A missing browser fails the run; it never skips."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from peermatch.extensions import db
from tests.conftest import make_app

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
# `UPDATE_SCREENSHOTS=1 make test` refreshes the README's pictures in docs/screenshots/;
# otherwise they go to a temporary folder, so a test run leaves the working tree alone.
_DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or (
    _DOCS if os.environ.get("UPDATE_SCREENSHOTS") else
    Path(tempfile.gettempdir()) / "peermatch-screenshots"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def _server(database_url: str) -> Iterator[LiveServer]:
    with LiveServer(make_app(database_url, WTF_CSRF_ENABLED=True)) as server:
        yield server


@pytest.fixture
def live(app: Flask, _server: LiveServer) -> Iterator[LiveServer]:
    """The served app; its database is the suite's, emptied after each test."""
    yield _server
    _server.app.extensions["peermatch.throttle"].reset()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does it)")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm ci --prefix tests/browser (make test does it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


def new_page(browser: Browser, viewport: dict[str, int] | None = None) -> Page:
    # CSP stays on for the site; bypassing it only lets the test inject axe-core.
    context = browser.new_context(viewport=viewport or DESKTOP, bypass_csp=True)
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def make_page(browser: Browser) -> Iterator[object]:
    pages: list[Page] = []

    def make(viewport: dict[str, int] | None = None) -> Page:
        page = new_page(browser, viewport)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.context.close()
