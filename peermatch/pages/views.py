from __future__ import annotations

import logging

from flask import jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from ..extensions import db
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


@bp.route("/healthz")
@public
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("health check: database unavailable (%s)", type(exc).__name__)
        db.session.rollback()
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="ok"), 200
