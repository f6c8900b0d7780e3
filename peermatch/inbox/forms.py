from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..models.conversations import MESSAGE_MAX
from ..models.moderation import REASON_MAX


class MessageForm(FlaskForm):
    body = TextAreaField(
        "Message",
        [DataRequired("Please write a message before sending."),
         Length(max=MESSAGE_MAX,
                message=f"Please keep a message to {MESSAGE_MAX} characters; you can send "
                        "the rest in a second one.")],
    )
    client_token = HiddenField()


class ReportForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        [DataRequired("Please tell the moderators briefly what is wrong."),
         Length(max=REASON_MAX, message=f"Please keep it to {REASON_MAX} characters.")],
        description="Only the moderators read this. We don't tell the other member about "
        "your report.",
    )
