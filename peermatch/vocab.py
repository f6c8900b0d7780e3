"""Controlled vocabularies: stable codes stored in the database, labels shown to people.

This module is the single source for forms, models, the demo seeder and matching.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import pycountry


def _vocab(*pairs: tuple[str, str]) -> Mapping[str, str]:
    codes = [code for code, _ in pairs]
    if len(set(codes)) != len(codes):  # pragma: no cover - guards edits to this file
        raise ValueError("duplicate vocabulary code")
    return MappingProxyType(dict(pairs))


STAGES = _vocab(
    ("early", "Early stage (0–II)"),
    ("locally_advanced", "Locally advanced (III)"),
    ("metastatic_de_novo", "Metastatic at diagnosis (de novo stage IV)"),
    ("metastatic_recurrence", "Metastatic recurrence"),
    ("ned", "No evidence of disease / finished treatment"),
    ("not_sure", "Not sure yet"),
)
METASTATIC_STAGES = frozenset({"metastatic_de_novo", "metastatic_recurrence"})

HER2_STATUSES = _vocab(
    ("positive", "HER2-positive"),
    ("low", "HER2-low"),
    ("ultralow", "HER2-ultralow"),
    ("zero", "HER2-zero"),
    ("not_sure", "Not sure"),
)

HR_STATUSES = _vocab(
    ("positive", "HR-positive"),
    ("negative", "HR-negative"),
    ("not_sure", "Not sure"),
)

TREATMENTS = _vocab(
    ("surgery", "Surgery"),
    ("chemotherapy", "Chemotherapy"),
    ("radiation", "Radiation"),
    ("endocrine", "Hormone (endocrine) therapy"),
    ("her2_targeted", "HER2-targeted therapy"),
    ("adc", "Antibody–drug conjugate"),
    ("cdk46", "CDK4/6 inhibitor"),
    ("parp", "PARP inhibitor"),
    ("immunotherapy", "Immunotherapy"),
    ("clinical_trial", "Clinical trial"),
    ("palliative", "Palliative care"),
)

AGE_RANGES = _vocab(
    ("18_29", "18–29"),
    ("30_39", "30–39"),
    ("40_49", "40–49"),
    ("50_59", "50–59"),
    ("60_69", "60–69"),
    ("70_plus", "70+"),
)

CONTACT_MODES = _vocab(
    ("in_app", "In-app messages"),
    ("phone", "Phone call"),
    ("video", "Video call"),
    ("in_person", "In person"),
)

SUPPORT_ROLES = _vocab(
    ("seeking", "Looking for support"),
    ("offering", "Offering support"),
    ("both", "Both"),
)

INTERESTS = _vocab(
    *(
        (label.lower().replace(" ", "_"), label)
        for label in (
            "Reading", "Gardening", "Walking", "Hiking", "Yoga", "Painting", "Music",
            "Cooking", "Baking", "Faith and spirituality", "Pets", "Travel", "Crafts",
            "Knitting", "Journaling", "Photography", "Meditation", "Movies and TV",
            "Board games", "Video games", "Sports", "Nature", "Volunteering", "Writing",
            "Dancing", "Fishing", "Podcasts", "Puzzles", "Fashion", "Theatre",
        )
    )
)

TOPICS = _vocab(
    ("side_effects", "Side effects"),
    ("clinical_trials", "Clinical trials"),
    ("treatment_decisions", "Treatment decisions"),
    ("scan_anxiety", "Scan anxiety"),
    ("work_money", "Work and money"),
    ("family_children", "Family and children"),
    ("relationships_intimacy", "Relationships and intimacy"),
    ("body_image", "Body image"),
    ("fatigue", "Fatigue"),
    ("nutrition", "Nutrition"),
    ("mental_health", "Mental health"),
    ("planning_ahead", "Planning ahead"),
    ("talking_loved_ones", "Talking to loved ones"),
    ("uncertainty", "Living with uncertainty"),
    ("faith", "Faith"),
)

LANGUAGES = _vocab(
    ("en", "English"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("pt", "Portuguese"),
    ("zh", "Chinese"),
    ("vi", "Vietnamese"),
    ("ar", "Arabic"),
    ("hi", "Hindi"),
    ("ko", "Korean"),
    ("ru", "Russian"),
    ("tl", "Tagalog"),
    ("de", "German"),
    ("it", "Italian"),
    ("pl", "Polish"),
    ("ja", "Japanese"),
)

# What a member can say matters most in a peer, and how much.
PRIORITIES = _vocab(
    ("diagnosis", "Same diagnosis"),
    ("treatments", "Similar treatment"),
    ("age", "Similar age"),
    ("interests", "Common hobbies"),
    ("region", "Living nearby"),
)
PRIORITY_WEIGHTS = _vocab(
    ("0", "Doesn't matter"),
    ("1", "Nice to have"),
    ("2", "Important"),
    ("3", "Very important"),
)
DEFAULT_PRIORITIES: Mapping[str, int] = MappingProxyType(
    {"diagnosis": 3, "treatments": 2, "age": 1, "interests": 1, "region": 0}
)

# Health fields a member may choose to show to proposed peers.
HEALTH_FIELDS = _vocab(
    ("stage", "Share my stage"),
    ("her2", "Share my HER2 result"),
    ("hr", "Share my hormone receptor result"),
    ("treatments", "Share my treatment history"),
    ("age_range", "Share my age group"),
)

_FIRST_COUNTRIES = ("US", "CA", "GB", "IE", "AU", "NZ")


def _country_name(country: object) -> str:
    return str(getattr(country, "common_name", None) or country.name)  # type: ignore[attr-defined]


def _countries() -> Mapping[str, str]:
    names = {c.alpha_2: _country_name(c) for c in pycountry.countries}
    first = [(code, names[code]) for code in _FIRST_COUNTRIES]
    rest = sorted(
        ((code, name) for code, name in names.items() if code not in _FIRST_COUNTRIES),
        key=lambda pair: pair[1],
    )
    return _vocab(*first, *rest)


COUNTRIES = _countries()

US_STATES: tuple[str, ...] = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois",
    "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
    "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana",
    "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York",
    "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
    "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
    "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
)
_US_STATES_BY_KEY = {state.casefold(): state for state in US_STATES}


def canonical_us_state(text: str) -> str | None:
    """The state's canonical name for a case-insensitive match, else None."""
    return _US_STATES_BY_KEY.get(" ".join(text.split()).casefold())


def labels(vocabulary: Mapping[str, str], codes: Iterable[str]) -> list[str]:
    """Labels for known codes, in vocabulary order; unknown codes are skipped."""
    wanted = set(codes)
    return [label for code, label in vocabulary.items() if code in wanted]


def choices(vocabulary: Mapping[str, str]) -> list[tuple[str, str]]:
    return list(vocabulary.items())
