"""A comment's lasting address, /comments/<id>/: it finds the page of comments the comment is
on, and feeds, subscriber emails and the admin link to it."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.discussion import moderation
from masthead.discussion.models import Comment, DiscussionSettings, Subscription
from masthead.discussion.tests.conftest import make_comment, update
from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db
Status = Comment.Status


def threads(article, n: int) -> list[Comment]:
    start = timezone.now() - timedelta(hours=1)
    return [make_comment(article, created_at=start + timedelta(minutes=i)) for i in range(n)]


def landing(client, comment: Comment) -> str:
    response = client.get(f"/comments/{comment.pk}/")
    assert response.status_code == 302
    assert response["Cache-Control"].startswith("max-age=0")
    return response["Location"]


def test_a_comment_link_lands_on_the_page_that_shows_it(client, article, config):
    update(config, per_page=3)
    comments = threads(article, 7)
    reply = make_comment(article, parent=comments[4])
    story = article.get_absolute_url()
    assert comments[2].get_absolute_url() == f"/comments/{comments[2].pk}/"
    assert landing(client, comments[2]) == f"{story}#comment-{comments[2].pk}"
    assert landing(client, comments[3]) == f"{story}?cpage=2#comment-{comments[3].pk}"
    assert landing(client, reply) == f"{story}?cpage=2#comment-{reply.pk}"
    assert landing(client, comments[6]) == f"{story}?cpage=3#comment-{comments[6].pk}"
    page = client.get(landing(client, reply).split("#")[0]).content.decode()
    assert f'id="comment-{reply.pk}"' in page


def test_newest_first_and_one_page_are_followed(client, article, config):
    comments = threads(article, 4)
    story = article.get_absolute_url()
    assert landing(client, comments[0]) == f"{story}#comment-{comments[0].pk}"
    update(config, per_page=3, order=DiscussionSettings.Order.NEWEST)
    assert landing(client, comments[0]) == f"{story}?cpage=2#comment-{comments[0].pk}"
    assert landing(client, comments[3]) == f"{story}#comment-{comments[3].pk}"


def test_a_reply_to_a_trashed_comment_is_found_where_it_is_shown(client, article, config):
    """Its parent hidden, the reply is a thread of its own, placed by its own time."""
    update(config, per_page=2)
    first, *_ = threads(article, 3)
    orphan = make_comment(article, parent=first)
    moderation.comment_moderate(comment=first, action="trash")
    location = landing(client, orphan)
    assert location == f"{article.get_absolute_url()}?cpage=2#comment-{orphan.pk}"
    assert f'id="comment-{orphan.pk}"' in client.get(location.split("#")[0]).content.decode()


@pytest.mark.parametrize("status", [Status.PENDING, Status.SPAM, Status.TRASH])
def test_a_comment_readers_cannot_see_has_no_address(client, article, config, status):
    comment = make_comment(article, status=status)
    assert client.get(f"/comments/{comment.pk}/").status_code == 404
    assert client.get("/comments/999999/").status_code == 404


def test_a_comment_on_a_story_that_is_not_live_has_no_address(client, config):
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(f"/comments/{make_comment(draft).pk}/").status_code == 404


def test_a_hidden_pingback_has_no_address(client, article, config):
    pingback = make_comment(article, kind=Comment.Kind.PINGBACK)
    assert client.get(f"/comments/{pingback.pk}/").status_code == 404
    update(config, show_pingbacks=True)
    assert client.get(f"/comments/{pingback.pk}/").status_code == 302


def test_feeds_link_each_comment_to_its_address_in_constant_queries(client, article, config):
    first = make_comment(article)
    urls = ["/comments/feed/", "/comments/feed/atom/",
            article.get_absolute_url() + "comments/feed/"]  # fmt: skip
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as one:
            entry = feedparser.parse(client.get(url).content).entries[0]
        assert entry.link == f"https://news.example.org/comments/{first.pk}/"
        story = f"https://news.example.org{article.get_absolute_url()}"
        assert entry.id == f"{story}#comment-{first.pk}"  # unchanged: no comment is new again
        counts.append(len(one))
    other = make_article()
    for _ in range(5):
        make_comment(article)
        make_comment(other)
    for url, before in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as many:
            assert len(feedparser.parse(client.get(url).content).entries) > 1
        assert len(many) == before


def test_subscribers_are_sent_the_comment_address(
    client, article, config, django_capture_on_commit_callbacks
):
    update(config, per_page=1)
    make_comment(article)
    Subscription.objects.create(article=article, email="sub@example.net",
                                confirmed_at=timezone.now())  # fmt: skip
    held = make_comment(article, status=Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_moderate(comment=held, action="approve")
    assert f"https://news.example.org/comments/{held.pk}/" in mail.outbox[0].body
    location = landing(client, held)
    assert location == f"{article.get_absolute_url()}?cpage=2#comment-{held.pk}"


@pytest.fixture
def editor_client(client, db):
    user = User.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    return client


def test_the_admin_links_a_published_comment_by_its_address(editor_client, article, config):
    published = make_comment(article)
    held = make_comment(article, status=Status.PENDING)
    queue = editor_client.get("/admin/discussion/comment/").content.decode()
    assert f'<a href="/comments/{published.pk}/">{article.headline}</a>' in queue
    assert f'<a href="{article.get_absolute_url()}">{article.headline}</a>' in queue
    change = editor_client.get(f"/admin/discussion/comment/{published.pk}/change/")
    assert change.context["absolute_url"] == f"/comments/{published.pk}/"
    change = editor_client.get(f"/admin/discussion/comment/{held.pk}/change/")
    assert change.context["absolute_url"] == article.get_absolute_url()
