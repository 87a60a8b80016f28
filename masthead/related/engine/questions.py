"""What the site asks of a built index besides ``related``: the kept lists, which of them a
change touched, why two stories are related, and whether one re-posts another's text.

A mixin of :class:`~.index.RelatedIndex`, which holds the state these read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .documents import DocId, Match
from .sketches import EMPTY_SIGNATURE, SIGNATURE_SIZE

if TYPE_CHECKING:
    from .analysis import Analyzer
    from .table import NeighbourTable
    from .vectors import VectorStore, Vocabulary


class KeptLists:
    _ids: list[DocId]
    _row: dict[DocId, int]
    _alive: np.ndarray
    _sig: np.ndarray
    _has_copy: np.ndarray
    _before: dict[DocId, tuple[np.ndarray, np.ndarray]]
    table: NeighbourTable
    store: VectorStore
    vocab: Vocabulary
    analyzer: Analyzer
    stored_k: int
    explain_terms: int
    duplicate_jaccard: float

    def _row_of(self, doc_id: DocId) -> int:
        try:
            return self._row[doc_id]
        except KeyError:
            raise KeyError(f"Story {doc_id!r} is not in the related-stories index.") from None

    def shared_terms(self, row_a: int, row_b: int) -> tuple[str, ...]:
        """The features that contribute most to the cosine of two rows, readable."""
        return self._shared_terms(np.array([row_a]), np.array([row_b]))[0]

    def explain(self, pairs: Sequence[tuple[DocId, DocId]]) -> list[tuple[str, ...]]:
        """``shared_terms`` for many pairs of indexed stories at once (batched)."""
        if not pairs:
            return []
        rows_a = np.array([self._row_of(a) for a, _ in pairs])
        rows_b = np.array([self._row_of(b) for _, b in pairs])
        return self._shared_terms(rows_a, rows_b)

    def _shared_terms(self, rows_a: np.ndarray, rows_b: np.ndarray) -> list[tuple[str, ...]]:
        """For each pair of rows, its ``explain_terms`` largest products of the two rows'
        weights, largest first (ties: by column), as readable terms."""
        both = self.store.rows(rows_a, len(self.vocab)).multiply(
            self.store.rows(rows_b, len(self.vocab))
        )
        both = both.tocsr()
        counts = np.diff(both.indptr)
        found = np.flatnonzero(counts)  # the pairs that share anything
        starts = both.indptr[:-1][found]
        owner = np.repeat(np.arange(len(found)), counts[found])  # each product's pair
        products, cols = both.data.astype(np.float64), both.indices
        # Each pair's strongest terms, taken one rank at a time for all pairs at once: a
        # rebuild explains every list it stores, and sorting the millions of products of a
        # batch costs far more.
        picked = np.full((self.explain_terms, len(found)), -1, dtype=np.int64)
        for rank in range(self.explain_terms if len(found) else 0):
            best = np.maximum.reduceat(products, starts)
            is_best = products == best[owner]
            first = np.minimum.reduceat(np.where(is_best, cols, np.iinfo(cols.dtype).max), starts)
            live = best > -np.inf
            picked[rank, live] = first[live]
            products[is_best & (cols == first[owner])] = -np.inf
        names: dict[int, str] = {}
        display, keys = self.analyzer.display, self.vocab.keys

        def name(col: int) -> str:
            if (known := names.get(col)) is None:
                known = names[col] = display(keys[col])
            return known

        out: list[tuple[str, ...]] = [()] * len(rows_a)
        for pair, row in zip(found.tolist(), picked.T.tolist(), strict=True):
            out[pair] = tuple(name(col) for col in row if col >= 0)
        return out

    def kept(self, doc_ids: Iterable[DocId], k: int | None = None) -> dict[DocId, list[Match]]:
        """The kept top lists of ``doc_ids`` (as the last build and updates left them),
        best first, without ``shared_terms`` (ask :meth:`explain` for the ones you show).

        Stories not in the index are left out of the answer.
        """
        k = self.stored_k if k is None else min(k, self.stored_k)
        out = {}
        for doc_id in doc_ids:
            row = self._row.get(doc_id)
            if row is None:
                continue
            ids, scores = self.table.row(row)
            out[doc_id] = [
                Match(self._ids[r], float(s))
                for r, s in zip(ids[:k], scores[:k], strict=True)
                if self._alive[r]
            ]
        return out

    def copy_among(self, doc_id: DocId, shown: Iterable[DocId]) -> bool:
        """Whether ``doc_id`` re-posts the text of one of ``shown`` (so that a list shows
        it once); stories not in the index never do. Free for stories without re-posts."""
        return self.copies_among([doc_id], shown)[0]

    def copies_among(self, doc_ids: Sequence[DocId], shown: Iterable[DocId]) -> list[bool]:
        """:meth:`copy_among` for each of ``doc_ids``, against the same ``shown``, in one
        comparison: a list's fallbacks may pass over many re-posts (a site of
        near-identical texts) before they find a different story."""
        out = [False] * len(doc_ids)
        flagged = self._has_copy
        found = [(i, r) for i, d in enumerate(doc_ids) if (r := self._row.get(d)) is not None]
        found = [(i, r) for i, r in found if flagged[r]]
        if not found:
            return out
        rows = list({r for s in shown if (r := self._row.get(s)) is not None and flagged[r]})
        if not rows:
            return out
        mine = np.array([r for _, r in found])
        sigs = self._sig[mine]
        # The estimated Jaccard similarity (``sketches.jaccard``) as a count of equal values:
        # this runs for every story shown in every list of a rebuild.
        equal = (sigs[:, None, :] == self._sig[rows][None, :, :]).sum(axis=2, dtype=np.uint8)
        copies = equal >= self.duplicate_jaccard * SIGNATURE_SIZE
        copies[mine[:, None] == np.array(rows)[None, :]] = False  # a story is no copy of itself
        copies[(sigs == EMPTY_SIGNATURE).all(axis=1)] = False  # an empty text copies nothing
        for (i, _), copy in zip(found, copies.any(axis=1).tolist(), strict=True):
            out[i] = copy
        return out

    def copies_within(self, doc_ids: Iterable[DocId]) -> dict[DocId, set[DocId]]:
        """For each of ``doc_ids``, the others among them it re-posts the text of: what
        :meth:`copy_among` answers for any of them, for a whole list in one comparison
        (a rebuild asks it for every story of every list). Stories without re-posts, or
        not in the index, are left out."""
        found = {d: r for d in doc_ids if (r := self._row.get(d)) is not None}
        flagged = [(d, r) for d, r in found.items() if self._has_copy[r]]
        if len(flagged) < 2:
            return {}
        sigs = self._sig[[r for _, r in flagged]]
        equal = (sigs[:, None, :] == sigs[None, :, :]).sum(axis=2, dtype=np.uint8)  # <= 64
        copies = equal >= self.duplicate_jaccard * SIGNATURE_SIZE
        copies[(sigs == EMPTY_SIGNATURE).all(axis=1)] = False  # an empty text copies nothing
        rows = np.array([r for _, r in flagged])
        copies[rows[:, None] == rows[None, :]] = False  # a story is no copy of itself
        out: dict[DocId, set[DocId]] = {}
        for a, b in zip(*np.nonzero(copies), strict=True):
            out.setdefault(flagged[a][0], set()).add(flagged[b][0])
        return out

    def affected_by(self, doc_id: DocId, k: int = 5) -> list[DocId]:
        """Stories whose top-``k`` list changed with ``doc_id``'s last add, update or removal:
        those it now appears in, and those it was in before the change."""
        if not 0 < k <= self.stored_k:
            raise ValueError(f"k must be between 1 and stored_k={self.stored_k}, not {k}.")
        rows = set()
        if doc_id in self._row:
            now_rows, now_ranks = self.table.ranks_of(self._row[doc_id])
            rows.update(now_rows[now_ranks < k].tolist())
        if doc_id in self._before:
            old_rows, old_ranks = self._before[doc_id]
            rows.update(old_rows[old_ranks < k].tolist())
        return [self._ids[r] for r in sorted(rows) if self._alive[r]]

    def stored_related(self, k: int = 5) -> Iterator[tuple[DocId, list[tuple[DocId, float]]]]:
        """Every story's kept top-``k`` list, as computed by the last build and updates."""
        for row in np.flatnonzero(self._alive):
            ids, scores = self.table.row(row)
            yield (
                self._ids[row],
                [(self._ids[r], float(s)) for r, s in zip(ids[:k], scores[:k], strict=True)],
            )
