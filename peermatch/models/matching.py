"""State that matching keeps in the database: the index's version, dismissed suggestions
and blocks between members."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import JSONList, UTCDateTime, utcnow


class MatchIndexState(db.Model):  # type: ignore[name-defined,misc]
    """One row. ``version`` goes up at every rebuild and ``build_id`` names its files;
    ``rows_used`` counts the rows in use, and a new member claims the next one with a
    conditional update."""

    __tablename__ = "match_index_state"
    __table_args__ = (CheckConstraint("rows_used <= capacity", name="rows_within_capacity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    build_id: Mapped[str] = mapped_column(String(32), default="")
    rows_used: Mapped[int] = mapped_column(default=0)
    capacity: Mapped[int] = mapped_column(default=0)
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Dismissal(db.Model):  # type: ignore[name-defined,misc]
    """A suggestion the member set aside with "Not now"; it stays hidden."""

    __tablename__ = "dismissals"
    __table_args__ = (UniqueConstraint("user_id", "dismissed_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique (user_id, dismissed_id) constraint's index serves lookups by user_id.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    dismissed_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Block(db.Model):  # type: ignore[name-defined,misc]
    """Blocked members never see each other again, in either direction."""

    __tablename__ = "blocks"
    __table_args__ = (
        UniqueConstraint("blocker_id", "blocked_id"),
        CheckConstraint("blocker_id <> blocked_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MatchOutcome(db.Model):  # type: ignore[name-defined,misc]
    """What became of one proposed pair: did they go on to talk? The learning signal.

    Written when an introduction ends (accepted and followed by a conversation, declined,
    or left to expire), and by the demo seeder's simulated history."""

    __tablename__ = "match_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    connected: Mapped[bool]
    simulated: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class OutcomeModelRecord(db.Model):  # type: ignore[name-defined,misc]
    """A fitted outcome model: coefficients of a logistic regression, newest wins."""

    __tablename__ = "outcome_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    feature_names: Mapped[list[str]] = mapped_column(JSONList)
    coefficients: Mapped[list[float]] = mapped_column(JSONList)
    intercept: Mapped[float]
    outcomes: Mapped[int]
    positives: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
