"""RelatedIndex: relatedness, exclusions, recency, incremental updates, affected_by."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from masthead.related.engine import Document, RelatedIndex

from .fixtures import NOW, corpus


def make_index(docs, **options) -> RelatedIndex:
    return RelatedIndex(clock=lambda: NOW, **options).build(docs)


@pytest.fixture
def stories():
    return corpus()


def test_each_story_finds_its_own_beat(stories):
    docs, beat_of = stories
    index = make_index(docs)
    for doc in docs:
        others = sum(beat == beat_of[doc.id] for beat in beat_of.values()) - 1
        found = index.related(doc.id, others)
        assert len(found) == others
        assert [beat_of[m.doc_id] for m in found] == [beat_of[doc.id]] * others, doc.id


def test_diplomacy_finds_diplomacy_not_bushfires_or_app_stores(stories):
    docs, beat_of = stories
    index = make_index(docs)
    found = index.related("diplomacy-0", 10)
    beats = [beat_of[m.doc_id] for m in found]
    assert beats[:3] == ["diplomacy"] * 3
    assert "bushfires" not in beats[:3]
    assert "appstores" not in beats[:3]


def test_scores_are_descending_and_explained(stories):
    docs, _ = stories
    index = make_index(docs)
    found = index.related("diplomacy-0", 3)
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1.0 for s in scores)
    shared = {t.lower() for m in found for t in m.shared_terms}
    assert shared & {"geneva", "ceasefire", "united nations", "foreign ministers", "envoy"}
    assert all(len(m.shared_terms) <= index.explain_terms for m in found)


def test_never_returns_itself_and_k_zero_is_empty(stories):
    docs, _ = stories
    index = make_index(docs)
    assert all(m.doc_id != "football-0" for m in index.related("football-0", 50))
    assert index.related("football-0", 0) == []
    assert len(index.related("football-0", 50)) <= len(docs) - 1


def test_near_duplicate_repost_is_excluded_even_under_a_new_headline(stories):
    docs, _ = stories
    original = docs[0]
    repost = Document(id="repost", title="READ: talks in Geneva", body=original.body + " Updated.")
    index = make_index([*docs, repost])
    assert "repost" not in [m.doc_id for m in index.related(original.id, 10)]
    assert original.id not in [m.doc_id for m in index.related("repost", 10)]
    # ...while stories on the same subject with different wording are kept
    assert next(m.doc_id for m in index.related("repost", 2)).startswith("diplomacy")


def test_near_duplicate_threshold_can_be_raised_to_allow_reposts(stories):
    docs, _ = stories
    repost = Document(id="repost", title="Copy", body=docs[0].body)
    index = make_index([*docs, repost], duplicate_jaccard=1.01)
    assert "repost" in [m.doc_id for m in index.related(docs[0].id, 1)]


def test_exclude_ids_are_skipped_and_the_list_is_filled_from_further_down(stories):
    docs, _ = stories
    index = make_index(docs)
    before = [m.doc_id for m in index.related("bushfires-0", 3)]
    after = [m.doc_id for m in index.related("bushfires-0", 3, exclude_ids=before[:2])]
    assert not set(before[:2]) & set(after)
    assert len(after) == 3
    assert after[0] == before[2]
    assert index.related("bushfires-0", 3, exclude_ids=["no-such-story"]) == index.related(
        "bushfires-0", 3
    )


def test_recent_story_wins_among_equally_related(stories):
    docs, _ = stories
    body = "Firefighters say bushfire smoke and drought threaten homes as winds rise."
    old = Document(
        id="old", title="Smoke warning", body=body, published_at=NOW - timedelta(days=900)
    )
    new = Document(id="new", title="Smoke warning", body=body, published_at=NOW - timedelta(days=2))
    query = replace(docs[4], published_at=NOW)  # bushfires-0
    index = make_index([*docs[:4], query, *docs[5:], old, new], duplicate_jaccard=1.01)
    found = {m.doc_id: m.score for m in index.related(query.id, 10)}
    assert found["new"] > found["old"]
    ids = [m.doc_id for m in index.related(query.id, 10)]
    assert ids.index("new") < ids.index("old")


def test_recency_is_a_mild_preference_not_a_filter(stories):
    docs, beat_of = stories
    aged = [replace(d, published_at=NOW - timedelta(days=3000)) for d in docs[:4]]
    index = make_index(aged + docs[4:])
    found = index.related("diplomacy-0", 3)
    assert [beat_of[m.doc_id] for m in found] == ["diplomacy"] * 3


def test_unknown_story_and_option_errors(stories):
    docs, _ = stories
    index = make_index(docs)
    with pytest.raises(KeyError, match="not in the related-stories index"):
        index.related("nope")
    with pytest.raises(KeyError):
        index.remove("nope")
    with pytest.raises(TypeError, match="no option 'titel_weight'"):
        RelatedIndex(titel_weight=3)
    with pytest.raises(ValueError, match="between 1 and stored_k"):
        index.affected_by("diplomacy-0", 0)
    with pytest.raises(ValueError, match="between 1 and stored_k"):
        index.affected_by("diplomacy-0", index.stored_k + 1)


def test_build_keeps_the_last_of_repeated_ids_and_an_empty_build_works(stories):
    docs, _ = stories
    changed = replace(docs[0], title="Football derby", body=docs[-1].body)
    index = make_index([*docs, changed])
    assert len(index) == len(docs)
    assert index.related(docs[0].id, 1)[0].doc_id.startswith("football")
    empty = make_index([])
    assert len(empty) == 0
    single = make_index(docs[:1])
    assert single.related(docs[0].id, 3) == []


def test_stored_lists_match_fresh_answers_after_build(stories):
    docs, _ = stories
    index = make_index(docs)
    for doc_id, stored in index.stored_related(4):
        assert [i for i, _ in stored] == [m.doc_id for m in index.related(doc_id, 4)]


def test_shared_tags_and_section_count_and_are_explained(stories):
    docs, _ = stories
    tagged = [
        replace(docs[0], tags=["Geneva talks"], section="World"),
        replace(docs[8], tags=["Geneva talks"], section="World"),  # an app-store story
    ]
    index = make_index([*tagged, *docs[1:8], *docs[9:]])
    plain = make_index(docs)
    with_tags = [m.doc_id for m in index.related(docs[0].id, 20)]
    without = [m.doc_id for m in plain.related(docs[0].id, 20)]
    assert docs[8].id in with_tags
    # the shared tag and section pull the otherwise unrelated story up the list
    assert docs[8].id not in without or with_tags.index(docs[8].id) < without.index(docs[8].id)
    explained = index.related(docs[0].id, 20)[with_tags.index(docs[8].id)].shared_terms
    assert "#geneva talks" in explained
    assert "section: world" in explained
