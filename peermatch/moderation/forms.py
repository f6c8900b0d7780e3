from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..models.moderation import REASON_MAX


class ReasonForm(FlaskForm):
    """Reject, hide, suspend or reinstate: always with a reason, kept in the audit log."""

    reason = TextAreaField(
        "Reason",
        [DataRequired("Please give a reason."),
         Length(max=REASON_MAX, message=f"Please keep the reason to {REASON_MAX} characters.")],
    )
