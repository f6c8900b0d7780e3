"""Introductions: one member asks to meet another; a moderator looks first."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import JSONList, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .conversations import Conversation
    from .users import User

NOTE_MAX = 500
PENDING_REVIEW = "pending_review"
APPROVED = "approved"
STATUSES = (PENDING_REVIEW, APPROVED, "rejected", "accepted", "declined", "withdrawn", "expired")
OPEN_STATUSES = (PENDING_REVIEW, APPROVED)
_OPEN_SQL = "status IN ('pending_review', 'approved')"


class Introduction(db.Model):  # type: ignore[name-defined,misc]
    """``pending_review`` → ``approved`` → ``accepted`` | ``declined``; or ``rejected`` by a
    moderator, ``withdrawn`` by the requester, ``expired`` when nobody answered in time.

    ``pair_low``/``pair_high`` are the two member ids in order, so one partial unique index
    allows at most one open introduction per pair of members, whoever asked."""

    __tablename__ = "introductions"
    __table_args__ = (
        CheckConstraint("requester_id <> recipient_id", name="not_self"),
        CheckConstraint("pair_low < pair_high", name="pair_ordered"),
        CheckConstraint(
            "status IN ('pending_review', 'approved', 'rejected', 'accepted', 'declined', "
            "'withdrawn', 'expired')",
            name="status_known",
        ),
        Index("uq_introductions_open_pair", "pair_low", "pair_high", unique=True,
              sqlite_where=text(_OPEN_SQL), postgresql_where=text(_OPEN_SQL)),
        Index("ix_introductions_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    pair_low: Mapped[int]
    pair_high: Mapped[int]
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=PENDING_REVIEW)
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSONList, default=list)
    flags: Mapped[list[str]] = mapped_column(JSONList, default=list)
    urgent: Mapped[bool] = mapped_column(default=False)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    conversation: Mapped[Conversation | None] = relationship(
        primaryjoin="Introduction.id == Conversation.introduction_id", uselist=False,
        viewonly=True)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def other_party(self, user_id: int) -> User:
        return self.recipient if user_id == self.requester_id else self.requester
