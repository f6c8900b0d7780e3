"""flask commands: create-moderator and seed-demo."""

from __future__ import annotations

from sqlalchemy import func, select

from peermatch.demo import DEMO_MODERATOR_EMAIL, DEMO_PASSWORD, demo_email
from peermatch.extensions import db
from peermatch.models import Introduction, Profile, User
from tests.factories import log_in, make_member


def _user(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def test_create_moderator_from_environment_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-moderator", "Mod@Example.org", "--display-name", "Moderator Mo"],
        env={"PEERMATCH_PASSWORD": "a long moderator phrase"},
    )
    assert result.exit_code == 0, result.output
    user = _user(app, "mod@example.org")
    assert user is not None and user.role == "moderator"
    response = log_in(app.test_client(), "mod@example.org", "a long moderator phrase")
    assert response.status_code == 302


def test_create_moderator_prompts_twice_and_refuses_weak_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-moderator", "m2@example.org", "--display-name", "M"],
                           input="short\nshort\n", env={"PEERMATCH_PASSWORD": ""})
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert _user(app, "m2@example.org") is None


def test_create_moderator_promotes_an_existing_member(app):
    make_member(app, email="pat@example.org")
    result = app.test_cli_runner().invoke(
        args=["create-moderator", "pat@example.org", "--display-name", "Pat"])
    assert result.exit_code == 0, result.output
    assert _user(app, "pat@example.org").role == "moderator"


def test_seed_demo_is_idempotent_per_seed_and_members_can_log_in(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--members", "40", "--seed", "7"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["seed-demo", "--members", "50", "--seed", "7"])
    assert "10 new members" in again.output
    other_seed = runner.invoke(args=["seed-demo", "--members", "5", "--seed", "8"])
    assert "5 new members" in other_seed.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.role == "member")) == 55
        assert db.session.scalar(select(func.count(Profile.user_id))) == 56  # + moderator
        complete = [p.is_complete for p in db.session.scalars(
            select(Profile).join(User).where(User.role == "member"))]
        assert all(complete)
    assert _user(app, DEMO_MODERATOR_EMAIL).role == "moderator"
    client = app.test_client()
    assert log_in(client, demo_email(7, 3), DEMO_PASSWORD).status_code == 302
    assert log_in(app.test_client(), DEMO_MODERATOR_EMAIL, DEMO_PASSWORD).status_code == 302


def test_seed_demo_leaves_requests_for_the_demo_moderator_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--members", "120", "--seed", "5"])
    assert "introduction requests are waiting" in first.output, first.output
    with app.app_context():
        pending = db.session.scalars(select(Introduction).where(
            Introduction.status == "pending_review")).all()
        first_member = _user(app, demo_email(5, 0))
        assert 2 <= len(pending) <= 5
        assert first_member.id in {i.recipient_id for i in pending}
    runner.invoke(args=["seed-demo", "--members", "120", "--seed", "5"])
    with app.app_context():
        assert db.session.scalar(select(func.count(Introduction.id))) == len(pending)
    moderator = app.test_client()
    log_in(moderator, DEMO_MODERATOR_EMAIL, DEMO_PASSWORD)
    assert moderator.get("/moderation").get_data(as_text=True).count("Approve</button>") == len(
        pending)
