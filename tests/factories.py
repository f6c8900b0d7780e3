"""Test data builders: members with complete profiles, logged-in clients."""

from __future__ import annotations

import itertools
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from peermatch import transactions
from peermatch.extensions import db
from peermatch.models import User
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
