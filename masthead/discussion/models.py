"""Reader comments on articles: threads, statuses, and what moderation decided and why."""

from django.conf import settings
from django.db import models
from django.utils import timezone


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
    author_url = models.URLField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=65525, help_text="As the commenter typed it.")
    body_html = models.TextField(blank=True, editable=False, help_text="Rendered and sanitised.")

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    modified_at = models.DateTimeField(auto_now=True)
    # Personal data kept by the privacy policy: see masthead.discussion.privacy.
    ip_address = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)

    spam_score = models.FloatField(null=True, blank=True)
    moderation_reasons = models.JSONField(default=list, blank=True)

    # Where an imported comment came from, so that importing again updates instead of
    # duplicating (e.g. "wxr:https://old.example.org", "disqus:forum-name").
    import_source = models.CharField(max_length=200, blank=True)
    import_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["import_source", "import_id"],
                condition=~models.Q(import_source=""),
                name="comment_unique_import",
            )
        ]
        permissions = [("moderate_comment", "Can moderate comments")]

    def __str__(self) -> str:
        return f"{self.author_name or 'Anonymous'} on {self.article_id}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        self.depth = (self.parent.depth + 1) if self.parent_id else 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"
