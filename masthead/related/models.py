"""Stored related lists (what pages read), editors' pins and exclusions, and the journal
that keeps the index of every worker process in step."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class RelatedLink(models.Model):
    """One place in a story's stored related list; a page reads the list in one query."""

    class Source(models.TextChoices):
        PINNED = "pinned", "Pinned by an editor"
        AUTOMATIC = "automatic", "Chosen from the content"
        SECTION = "section", "Same section (nothing more related)"
        LATEST = "latest", "Latest story (nothing more related)"

    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="related_links"
    )
    # SET_NULL, not CASCADE: a deleted story leaves a gap that says which lists to redo.
    target = models.ForeignKey(
        "newsroom.Article", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    score = models.FloatField(null=True, blank=True)
    shared_terms = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["article", "rank"], name="related_link_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.target_id} (#{self.rank})"

    @property
    def inline_worthy(self) -> bool:
        """Only links an editor pinned or the content chose may interrupt the story."""
        return self.source in (self.Source.PINNED, self.Source.AUTOMATIC)


class _EditorChoice(models.Model):
    article = models.ForeignKey("newsroom.Article", on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="+", verbose_name="story"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.article_id} → {self.target_id}"

    def clean(self) -> None:
        if self.article_id is not None and self.article_id == self.target_id:
            raise ValidationError({"target": "A story can't be related to itself."})


class RelatedPin(_EditorChoice):
    """A story an editor always shows with another, ahead of the automatic ones."""

    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="related_pins"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "pinned related story"
        constraints = [
            models.UniqueConstraint(fields=["article", "target"], name="related_pin_unique"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("target")), name="related_pin_not_self"
            ),
        ]


class RelatedExclusion(_EditorChoice):
    """A story an editor never wants shown with another."""

    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="related_exclusions"
    )

    class Meta:
        verbose_name = "excluded related story"
        constraints = [
            models.UniqueConstraint(fields=["article", "target"], name="related_exclusion_unique"),
        ]


class IndexChange(models.Model):
    """A story whose place in the index changed: the journal every worker replays.

    Not a foreign key: deleted stories are journalled too.
    """

    article_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk}: story {self.article_id}"


class IndexState(models.Model):
    """One row: who may change the index now (a lease), how many full rebuilds there have
    been, and up to which journal entry the journal was pruned."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    generation = models.PositiveIntegerField(default=0)
    pruned_through = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
