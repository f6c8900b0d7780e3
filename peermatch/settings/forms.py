from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import PasswordInput

from ..auth.forms import DISPLAY_NAME, EMAIL
from ..forms import TrimmedStringField
from ..passwords import MAX_LENGTH


def _current() -> PasswordField:
    return PasswordField("Current password", [InputRequired("Enter your current password.")])


class ChangeEmailForm(FlaskForm):
    email = TrimmedStringField("New e-mail address", EMAIL)
    current_password = _current()


class ChangePasswordForm(FlaskForm):
    current_password = _current()
    new_password = PasswordField(
        "New password",
        [InputRequired("Choose a new password."), Length(max=MAX_LENGTH)],
        widget=PasswordInput(hide_value=False),
        description="At least 10 characters. A short sentence you can remember works well.",
    )


class DeleteAccountForm(FlaskForm):
    current_password = _current()


class DisplayNameForm(FlaskForm):
    display_name = DISPLAY_NAME()
