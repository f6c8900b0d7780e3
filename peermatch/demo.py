"""Synthetic demo members with plausible, correlated profiles. Pure: no Flask, no database.

Member ``i`` of seed ``s`` is the same whatever else is generated, so seeding is idempotent
and resumable. Frequencies are rough, chosen to look like a metastatic-first community.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from . import vocab

DEMO_PASSWORD = "peermatch-demo-2026"  # noqa: S105 - documented demo password
DEMO_MODERATOR_EMAIL = "moderator@demo.peermatch.test"

T = TypeVar("T")

_STAGE_WEIGHTS = {"metastatic_de_novo": 25, "metastatic_recurrence": 35, "early": 18,
                  "locally_advanced": 8, "ned": 10, "not_sure": 4}
_HER2_IF_HR_POSITIVE = {"low": 52, "positive": 13, "ultralow": 12, "zero": 16, "not_sure": 7}
_HER2_IF_HR_NEGATIVE = {"zero": 45, "low": 28, "positive": 20, "ultralow": 4, "not_sure": 3}
_AGE_IF_METASTATIC = {"18_29": 1, "30_39": 7, "40_49": 20, "50_59": 30, "60_69": 28, "70_plus": 14}
_AGE_OTHERWISE = {"18_29": 2, "30_39": 12, "40_49": 28, "50_59": 28, "60_69": 21, "70_plus": 9}
_COUNTRIES = {"US": 70, "CA": 9, "GB": 8, "IE": 2, "AU": 5, "NZ": 2, "IN": 1, "PH": 1, "MX": 1,
              "DE": 1}
_REGIONS = {
    "CA": ["Ontario", "Quebec", "British Columbia", "Alberta", "Manitoba", "Nova Scotia"],
    "GB": ["England", "Scotland", "Wales", "Northern Ireland"],
    "IE": ["Leinster", "Munster", "Connacht", "Ulster"],
    "AU": ["New South Wales", "Victoria", "Queensland", "Western Australia", "South Australia"],
    "NZ": ["Auckland", "Wellington", "Canterbury", "Otago"],
    "IN": ["Maharashtra", "Karnataka", "Delhi", "Tamil Nadu"],
    "PH": ["Metro Manila", "Cebu", "Davao"],
    "MX": ["Jalisco", "Nuevo León", "Ciudad de México"],
    "DE": ["Bayern", "Berlin", "Hamburg", "Nordrhein-Westfalen"],
}
_BIG_STATES = ["California", "Texas", "Florida", "New York", "Pennsylvania", "Illinois", "Ohio",
               "Georgia", "North Carolina", "Michigan", "New Jersey", "Virginia", "Washington"]
_NATIVE = {"MX": "es", "DE": "de", "PH": "tl", "IN": "hi"}
_US_SECOND_LANGUAGES = {"es": 12, "zh": 2, "vi": 2, "tl": 1.5, "ko": 1, "ar": 1, "ru": 1,
                        "fr": 1, "pt": 1, "pl": 0.5, "it": 0.5, "hi": 1, "ja": 0.5}
_TREATMENT_PHRASES = {
    "surgery": "surgery", "chemotherapy": "chemo", "radiation": "radiation",
    "endocrine": "hormone therapy", "her2_targeted": "HER2-targeted therapy",
    "adc": "an antibody–drug conjugate", "cdk46": "a CDK4/6 inhibitor",
    "parp": "a PARP inhibitor", "immunotherapy": "immunotherapy",
    "clinical_trial": "a clinical trial", "palliative": "palliative care",
}
_FIRST_NAMES = ["Maria", "Linda", "Susan", "Ana", "Grace", "Mei", "Thu", "Aisha", "Priya",
                "Rosa", "Carmen", "Joan", "Deb", "Karen", "Lupe", "Fatima", "Yuki", "Ji-woo",
                "Olga", "Nadia", "Elena", "Sofia", "Claire", "Bridget", "Siobhan", "Aroha",
                "Kim", "Pat", "Terri", "Lorraine", "Gloria", "Ngozi", "Amara", "Leilani",
                "Marisol", "Hannah", "Ruth", "Denise", "Beatriz", "Ines", "Noor", "Lan"]
_NATURE = ["Heron", "Willow", "Robin", "Harbor", "Meadow", "Cedar", "Wren", "River", "Sparrow",
           "Fern", "Juniper", "Tide", "Lark", "Maple", "Aster", "Birch"]
_MOODS = ["Quiet", "Steady", "Hopeful", "Brave", "Gentle", "Sunny", "Patient", "Curious",
          "Kind", "Morning", "Little", "Stubborn"]


@dataclass(frozen=True, slots=True)
class DemoMember:
    email: str
    display_name: str
    profile: dict[str, Any] = field(default_factory=dict)


def demo_email(seed: int, index: int) -> str:
    return f"member{index}.s{seed}@demo.peermatch.test"


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _some(rng: random.Random, items: Sequence[T], low: int, high: int) -> list[T]:
    return rng.sample(list(items), rng.randint(low, high))


def _treatments(rng: random.Random, stage: str, hr: str, her2: str) -> list[str]:
    metastatic = stage in vocab.METASTATIC_STAGES
    triple_negative = hr == "negative" and her2 in {"zero", "ultralow"}
    chances = {
        "surgery": 0.3 if stage == "metastatic_de_novo" else 0.85,
        "chemotherapy": 0.7,
        "radiation": 0.6,
        "endocrine": 0.9 if hr == "positive" else 0.0,
        "cdk46": (0.75 if metastatic else 0.1) if hr == "positive" else 0.0,
        "her2_targeted": 0.9 if her2 == "positive" else 0.0,
        "adc": (0.45 if (her2 in {"low", "ultralow", "positive"} or triple_negative) else 0.05)
        if metastatic else 0.02,
        "parp": 0.05,
        "immunotherapy": 0.5 if triple_negative else 0.03,
        "clinical_trial": 0.2 if metastatic else 0.1,
        "palliative": 0.3 if metastatic else 0.0,
    }
    chosen = {code for code, p in chances.items() if rng.random() < p}
    if stage == "not_sure":
        chosen &= {"surgery", "chemotherapy", "radiation"}
    return [code for code in vocab.TREATMENTS if code in chosen]


def _topics(rng: random.Random, stage: str, her2: str) -> list[str]:
    weights = dict.fromkeys(vocab.TOPICS, 1.0)
    if stage in vocab.METASTATIC_STAGES:
        for code in ("scan_anxiety", "uncertainty", "treatment_decisions", "clinical_trials",
                     "planning_ahead", "side_effects"):
            weights[code] = 3.0
    if her2 in {"low", "ultralow"}:
        weights["clinical_trials"] += 2
        weights["treatment_decisions"] += 2
    if stage in {"early", "ned"}:
        weights["body_image"] = weights["work_money"] = weights["fatigue"] = 2.5
    count = rng.randint(2, 5)
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add(_pick(rng, weights))
    return [code for code in vocab.TOPICS if code in chosen]


def _place_and_languages(rng: random.Random) -> tuple[str, str, list[str]]:
    country = _pick(rng, _COUNTRIES)
    if country == "US":
        region = rng.choice(_BIG_STATES) if rng.random() < 0.6 else rng.choice(vocab.US_STATES)
    else:
        region = rng.choice(_REGIONS[country])
    languages = {"en"}
    if country in _NATIVE:
        languages = {_NATIVE[country]} | ({"en"} if rng.random() < 0.6 else set())
    elif country == "CA" and (region == "Quebec" or rng.random() < 0.1):
        languages.add("fr")
        if region == "Quebec" and rng.random() < 0.3:
            languages.discard("en")
    elif country == "US":
        for code, percent in _US_SECOND_LANGUAGES.items():
            if rng.random() * 100 < percent:
                languages.add(code)
        if "es" in languages and rng.random() < 0.15:
            languages.discard("en")
    return country, region, [code for code in vocab.LANGUAGES if code in languages]


def _contact_modes(rng: random.Random) -> list[str]:
    chances = {"in_app": 0.9, "phone": 0.35, "video": 0.3, "in_person": 0.15}
    chosen = {code for code, p in chances.items() if rng.random() < p} or {"in_app"}
    return [code for code in vocab.CONTACT_MODES if code in chosen]


def _display_name(rng: random.Random, country: str, region: str) -> str:
    style = rng.random()
    first = rng.choice(_FIRST_NAMES)
    if style < 0.4:
        return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTVW')}."
    if style < 0.7:
        return f"{rng.choice(_MOODS)}{rng.choice(_NATURE)}"
    if style < 0.85 and country == "US":
        return f"{first} from {region}"[:40]
    return f"{first}{rng.randint(2, 99)}"


def _about(rng: random.Random, p: dict[str, Any]) -> str:
    stage, her2, hr = p["stage"], p["her2"], p["hr"]
    subtype = "/".join(x for x in (
        vocab.HR_STATUSES[hr].replace("-positive", "+").replace("-negative", "-")
        if hr != "not_sure" else "", vocab.HER2_STATUSES[her2] if her2 != "not_sure" else "",
    ) if x)
    year = rng.randint(2012, 2025)
    opening = {
        "metastatic_de_novo": f"Diagnosed de novo stage IV in {year}",
        "metastatic_recurrence": f"My cancer came back as metastatic in {year}",
        "early": f"Diagnosed early stage in {year}",
        "locally_advanced": f"Diagnosed stage III in {year}",
        "ned": f"Finished treatment in {year} and doing well",
        "not_sure": "Newly diagnosed and still waiting on results",
    }[stage]
    sentences = [opening + (f", {subtype}." if subtype and stage != "not_sure" else ".")]
    if p["treatments"]:
        treatment = _TREATMENT_PHRASES[rng.choice(p["treatments"])]
        sentences.append(rng.choice([f"Right now it's {treatment} and good and bad days.",
                                     f"I've been through {treatment} and I'm happy to "
                                     "share what helped.",
                                     f"{treatment[0].upper()}{treatment[1:]} has been part of "
                                     "my story."]))
    likes = [vocab.INTERESTS[c].lower() for c in p["interests"][:2]]
    topic = vocab.TOPICS[rng.choice(p["topics"])].lower()
    sentences.append(f"I love {' and '.join(likes)}; glad to talk about {topic}." if likes
                     else f"Glad to talk about {topic}.")
    return " ".join(sentences)


def _member(seed: int, index: int) -> DemoMember:
    rng = random.Random(seed * 1_000_003 + index)
    stage = _pick(rng, _STAGE_WEIGHTS)
    hr = _pick(rng, {"positive": 70, "negative": 26, "not_sure": 4})
    her2 = _pick(rng, _HER2_IF_HR_NEGATIVE if hr == "negative" else _HER2_IF_HR_POSITIVE)
    if stage == "not_sure" and rng.random() < 0.6:
        her2, hr = "not_sure", "not_sure"
    long_timer = stage in {"ned", "early"} or (stage in vocab.METASTATIC_STAGES
                                                and rng.random() < 0.3)
    role = _pick(rng, {"seeking": 30, "offering": 30, "both": 40} if long_timer
                 else {"seeking": 65, "offering": 8, "both": 27})
    country, region, languages = _place_and_languages(rng)
    profile: dict[str, Any] = {
        "stage": stage, "her2": her2, "hr": hr,
        "age_range": _pick(rng, _AGE_IF_METASTATIC if stage in vocab.METASTATIC_STAGES
                           else _AGE_OTHERWISE),
        "support_role": role,
        "treatments": _treatments(rng, stage, hr, her2),
        "interests": sorted(_some(rng, list(vocab.INTERESTS), 2, 6),
                            key=list(vocab.INTERESTS).index),
        "topics": _topics(rng, stage, her2),
        "contact_modes": _contact_modes(rng),
        "languages": languages,
        "country": country,
        "region": region,
        "open_to_matches": rng.random() < 0.92,
        "max_active_conversations": rng.randint(2, 5) if role != "seeking" else rng.randint(1, 3),
        "priorities": {"diagnosis": rng.choice([2, 3, 3, 3]), "treatments": rng.randint(1, 3),
                       "age": rng.randint(0, 2), "interests": rng.randint(0, 3),
                       "region": rng.choice([0, 0, 1, 2])},
        "visible_fields": [f for f in vocab.HEALTH_FIELDS if rng.random() < 0.93],
    }
    profile["about"] = _about(rng, profile)
    return DemoMember(demo_email(seed, index), _display_name(rng, country, region), profile)


def generate_members(count: int, seed: int = 1, start: int = 0) -> Iterator[DemoMember]:
    """Members ``start`` to ``start + count - 1`` of ``seed``."""
    for index in range(start, start + count):
        yield _member(seed, index)
