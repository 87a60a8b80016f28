"""Writes in the newsroom: saving, publishing, scheduling and withdrawing stories."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from reversion.errors import RevertError
from reversion.models import Version

from masthead.core.slugs import ascii_slug
from masthead.newsroom import addresses, signals
from masthead.newsroom.cache import article_groups
from masthead.newsroom.models import Article, Author, Byline
from masthead.newsroom.models.article import new_preview_key
from masthead.newsroom.permissions import can_edit, can_publish

logger = logging.getLogger("masthead.newsroom")

Status = Article.Status
CONTENT_FIELDS = ("headline", "standfirst", "body")
# What restoring a revision brings back: the words of the story (and the search engines'
# title and description written for them). Everything else stays as the story is now: its
# status, publish and updated times, address (slug), section, tags, bylines, picture and
# caption, comments setting, correction notes and related pins and exclusions. A restore is
# then an edit of the text like any other, under the same publishing rules.
RESTORED_FIELDS = ("headline", "standfirst", "body", "seo_title", "seo_description")
SCHEDULED_COMMENT = "Published on schedule."
HISTORY_TIME_FORMAT = "j M Y, H:i:s"  # saves come close together: times to the second


@dataclass(frozen=True)
class _Before:
    live: bool
    status: str
    content: tuple[str, ...]
    slug: str
    section_id: int
    address: str
    # The story had a publish time that has come: its address may be known to readers.
    was_public: bool


def _before(article: Article) -> _Before | None:
    if article.pk is None:
        return None
    row = Article.objects.filter(pk=article.pk).values(
        "status", "published_at", "created_at", "slug", "section_id", *CONTENT_FIELDS
    )
    row = row.first()
    if row is None:
        return None
    now = timezone.now()
    was_public = row["published_at"] is not None and row["published_at"] <= now
    old = Article(slug=row["slug"], published_at=row["published_at"], created_at=row["created_at"])
    return _Before(
        live=row["status"] == Status.PUBLISHED and was_public,
        status=row["status"],
        content=tuple(row[f] for f in CONTENT_FIELDS),
        slug=row["slug"],
        section_id=row["section_id"],
        address=old.get_absolute_url(),
        was_public=was_public,
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


def _update_addresses(article: Article, before: _Before | None) -> None:
    """A story that had been public and moved keeps its old address as a redirect (set on
    ``article.moved_from``); a live story owns its address."""
    article.moved_from = ""
    moved = before is not None and before.was_public
    if moved and addresses.remember_old_address(article, before.address):
        article.moved_from = before.address
    if article.is_live:
        addresses.claim_address(article)


@transaction.atomic
def article_save(
    *, article: Article, user=None, check_permissions: bool = True, recovered: bool = False
) -> Article:
    """Save a story as the newsroom wrote it, applying the publishing rules.

    A live story whose headline, standfirst or body changes gets a new "Updated" time. A
    story that had been public and gets a new address (slug or date) keeps answering at the
    old one with a redirect; ``article.moved_from`` is then that old address.

    ``recovered``: the row was just written back from the history of a deleted story, so
    the story is treated as new (it had no public life before this save).
    """
    before = None if recovered else _before(article)
    if check_permissions and user is not None:
        _check_permissions(user, article, before)
    now = timezone.now()
    _apply_publishing_rules(article, now)
    content = tuple(getattr(article, f) for f in CONTENT_FIELDS)
    if before is not None and before.live and article.is_live and before.content != content:
        article.updated_at = now
    if before is not None and before.live and not article.is_live:
        article.preview_key = new_preview_key()  # taken down: links given out stop working
    if article.pk is None and user is not None and user.is_authenticated:
        article.created_by = user
    article.full_clean()
    article.save()
    _update_addresses(article, before)
    _announce(article, before)
    if article.status == Status.PENDING and (before is None or before.status != Status.PENDING):
        _ask_for_review(article, user)
    elif before is not None and before.status == Status.PENDING and article.is_public_soon:
        _tell_the_writer(article, user)
    return article


def _tell_the_writer(article: Article, user) -> None:
    """Once the save commits, email whoever sent the story for review that it is out (or
    scheduled)."""
    from masthead.newsroom.tasks import notify_writer

    by = user.pk if user is not None and user.is_authenticated else None
    transaction.on_commit(lambda: notify_writer.enqueue(article.pk, by))


def _ask_for_review(article: Article, user) -> None:
    """Once the save commits, email the editors that ``article`` waits for them."""
    from masthead.newsroom.tasks import notify_review

    sent_by = user.pk if user is not None and user.is_authenticated else None
    transaction.on_commit(lambda: notify_review.enqueue(article.pk, sent_by))


# --- Two editors on one story -------------------------------------------------------------


def version_token(modified_at: datetime | None) -> str:
    """The version of a story as its change form carries it: the exact time of its last
    save (every save of a story sets ``modified_at``, the worker's and bulk actions' too)."""
    return modified_at.astimezone(UTC).isoformat() if modified_at else ""


def _parse_token(token: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(token)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo is not None else None


@dataclass(frozen=True)
class Change:
    """One save in the story's history: who (None: no one logged in, e.g. the worker),
    when, and what the history says about it."""

    user: object
    at: datetime
    comment: str

    def who(self, viewer=None) -> str:
        if self.user is None:
            return "the scheduler" if self.comment == SCHEDULED_COMMENT else "an automatic process"
        if viewer is not None and getattr(viewer, "pk", None) == self.user.pk:
            return "you (in another window or tab)"
        return self.user.get_full_name() or self.user.get_username()


@dataclass(frozen=True)
class StoryChanged:
    """A story saved again since an editor opened it."""

    token: str  # the story's version now
    modified_at: datetime
    changes: tuple[Change, ...]  # the saves since then that the history records, oldest first
    # The story's fields (attribute names) in the version the editor opened, as its history
    # stored them; None when the history has no entry for that version.
    opened_fields: dict | None = None

    def describe(self, viewer=None) -> str:
        def when(moment: datetime) -> str:
            return formats.date_format(timezone.localtime(moment), HISTORY_TIME_FORMAT)

        if not self.changes:
            return (
                f"This story was saved again at {when(self.modified_at)}, after you opened it "
                "(its history does not say by whom: an import or a script)."
            )
        saves = "; ".join(
            f"by {change.who(viewer)} at {when(change.at)}"
            + (f" ({change.comment.rstrip('.')})" if change.comment else "")
            for change in self.changes
        )
        return f"This story was changed after you opened it: {saves}."


def _changes_since(article_id: int, opened: datetime | None, *, limit: int = 20):
    """The saves after ``opened`` that the history records (oldest first), and the story's
    fields as the history stored them at ``opened`` (None if it has no such entry)."""
    versions = (
        Version.objects.get_for_object_reference(Article, article_id)
        .select_related("revision__user")
        .order_by("-pk")
    )
    if opened is None:
        versions = versions[:1]  # the form's version is unreadable: name the last save only
    else:
        versions = versions[:limit]
        # The history stores times to the millisecond.
        opened = opened.replace(microsecond=opened.microsecond // 1000 * 1000)
    found, opened_fields = [], None
    for version in versions:
        try:
            fields = version.field_dict
        except RevertError:  # written by an older version of the model: unreadable
            continue
        saved = fields.get("modified_at")
        if saved is None or (opened is not None and saved <= opened):
            if saved == opened:
                opened_fields = fields
            break
        revision = version.revision
        found.append(Change(revision.user, saved, revision.get_comment()))
    return tuple(reversed(found)), opened_fields


def article_changed_since(article_id: int, opened: str, *, lock: bool = False):
    """A :class:`StoryChanged` if the story is no longer the version ``opened`` (a
    :func:`version_token`), else None (also when the story is gone).

    ``lock``: inside a transaction, lock the story's row until it ends, so that no other
    save can slip in between this check and the save that follows it.
    """
    rows = Article.objects.filter(pk=article_id)
    if lock and transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    modified_at = rows.values_list("modified_at", flat=True).first()
    if modified_at is None:
        return None
    token = version_token(modified_at)
    if token == opened:
        return None
    changes, opened_fields = _changes_since(article_id, _parse_token(opened))
    return StoryChanged(
        token=token, modified_at=modified_at, changes=changes, opened_fields=opened_fields
    )


# --- Restoring a revision -----------------------------------------------------------------


def article_revision_text(version: Version) -> dict[str, str]:
    """The text (:data:`RESTORED_FIELDS`) of a story as a revision stored it. Raises
    ``reversion.errors.RevertError`` if the revision cannot be read."""
    data = version.field_dict
    return {name: data[name] for name in RESTORED_FIELDS if data.get(name) is not None}


@transaction.atomic
def article_publish(*, article: Article, user=None, at: datetime | None = None) -> Article:
    """Publish now, or schedule for ``at`` if that time is still to come."""
    article.status = Status.PUBLISHED
    article.published_at = at or article.published_at or timezone.now()
    if at is None and article.published_at > timezone.now():
        article.published_at = timezone.now()
    return article_save(article=article, user=user)


SLUG_FALLBACK = "story"


def article_free_slug(wanted: str, headline: str = "") -> str:
    """The address a new story takes, as in WordPress: ``wanted``, or with ``-2``, ``-3``…
    when another story has it. Without one, the headline's, transliterated from any script
    ("Москва" gives ``moskva``, as the admin's own slug filling does not do for every
    script); a headline without letters or digits gives ``story``, ``story-2``…"""
    max_length = Article._meta.get_field("slug").max_length
    base = (wanted or ascii_slug(headline, max_length) or SLUG_FALLBACK)[:max_length]
    candidate, n = base, 2
    while Article.objects.filter(slug=candidate).exists():
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        n += 1
    return candidate


def article_previews_revoke(*, article: Article) -> None:
    """Links to the story's preview given out so far stop working."""
    article.preview_key = new_preview_key()
    Article.objects.filter(pk=article.pk).update(preview_key=article.preview_key)


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
        with transaction.atomic(), reversion.create_revision():
            article = (
                Article.objects.select_for_update()
                .filter(pk=article_id, status=Status.SCHEDULED, published_at__lte=now)
                .first()
            )
            if article is None:  # another worker got there first
                continue
            article.status = Status.PUBLISHED
            article.save(update_fields=["status", "modified_at"])
            # The story's history says when and how it went live (no user: the worker).
            reversion.set_comment(SCHEDULED_COMMENT)
            addresses.claim_address(article)
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
