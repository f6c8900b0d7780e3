"""The member's own account: e-mail, password, their data, deleting the account."""

from flask import Blueprint

bp = Blueprint("settings", __name__, url_prefix="/settings")

from . import views  # noqa: E402,F401
