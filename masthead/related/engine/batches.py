"""Work units of a build (run in worker processes) and a growable-array helper."""

from __future__ import annotations

from typing import Any

import numpy as np

from .analysis import Analyzer
from .documents import Document
from .sketches import SIGNATURE_SIZE, TokenHasher, signature
from .vectors import Counts


def analyse_part(analyzer: Analyzer, docs: list[Document]) -> tuple[Counts, np.ndarray, dict]:
    hasher = TokenHasher()
    features, sigs = [], np.empty((len(docs), SIGNATURE_SIZE), dtype=np.uint32)
    for i, doc in enumerate(docs):
        feats, body_terms = analyzer.features(doc)
        features.append(feats)
        sigs[i] = signature(hasher(body_terms))
    return Counts.of(features), sigs, analyzer.surface


def candidates_part(index: Any, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    vectors = index.store.rows(rows, len(index.vocab))
    cand, cos, dup = index._candidates(vectors, rows, index._sig[rows])
    return cand.astype(np.int32), cos, dup


def put_row(array: np.ndarray, row: int, value: Any) -> np.ndarray:
    """``array[row] = value``, growing ``array`` (by doubling) when ``row`` is past its end.

    Rows past the stories' count are padding: not alive, never a candidate.
    """
    if row >= len(array):
        grown = np.zeros((max(2 * len(array), row + 16), *array.shape[1:]), dtype=array.dtype)
        grown[: len(array)] = array
        array = grown
    array[row] = value
    return array
