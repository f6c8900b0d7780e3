"""SQLAlchemy models, one module per aggregate."""

from .conversations import Conversation, Message, Participant
from .introductions import Introduction
from .matching import Block, Dismissal, MatchIndexState, MatchOutcome, OutcomeModelRecord
from .moderation import ModerationAction, Report
from .outbox import OutboxMail
from .profiles import Profile
from .users import User, UserSession

__all__ = [
    "Block",
    "Conversation",
    "Dismissal",
    "Introduction",
    "MatchIndexState",
    "MatchOutcome",
    "Message",
    "ModerationAction",
    "OutboxMail",
    "OutcomeModelRecord",
    "Participant",
    "Profile",
    "Report",
    "User",
    "UserSession",
]
