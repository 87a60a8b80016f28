"""Publish, edit, unpublish, delete, pin, exclude: the lists follow, one story at a time,
in a background task after the commit, without a full rebuild."""

from __future__ import annotations

import pytest

from masthead.newsroom import services as newsroom
from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article
from masthead.related import lists
from masthead.related.conf import stored_length
from masthead.related.lease import STATE
from masthead.related.models import (
    IndexChange,
    IndexState,
    RelatedExclusion,
    RelatedLink,
    RelatedPin,
)
from masthead.related.services import related_rebuild, related_update

from .stories import body_of, section_for, stored
from .stories import newsroom as make_newsroom

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]
Status = Article.Status

NEW_DIPLOMACY = (
    "Envoy brokers ceasefire at Geneva peace talks",
    "The United Nations envoy brokered a ceasefire at peace talks in Geneva, where foreign "
    "ministers and diplomats agreed a treaty on the border and prisoner exchanges",
)


@pytest.fixture
def site():
    stories = make_newsroom()
    related_rebuild()
    return stories


def generation() -> int:
    return IndexState.objects.get(name=STATE).generation


def publish_new_diplomacy(capture) -> Article:
    draft = make_article(
        headline=NEW_DIPLOMACY[0],
        body=body_of(NEW_DIPLOMACY[1]),
        section=section_for("diplomacy"),
        status=Status.DRAFT,
    )
    with capture(execute=True):
        newsroom.article_publish(article=draft)
    return draft


def showing(article: Article) -> set[int]:
    return set(RelatedLink.objects.filter(target=article).values_list("article_id", flat=True))


def test_publishing_fills_its_list_and_the_lists_it_belongs_in(
    site, django_capture_on_commit_callbacks
):
    before = generation()
    new = publish_new_diplomacy(django_capture_on_commit_callbacks)
    diplomacy = {site[f"diplomacy-{n}"].pk for n in range(4)}
    assert set(stored(new)[:3]) <= diplomacy
    assert len(stored(new)) == stored_length()
    entered = showing(new)
    assert entered & diplomacy, "the new story joins its beat's lists"
    assert generation() == before, "no full rebuild"
    assert list(IndexChange.objects.values_list("article_id", flat=True)) == [new.pk]


def test_unpublishing_takes_the_story_out_of_every_list(site, django_capture_on_commit_callbacks):
    story = site["diplomacy-2"]
    assert showing(story)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.article_unpublish(article=story)
    assert not showing(story)
    assert stored(story) == []
    for article in site.values():
        if article.pk != story.pk:
            assert len(stored(article)) == stored_length(), article.slug


def test_deleting_takes_the_story_out_of_every_list(site, django_capture_on_commit_callbacks):
    story = site["bushfires-1"]
    were_showing = showing(story)
    assert were_showing
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.article_delete(article=story)
    assert not RelatedLink.objects.filter(target__isnull=True).exists()
    for article in Article.objects.filter(pk__in=were_showing):
        assert len(stored(article)) == stored_length()


def test_republishing_puts_it_back(site, django_capture_on_commit_callbacks):
    story = site["appstores-1"]
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.article_unpublish(article=story)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.article_publish(article=story)
    assert showing(story)
    assert len(stored(story)) == stored_length()


def test_an_exclusion_recomputes_the_list_after_the_commit(
    site, django_capture_on_commit_callbacks
):
    article = site["football-0"]
    first = stored(article)[0]
    with django_capture_on_commit_callbacks(execute=True):
        RelatedExclusion.objects.create(article=article, target_id=first)
    assert first not in stored(article)
    assert len(stored(article)) == stored_length()
    assert IndexChange.objects.count() == 0, "the story itself did not change"


def test_a_new_headline_purges_the_pages_that_link_to_the_story(
    site, django_capture_on_commit_callbacks, monkeypatch
):
    purged = []
    monkeypatch.setattr(lists, "purge", lambda *groups: purged.extend(groups))
    story = site["appstores-0"]
    linking = Article.objects.filter(pk__in=showing(story)).values_list("slug", flat=True)
    story.headline = "Regulators widen their probe of app store fees"
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.article_save(article=story)
    assert {f"article:{slug}" for slug in linking} <= set(purged)


def test_unchanged_lists_are_not_rewritten(site):
    report = related_update(article_id=site["football-2"].pk, reindex=False)
    assert report["written"] == 0


def test_a_scheduled_story_joins_the_lists_when_it_goes_live(
    site, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    scheduled = make_article(
        headline=NEW_DIPLOMACY[0],
        body=body_of(NEW_DIPLOMACY[1]),
        section=section_for("diplomacy"),
        status=Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    related_update(article_id=scheduled.pk)  # e.g. a task for it ran early: no effect
    assert not showing(scheduled)
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert newsroom.article_publish_due() == 1
    assert showing(scheduled)
    assert len(stored(scheduled)) == stored_length()


def test_a_pinned_draft_appears_once_published(site, django_capture_on_commit_callbacks):
    article = site["football-1"]
    draft = make_article(headline="Cup final preview", status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        RelatedPin.objects.create(article=article, target=draft)
    assert draft.pk not in stored(article)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.article_publish(article=draft)
    assert stored(article)[0] == draft.pk


def test_a_list_that_changes_purges_the_page_that_shows_it(
    site, django_capture_on_commit_callbacks, monkeypatch
):
    purged = []
    monkeypatch.setattr(lists, "purge", lambda *groups: purged.extend(groups))
    article = site["bushfires-2"]
    with django_capture_on_commit_callbacks(execute=True):
        RelatedExclusion.objects.create(article=article, target_id=stored(article)[0])
    assert purged == [f"article:{article.slug}"]
    purged.clear()
    related_update(article_id=article.pk, reindex=False)  # nothing changed: no purge
    assert purged == []
