"""Keeping the index current one story at a time, and knowing whose lists changed."""

from __future__ import annotations

from dataclasses import replace

from masthead.related.engine import Document, RelatedIndex

from .fixtures import NOW, corpus

NEW_DIPLOMACY = Document(
    id="new-diplomacy",
    title="Envoy brokers ceasefire at Geneva peace talks",
    body="The United Nations envoy brokered a ceasefire at peace talks in Geneva, where "
    "foreign ministers and diplomats agreed a treaty on the border and prisoner exchanges.",
)


def make_index(docs, **options) -> RelatedIndex:
    return RelatedIndex(clock=lambda: NOW, **options).build(docs)


def lists(index: RelatedIndex, k: int) -> dict:
    return {doc_id: [m.doc_id for m in index.related(doc_id, k)] for doc_id in index.ids}


def test_adding_stories_one_by_one_matches_a_rebuild_closely():
    docs, _ = corpus()
    held_back = [docs[1], docs[6], docs[9], docs[13]]
    incremental = make_index([d for d in docs if d not in held_back])
    for doc in held_back:
        incremental.add_or_update(doc)
    rebuilt = make_index(docs)
    a, b = lists(incremental, 3), lists(rebuilt, 3)
    assert a.keys() == b.keys()
    overlap = [len(set(a[i]) & set(b[i])) / 3 for i in a]
    assert sum(overlap) / len(overlap) >= 0.9
    assert all(o >= 2 / 3 for o in overlap)


def test_new_story_is_found_by_and_finds_its_beat():
    docs, beat_of = corpus()
    index = make_index(docs)
    index.add_or_update(NEW_DIPLOMACY)
    assert len(index) == len(docs) + 1
    found = [m.doc_id for m in index.related(NEW_DIPLOMACY.id, 3)]
    assert [beat_of[i] for i in found] == ["diplomacy"] * 3
    assert NEW_DIPLOMACY.id in [m.doc_id for m in index.related("diplomacy-2", 3)]


def test_affected_by_names_exactly_the_lists_the_new_story_entered():
    docs, beat_of = corpus()
    index = make_index(docs)
    index.add_or_update(NEW_DIPLOMACY)
    for k in (1, 3, 5):
        affected = set(index.affected_by(NEW_DIPLOMACY.id, k))
        expected = {
            i for i in index.ids if NEW_DIPLOMACY.id in [m.doc_id for m in index.related(i, k)]
        }
        assert affected == expected, k
    assert {beat_of[i] for i in index.affected_by(NEW_DIPLOMACY.id, 3)} == {"diplomacy"}
    assert NEW_DIPLOMACY.id not in index.affected_by(NEW_DIPLOMACY.id, 5)


def test_update_moves_a_story_and_affected_by_includes_lists_it_left():
    docs, beat_of = corpus()
    index = make_index(docs)
    was_in = {i for i in index.ids if "diplomacy-3" in [m.doc_id for m in index.related(i, 2)]}
    assert was_in
    assert {beat_of[i] for i in was_in} == {"diplomacy"}
    moved = replace(docs[3], title="Bushfire evacuations", body=docs[4].body + " Winds rose.")
    index.add_or_update(moved)
    assert len(index) == len(docs)
    now_in = {i for i in index.ids if "diplomacy-3" in [m.doc_id for m in index.related(i, 2)]}
    assert not now_in & {i for i in was_in if beat_of[i] == "diplomacy"}
    affected = set(index.affected_by("diplomacy-3", 2))
    assert was_in <= affected
    assert now_in <= affected
    found = [m.doc_id for m in index.related("diplomacy-3", 3)]
    assert {beat_of[i] for i in found} == {"bushfires"}


def test_remove_takes_a_story_out_of_every_list():
    docs, _ = corpus()
    index = make_index(docs)
    had_it = {i for i in index.ids if "appstores-1" in [m.doc_id for m in index.related(i, 3)]}
    index.remove("appstores-1")
    assert "appstores-1" not in index
    assert len(index) == len(docs) - 1
    for doc_id, stored in index.stored_related(index.stored_k):
        assert "appstores-1" not in [i for i, _ in stored], doc_id
    for doc_id in index.ids:
        assert "appstores-1" not in [m.doc_id for m in index.related(doc_id, 10)]
    assert set(index.affected_by("appstores-1", 3)) == had_it


def test_kept_lists_stay_equal_to_fresh_answers_through_changes():
    docs, _ = corpus()
    index = make_index(docs[:-3])
    for doc in docs[-3:]:
        index.add_or_update(doc)
    index.add_or_update(NEW_DIPLOMACY)
    index.remove("bushfires-2")
    for doc_id, stored in index.stored_related(3):
        fresh = [m.doc_id for m in index.related(doc_id, 3)]
        assert [i for i, _ in stored] == fresh, doc_id


def test_many_additions_merge_the_recent_segment_without_changing_answers():
    docs, _ = corpus()
    index = make_index(docs[:8])
    index.store.merge_at = 2
    for doc in docs[8:]:
        index.add_or_update(doc)
    assert index.store.n_main > 8  # merged at least once
    rebuilt = make_index(docs)
    a, b = lists(index, 2), lists(rebuilt, 2)
    assert sum(len(set(a[i]) & set(b[i])) for i in a) / (2 * len(a)) >= 0.85


def test_a_new_story_enters_only_lists_a_rebuild_could_give_it():
    # With few candidates per story, a new story must not slip into the list of a story
    # whose candidates (the stories closest to it in words) it would not be among.
    docs, _ = corpus()
    index = make_index(docs, candidates=3)
    index.add_or_update(NEW_DIPLOMACY)
    for k in (3, 5):
        entered = set(index.affected_by(NEW_DIPLOMACY.id, k))
        expected = {
            i for i in index.ids if NEW_DIPLOMACY.id in [m.doc_id for m in index.related(i, k)]
        }
        assert entered == expected, k
