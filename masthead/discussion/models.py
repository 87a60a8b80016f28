"""Reader comments on articles: threads, statuses, and what moderation decided and why.

Besides :class:`Comment` (the contract shared with the importers), the app keeps its site-wide
settings (:class:`DiscussionSettings`, one row edited in the admin), readers' reply
subscriptions, a log of every moderation action, and short-lived flood-control marks.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from masthead.core.postponed import delete_keys
from masthead.discussion.text import render_body


class CommentQuerySet(models.QuerySet):
    def by_readers(self) -> CommentQuerySet:
        """Comments readers wrote, without pingbacks and trackbacks (links from other
        sites, kept apart: see DiscussionSettings.show_pingbacks)."""
        return self.filter(kind=Comment.Kind.COMMENT)

    def published(self) -> CommentQuerySet:
        """What comment counts and feeds count: approved comments by readers."""
        return self.by_readers().filter(status=Comment.Status.APPROVED)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        PINGBACK = "pingback", "Pingback"
        TRACKBACK = "trackback", "Trackback"

    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )

    author_name = models.CharField(max_length=245, blank=True)
    author_email = models.EmailField(max_length=100, blank=True)
    author_url = models.URLField("author’s website", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=65525, help_text="As the commenter typed it.")
    body_html = models.TextField(blank=True, editable=False, help_text="Rendered and sanitised.")

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    modified_at = models.DateTimeField(auto_now=True)
    # Personal data kept by the privacy policy: see masthead.discussion.privacy.
    ip_address = models.CharField("IP address", max_length=64, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)

    spam_score = models.FloatField(null=True, blank=True)
    moderation_reasons = models.JSONField(default=list, blank=True)
    # When the status last changed; spam and trash are purged this many days after it.
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Where an imported comment came from, so that importing again updates instead of
    # duplicating (e.g. "wxr:https://old.example.org", "disqus:forum-name").
    import_source = models.CharField(max_length=200, blank=True)
    import_id = models.CharField(max_length=100, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["author_email", "status"], name="comment_author_idx"),
            # A posted comment's checks, whatever the number of comments on its story: the
            # same text from the same address (Duplicate), and the threads before it
            # (page_of, counted from this index alone).
            models.Index(F("article"), Lower("author_email"), name="comment_same_author_idx"),
            models.Index(
                fields=["article", "status", "parent", "kind", "created_at"],
                name="comment_threads_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["import_source", "import_id"],
                condition=~models.Q(import_source=""),
                name="comment_unique_import",
            )
        ]
        permissions = [
            ("moderate_comment", "Can moderate comments"),
            ("manage_personal_data", "Can export and erase commenters' personal data"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}’s comment on “{self.article.headline}”"

    def save(self, *args, **kwargs):
        self.depth = (self.parent.depth + 1) if self.parent_id else 1
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            # The text is the source: body_html is always rendered from it, through nh3.
            self.body_html = render_body(self.body)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The comment's lasting address, which redirects to the page of comments where it
        is shown (see ``discussion.views.comment_permalink``); found for published comments
        only."""
        return reverse("discussion:comment", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.author_name.strip() or "Anonymous"


class DiscussionSettings(models.Model):
    """The site's discussion settings: one row, edited in the admin, cached between saves."""

    class Order(models.TextChoices):
        OLDEST = "oldest", "Oldest first"
        NEWEST = "newest", "Newest first"

    class IPPolicy(models.TextChoices):
        TRUNCATE = "truncate", "Truncate (IPv4 to /24, IPv6 to /48)"
        HASH = "hash", "Keyed hash (a pseudonym, cannot be reversed without the secret key)"
        NONE = "none", "Do not store"

    comments_enabled = models.BooleanField(
        default=True, help_text="Off closes comments on every story, whatever its own setting."
    )
    require_name_email = models.BooleanField(
        "Comment author must fill out name and email", default=True
    )
    close_after_days = models.PositiveIntegerField(
        "Close comments on stories older than (days)",
        default=0,
        help_text="0 keeps comments open for as long as each story allows.",
    )
    thread_depth = models.PositiveSmallIntegerField(
        "Threaded comments levels deep",
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
        help_text="From 2 to 10: how deep replies to replies may nest.",
    )
    per_page = models.PositiveIntegerField(
        "Top-level comments per page", default=50, help_text="0 shows every comment on one page."
    )
    order = models.CharField(max_length=6, choices=Order.choices, default=Order.OLDEST)
    show_pingbacks = models.BooleanField(
        "Show pingbacks and trackbacks under stories",
        default=False,
        help_text="Links from other sites (imported from WordPress). Moderators always see "
        "them in the queue; comment counts and feeds count reader comments only.",
    )
    hold_all = models.BooleanField("Hold every comment for approval", default=False)
    auto_approve_known = models.BooleanField(
        "Approve authors with a previously approved comment", default=True
    )
    hold_links = models.PositiveSmallIntegerField(
        "Hold a comment with this many links or more",
        default=2,
        help_text="0 turns this rule off.",
    )
    moderation_words = models.TextField(
        blank=True,
        help_text="One word, phrase or IP address per line. A comment containing one in its "
        "text, name, email, URL, IP address or browser's user agent is held for approval.",
    )
    disallowed_words = models.TextField(
        blank=True,
        help_text="As above, but a matching comment goes straight to the trash.",
    )
    notify_on_comment = models.BooleanField("Email moderators on every comment", default=False)
    notify_on_held = models.BooleanField("Email moderators when a comment is held", default=True)
    allow_subscriptions = models.BooleanField(
        "Offer “Notify me of follow-up comments by email”", default=True
    )
    flood_seconds = models.PositiveIntegerField(
        "Seconds between comments from one address",
        default=15,
        help_text="Per IP address and per email address; 0 turns flood control off.",
    )
    spam_purge_days = models.PositiveIntegerField(
        "Delete spam after (days)", default=15, validators=[MinValueValidator(1)]
    )
    trash_purge_days = models.PositiveIntegerField(
        "Delete trash after (days)", default=30, validators=[MinValueValidator(1)]
    )
    ip_policy = models.CharField(
        "Store IP addresses", max_length=8, choices=IPPolicy.choices, default=IPPolicy.TRUNCATE
    )
    ip_retention_days = models.PositiveIntegerField(
        "Drop IP addresses and user agents after (days)",
        default=30,
        validators=[MinValueValidator(1)],
    )

    CACHE_KEY = "discussion:settings:v1"

    class Meta:
        verbose_name = "discussion settings"
        verbose_name_plural = "discussion settings"

    def __str__(self) -> str:
        return "Discussion settings"

    def save(self, *args, **kwargs):
        from masthead.core.pagecache import purge

        self.pk = 1
        changed = not self._state.adding  # not the row created with the defaults
        super().save(*args, **kwargs)
        delete_keys(self.CACHE_KEY)  # after a cache outage, too
        if changed:
            purge("site")  # every story page shows the form, threads and paging these settle

    @classmethod
    def load(cls) -> DiscussionSettings:
        """The settings row (created with the defaults the first time), cached."""
        current = cache.get(cls.CACHE_KEY)
        if current is None:
            current, _ = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, current, 3600)
        return current

    def word_list(self, field: str) -> list[str]:
        return [line.strip() for line in getattr(self, field).splitlines() if line.strip()]


class Subscription(models.Model):
    """A reader's wish to hear about follow-up comments on a story, confirmed by email."""

    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="comment_subscriptions"
    )
    email = models.EmailField(max_length=100)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "email"], name="subscription_unique")
        ]

    def __str__(self) -> str:
        return f"Subscription to story {self.article_id}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class ModeratorOptOut(models.Model):
    """A moderator who clicked "unsubscribe" in a moderation email."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "moderator email opt-out"

    def __str__(self) -> str:
        return f"{self.user} receives no moderation emails"


class ModerationLog(models.Model):
    """Every moderation action, by a person or by the site itself (``user`` empty)."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        UNAPPROVE = "unapprove", "Unapproved"
        SPAM = "spam", "Marked as spam"
        NOT_SPAM = "not_spam", "Marked as not spam"
        TRASH = "trash", "Moved to trash"
        RESTORE = "restore", "Restored from trash"
        DELETE = "delete", "Deleted permanently"
        PURGE = "purge", "Purged automatically"
        EDIT = "edit", "Edited"
        REPLY = "reply", "Replied as staff"
        ERASE = "erase", "Erased personal data"
        EXPORT = "export", "Exported personal data"

    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="log"
    )
    comment_ref = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The comment's id, kept after it is deleted."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField("when", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "moderation log entry"
        verbose_name_plural = "moderation log entries"

    def __str__(self) -> str:
        who = self.user or "the site"
        return f"{self.get_action_display()} comment {self.comment_ref} by {who}"


class Throttle(models.Model):
    """A flood-control mark: ``key`` (a keyed hash, never an address) is busy until ``until``."""

    key = models.CharField(max_length=64, primary_key=True)
    until = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:12]}… until {self.until:%H:%M:%S}"
