"""Finding the nearest stories of many stories at once, without comparing every pair.

For a block of query stories:

1. each query keeps only its ``query_terms`` strongest terms (the idea behind "more like
   this" queries) and is matched through the posting lists: that touches only stories
   sharing a strong term, and costs far less than a full product;
2. the ``candidates`` best of those are rescored with the exact cosine of full vectors.

The same two steps serve a full rebuild (blocks of hundreds of stories) and a single
story at publish time (a block of one), so both give the same answers.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .vectors import VectorStore


def prune_rows(m: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """Keep the ``keep`` largest entries of each row."""
    m = m.tocsr()
    counts = np.diff(m.indptr)
    if keep <= 0 or counts.max(initial=0) <= keep:
        return m
    row_of = np.repeat(np.arange(m.shape[0]), counts)
    order = np.lexsort((-m.data, row_of))
    rank = np.arange(len(order)) - m.indptr[row_of[order]]
    kept = np.sort(order[rank < keep])
    rows = row_of[kept]
    return sp.csr_matrix(
        (m.data[kept], m.indices[kept], np.searchsorted(rows, np.arange(m.shape[0] + 1))),
        shape=m.shape,
    )


def top_columns(m: sp.csr_matrix, n: int) -> np.ndarray:
    """Column numbers of the ``n`` largest positive values of each row, best first.

    Rows with fewer positive values are padded with -1.
    """
    out = np.full((m.shape[0], n), -1, dtype=np.int64)
    indptr, indices, data = m.indptr, m.indices, m.data
    for i in range(m.shape[0]):
        values = data[indptr[i] : indptr[i + 1]]
        fits = len(values) <= n
        pick = np.arange(len(values)) if fits else np.argpartition(-values, n - 1)[:n]
        pick = pick[values[pick] > 0]
        pick = pick[np.argsort(-values[pick], kind="stable")]
        out[i, : len(pick)] = indices[indptr[i] : indptr[i + 1]][pick]
    return out


def candidates(
    store: VectorStore,
    queries: sp.csr_matrix,
    query_rows: np.ndarray | None,
    usable: np.ndarray,
    query_terms: int,
    n_candidates: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate rows (``-1`` padded) and their exact cosines for each query.

    ``query_rows`` are the queries' own rows (excluded from their results; ``-1`` or
    ``None`` for stories not in the store); ``usable`` masks rows that may be returned.
    """
    partial = store.scores(prune_rows(queries, query_terms))
    partial.data[~usable[partial.indices]] = 0.0
    if query_rows is not None:
        row_of = np.repeat(np.arange(partial.shape[0]), np.diff(partial.indptr))
        partial.data[partial.indices == np.asarray(query_rows)[row_of]] = 0.0
    cand = top_columns(partial, n_candidates)
    return cand, exact_cosines(store, queries, cand)


def exact_cosines(store: VectorStore, queries: sp.csr_matrix, cand: np.ndarray) -> np.ndarray:
    """Cosine of each query with each of its candidate rows (0 where ``cand`` is -1)."""
    out = np.zeros(cand.shape, dtype=np.float32)
    qi, ci = np.nonzero(cand >= 0)
    if len(qi) == 0:
        return out
    width = queries.shape[1]
    others = store.rows(cand[qi, ci], width)
    width = max(width, others.shape[1])
    mine = sp.csr_matrix(
        (queries.data, queries.indices, queries.indptr), shape=(queries.shape[0], width)
    )[qi]
    others = sp.csr_matrix(
        (others.data, others.indices, others.indptr), shape=(others.shape[0], width)
    )
    out[qi, ci] = np.asarray(mine.multiply(others).sum(axis=1)).ravel()
    return out
