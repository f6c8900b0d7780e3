"""Flask commands: create-moderator, seed-demo, matching, mail and introduction upkeep."""

from __future__ import annotations

import os
import time

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from . import transactions
from .extensions import db
from .models import Profile, User
from .passwords import password_problem
from .services.accounts import hash_password, normalise_email


@click.command("create-moderator")
@with_appcontext
@click.argument("email")
@click.option("--display-name", required=True, help="The name other people see.")
def create_moderator(email: str, display_name: str) -> None:
    """Create a moderator account, or promote an existing member.

    The password comes from PEERMATCH_PASSWORD, else it is asked for twice.
    """
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        user.role = "moderator" if user.role == "member" else user.role
        transactions.commit()
        click.echo(f"{email} is now a moderator.")
        return
    password = os.environ.get("PEERMATCH_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    problem = password_problem(password, email=email, display_name=display_name)
    if problem:
        raise click.ClickException(problem)
    user = User(email=email, display_name=display_name.strip(), role="moderator",
                password_hash=hash_password(password), profile=Profile())
    db.session.add(user)
    transactions.commit()
    click.echo(f"Moderator {email} created.")


@click.command("seed-demo")
@with_appcontext
@click.option("--members", default=300, show_default=True, help="How many demo members.")
@click.option("--seed", default=1, show_default=True, help="The same seed gives the same members.")
def seed_demo(members: int, seed: int) -> None:
    """Add synthetic demo members (and a demo moderator); running it again adds nothing."""
    from .demo import DEMO_MODERATOR_EMAIL, DEMO_PASSWORD, demo_email
    from .seeding import ensure_demo_moderator, insert_demo_members, seed_demo_introductions

    started = time.perf_counter()
    added = insert_demo_members(members, seed)
    ensure_demo_moderator()
    transactions.commit()
    took = time.perf_counter() - started
    click.echo(f"Demo data: {added} new members in {took:.1f} s ({members} wanted, seed {seed}).")
    if added:
        _rebuild()
        train_matching.callback()  # type: ignore[misc]
    requests = seed_demo_introductions(seed)
    transactions.commit()
    if requests:
        click.echo(f"  {requests} introduction requests are waiting in the moderation queue.")
    click.echo(f"  Log in as a member:    {demo_email(seed, 0)}")
    click.echo(f"  Log in as a moderator: {DEMO_MODERATOR_EMAIL}")
    click.echo(f"  Password for both:     {DEMO_PASSWORD}")


def _rebuild() -> None:
    from .services.matching import rebuild_index

    started = time.perf_counter()
    rows = rebuild_index()
    transactions.commit()
    click.echo(f"Matching index: {rows} rows in {time.perf_counter() - started:.1f} s.")


@click.command("rebuild-index")
@with_appcontext
@click.option("--now", is_flag=True, help="Build here and now even when workers are configured.")
def rebuild_index(now: bool) -> None:
    """Build the matching index again from the database (other processes pick it up).

    With REDIS_URL set the build is queued for a worker, unless --now."""
    from flask import current_app

    from .jobs import submit

    if current_app.config["JOB_QUEUE"] == "inline" or now:
        _rebuild()
        return
    submit("rebuild_index")
    click.echo("Index rebuild queued for a worker.")


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run background jobs from Redis (mail, index rebuilds); needs REDIS_URL."""
    from flask import current_app

    from .jobs import work

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("Set REDIS_URL: in development jobs already run inline.")
    work(current_app._get_current_object(), burst=burst)  # type: ignore[attr-defined]


@click.command("train-matching")
@with_appcontext
def train_matching() -> None:
    """Fit the outcome model on every outcome so far (suggestions use it at once)."""
    from .services.learning import train_outcome_model

    record = train_outcome_model()
    transactions.commit()
    if record is None:
        click.echo("Not enough outcomes yet: suggestions use the weighted similarity alone.")
    else:
        click.echo(f"Outcome model {record.id} trained on {record.outcomes} outcomes "
                   f"({record.positives} connected).")


@click.command("evaluate-matching")
@with_appcontext
@click.option("--k", default=10, show_default=True, help="Cut-off for precision and NDCG.")
def evaluate_matching(k: int) -> None:
    """Offline quality on a time split: the oldest 80 % of outcomes train, the rest test."""
    from .services.learning import evaluate

    result = evaluate(k=k)
    if not result.rows:
        raise click.ClickException("Not enough outcomes to evaluate; seed demo members first.")
    click.echo(f"Trained on {result.train_outcomes} outcomes; tested on the later slates of "
               f"{result.test_members} members.")
    click.echo(f"{'method':<22} {'precision@' + str(k):>13} {'NDCG@' + str(k):>9}")
    for method, precision, ndcg in result.rows:
        click.echo(f"{method:<22} {precision:>13.3f} {ndcg:>9.3f}")


@click.command("send-mail")
@with_appcontext
def send_mail() -> None:
    """Deliver mail waiting in the outbox (safe to run from cron)."""
    from .mail import deliver_pending

    click.echo(f"Sent {deliver_pending(limit=1000)} mail(s).")


@click.command("expire-introductions")
@with_appcontext
def expire_introductions() -> None:
    """Expire introductions nobody answered within 14 days (safe to run from cron)."""
    from .services.introductions import expire

    count = expire()
    transactions.commit()
    click.echo(f"Expired {count} introduction(s).")


def register(app: Flask) -> None:
    for command in (create_moderator, seed_demo, rebuild_index, train_matching,
                    evaluate_matching, send_mail, expire_introductions, worker):
        app.cli.add_command(command)
