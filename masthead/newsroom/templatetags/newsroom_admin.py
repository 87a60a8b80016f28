"""The admin front page's line for editors: stories contributors have sent for review."""

from __future__ import annotations

from django import template
from django.urls import reverse

from masthead.core.adminnotice import admin_notice
from masthead.newsroom.selectors import article_count_awaiting_review

register = template.Library()


@register.simple_tag(takes_context=True)
def stories_awaiting_review(context) -> str:
    user = context["request"].user
    if not user.has_perm("newsroom.publish_any_article"):
        return ""
    count = article_count_awaiting_review()
    if not count:
        return ""
    url = reverse("admin:newsroom_article_changelist") + "?status__exact=pending"
    return admin_notice(
        '<a href="{}">{} waiting for review</a>: a contributor sent {} for an editor to publish.',
        url,
        f"{count} stor{'y is' if count == 1 else 'ies are'}",
        "it" if count == 1 else "them",
        level="warning",  # waiting on an editor: not a success
    )
