"""Editors pin and exclude related stories on the article's change page, and see why each
stored link was chosen."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from masthead.newsroom.models import Article
from masthead.newsroom.tests.test_admin import article_form, login
from masthead.related.models import RelatedExclusion, RelatedLink, RelatedPin
from masthead.related.services import related_rebuild

from .stories import newsroom, stored

pytestmark = pytest.mark.django_db


def change_url(article: Article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


def form_for(article: Article, **extra) -> dict:
    when = timezone.localtime(article.published_at)
    data = article_form(
        article.section,
        headline=article.headline,
        slug=article.slug,
        body=article.body,
        status=article.status,
        published_at=when,
    )
    data.update(extra)
    return data


def test_the_change_page_explains_each_stored_link(client):
    stories = newsroom(["diplomacy", "bushfires"])
    related_rebuild()
    login(client, "Author")
    article = stories["diplomacy-0"]
    html = client.get(change_url(article)).content.decode()
    first = RelatedLink.objects.select_related("target").get(article=article, rank=0)
    assert "Shown with this story" in html
    assert first.target.headline in html
    assert "Chosen from the content" in html
    assert f"{first.score:.3f}" in html
    assert ", ".join(first.shared_terms) in html
    assert "Same section (nothing more related)" in html or "Latest story" in html


def test_before_publication_the_page_says_when_links_appear(client):
    login(client, "Editor")
    draft = newsroom(["football"])["football-0"]
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    html = client.get(change_url(draft)).content.decode()
    assert "None stored yet" in html


def test_editor_pins_and_excludes_and_the_list_follows(
    client, immediate_tasks, django_capture_on_commit_callbacks
):
    stories = newsroom(["diplomacy", "football"])
    related_rebuild()
    login(client, "Editor")
    article = stories["diplomacy-1"]
    unwanted = stored(article)[0]
    pinned = stories["football-2"]
    data = form_for(
        article,
        **{
            "related_pins-TOTAL_FORMS": "1",
            "related_pins-0-target": str(pinned.pk),
            "related_pins-0-position": "0",
            "related_exclusions-TOTAL_FORMS": "1",
            "related_exclusions-0-target": str(unwanted),
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert RelatedPin.objects.filter(article=article, target=pinned).exists()
    assert RelatedExclusion.objects.filter(article=article, target_id=unwanted).exists()
    assert stored(article)[0] == pinned.pk
    assert unwanted not in stored(article)


def test_a_story_cannot_be_pinned_to_itself(client):
    stories = newsroom(["diplomacy"])
    login(client, "Editor")
    article = stories["diplomacy-0"]
    data = form_for(
        article,
        **{"related_pins-TOTAL_FORMS": "1", "related_pins-0-target": str(article.pk)},
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "A story can&#x27;t be related to itself." in response.content.decode()
    assert not RelatedPin.objects.exists()


def test_a_story_cannot_be_both_pinned_and_excluded(client):
    stories = newsroom(["diplomacy", "football"])
    login(client, "Editor")
    article, other = stories["diplomacy-0"], stories["football-0"]
    both = {
        "related_pins-TOTAL_FORMS": "1",
        "related_pins-0-target": str(other.pk),
        "related_pins-0-position": "0",
        "related_exclusions-TOTAL_FORMS": "1",
        "related_exclusions-0-target": str(other.pk),
    }
    response = client.post(change_url(article), form_for(article, **both))
    assert response.status_code == 200
    assert "is both pinned and excluded: keep one of the two." in response.content.decode()
    assert not RelatedPin.objects.exists()
    assert not RelatedExclusion.objects.exists()
    # Removing the pin in the same form makes the exclusion fine.
    response = client.post(
        change_url(article), form_for(article, **both, **{"related_pins-0-DELETE": "on"})
    )
    assert response.status_code == 302
    assert RelatedExclusion.objects.filter(article=article, target=other).exists()
