"""Every route × (anonymous, unrelated member, party, moderator): the expected answer.

A new route fails ``test_every_route_is_in_the_matrix`` until its row is added here."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from peermatch.extensions import db
from peermatch.models import Message, Report
from tests.factories import SEEKER, connect, logged_in_client, only_intro
from tests.test_pages import PUBLIC

OK = "ok"  # answered: 2xx, a redirect that is not to login, or 409 (decided already)
NOT_FOUND, FORBIDDEN, LOGIN = 404, 403, "login"

# endpoint: (outsider, party, moderator). Party is the member the object belongs to.
MATRIX = {
    "auth.logout": (OK, OK, OK),
    "profiles.edit": (OK, OK, OK),
    "matches.index": (OK, OK, OK),
    "matches.not_now": (OK, OK, OK),
    "matches.show_again": (OK, OK, OK),
    "matches.introduce": (OK, OK, OK),
    "inbox.index": (OK, OK, OK),
    **{f"settings.{name}": (OK, OK, OK) for name in (
        "index", "download", "name", "email", "password", "delete")},
    "inbox.accept": (NOT_FOUND, OK, NOT_FOUND),
    "inbox.decline": (NOT_FOUND, OK, NOT_FOUND),
    "inbox.withdraw": (NOT_FOUND, OK, NOT_FOUND),
    "inbox.conversation": (NOT_FOUND, OK, NOT_FOUND),
    "inbox.send": (NOT_FOUND, OK, NOT_FOUND),
    "inbox.end": (NOT_FOUND, OK, NOT_FOUND),
    "inbox.block": (NOT_FOUND, OK, NOT_FOUND),
    "inbox.report": (NOT_FOUND, OK, NOT_FOUND),
    **{f"moderation.{name}": (FORBIDDEN, FORBIDDEN, OK) for name in (
        "queue", "introduction", "approve", "reject", "reports", "hide", "dismiss", "member",
        "suspend", "reinstate", "audit_log")},
}
# Which party acts on each party-scoped route: the requester (Ana) or the recipient (Bea).
RECIPIENT_ROUTES = {"inbox.accept", "inbox.decline"}


@dataclass
class World:
    ids: dict[str, int]
    clients: dict[str, object]


@pytest.fixture
def world(app, ana, bea, moderator) -> World:
    (ana_client, _), (bea_client, bea_id), (mod_client, _) = ana, bea, moderator
    path = connect(app, ana_client, bea_client, bea_id, mod_client)
    bea_client.post(path, data={"body": "Hello Ana", "client_token": "w1"})
    with app.app_context():
        message_id = db.session.scalars(select(Message.id)).one()
    ana_client.post(f"/messages/{message_id}/report", data={"reason": "testing"})
    with app.app_context():
        report_id = db.session.scalars(select(Report.id)).one()
    outsider, _ = logged_in_client(app, display_name="Eve", **SEEKER)
    ids = {"user_id": bea_id, "intro_id": only_intro(app).id,
           "conversation_id": int(path.rsplit("/", 1)[1]), "message_id": message_id,
           "report_id": report_id}
    clients = {"anonymous": app.test_client(), "outsider": outsider, "requester": ana_client,
               "recipient": bea_client, "moderator": mod_client}
    return World(ids, clients)


def _answer(response) -> object:
    code = response.status_code
    if code in (301, 302, 303):
        return LOGIN if "/login" in response.headers["Location"] else OK
    if code < 300 or code == 409:
        return OK
    return code


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in PUBLIC:
            yield rule


def test_every_route_is_in_the_matrix(app):
    assert {rule.endpoint for rule in _routes(app)} == set(MATRIX)


@pytest.mark.parametrize("who", ["anonymous", "outsider", "party", "moderator"])
def test_each_role_gets_the_expected_answer_on_every_route(app, world, who):
    seen = 0
    rules = sorted(_routes(app), key=lambda r: r.endpoint == "auth.logout")  # logout last
    for rule in rules:
        path = rule.build({name: world.ids[name] for name in rule.arguments})[1]
        method = "GET" if "GET" in rule.methods else "POST"
        if who == "anonymous":
            expected = LOGIN
            client = world.clients["anonymous"]
        else:
            outsider, party, moderator = MATRIX[rule.endpoint]
            expected = {"outsider": outsider, "party": party, "moderator": moderator}[who]
            actor = who
            if who == "party":
                actor = "recipient" if rule.endpoint in RECIPIENT_ROUTES else "requester"
            client = world.clients[actor]
        data = {"reason": "checking", "body": "hello", "client_token": f"tok-{seen}",
                "note": "hello"}
        response = client.open(path, method=method, data=data)
        assert _answer(response) == expected, (who, rule.endpoint, response.status_code)
        seen += 1
    assert seen == len(MATRIX)
