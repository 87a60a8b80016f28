import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from masthead.core.models import TimestampedModel
from masthead.newsroom.validators import validate_image_upload


def image_upload_to(instance: "Image", filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower() or ".jpg"
    now = timezone.now()
    return f"images/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Image(TimestampedModel):
    """An uploaded picture: the original is kept, renditions are made for ``srcset``."""

    file = models.ImageField(
        upload_to=image_upload_to,
        db_index=True,  # story bodies name their pictures by file: see newsroom.body
        width_field="width",
        height_field="height",
        validators=[validate_image_upload],
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(
        max_length=300,
        help_text="What the picture shows, for readers who cannot see it. Required.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    renditions = models.JSONField(default=list, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.alt_text[:80] or self.file.name

    @property
    def url(self) -> str:
        return self.file.url if self.file else ""

    def srcset(self) -> str:
        """``srcset`` over the renditions, largest last; empty until renditions exist."""
        return ", ".join(
            f"{default_storage.url(item['path'])} {item['width']}w" for item in self.renditions
        )

    def rendition_url(self, max_width: int) -> str:
        """The smallest rendition at least ``max_width`` wide, else the largest (the full
        picture, as WebP); the original only while there are no renditions."""
        for item in self.renditions:
            if item["width"] >= max_width:
                return default_storage.url(item["path"])
        if self.renditions:
            return default_storage.url(max(self.renditions, key=lambda r: r["width"])["path"])
        return self.url
