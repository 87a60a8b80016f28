"""What the spam filter stores: API keys and their usage, moderators' decisions (the training
data), the model versions learnt from them, and daily counts for the dashboard."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone

KEY_LENGTH = 12  # WordPress's Akismet plugin refuses keys of any other length


def site_host(url: str) -> str:
    """The host a site URL names, for comparing a key's site with a request's ``blog``:
    lower case, without ``www.`` or a default port. Empty when it is not an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not host:
        return ""
    host = host.removeprefix("www.")
    return f"{host}:{port}" if port not in (None, 80, 443) else host


class ApiKey(models.Model):
    """A key for the Akismet-compatible API, bound to one site. Only a hash of it is kept."""

    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=4, editable=False, help_text="The key's first characters, to recognise it."
    )
    site = models.URLField(
        max_length=200, help_text="The site that uses the key, as its client sends `blog`."
    )
    note = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField("active", default=True)
    rate_limit = models.PositiveIntegerField(
        "calls per minute", default=600, help_text="0: no limit."
    )
    monthly_limit = models.PositiveIntegerField(
        "checks per month",
        null=True,
        blank=True,
        help_text="Reported by usage-limit; beyond it the key is throttled. Empty: no limit.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.site}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.strip().encode("utf-8", "replace")).hexdigest()

    def serves(self, blog: str) -> bool:
        return bool(site_host(blog)) and site_host(blog) == site_host(self.site)


class ApiUsage(models.Model):
    """API calls of one key from one site in one month (written in batches)."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage")
    month = models.DateField(help_text="The first day of the month.")
    site = models.CharField(max_length=200)
    checks = models.PositiveIntegerField(default=0)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)
    missed_spam = models.PositiveIntegerField(default=0)
    false_positives = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API usage"
        verbose_name_plural = "API usage"
        constraints = [
            models.UniqueConstraint(fields=["key", "month", "site"], name="apiusage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.month:%Y-%m}: {self.checks} checks"


class SpamDecision(models.Model):
    """One labelled comment: training data from a moderator or an API submission.

    Only what the classifier reads is kept: no IP address, and of the email address only its
    domain and the count of digits before the ``@`` (with a keyed hash of the whole address,
    so that a commenter's erasure request can find it).
    """

    class Label(models.TextChoices):
        SPAM = "spam", "Spam"
        HAM = "ham", "Not spam"

    class Source(models.TextChoices):
        MODERATOR = "moderator", "Moderator"
        API = "api", "API submission"

    label = models.CharField(max_length=4, choices=Label.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    comment = models.ForeignKey(
        "discussion.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment_content = models.TextField()
    comment_author = models.CharField(max_length=245, blank=True)
    comment_author_email = models.CharField(max_length=254, blank=True)
    email_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    comment_author_url = models.CharField(max_length=500, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    referrer = models.CharField(max_length=500, blank=True)
    permalink = models.CharField(max_length=500, blank=True)
    comment_type = models.CharField(max_length=40, blank=True)
    article_text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    learned_in = models.ForeignKey(
        "SpamModelVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learned",
        help_text="The model version that first learnt it; empty: waiting for the next retrain.",
    )
    score_before = models.FloatField(
        null=True, blank=True, help_text="The spam probability the model gave it before learning."
    )
    superseded = models.BooleanField(
        default=False, help_text="A later decision on the same comment replaced this one."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["learned_in", "superseded"], name="decision_queue_idx")]

    def __str__(self) -> str:
        return (
            f"{self.get_label_display()} ({self.get_source_display()}) {self.created_at:%Y-%m-%d}"
        )


class SpamModelVersion(models.Model):
    """A model the site learnt, stored in the checked ``.mhspam`` format, signed with a key
    derived from SECRET_KEY: only this site can have written it."""

    class Kind(models.TextChoices):
        UPDATE = "update", "Learnt new decisions"
        REBUILD = "rebuild", "Rebuilt from the base model"

    version = models.CharField(max_length=80)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.UPDATE)
    data = models.BinaryField(blank=True, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    base_trained_at = models.CharField(max_length=40, blank=True)
    n_train = models.PositiveIntegerField("base training comments", default=0)
    n_updates = models.PositiveIntegerField("decisions learnt in all", default=0)
    n_new = models.PositiveIntegerField("decisions new in this version", default=0)
    evaluation = models.JSONField(default=dict, blank=True)
    is_current = models.BooleanField(default=False)
    pruned = models.BooleanField(default=False, help_text="Its data was dropped to save space.")

    class Meta:
        verbose_name = "spam model version"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_model"
            )
        ]

    def __str__(self) -> str:
        return f"Spam model {self.version}"


class DailyCount(models.Model):
    """What the filter did on one day, for one source (the site's form or the API)."""

    class Source(models.TextChoices):
        SITE = "site", "Comment form"
        API = "api", "Akismet API"

    day = models.DateField()
    source = models.CharField(max_length=4, choices=Source.choices)
    checked = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    caught = models.PositiveIntegerField(default=0)
    discarded = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(
        default=0, help_text="Held comments a moderator approved."
    )
    false_positives = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "source"], name="dailycount_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.source}: {self.checked} checked"


class Dashboard(DailyCount):
    """The admin's spam dashboard (a proxy: its page is a chart, not a list of rows)."""

    class Meta:
        proxy = True
        verbose_name = "dashboard"
        verbose_name_plural = "dashboard"


class FilterState(models.Model):
    """One row: when a retrain started (so that two workers never retrain at once), and
    whether the next one must rebuild the model because a learnt decision was reversed."""

    retrain_started_at = models.DateTimeField(null=True, blank=True)
    rebuild_requested = models.BooleanField(default=False)

    def __str__(self) -> str:
        return "Spam filter state"
