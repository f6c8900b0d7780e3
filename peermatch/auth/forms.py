from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Email, InputRequired, Length
from wtforms.widgets import PasswordInput

from ..forms import TrimmedStringField
from ..passwords import MAX_LENGTH

EMAIL = [
    DataRequired("Enter your e-mail address."),
    Length(max=254, message="That e-mail address is too long."),
    Email("Enter an e-mail address like name@example.com."),
]


def DISPLAY_NAME() -> TrimmedStringField:
    return TrimmedStringField(
        "Display name",
        [
            DataRequired("Choose a display name."),
            Length(min=2, max=40, message="Use between 2 and 40 characters."),
        ],
        description="Other members see this name. A first name or a nickname is fine.",
    )


class SignupForm(FlaskForm):
    email = TrimmedStringField("Email", EMAIL)
    display_name = DISPLAY_NAME()
    password = PasswordField(
        "Password",
        [InputRequired("Choose a password."), Length(max=MAX_LENGTH)],
        widget=PasswordInput(hide_value=False),  # a refused sign-up keeps what was typed
        description="At least 10 characters. A short sentence you can remember works well.",
    )
    agree = BooleanField(
        "I agree to the community guidelines",
        [DataRequired("Please read and agree to the community guidelines to join.")],
    )


class LoginForm(FlaskForm):
    email = TrimmedStringField("Email", [DataRequired("Enter your e-mail address.")])
    password = PasswordField("Password", [InputRequired("Enter your password.")])
    remember = BooleanField("Keep me logged in on this device")


class ForgotPasswordForm(FlaskForm):
    email = TrimmedStringField("Email", EMAIL)


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        [InputRequired("Choose a new password."), Length(max=MAX_LENGTH)],
        widget=PasswordInput(hide_value=False),
        description="At least 10 characters. A short sentence you can remember works well.",
    )
