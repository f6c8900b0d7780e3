from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Introduction, User
from ..safety import FLAG_LABELS
from ..services import NotFound, ServiceError, audit, moderation
from ..services.introductions import review
from ..services.suggestions import visible_facts
from . import bp
from .forms import ReasonForm


def _item(intro: Introduction) -> dict[str, object]:
    return {
        "intro": intro,
        "requester_facts": visible_facts(intro.requester.profile),
        "recipient_facts": visible_facts(intro.recipient.profile),
    }


@bp.route("")
def queue() -> str:
    items = [_item(i) for i in moderation.queue()]
    return render_template("moderation/queue.html", items=items, form=ReasonForm(formdata=None),
                           flag_names=FLAG_LABELS, reports=moderation.open_report_count())


@bp.route("/introductions/<int:intro_id>")
def introduction(intro_id: int) -> str:
    return _render_item(intro_id, ReasonForm(formdata=None))


def _render_item(intro_id: int, form: ReasonForm) -> str:
    intro = db.session.get(Introduction, intro_id)
    if intro is None:
        raise NotFound("No such introduction.")
    return render_template("moderation/introduction.html", item=_item(intro), form=form,
                           flag_names=FLAG_LABELS)


@bp.route("/introductions/<int:intro_id>/approve", methods=["POST"])
def approve(intro_id: int) -> Response:
    if FlaskForm().validate_on_submit():
        intro = review(current_user, intro_id, approve=True)
        flash(f"Approved: {intro.recipient.display_name} can now see the request.", "success")
    return redirect(url_for("moderation.queue"))


@bp.route("/introductions/<int:intro_id>/reject", methods=["POST"])
def reject(intro_id: int) -> str | Response:
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            review(current_user, intro_id, approve=False, reason=form.reason.data or "")
        except ServiceError as exc:
            form.reason.errors = [*form.reason.errors, str(exc)]
        else:
            flash("Rejected. The member will see your reason.", "success")
            return redirect(url_for("moderation.queue"))
    return _render_item(intro_id, form)


@bp.route("/reports")
def reports() -> str:
    return _render_reports(ReasonForm(formdata=None))


def _render_reports(form: ReasonForm, message_id: int | None = None) -> str:
    """The open reports; a refused hide shows its error and text beside its own report."""
    return render_template("moderation/reports.html", reports=moderation.open_reports(),
                           form=form, refused=message_id)


@bp.route("/messages/<int:message_id>/hide", methods=["POST"])
def hide(message_id: int) -> str | Response:
    form = ReasonForm()
    if not form.validate_on_submit():
        return _render_reports(form, message_id)
    moderation.hide_message(current_user, message_id, form.reason.data or "")
    flash("The message is hidden.", "success")
    return redirect(url_for("moderation.reports"))


@bp.route("/reports/<int:report_id>/dismiss", methods=["POST"])
def dismiss(report_id: int) -> Response:
    if FlaskForm().validate_on_submit():
        followed_up = request.form.get("outcome") == "followed_up"
        moderation.dismiss_report(current_user, report_id, followed_up=followed_up)
        flash("Report closed: followed up." if followed_up else "Report closed without action.",
              "info")
    return redirect(url_for("moderation.reports"))


@bp.route("/members/<int:user_id>")
def member(user_id: int) -> str:
    return _render_member(user_id, ReasonForm(formdata=None))


def _render_member(user_id: int, form: ReasonForm) -> str:
    actions, reports = moderation.history_of(user_id)
    return render_template("moderation/member.html",
                           member=moderation.member_for_moderator(user_id), form=form,
                           actions=actions, reports=reports)


@bp.route("/members/<int:user_id>/suspend", methods=["POST"])
def suspend(user_id: int) -> str | Response:
    return _change_status(user_id, moderation.suspend)


@bp.route("/members/<int:user_id>/reinstate", methods=["POST"])
def reinstate(user_id: int) -> str | Response:
    return _change_status(user_id, moderation.reinstate)


def _change_status(user_id: int, change: Callable[[User, int, str], User]) -> str | Response:
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            changed = change(current_user, user_id, form.reason.data or "")
        except ServiceError as exc:
            form.reason.errors = [*form.reason.errors, str(exc)]
        else:
            flash(f"{changed.display_name} is now {changed.status}.", "success")
            return redirect(url_for("moderation.member", user_id=user_id))
    return _render_member(user_id, form)


@bp.route("/audit")
def audit_log() -> str:
    entries, number, pages = audit.page(request.args.get("page", 1, type=int) or 1)
    return render_template("moderation/audit.html", entries=entries, page=number, pages=pages)
