from django.conf import settings
from django.db import models

from masthead.core.models import TimestampedModel
from masthead.core.reversing import reverse


class Author(TimestampedModel):
    """A byline: the public profile of a writer, linked to a newsroom account if they have one."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "newsroom.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The newsroom account that writes as this author, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:author", kwargs={"slug": self.slug})
