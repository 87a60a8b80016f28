"""Emails to the newsroom: editors told that a story waits for their review, and its writer
that it is out.

Built here, sent by :func:`masthead.newsroom.tasks.notify_review` after the save commits, so
sending a story for review never waits for a mail server. ``REVIEW_EMAILS=false`` turns
them off (the admin's front page still says what waits).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from masthead.core.conf import AppSettings
from masthead.core.mail import users_with_perm
from masthead.newsroom.models import Article
from masthead.newsroom.preview import preview_url
from masthead.syndication.structured import absolute

app_settings = AppSettings("MASTHEAD_", {"REVIEW_EMAILS": True})


def editors():
    """Active users with an email address who may publish any story."""
    return users_with_perm("newsroom", "publish_any_article")


def review_messages(article: Article, sent_by=None) -> list[EmailMessage]:
    """One email to each editor (but the one who sent it) about ``article`` waiting."""
    if not app_settings.REVIEW_EMAILS or article.status != Article.Status.PENDING:
        return []
    who = ""
    if sent_by is not None:
        who = sent_by.get_full_name() or sent_by.get_username()
    context = {
        "article": article,
        "who": who,
        "site_name": settings.SITE_NAME,
        "edit_url": absolute(reverse("admin:newsroom_article_change", args=[article.pk])),
        "preview_url": absolute(preview_url(article)),
        "waiting_url": absolute(
            reverse("admin:newsroom_article_changelist") + "?status__exact=pending"
        ),
    }
    body = render_to_string("newsroom/email/review.txt", context)
    subject = f"[{settings.SITE_NAME}] Waiting for review: {article.headline}"
    recipients = editors()
    if sent_by is not None:
        recipients = recipients.exclude(pk=sent_by.pk)
    return [
        EmailMessage(
            subject=subject,
            body=body,
            to=[user.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        for user in recipients
    ]


def published_messages(article: Article, by=None) -> list[EmailMessage]:
    """To the writer who sent ``article`` for review (not if they published it themselves):
    it is live, or scheduled."""
    writer = article.created_by
    if not app_settings.REVIEW_EMAILS or not article.is_public_soon:
        return []
    if writer is None or not writer.is_active or not writer.email:
        return []
    if by is not None and by.pk == writer.pk:
        return []
    live = article.status == Article.Status.PUBLISHED
    context = {
        "article": article,
        "live": live,
        "who": (by.get_full_name() or by.get_username()) if by is not None else "",
        "site_name": settings.SITE_NAME,
        "story_url": absolute(article.get_absolute_url() if live else preview_url(article)),
    }
    body = render_to_string("newsroom/email/published.txt", context)
    what = "Published" if live else "Scheduled"
    subject = f"[{settings.SITE_NAME}] {what}: {article.headline}"
    headers = {"Auto-Submitted": "auto-generated"}
    return [EmailMessage(subject, body, to=[writer.email], headers=headers)]
