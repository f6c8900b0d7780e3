"""Matching benchmark: this engine against scikit-learn NearestNeighbors, a pure-Python loop
and a bare numpy scan (the memory-bandwidth floor), all on the same vectors, in one run.

    .venv/bin/python bench/matching.py                 # 10k, 100k and 1M members
    .venv/bin/python bench/matching.py --sizes 10000   # a quick look

Prints build time, index size, and p50/p95 latency of one member's top 10, with ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path

import numpy as np
from sklearn.neighbors import NearestNeighbors

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peermatch.demo import generate_members
from peermatch.matching.index import MatchIndex, Query
from peermatch.services.matching import RANKER, VECTORIZER, encode

UNIQUE = 100_000  # distinct synthetic members; larger sizes repeat them with new ids
RETRIEVE, TOP = 300, 10


def build(size: int) -> tuple[MatchIndex, float]:
    unique = [
        {"user_id": 0, "status": "active", "role": "member", **m.profile}
        for m in generate_members(min(size, UNIQUE), seed=1)
    ]
    started = time.perf_counter()
    index = MatchIndex.empty(VECTORIZER.dimension, size)
    for start in range(0, size, 50_000):
        chunk = [unique[i % len(unique)] for i in range(start, min(size, start + 50_000))]
        vectors, columns = encode(chunk)
        columns["user_id"] = np.arange(start + 1, start + 1 + len(chunk))
        index.vectors[start : start + len(chunk)] = vectors
        index.columns[start : start + len(chunk)] = columns
    index.grow_to(size)
    return index, time.perf_counter() - started


def query(index: MatchIndex, row: int) -> Query:
    c = index.columns[row]
    return Query(int(c["user_id"]), np.asarray(index.vectors[row]), int(c["languages"]),
                 int(c["contact"]), int(c["role"]), int(c["region"]))


def timed(fn: Callable[[int], object], rows: list[int]) -> tuple[float, float]:
    fn(rows[0])  # warm up
    samples = []
    for row in rows:
        started = time.perf_counter()
        fn(row)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def engine(index: MatchIndex) -> Callable[[int], object]:
    def run(row: int) -> object:
        rows, _ = index.search(query(index, row), RETRIEVE)
        return RANKER.rank(index, row, rows, TOP).rows
    return run


def bare_scan(index: MatchIndex) -> Callable[[int], object]:
    vectors = index.vectors[: index.count]
    return lambda row: vectors @ vectors[row]


def sklearn_nn(index: MatchIndex) -> Callable[[int], object]:
    nn = NearestNeighbors(n_neighbors=TOP + 1, algorithm="brute", metric="cosine")
    nn.fit(index.vectors[: index.count])
    return lambda row: nn.kneighbors(index.vectors[row : row + 1], return_distance=False)


def python_loop(index: MatchIndex) -> Callable[[int], object]:
    rows = index.vectors[: index.count].tolist()

    def run(row: int) -> object:
        me = rows[row]
        scores = [(sum(a * b for a, b in zip(me, other, strict=True)), i)
                  for i, other in enumerate(rows) if i != row]
        return sorted(scores, reverse=True)[:TOP]
    return run


def _worker_memory(directory: str, build_id: str, count: int) -> tuple[int, int]:
    index = MatchIndex.open(Path(directory), build_id, count)
    engine(index)(0)
    index.vectors.sum()  # touch every page
    rss = pss = 0
    inside = False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if not line[:1].isupper():  # a mapping's header line
            inside = line.endswith(f"vectors-{build_id}.npy")
        elif inside and line.startswith(("Rss:", "Pss:")):
            value = int(line.split()[1])
            rss, pss = (rss + value, pss) if line.startswith("Rss") else (rss, pss + value)
    return rss // 1024, pss // 1024


def shared_memory(index: MatchIndex) -> tuple[list[tuple[int, int]], float]:
    """Two worker processes map the saved index: their RSS counts it, their PSS halves it."""
    with tempfile.TemporaryDirectory() as directory:
        index.save(Path(directory), "bench")
        context = get_context("spawn")
        with context.Pool(2) as pool:
            results = [pool.apply_async(_worker_memory, (directory, "bench", index.count))
                       for _ in range(2)]
            measured = [r.get() for r in results]
    return measured, index.vectors.nbytes / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    print(f"numpy {np.__version__}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}, "
          f"{os.cpu_count()} cores; top {TOP}, engine re-ranks {RETRIEVE}")
    print(f"{'members':>9} {'build s':>8} {'index MB':>9} {'method':<24} "
          f"{'p50 ms':>9} {'p95 ms':>9} {'x engine':>9}")
    for size in args.sizes:
        index, build_s = build(size)
        rng = np.random.default_rng(7)
        rows = rng.choice(size, size=args.queries, replace=False).tolist()
        methods = {"engine": engine(index), "bare numpy scan": bare_scan(index),
                   "sklearn NearestNeighbors": sklearn_nn(index)}
        if size <= 100_000:
            methods["pure-Python loop"] = python_loop(index)
        results = {}
        for name, fn in methods.items():
            sample = rows if name != "pure-Python loop" else rows[:5]
            results[name] = timed(fn, sample)
        base = results["engine"][0]
        for name, (p50, p95) in results.items():
            print(f"{size:>9,} {build_s:>8.1f} {index.nbytes / 2**20:>9.0f} {name:<24} "
                  f"{p50:>9.2f} {p95:>9.2f} {p50 / base:>9.2f}")
        if size == max(args.sizes):
            measured, mb = shared_memory(index)
            print(f"two worker processes mapping the {mb:.0f} MB vector file: "
                  + ", ".join(f"RSS {rss} MB / PSS {pss} MB" for rss, pss in measured)
                  + " of it each (PSS = RSS / 2: one shared copy, not two)")


if __name__ == "__main__":
    main()
