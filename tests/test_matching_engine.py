"""The pure matching modules: features, index constraints, reciprocal ranking, reasons."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermatch import vocab
from peermatch.matching import explain
from peermatch.matching.features import ProfileRow, ProfileVectorizer
from peermatch.matching.index import (
    COLUMN_DTYPE,
    CONTACT_BITS,
    LANGUAGE_BITS,
    ROLE_BITS,
    MatchIndex,
    Query,
    bits,
    region_key,
)
from peermatch.matching.ranking import ReciprocalRanker, pack_priorities, unpack_priorities

VEC = ProfileVectorizer()
BASE = {
    "stage": "metastatic_recurrence", "her2": "low", "hr": "positive", "age_range": "50_59",
    "treatments": ("endocrine", "cdk46"), "interests": ("reading", "gardening"),
    "topics": ("scan_anxiety",),
}


def row(**changes):
    return ProfileRow(**{**BASE, **changes})


def member(user_id, *, languages=("en",), contact=("in_app",), role="both", region=None,
           capacity=3, live=True, priorities=None, **profile):
    vector = VEC.transform([row(**profile)])[0]
    column = np.array([(user_id, bits(languages, LANGUAGE_BITS), bits(contact, CONTACT_BITS),
                        ROLE_BITS[role], region_key("US", region), capacity,
                        pack_priorities(priorities or vocab.DEFAULT_PRIORITIES), live)],
                      dtype=COLUMN_DTYPE)[0]
    return vector, column


def build(*members):
    index = MatchIndex.empty(VEC.dimension, len(members) + 4)
    for i, (vector, column) in enumerate(members):
        index.write_row(i, vector, column)
    index.grow_to(len(members))
    return index


def query_for(index, user_id, exclude=()):
    row_ = index.row_of(user_id)
    c = index.columns[row_]
    return Query(user_id, np.asarray(index.vectors[row_]), int(c["languages"]), int(c["contact"]),
                 int(c["role"]), int(c["region"]), frozenset(exclude))


def found(index, user_id, exclude=()):
    rows, _ = index.search(query_for(index, user_id, exclude), 50)
    return index.user_ids(rows)


# -- features ---------------------------------------------------------------------------

def test_rows_are_float32_and_unit_length():
    x = VEC.transform([row(), row(treatments=(), interests=(), topics=())])
    assert x.dtype == np.float32
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-6)


def test_identical_profiles_score_one_and_her2_low_is_closer_to_ultralow_than_positive():
    low, same, ultralow, positive = VEC.transform(
        [row(), row(), row(her2="ultralow"), row(her2="positive")])
    assert low @ same == pytest.approx(1.0, abs=1e-6)
    assert low @ ultralow > low @ positive


def test_neighbouring_age_ranges_are_closer_than_distant_ones():
    a, near, far = VEC.transform([row(), row(age_range="60_69"), row(age_range="18_29")])
    assert a @ near > a @ far


# -- hard constraints -------------------------------------------------------------------

def test_member_never_sees_herself():
    index = build(member(1), member(2))
    assert found(index, 1) == [2]


def test_no_shared_language_or_contact_mode_is_never_proposed():
    index = build(member(1, languages=("en",)), member(2, languages=("es",)),
                  member(3, contact=("phone",)), member(4))
    assert found(index, 1) == [4]


def test_in_person_only_counts_within_the_same_region():
    index = build(member(1, contact=("in_person",), region="Ohio"),
                  member(2, contact=("in_person",), region="Ohio"),
                  member(3, contact=("in_person",), region="Texas"),
                  member(4, contact=("in_person",)))
    assert found(index, 1) == [2]


def test_seekers_meet_supporters_and_supporters_meet_seekers():
    index = build(member(1, role="seeking"), member(2, role="seeking"),
                  member(3, role="offering"), member(4, role="both"))
    assert sorted(found(index, 1)) == [3, 4]
    assert sorted(found(index, 3)) == [1, 2, 4]


def test_paused_members_and_supporters_at_capacity_are_not_proposed():
    index = build(member(1, role="seeking"), member(2, role="offering", live=False),
                  member(3, role="offering", capacity=0), member(4, role="offering"))
    assert found(index, 1) == [4]


def test_excluded_ids_never_appear():
    index = build(member(1), member(2), member(3))
    assert found(index, 1, exclude={2}) == [3]


def test_results_come_best_first():
    index = build(member(1), member(2, her2="positive", hr="negative", treatments=()),
                  member(3), member(4, interests=("fishing",)))
    result = found(index, 1)
    assert result[0] == 3 and result[-1] == 2


# -- reciprocal ranking -----------------------------------------------------------------

def test_priorities_round_trip_through_the_packed_column():
    levels = {"diagnosis": 3, "treatments": 0, "age": 2, "interests": 1, "region": 3}
    packed = np.array([pack_priorities(levels)], dtype=np.uint16)
    assert unpack_priorities(packed).tolist() == [[3, 0, 2, 1, 3]]


def test_a_one_sided_match_ranks_below_a_mutual_one():
    # 2 shares my diagnosis but cares only about hobbies, which we do not share;
    # 3 shares a bit less diagnosis but also my hobbies, and cares about both.
    me = member(1, priorities={"diagnosis": 3, "interests": 1, "treatments": 0, "age": 0})
    one_sided = member(2, interests=("fishing", "theatre"), topics=("faith",),
                       priorities={"diagnosis": 0, "treatments": 0, "age": 0, "interests": 3})
    mutual = member(3, her2="ultralow", priorities={"diagnosis": 3, "interests": 2,
                                                    "treatments": 0, "age": 0})
    index = build(me, one_sided, mutual)
    ranked = ReciprocalRanker(VEC).rank(index, 0, np.array([1, 2]), 2)
    assert index.user_ids(ranked.rows) == [3, 2]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "stage": st.sampled_from(list(vocab.STAGES)),
    "her2": st.sampled_from(list(vocab.HER2_STATUSES)),
    "hr": st.sampled_from(list(vocab.HR_STATUSES)),
    "age_range": st.sampled_from(list(vocab.AGE_RANGES)),
    "treatments": st.lists(st.sampled_from(list(vocab.TREATMENTS)), unique=True),
    "interests": st.lists(st.sampled_from(list(vocab.INTERESTS)), unique=True, max_size=6),
    "topics": st.lists(st.sampled_from(list(vocab.TOPICS)), unique=True, max_size=5),
    "languages": st.lists(st.sampled_from(["en", "es", "fr"]), min_size=1, unique=True),
    "contact": st.lists(st.sampled_from(list(vocab.CONTACT_MODES)), min_size=1, unique=True),
    "role": st.sampled_from(list(ROLE_BITS)), "region": st.sampled_from([None, "Ohio", "Utah"]),
    "live": st.booleans(), "capacity": st.integers(0, 3),
    "priorities": st.fixed_dictionaries({p: st.integers(0, 3) for p in vocab.PRIORITIES}),
}), min_size=2, max_size=25))
def test_random_profiles_keep_scores_in_range_and_constraints(profiles):
    as_member = [
        member(i + 1, **{**p, "treatments": tuple(p["treatments"]),
                         "interests": tuple(p["interests"]), "topics": tuple(p["topics"])})
        for i, p in enumerate(profiles)
    ]
    index = build(*as_member)
    ranker = ReciprocalRanker(VEC)
    for i, me in enumerate(profiles):
        rows, _ = index.search(query_for(index, i + 1), 50)
        ranked = ranker.rank(index, i, rows, 50)
        assert np.all((ranked.scores >= 0) & (ranked.scores <= 1))
        for peer_id in index.user_ids(ranked.rows):
            peer = profiles[peer_id - 1]
            assert peer_id != i + 1 and peer["live"]
            assert set(peer["languages"]) & set(me["languages"])
            shared = set(peer["contact"]) & set(me["contact"])
            same_place = me["region"] is not None and me["region"] == peer["region"]
            assert shared - {"in_person"} or ("in_person" in shared and same_place)
            if me["role"] == "seeking":
                assert peer["role"] != "seeking"
            if me["role"] == "offering":
                assert peer["role"] != "offering"
            if peer["role"] != "seeking":
                assert peer["capacity"] > 0


# -- reasons ----------------------------------------------------------------------------

FACTS = {"stage": "metastatic_de_novo", "her2": "low", "hr": "positive", "age_range": "50_59",
         "treatments": ["endocrine", "cdk46"], "interests": ["gardening", "reading"],
         "topics": ["scan_anxiety"], "contact_modes": ["in_app", "video"], "languages": ["en"],
         "country": "US", "region": "Ohio",
         "visible_fields": ["stage", "her2", "hr", "treatments", "age_range"]}


def test_reasons_say_why_in_plain_words():
    peer = {**FACTS, "stage": "metastatic_recurrence", "interests": ["reading", "gardening"]}
    said = explain.reasons(FACTS, peer, limit=10)
    assert said[0] == "You are both living with HR-positive, HER2-low metastatic breast cancer"
    assert "You share 2 interests: reading and gardening" in said
    assert ("You have both had 2 of the same treatments: "
            "hormone (endocrine) therapy and CDK4/6 inhibitor") in said
    assert "You both prefer video calls" in said
    assert "You both live in Ohio" in said


def test_reasons_only_use_health_fields_the_peer_made_visible():
    peer = {**FACTS, "visible_fields": ["stage"]}
    said = " ".join(explain.reasons(FACTS, peer, limit=10))
    assert "HER2" not in said and "HR-positive" not in said
    assert "treatments" not in said and "50–59" not in said
    assert "metastatic breast cancer" in said


def test_meeting_in_person_is_not_a_reason_across_regions():
    me = {**FACTS, "contact_modes": ["in_person"]}
    peer = {**me, "region": "Utah"}
    assert not any("in person" in r for r in explain.reasons(me, peer, limit=10))


def _reference_search(index, query, k):
    """The obvious way: check every row, sort everything."""
    scores = index.vectors[: index.count] @ query.vector
    rows = np.flatnonzero(index.candidate_mask(query))
    rows = rows[np.argsort(-scores[rows], kind="stable")][:k]
    return set(rows.tolist()), np.sort(scores[rows])


@pytest.mark.parametrize("languages", [0b1, 0b10, 0b100000000000000])  # common, rarer, none
def test_threshold_search_on_a_large_index_equals_checking_every_row(languages):
    rng = np.random.default_rng(3)
    n = 60_000
    index = MatchIndex.empty(VEC.dimension, n)
    vectors = rng.random((n, VEC.dimension), dtype=np.float32)
    index.vectors[:] = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cols = index.columns
    cols["user_id"] = np.arange(1, n + 1)
    cols["languages"] = rng.choice([0b1, 0b1, 0b1, 0b11, 0b10], size=n)
    cols["contact"] = rng.choice([1, 1, 3, 8], size=n)
    cols["role"] = rng.choice([1, 2, 3], size=n)
    cols["capacity"] = rng.integers(0, 3, size=n)
    cols["live"] = rng.random(n) < 0.9
    index.grow_to(n)
    for row in (0, 17, 4242):
        c = cols[row]
        query = Query(int(c["user_id"]), np.asarray(index.vectors[row]), languages, 1,
                      int(c["role"]), 0, frozenset({5, 6, 7}))
        got_rows, got_scores = index.search(query, 300)
        expected_rows, expected_scores = _reference_search(index, query, 300)
        assert np.allclose(np.sort(got_scores), expected_scores)
        assert len(got_rows) == len(expected_rows)
        assert np.all(np.diff(got_scores) <= 0)  # best first
        assert index.candidate_mask(query, got_rows).all()
