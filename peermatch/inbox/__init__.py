"""The member's inbox: introductions to answer, requests sent, private conversations."""

from flask import Blueprint

bp = Blueprint("inbox", __name__)

from . import views  # noqa: E402,F401
