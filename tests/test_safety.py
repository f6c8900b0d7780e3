"""The crisis-language and contact-detail detectors."""

from __future__ import annotations

import pytest

from peermatch import safety

CRISIS = [
    "Some days I just want to die.",
    "I've been thinking about suicide again",
    "I feel suicidal tonight",
    "I might kill myself if this scan is bad",
    "I don't want to be here anymore",
    "I dont want to live like this",
    "Honestly they'd all be better off without me",
    "I wish I was dead",
    "I've started cutting myself again",
    "Is there any point in going on?",
    "I can't go on like this",
    "thinking of ending my life",
    "I want to go to sleep and never wake up",
    "I keep hurting myself",
    "SELF-HARM has crept back",
    "I don\u2019t want to exist",
    "What's the point in living with stage IV",
    "I want to be dead",
    "I'd rather be dead",
    "I'm tired of living",
    "life isn't worth living",
    "no point living",
    "there's no reason to keep living",
    "I can't do this any more",
    "I'm going to take all my pills",
    "I overdosed last night",
    "honestly kms",
    "I dont wanna live",
    "I wish I was never born",
    "I'm planning to end it tonight",
]
NOT_CRISIS = [
    "I'm scared of dying before my kids finish school.",
    "The fatigue is killing my appetite.",
    "I'm dying to try your lemon cake recipe!",
    "My oncologist said it is not a death sentence.",
    "We talked about living wills and planning ahead.",
    "The trial ended in 2023 and I am doing well.",
    "Radiation was hard but I got through it.",
    "I'm going to die of this one day, and I want to talk about it.",
    "The doctor said I'm not going to die yet!",
    "She was ready to die peacefully in hospice.",
    "I'm ready to die my hair pink.",
    "I cut myself shaving this morning.",
    "I cut myself a slice of cake.",
    "I hurt myself gardening.",
    "I volunteer for suicide prevention.",
    "We discussed the physician-assisted suicide law.",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_language_is_found(text):
    assert safety.has_crisis_language(text)
    assert safety.CRISIS in safety.check(text).flags


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_ordinary_talk_about_illness_is_not_crisis(text):
    assert not safety.has_crisis_language(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on (555) 123-4567 any evening", (safety.PHONE,)),
        ("my number is +44 7700 900123", (safety.PHONE,)),
        ("write to jane.doe@example.org", (safety.EMAIL,)),
        ("write to jane (at) example (dot) org", (safety.EMAIL,)),
        ("see https://example.org/group", (safety.LINK,)),
        ("find me at www.facebook.com/jane", (safety.LINK,)),
        ("my blog mbcjourney.net has more", (safety.LINK,)),
        ("Text 555-123-4567 or email a@b.co", (safety.PHONE, safety.EMAIL)),
        ("Diagnosed 2019-2021, on my third line since 2022.", ()),
        ("I was 47 when diagnosed, HER2-low, ER 90%.", ()),
        ("Scan on 12.03.2024, results 2024-03-12.", ()),
        ("My CA 15-3 was 1234567 units, odd.", ()),
        ("ER 95%, treated 2019 2020 2021.", ()),
        ("I ended.co my sentence badly, said.me too", ()),
        ("Call 555-1234 after six", (safety.PHONE,)),
        ("join via bit.ly/mbc-group", (safety.LINK,)),
        ("Hello! I would love to talk about scan anxiety.", ()),
    ],
)
def test_contact_details_are_found(text, expected):
    assert safety.contact_details(text) == expected


def test_flags_put_crisis_first_and_keep_contact_kinds():
    result = safety.check("I want to die. Call 555 123 4567")
    assert result.flags == [safety.CRISIS, safety.PHONE]
    assert safety.check("Lovely to meet you").flags == []
