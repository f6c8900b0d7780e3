"""Moderators only: the introduction queue, reports, suspensions and the audit log."""

import logging

from flask import Blueprint, abort, request
from flask_login import current_user

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
log = logging.getLogger(__name__)


@bp.before_request
def _moderators_only() -> None:
    """Every route here, present and future, is closed to members (403)."""
    if current_user.is_authenticated and not current_user.is_moderator:
        log.warning("moderation refused path=%s user_id=%s", request.path, current_user.id)
        abort(403)


from . import views  # noqa: E402,F401
