"""Emails: moderators about new comments, subscribers about follow-ups, confirmation links.

Messages are built here and sent by the tasks in :mod:`masthead.discussion.tasks`, after the
transaction that caused them commits, so posting a comment never waits for a mail server.
Every notification carries a signed unsubscribe link, in its text and in the
``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers (RFC 2369, RFC 8058): opened, it
asks first; the mail provider's one-click POST acts at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from masthead.core.mail import users_with_perm
from masthead.discussion import tokens
from masthead.discussion.models import Comment, Subscription
from masthead.syndication.structured import absolute


def _message(to: str, subject: str, template: str, context: dict, unsubscribe: str = ""):
    body = render_to_string(
        template, {**context, "site_name": settings.SITE_NAME, "unsubscribe": unsubscribe}
    )
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(subject=subject, body=body, to=[to], headers=headers)


def moderators():
    """Active users with an email address who may moderate and have not opted out."""
    return users_with_perm("discussion", "moderate_comment").exclude(moderatoroptout__isnull=False)


def moderator_unsubscribe_url(user) -> str:
    token = tokens.make("moderator-unsubscribe", user.pk)
    return absolute(reverse("discussion:moderator-unsubscribe", args=[token]))


def moderator_messages(comment: Comment) -> list[EmailMessage]:
    held = comment.status == Comment.Status.PENDING
    queue = absolute(reverse("admin:discussion_comment_changelist") + "?status__exact=pending")
    subject = (
        f"[{settings.SITE_NAME}] {'Please moderate' if held else 'New comment'}: "
        f"“{comment.article.headline}”"
    )
    context = {
        "comment": comment,
        "held": held,
        "story_url": absolute(comment.article.get_absolute_url()),
        "edit_url": absolute(reverse("admin:discussion_comment_change", args=[comment.pk])),
        "queue_url": queue,
        # "Why" names the spam probability when the filter held it: not a second time.
        "show_score": comment.spam_score is not None
        and not any("spam probability" in reason for reason in comment.moderation_reasons),
    }
    return [
        _message(
            user.email,
            subject,
            "discussion/email/moderator.txt",
            context,
            moderator_unsubscribe_url(user),
        )
        for user in moderators()
    ]


def unsubscribe_url(subscription: Subscription) -> str:
    token = tokens.make("unsubscribe", subscription.pk)
    return absolute(reverse("discussion:unsubscribe", args=[token]))


def subscriber_messages(comment: Comment) -> list[EmailMessage]:
    subscribers = Subscription.objects.filter(
        article=comment.article, confirmed_at__isnull=False
    ).exclude(email__iexact=comment.author_email or "-")
    context = {"comment": comment, "comment_url": absolute(comment.get_absolute_url())}
    subject = f"[{settings.SITE_NAME}] New comment on “{comment.article.headline}”"
    return [
        _message(s.email, subject, "discussion/email/follow_up.txt", context, unsubscribe_url(s))
        for s in subscribers
    ]


def confirmation_message(subscription: Subscription) -> EmailMessage:
    token = tokens.make("confirm", [subscription.pk, subscription.email])
    context = {
        "article": subscription.article,
        "confirm_url": absolute(reverse("discussion:confirm", args=[token])),
        "days": tokens.link_max_age().days,
    }
    subject = (
        f"[{settings.SITE_NAME}] Confirm: follow-up comments on “{subscription.article.headline}”"
    )
    return _message(subscription.email, subject, "discussion/email/confirm.txt", context)


def data_request_message(email: str, action: str) -> EmailMessage:
    token = tokens.make("data-request", [email, action])
    context = {
        "action": action,
        "confirm_url": absolute(reverse("discussion:data-request-confirm", args=[token])),
        "days": tokens.link_max_age().days,
    }
    verb = "export" if action == "export" else "erase"
    subject = f"[{settings.SITE_NAME}] Confirm: {verb} your comment data"
    return _message(email, subject, "discussion/email/data_request.txt", context)
