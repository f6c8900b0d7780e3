"""Bulk insertion of synthetic demo members."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import TypeVar

from sqlalchemy import insert, select

from .demo import DEMO_MODERATOR_EMAIL, DEMO_PASSWORD, DemoMember, generate_members
from .extensions import db
from .models import MatchOutcome, Profile, User
from .models.types import utcnow
from .services.accounts import hash_password
from .simulation import simulate_history

BATCH = 5000
T = TypeVar("T")


def _batches(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while batch := list(islice(items, size)):
        yield batch


def insert_demo_members(count: int, seed: int) -> int:
    """Insert the demo members of ``seed`` that are not there yet, with a simulated history
    of introductions and their outcomes among them; returns how many members."""
    existing = set(
        db.session.scalars(select(User.email).where(User.email.like(f"%.s{seed}@demo.peermatch.test")))
    )
    password_hash = hash_password(DEMO_PASSWORD)  # one slow hash, shared by every demo member
    added: list[tuple[int, int, DemoMember]] = []  # (user id, index in the seed, member)
    now = utcnow()
    fresh = ((i, m) for i, m in enumerate(generate_members(count, seed))
             if m.email not in existing)
    for numbered in _batches(fresh, BATCH):
        batch = [m for _, m in numbered]
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
        added.extend((uid, i, m) for uid, (i, m) in zip(ids, numbered, strict=True))
    _insert_history(simulate_history(seed, [(uid, i, m.profile) for uid, i, m in added], now))
    return len(added)


def _insert_history(rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(MatchOutcome), rows[start : start + BATCH])


def ensure_demo_moderator() -> None:
    if db.session.scalar(select(User.id).where(User.email == DEMO_MODERATOR_EMAIL)) is None:
        db.session.add(User(email=DEMO_MODERATOR_EMAIL, display_name="Demo moderator",
                            role="moderator", password_hash=hash_password(DEMO_PASSWORD),
                            profile=Profile()))
        db.session.flush()
