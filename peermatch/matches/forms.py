from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..models.introductions import NOTE_MAX


class IntroductionForm(FlaskForm):
    note = TextAreaField(
        "Note",
        [DataRequired("Please write a short note: a moderator reads it first."),
         Length(max=NOTE_MAX, message=f"Please keep the note to {NOTE_MAX} characters.")],
        description=(f"Say hello and why you would like to talk (up to {NOTE_MAX} characters). "
                     "A moderator reads it before they do. Please keep phone numbers and "
                     "e-mail addresses for later."),
    )
