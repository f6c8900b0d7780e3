from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..services import ServiceError
from ..services.suggestions import dismiss, suggestions_for
from . import bp


@bp.route("/matches")
def index() -> str:
    profile = current_user.profile
    complete = profile is not None and profile.is_complete
    paused = complete and not profile.open_to_matches
    suggestions = suggestions_for(current_user) if complete and not paused else []
    return render_template(
        "matches/index.html", suggestions=suggestions, complete=complete, paused=paused,
        form=FlaskForm(),
    )


@bp.route("/matches/<int:user_id>/dismiss", methods=["POST"])
def not_now(user_id: int) -> Response:
    if FlaskForm().validate_on_submit():
        try:
            dismiss(current_user, user_id)
        except ServiceError as exc:
            flash(str(exc), "error")
        else:
            flash("Done. We won't suggest that person again.", "info")
    return redirect(url_for("matches.index"))
