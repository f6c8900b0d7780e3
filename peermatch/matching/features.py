"""Profiles to vectors.

Each block (diagnosis, treatments, age, interests, topics) is encoded by a scikit-learn
encoder fitted on the controlled vocabulary, scaled to unit length, weighted, and the whole
row is L2-normalised. The dot product of two rows is then a weighted cosine similarity, and
the slice of a block gives that block's share of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.preprocessing import MultiLabelBinarizer, OneHotEncoder

from .. import vocab

Matrix = NDArray[np.float32]

# How much each block counts before a member's own priorities are applied.
BLOCK_WEIGHTS: Mapping[str, float] = {
    "diagnosis": 3.0,
    "treatments": 1.5,
    "age": 1.0,
    "interests": 1.0,
    "topics": 1.0,
}
# Which block each "what matters most" priority scales (region is handled in ranking).
PRIORITY_BLOCKS: Mapping[str, tuple[str, ...]] = {
    "diagnosis": ("diagnosis",),
    "treatments": ("treatments",),
    "age": ("age",),
    "interests": ("interests", "topics"),
}

_AGE_CODES = list(vocab.AGE_RANGES)
_HER2_LOW_SPECTRUM = {"low", "ultralow"}


@dataclass(frozen=True)
class ProfileRow:
    """The fields matching reads from one profile."""

    stage: str
    her2: str
    hr: str
    age_range: str
    treatments: Sequence[str]
    interests: Sequence[str]
    topics: Sequence[str]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ProfileRow:
        return cls(
            stage=data["stage"] or "not_sure",
            her2=data["her2"] or "not_sure",
            hr=data["hr"] or "not_sure",
            age_range=data["age_range"] or _AGE_CODES[0],
            treatments=tuple(data.get("treatments") or ()),
            interests=tuple(data.get("interests") or ()),
            topics=tuple(data.get("topics") or ()),
        )


class ProfileVectorizer:
    """Fitted once on the vocabularies, so a row can be re-encoded on its own later."""

    def __init__(self, block_weights: Mapping[str, float] = BLOCK_WEIGHTS) -> None:
        self.block_weights = dict(block_weights)
        self._single = OneHotEncoder(
            categories=[list(vocab.STAGES), list(vocab.HER2_STATUSES), list(vocab.HR_STATUSES)],
            handle_unknown="ignore",
            sparse_output=False,
            dtype=np.float32,
        ).fit([[next(iter(vocab.STAGES)), "low", "positive"]])
        self._multi = {
            name: MultiLabelBinarizer(classes=list(vocabulary)).fit([[]])
            for name, vocabulary in (
                ("treatments", vocab.TREATMENTS),
                ("interests", vocab.INTERESTS),
                ("topics", vocab.TOPICS),
            )
        }
        sizes = {
            "diagnosis": len(vocab.STAGES) + len(vocab.HER2_STATUSES) + len(vocab.HR_STATUSES) + 2,
            "treatments": len(vocab.TREATMENTS),
            "age": len(_AGE_CODES),
            "interests": len(vocab.INTERESTS),
            "topics": len(vocab.TOPICS),
        }
        self.blocks: dict[str, slice] = {}
        start = 0
        for name in self.block_weights:
            self.blocks[name] = slice(start, start + sizes[name])
            start += sizes[name]
        self.dimension = start
        # Inside the diagnosis block: stage, HER2 and HR one-hots, then the two shared flags.
        first = self.blocks["diagnosis"].start
        her2 = first + len(vocab.STAGES)
        hr = her2 + len(vocab.HER2_STATUSES)
        flags = hr + len(vocab.HR_STATUSES)
        self.stage_columns = slice(first, her2)
        self.her2_columns = slice(her2, hr)
        self.hr_columns = slice(hr, flags)
        self.metastatic_column = flags

    def _diagnosis(self, rows: Sequence[ProfileRow]) -> Matrix:
        onehot = self._single.transform([[r.stage, r.her2, r.hr] for r in rows])
        # Shared meaning across codes: both metastatic stages, HER2-low and -ultralow.
        extra = np.array(
            [
                [r.stage in vocab.METASTATIC_STAGES, r.her2 in _HER2_LOW_SPECTRUM]
                for r in rows
            ],
            dtype=np.float32,
        )
        return np.hstack([onehot, extra])

    @staticmethod
    def _age(rows: Sequence[ProfileRow]) -> Matrix:
        # Neighbouring decades count half: 50-59 is close to 60-69.
        positions = np.array([_AGE_CODES.index(r.age_range) for r in rows])
        grid = np.arange(len(_AGE_CODES))
        distance = np.abs(positions[:, None] - grid[None, :])
        return np.where(distance == 0, 1.0, np.where(distance == 1, 0.5, 0.0)).astype(np.float32)

    def transform(self, rows: Sequence[ProfileRow]) -> Matrix:
        """One float32 row per profile, blocks unit-length and weighted, rows L2-normalised."""
        parts = {
            "diagnosis": self._diagnosis(rows),
            "age": self._age(rows),
            **{
                name: encoder.transform([getattr(r, name) for r in rows]).astype(np.float32)
                for name, encoder in self._multi.items()
            },
        }
        out = np.empty((len(rows), self.dimension), dtype=np.float32)
        for name, block in self.blocks.items():
            values = parts[name]
            norms = np.linalg.norm(values, axis=1, keepdims=True)
            np.divide(values, norms, out=values, where=norms > 0)
            out[:, block] = values * np.float32(np.sqrt(self.block_weights[name]))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    def block_scale(self, priorities: Mapping[str, int]) -> Matrix:
        """Per-dimension multipliers from a member's priorities (0-3; 1 is neutral-ish)."""
        scale = np.ones(self.dimension, dtype=np.float32)
        for priority, blocks in PRIORITY_BLOCKS.items():
            weight = priority_weight(priorities.get(priority, vocab.DEFAULT_PRIORITIES[priority]))
            for name in blocks:
                scale[self.blocks[name]] = weight
        return scale


def priority_weight(level: int) -> float:
    """0 = doesn't matter ... 3 = very important, as a multiplier that never quite vanishes."""
    return (0.15, 0.6, 1.0, 1.6)[max(0, min(3, int(level)))]
