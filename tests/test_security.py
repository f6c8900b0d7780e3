"""The security bar, item by item: headers, caching, cookies, sessions, mass assignment,
links, logging, and hostile input posted to every form.

Throttling (per account, per address, shared through Redis, failing closed) is asserted in
test_throttle.py; re-authentication before changing e-mail or password, the data download
and account deletion in test_settings.py; authorization on every route in
test_authorization.py; CSRF in test_csrf.py."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from peermatch.extensions import db
from peermatch.models import Message, User, UserSession
from tests.conftest import make_app, production_settings
from tests.factories import (
    PASSWORD,
    connect,
    email_of,
    log_in,
    logged_in_client,
    make_member,
    only_intro,
    text_of,
)
from tests.test_authorization import World, world  # noqa: F401 - the shared fixture

HOSTILE = ['<script>alert(1)</script>', '"><svg onload=alert(1)>', "<img src=x onerror=alert(1)>",
           "javascript:alert(1)", "' OR 1=1 --", "\u202e\u0000evil", "{{ 7*7 }}", "%s%n",
           "a" * 5000, "\r\nSet-Cookie: x=y"]
FIELDS = ["email", "password", "display_name", "agree", "note", "body", "client_token",
          "reason", "about", "stage", "her2", "hr", "age_range", "support_role", "country",
          "region", "treatments", "interests", "languages", "contact_modes", "current_password",
          "new_password", "role", "status", "user_id", "open_to_matches"]


def _get_routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint not in {"static", "auth.logout"}:
            yield rule


def _paths(app, ids):
    for rule in _get_routes(app):
        if all(name in ids for name in rule.arguments):
            yield rule.build({name: ids[name] for name in rule.arguments})[1]


def test_every_page_sends_the_security_headers_and_no_store_when_logged_in(app, world):  # noqa: F811
    member = world.clients["requester"]
    checked = 0
    for path in _paths(app, world.ids):
        for client, logged_in in ((app.test_client(), False), (member, True)):
            response = client.get(path)
            headers = response.headers
            csp = headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp, path
            assert "script-src 'self'" in csp
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Referrer-Policy"] == "same-origin"
            personal = "Log out" in response.get_data(as_text=True)  # a page about this member
            if logged_in and response.status_code == 200 and personal:
                assert headers.get("Cache-Control") == "no-store", path
            checked += 1
    assert checked >= 30


def test_pages_have_no_inline_script_or_event_handlers(app, world):  # noqa: F811
    member = world.clients["requester"]
    for path in _paths(app, world.ids):
        body = text_of(member.get(path))
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), path
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", body), path


def test_production_sends_hsts_and_secure_cookies(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/p.sqlite3",
                   PEERMATCH=production_settings())
    response = app.test_client().get("/livez")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_role_status_and_owner_never_come_from_a_form(app, client):
    response = client.post("/signup", data={
        "email": "mallory@example.org", "display_name": "Mallory", "password": PASSWORD,
        "agree": "y", "role": "admin", "status": "active", "id": "1"})
    assert response.status_code == 302
    client.post("/settings/email", data={"email": "m2@example.org", "current_password": PASSWORD,
                                         "role": "moderator", "user_id": "1"})
    with app.app_context():
        user = db.session.scalars(select(User).where(User.display_name == "Mallory")).one()
        assert user.role == "member" and user.status == "active"
    assert client.get("/moderation").status_code == 403


def test_links_in_messages_are_never_rendered_as_links(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    for body in ("javascript:alert(1)", "data:text/html,<b>x</b>", "https://example.org/x"):
        ana_client.post(path, data={"body": body, "client_token": body[:10]})
    page = text_of(bea_client.get(path))
    assert "javascript:alert(1)" in page
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', page)
    assert not any(h.startswith(("javascript:", "data:")) for h in hrefs)
    assert "https://example.org/x" not in hrefs


def test_logins_and_decisions_leave_one_record_without_secrets(app, ana, bea, moderator,
                                                              caplog):
    (ana_client, ana_id), (_, bea_id), (mod_client, _) = ana, bea, moderator
    caplog.set_level(logging.INFO, logger="peermatch")
    email = email_of(app, ana_id)
    log_in(app.test_client(), email, "the wrong password!")
    log_in(app.test_client(), email)
    ana_client.post(f"/matches/{bea_id}/introduce",
                    data={"note": "My HER2-low scan was hard this week"})
    mod_client.post(f"/moderation/introductions/{only_intro(app).id}/approve")
    messages = [r.getMessage() for r in caplog.records]
    assert sum("login failed" in m for m in messages) == 1
    assert sum("login succeeded" in m for m in messages) >= 1
    assert sum("moderation action=approve_introduction" in m for m in messages) == 1
    joined = "\n".join(messages)
    for secret in ("the wrong password!", PASSWORD, "HER2-low scan", email):
        assert secret not in joined


@pytest.mark.parametrize("kind", ["member", "moderator", "anonymous"])
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.dictionaries(
    st.sampled_from(FIELDS),
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300)),
    max_size=8))
def test_hostile_input_to_every_form_never_breaks_or_is_stored_raw(app, world, kind,  # noqa: F811
                                                                    data):
    client = {"member": world.clients["requester"], "moderator": world.clients["moderator"],
              "anonymous": world.clients["anonymous"]}[kind]
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in {"auth.logout", "settings.delete",
                                                           "settings.password"}:
            continue
        ids = {**world.ids, "token": "not-a-real-token"}
        path = rule.build({name: ids[name] for name in rule.arguments})[1]
        response = client.post(path, data=data)
        assert response.status_code < 500, (rule.endpoint, data)
    conversation = f"/conversations/{world.ids['conversation_id']}"
    for page in (text_of(world.clients["recipient"].get(conversation)),
                 text_of(world.clients["moderator"].get("/moderation/reports"))):
        assert "<script>alert(1)" not in page and "<svg onload" not in page
    with app.app_context():
        assert db.session.scalar(select(Message.id).limit(1)) is not None


def test_control_characters_never_reach_the_database(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    ana_client.post(path, data={"body": "nul\x00 and bell\x07 stay out\ttab ok",
                                "client_token": "c"})
    with app.app_context():
        assert db.session.scalars(select(Message.body)).one() == "nul and bell stay out\ttab ok"


def _session_token(app, client) -> str | None:
    cookie = client.get_cookie("session")
    if cookie is None:
        return None
    data = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    return data.get("_user_id")


def test_the_session_identifier_changes_at_login(app):
    user_id = make_member(app)
    client = app.test_client()
    log_in(client, email_of(app, user_id))
    first = _session_token(app, client)
    client.post("/logout")
    log_in(client, email_of(app, user_id))
    assert first and _session_token(app, client) and _session_token(app, client) != first


def test_a_cookie_captured_before_logout_no_longer_works(app):
    logged, user_id = logged_in_client(app)
    stolen = logged.get_cookie("session")
    logged.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen.value)
    response = thief.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(UserSession).where(UserSession.user_id == user_id)) is None


def test_a_cookie_captured_before_a_password_change_no_longer_works(app):
    logged, _ = logged_in_client(app)
    stolen = logged.get_cookie("session")
    logged.post("/settings/password", data={"current_password": PASSWORD,
                                            "new_password": "another long phrase here"})
    thief = app.test_client()
    thief.set_cookie("session", stolen.value)
    assert thief.get("/profile").status_code == 302


def test_the_session_cookie_is_httponly_lax_and_carries_no_health_detail(app):
    logged, _ = logged_in_client(app)
    cookie = logged.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    decoded = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    assert set(decoded) <= {"_user_id", "_fresh", "_id", "csrf_token", "_flashes", "_remember"}


@pytest.mark.parametrize("stale", ["idle", "absolute"])
def test_idle_and_absolute_session_lifetimes_are_enforced(app, stale):
    logged, user_id = logged_in_client(app)
    with app.app_context():
        record = db.session.scalar(select(UserSession).where(UserSession.user_id == user_id))
        if stale == "idle":
            record.last_seen_at -= app.config["SESSION_IDLE"] + timedelta(minutes=1)
        else:  # active all along, but started too long ago
            record.created_at -= app.config["SESSION_ABSOLUTE"] + timedelta(minutes=1)
        db.session.commit()
    assert logged.get("/profile").status_code == 302


def test_ids_too_big_for_the_database_are_a_plain_404(app, world):  # noqa: F811
    huge = 10**20
    member = world.clients["requester"]
    for path in (f"/conversations/{huge}", f"/messages/{huge}/report",
                 f"/matches/{huge}/introduce", f"/moderation/introductions/{huge}"):
        assert member.get(path).status_code in (403, 404), path
    assert member.post(f"/introductions/{huge}/accept").status_code == 404


def test_a_session_of_a_member_who_is_no_longer_active_stops_working(app, ana):
    client, ana_id = ana
    with app.app_context():  # even when the status changes behind the service's back
        db.session.get(User, ana_id).status = "suspended"
        db.session.commit()
    assert client.get("/inbox").status_code == 302
    assert client.get("/settings/data.json").status_code == 302


def test_twenty_parallel_writers_all_finish(app):
    """SQLite in WAL mode with a busy timeout: no "database is locked" under 20 writers."""
    import threading

    codes: list[int] = []
    barrier = threading.Barrier(20)

    def sign_up(n: int) -> None:
        client = app.test_client()  # twenty people, twenty addresses
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
        barrier.wait()
        codes.append(client.post("/signup", data={
            "email": f"writer{n}@example.org", "display_name": f"Writer {n}",
            "password": "a long enough phrase", "agree": "y"}).status_code)

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [302] * 20
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == 20
        if db.engine.dialect.name == "sqlite":
            mode = db.session.execute(text("PRAGMA journal_mode")).scalar()
            keys = db.session.execute(text("PRAGMA foreign_keys")).scalar()
            assert (mode, keys) == ("wal", 1)


def test_a_process_killed_mid_transaction_leaves_no_partial_rows(app, database_url):
    """A member and profile flushed but never committed, then SIGKILL: nothing remains."""
    import subprocess
    import sys

    script = (
        "import os, signal\n"
        "from tests.conftest import make_app\n"
        "from peermatch.extensions import db\n"
        "from peermatch.services import accounts\n"
        f"app = make_app({database_url!r})\n"
        "with app.app_context():\n"
        "    accounts.register('half@example.org', 'Half', 'a calm blue lake at dawn')\n"
        "    db.session.flush()\n"
        "    print('flushed', flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,  # noqa: S603
                          timeout=60, cwd=str(Path(__file__).resolve().parents[1]))
    assert "flushed" in done.stdout and done.returncode == -9, done.stderr
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == 0
        assert db.session.scalar(text("SELECT count(*) FROM profiles")) == 0
