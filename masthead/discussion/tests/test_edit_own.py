"""A reader changes or deletes their own comment, from the browser that posted it, for
COMMENT_EDIT_MINUTES after posting (as in Isso)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from masthead.discussion.models import Comment, ModerationLog, Subscription
from masthead.discussion.tests.conftest import make_comment, post, update

pytestmark = pytest.mark.django_db
Status = Comment.Status


def edit_url(comment: Comment) -> str:
    return reverse("discussion:edit", args=[comment.pk])


@pytest.fixture
def posted(client, article, config, django_capture_on_commit_callbacks) -> Comment:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, article, body="The wall was voted trough on Tuesday.")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Status.APPROVED
    return comment


def test_the_poster_changes_their_comment(client, article, posted):
    assert "masthead_edit" in client.cookies
    editable = client.cookies["masthead_editable"].value
    assert editable.startswith(f"{posted.pk}.")
    assert int(editable.split(".")[1]) == int(posted.created_at.timestamp()) + 15 * 60
    page = client.get(edit_url(posted))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "The wall was voted trough on Tuesday.</textarea>" in page.content.decode()
    assert "for 15 more minutes" in page.content.decode()
    response = client.post(edit_url(posted), {"body": "The wall was voted through on Tuesday."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{posted.pk}")
    assert "Your change was saved." in client.get(response["Location"]).content.decode()
    posted.refresh_from_db()
    assert posted.body == "The wall was voted through on Tuesday."
    assert posted.status == Status.APPROVED
    log = ModerationLog.objects.get(comment=posted)
    assert (log.action, log.from_status, log.to_status) == ("edit", "approved", "approved")
    assert log.note.startswith("Changed by its author.")
    assert "voted through on Tuesday" in Client().get(article.get_absolute_url()).content.decode()


def test_only_the_browser_that_posted_it_may_change_it(article, posted):
    stranger = Client()
    response = stranger.get(edit_url(posted))
    assert response.status_code == 403
    assert "only from the browser that posted it" in response.content.decode()
    stranger.post(edit_url(posted), {"body": "Hijacked"})
    stranger.post(edit_url(posted), {"delete": "1"})
    posted.refresh_from_db()
    assert posted.body == "The wall was voted trough on Tuesday."


def test_the_time_to_change_it_runs_out(client, posted):
    Comment.objects.filter(pk=posted.pk).update(
        created_at=posted.created_at - timedelta(minutes=15, seconds=1)
    )
    response = client.post(edit_url(posted), {"body": "Too late"})
    assert response.status_code == 403
    assert "The 15 minutes in which this comment could be changed are over." in (
        response.content.decode()
    )
    posted.refresh_from_db()
    assert posted.body != "Too late"


def test_a_changed_text_meets_the_rules_again(client, article, config, posted):
    """Posting something harmless and changing it afterwards must not get round moderation."""
    update(config, moderation_words="casino")
    response = client.post(edit_url(posted), {"body": "Great odds at the casino down the road"})
    assert response.status_code == 302
    posted.refresh_from_db()
    assert posted.status == Status.PENDING
    assert posted.moderation_reasons[0] == "changed by its author"
    assert "moderation word “casino”" in posted.moderation_reasons[1]
    assert "casino" not in Client().get(article.get_absolute_url()).content.decode()
    own = client.get(response["Location"]).content.decode()  # its author still sees it
    assert "Great odds at the casino" in own
    assert "will be looked at before it appears again" in own
    empty = client.post(edit_url(posted), {"body": "   "})
    assert "Please type your comment." in empty.content.decode()


def test_the_poster_deletes_their_comment(client, article, posted):
    response = client.post(edit_url(posted), {"delete": "1"})
    assert response.status_code == 302
    assert not Comment.objects.filter(pk=posted.pk).exists()
    log = ModerationLog.objects.get(comment_ref=posted.pk)
    assert (log.action, log.note) == ("delete", "Deleted by its author.")
    assert client.cookies["masthead_editable"].value == ""  # nothing left to change
    assert "Your comment was deleted." in client.get(response["Location"]).content.decode()
    assert "voted trough" not in Client().get(article.get_absolute_url()).content.decode()


def test_deleting_ones_only_comment_ends_its_subscription(client, article, config):
    """The subscription came with the comment and keeps the reader's address: it goes with
    their last comment on the story, and stays while another of theirs is still there."""
    email = "sam@example.net"
    post(client, article, body="Tell me about replies", subscribe="on", author_email=email)
    first = Comment.objects.get()
    assert Subscription.objects.filter(article=article, email=email).exists()
    other = make_comment(article, author_email=email.upper(), body="Earlier")
    client.post(edit_url(first), {"delete": "1"})
    assert not Comment.objects.filter(pk=first.pk).exists()
    assert Subscription.objects.filter(article=article, email=email).exists()
    other.delete()
    post(client, article, body="Tell me again", subscribe="on", author_email=email)
    second = Comment.objects.get()
    client.post(edit_url(second), {"delete": "1"})
    assert not Subscription.objects.filter(article=article).exists()


def test_a_comment_with_replies_stays(client, article, posted):
    make_comment(article, parent=posted, depth=1, body="A reply to it")
    page = client.get(edit_url(posted)).content.decode()
    assert 'name="delete"' not in page  # not offered, and said why
    assert "Others have replied to it, so it cannot be deleted" in page
    response = client.post(edit_url(posted), {"delete": "1"})  # a page opened before the reply
    assert response.status_code == 409
    assert "has replies, so it stays" in response.content.decode()
    assert f'<a href="{edit_url(posted)}">Back to your comment’s change page</a>' in (
        response.content.decode()
    )
    assert Comment.objects.filter(pk=posted.pk).exists()


def test_a_reader_without_the_script_is_told_where_to_change_it(client, article, config):
    page = client.get(post(client, article, body="Told where")["Location"]).content.decode()
    comment = Comment.objects.get()
    assert f'<a href="{edit_url(comment)}">change or delete your comment</a>' in page
    assert 'data-edit-url="/comments/0/edit/"' in page  # where comments.js points
    privacy = client.get(reverse("discussion:privacy")).content.decode()
    assert "<code>masthead_edit</code> and <code>masthead_editable</code>" in privacy


def test_changing_comments_can_be_turned_off(client, article, config, settings):
    settings.MASTHEAD_COMMENT_EDIT_MINUTES = 0
    post(client, article)
    comment = Comment.objects.get()
    assert "masthead_edit" not in client.cookies
    response = client.get(edit_url(comment))
    assert response.status_code == 403
    assert "cannot be changed once they are posted" in response.content.decode()
    assert "masthead_edit" not in client.get(reverse("discussion:privacy")).content.decode()


def test_a_made_up_posted_address_shows_no_link(client, article):
    for value in ("-5", "abc", "9" * 30, "held"):
        page = client.get(article.get_absolute_url(), {"posted": value})
        assert page.status_code == 200
        assert "change or delete your comment" not in page.content.decode()


def test_a_changed_comment_is_never_served_stale_from_the_cache(
    client, article, posted, settings, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600
    reader = Client()
    reader.get(article.get_absolute_url())
    assert reader.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(posted), {"body": "Corrected: voted through."})
    assert "Corrected: voted through." in reader.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(posted), {"delete": "1"})
    assert "Corrected" not in reader.get(article.get_absolute_url()).content.decode()


def test_what_a_moderator_dealt_with_stays_dealt_with(client, posted):
    Comment.objects.filter(pk=posted.pk).update(status=Status.SPAM)
    for data in ({"body": "Try again"}, {"delete": "1"}):
        response = client.post(edit_url(posted), data)
        assert response.status_code == 403
        assert "can no longer be changed" in response.content.decode()
    posted.refresh_from_db()
    assert (posted.status, posted.body) == (Status.SPAM, "The wall was voted trough on Tuesday.")


def test_the_change_needs_the_pages_csrf_token_and_an_intact_cookie(client, posted):
    guarded = Client(enforce_csrf_checks=True)
    guarded.cookies = client.cookies
    assert guarded.post(edit_url(posted), {"body": "No token"}).status_code == 403
    forged = Client()
    forged.cookies["masthead_edit"] = client.cookies["masthead_edit"].value[:-3] + "abc"
    assert forged.get(edit_url(posted)).status_code == 403
    posted.refresh_from_db()
    assert posted.body == "The wall was voted trough on Tuesday."


def test_when_every_comment_is_held_a_change_is_held_too(
    client, config, posted, settings, django_capture_on_commit_callbacks
):
    """Otherwise a harmless comment, once approved, could be changed into anything."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.contrib.auth.models import User
    from django.core import mail

    User.objects.create_superuser("mod", "mod@example.org", "pw")
    update(config, hold_all=True, auto_approve_known=False, notify_on_held=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(posted), {"body": "Now it says something else entirely."})
    posted.refresh_from_db()
    assert posted.status == Status.PENDING
    assert posted.moderation_reasons == [
        "changed by its author",
        "every comment is held for approval",
    ]
    assert [m.to for m in mail.outbox] == [["mod@example.org"]]  # told it waits again
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(posted), {"body": "And changed once more."})
    posted.refresh_from_db()
    assert posted.moderation_reasons[0] == "changed by its author"  # the queue says so
    assert len(mail.outbox) == 1  # already waiting: no second email


def test_a_closed_story_takes_no_changes(client, article, posted):
    article.comments_open = False
    article.save()
    response = client.post(edit_url(posted), {"body": "After closing"})
    assert response.status_code == 403
    assert "no longer takes comments" in response.content.decode()


def test_staff_comments_get_no_cookie_and_are_changed_in_the_admin(client, article, config):
    from django.contrib.auth.models import User

    staff = User.objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(staff)
    client.get(article.get_absolute_url())  # the CSRF cookie, as the page gives it
    token = client.cookies["csrftoken"].value
    post(client, article, body="From the newsroom", csrfmiddlewaretoken=token)
    comment = Comment.objects.get(body="From the newsroom")
    assert "masthead_edit" not in client.cookies
    response = client.get(edit_url(comment))
    assert response.status_code == 403
    assert "changed in the admin" in response.content.decode()
