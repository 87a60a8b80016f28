"""The story list and the story form's role rules: drafts on top, a "mine" filter, only
editors pin, new stories get their writer's byline, and a story goes with its comments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from masthead.discussion.models import Comment
from masthead.newsroom.models import Article, Byline
from masthead.newsroom.tests.factories import make_article, make_author, make_section
from masthead.newsroom.tests.test_admin import ADD_URL, article_form, login

pytestmark = pytest.mark.django_db
Status = Article.Status
LIST_URL = reverse("admin:newsroom_article_changelist")


def listed(client, query: str = "") -> list[str]:
    response = client.get(LIST_URL + query)
    assert response.status_code == 200
    return [article.headline for article in response.context["cl"].result_list]


def test_drafts_and_scheduled_stories_come_before_the_archive(client):
    login(client, "Editor")
    make_article(headline="Old published")
    make_article(headline="A draft", status=Status.DRAFT)
    make_article(
        headline="Scheduled",
        status=Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    make_article(headline="Another draft", status=Status.DRAFT)
    assert listed(client) == ["Another draft", "A draft", "Scheduled", "Old published"]


def test_the_mine_filter_shows_stories_i_created_or_write(client):
    user = login(client, "Editor")
    me = make_author("Me", user=user)
    make_article(headline="Bylined to me", authors=[me])
    make_article(headline="Created by me", created_by=user)
    make_article(headline="Someone else's")
    assert sorted(listed(client, "?mine=yes")) == ["Bylined to me", "Created by me"]
    assert len(listed(client)) == 3


@pytest.mark.parametrize("role", ["Author", "Contributor"])
def test_writers_cannot_pin_a_story(client, role):
    login(client, role)
    section = make_section()
    status = Status.PUBLISHED if role == "Author" else Status.DRAFT
    response = client.post(ADD_URL, article_form(section, status=status, pinned="on"))
    assert response.status_code == 302
    assert Article.objects.get(slug="a-new-story").pinned is False
    page = client.get(ADD_URL).content.decode()
    assert 'name="pinned"' not in page


def test_editors_pin_a_story(client):
    login(client, "Editor")
    section = make_section()
    response = client.post(ADD_URL, article_form(section, status=Status.PUBLISHED, pinned="on"))
    assert response.status_code == 302
    assert Article.objects.get(slug="a-new-story").pinned is True


def test_a_new_story_gets_its_writers_byline(client):
    user = login(client, "Author")
    author = make_author("Sam Writer", user=user)
    client.post(ADD_URL, article_form(make_section(), status=Status.PUBLISHED))
    story = Article.objects.get(slug="a-new-story")
    assert story.byline_authors() == [author]


def test_a_chosen_byline_is_kept_and_a_user_without_profile_gets_none(client):
    user = login(client, "Author")
    make_author("Sam Writer", user=user)
    other = make_author("Chosen Writer")
    section = make_section()
    client.post(
        ADD_URL,
        article_form(
            section,
            **{
                "bylines-TOTAL_FORMS": "1",
                "bylines-0-author": other.pk,
                "bylines-0-position": "0",
            },
        ),
    )
    assert Article.objects.get(slug="a-new-story").byline_authors() == [other]
    client.force_login(login(Client(), "Editor", "ed"))
    client.post(ADD_URL, article_form(section, slug="second", headline="Second"))
    assert not Byline.objects.filter(article__slug="second").exists()


def comment_on(story: Article, n: int) -> None:
    for i in range(n):
        Comment.objects.create(
            article=story, author_name=f"Reader {i}", body="Nice", status=Comment.Status.APPROVED
        )


@pytest.mark.parametrize("role", ["Editor", "Author"])
def test_a_story_is_deleted_with_its_comments_and_the_page_says_how_many(client, role):
    user = login(client, role)
    story = make_article(headline="Harbour story", created_by=user)
    comment_on(story, 2)
    url = reverse("admin:newsroom_article_delete", args=[story.pk])
    page = client.get(url).content.decode()
    assert "permission to delete" not in page
    assert "Its 2 comments will be deleted with it" in page
    assert "unpublish it instead" in page
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=story.pk).exists()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("belongs", ["subscription", "old address"])
def test_an_author_deletes_their_story_with_all_that_belongs_to_it(client, belongs):
    """A story drags more than comments with it: follow-up subscriptions, and the redirects
    from its old addresses (made when a live story's slug changes), need no permission of
    their own either."""
    from masthead.discussion.models import Subscription
    from masthead.importers.models import Redirect

    user = login(client, "Author")
    story = make_article(headline="Harbour story", created_by=user)
    if belongs == "subscription":
        Subscription.objects.create(article=story, email="a@example.net")
    else:
        Redirect.objects.create(old_path="/2020/01/01/old/", article=story, source="newsroom")
    url = reverse("admin:newsroom_article_delete", args=[story.pk])
    assert "permission to delete" not in client.get(url).content.decode()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=story.pk).exists()
    assert not Subscription.objects.exists()
    assert not Redirect.objects.exists()


def test_bulk_delete_takes_the_comments_too(client):
    login(client, "Editor")
    stories = [make_article(), make_article()]
    comment_on(stories[0], 1)
    data = {"action": "delete_selected", "_selected_action": [s.pk for s in stories]}
    page = client.post(LIST_URL, data).content.decode()
    assert "permission to delete" not in page
    assert "Comments: 1" in page
    client.post(LIST_URL, {**data, "post": "yes"})
    assert not Article.objects.exists()


def test_an_author_still_cannot_delete_someone_elses_story(client):
    login(client, "Author")
    story = make_article()
    comment_on(story, 1)
    url = reverse("admin:newsroom_article_delete", args=[story.pk])
    assert client.get(url).status_code == 403


def test_the_body_editor_keeps_the_browsers_spell_check(client):
    login(client, "Editor")
    page = client.get(ADD_URL).content.decode()
    assert "data-django-prose-editor" in page
    assert "NoSpellCheck" not in page
    assert "&quot;Bold&quot;" in page or '"Bold"' in page
