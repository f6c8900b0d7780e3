from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from .. import throttle
from ..models import User
from ..passwords import password_problem
from ..services import ServiceError, accounts
from ..throttle import Rule
from ..urls import external_url, safe_next
from ..web import public
from . import bp
from .forms import ForgotPasswordForm, LoginForm, ResetPasswordForm, SignupForm


def sign_in(user: User, remember: bool = False) -> None:
    session.clear()  # a fresh session at every login
    accounts.start_session(user)
    login_user(user, remember=remember)


def _after_login_target() -> str:
    target = safe_next(request.args.get("next"))
    if target:
        return target
    if current_user.is_moderator:
        return url_for("moderation.queue")
    profile = current_user.profile
    if profile is None or not profile.is_complete:
        return url_for("profiles.edit")
    return url_for("matches.index")


@bp.route("/signup", methods=["GET", "POST"])
@public
def signup() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("profiles.edit"))
    form = SignupForm()
    if form.validate_on_submit():
        rule = Rule(throttle.SIGNUPS_PER_ADDRESS,
                    throttle.address_key("signup", request.remote_addr))
        throttle.current().attempt(rule)
        try:
            user = accounts.register(form.email.data, form.display_name.data, form.password.data)
        except accounts.WeakPassword as exc:
            form.password.errors.append(str(exc))
        except accounts.EmailTaken as exc:
            form.email.errors.append(str(exc))
        else:
            sign_in(user)
            flash("Welcome to PeerMatch! Tell us a little about yourself so we can suggest peers.",
                  "success")
            return redirect(url_for("profiles.edit"))
    elif form.is_submitted() and form.password.data and not form.password.errors:
        problem = password_problem(form.password.data, email=form.email.data or "",
                                   display_name=form.display_name.data or "")
        if problem:  # say it now, with the other problems, not on the next try
            form.password.errors = [*form.password.errors, problem]
    return render_template("auth/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("pages.home"))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        account = throttle.password_rule(form.email.data)
        address = Rule(throttle.LOGIN_FAILURES_PER_ADDRESS,
                       throttle.address_key("login", request.remote_addr))
        throttle.current().check(address)
        throttle.current().attempt(account)  # the sixth try in a minute waits, right or wrong
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            throttle.current().hit(address)
            failed = True
        elif not user.is_active:
            flash("This account is suspended. Please contact the moderators.", "error")
        else:
            throttle.current().forgive(account)  # the right password clears the account
            sign_in(user, remember=form.remember.data)
            return redirect(_after_login_target())
    return render_template("auth/login.html", form=form, failed=failed)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    accounts.end_session(current_user.get_id())
    logout_user()
    session.clear()
    flash("You have logged out. Take care.", "info")
    return redirect(url_for("pages.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        rules = (Rule(throttle.RESETS_PER_ACCOUNT, throttle.account_key("reset", form.email.data)),
                 Rule(throttle.RESETS_PER_ADDRESS,
                      throttle.address_key("reset", request.remote_addr)))
        throttle.current().attempt(*rules)
        accounts.request_password_reset(
            form.email.data,
            lambda token: external_url("auth.reset_password", token=token),
        )
        flash("If an account uses that address, we have sent it a link to choose a new "
              "password. It works for one hour.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset", methods=["GET", "POST"])
@public
def reset_password() -> str | Response:
    """The mailed link carries its token in the query string, which no access log keeps;
    the page then moves it into the session and shows a clean address."""
    token = request.args.get("token") or session.get("reset_token") or ""
    try:
        user = accounts.user_for_reset_token(token)
    except ServiceError as exc:
        session.pop("reset_token", None)
        flash(str(exc), "error")
        return redirect(url_for("auth.forgot_password"))
    if request.method == "GET" and "token" in request.args:
        session["reset_token"] = token
        return redirect(url_for("auth.reset_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(user, form.password.data)
        except accounts.WeakPassword as exc:
            form.password.errors.append(str(exc))
        else:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash("Your password is changed. Please log in with the new one.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
