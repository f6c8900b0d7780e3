"""Bulk insertion of synthetic demo members."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from sqlalchemy import insert, select

from .demo import DEMO_MODERATOR_EMAIL, DEMO_PASSWORD, DemoMember, generate_members
from .extensions import db
from .models import Profile, User
from .models.types import utcnow
from .services.accounts import hash_password

BATCH = 5000


def _batches(members: Iterator[DemoMember], size: int) -> Iterator[list[DemoMember]]:
    while batch := list(islice(members, size)):
        yield batch


def insert_demo_members(count: int, seed: int) -> int:
    """Insert the demo members of ``seed`` that are not there yet; returns how many."""
    existing = set(
        db.session.scalars(select(User.email).where(User.email.like(f"%.s{seed}@demo.peermatch.test")))
    )
    password_hash = hash_password(DEMO_PASSWORD)  # one slow hash, shared by every demo member
    added = 0
    now = utcnow()
    fresh = (m for m in generate_members(count, seed) if m.email not in existing)
    for batch in _batches(fresh, BATCH):
        rows = [
            {"email": m.email, "display_name": m.display_name, "password_hash": password_hash,
             "role": "member", "status": "active", "created_at": now, "password_changed_at": now}
            for m in batch
        ]
        ids = db.session.scalars(
            insert(User).returning(User.id, sort_by_parameter_order=True), rows
        ).all()
        db.session.execute(
            insert(Profile),
            [
                {"user_id": uid, **m.profile, "updated_at": now}
                for uid, m in zip(ids, batch, strict=True)
            ],
        )
        added += len(batch)
    return added


def ensure_demo_moderator() -> None:
    if db.session.scalar(select(User.id).where(User.email == DEMO_MODERATOR_EMAIL)) is None:
        db.session.add(User(email=DEMO_MODERATOR_EMAIL, display_name="Demo moderator",
                            role="moderator", password_hash=hash_password(DEMO_PASSWORD),
                            profile=Profile()))
        db.session.flush()
