"""All candidates in one float32 array, with their constraint columns beside it.

Retrieval for one member is one matrix-vector product, a handful of vectorised boolean
operations for the hard constraints, and ``argpartition``. The arrays live in ``.npy`` files
that every worker process memory-maps, so one copy serves them all; a profile edit rewrites
its own row in place, and a new member takes the next free row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .. import vocab

COLUMN_DTYPE = np.dtype(
    [
        ("user_id", np.int64),
        ("languages", np.uint16),  # bit i: the i-th language of the vocabulary
        ("contact", np.uint8),  # bit i: the i-th contact mode
        ("role", np.uint8),  # ROLE_BITS
        ("region", np.int32),  # a key for (country, region); 0 when unknown
        ("capacity", np.int16),  # conversations a supporter can still take on
        ("priorities", np.uint16),  # the member's five priority levels, 2 bits each
        ("live", np.bool_),  # complete, active and open to matches
    ]
)
ROLE_BITS = {"seeking": 1, "offering": 2, "both": 3}
SEEKS, OFFERS = 1, 2
LANGUAGE_BITS = {code: 1 << i for i, code in enumerate(vocab.LANGUAGES)}
CONTACT_BITS = {code: 1 << i for i, code in enumerate(vocab.CONTACT_MODES)}
IN_PERSON = CONTACT_BITS["in_person"]
REMOTE = sum(CONTACT_BITS.values()) & ~IN_PERSON


def bits(codes: Iterable[str], table: dict[str, int]) -> int:
    total = 0
    for code in codes:
        total |= table.get(code, 0)
    return total


def region_key(country: str | None, region: str | None) -> int:
    """A stable 31-bit key for a (country, region) pair; 0 when either is missing."""
    if not country or not region:
        return 0
    text = f"{country}:{' '.join(region.split()).casefold()}".encode()
    value = 2166136261
    for byte in text:  # FNV-1a: stable across processes, unlike hash()
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return (value & 0x7FFFFFFF) or 1


@dataclass(frozen=True)
class Query:
    """What retrieval needs to know about the member asking."""

    user_id: int
    vector: NDArray[np.float32]  # already scaled by the member's priorities
    languages: int
    contact: int
    role: int
    region: int
    exclude_ids: frozenset[int] = frozenset()


class MatchIndex:
    """Vectors and constraint columns for ``count`` rows (the arrays may hold spare rows)."""

    def __init__(self, vectors: NDArray[np.float32], columns: NDArray[np.void], count: int):
        self.vectors = vectors
        self.columns = columns
        self.count = count
        self._rows: dict[int, int] | None = None

    # -- construction and storage -------------------------------------------------------
    @classmethod
    def empty(cls, dimension: int, capacity: int) -> MatchIndex:
        vectors = np.zeros((capacity, dimension), dtype=np.float32)
        return cls(vectors, np.zeros(capacity, dtype=COLUMN_DTYPE), 0)

    def save(self, directory: Path, build_id: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, array in (("vectors", self.vectors), ("columns", self.columns)):
            tmp = directory / f"{name}-{build_id}.npy.tmp"
            with tmp.open("wb") as handle:
                np.save(handle, array)
            tmp.replace(directory / f"{name}-{build_id}.npy")

    @classmethod
    def open(cls, directory: Path, build_id: str, count: int, writable: bool = False) -> MatchIndex:
        """Memory-map saved files: every process shares the same pages."""
        mode: Literal["r+", "r"] = "r+" if writable else "r"
        vectors = np.load(directory / f"vectors-{build_id}.npy", mmap_mode=mode)
        columns = np.load(directory / f"columns-{build_id}.npy", mmap_mode=mode)
        return cls(vectors, columns, min(count, len(columns)))

    @staticmethod
    def remove(directory: Path, build_id: str) -> None:
        for name in ("vectors", "columns"):
            (directory / f"{name}-{build_id}.npy").unlink(missing_ok=True)

    def flush(self) -> None:
        for array in (self.vectors, self.columns):
            if isinstance(array, np.memmap):
                array.flush()

    @property
    def capacity(self) -> int:
        return len(self.columns)

    @property
    def nbytes(self) -> int:
        return int(self.vectors.nbytes + self.columns.nbytes)

    # -- rows -----------------------------------------------------------------------------
    def row_of(self, user_id: int) -> int | None:
        if self._rows is None or len(self._rows) < self.count:
            self._rows = self._row_map()
        return self._rows.get(user_id)

    def _row_map(self) -> dict[int, int]:
        ids = self.columns["user_id"][: self.count]
        return dict(zip(ids.tolist(), range(self.count), strict=True))

    def grow_to(self, count: int) -> None:
        """Other processes added rows; see them too."""
        self.count = min(count, self.capacity)

    def write_row(self, row: int, vector: NDArray[np.float32], column: NDArray[np.void]) -> None:
        self.vectors[row] = vector
        self.columns[row] = column
        self.remember(int(column["user_id"]), row)

    def remember(self, user_id: int, row: int) -> None:
        if self._rows is not None:
            self._rows[user_id] = row

    # -- retrieval ------------------------------------------------------------------------
    def candidate_mask(
        self, query: Query, rows: NDArray[np.int64] | None = None
    ) -> NDArray[np.bool_]:
        """For ``rows`` (default: all), whether each passes the hard constraints the columns
        can decide: live, a shared language, a reachable contact mode, compatible roles,
        a supporter with room, and not excluded."""
        cols = self.columns[: self.count] if rows is None else self.columns[rows]
        mask = cols["live"].copy()
        mask &= (cols["languages"] & np.uint16(query.languages)) != 0
        shared_contact = cols["contact"] & np.uint8(query.contact)
        reachable = (shared_contact & np.uint8(REMOTE)) != 0
        if query.contact & IN_PERSON and query.region:
            reachable |= ((shared_contact & np.uint8(IN_PERSON)) != 0) & (
                cols["region"] == query.region
            )
        mask &= reachable
        role = cols["role"]
        if query.role == SEEKS:
            mask &= (role & OFFERS) != 0
        elif query.role == OFFERS:
            mask &= (role & SEEKS) != 0
        # Supporters already at the number of conversations they chose are not proposed.
        mask &= ((role & OFFERS) == 0) | (cols["capacity"] > 0)
        excluded = [self.row_of(i) for i in (query.user_id, *query.exclude_ids)]
        excluded_rows = np.array([r for r in excluded if r is not None], dtype=np.int64)
        if len(excluded_rows):
            if rows is None:
                mask[excluded_rows] = False
            else:
                mask &= ~np.isin(rows, excluded_rows)
        return mask

    def search(self, query: Query, k: int) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        """The ``k`` best rows that pass the constraints, best first, with their scores.

        The constraints are checked only on rows scoring above a threshold taken from a
        sample of the scores; if fewer than ``k`` of those pass, the threshold drops. The
        result is exact: any passing row below the threshold scores lower than all ``k``.
        """
        n = self.count
        if n == 0 or k <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        scores = self.vectors[:n] @ query.vector
        target = max(8 * k, 4096)
        while True:
            if target * 4 >= n:
                rows = np.flatnonzero(self.candidate_mask(query))
                break
            above = np.flatnonzero(scores >= _threshold(scores, target))
            rows = above[self.candidate_mask(query, above)]
            if len(rows) >= k:
                break
            target *= 8
        if len(rows) > k:
            rows = rows[np.argpartition(scores[rows], -k)[-k:]]
        rows = rows[np.argsort(-scores[rows], kind="stable")]
        return rows.astype(np.int64), scores[rows]

    def user_ids(self, rows: Sequence[int] | NDArray[np.int64]) -> list[int]:
        return [int(x) for x in self.columns["user_id"][np.asarray(rows, dtype=np.int64)]]


def _threshold(scores: NDArray[np.float32], target: int) -> np.float32:
    """A score that about ``target`` of ``scores`` reach, estimated from a strided sample."""
    stride = max(1, len(scores) // (target * 16))
    sample = scores[::stride]
    rank = min(len(sample), max(1, target // stride))
    return np.partition(sample, -rank)[-rank]  # type: ignore[no-any-return]
