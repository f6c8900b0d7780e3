"""Peer matching: pure Python and numpy/scikit-learn, no Flask.

features  profiles -> weighted, L2-normalised float32 vectors, block by block
index     all candidates in one array plus vectorised constraint columns; top-k retrieval
ranking   hard constraints, reciprocal re-ranking, load spreading
explain   plain-language reasons from each block's contribution
learning  an outcome model that re-ranks once enough outcomes exist
"""
