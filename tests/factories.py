"""Test data builders: members with complete profiles, logged-in clients."""

from __future__ import annotations

import itertools
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from peermatch import transactions
from peermatch.extensions import db
from peermatch.models import Introduction, OutboxMail, User
from peermatch.services import accounts
from peermatch.services.profiles import ProfileData, save_profile

PASSWORD = "a calm blue lake at dawn"
_counter = itertools.count(1)

COMPLETE_PROFILE: dict[str, Any] = {
    "stage": "metastatic_recurrence",
    "her2": "low",
    "hr": "positive",
    "age_range": "50_59",
    "support_role": "both",
    "country": "US",
    "region": "Ohio",
    "about": "Living with MBC since 2021. I garden and read.",
    "treatments": ["endocrine", "cdk46"],
    "interests": ["gardening", "reading"],
    "topics": ["scan_anxiety", "side_effects"],
    "contact_modes": ["in_app", "video"],
    "languages": ["en"],
    "visible_fields": ["stage", "her2", "hr", "treatments", "age_range"],
}


def make_member(
    app: Flask,
    *,
    email: str | None = None,
    display_name: str | None = None,
    password: str = PASSWORD,
    role: str = "member",
    complete: bool = True,
    **profile: Any,
) -> int:
    """Create a member (profile filled unless ``complete=False``) and return the user id."""
    n = next(_counter)
    with app.app_context():
        user = accounts.register(email or f"member{n}@example.org",
                                 display_name or f"Member {n}", password)
        user.role = role
        if complete:
            save_profile(user, ProfileData(**{**COMPLETE_PROFILE, **profile}))
        transactions.commit()
        return user.id


def email_of(app: Flask, user_id: int) -> str:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        return user.email


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/login", data={"email": email, "password": password})


def logged_in_client(app: Flask, **member: Any) -> tuple[FlaskClient, int]:
    user_id = make_member(app, **member)
    client = app.test_client()
    response = log_in(client, email_of(app, user_id), member.get("password", PASSWORD))
    assert response.status_code == 302, response.get_data(as_text=True)
    return client, user_id


MENTOR: dict[str, Any] = {**COMPLETE_PROFILE, "support_role": "offering"}
SEEKER: dict[str, Any] = {**COMPLETE_PROFILE, "support_role": "seeking"}


def text_of(response: Any) -> str:
    return str(response.get_data(as_text=True))


def request_intro(client: FlaskClient, recipient_id: int,
                  note: str = "Hello! I would love to talk about scan anxiety.") -> Any:
    return client.post(f"/matches/{recipient_id}/introduce", data={"note": note})


def only_intro(app: Flask) -> Introduction:
    with app.app_context():
        intro = db.session.scalars(select(Introduction)).one()
        db.session.expunge(intro)
        return intro


def mails_to(app: Flask, user_id: int) -> list[OutboxMail]:
    with app.app_context():
        email = email_of(app, user_id)
        return list(db.session.scalars(select(OutboxMail).where(OutboxMail.recipient == email)))


def connect(app: Flask, requester: FlaskClient, recipient: FlaskClient, recipient_id: int,
            moderator: FlaskClient) -> str:
    """Request, approve and accept an introduction; the conversation's path."""
    request_intro(requester, recipient_id)
    intro = only_intro(app)
    moderator.post(f"/moderation/introductions/{intro.id}/approve")
    location: str = recipient.post(f"/introductions/{intro.id}/accept").headers["Location"]
    return location


def queries_for(app: Flask, client: FlaskClient, path: str) -> int:
    """How many SQL statements one GET of ``path`` runs."""
    counted: list[str] = []

    def listener(*args: Any) -> None:
        counted.append(args[2])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    return len(counted)
