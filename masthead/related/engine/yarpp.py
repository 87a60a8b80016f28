"""A baseline in the manner of WordPress's "Yet Another Related Posts Plugin" (YARPP).

Written from the plugin's documented behaviour, as a yardstick for our engine:

* a post's *keywords* are the 20 most frequent words of its title (title keywords) and of
  its body (body keywords): lower-cased text split at non-word characters, stop-words and
  one-letter words dropped, most frequent first;
* the score of a candidate post is ``title_weight * MATCH(candidate title) AGAINST(title
  keywords) + body_weight * MATCH(candidate body) AGAINST(body keywords)`` plus, per
  taxonomy, its weight times the number of shared terms (tags, categories), rounded to
  one decimal;
* MATCH ... AGAINST is MySQL's MyISAM natural-language relevance: for each keyword found
  in the field, ``(ln(dtf) + 1) / sumdtf * U / (1 + 0.0115 * U) * ln((N - nf) / nf)``
  (dtf: occurrences in the field, sumdtf: sum of ``ln(dtf) + 1`` over the field's words,
  U: its distinct words, N: posts, nf: posts whose field has the word; words in half of
  the posts or more count for nothing), times the keyword's own weight in the query by the
  same formula; words shorter than 4 characters are not indexed;
* defaults: every weight 1, match threshold 4 (``score >= 4``), best scores first.

Our stop-word list stands in for both YARPP's and MySQL's. Tags map to YARPP's tag
taxonomy and the section to its category taxonomy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import regex
import scipy.sparse as sp

from .documents import DocId, Document, Match
from .stopwords import STOP_WORDS

_SPLIT_RE = regex.compile(r"\W+")
_INDEX_WORD_RE = regex.compile(r"\w+(?:'\w+)*")
_PIVOT = 0.0115


def keywords(text: str, limit: int = 20) -> list[str]:
    """YARPP-style keywords: the ``limit`` most frequent non-stop-words, ties in order."""
    counts = Counter(w for w in _SPLIT_RE.split(text.lower()) if len(w) >= 2)
    for word in STOP_WORDS & counts.keys():
        del counts[word]
    return [w for w, _ in counts.most_common(limit)]


def _indexed_words(text: str, min_length: int) -> Counter[str]:
    words = _INDEX_WORD_RE.findall(text.lower())
    return Counter(w for w in words if len(w) >= min_length and w not in STOP_WORDS)


def _local_weights(counts: Counter[str]) -> dict[str, float]:
    """MyISAM's per-document word weight, without the collection factor."""
    if not counts:
        return {}
    logs = {w: np.log(c) + 1.0 for w, c in counts.items()}
    unique = len(counts)
    norm = sum(logs.values()) * (1.0 + _PIVOT * unique) / unique
    return {w: v / norm for w, v in logs.items()}


class YarppIndex:
    """Related posts scored the way YARPP scores them (see the module docstring)."""

    title_weight = 1.0
    body_weight = 1.0
    tag_weight = 1.0
    category_weight = 1.0
    threshold = 4.0
    keyword_limit = 20
    min_word_length = 4

    def __init__(self, **options: float) -> None:
        for name, value in options.items():
            if name.startswith("_") or not hasattr(type(self), name):
                raise TypeError(f"YarppIndex has no option {name!r}.")
            setattr(self, name, value)
        self._ids: list[DocId] = []

    def build(self, docs: Iterable[Document]) -> YarppIndex:
        docs = list({d.id: d for d in docs}.values())
        self._ids = [d.id for d in docs]
        self._row = {d: i for i, d in enumerate(self._ids)}
        vocab: dict[str, int] = {}
        fields = {}
        for name, texts in (("title", [d.title for d in docs]), ("body", [d.body for d in docs])):
            weights = [_local_weights(_indexed_words(t, self.min_word_length)) for t in texts]
            queries = [keywords(t, self.keyword_limit) for t in texts]
            for w in weights:
                for word in w:
                    vocab.setdefault(word, len(vocab))
            fields[name] = (weights, queries)
        width = max(len(vocab), 1)
        self._title = self._field(*fields["title"], vocab, width)
        self._body = self._field(*fields["body"], vocab, width)
        terms: dict[str, int] = {}
        self._tags = self._binary([[t.strip().lower() for t in d.tags] for d in docs], terms)
        self._sections = self._binary([[d.section or ""] for d in docs], terms)
        self._keywords = [
            dict.fromkeys(fields["title"][1][i] + fields["body"][1][i]) for i in range(len(docs))
        ]
        self._words = [
            fields["title"][0][i].keys() | fields["body"][0][i].keys() for i in range(len(docs))
        ]
        return self

    @staticmethod
    def _field(
        weights: list[dict[str, float]], queries: list[list[str]], vocab: dict[str, int], width: int
    ) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """(keyword queries, indexed field) matrices for one field of every post."""
        n = len(weights)
        rows = [i for i, w in enumerate(weights) for _ in w]
        cols = [vocab[word] for w in weights for word in w]
        vals = [v for w in weights for v in w.values()]
        field = sp.csr_matrix((vals, (rows, cols)), shape=(n, width))
        nf = np.bincount(field.indices, minlength=width).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            collection = np.where((nf > 0) & (nf < n / 2), np.log((n - nf) / nf), 0.0)
        field = (field @ sp.diags(collection)).tocsr()
        q_rows, q_cols, q_vals = [], [], []
        for i, words in enumerate(queries):
            known = [vocab[w] for w in words if w in vocab]
            weight = 1.0 / (1.0 + _PIVOT * len(words)) if words else 0.0
            q_rows += [i] * len(known)
            q_cols += known
            q_vals += [weight] * len(known)
        return sp.csr_matrix((q_vals, (q_rows, q_cols)), shape=(n, width)), field

    @staticmethod
    def _binary(lists: Sequence[list[str]], terms: dict[str, int]) -> sp.csr_matrix:
        rows, cols = [], []
        for i, values in enumerate(lists):
            for v in {v for v in values if v}:
                rows.append(i)
                cols.append(terms.setdefault(v, len(terms)))
        return sp.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(lists), max(len(terms), 1))
        )

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """YARPP scores of ``rows`` (as queries) against every post, dense."""
        total = self.title_weight * (self._title[0][rows] @ self._title[1].T)
        total = total + self.body_weight * (self._body[0][rows] @ self._body[1].T)
        total = total + self.tag_weight * (self._tags[rows] @ self._tags.T)
        total = total + self.category_weight * (self._sections[rows] @ self._sections.T)
        return np.round(np.asarray(total.todense()), 1)

    def _shared(self, row: int, other: int) -> tuple[str, ...]:
        """The reference post's keywords that the other post's fields contain."""
        return tuple(w for w in self._keywords[row] if w in self._words[other])[:5]

    def related(self, doc_id: DocId, k: int = 5, exclude_ids: Iterable[DocId] = ()) -> list[Match]:
        return self.related_rows(np.array([self._row[doc_id]]), k, exclude_ids)[0]

    def related_rows(
        self, rows: np.ndarray, k: int, exclude_ids: Iterable[DocId] = ()
    ) -> list[list[Match]]:
        """At most ``k`` posts scoring at least ``threshold`` for each of ``rows``."""
        scores = self.scores(rows)
        scores[np.arange(len(rows)), rows] = -np.inf
        excluded = [self._row[i] for i in exclude_ids if i in self._row]
        scores[:, excluded] = -np.inf
        out = []
        for i in range(len(rows)):
            order = np.argsort(-scores[i], kind="stable")[:k]
            out.append(
                [
                    Match(self._ids[j], float(scores[i, j]), self._shared(rows[i], j))
                    for j in order
                    if scores[i, j] >= max(self.threshold, 0.1)
                ]
            )
        return out
