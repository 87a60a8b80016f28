"""What the site asks of the engine besides ``related``: kept lists, batched explanations,
re-post checks, progress, and saving an index to disk."""

from __future__ import annotations

import os
import pickle
import signal
from dataclasses import replace

import pytest

from masthead.related.engine import RelatedIndex
from masthead.related.engine.parallel import map_chunks

from .fixtures import NOW, corpus


@pytest.fixture
def index() -> RelatedIndex:
    docs, _ = corpus()
    return RelatedIndex(clock=lambda: NOW).build(docs)


def test_kept_lists_agree_with_related(index):
    kept = index.kept(["diplomacy-0", "football-1", "nobody"], k=3)
    assert set(kept) == {"diplomacy-0", "football-1"}
    for doc_id, matches in kept.items():
        assert [m.doc_id for m in matches] == [m.doc_id for m in index.related(doc_id, 3)]
        assert all(m.shared_terms == () for m in matches)


def test_explain_in_a_batch_matches_one_pair_at_a_time(index):
    pairs = [("diplomacy-0", "diplomacy-2"), ("bushfires-1", "bushfires-3")]
    explained = index.explain(pairs)
    for (a, b), terms in zip(pairs, explained, strict=True):
        one = next(m for m in index.related(a, 5) if m.doc_id == b)
        assert terms == one.shared_terms
        assert terms
    assert index.explain([]) == []


def test_explain_in_a_batch_keeps_each_pair_apart(index):
    """Pairs sharing nothing, pairs sharing much, repeated pairs: each answer is the one
    pair's own strongest terms, in the order ``shared_terms`` gives them."""
    ids = ["diplomacy-0", "football-1", "bushfires-1", "diplomacy-2", "bushfires-3"]
    pairs = [(a, b) for a in ids for b in ids if a != b] + [("diplomacy-0", "diplomacy-2")]
    explained = index.explain(pairs)
    assert len(explained) == len(pairs)
    assert any(terms == () for terms in explained)
    assert any(len(terms) > 1 for terms in explained)
    for (a, b), terms in zip(pairs, explained, strict=True):
        assert terms == index.shared_terms(index._row_of(a), index._row_of(b))
        assert len(terms) <= index.explain_terms


def test_reposts_are_copies_of_the_text_whatever_the_headline():
    docs, _ = corpus()
    repost = replace(docs[0], id="repost", title="A different headline entirely")
    index = RelatedIndex(clock=lambda: NOW).build([*docs, repost])
    first, other = docs[0].id, docs[1].id
    assert index.copy_among("repost", [other, "unknown", first])
    assert index.copy_among(first, ["repost"])
    assert not index.copy_among("repost", [other, "repost"])  # itself is no copy
    assert not index.copy_among(other, [first, "repost"])
    assert not index.copy_among("unknown", [first])
    # A story published later that re-posts one already indexed; then one removed.
    index.add_or_update(replace(docs[0], id="again", title="Once more"))
    assert index.copy_among("again", [other, first])
    assert index.copy_among("repost", ["again"])
    index.remove(first)
    assert not index.copy_among("again", [first])
    assert index.copy_among("again", ["repost"])


def test_copies_within_a_list_answer_as_copy_among_does():
    docs, _ = corpus()
    reposts = [
        replace(docs[0], id="repost", title="A different headline entirely"),
        replace(docs[0], id="again", title="Once more"),
        replace(docs[3], id="third", title="Another re-post"),
        replace(docs[3], id="empty", title="Nothing", body=""),
        replace(docs[4], id="empty-too", title="Nothing either", body=""),
    ]
    index = RelatedIndex(clock=lambda: NOW).build([*docs, *reposts])
    ids = [d.id for d in docs[:6]] + [r.id for r in reposts] + ["unknown"]
    copies = index.copies_within(ids)
    assert copies["repost"] == {docs[0].id, "again"}
    assert copies["third"] == {docs[3].id}
    for doc_id in ids:
        for other in ids:
            expected = index.copy_among(doc_id, [other])
            assert (other in copies.get(doc_id, ())) == expected, (doc_id, other)


def test_copies_among_answers_for_each_story_as_copy_among_does():
    docs, _ = corpus()
    reposts = [
        replace(docs[0], id="repost", title="A different headline entirely"),
        replace(docs[3], id="third", title="Another re-post"),
        replace(docs[3], id="empty", title="Nothing", body=""),
        replace(docs[4], id="empty-too", title="Nothing either", body=""),
    ]
    index = RelatedIndex(clock=lambda: NOW).build([*docs, *reposts])
    ids = [d.id for d in docs[:6]] + [r.id for r in reposts] + ["unknown"]
    for shown in ([], [docs[0].id], [docs[0].id, "third", "unknown"], ids):
        expected = [index.copy_among(doc_id, shown) for doc_id in ids]
        assert index.copies_among(ids, shown) == expected
    found = index.copies_among(ids, [docs[0].id, "third"])
    assert {doc_id for doc_id, copy in zip(ids, found, strict=True) if copy} == {
        "repost",
        docs[3].id,
    }
    assert index.copies_among([], ids) == []


def test_build_reports_progress_of_its_long_phases():
    docs, _ = corpus()
    seen = []
    RelatedIndex(clock=lambda: NOW).build(docs, progress=lambda *p: seen.append(p))
    assert ("analysis", len(docs), len(docs)) in seen
    assert ("candidates", len(docs), len(docs)) in seen


def test_a_pickled_index_answers_the_same_and_keeps_working(index):
    loaded = pickle.loads(pickle.dumps(index))  # noqa: S301 (the clock, a lambda, is not saved)
    loaded.clock = lambda: NOW
    for doc_id in index.ids:
        assert loaded.related(doc_id, 4) == index.related(doc_id, 4)
    loaded.remove("diplomacy-1")
    assert "diplomacy-1" not in loaded
    assert "diplomacy-1" in index


def _handler(_state, _chunk):
    return signal.getsignal(signal.SIGTERM) == signal.SIG_DFL, os.getpid()


def test_worker_processes_do_not_inherit_the_parents_signal_handlers():
    previous = signal.signal(signal.SIGTERM, lambda *args: None)
    try:
        results = map_chunks(_handler, None, [1, 2], workers=2)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert all(default for default, _ in results)
    assert all(pid != os.getpid() for _, pid in results)
