"""Public pages, the health check, error pages and deny-by-default."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from peermatch.extensions import db
from tests.factories import logged_in_client

PUBLIC = {"pages.home", "pages.guidelines", "pages.resources", "pages.healthz", "pages.livez",
          "auth.signup",
          "auth.login", "auth.forgot_password", "auth.reset_password", "static"}


@pytest.mark.parametrize("path", ["/", "/guidelines", "/resources"])
def test_public_pages_answer_anonymous_visitors(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<h1") == 1


def test_resources_list_the_ways_to_connect_and_988(client):
    body = client.get("/resources").get_data(as_text=True).lower()
    for phrase in ("navigator", "social worker", "survivorship", "helpline", "support group",
                   "clinical trial", "988"):
        assert phrase in body, phrase


def test_every_non_public_route_sends_anonymous_visitors_to_login(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        path = rule.build(dict.fromkeys(rule.arguments, "1"))[1]
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(path, method=method)
        assert response.status_code == 302, rule
        assert "/login" in response.headers["Location"], rule
        checked += 1
    assert checked >= 2


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "We can" in response.get_data(as_text=True)


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_healthz_reports_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] != "ok"


def test_database_outage_shows_a_503_page_without_traceback(app, monkeypatch):
    member, _ = logged_in_client(app)

    def broken(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "scalar", broken)
    monkeypatch.setattr(db.session, "get", broken)
    response = member.get("/profile")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Traceback" not in body and "OperationalError" not in body
    assert "briefly unavailable" in body


def test_security_headers_on_every_response(client):
    for path in ("/", "/login", "/static/style.css", "/no-such-page"):
        with client.get(path) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # only in production


def test_authenticated_pages_are_not_cached(app):
    member, _ = logged_in_client(app)
    assert member.get("/profile").headers["Cache-Control"] == "no-store"


def test_pages_load_nothing_from_third_parties(client):
    body = client.get("/").get_data(as_text=True)
    for marker in ('src="http', "src=\"//", 'href="http', "href=\"//", "<script>"):
        assert marker not in body


def test_healthz_reports_redis_and_stays_up_when_only_redis_is_down(app, database_url):
    from tests.conftest import make_app

    assert app.test_client().get("/healthz").get_json()["redis"] == "not configured"
    degraded = make_app(database_url, REDIS_URL="redis://127.0.0.1:9/0")
    try:
        response = degraded.test_client().get("/healthz")
        assert response.status_code == 200
        assert response.get_json() == {"status": "degraded", "database": "ok", "redis": "down"}
    finally:
        with degraded.app_context():
            db.engine.dispose()


def test_a_database_outage_page_has_a_retry_hint_and_no_traceback(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    monkeypatch.setattr(db.session, "scalar", broken)
    monkeypatch.setattr(db.session, "get", broken)
    response = client.post("/login", data={"email": "a@example.org", "password": "x" * 12})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "try again in a minute" in page and "Traceback" not in page


def test_livez_answers_without_the_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/livez")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"


def test_a_message_sent_during_a_database_outage_is_shown_back_to_send_again(client,
                                                                            monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "get", broken)
    monkeypatch.setattr(db.session, "scalar", broken)
    text = "I wanted to tell you how the scan went today, it was good news."
    response = client.post("/login", data={"email": "a@example.org", "password": "secret pw 1",
                                           "body": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert text in page and ">Send again</button>" in page and "secret pw 1" not in page


def test_match_reasons_are_told_to_moderators_about_both_members():
    from peermatch.templating import about_both

    assert about_both("You are both living with HER2-low metastatic breast cancer") == (
        "They are both living with HER2-low metastatic breast cancer")
    assert about_both("You share 2 interests: reading and yoga") == (
        "They share 2 interests: reading and yoga")
    assert about_both("Reachable by video") == "Reachable by video"
