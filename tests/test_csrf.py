"""With CSRF protection on (as in production), a POST without a token changes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from peermatch.extensions import db
from peermatch.models import User
from tests.conftest import make_app


class TestWithCsrfOn:
    @pytest.fixture
    def csrf_client(self, app, database_url):
        csrf_app = make_app(database_url, WTF_CSRF_ENABLED=True)
        yield csrf_app.test_client()
        with csrf_app.app_context():
            db.engine.dispose()

    def test_signup_without_token_is_400_and_creates_nothing(self, csrf_client, app):
        response = csrf_client.post("/signup", data={
            "email": "zoe@example.org", "display_name": "Zoe", "password": "long enough phrase",
            "agree": "y"})
        assert response.status_code == 400
        with app.app_context():
            assert db.session.scalar(select(func.count(User.id))) == 0

    def test_logout_and_profile_without_token_are_400(self, csrf_client):
        assert csrf_client.post("/logout").status_code == 400
        assert csrf_client.post("/profile", data={"stage": "early"}).status_code == 400

    def test_signup_with_token_works(self, csrf_client, app):
        page = csrf_client.get("/signup").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = csrf_client.post("/signup", data={
            "csrf_token": token, "email": "zoe@example.org", "display_name": "Zoe",
            "password": "long enough phrase", "agree": "y"})
        assert response.status_code == 302

    def test_expired_token_keeps_what_was_typed_and_offers_to_send_again(self, csrf_client):
        response = csrf_client.post("/profile", data={
            "csrf_token": "expired-or-forged", "about": "A long note I <b>typed</b>",
            "interests": ["reading", "yoga"]})
        body = response.get_data(as_text=True)
        assert response.status_code == 400
        assert 'value="A long note I &lt;b&gt;typed&lt;/b&gt;"' in body
        assert 'name="interests" value="yoga"' in body
        assert ">Send again</button>" in body

    def test_passwords_are_never_echoed_back(self, csrf_client):
        body = csrf_client.post("/signup", data={
            "email": "x@example.org", "password": "secret phrase here"}).get_data(as_text=True)
        assert "secret phrase here" not in body
        assert 'value="x@example.org"' in body

    def test_every_post_route_refuses_a_missing_token(self, csrf_client, app):
        posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
        assert len(posts) >= 15
        for rule in posts:
            path = rule.build(dict.fromkeys(rule.arguments, 1))[1]
            assert csrf_client.post(path, data={"x": "1"}).status_code == 400, rule.endpoint

    def test_an_expired_token_on_a_message_keeps_the_text_and_its_send_once_token(
        self, csrf_client
    ):
        body = csrf_client.post("/conversations/1", data={
            "csrf_token": "stale", "body": "What I wrote for an hour", "client_token": "abc"},
        ).get_data(as_text=True)
        assert "What I wrote for an hour" in body
        assert 'name="client_token" value="abc"' in body
