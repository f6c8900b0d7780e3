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
    PHONE: "Phone number",
    EMAIL: "E-mail address",
    LINK: "Link",
}

_NOT = r"(?:do not|don't|dont|do n't|never|no longer)"
_WANT = r"(?:want|wanna|wanted|wanting|wish|need)"
# Said of oneself, plainly or indirectly. Talk of dying from the illness ("I'm scared I'm
# going to die", "not going to die yet") is not crisis language and is not matched.
_CRISIS_PATTERNS = [
    r"(?<!assisted )(?<!assisted-)\bsuicid(?:e|al)\b(?! (?:prevention|hotline|lifeline|law|rate))",
    r"\bkill(?:ing)? my ?self\b",
    r"\bkms\b",
    r"\b(?:end|ending|take|taking) my (?:own )?life\b",
    r"\bend(?:ing)? it (?:all|tonight|today|now)\b",
    r"\bplan(?:ning)? to end it\b",
    rf"\b{_WANT} (?:to )?die\b",
    r"\b(?:i'd|i would|i'll) rather (?:die|be dead)\b",
    rf"\b{_WANT} to be dead\b",
    r"\bwish (?:i|i'd) (?:was|were|had|had been) (?:dead|never (?:been )?born)\b",
    r"\bbetter off (?:dead|without me)\b",
    rf"\b{_NOT} (?:want|wanna) (?:to )?(?:live|be alive|be here|wake up|exist|go on)\b",
    r"\btired of (?:living|being alive|life)\b",
    r"\b(?:no|any|the) (?:reason|point) (?:to |in |of )?(?:keep )?"
    r"(?:live|living|go on|going on|carry on)\b",
    r"\b(?:not|isn't|is not|ain't) worth living\b",
    r"\bcan(?:no|'|)t (?:go on|do this any ?more|take (?:it|this) any ?more|keep going)\b",
    r"\b(?:harm|harming) my ?self\b",
    r"\b(?:cut|cutting|hurt|hurting) my ?self\b"
    r"(?! (?:a |some |shaving|gardening|cooking|while|when|on |in |by accident|accidentally))",
    r"\bself[- ]?harm",
    r"\boverdos(?:e|ed|ing)\b(?! (?:on|of) (?:chemo|radiation|steroids))",
    r"\btake all (?:of )?my (?:pills|meds|medication|tablets)\b",
    r"\bgo to sleep and (?:never|not) wake up\b",
    r"\bdisappear (?:for good|forever)\b",
    r"\bgive up on (?:life|living|everything)\b",
]
_CRISIS = re.compile("|".join(_CRISIS_PATTERNS))

_EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\))\s*[\w-]+)+",
                    re.IGNORECASE)
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|info|gov|edu)\b(?:/\S*)?"
    r"|\b(?:bit\.ly|t\.me|wa\.me|t\.co|goo\.gl|tinyurl\.com)/\S+",
    re.IGNORECASE,
)
_PHONE_RUN = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
_YEARS = re.compile(r"^(?:(?:19|20)\d\d[\s,–.-]*)+$")  # 2019-2021, "2019 2020 2021"
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")  # 12.03.2024, 2024-03-12
_PHONE_SHAPE = re.compile(r"\d{3}\)?[\s.-]\d{3,4}$")  # ...555-1234, (555) 123-4567


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
    """Ten to fifteen digits, or seven-plus written the way phone numbers are; not dates,
    years or a bare lab value."""
    for match in _PHONE_RUN.finditer(text):
        run = match.group().strip()
        if _YEARS.match(run) or _DATE.match(run):
            continue
        digits = sum(ch.isdigit() for ch in run)
        if 10 <= digits <= 15 or (7 <= digits <= 15 and _PHONE_SHAPE.search(run)):
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
