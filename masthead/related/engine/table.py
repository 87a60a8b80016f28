"""The kept top lists: for every story, its best related stories and their scores.

These are what a full rebuild computes for the site to store, and what the index keeps
current as stories come and go, so that it can tell whose stored list a change touches.
"""

from __future__ import annotations

import numpy as np


class NeighbourTable:
    """``n x k`` row numbers (``-1`` = empty slot) and scores, best first."""

    def __init__(self, k: int, n: int = 0) -> None:
        self.k = k
        self._n = n
        self._ids = np.full((max(n, 16), k), -1, dtype=np.int32)
        self._scores = np.full((max(n, 16), k), -np.inf, dtype=np.float32)

    @property
    def ids(self) -> np.ndarray:
        return self._ids[: self._n]

    @property
    def scores(self) -> np.ndarray:
        return self._scores[: self._n]

    def _fit(self, top: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        top, scores = np.atleast_2d(top), np.atleast_2d(scores)
        pad = self.k - top.shape[1]
        if pad > 0:
            top = np.pad(top, ((0, 0), (0, pad)), constant_values=-1)
            scores = np.pad(scores, ((0, 0), (0, pad)), constant_values=-np.inf)
        return top[:, : self.k], scores[:, : self.k]

    def set_rows(self, rows: np.ndarray, top: np.ndarray, scores: np.ndarray) -> None:
        self._ids[rows], self._scores[rows] = self._fit(top, scores)

    def append_row(self, top: np.ndarray, scores: np.ndarray) -> None:
        if self._n == len(self._ids):
            grow = max(16, self._n)
            self._ids = np.vstack([self._ids, np.full((grow, self.k), -1, np.int32)])
            self._scores = np.vstack([self._scores, np.full((grow, self.k), -np.inf, np.float32)])
        self._n += 1
        self.set_rows(np.array([self._n - 1]), top, scores)

    def offer(self, rows: np.ndarray, new: int, scores: np.ndarray) -> np.ndarray:
        """Insert row ``new`` into the lists of ``rows`` where its score makes the cut.

        Returns the rows whose lists took it.
        """
        better = np.isfinite(scores) & (scores > self._scores[rows, -1])
        rows, scores = rows[better], scores[better]
        if len(rows):
            ids = np.hstack([self._ids[rows], np.full((len(rows), 1), new, np.int32)])
            vals = np.hstack([self._scores[rows], scores[:, None].astype(np.float32)])
            order = np.argsort(-vals, axis=1, kind="stable")[:, : self.k]
            self._ids[rows] = np.take_along_axis(ids, order, axis=1)
            self._scores[rows] = np.take_along_axis(vals, order, axis=1)
        return rows

    def rows_listing(self, row: int) -> np.ndarray:
        """Rows whose list contains ``row``."""
        return np.unique(np.nonzero(self.ids == row)[0])

    def ranks_of(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows whose list contains ``row``, and its 0-based place in each."""
        rows, ranks = np.nonzero(self.ids == row)
        return rows, ranks

    def row(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        keep = self._ids[row] >= 0
        return self._ids[row][keep], self._scores[row][keep]
