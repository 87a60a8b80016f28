"""The diffusion map of the story graph, with and without density normalisation."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from masthead.related.engine.embedding import _density_normalised, diffusion_embedding


def two_beats() -> sp.csr_matrix:
    """A crowded beat (8 stories, all linked) and a sparse one (a ring of 6), plus one
    story linked to nothing."""
    n = 15
    g = sp.lil_matrix((n, n))
    for i in range(8):
        for j in range(8):
            if i != j:
                g[i, j] = 0.9
    for i in range(6):
        a, b = 8 + i, 8 + (i + 1) % 6
        g[a, b] = g[b, a] = 0.5
    return g.tocsr()


def test_density_normalisation_divides_each_weight_by_both_degrees():
    g = sp.csr_matrix(np.array([[0.0, 2.0, 1.0], [2.0, 0.0, 0.0], [1.0, 0.0, 0.0]]))
    degree = np.array([3.0, 2.0, 1.0])
    got = _density_normalised(g, 1.0).toarray()
    assert got == pytest.approx(g.toarray() / np.outer(degree, degree))
    assert _density_normalised(g, 0.0).toarray() == pytest.approx(g.toarray())


@pytest.mark.parametrize("alpha", [0.0, 0.25, 1.0])
def test_each_beat_stays_together_and_apart_from_the_other(alpha):
    emb = diffusion_embedding(two_beats(), dim=4, t=4.0, alpha=alpha)
    crowded, sparse = emb[:8], emb[8:14]
    assert np.linalg.norm(emb[:14], axis=1) == pytest.approx(np.ones(14), abs=1e-5)
    assert (crowded @ crowded.T).min() > 0.95
    assert (sparse @ sparse.T).min() > 0.95
    assert np.abs(crowded @ sparse.T).max() < 0.01
    assert not emb[14].any()  # a story linked to nothing has no place on the map


@pytest.mark.parametrize(
    ("option", "keyword", "default", "value"),
    [("diffusion_alpha", "alpha", 0.25, 0.5), ("embedding_seed", "seed", 0, 3)],
)
def test_the_index_passes_its_map_options_to_the_map(monkeypatch, option, keyword, default, value):
    from masthead.related.engine import Document, RelatedIndex, index

    seen = []
    real = index.diffusion_embedding

    def spy(graph, dim, t, **kwargs):
        seen.append(kwargs.get(keyword))
        return real(graph, dim, t, **kwargs)

    monkeypatch.setattr(index, "diffusion_embedding", spy)
    docs = [Document(id=i, title=f"Story {i}", body="rates rise again") for i in range(3)]
    RelatedIndex().build(docs)
    RelatedIndex(**{option: value}).build(docs)
    assert seen == [default, value]
