"""Every main page: no serious or critical axe violation, nothing scrolls sideways at 375 px
or with text at 200 %, and the site works by keyboard with a visible focus."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.helpers import (
    assert_accessible,
    axe_violations,
    horizontal_overflow,
    log_in,
    screenshot,
)
from tests.factories import MENTOR, PASSWORD, SEEKER, connect, email_of, logged_in_client

PUBLIC_PAGES = ["/", "/signup", "/login", "/password/forgot", "/guidelines", "/resources",
                "/no-such-page"]
MEMBER_PAGES = ["/profile", "/matches", "/inbox", "/settings", "/settings/delete",
                "/settings/password", "/settings/email", "/settings/name"]
MODERATOR_PAGES = ["/moderation", "/moderation/reports", "/moderation/audit"]


@pytest.fixture
def people(app, live):
    """Ana and Bea talking (one message reported), a moderator; their ids and paths."""
    ana_client, ana_id = logged_in_client(app, display_name="Ana", **SEEKER)
    bea_client, bea_id = logged_in_client(app, display_name="Bea", **MENTOR)
    mod_client, mod_id = logged_in_client(app, display_name="Mo", role="moderator",
                                          complete=False)
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    bea_client.post(path, data={"body": "Hello Ana, glad to meet you.", "client_token": "x"})
    return {"ana": ana_id, "bea": bea_id, "mod": mod_id, "conversation": path}


def test_axe_is_really_checking(browser, make_page):
    page = make_page()
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    found = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label"} <= found


def test_every_main_page_passes_axe_and_fits_a_phone(app, live, people, make_page):
    pages = [(None, PUBLIC_PAGES), (people["ana"], [*MEMBER_PAGES, people["conversation"]]),
             (people["mod"], MODERATOR_PAGES)]
    checked = 0
    hosts: set[str] = set()
    for viewport in (None, PHONE):
        for who, paths in pages:
            page = make_page(viewport)
            page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
            if who is not None:
                log_in(page, live.url, email_of(app, who))
            for path in paths:
                page.goto(live.url + path)
                assert horizontal_overflow(page) <= 0, (path, viewport)
                if viewport is None:
                    assert_accessible(page)
                checked += 1
    assert checked == 2 * (len(PUBLIC_PAGES) + len(MEMBER_PAGES) + 1 + len(MODERATOR_PAGES))
    assert hosts == {urlsplit(live.url).netloc}  # no third-party script, font or pixel


def test_text_at_200_percent_loses_nothing(app, live, people, make_page):
    page = make_page({"width": 1280, "height": 900})
    log_in(page, live.url, email_of(app, people["ana"]))
    for path in ["/", "/matches", "/inbox", "/profile", people["conversation"]]:
        page.goto(live.url + path)
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        assert horizontal_overflow(page) <= 0, path
        # the main heading is still fully on screen and unclipped
        box = page.locator("h1").first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280


def test_the_site_works_by_keyboard_alone_with_a_visible_focus(app, live, people, make_page):
    page = make_page()
    page.goto(live.url + "/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.get_by_label("Email").focus()
    page.keyboard.type(email_of(app, people["ana"]))
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto(live.url + people["conversation"])
    page.get_by_label("Message").focus()
    page.keyboard.type("Typed without a mouse")
    for _ in range(10):  # Tab on to the Send button and press it
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Send":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_text("Typed without a mouse")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/conversations/\d+"))


def test_screenshots_of_the_main_pages(app, live, people, make_page):
    for viewport, suffix in ((None, "desktop"), (PHONE, "phone")):
        page = make_page(viewport)
        page.goto(live.url + "/")
        if suffix == "phone":
            screenshot(page, "home-phone")
        log_in(page, live.url, email_of(app, people["ana"]))
        page.goto(live.url + "/matches")
        if suffix == "phone":
            screenshot(page, "matches-phone")
        page.goto(live.url + "/inbox")
        if suffix == "phone":
            screenshot(page, "inbox-phone")
        page.goto(live.url + "/settings")
        screenshot(page, f"settings-{suffix}")


def test_times_show_in_the_readers_own_time_zone(app, live, people, browser):
    context = browser.new_context(timezone_id="America/Chicago", locale="en-US")
    try:
        page = context.new_page()
        log_in(page, live.url, email_of(app, people["ana"]))
        page.goto(live.url + people["conversation"])
        shown = page.locator("time[data-local]").first
        expect(shown).not_to_contain_text("UTC")
        assert re.search(r"\d{1,2}:\d{2}\s?(AM|PM)", shown.inner_text())
    finally:
        context.close()
