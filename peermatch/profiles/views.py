from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import vocab
from ..models import Profile
from ..services import ServiceError
from ..services.profiles import ProfileData, ensure_profile, save_profile
from . import bp
from .forms import PRIORITY_FIELDS, ProfileForm


def _form_for(profile: Profile) -> ProfileForm:
    form = ProfileForm(obj=profile)
    if not form.is_submitted():
        form.max_active_conversations.data = str(profile.max_active_conversations)
        for code, name in PRIORITY_FIELDS.items():
            getattr(form, name).data = str(
                profile.priorities.get(code, vocab.DEFAULT_PRIORITIES[code])
            )
    return form


def _data_from(form: ProfileForm) -> ProfileData:
    fields = {name: getattr(form, name).data or "" for name in (
        "stage", "her2", "hr", "age_range", "support_role", "country", "region", "about")}
    return ProfileData(
        **fields,
        treatments=form.treatments.data or [],
        interests=form.interests.data or [],
        topics=form.topics.data or [],
        contact_modes=form.contact_modes.data or [],
        languages=form.languages.data or [],
        visible_fields=form.visible_fields.data or [],
        priorities={code: int(getattr(form, name).data) for code, name in PRIORITY_FIELDS.items()},
        open_to_matches=bool(form.open_to_matches.data),
        max_active_conversations=int(form.max_active_conversations.data),
    )


@bp.route("/profile", methods=["GET", "POST"])
def edit() -> str | Response:
    profile = ensure_profile(current_user)
    form = _form_for(profile)
    if form.validate_on_submit():
        try:
            save_profile(current_user, _data_from(form))
        except ServiceError as exc:
            flash(str(exc), "error")
        else:
            flash("Your profile is saved.", "success")
            return redirect(url_for("profiles.edit"))
    return render_template(
        "profiles/edit.html",
        form=form,
        profile=profile,
        priority_fields=[getattr(form, name) for name in PRIORITY_FIELDS.values()],
        us_states=vocab.US_STATES,
    )
