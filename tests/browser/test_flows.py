"""The three core flows in a real browser, checked with axe-core on every page they visit."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from peermatch.extensions import db
from peermatch.models import ModerationAction, User
from tests.browser.conftest import PHONE
from tests.browser.helpers import assert_accessible, log_in, screenshot
from tests.factories import MENTOR, PASSWORD, SEEKER, email_of, make_member


def test_sign_up_and_build_a_profile(app, live, make_page):
    page = make_page()
    page.goto(live.url + "/")
    assert_accessible(page)
    screenshot(page, "home-desktop")
    page.get_by_role("link", name="Sign up").first.click()
    assert_accessible(page)
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Display name").fill("Ana")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("I agree to the community guidelines").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("10 characters")
    expect(page.get_by_label("Display name")).to_have_value("Ana")  # nothing typed is lost
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(r"/profile$"))
    assert_accessible(page)
    page.get_by_label("Diagnosis stage").select_option(label="Metastatic recurrence")
    page.get_by_label("HER2 status").select_option(label="HER2-low")
    page.get_by_label("Hormone receptor status").select_option(label="HR-positive")
    page.get_by_label("Age range").select_option(label="50–59")
    page.get_by_role("group", name="Treatments").get_by_label("CDK4/6 inhibitor").check()
    page.get_by_role("group", name="Interests").get_by_label("Gardening").check()
    page.get_by_role("group", name="Topics I'd like to talk about").get_by_label(
        "Scan anxiety").check()
    page.get_by_role("group", name="Preferred contact").get_by_label("Video call").check()
    page.get_by_role("group", name="Languages").get_by_label("English").check()
    page.get_by_label("Country").select_option(label="United States")
    page.get_by_label("Region").select_option(label="Ohio")
    page.get_by_role("group", name="I'm here for").get_by_label("Looking for support").check()
    page.get_by_label("About me").fill("Gardener, mother of two, on my second line.")
    page.get_by_label("Similar age").select_option(label="Very important")
    page.get_by_label("How many people can you support at once?").select_option("2")
    page.get_by_role("group", name="Which health details proposed peers can see").get_by_label(
        "Share my age group").uncheck()
    expect(page.get_by_label("Open to new matches")).to_be_checked()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    screenshot(page, "profile-desktop")

    page.reload()  # what was saved comes back
    expect(page.get_by_label("About me")).to_have_value(
        "Gardener, mother of two, on my second line.")
    expect(page.get_by_label("Region")).to_have_value("Ohio")
    expect(page.get_by_label("Similar age")).to_have_value("3")
    expect(page.get_by_role("group", name="Interests").get_by_label("Gardening")).to_be_checked()
    expect(page.get_by_label("Share my age group")).not_to_be_checked()
    page.get_by_role("button", name="Log out").click()
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Log in")).to_be_visible()
    log_in(page, live.url, "ana@example.org")
    page.goto(live.url + "/profile")
    expect(page.get_by_label("HER2 status")).to_have_value("low")
    phone = make_page(PHONE)
    log_in(phone, live.url, "ana@example.org")
    phone.goto(live.url + "/profile")
    screenshot(phone, "profile-phone")
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "ana@example.org")).one()
        assert user.profile.is_complete and user.profile.region == "Ohio"


def test_request_approve_accept_and_converse(app, live, make_page):
    ana_id = make_member(app, display_name="Ana", **SEEKER)
    bea_id = make_member(app, display_name="Bea", **MENTOR)
    eve_id = make_member(app, display_name="Eve", **SEEKER)
    mod_id = make_member(app, display_name="Mo", role="moderator", complete=False)
    ana, bea, eve, mod = make_page(), make_page(), make_page(), make_page(PHONE)
    for page, uid in ((ana, ana_id), (bea, bea_id), (eve, eve_id), (mod, mod_id)):
        log_in(page, live.url, email_of(app, uid))

    ana.goto(live.url + "/matches")
    card = ana.get_by_role("article").filter(has=ana.get_by_role("heading", name="Bea"))
    expect(card.get_by_text("Why we suggested Bea")).to_be_visible()
    assert_accessible(ana)
    screenshot(ana, "matches-desktop")
    card.get_by_role("link", name="Request introduction").click()
    assert_accessible(ana)
    ana.get_by_label("Note").fill("Hello Bea! I would love to talk about scan anxiety.")
    ana.get_by_role("button", name="Send request").click()
    expect(ana.get_by_text("Waiting for a moderator")).to_be_visible()
    assert_accessible(ana)

    bea.goto(live.url + "/inbox")
    expect(bea.get_by_text("Nothing is waiting for you right now.")).to_be_visible()
    eve.goto(live.url + "/moderation")
    expect(eve.get_by_role("heading", name="You don't have access to this page")).to_be_visible()

    mod.goto(live.url + "/moderation")
    item = mod.get_by_role("article").filter(has_text="Ana → Bea")
    expect(item.get_by_text("Hello Bea! I would love to talk")).to_be_visible()
    assert_accessible(mod)
    screenshot(mod, "moderation-phone")
    item.get_by_role("button", name="Approve").click()
    expect(mod.get_by_text("Approved: Bea can now see the request.")).to_be_visible()

    bea.goto(live.url + "/inbox")
    assert_accessible(bea)
    screenshot(bea, "inbox-desktop")
    bea.get_by_role("button", name="Accept").click()
    bea.get_by_label("Message").fill("Hi Ana, happy to talk.")
    bea.get_by_role("button", name="Send").click()
    expect(bea.get_by_text("Hi Ana, happy to talk.")).to_be_visible()
    conversation = bea.url.split("#")[0]

    ana.goto(live.url + "/inbox")
    expect(ana.get_by_text("1 unread message")).to_be_visible()
    ana.goto(conversation)
    expect(ana.get_by_text("Hi Ana, happy to talk.")).to_be_visible()
    ana.get_by_label("Message").fill("Some days I just want to die.")
    ana.get_by_role("button", name="Send").click()
    panel = ana.get_by_role("region", name="You don't have to carry this alone")
    expect(panel).to_contain_text("988")
    assert_accessible(ana)
    screenshot(ana, "conversation-desktop")
    phone = make_page(PHONE)
    log_in(phone, live.url, email_of(app, ana_id))
    phone.goto(conversation)
    screenshot(phone, "conversation-phone")

    bea.goto(conversation)
    expect(bea.get_by_text("Some days I just want to die.")).to_be_visible()
    response = eve.goto(conversation)
    assert response is not None and response.status == 404
    expect(eve.get_by_text("Hi Ana")).to_have_count(0)


def test_a_moderator_rejects_with_a_reason_and_the_audit_log_shows_it(app, live, make_page):
    ana_id = make_member(app, display_name="Ana", **SEEKER)
    make_member(app, display_name="Bea", **MENTOR)
    mod_id = make_member(app, display_name="Mo", role="moderator", complete=False)
    ana, mod = make_page(), make_page()
    log_in(ana, live.url, email_of(app, ana_id))
    ana.goto(live.url + "/matches")
    ana.get_by_role("link", name="Request introduction").first.click()
    ana.get_by_label("Note").fill("Call me at 555-123-4567, I'm on facebook.com/ana")
    ana.get_by_role("button", name="Send request").click()

    log_in(mod, live.url, email_of(app, mod_id))
    mod.goto(live.url + "/moderation")
    item = mod.get_by_role("article").filter(has_text="Ana → Bea")
    expect(item.get_by_text("Phone number")).to_be_visible()
    expect(item.get_by_text("Link", exact=True)).to_be_visible()
    item.get_by_role("button", name="Reject").click()
    expect(mod.get_by_role("alert")).to_contain_text("Please give a reason.")
    assert_accessible(mod)
    mod.get_by_label("Reason").fill("Please keep phone numbers for later, and try again.")
    mod.get_by_role("button", name="Reject").click()
    expect(mod.get_by_text("Rejected. The member will see your reason.")).to_be_visible()

    mod.get_by_role("link", name="Audit log").click()
    row = mod.get_by_role("row").filter(has_text="reject introduction")
    expect(row).to_contain_text("Please keep phone numbers for later")
    expect(row).to_contain_text("Mo")
    assert_accessible(mod)
    screenshot(mod, "audit-desktop")

    ana.goto(live.url + "/inbox")
    expect(ana.get_by_text("Not approved by a moderator")).to_be_visible()
    expect(ana.get_by_text("Please keep phone numbers for later, and try again.")).to_be_visible()
    with app.app_context():
        assert db.session.scalars(select(ModerationAction.action)).all() == [
            "reject_introduction"]
