"""Term statistics, TF-IDF weighting and the sparse store of document vectors.

Weighting: sublinear term frequency ``1 + ln(w)`` of the field-weighted count ``w``,
times a flattened inverse document frequency ``(ln((N + 1) / (df + 1)) + 1) ** idf_power``
(a power below 1 keeps the topical vocabulary that many stories of a beat share from being
drowned by rare words), then unit length so that a dot product is a cosine.

The store keeps the vectors twice: by row (a story's terms) and by term (posting lists,
for finding the stories that share a term). Stories added after a build go to a small
"recent" segment that is merged into the main one when it grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import scipy.sparse as sp


class Vocabulary:
    """Feature keys to column numbers, with document frequencies."""

    def __init__(self, keys: Sequence[str] = (), df: np.ndarray | None = None, n_docs: int = 0):
        self.keys: list[str] = list(keys)
        self.ids: dict[str, int] = {key: i for i, key in enumerate(self.keys)}
        self._df = np.zeros(max(1024, 2 * len(self.keys)), dtype=np.int64)
        if df is not None:
            self._df[: len(df)] = df
        self.n_docs = n_docs

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def df(self) -> np.ndarray:
        return self._df[: len(self.keys)]

    def lookup(self, keys: Iterable[str]) -> np.ndarray:
        """Column numbers of ``keys``, adding unknown keys."""
        ids, vocab = self.ids, self.keys
        out = []
        for key in keys:
            col = ids.get(key)
            if col is None:
                col = ids[key] = len(vocab)
                vocab.append(key)
            out.append(col)
        if len(vocab) > len(self._df):
            self._df = np.concatenate([self._df, np.zeros(len(vocab) * 2, dtype=np.int64)])
        return np.asarray(out, dtype=np.int64)

    def count(self, cols: np.ndarray, sign: int = 1) -> None:
        """Record one document (``sign=-1``: forget one) containing ``cols``."""
        np.add.at(self._df, cols, sign)
        self.n_docs += sign

    def idf(self, cols: np.ndarray, power: float) -> np.ndarray:
        df = np.maximum(self._df[cols], 1)
        return (np.log((self.n_docs + 1) / (df + 1)) + 1.0) ** power


@dataclass
class Counts:
    """Field-weighted feature counts of a batch of stories, with batch-local columns."""

    keys: list[str]
    indptr: np.ndarray
    cols: np.ndarray
    tf: np.ndarray

    @classmethod
    def of(cls, features: Sequence[Mapping[str, float]]) -> Counts:
        flat = list(chain.from_iterable(features))
        local = {key: i for i, key in enumerate(dict.fromkeys(flat))}
        cols = np.fromiter(map(local.__getitem__, flat), dtype=np.int64, count=len(flat))
        tf = np.fromiter(
            chain.from_iterable(f.values() for f in features), dtype=np.float32, count=len(flat)
        )
        indptr = np.zeros(len(features) + 1, dtype=np.int64)
        np.cumsum([len(f) for f in features], out=indptr[1:])
        return cls(list(local), indptr, cols, tf)


def _weights(tf: np.ndarray, idf: np.ndarray, rows: np.ndarray, n_rows: int) -> np.ndarray:
    data = np.maximum((1.0 + np.log(np.maximum(tf, 1e-9))) * idf, 0.0).astype(np.float32)
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n_rows))
    return data / np.where(norms > 0, norms, 1.0)[rows]


class VectorBuilder:
    """Collects batches of :class:`Counts` (e.g. from worker processes) into the vectors of
    a full build, keeping only compact arrays between batches.

    Features found in one story only are left out after normalising (they can't link it
    to anything), and out of the vocabulary.
    """

    def __init__(self) -> None:
        self._keys: dict[str, int] = {}
        self._cols: list[np.ndarray] = []
        self._tf: list[np.ndarray] = []
        self._lengths: list[np.ndarray] = []

    def add(self, batch: Counts) -> None:
        keys = self._keys
        glob = np.fromiter(
            (keys.setdefault(k, len(keys)) for k in batch.keys), np.int32, len(batch.keys)
        )
        self._cols.append(glob[batch.cols])
        self._tf.append(batch.tf)
        self._lengths.append(np.diff(batch.indptr).astype(np.int32))

    def finish(self, idf_power: float) -> tuple[Vocabulary, sp.csr_matrix]:
        n_keys = len(self._keys)
        df = np.zeros(n_keys, dtype=np.int64)
        for cols in self._cols:
            df += np.bincount(cols, minlength=n_keys)
        n_rows = int(sum(len(x) for x in self._lengths))
        shared = df > 1
        new_col = (np.cumsum(shared) - 1).astype(np.int32)
        key_array = np.empty(n_keys, dtype=object)
        key_array[:] = list(self._keys)
        self._keys = {}
        vocab = Vocabulary(list(key_array[shared]), df[shared], n_rows)
        del key_array
        stats = Vocabulary(n_docs=n_rows)
        stats._df = df
        pieces = []
        while self._cols:
            cols, tf, lengths = self._cols.pop(0), self._tf.pop(0), self._lengths.pop(0)
            rows = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
            data = _weights(tf, stats.idf(cols, idf_power), rows, len(lengths))
            keep = shared[cols]
            rows = rows[keep]
            pieces.append(
                sp.csr_matrix(
                    (
                        data[keep].astype(np.float32),
                        new_col[cols[keep]],
                        np.searchsorted(rows, np.arange(len(lengths) + 1)),
                    ),
                    shape=(len(lengths), len(vocab)),
                )
            )
        if not pieces:
            return vocab, sp.csr_matrix((0, len(vocab)), dtype=np.float32)
        return vocab, sp.vstack(pieces, format="csr")


def build_vectors(batches: Sequence[Counts], idf_power: float) -> tuple[Vocabulary, sp.csr_matrix]:
    """Vocabulary and unit-length TF-IDF rows for every story of ``batches``."""
    builder = VectorBuilder()
    for batch in batches:
        builder.add(batch)
    return builder.finish(idf_power)


def story_vector(features: Mapping[str, float], vocab: Vocabulary, idf_power: float):
    """Count one new story in ``vocab`` and return its unit-length TF-IDF row."""
    cols = vocab.lookup(features.keys())
    vocab.count(cols)
    tf = np.fromiter(features.values(), dtype=np.float64, count=len(cols))
    data = _weights(tf, vocab.idf(cols, idf_power), np.zeros(len(cols), np.int64), 1)
    return sp.csr_matrix(
        (data.astype(np.float32), cols.astype(np.int32), np.array([0, len(cols)])),
        shape=(1, len(vocab)),
    )


def _widen(m: sp.csr_matrix, n_cols: int) -> sp.csr_matrix:
    if m.shape[1] == n_cols:
        return m
    return sp.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], n_cols), copy=False)


class VectorStore:
    """Document vectors by row, with posting lists for the main segment."""

    def __init__(self, main: sp.csr_matrix, merge_at: int = 2000) -> None:
        self.merge_at = merge_at
        self._set_main(main)
        self._recent: list[sp.csr_matrix] = []
        self._recent_stack: sp.csr_matrix | None = None

    def _set_main(self, main: sp.csr_matrix) -> None:
        self.main = main.tocsr()
        self.main.sort_indices()
        self.postings = self.main.T.tocsr()  # term -> rows
        self.n_main = self.main.shape[0]

    @property
    def n_rows(self) -> int:
        return self.n_main + len(self._recent)

    @property
    def recent(self) -> sp.csr_matrix | None:
        if self._recent and self._recent_stack is None:
            width = max(r.shape[1] for r in self._recent)
            self._recent_stack = sp.vstack([_widen(r, width) for r in self._recent], format="csr")
        return self._recent_stack

    def append(self, row: sp.csr_matrix) -> int:
        """Add one row; returns its row number."""
        self._recent.append(row)
        self._recent_stack = None
        if len(self._recent) >= max(self.merge_at, self.n_main // 20):
            self.merge()
        return self.n_rows - 1

    def merge(self) -> None:
        """Fold the recent segment into the main one (posting lists rebuilt)."""
        if not self._recent:
            return
        width = max(self.main.shape[1], max(r.shape[1] for r in self._recent))
        parts = [_widen(self.main, width)] + [_widen(r, width) for r in self._recent]
        self._recent, self._recent_stack = [], None
        self._set_main(sp.vstack(parts, format="csr"))

    def rows(self, rows: np.ndarray, n_cols: int) -> sp.csr_matrix:
        """The vectors of ``rows`` (any order, repeats allowed), ``n_cols`` wide."""
        rows = np.asarray(rows, dtype=np.int64)
        in_main = rows < self.n_main
        if in_main.all():
            return _widen(self.main, n_cols)[rows]
        width = max(n_cols, self.main.shape[1])
        order = np.concatenate([np.flatnonzero(in_main), np.flatnonzero(~in_main)])
        stacked = sp.vstack(
            [
                _widen(self.main, width)[rows[in_main]],
                _widen(self.recent, width)[rows[~in_main] - self.n_main],
            ],
            format="csr",
        )
        inverse = np.empty_like(order)
        inverse[order] = np.arange(len(order))
        return stacked[inverse]

    def scores(self, queries: sp.csr_matrix) -> sp.csr_matrix:
        """Dot products of each query row with every stored row (sparse, rows x n_rows)."""
        n_terms = self.postings.shape[0]
        q = queries.tocsc()[:, :n_terms] if queries.shape[1] > n_terms else queries
        q = _widen(q.tocsr(), n_terms)
        out = q @ self.postings
        recent = self.recent
        if recent is not None:
            width = max(queries.shape[1], recent.shape[1])
            extra = _widen(queries.tocsr(), width) @ _widen(recent, width).T
            out = sp.hstack([out, extra], format="csr")
        return out.tocsr()
