"""Private conversations: read, send, end, block, report."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import aliased, joinedload

from .. import safety
from ..dbutil import insert_or_ignore
from ..extensions import db
from ..models import Block, Conversation, Introduction, MatchOutcome, Message, Participant, User
from ..models.conversations import MESSAGE_MAX
from ..models.moderation import REASON_MAX, Report
from ..models.types import utcnow
from . import NotFound, ServiceError, notifications
from .introductions import blocked_between, close_open_between
from .matching import refresh_after_commit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConversationSummary:
    conversation: Conversation
    other: User
    unread: int


def _me_in(conversation: Conversation, user_id: int) -> Participant | None:
    return next((p for p in conversation.participants if p.user_id == user_id), None)


def other_in(conversation: Conversation, user_id: int) -> Participant:
    return next(p for p in conversation.participants if p.user_id != user_id)


def conversation_for(user: User, conversation_id: int) -> Conversation:
    """A conversation the member takes part in; anyone else gets NotFound."""
    conversation = db.session.get(
        Conversation, conversation_id,
        options=[joinedload(Conversation.participants).joinedload(Participant.user)],
    )
    if conversation is None or _me_in(conversation, user.id) is None:
        log.warning("conversation refused id=%s user_id=%s", conversation_id, user.id)
        raise NotFound("No such conversation.")
    return conversation


def messages_of(conversation: Conversation) -> list[Message]:
    return list(db.session.scalars(
        select(Message).where(Message.conversation_id == conversation.id)
        .options(joinedload(Message.sender)).order_by(Message.id)
    ))


def mark_read(user: User, conversation: Conversation) -> None:
    me = _me_in(conversation, user.id)
    newest = db.session.scalar(
        select(func.max(Message.id)).where(Message.conversation_id == conversation.id))
    if me is not None and newest and newest > me.last_read_message_id:
        me.last_read_message_id = newest


def clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ServiceError("Please write a message before sending.")
    if len(body) > MESSAGE_MAX:
        raise ServiceError(f"Please keep a message to {MESSAGE_MAX} characters; "
                           "you can send the rest in a second one.")
    return body


def send_message(user: User, conversation_id: int, body: str, client_token: str) -> Message:
    """Store a message once per ``client_token`` (a double submit stores one)."""
    conversation = conversation_for(user, conversation_id)
    body = clean_body(body)
    other = other_in(conversation, user.id)
    # Ending and blocking update this row, so they and a message cannot cross (PostgreSQL).
    db.session.execute(select(Conversation).where(Conversation.id == conversation.id)
                       .with_for_update().execution_options(populate_existing=True))
    if not conversation.is_active or blocked_between(user.id, other.user_id):
        raise ServiceError("This conversation has ended, so no new messages can be sent.")
    if not client_token or len(client_token) > 64:
        raise ServiceError("Please reload the page and send again.")
    found = safety.check(body)
    now = utcnow()
    inserted = insert_or_ignore(
        Message, conversation_id=conversation.id, sender_id=user.id, client_token=client_token,
        body=body, flags=found.flags, created_at=now)
    message: Message | None = db.session.scalar(select(Message).where(
        Message.sender_id == user.id, Message.client_token == client_token))
    if message is None or message.conversation_id != conversation.id:
        raise ServiceError("Please reload the page and send again.")
    if inserted:
        _after_new_message(user, conversation, message, found.crisis)
    return message


def _after_new_message(user: User, conversation: Conversation, message: Message,
                       crisis: bool) -> None:
    conversation.last_message_at = message.created_at
    me = _me_in(conversation, user.id)
    if me is not None:
        me.last_read_message_id = max(me.last_read_message_id, message.id)
    if crisis:
        db.session.add(Report(message_id=message.id, reporter_id=None, urgent=True,
                              reason=safety.FLAG_LABELS[safety.CRISIS] + " (automatic)"))
    other = other_in(conversation, user.id)
    if conversation.connected_at is None and _has_written(conversation.id, other.user_id):
        _record_connection(conversation, message)
    notifications.messages_waiting(other)
    log.info("message sent id=%s conversation_id=%s flags=%s", message.id, conversation.id,
             ",".join(message.flags) or "-")


def _record_connection(conversation: Conversation, message: Message) -> None:
    """Both have written: a real conversation, recorded once as a learning outcome."""
    first = db.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation.id, Conversation.connected_at.is_(None))
        .values(connected_at=message.created_at)
        .execution_options(synchronize_session=False))
    if getattr(first, "rowcount", 0) == 1:
        intro = conversation.introduction
        db.session.add(MatchOutcome(requester_id=intro.requester_id,
                                    recipient_id=intro.recipient_id, connected=True))


def _has_written(conversation_id: int, user_id: int) -> bool:
    return db.session.scalar(select(Message.id).where(
        Message.conversation_id == conversation_id, Message.sender_id == user_id).limit(1)
    ) is not None


def end_conversation(user: User, conversation_id: int) -> Conversation:
    conversation = conversation_for(user, conversation_id)
    if conversation.is_active:
        conversation.ended_at = utcnow()
        conversation.ended_by_id = user.id
        # a supporter's place is free again
        refresh_after_commit(*(p.user_id for p in conversation.participants))
    return conversation


def block(user: User, other_id: int) -> None:
    """Never see or hear from this member again: ends conversations, closes requests."""
    if other_id == user.id or db.session.get(User, other_id) is None:
        raise NotFound("No such member.")
    insert_or_ignore(Block, blocker_id=user.id, blocked_id=other_id, created_at=utcnow())
    close_open_between(user.id, other_id)
    for conversation in _active_between(user.id, other_id):
        conversation.ended_at = utcnow()
        conversation.ended_by_id = user.id
    refresh_after_commit(user.id, other_id)
    log.info("member blocked blocker_id=%s blocked_id=%s", user.id, other_id)


def _active_between(a: int, b: int) -> list[Conversation]:
    mine, theirs = aliased(Participant), aliased(Participant)
    return list(db.session.scalars(
        select(Conversation)
        .join(mine, and_(mine.conversation_id == Conversation.id, mine.user_id == a))
        .join(theirs, and_(theirs.conversation_id == Conversation.id, theirs.user_id == b))
        .where(Conversation.ended_at.is_(None))
    ))


def message_for(user: User, message_id: int) -> Message:
    """A message in one of the member's conversations; a hidden one is gone for members."""
    message = db.session.get(Message, message_id)
    if message is None or message.hidden_at is not None:
        raise NotFound("No such message.")
    conversation_for(user, message.conversation_id)
    return message


def report_message(user: User, message_id: int, reason: str) -> None:
    message = message_for(user, message_id)
    if message.sender_id == user.id:
        raise ServiceError("You can only report messages someone else sent.")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Please tell the moderators briefly what is wrong.")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"Please keep the reason to {REASON_MAX} characters.")
    urgent = safety.has_crisis_language(reason) or safety.has_crisis_language(message.body)
    insert_or_ignore(Report, message_id=message.id, reporter_id=user.id, reason=reason,
                     urgent=urgent, created_at=utcnow())
    log.info("message reported message_id=%s reporter_id=%s", message.id, user.id)


def summaries(user: User) -> list[ConversationSummary]:
    """The member's conversations, newest activity first, with unread counts (one query)."""
    me, them = aliased(Participant), aliased(Participant)
    unread = (
        select(func.count(Message.id))
        .where(Message.conversation_id == me.conversation_id,
               Message.id > me.last_read_message_id, Message.sender_id != user.id)
        .correlate(me).scalar_subquery()
    )
    rows = db.session.execute(
        select(Conversation, User, unread)
        .join(me, and_(me.conversation_id == Conversation.id, me.user_id == user.id))
        .join(them, and_(them.conversation_id == Conversation.id, them.user_id != user.id))
        .join(User, User.id == them.user_id)
        .order_by(func.coalesce(Conversation.last_message_at, Conversation.created_at).desc())
    ).all()
    return [ConversationSummary(c, other, count or 0) for c, other, count in rows]


def unread_total(user_id: int) -> int:
    """Unread messages plus introductions waiting for this member's answer."""
    messages = db.session.scalar(
        select(func.count(Message.id))
        .join(Participant, and_(Participant.conversation_id == Message.conversation_id,
                                Participant.user_id == user_id))
        .where(Message.id > Participant.last_read_message_id, Message.sender_id != user_id)
    ) or 0
    waiting = db.session.scalar(
        select(func.count(Introduction.id))
        .where(Introduction.recipient_id == user_id, Introduction.status == "approved")
    ) or 0
    return int(messages) + int(waiting)

