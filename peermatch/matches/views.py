from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import User
from ..services import ServiceError
from ..services.introductions import request_introduction
from ..services.suggestions import (
    dismiss,
    is_proposable_to,
    reasons_between,
    suggestions_for,
    undismiss,
    visible_facts,
)
from . import bp
from .forms import IntroductionForm


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
            flash("Done. We won't suggest that person again; you can undo this in Settings.",
                  "info")
    return redirect(url_for("matches.index"))


@bp.route("/matches/<int:user_id>/restore", methods=["POST"])
def show_again(user_id: int) -> Response:
    if FlaskForm().validate_on_submit():
        undismiss(current_user, user_id)
        flash("Done. They can be suggested to you again.", "info")
    return redirect(url_for("settings.index"))


@bp.route("/matches/<int:user_id>/introduce", methods=["GET", "POST"])
def introduce(user_id: int) -> str | Response:
    peer = db.session.get(User, user_id)
    if peer is None or peer.profile is None or current_user.profile is None:
        abort(404)
    form = IntroductionForm()
    if form.validate_on_submit():
        try:
            intro = request_introduction(current_user, user_id, form.note.data or "")
        except ServiceError as exc:
            flash(str(exc), "error")
        else:
            if intro.urgent:
                flash("", "crisis")
            flash(f"Your request to {peer.display_name} is with a moderator. We'll let you "
                  "know here when there is news.", "success")
            return redirect(url_for("inbox.index"))
    if not is_proposable_to(current_user, user_id):  # never show who cannot be proposed
        flash("That person can't receive introductions right now.", "info")
        return redirect(url_for("matches.index"))
    return render_template(
        "matches/introduce.html", form=form, peer=peer, facts=visible_facts(peer.profile),
        reasons=reasons_between(current_user.profile, peer.profile),
    )
