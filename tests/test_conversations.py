"""Private conversations: sending once, unread counts, mail pacing, ending and blocking."""

from __future__ import annotations

import re

from sqlalchemy import select

from peermatch.extensions import db
from peermatch.models import Message, Profile
from peermatch.services.matching import update_member
from tests.factories import (
    MENTOR,
    SEEKER,
    connect,
    logged_in_client,
    mails_to,
    queries_for,
    text_of,
)


def _messages(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Message.body).order_by(Message.id)))


def _names(client) -> list[str]:
    return re.findall(r'<h2 id="peer-\d+">([^<]+)</h2>', text_of(client.get("/matches")))


def test_a_double_submitted_message_is_stored_once(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    form = {"body": "Hello there", "client_token": "same-form"}
    assert ana_client.post(path, data=form).status_code == 302
    assert ana_client.post(path, data=form).status_code == 302
    assert _messages(app) == ["Hello there"]
    token = re.search(r'name="client_token" type="hidden" value="([^"]+)"',
                      text_of(ana_client.get(path)))
    assert token and token.group(1) != "same-form"  # each page load is a new message


def test_an_empty_or_over_long_message_is_explained_and_kept(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    assert "Please write a message" in text_of(
        ana_client.post(path, data={"body": "  ", "client_token": "a"}))
    long_text = "word " * 500
    page = text_of(ana_client.post(path, data={"body": long_text, "client_token": "b"}))
    assert "Please keep a message to 2000 characters" in page
    assert long_text.strip() in page
    assert _messages(app) == []


def test_outsiders_get_404_for_a_conversation_and_its_messages(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    ana_client.post(path, data={"body": "Private words", "client_token": "p"})
    outsider, _ = logged_in_client(app, display_name="Eve", **SEEKER)
    assert outsider.get(path).status_code == 404
    assert outsider.post(path, data={"body": "hi", "client_token": "e"}).status_code == 404
    with app.app_context():
        message_id = db.session.scalars(select(Message.id)).one()
    assert outsider.get(f"/messages/{message_id}/report").status_code == 404
    assert "Private words" not in text_of(mod_client.get("/moderation/reports"))
    assert _messages(app) == ["Private words"]


def test_new_messages_mail_at_most_once_an_hour_without_their_text(app, ana, bea, moderator):
    (ana_client, ana_id), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    before = len(mails_to(app, ana_id))  # the "accepted" mail
    for i in range(3):
        bea_client.post(path, data={"body": f"Secret words {i}", "client_token": f"m{i}"})
    mails = mails_to(app, ana_id)[before:]
    assert len(mails) == 1
    assert "Secret words" not in mails[0].body and "new messages" in mails[0].subject


def test_ending_a_conversation_stops_new_messages_but_keeps_the_old(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    ana_client.post(path, data={"body": "Thank you for everything", "client_token": "1"})
    bea_client.post(f"{path}/end")
    page = text_of(ana_client.get(path))
    assert "Thank you for everything" in page and "This conversation has ended" in page
    response = ana_client.post(path, data={"body": "one more", "client_token": "2"})
    assert "This conversation has ended" in text_of(response)
    assert _messages(app) == ["Thank you for everything"]


def test_a_blocked_member_cannot_message_or_be_suggested(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    ana_client.post(f"{path}/block")
    response = bea_client.post(path, data={"body": "Why?", "client_token": "w"})
    assert "This conversation has ended" in text_of(response)
    assert "was not sent" in text_of(response) and "Why?" in text_of(response)
    assert _messages(app) == []
    assert "Bea" not in _names(ana_client)
    assert "Ana" not in _names(bea_client)


def test_a_supporter_at_capacity_is_not_proposed_until_a_place_frees(app, ana, moderator):
    (ana_client, _), (mod_client, _) = ana, moderator
    mentor_client, mentor_id = logged_in_client(app, display_name="Busy", **MENTOR)
    with app.app_context():
        db.session.get(Profile, mentor_id).max_active_conversations = 1
        db.session.commit()
        update_member(mentor_id)
        db.session.commit()
    path = connect(app, ana_client, mentor_client, mentor_id, mod_client)
    other, _ = logged_in_client(app, display_name="Dee", **SEEKER)
    assert "Busy" not in _names(other)
    mentor_client.post(f"{path}/end")
    assert "Busy" in _names(other)


def test_the_inbox_counts_unread_messages_per_conversation(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    for i in range(2):
        bea_client.post(path, data={"body": f"Note {i}", "client_token": f"n{i}"})
    inbox = text_of(ana_client.get("/inbox"))
    assert "2 unread messages" in inbox
    ana_client.get(path)
    assert "No unread messages" in text_of(ana_client.get("/inbox"))
    assert "2 unread" not in text_of(ana_client.get("/inbox"))
    assert "No unread messages" in text_of(bea_client.get("/inbox"))


def test_a_conversation_page_runs_the_same_queries_for_one_message_or_many(app, ana, bea,
                                                                          moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    bea_client.post(path, data={"body": "first", "client_token": "q0"})
    ana_client.get(path)
    one = queries_for(app, ana_client, path)
    for i in range(1, 6):
        sender = ana_client if i % 2 else bea_client
        sender.post(path, data={"body": f"message {i}", "client_token": f"q{i}"})
    ana_client.get(path)
    assert queries_for(app, ana_client, path) == one


def test_opening_a_conversation_clears_its_count_in_the_header_at_once(app, ana, bea,
                                                                        moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    bea_client.post(path, data={"body": "Are you there?", "client_token": "h"})
    assert 'class="badge"' in text_of(ana_client.get("/inbox"))
    assert 'class="badge"' not in text_of(ana_client.get(path))


def test_the_reader_of_a_worrying_message_is_told_how_to_help(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    assert "seems to be struggling" not in text_of(bea_client.get(path))
    ana_client.post(path, data={"body": "I can't go on like this", "client_token": "w"})
    page = text_of(bea_client.get(path))
    assert "If Ana seems to be struggling" in page and 'href="sms:988"' in page
    assert "seems to be struggling" not in text_of(ana_client.get(path))  # not to the writer


def test_an_ended_conversation_reads_so_and_can_still_be_blocked(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    bea_client.post(f"{path}/end")
    assert "Conversation ended" in text_of(ana_client.get("/inbox"))
    page = text_of(ana_client.get(path))
    assert "Block Bea" in page and "data-confirm" in page
    ana_client.post(f"{path}/block")
    assert "Block Bea" not in text_of(ana_client.get(path))
