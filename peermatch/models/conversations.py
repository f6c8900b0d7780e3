"""Private conversations between two members whose introduction was accepted."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import JSONList, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .introductions import Introduction
    from .users import User

MESSAGE_MAX = 2000


class Conversation(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When both members had written: the introduction became a real conversation.
    connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    introduction: Mapped[Introduction] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="conversation", order_by="Participant.user_id"
    )

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Participant(db.Model):  # type: ignore[name-defined,misc]
    """One of the two members of a conversation, with how far they have read."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("conversation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_read_message_id: Mapped[int] = mapped_column(default=0)
    last_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    conversation: Mapped[Conversation] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()


class Message(db.Model):  # type: ignore[name-defined,misc]
    """``client_token`` comes from the form that sent it, so a double submit stores one."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("sender_id", "client_token"),
        Index("ix_messages_conversation_id_id", "conversation_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_token: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    flags: Mapped[list[str]] = mapped_column(JSONList, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    sender: Mapped[User] = relationship(foreign_keys=[sender_id])
