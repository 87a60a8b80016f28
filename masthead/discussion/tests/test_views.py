"""Posting endpoints (plain and for the script), cross-site protection, and comment feeds."""

from __future__ import annotations

import json

import feedparser
import pytest
from django.contrib.auth.models import User

from masthead.discussion.models import Comment
from masthead.discussion.tests.conftest import fields, issued, make_comment, post, update
from masthead.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db
Status = Comment.Status
SCRIPT = {"HTTP_X_REQUESTED_WITH": "masthead-comments"}


def test_the_script_gets_the_new_comment_as_html(client, article, config):
    response = post(client, article, body="Via fetch", **SCRIPT)
    assert response.status_code == 201
    data = json.loads(response.content)
    comment = Comment.objects.get()
    assert data["id"] == comment.pk
    assert data["status"] == "approved"
    assert data["html"].startswith(f'<li id="comment-{comment.pk}"')
    assert "<p>Via fetch</p>" in data["html"]
    assert comment.author_email not in data["html"]


def test_the_script_gets_the_form_back_with_errors_and_what_was_typed(client, article, config):
    response = post(client, article, body="Keep me", author_email="nope", **SCRIPT)
    assert response.status_code == 400
    data = json.loads(response.content)
    assert data["ok"] is False
    assert "Keep me</textarea>" in data["form"]
    assert 'value="nope"' in data["form"]
    assert "does not look right" in data["form"]


def test_a_cross_site_post_is_refused(client, article, config):
    response = post(client, article, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    response = post(client, article, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert not Comment.objects.exists()
    assert post(client, article, HTTP_ORIGIN="https://news.example.org").status_code == 302
    assert post(client, article, HTTP_ORIGIN="http://testserver").status_code == 302


def test_signed_in_staff_need_a_csrf_token(article, config):
    from django.test import Client

    staff = User.objects.create_superuser("chief", "chief@example.org", "pw", first_name="Chief")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(f"/comments/post/{article.pk}/", {"body": "No token"})
    assert response.status_code == 403
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Commenting as <b>Chief</b>" in page
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/comments/post/{article.pk}/", {"body": "With token", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.user == staff
    assert comment.status == Status.APPROVED
    assert "Staff" in client.get(article.get_absolute_url()).content.decode()


def test_a_story_that_is_not_live_takes_no_comments(client, config):
    draft = make_article(status="draft")
    assert post(client, draft).status_code == 404


def test_opening_the_form_address_leads_to_the_form(client, article):
    for method in (client.get, client.head):
        response = method(f"/comments/post/{article.pk}/")
        assert response.status_code == 302
        assert response["Location"] == f"{article.get_absolute_url()}#respond"
    assert client.put(f"/comments/post/{article.pk}/").status_code == 405
    assert not Comment.objects.exists()


def test_the_form_address_of_a_story_without_comments_is_not_found(client):
    draft = make_article(status="draft")
    assert client.get(f"/comments/post/{draft.pk}/").status_code == 404


def test_comment_feeds_carry_comments_but_never_emails(client, article, config):
    make_comment(article, author_name="Feed Reader", author_email="hidden@example.net",
                 body="Feed me https://example.org")  # fmt: skip
    make_comment(article, status=Status.PENDING, body="Not yet")
    for url in ["/comments/feed/", "/comments/feed/atom/",
                article.get_absolute_url() + "comments/feed/",
                article.get_absolute_url() + "comments/feed/atom/"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "hidden@example.net" not in text
        assert "Not yet" not in text
        feed = feedparser.parse(response.content)
        assert [e.title for e in feed.entries] == [f"Feed Reader on “{article.headline}”"]
        assert feed.entries[0].author == "Feed Reader"


def test_feeds_are_advertised(client, article, config):
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{article.get_absolute_url()}comments/feed/"' in html
    assert 'href="/comments/feed/"' in html
    assert html.count('rel="alternate"') >= 4


def test_the_hidden_email_never_reaches_the_page_source(client, article, config):
    update(config, hold_all=False)
    post(client, article, author_email="secret-reader@example.net")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "secret-reader" not in html


def test_a_discarded_comment_tells_the_reader_without_storing(client, article, config, settings):
    from masthead.discussion import spam

    spam._load.cache_clear()
    settings.MASTHEAD_SPAM_CHECKER = "masthead.discussion.tests.test_views.Discard"
    response = client.post(
        f"/comments/post/{article.pk}/", fields(issued=issued(article)), follow=True
    )
    page = response.content.decode()
    assert "not published: the spam filter took it for spam" in page
    assert "will be looked at" not in page  # nobody will: the reader is not told so
    assert not Comment.objects.exists()
    spam._load.cache_clear()


class Spam(__import__("masthead.discussion.spam", fromlist=["x"]).SpamChecker):
    def check(self, comment, article, meta):
        from masthead.discussion.spam import SpamVerdict

        return SpamVerdict(score=0.9, action="spam")


@pytest.mark.parametrize(
    ("checker", "message"),
    [("Spam", "will be looked at before it appears"), ("Discard", "not published: the spam")],
)
def test_without_the_script_what_became_of_a_comment_is_said_beside_the_form(
    client, article, config, settings, checker, message
):
    """The redirect lands on #respond, where the reader's text has just gone: the message
    is there, not at the top of the page thousands of pixels above."""
    from masthead.discussion import spam

    spam._load.cache_clear()
    settings.MASTHEAD_SPAM_CHECKER = f"masthead.discussion.tests.test_views.{checker}"
    response = post(client, article)
    assert response.status_code == 302
    assert response["Location"].endswith("#respond")
    page = client.get(response["Location"]).content.decode()
    respond = page.split('<div id="respond"', 1)[1].split('id="commentform"', 1)[0]
    assert '<div class="respond__status" role="status">' in respond
    assert message in respond
    assert 'class="messages"' not in page
    assert page.count(message) == 1
    assert message not in client.get(response["Location"]).content.decode()  # said once
    spam._load.cache_clear()


class Discard(__import__("masthead.discussion.spam", fromlist=["x"]).SpamChecker):
    def check(self, comment, article, meta):
        from masthead.discussion.spam import SpamVerdict

        return SpamVerdict(score=1.0, action="discard")


def _before_story(html: str) -> str:
    return html.split('<article class="story">', 1)[0]


def test_a_refused_post_says_so_at_the_top_of_the_page_with_links_to_the_fields(
    client, article, config
):
    """Without the script the page comes back at the form's address and opens at its top,
    thousands of pixels above the form: the reason is said there first."""
    response = post(client, article, body="", author_email="ada@example")
    assert response.status_code == 400
    top = _before_story(response.content.decode())
    assert 'id="comment-error-summary" role="alert" tabindex="-1" autofocus' in top
    assert "Your comment was not posted" in top
    assert '<a href="#comment">Comment: Please type your comment.</a>' in top
    assert '<a href="#email">Email: This email address does not look right' in top
    assert '<a href="#respond">Go to your comment</a>' in top


def test_a_refusal_from_the_rules_links_to_the_form(client, article, config):
    update(config, comments_enabled=False)
    top = _before_story(post(client, article).content.decode())
    assert '<a href="#respond">Comments are closed on this story.</a>' in top


def test_links_on_the_refused_post_page_lead_to_the_story(client, article, config):
    """That page is shown at /comments/post/N/: a relative ``?replyto=`` or ``?cpage=`` would
    resolve against it and lose the reply target."""
    update(config, per_page=1, order="oldest")
    first = make_comment(article)
    make_comment(article)
    story = article.get_absolute_url()
    html = post(client, article, author_email="nope").content.decode()
    assert f'href="{story}?replyto={first.pk}#respond"' in html
    assert f'href="{story}?cpage=2#comments"' in html
    assert 'href="?' not in html
    reply = client.get(f"{story}?cpage=2").content.decode()
    assert f'href="{story}?cpage=2&amp;replyto=' in reply
    assert f'href="{story}?cpage=1#comments"' in reply


def test_when_comments_closed_meanwhile_the_reader_gets_the_reason_and_their_text(
    client, article, config
):
    post(client, article)  # the page was open when the reader started typing
    article.comments_open = False
    article.save()
    typed = "Ten minutes writing <this>,\nand two lines."
    response = post(client, article, body=typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Comments are closed on this story." in html.split('id="respond"', 1)[1]
    assert "Ten minutes writing &lt;this&gt;,\nand two lines.</textarea>" in html
    assert 'id="commentform"' not in html
    assert Comment.objects.count() == 1
