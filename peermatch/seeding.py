"""Bulk insertion of synthetic demo members."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import TypeVar

from sqlalchemy import insert, select

from .demo import DEMO_MODERATOR_EMAIL, DEMO_PASSWORD, DemoMember, demo_email, generate_members
from .extensions import db
from .models import Introduction, MatchOutcome, Profile, User
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


DEMO_NOTES = (
    "Hello! Your profile sounded a lot like my story. I'd be glad to compare notes on side "
    "effects, whenever suits you.",
    "Hi, I was diagnosed last spring and would love to talk with someone further along.",
    "Hello from a fellow gardener. Scan weeks are hard for me; how do you get through them?",
    "Hi there. I'm in the online group too, facebook.com/groups/mbc-friends, but I'd rather "
    "talk one to one.",
    "Hello, I'd like to hear how you talked to your family about the diagnosis.",
)


def seed_demo_introductions(seed: int) -> int:
    """A few requests waiting for the demo moderator, one of them to the first demo member,
    so the whole flow can be tried at once. Adds nothing if any demo request exists."""
    from .services import ServiceError
    from .services.introductions import request_introduction
    from .services.suggestions import is_proposable_to, suggestions_for

    emails = [demo_email(seed, i) for i in range(200)]
    members = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    ordered = [members[e] for e in emails if e in members]
    if len(ordered) < 2 or db.session.scalar(
        select(Introduction.id).where(Introduction.requester_id.in_([u.id for u in ordered]))
    ):
        return 0
    first, others = ordered[0], ordered[1:]
    pairs = [(u, first.id) for u in others if is_proposable_to(u, first.id)][:1]
    for requester in others[: len(DEMO_NOTES) + 1]:
        if len(pairs) >= len(DEMO_NOTES) or requester in {p[0] for p in pairs}:
            continue
        top = suggestions_for(requester, limit=1)
        if top:
            pairs.append((requester, top[0].user_id))
    made = 0
    for (requester, recipient_id), note in zip(pairs, DEMO_NOTES, strict=False):
        try:
            request_introduction(requester, recipient_id, note)
        except ServiceError:
            continue
        made += 1
    return made
