"""The demo generator: deterministic, valid against the vocabularies, plausibly correlated."""

from __future__ import annotations

from collections import Counter

import pytest

from peermatch import vocab
from peermatch.demo import generate_members

SAMPLE = list(generate_members(5000, seed=3))


def test_member_i_is_the_same_whatever_is_generated_around_it():
    alone = next(generate_members(1, seed=3, start=1234))
    assert alone == SAMPLE[1234]
    assert next(generate_members(1, seed=4, start=1234)) != alone


@pytest.mark.parametrize(
    ("field", "vocabulary"),
    [("stage", vocab.STAGES), ("her2", vocab.HER2_STATUSES), ("hr", vocab.HR_STATUSES),
     ("age_range", vocab.AGE_RANGES), ("support_role", vocab.SUPPORT_ROLES),
     ("country", vocab.COUNTRIES)],
)
def test_single_choice_codes_are_valid(field, vocabulary):
    assert {m.profile[field] for m in SAMPLE} <= set(vocabulary)


@pytest.mark.parametrize(
    ("field", "vocabulary"),
    [("treatments", vocab.TREATMENTS), ("interests", vocab.INTERESTS), ("topics", vocab.TOPICS),
     ("contact_modes", vocab.CONTACT_MODES), ("languages", vocab.LANGUAGES),
     ("visible_fields", vocab.HEALTH_FIELDS)],
)
def test_multi_choice_codes_are_valid_and_in_vocabulary_order(field, vocabulary):
    order = list(vocabulary)
    for member in SAMPLE:
        codes = member.profile[field]
        assert set(codes) <= set(vocabulary)
        assert codes == sorted(codes, key=order.index)


def test_everyone_can_be_reached_and_has_a_plausible_identity():
    for member in SAMPLE:
        assert member.profile["languages"] and member.profile["contact_modes"]
        assert 2 <= len(member.display_name) <= 40
        assert len(member.profile["about"]) <= 1000
        assert member.email == member.email.lower()
        if member.profile["country"] == "US":
            assert vocab.canonical_us_state(member.profile["region"]) == member.profile["region"]


def test_treatments_follow_the_biology():
    for m in SAMPLE:
        p = m.profile
        if "cdk46" in p["treatments"] or "endocrine" in p["treatments"]:
            assert p["hr"] == "positive"
        if "her2_targeted" in p["treatments"]:
            assert p["her2"] == "positive"
        if "palliative" in p["treatments"]:
            assert p["stage"] in vocab.METASTATIC_STAGES


def test_distribution_looks_like_a_metastatic_first_community():
    n = len(SAMPLE)
    stages = Counter(m.profile["stage"] for m in SAMPLE)
    metastatic = (stages["metastatic_de_novo"] + stages["metastatic_recurrence"]) / n
    assert 0.5 <= metastatic <= 0.7
    hr_positive = sum(m.profile["hr"] == "positive" for m in SAMPLE) / n
    assert 0.6 <= hr_positive <= 0.8
    her2_low_share = sum(m.profile["her2"] == "low" for m in SAMPLE
                         if m.profile["hr"] == "positive") / (hr_positive * n)
    assert 0.4 <= her2_low_share <= 0.6
    us = sum(m.profile["country"] == "US" for m in SAMPLE) / n
    assert 0.6 <= us <= 0.8
    cdk_metastatic = [("cdk46" in m.profile["treatments"]) for m in SAMPLE
                      if m.profile["hr"] == "positive"
                      and m.profile["stage"] in vocab.METASTATIC_STAGES]
    assert sum(cdk_metastatic) / len(cdk_metastatic) > 0.5
    assert len({m.display_name for m in SAMPLE}) > n / 5
