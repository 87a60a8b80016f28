"""Emails to moderators and subscribers: after commit, with unsubscribe links that ask first
and one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import Client

from masthead.discussion import moderation
from masthead.discussion.models import Comment, ModeratorOptOut, Subscription
from masthead.discussion.tests.conftest import make_comment, post, update

pytestmark = pytest.mark.django_db
Status = Comment.Status


@pytest.fixture
def editor(db) -> User:
    user = User.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


def link(message, prefix: str) -> str:
    found = re.search(
        r"https://news\.example\.org(/\S+)", message.body[message.body.index(prefix) :]
    )
    return found.group(1)


def posting(client, article, callbacks, **values):
    with callbacks(execute=True):
        return post(client, article, **values)


def test_moderators_hear_about_held_comments_by_default(
    client, article, config, editor, django_capture_on_commit_callbacks
):
    posting(client, article, django_capture_on_commit_callbacks)  # published: no email
    assert mail.outbox == []
    update(config, hold_all=True, auto_approve_known=False)
    posting(client, article, django_capture_on_commit_callbacks, author_email="x@example.net",
            body="Held one")  # fmt: skip
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ed@example.org"]
    assert "Please moderate" in message.subject
    assert "x@example.net" in message.body  # moderators may see the address
    assert "/admin/discussion/comment/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_moderators_can_hear_about_every_comment(
    client, article, config, editor, django_capture_on_commit_callbacks
):
    update(config, notify_on_comment=True, notify_on_held=False)
    posting(client, article, django_capture_on_commit_callbacks)
    assert [m.subject.split("]")[1].strip()[:11] for m in mail.outbox] == ["New comment"]


def test_a_moderator_unsubscribes_with_one_click(
    client, article, config, editor, django_capture_on_commit_callbacks
):
    update(config, notify_on_comment=True)
    posting(client, article, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body
    path = url.removeprefix("https://news.example.org")
    # A mail gateway scanning the link only opens it: nothing changes.
    opened = client.get(path)
    assert "Stop moderation emails?" in opened.content.decode()
    assert opened["Cache-Control"] == "private, no-store"
    assert not ModeratorOptOut.objects.exists()
    # RFC 8058 one-click POST, from the mail provider: no CSRF token, no cookie.
    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert ModeratorOptOut.objects.filter(user=editor).exists()
    assert "Moderation emails stopped" in client.get(path).content.decode()
    mail.outbox.clear()
    posting(client, article, django_capture_on_commit_callbacks, body="Another")
    assert mail.outbox == []


def test_follow_up_subscriptions_are_double_opt_in(
    client, article, config, django_capture_on_commit_callbacks
):
    posting(client, article, django_capture_on_commit_callbacks, subscribe="yes",
            author_email="Sub@Example.net")  # fmt: skip
    subscription = Subscription.objects.get()
    assert subscription.email == "sub@example.net"
    assert not subscription.confirmed
    assert len(mail.outbox) == 1
    assert "Confirm" in mail.outbox[0].subject
    # Before confirming, follow-ups send nothing.
    mail.outbox.clear()
    posting(client, article, django_capture_on_commit_callbacks, body="A follow-up")
    assert mail.outbox == []
    url = link(mail.outbox or _confirmation(subscription), "open this link")
    # Opening the link (a person, or a mail gateway scanning it) only asks.
    reader = Client(enforce_csrf_checks=True)
    asked = reader.get(url)
    assert asked["Cache-Control"] == "private, no-store"
    assert "Confirm your subscription" in asked.content.decode()
    subscription.refresh_from_db()
    assert not subscription.confirmed
    assert reader.post(url).status_code == 403  # a forged post, without the page's token
    subscription.refresh_from_db()
    assert not subscription.confirmed
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', asked.content.decode())[1]
    confirm = reader.post(url, {"csrfmiddlewaretoken": token})
    assert "Subscription confirmed" in confirm.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed
    assert "Subscription confirmed" in reader.get(url).content.decode()


def _confirmation(subscription):
    from masthead.discussion.notifications import confirmation_message

    return confirmation_message(subscription)


def test_subscribers_hear_about_new_published_comments_but_not_their_own(
    client, article, config, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    Subscription.objects.create(article=article, email="sub@example.net",
                                confirmed_at=timezone.now())  # fmt: skip
    posting(client, article, django_capture_on_commit_callbacks, author_email="sub@example.net")
    assert mail.outbox == []
    posting(client, article, django_capture_on_commit_callbacks, author_name="Bo",
            author_email="bo@example.net", body="Reply from Bo")  # fmt: skip
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sub@example.net"]
    assert "Reply from Bo" in message.body
    assert "bo@example.net" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in message.body
    path = unsubscribe.removeprefix("https://news.example.org")
    opened = client.get(path)
    assert "Stop these emails?" in opened.content.decode()
    assert f"“{article.headline}”" in opened.content.decode()
    assert '<form method="post" action="">' in opened.content.decode()
    assert Subscription.objects.exists()  # opening the link changes nothing
    unsubscribed = Client(enforce_csrf_checks=True).post(path)  # the page's button
    assert "Unsubscribed" in unsubscribed.content.decode()
    assert not Subscription.objects.exists()
    assert "Unsubscribed" in client.get(path).content.decode()


def test_a_held_comment_notifies_subscribers_when_approved(
    article, config, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    Subscription.objects.create(article=article, email="sub@example.net",
                                confirmed_at=timezone.now())  # fmt: skip
    held = make_comment(article, status=Status.PENDING, author_email="w@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_moderate(comment=held, action="approve")
    assert [m.to for m in mail.outbox] == [["sub@example.net"]]


def test_a_forged_or_expired_link_does_nothing(client, article, config):
    sub = Subscription.objects.create(article=article, email="sub@example.net")
    assert client.get("/comments/confirm/forged/").status_code == 404
    assert client.get("/comments/unsubscribe/forged/").status_code == 404
    assert client.post("/comments/confirm/forged/").status_code == 404
    assert client.post("/comments/moderators/unsubscribe/forged/").status_code == 404
    assert Subscription.objects.filter(pk=sub.pk, confirmed_at=None).exists()


def test_the_email_gives_the_spam_score_once(article, config, editor):
    from masthead.discussion.notifications import moderator_messages

    reason = "spam filter: spam probability 0.91 only for its links (0.05 without them)"
    filed = make_comment(
        article, status=Comment.Status.PENDING, spam_score=0.91, moderation_reasons=[reason]
    )
    (message,) = moderator_messages(filed)
    assert message.body.count("0.91") == 1
    held_by_a_rule = make_comment(
        article, status=Comment.Status.PENDING, spam_score=0.12,
        moderation_reasons=["2 links (held from 2)"],
    )  # fmt: skip
    (message,) = moderator_messages(held_by_a_rule)
    assert "Spam score: 0.12" in message.body
