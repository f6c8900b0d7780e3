"""Migrations are the only way the schema is made, and they match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from peermatch.extensions import db
from tests.conftest import make_app


def _schema_differences() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return list(compare_metadata(context, db.metadata))


def test_upgrade_gives_exactly_the_models_schema(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []  # nothing made at app start
        upgrade()
        assert _schema_differences() == []
        db.engine.dispose()


def test_downgrade_then_upgrade_works(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _schema_differences() == []
        db.engine.dispose()


def test_downgrade_and_upgrade_on_a_populated_database_keep_the_data(empty_database_url):
    from sqlalchemy import text

    from peermatch import transactions
    from peermatch.mail import queue
    from peermatch.services import accounts

    app = make_app(empty_database_url)
    with app.app_context(), app.test_request_context():
        upgrade()
        user = accounts.register("kept@example.org", "Kept", "a calm blue lake at dawn")
        queue(user.email, "Hello", "Body", user_id=user.id)
        transactions.commit()
        downgrade(revision="-1")
        upgrade()
        rows = db.session.execute(text(
            "SELECT users.email, outbox_mail.user_id = users.id FROM users "
            "JOIN outbox_mail ON outbox_mail.recipient = users.email")).all()
        assert [(email, bool(same)) for email, same in rows] == [("kept@example.org", True)]
        assert _schema_differences() == []
        db.session.remove()
        db.engine.dispose()
