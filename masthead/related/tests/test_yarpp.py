"""The YARPP-style baseline: keywords, weights, threshold."""

from __future__ import annotations

from masthead.related.engine import Document, YarppIndex
from masthead.related.engine.yarpp import keywords

from .fixtures import corpus


def test_keywords_are_the_most_frequent_non_stop_words():
    text = "Budget budget BUDGET tax tax the the the a I cuts"
    assert keywords(text, limit=2) == ["budget", "tax"]
    assert "the" not in keywords(text)
    assert "i" not in keywords(text)  # one-letter words are dropped


def test_defaults_follow_the_plugin():
    y = YarppIndex()
    assert (y.title_weight, y.body_weight, y.tag_weight, y.category_weight) == (1, 1, 1, 1)
    assert y.threshold == 4
    assert y.keyword_limit == 20


def test_related_posts_share_keywords_and_pass_the_threshold():
    docs, beat_of = corpus()
    index = YarppIndex(threshold=0.1).build(docs)
    found = index.related("bushfires-0", 2)
    assert [beat_of[m.doc_id] for m in found] == ["bushfires", "bushfires"]
    assert all(m.shared_terms for m in found)
    strict = YarppIndex(threshold=1000).build(docs)
    assert strict.related("bushfires-0", 2) == []


def test_shared_tags_and_section_add_their_weights():
    docs = [
        Document(id=1, title="Alpha", body="nothing here", tags=["x", "y"], section="s"),
        Document(id=2, title="Beta", body="other words", tags=["x", "y"], section="s"),
        Document(id=3, title="Gamma", body="more text", tags=["z"]),
    ]
    index = YarppIndex(threshold=0).build(docs)
    found = index.related(1, 5)
    assert found[0].doc_id == 2
    assert found[0].score == 3.0  # two shared tags + one shared category
    # nothing else shares a keyword, tag or category: no score reaches the 0.1 floor
    assert index.related(1, 5, exclude_ids=[2]) == []
