from __future__ import annotations

import logging

from flask import current_app, jsonify, render_template
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from ..extensions import db
from ..jobs import redis_connection
from ..web import public
from . import bp

log = logging.getLogger(__name__)


@bp.route("/")
@public
def home() -> str:
    return render_template("pages/home.html")


@bp.route("/guidelines")
@public
def guidelines() -> str:
    return render_template("pages/guidelines.html")


@bp.route("/resources")
@public
def resources() -> str:
    return render_template("pages/resources.html")


@bp.route("/livez")
@public
def livez() -> tuple[str, int, dict[str, str]]:
    """The process answers; touches nothing else (liveness, and the load test's ceiling)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


def _redis_state() -> str:
    if not current_app.config.get("REDIS_URL"):
        return "not configured"
    try:
        redis_connection().ping()
    except RedisError as exc:
        log.warning("health check: redis unavailable (%s)", type(exc).__name__)
        return "down"
    return "ok"


@bp.route("/healthz")
@public
def healthz() -> tuple[Response, int]:
    """200 while the database answers (a Redis outage only degrades log-in and jobs),
    503 when it does not, so a load balancer takes the node out."""
    redis = _redis_state()
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("health check: database unavailable (%s)", type(exc).__name__)
        db.session.rollback()
        return jsonify(status="unavailable", database="down", redis=redis), 503
    status = "degraded" if redis == "down" else "ok"
    return jsonify(status=status, database="ok", redis=redis), 200
