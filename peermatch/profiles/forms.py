from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from .. import vocab
from ..forms import CheckboxGroupField, TrimmedStringField, options
from ..models.profiles import ABOUT_MAX


def _single(label: str, vocabulary: Any, prompt: str, message: str) -> SelectField:
    return SelectField(
        label, choices=options(vocabulary, prompt), validators=[DataRequired(message)]
    )


def _group(label: str, vocabulary: Any, message: str | None = None, **kw: Any) -> Any:
    validators = [DataRequired(message)] if message else []
    return CheckboxGroupField(label, choices=options(vocabulary), validators=validators, **kw)


class ProfileForm(FlaskForm):
    stage = _single("Diagnosis stage", vocab.STAGES, "Choose a stage",
                    "Choose your diagnosis stage, or “Not sure yet”.")
    her2 = _single("HER2 status", vocab.HER2_STATUSES, "Choose a HER2 status",
                   "Choose your HER2 status, or “Not sure”.")
    hr = _single("Hormone receptor status", vocab.HR_STATUSES, "Choose a hormone receptor status",
                 "Choose your hormone receptor status, or “Not sure”.")
    treatments = _group("Treatments", vocab.TREATMENTS,
                        description="Tick any you have had or are having.")
    age_range = _single("Age range", vocab.AGE_RANGES, "Choose an age range",
                        "Choose your age range.")
    support_role = RadioField(
        "I'm here for", choices=options(vocab.SUPPORT_ROLES),
        validators=[DataRequired("Tell us whether you are looking for or offering support.")],
    )
    max_active_conversations = SelectField(
        "How many people can you support at once?",
        choices=options((str(n), str(n)) for n in range(1, 11)), default="3",
        description="Only used if you offer support. You can change it any time.",
    )
    interests = _group("Interests", vocab.INTERESTS)
    topics = _group("Topics I'd like to talk about", vocab.TOPICS)
    contact_modes = _group("Preferred contact", vocab.CONTACT_MODES,
                           "Choose at least one way you would like to be contacted.")
    languages = _group("Languages", vocab.LANGUAGES, "Choose at least one language you speak.")
    country = SelectField(
        "Country", choices=options(vocab.COUNTRIES, "Choose your country"),
        validators=[DataRequired("Choose your country.")],
    )
    region = TrimmedStringField(
        "Region", [Length(max=80, message="Use at most 80 characters.")],
        description="Your state, province or area. Only used to suggest people nearby "
        "if you would like to meet in person.",
    )
    about = TextAreaField(
        "About me",
        [Length(max=ABOUT_MAX, message=f"Please keep this under {ABOUT_MAX} characters.")],
        description="A few sentences in your own words, up to 1,000 characters. Proposed "
        "peers see this.",
    )
    visible_fields = _group(
        "Which health details proposed peers can see", vocab.HEALTH_FIELDS,
        description="Untick anything you would rather keep to yourself.",
    )
    open_to_matches = BooleanField(
        "Open to new matches",
        description="Untick this when you need some space: nobody new will be suggested "
        "to you or see you as a suggestion.",
    )

    def validate_about(self, field: Any) -> None:
        if field.data:
            field.data = field.data.strip()

    def validate_region(self, field: Any) -> None:
        if self.country.data == "US" and field.data:
            state = vocab.canonical_us_state(field.data)
            if state is None:
                raise ValidationError("Choose a US state (or Washington, D.C.) from the list.")
            field.data = state


PRIORITY_FIELDS = {code: f"priority_{code}" for code in vocab.PRIORITIES}
for _code, _label in vocab.PRIORITIES.items():
    setattr(
        ProfileForm,
        PRIORITY_FIELDS[_code],
        SelectField(
            _label,
            choices=options(vocab.PRIORITY_WEIGHTS),
            default=str(vocab.DEFAULT_PRIORITIES[_code]),
        ),
    )
