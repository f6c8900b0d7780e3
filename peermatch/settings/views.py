from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, session, url_for
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from .. import throttle
from ..auth.views import sign_in
from ..services import accounts, privacy
from ..services.suggestions import dismissed
from . import bp
from .forms import ChangeEmailForm, ChangePasswordForm, DeleteAccountForm, DisplayNameForm


def _password_try() -> None:
    """A "Current password" is guessed no faster than at log-in (429 when exceeded)."""
    throttle.current().attempt(throttle.password_rule(current_user.email))


@bp.route("")
def index() -> str:
    return render_template("settings/index.html", hidden=dismissed(current_user),
                           form=FlaskForm())


@bp.route("/data.json")
def download() -> Response:
    """Everything the member put in or received, as one JSON file."""
    body = json.dumps(privacy.export(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="peermatch-my-data.json"'})


@bp.route("/name", methods=["GET", "POST"])
def name() -> str | BaseResponse:
    form = DisplayNameForm(obj=current_user)
    if form.validate_on_submit():
        accounts.change_display_name(current_user, form.display_name.data or "")
        flash("Your display name is changed.", "success")
        return redirect(url_for("settings.index"))
    return render_template("settings/name.html", form=form)


@bp.route("/email", methods=["GET", "POST"])
def email() -> str | BaseResponse:
    form = ChangeEmailForm()
    if form.validate_on_submit():
        _password_try()
        try:
            accounts.change_email(current_user, form.email.data or "",
                                  form.current_password.data or "")
        except accounts.WrongPassword as exc:
            form.current_password.errors.append(str(exc))
        except accounts.EmailTaken as exc:
            form.email.errors.append(str(exc))
        else:
            flash("Your e-mail address is changed.", "success")
            return redirect(url_for("settings.index"))
    return render_template("settings/email.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
def password() -> str | BaseResponse:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        _password_try()
        try:
            accounts.change_password(current_user, form.current_password.data or "",
                                     form.new_password.data or "")
        except accounts.WrongPassword as exc:
            form.current_password.errors.append(str(exc))
        except accounts.WeakPassword as exc:
            form.new_password.errors.append(str(exc))
        else:
            sign_in(current_user._get_current_object())  # the others stay signed out
            flash("Your password is changed. Every other device has been logged out.",
                  "success")
            return redirect(url_for("settings.index"))
    return render_template("settings/password.html", form=form)


@bp.route("/delete", methods=["GET", "POST"])
def delete() -> str | BaseResponse:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        _password_try()
        try:
            accounts.check_current_password(current_user, form.current_password.data or "")
        except accounts.WrongPassword as exc:
            form.current_password.errors.append(str(exc))
        else:
            privacy.delete_account(current_user._get_current_object())
            logout_user()
            session.clear()
            flash("Your account and profile are deleted. Thank you for being part of "
                  "PeerMatch; we wish you well.", "info")
            return redirect(url_for("pages.home"))
    return render_template("settings/delete.html", form=form)
