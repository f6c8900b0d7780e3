"""Friendly error pages; a database outage answers 503 rather than a traceback."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from . import services, throttle
from .extensions import db, login_manager

log = logging.getLogger(__name__)

_PAGES = {403: "errors/403.html", 404: "errors/404.html", 409: "errors/409.html",
          429: "errors/429.html", 500: "errors/500.html", 503: "errors/503.html"}


def _render(code: int, message: str = "") -> tuple[str, int]:
    return render_template(_PAGES.get(code, "errors/500.html"), message=message), code


def _refused(exc: services.Refusal) -> tuple[str, int]:
    """A service said no: not yours or not there (404), not allowed (403), too late (409)."""
    if isinstance(exc, services.NotFound):
        return _render(404)
    if isinstance(exc, services.Forbidden):
        return _render(403)
    return _render(409, str(exc))


def _http_error(exc: HTTPException) -> HTTPException | tuple[str, int]:
    code = exc.code or 500
    if code in _PAGES and request.accept_mimetypes.best != "application/json":
        return _render(code)
    return exc


def _as_anonymous() -> None:
    """The page must not ask the database who is logged in: it may be what failed."""
    g._login_user = login_manager.anonymous_user()


def _database_down(exc: OperationalError) -> tuple[str, int, dict[str, str]]:
    db.session.rollback()
    _as_anonymous()
    log.error("database unavailable: %s", type(exc.orig).__name__)
    page = render_template("errors/503.html", kept=_kept_form(), action=request.path)
    return page, 503, {"Retry-After": "30"}


def _server_error(exc: InternalServerError) -> tuple[str, int]:
    db.session.rollback()
    _as_anonymous()
    return _render(500)


_NOT_ECHOED = ("csrf_token", "password")


def _kept_form() -> list[tuple[str, str]]:
    """What a refused POST carried, minus secrets, to offer it again."""
    if request.method != "POST":
        return []
    return [
        (name, value)
        for name, values in request.form.lists()
        if not any(word in name for word in _NOT_ECHOED)
        for value in values
    ]


def _csrf_failed(exc: CSRFError) -> tuple[str, int]:
    """Refuse the POST, but offer to send what was typed again with a fresh token."""
    log.info("csrf refused path=%s reason=%s", request.path, exc.description)
    return render_template("errors/csrf.html", kept=_kept_form(), action=request.path), 400


def _throttled(exc: throttle.Throttled) -> tuple[str, int, dict[str, str]]:
    log.info("throttled path=%s", request.path)
    return (render_template("errors/429.html", retry_after=exc.retry_after), 429,
            {"Retry-After": str(exc.retry_after)})


def _throttle_down(exc: throttle.ThrottleUnavailable) -> tuple[str, int, dict[str, str]]:
    """Fail closed: without the attempt counters, log-in and sign-up wait."""
    return render_template("errors/throttle_down.html"), 503, {"Retry-After": "60"}


def register(app: Flask) -> None:
    app.register_error_handler(throttle.Throttled, _throttled)
    app.register_error_handler(throttle.ThrottleUnavailable, _throttle_down)
    app.register_error_handler(CSRFError, _csrf_failed)
    for refusal in (services.NotFound, services.Forbidden, services.Conflict):
        app.register_error_handler(refusal, _refused)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(InternalServerError, _server_error)
