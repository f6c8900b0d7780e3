"""Load test: simulated members against a running `make serve`, then a check that every
message the server accepted is stored exactly once.

    make serve &                                 # PostgreSQL + Redis, several workers
    .venv/bin/python bench/load.py --members 20 --duration 30

It needs the same DATABASE_URL as the server (to pair demo members in conversations before
the run and to count messages after it) and demo members (`flask seed-demo`). Each member
logs in once, then loops: suggestions, inbox, their conversation, send a message. First,
the same number of clients hit `/livez` (no database, no template) for a few seconds: the
framework's ceiling on this machine, to which every page is compared.

    --kill-worker-after 10     SIGKILL one gunicorn worker 10 s into the run
    --restart-redis-after 20   restart Redis 20 s into the run (REDIS_RESTART command)

Not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CLIENT_TOKEN = re.compile(r'name="client_token" type="hidden" value="([^"]+)"')
REDIS_RESTART = os.environ.get(
    "REDIS_RESTART",
    "redis-cli -p 6379 shutdown nosave; sleep 1; redis-server --daemonize yes --bind 127.0.0.1 "
    "-::1 --port 6379 --save '' --appendonly no --dir /var/lib/redis "
    "--logfile /var/log/redis/ci.log",
)


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # 4xx
    accepted: list[str] = field(default_factory=list)  # the nonce in each accepted message
    unanswered: int = 0
    logged_in: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, route: str, seconds: float, status: int | None) -> None:
        with self.lock:
            self.latencies[route].append(seconds)
            if status is None or status >= 500:
                self.errors[route] += 1
            elif status >= 400:
                self.refused[route] += 1


def pair_members(count: int) -> list[tuple[int, str, int, int]]:
    """Make ``count`` conversations between demo members; (user id, e-mail, conversation id,
    other id) for each of the 2 × count members."""
    from sqlalchemy import select

    from peermatch import create_app, transactions
    from peermatch.extensions import db
    from peermatch.models import Conversation, Introduction, Participant, User
    from peermatch.models.types import utcnow

    app = create_app()
    with app.app_context():
        members = db.session.scalars(
            select(User).where(User.email.like("member%.s1@demo.peermatch.test"),
                               User.status == "active").order_by(User.id).limit(count * 2)
        ).all()
        if len(members) < count * 2:
            raise SystemExit(f"need {count * 2} demo members: run flask seed-demo first")
        made = []
        for a, b in zip(members[::2], members[1::2], strict=True):
            low, high = sorted((a.id, b.id))
            intro = Introduction(requester_id=a.id, recipient_id=b.id, pair_low=low,
                                 pair_high=high, note="load test", status="accepted",
                                 reviewed_at=utcnow(), answered_at=utcnow())
            db.session.add(intro)
            db.session.flush()
            conversation = Conversation(introduction_id=intro.id)
            db.session.add(conversation)
            db.session.flush()
            db.session.add_all([Participant(conversation_id=conversation.id, user_id=u.id)
                                for u in (a, b)])
            made += [(a.id, a.email, conversation.id, b.id), (b.id, b.email, conversation.id, a.id)]
        transactions.commit()
        db.engine.dispose()
    return made


def stored_messages(conversations: set[int]) -> Counter[str]:
    """How many times each message body is stored in these conversations."""
    from sqlalchemy import select

    from peermatch import create_app
    from peermatch.extensions import db
    from peermatch.models import Message

    app = create_app()
    with app.app_context():
        bodies = db.session.scalars(
            select(Message.body).where(Message.conversation_id.in_(conversations))).all()
        db.engine.dispose()
    return Counter(body.rsplit(" ", 1)[-1] for body in bodies)


def unsent_mail(since: datetime, wait: float) -> int:
    """Mail written during the run still unsent after waiting up to ``wait`` seconds."""
    from sqlalchemy import func, select

    from peermatch import create_app
    from peermatch.extensions import db
    from peermatch.models import OutboxMail

    app = create_app()
    deadline = time.perf_counter() + wait
    with app.app_context():
        while True:
            left = db.session.scalar(select(func.count(OutboxMail.id)).where(
                OutboxMail.created_at >= since, OutboxMail.sent_at.is_(None))) or 0
            db.session.rollback()
            if not left or time.perf_counter() > deadline:
                break
            time.sleep(2)
        db.engine.dispose()
    return int(left)


def timed(client: httpx.Client, results: Results, route: str, method: str, url: str,
          **kwargs: object) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError:
        results.record(route, time.perf_counter() - started, None)
        return None
    results.record(route, time.perf_counter() - started, response.status_code)
    return response


def member_loop(base: str, email: str, password: str, conversation: int, user_id: int,
                deadline: float, results: Results) -> None:
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
        page = timed(client, results, "GET /login", "GET", "/login")
        token = TOKEN.search(page.text).group(1) if page is not None else ""
        login = timed(client, results, "POST /login", "POST", "/login",
                      data={"csrf_token": token, "email": email, "password": password})
        if login is None or login.status_code != 302:
            return  # counted below: every member must log in
        with results.lock:
            results.logged_in += 1
        while time.perf_counter() < deadline:
            timed(client, results, "GET /matches", "GET", "/matches")
            timed(client, results, "GET /inbox", "GET", "/inbox")
            page = timed(client, results, "GET /conversations/<id>", "GET",
                         f"/conversations/{conversation}")
            if page is None or page.status_code != 200:
                continue
            csrf, form = TOKEN.search(page.text), CLIENT_TOKEN.search(page.text)
            if not csrf or not form:
                continue
            nonce = secrets.token_hex(8)  # found again in the database afterwards
            sent = timed(client, results, "POST /conversations/<id>", "POST",
                         f"/conversations/{conversation}",
                         data={"csrf_token": csrf.group(1), "client_token": form.group(1),
                               "body": f"Load test message {nonce}"})
            with results.lock:
                if sent is not None and sent.status_code == 302:
                    results.accepted.append(nonce)
                elif sent is None:
                    results.unanswered += 1


def ceiling(base: str, clients: int, seconds: float) -> Results:
    results = Results()
    deadline = time.perf_counter() + seconds

    def loop() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.perf_counter() < deadline:
                timed(client, results, "GET /livez", "GET", "/livez")

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def gunicorn_workers() -> list[int]:
    """Worker processes: gunicorn processes whose parent is the gunicorn master."""
    out = subprocess.run(["/bin/ps", "-eo", "pid,ppid,args"], capture_output=True,
                         text=True, check=True).stdout
    rows = [line.split(None, 2) for line in out.splitlines()[1:]]
    gunicorn = {int(pid): int(ppid) for pid, ppid, args in rows
                if "bin/gunicorn" in args.split(" ", 2)[:2][-1] and "wsgi:app" in args}
    masters = {pid for pid, ppid in gunicorn.items() if ppid not in gunicorn}
    return [pid for pid, ppid in gunicorn.items() if ppid in masters]


def chaos(kill_after: float | None, redis_after: float | None, started: float) -> None:
    events = sorted([(kill_after, "kill"), (redis_after, "redis")],
                    key=lambda e: e[0] or 0)
    for at, what in events:
        if at is None:
            continue
        time.sleep(max(0.0, started + at - time.perf_counter()))
        if what == "kill":
            workers = gunicorn_workers()
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                print(f"  [{at:.0f} s] killed gunicorn worker {workers[0]}")
        else:
            subprocess.run(REDIS_RESTART, shell=True, check=False)  # noqa: S602 - operator's command
            print(f"  [{at:.0f} s] restarted Redis")


def summary(name: str, results: Results, seconds: float, baseline: float | None) -> None:
    total = sum(len(v) for v in results.latencies.values())
    print(f"\n{name}: {total} requests in {seconds:.1f} s = {total / seconds:.0f} req/s, "
          f"{sum(results.errors.values())} errors (5xx or no answer)")
    print(f"  {'route':<28} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
          f" {'p50 / livez':>12}")
    for route, values in sorted(results.latencies.items()):
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        ratio = f"{q[49] / baseline:>11.1f}x" if baseline else ""
        print(f"  {route:<28} {len(values):>6} {q[49] * 1000:>8.1f} {q[94] * 1000:>8.1f}"
              f" {q[98] * 1000:>8.1f} {ratio:>12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--ceiling-seconds", type=float, default=5)
    parser.add_argument("--password", default="peermatch-demo-2026")
    parser.add_argument("--kill-worker-after", type=float)
    parser.add_argument("--restart-redis-after", type=float)
    parser.add_argument("--mail-wait", type=float, default=90,
                        help="seconds to wait for the worker to deliver the run's mail")
    args = parser.parse_args()

    base_line = ceiling(args.base, args.members, args.ceiling_seconds)
    summary("Ceiling (/livez)", base_line, args.ceiling_seconds, None)
    livez = statistics.median(base_line.latencies["GET /livez"])

    members = pair_members((args.members + 1) // 2)[: args.members]
    since = datetime.now(UTC)
    results = Results()
    started = time.perf_counter()
    deadline = started + args.duration
    threads = [threading.Thread(target=member_loop, args=(
        args.base, email, args.password, conversation, user_id, deadline, results))
        for user_id, email, conversation, _ in members]
    if args.kill_worker_after is not None or args.restart_redis_after is not None:
        threads.append(threading.Thread(target=chaos, args=(
            args.kill_worker_after, args.restart_redis_after, started)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    summary(f"{args.members} members", results, time.perf_counter() - started, livez)

    stored = stored_messages({conversation for _, _, conversation, _ in members})
    lost = [nonce for nonce in results.accepted if stored[nonce] == 0]
    duplicated = [nonce for nonce, n in stored.items() if n > 1]
    extra = len(set(stored) - set(results.accepted))
    refused = sum(results.refused.values())
    print(f"\nMembers logged in: {results.logged_in} of {len(members)}; "
          f"{refused} requests refused (4xx)")
    print(f"Messages: {len(results.accepted)} accepted, {sum(stored.values())} stored, "
          f"{len(lost)} lost, {len(duplicated)} duplicated, {extra} stored without an answer "
          f"({results.unanswered} requests got no answer)")
    left = unsent_mail(since, args.mail_wait)
    print(f"Mail written during the run and still unsent after {args.mail_wait:.0f} s: {left}")
    # A SIGKILLed worker drops the requests it was serving: errors are expected then, but
    # nothing it had accepted may be lost.
    errors_count = 0 if args.kill_worker_after is not None else sum(results.errors.values())
    bad = (lost or duplicated or errors_count or left or not results.accepted
           or results.logged_in < len(members))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
