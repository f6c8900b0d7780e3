"""Hidden preferences for synthetic members, and whether two of them would go on to talk.

Pure: no Flask, no database. Each demo member has a hidden *taste*: the priorities they
stated plus noise, and things they never said (how much shared topics, a shared region or a
shared language other than English really matter, and how open they are). Outcomes drawn
from it make an offline evaluation meaningful: a model only does well by finding what
people actually respond to.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import vocab

Profile = Mapping[str, Any]
_AGES = list(vocab.AGE_RANGES)
REQUESTERS = 5000  # members given a simulated history
SLATE = 24  # past introductions for each of them


@dataclass(frozen=True, slots=True)
class Taste:
    diagnosis: float
    treatments: float
    age: float
    interests: float
    topics: float
    region: float
    language: float
    openness: float


def hidden_taste(seed: int, index: int, profile: Profile) -> Taste:
    rng = random.Random(seed * 7_000_003 + index * 7 + 1)  # noqa: S311 - simulation
    stated = profile.get("priorities") or vocab.DEFAULT_PRIORITIES

    def noisy(code: str) -> float:
        return max(0.0, float(stated.get(code, 1)) + rng.gauss(0, 0.7))

    return Taste(
        diagnosis=noisy("diagnosis"), treatments=noisy("treatments"), age=noisy("age"),
        interests=noisy("interests"), topics=rng.uniform(0.5, 2.5),
        region=noisy("region") * 0.5 + rng.uniform(0, 1.5), language=rng.uniform(0, 3),
        openness=rng.gauss(0, 0.5),
    )


def _jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    sa, sb = set(a or ()), set(b or ())
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def _diagnosis(me: Profile, peer: Profile) -> float:
    score = 0.0
    if (me["stage"] in vocab.METASTATIC_STAGES) == (peer["stage"] in vocab.METASTATIC_STAGES):
        score += 0.45 + (0.15 if me["stage"] == peer["stage"] else 0.0)
    if me["her2"] == peer["her2"] != "not_sure":
        score += 0.25
    if me["hr"] == peer["hr"] != "not_sure":
        score += 0.15
    return score


def side_fit(me: Profile, peer: Profile, taste: Taste) -> float:
    """How well ``peer`` suits ``me`` by my hidden taste, in [0, 1]."""
    age_gap = abs(_AGES.index(me["age_range"]) - _AGES.index(peer["age_range"]))
    other_language = bool(set(me["languages"]) & set(peer["languages"]) - {"en"})
    parts = (
        (taste.diagnosis, _diagnosis(me, peer)),
        (taste.treatments, _jaccard(me["treatments"], peer["treatments"])),
        (taste.age, max(0.0, 1 - age_gap / 3)),
        (taste.interests, _jaccard(me["interests"], peer["interests"])),
        (taste.topics, _jaccard(me["topics"], peer["topics"])),
        (taste.region, float(me["country"] == peer["country"] and me["region"] == peer["region"])),
        (taste.language, float(other_language)),
    )
    total = sum(weight for weight, _ in parts)
    return sum(weight * value for weight, value in parts) / total if total else 0.0


def connect_probability(a: Profile, b: Profile, ta: Taste, tb: Taste) -> float:
    """Chance that an introduction between a and b leads to a real conversation."""
    fa, fb = side_fit(a, b, ta), side_fit(b, a, tb)
    mutual = 2 * fa * fb / (fa + fb) if fa + fb else 0.0
    logit = -2.0 + 9.0 * (mutual - 0.35) + 0.6 * (ta.openness + tb.openness)
    return 1 / (1 + math.exp(-logit))


def compatible(a: Profile, b: Profile) -> bool:
    """The hard constraints, roughly: a shared language, a way to talk, roles that fit."""
    if not (set(a["languages"]) & set(b["languages"])):
        return False
    shared = set(a["contact_modes"]) & set(b["contact_modes"])
    if a["region"] != b["region"] or a["country"] != b["country"]:
        shared.discard("in_person")
    roles = {a["support_role"], b["support_role"]}
    return bool(shared) and roles not in ({"seeking"}, {"offering"}) and bool(b["open_to_matches"])


def simulate_history(
    seed: int, members: Sequence[tuple[int, int, Profile]], now: datetime
) -> list[dict[str, object]]:
    """A year of past introductions: each of up to REQUESTERS members (user id, index in
    the seed, profile) met a random slate of compatible members at one moment, and each
    pair connected with its hidden-taste probability."""
    rng = random.Random(seed)  # noqa: S311 - simulation, not security
    tastes = {uid: hidden_taste(seed, i, profile) for uid, i, profile in members}
    rows: list[dict[str, object]] = []
    for uid, _, profile in members[:REQUESTERS]:
        when = now - timedelta(days=rng.uniform(0, 365))
        slate = 0
        for _ in range(SLATE * 4):  # random draws; not all are compatible
            other_uid, _, other = members[rng.randrange(len(members))]
            if other_uid == uid or not compatible(profile, other):
                continue
            p = connect_probability(profile, other, tastes[uid], tastes[other_uid])
            rows.append({"requester_id": uid, "recipient_id": other_uid,
                         "connected": rng.random() < p, "simulated": True, "created_at": when})
            slate += 1
            if slate == SLATE:
                break
    return rows
