"""Saving a member's profile."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .. import vocab
from ..extensions import db
from ..models import Profile, User
from ..models.profiles import ABOUT_MAX
from . import ServiceError
from .matching import refresh_after_commit


@dataclass(frozen=True)
class ProfileData:
    """What a member may set on their own profile (never role, status or owner)."""

    stage: str
    her2: str
    hr: str
    age_range: str
    support_role: str
    country: str
    region: str = ""
    about: str = ""
    treatments: Iterable[str] = ()
    interests: Iterable[str] = ()
    topics: Iterable[str] = ()
    contact_modes: Iterable[str] = ()
    languages: Iterable[str] = ()
    visible_fields: Iterable[str] = ()
    priorities: Mapping[str, int] = field(default_factory=dict)
    open_to_matches: bool = True
    max_active_conversations: int = 3


_SINGLE = {
    "stage": vocab.STAGES,
    "her2": vocab.HER2_STATUSES,
    "hr": vocab.HR_STATUSES,
    "age_range": vocab.AGE_RANGES,
    "support_role": vocab.SUPPORT_ROLES,
    "country": vocab.COUNTRIES,
}
_MULTI = {
    "treatments": vocab.TREATMENTS,
    "interests": vocab.INTERESTS,
    "topics": vocab.TOPICS,
    "contact_modes": vocab.CONTACT_MODES,
    "languages": vocab.LANGUAGES,
    "visible_fields": vocab.HEALTH_FIELDS,
}


def _codes(vocabulary: Mapping[str, str], chosen: Iterable[str], name: str) -> list[str]:
    wanted = set(chosen)
    if not wanted <= vocabulary.keys():
        raise ServiceError(f"Unknown choice for {name}.")
    return [code for code in vocabulary if code in wanted]  # stable, vocabulary order


def _region(country: str, region: str) -> str | None:
    region = " ".join(region.split())
    if not region:
        return None
    if country == "US":
        state = vocab.canonical_us_state(region)
        if state is None:
            raise ServiceError("Choose a US state (or Washington, D.C.).")
        return state
    return region[:80]


def ensure_profile(user: User) -> Profile:
    """The member's profile, created empty the first time it is needed."""
    if user.profile is None:
        user.profile = Profile()
        db.session.flush()
    return user.profile


def save_profile(user: User, data: ProfileData) -> Profile:
    """Validate against the vocabularies and store; the caller's request commits."""
    profile = ensure_profile(user)
    for name, vocabulary in _SINGLE.items():
        value = getattr(data, name)
        if value not in vocabulary:
            raise ServiceError(f"Unknown choice for {name}.")
        setattr(profile, name, value)
    for name, vocabulary in _MULTI.items():
        setattr(profile, name, _codes(vocabulary, getattr(data, name), name))
    if not profile.languages or not profile.contact_modes:
        raise ServiceError("Choose at least one language and one way to be contacted.")
    if len(data.about) > ABOUT_MAX:
        raise ServiceError(f"About me must be at most {ABOUT_MAX} characters.")
    profile.region = _region(data.country, data.region)
    profile.about = data.about.strip()
    profile.priorities = {
        code: min(3, max(0, int(data.priorities.get(code, default))))
        for code, default in vocab.DEFAULT_PRIORITIES.items()
    }
    profile.open_to_matches = data.open_to_matches
    profile.max_active_conversations = min(10, max(1, data.max_active_conversations))
    db.session.flush()
    refresh_after_commit(user.id)  # visible on the next request
    return profile
