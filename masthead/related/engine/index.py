"""The related-stories index: build once, keep up to date one story at a time.

How a story's related list is chosen (all knobs are class attributes; subclass or pass
keyword arguments to change them):

1. TF-IDF vectors of weighted features (headline above body, entities, tags, section;
   see :mod:`.analysis` and :mod:`.vectors`);
2. ``candidates`` stories sharing strong terms, rescored by exact cosine
   (:mod:`.neighbours`); re-posts of the same text are dropped (:mod:`.sketches`);
3. each candidate's score blends that cosine with the two stories' closeness on the
   diffusion map of the story graph (:mod:`.embedding`), so links stay on the story's beat;
4. times a mild recency factor, so among equally related stories the newer one wins.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import numpy as np

from . import scoring
from .analysis import Analyzer
from .batches import analyse_part, candidates_part, put_row
from .documents import DocId, Document, Match
from .embedding import diffusion_embedding, extend, graph_from_neighbours
from .neighbours import candidates
from .parallel import default_workers, imap_chunks
from .questions import KeptLists
from .sketches import SIGNATURE_SIZE, TokenHasher, signature
from .table import NeighbourTable
from .vectors import VectorBuilder, VectorStore, Vocabulary, build_vectors, story_vector

_CHUNK = 256

Progress = Callable[[str, int, int], None]


class RelatedIndex(KeptLists):
    """Related stories for a set of published stories.

    ``build(docs)`` indexes everything from scratch; ``add_or_update``/``remove`` keep it
    current; ``related`` answers for one story; ``affected_by`` says whose stored lists
    a change touched.
    """

    title_weight = 2.0
    entity_weight = 1.0
    phrase_weight = 1.5
    tag_weight = 4.0
    section_weight = 1.0
    idf_power = 0.5
    query_terms = 80  # strongest terms of a story used to look for candidates
    candidates = 50  # candidates rescored exactly per story
    graph_k = 20  # neighbours per story in the story graph
    embedding_dim = 32
    diffusion_time = 4.0
    diffusion_alpha = 0.25  # density normalisation of the story graph (0 = none, 1 = full)
    embedding_seed = 0  # start of the map's eigensolver (other seeds: its noise, for research)
    embedding_blend = 0.6  # share of the beat (diffusion map) signal in the score
    duplicate_jaccard = 0.5  # shingle overlap from which a story counts as a re-post
    stored_k = 20  # length of the kept top list (bounds ``k`` in ``affected_by``)
    recency_weight = 0.1  # an old story loses at most this share of its score
    recency_half_life_days = 365.0
    explain_terms = 5
    workers: int | None = None

    def __init__(self, *, clock: Callable[[], datetime] | None = None, **options: Any) -> None:
        for name, value in options.items():
            if name.startswith("_") or not hasattr(type(self), name):
                raise TypeError(f"RelatedIndex has no option {name!r}.")
            setattr(self, name, value)
        self.clock = clock or (lambda: datetime.now(UTC))
        self._reset()

    # -- state ---------------------------------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        """Everything but the clock (often a lambda): a saved index reads the wall clock
        when loaded, unless the loader sets another."""
        state = self.__dict__.copy()
        state.pop("clock", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.clock = lambda: datetime.now(UTC)
        if "_has_copy" not in state:  # saved before it was kept: every story is checked
            self._has_copy = np.ones(len(self._ids), dtype=bool)

    def _reset(self) -> None:
        self.analyzer = Analyzer(
            title_weight=self.title_weight,
            entity_weight=self.entity_weight,
            phrase_weight=self.phrase_weight,
            tag_weight=self.tag_weight,
            section_weight=self.section_weight,
        )
        self.vocab = Vocabulary()
        self.store = VectorStore(build_vectors([], self.idf_power)[1])
        self._ids: list[DocId] = []
        self._row: dict[DocId, int] = {}
        self._alive = np.zeros(0, dtype=bool)
        self._time = np.zeros(0, dtype=np.float64)
        self._cutoff = np.zeros(0, dtype=np.float32)
        self._sig = np.zeros((0, SIGNATURE_SIZE), dtype=np.uint32)
        self._has_copy = np.zeros(0, dtype=bool)  # re-posts of it or by it were found
        self._emb = np.zeros((0, max(self.embedding_dim, 1)), dtype=np.float32)
        self.table = NeighbourTable(self.stored_k)
        self._before: dict[DocId, tuple[np.ndarray, np.ndarray]] = {}
        self._hasher = TokenHasher()
        self.timings: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row

    @property
    def ids(self) -> list[DocId]:
        return [self._ids[r] for r in np.flatnonzero(self._alive)]

    def _now(self) -> float:
        return scoring.timestamp(self.clock())

    def _n_workers(self, n: int) -> int:
        return 1 if n < 4000 else (self.workers or default_workers())

    # -- scoring shared by the batch and the one-story paths ---------------------------

    def _candidates(self, vectors, rows: np.ndarray, sigs: np.ndarray) -> tuple[np.ndarray, ...]:
        cand, cos = candidates(
            self.store, vectors, rows, self._alive, self.query_terms, self.candidates
        )
        dup = scoring.duplicate_mask(sigs, cand, cos, self._sig, self.duplicate_jaccard)
        return cand, cos, dup

    def _cutoffs(self, cand: np.ndarray, cos: np.ndarray) -> np.ndarray:
        """Per story, the lowest cosine among its candidates if it has its full share of
        them (a story below it would not have been one), else 0."""
        if cand.shape[1] == 0:
            return np.zeros(len(cand), dtype=np.float32)
        full = (cand >= 0).sum(axis=1) >= self.candidates
        lowest = np.where(cand >= 0, cos, np.inf).min(axis=1)
        return np.where(full, lowest, 0.0).astype(np.float32)

    def _graph_neighbours(self, cand, cos, dup) -> tuple[np.ndarray, np.ndarray]:
        masked = np.where((cand >= 0) & ~dup, cos, -np.inf)
        return scoring.rank(cand, masked, self.graph_k)

    def _scores(self, query_emb, cand, cos, dup, now: float) -> np.ndarray:
        related = scoring.blend(cos, query_emb, cand, self._emb, self.embedding_blend)
        return scoring.final_scores(
            cand,
            related,
            dup,
            self._time,
            now,
            self.recency_weight,
            self.recency_half_life_days,
        )

    # -- full rebuild --------------------------------------------------------------------

    def build(self, docs: Iterable[Document], progress: Progress | None = None) -> RelatedIndex:
        """Index ``docs`` from scratch (the last of several documents with one id wins).

        ``progress(phase, done, total)``, when given, is called as the stories are
        analysed and as their candidates are found (the two long phases).
        """
        report = progress or (lambda phase, done, total: None)
        clock = time.perf_counter
        started = clock()
        unique = list({doc.id: doc for doc in docs}.values())
        self._reset()
        n = len(unique)
        workers = self._n_workers(n)
        parts = [unique[i : i + 2000] for i in range(0, n, 2000)]
        builder, sigs, done = VectorBuilder(), [], 0
        report("analysis", 0, n)
        for counts, part_sigs, surface in imap_chunks(analyse_part, self.analyzer, parts, workers):
            done += len(part_sigs)
            report("analysis", done, n)
            builder.add(counts)
            sigs.append(part_sigs)
            for key, form in surface.items():
                self.analyzer.surface.setdefault(key, form)
        self.timings["analysis"] = clock() - started
        self.vocab, matrix = builder.finish(self.idf_power)
        self.store = VectorStore(matrix)
        del matrix, builder
        self._ids = [doc.id for doc in unique]
        self._row = {doc_id: row for row, doc_id in enumerate(self._ids)}
        self._alive = np.ones(n, dtype=bool)
        self._time = np.array([scoring.timestamp(d.published_at) for d in unique])
        self._sig = np.concatenate(sigs) if sigs else np.zeros((0, SIGNATURE_SIZE), np.uint32)
        del sigs
        self.timings["vectors"] = clock() - started - self.timings["analysis"]
        chunks = [np.arange(i, min(i + _CHUNK, n)) for i in range(0, n, _CHUNK)]
        mark = clock()
        found, done = [], 0
        report("candidates", 0, n)
        for part in imap_chunks(candidates_part, self, chunks, workers):
            found.append(part)
            done += len(part[0])
            report("candidates", done, n)
        cand = np.concatenate([f[0] for f in found]) if found else np.zeros((0, 0), int)
        cos = np.concatenate([f[1] for f in found]) if found else np.zeros((0, 0))
        dup = np.concatenate([f[2] for f in found]) if found else np.zeros((0, 0), bool)
        del found
        self._has_copy = dup.any(axis=1) if n else np.zeros(0, dtype=bool)
        self._has_copy[cand[dup]] = True
        self._cutoff = self._cutoffs(cand, cos)
        self.timings["candidates"] = clock() - mark
        mark = clock()
        neigh, weights = self._graph_neighbours(cand, cos, dup)
        self._emb = diffusion_embedding(
            graph_from_neighbours(neigh, weights, n),
            self.embedding_dim,
            self.diffusion_time,
            seed=self.embedding_seed,
            alpha=self.diffusion_alpha,
        )
        self.timings["diffusion map"] = clock() - mark
        mark = clock()
        self.table = NeighbourTable(self.stored_k, n)
        now = self._now()
        for rows in chunks:
            scores = self._scores(self._emb[rows], cand[rows], cos[rows], dup[rows], now)
            self.table.set_rows(rows, *scoring.rank(cand[rows], scores, self.stored_k))
        self.timings["top lists"] = clock() - mark
        return self

    # -- one story at a time -------------------------------------------------------------

    def add_or_update(self, doc: Document) -> None:
        """Index ``doc`` (replacing the story with the same id) and update the kept lists."""
        old_row = self._row.get(doc.id)
        if old_row is not None:
            self._retire(doc.id, old_row)
        feats, body_terms = self.analyzer.features(doc)
        vector = story_vector(feats, self.vocab, self.idf_power)
        row = self.store.append(vector)
        self._ids.append(doc.id)
        self._row[doc.id] = row
        self._alive = put_row(self._alive, row, True)
        self._time = put_row(self._time, row, scoring.timestamp(doc.published_at))
        self._sig = put_row(self._sig, row, signature(self._hasher(body_terms)))
        rows = np.array([row])
        cand, cos, dup = self._candidates(vector, rows, self._sig[rows])
        self._has_copy = put_row(self._has_copy, row, bool(dup.any()))
        self._has_copy[cand[dup]] = True
        self._cutoff = put_row(self._cutoff, row, self._cutoffs(cand, cos)[0])
        neigh, weights = self._graph_neighbours(cand, cos, dup)
        self._emb = put_row(self._emb, row, extend(self._emb, neigh, weights)[0])
        now = self._now()
        scores = self._scores(self._emb[rows], cand, cos, dup, now)
        self.table.append_row(*scoring.rank(cand, scores, self.stored_k))
        self._enter_lists(row, vector, now)
        if old_row is not None:
            self._refresh(self.table.rows_listing(old_row))

    def remove(self, doc_id: DocId) -> None:
        """Forget a story (unpublished, deleted); lists that showed it are recomputed."""
        row = self._row.get(doc_id)
        if row is None:
            raise KeyError(f"Story {doc_id!r} is not in the related-stories index.")
        self._retire(doc_id, row)
        del self._row[doc_id]
        self._refresh(self.table.rows_listing(row))

    def _retire(self, doc_id: DocId, row: int) -> None:
        self._before[doc_id] = self.table.ranks_of(row)
        self._alive[row] = False
        vector = self.store.rows(np.array([row]), len(self.vocab))
        self.vocab.count(vector.indices.astype(np.int64), sign=-1)

    def _enter_lists(self, row: int, vector, now: float) -> None:
        """Put the new story into the kept lists it now belongs to: those of the stories
        whose candidates it would be among in a rebuild, where its score makes the cut."""
        cos_all = self.store.scores(vector).toarray().ravel()
        cos_all[row] = 0.0
        n = len(cos_all)
        others = np.flatnonzero((cos_all > 0) & self._alive[:n] & (cos_all >= self._cutoff[:n]))
        if len(others) == 0:
            return
        cand = np.full((len(others), 1), row)
        cos = cos_all[others][:, None].astype(np.float32)
        dup = scoring.duplicate_mask(
            self._sig[others], cand, cos, self._sig, self.duplicate_jaccard
        )
        if dup.any():
            self._has_copy[[row, *others[dup[:, 0]]]] = True
        scores = self._scores(self._emb[others], cand, cos, dup, now)[:, 0]
        self.table.offer(others, row, scores)

    def _refresh(self, rows: np.ndarray) -> None:
        rows = rows[self._alive[rows]]
        if len(rows) == 0:
            return
        vectors = self.store.rows(rows, len(self.vocab))
        cand, cos, dup = self._candidates(vectors, rows, self._sig[rows])
        self._cutoff[rows] = self._cutoffs(cand, cos)
        scores = self._scores(self._emb[rows], cand, cos, dup, self._now())
        self.table.set_rows(rows, *scoring.rank(cand, scores, self.stored_k))

    # -- questions -----------------------------------------------------------------------

    def related(self, doc_id: DocId, k: int = 5, exclude_ids: Iterable[DocId] = ()) -> list[Match]:
        """The ``k`` stories most related to ``doc_id``, best first, never itself, a
        re-post of it, or one of ``exclude_ids``."""
        if k <= 0:
            return []
        row = self._row_of(doc_id)
        excluded = {self._row[i] for i in exclude_ids if i in self._row}
        rows = np.array([row])
        vector = self.store.rows(rows, len(self.vocab))
        cand, cos, dup = self._candidates(vector, rows, self._sig[rows])
        scores = self._scores(self._emb[rows], cand, cos, dup, self._now())
        if excluded:
            scores = np.where(np.isin(cand, list(excluded)), -np.inf, scores)
        top, top_scores = scoring.rank(cand, scores, k)
        found = top[0] >= 0
        rows_b, found_scores = top[0][found], top_scores[0][found]
        terms = self._shared_terms(np.full(len(rows_b), row), rows_b) if len(rows_b) else []
        return [
            Match(self._ids[r], float(s), shared)
            for r, s, shared in zip(rows_b.tolist(), found_scores, terms, strict=True)
        ]
