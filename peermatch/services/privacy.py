"""A member's own data: everything they put in or received, as one document; and
erasing their account, which leaves their conversations showing "a former member"."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import aliased, joinedload

from ..extensions import db
from ..models import (
    Block,
    Conversation,
    Dismissal,
    Introduction,
    MatchOutcome,
    Message,
    OutboxMail,
    Participant,
    Profile,
    Report,
    User,
    UserSession,
)
from ..models.types import utcnow
from .accounts import end_all_sessions
from .introductions import close_open_introductions_of
from .matching import refresh_after_commit

log = logging.getLogger(__name__)
FORMER_MEMBER = "A former member"
UNUSABLE_HASH = "!"  # no password hashes to this
_PROFILE_FIELDS = ("stage", "her2", "hr", "age_range", "support_role", "treatments",
                   "interests", "topics", "contact_modes", "languages", "country", "region",
                   "about", "open_to_matches", "max_active_conversations", "priorities",
                   "visible_fields")


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def export(user: User) -> dict[str, Any]:
    """The member's data. Of other members only their display names appear."""
    profile = user.profile
    return {
        "exported_at": _when(utcnow()),
        "account": {"email": user.email, "display_name": user.display_name,
                    "created_at": _when(user.created_at),
                    "last_login_at": _when(user.last_login_at)},
        "profile": {name: getattr(profile, name) for name in _PROFILE_FIELDS}
        if profile else None,
        "introductions": _introductions(user),
        "conversations": _conversations(user),
        "blocked": [name for (name,) in db.session.execute(
            select(User.display_name).join(Block, Block.blocked_id == User.id)
            .where(Block.blocker_id == user.id))],
        "hidden_suggestions": [name for (name,) in db.session.execute(
            select(User.display_name).join(Dismissal, Dismissal.dismissed_id == User.id)
            .where(Dismissal.user_id == user.id))],
        "reports_made": [{"message_id": r.message_id, "reason": r.reason,
                          "created_at": _when(r.created_at)}
                         for r in db.session.scalars(
                             select(Report).where(Report.reporter_id == user.id))],
        "sessions": [{"created_at": _when(s.created_at), "last_seen_at": _when(s.last_seen_at)}
                     for s in db.session.scalars(
                         select(UserSession).where(UserSession.user_id == user.id))],
        "mails": [{"subject": m.subject, "created_at": _when(m.created_at),
                   "sent_at": _when(m.sent_at)}
                  for m in db.session.scalars(
                      select(OutboxMail).where(OutboxMail.user_id == user.id))],
    }


def _introductions(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Introduction)
        .where(or_(Introduction.requester_id == user.id,
                   # a request not yet approved was never shown to its recipient
                   (Introduction.recipient_id == user.id)
                   & Introduction.reviewed_at.is_not(None)
                   & (Introduction.status != "rejected")))
        .options(joinedload(Introduction.requester), joinedload(Introduction.recipient))
        .order_by(Introduction.id))
    return [{
        "direction": "sent" if i.requester_id == user.id else "received",
        "with": i.other_party(user.id).display_name,
        "note": i.note,
        "status": i.status,
        "moderator_reason": i.reason if i.requester_id == user.id else None,
        "created_at": _when(i.created_at),
    } for i in rows]


def _conversations(user: User) -> list[dict[str, Any]]:
    mine, theirs = aliased(Participant), aliased(Participant)
    pairs = db.session.execute(
        select(Conversation, User)
        .join(mine, (mine.conversation_id == Conversation.id) & (mine.user_id == user.id))
        .join(theirs, (theirs.conversation_id == Conversation.id) & (theirs.user_id != user.id))
        .join(User, User.id == theirs.user_id)
        .order_by(Conversation.id)).all()
    ids = [c.id for c, _ in pairs]
    messages: dict[int, list[Message]] = {i: [] for i in ids}
    for message in db.session.scalars(
            select(Message).where(Message.conversation_id.in_(ids)).order_by(Message.id)):
        messages[message.conversation_id].append(message)
    return [{
        "with": other.display_name,
        "started_at": _when(conversation.created_at),
        "ended_at": _when(conversation.ended_at),
        "messages": [{"from": "me" if m.sender_id == user.id else other.display_name,
                      "text": None if m.hidden_at else m.body,
                      "sent_at": _when(m.created_at)} for m in messages[conversation.id]],
    } for conversation, other in pairs]


def delete_account(user: User) -> None:
    """Erase the profile and personal data and end every session. The account row stays,
    anonymised, so conversations with others read "a former member"."""
    uid = user.id
    end_all_sessions(user)
    close_open_introductions_of(uid)
    db.session.execute(
        update(Conversation)
        .where(Conversation.id.in_(select(Participant.conversation_id)
                                   .where(Participant.user_id == uid)),
               Conversation.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_by_id=uid)
        .execution_options(synchronize_session=False))
    for model, column in ((Dismissal, Dismissal.user_id), (Dismissal, Dismissal.dismissed_id),
                          (Block, Block.blocker_id), (Block, Block.blocked_id),
                          (MatchOutcome, MatchOutcome.requester_id),
                          (MatchOutcome, MatchOutcome.recipient_id)):
        db.session.execute(delete(model).where(column == uid))
    db.session.execute(delete(OutboxMail).where(
        or_(OutboxMail.user_id == uid, OutboxMail.recipient == user.email)))
    db.session.execute(delete(Profile).where(Profile.user_id == uid))
    db.session.expire(user, ["profile"])
    user.email = f"deleted-{uid}@deleted.invalid"
    user.display_name = FORMER_MEMBER
    user.password_hash = UNUSABLE_HASH
    user.status = "deleted"
    user.last_login_at = None
    db.session.flush()
    refresh_after_commit(uid)
    log.info("account deleted user_id=%s", uid)
