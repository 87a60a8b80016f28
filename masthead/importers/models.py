"""What the importers remember: where each imported story came from, and its old addresses."""

from django.db import models


class ImportedItem(models.Model):
    """One WordPress post or page that became an article, keyed on its source site and ID.

    Importing the same export again finds the article through this row and updates it.
    """

    source = models.CharField(
        max_length=200, help_text="The site it came from, e.g. “wxr:old.example.org/blog”."
    )
    source_id = models.CharField(
        max_length=100, help_text="The post ID there (or a digest of its GUID when it had none)."
    )
    guid = models.CharField(max_length=255, blank=True, db_index=True)
    post_type = models.CharField(max_length=20, default="post")
    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="import_records"
    )
    original_url = models.CharField(max_length=500, blank=True)
    featured_image_url = models.CharField(
        max_length=500,
        blank=True,
        help_text="The old site's featured image; “masthead import media” downloads it.",
    )
    featured_image_alt = models.CharField(
        max_length=300, blank=True, help_text="Its alt text on the old site, if it had one."
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="imported_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} #{self.source_id}"


class Redirect(models.Model):
    """An old address (a permalink path, or ``/?p=123``) that now answers 301 to an article."""

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The path as readers request it, e.g. /2019/04/01/old-slug/ or /?p=123.",
    )
    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="old_addresses"
    )
    source = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.article_id}"


class ImportedMedia(models.Model):
    """A picture downloaded from an imported site, keyed on its old address.

    ``masthead import media`` downloads each address once: a second run finds it here. If an
    editor deletes the image, the row stays (without it) so that it is not downloaded again.
    """

    old_url = models.CharField(
        max_length=500, unique=True, help_text="The address on the old site it came from."
    )
    image = models.ForeignKey(
        "newsroom.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0, help_text="Bytes downloaded.")
    downloaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_url"]
        verbose_name_plural = "imported media"

    def __str__(self) -> str:
        return self.old_url
