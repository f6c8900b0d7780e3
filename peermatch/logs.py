"""Application logging: one record per line, with the request's id.

Text logs (development) indent continuation lines; JSON logs (production) put each record
on one line. Either way user text cannot forge a record. Records carry ids, never
passwords, message text or health details: the code logs only ids, counts and flags.
"""

from __future__ import annotations

import json
import logging
import secrets
import sys
from datetime import UTC, datetime

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"


class SingleRecordFormatter(logging.Formatter):
    """Indents every continuation line, so a newline in user input never starts a record."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace("\r", "\\r").replace("\n", "\n    | ")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id") if has_request_context() else None
        return True


def _valid(request_id: str | None) -> bool:
    return bool(request_id) and len(request_id or "") <= 64 and all(
        ch.isalnum() or ch in "-_." for ch in request_id or "")


def _start_request() -> None:
    """Keep the id a proxy gave the request, or make one."""
    given = request.headers.get(REQUEST_ID_HEADER)
    g.request_id = given if _valid(given) else secrets.token_hex(8)


def _echo_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    return response


def configure(app: Flask) -> None:
    app.before_request(_start_request)
    app.after_request(_echo_request_id)
    logger = logging.getLogger("peermatch")
    if logger.handlers or app.testing:
        return
    handler = logging.StreamHandler(sys.stderr)
    if app.config["PEERMATCH"].log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(SingleRecordFormatter(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"))
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
