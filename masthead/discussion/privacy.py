"""Personal data in comments: how IP addresses are kept, export and erasure by email address.

The privacy page (``discussion/privacy.html``) is generated from :func:`privacy_facts`, so
what it says is always what the live configuration does.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from masthead.discussion.conf import (
    EDIT_COOKIE,
    EDITABLE_COOKIE,
    PENDING_COOKIE,
    REMEMBER_COOKIE,
    app_settings,
)
from masthead.discussion.models import Comment, DiscussionSettings, ModerationLog, Subscription

IPPolicy = DiscussionSettings.IPPolicy


def spam_sends_to() -> str:
    from masthead.discussion.spam import get_checker

    return getattr(get_checker(), "sends_to", "") or ""


def spam_keeps() -> str:
    from masthead.discussion.spam import get_checker

    return getattr(get_checker(), "keeps", "") or ""


def keyed_hash(purpose: str, value: str) -> str:
    """A keyed SHA-256 of ``value``: the same input always gives the same hash on this site,
    and nobody without SECRET_KEY can tell what the input was."""
    return salted_hmac(f"masthead.discussion.{purpose}", value, algorithm="sha256").hexdigest()


def store_ip(ip: str, policy: str) -> str:
    """The form of ``ip`` kept with a comment under ``policy``."""
    if not ip or policy == IPPolicy.NONE:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if policy == IPPolicy.HASH:
        return "hash:" + keyed_hash("ip", str(address))[:32]
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


@dataclass(frozen=True)
class PrivacyFacts:
    ip_policy: str
    ip_policy_label: str
    ip_retention_days: int
    spam_purge_days: int
    trash_purge_days: int
    remember_cookie: str
    remember_days: int
    pending_cookie: str
    pending_days: int
    edit_cookies: tuple[str, str]
    edit_minutes: int
    link_days: int
    subscriptions: bool
    hold_all: bool
    sends_to: str
    spam_keeps: str = ""
    csrf_cookie: str = "csrftoken"
    csrf_days: int = 14


def privacy_facts() -> PrivacyFacts:
    config = DiscussionSettings.load()
    return PrivacyFacts(
        ip_policy=config.ip_policy,
        ip_policy_label=config.get_ip_policy_display(),
        ip_retention_days=config.ip_retention_days,
        spam_purge_days=config.spam_purge_days,
        trash_purge_days=config.trash_purge_days,
        remember_cookie=REMEMBER_COOKIE,
        remember_days=app_settings.COMMENT_COOKIE_DAYS,
        pending_cookie=PENDING_COOKIE,
        pending_days=app_settings.PENDING_COOKIE_DAYS,
        edit_cookies=(EDIT_COOKIE, EDITABLE_COOKIE),
        edit_minutes=app_settings.COMMENT_EDIT_MINUTES,
        link_days=app_settings.CONFIRMATION_LINK_DAYS,
        subscriptions=config.allow_subscriptions,
        hold_all=config.hold_all,
        sends_to=spam_sends_to(),
        spam_keeps=spam_keeps(),
        csrf_cookie=settings.CSRF_COOKIE_NAME,
        csrf_days=(settings.CSRF_COOKIE_AGE or 0) // 86400,
    )


def _checker():
    from masthead.discussion.spam import get_checker

    return get_checker()


def _by_email(email: str):
    email = email.strip()
    if "@" not in email:  # never "every comment without an address"
        raise ValueError("An email address is needed to find a commenter's data.")
    return Comment.objects.filter(author_email__iexact=email)


def holds_data(email: str) -> bool:
    email = email.strip()
    return _by_email(email).exists() or Subscription.objects.filter(email__iexact=email).exists()


def personal_data_export(*, email: str) -> dict:
    """Everything stored about the commenter with this email address, as JSON-ready data."""
    from masthead.syndication.structured import absolute

    comments = _by_email(email).select_related("article").order_by("created_at", "id")
    subscriptions = Subscription.objects.filter(email__iexact=email.strip()).select_related(
        "article"
    )
    return {
        "email": email.strip(),
        "exported_at": timezone.now().isoformat(),
        "comments": [
            {
                "id": c.pk,
                "story": c.article.headline,
                "story_url": absolute(c.article.get_absolute_url()),
                "in_reply_to": c.parent_id,
                "status": c.status,
                "created_at": c.created_at.isoformat(),
                "name": c.author_name,
                "email": c.author_email,
                "website": c.author_url,
                "comment": c.body,
                "ip_address": c.ip_address,
                "user_agent": c.user_agent,
            }
            for c in comments
        ],
        "subscriptions": [
            {
                "story": s.article.headline,
                "story_url": absolute(s.article.get_absolute_url()),
                "confirmed": s.confirmed,
                "created_at": s.created_at.isoformat(),
            }
            for s in subscriptions
        ],
        "spam_filter": _checker().personal_data(email.strip()),
    }


@transaction.atomic
def personal_data_erase(*, email: str, user=None) -> dict[str, int]:
    """Erase what is stored about this email address.

    Comments that were never published are deleted; published ones stay in their threads,
    anonymised: no name, email, website, IP address or user agent remains. Subscriptions
    are deleted.
    """
    comments = _by_email(email)
    unpublished = comments.filter(~Q(status=Comment.Status.APPROVED))
    deleted_ids = list(unpublished.values_list("pk", flat=True))
    Comment.objects.filter(pk__in=deleted_ids).delete()
    anonymised = comments.update(
        author_name="", author_email="", author_url="", ip_address="", user_agent="", user=None
    )
    subscriptions, _ = Subscription.objects.filter(email__iexact=email.strip()).delete()
    counts = {
        "deleted": len(deleted_ids),
        "anonymised": anonymised,
        "subscriptions": subscriptions,
        "spam_filter": _checker().forget(email.strip()) if email.strip() else 0,
    }
    ModerationLog.objects.create(
        action=ModerationLog.Action.ERASE,
        user=user,
        note=(
            f"{counts['deleted']} comments deleted, {counts['anonymised']} anonymised, "
            f"{counts['subscriptions']} subscriptions removed, "
            f"{counts['spam_filter']} spam-filter records erased"
        ),
    )
    if anonymised:
        from masthead.core.pagecache import purge

        purge("site")  # names may appear on any page of comments or in comment feeds
    return counts
