"""Mails about introductions and messages. They never hold health details, notes or
message text: only that something is waiting, and where to read it after logging in."""

from __future__ import annotations

from datetime import timedelta

from .. import mail
from ..models import Participant, User
from ..models.types import utcnow
from ..urls import external_url

MESSAGE_MAIL_EVERY = timedelta(hours=1)
_SIGNATURE = (
    "\n\nWith care,\nPeerMatch\n\n(You get this mail because you have a PeerMatch account.)\n"
)


def _send(user: User, subject: str, text: str, endpoint: str = "inbox.index") -> None:
    body = f"Hello {user.display_name},\n\n{text}\n\n{external_url(endpoint)}{_SIGNATURE}"
    mail.queue(user.email, subject, body, user_id=user.id)


def introduction_waiting(recipient: User) -> None:
    _send(recipient, "Someone would like to connect with you",
          "A member of PeerMatch would like to connect with you, and a moderator has read "
          "their request. You can read it and answer, whenever you are ready, in your inbox:")


def introduction_accepted(requester: User) -> None:
    _send(requester, "Your introduction was accepted",
          "Good news: your introduction was accepted, and a private conversation is open. "
          "You can write the first message in your inbox:")


def introduction_not_approved(requester: User) -> None:
    _send(requester, "About your introduction request",
          "A moderator read your introduction request and could not pass it on this time. "
          "Their note to you, and what you can do next, are in your inbox:")


def messages_waiting(participant: Participant) -> None:
    """At most one mail per conversation per hour to each member."""
    now = utcnow()
    if participant.last_mailed_at and now - participant.last_mailed_at < MESSAGE_MAIL_EVERY:
        return
    participant.last_mailed_at = now
    _send(participant.user, "You have new messages on PeerMatch",
          "Someone you are talking with on PeerMatch sent you a message. You can read it after "
          "logging in:")
