"""The admin's warning when the spam filter has no usable model."""

from __future__ import annotations

from django import template
from django.urls import reverse

from masthead.core.adminnotice import admin_notice

register = template.Library()


@register.simple_tag
def spam_filter_warning() -> str:
    from django.db import DatabaseError

    from masthead.antispam import registry

    try:
        loaded = registry.current()
    except DatabaseError:
        return ""
    if loaded.model is not None:
        return ""
    return admin_notice(
        "The spam filter has no usable model, so every new comment is held for a moderator: "
        '{} <a href="{}">Open the spam dashboard</a>.',
        loaded.error,
        reverse("admin:antispam_dashboard_changelist"),
        level="warning",
    )
