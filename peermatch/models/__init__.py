"""SQLAlchemy models, one module per aggregate."""

from .outbox import OutboxMail
from .profiles import Profile
from .users import User, UserSession

__all__ = ["OutboxMail", "Profile", "User", "UserSession"]
