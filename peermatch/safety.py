"""What a moderator should look at in a note or a message. Pure functions, no Flask.

``check(text)`` finds crisis language (thoughts of suicide or self-harm, said plainly or
indirectly) and contact details (phone numbers, e-mail addresses, links). Crisis language
never stops a message: the writer is shown where help is, and moderators see it first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CRISIS = "crisis"
PHONE = "phone"
EMAIL = "email"
LINK = "link"
FLAG_LABELS = {
    CRISIS: "Possible crisis language",
    PHONE: "Contains a phone number",
    EMAIL: "Contains an e-mail address",
    LINK: "Contains a link",
}

_NOT = r"(?:do not|don't|dont|do n't|never|no longer)"
_CRISIS_PATTERNS = [
    r"\bsuicid(?:e|al)\b",
    r"\bkill(?:ing)? my ?self\b",
    r"\b(?:end|ending|take|taking) my (?:own )?life\b",
    r"\bend(?:ing)? it all\b",
    r"\b(?:want|wanted|wanting|wanna|going|ready) (?:to )?die\b",
    r"\bwish (?:i|i'd) (?:was|were|had) (?:dead|never been born)\b",
    r"\bbetter off (?:dead|without me)\b",
    rf"\b{_NOT} want to (?:live|be alive|be here|wake up|exist)\b",
    r"\b(?:no|any|the) (?:reason|point) (?:to|in|of) (?:live|living|go on|going on|carry on)\b",
    r"\bnot worth living\b",
    r"\bcan(?:no|'|)t (?:go on|do this anymore|take (?:it|this) anymore)\b",
    r"\b(?:hurt|harm|cut|cutting|hurting|harming) my ?self\b",
    r"\bself[- ]?harm",
    r"\boverdos(?:e|ing) on purpose\b",
    r"\bgo to sleep and (?:never|not) wake up\b",
    r"\bdisappear (?:for good|forever)\b",
    r"\bgive up on (?:life|living|everything)\b",
]
_CRISIS = re.compile("|".join(_CRISIS_PATTERNS))

_EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\))\s*[\w-]+)+",
                    re.IGNORECASE)
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|me|info|co|us|uk|ca|au|app|ly|gg|link)\b(?:/\S*)?",
    re.IGNORECASE,
)
_PHONE_RUN = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
_YEAR_RANGE = re.compile(r"^(?:19|20)\d\d\s*[-–.]\s*(?:19|20)?\d\d$")


@dataclass(frozen=True)
class SafetyCheck:
    crisis: bool
    contact: tuple[str, ...]

    @property
    def flags(self) -> list[str]:
        return ([CRISIS] if self.crisis else []) + list(self.contact)


def normalise(text: str) -> str:
    """Lower case, plain apostrophes, single spaces: what the patterns expect."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text)


def has_crisis_language(text: str) -> bool:
    return _CRISIS.search(normalise(text)) is not None


def _has_phone(text: str) -> bool:
    for match in _PHONE_RUN.finditer(text):
        run = match.group().strip()
        digits = sum(ch.isdigit() for ch in run)
        if 7 <= digits <= 15 and not _YEAR_RANGE.match(run):
            return True
    return False


def contact_details(text: str) -> tuple[str, ...]:
    """Which kinds of contact detail the text holds, in a fixed order."""
    found = []
    if _has_phone(text):
        found.append(PHONE)
    email = _EMAIL.search(text)
    if email:
        found.append(EMAIL)
    without_emails = _EMAIL.sub(" ", text)
    if _LINK.search(without_emails):
        found.append(LINK)
    return tuple(found)


def check(text: str) -> SafetyCheck:
    return SafetyCheck(crisis=has_crisis_language(text), contact=contact_details(text))
