"""Moderators' writes: approve, spam, trash, restore, delete, reply, and automatic purges.

Every change of status is logged in :class:`~masthead.discussion.models.ModerationLog` and,
for spam decisions, reported to the spam filter once the change is committed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from masthead.discussion import spam
from masthead.discussion.models import Comment, DiscussionSettings, ModerationLog, Throttle
from masthead.discussion.text import clean_text

logger = logging.getLogger("masthead.discussion.moderation")

Status = Comment.Status
Action = ModerationLog.Action


@dataclass(frozen=True)
class Transition:
    action: str
    to: str
    allowed_from: frozenset[str]
    # What the moderator's decision tells the spam filter: True spam, False ham, None nothing.
    report: bool | None = None


TRANSITIONS: dict[str, Transition] = {
    "approve": Transition(Action.APPROVE, Status.APPROVED, frozenset({Status.PENDING}), False),
    "unapprove": Transition(Action.UNAPPROVE, Status.PENDING, frozenset({Status.APPROVED})),
    "spam": Transition(
        Action.SPAM, Status.SPAM, frozenset({Status.PENDING, Status.APPROVED, Status.TRASH}), True
    ),
    "not_spam": Transition(Action.NOT_SPAM, Status.APPROVED, frozenset({Status.SPAM}), False),
    "trash": Transition(
        Action.TRASH, Status.TRASH, frozenset({Status.PENDING, Status.APPROVED, Status.SPAM})
    ),
    # To the status the comment had before it was trashed (see _status_before_trash);
    # pending when the log does not say (a comment the rules trashed as it was posted).
    "restore": Transition(Action.RESTORE, Status.PENDING, frozenset({Status.TRASH})),
}


def has_subscribers(article_id: int) -> bool:
    from masthead.discussion.services import has_subscribers as check

    return check(article_id)


def _log(comment: Comment | None, action: str, *, user=None, old="", new="", note="") -> None:
    ModerationLog.objects.create(
        comment=comment,
        comment_ref=comment.pk if comment is not None else None,
        user=user,
        action=action,
        from_status=old,
        to_status=new,
        note=note[:500],
    )


def _purge_pages(comment: Comment) -> None:
    from masthead.newsroom.cache import purge_for_comments

    purge_for_comments(comment.article)


@transaction.atomic
def comment_moderate(*, comment: Comment, action: str, user=None, note: str = "") -> bool:
    """Apply a moderator's ``action`` (a key of TRANSITIONS). False if it does not apply to
    the comment's current status (e.g. approving an approved comment)."""
    transition = TRANSITIONS[action]
    old = comment.status
    if old not in transition.allowed_from:
        return False
    new = transition.to
    if transition.action == Action.RESTORE:
        new = _status_before_trash(comment) or transition.to
    comment.status = new
    comment.status_changed_at = timezone.now()
    comment.save(update_fields=["status", "status_changed_at", "modified_at"])
    _log(comment, transition.action, user=user, old=old, new=new, note=note)
    if transition.report is not None:
        is_spam = transition.report
        transaction.on_commit(lambda: spam.report(comment, is_spam))
    if Status.APPROVED in (old, new):
        transaction.on_commit(lambda: _purge_pages(comment))
    # Subscribers heard about a restored comment when it was first approved.
    if new == Status.APPROVED and transition.action != Action.RESTORE:
        from masthead.discussion import tasks

        if has_subscribers(comment.article_id):
            transaction.on_commit(lambda: tasks.notify_subscribers.enqueue(comment.pk))
    return True


def _status_before_trash(comment: Comment) -> str | None:
    """The status the comment had when it was last moved to the trash, from the log."""
    trashed = (
        ModerationLog.objects.filter(comment=comment, action=Action.TRASH)
        .order_by("-at", "-id")
        .values_list("from_status", flat=True)
        .first()
    )
    return trashed if trashed in (Status.PENDING, Status.APPROVED, Status.SPAM) else None


@transaction.atomic
def comment_delete(*, comment: Comment, user=None) -> bool:
    """Delete for good; only from spam or trash, so nothing is deleted by a slip."""
    if comment.status not in (Status.SPAM, Status.TRASH):
        return False
    _log(comment, Action.DELETE, user=user, old=comment.status)
    comment.delete()
    return True


@transaction.atomic
def comment_edit(*, comment: Comment, user, changed: list[str]) -> Comment:
    """Save a moderator's edit of a comment's text, name or website."""
    comment.body = clean_text(comment.body)
    comment.full_clean(exclude=["article", "parent", "user"], validate_constraints=False)
    comment.save()
    _log(comment, Action.EDIT, user=user, note="changed " + ", ".join(changed))
    if comment.status == Status.APPROVED:
        transaction.on_commit(lambda: _purge_pages(comment))
    return comment


@transaction.atomic
def comment_reply_as_staff(*, parent: Comment, body: str, user) -> Comment:
    """A staff reply from the moderation queue: approved at once; replying to a held comment
    approves it too, as a reply to something readers cannot see would make no sense."""
    config = DiscussionSettings.load()
    body = clean_text(body)
    if not body:
        raise ValidationError({"body": "Type your reply."})
    if parent.status in (Status.SPAM, Status.TRASH):
        raise ValidationError("Restore this comment before replying to it.")
    if parent.depth >= config.thread_depth:
        raise ValidationError(
            f"This comment is at the deepest level ({config.thread_depth}); reply to an "
            "earlier comment in its thread."
        )
    if parent.status == Status.PENDING:
        comment_moderate(comment=parent, action="approve", user=user, note="replied to")
    reply = Comment(
        article=parent.article,
        parent=parent,
        body=body,
        author_name=user.get_full_name() or user.get_username(),
        author_email=user.email or "",
        user=user,
        status=Status.APPROVED,
        status_changed_at=timezone.now(),
    )
    reply.full_clean(exclude=["article", "parent", "user"], validate_constraints=False)
    reply.save()
    _log(reply, Action.REPLY, user=user, new=Status.APPROVED, note=f"reply to {parent.pk}")
    from masthead.discussion import tasks

    transaction.on_commit(lambda: _purge_pages(reply))
    if has_subscribers(reply.article_id):
        transaction.on_commit(lambda: tasks.notify_subscribers.enqueue(reply.pk))
    return reply


def _older_than(cut: datetime) -> Q:
    return Q(status_changed_at__lt=cut) | Q(status_changed_at__isnull=True, created_at__lt=cut)


@transaction.atomic
def comments_purge(*, now: datetime | None = None) -> int:
    """Delete spam and trash older than the configured days. Returns how many went."""
    now = now or timezone.now()
    config = DiscussionSettings.load()
    doomed = Comment.objects.filter(
        Q(status=Status.SPAM) & _older_than(now - timedelta(days=config.spam_purge_days))
        | Q(status=Status.TRASH) & _older_than(now - timedelta(days=config.trash_purge_days))
    )
    rows = list(doomed.values_list("pk", "status"))
    if not rows:
        return 0
    days = {Status.SPAM: config.spam_purge_days, Status.TRASH: config.trash_purge_days}
    ModerationLog.objects.bulk_create(
        [
            ModerationLog(
                comment_ref=pk,
                action=Action.PURGE,
                from_status=status,
                note=f"in {status} for more than {days[status]} days",
            )
            for pk, status in rows
        ]
    )
    Comment.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    logger.info("Purged %s spam and trash comments", len(rows))
    return len(rows)


def comments_drop_addresses(*, now: datetime | None = None) -> int:
    """Forget IP addresses and user agents older than the configured retention."""
    now = now or timezone.now()
    cut = now - timedelta(days=DiscussionSettings.load().ip_retention_days)
    return (
        Comment.objects.filter(created_at__lt=cut)
        .exclude(ip_address="", user_agent="")
        .update(ip_address="", user_agent="")
    )


def throttles_expire(*, now: datetime | None = None) -> int:
    deleted, _ = Throttle.objects.filter(until__lt=now or timezone.now()).delete()
    return deleted


def subscriptions_expire(*, now: datetime | None = None) -> int:
    """Forget subscriptions whose confirmation link has expired unused."""
    from masthead.discussion import tokens
    from masthead.discussion.models import Subscription

    cut = (now or timezone.now()) - tokens.link_max_age()
    deleted, _ = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cut).delete()
    return deleted


def comments_render_missing(*, batch: int = 500) -> int:
    """Render ``body_html`` for rows written in bulk without it (imports), through nh3."""
    from masthead.discussion.text import render_body

    done = 0
    while True:
        rows = list(Comment.objects.filter(body_html="").exclude(body="")[:batch])
        if not rows:
            return done
        for comment in rows:
            comment.body_html = render_body(comment.body)
        Comment.objects.bulk_update(rows, ["body_html"])
        done += len(rows)
