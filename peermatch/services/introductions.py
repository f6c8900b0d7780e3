"""The introduction lifecycle: request, moderator review, answer, withdraw, expire.

Every change of status is one conditional UPDATE (``… WHERE status = <expected>``), so two
people acting at the same moment cannot both succeed: the database picks one, on SQLite and
PostgreSQL alike, and the other is told what happened instead.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from .. import safety
from ..extensions import db
from ..models import Block, Conversation, Introduction, MatchOutcome, Participant, User
from ..models.introductions import APPROVED, NOTE_MAX, OPEN_STATUSES, PENDING_REVIEW
from ..models.types import utcnow
from . import Conflict, NotFound, ServiceError, notifications
from .audit import record
from .matching import refresh_after_commit
from .suggestions import is_proposable_to, reasons_between

log = logging.getLogger(__name__)

MAX_AWAITING_REVIEW = 5
EXPIRES_AFTER = timedelta(days=14)
UNAVAILABLE = "That person can't receive introductions right now."


def pair_filter(a: int, b: int) -> ColumnElement[bool]:
    low, high = sorted((a, b))
    return and_(Introduction.pair_low == low, Introduction.pair_high == high)


def blocked_between(a: int, b: int) -> bool:
    stmt = select(Block.id).where(or_(
        and_(Block.blocker_id == a, Block.blocked_id == b),
        and_(Block.blocker_id == b, Block.blocked_id == a),
    ))
    return db.session.scalar(stmt.limit(1)) is not None


def _open_between(a: int, b: int) -> Introduction | None:
    stmt = select(Introduction).where(pair_filter(a, b), Introduction.status.in_(OPEN_STATUSES))
    found: Introduction | None = db.session.scalar(stmt)
    return found


def _talking(a: int, b: int) -> bool:
    stmt = (select(Conversation.id).join(Introduction)
            .where(pair_filter(a, b), Conversation.ended_at.is_(None)))
    return db.session.scalar(stmt.limit(1)) is not None


def clean_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ServiceError("Please write a short note: a moderator reads it first.")
    if len(note) > NOTE_MAX:
        raise ServiceError(f"Please keep the note to {NOTE_MAX} characters.")
    return note


def request_introduction(requester: User, recipient_id: int, note: str) -> Introduction:
    """Ask to meet someone. A repeated submit of the same request returns the first one."""
    note = clean_note(note)
    # One member's requests queue behind each other (PostgreSQL row lock; SQLite
    # serialises writers anyway), so the limit below holds under concurrency.
    db.session.execute(select(User.id).where(User.id == requester.id).with_for_update())
    existing = _open_between(requester.id, recipient_id)
    if existing is not None:
        return _existing_or_refuse(existing, requester)
    recipient = db.session.get(User, recipient_id)
    if recipient is None:
        raise ServiceError(UNAVAILABLE)
    if _talking(requester.id, recipient.id):
        raise ServiceError(f"You are already talking with {recipient.display_name}.")
    if not is_proposable_to(requester, recipient.id):
        raise ServiceError(UNAVAILABLE)
    waiting = db.session.scalar(select(func.count()).select_from(Introduction).where(
        Introduction.requester_id == requester.id, Introduction.status == PENDING_REVIEW))
    if (waiting or 0) >= MAX_AWAITING_REVIEW:
        raise ServiceError(
            f"You already have {MAX_AWAITING_REVIEW} requests waiting for a moderator. "
            "Please wait until one has been read, then try again.")
    return _insert(requester, recipient, note)


def _insert(requester: User, recipient: User, note: str) -> Introduction:
    found = safety.check(note)
    low, high = sorted((requester.id, recipient.id))
    intro = Introduction(
        requester_id=requester.id, recipient_id=recipient.id, pair_low=low, pair_high=high,
        note=note, status=PENDING_REVIEW, flags=found.flags, urgent=found.crisis,
        reasons=_reasons(requester, recipient), created_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(intro)
    except IntegrityError:  # a request for the same pair committed a moment ago
        existing = _open_between(requester.id, recipient.id)
        if existing is None:
            raise
        return _existing_or_refuse(existing, requester)
    log.info("introduction requested id=%s flags=%s", intro.id, ",".join(intro.flags) or "-")
    return intro


def _existing_or_refuse(existing: Introduction, requester: User) -> Introduction:
    if existing.requester_id == requester.id:
        return existing
    if existing.status == APPROVED:
        raise ServiceError(f"{existing.requester.display_name} has already asked to meet you: "
                           "you can answer in your inbox.")
    raise ServiceError(UNAVAILABLE)  # their request is still unread: nothing may show yet


def _reasons(requester: User, recipient: User) -> list[str]:
    if requester.profile is None or recipient.profile is None:
        return []
    return reasons_between(requester.profile, recipient.profile)


def introduction_for(user: User, intro_id: int) -> Introduction:
    """An introduction the member is party to. The recipient does not see it before a
    moderator approved it; anyone else gets NotFound."""
    intro = db.session.get(Introduction, intro_id)
    visible = intro is not None and (
        intro.requester_id == user.id
        or (intro.recipient_id == user.id and intro.reviewed_at is not None
            and intro.status != "rejected")
    )
    if intro is None or not visible:
        log.warning("introduction refused id=%s user_id=%s", intro_id, user.id)
        raise NotFound("No such introduction.")
    return intro


def _transition(intro_id: int, expected: tuple[str, ...], **values: object) -> bool:
    result = db.session.execute(
        update(Introduction)
        .where(Introduction.id == intro_id, Introduction.status.in_(expected))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


def review(moderator: User, intro_id: int, approve: bool, reason: str = "") -> Introduction:
    """Approve or reject once; a second decision, even at the same moment, is a Conflict."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ServiceError("Please give a reason: the member will read it.")
    intro = db.session.get(Introduction, intro_id)
    if intro is None:
        raise NotFound("No such introduction.")
    status = APPROVED if approve else "rejected"
    decided = _transition(intro_id, (PENDING_REVIEW,), status=status,
                          reviewed_by_id=moderator.id, reviewed_at=utcnow(),
                          reason=reason or None)
    db.session.refresh(intro)
    if not decided:
        raise Conflict(_already_decided(intro))
    record(moderator, "approve_introduction" if approve else "reject_introduction",
           "introduction", intro.id, reason)
    if approve:
        notifications.introduction_waiting(intro.recipient)
    else:
        notifications.introduction_not_approved(intro.requester)
    log.info("introduction reviewed id=%s status=%s moderator_id=%s", intro.id, status,
             moderator.id)
    return intro


def _already_decided(intro: Introduction) -> str:
    who = intro.reviewed_by.display_name if intro.reviewed_by else "Another moderator"
    if intro.reviewed_at is None:
        return f"This introduction is no longer waiting for review (it was {intro.status})."
    verb = "rejected" if intro.status == "rejected" else "approved"
    when = intro.reviewed_at.strftime("%d %b %Y at %H:%M UTC")
    return f"{who} already {verb} this introduction on {when}."


def answer(recipient: User, intro_id: int, accept: bool) -> Conversation | None:
    """The recipient accepts (a conversation opens) or declines."""
    intro = introduction_for(recipient, intro_id)
    if intro.recipient_id != recipient.id:
        raise NotFound("No such introduction.")
    status = "accepted" if accept else "declined"
    if not _transition(intro.id, (APPROVED,), status=status, answered_at=utcnow()):
        raise ServiceError("This introduction has already been answered or has expired.")
    db.session.refresh(intro)
    if not accept:
        db.session.add(MatchOutcome(requester_id=intro.requester_id,
                                    recipient_id=intro.recipient_id, connected=False))
        return None
    conversation = Conversation(introduction_id=intro.id, created_at=utcnow())
    db.session.add(conversation)
    db.session.flush()
    db.session.add_all([Participant(conversation_id=conversation.id, user_id=uid)
                        for uid in (intro.requester_id, intro.recipient_id)])
    db.session.flush()
    notifications.introduction_accepted(intro.requester)
    refresh_after_commit(intro.requester_id, intro.recipient_id)  # a supporter's places
    return conversation


def withdraw(requester: User, intro_id: int) -> None:
    intro = introduction_for(requester, intro_id)
    if intro.requester_id != requester.id:
        raise NotFound("No such introduction.")
    if not _transition(intro.id, OPEN_STATUSES, status="withdrawn", answered_at=utcnow()):
        raise ServiceError("This request has already been answered, so it can't be withdrawn.")


def _withdraw_open(which: ColumnElement[bool]) -> None:
    db.session.execute(
        update(Introduction).where(which, Introduction.status.in_(OPEN_STATUSES))
        .values(status="withdrawn", answered_at=utcnow())
        .execution_options(synchronize_session=False))


def close_open_between(a: int, b: int) -> None:
    """Withdraw whatever is still open between two members (after a block)."""
    _withdraw_open(pair_filter(a, b))


def close_open_introductions_of(user_id: int) -> None:
    """Withdraw every open introduction a member is part of (suspension, deletion)."""
    _withdraw_open(or_(Introduction.requester_id == user_id,
                       Introduction.recipient_id == user_id))


def expire(now: datetime | None = None) -> int:
    """Requests unread by moderators for 14 days, and approved ones their recipient left
    unanswered for 14 days, expire; safe to run at any time."""
    cutoff = (now or utcnow()) - EXPIRES_AFTER
    ignored = db.session.execute(  # the recipient's 14 days start when they could see it
        update(Introduction)
        .where(Introduction.status == APPROVED, Introduction.reviewed_at < cutoff)
        .values(status="expired", answered_at=utcnow())
        .returning(Introduction.requester_id, Introduction.recipient_id)
    ).all()
    db.session.add_all([MatchOutcome(requester_id=r, recipient_id=c, connected=False)
                        for r, c in ignored])
    unread = db.session.execute(
        update(Introduction)
        .where(Introduction.status == PENDING_REVIEW, Introduction.created_at < cutoff)
        .values(status="expired", answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    total = len(ignored) + (getattr(unread, "rowcount", 0) or 0)
    log.info("introductions expired count=%s", total)
    return total


def waiting_for(user: User) -> list[Introduction]:
    """Approved introductions this member has not answered yet, oldest first."""
    return list(db.session.scalars(
        select(Introduction)
        .where(Introduction.recipient_id == user.id, Introduction.status == APPROVED)
        .options(joinedload(Introduction.requester).selectinload(User.profile))
        .order_by(Introduction.reviewed_at)
    ))


def requested_by(user: User, limit: int = 50) -> list[Introduction]:
    """This member's own requests, newest first."""
    return list(db.session.scalars(
        select(Introduction).where(Introduction.requester_id == user.id)
        .options(joinedload(Introduction.recipient), selectinload(Introduction.conversation))
        .order_by(Introduction.created_at.desc()).limit(limit)
    ))
