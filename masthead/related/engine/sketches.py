"""Near-duplicate detection: MinHash sketches of body shingles.

A re-post of the same story keeps most runs of consecutive words, whatever its headline.
Each body becomes the set of its 4-word shingles (over content words, so punctuation and
stop-word edits don't matter); a MinHash signature of ``SIGNATURE_SIZE`` values estimates
the Jaccard similarity of two such sets as the share of equal positions (Broder, 1997).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

SIGNATURE_SIZE = 64
SHINGLE_WORDS = 4
_MASK32 = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(20240611)  # fixed: signatures must be comparable across runs
_MULTIPLIERS = (_rng.integers(1, 2**63 - 1, SIGNATURE_SIZE, dtype=np.uint64) | np.uint64(1))[
    None, :
]
_OFFSETS = _rng.integers(0, 2**63 - 1, SIGNATURE_SIZE, dtype=np.uint64)[None, :]
_POSITION_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)
EMPTY_SIGNATURE = np.full(SIGNATURE_SIZE, 0xFFFFFFFF, dtype=np.uint32)


class TokenHasher:
    """Stable 32-bit hashes of tokens (CRC-32), cached per distinct token."""

    def __init__(self) -> None:
        self._cache: dict[str, int] = {}

    def __call__(self, tokens: Sequence[str]) -> np.ndarray:
        cache = self._cache
        out = np.empty(len(tokens), dtype=np.uint64)
        for i, tok in enumerate(tokens):
            h = cache.get(tok)
            if h is None:
                h = cache[tok] = zlib.crc32(tok.encode("utf-8"))
            out[i] = h
        return out


def signature(token_hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature (``SIGNATURE_SIZE`` uint32 values) of a token sequence."""
    n = len(token_hashes)
    if n == 0:
        return EMPTY_SIGNATURE.copy()
    width = min(SHINGLE_WORDS, n)
    shingles = np.zeros(n - width + 1, dtype=np.uint64)
    for pos in range(width):
        shingles += token_hashes[pos : n - width + 1 + pos] * _POSITION_MIX[pos]
    shingles = np.unique(shingles)
    mixed = shingles[:, None] * _MULTIPLIERS + _OFFSETS
    return ((mixed >> np.uint64(32)) & _MASK32).min(axis=0).astype(np.uint32)


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity, row by row, of two stacks of signatures.

    An empty body shares nothing with anything, not even another empty body.
    """
    a, b = np.atleast_2d(sig_a), np.atleast_2d(sig_b)
    empty = (a == EMPTY_SIGNATURE).all(axis=1) | (b == EMPTY_SIGNATURE).all(axis=1)
    return np.where(empty, 0.0, (a == b).mean(axis=1))
