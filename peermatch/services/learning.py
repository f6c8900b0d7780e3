"""Training the outcome model, using it, and evaluating every ranking method offline."""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select

from ..extensions import db
from ..matching.index import MatchIndex
from ..matching.learning import (
    OutcomeModel,
    enough,
    feature_names,
    ndcg_at_k,
    pair_features,
    precision_at_k,
)
from ..models import MatchOutcome, OutcomeModelRecord
from .matching import RANKER, VECTORIZER, current_index

log = logging.getLogger(__name__)
_cached: dict[int, OutcomeModel] = {}  # by record id, per process


@dataclass(frozen=True)
class Slate:
    """One requester's outcomes: the rows of the people met and who connected."""

    member_row: int
    rows: NDArray[np.int64]
    connected: NDArray[np.bool_]


def _slates(index: MatchIndex, since: datetime | None = None,
            until: datetime | None = None) -> list[Slate]:
    stmt = select(MatchOutcome.requester_id, MatchOutcome.recipient_id, MatchOutcome.connected)
    if since is not None:
        stmt = stmt.where(MatchOutcome.created_at > since)
    if until is not None:
        stmt = stmt.where(MatchOutcome.created_at <= until)
    grouped: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for requester, recipient, connected in db.session.execute(stmt):
        row = index.row_of(recipient)
        if row is not None:
            grouped[requester].append((row, connected))
    slates = []
    for requester, pairs in grouped.items():
        member_row = index.row_of(requester)
        if member_row is not None:
            slates.append(Slate(member_row, np.array([r for r, _ in pairs], dtype=np.int64),
                                np.array([c for _, c in pairs], dtype=np.bool_)))
    return slates


def _training_data(index: MatchIndex, slates: list[Slate]) -> tuple[NDArray[np.float64],
                                                                    NDArray[np.bool_]]:
    features: list[NDArray[np.float64]] = []
    labels: list[bool] = []
    for slate in slates:
        ranked = RANKER.rank(index, slate.member_row, slate.rows, len(slate.rows))
        label_of = dict(zip(slate.rows.tolist(), slate.connected.tolist(), strict=False))
        features.append(pair_features(index, slate.member_row, ranked, VECTORIZER))
        labels.extend(label_of[r] for r in ranked.rows.tolist())
    if not features:
        return np.empty((0, len(feature_names(RANKER.block_names)))), np.empty(0, dtype=np.bool_)
    return np.vstack(features), np.array(labels, dtype=np.bool_)


def fit(index: MatchIndex, slates: list[Slate]) -> tuple[OutcomeModel | None, int, int]:
    x, y = _training_data(index, slates)
    if not enough(len(y), int(y.sum())) or y.all():
        return None, len(y), int(y.sum())
    return OutcomeModel.fit(x, y), len(y), int(y.sum())


def train_outcome_model() -> OutcomeModelRecord | None:
    """Fit on every outcome so far and store it, when there are enough outcomes."""
    index = current_index()
    if index is None:
        return None
    model, outcomes, positives = fit(index, _slates(index))
    if model is None:
        log.info("outcome model not trained: %s outcomes, %s positive", outcomes, positives)
        return None
    record = OutcomeModelRecord(
        feature_names=feature_names(RANKER.block_names),
        coefficients=model.coefficients.tolist(), intercept=model.intercept,
        outcomes=outcomes, positives=positives,
    )
    db.session.add(record)
    db.session.flush()
    return record


def current_model() -> OutcomeModel | None:
    """The newest stored model whose features match this code's, or None."""
    record = db.session.scalar(select(OutcomeModelRecord).order_by(OutcomeModelRecord.id.desc()))
    if record is None or record.feature_names != feature_names(RANKER.block_names):
        return None
    if record.id not in _cached:
        _cached[record.id] = OutcomeModel(np.array(record.coefficients), record.intercept)
    return _cached[record.id]


@dataclass(frozen=True)
class Evaluation:
    train_outcomes: int
    test_members: int
    rows: list[tuple[str, float, float]]  # method, precision@10, NDCG@10


def evaluate(k: int = 10, seed: int = 0) -> Evaluation:
    """Train on the oldest 80 % of outcomes, rank each later slate by every method."""
    index = current_index()
    times = db.session.scalars(select(MatchOutcome.created_at).order_by(MatchOutcome.created_at))
    moments = list(times)
    if index is None or len(moments) < 10:
        return Evaluation(0, 0, [])
    split = moments[int(len(moments) * 0.8)]
    train = _slates(index, until=split)
    model, train_outcomes, _ = fit(index, train)
    test = [s for s in _slates(index, since=split) if s.connected.any() and len(s.rows) >= k]
    rng = random.Random(seed)  # noqa: S311 - a baseline, not security
    scored: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for slate in test:
        for method, relevant in _orderings(index, slate, model, rng).items():
            scored[method].append((precision_at_k(relevant, k), ndcg_at_k(relevant, k)))
    rows = [(method, float(np.mean([p for p, _ in values])), float(np.mean([n for _, n in values])))
            for method, values in scored.items()]
    return Evaluation(train_outcomes, len(test), rows)


def _orderings(index: MatchIndex, slate: Slate, model: OutcomeModel | None,
               rng: random.Random) -> dict[str, NDArray[np.bool_]]:
    """``connected`` in the order each method would show the slate."""
    label_of = dict(zip(slate.rows.tolist(), slate.connected.tolist(), strict=False))
    shuffled = slate.rows.tolist()
    rng.shuffle(shuffled)
    stage = VECTORIZER.stage_columns
    mine = np.argmax(index.vectors[slate.member_row, stage])
    same_stage = sorted(shuffled, key=lambda r: np.argmax(index.vectors[r, stage]) != mine)
    ranked = RANKER.rank(index, slate.member_row, slate.rows, len(slate.rows))
    orders = {"random": shuffled, "same stage only": same_stage,
              "weighted similarity": ranked.rows.tolist()}
    if model is not None:
        learned = model.rerank(ranked, pair_features(index, slate.member_row, ranked, VECTORIZER))
        orders["learned re-ranker"] = learned.rows.tolist()
    return {name: np.array([label_of[r] for r in rows]) for name, rows in orders.items()}
