"""Jinja helpers: form controls tied to their hints and errors for assistive technology."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup


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


def register(app: Flask) -> None:
    app.jinja_env.globals["control"] = control
