"""Writes for comments posted by readers, and the subscriptions that may come with them."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from masthead.core.db.prepared import Param, PreparedRead
from masthead.discussion import spam
from masthead.discussion.conf import app_settings
from masthead.discussion.guards import (
    LOCKED_GUARDS,
    UNLOCKED_GUARDS,
    DisallowedWords,
    Flood,
    GuardResult,
    Links,
    ModerationWords,
    Submission,
    comments_open,
    run_guards,
)
from masthead.discussion.models import Comment, DiscussionSettings, ModerationLog, Subscription
from masthead.discussion.privacy import store_ip
from masthead.discussion.spam import RequestMeta, SpamVerdict
from masthead.newsroom.models import Article

logger = logging.getLogger("masthead.discussion")

Status = Comment.Status


@dataclass
class CommentInput:
    """A reader's comment as the form cleaned it."""

    body: str
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    parent: Comment | None = None
    subscribe: bool = False
    honeypot: str = ""
    issued: str = ""  # the form's signed timestamp


@dataclass
class PostResult:
    comment: Comment | None = None
    rejected: str = ""  # the reader's message when nothing was stored
    discarded: bool = False


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("discussion.moderate_comment"))


def _known_author(email: str, user) -> bool:
    approved = Comment.objects.filter(status=Status.APPROVED)
    if user is not None and user.is_authenticated and approved.filter(user=user).exists():
        return True
    return bool(email) and approved.filter(author_email__iexact=email).exists()


def _decide(s: Submission, trash: list, hold: list, verdict: SpamVerdict, user) -> str:
    if trash:
        return Status.TRASH
    if verdict.action == "spam":
        return Status.SPAM
    if s.is_moderator:
        return Status.APPROVED
    if hold or verdict.action == "hold":
        return Status.PENDING
    if s.config.hold_all:
        if s.config.auto_approve_known and _known_author(s.comment.author_email, user):
            return Status.APPROVED
        hold.append("every comment is held for approval")
        return Status.PENDING
    return Status.APPROVED


# The few reads of every posted comment, compiled once (see masthead.core.db.prepared):
# building their SQL afresh cost more than running it.
_confirmed_subscription = PreparedRead(
    lambda article: (
        Subscription.objects.filter(article_id=article, confirmed_at__isnull=False)
        .order_by()
        .values_list("pk")[:1]
    ),
    article=Param(Subscription, "article"),
)
# The story's row, locked for the write transaction (PostgreSQL; SQLite's transaction holds
# the database's one write lock already).
_story_lock = PreparedRead(
    lambda pk: Article.objects.select_for_update().filter(pk=pk).order_by().values_list("pk"),
    pk=Param(Article, "id"),
)


def has_subscribers(article_id: int) -> bool:
    return bool(_confirmed_subscription(article=article_id))


def _after_commit(
    comment: Comment, *, config: DiscussionSettings, subscription: Subscription | None
):
    from masthead.discussion import tasks

    def run() -> None:
        if comment.status == Status.APPROVED:
            from masthead.newsroom.cache import purge_for_comments

            purge_for_comments(comment.article)
            if has_subscribers(comment.article_id):
                tasks.notify_subscribers.enqueue(comment.pk)
        held = comment.status == Status.PENDING
        if config.notify_on_comment or (held and config.notify_on_held):
            tasks.notify_moderators.enqueue(comment.pk)
        if subscription is not None and not subscription.confirmed:
            tasks.send_subscription_confirmation.enqueue(subscription.pk)

    transaction.on_commit(run)


def comment_post(
    *,
    article: Article,
    data: CommentInput,
    meta: RequestMeta,
    user=None,
    now: datetime | None = None,
    config: DiscussionSettings | None = None,
) -> PostResult:
    """Run the guards, ask the spam filter, store the comment with the status the rules give.

    Guards that need no lock and the spam filter run first, outside any transaction; then
    one short write transaction, serialised per story by a row lock (SQLite serialises every
    write transaction anyway), runs the duplicate and flood checks and stores the comment,
    so those checks hold under concurrency while the write lock is held only briefly.
    """
    now = now or timezone.now()
    config = config or DiscussionSettings.load()
    comment = Comment(
        article=article,
        parent=data.parent,
        body=data.body,
        author_name=data.author_name,
        author_email=data.author_email,
        author_url=data.author_url,
        user=user if user is not None and user.is_authenticated else None,
        created_at=now,
        status_changed_at=now,
        user_agent=meta.user_agent[:255],
    )
    submission = Submission(
        article=article,
        comment=comment,
        meta=meta,
        config=config,
        now=now,
        honeypot=data.honeypot,
        issued=data.issued,
        is_moderator=is_moderator(user),
    )
    early = run_guards(submission, UNLOCKED_GUARDS)
    if not early.ok:
        return PostResult(rejected=early.rejected)
    verdict = spam.check(comment, article, meta)  # the one spam verdict per posted comment
    if verdict.action == "discard" and not early.trash:
        logger.info("Spam filter discarded a comment on story %s", article.pk)
        if too_soon := _claim_pause(submission):
            return PostResult(rejected=too_soon)
        return PostResult(discarded=True)
    return _comment_store(submission, early, verdict, data=data, user=user)


@transaction.atomic
def _claim_pause(submission: Submission) -> str:
    """A discarded post counts towards the pause between comments, as a stored one does:
    otherwise a spammer whose every post is dropped could post again at once, and slip a
    milder one through between them."""
    ok, reason = Flood().check(submission)
    return "" if ok else reason


@transaction.atomic
def _comment_store(
    submission: Submission, early: GuardResult, verdict, *, data: CommentInput, user
) -> PostResult:
    article, comment, config = submission.article, submission.comment, submission.config
    _story_lock(pk=article.pk)
    guards = early.merged(run_guards(submission, LOCKED_GUARDS))
    if not guards.ok:
        return PostResult(rejected=guards.rejected)
    comment.status = _decide(submission, guards.trash, guards.hold, verdict, user)
    comment.spam_score = verdict.score
    comment.moderation_reasons = [*guards.trash, *guards.hold]
    comment.moderation_reasons += [f"spam filter: {reason}" for reason in verdict.reasons]
    comment.ip_address = store_ip(submission.meta.ip, config.ip_policy)
    comment.full_clean(
        exclude=["article", "parent", "user"], validate_unique=False, validate_constraints=False
    )
    comment.save()
    subscription = None
    wanted = data.subscribe and config.allow_subscriptions and comment.author_email
    if wanted and comment.status in (Status.APPROVED, Status.PENDING):
        subscription, _ = Subscription.objects.get_or_create(
            article=article, email=comment.author_email.lower()
        )
    _after_commit(comment, config=config, subscription=subscription)
    return PostResult(comment=comment)


def subscription_confirm(*, subscription_id: int, email: str) -> Subscription | None:
    subscription = Subscription.objects.filter(pk=subscription_id, email=email).first()
    if subscription is not None and not subscription.confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def subscription_cancel(*, subscription_id: int) -> bool:
    deleted, _ = Subscription.objects.filter(pk=subscription_id).delete()
    return bool(deleted)


# --- a reader changing or deleting their own comment ------------------------------------

# What an edit is checked against: the rules about a comment's words and links (the others,
# such as flood control or the form's timestamp, are about posting).
EDIT_GUARDS = (DisallowedWords, ModerationWords, Links)
EDITABLE = (Status.APPROVED, Status.PENDING)


def comment_edit_deadline(comment: Comment) -> datetime:
    return comment.created_at + timedelta(minutes=app_settings.COMMENT_EDIT_MINUTES)


def comment_edit_problem(
    comment: Comment, editable_ids: list[int], *, config: DiscussionSettings | None = None
) -> str:
    """Why this browser may not change ``comment`` now ("" if it may)."""
    minutes = app_settings.COMMENT_EDIT_MINUTES
    if not minutes:
        return "Comments cannot be changed once they are posted on this site."
    if comment.user_id is not None:
        return "Comments by signed-in staff are changed in the admin."
    if comment.pk not in editable_ids:
        return (
            f"A comment can be changed only from the browser that posted it, for {minutes} "
            "minutes after posting."
        )
    if comment.status not in EDITABLE:
        return "This comment can no longer be changed."
    now = timezone.now()
    if now >= comment_edit_deadline(comment):
        return f"The {minutes} minutes in which this comment could be changed are over."
    if not comments_open(comment.article, config or DiscussionSettings.load(), now):
        return "This story no longer takes comments, so its comments can no longer be changed."
    return ""


def comment_edit(
    *, comment: Comment, body: str, meta: RequestMeta, config: DiscussionSettings | None = None
) -> str:
    """The comment's author changed its text. The new text goes through the word and link
    rules, the spam filter and "hold every comment" again, outside the write transaction (as
    a new comment does); then, the comment locked, it is saved unless a moderator has acted
    on it meanwhile. An approved comment stays approved only if nothing now holds it.
    Returns why nothing was saved ("" when it was); the change is in the moderation log."""
    config = config or DiscussionSettings.load()
    now = timezone.now()
    edited = copy.copy(comment)  # the comment with the new text, for the checks only
    edited.body = body
    submission = Submission(
        article=comment.article, comment=edited, meta=meta, config=config, now=now
    )
    guards = run_guards(submission, EDIT_GUARDS)
    verdict = spam.check(edited, comment.article, meta)
    reasons = [*guards.trash, *guards.hold, *(f"spam filter: {r}" for r in verdict.reasons)]
    if guards.trash:
        status = Status.TRASH
    elif verdict.action in ("spam", "discard"):
        status = Status.SPAM
    elif guards.hold or verdict.action == "hold":
        status = Status.PENDING
    elif config.hold_all and not (config.auto_approve_known and _known_author_besides(comment)):
        status = Status.PENDING
        reasons.append("every comment is held for approval")
    else:
        status = None  # as it is
    with transaction.atomic():
        locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
        if locked is None or locked.status not in EDITABLE:
            return "A moderator has dealt with this comment meanwhile; it can no longer be changed."
        before = locked.status
        locked.body = body
        locked.status = status or before
        locked.spam_score = verdict.score
        locked.moderation_reasons = ["changed by its author", *reasons]
        fields = ["body", "status", "spam_score", "moderation_reasons"]
        if locked.status != before:
            locked.status_changed_at = now
            fields.append("status_changed_at")
        locked.save(update_fields=fields)
        ModerationLog.objects.create(
            comment=locked,
            comment_ref=locked.pk,
            action=ModerationLog.Action.EDIT,
            from_status=before,
            to_status=locked.status,
            note=("Changed by its author. " + "; ".join(reasons))[:500].strip(),
        )
        if Status.APPROVED in (before, locked.status):
            _purge_story_on_commit(locked.article)
        if before != Status.PENDING and locked.status == Status.PENDING and config.notify_on_held:
            from masthead.discussion import tasks

            transaction.on_commit(lambda: tasks.notify_moderators.enqueue(locked.pk))
    comment.refresh_from_db()
    return ""


def _known_author_besides(comment: Comment) -> bool:
    """The comment's author has another approved comment (``auto_approve_known``)."""
    email = comment.author_email
    others = Comment.objects.filter(status=Status.APPROVED).exclude(pk=comment.pk)
    return bool(email) and others.filter(author_email__iexact=email).exists()


@transaction.atomic
def comment_delete_own(*, comment: Comment) -> str:
    """The comment's author deleted it: gone for good, unless it has replies (then it stays,
    and the message says why). The story's row lock orders it with replies being posted."""
    _story_lock(pk=comment.article_id)
    if Comment.objects.filter(parent=comment).exists():
        return "This comment has replies, so it stays; you can still change its text."
    was_public = comment.status == Status.APPROVED
    ModerationLog.objects.create(
        comment=None,
        comment_ref=comment.pk,
        action=ModerationLog.Action.DELETE,
        from_status=comment.status,
        note="Deleted by its author.",
    )
    comment.delete()
    _drop_orphan_subscription(comment)
    if was_public:
        _purge_story_on_commit(comment.article)
    return ""


def _drop_orphan_subscription(comment: Comment) -> None:
    """A reader who deleted their only comment on a story hears no more about it: the
    subscription that came with the comment goes too (it kept their address)."""
    email = comment.author_email
    if not email:
        return
    others = Comment.objects.filter(article_id=comment.article_id, author_email__iexact=email)
    if not others.exists():
        # stored lower-cased by Python, which SQLite's iexact does not match beyond ASCII
        Subscription.objects.filter(article_id=comment.article_id, email=email.lower()).delete()


def _purge_story_on_commit(article: Article) -> None:
    from masthead.newsroom.cache import purge_for_comments

    transaction.on_commit(lambda: purge_for_comments(article))
