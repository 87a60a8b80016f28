"""Threads, depth, paging, replies without JavaScript, and pending comments for their author."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.discussion import moderation
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.selectors import page_of, thread_page
from masthead.discussion.tests.conftest import make_comment, post, update

pytestmark = pytest.mark.django_db
Status = Comment.Status


def chain(article, length: int) -> list[Comment]:
    comments, parent = [], None
    for _ in range(length):
        parent = make_comment(article, parent=parent)
        comments.append(parent)
    return comments


def ids_in(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li id="comment-(\d+)"', html)]


def test_replies_nest_under_their_parent(client, article, config):
    first = make_comment(article, body="Top")
    reply = make_comment(article, parent=first, body="Reply")
    second = make_comment(article, body="Second top")
    html = client.get(article.get_absolute_url()).content.decode()
    assert ids_in(html) == [first.pk, reply.pk, second.pk]
    nested = html[html.index(f'id="comment-{first.pk}"') : html.index(f'id="comment-{second.pk}"')]
    assert '<ol class="children">' in nested
    assert f'id="comment-{reply.pk}" class="comment depth-2"' in nested
    assert html.count("<ol") == html.count("</ol>")
    assert html.count('<li id="comment-') == 3


def test_no_reply_link_at_the_maximum_depth(client, article, config):
    update(config, thread_depth=3)
    comments = chain(article, 3)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'data-reply-to="{comments[1].pk}"' in html
    assert f'data-reply-to="{comments[2].pk}"' not in html


@pytest.mark.parametrize("depth", [2, 5, 10])
def test_a_reply_below_the_maximum_depth_is_refused(client, article, config, depth):
    update(config, thread_depth=depth)
    comments = chain(article, depth)
    assert post(client, article, parent=str(comments[-2].pk)).status_code == 302
    response = post(client, article, parent=str(comments[-1].pk))
    assert response.status_code == 400
    assert f"Replies nest at most {depth} levels deep" in response.content.decode()
    assert Comment.objects.order_by("-pk").first().depth == depth


@pytest.mark.parametrize("remove", ["trash", "delete"])
def test_a_reply_shown_alone_after_its_parent_goes_offers_reply_only_if_allowed(
    client, article, config, remove
):
    """Its parent trashed or deleted, a reply is shown as a thread of its own; its Reply
    link follows the depth the reply would really have, so no link leads to a refusal."""
    update(config, thread_depth=5)
    comments = chain(article, 5)
    shallow = make_comment(article, parent=comments[1])  # depth 3
    moderation.comment_moderate(comment=comments[3], action="trash")
    moderation.comment_moderate(comment=comments[1], action="trash")
    if remove == "delete":
        moderation.comment_delete(comment=comments[3])
        moderation.comment_delete(comment=comments[1])
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{comments[4].pk}" class="comment depth-1"' in html
    assert f'data-reply-to="{comments[4].pk}"' not in html  # depth 5: no deeper replies
    assert f'id="comment-{shallow.pk}" class="comment depth-1"' in html
    assert f'data-reply-to="{shallow.pk}"' in html
    assert post(client, article, parent=str(shallow.pk)).status_code == 302
    refused = post(client, article, parent=str(comments[4].pk))
    assert "Replies nest at most 5 levels deep" in refused.content.decode()


def test_the_queue_offers_no_staff_reply_that_would_nest_too_deep(client, article, config):
    from django.contrib.auth.models import Group, User

    update(config, thread_depth=2)
    top, deepest = chain(article, 2)
    user = User.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    queue = client.get("/admin/discussion/comment/").content.decode()
    assert f"/admin/discussion/comment/{top.pk}/reply/" in queue
    assert f"/admin/discussion/comment/{deepest.pk}/reply/" not in queue


def test_thread_depth_is_between_2_and_10(config):
    from django.core.exceptions import ValidationError

    for bad in (1, 11):
        config.thread_depth = bad
        with pytest.raises(ValidationError):
            config.full_clean()


def test_replying_to_a_comment_that_is_not_approved_is_refused(client, article, config):
    held = make_comment(article, status=Status.PENDING)
    response = post(client, article, parent=str(held.pk))
    assert "not available any more" in response.content.decode()
    other_story = make_comment(
        __import__("masthead.newsroom.tests.factories", fromlist=["x"]).make_article()
    )
    assert "not available" in post(client, article, parent=str(other_story.pk)).content.decode()


def test_reply_without_javascript(client, article, config):
    parent = make_comment(article, author_name="Grace <Hopper>")
    html = client.get(article.get_absolute_url() + f"?replyto={parent.pk}").content.decode()
    assert "Leave a Reply to <bdi>Grace &lt;Hopper&gt;</bdi>" in html
    assert f'name="parent" id="comment-parent" value="{parent.pk}"' in html
    cancel = re.search(
        r'<a rel="nofollow" id="cancel-comment-reply-link" href="([^"]+)"(.*?)>', html
    )
    assert cancel.group(1) == article.get_absolute_url() + "#respond"
    assert "hidden" not in cancel.group(2)
    response = post(client, article, parent=str(parent.pk), body="Indeed.")
    reply = Comment.objects.get(body="Indeed.")
    assert reply.parent == parent
    assert reply.depth == 2
    assert response["Location"] == (
        f"{article.get_absolute_url()}?posted={reply.pk}#comment-{reply.pk}"
    )


def test_plain_form_has_a_hidden_cancel_link(client, article, config):
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'id="cancel-comment-reply-link" href="[^"]+" hidden>', html)
    assert "<span data-reply-title>Leave a Reply</span>" in html


def top_level(article, n: int) -> list[Comment]:
    return [make_comment(article, body=f"Top {i}") for i in range(n)]


def test_paging_oldest_first(client, article, config):
    update(config, per_page=3, order=DiscussionSettings.Order.OLDEST)
    tops = top_level(article, 7)
    reply = make_comment(article, parent=tops[4])
    url = article.get_absolute_url()
    assert ids_in(client.get(url).content.decode()) == [t.pk for t in tops[:3]]
    page2 = client.get(url + "?cpage=2").content.decode()
    assert ids_in(page2) == [tops[3].pk, tops[4].pk, reply.pk, tops[5].pk]
    assert "Comment page 2 of 3" in page2
    assert ids_in(client.get(url + "?cpage=3").content.decode()) == [tops[6].pk]
    assert ids_in(client.get(url + "?cpage=99").content.decode()) == [tops[6].pk]
    assert page_of(reply, config=config) == 2


def test_paging_newest_first(client, article, config):
    update(config, per_page=3, order=DiscussionSettings.Order.NEWEST)
    tops = top_level(article, 7)
    url = article.get_absolute_url()
    assert ids_in(client.get(url).content.decode()) == [t.pk for t in reversed(tops[4:])]
    assert ids_in(client.get(url + "?cpage=3").content.decode()) == [tops[0].pk]
    assert page_of(tops[0], config=config) == 3
    assert page_of(tops[6], config=config) == 1  # no thread before it
    reply = make_comment(article, parent=make_comment(article, parent=tops[3]))
    assert page_of(reply, config=config) == 2  # where the top of its thread is


@pytest.mark.parametrize("order", DiscussionSettings.Order.values)
def test_threads_posted_in_the_same_instant_are_paged_by_id(client, article, config, order):
    update(config, per_page=1, order=order, show_pingbacks=False)
    instant = timezone.now()
    before = make_comment(article, created_at=instant - timedelta(seconds=1))
    tied = [make_comment(article, created_at=instant) for _ in range(3)]
    make_comment(article, created_at=instant, kind=Comment.Kind.PINGBACK)  # not counted
    reply = make_comment(article, parent=tied[1], created_at=instant + timedelta(seconds=1))
    pages = [page_of(c, config=config) for c in [before, *tied, reply]]
    if order == DiscussionSettings.Order.OLDEST:
        assert pages == [1, 2, 3, 4, 3]
    else:
        assert pages == [4, 3, 2, 1, 2]
    page = client.get(f"{article.get_absolute_url()}?cpage={pages[2]}").content.decode()
    assert ids_in(page) == [tied[1].pk, reply.pk]  # the page shows what page_of says


def test_per_page_zero_shows_everything(article, config):
    update(config, per_page=0)
    top_level(article, 120)
    page = thread_page(article_id=article.pk, config=config)
    assert len(page.items) == 120
    assert page.num_pages == 1


def test_after_posting_the_reader_lands_on_the_comments_page(client, article, config):
    update(config, per_page=2)
    top_level(article, 4)
    response = post(client, article, body="Fifth")
    comment = Comment.objects.get(body="Fifth")
    assert response["Location"] == (
        f"{article.get_absolute_url()}?cpage=3&posted={comment.pk}#comment-{comment.pk}"
    )


def test_a_pending_comment_is_shown_only_to_its_author(client, article, config, django_db_blocker):
    from django.test import Client

    update(config, hold_all=True, auto_approve_known=False)
    post(client, article, body="Please publish me")
    comment = Comment.objects.get(body="Please publish me")
    assert comment.status == Status.PENDING
    mine = client.get(article.get_absolute_url()).content.decode()
    assert "Please publish me" in mine
    assert "Your comment is awaiting moderation." in mine
    assert f'data-reply-to="{comment.pk}"' not in mine
    theirs = Client().get(article.get_absolute_url()).content.decode()
    assert "Please publish me" not in theirs
    forged = Client()
    forged.cookies["masthead_pending"] = f"[{comment.pk}]"
    assert "Please publish me" not in forged.get(article.get_absolute_url()).content.decode()


def test_a_reply_whose_parent_was_trashed_still_shows(client, article, config):
    parent = make_comment(article)
    reply = make_comment(article, parent=parent, body="Orphan reply")
    Comment.objects.filter(pk=parent.pk).update(status=Status.TRASH)
    html = client.get(article.get_absolute_url()).content.decode()
    assert ids_in(html) == [reply.pk]


def test_the_article_page_needs_the_same_queries_for_5_or_500_comments(client, article, config):
    update(config, per_page=0)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(captured)

    top_level(article, 5)
    queries()  # warm caches: navigation, settings
    few = queries()
    parents = list(Comment.objects.all())
    Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                parent=parents[i % 5],
                depth=2,
                body=f"Bulk {i}",
                status=Status.APPROVED,
            )
            for i in range(495)
        ]
    )
    assert Comment.objects.count() == 500
    assert queries() == few
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Bulk 494" in html  # rendered on the fly: bulk rows have no body_html yet
    assert "500 Comments" in html


def test_comment_counts_on_listings_without_a_query_per_story(client, config):
    from masthead.newsroom.tests.factories import make_article, make_section

    section = make_section(slug="harbour")
    stories = [make_article(section=section) for _ in range(3)]
    for n, story in enumerate(stories):
        for _ in range(n):
            make_comment(story)
        make_comment(story, status=Status.PENDING)
    client.get("/section/harbour/")  # warm the navigation cache
    with CaptureQueriesContext(connection) as few:
        html = client.get("/section/harbour/").content.decode()
    assert "1 comment<" in html
    assert "2 comments<" in html
    for _ in range(3):
        make_comment(make_article(section=section))
    with CaptureQueriesContext(connection) as more:
        client.get("/section/harbour/")
    assert len(more) == len(few)


def test_pingbacks_and_trackbacks_are_hidden_unless_the_settings_show_them(client, article, config):
    from masthead.discussion.selectors import approved_count

    make_comment(article, body="A reader's comment")
    for kind in (Comment.Kind.PINGBACK, Comment.Kind.TRACKBACK):
        make_comment(article, kind=kind, author_name="Other Blog", body=f"Linked: {kind}")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "A reader" in html
    assert "Linked:" not in html
    assert approved_count(article_id=article.pk) == 1
    feed = client.get(f"{article.get_absolute_url()}comments/feed/").content.decode()
    assert "A reader" in feed
    assert "Linked:" not in feed
    update(config, show_pingbacks=True)
    shown = thread_page(article_id=article.pk, config=config)
    assert sorted(item.comment.body for item in shown.items) == [
        "A reader's comment",
        "Linked: pingback",
        "Linked: trackback",
    ]
    assert approved_count(article_id=article.pk) == 1  # counts are of reader comments
