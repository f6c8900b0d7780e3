"""Forgotten password: a signed, single-use, expiring link through the outbox."""

from __future__ import annotations

import re

from sqlalchemy import select

from peermatch.extensions import db
from peermatch.models import OutboxMail
from tests.factories import PASSWORD, log_in, logged_in_client, make_member

NEW_PASSWORD = "a brand new long phrase"


def _reset_link(app) -> str:
    with app.app_context():
        mail = db.session.scalar(select(OutboxMail).order_by(OutboxMail.id.desc()))
        assert mail is not None
        assert mail.sent_at is not None  # delivered by the console backend after the commit
        match = re.search(r"http://localhost(/password/reset\?token=\S+)", mail.body)
        assert match, mail.body
        return match.group(1)


def test_reset_flow_changes_password_and_link_is_single_use(client, app):
    make_member(app, email="hana@example.org")
    response = client.post("/password/forgot", data={"email": "Hana@example.org"})
    assert response.status_code == 302
    link = _reset_link(app)
    moved = client.get(link)  # the token leaves the address bar for the session
    assert moved.status_code == 302 and moved.headers["Location"] == "/password/reset"
    assert client.get("/password/reset").status_code == 200
    assert client.post("/password/reset", data={"password": NEW_PASSWORD}).status_code == 302
    assert log_in(client, "hana@example.org", PASSWORD).status_code == 200  # old one refused
    assert log_in(client, "hana@example.org", NEW_PASSWORD).status_code == 302
    reused = client.get(link)
    assert reused.status_code == 302
    assert "/password/forgot" in reused.headers["Location"]


def test_unknown_address_gets_the_same_answer_and_no_mail(client, app):
    response = client.post("/password/forgot", data={"email": "ghost@example.org"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(OutboxMail)) is None


def test_expired_link_is_refused(client, app):
    make_member(app, email="ines@example.org")
    client.post("/password/forgot", data={"email": "ines@example.org"})
    link = _reset_link(app)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.get(link, follow_redirects=True)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert "expired" in response.get_data(as_text=True)


def test_tampered_link_is_refused(client):
    response = client.get("/password/reset?token=not-a-real-token", follow_redirects=True)
    assert "not valid" in response.get_data(as_text=True)


def test_weak_new_password_is_refused_and_kept(client, app):
    make_member(app, email="jo@example.org")
    client.post("/password/forgot", data={"email": "jo@example.org"})
    response = client.post(_reset_link(app), data={"password": "short"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "at least 10 characters" in body
    assert 'value="short"' in body


def test_reset_signs_out_every_other_session(app):
    logged, _ = logged_in_client(app, email="kai@example.org")
    other = app.test_client()
    other.post("/password/forgot", data={"email": "kai@example.org"})
    other.post(_reset_link(app), data={"password": NEW_PASSWORD})
    assert logged.get("/profile").status_code == 302


def test_the_link_comes_from_public_url_never_from_the_host_header(app, database_url):
    from peermatch.config import Settings
    from tests.conftest import make_app

    member = make_member(app, email="ida@example.org")
    assert member
    site = make_app(database_url, PEERMATCH=Settings(
        env="testing", secret_key="k", public_url="https://peermatch.example"))
    try:
        site.test_client().post("/password/forgot", data={"email": "ida@example.org"},
                                headers={"Host": "evil.example"})
        with app.app_context():
            body = db.session.scalar(select(OutboxMail.body).order_by(OutboxMail.id.desc()))
        assert "https://peermatch.example/password/reset?token=" in body
        assert "evil.example" not in body
    finally:
        with site.app_context():
            db.engine.dispose()
