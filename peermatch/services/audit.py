"""The moderators' audit log: one row per action, added and never changed."""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import ModerationAction, User
from ..models.types import utcnow

log = logging.getLogger(__name__)
PAGE_SIZE = 50


def record(moderator: User, action: str, target_type: str, target_id: int,
           reason: str = "") -> ModerationAction:
    entry = ModerationAction(moderator_id=moderator.id, action=action, target_type=target_type,
                             target_id=target_id, reason=reason, created_at=utcnow())
    db.session.add(entry)
    log.info("moderation action=%s target=%s:%s moderator_id=%s", action, target_type,
             target_id, moderator.id)
    return entry


def page(number: int = 1) -> tuple[list[ModerationAction], int, int]:
    """Newest first, ``PAGE_SIZE`` a page; with the page's number and how many there are."""
    total = db.session.scalar(select(func.count()).select_from(ModerationAction)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)
    rows = db.session.scalars(
        select(ModerationAction).join(ModerationAction.moderator)
        .options(contains_eager(ModerationAction.moderator))
        .order_by(ModerationAction.id.desc())
        .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    return list(rows), number, pages
