"""The admin front page's line for moderators: comments held for moderation."""

from __future__ import annotations

from django import template
from django.urls import reverse

from masthead.core.adminnotice import admin_notice
from masthead.discussion.models import Comment
from masthead.discussion.selectors import comment_count_pending

register = template.Library()


@register.simple_tag(takes_context=True)
def comments_awaiting_moderation(context) -> str:
    user = context["request"].user
    if not user.has_perm("discussion.moderate_comment"):
        return ""
    count = comment_count_pending()
    if not count:
        return ""
    url = (
        reverse("admin:discussion_comment_changelist") + f"?status__exact={Comment.Status.PENDING}"
    )
    return admin_notice(
        '<a href="{}">{}</a> held for moderation.',
        url,
        f"{count} comment{'' if count == 1 else 's'}",
        level="warning",  # waiting on a moderator: not a success
    )
