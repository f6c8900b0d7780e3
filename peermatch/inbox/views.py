from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..models.introductions import Introduction
from ..services import ServiceError, introductions
from ..services import conversations as talk
from ..services.suggestions import reasons_between, visible_facts
from . import bp
from .forms import MessageForm, ReportForm

# What the requester sees. A decline reads as "not available right now", never by name.
REQUEST_STATUS = {
    "pending_review": "Waiting for a moderator",
    "approved": "Waiting for their answer",
    "accepted": "Accepted: you can now talk",
    "declined": "Not available right now",
    "rejected": "Not approved by a moderator",
    "withdrawn": "Closed",
    "expired": "Expired without an answer",
}


def _reasons_for_me(intro: Introduction) -> list[str]:
    mine, theirs = current_user.profile, intro.requester.profile
    if mine is None or theirs is None:
        return []
    return reasons_between(mine, theirs)


@bp.route("/inbox")
def index() -> str:
    waiting = introductions.waiting_for(current_user)
    return render_template(
        "inbox/index.html",
        waiting=[(i, visible_facts(i.requester.profile), _reasons_for_me(i)) for i in waiting],
        requests=introductions.requested_by(current_user),
        conversations=talk.summaries(current_user),
        statuses=REQUEST_STATUS,
        form=FlaskForm(),
    )


def _checked() -> bool:
    return bool(FlaskForm().validate_on_submit())


@bp.route("/introductions/<int:intro_id>/accept", methods=["POST"])
def accept(intro_id: int) -> Response:
    if _checked():
        try:
            conversation = introductions.answer(current_user, intro_id, accept=True)
        except ServiceError as exc:
            flash(str(exc), "error")
        else:
            if conversation is not None:
                flash("You are connected. Say hello whenever you are ready.", "success")
                return redirect(url_for("inbox.conversation", conversation_id=conversation.id))
    return redirect(url_for("inbox.index"))


@bp.route("/introductions/<int:intro_id>/decline", methods=["POST"])
def decline(intro_id: int) -> Response:
    if _checked():
        try:
            introductions.answer(current_user, intro_id, accept=False)
        except ServiceError as exc:
            flash(str(exc), "error")
        else:
            flash("Declined. They will only see that you are not available right now.", "info")
    return redirect(url_for("inbox.index"))


@bp.route("/introductions/<int:intro_id>/withdraw", methods=["POST"])
def withdraw(intro_id: int) -> Response:
    if _checked():
        try:
            introductions.withdraw(current_user, intro_id)
        except ServiceError as exc:
            flash(str(exc), "error")
        else:
            flash("Your request is withdrawn.", "info")
    return redirect(url_for("inbox.index"))


def _render_conversation(conversation_id: int, form: MessageForm) -> str:
    conversation = talk.conversation_for(current_user, conversation_id)
    if not form.client_token.data:
        form.client_token.data = secrets.token_urlsafe(24)
    talk.mark_read(current_user, conversation)  # before the header counts what is unread
    other = talk.other_in(conversation, current_user.id).user
    messages = talk.messages_of(conversation)
    return render_template(
        "inbox/conversation.html", conversation=conversation, other=other, messages=messages,
        form=form, action_form=FlaskForm(),
        blocked=introductions.blocked_between(current_user.id, other.id),
        peer_struggling=any(m.sender_id == other.id and m.hidden_at is None
                            and "crisis" in m.flags for m in messages),
    )


@bp.route("/conversations/<int:conversation_id>")
def conversation(conversation_id: int) -> str:
    return _render_conversation(conversation_id, MessageForm(formdata=None))


@bp.route("/conversations/<int:conversation_id>", methods=["POST"])
def send(conversation_id: int) -> str | Response:
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message = talk.send_message(current_user, conversation_id, form.body.data or "",
                                        form.client_token.data or "")
        except ServiceError as exc:
            form.body.errors = [*form.body.errors, str(exc)]
        else:
            if "crisis" in message.flags:  # the panel first, at the top of the page
                flash("", "crisis")
                return redirect(url_for("inbox.conversation", conversation_id=conversation_id))
            return redirect(url_for("inbox.conversation", conversation_id=conversation_id,
                                    _anchor=f"m{message.id}"))
    return _render_conversation(conversation_id, form)


@bp.route("/conversations/<int:conversation_id>/end", methods=["POST"])
def end(conversation_id: int) -> Response:
    if _checked():
        talk.end_conversation(current_user, conversation_id)
        flash("The conversation has ended. You can still read it here.", "info")
    return redirect(url_for("inbox.conversation", conversation_id=conversation_id))


@bp.route("/conversations/<int:conversation_id>/block", methods=["POST"])
def block(conversation_id: int) -> Response:
    if _checked():
        conversation = talk.conversation_for(current_user, conversation_id)
        other = talk.other_in(conversation, current_user.id)
        talk.block(current_user, other.user_id)
        flash(f"{other.user.display_name} is blocked: you won't see or hear from each other "
              "again.", "info")
    return redirect(url_for("inbox.index"))


@bp.route("/messages/<int:message_id>/report", methods=["GET", "POST"])
def report(message_id: int) -> str | Response:
    message = talk.message_for(current_user, message_id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            talk.report_message(current_user, message_id, form.reason.data or "")
        except ServiceError as exc:
            form.reason.errors = [*form.reason.errors, str(exc)]
        else:
            flash("Thank you. A moderator will look at this message soon.", "success")
            return redirect(url_for("inbox.conversation",
                                    conversation_id=message.conversation_id))
    return render_template("inbox/report.html", form=form, message=message)
