"""Re-ranking retrieved candidates by a reciprocal score.

Each direction scores how well the other member fits *this* member's own priorities, per
block; the two directions are combined by their harmonic mean, so a match that suits only
one side ranks low. Supporters with fewer free places are nudged down to spread the load.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import vocab
from .features import PRIORITY_BLOCKS, ProfileVectorizer, priority_weight
from .index import OFFERS, MatchIndex

PRIORITY_ORDER = tuple(vocab.PRIORITIES)  # diagnosis, treatments, age, interests, region
REGION_WEIGHT = 0.5  # a shared region counts like half a block at "important"


def pack_priorities(priorities: Mapping[str, int]) -> int:
    """Five levels of 0-3 in ten bits, for the index's constraint columns."""
    packed = 0
    for i, code in enumerate(PRIORITY_ORDER):
        level = max(0, min(3, int(priorities.get(code, vocab.DEFAULT_PRIORITIES[code]))))
        packed |= level << (2 * i)
    return packed


def unpack_priorities(packed: NDArray[np.uint16]) -> NDArray[np.int64]:
    """(n,) packed -> (n, 5) levels in PRIORITY_ORDER."""
    shifts = np.arange(len(PRIORITY_ORDER)) * 2
    return (packed.astype(np.int64)[:, None] >> shifts[None, :]) & 3


@dataclass(frozen=True)
class Ranked:
    rows: NDArray[np.int64]
    scores: NDArray[np.float64]  # final score in [0, 1], best first
    shared: NDArray[np.float64]  # (k, blocks): each block's shared similarity
    to_them: NDArray[np.float64]  # how well they fit my priorities
    to_me: NDArray[np.float64]  # how well I fit theirs

    def reorder(self, order: NDArray[np.int64], scores: NDArray[np.float64]) -> Ranked:
        return Ranked(self.rows[order], scores, self.shared[order], self.to_them[order],
                      self.to_me[order])


class ReciprocalRanker:
    def __init__(self, vectorizer: ProfileVectorizer) -> None:
        self.vectorizer = vectorizer
        self.block_names = list(vectorizer.blocks)
        self._starts = np.array([b.start for b in vectorizer.blocks.values()])
        # For each priority level table, the weight of each block (region handled apart).
        levels = np.arange(4)
        self._level_weight = np.array([priority_weight(int(level)) for level in levels])
        self._block_priority = np.array(
            [next(i for i, (p, blocks) in enumerate(PRIORITY_BLOCKS.items()) if name in blocks)
             for name in self.block_names]
        )

    def _block_sums(self, values: NDArray[np.float32]) -> NDArray[np.float64]:
        return np.add.reduceat(values.astype(np.float64), self._starts, axis=-1)

    def _weights(self, levels: NDArray[np.int64]) -> NDArray[np.float64]:
        """(n, 5) priority levels -> (n, blocks) block weights."""
        weights: NDArray[np.float64] = self._level_weight[levels[:, self._block_priority]]
        return weights

    def rank(
        self, index: MatchIndex, member_row: int, rows: NDArray[np.int64], limit: int
    ) -> Ranked:
        """Order ``rows`` for the member in ``member_row`` and keep the best ``limit``."""
        if len(rows) == 0:
            empty = np.empty(0)
            return Ranked(rows, empty, np.empty((0, len(self.block_names))), empty, empty)
        mine = np.asarray(index.vectors[member_row])
        theirs = np.asarray(index.vectors[rows])
        shared = self._block_sums(theirs * mine)  # (k, blocks)
        my_self = self._block_sums(mine * mine)  # (blocks,)
        their_self = self._block_sums(theirs * theirs)  # (k, blocks)
        cols = index.columns
        my_levels = unpack_priorities(np.asarray(cols["priorities"][[member_row]]))
        their_levels = unpack_priorities(np.asarray(cols["priorities"][rows]))
        same_region = (cols["region"][rows] == cols["region"][member_row]) & (
            cols["region"][rows] != 0
        )
        my_region_w = REGION_WEIGHT * self._level_weight[my_levels[0, 4]]
        their_region_w = REGION_WEIGHT * self._level_weight[their_levels[:, 4]]
        w_me = self._weights(my_levels)[0]
        w_them = self._weights(their_levels)
        to_them = (shared @ w_me + my_region_w * same_region) / (my_self @ w_me + my_region_w)
        to_me = ((shared * w_them).sum(axis=1) + their_region_w * same_region) / (
            (their_self * w_them).sum(axis=1) + their_region_w
        )
        to_them = np.clip(to_them, 0.0, 1.0)
        to_me = np.clip(to_me, 0.0, 1.0)
        total = to_them + to_me
        score = np.divide(2 * to_them * to_me, total, out=np.zeros_like(total), where=total > 0)
        score *= self._load_factor(index, rows)
        order = np.argsort(-score, kind="stable")[:limit]
        return Ranked(rows[order], score[order], shared[order], to_them[order], to_me[order])

    @staticmethod
    def _load_factor(index: MatchIndex, rows: NDArray[np.int64]) -> NDArray[np.float64]:
        """Supporters with few free places left rank a little lower (at most 10 %)."""
        cols = index.columns
        offers = (cols["role"][rows] & OFFERS) != 0
        free = np.clip(cols["capacity"][rows].astype(np.float64), 0, 5) / 5
        return np.where(offers, 0.9 + 0.1 * free, 1.0)
