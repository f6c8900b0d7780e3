"""Request-wide rules: deny by default, one commit per request, security headers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Request, Response, current_app, g, request
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter, Map

from . import transactions
from .extensions import login_manager

F = TypeVar("F", bound=Callable[..., object])

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CleanFormRequest(Request):
    """Form values lose NUL and the other control characters no text needs (PostgreSQL
    refuses NUL in text, and none of them belongs in a note or a message)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form:
            self.__dict__["form"] = ImmutableMultiDict(
                [(key, _CONTROL.sub("", value)) for key, value in form.items(multi=True)]
            )


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: ids up to the largest 64-bit integer; a bigger number
    simply matches no route (404) instead of overflowing the database driver."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def public(view: F) -> F:
    """Mark a view as reachable without logging in; every other view needs a login."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def _require_login() -> Response | None:
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if view is None or getattr(view, "is_public", False) or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()  # type: ignore[no-any-return]


def _finish_transaction(response: Response) -> Response:
    """Commit what the request changed, or roll it back when the answer is an error."""
    if response.status_code < 400:
        transactions.commit()
    else:
        transactions.rollback()
    return response


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["PEERMATCH"].is_production:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    user = g.get("_login_user")  # only if this request already loaded it
    if request.method == "POST" or (user is not None and user.is_authenticated):
        headers["Cache-Control"] = "no-store"
        headers["Vary"] = "Cookie"
    return response


def register(app: Flask) -> None:
    app.request_class = CleanFormRequest
    app.before_request(_require_login)
    app.after_request(_finish_transaction)
    app.after_request(_security_headers)
