"""Log-in, sign-up and reset throttling: per account and per address, shared by workers,
failing closed when its store is down."""

from __future__ import annotations

import os

import pytest

from peermatch.extensions import db
from tests.conftest import make_app
from tests.factories import PASSWORD, email_of, log_in, logged_in_client, make_member, text_of


def _signup(client, n):
    return client.post("/signup", data={"email": f"new{n}@example.org", "display_name": f"N{n}",
                                        "password": "a long enough phrase", "agree": "y"})


def test_the_sixth_failed_login_in_a_minute_is_throttled_but_others_still_log_in(app, client):
    target = email_of(app, make_member(app))
    other = email_of(app, make_member(app))
    for _ in range(5):
        assert log_in(client, target, "wrong password here").status_code == 200
    throttled = log_in(client, target, "wrong password here")
    assert throttled.status_code == 429
    assert "Too many attempts" in text_of(throttled) and int(throttled.headers["Retry-After"]) > 0
    assert log_in(client, target, PASSWORD).status_code == 429  # even the right one waits
    assert log_in(app.test_client(), other, PASSWORD).status_code == 302  # same address


def test_successful_logins_are_not_counted(app):
    email = email_of(app, make_member(app))
    for _ in range(8):
        assert log_in(app.test_client(), email, PASSWORD).status_code == 302


def test_sign_ups_are_throttled_per_address(client):
    for n in range(10):
        assert _signup(client, n).status_code == 302
        client.post("/logout")
    assert _signup(client, 10).status_code == 429


def test_password_reset_requests_are_throttled_per_account(app, client):
    email = email_of(app, make_member(app))
    for _ in range(3):
        assert client.post("/password/forgot", data={"email": email}).status_code == 302
    assert client.post("/password/forgot", data={"email": email}).status_code == 429


def test_with_the_store_down_login_and_signup_fail_closed_and_the_rest_works(app,
                                                                              database_url):
    email = email_of(app, make_member(app))
    member = app.test_client()
    assert log_in(member, email).status_code == 302
    down = make_app(database_url, THROTTLE_STORAGE_URI="redis://127.0.0.1:9/0")
    try:
        client = down.test_client()
        response = log_in(client, email)
        assert response.status_code == 503
        assert "Please try again in a minute" in text_of(response)
        assert _signup(client, 99).status_code == 503
        assert client.get("/resources").status_code == 200
        session_cookie = member.get_cookie("session")
        client.set_cookie("session", session_cookie.value)
        assert client.get("/matches").status_code == 200  # a logged-in member carries on
    finally:
        with down.app_context():
            db.engine.dispose()


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"),
                    reason="needs TEST_REDIS_URL: the counters must be shared through Redis")
def test_workers_sharing_redis_count_attempts_together(app, database_url):
    email = email_of(app, make_member(app))
    second_worker = make_app(database_url)  # another process's app, same Redis
    try:
        clients = [app.test_client(), second_worker.test_client()]
        for attempt in range(5):
            assert log_in(clients[attempt % 2], email, "wrong password here").status_code == 200
        assert log_in(clients[1], email, "wrong password here").status_code == 429
        assert log_in(clients[0], email, "wrong password here").status_code == 429
    finally:
        with second_worker.app_context():
            db.engine.dispose()


def test_parallel_wrong_passwords_cannot_slip_under_the_limit(app):
    import threading

    email = email_of(app, make_member(app))
    codes: list[int] = []
    barrier = threading.Barrier(10)

    def attempt() -> None:
        client = app.test_client()
        barrier.wait()
        codes.append(log_in(client, email, "wrong password here").status_code)

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200] * 5 + [429] * 5


def test_current_password_guesses_in_settings_are_throttled_like_log_ins(app):
    client, _ = logged_in_client(app)
    for _ in range(5):
        page = client.post("/settings/delete", data={"current_password": "guess guess guess"})
        assert page.status_code == 200
    assert client.post("/settings/delete",
                       data={"current_password": "guess again!"}).status_code == 429


def test_a_busy_shared_address_is_not_locked_out_by_successful_log_ins(app):
    for _ in range(35):  # a clinic's shared connection: many people, all right passwords
        assert log_in(app.test_client(), email_of(app, make_member(app))).status_code == 302
