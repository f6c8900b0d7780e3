"""Moderators: one decision per introduction under concurrency, reports, suspensions and
the append-only audit log."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from peermatch.extensions import db
from peermatch.models import (
    Introduction,
    Message,
    ModerationAction,
    OutboxMail,
    Report,
    User,
    UserSession,
)
from tests.factories import (
    MENTOR,
    connect,
    email_of,
    log_in,
    logged_in_client,
    mails_to,
    only_intro,
    queries_for,
    request_intro,
    text_of,
)


def _at_once(*calls):
    """Run the calls in threads released together by a barrier; their responses in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _audit(app) -> list[tuple[str, str, int]]:
    with app.app_context():
        rows = db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))
        return [(r.action, r.target_type, r.target_id) for r in rows]


def _intro_to(app, recipient_id) -> Introduction:
    with app.app_context():
        intro = db.session.scalars(select(Introduction).where(
            Introduction.recipient_id == recipient_id)).one()
        db.session.expunge(intro)
        return intro


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_two_moderators_deciding_at_once_record_exactly_one_decision(app, ana, moderator,
                                                                     second):
    (ana_client, _), (first_client, _) = ana, moderator
    second_client, _ = logged_in_client(app, display_name="Kim", role="moderator",
                                        complete=False)
    for round_ in range(3):  # a few rounds: each must end with exactly one winner
        mentor = logged_in_client(app, display_name=f"Mentor {round_}", **MENTOR)[1]
        request_intro(ana_client, mentor)
        intro = _intro_to(app, mentor)
        responses = _at_once(
            lambda i=intro.id: first_client.post(f"/moderation/introductions/{i}/approve"),
            lambda i=intro.id: second_client.post(f"/moderation/introductions/{i}/{second}",
                                                  data={"reason": "Not this time."}),
        )
        assert sorted(r.status_code for r in responses) == [302, 409]
        loser = text_of(next(r for r in responses if r.status_code == 409))
        decided = _intro_to(app, mentor)
        assert decided.status in {"approved", "rejected"}
        assert "already" in loser and ("Mo already" in loser or "Kim already" in loser)
        decisions = [a for a in _audit(app) if a[2] == intro.id]
        expected = ("approve_introduction" if decided.status == "approved"
                    else "reject_introduction")
        assert decisions == [(expected, "introduction", intro.id)]
        with app.app_context():  # one notification: to the recipient or to the requester
            assert db.session.scalar(select(db.func.count()).select_from(OutboxMail)) == 1
            db.session.execute(delete(OutboxMail))
            db.session.commit()


def test_the_audit_log_refuses_changes_in_the_database(app, moderator):
    _, mod_id = moderator
    with app.app_context():
        db.session.add(ModerationAction(moderator_id=mod_id, action="hide_message",
                                        target_type="message", target_id=1, reason="r"))
        db.session.commit()
        with pytest.raises(DBAPIError):
            db.session.execute(update(ModerationAction).values(reason="edited"))
            db.session.flush()
        db.session.rollback()
        with pytest.raises(DBAPIError):
            db.session.execute(delete(ModerationAction))
            db.session.flush()
        db.session.rollback()
        assert db.session.scalars(select(ModerationAction.reason)).all() == ["r"]


def test_a_reported_message_can_be_hidden_with_a_reason(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    bea_client.post(path, data={"body": "Something unkind", "client_token": "a"})
    with app.app_context():
        message_id = db.session.scalars(select(Message.id)).one()
    form = text_of(ana_client.get(f"/messages/{message_id}/report"))
    assert 'for="reason"' in form
    ana_client.post(f"/messages/{message_id}/report", data={"reason": "This hurt me."})
    reports = text_of(mod_client.get("/moderation/reports"))
    assert "Something unkind" in reports and "This hurt me." in reports

    mod_client.post(f"/moderation/messages/{message_id}/hide", data={"reason": "Unkind"})
    page = text_of(ana_client.get(path))
    assert "Something unkind" not in page and "hidden by a moderator" in page
    with app.app_context():
        assert db.session.scalars(select(Report.resolution)).all() == ["hidden"]
    assert ("hide_message", "message", message_id) in _audit(app)
    assert "Unkind" in text_of(mod_client.get("/moderation/audit"))


def test_a_crisis_message_is_delivered_shows_988_and_queues_an_urgent_report(app, ana, bea,
                                                                            moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    response = ana_client.post(path, data={"body": "I don't want to be here anymore",
                                           "client_token": "c"})
    page = text_of(ana_client.get(response.headers["Location"]))
    assert 'href="sms:988"' in page and 'href="tel:988"' in page and "crisis-panel" in page
    assert "I don&#39;t want to be here anymore" in text_of(bea_client.get(path))
    reports = text_of(mod_client.get("/moderation/reports"))
    assert "Urgent" in reports and "Flagged automatically" in reports


def test_a_suspended_member_is_signed_out_cannot_log_in_and_is_not_suggested(app, ana, bea,
                                                                             moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    assert "Bea" in text_of(ana_client.get("/matches"))
    page = mod_client.post(f"/moderation/members/{bea_id}/suspend", data={"reason": ""})
    assert "Please give a reason" in text_of(page)
    mod_client.post(f"/moderation/members/{bea_id}/suspend", data={"reason": "Spam"})
    assert bea_client.get("/inbox").status_code == 302  # signed out
    assert log_in(app.test_client(), email_of(app, bea_id)).status_code != 302
    assert "Bea" not in text_of(ana_client.get("/matches"))
    with app.app_context():
        assert db.session.get(User, bea_id).status == "suspended"
        assert db.session.scalars(select(UserSession).where(
            UserSession.user_id == bea_id)).all() == []
    again = mod_client.post(f"/moderation/members/{bea_id}/suspend", data={"reason": "x"})
    assert again.status_code == 409

    mod_client.post(f"/moderation/members/{bea_id}/reinstate", data={"reason": "Appeal"})
    assert log_in(app.test_client(), email_of(app, bea_id)).status_code == 302
    assert "Bea" in text_of(ana_client.get("/matches"))
    assert [a[0] for a in _audit(app)] == ["suspend_member", "reinstate_member"]


def test_the_queue_waits_oldest_first_and_shows_both_members_and_reasons(app, ana, moderator):
    (client, _), (mod_client, _) = ana, moderator
    first = logged_in_client(app, display_name="First", **MENTOR)[1]
    second = logged_in_client(app, display_name="Second", **MENTOR)[1]
    request_intro(client, first)
    request_intro(client, second)
    queue = text_of(mod_client.get("/moderation"))
    assert queue.index("Ana → First") < queue.index("Ana → Second")
    assert "Match reasons" in queue and "They are both living with" in queue
    assert "Waiting" in queue and "Diagnosis stage" in queue


def test_approval_mail_has_no_health_details_or_note(app, ana, bea, moderator):
    (client, _), (_, bea_id), (mod_client, _) = ana, bea, moderator
    request_intro(client, bea_id, note="My HER2-low cancer spread to my bones.")
    mod_client.post(f"/moderation/introductions/{only_intro(app).id}/approve")
    [mail] = mails_to(app, bea_id)
    for secret in ("HER2", "bones", "metastatic", "Ana"):
        assert secret not in mail.body
    assert "/inbox" in mail.body


def test_the_queue_inbox_and_conversation_pages_do_not_grow_queries_with_items(app, ana,
                                                                              moderator):
    (client, _), (mod_client, _) = ana, moderator
    mentors = [logged_in_client(app, display_name=f"M{i}", **MENTOR) for i in range(4)]
    request_intro(client, mentors[0][1])
    one = (queries_for(app, mod_client, "/moderation"), queries_for(app, client, "/inbox"))
    for _, mentor_id in mentors[1:]:
        request_intro(client, mentor_id)
    assert queries_for(app, mod_client, "/moderation") == one[0]
    assert queries_for(app, client, "/inbox") == one[1]


def test_an_urgent_report_can_be_marked_as_followed_up(app, ana, bea, moderator):
    (ana_client, ana_id), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    ana_client.post(path, data={"body": "I want to die", "client_token": "u"})
    reports = text_of(mod_client.get("/moderation/reports"))
    assert "Mark as followed up" in reports and f"/moderation/members/{ana_id}" in reports
    with app.app_context():
        report_id = db.session.scalars(select(Report.id)).one()
    mod_client.post(f"/moderation/reports/{report_id}/dismiss", data={"outcome": "followed_up"})
    with app.app_context():
        assert db.session.get(Report, report_id).resolution == "followed_up"
    assert ("follow_up_report", "report", report_id) in _audit(app)


def test_the_member_page_shows_their_history(app, bea, moderator):
    (_, bea_id), (mod_client, _) = bea, moderator
    mod_client.post(f"/moderation/members/{bea_id}/suspend", data={"reason": "Spam links"})
    mod_client.post(f"/moderation/members/{bea_id}/reinstate", data={"reason": "Appeal ok"})
    page = text_of(mod_client.get(f"/moderation/members/{bea_id}"))
    assert "suspend member by Mo — Spam links" in page
    assert "reinstate member by Mo — Appeal ok" in page
    audit = text_of(mod_client.get("/moderation/audit"))
    assert f'href="/moderation/members/{bea_id}"' in audit


def test_a_refused_hide_keeps_the_reason_typed_beside_its_report(app, ana, bea, moderator):
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    bea_client.post(path, data={"body": "Something unkind", "client_token": "k"})
    with app.app_context():
        message_id = db.session.scalars(select(Message.id)).one()
    ana_client.post(f"/messages/{message_id}/report", data={"reason": "This hurt me."})
    typed = "Unkind. " * 80  # over 500 characters
    page = text_of(mod_client.post(f"/moderation/messages/{message_id}/hide",
                                   data={"reason": typed}))
    assert "Please keep the reason to 500 characters." in page and typed.strip() in page
    with app.app_context():
        assert db.session.get(Message, message_id).hidden_at is None
