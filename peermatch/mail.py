"""Outgoing mail through the outbox table.

A mail is written in the same transaction as the change it reports; once that commits, a job
delivers it (inline in development, by a worker in production) through the configured
backend: ``console`` (the log, the default) or ``smtp``. The outbox row is the record: a
failed attempt is retried with back-off, and a lost job is found again by the sweep.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import ColumnElement, and_, or_, select, update

from . import jobs, transactions
from .extensions import db
from .models import OutboxMail
from .models.types import utcnow

log = logging.getLogger(__name__)
CLAIM = timedelta(minutes=2)  # how long one delivery attempt holds a mail
# Waits after the 1st, 2nd, … failure; the last repeats for as long as the server fails.
BACK_OFF = [timedelta(seconds=s) for s in (10, 60, 300, 900, 3600)]
LOUD_AFTER = 6  # failures before each further one is logged as an error


class DeliveryFailed(Exception):
    """The mail server refused or did not answer; the mail is kept for another attempt."""


def queue(recipient: str, subject: str, body: str, user_id: int | None = None) -> OutboxMail:
    """Write the mail in the current transaction; delivery starts once it commits."""
    item = OutboxMail(recipient=recipient, subject=subject, body=body, user_id=user_id,
                      created_at=utcnow())
    db.session.add(item)
    db.session.flush()
    mail_id = item.id
    transactions.after_commit(lambda: jobs.submit("deliver_mail", mail_id))
    return item


def _send(item: OutboxMail) -> None:
    settings = current_app.config["PEERMATCH"]
    if settings.mail_backend == "console":  # development only (refused in production)
        log.info("mail to=%s subject=%r\n%s", item.recipient, item.subject, item.body)
        return
    if settings.mail_backend == "discard":  # load tests: counted as sent, goes nowhere
        log.info("mail discarded id=%s", item.id)
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


def _deliverable(now: datetime, backed_off: bool = True) -> ColumnElement[bool]:
    """Unsent, not held by an attempt in progress and, unless asked, past its back-off."""
    due = [OutboxMail.sent_at.is_(None),
           or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now)]
    if backed_off:
        due.append(or_(OutboxMail.next_attempt_at.is_(None), OutboxMail.next_attempt_at <= now))
    return and_(*due)


def _claim(mail_id: int, backed_off: bool = True) -> OutboxMail | None:
    """Take the mail for one attempt, committed at once so the claim outlives a crash."""
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxMail).where(OutboxMail.id == mail_id, _deliverable(now, backed_off))
        .values(claimed_until=now + CLAIM, attempts=OutboxMail.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    if getattr(claimed, "rowcount", 0) != 1:
        return None
    return db.session.get(OutboxMail, mail_id, populate_existing=True)


def deliver(mail_id: int, backed_off: bool = True) -> bool:
    """One attempt at one mail; False when it is sent already, being sent, or not yet due.
    At least once: a crash between sending and recording means it is sent again later. A
    failure sets the next attempt's time; the sweep makes it, however long the outage."""
    item = _claim(mail_id, backed_off)
    if item is None:
        return False
    try:
        _send(item)
    except (OSError, smtplib.SMTPException) as exc:
        wait = BACK_OFF[min(item.attempts, len(BACK_OFF)) - 1]
        item.last_error = f"{type(exc).__name__}: {exc}"[:500]
        item.claimed_until = None
        item.next_attempt_at = utcnow() + wait
        db.session.commit()
        level = logging.ERROR if item.attempts >= LOUD_AFTER else logging.WARNING
        log.log(level, "mail delivery failed id=%s attempt=%s error=%s retry_in=%ss", item.id,
                item.attempts, type(exc).__name__, int(wait.total_seconds()))
        raise DeliveryFailed(item.last_error) from exc
    item.sent_at = utcnow()
    item.claimed_until = None
    db.session.commit()
    return True


def _waiting(older_than: timedelta, limit: int, backed_off: bool = True) -> list[int]:
    now = utcnow()
    return list(db.session.scalars(
        select(OutboxMail.id)
        .where(_deliverable(now, backed_off), OutboxMail.created_at <= now - older_than)
        .order_by(OutboxMail.id).limit(limit)))


def sweep(older_than: timedelta = timedelta(minutes=1), limit: int = 500) -> int:
    """Hand every mail that should have gone by now to delivery again: its job may have
    been lost with Redis or with a crashed worker."""
    waiting = _waiting(older_than, limit)
    for mail_id in waiting:
        jobs.submit("deliver_mail", mail_id)
    if waiting:
        log.info("outbox sweep resubmitted=%s", len(waiting))
    return len(waiting)


def deliver_pending(limit: int = 50) -> int:
    """Try every unsent mail now, back-off or not, in this process (``flask send-mail``);
    how many went."""
    sent = 0
    for mail_id in _waiting(timedelta(0), limit, backed_off=False):
        try:
            sent += deliver(mail_id, backed_off=False)
        except DeliveryFailed:
            continue
    return sent
