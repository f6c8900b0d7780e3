"""Outcome learning, the simulated history and the offline evaluation."""

from __future__ import annotations

import numpy as np
import pytest

from peermatch.demo import generate_members
from peermatch.matching.learning import OutcomeModel, ndcg_at_k, precision_at_k
from peermatch.matching.ranking import Ranked
from peermatch.simulation import compatible, connect_probability, hidden_taste, simulate_history


def test_precision_and_ndcg_at_k():
    relevant = np.array([True, False, True, False])
    assert precision_at_k(relevant, k=2) == 0.5
    assert ndcg_at_k(np.array([True, True, False])) == pytest.approx(1.0)
    assert ndcg_at_k(np.array([False, True])) == pytest.approx(1 / np.log2(3))
    assert ndcg_at_k(np.array([False, False])) == 0.0


def test_outcome_model_learns_which_feature_predicts_connection():
    rng = np.random.default_rng(0)
    x = rng.random((2000, 3))
    y = rng.random(2000) < 0.1 + 0.8 * x[:, 1]  # only feature 1 matters
    model = OutcomeModel.fit(x, y)
    assert np.argmax(np.abs(model.coefficients)) == 1 and model.coefficients[1] > 0
    p = model.probability(x)
    assert np.all((p > 0) & (p < 1))
    assert p[x[:, 1] > 0.9].mean() > p[x[:, 1] < 0.1].mean() + 0.4


def test_rerank_puts_the_likeliest_first():
    model = OutcomeModel(np.array([5.0]), -2.5)
    ranked = Ranked(np.array([10, 11, 12]), np.array([0.9, 0.5, 0.1]), np.zeros((3, 1)),
                    np.zeros(3), np.zeros(3))
    reordered = model.rerank(ranked, np.array([[0.0], [0.2], [1.0]]))
    assert reordered.rows.tolist()[0] == 12


PROFILES = [m.profile for m in generate_members(400, seed=5)]


def test_hidden_taste_is_deterministic_and_probabilities_in_range():
    assert hidden_taste(5, 3, PROFILES[3]) == hidden_taste(5, 3, PROFILES[3])
    taste = hidden_taste(5, 3, PROFILES[3])
    for other in PROFILES[:50]:
        assert 0 < connect_probability(PROFILES[3], other, taste, taste) < 1


def test_someone_like_me_is_likelier_to_connect_than_someone_unlike_me():
    me = PROFILES[0]
    unlike = {**me, "stage": "early", "her2": "zero", "hr": "negative", "age_range": "18_29",
              "treatments": [], "interests": ["fishing"], "topics": ["faith"],
              "region": "Elsewhere"}
    taste = hidden_taste(5, 0, me)
    assert connect_probability(me, me, taste, taste) > connect_probability(me, unlike, taste, taste)


def test_compatible_follows_the_hard_constraints():
    me = {**PROFILES[0], "support_role": "seeking", "languages": ["en"],
          "contact_modes": ["in_person"], "region": "Ohio", "country": "US"}
    assert compatible(me, {**me, "support_role": "offering", "open_to_matches": True})
    assert not compatible(me, {**me, "support_role": "seeking", "open_to_matches": True})
    assert not compatible(me, {**me, "support_role": "both", "region": "Utah"})
    assert not compatible(me, {**me, "support_role": "both", "languages": ["es"]})
    assert not compatible(me, {**me, "support_role": "both", "open_to_matches": False})


def test_simulated_history_gives_each_requester_a_slate_of_compatible_people():
    from datetime import UTC, datetime

    members = [(i + 1, i, p) for i, p in enumerate(PROFILES)]
    rows = simulate_history(5, members, datetime(2026, 1, 1, tzinfo=UTC))
    by_id = {uid: p for uid, _, p in members}
    assert len({r["requester_id"] for r in rows}) > 300
    for r in rows:
        assert r["requester_id"] != r["recipient_id"]
        assert compatible(by_id[r["requester_id"]], by_id[r["recipient_id"]])
    share = sum(bool(r["connected"]) for r in rows) / len(rows)
    assert 0.02 < share < 0.3


def test_evaluation_shows_the_model_beating_naive_baselines(app):
    runner = app.test_cli_runner()
    seeded = runner.invoke(args=["seed-demo", "--members", "1500", "--seed", "2"])
    assert "Outcome model" in seeded.output, seeded.output
    result = runner.invoke(args=["evaluate-matching"])
    assert result.exit_code == 0, result.output
    table = {line[:22].strip(): [float(x) for x in line[22:].split()]
             for line in result.output.splitlines()[2:]}
    assert set(table) == {"random", "same stage only", "weighted similarity",
                          "learned re-ranker"}
    ndcg = {method: values[1] for method, values in table.items()}
    assert ndcg["weighted similarity"] > ndcg["random"] * 1.3
    assert ndcg["weighted similarity"] > ndcg["same stage only"]
    member = app.test_client()
    response = member.post("/login", data={"email": "member1.s2@demo.peermatch.test",
                                           "password": "peermatch-demo-2026"})
    assert response.status_code == 302
    assert member.get("/matches").get_data(as_text=True).count("<article") == 10
