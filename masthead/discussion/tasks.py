"""Background work of the discussion app: emails, and the daily clean-up."""

from __future__ import annotations

import logging

from django_tasks import task

from masthead.core.mail import send
from masthead.discussion import moderation, notifications
from masthead.discussion.models import Comment, Subscription

logger = logging.getLogger("masthead.discussion.tasks")


@task()
def notify_moderators(comment_id: int) -> int:
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None:
        return 0
    return send(notifications.moderator_messages(comment))


@task()
def notify_subscribers(comment_id: int) -> int:
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.APPROVED:
        return 0
    return send(notifications.subscriber_messages(comment))


@task()
def send_subscription_confirmation(subscription_id: int) -> int:
    subscription = Subscription.objects.select_related("article").filter(pk=subscription_id)
    subscription = subscription.first()
    if subscription is None or subscription.confirmed:
        return 0
    return send([notifications.confirmation_message(subscription)])


@task()
def send_data_request(email: str, action: str) -> int:
    return send([notifications.data_request_message(email, action)])


@task()
def discussion_maintenance() -> dict[str, int]:
    """Purge old spam and trash, forget old IP addresses, expire flood-control marks and
    unconfirmed subscriptions, and render comments imported without HTML."""
    done = {
        "purged": moderation.comments_purge(),
        "addresses_dropped": moderation.comments_drop_addresses(),
        "throttles_expired": moderation.throttles_expire(),
        "subscriptions_expired": moderation.subscriptions_expire(),
        "rendered": moderation.comments_render_missing(),
    }
    logger.info("Discussion maintenance: %s", done)
    return done
