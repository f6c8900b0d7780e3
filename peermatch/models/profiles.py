"""A member's profile: what matching reads and what peers may see."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import vocab
from ..extensions import db
from .types import JSONList, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .users import User

ABOUT_MAX = 1000
REQUIRED_FIELDS = ("stage", "her2", "hr", "age_range", "support_role", "country")


class Profile(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    stage: Mapped[str | None] = mapped_column(String(32))
    her2: Mapped[str | None] = mapped_column(String(16))
    hr: Mapped[str | None] = mapped_column(String(16))
    age_range: Mapped[str | None] = mapped_column(String(16))
    support_role: Mapped[str | None] = mapped_column(String(16))
    treatments: Mapped[list[str]] = mapped_column(JSONList, default=list)
    interests: Mapped[list[str]] = mapped_column(JSONList, default=list)
    topics: Mapped[list[str]] = mapped_column(JSONList, default=list)
    contact_modes: Mapped[list[str]] = mapped_column(JSONList, default=list)
    languages: Mapped[list[str]] = mapped_column(JSONList, default=list)
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(80))
    about: Mapped[str] = mapped_column(Text, default="")
    open_to_matches: Mapped[bool] = mapped_column(default=True, server_default=true())
    max_active_conversations: Mapped[int] = mapped_column(default=3, server_default="3")
    priorities: Mapped[dict[str, int]] = mapped_column(
        JSONList, default=lambda: dict(vocab.DEFAULT_PRIORITIES)
    )
    visible_fields: Mapped[list[str]] = mapped_column(
        JSONList, default=lambda: list(vocab.HEALTH_FIELDS)
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="profile")

    @property
    def is_complete(self) -> bool:
        """Enough to be matched: every single-choice field, a language and a contact mode."""
        return all(getattr(self, name) for name in REQUIRED_FIELDS) and bool(
            self.languages and self.contact_modes
        )
