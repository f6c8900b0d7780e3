"""Sign-up, log-in, log-out and sessions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peermatch.extensions import db
from peermatch.models import Profile, User
from tests.factories import PASSWORD, log_in, logged_in_client, make_member
from tests.factories import email_of as email_of_member

SIGNUP = {
    "email": "Ana@Example.org",
    "display_name": "Ana R.",
    "password": "my garden in june",
    "agree": "y",
}


def test_signup_creates_member_with_empty_profile_and_logs_in(client, app):
    response = client.post("/signup", data=SIGNUP)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/profile")
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "ana@example.org"
        assert user.display_name == "Ana R."
        assert user.role == "member"
        assert user.password_hash.startswith("scrypt:")
        assert "my garden in june" not in user.password_hash
        assert db.session.get(Profile, user.id) is not None
    page = client.get("/profile")
    assert page.status_code == 200
    assert "Let's finish your profile" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("nine char", "at least 10 characters"),
        ("password123", "among the most common"),
        ("qwertyuiop", "among the most common"),
    ],
)
def test_weak_password_is_refused_and_everything_typed_is_kept(client, app, password, message):
    response = client.post("/signup", data={**SIGNUP, "password": password})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    assert 'value="Ana@Example.org"' in body
    assert 'value="Ana R."' in body
    assert "checked" in body  # the consent box stays ticked
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_64_character_password_is_accepted_and_works_at_login(client, app):
    password = "the quick brown fox jumps over the lazy dog near my garden gate1"
    assert len(password) == 64
    assert client.post("/signup", data={**SIGNUP, "password": password}).status_code == 302
    client.post("/logout")
    response = log_in(client, "ana@example.org", password)
    assert response.status_code == 302


def test_signup_requires_consent_and_valid_email(client, app):
    body = client.post(
        "/signup", data={**SIGNUP, "agree": "", "email": "not-an-address"}
    ).get_data(as_text=True)
    assert "agree to the community guidelines" in body
    assert "name@example.com" in body
    assert 'value="not-an-address"' in body


def test_email_is_unique_whatever_its_case(client, app):
    make_member(app, email="bea@example.org")
    response = client.post("/signup", data={**SIGNUP, "email": "BEA@example.org"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already exists" in body
    with app.app_context():
        assert db.session.query(User).count() == 1


def test_unknown_email_and_wrong_password_get_the_same_answer(client, app):
    make_member(app, email="cleo@example.org")
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD})
    wrong = client.post("/login", data={"email": "cleo@example.org", "password": "wrong password!"})
    assert unknown.status_code == wrong.status_code == 200
    normalise = lambda r, e: r.get_data(as_text=True).replace(e, "EMAIL")  # noqa: E731
    assert normalise(unknown, "nobody@example.org") == normalise(wrong, "cleo@example.org")
    assert "don't match an account" in unknown.get_data(as_text=True)


def test_login_is_case_insensitive_and_goes_to_a_safe_next(client, app):
    make_member(app, email="dee@example.org")
    response = client.post(
        "/login?next=/profile", data={"email": "DEE@example.org ", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/profile"


@pytest.mark.parametrize(
    "target", ["https://elsewhere.example", "//elsewhere.example", "/\\elsewhere.example",
                "javascript:alert(1)"],
)
def test_next_pointing_elsewhere_lands_on_a_local_page(client, app, target):
    make_member(app, email="eve@example.org")
    response = client.post(
        "/login", query_string={"next": target},
        data={"email": "eve@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/")
    assert "elsewhere" not in response.headers["Location"]


def test_member_with_unfinished_profile_is_guided_to_finish_it(client, app):
    make_member(app, email="fay@example.org", complete=False)
    response = log_in(client, "fay@example.org")
    assert response.headers["Location"] == "/profile"


def test_logout_is_post_only(client, app):
    logged, _ = logged_in_client(app)
    assert logged.get("/logout").status_code == 405
    assert logged.get("/profile").status_code == 200


def test_suspended_member_cannot_log_in(client, app):
    user_id = make_member(app, email="gia@example.org")
    with app.app_context():
        db.session.get(User, user_id).status = "suspended"
        db.session.commit()
    response = log_in(client, "gia@example.org")
    assert response.status_code == 200
    assert "suspended" in response.get_data(as_text=True)


def test_database_itself_refuses_duplicate_or_mixed_case_email(app):
    from sqlalchemy.exc import IntegrityError

    make_member(app, email="uma@example.org")
    for email in ("uma@example.org", "Uma@example.org"):
        with app.app_context():
            db.session.add(User(email=email, display_name="Copy", password_hash="x"))
            with pytest.raises(IntegrityError):
                db.session.commit()
            db.session.rollback()


def test_every_sign_up_problem_is_named_at_once(client):
    page = client.post("/signup", data={"email": "not-an-address", "display_name": "Zed",
                                        "password": "short"}).get_data(as_text=True)
    assert "e-mail address like" in page and "10 characters" in page
    assert "agree to the community guidelines" in page


def test_a_moderator_lands_on_the_queue(app):
    user_id = make_member(app, role="moderator", complete=False)
    response = log_in(app.test_client(), email_of_member(app, user_id))
    assert response.headers["Location"].endswith("/moderation")
