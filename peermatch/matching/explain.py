"""Plain-language reasons for a suggestion, built only from what the peer chose to show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import vocab

Facts = Mapping[str, Any]

_CONTACT_PHRASES = {
    "in_app": "writing in-app messages",
    "phone": "phone calls",
    "video": "video calls",
    "in_person": "meeting in person",
}


def _lower(label: str) -> str:
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _same(me: Facts, peer: Facts, field: str, shown: set[str]) -> str | None:
    """The shared value of a single-choice health field, if shown and meaningful."""
    value = peer.get(field)
    if field in shown and value and value == me.get(field) and value != "not_sure":
        return str(value)
    return None


def _subtype(me: Facts, peer: Facts, shown: set[str]) -> str:
    her2 = _same(me, peer, "her2", shown)
    hr = _same(me, peer, "hr", shown)
    parts = [vocab.HR_STATUSES[hr]] if hr else []
    if her2:
        parts.append(vocab.HER2_STATUSES[her2])
    return ", ".join(parts)


def diagnosis_reason(me: Facts, peer: Facts, shown: set[str]) -> str | None:
    subtype = _subtype(me, peer, shown)
    both_metastatic = (
        "stage" in shown
        and me.get("stage") in vocab.METASTATIC_STAGES
        and peer.get("stage") in vocab.METASTATIC_STAGES
    )
    if both_metastatic:
        kind = f"{subtype} metastatic" if subtype else "metastatic"
        return f"You are both living with {kind} breast cancer"
    stage = _same(me, peer, "stage", shown)
    if stage and subtype:
        return f"You both have {subtype} breast cancer, {_lower(vocab.STAGES[stage])}"
    if subtype:
        return f"You both have {subtype} breast cancer"
    if stage:
        return f"You share a diagnosis stage: {_lower(vocab.STAGES[stage])}"
    return None


def _shared(me: Facts, peer: Facts, field: str, vocabulary: Mapping[str, str]) -> list[str]:
    mine = set(me.get(field) or ())
    return [label for code, label in vocabulary.items() if code in mine and code in set(
        peer.get(field) or ())]


def reasons(me: Facts, peer: Facts, limit: int = 5) -> list[str]:
    """Why ``peer`` was suggested to ``me``, most telling first."""
    shown = set(peer.get("visible_fields") or ())
    found: list[str] = []
    diagnosis = diagnosis_reason(me, peer, shown)
    if diagnosis:
        found.append(diagnosis)
    treatments = _shared(me, peer, "treatments", vocab.TREATMENTS) if "treatments" in shown else []
    if len(treatments) == 1:
        found.append(f"You have both had {_lower(treatments[0])}")
    elif treatments:
        found.append(f"You have both had {len(treatments)} of the same treatments: "
                     f"{_join([_lower(t) for t in treatments])}")
    topics = _shared(me, peer, "topics", vocab.TOPICS)
    if topics:
        found.append(f"You both want to talk about {_join([_lower(t) for t in topics[:3]])}")
    interests = _shared(me, peer, "interests", vocab.INTERESTS)
    if len(interests) == 1:
        found.append(f"You share an interest: {_lower(interests[0])}")
    elif interests:
        found.append(f"You share {len(interests)} interests: "
                     f"{_join([_lower(i) for i in interests[:4]])}")
    age = _same(me, peer, "age_range", shown)
    if age:
        found.append(f"You are in the same age range ({vocab.AGE_RANGES[age]})")
    found.extend(_practical_reasons(me, peer))
    return found[:limit]


def _same_place(me: Facts, peer: Facts) -> bool:
    return bool(me.get("region") and me.get("region") == peer.get("region")
                and me.get("country") == peer.get("country"))


def _practical_reasons(me: Facts, peer: Facts) -> list[str]:
    found = []
    shared = set(me.get("contact_modes") or ()) & set(peer.get("contact_modes") or ())
    if not _same_place(me, peer):
        shared.discard("in_person")  # meeting in person only counts within one region
    modes = [code for code in vocab.CONTACT_MODES if code in shared]
    preferred = [m for m in modes if m != "in_app"] or modes
    if preferred:
        found.append(f"You both prefer {_join([_CONTACT_PHRASES[m] for m in preferred])}")
    languages = [lang for lang in _shared(me, peer, "languages", vocab.LANGUAGES)
                 if lang != "English"]
    if languages:
        found.append(f"You both speak {_join(languages)}")
    if _same_place(me, peer):
        found.append(f"You both live in {peer['region']}")
    return found
