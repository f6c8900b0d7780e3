"""SQLAlchemy models, one module per aggregate."""

from .matching import Block, Dismissal, MatchIndexState, MatchOutcome, OutcomeModelRecord
from .outbox import OutboxMail
from .profiles import Profile
from .users import User, UserSession

__all__ = [
    "Block",
    "Dismissal",
    "MatchIndexState",
    "MatchOutcome",
    "OutboxMail",
    "OutcomeModelRecord",
    "Profile",
    "User",
    "UserSession",
]
