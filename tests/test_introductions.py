"""Request → review → answer → converse, as members and moderators use it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from peermatch.extensions import db
from peermatch.models import Conversation, Introduction, MatchOutcome
from peermatch.models.types import utcnow
from tests.factories import (
    MENTOR,
    SEEKER,
    logged_in_client,
    mails_to,
    only_intro,
    request_intro,
    text_of,
)


def test_ana_requests_bea_a_moderator_approves_bea_accepts_and_they_talk(app, ana, bea,
                                                                          moderator):
    (ana_client, ana_id), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    matches = text_of(ana_client.get("/matches"))
    assert f'href="/matches/{bea_id}/introduce"' in matches and "Request introduction" in matches
    form = text_of(ana_client.get(f"/matches/{bea_id}/introduce"))
    assert 'for="note"' in form and "Send request" in form

    response = request_intro(ana_client, bea_id)
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")
    assert "Waiting for a moderator" in text_of(ana_client.get("/inbox"))
    assert "would like to connect" not in text_of(bea_client.get("/inbox"))
    assert mails_to(app, bea_id) == []

    intro = only_intro(app)
    queue = text_of(mod_client.get("/moderation"))
    assert "scan anxiety" in queue and "Approve" in queue and "Reason" in queue
    assert mod_client.post(f"/moderation/introductions/{intro.id}/approve").status_code == 302

    [mail] = mails_to(app, bea_id)
    assert "scan anxiety" not in mail.body and "HER2" not in mail.body
    inbox = text_of(bea_client.get("/inbox"))
    assert "Ana would like to connect" in inbox and "scan anxiety" in inbox
    assert ">Accept<" in inbox and ">Decline<" in inbox

    response = bea_client.post(f"/introductions/{intro.id}/accept")
    assert response.status_code == 302 and "/conversations/" in response.headers["Location"]
    conversation_path = response.headers["Location"]
    assert "accepted" in mails_to(app, ana_id)[-1].subject
    assert f'href="{conversation_path}"' in text_of(ana_client.get("/inbox"))

    page = text_of(bea_client.get(conversation_path))
    assert 'for="body"' in page and ">Message<" in page and "Send" in page
    bea_client.post(conversation_path, data={"body": "Hi Ana, glad to meet you.",
                                             "client_token": "t-1"})
    assert re.search(r"Inbox <span class=\"badge\">1", text_of(ana_client.get("/matches")))
    ana_page = text_of(ana_client.get(conversation_path))
    assert "Hi Ana, glad to meet you." in ana_page and "Bea" in ana_page
    assert 'class="badge"' not in text_of(ana_client.get("/matches"))  # read now

    ana_client.post(conversation_path, data={"body": "Hello Bea!", "client_token": "t-2"})
    with app.app_context():
        outcome = db.session.scalars(select(MatchOutcome)).one()
        assert (outcome.requester_id, outcome.recipient_id, outcome.connected) == (
            ana_id, bea_id, True)
        assert db.session.scalars(select(Conversation)).one().connected_at is not None


def test_a_double_clicked_request_creates_one_introduction(app, ana, bea):
    (client, _), (_, bea_id) = ana, bea
    assert request_intro(client, bea_id).status_code == 302
    assert request_intro(client, bea_id).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Introduction)) == 1


def test_the_database_allows_one_open_introduction_per_pair_in_either_direction(app, ana, bea):
    (_, ana_id), (_, bea_id) = ana, bea
    low, high = sorted((ana_id, bea_id))
    with app.app_context():
        db.session.add(Introduction(requester_id=ana_id, recipient_id=bea_id, pair_low=low,
                                    pair_high=high, note="a"))
        db.session.commit()
        db.session.add(Introduction(requester_id=bea_id, recipient_id=ana_id, pair_low=low,
                                    pair_high=high, note="b", status="approved"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.add(Introduction(requester_id=bea_id, recipient_id=ana_id, pair_low=low,
                                    pair_high=high, note="c", status="declined"))
        db.session.commit()  # a closed one may sit beside the open one


def test_a_note_that_is_empty_or_too_long_is_explained_and_kept(app, ana, bea):
    (client, _), (_, bea_id) = ana, bea
    page = text_of(request_intro(client, bea_id, note="   "))
    assert "Please write a short note" in page
    long_note = "I would like to talk. " * 30
    page = text_of(request_intro(client, bea_id, note=long_note))
    assert "Please keep the note to 500 characters." in page
    assert long_note.strip() in page
    with app.app_context():
        assert db.session.scalars(select(Introduction)).all() == []


def test_a_sixth_request_awaiting_review_is_refused_and_the_note_kept(app, ana):
    client, _ = ana
    mentors = [logged_in_client(app, display_name=f"Mentor {i}", **MENTOR)[1] for i in range(6)]
    for mentor in mentors[:5]:
        assert request_intro(client, mentor).status_code == 302
    page = text_of(request_intro(client, mentors[5], note="One more, please."))
    assert "already have 5 requests waiting for a moderator" in page
    assert "One more, please." in page


def test_a_rejection_needs_a_reason_which_the_requester_reads(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    request_intro(ana_client, bea_id)
    intro = only_intro(app)
    page = mod_client.post(f"/moderation/introductions/{intro.id}/reject", data={"reason": ""})
    assert "Please give a reason" in text_of(page)
    assert only_intro(app).status == "pending_review"
    mod_client.post(f"/moderation/introductions/{intro.id}/reject",
                    data={"reason": "Please say a little about yourself first."})
    inbox = text_of(ana_client.get("/inbox"))
    assert "Not approved by a moderator" in inbox
    assert "Please say a little about yourself first." in inbox
    assert "would like to connect" not in text_of(bea_client.get("/inbox"))
    assert bea_client.get(f"/introductions/{intro.id}/accept").status_code == 405
    assert bea_client.post(f"/introductions/{intro.id}/accept").status_code == 404


def test_a_decline_reads_as_not_available_and_is_a_learning_outcome(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    request_intro(ana_client, bea_id)
    intro = only_intro(app)
    mod_client.post(f"/moderation/introductions/{intro.id}/approve")
    bea_client.post(f"/introductions/{intro.id}/decline")
    inbox = text_of(ana_client.get("/inbox"))
    assert "Not available right now" in inbox and "declin" not in inbox.lower()
    with app.app_context():
        assert db.session.scalars(select(MatchOutcome.connected)).all() == [False]
    assert "Bea" not in re.findall(r'<h2 id="peer-\d+">([^<]+)</h2>',
                                   text_of(ana_client.get("/matches")))


def test_a_requester_may_withdraw_while_pending(app, ana, bea):
    (client, _), (_, bea_id) = ana, bea
    request_intro(client, bea_id)
    intro = only_intro(app)
    client.post(f"/introductions/{intro.id}/withdraw")
    assert only_intro(app).status == "withdrawn"
    assert "Closed" in text_of(client.get("/inbox"))


def test_unanswered_introductions_expire_after_fourteen_days(app, ana, bea, moderator):
    (client, _), (_, bea_id), (mod_client, _) = ana, bea, moderator
    request_intro(client, bea_id)
    intro = only_intro(app)
    mod_client.post(f"/moderation/introductions/{intro.id}/approve")
    runner = app.test_cli_runner()
    assert "Expired 0" in runner.invoke(args=["expire-introductions"]).output
    with app.app_context():  # waited long for review: the recipient still has 14 days
        db.session.execute(update(Introduction).values(
            created_at=utcnow() - timedelta(days=20), reviewed_at=utcnow() - timedelta(days=2)))
        db.session.commit()
    assert "Expired 0" in runner.invoke(args=["expire-introductions"]).output
    with app.app_context():
        db.session.execute(update(Introduction).values(reviewed_at=utcnow() - timedelta(days=15)))
        db.session.commit()
    assert "Expired 1" in runner.invoke(args=["expire-introductions"]).output
    assert only_intro(app).status == "expired"
    assert "Expired without an answer" in text_of(client.get("/inbox"))
    with app.app_context():
        assert db.session.scalars(select(MatchOutcome.connected)).all() == [False]


def test_crisis_language_shows_988_and_puts_the_request_first_in_the_queue(app, ana, bea,
                                                                           moderator):
    (client, _), (_, bea_id), (mod_client, _) = ana, bea, moderator
    other = logged_in_client(app, display_name="Cleo", **MENTOR)[1]
    request_intro(client, other, note="Hello, would love to talk about gardening.")
    response = request_intro(client, bea_id, note="Some days I just want to die. Can we talk?")
    page = text_of(client.get(response.headers["Location"]))
    assert "988" in page and "Suicide &amp; Crisis Lifeline" in page
    assert "crisis-panel" in page
    queue = text_of(mod_client.get("/moderation"))
    assert queue.index("Ana → Bea") < queue.index("Ana → Cleo")
    assert "Urgent" in queue and "Possible crisis language" in queue


def test_contact_details_in_a_note_are_flagged_for_the_moderator(app, ana, bea, moderator):
    (client, _), (_, bea_id), (mod_client, _) = ana, bea, moderator
    request_intro(client, bea_id, note="Text me on 555-123-4567 or jane@example.org")
    assert only_intro(app).flags == ["phone", "email"]
    queue = text_of(mod_client.get("/moderation"))
    assert "Phone number" in queue and "E-mail address" in queue


def test_names_notes_and_messages_are_escaped_everywhere(app, bea, moderator):
    hostile = '<script>alert(1)</script>"><svg onload=x>'
    client, _ = logged_in_client(app, display_name="<img src=x onerror=alert(1)>", **SEEKER)
    (bea_client, bea_id), (mod_client, _) = bea, moderator
    request_intro(client, bea_id, note=hostile)
    intro = only_intro(app)
    queue = text_of(mod_client.get("/moderation"))
    mod_client.post(f"/moderation/introductions/{intro.id}/approve")
    inbox = text_of(bea_client.get("/inbox"))
    location = bea_client.post(f"/introductions/{intro.id}/accept").headers["Location"]
    bea_client.post(location, data={"body": hostile, "client_token": "x"})
    conversation = text_of(client.get(location))
    for page in (queue, inbox, conversation):
        assert "<script>alert(1)" not in page and "<svg onload" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_a_request_in_the_other_direction_stays_unseen_until_approved(app, ana, bea,
                                                                      moderator):
    (ana_client, ana_id), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    request_intro(ana_client, bea_id)
    page = text_of(request_intro(bea_client, ana_id, note="Hello Ana"))
    assert "receive introductions right now" in page and "already asked" not in page
    mod_client.post(f"/moderation/introductions/{only_intro(app).id}/approve")
    page = text_of(bea_client.post(f"/matches/{ana_id}/introduce", data={"note": "Hello Ana"},
                                   follow_redirects=True))
    assert "Ana has already asked to meet you" in page


def test_nothing_changes_for_the_recipient_before_a_moderator_approves(app, ana, bea):
    (ana_client, ana_id), (bea_client, bea_id) = ana, bea
    before = text_of(bea_client.get("/matches"))
    request_intro(ana_client, bea_id)
    assert text_of(bea_client.get("/matches")).count('id="peer-') == before.count('id="peer-')
    assert bea_client.get(f"/matches/{ana_id}/introduce").status_code == 200


def test_the_request_form_never_shows_someone_who_cannot_be_proposed(app, ana, bea):
    (ana_client, ana_id), (bea_client, bea_id) = ana, bea
    bea_client.post(f"/matches/{ana_id}/dismiss")
    from peermatch.models import Block

    with app.app_context():
        db.session.add(Block(blocker_id=bea_id, blocked_id=ana_id))
        db.session.commit()
    for response in (ana_client.get(f"/matches/{bea_id}/introduce"),
                     ana_client.post(f"/matches/{bea_id}/introduce", data={"note": ""})):
        assert response.status_code == 302
        assert "HER2" not in text_of(response) and "Bea" not in text_of(response)
