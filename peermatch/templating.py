"""Jinja helpers: form controls tied to their hints and errors for assistive technology."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, g
from markupsafe import Markup

from .models.types import utcnow


def control(field: Any, **attrs: Any) -> Markup:
    """Render a form control with aria-describedby/aria-invalid; None/False attributes drop."""
    described = [f"{field.id}-hint"] if field.description else []
    if field.errors:
        described.append(f"{field.id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    rendered: Markup = field(**{k: v for k, v in attrs.items() if v is not None and v is not False})
    return rendered


def waited(since: datetime, now: datetime | None = None) -> str:
    """How long ago, in the largest whole unit: "5 minutes", "3 hours", "2 days"."""
    seconds = max(0, int(((now or utcnow()) - since).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "under a minute"


_SECOND_TO_THIRD = (("You are both", "They are both"), ("You both", "They both"),
                    ("You have both", "They have both"), ("You share", "They share"),
                    ("You are in", "They are in"), ("You ", "They "))


def about_both(reason: str) -> str:
    """A match reason, said to a moderator about the two members ("They both …")."""
    for you, they in _SECOND_TO_THIRD:
        if reason.startswith(you):
            return they + reason[len(you):]
    return reason


def _inbox_count() -> dict[str, Any]:
    """Unread messages plus introductions to answer, for the header (logged-in pages)."""
    user = g.get("_login_user")
    if user is None or not user.is_authenticated:
        return {}
    from .services.conversations import unread_total

    return {"inbox_count": unread_total(user.id)}


def register(app: Flask) -> None:
    app.jinja_env.globals["control"] = control
    app.jinja_env.filters["waited"] = waited
    app.jinja_env.filters["about_both"] = about_both
    app.context_processor(_inbox_count)
