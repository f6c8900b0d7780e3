"""One commit per unit of work, with work that must only happen once the commit stood."""

from __future__ import annotations

from collections.abc import Callable

from .extensions import db

_KEY = "after_commit"


def after_commit(callback: Callable[[], object]) -> None:
    """Run ``callback`` after the current transaction commits (dropped on rollback)."""
    db.session.info.setdefault(_KEY, []).append(callback)


def commit() -> None:
    """Commit, then run the callbacks, which may change more and are committed too."""
    db.session.commit()
    while callbacks := db.session.info.pop(_KEY, []):
        for callback in callbacks:
            callback()
        db.session.commit()


def rollback() -> None:
    db.session.rollback()
    db.session.info.pop(_KEY, None)
