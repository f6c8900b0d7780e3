"""Mail delivery as a job: claimed once, retried on failure, never lost when the queue or a
worker goes away."""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from peermatch import jobs, mail
from peermatch.config import Settings
from peermatch.extensions import db
from peermatch.models import OutboxMail
from peermatch.models.types import utcnow
from tests.conftest import TEST_SETTINGS, make_app
from tests.factories import email_of, make_member


def _forgot(client, email):
    return client.post("/password/forgot", data={"email": email})


def _mails(app) -> list[OutboxMail]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_in_development_mail_goes_right_after_the_commit(app, client):
    _forgot(client, email_of(app, make_member(app)))
    [item] = _mails(app)
    assert item.sent_at is not None and item.attempts == 1 and item.claimed_until is None


def test_a_claimed_mail_is_not_sent_twice(app):
    with app.app_context():
        item = OutboxMail(recipient="a@example.org", subject="s", body="b", created_at=utcnow())
        db.session.add(item)
        db.session.commit()
        db.session.execute(update(OutboxMail).values(
            claimed_until=utcnow() + timedelta(minutes=1)))
        db.session.commit()
        assert mail.deliver(item.id) is False  # another worker holds it
        db.session.execute(update(OutboxMail).values(claimed_until=utcnow() - timedelta(1)))
        db.session.commit()
        assert mail.deliver(item.id) is True  # its claim ran out: the attempt crashed
        assert mail.deliver(item.id) is False  # sent: never again


def test_a_failed_delivery_is_kept_and_retried(app, database_url):
    broken = make_app(database_url, PEERMATCH=Settings(
        env="testing", secret_key="k", mail_backend="smtp", smtp_host="127.0.0.1",
        smtp_port=_closed_port()))
    try:
        member = email_of(app, make_member(app))
        assert _forgot(broken.test_client(), member).status_code == 302  # the request is fine
        [item] = _mails(app)
        assert item.sent_at is None and item.attempts == 1 and "ConnectionRefused" in (
            item.last_error or "")
        with app.app_context():  # the console backend stands in for the server coming back
            assert mail.deliver_pending() == 1
        assert _mails(app)[0].sent_at is not None
    finally:
        with broken.app_context():
            db.engine.dispose()


def test_with_the_queue_down_the_request_succeeds_and_the_sweep_delivers(app, database_url):
    queued = make_app(database_url, JOB_QUEUE="redis", REDIS_URL="redis://127.0.0.1:9/0")
    try:
        member = email_of(app, make_member(app))
        assert _forgot(queued.test_client(), member).status_code == 302
        [item] = _mails(app)
        assert item.sent_at is None and item.attempts == 0  # no job reached a worker
        with app.app_context():  # a worker's sweep, once things are back
            assert mail.sweep(older_than=timedelta(0)) == 1
        assert _mails(app)[0].sent_at is not None
    finally:
        with queued.app_context():
            db.engine.dispose()


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs TEST_REDIS_URL")
def test_a_worker_delivers_queued_mail_from_redis(app, database_url):
    name = f"peermatch-test-{secrets.token_hex(4)}"
    queued = make_app(database_url, JOB_QUEUE="redis", JOB_QUEUE_NAME=name,
                      REDIS_URL=os.environ["TEST_REDIS_URL"], PEERMATCH=TEST_SETTINGS)
    try:
        member = email_of(app, make_member(app))
        assert _forgot(queued.test_client(), member).status_code == 302
        assert _mails(app)[0].sent_at is None
        with queued.app_context():
            assert jobs._queue(queued).count == 1
        jobs.work(queued, burst=True)
        assert _mails(app)[0].sent_at is not None
    finally:
        with queued.app_context():
            jobs.redis_connection(queued).delete(f"rq:queue:{name}")
            db.engine.dispose()


def test_a_long_mail_server_outage_backs_off_and_never_gives_up(app, database_url, caplog):
    broken = make_app(database_url, PEERMATCH=Settings(
        env="testing", secret_key="k", mail_backend="smtp", smtp_host="127.0.0.1",
        smtp_port=_closed_port()))
    try:
        with broken.app_context():
            item = OutboxMail(recipient="a@example.org", subject="s", body="b",
                              created_at=utcnow() - timedelta(hours=1))
            db.session.add(item)
            db.session.commit()
            waits = []
            for _ in range(8):
                with pytest.raises(mail.DeliveryFailed):
                    mail.deliver(item.id)
                db.session.refresh(item)
                waits.append(round((item.next_attempt_at - utcnow()).total_seconds() / 10) * 10)
                assert mail.sweep() == 0  # backing off: not yet due
                item.next_attempt_at = utcnow() - timedelta(seconds=1)  # time passes
                db.session.commit()
            assert waits == [10, 60, 300, 900, 3600, 3600, 3600, 3600]
            assert item.sent_at is None and item.attempts == 8
            assert any(r.levelname == "ERROR" for r in caplog.records)
        with app.app_context():  # the server is back (console): the sweep sends it
            assert mail.sweep(older_than=timedelta(0)) == 1
            assert db.session.get(OutboxMail, item.id).sent_at is not None
    finally:
        with broken.app_context():
            db.engine.dispose()
