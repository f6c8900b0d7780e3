"""Fixtures: one migrated database per test run (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set), emptied after every test."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from peermatch import create_app
from peermatch.config import Settings, normalise_database_url
from peermatch.extensions import db
from tests.factories import MENTOR, SEEKER, logged_in_client

TEST_SETTINGS = Settings(env="testing", secret_key="test-secret-key")


def production_settings(**overrides: object) -> Settings:
    """Settings production accepts; Redis on a closed port unless a test needs it."""
    values: dict[str, object] = {
        "env": "production", "secret_key": "s" * 32, "redis_url": "redis://127.0.0.1:9/0",
        "public_url": "https://peermatch.example", "mail_backend": "smtp", **overrides}
    return Settings(**values)  # type: ignore[arg-type]
# Cheap scrypt parameters keep the suite fast; production uses werkzeug's defaults.
FAST_HASH = "scrypt:1024:8:1"


def _postgres_database(admin_url: str) -> Iterator[str]:
    name = f"peermatch_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = make_url(normalise_database_url(admin_url))
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind, for schema tests."""
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if admin_url:
        yield from _postgres_database(admin_url)
    else:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if admin_url:
        yield from _postgres_database(admin_url)
    else:
        path: Path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        yield f"sqlite:///{path}"


# Throttle counters: in Redis when TEST_REDIS_URL is set (as CI's PostgreSQL run does), under
# a prefix of this run's own; else in the process.
THROTTLE_URI = os.environ.get("TEST_REDIS_URL") or "memory://"
THROTTLE_PREFIX = f"peermatch-test-{os.getpid()}-{secrets.token_hex(3)}"


def make_app(database_url: str, **overrides: object) -> Flask:
    return create_app(
        {
            "THROTTLE_STORAGE_URI": THROTTLE_URI,
            "THROTTLE_KEY_PREFIX": THROTTLE_PREFIX,
            "PEERMATCH": TEST_SETTINGS,
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": FAST_HASH,
            "MATCHING_INDEX_DIR": tempfile.mkdtemp(prefix="peermatch-index-"),
            **overrides,
        }
    )


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_tables() -> None:
    tables = [t.name for t in db.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        # The audit log's triggers refuse DELETE: lift them while emptying, then restore them.
        triggers = db.session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        for name, _ in triggers:
            db.session.execute(text(f"DROP TRIGGER {name}"))
        for name in reversed(tables):
            db.session.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - table names from metadata
        for _, sql in triggers:
            db.session.execute(text(sql))
    db.session.commit()


@pytest.fixture(autouse=True)
def _empty_database_after_test(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" in request.fixturenames:
        app: Flask = request.getfixturevalue("app")
        with app.app_context():
            db.session.rollback()
            _empty_tables()
        app.extensions["peermatch.throttle"].reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser: requests are made without an outer app context, as in production."""
    return app.test_client()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An app context for tests that call services or query the database directly."""
    with app.app_context():
        yield app


@pytest.fixture
def ana(app: Flask) -> tuple[FlaskClient, int]:
    """A logged-in member looking for support."""
    return logged_in_client(app, display_name="Ana", **SEEKER)


@pytest.fixture
def bea(app: Flask) -> tuple[FlaskClient, int]:
    """A logged-in member offering support, who suits Ana."""
    return logged_in_client(app, display_name="Bea", **MENTOR)


@pytest.fixture
def moderator(app: Flask) -> tuple[FlaskClient, int]:
    return logged_in_client(app, display_name="Mo", role="moderator", complete=False)
