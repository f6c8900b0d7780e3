"""Sign up, log in, log out and password reset."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask_login import LoginManager

from ..models import User

bp = Blueprint("auth", __name__)


def _load_user(token: str) -> User | None:
    from ..services.accounts import load_session

    return load_session(
        token, current_app.config["SESSION_IDLE"], current_app.config["SESSION_ABSOLUTE"]
    )


def init_login(manager: LoginManager) -> None:
    manager.login_view = "auth.login"
    manager.login_message = "Please log in to continue."
    manager.login_message_category = "info"
    manager.user_loader(_load_user)


from . import views  # noqa: E402,F401
