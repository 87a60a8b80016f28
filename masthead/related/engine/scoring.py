"""From candidate cosines to final scores: beat blending, recency, near-duplicates."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from .sketches import jaccard

SECONDS_PER_DAY = 86400.0
# Two stories below this cosine can't be re-posts of one text; skip the sketch check.
DUPLICATE_COSINE_FLOOR = 0.3


def timestamp(when: datetime | None) -> float:
    """POSIX seconds, naive datetimes read as UTC; ``NaN`` for no date."""
    if when is None:
        return float("nan")
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def recency_factor(
    published: np.ndarray, now: float, weight: float, half_life_days: float
) -> np.ndarray:
    """``1 - weight * (1 - 2 ** (-age / half_life))``: 1 for a story published now,
    falling towards ``1 - weight`` for old ones; 1 for undated stories and when off."""
    if weight <= 0:
        return np.ones_like(published, dtype=np.float64)
    age_days = np.maximum(now - published, 0.0) / SECONDS_PER_DAY
    factor = 1.0 - weight * (1.0 - np.exp2(-age_days / max(half_life_days, 1e-9)))
    return np.where(np.isnan(published), 1.0, factor)


def duplicate_mask(
    query_sigs: np.ndarray, cand: np.ndarray, cos: np.ndarray, sigs: np.ndarray, threshold: float
) -> np.ndarray:
    """True where a candidate is a near-duplicate (re-post) of its query story."""
    dup = np.zeros(cand.shape, dtype=bool)
    qi, ci = np.nonzero((cand >= 0) & (cos >= DUPLICATE_COSINE_FLOOR))
    if len(qi):
        dup[qi, ci] = jaccard(query_sigs[qi], sigs[cand[qi, ci]]) >= threshold
    return dup


def blend(
    cos: np.ndarray,
    query_emb: np.ndarray,
    cand: np.ndarray,
    emb: np.ndarray,
    embedding_blend: float,
) -> np.ndarray:
    """``(1 - b) * cosine + b * beat cosine`` for each candidate (candidates share a term)."""
    safe = np.where(cand >= 0, cand, 0)
    beat = np.einsum("qd,qcd->qc", query_emb, emb[safe])
    return (1.0 - embedding_blend) * cos + embedding_blend * beat


def final_scores(
    cand: np.ndarray,
    related: np.ndarray,
    dup: np.ndarray,
    published: np.ndarray,
    now: float,
    recency_weight: float,
    half_life_days: float,
) -> np.ndarray:
    """Blended relatedness times the candidate's recency; ``-inf`` where not eligible."""
    safe = np.where(cand >= 0, cand, 0)
    decay = recency_factor(published[safe], now, recency_weight, half_life_days)
    out = related * decay
    return np.where((cand >= 0) & ~dup, out, -np.inf).astype(np.float32)


def rank(cand: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best eligible candidates of each row (``-1`` / ``-inf`` padded)."""
    k = min(k, cand.shape[1])
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    top = np.take_along_axis(cand, order, axis=1)
    top_scores = np.take_along_axis(scores, order, axis=1)
    top = np.where(np.isfinite(top_scores), top, -1)
    return top, top_scores
