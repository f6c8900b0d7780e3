"""Background jobs: mail delivery and index rebuilds.

In development (no ``REDIS_URL``) a job runs inline, right after the commit that asked for
it. In production it goes to an RQ queue on Redis and a worker (``make worker``) runs it,
retrying with back-off. The database stays the record of what must happen: a job lost with
Redis or a crashed worker is found again by the outbox sweep, so nothing is lost.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry, SimpleWorker

from . import transactions

log = logging.getLogger(__name__)

QUEUE_NAME = "peermatch"
RETRY_INTERVALS = [10, 60, 300, 900, 3600]  # seconds between attempts of a failed rebuild
SWEEP_EVERY = 30.0  # seconds
RESTART_AFTER = 5.0  # seconds before the worker starts again after losing Redis


def _tasks() -> dict[str, Callable[..., Any]]:
    from . import mail
    from .services.matching import rebuild_index

    return {"deliver_mail": mail.deliver, "sweep_outbox": mail.sweep,
            "rebuild_index": rebuild_index}


def redis_connection(app: Flask | None = None) -> Redis:
    """One client per app, with short timeouts so an outage is noticed quickly."""
    app = app or current_app
    client = app.extensions.get("peermatch.redis")
    if client is None:
        client = Redis.from_url(app.config["REDIS_URL"], socket_timeout=2,
                                socket_connect_timeout=2, health_check_interval=30)
        app.extensions["peermatch.redis"] = client
    return client


def _queue(app: Flask | None = None) -> Queue:
    app = app or current_app
    return Queue(app.config.get("JOB_QUEUE_NAME", QUEUE_NAME), connection=redis_connection(app))


def submit(task: str, *args: Any) -> None:
    """Run ``task`` now (inline) or hand it to a worker. Never raises for a queue outage:
    what the job should have done is still in the database for the sweep."""
    if current_app.config["JOB_QUEUE"] == "inline":
        from .mail import DeliveryFailed

        try:
            _tasks()[task](*args)
        except DeliveryFailed:
            pass  # logged by the mail module; kept in the outbox for `flask send-mail`
        except Exception:  # a failed job must not fail the request that asked for it
            log.exception("inline job failed task=%s", task)
        return
    # Mail keeps its own back-off in the outbox (the sweep retries it); other jobs use RQ's.
    retry = None if task == "deliver_mail" else Retry(max=len(RETRY_INTERVALS),
                                                      interval=RETRY_INTERVALS)
    try:
        _queue().enqueue(run, task, *args, job_timeout=900, retry=retry)
    except RedisError as exc:
        log.warning("job not queued task=%s error=%s", task, type(exc).__name__)


_worker_app: Flask | None = None


def run(task: str, *args: Any) -> None:
    """What a worker runs: the task in an app context, committed, or rolled back and raised
    so that RQ retries it later."""
    global _worker_app
    if _worker_app is None:
        from . import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        try:
            _tasks()[task](*args)
            transactions.commit()
        except Exception:
            transactions.rollback()
            raise


def _sweep_forever(app: Flask, stop: threading.Event) -> None:
    while not stop.wait(SWEEP_EVERY):
        with app.app_context():
            try:
                _tasks()["sweep_outbox"]()
                transactions.commit()
            except Exception:  # keep sweeping: the next round may find the database back
                transactions.rollback()
                log.exception("outbox sweep failed")


def work(app: Flask, burst: bool = False) -> None:
    """Run jobs until stopped, sweeping the outbox every half minute meanwhile."""
    global _worker_app
    _worker_app = app
    stop = threading.Event()
    sweeper = threading.Thread(target=_sweep_forever, args=(app, stop), daemon=True)
    sweeper.start()
    try:
        while True:
            worker = SimpleWorker([_queue(app)], connection=redis_connection(app))
            worker.work(burst=burst, with_scheduler=True)
            if burst or worker._stop_requested:  # asked to stop (SIGTERM, Ctrl-C)
                return
            # RQ gave up after an error (Redis restarting, say): start again shortly.
            log.error("job worker stopped unexpectedly; starting again in %s s", RESTART_AFTER)
            time.sleep(RESTART_AFTER)
    finally:
        stop.set()
