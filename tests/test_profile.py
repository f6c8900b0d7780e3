"""The profile builder: every field, clear errors, nothing lost, nothing assigned by stealth."""

from __future__ import annotations

import re

from sqlalchemy import select

from peermatch import vocab
from peermatch.extensions import db
from peermatch.models import Profile, User
from tests.factories import logged_in_client

FULL_FORM = {
    "stage": "metastatic_de_novo",
    "her2": "low",
    "hr": "positive",
    "age_range": "40_49",
    "support_role": "seeking",
    "max_active_conversations": "2",
    "treatments": ["cdk46", "endocrine"],
    "interests": ["reading", "yoga"],
    "topics": ["clinical_trials", "scan_anxiety"],
    "contact_modes": ["in_app", "video"],
    "languages": ["en", "es"],
    "country": "US",
    "region": "new york",
    "about": "Diagnosed de novo last spring. <b>Yoga</b> keeps me sane.",
    "priority_diagnosis": "3",
    "priority_treatments": "2",
    "priority_age": "1",
    "priority_interests": "0",
    "priority_region": "3",
    "visible_fields": ["stage", "her2", "hr"],
    "open_to_matches": "y",
}


def _profile(app, user_id) -> Profile:
    with app.app_context():
        profile = db.session.get(Profile, user_id)
        assert profile is not None
        db.session.expunge(profile)
        return profile


def test_form_has_every_labelled_control_from_the_contract(app):
    client, _ = logged_in_client(app, complete=False)
    body = client.get("/profile").get_data(as_text=True)
    for label in ("Diagnosis stage", "HER2 status", "Hormone receptor status", "Age range",
                  "About me", "Country", "Region", "Open to new matches"):
        assert f">{label}</label>" in body, label
    for legend in ("Treatments", "Interests", "Topics I&#39;d like to talk about",
                   "Preferred contact", "Languages", "I&#39;m here for"):
        assert f"<legend>{legend}</legend>" in body, legend
    for label in [*vocab.INTERESTS.values(), "Looking for support", "Offering support", "Both"]:
        assert f">{label}</label>" in body.replace("&#39;", "'"), label
    assert ">Save profile</button>" in body


def test_saving_every_field_persists_it(app):
    client, user_id = logged_in_client(app, complete=False)
    response = client.post("/profile", data=FULL_FORM)
    assert response.status_code == 302
    profile = _profile(app, user_id)
    assert profile.stage == "metastatic_de_novo"
    assert profile.her2 == "low"
    assert profile.treatments == ["endocrine", "cdk46"]  # vocabulary order
    assert profile.languages == ["en", "es"]
    assert profile.region == "New York"
    assert profile.priorities == {"diagnosis": 3, "treatments": 2, "age": 1, "interests": 0,
                                  "region": 3}
    assert profile.visible_fields == ["stage", "her2", "hr"]
    assert profile.max_active_conversations == 2
    assert profile.open_to_matches is True
    assert profile.is_complete
    page = client.get("/profile").get_data(as_text=True)
    assert '<option selected value="metastatic_de_novo">' in page
    assert 'value="New York" selected' in page
    assert "&lt;b&gt;Yoga&lt;/b&gt;" in page


def test_pausing_matching_is_saved(app):
    client, user_id = logged_in_client(app)
    data = {k: v for k, v in FULL_FORM.items() if k != "open_to_matches"}
    assert client.post("/profile", data=data).status_code == 302
    assert _profile(app, user_id).open_to_matches is False


def test_missing_required_fields_keep_everything_typed(app):
    client, user_id = logged_in_client(app, complete=False)
    data = {**FULL_FORM, "stage": "", "languages": [], "about": "Still here and typing."}
    response = client.post("/profile", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose your diagnosis stage" in body
    assert "Choose at least one language" in body
    assert "Still here and typing." in body
    assert re.search(r'<input checked id="treatments-\d+" name="treatments" '
                     r'type="checkbox" value="cdk46">', body)
    assert _profile(app, user_id).stage is None


def test_region_must_be_a_state_for_the_united_states(app):
    client, _ = logged_in_client(app, complete=False)
    body = client.post("/profile", data={**FULL_FORM, "region": "Narnia"}).get_data(as_text=True)
    assert "Choose a US state" in body
    assert 'value="Narnia" selected' in body


def test_region_is_free_text_elsewhere(app):
    client, user_id = logged_in_client(app, complete=False)
    client.post("/profile", data={**FULL_FORM, "country": "CA", "region": "  Nova   Scotia "})
    assert _profile(app, user_id).region == "Nova Scotia"


def test_about_me_over_1000_characters_is_refused_and_kept(app):
    client, _ = logged_in_client(app, complete=False)
    long_text = "I have a lot to say. " * 60
    body = client.post("/profile", data={**FULL_FORM, "about": long_text}).get_data(as_text=True)
    assert "under 1000 characters" in body
    assert long_text.strip() in body


def test_unknown_codes_are_refused(app):
    client, user_id = logged_in_client(app, complete=False)
    response = client.post("/profile", data={**FULL_FORM, "stage": "stage-v", "languages": ["xx"]})
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert _profile(app, user_id).stage is None


def test_profile_form_cannot_change_role_status_or_owner(app):
    client, user_id = logged_in_client(app)
    _, other_id = logged_in_client(app)
    client.post("/profile", data={**FULL_FORM, "role": "admin", "status": "suspended",
                                  "user_id": str(other_id)})
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.role, user.status) == ("member", "active")
        other = db.session.get(Profile, other_id)
        assert other.stage == "metastatic_recurrence"  # untouched
        assert db.session.scalar(select(Profile).where(Profile.user_id == user_id)).stage == (
            "metastatic_de_novo"
        )
