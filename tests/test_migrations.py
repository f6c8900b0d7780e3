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
