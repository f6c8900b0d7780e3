"""Proposed peers for a member: retrieval, reciprocal ranking, reasons, and "Not now"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import delete, select, union

from .. import vocab
from ..dbutil import insert_or_ignore
from ..extensions import db
from ..matching import explain
from ..matching.index import MatchIndex, Query
from ..matching.learning import pair_features
from ..models import Block, Dismissal, Introduction, Profile, User
from ..models.types import utcnow
from . import ServiceError
from .learning import current_model
from .matching import RANKER, VECTORIZER, current_index, is_live, update_member

# How a card says what someone is here for (the profile's radio labels are shorter).
ROLE_ON_CARDS = {"seeking": "Looking for support", "offering": "Offering support",
                 "both": "Looking for and offering support"}
RETRIEVE = 300  # candidates that pass the constraints and get re-ranked
LIMIT = 10

_FACT_FIELDS = (
    ("stage", "Diagnosis stage", vocab.STAGES),
    ("her2", "HER2 status", vocab.HER2_STATUSES),
    ("hr", "Hormone receptor status", vocab.HR_STATUSES),
    ("age_range", "Age range", vocab.AGE_RANGES),
)


@dataclass(frozen=True)
class Suggestion:
    user_id: int
    display_name: str
    score: float
    reasons: list[str]
    about: str
    role_label: str
    facts: list[tuple[str, str]] = field(default_factory=list)


def _facts(profile: Profile) -> dict[str, Any]:
    names = ("stage", "her2", "hr", "age_range", "support_role", "treatments", "interests",
             "topics", "contact_modes", "languages", "country", "region", "visible_fields")
    return {name: getattr(profile, name) for name in names}


def reasons_between(mine: Profile, theirs: Profile) -> list[str]:
    """Why ``theirs`` suits ``mine``, in plain words, from what ``theirs`` made visible."""
    return explain.reasons(_facts(mine), _facts(theirs))


def visible_facts(profile: Profile | None) -> list[tuple[str, str]]:
    """The health details this member chose to show, as (label, value) pairs."""
    if profile is None:
        return []
    shown = set(profile.visible_fields or ())
    facts = [(label, vocabulary[getattr(profile, name)])
             for name, label, vocabulary in _FACT_FIELDS
             if name in shown and getattr(profile, name) in vocabulary]
    if "treatments" in shown and profile.treatments:
        facts.append(("Treatments", ", ".join(vocab.labels(vocab.TREATMENTS, profile.treatments))))
    facts.append(("Languages", ", ".join(vocab.labels(vocab.LANGUAGES, profile.languages))))
    return facts


# An introduction in one of these states keeps the pair out of each other's suggestions. A
# request still waiting for review hides the recipient from the requester only: until a
# moderator passes it on, nothing may change on the recipient's side.
_ASKED = ("pending_review", "approved", "accepted", "declined")
_SEEN = ("approved", "accepted", "declined")


def excluded_ids(user_id: int) -> frozenset[int]:
    """Members never to propose: blocked either way, set aside with "Not now", or already
    introduced (asked, talking, or declined)."""
    stmt = union(
        select(Block.blocked_id).where(Block.blocker_id == user_id),
        select(Block.blocker_id).where(Block.blocked_id == user_id),
        select(Dismissal.dismissed_id).where(Dismissal.user_id == user_id),
        select(Introduction.recipient_id).where(Introduction.requester_id == user_id,
                                                Introduction.status.in_(_ASKED)),
        select(Introduction.requester_id).where(Introduction.recipient_id == user_id,
                                                Introduction.status.in_(_SEEN)),
    )
    return frozenset(db.session.scalars(stmt))


def suggestions_for(user: User, limit: int = LIMIT) -> list[Suggestion]:
    profile = user.profile
    if profile is None or not profile.is_complete:
        return []
    index = current_index()
    found = _query_for(user, index) if index is not None else None
    if index is None or found is None:
        return []
    row, query = found
    rows, _ = index.search(query, RETRIEVE)
    ranked = RANKER.rank(index, row, rows, RETRIEVE)
    model = current_model()
    if model is not None:  # enough outcomes exist: let what actually worked re-rank
        ranked = model.rerank(ranked, pair_features(index, row, ranked, VECTORIZER))
    top = slice(0, limit * 2)  # spare places for peers that changed since their row
    scores = dict(zip(index.user_ids(ranked.rows[top]), ranked.scores[top].tolist(),
                      strict=True))
    return _present(profile, scores, limit)


def _query_for(user: User, index: MatchIndex) -> tuple[int, Query] | None:
    """The member's row in the index and the query their suggestions come from."""
    row = index.row_of(user.id)
    if row is None:
        update_member(user.id)
        row = index.row_of(user.id)
    if row is None or user.profile is None:
        return None
    me = index.columns[row]
    return row, Query(
        user_id=user.id,
        vector=np.asarray(index.vectors[row]) * VECTORIZER.block_scale(user.profile.priorities),
        languages=int(me["languages"]),
        contact=int(me["contact"]),
        role=int(me["role"]),
        region=int(me["region"]),
        exclude_ids=excluded_ids(user.id),
    )


def is_proposable_to(user: User, other_id: int) -> bool:
    """Would the hard constraints let ``other_id`` be proposed to ``user`` right now?"""
    index = current_index()
    found = _query_for(user, index) if index is not None else None
    other_row = index.row_of(other_id) if index is not None else None
    if index is None or found is None or other_row is None:
        return False
    _, query = found
    return bool(index.candidate_mask(query, np.array([other_row], dtype=np.int64))[0])


def _present(mine: Profile, scores: dict[int, float], limit: int) -> list[Suggestion]:
    """Load the peers in one query, re-check them against the database, explain them."""
    peers = db.session.execute(
        select(User, Profile).join(Profile, Profile.user_id == User.id)
        .where(User.id.in_(list(scores)))
    ).all()
    me = _facts(mine)
    found = []
    for user, profile in peers:
        facts = _facts(profile)
        live = is_live({**facts, "open_to_matches": profile.open_to_matches,
                        "status": user.status, "role": user.role})
        if not live:
            continue  # changed since the index row was written
        found.append(Suggestion(
            user_id=user.id, display_name=user.display_name, score=scores[user.id],
            reasons=explain.reasons(me, facts), about=profile.about,
            role_label=ROLE_ON_CARDS.get(profile.support_role or "", ""),
            facts=visible_facts(profile),
        ))
    found.sort(key=lambda s: -s.score)
    return found[:limit]


def dismiss(user: User, other_id: int) -> None:
    """Hide a suggestion for good ("Not now"); dismissing twice is harmless."""
    if other_id == user.id or db.session.get(User, other_id) is None:
        raise ServiceError("That suggestion is no longer available.")
    insert_or_ignore(Dismissal, user_id=user.id, dismissed_id=other_id, created_at=utcnow())


def dismissed(user: User) -> list[User]:
    """People this member hid with "Not now", most recent first."""
    return list(db.session.scalars(
        select(User).join(Dismissal, Dismissal.dismissed_id == User.id)
        .where(Dismissal.user_id == user.id, User.status != "deleted")
        .order_by(Dismissal.id.desc())))


def undismiss(user: User, other_id: int) -> None:
    """Let a hidden person be suggested again; harmless if they were not hidden."""
    db.session.execute(delete(Dismissal).where(Dismissal.user_id == user.id,
                                               Dismissal.dismissed_id == other_id))
