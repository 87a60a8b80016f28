"""Writes in the newsroom: saving, publishing, scheduling and withdrawing stories."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from masthead.newsroom import signals
from masthead.newsroom.cache import article_groups
from masthead.newsroom.models import Article, Author, Byline
from masthead.newsroom.permissions import can_edit, can_publish

logger = logging.getLogger("masthead.newsroom")

Status = Article.Status
CONTENT_FIELDS = ("headline", "standfirst", "body")


@dataclass(frozen=True)
class _Before:
    live: bool
    status: str
    content: tuple[str, ...]
    slug: str
    section_id: int


def _before(article: Article) -> _Before | None:
    if article.pk is None:
        return None
    row = Article.objects.filter(pk=article.pk).values(
        "status", "published_at", "slug", "section_id", *CONTENT_FIELDS
    )
    row = row.first()
    if row is None:
        return None
    live = row["status"] == Status.PUBLISHED and (
        row["published_at"] is not None and row["published_at"] <= timezone.now()
    )
    return _Before(
        live=live,
        status=row["status"],
        content=tuple(row[f] for f in CONTENT_FIELDS),
        slug=row["slug"],
        section_id=row["section_id"],
    )


def _apply_publishing_rules(article: Article, now: datetime) -> None:
    if article.status == Status.PUBLISHED:
        if article.published_at is None:
            article.published_at = now
        elif article.published_at > now:
            # Publishing with a time to come is scheduling, as in WordPress.
            article.status = Status.SCHEDULED
    if article.status == Status.SCHEDULED:
        if article.published_at is None:
            raise ValidationError({"published_at": "Choose when the story should go live."})
        if article.published_at <= now:
            raise ValidationError(
                {
                    "published_at": "This time is in the past. Choose a time to come, "
                    "or set the status to Published to publish now."
                }
            )


def _announce(article: Article, before: _Before | None) -> None:
    """Queue what follows a committed change: signals for live changes, the scheduler.

    Signals carry ``previous_slug`` and ``previous_section_id`` (the story may have moved)
    and ``content_changed`` (headline, standfirst or body).
    """
    was_live = bool(before and before.live)
    content_changed = before is None or before.content != tuple(
        getattr(article, f) for f in CONTENT_FIELDS
    )
    if article.is_live and not was_live:
        signal = signals.article_published
    elif article.is_live:
        signal = signals.article_changed
    elif was_live:
        signal = signals.article_withdrawn
    else:
        signal = None
    if signal is not None:
        details = {
            "previous_slug": before.slug if before else article.slug,
            "previous_section_id": before.section_id if before else article.section_id,
            "content_changed": content_changed,
        }
        transaction.on_commit(lambda: signal.send(sender=Article, article=article, **details))
    if article.status == Status.SCHEDULED:
        from masthead.newsroom.tasks import publish_due_articles

        run_after = article.published_at
        transaction.on_commit(lambda: publish_due_articles.using(run_after=run_after).enqueue())


def _check_permissions(user, article: Article, before: _Before | None) -> None:
    if before is not None and not can_edit(user, article):
        raise PermissionDenied("You may not edit this story.")
    going_public = article.status in (Status.PUBLISHED, Status.SCHEDULED)
    status_changed = before is None or before.status != article.status
    if going_public and status_changed and not can_publish(user, article):
        raise PermissionDenied(
            "You may not publish this story; save it as a draft and ask an editor."
        )


@transaction.atomic
def article_save(*, article: Article, user=None, check_permissions: bool = True) -> Article:
    """Save a story as the newsroom wrote it, applying the publishing rules.

    A live story whose headline, standfirst or body changes gets a new "Updated" time.
    """
    before = _before(article)
    if check_permissions and user is not None:
        _check_permissions(user, article, before)
    now = timezone.now()
    _apply_publishing_rules(article, now)
    content = tuple(getattr(article, f) for f in CONTENT_FIELDS)
    if before is not None and before.live and article.is_live and before.content != content:
        article.updated_at = now
    if article.pk is None and user is not None and user.is_authenticated:
        article.created_by = user
    article.full_clean()
    article.save()
    _announce(article, before)
    return article


@transaction.atomic
def article_publish(*, article: Article, user=None, at: datetime | None = None) -> Article:
    """Publish now, or schedule for ``at`` if that time is still to come."""
    article.status = Status.PUBLISHED
    article.published_at = at or article.published_at or timezone.now()
    if at is None and article.published_at > timezone.now():
        article.published_at = timezone.now()
    return article_save(article=article, user=user)


@transaction.atomic
def article_unpublish(*, article: Article, user=None) -> Article:
    """Take a story off the site and back to draft; its address stops answering."""
    if user is not None and not can_publish(user, article):
        raise PermissionDenied("You may not unpublish this story.")
    article.status = Status.DRAFT
    return article_save(article=article, user=user, check_permissions=False)


@transaction.atomic
def article_delete(*, article: Article) -> None:
    before = _before(article)
    groups = article_groups(article) if before and before.live else []
    article.delete()
    if groups:
        transaction.on_commit(
            lambda: signals.article_withdrawn.send(
                sender=Article,
                article=article,
                previous_slug=before.slug,
                previous_section_id=before.section_id,
                content_changed=True,
                groups=groups,
            )
        )


def article_byline_default(*, article: Article, user) -> Byline | None:
    """A story with no byline gets its creator's, if the creator writes as an Author."""
    if user is None or article.bylines.exists():
        return None
    author = Author.objects.filter(user=user).order_by("pk").first()
    if author is None:
        return None
    return Byline.objects.create(article=article, author=author, position=0)


def article_publish_due(*, now: datetime | None = None) -> int:
    """Put live every scheduled story whose time has come. Returns how many went live."""
    now = now or timezone.now()
    count = 0
    due = Article.objects.filter(status=Status.SCHEDULED, published_at__lte=now)
    for article_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            article = (
                Article.objects.select_for_update()
                .filter(pk=article_id, status=Status.SCHEDULED, published_at__lte=now)
                .first()
            )
            if article is None:  # another worker got there first
                continue
            article.status = Status.PUBLISHED
            article.save(update_fields=["status", "modified_at"])
            transaction.on_commit(
                lambda a=article: signals.article_published.send(
                    sender=Article,
                    article=a,
                    previous_slug=a.slug,
                    previous_section_id=a.section_id,
                    content_changed=True,
                )
            )
            count += 1
            logger.info("Published scheduled story %s (%s)", article.pk, article.headline)
    return count


def articles_recount_reading_time(*, batch: int = 500) -> int:
    """Work out every story's word count and "N Min Read" again, with the current
    ``READING_WORDS_PER_MINUTE``; returns how many changed. Cached pages show the new
    badges at once. Only the two counts are written: nothing else about a story changes."""
    from masthead.core.pagecache import purge_everything

    changed: list[Article] = []
    total = 0
    stories = Article.objects.only(
        "pk", "body", "body_text", "featured_image", "word_count", "reading_minutes"
    ).order_by("pk")
    for article in stories.iterator(chunk_size=batch):
        counts = article.reading_counts()
        if counts != (article.word_count, article.reading_minutes):
            article.word_count, article.reading_minutes = counts
            changed.append(article)
        if len(changed) >= batch:
            Article.objects.bulk_update(changed, ["word_count", "reading_minutes"])
            total += len(changed)
            changed = []
    if changed:
        Article.objects.bulk_update(changed, ["word_count", "reading_minutes"])
        total += len(changed)
    if total:
        transaction.on_commit(purge_everything)
    return total
