"""Outgoing mail through the outbox table.

A mail is written in the same transaction as the change it reports, then delivered after the
commit by the configured backend: ``console`` (the log, the default) or ``smtp``.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from . import transactions
from .extensions import db
from .models import OutboxMail
from .models.types import utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def queue(recipient: str, subject: str, body: str) -> OutboxMail:
    item = OutboxMail(recipient=recipient, subject=subject, body=body)
    db.session.add(item)
    if current_app.config["MAIL_DELIVERY"] == "inline":
        transactions.after_commit(deliver_pending)
    return item


def _send(item: OutboxMail) -> None:
    settings = current_app.config["PEERMATCH"]
    if settings.mail_backend == "console":
        log.info("mail to=%s subject=%r\n%s", item.recipient, item.subject, item.body)
        return
    message = EmailMessage()
    message["From"] = settings.mail_sender
    message["To"] = item.recipient
    message["Subject"] = item.subject
    message.set_content(item.body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username and settings.smtp_password:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)


def deliver_pending(limit: int = 50) -> int:
    """Send unsent mail, oldest first; a failure is kept for a later try. Commits."""
    items = db.session.scalars(
        select(OutboxMail)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMail.id)
        .limit(limit)
    ).all()
    sent = 0
    for item in items:
        item.attempts += 1
        try:
            _send(item)
        except (OSError, smtplib.SMTPException) as exc:
            item.last_error = str(exc)[:500]
            log.warning("mail delivery failed id=%s error=%s", item.id, type(exc).__name__)
        else:
            item.sent_at = utcnow()
            sent += 1
        db.session.commit()
    return sent
