"""Learning from outcomes: which proposed pairs actually went on to talk.

Pair features come from the index alone (each block's shared similarity, both directed
scores, a shared region, a shared language other than English), so re-ranking 300
candidates stays vectorised. The model is a scikit-learn logistic regression; its fitted
coefficients (scaling folded in) are plain numbers that the database can store, so every
worker process can load them without unpickling anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from .features import ProfileVectorizer
from .index import LANGUAGE_BITS, MatchIndex
from .ranking import Ranked

MIN_OUTCOMES = 200
MIN_POSITIVES = 20
ENGLISH = LANGUAGE_BITS["en"]
BLEND = 0.8  # final score = (1 - BLEND) * reciprocal score + BLEND * learned probability


def feature_names(block_names: Sequence[str]) -> list[str]:
    return [*(f"shared_{b}" for b in block_names), "to_them", "to_me", "reciprocal",
            "same_region", "shared_other_language", "same_stage", "same_her2", "same_hr",
            "same_metastatic"]


def _same(vectors: NDArray[np.float32], member_row: int, rows: NDArray[np.int64],
          columns: slice | int) -> NDArray[np.float64]:
    """Whether each row has the member's code in a one-hot (or flag) part of the vector."""
    same: NDArray[np.bool_]
    if isinstance(columns, int):
        same = np.asarray(vectors[rows, columns] > 0) == bool(vectors[member_row, columns] > 0)
    else:
        mine = int(np.argmax(vectors[member_row, columns]))
        same = np.argmax(np.asarray(vectors[rows, columns]), axis=1) == mine
    return same.astype(np.float64)


def pair_features(index: MatchIndex, member_row: int, ranked: Ranked,
                  vectorizer: ProfileVectorizer) -> NDArray[np.float64]:
    """One row of features per ranked candidate."""
    cols, vectors, rows = index.columns, index.vectors, ranked.rows
    same_region = (cols["region"][rows] == cols["region"][member_row]) & (cols["region"][rows] != 0)
    other = cols["languages"][rows] & cols["languages"][member_row] & np.uint16(~ENGLISH & 0xFFFF)
    return np.column_stack([
        ranked.shared, ranked.to_them, ranked.to_me, ranked.scores,
        same_region.astype(np.float64), (other != 0).astype(np.float64),
        *(_same(vectors, member_row, rows, part) for part in (
            vectorizer.stage_columns, vectorizer.her2_columns, vectorizer.hr_columns,
            vectorizer.metastatic_column)),
    ])


@dataclass(frozen=True)
class OutcomeModel:
    coefficients: NDArray[np.float64]
    intercept: float

    @classmethod
    def fit(cls, features: NDArray[np.float64], connected: NDArray[np.bool_]) -> OutcomeModel:
        scaler = StandardScaler().fit(features)
        scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
        model = LogisticRegression(C=1.0, max_iter=1000).fit(
            (features - scaler.mean_) / scale, connected
        )
        coefficients = model.coef_[0] / scale  # fold the scaling into the coefficients
        intercept = float(model.intercept_[0] - np.dot(coefficients, scaler.mean_))
        return cls(coefficients, intercept)

    def probability(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        logits = features @ self.coefficients + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))

    def rerank(self, ranked: Ranked, features: NDArray[np.float64]) -> Ranked:
        blended = (1 - BLEND) * ranked.scores + BLEND * self.probability(features)
        order = np.argsort(-blended, kind="stable")
        return ranked.reorder(order, blended[order])


def enough(outcomes: int, positives: int) -> bool:
    return outcomes >= MIN_OUTCOMES and positives >= MIN_POSITIVES


def precision_at_k(relevant: NDArray[np.bool_], k: int = 10) -> float:
    """``relevant`` in ranked order."""
    return float(relevant[:k].sum()) / k


def ndcg_at_k(relevant: NDArray[np.bool_], k: int = 10) -> float:
    gains = relevant[:k].astype(np.float64)
    discounts = 1.0 / np.log2(np.arange(2, len(gains) + 2))
    ideal = np.sort(relevant.astype(np.float64))[::-1][:k]
    best = float(ideal @ discounts[: len(ideal)])
    return float(gains @ discounts) / best if best > 0 else 0.0
