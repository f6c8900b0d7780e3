"""What moderators do besides reviewing introductions: reports, hidden messages,
suspensions. Every action is written to the audit log in the same transaction."""

from __future__ import annotations

import logging

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import Introduction, Message, ModerationAction, Report, User
from ..models.introductions import PENDING_REVIEW
from ..models.moderation import REASON_MAX
from ..models.types import utcnow
from . import Conflict, NotFound, ServiceError
from .accounts import end_all_sessions
from .audit import record
from .introductions import close_open_introductions_of
from .matching import refresh_after_commit

log = logging.getLogger(__name__)
QUEUE_LIMIT = 100


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(f"Please give a reason for {what}: it goes in the audit log.")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"Please keep the reason to {REASON_MAX} characters.")
    return reason


def queue(limit: int = QUEUE_LIMIT) -> list[Introduction]:
    """Introductions waiting for review: urgent first, then the longest waiting."""
    return list(db.session.scalars(
        select(Introduction).where(Introduction.status == PENDING_REVIEW)
        .options(joinedload(Introduction.requester).selectinload(User.profile),
                 joinedload(Introduction.recipient).selectinload(User.profile))
        .order_by(Introduction.urgent.desc(), Introduction.created_at, Introduction.id)
        .limit(limit)
    ).unique())


def open_report_count() -> int:
    return int(db.session.scalar(
        select(func.count(Report.id)).where(Report.resolved_at.is_(None))) or 0)


def open_reports(limit: int = QUEUE_LIMIT) -> list[Report]:
    return list(db.session.scalars(
        select(Report).where(Report.resolved_at.is_(None))
        .options(joinedload(Report.message).joinedload(Message.sender),
                 joinedload(Report.reporter))
        .order_by(Report.urgent.desc(), Report.created_at, Report.id)
        .limit(limit)
    ).unique())


def hide_message(moderator: User, message_id: int, reason: str) -> Message:
    reason = _reason(reason, "hiding a message")
    message = db.session.get(Message, message_id)
    if message is None:
        raise NotFound("No such message.")
    now = utcnow()
    hidden = db.session.execute(
        update(Message).where(Message.id == message_id, Message.hidden_at.is_(None))
        .values(hidden_at=now, hidden_by_id=moderator.id, hidden_reason=reason)
        .execution_options(synchronize_session=False))
    if getattr(hidden, "rowcount", 0) != 1:
        raise Conflict("Another moderator already hid this message.")
    db.session.refresh(message)
    _resolve_reports(moderator, message_id, "hidden")
    record(moderator, "hide_message", "message", message_id, reason)
    return message


def dismiss_report(moderator: User, report_id: int, reason: str = "",
                   followed_up: bool = False) -> None:
    """Close a report without hiding anything: no action needed, or (for a member who may
    be in crisis) followed up with care outside the queue."""
    report = db.session.get(Report, report_id)
    if report is None:
        raise NotFound("No such report.")
    resolution = "followed_up" if followed_up else "no_action"
    done = db.session.execute(
        update(Report).where(Report.id == report_id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=moderator.id, resolution=resolution)
        .execution_options(synchronize_session=False))
    if getattr(done, "rowcount", 0) != 1:
        raise Conflict("Another moderator already handled this report.")
    record(moderator, "follow_up_report" if followed_up else "dismiss_report", "report",
           report_id, (reason or "").strip())


def _resolve_reports(moderator: User, message_id: int, resolution: str) -> None:
    db.session.execute(
        update(Report).where(Report.message_id == message_id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=moderator.id, resolution=resolution)
        .execution_options(synchronize_session=False))


def _member(moderator: User, user_id: int) -> User:
    member = db.session.get(User, user_id)
    if member is None or member.status == "deleted":
        raise NotFound("No such member.")
    if member.id == moderator.id or member.is_moderator:
        raise ServiceError("Moderators cannot be suspended here; ask an administrator.")
    return member


def _change_status(moderator: User, user_id: int, new: str, conflict: str) -> User:
    """One conditional UPDATE from the opposite status, so two moderators cannot both act."""
    member = _member(moderator, user_id)
    old = "active" if new == "suspended" else "suspended"
    changed = db.session.execute(
        update(User).where(User.id == user_id, User.status == old)
        .values(status=new).execution_options(synchronize_session=False))
    if getattr(changed, "rowcount", 0) != 1:
        raise Conflict(conflict.format(name=member.display_name))
    db.session.refresh(member)
    return member


def suspend(moderator: User, user_id: int, reason: str) -> User:
    """The member cannot log in, is signed out everywhere and leaves every suggestion list."""
    reason = _reason(reason, "suspending a member")
    member = _change_status(moderator, user_id, "suspended", "{name} is already suspended.")
    end_all_sessions(member)
    close_open_introductions_of(user_id)
    refresh_after_commit(user_id)
    record(moderator, "suspend_member", "user", user_id, reason)
    return member


def reinstate(moderator: User, user_id: int, reason: str) -> User:
    reason = _reason(reason, "reinstating a member")
    member = _change_status(moderator, user_id, "active", "{name} is not suspended.")
    refresh_after_commit(user_id)
    record(moderator, "reinstate_member", "user", user_id, reason)
    return member


def member_for_moderator(user_id: int) -> User:
    member = db.session.get(User, user_id, options=[selectinload(User.profile)])
    if member is None or member.status == "deleted":
        raise NotFound("No such member.")
    return member


def history_of(user_id: int, limit: int = 20) -> tuple[list[ModerationAction], int]:
    """Moderator actions on this member and how many reports their messages drew."""
    actions = list(db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.target_type == "user", ModerationAction.target_id == user_id)
        .options(joinedload(ModerationAction.moderator))
        .order_by(ModerationAction.id.desc()).limit(limit)))
    reports = db.session.scalar(
        select(func.count(Report.id)).join(Message, Message.id == Report.message_id)
        .where(Message.sender_id == user_id)) or 0
    return actions, int(reports)
