"""Sending what the apps' notifications build, over one connection."""

from __future__ import annotations

from django.core.mail import EmailMessage, get_connection


def send(messages: list[EmailMessage]) -> int:
    """Send ``messages``; returns how many went."""
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def users_with_perm(app_label: str, codename: str):
    """Active users with an email address who hold ``app_label.codename`` (superusers do),
    directly or through a group: who notifications about that work go to."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    rule = Q(is_superuser=True)
    if perm is not None:
        rule |= Q(user_permissions=perm) | Q(groups__permissions=perm)
    return (
        get_user_model()
        .objects.filter(rule, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
