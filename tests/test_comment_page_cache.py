"""Cached story pages and comments: the form does not stop caching, a published comment
purges the page at once, and a reader with a pending comment gets a page of their own."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.moderation import comment_moderate
from masthead.discussion.tokens import form_token
from masthead.newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600


def comment(client, story, body: str, n: int):
    return client.post(
        f"/comments/post/{story.pk}/",
        {
            "body": body,
            "author_name": f"R{n}",
            "author_email": f"r{n}@example.net",
            "issued": form_token(story.pk, issued_at=time.time() - 60),
        },
        REMOTE_ADDR=f"198.51.100.{n}",
    )


def hold_every_comment() -> None:
    config = DiscussionSettings.load()
    config.hold_all, config.auto_approve_known = True, False
    config.save()


def test_a_published_comment_purges_the_story_and_its_lists():
    story = make_article(headline="Cached story", section=make_section(slug="city"))
    reader = Client()
    url = story.get_absolute_url()
    for page in (url, "/section/city/"):
        reader.get(page)
        assert reader.get(page)["X-Page-Cache"] == "hit"
    assert comment(Client(), story, "Fresh comment", 1).status_code == 302
    page = reader.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Fresh comment" in page.content.decode()
    assert "1 comment<" in reader.get("/section/city/").content.decode()


def test_a_pending_comment_is_never_served_from_or_into_the_cache():
    hold_every_comment()
    story = make_article(headline="Moderated story")
    url = story.get_absolute_url()
    author, other = Client(), Client()
    other.get(url)
    assert comment(author, story, "Wait for me", 2).status_code == 302
    mine = author.get(url)
    assert "X-Page-Cache" not in mine
    assert "private" in mine["Cache-Control"]
    assert "Wait for me" in mine.content.decode()
    theirs = other.get(url)
    assert theirs["X-Page-Cache"] == "hit"
    assert "Wait for me" not in theirs.content.decode()


def test_changing_the_discussion_settings_purges_story_pages():
    story = make_article(headline="Open story")
    reader = Client()
    reader.get(story.get_absolute_url())
    assert reader.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    config = DiscussionSettings.load()
    config.comments_enabled = False
    config.save()
    page = reader.get(story.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "Comments are closed." in page.content.decode()


def test_approving_a_held_comment_in_moderation_purges_the_story_page():
    hold_every_comment()
    story = make_article(headline="Moderated later")
    url = story.get_absolute_url()
    reader = Client()
    reader.get(url)
    assert comment(Client(), story, "Held until a moderator looks", 3).status_code == 302
    assert reader.get(url)["X-Page-Cache"] == "hit"
    held = Comment.objects.get(body="Held until a moderator looks")
    assert comment_moderate(comment=held, action="approve")
    page = reader.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Held until a moderator looks" in page.content.decode()


def test_after_posting_without_javascript_the_reader_never_gets_a_cached_copy():
    story = make_article(headline="Busy story")
    url = story.get_absolute_url()
    author = Client()
    author.get(url)
    cached = author.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert "max-age" in cached["Cache-Control"]  # a browser may reuse this copy for a minute
    response = comment(author, story, "Seen straight away", 4)
    target = response["Location"]
    # Not the address the browser has a fresh copy of, and not one any cache has seen.
    assert target.split("#")[0] != url
    assert "posted=" in target
    author.cookies.clear()  # no cookie either: the address alone keeps the copy fresh
    page = author.get(target.split("#")[0])
    assert "X-Page-Cache" not in page
    assert "private" in page["Cache-Control"]
    assert "Seen straight away" in page.content.decode()
