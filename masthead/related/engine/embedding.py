"""A diffusion-map embedding of the story graph: which "beat" a story belongs to.

Each story is linked to its ``graph_k`` most similar stories (cosine of TF-IDF vectors);
the leading eigenvectors of the symmetrically normalised graph, each scaled by its
eigenvalue to the power ``t`` (Coifman & Lafon, "Diffusion maps", 2006), place stories
that are reachable from each other by short random walks close together. The weights are
first divided by the two stories' degrees to a power ``alpha`` (their "density
normalisation"), so regions crowded with stories weigh less in the walk. Two stories on
the same beat then have a high cosine in this space even when they share few words, which
is the signal a reader's "related" expectation carries beyond word overlap.

A story added after the build is placed at the similarity-weighted mean of its graph
neighbours (a Nyström-style extension), so publishing one story needs no eigensolver.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

_DENSE_BELOW = 600


def graph_from_neighbours(neigh: np.ndarray, weights: np.ndarray, n: int) -> sp.csr_matrix:
    """Symmetric weighted graph from ``-1``-padded neighbour lists."""
    rows, slots = np.nonzero(neigh >= 0)
    cols = neigh[rows, slots]
    w = np.maximum(weights[rows, slots].astype(np.float64), 0.0)
    g = sp.csr_matrix((w, (rows, cols)), shape=(n, n))
    return g.maximum(g.T).tocsr()


def diffusion_embedding(
    graph: sp.csr_matrix, dim: int, t: float, seed: int = 0, alpha: float = 0.0
) -> np.ndarray:
    """Unit-length rows of the diffusion map of ``graph`` (zero rows for isolated nodes).

    ``alpha`` is Coifman & Lafon's density normalisation: each weight is first divided by
    the two stories' degrees to the power ``alpha`` (0: none; 1: the walk no longer
    depends on how densely a region is covered).
    """
    n = graph.shape[0]
    out = np.zeros((n, max(dim, 1)), dtype=np.float32)
    if alpha:
        graph = _density_normalised(graph.tocsr(), alpha)
    degree = np.asarray(graph.sum(axis=1)).ravel()
    connected = degree > 0
    if connected.sum() < 3 or dim <= 0:
        return out
    inv_sqrt = np.where(connected, 1.0 / np.sqrt(np.where(connected, degree, 1.0)), 0.0)
    norm = sp.diags(inv_sqrt) @ graph @ sp.diags(inv_sqrt)
    k = min(dim, int(connected.sum()) - 2)
    if n < _DENSE_BELOW:
        vals, vecs = np.linalg.eigh(norm.toarray())
        vals, vecs = vals[-k:], vecs[:, -k:]
    else:
        vals, vecs = _leading_eigenpairs(norm.tocsr(), k, seed)
    emb = vecs * np.clip(vals, 0.0, None) ** t
    lengths = np.linalg.norm(emb, axis=1, keepdims=True)
    emb = np.where(lengths > 1e-12, emb / np.maximum(lengths, 1e-12), 0.0)
    out[:, : emb.shape[1]] = emb
    return out


def _density_normalised(graph: sp.csr_matrix, alpha: float) -> sp.csr_matrix:
    """``graph`` with each weight divided by ``(degree_i * degree_j) ** alpha``."""
    degree = np.asarray(graph.sum(axis=1)).ravel()
    scale = np.zeros_like(degree)
    linked = degree > 0
    scale[linked] = degree[linked] ** -alpha
    rows = np.repeat(np.arange(graph.shape[0]), np.diff(graph.indptr))
    data = graph.data * scale[rows] * scale[graph.indices]
    return sp.csr_matrix((data, graph.indices, graph.indptr), shape=graph.shape)


def _leading_eigenpairs(
    norm: sp.csr_matrix, k: int, seed: int, iterations: int = 20, oversample: int = 16
) -> tuple[np.ndarray, np.ndarray]:
    """Leading eigenpairs of a symmetric matrix with spectrum in [-1, 1] by subspace
    (block power) iteration on ``(I + norm) / 2``, then Rayleigh-Ritz.

    Power iteration on the graph is itself a diffusion, so even where close eigenvalues
    have not separated, the subspace found is the one the diffusion map needs; it costs a
    few sparse products instead of an exact eigensolver's many restarts.
    """
    n = norm.shape[0]
    width = min(n, k + oversample)
    rng = np.random.default_rng(seed)
    op = norm.astype(np.float32)
    basis = _orthonormal(rng.standard_normal((n, width)).astype(np.float32))
    for step in range(iterations):
        basis = 0.5 * (basis + op @ basis)
        if step % 2 == 1 or step == iterations - 1:
            basis = _orthonormal(basis)
    small = (basis.T @ (op @ basis)).astype(np.float64)
    vals, vecs = np.linalg.eigh(0.5 * (small + small.T))
    return vals[-k:], basis.astype(np.float64) @ vecs[:, -k:]


def _orthonormal(block: np.ndarray) -> np.ndarray:
    """Orthonormal columns spanning ``block`` (Cholesky QR, twice for accuracy)."""
    for _ in range(2):
        gram = (block.T @ block).astype(np.float64)
        gram += np.eye(len(gram)) * 1e-10 * max(np.trace(gram), 1e-30)
        chol = np.linalg.cholesky(gram)
        block = np.linalg.solve(chol, block.T.astype(np.float64)).T.astype(np.float32)
    return block


def extend(embedding: np.ndarray, neigh: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Place new stories at the weighted mean of their neighbours' positions."""
    out = np.zeros((neigh.shape[0], embedding.shape[1]), dtype=np.float32)
    for i in range(neigh.shape[0]):
        ok = neigh[i] >= 0
        if not ok.any():
            continue
        w = np.maximum(weights[i, ok], 0.0)
        v = (embedding[neigh[i, ok]] * w[:, None]).sum(axis=0)
        length = np.linalg.norm(v)
        if length > 1e-12:
            out[i] = v / length
    return out
