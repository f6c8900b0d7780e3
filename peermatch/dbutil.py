"""Database helpers that both SQLite and PostgreSQL understand."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db


def insert_or_ignore(model: Any, **values: Any) -> bool:
    """Insert a row unless a unique constraint already holds it; True if inserted."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model).values(**values).on_conflict_do_nothing()
    result = db.session.execute(stmt)
    return bool(getattr(result, "rowcount", 0))
