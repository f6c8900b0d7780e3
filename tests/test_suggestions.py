"""/matches end to end: hard constraints, reasons, visibility, live updates, no N+1."""

from __future__ import annotations

import re

from sqlalchemy import event

from peermatch.extensions import db
from peermatch.models import Block, User
from peermatch.services import matching
from tests.factories import COMPLETE_PROFILE, email_of, log_in, logged_in_client, make_member

MENTOR = {**COMPLETE_PROFILE, "support_role": "offering"}
SEEKER = {**COMPLETE_PROFILE, "support_role": "seeking"}


def _names(client) -> list[str]:
    body = client.get("/matches").get_data(as_text=True)
    return re.findall(r'<h2 id="peer-\d+">([^<]+)</h2>', body)


def _member(app, name, **profile):
    return make_member(app, display_name=name, **{**MENTOR, **profile})


def test_a_member_whose_profile_equals_a_mentors_sees_that_mentor_first_with_reasons(app):
    _member(app, "Exact Mentor")
    _member(app, "Other Mentor", her2="positive", hr="negative", treatments=["her2_targeted"],
            interests=["fishing"], topics=["faith"], age_range="30_39")
    client, _ = logged_in_client(app, **SEEKER)
    body = client.get("/matches").get_data(as_text=True)
    assert _names(client)[0] == "Exact Mentor"
    assert "Why we suggested Exact Mentor" in body
    assert "You are both living with HR-positive, HER2-low metastatic breast cancer" in body
    assert "Living with MBC since 2021. I garden and read." in body  # their "About me"


def test_excluded_people_never_appear(app):
    _member(app, "Visible")
    _member(app, "Paused", open_to_matches=False)
    _member(app, "Spanish only", languages=["es"])
    _member(app, "Phone only", contact_modes=["phone"])
    _member(app, "Also seeking", support_role="seeking")
    blocked = _member(app, "Blocked by me")
    blocker = _member(app, "Blocked me")
    suspended = _member(app, "Suspended")
    client, me = logged_in_client(app, display_name="Me Myself", **SEEKER)
    with app.app_context():
        db.session.add_all([Block(blocker_id=me, blocked_id=blocked),
                            Block(blocker_id=blocker, blocked_id=me)])
        db.session.get(User, suspended).status = "suspended"
        db.session.commit()
    assert _names(client) == ["Visible"]


def test_not_now_hides_a_suggestion_for_good(app):
    other = _member(app, "Not today")
    _member(app, "Still here")
    client, _ = logged_in_client(app, **SEEKER)
    assert set(_names(client)) == {"Not today", "Still here"}
    response = client.post(f"/matches/{other}/dismiss")
    assert response.status_code == 302
    assert client.post(f"/matches/{other}/dismiss").status_code == 302  # twice is harmless
    assert _names(client) == ["Still here"]


def test_a_profile_edit_shows_on_the_next_request_without_a_rebuild(app):
    mentor_id = _member(app, "Changing Mentor")
    client, _ = logged_in_client(app, **SEEKER)
    assert _names(client) == ["Changing Mentor"]
    version = _index_version(app)
    mentor = app.test_client()
    log_in(mentor, email_of(app, mentor_id))
    form = {**MENTOR, "languages": ["es"], "open_to_matches": "y", "max_active_conversations": "3"}
    assert mentor.post("/profile", data=form).status_code == 302
    assert _names(client) == []
    assert _index_version(app) == version  # updated in place, not rebuilt


def test_a_new_member_appears_for_others_at_once(app):
    client, _ = logged_in_client(app, **SEEKER)
    assert _names(client) == []
    _member(app, "Newcomer")
    assert _names(client) == ["Newcomer"]


def test_another_process_sees_changes_through_the_shared_files(app):
    client, _ = logged_in_client(app, **SEEKER)
    _member(app, "First")
    assert _names(client) == ["First"]
    matching._maps.clear()  # as a fresh worker process would start
    assert _names(client) == ["First"]


def test_health_fields_shown_only_when_the_peer_made_them_visible(app):
    _member(app, "Private Mentor", visible_fields=["stage"])
    client, _ = logged_in_client(app, **SEEKER)
    article = client.get("/matches").get_data(as_text=True).split("<article", 1)[1]
    assert "Metastatic recurrence" in article
    assert "HER2-low" not in article and "HR-positive" not in article
    assert "50–59" not in article and "CDK4/6" not in article


def test_email_addresses_are_never_shown(app):
    mentor = _member(app, "Mentor With Email")
    client, _ = logged_in_client(app, **SEEKER)
    assert email_of(app, mentor) not in client.get("/matches").get_data(as_text=True)


def test_unfinished_or_paused_profiles_are_told_kindly(app):
    _member(app, "Someone")
    unfinished, _ = logged_in_client(app, complete=False)
    assert "Finish my profile" in unfinished.get("/matches").get_data(as_text=True)
    paused, _ = logged_in_client(app, **{**SEEKER, "open_to_matches": False})
    body = paused.get("/matches").get_data(as_text=True)
    assert "Matching is paused" in body and "<article" not in body


def test_query_count_does_not_grow_with_the_number_of_suggestions(app):
    def queries_for(client) -> int:
        with app.app_context():
            counted = []
            listener = lambda *args: counted.append(1)  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                assert client.get("/matches").status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
            return len(counted)

    _member(app, "One")
    client, _ = logged_in_client(app, **SEEKER)
    client.get("/matches")  # build the index first
    few = queries_for(client)
    for i in range(8):
        _member(app, f"More {i}")
    assert len(_names(client)) == 9
    assert queries_for(client) == few


def _index_version(app) -> int:
    from peermatch.models import MatchIndexState

    with app.app_context():
        return db.session.get(MatchIndexState, 1).version


def test_missing_index_files_are_rebuilt_not_a_server_error(app):
    import shutil

    _member(app, "Survivor")
    client, _ = logged_in_client(app, **SEEKER)
    assert _names(client) == ["Survivor"]
    shutil.rmtree(app.config["MATCHING_INDEX_DIR"])
    matching._maps.clear()
    assert _names(client) == ["Survivor"]


def test_not_now_can_be_undone_in_settings(app):
    other = _member(app, "Maybe later")
    client, _ = logged_in_client(app, **SEEKER)
    client.post(f"/matches/{other}/dismiss")
    assert "Maybe later" not in _names(client)
    settings = client.get("/settings").get_data(as_text=True)
    assert "Maybe later" in settings and "Suggest again" in settings
    client.post(f"/matches/{other}/restore")
    assert "Maybe later" in _names(client)
    assert "Nobody." in client.get("/settings").get_data(as_text=True)
