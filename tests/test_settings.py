"""Settings: the member's own data, changing e-mail and password, deleting the account."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from peermatch.extensions import db
from peermatch.models import (
    Block,
    Dismissal,
    Introduction,
    MatchOutcome,
    Message,
    Profile,
    User,
    UserSession,
)
from tests.factories import (
    MENTOR,
    PASSWORD,
    SEEKER,
    connect,
    email_of,
    log_in,
    logged_in_client,
    text_of,
)

NEW_PASSWORD = "a different quiet evening"


def _names(client) -> str:
    return text_of(client.get("/matches"))


def test_download_holds_my_data_and_nothing_of_anyone_else(app, ana, bea, moderator):
    (ana_client, ana_id), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    ana_client.post(path, data={"body": "Mine: hello", "client_token": "a"})
    bea_client.post(path, data={"body": "Theirs: hi back", "client_token": "b"})
    response = ana_client.get("/settings/data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == email_of(app, ana_id)
    assert data["profile"]["about"].startswith("Living with MBC")
    assert data["introductions"][0]["direction"] == "sent"
    [conversation] = data["conversations"]
    assert conversation["with"] == "Bea"
    assert [m["text"] for m in conversation["messages"]] == ["Mine: hello", "Theirs: hi back"]
    raw = response.get_data(as_text=True)
    assert email_of(app, bea_id) not in raw  # of Bea only her display name
    assert "Ohio" not in raw.replace('"region": "Ohio"', "", 1)  # Bea's region stays hers


def test_changing_email_asks_for_the_current_password(app, ana):
    client, ana_id = ana
    page = text_of(client.post("/settings/email", data={"email": "new@example.org",
                                                        "current_password": "wrong one!"}))
    assert "That is not your current password." in page and "new@example.org" in page
    assert email_of(app, ana_id) != "new@example.org"
    client.post("/settings/email", data={"email": "New@Example.org",
                                         "current_password": PASSWORD})
    assert email_of(app, ana_id) == "new@example.org"


def test_an_email_in_use_is_refused(app, ana, bea):
    (client, _), (_, bea_id) = ana, bea
    page = text_of(client.post("/settings/email", data={
        "email": email_of(app, bea_id).upper(), "current_password": PASSWORD}))
    assert "Another account already uses this e-mail address." in page


def test_a_password_change_logs_out_every_other_device_and_keeps_this_one(app, ana):
    client, ana_id = ana
    other_device = app.test_client()
    log_in(other_device, email_of(app, ana_id))
    assert other_device.get("/inbox").status_code == 200
    response = client.post("/settings/password", data={"current_password": PASSWORD,
                                                       "new_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/inbox").status_code == 200
    assert other_device.get("/inbox").status_code == 302
    assert log_in(app.test_client(), email_of(app, ana_id), NEW_PASSWORD).status_code == 302


def test_a_password_change_needs_the_current_one_and_a_strong_new_one(app, ana):
    client, _ = ana
    wrong = text_of(client.post("/settings/password", data={"current_password": "nope nope",
                                                            "new_password": NEW_PASSWORD}))
    assert "That is not your current password." in wrong
    weak = text_of(client.post("/settings/password", data={"current_password": PASSWORD,
                                                           "new_password": "short"}))
    assert "at least 10" in weak.lower()


def test_deleting_the_account_erases_it_and_the_other_side_sees_a_former_member(app, ana,
                                                                                  bea, moderator):
    (ana_client, ana_id), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    ana_email = email_of(app, ana_id)
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    ana_client.post(path, data={"body": "Goodbye for now", "client_token": "g"})
    logged_in_client(app, display_name="Cleo", **MENTOR)
    ana_client.post("/matches/{}/dismiss".format(_id_of(app, "Cleo")))

    page = text_of(ana_client.post("/settings/delete", data={"current_password": "wrong!"}))
    assert "That is not your current password." in page
    assert ana_client.post("/settings/delete",
                           data={"current_password": PASSWORD}).status_code == 302
    assert ana_client.get("/inbox").status_code == 302  # logged out
    assert log_in(app.test_client(), ana_email).status_code != 302
    conversation = text_of(bea_client.get(path))
    assert "A former member" in conversation and "Goodbye for now" in conversation
    assert "This conversation has ended" in conversation
    assert "Ana" not in text_of(bea_client.get("/inbox"))
    seeker, _ = logged_in_client(app, display_name="Dee", **SEEKER)
    assert "A former member" not in _names(seeker)
    with app.app_context():
        user = db.session.get(User, ana_id)
        assert user.status == "deleted" and user.email != ana_email
        assert user.display_name == "A former member"
        assert db.session.get(Profile, ana_id) is None
        for model, column in ((UserSession, UserSession.user_id),
                              (Dismissal, Dismissal.user_id), (Block, Block.blocker_id),
                              (MatchOutcome, MatchOutcome.requester_id)):
            assert db.session.scalar(select(func.count()).select_from(model).where(
                column == ana_id)) == 0
        assert db.session.scalar(select(func.count(Message.id))) == 1
        assert db.session.scalars(select(Introduction.status)).all() == ["accepted"]


def _id_of(app, name: str) -> int:
    with app.app_context():
        return db.session.scalars(select(User.id).where(User.display_name == name)).one()


def test_mail_follows_its_member_not_the_address(app, ana, client):
    ana_client, ana_id = ana
    old = email_of(app, ana_id)
    client.post("/password/forgot", data={"email": old})  # a mail to Ana's old address
    ana_client.post("/settings/email", data={"email": "ana.new@example.org",
                                             "current_password": PASSWORD})
    eve, _ = logged_in_client(app, email=old, display_name="Eve")  # takes the old address
    eve_mails = json.loads(text_of(eve.get("/settings/data.json")))["mails"]
    assert all("password" not in m["subject"].lower() for m in eve_mails)
    ana_mails = json.loads(text_of(ana_client.get("/settings/data.json")))["mails"]
    assert [m["subject"] for m in ana_mails] == ["Reset your PeerMatch password"]
    ana_client.post("/settings/delete", data={"current_password": PASSWORD})
    with app.app_context():
        from peermatch.models import OutboxMail

        left = db.session.scalars(select(OutboxMail.recipient)).all()
        assert "ana.new@example.org" not in left and all("Ana" not in r for r in left)
        assert db.session.scalar(select(func.count(OutboxMail.id)).where(
            OutboxMail.user_id == ana_id)) == 0


def test_a_member_can_change_the_name_others_see(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    page = text_of(ana_client.get("/settings/name"))
    assert 'value="Ana"' in page
    assert "between 2 and 40" in text_of(ana_client.post("/settings/name",
                                                         data={"display_name": "A"}))
    ana_client.post("/settings/name", data={"display_name": "  Rosa   T  "})
    assert "Conversation with Rosa T" in text_of(bea_client.get(path))


def test_the_new_password_must_differ_from_the_current_one(ana):
    client, _ = ana
    page = text_of(client.post("/settings/password", data={"current_password": PASSWORD,
                                                           "new_password": PASSWORD}))
    assert "That is your current password" in page
